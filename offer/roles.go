package offer

import (
	"strings"
	"time"
)

// This file gives each date its role from the words around it, and reads
// the application deadline, stated or estimated, and the internship's start
// and end.

// roles is what assignRoles found.
type roles struct {
	Deadline   Deadline
	Start, End *Moment
	Mentions   []Mention
}

// cueKind says how a cue makes its date a deadline.
type cueKind uint8

const (
	cuePlain     cueKind = iota // the cue's role applies
	cueDeadline                 // a deadline by itself ("date limite")
	cueWeak                     // a deadline only about applications ("avant le", "jusqu'au")
	cueWeakUntil                // like cueWeak, else the end of the internship ("jusqu'au")
)

// cue is a phrase that gives the date after it a role.
type cue struct {
	words []string // folded tokens, as tokenize makes them
	role  string
	kind  cueKind
	// before marks a deadline that is the day before the date ("avant
	// le 31 octobre": 30 October is the last day).
	before bool
	// near requires the date to follow at once, articles aside.
	near bool
}

func phrase(s string) []string {
	var ws []string
	for _, t := range tokenize(nil, s) {
		ws = append(ws, t.s)
	}
	return ws
}

// cues are the phrases read before a date, nearest first wins.
var cues = func() []cue {
	var cs []cue
	add := func(role string, kind cueKind, before, near bool, phrases ...string) {
		for _, ph := range phrases {
			cs = append(cs, cue{words: phrase(ph), role: role, kind: kind, before: before, near: near})
		}
	}
	add(RoleDeadline, cueDeadline, false, false,
		"date limite", "date-limite", "dates limites", "limite de candidature", "limite de candidatures",
		"limite de dépôt", "date butoir", "deadline", "closing date", "no later than", "apply by",
		"applications close", "clôture des candidatures", "clôture", "à retourner", "à envoyer")
	add(RoleDeadline, cueDeadline, true, true, "apply before")
	add(RoleDeadline, cueWeak, true, true, "avant", "before")
	add(RoleDeadline, cueWeak, false, true, "au plus tard", "by", "d'ici")
	add(RoleDeadline, cueWeakUntil, false, true, "jusqu'au", "jusqu'à", "jusqu'en", "until")
	add(RoleStart, cuePlain, false, false,
		"démarrage", "date de début", "début du stage", "début de stage", "début de la mission", "début",
		"commencement", "à compter du", "à compter de", "prise de poste", "prise de fonction",
		"prise de fonctions", "entrée en fonction", "start date", "starting", "start", "starts",
		"commencera", "commence", "débutera", "available from", "disponible", "disponibilité")
	// "dès" folds to the article "des": match it as written.
	cs = append(cs, cue{words: []string{"dès"}, role: RoleStart})
	add(RoleEnd, cuePlain, false, false, "fin du stage", "fin de stage", "date de fin", "end date", "se terminera", "terminera")
	add(RolePeriod, cuePlain, false, false, "dates", "période", "dates du stage", "période de stage")
	add(RoleInterview, cuePlain, false, false,
		"entretien", "entretiens", "interview", "interviews", "jury", "jurys", "audition", "auditions",
		"oraux", "convoqué", "convoqués", "convoquées", "convocation")
	add(RoleEvent, cuePlain, false, false,
		"événement", "événements", "évènement", "évènements", "exposition", "expositions", "festival",
		"journées", "journée", "fête", "salon", "rencontre", "rencontres", "conférence", "colloque",
		"accueillera", "accueil", "organisée", "organisé", "aura lieu", "se tiendra", "édition",
		"éditée", "manifestation", "nuit", "forum", "hackathon", "programmation", "séminaire", "atelier",
		"event", "events", "exhibition", "conference", "workshop")
	add(RolePosting, cuePlain, false, false,
		"publié le", "publiée le", "publié", "publiée", "mise en ligne", "date de publication",
		"posted", "published", "parution")
	return cs
}()

// applicationWords, as folded word prefixes, make a sentence about
// applying.
var applicationWords = []string{
	"candidat", "postul", "envoy", "adress", "cv", "motivation", "dossier", "inscri",
	"apply", "applica", "submit", "send", "resume",
}

