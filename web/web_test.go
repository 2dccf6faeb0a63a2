package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

type fixture struct {
	st     *store.Store
	srv    *httptest.Server
	links  *Links
	signer *token.Signer
	alice  int64
	bob    int64
	offer  int64
	// clock is the server's now, which a test may move.
	clock time.Time
	// wakes counts the server's calls of Wake.
	wakes atomic.Int32
	s     *Server
}

var now = time.Date(2025, 10, 20, 10, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	o := offer.Offer{File: "o.txt", Title: "Stage <b>médiation</b>", Organisation: "Cosmocité", Text: "texte de l'offre <script>alert(1)</script>",
		Deadline: offer.Deadline{Kind: offer.KindExplicit, LastDay: "2025-10-30", DueAt: &due, Phrase: "avant le 31 octobre 2025"}}
	res, err := st.AddOffer(ctx, o, now)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, offer: res.ID}
	if f.alice, err = st.AddSubscriber(ctx, store.Subscriber{Email: "alice@example.org", FollowAll: true}, now); err != nil {
		t.Fatal(err)
	}
	if f.bob, err = st.AddSubscriber(ctx, store.Subscriber{Email: "bob@example.org", Lang: "en", State: store.StatePending, FollowAll: true}, now); err != nil {
		t.Fatal(err)
	}
	if f.signer, err = token.NewSigner(bytes.Repeat([]byte("k"), 32)); err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(f.srv.Close)
	f.clock = now
	f.links = NewLinks(f.srv.URL, f.signer, func() time.Time { return f.clock }, true)
	feed := func(sub int64, _ string, items []notify.Item, _ time.Time) []byte {
		var b strings.Builder
		fmt.Fprintf(&b, "BEGIN:VCALENDAR subscriber=%d\n", sub)
		for _, it := range items {
			fmt.Fprintf(&b, "offer=%d rev=%d last=%s url=%s\n", it.OfferID, it.Revision, it.LastDay, it.URL)
		}
		return []byte(b.String())
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Store: st, Links: f.links, Signer: f.signer, Feed: feed, Catalog: cat,
		Site: config.Site{Name: "Service des stages, Université Grenoble Alpes"},
		Now:  func() time.Time { return f.clock }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Wake: func() { f.wakes.Add(1) }, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		Offsets: []int{7, 2}})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler = s.Handler()
	f.s = s
	return f
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// key is a student's current link key.
func (f *fixture) key(t *testing.T, id int64) []byte {
	t.Helper()
	return f.sub(t, id).LinkKey
}

func (f *fixture) subLinks(t *testing.T, id int64) notify.Links {
	t.Helper()
	return f.links.SubscriberLinks(id, f.key(t, id))
}

func (f *fixture) offerLinks(t *testing.T, id, offer int64) (page, applied, notInterested string) {
	t.Helper()
	return f.links.OfferLinks(id, f.key(t, id), offer)
}

// signed is the link for a claim of student id, signed with their key.
func (f *fixture) signed(t *testing.T, id int64, action string, offer int64) string {
	t.Helper()
	return f.srv.URL + "/a/" + f.signer.Sign(token.Claim{Subscriber: id, Action: action, Offer: offer, Issued: f.clock}, f.key(t, id))
}

