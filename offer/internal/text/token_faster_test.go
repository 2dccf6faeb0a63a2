package text

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// The scans of Tokenize below were made faster; each test here keeps the
// plain version and checks that both give the same on the texts of the
// test corpora and on random texts.

// plainAppendFold is AppendFold with every character beyond ASCII
// decoded and folded with FoldRune.
func plainAppendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			j := i
			for j < len(s) && s[j] < utf8.RuneSelf && (s[j] < 'A' || s[j] > 'Z') {
				j++
			}
			if j > i {
				dst = append(dst, s[i:j]...)
				i = j
				continue
			}
			dst = append(dst, c+'a'-'A')
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch f, g, k := FoldRune(r); k {
		case 2:
			dst = utf8.AppendRune(dst, f)
			dst = utf8.AppendRune(dst, g)
		case 1:
			dst = utf8.AppendRune(dst, f)
		}
	}
	return dst
}

func TestAppendFoldLatin1Table(t *testing.T) {
	in := fasterInputs(t)
	// Every character from U+0080 to U+07FF, and every byte after 0xC3,
	// between letters.
	for r := rune(0x80); r < 0x800; r++ {
		in = append(in, "É"+string(r)+"a", string(r))
	}
	for c := range 256 {
		in = append(in, "\xc3"+string(rune(c)), "a\xc3"+string([]byte{byte(c)}))
	}
	for _, s := range in {
		if got, want := string(AppendFold(nil, s)), string(plainAppendFold(nil, s)); got != want {
			t.Fatalf("AppendFold(%q) = %q, want %q", s, got, want)
		}
	}
}

// BenchmarkAppendFold folds the words of the normalised seeds that are
// not their own folded forms, with the plain and the table folds.
func BenchmarkAppendFold(b *testing.B) {
	var words []string
	for _, s := range seedtest.CorpusTexts(b) {
		n := Normalize(s)
		ts := Tokenize(n)
		for i := range ts.Len() {
			if t := ts.At(i); t.Kind == Word && (t.Upper() || t.Accent()) {
				words = append(words, n[t.Pos:t.End])
			}
		}
	}
	for _, f := range []struct {
		name string
		fold func([]byte, string) []byte
	}{{"plain", plainAppendFold}, {"table", AppendFold}} {
		b.Run(f.name, func(b *testing.B) {
			var buf []byte
			for b.Loop() {
				for _, w := range words {
					buf = f.fold(buf[:0], w)
				}
			}
		})
	}
}

// plainWordEnd is wordEnd with every character beyond ASCII decoded.
func plainWordEnd(text string, i int) int {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if isApostrophe(r) || !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)) {
			return i
		}
		i += n
	}
	return i
}

func TestWordEndLatin1(t *testing.T) {
	in := fasterInputs(t)
	for r := rune(0x80); r < 0x800; r++ {
		in = append(in, "é"+string(r)+"a", string(r)+" ")
	}
	for c := range 256 {
		in = append(in, "a\xc3"+string([]byte{byte(c)})+"b")
	}
	for _, s := range in {
		for i := range min(len(s), 40) {
			if got, want := wordEnd(s, i), plainWordEnd(s, i); got != want {
				t.Fatalf("wordEnd(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}
