package notify

import (
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
)

// testIDKey is the install key of the tests' Message-IDs.
var testIDKey = []byte("0123456789abcdef0123456789abcdef")

func testCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newMailer builds a Mailer on the default config, changed by edit.
func newMailer(t testing.TB, edit func(*config.Config)) *Mailer {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.Dir = t.TempDir()
	cfg.Mail.From = "Échéances <rappels@echeance.example>"
	if edit != nil {
		edit(&cfg)
	}
	m, err := New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Site, testCatalog(t), cfg.Schedule.Location, testIDKey, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// write returns msg as it would be sent.
func write(t *testing.T, msg *gomail.Msg) string {
	t.Helper()
	var b strings.Builder
	if _, err := msg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var boundaryRE = regexp.MustCompile(`boundary="?([0-9A-Za-z'()+_,./:=?-]+)"?`)

// fixBoundaries replaces go-mail's random MIME boundaries with numbered
// ones, in order of appearance. (Msg.SetBoundary cannot do this: it gives
// every multipart level the same boundary, and a reminder nests
// multipart/alternative inside multipart/mixed.)
func fixBoundaries(raw string) string {
	n := 0
	for _, sm := range boundaryRE.FindAllStringSubmatch(raw, -1) {
		if strings.HasPrefix(sm[1], "echeance-boundary-") {
			continue
		}
		n++
		raw = strings.ReplaceAll(raw, sm[1], fmt.Sprintf("echeance-boundary-%d", n))
	}
	return raw
}

// parts is a message taken apart.
type parts struct {
	header mail.Header
	text   string
	html   string
	ics    []byte
	// icsName and icsType are the attachment's file name and content type.
	icsName, icsType string
	// layout lists the content types, nested ones indented.
	layout []string
}

// parse takes a message apart, checking it is well-formed MIME.
func parse(t *testing.T, raw string) parts {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("not a message: %v", err)
	}
	p := parts{header: msg.Header}
	walk(t, &p, msg.Header, msg.Body, "")
	return p
}

type header interface{ Get(string) string }

func walk(t *testing.T, p *parts, h header, body io.Reader, indent string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type %q: %v", h.Get("Content-Type"), err)
	}
	p.layout = append(p.layout, indent+mt)
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", mt, err)
			}
			walk(t, p, part.Header, part, indent+"  ")
		}
	}
	var data []byte
	switch enc := strings.ToLower(h.Get("Content-Transfer-Encoding")); enc {
	case "quoted-printable":
		data, err = io.ReadAll(quotedprintable.NewReader(body))
	case "base64":
		data, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
	case "", "7bit", "8bit":
		data, err = io.ReadAll(body)
	default:
		t.Fatalf("unexpected transfer encoding %q", enc)
	}
	if err != nil {
		t.Fatalf("%s body: %v", mt, err)
	}
	switch mt {
	case "text/plain":
		p.text = string(data)
	case "text/html":
		p.html = string(data)
	case "text/calendar":
		p.ics = data
		p.icsType = h.Get("Content-Type")
		_, dp, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
		p.icsName = dp["filename"]
	default:
		t.Fatalf("unexpected part %s", mt)
	}
}

// headerBlock returns the unfolded header lines of a message.
func headerBlock(msg string) []string {
	head, _, _ := strings.Cut(msg, "\r\n\r\n")
	var out []string
	for _, l := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			out[len(out)-1] += l
			continue
		}
		out = append(out, l)
	}
	return out
}

// headerNames lists the names in a header block, in order.
func headerNames(msg string) string {
	var names []string
	for _, h := range headerBlock(msg) {
		name, _, _ := strings.Cut(h, ":")
		names = append(names, name)
	}
	return strings.Join(names, ",")
}

var testNow = time.Date(2025, 10, 24, 8, 0, 0, 0, mustLoad("Europe/Paris"))

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func testLinks(id string) Links {
	base := "https://rappels.univ.example/l/"
	return Links{Unsubscribe: base + "unsubscribe?s=" + id + "&t=Zm9vYmFy",
		Pause:    base + "pause?s=" + id + "&t=YmF6cXV4",
		Language: base + "language?s=" + id + "&t=cXV1eGNvcmdl",
		Feed:     "https://rappels.univ.example/feed/" + id + "/Y2FsZW5kYXJ0b2tlbg.ics",
		Manage:   "https://rappels.univ.example/manage/bWFuYWdl" + id}
}

