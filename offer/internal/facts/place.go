package facts

import (
	"slices"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

// basedIn finds "basé à Lyon", "located in London" when no line is
// labelled with the place: a word of "based" (basé, basée, basés,
// basées, situé..., located, based, in any case), "à", "au", "en", "in"
// or "at", and a town's name. It returns the name, "" when there is none.
func basedIn(s string) string {
	for i := range len(s) {
		// A stem starts with "b", "s" or "l" in either case, or "ſ",
		// which folds to "s" and whose first byte is 0xc5.
		if c := s[i] | 0x20; c != 'b' && c != 's' && c != 'l' && s[i] != 0xc5 {
			continue
		}
		for _, v := range [...]struct {
			stem  string
			agree bool // the stem takes "é" or "e", then "e" and "s" as it agrees
		}{{"bas", true}, {"situ", true}, {"located", false}, {"based", false}} {
			e := foldAt(s, i, v.stem)
			if e < 0 {
				continue
			}
			if v.agree {
				if e = max(foldAt(s, e, "é"), foldAt(s, e, "e")); e < 0 {
					continue
				}
				for _, w := range []string{"e", "s"} {
					if f := foldAt(s, e, w); f >= 0 {
						e = f
					}
				}
			}
			if e = atAny(s, e, " à ", " au ", " en ", " in ", " at "); e < 0 {
				continue
			}
			if f := basedTown.end(s, e); f >= 0 {
				return s[e:f]
			}
		}
	}
	return ""
}

// basedWords are what every match of basedIn holds, in lower case.
var basedWords = []string{"base ", "basé ", "basee ", "basée ", "bases ", "basés ", "basees ", "basées ",
	"situe ", "situé ", "situee ", "située ", "situes ", "situés ", "situees ", "situées ", "located ", "based "}

// inlinePlace finds a place label inside a line, after a sentence: "...
// pour 5 mois. Lieu : Montreuil (93). ...". The place is the 2 to
// maxInlinePlace characters that follow, up to a semicolon: written as
// {2,160}, the bound made the expression 160 times longer.
var inlinePlace = lazyRegexp{src: `[.;!?] (?i:lieux?(?: de (?:stage|travail))?|localisation|location|adresse|address) ?: ?([^;\n]{2,})`}

// maxInlinePlace bounds, in characters, the place inlinePlace reads.
const maxInlinePlace = 160

// notCities are words that fill place fields without being a city.
var notCities = wordsOf(
	"france", "belgique", "suisse", "canada", "luxembourg", "allemagne", "espagne",
	"italie", "royaume-uni", "uk", "united kingdom", "usa", "united states", "us",
	"germany", "spain", "italy", "switzerland", "belgium", "europe", "teletravail",
	"remote", "hybride", "hybrid", "cedex", "ile-de-france", "en ligne", "online",
	"a distance", "sur site", "on site", "siege", "bureaux", "locaux",
)

// readPlaces reads the labelled places: several when the value lists
// sites that each have their own address or are each a city.
func readPlaces(lines []factLine) []Place {
	isPlace := func(l string) bool {
		// The names are tested first: few labels have one, and most
		// differ from each in their first letter.
		return hasLabel(l, "lieu", "lieux", "lieu de stage", "lieu d'exercice", "lieu de travail",
			"localisation", "adresse", "ville", "site", "location", "address", "workplace",
			"place of work", "implantation", "lieu d'affectation", "affectation", "where",
			"based in", "office", "city", "lieu du stage", "lieu de la mission") &&
			!strings.Contains(l, "mail") && !strings.Contains(l, "web") && !strings.Contains(l, "internet") &&
			!strings.Contains(l, "electronique") && !strings.Contains(l, "naissance")
	}
	v, _ := labelValue(lines, isPlace, func(v string) bool {
		return !strings.Contains(v, "://") && !strings.HasPrefix(strings.ToLower(v), "www.")
	})
	if v == "" {
		inline := []string{"lieu", "localisation", "location", "adresse", "address"}
		for i := range lines {
			// A line without the words, as its grams tell, has none after
			// a stop.
			l := &lines[i]
			if !l.has(inline...) || !l.afterStop(inline...) {
				continue
			}
			if m := inlinePlace.get().FindStringSubmatch(l.plain); m != nil {
				return []Place{parsePlace(cutSentence(firstRunes(m[1], maxInlinePlace)))}
			}
		}
		for i := range lines {
			l := &lines[i]
			// Every word of basedWords holds "bas", "situ" or "located":
			// the three are tested first, and spare most lines the list.
			if !l.has("bas", "situ", "located") || !l.has(basedWords...) {
				continue
			}
			if t := basedIn(l.plain); t != "" {
				if c := cityOf(t); c != "" {
					return []Place{{Text: t, City: c}}
				}
			}
		}
		return nil
	}
	v = cutSentence(v)
	parts := splitSites(v)
	places := make([]Place, 0, len(parts))
	for _, p := range parts {
		places = append(places, parsePlace(p))
	}
	return places
}

// siteSep separates sites listed in one place value.
var siteSep = lazyRegexp{src: ` +(?:et|and|ou|or|&|/) +`}

// splitSites splits "A, 1 rue X 38000 Y et B, 2 rue Z 38800 W" into its
// sites when every part has its own postal code, or every part is a city.
func splitSites(v string) []string {
	parts := siteSep.get().Split(v, -1)
	if len(parts) < 2 {
		return []string{v}
	}
	allPostal, allCity := true, true
	for _, p := range parts {
		if _, ok := findPostal(p, 0); !ok {
			allPostal = false
		}
		if !townName.whole(strings.TrimSpace(p)) || notCities[text.Fold(strings.TrimSpace(p))] {
			allCity = false
		}
	}
	if allPostal || allCity {
		return parts
	}
	return []string{v}
}

func parsePlace(txt string) Place {
	txt = strings.TrimSpace(strings.TrimRight(txt, ". "))
	p := Place{Text: txt}
	if m, ok := findPostal(txt, 0); ok {
		p.PostalCode = m.code(txt)
		p.City = trimCedex(m.townOf(txt))
		// The commune the code serves, named as the table names it:
		// "69007" and "69007 LYON" are Lyon.
		if c := communeOf(p.PostalCode, p.City); c != "" && (p.City == "" || text.Fold(c) == text.Fold(p.City) ||
			strings.HasPrefix(text.Fold(p.City), text.Fold(c)+" ")) {
			p.City = c
		}
		if p.City == "" {
			// "Lyon 69003": the city precedes its code.
			i := strings.Index(txt, p.PostalCode)
			before := strings.Fields(strings.Trim(txt[:i], " ,-("))
			if len(before) > 0 {
				p.City = cityOf(before[len(before)-1])
			}
		}
		return p
	}
	p.City = cityOf(txt)
	return p
}

func trimCedex(c string) string {
	if i := strings.Index(strings.ToUpper(c), " CEDEX"); i >= 0 {
		c = c[:i]
	}
	if strings.EqualFold(c, "cedex") {
		return ""
	}
	return strings.TrimSpace(c)
}

// cityOf finds a city in a place without postal code: the last part of the
// address, between commas or dashes, that reads as a city name.
func cityOf(txt string) string {
	parts := strings.FieldsFunc(txt, func(r rune) bool { return r == ',' || r == '(' || r == ')' || r == '–' || r == '|' })
	for i := len(parts) - 1; i >= 0; i-- {
		c := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(parts[i]), "."))
		// "Montreuil (93)": a département number follows the city.
		if c == "" || notCities[text.Fold(c)] || len(c) <= 3 && strings.Trim(c, "0123456789AB") == "" {
			continue
		}
		// "Paris 15e", "Lyon 3ème": drop the district.
		if f := strings.Fields(c); len(f) > 1 && isDigitByte(f[len(f)-1][0]) {
			c = strings.Join(f[:len(f)-1], " ")
		}
		if townName.whole(c) && !startsWithOrgWord(c) && !streetLike(c) {
			return c
		}
		return ""
	}
	return ""
}

// streetLike reports whether a name is a street or a building rather than
// a city.
func streetLike(s string) bool {
	f := text.Fold(strings.Fields(s)[0])
	return slices.Contains([]string{"rue", "avenue", "boulevard", "bd", "place", "cours", "quai", "chemin",
		"allee", "impasse", "passage", "route", "square", "batiment", "campus", "zone", "street",
		"road", "building"}, f)
}
