package facts

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// This file holds the small tests of bytes and words every reader uses.

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func firstRuneOf(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isASCIIWord reports whether c is a character of a word as \b sees it.
func isASCIIWord(c byte) bool { return isASCIIAlnum(c) || c == '_' }

// boundaryAt reports whether a word boundary (\b) stands before s[i].
func boundaryAt(s string, i int) bool {
	before := i > 0 && isASCIIWord(s[i-1])
	after := i < len(s) && isASCIIWord(s[i])
	return before != after
}

func isASCIILetter(c byte) bool { return (c|0x20)-'a' < 26 }

// hasDigits reports whether s holds n digits in a row.
func hasDigits(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			if run++; run == n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// startsFold reports whether s starts with one of prefixes, lower-case
// ASCII, in any case.
func startsFold(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// findFrom runs re on s from where its leftmost match can start at the
// earliest, start, and returns the match's bounds in s, or nil. The byte
// before start is read too, so that \b there sees what precedes.
func findFrom(re *regexp.Regexp, s string, start int) []int {
	if start < 0 {
		return nil
	}
	from := max(start-1, 0)
	m := re.FindStringIndex(s[from:])
	if m == nil {
		return nil
	}
	// The bounds are moved in the slice the search made, which is ours.
	m[0], m[1] = from+m[0], from+m[1]
	return m
}

// matchStarts says where the matches of an expression start, for
// findStarting: at one of words (lower-case, matched in any case) or, with
// digits, at a digit, and how far they go: every match is shorter than
// half of window, in bytes. may, when set, tells cheaply whether a match
// can start at s[i], one of those places.
type matchStarts struct {
	words  []string
	digits bool
	window int
	may    func(s string, i int) bool
}

// findStarting returns the bounds of re's leftmost match in s, as
// findFrom(re, s, i) does, for an expression every match of which starts
// where firstOf(s, st.words, st.digits) finds one, at a word boundary
// unless it starts with a letter that is not ASCII, and is shorter than
// st.window; i is where the first of them the caller looks at stands, -1
// when none does. at is re anchored at the start of the text: it is tried
// at each of those places in turn, on the next st.window bytes, where
// findFrom ran re over the rest of s from the first one on, which in a
// long line without a match means each alternative at each byte. The
// letters "ſ" and "K" (Kelvin), which fold to ASCII letters but are not
// one byte long, are not among the words as firstOf reads them: a text
// with one is left to findFrom.
func findStarting(re, at *regexp.Regexp, s string, i int, st matchStarts) []int {
	if i < 0 {
		return nil
	}
	if strings.Contains(s, "ſ") || strings.Contains(s, "\u212a") {
		return findFrom(re, s, i)
	}
	for {
		// The ASCII starts follow \b: not a word's byte before them.
		if (s[i] >= utf8.RuneSelf || i == 0 || !isASCIIWord(s[i-1])) && (st.may == nil || st.may(s, i)) {
			w := s[i:min(len(s), i+st.window)]
			if m := at.FindStringIndex(w); m != nil {
				if m[1] == len(w) && len(w) < len(s)-i {
					// The match reaches the window's end, and might go
					// on past it.
					m = at.FindStringIndex(s[i:])
				}
				return []int{i + m[0], i + m[1]}
			}
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		k := firstOf(s[i+n:], st.words, st.digits)
		if k < 0 {
			return nil
		}
		i += n + k
	}
}

// firstOf returns where the first of words (lower-case, matched in any
// case) starts in s, or, with digits, the first ASCII digit if earlier;
// -1 when none does.
func firstOf(s string, words []string, digits bool) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if digits && isDigitByte(c) {
			return i
		}
		for _, w := range words {
			if (c|0x20 == w[0] || c >= utf8.RuneSelf) && len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) {
				return i
			}
		}
	}
	return -1
}

// words is a set of words, for the word lists looked up often.
type words map[string]bool

func wordsOf(ws ...string) words {
	set := make(words, len(ws))
	for _, w := range ws {
		set[w] = true
	}
	return set
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// cutSentence keeps a value up to the end of its first sentence.
func cutSentence(v string) string {
	for _, sep := range []string{". ", " ; ", "; "} {
		if i := strings.Index(v, sep); i > 0 {
			v = v[:i]
		}
	}
	return strings.TrimSpace(strings.TrimRight(v, ". "))
}

// firstWord returns the first of the words of s between spaces.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " ")
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// containsFold reports whether s holds sub, in lower case, in any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0]|0x20 && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			return true
		}
	}
	return false
}

// fields counts the words of s between spaces, as strings.Fields would
// in a normalised text.
func fields(s string) int { return fieldsUpTo(s, len(s)) }

// fieldsUpTo is fields of s, but stops counting at max: the lines it
// tests only need to know whether they are short.
func fieldsUpTo(s string, max int) int {
	n, in := 0, false
	for i := 0; i < len(s) && n < max; i++ {
		if s[i] == ' ' {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// foldAt returns where w ends when it is written at s[i:] in any case, as
// a regular expression's (?i) reads it (by Unicode simple folding: "É" is
// "é", and "ſ" is "s"), or -1 when it is not.
func foldAt(s string, i int, w string) int {
	for _, wr := range w {
		if i >= len(s) {
			return -1
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != wr && !sameFold(r, wr) {
			return -1
		}
		i += n
	}
	return i
}

// sameFold reports whether r and w are the same letter in another case.
func sameFold(r, w rune) bool {
	if r < utf8.RuneSelf && w < utf8.RuneSelf {
		return r|0x20 == w|0x20 && 'a' <= w|0x20 && w|0x20 <= 'z'
	}
	for f := unicode.SimpleFold(w); f != w; f = unicode.SimpleFold(f) {
		if f == r {
			return true
		}
	}
	return false
}

// atAny returns where the first of words written at s[i:] ends, or -1.
func atAny(s string, i int, words ...string) int {
	for _, w := range words {
		if strings.HasPrefix(s[i:], w) {
			return i + len(w)
		}
	}
	return -1
}

// lazyRegexp is a regular expression compiled when first used: a
// short-lived process (echeance extract, echeance version) compiles only
// those the offers it reads need, and none at start-up.
type lazyRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

// firstRunes returns the first n characters of s, a byte that is not
// UTF-8 counting as one, as a regular expression counts them.
func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i]
}

// byteFinder finds, in order, the bytes of a small set (four at most) in
// a text, each by strings.IndexByte: skipping the bytes between so is
// faster than testing each when the set's bytes are a small part of the
// text.
type byteFinder struct {
	s, set string
	next   [4]int // where each byte of set stands next; -1 when nowhere
}

func newByteFinder(s, set string) byteFinder {
	if len(set) > 4 {
		panic("facts: byteFinder: more than four bytes in " + set)
	}
	f := byteFinder{s: s, set: set}
	for k := range f.set {
		f.next[k] = strings.IndexByte(s, f.set[k])
	}
	return f
}

// from returns where the first byte of the set at or after s[i] stands,
// or -1; i never goes back from one call to the next.
func (f *byteFinder) from(i int) int {
	first := -1
	for k := range f.set {
		if n := f.next[k]; n >= 0 && n < i {
			if j := strings.IndexByte(f.s[i:], f.set[k]); j >= 0 {
				f.next[k] = i + j
			} else {
				f.next[k] = -1
			}
		}
		if n := f.next[k]; n >= 0 && (first < 0 || n < first) {
			first = n
		}
	}
	return first
}
