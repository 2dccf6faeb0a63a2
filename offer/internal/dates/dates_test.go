package dates

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/text"
)

// describe renders dates as "text|start|end|grain", joined by " ; ".
func describe(ds []Date) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Text+"|"+d.StartString()+"|"+d.EndString()+"|"+d.Grain.String())
	}
	return strings.Join(parts, " ; ")
}

func TestFindDates(t *testing.T) {
	loc := paris(t)
	ref := time.Date(2025, 10, 1, 12, 0, 0, 0, loc)
	tests := []struct {
		text, want string
	}{
		{"31 octobre 2025", "31 octobre 2025|2025-10-31||day"},
		{"le 1er février", "1er février|2026-02-01||day"},
		{"premier mars", "premier mars|2026-03-01||day"},
		{"jeudi 1er février 2018", "jeudi 1er février 2018|2018-02-01||day"},
		{"lundi 3 mars", "lundi 3 mars|2026-03-03||day"},
		{"5 janv. 2026, 3 févr. 2026, 2 sept. 2026, 4 Oct 2026",
			"5 janv. 2026|2026-01-05||day ; 3 févr. 2026|2026-02-03||day ; 2 sept. 2026|2026-09-02||day ; 4 Oct 2026|2026-10-04||day"},
		{"15/03/2025, 15/03/25, 15.03.2025, 2025-03-15",
			"15/03/2025|2025-03-15||day ; 15/03/25|2025-03-15||day ; 15.03.2025|2025-03-15||day ; 2025-03-15|2025-03-15||day"},
		{"le 2/3", "2/3|2026-03-02||day"},
		{"le 15 mars à 12h", "15 mars à 12h|2026-03-15T12:00:00+01:00||hour"},
		{"le 15 mars à 12h30", "15 mars à 12h30|2026-03-15T12:30:00+01:00||minute"},
		{"le 15 mars à midi", "15 mars à midi|2026-03-15T12:00:00+01:00||hour"},
		{"le 15 mars 2026 à 23h59", "15 mars 2026 à 23h59|2026-03-15T23:59:00+01:00||minute"},
		{"March 3rd at noon", "March 3rd at noon|2026-03-03T12:00:00+01:00||hour"},
		{"March 3rd at 5 pm", "March 3rd at 5 pm|2026-03-03T17:00:00+01:00||hour"},
		{"3 March 2026 15:30", "3 March 2026 15:30|2026-03-03T15:30:00+01:00||minute"},
		{"lundi 5 janvier 2026 23:59:00", "lundi 5 janvier 2026 23:59:00|2026-01-05T23:59:00+01:00||minute"},
		{"from 5 January 2026 to 30 January 2026 at 12:00", "from 5 January 2026 to 30 January 2026 at 12:00|2026-01-05|2026-01-30|day"},
		{"12h30 le 2 avril 2026", "12h30 le 2 avril 2026|2026-04-02T12:30:00+02:00||minute"},
		{"du 13 au 15/06/2025", "du 13 au 15/06/2025|2025-06-13|2025-06-15|day"},
		{"(du 13au 15/06/2025)", "du 13au 15/06/2025|2025-06-13|2025-06-15|day"},
		{"du 13 au 15 juillet", "du 13 au 15 juillet|2026-07-13|2026-07-15|day"},
		{"entre le 30 août et 7 septembre", "entre le 30 août et 7 septembre|2026-08-30|2026-09-07|day"},
		{"Février à juillet 2026", "Février à juillet 2026|2026-02-01|2026-07-01|month"},
		{"de janvier à juillet 2026", "de janvier à juillet 2026|2026-01-01|2026-07-01|month"},
		{"Janvier à Juillet 2026", "Janvier à Juillet 2026|2026-01-01|2026-07-01|month"},
		{"de novembre à février 2026", "de novembre à février 2026|2025-11-01|2026-02-01|month"},
		{"du 28 décembre au 3 janvier 2026", "du 28 décembre au 3 janvier 2026|2025-12-28|2026-01-03|day"},
		{"septembre 2017", "septembre 2017|2017-09-01||month"},
		{"en mars", "mars|2026-03-01||month"},
		{"début janvier", "début janvier|2026-01-01|2026-01-05|day"},
		{"mi-mars", "mi-mars|2026-03-10|2026-03-19|day"},
		{"fin octobre", "fin octobre|2025-10-21|2025-10-31|day"},
		{"fin février 2028", "fin février 2028|2028-02-21|2028-02-29|day"},
		{"la première quinzaine d'avril", "première quinzaine d'avril|2026-04-01|2026-04-14|day"},
		{"Fin 2024", "Fin 2024|2024-10-01|2024-12-01|month"},
		{"en 2025", "2025|2025-01-01||year"},
		{"à partir du 8 mars", "à partir du 8 mars|2026-03-08|..|day"},
		{"après le 1er novembre", "après le 1er novembre|2025-11-01|..|day"},
		{"aujourd'hui, aujourd’hui, ce jour", "aujourd'hui|2025-10-01||day ; aujourd’hui|2025-10-01||day ; ce jour|2025-10-01||day"},
		{"hier, avant-hier, demain, après-demain",
			"hier|2025-09-30||day ; avant-hier|2025-09-29||day ; demain|2025-10-02||day ; après-demain|2025-10-03||day"},
		{"le lendemain du 13 février", "lendemain du 13 février|2026-02-14||day"},
		{"Noël, la Toussaint, le jour de l'an, la fête du travail",
			"Noël|2025-12-25||day ; Toussaint|2025-11-01||day ; jour de l'an|2026-01-01||day ; fête du travail|2026-05-01||day"},
		{"October 31, 2025", "October 31, 2025|2025-10-31||day"},
		{"31 Oct 2025 and 1 Nov 2019", "31 Oct 2025|2025-10-31||day ; 1 Nov 2019|2019-11-01||day"},
		{"March 3rd", "March 3rd|2026-03-03||day"},
		{"from January to July 2026", "from January to July 2026|2026-01-01|2026-07-01|month"},
		{"avant le 1erjanvier", "1erjanvier|2026-01-01||day"},
		{"31/10/74 et 20/02/49", "31/10/74|1974-10-31||day ; 20/02/49|2049-02-20||day"},
		// What is not a date.
		{"La Casemate, 2 place Saint-Laurent 38000 Grenoble, 75020 Paris", ""},
		{"Volume horaire : 35h hebdomadaires, 35 heures par semaine", ""},
		{"Indemnités : 4,35 € par heure, 609 € pour 20 jours", ""},
		{"par telephone 08 11 58 54 41", ""},
		// Dates that do not exist, nor any part of them.
		{"29 février 2027, 31 avril, le 31/04, February 30, 2027-02-29", ""},
		{"du 20 au 30 février 2026", ""},
		{"31 octobre 99999999999999999999, October 31 123456", ""},
		{"29 février 2028", "29 février 2028|2028-02-29||day"},
		{"Bac + 3 (min.), bac + 4 à bac +5, jeunes de 16-25 ans", ""},
		{"Master 1 ou 2, anglais C1, QSEC², C2D, Nets4Dem", ""},
		{"74 ; 2025 ; 1/2 journée ; 24/24 ; 4 à 6 mois", ""},
		{"la planète Mars ; « Imagine Demain » ; les mobilités de demain", ""},
		{"Le 2e semestre ; le premier satellite ; deux trois minutes", ""},
		{"Vous avez 13 ans, 2 enfants", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := describe(FindDates(tt.text, ref)); got != tt.want {
				t.Errorf("FindDates(%q)\n got %s\nwant %s", tt.text, got, tt.want)
			}
		})
	}
}

