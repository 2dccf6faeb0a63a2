package web

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		s.invalid(w, r)
		return
	}
	c, sub, err := s.verify(r.Context(), name)
	if err != nil || c.Action != token.Feed || sub.State == store.StateUnsubscribed {
		s.refuse(w, r, sub, err)
		return
	}
	followed, err := s.store.FollowedOffers(r.Context(), sub.ID)
	if err != nil {
		s.log.Error("calendar feed", "subscriber_id", sub.ID, "error", err)
		http.Error(w, "temporary failure", http.StatusServiceUnavailable)
		return
	}
	items := make([]notify.Item, len(followed))
	for i, f := range followed {
		page, _, _ := s.links.OfferLinks(sub.ID, sub.LinkKey, f.OfferID)
		items[i] = notify.Item{Title: f.Title, Organisation: f.Organisation, Phrase: f.DeadlinePhrase,
			Estimated: f.DeadlineKind == "estimated", LastDay: f.LastDay, DeadlineAt: f.DeadlineAt,
			Contacts: f.Contacts, Source: f.Source, OfferID: f.OfferID, Revision: f.Revision, City: f.City, URL: page,
			Basis: f.Basis, BasisDate: f.BasisDate}
		if strings.HasPrefix(f.Source, "http://") || strings.HasPrefix(f.Source, "https://") {
			items[i].URL = f.Source
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Write(s.feed(sub.ID, sub.Lang, items, s.now()))
}

// showPublicOffer serves /offers/{id} when offers are public, in the
// language of ?lang= or of the browser.
func (s *Server) showPublicOffer(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !s.links.public {
		http.NotFound(w, r)
		return
	}
	s.showOffer(w, r, id, s.browserLang(r))
}

// showLinkedOffer serves an offer's page through a student's signed link,
// in the student's language.
func (s *Server) showLinkedOffer(w http.ResponseWriter, r *http.Request) {
	c, sub, err := s.verify(r.Context(), r.PathValue("token"))
	if err != nil || c.Action != token.OfferPage {
		s.refuse(w, r, sub, err)
		return
	}
	s.showOffer(w, r, c.Offer, s.cat.Lang(sub.Lang))
}

// showOffer shows what the offer says: its facts, its deadline in the
// reader's words and the sentence it was read from, and its text as
// ingested. A deadline set by the career service is said to be theirs, so
// that a text stating another date does not contradict the page silently.
func (s *Server) showOffer(w http.ResponseWriter, r *http.Request, id int64, l *catalog.Lang) {
	o, err := s.store.Offer(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.log.Error("offer page", "offer_id", id, "error", err)
		http.Error(w, "temporary failure", http.StatusServiceUnavailable)
		return
	}
	v := view{Title: l.Typeset(strings.TrimSpace(notify.Visible(o.Title))), Body: notify.Visible(o.Text), BodyTitle: l.T("page_offer_text")}
	if strings.TrimSpace(v.Title) == "" {
		v.Title = l.T("page_offer_title", "id", o.ID)
	}
	add := func(key, value string) {
		if value = strings.TrimSpace(notify.Visible(value)); value != "" {
			v.Details = append(v.Details, detail{l.T(key), l.Typeset(value)})
		}
	}
	add("label_organisation", o.Organisation)
	lastDay := o.Deadline.LastDay
	if d, ok := parseDay(lastDay); ok {
		lastDay = l.LongDate(d)
	}
	d := o.Deadline
	switch {
	case d.Kind == "explicit" && d.Basis == notify.BasisStaff:
		add("label_last_day", lastDay)
		v.Note = l.T("page_offer_staff_note", "site", s.siteName(l))
	case d.Kind == "explicit":
		add("label_last_day", lastDay)
		if p := notify.CleanPhrase(d.Phrase); p != "" {
			add("label_offer_says", l.Quote(p))
		}
	case d.Kind == "estimated":
		v.Details = append(v.Details, detail{l.T("page_offer_estimated"), lastDay})
	default:
		add("label_deadline", l.T("deadline_none"))
	}
	for _, p := range o.Places {
		add("label_place", p.Text)
	}
	add("label_contact", strings.Join(o.Contacts, l.T("list_separator")))
	if state, _, err := s.store.ReviewState(r.Context(), id); err == nil && state == "pending" {
		v.Note = l.T("page_offer_under_review", "site", s.siteName(l))
	}
	if s.links.public && (o.Deadline.DueAt == nil || o.Deadline.DueAt.After(s.now())) {
		v.Follow, v.FollowText = fmt.Sprintf("%s/subscribe?offer=%d&lang=%s", s.links.base, id, l.Tag), l.T("follow_offer")
	}
	s.render(w, http.StatusOK, l, v)
}

func (s *Server) siteName(l *catalog.Lang) string {
	if s.site.Name != "" {
		return s.site.Name
	}
	return l.T("site_default")
}

// serveLogo serves site.logo when it is a file.
func (s *Server) serveLogo(w http.ResponseWriter, r *http.Request) {
	if !s.site.LogoIsFile() {
		http.NotFound(w, r)
		return
	}
	data, err := os.ReadFile(s.site.Logo)
	if err != nil {
		s.log.Error("site logo", "file", s.site.Logo, "error", err)
		http.NotFound(w, r)
		return
	}
	types := map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
	w.Header().Set("Content-Type", types[strings.ToLower(filepath.Ext(s.site.Logo))])
	// An SVG served from our origin must not run script.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(data)
}

// parseDay reads YYYY-MM-DD.
func parseDay(s string) (time.Time, bool) {
	d, err := time.Parse("2006-01-02", s)
	return d, err == nil
}
