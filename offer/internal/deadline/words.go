package deadline

import (
	"slices"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file holds the word lists that say what a sentence is about:
// applying, the work itself, or nothing a cue needs to be kept from its
// date.

// applicationWords, as folded word prefixes, make a sentence about
// applying.
var applicationWords = []string{
	"candidat", "postul", "cv", "motivation", "inscription", "apply", "applica", "submit", "send", "resume",
	// "les vœux sont à saisir avant le …": the choice of a hospital or
	// a school placement.
	"voeu",
}

// applicationStarts are applicationWords by their first byte, so that a
// word is compared with the few that start as it does.
var applicationStarts = func() (by [256][]string) {
	for _, p := range applicationWords {
		by[p[0]] = append(by[p[0]], p)
	}
	return by
}()

// applicationVerbs, whole folded words, make a sentence about applying;
// the passive "sera envoyé aux journalistes" does not.
var applicationVerbs = map[string]bool{
	"envoyez": true, "envoyer": true, "envoi": true, "envoyant": true, "adressez": true, "adresser": true,
	"transmettez": true, "transmettre": true, "deposez": true, "deposer": true, "depot": true,
}

// applicationVerbFirst holds applicationVerbs, to pass over at once the
// words that are none.
var applicationVerbFirst = func() (f firstWords) {
	for w := range applicationVerbs {
		f.add(w)
	}
	return f
}()

// applicationPhrases make a sentence about applying although they hold no
// application word: "Réponse souhaitée avant le 20 novembre".
var applicationPhrases = newPhraseSet(markApplying, "réponse souhaitée", "réponse attendue", "réponses souhaitées", "réponse demandée",
	// Calls, which a student answers as one applies: "L'appel à
	// participation est ouvert jusqu'au 17 décembre".
	"appel à candidatures", "appel à candidature", "appel à projets", "appel à projet", "appel à participation",
	"appel à contributions", "appel à manifestation", "call for applications", "call for proposals",
	"call for participation", "recrutements ouverts", "recrutement ouvert", "appel prolongé", "appel ouvert")

// missionPhrases describe the work, not the application: "vous serez en
// charge du suivi des candidatures jusqu'au 31 juillet" is a task, so its
// sentence gives no weak deadline.
var missionPhrases = newPhraseSet(markMission, "en charge", "suivi des", "gestion des", "préparera", "préparer", "participera",
	"participer", "assurera", "le stagiaire", "la stagiaire", "you will", "you'll", "the intern will")

// phraseSet is a list of phrases, tokenised, indexed by their first word
// so that a stretch of text is read once whatever their number.
type phraseSet struct {
	list    [][]string
	byFirst map[string][][]string
	first   firstWords
	// bit marks the tokens that may start a phrase of the set (see
	// marks.go); 0 for a set read over the whole text, by its words.
	bit mark
}

// newPhraseSet tokenises ss into a phraseSet whose first words are marked
// with bit. The phrases of a first word are a run of one sorted copy of
// the list, not a slice each.
func newPhraseSet(bit mark, ss ...string) *phraseSet {
	set := &phraseSet{list: phrases(ss...), bit: bit}
	byFirst := slices.Clone(set.list)
	slices.SortStableFunc(byFirst, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	set.byFirst = make(map[string][][]string, len(byFirst))
	for a := 0; a < len(byFirst); {
		w := byFirst[a][0]
		b := a + 1
		for b < len(byFirst) && byFirst[b][0] == w {
			b++
		}
		set.byFirst[w] = byFirst[a:b:b]
		set.first.add(w)
		a = b
	}
	return set
}

// at reports whether one of the phrases starts at token i of ts, whose
// word is w (ts.S(i), which the caller has already read).
func (set *phraseSet) at(ts text.Tokens, i int, w string) bool {
	return set.first.may(w) && set.startsWith(ts, i, w)
}

// startsWith reports whether one of the phrases whose first word is w
// starts at token i of ts.
func (set *phraseSet) startsWith(ts text.Tokens, i int, w string) bool {
	for _, ph := range set.byFirst[w] {
		if matchRest(ts, i, ph) {
			return true
		}
	}
	return false
}

// in reports whether one of the phrases is in ts. The test of first
// words, which most tokens fail, is made here, not in a call per token.
func (set *phraseSet) in(ts text.Tokens) bool {
	for i := range ts.Len() {
		if w := ts.S(i); set.first.may(w) && set.startsWith(ts, i, w) {
			return true
		}
	}
	return false
}

// firstWords tells, before a map lookup, whether a word may be the first
// word of a phrase of a list: it holds, by first byte, one bit for each
// pair of length and last byte of the first words that start with that
// byte, mixed into 64 (see wordBit). Most words of a text fail the test,
// so most tokens cost two loads rather than a hash. (A bit for the length
// alone let through a third of the words of the corpora for the cues,
// whose first words are many.)
type firstWords [256]uint64

func (f *firstWords) add(w string) { f[w[0]] |= wordBit(w) }

// may reports whether w may be one of the words added; w is not empty.
func (f *firstWords) may(w string) bool { return f[w[0]]&wordBit(w) != 0 }

// wordBit returns w's bit in its first byte's word: its length and last
// byte mixed, by odd factors so that the lengths and the letters each
// fall on distinct bits.
func wordBit(w string) uint64 { return 1 << ((uint(len(w))*37 + uint(w[len(w)-1])*23) & 63) }

// union returns the words of f and of the others.
func (f firstWords) union(others ...firstWords) firstWords {
	for _, o := range others {
		for b := range f {
			f[b] |= o[b]
		}
	}
	return f
}

// gapWords may stand between a near cue and its date.
var gapWords = map[string]bool{
	"le": true, "la": true, "l": true, "'": true, "du": true, "de": true, "d": true, "the": true,
	"on": true, ":": true, ",": true, "en": true, "in": true, "of": true, "a": true, "-": true,
	"mois": true, "month": true,
}

// afterSkip are the tokens stepped over between a date and a cue read
// after it: "le 15 décembre prochain, au plus tard".
var afterSkip = map[string]bool{",": true, "(": true, "-": true, "prochain": true, "prochaine": true}

// onlyGap reports whether ts holds only gap words.
func onlyGap(ts text.Tokens) bool {
	for i := range ts.Len() {
		if !gapWords[ts.S(i)] {
			return false
		}
	}
	return true
}

// applyingAt reports whether token i of ts, whose word is s, is an
// application word or verb.
func applyingAt(ts text.Tokens, i int, s string) bool {
	if ts.At(i).Kind != text.Word {
		return false
	}
	if applicationVerbFirst.may(s) && applicationVerbs[s] {
		return true
	}
	if s == "dossier" || s == "dossiers" {
		// "dossiers complets", "dossier de candidature", but not
		// "dossier de presse".
		n := ts.Len()
		k := i + 1
		if k < n && (ts.S(k) == "de" || ts.S(k) == "d") {
			if k++; k < n && ts.S(k) == "'" {
				k++
			}
			if k < n && !strings.HasPrefix(ts.S(k), "candidat") {
				return false
			}
		}
		return true
	}
	for _, p := range applicationStarts[s[0]] {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
