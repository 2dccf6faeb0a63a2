package facts

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// The header's readers were made faster; each test here keeps the plain
// version a reader replaced and checks that both give the same on the
// texts of the test corpora, their lines and random texts, as
// faster_test.go does for the others.

// dateInText is the regular expression hasDateInText replaces.
var dateInText = lazyRegexp{src: `\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|(?i)jusqu'au|date limite|avant le`}

// plainIsFieldLine is isFieldLine as it was, with dateInText.
func plainIsFieldLine(s string) bool {
	if fieldWords.set[firstFoldedWord(s)] {
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
				// foldLabel is written with appendFoldLabel: the fold read
				// one character at a time is the reference.
				want := plainFoldUpTo(s, firstOnly)
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
		"Direction", "Chargé", "H/F", "(x)", "Musée", "x", "1", "Le", "LA", "les", "The", "L'", "l'", "Fondation", "Parc",
		"mission", "Stage", "cordialement", "Bonjour", "Merci", ",", "\t", "\u2009", "\u3000", "\u0085", "\u00a0", "\u1680",
		"\u202f", "\u2028", "\u180e", " est un", " est l'un", " is a", " is one", " est ", " is ", "est", "is", "un", "one",
		"Ville ", "Mairie ", "Région ", "Commune ", "Conseil ", "Communauté ", "Département ", "Metropole", "Offre", "offre de stage", " (", ", ", " : ", ". ",
		"Université de Lyon", "Agence", "Groupe", "Banque", "UMR", "parc national", "Direction générale", "’", "d’Avignon", "\xe2", "recrute", "RECRUTE",
		"Recherche", "un", "des", "is", "hiring", "are", "we", "We", "on", "cherche", "est", "une", "le", "ou la", "Le", "OU", "LA",
		"seeKs", "İ", "à", "À", "pour", "and", "the", "!", "?", ";",
		"Janvier", "mars", "à", "partir", "From", "2026", "1er", "sept.", "Déc",
		"\n", "\n", "Grenoble Alpes ", "Ville de Lyon", "Conseil départemental de l'Isère", "Communauté de communes ", "Isère"})...)
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

// plainIsClosing and plainIsGreeting are isClosing and isGreeting as they
// were, each counting the words of the line's fold.
func plainIsClosing(l *factLine) bool {
	f := l.folded()
	n := fieldsUpTo(f, 5)
	return n > 0 && n <= 4 && closings[firstWord(f)]
}

func plainIsGreeting(l *factLine) bool {
	f := l.folded()
	if n := fieldsUpTo(f, 6); n == 0 || n > 5 {
		return false
	}
	return greetings[firstWord(f)]
}

// plainTrimName is trimName as it was, on the name's words cut apart and
// folded.
func plainTrimName(name string) string {
	name = strings.TrimSpace(strings.TrimRight(name, ".,;:"))
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	if strings.Contains(name, ". ") {
		return ""
	}
	f := text.Fold(words[0])
	if rest, ok := strings.CutPrefix(f, "l'"); ok && len(words) > 1 && orgStarts.set[rest] {
		_, tail, _ := strings.Cut(name, "'")
		return tail
	}
	if len(words) == 2 && (f == "le" || f == "la" || f == "les" || f == "the") && orgStarts.set[foldLabel(words[1])] {
		return ""
	}
	if len(words) > 1 && (f == "le" || f == "la" || f == "les" || f == "the") && orgStarts.set[foldLabel(words[1])] {
		return strings.Join(words[1:], " ")
	}
	if notNames[f] {
		if len(words) == 1 || f == "stage" || f == "poste" || f == "mission" ||
			f == "internship" || f == "position" || f == "job" || f == "role" {
			return ""
		}
		if notNames[text.Fold(words[1])] {
			return ""
		}
	}
	return name
}

