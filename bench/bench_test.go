// Package bench compares how echeance reads offers with what a developer
// would pick off the shelf: offer's date grammar with
// github.com/markusmobius/go-dateparser, in speed on the seed offers and in
// accuracy on ../offer/testdata/fr-dates.tsv (this file); and echeance
// extract with chrono-node (npm, in chrono/, pinned by its
// package-lock.json) and go-dateparser's search, each wrapped in a simple
// deadline rule, in speed and accuracy on the deadline corpora
// (peers_test.go). It is a module of its own so that the daemon never
// carries go-dateparser; make bench runs it.
package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"
)

// evalPath is offer's evaluation file; ../offer/testdata/fr-dates.md says
// where its rows come from.
const evalPath = "../offer/testdata/fr-dates.tsv"

// seedTexts returns the seed offers decoded and normalised as offer.Parse
// does, so both searches read the same text.
func seedTexts(tb testing.TB) (texts []string, size int) {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no seed offers in ../seeds: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		text, err := offer.Decode(data)
		if err != nil {
			tb.Fatal(err)
		}
		text = offer.Normalize(text)
		texts = append(texts, text)
		size += len(text)
	}
	return texts, size
}

func paris(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// BenchmarkSearch finds every date in the seed offers, with go-dateparser's
// search (French) and then with offer.FindDates, in the same run. One op
// reads all the seeds. The FindDates line also reports how many times
// faster it is ("x-faster").
func BenchmarkSearch(b *testing.B) {
	texts, size := seedTexts(b)
	ref := time.Date(2025, 10, 1, 12, 0, 0, 0, paris(b))
	var theirs time.Duration
	b.Run("go-dateparser", func(b *testing.B) {
		p := &dps.Parser{}
		cfg := &dps.Configuration{Languages: []string{"fr"}, CurrentTime: ref}
		b.SetBytes(int64(size))
		found := 0
		for b.Loop() {
			found = 0
			for _, text := range texts {
				res, err := p.SearchWithLanguage(cfg, "fr", text)
				if err != nil {
					b.Fatal(err)
				}
				found += len(res)
			}
		}
		theirs = b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(found), "dates")
	})
	b.Run("offer.FindDates", func(b *testing.B) {
		b.SetBytes(int64(size))
		found := 0
		for b.Loop() {
			found = 0
			for _, text := range texts {
				found += len(offer.FindDates(text, ref))
			}
		}
		ours := b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(found), "dates")
		if theirs > 0 && ours > 0 {
			b.ReportMetric(float64(theirs)/float64(ours), "x-faster")
		}
	})
}

// evalRow is one row of fr-dates.tsv; see its README.
type evalRow struct {
	text                 string
	ref                  time.Time
	start, grain, endStr string
}

func readEval(tb testing.TB) []evalRow {
	tb.Helper()
	f, err := os.Open(evalPath)
	if err != nil {
		tb.Fatalf("the evaluation file is missing: %v", err)
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
			tb.Fatalf("%s:%d: %d columns, want 6", evalPath, n, len(cols))
		}
		ref, err := time.Parse(time.RFC3339, cols[2])
		if err != nil {
			tb.Fatalf("%s:%d: %v", evalPath, n, err)
		}
		rows = append(rows, evalRow{text: cols[1], ref: ref, start: cols[3], grain: cols[4], endStr: cols[5]})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

// want is the row's expected answer as "start grain end", or "none".
func (r evalRow) want() string {
	if r.grain == "none" {
		return "none"
	}
	return r.start + " " + r.grain + " " + r.endStr
}

// ours is FindDates' answer: its first date.
func ours(r evalRow) string {
	ds := offer.FindDates(r.text, r.ref)
	if len(ds) == 0 {
		return "none"
	}
	d := ds[0]
	return d.StartString() + " " + d.Grain.String() + " " + d.EndString()
}

// theirs is go-dateparser's answer: Parse of the row's text in French,
// with the row's reference time, else the first date its search finds in
// it, formatted like the file. It never returns a range, so it can only get
// single dates right.
func theirs(p *dps.Parser, r evalRow, src dps.PreferredDateSource) string {
	cfg := &dps.Configuration{
		Languages:           []string{"fr"},
		CurrentTime:         r.ref,
		ReturnTimeAsPeriod:  true,
		PreferredDateSource: src,
	}
	d, err := p.Parse(cfg, r.text)
	if err != nil || d.IsZero() {
		// A sentence ("Publié le 11 juillet 2016") is for its search, as
		// in dateparser's own search tests.
		res, err := p.SearchWithLanguage(cfg, "fr", r.text)
		if err != nil || len(res) == 0 || res[0].Date.IsZero() {
			return "none"
		}
		d = res[0].Date
	}
	t := d.Time.In(r.ref.Location())
	switch d.Period {
	case date.Year:
		return t.Format("2006") + "-01-01 year "
	case date.Month:
		return t.Format("2006-01") + "-01 month "
	case date.Day:
		return t.Format(time.DateOnly) + " day "
	case date.Hour:
		return t.Format(time.RFC3339) + " hour "
	}
	return t.Format(time.RFC3339) + " minute "
}

// TestAccuracy scores offer.FindDates and go-dateparser's Parse on
// fr-dates.tsv, as the file's README says: a row is exact when the first
// date has the expected start, grain and end. go-dateparser is given its
// default preference (the current period) and, to be fair to it on
// Duckling's rows, the future.
func TestAccuracy(t *testing.T) {
	rows := readEval(t)
	p := &dps.Parser{}
	var oursOK, current, future int
	for _, r := range rows {
		want := r.want()
		if ours(r) == want {
			oursOK++
		}
		if theirs(p, r, dps.CurrentPeriod) == want {
			current++
		}
		if theirs(p, r, dps.Future) == want {
			future++
		}
	}
	n := len(rows)
	pct := func(k int) float64 { return 100 * float64(k) / float64(n) }
	fmt.Printf("fr-dates: offer.FindDates %d/%d (%.1f%%); go-dateparser Parse %d/%d (%.1f%%), preferring the future %d/%d (%.1f%%)\n",
		oursOK, n, pct(oursOK), current, n, pct(current), future, n, pct(future))
	if pct(oursOK) < 95 {
		t.Errorf("offer.FindDates scores %.1f%%, below 95%%", pct(oursOK))
	}
}
