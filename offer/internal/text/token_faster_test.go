package text

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

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

// plainTokenize is TokenizeShared without its paths for the words most
// tokens are (small ASCII letters, a capital and small letters, small
// letters and accented ones, each with the space after it): every word
// goes through the one loop that reads any.
func plainTokenize(text string) Tokens {
	var tz Tokenizer
	// A token takes four bytes or more of most texts: one allocation
	// holds them all, reused by the next text when it has room. A long
	// text starts with room for the tokens of its first 16 KB only, then
	// grows to what the rest should take at the rate read (below): a
	// dense one ("a@b.a@b.…", a token a byte) would otherwise throw away
	// a first allocation of a quarter of its tokens.
	toks := tz.toks[:0]
	if want := min(len(text), maxFirstGuess)/4 + 8; cap(toks) < want {
		toks = make([]Token, 0, want)
	}
	// The folded forms that are not text's own bytes. (A local slice,
	// not a strings.Builder: appending to it writes no pointer to the
	// heap, and so costs no write barrier while the collector runs.)
	folded := tz.folded[:0]
	if want := len(text)/4 + 16; cap(folded) < want {
		// A quarter of the text, as accented French needs.
		folded = make([]byte, 0, want)
	}
	add := func(t Token, form string) Token {
		t.fold = int32(len(folded))
		if len(form) > 0xffff {
			form = form[:0xffff]
		}
		folded = append(folded, form...)
		t.n = uint16(len(form))
		return t
	}
	space := fSpace
	for i := 0; i < len(text); {
		if len(toks) == cap(toks) {
			// A dense text ("1/1/1/…"): grow once to what the rest of it
			// should take at the rate read so far, rather than by steps.
			// (A new slice and a copy, not slices.Grow: built with -race,
			// slices.Grow allocates its growth twice.)
			grown := make([]Token, len(toks), len(toks)+len(toks)*(len(text)-i)/max(i, 1)+len(toks)/8+16)
			copy(grown, toks)
			toks = grown
		}
		start := i
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
				space = fSpace
				i++
				continue
			case c >= '0' && c <= '9':
				for i < len(text) && text[i] >= '0' && text[i] <= '9' {
					i++
				}
				toks = append(toks, Token{Pos: int32(start), End: int32(i), fold: -1, Kind: Number, flags: space})
				space = 0
				continue
			case c == '`':
				toks = append(toks, add(Token{Pos: int32(start), End: int32(i + 1), Kind: Punct, flags: space}, "'"))
				i++
				space = 0
				continue
			case !isASCIILetter(c):
				toks = append(toks, Token{Pos: int32(start), End: int32(i + 1), fold: -1, Kind: Punct, flags: space})
				i++
				space = 0
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		t := Token{Pos: int32(start), fold: -1, flags: space}
		if unicode.IsUpper(r) {
			t.flags |= fUpper
		}
		switch {
		case c < utf8.RuneSelf || unicode.IsLetter(r) && !isApostrophe(r):
			// A word: ASCII letters, then any letters.
			upper, ascii := false, true
			if c < utf8.RuneSelf {
				for i < len(text) && isASCIILetter(text[i]) {
					upper = upper || text[i] <= 'Z'
					i++
				}
				if i < len(text) && text[i] >= utf8.RuneSelf {
					end := wordEnd(text, i)
					ascii = end == i
					i = end
				}
			} else {
				i = wordEnd(text, i)
				ascii, upper = false, true
			}
			t.Kind = Word
			word := text[start:i]
			switch {
			case len(toks) > 0 && space == 0 && toks[len(toks)-1].Kind == Number:
				form, end := gluedWord(text, start, i)
				i = end
				if form != text[start:i] {
					t = add(t, form)
				}
			case ascii && !upper:
			case len(word) > 0x7fff:
				// Long enough for its folded form to be cut (see add).
				t = add(t, Fold(word))
			default:
				t.fold = int32(len(folded))
				folded = AppendFold(folded, word)
				t.n = uint16(len(folded) - int(t.fold))
			}
			word = text[start:i]
			if !ascii && !IsASCII(word) {
				t.flags |= fAccent
			}
			if i-start > 1 && upper && isCaps(word) {
				t.flags |= fCaps
			}
		case isApostrophe(r):
			i += n
			t.Kind = Punct
			t = add(t, "'")
		case isDash(r):
			i += n
			t.Kind = Punct
			t = add(t, "-")
		case unicode.IsSpace(r):
			space = fSpace
			i += n
			continue
		default:
			i += n
			t.Kind = Punct
		}
		t.End = int32(i)
		toks = append(toks, t)
		space = 0
	}
	tz.toks, tz.folded = toks, folded
	return Tokens{text: text, folded: unsafe.String(unsafe.SliceData(folded), len(folded)), list: toks}
}

// tokenizeInputs returns the corpus texts and random texts of words:
// small, capital and accented letters, apostrophes, dashes, combining
// marks, digits glued to words ("1erjanvier") and spaces, with a few words
// longer than a token's fold can hold.
func tokenizeInputs(t *testing.T) []string {
	in := fasterInputs(t)
	pieces := []string{"a", "z", "e", "A", "Z", "L", "é", "É", "ç", "œ", "ſ", "K", "\u0301", "’", "'", "`", "-", "–",
		"1", "42", "er", "janvier", " ", " ", " ", "  ", "\n", "\t", "\u00a0", ".", ",", "(", "×", "\xc3", "\xff"}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 30000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in = append(in, b.String())
	}
	long := strings.Repeat("a", 0x10004)
	return append(in, "Le "+long+" x", "L"+long, "dé"+long+" x", long+"é", "x "+long, "1"+long)
}

func TestTokenizeAsPlain(t *testing.T) {
	var tz Tokenizer
	for _, s := range tokenizeInputs(t) {
		got, want := tz.TokenizeShared(s), plainTokenize(s)
		if got.Len() != want.Len() {
			t.Fatalf("%.80q: %d tokens, want %d", s, got.Len(), want.Len())
		}
		for i := range got.Len() {
			g, w := got.At(i), want.At(i)
			if g.Pos != w.Pos || g.End != w.End || g.Kind != w.Kind || g.flags != w.flags || got.S(i) != want.S(i) {
				t.Fatalf("%.80q: token %d is %+v %.40q, want %+v %.40q", s, i, g, got.S(i), w, want.S(i))
			}
		}
	}
}
