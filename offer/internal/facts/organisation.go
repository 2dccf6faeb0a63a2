package facts

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// The organisation is read from phrases of the body, each by a small
// scanner over the text: "l'association Traces" (orgIntro), "Territoire de
// Sciences est un établissement" (orgIs), "Stage dispo chez Kelvin Énergie"
// (orgChez), "Acme recrute" (orgActs) and the name of a public body
// ("Grenoble Alpes Métropole", publicBody). Names are read by nameEnd.

// introWords and introPairs introduce an organisation by its kind,
// matched in any case: "l'association Traces", "la société Acme", "the
// company Acme". A phrase of two words is a first word and one of its
// seconds.
var (
	introWords = []string{"l'association", "l'entreprise", "l'agence", "l'ong"}
	introPairs = []struct {
		first   string
		seconds []string
	}{
		{"la", []string{"société", "sociéte", "societé", "societe", "start-up", "startup", "coopérative",
			"cooperative", "fédération", "féderation", "fedération", "federation"}},
		{"le", []string{"cabinet", "collectif", "groupe", "réseau", "reseau"}},
		{"the", []string{"company", "organisation", "organization", "association", "charity", "start-up",
			"startup", "agency", "firm", "foundation"}},
	}
)

// chezWords, before "chez" and a name, say a position is offered there.
var chezWords = []string{"stage", "stagiaire", "alternance", "alternant", "poste", "cdi", "cdd"}

// isVerbs are the verbs of "X est un(e) …", "X is a …".
var isVerbs = []string{" est ", " is "}

// isArticles follow them, each with its space.
var isArticles = []string{"un ", "une ", "a ", "an ", "l'un ", "one "}

// actVerbs are what organisations do in offers: "Acme recrute", "Acme is
// looking for".
var actVerbs = []string{
	"recrute", "recherche", "cherche", "propose", "accueille", "is hiring", "is recruiting", "is looking for",
	"seeks", "offers",
}

// publicBody returns the first name of a public body in one line, such as
// "Grenoble Alpes Métropole", "Ville de Lyon", "Conseil départemental de
// l'Isère", or "". It runs only on the few lines that hold one of
// publicWords.
func publicBody(l string) string {
	for p := range len(l) {
		if e := publicBodyAt(l, p); e >= 0 {
			return l[p:e]
		}
	}
	return ""
}

// publicBodyAt returns where the name of a public body that starts at l[p]
// ends, or -1. The name is, in order of preference:
//   - one to three capitalised words and "Métropole": "Grenoble Alpes
//     Métropole";
//   - "Ville", "Mairie", "Commune", "Métropole", "Région" or "Département",
//     "de", "d'", "du" or "des", maybe "la" or "l'", and one to four
//     capitalised words: "Région d'Île-de-France";
//   - "Conseil départemental", "régional" or "général", the same article
//     and one capitalised word: "Conseil départemental de l'Isère";
//   - "Communauté de communes", "d'agglomération" or "urbaine", maybe the
//     article, and one to four capitalised words.
func publicBodyAt(l string, p int) int {
	// Capitalised words, each followed by a space, before "Métropole": the
	// most of them that leaves one.
	var after [3]int
	n := 0
	for j := p; n < len(after); n++ {
		e := capWordEnd(l, j)
		if e < 0 || e >= len(l) || l[e] != ' ' {
			break
		}
		j = e + 1
		after[n] = j
	}
	for k := n - 1; k >= 0; k-- {
		if e := atAny(l, after[k], "Métropole", "Metropole"); e >= 0 && boundaryAt(l, e) {
			return e
		}
	}
	// The other names start a word.
	if p > 0 && isASCIIWord(l[p-1]) {
		return -1
	}
	articles := []string{"de ", "d'", "du ", "des "}
	if i := atAny(l, p, "Ville ", "Mairie ", "Commune ", "Métropole ", "Metropole ", "Région ", "Region ",
		"Département ", "Departement "); i >= 0 {
		if i = atAny(l, i, articles...); i < 0 {
			return -1
		}
		if j := atAny(l, i, "la ", "l'"); j >= 0 {
			i = j
		}
		return publicWordsEnd(l, i)
	}
	if i := atAny(l, p, "Conseil "); i >= 0 {
		if i = atAny(l, i, "départemental ", "departemental ", "régional ", "regional ", "général ",
			"genéral ", "géneral ", "general "); i < 0 {
			return -1
		}
		if i = atAny(l, i, articles...); i < 0 {
			return -1
		}
		if j := atAny(l, i, "la ", "l'"); j >= 0 {
			i = j
		}
		return capWordEnd(l, i)
	}
	if i := atAny(l, p, "Communauté ", "Communaute "); i >= 0 {
		if i = atAny(l, i, "de communes ", "d'agglomération ", "d'agglomeration ", "urbaine "); i < 0 {
			return -1
		}
		if j := atAny(l, i, articles...); j >= 0 {
			i = j
		}
		return publicWordsEnd(l, i)
	}
	return -1
}

