package deadline

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/text"
)

// rollingPhrases say that applications are read as they come until the
// place is taken: such an offer has no deadline to estimate.
var rollingPhrases = newPhraseSet(0,
	"rolling basis", "on a rolling", "until the position is filled", "until the role is filled",
	"until filled", "until the post is filled", "au fil de l'eau", "au fil des candidatures",
	"jusqu'à ce que le poste soit pourvu", "jusqu'au recrutement", "dès réception des candidatures",
	// A deadline stated without a date: an estimate from the start would
	// fall after it.
	"avant les congés", "avant les vacances", "avant les fêtes",
)

// moment describes the instant t of date d at d's grain (a day at most).
func moment(d dates.Date, t time.Time) *Moment {
	g := d.Grain
	if g < dates.GrainDay {
		g = dates.GrainDay
	}
	return &Moment{Text: d.Text, Date: dates.Format(t, g), Grain: g.String()}
}

// explicitDeadline reads the deadline c's cue states.
func (dc *doc) explicitDeadline(c *candidate, loc *time.Location) Deadline {
	txt := dc.txt
	d := *c.date
	dl := Deadline{Kind: KindExplicit}
	from := d.Pos
	if c.cueStart >= 0 {
		from = c.cueStart
	}
	dl.Phrase, dl.Label = dc.phraseAndLabel(from, d, c.stated)
	// The date and time are reported as written, in the zone the text
	// states if any; DueAt is the instant, in loc.
	zl := loc
	if d.Zone != nil {
		zl = d.Zone
	}
	w := d.Start.In(zl)
	timed := d.Grain <= dates.GrainHour
	if !d.EndAt.IsZero() {
		// "from 5 to 30 January at 12:00": the range closes at its time.
		w, timed = d.EndAt.In(zl), true
	}
	day := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, zl)
	midnight := timed && w.Hour() == 0 && w.Minute() == 0
	// "avant le 30 novembre inclus" and "avant fin novembre" include the
	// day or the part of the month they name.
	before := c.dayBefore && !inclusiveAfter(txt[d.EndPos:]) && !endsMonth(d, loc)
	var due time.Time
	switch {
	case midnight && before && !d.ClockFirst:
		// "avant le 15 janvier à minuit": the 15th at 00:00, so the 14th
		// is the last day.
		due = day
		dl.Time = "00:00"
		dl.Date = dates.Format(day, dates.GrainDay)
		dl.LastDay = dates.Format(day.AddDate(0, 0, -1), dates.GrainDay)
	case midnight:
		// "jusqu'au 15 janvier minuit", "before midnight on 15 January":
		// the midnight that ends the day.
		due = time.Date(w.Year(), w.Month(), w.Day(), 23, 59, 59, 0, zl)
		dl.Date = dates.Format(day, dates.GrainDay)
		dl.LastDay = dl.Date
	case timed:
		// A stated time wins: "avant le 15 mars à 12h".
		due = w
		dl.Time = w.Format("15:04")
		dl.Date = dates.Format(day, dates.GrainDay)
		dl.LastDay = dl.Date
	case before:
		// "avant le D": D at midnight; the last day is the day before.
		due = day
		dl.Date = dates.Format(day, dates.GrainDay)
		dl.LastDay = dates.Format(day.AddDate(0, 0, -1), dates.GrainDay)
	default:
		// "jusqu'au D", "date limite : D": all of D, and all of the last
		// month or year of a coarser date ("jusqu'en mars 2026").
		last := lastDay(d, loc)
		due = time.Date(last.Year(), last.Month(), last.Day(), 23, 59, 59, 0, loc)
		dl.Date = dates.Format(last, dates.GrainDay)
		dl.LastDay = dl.Date
	}
	due = due.In(loc)
	dl.DueAt = &due
	return dl
}

// keptCueEnds are the last words of a stated cue that the student needs
// with the date: "no later than 3 November", "apply by 5 May".
var keptCueEnds = map[string]bool{"than": true, "by": true, "before": true, "until": true, "till": true}

