package web

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/catalog"
)

// maxBody bounds the body of every request: the pages' forms hold a few
// short fields.
const maxBody = 64 << 10

// studentView is what the students' pages template sees: Page names the
// page, L gives the words, the other fields are the page's.
type studentView struct {
	Page  string
	Lang  string
	Title string
	L     *catalog.Lang
	Site  siteView
	// Base is the site's address, for links that must survive a path
	// prefix added by a reverse proxy.
	Base string
	// Form is the form token of the page's forms.
	Form string
	// Error and Notice are a problem with what was posted, and what it did.
	Error, Notice string
	Home          *homeView
	Sign          *signView
	Manage        *manageView
}

func (s *Server) renderStudents(w http.ResponseWriter, status int, l *catalog.Lang, v studentView) {
	v.Lang, v.L, v.Site, v.Base = l.Tag, l, s.siteView(l), s.links.base
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", l.Tag)
	w.WriteHeader(status)
	if err := s.students.Execute(w, v); err != nil {
		s.log.Error("render page", "page", v.Page, "error", err)
	}
}

// client returns the address a request counts under: the connection's,
// or the client an X-Forwarded-For names when the connection comes from a
// trusted proxy (the rightmost address a trusted proxy did not add). IPv6
// clients count by /64, the block one subscriber usually holds.
func (s *Server) client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "unknown"
	}
	ip = ip.Unmap()
	if s.trusted(ip) {
		var hops []string
		for _, v := range r.Header.Values("X-Forwarded-For") {
			hops = append(hops, strings.Split(v, ",")...)
		}
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			ip = a.Unmap()
			if !s.trusted(ip) {
				break
			}
		}
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// checkForm checks the form token a POST carries for bind. An expired one
// is no attack: the caller shows the form again.
func (s *Server) checkForm(r *http.Request, bind string) error {
	return s.signer.VerifyForm(r.PostFormValue("form"), bind, s.now())
}

// refuseForm answers a POST that did not come from our pages: cross-site,
// or with a form token that is missing, forged or someone else's.
func (s *Server) refuseForm(w http.ResponseWriter, r *http.Request) {
	l := s.browserLang(r)
	s.render(w, http.StatusForbidden, l, view{Title: l.T("form_refused_title"), Class: "err", Message: l.T("form_refused")})
}

// crossOrigin refuses unsafe cross-site requests (by Sec-Fetch-Site, else
// Origin against Host) on the students' forms.
func (s *Server) crossOrigin(h http.HandlerFunc) http.Handler {
	cop := http.NewCrossOriginProtection()
	// Behind a proxy that rewrites Host, the public origin is still ours.
	if s.links == nil {
		// No links, no pages that need forms (a health-only server).
		return http.NotFoundHandler()
	}
	if u, err := url.Parse(s.links.base); err == nil && u.Scheme != "" && u.Host != "" {
		_ = cop.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	cop.SetDenyHandler(http.HandlerFunc(s.refuseForm))
	return cop.Handler(h)
}

// parseOffsets reads "7, 2" (days, "j" or "d" allowed after each).
func parseOffsets(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		f = strings.TrimRight(strings.ToLower(f), "jd")
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 365 {
			return nil, errors.New("bad offset")
		}
		out = append(out, n)
	}
	if len(out) > 10 {
		return nil, errors.New("too many offsets")
	}
	return out, nil
}

func formatDays(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ", ")
}

// formToken returns the token of a page's forms.
func (s *Server) formToken(bind string) string { return s.signer.SignForm(bind, s.now()) }

// manageBind binds a manage page's form token to the student and the link
// it was served from.
func manageBind(sub int64, tok string) string {
	return "manage:" + strconv.FormatInt(sub, 10) + ":" + tok
}

func (s *Server) loc() *time.Location {
	if s.location == nil {
		return time.UTC
	}
	return s.location
}
