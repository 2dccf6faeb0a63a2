package facts

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The header's readers were made faster; each test here keeps the plain
// version a reader replaced and checks that both give the same on the
// texts of the test corpora, their lines and random texts, as
// faster_test.go does for the others.

// dateInText is the regular expression hasDateInText replaces.
var dateInText = lazyRegexp{src: `\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|(?i)jusqu'au|date limite|avant le`}

// plainIsFieldLine is isFieldLine as it was, with dateInText.
func plainIsFieldLine(s string) bool {
	if fieldWords[firstFoldedWord(s)] {
		return true
	}
	return (hasDigit(s) || containsFold(s, "jusqu'au") || containsFold(s, "date limite") || containsFold(s, "avant le")) &&
		(dateInText.get().MatchString(s) || postalThenLetter(s))
}

// dateInputs returns the inputs of fasterInputs and random lines of dates,
// digits, the deadline words in every case and the letters that fold to
// theirs.
func dateInputs(t *testing.T) []string {
	in := fasterInputs(t)
	in = append(in, randomLines(11, 50000, []string{"1", "12", "123", "2025", "12345", "0", "/", ".", "/", ".", " ", "a", "_",
		"é", "\xff", "jusqu'au", "JUSQU'AU", "juſqu'au", "Jusqu’au", "date limite", "DATE LIMITE", "Date  limite", "avant le",
		"AVANT LE", "avant", " le", "j", "d", "A", "38000 Grenoble", "38000 grenoble", "Lieu", "lieu :", "Réf.", "K"})...)
	return append(in, "1/2/34", "01/02/2025", "1/2/3", "1/2/34567", "a1/2/34", "1/2/34a", "_1/2/34", "1/2/34_", "12.12.12.",
		"123/1/12", "1/123/12", "x 1/2/12 y", "1..12", "1/2/é", "é1/2/12", "1/2/12é")
}

