package offer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file splits a text into the tokens the date grammar reads, and holds
// the grammar's word tables.

type tokKind uint8

const (
	tWord tokKind = iota + 1
	tNum
	tPunct
)

// token is a run of letters, a run of ASCII digits or one other character.
// It is kept small: a long line holds many.
type token struct {
	s        string // folded: lower case without accents; apostrophes are "'", dashes "-"
	pos, end int32  // byte offsets in the text given to tokenize
	kind     tokKind
	space    bool // white space (or the start of the text) comes before it
	upper    bool // written with an upper-case first letter
	caps     bool // written all in capitals, two letters or more ("ET", not "et")
	accent   bool // written with non-ASCII letters ("dès", not "des")
}

// tokenize appends to toks the tokens of text, a line or a short window.
// A letter run glued to a number that reads as an ordinal suffix followed
// by a month ("1erjanvier") is split in two so the grammar sees "1", "er",
// "janvier".
func tokenize(toks []token, text string) []token {
	space := true
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		start := i
		t := token{pos: int32(start), space: space, upper: unicode.IsUpper(r)}
		switch {
		case isApostrophe(r):
			i += n
			t.kind, t.s = tPunct, "'"
		case isDash(r):
			i += n
			t.kind, t.s = tPunct, "-"
		case unicode.IsSpace(r):
			space = true
			i += n
			continue
		case r >= '0' && r <= '9':
			for i < len(text) && text[i] >= '0' && text[i] <= '9' {
				i++
			}
			t.kind, t.s = tNum, text[start:i]
		case unicode.IsLetter(r):
			for i < len(text) {
				r, n := utf8.DecodeRuneInString(text[i:])
				if isApostrophe(r) || !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)) {
					break
				}
				i += n
			}
			t.kind, t.s = tWord, Fold(text[start:i])
			if len(toks) > 0 && !space && toks[len(toks)-1].kind == tNum {
				if k := gluedSuffix(t.s); k > 0 && strings.ToLower(text[start:start+k]) == t.s[:k] {
					// The suffix was written in ASCII, so k is also a
					// byte offset in text.
					i = start + k
					t.s = t.s[:k]
				}
			}
			t.accent = !isASCII(text[start:i])
			t.caps = i-start > 1 && isCaps(text[start:i])
		default:
			i += n
			t.kind, t.s = tPunct, text[start:i]
		}
		t.end = int32(i)
		toks = append(toks, t)
		space = false
	}
	return toks
}

