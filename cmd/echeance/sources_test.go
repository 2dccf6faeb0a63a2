package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/mailbox/dovecottest"
)

// imapConfig writes a config reading the Dovecot mailbox srv; extra is
// appended.
func imapConfig(t *testing.T, dir string, srv *dovecottest.Server, section, extra string) string {
	t.Helper()
	pw := writeFile(t, filepath.Join(dir, "imap-password"), srv.Password+"\n")
	return writeFile(t, filepath.Join(dir, "config.toml"), fmt.Sprintf(`[offers]
inbox = ""
[web]
listen = ""
%s
[%s]
host = %q
port = %d
security = "none"
username = %q
password_file = %q
every = "10s"
`, extra, section, srv.Host, srv.Port, srv.User, pw))
}

// corpusOffers returns n different offers of the deadline corpora.
func corpusOffers(t *testing.T, n int) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "offer", "testdata", "deadlines2", "*.txt"))
	if err != nil || len(paths) < n {
		t.Fatalf("corpus: %d files, %v", len(paths), err)
	}
	var out []string
	for _, p := range paths[:n] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// offerSources returns the offer each source name was stored as, and
// the number of offers.
func offerSources(t *testing.T, dir, cfg string) (map[string]int64, int) {
	t.Helper()
	out := mustRun(t, dir, "--config", cfg, "offer", "list", "--json")
	bySource := map[string]int64{}
	offers := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var o struct {
			ID      int64
			Sources []struct{ Name string }
		}
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatal(err)
		}
		offers++
		for _, s := range o.Sources {
			if _, dup := bySource[s.Name]; dup {
				t.Errorf("source %s stored twice", s.Name)
			}
			bySource[s.Name] = o.ID
		}
	}
	return bySource, offers
}

// runUntil starts `echeance run` and SIGKILLs it the moment a log line
// contains marker (from the goroutine reading the log, so nothing of the
// daemon's runs between the line and the kill but what was already under
// way). It returns the log.
func runUntil(t *testing.T, dir, cfg, marker string, timeout time.Duration) string {
	t.Helper()
	cmd := exec.Command(binary, "--config", cfg, "--now", "2025-10-02", "run")
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.Contains(sc.Text(), marker) {
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		io.Copy(io.Discard, stderr)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
	}
	cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	return logs.String()
}

// TestMailboxCrashStoresOnce delivers offers into Dovecot, runs the daemon
// and kills it with SIGKILL as soon as it has stored the first offer of a
// batch, before it moved the batch's messages: they are all still in the
// INBOX, and the next run reads them again, stores nothing twice (every
// offer stored before the crash keeps its id, no source twice) and moves
// them all.
func TestMailboxCrashStoresOnce(t *testing.T) {
	srv := dovecottest.Start(t)
	dir := t.TempDir()
	cfg := imapConfig(t, dir, srv, "[sources.imap]", "[log]\nlevel = \"info\"")
	offers := corpusOffers(t, 30)
	date := time.Date(2025, 9, 30, 9, 0, 0, 0, time.UTC)
	delivered, stored := 0, 0
	for round := range 3 {
		for i := range 10 {
			srv.Deliver(t, dovecottest.Mail{ID: fmt.Sprintf("crash-%d@rh.example", delivered), From: "rh@rh.example",
				To: "offres@carrieres.example.org", Subject: fmt.Sprintf("Offre %d", i), Date: date, Text: offers[delivered]}.Bytes())
			delivered++
		}
		logs := runUntil(t, dir, cfg, "offer added", 30*time.Second)
		if !strings.Contains(logs, "offer added") {
			t.Fatalf("the daemon stored nothing:\n%s", logs)
		}
		before, nBefore := offerSources(t, dir, cfg)
		left := srv.Count(t, "")
		t.Logf("round %d: killed after storing: %d offers from %d messages, %d messages still in the INBOX", round, nBefore, len(before), left)
		if left != 10 || len(before) <= stored {
			t.Fatalf("round %d: %d messages left, %d stored: the kill did not land between storing and moving\n%s", round, left, len(before), logs)
		}
		// Restart: everything is read again, nothing stored twice.
		logs = runUntil(t, dir, cfg, "mailbox read", 30*time.Second)
		if n := srv.Count(t, ""); n != 0 {
			t.Fatalf("%d messages left in the INBOX after the restart:\n%s", n, logs)
		}
		after, _ := offerSources(t, dir, cfg)
		stored = len(after)
		for name, id := range before {
			if after[name] != id {
				t.Errorf("%s: offer %d before the crash, %d after", name, id, after[name])
			}
		}
		done := srv.Count(t, "echeance-lues")
		if len(after) != done || done+srv.Count(t, "echeance-rejetees") != delivered {
			t.Errorf("%d sources stored, %d messages done, %d rejected, %d delivered", len(after), done, srv.Count(t, "echeance-rejetees"), delivered)
		}
	}
}

