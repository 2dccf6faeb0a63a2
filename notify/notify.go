// Package notify owns the messages echeance sends and their delivery: it
// builds reminder, confirmation and manage-link emails (each carrying the
// student's "Gérer mes rappels" link when there is one) from embedded templates (a
// text/template and an html/template per kind and language, parsed at
// construction, so a broken template stops the daemon at once), with the
// list headers of RFC 2369 and 8058, an .ics attachment (RFC 5545) and an
// optional DKIM signature, writes students' calendar feeds, and delivers
// messages either through an SMTP relay (go-mail) or by writing .eml files
// into a folder.
//
// Building a message does no I/O; sending does nothing else. What to send
// and when is the scheduler's business, not this package's.
package notify

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"log/slog"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Mailer builds and delivers messages.
type Mailer struct {
	transport string
	dir       string
	from      *mail.Address
	replyTo   *mail.Address
	listID    string
	smtp      config.SMTP
	dkim      config.DKIM
	dkimKey   crypto.Signer
	loc       *time.Location
	log       *slog.Logger
	// idKey makes Message-IDs unguessable and unique to this install.
	idKey []byte
	// cat holds every word of the messages; site signs them.
	cat     *catalog.Catalog
	site    config.Site
	logoURL string
	// text and html hold the templates by kind: "reminder", "confirm".
	text map[string]*template.Template
	html map[string]*htmltemplate.Template
	// zones keeps the calendars' VTIMEZONE, the same for every message.
	zones zoneCache
	// bounceAddress returns a student's VERP return path; nil sends with
	// From as the return path (see bounce.go).
	bounceAddress func(subscriberID int64) string
}

// New returns a Mailer for the mail and SMTP settings, writing in the words
// of cat, signed by site, with messages dated in loc. idKey, a random value
// kept by the install (16 bytes or more), makes its Message-IDs
// unguessable and different from any other install's. It fails if a
// template does not parse, or if DKIM is configured and its key cannot be
// read.
func New(m config.Mail, s config.SMTP, dkim config.DKIM, site config.Site, cat *catalog.Catalog, loc *time.Location,
	idKey []byte, log *slog.Logger) (*Mailer, error) {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("notify: mail.from %q: %w", m.From, err)
	}
	if from.Name == "" && site.Name != "" {
		// Students trust a mail from a name they know.
		from.Name = headerSafe(site.Name)
	}
	if cat == nil {
		return nil, errors.New("notify: no catalogue")
	}
	if len(idKey) < 16 {
		return nil, fmt.Errorf("notify: Message-ID key of %d bytes, want at least 16", len(idKey))
	}
	mr := &Mailer{transport: m.Transport, dir: m.Dir, from: from, smtp: s, dkim: dkim, loc: loc, log: log,
		idKey: append([]byte(nil), idKey...), cat: cat, site: site, logoURL: webLink(site.LogoURL),
		text: map[string]*template.Template{}, html: map[string]*htmltemplate.Template{}}
	if m.ReplyTo != "" {
		if mr.replyTo, err = mail.ParseAddress(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("notify: mail.reply_to %q: %w", m.ReplyTo, err)
		}
	}
	mr.listID = m.ListID
	if mr.listID == "" {
		mr.listID = "echeance." + mr.domain()
	}
	if dkim.Domain != "" {
		pem, err := os.ReadFile(dkim.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("notify: dkim.key_file: %w", err)
		}
		if mr.dkimKey, err = gomail.PrivKeyFromPEM(pem); err != nil {
			return nil, fmt.Errorf("notify: dkim.key_file %s: %w", dkim.KeyFile, err)
		}
	}
	funcs := template.FuncMap{"join": strings.Join}
	for _, kind := range []string{"reminder", "confirm", "review", "link"} {
		name := kind + ".txt.tmpl"
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("notify: template %s: %w", name, err)
		}
		mr.text[kind] = t
		name = kind + ".html.tmpl"
		h, err := htmltemplate.New(name).Funcs(htmltemplate.FuncMap{"join": strings.Join}).ParseFS(templateFS, "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("notify: template %s: %w", name, err)
		}
		mr.html[kind] = h
	}
	return mr, nil
}

