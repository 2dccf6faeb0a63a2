package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file finds the workplace's city when no line is labelled with the
// place: a postal code and its commune in the body, the town a local
// authority is named after ("Commune de Saint-Exemple"), a commune after a
// dash in the first lines ("Stage analyste crédit – Lyon"), or after "à",
// "site de", "agence de" in the body. A name read without a postal code
// must be a commune of the postal table, so that a word in capitals is
// not taken for a town.

// knownCommune returns the commune name s is, "" when s is none; s must
// be capitalised, and longer than three letters unless it is Paris's
// neighbours' like ("Eu" and "Y" are communes, and words).
func knownCommune(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), ".,;:")
	if len(s) < 4 || s[0] < 'A' || s[0] > 'Z' && s[0] < 0x80 {
		return ""
	}
	return postal().byFold(text.Fold(s))
}

// townOf returns, from an organisation's name, the town a local
// authority is named after: "Commune de Saint-Exemple", "Ville de Lyon"
// ("commune", "ville", "mairie", "municipalité" or "cité" in any case, then
// "de", "d'" or "du" and a town's name); "" when there is none.
func townOf(org string) string {
	for _, w := range []string{"commune", "ville", "mairie", "municipalité", "cité"} {
		i := foldAt(org, 0, w)
		if i < 0 {
			continue
		}
		if i = atAny(org, i, " de ", " d'", " du "); i < 0 {
			return ""
		}
		if e := townName.end(org, i); e >= 0 {
			return org[i:e]
		}
		return ""
	}
	return ""
}

// atWords, before a capitalised name, make it a town: "à Lyon", "site de
// Belfort", "agence de Rennes", "agence bancaire de Rennes".
var atWords = []string{"à ", "site de ", "site d'", "ville de ", "agence de ", "agence d'", "bancaire de ",
	"régionale de ", "locale de "}

// atCity returns the commune named right after one of atWords in the line
// plain, low being its lower case, "" when none is.
func atCity(plain, low string) string {
	if len(low) != len(plain) {
		return ""
	}
	// Only a capitalised word after a space or an apostrophe, as every
	// word of atWords ends, can be the commune: those words are found
	// first, in one pass, and atWords looked for before them only.
	caps := make([]int, 0, 16)
	for s := 0; s+1 < len(plain); s++ {
		if c := low[s]; c != ' ' && c != '\'' {
			continue
		}
		at := s + 1
		if !capitalAt(plain, at) {
			continue
		}
		caps = append(caps, at)
	}
	for _, w := range atWords {
		for _, at := range caps {
			k := at - len(w)
			if k < 0 || low[k:at] != w || k > 0 && low[k-1] != ' ' && low[k-1] != ',' && low[k-1] != '(' {
				continue
			}
			end := at
			for end < len(plain) && !strings.ContainsRune(" ,.;:)/", rune(plain[end])) {
				end++
			}
			if c := knownCommune(plain[at:end]); c != "" {
				return c
			}
		}
	}
	return ""
}

// capitalAt reports whether the character at s[i] is a capital letter:
// "Lyon", and "Évry" or "Échirolles" too, whose capital is two bytes.
func capitalAt(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsUpper(r)
}

// fallbackPlace reads the city of an offer that labels no place, from the
// organisation org and its lines; nil when it finds none.
func fallbackPlace(org string, lines []factLine) []Place {
	if t := townOf(org); t != "" {
		return []Place{{Text: org, City: t}}
	}
	// A postal code and its commune, in the body, but not the address
	// applications are sent to.
	for i := range lines {
		l := &lines[i]
		if !l.digits || !fiveDigits(l.plain) || l.has("envoy", "adress", "candidat", "postul", "courrier", "cv ", "apply", "send") {
			continue
		}
		for m, ok := findPostal(l.plain, 0); ok; m, ok = findPostal(l.plain, m.end) {
			code, named := m.code(l.plain), m.townOf(l.plain)
			if c := communeOf(code, trimCedex(named)); c != "" && (named == "" || knownCommune(trimCedex(named)) != "" || strings.HasPrefix(text.Fold(named), text.Fold(c))) {
				return []Place{{Text: strings.TrimSpace(l.plain[m.start:m.end]), PostalCode: code, City: c}}
			}
		}
	}
	// A commune after a dash or a comma in the first lines.
	for i := range lines[:min(len(lines), 3)] {
		parts := strings.FieldsFunc(lines[i].plain, func(r rune) bool { return r == '–' || r == '—' || r == ',' || r == '|' || r == '(' || r == ')' })
		for k := len(parts) - 1; k >= 1; k-- {
			p := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(parts[k]), " -"))
			if c := knownCommune(p); c != "" {
				return []Place{{Text: p, City: c}}
			}
		}
	}
	for i := range lines {
		l := &lines[i]
		if !l.has("à ", "site d", "ville d", " de ") {
			continue
		}
		if c := atCity(l.plain, l.low); c != "" {
			return []Place{{Text: c, City: c}}
		}
	}
	return nil
}

// fiveDigits reports whether s holds a run of exactly five digits, as a
// postal code is written.
func fiveDigits(s string) bool {
	n := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			n++
			continue
		}
		if n == 5 {
			return true
		}
		n = 0
	}
	return false
}
