package console

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

var t0 = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)

type fixture struct {
	st  *store.Store
	srv *httptest.Server
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Paris")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &fixture{st: st, now: t0}
	c, err := New(Deps{Store: st, Ingester: ingest.New(st, loc, 30*24*time.Hour, log), Catalog: cat, Location: loc,
		NextRun: func(t time.Time) time.Time { return t.Add(10 * time.Minute) }, Now: func() time.Time { return f.now },
		Log: log, FailDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(c.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// browser is a client with its own cookies that does not follow redirects.
func (f *fixture) browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "fr")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

// login creates an admin, sets their password through the one-time link
// and logs in; it returns the browser and the session's CSRF token.
func (f *fixture) login(t *testing.T, email string) (*http.Client, string) {
	t.Helper()
	secret, err := f.st.AddAdmin(context.Background(), email, f.now)
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser(t)
	if resp, page := do(t, b, "GET", f.srv.URL+"/admin/setup/"+secret, nil); resp.StatusCode != 200 || !strings.Contains(page, email) {
		t.Fatalf("setup page: %s\n%s", resp.Status, page)
	}
	resp, _ := do(t, b, "POST", f.srv.URL+"/admin/setup/"+secret, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %s", resp.Status)
	}
	resp, _ = do(t, b, "POST", f.srv.URL+"/admin/login", url.Values{"email": {email}, "password": {"correct horse battery"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("login: %s %v", resp.Status, resp.Header)
	}
	_, page := do(t, b, "GET", f.srv.URL+"/admin/", nil)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the dashboard:\n%s", page)
	}
	return b, m[1]
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "horse") {
		t.Errorf("hash %q", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterz") || CheckPassword("", "") ||
		CheckPassword("$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "x") {
		t.Error("CheckPassword is wrong")
	}
	for pw, want := range map[string]string{"short": "console_password_short", "twelve chars": "", strings.Repeat("x", 2000): "console_password_long"} {
		if got := CheckNewPassword(pw, pw); got != want {
			t.Errorf("CheckNewPassword(%.20q) = %q, want %q", pw, got, want)
		}
	}
	if CheckNewPassword("twelve chars", "twelve charz") != "console_password_mismatch" {
		t.Error("a mismatch was accepted")
	}
}

// TestSessionsAndCSRF: the cookie's flags, the headers, a POST without a
// session, without the token and from another site, logout.
func TestSessionsAndCSRF(t *testing.T) {
	f := newFixture(t)
	anon := f.browser(t)
	resp, _ := do(t, anon, "GET", f.srv.URL+"/admin/offers?q=x", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login?next=%2Fadmin%2Foffers%3Fq%3Dx" {
		t.Errorf("GET without a session: %s %s", resp.Status, resp.Header.Get("Location"))
	}
	resp, _ = do(t, anon, "POST", f.srv.URL+"/admin/offers/1/archive", url.Values{"csrf": {"x"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
		t.Errorf("POST without a session: %s", resp.Status)
	}

	b, _ := f.login(t, "stages@univ.example")
	u, _ := url.Parse(f.srv.URL + "/admin/")
	cookies := b.Jar.Cookies(u)
	if len(cookies) != 1 || cookies[0].Name != cookieName {
		t.Fatalf("cookies: %+v", cookies)
	}
	resp, page := do(t, b, "GET", f.srv.URL+"/admin/", nil)
	for k, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if !strings.Contains(resp.Header.Get(k), want) {
			t.Errorf("%s = %q", k, resp.Header.Get(k))
		}
	}
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "script") || strings.Contains(page, "<script") {
		t.Error("the console allows or has scripts")
	}
	// The Set-Cookie of a fresh login.
	secret, _ := f.st.ResetAdmin(context.Background(), "stages@univ.example", f.now)
	c2 := f.browser(t)
	do(t, c2, "POST", f.srv.URL+"/admin/setup/"+secret, url.Values{"password": {"another long secret"}, "confirm": {"another long secret"}})
	resp, _ = do(t, c2, "POST", f.srv.URL+"/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"another long secret"}})
	sc := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"Path=/admin/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	// Setting a password ended the first session.
	if resp, _ := do(t, b, "GET", f.srv.URL+"/admin/", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a session outlived a new password: %s", resp.Status)
	}
	b = c2
	_, page = do(t, b, "GET", f.srv.URL+"/admin/", nil)
	csrf := csrfRE.FindStringSubmatch(page)[1]

	resp, page = do(t, b, "POST", f.srv.URL+"/admin/students", url.Values{"email": {"a@example.org"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "Formulaire refusé") {
		t.Errorf("POST without the CSRF token: %s", resp.Status)
	}
	resp, _ = do(t, b, "POST", f.srv.URL+"/admin/students", url.Values{"email": {"a@example.org"}, "csrf": {strings.Repeat("0", 64)}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a wrong CSRF token: %s", resp.Status)
	}
	req, _ := http.NewRequest("POST", f.srv.URL+"/admin/students", strings.NewReader(url.Values{"email": {"a@example.org"}, "csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := b.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %v %v", resp.Status, err)
	}
	if _, err := f.st.SubscriberByEmail(context.Background(), "a@example.org"); err == nil {
		t.Error("a refused POST added a student")
	}
	resp, _ = do(t, b, "POST", f.srv.URL+"/admin/logout", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %s", resp.Status)
	}
	if resp, _ := do(t, b, "GET", f.srv.URL+"/admin/", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %s", resp.Status)
	}
	// Removing an admin ends their sessions.
	b, _ = f.login(t, "other@univ.example")
	if err := f.st.RemoveAdmin(context.Background(), "other@univ.example"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, b, "GET", f.srv.URL+"/admin/", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the session of a removed admin: %s", resp.Status)
	}
	// A used or unknown setup link.
	if resp, _ := do(t, anon, "GET", f.srv.URL+"/admin/setup/"+secret, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a used link: %s", resp.Status)
	}
	secret, _ = f.st.AddAdmin(context.Background(), "late@univ.example", f.now)
	f.now = f.now.Add(25 * time.Hour)
	if resp, _ := do(t, anon, "GET", f.srv.URL+"/admin/setup/"+secret, nil); resp.StatusCode != http.StatusGone {
		t.Errorf("a link after 25 h: %s", resp.Status)
	}
}

// TestLoginLimit: five failures for an address, wrong password or unknown
// account alike, then 429 with Retry-After, even with the right password;
// 15 minutes later it works.
func TestLoginLimit(t *testing.T) {
	f := newFixture(t)
	f.login(t, "stages@univ.example")
	b := f.browser(t)
	var pages []string
	for i := range 5 {
		email := "stages@univ.example"
		if i%2 == 1 {
			email = "nobody@univ.example"
		}
		resp, page := do(t, b, "POST", f.srv.URL+"/admin/login", url.Values{"email": {email}, "password": {"wrong password!"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %s", i, resp.Status)
		}
		pages = append(pages, strings.ReplaceAll(page, email, ""))
	}
	if pages[0] != pages[1] {
		t.Error("an unknown email and a wrong password get different answers")
	}
	resp, _ := do(t, b, "POST", f.srv.URL+"/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"correct horse battery"}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth try: %s Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
	}
	f.now = f.now.Add(16 * time.Minute)
	if resp, _ := do(t, b, "POST", f.srv.URL+"/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"correct horse battery"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after 16 minutes: %s", resp.Status)
	}
}

const pasted = "Stage en médiation scientifique\nMuséum de Grenoble\nDate limite de candidature : 31 octobre 2025.\nCandidatures : rh@museum.example\n"

func multipartForm(t *testing.T, fields map[string]string, file, name string, data []byte) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if file != "" {
		fw, _ := w.CreateFormFile(file, name)
		fw.Write(data)
	}
	w.Close()
	return w.FormDataContentType(), &buf
}

func post(t *testing.T, b *http.Client, u, ctype string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, body)
	req.Header.Set("Content-Type", ctype)
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(page)
}

// TestOffersAndStudents: paste an offer, edit and archive it, see its
// history; add, edit and import students; everything in the audit log.
func TestOffersAndStudents(t *testing.T) {
	f := newFixture(t)
	b, csrf := f.login(t, "stages@univ.example")
	ctx := context.Background()
	ctype, body := multipartForm(t, map[string]string{"csrf": csrf, "text": pasted}, "", "", nil)
	resp, page := post(t, b, f.srv.URL+"/admin/offers", ctype, body)
	if resp.StatusCode != 200 || !strings.Contains(page, "ajoutée") || !strings.Contains(page, "Stage en médiation scientifique") {
		t.Fatalf("paste: %s\n%s", resp.Status, page)
	}
	offers, _ := f.st.Offers(ctx)
	if len(offers) != 1 || offers[0].Deadline.LastDay != "2025-10-31" {
		t.Fatalf("offers: %+v", offers)
	}
	id := offers[0].ID
	off := f.srv.URL + "/admin/offers/" + itoa(id) + "/"
	resp, _ = do(t, b, "POST", off+"edit", url.Values{"csrf": {csrf}, "title": {"Médiation scientifique"}, "organisation": {"Muséum"},
		"deadline": {"2025-11-15"}, "time": {"12:00"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %s", resp.Status)
	}
	o, _ := f.st.Offer(ctx, id)
	if o.Title != "Médiation scientifique" || o.Deadline.LastDay != "2025-11-15" || o.Deadline.Time != "12:00" {
		t.Errorf("after edit: %q %+v", o.Title, o.Deadline)
	}
	if resp, _ := do(t, b, "POST", off+"edit", url.Values{"csrf": {csrf}, "title": {"x"}, "deadline": {"31/02/2026"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad date: %s", resp.Status)
	}
	if o, _ := f.st.Offer(ctx, id); o.Title != "Médiation scientifique" {
		t.Errorf("a refused edit changed the title to %q", o.Title)
	}
	do(t, b, "POST", off+"archive", url.Values{"csrf": {csrf}})
	_, page = do(t, b, "GET", off, nil)
	for _, want := range []string{"archivée", "offer.archive", "offer.deadline", "offer.edit", "offer.add", "stages@univ.example"} {
		if !strings.Contains(page, want) {
			t.Errorf("the offer's page lacks %q", want)
		}
	}
	if _, page := do(t, b, "GET", f.srv.URL+"/admin/offers?q="+url.QueryEscape("muséum"), nil); !strings.Contains(page, "Médiation scientifique") {
		t.Error("the search does not find the offer")
	}

	resp, _ = do(t, b, "POST", f.srv.URL+"/admin/students", url.Values{"csrf": {csrf}, "email": {"Ines@Example.org"}, "name": {"Inès"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add student: %s", resp.Status)
	}
	sub, err := f.st.SubscriberByEmail(ctx, "ines@example.org")
	if err != nil || sub.State != store.StateActive {
		t.Fatalf("student: %+v %v", sub, err)
	}
	stu := f.srv.URL + "/admin/students/" + itoa(sub.ID) + "/"
	resp, _ = do(t, b, "POST", stu+"edit", url.Values{"csrf": {csrf}, "name": {"Inès M."}, "lang": {"en"}, "offsets": {"14,3,1"},
		"weekly_shown": {"1"}, "weekly": {"on"}, "search": {"médiation 38"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit student: %s", resp.Status)
	}
	sub, _ = f.st.SubscriberByID(ctx, sub.ID)
	if sub.Lang != "en" || len(sub.Offsets) != 3 || !sub.Weekly || sub.Name != "Inès M." || len(sub.Searches) != 1 {
		t.Errorf("after edit: %+v", sub)
	}
	if resp, _ := do(t, b, "POST", stu+"edit", url.Values{"csrf": {csrf}, "offsets": {"400"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("offset 400: %s", resp.Status)
	}
	csv := append([]byte("\xef\xbb\xbfemail;nom;langue\r\n"), []byte("leo@example.org;L\xe9o;fr\r\nbad-address;X;fr\r\nzoe@example.org;Zo\xe9;en\r\n")...)
	ctype, body = multipartForm(t, map[string]string{"csrf": csrf}, "file", "eleves.csv", csv)
	resp, page = post(t, b, f.srv.URL+"/admin/students/import", ctype, body)
	if resp.StatusCode != 200 || !strings.Contains(page, "2 étudiant(s) ajouté(s), 1 ligne(s) refusée(s)") || !strings.Contains(page, "eleves.csv:3:") {
		t.Fatalf("import: %s\n%s", resp.Status, page)
	}
	if leo, err := f.st.SubscriberByEmail(ctx, "leo@example.org"); err != nil || leo.Name != "Léo" {
		t.Errorf("leo: %+v %v", leo, err)
	}
	if _, page := do(t, b, "GET", f.srv.URL+"/admin/students?q=zo", nil); !strings.Contains(page, "zoe@example.org") || strings.Contains(page, "leo@") {
		t.Error("the prefix search is wrong")
	}
	_, page = do(t, b, "GET", f.srv.URL+"/admin/audit", nil)
	for _, want := range []string{"offer.add", "student.import", "student.edit", "ines@example.org"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	resp, _ = do(t, b, "POST", stu+"remove", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %s", resp.Status)
	}
	if _, page := do(t, b, "GET", f.srv.URL+"/admin/audit", nil); strings.Contains(page, "ines@example.org") || !strings.Contains(page, "student.remove") {
		t.Error("the audit log still names the removed student, or lacks the removal")
	}
	resp, _ = do(t, b, "POST", off+"remove", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove offer: %s", resp.Status)
	}
	if resp, _ := do(t, b, "GET", off, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a removed offer's page: %s", resp.Status)
	}
	for _, p := range []string{"/admin/", "/admin/outbox", "/admin/outbox?view=failed", "/admin/outbox?view=sent", "/admin/students/import"} {
		if resp, page := do(t, b, "GET", f.srv.URL+p, nil); resp.StatusCode != 200 || strings.Contains(page, "[console_") {
			t.Errorf("%s: %s (or a missing catalogue key)", p, resp.Status)
		}
	}
	if resp, _ := do(t, b, "GET", f.srv.URL+"/admin/outbox?view=bogus", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown outbox view: %s", resp.Status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestResendFailed: the outbox lists a failed reminder with its reason,
// and "Renvoyer" puts it back, due now, audited; a sent one cannot be.
func TestResendFailed(t *testing.T) {
	f := newFixture(t)
	b, csrf := f.login(t, "stages@univ.example")
	ctx := context.Background()
	ctype, body := multipartForm(t, map[string]string{"csrf": csrf, "text": pasted}, "", "", nil)
	post(t, b, f.srv.URL+"/admin/offers", ctype, body)
	if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "ines@example.org", FollowAll: true}, f.now); err != nil {
		t.Fatal(err)
	}
	follows, _ := f.st.Unplanned(ctx, 10)
	var plan []store.NewReminder
	for _, fl := range follows {
		plan = append(plan, store.NewReminder{SubscriberID: fl.SubscriberID, OfferID: fl.OfferID, OffsetDays: 7, DueAt: f.now, State: store.ReminderPending})
	}
	if err := f.st.SavePlan(ctx, follows, plan, f.now); err != nil || len(plan) != 1 {
		t.Fatalf("plan: %v %d", err, len(plan))
	}
	rows, _ := f.st.ListOutbox(ctx, store.OutboxDue, f.now, 0, 10)
	id := rows[0].ID
	f.st.RecordFailure(ctx, []int64{id}, "550 5.1.1 mailbox unavailable", nil)
	_, page := do(t, b, "GET", f.srv.URL+"/admin/outbox?view=failed", nil)
	if !strings.Contains(page, "550 5.1.1 mailbox unavailable") || !strings.Contains(page, "/admin/outbox/"+itoa(id)+"/resend") {
		t.Fatalf("the failed view:\n%s", page)
	}
	f.now = f.now.Add(time.Hour)
	resp, _ := do(t, b, "POST", f.srv.URL+"/admin/outbox/"+itoa(id)+"/resend", url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %s", resp.Status)
	}
	due, _ := f.st.ListOutbox(ctx, store.OutboxDue, f.now, 0, 10)
	if len(due) != 1 || due[0].ID != id || !due[0].DueAt.Equal(f.now) {
		t.Errorf("due after resend: %+v", due)
	}
	if resp, _ := do(t, b, "POST", f.srv.URL+"/admin/outbox/"+itoa(id)+"/resend", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("resending a pending reminder: %s", resp.Status)
	}
	log, _ := f.st.AuditLog(ctx, store.AuditFilter{})
	if log[0].Action != "outbox.resend" {
		t.Errorf("audit: %+v", log[0])
	}
}

// TestNextPage: after login, only a page of the console.
func TestNextPage(t *testing.T) {
	for in, want := range map[string]string{"": "/admin/", "/admin/offers/3/": "/admin/offers/3/", "https://evil.example/": "/admin/",
		"//evil.example/admin/": "/admin/", "/admin/../x": "/admin/", "/admin/\\evil": "/admin/", "/adminx": "/admin/"} {
		if got := nextPage(in); got != want {
			t.Errorf("nextPage(%q) = %q, want %q", in, got, want)
		}
	}
	f := newFixture(t)
	f.login(t, "stages@univ.example")
	b := f.browser(t)
	resp, page := do(t, b, "GET", f.srv.URL+"/admin/login?next=%2Fadmin%2Foutbox", nil)
	if !strings.Contains(page, `name="next" value="/admin/outbox"`) {
		t.Fatalf("login page: %s\n%s", resp.Status, page)
	}
	resp, _ = do(t, b, "POST", f.srv.URL+"/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"correct horse battery"}, "next": {"/admin/outbox"}})
	if resp.Header.Get("Location") != "/admin/outbox" {
		t.Errorf("after login: %s", resp.Header.Get("Location"))
	}
}

// TestDashboardSaysWhy: the review queue on the dashboard says in words
// why each offer waits (an estimated deadline here), the rule's name kept
// as the tag's title.
func TestDashboardSaysWhy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.st.SetReviewPolicy(func(o offer.Offer) (bool, []string) { return true, []string{"estimated", "competing", "no-such-doubt"} })
	due := t0.AddDate(0, 1, 0)
	o := offer.Offer{File: "a.txt", Title: "Stage", Text: "Stage.", Deadline: offer.Deadline{Kind: offer.KindEstimated, LastDay: due.Format("2006-01-02"), DueAt: &due}}
	if _, err := f.st.AddOffer(ctx, o, t0); err != nil {
		t.Fatal(err)
	}
	b, _ := f.login(t, "stages@univ.example")
	_, page := do(t, b, "GET", f.srv.URL+"/admin/", nil)
	for _, want := range []string{`title="estimated">la date est estimée`, `title="competing">une autre date limite`, `title="no-such-doubt">no-such-doubt<`} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}
