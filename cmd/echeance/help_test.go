package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHelp: every command and subcommand answers --help on stdout with
// exit 0, its usage and its flags, even with a broken config; a typo gets
// one line naming the nearest command and a hint, exit 2.
func TestHelp(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, filepath.Join(dir, "broken.toml"), "[smtp]\nport = \"x\"\n")
	flags := map[string][]string{
		"status": {"--json"}, "backup": {"--keep"}, "subscriber add": {"--offsets", "--pending", "--weekly"},
		"subscriber show": {"--json"}, "offer list": {"--json"}, "reminder list": {"--due", "--json"},
		"preview": {"--subscriber", "--html"}, "offer set-deadline": {"--time"}, "dates": {"--ref"},
		"subscriber edit": {"--offsets", "--lang", "--name", "--weekly", "--search", "--remove-search"},
	}
	for _, c := range commands {
		args := append(strings.Fields(c.name), "--help")
		r := echeance(t, dir, append([]string{"--config", broken}, args...)...)
		if c.name == "help" {
			if r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
				t.Errorf("echeance help --help: exit %d\n%s", r.code, r.stdout)
			}
			continue
		}
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:\n  echeance "+c.synopsis) || !strings.Contains(r.stdout, c.summary) {
			t.Errorf("echeance %s: exit %d\nstdout %s\nstderr %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		for _, f := range flags[c.name] {
			if !strings.Contains(r.stdout, "\n  "+f) {
				t.Errorf("echeance %s does not list %s:\n%s", strings.Join(args, " "), f, r.stdout)
			}
		}
	}
	for _, group := range []string{"offer", "subscriber", "reminder", "admin"} {
		r := echeance(t, dir, group, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "echeance "+group+" SUBCOMMAND") {
			t.Errorf("echeance %s --help: exit %d\n%s%s", group, r.code, r.stdout, r.stderr)
		}
		for _, sub := range subcommands(group) {
			if !strings.Contains(r.stdout, sub.synopsis) {
				t.Errorf("echeance %s --help does not list %s", group, sub.name)
			}
		}
	}
	if out := mustRun(t, dir, "help", "offer", "add"); !strings.Contains(out, "echeance offer add PATH...") {
		t.Errorf("help offer add: %s", out)
	}
	if out := mustRun(t, dir, "--help"); !strings.Contains(out, "doctor") || !strings.Contains(out, "backup [--keep N] PATH") {
		t.Errorf("--help: %s", out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stauts"}, `unknown command "stauts" (did you mean status?)`},
		{[]string{"doctr"}, `(did you mean doctor?)`},
		{[]string{"offer", "ad", "x.txt"}, `offer: unknown subcommand "ad" (did you mean add?)`},
		{[]string{"subscriber", "paus", "a@example.org"}, `(did you mean pause?)`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		r := echeance(t, dir, tc.args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 2 || !strings.Contains(lines[0], tc.want) || len(lines) != 2 || !strings.Contains(lines[1], "echeance") || r.stdout != "" {
			t.Errorf("echeance %q: exit %d, stderr %q; want 2, %q first, then one hint", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
