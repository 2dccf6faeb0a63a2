package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestCrashLosesNothing kills the daemon with SIGKILL at random moments
// while it sends 2,000 due reminders to a real SMTP server (Mailpit), and
// restarts it each time. In the end every student has their reminder, and
// each crash repeats at most one batch (the messages sent but not yet
// recorded), under the same Message-IDs.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the daemon for several seconds")
	}
	const (
		students = 2000
		batch    = 50
		minKills = 10
	)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, seed>>32))
	t.Logf("seed %d", seed)

	// Mailpit keeps 500 messages unless told otherwise.
	mp := startMailpit(t, "--max", "10000", "--smtp-disable-rdns")
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := mailpitConfig(t, dir, mp.smtpPort, fmt.Sprintf("http://127.0.0.1:%d", webPort), fmt.Sprintf("[reminders]\nbatch_size = %d\n", batch))

	out := mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	offerID, _, _ := strings.Cut(out, "\t")
	if _, err := strconv.Atoi(offerID); err != nil {
		t.Fatalf("offer add printed %q", out)
	}
	var csv strings.Builder
	csv.WriteString("email,name,lang,offsets,offers,search\n")
	want := map[string]bool{}
	for i := 1; i <= students; i++ {
		email := fmt.Sprintf("student%04d@example.org", i)
		want[email] = true
		fmt.Fprintf(&csv, "%s,Student %d,%s,,%s,\n", email, i, []string{"fr", "en"}[i%2], offerID)
	}
	mustRun(t, dir, "--config", cfg, "subscriber", "import", writeFile(t, filepath.Join(dir, "students.csv"), csv.String()))

	// delivered maps Mailpit's message ID to the Message-ID, so that each
	// snapshot tells what arrived since the last one.
	delivered := map[string]string{}
	times := map[string]int{} // Message-ID -> deliveries
	recipients := map[string]bool{}
	snapshot := func() (arrived, dups int) {
		for _, m := range mp.all(t) {
			if _, seen := delivered[m.ID]; seen {
				continue
			}
			delivered[m.ID] = m.MessageID
			arrived++
			if times[m.MessageID]++; times[m.MessageID] > 1 {
				dups++
			}
			for _, to := range m.To {
				recipients[to.Address] = true
			}
		}
		return arrived, dups
	}

	start := time.Now()
	kills := 0
	midSending := 0
	for kills < minKills || midSending < minKills {
		if kills >= 4*minKills {
			t.Fatalf("%d kills, only %d of them while sending", kills, midSending)
		}
		before := mp.total(t)
		d := startDaemon(t, dir, "--config", cfg, "--now", "2025-10-24", "run")
		// Kill at a random moment once this life has started sending, so
		// that a slow start on a loaded machine does not waste the kill.
		// Mailpit takes a few milliseconds per message, so a batch of 50
		// takes some tens to hundreds of milliseconds.
		for end := time.Now().Add(30 * time.Second); mp.total(t) == before && !d.done() && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond)
		}
		delay := time.Duration(rng.IntN(250)) * time.Millisecond
		time.Sleep(delay)
		if d.done() {
			t.Fatalf("the daemon exited by itself:\n%s", d.log())
		}
		d.kill(t)
		kills++
		// A message whose final dot left before the kill may still be
		// stored: let Mailpit finish.
		time.Sleep(100 * time.Millisecond)
		arrived, dups := snapshot()
		if arrived > 0 && len(recipients) < students {
			midSending++
		}
		t.Logf("kill %2d %3d ms into sending: %4d delivered in this life, %2d of them repeats; %4d students reached",
			kills, delay.Milliseconds(), arrived, dups, len(recipients))
		if dups > batch {
			t.Errorf("kill %d: %d repeats after a crash, want at most one batch (%d)", kills, dups, batch)
		}
		if len(recipients) == students && kills < minKills {
			t.Fatalf("every student reached after only %d kills: the kills came too late", kills)
		}
	}

	// The last life runs to the end of its run, then stops on SIGTERM.
	d := startDaemon(t, dir, "--config", cfg, "--now", "2025-10-24", "run")
	if !d.waitFor("run done", 40*time.Second) {
		d.kill(t)
		t.Fatalf("the last run did not finish:\n%s", d.log())
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := d.wait(10 * time.Second); err != nil {
		t.Errorf("stopping on SIGTERM: %v\n%s", err, d.log())
	}
	time.Sleep(100 * time.Millisecond)
	arrived, dups := snapshot()
	t.Logf("last life: %d delivered, %d of them repeats", arrived, dups)
	if dups > batch {
		t.Errorf("last life: %d repeats after the last crash, want at most %d", dups, batch)
	}

	total, repeats := 0, 0
	for _, n := range times {
		total += n
		repeats += n - 1
	}
	t.Logf("%d kills (%d while sending) in %s: %d messages delivered for %d students, %d distinct Message-IDs, %d repeats (%.1f per kill)",
		kills, midSending, time.Since(start).Round(time.Millisecond), total, len(recipients), len(times), repeats,
		float64(repeats)/float64(kills))
	for email := range want {
		if !recipients[email] {
			t.Errorf("%s never got their reminder", email)
		}
	}
	for to := range recipients {
		if !want[to] {
			t.Errorf("a message went to %s", to)
		}
	}
	if len(times) != students {
		t.Errorf("%d distinct Message-IDs, want one per student (%d)", len(times), students)
	}
	// Everything is recorded: a tick at the same moment sends nothing more.
	if out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-24T15:00:00+02:00"); !strings.Contains(out, "sent 0 message(s)") {
		t.Errorf("a tick after the crashes: %s", out)
	}
}

