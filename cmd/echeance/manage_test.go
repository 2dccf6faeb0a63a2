package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSubscriberImport(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "offer", "add", seedsDir(t))
	csv := writeFile(t, filepath.Join(dir, "students.csv"), strings.Join([]string{
		"email,name,lang,offsets,offers,search",
		"ines@example.org,Inès,fr,\"7d,1d\",1 2,",
		"not-an-address,Bad,fr,,,",
		"ines@example.org,Twice,fr,,,",
		"leo@example.org,Léo,de,,,",
		"max@example.org,Max,en,-3d,,",
		"zoe@example.org,Zoé,en,,99,",
		"sam@example.org,Sam,en,,,mediation type:stage",
		"kim@example.org,Kim,fr,,,",
	}, "\n")+"\n")
	r := echeance(t, dir, "subscriber", "import", csv)
	if r.code != 1 {
		t.Errorf("import with bad rows: exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stdout, "3 subscriber(s) added, 5 row(s) rejected") {
		t.Errorf("stdout = %q", r.stdout)
	}
	for _, want := range []string{"students.csv:3:", "students.csv:4: ines@example.org already on line 2",
		"students.csv:5: lang", "students.csv:6: offsets", "students.csv:7:", "offer 99"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	var subs []struct {
		Email    string
		Offers   []int
		Searches []string
	}
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, dir, "subscriber", "list", "--json")), "\n") {
		var s struct {
			Email    string
			Offers   []int
			Searches []string
		}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, s)
	}
	if len(subs) != 3 {
		t.Fatalf("subscribers = %+v", subs)
	}
	// Sam's search matches seed 000 (médiation scientifique, an internship).
	if subs[1].Email != "sam@example.org" || len(subs[1].Offers) == 0 {
		t.Errorf("sam follows %v through %q", subs[1].Offers, subs[1].Searches)
	}
	if len(subs[2].Offers) != 5 {
		t.Errorf("kim (no offers, no search) follows %v, want every offer", subs[2].Offers)
	}
}

func TestFollowStatusAndReminderList(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "offer", "add", seedsDir(t))
	mustRun(t, dir, "subscriber", "add", "ines@example.org", "--offer", "1")
	mustRun(t, dir, "subscriber", "add", "leo@example.org", "--offer", "1")
	mustRun(t, dir, "tick", "--now", "2025-10-01") // plans the reminders
	out := mustRun(t, dir, "reminder", "list", "--json")
	if n := strings.Count(out, `"state":"pending"`); n != 6 {
		t.Fatalf("pending reminders = %d, want 6:\n%s", n, out)
	}
	mustRun(t, dir, "follow", "leo@example.org", "1", "--applied")
	out = mustRun(t, dir, "reminder", "list", "--due", "--json", "--now", "2025-10-23T09:00:00+02:00")
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "ines@example.org") {
		t.Errorf("due after leo applied:\n%s", out)
	}
	status := mustRun(t, dir, "status", "--now", "2025-10-23T09:00:00+02:00")
	for _, want := range []string{"due now:        1", "pending:        3", "oldest unsent:  2025-10-23T08:00:00+02:00 (1h0m0s late)",
		"next run:       2025-10-23T09:10:00+02:00"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	if r := echeance(t, dir, "follow", "ines@example.org", "1", "--applied", "--not-interested"); r.code != 2 {
		t.Errorf("contradictory flags: exit %d", r.code)
	}
	if r := echeance(t, dir, "follow", "nobody@example.org", "1"); r.code != 1 || !strings.Contains(r.stderr, "nobody@example.org") {
		t.Errorf("unknown subscriber: %d %s", r.code, r.stderr)
	}
	mustRun(t, dir, "subscriber", "pause", "ines@example.org")
	out = mustRun(t, dir, "tick", "--now", "2025-10-23T09:00:00+02:00")
	if !strings.Contains(out, "sent 0 message(s)") {
		t.Errorf("a paused subscriber was sent a reminder: %s", out)
	}
	show := mustRun(t, dir, "subscriber", "show", "ines@example.org")
	if !strings.Contains(show, "state:    paused") {
		t.Errorf("show:\n%s", show)
	}
}

