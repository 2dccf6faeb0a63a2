package facts

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// orgStarts are words that begin the name of an organisation ("Ville de
// Grenoble", "Musée d'Orsay", "University of Kent").
var orgStarts = sizedWordsOf(
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

// maxOrgStart is the length of the longest of orgStarts.
var maxOrgStart = longest(orgStarts.set)

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

// fieldsOf counts the words of s, as strings.Fields cuts them, up to max.
func fieldsOf(s string, max int) int {
	n := 0
	for i := 0; n < max; n++ {
		start, end := nextField(s, i)
		if start == end {
			break
		}
		i = end
	}
	return n
}

// lastField returns the last word of s, between white space as
// strings.Fields reads it, or "".
func lastField(s string) string {
	end := len(s)
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	start := end
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsSpace(r) {
			break
		}
		start -= n
	}
	return s[start:end]
}

// nextField returns the bounds of the first word of s at or after s[i],
// between white space as strings.Fields reads it; start == end when none
// is left.
func nextField(s string, i int) (start, end int) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiSpace(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	start = i
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return start, i
}

// cleanOrg trims an organisation name and gives a name written in capitals
// the usual case ("VILLE DE GRENOBLE" becomes "Ville de Grenoble").
func cleanOrg(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "*_#“”«»\" .,;:"))
	s = joinFields(s)
	if isAllCaps(s) && utf8.RuneCountInString(s) > 4 {
		s = titleCase(s)
	}
	return s
}

// joinFields is strings.Join(strings.Fields(s), " "), which most names and
// titles already are: those are returned as they are, without being cut
// and joined.
func joinFields(s string) string {
	if singleSpaced(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// singleSpaced reports whether s has no white space but single spaces
// between its words.
func singleSpaced(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// The white space outside ASCII: U+0085, U+00A0 and U+1680
			// to U+3000.
			if c == 0xc2 || c == 0xe1 || c == 0xe2 || c == 0xe3 {
				r, n := utf8.DecodeRuneInString(s[i:])
				if unicode.IsSpace(r) {
					return false
				}
				i += n - 1
			}
			continue
		}
		if c == ' ' && s[i+1] == ' ' || c != ' ' && asciiSpace(c) {
			return false
		}
	}
	return true
}

// asciiSpace reports whether c is white space as unicode.IsSpace reads it.
func asciiSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

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

func startsWithOrgWord(s string) bool {
	f := strings.Fields(s)
	return len(f) > 1 && (orgStarts.has(foldLabel(f[0])) || text.Fold(f[0]) == "direction" || text.Fold(f[0]) == "service")
}

// Names are read by scanners rather than regular expressions; each
// scanner reads what a pattern of the form
//
//	capWord(?:[ -](?:join )*capWord){0,n}
//
// matches, where capWord is (?:[dlDL]')?\p{Lu}[\p{L}\p{M}0-9&.'-]*, a
// capitalised word ("Territoire", "d'Orsay", "Saint-Étienne", "R&D"), and
// join one of a few small words ("de", "la", "l'"). Every choice is forced
// (a small word is never capitalised, a capitalised word is never small,
// and a capitalised word runs to the next space), so the longest name is
// the only one. Compiling the Unicode classes of such patterns took most
// of the package's start-up.

// nameRule is one such pattern: the small words allowed between two
// capitalised words, the bytes one of which follows each small word, and
// how many capitalised words may follow the first.
type nameRule struct {
	join     func(w string) bool
	joinEnds string
	more     int
}

var (
	// orgName reads the name of an organisation: "Territoire de
	// Sciences", "Musée des Arts et Métiers".
	orgName = nameRule{isNameJoin, " ", 6}
	// townName reads the name of a town: "Saint-Martin-d'Hères", "Aix en
	// Provence", "Pont de l'Arche".
	townName = nameRule{isTownJoin, " -", 4}
	// postalTown reads the town after a postal code, whose small words
	// are followed by a space.
	postalTown = nameRule{isTownJoin, " ", 4}
	// basedTown reads the town of "basé à Lyon", "located in New York".
	basedTown = nameRule{isBasedJoin, " ", 3}
)

// isNameJoin reports whether w may join the words of an organisation's
// name.
func isNameJoin(w string) bool {
	switch w {
	case "de", "du", "des", "d'", "la", "le", "les", "l'", "et", "&", "en", "pour", "sur", "au", "aux",
		"of", "the", "and", "for", "à":
		return true
	}
	return false
}

