package facts

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/echeance/echeance/offer/internal/text"
)

// Place is a site where the work happens.
type Place struct {
	Text       string `json:"text"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
}

// line is one non-blank line of the text. plain is the line without
// Markdown markup; label and value are set when the line reads
// "Label : value", with label folded by foldLabel.
type factLine struct {
	raw, plain   string
	at           int    // where raw starts in the text
	clean        bool   // only spaces, quote and heading marks and a bullet were dropped from raw's ends (readPlainLine)
	low          string // plain in lowercase, for cheap keyword tests
	label, value string
	grams        grams // the pairs and triples of bytes of low
	digits       bool  // plain holds a digit
	// fold is plain folded by foldLabel, once asked for (folded).
	fold     string
	foldDone bool
}

// folded returns the line's text folded by foldLabel.
func (l *factLine) folded() string {
	if !l.foldDone {
		l.fold, l.foldDone = foldLabel(l.plain), true
	}
	return l.fold
}

// has reports whether the line's lowercase text contains any of words.
func (l *factLine) has(words ...string) bool {
	for _, w := range words {
		if l.grams.may(w) && strings.Contains(l.low, w) {
			return true
		}
	}
	return false
}

// grams is a set of the triples of bytes of a string, hashed: a word one
// of whose triples is not in it is not in the string, so most keyword tests
// of a line need no search. The set has four bits or more for each byte
// of the string, 512 at least, so that it tells something of a long
// paragraph too.
type grams struct {
	bits  []uint64
	shift uint8 // a triple's hash, 32 bits, is shifted right by shift
}

// gramWords returns the size in words of the grams of a string of n bytes.
func gramWords(n int) int {
	w := 8
	for w*64 < 4*n {
		w *= 2
	}
	return w
}

// gramsOf returns the grams of s, kept in buf, zeroed, of the size
// gramWords(len(s)) gives.
func gramsOf(s string, buf []uint64) grams {
	g := grams{bits: buf, shift: uint8(32 - 6 - bits.TrailingZeros(uint(len(buf))))}
	if len(s) < 3 {
		return g
	}
	// The triple is rolled along the string, one byte in and one out, as
	// tripleHash packs it: each byte is read once.
	x := uint32(s[0])<<8 | uint32(s[1])<<16
	shift := g.shift & 31
	for i := 2; i < len(s); i++ {
		x = x>>8 | uint32(s[i])<<16
		h := x * 0x9e3779b1 >> shift
		g.bits[h>>6] |= 1 << (h & 63)
	}
	return g
}

// may reports whether w may be in the string: false means it is not.
func (g *grams) may(w string) bool {
	for i := 0; i+2 < len(w); i++ {
		if !g.holds(tripleHash(w[i], w[i+1], w[i+2])) {
			return false
		}
	}
	return true
}

// holds reports whether the triple whose hash (tripleHash) is h may be in
// the string.
func (g *grams) holds(h uint32) bool {
	h >>= g.shift & 31
	return g.bits[h>>6]&(1<<(h&63)) != 0
}

func tripleHash(a, b, c byte) uint32 {
	return (uint32(a) | uint32(b)<<8 | uint32(c)<<16) * 0x9e3779b1
}

// gramGate tells the lines that may hold one of a list of phrases from
// their grams, the hashes of the phrases' triples computed once: a
// phrase is a first part and one of its seconds ("la " and "société"),
// and a line may hold it when it may hold both. The first is tested once
// for all its seconds.
type gramGate []struct {
	first   []uint32
	seconds [][]uint32
}

// triples returns the hashes of the triples of bytes of w.
func triples(w string) []uint32 {
	var hs []uint32
	for i := 0; i+2 < len(w); i++ {
		hs = append(hs, tripleHash(w[i], w[i+1], w[i+2]))
	}
	return hs
}

// add adds the phrases of first and each of seconds to g.
func (g gramGate) add(first string, seconds ...string) gramGate {
	ss := make([][]uint32, len(seconds))
	for i, w := range seconds {
		ss[i] = triples(w)
	}
	return append(g, struct {
		first   []uint32
		seconds [][]uint32
	}{triples(first), ss})
}

// mayPass reports whether the line may hold one of g's phrases: false
// means it holds none.
func (l *factLine) mayPass(g gramGate) bool {
	has := func(hs []uint32) bool {
		for _, h := range hs {
			if !l.grams.holds(h) {
				return false
			}
		}
		return true
	}
	for i := range g {
		if !has(g[i].first) {
			continue
		}
		for _, s := range g[i].seconds {
			if has(s) {
				return true
			}
		}
	}
	return false
}

// afterStop reports whether one of words starts a sentence inside the
// line's lowercase text, after ". ", "; ", "! " or "? ".
func (l *factLine) afterStop(words ...string) bool {
	stops := newByteFinder(l.low, ".;!?")
	for i := stops.from(0); i >= 0 && i+1 < len(l.low); i = stops.from(i + 1) {
		if l.low[i+1] == ' ' {
			for _, w := range words {
				if strings.HasPrefix(l.low[i+2:], w) {
					return true
				}
			}
		}
	}
	return false
}

// maxFactLines bounds the lines the facts are read from: an offer has a
// hundred or two; past this, the text is a table or a log.
const maxFactLines = 2000

// mdLink matches a Markdown link, whose text is kept.
var mdLink = lazyRegexp{src: `\[([^\]\n]*)\]\([^)\n]*\)`}

func factLines(txt string) []factLine {
	var r Reader
	return r.factLines(txt)
}

// factLines is the package's factLines, in r's memory.
func (r *Reader) factLines(txt string) []factLine {
	out := r.lines[:0]
	if n := min(strings.Count(txt, "\n")+1, maxFactLines); cap(out) < n {
		out = make([]factLine, 0, n)
	}
	// The text is lowered once, in r's memory; a line's lower case is
	// then a slice of it, unless markup inside the line was dropped or
	// lowering a character changed its length. (No Facts holds a slice of
	// a line's lower case: the fields are read from the text itself.)
	low, aligned := txt, true
	if b, al, same := appendLowerAligned(r.low[:0], txt); !same {
		r.low = b
		low, aligned = unsafe.String(unsafe.SliceData(b), len(b)), al
	}
	at := 0 // where raw starts in txt
	for raw := range strings.SplitSeq(txt, "\n") {
		start := at
		at += len(raw) + 1
		p, clean := readPlainLine(raw)
		if p == "" {
			continue
		}
		if len(out) == maxFactLines {
			break
		}
		l := factLine{raw: raw, plain: p, at: start, clean: clean}
		if k := strings.Index(raw, p); aligned && k >= 0 {
			l.low = low[start+k : start+k+len(p)]
		} else {
			l.low = lower(p)
		}
		l.digits = hasDigit(p)
		l.label, l.value = splitLabel(p)
		out = append(out, l)
	}
	// The lines' grams share one array, as large as they need.
	words := 0
	for i := range out {
		words += gramWords(len(out[i].low))
	}
	buf := r.grams[:0]
	if cap(buf) < words {
		buf = make([]uint64, words)
	} else {
		buf = buf[:words]
		clear(buf)
	}
	r.lines, r.grams = out, buf
	for i := range out {
		l := &out[i]
		w := gramWords(len(l.low))
		l.grams, buf = gramsOf(l.low, buf[:w:w]), buf[w:]
	}
	return out
}

// lowerAligned returns lower(s), and whether every character of s kept its
// length in bytes, so that offsets in s are offsets in it. The runs of
// characters lowering leaves as they are (most of a French text, accented
// small letters included) are copied at once.
func lowerAligned(s string) (string, bool) {
	b, aligned, same := appendLowerAligned(nil, s)
	if same {
		return s, aligned
	}
	// b is this call's own and is never written again.
	return unsafe.String(unsafe.SliceData(b), len(b)), aligned
}

// appendLowerAligned is lowerAligned in dst's memory: it appends lower(s)
// to dst and tells whether every character kept its length. When lowering
// leaves s as it is (same), dst is returned as it was.
//
// From the first byte lowering may change, s is lowered eight bytes at
// once: a French text has a capital or an accented letter every few
// words, where a scan from one to the next would stop, and guess wrong
// whether to, at each. A word of eight bytes is lowered as one when each
// of its bytes is ASCII or part of a character of two bytes from U+0080
// to U+00FF (a lead 0xC2 or 0xC3 and its follower), which is most of
// French: the capitals of ASCII and of Latin-1 (0xC3 then 0x80 to 0x9E,
// but ×) are 0x20 below their small letters. The other characters are
// lowered one at a time (lowerChar).
func appendLowerAligned(dst []byte, s string) (b []byte, aligned, same bool) {
	i := caseStop(s, 0)
	if i == len(s) {
		return dst, true, true
	}
	aligned = true
	b = dst
	if cap(b)-len(b) < len(s)+8 {
		b = make([]byte, len(dst), len(dst)+len(s)+8)
		copy(b, dst)
	}
	b = append(b, s[:i]...)
	for i+8 <= len(s) {
		x := load64(s, i)
		y, ok, last := lowerWord(x)
		if !ok {
			// A character lowerWord does not read: the word's
			// characters are lowered one by one.
			for end := i + 8; i < end; {
				b, i, aligned = lowerChar(b, s, i, aligned)
			}
			continue
		}
		// A lead in the last byte is read again with its follower,
		// from the next word: seven bytes are taken. (The eight are
		// written; the eighth is written again.)
		b = binary.LittleEndian.AppendUint64(b, y)
		n := 8 - int(last)
		b = b[:len(b)-8+n]
		i += n
	}
	for i < len(s) {
		b, i, aligned = lowerChar(b, s, i, aligned)
	}
	return b, aligned, false
}

// lowerWord lowers x, eight bytes of a text, the first lowest: ok when
// each byte is ASCII, a lead 0xC2 or 0xC3, or the follower (0x80 to 0xBF)
// of the lead before it, a lead in the last byte having its follower in
// the next word, which last (1) tells.
func lowerWord(x uint64) (y uint64, ok bool, last uint64) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hi := x & highs
	low := x &^ highs
	// Followers: the high bit set, the next one clear.
	follow := hi &^ (x << 1)
	c3 := bytesMask(x, 0xc3)
	lead := bytesMask(x, 0xc2) | c3
	// Every byte not ASCII is a lead or a follower, and the followers
	// are those right after a lead.
	ok = hi == lead|follow && follow == lead<<8
	upper := asciiCapitals(x)
	// Latin-1 capitals: a follower of 0xC3 below 0x9F, but 0x97 (×).
	latin := c3 << 8 &^ (low + (0x80-0x1f)*ones) &^ bytesMask(x, 0x97)
	return x | (upper|latin)>>2&(0x20*ones), ok, lead >> 63
}

// asciiCapitals returns the high bit of each byte of x that is an ASCII
// capital, and no other bit: the bytes are cleared of their high bit
// first, so that no sum carries into the next, and a byte of seven bits
// is one when adding 0x80-'A' sets its high bit and adding 0x80-'Z'-1
// does not.
func asciiCapitals(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	y := x &^ highs
	return (y + (0x80-'A')*ones) &^ (y + (0x80-'Z'-1)*ones) &^ x & highs
}

// lowerChar appends to b the character of s at i, lowered, and returns
// where the next one starts, and aligned, false from then on when the
// character changed its length.
func lowerChar(b []byte, s string, i int, aligned bool) ([]byte, int, bool) {
	c := s[i]
	if c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return append(b, c), i + 1, aligned
	}
	if c == 0xc3 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0xbf {
		// U+00C0 to U+00FF: the capitals but × are 0x20 below their
		// small letters.
		d := s[i+1]
		if d <= 0x9e && d != 0x97 {
			d += 0x20
		}
		return append(b, c, d), i + 2, aligned
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
		return utf8.AppendRune(b, lr), i + n, aligned
	}
	return append(b, s[i:i+n]...), i + n, aligned
}

// caseStop returns where the first byte from s[i] on that lowering may
// change stands, a capital letter or a byte that is not ASCII; len(s)
// when there is none. The bytes are tested eight at once, as one word:
// adding 0x80-'A' to a byte of seven bits sets its high bit when it is
// 'A' or above, and adding 0x80-'Z'-1 when it is above 'Z'. A byte that
// is not ASCII may carry into those above it, but the lowest byte found
// is right, as no byte below it carries.
func caseStop(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if m := (x | (x+(0x80-'A')*ones)&^(x+(0x80-'Z'-1)*ones)) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return i
		}
	}
	return len(s)
}

// lower is strings.ToLower, faster on French text: the letters of
// Latin-1 are lowered without a table search.
func lower(s string) string {
	ls, _ := lowerAligned(s)
	return ls
}

// plainLine drops a line's Markdown: heading marks, list bullets, quote
// marks, emphasis and links. Rules such as "---" give "".
func plainLine(s string) string {
	p, _ := readPlainLine(s)
	return p
}

// readPlainLine is plainLine, and tells whether the line was clean: only
// spaces, quote and heading marks and a bullet were dropped, at its start
// and end, none inside.
func readPlainLine(s string) (_ string, clean bool) {
	s = strings.TrimSpace(s)
	if onlyBytes(s, "-*_=# ") {
		return "", true
	}
	s = trimLeftBytes(s, "#> ")
	for _, bullet := range bullets {
		if strings.HasPrefix(s, bullet) {
			s = s[len(bullet):]
			break
		}
	}
	if markupFree(s) {
		// Most lines: nothing below changes them but the trimming.
		return strings.TrimSpace(s), true
	}
	if strings.Contains(s, "](") {
		s = mdLink.get().ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	if strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "")
	}
	s = strings.TrimSpace(trimBytes(s, "*_"))
	if strings.Contains(s, "  ") {
		// The text is normalised: spaces are its only white space.
		s = strings.Join(strings.Fields(s), " ")
	}
	return s, false
}

// markupFree reports whether s holds no "*", "_" or "]" and no two spaces
// in a row, so that plainLine has no markup to drop from it. Eight bytes
// are tested at once, with the eight that follow each: a byte of x^c, or
// of (x^' ')|(next^' '), is zero where c or two spaces stand, and
// (v-ones)&^v has the high bit of a byte set when v has a zero byte.
func markupFree(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) bool { return (v-ones)&^v&highs != 0 }
	i := 0
	for ; i+9 <= len(s); i += 8 {
		b := s[i : i+9]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		next := x>>8 | uint64(b[8])<<56
		if zero(x^('*'*ones)) || zero(x^('_'*ones)) || zero(x^(']'*ones)) || zero((x^(' '*ones))|(next^(' '*ones))) {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '_' || c == ']' || c == ' ' && i+1 < len(s) && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// bullets may open a line of a list.
var bullets = []string{"- ", "• ", "* ", "+ ", "– ", "— ", "· ", "▪ ", "► ", "o "}

// onlyBytes reports whether s is made of the ASCII bytes of set only.
func onlyBytes(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// trimLeftBytes and trimBytes are strings.TrimLeft and strings.Trim for a
// set of ASCII bytes.
func trimLeftBytes(s, set string) string {
	i := 0
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return s[i:]
}

func trimBytes(s, set string) string {
	s = trimLeftBytes(s, set)
	j := len(s)
	for j > 0 && strings.IndexByte(set, s[j-1]) >= 0 {
		j--
	}
	return s[:j]
}

// splitLabel cuts "Label : value" at the first colon when what precedes it
// is short enough to be a label.
func splitLabel(p string) (label, value string) {
	// A colon past the 60th byte makes no label: the rest of a long
	// paragraph is not searched.
	i := strings.IndexByte(p[:min(len(p), 61)], ':')
	if i <= 0 || i > 60 {
		return "", ""
	}
	head := p[:i]
	// "https://", "10:30" are not labels.
	if i+1 < len(p) && p[i+1] == '/' || i+1 < len(p) && isDigitByte(p[i+1]) && isDigitByte(p[i-1]) {
		return "", ""
	}
	if fields(head) > 7 {
		return "", ""
	}
	return foldLabel(head), strings.TrimSpace(p[i+1:])
}

// foldLabel lowercases a label, drops accents, plural marks such as "(x)"
// and markup, so that labels compare simply.
func foldLabel(s string) string { return foldUpTo(s, false) }

// firstFoldedWord is firstWord(foldLabel(s)), without folding the rest of s.
func firstFoldedWord(s string) string { return foldUpTo(s, true) }

// foldUpTo is foldLabel of s, or only its first word when firstOnly.
func foldUpTo(s string, firstOnly bool) string {
	if isFolded(s) {
		if firstOnly {
			return firstWord(s)
		}
		return s
	}
	// The fold is written on the stack when it fits, and copied once
	// into the string returned.
	var buf [256]byte
	b, _ := appendFoldLabel(buf[:0], s, firstOnly, math.MaxInt)
	return string(b)
}

// appendFoldLabel appends foldLabel(s) to dst, or with firstOnly only its
// first word, and returns the extended slice: a word or a part folded into
// memory on the stack is looked up in a set (set[string(b)]) without
// allocating. It stops once more than limit bytes are written and reports
// then that it did not finish: a longer word is in none of the sets it is
// read for.
func appendFoldLabel(dst []byte, s string, firstOnly bool, limit int) ([]byte, bool) {
	start := len(dst)
	depth := 0
	space := false // a space is due before the next kept character
	for i := 0; i < len(s); {
		// A run of small letters, digits and apostrophes outside brackets,
		// most of a label, is written as it is, at once.
		if j := keptRun(s, i); j > i && depth == 0 {
			if space && len(dst) > start {
				if firstOnly {
					return dst, true
				}
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, s[i:j]...)
			if len(dst)-start > limit {
				return dst, false
			}
			i = j
			continue
		}
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		i += n
		f, g, k := r, rune(0), 1
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				f = r + 'a' - 'A'
			}
		} else {
			f, g, k = text.FoldRune(r)
		}
		for ; k > 0; k-- {
			switch {
			case f == '(':
				depth++
			case f == ')':
				depth = max(depth-1, 0)
			case depth > 0:
			case f < utf8.RuneSelf && (f >= 'a' && f <= 'z' || f >= '0' && f <= '9' || f == '\'') ||
				f >= utf8.RuneSelf && (unicode.IsLetter(f) || unicode.IsDigit(f)):
				if space && len(dst) > start {
					if firstOnly {
						return dst, true
					}
					dst = append(dst, ' ')
				}
				space = false
				if f < utf8.RuneSelf {
					dst = append(dst, byte(f))
				} else {
					dst = utf8.AppendRune(dst, f)
				}
				if len(dst)-start > limit {
					return dst, false
				}
			default:
				space = true
			}
			f = g
		}
	}
	return dst, true
}

// keptRun returns where the run of ASCII small letters, digits and
// apostrophes from s[i] ends, which appendFoldLabel keeps as they are.
func keptRun(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\'' {
			i++
			continue
		}
		break
	}
	return i
}

// isFolded reports whether s is already as foldLabel gives it: words of
// lower-case ASCII letters, digits and apostrophes, one space apart.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\'':
		case c == ' ' && i > 0 && i+1 < len(s) && s[i+1] != ' ':
		default:
			return false
		}
	}
	return true
}

// hasLabel reports whether a folded label is one of names, or starts with
// one of them followed by a space.
func hasLabel(label string, names ...string) bool {
	for _, n := range names {
		// Most names differ from the label in their first letter, which
		// spares comparing the rest.
		if len(label) < len(n) || n != "" && label[0] != n[0] {
			continue
		}
		if len(label) == len(n) && label == n || len(label) > len(n) && label[len(n)] == ' ' && label[:len(n)] == n {
			return true
		}
	}
	return false
}

// labelValue returns the value of the first line whose label is accepted by
// match, taking the next line when the label stands alone, and the index of
// the line the value came from.
func labelValue(lines []factLine, match func(label string) bool, accept func(v string) bool) (string, int) {
	for i := range lines {
		l := &lines[i]
		if l.label == "" || !match(l.label) {
			continue
		}
		v := l.value
		at := i
		if v == "" && i+1 < len(lines) && lines[i+1].label == "" {
			v, at = lines[i+1].plain, i+1
		}
		if v != "" && (accept == nil || accept(v)) {
			return v, at
		}
	}
	return "", -1
}

// --- Title and organisation -------------------------------------------------

// --- Places -----------------------------------------------------------------

// --- Duration, hours and stipend -------------------------------------------

// --- Contacts ---------------------------------------------------------------

// --- Degree and language ----------------------------------------------------

// lowerIs reports whether lower(s) is w, without writing it.
func lowerIs(s, w string) bool {
	j := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if j >= len(w) || w[j] != c {
				return false
			}
			i++
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r >= 0xc0 && r <= 0xde && r != 0xd7:
			r += 0x20
		case r >= 0x100:
			// U+FFFD, which lower writes for a byte that is not UTF-8, too.
			r = unicode.ToLower(r)
		}
		if j >= len(w) {
			return false
		}
		wr, m := utf8.DecodeRuneInString(w[j:])
		if wr != r || wr == utf8.RuneError && m == 1 {
			return false
		}
		j += m
	}
	return j == len(w)
}
