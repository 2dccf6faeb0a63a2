package facts

import (
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/text"
)

// TestPlaceCommune checks that a postal code gives its commune, whatever
// the text calls it, and that a city written with its district is the
// city.
func TestPlaceCommune(t *testing.T) {
	tests := []struct{ in, code, city string }{
		{"69007", "69007", "Lyon"},
		{"69007 LYON", "69007", "Lyon"},
		{"12 rue Exemple, 75015 Paris", "75015", "Paris"},
		{"92130 ISSY-LES-MOULINEAUX", "92130", "Issy-les-Moulineaux"},
		{"Lyon 7e", "", "Lyon"},
		{"38000 Grenoble Cedex 1", "38000", "Grenoble"},
	}
	for _, tt := range tests {
		p := parsePlace(tt.in)
		if p.PostalCode != tt.code || p.City != tt.city {
			t.Errorf("%q: got %q %q, want %q %q", tt.in, p.PostalCode, p.City, tt.code, tt.city)
		}
	}
}

// TestFallbackPlace checks the city read when no line labels the place,
// and that a capitalised word that is no commune is not taken for one.
func TestFallbackPlace(t *testing.T) {
	tests := []struct{ org, text, city string }{
		{"Commune de Saint-Exemple", "Animateur jeunesse\nCandidatures par mail.", "Saint-Exemple"},
		{"", "Stage analyste crédit – Lyon\nAu sein de la direction des risques.", "Lyon"},
		{"", "Stage contrôle de gestion\nGroupe industriel, site de Belfort.", "Belfort"},
		{"", "Stage\nLe stage se déroule au 3 place Exemple 13001 Marseille.", "Marseille"},
		// The address applications go to is not the workplace.
		{"", "Stage\nEnvoyez votre CV au 3 place Exemple 13001 Marseille.", ""},
		{"", "Stage\nRejoignez-nous à Pôle Recherche pour un stage.", ""},
	}
	for _, tt := range tests {
		ps := fallbackPlace(tt.org, factLines(tt.text))
		got := ""
		if len(ps) > 0 {
			got = ps[0].City
		}
		if got != tt.city {
			t.Errorf("%q: city %q, want %q", tt.text, got, tt.city)
		}
	}
}

// TestPostalTableAligned checks the table read in one pass: each name's
// folded part is its name folded, each is found by its folded name, and
// there are as many names as the file lists.
func TestPostalTableAligned(t *testing.T) {
	p := postal()
	if len(p.lines) != 6201 || len(p.names) < 35000 {
		t.Fatalf("%d codes, %d names", len(p.lines), len(p.names))
	}
	for _, n := range p.names {
		name, f := p.name(n), p.folding(n)
		if name == "" || strings.ContainsAny(name, "|\t\n") || text.Fold(name) != f {
			t.Fatalf("name %q folded %q", name, f)
		}
		if got := text.Fold(p.byFold(f)); got != f {
			t.Fatalf("byFold(%q) = %q", f, got)
		}
	}
	if l, ok := p.byCode("69007"); !ok || !strings.HasPrefix(l.list, "Lyon") {
		t.Errorf("69007: %+v", l)
	}
	if _, ok := p.byCode("00000"); ok {
		t.Error("00000 found")
	}
}
