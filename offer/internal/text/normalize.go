package text

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize cleans a decoded text so the readers can rely on its shape:
//   - line ends become "\n" (also for CR, NEL and the Unicode separators);
//   - text is put in Unicode NFC form, so accents are single characters;
//   - tabs and exotic spaces (no-break, narrow, thin, ...) become spaces;
//   - typographic apostrophes (’ ‘ ʼ ´ `) become ';
//   - soft hyphens, zero-width characters, stray controls and every other
//     format control (bidi embeddings, overrides, isolates and marks) are
//     removed;
//   - a number glued to a date word is split from it ("du 13au 15/06" gives
//     "du 13 au 15/06", "1erjanvier" gives "1er janvier", "juin2025" gives
//     "juin 2025"), while "35h", "2nde", "1er" or "C2D" are left alone;
//   - a label glued to the date after it, as pages flattened without
//     their layout give it, is split from it ("Expiration dateJanuary 20,
//     2026" gives "Expiration date January 20, 2026");
//   - runs of spaces inside a line become one, trailing spaces go, runs of
//     more than two blank lines become two, and blank lines at either end of
//     the text are dropped.
//
// Leading indentation and Markdown markup are kept. Normalize is
// idempotent.
func Normalize(s string) string {
	s, stable := mapRunes(s)
	if !stable {
		if t := norm.NFC.String(s); t != s {
			// NFC maps some spaces (U+2000) to others; map again.
			s, _ = mapRunes(t)
		}
	}
	return tidyLines(splitGlued(splitLabels(s)))
}

// labelGlue are the capitalised words a label may be glued to: months
// and days, in English and French.
var labelGlue = []string{
	"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	"Janvier", "Février", "Mars", "Avril", "Juin", "Juillet", "Août", "Septembre", "Octobre", "Novembre",
	"Décembre", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
}

// splitLabels puts a space between a small letter and a capitalised month
// or day glued to it and followed by a space: "dateJanuary 20". It
// returns s itself when nothing is split.
func splitLabels(s string) string {
	var b strings.Builder
	done := 0
	// A small letter before a capital is rare: find such pairs eight
	// bytes at a time, carrying from one word to the next whether its
	// last byte was a small letter.
	carry := uint64(0)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		small := rangeBytes(x, 'a', 'z')
		m := rangeBytes(x, 'A', 'Z') & (small<<8 | carry)
		carry = small >> 56
		for ; m != 0; m &= m - 1 {
			if j := i + bits.TrailingZeros64(m)/8; labelAt(s, j) {
				b.WriteString(s[done:j])
				b.WriteByte(' ')
				done = j
			}
		}
	}
	for i = max(i, 1); i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z' && labelAt(s, i) {
			b.WriteString(s[done:i])
			b.WriteByte(' ')
			done = i
		}
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// labelAt reports whether a word of labelGlue starts s[i:] and is followed
// by a space.
func labelAt(s string, i int) bool {
	for _, w := range labelGlue {
		if strings.HasPrefix(s[i:], w) && i+len(w) < len(s) && s[i+len(w)] == ' ' {
			return true
		}
	}
	return false
}

// rangeBytes returns x with the top bit of each byte from lo to hi set,
// and no other bit; lo and hi are ASCII, lo at least 1. As in digitBytes,
// each byte is tested on its low seven bits, which cannot carry into the
// next byte, and then must have its top bit clear.
func rangeBytes(x uint64, lo, hi byte) uint64 {
	const low = 0x7f * lsb
	y := x & low
	above := (y + uint64(0x7f-hi)*lsb) & msb
	from := (y + uint64(0x80-lo)*lsb) & msb
	return from &^ above &^ x & msb
}

