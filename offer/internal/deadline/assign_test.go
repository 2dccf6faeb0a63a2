package deadline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/text"
)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatalf("load Europe/Paris: %v", err)
	}
	return loc
}

// withDefaults fills what a test leaves out as offer.Parse does.
func withDefaults(t testing.TB, opts Options) Options {
	t.Helper()
	if opts.Location == nil {
		opts.Location = paris(t)
	}
	if opts.EstimateLead == 0 {
		opts.EstimateLead = 30 * 24 * time.Hour
	}
	opts.Now = opts.Now.In(opts.Location)
	return opts
}

// rolesOf runs dates.FindDates then Assign as offer.Parse does, without
// normalising the text.
func rolesOf(t *testing.T, txt string, opts Options) Result {
	t.Helper()
	opts = withDefaults(t, opts)
	return Assign(txt, text.Tokenize(txt), dates.FindDates(txt, opts.Now), opts)
}

// read runs the text layers as offer.Parse does: Normalize, then
// dates.FindDates, then Assign.
func read(t *testing.T, txt string, opts Options) Result {
	t.Helper()
	return rolesOf(t, text.Normalize(txt), opts)
}

func TestAssignDeadline(t *testing.T) {
	loc := paris(t)
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, loc)
	tests := []struct {
		name, text string
		lead       time.Duration
		// want: kind, date, last day, time, due (RFC 3339 or ""), basis, phrase
		kind, date, lastDay, clock, due, basis, phrase string
	}{
		{
			name: "avant le", text: "Envoyez votre candidature (CV + lettre de motivation) avant le 31 octobre 2025 à :",
			kind: KindExplicit, date: "2025-10-31", lastDay: "2025-10-30", due: "2025-10-31T00:00:00+01:00",
			phrase: "avant le 31 octobre 2025",
		},
		{
			name: "jusqu'au", text: "Candidatures jusqu'au 15 novembre 2025.",
			kind: KindExplicit, date: "2025-11-15", lastDay: "2025-11-15", due: "2025-11-15T23:59:59+01:00",
			phrase: "jusqu'au 15 novembre 2025",
		},
		{
			name: "stated time", text: "Merci d'envoyer votre candidature avant le 15 mars 2026 à 12h.",
			kind: KindExplicit, date: "2026-03-15", lastDay: "2026-03-15", clock: "12:00", due: "2026-03-15T12:00:00+01:00",
			phrase: "avant le 15 mars 2026 à 12h",
		},
		{
			name: "stated minutes", text: "Dossier à envoyer au plus tard le 2 décembre 2025 à 23h30",
			kind: KindExplicit, date: "2025-12-02", lastDay: "2025-12-02", clock: "23:30", due: "2025-12-02T23:30:00+01:00",
			phrase: "au plus tard le 2 décembre 2025 à 23h30",
		},
		{
			name: "date limite", text: "Date limite de candidature : 20 janvier 2026",
			kind: KindExplicit, date: "2026-01-20", lastDay: "2026-01-20", due: "2026-01-20T23:59:59+01:00",
			phrase: "20 janvier 2026",
		},
		{
			name: "date limite yearless", text: "Stage de février à juillet 2026. Date limite : 15 novembre",
			kind: KindExplicit, date: "2025-11-15", lastDay: "2025-11-15", due: "2025-11-15T23:59:59+01:00",
			phrase: "15 novembre",
		},
		{
			name: "au plus tard", text: "Envoyez CV et lettre au plus tard le 10 décembre 2025.",
			kind: KindExplicit, date: "2025-12-10", lastDay: "2025-12-10", due: "2025-12-10T23:59:59+01:00",
			phrase: "au plus tard le 10 décembre 2025",
		},
		{
			name: "apply by", text: "To apply, apply by October 31, 2025.",
			kind: KindExplicit, date: "2025-10-31", lastDay: "2025-10-31", due: "2025-10-31T23:59:59+01:00",
			phrase: "apply by October 31, 2025",
		},
		{
			name: "no later than", text: "Please send your resume no later than 3 November 2025.",
			kind: KindExplicit, date: "2025-11-03", lastDay: "2025-11-03", due: "2025-11-03T23:59:59+01:00",
			phrase: "no later than 3 November 2025",
		},
		{
			name: "apply before noon", text: "Submit your application before 1 Nov 2025 at noon.",
			kind: KindExplicit, date: "2025-11-01", lastDay: "2025-11-01", clock: "12:00", due: "2025-11-01T12:00:00+01:00",
			phrase: "before 1 Nov 2025 at noon",
		},
		{
			name: "deadline english", text: "Deadline: 15/01/2026",
			kind: KindExplicit, date: "2026-01-15", lastDay: "2026-01-15", due: "2026-01-15T23:59:59+01:00",
			phrase: "15/01/2026",
		},
		{
			name: "jusqu'en month", text: "Candidatures ouvertes jusqu'en février 2026.",
			kind: KindExplicit, date: "2026-02-28", lastDay: "2026-02-28", due: "2026-02-28T23:59:59+01:00",
			phrase: "jusqu'en février 2026",
		},
		{
			name: "clearest of several", text: "Candidatures avant le 1er décembre 2025. Date limite de dépôt du dossier : 15 novembre 2025.",
			kind: KindExplicit, date: "2025-11-15", lastDay: "2025-11-15", due: "2025-11-15T23:59:59+01:00",
			phrase: "15 novembre 2025",
		},
		{
			name: "earliest of equals", text: "Candidatures avant le 1er décembre 2025 ; envoyez le CV avant le 20 novembre 2025.",
			kind: KindExplicit, date: "2025-11-20", lastDay: "2025-11-19", due: "2025-11-20T00:00:00+01:00",
			phrase: "avant le 20 novembre 2025",
		},
		{
			name: "DST end of day", text: "Candidatures jusqu'au 29 mars 2026.",
			kind: KindExplicit, date: "2026-03-29", lastDay: "2026-03-29", due: "2026-03-29T23:59:59+02:00",
			phrase: "jusqu'au 29 mars 2026",
		},
		{
			name: "DST avant le", text: "Envoyez votre candidature avant le 30 mars 2026.",
			kind: KindExplicit, date: "2026-03-30", lastDay: "2026-03-29", due: "2026-03-30T00:00:00+02:00",
			phrase: "avant le 30 mars 2026",
		},
		{
			name: "interviews", text: "Les entretiens se dérouleront entre le 30 août et 7 septembre 2026.",
			kind: KindEstimated, date: "2026-08-29", lastDay: "2026-08-29", due: "2026-08-29T23:59:59+02:00", basis: "interview",
		},
		{
			name: "interviews before start", text: "Start date: 1 April 2026. Interviews will take place on 12 March 2026.",
			kind: KindEstimated, date: "2026-03-11", lastDay: "2026-03-11", due: "2026-03-11T23:59:59+01:00", basis: "interview",
		},
		{
			name: "candidates called before", text: "Les candidats retenus seront convoqués à un entretien avant le 15 mars 2026.",
			kind: KindEstimated, date: "2026-03-14", lastDay: "2026-03-14", due: "2026-03-14T23:59:59+01:00", basis: "interview",
		},
		{
			name: "start", text: "Démarrage du stage : à partir du 6 janvier 2026",
			kind: KindEstimated, date: "2025-12-07", lastDay: "2025-12-07", due: "2025-12-07T23:59:59+01:00", basis: "start",
		},
		{
			name: "start across DST", text: "Date de début : 20 avril 2026.", lead: 30 * 24 * time.Hour,
			kind: KindEstimated, date: "2026-03-21", lastDay: "2026-03-21", due: "2026-03-21T23:59:59+01:00", basis: "start",
		},
		{
			name: "start with lead", text: "Start date: 1 March 2026", lead: 14 * 24 * time.Hour,
			kind: KindEstimated, date: "2026-02-15", lastDay: "2026-02-15", due: "2026-02-15T23:59:59+01:00", basis: "start",
		},
		{
			name: "period", text: "Dates : février à juillet 2026",
			kind: KindEstimated, date: "2026-01-02", lastDay: "2026-01-02", due: "2026-01-02T23:59:59+01:00", basis: "start",
		},
		{
			name: "start dès", text: "Stage à pourvoir dès le 2 mars 2026.",
			kind: KindEstimated, date: "2026-01-31", lastDay: "2026-01-31", due: "2026-01-31T23:59:59+01:00", basis: "start",
		},
		{name: "history", text: "Cosmocité a ouvert ses portes le 30 septembre 2023.", kind: KindNone},
		{name: "avant without applying", text: "Le rapport sera rendu avant le 30 juin 2026.", kind: KindNone},
		{name: "event", text: "Le festival aura lieu du 13 au 15 juin 2026.", kind: KindNone},
		{name: "posting", text: "Publié le 11 juillet 2025", kind: KindNone},
		{name: "no date", text: "Stage de 6 mois, 35h par semaine, 38000 Grenoble.", kind: KindNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rolesOf(t, tt.text, Options{Now: now, Location: loc, EstimateLead: tt.lead})
			got := r.Deadline
			due := ""
			if got.DueAt != nil {
				due = got.DueAt.Format(time.RFC3339)
			}
			if got.Kind != tt.kind || got.Date != tt.date || got.LastDay != tt.lastDay || got.Time != tt.clock ||
				due != tt.due || got.Basis != tt.basis || got.Phrase != tt.phrase {
				t.Errorf("deadline = {%s %s last %s time %q due %q basis %q phrase %q}\nwant       {%s %s last %s time %q due %q basis %q phrase %q}\nmentions %+v",
					got.Kind, got.Date, got.LastDay, got.Time, due, got.Basis, got.Phrase,
					tt.kind, tt.date, tt.lastDay, tt.clock, tt.due, tt.basis, tt.phrase, r.Mentions)
			}
			if tt.kind == KindNone && (got.DueAt != nil || got.Date != "" || got.LastDay != "") {
				t.Errorf("kind none with fields set: %+v", got)
			}
		})
	}
}

