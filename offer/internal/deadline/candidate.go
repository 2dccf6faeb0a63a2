package deadline

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/text"
)

// This file reads the role of each date from its sentence: it finds the
// cues of the table before the date (and after it), and applies the one
// nearest the date according to its kind. The words are those of the
// text's tokens, read once.

// candidate is one date with what was read around it.
type candidate struct {
	date *dates.Date
	// sentFrom and sentTo bound the date's sentence in the text.
	sentFrom, sentTo int
	// prevEnd is where the date before ends, 0 for the first.
	prevEnd int
	// applying is set when the sentence is about applying.
	applying bool
	// conflict names what keeps the sentence from giving a weak deadline
	// (a cue of an interview or of the employer's answer, the work
	// itself), "" when nothing does.
	conflict string

	// role is the date's role and rule the name of the rule that gave it,
	// "" when none did.
	role, rule string
	// cueStart is where the phrase that states a deadline starts, -1 when
	// it starts with the date.
	cueStart int
	// stated is set when the deadline's cue states it by itself.
	stated bool
	// dayBefore is set when the deadline is the day before the date
	// ("avant le 31 octobre").
	dayBefore bool
	// vetoed names the veto that took the deadline back, "" when none.
	vetoed string
}

// hit is a cue found before a date: cues[ci] over before[at:end].
type hit struct {
	ci, at, end int
}

