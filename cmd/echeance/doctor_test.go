package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// doctorLine returns the line of check name in doctor's output.
func doctorLine(out, name string) string {
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[1] == name {
			return l
		}
	}
	return ""
}

// TestDoctor runs echeance doctor against Mailpit, then against a relay
// that would need a login in clear, a closed port, a shared database file
// and a port someone else holds.
func TestDoctor(t *testing.T) {
	mp := startMailpit(t, "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	dir := t.TempDir()
	pw := writeFile(t, filepath.Join(dir, "smtp-password"), "secret\n")
	webPort := freePort(t)
	login := ""
	config := func(smtpPort, webPort int) string {
		return writeFile(t, filepath.Join(dir, "echeance.toml"), fmt.Sprintf(`
[database]
path = %q
[offers]
inbox = ""
[mail]
transport = "smtp"
from = "Échéances <rappels@echeance.example>"
[smtp]
host = "127.0.0.1"
port = %d
security = "none"
%s
timeout = "5s"
[web]
listen = "127.0.0.1:%d"
base_url = "http://127.0.0.1:%d"
`, filepath.Join(dir, "e.db"), smtpPort, login, webPort, webPort))
	}
	cfg := config(mp.smtpPort, webPort)

	// Before the first run: no database yet, which is fine.
	out := mustRun(t, dir, "--config", cfg, "doctor")
	if l := doctorLine(out, "database"); !strings.HasPrefix(l, "ok") || !strings.Contains(l, "not created yet") {
		t.Errorf("doctor before any run, database line %q:\n%s", l, out)
	}
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "a@example.org")
	if err := os.Chmod(filepath.Join(dir, "e.db"), 0o600); err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, dir, "--config", cfg, "doctor")
	for name, want := range map[string]string{
		"config":   "echeance.toml: valid",
		"time":     "Europe/Paris",
		"files":    "private",
		"database": "(current), 0 offer(s), 1 subscriber(s)",
		"smtp":     fmt.Sprintf("127.0.0.1:%d: connected, EHLO, no TLS, no login; no mail sent", mp.smtpPort),
		"web":      fmt.Sprintf("127.0.0.1:%d: free", webPort),
		"metrics":  "off",
		"console":  "under /admin/ of web.listen",
		"dkim":     "Deliverability",
	} {
		l := doctorLine(out, name)
		status := "ok"
		if name == "dkim" {
			status = "warn"
		}
		if !strings.HasPrefix(l, status+" ") || !strings.Contains(l, want) {
			t.Errorf("doctor %s line %q, want %s and %q\n%s", name, l, status, want, out)
		}
	}
	if n := len(mp.messages(t)); n != 0 {
		t.Errorf("doctor sent %d message(s)", n)
	}

	// A login over a connection in clear is refused before the password
	// leaves: the SMTP line says so.
	login = fmt.Sprintf("username = \"echeance\"\npassword_file = %q", pw)
	cfg = config(mp.smtpPort, webPort)
	r := echeance(t, dir, "--config", cfg, "doctor")
	if l := doctorLine(r.stdout, "smtp"); r.code != 1 || !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, "authentication") {
		t.Errorf("doctor with a login in clear: exit %d, smtp line %q", r.code, l)
	}
	login = ""

	// The relay down, the database readable by all, the web port taken by
	// another program: each fails on its own line.
	dead := freePort(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg = config(dead, busy.Addr().(*net.TCPAddr).Port)
	if err := os.Chmod(filepath.Join(dir, "e.db"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = echeance(t, dir, "--config", cfg, "doctor")
	if r.code != 1 {
		t.Errorf("doctor with a dead relay: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for name, want := range map[string]string{
		"smtp":  fmt.Sprintf("127.0.0.1:%d", dead),
		"files": "e.db (database.path) is readable or writable by group or others (mode 0644)",
		"web":   "in use by another program",
	} {
		if l := doctorLine(r.stdout, name); !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, want) {
			t.Errorf("doctor %s line %q, want FAIL and %q\n%s", name, l, want, r.stdout)
		}
	}
	for _, name := range []string{"config", "database"} {
		if l := doctorLine(r.stdout, name); !strings.HasPrefix(l, "ok") {
			t.Errorf("doctor %s line %q, want ok", name, l)
		}
	}

	// A config that does not load fails the first line.
	bad := writeFile(t, filepath.Join(dir, "bad.toml"), "[smtp]\nconnections = 0\n")
	r = echeance(t, dir, "--config", bad, "doctor")
	if r.code != 1 || !strings.HasPrefix(doctorLine(r.stdout, "config"), "FAIL") || !strings.Contains(r.stdout, "smtp.connections") {
		t.Errorf("doctor with a bad config: exit %d\n%s", r.code, r.stdout)
	}
}

// TestPrivateFileWarnings: check-config and run name each secret file and
// database file that group or others may read, and still go on.
func TestPrivateFileWarnings(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("hunter2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "link.key")
	if err := os.WriteFile(key, []byte(strings.Repeat("k", 40)), 0o640); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, filepath.Join(dir, "c.toml"), fmt.Sprintf(`
[database]
path = %q
[offers]
inbox = ""
[mail]
transport = "smtp"
[smtp]
username = "bot"
password_file = %q
[web]
listen = ""
secret_file = %q
`, filepath.Join(dir, "e.db"), pw, key))
	r := echeance(t, dir, "check-config", cfg)
	if r.code != 0 {
		t.Fatalf("check-config: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{pw + " (smtp.password_file) is readable or writable by group or others (mode 0644): chmod 600 " + pw,
		key + " (web.secret_file) is readable or writable by group or others (mode 0640)"} {
		if !strings.Contains(r.stderr, "warning: "+want) {
			t.Errorf("check-config stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if err := os.Chmod(pw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(key, 0o400); err != nil {
		t.Fatal(err)
	}
	if r := echeance(t, dir, "check-config", cfg); strings.Contains(r.stderr, "warning") {
		t.Errorf("check-config warns about private files: %s", r.stderr)
	}
	// The database, once created under the test's umask, is checked by run.
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "a@example.org")
	db := filepath.Join(dir, "e.db")
	if err := os.Chmod(db, 0o664); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, dir, "--config", cfg, "run")
	d.waitLine(t, 0, 20*time.Second, "file readable or writable by others", "file="+db, "key=database.path", "mode=0664")
	d.waitLine(t, 0, 20*time.Second, "run done")
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := d.wait(10 * time.Second); err != nil {
		t.Errorf("stop: %v", err)
	}
}
