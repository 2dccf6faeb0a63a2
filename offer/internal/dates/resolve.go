package dates

import (
	"time"

	"github.com/echeance/echeance/offer/internal/text"
)

// textStart returns the first token of the expression's Text: a leading
// article or "en" is left out ("le 31 octobre" is written "31 octobre",
// "en 2025" is "2025"), except before a bare day ("le 2"); a range keeps
// its "du", "entre" or "de".
func (e expr) textStart(toks text.Tokens) int {
	i := e.i
	switch {
	case e.rng || e.open:
		for i < e.j-1 && (toks.S(i) == "le" || toks.S(i) == "la" || toks.S(i) == "the") {
			i++
		}
		return i
	case e.a.yearOnly:
		return e.j - 1
	case e.a.dayOnly() && e.a.wd == 0:
		return i
	}
	for i < e.j-1 {
		switch toks.S(i) {
		case "le", "la", "l", "'", "the", "en", "in", "on", "au", "mois", "de", "d", "courant":
			i++
			continue
		}
		break
	}
	return i
}

// explicitYear reports whether the expression writes its year and is a
// day or a month, the kind of date that can anchor the others.
func (e expr) explicitYear() bool {
	if e.a.rel || e.a.yearOnly {
		return false
	}
	return e.a.y != 0 || (e.rng && e.b.y != 0)
}

// fullYear returns the year with two-digit years moved to 1950–2049, or 0.
func (pt point) fullYear() int {
	y := int(pt.y)
	switch {
	case y == 0 || !pt.y2:
		return y
	case y < 50:
		return 2000 + y
	}
	return 1900 + y
}

// daysIn returns the number of days of month m of year y, a month out of
// 1…12 counting on into the years around, as time.Date normalises it. It
// is counted, not read from a time.Date, which costs more than the rest
// of validDay and of the search for a day written without its month.
func daysIn(y, m int) int {
	// Month m of year y is month m mod 12 of year y + m div 12, both
	// rounded down.
	m--
	y += m / 12
	if m %= 12; m < 0 {
		m += 12
		y--
	}
	if m == 1 {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return monthDays[m]
}

// monthDays are the days of the months, January first, in a common year.
var monthDays = [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// resolve turns the expression into a Date, inferring missing years from
// anchor (deictics from ref); see point.resolve for back.
func (e expr) resolve(anchor, ref time.Time, back int) (Date, bool) {
	a, b := e.a, e.b
	if e.rng {
		a = fillFrom(a, b)
	}
	start, inferred, ok := a.resolve(anchor, ref, back)
	if !ok {
		return Date{}, false
	}
	d := Date{Start: start, Grain: a.grain(), Open: e.open, YearInferred: inferred,
		Zone: a.zone.location(), ClockFirst: a.clockFirst, Deictic: a.rel}
	if e.rng {
		// The end's time of day, if any, is kept apart: End stays the
		// start of the range's last unit, at the range's grain.
		clock := b.clock
		b.clock = false
		end, _, ok := b.resolve(start, ref, 0)
		if ok && end.After(start) {
			d.End = end
			if clock {
				b.clock = true
				if at, _, ok := b.resolve(start, ref, 0); ok {
					d.EndAt, d.Zone = at, b.zone.location()
				}
			}
		}
	}
	return d, true
}

// fillFrom completes the first end of a range with the month and year of
// the second: "du 13 au 15 juillet 2025", "Février à juillet 2026".
func fillFrom(a, b point) point {
	bd := b.d
	if b.last || bd == 0 {
		bd = 31
	}
	if a.m == 0 && b.m != 0 && a.d != 0 {
		a.m = b.m
		if a.d > bd {
			a.m--
			if a.m == 0 {
				a.m = 12
			}
		}
	}
	if a.y == 0 && b.y != 0 {
		a.y, a.y2 = int16(b.fullYear()), false
		if a.m > b.m || (a.m == b.m && a.d > bd) {
			a.y--
		}
	}
	return a
}

// resolve returns the first instant of the point, the first match at or
// after anchor when the year is missing; a day and month without a year
// may fall up to back days before anchor.
func (pt point) resolve(anchor, ref time.Time, back int) (t time.Time, inferred, ok bool) {
	loc := ref.Location()
	date := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc) }
	// The anchor's date is read only by the cases that infer a year or
	// a month, with Date, not Year, Month and Day, each of which works out
	// the whole date.
	switch {
	case pt.rel:
		ry, rm, rd := ref.Date()
		t = date(ry, int(rm), rd)
	case pt.yearOnly:
		t = date(int(pt.y), 1, 1)
	case pt.y != 0 && pt.monthOnly():
		t = date(pt.fullYear(), int(pt.m), 1)
	case pt.y != 0:
		y := pt.fullYear()
		d := pt.dayIn(y)
		if d == 0 {
			return t, false, false
		}
		t = date(y, int(pt.m), d)
	case pt.monthOnly():
		inferred = true
		y, am, _ := anchor.Date()
		if time.Month(pt.m) < am {
			y++
		}
		t = date(y, int(pt.m), 1)
	case pt.m != 0:
		inferred = true
		found := false
		// A day at most back days before the anchor is this one, passed.
		ay, am, ad := anchor.Date()
		since := date(ay, int(am), ad).AddDate(0, 0, -back)
		for y := ay - 1; y < ay+9 && !found; y++ {
			if d := pt.dayIn(y); d != 0 {
				if c := date(y, int(pt.m), d); !c.Before(since) {
					t, found = c, true
				}
			}
		}
		if !found {
			return t, false, false
		}
		// A written weekday that does not match may settle the year:
		// "lundi 3 mars" is in the next year that has a Monday 3 March.
		if wd := int(pt.wd); wd != 0 && weekdayNum(t) != wd {
			if c := date(t.Year()+1, int(pt.m), int(pt.d)); pt.dayIn(t.Year()+1) != 0 && weekdayNum(c) == wd {
				t = c
			}
		}
	case pt.d != 0:
		inferred = true
		found := false
		y, am, ad := anchor.Date()
		from, m := date(y, int(am), ad), int(am)
		for n := 0; n < 400 && !found; n++ {
			if int(pt.d) <= daysIn(y, m) {
				c := date(y, m, int(pt.d))
				if !c.Before(from) && (pt.wd == 0 || weekdayNum(c) == int(pt.wd)) {
					t, found = c, true
				}
			}
			if m++; m > 12 {
				y, m = y+1, 1
			}
		}
		if !found {
			return t, false, false
		}
	default:
		return t, false, false
	}
	if pt.shift != 0 {
		ty, tm, td := t.Date()
		t = date(ty, int(tm), td+int(pt.shift))
	}
	if pt.clock {
		zl := pt.zone.location()
		if zl == nil {
			zl = loc
		}
		ty, tm, td := t.Date()
		t = time.Date(ty, tm, td, int(pt.hh), int(pt.mm), 0, 0, zl).In(loc)
	}
	return t, inferred, true
}

// dayIn returns the point's day in month pt.m of year y, 0 if none.
func (pt point) dayIn(y int) int {
	n := daysIn(y, int(pt.m))
	if pt.last {
		return n
	}
	if int(pt.d) > n {
		return 0
	}
	return int(pt.d)
}

// weekdayNum numbers weekdays 1 (Monday) … 7 (Sunday).
func weekdayNum(t time.Time) int {
	if wd := int(t.Weekday()); wd != 0 {
		return wd
	}
	return 7
}
