package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

const siteName = "Service des stages, Université Grenoble Alpes"

// pageText is what a reader sees of a page: its text nodes.
func pageText(t *testing.T, doc string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(doc))
	var b strings.Builder
	skip := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			skip = string(name) == "style"
		case html.EndTagToken:
			skip = false
		case html.TextToken:
			if !skip {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

func getLang(t *testing.T, u, accept string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// checkPage reads a page as a student would: the institution's name, the
// page's language, and, in French, a no-break space before ; : ! ? in the
// page's own words (the offer's text is shown as written).
func checkPage(t *testing.T, what, lang, doc string) {
	t.Helper()
	if !strings.Contains(doc, `<html lang="`+lang+`">`) {
		t.Errorf("%s: not in %s", what, lang)
	}
	text := pageText(t, doc)
	if !strings.Contains(text, siteName) {
		t.Errorf("%s: no %q", what, siteName)
	}
	if i := strings.Index(text, "<pre>"); i >= 0 {
		text = text[:i]
	}
	// The text of the offer itself (after its heading) is the offer's.
	for _, h := range []string{"Texte de l'offre", "Text of the offer"} {
		if i := strings.Index(text, h); i >= 0 {
			text = text[:i]
		}
	}
	text = regexp.MustCompile(`(https?|mailto):\S+`).ReplaceAllString(text, "URL")
	if lang == "fr" {
		for _, bad := range catalog.Mistakes(text, ";:!?") {
			t.Errorf("%s: typography: %s", what, bad)
		}
	}
	if strings.Contains(text, "**") {
		t.Errorf("%s: Markdown left", what)
	}
}

// TestOfferPagesOfTheCorpora serves the page of every offer of the
// deadline corpora in both languages.
func TestOfferPagesOfTheCorpora(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	names, _ := filepath.Glob(filepath.Join("..", "offer", "testdata", "deadlines*", "*.txt"))
	if len(names) < 200 {
		t.Fatalf("%d corpus offers", len(names))
	}
	for i, name := range names {
		if i%4 != 0 {
			continue // a quarter of them keeps the test short
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		o, err := offer.Parse(name, data, offer.Options{Now: now})
		if err != nil {
			continue
		}
		res, err := f.st.AddOffer(ctx, o, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "en"} {
			code, doc := getLang(t, fmt.Sprintf("%s/offers/%d", f.srv.URL, res.ID), lang)
			if code != http.StatusOK {
				t.Fatalf("%s: %d", name, code)
			}
			checkPage(t, filepath.Base(name)+" "+lang, lang, doc)
		}
	}
}

// TestPagesSpeakTheStudentsLanguage: a link's pages are in its student's
// language, public pages in the browser's, and every page is signed by the
// institution and typeset.
func TestPagesSpeakTheStudentsLanguage(t *testing.T) {
	f := newFixture(t) // alice is French, bob English
	bobLinks := f.subLinks(t, f.bob)
	code, doc := get(t, bobLinks.Pause)
	if code != http.StatusOK || !strings.Contains(doc, "Pause the reminders sent to bob@example.org?") {
		t.Errorf("bob's pause page: %d %.300s", code, doc)
	}
	checkPage(t, "bob's pause page", "en", doc)
	code, doc = get(t, f.subLinks(t, f.alice).Pause)
	if code != http.StatusOK || !strings.Contains(doc, "Suspendre les rappels envoyés à alice@example.org\u202f?") {
		t.Errorf("alice's pause page: %d %.300s", code, doc)
	}
	checkPage(t, "alice's pause page", "fr", doc)
	// The language page speaks the language it switches to.
	code, doc = get(t, f.subLinks(t, f.alice).Language)
	if code != http.StatusOK || !strings.Contains(doc, "Receive the reminders in English?") || !strings.Contains(doc, `lang="en"`) {
		t.Errorf("alice's language page: %d %.300s", code, doc)
	}
	if code, _, _ := post(t, f.subLinks(t, f.alice).Language, nil); code != http.StatusOK || f.sub(t, f.alice).Lang != "en" {
		t.Errorf("language switch: %d %s", code, f.sub(t, f.alice).Lang)
	}
	page := fmt.Sprintf("%s/offers/%d", f.srv.URL, f.offer)
	for accept, want := range map[string]string{"": "Dernier jour pour postuler", "en-GB,en;q=0.9": "Last day to apply",
		"de-DE,fr;q=0.5": "Dernier jour pour postuler"} {
		if code, doc := getLang(t, page, accept); code != http.StatusOK || !strings.Contains(doc, want) {
			t.Errorf("offer page for %q: %d, want %q", accept, code, want)
		}
	}
	if _, doc := get(t, page+"?lang=en"); !strings.Contains(doc, "Last day to apply") {
		t.Error("?lang=en does not give English")
	}
	// Invalid links answer in the browser's language.
	if _, doc := getLang(t, f.srv.URL+"/a/nope", "en"); !strings.Contains(doc, "Invalid link") {
		t.Errorf("invalid link in English: %.200s", doc)
	}
}

// TestStaffSetDeadlinePage: the page of an offer whose deadline the team
// set says so, and quotes no phrase as the offer's.
func TestStaffSetDeadlinePage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	due := time.Date(2025, 11, 14, 23, 59, 59, 0, time.UTC)
	d := offer.Deadline{Kind: offer.KindExplicit, Date: "2025-11-14", LastDay: "2025-11-14", DueAt: &due, Basis: notify.BasisStaff}
	if err := f.st.SetDeadline(ctx, f.offer, d, now); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"fr": "Cette date a été fixée par l'équipe (" + siteName + ")\u202f;",
		"en": "This date was set by the team (" + siteName + ");"} {
		code, doc := getLang(t, fmt.Sprintf("%s/offers/%d?lang=%s", f.srv.URL, f.offer, lang), "")
		if code != http.StatusOK || !strings.Contains(html.UnescapeString(doc), want) || strings.Contains(doc, "avant le 31 octobre") && strings.Contains(doc, "indique") {
			t.Errorf("%s staff-set page: %d, want %q\n%s", lang, code, want, doc)
		}
	}
}

// TestStopSearchLink: the link of a "new offer" notice deletes that saved
// search only, once, for its own student.
func TestStopSearchLink(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	carol, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "carol@example.org", Searches: []string{"médiation 38", "stage"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	qs, _ := f.st.SearchesOf(ctx, carol)
	link := f.links.StopSearchLink(carol, f.key(t, carol), qs[0].ID)
	code, doc := get(t, link)
	if code != http.StatusOK || !strings.Contains(doc, "«\u202fmédiation 38\u202f»") {
		t.Fatalf("stop-search page: %d %.400s", code, doc)
	}
	if code, _, _ := post(t, link, nil); code != http.StatusOK {
		t.Fatalf("stop-search: %d", code)
	}
	if left, _ := f.st.SearchesOf(ctx, carol); len(left) != 1 || left[0].Query != "stage" {
		t.Errorf("searches left: %+v", left)
	}
	if code, _, _ := post(t, link, nil); code != http.StatusNotFound {
		t.Errorf("the same link again: %d", code)
	}
	// Alice's key cannot stop Carol's search.
	other := f.srv.URL + "/a/" + f.signer.Sign(token.Claim{Subscriber: f.alice, Action: token.StopSearch, Offer: qs[1].ID, Issued: now}, f.key(t, f.alice))
	if code, _, _ := post(t, other, url.Values{}); code != http.StatusNotFound {
		t.Errorf("another student's search: %d", code)
	}
	if left, _ := f.st.SearchesOf(ctx, carol); len(left) != 1 {
		t.Errorf("carol's other search was deleted by alice's link")
	}
}

// TestReviewButtons: the review email's buttons act on POST only, for the
// revision they were written for; a student's link is no review button.
func TestReviewButtons(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	confirm, none, open := f.links.ReviewLinks(f.offer, 1)
	if !strings.HasSuffix(open, fmt.Sprintf("/admin/offers/%d/", f.offer)) {
		t.Errorf("open = %s", open)
	}
	code, doc := get(t, confirm)
	if code != http.StatusOK || !strings.Contains(doc, "<form method=\"post\">") || !strings.Contains(doc, "avant le 31 octobre 2025") {
		t.Fatalf("GET confirm: %d %.300s", code, doc)
	}
	if state, _, _ := f.st.ReviewState(ctx, f.offer); state != store.ReviewNone {
		t.Errorf("GET changed the review state: %s", state)
	}
	if code, _, _ := post(t, confirm, nil); code != http.StatusOK {
		t.Fatalf("POST confirm: %d", code)
	}
	if state, _, _ := f.st.ReviewState(ctx, f.offer); state != store.ReviewConfirmed {
		t.Errorf("after confirm: %s", state)
	}
	if code, _, _ := post(t, none, nil); code != http.StatusOK {
		t.Fatalf("POST none: %d", code)
	}
	o, _ := f.st.Offer(ctx, f.offer)
	if o.Deadline.Kind != offer.KindNone {
		t.Errorf("after none: %+v", o.Deadline)
	}
	// The offer changed (revision 2): the buttons of revision 1 do nothing.
	if code, _, _ := post(t, confirm, nil); code != http.StatusNotFound {
		t.Errorf("a stale button: %d", code)
	}
	student := strings.Replace(f.subLinks(t, f.alice).Unsubscribe, "/a/", "/r/", 1)
	if code, _, _ := post(t, student, nil); code != http.StatusNotFound {
		t.Errorf("a student's link at /r/: %d", code)
	}
}
