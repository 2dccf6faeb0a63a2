package facts

import (
	"slices"
	"strings"
	"testing"
)

// orgLineInputs returns the corpus texts and texts whose phrases of
// orgIntro and orgActs stand where a line's plain text differs from it:
// after spaces, quote and heading marks and bullets, in emphasis and
// links, in capitals, past maxFactLines lines and across the end of the
// part bodyOrg reads.
func orgLineInputs(t *testing.T) []string {
	t.Helper()
	in := fasterInputs(t)
	pieces := []string{"La société Kelvin", "l'association Traces", "THE COMPANY Acme", "Le cabinet Durand", "Acme recrute",
		"Acme Énergie recherche", "At Acme, we", "Chez Kelvin, nous", "Acme is hiring", " recrute", "recrute ", ", nous",
		"  ", " ", "\n", "\n\n", "- ", "* ", "• ", "o ", "# ", "> ", "**", "__", "_", "*", "[", "](https://x.fr/a b)", "](",
		"[ici](https://x la société Acme Énergie)", "un stage", "des missions", ". ", "Grenoble", "x"}
	in = append(in, randomLines(21, 20000, pieces)...)
	// Lines factLines leaves out once their markup is dropped.
	for _, gone := range []string{"[](La société Acme Énergie)", "[](Acme recrute)", "**[](At Acme, we)**"} {
		in = append(in, "Stage\n"+gone+"\nGrenoble", "Stage\n\n"+gone, gone+"\nStage")
	}
	many := strings.Repeat("x\n", maxFactLines+5)
	for _, tail := range []string{"La société Acme Énergie propose", "Acme recrute des stagiaires", "  Acme recrute"} {
		in = append(in, many+tail, strings.Repeat("y", maxOrgText-12)+"\n"+tail, strings.Repeat("y ", maxOrgText/2-8)+tail)
	}
	return in
}

// TestBodyOrgOnItsLines checks that reading only the lines that may hold
// a phrase finds the organisation reading all of the text finds.
func TestBodyOrgOnItsLines(t *testing.T) {
	found := 0
	for _, s := range orgLineInputs(t) {
		got, want := bodyOrg(s, factLines(s)), bodyOrg(s, nil)
		if got != want {
			t.Fatalf("bodyOrg(%.200q) on its lines = %q, want %q", s, got, want)
		}
		if want != "" {
			found++
		}
	}
	if found < 1000 {
		t.Fatalf("only %d inputs name an organisation", found)
	}
}

// TestContactsOnTheirLines checks that reading the addresses of the lines
// mayHoldContact tells finds those of every line holding one of the
// words of an address.
func TestContactsOnTheirLines(t *testing.T) {
	in := fasterInputs(t)
	pieces := []string{"jean.dupont@acme.fr", "jean", "dupont", ".", "acme", "fr", "@", " @ ", "[at]", "[ at ]", "(AT)",
		"{at}", "( arobase )", "[chez]", "(dot)", "[point]", "mailto:", "MAILTO:", "Mailto:x%40y.fr", "[mail](mailto:a@b.fr)",
		"**", "_", "- ", "  ", " ", "\n", "contact", "candidature", "x"}
	in = append(in, randomLines(23, 20000, pieces)...)
	for _, a := range []string{"jean.dupont [ at ] acme.fr", "jean ( arobase ) acme ( dot ) fr", "jean [ chez ] acme.fr",
		"jean(AT)acme.fr", "jean {at} acme [point] fr", "paul { at } site.org", "marie ( chez ) ecole.fr", "luc ( AT ) labo.fr",
		"anne { arobase } asso.org", "Écrire à <jean @ acme.fr>", "[écrire](mailto:jean%40acme.fr)"} {
		in = append(in, a, "Contact : "+a, "- "+a+"  ", "**"+a+"**", "x\n"+a+"\ny")
	}
	found := 0
	for _, s := range in {
		lines := factLines(s)
		var want []string
		for i := range lines {
			if l := &lines[i]; l.has("@", "at", "arobase", "chez", "mailto") {
				want = lineContacts(l.raw, want)
			}
		}
		if got := readContacts(lines); !slices.Equal(got, want) {
			t.Fatalf("readContacts(%.200q) = %q, want %q", s, got, want)
		}
		if len(want) > 0 {
			found++
		}
	}
	if found < 1000 {
		t.Fatalf("only %d inputs hold an address", found)
	}
}
