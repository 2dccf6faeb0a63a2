package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// waitLine waits for a log line containing all of subs after the first
// `after` lines, and returns its index.
func (d *lifeProc) waitLine(t *testing.T, after int, timeout time.Duration, subs ...string) int {
	t.Helper()
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		d.mu.Lock()
		for i := after; i < len(d.lines); i++ {
			ok := true
			for _, s := range subs {
				ok = ok && strings.Contains(d.lines[i], s)
			}
			if ok {
				d.mu.Unlock()
				return i
			}
		}
		d.mu.Unlock()
		if d.done() {
			break
		}
	}
	t.Fatalf("no log line with %q after line %d within %s:\n%s", subs, after, timeout, d.log())
	return 0
}

// scrape reads /metrics with Prometheus's own text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s does not parse as Prometheus text: %v", url, err)
	}
	return fams
}

// metricValue is the value of the sample of name whose labels include the
// label=value pairs of want.
func metricValue(t *testing.T, fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("no metric %s", name)
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(want); i += 2 {
			found := false
			for _, l := range m.Label {
				found = found || l.GetName() == want[i] && l.GetValue() == want[i+1]
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Summary != nil:
			return float64(m.Summary.GetSampleCount())
		}
	}
	t.Fatalf("no sample %s%v", name, want)
	return 0
}

// TestReloadAndMetrics runs the daemon against a dead relay, then reloads
// it (SIGHUP) onto Mailpit with a faster schedule: the next runs go by the
// new schedule and send, and /metrics counts what was sent, put off and
// refused. A broken config on a later SIGHUP is refused and the daemon
// goes on with the one it has.
func TestReloadAndMetrics(t *testing.T) {
	// Mailpit refuses (550) every recipient but ok*@.
	mp := startMailpit(t, "--smtp-allowed-recipients", "^ok")
	dir := t.TempDir()
	webPort, metricsPort, dead := freePort(t), freePort(t), freePort(t)
	config := func(smtpPort int, schedule, extra string) string {
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
%s
[schedule]
reminders = %q
[web]
listen = "127.0.0.1:%d"
base_url = "http://127.0.0.1:%d"
[metrics]
listen = ":%d"
`, filepath.Join(dir, "e.db"), smtpPort, extra, schedule, webPort, webPort, metricsPort))
	}
	cfg := config(dead, "@every 1h", "")
	mustRun(t, dir, "--config", cfg, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	// The seed's last day is 30 October 2025. tmp* students' reminder (2
	// days before) is already due at the start; ok* and no* students' (the
	// morning of the last day) comes due at 08:00.
	for _, s := range []struct{ email, offsets string }{{"tmp1@example.org", "2d"}, {"tmp2@example.org", "2d"},
		{"ok1@example.org", "0d"}, {"ok2@example.org", "0d"}, {"ok3@example.org", "0d"}, {"no1@example.org", "0d"}} {
		mustRun(t, dir, "--config", cfg, "subscriber", "add", s.email, "--offsets", s.offsets)
	}

	d := startDaemon(t, dir, "--config", cfg, "--now", "2025-10-30T07:59:52+01:00", "run")
	d.waitLine(t, 0, 20*time.Second, "run done", "retrying=2")

	// Onto the real relay, every second.
	config(mp.smtpPort, "@every 1s", "")
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	reloaded := d.waitLine(t, 0, 10*time.Second, "configuration reloaded")
	line := d.log()
	for _, want := range []string{"schedule.reminders", "smtp.port", `schedule="@every 1s"`, "next_run="} {
		if !strings.Contains(strings.Split(line, "\n")[reloaded], want) {
			t.Errorf("the reload line lacks %q: %s", want, strings.Split(line, "\n")[reloaded])
		}
	}
	// The next run comes a second later (the old schedule waited an hour).
	d.waitLine(t, reloaded, 5*time.Second, "run done")
	sent := d.waitLine(t, reloaded, 20*time.Second, "run done", "sent=3", "failed=1")

	fams := scrape(t, fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort))
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"echeance_messages_sent_total", []string{"kind", "reminder"}, 3},
		{"echeance_messages_failed_total", []string{"failure", "temporary"}, 2},
		{"echeance_messages_failed_total", []string{"failure", "permanent"}, 1},
		{"echeance_reminders_expired_total", nil, 0},
		{"echeance_reminders_retrying", nil, 2},
		{"echeance_reminders_pending", nil, 2},
		{"echeance_reminders", []string{"state", "sent"}, 3},
		{"echeance_reminders", []string{"state", "failed"}, 1},
		{"echeance_offers", []string{"deadline", "explicit"}, 1},
		{"echeance_offers", []string{"deadline", "none"}, 0},
	} {
		if got := metricValue(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if runs := metricValue(t, fams, "echeance_runs_total"); runs < 2 || metricValue(t, fams, "echeance_run_duration_seconds") != runs {
		t.Errorf("runs_total %v, run_duration_seconds count %v", runs, metricValue(t, fams, "echeance_run_duration_seconds"))
	}
	// The tmp* reminders were due two days ago.
	if age := metricValue(t, fams, "echeance_oldest_unsent_age_seconds"); age < 47*3600 || age > 49*3600 {
		t.Errorf("oldest unsent age %v s, want about 48 h", age)
	}
	if n := len(mp.messages(t)); n != 3 {
		t.Errorf("Mailpit holds %d messages, want 3", n)
	}

	// doctor, run beside the daemon, finds both ports held by it.
	out := mustRun(t, dir, "--config", cfg, "doctor")
	for _, name := range []string{"web", "metrics"} {
		if l := doctorLine(out, name); !strings.HasPrefix(l, "ok") || !strings.Contains(l, "served by a running echeance") {
			t.Errorf("doctor beside the daemon, %s line %q\n%s", name, l, out)
		}
	}

	// A broken config is refused; the daemon keeps running on the old one.
	config(mp.smtpPort, "@every 1s", "connections = 0")
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	refused := d.waitLine(t, sent, 10*time.Second, "reload refused", "smtp.connections")
	d.waitLine(t, refused, 5*time.Second, "run done")
	if code, _ := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", webPort)); code != http.StatusOK {
		t.Errorf("healthz after a refused reload: %d", code)
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := d.wait(10 * time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, d.log())
	}
}
