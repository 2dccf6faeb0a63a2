// Package web owns echeance's own HTTP server: the pages behind the
// one-click links of every email (unsubscribe, pause, language, "j'ai
// postulé", "pas intéressé", confirmation), each student's private calendar
// feed, a read-only page per offer, and the Atom feed of open offers.
//
// A link carries a signed token (package token) and nothing else: no
// password, no cookie. GET only shows what the link would do, because mail
// scanners follow links; POST acts, and acting twice is harmless. A POST of
// "List-Unsubscribe=One-Click" (RFC 8058) unsubscribes without a redirect.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Links writes the one-click links of emails; it satisfies the
// scheduler's Linker. Every link is bound to the student's link key and
// dated with now.
type Links struct {
	base   string
	signer *token.Signer
	now    func() time.Time
	// public: offer pages are served to anyone at /offers/{id}; else only
	// through a signed link.
	public bool
}

// NewLinks returns links under baseURL (no trailing slash) signed by
// signer, dated by now. With publicOffers, offer pages are linked at
// /offers/{id}; without, through a signed link of the student's.
func NewLinks(baseURL string, signer *token.Signer, now func() time.Time, publicOffers bool) *Links {
	return &Links{base: strings.TrimRight(baseURL, "/"), signer: signer, now: now, public: publicOffers}
}

func (l *Links) sign(sub int64, key []byte, action string, offer int64) string {
	return l.signer.Sign(token.Claim{Subscriber: sub, Action: action, Offer: offer, Issued: l.now()}, key)
}

func (l *Links) action(sub int64, key []byte, action string, offer int64) string {
	return l.base + "/a/" + l.sign(sub, key, action, offer)
}

// SubscriberLinks returns a student's unsubscribe, pause, language and
// calendar feed links.
func (l *Links) SubscriberLinks(sub int64, key []byte) notify.Links {
	return notify.Links{
		Unsubscribe: l.action(sub, key, token.Unsubscribe, 0),
		Pause:       l.action(sub, key, token.Pause, 0),
		Language:    l.action(sub, key, token.Language, 0),
		Feed:        l.base + "/feed/" + l.sign(sub, key, token.Feed, 0) + ".ics",
	}
}

// OfferLinks returns an offer's page and the links that stop its reminders.
func (l *Links) OfferLinks(sub int64, key []byte, offer int64) (page, applied, notInterested string) {
	page = fmt.Sprintf("%s/offers/%d", l.base, offer)
	if !l.public {
		page = l.base + "/o/" + l.sign(sub, key, token.OfferPage, offer)
	}
	return page, l.action(sub, key, token.Applied, offer), l.action(sub, key, token.NotInterested, offer)
}

// ConfirmLink returns the link that confirms a pending subscription.
func (l *Links) ConfirmLink(sub int64, key []byte) string {
	return l.action(sub, key, token.Confirm, 0)
}

// Store is what the pages need from the database.
type Store interface {
	SubscriberByID(ctx context.Context, id int64) (store.Subscriber, error)
	Pause(ctx context.Context, id int64) error
	Resume(ctx context.Context, id int64) error
	Unsubscribe(ctx context.Context, id int64) error
	SetLanguage(ctx context.Context, id int64, lang string) error
	ConfirmSubscriber(ctx context.Context, id int64) error
	FollowByID(ctx context.Context, sid, offerID int64, status string, now time.Time) error
	FollowedOffers(ctx context.Context, id int64) ([]store.Followed, error)
	Offer(ctx context.Context, id int64) (store.Offer, error)
	// OpenOffers lists the offers still open, for /offers.atom.
	OpenOffers(ctx context.Context, now time.Time) ([]store.Offer, error)
}

// FeedFunc writes a student's calendar feed in their language.
type FeedFunc func(subscriberID int64, lang string, items []notify.Item, now time.Time) []byte

// Server serves the pages.
type Server struct {
	store  Store
	links  *Links
	signer *token.Signer
	feed   FeedFunc
	now    func() time.Time
	log    *slog.Logger
	page   *template.Template
}

// New returns a Server; it fails if its templates do not parse.
func New(st Store, links *Links, signer *token.Signer, feed FeedFunc, now func() time.Time, log *slog.Logger) (*Server, error) {
	page, err := template.ParseFS(templateFS, "templates/page.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	return &Server{store: st, links: links, signer: signer, feed: feed, now: now, log: log, page: page}, nil
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /a/{token}", s.showAction)
	mux.HandleFunc("POST /a/{token}", s.doAction)
	mux.HandleFunc("GET /feed/{file}", s.serveFeed)
	mux.HandleFunc("GET /offers/{id}", s.showPublicOffer)
	mux.HandleFunc("GET /o/{token}", s.showLinkedOffer)
	mux.HandleFunc("GET /offers.atom", s.serveAtom)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	return secure(mux)
}

// secure sets headers that keep the pages inert: no scripts, no framing,
// no referrer carrying a token to another site.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// Listen opens the server's address, so that a busy port is found before
// anything else starts.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("web: listen %s: %w", addr, err)
	}
	return l, nil
}

