package deadline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file finds the sentence around a date, in bytes, the tokens of any
// stretch of the text (tokenised once, by the caller), and phrases among
// them. The other files build on it.

// doc is the normalised text with its tokens and their marks (0 for a
// token not read yet).
type doc struct {
	txt   string
	toks  text.Tokens
	marks []mark
	// hint is the index of the first token of the last span found, where
	// spanIndex starts looking for the next.
	hint int
}

// newDoc returns the doc of txt, whose tokens are toks.
func newDoc(txt string, toks text.Tokens) doc {
	return doc{txt: txt, toks: toks, marks: make([]mark, toks.Len())}
}

// span returns the tokens that lie wholly within txt[from:to].
func (d *doc) span(from, to int) run {
	i, j := d.spanIndex(from, to)
	return d.window(i, j)
}

// window returns tokens i to j-1 of the text, with their marks. Only the
// tokens of the stretches read are marked, the first time they are: the
// sentences of the dates, a part of the text.
func (d *doc) window(i, j int) run {
	r := run{d.toks.Window(i, j), d.marks[i:j:j]}
	for k, m := range r.ms {
		if m == 0 {
			r.ms[k] = r.markOf(k)
		}
	}
	return r
}

// spanIndex returns the indices of the tokens that lie wholly within
// txt[from:to]: i to j-1.
//
// The stretches read one after the other lie near each other (the
// sentences of the dates, in text order), so i is looked for from the
// last one found, by steps that double away from it, then by halving: a
// few steps in memory already read, where a halving over the whole text
// costs a cache miss a step in a long one. j follows by halving over the
// tokens after i: they neither overlap nor go back, so their ends are in
// order, and a token takes a byte at least, so j-i is at most to-from.
func (d *doc) spanIndex(from, to int) (i, j int) {
	ts := d.toks
	n := ts.Len()
	// The first token at from or after is in [lo, hi]; hi is n when none
	// is. It is at most from, as a token takes a byte at least.
	lo, hi := 0, min(n, max(from, 0)+1)
	if h := min(d.hint, n); h < hi && ts.Pos(h) >= from {
		hi = h
		for step := 1; hi-step >= lo; step *= 2 {
			if ts.Pos(hi-step) < from {
				lo = hi - step + 1
				break
			}
			hi -= step
		}
	} else if h < hi {
		lo = h + 1
		for step := 1; lo+step-1 < hi; step *= 2 {
			if ts.Pos(lo+step-1) >= from {
				hi = lo + step - 1
				break
			}
			lo += step
		}
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ts.Pos(m) < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	i = lo
	d.hint = i
	// Most stretches hold a few dozen tokens: they are stepped over, in
	// memory read in order, to the first that starts at to or after; the
	// one before it is in the stretch unless it ends after to.
	k := i
	for k < n && k-i < 64 && ts.Pos(k) < to {
		k++
	}
	if k == n || ts.Pos(k) >= to {
		if k > i && int(ts.At(k-1).End) > to {
			k--
		}
		return i, k
	}
	hi = min(n, i+max(to-from, 0)+1)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(ts.At(m).End) <= to {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return i, lo
}

// tokens returns the tokens of txt[from:to] as text.Tokenize reads that
// stretch alone, and what to add to their positions to make them offsets
// in txt. They are the text's own tokens when the stretch cuts none and
// starts after no digit (to which a word would be glued): no new
// tokenising, no allocation. TestTokens checks the two on the corpora.
func (d *doc) tokens(from, to int) (ts text.Tokens, base int) {
	i, j := d.spanIndex(from, to)
	if (from == 0 || d.txt[from-1] < '0' || d.txt[from-1] > '9') &&
		(i == 0 || int(d.toks.At(i-1).End) <= from) && (j == d.toks.Len() || int(d.toks.At(j).Pos) >= to) {
		return d.toks.Window(i, j), 0
	}
	return text.Tokenize(d.txt[from:to]), from
}

// sentenceWindow bounds how far a sentence is read around a date, so that a
// text with no punctuation is still read in linear time.
const sentenceWindow = 240

// breaks are the bytes that may end a sentence, a line break and the
// stops (isStop): the others are stepped over at one test each.
var breaks = [256]bool{'\n': true, '.': true, '!': true, '?': true, ';': true}

// sentenceAround returns the bounds of the sentence holding [pos, end): up
// to a line break, ". ", "! ", "? " or "; ", within sentenceWindow bytes.
func sentenceAround(txt string, pos, end int) (from, to int) {
	from = max(0, pos-sentenceWindow)
	for i := pos - 1; i >= from; i-- {
		if !breaks[txt[i]] {
			continue
		}
		if txt[i] == '\n' && softWrap(txt, i) {
			continue
		}
		if txt[i] == '\n' || (i+1 < pos && isStop(txt[i]) && txt[i+1] == ' ' && !abbreviation(txt, i)) {
			from = i + 1
			break
		}
	}
	to = min(len(txt), end+sentenceWindow)
	for i := end; i < to; i++ {
		if !breaks[txt[i]] {
			continue
		}
		if txt[i] == '\n' && softWrap(txt, i) {
			continue
		}
		if txt[i] == '\n' || (isStop(txt[i]) && (i+1 == len(txt) || txt[i+1] == ' ' || txt[i+1] == '\n') && !abbreviation(txt, i)) {
			to = i
			break
		}
	}
	// Stay on rune boundaries when the window cut a character.
	for from < pos && from > 0 && !startsRune(txt[from]) {
		from++
	}
	for to > end && to < len(txt) && !startsRune(txt[to]) {
		to--
	}
	return from, to
}

// labelMax bounds the length of a label line read above its date.
const labelMax = 60

// labelAbove returns where the sentence of a date starting at pos begins
// when the date opens its line, from being that line's start, under a
// label line with no number: "Date limite de candidature" above "19
// décembre 2025", as definition lists, tables and copied web pages lay
// them out. Up to three blank lines may stand between ("Date de fin de
// candidature⏎⏎22/12/2025"). Otherwise it returns from.
func labelAbove(txt string, from, pos int) int {
	if from == 0 || txt[from-1] != '\n' {
		return from
	}
	for i := from; i < pos; i++ {
		switch txt[i] {
		case ' ', '\t', '-', '*', ':', '|', '>':
		default:
			return from
		}
	}
	end := from - 1 // the line break before the date's line
	for n := 0; n < 3 && end > 0 && txt[end-1] == '\n'; n++ {
		end-- // a blank line
	}
	lo := max(0, end-labelMax-1)
	nl := strings.LastIndexByte(txt[lo:end], '\n')
	if nl < 0 && lo > 0 {
		return from // longer than labelMax
	}
	start := lo + nl + 1
	label := strings.TrimRight(txt[start:end], " \t")
	if label == "" || isStop(label[len(label)-1]) {
		return from
	}
	for i := 0; i < len(label); i++ {
		if label[i] >= '0' && label[i] <= '9' {
			return from
		}
	}
	return start
}

// softWrap reports whether the line break at text[i] only wraps a
// sentence, as text copied from a PDF does: the line before ends with no
// punctuation and the next starts with a small letter ("Les candidatures
// sont à envoyer\navant le 8 décembre").
func softWrap(txt string, i int) bool {
	if i == 0 || i+1 >= len(txt) {
		return false
	}
	switch txt[i-1] {
	case '\n', '.', '!', '?', ';', ':', ',', ')', '|':
		return false
	}
	r, _ := utf8.DecodeRuneInString(txt[i+1:])
	return unicode.IsLower(r)
}

// abbreviations end with a full stop that ends no sentence: "sous la réf.
// 4JPG25012, avant le 31/12/2025".
var abbreviations = map[string]bool{
	"ref": true, "réf": true, "cf": true, "env": true, "tel": true, "tél": true, "mme": true, "m": true,
	"no": true, "art": true, "p": true, "etc": false, "ex": true, "av": true, "bd": true, "ste": true,
	"approx": true, "incl": true, "dept": true, "dépt": true,
}

// abbreviation reports whether the full stop at txt[i] ends an
// abbreviation.
func abbreviation(txt string, i int) bool {
	if txt[i] != '.' {
		return false
	}
	j := i
	for j > 0 && i-j < 8 && (txt[j-1] >= 'a' && txt[j-1] <= 'z' || txt[j-1] >= 'A' && txt[j-1] <= 'Z' || txt[j-1] >= 0x80) {
		j--
	}
	if j == i || j > 0 && txt[j-1] != ' ' && txt[j-1] != '(' {
		return false
	}
	return abbreviations[strings.ToLower(txt[j:i])]
}

func isStop(b byte) bool { return b == '.' || b == '!' || b == '?' || b == ';' }

func startsRune(b byte) bool { return b&0xC0 != 0x80 }

// inTitle reports whether pos is on one of the text's first three
// non-blank lines, within its first 2000 bytes.
func inTitle(txt string, pos int) bool {
	if pos >= 2000 {
		return false
	}
	lines := 0
	blank := true
	for i := 0; i < pos; i++ {
		switch txt[i] {
		case '\n':
			blank = true
		case ' ', '\t', '\r':
		default:
			if blank {
				if lines++; lines > 3 {
					return false
				}
				blank = false
			}
		}
	}
	return true
}

// matchAt reports whether words match ts at i. The word "dès" must be
// written with its accent: unaccented, it is the article "des".
func matchAt(ts text.Tokens, i int, words []string) bool {
	if i+len(words) > ts.Len() {
		return false
	}
	for k, w := range words {
		if s := ts.S(i + k); s != w && !(w == "dès" && s == "des" && ts.At(i+k).Accent()) {
			return false
		}
	}
	return true
}

// matchRest reports whether words match ts at i, the first one aside:
// the caller found them by it.
func matchRest(ts text.Tokens, i int, words []string) bool {
	if i+len(words) > ts.Len() {
		return false
	}
	for k := 1; k < len(words); k++ {
		if w, s := words[k], ts.S(i+k); s != w && !(w == "dès" && s == "des" && ts.At(i+k).Accent()) {
			return false
		}
	}
	return true
}

// phrases tokenises each of ss as the text is. The tables are built at
// start from hundreds of phrases: one tokenizer reads them all in the
// same memory, and their words share one array, so that a phrase costs
// no allocation of its own.
func phrases(ss ...string) [][]string {
	var tz text.Tokenizer
	out := make([][]string, len(ss))
	var words []string
	for i, s := range ss {
		ts := tz.Tokenize(s)
		if len(words)+ts.Len() > cap(words) {
			// A phrase has a few words: room for the rest at as many.
			words = make([]string, 0, max(ts.Len(), 3*(len(ss)-i)))
		}
		start := len(words)
		for k := range ts.Len() {
			words = append(words, ts.S(k))
		}
		out[i] = words[start:len(words):len(words)]
	}
	return out
}