// publicWordsEnd returns where the one to four capitalised words that start
// at l[i], a space or a hyphen apart, end, or -1.
func publicWordsEnd(l string, i int) int {
	e := capWordEnd(l, i)
	for k := 0; k < 3 && e >= 0 && e < len(l) && (l[e] == ' ' || l[e] == '-'); k++ {
		f := capWordEnd(l, e+1)
		if f < 0 {
			break
		}
		e = f
	}
	return e
}

// publicWords are the words one of which every match of publicBody holds.
var publicWords = []string{
	"Métropole", "Metropole", "Ville ", "Mairie ", "Commune ", "Région ", "Region ", "Département ",
	"Departement ", "Conseil ", "Communauté ",
}

// orgNouns are what an organisation "is" in "X est un(e) ...".
var orgNouns = wordsOf(
	"etablissement", "association", "entreprise", "societe", "organisme", "structure",
	"collectivite", "start-up", "startup", "cabinet", "agence", "fondation",
	"laboratoire", "institut", "centre", "reseau", "groupe", "musee", "ong", "pme",
	"tpe", "eti", "cooperative", "scop", "scic", "syndicat", "federation", "media",
	"journal", "festival", "compagnie", "theatre", "ecole", "universite", "collectif",
	"lieu", "leader", "acteur", "editeur", "bureau", "service", "plateforme",
	"company", "organisation", "organization", "non-profit", "nonprofit", "firm",
	"agency", "charity", "foundation", "institution", "institute", "university",
	"museum", "network", "group", "provider", "consultancy", "studio", "publisher",
)

// notNames are capitalised words that start sentences but name nothing.
var notNames = wordsOf(
	"le", "la", "les", "l'", "ce", "cette", "cet", "il", "elle", "nous", "notre", "votre",
	"un", "une", "son", "sa", "ses", "leur", "chaque", "tout", "vous", "on", "this",
	"the", "it", "our", "we", "your", "its", "their", "he", "she", "you", "a", "an",
	"stage", "poste", "mission", "internship", "position", "job", "role", "candidature",
)

// orgLabels are the labels of a line that gives the organisation.
var orgLabels = []string{
	"organisation", "organisme", "organisme d'accueil", "structure",
	"structure d'accueil", "nom de la structure", "entreprise", "nom de l'entreprise",
	"employeur", "societe", "etablissement", "collectivite", "company", "company name",
	"organization", "employer", "host organisation", "host organization",
	"institution", "laboratoire", "laboratory", "association", "recruteur", "recruiter",
	"start up", "startup", "department office",
}

// orgLabelStarts are the first words of orgLabels: a label that starts
// with another word is none of them, and is not compared with each.
var orgLabelStarts = func() sizedWords {
	var starts []string
	for _, l := range orgLabels {
		starts = append(starts, firstWord(l))
	}
	return sizedWordsOf(starts...)
}()

// labelledOrg returns the organisation named by a labelled line
// ("Entreprise : Acme"), or "".
func labelledOrg(lines []factLine) string {
	v, _ := labelValue(lines, func(l string) bool {
		return orgLabelStarts.has(firstWord(l)) && hasLabel(l, orgLabels...)
	}, func(v string) bool {
		return unicode.IsUpper(firstRuneOf(v)) && fieldsOf(cutOrg(v), 9) <= 8
	})
	if v == "" {
		return ""
	}
	return cleanOrg(cutOrg(v))
}

