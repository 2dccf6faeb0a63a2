package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/echeance/echeance/internal/browsertest"
)

// studentsDaemon is a running daemon with offers, Mailpit and the web
// pages, its proxy 127.0.0.1 trusted.
type studentsDaemon struct {
	dir, cfg, base, db string
	mp                 *mailpit
	stop               func()
}

func startStudentsDaemon(t *testing.T, webExtra string) *studentsDaemon {
	t.Helper()
	mp := startMailpit(t)
	dir := t.TempDir()
	port := freePort(t)
	d := &studentsDaemon{dir: dir, mp: mp, base: fmt.Sprintf("http://127.0.0.1:%d", port), db: filepath.Join(dir, "e.db")}
	d.cfg = mailpitConfig(t, dir, mp.smtpPort, d.base, `trusted_proxies = ["127.0.0.1"]
`+webExtra+`
[site]
name = "Service des stages, Université Grenoble Alpes"
`)
	seeds, _ := filepath.Glob(filepath.Join(seedsDir(t), "*.txt"))
	mustRun(t, dir, append([]string{"--config", d.cfg, "--now", "2025-10-20", "offer", "add",
		writeFile(t, filepath.Join(dir, "est.txt"), estimatedOffer)}, seeds...)...)
	d.stop = runDaemon(t, dir, "--config", d.cfg, "--now", "2025-10-21T10:00:00+02:00", "run")
	waitHTTP(t, d.base+"/healthz")
	return d
}

