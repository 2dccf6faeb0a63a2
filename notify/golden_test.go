package notify

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenMailer is the mailer of the golden files: a reply-to address, a
// derived List-Id.
func goldenMailer(t *testing.T) *Mailer {
	return newMailer(t, func(c *config.Config) {
		c.Mail.ReplyTo = "Service carrières <carrieres@univ.example>"
		c.Site = testSite
	})
}

// testSite is the institution of the golden files.
var testSite = config.Site{Name: "Service des stages, Université Grenoble Alpes", URL: "https://www.univ.example/stages",
	Contact: "stages@univ.example", Logo: "https://rappels.univ.example/logo.png", LogoURL: "https://rappels.univ.example/logo.png"}

// goldenReminders are the reminder kinds, by golden file name.
func goldenReminders(m *Mailer, lang string) map[string]Reminder {
	loc := m.loc
	r := func(id string, items ...Item) Reminder {
		for i := range items {
			items[i] = withItemLinks(items[i], id)
		}
		return Reminder{To: "ines.martin@etu.univ.example", Name: "Inès Martin", Lang: lang, Now: testNow,
			Items: items, SubscriberID: 3, Links: testLinks(id), MessageID: "reminder.101.0123456789abcdef@echeance.example"}
	}
	bare := seedItem(loc)
	bare.URL, bare.City, bare.OfferID = "", "", 0
	return map[string]Reminder{
		"reminder":         r("3", seedItem(loc)),
		"digest":           r("3", estimatedItem(loc), seedItem(loc)),
		"new-offer":        r("3", timedItem(loc)),
		"deadline-changed": r("3", movedItem(loc)),
		"weekly":           summary(r("3", estimatedItem(loc), seedItem(loc))),
		"labelled":         r("3", labelledItem(loc)),
		"staff-set":        r("3", staffItem(loc)),
		"estimated":        r("3", estimatedItem(loc)),
		// No web server configured: no links at all.
		"no-links": {To: "ines.martin@etu.univ.example", Lang: lang, Now: testNow, Items: []Item{bare},
			SubscriberID: 3, MessageID: "reminder.102.0123456789abcdef@echeance.example"},
	}
}

// summary turns r into the weekly summary, with its Message-ID.
func summary(r Reminder) Reminder {
	r.Summary = true
	r.WeekStart = time.Date(2025, 10, 20, 8, 0, 0, 0, mustLoad("Europe/Paris"))
	r.MessageID = "weekly.3.2025-10-20@echeance.example"
	return r
}

// TestGolden compares every kind of message, in both languages, with
// testdata/<kind>.<lang>.eml, and the calendar attachment with
// testdata/<kind>.<lang>.ics. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	m := goldenMailer(t)
	for _, lang := range []string{"fr", "en"} {
		for name, r := range goldenReminders(m, lang) {
			t.Run(name+"."+lang, func(t *testing.T) {
				msg, err := m.Build(r)
				if err != nil {
					t.Fatal(err)
				}
				raw := fixBoundaries(write(t, msg))
				p := parse(t, raw)
				want := []string{"multipart/mixed", "  multipart/alternative", "    text/plain", "    text/html", "  text/calendar"}
				if got := strings.Join(p.layout, "|"); got != strings.Join(want, "|") {
					t.Errorf("layout %s\nwant   %s", got, strings.Join(want, "|"))
				}
				golden(t, name+"."+lang+".eml", []byte(raw))
				golden(t, name+"."+lang+".ics", p.ics)
			})
		}
		for name, c := range goldenConfirmations(lang) {
			t.Run(name+"."+lang, func(t *testing.T) {
				msg, err := m.BuildConfirmation(c)
				if err != nil {
					t.Fatal(err)
				}
				raw := fixBoundaries(write(t, msg))
				p := parse(t, raw)
				if got, want := strings.Join(p.layout, "|"), "multipart/alternative|  text/plain|  text/html"; got != want {
					t.Errorf("layout %s, want %s", got, want)
				}
				golden(t, name+"."+lang+".eml", []byte(raw))
			})
		}
		t.Run("link."+lang, func(t *testing.T) {
			msg, err := m.BuildManageLink(ManageLink{To: "ines.martin@etu.univ.example", Lang: lang, Now: testNow,
				MessageID: "link.3.0123456789abcdef@echeance.example", ManageURL: "https://rappels.univ.example/manage/bWFuYWdlMw"})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "link."+lang+".eml", []byte(fixBoundaries(write(t, msg))))
		})
	}
}

