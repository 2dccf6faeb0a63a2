package offer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDeadlineCorpus parses each offer in testdata/deadlines and compares
// its deadline with the sidecar <name>.want: one line
//
//	kind date time last_day [due_at]
//
// with "-" for an empty field and due_at, optional, in RFC 3339. The
// offers were written for this test, with the traps real offers hold:
// posting, interview and event dates, past editions, phone numbers, start
// dates "dès que possible", stated time zones.
func TestDeadlineCorpus(t *testing.T) {
	wants, err := filepath.Glob(filepath.Join("testdata", "deadlines", "*.want"))
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) == 0 {
		t.Fatal("no cases in testdata/deadlines")
	}
	opts := Options{Now: goldenNow(t)}
	exact, invented := 0, 0
	for _, wantPath := range wants {
		base := strings.TrimSuffix(wantPath, ".want")
		inputs, err := filepath.Glob(base + ".*")
		if err != nil {
			t.Fatal(err)
		}
		var input string
		for _, p := range inputs {
			if p != wantPath {
				input = p
			}
		}
		name := filepath.Base(base)
		if input == "" {
			t.Errorf("%s: no offer next to the .want file", name)
			continue
		}
		spec, err := os.ReadFile(wantPath)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Fields(string(spec))
		if len(want) != 4 && len(want) != 5 {
			t.Fatalf("%s: want kind date time last_day [due_at], got %q", wantPath, spec)
		}
		data, err := os.ReadFile(input)
		if err != nil {
			t.Fatal(err)
		}
		o, err := Parse(filepath.Base(input), data, opts)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		d := o.Deadline
		got := []string{d.Kind, dash(d.Date), dash(d.Time), dash(d.LastDay)}
		if len(want) == 5 {
			due := "-"
			if d.DueAt != nil {
				due = d.DueAt.Format(time.RFC3339)
			}
			got = append(got, due)
		}
		if strings.Join(got, " ") == strings.Join(want, " ") {
			exact++
			continue
		}
		if d.Kind == KindExplicit && want[0] != KindExplicit {
			invented++
		}
		t.Errorf("%s: got %q (phrase %q), want %q", name, strings.Join(got, " "), d.Phrase, strings.Join(want, " "))
	}
	fmt.Printf("deadlines: %d/%d exact, %d invented\n", exact, len(wants), invented)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