// Serve serves on l until ctx is cancelled, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	s.log.Info("web server listening", "addr", l.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return fmt.Errorf("web: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}

// view is what the page template shows.
type view struct {
	Lang, Title, Message, Class string
	Offer                       *store.Offer
	// Form asks to confirm with a button that posts to the same address.
	Form   bool
	Button string
	// Next are further actions, each posting to a sibling link (a bare
	// token, relative to the current /a/ address, so a path prefix added by
	// a reverse proxy is kept).
	Next    []button
	Details []detail
	Body    string
}

type button struct{ Action, Button string }

type detail struct{ Name, Value string }

func (s *Server) render(w http.ResponseWriter, status int, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.page.Execute(w, v); err != nil {
		s.log.Error("render page", "error", err)
	}
}

func (s *Server) invalid(w http.ResponseWriter) {
	s.render(w, http.StatusNotFound, view{Lang: "fr", Title: "Lien invalide · Invalid link", Class: "err",
		Message: "Ce lien n'est pas ou plus valide : il est incomplet, ou il a été révoqué (un désabonnement révoque tous les liens des emails reçus avant). Si vous venez de vous désabonner, c'est fait. · " +
			"This link is not valid, or no longer: it is incomplete, or it was revoked (unsubscribing revokes the links of every email received before). If you just unsubscribed, you are."})
}

func (s *Server) expired(w http.ResponseWriter, lang string) {
	t := view{Lang: "fr", Title: "Lien expiré", Class: "err",
		Message: "Ce lien a expiré. Utilisez celui d'un email plus récent ; le lien de désabonnement, lui, reste valide."}
	if lang == "en" {
		t = view{Lang: "en", Title: "Link expired", Class: "err",
			Message: "This link has expired. Use the one in a more recent email; the unsubscribe link stays valid."}
	}
	s.render(w, http.StatusGone, t)
}

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

// claim reads and checks the token of a request, and the subscriber and
// offer it names.
func (s *Server) claim(r *http.Request) (token.Claim, store.Subscriber, *store.Offer, error) {
	c, sub, err := s.verify(r.Context(), r.PathValue("token"))
	if err != nil {
		return c, sub, nil, err
	}
	if c.Action != token.Applied && c.Action != token.NotInterested {
		return c, sub, nil, nil
	}
	o, err := s.store.Offer(r.Context(), c.Offer)
	if err != nil {
		return token.Claim{}, store.Subscriber{}, nil, err
	}
	return c, sub, &o, nil
}

