// Package web owns echeance's own HTTP server: the students' pages (the
// open offers at /, signing up at /subscribe, "Gérer mes rappels" at
// /manage/{token} and the form at /link that sends that link again), the
// pages behind the one-click links of every email (unsubscribe, pause, language, "j'ai
// postulé", "pas intéressé", confirmation, stopping a saved search), each
// student's private calendar feed, a read-only page per offer, and the
// Atom feed of open offers. Every word of the pages comes from package
// catalog, in the student's language (from their link) or the browser's;
// the institution of [site] signs them.
//
// A link carries a signed token (package token) and nothing else: no
// password, no cookie. GET only shows what the link would do, because mail
// scanners follow links; POST acts, and acting twice is harmless. A POST of
// "List-Unsubscribe=One-Click" (RFC 8058) unsubscribes without a redirect.
//
// The students' forms are anonymous (sign-up, link) or reached through a
// manage link: each carries a signed, dated form token (bound to the
// student and their link on the manage page), and a cross-site POST is
// refused by Sec-Fetch-Site or Origin. Sign-ups never tell whether an
// address is known, and are limited per client address (from
// X-Forwarded-For only behind a trusted proxy) and per email address; the
// bookkeeping keeps a keyed digest of client addresses, never the
// addresses. Administrators' pages are not here.
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
	"net/netip"
	"strings"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/search"
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
		Manage:      l.ManageLink(sub, key),
	}
}

// ManageLink returns the link to the student's own page ("Gérer mes
// rappels").
func (l *Links) ManageLink(sub int64, key []byte) string {
	return l.base + "/manage/" + l.sign(sub, key, token.Manage, 0)
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

// StopSearchLink returns the link that deletes one saved search.
func (l *Links) StopSearchLink(sub int64, key []byte, searchID int64) string {
	return l.action(sub, key, token.StopSearch, searchID)
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
	SearchOf(ctx context.Context, id, searchID int64) (store.Search, error)
	RemoveSearch(ctx context.Context, id, searchID int64) error
	ReviewState(ctx context.Context, id int64) (state string, revision int, err error)
	ConfirmOffer(ctx context.Context, id int64, by string, now time.Time) (int, error)
	SetNoDeadline(ctx context.Context, id int64, by string, now time.Time) error
	// The students' pages.
	OpenCards(ctx context.Context, now time.Time, q *search.Query, limit, offset int) ([]store.Card, int, error)
	RecordSignUp(ctx context.Context, r store.SignUp, now time.Time) (string, error)
	FollowsOf(ctx context.Context, id int64) ([]store.StudentFollow, error)
	SearchesOf(ctx context.Context, id int64) ([]store.Search, error)
	EditSubscriber(ctx context.Context, id int64, e store.SubscriberEdit, now time.Time) error
	ExportSubscriber(ctx context.Context, id int64) (store.Export, error)
	EraseSubscriber(ctx context.Context, id int64) error
}

// FeedFunc writes a student's calendar feed in their language.
type FeedFunc func(subscriberID int64, lang string, items []notify.Item, now time.Time) []byte

// Deps is what a Server is built from.
type Deps struct {
	Store  Store
	Links  *Links
	Signer *token.Signer
	Feed   FeedFunc
	// Catalog holds every word of the pages; Site signs them.
	Catalog *catalog.Catalog
	Site    config.Site
	Now     func() time.Time
	Log     *slog.Logger
	// Wake is called when a student's request leaves a message to send
	// (a confirmation, their manage link), so that it goes at once; nil:
	// it goes at the next run.
	Wake func()
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Offsets are the configured reminder days, shown as the default;
	// Location is the schedule's time zone, for the times shown.
	Offsets  []int
	Location *time.Location
}

// Server serves the pages.
type Server struct {
	store  Store
	links  *Links
	signer *token.Signer
	feed   FeedFunc
	cat    *catalog.Catalog
	site   config.Site
	now    func() time.Time
	log    *slog.Logger
	page   *template.Template
	health HealthFunc
	// students lays out the students' pages.
	students *template.Template
	wake     func()
	proxies  []netip.Prefix
	offsets  []int
	location *time.Location
}

// New returns a Server; it fails if its templates do not parse.
func New(d Deps) (*Server, error) {
	if d.Catalog == nil {
		return nil, errors.New("web: no catalogue")
	}
	page, err := template.ParseFS(templateFS, "templates/page.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	students, err := template.ParseFS(templateFS, "templates/students.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	return &Server{store: d.Store, links: d.Links, signer: d.Signer, feed: d.Feed, cat: d.Catalog, site: d.Site,
		now: d.Now, log: d.Log, page: page, students: students, wake: d.Wake, proxies: d.TrustedProxies,
		offsets: d.Offsets, location: d.Location}, nil
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
	mux.HandleFunc("GET /site/logo", s.serveLogo)
	mux.HandleFunc("GET /r/{token}", s.showReview)
	mux.HandleFunc("POST /r/{token}", s.doReview)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /{$}", s.showHome)
	mux.HandleFunc("GET /subscribe", s.showSubscribe)
	mux.Handle("POST /subscribe", s.crossOrigin(s.doSubscribe))
	mux.HandleFunc("GET /link", s.showLink)
	mux.Handle("POST /link", s.crossOrigin(s.doLink))
	mux.HandleFunc("GET /manage/{token}", s.showManage)
	mux.Handle("POST /manage/{token}", s.crossOrigin(s.doManage))
	return secure(mux)
}

// secure sets headers that keep the pages inert: no scripts, no framing,
// no referrer carrying a token to another site.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; form-action 'self'; frame-ancestors 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
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
