package offer

import (
	"slices"
	"strings"
	"time"
)

// Grain is the precision of a date expression.
type Grain int

// Grains, finest first.
const (
	GrainMinute Grain = iota
	GrainHour
	GrainDay
	GrainMonth
	GrainYear
)

// String returns the grain's name: "minute", "hour", "day", "month" or
// "year".
func (g Grain) String() string {
	switch g {
	case GrainMinute:
		return "minute"
	case GrainHour:
		return "hour"
	case GrainDay:
		return "day"
	case GrainMonth:
		return "month"
	case GrainYear:
		return "year"
	}
	return "unknown"
}

// Date is one date expression found in a text.
type Date struct {
	// Text is the expression as written, and Pos and EndPos its byte
	// offsets in the text.
	Text        string
	Pos, EndPos int
	// Start is the first instant meant, in the reference time's location.
	Start time.Time
	// End is the start of the last unit of a closed range ("du 13 au 15
	// juillet" ends on 15 July at 00:00); it is zero for a single date and
	// for an open range.
	End time.Time
	// Open marks a range open after Start ("à partir du 8 mars").
	Open  bool
	Grain Grain
	// YearInferred is set when the year was not written and was inferred
	// from the reference time and the text's other dates.
	YearInferred bool

	// zone is the time zone written after the time of day ("5pm GMT"), nil
	// when none; Start is the same instant in the reference location.
	zone *time.Location
	// clockFirst marks a time written before the date ("midnight on 15
	// January").
	clockFirst bool
	// endAt is the time of day written after a closed range's end ("from
	// 5 to 30 January at 12:00"), zero when none; zone is then its zone.
	endAt time.Time
	// deictic marks a day named from the reference time ("demain",
	// "aujourd'hui"), which is not when the text was written.
	deictic bool
}

// StartString formats Start as in the evaluation file: YYYY-MM-DD for day,
// month and year grains (a month as its first day, a year as its 1 January),
// RFC 3339 in the reference time's offset for hour and minute grains.
func (d Date) StartString() string { return formatGrain(d.Start, d.Grain) }

// EndString formats End like StartString; it returns "" for a single date
// and ".." for an open range.
func (d Date) EndString() string {
	switch {
	case d.Open:
		return ".."
	case d.End.IsZero():
		return ""
	}
	return formatGrain(d.End, d.Grain)
}

func formatGrain(t time.Time, g Grain) string {
	if g == GrainHour || g == GrainMinute {
		return t.Format(time.RFC3339)
	}
	return t.Format(time.DateOnly)
}

// contextLead is how many months before the text's earliest explicit date
// it is assumed to have been written; see FindDates.
const contextLead = 6

// contextSpan bounds the cluster of explicit dates that dates the text:
// explicit dates more than this many months before the latest one are
// history ("ouvert en 2023") rather than the offer's own calendar.
const contextSpan = 18

