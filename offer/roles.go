package offer

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	cueRange                    // a deadline when the date is a closed range, its end ("candidatures du 6 au 24 janvier")
	cueOpen                     // a start, unless the sentence is about applying ("à partir de février 2026")
	cueSpan                     // the cue's role on a closed range only ("CDD du 5 janvier au 30 juin")
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
		"applications close", "clôture des candidatures", "clôture", "à retourner", "à envoyer",
		"dernier délai", "délai de candidature", "délai de dépôt", "délai d'envoi", "délai de réception",
		"valable jusqu'au", "valable jusqu'à", "valid until", "valid through", "expires", "expire",
		"expiration", "expiry", "date d'expiration",
		// "Ad closes: Sunday 7 December", "Last date to apply: 20/12/2025".
		"ad closes", "advert closes", "advertisement closes", "job ad closes", "last date to apply",
		"last day to apply", "last date for applications", "last date of application",
		"last date for receipt of applications")
	add(RoleDeadline, cueDeadline, false, true, "due", "due date", "due by", "due on")
	add(RoleDeadline, cueDeadline, true, true, "apply before")
	// A label about applications right before its date: "Envoi des
	// candidatures : 31 janvier 2026".
	add(RoleDeadline, cueDeadline, false, true, "candidatures :", "candidature :", "dossiers :", "applications :")
	// "The application window … closes at 11am on 5 February".
	add(RoleDeadline, cueWeak, false, false, "closes", "close on", "close at", "closing", "clôturées", "se clôtureront")
	add(RoleDeadline, cueWeak, true, true, "avant", "before")
	add(RoleDeadline, cueWeak, false, true, "au plus tard", "by", "d'ici", "pour le")
	// "by close of business on 5 December", "by COB Friday 12 December":
	// the end of the working day is no stated time, the date is the last
	// day.
	add(RoleDeadline, cueWeak, false, true, "close of business", "cob", "close of play", "end of business",
		"end of day", "eod")
	add(RoleDeadline, cueRange, false, true, "candidatures", "inscriptions", "applications", "ouvertes",
		"ouverte", "open", "déposées", "acceptées", "reçues", "accepted", "received",
		"application period", "application window", "période de candidature", "période de candidatures",
		"période d'inscription", "période de dépôt", "dépôt des candidatures", "dépôt des dossiers")
	add(RoleDeadline, cueWeakUntil, false, true, "jusqu'au", "jusqu'à", "jusqu'en", "until")
	add(RoleStart, cuePlain, false, false,
		"démarrage", "date de début", "début du stage", "début de stage", "début de la mission", "début",
		"commencement", "à compter du", "à compter de", "prise de poste", "prise de fonction",
		"prise de fonctions", "entrée en fonction", "start date", "starting", "start", "starts",
		"commencera", "commence", "débutera", "available from", "disponible", "disponibilité")
	// "à partir de février 2026" opens like "à partir du 2 février",
	// which the grammar reads as an open range.
	add(RoleStart, cueOpen, false, true, "à partir de", "à partir d'", "from")
	// A V.I.E's departure, as a label: "Départ : 1er avril 2026".
	add(RoleStart, cuePlain, false, true, "départ :", "date de départ")
	// "dès" folds to the article "des": match it as written.
	cs = append(cs, cue{words: []string{"dès"}, role: RoleStart})
	add(RoleEnd, cuePlain, false, false, "fin du stage", "fin de stage", "date de fin", "end date", "se terminera", "terminera")
	add(RolePeriod, cuePlain, false, false, "dates", "période", "dates du stage", "période de stage")
	// The contract or the internship right before its dates: "en CDD du
	// 05/01/2026 au 30/06/2026", "stage du 13 avril au 28 août".
	add(RolePeriod, cueSpan, false, true, "cdd", "contrat", "stage", "internship", "mission")
	add(RoleInterview, cuePlain, false, false,
		"entretien", "entretiens", "interview", "interviews", "jury", "jurys", "audition", "auditions",
		"oraux", "convoqué", "convoqués", "convoquées", "convocation")
	add(RoleEvent, cuePlain, false, false,
		"événement", "événements", "évènement", "évènements", "exposition", "expositions", "festival",
		"journées", "journée", "fête", "salon", "rencontre", "rencontres", "conférence", "colloque",
		"accueillera", "accueil", "organisée", "organisé", "aura lieu", "se tiendra", "édition",
		"éditée", "manifestation", "nuit", "forum", "hackathon", "programmation", "séminaire", "atelier",
		"event", "events", "exhibition", "conference", "workshop")
	// The employer's answer, not the candidate's: "les candidats retenus
	// recevront une réponse avant le 15 décembre".
	add(RoleOther, cuePlain, false, false, noticePhrases...)
	// "depuis 2022", "since 2019": the past, whatever comes before.
	add(RoleOther, cuePlain, false, true, "depuis", "since")
	add(RolePosting, cuePlain, false, false,
		"publié le", "publiée le", "publié", "publiée", "mise en ligne", "date de publication",
		"posted", "published", "parution")
	return cs
}()

