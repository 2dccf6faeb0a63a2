package facts

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// The scanners of names.go, city.go, place.go, organisation.go and
// header.go replace regular expressions whose Unicode classes were slow to
// compile. This test keeps those expressions and checks that each scanner
// reads what its expression matched, on the lines of the test corpora and
// on random phrases made of the words names are made of.

const (
	capWord   = `(?:[dlDL]')?\p{Lu}[\p{L}\p{M}0-9&.'-]*`
	nameJoin  = `(?:de|du|des|d'|la|le|les|l'|et|&|en|pour|sur|aux?|of|the|and|for|à)`
	nameWords = capWord + `(?:[ -](?:` + nameJoin + ` )*` + capWord + `){0,6}`
)

var (
	properNameRe  = regexp.MustCompile(`^` + nameWords)
	postalCityRe  = regexp.MustCompile(`\b((?:0[1-9]|[1-8]\d|9[0-8])\d{3})\b(?:,? +(` + capWord + `(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?) )*` + capWord + `){0,4}))?`)
	cityNameRe    = regexp.MustCompile(`^(?:` + capWord + `)(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?)[ -])*` + capWord + `){0,4}$`)
	townOfRe      = regexp.MustCompile(`^(?i:commune|ville|mairie|municipalité|cité) (?:de |d'|du )(` + capWord + `(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?)[ -])*` + capWord + `){0,4})`)
	basedInRe     = regexp.MustCompile(`(?i:bas[ée]e?s?|situ[ée]e?s?|located|based) (?:à|au|en|in|at) (` + capWord + `(?:[ -](?:(?:de|du|la|le|sur|en|lès|d'|l') )*` + capWord + `){0,3})`)
	publicBodyRe  = regexp.MustCompile(`(?:` + capWord + ` ){1,3}M[ée]tropole\b|\b(?:Ville|Mairie|Commune|M[ée]tropole|R[ée]gion|D[ée]partement) (?:de |d'|du |des )(?:la |l')?` + capWord + `(?:[ -]` + capWord + `){0,3}|\bConseil (?:d[ée]partemental|r[ée]gional|g[ée]n[ée]ral) (?:de |d'|du |des )(?:la |l')?` + capWord + `|\bCommunaut[ée] (?:de communes|d'agglom[ée]ration|urbaine) (?:de |d'|du |des )?` + capWord + `(?:[ -]` + capWord + `){0,3}`)
	inlinePlaceRe = regexp.MustCompile(`[.;!?] (?i:lieux?(?: de (?:stage|travail))?|localisation|location|adresse|address) ?: ?([^;\n]{2,160})`)
	dateInTextRe  = regexp.MustCompile(`\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|(?i)jusqu'au|date limite|avant le|\b\d{5} \p{Lu}`)
)

