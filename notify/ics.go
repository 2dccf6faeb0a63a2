package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/echeance/echeance/catalog"
)

// The calendar half of notify: iCalendar (RFC 5545) objects for the .ics
// attached to each reminder and for a student's private feed. Both write
// the same events, so a calendar that holds the feed and also imports an
// attachment sees one event per offer (same UID), updated when its
// SEQUENCE goes up.

// Feed returns a student's calendar feed: one all-day event per offer in
// items that has a deadline, stamped now, in lang. It is meant to be
// served as text/calendar; charset=utf-8.
func (m *Mailer) Feed(subscriberID int64, lang string, items []Item, now time.Time) []byte {
	l := m.cat.Lang(lang)
	visible := make([]Item, len(items))
	for i, it := range items {
		visible[i] = visibleItem(it)
	}
	name := m.site.Name
	if name == "" {
		name = l.T("calendar_name_anonymous")
	}
	head := []string{"X-WR-CALNAME:" + icsText(name), "NAME:" + icsText(name),
		"X-WR-CALDESC:" + icsText(l.T("calendar_description")), "DESCRIPTION:" + icsText(l.T("calendar_description")),
		"REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H"}
	return []byte(m.calendar(subscriberID, lang, visible, nil, now, head))
}

// calendar writes a VCALENDAR with one VEVENT per item that has a deadline,
// and a VTIMEZONE for m.loc when an event names a time of day. It returns
// "" when no item has a deadline and head is empty: a VCALENDAR must hold
// at least one component. views are the items' words when the caller has
// them already (m.item of each item, in lang, at now), else nil.
func (m *Mailer) calendar(subscriberID int64, lang string, items []Item, views []itemView, now time.Time, head []string) string {
	l := m.cat.Lang(lang)
	var events [][]string
	var years []int
	for i, it := range items {
		var iv *itemView
		if views != nil {
			iv = &views[i]
		}
		ev, closes := m.event(subscriberID, l, it, iv, now)
		if ev == nil {
			continue
		}
		events = append(events, ev)
		if !closes.IsZero() {
			years = append(years, closes.Year())
		}
	}
	if len(events) == 0 && head == nil {
		return ""
	}
	// METHOD:PUBLISH: entries to add, not an invitation to answer.
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//echeance//echeance reminders//EN", "CALSCALE:GREGORIAN",
		"METHOD:PUBLISH"}
	lines = append(lines, head...)
	if len(years) > 0 {
		lines = append(lines, m.zones.lines(m.loc, years)...)
	}
	for _, ev := range events {
		lines = append(lines, ev...)
	}
	lines = append(lines, "END:VCALENDAR")
	n := 0
	for _, line := range lines {
		n += len(line) + len(line)/74*3 + 2
	}
	var b strings.Builder
	b.Grow(n)
	for _, line := range lines {
		fold(&b, line)
	}
	return b.String()
}

// event writes one offer as an all-day VEVENT on its last day to apply,
// nil when the offer has no deadline. closes is the closing instant when it
// has a time of day worth saying, else zero. iv is the offer's words, nil
// to write them here.
func (m *Mailer) event(subscriberID int64, l *catalog.Lang, it Item, iv *itemView, now time.Time) (ev []string, closes time.Time) {
	if it.DeadlineAt.IsZero() {
		return nil, time.Time{}
	}
	if iv == nil {
		v := m.item(l, it, now)
		iv = &v
	}
	last := lastDay(it, m.loc)
	if hasTimeOfDay(it.DeadlineAt, m.loc) {
		closes = it.DeadlineAt.In(m.loc)
	}
	summary := l.T("calendar_summary", "title", iv.Title, "organisation", iv.Organisation)
	switch {
	case it.Estimated:
		summary = l.T("calendar_summary_estimated", "title", iv.Title, "organisation", iv.Organisation)
	case !closes.IsZero():
		summary = l.T("calendar_summary_closes", "title", iv.Title, "organisation", iv.Organisation, "time", l.Time(closes))
	}
	if strings.TrimSpace(it.Organisation) == "" {
		// No "(non précisée)" in a calendar title: it names the offer.
		summary = strings.Replace(summary, " ("+iv.Organisation+")", "", 1)
	}
	line := func(label, value string) string { return l.T("line", "label", l.T(label), "value", value) }
	var desc []string
	if iv.OfferSays != "" {
		desc = append(desc, line("label_offer_says", iv.OfferSays))
	}
	desc = append(desc, line("label_last_day", iv.LastDay))
	if !closes.IsZero() {
		desc = append(desc, l.T("calendar_closes", "time", l.Time(closes), "city", zoneCity(m.loc)))
	}
	if iv.EstimateNote != "" {
		desc = append(desc, iv.EstimateNote)
	}
	if len(it.Contacts) > 0 {
		desc = append(desc, line("label_apply_to", strings.Join(it.Contacts, l.T("list_separator"))))
	}
	if iv.Link != "" {
		desc = append(desc, line("label_offer", iv.Link))
	}

	ev = []string{"BEGIN:VEVENT",
		"UID:" + m.eventUID(subscriberID, it),
		"DTSTAMP:" + now.UTC().Format("20060102T150405Z"),
		"SEQUENCE:" + strconv.Itoa(max(it.Revision, 0)),
		"DTSTART;VALUE=DATE:" + last.Format("20060102"),
		"DTEND;VALUE=DATE:" + last.AddDate(0, 0, 1).Format("20060102"),
		"SUMMARY:" + icsText(summary),
		"DESCRIPTION:" + icsText(strings.Join(desc, "\n")),
		"TRANSP:TRANSPARENT",
	}
	if iv.Link != "" {
		// A URI value is not TEXT: it is written as is, which offerLink
		// allows only for a well-formed http(s) URL without spaces or
		// control characters.
		ev = append(ev, "URL:"+iv.Link)
	}
	if !closes.IsZero() {
		// The closing instant, machine-readable, in the zone described by
		// the VTIMEZONE; the event itself stays all-day.
		ev = append(ev, "X-ECHEANCE-CLOSES;VALUE=DATE-TIME;TZID="+m.loc.String()+":"+closes.Format("20060102T150405"))
	}
	if trigger, today, ok := alarm(last, closes, now, m.loc); ok {
		text := l.T("alarm_tomorrow", "title", iv.Title)
		if today {
			text = l.T("alarm_today", "title", iv.Title)
		}
		ev = append(ev, "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:"+icsText(text), "TRIGGER:"+trigger, "END:VALARM")
	}
	ev = append(ev, "END:VEVENT")
	return ev, closes
}

