package facts

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sectionHeads are the headings that open the body of an offer: the
// header, where title and organisation stand, ends at the first of them.
var sectionHeads = []string{
	"contexte", "context", "background", "missions", "mission", "vos missions",
	"description", "description du poste", "description de la mission",
	"description du stage", "profil", "profil recherche", "votre profil",
	"presentation", "qui sommes nous", "a propos", "about", "about us",
	"l'entreprise", "l'association", "la structure", "le poste", "responsabilites",
	"responsibilities", "taches", "activites", "competences", "qualifications",
	"requirements", "informations pratiques", "conditions", "candidature",
	"pour postuler", "how to apply", "finalite du stage", "objectifs",
	"job description", "your role", "the role", "what you'll do", "who we are",
	"formation", "environnement", "the company", "company", "summary",
}

// maxSectionHead is the length of the longest of sectionHeads.
var maxSectionHead = func() int {
	n := 0
	for _, h := range sectionHeads {
		n = max(n, len(h))
	}
	return n
}()

// titleLabels are the labels of a line that gives the title.
var titleLabels = []string{
	"intitule", "titre", "titre du poste", "poste", "poste propose",
	"sujet", "sujet du stage", "job title", "title", "position", "role",
	"internship title", "stage", "offre de stage", "offre", "internship",
	"posting title", "objet", "subject", "intitule de la mission",
}

// titleLabelStarts are the first words of titleLabels: a label that starts
// with another word is none of them, and is not compared with each.
var titleLabelStarts = func() sizedWords {
	var starts []string
	for _, l := range titleLabels {
		starts = append(starts, firstWord(l))
	}
	return sizedWordsOf(starts...)
}()

