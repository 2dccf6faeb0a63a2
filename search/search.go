// Package search owns saved searches: reading a query a student wrote and
// telling whether an offer matches it. Matching ignores case and accents
// ("mediation" finds "médiation").
//
// A query is a list of terms, all required:
//   - a number of 2 to 5 digits is a postal-code prefix ("38", "75020");
//   - ville:NAME (or city:NAME) is a city of the offer's places;
//   - type:KIND (or kind:KIND) is the kind of offer: stage, alternance,
//     emploi, these, service-civique, benevolat;
//   - any other word must appear in the offer's title, organisation or text.
package search

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/echeance/echeance/offer"
)

// Query is a parsed saved search.
type Query struct {
	Words   []string
	Postal  []string
	Cities  []string
	Kinds   []string
	Written string
}

// kindWords are the words that mark each kind of offer, folded.
func kindWords(kind string) []string {
	switch kind {
	case "stage", "internship":
		return []string{"stage", "stagiaire", "internship", "intern"}
	case "alternance", "apprentissage":
		return []string{"alternance", "apprentissage", "apprenti", "apprenticeship"}
	case "emploi", "job", "cdi", "cdd":
		return []string{"cdi", "cdd", "emploi", "poste", "recrute", "job"}
	case "these", "phd":
		return []string{"these", "doctorat", "doctoral", "phd"}
	case "service-civique", "civique":
		return []string{"service civique"}
	case "benevolat", "volunteer":
		return []string{"benevole", "benevolat", "volunteer"}
	}
	return nil
}

var postalRE = regexp.MustCompile(`^[0-9]{2,5}$`)

// Parse reads a query. It fails on an empty query or an unknown kind.
func Parse(q string) (Query, error) {
	out := Query{Written: strings.TrimSpace(q)}
	for _, term := range strings.Fields(q) {
		key, val, hasKey := strings.Cut(term, ":")
		key = Fold(key)
		switch {
		case hasKey && (key == "ville" || key == "city") && val != "":
			out.Cities = append(out.Cities, Fold(val))
		case hasKey && (key == "type" || key == "kind") && val != "":
			k := Fold(val)
			if kindWords(k) == nil {
				return Query{}, fmt.Errorf("search %q: unknown kind %q (want stage, alternance, emploi, these, service-civique or benevolat)", q, val)
			}
			out.Kinds = append(out.Kinds, k)
		case postalRE.MatchString(term):
			out.Postal = append(out.Postal, term)
		default:
			if w := Fold(strings.Trim(term, ".,;:!?\"'()")); w != "" {
				out.Words = append(out.Words, w)
			}
		}
	}
	if len(out.Words)+len(out.Postal)+len(out.Cities)+len(out.Kinds) == 0 {
		return Query{}, fmt.Errorf("search %q: empty", q)
	}
	return out, nil
}

// Fold lower-cases s and strips accents, for matching; apostrophes
// separate words ("l'offre" holds "offre").
func Fold(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\'' || r == '’' {
			return ' '
		}
		return r
	}, offer.Fold(s))
}

// containsWord reports whether w starts a word of text (both folded):
// "media" finds "médiation", "stage" does not find "message".
func containsWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !isWordByte(text[at-1]) {
			return true
		}
		i = at + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

var postalInText = regexp.MustCompile(`\b[0-9]{5}\b`)

// Match reports whether o matches q.
func (q Query) Match(o offer.Offer) bool {
	text := Fold(o.Title + "\n" + o.Organisation + "\n" + o.Text)
	for _, w := range q.Words {
		if !containsWord(text, w) {
			return false
		}
	}
	for _, k := range q.Kinds {
		found := false
		for _, w := range kindWords(k) {
			if containsWord(text, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, c := range q.Cities {
		found := false
		for _, p := range o.Places {
			if strings.Contains(Fold(p.City), c) || strings.Contains(Fold(p.Text), c) {
				found = true
				break
			}
		}
		if !found && len(o.Places) == 0 {
			// No place read: fall back on the text naming the city.
			found = containsWord(text, c)
		}
		if !found {
			return false
		}
	}
	for _, pc := range q.Postal {
		found := false
		for _, p := range o.Places {
			if strings.HasPrefix(p.PostalCode, pc) {
				found = true
				break
			}
		}
		if !found && len(o.Places) == 0 {
			for _, code := range postalInText.FindAllString(o.Text, -1) {
				if strings.HasPrefix(code, pc) {
					found = true
					break
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}
