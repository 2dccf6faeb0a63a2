package notify

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
)

func newTestMailer(t *testing.T, dir string) *Mailer {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.Dir = dir
	cfg.Mail.From = "Échéances <rappels@echeance.example>"
	m, err := New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Schedule.Location, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return m
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

func seedItem(loc *time.Location) Item {
	due := time.Date(2025, 10, 31, 0, 0, 0, 0, loc)
	return Item{Title: "Assistant.e Chargé.e de projets Ingénierie culturelle", Organisation: "Territoire de Sciences",
		Phrase: "avant le 31 octobre 2025", LastDay: "2025-10-30", DeadlineAt: due,
		Contacts: []string{"ahlem.elafani@territoire-de-sciences.fr"}, Source: "seeds/000.txt"}
}

func TestBuildFrench(t *testing.T) {
	m := newTestMailer(t, t.TempDir())
	now := time.Date(2025, 10, 24, 8, 0, 0, 0, m.loc)
	msg := render(t, m, Reminder{To: "ines@example.org", Name: "Inès", Lang: "fr", Now: now,
		Items: []Item{seedItem(m.loc)}, MessageID: m.MessageID([]int64{7, 8})})
	for _, want := range []string{
		"Message-ID: <reminder.7.",
		"@echeance.example>",
		"Date: Fri, 24 Oct 2025 08:00:00 +0200",
		"Auto-Submitted: auto-generated",
		"Content-Language: fr",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	r := Reminder{Lang: "fr", Now: now, Items: []Item{seedItem(m.loc)}}
	v := view(r, "fr", m.loc)
	var subject, body strings.Builder
	m.tmpl["fr"].ExecuteTemplate(&subject, "subject", v)
	m.tmpl["fr"].ExecuteTemplate(&body, "body", v)
	if got, want := subject.String(), "J-6 · Territoire de Sciences — candidature avant le 31 octobre 2025"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
	for _, want := range []string{"Date limite : avant le 31 octobre 2025", "Dernier jour pour postuler : jeudi 30 octobre 2025",
		"Il reste 6 jours.", "Candidature à : ahlem.elafani@territoire-de-sciences.fr"} {
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
	est.Estimated, est.Phrase = true, ""
	v := view(Reminder{Lang: "en", Now: now, Items: []Item{est, other}}, "en", m.loc)
	var subject, body strings.Builder
	m.tmpl["en"].ExecuteTemplate(&subject, "subject", v)
	m.tmpl["en"].ExecuteTemplate(&body, "body", v)
	if got := subject.String(); got != "2 offers not to miss — next deadline by Thursday 30 October 2025 (estimated)" {
		t.Errorf("subject = %q", got)
	}
	for _, want := range []string{"Today is the last day to apply.", "this is an estimate",
		"A new offer matches your saved search.", "Deadline: no deadline stated", "Organisation: (not stated)"} {
		if !strings.Contains(body.String(), want) {
			t.Errorf("body lacks %q:\n%s", want, body.String())
		}
	}
}

// TestHeaderInjection feeds line breaks through every untrusted field: the
// header block must hold exactly the expected headers.
func TestHeaderInjection(t *testing.T) {
	m := newTestMailer(t, t.TempDir())
	now := time.Date(2025, 10, 24, 8, 0, 0, 0, m.loc)
	it := seedItem(m.loc)
	it.Title = "Stage\r\nBcc: victim@example.org"
	it.Organisation = "Evil\nX-Injected: yes\x00\u2028Reply-To: a@b.c"
	msg := render(t, m, Reminder{To: "ines@example.org", Name: "Inès\r\nBcc: x@example.org", Lang: "fr", Now: now,
		Items: []Item{it}, MessageID: m.MessageID([]int64{1})})
	var names []string
	for _, h := range headerBlock(msg) {
		name, _, _ := strings.Cut(h, ":")
		names = append(names, name)
	}
	got := strings.Join(names, ",")
	for _, bad := range []string{"Bcc", "X-Injected", "Reply-To"} {
		if strings.Contains(got, bad) {
			t.Errorf("header %s injected: %s\n%s", bad, got, msg)
		}
	}
	if want := "Auto-Submitted,Content-Language,Date,MIME-Version,Message-ID,Subject,User-Agent,X-Mailer,From,To,Content-Transfer-Encoding,Content-Type"; got != want {
		t.Errorf("headers %s\nwant    %s", got, want)
	}
	if _, err := m.Build(Reminder{To: "not an address", Lang: "fr", Now: now, Items: []Item{it}, MessageID: "x@y"}); err == nil {
		t.Errorf("a bad recipient address was accepted")
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