// plainIsOrgPart is isOrgPart as it was, which counted the capitals
// before it read the words.
func plainIsOrgPart(s, f string) bool {
	if !isNameLike(s) {
		return false
	}
	name := cutOrg(s)
	if isAcronym(name) {
		return true
	}
	if i := strings.LastIndex(s, "("); i > 0 && strings.HasSuffix(s, ")") && isAcronym(s[i+1:len(s)-1]) {
		return true
	}
	if isGenericOrg(name) {
		return false
	}
	if plainCapitalised(name) < 2 && !hasAcronym(name) {
		return false
	}
	if name != s {
		f = foldLabel(name)
	}
	if strings.Contains(f, "parc national") || strings.Contains(f, "direction generale") {
		return true
	}
	for w := range strings.SplitSeq(f, " ") {
		if orgWords.set[w] {
			return true
		}
	}
	return false
}

// plainIsProse is isProse as it was, on a lowered copy of s.
func plainIsProse(s string) bool {
	if plainIsFieldLine(s) {
		return true
	}
	low := lower(strings.Trim(s, ".,;!?"))
	for w := low; w != ""; {
		word, rest, _ := strings.Cut(w, " ")
		follows, ok := proseMarks[word]
		if ok && follows == nil {
			return true
		}
		for _, f := range follows {
			if strings.HasPrefix(rest, f) || strings.HasSuffix(f, " ") && rest == f[:len(f)-1] {
				return true
			}
		}
		w = rest
	}
	t := strings.TrimRight(low, " ")
	if fields(t) <= 3 {
		return false
	}
	last := strings.TrimRight(t[strings.LastIndexByte(t, ' ')+1:], ",")
	return proseEnds[last]
}

// plainFirstPublicBody is firstPublicBody as bodyOrg read it, line by
// line.
func plainFirstPublicBody(top string) string {
	for l := range strings.Lines(top) {
		if containsAny(l, publicWords) {
			if m := publicBody(l); m != "" {
				return m
			}
		}
	}
	return ""
}

