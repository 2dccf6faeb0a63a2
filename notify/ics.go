package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The calendar half of notify: iCalendar (RFC 5545) objects for the .ics
// attached to each reminder and for a student's private feed. Both write
// the same events, so a calendar that holds the feed and also imports an
// attachment sees one event per offer (same UID), updated when its
// SEQUENCE goes up.

// Feed returns a student's calendar feed: one all-day event per offer in
// items that has a deadline, stamped now, in lang ("fr" or "en"). It is
// meant to be served as text/calendar; charset=utf-8.
func (m *Mailer) Feed(subscriberID int64, lang string, items []Item, now time.Time) []byte {
	if lang != "en" {
		lang = "fr"
	}
	visible := make([]Item, len(items))
	for i, it := range items {
		visible[i] = visibleItem(it)
	}
	items = visible
	head := []string{"X-WR-CALNAME:" + icsText("echeance"),
		"NAME:" + icsText("echeance"),
		"REFRESH-INTERVAL;VALUE=DURATION:PT6H",
		"X-PUBLISHED-TTL:PT6H"}
	if lang == "en" {
		head = append(head, "X-WR-CALDESC:"+icsText("Your application deadlines"),
			"DESCRIPTION:"+icsText("Your application deadlines"))
	} else {
		head = append(head, "X-WR-CALDESC:"+icsText("Vos dates limites de candidature"),
			"DESCRIPTION:"+icsText("Vos dates limites de candidature"))
	}
	return m.calendar(subscriberID, lang, items, now, head)
}

// calendar writes a VCALENDAR with one VEVENT per item that has a deadline,
// and a VTIMEZONE for m.loc when an event names a time of day. It returns
// nil when no item has a deadline and head is empty: a VCALENDAR must hold
// at least one component.
func (m *Mailer) calendar(subscriberID int64, lang string, items []Item, now time.Time, head []string) []byte {
	var events [][]string
	var years []int
	for _, it := range items {
		ev, closes := m.event(subscriberID, lang, it, now)
		if ev == nil {
			continue
		}
		events = append(events, ev)
		if !closes.IsZero() {
			years = append(years, closes.Year())
		}
	}
	if len(events) == 0 && head == nil {
		return nil
	}
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//echeance//echeance reminders//EN", "CALSCALE:GREGORIAN"}
	lines = append(lines, head...)
	if len(years) > 0 {
		lines = append(lines, vtimezone(m.loc, years)...)
	}
	for _, ev := range events {
		lines = append(lines, ev...)
	}
	lines = append(lines, "END:VCALENDAR")
	var b strings.Builder
	for _, l := range lines {
		fold(&b, l)
	}
	return []byte(b.String())
}