// mapRunes turns "\r\n" into "\n" and maps every character with normRune.
// It returns s itself when nothing changes, as for texts without
// typographic apostrophes. stable reports that every character of the
// result is one NFC leaves alone (see nfcStable), as in most French and
// English texts, so that Normalize need not put it in NFC.
func mapRunes(s string) (_ string, stable bool) {
	var b strings.Builder
	done := 0 // s[:done] is in b, mapped; 0 while nothing changed
	stable = true
	for i := 0; i < len(s); {
		// Most bytes are plain ASCII, kept as they are: skip them eight at
		// a time, up to the first that is not.
		if i = plainEnd(s, i); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			if done == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:i])
			// "\r\n" is one line end: the "\r" goes.
			if c != '\r' || i+1 == len(s) || s[i+1] != '\n' {
				if m := normRune(rune(c)); m >= 0 {
					b.WriteByte(byte(m))
				}
			}
			i++
			done = i
			continue
		}
		if c == 0xc3 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			// U+00C0 to U+00FF, the accented letters of French, are
			// kept and left alone by NFC.
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		m := normRune(r)
		if m == r && n > 1 {
			stable = stable && nfcStable(r)
			i += n
			continue
		}
		// r changes, or is a byte that is not UTF-8 and becomes U+FFFD.
		if done == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:i])
		if m >= 0 {
			b.WriteRune(m)
			stable = stable && nfcStable(m)
		}
		i += n
		done = i
	}
	if done == 0 {
		return s, stable
	}
	b.WriteString(s[done:])
	return b.String(), stable
}

// plainASCII marks the ASCII bytes normRune keeps: printable ones but "`",
// and "\n". A table, as mapRunes asks about every byte of a text.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	t['`'], t['\n'] = false, true
	return t
}()

// plainEnd returns where the bytes of s from i that plainASCII marks
// end, or where the last eight bytes of s start if they go on so far. It
// reads eight bytes at a time; the top bit of each byte not marked is set
// in bad.
func plainEnd(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		bad := msb &^ (rangeBytes(x, ' ', '~')&^bytesEqual(x, '`') | bytesEqual(x, '\n'))
		if bad != 0 {
			return i + bits.TrailingZeros64(bad)/8
		}
	}
	return i
}

// nfcStable reports whether NFC leaves r alone wherever it stands: r is
// in NFC, has no combining class and combines with no character before it.
// A text made only of such characters is in NFC. The set holds what French
// and English texts are written with (Latin letters, « », œ, …, – and the
// like); any other character sends the text through NFC.
func nfcStable(r rune) bool {
	return r < 0x300 || r >= 0x2010 && r <= 0x205e || r == '€'
}

// normRune maps one character for Normalize; -1 drops it.
func normRune(r rune) rune {
	switch r {
	case '\r', '\u0085', '\u2028', '\u2029', '\v', '\f':
		return '\n'
	case '\t', '\u00a0', '\u1680', '\u202f', '\u205f', '\u3000', '\u180e':
		return ' '
	case '\u2019', '\u2018', '\u02bc', '\u00b4', '`', '\u2032':
		return '\''
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u200f':
		return -1
	}
	switch {
	case r == '\n':
		return r
	case r >= 0xa0 && r < 0x600:
		// Latin, Greek, Cyrillic, Hebrew: no format control but the
		// soft hyphen, dropped above.
		return r
	case r >= '\u2000' && r <= '\u200a':
		return ' '
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return -1
	case r >= 0x80 && unicode.Is(unicode.Cf, r):
		// Format controls: bidi embeddings, overrides and isolates
		// (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C),
		// tags and the like show nothing and may reorder what a student
		// reads; none is needed once the text is in NFC.
		return -1
	}
	return r
}

// tidyLines turns runs of spaces inside each line into one (keeping its
// indentation), drops trailing spaces, keeps at most two blank lines in a
// row and drops the blank lines at either end.
func tidyLines(s string) string {
	k := tidyPrefix(s)
	if k == len(s) {
		return s
	}
	return rewriteLines(s, k)
}

// tidyPrefix returns how much of s tidyLines leaves as it is: all of s, or
// up to the end of the last line (not blank) before the first change, or 0.
func tidyPrefix(s string) int {
	kept := 0  // s[:kept] is empty or ends a line that is not blank
	blank := 0 // blank lines since
	for start := 0; start < len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		l := s[start:end]
		start = end + 1
		if l == "" {
			if blank++; kept == 0 || blank > 2 {
				return kept
			}
			continue
		}
		if untidy(l) {
			return kept
		}
		kept, blank = end, 0
	}
	return kept
}

