package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
)

// The Atom feed of open offers (RFC 4287) at /offers.atom: one entry per
// offer whose applications are still open, with its title, organisation,
// last day to apply and link, for a job board, a department's page or a
// feed reader. It exists only when offer pages are public.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Updated string     `xml:"updated"`
	Link    atomLink   `xml:"link"`
	Author  atomAuthor `xml:"author"`
	Summary string     `xml:"summary"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

func (s *Server) serveAtom(w http.ResponseWriter, r *http.Request) {
	if !s.links.public {
		http.NotFound(w, r)
		return
	}
	now := s.now()
	l := s.cat.Lang(s.cat.Match(r.Header.Get("Accept-Language")))
	offers, err := s.store.OpenOffers(r.Context(), now)
	if err != nil {
		s.log.Error("offers feed", "error", err)
		http.Error(w, "temporary failure", http.StatusServiceUnavailable)
		return
	}
	f := atomFeed{Title: l.T("atom_title"), ID: s.links.base + "/offers.atom",
		Links: []atomLink{{Href: s.links.base + "/offers.atom", Rel: "self", Type: "application/atom+xml"}}}
	var latest time.Time
	for _, o := range offers {
		page, _, _ := s.links.OfferLinks(1, nil, o.ID) // public: the page needs no token
		link := page
		if strings.HasPrefix(o.File, "https://") || strings.HasPrefix(o.File, "http://") {
			link = o.File
		}
		title := l.Typeset(strings.TrimSpace(notify.Visible(o.Title)))
		if title == "" {
			title = l.T("page_offer_title", "id", o.ID)
		}
		org := notify.Visible(o.Organisation)
		e := atomEntry{Title: title, ID: fmt.Sprintf("%s/offers/%d", s.links.base, o.ID), Link: atomLink{Href: link},
			Author: atomAuthor{Name: org}, Updated: o.AddedAt.UTC().Format(time.RFC3339), Summary: summary(l, o.Offer)}
		if e.Author.Name == "" {
			e.Author.Name = "-"
		}
		if o.AddedAt.After(latest) {
			latest = o.AddedAt
		}
		f.Entries = append(f.Entries, e)
	}
	if latest.IsZero() {
		latest = time.Unix(0, 0)
	}
	f.Updated = latest.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		s.log.Error("offers feed", "error", err)
		http.Error(w, "temporary failure", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write([]byte(xml.Header))
	w.Write(out)
}

// summary says who offers it and the last day to apply.
func summary(l *catalog.Lang, o offer.Offer) string {
	var parts []string
	if org := strings.TrimSpace(notify.Visible(o.Organisation)); org != "" {
		parts = append(parts, l.Typeset(org))
	}
	d, err := time.Parse("2006-01-02", o.Deadline.LastDay)
	switch {
	case err != nil:
		parts = append(parts, l.T("line", "label", l.T("label_deadline"), "value", l.T("deadline_none")))
	case o.Deadline.Kind == offer.KindEstimated:
		parts = append(parts, l.T("line", "label", l.T("page_offer_estimated"), "value", l.LongDate(d)))
	default:
		parts = append(parts, l.T("line", "label", l.T("label_last_day"), "value", l.LongDate(d)))
	}
	return l.Typeset(strings.Join(parts, " · "))
}