// event writes one offer as an all-day VEVENT on its last day to apply,
// nil when the offer has no deadline. closes is the closing instant when it
// has a time of day worth saying, else zero.
func (m *Mailer) event(subscriberID int64, lang string, it Item, now time.Time) (ev []string, closes time.Time) {
	if it.DeadlineAt.IsZero() {
		return nil, time.Time{}
	}
	last := lastDay(it, m.loc)
	if hasTimeOfDay(it.DeadlineAt, m.loc) {
		closes = it.DeadlineAt.In(m.loc)
	}
	title, org := orDash(it.Title, lang), orDash(it.Organisation, lang)
	var summary, alarm string
	var desc []string
	if lang == "en" {
		summary = fmt.Sprintf("Apply: %s (%s)", title, org)
		alarm = "Tomorrow is the last day to apply: " + title
		if it.Phrase != "" {
			desc = append(desc, "The offer says: "+it.Phrase)
		}
		desc = append(desc, "Last day to apply: "+LongDate(last, lang))
		if !closes.IsZero() {
			summary += ", before " + closes.Format("15:04")
			desc = append(desc, fmt.Sprintf("Applications close at %s (%s time).", closes.Format("15:04"), zoneCity(m.loc)))
		}
		if it.Estimated {
			summary += ", estimated date"
			desc = append(desc, "The offer states no deadline: this date is an estimate.")
		}
		if len(it.Contacts) > 0 {
			desc = append(desc, "Apply to: "+strings.Join(it.Contacts, ", "))
		}
		if l := offerLink(it); l != "" {
			desc = append(desc, "Offer: "+l)
		}
	} else {
		summary = fmt.Sprintf("Candidature : %s (%s)", title, org)
		alarm = "Demain, dernier jour pour postuler : " + title
		if it.Phrase != "" {
			desc = append(desc, "Date limite : "+it.Phrase)
		}
		desc = append(desc, "Dernier jour pour postuler : "+LongDate(last, lang))
		if !closes.IsZero() {
			summary += ", avant " + closes.Format("15:04")
			desc = append(desc, fmt.Sprintf("Les candidatures ferment à %s (heure de %s).", closes.Format("15:04"), zoneCity(m.loc)))
		}
		if it.Estimated {
			summary += ", date estimée"
			desc = append(desc, "L'offre n'indique pas de date limite : cette date est une estimation.")
		}
		if len(it.Contacts) > 0 {
			desc = append(desc, "Candidature à : "+strings.Join(it.Contacts, ", "))
		}
		if l := offerLink(it); l != "" {
			desc = append(desc, "Offre : "+l)
		}
	}

	ev = []string{"BEGIN:VEVENT",
		"UID:" + m.eventUID(subscriberID, it),
		"DTSTAMP:" + now.UTC().Format("20060102T150405Z"),
		"SEQUENCE:" + fmt.Sprint(max(it.Revision, 0)),
		"DTSTART;VALUE=DATE:" + last.Format("20060102"),
		"DTEND;VALUE=DATE:" + last.AddDate(0, 0, 1).Format("20060102"),
		"SUMMARY:" + icsText(summary),
		"DESCRIPTION:" + icsText(strings.Join(desc, "\n")),
		"TRANSP:TRANSPARENT",
	}
	if l := offerLink(it); l != "" {
		// A URI value is not TEXT: it is written as is, which offerLink
		// allows only for a well-formed http(s) URL without spaces or
		// control characters.
		ev = append(ev, "URL:"+l)
	}
	if !closes.IsZero() {
		// The closing instant, machine-readable, in the zone described by
		// the VTIMEZONE; the event itself stays all-day.
		ev = append(ev, fmt.Sprintf("X-ECHEANCE-CLOSES;VALUE=DATE-TIME;TZID=%s:%s", m.loc, closes.Format("20060102T150405")))
	}
	ev = append(ev,
		"BEGIN:VALARM", "ACTION:DISPLAY",
		"DESCRIPTION:"+icsText(alarm),
		// The start of an all-day event is midnight local time: 15 hours
		// before is 09:00 the day before.
		"TRIGGER:-PT15H",
		"END:VALARM",
		"END:VEVENT")
	return ev, closes
}

// eventUID is stable for a student and an offer, so a new attachment or a
// feed refresh updates the event instead of adding one.
func (m *Mailer) eventUID(subscriberID int64, it Item) string {
	domain := m.domain()
	if it.OfferID != 0 {
		return fmt.Sprintf("offer-%d-%d@%s", it.OfferID, subscriberID, domain)
	}
	// Without an offer id, the title and organisation name the offer.
	h := sha256.Sum256([]byte(it.Title + "\x00" + it.Organisation))
	return fmt.Sprintf("offer-%s-%d@%s", hex.EncodeToString(h[:8]), subscriberID, domain)
}

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

