package deadline

import (
	"slices"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file holds the table of cues: the phrases that, before a date in
// its sentence, give the date a role. A cue is data: a name, the role it
// gives, how it gives it (its kind), the phrases that write it and one
// example that TestCueExamples reads. The engine that applies them is in
// candidate.go; nobody edits it to add a cue.

// cueKind says how a cue gives its role; candidate.go's take applies it.
type cueKind uint8

const (
	// kindPlain gives the cue's role.
	kindPlain cueKind = iota
	// kindStated states a deadline by itself ("date limite").
	kindStated
	// kindWeak gives a deadline only in a sentence about applying ("avant
	// le", "au plus tard"), or after a stated deadline cue earlier in the
	// sentence ("date limite prolongée jusqu'au").
	kindWeak
	// kindUntil is kindWeak, else the end of the internship ("jusqu'au").
	kindUntil
	// kindRange gives a deadline, the end of a closed range, in a sentence
	// about applying ("candidatures du 6 au 24 janvier").
	kindRange
	// kindOpen gives a start, unless the sentence is about applying or the
	// date is a bare year ("à partir de février 2026").
	kindOpen
	// kindSpan gives its role to a closed range only ("CDD du 5 janvier
	// au 30 juin").
	kindSpan
)

// cueRule is one entry of the table: a named group of phrases that give
// their date the same role in the same way.
type cueRule struct {
	name string
	role string
	kind cueKind
	// before marks a deadline that is the day before the date ("avant
	// le 31 octobre": 30 October is the last day).
	before bool
	// near requires the date to follow at once, small words aside (see
	// gapWords).
	near bool
	// otherwise is the role given instead in a sentence that is not about
	// applying, "" for the same role: a jury that meets with no word of
	// candidates judges a contest ("le jury du concours photo se réunira
	// le 18 décembre").
	otherwise string
	// alsoAfter lets the cue give its role from right after the date, in
	// the same clause, when no cue stands before it ("le 3 mars, journée
	// portes ouvertes").
	alsoAfter bool
	// phrases write the cue; each is folded and tokenised as the text is,
	// but for written ones.
	phrases []string
	// written phrases are matched as written, not folded: "dès" is a
	// start, the article "des" is not.
	written bool
	// example is a sentence in which the cue gives its date its role.
	example string
}

// cueRules are the cues, in an order that settles ties: of two cues that
// end at the same token and have as many words, the first listed wins.
var cueRules = []cueRule{
	// A deadline moved or corrected: "reportée au 9 janvier 2026",
	// "prolongé jusqu'au 12 janvier", "extended to 15 December"; the
	// ranking puts it before the deadline it replaces.
	{name: "correction", role: RoleDeadline, kind: kindStated, near: true,
		phrases: []string{"nouvelle date limite", "nouvelle date de clôture", "new deadline", "reportée au",
			"reporté au", "reportées au", "repoussée au", "repoussé au", "prolongée jusqu'au", "prolongé jusqu'au",
			"prolongées jusqu'au", "prolongés jusqu'au", "prolongée au", "prolongé au", "décalée au", "extended to",
			"extended until", "extended till", "postponed to", "postponed until", "moved to"},
		example: "Date limite de candidature : 12 décembre 2025 reportée au 9 janvier 2026"},
	{name: "date-limite", role: RoleDeadline, kind: kindStated,
		phrases: []string{"date limite", "date-limite", "dates limites", "limite de candidature",
			"limite de candidatures", "limite de dépôt", "date butoir"},
		example: "Date limite : 15 décembre 2025"},
	{name: "deadline", role: RoleDeadline, kind: kindStated,
		phrases: []string{"deadline", "closing date", "no later than", "apply by", "applications close"},
		example: "Please send your resume no later than 3 November 2025."},
	{name: "cloture", role: RoleDeadline, kind: kindStated,
		phrases: []string{"clôture des candidatures", "clôture", "fin des candidatures", "fin de candidature",
			"fin de candidatures", "date de fin de candidature", "date de fin des candidatures",
			"date de fin de dépôt", "fin du dépôt des candidatures", "fin des inscriptions"},
		example: "Clôture des candidatures le 12/12/2025"},
	{name: "a-retourner", role: RoleDeadline, kind: kindStated,
		phrases: []string{"à retourner", "à envoyer"},
		example: "Fiche d'inscription à retourner le 5 décembre 2025."},
	{name: "delai", role: RoleDeadline, kind: kindStated,
		phrases: []string{"dernier délai", "délai de candidature", "délai de dépôt", "délai d'envoi",
			"délai de réception"},
		example: "Dernier délai : 30 novembre 2025."},
	{name: "valable-jusqu-au", role: RoleDeadline, kind: kindStated,
		phrases: []string{"valable jusqu'au", "valable jusqu'à", "valid until", "valid through"},
		example: "L'offre est valable jusqu'au 31 décembre 2025"},
	{name: "expires", role: RoleDeadline, kind: kindStated,
		phrases: []string{"expires", "expire", "expiration", "expiry", "date d'expiration"},
		example: "Expires: 12 Dec 2025"},
	// "Ad closes: Sunday 7 December", "Last date to apply: 20/12/2025".
	{name: "ad-closes", role: RoleDeadline, kind: kindStated,
		phrases: []string{"ad closes", "advert closes", "advertisement closes", "job ad closes",
			"last date to apply", "last day to apply", "last date for applications",
			"last date of application", "last date for receipt of applications"},
		example: "Last date to apply: 20/12/2025"},
	{name: "due", role: RoleDeadline, kind: kindStated, near: true,
		phrases: []string{"due", "due date", "due by", "due on"},
		example: "Applications due: Friday, December 5, 2025 by 5:00 p.m. EST"},
	{name: "apply-before", role: RoleDeadline, kind: kindStated, before: true, near: true,
		phrases: []string{"apply before"},
		example: "Apply before 31 Dec."},
	// A label about applications right before its date: "Envoi des
	// candidatures : 31 janvier 2026".
	{name: "candidatures-label", role: RoleDeadline, kind: kindStated, near: true,
		phrases: []string{"candidatures :", "candidature :", "dossiers :", "applications :"},
		example: "Envoi des candidatures : 31 janvier 2026"},
	// "The application window … closes at 11am on 5 February".
	{name: "closes", role: RoleDeadline, kind: kindWeak,
		phrases: []string{"closes", "close on", "close at", "closing", "clôturées", "se clôtureront"},
		example: "The application window closes at 11am on 5 February 2026."},
	{name: "avant", role: RoleDeadline, kind: kindWeak, before: true, near: true,
		phrases: []string{"avant", "before"},
		example: "Envoyez votre candidature avant le 31 octobre 2025."},
	{name: "au-plus-tard", role: RoleDeadline, kind: kindWeak, near: true,
		phrases: []string{"au plus tard", "by", "d'ici", "pour le"},
		example: "Envoyez CV et lettre au plus tard le 10 décembre 2025."},
	// "by close of business on 5 December", "by COB Friday 12 December":
	// the end of the working day is no stated time, the date is the last
	// day.
	{name: "close-of-business", role: RoleDeadline, kind: kindWeak, near: true,
		phrases: []string{"close of business", "cob", "close of play", "end of business", "end of day", "eod"},
		example: "Send your CV by close of business on 5 December 2025."},
	{name: "applications-open", role: RoleDeadline, kind: kindRange, near: true,
		phrases: []string{"candidatures", "candidature", "inscriptions", "applications", "ouvertes", "ouverte", "open",
			"déposées", "acceptées", "reçues", "accepted", "received", "application period",
			"application window", "période de candidature", "période de candidatures",
			"période d'inscription", "période de dépôt", "dépôt des candidatures", "dépôt des dossiers"},
		example: "Candidatures du 6 au 24 janvier 2026 sur la plateforme."},
	{name: "jusqu-au", role: RoleDeadline, kind: kindUntil, near: true,
		phrases: []string{"jusqu'au", "jusqu'à", "jusqu'en", "until"},
		example: "Candidatures jusqu'au 15 novembre 2025."},
	{name: "start", role: RoleStart, kind: kindPlain,
		phrases: []string{"démarrage", "date de début", "début du stage", "début de stage",
			"début de la mission", "début", "commencement", "à compter du", "à compter de", "prise de poste",
			"prise de fonction", "prise de fonctions", "entrée en fonction", "start date", "starting", "start",
			"starts", "commencera", "commence", "débutera", "available from", "disponible", "disponibilité"},
		example: "Date de début : 2 mars 2026."},
	// "à partir de février 2026" opens like "à partir du 2 février",
	// which the grammar reads as an open range.
	{name: "a-partir-de", role: RoleStart, kind: kindOpen, near: true,
		phrases: []string{"à partir de", "à partir d'", "from"},
		example: "Stage de 6 mois à partir de février 2026."},
	// A V.I.E's departure, as a label: "Départ : 1er avril 2026".
	{name: "depart", role: RoleStart, kind: kindPlain, near: true,
		phrases: []string{"départ :", "date de départ"},
		example: "Départ : 1er avril 2026"},
	{name: "des", role: RoleStart, kind: kindPlain, written: true,
		phrases: []string{"dès"},
		example: "Poste à pourvoir dès le 5 janvier 2026."},
	{name: "end", role: RoleEnd, kind: kindPlain,
		phrases: []string{"fin du stage", "fin de stage", "date de fin", "end date", "se terminera", "terminera"},
		example: "Fin du stage : 31 août 2026."},
	{name: "dates", role: RolePeriod, kind: kindPlain,
		phrases: []string{"dates", "période", "dates du stage", "période de stage"},
		example: "Période de stage : du 2 mars au 28 août 2026."},
	// The contract or the internship right before its dates: "en CDD du
	// 05/01/2026 au 30/06/2026", "stage du 13 avril au 28 août".
	{name: "contract", role: RolePeriod, kind: kindSpan, near: true,
		phrases: []string{"cdd", "contrat", "stage", "internship", "mission"},
		example: "Poste en CDD du 05/01/2026 au 30/06/2026."},
	{name: "interview", role: RoleInterview, kind: kindPlain, alsoAfter: true,
		phrases: []string{"entretien", "entretiens", "interview", "interviews"},
		example: "Les entretiens auront lieu le 3 décembre 2025."},
	{name: "jury", role: RoleInterview, kind: kindPlain, alsoAfter: true, otherwise: RoleEvent,
		phrases: []string{"jury", "jurys"},
		example: "Le jury du concours photo se réunira le 18 décembre 2025."},
	{name: "audition", role: RoleInterview, kind: kindPlain, alsoAfter: true,
		phrases: []string{"audition", "auditions", "oraux", "convoqué", "convoqués", "convoquées", "convocation"},
		example: "Les candidats retenus seront convoqués le 10 décembre 2025."},
	{name: "event", role: RoleEvent, kind: kindPlain, alsoAfter: true,
		phrases: []string{"événement", "événements", "évènement", "évènements", "exposition", "expositions",
			"festival", "journées", "journée", "fête", "salon", "rencontre", "rencontres", "conférence",
			"colloque", "accueillera", "accueil", "organisée", "organisé", "aura lieu", "se tiendra", "édition",
			"éditée", "manifestation", "nuit", "forum", "hackathon", "programmation", "séminaire", "atelier",
			"event", "events", "exhibition", "conference", "workshop"},
		example: "Le festival se tiendra du 3 au 6 juillet 2026."},
	// The employer's answer, not the candidate's: "les candidats retenus
	// recevront une réponse avant le 15 décembre".
	{name: "answer", role: RoleOther, kind: kindPlain,
		phrases: []string{"recevront une réponse", "recevront une reponse", "réponse sera", "réponse vous sera",
			"réponses seront", "seront informés", "seront informées", "serez informé", "serez informée",
			"seront contactés", "seront contactées", "serez contacté", "serez contactée", "will be notified",
			"will be informed", "will be contacted", "hear back", "hear from us", "résultats",
			// "Réponse aux candidats avant le 15 décembre".
			"réponse aux candidats", "réponse aux candidates", "réponses aux candidats",
			"réponse aux candidatures", "réponses aux candidatures", "retour aux candidats",
			"reply to applicants", "replies to applicants"},
		example: "Les candidats retenus recevront une réponse avant le 15 décembre 2025."},
	// "depuis 2022", "since 2019": the past, whatever comes before.
	{name: "since", role: RoleOther, kind: kindPlain, near: true,
		phrases: []string{"depuis", "since"},
		example: "L'association organise le festival depuis 2019."},
	{name: "posting", role: RolePosting, kind: kindPlain,
		phrases: []string{"publié le", "publiée le", "publié", "publiée", "mise en ligne", "date de publication",
			"posted", "published", "parution"},
		example: "Publiée le 3 octobre 2025."},
}

// afterRule is a deadline cue read right after its date, in a sentence
// about applying: "pour le 20 janvier au plus tard".
type afterRule struct {
	name    string
	phrases []string
	example string
}

// afterRules are the cues read after a date; the first that matches wins.
var afterRules = []afterRule{
	{name: "au-plus-tard-after", phrases: []string{"au plus tard", "at the latest", "latest"},
		example: "Les candidatures devront nous parvenir le 15 décembre 2025 prochain au plus tard."},
	{name: "delai-after", phrases: []string{"dernier délai", "délai de rigueur"},
		example: "Envoyez votre candidature le 10 janvier 2026, dernier délai."},
}

// cue is one phrase of a rule, tokenised.
type cue struct {
	words []string
	*cueRule
}

// cues are the phrases of cueRules in table order; a cue's index in it
// settles ties. afterCues are those of afterRules, in table order.
var cues, afterCues = func() ([]cue, []afterCue) {
	// All the phrases are tokenised at once (see phrases); a written
	// one is its own word.
	var texts []string
	for _, r := range cueRules {
		texts = append(texts, r.phrases...)
	}
	for _, r := range afterRules {
		texts = append(texts, r.phrases...)
	}
	words := phrases(texts...)
	cs := make([]cue, 0, len(words))
	for i := range cueRules {
		r := &cueRules[i]
		for k := range r.phrases {
			ws := words[k]
			if r.written {
				ws = r.phrases[k : k+1 : k+1]
			}
			cs = append(cs, cue{words: ws, cueRule: r})
		}
		words = words[len(r.phrases):]
	}
	as := make([]afterCue, 0, len(words))
	for i := range afterRules {
		r := &afterRules[i]
		for k := range r.phrases {
			as = append(as, afterCue{words: words[k], rule: r})
		}
		words = words[len(r.phrases):]
	}
	return cs, as
}()

// afterCue is one phrase of an afterRule, tokenised.
type afterCue struct {
	words []string
	rule  *afterRule
}

// cueIndex maps the first word of each cue to the cues' indices, so that a
// sentence is matched against the few cues its words can start.
var cueIndex = func() map[string][]int {
	// The indices sorted by first word, in table order for each, and
	// each word's run of them sliced from the one array.
	all := make([]int, len(cues))
	for ci := range all {
		all[ci] = ci
	}
	slices.SortStableFunc(all, func(a, b int) int { return strings.Compare(cues[a].words[0], cues[b].words[0]) })
	idx := make(map[string][]int, len(all))
	for a := 0; a < len(all); {
		w := cues[all[a]].words[0]
		b := a + 1
		for b < len(all) && cues[all[b]].words[0] == w {
			b++
		}
		idx[w] = all[a:b:b]
		a = b
	}
	return idx
}()

// cueFirst are the first words of cues, to pass over at once the words
// that start none.
var cueFirst = func() (f firstWords) {
	for _, cu := range cues {
		f.add(cu.words[0])
	}
	return f
}()

// eachCue calls fn with the index of every cue that matches ts and where,
// in the order of ts.
func eachCue(ts text.Tokens, fn func(ci, at int)) {
	for i := range ts.Len() {
		t := ts.At(i)
		if t.Kind == text.Number {
			continue
		}
		s := ts.S(i)
		if cueFirst.may(s) {
			for _, ci := range cueIndex[s] {
				if matchRest(ts, i, cues[ci].words) {
					fn(ci, i)
				}
			}
		}
		// "dès" is written with its accent, so the token is "des".
		if t.Accent() && s == "des" {
			for _, ci := range cueIndex["dès"] {
				if matchRest(ts, i, cues[ci].words) {
					fn(ci, i)
				}
			}
		}
	}
}