func TestDeadlineChangeNotifies(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "offer", "add", seedsDir(t))
	mustRun(t, dir, "subscriber", "add", "ines@example.org", "--offer", "1")
	mustRun(t, dir, "tick", "--now", "2025-10-01")
	out := mustRun(t, dir, "offer", "set-deadline", "1", "2025-11-14", "--time", "12:00", "--now", "2025-10-02")
	if !strings.Contains(out, "set to Friday, 2025-11-14 (applications close 2025-11-14T12:00:00+01:00)") {
		t.Errorf("set-deadline: %s", out)
	}
	out = mustRun(t, dir, "tick", "--now", "2025-10-02")
	if !strings.Contains(out, "sent 1 message(s)") || !strings.Contains(out, "Date limite modifiée") {
		t.Errorf("tick after the change: %s", out)
	}
	emls, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	if len(emls) != 1 {
		t.Fatalf("outbox: %v", emls)
	}
	raw, _ := os.ReadFile(emls[0])
	if html, err := htmlPart(raw); err != nil || !strings.Contains(string(html), "était le jeudi 30 octobre 2025") ||
		!strings.Contains(string(html), "vendredi 14 novembre 2025, jusqu&#39;à 12 h") ||
		!strings.Contains(string(html), "date fixée par l&#39;équipe") || strings.Contains(string(html), "avant le 31 octobre") {
		t.Errorf("the notice does not give the old and new last days, nor that the team set it (%v):\n%s", err, html)
	}
	// The reminders follow the new date: the 7-day one is due on 7 November.
	out = mustRun(t, dir, "reminder", "list", "--json")
	if !strings.Contains(out, `"due_at":"2025-11-07T08:00:00+01:00"`) {
		t.Errorf("not re-planned for the new date:\n%s", out)
	}
	if r := echeance(t, dir, "offer", "set-deadline", "42", "2025-11-14"); r.code != 1 || !strings.Contains(r.stderr, "offer 42") {
		t.Errorf("unknown offer: %d %s", r.code, r.stderr)
	}
}

func TestSavedSearchFollowsNewOffers(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "subscriber", "add", "ines@example.org", "--search", "cooperation decentralisee ville:grenoble")
	inbox := filepath.Join(dir, "seeds")
	if err := os.CopyFS(inbox, os.DirFS(seedsDir(t))); err != nil {
		t.Fatal(err)
	}
	// Seed 003's deadline is an estimate: the offer waits for review
	// (offers.review = "uncertain"), and so does its notice.
	out := mustRun(t, dir, "tick", "--now", "2025-10-01")
	if !strings.Contains(out, "sent 0 message(s)") {
		t.Fatalf("first tick with the inbox: %s", out)
	}
	if out := mustRun(t, dir, "review"); !strings.Contains(out, "why:          estimated") {
		t.Fatalf("review: %s", out)
	}
	mustRun(t, dir, "offer", "confirm", "4")
	out = mustRun(t, dir, "tick", "--now", "2025-10-01T12:30:00+02:00")
	if !strings.Contains(out, "sent 1 message(s)") || !strings.Contains(out, "Nouvelle offre") {
		t.Fatalf("the tick after the confirmation: %s", out)
	}
	if out := mustRun(t, dir, "tick", "--now", "2025-10-01T13:00:00+02:00"); !strings.Contains(out, "sent 0 message(s)") {
		t.Errorf("told twice: %s", out)
	}
	var sub struct{ Offers []int }
	json.Unmarshal([]byte(mustRun(t, dir, "subscriber", "list", "--json")), &sub)
	if fmt.Sprint(sub.Offers) != "[4]" {
		t.Errorf("follows %v, want only seed 003 (offer 4)", sub.Offers)
	}
}