// FindDates returns every date expression in text, in text order and never
// overlapping, read in French or English, accents and case ignored.
//
// A date written without its year is resolved to the first matching day
// (or month) at or after an anchor. The anchor is ref, unless the text
// dates itself: when it has dates with a written year (at day or month
// precision), the earliest of those within contextSpan months of the latest
// one, moved back contextLead months, becomes the anchor if that is before
// ref. So an old offer that says "septembre 2017 … entre le 30 août et 7
// septembre" reads 30 August 2017, whenever it is read, while an offer with
// no written year keeps Duckling's convention of preferring the future.
// Deictics ("demain") are relative to ref. Two-digit years fall in
// 1950–2049.
func FindDates(text string, ref time.Time) []Date {
	type found struct {
		e        expr
		pos, end int
	}
	var all []found
	var p parser
	mf := monthFirst(text)
	for start := 0; start < len(text); {
		end := lineEnd(text, start)
		// A date broken over two lines, as in a copy of a PDF ("avant le
		// 15\nmars 2026"), is read on one.
		for end < len(text) && wrapsDate(text[start:end], text[end+1:]) {
			end = lineEnd(text, end+1)
		}
		// A token takes three bytes or more in most texts; sizing the
		// buffer once spares a long line many copies.
		p = parser{toks: tokenize(slices.Grow(p.toks[:0], (end-start)/3+8), text[start:end]), monthFirst: mf}
		for _, e := range p.scan() {
			i := e.textStart(p.toks)
			all = append(all, found{e, start + int(p.toks[i].pos), start + int(p.toks[e.j-1].end)})
		}
		start = end + 1
	}

	anchor := ref
	var explicit []time.Time
	for _, f := range all {
		if f.e.explicitYear() {
			if d, ok := f.e.resolve(ref, ref); ok {
				explicit = append(explicit, d.Start)
			}
		}
	}
	if w, ok := contextAnchor(explicit, ref.Location()); ok && w.Before(ref) {
		anchor = w
	}

	var out []Date
	for _, f := range all {
		d, ok := f.e.resolve(anchor, ref)
		if !ok {
			continue
		}
		d.Pos, d.EndPos = f.pos, f.end
		d.Text = text[d.Pos:d.EndPos]
		out = append(out, d)
	}
	return out
}

// lineEnd returns the offset of the end of the line starting at start.
func lineEnd(text string, start int) int {
	end := strings.IndexByte(text[start:], '\n')
	if end < 0 {
		return len(text)
	}
	return start + end
}

// wrapsDate reports whether a date runs from the end of line onto the start
// of next: a day number then a month name ("le 15" / "mars 2026"), or a
// month name then a year ("6 février" / "2026").
func wrapsDate(line, next string) bool {
	line = strings.TrimRight(line, " \t\r")
	next = strings.TrimLeft(next, " \t")
	if line == "" || next == "" {
		return false
	}
	i := len(line)
	for i > 0 && line[i-1] >= '0' && line[i-1] <= '9' {
		i--
	}
	if n := len(line) - i; n > 0 {
		// A day: one or two digits standing alone, then a month name.
		if n > 2 || i > 0 && line[i-1] != ' ' && line[i-1] != '\t' {
			return false
		}
		j := 0
		for j < len(next) && (next[j] >= 'A' && next[j] <= 'Z' || next[j] >= 'a' && next[j] <= 'z' || next[j] >= 0x80) {
			j++
		}
		return j > 0 && fullMonths[Fold(next[:j])]
	}
	// A month name, then a year of four digits.
	for i > 0 && (line[i-1] >= 'A' && line[i-1] <= 'Z' || line[i-1] >= 'a' && line[i-1] <= 'z' || line[i-1] >= 0x80) {
		i--
	}
	if i == len(line) || !fullMonths[Fold(line[i:])] {
		return false
	}
	j := 0
	for j < len(next) && next[j] >= '0' && next[j] <= '9' {
		j++
	}
	return j == 4 && (next[0] == '1' || next[0] == '2')
}

// monthFirst reports whether text writes its numeric dates month first, as
// in the United States. A full date that reads only month first
// ("12/15/2025") decides it, unless another reads only day first
// ("15/12/2025"). When none decides, an English text is read month first
// if it shows American signs: a dollar sign before an amount ("$18/hour")
// or a state and ZIP code ("Boston, MA 02110").
func monthFirst(text string) bool {
	md := false
	for i := 0; ; {
		k := strings.IndexByte(text[i:], '/')
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		a, okA := digitsBefore(text, k)
		b, nb := digitsAt(text, k+1)
		if !okA || nb == 0 || nb > 2 || k+1+nb >= len(text) || text[k+1+nb] != '/' {
			continue
		}
		if _, ny := digitsAt(text, k+2+nb); ny != 2 && ny != 4 {
			continue
		}
		switch {
		case a > 12 && a <= 31 && b >= 1 && b <= 12:
			return false
		case a >= 1 && a <= 12 && b > 12 && b <= 31:
			md = true
		}
	}
	if md {
		return true
	}
	return americanSigns(text) && english(text)
}

