package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// estimatedOffer states no deadline, only a start: echeance estimates the
// last day (1 November 2025), which is uncertain.
const estimatedOffer = "Stage en médiation scientifique\nMuséum de Grenoble\nStage de 6 mois à partir du 1er décembre 2025.\nCandidatures : rh@museum.example\n"

// TestReviewCommands: review lists the held offer with why; offer confirm
// releases it; set-deadline --none drops its reminders.
func TestReviewCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "e.toml"), fmt.Sprintf("[database]\npath = %q\n[offers]\ninbox = \"\"\n[web]\nlisten = \"\"\n",
		filepath.Join(dir, "e.db")))
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-20", "offer", "add",
		writeFile(t, filepath.Join(dir, "est.txt"), estimatedOffer),
		filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	out := mustRun(t, dir, "--config", cfg, "review")
	if !strings.Contains(out, "1 offer(s) to review") || !strings.Contains(out, "Stage en médiation scientifique") ||
		!strings.Contains(out, "why:          estimated") || strings.Contains(out, "Territoire") {
		t.Errorf("review:\n%s", out)
	}
	var item struct {
		ID      int64
		Reasons []string
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "--config", cfg, "review", "--json")), &item); err != nil || item.ID < 1 {
		t.Fatalf("review --json: %+v %v", item, err)
	}
	if out := mustRun(t, dir, "--config", cfg, "status"); !strings.Contains(out, "to review:      1") {
		t.Errorf("status:\n%s", out)
	}
	id := fmt.Sprint(item.ID)
	if out := mustRun(t, dir, "--config", cfg, "offer", "confirm", id); !strings.Contains(out, "offer "+id+" confirmed") {
		t.Errorf("offer confirm: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "review"); !strings.Contains(out, "0 offer(s) to review") {
		t.Errorf("review after confirm:\n%s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "offer", "set-deadline", id, "--none"); !strings.Contains(out, "no deadline") {
		t.Errorf("set-deadline --none: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "offer", "list"); !strings.Contains(out, id+"\tno deadline") {
		t.Errorf("offer list after --none:\n%s", out)
	}
	for _, bad := range [][]string{{"offer", "confirm", "x"}, {"offer", "confirm"}, {"offer", "set-deadline", id, "2025-11-01", "--none"}} {
		if r := echeance(t, dir, append([]string{"--config", cfg}, bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d %s", bad, r.code, r.stderr)
		}
	}
	if r := echeance(t, dir, "--config", cfg, "offer", "confirm", "999"); r.code != 1 || !strings.Contains(r.stderr, "offer 999") {
		t.Errorf("confirm of an unknown offer: %d %s", r.code, r.stderr)
	}
}

// TestReviewEmailReleasesTheNextReminder is the whole review path with the
// real daemon and Mailpit: an uncertain offer sends its student nothing,
// the career service gets the review email, its confirm button (POST)
// releases the offer, the reminder whose time passed meanwhile never goes,
// and the next one ahead does.
func TestReviewEmailReleasesTheNextReminder(t *testing.T) {
	mp := startMailpit(t)
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := mailpitConfig(t, dir, mp.smtpPort, fmt.Sprintf("http://127.0.0.1:%d", webPort), `[review]
to = ["stages@univ.example"]
`)
	mustRun(t, dir, "--config", cfg, "--now", "2025-10-20", "offer", "add", writeFile(t, filepath.Join(dir, "est.txt"), estimatedOffer))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "ines@example.org")

	// The 7-day reminder is due on the 25th: held, and the review email goes.
	out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-25T08:05:00+02:00")
	if !strings.Contains(out, "sent 0 message(s)") || !strings.Contains(out, "1 offer(s) in the review email") {
		t.Fatalf("tick on the 25th: %s", out)
	}
	msgs := mp.messages(t)
	if len(msgs) != 1 || msgs[0].To[0].Address != "stages@univ.example" {
		t.Fatalf("mailpit: %+v, want the review email alone", msgs)
	}
	var full struct{ Text string }
	mp.get(t, "/api/v1/message/"+msgs[0].ID, &full)
	m := regexp.MustCompile(`C'est juste\x{202f}: (http://\S+/r/\S+)`).FindStringSubmatch(full.Text)
	if m == nil || !strings.Contains(full.Text, "Stage en médiation scientifique") {
		t.Fatalf("no confirm button in the review email:\n%s", full.Text)
	}
	confirm := m[1]

	runDaemon(t, dir, "--config", cfg, "--now", "2025-10-27T10:00:00+01:00", "run")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	resp, err := http.Get(confirm)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "<form method=\"post\">") {
		t.Fatalf("GET the confirm button: %s\n%s", resp.Status, page)
	}
	if out := mustRun(t, dir, "--config", cfg, "review"); !strings.Contains(out, "1 offer(s) to review") {
		t.Fatalf("a GET confirmed the offer:\n%s", out)
	}
	resp, err = http.PostForm(confirm, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "le prochain à venir") {
		t.Fatalf("POST the confirm button: %s\n%s", resp.Status, page)
	}
	if out := mustRun(t, dir, "--config", cfg, "review"); !strings.Contains(out, "0 offer(s) to review") {
		t.Fatalf("after the button:\n%s", out)
	}

	// The next reminder ahead (2 days before the 1st) goes on the 30th; the
	// 7-day one, held past its time, never does.
	out = mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-30T08:05:00+01:00")
	if !strings.Contains(out, "sent 1 message(s)") || !strings.Contains(out, "ines@example.org") {
		t.Fatalf("tick on the 30th: %s", out)
	}
	var toStudent []mailpitSummary
	for _, msg := range mp.messages(t) {
		if msg.To[0].Address == "ines@example.org" {
			toStudent = append(toStudent, msg)
		}
	}
	if len(toStudent) != 1 || !strings.Contains(toStudent[0].Subject, "J\u20112") {
		t.Errorf("the student's messages: %+v, want the 2-day reminder alone", toStudent)
	}
	if out := mustRun(t, dir, "--config", cfg, "reminder", "list"); !strings.Contains(out, "expired\tines@example.org") {
		t.Errorf("the held 7-day reminder did not expire:\n%s", out)
	}
}