func TestHasDateInTextAsRegexp(t *testing.T) {
	for _, s := range dateInputs(t) {
		if got, want := hasDateInText(s), dateInText.get().MatchString(s); got != want {
			t.Fatalf("hasDateInText(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestIsFieldLineAsRegexp(t *testing.T) {
	for _, s := range dateInputs(t) {
		if got, want := isFieldLine(s), plainIsFieldLine(s); got != want {
			t.Fatalf("isFieldLine(%q) = %v, want %v", s, got, want)
		}
	}
}

// foldInputs returns the inputs of fasterInputs and random lines of the
// characters foldLabel drops, splits or expands.
func foldInputs(t *testing.T) []string {
	in := fasterInputs(t)
	return append(in, randomLines(13, 50000, []string{"a", "B", "é", "É", "œ", "Œ", "ß", "ﬁ", "æ", "(", ")", " ", "  ", "-", "'", "’",
		"1", "İ", "ſ", "K", "\xff", "\xc3", "ǅ", "x", "Stage", "lieu", "gratification", "ŒUVRE", "\u0301", ".", "/"})...)
}

func TestAppendFoldLabel(t *testing.T) {
	for _, s := range foldInputs(t) {
		for _, limit := range []int{0, 1, 5, 13, 1 << 20} {
			for _, firstOnly := range []bool{false, true} {
				want := foldLabel(s)
				if firstOnly {
					want = firstFoldedWord(s)
				}
				got, ok := appendFoldLabel([]byte("x"), s, firstOnly, limit)
				if !strings.HasPrefix(string(got), "x") || ok != (len(want) <= limit) || ok && string(got[1:]) != want ||
					!ok && !strings.HasPrefix(want, string(got[1:])) {
					t.Fatalf("appendFoldLabel(%q, %v, %d) = %q, %v, want %q", s, firstOnly, limit, got[1:], ok, want)
				}
			}
		}
	}
}

// headerInputs returns the inputs of fasterInputs and random lines of the
// words and marks the header's tests read.
func headerInputs(t *testing.T) []string {
	in := fasterInputs(t)
	return append(in, randomLines(17, 50000, []string{"Stage", "stage", " ", " ", " ", " – ", " — ", " - ", " | ", "-", "|", "–", "—",
		"Fwd", "fwd:", "TR ", " tr ", "Tr", "forwarded message", "Message transféré", "relayé", "relayée", "transmis par",
		"original message", "message d'origine", "[", "]", "www.", "WwW.", "@", "://", "Université", "Ville", "de", "Lyon",
		"MÉTROPOLE", "Métropole", "(CNRS)", "CNRS", "d'Avignon", "l'Agence", "É", "é", "\xff", "K", "ſ", "\u00a0", ".", "'",
		"Direction", "Chargé", "H/F", "(x)", "Musée", "x", "1"})...)
}

// plainIsForwarding is isForwarding as it was, a search for each word.
func plainIsForwarding(l *factLine) bool {
	if strings.HasPrefix(l.plain, "[") && strings.HasSuffix(l.plain, "]") {
		return true
	}
	f := l.folded()
	short := fieldsUpTo(f, 9) <= 8
	for _, w := range forwardWords {
		if strings.HasPrefix(f, w[1:]) || short && strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// plainLooksLikeTitle is looksLikeTitle as it was, with a lowered copy.
func plainLooksLikeTitle(s string) bool {
	s = strings.TrimSpace(strings.Trim(s, "“”«»\" "))
	n := utf8.RuneCountInString(s)
	if n < 3 || n > 160 || fields(s) > 18 {
		return false
	}
	r := firstRuneOf(s)
	if !unicode.IsUpper(r) {
		return false
	}
	if strings.Contains(s, "@") || strings.Contains(s, "://") || strings.HasPrefix(strings.ToLower(s), "www.") {
		return false
	}
	body := strings.TrimRight(s, ".")
	return !strings.Contains(body, ". ") && !strings.HasSuffix(s, ":")
}

// plainIsOrgName is isOrgName as it was, with the words folded.
func plainIsOrgName(s string) bool {
	var first, last string
	n := 0
	for w := range strings.FieldsSeq(s) {
		if n++; n > 8 {
			return false
		}
		if n == 1 {
			first = w
		}
		last = w
	}
	if n == 0 {
		return false
	}
	first, last = foldLabel(first), foldLabel(last)
	starts := orgStarts[first] || last == "metropole"
	if !starts {
		return false
	}
	return isAllCaps(s) || orgName.whole(s)
}

// plainNextHeaderSep is nextHeaderSep as a search for each separator.
func plainNextHeaderSep(seg string) (at, width int) {
	at = -1
	for _, s := range headerSeps {
		if i := strings.Index(seg, s); i >= 0 && (at < 0 || i < at) {
			at, width = i, len(s)
		}
	}
	return at, width
}

// plainCapitalised is capitalised as it was, counting every word.
func plainCapitalised(s string) int {
	n := 0
	for w := range strings.FieldsSeq(s) {
		if i := strings.IndexAny(w, "'’"); i >= 0 && i <= 2 {
			_, n := utf8.DecodeRuneInString(w[i:])
			w = w[i+n:]
		}
		if unicode.IsUpper(firstRuneOf(w)) {
			n++
		}
	}
	return n
}

func TestHeaderTestsAsPlain(t *testing.T) {
	for _, s := range headerInputs(t) {
		l := factLine{plain: s}
		if got, want := isForwarding(&l), plainIsForwarding(&factLine{plain: s}); got != want {
			t.Fatalf("isForwarding(%q) = %v, want %v", s, got, want)
		}
		if got, want := looksLikeTitle(s), plainLooksLikeTitle(s); got != want {
			t.Fatalf("looksLikeTitle(%q) = %v, want %v", s, got, want)
		}
		if got, want := isOrgName(s), plainIsOrgName(s); got != want {
			t.Fatalf("isOrgName(%q) = %v, want %v", s, got, want)
		}
		if at, w := nextHeaderSep(s); at != -1 || w != 0 {
			if wat, ww := plainNextHeaderSep(s); at != wat || w != ww {
				t.Fatalf("nextHeaderSep(%q) = %d, %d, want %d, %d", s, at, w, wat, ww)
			}
		} else if wat, _ := plainNextHeaderSep(s); wat != -1 {
			t.Fatalf("nextHeaderSep(%q) = -1, want %d", s, wat)
		}
		if got, want := capitalised(s), plainCapitalised(s); got != want {
			t.Fatalf("capitalised(%q) = %d, want %d", s, got, want)
		}
		for max := range 4 {
			if got, want := capitalisedUpTo(s, max), min(plainCapitalised(s), max); got != want {
				t.Fatalf("capitalisedUpTo(%q, %d) = %d, want %d", s, max, got, want)
			}
		}
	}
}
