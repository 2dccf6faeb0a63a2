package notify

import (
	"html/template"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/echeance/echeance/catalog"
)

// reminderView is what the reminder templates see: every word already
// chosen from the catalogue in the student's language and typeset, so the
// templates only lay it out.
type reminderView struct {
	L    *catalog.Lang
	Lang string
	// Sep separates a label from its value ("Date limite : …").
	Sep string
	// Summary marks the weekly summary.
	Summary  bool
	Subject  string
	Greeting string
	Intro    string
	// Calendar is the attachment's file name, "" when there is none.
	Calendar     string
	CalendarNote string
	Items        []itemView
	Single       *itemView
	Links        linksView
	Footer       footerView
}

// footerView signs a message: the institution, how to reach it, its logo.
type footerView struct {
	SentBy      string
	Contact     string
	ContactLink string
	SiteURL     string
	Logo        string
	SiteName    string
}

// linksView holds the student's links, each "" when unset or not a
// well-formed http(s) URL, with their words.
type linksView struct {
	Manage      string
	Unsubscribe string
	Pause       string
	Language    string
	Feed        string
	// Webcal is Feed with the webcal scheme, which calendar apps open as a
	// subscription. html/template refuses schemes other than http(s) and
	// mailto, hence template.URL, built only from a checked Feed.
	Webcal template.URL
	// LanguageText and LanguageTag are the language switch, written in the
	// language it switches to.
	LanguageText, LanguageTag string
}

type itemView struct {
	Title        string
	Organisation string
	City         string
	// Who names the offer in a subject: the organisation, else the title.
	Who string
	// Tag heads the subject and the card: "J-6", "6 days left", or the
	// news ("Nouvelle offre", "Date limite modifiée").
	Tag string
	// Badges mark an estimated or a staff-set date.
	Badges []string
	// Banner is the news line of a notice, "" for a plain reminder.
	Banner string
	// StopSearch is the link that stops the saved search that found a
	// new offer, with its words.
	StopSearch, StopSearchText string
	HasDeadline                bool
	// LastDay is the last day to apply in words, with the closing time
	// when there is one and, in brackets, what an estimate or a staff-set
	// date rests on.
	LastDay string
	// NoDeadline is the words for an offer without a deadline.
	NoDeadline string
	// OfferSays is the deadline as the offer wrote it, without its label,
	// in the language's quotes; "" when the offer did not state it.
	OfferSays string
	// EstimateNote warns that the date is an estimate.
	EstimateNote string
	TimeLeft     string
	Contacts     []string
	// ContactLinks are the contacts, each with whether it can be a mailto
	// link; MailSubject is the subject a mailto link proposes.
	ContactLinks []contactLink
	MailSubject  string
	// Link is the offer's web address, "" when none; LinkHost its host.
	Link          string
	LinkHost      string
	Applied       string
	NotInterested string
	// Urgent marks a deadline two days away or less.
	Urgent bool
}

// siteName is the institution, or the catalogue's words for "your career
// service" when none is configured.
func (m *Mailer) siteName(l *catalog.Lang) string {
	if m.site.Name != "" {
		return m.site.Name
	}
	return l.T("site_default")
}

func (m *Mailer) footer(l *catalog.Lang) footerView {
	f := footerView{SentBy: l.T("footer_anonymous"), SiteURL: webLink(m.site.URL), SiteName: m.site.Name, Logo: m.logoURL}
	if m.site.Name != "" {
		f.SentBy = l.T("footer_site", "site", m.site.Name)
	}
	if c := m.site.Contact; c != "" {
		f.Contact = l.T("footer_contact", "contact", c)
		if a, err := mail.ParseAddress(c); err == nil && a.Address == c {
			f.ContactLink = "mailto:" + c
		} else {
			f.ContactLink = webLink(c)
		}
	}
	return f
}

