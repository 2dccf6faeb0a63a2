package web

import (
	"fmt"
	"net/http"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

// ReviewLinks returns the buttons of the review email for one revision of
// an offer: confirm it, say it has no deadline, and its console page.
func (l *Links) ReviewLinks(offerID int64, revision int) (confirm, noDeadline, open string) {
	sign := func(action string) string {
		return l.base + "/r/" + l.signer.SignReview(token.ReviewClaim{Action: action, Offer: offerID, Revision: revision, Issued: l.now()})
	}
	return sign(token.ReviewConfirm), sign(token.ReviewNoDeadline), fmt.Sprintf("%s/admin/offers/%d/", l.base, offerID)
}

// reviewKeys name the pages of the review buttons in the catalogue.
var reviewKeys = map[string]string{token.ReviewConfirm: "review_confirm", token.ReviewNoDeadline: "review_none"}

// reviewClaim checks a review button's token against the offer's current
// revision, and returns the offer.
func (s *Server) reviewClaim(r *http.Request) (token.ReviewClaim, store.Offer, error) {
	c, err := s.signer.VerifyReview(r.PathValue("token"), func(id int64) (int, error) {
		_, rev, err := s.store.ReviewState(r.Context(), id)
		return rev, err
	}, s.now())
	if err != nil {
		return c, store.Offer{}, err
	}
	o, err := s.store.Offer(r.Context(), c.Offer)
	return c, o, err
}

// reviewPage is a review button's page: GET asks, POST acts, as for the
// students' links (a scanner that opens the email decides nothing).
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, l *catalog.Lang, c token.ReviewClaim, o store.Offer, done bool) {
	key := "page_" + reviewKeys[c.Action] + "_"
	v := view{Title: l.T(key + "title"), Offer: nameOf(l, &o)}
	if done {
		v.Message, v.Class = l.T(key+"done"), "ok"
	} else {
		v.Message, v.Form, v.Button = l.T(key+"question"), true, l.T(key+"button")
	}
	last := l.T("review_read_none")
	if d, ok := parseDay(o.Deadline.LastDay); ok {
		last = l.LongDate(d)
	}
	v.Details = append(v.Details, detail{l.T("label_read"), last})
	if o.Deadline.Phrase != "" {
		v.Details = append(v.Details, detail{l.T("label_sentence"), l.Quote(o.Deadline.Phrase)})
	}
	s.render(w, http.StatusOK, l, v)
}

func (s *Server) showReview(w http.ResponseWriter, r *http.Request) {
	c, o, err := s.reviewClaim(r)
	if err != nil {
		s.refuse(w, r, store.Subscriber{}, err)
		return
	}
	s.reviewPage(w, r, s.browserLang(r), c, o, false)
}

func (s *Server) doReview(w http.ResponseWriter, r *http.Request) {
	c, o, err := s.reviewClaim(r)
	if err != nil {
		s.refuse(w, r, store.Subscriber{}, err)
		return
	}
	const by = "review email"
	switch c.Action {
	case token.ReviewConfirm:
		_, err = s.store.ConfirmOffer(r.Context(), o.ID, by, s.now())
	case token.ReviewNoDeadline:
		err = s.store.SetNoDeadline(r.Context(), o.ID, by, s.now())
	}
	if err != nil {
		s.log.Error("review button", "action", c.Action, "offer_id", o.ID, "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
		return
	}
	s.log.Info("review button used", "action", c.Action, "offer_id", o.ID)
	if o, err = s.store.Offer(r.Context(), o.ID); err != nil {
		s.log.Error("review button", "offer_id", c.Offer, "error", err)
	}
	s.reviewPage(w, r, s.browserLang(r), c, o, true)
}
