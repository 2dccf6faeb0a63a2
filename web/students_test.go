package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

var formRE = regexp.MustCompile(`name="form" value="([^"]+)"`)

// formOf returns the form token of the page at u.
func formOf(t *testing.T, u string) string {
	t.Helper()
	code, body := get(t, u)
	m := formRE.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no form token\n%s", u, code, body)
	}
	return html.UnescapeString(m[1])
}

// postFrom posts form to u as a browser on the same site would, from the
// client address xff names (through the trusted proxy 127.0.0.1).
func postFrom(t *testing.T, u string, form url.Values, site, xff string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
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
	return resp.StatusCode, b.String(), resp.Header
}

func (f *fixture) addOffers(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		due := now.AddDate(0, 0, 30+i)
		// Distinct words, so that no two texts pass for one offer.
		var words []string
		x := uint32(i*2654435761 + 12345)
		for range 40 {
			x = x*1103515245 + 12345
			words = append(words, fmt.Sprintf("w%x", x>>20))
		}
		o := offer.Offer{File: fmt.Sprintf("o%d.txt", i), Title: fmt.Sprintf("Alternance numéro %d", i), Organisation: "Orga",
			Text:     fmt.Sprintf("Alternance en développement, poste %d, Lyon 69003. %s", i, strings.Join(words, " ")),
			Deadline: offer.Deadline{Kind: offer.KindExplicit, LastDay: due.Format("2006-01-02"), DueAt: &due}}
		if _, err := f.st.AddOffer(context.Background(), o, now); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHomeListsFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	f.addOffers(t, 25)
	code, body := get(t, f.srv.URL+"/")
	if code != http.StatusOK || !strings.Contains(body, "26 offres") || !strings.Contains(body, "Page 1 sur 2") {
		t.Fatalf("GET /: %d\n%s", code, body)
	}
	// The nearest last day first: the fixture's offer (30 October).
	if i, j := strings.Index(body, "médiation"), strings.Index(body, "Alternance numéro 0"); i < 0 || j < 0 || i > j {
		t.Errorf("the nearest last day is not first")
	}
	if strings.Contains(body, "<b>") {
		t.Error("an offer's title was not escaped")
	}
	_, body = get(t, f.srv.URL+"/?page=2")
	if !strings.Contains(body, "Alternance numéro 24") || strings.Contains(body, "Alternance numéro 0<") {
		t.Errorf("page 2:\n%s", body)
	}
	// Accents ignored: "mediation" finds "médiation"; the type filter.
	_, body = get(t, f.srv.URL+"/?q=mediation")
	if !strings.Contains(body, "1 offre<") || !strings.Contains(body, "médiation") {
		t.Errorf("?q=mediation:\n%s", body)
	}
	_, body = get(t, f.srv.URL+"/?q=69&type=alternance")
	if !strings.Contains(body, "25 offres") {
		t.Errorf("?q=69&type=alternance:\n%s", body)
	}
	if code, body := get(t, f.srv.URL+"/?type=nimporte"); code != http.StatusOK || !strings.Contains(body, "26 offres") {
		t.Errorf("an unknown type is not a filter: %d", code)
	}
	if code, _ := get(t, f.srv.URL+"/?q=type:nimporte"); code != http.StatusBadRequest {
		t.Errorf("a bad search: %d, want 400", code)
	}
	// The offer page has its follow button.
	_, body = get(t, fmt.Sprintf("%s/offers/%d", f.srv.URL, f.offer))
	if !strings.Contains(body, "Suivre cette offre") || !strings.Contains(body, fmt.Sprintf("/subscribe?offer=%d", f.offer)) {
		t.Errorf("offer page without its follow button:\n%s", body)
	}
}

func TestHomeWithoutPublicOffers(t *testing.T) {
	f := newFixture(t)
	f.links.public = false
	code, body := get(t, f.srv.URL+"/")
	if code != http.StatusOK || strings.Contains(body, "médiation") || !strings.Contains(body, `action="`+f.srv.URL+`/subscribe"`) || !strings.Contains(body, `name="email"`) {
		t.Errorf("GET / with public_offers off: %d\n%s", code, body)
	}
	if code, _ := get(t, fmt.Sprintf("%s/offers/%d", f.srv.URL, f.offer)); code != http.StatusNotFound {
		t.Errorf("offer page with public_offers off: %d", code)
	}
}

func TestSubscribeDoubleOptIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.srv.URL + "/subscribe"
	form := url.Values{"form": {formOf(t, fmt.Sprintf("%s?offer=%d", u, f.offer))}, "email": {"Chloe@Example.org"},
		"lang": {"en"}, "offsets": {"10, 3"}, "offer": {fmt.Sprint(f.offer)}}
	code, page, _ := postFrom(t, u, form, "same-origin", "")
	if code != http.StatusOK || !strings.Contains(page, "Check your mailbox") {
		t.Fatalf("POST /subscribe: %d\n%s", code, page)
	}
	sub, err := f.st.SubscriberByEmail(ctx, "chloe@example.org")
	if err != nil || sub.State != store.StatePending || sub.Lang != "en" || fmt.Sprint(sub.Offsets) != "[10 3]" ||
		fmt.Sprint(sub.Offers) != fmt.Sprint([]int64{f.offer}) {
		t.Fatalf("stored %+v %v, want pending, en, [10 3], following the offer", sub, err)
	}
	if f.wakes.Load() != 1 {
		t.Errorf("%d wakes, want 1", f.wakes.Load())
	}
	toConfirm, _ := f.st.ToConfirm(ctx, 10)
	var found bool
	for _, s := range toConfirm {
		found = found || s.ID == sub.ID && s.ByWeb
	}
	if !found {
		t.Errorf("the new student is not to confirm, by the web: %+v", toConfirm)
	}
	// An active student (alice) and an unknown address get the same page.
	for _, email := range []string{"alice@example.org", "nobody@example.org"} {
		form.Set("email", email)
		form.Set("form", formOf(t, u))
		_, other, _ := postFrom(t, u, form, "same-origin", "")
		strip := regexp.MustCompile(`value="[^"]*"`)
		if strip.ReplaceAllString(other, "") != strip.ReplaceAllString(page, "") {
			t.Errorf("the answer for %s differs from a new address's", email)
		}
	}
	alice, _ := f.st.SubscriberByID(ctx, f.alice)
	if alice.State != store.StateActive {
		t.Errorf("alice is %s", alice.State)
	}
	links, _ := f.st.LinksToSend(ctx, 10)
	if len(links) != 1 || links[0].ID != f.alice {
		t.Errorf("manage links to send: %+v, want alice's", links)
	}
	// Bad input: the form again, with the problem, and nothing stored.
	for _, bad := range []url.Values{{"email": {"pas une adresse"}}, {"email": {"d@example.org"}, "offsets": {"400"}},
		{"email": {"d@example.org"}, "search": {"type:rien"}}} {
		bad.Set("form", formOf(t, u))
		if code, body, _ := postFrom(t, u, bad, "same-origin", ""); code != http.StatusBadRequest || !strings.Contains(body, `class="err"`) {
			t.Errorf("%v: %d", bad, code)
		}
	}
	if _, err := f.st.SubscriberByEmail(ctx, "d@example.org"); err == nil {
		t.Error("a bad sign-up was stored")
	}
}

// TestListBombing: 20 sign-ups for one address, from 20 client addresses
// behind the trusted proxy, queue one confirmation; one client is limited
// to SignUpsPerClient requests a day whatever the addresses.
func TestListBombing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.srv.URL + "/subscribe"
	for i := range 20 {
		form := url.Values{"form": {formOf(t, u)}, "email": {"victim@example.org"}}
		if code, _, _ := postFrom(t, u, form, "same-origin", fmt.Sprintf("198.51.100.%d", i+1)); code != http.StatusOK {
			t.Fatalf("POST %d: %d", i, code)
		}
	}
	x, err := f.st.ExportSubscriber(ctx, mustID(t, f.st, "victim@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.SignUps) != 20 || x.WebMailAt == nil {
		t.Errorf("%d sign-ups recorded, want 20", len(x.SignUps))
	}
	clients := map[string]bool{}
	for _, s := range x.SignUps {
		clients[s.ClientDigest] = true
		if strings.Contains(s.ClientDigest, "198.51.100") {
			t.Errorf("a client address is stored: %q", s.ClientDigest)
		}
	}
	if len(clients) != 20 {
		t.Errorf("%d clients told apart, want 20 (X-Forwarded-For from the trusted proxy)", len(clients))
	}
	if n := f.wakes.Load(); n != 1 {
		t.Errorf("%d wakes for 20 sign-ups of one address, want 1", n)
	}
	// One client, many addresses: limited.
	var stored int
	for i := range 8 {
		form := url.Values{"form": {formOf(t, u)}, "email": {fmt.Sprintf("v%d@example.org", i)}}
		postFrom(t, u, form, "same-origin", "203.0.113.9")
		if _, err := f.st.SubscriberByEmail(ctx, fmt.Sprintf("v%d@example.org", i)); err == nil {
			stored++
		}
	}
	if stored != store.SignUpsPerClient {
		t.Errorf("one client signed up %d addresses, want %d", stored, store.SignUpsPerClient)
	}
	// X-Forwarded-For from a client that is not a trusted proxy is ignored.
	got := map[string]bool{}
	for _, xff := range []string{"192.0.2.1", "192.0.2.2"} {
		r := httptestRequest("10.9.9.9:1234", xff)
		got[f.server(t).client(r)] = true
	}
	if len(got) != 1 || !got["10.9.9.9"] {
		t.Errorf("untrusted X-Forwarded-For believed: %v", got)
	}
	// Behind the proxy, the rightmost address the proxy did not add counts.
	if c := f.server(t).client(httptestRequest("127.0.0.1:1", "6.6.6.6, 192.0.2.7")); c != "192.0.2.7" {
		t.Errorf("client behind the proxy: %s", c)
	}
}