// noticePhrases announce when candidates will hear back; a date they govern
// is not the deadline.
var noticePhrases = []string{
	"recevront une réponse", "recevront une reponse", "réponse sera", "réponse vous sera", "réponses seront",
	"seront informés", "seront informées", "serez informé", "serez informée", "seront contactés",
	"seront contactées", "serez contacté", "serez contactée", "will be notified", "will be informed",
	"will be contacted", "hear back", "hear from us", "résultats",
	// "Réponse aux candidats avant le 15 décembre": the employer's answer.
	"réponse aux candidats", "réponse aux candidates", "réponses aux candidats", "réponse aux candidatures",
	"réponses aux candidatures", "retour aux candidats", "reply to applicants", "replies to applicants",
}

// applicationPhrases make a sentence about applying although they hold no
// application word: "Réponse souhaitée avant le 20 novembre".
var applicationPhrases = [][]string{
	phrase("réponse souhaitée"), phrase("réponse attendue"), phrase("réponses souhaitées"),
	phrase("réponse demandée"),
}

// applicationWords, as folded word prefixes, make a sentence about
// applying.
var applicationWords = []string{
	"candidat", "postul", "cv", "motivation", "inscription", "apply", "applica", "submit", "send", "resume",
	// "les vœux sont à saisir avant le …": the choice of a hospital or
	// a school placement.
	"voeu",
}

// applicationVerbs, whole folded words, make a sentence about applying;
// the passive "sera envoyé aux journalistes" does not.
var applicationVerbs = map[string]bool{
	"envoyez": true, "envoyer": true, "envoi": true, "envoyant": true, "adressez": true, "adresser": true,
	"transmettez": true, "transmettre": true, "deposez": true, "deposer": true, "depot": true,
}

// missionPhrases describe the work, not the application: "vous serez en
// charge du suivi des candidatures jusqu'au 31 juillet" is a task.
var missionPhrases = [][]string{
	phrase("en charge"), phrase("suivi des"), phrase("gestion des"), phrase("préparera"), phrase("préparer"),
	phrase("participera"), phrase("participer"), phrase("assurera"), phrase("le stagiaire"),
	phrase("la stagiaire"), phrase("you will"), phrase("you'll"), phrase("the intern will"),
}

// gapWords may stand between a near cue and its date.
var gapWords = map[string]bool{
	"le": true, "la": true, "l": true, "'": true, "du": true, "de": true, "d": true, "the": true,
	"on": true, ":": true, ",": true, "en": true, "in": true, "of": true, "a": true, "-": true,
	"mois": true, "month": true,
}

// afterCues, read right after a date in a sentence about applying, make it
// the deadline: "pour le 20 janvier au plus tard".
var afterCues = [][]string{
	phrase("au plus tard"), phrase("dernier délai"), phrase("délai de rigueur"), phrase("at the latest"),
	phrase("latest"),
}

// mentionCtx is what was read around one date.
type mentionCtx struct {
	role     string
	cue      cue
	cueStart int  // byte offset of the cue in the text, -1 when none
	applying bool // the sentence is about applying
}

// maxRoleDates bounds how many dates get a role read from their sentence;
// a real offer holds a few dozen.
const maxRoleDates = 2000

