package deadline

// This file holds the table of vetoes: the reasons a date that a cue made
// a deadline is not this offer's application deadline after all. A veto
// is data: a name, where its words are looked for, the words, the words
// that lift it, and one example that TestVetoExamples reads. A vetoed
// date's role becomes other.

// scope is the stretch of tokens a veto reads, around a candidate.
type scope uint8

const (
	// scopeDate reads no word: the veto is about the date itself.
	scopeDate scope = iota
	// scopeBefore is the sentence from its start to the date (without a
	// label line above it).
	scopeBefore
	// scopeSentence is the whole sentence, up to its end.
	scopeSentence
	// scopeRightAfter is what follows the date within 24 bytes, after a
	// comma or a bracket; a phrase must start it.
	scopeRightAfter
	// scopeBeforeCue is the three tokens before the cue.
	scopeBeforeCue
	// scopeRightBefore is the three tokens right before the date.
	scopeRightBefore
	// scopeCueToDate is the two tokens before the cue and those from the
	// cue to the date, none before the date before.
	scopeCueToDate
)

// veto is one entry of the table.
type veto struct {
	name  string
	scope scope
	// words are phrases, tokenised as the text is; prefix matches single
	// words by their start.
	words  []string
	prefix bool
	// deictic vetoes a date named from the reference day ("demain").
	deictic bool
	// unless are words that, found in unlessScope, lift the veto.
	unless       []string
	unlessScope  scope
	unlessPrefix bool
	// example is a sentence whose only deadline cue the veto takes back.
	example string
}

// vetoes are read in order; the first that applies names the veto.
var vetoes = []veto{
	// "Postulez d'ici demain": tomorrow from when the text was written,
	// which is not the reference time, so no date.
	{name: "deictic", scope: scopeDate, deictic: true,
		example: "Merci de postuler d'ici demain."},
	// "Les candidatures étaient ouvertes jusqu'au 31 janvier 2025": a past
	// edition's deadline, unless it was moved ("a été repoussée au").
	{name: "past-edition", scope: scopeBefore,
		words:  []string{"etaient", "etait", "avaient", "avait", "furent", "were", "closed"},
		unless: []string{"prolong", "repouss", "report", "decal", "extend", "postpon"}, unlessScope: scopeBefore,
		unlessPrefix: true,
		example:      "Les candidatures pour la session 2025 étaient ouvertes jusqu'au 31 janvier 2025."},
	// A minimum a condition must reach: "visa valide jusqu'au 30/06/2026
	// au minimum".
	{name: "threshold", scope: scopeRightAfter,
		words:   []string{"au moins", "au minimum", "minimum", "at least", "or later", "ou plus tard"},
		example: "Candidats non européens : visa valide jusqu'au 30/06/2026 au minimum."},
	// A document valid until the date, not the offer: "titre de séjour
	// valable jusqu'au …".
	{name: "document", scope: scopeBeforeCue,
		words: []string{"visa", "visas", "passeport", "passport", "permis", "permit", "sejour", "residence",
			"identite", "carte", "card", "autorisation", "authorization", "authorisation"},
		example: "Titre de séjour valable jusqu'au 30 juin 2026 exigé pour les candidats."},
	// A deadline since superseded: "Ancienne date limite : 5 décembre",
	// "prolongée jusqu'au 20 janvier (initialement fixée au 10 janvier)".
	{name: "superseded", scope: scopeCueToDate,
		words: []string{"ancienne", "ancien", "initialement", "initiale", "precedente", "anciennement", "previous",
			"previously", "original", "originally", "formerly", "old"},
		example: "Ancienne date limite : 5 décembre 2025"},
	// A date the text denies: "la date limite est le 12 décembre et non le
	// 5 décembre".
	{name: "negated", scope: scopeRightBefore,
		words:   []string{"et non", "non pas", "and not", "not on", "au lieu du", "au lieu de", "instead of"},
		example: "Attention : la date limite est fixée et non le 5 décembre 2025 comme annoncé."},
	// The deadline of something a student may apply for besides the offer,
	// a grant, housing, a place at a forum, in a sentence that does not
	// name the offer: "déposer leur demande de bourse avant le 1er
	// décembre".
	{name: "other-object", scope: scopeBefore,
		words: []string{"bourse", "bourses", "scholarship", "scholarships", "grant", "grants", "logement",
			"housing", "forum", "webinaire", "webinar", "bénévoles", "bénévole", "volunteers", "volunteer",
			"portes ouvertes", "open day", "familles", "parents", "bts", "parcoursup", "tuteurs",
			"tuteur", "tutors", "convention", "billetterie", "colloque", "atelier", "workshop"},
		unless: []string{"stage", "stages", "poste", "postes", "emploi", "internship", "internships", "position",
			"job", "contrat", "alternance", "apprentissage", "offre", "mission", "volontariat"},
		unlessScope: scopeSentence,
		example:     "Les candidats déposent leur demande de bourse avant le 1er décembre 2025."},
}