func (f *fixture) sub(t *testing.T, id int64) store.Subscriber {
	t.Helper()
	s, err := f.st.SubscriberByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGetNeverChangesState(t *testing.T) {
	f := newFixture(t)
	l := f.subLinks(t, f.alice)
	_, applied, notInterested := f.offerLinks(t, f.alice, f.offer)
	for _, u := range []string{l.Unsubscribe, l.Pause, l.Language, applied, notInterested, f.links.ConfirmLink(f.bob, f.key(t, f.bob))} {
		code, body := get(t, u)
		if code != http.StatusOK || !strings.Contains(body, "<form method=\"post\">") {
			t.Errorf("GET %s: %d, want a confirmation form:\n%s", u, code, body)
		}
	}
	if a := f.sub(t, f.alice); a.State != store.StateActive || a.Lang != "fr" {
		t.Errorf("GET changed alice: %+v", a)
	}
	if b := f.sub(t, f.bob); b.State != store.StatePending {
		t.Errorf("GET confirmed bob: %s", b.State)
	}
	if fl, _ := f.st.FollowedOffers(context.Background(), f.alice); len(fl) != 1 {
		t.Errorf("GET changed what alice follows: %v", fl)
	}
}

func TestPostActsOnceAndRepeatIsHarmless(t *testing.T) {
	f := newFixture(t)
	l := f.subLinks(t, f.alice)
	for i := 0; i < 2; i++ {
		code, body, _ := post(t, l.Language, nil)
		if code != http.StatusOK {
			t.Fatalf("POST language: %d %s", code, body)
		}
	}
	// Language toggles: twice is back to French. Every other action is
	// idempotent; language is the one toggle, so check it flipped each time.
	if a := f.sub(t, f.alice); a.Lang != "fr" {
		t.Errorf("lang after two toggles = %s", a.Lang)
	}
	_, applied, _ := f.offerLinks(t, f.alice, f.offer)
	for i := 0; i < 2; i++ {
		if code, body, _ := post(t, applied, nil); code != http.StatusOK || !strings.Contains(body, "Bravo") {
			t.Fatalf("POST applied #%d: %d %s", i, code, body)
		}
	}
	if fl, _ := f.st.FollowedOffers(context.Background(), f.alice); len(fl) != 0 {
		t.Errorf("still following after 'applied': %v", fl)
	}
	code, body, _ := post(t, l.Pause, nil)
	if code != http.StatusOK || f.sub(t, f.alice).State != store.StatePaused || !strings.Contains(body, "Reprendre mes rappels") {
		t.Fatalf("pause: %d %s", code, body)
	}
	if code, _, _ := post(t, f.links.ConfirmLink(f.bob, f.key(t, f.bob)), nil); code != http.StatusOK || f.sub(t, f.bob).State != store.StateActive {
		t.Errorf("confirm: %d %s", code, f.sub(t, f.bob).State)
	}
	// The resume button of the pause page, then the same actions again.
	resume := f.signed(t, f.alice, token.Resume, 0)
	for i := 0; i < 2; i++ {
		if code, _, _ := post(t, resume, nil); code != http.StatusOK || f.sub(t, f.alice).State != store.StateActive {
			t.Errorf("resume #%d: %d %s", i, code, f.sub(t, f.alice).State)
		}
	}
	_, _, notInterested := f.offerLinks(t, f.bob, f.offer)
	for i := 0; i < 2; i++ {
		if code, body, _ := post(t, notInterested, nil); code != http.StatusOK || !strings.Contains(body, "Noted") {
			t.Errorf("not interested #%d: %d %s", i, code, body)
		}
	}
	if fl, _ := f.st.FollowedOffers(context.Background(), f.bob); len(fl) != 0 {
		t.Errorf("bob still follows after 'not interested': %v", fl)
	}
}

func TestOneClickUnsubscribe(t *testing.T) {
	f := newFixture(t)
	u := f.subLinks(t, f.alice).Unsubscribe
	code, body, hdr := post(t, u, url.Values{"List-Unsubscribe": {"One-Click"}})
	if code != http.StatusOK || hdr.Get("Location") != "" || strings.Contains(body, "<html") {
		t.Errorf("RFC 8058 POST: %d location %q body %q", code, hdr.Get("Location"), body)
	}
	if s := f.sub(t, f.alice).State; s != store.StateUnsubscribed {
		t.Errorf("state = %s", s)
	}
}

func TestForgedTokensRefused(t *testing.T) {
	f := newFixture(t)
	good := f.subLinks(t, f.alice).Unsubscribe
	other, _ := token.NewSigner(bytes.Repeat([]byte("z"), 32))
	_, appliedOther, _ := f.offerLinks(t, f.alice, 999)
	for name, u := range map[string]string{
		"truncated":          good[:len(good)-4],
		"bob's key":          f.srv.URL + "/a/" + f.signer.Sign(token.Claim{Subscriber: f.alice, Action: token.Unsubscribe, Issued: now}, f.key(t, f.bob)),
		"other key":          f.srv.URL + "/a/" + other.Sign(token.Claim{Subscriber: f.alice, Action: token.Unsubscribe, Issued: now}, f.key(t, f.alice)),
		"unknown subscriber": f.srv.URL + "/a/" + f.signer.Sign(token.Claim{Subscriber: 777, Action: token.Unsubscribe, Issued: now}, f.key(t, f.alice)),
		"unknown offer":      appliedOther,
		"garbage":            f.srv.URL + "/a/%3Cscript%3E",
	} {
		code, body, _ := post(t, u, url.Values{"List-Unsubscribe": {"One-Click"}})
		if code != http.StatusNotFound || !strings.Contains(body, "Lien invalide") {
			t.Errorf("%s: POST %d %q", name, code, body)
		}
	}
	if a, b := f.sub(t, f.alice), f.sub(t, f.bob); a.State != store.StateActive || b.State != store.StatePending {
		t.Errorf("a refused token changed state: alice %s bob %s", a.State, b.State)
	}
}

// TestUnsubscribeIsFinalForLinks: once a student unsubscribed, none of the
// links of their earlier emails acts (pause then resume cannot revive
// them), and the feed stops.
func TestUnsubscribeIsFinalForLinks(t *testing.T) {
	f := newFixture(t)
	l := f.subLinks(t, f.alice)
	_, applied, _ := f.offerLinks(t, f.alice, f.offer)
	resume := f.signed(t, f.alice, token.Resume, 0)
	if code, _, _ := post(t, l.Unsubscribe, nil); code != http.StatusOK {
		t.Fatalf("unsubscribe: %d", code)
	}
	for name, u := range map[string]string{"pause": l.Pause, "resume": resume, "language": l.Language,
		"applied": applied, "unsubscribe again": l.Unsubscribe} {
		if code, body, _ := post(t, u, nil); code != http.StatusNotFound || !strings.Contains(body, "déjà désabonn") && !strings.Contains(body, "venez de vous désabonner") {
			t.Errorf("%s after unsubscribe: %d %.200s", name, code, body)
		}
	}
	if code, _ := get(t, l.Feed); code != http.StatusNotFound {
		t.Errorf("feed after unsubscribe: %d", code)
	}
	if a := f.sub(t, f.alice); a.State != store.StateUnsubscribed || a.Lang != "fr" {
		t.Errorf("alice after the old links: %s %s", a.State, a.Lang)
	}
	if fl, _ := f.st.FollowedOffers(context.Background(), f.alice); len(fl) != 1 {
		t.Errorf("an old applied link acted after unsubscribe: %v", fl)
	}
}

// TestOneClickBodyOnlyUnsubscribes: RFC 8058's body posted to a pause link
// is refused and changes nothing, instead of answering "unsubscribed".
func TestOneClickBodyOnlyUnsubscribes(t *testing.T) {
	f := newFixture(t)
	code, body, _ := post(t, f.subLinks(t, f.alice).Pause, url.Values{"List-Unsubscribe": {"One-Click"}})
	if code != http.StatusBadRequest || strings.Contains(body, "unsubscribed") {
		t.Errorf("one-click body on a pause link: %d %q", code, body)
	}
	if a := f.sub(t, f.alice); a.State != store.StateActive {
		t.Errorf("state = %s", a.State)
	}
}

// TestRemovedStudentLinksDie: a removed student's links answer an error
// page and change nothing, even for the next student added.
func TestRemovedStudentLinksDie(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	last, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "last@example.org", FollowAll: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	l := f.subLinks(t, last)
	_, applied, _ := f.offerLinks(t, last, f.offer)
	if err := f.st.RemoveSubscriber(ctx, "last@example.org"); err != nil {
		t.Fatal(err)
	}
	next, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "new@example.org", FollowAll: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]string{"unsubscribe": l.Unsubscribe, "pause": l.Pause, "applied": applied} {
		if code, body := get(t, u); code != http.StatusNotFound || strings.Contains(body, "new@example.org") {
			t.Errorf("GET %s of the removed student: %d %.200s", name, code, body)
		}
		if code, _, _ := post(t, u, nil); code != http.StatusNotFound {
			t.Errorf("POST %s of the removed student: %d", name, code)
		}
	}
	if code, body := get(t, l.Feed); code != http.StatusNotFound || strings.Contains(body, "offer=") {
		t.Errorf("feed of the removed student: %d %s", code, body)
	}
	n := f.sub(t, next)
	if n.State != store.StateActive {
		t.Errorf("the new student is %s", n.State)
	}
	if fl, _ := f.st.FollowedOffers(ctx, next); len(fl) != 1 {
		t.Errorf("the new student's follows changed: %v", fl)
	}
}