// refuse answers a request whose token did not check out: an error page,
// or 503 when the database failed.
func (s *Server) refuse(w http.ResponseWriter, sub store.Subscriber, err error) {
	switch {
	case errors.Is(err, token.ErrExpired):
		s.expired(w, sub.Lang)
	case err == nil, err == token.ErrInvalid, errors.Is(err, store.ErrNotFound):
		s.invalid(w)
	default:
		s.log.Error("one-click link", "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
	}
}

// texts are a page's words in one language: the question GET asks, the
// button, and what POST says it did.
type texts struct{ title, question, button, done string }

func actionTexts(action, lang, email string) (texts, bool) {
	fr := map[string]texts{
		token.Unsubscribe:   {"Se désabonner", "Ne plus recevoir aucun rappel à " + email + " ?", "Me désabonner", "C'est fait : vous ne recevrez plus de rappels à " + email + "."},
		token.Pause:         {"Mettre en pause", "Suspendre les rappels envoyés à " + email + " ?", "Mettre en pause", "Vos rappels sont en pause. Reprenez-les quand vous voulez."},
		token.Resume:        {"Reprendre", "Reprendre les rappels envoyés à " + email + " ?", "Reprendre mes rappels", "Vos rappels reprennent."},
		token.Language:      {"Language", "Receive the reminders in English?", "Switch to English", "Done: your reminders will now be in English."},
		token.Applied:       {"J'ai postulé", "Vous avez postulé à cette offre ? Ses rappels s'arrêteront.", "J'ai postulé", "Bravo ! Plus de rappel pour cette offre."},
		token.NotInterested: {"Pas intéressé·e", "Cette offre ne vous intéresse pas ? Ses rappels s'arrêteront.", "Pas intéressé·e", "C'est noté : plus de rappel pour cette offre."},
		token.Confirm:       {"Confirmer l'inscription", "Recevoir à " + email + " les rappels de dates limites de candidature ?", "Confirmer", "Inscription confirmée : vous recevrez vos rappels."},
	}
	en := map[string]texts{
		token.Unsubscribe:   {"Unsubscribe", "Stop all reminders to " + email + "?", "Unsubscribe", "Done: no more reminders will be sent to " + email + "."},
		token.Pause:         {"Pause", "Pause the reminders sent to " + email + "?", "Pause", "Your reminders are paused. Resume them whenever you like."},
		token.Resume:        {"Resume", "Resume the reminders sent to " + email + "?", "Resume my reminders", "Your reminders are back on."},
		token.Language:      {"Langue", "Recevoir les rappels en français ?", "Passer en français", "C'est fait : vos rappels seront en français."},
		token.Applied:       {"I applied", "You applied to this offer? Its reminders will stop.", "I applied", "Well done! No more reminders for this offer."},
		token.NotInterested: {"Not interested", "Not interested in this offer? Its reminders will stop.", "Not interested", "Noted: no more reminders for this offer."},
		token.Confirm:       {"Confirm", "Receive application deadline reminders at " + email + "?", "Confirm", "Subscription confirmed: your reminders are on their way."},
	}
	m := fr
	if lang == "en" {
		m = en
	}
	t, ok := m[action]
	return t, ok
}

func (s *Server) showAction(w http.ResponseWriter, r *http.Request) {
	c, sub, o, err := s.claim(r)
	t, ok := actionTexts(c.Action, sub.Lang, sub.Email)
	if err != nil || !ok {
		s.refuse(w, sub, err)
		return
	}
	s.render(w, http.StatusOK, view{Lang: sub.Lang, Title: t.title, Message: t.question, Offer: o,
		Form: true, Button: t.button})
}

func (s *Server) doAction(w http.ResponseWriter, r *http.Request) {
	c, sub, o, err := s.claim(r)
	t, ok := actionTexts(c.Action, sub.Lang, sub.Email)
	if err != nil || !ok {
		s.refuse(w, sub, err)
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
	lang := sub.Lang
	var next []button
	switch c.Action {
	case token.Unsubscribe:
		err = s.store.Unsubscribe(ctx, sub.ID)
	case token.Pause:
		err = s.store.Pause(ctx, sub.ID)
		rt, _ := actionTexts(token.Resume, lang, sub.Email)
		next = append(next, button{Action: s.links.sign(sub.ID, sub.LinkKey, token.Resume, 0), Button: rt.button})
	case token.Resume:
		err = s.store.Resume(ctx, sub.ID)
	case token.Language:
		lang = "en"
		if sub.Lang == "en" {
			lang = "fr"
		}
		err = s.store.SetLanguage(ctx, sub.ID, lang)
	case token.Applied:
		err = s.store.FollowByID(ctx, sub.ID, c.Offer, store.Applied, s.now())
	case token.NotInterested:
		err = s.store.FollowByID(ctx, sub.ID, c.Offer, store.NotInterested, s.now())
	case token.Confirm:
		err = s.store.ConfirmSubscriber(ctx, sub.ID)
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
	s.render(w, http.StatusOK, view{Lang: lang, Title: t.title, Message: t.done, Class: "ok", Offer: o, Next: next})
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		s.invalid(w)
		return
	}
	c, sub, err := s.verify(r.Context(), name)
	if err != nil || c.Action != token.Feed || sub.State == store.StateUnsubscribed {
		s.refuse(w, sub, err)
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
			Contacts: f.Contacts, Source: f.Source, OfferID: f.OfferID, Revision: f.Revision, City: f.City, URL: page}
		if strings.HasPrefix(f.Source, "http://") || strings.HasPrefix(f.Source, "https://") {
			items[i].URL = f.Source
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Write(s.feed(sub.ID, sub.Lang, items, s.now()))
}

// showPublicOffer serves /offers/{id} when offers are public.
func (s *Server) showPublicOffer(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !s.links.public {
		http.NotFound(w, r)
		return
	}
	s.showOffer(w, r, id)
}

// showLinkedOffer serves an offer's page through a student's signed link.
func (s *Server) showLinkedOffer(w http.ResponseWriter, r *http.Request) {
	c, sub, err := s.verify(r.Context(), r.PathValue("token"))
	if err != nil || c.Action != token.OfferPage {
		s.refuse(w, sub, err)
		return
	}
	s.showOffer(w, r, c.Offer)
}

// showOffer shows what the offer says: its facts and its text as ingested.
func (s *Server) showOffer(w http.ResponseWriter, r *http.Request, id int64) {
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
	v := view{Lang: "fr", Title: o.Title, Body: o.Text}
	if v.Title == "" {
		v.Title = fmt.Sprintf("Offre %d", o.ID)
	}
	add := func(name, value string) {
		if value != "" {
			v.Details = append(v.Details, detail{name, value})
		}
	}
	add("Organisation", o.Organisation)
	lastDay := o.Deadline.LastDay
	if d, err := time.Parse("2006-01-02", lastDay); err == nil {
		lastDay = notify.LongDate(d, "fr")
	}
	switch o.Deadline.Kind {
	case "explicit":
		add("Date limite", o.Deadline.Phrase)
		add("Dernier jour pour postuler", lastDay)
	case "estimated":
		add("Dernier jour pour postuler (estimé : l'offre n'en indique pas)", lastDay)
	}
	for _, p := range o.Places {
		add("Lieu", p.Text)
	}
	add("Contact", strings.Join(o.Contacts, ", "))
	s.render(w, http.StatusOK, v)
}
