package offer

import (
	"slices"
	"strconv"
)

// This file holds the date grammar: a hand-written recursive descent over
// the tokens of one line. Every rule looks ahead a bounded number of tokens,
// so a line is read in linear time.

// point is a calendar date as written, before a missing year is inferred.
type point struct {
	y, m, d  int  // 0 when not written
	y2       bool // y was written with two digits
	wd       int  // weekday written, 1 (Monday) … 7 (Sunday), or 0
	last     bool // the month's last day ("dernier jour d'octobre", "fin mars")
	rel      bool // a deictic: the reference day plus shift
	yearOnly bool // a bare year ("en 2025")
	shift    int  // days added once resolved ("demain", "le lendemain du …")
	clock    bool // a time of day was written
	hh, mm   int
	cg       Grain // GrainHour or GrainMinute when clock
	zone     zone  // the time zone written after the time, if any
	// clockFirst marks a time written before its date ("à minuit le 15",
	// "midnight on 15 January").
	clockFirst bool
}

func (pt point) hasDay() bool { return pt.d != 0 || pt.last || pt.rel }

// monthOnly reports a whole month ("mars", "septembre 2017").
func (pt point) monthOnly() bool { return pt.m != 0 && !pt.hasDay() }

// dayOnly reports a day of the month with no month ("le 2", "jeudi 15").
func (pt point) dayOnly() bool { return pt.m == 0 && pt.d != 0 && !pt.rel }

