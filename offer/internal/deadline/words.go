package deadline

import (
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

// applicationVerbs, whole folded words, make a sentence about applying;
// the passive "sera envoyé aux journalistes" does not.
var applicationVerbs = map[string]bool{
	"envoyez": true, "envoyer": true, "envoi": true, "envoyant": true, "adressez": true, "adresser": true,
	"transmettez": true, "transmettre": true, "deposez": true, "deposer": true, "depot": true,
}

// applicationPhrases make a sentence about applying although they hold no
// application word: "Réponse souhaitée avant le 20 novembre".
var applicationPhrases = newPhraseSet("réponse souhaitée", "réponse attendue", "réponses souhaitées", "réponse demandée",
	// Calls, which a student answers as one applies: "L'appel à
	// participation est ouvert jusqu'au 17 décembre".
	"appel à candidatures", "appel à candidature", "appel à projets", "appel à projet", "appel à participation",
	"appel à contributions", "appel à manifestation", "call for applications", "call for proposals",
	"call for participation", "recrutements ouverts", "recrutement ouvert", "appel prolongé", "appel ouvert")

// missionPhrases describe the work, not the application: "vous serez en
// charge du suivi des candidatures jusqu'au 31 juillet" is a task, so its
// sentence gives no weak deadline.
var missionPhrases = newPhraseSet("en charge", "suivi des", "gestion des", "préparera", "préparer", "participera",
	"participer", "assurera", "le stagiaire", "la stagiaire", "you will", "you'll", "the intern will")

// phraseSet is a list of phrases, tokenised, indexed by their first word
// (and the first byte of that word) so that a stretch of text is read once
// whatever their number.
type phraseSet struct {
	byFirst map[string][][]string
	first   [256]bool
}

func newPhraseSet(ss ...string) *phraseSet {
	set := &phraseSet{byFirst: make(map[string][][]string)}
	for _, ph := range phrases(ss...) {
		set.byFirst[ph[0]] = append(set.byFirst[ph[0]], ph)
		set.first[ph[0][0]] = true
	}
	return set
}

// in reports whether one of the phrases is in ts.
func (set *phraseSet) in(ts text.Tokens) bool {
	for i := range ts.Len() {
		w := ts.S(i)
		if !set.first[w[0]] {
			continue
		}
		for _, ph := range set.byFirst[w] {
			if matchAt(ts, i, ph) {
				return true
			}
		}
	}
	return false
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

// aboutApplying reports whether ts holds an application word or verb:
// "candidature", "postulez", "CV", "envoyez", "dossiers complets".
func aboutApplying(ts text.Tokens) bool {
	n := ts.Len()
	for i := range n {
		if ts.At(i).Kind != text.Word {
			continue
		}
		s := ts.S(i)
		if applicationVerbs[s] {
			return true
		}
		if s == "dossier" || s == "dossiers" {
			// "dossiers complets", "dossier de candidature", but not
			// "dossier de presse".
			k := i + 1
			if k < n && (ts.S(k) == "de" || ts.S(k) == "d") {
				if k++; k < n && ts.S(k) == "'" {
					k++
				}
				if k < n && !strings.HasPrefix(ts.S(k), "candidat") {
					continue
				}
			}
			return true
		}
		for _, p := range applicationWords {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
	}
	return false
}
