package facts

import (
	"testing"

	"github.com/echeance/echeance/offer/internal/text"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// BenchmarkExtract reads the facts of the seeds, normalised as offer.Parse
// does.
func BenchmarkExtract(b *testing.B) {
	var texts []string
	size := 0
	for _, d := range seedtest.Files(b) {
		s, err := text.Decode(d)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, text.Normalize(s))
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Extract(s)
		}
	}
}
