package facts

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// orgStarts are words that begin the name of an organisation ("Ville de
// Grenoble", "Musée d'Orsay", "University of Kent").
var orgStarts = wordsOf(
	"ville", "mairie", "commune", "metropole", "departement", "conseil", "region",
	"communaute", "agglomeration", "association", "fondation", "societe", "groupe",
	"universite", "institut", "musee", "museum", "centre", "agence", "cabinet",
	"laboratoire", "theatre", "compagnie", "federation", "syndicat", "ecole",
	"office", "maison", "bibliotheque", "mediatheque", "archives", "parc",
	"hopital", "ministere", "prefecture", "ambassade", "consulat", "banque",
	"opera", "festival", "orchestre", "chambre", "collectif", "reseau",
	"city", "university", "foundation", "institute", "company", "council",
	"agency", "society", "bank", "hospital", "ministry", "embassy",
)

func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// Name building blocks: a capitalised word (with elided "d'"/"l'") and the
// small words allowed inside a name.
const (
	capWord   = `(?:[dlDL]')?\p{Lu}[\p{L}\p{M}0-9&.'-]*`
	nameJoin  = `(?:de|du|des|d'|la|le|les|l'|et|&|en|pour|sur|aux?|of|the|and|for|à)`
	nameWords = capWord + `(?:[ -](?:` + nameJoin + ` )*` + capWord + `){0,6}`
)

// properName matches a whole proper name such as "Territoire de Sciences".
var properName = regexp.MustCompile(`^` + nameWords)

// cutOrg keeps the name at the start of a labelled organisation value,
// before any description.
func cutOrg(v string) string {
	for _, sep := range []string{" (", ", ", " – ", " — ", " - ", ". ", " : "} {
		if i := strings.Index(v, sep); i > 0 {
			v = v[:i]
		}
	}
	return strings.TrimSpace(v)
}

// cleanOrg trims an organisation name and gives a name written in capitals
// the usual case ("VILLE DE GRENOBLE" becomes "Ville de Grenoble").
func cleanOrg(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "*_#“”«»\" .,;:"))
	s = strings.Join(strings.Fields(s), " ")
	if isAllCaps(s) && utf8.RuneCountInString(s) > 4 {
		s = titleCase(s)
	}
	return s
}

// smallWords stay lowercase inside a name.
var nameSmallWords = wordsOf("de", "du", "des", "la", "le", "les", "et", "en", "sur", "sous", "aux", "au", "à", "pour", "of", "the", "and", "for")

// titleCase writes a name given in capitals as a name: capital initials,
// small words in lowercase, short acronyms without vowels kept.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		lw := strings.ToLower(w)
		switch {
		case i > 0 && nameSmallWords[lw]:
			words[i] = lw
		case !strings.ContainsAny(lw, "aeiouyàâéèêëîïôûù") || utf8.RuneCountInString(w) <= 3 && i > 0 ||
			strings.ContainsAny(w, "0123456789"):
			// CNRS, SNCF, EDF, UMR7590: acronyms.
		default:
			words[i] = capitaliseWord(lw)
		}
	}
	return strings.Join(words, " ")
}

// capitalise upper-cases the first letter of each part of a word, across
// hyphens and elisions ("pont-de-claix" gives "Pont-de-Claix", "d'isère"
// gives "d'Isère").
func capitaliseWord(w string) string {
	var b strings.Builder
	up := true
	for i, r := range w {
		if up && unicode.IsLetter(r) {
			rest := w[i:]
			// Elided articles stay lowercase: "d'", "l'".
			if len(rest) > 2 && (rest[0] == 'd' || rest[0] == 'l') && rest[1] == '\'' && i == 0 {
				b.WriteRune(r)
				continue
			}
			// Small words inside hyphenated names stay lowercase.
			part := rest
			if j := strings.IndexAny(part, "-'"); j >= 0 {
				part = part[:j]
			}
			if i > 0 && nameSmallWords[part] {
				b.WriteRune(r)
				up = false
				continue
			}
			b.WriteRune(unicode.ToUpper(r))
			up = false
			continue
		}
		b.WriteRune(r)
		if r == '-' || r == '\'' {
			up = true
		}
	}
	return b.String()
}

// postalCity matches a French postal code and the city that follows it.
var postalCity = regexp.MustCompile(`\b((?:0[1-9]|[1-8]\d|9[0-8])\d{3})\b(?:,? +(` + capWord + `(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?) )*` + capWord + `){0,4}))?`)

// cityName matches a whole city name without postal code.
var cityName = regexp.MustCompile(`^(?:` + capWord + `)(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?)[ -])*` + capWord + `){0,4}$`)

func startsWithOrgWord(s string) bool {
	f := strings.Fields(s)
	return len(f) > 1 && (orgStarts[foldLabel(f[0])] || text.Fold(f[0]) == "direction" || text.Fold(f[0]) == "service")
}

// This part reads proper names as the pattern nameWords writes them,
// without a regular expression: a capitalised word, then up to six more,
// each after a space or a hyphen and any of the small words of nameJoins.
// Every choice is forced (a small word is never capitalised, a capitalised
// word is never small), so the longest name is the only one.

// nameJoins are the small words allowed inside a name, each followed by a
// space there.
var nameJoins = map[string]bool{
	"de": true, "du": true, "des": true, "d'": true, "la": true, "le": true, "les": true, "l'": true,
	"et": true, "&": true, "en": true, "pour": true, "sur": true, "au": true, "aux": true, "of": true,
	"the": true, "and": true, "for": true, "à": true,
}

// nameEnd returns where the proper name that starts at s[i] ends, or -1
// when none starts there.
func nameEnd(s string, i int) int {
	e := capWordEnd(s, i)
	if e < 0 {
		return -1
	}
	for range 6 {
		if e >= len(s) || s[e] != ' ' && s[e] != '-' {
			break
		}
		j := e + 1
		for {
			k := strings.IndexByte(s[j:], ' ')
			if k <= 0 || !nameJoins[s[j:j+k]] {
				break
			}
			j += k + 1
		}
		f := capWordEnd(s, j)
		if f < 0 {
			break
		}
		e = f
	}
	return e
}

// capWordEnd returns where the capitalised word that starts at s[i] ends
// ("Territoire", "d'Orsay", "Saint-Étienne", "R&D"), or -1 when none
// starts there.
func capWordEnd(s string, i int) int {
	if i+2 < len(s) && s[i+1] == '\'' && strings.IndexByte("dlDL", s[i]) >= 0 {
		if r, _ := utf8.DecodeRuneInString(s[i+2:]); unicode.IsUpper(r) {
			i += 2
		}
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if i >= len(s) || !unicode.IsUpper(r) {
		return -1
	}
	i += n
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if isASCIIAlnum(c) || c == '&' || c == '.' || c == '\'' || c == '-' {
				i++
				continue
			}
			return i
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return i
		}
		i += n
	}
	return i
}