// patternInputs returns the lines of the test corpora and random phrases.
func patternInputs(t *testing.T) []string {
	t.Helper()
	var in []string
	for _, txt := range seedtest.CorpusTexts(t) {
		for l := range strings.Lines(txt) {
			in = append(in, strings.TrimRight(l, "\n"))
		}
	}
	vocab := strings.Fields(`Ville Mairie Commune Métropole Metropole Région Département Conseil départemental
		régional général genéral Communauté Communaute communes d'agglomération urbaine Grenoble Alpes
		Saint-Étienne Saint-Martin-d'Hères L'Isère l'Isère D'Orsay d'Orsay Île-de-France de du des d' l' la
		le les lès lez sous sur en au aux et & pour of the and for à basé Basée BASÉES situé située located
		based Based in at à 38000 69007 00123 99000 123456 3800 75015, Lyon LYON lyon Paris CEDEX Cedex R&D
		A.B. É Ёлка ſ K ß x1 - – , . ( ) 38000, Aix-en-Provence Pont-de-Claix Territoire Sciences Musée
		Arts Métiers jusqu'au JUSQU'AU Date limite avant le 12/03/2026 1.2.26 _ de- -de l'- d'-`)
	for _, n := range []int{1, 2, 159, 160, 161, 300} {
		for _, r := range []string{"a", "é", "\xff", "€"} {
			in = append(in, "Stage. Lieu : "+strings.Repeat(r, n)+"; fin", "x! ADRESSE:"+strings.Repeat(r, n))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(8)
		var b strings.Builder
		for k := range n {
			if k > 0 {
				b.WriteString([]string{" ", " ", " ", "-", "", ", ", "  "}[rng.IntN(7)])
			}
			b.WriteString(vocab[rng.IntN(len(vocab))])
		}
		in = append(in, b.String())
	}
	return in
}

func TestScannersReadWhatPatternsMatched(t *testing.T) {
	bad := 0
	check := func(what, in, got, want string) {
		t.Helper()
		if got != want && bad < 20 {
			bad++
			t.Errorf("%s(%q) = %q, want %q", what, in, got, want)
		}
	}
	for _, s := range patternInputs(t) {
		for i := 0; i <= len(s); i++ {
			// Names are read at the start of words.
			if i > 0 && s[i-1] != ' ' {
				continue
			}
			// A name is shorter than this: the pattern need not read the
			// whole rest of a long line.
			w := s[i:min(len(s), i+160)]
			want := properNameRe.FindString(w)
			got := ""
			if e := nameEnd(w, 0); e >= 0 {
				got = w[:e]
			}
			check("nameEnd", w, got, want)
		}
		check("townName.whole", s, boolString(townName.whole(s)), boolString(cityNameRe.MatchString(s)))
		check("orgName.whole", s, boolString(orgName.whole(s)), boolString(properNameRe.FindString(s) == s && s != ""))
		var want, got []string
		for _, m := range postalCityRe.FindAllStringSubmatch(s, -1) {
			want = append(want, m[0]+"|"+m[1]+"|"+m[2])
		}
		for m, ok := findPostal(s, 0); ok; m, ok = findPostal(s, m.end) {
			got = append(got, s[m.start:m.end]+"|"+m.code(s)+"|"+m.townOf(s))
		}
		if !slices.Equal(got, want) {
			check("findPostal", s, strings.Join(got, " / "), strings.Join(want, " / "))
		}
		town := ""
		if m := townOfRe.FindStringSubmatch(s); m != nil {
			town = m[1]
		}
		check("townOf", s, townOf(s), town)
		based := ""
		if m := basedInRe.FindStringSubmatch(s); m != nil {
			based = m[1]
		}
		check("basedIn", s, basedIn(s), based)
		check("publicBody", s, publicBody(s), publicBodyRe.FindString(s))
		inline, wantInline := "", ""
		if m := inlinePlace.get().FindStringSubmatch(s); m != nil {
			inline = firstRunes(m[1], maxInlinePlace)
		}
		if m := inlinePlaceRe.FindStringSubmatch(s); m != nil {
			wantInline = m[1]
		}
		check("inlinePlace", s, inline, wantInline)
		check("dateInText", s, boolString(dateInText.get().MatchString(s) || postalThenLetter(s)), boolString(dateInTextRe.MatchString(s)))
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestLowerIs checks that lowerIs tells what lower writes.
func TestLowerIs(t *testing.T) {
	for _, s := range []string{"", "la", "La", "LA", "Société", "SOCIÉTÉ", "l'ONG", "Ⅻ", "İstanbul", "ǅ", "\xff", "a\xffb",
		"\ufffd", "ΣΑ", "Straße", "K", "ſ"} {
		low := lower(s)
		if !lowerIs(s, low) {
			t.Errorf("lowerIs(%q, %q) = false, want true", s, low)
		}
		for _, other := range []string{low + "x", strings.TrimSuffix(low, "a"), strings.ToUpper(low), "x" + low} {
			if other != low && lowerIs(s, other) {
				t.Errorf("lowerIs(%q, %q) = true, want false", s, other)
			}
		}
	}
}

// TestLowerAligned checks lowerAligned against strings.ToLower, which
// lowers each character as lower does, and the alignment it reports.
func TestLowerAligned(t *testing.T) {
	ins := append(patternInputs(t), "", "ABC", "ÀÉÎÕÜÞ×ß", "İstanbul", "ǅ", "a\xffB", "\xc3", "\xc3(", "Ⱥ", "ΣΑΣ", "Ω", "K")
	for _, s := range ins {
		got, aligned := lowerAligned(s)
		if want := strings.ToLower(s); got != want {
			t.Fatalf("lowerAligned(%q) = %q, want %q", s, got, want)
		}
		wantAligned := true
		for i, r := range s {
			_, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 || utf8.RuneLen(unicode.ToLower(r)) != n {
				wantAligned = false
			}
		}
		if aligned != wantAligned {
			t.Fatalf("lowerAligned(%q) aligned = %v, want %v", s, aligned, wantAligned)
		}
	}
}