// domain is the sender's domain, used in Message-IDs, calendar UIDs and the
// default List-Id.
func (m *Mailer) domain() string {
	return m.from.Address[strings.LastIndexByte(m.from.Address, '@')+1:]
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
	// Summary makes the message the weekly summary ("à rendre cette
	// semaine") of the offers whose last day falls within the week that
	// starts at WeekStart.
	Summary   bool
	WeekStart time.Time
}

// Links are a student's one-click links, each carrying its own token.
type Links struct {
	Unsubscribe string
	Pause       string
	// Language switches the emails to the other language.
	Language string
	// Feed is the student's private calendar feed (https; webcal is derived).
	Feed string
	// Manage is the student's own page ("Gérer mes rappels"), where they
	// see and change everything.
	Manage string
}

// Item is one offer in a reminder.
type Item struct {
	Title        string
	Organisation string
	// Phrase is the deadline as the offer writes it ("avant le 31 octobre
	// 2025"), empty for an estimate.
	Phrase    string
	Estimated bool
	// Basis says what the date rests on when the offer did not state it:
	// "start" or "interview" for an estimate (BasisDate is then the start
	// or the first interview, YYYY-MM-DD), BasisStaff for a date the
	// career service set by hand.
	Basis     string
	BasisDate string
	// LastDay is the last day to apply, YYYY-MM-DD.
	LastDay string
	// DeadlineAt is when applications close.
	DeadlineAt time.Time
	Contacts   []string
	Source     string
	// NewOffer marks an offer just found by a saved search: Search is that
	// search as the student wrote it, StopSearch the link that deletes it.
	NewOffer   bool
	Search     string
	StopSearch string
	// DeadlineChanged marks an offer whose deadline moved;
	// PreviousLastDay (YYYY-MM-DD) says from what, when known.
	DeadlineChanged bool
	PreviousLastDay string

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

// BasisStaff is the basis of a deadline set by hand by the career service.
const BasisStaff = "staff"

// messageID is kind.<mac>@domain, where mac is an HMAC of the parts under
// the install's key: stable for the same message (a repeat after a crash
// carries the same Message-ID), unguessable, and unique to this install.
func (m *Mailer) messageID(kind string, parts ...string) string {
	h := hmac.New(sha256.New, m.idKey)
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return kind + "." + hex.EncodeToString(h.Sum(nil)[:16]) + "@" + m.domain()
}

// MessageID returns a stable Message-ID for a message carrying the reminder
// ids, in the sender's domain.
func (m *Mailer) MessageID(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return m.messageID("reminder", parts...)
}

// SummaryID returns the Message-ID of subscriber sub's weekly summary for
// the week starting on day (YYYY-MM-DD): a repeat carries the same one.
func (m *Mailer) SummaryID(sub int64, day string) string {
	return m.messageID("weekly", strconv.FormatInt(sub, 10), day)
}

// ConfirmationID returns the Message-ID of the message asking subscriber
// sub to confirm: one per subscriber, so a repeat carries the same one.
func (m *Mailer) ConfirmationID(sub int64) string {
	return m.messageID("confirm", strconv.FormatInt(sub, 10))
}

// Build writes the reminder as a message: text and HTML alternatives, the
// list headers, and an .ics attachment with one event per offer that has a
// deadline. It does no I/O.
func (m *Mailer) Build(r Reminder) (*gomail.Msg, error) {
	if len(r.Items) == 0 {
		return nil, errors.New("notify: reminder with no offer")
	}
	r = visibleReminder(r)
	data := m.view(r)
	lang := data.Lang
	ics := m.calendar(r.SubscriberID, lang, r.Items, data.Items, r.Now, nil)
	if ics != "" {
		data.Calendar = data.L.T("calendar_file")
		data.CalendarNote = data.L.T("calendar_attached", "file", data.Calendar)
	}
	text, html, err := m.render("reminder", &data)
	if err != nil {
		return nil, fmt.Errorf("notify: reminder for %s: %w", r.To, err)
	}
	subject := data.Subject
	msg, err := m.newMsg(r.To, r.Name, lang, subject, r.MessageID, r.Now, text, html)
	if err != nil {
		return nil, err
	}

	// RFC 2369 and 8058: a list message says how to leave the list, and a
	// mail client may do it in one click by POSTing to the https link.
	unsub := []string{}
	if data.Links.Unsubscribe != "" {
		unsub = append(unsub, "<"+data.Links.Unsubscribe+">")
	}
	unsub = append(unsub, "<mailto:"+m.from.Address+"?subject=unsubscribe>")
	msg.SetGenHeader(gomail.HeaderListUnsubscribe, strings.Join(unsub, ", "))
	if data.Links.Unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetGenHeader(gomail.Header("List-Id"), "<"+m.listID+">")
	if m.bounceAddress != nil && r.SubscriberID > 0 {
		if err := msg.EnvelopeFrom(m.bounceAddress(r.SubscriberID)); err != nil {
			return nil, fmt.Errorf("notify: reminder for %s: return path: %w", r.To, err)
		}
	}
	if ics != "" {
		msg.AttachReadSeeker(data.Calendar, strings.NewReader(ics),
			gomail.WithFileContentType(gomail.ContentType("text/calendar; charset=utf-8")))
	}
	if err := m.sign(msg); err != nil {
		return nil, fmt.Errorf("notify: reminder for %s: %w", r.To, err)
	}
	return msg, nil
}

// Confirmation asks a student to confirm a subscription (double opt-in).
type Confirmation struct {
	To   string
	Name string
	Lang string
	Now  time.Time
	// MessageID is the Message-ID, without angle brackets.
	MessageID string
	// ConfirmURL is the link that confirms the subscription.
	ConfirmURL string
	// ByWeb is true when the student asked on the web page; otherwise the
	// career service subscribed them.
	ByWeb bool
	// ManageURL is the student's own page, "" when there is none.
	ManageURL string
}

// confirmView is what the confirmation templates see.
type confirmView struct {
	L                                     *catalog.Lang
	Lang, Subject, Greeting, Why, Consent string
	Open, Button, Fallback, Ignore        string
	ConfirmURL                            string
	// ManageURL and Manage are the link to the student's own page and its
	// words; "" when there is none.
	ManageURL, Manage string
	Footer            footerView
}

// BuildConfirmation writes the message asking a student to confirm their
// subscription. It carries no List-Unsubscribe-Post or List-Id: the
// student is not on the list yet. It does no I/O.
func (m *Mailer) BuildConfirmation(c Confirmation) (*gomail.Msg, error) {
	link := webLink(c.ConfirmURL)
	if link == "" {
		return nil, fmt.Errorf("notify: confirmation for %s: no http(s) confirmation link", c.To)
	}
	l := m.cat.Lang(c.Lang)
	lang := l.Tag
	site := m.siteName(l)
	data := confirmView{L: l, Lang: lang, ConfirmURL: link, Footer: m.footer(l),
		Subject: l.T("confirm_subject", "site", site), Greeting: l.T("greeting_anonymous"),
		Why: l.T("confirm_by_staff", "site", site, "email", c.To), Consent: l.T("confirm_why"),
		Open: l.T("confirm_open"), Button: l.T("confirm_button"), Fallback: l.T("confirm_fallback"),
		Ignore: l.T("confirm_ignore")}
	if name := strings.TrimSpace(Visible(c.Name)); name != "" {
		data.Greeting = l.T("greeting", "name", l.Typeset(name))
	}
	if c.ByWeb {
		data.Why = l.T("confirm_by_web", "site", site, "email", c.To)
	}
	if u := webLink(c.ManageURL); u != "" {
		data.ManageURL, data.Manage = u, l.T("manage_reminders")
	}
	text, html, err := m.render("confirm", &data)
	if err != nil {
		return nil, fmt.Errorf("notify: confirmation for %s: %w", c.To, err)
	}
	subject := data.Subject
	msg, err := m.newMsg(c.To, c.Name, lang, subject, c.MessageID, c.Now, text, html)
	if err != nil {
		return nil, err
	}
	if err := m.sign(msg); err != nil {
		return nil, fmt.Errorf("notify: confirmation for %s: %w", c.To, err)
	}
	return msg, nil
}

// render runs a kind's text and HTML templates.
func (m *Mailer) render(kind string, data any) (text, html string, err error) {
	// Room for a one-offer reminder (about 0.5 KB of text and 2 KB of
	// HTML) at once, instead of growing there by doubling.
	var t, h strings.Builder
	t.Grow(1 << 10)
	h.Grow(4 << 10)
	if err := m.text[kind].Execute(&t, data); err != nil {
		return "", "", fmt.Errorf("text body: %w", err)
	}
	if err := m.html[kind].Execute(&h, data); err != nil {
		return "", "", fmt.Errorf("html body: %w", err)
	}
	return t.String(), h.String(), nil
}

// newMsg starts a message with the headers every kind carries and its two
// alternatives.
func (m *Mailer) newMsg(to, name, lang, subject, id string, now time.Time, text, html string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(m.from.Name, m.from.Address); err != nil {
		return nil, fmt.Errorf("notify: from %s: %w", m.from, err)
	}
	if err := msg.AddToFormat(shorten(headerSafe(name), maxNameRunes), to); err != nil {
		return nil, fmt.Errorf("notify: to %s: %w", to, err)
	}
	if m.replyTo != nil {
		if err := msg.ReplyToFormat(m.replyTo.Name, m.replyTo.Address); err != nil {
			return nil, fmt.Errorf("notify: reply-to %s: %w", m.replyTo, err)
		}
	}
	msg.Subject(shorten(headerSafe(subject), maxSubjectRunes))
	msg.SetMessageIDWithValue(headerSafe(id))
	msg.SetDateWithValue(now.In(m.loc))
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.HeaderContentLang, lang)
	msg.SetUserAgent("echeance")
	msg.SetBodyString(gomail.TypeTextPlain, text)
	msg.AddAlternativeString(gomail.TypeTextHTML, html)
	return msg, nil
}

