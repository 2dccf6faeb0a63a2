package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file reads the header lines of an offer that carry both the
// organisation and the title, "ORG – TITLE", "TITLE | ORG", and recognises
// the lines that carry neither: greetings, forwarding lines, job portals.

// greetings open a mail and are never a title.
var greetings = wordsOf(
	"bonjour", "bonsoir", "salut", "hello", "hi", "hey", "coucou", "cher", "chere",
	"chers", "cheres", "dear", "madame", "monsieur",
)

// closings end a mail: what follows is a signature.
var closings = wordsOf(
	"bonne", "cordialement", "bises", "merci", "best", "regards", "thanks", "amities",
	"belle", "bien", "sincerement", "cheers",
)

// isClosing reports whether a line is a short closing ("Cordialement,",
// "Bonne journée", "Bises, Inès"), given its fold's first word and n, its
// count of words, up to maxShortWords.
func isClosing(first string, n int) bool {
	return n > 0 && n <= 4 && closings[first]
}

// isGreeting reports whether a line is a short greeting ("Bonjour,",
// "Salut à tous", "Hi all!"), given its fold's first word and n, its count
// of words, up to maxShortWords.
func isGreeting(first string, n int) bool {
	return n > 0 && n <= 5 && greetings[first]
}

// maxShortWords is where the count of a line's words isClosing,
// isGreeting and isForwarding are given can stop: each only reads
// whether the line has fewer.
const maxShortWords = 9

