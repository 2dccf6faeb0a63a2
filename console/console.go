// Package console owns the career service's console at /admin/: the
// administrators' accounts as the browser sees them (setting a password
// through a one-time link, logging in and out), their sessions, and the
// pages: a dashboard (the outbox at a glance and the review queue), offers,
// students, the outbox and the audit log. Every page is rendered on the
// server (html/template) and every form works without JavaScript; lists
// are read a page at a time.
//
// Security: passwords are hashed with argon2id; a session is a random id in
// an HttpOnly, SameSite=Lax cookie limited to /admin/ (Secure when the
// site is served over https), kept hashed in the database, ended after 8
// idle hours or 7 days; every form carries the session's CSRF token,
// checked on every POST, and cross-site POSTs (Origin, Sec-Fetch-Site) are
// refused before that. Failed logins are slowed and limited per email and
// per client address. Every administrator action is written to the audit
// log (package store).
//
// It deliberately owns no data: accounts, sessions and the audit log are
// in package store, the words of the pages in package catalog, and getting
// offers in is package ingest's.
package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/store"
)

//go:embed templates/*.tmpl templates/console.css
var templateFS embed.FS

// Prefix is where the console is served.
const Prefix = "/admin/"

// PageSize is how many rows a list shows at a time.
const PageSize = 50

// Body limits: uploads (offers, rosters) up to 20 MiB, other forms 2 MiB
// (a pasted offer is at most 1 MiB of text).
const (
	maxUpload = 20<<20 + 1<<20
	maxForm   = 2 << 20
)

// Deps is what a Console is built from.
type Deps struct {
	Store    *store.Store
	Ingester *ingest.Ingester
	Catalog  *catalog.Catalog
	// Location is the time zone dates are shown and read in.
	Location *time.Location
	// NextRun says when the reminder job runs next after a time.
	NextRun func(time.Time) time.Time
	// Secure marks the session cookie Secure (web.base_url is https).
	Secure bool
	Now    func() time.Time
	Log    *slog.Logger
	// FailDelay slows every failed login; 0 means a second.
	FailDelay time.Duration
}

// Console serves the pages.
type Console struct {
	st      *store.Store
	in      *ingest.Ingester
	cat     *catalog.Catalog
	loc     *time.Location
	nextRun func(time.Time) time.Time
	secure  bool
	now     func() time.Time
	log     *slog.Logger
	pages   *template.Template
	css     []byte
	limit   *limiter
	delay   time.Duration
	// dummy is a hash to check unknown emails against, so that they take
	// as long as a wrong password.
	dummyOnce sync.Once
	dummy     string
}

// pageNames are the pages, each defined in templates/NAME.html.tmpl and
// laid out by layout.html.tmpl.
var pageNames = []string{"login", "setup", "message", "dashboard", "offers", "offer", "students", "student", "import", "outbox", "audit"}

// New returns a Console; it fails if its templates do not parse.
func New(d Deps) (*Console, error) {
	if d.Store == nil || d.Catalog == nil || d.Ingester == nil {
		return nil, errors.New("console: a store, an ingester and a catalogue are needed")
	}
	c := &Console{st: d.Store, in: d.Ingester, cat: d.Catalog, loc: d.Location, nextRun: d.NextRun, secure: d.Secure,
		now: d.Now, log: d.Log, limit: newLimiter(5, 15*time.Minute), delay: d.FailDelay}
	if c.loc == nil {
		c.loc = time.UTC
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.delay == 0 {
		c.delay = time.Second
	}
	funcs := template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.In(c.loc).Format("2006-01-02 15:04")
		},
		"whenp": func(t *time.Time) string {
			if t == nil {
				return "-"
			}
			return t.In(c.loc).Format("2006-01-02 15:04")
		},
		"auditRows": func(l *catalog.Lang, rows []store.AuditEntry) auditRows { return auditRows{L: l, Rows: rows} },
		"dash": func(s string) string {
			if s == "" {
				return "-"
			}
			return s
		},
	}
	// One set: each page is a template of its own that calls "top" and
	// "bottom" of the layout, parsed once.
	t, err := template.New("layout.html.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	for _, name := range pageNames {
		if t.Lookup(name) == nil {
			return nil, fmt.Errorf("console: templates: no page %q", name)
		}
	}
	c.pages = t
	css, err := fs.ReadFile(templateFS, "templates/console.css")
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c.css = css
	return c, nil
}

