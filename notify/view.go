package notify

import (
	"fmt"
	"strings"
	"time"
)

// reminderView is what the templates see.
type reminderView struct {
	Name   string
	Items  []itemView
	Single *itemView
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
	Source      string
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
	v := reminderView{Name: r.Name}
	for _, it := range r.Items {
		iv := itemView{
			Title:        orDash(it.Title, lang),
			Organisation: orDash(it.Organisation, lang),
			Estimated:    it.Estimated,
			Contacts:     it.Contacts,
			Source:       it.Source,
			HasDeadline:  !it.DeadlineAt.IsZero(),
		}
		last, err := time.ParseInLocation("2006-01-02", it.LastDay, loc)
		if err != nil {
			last = it.DeadlineAt.In(loc)
		}
		if iv.HasDeadline {
			days := daysBetween(r.Now, last, loc)
			iv.LastDayLong = LongDate(last, lang)
			iv.Tag = fmt.Sprintf("J-%d", max(days, 0))
			iv.TimeLeft = timeLeft(days, lang)
		}
		switch {
		case it.DeadlineChanged && lang == "en":
			iv.Tag, iv.Banner = "Deadline changed", "The deadline of this offer has changed."
		case it.DeadlineChanged:
			iv.Tag, iv.Banner = "Date limite modifiée", "La date limite de cette offre a changé."
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
		if it.Estimated && iv.HasDeadline {
			if lang == "en" {
				iv.Deadline += " (estimated)"
			} else {
				iv.Deadline += " (estimée)"
			}
		}
		v.Items = append(v.Items, iv)
	}
	if len(v.Items) == 1 {
		v.Single = &v.Items[0]
	}
	return v
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
