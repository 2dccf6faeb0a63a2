package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBackupWhileSending takes backups while the daemon sends 1,000 due
// reminders to Mailpit: each copy opens, passes PRAGMA integrity_check,
// holds every reminder, and is private; a folder keeps the newest --keep.
func TestBackupWhileSending(t *testing.T) {
	const students = 1000
	mp := startMailpit(t, "--max", "10000", "--smtp-disable-rdns")
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := mailpitConfig(t, dir, mp.smtpPort, fmt.Sprintf("http://127.0.0.1:%d", webPort), "[reminders]\nbatch_size = 20\n")
	out := mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	offerID, _, _ := strings.Cut(out, "\t")
	var csv strings.Builder
	csv.WriteString("email,offers\n")
	for i := 1; i <= students; i++ {
		fmt.Fprintf(&csv, "student%04d@example.org,%s\n", i, offerID)
	}
	mustRun(t, dir, "--config", cfg, "subscriber", "import", writeFile(t, filepath.Join(dir, "s.csv"), csv.String()))

	d := startDaemon(t, dir, "--config", cfg, "--now", "2025-10-24", "run")
	for end := time.Now().Add(30 * time.Second); mp.total(t) < 60; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) || d.done() {
			t.Fatalf("sending did not start:\n%s", d.log())
		}
	}
	copy1 := filepath.Join(dir, "copy.db")
	out = mustRun(t, dir, "--config", cfg, "backup", copy1)
	midSend := !strings.Contains(d.log(), "run done")
	if !midSend {
		t.Logf("the run ended before the backup did: the copy was not taken mid-send")
	}
	// Three reminders per student (7d, 2d, 0d), the first due now.
	if !strings.Contains(out, "integrity ok") || !strings.Contains(out, fmt.Sprintf("%d reminder(s)", 3*students)) {
		t.Errorf("backup printed %q", out)
	}
	folder := filepath.Join(dir, "backups")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for i, at := range []string{"2025-10-24T12:00:00+02:00", "2025-10-24T12:00:01+02:00", "2025-10-24T12:00:02+02:00"} {
		out := mustRun(t, dir, "--config", cfg, "--now", at, "backup", "--keep", "2", folder)
		if i == 2 && !strings.Contains(out, "removed") {
			t.Errorf("the third backup with --keep 2 removed nothing: %s", out)
		}
	}
	kept, _ := filepath.Glob(filepath.Join(folder, "echeance-*.db"))
	if len(kept) != 2 || !strings.HasSuffix(kept[0], "echeance-20251024-100001.db") {
		t.Errorf("backups kept: %v, want the two newest", kept)
	}

	if !d.waitFor("run done", 60*time.Second) {
		t.Fatalf("the run did not finish:\n%s", d.log())
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := d.wait(10 * time.Second); err != nil {
		t.Errorf("stop: %v", err)
	}

	for _, p := range append(kept, copy1) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", p, fi.Mode().Perm())
		}
		db, err := sql.Open("sqlite3", "file:"+p+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var check string
		var total, sent int
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("%s: integrity_check %q, %v", p, check, err)
		}
		if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE state = 'sent') FROM reminders`).Scan(&total, &sent); err != nil {
			t.Fatal(err)
		}
		db.Close()
		t.Logf("%s: %d reminders, %d sent", filepath.Base(p), total, sent)
		if total != 3*students {
			t.Errorf("%s holds %d reminders, want %d", p, total, 3*students)
		}
		if p == copy1 && midSend && (sent == 0 || sent >= students) {
			t.Errorf("the copy taken mid-send has %d reminders sent, want some but not all %d", sent, students)
		}
	}
	// Restoring is copying the file back: echeance reads it as its database.
	restored := writeFile(t, filepath.Join(dir, "restored.toml"), fmt.Sprintf("[database]\npath = %q\n[offers]\ninbox = \"\"\n", copy1))
	if out := mustRun(t, dir, "--config", restored, "--now", "2025-10-24", "status"); !strings.Contains(out, "pending:") {
		t.Errorf("status on the copy: %s", out)
	}
	if r := echeance(t, dir, "--config", cfg, "backup", copy1); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %s", r.code, r.stderr)
	}
}
