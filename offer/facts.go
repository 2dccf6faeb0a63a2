package offer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// facts are the plain fields of an offer, read from its normalised text.
// Every reader prefers a labelled line ("Lieu : ...", "Salary: ...") and
// falls back on phrases in the body only when they are unambiguous: a field
// the text does not state is left empty rather than guessed.
type facts struct {
	Title, Organisation string
	Places              []Place
	Duration            string
	HoursPerWeek        *float64
	Stipend             string
	Contacts            []string
	Degree              string
	Language            string
}

// maxFactsText bounds the text the facts are read from. Offers are a few
// kilobytes; the bound keeps pathological inputs (up to MaxSize) fast.
const maxFactsText = 128 << 10

// maxOrgText bounds where the organisation is looked for in the body: an
// offer presents its organisation near the top, and names further down are
// more often partners.
const maxOrgText = 10 << 10

// extractFacts reads the facts of a normalised offer text.
func extractFacts(text string) facts {
	if len(text) > maxFactsText {
		cut := maxFactsText
		if i := strings.LastIndexByte(text[:cut], '\n'); i > 0 {
			cut = i
		}
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	lines := factLines(text)
	var f facts
	f.Title, f.Organisation = readHeader(lines)
	if f.Organisation == "" {
		f.Organisation = readOrganisation(text, lines)
	}
	f.Places = readPlaces(lines)
	f.Duration = readDuration(lines)
	f.HoursPerWeek = readHours(lines)
	f.Stipend = readStipend(lines)
	f.Contacts = readContacts(lines)
	f.Degree = readDegree(lines)
	f.Language = readLanguage(text)
	return f
}

// line is one non-blank line of the text. plain is the line without
// Markdown markup; label and value are set when the line reads
// "Label : value", with label folded by foldLabel.
type factLine struct {
	raw, plain   string
	low          string // plain in lowercase, for cheap keyword tests
	label, value string
}

// has reports whether the line's lowercase text contains any of words.
func (l factLine) has(words ...string) bool {
	for _, w := range words {
		if strings.Contains(l.low, w) {
			return true
		}
	}
	return false
}

// mdLink matches a Markdown link, whose text is kept.
var mdLink = regexp.MustCompile(`\[([^\]\n]*)\]\([^)\n]*\)`)

func factLines(text string) []factLine {
	var out []factLine
	for raw := range strings.SplitSeq(text, "\n") {
		p := plainLine(raw)
		if p == "" {
			continue
		}
		l := factLine{raw: raw, plain: p, low: strings.ToLower(p)}
		l.label, l.value = splitLabel(p)
		out = append(out, l)
	}
	return out
}

// plainLine drops a line's Markdown: heading marks, list bullets, quote
// marks, emphasis and links. Rules such as "---" give "".
func plainLine(s string) string {
	s = strings.TrimSpace(s)
	if strings.Trim(s, "-*_=# ") == "" {
		return ""
	}
	s = strings.TrimLeft(s, "#> ")
	for _, bullet := range []string{"- ", "• ", "* ", "+ ", "– ", "— ", "· ", "▪ ", "► ", "o "} {
		if strings.HasPrefix(s, bullet) {
			s = s[len(bullet):]
			break
		}
	}
	if strings.Contains(s, "](") {
		s = mdLink.ReplaceAllString(s, "$1")
	}
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "__", "")
	s = strings.TrimSpace(strings.Trim(s, "*_"))
	return strings.Join(strings.Fields(s), " ")
}

