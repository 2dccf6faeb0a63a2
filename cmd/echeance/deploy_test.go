package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The units of deploy/ as systemd reads them: systemd-analyze verify finds
// nothing to say, and systemd-analyze security rates the daemon's sandbox
// at most 2.0 (lower is safer; a plain unit is 9.6).
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("systemd-analyze not found (make test-deps installs Debian's systemd): %v", err)
	}
	units := []string{"echeance.service", "echeance-backup.service", "echeance-backup.timer"}
	// verify checks that ExecStart= exists: point it at the binary built
	// for the tests.
	dir := t.TempDir()
	var paths []string
	for _, u := range units {
		body, err := os.ReadFile(filepath.Join("..", "..", "deploy", u))
		if err != nil {
			t.Fatal(err)
		}
		if u != "echeance-backup.timer" && !strings.Contains(string(body), "ExecStart=/usr/bin/echeance ") {
			t.Errorf("%s does not start /usr/bin/echeance, where the package installs it", u)
		}
		p := filepath.Join(dir, u)
		writeFile(t, p, strings.ReplaceAll(string(body), "/usr/bin/echeance", binary))
		paths = append(paths, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}

	overall := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`)
	for _, u := range []string{"echeance.service", "echeance-backup.service"} {
		out, err := exec.Command(analyze, "security", "--offline=yes", filepath.Join("..", "..", "deploy", u)).CombinedOutput()
		m := overall.FindSubmatch(out)
		if m == nil {
			t.Fatalf("systemd-analyze security %s: %v\n%s", u, err, out)
		}
		score, _ := strconv.ParseFloat(string(m[1]), 64)
		t.Logf("%s: exposure %.1f", u, score)
		if score > 2.0 {
			t.Errorf("%s: exposure %.1f, want at most 2.0:\n%s", u, score, out)
		}
	}
}
