package text

import (
	"maps"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Kind is what a token is made of.
type Kind uint8

// Kinds of tokens; the zero Kind is no token.
const (
	Word Kind = iota + 1
	Number
	Punct
)

// Token is a run of letters, a run of ASCII digits or one other character
// of a text. It holds no pointer and takes 16 bytes, so that the tokens of
// a long text cost little memory and no work to the garbage collector; its
// folded form is read from its Tokens (Tokens.S).
type Token struct {
	Pos, End int32 // byte offsets in the text given to Tokenize
	// fold is where the folded form starts in Tokens.folded, n its
	// length; fold is -1 when the form is the text's own bytes.
	fold  int32
	n     uint16
	Kind  Kind
	flags uint8
}

const (
	fSpace  uint8 = 1 << iota // white space (or the start of the text) comes before it
	fUpper                    // written with an upper-case first letter
	fCaps                     // written all in capitals, two letters or more ("ET", not "et")
	fAccent                   // written with non-ASCII letters ("dès", not "des")
)

// Space reports whether white space (or the start of the text) comes
// before the token.
func (t Token) Space() bool { return t.flags&fSpace != 0 }

// Upper reports whether the token is written with an upper-case first
// letter.
func (t Token) Upper() bool { return t.flags&fUpper != 0 }

// Caps reports whether the token is written all in capitals, two letters
// or more ("ET", not "et").
func (t Token) Caps() bool { return t.flags&fCaps != 0 }

// Accent reports whether the token is written with non-ASCII letters
// ("dès", not "des").
func (t Token) Accent() bool { return t.flags&fAccent != 0 }

// Tokens are the tokens of a text, or of a stretch of it (Window), with
// what their folded forms are read from.
type Tokens struct {
	text, folded string
	list         []Token
}

// Len returns the number of tokens.
func (ts Tokens) Len() int { return len(ts.list) }

// At returns token i.
func (ts Tokens) At(i int) Token { return ts.list[i] }

// Kind returns the kind of token i: At(i).Kind, without copying the
// token. (A Token has more fields than the compiler keeps in registers, so
// At copies all of it through memory, which a loop over every token of a
// text feels.)
func (ts Tokens) Kind(i int) Kind { return ts.list[i].Kind }

// Pos returns the byte offset where token i starts: At(i).Pos, without
// copying the token.
func (ts Tokens) Pos(i int) int { return int(ts.list[i].Pos) }

// Space reports whether white space (or the start of the text) comes
// before token i: At(i).Space(), without copying the token.
func (ts Tokens) Space(i int) bool { return ts.list[i].flags&fSpace != 0 }

// S returns the folded form of token i: lower case without accents;
// apostrophes are "'", dashes "-".
func (ts Tokens) S(i int) string {
	t := &ts.list[i]
	// Without a branch, which the processor could not foresee: a word
	// has its own bytes or a folded form about as often as not. m is all
	// ones for the text's own bytes. The offsets are the Tokenizer's own,
	// within their string, so none needs checking again.
	m := t.fold >> 31
	lo := t.Pos&m | t.fold&^m
	n := (t.End-t.Pos)&m | int32(t.n)&^m
	src := [2]*byte{unsafe.StringData(ts.folded), unsafe.StringData(ts.text)}
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(src[m&1]), lo)), n)
}

// Window returns tokens i to j-1.
func (ts Tokens) Window(i, j int) Tokens {
	return Tokens{text: ts.text, folded: ts.folded, list: ts.list[i:j:j]}
}

// Tokenize returns the tokens of text, a whole text or a short window. A
// letter run glued to a number that reads as an ordinal suffix followed by
// a month ("1erjanvier") is split in two so the grammar sees "1", "er",
// "janvier".
//
// A word written in lower-case ASCII is its own folded form; the others
// are folded into one string shared by the tokens, so a text costs a few
// allocations whatever its length. A caller that tokenises text after
// text can keep a Tokenizer instead, which reuses its memory.
func Tokenize(text string) Tokens {
	var tz Tokenizer
	return tz.Tokenize(text)
}

// Tokenizer tokenises texts one after the other in the same memory: the
// token array of a long text is about four bytes per byte of it, and
// allocating and clearing it anew costs as much as reading the text. Its
// zero value is ready to use; it is not safe for concurrent use.
type Tokenizer struct {
	toks   []Token
	folded []byte   // the folded forms of the text being read
	words  [2]int32 // its French and English function words
}

// FunctionWords returns the function words of the text last tokenised,
// counted as CountFunctionWords counts them on its tokens.
func (tz *Tokenizer) FunctionWords() FunctionWords {
	return FunctionWords{French: int(tz.words[0]), English: int(tz.words[1])}
}

// maxFirstGuess is the most of a text whose tokens Tokenize makes room
// for before it has read any.
const maxFirstGuess = 16 << 10

// Tokenize is the package's Tokenize, in tz's memory: the Tokens it
// returns are valid until the next call (their strings stay valid).
func (tz *Tokenizer) Tokenize(text string) Tokens {
	ts := tz.TokenizeShared(text)
	ts.folded = strings.Clone(ts.folded)
	return ts
}

