package notify

import (
	"strings"
	"time"
)

// The dates of a message, computed once in the configured zone; every
// message part (text, HTML, calendar) reads them from here.

// lastDay is the item's last day to apply, at midnight in loc.
func lastDay(it Item, loc *time.Location) time.Time {
	if d, err := time.ParseInLocation("2006-01-02", it.LastDay, loc); err == nil {
		return d
	}
	y, mo, d := it.DeadlineAt.In(loc).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, loc)
}

// hasTimeOfDay reports whether applications close at a stated time rather
// than at a day's edge (midnight, or the last second of a day).
func hasTimeOfDay(t time.Time, loc *time.Location) bool {
	if t.IsZero() {
		return false
	}
	h, mi, s := t.In(loc).Clock()
	secs := h*3600 + mi*60 + s
	return secs != 0 && secs != 24*3600-1
}

// daysBetween counts calendar days from a's date to b's date in loc, so a
// daylight saving change never adds or loses a day.
func daysBetween(a, b time.Time, loc *time.Location) int {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	da := time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// day reads YYYY-MM-DD in loc; ok is false for anything else.
func day(s string, loc *time.Location) (time.Time, bool) {
	d, err := time.ParseInLocation("2006-01-02", s, loc)
	return d, err == nil
}

// zoneCity names a zone the way people do: "Paris" for Europe/Paris.
func zoneCity(loc *time.Location) string {
	name := loc.String()
	name = name[strings.LastIndexByte(name, '/')+1:]
	return strings.ReplaceAll(name, "_", " ")
}