func mustID(t *testing.T, st *store.Store, email string) int64 {
	t.Helper()
	s, err := st.SubscriberByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func httptestRequest(remote, xff string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "http://x/subscribe", nil)
	r.RemoteAddr = remote
	r.Header.Set("X-Forwarded-For", xff)
	return r
}

// server returns the fixture's Server, for its unexported parts.
func (f *fixture) server(t *testing.T) *Server {
	t.Helper()
	return f.s
}

func tokenClaim(sub int64) token.Claim {
	return token.Claim{Subscriber: sub, Action: token.Manage, Issued: now}
}

func TestFormsRefuseCrossSiteAndForgedTokens(t *testing.T) {
	f := newFixture(t)
	u := f.srv.URL + "/subscribe"
	good := formOf(t, u)
	cases := map[string]struct {
		form url.Values
		site string
	}{
		"cross-site":      {url.Values{"form": {good}, "email": {"e@example.org"}}, "cross-site"},
		"no form token":   {url.Values{"email": {"e@example.org"}}, "same-origin"},
		"forged token":    {url.Values{"form": {good[:len(good)-2] + "AA"}, "email": {"e@example.org"}}, "same-origin"},
		"the link form's": {url.Values{"form": {formOf(t, f.srv.URL+"/link")}, "email": {"e@example.org"}}, "same-origin"},
	}
	for name, c := range cases {
		if code, _, _ := postFrom(t, u, c.form, c.site, ""); code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, code)
		}
	}
	if _, err := f.st.SubscriberByEmail(context.Background(), "e@example.org"); err == nil {
		t.Error("a refused sign-up was stored")
	}
	// A day later the form token has expired: the form again, not a refusal.
	f.clock = f.clock.Add(25 * time.Hour)
	if code, body, _ := postFrom(t, u, url.Values{"form": {good}, "email": {"e@example.org"}}, "same-origin", ""); code != http.StatusBadRequest ||
		!strings.Contains(body, "expiré") {
		t.Errorf("expired form token: %d", code)
	}
}