// gapWords may stand between a near cue and its date.
var gapWords = map[string]bool{
	"le": true, "la": true, "l": true, "'": true, "du": true, "de": true, "d": true, "the": true,
	"on": true, ":": true, ",": true, "en": true, "in": true, "of": true, "a": true, "-": true,
}

// mentionCtx is what was read around one date.
type mentionCtx struct {
	role     string
	cue      cue
	cueStart int  // byte offset of the cue in the text, -1 when none
	applying bool // the sentence is about applying
}

// assignRoles gives each date a role and reads the deadline and the
// internship's start and end.
func assignRoles(text string, dates []Date, opts Options) roles {
	opts = opts.withDefaults()
	var r roles
	ctxs := make([]mentionCtx, len(dates))
	for i, d := range dates {
		ctxs[i] = roleOf(text, d)
		r.Mentions = append(r.Mentions, Mention{
			Text: d.Text, Start: d.StartString(), End: d.EndString(), Grain: d.Grain.String(), Role: ctxs[i].role,
		})
	}

	// The stated deadline: the one most clearly about applications, else
	// the earliest.
	best, bestScore := -1, -1
	for i, c := range ctxs {
		if c.role != RoleDeadline {
			continue
		}
		score := 0
		if c.cue.kind == cueDeadline {
			score += 2
		}
		if c.applying {
			score++
		}
		if score > bestScore || (score == bestScore && dates[i].Start.Before(dates[best].Start)) {
			best, bestScore = i, score
		}
	}
	if best >= 0 {
		r.Deadline = explicitDeadline(text, dates[best], ctxs[best], opts.Location)
	}

	// The internship's start and end.
	var period *Date
	for i, c := range ctxs {
		d := dates[i]
		switch c.role {
		case RoleStart:
			if r.Start == nil {
				r.Start = moment(d, d.Start)
				if !d.End.IsZero() && r.End == nil {
					r.End = moment(d, d.End)
				}
			}
		case RoleEnd:
			if r.End == nil {
				t := d.Start
				if !d.End.IsZero() {
					t = d.End
				}
				r.End = moment(d, t)
			}
		case RolePeriod:
			if period == nil {
				period = &dates[i]
			}
		}
	}
	if period != nil {
		if r.Start == nil {
			r.Start = moment(*period, period.Start)
		}
		if r.End == nil && !period.End.IsZero() {
			r.End = moment(*period, period.End)
		}
	}

	if r.Deadline.Kind == "" {
		r.Deadline = estimate(dates, ctxs, period, opts)
	}
	return r
}

// moment describes the instant t of date d at d's grain (a day at most).
func moment(d Date, t time.Time) *Moment {
	g := d.Grain
	if g < GrainDay {
		g = GrainDay
	}
	return &Moment{Text: d.Text, Date: formatGrain(t, g), Grain: g.String()}
}

// explicitDeadline reads the deadline a cue states.
func explicitDeadline(text string, d Date, c mentionCtx, loc *time.Location) Deadline {
	dl := Deadline{Kind: KindExplicit}
	from := d.Pos
	if c.cueStart >= 0 {
		from = c.cueStart
	}
	dl.Phrase = text[from:d.EndPos]
	day := d.Start.In(loc)
	var due time.Time
	switch {
	case d.Grain <= GrainHour:
		// A stated time wins: "avant le 15 mars à 12h".
		due = time.Date(day.Year(), day.Month(), day.Day(), day.Hour(), day.Minute(), 0, 0, loc)
		dl.Time = due.Format("15:04")
		dl.Date, dl.LastDay = formatGrain(due, GrainDay), formatGrain(due, GrainDay)
	case c.cue.before:
		// "avant le D": D at midnight; the last day is the day before.
		due = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
		dl.Date = formatGrain(due, GrainDay)
		dl.LastDay = formatGrain(time.Date(day.Year(), day.Month(), day.Day()-1, 0, 0, 0, 0, loc), GrainDay)
	default:
		// "jusqu'au D", "date limite : D": all of D, and all of the last
		// month or year of a coarser date ("jusqu'en mars 2026").
		last := lastDay(d, loc)
		due = time.Date(last.Year(), last.Month(), last.Day(), 23, 59, 59, 0, loc)
		dl.Date, dl.LastDay = formatGrain(last, GrainDay), formatGrain(last, GrainDay)
	}
	dl.DueAt = &due
	return dl
}

