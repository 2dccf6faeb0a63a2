package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mailpit is a real SMTP server with an HTTP API to read what it received.
type mailpit struct {
	smtpPort int
	api      string
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// mailpitConfig writes dir/echeance.toml for a daemon that keeps its
// database in dir/e.db, reads no inbox, sends to Mailpit on smtpPort and
// serves its pages at base (http://127.0.0.1:PORT). The [web] table comes
// last, so extra may add keys to it before any tables of its own.
func mailpitConfig(t *testing.T, dir string, smtpPort int, base, extra string) string {
	t.Helper()
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
timeout = "5s"
[schedule]
# A daemon runs at its start and when woken; a run of its own clock in the
# middle of a test would send what the test's tick is there to send.
reminders = "0 3 1 1 *"
[web]
listen = %q
base_url = %q
%s`, filepath.Join(dir, "e.db"), smtpPort, strings.TrimPrefix(base, "http://"), base, extra))
}

// startMailpit runs the binary that make test builds (bin/mailpit, or
// $MAILPIT) on loopback ports, with extra options args.
func startMailpit(t *testing.T, args ...string) *mailpit {
	t.Helper()
	bin := os.Getenv("MAILPIT")
	if bin == "" {
		bin = filepath.Join("..", "..", "bin", "mailpit")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no Mailpit at %s (make test builds it): %v", bin, err)
	}
	m := &mailpit{smtpPort: freePort(t)}
	httpPort := freePort(t)
	m.api = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	cmd := exec.Command(bin, append([]string{"--disable-version-check",
		"--smtp", fmt.Sprintf("127.0.0.1:%d", m.smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db")}, args...)...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp, err := http.Get(m.api + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", m.smtpPort)); err == nil {
				c.Close()
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start: %s", logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type mailpitAddr struct{ Name, Address string }

type mailpitSummary struct {
	ID      string
	To      []mailpitAddr
	Subject string
}

func (m *mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func (m *mailpit) raw(t *testing.T, path string) []byte {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", path, resp.Status, err)
	}
	return b
}

// runDaemon starts `echeance args...` in dir and returns a function that
// stops it with SIGTERM and checks it exits 0.
func runDaemon(t *testing.T, dir string, args ...string) func() {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	logs := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("daemon exit: %v\n%s", err, logs)
		}
	}
	t.Cleanup(stop)
	return stop
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (m *mailpit) messages(t *testing.T) []mailpitSummary {
	t.Helper()
	var list struct{ Messages []mailpitSummary }
	m.get(t, "/api/v1/messages", &list)
	return list.Messages
}

func smtpConfig(t *testing.T, dir string, port int) string {
	t.Helper()
	return smtpWebConfig(t, dir, port, freePort(t))
}

// smtpWebConfig also sets the daemon's web server on webPort, the address
// written in links.
func smtpWebConfig(t *testing.T, dir string, port, webPort int) string {
	t.Helper()
	return writeFile(t, filepath.Join(dir, "echeance.toml"), fmt.Sprintf(`
[database]
path = %q
[offers]
inbox = ""
[mail]
transport = "smtp"
from = "Échéances <rappels@echeance.example>"
reply_to = "carrieres@echeance.example"
[smtp]
host = "127.0.0.1"
port = %d
security = "none"
timeout = "5s"
[web]
listen = "127.0.0.1:%d"
base_url = "http://127.0.0.1:%d"
`, filepath.Join(dir, "e.db"), port, webPort, webPort))
}

// TestSeedReminderReachesSMTP is the whole path: the seeds go in, a student
// subscribes, and one tick at the right virtual date delivers the seed-000
// reminder to a real SMTP server, once.
func TestSeedReminderReachesSMTP(t *testing.T) {
	mp := startMailpit(t)
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := smtpWebConfig(t, dir, mp.smtpPort, webPort)

	mustRun(t, dir, "--config", cfg, "offer", "add", seedsDir(t))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "etudiante@example.org", "--name", "Inès")

	// Before the first reminder of seed 000 (7 days before the last day,
	// 30 October 2025): nothing goes out.
	out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-22T20:00:00+02:00")
	if !strings.Contains(out, "sent 0 message(s)") {
		t.Errorf("tick on the 22nd: %s", out)
	}
	out = mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24")
	if !strings.Contains(out, "sent 1 message(s)") || !strings.Contains(out, "etudiante@example.org") {
		t.Fatalf("tick on the 24th: %s", out)
	}

	msgs := mp.messages(t)
	if len(msgs) != 1 {
		t.Fatalf("mailpit received %d messages, want 1: %+v", len(msgs), msgs)
	}
	if got := msgs[0].To; len(got) != 1 || got[0].Address != "etudiante@example.org" {
		t.Errorf("To = %+v", got)
	}
	if !strings.Contains(msgs[0].Subject, "Territoire de") || !strings.Contains(msgs[0].Subject, "jeudi 30 octobre 2025") {
		t.Errorf("Subject = %q", msgs[0].Subject)
	}
	var full struct {
		Text, HTML  string
		MessageID   string
		From        mailpitAddr
		ReplyTo     []mailpitAddr
		Attachments []struct{ PartID, FileName, ContentType string }
	}
	mp.get(t, "/api/v1/message/"+msgs[0].ID, &full)
	for _, want := range []string{"Bonjour Inès", "avant le 31 octobre 2025", "jeudi 30 octobre 2025",
		"Il reste 6 jours", "ahlem.elafani@territoire-de-sciences.fr"} {
		if !strings.Contains(full.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, full.Text)
		}
		if !strings.Contains(full.HTML, html.EscapeString(want)) && !strings.Contains(full.HTML, want) {
			t.Errorf("HTML part lacks %q", want)
		}
	}
	if full.From.Address != "rappels@echeance.example" || !strings.HasSuffix(full.MessageID, "@echeance.example") {
		t.Errorf("From %+v, Message-ID %q", full.From, full.MessageID)
	}
	if len(full.ReplyTo) != 1 || full.ReplyTo[0].Address != "carrieres@echeance.example" {
		t.Errorf("Reply-To = %+v", full.ReplyTo)
	}

	// The headers a mail client acts on.
	var headers map[string][]string
	mp.get(t, "/api/v1/message/"+msgs[0].ID+"/headers", &headers)
	unsub := strings.Join(headers["List-Unsubscribe"], ",")
	prefix := fmt.Sprintf("<http://127.0.0.1:%d/a/", webPort)
	if !strings.Contains(unsub, prefix) || !strings.Contains(unsub, "<mailto:rappels@echeance.example") {
		t.Errorf("List-Unsubscribe = %q", unsub)
	}
	for name, want := range map[string]string{"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Auto-Submitted": "auto-generated", "List-Id": "echeance"} {
		if got := strings.Join(headers[name], ","); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	// The calendar entry, read by a real calendar parser.
	var ics []byte
	for _, a := range full.Attachments {
		if strings.HasPrefix(a.ContentType, "text/calendar") {
			ics = mp.raw(t, "/api/v1/message/"+msgs[0].ID+"/part/"+a.PartID)
		}
	}
	if ics == nil {
		t.Fatalf("no calendar attachment in %+v", full.Attachments)
	}
	icsFile := writeFile(t, filepath.Join(dir, "reminder.ics"), string(ics))
	icalOut, err := exec.Command("node", filepath.Join("..", "..", "scripts", "ical-check.mjs"), icsFile).CombinedOutput()
	if err != nil {
		t.Fatalf("ical.js: %v\n%s", err, icalOut)
	}
	if !strings.Contains(string(icalOut), `"2025-10-30"`) {
		t.Errorf("the calendar entry is not on the last day to apply (30 October):\n%s", icalOut)
	}

	// The student clicks "unsubscribe" in their mail client (RFC 8058) while
	// the daemon runs.
	link := unsub[strings.Index(unsub, prefix)+1:]
	link = link[:strings.IndexByte(link, '>')]
	stop := runDaemon(t, dir, "--config", cfg, "run", "--now", "2025-10-24T15:00:00+02:00")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	resp, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("one-click unsubscribe: %s", resp.Status)
	}
	stop()
	if out := mustRun(t, dir, "--config", cfg, "subscriber", "list"); !strings.Contains(out, "unsubscribed") {
		t.Errorf("after one-click unsubscribe: %s", out)
	}

	// The same day again: nothing new.
	mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24T15:00:00+02:00")
	if n := len(mp.messages(t)); n != 1 {
		t.Errorf("a second tick the same day sent again: %d messages", n)
	}
}

// TestDeadSMTPKeepsReminders: an unreachable relay fails the tick with a
// clear line, and the reminder goes out once the relay is back.
func TestDeadSMTPKeepsReminders(t *testing.T) {
	dir := t.TempDir()
	dead := freePort(t) // nothing listens there
	cfg := smtpConfig(t, dir, dead)
	mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "a@example.org")
	r := echeance(t, dir, "--config", cfg, "tick", "--now", "2025-10-24")
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("127.0.0.1:%d", dead)) {
		t.Fatalf("dead relay: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}

	mp := startMailpit(t)
	cfg = smtpConfig(t, dir, mp.smtpPort)
	// The retry waits its delay (5 minutes after the failure).
	mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24T12:01:00+02:00")
	if n := len(mp.messages(t)); n != 0 {
		t.Errorf("retried before the delay: %d", n)
	}
	mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24T12:10:00+02:00")
	if n := len(mp.messages(t)); n != 1 {
		t.Errorf("after the relay came back: %d messages, want 1", n)
	}
}