// vetoWords are the words of each veto, by index, and vetoUnless the
// words that lift it.
var vetoWords, vetoUnless = func() (words, unless []*phraseSet) {
	for _, v := range vetoes {
		words = append(words, newPhraseSet(markVeto, v.words...))
		unless = append(unless, newPhraseSet(markVeto, v.unless...))
	}
	return words, unless
}()

// vetoReasons holds "veto:" and the name of each veto, in the order of
// vetoes, so that a reason costs no allocation.
var vetoReasons = func() []string {
	rs := make([]string, len(vetoes))
	for i, v := range vetoes {
		rs[i] = "veto:" + v.name
	}
	return rs
}()

// vetoReason returns "veto:" and the veto's name.
func vetoReason(name string) string {
	for i, v := range vetoes {
		if v.name == name {
			return vetoReasons[i]
		}
	}
	return "veto:" + name
}

// veto returns the name of the first veto that applies to c, or "".
func (dc *doc) veto(c *candidate) string {
	// Several vetoes read the same scope: each is found once.
	var scopes [scopeCueToDate + 1]struct {
		r             run
		atStart, read bool
	}
	scopeOf := func(s scope) (run, bool) {
		sc := &scopes[s]
		if !sc.read {
			sc.r, sc.atStart = dc.scope(c, s)
			sc.read = true
		}
		return sc.r, sc.atStart
	}
	for i, v := range vetoes {
		if v.deictic {
			if c.date.Deictic {
				return v.name
			}
			continue
		}
		ts, atStart := scopeOf(v.scope)
		if !has(ts, vetoWords[i], v.prefix, atStart) {
			continue
		}
		if v.unless != nil {
			us, atStart := scopeOf(v.unlessScope)
			if has(us, vetoUnless[i], v.unlessPrefix, atStart) {
				continue
			}
		}
		return v.name
	}
	return ""
}

// scope returns the tokens of scope s around c, and whether a phrase must
// start them.
func (dc *doc) scope(c *candidate, s scope) (ts run, atStart bool) {
	d := c.date
	switch s {
	case scopeBefore:
		return dc.span(c.sentFrom, d.Pos), false
	case scopeSentence:
		return dc.span(c.sentFrom, c.sentTo), false
	case scopeRightAfter:
		rest := dc.span(d.EndPos, min(len(dc.txt), d.EndPos+24))
		for rest.Len() > 0 && (rest.ts.S(0) == "," || rest.ts.S(0) == "(") {
			rest = rest.Window(1, rest.Len())
		}
		return rest, true
	case scopeBeforeCue:
		if c.cueStart < c.sentFrom {
			return run{}, false
		}
		before := dc.span(c.sentFrom, c.cueStart)
		return before.Window(max(0, before.Len()-3), before.Len()), false
	case scopeRightBefore:
		before := dc.span(c.sentFrom, d.Pos)
		return before.Window(max(0, before.Len()-3), before.Len()), false
	case scopeCueToDate:
		lo := max(c.sentFrom, c.prevEnd)
		at := max(lo, c.cueStart)
		// The two stretches follow each other: their tokens are one run.
		i, j := dc.spanIndex(lo, at)
		_, k := dc.spanIndex(at, d.Pos)
		return dc.window(max(i, j-2), k), false
	}
	return run{}, false
}

// has reports whether r holds one of the phrases of set (at its start
// when atStart); with prefix, single words match by their start.
func has(r run, set *phraseSet, prefix, atStart bool) bool {
	switch {
	case prefix:
		return r.holdsPrefix(set)
	case atStart:
		return r.startsWith(set)
	}
	return r.holds(set)
}
