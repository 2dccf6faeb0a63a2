package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/echeance/echeance/internal/browsertest"
)

// consoleOffer is the offer the administrator pastes: its last day is 31
// October 2025.
const consoleOffer = "Stage en communication scientifique\nCentre de culture scientifique de Lyon\nStage de 6 mois à Lyon (69007).\nDate limite de candidature : 31 octobre 2025.\nCandidatures : rh@ccsti.example\n"

// consoleRoster is what French Excel writes: a BOM, semicolons, CRLF and
// Windows-1252 (é is 0xE9), with a bad address on line 3.
const consoleRoster = "\xef\xbb\xbfemail;nom;langue\r\nleo@example.org;L\xe9o Dupr\xe9;fr\r\npas-une-adresse;Z\xe9lie;fr\r\nchloe@example.org;Chlo\xe9;en\r\n"

// page drives the console in Chromium: fill fields, submit a form and wait
// for the next page, read the page's text.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

func (p page) text() string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		p.t.Fatal(err)
	}
	return s
}

// submit clicks the submit button of the form sel and waits until another
// document has loaded.
func (p page) submit(sel string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`window.__before = true`)); err != nil {
		p.t.Fatal(err)
	}
	p.do(chromedp.Click(chromedp.CSS(sel + ` button[type="submit"]`)))
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		fresh, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!window.__before && document.readyState === "complete"`))
		if err == nil && fresh {
			return
		}
	}
	p.t.Fatalf("submitting %s loaded no new page", sel)
}

// TestConsoleEndToEnd is the administrator's side with the real daemon,
// Mailpit and Chromium: an account created with the CLI sets its password
// and logs in; it pastes an offer, imports a French Excel roster (one bad
// line reported by number), edits a student's offsets, and sees all of it
// in the audit log; the edited offsets send the student's reminder.
// Requests without the CSRF token or a session are refused, and the login
// limit triggers. Every page is screenshot at 360 and 1280 px into
// test-artifacts/console/ and checked by axe-core.
func TestConsoleEndToEnd(t *testing.T) {
	mp := startMailpit(t)
	dir := t.TempDir()
	webPort := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", webPort)
	cfg := mailpitConfig(t, dir, mp.smtpPort, base, "")
	const now = "2025-10-27T10:00:00+01:00"
	// An uncertain offer waits in the review queue of the dashboard.
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-20", "offer", "add", writeFile(t, filepath.Join(dir, "est.txt"), estimatedOffer))
	out := mustRun(t, dir, "--config", cfg, "admin", "add", "stages@univ.example")
	link := regexp.MustCompile(`http://\S+/admin/setup/[0-9a-f]{64}`).FindString(out)
	if link == "" {
		t.Fatalf("admin add printed no link:\n%s", out)
	}
	other := regexp.MustCompile(`http://\S+/admin/setup/[0-9a-f]{64}`).FindString(mustRun(t, dir, "--config", cfg, "admin", "add", "autre@univ.example"))
	runDaemon(t, dir, "--config", cfg, "--now", now, "run")
	waitHTTP(t, base+"/healthz")

	ctx := browsertest.Start(t)
	p := page{t, ctx}
	// The career service reads the console in French.
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "fr-FR,fr;q=0.9"}})
		return err
	}))
	p.do(chromedp.Navigate(link))
	p.do(chromedp.SetValue(chromedp.CSS("#password"), "une phrase assez longue"), chromedp.SetValue(chromedp.CSS("#confirm"), "une phrase assez longue"))
	p.submit("main form")
	if txt := p.text(); !strings.Contains(txt, "Mot de passe enregistré") {
		t.Fatalf("after setting the password:\n%s", txt)
	}
	p.do(chromedp.SetValue(chromedp.CSS("#email"), "stages@univ.example"), chromedp.SetValue(chromedp.CSS("#password"), "une phrase assez longue"))
	p.submit("main form")
	if txt := p.text(); !strings.Contains(txt, "Tableau de bord") || !strings.Contains(txt, "Stage en médiation scientifique") {
		t.Fatalf("the dashboard after login:\n%s", txt)
	}

	// An offer pasted.
	p.do(chromedp.Navigate(base + "/admin/offers"))
	p.do(chromedp.SetValue(chromedp.CSS("#text"), consoleOffer))
	p.submit(`form[enctype="multipart/form-data"]`)
	if txt := p.text(); !strings.Contains(txt, "Texte collé : ajoutée") || !strings.Contains(txt, "Stage en communication scientifique") {
		t.Fatalf("after pasting an offer:\n%s", txt)
	}

	// A roster imported, its bad line reported by number.
	rosterPath := filepath.Join(dir, "eleves.csv")
	if err := os.WriteFile(rosterPath, []byte(consoleRoster), 0o600); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Navigate(base + "/admin/students/import"))
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{rosterPath}))
	p.submit("main form")
	importText := p.text()
	if !strings.Contains(importText, "2 étudiant(s) ajouté(s), 1 ligne(s) refusée(s)") || !strings.Contains(importText, "eleves.csv:3: invalid email address") {
		t.Fatalf("after the import:\n%s", importText)
	}
	artifacts := browsertest.Artifacts(t, "console")
	for _, width := range []int{360, 1280} {
		if err := browsertest.Scheme(ctx, width, false); err != nil {
			t.Fatal(err)
		}
		if sw := browsertest.Shoot(t, ctx, filepath.Join(artifacts, fmt.Sprintf("import-result-%d.png", width))); sw > width {
			t.Errorf("the import result overflows at %d px (%d)", width, sw)
		}
	}

	// A student edited: offsets 4 days before the last day.
	p.do(chromedp.Navigate(base + "/admin/students?q=leo"))
	p.do(chromedp.Click(chromedp.CSS(`a[href^="/admin/students/"][href$="/"]`)))
	p.do(chromedp.WaitVisible(chromedp.CSS("#offsets")))
	if txt := p.text(); !strings.Contains(txt, "leo@example.org") || !strings.Contains(txt, "Léo Dupré") {
		t.Fatalf("the student's page:\n%s", txt)
	}
	studentURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SetValue(chromedp.CSS("#offsets"), "4"))
	p.submit(`form[action="edit"]`)
	if txt := p.text(); !strings.Contains(txt, "Enregistré") {
		t.Fatalf("after editing the student:\n%s", txt)
	}
	p.do(chromedp.Navigate(base + "/admin/audit"))
	audit := p.text()
	for _, want := range []string{"offer.add", "student.import", "student.edit", "leo@example.org", "admin.login", "stages@univ.example"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}

	// Every page, at both widths, with axe-core.
	offerURL := base + "/admin/offers/2/"
	pages := [][2]string{
		{"login", base + "/admin/login"}, {"setup", other}, {"dashboard", base + "/admin/"}, {"offers", base + "/admin/offers"},
		{"offer", offerURL}, {"students", base + "/admin/students"}, {"student", studentURL}, {"import", base + "/admin/students/import"},
		{"outbox", base + "/admin/outbox?view=pending"}, {"audit", base + "/admin/audit"}, {"not-found", base + "/admin/nothing-here"},
	}
	for _, pg := range pages {
		name, u := pg[0], pg[1]
		for _, width := range []int{360, 1280} {
			if sw := browsertest.ShootAt(t, ctx, u, width, false, filepath.Join(artifacts, fmt.Sprintf("%s-%d.png", name, width))); sw > width {
				t.Errorf("%s overflows at %d px (scroll width %d)", name, width, sw)
			}
			if txt := p.text(); strings.Contains(txt, "[console_") {
				t.Errorf("%s shows a missing catalogue key:\n%s", name, txt)
			}
			for _, v := range browsertest.Serious(browsertest.Axe(t, ctx)) {
				t.Errorf("%s at %d px: %s", name, width, v)
			}
		}
	}
	if txt := p.text(); !strings.Contains(txt, "Cette page n'existe pas") {
		t.Errorf("the not-found page:\n%s", txt)
	}

	// The edited offsets send Léo's J-4 reminder on the 27th; the others
	// (7, 2 and 0 days) are not due yet.
	tick := mustRun(t, dir, "--config", cfg, "tick", "--now", now)
	if !strings.Contains(tick, "sent to leo@example.org") {
		t.Errorf("tick: %s", tick)
	}
	found := false
	for _, m := range mp.messages(t) {
		if m.To[0].Address == "leo@example.org" && strings.Contains(m.Subject, "J\u20114") {
			found = true
		}
	}
	if !found {
		t.Errorf("no J-4 reminder to leo@example.org in Mailpit: %+v", mp.messages(t))
	}

	// Refusals, with a client of its own: no session, no CSRF token.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) *http.Response {
		t.Helper()
		resp, err := c.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	if r := post("/admin/offers/2/archive", url.Values{}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/login" {
		t.Errorf("POST without a session: %s %s", r.Status, r.Header.Get("Location"))
	}
	if r := post("/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"une phrase assez longue"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %s", r.Status)
	}
	if r := post("/admin/offers/2/archive", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %s", r.Status)
	}
	if out := mustRun(t, dir, "--config", cfg, "offer", "list"); !strings.Contains(out, "Stage en communication scientifique") {
		t.Errorf("a refused POST changed the offer:\n%s", out)
	}
	// The login limit: five failures, then 429 even with the password.
	for i := range 5 {
		if r := post("/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"pas le bon mot de passe"}}); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %s", i+1, r.Status)
		}
	}
	r := post("/admin/login", url.Values{"email": {"stages@univ.example"}, "password": {"une phrase assez longue"}})
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("the sixth login: %s, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
}
