package main

import (
	"fmt"
	"io"
	"io/fs"
	"mime/quotedprintable"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dirWebConfig writes mail as files into dir/outbox and serves links on
// webPort.
func dirWebConfig(t *testing.T, dir string, webPort int, extra string) string {
	t.Helper()
	return writeFile(t, filepath.Join(dir, "echeance.toml"), fmt.Sprintf(`
[database]
path = %q
[offers]
inbox = ""
[mail]
transport = "dir"
dir = %q
from = "Échéances <rappels@echeance.example>"
[web]
listen = "127.0.0.1:%d"
base_url = "http://127.0.0.1:%d"
%s`, filepath.Join(dir, "e.db"), filepath.Join(dir, "outbox"), webPort, webPort, extra))
}

// linksIn returns the one-click and feed links of the .eml files in dir
// that are addressed to email.
func linksIn(t *testing.T, dir, email string, webPort int) []string {
	t.Helper()
	emls, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	re := regexp.MustCompile(fmt.Sprintf(`http://127\.0\.0\.1:%d/(a|feed|o)/[A-Za-z0-9_-]+(\.ics)?`, webPort))
	seen := map[string]bool{}
	var out []string
	for _, name := range emls {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), email) {
			continue
		}
		dec, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(raw))))
		for _, l := range re.FindAllString(string(dec)+string(raw), -1) {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// TestRemovedStudentLinks: with the real binary, the newest student is
// removed and another added; every link of the first one's emails
// (unsubscribe, pause, language, applied, feed) answers an error page and
// changes nothing for anyone.
func TestRemovedStudentLinks(t *testing.T) {
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := dirWebConfig(t, dir, webPort, "")
	mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "last@example.org")
	mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24")
	links := linksIn(t, filepath.Join(dir, "outbox"), "last@example.org", webPort)
	kinds := map[string]bool{}
	for _, l := range links {
		kinds[strings.Split(strings.TrimPrefix(l, fmt.Sprintf("http://127.0.0.1:%d/", webPort)), "/")[0]] = true
	}
	if len(links) < 5 || !kinds["a"] || !kinds["feed"] {
		t.Fatalf("links in the reminder: %v", links)
	}
	mustRun(t, dir, "--config", cfg, "subscriber", "remove", "last@example.org")
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "new@example.org")

	runDaemon(t, dir, "--config", cfg, "--now", "2025-10-24", "run")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	for _, l := range links {
		resp, err := http.Get(l)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), "new@example.org") || strings.Contains(string(body), "BEGIN:VEVENT") {
			t.Errorf("GET %s: %s\n%.300s", l, resp.Status, body)
		}
		if strings.Contains(l, "/feed/") {
			continue
		}
		for _, form := range []url.Values{nil, {"List-Unsubscribe": {"One-Click"}}} {
			resp, err := http.PostForm(l, form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s: %s", l, resp.Status)
			}
		}
	}
	after := mustRun(t, dir, "--config", cfg, "subscriber", "show", "new@example.org")
	for _, want := range []string{"state:    active", "language: fr", "follows:  every offer"} {
		if !strings.Contains(after, want) {
			t.Errorf("the new student changed: %q missing\n%s", want, after)
		}
	}
}