// untidy reports whether line l, not empty, ends with a space or holds a
// run of spaces after its indentation.
func untidy(l string) bool {
	return l[len(l)-1] == ' ' || indexSpaces(strings.TrimLeft(l, " ")) >= 0
}

// indexSpaces is strings.Index(s, "  "), read eight bytes at a time: the
// lines of most texts hold many single spaces, each of which
// strings.Index stops at.
func indexSpaces(s string) int {
	carry := uint64(0) // the last byte of the word before was a space
	i := 0
	for ; i+8 <= len(s); i += 8 {
		sp := bytesEqual(load64(s, i), ' ')
		if m := sp & (sp<<8 | carry); m != 0 {
			return i + bits.TrailingZeros64(m)/8 - 1
		}
		carry = sp >> 56
	}
	for i = max(i, 1); i < len(s); i++ {
		if s[i] == ' ' && s[i-1] == ' ' {
			return i - 1
		}
	}
	return -1
}

// rewriteLines is tidyLines' work when there is some, s[:k] being kept as
// it is (see tidyPrefix).
func rewriteLines(s string, k int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:k])
	blank, lines, start := 0, 0, 0 // blank lines pending, lines written, where the next starts
	if k > 0 {
		// s[k] is the line end after the kept lines.
		lines, start = 1, k+1
	}
	for start <= len(s) {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		l := strings.TrimRight(s[start:end], " ")
		start = end + 1
		if l == "" {
			if lines > 0 && blank < 2 {
				blank++
			}
			continue
		}
		if lines > 0 {
			b.WriteByte('\n')
		}
		for ; blank > 0; blank-- {
			b.WriteByte('\n')
		}
		writeCollapsed(&b, l)
		lines++
	}
	return b.String()
}

// writeCollapsed writes line l to b, its inner runs of spaces made one.
func writeCollapsed(b *strings.Builder, l string) {
	body := strings.TrimLeft(l, " ")
	if indexSpaces(body) < 0 {
		b.WriteString(l)
		return
	}
	b.WriteString(l[:len(l)-len(body)])
	for {
		k := indexSpaces(body)
		if k < 0 {
			b.WriteString(body)
			return
		}
		b.WriteString(body[:k+1])
		body = strings.TrimLeft(body[k:], " ")
	}
}

// GluedWord reports whether w, in lower case, is one of the date words
// Normalize splits from a number glued to it ("juin2025").
func GluedWord(w string) bool { return gluedWords[w] }

// gluedWords are the words that, glued to a number, make a date expression
// worth splitting: months in French and English (with usual abbreviations)
// and the small words of ranges and deadlines.
var gluedWords = map[string]bool{
	"janvier": true, "février": true, "fevrier": true, "mars": true, "avril": true,
	"mai": true, "juin": true, "juillet": true, "août": true, "aout": true,
	"septembre": true, "octobre": true, "novembre": true, "décembre": true, "decembre": true,
	"janv": true, "févr": true, "fevr": true, "fév": true, "avr": true, "juil": true,
	"sept": true, "oct": true, "nov": true, "déc": true, "dec": true,
	"january": true, "february": true, "march": true, "april": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true,
	"december": true, "jan": true, "feb": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true,
	"au": true, "du": true, "le": true, "et": true, "à": true, "ou": true, "dès": true,
	"avant": true, "après": true, "entre": true, "jusqu": true,
	"to": true, "and": true, "from": true, "until": true, "till": true, "by": true,
	"before": true, "after": true,
}

// ordinals may sit between a day number and a month ("1erjanvier").
var gluedOrdinals = []string{"er", "ère", "re", "st", "nd", "rd", "th"}

