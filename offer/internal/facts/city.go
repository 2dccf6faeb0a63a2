package facts

import (
	"math/bits"
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
	caps := capsAfterSpace(plain, low, make([]int, 0, 16))
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

// capsAfterSpace appends to caps, in order, where a capital letter
// stands in plain right after a space or an apostrophe of low, its lower
// case of the same length. Eight places are tested at once: a capital is
// an ASCII capital or starts with a byte that is not ASCII (capitalAt
// tells those), and the byte before each is read from the word of low
// one byte behind, so an accented letter inside a word, most of them in
// French, stops nothing.
func capsAfterSpace(plain, low string, caps []int) []int {
	const highs = 0x8080808080808080
	at := 1
	for ; at+8 <= len(plain); at += 8 {
		before, x := load64(low, at-1), load64(plain, at)
		for m := (bytesMask(before, ' ') | bytesMask(before, '\'')) & (asciiCapitals(x) | x&highs); m != 0; m &= m - 1 {
			if i := at + bits.TrailingZeros64(m)/8; capitalAt(plain, i) {
				caps = append(caps, i)
			}
		}
	}
	for ; at < len(plain); at++ {
		if c := low[at-1]; (c == ' ' || c == '\'') && capitalAt(plain, at) {
			caps = append(caps, at)
		}
	}
	return caps
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
	var spans [32][2]int
	for i := range lines[:min(len(lines), 3)] {
		plain := lines[i].plain
		parts := headParts(plain, spans[:0])
		for k := len(parts) - 1; k >= 1; k-- {
			p := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(plain[parts[k][0]:parts[k][1]]), " -"))
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

// headParts appends to parts the bounds of the parts of s between dashes
// ("–", "—"), commas, bars and brackets, as strings.FieldsFunc cuts them,
// without making their strings. The separators are ASCII or start with
// 0xE2, which no other character's bytes hold but as their first.
func headParts(s string, parts [][2]int) [][2]int {
	start := 0
	for i := 0; i < len(s); {
		if i = headSepFrom(s, i); i == len(s) {
			break
		}
		n := 0
		switch c := s[i]; {
		case c == ',' || c == '|' || c == '(' || c == ')':
			n = 1
		case c == 0xe2 && strings.HasPrefix(s[i:], "–"), c == 0xe2 && strings.HasPrefix(s[i:], "—"):
			n = 3
		default:
			i++
			continue
		}
		if i > start {
			parts = append(parts, [2]int{start, i})
		}
		i += n
		start = i
	}
	if start < len(s) {
		parts = append(parts, [2]int{start, len(s)})
	}
	return parts
}

// headSepFrom returns where the first byte a separator of headParts may
// start with, ",", "|", "(", ")" or 0xE2, stands from s[i] on; len(s)
// when none does. Eight bytes are tested at once: a byte of x^c is zero
// where c stands, and (v-ones)&^v has the high bit of a byte set when v
// has a zero byte, the lowest of them first.
func headSepFrom(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zeros := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if m := zeros(x^(','*ones)) | zeros(x^('|'*ones)) | zeros(x^('('*ones)) | zeros(x^(')'*ones)) | zeros(x^(0xe2*ones)); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '|' || c == '(' || c == ')' || c == 0xe2 {
			return i
		}
	}
	return len(s)
}

// fiveDigits reports whether s holds a run of exactly five digits, as a
// postal code is written. The bytes up to the next digit are passed over
// eight at once, as one word: adding 0x80-'0' to a byte of seven bits sets
// its high bit when it is '0' or above, and adding 0x80-'9'-1 when it is
// above '9'; the bytes that are not ASCII are cleared of their high bit
// first, so that no sum carries into the next byte.
func fiveDigits(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			b := s[i : i+8]
			x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			y := x &^ highs
			m := (y + (0x80-'0')*ones) &^ (y + (0x80-'9'-1)*ones) &^ x & highs
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		} else if !isDigitByte(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isDigitByte(s[j]) {
			j++
		}
		if j-i == 5 {
			return true
		}
		i = j
	}
	return false
}