// lifeProc is one life of `echeance run`.
type lifeProc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	lines  []string
	exited chan struct{}
	err    error
}

// startDaemon starts the binary in dir with args and collects its log.
func startDaemon(t testing.TB, dir string, args ...string) *lifeProc {
	t.Helper()
	d := &lifeProc{cmd: exec.Command(binary, args...), exited: make(chan struct{})}
	d.cmd.Dir = dir
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			d.mu.Lock()
			d.lines = append(d.lines, sc.Text())
			d.mu.Unlock()
		}
		io.Copy(io.Discard, stderr)
		d.err = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		if !d.done() {
			d.cmd.Process.Kill()
			<-d.exited
		}
	})
	return d
}

func (d *lifeProc) done() bool {
	select {
	case <-d.exited:
		return true
	default:
		return false
	}
}

func (d *lifeProc) log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.lines, "\n")
}

// kill sends SIGKILL and waits for the process to be gone.
func (d *lifeProc) kill(t testing.TB) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil && !d.done() {
		t.Fatal(err)
	}
	<-d.exited
}

func (d *lifeProc) wait(timeout time.Duration) error {
	select {
	case <-d.exited:
		return d.err
	case <-time.After(timeout):
		return fmt.Errorf("still running after %s", timeout)
	}
}

// waitFor waits until a log line contains s.
func (d *lifeProc) waitFor(s string, timeout time.Duration) bool {
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(d.log(), s) {
			return true
		}
		if d.done() {
			return false
		}
	}
	return false
}

type mailpitMessage struct {
	ID        string
	MessageID string
	To        []mailpitAddr
}

// total is how many messages Mailpit holds.
func (m *mailpit) total(t *testing.T) int {
	t.Helper()
	var list struct{ Total int }
	m.get(t, "/api/v1/messages?limit=1", &list)
	return list.Total
}

// all lists every message Mailpit holds, a page at a time.
func (m *mailpit) all(t *testing.T) []mailpitMessage {
	t.Helper()
	var out []mailpitMessage
	const page = 1000
	for start := 0; ; start += page {
		var list struct {
			Total    int
			Messages []mailpitMessage
		}
		m.get(t, fmt.Sprintf("/api/v1/messages?start=%d&limit=%d", start, page), &list)
		out = append(out, list.Messages...)
		if len(list.Messages) < page || start+page >= list.Total {
			return out
		}
	}
}