// isTownJoin reports whether w may join the words of a town's name.
func isTownJoin(w string) bool {
	switch w {
	case "de", "du", "des", "la", "le", "les", "en", "sur", "sous", "lès", "lez", "l'", "d'", "au", "aux":
		return true
	}
	return false
}

// isBasedJoin reports whether w may join the words of the town after
// "basé à".
func isBasedJoin(w string) bool {
	switch w {
	case "de", "du", "la", "le", "sur", "en", "lès", "d'", "l'":
		return true
	}
	return false
}

// end returns where the name that starts at s[i] ends, or -1 when none
// starts there.
func (r nameRule) end(s string, i int) int {
	e := capWordEnd(s, i)
	if e < 0 {
		return -1
	}
	for range r.more {
		if e >= len(s) || s[e] != ' ' && s[e] != '-' {
			break
		}
		j := e + 1
		for {
			k := strings.IndexAny(s[j:], r.joinEnds)
			if k <= 0 || !r.join(s[j:j+k]) {
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

// whole reports whether s is one name and nothing more.
func (r nameRule) whole(s string) bool { return s != "" && r.end(s, 0) == len(s) }

// nameEnd returns where the proper name that starts at s[i] ends, or -1
// when none starts there.
func nameEnd(s string, i int) int { return orgName.end(s, i) }

// postalMatch is a French postal code found in a text and the town named
// after it: the code is s[start:start+5], the whole match s[start:end],
// the town s[town:end], or none when town is -1.
type postalMatch struct{ start, end, town int }

func (m postalMatch) code(s string) string { return s[m.start : m.start+5] }

func (m postalMatch) townOf(s string) string {
	if m.town < 0 {
		return ""
	}
	return s[m.town:m.end]
}

// findPostal finds the first postal code of s at or after from: five
// digits standing alone, from 01 to 98 in their first two, and the town
// that follows it, after a comma or spaces.
func findPostal(s string, from int) (postalMatch, bool) {
	for i := from; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigitByte(s[j]) {
			j++
		}
		// Only a run of five digits with no word character on either side
		// is a code.
		if j-i != 5 || i > 0 && isASCIIWord(s[i-1]) || j < len(s) && isASCIIWord(s[j]) ||
			s[i:i+2] == "00" || s[i:i+2] == "99" {
			i = j
			continue
		}
		m := postalMatch{start: i, end: j, town: -1}
		k := j
		if k < len(s) && s[k] == ',' {
			k++
		}
		sp := k
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k > sp {
			if e := postalTown.end(s, k); e >= 0 {
				m.town, m.end = k, e
			}
		}
		return m, true
	}
	return postalMatch{}, false
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

// firstFoldedIn reports whether firstFoldedWord(s) is in set, whose words
// are maxLen bytes long at most, without writing the word out.
func firstFoldedIn(s string, set *sizedWords, maxLen int) bool {
	var buf [32]byte
	b, ok := appendFoldLabel(buf[:0], s, true, maxLen)
	return ok && set.hasBytes(b)
}

// foldedIs reports whether foldLabel(s) is w, without writing the fold out.
func foldedIs(s, w string) bool {
	var buf [32]byte
	b, ok := appendFoldLabel(buf[:0], s, false, len(w))
	return ok && string(b) == w
}

// foldedIn reports whether foldLabel(s) is in set, whose words are maxLen
// bytes long at most, without writing the fold out.
func foldedIn(s string, set *sizedWords, maxLen int) bool {
	var buf [32]byte
	b, ok := appendFoldLabel(buf[:0], s, false, maxLen)
	return ok && set.hasBytes(b)
}

// longest returns the length of the longest word of set.
func longest(set words) int {
	n := 0
	for w := range set {
		n = max(n, len(w))
	}
	return n
}

// sizedWords is a set of words with a filter of their lengths and outer
// bytes: most words a header's tests look up are in none of the sets
// ("de", "h", "communication", a whole line), and are rejected without
// being hashed and searched for.
type sizedWords struct {
	set    words
	filter [filterWords]uint64 // the bits of the keys of set's words
}

// filterWords is the size of a sizedWords filter in words of 64 bits: a
// set of a hundred words sets about one bit in forty.
const filterWords = 64

func sizedWordsOf(ws ...string) sizedWords {
	s := sizedWords{set: wordsOf(ws...)}
	for _, w := range ws {
		k := filterKey(w)
		s.filter[k>>6] |= 1 << (k & 63)
	}
	return s
}

// filterKey hashes w's length and its first, second and last bytes into
// a bit of a filter.
func filterKey[T string | []byte](w T) uint32 {
	n := len(w)
	if n == 0 {
		return 0
	}
	h := uint32(n) | uint32(w[0])<<8 | uint32(w[min(1, n-1)])<<16 | uint32(w[n-1])<<24
	return h * 0x9e3779b1 >> (32 - 12)
}

// has reports whether w is in the set.
func (s *sizedWords) has(w string) bool {
	if k := filterKey(w); s.filter[k>>6]&(1<<(k&63)) == 0 {
		return false
	}
	return s.set[w]
}

// hasBytes reports whether string(w) is in the set, without writing the
// string.
func (s *sizedWords) hasBytes(w []byte) bool {
	if k := filterKey(w); s.filter[k>>6]&(1<<(k&63)) == 0 {
		return false
	}
	return s.set[string(w)]
}

// appendLower appends lower(s) to dst and returns the extended slice, or
// stops once more than limit bytes are written and reports then that it did
// not finish. Each character is lowered as lower and lowerIs lower it.
func appendLower(dst []byte, s string, limit int) ([]byte, bool) {
	start := len(dst)
	for i := 0; i < len(s); {
		if len(dst)-start > limit {
			return dst, false
		}
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r >= 0xc0 && r <= 0xde && r != 0xd7:
			r += 0x20
		case r >= 0x100:
			// U+FFFD, which lower writes for a byte that is not UTF-8, too.
			r = unicode.ToLower(r)
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, len(dst)-start <= limit
}

// trimName drops a leading pronoun or article that is not part of the name
// and returns "" when nothing of a name is left.
func trimName(name string) string {
	name = strings.TrimSpace(strings.TrimRight(name, ".,;:"))
	// The first two words, where the second starts, and how many words
	// there are, up to three, are all that is read of the name's words.
	var w0, w1 string
	n, second := 0, 0
	for i := 0; n < 3; n++ {
		start, end := nextField(name, i)
		if start == end {
			break
		}
		switch n {
		case 0:
			w0 = name[start:end]
		case 1:
			w1, second = name[start:end], start
		}
		i = end
	}
	if n == 0 {
		return ""
	}
	if strings.Contains(name, ". ") {
		// "TPE. On" spans two sentences.
		return ""
	}
	// The first word is folded on the stack, as a name's words are short.
	var buf [64]byte
	fb := text.AppendFold(buf[:0], w0)
	if rest, ok := bytes.CutPrefix(fb, []byte("l'")); ok && n > 1 && orgStarts.hasBytes(rest) {
		// "L'Agence pour l'Économie Solidaire" is named "Agence pour ...".
		_, tail, _ := strings.Cut(name, "'")
		return tail
	}
	article := string(fb) == "le" || string(fb) == "la" || string(fb) == "les" || string(fb) == "the"
	if n == 2 && article && foldedIn(w1, &orgStarts, maxOrgStart) {
		// "Le Parc recrute", "The Agency offers": a common noun.
		return ""
	}
	if n > 1 && article && foldedIn(w1, &orgStarts, maxOrgStart) {
		// "La Fondation X" is named "Fondation X"; "La Casemate" keeps
		// its article.
		return joinFields(name[second:])
	}
	if notNames[string(fb)] {
		// "La Casemate" is a name, "La mission" is not: orgName
		// already required the next word to be capitalised.
		switch string(fb) {
		case "stage", "poste", "mission", "internship", "position", "job", "role":
			return ""
		}
		if n == 1 || notNames[string(text.AppendFold(buf[:0], w1))] {
			return ""
		}
	}
	return name
}

// load64 returns the eight bytes of s at s[i:], the first lowest.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// bytesMask returns the high bit of each byte of x that is c, and no other
// bit: a byte is zero after the xor only where it was c, and adding 0x7f to
// its low seven bits carries into its high bit in every other byte, never
// into the next byte.
func bytesMask(x uint64, c byte) uint64 {
	const low7, high = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	v := x ^ 0x0101010101010101*uint64(c)
	return ^((v&low7 + low7) | v) & high
}