// bodyOrg finds the organisation in the sentences of the text, when no
// line labels it: a name introduced as an association, company..., then a
// sentence saying what the name is or that it recruits, then the name of a
// public body near the top of the text; of the first name each phrase
// gives, the one that comes first in the text.
//
// lines, when not nil, are txt's lines as factLines reads them: orgIntro
// and orgActs then read only those that may hold their phrases
// (eachBodyLine). With nil, they read all of txt.
func bodyOrg(txt string, lines []factLine) string {
	if len(txt) > maxOrgText {
		txt = txt[:maxOrgText]
	}
	best, bestAt := "", len(txt)
	consider := func(name string, at int) {
		name = trimName(name)
		if name == "" || at >= bestAt {
			return
		}
		best, bestAt = name, at
	}
	if s, e := orgChez(txt); s >= 0 {
		consider(txt[s:e], s)
	}
	intro := [3]int{-1, -1, -1}
	eachBodyLine(txt, lines, introGate, func(from, to int) bool {
		at, s, e, stop := orgIntro(txt, from, to)
		intro = [3]int{at, s, e}
		return at < 0 && !stop
	})
	if at, s, e := intro[0], intro[1], intro[2]; at >= 0 {
		consider(txt[s:e], at)
	}
	if s, e := orgIs(txt); s >= 0 {
		consider(txt[s:e], s)
	}
	acts := [2]int{-1, -1}
	eachBodyLine(txt, lines, actGate, func(from, to int) bool {
		if s, e := orgActs(txt[from:to]); s >= 0 {
			acts = [2]int{from + s, from + e}
			return false
		}
		return true
	})
	if s, e := acts[0], acts[1]; s >= 0 {
		consider(txt[s:e], s)
	}
	if best != "" {
		return cleanOrg(best)
	}
	// A public body is only taken from the very top of the text.
	if m := firstPublicBody(txt[:min(len(txt), 1500)]); m != "" {
		return cleanOrg(m)
	}
	return ""
}

// firstPublicBody returns the first name publicBody finds in the lines of
// top, each with its newline, that hold one of publicWords, or "". The
// words are searched for in the whole of top, not line by line: most
// tops have none of them.
func firstPublicBody(top string) string {
	for off := 0; off < len(top); {
		at := -1
		for _, w := range publicWords {
			if i := strings.Index(top[off:], w); i >= 0 && (at < 0 || i < at) {
				at = i
			}
		}
		if at < 0 {
			break
		}
		at += off
		start, end := strings.LastIndexByte(top[:at], '\n')+1, len(top)
		if j := strings.IndexByte(top[at:], '\n'); j >= 0 {
			end = at + j + 1
		}
		if m := publicBody(top[start:end]); m != "" {
			return m
		}
		off = end
	}
	return ""
}

// orgChez returns the bounds of the first name after "chez" that follows,
// within 60 characters of the same sentence, a word of chezWords
// (matched in any case, as a word's end): "Stage dispo chez Kelvin
// Énergie". ("at" is left out: "intern at our New York office".) It
// returns -1, -1 when there is none.
func orgChez(txt string) (start, end int) {
	bestK, bestS, bestE := -1, -1, -1
	for c := 0; ; c++ {
		k := strings.Index(txt[c:], " chez ")
		if k < 0 {
			break
		}
		c += k
		s := c + len(" chez ")
		e := nameEnd(txt, s)
		if e < 0 {
			continue
		}
		// The earliest word of chezWords that reaches this "chez".
		runes := 0
		for g := c; g > 0 && runes <= 60+len("stagiaire"); {
			r, n := utf8.DecodeLastRuneInString(txt[:g])
			g -= n
			runes++
			if r == '.' || r == '!' || r == '?' {
				break
			}
			if bestK >= 0 && g >= bestK {
				continue
			}
			for _, w := range chezWords {
				if g+len(w) <= c && strings.EqualFold(txt[g:g+len(w)], w) && boundaryAt(txt, g+len(w)) &&
					utf8.RuneCountInString(txt[g+len(w):c]) <= 60 && !strings.ContainsAny(txt[g+len(w):c], ".!?") {
					bestK, bestS, bestE = g, s, e
				}
			}
		}
	}
	return bestS, bestE
}

// lowerIsAny reports whether lower(s) is one of words.
func lowerIsAny(s string, words []string) bool {
	for _, w := range words {
		if lowerIs(s, w) {
			return true
		}
	}
	return false
}

