package text

import (
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// BenchmarkNormalize normalises the seeds, decoded.
func BenchmarkNormalize(b *testing.B) {
	var texts []string
	for _, d := range seedtest.Files(b) {
		s, _ := Decode(d)
		texts = append(texts, s)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Normalize(s)
		}
	}
}

// BenchmarkTokenize tokenises the seeds' normalised text as offer.Parse
// does, once for the whole text.
func BenchmarkTokenize(b *testing.B) {
	var texts []string
	size := 0
	for _, d := range seedtest.Files(b) {
		s, _ := Decode(d)
		texts = append(texts, Normalize(s))
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Tokenize(s)
		}
	}
}
