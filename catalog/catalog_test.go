package catalog

import (
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func mustLoad(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoad(t *testing.T) {
	c := mustLoad(t)
	if got := strings.Join(c.Tags(), ","); got != "en,fr" {
		t.Errorf("tags = %s", got)
	}
	if c.Lang("de").Tag != "fr" {
		t.Error("an unknown language does not fall back to French")
	}
}

func TestPlurals(t *testing.T) {
	c := mustLoad(t)
	fr, en := c.Lang("fr"), c.Lang("en")
	for _, tt := range []struct {
		l    *Lang
		n    int
		want string
	}{
		{fr, 0, "Il reste 0 jour."}, {fr, 1, "Il reste 1 jour."}, {fr, 2, "Il reste 2 jours."},
		{en, 0, "0 days left."}, {en, 1, "1 day left."}, {en, 2, "2 days left."},
	} {
		if got := tt.l.T("time_left", "n", tt.n); got != tt.want {
			t.Errorf("%s time_left n=%d = %q, want %q", tt.l.Tag, tt.n, got, tt.want)
		}
	}
	if got := en.T("tag_days", "n", 7); got != "7 days left" {
		t.Errorf("English tag = %q", got)
	}
	if got := fr.T("tag_days", "n", 7); got != "J\u20117" {
		t.Errorf("French tag = %q, want J, a no-break hyphen, 7", got)
	}
	if got := fr.T("no such key"); got != "[no such key]" {
		t.Errorf("unknown key = %q", got)
	}
}

func TestTypeset(t *testing.T) {
	fr := mustLoad(t).Lang("fr")
	for in, want := range map[string]string{
		"Date limite : 30/10/2025":       "Date limite\u202f: 30/10/2025",
		"Date limite: 30/10/2025":        "Date limite\u202f: 30/10/2025",
		"Vraiment ? Oui ! Bien ; fini.":  "Vraiment\u202f? Oui\u202f! Bien\u202f; fini.",
		"Lien : https://x.example/a?t=1": "Lien\u202f: https://x.example/a?t=1",
		"à 12:00, mailto:a@b.fr":         "à 12:00, mailto:a@b.fr",
		"« médiation »":                  "«\u202fmédiation\u202f»",
		"«médiation»":                    "«\u202fmédiation\u202f»",
		"J-7 · Musée":                    "J\u20117 · Musée",
		"Bonjour,":                       "Bonjour,",
	} {
		got := fr.Typeset(in)
		if got != want {
			t.Errorf("Typeset(%q) = %q, want %q", in, got, want)
		}
		if again := fr.Typeset(got); again != got {
			t.Errorf("Typeset is not idempotent on %q: %q", got, again)
		}
	}
	en := mustLoad(t).Lang("en")
	if got := en.Typeset("Deadline: now?"); got != "Deadline: now?" {
		t.Errorf("English Typeset = %q", got)
	}
}

func TestDates(t *testing.T) {
	c := mustLoad(t)
	paris, _ := time.LoadLocation("Europe/Paris")
	d := time.Date(2025, 10, 30, 12, 0, 0, 0, paris)
	first := time.Date(2026, 1, 1, 9, 30, 0, 0, paris)
	for _, tt := range []struct{ got, want string }{
		{c.Lang("fr").LongDate(d), "jeudi 30 octobre 2025"},
		{c.Lang("fr").LongDate(first), "jeudi 1er janvier 2026"},
		{c.Lang("fr").DateTime(d), "jeudi 30 octobre 2025 à 12 h"},
		{c.Lang("fr").DateTime(first), "jeudi 1er janvier 2026 à 9 h 30"},
		{c.Lang("fr").ShortDate(d), "jeudi 30 octobre"},
		{c.Lang("en").LongDate(d), "Thursday 30 October 2025"},
		{c.Lang("en").DateTime(first), "Thursday 1 January 2026, 09:30"},
		{c.Lang("en").Time(d), "12:00"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	c := mustLoad(t)
	for accept, want := range map[string]string{
		"":                           "fr",
		"en-GB,en;q=0.9":             "en",
		"de-DE,de;q=0.9,en;q=0.8":    "en",
		"fr-FR,fr;q=0.9,en-US;q=0.8": "fr",
		"en;q=0.5, fr;q=0.7":         "fr",
		"de":                         "fr",
		"en;q=0":                     "fr",
		"en;q=bogus, fr":             "fr",
		"EN-us":                      "en",
	} {
		if got := c.Match(accept); got != want {
			t.Errorf("Match(%q) = %s, want %s", accept, got, want)
		}
	}
}

// TestLoadChecksEveryLanguage: a language missing a message, or with other
// placeholders, stops Load with the file and key named.
func TestLoadChecksEveryLanguage(t *testing.T) {
	fr, err := files.ReadFile("fr.toml")
	if err != nil {
		t.Fatal(err)
	}
	en, _ := files.ReadFile("en.toml")
	for name, edit := range map[string]struct{ from, to, want string }{
		"missing":      {`greeting_anonymous = "Hello,"`, ``, `en.toml: no message "greeting_anonymous"`},
		"placeholders": {`greeting = "Hello {name},"`, `greeting = "Hello {nom},"`, `message "greeting" has placeholders`},
		"extra":        {`greeting_anonymous = "Hello,"`, "greeting_anonymous = \"Hello,\"\nbonus = \"x\"", `"bonus" is not in fr.toml`},
	} {
		bad := strings.Replace(string(en), edit.from, edit.to, 1)
		if bad == string(en) {
			t.Fatalf("%s: nothing replaced", name)
		}
		_, err := load(fstest.MapFS{"fr.toml": {Data: fr}, "en.toml": {Data: []byte(bad)}})
		if err == nil || !strings.Contains(err.Error(), edit.want) {
			t.Errorf("%s: err = %v, want %q", name, err, edit.want)
		}
	}
}

// TestTypesetSkip checks that Typeset's copying of the text between marks
// writes what reading it rune by rune writes, on random phrases made of
// the characters typography looks at.
func TestTypesetSkip(t *testing.T) {
	c := mustLoad(t)
	pieces := []string{" ", "\u00a0", "\u202f", ":", ";", "!", "?", "«", "»", `"`, "'", ")", "1", "2",
		"a", "é", "Date", "limite", "https", "//", "J-", "\n", "\t", "·", ".", ","}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tag := range []string{"fr", "en"} {
		l := c.Lang(tag)
		for range 20000 {
			var b strings.Builder
			for range rng.IntN(12) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			s := b.String()
			if got, want := l.typeset(s, true), l.typeset(s, false); got != want {
				t.Fatalf("%s: typeset(%q) = %q, rune by rune %q", tag, s, got, want)
			}
		}
	}
}
