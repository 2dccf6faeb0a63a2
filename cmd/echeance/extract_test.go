package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/echeance/echeance/ingest"
)

// TestExtractManyInOrder reads some three hundred offers, stdin and a
// missing file among them, in one run with several workers and in one run
// with a single worker, and each of a few files on its own: the output is
// the same bytes, in input order, and the missing file is reported once.
// A folder among files prints what its files named one by one print.
func TestExtractManyInOrder(t *testing.T) {
	files, err := filepath.Glob("../../offer/testdata/deadlines*/*.txt")
	if err != nil || len(files) < 200 {
		t.Fatalf("corpus files: %d, %v", len(files), err)
	}
	missing := filepath.Join(t.TempDir(), "absent.txt")
	args := append([]string{}, files[:100]...)
	args = append(args, "-", missing)
	args = append(args, files[100:]...)
	stdin := "Stage en médiation.\nCandidatures jusqu'au 9 décembre 2025.\n"
	run := func(procs string, json bool, paths ...string) (string, string) {
		t.Helper()
		a := []string{"--now", "2025-11-15", "extract"}
		if json {
			a = append(a, "--json")
		}
		cmd := exec.Command(binary, append(a, paths...)...)
		cmd.Env = append(cmd.Environ(), "GOMAXPROCS="+procs)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		_ = cmd.Run() // the missing file makes it exit 1; stderr says why
		return out.String(), errOut.String()
	}
	for _, json := range []bool{false, true} {
		one, oneErr := run("1", json, args...)
		many, manyErr := run("4", json, args...)
		if one != many {
			t.Errorf("json=%v: four workers printed another output than one", json)
		}
		if oneErr != manyErr || strings.Count(manyErr, "absent.txt") != 1 {
			t.Errorf("json=%v: stderr %q, with one worker %q", json, manyErr, oneErr)
		}
		var alone strings.Builder
		for _, f := range []string{files[0], files[1], files[99], "-", files[100], files[len(files)-1]} {
			out, _ := run("2", json, f)
			alone.WriteString(out)
		}
		var picked strings.Builder
		records := splitRecords(many, json, append(files, "-"))
		if len(records) != len(files)+1 {
			t.Fatalf("json=%v: %d offers printed, want %d", json, len(records), len(files)+1)
		}
		for _, i := range []int{0, 1, 99, 100, 101, len(records) - 1} {
			picked.WriteString(records[i])
		}
		if picked.String() != alone.String() {
			t.Errorf("json=%v: offers read together differ from the same read alone:\n%s\nalone:\n%s", json, picked.String(), alone.String())
		}
	}

	// Folders are expanded as the files are read: a folder between
	// files, and a missing one, print what their files named one by one
	// print, with the same errors.
	folder := "../../offer/testdata/deadlines2"
	inFolder, err := ingest.Expand([]string{folder})
	if err != nil || len(inFolder) < 40 {
		t.Fatalf("%s: %d files, %v", folder, len(inFolder), err)
	}
	absentDir := filepath.Join(t.TempDir(), "absent")
	// A folder named like an offer file is not looked at before a worker
	// reads it, and is expanded all the same.
	txtFolder := filepath.Join(t.TempDir(), "offres.txt")
	if err := os.Mkdir(txtFolder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files[3:5] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(txtFolder, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inTxtFolder, err := ingest.Expand([]string{txtFolder})
	if err != nil || len(inTxtFolder) != 2 {
		t.Fatalf("%s: %v, %v", txtFolder, inTxtFolder, err)
	}
	withFolder := append([]string{files[0], absentDir, folder, txtFolder}, files[1:3]...)
	named := append(append(append([]string{files[0], absentDir}, inFolder...), inTxtFolder...), files[1:3]...)
	for _, procs := range []string{"1", "4"} {
		got, gotErr := run(procs, true, withFolder...)
		want, wantErr := run("1", true, named...)
		if got != want || gotErr != wantErr || !strings.Contains(gotErr, "absent") {
			t.Errorf("GOMAXPROCS=%s: a folder among files printed another output than its files named (stderr %q, want %q)", procs, gotErr, wantErr)
		}
		if n := strings.Count(got, "\n"); n != len(inFolder)+len(inTxtFolder)+3 {
			t.Errorf("GOMAXPROCS=%s: %d offers printed, want %d", procs, n, len(inFolder)+len(inTxtFolder)+3)
		}
	}
}

// splitRecords cuts extract's output into one string per offer: a JSON
// line, or a text block starting at the line that names one of the files.
func splitRecords(out string, json bool, names []string) []string {
	starts := map[string]bool{}
	for _, n := range names {
		starts[n+"\n"] = true
	}
	var recs []string
	for _, line := range strings.SplitAfter(out, "\n") {
		if line == "" {
			continue
		}
		if json || starts[line] || len(recs) == 0 {
			recs = append(recs, line)
			continue
		}
		recs[len(recs)-1] += line
	}
	return recs
}

// TestExtractCollectsLess runs extract over some fifteen hundred offers
// with the collector's trace on: on its own, extract collects less often
// than with GOGC=100, the runtime's default, which a GOGC in the
// environment still sets.
func TestExtractCollectsLess(t *testing.T) {
	files, err := filepath.Glob("../../offer/testdata/deadlines*/*.txt")
	if err != nil || len(files) < 200 {
		t.Fatalf("corpus files: %d, %v", len(files), err)
	}
	var args []string
	for range 5 {
		args = append(args, files...)
	}
	collections := func(env ...string) int {
		t.Helper()
		cmd := exec.Command(binary, append([]string{"--now", "2025-11-15", "extract", "--json"}, args...)...)
		cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1", "GOGC=")
		cmd.Env = append(cmd.Env, env...)
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("extract: %v\n%s", err, errOut.String())
		}
		n := 0
		for line := range strings.Lines(errOut.String()) {
			if strings.HasPrefix(line, "gc ") {
				n++
			}
		}
		return n
	}
	byDefault, own := collections("GOGC=100"), collections()
	if byDefault < 2 {
		t.Fatalf("GOGC=100: %d collections, too few offers to tell", byDefault)
	}
	if own >= byDefault {
		t.Errorf("extract collected %d times, as many as with GOGC=100 (%d)", own, byDefault)
	}
}
