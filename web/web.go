// Package web owns echeance's own HTTP server: the pages behind the
// one-click links of every email (unsubscribe, pause, language, "j'ai
// postulé", "pas intéressé", confirmation), each student's private calendar
// feed, and a read-only page per offer.
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
// scheduler's Linker.
type Links struct {
	base   string
	signer *token.Signer
}

// NewLinks returns links under baseURL (no trailing slash) signed by signer.
func NewLinks(baseURL string, signer *token.Signer) *Links {
	return &Links{base: strings.TrimRight(baseURL, "/"), signer: signer}
}

func (l *Links) action(sub int64, action string, offer int64) string {
	return l.base + "/a/" + l.signer.Sign(token.Claim{Subscriber: sub, Action: action, Offer: offer})
}

// SubscriberLinks returns a student's unsubscribe, pause, language and
// calendar feed links.
func (l *Links) SubscriberLinks(sub int64) notify.Links {
	return notify.Links{
		Unsubscribe: l.action(sub, token.Unsubscribe, 0),
		Pause:       l.action(sub, token.Pause, 0),
		Language:    l.action(sub, token.Language, 0),
		Feed:        l.base + "/feed/" + l.signer.Sign(token.Claim{Subscriber: sub, Action: token.Feed}) + ".ics",
	}
}

// OfferLinks returns an offer's page and the links that stop its reminders.
func (l *Links) OfferLinks(sub, offer int64) (page, applied, notInterested string) {
	return fmt.Sprintf("%s/offers/%d", l.base, offer), l.action(sub, token.Applied, offer), l.action(sub, token.NotInterested, offer)
}

// ConfirmLink returns the link that confirms a pending subscription.
func (l *Links) ConfirmLink(sub int64) string { return l.action(sub, token.Confirm, 0) }

// Store is what the pages need from the database.
type Store interface {
	SubscriberByID(ctx context.Context, id int64) (store.Subscriber, error)
	SetSubscriberStateByID(ctx context.Context, id int64, state, reason string) error
	SetLanguage(ctx context.Context, id int64, lang string) error
	ConfirmSubscriber(ctx context.Context, id int64) error
	FollowByID(ctx context.Context, sid, offerID int64, status string, now time.Time) error
	FollowedOffers(ctx context.Context, id int64) ([]store.Followed, error)
	Offer(ctx context.Context, id int64) (store.Offer, error)
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
	health HealthFunc
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
	mux.HandleFunc("GET /offers/{id}", s.showOffer)
	mux.HandleFunc("GET /healthz", s.healthz)
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
		Message: "Ce lien n'est pas valide : copiez-le en entier depuis l'email. · This link is not valid: copy it whole from the email."})
}

// claim reads and checks the token of a request, and the subscriber and
// offer it names.
func (s *Server) claim(r *http.Request) (token.Claim, store.Subscriber, *store.Offer, error) {
	c, err := s.signer.Verify(r.PathValue("token"))
	if err != nil {
		return token.Claim{}, store.Subscriber{}, nil, err
	}
	sub, err := s.store.SubscriberByID(r.Context(), c.Subscriber)
	if err != nil {
		return token.Claim{}, store.Subscriber{}, nil, err
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
		s.invalid(w)
		return
	}
	s.render(w, http.StatusOK, view{Lang: sub.Lang, Title: t.title, Message: t.question, Offer: o,
		Form: true, Button: t.button})
}

func (s *Server) doAction(w http.ResponseWriter, r *http.Request) {
	c, sub, o, err := s.claim(r)
	t, ok := actionTexts(c.Action, sub.Lang, sub.Email)
	if err != nil || !ok {
		if err != nil && !errors.Is(err, token.ErrInvalid) && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("one-click link", "error", err)
			http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
			return
		}
		s.invalid(w)
		return
	}
	ctx := r.Context()
	lang := sub.Lang
	var next []button
	switch c.Action {
	case token.Unsubscribe:
		err = s.store.SetSubscriberStateByID(ctx, sub.ID, store.StateUnsubscribed, "")
	case token.Pause:
		err = s.store.SetSubscriberStateByID(ctx, sub.ID, store.StatePaused, "")
		rt, _ := actionTexts(token.Resume, lang, sub.Email)
		next = append(next, button{Action: s.signer.Sign(token.Claim{Subscriber: sub.ID, Action: token.Resume}), Button: rt.button})
	case token.Resume:
		err = s.store.SetSubscriberStateByID(ctx, sub.ID, store.StateActive, "")
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
	if r.PostFormValue("List-Unsubscribe") == "One-Click" {
		// RFC 8058: the mail client posts without a user; answer plainly.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "unsubscribed")
		return
	}
	s.render(w, http.StatusOK, view{Lang: lang, Title: t.title, Message: t.done, Class: "ok", Offer: o, Next: next})
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	c, err := s.signer.Verify(name)
	if !ok || err != nil || c.Action != token.Feed {
		s.invalid(w)
		return
	}
	sub, err := s.store.SubscriberByID(r.Context(), c.Subscriber)
	if errors.Is(err, store.ErrNotFound) {
		s.invalid(w)
		return
	}
	var followed []store.Followed
	if err == nil {
		followed, err = s.store.FollowedOffers(r.Context(), c.Subscriber)
	}
	if err != nil {
		s.log.Error("calendar feed", "subscriber_id", c.Subscriber, "error", err)
		http.Error(w, "temporary failure", http.StatusServiceUnavailable)
		return
	}
	items := make([]notify.Item, len(followed))
	for i, f := range followed {
		page, _, _ := s.links.OfferLinks(c.Subscriber, f.OfferID)
		items[i] = notify.Item{Title: f.Title, Organisation: f.Organisation, Phrase: f.DeadlinePhrase,
			Estimated: f.DeadlineKind == "estimated", LastDay: f.LastDay, DeadlineAt: f.DeadlineAt,
			Contacts: f.Contacts, Source: f.Source, OfferID: f.OfferID, Revision: f.Revision, City: f.City, URL: page}
		if strings.HasPrefix(f.Source, "http://") || strings.HasPrefix(f.Source, "https://") {
			items[i].URL = f.Source
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Write(s.feed(c.Subscriber, sub.Lang, items, s.now()))
}

func (s *Server) showOffer(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
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
