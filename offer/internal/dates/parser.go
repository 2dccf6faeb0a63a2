package dates

import (
	"slices"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file holds the date grammar: a hand-written recursive descent over
// the tokens of one line. Every rule looks ahead a bounded number of tokens,
// so a line is read in linear time.

// point is a calendar date as written, before a missing year is inferred.
// Its fields are as narrow as what they hold, so that the points and
// expressions the rules pass around and the memo keeps are a few words, not
// a dozen.
type point struct {
	y  int16 // 0 when not written; four digits at most
	m  uint8 // 0 when not written; two digits at most
	d  uint8 // 0 when not written; two digits at most
	wd uint8 // weekday written, 1 (Monday) … 7 (Sunday), or 0
	// hh and mm are the time of day when clock.
	hh, mm uint8
	cg     uint8 // GrainHour or GrainMinute when clock
	zone   zone  // the time zone written after the time, if any
	y2     bool  // y was written with two digits
	last   bool  // the month's last day ("dernier jour d'octobre", "fin mars")
	rel    bool  // a deictic: the reference day plus shift
	// yearOnly marks a bare year ("en 2025").
	yearOnly bool
	clock    bool // a time of day was written
	// clockFirst marks a time written before its date ("à minuit le 15",
	// "midnight on 15 January").
	clockFirst bool
	// bad marks a date written as one that does not exist: a day its
	// month has not ("31 avril", "29 février 2027", "31/02/2026"), or a
	// day and month followed by a number too long to be a year ("31
	// octobre 99999999999999999999"). It is read, so that no part of it
	// ("avril", "février 2027") is taken for a date, and dropped.
	bad bool
	// shift is the days added once resolved ("demain", "le lendemain du
	// …"): each "lendemain" or "veille" read adds one, so it stays far
	// from int32's bounds.
	shift int32
}

func (pt point) hasDay() bool { return pt.d != 0 || pt.last || pt.rel }

// monthOnly reports a whole month ("mars", "septembre 2017").
func (pt point) monthOnly() bool { return pt.m != 0 && !pt.hasDay() }

// dayOnly reports a day of the month with no month ("le 2", "jeudi 15").
func (pt point) dayOnly() bool { return pt.m == 0 && pt.d != 0 && !pt.rel }

func (pt point) grain() Grain {
	switch {
	case pt.clock:
		return Grain(pt.cg)
	case pt.yearOnly:
		return GrainYear
	case pt.monthOnly():
		return GrainMonth
	}
	return GrainDay
}

// expr is one date expression: a point, a closed range a–b or an open range
// from a, over the tokens [i, j) of its line.
type expr struct {
	i, j int
	a, b point
	rng  bool
	open bool
}

// bad reports whether the expression holds a date that does not exist.
func (e expr) bad() bool { return e.a.bad || e.rng && e.b.bad }

// parser reads the tokens of one line.
type parser struct {
	toks text.Tokens
	// n is the number of toks.
	n int
	// t are toks as the rules read them (see tok).
	t []tok
	// memo keeps point's recent answers, as ranges and open ranges ask
	// again about the same tokens; rules look ahead less than its size.
	memo [32]pointMemo
	// base is the index of toks[0] among the text's tokens: memo keys are
	// indices in the text, so they never need clearing between lines.
	base int
	// limit, when above zero, is how many expressions scan reads at most.
	limit int
	// monthFirst reads numeric dates month first, as in the United States
	// ("12/15/2025"); see monthFirst.
	monthFirst bool
}

type pointMemo struct {
	i, j int // i is the token's index in the text plus one, 0 when empty
	ok   bool
	pt   point
}

// c returns the class of token i, none out of the line.
func (p *parser) c(i int) class {
	if uint(i) < uint(len(p.t)) {
		return p.t[i].class
	}
	return class{}
}

// may reports whether a phrase of table t may start at token i: the token
// is a word that starts one, or punctuation, which the tables do not mark.
func (p *parser) may(i int, t uint8) bool {
	switch p.kind(i) {
	case text.Word:
		return p.t[i].tables&t != 0
	case text.Punct:
		return true
	}
	return false
}

// upper reports whether token i is written with an upper-case first
// letter; false out of the line.
func (p *parser) upper(i int) bool {
	return uint(i) < uint(len(p.t)) && p.toks.At(i).Upper()
}

// caps reports whether token i is written all in capitals; false out of
// the line.
func (p *parser) caps(i int) bool {
	return uint(i) < uint(len(p.t)) && p.toks.At(i).Caps()
}

// space reports whether white space (or the start of the line) comes
// before token i, which is in the line.
func (p *parser) space(i int) bool { return p.at(i).space() }

// kind returns the kind of token i, 0 out of the line.
func (p *parser) kind(i int) text.Kind {
	if uint(i) < uint(len(p.t)) {
		return p.t[i].kind()
	}
	return 0
}

// s returns the folded form of token i, "" out of the line.
func (p *parser) s(i int) string {
	if uint(i) < uint(len(p.t)) {
		return p.str(i)
	}
	return ""
}

// at returns token i, which is in the line, with the fields that
// tokensInto leaves to be read when the token is first asked about.
func (p *parser) at(i int) *tok {
	t := &p.t[i]
	if t.shape&tRead == 0 {
		p.read(t, i)
	}
	return t
}

// read reads the fields of token i, t, that tokensInto leaves: whether
// space comes before it and, for a number or a sign, its v and digit
// count.
func (p *parser) read(t *tok, i int) {
	t.shape |= tRead
	if p.toks.Space(i) {
		t.shape |= tSpace
	}
	switch t.kind() {
	case text.Number:
		w := p.toks.S(i)
		if len(w) > 4 {
			t.shape |= 5 << tDigits
			return
		}
		v := 0
		for k := 0; k < len(w); k++ {
			v = v*10 + int(w[k]-'0')
		}
		t.shape |= uint8(len(w)) << tDigits
		t.v = uint16(v)
	case text.Punct:
		if w := p.toks.S(i); len(w) == 1 && w[0] < 0x80 {
			t.v = uint16(w[0])
		}
	}
}

// str returns the folded form of token i, which is in the line: a word
// of the lexicon and a sign of one ASCII byte are read from the tables,
// the others from toks.
func (p *parser) str(i int) string {
	switch t := p.at(i); {
	case t.read:
		return lexiconTable.words[t.v]
	case t.kind() == text.Punct && t.v != 0:
		return asciiStrings[t.v&0x7f]
	}
	return p.toks.S(i)
}

// w returns the folded word at i, or "" when there is none.
func (p *parser) w(i int) string {
	if p.kind(i) == text.Word {
		return p.str(i)
	}
	return ""
}

// isw reports whether token i is one of the folded words ws. Every word a
// rule names is one the lexicon marks read (TestRuleWords checks it), so a
// token that is no such word is answered from its class, without reading
// its form.
func (p *parser) isw(i int, ws ...string) bool {
	if uint(i) >= uint(len(p.t)) || !p.t[i].read {
		return false
	}
	return slices.Contains(ws, lexiconTable.words[p.t[i].v])
}

func (p *parser) punct(i int, s string) bool {
	if p.kind(i) != text.Punct {
		return false
	}
	if v := p.at(i).v; v != 0 {
		return len(s) == 1 && s[0] == byte(v)
	}
	return p.toks.S(i) == s
}

// adj reports whether token i touches the token before it.
func (p *parser) adj(i int) bool {
	return i > 0 && i < len(p.t) && !p.at(i).space()
}

// num returns the value and the digit count of the number at i. A number
// token is a run of ASCII digits, read here without strconv.
func (p *parser) num(i int) (v, digits int, ok bool) {
	if p.kind(i) != text.Number {
		return 0, 0, false
	}
	t := p.at(i)
	if t.digits() > 4 {
		return 0, 0, false
	}
	return int(t.v), t.digits(), true
}

// seq matches the folded words or punctuation ss from i.
func (p *parser) seq(i int, ss ...string) (int, bool) {
	for _, s := range ss {
		// A word no rule reads is in no phrase (see isw).
		if k := p.kind(i); k == text.Number || k == 0 || k == text.Word && !p.t[i].read || p.str(i) != s {
			return i, false
		}
		i++
	}
	return i, true
}

// longest matches the longest of phrases from i.
func (p *parser) longest(i int, phrases [][]string) (int, bool) {
	best, found := i, false
	for _, ph := range phrases {
		if j, ok := p.seq(i, ph...); ok && j > best {
			best, found = j, true
		}
	}
	return best, found
}

// skip steps over one of the words ws at i, if present.
func (p *parser) skip(i int, ws ...string) int {
	if p.isw(i, ws...) {
		return i + 1
	}
	return i
}

// skipOf steps over "de", "d'", "du" or "of" at i, if present.
func (p *parser) skipOf(i int) int {
	if j, ok := p.seq(i, "d", "'"); ok {
		return j
	}
	return p.skip(i, "de", "du", "of")
}

// sentenceStart reports whether token i starts a line, a sentence or a
// quoted or bracketed part.
func (p *parser) sentenceStart(i int) bool {
	if i == 0 {
		return true
	}
	if p.kind(i-1) != text.Punct {
		return false
	}
	prev := p.str(i - 1)
	return prev != "," && prev != "'" && prev != "-"
}

// canStart reports whether an expression may begin at token i: a number
// glued to a word or inside "4,35" or "16-25" may not.
func (p *parser) canStart(i int) bool {
	if i == 0 || p.space(i) {
		return true
	}
	if prev := p.t[i-1].kind(); prev == text.Word || prev == text.Number {
		return false
	}
	if p.t[i].kind() != text.Number {
		return true
	}
	switch p.str(i - 1) {
	case ",", ".", "/", ":", "-", "+", "'":
		return false
	}
	return true
}

// endOK reports whether an expression may end before token j: it must not
// stop in the middle of a number or a word.
func (p *parser) endOK(j int) bool {
	if j >= p.n || !p.adj(j) {
		return true
	}
	if last := p.t[j-1].kind(); last != text.Number && last != text.Word {
		return true
	}
	switch p.t[j].kind() {
	case text.Number:
		return false
	case text.Word:
		return p.t[j].flags&cBoundary != 0
	}
	switch p.str(j) {
	case "/", "-", ".", ":", ",":
		return !(p.kind(j+1) == text.Number && p.adj(j+1))
	}
	return true
}

// boundary reports whether a bare number read as a day may be followed by
// token j.
func (p *parser) boundary(j int) bool {
	if j >= p.n {
		return true
	}
	switch p.t[j].kind() {
	case text.Number:
		return false
	case text.Word:
		return p.t[j].flags&cBoundary != 0
	}
	switch p.str(j) {
	case "/", "%", "€", "$", "£", "+", "°", "*", "x":
		return false
	case ".", ",", ":", "-":
		return !(p.kind(j+1) == text.Number && p.adj(j+1) && p.adj(j))
	}
	return true
}

// anchorReach bounds how many tokens an expression reads before its first
// anchor: "la deuxième quinzaine d'avril" reads five.
const anchorReach = 8

// isAnchor reports whether token i can carry a date by itself: a number,
// a month, a weekday, a number word, a deictic or a holiday. Every
// expression holds one within anchorReach tokens of its start, so scan
// skips the stretches of prose that hold none.
func (p *parser) isAnchor(i int) bool {
	// tokensInto marks the numbers too.
	return p.t[i].flags&cAnchor != 0
}

// unread reports whether token i is a word no rule reads (see
// class.read): no expression holds it before its anchor.
func (p *parser) unread(i int) bool {
	return p.t[i].kind() == text.Word && !p.t[i].read
}

// closed reports whether no expression holds token j: it is out of the
// line or a word no rule reads.
func (p *parser) closed(j int) bool {
	return j >= p.n || p.unread(j)
}

// scan appends to out the expressions of the line, left to right, never
// overlapping.
func (p *parser) scan(out []expr) []expr {
	start := len(out)
	next := -1   // the first anchor at or after i
	unread := -1 // the last word no rule reads before next, or -1
	for i := 0; i < p.n && (p.limit <= 0 || len(out)-start < p.limit); {
		if next < i {
			next, unread = i, -1
			for next < p.n && !p.isAnchor(next) {
				next++
			}
			// Only the words no rule reads within anchorReach of the
			// anchor matter, as i is moved up to that reach first: they
			// are looked for backwards from it, not tracked all the way.
			for k := next - 1; k >= i && k >= next-anchorReach; k-- {
				if p.unread(k) {
					unread = k
					break
				}
			}
		}
		if next == p.n {
			break
		}
		if next-i > anchorReach {
			i = next - anchorReach
			continue
		}
		if unread >= i {
			// An expression that starts before that word would hold it
			// before its anchor.
			i = unread + 1
			continue
		}
		if e, ok := p.expr(i); ok {
			if !e.bad() {
				out = append(out, e)
			}
			i = e.j
			continue
		}
		i++
	}
	return out
}

// expr returns the longest expression starting at token i.
func (p *parser) expr(i int) (expr, bool) {
	switch k := p.t[i].kind(); {
	case k == text.Punct, k == text.Word && p.t[i].flags&cStarter == 0, !p.canStart(i):
		return expr{}, false
	case p.closed(i+1) && (k == text.Number || p.t[i].flags&(cFullMonth|cDeictic|cHoliday) == 0):
		// An expression holds no word that no rule reads, so one that
		// does not stop after its first token stops before this one:
		// only a month, a deictic or a holiday may stand alone. Most
		// numbers of a text ("20 ans", "3 postes") end here without
		// trying every rule.
		return expr{}, false
	}
	var best expr
	found := false
	try := func(e expr, ok bool) {
		if ok && e.j > e.i && p.endOK(e.j) && (!found || e.j > best.j) {
			best, found = e, true
		}
	}
	// Only the rules that may begin at the token are tried (see
	// ruleStarts); at a number, vague needs a 1 or a 2 ("1re
	// quinzaine"). A starter word is a word of the lexicon, so its v is
	// its slot.
	st := sPoint | sRange | sTime
	if p.t[i].kind() == text.Word {
		st = lexiconTable.starts[p.t[i].v]
	} else if v, d, _ := p.num(i); d == 1 && (v == 1 || v == 2) {
		st |= sVague
	}
	if st&sPoint != 0 {
		try(p.single(i))
	}
	if st&sVague != 0 {
		try(p.vague(i))
	}
	if st&(sPoint|sRange) != 0 {
		try(p.ranged(i))
	}
	try(p.opened(i))
	if st&sTime != 0 {
		try(p.timeFirst(i))
	}
	return best, found
}

// single reads a point, with the time of day that follows it.
func (p *parser) single(i int) (expr, bool) {
	pt, j, ok := p.point(i)
	if !ok {
		return expr{}, false
	}
	e := expr{i: i, j: j, a: pt}
	if pt.hasDay() && !pt.bad {
		e.j = p.timeAfter(&e, j)
	}
	return e, true
}

// point returns the longest point starting at token i.
func (p *parser) point(i int) (point, int, bool) {
	if i < 0 || i >= p.n {
		return point{}, i, false
	}
	m := &p.memo[i%len(p.memo)]
	if m.i == p.base+i+1 {
		return m.pt, m.j, m.ok
	}
	pt, j, ok := p.readPoint(i)
	*m = pointMemo{i: p.base + i + 1, j: j, ok: ok, pt: pt}
	return pt, j, ok
}

// readPoint reads the longest point starting at token i.
func (p *parser) readPoint(i int) (point, int, bool) {
	var best point
	bj := -1
	try := func(pt point, j int, ok bool) {
		if ok && j > bj {
			best, bj = pt, j
		}
	}
	// Only dayMonth, numeric and ordinalDay may begin with a number; the
	// other rules are not tried at one (nor at punctuation). The order
	// stays, as it settles ties.
	word := p.kind(i) == text.Word
	try(p.dayMonth(i))
	if word {
		try(p.monthDay(i))
	}
	try(p.numeric(i))
	try(p.ordinalDay(i))
	if word {
		try(p.monthPoint(i, true))
		try(p.deictic(i))
		try(p.holiday(i))
		try(p.relative(i))
		try(p.weekdayDay(i))
		try(p.bareDay(i))
		try(p.bareYear(i))
	}
	return best, bj, bj >= 0
}

// optWeekday steps over a weekday name and its comma.
func (p *parser) optWeekday(i int) (wd, j int) {
	wd = p.c(i).weekday()
	if wd == 0 {
		return 0, i
	}
	j = i + 1
	if p.punct(j, ".") && p.adj(j) {
		j++
	}
	if p.punct(j, ",") {
		j++
	}
	return wd, j
}

// day reads a day of the month: digits with an optional ordinal suffix, or,
// when words is set, "premier" and French number words.
func (p *parser) day(i int, words bool) (d, j int, word, ok bool) {
	if v, digits, ok := p.num(i); ok {
		if digits > 2 || v < 1 || v > 31 {
			return 0, i, false, false
		}
		j = i + 1
		// "1er", and "1 er" as some forms print it apart.
		if p.adj(j) && p.isw(j, ordinalSuffixes...) || v == 1 && p.isw(j, "er", "ere", "re") {
			j++
		}
		return v, j, false, true
	}
	if !words {
		return 0, i, false, false
	}
	if p.isw(i, "premier", "first") {
		return 1, i + 1, true, true
	}
	if v, j, ok := p.numberWord(i); ok && v <= 31 {
		return v, j, true, true
	}
	return 0, i, false, false
}

// numberWord reads a French number from 1 to 59 written in words.
func (p *parser) numberWord(i int) (n, j int, ok bool) {
	c := p.c(i)
	if v := c.teen(); v != 0 {
		if v == 10 {
			k := i + 1
			if p.punct(k, "-") {
				k++
			}
			if u := p.c(k).unit(); u >= 7 {
				return 10 + u, k + 1, true
			}
		}
		return v, i + 1, true
	}
	if v := c.unit(); v != 0 {
		return v, i + 1, true
	}
	if v := c.tens(); v != 0 {
		k := i + 1
		if p.punct(k, "-") {
			k++
		}
		if p.isw(k, "et") {
			k++
			if p.punct(k, "-") {
				k++
			}
			if p.isw(k, "un", "une") {
				return v + 1, k + 1, true
			}
			return v, i + 1, true
		}
		if u := p.c(k).unit(); u >= 2 {
			return v + u, k + 1, true
		}
		return v, i + 1, true
	}
	return 0, i, false
}

// month reads a month name or abbreviation (with its period).
func (p *parser) month(i int) (m, j int, full, ok bool) {
	c := p.c(i)
	m = c.month()
	if m == 0 {
		return 0, i, false, false
	}
	j = i + 1
	full = c.flags&cFullMonth != 0
	if !full && p.punct(j, ".") && p.adj(j) {
		j++
	}
	return m, j, full, true
}

// yearAfter reads the year that may follow a day and month: four digits,
// after an optional comma, or two digits standing alone ("31 octobre 74").
func (p *parser) yearAfter(i int) (y int, y2 bool, j int, ok bool) {
	j = i
	comma := p.punct(j, ",")
	if comma {
		j++
	}
	v, digits, ok := p.num(j)
	switch {
	case !ok:
	case digits == 4 && v >= 1800 && v < 2200:
		return v, false, j + 1, true
	case digits == 2 && !comma && p.boundary(j+1):
		return v, true, j + 1, true
	}
	return 0, false, i, false
}

// impossible reports whether day d (1 to 31) of month m (1 to 12) does not
// exist, in year y when known.
func impossible(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= 31 && !validDay(y, m, d)
}

// overlongAt returns where a number too long to be a year ends when one
// follows at i (after a comma), else 0.
func (p *parser) overlongAt(i int) int {
	if p.punct(i, ",") {
		i++
	}
	if p.kind(i) == text.Number && p.space(i) && len(p.s(i)) > 4 {
		return i + 1
	}
	return 0
}

// validDay reports whether day d exists in month m (of year y when known).
func validDay(y, m, d int) bool {
	if d < 1 || m < 1 || m > 12 {
		return false
	}
	if y == 0 {
		y = 2000 // a leap year: "29 février" exists in some year
	}
	return d <= daysIn(y, m)
}