// headerSafe makes untrusted text fit for a header: control characters,
// line breaks included, become spaces, and "=?" is broken up so the text
// cannot pose as an RFC 2047 encoded word (which a reader would decode,
// line breaks and all).
func headerSafe(s string) string {
	s = strings.ReplaceAll(Visible(s), "=?", "= ?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
	// Runs of spaces become one; no-break spaces (typography) stay.
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return strings.TrimSpace(s)
}

// Send delivers msgs and returns one error per message, nil where the
// relay (or the folder) accepted it. Over SMTP the messages share
// smtp.connections connections and go at smtp.rate (pool.go). A failure
// to connect fails every message.
func (m *Mailer) Send(ctx context.Context, msgs []*gomail.Msg) []error {
	errs := make([]error, len(msgs))
	if m.transport == "dir" {
		for i, msg := range msgs {
			errs[i] = m.writeFile(msg)
		}
		return errs
	}
	return m.sendSMTP(ctx, msgs)
}

func (m *Mailer) client() (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(m.smtp.Port),
		gomail.WithTimeout(m.smtp.Timeout.Duration),
		// No NOOP before each message (a round trip each): a connection
		// that broke fails the next command anyway, and pool.go opens a
		// new one when a connection kept between batches has gone.
		gomail.WithoutNoop(),
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
	if err := os.MkdirAll(m.dir, 0o700); err != nil {
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

// relayError is a failure of the relay as a whole (connection, TLS,
// authentication): no message's fault, so never permanent for one.
type relayError struct{ err error }

func (e relayError) Error() string { return e.err.Error() }
func (e relayError) Unwrap() error { return e.err }

// Temporary reports whether err from Send is worth retrying later. Only a
// 5xx reply about the message itself (its recipient or its content) is
// permanent. A refused connection, a timeout, a 4xx reply, and any failure
// of the relay as a whole (TLS, authentication, a refused sender) is
// temporary: it says nothing about the student's address.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var re relayError
	if errors.As(err, &re) {
		return true
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch se.Reason {
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			return !(code >= 500 && code < 600)
		}
		return true
	}
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return false
	}
	return true
}
