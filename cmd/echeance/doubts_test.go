package main

import (
	"slices"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
)

// TestReviewPolicyDoubts checks that offers.review = "uncertain" holds an
// offer the reader was unsure of, with its doubts, and not one it was
// sure of.
func TestReviewPolicyDoubts(t *testing.T) {
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		text string
		hold bool
		why  []string
	}{
		{"Stage à Lyon.\nDate limite de candidature : 15 décembre 2025.", false, nil},
		{"Stage à Lyon.\nCandidatures avant le 5 décembre 2025.\nEnvoyez votre CV avant le 12 décembre 2025.", true, []string{"competing"}},
		{"Stage de 6 mois à partir de février 2026.", true, []string{"estimated"}},
		{"Stage à Lyon.\nExpires: 12 Dec 2025", true, []string{"weak-cue"}},
		// Passed when read: nothing ahead to hold.
		{"Stage à Lyon.\nDate limite de candidature : 15 septembre 2025.", false, nil},
	}
	policy := reviewPolicy("uncertain")
	for _, tt := range tests {
		o, err := offer.Parse("t.txt", []byte(tt.text), offer.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		hold, why := policy(o)
		if hold != tt.hold || !slices.Equal(why, tt.why) {
			t.Errorf("%q: got %v %q, want %v %q", tt.text, hold, why, tt.hold, tt.why)
		}
	}
	if hold, why := reviewPolicy("all")(offer.Offer{Deadline: offer.Deadline{Kind: offer.KindNone, Confidence: offer.ConfidenceHigh}}); !hold || !slices.Equal(why, []string{"all"}) {
		t.Errorf("all: got %v %q", hold, why)
	}
}