// TestUnsubscribedStaysUnsubscribed: after a student unsubscribes through
// their link, the pause and resume links of the same email change nothing.
func TestUnsubscribedStaysUnsubscribed(t *testing.T) {
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := dirWebConfig(t, dir, webPort, "")
	mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "ines@example.org")
	mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24")
	links := linksIn(t, filepath.Join(dir, "outbox"), "ines@example.org", webPort)
	runDaemon(t, dir, "--config", cfg, "--now", "2025-10-24", "run")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	post := func(l string) int {
		resp, err := http.PostForm(l, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The pause page offers a resume button: take its token before
	// unsubscribing, as an attacker replaying an old email would.
	var unsub, pause string
	for _, l := range links {
		resp, err := http.Get(l)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case strings.Contains(string(b), "Me désabonner"):
			unsub = l
		case strings.Contains(string(b), "Suspendre les rappels"):
			pause = l
		}
	}
	if unsub == "" || pause == "" {
		t.Fatalf("no unsubscribe or pause link among %v", links)
	}
	resp, err := http.PostForm(pause, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`action="([A-Za-z0-9_-]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no resume button on the pause page:\n%s", page)
	}
	resume := fmt.Sprintf("http://127.0.0.1:%d/a/%s", webPort, m[1])
	if code := post(resume); code != http.StatusOK {
		t.Fatalf("resume: %d", code)
	}
	if code := post(unsub); code != http.StatusOK {
		t.Fatalf("unsubscribe: %d", code)
	}
	for name, l := range map[string]string{"pause": pause, "resume": resume} {
		if code := post(l); code != http.StatusNotFound {
			t.Errorf("%s after unsubscribe: %d", name, code)
		}
	}
	if out := mustRun(t, dir, "--config", cfg, "subscriber", "show", "ines@example.org"); !strings.Contains(out, "state:    unsubscribed") {
		t.Errorf("after pause and resume links:\n%s", out)
	}
	r := echeance(t, dir, "--config", cfg, "subscriber", "resume", "ines@example.org")
	if r.code != 1 || !strings.Contains(r.stderr, "unsubscribed") {
		t.Errorf("subscriber resume of an unsubscribed student: exit %d %s", r.code, r.stderr)
	}
}

// TestInboxRefusesLinksAndFIFOs: a symbolic link to a secret and a FIFO in
// the inbox are refused by name; nothing reaches the offers table.
func TestInboxRefusesLinksAndFIFOs(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	os.Mkdir(inbox, 0o700)
	secret := writeFile(t, filepath.Join(dir, "smtp-password"), "Date limite : 31/12/2025 hunter2\n")
	if err := os.Symlink(secret, filepath.Join(inbox, "offre.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(inbox, "pipe.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, filepath.Join(dir, "e.toml"), fmt.Sprintf("[database]\npath = %q\n[offers]\ninbox = %q\n[web]\nlisten = \"\"\n",
		filepath.Join(dir, "e.db"), inbox))
	r := echeance(t, dir, "--config", cfg, "tick", "--now", "2025-10-24")
	for _, want := range []string{"offre.txt: refused: a symbolic link", "pipe.txt: refused: a FIFO"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("tick log lacks %q:\n%s", want, r.stderr)
		}
	}
	if out := mustRun(t, dir, "--config", cfg, "offer", "list"); out != "" {
		t.Errorf("offers stored from the inbox:\n%s", out)
	}
	r = echeance(t, dir, "--config", cfg, "offer", "add", inbox)
	if r.code != 1 || !strings.Contains(r.stderr, "offre.txt: refused") || !strings.Contains(r.stderr, "pipe.txt: refused") {
		t.Errorf("offer add of the folder: exit %d %s", r.code, r.stderr)
	}
}

// TestFilesPrivate: under umask 022, every file and folder echeance
// creates (the database, its WAL and SHM, the link key, the outbox and its
// messages) is out of reach of group and others.
func TestFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022) // inherited by the binary
	defer syscall.Umask(old)
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := dirWebConfig(t, dir, webPort, "")
	mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "ines@example.org")
	runDaemon(t, dir, "--config", cfg, "--now", "2025-10-24", "run")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	for _, name := range []string{"e.db", "e.db-wal", "e.db-shm", "e.db.link-key", "outbox"} {
		waitFile(t, filepath.Join(dir, name))
	}
	waitGlob(t, filepath.Join(dir, "outbox", "*.eml"))
	n := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir || filepath.Base(path) == "echeance.toml" {
			return err
		}
		info, err := os.Lstat(path)
		if err != nil {
			return nil // a WAL checkpoint may remove a file as we walk
		}
		n++
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: group or others can reach it", path, info.Mode().Perm())
		}
		return nil
	})
	if n < 6 {
		t.Errorf("only %d files checked", n)
	}
}

func waitFile(t *testing.T, path string) {
	t.Helper()
	waitGlob(t, path)
}

func waitGlob(t *testing.T, pattern string) {
	t.Helper()
	for range 300 {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", pattern)
}
