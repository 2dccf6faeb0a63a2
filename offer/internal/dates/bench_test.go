package dates

import (
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// BenchmarkFind reads the dates of the seeds' normalised and tokenised
// text with the options offer.Parse gives, so that the grammar alone is
// measured.
func BenchmarkFind(b *testing.B) {
	type input struct {
		s    string
		toks text.Tokens
	}
	var inputs []input
	size := 0
	for _, d := range seedtest.Files(b) {
		s, err := text.Decode(d)
		if err != nil {
			b.Fatal(err)
		}
		s = text.Normalize(s)
		inputs = append(inputs, input{s, text.Tokenize(s)})
		size += len(s)
	}
	ref := time.Date(2025, 10, 1, 12, 0, 0, 0, paris(b))
	opts := Options{PastDays: 30, MaxDates: 1000}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			Find(in.s, in.toks, ref, opts)
		}
	}
}

// BenchmarkFinder is BenchmarkFind with one Finder for every text, as
// offer.Parse keeps one, so that what the grammar allocates per line is
// not measured as growth.
func BenchmarkFinder(b *testing.B) {
	type input struct {
		s    string
		toks text.Tokens
	}
	var inputs []input
	size := 0
	for _, d := range seedtest.Files(b) {
		s, err := text.Decode(d)
		if err != nil {
			b.Fatal(err)
		}
		s = text.Normalize(s)
		inputs = append(inputs, input{s, text.Tokenize(s)})
		size += len(s)
	}
	ref := time.Date(2025, 10, 1, 12, 0, 0, 0, paris(b))
	opts := Options{PastDays: 30, MaxDates: 1000}
	var f Finder
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			f.Find(in.s, in.toks, ref, opts)
		}
	}
}

// BenchmarkFinderCorpora is BenchmarkFinder over the texts of the test
// corpora, whose offers hold more dates and numbers than the seeds.
func BenchmarkFinderCorpora(b *testing.B) {
	type input struct {
		s    string
		toks text.Tokens
	}
	var inputs []input
	size := 0
	for _, s := range seedtest.CorpusTexts(b) {
		s = text.Normalize(s)
		inputs = append(inputs, input{s, text.Tokenize(s)})
		size += len(s)
	}
	ref := time.Date(2025, 10, 1, 12, 0, 0, 0, paris(b))
	opts := Options{PastDays: 30, MaxDates: 1000}
	var f Finder
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			f.Find(in.s, in.toks, ref, opts)
		}
	}
}
