package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

// verify checks a token against the link key of the student it names, and
// returns the claim with that student.
func (s *Server) verify(ctx context.Context, tok string) (token.Claim, store.Subscriber, error) {
	var sub store.Subscriber
	c, err := s.signer.Verify(tok, func(id int64) ([]byte, error) {
		var err error
		sub, err = s.store.SubscriberByID(ctx, id)
		return sub.LinkKey, err
	}, s.now())
	return c, sub, err
}

// claimed is a checked one-click link: what it asks, for whom, about what.
type claimed struct {
	token.Claim
	sub   store.Subscriber
	offer *store.Offer
	// search is the saved search a stop-search link names.
	search string
}

// claim reads and checks the token of a request, and the subscriber,
// offer or saved search it names.
func (s *Server) claim(r *http.Request) (claimed, error) {
	c, sub, err := s.verify(r.Context(), r.PathValue("token"))
	out := claimed{Claim: c, sub: sub}
	if err != nil {
		return out, err
	}
	switch c.Action {
	case token.Applied, token.NotInterested:
		o, err := s.store.Offer(r.Context(), c.Offer)
		if err != nil {
			return out, err
		}
		out.offer = &o
	case token.StopSearch:
		q, err := s.store.SearchOf(r.Context(), sub.ID, c.Offer)
		if err != nil {
			return out, err
		}
		out.search = q.Query
	}
	return out, nil
}

// refuse answers a request whose token did not check out: an error page,
// or 503 when the database failed.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, sub store.Subscriber, err error) {
	switch {
	case errors.Is(err, token.ErrExpired):
		s.expired(w, s.cat.Lang(sub.Lang))
	case err == nil, err == token.ErrInvalid, errors.Is(err, store.ErrNotFound):
		s.invalid(w, r)
	default:
		s.log.Error("one-click link", "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
	}
}

// pageKeys names each action's messages in the catalogue: page_<key>_title,
// _question, _button and _done.
var pageKeys = map[string]string{
	token.Unsubscribe: "unsubscribe", token.Pause: "pause", token.Resume: "resume", token.Language: "language",
	token.Applied: "applied", token.NotInterested: "not_interested", token.Confirm: "confirm",
	token.StopSearch: "stop_search",
}

// texts are a page's words: the question GET asks, the button, and what
// POST says it did.
type texts struct {
	lang                          *catalog.Lang
	title, question, button, done string
}

// actionTexts writes the page of c. The language page speaks the language
// it switches to.
func (s *Server) actionTexts(c claimed) (texts, bool) {
	key, ok := pageKeys[c.Action]
	if !ok {
		return texts{}, false
	}
	l := s.cat.Lang(c.sub.Lang)
	if c.Action == token.Language {
		l = s.cat.Lang(l.T("switch_language_to"))
	}
	q := c.search
	if q != "" {
		q = l.Quote(q)
	}
	t := func(part string) string { return l.T("page_"+key+"_"+part, "email", c.sub.Email, "search", q) }
	return texts{lang: l, title: t("title"), question: t("question"), button: t("button"), done: t("done")}, true
}

func (s *Server) showAction(w http.ResponseWriter, r *http.Request) {
	c, err := s.claim(r)
	t, ok := s.actionTexts(c)
	if err != nil || !ok {
		s.refuse(w, r, c.sub, err)
		return
	}
	s.render(w, http.StatusOK, t.lang, view{Title: t.title, Message: t.question, Offer: nameOf(t.lang, c.offer), Form: true, Button: t.button})
}

func (s *Server) doAction(w http.ResponseWriter, r *http.Request) {
	c, err := s.claim(r)
	t, ok := s.actionTexts(c)
	if err != nil || !ok {
		s.refuse(w, r, c.sub, err)
		return
	}
	oneClick := r.PostFormValue("List-Unsubscribe") == "One-Click"
	if oneClick && c.Action != token.Unsubscribe {
		// RFC 8058's body belongs to the List-Unsubscribe link only; a
		// client posting it elsewhere must not be told it unsubscribed.
		http.Error(w, "this link does not unsubscribe", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	sub := c.sub
	var next []button
	switch c.Action {
	case token.Unsubscribe:
		err = s.store.Unsubscribe(ctx, sub.ID)
	case token.Pause:
		err = s.store.Pause(ctx, sub.ID)
		resume, _ := s.actionTexts(claimed{Claim: token.Claim{Action: token.Resume}, sub: sub})
		next = append(next, button{Action: s.links.sign(sub.ID, sub.LinkKey, token.Resume, 0), Button: resume.button})
	case token.Resume:
		err = s.store.Resume(ctx, sub.ID)
	case token.Language:
		err = s.store.SetLanguage(ctx, sub.ID, t.lang.Tag)
	case token.Applied:
		err = s.store.FollowByID(ctx, sub.ID, c.Offer, store.Applied, s.now())
	case token.NotInterested:
		err = s.store.FollowByID(ctx, sub.ID, c.Offer, store.NotInterested, s.now())
	case token.Confirm:
		err = s.store.ConfirmSubscriber(ctx, sub.ID)
	case token.StopSearch:
		err = s.store.RemoveSearch(ctx, sub.ID, c.Offer)
	}
	if err != nil {
		s.log.Error("one-click link", "action", c.Action, "subscriber_id", sub.ID, "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
		return
	}
	s.log.Info("one-click link used", "action", c.Action, "subscriber_id", sub.ID, "offer_id", c.Offer)
	if oneClick {
		// RFC 8058: the mail client posts without a user; answer plainly.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "unsubscribed")
		return
	}
	s.render(w, http.StatusOK, t.lang, view{Title: t.title, Message: t.done, Class: "ok", Offer: nameOf(t.lang, c.offer), Next: next})
}