func withItemLinks(it Item, id string) Item {
	base := "https://rappels.univ.example/l/"
	it.Applied = fmt.Sprintf("%sapplied?s=%s&o=%d&t=YXBwbGllZA", base, id, it.OfferID)
	it.NotInterested = fmt.Sprintf("%snot-interested?s=%s&o=%d&t=bm9wZQ", base, id, it.OfferID)
	return it
}

// seedItem is the first seed offer, due "avant le 31 octobre 2025".
func seedItem(loc *time.Location) Item {
	due := time.Date(2025, 10, 31, 0, 0, 0, 0, loc)
	return Item{Title: "Assistant.e Chargé.e de projets Ingénierie culturelle", Organisation: "Territoire de Sciences",
		Phrase: "avant le 31 octobre 2025", LastDay: "2025-10-30", DeadlineAt: due,
		Contacts: []string{"ahlem.elafani@territoire-de-sciences.fr"}, Source: "seeds/000.txt",
		OfferID: 12, City: "Grenoble", URL: "https://rappels.univ.example/offres/12"}
}

// estimatedItem states no deadline: echeance estimated one.
func estimatedItem(loc *time.Location) Item {
	return Item{Title: "Stage développement web (6 mois)", Organisation: "Ville de Lyon",
		Estimated: true, Basis: "start", BasisDate: "2025-11-27", LastDay: "2025-10-28", DeadlineAt: time.Date(2025, 10, 28, 23, 59, 59, 0, loc),
		Contacts: []string{"stages@mairie-lyon.example", "rh@mairie-lyon.example"},
		OfferID:  31, Revision: 1, City: "Lyon", URL: "https://emplois.mairie-lyon.example/offres/2025-118"}
}

// timedItem closes at noon.
func timedItem(loc *time.Location) Item {
	return Item{Title: "Chargé·e de médiation scientifique; ateliers, expositions", Organisation: "Muséum d'histoire naturelle",
		Phrase: "avant le 15 novembre 2025 à 12h", LastDay: "2025-11-15", DeadlineAt: time.Date(2025, 11, 15, 12, 0, 0, 0, loc),
		Contacts: []string{"recrutement@museum.example"}, NewOffer: true, Search: "médiation 75",
		StopSearch: "https://rappels.univ.example/l/stop-search?s=3&q=8&t=c3RvcA",
		OfferID:    44, City: "Paris", URL: "https://museum.example/recrutement/mediation-2025"}
}

// movedItem had its deadline moved twice.
func movedItem(loc *time.Location) Item {
	return Item{Title: "Stage assistant·e communication", Organisation: "Théâtre du Rond-Point",
		Phrase: "jusqu'au 7 novembre 2025", LastDay: "2025-11-07", DeadlineAt: time.Date(2025, 11, 7, 23, 59, 59, 0, loc),
		Contacts: []string{"candidatures@rondpoint.example"}, DeadlineChanged: true, PreviousLastDay: "2025-11-14",
		OfferID: 57, Revision: 2, City: "Paris", URL: "https://rondpoint.example/emplois/stage-com"}
}

// labelledItem's phrase is a label line in Markdown, as many offers write it.
func labelledItem(loc *time.Location) Item {
	return Item{Title: "Chargé·e de projet culturel", Organisation: "Maison des Sciences de Lyon",
		Phrase: "**Date limite de candidature :** 30/10/2025", LastDay: "2025-10-30",
		DeadlineAt: time.Date(2025, 10, 30, 23, 59, 59, 0, loc), Contacts: []string{"rh@msl.example"},
		OfferID: 61, City: "Lyon", URL: "https://rappels.univ.example/offres/61"}
}

// staffItem's deadline was set by the career service: the offer states
// another one, or none.
func staffItem(loc *time.Location) Item {
	return Item{Title: "Stage juriste", Organisation: "Cabinet Dupont & Associés", Basis: BasisStaff,
		LastDay: "2025-11-03", DeadlineAt: time.Date(2025, 11, 3, 23, 59, 59, 0, loc),
		OfferID: 70, Revision: 2, City: "Grenoble", URL: "https://rappels.univ.example/offres/70"}
}