// digitsBefore reads the one or two digits that end text[:k].
func digitsBefore(text string, k int) (int, bool) {
	i := k
	for i > 0 && k-i < 3 && text[i-1] >= '0' && text[i-1] <= '9' {
		i--
	}
	if i == k || k-i > 2 || i > 0 && text[i-1] >= '0' && text[i-1] <= '9' {
		return 0, false
	}
	v, _ := digitsAt(text, i)
	return v, true
}

// digitsAt reads the digits starting at text[i:], and how many there are.
func digitsAt(text string, i int) (v, n int) {
	for i+n < len(text) && text[i+n] >= '0' && text[i+n] <= '9' && n < 5 {
		v = v*10 + int(text[i+n]-'0')
		n++
	}
	return v, n
}

// americanSigns reports whether text holds a dollar amount written the
// American way ("$18", not Québec's "18 $") or a state and ZIP code
// (", MA 02110").
func americanSigns(text string) bool {
	for i := 0; ; {
		k := strings.IndexByte(text[i:], '$')
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		if k+1 < len(text) && text[k+1] >= '0' && text[k+1] <= '9' {
			return true
		}
	}
	for i := 0; ; {
		k := strings.Index(text[i:], ", ")
		if k < 0 {
			return false
		}
		k += i
		i = k + 1
		s := text[k+2:]
		if len(s) >= 8 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == ' ' {
			if _, n := digitsAt(s, 3); n == 5 && (len(s) == 8 || s[8] < '0' || s[8] > '9') {
				return true
			}
		}
	}
}

// english reports whether text reads as English rather than French, by
// its commonest small words.
func english(text string) bool {
	en := strings.Count(text, " the ") + strings.Count(text, " and ") + strings.Count(text, " of ")
	fr := strings.Count(text, " le ") + strings.Count(text, " et ") + strings.Count(text, " de ") + strings.Count(text, " la ")
	return en > fr
}

// contextAnchor returns the anchor the text's explicit dates suggest.
func contextAnchor(explicit []time.Time, loc *time.Location) (time.Time, bool) {
	if len(explicit) == 0 {
		return time.Time{}, false
	}
	latest := explicit[0]
	for _, t := range explicit {
		if t.After(latest) {
			latest = t
		}
	}
	cut := time.Date(latest.Year(), latest.Month()-contextSpan, latest.Day(), 0, 0, 0, 0, loc)
	earliest := latest
	for _, t := range explicit {
		if !t.Before(cut) && t.Before(earliest) {
			earliest = t
		}
	}
	return time.Date(earliest.Year(), earliest.Month()-contextLead, 1, 0, 0, 0, 0, loc), true
}