// plainIsPositionFolded is isPositionFolded as it was, reading the words
// by strings.SplitSeq.
func plainIsPositionFolded(s, f string) bool {
	if deptWords.set[firstWord(f)] {
		return false
	}
	if hasPositionMark(s) {
		return true
	}
	for w := range strings.SplitSeq(f, " ") {
		if positionWords.set[w] {
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
	starts := orgStarts.set[first] || last == "metropole"
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
		f := l.folded()
		first, n := firstWord(f), fieldsUpTo(f, maxShortWords)
		if got, want := isForwarding(&l, n), plainIsForwarding(&factLine{plain: s}); got != want {
			t.Fatalf("isForwarding(%q) = %v, want %v", s, got, want)
		}
		if got, want := isClosing(first, n), plainIsClosing(&l); got != want {
			t.Fatalf("isClosing(%q) = %v, want %v", s, got, want)
		}
		if got, want := isGreeting(first, n), plainIsGreeting(&l); got != want {
			t.Fatalf("isGreeting(%q) = %v, want %v", s, got, want)
		}
		for max := range 12 {
			if got, want := fieldsOf(s, max), min(len(strings.Fields(s)), max); got != want {
				t.Fatalf("fieldsOf(%q, %d) = %d, want %d", s, max, got, want)
			}
		}
		if got, want := joinFields(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("joinFields(%q) = %q, want %q", s, got, want)
		}
		if got, want := trimName(s), plainTrimName(s); got != want {
			t.Fatalf("trimName(%q) = %q, want %q", s, got, want)
		}
		if got, want := isPositionFolded(s, f), plainIsPositionFolded(s, f); got != want {
			t.Fatalf("isPositionFolded(%q) = %v, want %v", s, got, want)
		}
		if got, want := isPositionFolded(s, s), plainIsPositionFolded(s, s); got != want {
			t.Fatalf("isPositionFolded(%q, %[1]q) = %v, want %v", s, got, want)
		}
		if got, want := isOrgPart(s, f), plainIsOrgPart(s, f); got != want {
			t.Fatalf("isOrgPart(%q) = %v, want %v", s, got, want)
		}
		if got, want := isProse(s), plainIsProse(s); got != want {
			t.Fatalf("isProse(%q) = %v, want %v", s, got, want)
		}
		for _, limit := range []int{0, 2, 11, 1 << 20} {
			b, ok := appendLower([]byte("x"), s, limit)
			if want := lower(s); ok != (len(want) <= limit) || ok && string(b[1:]) != want || !strings.HasPrefix(want, string(b[1:])) {
				t.Fatalf("appendLower(%q, %d) = %q, %v, want %q", s, limit, b[1:], ok, want)
			}
		}
		if got, want := firstPublicBody(s), plainFirstPublicBody(s); got != want {
			t.Fatalf("firstPublicBody(%q) = %q, want %q", s, got, want)
		}
		if got, want := hasIsPhrase(s), containsAny(s, []string{" est un", " est l'un", " is a", " is one"}); got != want {
			t.Fatalf("hasIsPhrase(%q) = %v, want %v", s, got, want)
		}
		for _, w := range strings.Split(f, " ") {
			for _, set := range []*sizedWords{&positionWords, &orgWords, &stageKinds, &deptWords, &genericHeaders, &portals,
				&titleLabelStarts, &orgLabelStarts, &orgStarts, &fieldWords, &proseMarkWords} {
				if set.has(w) != set.set[w] || set.hasBytes([]byte(w)) != set.set[w] {
					t.Fatalf("sizedWords.has(%q) = %v, %v, want %v", w, set.has(w), set.hasBytes([]byte(w)), set.set[w])
				}
			}
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

// plainSplitHeader is splitHeader as it was, which read the title and the
// organisation of every segment.
func plainSplitHeader(seg, folded string) (title, org string, ok bool) {
	var buf [4]headerPart // most headers have four parts at most
	parts := splitParts(seg, buf[:0])
	var hasO, hasG, hasP bool
	firstO := -1
	for i := range parts {
		p := &parts[i]
		if len(parts) == 1 && len(p.text) == len(seg) {
			p.fold = folded // the part is the whole segment
		} else {
			p.fold = foldLabel(p.text)
		}
		f := p.fold
		switch {
		case isGenericFolded(f):
			p.kind, hasG = 'G', true
		case isPositionFolded(p.text, f):
			p.kind, hasP = 'P', true
		case isOrgPart(p.text, f):
			p.kind, hasO = 'O', true
			if firstO < 0 {
				firstO = i
			}
		default:
			p.kind = 'N'
		}
	}
	if !hasO && !hasG {
		return "", "", false
	}
	if hasO {
		org = orgOfPart(parts[firstO].text)
	}
	// The title is what is left, when a part names the position or when
	// the neutral parts come before the organisation ("Communication &
	// collecte – Association ..."). "Musée X – Jacques Chirac" has none.
	var b strings.Builder
	for i, p := range parts {
		if p.kind != 'P' && p.kind != 'N' || p.kind == 'N' && isDeptFolded(p.fold) {
			continue
		}
		if !hasP && (firstO < 0 || i > firstO) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(p.sep)
		}
		b.WriteString(p.text)
	}
	title = b.String()
	if !hasO && !hasP && parts[0].kind == 'G' && !shortName(parts) {
		// "Stage M2 – Modélisation des glaciers": the subject follows.
		b.Reset()
		for _, p := range parts[1:] {
			if p.kind == 'N' && !isDeptFolded(p.fold) {
				if b.Len() > 0 {
					b.WriteString(p.sep)
				}
				b.WriteString(p.text)
			}
		}
		title = b.String()
	} else if !hasO && !hasP {
		// "Solidarités Sahel – Offre de stage": the neutral name beside a
		// generic part is the organisation.
		for _, p := range parts {
			if p.kind == 'N' && isNameLike(p.text) {
				org = orgOfPart(p.text)
				break
			}
		}
		title = ""
	}
	if title != "" && (!looksLikeTitle(title) || isProse(title) || isDatesOnly(title)) {
		title = ""
	}
	return title, org, true
}

// plainReadHeader is readHeader as it was, which read its eight lines
// whatever it had found, and the header's organisation when a label gave
// one.
func plainReadHeader(lines []factLine) (title, org string) {
	title, _ = labelValue(lines, func(l string) bool {
		return titleLabelStarts.has(firstWord(l)) && hasLabel(l, titleLabels...)
	}, func(v string) bool {
		return looksLikeTitle(v) && !durationRe.get().MatchString(v) && !isProse(v)
	})
	if title == "" {
		// "Mission : Accompagner des personnes âgées (H/F)": a mission
		// with the gender mark is the title of a volunteering offer.
		title, _ = labelValue(lines, func(l string) bool { return l == "mission" }, func(v string) bool {
			low := strings.ToLower(v)
			return looksLikeTitle(v) && (strings.Contains(low, "(h/f)") || strings.Contains(low, "(f/h)"))
		})
	}
	if title != "" {
		title = cleanTitle(title)
	}
	var segs []string // each line's segments, in one array
	for i := range lines {
		l := &lines[i]
		if i >= 8 {
			break
		}
		// A line too long for the header ends it too, as a heading does:
		// it is not folded to be compared with the headings.
		if l.label == "" && len(l.plain) > 200 && utf8.RuneCountInString(l.plain) > 200 || isSectionHead(l) {
			break
		}
		if l.label != "" && !dashedLabel(l) {
			if title == "" && isGeneric(l.label) && looksLikeTitle(l.value) && !isProse(l.value) {
				// "Offre de stage : Chargé de communication".
				title = cleanTitle(l.value)
			}
			continue
		}
		if len(l.plain) > 200 && utf8.RuneCountInString(l.plain) > 200 {
			break
		}
		// The fold's words are counted once for the three tests.
		f := l.folded()
		first, n := firstWord(f), fieldsUpTo(f, maxShortWords)
		if isClosing(first, n) {
			break
		}
		if isGreeting(first, n) || isForwarding(l, n) {
			continue
		}
		// A header line whose sentence goes on on the next line is prose
		// wrapped by the mail client, not a title.
		wrapped := i+1 < len(lines) && unicode.IsLower(firstRuneOf(lines[i+1].plain))
		segs = headerSegments(l.raw, segs[:0])
		for _, seg := range segs {
			seg = trimHeaderNoise(seg)
			if seg == "" {
				continue
			}
			// The segment is folded once for the tests that read it so;
			// a plain line is its own segment and is folded already.
			var f string
			if seg == l.plain {
				f = l.folded()
			} else {
				f = foldLabel(seg)
			}
			if genericHeaders.has(f) {
				continue
			}
			if t, o, ok := plainSplitHeader(seg, f); ok {
				if org == "" && o != "" {
					org = o
				}
				if title == "" && t != "" && !wrapped {
					title = cleanTitle(t)
				}
				continue
			}
			if org == "" && title != "" {
				if o := orgBeforeAddress(seg); o != "" {
					org = o
					continue
				}
			}
			if rest, ok := cutGeneric(seg); ok {
				seg = rest
			}
			if isOrgName(seg) {
				if org == "" {
					org = cleanOrg(seg)
				}
				continue
			}
			if q := leadQuoted(seg); q != "" {
				seg = q
			}
			if title == "" && !wrapped && looksLikeTitle(seg) && !isDatesOnly(seg) && !isProse(seg) {
				title = cleanTitle(seg)
			}
		}
	}
	if lo := labelledOrg(lines); lo != "" {
		org = lo
	}
	return title, org
}

// TestMayHaveDuration checks that durationRe matches nothing that
// mayHaveDuration rules out, and that durationNumbers are durationRe's.
func TestMayHaveDuration(t *testing.T) {
	inWords, ok := strings.CutPrefix(durationNumber, `(?:\d{1,2}(?:[,.]5)?|`)
	if !ok || !strings.HasSuffix(inWords, ")") {
		t.Fatalf("durationNumber %s does not start with its digits", durationNumber)
	}
	want := wordsOf(strings.Split(strings.TrimSuffix(inWords, ")"), "|")...)
	if !reflect.DeepEqual(want, wordsOf(durationNumbers...)) {
		t.Fatalf("durationNumbers %q are not those of %s", durationNumbers, durationNumber)
	}
	in := append(headerInputs(t), randomLines(29, 50000, []string{"1", "12", "4,5", " ", " ", "-", "à", "a", "ou", "to", "or",
		"un", "UNE", "deux", "Trois", "ſix", "ſept", "seven", "TWELVE", "x", "é", "_", "mois", "semaines", "MONTHS", "weeKs", "an",
		"ans", "years", "jour", "days", "années", "annees", "ANNÉE", "6 mois", "\xff"})...)
	n := 0
	for _, s := range in {
		if durationRe.get().MatchString(s) {
			n++
			if !mayHaveDuration(s) {
				t.Fatalf("mayHaveDuration(%q) = false, but durationRe matches %q", s, durationRe.get().FindString(s))
			}
		}
	}
	if n < 1000 {
		t.Fatalf("durationRe matches only %d inputs", n)
	}
}

func TestReadHeaderAsPlain(t *testing.T) {
	texts := seedtest.CorpusTexts(t)
	texts = append(texts, randomLines(19, 20000, []string{"\n", "\n", "\n", "Stage", " – ", " | ", " - ", "Université de Lyon", "CNRS",
		"Chargé de communication", " H/F", "Offre de stage", "Entreprise : ", "Acme", "Ville de Grenoble", "Intitulé : ",
		"Bonjour,", "Cordialement", "Contexte", "Missions :", "Fwd:", "recrute", "« ", " »", "**", "# ", "38000 Grenoble",
		"Mission : ", "(H/F)", "stagiaire", "Musée d'Orsay", "Fondation X", "assistant", "6 mois", "janvier 2026", "a", "é"})...)
	for _, s := range texts {
		gt, gorg := readHeader(factLines(s))
		wt, worg := plainReadHeader(factLines(s))
		if gt != wt || gorg != worg {
			t.Fatalf("readHeader(%q) = %q, %q, want %q, %q", s, gt, gorg, wt, worg)
		}
	}
}

// plainLinesWith is linesWith as it was, testing one byte at a time.
func plainLinesWith(txt string, ns *needles) func(yield func(string, int) bool) {
	return func(yield func(string, int) bool) {
		// Every needle starts with a space or a comma; spaces are a sixth
		// of a text, too many to search for one by one.
		for i := 0; i+4 <= len(txt); i++ {
			if c := txt[i]; c != ' ' && c != ',' || !ns.at(txt, i) {
				continue
			}
			start := strings.LastIndexByte(txt[:i], '\n') + 1
			end := strings.IndexByte(txt[i:], '\n')
			if end < 0 {
				end = len(txt)
			} else {
				end += i
			}
			if !yield(txt[start:end], start) || end == len(txt) {
				return
			}
			i = end
		}
	}
}

func TestWordAtATimeAsPlain(t *testing.T) {
	in := headerInputs(t)
	in = append(in, randomLines(31, 50000, []string{"l'association ", "L'ONG ", "la société ", "LA SOCIETE ", "le cabinet ",
		"the company ", "The agency ", "Acme", "Kelvin Énergie", " recrute", " est une entreprise", " is a company", ",", ", we",
		", nous", " ", " ", "\n", "l", "L", "t", "T", "h", "e", "a", "'", "la", "th", "x", "é", "\xff", "\x2c", "\xac", "\xcc"})...)
	for _, s := range in {
		for _, ns := range []*needles{isNeedles, actNeedles} {
			var got, want []int
			for _, at := range linesWith(s, ns) {
				got = append(got, at)
			}
			for _, at := range plainLinesWith(s, ns) {
				want = append(want, at)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("linesWith(%q) gives the lines at %v, want %v", s, got, want)
			}
		}
	}
	// bytesMask on every byte in every lane.
	for lane := range 8 {
		for b := range 256 {
			for _, c := range []byte{' ', ',', 'l', 't', 0, 0xff, 0x80, 0x7f} {
				x := uint64(b) << (8 * lane) // the other bytes are 0
				var want uint64
				for k := range 8 {
					if byte(x>>(8*k)) == c {
						want |= 0x80 << (8 * k)
					}
				}
				if got := bytesMask(x, c); got != want {
					t.Fatalf("bytesMask(%#x, %#x) = %#x, want %#x", x, c, got, want)
				}
			}
		}
	}
}
