package console

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/store/storetest"
)

// big is the size the console must stay fast at: 5,000 offers and 200,000
// students following 5 offers each, one pending reminder per follow.
var big = storetest.Params{Subscribers: 200_000, Offers: 5_000, Follows: 5, Planned: true, Days: 240}

// benchConsole opens a copy of the big database (a session is written to
// it) and returns the console's handler and a logged-in request maker.
func benchConsole(b *testing.B) (http.Handler, func(path string) *http.Request) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Copy(b, storetest.BigDB(b, big)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	now := time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	if _, err := st.AddAdmin(ctx, "stages@univ.example", now); err != nil {
		b.Fatal(err)
	}
	a, _ := st.AdminByEmail(ctx, "stages@univ.example")
	secret, _, err := st.CreateSession(ctx, a.ID, now)
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := catalog.Load()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := New(Deps{Store: st, Ingester: ingest.New(st, time.UTC, 0, log), Catalog: cat, Now: func() time.Time { return now }, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	return c.Handler(), func(path string) *http.Request {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(&http.Cookie{Name: cookieName, Value: secret})
		return r
	}
}

func benchPage(b *testing.B, path string) {
	h, req := benchConsole(b)
	start := time.Now()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req(path))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkOffersPage is the console's list of offers, its first page and
// a search, on the big database.
func BenchmarkOffersPage(b *testing.B) { benchPage(b, "/admin/offers") }

func BenchmarkOffersSearch(b *testing.B) { benchPage(b, "/admin/offers?q=stage+4999") }

// BenchmarkStudentsPage is the list of students and a prefix search.
func BenchmarkStudentsPage(b *testing.B) { benchPage(b, "/admin/students?q=student1999") }

// BenchmarkStudentsLastPage reads the 200th page of 50 students.
func BenchmarkStudentsLastPage(b *testing.B) { benchPage(b, "/admin/students?page=200") }

// BenchmarkDashboard counts the outbox of 1,000,000 reminders.
func BenchmarkDashboard(b *testing.B) { benchPage(b, "/admin/") }

// BenchmarkOutboxPending is the first page of the 1,000,000 pending
// reminders.
func BenchmarkOutboxPending(b *testing.B) { benchPage(b, "/admin/outbox?view=pending") }