// isForwarding reports whether a line only says that the mail was
// forwarded or relayed: "---------- Forwarded message ---------", "Fwd:",
// "[JobTeaser – relayé par le BDE]", "Petite annonce relayée par ...".
// n is the count of the words of the line's fold, up to maxShortWords.
func isForwarding(l *factLine, n int) bool {
	if strings.HasPrefix(l.plain, "[") && strings.HasSuffix(l.plain, "]") {
		return true
	}
	f := l.folded()
	// A word of forwardWords may start the line, or, in a short line, stand
	// after any of its spaces: the spaces are read once for all the words.
	if f != "" && forwardSeconds[f[0]] {
		for _, w := range forwardWords {
			if strings.HasPrefix(f, w[1:]) {
				return true
			}
		}
	}
	if n > 8 {
		return false
	}
	for i := strings.IndexByte(f, ' '); i >= 0; {
		if i+1 < len(f) && forwardSeconds[f[i+1]] {
			for _, w := range forwardWords {
				if strings.HasPrefix(f[i:], w) {
					return true
				}
			}
		}
		j := strings.IndexByte(f[i+1:], ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// forwardSeconds holds the second bytes of forwardWords, the first after
// their space.
var forwardSeconds = func() (set [256]bool) {
	for _, w := range forwardWords {
		set[w[1]] = true
	}
	return set
}()

// forwardWords say a mail was forwarded, each after its space.
var forwardWords = []string{" forwarded message", " message transfere", " original message", " message d'origine",
	" relaye", " relayee", " transmis par", " fwd", " tr "}

// dashedLabel reports whether a line's "label" is really a header with a
// dash, as in "Stage M1/M2 – Chimie verte : catalyseurs au fer".
func dashedLabel(l *factLine) bool {
	i := strings.IndexByte(l.plain, ':')
	if i < 0 {
		return false
	}
	head := l.plain[:i]
	return strings.Contains(head, " – ") || strings.Contains(head, " — ") || strings.Contains(head, " - ")
}

// trimHeaderNoise drops what decorates a header segment: emoji and bullets
// before the first letter, a leading bracketed tag ("[Stage]") and a
// leading "Recrute" or "Recherche".
func trimHeaderNoise(seg string) string {
	seg = strings.TrimLeftFunc(seg, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '[' && r != '«' && r != '“' && r != '"' && r != '('
	})
	if strings.HasPrefix(seg, "[") {
		if j := strings.IndexByte(seg, ']'); j > 0 && isGeneric(seg[1:j]) {
			seg = strings.TrimSpace(seg[j+1:])
		}
	}
	for _, w := range []string{"intitulé ", "intitule ", "recrute ", "recherche ", "recrutons ", "is hiring ", "hiring "} {
		// "RECRUTE UN(E) STAGIAIRE JURISTE" is the title.
		if len(seg) > len(w) && strings.EqualFold(seg[:len(w)], w) {
			seg = strings.TrimSpace(seg[len(w):])
		}
	}
	return seg
}

// headerSeps separate the organisation from the title in a header line.
var headerSeps = []string{" – ", " — ", " - ", " | "}

// headerPart is one piece of a header line, with the separator before it.
type headerPart struct {
	sep, text string
	fold      string // text folded by foldLabel, for the tests that read it so
	kind      byte   // 'G'eneric, 'O'rganisation, 'P'osition, 'N'eutral
}

// splitHeader reads a header segment made of parts separated by dashes or
// bars. When a part names an organisation or only says what kind of text
// this is, it returns the title (the parts left, which may be "") and the
// organisation, and ok. Otherwise the segment is left to the caller.
// folded is seg folded by foldLabel, which a segment of one part reuses.
// wantTitle and wantOrg say which of the two the caller still needs: the
// other is not read, and is "".
func splitHeader(seg, folded string, wantTitle, wantOrg bool) (title, org string, ok bool) {
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
	if hasO && wantOrg {
		org = orgOfPart(parts[firstO].text)
	}
	var b strings.Builder
	if !hasO && !hasP {
		if parts[0].kind != 'G' || shortName(parts) {
			// "Solidarités Sahel – Offre de stage": the neutral name
			// beside a generic part is the organisation.
			for _, p := range parts {
				if wantOrg && p.kind == 'N' && isNameLike(p.text) {
					org = orgOfPart(p.text)
					break
				}
			}
			return "", org, true
		}
		if !wantTitle {
			return "", org, true
		}
		// "Stage M2 – Modélisation des glaciers": the subject follows.
		for _, p := range parts[1:] {
			if p.kind == 'N' && !isDeptFolded(p.fold) {
				if b.Len() > 0 {
					b.WriteString(p.sep)
				}
				b.WriteString(p.text)
			}
		}
	} else {
		if !wantTitle {
			return "", org, true
		}
		// The title is what is left, when a part names the position or
		// when the neutral parts come before the organisation
		// ("Communication & collecte – Association ..."). "Musée X –
		// Jacques Chirac" has none.
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
	}
	title = b.String()
	if title != "" && (!looksLikeTitle(title) || isProse(title) || isDatesOnly(title)) {
		title = ""
	}
	return title, org, true
}

// splitParts cuts a segment at its separators, keeping each separator,
// and appends the parts to parts.
func splitParts(seg string, parts []headerPart) []headerPart {
	sep := ""
	for {
		at, width := nextHeaderSep(seg)
		if at < 0 {
			break
		}
		if t := strings.TrimSpace(seg[:at]); t != "" {
			parts = append(parts, headerPart{sep: sep, text: t})
		}
		sep, seg = seg[at:at+width], seg[at+width:]
	}
	if t := strings.TrimSpace(seg); t != "" {
		parts = append(parts, headerPart{sep: sep, text: t})
	}
	return parts
}

// nextHeaderSep returns where the first of headerSeps in seg starts and its
// length, or -1. Every separator opens with a space, so one scan of the
// spaces finds the first of them.
func nextHeaderSep(seg string) (at, width int) {
	for i := strings.IndexByte(seg, ' '); i >= 0; {
		// A dash, a bar or the first byte of "–" and "—" follows the space.
		if i+1 < len(seg) && (seg[i+1] == '-' || seg[i+1] == '|' || seg[i+1] == 0xe2) {
			for _, s := range headerSeps {
				if strings.HasPrefix(seg[i:], s) {
					return i, len(s)
				}
			}
		}
		j := strings.IndexByte(seg[i+1:], ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return -1, 0
}

// portals are the names of job boards and kinds of text found in headers.
var portals = sizedWordsOf(
	"offre", "offres", "recrutement", "portail", "emploi territorial", "place de l'emploi public",
	"choisir le service public", "job opening", "job posting", "careers", "premier emploi",
	"v i e", "vie", "offre v i e", "service civique", "mission de service civique",
	"appel a candidatures", "call for applications", "annonce", "alternance", "nous recrutons",
	"volontariat", "accueil", "home", "menu", "connexion", "se connecter", "nos offres", "jobs",
	"contact", "united nations careers", "careers",
)

// isGenericFolded reports whether a header part, folded by foldLabel, only
// says what kind of text this is: "Offre de stage", "Recrutement BIATSS",
// "Stage M2", "Portail Emploi CNRS", "Offre n° 123".
func isGenericFolded(f string) bool {
	if f == "" || genericHeaders.has(f) {
		return true
	}
	if portals.has(f) {
		return true
	}
	// These portals may head a longer part, unless it names a position.
	if hasLabel(f, "offre", "offres", "recrutement", "portail", "emploi territorial", "volontariat") && !namesPosition(f) {
		return true
	}
	return isStageKind(f)
}

// isStageKind reports whether f, folded by foldLabel, only announces an
// internship: "Stage M2", "Stage de Master 2 recherche", "Stage de fin
// d'études".
func isStageKind(f string) bool {
	if first := firstWord(f); first != "stage" && first != "internship" && first != "stages" {
		return false
	}
	i := 0
	for w := range strings.SplitSeq(f, " ") { // folded words are one space apart
		if i++; i > 1 && !stageKinds.has(w) {
			return false
		}
	}
	return true
}

// stageKinds are the words that say what kind of internship a header
// announces without naming its subject.
var stageKinds = sizedWordsOf(
	"de", "d'", "m1", "m2", "m1 m2", "l3", "master", "1", "2", "recherche", "research", "fin",
	"d'etudes", "etudes", "cesure", "ingenieur", "2026", "2027", "pfe", "long", "court",
	"gratifie", "remunere", "h", "f", "en", "alternance",
)

// positionWords name a position; a header part holding one is the title.
var positionWords = sizedWordsOf(
	"stage", "stages", "stagiaire", "stagiaires", "intern", "internship", "interns", "trainee",
	"traineeship", "fellow", "fellowship", "alternant", "alternante", "apprenti", "apprentie",
	"alternance", "charge", "chargee", "ingenieur", "ingenieure", "engineer", "assistant",
	"assistante", "analyste", "analyst", "technicien", "technicienne", "gestionnaire",
	"controleur", "chef", "responsable", "developpeur", "developer", "juriste", "attache",
	"attachee", "consultant", "consultante", "coordinateur", "coordinatrice", "mediateur",
	"mediatrice", "manager", "directeur", "directrice", "doctorant", "doctorante", "postdoc",
	"these", "researcher", "scientist", "volontaire", "concours", "contrats", "contrat",
	"officer", "associate", "coordinator", "designer", "graphiste", "redacteur", "redactrice",
	"animateur", "animatrice", "educateur", "educatrice", "comptable", "commercial", "commerciale",
	"conseiller", "conseillere", "agent", "master", "licence", "programme", "program",
	"journaliste", "vacataire", "vacataires", "secretaire", "placement", "professeur", "enseignant",
)

// isPositionPart reports whether a header part names a position.
func isPositionPart(s string) bool { return isPositionFolded(s, foldLabel(s)) }

// isPositionFolded is isPositionPart of s, given f, s folded by foldLabel.
func isPositionFolded(s, f string) bool {
	if deptWords.has(firstWord(f)) {
		// "Direction des stages" is a department.
		return false
	}
	if hasPositionMark(s) {
		return true
	}
	for f != "" { // folded words are one space apart
		w, rest, _ := strings.Cut(f, " ")
		if positionWords.has(w) {
			return true
		}
		f = rest
	}
	return false
}

// hasPositionMark reports whether s, lowered, holds "h/f", "f/h", "(cdi)"
// or "(cdd". Each mark holds a slash or a bracket, which lowering cannot
// make, and its letters are lowered from ASCII ones but for "İ", which
// lowers to "i": the letters around each slash and bracket are compared in
// any case, without lowering all of s.
func hasPositionMark(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '/':
			if i > 0 && i+1 < len(s) {
				a, b := s[i-1]|0x20, s[i+1]|0x20
				if a == 'h' && b == 'f' || a == 'f' && b == 'h' {
					return true
				}
			}
		case '(':
			if i+3 < len(s) && s[i+1]|0x20 == 'c' && s[i+2]|0x20 == 'd' {
				switch t := s[i+3:]; {
				case t[0]|0x20 == 'd':
					return true
				case t[0]|0x20 == 'i' && len(t) > 1 && t[1] == ')':
					return true
				case strings.HasPrefix(t, "\u0130)"):
					return true
				}
			}
		}
	}
	return false
}

// deptWords begin the name of a department of an organisation.
var deptWords = sizedWordsOf("direction", "service", "departement", "department", "pole", "bureau", "division", "office", "delegation")

// orgWords are words found in the names of organisations.
var orgWords = sizedWordsOf(
	"universite", "university", "ecole", "institut", "institute", "laboratoire", "laboratory",
	"labs", "umr", "cnrs", "inserm", "inria", "inrae", "association", "fondation", "foundation",
	"agence", "agency", "international", "ambassade", "embassy", "consulat", "musee", "museum",
	"festival", "theatre", "comedie", "opera", "ministere", "ministry", "prefecture", "mairie",
	"metropole", "banque", "bank", "cabinet", "groupe", "editions", "clinique", "hopital",
	"mutuelle", "iae", "cfa", "ligue", "centre", "center", "capital", "systemes", "systems",
	"industrie", "industries", "solutions", "technologies", "gmbh", "ltd", "inc", "sas", "sarl",
	"llc", "plc", "oecd", "ocde", "unesco", "unicef", "unis-cite", "conseil", "ville",
	"commune", "departement", "region", "federation", "syndicat", "collectif", "fintech",
	"startup", "bibliotheque", "observatoire", "lycee", "muséum", "cnes", "ademe",
)

// isOrgPart reports whether a header part names an organisation: it holds
// an organisation word, ends with an acronym in parentheses ("(EUDA)") or is
// an acronym ("OECD"). f is s folded by foldLabel.
func isOrgPart(s, f string) bool {
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
	// The name must be one and hold an organisation's words. When it is
	// the whole part, its words, folded already, are the cheaper test and
	// the one most parts fail; otherwise they are folded only for a name.
	// "Banque de financement", "Groupe hôtelier" describe, not name.
	if name == s {
		return hasOrgWords(f) && (capitalisedUpTo(name, 2) >= 2 || hasAcronym(name))
	}
	return (capitalisedUpTo(name, 2) >= 2 || hasAcronym(name)) && hasOrgWords(foldLabel(name))
}

// hasOrgWords reports whether f, a name folded by foldLabel, holds one of
// orgWords or names a national park or a directorate.
func hasOrgWords(f string) bool {
	if strings.Contains(f, "parc national") || strings.Contains(f, "direction generale") {
		return true
	}
	for w := range strings.SplitSeq(f, " ") { // folded words are one space apart
		if orgWords.has(w) {
			return true
		}
	}
	return false
}

// isAcronym reports whether s is a short word in capitals such as "CNRS",
// "UMR7590" or "OECD".
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 10 && unicode.IsUpper(firstRuneOf(s))
}

// isNameLike reports whether s may be a name: it starts with a capital or
// an elided capital ("l'Agence") and is short.
func isNameLike(s string) bool {
	r := firstRuneOf(strings.TrimPrefix(strings.TrimPrefix(s, "L'"), "l'"))
	return unicode.IsUpper(r) && fieldsUpTo(s, 11) <= 10
}

// orgOfPart turns a header part into an organisation name, or "".
func orgOfPart(s string) string {
	s = cutOrg(s)
	for _, v := range []string{" recrute", " recherche", " cherche", " is hiring", " seeks", " propose"} {
		if i := strings.Index(s, v); i > 0 {
			s = s[:i]
		}
	}
	o := cleanOrg(trimName(s))
	if isGenericOrg(o) || strings.HasSuffix(o, "-") || isFieldLine(o) {
		return ""
	}
	return o
}

// genericOrgs are single words that are no organisation's name.
var genericOrgs = wordsOf(
	"agency", "agence", "parc", "tpe", "pme", "on", "association", "entreprise", "company",
	"societe", "structure", "organisme", "laboratoire", "universite", "university", "musee",
	"ville", "mairie", "groupe", "cabinet", "startup", "start-up", "ong", "theatre", "festival",
	"cdi", "cdd", "vie", "v.i.e", "pfe", "asap", "urgent", "new", "stage", "internship", "h/f",
)

// isGenericOrg reports whether a name is a lone common noun ("Agency",
// "Parc", "TPE").
func isGenericOrg(s string) bool {
	return !strings.Contains(s, " ") && genericOrgs[text.Fold(s)]
}

// leadQuoted returns the quoted text at the start of s ("« Médiateur
// scientifique » Mars à août 2026"), or "" when s does not start with a
// quotation: "Chargé de mission « Industrie »" keeps its words.
func leadQuoted(s string) string {
	q := quoted(s)
	if q == "" {
		return ""
	}
	i := strings.Index(s, q)
	for _, r := range s[:max(i, 0)] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return ""
		}
	}
	return q
}

