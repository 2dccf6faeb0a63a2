package facts

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/text"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

func ptr(f float64) *float64 { return &f }

// readFacts reads facts the way Parse does.
func readFacts(t *testing.T, data []byte) Facts {
	t.Helper()
	s, err := text.Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return Extract(text.Normalize(s))
}

func TestFactsTitle(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"labelled", "Entreprise : Acme\nIntitulé du poste : Chargé(e) de communication\n\nContexte\nblah", "Chargé(e) de communication"},
		{"generic header skipped", "OFFRE DE STAGE\n\nAssistant marketing digital\n\nContexte", "Assistant marketing digital"},
		{"generic prefix", "Offre de stage – Chargé de mission climat\n\nMissions :", "Chargé de mission climat"},
		{"quoted with dates", "STAGE\n\n« Médiateur scientifique » Mars à août 2026.\n", "Médiateur scientifique"},
		{"markdown", "# **Stage** — *Assistant·e de production*\n\n## Contexte", "Assistant·e de production"},
		{"english label", "Job title: Marketing Intern\nCompany: Acme Ltd", "Marketing Intern"},
		{"english header", "INTERNSHIP\n\nData Analyst Intern\n\nAbout us\nWe are a company.", "Data Analyst Intern"},
		{"no title", "Contexte :\nLa ville recrute un stagiaire pour six mois.", ""},
		{"sentence is no title", "Nous recherchons un stagiaire motivé pour notre équipe. Il aidera à tout.", ""},
		{"duration is no title", "Stage : 6 mois\nMissions : aider", ""},
		{"greeting is no title", "Bonjour,\n\nUne PME cherche un stagiaire.\nCordialement,\nLe service", ""},
		{"subject of a forward", "---------- Forwarded message ---------\nDe : A <a@b.fr>\nSubject: Stage graphiste\n\nBonjour,\n", "Stage graphiste"},
		{"org dash title", "Amnesty International France - Stage plaidoyer (H/F)\nDurée : 6 mois", "Stage plaidoyer (H/F)"},
		{"title bar org", "Software Engineering Intern – Backend (Go) | Orbit Labs\n", "Software Engineering Intern – Backend (Go)"},
		{"org header then title", "Université de Nantes - Offre d'emploi contractuel\nGestionnaire de scolarité (H/F)\n", "Gestionnaire de scolarité (H/F)"},
		{"stage kind then subject", "Stage M2 - Modélisation des glaciers alpins\nDurée : 6 mois", "Modélisation des glaciers alpins"},
		{"prose is no title", "Pixou simplifie la gestion de trésorerie des\nTPE. On cherche un·e Data Engineer.", ""},
		{"inner quotation kept", "Stage : Assistant(e) chargé(e) de mission « Industrie et innovation »\n", "Assistant(e) chargé(e) de mission « Industrie et innovation »"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readFacts(t, []byte(tt.in)).Title; got != tt.want {
				t.Errorf("Title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFactsOrganisation(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"label", "Structure d'accueil : Musée des Confluences (Lyon)\n", "Musée des Confluences"},
		{"english label", "Company: Acme Robotics, a start-up\n", "Acme Robotics"},
		{"caps header", "OFFRE DE STAGE\nMAIRIE DE SAINT-ÉTIENNE\n\nChargé de projet\n", "Mairie de Saint-Étienne"},
		{"association", "Contexte\nL'association Les Petits Débrouillards recrute un stagiaire.", "Les Petits Débrouillards"},
		{"est un", "Contexte\n\nCap Sciences est une association de culture scientifique.", "Cap Sciences"},
		{"recrute", "Contexte\n\nLe Muséum d'Histoire Naturelle recrute un stagiaire.", "Muséum d'Histoire Naturelle"},
		{"english is a", "About\n\nAcme Labs is a small company building robots.", "Acme Labs"},
		{"english at we", "About\n\nAt Octo Partners, we build software.", "Octo Partners"},
		{"public body", "Contexte :\nLa politique culturelle de Toulouse Métropole vise large.", "Toulouse Métropole"},
		{"pronoun is no name", "Contexte\n\nNous recrutons. Le stage est une belle occasion.", ""},
		{"acronym header", "OECD – Internship in the Economics Department\nLocation: Paris", "OECD"},
		{"agency header", "European Union Drugs Agency (EUDA)\nTraineeship notice – Data Science", "European Union Drugs Agency"},
		{"portal then org", "Service Civique - Unis-Cité\nMission : Accompagner des aînés (H/F)", "Unis-Cité"},
		{"label wins over header", "V.I.E – Chargé d'affaires\nBusiness France – Mon Volontariat International\nEntreprise : Aquaterra Solutions (eau)", "Aquaterra Solutions"},
		{"lone noun is no name", "Contexte\n\nThe Agency offers paid traineeships.", ""},
		{"relayed", "Salut à tous,\nStage dispo chez Kelvin Énergie (Nantes) pour 6 mois.", "Kelvin Énergie"},
		{"generic description is no name", "Analyste crédit - Banque de financement\nDurée : 6 mois", ""},
		{"never guessed", "Missions : accompagner les jeunes de Nanterre et Colombes lors de la Nuit des Musées.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readFacts(t, []byte(tt.in)).Organisation; got != tt.want {
				t.Errorf("Organisation = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFactsPlaces(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Place
	}{
		{"postal code", "Lieu : 12 rue de la Paix, 75002 Paris", []Place{{"12 rue de la Paix, 75002 Paris", "75002", "Paris"}}},
		{"next line", "Lieu de travail :\n4 place Bellecour 69002 Lyon\n", []Place{{"4 place Bellecour 69002 Lyon", "69002", "Lyon"}}},
		{"cedex", "Adresse : BP 53, 38041 Grenoble Cedex 9", []Place{{"BP 53, 38041 Grenoble Cedex 9", "38041", "Grenoble"}}},
		{"city only", "Localisation : Bordeaux. Déplacements ponctuels.", []Place{{"Bordeaux", "", "Bordeaux"}}},
		{"two cities", "Lieu : Nantes ou Rennes", []Place{{"Nantes", "", "Nantes"}, {"Rennes", "", "Rennes"}}},
		{"two sites", "Lieux : Siège, 1 rue A 13001 Marseille et Antenne, 2 rue B 83000 Toulon", []Place{
			{"Siège, 1 rue A 13001 Marseille", "13001", "Marseille"}, {"Antenne, 2 rue B 83000 Toulon", "83000", "Toulon"},
		}},
		{"english", "Location: London, UK", []Place{{"London, UK", "", "London"}}},
		{"remote", "Location: Remote", []Place{{"Remote", "", ""}}},
		{"based in", "Le poste est basé à Clermont-Ferrand, au sein de l'équipe.", []Place{{"Clermont-Ferrand", "", "Clermont-Ferrand"}}},
		{"email label is not a place", "Adresse mail : a@b.fr", nil},
		{"inline", "Recrutement pour 5 mois. Lieu : Montreuil (93). Contact : a@b.fr", []Place{{"Montreuil (93)", "", "Montreuil"}}},
		{"none", "Les jeunes de Nanterre et Colombes.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readFacts(t, []byte(tt.in)).Places; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Places = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFactsTerms(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		duration string
		hours    *float64
		stipend  string
	}{
		{"french labels", "Durée : 6 mois\nVolume horaire : 35 heures par semaine\nGratification : 4,35 €/heure", "6 mois", ptr(35), "4,35 €/heure"},
		{"range and weekly", "Stage de 4 à 6 mois, 35h/semaine, stage gratifié.", "4 à 6 mois", ptr(35), "stage gratifié"},
		{"hours with minutes", "Temps de travail : 24h30 hebdomadaires", "", ptr(24.5), ""},
		{"hours label only", "Horaires : 28 h", "", ptr(28), ""},
		{"daily hours ignored", "Horaires : 7 h par jour", "", nil, ""},
		{"stipend text", "Rémunération : selon la réglementation en vigueur. Tickets restaurant.", "", nil, "selon la réglementation en vigueur"},
		{"stipend in body", "La gratification est de 650 € brut par mois.", "", nil, "650 € brut par mois"},
		{"stipend per hour", "Gratification : 4,35 € brut de l'heure", "", nil, "4,35 € brut de l'heure"},
		{"english", "Duration: 6 months\nHours: 35 hours per week\nSalary: £1,200 per month", "6 months", ptr(35), "£1,200 per month"},
		{"english paid", "This is a paid internship of three months, full time (40-hour week).", "three months", ptr(40), "paid internship"},
		{"ages are no duration", "Pour les jeunes de 16-25 ans, depuis 3 mois.", "", nil, ""},
		{"full time alone", "Temps plein.", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readFacts(t, []byte(tt.in))
			if f.Duration != tt.duration {
				t.Errorf("Duration = %q, want %q", f.Duration, tt.duration)
			}
			if !reflect.DeepEqual(f.HoursPerWeek, tt.hours) {
				t.Errorf("HoursPerWeek = %v, want %v", deref(f.HoursPerWeek), deref(tt.hours))
			}
			if f.Stipend != tt.stipend {
				t.Errorf("Stipend = %q, want %q", f.Stipend, tt.stipend)
			}
		})
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func TestFactsContacts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain and dedup", "Écrire à Jean.Dupont@Ville.fr ou jean.dupont@ville.fr.", []string{"jean.dupont@ville.fr"}},
		{"order", "a@x.fr\nb@y.org, c@z.com", []string{"a@x.fr", "b@y.org", "c@z.com"}},
		{"at brackets", "Contact : marie [at] asso-exemple.fr", []string{"marie@asso-exemple.fr"}},
		{"at parentheses", "marie (at) asso (dot) fr", []string{"marie@asso.fr"}},
		{"spaced", "Envoyer à nom @ domaine . fr. Merci", []string{"nom@domaine.fr"}},
		{"markdown mailto", "[m.l@grenoble.fr](mailto:m.l@grenoble.fr)", []string{"m.l@grenoble.fr"}},
		{"encoded mailto", "<mailto:jean%40ville.fr>", []string{"jean@ville.fr"}},
		{"urls are not contacts", "www.groupe-traces.fr https://medium.com/@someone logo@2x.png", nil},
		{"english", "Contact: Jane Doe <Jane.Doe@Example.co.uk>", []string{"jane.doe@example.co.uk"}},
	}
	// A line of thousands of addresses is no line of an offer: the first
	// maxAts "@" are read, the rest not.
	var many strings.Builder
	var first []string
	for i := range 3 * maxAts {
		a := fmt.Sprintf("n%d@x.fr", i)
		many.WriteString(a + " ")
		if i < maxAts {
			first = append(first, a)
		}
	}
	tests = append(tests, struct {
		name string
		in   string
		want []string
	}{"many on one line", many.String(), first})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readFacts(t, []byte(tt.in)).Contacts; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Contacts = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFactsDegreeAndLanguage(t *testing.T) {
	tests := []struct{ name, in, degree, lang string }{
		{"bac range", "Diplôme(s) : bac + 4 à bac +5 – Master en sciences", "bac + 4 à bac +5", "fr"},
		{"master", "Étudiant(e) en Master 2 ou équivalent, vous êtes autonome.", "Master 2", "fr"},
		{"m1 m2", "Profil : étudiant M1/M2 en droit", "M1/M2", "fr"},
		{"bac slash", "Profil : Bac+4/5 en communication", "Bac+4/5", "fr"},
		{"surface is no degree", "Bureau de 20 m2 pour le stage, but unique", "", "fr"},
		{"english", "Education: currently enrolled in a Master's degree in Data Science. You will join our team and the work is fun.", "Master's degree", "en"},
		{"school", "Vous êtes en école de commerce ou d'ingénieur.", "école de commerce", "fr"},
		{"empty", "", "", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readFacts(t, []byte(tt.in))
			if f.Degree != tt.degree {
				t.Errorf("Degree = %q, want %q", f.Degree, tt.degree)
			}
			if f.Language != tt.lang {
				t.Errorf("Language = %q, want %q", f.Language, tt.lang)
			}
		})
	}
}

// TestFactsSeeds checks the facts of the seed offers.
func TestFactsSeeds(t *testing.T) {
	tests := []struct {
		file string
		want Facts
	}{
		{"000_dc2ab0cf186ec50a.txt", Facts{
			Title:        "Assistant.e Chargé.e de projets Ingénierie culturelle",
			Organisation: "Territoire de Sciences",
			Places: []Place{
				{"La Casemate, 2 place Saint-Laurent 38000 Grenoble", "38000", "Grenoble"},
				{"Cosmocité, 85 cours Saint André 38800 Le Pont-de-Claix", "38800", "Le Pont-de-Claix"},
			},
			HoursPerWeek: ptr(35),
			Stipend:      "4,35 € par heure de présence",
			Contacts:     []string{"ahlem.elafani@territoire-de-sciences.fr"},
			Degree:       "Master",
			Language:     "fr",
		}},
		{"001_09371f40c7ee9b64.txt", Facts{
			Title:        "Assistant de développement de partenariats locaux autour d'une exposition participative",
			Organisation: "Traces",
			Places:       []Place{{"23 rue des Balkans - 75020 Paris", "75020", "Paris"}},
			Duration:     "4 à 6 mois",
			HoursPerWeek: ptr(35),
			Stipend:      "Stage indemnisé",
			Contacts:     []string{"charlotte.barrois-de-sarigny@groupe-traces.fr", "sandrine.bron@espci.fr"},
			Degree:       "Bac + 3",
			Language:     "fr",
		}},
		{"002_9ca7c5b4917ffffb.txt", Facts{Language: "fr"}},
		{"003_c9f1a2cb798004ff.txt", Facts{
			Title:        "Coopération décentralisée zone Maghreb/Proche-Orient",
			Organisation: "Ville de Grenoble",
			Places:       []Place{{"Direction Ville Ouverte, 2 Passage du Palais de justice, Grenoble", "", "Grenoble"}},
			Duration:     "4 à 6 mois",
			Stipend:      "stage gratifié",
			Contacts:     []string{"mathilde.lestra@grenoble.fr"},
			Degree:       "Master 1 ou 2",
			Language:     "fr",
		}},
		{"004_53de70d564f89c27.txt", Facts{
			Organisation: "Grenoble Alpes Métropole",
			HoursPerWeek: ptr(35),
			Stipend:      "4,05€ / heure effective",
			Degree:       "bac + 4 à bac +5",
			Language:     "fr",
		}},
	}
	seeds := seedtest.Files(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, ok := seeds[tt.file]
			if !ok {
				t.Fatalf("no seed %s", tt.file)
			}
			got := readFacts(t, data)
			if got.Title != tt.want.Title {
				t.Errorf("Title = %q, want %q", got.Title, tt.want.Title)
			}
			if got.Organisation != tt.want.Organisation {
				t.Errorf("Organisation = %q, want %q", got.Organisation, tt.want.Organisation)
			}
			if !reflect.DeepEqual(got.Places, tt.want.Places) {
				t.Errorf("Places = %+v, want %+v", got.Places, tt.want.Places)
			}
			if got.Duration != tt.want.Duration {
				t.Errorf("Duration = %q, want %q", got.Duration, tt.want.Duration)
			}
			if !reflect.DeepEqual(got.HoursPerWeek, tt.want.HoursPerWeek) {
				t.Errorf("HoursPerWeek = %v, want %v", deref(got.HoursPerWeek), deref(tt.want.HoursPerWeek))
			}
			if got.Stipend != tt.want.Stipend {
				t.Errorf("Stipend = %q, want %q", got.Stipend, tt.want.Stipend)
			}
			if !reflect.DeepEqual(got.Contacts, tt.want.Contacts) {
				t.Errorf("Contacts = %q, want %q", got.Contacts, tt.want.Contacts)
			}
			if got.Degree != tt.want.Degree {
				t.Errorf("Degree = %q, want %q", got.Degree, tt.want.Degree)
			}
			if got.Language != tt.want.Language {
				t.Errorf("Language = %q, want %q", got.Language, tt.want.Language)
			}
		})
	}
}