// icsText escapes s as an iCalendar TEXT value: backslash, semicolon and
// comma are escaped, any line break becomes \n, and other control
// characters (which TEXT may not hold) become spaces.
func icsText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\u0085", "\n").Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fold writes one content line, folded so that no line is longer than 75
// octets (RFC 5545, 3.1), never inside a UTF-8 sequence, ending in CRLF.
func fold(b *strings.Builder, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// vtimezone describes loc for the given years (and the one before, so a
// yearly rule's first onset comes before any date used). When the
// transitions follow an "nth weekday of the month" rule, as in Europe/Paris
// (last Sunday of March and of October), they are written as yearly
// RRULEs; otherwise each onset is listed.
func vtimezone(loc *time.Location, years []int) []string {
	first, last := years[0], years[0]
	for _, y := range years {
		first, last = min(first, y), max(last, y)
	}
	var onsets []onset
	for y := first - 1; y <= last+1; y++ {
		onsets = append(onsets, transitions(loc, y)...)
	}
	lines := []string{"BEGIN:VTIMEZONE", "TZID:" + loc.String()}
	if len(onsets) == 0 {
		// No change in those years: one standard observance.
		t := time.Date(first-1, 1, 1, 0, 0, 0, 0, loc)
		name, off := t.Zone()
		lines = append(lines, "BEGIN:STANDARD", "DTSTART:"+t.Format("20060102T150405"),
			"TZOFFSETFROM:"+icsOffset(off), "TZOFFSETTO:"+icsOffset(off), "TZNAME:"+icsText(name), "END:STANDARD")
		return append(lines, "END:VTIMEZONE")
	}
	if rules, ok := yearlyRules(onsets); ok {
		for _, o := range rules {
			lines = append(lines, o.lines(o.rrule)...)
		}
	} else {
		for _, o := range onsets {
			lines = append(lines, o.lines("")...)
		}
	}
	return append(lines, "END:VTIMEZONE")
}

// onset is one change of UTC offset.
type onset struct {
	at       time.Time // the instant of the change, in the new zone
	from, to int       // offsets in seconds east of UTC
	name     string
	dst      bool
	rrule    string
}

func (o onset) lines(rrule string) []string {
	kind := "STANDARD"
	if o.dst {
		kind = "DAYLIGHT"
	}
	// DTSTART is the wall-clock time just before the change (RFC 5545,
	// 3.6.5): 02:00 in spring, 03:00 in autumn for Europe/Paris.
	local := o.at.UTC().Add(time.Duration(o.from) * time.Second)
	l := []string{"BEGIN:" + kind, "DTSTART:" + local.Format("20060102T150405")}
	if rrule != "" {
		l = append(l, "RRULE:"+rrule)
	}
	return append(l, "TZOFFSETFROM:"+icsOffset(o.from), "TZOFFSETTO:"+icsOffset(o.to),
		"TZNAME:"+icsText(o.name), "END:"+kind)
}

// transitions finds the changes of offset in loc during year.
func transitions(loc *time.Location, year int) []onset {
	var out []onset
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	for {
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			return out
		}
		_, from := next.Add(-time.Second).Zone()
		name, to := next.Zone()
		out = append(out, onset{at: next, from: from, to: to, name: name, dst: next.IsDST()})
		t = next
	}
}

// yearlyRules returns one onset per kind of change with its RRULE, when
// every year's change falls on the same nth (or last) weekday of the same
// month at the same time.
func yearlyRules(onsets []onset) ([]onset, bool) {
	byKey := map[string]*onset{}
	var order []string
	for _, o := range onsets {
		local := o.at.UTC().Add(time.Duration(o.from) * time.Second)
		n := (local.Day()-1)/7 + 1
		if local.AddDate(0, 0, 7).Month() != local.Month() {
			n = -1
		}
		days := [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
		rule := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", local.Month(), n, days[local.Weekday()])
		key := fmt.Sprintf("%v/%d/%d/%s", o.dst, o.from, o.to, local.Format("15:04:05"))
		if prev, ok := byKey[key]; ok {
			if prev.rrule != rule {
				return nil, false
			}
			continue
		}
		o.rrule = rule
		byKey[key] = &o
		order = append(order, key)
	}
	// Each kind must recur every year of the span.
	years := onsets[len(onsets)-1].at.Year() - onsets[0].at.Year() + 1
	if len(onsets) != years*len(order) {
		return nil, false
	}
	out := make([]onset, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out, true
}

func icsOffset(secs int) string {
	sign := '+'
	if secs < 0 {
		sign, secs = '-', -secs
	}
	s := fmt.Sprintf("%c%02d%02d", sign, secs/3600, secs/60%60)
	if secs%60 != 0 {
		s += fmt.Sprintf("%02d", secs%60)
	}
	return s
}