func TestAssignMentions(t *testing.T) {
	loc := paris(t)
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, loc)
	tests := []struct {
		text  string
		roles []string
	}{
		{"Envoyez votre candidature avant le 31 octobre 2025.", []string{RoleDeadline}},
		{"Démarrage du stage : à partir du 6 janvier 2025", []string{RoleStart}},
		{"Date de début souhaitée : septembre 2017", []string{RoleStart}},
		{"Start date: 1 March 2026", []string{RoleStart}},
		{"Le stage se terminera le 31 août 2026.", []string{RoleEnd}},
		{"Le stage dure jusqu'au 30 juin 2026.", []string{RoleEnd}},
		{"Dates : Février à juillet 2026", []string{RolePeriod}},
		{"Stage du 1er mars au 31 août 2026", []string{RolePeriod}},
		{"OFFRE DE STAGE\n\n“Assistant.e” Janvier à Juillet 2026\n\nContexte", []string{RolePeriod}},
		{"Les entretiens se dérouleront entre le 30 août et 7 septembre.", []string{RoleInterview}},
		{"Interviews on 12 March 2026.", []string{RoleInterview}},
		{"L'association accueillera l'exposition en janvier 2018.", []string{RoleEvent}},
		{"Le suivi des Journées Européennes de l’Archéologie (du 13au 15/06/2025).", []string{RoleEvent}},
		{"En mars 2025, la Métropole accueillera la 2nde rencontre.", []string{RoleEvent}},
		{"Publié le 11 juillet 2025", []string{RolePosting}},
		{"Cosmocité qui a ouvert ses portes le 30 septembre 2023 est équipé de : deux plateaux d’expositions", []string{RoleOther}},
		{"Candidatures avant le 1er décembre 2025, entretiens le 10 décembre 2025, début le 5 janvier 2026.",
			[]string{RoleDeadline, RoleInterview, RoleStart}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := rolesOf(t, tt.text, Options{Now: now, Location: loc})
			var got []string
			for _, m := range r.Mentions {
				got = append(got, m.Role)
			}
			if strings.Join(got, ",") != strings.Join(tt.roles, ",") {
				t.Errorf("roles = %v, want %v (mentions %+v)", got, tt.roles, r.Mentions)
			}
		})
	}
}

