package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// ManageLink is the message that gives a student the link to their own
// page again, when they asked for it on the web.
type ManageLink struct {
	To   string
	Name string
	Lang string
	Now  time.Time
	// MessageID is the Message-ID, without angle brackets.
	MessageID string
	// ManageURL is the student's own page.
	ManageURL string
}

// ManageLinkID returns the Message-ID of subscriber sub's manage link sent
// at now: one a day at most is ever sent, so the day names it.
func (m *Mailer) ManageLinkID(sub int64, now time.Time) string {
	return m.messageID("link", strconv.FormatInt(sub, 10), now.UTC().Format("2006-01-02"))
}

// BuildManageLink writes the message carrying a student's manage link. It
// does no I/O.
func (m *Mailer) BuildManageLink(c ManageLink) (*gomail.Msg, error) {
	link := webLink(c.ManageURL)
	if link == "" {
		return nil, fmt.Errorf("notify: manage link for %s: no http(s) link", c.To)
	}
	l := m.cat.Lang(c.Lang)
	site := m.siteName(l)
	data := confirmView{L: l, Lang: l.Tag, ConfirmURL: link, Footer: m.footer(l),
		Subject: l.T("link_subject", "site", site), Greeting: l.T("greeting_anonymous"),
		Why: l.T("link_why", "site", site, "email", c.To), Open: l.T("link_open"),
		Button: l.T("manage_reminders"), Fallback: l.T("confirm_fallback"), Ignore: l.T("link_ignore")}
	if name := strings.TrimSpace(Visible(c.Name)); name != "" {
		data.Greeting = l.T("greeting", "name", l.Typeset(name))
	}
	text, html, err := m.render("link", &data)
	if err != nil {
		return nil, fmt.Errorf("notify: manage link for %s: %w", c.To, err)
	}
	msg, err := m.newMsg(c.To, c.Name, l.Tag, data.Subject, c.MessageID, c.Now, text, html)
	if err != nil {
		return nil, err
	}
	if err := m.sign(msg); err != nil {
		return nil, fmt.Errorf("notify: manage link for %s: %w", c.To, err)
	}
	return msg, nil
}