// Handler returns the console's routes, all under Prefix, with the
// security headers, body limits and cross-origin protection.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/console.css", c.serveCSS)
	mux.HandleFunc("GET /admin/login", c.showLogin)
	mux.HandleFunc("POST /admin/login", c.doLogin)
	mux.HandleFunc("GET /admin/setup/{token}", c.showSetup)
	mux.HandleFunc("POST /admin/setup/{token}", c.doSetup)
	// Every other page needs a session; POSTs need its CSRF token.
	mux.Handle("POST /admin/logout", c.authed(c.doLogout))
	mux.Handle("GET /admin/{$}", c.authed(c.showDashboard))
	mux.Handle("GET /admin/offers", c.authed(c.showOffers))
	mux.Handle("POST /admin/offers", c.authed(c.addOffer))
	mux.Handle("GET /admin/offers/{id}/{$}", c.authed(c.showOffer))
	mux.Handle("POST /admin/offers/{id}/{action}", c.authed(c.offerAction))
	mux.Handle("GET /admin/students", c.authed(c.showStudents))
	mux.Handle("POST /admin/students", c.authed(c.addStudent))
	mux.Handle("GET /admin/students/import", c.authed(c.showImport))
	mux.Handle("POST /admin/students/import", c.authed(c.doImport))
	mux.Handle("GET /admin/students/{id}/{$}", c.authed(c.showStudent))
	mux.Handle("POST /admin/students/{id}/{action}", c.authed(c.studentAction))
	mux.Handle("GET /admin/outbox", c.authed(c.showOutbox))
	mux.Handle("POST /admin/outbox/{id}/resend", c.authed(c.resend))
	mux.Handle("GET /admin/audit", c.authed(c.showAudit))
	mux.HandleFunc("/admin/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, http.StatusForbidden, "console_cross_site")
	}))
	return secure(limitBody(cop.Handler(mux)))
}

// secure sets headers that keep the pages inert: no script at all, styles
// from the console's own file, no framing, no referrer, nothing cached.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cache-Control", "no-store")
		// So that echeance doctor knows the port is the console's.
		hd.Set("Server", "echeance")
		h.ServeHTTP(w, r)
	})
}

// limitBody bounds what a request may send: uploads to the two forms that
// take files, small forms elsewhere.
func limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxForm)
		if r.URL.Path == "/admin/offers" || r.URL.Path == "/admin/students/import" {
			limit = maxUpload
		}
		if r.ContentLength > limit {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

func (c *Console) serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(c.css)
}

// base is what every page shows: its language, title, who is logged in,
// the CSRF token for its forms, the section of the menu, and a message.
type base struct {
	L     *catalog.Lang
	Title string
	Admin string
	CSRF  string
	Nav   string
	// Done is a success message, Error a failure, both in L already.
	Done, Error string
}

func (c *Console) lang(r *http.Request) *catalog.Lang {
	return c.cat.Lang(c.cat.Match(r.Header.Get("Accept-Language")))
}

func (c *Console) base(r *http.Request, titleKey, nav string) base {
	l := c.lang(r)
	b := base{L: l, Title: l.T(titleKey), Nav: nav}
	if s, ok := sessionOf(r); ok {
		b.Admin, b.CSRF = s.Email, s.CSRF
	}
	// The message of the action that redirected here, from a fixed list.
	if k := r.URL.Query().Get("done"); strings.HasPrefix(k, "console_done_") && l.T(k) != "["+k+"]" {
		b.Done = l.T(k)
	}
	return b
}

// render writes page with data at status; a template failure is a 500,
// never half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := c.pages.ExecuteTemplate(&buf, page, data); err != nil {
		c.log.Error("console: render", "page", page, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// auditRows is the audit table of the audit log and of an offer's history.
type auditRows struct {
	L    *catalog.Lang
	Rows []store.AuditEntry
}

// message is a page that only says something.
type message struct {
	base
	Text string
	Back string
}

// fail answers with a page naming the problem (msgKey in the catalogue).
func (c *Console) fail(w http.ResponseWriter, r *http.Request, status int, msgKey string) {
	b := c.base(r, "console_error_title", "")
	c.render(w, r, status, "message", message{base: b, Text: b.L.T(msgKey), Back: Prefix})
}

// oops logs an unexpected failure and answers 500 without its details.
func (c *Console) oops(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("console: request failed", "path", r.URL.Path, "error", err)
	c.fail(w, r, http.StatusInternalServerError, "console_internal")
}

// done redirects after a successful POST (POST, redirect, GET) with a
// message key of the catalogue.
func done(w http.ResponseWriter, r *http.Request, to, key string) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"done="+key, http.StatusSeeOther)
}

// pathID reads a positive id from the path.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// page reads ?page= (1 and up, at most 10,000).
func page(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 {
		return 1
	}
	return min(p, 10000)
}

// pager is the "previous / next" links of a list.
type pager struct {
	Page       int
	Prev, Next string
}

func newPager(r *http.Request, p int, more bool) pager {
	q := r.URL.Query()
	q.Del("done")
	pg := pager{Page: p}
	if p > 1 {
		q.Set("page", strconv.Itoa(p-1))
		pg.Prev = r.URL.Path + "?" + q.Encode()
	}
	if more {
		q.Set("page", strconv.Itoa(p+1))
		pg.Next = r.URL.Path + "?" + q.Encode()
	}
	return pg
}