// TestFindDatesPositions checks that Text is the slice at Pos:EndPos and
// that the dates come in order without overlapping.
func TestFindDatesPositions(t *testing.T) {
	text := "Publié le 3 mars 2025 — Candidatures avant le 31 octobre 2025 à 12h ; entretiens du 13au 15/11/2025.\nDémarrage : à partir du 6 janvier 2026"
	ds := FindDates(text, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(ds) != 4 {
		t.Fatalf("found %s, want 4 dates", describe(ds))
	}
	end := 0
	for _, d := range ds {
		if text[d.Pos:d.EndPos] != d.Text {
			t.Errorf("text[%d:%d] = %q, Text %q", d.Pos, d.EndPos, text[d.Pos:d.EndPos], d.Text)
		}
		if d.Pos < end {
			t.Errorf("%q overlaps the date before it", d.Text)
		}
		end = d.EndPos
	}
}

// TestFindDatesYearInference covers the rule in FindDates' doc.
func TestFindDatesYearInference(t *testing.T) {
	loc := paris(t)
	tests := []struct {
		name, text string
		ref        time.Time
		want       string // the last date found
		inferred   bool
	}{
		{
			name:     "old offer",
			text:     "Date de début souhaitée : septembre 2017.\nL'association accueillera l'exposition en janvier 2018.\nLes entretiens se dérouleront entre le 30 août et 7 septembre.",
			ref:      time.Date(2026, 5, 1, 12, 0, 0, 0, loc),
			want:     "entre le 30 août et 7 septembre|2017-08-30|2017-09-07|day",
			inferred: true,
		},
		{
			name:     "no written year prefers the future",
			text:     "Les entretiens auront lieu le 30 août.",
			ref:      time.Date(2026, 9, 1, 12, 0, 0, 0, loc),
			want:     "30 août|2027-08-30||day",
			inferred: true,
		},
		{
			name:     "deadline before a written start",
			text:     "Stage à partir de mars 2026. Candidatures avant le 15 septembre.",
			ref:      time.Date(2025, 10, 1, 12, 0, 0, 0, loc),
			want:     "15 septembre|2025-09-15||day",
			inferred: true,
		},
		{
			name:     "current offer with a far future start",
			text:     "Début du stage : septembre 2026. Entretiens le 20 novembre.",
			ref:      time.Date(2025, 10, 1, 12, 0, 0, 0, loc),
			want:     "20 novembre|2025-11-20||day",
			inferred: true,
		},
		{
			name:     "history does not date the offer",
			text:     "Ouvert le 30 septembre 2023, le centre recrute pour janvier 2026. Réponse avant le 15 novembre.",
			ref:      time.Date(2025, 10, 1, 12, 0, 0, 0, loc),
			want:     "15 novembre|2025-11-15||day",
			inferred: true,
		},
		{
			name: "written year",
			text: "Les entretiens auront lieu le 30 août 2017.",
			ref:  time.Date(2026, 9, 1, 12, 0, 0, 0, loc),
			want: "30 août 2017|2017-08-30||day",
		},
		{
			name: "range takes the year of its end",
			text: "du 13 au 15/06/2025",
			ref:  time.Date(2030, 1, 1, 0, 0, 0, 0, loc),
			want: "du 13 au 15/06/2025|2025-06-13|2025-06-15|day",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := FindDates(tt.text, tt.ref)
			if len(ds) == 0 {
				t.Fatalf("no date in %q", tt.text)
			}
			last := ds[len(ds)-1]
			if got := describe([]Date{last}); got != tt.want {
				t.Errorf("last date = %s, want %s", got, tt.want)
			}
			if last.YearInferred != tt.inferred {
				t.Errorf("YearInferred = %v, want %v", last.YearInferred, tt.inferred)
			}
		})
	}
}

