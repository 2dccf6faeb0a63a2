package facts

import (
	"strconv"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

const durationNumber = `(?:\d{1,2}(?:[,.]5)?|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`

// durationRe matches a duration: "4 à 6 mois", "6 months", "six semaines".
var durationRe = lazyRegexp{src: `(?i)\b` + durationNumber + `(?: ?(?:à|a|-|–|ou|to|or) ?` + durationNumber + `)? ?(?:(?:mois|semaines?|months?|weeks?|ans?|years?|jours?|days?)\b|ann[ée]es?)`}

// bodyDurationRe is durationRe without the units and the words that, in
// the body of an offer, more often give ages or history than the length of
// the internship ("16-25 ans", "une année charnière").
var (
	bodyDurationRe = lazyRegexp{src: bodyDurationSrc}
	bodyDurationAt = lazyRegexp{src: `^(?:` + bodyDurationSrc + `)`}
)

// bodyDurationSrc is bodyDurationRe's expression. Every match starts with
// a digit or one of durationWords and is shorter than 32 bytes: two
// numbers of six, a separator of three ("–"), three spaces and a unit of
// eight ("semaines").
const bodyDurationSrc = `(?i)\b(?:\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|two|three|four|five|six|seven|eight|nine|ten|twelve)(?: ?(?:à|a|-|–|ou|to|or) ?(?:\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|two|three|four|five|six|seven|eight|nine|ten|twelve))? ?(?:mois|semaines?|months?|weeks?)\b`

// durationWords are the numbers in words bodyDurationRe reads.
var durationWords = []string{"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "douze", "two",
	"three", "four", "five", "seven", "eight", "nine", "ten", "twelve"}

// durationMatches are where the matches of bodyDurationRe start: a match
// can start only where a unit follows within maxDurationHead bytes.
var durationMatches = matchStarts{words: durationWords, digits: true, window: 64, may: func(s string, i int) bool {
	u := durationUnit(s[i:min(len(s), i+maxDurationHead+len("semaine"))])
	return u >= 0 && u <= maxDurationHead
}}

// durationContext are words that show a duration is the internship's.
var durationContext = []string{"stage", "internship", "durée", "duree", "duration", "convention", "contrat",
	"contract", "mission", "placement", "apprentissage", "alternance"}

// readDuration reads a labelled duration, or one stated next to the word
// "stage" or "internship".
func readDuration(lines []factLine) string {
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "duree", "duration", "length", "internship duration", "duree du stage",
			"duree de la mission", "duree du contrat") &&
			!hasLabel(l, "duree hebdomadaire", "duree du travail", "duree de travail")
	}, nil)
	if v != "" {
		if m := durationRe.get().FindString(v); m != "" {
			return m
		}
		return cutSentence(v)
	}
	for i := range lines {
		l := &lines[i]
		if !l.has("mois", "semaine", "month", "week") || !l.has(durationContext...) || !l.digits && !l.has(durationWords...) {
			continue
		}
		if m := findStarting(bodyDurationRe.get(), bodyDurationAt.get(), l.plain, durationFrom(l.plain), durationMatches); m != nil {
			before := text.Fold(l.plain[:m[0]])
			// "depuis 6 mois", "il y a 2 ans" are not durations of the
			// internship.
			if strings.HasSuffix(before, "depuis ") || strings.HasSuffix(before, "il y a ") || strings.HasSuffix(before, "since ") {
				continue
			}
			return l.plain[m[0]:m[1]]
		}
	}
	return ""
}

// durationFrom returns where bodyDurationRe is run from in s, -1 when it
// cannot match: the first digit or number word of durationWords, as
// firstOf finds them, but not before maxDurationHead bytes before the
// first unit, which every match ends with.
func durationFrom(s string) int {
	u := durationUnit(s)
	if u < 0 {
		return -1
	}
	// Without "ſ", which the expression reads as "s" and firstOf does
	// not, firstOf finds every number a match starts with: one found
	// before a match's head changes nothing, as the expression finds
	// none there.
	from := max(u-maxDurationHead, 0)
	if from == 0 || strings.Contains(s, "ſ") {
		return firstOf(s, durationWords, true)
	}
	if k := firstOf(s[from:], durationWords, true); k >= 0 {
		return from + k
	}
	return -1
}

