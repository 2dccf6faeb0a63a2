package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
)

const museum = `Stage – Médiation culturelle (H/F)
Le Musée dauphinois recrute un ou une stagiaire pour accompagner l'équipe des publics pendant l'exposition « Alpes en partage ».
Missions : accueil des groupes scolaires, conception d'ateliers pour les 6-12 ans, participation aux visites guidées du week-end.
Profil : Master 1 ou 2 en médiation culturelle ou histoire de l'art, aisance à l'oral.
Durée : 6 mois à partir de mars 2026, gratification légale.
Candidature (CV et lettre) avant le 15 janvier 2026 à recrutement@musee-dauphinois.fr`

func parseOffer(t *testing.T, name, text string) offer.Offer {
	t.Helper()
	o, err := offer.Parse(name, []byte(text), offer.Options{Now: time.Date(2025, 11, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestSameOfferFromSources: the same offer read from a mail, the employer's
// page and a copy without its deadline is stored once and lists every
// source; a later version with a moved deadline updates it (and its
// followers are told); another offer of the same employer stays apart.
func TestSameOfferFromSources(t *testing.T) {
	ctx := context.Background()
	st, _ := newTestStore(t)
	now := time.Date(2025, 11, 2, 9, 0, 0, 0, time.UTC)
	sent := time.Date(2025, 11, 1, 8, 30, 0, 0, time.UTC)
	mail := Source{Kind: SourceMail, Name: "<a1@musee.example>", From: "rh@musee-dauphinois.fr", Subject: "Offre de stage", Date: &sent}
	first, err := st.AddOfferFrom(ctx, parseOffer(t, "<a1@musee.example>", museum), mail, now)
	if err != nil || !first.Created {
		t.Fatalf("first: %+v, %v", first, err)
	}
	if _, err := st.AddSubscriber(ctx, Subscriber{Email: "e@example.org", FollowAll: true}, now); err != nil {
		t.Fatal(err)
	}
	// The employer's page: the same text laid out as HTML lines.
	page := "<html><body><h1>Offres</h1>" + strings.ReplaceAll(museum, "\n", "<br>\n") + "<p>Musée dauphinois, 30 rue Maurice Gignoux, Grenoble</p></body></html>"
	res, err := st.AddOfferFrom(ctx, parseOffer(t, "https://musee.example/offres/12", page), SourceOf("https://musee.example/offres/12"), now)
	if err != nil || !res.Merged || res.ID != first.ID || res.DeadlineChanged {
		t.Fatalf("the page: %+v, %v; want merged into %d", res, err, first.ID)
	}
	// A copy without the date does not take the deadline away.
	noDate := strings.Replace(museum, "avant le 15 janvier 2026 ", "", 1)
	res, err = st.AddOfferFrom(ctx, parseOffer(t, "copie.txt", noDate), SourceOf("copie.txt"), now)
	if err != nil || !res.Merged || res.Updated || res.ID != first.ID {
		t.Fatalf("the copy without deadline: %+v, %v", res, err)
	}
	o, _ := st.Offer(ctx, first.ID)
	if o.Deadline.LastDay != "2026-01-14" {
		t.Errorf("last day = %s after the copy, want 2026-01-14", o.Deadline.LastDay)
	}
	// A later version: the deadline moved.
	later := strings.Replace(museum, "avant le 15 janvier 2026", "avant le 29 janvier 2026 (date prolongée)", 1)
	res, err = st.AddOfferFrom(ctx, parseOffer(t, "<a2@musee.example>", later), Source{Kind: SourceMail, Name: "<a2@musee.example>"}, now)
	if err != nil || res.ID != first.ID || !res.Updated || !res.DeadlineChanged {
		t.Fatalf("the later version: %+v, %v", res, err)
	}
	// Another offer of the same employer is another offer.
	other := strings.NewReplacer("Médiation culturelle", "Régie des collections", "l'équipe des publics pendant l'exposition « Alpes en partage »",
		"l'équipe de la régie pendant le récolement des collections ethnographiques",
		"accueil des groupes scolaires, conception d'ateliers pour les 6-12 ans, participation aux visites guidées du week-end",
		"inventaire et marquage des objets, constat d'état, mise à jour de la base de données, participation aux mouvements d'œuvres",
		"médiation culturelle ou histoire de l'art, aisance à l'oral", "conservation préventive ou gestion des collections, rigueur",
		"6 mois à partir de mars", "4 mois à partir d'avril", "15 janvier", "31 janvier").Replace(museum)
	res, err = st.AddOfferFrom(ctx, parseOffer(t, "regie.txt", other), SourceOf("regie.txt"), now)
	if err != nil || !res.Created || res.ID == first.ID {
		t.Fatalf("another offer of the employer: %+v, %v", res, err)
	}

	srcs, err := st.OfferSources(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range srcs {
		names = append(names, s.Kind+" "+s.Name)
	}
	want := "mail <a1@musee.example>|url https://musee.example/offres/12|file copie.txt|mail <a2@musee.example>"
	if strings.Join(names, "|") != want {
		t.Errorf("sources = %q\nwant %q", strings.Join(names, "|"), want)
	}
	if srcs[0].From != "rh@musee-dauphinois.fr" || srcs[0].Subject != "Offre de stage" || srcs[0].Date == nil || !srcs[0].Date.Equal(sent) {
		t.Errorf("the mail's provenance: %+v", srcs[0])
	}
	rows, _ := st.Reminders(ctx, nil)
	notices := 0
	for _, r := range rows {
		if r.Kind == "deadline_changed" && r.OfferID == first.ID {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("%d deadline-changed notices, want 1", notices)
	}
	offers, _ := st.Offers(ctx)
	if len(offers) != 2 {
		t.Errorf("%d offers stored, want 2", len(offers))
	}
}