// eachBodyLine calls fn, in order and until it returns false, with the
// bounds in txt of each of lines that starts in txt and may hold one of
// gate's phrases, cut at txt's end. A line that was not clean
// (readPlainLine: markup was dropped inside it) is always given, and so
// are the lines factLines left out, between them and after them, but
// blank ones: those left empty once their markup was dropped, and those
// past maxFactLines. With nil lines, fn is given all of txt.
//
// A clean line that holds a phrase holds it in its plain text too: only
// spaces, quote and heading marks and a bullet were dropped, at its ends,
// and no phrase starts with one of those (the letter of the bullet "o "
// is followed by a space, which no phrase's "o" is). So its lower case
// holds it, and its grams may.
func eachBodyLine(txt string, lines []factLine, gate gramGate, fn func(from, to int) bool) {
	if lines == nil {
		fn(0, len(txt))
		return
	}
	next := 0 // where the text not given yet, nor passed over, starts
	for i := range lines {
		l := &lines[i]
		if l.at >= len(txt) {
			break
		}
		if gap := txt[next:l.at]; strings.Trim(gap, "\n") != "" && !fn(next, l.at) {
			return
		}
		next = min(l.at+len(l.raw)+1, len(txt))
		if l.clean && !l.mayPass(gate) {
			continue
		}
		if !fn(l.at, min(l.at+len(l.raw), len(txt))) {
			return
		}
	}
	if strings.Trim(txt[next:], "\n") != "" {
		fn(next, len(txt))
	}
}

// introGate and actGate are what a line orgIntro or orgActs reads a
// phrase in holds, in lower case: introWords and introPairs' phrases, and
// actNeedles without the space they start with (a line's plain text may
// start with their word).
var (
	introGate = func() gramGate {
		g := gramGate{}.add("", introWords...)
		for _, ph := range introPairs {
			g = g.add(ph.first+" ", ph.seconds...)
		}
		return g
	}()
	actGate = func() gramGate {
		var cores []string
		for _, n := range actNeedles.list {
			cores = append(cores, strings.TrimPrefix(n, " "))
		}
		return gramGate{}.add("", cores...)
	}()
)

// orgIntro returns where the first phrase of introWords or introPairs
// that a name follows starts in txt[from:to], and the bounds of the name,
// read on in txt; -1s when there is none. stop tells that none starts
// after to either: no space follows.
func orgIntro(txt string, from, to int) (at, start, end int, stop bool) {
	// Every phrase starts "l'", "la", "le" or "th", at a word's start.
	// Those pairs are searched for eight bytes at once, each byte with
	// the one after it: setting the bit of 0x20 in every byte makes "L"
	// an "l", "A" an "a" (and no other byte either), and so on.
	const lows = 0x2020202020202020
	for p := from; p < to && p+1 < len(txt); p++ {
		if p+9 <= len(txt) {
			x := load64(txt, p)
			next := x>>8 | uint64(txt[p+8])<<56
			y, ny := x|lows, next|lows
			m := bytesMask(y, 'l')&(bytesMask(next, '\'')|bytesMask(ny, 'a')|bytesMask(ny, 'e')) |
				bytesMask(y, 't')&bytesMask(ny, 'h')
			if m == 0 {
				p += 7
				continue
			}
			if p += bits.TrailingZeros64(m) >> 3; p >= to {
				break
			}
		}
		switch txt[p] | 0x20 {
		case 'l':
			switch txt[p+1] {
			case '\'', 'a', 'A', 'e', 'E':
			default:
				continue
			}
		case 't':
			if txt[p+1]|0x20 != 'h' {
				continue
			}
		default:
			continue
		}
		if !boundaryAt(txt, p) {
			continue
		}
		// The phrase is one word ("l'association") or two ("la société"),
		// then a space.
		e := p + strings.IndexByte(txt[p:], ' ')
		if e < p {
			return -1, -1, -1, true
		}
		// The words are compared in lower case, each as it is.
		first, pair := txt[p:e], -1
		for k, ph := range introPairs {
			if lowerIs(first, ph.first) {
				pair = k
				break
			}
		}
		if pair >= 0 {
			e2 := e + 1 + strings.IndexByte(txt[e+1:], ' ')
			if e2 <= e || !lowerIsAny(txt[e+1:e2], introPairs[pair].seconds) {
				continue
			}
			e = e2
		} else if !lowerIsAny(first, introWords) {
			continue
		}
		if n := nameEnd(txt, e+1); n >= 0 {
			return p, e + 1, n, false
		}
	}
	return -1, -1, -1, false
}