// maxDurationHead bounds, in bytes, what precedes the unit in a match of
// bodyDurationRe: two numbers of six bytes at most ("quatre", "troiſ"), a
// separator of three ("–") and three spaces make 18.
const maxDurationHead = 24

// durationUnit returns where the first unit of bodyDurationRe stands in s,
// in any case as the expression reads it, or -1.
func durationUnit(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] | 0x20 {
		case 'm':
			if foldAt(s, i, "mois") >= 0 || foldAt(s, i, "month") >= 0 {
				return i
			}
		case 's', 0xc5 | 0x20:
			// "ſ", two bytes from 0xc5, is an "s" to the expression.
			if foldAt(s, i, "semaine") >= 0 {
				return i
			}
		case 'w':
			if foldAt(s, i, "week") >= 0 {
				return i
			}
		}
	}
	return -1
}

// hoursRe matches weekly hours: "35h hebdomadaires", "35 heures par
// semaine", "35h/sem", "35 hours per week", "35-hour week".
var hoursRe = lazyRegexp{src: `(?i)\b(\d{1,2}(?:[,.]\d{1,2})?)(?: ?(?:h|heures?|hrs?|hours?)(\d{2})? ?(?:/|par|per|a|by|each|every|de travail)? ?(?:la |the |a )?(?:semaine|sem\b|week|wk|hebdomadaires?|hebdo)|-hours? (?:work ?)?week)`}

// hoursStart returns where the first number of s followed by an hour word
// ("35h", "35 heures", "35,5 hours", "35-hour") starts, or -1. Every match
// of hoursRe starts at such a number: at a digit after no other, since \b
// must stand before it.
func hoursStart(s string) int {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigitByte(s[j]) {
			j++
		}
		k := j
		if k+1 < len(s) && (s[k] == ',' || s[k] == '.') && isDigitByte(s[k+1]) {
			for k++; k < len(s) && isDigitByte(s[k]); k++ {
			}
		}
		if k < len(s) && (s[k] == ' ' || s[k] == '-') {
			k++
		}
		if k < len(s) && s[k]|0x20 == 'h' {
			return i
		}
		i = j
	}
	return -1
}

// hoursOnly matches a number of hours in a labelled working-time line.
var hoursOnly = lazyRegexp{src: `(?i)\b(\d{1,2}(?:[,.]\d{1,2})?) ?(?:h|heures?|hrs?|hours?)(\d{2})?\b`}

func readHours(lines []factLine) *float64 {
	for i := range lines {
		l := &lines[i]
		if !l.digits || !l.has("sem", "week", "hebdo", "wk") {
			continue
		}
		// The expression is run from the first number it can start at,
		// and the byte before, for \b.
		at := hoursStart(l.plain)
		if at < 0 {
			continue
		}
		if m := hoursRe.get().FindStringSubmatch(l.plain[max(at-1, 0):]); m != nil {
			if h, ok := hoursValue(m[1], m[2]); ok {
				return &h
			}
		}
	}
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "volume horaire", "temps de travail", "horaires", "duree hebdomadaire",
			"working hours", "hours", "hours per week", "weekly hours", "duree du travail", "temps de travail hebdomadaire")
	}, nil)
	lv := text.Fold(v)
	if v != "" && !strings.Contains(lv, "jour") && !strings.Contains(lv, "day") && !strings.Contains(lv, "mois") && !strings.Contains(lv, "month") {
		if m := hoursOnly.get().FindStringSubmatch(v); m != nil {
			if h, ok := hoursValue(m[1], m[2]); ok {
				return &h
			}
		}
	}
	return nil
}

// hoursValue reads "35" or "35,5" and optional minutes "30" as hours, and
// accepts only what a week of work can be.
func hoursValue(num, minutes string) (float64, bool) {
	h, err := strconv.ParseFloat(strings.Replace(num, ",", ".", 1), 64)
	if err != nil {
		return 0, false
	}
	if minutes != "" {
		m, err := strconv.Atoi(minutes)
		if err != nil || m >= 60 {
			return 0, false
		}
		h += float64(m) / 60
	}
	if h < 1 || h > 60 {
		return 0, false
	}
	return h, true
}

