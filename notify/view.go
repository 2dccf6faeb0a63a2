package notify

import (
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// reminderView is what the templates see.
type reminderView struct {
	Lang string
	// Summary marks the weekly summary.
	Summary bool
	// Subject is the message's subject, for the HTML title.
	Subject string
	Name    string
	// Calendar is the attachment's file name, "" when there is none.
	Calendar string
	Items    []itemView
	Single   *itemView
	Links    linksView
}

// linksView holds the student's links, each "" when unset or not a
// well-formed http(s) URL.
type linksView struct {
	Unsubscribe string
	Pause       string
	Language    string
	Feed        string
	// Webcal is Feed with the webcal scheme, which calendar apps open as a
	// subscription. html/template refuses schemes other than http(s) and
	// mailto, hence template.URL, built only from a checked Feed.
	Webcal template.URL
}

type itemView struct {
	Title        string
	Organisation string
	// Who names the offer in a subject: the organisation, else the title.
	Who string
	// Deadline is the deadline in words, in the message's language.
	Deadline    string
	Estimated   bool
	LastDayLong string
	// Tag heads the subject: "J-6" (days left to the last day), or the
	// news ("Nouvelle offre", "Date limite modifiée").
	Tag string
	// Banner is the news line for a notice, "" for a plain reminder.
	Banner      string
	HasDeadline bool
	TimeLeft    string
	Contacts    []string
	// ContactLinks are the contacts, each with whether it can be a mailto
	// link.
	ContactLinks []contactLink
	// MailSubject is the subject a mailto link proposes.
	MailSubject string
	Source      string
	City        string
	// Phrase is the deadline as the offer wrote it, "" for an estimate.
	Phrase string
	// Closes is the closing time ("12:00") when the deadline has one.
	Closes string
	// Link is the offer's web address, "" when none; LinkHost its host.
	Link          string
	LinkHost      string
	Applied       string
	NotInterested string
	// Urgent marks a deadline two days away or less.
	Urgent bool
}

// LongDate writes d the local way: "jeudi 30 octobre 2025" or "Thursday 30
// October 2025".
func LongDate(d time.Time, lang string) string {
	if lang == "en" {
		return d.Format("Monday 2 January 2006")
	}
	frMonths := [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	frWeekdays := [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	day := fmt.Sprint(d.Day())
	if d.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", frWeekdays[d.Weekday()], day, frMonths[d.Month()-1], d.Year())
}

// daysBetween counts calendar days from a's date to b's date in loc, so a
// daylight saving change never adds or loses a day.
func daysBetween(a, b time.Time, loc *time.Location) int {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	da := time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

func view(r Reminder, lang string, loc *time.Location) reminderView {
	v := reminderView{Lang: lang, Name: r.Name, Links: links(r.Links), Summary: r.Summary}
	for _, it := range r.Items {
		iv := itemView{
			Title:         orDash(it.Title, lang),
			Organisation:  orDash(it.Organisation, lang),
			Estimated:     it.Estimated,
			Contacts:      it.Contacts,
			ContactLinks:  contactLinks(it.Contacts),
			Source:        it.Source,
			HasDeadline:   !it.DeadlineAt.IsZero(),
			City:          strings.TrimSpace(it.City),
			Phrase:        it.Phrase,
			Link:          offerLink(it),
			Applied:       webLink(it.Applied),
			NotInterested: webLink(it.NotInterested),
		}
		if u, err := url.Parse(iv.Link); err == nil {
			iv.LinkHost = strings.TrimPrefix(u.Hostname(), "www.")
		}
		if lang == "en" {
			iv.MailSubject = "Application: " + iv.Title
		} else {
			iv.MailSubject = "Candidature : " + iv.Title
		}
		last := lastDay(it, loc)
		if iv.HasDeadline {
			days := daysBetween(r.Now, last, loc)
			iv.LastDayLong = LongDate(last, lang)
			iv.Tag = fmt.Sprintf("J-%d", max(days, 0))
			iv.TimeLeft = timeLeft(days, lang)
			iv.Urgent = days <= 2
			if hasTimeOfDay(it.DeadlineAt, loc) {
				iv.Closes = it.DeadlineAt.In(loc).Format("15:04")
			}
		}
		switch {
		case it.DeadlineChanged && lang == "en":
			iv.Tag, iv.Banner = "Deadline changed", "The deadline of this offer has changed."
			if prev, err := time.ParseInLocation("2006-01-02", it.PreviousLastDay, loc); err == nil {
				iv.Banner = "The deadline of this offer has changed: the last day to apply was " + LongDate(prev, lang) + "."
			}
		case it.DeadlineChanged:
			iv.Tag, iv.Banner = "Date limite modifiée", "La date limite de cette offre a changé."
			if prev, err := time.ParseInLocation("2006-01-02", it.PreviousLastDay, loc); err == nil {
				iv.Banner = "La date limite de cette offre a changé : le dernier jour pour postuler était le " + LongDate(prev, lang) + "."
			}
		case it.NewOffer && lang == "en":
			iv.Tag, iv.Banner = "New offer", "A new offer matches your saved search."
		case it.NewOffer:
			iv.Tag, iv.Banner = "Nouvelle offre", "Une nouvelle offre correspond à votre recherche."
		}
		iv.Who = it.Organisation
		if iv.Who == "" {
			iv.Who = iv.Title
		}
		switch {
		case !iv.HasDeadline && lang == "en":
			iv.Deadline = "no deadline stated"
		case !iv.HasDeadline:
			iv.Deadline = "sans date limite indiquée"
		case lang == "en":
			iv.Deadline = "by " + LongDate(last, lang)
		case it.Phrase != "":
			iv.Deadline = it.Phrase
		default:
			iv.Deadline = "au plus tard le " + LongDate(last, lang)
		}
		if iv.Closes != "" && (lang == "en" || it.Phrase == "") {
			// The offer's own phrase already says the time.
			if lang == "en" {
				iv.Deadline += ", before " + iv.Closes
			} else {
				iv.Deadline += ", avant " + iv.Closes
			}
		}
		if it.Estimated && iv.HasDeadline {
			if lang == "en" {
				iv.Deadline += " (estimated)"
			} else {
				iv.Deadline += " (estimée)"
			}
		}
		v.Items = append(v.Items, iv)
	}
	if len(v.Items) == 1 && !r.Summary {
		v.Single = &v.Items[0]
	}
	return v
}

// links checks the student's links.
func links(l Links) linksView {
	v := linksView{Unsubscribe: webLink(l.Unsubscribe), Pause: webLink(l.Pause),
		Language: webLink(l.Language), Feed: webLink(l.Feed)}
	if v.Feed != "" {
		_, rest, _ := strings.Cut(v.Feed, "://")
		v.Webcal = template.URL("webcal://" + rest)
	}
	return v
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

// zoneCity names a zone the way people do: "Paris" for Europe/Paris.
func zoneCity(loc *time.Location) string {
	name := loc.String()
	name = name[strings.LastIndexByte(name, '/')+1:]
	return strings.ReplaceAll(name, "_", " ")
}

func orDash(s, lang string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	if lang == "en" {
		return "(not stated)"
	}
	return "(non précisé)"
}

func timeLeft(days int, lang string) string {
	if lang == "en" {
		switch {
		case days <= 0:
			return "Today is the last day to apply."
		case days == 1:
			return "1 day left: tomorrow is the last day to apply."
		default:
			return fmt.Sprintf("%d days left.", days)
		}
	}
	switch {
	case days <= 0:
		return "C'est aujourd'hui le dernier jour pour postuler."
	case days == 1:
		return "Il reste 1 jour : demain est le dernier jour pour postuler."
	default:
		return fmt.Sprintf("Il reste %d jours.", days)
	}
}
