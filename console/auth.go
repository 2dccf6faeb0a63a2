package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/echeance/echeance/store"
)

// MinPassword is the shortest password accepted, in characters.
const MinPassword = 12

// maxPassword bounds what is hashed: argon2 reads all of it.
const maxPassword = 1024

// argon2id parameters: OWASP's second recommended set (19 MiB, two
// passes), which keeps a login under a tenth of a second here and the
// daemon's memory small.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("console: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash of HashPassword,
// with the parameters the hash names (within sane bounds).
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 256*1024 || t > 10 || t < 1 || p < 1 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckNewPassword says what is wrong with a new password, "" if nothing:
// the catalogue key of the problem.
func CheckNewPassword(password, confirm string) string {
	switch n := len([]rune(password)); {
	case n < MinPassword:
		return "console_password_short"
	case len(password) > maxPassword:
		return "console_password_long"
	case password != confirm:
		return "console_password_mismatch"
	}
	return ""
}

// cookieName is the session cookie, limited to Prefix.
const cookieName = "echeance_admin"

type sessionKey struct{}

func sessionOf(r *http.Request) (store.Session, bool) {
	s, ok := r.Context().Value(sessionKey{}).(store.Session)
	return s, ok
}

// authed serves h to a logged-in administrator only: without a valid
// session a GET goes to the login page and a POST is refused with a
// redirect there; a POST without the session's CSRF token is refused with
// 403.
func (c *Console) authed(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(cookieName)
		var sess store.Session
		if err == nil {
			sess, err = c.st.SessionFor(r.Context(), ck.Value, c.now())
		}
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrExpired) && !errors.Is(err, http.ErrNoCookie) {
				c.oops(w, r, err)
				return
			}
			if ck != nil {
				c.clearCookie(w)
			}
			to := Prefix + "login"
			if r.Method == http.MethodGet && r.URL.Path != Prefix {
				// Back to the page asked for (a review email's link) after login.
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			// A multipart form is parsed here (files to disk past 1 MiB),
			// so the token is checked before any handler reads the form.
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				if err := r.ParseMultipartForm(1 << 20); err != nil {
					c.fail(w, r, http.StatusBadRequest, "console_bad_form")
					return
				}
			}
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) != 1 {
				c.fail(w, r, http.StatusForbidden, "console_csrf")
				return
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	})
}

func (c *Console) setCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: value, Path: Prefix, HttpOnly: true, Secure: c.secure,
		SameSite: http.SameSiteLaxMode})
}

func (c *Console) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix, HttpOnly: true, Secure: c.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

type loginPage struct {
	base
	Email string
	// Next is the console page to go to after logging in.
	Next string
}

// nextPage is where to go after logging in: a page of the console only,
// never another site ("//host", "/admin/../", a backslash).
func nextPage(s string) string {
	if !strings.HasPrefix(s, Prefix) || strings.ContainsAny(s, "\\\r\n") || strings.Contains(s, "..") || strings.HasPrefix(s, "//") {
		return Prefix
	}
	return s
}

func (c *Console) showLogin(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", loginPage{base: c.base(r, "console_login_title", ""), Next: nextPage(r.URL.Query().Get("next"))})
}

