package deadline

import (
	"slices"
	"time"
)

// This file ranks the dates that cues made deadlines, when an offer states
// more than one: an offer that recalls last year's closing date states
// this year's too, a newsletter may list an offer already closed, and a
// "priority deadline" gives way to the final one.

// criterion compares two deadline candidates; better returns a positive
// number when a is the better one, negative when b is, 0 when they are
// even on it.
type criterion struct {
	name   string
	better func(r *ranker, a, b *candidate) int
}

// ranking is the order in which the criteria are compared: the first that
// tells two candidates apart decides.
var ranking = []criterion{
	// A deadline still to come before one already passed.
	{"future", func(r *ranker, a, b *candidate) int { return flag(!r.past(a)) - flag(!r.past(b)) }},
	// A deadline that corrects or extends another ("reportée au").
	{"corrects", func(_ *ranker, a, b *candidate) int {
		return flag(a.rule == "correction") - flag(b.rule == "correction")
	}},
	// A deadline stated by its cue ("date limite") before one read from a
	// weak cue ("avant le").
	{"stated", func(_ *ranker, a, b *candidate) int { return flag(a.stated) - flag(b.stated) }},
	// One in a sentence about applying.
	{"applying", func(_ *ranker, a, b *candidate) int { return flag(a.applying) - flag(b.applying) }},
	// A final deadline before a soft one ("priority deadline").
	{"firm", func(r *ranker, a, b *candidate) int { return flag(!r.soft(a)) - flag(!r.soft(b)) }},
	// Then the earliest.
	{"earliest", func(_ *ranker, a, b *candidate) int { return b.date.Start.Compare(a.date.Start) }},
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ranker holds what the criteria need beyond the candidates.
type ranker struct {
	dc    *doc
	today time.Time
	loc   *time.Location
}

func (r *ranker) past(c *candidate) bool { return lastDay(*c.date, r.loc).Before(r.today) }

func (r *ranker) soft(c *candidate) bool {
	return c.cueStart >= 0 && r.dc.softDeadline(c.cueStart, c.date.Pos)
}

// compare returns the first criterion that tells a from b, and its verdict
// (positive when a is better); "" and 0 when none does.
func (r *ranker) compare(a, b *candidate) (string, int) {
	for _, cr := range ranking {
		if v := cr.better(r, a, b); v != 0 {
			return cr.name, v
		}
	}
	return "", 0
}

// best returns the index of the best of the deadline candidates cs, -1
// when there is none.
func (r *ranker) best(cs []candidate) int {
	best := -1
	for i := range cs {
		if cs[i].role != RoleDeadline {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		if _, v := r.compare(&cs[i], &cs[best]); v > 0 {
			best = i
		}
	}
	return best
}

// rankReasons appends to dst the names of the criteria that put cs[best]
// before each of the other deadline candidates ("rank:future"), once
// each, and returns the extended slice.
func (r *ranker) rankReasons(dst []string, cs []candidate, best int) []string {
	n := len(dst)
	for i := range cs {
		if i == best || cs[i].role != RoleDeadline {
			continue
		}
		if name, _ := r.compare(&cs[best], &cs[i]); name != "" {
			if reason := rankReason(name); !slices.Contains(dst[n:], reason) {
				dst = append(dst, reason)
			}
		}
	}
	return dst
}

// rankReasonList holds "rank:" and the name of each criterion, in the
// order of ranking, so that a reason costs no allocation.
var rankReasonList = func() []string {
	rs := make([]string, len(ranking))
	for i, cr := range ranking {
		rs[i] = "rank:" + cr.name
	}
	return rs
}()

// rankReason returns "rank:" and the criterion's name.
func rankReason(name string) string {
	for i, cr := range ranking {
		if cr.name == name {
			return rankReasonList[i]
		}
	}
	return "rank:" + name
}

// softWords, right before a deadline cue, make it a soft deadline that a
// later, final one overrides: "Priority deadline: 1 December".
var softWords = map[string]bool{
	"priority": true, "early": true, "preferred": true, "prioritaire": true, "anticipee": true,
}

// softDeadline reports whether the deadline cue at byte offset at, up to
// its date at pos, or the words just before it on its line, say it is a
// soft one.
func (dc *doc) softDeadline(at, pos int) bool {
	lo := at
	for lo > 0 && at-lo < 24 && dc.txt[lo-1] != '\n' {
		lo--
	}
	return dc.span(lo, max(at, pos)).soft()
}
