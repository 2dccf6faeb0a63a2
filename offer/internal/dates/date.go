package dates

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
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

	// Zone is the time zone written after the time of day ("5pm GMT"), nil
	// when none; Start is the same instant in the reference location.
	Zone *time.Location
	// ClockFirst marks a time written before the date ("midnight on 15
	// January").
	ClockFirst bool
	// EndAt is the time of day written after a closed range's end ("from
	// 5 to 30 January at 12:00"), zero when none; Zone is then its zone.
	EndAt time.Time
	// Deictic marks a day named from the reference time ("demain",
	// "aujourd'hui"), which is not when the text was written.
	Deictic bool
}

// StartString formats Start as in the evaluation file: YYYY-MM-DD for day,
// month and year grains (a month as its first day, a year as its 1 January),
// RFC 3339 in the reference time's offset for hour and minute grains.
func (d Date) StartString() string { return Format(d.Start, d.Grain) }

// EndString formats End like StartString; it returns "" for a single date
// and ".." for an open range.
func (d Date) EndString() string {
	switch {
	case d.Open:
		return ".."
	case d.End.IsZero():
		return ""
	}
	return Format(d.End, d.Grain)
}

// Format writes t at grain g as StartString does.
func Format(t time.Time, g Grain) string {
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

// FindDates returns every date expression in s, in text order and never
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
func FindDates(s string, ref time.Time) []Date {
	return Find(s, text.Tokenize(s), ref, Options{})
}

// Options change how Find reads dates; the zero Options are FindDates'.
type Options struct {
	// PastDays lets a day and month written without a year fall up to
	// this many days before ref, when the text does not date itself: a
	// deadline "28 décembre" read on 29 December is yesterday's, not next
	// year's. Zero keeps Duckling's convention of the future.
	PastDays int
	// MaxDates, when above zero, bounds how many dates are read: past it
	// the text is a table or a log, not an offer, and the rest of it is
	// not read.
	MaxDates int
}

// Find is FindDates on s already tokenised, with opts: toks are
// text.Tokenize's tokens of the whole of s.
func Find(s string, toks text.Tokens, ref time.Time, opts Options) []Date {
	var f Finder
	return f.Find(s, toks, ref, opts)
}

// Finder finds the dates of texts one after the other in the same memory:
// what it reads of a text before resolving its dates is kept for the next
// text instead of allocated anew. Its zero value is ready to use; it is
// not safe for concurrent use. Nothing of its memory is reachable from the
// Dates Find returns.
type Finder struct {
	all      []found
	ts       []tok // a line's tokens, as the rules read them
	exprs    []expr
	explicit []time.Time
	out      []Date // the Dates of FindShared
}

// found is an expression read and where its text starts and ends.
type found struct {
	e      expr
	at, to int
}

// Find is the package's Find, in fr's memory.
func (fr *Finder) Find(s string, toks text.Tokens, ref time.Time, opts Options) []Date {
	return fr.find(nil, s, toks, ref, opts)
}

// FindShared is Find, except that the Dates are returned in fr's memory
// too: they are valid until the next call, and a caller that keeps them
// must copy them (their strings are parts of s, and stay valid).
func (fr *Finder) FindShared(s string, toks text.Tokens, ref time.Time, opts Options) []Date {
	fr.out = fr.find(fr.out[:0], s, toks, ref, opts)
	return fr.out
}

// find is Find, with the Dates appended to out.
func (fr *Finder) find(out []Date, s string, toks text.Tokens, ref time.Time, opts Options) []Date {
	all := fr.all[:0]
	p := parser{monthFirst: monthFirst(s)}
	ts, exprs := fr.ts, fr.exprs
	defer func() { fr.all, fr.ts, fr.exprs = all, ts, exprs }()
	k := 0 // the first token of the line
	for start := 0; start < len(s) && k < toks.Len() && (opts.MaxDates <= 0 || len(all) < opts.MaxDates); {
		end := lineEnd(s, start)
		// A date broken over two lines, as in a copy of a PDF ("avant le
		// 15\nmars 2026"), is read on one.
		for end < len(s) && wrapsDate(s[start:end], s[end+1:]) {
			end = lineEnd(s, end+1)
		}
		m := lineStop(toks, k, end)
		if m > k {
			// The line's buffers are the last line's, reused.
			p.toks, p.n, p.base = toks.Window(k, m), m-k, k
			ts = tokensInto(ts, p.toks)
			p.t = ts
			if opts.MaxDates > 0 {
				p.limit = opts.MaxDates - len(all)
			}
			exprs = p.scan(exprs[:0])
			for _, e := range exprs {
				i := e.textStart(p.toks)
				all = append(all, found{e, int(p.toks.At(i).Pos), int(p.toks.At(e.j - 1).End)})
			}
		}
		k = m
		start = end + 1
	}

	anchor := ref
	explicit := fr.explicit[:0]
	for _, f := range all {
		if f.e.explicitYear() {
			if d, ok := f.e.resolve(ref, ref, 0); ok {
				explicit = append(explicit, d.Start)
			}
		}
	}
	fr.explicit = explicit
	back := opts.PastDays
	if w, ok := contextAnchor(explicit, ref.Location()); ok && w.Before(ref) {
		// The text dates itself: its own dates settle the years.
		anchor, back = w, 0
	}

	if out == nil || cap(out) < len(all) {
		out = make([]Date, 0, len(all))
	}
	for _, f := range all {
		d, ok := f.e.resolve(anchor, ref, back)
		if !ok {
			continue
		}
		d.Pos, d.EndPos = f.at, f.to
		d.Text = s[d.Pos:d.EndPos]
		out = append(out, d)
	}
	return joinWindows(s, out)
}

// lineStop returns the index of the first token of toks from k that starts
// at or after byte end. The tokens are in text order, so it gallops from
// k and then halves its last step, so that a line of n tokens reads about
// 2·log2(n) of them instead of n.
func lineStop(toks text.Tokens, k, end int) int {
	n := toks.Len()
	lo, step := k, 1 // the tokens before lo start before end
	hi := n          // n, or a token that starts at or after end
	for lo < n {
		probe := min(lo+step-1, n-1)
		if toks.Pos(probe) >= end {
			hi = probe
			break
		}
		lo, step = probe+1, step*2
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if toks.Pos(mid) < end {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// windowOpen, folded, end the text before the first date of a window;
// windowGap stand between its two dates.
var (
	windowOpen = []string{"du", "from", "entre le", "de", "depuis le", "between"}
	windowGap  = map[string]bool{"au": true, "to": true, "jusqu'au": true, "-": true, "–": true, "a": true,
		"until": true, "et le": true, "and": true}
)

// joinWindows joins two dates with their times of day that a window
// writes, "du 1 décembre 2025 00:00:00 au 5 janvier 2026 23:59:59", into
// one closed range that ends at its time, as "from 5 to 30 January at
// 12:00" is read.
func joinWindows(s string, ds []Date) []Date {
	// The dates are joined in place: out[k] is written once ds[k:i+2]
	// has been read.
	out := ds[:0]
	for i := 0; i < len(ds); i++ {
		a := ds[i]
		if i+1 < len(ds) && a.Grain <= GrainHour && ds[i+1].Grain <= GrainHour && a.End.IsZero() && ds[i+1].End.IsZero() &&
			!a.Open && !ds[i+1].Open {
			b := ds[i+1]
			gap := text.Fold(strings.TrimSpace(s[a.EndPos:b.Pos]))
			before := text.Fold(strings.TrimRight(s[max(0, a.Pos-12):a.Pos], " "))
			opened := false
			for _, w := range windowOpen {
				if strings.HasSuffix(before, w) && (len(before) == len(w) || before[len(before)-len(w)-1] == ' ') {
					opened = true
				}
			}
			if windowGap[gap] && opened && b.Start.After(a.Start) {
				loc := b.Start.Location()
				bs := b.Start
				j := a
				j.Text = s[a.Pos:b.EndPos]
				j.EndPos = b.EndPos
				j.Start = time.Date(a.Start.Year(), a.Start.Month(), a.Start.Day(), 0, 0, 0, 0, a.Start.Location())
				j.End = time.Date(bs.Year(), bs.Month(), bs.Day(), 0, 0, 0, 0, loc)
				j.EndAt, j.Zone, j.Grain = b.Start, b.Zone, GrainDay
				j.YearInferred = a.YearInferred || b.YearInferred
				out = append(out, j)
				i++
				continue
			}
		}
		out = append(out, a)
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
	// (By hand, not strings.TrimRight and TrimLeft, which build a set
	// of their cutset's bytes on every call: this is asked of every line.)
	for line != "" && (line[len(line)-1] == ' ' || line[len(line)-1] == '\t' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	for next != "" && (next[0] == ' ' || next[0] == '\t') {
		next = next[1:]
	}
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
		return j > 0 && isFullMonth(next[:j])
	}
	// A month name, then a year of four digits.
	for i > 0 && (line[i-1] >= 'A' && line[i-1] <= 'Z' || line[i-1] >= 'a' && line[i-1] <= 'z' || line[i-1] >= 0x80) {
		i--
	}
	if i == len(line) || !isFullMonth(line[i:]) {
		return false
	}
	j := 0
	for j < len(next) && next[j] >= '0' && next[j] <= '9' {
		j++
	}
	return j == 4 && (next[0] == '1' || next[0] == '2')
}

// isFullMonth reports whether word w, as written, folds to a month name
// that may stand alone. It folds into a buffer of its own, as it is asked
// about a word of every line.
func isFullMonth(w string) bool {
	var buf [12]byte
	b := buf[:0]
	for _, r := range w {
		switch f, _, k := text.FoldRune(r); {
		case k == 0: // a combining mark
		case k == 2 || f >= utf8.RuneSelf || len(b) == len(buf):
			return false // "œ", "æ", a letter no month name holds, or too long
		default:
			b = append(b, byte(f))
		}
	}
	return fullMonths[string(b)]
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
