package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// notifySocket is a socket standing for systemd: it records each datagram
// the daemon sends, with when it arrived.
type notifySocket struct {
	path string
	conn *net.UnixConn
	mu   sync.Mutex
	msgs []notifyMsg
	// onReady runs as READY=1 arrives, before the next datagram is read.
	onReady func()
}

type notifyMsg struct {
	at    time.Time
	state string
}

func listenNotify(t *testing.T, onReady func()) *notifySocket {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	s := &notifySocket{path: path, conn: conn, onReady: onReady}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			state := string(buf[:n])
			if strings.Contains(state, "READY=1") && s.onReady != nil {
				s.onReady()
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, notifyMsg{time.Now(), state})
			s.mu.Unlock()
		}
	}()
	return s
}

// count returns how many datagrams containing state arrived after since.
func (s *notifySocket) count(state string, since time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.msgs {
		if m.at.After(since) && strings.Contains(m.state, state) {
			n++
		}
	}
	return n
}

func (s *notifySocket) waitFor(t *testing.T, state string, since time.Time, timeout time.Duration) {
	t.Helper()
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if s.count(state, since) > 0 {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Fatalf("no %s within %s; got %v", state, timeout, s.msgs)
}

// TestSystemdNotify runs the daemon as systemd would with Type=notify and
// WatchdogSec: READY=1 once the web port listens, WATCHDOG=1 at half the
// interval while the database answers, none once its file is gone, and
// STOPPING=1 on SIGTERM.
func TestSystemdNotify(t *testing.T) {
	dir := t.TempDir()
	webPort := freePort(t)
	cfg := writeFile(t, filepath.Join(dir, "c.toml"), fmt.Sprintf(`
[database]
path = %q
[offers]
inbox = ""
[web]
listen = "127.0.0.1:%d"
base_url = "http://127.0.0.1:%d"
`, filepath.Join(dir, "e.db"), webPort, webPort))
	var listening error
	readyChecked := make(chan struct{})
	sock := listenNotify(t, func() {
		// At READY=1 the port must already take connections.
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", webPort), time.Second)
		if err == nil {
			c.Close()
		}
		listening = err
		close(readyChecked)
	})
	const watchdog = 400 * time.Millisecond
	cmd := exec.Command(binary, "--config", cfg, "run")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock.path, fmt.Sprintf("WATCHDOG_USEC=%d", watchdog.Microseconds()))
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	sock.waitFor(t, "READY=1", start, 20*time.Second)
	<-readyChecked
	if listening != nil {
		t.Errorf("READY=1 came before the web port listened: %v", listening)
	}

	// Watchdog pings every 200 ms while all is well.
	time.Sleep(5 * watchdog)
	healthy := time.Now()
	time.Sleep(5 * watchdog)
	if n := sock.count("WATCHDOG=1", healthy); n < 3 {
		t.Errorf("%d WATCHDOG=1 in %s with a 400 ms watchdog, want about 10\n%s", n, 5*watchdog, logs.String())
	}
	if code, _ := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort)); code != http.StatusOK {
		t.Errorf("healthz while healthy: %d", code)
	}

	// The database file disappears (a wrong mount, a deleted folder): the
	// daemon stops telling systemd it is alive, and /healthz says why.
	db := filepath.Join(dir, "e.db")
	if err := os.Rename(db, db+".away"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(watchdog) // a ping already under way may still arrive
	gone := time.Now()
	time.Sleep(4 * watchdog)
	if n := sock.count("WATCHDOG=1", gone); n != 0 {
		t.Errorf("%d WATCHDOG=1 with the database file gone, want none", n)
	}
	code, body := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort))
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "e.db") {
		t.Errorf("healthz with the database gone: %d %q, want 503 naming the file", code, body)
	}
	if !strings.Contains(logs.String(), "watchdog: not alive") {
		t.Errorf("the log does not say why the watchdog stopped:\n%s", logs.String())
	}
	// Back in place: the pings resume.
	if err := os.Rename(db+".away", db); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	sock.waitFor(t, "WATCHDOG=1", back, 5*time.Second)

	stopAt := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
	}
	sock.waitFor(t, "STOPPING=1", stopAt, time.Second)
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// TestJournalPriorities: under journald each line starts with its syslog
// priority and carries no time.
func TestJournalPriorities(t *testing.T) {
	var b bytes.Buffer
	level := new(slog.LevelVar)
	level.Set(slog.LevelDebug)
	log := newLoggerFor(&b, level, true).With("job", "reminders")
	log.Debug("detail")
	log.Info("run done", "sent", 3)
	log.Warn("send failed, will retry")
	log.Error("send refused")
	want := []string{`<7>level=DEBUG msg=detail job=reminders`, `<6>level=INFO msg="run done" job=reminders sent=3`,
		`<4>level=WARN msg="send failed, will retry" job=reminders`, `<3>level=ERROR msg="send refused" job=reminders`}
	got := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(got) != len(want) {
		t.Fatalf("lines:\n%s", b.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	b.Reset()
	newLoggerFor(&b, level, false).Warn("x")
	if !strings.HasPrefix(b.String(), "time=") {
		t.Errorf("outside journald: %q", b.String())
	}
}