// mailTo waits up to a minute for the n-th message to addr and returns
// its text.
func (d *studentsDaemon) mailTo(t *testing.T, addr string, n int) (subject, text string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; {
		var to []mailpitSummary
		for _, m := range d.mp.messages(t) {
			if len(m.To) > 0 && m.To[0].Address == addr {
				to = append(to, m)
			}
		}
		if len(to) >= n {
			// Mailpit lists the newest first.
			m := to[len(to)-n]
			var full struct{ Text string }
			d.mp.get(t, "/api/v1/message/"+m.ID, &full)
			return m.Subject, full.Text
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message %d to %s within a minute (have %d)", n, addr, len(to))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (d *studentsDaemon) countTo(t *testing.T, addr string) int {
	t.Helper()
	n := 0
	for _, m := range d.mp.messages(t) {
		if len(m.To) > 0 && m.To[0].Address == addr {
			n++
		}
	}
	return n
}

var (
	confirmLinkRE = regexp.MustCompile(`(http://\S+/a/[A-Za-z0-9_-]+)`)
	manageLinkRE  = regexp.MustCompile(`(http://\S+/manage/[A-Za-z0-9_-]+)`)
	formTokenRE   = regexp.MustCompile(`name="form" value="([^"]+)"`)
)

// shoot saves the browser's current page at 360 and 1280 px into
// test-artifacts/web/students-<name>.<width>.png and checks it with
// axe-core, without loading it again (a page answering a POST stays).
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	for _, width := range []int{360, 1280} {
		if err := browsertest.Scheme(ctx, width, false); err != nil {
			t.Fatal(err)
		}
		shot := fmt.Sprintf("students-%s.%d", name, width)
		if sw := browsertest.Shoot(t, ctx, filepath.Join(dir, shot+".png")); sw > width {
			t.Errorf("%s: %d px wide", shot, sw)
		}
		for _, v := range browsertest.Serious(browsertest.Axe(t, ctx)) {
			t.Errorf("%s: %s", shot, v)
		}
	}
}

func browse(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// click clicks sel and waits for the page it leads to.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStudentSubscribesManagesAndErases is a student's whole path in
// Chromium against the real daemon and Mailpit: the list of offers, an
// offer's page, signing up from its "Suivre cette offre" button, the
// confirmation in Mailpit within a minute, confirming, the manage page
// (the offer followed, offsets changed), export, erasure; then the
// database file and its log hold no byte of the student's address.
func TestStudentSubscribesManagesAndErases(t *testing.T) {
	d := startStudentsDaemon(t, "")
	ctx := browsertest.Start(t)
	art := browsertest.Artifacts(t, "web")

	browse(t, ctx, chromedp.Navigate(d.base+"/?lang=fr"))
	home := bodyText(t, ctx)
	if !strings.Contains(home, "Offres ouvertes") || !strings.Contains(home, "Assistant.e Chargé.e de projets") ||
		!strings.Contains(home, "estimée") && !strings.Contains(home, "en cours de vérification") {
		t.Fatalf("home:\n%s", home)
	}
	shoot(t, ctx, art, "home")
	browse(t, ctx, chromedp.Navigate(d.base+"/?q=mediation&lang=fr"))
	shoot(t, ctx, art, "home-filtered")
	if txt := bodyText(t, ctx); !strings.Contains(txt, "Stage en médiation scientifique") || strings.Contains(txt, "Coopération décentralisée") {
		t.Errorf("?q=mediation:\n%s", txt)
	}
	click(t, ctx, "ol.cards li a")
	shoot(t, ctx, art, "offer")
	click(t, ctx, "a.button")
	shoot(t, ctx, art, "subscribe")
	const email = "lea.dupont@etu.univ.example"
	browse(t, ctx, chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SetValue(chromedp.CSS("#offsets"), "9, 4"))
	start := time.Now()
	click(t, ctx, "button[type=submit]")
	if txt := bodyText(t, ctx); !strings.Contains(txt, "Vérifiez votre boîte mail") {
		t.Fatalf("after signing up:\n%s", txt)
	}
	shoot(t, ctx, art, "subscribe-done")

	subject, text := d.mailTo(t, email, 1)
	t.Logf("confirmation in Mailpit %s after signing up", time.Since(start).Round(time.Millisecond))
	confirm, manage := confirmLinkRE.FindString(text), manageLinkRE.FindString(text)
	if !strings.Contains(subject, "Confirmez") || confirm == "" || manage == "" || !strings.Contains(text, "page d'inscription") {
		t.Fatalf("confirmation %q:\n%s", subject, text)
	}
	if out := mustRun(t, d.dir, "--config", d.cfg, "subscriber", "list"); !strings.Contains(out, "pending") {
		t.Errorf("before confirming:\n%s", out)
	}
	browse(t, ctx, chromedp.Navigate(confirm))
	shoot(t, ctx, art, "confirm")
	click(t, ctx, "main form button")
	if txt := bodyText(t, ctx); !strings.Contains(txt, "Inscription confirmée") {
		t.Fatalf("after confirming:\n%s", txt)
	}
	shoot(t, ctx, art, "confirm-done")

	browse(t, ctx, chromedp.Navigate(manage))
	txt := bodyText(t, ctx)
	if !strings.Contains(txt, email) || !strings.Contains(txt, "Vos rappels sont actifs") || !strings.Contains(txt, "suivie") {
		t.Fatalf("manage page:\n%s", txt)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#offsets"))); v != "9, 4" {
		t.Errorf("offsets on the manage page: %q", v)
	}
	shoot(t, ctx, art, "manage")
	browse(t, ctx, chromedp.SetValue(chromedp.CSS("#offsets"), "10, 3"))
	click(t, ctx, "form:has(#offsets) button[type=submit]")
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#offsets"))); v != "10, 3" || !strings.Contains(bodyText(t, ctx), "C'est enregistré") {
		t.Errorf("after changing offsets: %q", v)
	}
	shoot(t, ctx, art, "manage-saved")
	out := mustRun(t, d.dir, "--config", d.cfg, "subscriber", "list")
	if !strings.Contains(out, email) || !strings.Contains(out, "10d") {
		t.Errorf("subscriber list after the offsets changed:\n%s", out)
	}

	// Export: the browser's form token, posted as the browser would.
	page := getPage(t, manage)
	form := html.UnescapeString(formTokenRE.FindStringSubmatch(page)[1])
	resp, err := http.PostForm(manage, url.Values{"form": {form}, "op": {"export"}})
	if err != nil {
		t.Fatal(err)
	}
	var export struct {
		Email   string
		Offsets []int `json:"offsets_days"`
		Follows []struct {
			Title, Status string
		}
	}
	err = json.NewDecoder(resp.Body).Decode(&export)
	resp.Body.Close()
	if err != nil || export.Email != email || fmt.Sprint(export.Offsets) != "[10 3]" || len(export.Follows) != 1 {
		t.Fatalf("export: %v %+v", err, export)
	}

	// Erasure from the page, then nothing of the student in the files.
	browse(t, ctx, chromedp.Click(chromedp.CSS("summary")))
	click(t, ctx, "details form button")
	if txt := bodyText(t, ctx); !strings.Contains(txt, "Données supprimées") {
		t.Fatalf("after deleting:\n%s", txt)
	}
	shoot(t, ctx, art, "deleted")
	if code := statusOf(t, manage); code != http.StatusNotFound {
		t.Errorf("manage link after erasure: %d", code)
	}
	if code := statusOf(t, confirm); code != http.StatusNotFound {
		t.Errorf("confirmation link after erasure: %d", code)
	}
	grepFiles := func(when string) {
		for _, p := range []string{d.db, d.db + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			for _, needle := range []string{email, "lea.dupont", "etu.univ.example"} {
				if bytes.Contains(bytes.ToLower(b), []byte(needle)) {
					t.Errorf("%s: %s holds %q", when, filepath.Base(p), needle)
				}
			}
		}
	}
	grepFiles("daemon running")
	d.stop()
	grepFiles("daemon stopped")
}

func getPage(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	return string(b)
}

func statusOf(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// postAs posts form to u with the given headers, without following a
// redirect.
func postAs(t *testing.T, u string, form url.Values, headers map[string]string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestStudentPagesHostile, against the real binary: list-bombing (20
// sign-ups of one address from 20 clients behind the trusted proxy send
// one confirmation), a cross-site POST, student A's manage token acting on
// B, and A's form token replayed on B's page.
func TestStudentPagesHostile(t *testing.T) {
	d := startStudentsDaemon(t, "")
	ctx := browsertest.Start(t)
	art := browsertest.Artifacts(t, "web")

	const victim = "cible@example.org"
	for i := range 20 {
		form := html.UnescapeString(formTokenRE.FindStringSubmatch(getPage(t, d.base+"/subscribe"))[1])
		if code := postAs(t, d.base+"/subscribe", url.Values{"form": {form}, "email": {victim}},
			map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i+1)}); code != http.StatusOK {
			t.Fatalf("sign-up %d: %d", i, code)
		}
	}
	d.mailTo(t, victim, 1)
	time.Sleep(3 * time.Second)
	if n := d.countTo(t, victim); n != 1 {
		t.Errorf("20 sign-ups of one address sent %d messages, want 1", n)
	}

	// A cross-site sign-up is refused, whatever its form token.
	form := html.UnescapeString(formTokenRE.FindStringSubmatch(getPage(t, d.base+"/subscribe"))[1])
	if code := postAs(t, d.base+"/subscribe", url.Values{"form": {form}, "email": {"x@example.org"}},
		map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); code != http.StatusForbidden {
		t.Errorf("cross-site sign-up: %d, want 403", code)
	}

	// Two active students ask for their links on /link, in the browser for A.
	mustRun(t, d.dir, "--config", d.cfg, "subscriber", "add", "anna@example.org")
	mustRun(t, d.dir, "--config", d.cfg, "subscriber", "add", "basile@example.org")
	browse(t, ctx, chromedp.Navigate(d.base+"/link?lang=fr"))
	shoot(t, ctx, art, "link")
	browse(t, ctx, chromedp.SendKeys(chromedp.CSS("#email"), "anna@example.org"))
	click(t, ctx, "button[type=submit]")
	shoot(t, ctx, art, "link-done")
	form = html.UnescapeString(formTokenRE.FindStringSubmatch(getPage(t, d.base+"/link"))[1])
	postAs(t, d.base+"/link", url.Values{"form": {form}, "email": {"basile@example.org"}}, nil)
	_, textA := d.mailTo(t, "anna@example.org", 1)
	_, textB := d.mailTo(t, "basile@example.org", 1)
	manageA, manageB := manageLinkRE.FindString(textA), manageLinkRE.FindString(textB)
	if manageA == "" || manageB == "" || manageA == manageB {
		t.Fatalf("manage links %q %q", manageA, manageB)
	}
	formA := html.UnescapeString(formTokenRE.FindStringSubmatch(getPage(t, manageA))[1])
	formB := html.UnescapeString(formTokenRE.FindStringSubmatch(getPage(t, manageB))[1])
	for name, c := range map[string][2]string{
		"A's form token replayed on B's page": {manageB, formA},
		"B's form token on A's page":          {manageA, formB},
	} {
		if code := postAs(t, c[0], url.Values{"form": {c[1]}, "op": {"pause"}}, nil); code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, code)
		}
	}
	if code := postAs(t, manageA, url.Values{"form": {formA}, "op": {"pause"}},
		map[string]string{"Sec-Fetch-Site": "cross-site"}); code != http.StatusForbidden {
		t.Errorf("cross-site POST on A's page: %d, want 403", code)
	}
	// A's manage token with B's id in it is no token.
	tamperedA := manageA[:len(manageA)-3] + "AAA"
	if code := statusOf(t, tamperedA); code != http.StatusNotFound {
		t.Errorf("altered manage token: %d", code)
	}
	if out := mustRun(t, d.dir, "--config", d.cfg, "subscriber", "list"); strings.Contains(out, "paused") {
		t.Errorf("a refused POST paused someone:\n%s", out)
	}
	// A acts on A's page: only A is paused.
	if code := postAs(t, manageA, url.Values{"form": {formA}, "op": {"pause"}}, map[string]string{"Sec-Fetch-Site": "same-origin"}); code != http.StatusSeeOther {
		t.Errorf("A pauses: %d", code)
	}
	out := mustRun(t, d.dir, "--config", d.cfg, "subscriber", "list")
	if !regexp.MustCompile(`anna@example.org\s.*paused`).MatchString(out) || regexp.MustCompile(`basile@example.org\s.*paused`).MatchString(out) {
		t.Errorf("after A paused:\n%s", out)
	}
}