// splitLabel cuts "Label : value" at the first colon when what precedes it
// is short enough to be a label.
func splitLabel(p string) (label, value string) {
	i := strings.IndexByte(p, ':')
	if i <= 0 || i > 60 {
		return "", ""
	}
	head := p[:i]
	// "https://", "10:30" are not labels.
	if i+1 < len(p) && p[i+1] == '/' || i+1 < len(p) && isDigitByte(p[i+1]) && isDigitByte(p[i-1]) {
		return "", ""
	}
	if len(strings.Fields(head)) > 7 {
		return "", ""
	}
	return foldLabel(head), strings.TrimSpace(p[i+1:])
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// foldLabel lowercases a label, drops accents, plural marks such as "(x)"
// and markup, so that labels compare simply.
func foldLabel(s string) string {
	s = Fold(s)
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth = max(depth-1, 0)
		case depth > 0:
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// foldMap removes the accents of French letters.
// hasLabel reports whether a folded label is one of names, or starts with
// one of them followed by a space.
func hasLabel(label string, names ...string) bool {
	for _, n := range names {
		if label == n || strings.HasPrefix(label, n+" ") {
			return true
		}
	}
	return false
}

// labelValue returns the value of the first line whose label is accepted by
// match, taking the next line when the label stands alone, and the index of
// the line the value came from.
func labelValue(lines []factLine, match func(label string) bool, accept func(v string) bool) (string, int) {
	for i, l := range lines {
		if l.label == "" || !match(l.label) {
			continue
		}
		v := l.value
		at := i
		if v == "" && i+1 < len(lines) && lines[i+1].label == "" {
			v, at = lines[i+1].plain, i+1
		}
		if v != "" && (accept == nil || accept(v)) {
			return v, at
		}
	}
	return "", -1
}

// --- Title and organisation -------------------------------------------------

// genericHeaders are header lines that only say what kind of text this is.
var genericHeaders = []string{
	"offre de stage", "offres de stage", "offre", "stage", "stages", "proposition de stage",
	"offre d'emploi", "offre de stage gratifie", "stage gratifie", "stage remunere",
	"fiche de poste", "fiche de stage", "annonce", "appel a candidatures",
	"appel a candidature", "recrutement", "nous recrutons", "on recrute",
	"stage de fin d'etudes", "offre de stage de fin d'etudes", "stage h f",
	"internship", "internship offer", "internship opportunity", "job offer",
	"job", "job posting", "vacancy", "we are hiring", "we're hiring",
	"job description", "offre de mission", "mission", "service civique",
	"alternance", "offre d'alternance", "apprentissage", "offre de stage alternance", "offre stage",
}

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

// orgStarts are words that begin the name of an organisation ("Ville de
// Grenoble", "Musée d'Orsay", "University of Kent").
var orgStarts = []string{
	"ville", "mairie", "commune", "metropole", "departement", "conseil", "region",
	"communaute", "agglomeration", "association", "fondation", "societe", "groupe",
	"universite", "institut", "musee", "museum", "centre", "agence", "cabinet",
	"laboratoire", "theatre", "compagnie", "federation", "syndicat", "ecole",
	"office", "maison", "bibliotheque", "mediatheque", "archives", "parc",
	"hopital", "ministere", "prefecture", "ambassade", "consulat", "banque",
	"opera", "festival", "orchestre", "chambre", "collectif", "reseau",
	"city", "university", "foundation", "institute", "company", "council",
	"agency", "society", "bank", "hospital", "ministry", "embassy",
}

// readHeader reads the title and, when the header names it, the
// organisation from the first lines of the text. A labelled title
// ("Intitulé du poste : ...") anywhere wins over the header, and a labelled
// organisation ("Entreprise : ...") wins over the header's.
func readHeader(lines []factLine) (title, org string) {
	title, _ = labelValue(lines, func(l string) bool {
		return hasLabel(l, "intitule", "titre", "titre du poste", "poste", "poste propose",
			"sujet", "sujet du stage", "job title", "title", "position", "role",
			"internship title", "stage", "offre de stage", "offre", "internship",
			"posting title", "objet", "subject", "intitule de la mission")
	}, func(v string) bool {
		return looksLikeTitle(v) && !durationRe.MatchString(v) && !isProse(v)
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
	for i, l := range lines {
		if i >= 8 || isSectionHead(l) {
			break
		}
		if l.label != "" && !dashedLabel(l) {
			if title == "" && isGeneric(l.label) && looksLikeTitle(l.value) && !isProse(l.value) {
				// "Offre de stage : Chargé de communication".
				title = cleanTitle(l.value)
			}
			continue
		}
		if utf8.RuneCountInString(l.plain) > 200 {
			break
		}
		if isClosing(l) {
			break
		}
		if isGreeting(l) || isForwarding(l) {
			continue
		}
		// A header line whose sentence goes on on the next line is prose
		// wrapped by the mail client, not a title.
		wrapped := i+1 < len(lines) && unicode.IsLower(firstRuneOf(lines[i+1].plain))
		for _, seg := range headerSegments(l.raw) {
			seg = trimHeaderNoise(seg)
			if seg == "" || isGeneric(Fold(seg)) {
				continue
			}
			if t, o, ok := splitHeader(seg); ok {
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

// isSectionHead reports whether a line is a heading that opens the body.
func isSectionHead(l factLine) bool {
	if l.label != "" && l.value == "" && len(strings.Fields(l.label)) <= 6 {
		return !isGeneric(l.label)
	}
	f := foldLabel(l.plain)
	if l.label != "" {
		f = l.label
	}
	for _, h := range sectionHeads {
		if f == h {
			return true
		}
	}
	return false
}

func isGeneric(folded string) bool {
	folded = strings.Trim(foldLabel(folded), " ")
	return slices.Contains(genericHeaders, folded)
}

// genericPrefix matches "Offre de stage – " and the like before a title.
var genericPrefix = regexp.MustCompile(`(?i)^(?:offre de stage|proposition de stage|stage|internship|job offer|offre d'emploi|fiche de poste)\s*(?:[:–—|-]|\s)\s*`)

// cutGeneric removes a generic prefix from a header segment.
func cutGeneric(seg string) (string, bool) {
	loc := genericPrefix.FindStringIndex(seg)
	if loc == nil {
		return seg, false
	}
	rest := strings.TrimSpace(seg[loc[1]:])
	if rest == "" || !unicode.IsUpper(firstRuneOf(rest)) && firstRuneOf(rest) != '“' && firstRuneOf(rest) != '«' && firstRuneOf(rest) != '"' {
		return seg, false
	}
	return rest, true
}

func firstRuneOf(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// emphasis splits a Markdown header line into its emphasised parts.
var emphasis = regexp.MustCompile(`\*{1,3}|_{2,3}`)

// headerSegments returns the parts of a header line: the pieces between
// Markdown emphasis marks, or the whole line.
func headerSegments(raw string) []string {
	s := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(raw), "#>"))
	s = mdLink.ReplaceAllString(s, "$1")
	var out []string
	for _, p := range emphasis.Split(s, -1) {
		p = strings.Join(strings.Fields(p), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
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
	if n < 3 || n > 160 || len(strings.Fields(s)) > 18 {
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

// isDatesOnly reports whether a segment is only dates ("Janvier à Juillet
// 2026"), which header lines often carry next to the title.
func isDatesOnly(s string) bool {
	for _, w := range strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if isDigitByte(w[0]) || gluedWords[w] || w == "a" || w == "de" || w == "des" || w == "partir" || w == "from" {
			continue
		}
		return false
	}
	return true
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
	return strings.Join(strings.Fields(s), " ")
}

// isOrgName reports whether a header segment names an organisation:
// capitals throughout, or a short name that starts with an organisation
// word ("Ville de ...", "Fondation ...").
func isOrgName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	first := foldLabel(words[0])
	last := foldLabel(words[len(words)-1])
	starts := slices.Contains(orgStarts, first) || last == "metropole"
	if !starts {
		return false
	}
	return isAllCaps(s) || properName.MatchString(s) && properName.FindString(s) == s
}

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

// Name building blocks: a capitalised word (with elided "d'"/"l'") and the
// small words allowed inside a name.
const (
	capWord   = `(?:[dlDL]')?\p{Lu}[\p{L}\p{M}0-9&.'-]*`
	nameJoin  = `(?:de|du|des|d'|la|le|les|l'|et|&|en|pour|sur|aux?|of|the|and|for|à)`
	nameWords = capWord + `(?:[ -](?:` + nameJoin + ` )*` + capWord + `){0,6}`
)

// properName matches a whole proper name such as "Territoire de Sciences".
var properName = regexp.MustCompile(`^` + nameWords)

// orgIntro finds "l'association Traces", "la société Acme", "the company
// Acme": an organisation noun followed by its name.
var orgIntro = regexp.MustCompile(`(?:\b|^)(?i:l'association|l'entreprise|la soci[ée]t[ée]|la start-?up|l'agence|le cabinet|l'ONG|le collectif|la coop[ée]rative|la f[ée]d[ée]ration|le groupe|le r[ée]seau|the company|the organi[sz]ation|the association|the charity|the start-?up|the agency|the firm|the foundation) (` + nameWords + `)`)

// orgIs finds a sentence that starts with a name and says what it is:
// "Territoire de Sciences est un établissement ...", "Acme is a company".
var orgIs = regexp.MustCompile(`(?m)(?:^|[.!?] )(` + nameWords + `)(?: \(\p{Lu}{2,10}\))?,? (?:est|is) (?:un|une|a|an|l'un|one) ((?:[\p{L}\p{N}'-]+ ){0,3}[\p{L}'-]+)`)

// orgChez finds the organisation of a position in a relayed message:
// "Stage dispo chez Kelvin Énergie". ("at" is left out: "intern at our
// New York office".)
var orgChez = regexp.MustCompile(`(?i:stage|stagiaire|alternance|alternant|poste|cdi|cdd)\b[^.!?]{0,60}? chez (` + nameWords + `)`)

// orgActs finds a sentence that starts with a name doing what organisations
// do in offers: "Acme recrute", "Acme is looking for", "At Acme, we".
var orgActs = regexp.MustCompile(`(?m)(?:^|[.!?] )(?:(` + nameWords + `) (?:recrute|recherche|cherche|propose|accueille|is hiring|is recruiting|is looking for|seeks|offers)\b|(?:At|Chez) (` + nameWords + `), (?:we|nous)\b)`)

// publicBody finds the name of a public body in the text, such as "Grenoble
// Alpes Métropole", "Ville de Lyon", "Conseil départemental de l'Isère".
var publicBody = regexp.MustCompile(`(?:` + capWord + ` ){1,3}M[ée]tropole\b|\b(?:Ville|Mairie|Commune|M[ée]tropole|R[ée]gion|D[ée]partement) (?:de |d'|du |des )(?:la |l')?` + capWord + `(?:[ -]` + capWord + `){0,3}|\bConseil (?:d[ée]partemental|r[ée]gional|g[ée]n[ée]ral) (?:de |d'|du |des )(?:la |l')?` + capWord + `|\bCommunaut[ée] (?:de communes|d'agglom[ée]ration|urbaine) (?:de |d'|du |des )?` + capWord + `(?:[ -]` + capWord + `){0,3}`)

// orgNouns are what an organisation "is" in "X est un(e) ...".
var orgNouns = []string{
	"etablissement", "association", "entreprise", "societe", "organisme", "structure",
	"collectivite", "start-up", "startup", "cabinet", "agence", "fondation",
	"laboratoire", "institut", "centre", "reseau", "groupe", "musee", "ong", "pme",
	"tpe", "eti", "cooperative", "scop", "scic", "syndicat", "federation", "media",
	"journal", "festival", "compagnie", "theatre", "ecole", "universite", "collectif",
	"lieu", "leader", "acteur", "editeur", "bureau", "service", "plateforme",
	"company", "organisation", "organization", "non-profit", "nonprofit", "firm",
	"agency", "charity", "foundation", "institution", "institute", "university",
	"museum", "network", "group", "provider", "consultancy", "studio", "publisher",
}

// notNames are capitalised words that start sentences but name nothing.
var notNames = []string{
	"le", "la", "les", "l'", "ce", "cette", "cet", "il", "elle", "nous", "notre", "votre",
	"un", "une", "son", "sa", "ses", "leur", "chaque", "tout", "vous", "on", "this",
	"the", "it", "our", "we", "your", "its", "their", "he", "she", "you", "a", "an",
	"stage", "poste", "mission", "internship", "position", "job", "role", "candidature",
}

// readOrganisation finds the organisation in the body: a labelled line
// first, then a name introduced as an association, company..., then a
// sentence saying what the name is or that it recruits, then the name of a
// public body near the top of the text.
func readOrganisation(text string, lines []factLine) string {
	if v := labelledOrg(lines); v != "" {
		return v
	}
	return bodyOrg(text)
}

// labelledOrg returns the organisation named by a labelled line
// ("Entreprise : Acme"), or "".
func labelledOrg(lines []factLine) string {
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "organisation", "organisme", "organisme d'accueil", "structure",
			"structure d'accueil", "nom de la structure", "entreprise", "nom de l'entreprise",
			"employeur", "societe", "etablissement", "collectivite", "company", "company name",
			"organization", "employer", "host organisation", "host organization",
			"institution", "laboratoire", "laboratory", "association", "recruteur", "recruiter",
			"start up", "startup", "department office")
	}, func(v string) bool {
		return unicode.IsUpper(firstRuneOf(v)) && len(strings.Fields(cutOrg(v))) <= 8
	})
	if v == "" {
		return ""
	}
	return cleanOrg(cutOrg(v))
}

// bodyOrg finds the organisation in the sentences of the text.
func bodyOrg(text string) string {
	if len(text) > maxOrgText {
		text = text[:maxOrgText]
	}
	best, bestAt := "", len(text)
	consider := func(name string, at int) {
		name = trimName(name)
		if name == "" || at >= bestAt {
			return
		}
		best, bestAt = name, at
	}
	if m := orgChez.FindStringSubmatchIndex(text); m != nil {
		consider(text[m[2]:m[3]], m[2])
	}
	if m := orgIntro.FindStringSubmatchIndex(text); m != nil {
		consider(text[m[2]:m[3]], m[0])
	}
	// orgIs and orgActs are case-sensitive and need one of these words;
	// checking for them first spares a long text the expressions.
	for _, m := range findAllIf(orgIs, text, " est un", " est l'un", " is a", " is one") {
		what := Fold(text[m[4]:m[5]])
		isOrg := false
		for _, w := range strings.Fields(what) {
			if slices.Contains(orgNouns, w) {
				isOrg = true
			}
		}
		if isOrg && trimName(text[m[2]:m[3]]) != "" {
			consider(text[m[2]:m[3]], m[2])
			break
		}
	}
	for _, m := range findAllIf(orgActs, text, " recrute", " recherche", " cherche", " propose", " accueille",
		" is hiring", " is recruiting", " is looking for", " seeks", " offers", ", we", ", nous") {
		s, e := m[2], m[3]
		if s < 0 {
			s, e = m[4], m[5]
		}
		if trimName(text[s:e]) != "" {
			consider(text[s:e], s)
			break
		}
	}
	if best != "" {
		return cleanOrg(best)
	}
	// A public body is only taken from the very top of the text.
	top := text[:min(len(text), 1500)]
	if m := publicBody.FindString(top); m != "" {
		return cleanOrg(m)
	}
	return ""
}

// findAllIf returns re's submatches in text, or none at once when text
// holds none of the words re needs.
func findAllIf(re *regexp.Regexp, text string, needs ...string) [][]int {
	for _, w := range needs {
		if strings.Contains(text, w) {
			return re.FindAllStringSubmatchIndex(text, -1)
		}
	}
	return nil
}

// trimName drops a leading pronoun or article that is not part of the name
// and returns "" when nothing of a name is left.
func trimName(name string) string {
	name = strings.TrimSpace(strings.TrimRight(name, ".,;:"))
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	if strings.Contains(name, ". ") {
		// "TPE. On" spans two sentences.
		return ""
	}
	f := Fold(words[0])
	if rest, ok := strings.CutPrefix(f, "l'"); ok && len(words) > 1 && slices.Contains(orgStarts, rest) {
		// "L'Agence pour l'Économie Solidaire" is named "Agence pour ...".
		_, tail, _ := strings.Cut(name, "'")
		return tail
	}
	if len(words) == 2 && (f == "le" || f == "la" || f == "les" || f == "the") && slices.Contains(orgStarts, foldLabel(words[1])) {
		// "Le Parc recrute", "The Agency offers": a common noun.
		return ""
	}
	if len(words) > 1 && (f == "le" || f == "la" || f == "les" || f == "the") && slices.Contains(orgStarts, foldLabel(words[1])) {
		// "La Fondation X" is named "Fondation X"; "La Casemate" keeps
		// its article.
		return strings.Join(words[1:], " ")
	}
	if slices.Contains(notNames, f) {
		// "La Casemate" is a name, "La mission" is not: properName
		// already required the next word to be capitalised.
		if len(words) == 1 || f == "stage" || f == "poste" || f == "mission" ||
			f == "internship" || f == "position" || f == "job" || f == "role" {
			return ""
		}
		if slices.Contains(notNames, Fold(words[1])) {
			return ""
		}
	}
	return name
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

// cleanOrg trims an organisation name and gives a name written in capitals
// the usual case ("VILLE DE GRENOBLE" becomes "Ville de Grenoble").
func cleanOrg(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "*_#“”«»\" .,;:"))
	s = strings.Join(strings.Fields(s), " ")
	if isAllCaps(s) && utf8.RuneCountInString(s) > 4 {
		s = titleCase(s)
	}
	return s
}

// smallWords stay lowercase inside a name.
var nameSmallWords = []string{"de", "du", "des", "la", "le", "les", "et", "en", "sur", "sous", "aux", "au", "à", "pour", "of", "the", "and", "for"}

// titleCase writes a name given in capitals as a name: capital initials,
// small words in lowercase, short acronyms without vowels kept.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		lw := strings.ToLower(w)
		switch {
		case i > 0 && slices.Contains(nameSmallWords, lw):
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
			if i > 0 && slices.Contains(nameSmallWords, part) {
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

// --- Places -----------------------------------------------------------------

// postalCity matches a French postal code and the city that follows it.
var postalCity = regexp.MustCompile(`\b((?:0[1-9]|[1-8]\d|9[0-8])\d{3})\b(?:,? +(` + capWord + `(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?) )*` + capWord + `){0,4}))?`)

// cityName matches a whole city name without postal code.
var cityName = regexp.MustCompile(`^(?:` + capWord + `)(?:[ -](?:(?:de|du|des|la|le|les|en|sur|sous|lès|lez|l'|d'|aux?)[ -])*` + capWord + `){0,4}$`)

// basedIn finds "basé à Lyon", "located in London" when no line is
// labelled with the place.
var basedIn = regexp.MustCompile(`(?i:bas[ée]e?s?|situ[ée]e?s?|located|based) (?:à|au|en|in|at) (` + capWord + `(?:[ -](?:(?:de|du|la|le|sur|en|lès|d'|l') )*` + capWord + `){0,3})`)

// inlinePlace finds a place label inside a line, after a sentence: "...
// pour 5 mois. Lieu : Montreuil (93). ...".
var inlinePlace = regexp.MustCompile(`[.;!?] (?i:lieux?(?: de (?:stage|travail))?|localisation|location|adresse|address) ?: ?([^;\n]{2,160})`)

// notCities are words that fill place fields without being a city.
var notCities = []string{
	"france", "belgique", "suisse", "canada", "luxembourg", "allemagne", "espagne",
	"italie", "royaume-uni", "uk", "united kingdom", "usa", "united states", "us",
	"germany", "spain", "italy", "switzerland", "belgium", "europe", "teletravail",
	"remote", "hybride", "hybrid", "cedex", "ile-de-france", "en ligne", "online",
	"a distance", "sur site", "on site", "siege", "bureaux", "locaux",
}

// readPlaces reads the labelled places: several when the value lists
// sites that each have their own address or are each a city.
func readPlaces(lines []factLine) []Place {
	isPlace := func(l string) bool {
		if strings.Contains(l, "mail") || strings.Contains(l, "web") || strings.Contains(l, "internet") ||
			strings.Contains(l, "electronique") || strings.Contains(l, "naissance") {
			return false
		}
		return hasLabel(l, "lieu", "lieux", "lieu de stage", "lieu d'exercice", "lieu de travail",
			"localisation", "adresse", "ville", "site", "location", "address", "workplace",
			"place of work", "implantation", "lieu d'affectation", "affectation", "where",
			"based in", "office", "city", "lieu du stage", "lieu de la mission")
	}
	v, _ := labelValue(lines, isPlace, func(v string) bool {
		return !strings.Contains(v, "://") && !strings.HasPrefix(strings.ToLower(v), "www.")
	})
	if v == "" {
		for _, l := range lines {
			if !l.has("lieu", "localisation", "location", "adresse", "address") {
				continue
			}
			if m := inlinePlace.FindStringSubmatch(l.plain); m != nil {
				return []Place{parsePlace(cutSentence(m[1]))}
			}
		}
		for _, l := range lines {
			if !l.has("bas", "situ", "located") {
				continue
			}
			if m := basedIn.FindStringSubmatch(l.plain); m != nil {
				if c := cityOf(m[1]); c != "" {
					return []Place{{Text: m[1], City: c}}
				}
			}
		}
		return nil
	}
	v = cutSentence(v)
	parts := splitSites(v)
	places := make([]Place, 0, len(parts))
	for _, p := range parts {
		places = append(places, parsePlace(p))
	}
	return places
}

// cutSentence keeps a value up to the end of its first sentence.
func cutSentence(v string) string {
	for _, sep := range []string{". ", " ; ", "; "} {
		if i := strings.Index(v, sep); i > 0 {
			v = v[:i]
		}
	}
	return strings.TrimSpace(strings.TrimRight(v, ". "))
}

// siteSep separates sites listed in one place value.
var siteSep = regexp.MustCompile(` +(?:et|and|ou|or|&|/) +`)

// splitSites splits "A, 1 rue X 38000 Y et B, 2 rue Z 38800 W" into its
// sites when every part has its own postal code, or every part is a city.
func splitSites(v string) []string {
	parts := siteSep.Split(v, -1)
	if len(parts) < 2 {
		return []string{v}
	}
	allPostal, allCity := true, true
	for _, p := range parts {
		if !postalCity.MatchString(p) {
			allPostal = false
		}
		if !cityName.MatchString(strings.TrimSpace(p)) || slices.Contains(notCities, Fold(strings.TrimSpace(p))) {
			allCity = false
		}
	}
	if allPostal || allCity {
		return parts
	}
	return []string{v}
}

func parsePlace(text string) Place {
	text = strings.TrimSpace(strings.TrimRight(text, ". "))
	p := Place{Text: text}
	if m := postalCity.FindStringSubmatch(text); m != nil {
		p.PostalCode = m[1]
		p.City = trimCedex(m[2])
		if p.City == "" {
			// "Lyon 69003": the city precedes its code.
			i := strings.Index(text, m[1])
			before := strings.Fields(strings.Trim(text[:i], " ,-("))
			if len(before) > 0 {
				p.City = cityOf(before[len(before)-1])
			}
		}
		return p
	}
	p.City = cityOf(text)
	return p
}

func trimCedex(c string) string {
	if i := strings.Index(strings.ToUpper(c), " CEDEX"); i >= 0 {
		c = c[:i]
	}
	if strings.EqualFold(c, "cedex") {
		return ""
	}
	return strings.TrimSpace(c)
}

// cityOf finds a city in a place without postal code: the last part of the
// address, between commas or dashes, that reads as a city name.
func cityOf(text string) string {
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '(' || r == ')' || r == '–' || r == '|' })
	for i := len(parts) - 1; i >= 0; i-- {
		c := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(parts[i]), "."))
		// "Montreuil (93)": a département number follows the city.
		if c == "" || slices.Contains(notCities, Fold(c)) || len(c) <= 3 && strings.Trim(c, "0123456789AB") == "" {
			continue
		}
		// "Paris 15e", "Lyon 3ème": drop the district.
		if f := strings.Fields(c); len(f) > 1 && isDigitByte(f[len(f)-1][0]) {
			c = strings.Join(f[:len(f)-1], " ")
		}
		if cityName.MatchString(c) && !startsWithOrgWord(c) && !streetLike(c) {
			return c
		}
		return ""
	}
	return ""
}

func startsWithOrgWord(s string) bool {
	f := strings.Fields(s)
	return len(f) > 1 && (slices.Contains(orgStarts, foldLabel(f[0])) || Fold(f[0]) == "direction" || Fold(f[0]) == "service")
}

// streetLike reports whether a name is a street or a building rather than
// a city.
func streetLike(s string) bool {
	f := Fold(strings.Fields(s)[0])
	return slices.Contains([]string{"rue", "avenue", "boulevard", "bd", "place", "cours", "quai", "chemin",
		"allee", "impasse", "passage", "route", "square", "batiment", "campus", "zone", "street",
		"road", "building"}, f)
}

// --- Duration, hours and stipend -------------------------------------------

const durationNumber = `(?:\d{1,2}(?:[,.]5)?|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`

// durationRe matches a duration: "4 à 6 mois", "6 months", "six semaines".
var durationRe = regexp.MustCompile(`(?i)\b` + durationNumber + `(?: ?(?:à|a|-|–|ou|to|or) ?` + durationNumber + `)? ?(?:(?:mois|semaines?|months?|weeks?|ans?|years?|jours?|days?)\b|ann[ée]es?)`)

// bodyDurationRe is durationRe without the units and the words that, in
// the body of an offer, more often give ages or history than the length of
// the internship ("16-25 ans", "une année charnière").
var bodyDurationRe = regexp.MustCompile(`(?i)\b(?:\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|two|three|four|five|six|seven|eight|nine|ten|twelve)(?: ?(?:à|a|-|–|ou|to|or) ?(?:\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|two|three|four|five|six|seven|eight|nine|ten|twelve))? ?(?:mois|semaines?|months?|weeks?)\b`)

// durationContext are words that show a duration is the internship's.
var durationContext = regexp.MustCompile(`(?i)stage|internship|dur[ée]e|duration|convention|contrat|contract|mission|placement|apprentissage|alternance`)

// readDuration reads a labelled duration, or one stated next to the word
// "stage" or "internship".
func readDuration(lines []factLine) string {
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "duree", "duration", "length", "internship duration", "duree du stage",
			"duree de la mission", "duree du contrat") &&
			!hasLabel(l, "duree hebdomadaire", "duree du travail", "duree de travail")
	}, nil)
	if v != "" {
		if m := durationRe.FindString(v); m != "" {
			return m
		}
		return cutSentence(v)
	}
	for _, l := range lines {
		if !l.has("mois", "semaine", "month", "week") || !durationContext.MatchString(l.plain) {
			continue
		}
		if m := bodyDurationRe.FindStringIndex(l.plain); m != nil {
			before := Fold(l.plain[:m[0]])
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

// hoursRe matches weekly hours: "35h hebdomadaires", "35 heures par
// semaine", "35h/sem", "35 hours per week", "35-hour week".
var hoursRe = regexp.MustCompile(`(?i)\b(\d{1,2}(?:[,.]\d{1,2})?)(?: ?(?:h|heures?|hrs?|hours?)(\d{2})? ?(?:/|par|per|a|by|each|every|de travail)? ?(?:la |the |a )?(?:semaine|sem\b|week|wk|hebdomadaires?|hebdo)|-hours? (?:work ?)?week)`)

// hoursOnly matches a number of hours in a labelled working-time line.
var hoursOnly = regexp.MustCompile(`(?i)\b(\d{1,2}(?:[,.]\d{1,2})?) ?(?:h|heures?|hrs?|hours?)(\d{2})?\b`)

func readHours(lines []factLine) *float64 {
	for _, l := range lines {
		if !l.has("sem", "week", "hebdo", "wk") {
			continue
		}
		if m := hoursRe.FindStringSubmatch(l.plain); m != nil {
			if h, ok := hoursValue(m[1], m[2]); ok {
				return &h
			}
		}
	}
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "volume horaire", "temps de travail", "horaires", "duree hebdomadaire",
			"working hours", "hours", "hours per week", "weekly hours", "duree du travail", "temps de travail hebdomadaire")
	}, nil)
	lv := Fold(v)
	if v != "" && !strings.Contains(lv, "jour") && !strings.Contains(lv, "day") && !strings.Contains(lv, "mois") && !strings.Contains(lv, "month") {
		if m := hoursOnly.FindStringSubmatch(v); m != nil {
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
var amountRe = regexp.MustCompile(`(?i)(?:(?:[$£€] ?\d[\d  .,]*(?:k\b)?|\d[\d  .,]*(?:[,.]\d+)? ?(?:k ?)?(?:€|euros?\b|eur\b|\$|usd\b|£|gbp\b|chf\b))(?: ?(?:-|–|à|to) ?(?:[$£€] ?)?\d[\d  .,]*(?: ?(?:€|euros?\b|\$|£))?)?(?: (?:bruts?|nets?|gross|net)\b)?(?: ?(?:/|par|per|a|an|de l'|l') ?(?:heure|h\b|hour|mois|month|an\b|année|year|semaine|week|jour|day)\b(?: (?:de présence|effective|travaillée|de stage|brut|net|gross))?)?(?: (?:bruts?|nets?|mensuels?|gross|net)\b)?)`)

// stipendPhrase matches phrases that say an internship is paid.
var stipendPhrase = regexp.MustCompile(`(?i)\b(?:stage|internship|mission) (?:gratifi[ée]e?|indemnis[ée]e?|r[ée]mun[ée]r[ée]e?|paid|unpaid|non r[ée]mun[ée]r[ée]e?)|\b(?:paid|unpaid) internship\b|\bgratification (?:l[ée]gale|minimale|en vigueur|selon (?:la )?(?:l[ée]gislation|r[èé]glementation)(?: en vigueur)?)`)

// stipendContext are the words of a line about pay.
var stipendContext = regexp.MustCompile(`(?i)gratification|indemnit|r[ée]mun[ée]r|salaire|stipend|salary|compensation|allowance|paid|pay\b`)

func readStipend(lines []factLine) string {
	v, _ := labelValue(lines, func(l string) bool {
		return hasLabel(l, "indemnite", "indemnites", "indemnisation", "gratification",
			"remuneration", "salaire", "stipend", "salary", "compensation", "allowance",
			"pay", "remuneration mensuelle", "indemnite de stage", "gratification de stage",
			"conditions financieres", "retribution")
	}, nil)
	if v != "" {
		if m := amountRe.FindString(v); m != "" {
			return strings.TrimSpace(strings.TrimRight(m, " ,."))
		}
		return cutSentence(v)
	}
	for _, l := range lines {
		if !l.has("gratification", "indemnit", "munér", "muner", "salaire", "stipend", "salary", "compensation", "allowance", "paid", "pay") ||
			!stipendContext.MatchString(l.plain) {
			continue
		}
		if m := amountRe.FindString(l.plain); m != "" {
			return strings.TrimSpace(strings.TrimRight(m, " ,."))
		}
	}
	for _, l := range lines {
		if l.has("stage", "internship", "mission", "gratification", "paid") {
			if m := stipendPhrase.FindString(l.plain); m != "" {
				return m
			}
		}
	}
	return ""
}

// --- Contacts ---------------------------------------------------------------

// emailRe matches a plain address.
var emailRe = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b`)

// obfuscatedRe matches addresses written to fool robots: "nom [at]
// domaine.fr", "nom (at) domaine (dot) fr", "nom @ domaine . fr". The
// domain is lowercase, so that a following sentence is not taken in.
var obfuscatedRe = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._%+-]*) ?(?:\[ ?(?i:at|arobase|chez) ?\]|\( ?(?i:at|arobase|chez) ?\)|\{ ?(?i:at|arobase) ?\}| @ |@ | @)(?: )?([a-z0-9-]+(?: ?(?:\.|\[ ?(?:dot|point) ?\]|\( ?(?:dot|point) ?\)) ?[a-z0-9-]+)+)`)

// mailtoRe matches a mailto link, whose address may be percent-encoded.
var mailtoRe = regexp.MustCompile(`(?i)mailto:([^\s"'<>()\]]+)`)

// fileExts are "domains" that are really image names ("logo@2x.png").
var fileExts = []string{"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"}

// readContacts returns every e-mail address in the text, lowercased, without
// duplicates, in the order they appear.
func readContacts(lines []factLine) []string {
	var out []string
	for _, l := range lines {
		if l.has("@", "at", "arobase", "chez", "mailto") {
			out = lineContacts(l.raw, out)
		}
	}
	return out
}

// lineContacts appends to out the new addresses of one line.
func lineContacts(text string, out []string) []string {
	type hit struct {
		at   int
		addr string
	}
	var hits []hit
	// Each pattern needs a character or a word the line may lack; the
	// checks spare the regular expressions most lines.
	at := strings.IndexByte(text, '@') >= 0
	if at {
		for _, m := range emailRe.FindAllStringIndex(text, -1) {
			hits = append(hits, hit{m[0], text[m[0]:m[1]]})
		}
	}
	if at || hasBracketedAt(text) {
		for _, m := range obfuscatedRe.FindAllStringSubmatchIndex(text, -1) {
			domain := obfuscatedDomain(text[m[4]:m[5]])
			hits = append(hits, hit{m[0], text[m[2]:m[3]] + "@" + domain})
		}
	}
	if containsFoldASCII(text, "mailto:") {
		for _, m := range mailtoRe.FindAllStringSubmatchIndex(text, -1) {
			if a := mailtoAddress("mailto:" + text[m[2]:m[3]]); a != "" {
				hits = append(hits, hit{m[0], a})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	for _, h := range hits {
		a := strings.ToLower(strings.Trim(h.addr, ".-"))
		local, domain, ok := strings.Cut(a, "@")
		if !ok || local == "" || !strings.Contains(domain, ".") {
			continue
		}
		tld := domain[strings.LastIndexByte(domain, '.')+1:]
		if len(tld) < 2 || slices.Contains(fileExts, tld) || strings.ContainsAny(tld, "0123456789") {
			continue
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// hasBracketedAt reports whether text holds "[at]", "(arobase)", "{ at }"
// or the like, as obfuscatedRe needs when there is no "@".
func hasBracketedAt(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c != '[' && c != '(' && c != '{' {
			continue
		}
		rest := strings.TrimPrefix(text[i+1:], " ")
		for _, w := range []string{"at", "arobase", "chez"} {
			if len(rest) >= len(w) && strings.EqualFold(rest[:len(w)], w) {
				return true
			}
		}
	}
	return false
}

// containsFoldASCII reports whether s holds sub, an ASCII lower-case
// word, in any case.
func containsFoldASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// obfuscatedDomain rewrites "domaine (dot) fr" as "domaine.fr".
func obfuscatedDomain(d string) string {
	r := strings.NewReplacer("[dot]", ".", "(dot)", ".", "[point]", ".", "(point)", ".",
		"[ dot ]", ".", "( dot )", ".", "[ point ]", ".", "( point )", ".", " ", "")
	return r.Replace(d)
}

// --- Degree and language ----------------------------------------------------

// degreeRe matches the degree asked for, as written.
var degreeRe = regexp.MustCompile(`(?i)\bbac ?\+ ?\d(?: ?(?:à|a|ou|/|-|–|to|or) ?(?:bac ?)?\+? ?\d\b)?|\bmaster'?s?(?: degree)?(?: ?(?:1|2|I{1,2})\b(?: ?(?:ou|/|et|or|-|–) ?(?:master ?)?(?:1|2|I{1,2})\b)?)?|\b(?:licence|bachelor)(?:'s)?(?: degree| pro(?:fessionnelle)?)?(?: ?[123]\b)?|\bdoctorat|(?:\be|é)cole d'ing[ée]nieurs?|(?:\be|é)cole de commerce|\bengineering school|\bbusiness school`)

// degreeM matches M1, M2, "M1/M2" and acronyms in capitals only: "20 m2"
// is a surface and "but" a conjunction.
var degreeM = regexp.MustCompile(`\bM[12](?: ?(?:/|ou|or|-|–|et) ?M?[12])?\b|\b(?:L3|BTS|DUT|BUT|DEUST|MBA|PhD|Ph\.D\.?)\b`)

// degreeContext are the words of a line about studies.
var degreeContext = regexp.MustCompile(`(?i)formation|dipl[ôo]m|niveau|[ée]tudiant|profil|education|degree|student|enrolled|cursus|[ée]tudes|level|qualification`)

func readDegree(lines []factLine) string {
	find := func(s string) string {
		a := degreeRe.FindStringIndex(s)
		b := degreeM.FindStringIndex(s)
		switch {
		case a == nil && b == nil:
			return ""
		case a == nil || b != nil && b[0] < a[0]:
			return s[b[0]:b[1]]
		}
		return s[a[0]:a[1]]
	}
	// Labelled lines, then lines about studies, then anywhere.
	for _, l := range lines {
		if l.label != "" && mayHaveDegree(l) && hasLabel(l.label, "formation", "diplome", "diplomes", "niveau", "niveau d'etudes",
			"profil", "education", "degree", "level", "qualification", "niveau requis", "cursus", "etudes") {
			if d := find(l.value); d != "" {
				return cleanDegree(d)
			}
		}
	}
	var any string
	for _, l := range lines {
		if !mayHaveDegree(l) {
			continue
		}
		d := find(l.plain)
		if d == "" {
			continue
		}
		if degreeContext.MatchString(l.plain) {
			return cleanDegree(d)
		}
		if any == "" {
			any = d
		}
	}
	return cleanDegree(any)
}

// mayHaveDegree is a cheap test that spares the degree expressions most
// lines.
func mayHaveDegree(l factLine) bool {
	return l.has("bac", "master", "licence", "bachelor", "doctorat", "cole", "school", "phd", "mba", "m1", "m2", "l3", "bts", "dut", "but", "deust")
}

func cleanDegree(d string) string { return strings.Join(strings.Fields(d), " ") }

// frWords and enWords are frequent function words of each language.
var (
	frWords = wordSet("le la les des du de et est une un pour dans avec sur au aux vous nous qui que par en ou votre sont")
	enWords = wordSet("the and of to in is for with you we our are will be an as this that your from or by at")
)

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// readLanguage tells French from English by counting function words;
// French wins ties and texts without words.
func readLanguage(text string) string {
	var fr, en int
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) > 5 {
			continue
		}
		if frWords[w] {
			fr++
		}
		if enWords[w] {
			en++
		}
	}
	if en > fr {
		return "en"
	}
	return "fr"
}