// view writes r's words in its language.
func (m *Mailer) view(r Reminder) reminderView {
	l := m.cat.Lang(r.Lang)
	v := reminderView{L: l, Lang: l.Tag, Sep: l.T("label_separator"), Summary: r.Summary,
		Links: m.links(l, r.Links), Footer: m.footer(l)}
	v.Greeting = l.T("greeting_anonymous")
	if name := strings.TrimSpace(r.Name); name != "" {
		v.Greeting = l.T("greeting", "name", l.Typeset(name))
	}
	for _, it := range r.Items {
		v.Items = append(v.Items, m.item(l, it, r.Now))
	}
	n := len(v.Items)
	switch {
	case r.Summary:
		week := l.T("week", "date", l.ShortDate(r.WeekStart.In(m.loc)))
		v.Intro = l.T("intro_summary", "n", n, "week", week)
		v.Subject = l.T("subject_summary", "n", n, "week", week)
	case n == 1:
		v.Single = &v.Items[0]
		v.Intro = l.T("intro_single")
		if v.Single.Banner != "" {
			v.Intro = v.Single.Banner
		}
		v.Subject = m.singleSubject(l, r.Items[0], v.Items[0])
	default:
		v.Intro = l.T("intro_digest", "n", n)
		first := r.Items[0]
		if first.DeadlineAt.IsZero() {
			v.Subject = l.T("subject_digest", "n", n, "date", l.T("deadline_none"))
		} else {
			v.Subject = l.T("subject_digest", "n", n, "date", l.LongDate(lastDay(first, m.loc)))
		}
	}
	return v
}

func (m *Mailer) singleSubject(l *catalog.Lang, it Item, iv itemView) string {
	if !iv.HasDeadline {
		return l.T("subject_no_deadline", "tag", iv.Tag, "who", iv.Who)
	}
	last := l.LongDate(lastDay(it, m.loc))
	if hasTimeOfDay(it.DeadlineAt, m.loc) {
		return l.T("subject_single_closes", "tag", iv.Tag, "who", iv.Who, "date", last, "time", l.Time(it.DeadlineAt.In(m.loc)))
	}
	return l.T("subject_single", "tag", iv.Tag, "who", iv.Who, "date", last)
}

// item writes one offer's words.
func (m *Mailer) item(l *catalog.Lang, it Item, now time.Time) itemView {
	iv := itemView{
		Title:         l.Typeset(strings.TrimSpace(it.Title)),
		Organisation:  l.Typeset(strings.TrimSpace(it.Organisation)),
		City:          l.Typeset(strings.TrimSpace(it.City)),
		Contacts:      it.Contacts,
		ContactLinks:  contactLinks(it.Contacts),
		HasDeadline:   !it.DeadlineAt.IsZero(),
		Link:          offerLink(it),
		Applied:       webLink(it.Applied),
		NotInterested: webLink(it.NotInterested),
	}
	if iv.Title == "" {
		iv.Title = l.T("untitled")
	}
	iv.Who = iv.Organisation
	if iv.Organisation == "" {
		iv.Organisation = l.T("organisation_not_stated")
		iv.Who = iv.Title
	}
	if u, err := url.Parse(iv.Link); err == nil {
		iv.LinkHost = strings.TrimPrefix(u.Hostname(), "www.")
	}
	iv.MailSubject = l.T("mail_subject", "title", iv.Title)

	if iv.HasDeadline {
		last := lastDay(it, m.loc)
		days := daysBetween(now, last, m.loc)
		iv.Urgent = days <= 2
		switch {
		case days <= 0:
			iv.Tag, iv.TimeLeft = l.T("tag_today"), l.T("time_left_today")
		case days == 1:
			iv.Tag, iv.TimeLeft = l.T("tag_days", "n", 1), l.T("time_left_tomorrow")
		default:
			iv.Tag, iv.TimeLeft = l.T("tag_days", "n", days), l.T("time_left", "n", days)
		}
		iv.LastDay = l.LongDate(last)
		if hasTimeOfDay(it.DeadlineAt, m.loc) {
			iv.LastDay = l.T("last_day_until", "date", iv.LastDay, "time", l.Time(it.DeadlineAt.In(m.loc)))
		}
		switch {
		case it.Estimated:
			iv.Badges = append(iv.Badges, l.T("badge_estimated"))
			iv.LastDay += " (" + m.basis(l, it, last) + ")"
			iv.EstimateNote = l.T("estimated_check")
		case it.Basis == BasisStaff:
			iv.Badges = append(iv.Badges, l.T("badge_staff"))
			iv.LastDay += " (" + l.T("staff_set") + ")"
		default:
			if p := CleanPhrase(it.Phrase); p != "" {
				iv.OfferSays = l.Quote(p)
			}
		}
	} else {
		iv.NoDeadline = l.T("deadline_none")
	}

	switch {
	case it.DeadlineChanged:
		iv.Tag, iv.Banner = l.T("tag_deadline_changed"), l.T("banner_deadline_changed_plain")
		if prev, ok := day(it.PreviousLastDay, m.loc); ok {
			iv.Banner = l.T("banner_deadline_changed", "previous", l.LongDate(prev))
		}
	case it.NewOffer:
		iv.Tag, iv.Banner = l.T("tag_new_offer"), l.T("banner_new_offer_plain")
		if it.Search != "" {
			q := l.Quote(it.Search)
			iv.Banner = l.T("banner_new_offer", "search", q)
			if link := webLink(it.StopSearch); link != "" {
				iv.StopSearch, iv.StopSearchText = link, l.T("stop_search", "search", q)
			}
		}
	}
	return iv
}

