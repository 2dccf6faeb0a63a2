// Package notify owns the messages echeance sends and their delivery: it
// builds reminder emails from embedded templates (parsed at construction, so
// a broken template stops the daemon at once) and delivers them either
// through an SMTP relay (go-mail) or by writing .eml files into a folder.
//
// Building a message does no I/O; sending does nothing else. What to send
// and when is the scheduler's business, not this package's.
package notify

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Mailer builds and delivers messages.
type Mailer struct {
	transport string
	dir       string
	from      *mail.Address
	smtp      config.SMTP
	loc       *time.Location
	log       *slog.Logger
	tmpl      map[string]*template.Template
}

// New returns a Mailer for the mail and SMTP settings, with messages dated in
// loc. It fails if a template does not parse.
func New(m config.Mail, s config.SMTP, dkim config.DKIM, loc *time.Location, log *slog.Logger) (*Mailer, error) {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("notify: mail.from %q: %w", m.From, err)
	}
	mr := &Mailer{transport: m.Transport, dir: m.Dir, from: from, smtp: s, loc: loc, log: log,
		tmpl: map[string]*template.Template{}}
	funcs := template.FuncMap{"join": strings.Join}
	for _, lang := range []string{"fr", "en"} {
		name := "reminder." + lang + ".txt.tmpl"
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("notify: template %s: %w", name, err)
		}
		for _, part := range []string{"subject", "body"} {
			if t.Lookup(part) == nil {
				return nil, fmt.Errorf("notify: template %s: no %q block", name, part)
			}
		}
		mr.tmpl[lang] = t
	}
	return mr, nil
}

// Transport says where messages go: "dir" or "smtp".
func (m *Mailer) Transport() string { return m.transport }

// Reminder is one email to one student about one or more offers.
type Reminder struct {
	To   string
	Name string
	Lang string
	// Items are the offers, most urgent first.
	Items []Item
	// Now is when the message is written; time left is counted from it.
	Now time.Time
	// MessageID is stable for the same reminders, so a repeat after a crash
	// carries the same Message-ID.
	MessageID string
	// SubscriberID identifies the student in calendar UIDs and links.
	SubscriberID int64
	// Links are the student's one-click links; empty when echeance has no
	// web address configured.
	Links Links
}

// Links are a student's one-click links, each carrying its own token.
type Links struct {
	Unsubscribe string
	Pause       string
	// Language switches the emails to the other language.
	Language string
	// Feed is the student's private calendar feed (https; webcal is derived).
	Feed string
}

// Item is one offer in a reminder.
type Item struct {
	Title        string
	Organisation string
	// Phrase is the deadline as the offer writes it ("avant le 31 octobre
	// 2025"), empty for an estimate.
	Phrase    string
	Estimated bool
	// LastDay is the last day to apply, YYYY-MM-DD.
	LastDay string
	// DeadlineAt is when applications close.
	DeadlineAt time.Time
	Contacts   []string
	Source     string
	// NewOffer marks an offer just found by a saved search.
	NewOffer bool
	// DeadlineChanged marks an offer whose deadline moved.
	DeadlineChanged bool

	OfferID int64
	// Revision goes up each time the deadline changes (the calendar SEQUENCE).
	Revision int
	City     string
	// URL is where the offer can be read: its web address, or its page on
	// echeance's web server; "" when neither exists.
	URL string
	// Applied and NotInterested are the one-click links that stop this
	// offer's reminders.
	Applied       string
	NotInterested string
}

// MessageID returns a stable Message-ID for a message carrying the reminder
// ids, in the sender's domain.
func (m *Mailer) MessageID(ids []int64) string {
	h := sha256.New()
	for _, id := range ids {
		fmt.Fprintf(h, "%d,", id)
	}
	domain := m.from.Address[strings.LastIndexByte(m.from.Address, '@')+1:]
	return fmt.Sprintf("reminder.%d.%s@%s", ids[0], hex.EncodeToString(h.Sum(nil))[:16], domain)
}

