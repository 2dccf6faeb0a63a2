package text

import (
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// BenchmarkLooksLikeHTML tells HTML from text in the corpus texts, named
// as plain text files so that the content decides.
func BenchmarkLooksLikeHTML(b *testing.B) {
	texts := seedtest.CorpusTexts(b)
	size := 0
	for _, s := range texts {
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			LooksLikeHTML("offer/testdata/offer.txt", s)
		}
	}
}