// phraseAndLabel returns the words that state the deadline at date d, its
// cue starting at from: the expression a student needs ("30/10/2025",
// "avant le 31 octobre 2025 à 12h"), and apart from it the label it was
// read after ("Date limite de candidature"), "" when none. stated is set
// when the cue is a label that states a deadline by itself.
func (dc *doc) phraseAndLabel(from int, d dates.Date, stated bool) (phrase, label string) {
	txt := dc.txt
	if from >= d.Pos {
		return oneLine(txt[from:d.EndPos]), ""
	}
	// The nearest weak cue between the label and the date stays with the
	// date: "Date limite : avant le 15 mars". at is relative to from.
	ts, base := dc.tokens(from, d.Pos)
	base -= from
	at := -1
	eachCue(ts, func(ci, i int) {
		cu := cues[ci]
		switch {
		case cu.role != RoleDeadline:
		case cu.kind == kindWeak || cu.kind == kindUntil:
		case cu.kind == kindStated && keptCueEnds[cu.words[len(cu.words)-1]]:
		default:
			return
		}
		if i+len(cu.words) <= ts.Len() && onlyGap(ts.Window(i+len(cu.words), ts.Len())) {
			if p := int(ts.At(i).Pos) + base; at < 0 || p < at {
				at = p
			}
		}
	})
	start := d.Pos
	switch {
	case at >= 0:
		start = from + at
	case !stated:
		return oneLine(txt[from:d.EndPos]), ""
	}
	label = strings.Trim(oneLine(txt[from:start]), " :-–|*_#>")
	// "nouvelle date limite le": the small words before the date are not
	// the label's.
	for {
		i := strings.LastIndexByte(label, ' ')
		if i < 0 || !gapWords[text.Fold(label[i+1:])] {
			break
		}
		label = strings.TrimRight(label[:i], " :-–")
	}
	return oneLine(txt[start:d.EndPos]), label
}

// oneLine returns s with its runs of white space made one space, and
// none at its ends: strings.Fields joined, without splitting a phrase
// that is already so, as most are, and in one allocation when one is
// not. TestOneLine compares it with strings.Fields.
func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// An accented letter leaves the phrase as it is; a Unicode
			// space does not.
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return squeeze(s)
			}
			i += n - 1
			continue
		}
		if c < ' ' || c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			// Control bytes and spaces to squeeze.
			return squeeze(s)
		}
	}
	return s
}

// squeeze returns strings.Join(strings.Fields(s), " "), built in one
// slice rather than a slice of fields and their join.
func squeeze(s string) string {
	var arr [128]byte
	b := arr[:0]
	field := false
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			field = false
		} else {
			if !field && len(b) > 0 {
				b = append(b, ' ')
			}
			field = true
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// inclusiveWords, after a date, include its day in "avant le D".
var inclusiveWords = []string{"inclus", "inclusivement", "compris", "y compris", "included", "inclusive"}

// inclusiveAfter reports whether rest, the text after a date, starts by
// saying that the date is included: "avant le 2 février (inclus)".
func inclusiveAfter(rest string) bool {
	rest = rest[:min(len(rest), 40)]
	rest = strings.TrimLeft(rest, " ,(")
	rest = strings.ToLower(rest)
	for _, w := range inclusiveWords {
		if after, ok := strings.CutPrefix(rest, w); ok {
			if after == "" || !isLetterByte(after[0]) {
				return true
			}
		}
	}
	return false
}

func isLetterByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= 0x80 }

// endsMonth reports whether d is the end part of a month ("fin
// novembre"), which "avant" includes: "avant fin novembre" gives until 30
// November.
func endsMonth(d dates.Date, loc *time.Location) bool {
	if d.End.IsZero() || d.Grain != dates.GrainDay {
		return false
	}
	s, e := d.Start.In(loc), d.End.In(loc)
	return s.Day() > 1 && s.Month() == e.Month() && e.AddDate(0, 0, 1).Day() == 1
}