// readHeader reads the title and, when the header names it, the
// organisation from the first lines of the text. A labelled title
// ("Intitulé du poste : ...") anywhere wins over the header, and a labelled
// organisation ("Entreprise : ...") wins over the header's.
func readHeader(lines []factLine) (title, org string) {
	title, _ = labelValue(lines, func(l string) bool {
		return titleLabelStarts.has(firstWord(l)) && hasLabel(l, titleLabels...)
	}, func(v string) bool {
		return looksLikeTitle(v) && !(mayHaveDuration(v) && durationRe.get().MatchString(v)) && !isProse(v)
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
	// A labelled organisation wins over the header's, which is then not
	// read: once the title is known too, the header has nothing more to
	// give.
	lo := labelledOrg(lines)
	var segs []string // each line's segments, in one array
	for i := range lines {
		l := &lines[i]
		if i >= 8 || title != "" && (org != "" || lo != "") {
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
			wantTitle, wantOrg := title == "" && !wrapped, org == "" && lo == ""
			if t, o, ok := splitHeader(seg, f, wantTitle, wantOrg); ok {
				if wantOrg && o != "" {
					org = o
				}
				if wantTitle && t != "" {
					title = cleanTitle(t)
				}
				continue
			}
			if wantOrg && title != "" {
				if o := orgBeforeAddress(seg); o != "" {
					org = o
					continue
				}
			}
			if rest, ok := cutGeneric(seg); ok {
				seg = rest
			}
			if isOrgName(seg) {
				if wantOrg {
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
	if lo != "" {
		org = lo
	}
	return title, org
}

// durationNumbers are the numbers in words durationRe reads.
var durationNumbers = []string{"un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
	"onze", "douze", "one", "two", "three", "four", "five", "seven", "eight", "nine", "ten", "eleven", "twelve"}

// mayHaveDuration reports whether durationRe may match s: every match
// starts, at a word boundary, with a digit or one of durationNumbers in
// any case. Most titles have neither, and are not searched.
func mayHaveDuration(s string) bool {
	for i := 0; i < len(s); i++ {
		if !boundaryAt(s, i) {
			continue
		}
		if isDigitByte(s[i]) {
			return true
		}
		for _, w := range durationNumbers {
			if foldAt(s, i, w) >= 0 {
				return true
			}
		}
	}
	return false
}

// isSectionHead reports whether a line is a heading that opens the body.
func isSectionHead(l *factLine) bool {
	if l.label != "" && l.value == "" && fields(l.label) <= 6 {
		return !isGeneric(l.label)
	}
	f := l.label
	if f == "" {
		if len(l.plain) > maxSectionHead*4 && !strings.Contains(l.plain, "(") {
			// Too long to fold into a heading: only what is in brackets
			// could vanish.
			return false
		}
		f = l.folded()
	}
	for _, h := range sectionHeads {
		if f == h {
			return true
		}
	}
	return false
}

// genericPrefix matches "Offre de stage – " and the like before a title.
var genericPrefix = lazyRegexp{src: `(?i)^(?:offre de stage|proposition de stage|stage|internship|job offer|offre d'emploi|fiche de poste)\s*(?:[:–—|-]|\s)\s*`}

// cutGeneric removes a generic prefix from a header segment.
func cutGeneric(seg string) (string, bool) {
	// Every prefix genericPrefix reads starts with one of these.
	if !startsFold(seg, "offre", "proposition", "stage", "internship", "job", "fiche") {
		return seg, false
	}
	loc := genericPrefix.get().FindStringIndex(seg)
	if loc == nil {
		return seg, false
	}
	rest := strings.TrimSpace(seg[loc[1]:])
	if rest == "" || !unicode.IsUpper(firstRuneOf(rest)) && firstRuneOf(rest) != '“' && firstRuneOf(rest) != '«' && firstRuneOf(rest) != '"' {
		return seg, false
	}
	return rest, true
}

// splitEmphasis splits a Markdown header line into its emphasised parts,
// as the expression `\*{1,3}|_{2,3}` splits it: at each run of up to three
// "*", and of two or three "_" (the one "_" a run of four, or seven, ends
// with is text).
func splitEmphasis(s string) []string {
	var parts []string
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c != '*' && c != '_' {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] == c && j-i < 3 {
			j++
		}
		if c == '_' && j-i < 2 {
			i = j
			continue
		}
		parts = append(parts, s[last:i])
		last, i = j, j
	}
	return append(parts, s[last:])
}

// headerSegments returns the parts of a header line: the pieces between
// Markdown emphasis marks, or the whole line, appended to out.
func headerSegments(raw string, out []string) []string {
	s := strings.TrimSpace(trimLeftBytes(strings.TrimSpace(raw), "#>"))
	if strings.Contains(s, "](") {
		s = mdLink.get().ReplaceAllString(s, "$1")
	}
	parts := []string{s}
	if strings.Contains(s, "*") || strings.Contains(s, "__") {
		parts = splitEmphasis(s)
	}
	for _, p := range parts {
		if p = strings.TrimSpace(p); strings.Contains(p, "  ") {
			p = strings.Join(strings.Fields(p), " ")
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cleanTitle strips quotes, markup and a trailing full stop.
func cleanTitle(s string) string {
	if q := leadQuoted(s); q != "" {
		s = q
	}
	s = strings.TrimSpace(strings.Trim(s, "*_#“”«»\" "))
	s = strings.TrimRight(s, ".:;, ")
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSymbol(r) || unicode.IsSpace(r) || r == '\ufe0f' })
	// A quotation that ends the title keeps its closing mark.
	if strings.Count(s, "«") > strings.Count(s, "»") {
		s += " »"
	}
	if strings.Count(s, "“") > strings.Count(s, "”") {
		s += "”"
	}
	return joinFields(s)
}

// isOrgName reports whether a header segment names an organisation:
// capitals throughout, or a short name that starts with an organisation
// word ("Ville de ...", "Fondation ...").
func isOrgName(s string) bool {
	// The first and last words are read first, the words counted only for
	// the few segments that start or end as a name.
	start, end := nextField(s, 0)
	if start == end {
		return false
	}
	if !foldedIn(s[start:end], &orgStarts, maxOrgStart) && !foldedIs(lastField(s), "metropole") {
		return false
	}
	if fieldsOf(s, 9) > 8 {
		return false
	}
	return isAllCaps(s) || orgName.whole(s)
}

// proseMarks are what a sentence has and a title has not: a finite verb
// of recruitment, a pronoun, a verb ending. A word whose followers are nil
// is a mark alone; the others are marks only before one of them. A
// follower that ends with a space is the whole next word ("is a"), one
// that does not is how the next word starts ("recherche une").
var proseMarks = map[string][]string{
	"recrute": nil, "cherche": nil, "recrutons": nil, "recherchons": nil, "cherchons": nil,
	"nous": nil, "we're": nil, "seeks": nil, "accueille": nil, "simplifie": nil, "vous": nil,
	"tu": nil, "sont": nil, "are": nil, "participera": nil, "assurera": nil, "sera": nil,
	"will":      nil,
	"recherche": {"un", "des"},
	"propose":   {"un"},
	"we":        {"are "},
	"is":        {"hiring ", "looking ", "a ", "an "},
	"on":        {"cherche "},
	"est":       {"un ", "une "},
	"le":        {"ou la "},
}

// proseEnds are the small words a sentence that goes on ends a line with.
var proseEnds = wordsOf("de", "des", "du", "la", "le", "les", "et", "pour", "the", "of", "and", "a", "à", "en", "un", "une")

// isProse reports whether s reads as a sentence rather than a title: it
// holds a verb of recruitment or a pronoun, or ends on a small word whose
// sentence goes on. Its words are lowered one by one on the stack, as
// lower(s) read them: lowering keeps the spaces where they are.
func isProse(s string) bool {
	if isFieldLine(s) {
		return true
	}
	t := strings.Trim(s, ".,;!?")
	if hasProseMark(t) {
		return true
	}
	t = strings.TrimRight(t, " ")
	if fieldsUpTo(t, 4) <= 3 {
		return false
	}
	last := strings.TrimRight(t[strings.LastIndexByte(t, ' ')+1:], ",")
	var buf [16]byte
	b, ok := appendLower(buf[:0], last, maxProseEnd)
	return ok && proseEnds[string(b)]
}

// hasProseMark reports whether one of proseMarks stands in lower(s),
// between spaces or at its ends: the words are read once.
func hasProseMark(s string) bool {
	var buf [32]byte
	for s != "" {
		w, rest, _ := strings.Cut(s, " ")
		s = rest
		b, ok := appendLower(buf[:0], w, maxProseMark)
		if !ok || !proseMarkWords.hasBytes(b) {
			continue
		}
		follows, ok := proseMarks[string(b)]
		if ok && follows == nil {
			return true
		}
		for _, f := range follows {
			// The end of the text counts as a space.
			if b, _ := appendLower(buf[:0], rest, len(f)); bytes.HasPrefix(b, []byte(f)) ||
				strings.HasSuffix(f, " ") && lowerIs(rest, f[:len(f)-1]) {
				return true
			}
		}
	}
	return false
}

// proseMarkWords are the words of proseMarks, in a set that filters the
// others out before proseMarks is searched.
var proseMarkWords = func() sizedWords {
	var ws []string
	for w := range proseMarks {
		ws = append(ws, w)
	}
	return sizedWordsOf(ws...)
}()

// maxProseMark and maxProseEnd are the lengths of the longest of
// proseMarks and proseEnds.
var (
	maxProseMark = func() int {
		n := 0
		for w := range proseMarks {
			n = max(n, len(w))
		}
		return n
	}()
	maxProseEnd = longest(proseEnds)
)

// fieldWords open the lines of an offer that give one of its fields, which
// are never its title.
var fieldWords = sizedWordsOf(
	"lieu", "adresse", "date", "duree", "gratification", "remuneration", "salaire", "candidatures",
	"candidature", "publiee", "publie", "mise", "mis", "reference", "ref", "debut", "location",
	"salary", "stipend", "deadline", "posted", "published", "intitule",
)

// maxFieldWord is the length of the longest of fieldWords.
var maxFieldWord = longest(fieldWords.set)

// The writings of dates and deadlines that mark a field line, read by
// hasDateInText: a numeric date and these words, in any case.
var deadlineWords = []string{"jusqu'au", "date limite", "avant le"}

// hasDateInText reports whether s holds a numeric date ("20/09/2025",
// "1.10.25") standing as a word, or one of deadlineWords in any case, as
// the pattern \b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|(?i)jusqu'au|date
// limite|avant le it replaces reads them. A regular expression run on
// every header line cost more than the rest of the line's tests.
func hasDateInText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigitByte(c):
			if i == 0 || !isASCIIWord(s[i-1]) {
				if numericDateAt(s, i) {
					return true
				}
			}
			// The digits after this one start no word.
			for i+1 < len(s) && isDigitByte(s[i+1]) {
				i++
			}
		case c|0x20 == 'j' || c|0x20 == 'd' || c|0x20 == 'a':
			// Their first letters have no other case than these.
			for _, w := range deadlineWords {
				if w[0] == c|0x20 && foldAt(s, i, w) >= 0 {
					return true
				}
			}
		}
	}
	return false
}

// numericDateAt reports whether a numeric date starts at s[i]: one or two
// digits, a slash or a dot, one or two digits, a slash or a dot, and two to
// four digits that end a word. Each run of digits is read whole, as none
// can end inside a run: a separator or the word's end must follow.
func numericDateAt(s string, i int) bool {
	for range 2 {
		j := digitsEnd(s, i)
		if n := j - i; n < 1 || n > 2 || j >= len(s) || s[j] != '/' && s[j] != '.' {
			return false
		}
		i = j + 1
	}
	j := digitsEnd(s, i)
	return j-i >= 2 && j-i <= 4 && (j == len(s) || !isASCIIWord(s[j]))
}

// digitsEnd returns where the run of ASCII digits at s[i] ends.
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigitByte(s[i]) {
		i++
	}
	return i
}

// postalThenLetter reports whether s holds five digits that start a word,
// a space and a letter that has a capital ("38000 Grenoble", and, as
// the pattern (?i)\b\d{5} \p{Lu} this replaces read it, "38000 grenoble").
func postalThenLetter(s string) bool {
	for i := 0; i+6 < len(s); i++ {
		if !isDigitByte(s[i]) || i > 0 && isASCIIWord(s[i-1]) {
			continue
		}
		if hasDigits(s[i:i+5], 5) && s[i+5] == ' ' {
			if r, _ := utf8.DecodeRuneInString(s[i+6:]); hasCapital(r) {
				return true
			}
		}
	}
	return false
}

// hasCapital reports whether r is a capital or, by simple folding, the
// small letter of one.
func hasCapital(r rune) bool {
	if unicode.IsUpper(r) {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if unicode.IsUpper(f) {
			return true
		}
	}
	return false
}

// isFieldLine reports whether a title candidate is really a field of the
// offer: "Mise en ligne le 20/09/2025", "Gratification selon ...", an
// address with its postal code.
func isFieldLine(s string) bool {
	if firstFoldedIn(s, &fieldWords, maxFieldWord) {
		return true
	}
	if hasDigit(s) {
		return hasDateInText(s) || postalThenLetter(s)
	}
	// Without a digit, only the words can match, and when they are written
	// in ASCII, as containsFold finds them, hasDateInText finds them too.
	// (They are not looked for in other writings: "juſqu'au" is not a
	// field.)
	return containsFold(s, "jusqu'au") || containsFold(s, "date limite") || containsFold(s, "avant le")
}