// lastDay returns the last day a date covers.
func lastDay(d Date, loc *time.Location) time.Time {
	t := d.Start.In(loc)
	if !d.End.IsZero() {
		t = d.End.In(loc)
	}
	switch d.Grain {
	case GrainMonth:
		return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, loc)
	case GrainYear:
		return time.Date(t.Year(), 12, 31, 0, 0, 0, 0, loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// estimate derives a deadline when none is stated: the day before the
// interviews, else the start less opts.EstimateLead.
func estimate(dates []Date, ctxs []mentionCtx, period *Date, opts Options) Deadline {
	loc := opts.Location
	var interview, start *Date
	for i, c := range ctxs {
		d := &dates[i]
		switch c.role {
		case RoleInterview:
			if interview == nil || d.Start.Before(interview.Start) {
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
	var basis string
	switch {
	case interview != nil:
		t := interview.Start.In(loc)
		day, basis = time.Date(t.Year(), t.Month(), t.Day()-1, 0, 0, 0, 0, loc), "interview"
	case start != nil:
		t := start.Start.In(loc)
		// Whole days, so that a change of clocks never moves the day.
		lead := int(opts.EstimateLead / (24 * time.Hour))
		day, basis = time.Date(t.Year(), t.Month(), t.Day()-lead, 0, 0, 0, 0, loc), "start"
	default:
		return Deadline{Kind: KindNone}
	}
	due := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, loc)
	return Deadline{
		Kind:    KindEstimated,
		Date:    formatGrain(day, GrainDay),
		LastDay: formatGrain(day, GrainDay),
		DueAt:   &due,
		Basis:   basis,
	}
}

// roleOf reads the role of date d from its sentence.
func roleOf(text string, d Date) mentionCtx {
	from, to := sentenceAround(text, d.Pos, d.EndPos)
	before := tokenize(nil, text[from:d.Pos])
	after := tokenize(nil, text[d.EndPos:to])
	c := mentionCtx{role: RoleOther, cueStart: -1}
	c.applying = hasApplicationWord(before) || hasApplicationWord(after)
	// A sentence about interviews is not about the deadline, even if it
	// speaks of candidates ("les candidats seront convoqués avant le …").
	conflict := false
	next := after
	for i, t := range after {
		if t.s == "," || t.s == ":" || t.s == "(" {
			next = after[:i]
			break
		}
	}
	for _, cu := range cues {
		if cu.role == RoleInterview && (findCue(before, cu.words, 0) >= 0 || findCue(next, cu.words, 0) >= 0) {
			conflict = true
		}
	}

	// The nearest cue before the date wins; a weak deadline cue only
	// counts in a sentence about applying.
	type hit struct {
		cue
		at, end int
	}
	var hits []hit
	for _, cu := range cues {
		for at := findCue(before, cu.words, 0); at >= 0; at = findCue(before, cu.words, at+1) {
			end := at + len(cu.words)
			if cu.near && !onlyGap(before[end:]) {
				continue
			}
			hits = append(hits, hit{cu, at, end})
		}
	}
	// An open range ("à partir du 6 janvier") carries its own start cue.
	openStart := d.Open
	for len(hits) > 0 || openStart {
		if openStart {
			openStart = false
			if !c.applying {
				c.role = RoleStart
				return c.withPeriod(d)
			}
			continue
		}
		n := 0
		for k, h := range hits {
			if h.end > hits[n].end || (h.end == hits[n].end && len(h.words) > len(hits[n].words)) {
				n = k
			}
		}
		h := hits[n]
		hits = append(hits[:n], hits[n+1:]...)
		// The phrase starts at the earliest deadline cue that overlaps this
		// one: "date limite de candidature".
		at := h.at
		for _, o := range hits {
			if o.role == RoleDeadline && o.at < at && o.end >= h.at {
				at = o.at
			}
		}
		switch h.kind {
		case cueWeak, cueWeakUntil:
			if c.applying && !conflict {
				c.role, c.cue, c.cueStart = RoleDeadline, h.cue, from+int(before[at].pos)
				return c
			}
			if h.kind == cueWeakUntil {
				c.role = RoleEnd
				return c
			}
			continue
		case cueDeadline:
			c.role, c.cue, c.cueStart = RoleDeadline, h.cue, from+int(before[at].pos)
			return c
		}
		c.role, c.cue = h.role, h.cue
		return c.withPeriod(d)
	}
	// No cue before: what the rest of the sentence says, then a range in
	// the title lines is the internship's period.
	for _, cu := range cues {
		if (cu.role == RoleInterview || cu.role == RoleEvent) && findCue(clause(after), cu.words, 0) >= 0 {
			c.role = cu.role
			return c
		}
	}
	if !d.End.IsZero() && inTitle(text, d.Pos) {
		c.role = RolePeriod
	}
	return c
}

// clause returns the tokens of after up to a colon or a bracket, and
// within about 100 bytes: "Cosmocité a ouvert ses portes le 30 septembre
// 2023 est équipé de : … expositions" is not about an exhibition.
func clause(after []token) []token {
	for i, t := range after {
		if t.s == ":" || t.s == "(" || t.pos > 100 {
			return after[:i]
		}
	}
	return after
}

// withPeriod turns a start or period cue on a range of a month or more into
// the period of the internship ("Stage du 1er mars au 31 août").
func (c mentionCtx) withPeriod(d Date) mentionCtx {
	if c.role == RolePeriod && d.End.IsZero() && !d.Open {
		// "Dates : 3 mars" names a single day: the start.
		c.role = RoleStart
	}
	if c.role == RoleStart && !d.End.IsZero() && d.End.Sub(d.Start) >= 27*24*time.Hour {
		c.role = RolePeriod
	}
	return c
}

// findCue returns the index of the first match of words in ts at or after
// from, or -1. The cue "dès" must be written with its accent: unaccented,
// it is the article "des".
func findCue(ts []token, words []string, from int) int {
	for i := from; i+len(words) <= len(ts); i++ {
		ok := true
		for k, w := range words {
			t := ts[i+k]
			if t.s != w && !(t.accent && w == "dès" && t.s == "des") {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

func onlyGap(ts []token) bool {
	for _, t := range ts {
		if !gapWords[t.s] {
			return false
		}
	}
	return true
}

func hasApplicationWord(ts []token) bool {
	for _, t := range ts {
		if t.kind != tWord {
			continue
		}
		for _, p := range applicationWords {
			if strings.HasPrefix(t.s, p) {
				return true
			}
		}
	}
	return false
}

// sentenceWindow bounds how far a sentence is read around a date, so that a
// text with no punctuation is still read in linear time.
const sentenceWindow = 240

// sentenceAround returns the bounds of the sentence holding [pos, end): up
// to a line break, ". ", "! ", "? " or "; ", within sentenceWindow bytes.
func sentenceAround(text string, pos, end int) (from, to int) {
	from = max(0, pos-sentenceWindow)
	for i := pos - 1; i >= from; i-- {
		if text[i] == '\n' || (i+1 < pos && isStop(text[i]) && text[i+1] == ' ') {
			from = i + 1
			break
		}
	}
	to = min(len(text), end+sentenceWindow)
	for i := end; i < to; i++ {
		if text[i] == '\n' || (isStop(text[i]) && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n')) {
			to = i
			break
		}
	}
	// Stay on rune boundaries when the window cut a character.
	for from < pos && from > 0 && !startsRune(text[from]) {
		from++
	}
	for to > end && to < len(text) && !startsRune(text[to]) {
		to--
	}
	return from, to
}

func isStop(b byte) bool { return b == '.' || b == '!' || b == '?' || b == ';' }

func startsRune(b byte) bool { return b&0xC0 != 0x80 }

// inTitle reports whether pos is on one of the text's first three
// non-blank lines.
func inTitle(text string, pos int) bool {
	lines := 0
	blank := true
	for i := 0; i < pos && i < 2000; i++ {
		switch text[i] {
		case '\n':
			blank = true
		case ' ', '\t', '\r':
		default:
			if blank {
				lines++
				blank = false
			}
		}
	}
	return pos < 2000 && lines <= 3
}