func TestDateStrings(t *testing.T) {
	loc := time.FixedZone("", -2*3600)
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, loc)
	tests := []struct {
		text, start, end string
		grain            Grain
	}{
		{"le 2 mars à 5h", "2013-03-02T05:00:00-02:00", "", GrainHour},
		{"aujourd'hui à 11h45", "2013-02-12T11:45:00-02:00", "", GrainMinute},
		{"le 20 à partir de 10h", "2013-02-20T10:00:00-02:00", "..", GrainHour},
		{"13-15 juillet", "2013-07-13", "2013-07-15", GrainDay},
		{"en mars", "2013-03-01", "", GrainMonth},
		{"en 2014", "2014-01-01", "", GrainYear},
	}
	for _, tt := range tests {
		ds := FindDates(tt.text, ref)
		if len(ds) != 1 {
			t.Errorf("FindDates(%q) = %s, want one date", tt.text, describe(ds))
			continue
		}
		d := ds[0]
		if d.StartString() != tt.start || d.EndString() != tt.end || d.Grain != tt.grain {
			t.Errorf("%q: %s %q %s, want %s %q %s", tt.text, d.StartString(), d.EndString(), d.Grain, tt.start, tt.end, tt.grain)
		}
		if d.Start.Location() != loc {
			t.Errorf("%q: Start in %v, want the reference's location", tt.text, d.Start.Location())
		}
	}
	for g, want := range map[Grain]string{GrainMinute: "minute", GrainHour: "hour", GrainDay: "day", GrainMonth: "month", GrainYear: "year"} {
		if g.String() != want {
			t.Errorf("Grain(%d).String() = %q, want %q", int(g), g.String(), want)
		}
	}
}

