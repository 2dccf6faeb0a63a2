package facts

import (
	"math/bits"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The tests below keep the plain versions of the body's routines that were
// made faster, and check that both give the same on the corpus texts, their
// lines and random inputs.

// caseInputs returns fasterInputs and random strings of ASCII letters of
// both cases, accented letters, other UTF-8 and bytes that are not UTF-8,
// of every length around a word of eight bytes.
func caseInputs(t *testing.T) []string {
	t.Helper()
	in := fasterInputs(t)
	in = append(in, randomLines(11, 20000, []string{"a", "b", "z", "A", "Z", "@", "[", "`", "{", " ", "é", "É", "\xc3",
		"\xc3\x97", "\xc3\x9f", "İ", "K", "ǅ", "Ω", "\xff", "\x7f", "\x80", "0", "9", "aaaaaaa", "ZZZZZZZZ"})...)
	for n := range 20 {
		for _, c := range []string{"A", "Z", "é", "É", "\xff", "@", "["} {
			for k := 0; k <= n; k++ {
				in = append(in, strings.Repeat("a", k)+c+strings.Repeat("b", n-k))
			}
		}
	}
	return in
}

// plainLowerAligned is lowerAligned reading the bytes that lowering keeps
// one by one.
func plainLowerAligned(s string) (string, bool) {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s, true
	}
	aligned := true
	var b strings.Builder
	run := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				b.WriteString(s[run:i])
				b.WriteByte(c + 'a' - 'A')
				run = i + 1
			}
			i++
			continue
		}
		if c == 0xc3 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0xbf {
			if d := s[i+1]; d <= 0x9e && d != 0x97 {
				b.WriteString(s[run : i+1])
				b.WriteByte(d + 0x20)
				run = i + 2
			}
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		lr := r
		switch {
		case r == utf8.RuneError && n == 1:
			aligned = false
		case r >= 0x100:
			lr = unicode.ToLower(r)
			aligned = aligned && utf8.RuneLen(lr) == n
		}
		if lr != r || n == 1 {
			b.WriteString(s[run:i])
			b.WriteRune(lr)
			run = i + n
		}
		i += n
	}
	b.WriteString(s[run:])
	return b.String(), aligned
}

func TestLowerAlignedAsBytewise(t *testing.T) {
	for _, s := range caseInputs(t) {
		got, gotAligned := lowerAligned(s)
		want, wantAligned := plainLowerAligned(s)
		if got != want || gotAligned != wantAligned {
			t.Fatalf("lowerAligned(%q) = %q, %v, want %q, %v", s, got, gotAligned, want, wantAligned)
		}
	}
}

func TestCaseStop(t *testing.T) {
	for _, s := range caseInputs(t) {
		for i := 0; i <= min(len(s), 24); i++ {
			want := i
			for want < len(s) && s[want] < utf8.RuneSelf && (s[want] < 'A' || s[want] > 'Z') {
				want++
			}
			if got := caseStop(s, i); got != want {
				t.Fatalf("caseStop(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// plainGramsOf is gramsOf hashing each triple of bytes as it is read.
func plainGramsOf(s string, buf []uint64) grams {
	g := grams{bits: buf, shift: uint8(32 - 6 - bits.TrailingZeros(uint(len(buf))))}
	for i := 0; i+2 < len(s); i++ {
		h := tripleHash(s[i], s[i+1], s[i+2]) >> g.shift
		g.bits[h>>6] |= 1 << (h & 63)
	}
	return g
}

func TestGramsOfAsTriples(t *testing.T) {
	for _, s := range caseInputs(t) {
		n := gramWords(len(s))
		got, want := gramsOf(s, make([]uint64, n)), plainGramsOf(s, make([]uint64, n))
		if got.shift != want.shift || !slices.Equal(got.bits, want.bits) {
			t.Fatalf("gramsOf(%.60q) differs from its triples' hashes", s)
		}
	}
}
