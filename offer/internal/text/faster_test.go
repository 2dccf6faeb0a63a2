package text

import (
	"math/rand/v2"
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// The scans below were made faster; each test here keeps the plain
// version a scan replaced and checks that both give the same on the texts
// of the test corpora and on random texts.

// randomTexts returns texts made of bytes the scans look for (digits,
// controls, DEL, 0xC2 and its followers) among letters, at every offset
// from a word boundary.
func randomTexts(n int) []string {
	alphabet := []byte("aZ /09\x00\x01\x08\t\n\r\x1f\x7f\xc2\x80\x9f\xa0\xc3\xa9:;@\xff")
	rng := rand.New(rand.NewPCG(5, 6))
	out := make([]string, n)
	for k := range out {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = byte(rng.IntN(256))
			}
		}
		out[k] = string(b)
	}
	return out
}

// fasterInputs returns the corpus texts, their decoded form and random
// texts.
func fasterInputs(t *testing.T) []string {
	in := seedtest.CorpusTexts(t)
	for _, s := range in[:len(in):len(in)] {
		if d, err := Decode([]byte(s)); err == nil {
			in = append(in, d)
		}
	}
	return append(in, randomTexts(20000)...)
}

// plainCountControls is checkControls' count, one byte at a time.
func plainCountControls(s string) int {
	controls := 0
	for i, c := range []byte(s) {
		switch controlBytes[c] {
		case 1:
			controls++
		case 2:
			if i+1 < len(s) && s[i+1] < 0xa0 {
				controls++
			}
		}
	}
	return controls
}

func TestCountControlsWordAtATime(t *testing.T) {
	for _, s := range fasterInputs(t) {
		if got, want := countControls(s), plainCountControls(s); got != want {
			t.Fatalf("countControls(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestByteMasks checks the word tests against each byte on its own, in
// every lane and next to every other byte.
func TestByteMasks(t *testing.T) {
	for c := range 256 {
		for d := range 256 {
			for lane := range 7 {
				x := uint64(c)<<(8*lane) | uint64(d)<<(8*lane+8)
				mask := func(f func(b int) bool) (m uint64) {
					for k := range 8 {
						if f(int(x >> (8 * k) & 0xff)) {
							m |= 0x80 << (8 * k)
						}
					}
					return m
				}
				for _, n := range []byte{'\t', '\r' + 1, 0x20} {
					if got, want := bytesBelow(x, n), mask(func(b int) bool { return b < int(n) }); got != want {
						t.Fatalf("bytesBelow(%#x, %#x) = %#x, want %#x", x, n, got, want)
					}
				}
				for _, e := range []byte{0x7f, 0xc2} {
					if got, want := bytesEqual(x, e), mask(func(b int) bool { return b == int(e) }); got != want {
						t.Fatalf("bytesEqual(%#x, %#x) = %#x, want %#x", x, e, got, want)
					}
				}
				if got, want := digitBytes(x), mask(func(b int) bool { return b >= '0' && b <= '9' }); got != want {
					t.Fatalf("digitBytes(%#x) = %#x, want %#x", x, got, want)
				}
			}
		}
	}
}

// plainIndexDigit is indexDigit one byte at a time.
func plainIndexDigit(s string, i int) int {
	for ; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return i
		}
	}
	return -1
}

func TestIndexDigitWordAtATime(t *testing.T) {
	for _, s := range fasterInputs(t) {
		for i := 0; i <= len(s) && i < 64; i++ {
			if got, want := indexDigit(s, i), plainIndexDigit(s, i); got != want {
				t.Fatalf("indexDigit(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
		for i := 0; i < len(s); {
			want := plainIndexDigit(s, i)
			if got := indexDigit(s, i); got != want {
				t.Fatalf("indexDigit(%q, %d) = %d, want %d", s, i, got, want)
			}
			if want < 0 {
				break
			}
			i = want + 1
		}
	}
}

// BenchmarkControls counts the controls of the decoded seeds with the
// plain and the word-at-a-time scans.
func BenchmarkControls(b *testing.B) {
	var texts []string
	for _, s := range seedtest.CorpusTexts(b) {
		if d, err := Decode([]byte(s)); err == nil {
			texts = append(texts, d)
		}
	}
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				plainCountControls(s)
			}
		}
	})
	b.Run("words", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				countControls(s)
			}
		}
	})
}

// BenchmarkDigits finds every digit of the decoded seeds with the plain
// and the word-at-a-time scans.
func BenchmarkDigits(b *testing.B) {
	var texts []string
	for _, s := range seedtest.CorpusTexts(b) {
		if d, err := Decode([]byte(s)); err == nil {
			texts = append(texts, Normalize(d))
		}
	}
	for _, f := range []struct {
		name  string
		index func(string, int) int
	}{{"plain", plainIndexDigit}, {"words", indexDigit}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range texts {
					for i := f.index(s, 0); i >= 0; i = f.index(s, i+1) {
					}
				}
			}
		})
	}
}