// basis says in words what an estimated last day rests on.
func (m *Mailer) basis(l *catalog.Lang, it Item, last time.Time) string {
	switch it.Basis {
	case "start":
		if start, ok := day(it.BasisDate, m.loc); ok {
			return l.T("estimated_from_start", "n", daysBetween(last, start, m.loc), "start", l.LongDate(start))
		}
	case "interview":
		if iv, ok := day(it.BasisDate, m.loc); ok {
			return l.T("estimated_from_interview", "date", l.LongDate(iv))
		}
		return l.T("estimated_from_interview", "date", l.LongDate(last.AddDate(0, 0, 1)))
	}
	return l.T("estimated")
}

// links checks the student's links and gives them their words.
func (m *Mailer) links(l *catalog.Lang, ls Links) linksView {
	v := linksView{Manage: webLink(ls.Manage), Unsubscribe: webLink(ls.Unsubscribe), Pause: webLink(ls.Pause),
		Language: webLink(ls.Language), Feed: webLink(ls.Feed)}
	if v.Feed != "" {
		_, rest, _ := strings.Cut(v.Feed, "://")
		v.Webcal = template.URL("webcal://" + rest)
	}
	target := m.cat.Lang(l.T("switch_language_to"))
	v.LanguageText, v.LanguageTag = target.T("switch_language"), target.Tag
	return v
}

// CleanPhrase returns a deadline phrase as a student needs it: without
// Markdown emphasis and without a leading label such as "Date limite de
// candidature :" or "Deadline:", however many times repeated. A part
// before a colon counts as a label when it holds no digit (so "avant le 15
// mars à 12:00" keeps its time).
func CleanPhrase(p string) string {
	p = strings.Join(strings.Fields(unmark(p)), " ")
	for {
		label, rest, ok := strings.Cut(p, ":")
		if !ok || strings.ContainsAny(label, "0123456789") || len(strings.Fields(label)) > 6 || strings.TrimSpace(rest) == "" {
			break
		}
		p = strings.TrimSpace(rest)
	}
	return strings.Trim(p, " *-–—·.;,")
}

// unmark removes the Markdown emphasis "**", "__" and "`" from p, read
// once from left to right.
func unmark(p string) string {
	if !strings.ContainsAny(p, "*_`") {
		return p
	}
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); {
		switch {
		case strings.HasPrefix(p[i:], "**"), strings.HasPrefix(p[i:], "__"):
			i += 2
		case p[i] == '`':
			i++
		default:
			b.WriteByte(p[i])
			i++
		}
	}
	return b.String()
}

// offerLink is where the student reads the offer: its URL, else its source
// when that is a web address.
func offerLink(it Item) string {
	if l := webLink(it.URL); l != "" {
		return l
	}
	return webLink(it.Source)
}

// webLink returns s when it is an absolute http(s) URL with no space or
// control character (so it is safe in a header or an iCalendar URI value),
// else "".
func webLink(s string) string {
	if s == "" || len(s) > 2000 {
		return ""
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '"' || r > 0x7e {
			return ""
		}
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return s
}

type contactLink struct {
	Addr string
	// Mailto is true for a bare address made of characters that need no
	// escaping in a mailto URL; other contacts are shown as text.
	Mailto bool
}

func contactLinks(contacts []string) []contactLink {
	var out []contactLink
	for _, c := range contacts {
		a, err := mail.ParseAddress(c)
		ok := err == nil && a.Address == c && !strings.ContainsFunc(c, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_+@", r))
		})
		out = append(out, contactLink{Addr: c, Mailto: ok})
	}
	return out
}