func TestExpiredLinks(t *testing.T) {
	f := newFixture(t)
	l := f.subLinks(t, f.alice)
	f.clock = now.Add(200 * 24 * time.Hour)
	if code, body, _ := post(t, l.Pause, nil); code != http.StatusGone || !strings.Contains(body, "expiré") {
		t.Errorf("pause link after 200 days: %d %.200s", code, body)
	}
	if a := f.sub(t, f.alice); a.State != store.StateActive {
		t.Errorf("an expired link paused: %s", a.State)
	}
	if code, _ := get(t, l.Feed); code != http.StatusOK {
		t.Errorf("feed after 200 days: %d, want it alive", code)
	}
	if code, _, _ := post(t, l.Unsubscribe, nil); code != http.StatusOK || f.sub(t, f.alice).State != store.StateUnsubscribed {
		t.Errorf("unsubscribe link after 200 days: %d, want it alive", code)
	}
}

func TestPrivateOfferPages(t *testing.T) {
	f := newFixture(t)
	f.links.public = false
	if code, _ := get(t, fmt.Sprintf("%s/offers/%d", f.srv.URL, f.offer)); code != http.StatusNotFound {
		t.Errorf("public offer page served when offers are private: %d", code)
	}
	page, _, _ := f.offerLinks(t, f.alice, f.offer)
	if !strings.Contains(page, "/o/") {
		t.Fatalf("page link = %s", page)
	}
	if code, body := get(t, page); code != http.StatusOK || !strings.Contains(body, "avant le 31 octobre 2025") {
		t.Errorf("signed offer page: %d %.200s", code, body)
	}
	if code, _ := get(t, f.subLinks(t, f.alice).Pause); code != http.StatusOK {
		t.Fatal("pause page")
	}
	// An action token is not an offer page, and an offer page token is no action.
	if code, _ := get(t, strings.Replace(f.subLinks(t, f.alice).Pause, "/a/", "/o/", 1)); code != http.StatusNotFound {
		t.Errorf("action token served an offer page: %d", code)
	}
	if code, _, _ := post(t, strings.Replace(page, "/o/", "/a/", 1), nil); code != http.StatusNotFound {
		t.Errorf("offer page token accepted as an action: %d", code)
	}
}

