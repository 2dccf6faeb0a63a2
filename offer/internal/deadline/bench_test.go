package deadline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// assignInput is one offer read as offer.Parse reads it, up to Assign.
type assignInput struct {
	name, txt string
	toks      text.Tokens
	ds        []dates.Date
}

// assignInputs reads the seed offers and the offers of the deadline
// corpora (offer/testdata/deadlines*) as offer.Parse does before it calls
// Assign.
func assignInputs(tb testing.TB) []assignInput {
	tb.Helper()
	files := seedtest.Files(tb)
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "deadlines*", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".want") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		files[p] = data
	}
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)
	var in []assignInput
	for name, data := range files {
		s, err := text.Decode(data)
		if err != nil {
			tb.Fatal(err)
		}
		if text.LooksLikeHTML(name, s) {
			s = text.ReadHTML(s).Text
		}
		s = text.Normalize(s)
		toks := text.Tokenize(s)
		ds := dates.Find(s, toks, now, dates.Options{PastDays: 30, MaxDates: 1000})
		in = append(in, assignInput{name, s, toks, ds})
	}
	slices.SortFunc(in, func(a, b assignInput) int { return strings.Compare(a.name, b.name) })
	return in
}

// BenchmarkAssign measures Assign alone, on the seeds (as BenchmarkParse
// reads them) and on the deadline corpora: one op reads them all.
func BenchmarkAssign(b *testing.B) {
	in := assignInputs(b)
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, loc), Location: loc, EstimateLead: 30 * 24 * time.Hour}
	seeds := slices.DeleteFunc(slices.Clone(in), func(o assignInput) bool { return strings.HasPrefix(o.name, "..") })
	corpora := slices.DeleteFunc(in, func(o assignInput) bool { return !strings.HasPrefix(o.name, "..") })
	for _, set := range []struct {
		name string
		in   []assignInput
	}{{"seeds", seeds}, {"corpora", corpora}} {
		b.Run(set.name, func(b *testing.B) {
			size := 0
			for _, o := range set.in {
				size += len(o.txt)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, o := range set.in {
					Assign(o.txt, o.toks, o.ds, opts)
				}
			}
		})
	}
}