// gluedSuffix returns the length of an ordinal suffix that starts w when the
// rest of w is a month name, else 0.
func gluedSuffix(w string) int {
	for _, suf := range ordinalSuffixes {
		if rest, ok := strings.CutPrefix(w, suf); ok && rest != "" && monthWords[rest] != 0 {
			return len(suf)
		}
	}
	return 0
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', '՚', 'ꞌ', '＇', '′', '‵', 'ʹ', '`', '´':
		return true
	}
	return false
}

func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '−':
		return true
	}
	return false
}

func isCaps(s string) bool {
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Fold lower-cases s and strips its accents ("Médiation" gives "mediation"),
// for matching words whatever their case and accents.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		switch r {
		case 'à', 'á', 'â', 'ã', 'ä', 'å':
			r = 'a'
		case 'ç':
			r = 'c'
		case 'è', 'é', 'ê', 'ë':
			r = 'e'
		case 'ì', 'í', 'î', 'ï':
			r = 'i'
		case 'ñ':
			r = 'n'
		case 'ò', 'ó', 'ô', 'õ', 'ö':
			r = 'o'
		case 'ù', 'ú', 'û', 'ü':
			r = 'u'
		case 'ý', 'ÿ':
			r = 'y'
		case 'ᵉ':
			// Superscript ordinals: "1ᵉʳ", "2ᵉ".
			r = 'e'
		case 'ʳ':
			r = 'r'
		case 'œ':
			b.WriteString("oe")
			continue
		case 'æ':
			b.WriteString("ae")
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// monthWords maps month names and abbreviations, French and English, folded.
var monthWords = map[string]int{
	"janvier": 1, "janv": 1, "jan": 1, "january": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
	"mars": 3, "mar": 3, "march": 3,
	"avril": 4, "avr": 4, "apr": 4, "april": 4,
	"mai": 5, "may": 5,
	"juin": 6, "jun": 6, "june": 6,
	"juillet": 7, "juil": 7, "jui": 7, "jul": 7, "july": 7,
	"aout": 8, "aou": 8, "aug": 8, "august": 8,
	"septembre": 9, "sept": 9, "sep": 9, "september": 9,
	"octobre": 10, "oct": 10, "october": 10,
	"novembre": 11, "nov": 11, "november": 11,
	"decembre": 12, "dec": 12, "december": 12,
}

// fullMonths are the month names that may stand alone ("en mars"). English
// "march" and "may" are common words, so they need a day or a year.
var fullMonths = map[string]bool{
	"janvier": true, "fevrier": true, "mars": true, "avril": true, "mai": true, "juin": true,
	"juillet": true, "aout": true, "septembre": true, "octobre": true, "novembre": true, "decembre": true,
	"january": true, "february": true, "april": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
}

// weekdayWords maps weekday names to 1 (Monday) … 7 (Sunday).
var weekdayWords = map[string]int{
	"lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7,
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
	"mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 7,
}

// ordinalSuffixes may follow a day number: "1er", "15e", "3rd".
var ordinalSuffixes = []string{"ere", "er", "re", "eme", "ieme", "e", "nde", "nd", "st", "rd", "th"}

var (
	unitWords = map[string]int{"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9}
	teenWords = map[string]int{"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16}
	tensWords = map[string]int{"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
)

// boundaryWords may directly follow a bare number that the grammar reads as
// a day ("le 2 à 5h", "du 13 au 18"); any other word makes it a count
// ("le 2e semestre", "16-25 ans").
var boundaryWords = map[string]bool{
	"a": true, "au": true, "aux": true, "vers": true, "et": true, "ou": true, "jusqu": true,
	"avant": true, "apres": true, "plutot": true, "autour": true, "environ": true,
	"inclus": true, "compris": true, "des": true,
	"at": true, "to": true, "and": true, "or": true, "until": true, "till": true,
	"through": true, "by": true, "before": true, "after": true,
}

// deictics are the words for days relative to the reference day.
var deictics = []struct {
	words []string
	shift int
}{
	{[]string{"aujourd", "'", "hui"}, 0},
	{[]string{"aujourdhui"}, 0},
	{[]string{"ce", "jour"}, 0},
	{[]string{"today"}, 0},
	{[]string{"avant", "-", "hier"}, -2},
	{[]string{"avant", "hier"}, -2},
	{[]string{"hier"}, -1},
	{[]string{"yesterday"}, -1},
	{[]string{"apres", "-", "demain"}, 2},
	{[]string{"apres", "demain"}, 2},
	{[]string{"demain"}, 1},
	{[]string{"tomorrow"}, 1},
}

// holidays are the fixed-date holidays. Like Duckling, "jour des morts" is
// read as Toussaint, the day it is observed in practice.
var holidays = []struct {
	words []string
	m, d  int
}{
	{[]string{"jour", "de", "noel"}, 12, 25},
	{[]string{"noel"}, 12, 25},
	{[]string{"jour", "de", "l", "'", "an"}, 1, 1},
	{[]string{"nouvel", "an"}, 1, 1},
	{[]string{"jour", "de", "la", "toussaint"}, 11, 1},
	{[]string{"journee", "de", "la", "toussaint"}, 11, 1},
	{[]string{"toussaint"}, 11, 1},
	{[]string{"jour", "des", "morts"}, 11, 1},
	{[]string{"fete", "du", "travail"}, 5, 1},
	{[]string{"fete", "nationale"}, 7, 14},
	{[]string{"christmas", "day"}, 12, 25},
	{[]string{"christmas"}, 12, 25},
	{[]string{"new", "year", "'", "s", "day"}, 1, 1},
}

// yearCues may introduce a bare year: "en 2025", "depuis 2022".
var yearCues = map[string]bool{
	"en": true, "in": true, "depuis": true, "since": true, "pour": true, "for": true,
	"courant": true, "annee": true, "year": true,
}

// firstWords returns the set of the first words of phrases.
func firstWords(phrases ...[]string) map[string]bool {
	set := make(map[string]bool)
	for _, ph := range phrases {
		set[ph[0]] = true
	}
	return set
}

var (
	deicticStarts = func() map[string]bool {
		var phs [][]string
		for _, d := range deictics {
			phs = append(phs, d.words)
		}
		return firstWords(phs...)
	}()
	holidayStarts = func() map[string]bool {
		var phs [][]string
		for _, h := range holidays {
			phs = append(phs, h.words)
		}
		return firstWords(phs...)
	}()
)

// starterWords are the words a date expression may begin with; the scanner
// skips any other word at once.
var starterWords = func() map[string]bool {
	set := make(map[string]bool)
	for _, m := range []map[string]int{monthWords, weekdayWords, unitWords, teenWords, tensWords} {
		for w := range m {
			set[w] = true
		}
	}
	for _, m := range []map[string]bool{deicticStarts, holidayStarts, yearCues} {
		for w := range m {
			set[w] = true
		}
	}
	for _, w := range []string{
		"premier", "first", "dernier", "last", "le", "la", "l", "the",
		"du", "from", "entre", "between", "de", "d", "en", "in", "courant", "au", "mois",
		"lendemain", "veille",
		"debut", "early", "beginning", "mi", "mid", "milieu", "middle", "fin", "late", "end",
		"premiere", "deuxieme", "seconde", "2eme", "2nde", "derniere", "second",
		"a", "apres", "plus", "starting", "after", "vers", "at",
		"midi", "noon", "minuit", "midnight",
	} {
		set[w] = true
	}
	return set
}()

// anchorWords are the starter words that can carry a date by themselves;
// the others ("le", "du", "fin", "à" …) only lead to one.
var anchorWords = func() map[string]bool {
	set := make(map[string]bool, len(starterWords))
	for w := range starterWords {
		set[w] = true
	}
	for _, w := range []string{
		"le", "la", "l", "the", "du", "from", "entre", "between", "de", "d", "en", "in", "courant", "au",
		"mois", "debut", "early", "beginning", "mi", "mid", "milieu", "middle", "fin", "late", "end",
		"a", "apres", "plus", "starting", "after", "vers", "at", "premiere", "deuxieme", "seconde",
		"2eme", "2nde", "derniere", "second", "last", "pour", "for", "depuis", "since", "annee", "year",
		"avant", "un", "une",
	} {
		delete(set, w)
	}
	return set
}()
