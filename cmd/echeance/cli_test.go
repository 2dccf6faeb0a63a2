package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the real echeance, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "echeance-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "echeance")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build echeance: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// seedsDir is the repository's seeds folder.
func seedsDir(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "seeds"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type result struct {
	code           int
	stdout, stderr string
}

// echeance runs the binary in dir with args.
func echeance(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := echeance(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("echeance %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, "check-config")
	for _, want := range []string{`path = "echeance.db"`, `timezone = "Europe/Paris"`, `transport = "dir"`} {
		if !strings.Contains(out, want) {
			t.Errorf("check-config output lacks %q:\n%s", want, out)
		}
	}
	pw := writeFile(t, filepath.Join(dir, "pw"), "hunter2\n")
	good := writeFile(t, filepath.Join(dir, "good.toml"), fmt.Sprintf("[mail]\ntransport = \"smtp\"\n[smtp]\nusername = \"bot\"\npassword_file = %q\n", pw))
	out = mustRun(t, dir, "check-config", good)
	if strings.Contains(out, "hunter2") || !strings.Contains(out, "hidden") {
		t.Errorf("check-config shows the secret or does not say it is hidden:\n%s", out)
	}

	bad := writeFile(t, filepath.Join(dir, "bad.toml"), "[smtp]\nhost = \"x\"\n\n[schedule]\nreminder = \"0 8 * * *\"\n")
	r := echeance(t, dir, "check-config", bad)
	if r.code != 2 || !strings.Contains(r.stderr, `bad.toml:5: unknown key "schedule.reminder"`) {
		t.Errorf("unknown key: exit %d, stderr %q; want 2 naming the file, line and key", r.code, r.stderr)
	}
	cron := writeFile(t, filepath.Join(dir, "cron.toml"), "[schedule]\nreminders = \"61 * * * *\"\n")
	r = echeance(t, dir, "--config", cron, "tick")
	if r.code != 2 || !strings.Contains(r.stderr, "schedule.reminders: invalid cron spec") {
		t.Errorf("bad cron: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"offer"},
		{"offer", "add"},
		{"subscriber", "add", "not-an-address"},
		{"subscriber", "add", "a@example.org", "--offsets", "-3d"},
		{"subscriber", "add", "a@example.org", "--offsets", "400d"},
		{"tick", "--now", "yesterday"},
		{"extract", "--bogus", "x"},
	} {
		r := echeance(t, dir, args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("echeance %q: exit %d stderr %q, want 2 and a message", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "echeance.db")); err == nil {
		// usage errors are found before anything is opened
		t.Errorf("a usage error created the database")
	}
}

func TestOfferAddAndList(t *testing.T) {
	dir := t.TempDir()
	// Global flags work after the subcommand too.
	out := mustRun(t, dir, "offer", "add", seedsDir(t), "--now", "2025-10-01")
	if n := strings.Count(out, "\tadded\t"); n != 5 {
		t.Fatalf("offer add seeds: %d added, want 5:\n%s", n, out)
	}
	out = mustRun(t, dir, "--now", "2025-10-01", "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	if !strings.Contains(out, "already known") {
		t.Errorf("re-adding a seed: %s", out)
	}

	empty := writeFile(t, filepath.Join(dir, "empty.txt"), "  \n\n")
	binary := writeFile(t, filepath.Join(dir, "blob.txt"), "PK\x03\x04\x00\x00\x01\x02binary")
	r := echeance(t, dir, "offer", "add", empty, binary, filepath.Join(dir, "missing.txt"))
	if r.code != 1 {
		t.Errorf("bad files: exit %d, want 1", r.code)
	}
	for _, name := range []string{"empty.txt", "blob.txt", "missing.txt"} {
		if !strings.Contains(r.stderr, name) {
			t.Errorf("stderr does not name %s: %s", name, r.stderr)
		}
	}

	var offers []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, dir, "offer", "list", "--json")), "\n") {
		var o map[string]any
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatalf("offer list --json line %q: %v", line, err)
		}
		offers = append(offers, o)
	}
	if len(offers) != 5 {
		t.Fatalf("offer list: %d offers, want 5 (bad files stored nothing)", len(offers))
	}
	for _, o := range offers {
		for _, key := range []string{"id", "file", "title", "organisation", "places", "deadline", "start", "end",
			"duration", "hours_per_week", "stipend", "contacts", "language", "dates"} {
			if _, ok := o[key]; !ok {
				t.Errorf("offer %v lacks key %q", o["id"], key)
			}
		}
		d := o["deadline"].(map[string]any)
		seed000 := strings.HasSuffix(o["file"].(string), "000_dc2ab0cf186ec50a.txt")
		if seed000 {
			if d["kind"] != "explicit" || d["date"] != "2025-10-31" || d["last_day"] != "2025-10-30" ||
				d["due_at"] != "2025-10-31T00:00:00+01:00" || !strings.Contains(d["phrase"].(string), "31 octobre 2025") {
				t.Errorf("seed 000 deadline = %v", d)
			}
		} else if d["kind"] == "explicit" {
			t.Errorf("%s: invented an explicit deadline %v", o["file"], d)
		}
	}
}

func TestSubscribers(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "offer", "add", seedsDir(t))
	mustRun(t, dir, "subscriber", "add", "Alice@Example.org", "--offsets", "3d,0d", "--lang", "en")
	mustRun(t, dir, "subscriber", "add", "bob@example.org", "--offer", "1", "--offer", "2")
	r := echeance(t, dir, "subscriber", "add", "carol@example.org", "--offer", "99")
	if r.code != 1 || !strings.Contains(r.stderr, "offer 99") {
		t.Errorf("unknown offer: exit %d stderr %q", r.code, r.stderr)
	}
	r = echeance(t, dir, "subscriber", "add", "alice@example.org")
	if r.code != 1 || !strings.Contains(r.stderr, "alice@example.org") || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("duplicate: exit %d stderr %q", r.code, r.stderr)
	}
	out := mustRun(t, dir, "subscriber", "list", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("subscriber list: %q", out)
	}
	var alice struct {
		Email, State, Lang string
		Offsets            []string
		FollowAll          bool `json:"follow_all"`
		Offers             []int
	}
	if err := json.Unmarshal([]byte(lines[0]), &alice); err != nil {
		t.Fatal(err)
	}
	if alice.Email != "alice@example.org" || alice.State != "active" || alice.Lang != "en" ||
		strings.Join(alice.Offsets, ",") != "3d,0d" || !alice.FollowAll || len(alice.Offers) != 5 {
		t.Errorf("alice = %+v", alice)
	}
	mustRun(t, dir, "subscriber", "remove", "bob@example.org")
	if r := echeance(t, dir, "subscriber", "remove", "bob@example.org"); r.code != 1 {
		t.Errorf("removing twice: exit %d", r.code)
	}
}

