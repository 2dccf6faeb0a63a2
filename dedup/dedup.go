// Package dedup owns recognising the same offer come from several sources
// (a mail, the employer's page, a PDF copy): a MinHash sketch of the
// offer's normalised text, the similarity of two sketches, and the bands
// under which candidates are looked up (locality-sensitive hashing), so
// that finding the offers near a new one reads a few index entries, not
// every stored offer.
//
// The text is folded (case and accents dropped), cut into words of letters
// and digits, and read as runs (shingles) of Shingle words; the sketch
// keeps, for each of Size hash functions, the smallest hash of those runs.
// Two sketches agree at a position with a probability equal to the Jaccard
// similarity of the two sets of runs, and 32 bands of 4 values make a pair
// at Threshold a candidate with probability 0.98 (every labelled pair
// above it is), one at 0.3 (two unrelated offers sharing common words)
// only 0.23. The decision itself (Same) is taken on
// the exact similarity of the two texts, so that the estimate's noise
// never merges two offers. Threshold and the shingle size were chosen on
// the labelled pairs of testdata/pairs.txt: single words separate a
// reworded copy from another offer of the same employer (whose
// presentation paragraph it shares) better than runs of two or three,
// which a rewording breaks; the test prints precision and recall.
//
// The package is pure: no I/O, no clock.
package dedup

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"strings"
	"unicode"

	"github.com/echeance/echeance/offer"
)

// Size is the number of hash functions of a sketch.
const Size = 128

// Shingle is the number of words in each run.
const Shingle = 1

// Bands and Rows cut a sketch for lookup: two offers whose sketches agree
// on all Rows values of at least one band are compared.
const (
	Bands = 32
	Rows  = Size / Bands
)

// Threshold is the similarity from which two offers are the same offer:
// on the labelled pairs, different offers of one employer reach 0.55 and
// reworded copies start at 0.56.
const Threshold = 0.58

// Sketch is the MinHash signature of one text.
type Sketch [Size]uint32

// multipliers and offsets of the Size hash functions h(x) = a*x + b
// (mod 2^64), from a fixed splitmix64 sequence so sketches stay comparable
// across versions.
var hashParams = func() (p [Size][2]uint64) {
	x := uint64(0x6563686561616e63) // "echeaanc"
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range p {
		p[i] = [2]uint64{next() | 1, next()}
	}
	return p
}()

// Words returns the folded words of text: letters and digits, case and
// accents dropped, so that a PDF's or an HTML page's layout, an apostrophe
// or a capital make no difference.
func Words(text string) []string {
	return strings.FieldsFunc(offer.Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Shingles returns the hashes of the runs of Shingle words of text (each
// run once).
func Shingles(text string) map[uint64]bool {
	words := Words(text)
	out := map[uint64]bool{}
	h := fnv.New64a()
	for i := 0; i+Shingle <= len(words) || i == 0 && len(words) > 0; i++ {
		h.Reset()
		for j := i; j < min(i+Shingle, len(words)); j++ {
			h.Write([]byte(words[j]))
			h.Write([]byte{' '})
		}
		out[h.Sum64()] = true
	}
	return out
}

// Of returns the sketch of text; ok is false for a text without words.
func Of(text string) (s Sketch, ok bool) {
	sh := Shingles(text)
	if len(sh) == 0 {
		return s, false
	}
	var mins [Size]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	for x := range sh {
		for i, p := range hashParams {
			if v := p[0]*x + p[1]; v < mins[i] {
				mins[i] = v
			}
		}
	}
	for i, m := range mins {
		s[i] = uint32(m >> 32)
	}
	return s, true
}

// Similarity estimates the Jaccard similarity of the texts of a and b.
func Similarity(a, b Sketch) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / Size
}

// Same reports whether texts a and b are the same offer: the exact
// similarity of their shingles reaches Threshold.
func Same(a, b string) bool { return Jaccard(a, b) >= Threshold }

// Jaccard is the exact similarity of the shingles of a and b.
func Jaccard(a, b string) float64 { return jaccard(Shingles(a), Shingles(b)) }

// Text is a text cut into shingles once, to compare with several others.
type Text map[uint64]bool

// NewText cuts text into shingles.
func NewText(text string) Text { return Text(Shingles(text)) }

// Jaccard is the exact similarity of t and other.
func (t Text) Jaccard(other string) float64 { return jaccard(t, Shingles(other)) }

// Worth reports whether a stored offer whose sketch is b may be the same
// as a text whose sketch is a: the estimate is within the noise of 128
// hashes (three standard deviations) of Threshold. Only those are
// compared exactly.
func Worth(a, b Sketch) bool { return Similarity(a, b) >= Threshold-0.15 }

func jaccard(sa, sb map[uint64]bool) float64 {
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	inter := 0
	for x := range sa {
		if sb[x] {
			inter++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}

// Candidates reports whether a and b share a band key, that is whether
// a lookup by keys finds one from the other.
func Candidates(a, b Sketch) bool {
	ka, kb := a.Keys(), b.Keys()
	for i := range ka {
		if ka[i] == kb[i] {
			return true
		}
	}
	return false
}

// Keys returns the band keys of s: one per band, each a hash of the band's
// number and its Rows values. Offers sharing a key are candidates.
func (s Sketch) Keys() [Bands]int64 {
	var out [Bands]int64
	var buf [4 + 4*Rows]byte
	for b := range Bands {
		binary.BigEndian.PutUint32(buf[:4], uint32(b))
		for r := range Rows {
			binary.BigEndian.PutUint32(buf[4+4*r:], s[b*Rows+r])
		}
		h := fnv.New64a()
		h.Write(buf[:])
		out[b] = int64(h.Sum64() >> 1) // SQLite integers are signed
	}
	return out
}

// Bytes encodes s for storage.
func (s Sketch) Bytes() []byte {
	b := make([]byte, 4*Size)
	for i, v := range s {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return b
}

// Parse decodes a sketch written by Bytes.
func Parse(b []byte) (Sketch, error) {
	var s Sketch
	if len(b) != 4*Size {
		return s, errors.New("dedup: sketch of the wrong size")
	}
	for i := range s {
		s[i] = binary.BigEndian.Uint32(b[4*i:])
	}
	return s, nil
}
