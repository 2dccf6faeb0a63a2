package notify

import (
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/offer"
)

// corpusItems reads every offer of package offer's test corpora and turns
// each one with a deadline into the Item the scheduler would write.
func corpusItems(t *testing.T, loc *time.Location) []Item {
	t.Helper()
	var names []string
	for _, pattern := range []string{"*", "*/*"} {
		for _, ext := range []string{".txt", ".md", ".html"} {
			m, _ := filepath.Glob(filepath.Join("..", "offer", "testdata", "deadlines*", pattern+ext))
			names = append(names, m...)
		}
	}
	if len(names) < 300 {
		t.Fatalf("found %d corpus offers, want the seven corpora (300 or more)", len(names))
	}
	var items []Item
	for i, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		o, err := offer.Parse(name, data, offer.Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, loc), Location: loc})
		if err != nil || o.Deadline.DueAt == nil {
			continue
		}
		it := Item{Title: o.Title, Organisation: o.Organisation, Phrase: o.Deadline.Phrase,
			Estimated: o.Deadline.Kind == offer.KindEstimated, Basis: o.Deadline.Basis, LastDay: o.Deadline.LastDay,
			DeadlineAt: *o.Deadline.DueAt, Contacts: o.Contacts, OfferID: int64(i + 1), Revision: 1,
			URL: "https://rappels.univ.example/offres/x"}
		if o.Start != nil {
			it.BasisDate = o.Start.Date
		}
		if len(o.Places) > 0 {
			it.City = o.Places[0].City
		}
		items = append(items, withItemLinks(it, "3"))
	}
	return items
}

// htmlText is the text a reader sees in an HTML document.
func htmlText(t *testing.T, doc string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(doc))
	var b strings.Builder
	skip := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			skip = string(name) == "style" || string(name) == "title"
		case html.EndTagToken:
			skip = false
		case html.TextToken:
			if !skip {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

var (
	doubledLabel = regexp.MustCompile(`(?i)(date limite|deadline|clôture|closing date)[^\n:]{0,40}\s*:\s*(date limite|deadline|clôture|closing date)`)
	labelQuoted  = regexp.MustCompile(`(?i)(«|“)\s*(date limite|deadline|clôture|closing date|date de fin)[^»”]*:`)
	frenchTag    = regexp.MustCompile(`\bJ[-\x{2011}]\d`)
	urlRE        = regexp.MustCompile(`(https?|mailto|webcal):[^\s<>"]+`)
)

// TestCopyOnTheCorpora renders the reminder of every offer of the deadline
// corpora, as a reminder, a new offer, a deadline change and in a weekly
// summary, in each language, and reads every part as a student would: no
// doubled label, no Markdown, no label in the quoted deadline, no French
// tag in English, French typography (a no-break space before ; : ! ?),
// and the institution's name.
func TestCopyOnTheCorpora(t *testing.T) {
	m := goldenMailer(t)
	items := corpusItems(t, m.loc)
	checked := 0
	for _, lang := range []string{"fr", "en"} {
		// French typography wants a no-break space before these; English
		// none.
		nbsp := map[string]string{"fr": ";:!?", "en": ""}[lang]
		for i, it := range items {
			variants := map[string]Item{"reminder": it}
			if i%3 == 0 {
				n := it
				n.NewOffer, n.Search, n.StopSearch = true, "stage 38", "https://rappels.univ.example/l/stop"
				variants["new-offer"] = n
				c := it
				c.DeadlineChanged, c.PreviousLastDay = true, "2025-10-15"
				variants["changed"] = c
			}
			for kind, v := range variants {
				r := Reminder{To: "ines@etu.univ.example", Name: "Inès", Lang: lang, Now: v.DeadlineAt.AddDate(0, 0, -6),
					Items: []Item{v}, SubscriberID: 3, Links: testLinks("3"), MessageID: m.MessageID([]int64{int64(i)})}
				if i%5 == 0 && i+1 < len(items) {
					r.Items = append(r.Items, items[i+1])
				}
				if i%7 == 0 {
					r.Summary, r.WeekStart = true, r.Now
				}
				msg, err := m.Build(r)
				if err != nil {
					t.Fatalf("%s %s: %v", v.Title, kind, err)
				}
				p := parse(t, write(t, msg))
				subject, err := decodeHeader(p.header.Get("Subject"))
				if err != nil {
					t.Fatal(err)
				}
				parts := map[string]string{"subject": subject, "text": p.text, "html": htmlText(t, p.html),
					"ics": icsValues(string(p.ics))}
				for part, text := range parts {
					where := func(f string, args ...any) {
						t.Errorf("%s %s (%s), %s: "+f, append([]any{lang, kind, filepath.Base(v.Title), part}, args...)...)
					}
					if strings.Contains(text, "**") || strings.Contains(text, "__") {
						where("Markdown left in %q", excerpt(text, "**"))
					}
					if loc := doubledLabel.FindStringIndex(text); loc != nil {
						where("doubled label %q", text[loc[0]:loc[1]])
					}
					if loc := labelQuoted.FindStringIndex(text); loc != nil {
						where("the quoted deadline keeps its label: %q", text[loc[0]:min(len(text), loc[1]+30)])
					}
					if lang == "en" && frenchTag.MatchString(text) {
						where("a French tag in English: %q", frenchTag.FindString(text))
					}
					if part != "ics" && part != "subject" && !strings.Contains(strings.ReplaceAll(text, "\u202f", " "), testSite.Name) {
						where("no %q", testSite.Name)
					}
					for _, bad := range catalog.Mistakes(urlRE.ReplaceAllString(text, "URL"), nbsp) {
						where("typography: %s", bad)
					}
				}
				checked++
			}
		}
	}
	if checked < 600 {
		t.Errorf("checked %d messages, want the corpora in two languages", checked)
	}
	t.Logf("%d messages read", checked)
}

func decodeHeader(s string) (string, error) {
	return new(mimeDecoder).decode(s)
}

// icsValues returns the SUMMARY and DESCRIPTION values of a calendar,
// unfolded and unescaped, one per line.
func icsValues(ics string) string {
	ics = strings.ReplaceAll(ics, "\r\n ", "")
	var out []string
	for _, line := range strings.Split(ics, "\r\n") {
		for _, prefix := range []string{"SUMMARY:", "DESCRIPTION:"} {
			if v, ok := strings.CutPrefix(line, prefix); ok {
				out = append(out, strings.NewReplacer(`\n`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(v))
			}
		}
	}
	return strings.Join(out, "\n")
}

func excerpt(s, near string) string {
	i := strings.Index(s, near)
	return s[max(0, i-30):min(len(s), i+30)]
}

// mimeDecoder decodes RFC 2047 encoded words.
type mimeDecoder struct{ mime.WordDecoder }

func (d *mimeDecoder) decode(s string) (string, error) { return d.DecodeHeader(s) }
