package dates

import "github.com/echeance/echeance/offer/internal/text"

// dayMonth reads [weekday] [le] day [of] month [year]: "jeudi 1er février
// 2018", "31 Oct 2025", "premier mars".
func (p *parser) dayMonth(i int) (point, int, bool) {
	var pt point
	wd, j := p.optWeekday(i)
	pt.wd = uint8(wd)
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
	pt.d, pt.m = uint8(d), uint8(m)
	if dashed && p.punct(k, "-") && p.adj(k) && p.adj(k+1) {
		if y, digits, ok := p.num(k + 1); ok && (digits == 4 || digits == 2) {
			pt.y, pt.y2, k = int16(y), digits == 2, k+2
		}
	} else if y, y2, k2, ok := p.yearAfter(k); ok {
		pt.y, pt.y2, k = int16(y), y2, k2
	} else if e := p.overlongAt(k); e > 0 {
		pt.bad, k = true, e
	}
	if !validDay(pt.fullYear(), m, d) {
		pt.bad = true
	}
	return pt, k, true
}

// monthDay reads [weekday] month day [year]: "October 31, 2025", "March
// 3rd", "décembre 5 2014".
func (p *parser) monthDay(i int) (point, int, bool) {
	var pt point
	wd, j := p.optWeekday(i)
	pt.wd = uint8(wd)
	m, j, _, ok := p.month(j)
	if !ok {
		return pt, i, false
	}
	d, k, _, ok := p.day(j, false)
	if !ok {
		return pt, i, false
	}
	pt.d, pt.m = uint8(d), uint8(m)
	if v, digits, ok := p.num(k + 1); ok && p.punct(k, ",") && digits == 4 && v >= 1800 && v < 2200 {
		pt.y, k = int16(v), k+2
	} else if v, digits, ok := p.num(k); ok && digits == 4 && v >= 1800 && v < 2200 {
		pt.y, k = int16(v), k+1
	} else if e := p.overlongAt(k); e > 0 {
		pt.bad, k = true, e
	} else if !p.boundary(k) {
		return pt, i, false
	}
	if !validDay(int(pt.y), m, d) {
		pt.bad = true
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
	pt.wd = uint8(wd)
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
	sepS := p.s(j + 1)
	glued := p.kind(j+1) == text.Punct && p.adj(j+1) && p.adj(j+2) && (sepS == "/" || sepS == "." || sepS == "-")
	if glued && n1 == 4 {
		// Year first: 2025-03-15, 2025/03/15.
		m, nm, ok1 := p.num(j + 2)
		d, nd, ok2 := p.num(j + 4)
		if !ok1 || !ok2 || nm > 2 || nd > 2 || !p.punct(j+3, sepS) || !p.adj(j+3) || !p.adj(j+4) {
			return pt, i, false
		}
		pt.y, pt.m, pt.d = int16(v1), uint8(m), uint8(d)
		if v1 < 1800 || v1 >= 2200 {
			return pt, i, false
		}
		pt.bad = impossible(v1, m, d)
		return pt, j + 5, pt.bad || validDay(v1, m, d)
	}
	if n1 > 2 {
		return pt, i, false
	}
	if glued {
		m, nm, ok := p.num(j + 2)
		if !ok || nm > 2 {
			return pt, i, false
		}
		pt.d, pt.m = uint8(v1), uint8(m)
		if p.monthFirst && sepS != "." && !ordinal {
			pt.d, pt.m = uint8(m), uint8(v1)
		}
		k := j + 3
		if p.punct(k, sepS) && p.adj(k) && p.adj(k+1) {
			y, ny, ok := p.num(k + 1)
			if !ok || (ny != 2 && ny != 4) {
				return pt, i, false
			}
			pt.y, pt.y2 = int16(y), ny == 2
			k += 2
		} else if !(sepS == "/" || sepS == "." && article) || !p.boundary(k) && !p.clockAt(k) {
			// A time may follow a date without its year: "avant le
			// 15/12 minuit". Dotted, a day and month need their article
			// ("avant le 10.12"), since "3.5" alone is a number.
			return pt, i, false
		}
		pt.bad = impossible(pt.fullYear(), int(pt.m), int(pt.d))
		return pt, k, pt.bad || validDay(pt.fullYear(), int(pt.m), int(pt.d))
	}
	// Numbers apart: "20 02 2014", "17 2". The run of numbers must be two
	// or three long, each apart by one space on the same line.
	if p.kind(j-1) == text.Number {
		return pt, i, false
	}
	k := j + 1
	for k < p.n && p.kind(k) == text.Number && p.space(k) && k-j < 4 {
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
	pt.d, pt.m = uint8(v1), uint8(m)
	if run == 3 {
		y, ny, _ := p.num(j + 2)
		if ny != 2 && ny != 4 {
			return pt, i, false
		}
		pt.y, pt.y2 = int16(y), ny == 2
	}
	return pt, k, validDay(pt.fullYear(), int(pt.m), int(pt.d))
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
		pt.d, j = uint8(d), k
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
	pt.m = uint8(m)
	if y, y2, k, ok := p.yearAfter(j); ok {
		pt.y, pt.y2, j = int16(y), y2, k
	}
	pt.bad = !pt.last && impossible(pt.fullYear(), m, int(pt.d))
	return pt, j, pt.last || pt.bad || validDay(pt.fullYear(), m, int(pt.d))
}

// monthPrefixes may stand before a whole month.
var monthPrefixes = [][]string{
	{"en"}, {"in"}, {"courant"}, {"au", "mois", "de"}, {"au", "mois", "d", "'"},
	{"le", "mois", "de"}, {"le", "mois", "d", "'"}, {"mois", "de"}, {"mois", "d", "'"},
}

// monthPoint reads a whole month: "mars", "en mars", "au mois de mars",
// "septembre 2017". A bare capitalised month inside a sentence is taken for
// a name ("la planète Mars") when guard is set.
func (p *parser) monthPoint(i int, guard bool) (point, int, bool) {
	var pt point
	j, prefixed := i, false
	if p.may(i, tMonthPrefix) {
		j, prefixed = p.longest(i, monthPrefixes)
	}
	m, k, full, ok := p.month(j)
	if !ok {
		return pt, i, false
	}
	pt.m = uint8(m)
	if v, digits, ok := p.num(k); ok && digits == 4 && v >= 1800 && v < 2200 {
		pt.y = int16(v)
		return pt, k + 1, true
	}
	if !full {
		return pt, i, false
	}
	if guard && !prefixed && p.upper(j) && !p.sentenceStart(j) {
		return pt, i, false
	}
	return pt, k, true
}

// deictic reads "aujourd'hui", "ce jour", "hier", "avant-hier", "demain",
// "après-demain" and their English counterparts. A capitalised one inside a
// sentence is a title ("« Imagine Demain »"), and "de demain" is figurative.
func (p *parser) deictic(i int) (point, int, bool) {
	if p.c(i).flags&cDeictic == 0 {
		return point{}, i, false
	}
	for _, d := range deictics {
		j, ok := p.seq(i, d.words...)
		if !ok {
			continue
		}
		if p.upper(i) && !p.sentenceStart(i) {
			return point{}, i, false
		}
		if d.shift == 1 && (p.isw(i-1, "de") || p.punct(i-1, "'")) && !p.isw(i-2, "partir") {
			return point{}, i, false
		}
		return point{rel: true, shift: int32(d.shift)}, j, true
	}
	return point{}, i, false
}

// holiday reads a fixed holiday: "Noël", "la Toussaint", "jour de l'an".
func (p *parser) holiday(i int) (point, int, bool) {
	j := p.skip(i, "le", "la")
	if p.c(j).flags&cHoliday == 0 {
		return point{}, i, false
	}
	for _, h := range holidays {
		if k, ok := p.seq(j, h.words...); ok {
			return point{m: uint8(h.m), d: uint8(h.d)}, k, true
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
	pt.shift += int32(shift)
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
	return point{wd: uint8(wd), d: uint8(d)}, k, true
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
	return point{d: uint8(d)}, k, true
}

// bareYear reads a year after a cue: "en 2025", "depuis 2022".
func (p *parser) bareYear(i int) (point, int, bool) {
	if p.c(i).flags&cYearCue == 0 {
		return point{}, i, false
	}
	v, digits, ok := p.num(i + 1)
	if !ok || digits != 4 || v < 1900 || v > 2100 {
		return point{}, i, false
	}
	if next := p.s(i + 2); next == "€" || next == "$" || next == "%" || next == "euros" {
		return point{}, i, false
	}
	return point{y: int16(v), yearOnly: true}, i + 2, true
}

// dayOnly reads [weekday] day, for the first day of a range ("du 13 au …").
func (p *parser) dayOnly(i int, words bool) (point, int, bool) {
	wd, j := p.optWeekday(i)
	d, k, _, ok := p.day(j, words || wd != 0)
	if !ok {
		return point{}, i, false
	}
	return point{wd: uint8(wd), d: uint8(d)}, k, true
}
