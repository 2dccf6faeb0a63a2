package deadline

import (
	"bytes"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file decides how sure the reading is. A deadline is read with
// confidence high when nothing casts a doubt on it; otherwise it goes to
// review, and each doubt is named in Reasons with the prefix "doubt:".
// An administrator confirms or corrects a deadline to review before its
// reminders go.

// Confidences.
const (
	ConfidenceHigh   = "high"
	ConfidenceReview = "review"
)

// Doubts, the names of what makes a reading uncertain.
const (
	// DoubtCompeting: another candidate, about applying and still to
	// come, gives a different date.
	DoubtCompeting = "doubt:competing"
	// DoubtCueNotApplying: the sentence of the deadline speaks of
	// something else (an interview, an event, the work, a grant).
	DoubtCueNotApplying = "doubt:cue-not-applying"
	// DoubtOutside: the date stands outside the offer's own text (a
	// related link, a quoted older mail, the page around the offer).
	DoubtOutside = "doubt:outside"
	// DoubtCorrection: the text corrects or extends a deadline.
	DoubtCorrection = "doubt:correction"
	// DoubtEstimated: the deadline is an estimate.
	DoubtEstimated = "doubt:estimated"
	// DoubtYearInferred: the date is written without its year.
	DoubtYearInferred = "doubt:year-inferred"
	// DoubtWeakCue: only a weak cue gives the date (a listing's
	// expiry, schema.org validThrough).
	DoubtWeakCue = "doubt:weak-cue"
	// DoubtPast: the deadline had passed when the offer was read.
	DoubtPast = "doubt:past"
	// DoubtVetoed: no deadline, but a date a cue made one was taken back.
	DoubtVetoed = "doubt:vetoed"
)

// maxDoubts is the number of doubts above: a reading has each once at
// most.
const maxDoubts = 9

// weakRules are the cues that state a deadline only weakly: a listing's
// lifetime may not be the deadline to apply.
var weakRules = map[string]bool{"expires": true, "valable-jusqu-au": true, "valid-through": true}

// correctionPhrases, in the sentence of a date a cue made a deadline,
// say that a deadline was moved or corrected; correctionNotices say so
// anywhere in the text.
var (
	correctionPhrases = newPhraseSet(markDoubt,
		"nouvelle date", "reportée", "repoussée", "prolongée", "prolongé", "prolongation", "mise à jour",
		"mis à jour", "extended", "extension", "postponed", "new deadline", "updated", "correction",
		"modifiée", "décalée", "initialement", "originally", "au lieu du", "instead of",
	)
	correctionNotices = newPhraseSet(0,
		"nouvelle date limite", "rectificatif", "erratum", "corrigendum", "annule et remplace",
		"deadline extended", "deadline has been extended", "date limite prolongée", "date limite reportée",
	)
)

// otherObjectPhrases name what a student may sign up for besides the
// offer; in the sentence of a deadline they cast a doubt on it.
var otherObjectPhrases = newPhraseSet(markDoubt,
	"bénévoles", "bénévole", "volunteers", "volunteer", "inscriptions scolaires", "inscription scolaire",
	"rentrée", "bourse", "scholarship", "logement", "housing", "forum", "webinaire", "webinar",
	"billetterie", "tickets", "conférence", "conference", "atelier", "workshop", "salon", "concours photo",
	"abonnement", "newsletter", "adhésion",
)

// outsideHeadings, on a line of their own, start what is not the offer:
// related posts, other offers, the site's news.
var outsideHeadings = []string{
	"a lire aussi", "lire aussi", "a lire egalement", "articles similaires", "articles lies", "sur le meme sujet",
	"dans la meme rubrique", "autres offres", "offres similaires", "vous aimerez aussi", "voir aussi",
	"related posts", "related articles", "related jobs", "similar jobs", "you may also like", "more jobs",
	"actualites", "agenda", "derniers articles", "dernieres actualites", "a la une", "evenements a venir",
	"upcoming events", "latest news", "read also", "see also",
}

// confidence appends to doubts the doubts on dl and returns the extended
// slice, and sets dl's Confidence; Assign adds the doubts to dl's
// reasons. best is the index in cs of the winning candidate, -1 when
// none; vetoed says whether a candidate was taken back.
func (rk *ranker) confidence(doubts []string, dl *Deadline, cs []candidate, best int, vetoed bool) []string {
	add := func(d string) {
		for _, x := range doubts {
			if x == d {
				return
			}
		}
		doubts = append(doubts, d)
	}
	dc := rk.dc
	switch dl.Kind {
	case KindEstimated:
		add(DoubtEstimated)
		if dl.DueAt != nil && dl.DueAt.Before(rk.today) {
			add(DoubtPast)
		}
	case KindNone:
		if vetoed {
			add(DoubtVetoed)
		}
	case KindExplicit:
		if best < 0 {
			// Read from the page's validThrough.
			add(DoubtWeakCue)
			if dl.DueAt != nil && dl.DueAt.Before(rk.today) {
				add(DoubtPast)
			}
			break
		}
		w := &cs[best]
		if w.date.YearInferred && (rk.past(w) || lastDay(*w.date, rk.loc).After(rk.today.AddDate(0, 0, inferredAhead))) {
			add(DoubtYearInferred)
		}
		if weakRules[w.rule] {
			add(DoubtWeakCue)
		}
		if dl.DueAt != nil && dl.DueAt.Before(rk.today) {
			add(DoubtPast)
		}
		if w.conflict != "" || dc.span(w.sentFrom, w.sentTo).holds(otherObjectPhrases) {
			add(DoubtCueNotApplying)
		}
		if dc.outside(w.date.Pos) {
			add(DoubtOutside)
		}
		for i := range cs {
			o := &cs[i]
			if i == best || o.role != RoleDeadline || rk.past(o) || !(o.applying || o.stated) {
				continue
			}
			if lastDay(*o.date, rk.loc).Equal(lastDay(*w.date, rk.loc)) {
				continue
			}
			if name, _ := rk.compare(w, o); name == "firm" || name == "future" {
				continue
			}
			add(DoubtCompeting)
		}
		if dc.corrected(cs) {
			add(DoubtCorrection)
		}
	}
	dl.Confidence = ConfidenceHigh
	if len(doubts) > 0 {
		dl.Confidence = ConfidenceReview
	}
	return doubts
}

// inferredAhead is how many days ahead a date written without its year
// may fall and be sure: a deadline "le 5 décembre" read in November is
// this year's, one read in August that falls next spring may be a past
// edition's.
const inferredAhead = 120

// corrected reports whether the text corrects or extends a deadline: a
// notice anywhere, or words of a correction in the sentence of a date a
// cue made a deadline or an end ("appel prolongé jusqu'au"), or on the
// line above it.
func (dc *doc) corrected(cs []candidate) bool {
	if correctionNotices.in(dc.toks) {
		return true
	}
	// Dates of one sentence share it: it is read once.
	lastFrom, lastTo := -1, -1
	for i := range cs {
		c := &cs[i]
		if c.role != RoleDeadline && c.role != RoleEnd && c.vetoed == "" {
			continue
		}
		from := c.sentFrom
		if from > 0 {
			from = strings.LastIndexByte(dc.txt[:from-1], '\n') + 1
		}
		if from == lastFrom && c.sentTo == lastTo {
			continue
		}
		lastFrom, lastTo = from, c.sentTo
		if dc.span(from, c.sentTo).holds(correctionPhrases) {
			return true
		}
	}
	return false
}

// outside reports whether byte offset pos stands outside the offer's own
// text: on a quoted line ("> ") of a mail whose own lines hold the offer,
// or under a heading of related posts or of the site's news.
func (dc *doc) outside(pos int) bool {
	ls := strings.LastIndexByte(dc.txt[:pos], '\n') + 1
	line := strings.TrimLeft(dc.txt[ls:pos], " \t")
	if strings.HasPrefix(line, ">") && dc.ownLines() > 3 {
		return true
	}
	var buf [64]byte
	for at := 0; at < pos; {
		nl := strings.IndexByte(dc.txt[at:pos], '\n')
		var l string
		if nl < 0 {
			l = dc.txt[at:pos]
			at = pos
		} else {
			l = dc.txt[at : at+nl]
			at += nl + 1
		}
		if len(l) > 40 || nl < 0 || strings.IndexByte(l, ' ') < 0 {
			continue
		}
		// Folded on the stack, and compared without a string made.
		h := bytes.Trim(text.AppendFold(buf[:0], l), " \t#*-:_=|>")
		for _, o := range outsideHeadings {
			if string(h) == o {
				return true
			}
		}
	}
	return false
}

// ownLines counts the lines of the text that are not quoted and not blank.
func (dc *doc) ownLines() int {
	n := 0
	for l := range strings.SplitSeq(dc.txt, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, ">") {
			n++
		}
	}
	return n
}