// orgBeforeAddress returns the name that opens a header line giving an
// address: "Eurofins Biomnis, 17/19 avenue Tony Garnier, 69007 Lyon",
// "Hexaradar Systèmes – Élancourt (78990)". It returns "" when the line
// has no postal code or does not open with a proper name.
func orgBeforeAddress(seg string) string {
	// A postal code is five digits in a row.
	if !hasDigits(seg, 5) {
		return ""
	}
	if m, ok := findPostal(seg, 0); !ok || m.town < 0 {
		return ""
	}
	name := cutOrg(seg)
	if name == seg || !isNameLike(name) || !orgName.whole(name) || townName.whole(name) && len(strings.Fields(name)) == 1 {
		return ""
	}
	if isPositionPart(name) || isGenericOrg(name) {
		return ""
	}
	return orgOfPart(name)
}

// shortName reports whether the neutral parts of a header beside a
// generic part are one short name in capitals, "Service Civique –
// Unis-Cité", rather than a subject, "Stage M2 – Écologie des sols".
func shortName(parts []headerPart) bool {
	for _, p := range parts {
		if p.kind != 'N' {
			continue
		}
		words := strings.Fields(p.text)
		return len(words) <= 2 && capitalised(p.text) == len(words)
	}
	return false
}

// capitalised counts the words of s that start with a capital, after an
// elision: "Festival d'Avignon" has two.
func capitalised(s string) int { return capitalisedUpTo(s, len(s)) }