// amountRe matches a sum of money with what it is paid for: "4,35 € par
// heure de présence", "4,05€ / heure effective", "600 € brut par mois",
// "£1,200 per month".
var amountRe = lazyRegexp{src: `(?i)(?:(?:[$£€] ?\d[\d  .,]*(?:k\b)?|\d[\d  .,]*(?:[,.]\d+)? ?(?:k ?)?(?:€|euros?\b|eur\b|\$|usd\b|£|gbp\b|chf\b))(?: ?(?:-|–|à|to) ?(?:[$£€] ?)?\d[\d  .,]*(?: ?(?:€|euros?\b|\$|£))?)?(?: (?:bruts?|nets?|gross|net)\b)?(?: ?(?:/|par|per|a|an|de l'|l') ?(?:heure|h\b|hour|mois|month|an\b|année|year|semaine|week|jour|day)\b(?: (?:de présence|effective|travaillée|de stage|brut|net|gross))?)?(?: (?:bruts?|nets?|mensuels?|gross|net)\b)?)`}

// stipendPhrase matches phrases that say an internship is paid.
var stipendPhrase = lazyRegexp{src: `(?i)\b(?:stage|internship|mission) (?:gratifi[ée]e?|indemnis[ée]e?|r[ée]mun[ée]r[ée]e?|paid|unpaid|non r[ée]mun[ée]r[ée]e?)|\b(?:paid|unpaid) internship\b|\bgratification (?:l[ée]gale|minimale|en vigueur|selon (?:la )?(?:l[ée]gislation|r[èé]glementation)(?: en vigueur)?)`}

// stipendContext are the words of a line about pay; "pay" must end a word.
var stipendContext = []string{"gratification", "indemnit", "rémunér", "remunér", "rémuner", "remuner", "salaire",
	"stipend", "salary", "compensation", "allowance", "paid"}

// aboutPay reports whether a line is about pay.
func aboutPay(l *factLine) bool {
	if l.has(stipendContext...) {
		return true
	}
	for i := 0; ; i++ {
		k := strings.Index(l.low[i:], "pay")
		if k < 0 {
			return false
		}
		i += k
		if boundaryAt(l.low, i+3) {
			return true
		}
	}
}

// currencies are what every sum amountRe reads holds, in lower case.
var currencies = []string{"$", "£", "€", "eur", "usd", "gbp", "chf"}

// findAmount returns amountRe's leftmost match in s, or "". Every match
// starts at a digit or a currency sign, which no other character matches
// in any case, and nothing before it is read: the search starts at the
// first of them, sparing the regular expression the words before.
func findAmount(s string) string {
	if i := amountFrom(s); i >= 0 {
		return amountRe.get().FindString(s[i:])
	}
	return ""
}

// amountFrom returns where the first match of amountRe in s may start, or
// -1 when none does. A match starts at a currency sign followed by a
// digit, or at a digit of a run of digits, spaces, points and commas
// followed by a currency, "k" before it or not: the regular expression is
// spared the numbers of the line that are no sums, and those before them.
func amountFrom(s string) int {
	i := amountStart(s)
	for i >= 0 {
		var next int
		if isDigitByte(s[i]) {
			// Every digit of the run ends its number where it ends.
			next = i
			for next < len(s) && (isDigitByte(s[next]) || s[next] == ' ' || s[next] == '.' || s[next] == ',') {
				next++
			}
			if currencyAt(s, next) {
				return i
			}
		} else {
			next = i + 1
			if s[i] != '$' {
				next = i + len(firstRunes(s[i:], 1))
			}
			j := next
			if j < len(s) && s[j] == ' ' {
				j++
			}
			if j < len(s) && isDigitByte(s[j]) {
				return i
			}
		}
		k := amountStart(s[next:])
		if k < 0 {
			return -1
		}
		i = next + k
	}
	return -1
}