func TestAssignStartEnd(t *testing.T) {
	loc := paris(t)
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, loc)
	tests := []struct {
		text       string
		start, end string // "text|date|grain" or ""
	}{
		{"“Chargé.e de projets” Janvier à Juillet 2026", "Janvier à Juillet 2026|2026-01-01|month", "Janvier à Juillet 2026|2026-07-01|month"},
		{"Démarrage du stage : à partir du 6 janvier 2025", "à partir du 6 janvier 2025|2025-01-06|day", ""},
		{"Date de début : 2 mars 2026. Fin du stage : 31 août 2026.", "2 mars 2026|2026-03-02|day", "31 août 2026|2026-08-31|day"},
		{"Stage du 1er mars au 31 août 2026", "du 1er mars au 31 août 2026|2026-03-01|day", "du 1er mars au 31 août 2026|2026-08-31|day"},
		{"Début du stage le 2 mars 2026 à 9h", "2 mars 2026 à 9h|2026-03-02|day", ""},
		{"Le festival aura lieu du 13 au 15 juin 2026.", "", ""},
	}
	str := func(m *Moment) string {
		if m == nil {
			return ""
		}
		return m.Text + "|" + m.Date + "|" + m.Grain
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := rolesOf(t, tt.text, Options{Now: now, Location: loc})
			if got := str(r.Start); got != tt.start {
				t.Errorf("start = %q, want %q", got, tt.start)
			}
			if got := str(r.End); got != tt.end {
				t.Errorf("end = %q, want %q", got, tt.end)
			}
		})
	}
}