// splitGlued separates numbers from date words they are glued to. It works
// on runs of letters and digits: each run is cut into alternating letter
// and digit segments and a space is put where a digit segment meets a date
// word. Tokens (between spaces and line ends) that look like addresses or
// URLs are left alone. It returns s itself when nothing is cut.
func splitGlued(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		// Only a digit next to a letter may need a cut: find the next one.
		d := indexDigit(s, i)
		if d < 0 {
			break
		}
		e := d
		for e < len(s) && s[e] >= '0' && s[e] <= '9' {
			e++
		}
		i = e
		if !letterBefore(s, d) && !letterAt(s, e) {
			continue
		}
		// The token around the digits.
		from := strings.LastIndexAny(s[:d], " \n") + 1
		to := strings.IndexAny(s[e:], " \n")
		if to < 0 {
			to = len(s)
		} else {
			to += e
		}
		i = to
		tok := s[from:to]
		if strings.Contains(tok, "@") || strings.Contains(tok, "://") || containsFold(tok, "www.") {
			continue
		}
		gluedCuts(tok, func(c int) {
			if done == 0 {
				b.Grow(len(s) + len(s)/8)
			}
			b.WriteString(s[done : from+c])
			b.WriteByte(' ')
			done = from + c
		})
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// indexDigit returns the index of the first ASCII digit in s[i:], or -1.
func indexDigit(s string, i int) int {
	// Eight bytes at a time: digits are few in most lines.
	for ; i+8 <= len(s); i += 8 {
		if m := digitBytes(load64(s, i)); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return i
		}
	}
	return -1
}

// digitBytes returns x with the top bit of each byte that is an ASCII digit
// set, and no other bit. Each byte is tested on its low seven bits, which
// cannot carry into the next byte, and then must have its top bit clear.
func digitBytes(x uint64) uint64 {
	const low = 0x7f * lsb
	y := x & low
	above := (y + (0x7f-'9')*lsb) & msb // low bits above '9'
	from := (y + (0x80-'0')*lsb) & msb  // low bits at least '0'
	return from &^ above &^ x & msb
}

// letterBefore reports whether a letter ends s[:i].
func letterBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	if c := s[i-1]; c < utf8.RuneSelf {
		return isASCIILetter(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

// letterAt reports whether a letter starts s[i:].
func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	if c := s[i]; c < utf8.RuneSelf {
		return isASCIILetter(c)
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// containsFold reports whether s holds sub, lower-case ASCII, in any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

type gluedKind int

const (
	gluedOther gluedKind = iota
	gluedLetters
	gluedDigits
)

func gluedKindOf(r rune) gluedKind {
	switch {
	case r >= '0' && r <= '9':
		return gluedDigits
	case unicode.IsLetter(r):
		return gluedLetters
	}
	return gluedOther
}

// gluedCuts calls cut, in order, with the byte offsets in tok before which
// a space goes, between numbers and the date words glued to them. It reads
// tok's runs of letters and of digits one after the other, keeping only the
// last three, so a long token costs no memory.
func gluedCuts(tok string, cut func(int)) {
	type seg struct {
		kind       gluedKind
		start, end int
	}
	var before, a seg // the two runs before the one being read
	n := 0            // runs completed
	pair := func(c seg) {
		switch {
		case n < 1:
		case a.kind == gluedDigits && c.kind == gluedLetters:
			word := strings.ToLower(tok[c.start:c.end])
			if gluedWords[word] {
				cut(c.start)
				return
			}
			for _, o := range gluedOrdinals {
				if rest, ok := strings.CutPrefix(word, o); ok && gluedWords[rest] {
					cut(c.start + len(o))
					return
				}
			}
		case a.kind == gluedLetters && c.kind == gluedDigits:
			word := strings.ToLower(tok[a.start:a.end])
			if gluedWords[word] {
				cut(c.start)
				return
			}
			// "1erjanvier2026": the month ends the letter run.
			if n > 1 && before.kind == gluedDigits {
				for _, o := range gluedOrdinals {
					if rest, ok := strings.CutPrefix(word, o); ok && gluedWords[rest] {
						cut(c.start)
						return
					}
				}
			}
		}
	}
	var cur seg
	for i, r := range tok {
		k := gluedKindOf(r)
		if i > 0 && cur.kind == k {
			cur.end = i + utf8.RuneLen(r)
			continue
		}
		if i > 0 {
			pair(cur)
			before, a, n = a, cur, n+1
		}
		cur = seg{k, i, i + utf8.RuneLen(r)}
	}
	if len(tok) > 0 {
		pair(cur)
	}
}