// capitalisedUpTo is capitalised of s, but stops counting at max.
func capitalisedUpTo(s string, max int) int {
	n := 0
	for i := 0; n < max; {
		start, end := nextField(s, i)
		if start == end {
			break
		}
		w := s[start:end]
		i = end
		// An elision in the first three bytes is passed over.
		for k := 0; k <= 2 && k < len(w); k++ {
			if w[k] == '\'' {
				w = w[k+1:]
				break
			}
			if strings.HasPrefix(w[k:], "’") {
				w = w[k+len("’"):]
				break
			}
		}
		if unicode.IsUpper(firstRuneOf(w)) {
			n++
		}
	}
	return n
}

// isDeptFolded reports whether a header part, folded by foldLabel, names
// a department of an organisation: "Direction juridique", "Service des
// Sports".
func isDeptFolded(f string) bool { return deptWords.has(firstWord(f)) }

// hasAcronym reports whether one of the words of s is an acronym.
func hasAcronym(s string) bool {
	for w := range strings.FieldsSeq(s) {
		if isAcronym(w) {
			return true
		}
	}
	return false
}

// namesPosition reports whether a folded header part names a position
// other than the bare kind of offer: "offre de stage 2026" does not,
// "recrutement d'un stagiaire" does.
func namesPosition(folded string) bool {
	for w := range strings.SplitSeq(folded, " ") { // folded words are one space apart
		if w != "stage" && w != "stages" && w != "internship" && w != "alternance" && positionWords.has(w) {
			return true
		}
	}
	return false
}