// alarm picks the first reminder still ahead of now: 09:00 the day before
// the last day, else 09:00 on the last day, else an hour before closing.
// The trigger is relative to the all-day event's start (midnight of the
// last day), which calendar clients keep; ok is false when every moment
// has passed.
func alarm(last, closes, now time.Time, loc *time.Location) (trigger string, today, ok bool) {
	y, mo, d := last.Date()
	start := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	dayBefore := time.Date(y, mo, d-1, 9, 0, 0, 0, loc)
	if now.Before(dayBefore) {
		return "-PT" + strconv.Itoa(int(start.Sub(dayBefore).Hours()+0.5)) + "H", false, true
	}
	morning := time.Date(y, mo, d, 9, 0, 0, 0, loc)
	if now.Before(morning) && (closes.IsZero() || morning.Before(closes)) {
		return "PT9H", true, true
	}
	if !closes.IsZero() {
		hourBefore := closes.Add(-time.Hour)
		if now.Before(hourBefore) && !hourBefore.Before(start) {
			return "PT" + strconv.Itoa(int(hourBefore.Sub(start).Minutes())) + "M", true, true
		}
	}
	return "", false, false
}

// eventUID is stable for a student and an offer, so a new attachment or a
// feed refresh updates the event instead of adding one.
func (m *Mailer) eventUID(subscriberID int64, it Item) string {
	domain := m.domain()
	if it.OfferID != 0 {
		return "offer-" + strconv.FormatInt(it.OfferID, 10) + "-" + strconv.FormatInt(subscriberID, 10) + "@" + domain
	}
	// Without an offer id, the title and organisation name the offer.
	h := sha256.Sum256([]byte(it.Title + "\x00" + it.Organisation))
	return "offer-" + hex.EncodeToString(h[:8]) + "-" + strconv.FormatInt(subscriberID, 10) + "@" + domain
}

// icsText escapes s as an iCalendar TEXT value: backslash, semicolon and
// comma are escaped, any line break becomes \n, and other control
// characters (which TEXT may not hold) become spaces.
func icsText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// CRLF is one line break; the LF writes it.
		case r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			b.WriteString(`\n`)
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

// zoneCache keeps the VTIMEZONE written for a span of years: every
// reminder of a morning's run closes in the same year or two, and working
// out the zone's rules (its transitions, their yearly pattern) cost as
// much as the rest of the calendar.
type zoneCache struct {
	mu    sync.Mutex
	spans map[[2]int][]string
}

// lines returns vtimezone(loc, years), written once per span of years (all
// vtimezone reads of years); loc is the same on every call.
func (z *zoneCache) lines(loc *time.Location, years []int) []string {
	first, last := years[0], years[0]
	for _, y := range years {
		first, last = min(first, y), max(last, y)
	}
	key := [2]int{first, last}
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.spans == nil {
		z.spans = map[[2]int][]string{}
	}
	l, ok := z.spans[key]
	if !ok {
		l = vtimezone(loc, years)
		z.spans[key] = l
	}
	return l
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