func TestManagePage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	aliceKey := f.key(t, f.alice)
	manageA := f.links.ManageLink(f.alice, aliceKey)
	manageB := f.links.ManageLink(f.bob, f.key(t, f.bob))
	code, body := get(t, manageA)
	if code != http.StatusOK || !strings.Contains(body, "alice@example.org") || !strings.Contains(body, "médiation") ||
		!strings.Contains(body, "Gérer mes rappels") || !strings.Contains(body, "planifié au prochain passage") {
		t.Fatalf("GET manage: %d\n%s", code, body)
	}
	formA := formOf(t, manageA)
	formB := formOf(t, manageB)

	// Settings: offsets, language, weekly.
	code, _, hd := postFrom(t, manageA, url.Values{"form": {formA}, "op": {"settings"}, "offsets": {"5,1"}, "lang": {"en"}, "weekly": {"1"}}, "same-origin", "")
	if code != http.StatusSeeOther || !strings.HasSuffix(hd.Get("Location"), "?saved=1") {
		t.Fatalf("POST settings: %d %v", code, hd)
	}
	a, _ := f.st.SubscriberByID(ctx, f.alice)
	if fmt.Sprint(a.Offsets) != "[5 1]" || a.Lang != "en" || !a.Weekly {
		t.Errorf("after settings: %+v", a)
	}
	// Hostile: B's form token on A's page, A's on B's: refused.
	for name, c := range map[string][2]string{"B's form token on A's page": {manageA, formB}, "A's form token on B's page": {manageB, formA}} {
		if code, _, _ := postFrom(t, c[0], url.Values{"form": {c[1]}, "op": {"pause"}}, "same-origin", ""); code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, code)
		}
	}
	// A's manage token cannot name B's offer follow or search: a forged
	// manage token for B under A's key is invalid.
	forged := f.links.base + "/manage/" + f.signer.Sign(tokenClaim(f.bob), aliceKey)
	if code, _ := get(t, forged); code != http.StatusNotFound {
		t.Errorf("a manage token for B signed with A's key: %d", code)
	}
	// Cross-site, even with the right form token.
	if code, _, _ := postFrom(t, manageA, url.Values{"form": {formA}, "op": {"pause"}}, "cross-site", ""); code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", code)
	}
	if b, _ := f.st.SubscriberByID(ctx, f.bob); b.State != store.StatePending {
		t.Errorf("bob changed: %+v", b)
	}
	if a, _ := f.st.SubscriberByID(ctx, f.alice); a.State != store.StateActive {
		t.Errorf("alice paused by a refused POST: %s", a.State)
	}
	// Searches: add (a bad one is said), remove.
	if code, _, _ := postFrom(t, manageA, url.Values{"form": {formA}, "op": {"add_search"}, "search": {"stage 38"}}, "same-origin", ""); code != http.StatusSeeOther {
		t.Errorf("add search: %d", code)
	}
	if code, body, _ := postFrom(t, manageA, url.Values{"form": {formA}, "op": {"add_search"}, "search": {"type:rien"}}, "same-origin", ""); code != http.StatusBadRequest || !strings.Contains(body, "type:rien") {
		t.Errorf("bad search: %d", code)
	}
	qs, _ := f.st.SearchesOf(ctx, f.alice)
	if len(qs) != 1 {
		t.Fatalf("searches %+v", qs)
	}
	postFrom(t, manageA, url.Values{"form": {formA}, "op": {"remove_search"}, "search": {fmt.Sprint(qs[0].ID)}}, "same-origin", "")
	if qs, _ := f.st.SearchesOf(ctx, f.alice); len(qs) != 0 {
		t.Errorf("search not removed: %+v", qs)
	}
	// Applied, then pause and resume.
	postFrom(t, manageA, url.Values{"form": {formA}, "op": {"applied"}, "offer": {fmt.Sprint(f.offer)}}, "same-origin", "")
	if fs, _ := f.st.FollowsOf(ctx, f.alice); len(fs) != 1 || fs[0].Status != store.Applied {
		t.Errorf("follows after applied: %+v", fs)
	}
	postFrom(t, manageA, url.Values{"form": {formA}, "op": {"pause"}}, "same-origin", "")
	if a, _ := f.st.SubscriberByID(ctx, f.alice); a.State != store.StatePaused {
		t.Errorf("after pause: %s", a.State)
	}
	// Export: everything about alice, as JSON.
	code, body, hd = postFrom(t, manageA, url.Values{"form": {formA}, "op": {"export"}}, "same-origin", "")
	var x store.Export
	if err := json.Unmarshal([]byte(body), &x); code != http.StatusOK || err != nil || x.Email != "alice@example.org" ||
		len(x.Follows) != 1 || !strings.Contains(hd.Get("Content-Disposition"), "attachment") {
		t.Errorf("export: %d %v %+v", code, err, x)
	}
	// Delete: alice is gone, her links stop working, bob is untouched.
	code, body, _ = postFrom(t, manageA, url.Values{"form": {formA}, "op": {"delete"}}, "same-origin", "")
	if code != http.StatusOK || !strings.Contains(body, "effacé") && !strings.Contains(body, "erased") {
		t.Errorf("delete: %d\n%s", code, body)
	}
	if _, err := f.st.SubscriberByID(ctx, f.alice); err == nil {
		t.Error("alice still stored")
	}
	if code, _ := get(t, manageA); code != http.StatusNotFound {
		t.Errorf("manage link after erasure: %d", code)
	}
	if code, _ := get(t, f.links.SubscriberLinks(f.alice, aliceKey).Unsubscribe); code != http.StatusNotFound {
		t.Errorf("unsubscribe link after erasure: %d", code)
	}
	if _, err := f.st.SubscriberByID(ctx, f.bob); err != nil {
		t.Errorf("bob: %v", err)
	}
}