// genericHeaders are header lines that only say what kind of text this is.
var genericHeaders = sizedWordsOf(
	"offre de stage", "offres de stage", "offre", "stage", "stages", "proposition de stage",
	"offre d'emploi", "offre de stage gratifie", "stage gratifie", "stage remunere",
	"fiche de poste", "fiche de stage", "annonce", "appel a candidatures",
	"appel a candidature", "recrutement", "nous recrutons", "on recrute",
	"stage de fin d'etudes", "offre de stage de fin d'etudes", "stage h f",
	"internship", "internship offer", "internship opportunity", "job offer",
	"job", "job posting", "vacancy", "we are hiring", "we're hiring",
	"job description", "offre de mission", "mission", "service civique",
	"alternance", "offre d'alternance", "apprentissage", "offre de stage alternance", "offre stage",
)

func isGeneric(folded string) bool {
	folded = strings.Trim(foldLabel(folded), " ")
	return genericHeaders.has(folded)
}

// quoted returns the text between typographic or straight quotes in s, or
// "" when s has none.
func quoted(s string) string {
	for _, q := range [][2]string{{"“", "”"}, {"«", "»"}, {`"`, `"`}, {"„", "“"}} {
		i := strings.Index(s, q[0])
		if i < 0 {
			continue
		}
		rest := s[i+len(q[0]):]
		j := strings.Index(rest, q[1])
		if j <= 0 {
			continue
		}
		return strings.TrimSpace(rest[:j])
	}
	return ""
}

