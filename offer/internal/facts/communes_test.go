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
		// A commune whose capital is accented.
		{"", "Stage contrôle de gestion\nGroupe industriel, site d'Échirolles.", "Échirolles"},
		{"", "Stage chargé d'études\nLe poste est à Élancourt, dans nos bureaux.", "Élancourt"},
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

// TestPostalTable checks the generated table against the code that reads
// offers: each line holds a code above the one before and its communes
// folded by text.Fold as it folds today; each code is found by byCode;
// each folded name is found by byFold, giving the first commune of the
// table to fold to it, and the hash table holds nothing else.
func TestPostalTable(t *testing.T) {
	p := postal()
	if p.lines() != 6201 {
		t.Fatalf("%d codes", p.lines())
	}
	if p.mask&(p.mask+1) != 0 || int(word(communesIdx, 0)) != p.lines() || !strings.HasSuffix(communesTSV, "\n") {
		t.Fatalf("index of %d bytes for %d codes, %d slots", len(communesIdx), p.lines(), p.mask+1)
	}
	first := map[string]string{}
	names := 0
	prev := ""
	for i := range p.lines() {
		start := word(p.starts, i)
		if start > 0 && communesTSV[start-1] != '\n' {
			t.Fatalf("line %d starts at %d, inside a line", i, start)
		}
		l := splitLine(p.line(i))
		if len(l.code) != 5 || l.code <= prev || strings.Count(p.line(i), "\t") != 2 {
			t.Fatalf("line %d after %q: %q", i, prev, p.line(i))
		}
		prev = l.code
		if got, ok := p.byCode(l.code); !ok || got != l {
			t.Fatalf("byCode(%q) = %+v, %v", l.code, got, ok)
		}
		if l.list == "" {
			continue
		}
		list, flist := strings.Split(l.list, "|"), strings.Split(l.folded, "|")
		if len(list) != len(flist) {
			t.Fatalf("%s: %d communes, %d folded", l.code, len(list), len(flist))
		}
		for k, name := range list {
			if f := text.Fold(name); name == "" || f != flist[k] {
				t.Fatalf("%s: %q folds to %q, the table says %q (run go generate, or go run ./gen/postal in offer/internal/facts)", l.code, name, f, flist[k])
			}
			if _, ok := first[flist[k]]; !ok {
				first[flist[k]] = name
			}
			names++
		}
	}
	if names < 35000 {
		t.Fatalf("%d names", names)
	}
	for f, name := range first {
		if got := p.byFold(f); got != name {
			t.Fatalf("byFold(%q) = %q, want %q", f, got, name)
		}
	}
	full := 0
	for j := range p.mask + 1 {
		if word(p.slots, int(j)) != 0 {
			full++
		}
	}
	if full != len(first) {
		t.Errorf("%d slots filled, %d folded names", full, len(first))
	}
	for _, f := range []string{"", "paris 7", "lyo", "lyonn", "zzz"} {
		if got := p.byFold(f); got != "" {
			t.Errorf("byFold(%q) = %q", f, got)
		}
	}
	if l, ok := p.byCode("69007"); !ok || !strings.HasPrefix(l.list, "Lyon") {
		t.Errorf("69007: %+v", l)
	}
	for _, c := range []string{"00000", "99999", "6900", "690070", ""} {
		if _, ok := p.byCode(c); ok {
			t.Errorf("%q found", c)
		}
	}
}