// orgIs returns the bounds of the first name that starts a sentence saying
// what it is, an organisation: "Territoire de Sciences est un
// établissement …", "Acme (ACM) is a company"; -1s when there is none.
func orgIs(txt string) (start, end int) {
	if !hasIsPhrase(txt) {
		// The lines are read only when the text holds one of these.
		return -1, -1
	}
	for l, at := range linesWith(txt, isNeedles) {
		next := 0 // where the phrase read last ends: phrases never overlap
		for p := range sentenceStarts(l) {
			if max(p-2, 0) < next {
				continue
			}
			e := nameEnd(l, p)
			if e < 0 {
				continue
			}
			ws, we := isWhat(l, e)
			if ws < 0 {
				continue
			}
			next = we
			isOrg := false
			for w := range strings.FieldsSeq(text.Fold(l[ws:we])) {
				isOrg = isOrg || orgNouns[w]
			}
			if isOrg && trimName(l[p:e]) != "" {
				return at + p, at + e
			}
		}
	}
	return -1, -1
}

// hasIsPhrase reports whether txt holds " est un", " est l'un", " is a" or
// " is one". A search for each starts at every space, a sixth of the text:
// " est " and " is " are searched for instead, and what follows each
// compared.
func hasIsPhrase(txt string) bool {
	for i := 0; ; {
		k := strings.Index(txt[i:], " est ")
		if k < 0 {
			break
		}
		i += k + len(" est ")
		if strings.HasPrefix(txt[i:], "un") || strings.HasPrefix(txt[i:], "l'un") {
			return true
		}
		i-- // the space may start the next " est "
	}
	for i := 0; ; {
		k := strings.Index(txt[i:], " is ")
		if k < 0 {
			break
		}
		i += k + len(" is ")
		if strings.HasPrefix(txt[i:], "a") || strings.HasPrefix(txt[i:], "one") {
			return true
		}
		i--
	}
	return false
}

// isWhat reads, after a name ending at l[e:], what the sentence says it is:
// an acronym in brackets, a comma, "est"/"is", an article, then up to four
// words, the last without digits. It returns their bounds, or -1s.
func isWhat(l string, e int) (start, end int) {
	j := e
	if k := acronymEnd(l, j); k > 0 {
		j = k
	}
	if j < len(l) && l[j] == ',' {
		j++
	}
	verb := ""
	for _, v := range isVerbs {
		if strings.HasPrefix(l[j:], v) {
			verb = v
		}
	}
	if verb == "" {
		return -1, -1
	}
	j += len(verb)
	article := ""
	for _, a := range isArticles {
		if strings.HasPrefix(l[j:], a) {
			article = a
			break
		}
	}
	if article == "" {
		return -1, -1
	}
	j += len(article)
	// Up to three words and their spaces, then a last word of letters:
	// the most that leaves one.
	ends := []int{j}
	for k := j; len(ends) <= 3; {
		w := runEnd(l, k, true)
		if w == k || w >= len(l) || l[w] != ' ' {
			break
		}
		k = w + 1
		ends = append(ends, k)
	}
	for r := len(ends) - 1; r >= 0; r-- {
		if w := runEnd(l, ends[r], false); w > ends[r] {
			return j, w
		}
	}
	return -1, -1
}

// runEnd returns where the run of letters, apostrophes and hyphens (and
// digits, with digits set) that starts at l[i] ends.
func runEnd(l string, i int, digits bool) int {
	for i < len(l) {
		r, n := utf8.DecodeRuneInString(l[i:])
		if !unicode.IsLetter(r) && r != '\'' && r != '-' && !(digits && unicode.IsNumber(r)) {
			break
		}
		i += n
	}
	return i
}

// acronymEnd returns where " (ACR)" — two to ten capitals in brackets —
// that starts at l[i] ends, or 0.
func acronymEnd(l string, i int) int {
	if !strings.HasPrefix(l[i:], " (") {
		return 0
	}
	j, n := i+2, 0
	for j < len(l) && n <= 10 {
		r, w := utf8.DecodeRuneInString(l[j:])
		if !unicode.IsUpper(r) {
			break
		}
		j += w
		n++
	}
	if n < 2 || n > 10 || j >= len(l) || l[j] != ')' {
		return 0
	}
	return j + 1
}