// TokenizeShared is Tokenize, except that the folded forms are read from
// tz's memory too: the strings S returns are valid only until the next
// call, and a caller that keeps one must copy it. It spares a text's
// reader the copy of its folded forms that Tokenize makes.
func (tz *Tokenizer) TokenizeShared(text string) Tokens {
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
	// The function words are counted as the words are read: a word's
	// key is a few instructions from the bytes just read, cheaper than a
	// pass over the tokens or the text.
	fw, words := functionTable, [2]int32{}
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
			case c >= 'a' && c <= 'z' && (space != 0 || len(toks) == 0 || toks[len(toks)-1].Kind != Number):
				// Most tokens are words in lower-case ASCII, which are
				// their own folded forms and carry no flag but space:
				// they are read here at once, with the accented letters
				// that may follow. A word that goes on with a capital is
				// read below.
				j := smallEnd(text, i+1)
				t := Token{Pos: int32(start), End: int32(j), fold: -1, Kind: Word, flags: space}
				if j < len(text) && text[j] >= utf8.RuneSelf {
					// Accented letters may follow ("développement"): the
					// word's fold is its small letters and theirs. (A
					// word that long is read below, its fold cut.)
					end := wordEnd(text, j)
					if end-start > 0x7fff {
						break
					}
					if end > j {
						t.End, t.fold, t.flags = int32(end), int32(len(folded)), space|fAccent
						folded = AppendFold(folded, text[start:end])
						t.n = uint16(len(folded) - int(t.fold))
						j = end
					}
				} else if j < len(text) && isASCIILetter(text[j]) {
					break
				}
				// (An accented word's key holds a byte that is not
				// ASCII, and so is no function word's.)
				fw.count(&words, smallKey(text, start, j, false))
				toks = append(toks, t)
				i, space = afterWord(text, j)
				continue
			case c >= 'A' && c <= 'Z' && (space != 0 || len(toks) == 0 || toks[len(toks)-1].Kind != Number):
				// A capital and small ASCII letters ("Le", "Grenoble"):
				// its folded form is its small first letter and the
				// rest, and it is no word in capitals.
				j := smallEnd(text, i+1)
				if j < len(text) && (text[j] >= utf8.RuneSelf || isASCIILetter(text[j])) || j-i > 0x7fff {
					break
				}
				t := Token{Pos: int32(start), End: int32(j), fold: int32(len(folded)), n: uint16(j - i), Kind: Word, flags: space | fUpper}
				folded = append(folded, c+'a'-'A')
				folded = append(folded, text[i+1:j]...)
				fw.count(&words, smallKey(text, start, j, true))
				toks = append(toks, t)
				i, space = afterWord(text, j)
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
			if t.flags&fAccent == 0 {
				fw.countWord(&words, word)
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
	tz.toks, tz.folded, tz.words = toks, folded, words
	return Tokens{text: text, folded: unsafe.String(unsafe.SliceData(folded), len(folded)), list: toks}
}

// afterWord returns where to read on after a word that ends at text[j],
// and the space flag of the next token: most words are followed by one
// space, read here rather than by a turn of the loop.
func afterWord(text string, j int) (int, uint8) {
	if j < len(text) && text[j] == ' ' {
		return j + 1, fSpace
	}
	return j, 0
}

// smallEnd returns where the run of small ASCII letters that starts at
// text[i] ends. Eight bytes are tested at once: most words end within the
// first eight, where a test of each byte would have its loop's end, at a
// different length for each word, foreseen wrong.
func smallEnd(text string, i int) int {
	for ; i+8 <= len(text); i += 8 {
		if other := msb &^ rangeBytes(load64(text, i), 'a', 'z'); other != 0 {
			return i + bits.TrailingZeros64(other)/8
		}
	}
	for i < len(text) && text[i] >= 'a' && text[i] <= 'z' {
		i++
	}
	return i
}

// wordEnd returns where the letters (and combining marks) that run from
// text[i] end; an apostrophe ends a word, even one that is a letter.
func wordEnd(text string, i int) int {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				return i
			}
			i++
			continue
		}
		if c := text[i]; c == 0xc3 && i+1 < len(text) && text[i+1]&0xc0 == 0x80 && text[i+1] != 0x97 && text[i+1] != 0xb7 {
			// From U+00C0 to U+00FF, all but × and ÷ are letters.
			i += 2
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

// gluedWord returns the folded form of the word text[start:end] glued to
// the number before it, splitting off an ordinal suffix glued to a month
// ("1erjanvier"), and where the token ends.
func gluedWord(text string, start, end int) (string, int) {
	form := Fold(text[start:end])
	if k := gluedSuffix(form); k > 0 && strings.ToLower(text[start:start+k]) == form[:k] {
		// The suffix was written in ASCII, so k is also a byte offset in
		// text.
		return form[:k], start + k
	}
	return form, end
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// gluedSuffix returns the length of an ordinal suffix that starts w when the
// rest of w is a month name, else 0.
func gluedSuffix(w string) int {
	for _, suf := range gluedSuffixes {
		if rest, ok := strings.CutPrefix(w, suf); ok && rest != "" && gluedMonths[rest] {
			return len(suf)
		}
	}
	return 0
}

// gluedMonths are the folded month names and abbreviations of the date
// grammar; an ordinal suffix glued to a number before one of them is split
// from it ("1erjanvier"). dates' tests check that the two lists agree.
var gluedMonths = map[string]bool{
	"janvier": true, "janv": true, "jan": true, "january": true,
	"fevrier": true, "fevr": true, "fev": true, "feb": true, "february": true,
	"mars": true, "mar": true, "march": true,
	"avril": true, "avr": true, "apr": true, "april": true,
	"mai": true, "may": true,
	"juin": true, "jun": true, "june": true,
	"juillet": true, "juil": true, "jui": true, "jul": true, "july": true,
	"aout": true, "aou": true, "aug": true, "august": true,
	"septembre": true, "sept": true, "sep": true, "september": true,
	"octobre": true, "oct": true, "october": true,
	"novembre": true, "nov": true, "november": true,
	"decembre": true, "dec": true, "december": true,
}

// gluedSuffixes are the ordinal suffixes that may follow a day number:
// "1er", "15e", "3rd"; the grammar reads the same ones.
var gluedSuffixes = []string{"ere", "er", "re", "eme", "ieme", "e", "nde", "nd", "st", "rd", "th"}

// GluedMonths returns, sorted, the folded month names Tokenize splits from
// an ordinal suffix glued before them.
func GluedMonths() []string { return slices.Sorted(maps.Keys(gluedMonths)) }

// GluedSuffixes returns the ordinal suffixes Tokenize splits from a month
// name glued after them.
func GluedSuffixes() []string { return slices.Clone(gluedSuffixes) }

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', '՚', 'ꞌ', '＇', '′', '‵', 'ʹ', '`', '´':
		return true
	}
	return false
}

func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '−':
		return true
	}
	return false
}

func isCaps(s string) bool {
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// IsASCII reports whether s is all ASCII.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Fold lower-cases s and strips its accents ("Médiation" gives "mediation"),
// for matching words whatever their case and accents.
func Fold(s string) string {
	if IsASCII(s) {
		return strings.ToLower(s)
	}
	// A word's folded form fits in buf, on the stack: the string is the
	// one allocation.
	var buf [64]byte
	return string(AppendFold(buf[:0], s))
}

// AppendFold appends Fold(s) to dst and returns the extended slice, so
// that a caller can fold into memory it reuses, or look a word up in a
// map (m[string(b)]) without allocating.
func AppendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// A run of ASCII without capitals is written at once.
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
		if c := s[i]; c == 0xc3 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			// U+00C0 to U+00FF, the accented letters of French: read
			// from a table.
			f := &latin1Folds[s[i+1]&0x3f]
			dst = append(dst, f.b[:f.n]...)
			i += 2
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

// latin1Folds holds what AppendFold writes for U+00C0 + k, k below 64.
var latin1Folds = func() (t [64]struct {
	b [4]byte
	n uint8
}) {
	for k := range t {
		var b []byte
		switch f, g, n := FoldRune(0xc0 + rune(k)); n {
		case 2:
			b = utf8.AppendRune(utf8.AppendRune(nil, f), g)
		case 1:
			b = utf8.AppendRune(nil, f)
		}
		t[k].n = uint8(copy(t[k].b[:], b))
	}
	return t
}()

// FoldRune returns what Fold makes of r: k runes, f then g. A letter is
// lowered and loses its accent ("É" gives "e"), "œ" gives "oe", and a
// combining mark gives nothing (k is 0).
func FoldRune(r rune) (f, g rune, k int) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r, 0, 1
	}
	return unaccent(lowerRune(r))
}

// lowerRune is unicode.ToLower, without its table search for ASCII and
// Latin-1, the letters of French.
func lowerRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r <= 0xff:
		if r >= 'À' && r <= 'Þ' && r != '×' {
			r += 'à' - 'À'
		}
		return r
	}
	return unicode.ToLower(r)
}

// unaccent returns what Fold makes of a lowered rune beyond ASCII.
func unaccent(r rune) (f, g rune, k int) {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		r = 'a'
	case 'ç':
		r = 'c'
	case 'è', 'é', 'ê', 'ë':
		r = 'e'
	case 'ì', 'í', 'î', 'ï':
		r = 'i'
	case 'ñ':
		r = 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		r = 'o'
	case 'ù', 'ú', 'û', 'ü':
		r = 'u'
	case 'ý', 'ÿ':
		r = 'y'
	case 'ᵉ':
		// Superscript ordinals: "1ᵉʳ", "2ᵉ".
		r = 'e'
	case 'ʳ':
		r = 'r'
	case 'œ':
		return 'o', 'e', 2
	case 'æ':
		return 'a', 'e', 2
	}
	if isMark(r) {
		return 0, 0, 0
	}
	return r, 0, 1
}

// isMark reports whether r is a combining mark (Unicode's Mn); none comes
// before U+0300, so most letters need no table search.
func isMark(r rune) bool { return r >= 0x300 && unicode.Is(unicode.Mn, r) }