// clientAddr is the address the request came from (the reverse proxy's,
// behind one: echeance trusts no forwarded header).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// doLogin checks an email and password. Unknown addresses and wrong
// passwords get the same answer after the same work; five failures in 15
// minutes for one email or from one address refuse further tries (429)
// until the oldest is 15 minutes old.
func (c *Console) doLogin(w http.ResponseWriter, r *http.Request) {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	next := nextPage(r.PostFormValue("next"))
	keys := []string{"email:" + email, "addr:" + clientAddr(r)}
	now := c.now()
	if wait := c.limit.blocked(keys, now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		b := c.base(r, "console_login_title", "")
		b.Error = b.L.T("console_login_limited", "n", int(wait.Minutes()+0.999))
		c.render(w, r, http.StatusTooManyRequests, "login", loginPage{base: b, Email: email, Next: next})
		return
	}
	a, err := c.st.AdminByEmail(r.Context(), email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		c.oops(w, r, err)
		return
	}
	hash := a.PasswordHash
	if hash == "" {
		hash = c.dummyHash()
	}
	ok := CheckPassword(hash, password) && a.PasswordHash != "" && len(password) <= maxPassword
	if !ok {
		c.limit.fail(keys, now)
		c.log.Warn("console: failed login", "addr", clientAddr(r))
		time.Sleep(c.delay)
		b := c.base(r, "console_login_title", "")
		b.Error = b.L.T("console_login_failed")
		c.render(w, r, http.StatusUnauthorized, "login", loginPage{base: b, Email: email, Next: next})
		return
	}
	c.limit.clear(keys[:1])
	secret, _, err := c.st.CreateSession(r.Context(), a.ID, now)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	c.setCookie(w, secret)
	if err := c.st.Audit(r.Context(), store.AuditEntry{Admin: a.Email, Action: "admin.login", Object: fmt.Sprintf("admin %d", a.ID)}, now); err != nil {
		c.oops(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) dummyHash() string {
	c.dummyOnce.Do(func() { c.dummy, _ = HashPassword("no account has this password") })
	return c.dummy
}

func (c *Console) doLogout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(cookieName); err == nil {
		if err := c.st.EndSession(r.Context(), ck.Value); err != nil {
			c.oops(w, r, err)
			return
		}
	}
	c.clearCookie(w)
	http.Redirect(w, r, Prefix+"login?done=console_done_logout", http.StatusSeeOther)
}

type setupPage struct {
	base
	Email string
}

// showSetup is the page of a one-time link: a form to choose a password.
// A GET uses nothing, so a mail scanner following the link is harmless.
func (c *Console) showSetup(w http.ResponseWriter, r *http.Request) {
	a, err := c.st.SetupAdmin(r.Context(), r.PathValue("token"), c.now())
	if err != nil {
		c.setupFailed(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "setup", setupPage{base: c.base(r, "console_setup_title", ""), Email: a.Email})
}

func (c *Console) setupFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.fail(w, r, http.StatusNotFound, "console_setup_unknown")
	case errors.Is(err, store.ErrExpired):
		c.fail(w, r, http.StatusGone, "console_setup_expired")
	default:
		c.oops(w, r, err)
	}
}

func (c *Console) doSetup(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	a, err := c.st.SetupAdmin(r.Context(), token, c.now())
	if err != nil {
		c.setupFailed(w, r, err)
		return
	}
	password := r.PostFormValue("password")
	if bad := CheckNewPassword(password, r.PostFormValue("confirm")); bad != "" {
		b := c.base(r, "console_setup_title", "")
		b.Error = b.L.T(bad, "n", MinPassword)
		c.render(w, r, http.StatusBadRequest, "setup", setupPage{base: b, Email: a.Email})
		return
	}
	hash, err := HashPassword(password)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	now := c.now()
	if a, err = c.st.SetPassword(r.Context(), token, hash, now); err != nil {
		c.setupFailed(w, r, err)
		return
	}
	if err := c.st.Audit(r.Context(), store.AuditEntry{Admin: a.Email, Action: "admin.password", Object: fmt.Sprintf("admin %d", a.ID)}, now); err != nil {
		c.oops(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"login?done=console_done_password", http.StatusSeeOther)
}

// limiter counts failures by key over a window, in memory: a restart
// forgets them, which costs an attacker a restart of the daemon.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked returns how long until one of keys may try again, 0 if all may.
func (l *limiter) blocked(keys []string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		ts := l.recent(k, now)
		if len(ts) >= l.max {
			wait = max(wait, ts[len(ts)-l.max].Add(l.window).Sub(now))
		}
	}
	return wait
}

// recent drops the failures of k older than the window; l.mu is held.
func (l *limiter) recent(k string, now time.Time) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-l.window)) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
	} else {
		l.fails[k] = ts
	}
	return ts
}

func (l *limiter) fail(keys []string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Bounded memory: past 10,000 keys, forget the expired ones.
	if len(l.fails) > 10000 {
		for k := range l.fails {
			l.recent(k, now)
		}
	}
	for _, k := range keys {
		ts := l.recent(k, now)
		if len(ts) >= 2*l.max {
			ts = ts[1:]
		}
		l.fails[k] = append(ts, now)
	}
}

func (l *limiter) clear(keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.fails, k)
	}
}