// orgActs returns the bounds of the first name that starts a sentence doing
// what organisations do in offers: "Acme recrute", "Acme is looking for",
// "At Acme, we"; -1s when there is none.
func orgActs(txt string) (start, end int) {
	for l, at := range linesWith(txt, actNeedles) {
		next := 0 // where the phrase read last ends: phrases never overlap
		for p := range sentenceStarts(l) {
			if max(p-2, 0) < next {
				continue
			}
			if e := nameEnd(l, p); e >= 0 && e < len(l) && l[e] == ' ' {
				if v := wordPrefix(l, e+1, actVerbs); v > 0 {
					if trimName(l[p:e]) != "" {
						return at + p, at + e
					}
					next = v
					continue
				}
			}
			for _, lead := range []string{"At ", "Chez "} {
				if !strings.HasPrefix(l[p:], lead) {
					continue
				}
				s := p + len(lead)
				e := nameEnd(l, s)
				if e < 0 || !strings.HasPrefix(l[e:], ", ") {
					continue
				}
				if v := wordPrefix(l, e+2, []string{"we", "nous"}); v > 0 {
					if trimName(l[s:e]) != "" {
						return at + s, at + e
					}
					next = v
				}
			}
		}
	}
	return -1, -1
}

// wordPrefix returns where the first of words that starts l[i:] and ends a
// word there ends, or 0.
func wordPrefix(l string, i int, words []string) int {
	for _, w := range words {
		if strings.HasPrefix(l[i:], w) && boundaryAt(l, i+len(w)) {
			return i + len(w)
		}
	}
	return 0
}

// needles are strings of four bytes or more looked for in a text, with the
// set of their first four bytes, hashed.
type needles struct {
	list []string
	set  [1 << 16 / 64]uint64
}

func newNeedles(list ...string) *needles {
	n := &needles{list: list}
	for _, s := range list {
		h := hash4(s, 0)
		n.set[h>>6] |= 1 << (h & 63)
	}
	return n
}

func hash4(s string, i int) uint32 {
	return (uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24) * 0x9e3779b1 >> 16
}

// at reports whether one of the needles starts txt[i:].
func (n *needles) at(txt string, i int) bool {
	if i+4 > len(txt) {
		return false
	}
	h := hash4(txt, i)
	if n.set[h>>6]&(1<<(h&63)) == 0 {
		return false
	}
	for _, s := range n.list {
		if strings.HasPrefix(txt[i:], s) {
			return true
		}
	}
	return false
}

// isNeedles and actNeedles are what every line orgIs and orgActs read
// holds.
var (
	isNeedles  = newNeedles(isVerbs...)
	actNeedles = newNeedles(" recrute", " recherche", " cherche", " propose", " accueille", " is hiring",
		" is recruiting", " is looking for", " seeks", " offers", ", we", ", nous")
)

// linesWith yields, in order, the lines of txt that hold one of ns, with
// the offset of each. Only the spaces and commas are looked at, each
// one's next four bytes looked up in the needles' first four, so the many
// lines without one cost little.
func linesWith(txt string, ns *needles) func(yield func(string, int) bool) {
	return func(yield func(string, int) bool) {
		// Every needle starts with a space or a comma; spaces are a sixth
		// of a text, too many to search for one by one: eight bytes are
		// tested at once for both.
		for i := 0; i+4 <= len(txt); i++ {
			if i+8 <= len(txt) {
				x := load64(txt, i)
				m := bytesMask(x, ' ') | bytesMask(x, ',')
				if m == 0 {
					i += 7
					continue
				}
				i += bits.TrailingZeros64(m) >> 3
			}
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

// sentenceStarts yields where the sentences of line l start: at its start
// and after ". ", "! " or "? ".
func sentenceStarts(l string) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		if !yield(0) {
			return
		}
		for i := 0; i+1 < len(l); i++ {
			if (l[i] == '.' || l[i] == '!' || l[i] == '?') && l[i+1] == ' ' && !yield(i+2) {
				return
			}
		}
	}
}

// maxOrgText bounds where the organisation is looked for in the body: an
// offer presents its organisation near the top, and names further down are
// more often partners.
const maxOrgText = 10 << 10
