package deadline

import (
	"slices"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/text"
)

// Deadline kinds.
const (
	KindExplicit  = "explicit"
	KindEstimated = "estimated"
	KindNone      = "none"
)

// Roles a date can play in an offer.
const (
	RoleDeadline  = "deadline"
	RoleStart     = "start"
	RoleEnd       = "end"
	RolePeriod    = "period"
	RoleInterview = "interview"
	RoleEvent     = "event"
	RolePosting   = "posting"
	RoleOther     = "other"
)

// Deadline is the last moment to apply.
type Deadline struct {
	// Kind is KindExplicit when the text states the deadline, KindEstimated
	// when it was derived from other dates (see Basis), KindNone otherwise.
	Kind string `json:"kind"`
	// Date is the date as written ("avant le 31 octobre 2025" gives
	// 2025-10-31), YYYY-MM-DD, or "".
	Date string `json:"date"`
	// Time is the stated time of day, HH:MM, or "".
	Time string `json:"time"`
	// Phrase is the text that states the deadline, as written.
	Phrase string `json:"phrase"`
	// Label is the label the deadline was read after ("Date limite de
	// candidature"), "" when none.
	Label string `json:"label,omitempty"`
	// LastDay is the last day on which one can apply, YYYY-MM-DD, or "".
	LastDay string `json:"last_day"`
	// DueAt is the instant applications close, nil when Kind is none.
	DueAt *time.Time `json:"due_at"`
	// Basis says what an estimate was derived from ("interview", "start").
	Basis string `json:"basis,omitempty"`
	// Reasons name the rules that decided: the cue that stated the
	// deadline ("cue:date-limite"), the ranking criteria that put it
	// before the other candidates ("rank:future"), the vetoes that took
	// candidates back ("veto:past-edition"), what an estimate was made
	// from ("estimate:start"), or why there is none ("rolling",
	// "no-deadline").
	Reasons []string `json:"reasons,omitempty"`
	// Confidence is ConfidenceHigh when nothing casts a doubt on the
	// reading, ConfidenceReview when a doubt does: the doubts are then
	// named in Reasons, with the prefix "doubt:" ("doubt:competing").
	Confidence string `json:"confidence"`
}

// Moment is a date with its precision, such as a start or end date.
type Moment struct {
	Text  string `json:"text"`
	Date  string `json:"date"`
	Grain string `json:"grain"`
}

// Mention is one date expression found in the text, with its role.
type Mention struct {
	Text  string `json:"text"`
	Start string `json:"start"`
	End   string `json:"end"`
	Grain string `json:"grain"`
	Role  string `json:"role"`
}

// Options are what Assign needs beyond the text and its dates, all set.
type Options struct {
	// Now is the reference time, in Location.
	Now time.Time
	// Location is the time zone deadlines are expressed in.
	Location *time.Location
	// EstimateLead is how long before a start date an estimated deadline
	// falls.
	EstimateLead time.Duration
	// ValidThrough is when the page's posting expires (schema.org
	// validThrough), as written, "" when it does not say: the deadline,
	// read with doubt:weak-cue, when the text states none.
	ValidThrough string
}

// Result is what Assign found.
type Result struct {
	Deadline   Deadline
	Start, End *Moment
	Mentions   []Mention
}

// maxRoleDates bounds how many dates get a role read from their sentence;
// a real offer holds a few dozen. Past it the text is not an offer but a
// table or a log: the rest are other, and the whole is read in linear
// time.
const maxRoleDates = 2000

// Assign gives each date found in the normalised text txt, whose tokens
// are toks, a role and reads the deadline and the internship's start and
// end.
func Assign(txt string, toks text.Tokens, ds []dates.Date, opts Options) Result {
	return new(Assigner).Assign(txt, toks, ds, opts)
}

// Assigner assigns the dates of texts one after the other in the same
// memory: the marks of a text's tokens (a byte each) and its candidates
// are kept for the next text instead of allocated anew. Its zero value is
// ready to use; it is not safe for concurrent use. No Result holds any of
// its memory, nor any of ds.
type Assigner struct {
	// The text and the ranker: the ranking's criteria are called through
	// function values, which the ranker escapes by.
	dc    doc
	rk    ranker
	marks []mark
	cands []candidate
}