// syncBuffer is a bytes.Buffer that the process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunOnDefaults starts the daemon with no config in a folder holding
// the seeds, as a newcomer would, and stops it with SIGTERM.
func TestRunOnDefaults(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "seeds"), os.DirFS(seedsDir(t))); err != nil {
		t.Fatal(err)
	}
	// A subscriber first, so the catch-up run at start has a reminder to write.
	mustRun(t, dir, "subscriber", "add", "alice@example.org")

	cmd := exec.Command(binary, "run", "--now", "2025-10-24")
	cmd.Dir = dir
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	var emls []string
	for time.Now().Before(deadline) {
		emls, _ = filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
		if len(emls) > 0 && strings.Contains(logs.String(), "run done") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err != nil {
		t.Errorf("run after SIGTERM: %v, want exit 0\n%s", err, logs.String())
	}
	log := logs.String()
	for _, want := range []string{"echeance starting", "next_run=", "added=5", "scheduler stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "echeance.db")); err != nil {
		t.Errorf("no ./echeance.db: %v", err)
	}
	if len(emls) != 1 {
		t.Fatalf("outbox holds %d messages, want 1\n%s", len(emls), log)
	}
	body, err := os.ReadFile(emls[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(body, []byte("alice@example.org")) {
		t.Errorf("message not to alice:\n%s", body)
	}
}

// TestExtractSources reads an offer from stdin, an HTML file and a
// Windows-1252 file through the real binary.
func TestExtractSources(t *testing.T) {
	dir := t.TempDir()
	html := writeFile(t, filepath.Join(dir, "offre.html"), `<!doctype html><html><head><title>x</title><style>p{}</style></head>
<body><h1>Stage juriste</h1><p>Cabinet Dupont &amp; Associés recrute.</p><p>Date limite de candidature&nbsp;: 22/02/2026</p>
<script>var d = "avant le 1er janvier 2026";</script></body></html>`)
	latin := writeFile(t, filepath.Join(dir, "offre-1252.txt"), "Stage en m\xe9diation.\r\nCandidatures jusqu\x92au 9 d\xe9cembre 2025.\r\n")
	cmd := exec.Command(binary, "extract", "--json", "--now", "2025-10-01", "-", html, latin)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("Apply by October 31, 2025 (5 pm).")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		t.Fatalf("extract printed %d lines:\n%s", len(lines), out)
	}
	want := []struct{ file, lastDay, phrase, label string }{
		{"-", "2025-10-31", "Apply by October 31, 2025 (5 pm)", ""},
		{html, "2026-02-22", "22/02/2026", "Date limite de candidature"},
		{latin, "2025-12-09", "jusqu'au 9 décembre 2025", ""},
	}
	for i, line := range lines {
		var o struct {
			File     string
			Deadline struct {
				Kind, LastDay, Phrase, Label, Confidence string
				Reasons                                  []string
			}
		}
		if err := json.Unmarshal([]byte(strings.ReplaceAll(line, `"last_day"`, `"lastday"`)), &o); err != nil {
			t.Fatal(err)
		}
		if o.File != want[i].file || o.Deadline.Kind != "explicit" || o.Deadline.LastDay != want[i].lastDay ||
			!strings.Contains(o.Deadline.Phrase, want[i].phrase) || o.Deadline.Label != want[i].label {
			t.Errorf("line %d: %s", i, line)
		}
		// Each deadline says how sure it is, and why.
		if o.Deadline.Confidence != "high" || len(o.Deadline.Reasons) == 0 || !strings.HasPrefix(o.Deadline.Reasons[0], "cue:") {
			t.Errorf("line %d: confidence %q, reasons %q", i, o.Deadline.Confidence, o.Deadline.Reasons)
		}
	}
}

func TestDatesCommand(t *testing.T) {
	cmd := exec.Command(binary, "dates", "--ref", "2013-02-12T04:30:00-02:00")
	cmd.Stdin = strings.NewReader("du 13 au 15 juillet\nà partir du 8 mars\nle 15 mars à 12h30\n08 11 58 54 41\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"input":"du 13 au 15 juillet","dates":[{"text":"du 13 au 15 juillet","start":"2013-07-13","end":"2013-07-15","grain":"day"}]}`,
		`{"input":"à partir du 8 mars","dates":[{"text":"à partir du 8 mars","start":"2013-03-08","end":"..","grain":"day"}]}`,
		`{"input":"le 15 mars à 12h30","dates":[{"text":"15 mars à 12h30","start":"2013-03-15T12:30:00-02:00","end":"","grain":"minute"}]}`,
		`{"input":"08 11 58 54 41","dates":[]}`,
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(want) {
		t.Fatalf("dates printed:\n%s", out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// TestRunBusyPort: when the web port is taken, the daemon says so and stops
// before sending anything.
func TestRunBusyPort(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	cfg := writeFile(t, filepath.Join(dir, "c.toml"), fmt.Sprintf("[offers]\ninbox = %q\n[web]\nlisten = %q\n", seedsDir(t), addr))
	mustRun(t, dir, "--config", cfg, "subscriber", "add", "a@example.org")
	r := echeance(t, dir, "--config", cfg, "run", "--now", "2025-10-24")
	if r.code != 1 || !strings.Contains(r.stderr, "web: listen "+addr) {
		t.Errorf("busy port: exit %d, stderr %s", r.code, r.stderr)
	}
	if emls, _ := filepath.Glob(filepath.Join(dir, "outbox", "*")); len(emls) != 0 {
		t.Errorf("sent before failing: %v", emls)
	}
}