// textStart returns the first token of the expression's Text: a leading
// article or "en" is left out ("le 31 octobre" is written "31 octobre",
// "en 2025" is "2025"), except before a bare day ("le 2"); a range keeps
// its "du", "entre" or "de".
func (e expr) textStart(toks []token) int {
	i := e.i
	switch {
	case e.rng || e.open:
		for i < e.j-1 && (toks[i].s == "le" || toks[i].s == "la" || toks[i].s == "the") {
			i++
		}
		return i
	case e.a.yearOnly:
		return e.j - 1
	case e.a.dayOnly() && e.a.wd == 0:
		return i
	}
	for i < e.j-1 {
		switch toks[i].s {
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
	switch {
	case pt.y == 0 || !pt.y2:
		return pt.y
	case pt.y < 50:
		return 2000 + pt.y
	}
	return 1900 + pt.y
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// resolve turns the expression into a Date, inferring missing years from
// anchor (deictics from ref).
func (e expr) resolve(anchor, ref time.Time) (Date, bool) {
	a, b := e.a, e.b
	if e.rng {
		a = fillFrom(a, b)
	}
	start, inferred, ok := a.resolve(anchor, ref)
	if !ok {
		return Date{}, false
	}
	d := Date{Start: start, Grain: a.grain(), Open: e.open, YearInferred: inferred,
		zone: a.zone.location(), clockFirst: a.clockFirst, deictic: a.rel}
	if e.rng {
		// The end's time of day, if any, is kept apart: End stays the
		// start of the range's last unit, at the range's grain.
		clock := b.clock
		b.clock = false
		end, _, ok := b.resolve(start, ref)
		if ok && end.After(start) {
			d.End = end
			if clock {
				b.clock = true
				if at, _, ok := b.resolve(start, ref); ok {
					d.endAt, d.zone = at, b.zone.location()
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
		a.y, a.y2 = b.fullYear(), false
		if a.m > b.m || (a.m == b.m && a.d > bd) {
			a.y--
		}
	}
	return a
}

// resolve returns the first instant of the point, the first match at or
// after anchor when the year is missing.
func (pt point) resolve(anchor, ref time.Time) (t time.Time, inferred, ok bool) {
	loc := ref.Location()
	date := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc) }
	from := date(anchor.Year(), int(anchor.Month()), anchor.Day())
	switch {
	case pt.rel:
		t = date(ref.Year(), int(ref.Month()), ref.Day())
	case pt.yearOnly:
		t = date(pt.y, 1, 1)
	case pt.y != 0 && pt.monthOnly():
		t = date(pt.fullYear(), pt.m, 1)
	case pt.y != 0:
		y := pt.fullYear()
		d := pt.dayIn(y)
		if d == 0 {
			return t, false, false
		}
		t = date(y, pt.m, d)
	case pt.monthOnly():
		inferred = true
		y := anchor.Year()
		if time.Month(pt.m) < anchor.Month() {
			y++
		}
		t = date(y, pt.m, 1)
	case pt.m != 0:
		inferred = true
		found := false
		for y := anchor.Year(); y < anchor.Year()+9 && !found; y++ {
			if d := pt.dayIn(y); d != 0 {
				if c := date(y, pt.m, d); !c.Before(from) {
					t, found = c, true
				}
			}
		}
		if !found {
			return t, false, false
		}
		// A written weekday that does not match may settle the year:
		// "lundi 3 mars" is in the next year that has a Monday 3 March.
		if pt.wd != 0 && weekdayNum(t) != pt.wd {
			if c := date(t.Year()+1, pt.m, pt.d); pt.dayIn(t.Year()+1) != 0 && weekdayNum(c) == pt.wd {
				t = c
			}
		}
	case pt.d != 0:
		inferred = true
		found := false
		y, m := anchor.Year(), int(anchor.Month())
		for n := 0; n < 400 && !found; n++ {
			if pt.d <= daysIn(y, m) {
				c := date(y, m, pt.d)
				if !c.Before(from) && (pt.wd == 0 || weekdayNum(c) == pt.wd) {
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
		t = date(t.Year(), int(t.Month()), t.Day()+pt.shift)
	}
	if pt.clock {
		zl := pt.zone.location()
		if zl == nil {
			zl = loc
		}
		t = time.Date(t.Year(), t.Month(), t.Day(), pt.hh, pt.mm, 0, 0, zl).In(loc)
	}
	return t, inferred, true
}

// dayIn returns the point's day in month pt.m of year y, 0 if none.
func (pt point) dayIn(y int) int {
	n := daysIn(y, pt.m)
	if pt.last {
		return n
	}
	if pt.d > n {
		return 0
	}
	return pt.d
}

// weekdayNum numbers weekdays 1 (Monday) … 7 (Sunday).
func weekdayNum(t time.Time) int {
	if wd := int(t.Weekday()); wd != 0 {
		return wd
	}
	return 7
}