// TestAssignMentionFields checks that a mention repeats its date.
func TestAssignMentionFields(t *testing.T) {
	loc := paris(t)
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, loc)
	r := rolesOf(t, "Envoyez votre candidature avant le 15 mars 2026 à 12h. Stage à partir du 6 avril 2026.", Options{Now: now, Location: loc})
	want := []Mention{
		{Text: "15 mars 2026 à 12h", Start: "2026-03-15T12:00:00+01:00", End: "", Grain: "hour", Role: RoleDeadline},
		{Text: "à partir du 6 avril 2026", Start: "2026-04-06", End: "..", Grain: "day", Role: RoleStart},
	}
	if len(r.Mentions) != len(want) {
		t.Fatalf("mentions = %+v, want %+v", r.Mentions, want)
	}
	for i := range want {
		if r.Mentions[i] != want[i] {
			t.Errorf("mention %d = %+v, want %+v", i, r.Mentions[i], want[i])
		}
	}
}

// TestSeedDeadlines reads the real seed offers as Parse does (without the
// text normalisation, so the grammar must stand on its own).
func TestSeedDeadlines(t *testing.T) {
	loc := paris(t)
	opts := Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, loc), Location: loc}
	want := map[string]struct {
		kind, date, lastDay, due, basis string
	}{
		"000": {KindExplicit, "2025-10-31", "2025-10-30", "2025-10-31T00:00:00+01:00", ""},
		"001": {KindEstimated, "2017-08-29", "2017-08-29", "2017-08-29T23:59:59+02:00", "interview"},
		"002": {KindNone, "", "", "", ""},
		"003": {KindEstimated, "2026-01-02", "2026-01-02", "2026-01-02T23:59:59+01:00", "start"},
		"004": {KindEstimated, "2024-12-07", "2024-12-07", "2024-12-07T23:59:59+01:00", "start"},
	}
	paths, err := filepath.Glob(filepath.Join("..", "..", "..", "seeds", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(want) {
		t.Fatalf("found %d seed offers in ../seeds, want %d", len(paths), len(want))
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := want[name[:3]]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			r := rolesOf(t, string(data), opts)
			got := r.Deadline
			due := ""
			if got.DueAt != nil {
				due = got.DueAt.Format(time.RFC3339)
			}
			if got.Kind != w.kind || got.Date != w.date || got.LastDay != w.lastDay || due != w.due || got.Basis != w.basis {
				t.Errorf("deadline = {%s %s last %s due %q basis %q}, want {%s %s last %s due %q basis %q}\nmentions %+v",
					got.Kind, got.Date, got.LastDay, due, got.Basis, w.kind, w.date, w.lastDay, w.due, w.basis, r.Mentions)
			}
			for _, m := range r.Mentions {
				if m.Role == RoleDeadline && w.kind != KindExplicit {
					t.Errorf("mention %+v is a deadline", m)
				}
			}
		})
	}
}
