package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/store/storetest"
	"github.com/echeance/echeance/token"
)

// BenchmarkStudentsHome is GET / on the database of the issue: 5,000 open
// offers and 200,000 students (following 5 offers each, reminders
// planned). It reports ms/op for the first page, a later page, and a
// filtered page, which reads every open offer's text.
func BenchmarkStudentsHome(b *testing.B) {
	ctx := context.Background()
	path := storetest.BigDB(b, storetest.Params{Subscribers: 200_000, Offers: 5_000, Follows: 5, Planned: true, Days: 120})
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	signer, _ := token.NewSigner(bytes.Repeat([]byte("k"), 32))
	clock := time.Date(2025, 10, 20, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	cat, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Deps{Store: st, Links: NewLinks("https://rappels.univ.example", signer, now, true), Signer: signer,
		Catalog: cat, Site: config.Site{Name: "Service des stages"}, Now: now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, c := range []struct{ name, url, want string }{
		{"first", "/", "5\u202f000 offres"},
		{"page100", "/?page=100", "Page 100 sur 250"},
		{"filtered", "/?q=stage+12", "offres"},
	} {
		b.Run(c.name, func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.url, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", c.url, w.Code)
				}
				if body := w.Body.String(); !strings.Contains(body, c.want) && !strings.Contains(body, strings.ReplaceAll(c.want, "\u202f", "")) {
					b.Fatalf("%s does not say %q", c.url, c.want)
				}
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}
