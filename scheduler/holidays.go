package scheduler

import "time"

// easter returns Easter Sunday of year (Gregorian calendar), by the
// anonymous Gregorian computus.
func easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// frenchHoliday reports whether the date is a public holiday in
// metropolitan France.
func frenchHoliday(y int, m time.Month, d int) bool {
	switch {
	case m == time.January && d == 1, m == time.May && (d == 1 || d == 8), m == time.July && d == 14,
		m == time.August && d == 15, m == time.November && (d == 1 || d == 11), m == time.December && d == 25:
		return true
	}
	em, ed := easter(y)
	day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	sunday := time.Date(y, em, ed, 12, 0, 0, 0, time.UTC)
	switch int(day.Sub(sunday).Hours() / 24) {
	case 1, 39, 50: // Easter Monday, Ascension, Whit Monday
		return true
	}
	return false
}

// businessDay reports whether the date is a working day: not a weekend,
// not a French public holiday.
func businessDay(y int, m time.Month, d int) bool {
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !frenchHoliday(y, m, d)
}

// businessDaysBefore returns the date n business days before y-m-d; 0 is
// the day itself, whatever it is.
func businessDaysBefore(y int, m time.Month, d, n int) (int, time.Month, int) {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	for n > 0 {
		t = t.AddDate(0, 0, -1)
		if businessDay(t.Date()) {
			n--
		}
	}
	return t.Date()
}