// Assign is the package's Assign, in as's memory.
func (as *Assigner) Assign(txt string, toks text.Tokens, ds []dates.Date, opts Options) Result {
	marks := as.marks[:0]
	if cap(marks) < toks.Len() {
		marks = make([]mark, toks.Len())
	} else {
		marks = marks[:toks.Len()]
		clear(marks)
	}
	as.marks = marks
	as.dc = doc{txt: txt, toks: toks, marks: marks}
	dc := &as.dc
	cs := dc.candidates(as.cands[:0], ds)
	as.cands = cs
	var r Result
	r.Mentions = mentions(cs)
	// The vetoes' reasons, once each; there are fewer vetoes than the
	// array holds, so that it stays on the stack.
	var vetoBuf [8]string
	vetoed := vetoBuf[:0]
	for _, c := range cs {
		if c.vetoed != "" {
			if v := vetoReason(c.vetoed); !slices.Contains(vetoed, v) {
				vetoed = append(vetoed, v)
			}
		}
	}

	rk := &as.rk
	*rk = ranker{dc: dc, loc: opts.Location,
		today: time.Date(opts.Now.Year(), opts.Now.Month(), opts.Now.Day(), 0, 0, 0, 0, opts.Location)}
	best := rk.best(cs)
	// The reasons that come before the vetoes' and the doubts', on the
	// stack: Reasons is made once, at the end, of all of them.
	var headBuf [1 + 8]string
	head := headBuf[:0]
	if best >= 0 {
		r.Deadline = dc.explicitDeadline(&cs[best], opts.Location)
		head = append(head, "cue:"+cs[best].rule)
		head = rk.rankReasons(head, cs, best)
	}

	// The internship's start and end. A moment at a day's grain or
	// coarser is written as its mention is: it shares the mention's
	// string.
	moments := func(i int, end bool) *Moment {
		d, m := cs[i].date, &r.Mentions[i]
		switch {
		case d.Grain < dates.GrainDay || end && d.Open:
			t := d.Start
			if end {
				t = d.End
			}
			return moment(*d, t)
		case end:
			return &Moment{Text: d.Text, Date: m.End, Grain: m.Grain}
		}
		return &Moment{Text: d.Text, Date: m.Start, Grain: m.Grain}
	}
	period := -1
	for i, c := range cs {
		d := c.date
		switch c.role {
		case RoleStart:
			if r.Start == nil {
				r.Start = moments(i, false)
				if !d.End.IsZero() && r.End == nil {
					r.End = moments(i, true)
				}
			}
		case RoleEnd:
			if r.End == nil {
				r.End = moments(i, !d.End.IsZero())
			}
		case RolePeriod:
			if period < 0 {
				period = i
			}
		}
	}
	var periodDate *dates.Date
	if period >= 0 {
		periodDate = cs[period].date
		if r.Start == nil {
			r.Start = moments(period, false)
		}
		if r.End == nil && !periodDate.End.IsZero() {
			r.End = moments(period, true)
		}
	}

	if r.Deadline.Kind == "" {
		switch why := dc.unstated(); why {
		case "rolling", "none-stated":
			// "Candidatures au fil de l'eau", "Date limite : non
			// communiquée": no estimate either.
			r.Deadline = Deadline{Kind: KindNone}
			head = append(head, why)
		default:
			r.Deadline = estimate(cs, periodDate, opts)
			// With nothing to estimate from, the page's posting expiry, a
			// weak sign.
			if r.Deadline.Kind == KindNone && opts.ValidThrough != "" {
				// A page's metadata is not trusted further than two years
				// ahead ("9999-12-31" says the posting never expires).
				if dl, ok := validThrough(opts.ValidThrough, opts.Location); ok && dl.DueAt.Before(opts.Now.AddDate(2, 0, 0)) {
					r.Deadline = dl
				}
			}
			head = append(head, r.Deadline.Reasons...)
		}
	}
	if len(head)+len(vetoed) == 0 {
		head = append(head, "no-deadline")
	}
	var doubtBuf [maxDoubts]string
	doubts := rk.confidence(doubtBuf[:0], &r.Deadline, cs, best, len(vetoed) > 0)
	rs := make([]string, 0, len(head)+len(vetoed)+len(doubts))
	rs = append(rs, head...)
	rs = append(rs, vetoed...)
	r.Deadline.Reasons = append(rs, doubts...)
	return r
}

// mentions describes the dates of cs with their roles. Their start and
// end strings are written into one buffer that one string holds, rather
// than one string each.
func mentions(cs []candidate) []Mention {
	ms := make([]Mention, len(cs))
	// Where each date's start and end end in buf; the arrays hold the
	// dates of most texts on the stack.
	var bufArr [1024]byte
	var endsArr [128]int32
	buf, ends := bufArr[:0], endsArr[:0]
	for _, c := range cs {
		d := c.date
		buf = appendFormat(buf, d.Start, d.Grain)
		ends = append(ends, int32(len(buf)))
		if !d.Open && !d.End.IsZero() {
			buf = appendFormat(buf, d.End, d.Grain)
		}
		ends = append(ends, int32(len(buf)))
	}
	all := string(buf)
	from := int32(0)
	for i, c := range cs {
		d := c.date
		m := &ms[i]
		m.Text, m.Grain, m.Role = d.Text, d.Grain.String(), c.role
		m.Start, from = all[from:ends[2*i]], ends[2*i]
		switch {
		case d.Open:
			m.End = ".."
		case !d.End.IsZero():
			m.End = all[from:ends[2*i+1]]
		}
		from = ends[2*i+1]
	}
	return ms
}

// appendFormat appends dates.Format(t, g) to b; TestAppendFormat checks
// that the two agree. A day of a year of four digits is written digit by
// digit, which costs less than reading the layout.
func appendFormat(b []byte, t time.Time, g dates.Grain) []byte {
	if g == dates.GrainHour || g == dates.GrainMinute {
		return t.AppendFormat(b, time.RFC3339)
	}
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, time.DateOnly)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// candidates reads the role of each date of ds and takes back the
// deadlines a veto rules out.
func (dc *doc) candidates(buf []candidate, ds []dates.Date) []candidate {
	cs := buf[:0]
	if cap(cs) < len(ds) {
		cs = make([]candidate, len(ds))
	} else {
		cs = cs[:len(ds)]
	}
	for i := range ds {
		c := &cs[i]
		*c = candidate{date: &ds[i], role: RoleOther, cueStart: -1}
		if i >= maxRoleDates {
			continue
		}
		next := len(dc.txt)
		if i+1 < len(ds) {
			next = ds[i+1].Pos
		}
		if i > 0 {
			c.prevEnd = ds[i-1].EndPos
		}
		dc.read(c, next)
		if c.role == RoleDeadline {
			if v := dc.veto(c); v != "" {
				*c = candidate{date: c.date, role: RoleOther, cueStart: -1, vetoed: v,
					sentFrom: c.sentFrom, sentTo: c.sentTo, prevEnd: c.prevEnd}
			}
		}
	}
	return cs
}
