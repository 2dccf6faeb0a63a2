package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// startMailpit runs the binary that make test builds (bin/mailpit, or
// $MAILPIT) on loopback ports.
func startMailpit(t *testing.T) *mailpit {
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
	cmd := exec.Command(bin, "--disable-version-check",
		"--smtp", fmt.Sprintf("127.0.0.1:%d", m.smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"))
	logs := &strings.Builder{}
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

func (m *mailpit) messages(t *testing.T) []mailpitSummary {
	t.Helper()
	var list struct{ Messages []mailpitSummary }
	m.get(t, "/api/v1/messages", &list)
	return list.Messages
}

func smtpConfig(t *testing.T, dir string, port int) string {
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
`, filepath.Join(dir, "e.db"), port))
}

// TestSeedReminderReachesSMTP is the whole path: the seeds go in, a student
// subscribes, and one tick at the right virtual date delivers the seed-000
// reminder to a real SMTP server, once.
func TestSeedReminderReachesSMTP(t *testing.T) {
	mp := startMailpit(t)
	dir := t.TempDir()
	cfg := smtpConfig(t, dir, mp.smtpPort)

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
	if !strings.Contains(msgs[0].Subject, "Territoire de") || !strings.Contains(msgs[0].Subject, "31 octobre 2025") {
		t.Errorf("Subject = %q", msgs[0].Subject)
	}
	var full struct {
		Text      string
		MessageID string
		From      mailpitAddr
	}
	mp.get(t, "/api/v1/message/"+msgs[0].ID, &full)
	for _, want := range []string{"Bonjour Inès", "avant le 31 octobre 2025", "jeudi 30 octobre 2025",
		"Il reste 6 jours", "ahlem.elafani@territoire-de-sciences.fr"} {
		if !strings.Contains(full.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, full.Text)
		}
	}
	if full.From.Address != "rappels@echeance.example" || !strings.HasSuffix(full.MessageID, "@echeance.example") {
		t.Errorf("From %+v, Message-ID %q", full.From, full.MessageID)
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
