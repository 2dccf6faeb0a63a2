package offer

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// evalPath is the evaluation file of French date expressions, from
// Duckling's and dateparser's test suites; testdata/fr-dates.md says where
// its rows come from, its columns and conventions.
const evalPath = "testdata/fr-dates.tsv"

// evalMin is the share of rows FindDates must get exactly right.
const evalMin = 0.95

type evalRow struct {
	line                 int
	source, text         string
	ref                  time.Time
	start, grain, endStr string
}

func readEval(t *testing.T) []evalRow {
	t.Helper()
	f, err := os.Open(evalPath)
	if err != nil {
		t.Fatalf("the evaluation file is missing: %v", err)
	}
	defer f.Close()
	var rows []evalRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // header
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 6 {
			t.Fatalf("%s:%d: %d columns, want 6", evalPath, n, len(cols))
		}
		ref, err := time.Parse(time.RFC3339, cols[2])
		if err != nil {
			t.Fatalf("%s:%d: reference time: %v", evalPath, n, err)
		}
		rows = append(rows, evalRow{line: n, source: cols[0], text: cols[1], ref: ref, start: cols[3], grain: cols[4], endStr: cols[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", evalPath, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no rows", evalPath)
	}
	return rows
}

// TestEvalFrenchDates scores FindDates on testdata/fr-dates.tsv: a row is exact
// when the first date found has the expected start, grain and end, or, for
// a negative row, when no date is found.
func TestEvalFrenchDates(t *testing.T) {
	rows := readEval(t)
	exact := 0
	for _, r := range rows {
		dates := FindDates(r.text, r.ref)
		got := "none"
		if len(dates) > 0 {
			d := dates[0]
			got = fmt.Sprintf("%s %s %s", d.StartString(), d.Grain, d.EndString())
		}
		want := "none"
		if r.grain != "none" {
			want = fmt.Sprintf("%s %s %s", r.start, r.grain, r.endStr)
		}
		if got == want {
			exact++
			continue
		}
		t.Logf("miss line %d %q: got %q, want %q", r.line, r.text, got, want)
	}
	share := float64(exact) / float64(len(rows))
	score := fmt.Sprintf("fr-dates: %d/%d exact (%.1f%%)", exact, len(rows), 100*share)
	t.Log(score)
	fmt.Println(score) // also visible without -v
	if share < evalMin {
		t.Errorf("fr-dates: %d/%d exact (%.1f%%), below %.0f%%", exact, len(rows), 100*share, 100*evalMin)
	}
}
