package deadline

import (
	"strings"
	"testing"
	"time"
)

// TestDeadlinePhrases pins how one sentence states, or does not state, the
// deadline: "kind date time last_day due" with "-" for empty fields and due
// to the minute in the reference location. A new cue, veto or criterion
// comes with one line here, besides its example in its table.
func TestDeadlinePhrases(t *testing.T) {
	opts := Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, paris(t))}
	tests := []struct{ text, want string }{
		{"Candidatures à envoyer avant le 30 novembre 2025 inclus.", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Date limite d'envoi des candidatures : le 15 décembre 2025 à 23h59", "explicit 2025-12-15 23:59 2025-12-15 2025-12-15T23:59"},
		{"Merci de postuler d'ici le 5 janvier 2026.", "explicit 2026-01-05 - 2026-01-05 2026-01-05T23:59"},
		{"Clôture des candidatures le 12/12/2025", "explicit 2025-12-12 - 2025-12-12 2025-12-12T23:59"},
		{"Les candidatures doivent être envoyées pour le 20 janvier 2026 au plus tard.", "explicit 2026-01-20 - 2026-01-20 2026-01-20T23:59"},
		{"Applications must be received by 9 January 2026.", "explicit 2026-01-09 - 2026-01-09 2026-01-09T23:59"},
		{"Please submit your application before Monday, 12 January 2026 (12:00 noon CET).", "explicit 2026-01-12 12:00 2026-01-12 2026-01-12T12:00"},
		{"Apply before 31 Dec.", "explicit 2025-12-31 - 2025-12-30 2025-12-31T00:00"},
		{"Les dossiers complets doivent nous parvenir avant le 1er mars 2026, délai de rigueur.", "explicit 2026-03-01 - 2026-02-28 2026-03-01T00:00"},
		{"Envoyer candidature avant fin novembre", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Candidatures jusqu'au 15 janvier 2026 minuit", "explicit 2026-01-15 - 2026-01-15 2026-01-15T23:59"},
		{"Postulez avant le 10/01", "explicit 2026-01-10 - 2026-01-09 2026-01-10T00:00"},
		{"CV et lettre de motivation à envoyer au plus tard le 3 novembre", "explicit 2025-11-03 - 2025-11-03 2025-11-03T23:59"},
		{"L'offre est valable jusqu'au 31 décembre 2025", "explicit 2025-12-31 - 2025-12-31 2025-12-31T23:59"},
		{"Merci de transmettre votre candidature avant le 15 novembre prochain.", "explicit 2025-11-15 - 2025-11-14 2025-11-15T00:00"},
		{"Applications due: Friday, December 5, 2025 by 5:00 p.m. EST", "explicit 2025-12-05 17:00 2025-12-05 2025-12-05T23:00"},
		{"Vous avez jusqu'au 20 novembre pour postuler.", "explicit 2025-11-20 - 2025-11-20 2025-11-20T23:59"},
		{"Apply by 12 noon on Friday 16 January 2026.", "explicit 2026-01-16 12:00 2026-01-16 2026-01-16T12:00"},
		{"Les candidatures sont ouvertes du 1er octobre au 30 novembre 2025.", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Candidatures du 6 au 24 janvier 2026 sur la plateforme.", "explicit 2026-01-24 - 2026-01-24 2026-01-24T23:59"},
		{"Applications must be submitted no later than 17:00 (UK time) on 14 November 2025.", "explicit 2025-11-14 17:00 2025-11-14 2025-11-14T18:00"},
		{"Expires: 12 Dec 2025", "explicit 2025-12-12 - 2025-12-12 2025-12-12T23:59"},
		{"Candidature avant le 15 mars 2026 à minuit.", "explicit 2026-03-15 00:00 2026-03-14 2026-03-15T00:00"},
		{"Envoyez votre candidature avant minuit le 15 mars 2026.", "explicit 2026-03-15 - 2026-03-15 2026-03-15T23:59"},
		{"Date limite de candidature : 15/03/2026 à minuit", "explicit 2026-03-15 - 2026-03-15 2026-03-15T23:59"},
		{"Merci d'envoyer vos candidatures avant le mois de décembre.", "explicit 2025-12-01 - 2025-11-30 2025-12-01T00:00"},
		{"Les candidatures doivent être déposées entre le 1er et le 30 novembre 2025.", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Envoyez votre candidature avant le 2 février 2026 (inclus).", "explicit 2026-02-02 - 2026-02-02 2026-02-02T23:59"},
		{"Dernier délai : 30 novembre 2025.", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Les candidatures doivent parvenir pour le 30 novembre 2025.", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Réception des candidatures jusqu'au 30 novembre 2025 (17h).", "explicit 2025-11-30 17:00 2025-11-30 2025-11-30T17:00"},
		{"Applications by 30 November 2025 (midnight GMT)", "explicit 2025-11-30 - 2025-11-30 2025-12-01T00:59"},
		{"Envoyez CV et lettre avant le 12 décembre.", "explicit 2025-12-12 - 2025-12-11 2025-12-12T00:00"},
		{"Adressez votre dossier avant le 12 décembre 2025.", "explicit 2025-12-12 - 2025-12-11 2025-12-12T00:00"},
		{"Date Limite Candidature : lundi 5 janvier 2026 23:59:00 heure de Paris", "explicit 2026-01-05 23:59 2026-01-05 2026-01-05T23:59"},
		{"Application period: from 5 January 2026 to 30 January 2026 at 12:00 (midday, Brussels time)", "explicit 2026-01-30 12:00 2026-01-30 2026-01-30T12:00"},
		{"Début du stage\n2 mars 2026\nDate limite de candidature\n19 décembre 2025", "explicit 2025-12-19 - 2025-12-19 2025-12-19T23:59"},
		{"**Closing date**\n\n30 November 2025", "explicit 2025-11-30 - 2025-11-30 2025-11-30T23:59"},
		{"Date limite : 15 décembre 2025\n1er mars 2026 : prise de poste", "explicit 2025-12-15 - 2025-12-15 2025-12-15T23:59"},
		{"Les vœux sont à saisir sur la plateforme avant le 1er décembre 2025 à 18h.", "explicit 2025-12-01 18:00 2025-12-01 2025-12-01T18:00"},
		{"Priority deadline: December 1, 2025\nFinal deadline: January 16, 2026", "explicit 2026-01-16 - 2026-01-16 2026-01-16T23:59"},
		{"Date limite prioritaire : 20 novembre 2025 ; date limite : 5 janvier 2026.", "explicit 2026-01-05 - 2026-01-05 2026-01-05T23:59"},
		{"En 2025 (candidatures closes le 15 mars 2025). Pour 2026, envoyez votre dossier jusqu'au 13 mars 2026.", "explicit 2026-03-13 - 2026-03-13 2026-03-13T23:59"},
		{"La date limite de candidature a été repoussée au 10 décembre 2025.", "explicit 2025-12-10 - 2025-12-10 2025-12-10T23:59"},
		{"Stage de 6 mois à partir de février 2026.", "estimated 2026-01-02 - 2026-01-02 2026-01-02T23:59"},
		{"Date limite : 10 septembre 2025 (offre clôturée).\nAutre offre : candidatures avant le 12 décembre 2025.", "explicit 2025-12-12 - 2025-12-11 2025-12-12T00:00"},
		{"Apply before 12/15/2025.", "explicit 2025-12-15 - 2025-12-14 2025-12-15T00:00"},
		{"Clôture des candidatures le 1 er février 2026.", "explicit 2026-02-01 - 2026-02-01 2026-02-01T23:59"},
		{"Candidatures jusqu'au 1ᵉʳ janvier 2026 inclus.", "explicit 2026-01-01 - 2026-01-01 2026-01-01T23:59"},
		{"Dépôt des candidatures jusqu'au lundi 15 décembre 2025 inclus à 12h00.", "explicit 2025-12-15 12:00 2025-12-15 2025-12-15T12:00"},
		{"Les candidatures devront nous parvenir le 15 décembre 2025 prochain au plus tard.", "explicit 2025-12-15 - 2025-12-15 2025-12-15T23:59"},
		{"Candidatures avant le 15/12 minuit", "explicit 2025-12-15 00:00 2025-12-14 2025-12-15T00:00"},
		{"Les candidatures sont à envoyer avant le 15\nmars 2026 à l'adresse suivante.", "explicit 2026-03-15 - 2026-03-14 2026-03-15T00:00"},
		{"Les candidatures pour la session 2025 étaient ouvertes jusqu'au 31 janvier 2025.", "none - - - -"},
		{"Applications were due on 15 March 2025.", "none - - - -"},
		{"Candidatures à partir de janvier 2026.", "none - - - -"},
		{"Diplôme obtenu from 2024.", "none - - - -"},
		{"Publié le\n12/11/2025\nStage", "none - - - -"},
		{"Vous serez en charge du suivi des candidatures des saisonniers jusqu'au 31 juillet 2026.", "none - - - -"},
		{"Le stagiaire préparera les dossiers de subvention à rendre avant le 15 mars 2026.", "none - - - -"},
		{"Stage de 6 mois à partir du 2 mars 2026, candidatures à rh@x.fr.", "none - - - -"},
		{"Publiée le 3 octobre 2025 – Candidatures : rh@x.fr", "none - - - -"},
		{"Les résultats seront communiqués aux candidats le 15 janvier 2026.", "none - - - -"},
		{"Le festival se tiendra du 3 au 6 juillet 2026 ; envoyez votre candidature à festival@x.fr.", "none - - - -"},
		{"Nous avons reçu 300 candidatures en 2024.", "none - - - -"},
		{"Contact : 06 12 34 56 78, candidature par mail.", "none - - - -"},
		{"Stage de 35h par semaine, Bac+5, 75011 Paris. Postuler via le site.", "none - - - -"},
		{"Applications open on 1 December 2025.", "none - - - -"},
		{"Candidatures ouvertes à partir du 1er décembre 2025.", "none - - - -"},
		{"Le dossier de presse sera envoyé aux journalistes avant le 10 mars 2026.", "none - - - -"},
		{"Une réponse vous sera donnée avant le 15 janvier 2026. Merci d'envoyer votre candidature.", "none - - - -"},
		{"Vous candidaterez avant tout pour apprendre. Stage en mars 2026.", "none - - - -"},
		{"Envoyez votre CV avant de rejoindre notre équipe le 5 janvier 2026.", "none - - - -"},
		{"Les candidats retenus recevront une réponse avant le 15 décembre 2025.", "none - - - -"},
		{"Vous devez être inscrit dans un établissement d'enseignement supérieur jusqu'au 31 août 2026.", "none - - - -"},
		{"Envoyez votre CV. Stage jusqu'au 31 août 2026.", "none - - - -"},
		{"Réponse aux candidats avant le 15 décembre 2025.", "none - - - -"},
		{"Candidats non européens : visa valide jusqu'au 30/06/2026 au minimum.", "none - - - -"},
		{"Titre de séjour valable jusqu'au 30 juin 2026 exigé pour les candidats.", "none - - - -"},
		{"Les étudiants déposent leur demande de bourse avant le 1er décembre 2025.", "none - - - -"},
		{"Ancienne date limite : 5 décembre 2025\nNouvelle date limite : 19 décembre 2025", "explicit 2025-12-19 - 2025-12-19 2025-12-19T23:59"},
		{"Date limite prolongée jusqu'au 20 janvier 2026 (initialement fixée au 10 janvier 2026).", "explicit 2026-01-20 - 2026-01-20 2026-01-20T23:59"},
		{"Inscription au forum obligatoire avant le 28 novembre 2025. Candidatures au stage jusqu'au 15 décembre 2025.", "explicit 2025-12-15 - 2025-12-15 2025-12-15T23:59"},
		{"Merci d'envoyer votre candidature\navant le 8 décembre 2025 à 18h.", "explicit 2025-12-08 18:00 2025-12-08 2025-12-08T18:00"},
		{"Date limite de candidature au stage : 12 décembre 2025.", "explicit 2025-12-12 - 2025-12-12 2025-12-12T23:59"},
		{"Poste en CDD du 05/01/2026 au 30/06/2026.", "estimated 2025-12-06 - 2025-12-06 2025-12-06T23:59"},
		{"Date limite : avant le 15 mars 2026.", "explicit 2026-03-15 - 2026-03-14 2026-03-15T00:00"},
		{"Le jury du concours photo se réunira le 18 décembre 2025.", "none - - - -"},
		{"Jury le 18 décembre 2025 : les candidats retenus seront convoqués.", "estimated 2025-12-17 - 2025-12-17 2025-12-17T23:59"},
		{"Closing date: Monday 12 January 2026 at 12 noon (UK time)", "explicit 2026-01-12 12:00 2026-01-12 2026-01-12T13:00"},
		{"Deadline for applications: 19 December 2025 at 13:00 (Lisbon time)", "explicit 2025-12-19 13:00 2025-12-19 2025-12-19T14:00"},
		{"Closing date: 12-Jan-2026", "explicit 2026-01-12 - 2026-01-12 2026-01-12T23:59"},
		{"Candidatures avant le 10.12 à rh@x.fr", "explicit 2025-12-10 - 2025-12-09 2025-12-10T00:00"},
		{"Envoyez votre CV avant le 1er/12.", "explicit 2025-12-01 - 2025-11-30 2025-12-01T00:00"},
		{"Le prix est de 10.12 euros. Envoyez votre CV.", "none - - - -"},
		{"Merci de postuler d'ici demain.", "none - - - -"},
		{"Ad closes: Sunday 7 December 2025 11:55 PM", "explicit 2025-12-07 23:55 2025-12-07 2025-12-07T23:55"},
		{"Last date to apply: 20/12/2025", "explicit 2025-12-20 - 2025-12-20 2025-12-20T23:59"},
		{"Send your CV by close of business on 5 December 2025.", "explicit 2025-12-05 - 2025-12-05 2025-12-05T23:59"},
		{"Email a CV to the office by COB Friday 12 December 2025.", "explicit 2025-12-12 - 2025-12-12 2025-12-12T23:59"},
		{"The shop floor is staffed from close of business on 5 December 2025.", "none - - - -"},
		{"Start date: May 1, 2026. Review of applications will continue until the\nposition is filled.", "none - - - -"},
		// Corrections and extensions: the newest statement wins.
		{"Date limite de candidature : 12 décembre 2025 reportée au 9 janvier 2026", "explicit 2026-01-09 - 2026-01-09 2026-01-09T23:59"},
		{"Candidatures avant le 20 décembre 2025.\nAppel prolongé jusqu'au 12 janvier 2026.", "explicit 2026-01-12 - 2026-01-12 2026-01-12T23:59"},
		{"Mise à jour : nouvelle date limite le 19 décembre 2025.\nDate limite : 5 décembre 2025", "explicit 2025-12-19 - 2025-12-19 2025-12-19T23:59"},
		{"La date limite de candidature est le 12 décembre 2025 et non le 5 décembre comme indiqué.", "explicit 2025-12-12 - 2025-12-12 2025-12-12T23:59"},
		// A label alone on its line, the value after blank lines.
		{"Date de fin de candidature\n\n\n22/12/2025", "explicit 2025-12-22 - 2025-12-22 2025-12-22T23:59"},
		// A label glued to its date.
		{"Expiration dateJanuary 20, 2026", "explicit 2026-01-20 - 2026-01-20 2026-01-20T23:59"},
		// Calendar lines that open with their date.
		{"- Monday 12 January 2026 : Deadline for application\n- Friday 30 January 2026 : Interviews", "explicit 2026-01-12 - 2026-01-12 2026-01-12T23:59"},
		{"15/01/2026 : clôture des candidatures\n26/01/2026 : entretiens", "explicit 2026-01-15 - 2026-01-15 2026-01-15T23:59"},
		// No deadline stated, in words: no estimate either.
		{"Date limite de candidature : non communiquée\nPrise de poste : 5 janvier 2026", "none - - - -"},
		{"Date limite : non précisée. Prise de poste : février 2026", "none - - - -"},
		// Windows end with their time, seconds read.
		{"Déposez votre dossier de candidature du 1 décembre 2025 00:00:00 au 5 janvier 2026 23:59:59.", "explicit 2026-01-05 23:59 2026-01-05 2026-01-05T23:59"},
		// Calls are applications.
		{"L'appel à participation est ouvert jusqu'au 17 décembre 2025.", "explicit 2025-12-17 - 2025-12-17 2025-12-17T23:59"},
		{"Recrutements ouverts jusqu'au 17 janvier 2026 - 23h59", "explicit 2026-01-17 23:59 2026-01-17 2026-01-17T23:59"},
		// Abbreviated weekdays and months.
		{"Clôture : mer. 4 févr. 2026", "explicit 2026-02-04 - 2026-02-04 2026-02-04T23:59"},
		{"Réponse souhaitée avant le ven. 9 janv. 2026", "explicit 2026-01-09 - 2026-01-08 2026-01-09T00:00"},
		// Other objects' and other people's deadlines.
		{"Inscriptions des bénévoles jusqu'au 15 janvier 2026 sur le site du festival.", "none - - - -"},
		{"Rappel aux familles : les inscriptions au BTS sont ouvertes jusqu'au 30 janvier 2026.", "none - - - -"},
		{"Les tuteurs doivent renvoyer la convention signée avant le 15 décembre 2025.", "none - - - -"},
		// A long clause between the label and its date.
		{"La date limite de réception des dossiers, transmis par les établissements d'accueil, est le jeudi 15 janvier 2026.", "explicit 2026-01-15 - 2026-01-15 2026-01-15T23:59"},
		// An abbreviation's full stop ends no sentence.
		{"Adressez CV et lettre sous la réf. 4JPG25012, avant le 31/12/2025, par courrier électronique.", "explicit 2025-12-31 - 2025-12-30 2025-12-31T00:00"},
	}
	for _, tt := range tests {
		d := read(t, tt.text, opts).Deadline
		due := "-"
		if d.DueAt != nil {
			due = d.DueAt.In(opts.Now.Location()).Format("2006-01-02T15:04")
		}
		got := strings.Join([]string{d.Kind, dash(d.Date), dash(d.Time), dash(d.LastDay), due}, " ")
		if got != tt.want {
			t.Errorf("%q:\n got %s (phrase %q)\nwant %s", tt.text, got, d.Phrase, tt.want)
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