// read reads the role of c's date from its sentence, read after the date
// no further than nextPos, where the next date starts: a cue after that
// date is about it ("en 2025 …, une rencontre organisée en mars 2025").
func (dc *doc) read(c *candidate, nextPos int) {
	d := c.date
	c.role, c.cueStart = RoleOther, -1
	from, to := sentenceAround(dc.txt, d.Pos, d.EndPos)
	c.sentFrom, c.sentTo = from, to
	from = labelAbove(dc.txt, from, d.Pos)
	// A cue between this date and the next one in the same sentence is
	// read as the next one's: only the words before the next date are
	// kept.
	shared := nextPos < to
	to = max(min(to, nextPos), d.EndPos)
	before := dc.span(from, d.Pos)
	after := dc.span(d.EndPos, to)
	c.applying = before.aboutApplying() || after.aboutApplying()

	// A sentence about interviews or the employer's answer is not about
	// the deadline, even if it speaks of candidates ("les candidats seront
	// convoqués avant le …"), nor one about the work itself.
	notice := func(ci int) {
		if r := cues[ci].role; c.conflict == "" && (r == RoleInterview || r == RoleOther) {
			c.conflict = cues[ci].name
		}
	}
	// The cues before the date, read once: each may be a conflict, and
	// each is a hit unless it must be near the date and is not.
	// Few sentences hold more cues than the array, which keeps them on
	// the stack.
	var hitBuf [16]hit
	hits := hitBuf[:0]
	before.eachCue(func(ci, at int) {
		notice(ci)
		end := at + len(cues[ci].words)
		if cues[ci].near && !onlyGap(before.ts.Window(end, before.Len())) {
			return
		}
		hits = append(hits, hit{ci, at, end})
	})
	untilPause(after).eachCue(func(ci, _ int) { notice(ci) })
	if c.conflict == "" && before.holds(missionPhrases) {
		c.conflict = "mission"
	}
	// In the order of the cues table, which settles ties below.
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(a.ci-b.ci, a.at-b.at) })
	// A stated deadline cue earlier in the sentence makes a nearer weak
	// one a deadline: "Date limite prolongée jusqu'au 20 janvier".
	stated := -1
	for _, h := range hits {
		if cues[h.ci].kind == kindStated && (stated < 0 || h.at < stated) {
			stated = h.at
		}
	}
	// A calendar line that opens with its date: "15/01/2026 : clôture des
	// candidatures", "Monday 12 January 2026 : Deadline for application".
	if rule := dc.dateFirst(d.Pos, after); rule != "" {
		c.role, c.rule, c.stated = RoleDeadline, rule, true
		return
	}
	// An open range ("à partir du 6 janvier") carries its own start cue.
	if d.Open && !c.applying {
		c.give(RoleStart, "open-range")
		return
	}
	// "La date limite de réception des dossiers, transmis par les
	// établissements d'accueil, est le jeudi 15 janvier": the date is what
	// the subject is, whatever cue stands in a clause between them.
	if stated >= 0 && copulaBefore(before.ts) {
		for _, h := range hits {
			if h.at == stated && cues[h.ci].kind == kindStated {
				if c.take(&cues[h.ci], before.ts.Pos(h.at), false, 0) {
					return
				}
			}
		}
	}
	for len(hits) > 0 {
		// The cue that ends nearest the date, the longer of two.
		n := 0
		for k, h := range hits {
			if h.end > hits[n].end || h.end == hits[n].end && len(cues[h.ci].words) > len(cues[hits[n].ci].words) {
				n = k
			}
		}
		h := hits[n]
		hits = slices.Delete(hits, n, n+1)
		// The phrase starts at the earliest deadline cue that overlaps
		// this one: "date limite de candidature".
		at := h.at
		for moved := true; moved; {
			moved = false
			for _, o := range hits {
				if cues[o.ci].role == RoleDeadline && o.at < at && o.end >= at {
					at, moved = o.at, true
				}
			}
		}
		if c.take(&cues[h.ci], before.ts.Pos(at), stated >= 0 && stated < at, before.ts.Pos(max(stated, 0))) {
			return
		}
	}

	// No cue before: a deadline cue right after the date, in a sentence
	// about applying ("le 15 décembre prochain au plus tard").
	if c.applying && c.conflict == "" {
		rest := after.ts
		for rest.Len() > 0 && afterSkip[rest.S(0)] {
			rest = rest.Window(1, rest.Len())
		}
		for _, a := range afterCues {
			if matchAt(rest, 0, a.words) {
				c.role, c.rule, c.stated = RoleDeadline, a.rule.name, true
				return
			}
		}
	}
	// Then the first cue of the table read after the date in its clause
	// ("le 3 mars, journée portes ouvertes"), unless the next date stands
	// in the same sentence.
	if !shared {
		first := -1
		clause(after, d.EndPos).eachCue(func(ci, _ int) {
			if cues[ci].alsoAfter && (first < 0 || ci < first) {
				first = ci
			}
		})
		if first >= 0 {
			c.role, c.rule = cues[first].role, cues[first].name
			return
		}
	}
	// Last, a range in the title lines is the internship's period.
	if !d.End.IsZero() && inTitle(dc.txt, d.Pos) {
		c.role, c.rule = RolePeriod, "title-range"
	}
}

// copulas, right before a date, make it what the sentence's subject is:
// "la date limite … est le 15 janvier".
var copulas = phrases("est le", "est fixée au", "est fixé au", "est fixée le", "sera le", "est", "is", "will be",
	"is on", "est au", "reste le", "demeure le")

// copulaBefore reports whether before ends with a copula.
func copulaBefore(before text.Tokens) bool {
	n := before.Len()
	for _, cp := range copulas {
		if n >= len(cp) && matchAt(before, n-len(cp), cp) {
			return true
		}
	}
	return false
}

// dateFirst returns the name of the deadline cue that follows a date
// opening its line at pos, after a colon or a dash, on the same line; ""
// when there is none.
func (dc *doc) dateFirst(pos int, after run) string {
	if !opensLine(dc.txt, pos) || after.Len() < 2 {
		return ""
	}
	switch after.ts.S(0) {
	case ":", "-", "–", "|", "=":
	default:
		return ""
	}
	// The line ends at the first line break after pos, looked for from
	// one token to the next.
	line := after
	for i, from := 0, pos; i < after.Len(); i++ {
		if strings.IndexByte(dc.txt[from:after.ts.Pos(i)], '\n') >= 0 {
			line = after.Window(0, i)
			break
		}
		from = after.ts.Pos(i)
	}
	rule := ""
	line.Window(1, line.Len()).eachCue(func(ci, at int) {
		if rule == "" && at <= 2 && cues[ci].role == RoleDeadline && cues[ci].kind == kindStated {
			rule = cues[ci].name
		}
	})
	return rule
}