// TestStudentPagesPrivateOffers: with web.public_offers off, / is the
// sign-up form alone and no offer page opens without a student's link,
// while sign-ups still work.
func TestStudentPagesPrivateOffers(t *testing.T) {
	d := startStudentsDaemon(t, "public_offers = false")
	page := getPage(t, d.base+"/?lang=fr")
	if strings.Contains(page, "Assistant.e Chargé.e") || !strings.Contains(page, `name="email"`) {
		t.Errorf("/ with public_offers off:\n%s", page)
	}
	for _, u := range []string{"/offers/1", "/offers/2", "/subscribe?offer=1"} {
		code := statusOf(t, d.base+u)
		if u == "/subscribe?offer=1" {
			if body := getPage(t, d.base+u); strings.Contains(body, "Assistant.e Chargé.e") {
				t.Errorf("%s names a private offer", u)
			}
			continue
		}
		if code != http.StatusNotFound {
			t.Errorf("%s with public_offers off: %d, want 404", u, code)
		}
	}
	form := html.UnescapeString(formTokenRE.FindStringSubmatch(page)[1])
	if code := postAs(t, d.base+"/subscribe", url.Values{"form": {form}, "email": {"prive@example.org"}}, nil); code != http.StatusOK {
		t.Fatalf("sign-up: %d", code)
	}
	if _, text := d.mailTo(t, "prive@example.org", 1); confirmLinkRE.FindString(text) == "" {
		t.Errorf("confirmation without its link:\n%s", text)
	}
}
