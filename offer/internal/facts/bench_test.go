package facts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/text"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// BenchmarkExtract reads the facts of the seeds, normalised and with
// their function words counted as offer.Parse gives them.
func BenchmarkExtract(b *testing.B) {
	var (
		texts []string
		words []text.FunctionWords
		r     Reader
	)
	size := 0
	for _, d := range seedtest.Files(b) {
		s, err := text.Decode(d)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, text.Normalize(s))
		words = append(words, functionWordsOf(texts[len(texts)-1]))
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range texts {
			r.Extract(s, words[i])
		}
	}
}

// corporaTexts returns the deadline corpora's offers, decoded, turned
// from HTML into text and normalised as offer.Parse does.
func corporaTexts(b *testing.B) []string {
	paths, err := filepath.Glob("../../testdata/deadlines*/*")
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, p := range paths {
		if strings.HasSuffix(p, ".want") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		s, err := text.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if text.LooksLikeHTML(p, s) {
			s = text.ReadHTML(s).Text
		}
		texts = append(texts, text.Normalize(s))
	}
	return texts
}

// BenchmarkExtractCorpora reads the facts of the deadline corpora's offers,
// decoded, turned from HTML into text and normalised as offer.Parse does.
func BenchmarkExtractCorpora(b *testing.B) {
	texts := corporaTexts(b)
	size := 0
	for _, s := range texts {
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Extract(s)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "offers/s")
}