// lineMarks may stand before a date that opens its line: "- 15/01/2026 :".
const lineMarks = " \t-*•|>"

// opensLine reports whether only lineMarks stand between the start of
// the line of pos and pos: strings.Trim of that stretch by lineMarks is
// empty. It reads back from pos, not from the line's start, which may be
// far in a text of long lines.
func opensLine(txt string, pos int) bool {
	for i := pos; i > 0; {
		r, n := utf8.DecodeLastRuneInString(txt[:i])
		if r == '\n' {
			return true
		}
		if !strings.ContainsRune(lineMarks, r) {
			return false
		}
		i -= n
	}
	return true
}

// take applies the cue cu found before c's date, as its kind says, and
// reports whether the role is settled; when it is not, the next cue is
// tried. at is where the cue's phrase starts; statedBefore is set when a
// stated deadline cue stands earlier in the sentence, at statedAt.
func (c *candidate) take(cu *cue, at int, statedBefore bool, statedAt int) bool {
	d := c.date
	if cu.role == RoleDeadline && d.Open {
		// "Candidatures : à partir du 1er mars" opens, never closes.
		return false
	}
	deadline := func(at int) bool {
		c.role, c.rule, c.cueStart = RoleDeadline, cu.name, at
		c.stated, c.dayBefore = cu.kind == kindStated, cu.before
		return true
	}
	closed := !d.End.IsZero() && !d.Open
	switch cu.kind {
	case kindStated:
		return deadline(at)
	case kindRange:
		if !closed || !c.applying || c.conflict != "" {
			return false
		}
		return deadline(at)
	case kindWeak, kindUntil:
		switch {
		case c.conflict != "":
		case c.applying:
			return deadline(at)
		case statedBefore:
			return deadline(statedAt)
		}
		if cu.kind == kindUntil {
			c.role, c.rule = RoleEnd, cu.name
			return true
		}
		return false
	case kindSpan:
		if !closed {
			return false
		}
	case kindOpen:
		// "Candidatures à partir de janvier" opens applications; "from
		// 2024" is no start.
		if c.applying || d.Grain == dates.GrainYear {
			return false
		}
	}
	role := cu.role
	if cu.otherwise != "" && !c.applying {
		role = cu.otherwise
	}
	c.give(role, cu.name)
	return true
}

// give sets c's role, turning a start or period on a range of a month or
// more into the period of the internship ("Stage du 1er mars au 31 août"),
// and a period of one day into a start ("Dates : 3 mars").
func (c *candidate) give(role, rule string) {
	d := c.date
	if role == RolePeriod && d.End.IsZero() && !d.Open {
		role = RoleStart
	}
	if role == RoleStart && !d.End.IsZero() && d.End.Sub(d.Start) >= 27*24*time.Hour {
		role = RolePeriod
	}
	c.role, c.rule = role, rule
}

// untilPause returns the tokens of after up to a comma, a colon or a
// bracket.
func untilPause(after run) run {
	for i := range after.Len() {
		if s := after.ts.S(i); s == "," || s == ":" || s == "(" {
			return after.Window(0, i)
		}
	}
	return after
}

// clause returns the tokens of after up to a colon or a bracket, and
// within about 100 bytes of base, where after starts: "Cosmocité a ouvert
// ses portes le 30 septembre 2023 est équipé de : … expositions" is not
// about an exhibition.
func clause(after run, base int) run {
	for i := range after.Len() {
		if s := after.ts.S(i); s == ":" || s == "(" || after.ts.Pos(i)-base > 100 {
			return after.Window(0, i)
		}
	}
	return after
}
