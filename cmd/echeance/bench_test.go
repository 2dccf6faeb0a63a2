package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkIdleRSS starts the real daemon (`echeance run`) on the embedded
// defaults in an empty folder holding a copy of the seeds (the default
// inbox), waits for its first run to finish, and reports its resident memory
// (VmRSS, and the peak VmHWM) from /proc. It then stops it with SIGTERM.
// VmRSS is the sum of the anonymous memory (RssAnon: the heaps of Go and of
// SQLite, the stacks), which is the daemon's own, and of the pages of the
// binary mapped from the page cache (RssFile: its code and tables, clean
// pages the kernel can take back); both are reported as well.
func BenchmarkIdleRSS(b *testing.B) {
	var rss, hwm, anon, file float64
	for b.Loop() {
		dir := b.TempDir()
		copySeeds(b, filepath.Join(dir, "seeds"))
		d := startDaemon(b, dir, "run")
		if !d.waitFor("run done", 30*time.Second) {
			b.Fatalf("the first run did not finish:\n%s", d.log())
		}
		// The run's garbage is collected in the background; let it settle
		// as it would between two cron runs.
		time.Sleep(time.Second)
		status := procStatus(b, d.cmd.Process.Pid)
		rss += status["VmRSS"]
		hwm += status["VmHWM"]
		anon += status["RssAnon"]
		file += status["RssFile"]
		if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			b.Fatal(err)
		}
		if err := d.wait(10 * time.Second); err != nil {
			b.Fatalf("stopping on SIGTERM: %v\n%s", err, d.log())
		}
	}
	b.ReportMetric(rss/float64(b.N)/1024, "RSS-MiB")
	b.ReportMetric(hwm/float64(b.N)/1024, "peak-RSS-MiB")
	b.ReportMetric(anon/float64(b.N)/1024, "anon-MiB")
	b.ReportMetric(file/float64(b.N)/1024, "file-MiB")
}

func copySeeds(tb testing.TB, dst string) {
	tb.Helper()
	src, err := filepath.Abs(filepath.Join("..", "..", "seeds"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		tb.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src, "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no seeds in %s: %v", src, err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), body, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// procStatus reads the kB figures of /proc/PID/status.
func procStatus(tb testing.TB, pid int) map[string]float64 {
	tb.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(val)
		if !ok || len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		if n, err := strconv.ParseFloat(fields[0], 64); err == nil {
			out[key] = n
		}
	}
	if out["VmRSS"] == 0 {
		tb.Fatalf("no VmRSS in /proc/%d/status", pid)
	}
	return out
}
