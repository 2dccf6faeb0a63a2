package web

import (
	"net/http"
	"net/mail"
	"net/url"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
)

// view is what the page template shows; every text is in Lang already.
type view struct {
	Lang, Title, Message, Class string
	// Offer names the offer an action is about.
	Offer *offerName
	// Form asks to confirm with a button that posts to the same address.
	Form   bool
	Button string
	// Next are further actions, each posting to a sibling link (a bare
	// token, relative to the current /a/ address, so a path prefix added by
	// a reverse proxy is kept).
	Next    []button
	Details []detail
	// Note is a remark above the details, such as a staff-set deadline.
	Note string
	// BodyTitle heads the offer's text, Body.
	BodyTitle, Body string
	// Follow links to the sign-up form for this offer, FollowText says so.
	Follow, FollowText string
	Site               siteView
}

type button struct{ Action, Button string }

// offerName is an offer's title and organisation, typeset.
type offerName struct{ Title, Organisation string }

func nameOf(l *catalog.Lang, o *store.Offer) *offerName {
	if o == nil {
		return nil
	}
	return &offerName{Title: l.Typeset(notify.Visible(o.Title)), Organisation: l.Typeset(notify.Visible(o.Organisation))}
}

type detail struct{ Name, Value string }

// siteView signs a page: the institution, its address, its contact and
// logo; SiteName is the suffix of the page title.
type siteView struct {
	Name, URL, Contact, ContactLink, Logo string
}

func (s *Server) siteView(l *catalog.Lang) siteView {
	v := siteView{Name: s.site.Name, URL: safeURL(s.site.URL), Logo: safeURL(s.site.LogoURL)}
	if v.Name == "" {
		v.Name = "echeance"
	}
	if c := s.site.Contact; c != "" {
		v.Contact = l.T("footer_contact", "contact", c)
		if a, err := mail.ParseAddress(c); err == nil && a.Address == c {
			v.ContactLink = "mailto:" + c
		} else {
			v.ContactLink = safeURL(c)
		}
	}
	return v
}

// safeURL returns s when it is an absolute http(s) URL, else "".
func safeURL(s string) string {
	u, err := url.Parse(s)
	if s == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

func (s *Server) render(w http.ResponseWriter, status int, l *catalog.Lang, v view) {
	v.Lang = l.Tag
	v.Site = s.siteView(l)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", l.Tag)
	w.WriteHeader(status)
	if err := s.page.Execute(w, v); err != nil {
		s.log.Error("render page", "error", err)
	}
}

// browserLang is the language of a request that carries no student: ?lang=
// when the catalogue has it, else the browser's Accept-Language.
func (s *Server) browserLang(r *http.Request) *catalog.Lang {
	if q := r.URL.Query().Get("lang"); s.cat.Has(q) {
		return s.cat.Lang(q)
	}
	return s.cat.Lang(s.cat.Match(r.Header.Get("Accept-Language")))
}

func (s *Server) invalid(w http.ResponseWriter, r *http.Request) {
	l := s.browserLang(r)
	s.render(w, http.StatusNotFound, l, view{Title: l.T("page_invalid_title"), Class: "err", Message: l.T("page_invalid")})
}

func (s *Server) expired(w http.ResponseWriter, l *catalog.Lang) {
	s.render(w, http.StatusGone, l, view{Title: l.T("page_expired_title"), Class: "err", Message: l.T("page_expired")})
}
