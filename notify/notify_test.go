package notify

import (
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
)

func newTestMailer(t *testing.T, dir string) *Mailer {
	t.Helper()
	return newMailer(t, func(c *config.Config) { c.Mail.Dir = dir })
}

func render(t *testing.T, m *Mailer, r Reminder) string {
	t.Helper()
	msg, err := m.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := msg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var messageIDRE = regexp.MustCompile(`^(reminder|weekly|confirm)\.[0-9a-f]{32}@echeance\.example$`)

// TestMessageIDs: stable for the same message, different for other
// messages, unguessable from row ids, and different in another install.
func TestMessageIDs(t *testing.T) {
	m := newTestMailer(t, t.TempDir())
	cfg, _ := config.Default()
	cfg.Mail.From = "rappels@echeance.example"
	other, err := New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Site, testCatalog(t), cfg.Schedule.Location, []byte("another install's key, 32 bytes"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for name, id := range map[string]string{
		"reminder 7,8":    m.MessageID([]int64{7, 8}),
		"reminder 7":      m.MessageID([]int64{7}),
		"reminder 78":     m.MessageID([]int64{78}),
		"weekly 3":        m.SummaryID(3, "2025-10-20"),
		"weekly 3 later":  m.SummaryID(3, "2025-10-27"),
		"confirm 3":       m.ConfirmationID(3),
		"confirm 4":       m.ConfirmationID(4),
		"other install 7": other.MessageID([]int64{7}),
		"other confirm 3": other.ConfirmationID(3),
	} {
		if prev, dup := ids[id]; dup {
			t.Errorf("%s and %s share %s", name, prev, id)
		}
		ids[id] = name
		// kind.<128 bits>@domain: no row id, no date, nothing to guess.
		if !messageIDRE.MatchString(id) {
			t.Errorf("%s: %s is not kind.<32 hex digits>@echeance.example", name, id)
		}
	}
	again := newTestMailer(t, t.TempDir())
	if m.MessageID([]int64{7, 8}) != again.MessageID([]int64{7, 8}) || m.ConfirmationID(3) != again.ConfirmationID(3) {
		t.Error("Message-IDs are not stable: a restart with the same install key gives others")
	}
	if _, err := New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Site, testCatalog(t), cfg.Schedule.Location, nil, nil); err == nil {
		t.Error("New accepted no Message-ID key")
	}
}

func TestBuildFrench(t *testing.T) {
	m := newTestMailer(t, t.TempDir())
	now := time.Date(2025, 10, 24, 8, 0, 0, 0, m.loc)
	msg := render(t, m, Reminder{To: "ines@example.org", Name: "Inès", Lang: "fr", Now: now,
		Items: []Item{seedItem(m.loc)}, MessageID: m.MessageID([]int64{7, 8})})
	for _, want := range []string{
		"Message-ID: <" + m.MessageID([]int64{7, 8}) + ">",
		"Date: Fri, 24 Oct 2025 08:00:00 +0200",
		"Auto-Submitted: auto-generated",
		"Content-Language: fr",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	v := m.view(Reminder{Lang: "fr", Now: now, Items: []Item{seedItem(m.loc)}})
	var body strings.Builder
	if err := m.text["reminder"].Execute(&body, v); err != nil {
		t.Fatal(err)
	}
	if got, want := v.Subject, "J\u20116 · Territoire de Sciences\u202f: dernier jour le jeudi 30 octobre 2025"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
	for _, want := range []string{"L'offre indique\u202f: «\u202favant le 31 octobre 2025\u202f»",
		"Dernier jour pour postuler\u202f: jeudi 30 octobre 2025", "Il reste 6 jours.",
		"Candidature à\u202f: ahlem.elafani@territoire-de-sciences.fr"} {
		if !strings.Contains(body.String(), want) {
			t.Errorf("body lacks %q:\n%s", want, body.String())
		}
	}
}

func TestBuildEnglishDigestAndNotices(t *testing.T) {
	m := newTestMailer(t, t.TempDir())
	now := time.Date(2025, 10, 30, 8, 0, 0, 0, m.loc)
	other := Item{Title: "Stage", NewOffer: true}
	est := seedItem(m.loc)
	est.Estimated, est.Phrase, est.Basis, est.BasisDate = true, "", "start", "2025-11-29"
	v := m.view(Reminder{Lang: "en", Now: now, Items: []Item{est, other}})
	var body strings.Builder
	if err := m.text["reminder"].Execute(&body, v); err != nil {
		t.Fatal(err)
	}
	if got := v.Subject; got != "2 offers not to miss: the first closes Thursday 30 October 2025" {
		t.Errorf("subject = %q", got)
	}
	for _, want := range []string{"Today is the last day to apply.", "this is an estimate",
		"(estimated: 30 days before the stated start, Saturday 29 November 2025)",
		"A new offer matches your saved search.", "Deadline: no deadline stated", "Organisation: not stated"} {
		if !strings.Contains(body.String(), want) {
			t.Errorf("body lacks %q:\n%s", want, body.String())
		}
	}
}

// TestHeaderInjection feeds line breaks (raw, Unicode and RFC 2047
// encoded) and NUL through every untrusted field: the header block must
// hold exactly the expected headers, and no header, once decoded, may hold
// a line break.
func TestHeaderInjection(t *testing.T) {
	m := newMailer(t, func(c *config.Config) { c.Mail.ReplyTo = "carrieres@univ.example" })
	hostile := []string{
		"Stage\r\nBcc: victim@example.org",
		"Evil\nX-Injected: yes\x00\u2028Reply-To: a@b.c",
		"=?UTF-8?Q?a=0D=0AX-Injected:_yes?=",
		"=?utf-8?b?YQ0KWC1JbmplY3RlZDogeWVz?=",
		"a\rX-Injected: yes\u2029\u0085b",
		"line\x00\x0b\x0c\x7fbreak",
	}
	want := "Auto-Submitted,Content-Language,Date,List-Id,List-Unsubscribe,List-Unsubscribe-Post,MIME-Version,Message-ID,Subject,User-Agent,X-Mailer,From,To,Reply-To,Content-Type"
	dec := new(mime.WordDecoder)
	for i, h := range hostile {
		for _, field := range []string{"title", "organisation", "name", "all"} {
			it := withItemLinks(seedItem(m.loc), "1")
			r := Reminder{To: "ines@example.org", Name: "Inès", Lang: []string{"fr", "en"}[i%2], Now: testNow,
				MessageID: m.MessageID([]int64{1}), Links: testLinks("1")}
			switch field {
			case "title":
				it.Title = h
			case "organisation":
				it.Organisation = h
			case "name":
				r.Name = h
			case "all":
				it.Title, it.Organisation, r.Name = h, h, h
			}
			r.Items = []Item{it, seedItem(m.loc)}
			if field != "all" {
				r.Items = r.Items[:1] // the subject names a single offer
			}
			msg := render(t, m, r)
			if got := headerNames(msg); got != want {
				t.Errorf("%q in %s: headers\n%s\nwant\n%s\n%s", h, field, got, want, msg)
			}
			for _, line := range headerBlock(msg) {
				name, value, _ := strings.Cut(line, ":")
				d, err := dec.DecodeHeader(value)
				if err != nil {
					t.Errorf("%s: %v", name, err)
				}
				// Decoding twice must not produce a line break either: the
				// text cannot pose as an encoded word.
				d2, _ := dec.DecodeHeader(d)
				if strings.ContainsAny(d+d2, "\r\n\x00\u2028\u2029\u0085") {
					t.Errorf("%q in %s: header %s decodes to %q", h, field, name, d2)
				}
			}
		}
	}
	for _, to := range []string{"not an address", "ines@example.org\r\nBcc: x@example.org", "a@b.c, evil@example.org",
		"ines@example.org\x00", "<ines@example.org>\nX: y"} {
		if _, err := m.Build(Reminder{To: to, Lang: "fr", Now: testNow, Items: []Item{seedItem(m.loc)}, MessageID: "x@y"}); err == nil {
			t.Errorf("recipient %q was accepted", to)
		}
		if _, err := m.BuildConfirmation(Confirmation{To: to, Now: testNow, MessageID: "x@y", ConfirmURL: "https://a.example/c"}); err == nil {
			t.Errorf("confirmation recipient %q was accepted", to)
		}
	}
}

// TestHTMLEscapesOfferText puts markup in every offer field: the HTML part
// must show it as text.
func TestHTMLEscapesOfferText(t *testing.T) {
	m := newMailer(t, nil)
	it := seedItem(m.loc)
	it.Title = "<script>alert(1)</script>"
	it.Organisation = `"><img src=x onerror=alert(1)>`
	it.City = "<b>Lyon</b>"
	it.Phrase = "<i>avant</i> le 31"
	it.URL = "javascript:alert(1)"
	it.Source = "javascript:alert(2)"
	it.Contacts = []string{`a@b.c" onmouseover="alert(1)`, "ok@example.org"}
	for _, lang := range []string{"fr", "en"} {
		msg, err := m.Build(Reminder{To: "ines@example.org", Name: "<svg onload=alert(1)>", Lang: lang, Now: testNow,
			Items: []Item{it}, MessageID: "x@y", Links: Links{Unsubscribe: "javascript:alert(3)", Feed: "https://a.example/f"}})
		if err != nil {
			t.Fatal(err)
		}
		h := parse(t, write(t, msg)).html
		for _, bad := range []string{"<script>", "<img", "<svg", "<b>Lyon", "<i>avant", "javascript:", `" onmouseover`} {
			if strings.Contains(h, bad) {
				t.Errorf("%s: the HTML part holds %q:\n%s", lang, bad, h)
			}
		}
		for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
			`href="mailto:ok@example.org?subject=`, `href="webcal://a.example/f"`} {
			if !strings.Contains(h, good) {
				t.Errorf("%s: the HTML part lacks %q:\n%s", lang, good, h)
			}
		}
	}
}

// TestListHeaders checks the one-click unsubscribe headers with and
// without a web address, List-Id, and that a confirmation is no list
// message.
func TestListHeaders(t *testing.T) {
	m := newMailer(t, func(c *config.Config) { c.Mail.ListID = "rappels.carrieres.univ.example" })
	r := Reminder{To: "ines@example.org", Lang: "fr", Now: testNow, Items: []Item{seedItem(m.loc)}, MessageID: "x@y",
		Links: Links{Unsubscribe: "https://r.example/u?t=1"}}
	msg, err := m.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	h := parse(t, write(t, msg)).header
	if got, want := h.Get("List-Unsubscribe"), "<https://r.example/u?t=1>, <mailto:rappels@echeance.example?subject=unsubscribe>"; got != want {
		t.Errorf("List-Unsubscribe = %q, want %q", got, want)
	}
	if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if got := h.Get("List-Id"); got != "<rappels.carrieres.univ.example>" {
		t.Errorf("List-Id = %q", got)
	}
	r.Links = Links{}
	msg, _ = m.Build(r)
	h = parse(t, write(t, msg)).header
	if got := h.Get("List-Unsubscribe"); got != "<mailto:rappels@echeance.example?subject=unsubscribe>" {
		t.Errorf("without a web address, List-Unsubscribe = %q", got)
	}
	if got := h.Get("List-Unsubscribe-Post"); got != "" {
		t.Errorf("without an https link, List-Unsubscribe-Post = %q", got)
	}
	c, err := m.BuildConfirmation(Confirmation{To: "ines@example.org", Lang: "en", Now: testNow, MessageID: "c@y", ConfirmURL: "https://r.example/c?t=1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := headerNames(write(t, c)); strings.Contains(got, "List-") {
		t.Errorf("a confirmation carries list headers: %s", got)
	}
	if _, err := m.BuildConfirmation(Confirmation{To: "ines@example.org", Now: testNow, MessageID: "c@y"}); err == nil {
		t.Error("a confirmation without a link was built")
	}
}

func TestDirTransportWritesOnePerMessageID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	m := newTestMailer(t, dir)
	now := time.Date(2025, 10, 24, 8, 0, 0, 0, m.loc)
	r := Reminder{To: "ines@example.org", Lang: "fr", Now: now, Items: []Item{seedItem(m.loc)}, MessageID: m.MessageID([]int64{1})}
	for i := 0; i < 2; i++ { // a repeat after a crash replaces the file
		msg, _ := m.Build(r)
		if errs := m.Send(t.Context(), []*gomail.Msg{msg}); errs[0] != nil {
			t.Fatal(errs[0])
		}
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 || !strings.HasSuffix(files[0].Name(), ".eml") {
		t.Fatalf("outbox = %v, want one .eml", files)
	}
}

func TestTemporary(t *testing.T) {
	if Temporary(nil) {
		t.Error("nil is not temporary")
	}
	if !Temporary(os.ErrDeadlineExceeded) {
		t.Error("a timeout is temporary")
	}
}

// TestHostileText: a 3,000-character name and a title laced with bidi
// overrides give header lines under 998 octets and no format character
// in any part a student reads.
func TestHostileText(t *testing.T) {
	m := newTestMailer(t, t.TempDir())
	it := seedItem(m.loc)
	it.Title = "Stage \u202etnemesirpmE\u202c " + strings.Repeat("x", 1200)
	it.Organisation = "Cosmo\u2066cité\u2069\u200b"
	r := Reminder{To: "ines@example.org", Name: strings.Repeat("Inès ", 600), Lang: "fr", Now: testNow,
		Items: []Item{it}, MessageID: m.MessageID([]int64{1})}
	raw := render(t, m, r)
	head, _, _ := strings.Cut(raw, "\r\n\r\n")
	for _, line := range strings.Split(raw, "\r\n") {
		if len(line) > 998 {
			t.Errorf("a line of %d octets: %.80s…", len(line), line)
		}
	}
	p := parse(t, raw)
	for name, text := range map[string]string{"header": head, "text": p.text, "html": p.html, "ics": string(p.ics),
		"subject": p.header.Get("Subject"), "to": p.header.Get("To")} {
		if i := strings.IndexFunc(text, isFormat); i >= 0 {
			t.Errorf("%s holds a format character at %d: %q", name, i, text[max(0, i-20):min(len(text), i+20)])
		}
	}
	dec, err := new(mime.WordDecoder).DecodeHeader(p.header.Get("To"))
	if err != nil || len([]rune(dec)) > 120 {
		t.Errorf("To = %q (%d runes), %v: the name is not shortened", dec, len([]rune(dec)), err)
	}
	feed := string(m.Feed(1, "fr", []Item{it}, testNow))
	if strings.ContainsFunc(feed, isFormat) {
		t.Error("the feed holds a format character")
	}
}
