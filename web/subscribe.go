package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

// signView is the sign-up form (Kind "subscribe") or the form that sends
// the manage link again (Kind "link"), and what was typed in it.
type signView struct {
	Kind                        string
	Email, Offsets, Search      string
	Offer                       int64
	OfferTitle, SearchText      string
	Langs                       []option
	OffsetsHint, Action, Button string
	Done                        bool
}

// showSubscribe serves the sign-up form, with the offer (?offer=ID) or the
// search (?search=…) the student came from.
func (s *Server) showSubscribe(w http.ResponseWriter, r *http.Request) {
	l := s.browserLang(r)
	qs := r.URL.Query()
	offer, _ := strconv.ParseInt(qs.Get("offer"), 10, 64)
	sv := &signView{Kind: store.SignUpSubscribe, Search: strings.TrimSpace(qs.Get("search")), Offer: max(offer, 0)}
	s.signPage(w, r, http.StatusOK, l, sv, "")
}

// showLink serves the form that sends the manage link again.
func (s *Server) showLink(w http.ResponseWriter, r *http.Request) {
	s.signPage(w, r, http.StatusOK, s.browserLang(r), &signView{Kind: store.SignUpLink}, "")
}

func (s *Server) signPage(w http.ResponseWriter, r *http.Request, status int, l *catalog.Lang, sv *signView, problem string) {
	v := studentView{Page: "sign", Sign: sv, Error: problem, Form: s.formToken(sv.Kind)}
	if sv.Kind == store.SignUpLink {
		v.Title, sv.Action, sv.Button = l.T("link_title"), s.links.base+"/link", l.T("link_button")
	} else {
		v.Title, sv.Action, sv.Button = l.T("subscribe_title"), s.links.base+"/subscribe", l.T("subscribe_button")
		sv.OffsetsHint = l.T("offsets_hint", "site", s.siteName(l))
		lang := l.Tag
		if s.cat.Has(r.PostFormValue("lang")) {
			lang = r.PostFormValue("lang")
		}
		for _, tag := range s.cat.Tags() {
			sv.Langs = append(sv.Langs, option{Value: tag, Text: s.cat.Lang(tag).Name, Selected: tag == lang})
		}
		if sv.Offer > 0 {
			// Private offers are followed only through a student's links.
			if o, err := s.store.Offer(r.Context(), sv.Offer); err == nil && s.links.public {
				sv.OfferTitle = l.T("subscribe_offer", "offer", nameOf(l, &o).Title)
			} else {
				sv.Offer = 0
			}
		}
		if sv.Search != "" {
			sv.SearchText = l.T("subscribe_search", "search", l.Quote(sv.Search))
		}
	}
	if sv.Done {
		v.Title = l.T("subscribe_done_title")
	}
	s.renderStudents(w, status, l, v)
}

// doSubscribe and doLink take the forms. Whatever the address (new,
// pending, active, unsubscribed, unknown) and whatever the limits
// decided, the answer is the same page: it never tells whether an
// address is known.
func (s *Server) doSubscribe(w http.ResponseWriter, r *http.Request) {
	s.doSign(w, r, store.SignUpSubscribe)
}
func (s *Server) doLink(w http.ResponseWriter, r *http.Request) { s.doSign(w, r, store.SignUpLink) }

func (s *Server) doSign(w http.ResponseWriter, r *http.Request, kind string) {
	l := s.browserLang(r)
	if s.cat.Has(r.PostFormValue("lang")) {
		l = s.cat.Lang(r.PostFormValue("lang"))
	}
	offer, _ := strconv.ParseInt(r.PostFormValue("offer"), 10, 64)
	sv := &signView{Kind: kind, Email: strings.TrimSpace(r.PostFormValue("email")), Offsets: r.PostFormValue("offsets"),
		Search: strings.TrimSpace(r.PostFormValue("search")), Offer: max(offer, 0)}
	switch err := s.checkForm(r, kind); {
	case errors.Is(err, token.ErrExpired):
		s.signPage(w, r, http.StatusBadRequest, l, sv, l.T("form_expired"))
		return
	case err != nil:
		s.refuseForm(w, r)
		return
	}
	if !s.links.public {
		sv.Offer = 0
	}
	req := store.SignUp{Kind: kind, Lang: l.Tag, Offer: sv.Offer, Search: sv.Search,
		Client: s.signer.Pseudonym("client", []byte(s.client(r)))}
	var err error
	if req.Email, err = store.NormalizeEmail(sv.Email); err != nil {
		s.signPage(w, r, http.StatusBadRequest, l, sv, l.T("form_bad_email"))
		return
	}
	if req.Offsets, err = parseOffsets(sv.Offsets); err != nil {
		s.signPage(w, r, http.StatusBadRequest, l, sv, l.T("form_bad_offsets"))
		return
	}
	if req.Search != "" {
		if _, err := search.Parse(req.Search); err != nil {
			s.signPage(w, r, http.StatusBadRequest, l, sv, l.T("form_bad_search", "error", err.Error()))
			return
		}
	}
	outcome, err := s.store.RecordSignUp(r.Context(), req, s.now())
	if err != nil {
		s.log.Error("sign-up", "kind", kind, "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
		return
	}
	// The address is not logged: the outcome would say whether it is known.
	s.log.Info("web request", "kind", kind, "outcome", outcome)
	if (outcome == store.SignedUpConfirm || outcome == store.SignedUpLink) && s.wake != nil {
		s.wake()
	}
	s.signPage(w, r, http.StatusOK, l, &signView{Kind: kind, Done: true}, "")
}
