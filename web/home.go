package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
)

// pageSize is how many offers a page of the list shows.
const pageSize = 20

// offerTypes are the kinds of offer the list filters on, as search's
// type: words, with their catalogue keys.
var offerTypes = []string{"stage", "alternance", "emploi", "these", "service-civique", "benevolat"}

type homeView struct {
	Q, Type     string
	Types       []option
	Cards       []cardView
	Count       string
	Prev, Next  string
	PageText    string
	SubscribeTo string
	// Lang is the language asked for with ?lang=, kept in the page's links.
	Lang string
}

type option struct {
	Value, Text string
	Selected    bool
}

type cardView struct {
	URL, Title, Organisation, City, LastDay string
	// Note marks an estimated or unchecked last day.
	Note string
}

// showHome serves /: the open offers, nearest last day first, filtered
// with the saved-search syntax, a page at a time.
func (s *Server) showHome(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	l := s.browserLang(r)
	v := studentView{Page: "home", Title: l.T("home_title"), Home: &homeView{SubscribeTo: s.links.base + "/subscribe"}}
	if !s.links.public {
		// Offers are private: the page is the sign-up form alone.
		s.signPage(w, r, http.StatusOK, l, &signView{Kind: store.SignUpSubscribe}, "")
		return
	}
	h := v.Home
	qs := r.URL.Query()
	if s.cat.Has(qs.Get("lang")) {
		h.Lang = qs.Get("lang")
	}
	h.Q, h.Type = strings.TrimSpace(qs.Get("q")), qs.Get("type")
	h.Types = []option{{Value: "", Text: l.T("home_filter_any")}}
	written := h.Q
	for _, t := range offerTypes {
		h.Types = append(h.Types, option{Value: t, Text: l.T("type_" + strings.ReplaceAll(t, "-", "_")), Selected: t == h.Type})
		if t == h.Type {
			written = strings.TrimSpace(written + " type:" + t)
		}
	}
	var q *search.Query
	if written != "" {
		p, err := search.Parse(written)
		if err != nil {
			v.Error = l.T("home_bad_filter", "error", err.Error())
			s.renderStudents(w, http.StatusBadRequest, l, v)
			return
		}
		q = &p
	}
	if sv := (url.Values{}); written != "" || h.Lang != "" {
		if written != "" {
			sv.Set("search", written)
		}
		if h.Lang != "" {
			sv.Set("lang", h.Lang)
		}
		h.SubscribeTo += "?" + sv.Encode()
	}
	page, _ := strconv.Atoi(qs.Get("page"))
	page = max(page, 1)
	cards, total, err := s.store.OpenCards(r.Context(), s.now(), q, pageSize, (page-1)*pageSize)
	if err != nil {
		s.log.Error("list of offers", "error", err)
		http.Error(w, "temporary failure", http.StatusServiceUnavailable)
		return
	}
	pages := max((total+pageSize-1)/pageSize, 1)
	h.Count = l.T("home_count", "n", total)
	h.PageText = l.T("home_page", "n", page, "of", pages)
	link := func(p int) string {
		v := url.Values{}
		if h.Q != "" {
			v.Set("q", h.Q)
		}
		if h.Type != "" {
			v.Set("type", h.Type)
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if h.Lang != "" {
			v.Set("lang", h.Lang)
		}
		if len(v) == 0 {
			return s.links.base + "/"
		}
		return s.links.base + "/?" + v.Encode()
	}
	if page > 1 {
		h.Prev = link(min(page-1, pages))
	}
	if page < pages {
		h.Next = link(page + 1)
	}
	for _, c := range cards {
		cv := s.card(l, c)
		if h.Lang != "" {
			cv.URL += "?lang=" + h.Lang
		}
		h.Cards = append(h.Cards, cv)
	}
	s.renderStudents(w, http.StatusOK, l, v)
}

func (s *Server) card(l *catalog.Lang, c store.Card) cardView {
	v := cardView{URL: fmt.Sprintf("%s/offers/%d", s.links.base, c.ID), Title: l.Typeset(notify.Visible(c.Title)),
		Organisation: l.Typeset(notify.Visible(c.Organisation)), City: notify.Visible(c.City)}
	if strings.TrimSpace(v.Title) == "" {
		v.Title = l.T("page_offer_title", "id", c.ID)
	}
	if d, ok := parseDay(c.LastDay); ok {
		v.LastDay = l.LongDate(d)
	}
	switch {
	case c.Kind == "none" || v.LastDay == "":
		v.LastDay = l.T("home_no_deadline")
	case c.Review == "pending":
		v.Note = l.T("home_under_review")
	case c.Kind == "estimated":
		v.Note = l.T("home_estimated")
	}
	return v
}