// looksLikeTitle accepts a short line that names a job rather than states
// something: it starts with a capital, has no full stop inside and is
// neither an address nor a link.
func looksLikeTitle(s string) bool {
	s = strings.TrimSpace(strings.Trim(s, "“”«»\" "))
	n := utf8.RuneCountInString(s)
	if n < 3 || n > 160 || fieldsUpTo(s, 19) > 18 {
		return false
	}
	r := firstRuneOf(s)
	if !unicode.IsUpper(r) {
		return false
	}
	// No letter but W and w lowers to w: "www." is read in ASCII.
	if strings.Contains(s, "@") || strings.Contains(s, "://") ||
		len(s) >= 4 && s[0]|0x20 == 'w' && s[1]|0x20 == 'w' && s[2]|0x20 == 'w' && s[3] == '.' {
		return false
	}
	body := strings.TrimRight(s, ".")
	return !strings.Contains(body, ". ") && !strings.HasSuffix(s, ":")
}

// isDatesOnly reports whether a segment is only dates ("Janvier à Juillet
// 2026"), which header lines often carry next to the title.
func isDatesOnly(s string) bool {
	for w := range strings.FieldsFuncSeq(text.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if isDigitByte(w[0]) || text.GluedWord(w) || w == "a" || w == "de" || w == "des" || w == "partir" || w == "from" {
			continue
		}
		return false
	}
	return true
}