// assignRoles gives each date a role and reads the deadline and the
// internship's start and end.
func assignRoles(text string, dates []Date, opts Options) roles {
	opts = opts.withDefaults()
	var r roles
	ctxs := make([]mentionCtx, len(dates))
	for i, d := range dates {
		// Past maxRoleDates the text is not an offer but a table or a
		// log: the rest are other, and the whole is read in linear time.
		ctxs[i] = mentionCtx{role: RoleOther, cueStart: -1}
		if i < maxRoleDates {
			next := len(text)
			if i+1 < len(dates) {
				next = dates[i+1].Pos
			}
			ctxs[i] = roleOf(text, d, next)
			prevEnd := 0
			if i > 0 {
				prevEnd = dates[i-1].EndPos
			}
			if ctxs[i].role == RoleDeadline && (d.deictic || pastSentence(text, d) || notApplying(text, d, ctxs[i], prevEnd)) {
				// "Postulez d'ici demain": tomorrow from when the text
				// was written, which is not the reference time, so no
				// date. "Les candidatures étaient ouvertes jusqu'au 31
				// janvier 2025": a past edition's deadline; see
				// notApplying for the others.
				ctxs[i] = mentionCtx{role: RoleOther, cueStart: -1}
			}
		}
		r.Mentions = append(r.Mentions, Mention{
			Text: d.Text, Start: d.StartString(), End: d.EndString(), Grain: d.Grain.String(), Role: ctxs[i].role,
		})
	}

	// The stated deadline: one still to come (an offer that recalls last
	// year's closing date states this year's too, and a newsletter may
	// list an offer already closed), then the one most clearly about
	// applications, then the earliest. A "priority deadline" gives way to
	// the final one.
	today := time.Date(opts.Now.Year(), opts.Now.Month(), opts.Now.Day(), 0, 0, 0, 0, opts.Location)
	best, bestScore := -1, -1
	bestPast := false
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
		if c.cueStart >= 0 && softDeadline(text, c.cueStart, dates[i].Pos) {
			score--
		}
		past := lastDay(dates[i], opts.Location).Before(today)
		var better bool
		switch {
		case best < 0:
			better = true
		case past != bestPast:
			better = !past
		case score != bestScore:
			better = score > bestScore
		default:
			better = dates[i].Start.Before(dates[best].Start)
		}
		if better {
			best, bestScore, bestPast = i, score, past
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

	if r.Deadline.Kind == "" && !rolling(text) {
		r.Deadline = estimate(dates, ctxs, period, opts)
	}
	return r
}

// rollingPhrases say that applications are read as they come until the
// place is taken: such an offer has no deadline to estimate.
var rollingPhrases = []string{
	"rolling basis", "on a rolling", "until the position is filled", "until the role is filled",
	"until filled", "until the post is filled", "au fil de l'eau", "au fil des candidatures",
	"jusqu'à ce que le poste soit pourvu", "jusqu'a ce que le poste soit pourvu",
	"jusqu'au recrutement", "dès réception des candidatures", "des reception des candidatures",
	// A deadline stated without a date: an estimate from the start would
	// fall after it.
	"avant les congés", "avant les vacances", "avant les fêtes",
}

// rolling reports whether text says applications are read as they come.
// The text is normalised, so its apostrophes are plain; its line breaks
// and runs of spaces are read as one space, since a phrase may wrap ("will
// continue until the\nposition is filled").
func rolling(text string) bool {
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	lower := b.String()
	for _, ph := range rollingPhrases {
		if strings.Contains(lower, ph) {
			return true
		}
	}
	return false
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
	if strings.Contains(dl.Phrase, "\n") {
		// A label above its date: "Date limite de candidature 19
		// décembre 2025", on one line.
		dl.Phrase = strings.Join(strings.Fields(dl.Phrase), " ")
	}
	// The date and time are reported as written, in the zone the text
	// states if any; DueAt is the instant, in loc.
	zl := loc
	if d.zone != nil {
		zl = d.zone
	}
	w := d.Start.In(zl)
	timed := d.Grain <= GrainHour
	if !d.endAt.IsZero() {
		// "from 5 to 30 January at 12:00": the range closes at its time.
		w, timed = d.endAt.In(zl), true
	}
	day := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, zl)
	midnight := timed && w.Hour() == 0 && w.Minute() == 0
	// "avant le 30 novembre inclus" and "avant fin novembre" include the
	// day or the part of the month they name.
	before := c.cue.before && !inclusiveAfter(text[d.EndPos:]) && !endsMonth(d, loc)
	var due time.Time
	switch {
	case midnight && before && !d.clockFirst:
		// "avant le 15 janvier à minuit": the 15th at 00:00, so the 14th
		// is the last day.
		due = day
		dl.Time = "00:00"
		dl.Date = formatGrain(day, GrainDay)
		dl.LastDay = formatGrain(day.AddDate(0, 0, -1), GrainDay)
	case midnight:
		// "jusqu'au 15 janvier minuit", "before midnight on 15 January":
		// the midnight that ends the day.
		due = time.Date(w.Year(), w.Month(), w.Day(), 23, 59, 59, 0, zl)
		dl.Date, dl.LastDay = formatGrain(day, GrainDay), formatGrain(day, GrainDay)
	case timed:
		// A stated time wins: "avant le 15 mars à 12h".
		due = w
		dl.Time = w.Format("15:04")
		dl.Date, dl.LastDay = formatGrain(day, GrainDay), formatGrain(day, GrainDay)
	case before:
		// "avant le D": D at midnight; the last day is the day before.
		due = day
		dl.Date = formatGrain(day, GrainDay)
		dl.LastDay = formatGrain(day.AddDate(0, 0, -1), GrainDay)
	default:
		// "jusqu'au D", "date limite : D": all of D, and all of the last
		// month or year of a coarser date ("jusqu'en mars 2026").
		last := lastDay(d, loc)
		due = time.Date(last.Year(), last.Month(), last.Day(), 23, 59, 59, 0, loc)
		dl.Date, dl.LastDay = formatGrain(last, GrainDay), formatGrain(last, GrainDay)
	}
	due = due.In(loc)
	dl.DueAt = &due
	return dl
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
func endsMonth(d Date, loc *time.Location) bool {
	if d.End.IsZero() || d.Grain != GrainDay {
		return false
	}
	s, e := d.Start.In(loc), d.End.In(loc)
	return s.Day() > 1 && s.Month() == e.Month() && e.AddDate(0, 0, 1).Day() == 1
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
	interviewPast := false
	today := time.Date(opts.Now.Year(), opts.Now.Month(), opts.Now.Day(), 0, 0, 0, 0, loc)
	for i, c := range ctxs {
		d := &dates[i]
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

// roleOf reads the role of date d from its sentence, read after the date
// no further than next, where the next date starts: a cue after that date
// is about it ("en 2025 …, une rencontre organisée en mars 2025").
func roleOf(text string, d Date, nextPos int) mentionCtx {
	from, to := sentenceAround(text, d.Pos, d.EndPos)
	from = labelAbove(text, from, d.Pos)
	// A cue between this date and the next one in the same sentence is
	// read as the next one's ("vivra en 2025 …, une rencontre organisée en
	// mars 2025"): only the words before the next date are kept.
	shared := nextPos < to
	to = max(min(to, nextPos), d.EndPos)
	before := tokenize(nil, text[from:d.Pos])
	after := tokenize(nil, text[d.EndPos:to])
	c := mentionCtx{role: RoleOther, cueStart: -1}
	c.applying = hasApplicationWord(before) || hasApplicationWord(after) ||
		hasPhrase(before, applicationPhrases) || hasPhrase(after, applicationPhrases)
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
	notice := func(ci, _ int) {
		if r := cues[ci].role; r == RoleInterview || r == RoleOther {
			conflict = true
		}
	}
	eachCue(before, notice)
	eachCue(next, notice)
	if hasPhrase(before, missionPhrases) {
		conflict = true
	}

	// The nearest cue before the date wins; a weak deadline cue only
	// counts in a sentence about applying.
	type hit struct {
		cue
		ci, at, end int
	}
	var hits []hit
	eachCue(before, func(ci, at int) {
		cu := cues[ci]
		end := at + len(cu.words)
		if cu.near && !onlyGap(before[end:]) {
			return
		}
		hits = append(hits, hit{cu, ci, at, end})
	})
	// In the order of the cues table, which settles ties below.
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(a.ci-b.ci, a.at-b.at) })
	// A deadline cue earlier in the sentence makes a nearer weak one
	// about applying: "Date limite prolongée jusqu'au 20 janvier".
	stated := -1
	for _, h := range hits {
		if h.kind == cueDeadline && (stated < 0 || h.at < stated) {
			stated = h.at
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
		for moved := true; moved; {
			moved = false
			for _, o := range hits {
				if o.role == RoleDeadline && o.at < at && o.end >= at {
					at, moved = o.at, true
				}
			}
		}
		if h.role == RoleDeadline && d.Open {
			// "Candidatures : à partir du 1er mars" opens, never closes.
			continue
		}
		switch h.kind {
		case cueRange:
			if d.End.IsZero() || d.Open || !c.applying || conflict {
				continue
			}
			c.role, c.cue, c.cueStart = RoleDeadline, h.cue, from+int(before[at].pos)
			return c
		case cueWeak, cueWeakUntil:
			if c.applying && !conflict {
				c.role, c.cue, c.cueStart = RoleDeadline, h.cue, from+int(before[at].pos)
				return c
			}
			if stated >= 0 && stated < at && !conflict {
				c.role, c.cue, c.cueStart = RoleDeadline, h.cue, from+int(before[stated].pos)
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
		case cueSpan:
			// "Date limite de candidature au stage : 12 décembre" is no
			// period.
			if d.End.IsZero() || d.Open {
				continue
			}
		case cueOpen:
			// "Candidatures à partir de janvier" opens applications;
			// "from 2024" is no start.
			if c.applying || d.Grain == GrainYear {
				continue
			}
		}
		c.role, c.cue = h.role, h.cue
		if h.role == RoleInterview && (h.words[0] == "jury" || h.words[0] == "jurys") && !c.applying {
			// A jury that meets with no word of candidates judges a
			// contest or a defence: "le jury du concours photo se
			// réunira le 18 décembre".
			c.role = RoleEvent
		}
		return c.withPeriod(d)
	}
	// No cue before: a deadline cue right after the date, what the rest of
	// the sentence says, then a range in the title lines is the
	// internship's period.
	if c.applying && !conflict {
		rest := after
		// "le 15 décembre prochain au plus tard".
		for len(rest) > 0 && (rest[0].s == "," || rest[0].s == "(" || rest[0].s == "-" || rest[0].s == "prochain" ||
			rest[0].s == "prochaine") {
			rest = rest[1:]
		}
		for _, ph := range afterCues {
			if findCue(rest, ph, 0) == 0 {
				c.role, c.cue = RoleDeadline, cue{words: ph, role: RoleDeadline, kind: cueDeadline}
				return c
			}
		}
	}
	if !shared {
		first := -1
		eachCue(clause(after), func(ci, _ int) {
			if r := cues[ci].role; (r == RoleInterview || r == RoleEvent) && (first < 0 || ci < first) {
				first = ci
			}
		})
		if first >= 0 {
			c.role = cues[first].role
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

// cueIndex maps the first word of each cue to the cues' indices, so that a
// sentence is matched against the few cues its words can start.
var cueIndex = func() map[string][]int {
	idx := make(map[string][]int)
	for ci, cu := range cues {
		idx[cu.words[0]] = append(idx[cu.words[0]], ci)
	}
	return idx
}()

// eachCue calls fn with the index of every cue that matches ts and where,
// in the order of ts.
func eachCue(ts []token, fn func(ci, at int)) {
	for i := range ts {
		t := &ts[i]
		if t.kind == tNum {
			continue
		}
		for _, ci := range cueIndex[t.s] {
			if matchAt(ts, i, cues[ci].words) {
				fn(ci, i)
			}
		}
		if t.accent && t.s == "des" {
			for _, ci := range cueIndex["dès"] {
				if matchAt(ts, i, cues[ci].words) {
					fn(ci, i)
				}
			}
		}
	}
}

// matchAt reports whether words match ts at i; see findCue.
func matchAt(ts []token, i int, words []string) bool {
	if i+len(words) > len(ts) {
		return false
	}
	for k, w := range words {
		t := ts[i+k]
		if t.s != w && !(t.accent && w == "dès" && t.s == "des") {
			return false
		}
	}
	return true
}

// findCue returns the index of the first match of words in ts at or after
// from, or -1. The cue "dès" must be written with its accent: unaccented,
// it is the article "des".
func findCue(ts []token, words []string, from int) int {
	for i := from; i+len(words) <= len(ts); i++ {
		if matchAt(ts, i, words) {
			return i
		}
	}
	return -1
}

func hasPhrase(ts []token, phrases [][]string) bool {
	for _, ph := range phrases {
		if findCue(ts, ph, 0) >= 0 {
			return true
		}
	}
	return false
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
	for i, t := range ts {
		if t.kind != tWord {
			continue
		}
		if applicationVerbs[t.s] {
			return true
		}
		if t.s == "dossier" || t.s == "dossiers" {
			// "dossiers complets", "dossier de candidature", but not
			// "dossier de presse".
			k := i + 1
			if k < len(ts) && (ts[k].s == "de" || ts[k].s == "d") {
				if k++; k < len(ts) && ts[k].s == "'" {
					k++
				}
				if k < len(ts) && !strings.HasPrefix(ts[k].s, "candidat") {
					continue
				}
			}
			return true
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
		if text[i] == '\n' && softWrap(text, i) {
			continue
		}
		if text[i] == '\n' || (i+1 < pos && isStop(text[i]) && text[i+1] == ' ') {
			from = i + 1
			break
		}
	}
	to = min(len(text), end+sentenceWindow)
	for i := end; i < to; i++ {
		if text[i] == '\n' && softWrap(text, i) {
			continue
		}
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

// softWords, right before a deadline cue, make it a soft deadline that a
// later, final one overrides: "Priority deadline: 1 December".
var softWords = map[string]bool{
	"priority": true, "early": true, "preferred": true, "prioritaire": true, "anticipee": true,
}

// softDeadline reports whether the deadline cue at byte offset at, up to
// its date at pos, or the words just before it on its line, say it is a
// soft one.
func softDeadline(text string, at, pos int) bool {
	lo := at
	for lo > 0 && at-lo < 24 && text[lo-1] != '\n' {
		lo--
	}
	for lo < at && !startsRune(text[lo]) {
		lo++
	}
	for _, t := range tokenize(nil, text[lo:max(at, pos)]) {
		if softWords[t.s] {
			return true
		}
	}
	return false
}

// pastWords, before a date in its sentence, tell of a past edition.
var pastWords = map[string]bool{
	"etaient": true, "etait": true, "avaient": true, "avait": true, "furent": true, "were": true,
	"closed": true,
}

// moveWords say that a deadline was moved, so it still holds: "la date
// limite a été repoussée au …", "was extended to …".
var moveWords = []string{"prolong", "repouss", "report", "decal", "extend", "postpon"}

// pastSentence reports whether the sentence of d speaks of the past before
// the date: "les candidatures étaient ouvertes jusqu'au 31 janvier 2025".
func pastSentence(text string, d Date) bool {
	from, _ := sentenceAround(text, d.Pos, d.EndPos)
	past := false
	for _, t := range tokenize(nil, text[from:d.Pos]) {
		if t.kind != tWord {
			continue
		}
		for _, m := range moveWords {
			if strings.HasPrefix(t.s, m) {
				return false
			}
		}
		past = past || pastWords[t.s]
	}
	return past
}

// labelMax bounds the length of a label line read above its date.
const labelMax = 60

// labelAbove returns where the sentence of a date starting at pos begins
// when the date opens its line, from being that line's start, under a
// label line with no number: "Date limite de candidature" above "19
// décembre 2025", as definition lists, tables and copied web pages lay
// them out. One blank line may stand between. Otherwise it returns from.
func labelAbove(text string, from, pos int) int {
	if from == 0 || text[from-1] != '\n' {
		return from
	}
	for i := from; i < pos; i++ {
		switch text[i] {
		case ' ', '\t', '-', '*', ':', '|', '>':
		default:
			return from
		}
	}
	end := from - 1 // the line break before the date's line
	if end > 0 && text[end-1] == '\n' {
		end-- // one blank line
	}
	lo := max(0, end-labelMax-1)
	nl := strings.LastIndexByte(text[lo:end], '\n')
	if nl < 0 && lo > 0 {
		return from // longer than labelMax
	}
	start := lo + nl + 1
	label := strings.TrimRight(text[start:end], " \t")
	if label == "" || isStop(label[len(label)-1]) {
		return from
	}
	for i := 0; i < len(label); i++ {
		if label[i] >= '0' && label[i] <= '9' {
			return from
		}
	}
	return start
}

// softWrap reports whether the line break at text[i] only wraps a
// sentence, as text copied from a PDF does: the line before ends with no
// punctuation and the next starts with a small letter ("Les candidatures
// sont à envoyer\navant le 8 décembre").
func softWrap(text string, i int) bool {
	if i == 0 || i+1 >= len(text) {
		return false
	}
	switch text[i-1] {
	case '\n', '.', '!', '?', ';', ':', ',', ')', '|':
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i+1:])
	return unicode.IsLower(r)
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

// thresholdPhrases, right after a date, make it a minimum that a condition
// must reach, not a deadline: "visa valide jusqu'au 30/06/2026 au minimum".
var thresholdPhrases = [][]string{
	phrase("au moins"), phrase("au minimum"), phrase("minimum"), phrase("at least"), phrase("or later"),
	phrase("ou plus tard"),
}

// documentWords, just before a validity cue, say that a document is valid
// until the date, not the offer: "titre de séjour valable jusqu'au …".
var documentWords = map[string]bool{
	"visa": true, "visas": true, "passeport": true, "passport": true, "permis": true, "permit": true,
	"sejour": true, "residence": true, "identite": true, "carte": true, "card": true, "autorisation": true,
	"authorization": true, "authorisation": true,
}

// supersededWords, between a deadline cue (or the date before) and its
// date, say that the date no longer holds: "Ancienne date limite : 5
// décembre", "prolongée jusqu'au 20 janvier (initialement fixée au 10
// janvier)".
var supersededWords = map[string]bool{
	"ancienne": true, "ancien": true, "initialement": true, "initiale": true, "precedente": true,
	"anciennement": true, "previous": true, "previously": true, "original": true, "originally": true,
	"formerly": true, "old": true,
}

// otherObjectWords name something a student may apply for besides the
// offer itself: a grant, housing, a place at a forum. A date they govern
// in a sentence that does not name the offer (see offerWords) is that
// thing's deadline: "déposer leur demande de bourse avant le 1er
// décembre".
var otherObjectWords = map[string]bool{
	"bourse": true, "bourses": true, "scholarship": true, "scholarships": true, "grant": true,
	"grants": true, "logement": true, "housing": true, "forum": true, "webinaire": true, "webinar": true,
}

// offerWords name the offer itself.
var offerWords = map[string]bool{
	"stage": true, "stages": true, "poste": true, "postes": true, "emploi": true, "internship": true,
	"internships": true, "position": true, "job": true, "contrat": true, "alternance": true,
	"apprentissage": true, "offre": true, "mission": true, "volontariat": true,
}

// notApplying reports whether the deadline read for d is not the offer's
// application deadline after all: a minimum a condition must reach, a
// document's validity, a deadline since superseded, or that of another
// thing than the offer. prevEnd is where the date before d ends.
func notApplying(text string, d Date, c mentionCtx, prevEnd int) bool {
	rest := tokenize(nil, text[d.EndPos:min(len(text), d.EndPos+24)])
	for len(rest) > 0 && (rest[0].s == "," || rest[0].s == "(") {
		rest = rest[1:]
	}
	for _, ph := range thresholdPhrases {
		if findCue(rest, ph, 0) == 0 {
			return true
		}
	}
	from, to := sentenceAround(text, d.Pos, d.EndPos)
	if c.cueStart >= from {
		before := tokenize(nil, text[from:c.cueStart])
		for _, t := range before[max(0, len(before)-3):] {
			if documentWords[t.s] {
				return true
			}
		}
	}
	// The words from the cue to the date, and the two just before the cue.
	lo := max(from, prevEnd)
	at := max(lo, c.cueStart)
	lead := tokenize(nil, text[lo:at])
	for _, t := range append(lead[max(0, len(lead)-2):], tokenize(nil, text[at:d.Pos])...) {
		if supersededWords[t.s] {
			return true
		}
	}
	other := false
	for _, t := range tokenize(nil, text[from:d.Pos]) {
		other = other || otherObjectWords[t.s]
	}
	if !other {
		return false
	}
	for _, t := range tokenize(nil, text[from:to]) {
		if offerWords[t.s] {
			return false
		}
	}
	return true
}