// Build writes the reminder as a message. It does no I/O.
func (m *Mailer) Build(r Reminder) (*gomail.Msg, error) {
	if len(r.Items) == 0 {
		return nil, errors.New("notify: reminder with no offer")
	}
	lang := r.Lang
	t, ok := m.tmpl[lang]
	if !ok {
		lang, t = "fr", m.tmpl["fr"]
	}
	data := view(r, lang, m.loc)
	var subject, body strings.Builder
	if err := t.ExecuteTemplate(&subject, "subject", data); err != nil {
		return nil, fmt.Errorf("notify: subject for %s: %w", r.To, err)
	}
	if err := t.ExecuteTemplate(&body, "body", data); err != nil {
		return nil, fmt.Errorf("notify: body for %s: %w", r.To, err)
	}

	msg := gomail.NewMsg()
	if err := msg.FromFormat(m.from.Name, m.from.Address); err != nil {
		return nil, fmt.Errorf("notify: from %s: %w", m.from, err)
	}
	if err := msg.AddToFormat(headerSafe(r.Name), r.To); err != nil {
		return nil, fmt.Errorf("notify: to %s: %w", r.To, err)
	}
	msg.Subject(headerSafe(subject.String()))
	msg.SetMessageIDWithValue(r.MessageID)
	msg.SetDateWithValue(r.Now.In(m.loc))
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.HeaderContentLang, lang)
	msg.SetUserAgent("echeance")
	msg.SetBodyString(gomail.TypeTextPlain, body.String())
	return msg, nil
}

// headerSafe makes untrusted text fit for a header: control characters,
// line breaks included, become spaces.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Send delivers msgs and returns one error per message, nil where the
// relay (or the folder) accepted it. Over SMTP all messages share one
// connection. A failure to connect fails every message.
func (m *Mailer) Send(ctx context.Context, msgs []*gomail.Msg) []error {
	errs := make([]error, len(msgs))
	if m.transport == "dir" {
		for i, msg := range msgs {
			errs[i] = m.writeFile(msg)
		}
		return errs
	}
	c, err := m.client()
	if err == nil {
		err = c.DialWithContext(ctx)
	}
	if err != nil {
		err = fmt.Errorf("notify: smtp %s:%d: %w", m.smtp.Host, m.smtp.Port, err)
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	defer c.Close()
	for i, msg := range msgs {
		if ctx.Err() != nil {
			errs[i] = fmt.Errorf("notify: %w", ctx.Err())
			continue
		}
		if err := c.Send(msg); err != nil {
			errs[i] = fmt.Errorf("notify: smtp %s:%d: %w", m.smtp.Host, m.smtp.Port, err)
		}
	}
	return errs
}

func (m *Mailer) client() (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(m.smtp.Port),
		gomail.WithTimeout(m.smtp.Timeout.Duration),
	}
	switch m.smtp.Security {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	}
	if m.smtp.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.smtp.Username), gomail.WithPassword(m.smtp.Password))
	}
	return gomail.NewClient(m.smtp.Host, opts...)
}

// writeFile writes msg into the folder, named after its Message-ID so that a
// repeat replaces the file instead of adding one. The file appears whole or
// not at all.
func (m *Mailer) writeFile(msg *gomail.Msg) error {
	if err := os.MkdirAll(m.dir, 0o750); err != nil {
		return fmt.Errorf("notify: mail.dir: %w", err)
	}
	id := strings.Trim(strings.Join(msg.GetGenHeader(gomail.HeaderMessageID), ""), "<>")
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, id) + ".eml"
	tmp, err := os.CreateTemp(m.dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("notify: mail.dir: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("notify: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("notify: write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(m.dir, name)); err != nil {
		return fmt.Errorf("notify: write %s: %w", name, err)
	}
	return nil
}

// Temporary reports whether err from Send is worth retrying later. Only a
// 5xx reply from the relay is permanent; anything else (4xx replies,
// refused connections, timeouts) may pass, so the reminder is kept.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return false
	}
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return false
	}
	return true
}
