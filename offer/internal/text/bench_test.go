package text

import (
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// BenchmarkDecode decodes the seeds' bytes.
func BenchmarkDecode(b *testing.B) {
	files := seedtest.Files(b)
	size := 0
	for _, d := range files {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range files {
			if _, err := Decode(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNormalize normalises the seeds, decoded.
func BenchmarkNormalize(b *testing.B) {
	var texts []string
	size := 0
	for _, d := range seedtest.Files(b) {
		s, _ := Decode(d)
		texts = append(texts, s)
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Normalize(s)
		}
	}
}

// BenchmarkTokenize tokenises the seeds' normalised text as offer.Parse
// does, once for the whole text, with a Tokenizer kept from text to text.
func BenchmarkTokenize(b *testing.B) {
	texts, size := normalisedSeeds(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var tz Tokenizer
	for b.Loop() {
		for _, s := range texts {
			tz.Tokenize(s)
		}
	}
}

// BenchmarkTokenizeOnce tokenises the seeds' normalised text with
// Tokenize, which allocates the tokens of every text anew.
func BenchmarkTokenizeOnce(b *testing.B) {
	texts, size := normalisedSeeds(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Tokenize(s)
		}
	}
}

// normalisedSeeds returns the seeds decoded and normalised, and the size
// of their decoded text.
func normalisedSeeds(b *testing.B) ([]string, int) {
	var texts []string
	size := 0
	for _, d := range seedtest.Files(b) {
		s, _ := Decode(d)
		texts = append(texts, Normalize(s))
		size += len(s)
	}
	return texts, size
}

// BenchmarkRead runs the three steps offer.Parse takes through this
// package on the seeds: Decode, Normalize and Tokenize.
func BenchmarkRead(b *testing.B) {
	files := seedtest.Files(b)
	size := 0
	for _, d := range files {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range files {
			s, err := Decode(d)
			if err != nil {
				b.Fatal(err)
			}
			Tokenize(Normalize(s))
		}
	}
}
