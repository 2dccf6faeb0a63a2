package feed_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/feed"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/store"
)

var now = time.Date(2025, 10, 2, 9, 0, 0, 0, time.UTC)

func seedHTML(t *testing.T, prefix string) string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "seeds", prefix+"*.txt"))
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	out.WriteString("<!doctype html><html><body><main>")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			out.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
		}
	}
	out.WriteString("</main></body></html>")
	return out.String()
}

// board is a job board on loopback: an Atom feed (ETag), an RSS feed
// (Last-Modified) and a JSON feed, each with two offers, and the offers'
// pages; it counts what is fetched.
type board struct {
	srv       *httptest.Server
	pages     atomic.Int64
	feeds     atomic.Int64
	notMod    atomic.Int64
	broken    atomic.Bool
	lastMod   string
	pagesHTML map[string]string
}

func newBoard(t *testing.T) *board {
	b := &board{lastMod: "Wed, 01 Oct 2025 08:00:00 GMT", pagesHTML: map[string]string{
		"/offre/1": seedHTML(t, "000"), "/offre/2": seedHTML(t, "001"), "/offre/3": seedHTML(t, "003"),
		"/offre/4": seedHTML(t, "004"), "/offre/5": seedHTML(t, "002")}}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := "http://" + r.Host
		switch r.URL.Path {
		case "/offres.atom":
			b.feeds.Add(1)
			if b.broken.Load() {
				http.Error(w, "down for maintenance", http.StatusInternalServerError)
				return
			}
			if r.Header.Get("If-None-Match") == `"v1"` {
				b.notMod.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/atom+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Emplois culture</title><id>urn:board</id><updated>2025-10-01T08:00:00Z</updated>
<entry><title>Assistant.e ingénierie culturelle</title><id>urn:offre:1</id><link href="%[1]s/offre/1"/><updated>2025-09-30T08:00:00Z</updated></entry>
<entry><title>Partenariats locaux</title><id>urn:offre:2</id><link href="%[1]s/offre/2"/><updated>2025-09-29T08:00:00Z</updated></entry>
</feed>`, base)
		case "/offres.rss":
			b.feeds.Add(1)
			if r.Header.Get("If-Modified-Since") == b.lastMod {
				b.notMod.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", b.lastMod)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Ville</title><link>%[1]s</link>
<item><title>Coopération décentralisée</title><link>%[1]s/offre/3</link><guid>%[1]s/offre/3</guid><pubDate>Tue, 30 Sep 2025 08:00:00 GMT</pubDate></item>
<item><title>Métropole</title><link>%[1]s/offre/4</link><guid>%[1]s/offre/4</guid></item>
</channel></rss>`, base)
		case "/offres.json":
			b.feeds.Add(1)
			w.Header().Set("Content-Type", "application/feed+json")
			fmt.Fprintf(w, `{"version":"https://jsonfeed.org/version/1.1","title":"Asso","items":[{"id":"5","url":"%[1]s/offre/5","title":"Stage"}]}`, base)
		default:
			page, ok := b.pagesHTML[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			b.pages.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

// TestFeeds reads an Atom, an RSS and a JSON feed: every item's page is
// fetched and stored once; the second poll of the first two gets 304 and
// fetches nothing; a failing feed is reported by URL and read again later.
func TestFeeds(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in := ingest.New(st, time.UTC, 30*24*time.Hour, log)
	b := newBoard(t)
	clock := func() time.Time { return now }
	var pollers []*feed.Poller
	for _, path := range []string{"/offres.atom", "/offres.rss", "/offres.json"} {
		pollers = append(pollers, feed.New(config.Feed{URL: b.srv.URL + path, Every: config.Duration{Duration: time.Minute}}, st, in, clock, log))
	}
	created := 0
	for _, p := range pollers {
		rep, err := p.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		created += rep.Created
	}
	if created != 5 || b.pages.Load() != 5 {
		t.Errorf("first polls: %d offers, %d pages fetched; want 5 and 5", created, b.pages.Load())
	}
	offers, _ := st.Offers(ctx)
	if len(offers) != 5 {
		t.Fatalf("%d offers stored, want 5", len(offers))
	}
	var first store.Offer
	for _, o := range offers {
		if strings.HasSuffix(o.File, "/offre/1") {
			first = o
		}
	}
	srcs, _ := st.OfferSources(ctx, first.ID)
	if first.Deadline.LastDay != "2025-10-30" || len(srcs) != 1 || srcs[0].Kind != "feed" || srcs[0].Subject != "Assistant.e ingénierie culturelle" ||
		srcs[0].From != "Emplois culture" || srcs[0].Date == nil {
		t.Errorf("the Atom item's offer: %+v, sources %+v", first.Deadline, srcs)
	}

	pages := b.pages.Load()
	for _, p := range pollers[:2] {
		rep, err := p.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.NotModified || rep.Fetched != 0 {
			t.Errorf("second poll: %+v, want 304 and nothing fetched", rep)
		}
	}
	if b.pages.Load() != pages || b.notMod.Load() != 2 {
		t.Errorf("second polls fetched %d pages and got %d 304s; want 0 and 2", b.pages.Load()-pages, b.notMod.Load())
	}
	// The JSON feed has no validators: its items are known and not fetched again.
	if rep, err := pollers[2].Poll(ctx); err != nil || rep.Fetched != 0 {
		t.Errorf("second JSON poll: %+v, %v", rep, err)
	}

	b.broken.Store(true)
	_, err = feed.New(config.Feed{URL: b.srv.URL + "/offres.atom", Every: config.Duration{Duration: time.Minute}}, st, in, clock, log).Poll(ctx)
	if err == nil || !strings.Contains(err.Error(), b.srv.URL+"/offres.atom") || !strings.Contains(err.Error(), "500") {
		t.Errorf("a failing feed: %v, want an error naming it", err)
	}
	b.broken.Store(false)
	if _, err := pollers[0].Poll(ctx); err != nil {
		t.Errorf("the feed back: %v", err)
	}
}
