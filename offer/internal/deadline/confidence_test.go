package deadline

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConfidence pins the doubts each kind of text casts on its deadline:
// none gives confidence high, any gives review.
func TestConfidence(t *testing.T) {
	opts := Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, paris(t))}
	tests := []struct {
		text   string
		doubts []string
	}{
		{"Date limite de candidature : 15 décembre 2025.", nil},
		{"Stage à Lyon, sans date limite.", nil},
		{"Envoyez votre candidature avant le 12 novembre.", nil},
		{"Envoyez votre candidature avant le 12 septembre.", []string{DoubtYearInferred}},
		{"Envoyez votre candidature avant le 12 mai.", []string{DoubtYearInferred}},
		{"Date limite : 15 septembre 2025.", []string{DoubtPast}},
		{"Stage de 6 mois à partir de février 2026.", []string{DoubtEstimated}},
		{"Expires: 12 Dec 2025", []string{DoubtWeakCue}},
		{"Candidatures avant le 5 décembre 2025.\nEnvoyez votre CV avant le 12 décembre 2025.", []string{DoubtCompeting}},
		{"Ancienne date limite : 5 décembre 2025\nNouvelle date limite : 19 décembre 2025", []string{DoubtCorrection}},
		{"Date limite d'adhésion à la newsletter : 5 décembre 2025.", []string{DoubtCueNotApplying}},
		{"Date limite d'inscription des bénévoles : 5 décembre 2025.", []string{DoubtVetoed}},
		{"Stage à Lyon.\nCandidatures par mail.\nContact : rh@x.fr\nÀ lire aussi\nDate limite : 9 décembre 2025", []string{DoubtOutside}},
		{"Les candidatures pour la session 2025 étaient ouvertes jusqu'au 31 janvier 2025.", []string{DoubtVetoed}},
	}
	for _, tt := range tests {
		d := read(t, tt.text, opts).Deadline
		var got []string
		for _, r := range d.Reasons {
			if strings.HasPrefix(r, "doubt:") {
				got = append(got, r)
			}
		}
		wantConf := ConfidenceHigh
		if len(tt.doubts) > 0 {
			wantConf = ConfidenceReview
		}
		if !slices.Equal(got, tt.doubts) || d.Confidence != wantConf {
			t.Errorf("%q: got %s %v, want %s %v", tt.text, d.Confidence, got, wantConf, tt.doubts)
		}
	}
}

// TestPhraseAndLabel checks that the phrase is the expression a student
// needs, without its label or markup, and the label is kept apart.
func TestPhraseAndLabel(t *testing.T) {
	opts := Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, paris(t))}
	tests := []struct{ text, phrase, label string }{
		{"Date limite de candidature : 30/10/2025", "30/10/2025", "Date limite de candidature"},
		{"**Deadline:** Sunday 14 December 2025", "Sunday 14 December 2025", "Deadline"},
		{"Date limite : avant le 31 octobre 2025 à 12h", "avant le 31 octobre 2025 à 12h", "Date limite"},
		{"Nouvelle date limite le 19 décembre 2025.", "19 décembre 2025", "Nouvelle date limite"},
		{"Envoyez votre candidature avant le 31 octobre 2025 à 12h.", "avant le 31 octobre 2025 à 12h", ""},
		{"Date limite prolongée jusqu'au 20 janvier 2026", "jusqu'au 20 janvier 2026", "Date limite prolongée"},
		{"Please send your resume no later than 3 November 2025.", "no later than 3 November 2025", ""},
		{"Date limite de candidature\n\n19 décembre 2025", "19 décembre 2025", "Date limite de candidature"},
	}
	for _, tt := range tests {
		d := read(t, tt.text, opts).Deadline
		if d.Phrase != tt.phrase || d.Label != tt.label {
			t.Errorf("%q: phrase %q label %q, want %q and %q", tt.text, d.Phrase, d.Label, tt.phrase, tt.label)
		}
	}
}

// TestValidThrough checks that a page's validThrough is a weak deadline
// only when the text states none and gives nothing to estimate from, and
// that a malformed or absurd one gives none.
func TestValidThrough(t *testing.T) {
	now := time.Date(2025, 12, 3, 10, 0, 0, 0, paris(t))
	tests := []struct{ text, valid, want string }{
		{"Stage à Nantes, postulez en ligne.", "2026-01-31", "explicit 2026-01-31 review"},
		{"Stage à Nantes, postulez en ligne.", "2026-01-31T17:00:00+01:00", "explicit 2026-01-31 review"},
		{"Stage à Nantes. Date limite : 10 janvier 2026.", "2026-01-31", "explicit 2026-01-10 high"},
		{"Stage à Nantes. Début du stage : 2 mars 2026.", "2026-01-31", "estimated 2026-01-31 review"},
		{"Stage à Nantes.", "9999-12-31", "none - high"},
		{"Stage à Nantes.", "2026-13-45", "none - high"},
		{"Stage à Nantes.", "demain", "none - high"},
		{"Stage à Nantes.", "2025-11-30", "explicit 2025-11-30 review"},
	}
	for _, tt := range tests {
		d := read(t, tt.text, Options{Now: now, ValidThrough: tt.valid}).Deadline
		got := strings.Join([]string{d.Kind, dash(d.Date), d.Confidence}, " ")
		if got != tt.want {
			t.Errorf("%q with validThrough %q: got %s %v, want %s", tt.text, tt.valid, got, d.Reasons, tt.want)
		}
	}
}
