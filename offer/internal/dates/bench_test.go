package dates

import (
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// seedTexts are the seeds decoded, as offer.Parse decodes them.
func seedTexts(b *testing.B) []string {
	var texts []string
	for _, d := range seedtest.Files(b) {
		s, err := text.Decode(d)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, s)
	}
	return texts
}

// benchFind times find over texts, normalised and tokenised beforehand,
// with the options offer.Parse gives, so that the grammar alone is
// measured.
func benchFind(b *testing.B, texts []string, find func(s string, toks text.Tokens, ref time.Time, opts Options) []Date) {
	type input struct {
		s    string
		toks text.Tokens
	}
	var inputs []input
	size := 0
	for _, s := range texts {
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
			find(in.s, in.toks, ref, opts)
		}
	}
}

// BenchmarkFind reads the dates of the seeds.
func BenchmarkFind(b *testing.B) { benchFind(b, seedTexts(b), Find) }

// BenchmarkFinder is BenchmarkFind with one Finder for every text, as
// offer.Parse keeps one, so that what the grammar allocates per line is
// not measured as growth.
func BenchmarkFinder(b *testing.B) {
	var f Finder
	benchFind(b, seedTexts(b), f.Find)
}

// BenchmarkFinderCorpora is BenchmarkFinder over the texts of the test
// corpora, whose offers hold more dates and numbers than the seeds.
func BenchmarkFinderCorpora(b *testing.B) {
	var f Finder
	benchFind(b, seedtest.CorpusTexts(b), f.Find)
}