// lastDay returns the last day a date covers.
func lastDay(d dates.Date, loc *time.Location) time.Time {
	t := d.Start.In(loc)
	if !d.End.IsZero() {
		t = d.End.In(loc)
	}
	switch d.Grain {
	case dates.GrainMonth:
		return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, loc)
	case dates.GrainYear:
		return time.Date(t.Year(), 12, 31, 0, 0, 0, 0, loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// estimate derives a deadline when none is stated: the day before the
// interviews, else the start less opts.EstimateLead.
func estimate(cs []candidate, period *dates.Date, opts Options) Deadline {
	loc := opts.Location
	var interview, start *dates.Date
	interviewPast := false
	today := time.Date(opts.Now.Year(), opts.Now.Month(), opts.Now.Day(), 0, 0, 0, 0, loc)
	for _, c := range cs {
		d := c.date
		switch c.role {
		case RoleInterview:
			// The earliest interview still to come: past juries ("les
			// jurys de juin") say nothing of this recruitment's
			// interviews when later ones are stated.
			past := lastDay(*d, loc).Before(today)
			switch {
			case interview == nil, interviewPast && !past:
				interview, interviewPast = d, past
			case past == interviewPast && d.Start.Before(interview.Start):
				interview = d
			}
		case RoleStart:
			if start == nil {
				start = d
			}
		}
	}
	if start == nil {
		start = period
	}
	var day time.Time
	var basis, reason string
	switch {
	case interview != nil:
		t := interview.Start.In(loc)
		day, basis, reason = time.Date(t.Year(), t.Month(), t.Day()-1, 0, 0, 0, 0, loc), "interview", "estimate:interview"
	case start != nil:
		t := start.Start.In(loc)
		// Whole days, so that a change of clocks never moves the day.
		lead := int(opts.EstimateLead / (24 * time.Hour))
		day, basis, reason = time.Date(t.Year(), t.Month(), t.Day()-lead, 0, 0, 0, 0, loc), "start", "estimate:start"
	default:
		return Deadline{Kind: KindNone}
	}
	due := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, loc)
	date := dates.Format(day, dates.GrainDay)
	return Deadline{
		Kind:    KindEstimated,
		Date:    date,
		LastDay: date,
		DueAt:   &due,
		Basis:   basis,
		Reasons: []string{reason},
	}
}

// validThrough reads a schema.org validThrough, "2026-01-31" or
// "2026-01-31T17:00:00+01:00", as a deadline: all of the day, or until its
// time; an instant at midnight is a date.
func validThrough(s string, loc *time.Location) (Deadline, bool) {
	dl := Deadline{Kind: KindExplicit, Phrase: s, Label: "validThrough", Reasons: []string{"cue:valid-through"}}
	var due time.Time
	if t, err := time.Parse(time.RFC3339, s); err == nil && t.Format("15:04:05") != "00:00:00" {
		due = t.In(loc)
		dl.Time = due.Format("15:04")
	} else if t, err := time.ParseInLocation("2006-01-02", s[:min(len(s), 10)], loc); err == nil && (len(s) == 10 || s[10] == 'T') {
		due = time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, loc)
	} else {
		return Deadline{}, false
	}
	dl.Date = dates.Format(due, dates.GrainDay)
	dl.LastDay = dl.Date
	dl.DueAt = &due
	return dl, true
}

// noneWords, right after a deadline's label, say that the offer states
// none: "Date limite : non communiquée".
var noneWords = newPhraseSet(0, "non communiquée", "non communiqué", "non précisée", "non précisé", "non définie",
	"non fixée", "nc", "n/c", "not specified", "tbc", "tbd", "none", "aucune")

// noneSentences say by themselves that there is no deadline.
var noneSentences = newPhraseSet(0, "pas de date limite", "aucune date limite", "sans date limite", "no deadline",
	"no closing date", "no application deadline")

// unstatedFirst are the first words of rollingPhrases, noneSentences and
// noneWords, which unstated looks for in one pass.
var unstatedFirst = rollingPhrases.first.union(noneSentences.first, noneWords.first)

// unstated returns why a text in which no cue states a deadline has none
// to estimate either: "rolling" when it says applications are read as
// they come (rollingPhrases, anywhere), else "none-stated" when it says it
// has no deadline ("pas de date limite", or a deadline's label followed by
// "non communiquée"), else "". The phrases are read as tokens, so they may
// wrap over a line ("will continue until the\nposition is filled"); the
// tokens are read once for all three lists.
func (dc *doc) unstated() string {
	why := ""
	// The loop reads every token of the text and keeps nothing but its
	// index in registers; the few words that may start a phrase are read
	// in a call of their own.
	for k, n := 0, dc.toks.Len(); k < n; k++ {
		if w := dc.toks.S(k); unstatedFirst.may(w) {
			if why = dc.unstatedAt(k, w, why); why == "rolling" {
				break
			}
		}
	}
	return why
}

// unstatedAt returns why, "", "none-stated" or "rolling", updated with
// token k of the text, whose word is w: "rolling" when a rolling phrase
// starts there, "none-stated" when a phrase saying there is no deadline
// does and why is "".
func (dc *doc) unstatedAt(k int, w string, why string) string {
	ts := dc.toks
	if rollingPhrases.at(ts, k, w) {
		return "rolling"
	}
	if why == "" && (noneSentences.at(ts, k, w) || noneWords.at(ts, k, w) && dc.labelBefore(k)) {
		return "none-stated"
	}
	return why
}

// labelBefore reports whether a stated deadline cue ends at most four
// tokens before token k, on the same line or the one above: only the few
// tokens before a word of noneWords are read.
func (dc *doc) labelBefore(k int) bool {
	ts := dc.toks
	lo := max(0, k-10)
	win := dc.window(lo, k)
	found := false
	win.eachCue(func(ci, at int) {
		cu := cues[ci]
		end := at + len(cu.words)
		if found || cu.kind != kindStated || cu.role != RoleDeadline || k-(lo+end) > 4 {
			return
		}
		if !hasBreak(dc.txt, win.ts.Pos(at), ts.Pos(k)) {
			found = true
		}
	})
	return found
}

// hasBreak reports whether txt[from:to] holds more than one line break: a
// label and its value may stand on two lines, no further apart.
func hasBreak(txt string, from, to int) bool {
	return strings.Count(txt[from:to], "\n") > 1
}