func (pt point) grain() Grain {
	switch {
	case pt.clock:
		return pt.cg
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

// parser reads the tokens of one line.
type parser struct {
	toks []token
	// memo keeps point's recent answers, as ranges and open ranges ask
	// again about the same tokens; rules look ahead less than its size.
	memo [32]pointMemo
	// monthFirst reads numeric dates month first, as in the United States
	// ("12/15/2025"); see monthFirst.
	monthFirst bool
}

type pointMemo struct {
	i, j int // i is the token index plus one, 0 when empty
	ok   bool
	pt   point
}

var noToken token

func (p *parser) tok(i int) *token {
	if i >= 0 && i < len(p.toks) {
		return &p.toks[i]
	}
	return &noToken
}

// w returns the folded word at i, or "" when there is none.
func (p *parser) w(i int) string {
	if t := p.tok(i); t.kind == tWord {
		return t.s
	}
	return ""
}

func (p *parser) isw(i int, ws ...string) bool {
	w := p.w(i)
	return w != "" && slices.Contains(ws, w)
}

func (p *parser) punct(i int, s string) bool {
	t := p.tok(i)
	return t.kind == tPunct && t.s == s
}

// adj reports whether token i touches the token before it.
func (p *parser) adj(i int) bool {
	return i > 0 && i < len(p.toks) && !p.toks[i].space
}

// num returns the value and the digit count of the number at i.
func (p *parser) num(i int) (v, digits int, ok bool) {
	t := p.tok(i)
	if t.kind != tNum || len(t.s) > 4 {
		return 0, 0, false
	}
	v, err := strconv.Atoi(t.s)
	if err != nil {
		return 0, 0, false
	}
	return v, len(t.s), true
}

// seq matches the folded words or punctuation ss from i.
func (p *parser) seq(i int, ss ...string) (int, bool) {
	for _, s := range ss {
		t := p.tok(i)
		if t.kind == tNum || t.kind == 0 || t.s != s {
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
	prev := p.toks[i-1]
	return prev.kind == tPunct && prev.s != "," && prev.s != "'" && prev.s != "-"
}

// canStart reports whether an expression may begin at token i: a number
// glued to a word or inside "4,35" or "16-25" may not.
func (p *parser) canStart(i int) bool {
	t := p.toks[i]
	if i == 0 || t.space {
		return true
	}
	prev := p.toks[i-1]
	if prev.kind == tWord || prev.kind == tNum {
		return false
	}
	if t.kind != tNum {
		return true
	}
	switch prev.s {
	case ",", ".", "/", ":", "-", "+", "'":
		return false
	}
	return true
}

// endOK reports whether an expression may end before token j: it must not
// stop in the middle of a number or a word.
func (p *parser) endOK(j int) bool {
	if j >= len(p.toks) || !p.adj(j) {
		return true
	}
	last, t := p.toks[j-1], p.toks[j]
	if last.kind != tNum && last.kind != tWord {
		return true
	}
	switch t.kind {
	case tNum:
		return false
	case tWord:
		return boundaryWords[t.s]
	}
	switch t.s {
	case "/", "-", ".", ":", ",":
		return !(p.tok(j+1).kind == tNum && p.adj(j+1))
	}
	return true
}

// boundary reports whether a bare number read as a day may be followed by
// token j.
func (p *parser) boundary(j int) bool {
	if j >= len(p.toks) {
		return true
	}
	t := p.toks[j]
	switch t.kind {
	case tNum:
		return false
	case tWord:
		return boundaryWords[t.s]
	}
	switch t.s {
	case "/", "%", "€", "$", "£", "+", "°", "*", "x":
		return false
	case ".", ",", ":", "-":
		return !(p.tok(j+1).kind == tNum && p.adj(j+1) && p.adj(j))
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
	t := &p.toks[i]
	switch t.kind {
	case tNum:
		return true
	case tWord:
		return anchorWords[t.s]
	}
	return false
}

// scan returns the expressions of the line, left to right, never overlapping.
func (p *parser) scan() []expr {
	var out []expr
	next := -1 // the first anchor at or after i
	for i := 0; i < len(p.toks); {
		if next < i {
			next = i
			for next < len(p.toks) && !p.isAnchor(next) {
				next++
			}
		}
		if next == len(p.toks) {
			break
		}
		if next-i > anchorReach {
			i = next - anchorReach
			continue
		}
		if e, ok := p.expr(i); ok {
			out = append(out, e)
			i = e.j
			continue
		}
		i++
	}
	return out
}

// expr returns the longest expression starting at token i.
func (p *parser) expr(i int) (expr, bool) {
	switch t := &p.toks[i]; {
	case t.kind == tPunct, t.kind == tWord && !starterWords[t.s], !p.canStart(i):
		return expr{}, false
	}
	var best expr
	found := false
	try := func(e expr, ok bool) {
		if ok && e.j > e.i && p.endOK(e.j) && (!found || e.j > best.j) {
			best, found = e, true
		}
	}
	try(p.single(i))
	try(p.vague(i))
	try(p.ranged(i))
	try(p.opened(i))
	try(p.timeFirst(i))
	return best, found
}

// single reads a point, with the time of day that follows it.
func (p *parser) single(i int) (expr, bool) {
	pt, j, ok := p.point(i)
	if !ok {
		return expr{}, false
	}
	e := expr{i: i, j: j, a: pt}
	if pt.hasDay() {
		e.j = p.timeAfter(&e, j)
	}
	return e, true
}

// point returns the longest point starting at token i.
func (p *parser) point(i int) (point, int, bool) {
	if i < 0 || i >= len(p.toks) {
		return point{}, i, false
	}
	m := &p.memo[i%len(p.memo)]
	if m.i == i+1 {
		return m.pt, m.j, m.ok
	}
	pt, j, ok := p.readPoint(i)
	*m = pointMemo{i: i + 1, j: j, ok: ok, pt: pt}
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
	try(p.dayMonth(i))
	try(p.monthDay(i))
	try(p.numeric(i))
	try(p.ordinalDay(i))
	try(p.monthPoint(i, true))
	try(p.deictic(i))
	try(p.holiday(i))
	try(p.relative(i))
	try(p.weekdayDay(i))
	try(p.bareDay(i))
	try(p.bareYear(i))
	return best, bj, bj >= 0
}

// optWeekday steps over a weekday name and its comma.
func (p *parser) optWeekday(i int) (wd, j int) {
	wd = weekdayWords[p.w(i)]
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
	w := p.w(i)
	if v, ok := teenWords[w]; ok {
		if v == 10 {
			k := i + 1
			if p.punct(k, "-") {
				k++
			}
			if u := unitWords[p.w(k)]; u >= 7 {
				return 10 + u, k + 1, true
			}
		}
		return v, i + 1, true
	}
	if v, ok := unitWords[w]; ok {
		return v, i + 1, true
	}
	if v, ok := tensWords[w]; ok {
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
		if u := unitWords[p.w(k)]; u >= 2 {
			return v + u, k + 1, true
		}
		return v, i + 1, true
	}
	return 0, i, false
}

// month reads a month name or abbreviation (with its period).
func (p *parser) month(i int) (m, j int, full, ok bool) {
	w := p.w(i)
	m = monthWords[w]
	if m == 0 {
		return 0, i, false, false
	}
	j = i + 1
	full = fullMonths[w]
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

// dayMonth reads [weekday] [le] day [of] month [year]: "jeudi 1er février
// 2018", "31 Oct 2025", "premier mars".
func (p *parser) dayMonth(i int) (point, int, bool) {
	var pt point
	wd, j := p.optWeekday(i)
	pt.wd = wd
	j = p.skip(j, "le", "the")
	d, k, word, ok := p.day(j, true)
	if !ok {
		return pt, i, false
	}
	k = p.skip(k, "of")
	// "12-Jan-2026", as some recruitment portals print dates.
	dashed := !word && p.punct(k, "-") && p.adj(k) && p.adj(k+1)
	if dashed {
		k++
	}
	m, k, full, ok := p.month(k)
	if !ok || (word && !full) {
		return pt, i, false
	}
	pt.d, pt.m = d, m
	if dashed && p.punct(k, "-") && p.adj(k) && p.adj(k+1) {
		if y, digits, ok := p.num(k + 1); ok && (digits == 4 || digits == 2) {
			pt.y, pt.y2, k = y, digits == 2, k+2
		}
	} else if y, y2, k2, ok := p.yearAfter(k); ok {
		pt.y, pt.y2, k = y, y2, k2
	}
	if !validDay(pt.fullYear(), m, d) {
		return pt, i, false
	}
	return pt, k, true
}

// monthDay reads [weekday] month day [year]: "October 31, 2025", "March
// 3rd", "décembre 5 2014".
func (p *parser) monthDay(i int) (point, int, bool) {
	var pt point
	wd, j := p.optWeekday(i)
	pt.wd = wd
	m, j, _, ok := p.month(j)
	if !ok {
		return pt, i, false
	}
	d, k, _, ok := p.day(j, false)
	if !ok {
		return pt, i, false
	}
	pt.d, pt.m = d, m
	if v, digits, ok := p.num(k + 1); ok && p.punct(k, ",") && digits == 4 && v >= 1800 && v < 2200 {
		pt.y, k = v, k+2
	} else if v, digits, ok := p.num(k); ok && digits == 4 && v >= 1800 && v < 2200 {
		pt.y, k = v, k+1
	} else if !p.boundary(k) {
		return pt, i, false
	}
	if !validDay(pt.y, m, d) {
		return pt, i, false
	}
	return pt, k, true
}

// numeric reads [weekday] [le] a date in digits: "15/03/2025", "15/03/25",
// "15.03.2025", "2025-03-15", "le 2/3", and "20 02 2014" or "17 02" when the
// numbers stand apart from other numbers (a phone number never reads as a
// date).
func (p *parser) numeric(i int) (point, int, bool) {
	var pt point
	wd, j := p.optWeekday(i)
	pt.wd = wd
	j = p.skip(j, "le")
	v1, n1, ok := p.num(j)
	if !ok {
		return pt, i, false
	}
	article := j > i && p.w(j-1) == "le"
	ordinal := v1 == 1 && p.isw(j+1, "er") && p.adj(j+1) && (p.punct(j+2, "/") || p.punct(j+2, "."))
	if ordinal {
		// "avant le 1er/12": the first of the month, its ordinal written.
		j++
	}
	sep := p.tok(j + 1)
	glued := sep.kind == tPunct && p.adj(j+1) && p.adj(j+2) && (sep.s == "/" || sep.s == "." || sep.s == "-")
	if glued && n1 == 4 {
		// Year first: 2025-03-15, 2025/03/15.
		m, nm, ok1 := p.num(j + 2)
		d, nd, ok2 := p.num(j + 4)
		if !ok1 || !ok2 || nm > 2 || nd > 2 || !p.punct(j+3, sep.s) || !p.adj(j+3) || !p.adj(j+4) {
			return pt, i, false
		}
		pt.y, pt.m, pt.d = v1, m, d
		return pt, j + 5, validDay(pt.y, m, d) && v1 >= 1800 && v1 < 2200
	}
	if n1 > 2 {
		return pt, i, false
	}
	if glued {
		m, nm, ok := p.num(j + 2)
		if !ok || nm > 2 {
			return pt, i, false
		}
		pt.d, pt.m = v1, m
		if p.monthFirst && sep.s != "." && !ordinal {
			pt.d, pt.m = m, v1
		}
		k := j + 3
		if p.punct(k, sep.s) && p.adj(k) && p.adj(k+1) {
			y, ny, ok := p.num(k + 1)
			if !ok || (ny != 2 && ny != 4) {
				return pt, i, false
			}
			pt.y, pt.y2 = y, ny == 2
			k += 2
		} else if !(sep.s == "/" || sep.s == "." && article) || !p.boundary(k) && !p.clockAt(k) {
			// A time may follow a date without its year: "avant le
			// 15/12 minuit". Dotted, a day and month need their article
			// ("avant le 10.12"), since "3.5" alone is a number.
			return pt, i, false
		}
		return pt, k, validDay(pt.fullYear(), pt.m, pt.d)
	}
	// Numbers apart: "20 02 2014", "17 2". The run of numbers must be two
	// or three long, each apart by one space on the same line.
	if prev := p.tok(j - 1); prev.kind == tNum {
		return pt, i, false
	}
	k := j + 1
	for k < len(p.toks) && p.toks[k].kind == tNum && p.toks[k].space && k-j < 4 {
		k++
	}
	run := k - j
	if run < 2 || run > 3 || !p.boundary(k) {
		return pt, i, false
	}
	m, nm, _ := p.num(j + 1)
	if nm > 2 {
		return pt, i, false
	}
	pt.d, pt.m = v1, m
	if run == 3 {
		y, ny, _ := p.num(j + 2)
		if ny != 2 && ny != 4 {
			return pt, i, false
		}
		pt.y, pt.y2 = y, ny == 2
	}
	return pt, k, validDay(pt.fullYear(), pt.m, pt.d)
}

// ordinalDay reads "3eme jour d'octobre", "le dernier jour d'octobre 2015".
func (p *parser) ordinalDay(i int) (point, int, bool) {
	var pt point
	j := p.skip(i, "le", "the")
	if p.isw(j, "dernier", "last") {
		pt.last = true
		j++
	} else {
		d, k, _, ok := p.day(j, true)
		if !ok {
			return pt, i, false
		}
		pt.d, j = d, k
	}
	if !p.isw(j, "jour", "day") {
		return pt, i, false
	}
	j = p.skipOf(j + 1)
	if p.isw(j, "mois") {
		j = p.skipOf(j + 1)
	}
	m, j, _, ok := p.month(j)
	if !ok {
		return pt, i, false
	}
	pt.m = m
	if y, y2, k, ok := p.yearAfter(j); ok {
		pt.y, pt.y2, j = y, y2, k
	}
	return pt, j, pt.last || validDay(pt.fullYear(), m, pt.d)
}

// monthPoint reads a whole month: "mars", "en mars", "au mois de mars",
// "septembre 2017". A bare capitalised month inside a sentence is taken for
// a name ("la planète Mars") when guard is set.
func (p *parser) monthPoint(i int, guard bool) (point, int, bool) {
	var pt point
	j, prefixed := p.longest(i, [][]string{
		{"en"}, {"in"}, {"courant"}, {"au", "mois", "de"}, {"au", "mois", "d", "'"},
		{"le", "mois", "de"}, {"le", "mois", "d", "'"}, {"mois", "de"}, {"mois", "d", "'"},
	})
	m, k, full, ok := p.month(j)
	if !ok {
		return pt, i, false
	}
	pt.m = m
	if v, digits, ok := p.num(k); ok && digits == 4 && v >= 1800 && v < 2200 {
		pt.y = v
		return pt, k + 1, true
	}
	if !full {
		return pt, i, false
	}
	if guard && !prefixed && p.tok(j).upper && !p.sentenceStart(j) {
		return pt, i, false
	}
	return pt, k, true
}

// deictic reads "aujourd'hui", "ce jour", "hier", "avant-hier", "demain",
// "après-demain" and their English counterparts. A capitalised one inside a
// sentence is a title ("« Imagine Demain »"), and "de demain" is figurative.
func (p *parser) deictic(i int) (point, int, bool) {
	if !deicticStarts[p.w(i)] {
		return point{}, i, false
	}
	for _, d := range deictics {
		j, ok := p.seq(i, d.words...)
		if !ok {
			continue
		}
		if p.tok(i).upper && !p.sentenceStart(i) {
			return point{}, i, false
		}
		if d.shift == 1 && (p.isw(i-1, "de") || p.punct(i-1, "'")) && !p.isw(i-2, "partir") {
			return point{}, i, false
		}
		return point{rel: true, shift: d.shift}, j, true
	}
	return point{}, i, false
}

// holiday reads a fixed holiday: "Noël", "la Toussaint", "jour de l'an".
func (p *parser) holiday(i int) (point, int, bool) {
	j := p.skip(i, "le", "la")
	if !holidayStarts[p.w(j)] {
		return point{}, i, false
	}
	for _, h := range holidays {
		if k, ok := p.seq(j, h.words...); ok {
			return point{m: h.m, d: h.d}, k, true
		}
	}
	return point{}, i, false
}

// relative reads "le lendemain du 13 février", "la veille du 3 mars".
func (p *parser) relative(i int) (point, int, bool) {
	j := p.skip(i, "le", "la")
	shift := 0
	switch {
	case p.isw(j, "lendemain"):
		shift = 1
	case p.isw(j, "veille"):
		shift = -1
	default:
		return point{}, i, false
	}
	j = p.skipOf(j + 1)
	j = p.skip(j, "la", "le")
	pt, k, ok := p.point(j)
	if !ok || !pt.hasDay() {
		return point{}, i, false
	}
	pt.shift += shift
	return pt, k, true
}

// weekdayDay reads a weekday and a day with no month: "jeudi 15",
// "vendredi quinze".
func (p *parser) weekdayDay(i int) (point, int, bool) {
	wd, j := p.optWeekday(i)
	if wd == 0 {
		return point{}, i, false
	}
	j = p.skip(j, "le", "the")
	d, k, _, ok := p.day(j, true)
	if !ok || !p.boundary(k) {
		return point{}, i, false
	}
	return point{wd: wd, d: d}, k, true
}

// bareDay reads "le 2", "le 16": a day of the month with no month.
func (p *parser) bareDay(i int) (point, int, bool) {
	if !p.isw(i, "le") {
		return point{}, i, false
	}
	d, k, _, ok := p.day(i+1, false)
	if !ok || !p.boundary(k) {
		return point{}, i, false
	}
	return point{d: d}, k, true
}

// bareYear reads a year after a cue: "en 2025", "depuis 2022".
func (p *parser) bareYear(i int) (point, int, bool) {
	if !yearCues[p.w(i)] {
		return point{}, i, false
	}
	v, digits, ok := p.num(i + 1)
	if !ok || digits != 4 || v < 1900 || v > 2100 {
		return point{}, i, false
	}
	if next := p.tok(i + 2); next.s == "€" || next.s == "$" || next.s == "%" || next.s == "euros" {
		return point{}, i, false
	}
	return point{y: v, yearOnly: true}, i + 2, true
}

// dayOnly reads [weekday] day, for the first day of a range ("du 13 au …").
func (p *parser) dayOnly(i int, words bool) (point, int, bool) {
	wd, j := p.optWeekday(i)
	d, k, _, ok := p.day(j, words || wd != 0)
	if !ok {
		return point{}, i, false
	}
	return point{wd: wd, d: d}, k, true
}

// vague reads a part of a month or of a year: "début janvier", "mi-mars",
// "fin du mois de mars", "la première quinzaine d'avril", "Fin 2024".
// Like Duckling, début is the 1st–5th, mi the 10th–19th and fin the
// 21st–last; of a year, début is January–March, mi June–July and fin
// October–December.
func (p *parser) vague(i int) (expr, bool) {
	j := p.skip(i, "la", "le", "l", "the")
	if p.punct(j, "'") {
		j++
	}
	var lo, hi, mlo, mhi int // hi 0: the month's last day
	switch {
	case p.isw(j, "debut", "early", "beginning"):
		lo, hi, mlo, mhi = 1, 5, 1, 3
	case p.isw(j, "mi", "mid", "milieu", "middle"):
		lo, hi, mlo, mhi = 10, 19, 6, 7
	case p.isw(j, "fin", "late", "end"):
		lo, hi, mlo, mhi = 21, 0, 10, 12
	case p.isw(j, "premiere", "first") && p.isw(j+1, "quinzaine"):
		lo, hi = 1, 14
		j++
	case p.tok(j).s == "1" && p.isw(j+1, "ere", "re") && p.isw(j+2, "quinzaine"):
		lo, hi = 1, 14
		j += 2
	case (p.isw(j, "deuxieme", "seconde", "2eme", "2nde", "derniere", "second", "last") ||
		(p.tok(j).s == "2" && p.isw(j+1, "e", "eme", "nde"))) && p.isw(j+1, "quinzaine", "e", "eme", "nde"):
		lo, hi = 15, 0
		if !p.isw(j+1, "quinzaine") {
			j++
		}
		j++
	default:
		return expr{}, false
	}
	j++
	if p.punct(j, "-") && p.adj(j) {
		j++
	}
	if k, ok := p.longest(j, [][]string{{"du", "mois", "de"}, {"du", "mois", "d", "'"}, {"de"}, {"d", "'"}, {"of"}, {"of", "the", "month", "of"}}); ok {
		j = k
	}
	if v, digits, ok := p.num(j); ok && digits == 4 && v >= 1800 && v < 2200 && mlo != 0 {
		return expr{i: i, j: j + 1, rng: true, a: point{y: v, m: mlo}, b: point{y: v, m: mhi}}, true
	}
	m, k, _, ok := p.month(j)
	if !ok {
		return expr{}, false
	}
	e := expr{i: i, j: k, rng: true, a: point{m: m, d: lo}, b: point{m: m, d: hi, last: hi == 0}}
	if v, digits, ok := p.num(k); ok && digits == 4 && v >= 1800 && v < 2200 {
		e.a.y, e.b.y, e.j = v, v, k+1
	}
	return e, true
}

// rangeLinks join the two ends of a range; after "entre", only "et".
var rangeLinks = [][]string{
	{"au"}, {"a"}, {"-"}, {"jusqu", "'", "au"}, {"jusqu", "'", "a"}, {"jusqu", "'", "en"},
	{"to"}, {"until"}, {"till"}, {"through"}, {"thru"},
}

var betweenLinks = [][]string{{"et"}, {"and"}}

// ranged reads a closed range: "du 13 au 15 juillet", "13-15 juillet",
// "entre le 30 août et 7 septembre", "Février à juillet 2026", "du 13 au
// 15/06/2025", "du 13 au 18".
func (p *parser) ranged(i int) (expr, bool) {
	j := i
	prefix := ""
	switch {
	case p.isw(j, "du", "from"):
		prefix = "du"
		j++
	case p.isw(j, "entre", "between"):
		prefix = "entre"
		j = p.skip(j+1, "le", "the")
	case p.isw(j, "de"):
		prefix = "de"
		j++
	case p.isw(j, "d") && p.punct(j+1, "'"):
		prefix = "de"
		j += 2
	}
	type end struct {
		pt point
		k  int
	}
	var buf [6]end // the candidate ends, without allocating
	as := buf[:0:3]
	if pt, k, ok := p.point(j); ok {
		as = append(as, end{pt, k})
	}
	if pt, k, ok := p.monthPoint(j, false); ok {
		as = append(as, end{pt, k})
	}
	if pt, k, ok := p.dayOnly(j, prefix != ""); ok {
		as = append(as, end{pt, k})
	}
	links := rangeLinks
	if prefix == "entre" {
		links = betweenLinks
	}
	var best expr
	found := false
	for _, a := range as {
		k, ok := p.longest(a.k, links)
		if !ok {
			continue
		}
		k = p.skip(k, "le", "the")
		bs := buf[3:3]
		if pt, k2, ok := p.point(k); ok {
			bs = append(bs, end{pt, k2})
		}
		if pt, k2, ok := p.monthPoint(k, false); ok {
			bs = append(bs, end{pt, k2})
		}
		if pt, k2, ok := p.dayOnly(k, true); ok && p.boundary(k2) {
			bs = append(bs, end{pt, k2})
		}
		for _, b := range bs {
			if !rangeOK(prefix, a.pt, b.pt) {
				continue
			}
			if !found || b.k > best.j {
				best, found = expr{i: i, j: b.k, a: a.pt, b: b.pt, rng: true}, true
			}
		}
	}
	if found && best.b.hasDay() && !best.b.clock {
		// "from 5 January to 30 January 2026 at 12:00": the time closes
		// the range.
		e := expr{a: best.b}
		if k := p.timeAfter(&e, best.j); k > best.j && !e.open {
			best.b, best.j = e.a, k
		}
	}
	return best, found
}

// rangeOK reports whether a and b make a range after prefix.
func rangeOK(prefix string, a, b point) bool {
	if a.rel || b.rel || a.yearOnly || b.yearOnly || a.clock || b.clock || a.shift != 0 || b.shift != 0 {
		return false
	}
	switch {
	case a.monthOnly() && b.monthOnly():
		return a.m != b.m || a.y != b.y
	case a.monthOnly() || b.monthOnly():
		return false
	case prefix == "de":
		return false
	case b.dayOnly():
		return a.dayOnly() && prefix != ""
	}
	return true
}

// openers start an open range: "à partir du 8 mars", "après le 1er
// novembre", "après 16h le 1er novembre".
var openers = [][]string{
	{"a", "partir", "du"}, {"a", "partir", "de"}, {"a", "partir", "d", "'"},
	{"apres", "le"}, {"apres", "l", "'"}, {"apres"},
	{"plus", "tard", "que"}, {"plus", "tard", "qu", "'"},
	{"starting", "from"}, {"starting", "on"}, {"starting"}, {"from"}, {"after", "the"}, {"after"},
}

// opened reads an open range.
func (p *parser) opened(i int) (expr, bool) {
	var best expr
	found := false
	for _, op := range openers {
		k, ok := p.seq(i, op...)
		if !ok {
			continue
		}
		var cands []expr
		if e, ok := p.single(k); ok && !e.a.monthOnly() && !e.a.yearOnly {
			cands = append(cands, e)
		}
		if pt, k2, ok := p.dayOnly(k, false); ok && p.boundary(k2) {
			e := expr{i: k, j: k2, a: pt}
			e.j = p.timeAfter(&e, k2)
			cands = append(cands, e)
		}
		if e, ok := p.timeFirst(k); ok {
			cands = append(cands, e)
		}
		for _, e := range cands {
			if !found || e.j > best.j {
				e.i, e.open = i, true
				best, found = e, true
			}
		}
	}
	return best, found
}

// timeLinks join a date to the time of day that follows it; the bool says
// the range is open from that time ("le 20 à partir de 10h").
var timeLinks = []struct {
	words []string
	open  bool
}{
	{[]string{"a", "partir", "de"}, true},
	{[]string{"a", "partir", "d", "'"}, true},
	{[]string{"a", "environ"}, false},
	{[]string{"aux", "alentours", "de"}, false},
	{[]string{"autour", "de"}, false},
	{[]string{"plutot", "vers"}, false},
	{[]string{"plutot", "a"}, false},
	{[]string{"jusqu", "'", "a"}, false},
	{[]string{"vers"}, false},
	{[]string{"a"}, false},
	{[]string{"environ"}, false},
	{[]string{"avant"}, false},
	{[]string{"at"}, false},
	{[]string{"around"}, false},
	{[]string{"by"}, false},
	{[]string{"before"}, false},
	{[]string{"-"}, false},
	{nil, false},
}

// timeAfter attaches to e the time of day written after its date at j and
// returns where the expression ends.
func (p *parser) timeAfter(e *expr, j int) int {
	k := j
	if p.punct(k, ",") {
		k++
	}
	// "31 octobre (17h)", "12 January 2026 (12:00 noon CET)".
	bracket := p.punct(k, "(")
	if bracket {
		k++
	}
	// "jusqu'au 15 décembre 2025 inclus à 12h00": the day is included
	// and the time closes it. Not before midnight, which "inclus" then
	// reads as the end of the day.
	inclusive := !bracket && p.isw(k, "inclus", "incluse", "compris", "included")
	if inclusive {
		k++
		if p.punct(k, ",") {
			k++
		}
	}
	for _, l := range timeLinks {
		k2, ok := p.seq(k, l.words...)
		if !ok {
			continue
		}
		hh, mm, g, k3, ok := p.clock(k2)
		if !ok || inclusive && hh == 0 && mm == 0 {
			continue
		}
		z, k3, _ := p.zone(k3)
		if bracket {
			if !p.punct(k3, ")") {
				continue
			}
			k3++
		}
		e.a.clock, e.a.hh, e.a.mm, e.a.cg, e.a.zone = true, hh, mm, g, z
		e.open = e.open || l.open
		return k3
	}
	return j
}

// clockAt reports whether a time of day starts at token j.
func (p *parser) clockAt(j int) bool {
	_, _, _, _, ok := p.clock(j)
	return ok
}

// timeFirst reads a time of day followed by its date: "13h30 samedi 21
// septembre", "à trois heures et quart demain après-midi".
func (p *parser) timeFirst(i int) (expr, bool) {
	j := p.skip(i, "a", "vers", "at")
	hh, mm, g, k, ok := p.clock(j)
	if !ok {
		return expr{}, false
	}
	z, k, _ := p.zone(k)
	if p.punct(k, ",") {
		k++
	}
	k = p.skip(k, "le", "on", "the")
	pt, k2, ok := p.point(k)
	if !ok || !pt.hasDay() || pt.clock {
		return expr{}, false
	}
	if pm, k3, ok := p.period(k2); ok {
		hh, k2 = adjustHour(hh, pm), k3
	}
	pt.clock, pt.hh, pt.mm, pt.cg, pt.zone, pt.clockFirst = true, hh, mm, g, z, true
	return expr{i: i, j: k2, a: pt}, true
}

// periods of the day that move an hour to the afternoon (true) or keep it
// in the morning (false).
var periods = []struct {
	words []string
	pm    bool
}{
	{[]string{"du", "matin"}, false}, {[]string{"du", "mat"}, false}, {[]string{"le", "matin"}, false},
	{[]string{"au", "matin"}, false}, {[]string{"matin"}, false}, {[]string{"am"}, false},
	{[]string{"a", ".", "m", "."}, false},
	{[]string{"du", "soir"}, true}, {[]string{"le", "soir"}, true}, {[]string{"au", "soir"}, true},
	{[]string{"soir"}, true}, {[]string{"dans", "la", "soiree"}, true}, {[]string{"en", "soiree"}, true},
	{[]string{"de", "l", "'", "apres", "-", "midi"}, true}, {[]string{"de", "l", "'", "apres", "midi"}, true},
	{[]string{"dans", "l", "'", "apres", "-", "midi"}, true}, {[]string{"apres", "-", "midi"}, true},
	{[]string{"apres", "midi"}, true}, {[]string{"pm"}, true}, {[]string{"p", ".", "m", "."}, true},
}

// period reads a part of the day after a time.
func (p *parser) period(i int) (pm bool, j int, ok bool) {
	best := -1
	for _, pd := range periods {
		if k, ok := p.seq(i, pd.words...); ok && k > best {
			best, pm = k, pd.pm
		}
	}
	if best < 0 {
		return false, i, false
	}
	return pm, best, true
}

func adjustHour(hh int, pm bool) int {
	switch {
	case pm && hh >= 1 && hh < 12:
		return hh + 12
	case !pm && hh == 12:
		return 0
	}
	return hh
}

// clock reads a time of day: "12h", "12h30", "19 h 21 min", "15:30",
// "midi", "minuit trois", "seize heures", "trois heures et quart", "5 pm",
// "6h du soir". A number alone is never a time.
func (p *parser) clock(i int) (hh, mm int, g Grain, j int, ok bool) {
	g = GrainHour
	words := false // the minutes may be words too
	switch w := p.w(i); {
	case w == "midi" || w == "noon":
		hh, j, words = 12, i+1, true
	case w == "minuit" || w == "midnight":
		hh, j, words = 0, i+1, true
	default:
		v, digits, isNum := p.num(i)
		if isNum {
			if digits > 2 {
				return 0, 0, g, i, false
			}
			j = i + 1
		} else if v, j, isNum = p.numberWord(i); !isNum {
			return 0, 0, g, i, false
		}
		if v > 23 {
			return 0, 0, g, i, false
		}
		hh = v
		switch {
		case p.isw(j, "h", "heure", "heures", "hr", "hrs"):
			j++
			words = true
			if m, dm, ok := p.num(j); ok && m < 60 && (dm == 2 || p.isw(j+1, "min", "mn", "minutes")) && isNum {
				mm, g, j, words = m, GrainMinute, j+1, false
				if p.isw(j, "min", "mn", "minutes") {
					j++
				}
			}
		case p.tok(i).kind == tNum && p.punct(j, ":") && p.adj(j) && p.adj(j+1):
			m, dm, ok := p.num(j + 1)
			if !ok || dm != 2 || m > 59 {
				return 0, 0, g, i, false
			}
			mm, g, j = m, GrainMinute, j+2
			// "23:59:00": the seconds, as portals print them, are read
			// and dropped.
			if p.punct(j, ":") && p.adj(j) && p.adj(j+1) {
				if s, ds, ok := p.num(j + 1); ok && ds == 2 && s < 60 {
					j += 2
				}
			}
		case p.tok(i).kind == tNum && p.isw(j, "am", "pm"):
		case p.tok(i).kind == tNum && hh == 12 && p.isw(j, "noon", "midday", "midi"):
			// "at 12 noon": the word is read below.
		default:
			return 0, 0, g, i, false
		}
	}
	if words {
		switch k, ok := p.seq(j, "et", "quart"); {
		case ok:
			mm, g, j = 15, GrainMinute, k
		default:
			if k, ok := p.longest(j, [][]string{{"et", "demie"}, {"et", "demi"}}); ok {
				mm, g, j = 30, GrainMinute, k
			} else if k, ok := p.longest(j, [][]string{{"moins", "le", "quart"}, {"moins", "quart"}}); ok {
				hh, mm, g, j = (hh+23)%24, 45, GrainMinute, k
			} else if v, k, ok := p.numberWord(j); ok && v < 60 && !p.isw(k, "heure", "heures", "h") {
				mm, g, j = v, GrainMinute, k
			}
		}
	}
	if pm, k, ok := p.period(j); ok {
		hh, j = adjustHour(hh, pm), k
	}
	if hh == 12 && mm == 0 && p.isw(j, "noon", "midday", "midi") {
		j++ // "12:00 noon"
	}
	return hh, mm, g, j, true
}