func TestPreviewSendsAndRecordsNothing(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "offer", "add", seedsDir(t))
	mustRun(t, dir, "subscriber", "add", "ines@example.org", "--name", "Inès", "--lang", "en")
	htmlFile := filepath.Join(dir, "preview.html")
	out := mustRun(t, dir, "preview", "--subscriber", "ines@example.org", "--now", "2025-10-24", "--html", htmlFile)
	for _, want := range []string{"Subject:", "To: ", "ines@example.org", "List-Unsubscribe:", "<http://127.0.0.1:8080/a/",
		"Content-Type: text/calendar"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	html, err := os.ReadFile(htmlFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "<html") || !strings.Contains(string(html), "I applied") || !strings.Contains(string(html), "30 October 2025") {
		t.Errorf("preview HTML:\n%s", html)
	}
	if out := mustRun(t, dir, "reminder", "list"); out != "" {
		t.Errorf("preview recorded reminders:\n%s", out)
	}
	if emls, _ := filepath.Glob(filepath.Join(dir, "outbox", "*")); len(emls) != 0 {
		t.Errorf("preview sent: %v", emls)
	}
	if out := mustRun(t, dir, "preview", "--subscriber", "ines@example.org", "--now", "2025-10-01"); !strings.Contains(out, "nothing due") {
		t.Errorf("preview on a quiet day: %s", out)
	}
	if r := echeance(t, dir, "preview"); r.code != 2 {
		t.Errorf("preview without --subscriber: exit %d", r.code)
	}
}

// TestDoubleOptIn: a pending student gets one confirmation message and no
// reminder; after the link is used, reminders flow.
func TestDoubleOptIn(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	cfg := writeFile(t, filepath.Join(dir, "c.toml"), fmt.Sprintf("[offers]\ninbox = \"\"\n[web]\nlisten = \"127.0.0.1:%d\"\nbase_url = \"http://127.0.0.1:%d\"\n", port, port))
	mustRun(t, dir, "--config", cfg, "offer", "add", seedsDir(t))
	out := mustRun(t, dir, "--config", cfg, "subscriber", "add", "ines@example.org", "--pending")
	if !strings.Contains(out, "pending") {
		t.Errorf("add --pending: %s", out)
	}
	out = mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24")
	if !strings.Contains(out, "sent 0 message(s)") || !strings.Contains(out, "1 confirmation(s) asked") {
		t.Fatalf("first tick: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24T13:00:00+02:00"); !strings.Contains(out, "0 confirmation(s) asked") {
		t.Errorf("asked twice: %s", out)
	}
	emls, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	if len(emls) != 1 {
		t.Fatalf("outbox = %v", emls)
	}
	raw, _ := os.ReadFile(emls[0])
	html, err := htmlPart(raw)
	if err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprintf("http://127.0.0.1:%d/a/", port)
	i := strings.Index(string(html), prefix)
	if i < 0 {
		t.Fatalf("no confirmation link in:\n%s", html)
	}
	link := string(html[i:])
	link = link[:strings.IndexAny(link, "\"<")]

	stop := runDaemon(t, dir, "--config", cfg, "run", "--now", "2025-10-24T14:00:00+02:00")
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", port))
	resp, err := http.Post(link, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	stop()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %s", resp.Status)
	}
	if out := mustRun(t, dir, "--config", cfg, "subscriber", "list"); !strings.Contains(out, "\tactive\t") {
		t.Errorf("after confirming: %s", out)
	}
	// The run that was going when the link was used may have sent the
	// reminder already; either way exactly one reached the outbox.
	mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24T15:00:00+02:00")
	if emls, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml")); len(emls) != 2 {
		t.Errorf("outbox after confirming: %d messages, want the confirmation and one reminder", len(emls))
	}
}

func TestWeeklySummaryCLI(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "c.toml"), "[offers]\ninbox = \"\"\n[reminders]\nweekly_day = \"friday\"\n")
	mustRun(t, dir, "--config", cfg, "offer", "add", seedsDir(t))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "ines@example.org", "--weekly", "--offsets", "0d")
	if out := mustRun(t, dir, "--config", cfg, "subscriber", "show", "ines@example.org"); !strings.Contains(out, "weekly:   true") {
		t.Errorf("show: %s", out)
	}
	out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24") // a Friday, noon
	if !strings.Contains(out, "1 weekly summar(ies)") || !strings.Contains(out, "sent 0 message(s)") {
		t.Fatalf("Friday tick: %s", out)
	}
	if out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-25"); !strings.Contains(out, "0 weekly summar(ies)") {
		t.Errorf("Saturday tick: %s", out)
	}
}