func TestFeedAndOfferPage(t *testing.T) {
	f := newFixture(t)
	feed := f.subLinks(t, f.alice).Feed
	code, body := get(t, feed)
	if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf("offer=%d rev=1 last=2025-10-30 url=%s/offers/%d", f.offer, f.srv.URL, f.offer)) {
		t.Errorf("feed: %d %s", code, body)
	}
	// A feed token does not unsubscribe, and an action token is no feed.
	tok := strings.TrimSuffix(feed[strings.LastIndex(feed, "/")+1:], ".ics")
	if code, _, _ := post(t, f.srv.URL+"/a/"+tok, nil); code != http.StatusNotFound {
		t.Errorf("feed token accepted as an action: %d", code)
	}
	unsub := f.subLinks(t, f.alice).Unsubscribe
	if code, _ := get(t, f.srv.URL+"/feed/"+unsub[strings.LastIndex(unsub, "/")+1:]+".ics"); code != http.StatusNotFound {
		t.Errorf("action token served a feed: %d", code)
	}
	code, body = get(t, fmt.Sprintf("%s/offers/%d", f.srv.URL, f.offer))
	if code != http.StatusOK || strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>médiation") ||
		!strings.Contains(body, "avant le 31 octobre 2025") || !strings.Contains(body, "jeudi 30 octobre 2025") {
		t.Errorf("offer page not escaped or incomplete: %d\n%s", code, body)
	}
	if code, _ := get(t, f.srv.URL+"/offers/12345"); code != http.StatusNotFound {
		t.Errorf("unknown offer page: %d", code)
	}
}

// TestOffersAtom: /offers.atom lists the open offers (title, organisation,
// last day, link) as Atom, not the closed ones, and is not served when
// offers are not public.
func TestOffersAtom(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	closed := time.Date(2025, 10, 1, 22, 0, 0, 0, time.UTC)
	if _, err := f.st.AddOffer(ctx, offer.Offer{File: "https://emploi.example/o/7", Title: "Stage fermé", Text: "fermé",
		Deadline: offer.Deadline{Kind: offer.KindExplicit, LastDay: "2025-10-01", DueAt: &closed}}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.AddOffer(ctx, offer.Offer{File: "https://emploi.example/o/8", Title: "Alternance comptable", Organisation: "Ville de Voiron",
		Text: "sans date", Deadline: offer.Deadline{Kind: offer.KindNone}}, now); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(f.srv.URL + "/offers.atom")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
			Author  string `xml:"author>name"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("content type %q", ct)
	}
	if err := xml.NewDecoder(resp.Body).Decode(&feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 2 {
		t.Fatalf("%d entries, want the 2 open offers: %+v", len(feed.Entries), feed.Entries)
	}
	e := feed.Entries[0]
	if e.Title != "Stage <b>médiation</b>" || e.Author != "Cosmocité" || !strings.Contains(e.Summary, "jeudi 30 octobre 2025") ||
		e.Link.Href != fmt.Sprintf("%s/offers/%d", f.srv.URL, f.offer) {
		t.Errorf("first entry %+v", e)
	}
	if e := feed.Entries[1]; e.Link.Href != "https://emploi.example/o/8" || !strings.Contains(e.Summary, "sans date limite indiquée") {
		t.Errorf("second entry %+v", e)
	}
	f.links.public = false
	if code, _ := get(t, f.srv.URL+"/offers.atom"); code != http.StatusNotFound {
		t.Errorf("offers not public: /offers.atom answered %d, want 404", code)
	}
}