// goldenConfirmations are the confirmation messages, by golden file name:
// a student subscribed by the career service, and one who asked on the web.
func goldenConfirmations(lang string) map[string]Confirmation {
	c := Confirmation{To: "ines.martin@etu.univ.example", Name: "Inès Martin", Lang: lang,
		Now: testNow, MessageID: "confirm.3.89abcdef01234567@echeance.example",
		ConfirmURL: "https://rappels.univ.example/l/confirm?s=3&t=Y29uZmlybQ"}
	web := c
	web.ByWeb, web.Name = true, ""
	web.ManageURL = "https://rappels.univ.example/manage/bWFuYWdlMw"
	return map[string]Confirmation{"confirm": c, "confirm-web": web}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./notify -run TestGolden -update to create it)", err)
	}
	if string(got) != string(want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\ngot  %q\nwant %q\n(run with -update if the change is intended)", path, i+1, g, w)
			}
		}
	}
}

// goldenReview is the review email of the golden files: an estimate, and
// a deadline read with doubts.
func goldenReview(m *Mailer, lang string) ReviewDigest {
	loc := m.loc
	base := "https://rappels.univ.example/r/"
	return ReviewDigest{To: []string{"stages@univ.example", "ines.dupont@univ.example"}, Lang: lang, Now: testNow,
		MessageID: "review.0123456789abcdef@echeance.example", Items: []ReviewItem{
			{OfferID: 31, Title: "Stage développement web (6 mois)", Organisation: "Ville de Lyon", Kind: "estimated",
				LastDay: "2025-10-28", DeadlineAt: time.Date(2025, 10, 28, 23, 59, 59, 0, loc), Reasons: []string{"estimated"},
				Confirm: base + "Y29uZmlybTMx", NoDeadline: base + "bm9uZTMx", Open: "https://rappels.univ.example/admin/offers/31/"},
			{OfferID: 44, Title: "Chargé·e de médiation", Organisation: "Muséum", Kind: "explicit",
				LastDay: "2025-11-15", DeadlineAt: time.Date(2025, 11, 15, 12, 0, 0, 0, loc),
				Phrase: "**Date limite :** avant le 15 novembre 2025 à 12h", Reasons: []string{"competing-candidates", "all"},
				Confirm: base + "Y29uZmlybTQ0", NoDeadline: base + "bm9uZTQ0", Open: "https://rappels.univ.example/admin/offers/44/"},
		}}
}

func TestGoldenReview(t *testing.T) {
	m := goldenMailer(t)
	for _, lang := range []string{"fr", "en"} {
		msg, err := m.BuildReview(goldenReview(m, lang))
		if err != nil {
			t.Fatal(err)
		}
		raw := fixBoundaries(write(t, msg))
		p := parse(t, raw)
		if to := p.header.Get("To"); !strings.Contains(to, "stages@univ.example") || !strings.Contains(to, "ines.dupont@univ.example") {
			t.Errorf("To = %q", to)
		}
		if lang == "fr" {
			for _, bad := range catalog.Mistakes(urlRE.ReplaceAllString(p.text, "URL"), ";:!?") {
				t.Errorf("typography: %s", bad)
			}
		}
		if strings.Contains(p.text, "**") || strings.Contains(p.text, "Date limite :") {
			t.Errorf("the sentence keeps its label or Markdown:\n%s", p.text)
		}
		golden(t, "review."+lang+".eml", []byte(raw))
	}
	if _, err := m.BuildReview(ReviewDigest{To: []string{"a@b.example"}, Lang: "fr", Now: testNow, MessageID: "x@y"}); err == nil {
		t.Error("a review email without offers was built")
	}
}