// TestFindDatesOrderAndWraps pins the order of numeric dates (month first
// only on evidence) and dates broken over two lines.
func TestFindDatesOrderAndWraps(t *testing.T) {
	ref := time.Date(2025, 11, 20, 10, 0, 0, 0, paris(t))
	tests := []struct{ text, want string }{
		// A date that reads only month first decides the whole text.
		{"Posted 11/10/2025. Apply before 12/15/2025.", "11/10/2025|2025-11-10||day ; 12/15/2025|2025-12-15||day"},
		// One that reads only day first keeps the French order.
		{"Publiée le 15/11/2025, date limite 05/12/2025.", "15/11/2025|2025-11-15||day ; 05/12/2025|2025-12-05||day"},
		// Undecided: American signs in English text read month first...
		{"Intern, Chicago, IL 60607. Pay $20/hr for the spring. Deadline 12/05/2025", "12/05/2025|2025-12-05||day"},
		// ...but not a French text, nor a Québec amount.
		{"Stage de la mairie, levée de $5M. Date limite 05/12/2025", "05/12/2025|2025-12-05||day"},
		{"The salary is 22 $ of the hour and the deadline 05/12/2025", "05/12/2025|2025-12-05||day"},
		// Dotted dates are never month first.
		{"Apply before 12/15/2025 or 05.12.2025", "12/15/2025|2025-12-15||day ; 05.12.2025|2025-12-05||day"},
		// A time after a yearless numeric date.
		{"Candidatures avant le 15/12 minuit", "15/12 minuit|2025-12-15T00:00:00+01:00||hour"},
		// Broken lines.
		{"à envoyer avant le 15\nmars 2026 à l'adresse", "15\nmars 2026|2026-03-15||day"},
		{"dépôt : 6 février\n2026. Entretiens", "6 février\n2026|2026-02-06||day"},
		{"Page 12\nStage de 6 mois", ""},
		{"Tél. 04 76 12 34 56\nLyon", ""},
	}
	for _, tt := range tests {
		if got := describe(FindDates(tt.text, ref)); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.text, got, tt.want)
		}
	}
}

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatalf("load Europe/Paris: %v", err)
	}
	return loc
}

// TestGluedWordsAgree checks that the tokenizer splits an ordinal suffix
// from exactly the month words and suffixes the grammar reads.
func TestGluedWordsAgree(t *testing.T) {
	if got, want := text.GluedMonths(), slices.Sorted(maps.Keys(monthWords)); !slices.Equal(got, want) {
		t.Errorf("text.GluedMonths() = %q, want the grammar's month words %q", got, want)
	}
	if got := text.GluedSuffixes(); !slices.Equal(got, ordinalSuffixes) {
		t.Errorf("text.GluedSuffixes() = %q, want the grammar's %q", got, ordinalSuffixes)
	}
}

// TestLexicon checks that the classes gather the word tables exactly.
func TestLexicon(t *testing.T) {
	for w, c := range lexicon {
		if c.month() != monthWords[w] || c.weekday() != weekdayWords[w] || c.unit() != unitWords[w] ||
			c.teen() != teenWords[w] || c.tens() != tensWords[w] {
			t.Errorf("%q: class %+v", w, c)
		}
		for _, f := range []struct {
			set  map[string]bool
			flag uint8
		}{{starterWords, cStarter}, {anchorWords, cAnchor}, {boundaryWords, cBoundary}, {fullMonths, cFullMonth},
			{yearCues, cYearCue}, {deicticStarts, cDeictic}, {holidayStarts, cHoliday}} {
			if f.set[w] != (c.flags&f.flag != 0) {
				t.Errorf("%q: flag %b is %v, the table says %v", w, f.flag, c.flags&f.flag != 0, f.set[w])
			}
		}
	}
	for w := range monthWords {
		if _, ok := lexicon[w]; !ok {
			t.Errorf("month %q is not in the lexicon", w)
		}
	}
	if 3*len(lexicon) > lexSize {
		t.Errorf("%d words in the lexicon, too many for its table of %d slots", len(lexicon), lexSize)
	}
	for w, c := range lexicon {
		if got := lexiconTable.get(w); got != c {
			t.Errorf("lexiconTable.get(%q) = %+v, want %+v", w, got, c)
		}
	}
	for _, w := range []string{"", "x1", "politique", "janvierr", "janvie", "septembra", "januarx", strings.Repeat("a", 100)} {
		if got := lexiconTable.get(w); got != (class{}) {
			t.Errorf("lexiconTable.get(%q) = %+v, want none", w, got)
		}
	}
}
