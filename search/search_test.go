package search

import (
	"testing"

	"github.com/echeance/echeance/offer"
)

func TestMatch(t *testing.T) {
	grenoble := offer.Offer{Title: "Chargé.e de médiation scientifique", Organisation: "Territoire de Sciences",
		Places: []offer.Place{{Text: "2 place Saint-Laurent 38000 Grenoble", PostalCode: "38000", City: "Grenoble"}},
		Text:   "Offre de stage. Médiation scientifique, Fête de la science."}
	paris := offer.Offer{Title: "Assistant de partenariats", Organisation: "Traces",
		Places: []offer.Place{{Text: "23 rue des Balkans - 75020 Paris", PostalCode: "75020", City: "Paris"}},
		Text:   "Poste en CDD. Un message important."}
	noPlace := offer.Offer{Title: "Stage", Text: "Stage à Nanterre (92000), service culturel."}
	tests := []struct {
		query string
		o     offer.Offer
		want  bool
	}{
		{"mediation", grenoble, true},
		{"MÉDIATION science", grenoble, true},
		{"media", grenoble, true},
		{"mediation", paris, false},
		{"38", grenoble, true},
		{"38", paris, false},
		{"75020", paris, true},
		{"ville:grenoble", grenoble, true},
		{"city:Paris", grenoble, false},
		{"type:stage", grenoble, true},
		{"type:stage", paris, false}, // "message" is not "stage"
		{"type:emploi", paris, true},
		{"92", noPlace, true},
		{"ville:nanterre", noPlace, true},
		{"mediation 75", grenoble, false},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.query, err)
		}
		if got := q.Match(tt.o); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.query, tt.o.Title, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, q := range []string{"", "   ", "type:astronaute", "..."} {
		if _, err := Parse(q); err == nil {
			t.Errorf("Parse(%q) succeeded", q)
		}
	}
}
