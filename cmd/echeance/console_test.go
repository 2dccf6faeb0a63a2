package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/store"
)

// TestAdminCommands: admin add prints a one-time link (stored hashed),
// adding again replaces it, list shows the account, remove deletes it; all
// in the audit log.
func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "e.toml"), fmt.Sprintf("[database]\npath = %q\n[offers]\ninbox = \"\"\n[web]\nbase_url = \"https://stages.univ.example\"\n",
		filepath.Join(dir, "e.db")))
	link := regexp.MustCompile(`https://stages\.univ\.example/admin/setup/([0-9a-f]{64})\n`)
	out := mustRun(t, dir, "--config", cfg, "admin", "add", "Stages@Univ.example")
	m := link.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "admin stages@univ.example added") {
		t.Fatalf("admin add: %s", out)
	}
	out = mustRun(t, dir, "--config", cfg, "admin", "add", "stages@univ.example")
	m2 := link.FindStringSubmatch(out)
	if m2 == nil || m2[1] == m[1] || !strings.Contains(out, "new link") {
		t.Errorf("admin add again: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "admin", "list"); out != "stages@univ.example\tpassword not set yet\t0 session(s)\n" {
		t.Errorf("admin list: %q", out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.SetupAdmin(ctx, m[1], timeNow()); err == nil {
		t.Error("the first link still works after a second admin add")
	}
	if _, err := st.SetupAdmin(ctx, m2[1], timeNow()); err != nil {
		t.Errorf("the printed link: %v", err)
	}
	st.Close()
	if r := echeance(t, dir, "--config", cfg, "admin", "add", "not-an-address"); r.code != 1 || !strings.Contains(r.stderr, "invalid email") {
		t.Errorf("admin add of a bad address: %d %s", r.code, r.stderr)
	}
	if r := echeance(t, dir, "--config", cfg, "admin", "add"); r.code != 2 {
		t.Errorf("admin add without EMAIL: %d", r.code)
	}
	if out := mustRun(t, dir, "--config", cfg, "admin", "remove", "stages@univ.example"); !strings.Contains(out, "removed") {
		t.Errorf("admin remove: %s", out)
	}
	if r := echeance(t, dir, "--config", cfg, "admin", "remove", "stages@univ.example"); r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("second remove: %d %s", r.code, r.stderr)
	}
	if r := echeance(t, dir, "--config", cfg, "admin", "delete"); r.code != 2 || !strings.Contains(r.stderr, "did you mean") {
		t.Errorf("admin delete: %d %s", r.code, r.stderr)
	}
	st, _ = store.Open(ctx, filepath.Join(dir, "e.db"))
	defer st.Close()
	log, _ := st.AuditLog(ctx, store.AuditFilter{})
	if len(log) != 3 || log[0].Action != "admin.remove" || !strings.HasPrefix(log[0].Admin, "cli") {
		t.Errorf("audit: %+v", log)
	}
}

// TestSubscriberEditAndOfferArchive: subscriber edit goes through
// store.EditSubscriber (offsets, language, name, weekly, searches);
// offer archive and remove, with their errors.
func TestSubscriberEditAndOfferArchive(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "e.toml"), fmt.Sprintf("[database]\npath = %q\n[offers]\ninbox = \"\"\n[web]\nlisten = \"\"\n",
		filepath.Join(dir, "e.db")))
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-01", "offer", "add", seedsDir(t))
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-01", "subscriber", "add", "ines@example.org", "--search", "comptable")
	out := mustRun(t, dir, "--config", cfg, "--now", "2025-10-01", "subscriber", "edit", "Ines@example.org", "--offsets", "14,3,1",
		"--lang", "en", "--name", "Inès Martin", "--weekly", "--search", "médiation 38", "--remove-search", "comptable")
	for _, want := range []string{"name:     Inès Martin", "language: en", "offsets:  14d,3d,1d", "weekly:   true", "search:   médiation 38"} {
		if !strings.Contains(out, want) {
			t.Errorf("subscriber edit lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "search:   comptable") || !strings.Contains(out, "follows:  offers") {
		t.Errorf("the removed search stays, or the new one follows nothing:\n%s", out)
	}
	out = mustRun(t, dir, "--config", cfg, "subscriber", "edit", "ines@example.org", "--offsets", "default", "--weekly=false")
	if !strings.Contains(out, "offsets:  7d,2d,0d") && !strings.Contains(out, "weekly:   false") {
		t.Errorf("back to the defaults:\n%s", out)
	}
	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ines@example.org"}, 2, "nothing to change"},
		{[]string{"ines@example.org", "--offsets", "400"}, 2, "--offsets"},
		{[]string{"ines@example.org", "--lang", "de"}, 1, "language \"de\""},
		{[]string{"ines@example.org", "--remove-search", "never saved"}, 1, "no saved search"},
		{[]string{"nobody@example.org", "--lang", "fr"}, 1, "not found"},
		{[]string{"ines@example.org", "--search", "type:xyz"}, 1, "unknown kind"},
	} {
		r := echeance(t, dir, append([]string{"--config", cfg, "subscriber", "edit"}, bad.args...)...)
		if r.code != bad.code || !strings.Contains(r.stderr, bad.want) {
			t.Errorf("subscriber edit %v: exit %d %s, want %d %q", bad.args, r.code, r.stderr, bad.code, bad.want)
		}
	}

	if out := mustRun(t, dir, "--config", cfg, "offer", "archive", "1"); !strings.Contains(out, "offer 1 archived") {
		t.Errorf("offer archive: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "offer", "remove", "2"); !strings.Contains(out, "offer 2 removed") {
		t.Errorf("offer remove: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "offer", "list"); strings.Contains(out, "\n2\t") || strings.HasPrefix(out, "2\t") || !strings.Contains(out, "1\t") {
		t.Errorf("offer list after remove:\n%s", out)
	}
	for _, bad := range []struct {
		args []string
		code int
	}{{[]string{"offer", "archive"}, 2}, {[]string{"offer", "remove", "x"}, 2}, {[]string{"offer", "remove", "2"}, 1}, {[]string{"offer", "archive", "99"}, 1}} {
		if r := echeance(t, dir, append([]string{"--config", cfg}, bad.args...)...); r.code != bad.code {
			t.Errorf("%v: exit %d, want %d: %s", bad.args, r.code, bad.code, r.stderr)
		}
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, _ := st.AuditLog(context.Background(), store.AuditFilter{})
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "offer.remove offer.archive student.edit student.edit" {
		t.Errorf("audit: %v", actions)
	}
}

func timeNow() time.Time { return time.Now() }

// TestAdminListen: with web.admin_listen, the console answers there only;
// /admin/ is not found on web.listen, whose own pages still answer; the
// link admin add prints points at the console's address.
func TestAdminListen(t *testing.T) {
	dir := t.TempDir()
	webPort, adminPort := freePort(t), freePort(t)
	cfg := writeFile(t, filepath.Join(dir, "e.toml"), fmt.Sprintf("[database]\npath = %q\n[offers]\ninbox = \"\"\n[web]\nlisten = \"127.0.0.1:%d\"\nbase_url = \"http://127.0.0.1:%d\"\nadmin_listen = \"127.0.0.1:%d\"\n",
		filepath.Join(dir, "e.db"), webPort, webPort, adminPort))
	if out := mustRun(t, dir, "--config", cfg, "admin", "add", "stages@univ.example"); !strings.Contains(out, fmt.Sprintf("http://127.0.0.1:%d/admin/setup/", adminPort)) {
		t.Errorf("admin add: %s", out)
	}
	runDaemon(t, dir, "--config", cfg, "run")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/admin/login", adminPort))
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		url  string
		code int
	}{
		{fmt.Sprintf("http://127.0.0.1:%d/admin/login", webPort), http.StatusNotFound},
		{fmt.Sprintf("http://127.0.0.1:%d/admin/", webPort), http.StatusNotFound},
		{fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort), http.StatusOK},
		{fmt.Sprintf("http://127.0.0.1:%d/admin/login", adminPort), http.StatusOK},
		{fmt.Sprintf("http://127.0.0.1:%d/admin/", adminPort), http.StatusSeeOther},
		{fmt.Sprintf("http://127.0.0.1:%d/healthz", adminPort), http.StatusNotFound},
	} {
		resp, err := c.Get(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.url, resp.StatusCode, tc.code)
		}
	}
	// doctor (which fails here for want of a relay) knows the console's port.
	r := echeance(t, dir, "--config", cfg, "doctor")
	if l := doctorLine(r.stdout, "console"); !strings.HasPrefix(l, "ok") || !strings.Contains(l, "served by a running echeance") {
		t.Errorf("doctor console line %q:\n%s", l, r.stdout)
	}
}
