package notify

import (
	"errors"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/catalog"
)

// ReviewItem is one offer waiting for review, as the review email shows
// it, with its buttons.
type ReviewItem struct {
	OfferID      int64
	Title        string
	Organisation string
	// Kind, LastDay (YYYY-MM-DD) and DeadlineAt are what was read.
	Kind       string
	LastDay    string
	DeadlineAt time.Time
	// Phrase is the sentence the deadline was read from.
	Phrase string
	// Reasons say why it waits; names the catalogue knows ("estimated")
	// are said in words, others are shown as they are.
	Reasons []string
	// Confirm, NoDeadline and Open are the one-click buttons and the
	// console page of the offer.
	Confirm, NoDeadline, Open string
}

// ReviewDigest is the daily "Offres à vérifier" email to the career
// service.
type ReviewDigest struct {
	To        []string
	Lang      string
	Now       time.Time
	MessageID string
	Items     []ReviewItem
}

type reviewView struct {
	L                         *catalog.Lang
	Lang, Subject, Intro, Why string
	Sep                       string
	Items                     []reviewItemView
	Footer                    footerView
}

type reviewItemView struct {
	Title, Organisation, Read, Phrase string
	Reasons                           []string
	Confirm, NoDeadline, Open         string
}

// BuildReview writes the review email: each offer waiting for review with
// what was read, the sentence it was read from, why it waits, and buttons
// that confirm it, say it has no deadline, or open it to correct. It does
// no I/O.
func (m *Mailer) BuildReview(d ReviewDigest) (*gomail.Msg, error) {
	if len(d.Items) == 0 || len(d.To) == 0 {
		return nil, errors.New("notify: review email with no offer or no recipient")
	}
	l := m.cat.Lang(d.Lang)
	v := reviewView{L: l, Lang: l.Tag, Sep: l.T("label_separator"), Footer: m.footer(l),
		Subject: l.T("review_subject", "n", len(d.Items)), Intro: l.T("review_intro", "n", len(d.Items)),
		Why: l.T("review_why_mailed")}
	for _, it := range d.Items {
		iv := reviewItemView{Title: l.Typeset(Visible(strings.TrimSpace(it.Title))), Organisation: l.Typeset(Visible(it.Organisation)),
			Phrase: l.Typeset(Visible(CleanPhrase(it.Phrase))), Confirm: webLink(it.Confirm), NoDeadline: webLink(it.NoDeadline),
			Open: webLink(it.Open)}
		if iv.Title == "" {
			iv.Title = l.T("page_offer_title", "id", it.OfferID)
		}
		switch {
		case it.DeadlineAt.IsZero():
			iv.Read = l.T("review_read_none")
		default:
			last := l.LongDate(lastDay(Item{LastDay: it.LastDay, DeadlineAt: it.DeadlineAt}, m.loc))
			if hasTimeOfDay(it.DeadlineAt, m.loc) {
				last = l.T("last_day_until", "date", last, "time", l.Time(it.DeadlineAt.In(m.loc)))
			}
			iv.Read = last
			if it.Kind == "estimated" {
				iv.Read = l.T("review_read_estimated", "date", last)
			}
		}
		for _, r := range it.Reasons {
			iv.Reasons = append(iv.Reasons, l.Reason(r))
		}
		v.Items = append(v.Items, iv)
	}
	text, html, err := m.render("review", &v)
	if err != nil {
		return nil, fmt.Errorf("notify: review email: %w", err)
	}
	msg, err := m.newMsg(d.To[0], "", l.Tag, v.Subject, d.MessageID, d.Now, text, html)
	if err != nil {
		return nil, err
	}
	for _, to := range d.To[1:] {
		if err := msg.AddTo(to); err != nil {
			return nil, fmt.Errorf("notify: review email to %s: %w", to, err)
		}
	}
	if err := m.sign(msg); err != nil {
		return nil, fmt.Errorf("notify: review email: %w", err)
	}
	return msg, nil
}

// ReviewID returns the Message-ID of the review email of day (YYYY-MM-DD):
// a repeat carries the same one.
func (m *Mailer) ReviewID(day string) string {
	return m.messageID("review", day)
}