// currencyAt reports whether a currency of amountRe, in any case as it
// reads them, stands at s[i], or "k", a space or not and one.
func currencyAt(s string, i int) bool {
	if e := foldAt(s, i, "k"); e >= 0 {
		if e < len(s) && s[e] == ' ' {
			e++
		}
		if currencyStarts(s, e) {
			return true
		}
	}
	return currencyStarts(s, i)
}

// currencyStarts reports whether a currency of amountRe stands at s[i].
func currencyStarts(s string, i int) bool {
	rest := s[i:]
	if strings.HasPrefix(rest, "€") || strings.HasPrefix(rest, "$") || strings.HasPrefix(rest, "£") {
		return true
	}
	return foldAt(s, i, "eur") >= 0 || foldAt(s, i, "usd") >= 0 || foldAt(s, i, "gbp") >= 0 || foldAt(s, i, "chf") >= 0
}

// amountStart returns where the first digit, "$", "£" or "€" of s
// stands, or -1.
func amountStart(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigitByte(c) || c == '$':
			return i
		case c == 0xc2 && strings.HasPrefix(s[i:], "£"), c == 0xe2 && strings.HasPrefix(s[i:], "€"):
			return i
		}
	}
	return -1
}

// stipendWords are what every phrase stipendPhrase reads holds.
var stipendWords = []string{"gratifi", "indemnis", "munér", "muner", "paid"}

func readStipend(lines []factLine) string {
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "indemnite", "indemnites", "indemnisation", "gratification",
			"remuneration", "salaire", "stipend", "salary", "compensation", "allowance",
			"pay", "remuneration mensuelle", "indemnite de stage", "gratification de stage",
			"conditions financieres", "retribution")
	}, nil)
	if v != "" {
		if m := findAmount(v); m != "" {
			return strings.TrimSpace(strings.TrimRight(m, " ,."))
		}
		return cutSentence(v)
	}
	for i := range lines {
		l := &lines[i]
		if !l.digits || !l.has(currencies...) || !aboutPay(l) {
			continue
		}
		if m := findAmount(l.plain); m != "" {
			return strings.TrimSpace(strings.TrimRight(m, " ,."))
		}
	}
	for i := range lines {
		l := &lines[i]
		if l.has("stage", "internship", "mission", "gratification", "paid") && l.has(stipendWords...) {
			// The expression is run from the first place it may match
			// at, and the byte before, for \b; most lines have none.
			at := stipendPhraseStart(l.plain)
			if at < 0 {
				continue
			}
			if m := stipendPhrase.get().FindString(l.plain[max(at-1, 0):]); m != "" {
				return m
			}
		}
	}
	return ""
}

// stipendPhraseStart returns where the first match of stipendPhrase in s
// may start, or -1 when there is none: the first of its words, in any case
// as the expression reads them, followed by the start of a word it may take
// next. Only the bytes a first word may start with are tested.
func stipendPhraseStart(s string) int {
	for i := 0; i < len(s); i++ {
		// "ſ", two bytes from 0xc5, is an "s" to the expression too.
		switch s[i] | 0x20 {
		case 's', 'i', 'm', 0xc5 | 0x20:
			if e := max(foldAt(s, i, "stage "), foldAt(s, i, "internship "), foldAt(s, i, "mission ")); e >= 0 &&
				(foldAt(s, e, "gratifi") >= 0 || foldAt(s, e, "indemnis") >= 0 || foldAt(s, e, "r") >= 0 ||
					foldAt(s, e, "paid") >= 0 || foldAt(s, e, "unpaid") >= 0 || foldAt(s, e, "non r") >= 0) {
				return i
			}
		case 'p', 'u':
			if e := max(foldAt(s, i, "paid"), foldAt(s, i, "unpaid")); e >= 0 && foldAt(s, e, " internship") >= 0 {
				return i
			}
		case 'g':
			if e := foldAt(s, i, "gratification "); e >= 0 && (foldAt(s, e, "l") >= 0 || foldAt(s, e, "minimale") >= 0 ||
				foldAt(s, e, "en vigueur") >= 0 || foldAt(s, e, "selon ") >= 0) {
				return i
			}
		}
	}
	return -1
}