// TestBounceOfReminderPausesStudent sends reminders through Mailpit with a
// VERP return path, then delivers into the bounce mailbox a DSN for one
// student's return path and one with a forged token for another: the
// first is paused with the reason (subscriber show), the second unchanged.
func TestBounceOfReminderPausesStudent(t *testing.T) {
	mp := startMailpit(t)
	srv := dovecottest.Start(t)
	dir := t.TempDir()
	cfg := imapConfig(t, dir, srv, "sources.bounces", fmt.Sprintf(`[mail]
transport = "smtp"
from = "Carrières <rappels@carrieres.example.org>"
bounce_address = "bounces+{token}@carrieres.example.org"
[smtp]
host = "127.0.0.1"
port = %d
security = "none"`, mp.smtpPort))
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-01", "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-01", "subscriber", "add", "dead@univ.example")
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-01", "subscriber", "add", "alive@univ.example")
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-24", "tick")
	var list struct {
		Messages []struct {
			ID string
			To []mailpitAddr
		}
	}
	mp.get(t, "/api/v1/messages", &list)
	returnPath := map[string]string{}
	for _, m := range list.Messages {
		raw := mp.raw(t, "/api/v1/message/"+m.ID+"/raw")
		msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		returnPath[m.To[0].Address] = strings.Trim(msg.Header.Get("Return-Path"), "<>")
	}
	dead := returnPath["dead@univ.example"]
	if len(returnPath) != 2 || !strings.HasPrefix(dead, "bounces+") || !strings.HasSuffix(dead, "@carrieres.example.org") || dead == returnPath["alive@univ.example"] {
		t.Fatalf("return paths %v: want one VERP address per student", returnPath)
	}
	dsn := func(id, to, rcpt string) []byte {
		return dovecottest.Mail{ID: id, From: "MAILER-DAEMON@relay.univ.example", To: to, Subject: "Undelivered Mail Returned to Sender",
			Date:    time.Date(2025, 10, 24, 9, 0, 0, 0, time.UTC),
			Headers: []string{`Content-Type: multipart/report; report-type=delivery-status; boundary="b"`},
			Raw: "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n" +
				"Reporting-MTA: dns; relay.univ.example\r\n\r\nFinal-Recipient: rfc822; " + rcpt + "\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
				"Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--b--\r\n"}.Bytes()
	}
	srv.Deliver(t, dsn("dsn1@relay", dead, "dead@univ.example"))
	tok := strings.TrimSuffix(strings.TrimPrefix(returnPath["alive@univ.example"], "bounces+"), "@carrieres.example.org")
	forged := "bounces+" + tok[:len(tok)-4] + "0000@carrieres.example.org"
	srv.Deliver(t, dsn("dsn2@relay", forged, "alive@univ.example"))
	out := mustRun(t, dir, "--config", cfg, "--now", "2025-10-24", "sources", "read")
	if !strings.Contains(out, "2 message(s)") || !strings.Contains(out, "2 bounce(s)") || !strings.Contains(out, "1 rejected") {
		t.Errorf("sources read: %s", out)
	}
	show := mustRun(t, dir, "--config", cfg, "subscriber", "show", "dead@univ.example")
	if !strings.Contains(show, "state:    paused (paused by echeance: address failed: 5.1.1") || !strings.Contains(show, "address:  failed on") {
		t.Errorf("the bounced student:\n%s", show)
	}
	show = mustRun(t, dir, "--config", cfg, "subscriber", "show", "alive@univ.example")
	if !strings.Contains(show, "state:    active") || !strings.Contains(show, "address:  ok") {
		t.Errorf("the student of the forged bounce:\n%s", show)
	}
}

// TestOfferAddDocuments: offer add reads a PDF and a DOCX of a seed to the
// seed's deadline, and reports a scanned PDF by name without storing it.
func TestOfferAddDocuments(t *testing.T) {
	dir := t.TempDir()
	text, err := os.ReadFile(filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "offre.pdf"), doctest.PDF(t, string(text), 2), 0o600)
	os.WriteFile(filepath.Join(dir, "scan.pdf"), doctest.ScannedPDF(), 0o600)
	r := echeance(t, dir, "--now", "2025-10-01", "offer", "add", "offre.pdf", "scan.pdf")
	if r.code != 1 || !strings.Contains(r.stdout, "added\tlast day 2025-10-30\toffre.pdf") ||
		!strings.Contains(r.stderr, "scan.pdf") || !strings.Contains(r.stderr, "no text layer") {
		t.Errorf("offer add: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(filepath.Join(dir, "offre.docx"), doctest.DOCX(t, string(text)), 0o600)
	out := mustRun(t, dir, "--now", "2025-10-01", "offer", "add", "offre.docx")
	if !strings.Contains(out, "same offer as another source") {
		t.Errorf("the DOCX of the same offer: %s", out)
	}
	if n := strings.Count(mustRun(t, dir, "offer", "list"), "\n"); n != 1 {
		t.Errorf("%d offers listed, want 1", n)
	}
}
