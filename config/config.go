// Package config owns echeance's settings: the Config struct, its embedded
// defaults, strict TOML decoding and validation.
//
// Load starts from the embedded defaults (defaults.toml), decodes the
// administrator's file over them, rejects any key it does not know (naming
// the key and its line) and validates every value, reporting all problems at
// once, each prefixed with its TOML key. The package imports nothing of
// echeance's own; each other package receives only the section it needs.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/robfig/cron/v3"
)

//go:embed defaults.toml
var defaultsTOML string

// Config is the whole configuration of echeance.
type Config struct {
	Database  Database  `toml:"database"`
	Offers    Offers    `toml:"offers"`
	Mail      Mail      `toml:"mail"`
	SMTP      SMTP      `toml:"smtp"`
	Schedule  Schedule  `toml:"schedule"`
	Reminders Reminders `toml:"reminders"`
	Web       Web       `toml:"web"`
	DKIM      DKIM      `toml:"dkim"`
	Log       Log       `toml:"log"`
	Sources   Sources   `toml:"sources"`
	Site      Site      `toml:"site"`
	Metrics   Metrics   `toml:"metrics"`
	Review    Review    `toml:"review"`
}

// Review is who checks the offers waiting for review, and how.
type Review struct {
	// To are the addresses of the daily "Offres à vérifier" email; empty,
	// nobody is mailed (the queue is still held: `echeance review`).
	To []string `toml:"to"`
	// Lang is the language of that email.
	Lang string `toml:"lang"`
}

// Site is the institution that sends the reminders, named in every email,
// calendar and page so that students know who writes to them.
type Site struct {
	// Name is the institution ("Service des stages, Université Grenoble
	// Alpes"); "" leaves the messages unsigned.
	Name string `toml:"name"`
	// URL is the institution's own web address.
	URL string `toml:"url"`
	// Contact is where students can ask a question: an address or a URL.
	Contact string `toml:"contact"`
	// Logo is an https URL, or a PNG, JPEG or SVG file the daemon serves
	// at /site/logo.
	Logo string `toml:"logo"`
	// LogoURL is where emails and pages find the logo: Logo itself, or the
	// daemon's /site/logo for a file; set by Load.
	LogoURL string `toml:"-"`
}

// LogoIsFile reports whether site.logo names a file rather than a URL.
func (s Site) LogoIsFile() bool {
	return s.Logo != "" && !strings.HasPrefix(s.Logo, "https://") && !strings.HasPrefix(s.Logo, "http://")
}

// Database locates the SQLite file.
type Database struct {
	Path string `toml:"path"`
}

// Offers says where offers come from and how they are read.
type Offers struct {
	// Inbox is a folder whose files are ingested at start and on every run.
	// Empty disables it.
	Inbox string `toml:"inbox"`
	// EstimateLead is how long before a start date an estimated deadline
	// falls, when an offer states none.
	EstimateLead Days `toml:"estimate_lead"`
	// Review says which offers wait for an administrator before their
	// reminders go: "uncertain" (a deadline echeance is not sure of),
	// "all", or "off".
	Review string `toml:"review"`
}

// Mail says how messages leave echeance.
type Mail struct {
	// Transport is "dir" (write .eml files to Dir) or "smtp".
	Transport string `toml:"transport"`
	Dir       string `toml:"dir"`
	From      string `toml:"from"`
	// ReplyTo is where students' replies go ("" for From).
	ReplyTo string `toml:"reply_to"`
	// ListID names the reminders for mail filters (RFC 2919).
	ListID string `toml:"list_id"`
	// BounceAddress is the VERP return path of reminders, with "{token}"
	// where the student's bounce token goes ("bounces+{token}@example.org");
	// "" sends with mail.from as the return path.
	BounceAddress string `toml:"bounce_address"`
}

// Web is the daemon's own HTTP server: one-click links, calendar feeds and
// the students' pages.
type Web struct {
	// Listen is the address the server listens on; "" turns it off.
	Listen string `toml:"listen"`
	// AdminListen, when set, is the only address the career service's
	// console (/admin/) is served on; "" serves it under /admin/ of Listen.
	AdminListen string `toml:"admin_listen"`
	// BaseURL is the public address written in links.
	BaseURL string `toml:"base_url"`
	// SecretFile holds the key that signs links; when "", a key is
	// generated once into a file beside the database.
	SecretFile string `toml:"secret_file"`
	// PublicOffers serves offer pages at /offers/{id} to anyone; when
	// false they open only through a student's signed link.
	PublicOffers bool `toml:"public_offers"`
	// TrustedProxies are the addresses or CIDR ranges of the reverse
	// proxies whose X-Forwarded-For names the client; a request from any
	// other address is counted under its own address.
	TrustedProxies []string `toml:"trusted_proxies"`
	// Proxies is TrustedProxies as parsed by Validate.
	Proxies []netip.Prefix `toml:"-"`
	// Secret is read from SecretFile by Load; it never comes from TOML.
	Secret []byte `toml:"-"`
}

// DKIM signs outgoing mail when Domain is set.
type DKIM struct {
	Domain   string `toml:"domain"`
	Selector string `toml:"selector"`
	KeyFile  string `toml:"key_file"`
}

// SMTP is the relay used when Mail.Transport is "smtp".
type SMTP struct {
	Host string `toml:"host"`
	Port int    `toml:"port"`
	// Security is "none", "starttls" or "tls".
	Security     string   `toml:"security"`
	Username     string   `toml:"username"`
	PasswordFile string   `toml:"password_file"`
	Timeout      Duration `toml:"timeout"`
	// Password is read from PasswordFile by Load; it never comes from TOML.
	Password string `toml:"-"`

	// Rate is the most messages the relay takes ("30/min"; "" for no
	// limit), and Connections how many it takes in parallel.
	Rate        Rate `toml:"rate"`
	Connections int  `toml:"connections"`
}

// Schedule is when the reminder job runs.
type Schedule struct {
	Timezone string `toml:"timezone"`
	// Reminders is a cron spec (five fields, or a descriptor like @hourly).
	Reminders       string   `toml:"reminders"`
	ShutdownTimeout Duration `toml:"shutdown_timeout"`
	// Location is Timezone loaded by Validate.
	Location *time.Location `toml:"-"`
}

// Reminders is how reminders are planned.
type Reminders struct {
	// Offsets are how long before the last day to apply each reminder goes
	// out: "7d" is seven days before, "0d" the morning of the last day.
	Offsets []Days `toml:"offsets"`
	// BusinessDays counts offsets in working days, skipping weekends and
	// French public holidays.
	BusinessDays bool   `toml:"business_days"`
	SendTime     string `toml:"send_time"`
	// BatchSize is how many messages one SMTP connection carries before
	// their reminders are recorded as sent.
	BatchSize int `toml:"batch_size"`
	// WeeklyDay is the day ("monday"...) the weekly summary goes out, at
	// SendTime, to the students who asked for it; "" turns it off.
	WeeklyDay string `toml:"weekly_day"`
	// MaxPerDay bounds the reminder emails a student gets on one local day.
	MaxPerDay int `toml:"max_per_day"`
}

// Weekday returns reminders.weekly_day; ok is false when it is off.
func (r Reminders) Weekday() (day time.Weekday, ok bool) {
	return parseWeekday(r.WeeklyDay)
}

func parseWeekday(s string) (time.Weekday, bool) {
	names := map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
		"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
		"dimanche": time.Sunday, "lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday,
		"jeudi": time.Thursday, "vendredi": time.Friday, "samedi": time.Saturday}
	d, ok := names[strings.ToLower(strings.TrimSpace(s))]
	return d, ok
}

// Log is the daemon's logging.
type Log struct {
	// Level is "debug", "info", "warn" or "error".
	Level string `toml:"level"`
}

// Duration is a time.Duration written as a string such as "30s".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("invalid duration %q", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration back as a string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Days is a whole number of days written as "7d".
type Days int

// MaxDays bounds Days values: nobody wants a reminder a year ahead.
const MaxDays = 365

// ParseDays reads "7d" (0 to MaxDays days).
func ParseDays(s string) (Days, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
	if err != nil || !strings.HasSuffix(s, "d") {
		return 0, fmt.Errorf("invalid offset %q: want a number of days such as \"7d\"", s)
	}
	if n < 0 || n > MaxDays {
		return 0, fmt.Errorf("invalid offset %q: must be between 0d and %dd", s, MaxDays)
	}
	return Days(n), nil
}

// UnmarshalText parses "7d".
func (d *Days) UnmarshalText(b []byte) error {
	v, err := ParseDays(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes "7d".
func (d Days) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d Days) String() string { return strconv.Itoa(int(d)) + "d" }

// Duration returns d as a time.Duration of 24-hour days.
func (d Days) Duration() time.Duration { return time.Duration(d) * 24 * time.Hour }

// Default returns the embedded defaults, validated.
func Default() (Config, error) {
	return load("", nil)
}

// Load reads the TOML file at path over the embedded defaults and validates
// the result. An empty path means defaults only.
func Load(path string) (Config, error) {
	if path == "" {
		return Default()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return load(path, data)
}

func load(path string, data []byte) (Config, error) {
	var c Config
	if _, err := toml.Decode(defaultsTOML, &c); err != nil {
		return Config{}, fmt.Errorf("config: embedded defaults: %w", err)
	}
	if data != nil {
		md, err := toml.Decode(string(data), &c)
		if err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return Config{}, fmt.Errorf("config: %s:%d: %s", path, pe.Position.Line, pe.Message)
			}
			return Config{}, fmt.Errorf("config: %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			var errs []error
			for _, k := range und {
				errs = append(errs, fmt.Errorf("config: %s:%d: unknown key %q", path, keyLine(string(data), k), k.String()))
			}
			return Config{}, errors.Join(errs...)
		}
	}
	if err := c.resolve(path); err != nil {
		return Config{}, err
	}
	return c, nil
}

// keyLine finds the line where key is set, for error messages; 0 if unknown.
func keyLine(data string, key toml.Key) int {
	section := strings.Join(key[:len(key)-1], ".")
	name := key[len(key)-1]
	current := ""
	for i, line := range strings.Split(data, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			current = strings.Trim(t, "[] ")
			if current == key.String() {
				return i + 1
			}
			continue
		}
		if current == section || section == "" && current == "" {
			if k, _, ok := strings.Cut(t, "="); ok && strings.Trim(strings.TrimSpace(k), `"`) == name {
				return i + 1
			}
		}
		if section != "" && strings.HasPrefix(t, key.String()) {
			return i + 1
		}
	}
	return 0
}

var (
	sendTimeRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	listIDRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9.-]+$`)
)

func (c *Config) validateWeb(bad func(key, format string, args ...any)) {
	w := &c.Web
	if w.Listen != "" {
		if err := checkListen(w.Listen); err != nil {
			bad("web.listen", "%v", err)
		}
	}
	if w.AdminListen != "" {
		if err := checkListen(w.AdminListen); err != nil {
			bad("web.admin_listen", "%v", err)
		} else if w.AdminListen == w.Listen {
			bad("web.admin_listen", "%q is web.listen too: leave it empty to serve the console there", w.AdminListen)
		}
	}
	u, err := url.Parse(w.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("web.base_url", "want an http(s) URL, not %q", w.BaseURL)
	} else {
		w.BaseURL = strings.TrimRight(w.BaseURL, "/")
	}
	w.Proxies = nil
	for i, p := range w.TrustedProxies {
		pr, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				bad(fmt.Sprintf("web.trusted_proxies[%d]", i), "%q is neither an IP address nor a CIDR range", p)
				continue
			}
			pr = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		w.Proxies = append(w.Proxies, pr.Masked())
	}
	if w.SecretFile != "" {
		b, err := os.ReadFile(w.SecretFile)
		switch {
		case err != nil:
			bad("web.secret_file", "%v", err)
		case len(strings.TrimSpace(string(b))) < 32:
			bad("web.secret_file", "the key must hold at least 32 characters")
		default:
			w.Secret = []byte(strings.TrimSpace(string(b)))
		}
	}
}

// isHostname reports whether s is a DNS name: dot-separated labels of 1
// to 63 letters, digits and hyphens, none starting or ending with a
// hyphen. (Written out rather than as a regular expression: the bounded
// repetitions compile into a large program that every command of the
// binary would build at start-up.)
func isHostname(s string) bool {
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkListen checks a listen address: host:port with a port from 1 to
// 65535 and a host that is empty (every address), an IP or a host name.
func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port, not %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q: the port must be a number from 1 to 65535", addr)
	}
	if host != "" && net.ParseIP(host) == nil && !isHostname(host) {
		return fmt.Errorf("%q: %q is neither an IP address nor a host name", addr, host)
	}
	return nil
}

// resolve validates c, loads the time zone and reads secrets from files.
// The sources' checks are in sources.go.
func (c *Config) resolve(path string) error {
	where := "config"
	if path != "" {
		where = "config: " + path
	}
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s: %s", where, key, fmt.Sprintf(format, args...)))
	}

	if strings.TrimSpace(c.Database.Path) == "" {
		bad("database.path", "must not be empty")
	}
	if c.Offers.EstimateLead < 0 || c.Offers.EstimateLead > MaxDays {
		bad("offers.estimate_lead", "must be between 0d and %dd", MaxDays)
	}

	switch c.Mail.Transport {
	case "dir":
		if strings.TrimSpace(c.Mail.Dir) == "" {
			bad("mail.dir", "must not be empty when mail.transport is \"dir\"")
		}
	case "smtp":
		c.validateSMTP(bad)
	default:
		bad("mail.transport", "must be \"dir\" or \"smtp\", not %q", c.Mail.Transport)
	}
	if _, err := mail.ParseAddress(c.Mail.From); err != nil {
		bad("mail.from", "invalid address %q", c.Mail.From)
	}
	if c.Mail.ReplyTo != "" {
		if _, err := mail.ParseAddress(c.Mail.ReplyTo); err != nil {
			bad("mail.reply_to", "invalid address %q", c.Mail.ReplyTo)
		}
	}
	if c.Mail.ListID != "" && !listIDRE.MatchString(c.Mail.ListID) {
		bad("mail.list_id", "want a name such as \"rappels.example.org\", not %q", c.Mail.ListID)
	}
	c.validateWeb(bad)
	if c.DKIM.Domain != "" {
		if c.DKIM.Selector == "" {
			bad("dkim.selector", "required when dkim.domain is set")
		}
		if c.DKIM.KeyFile == "" {
			bad("dkim.key_file", "required when dkim.domain is set")
		} else if _, err := os.Stat(c.DKIM.KeyFile); err != nil {
			bad("dkim.key_file", "%v", err)
		}
	}

	loc, err := time.LoadLocation(c.Schedule.Timezone)
	if err != nil || c.Schedule.Timezone == "" {
		bad("schedule.timezone", "unknown time zone %q", c.Schedule.Timezone)
	} else {
		c.Schedule.Location = loc
	}
	if _, err := ParseCron(c.Schedule.Reminders); err != nil {
		bad("schedule.reminders", "invalid cron spec %q: %v", c.Schedule.Reminders, err)
	}
	if c.Schedule.ShutdownTimeout.Duration <= 0 {
		bad("schedule.shutdown_timeout", "must be positive")
	}

	if len(c.Reminders.Offsets) == 0 {
		bad("reminders.offsets", "must list at least one offset")
	}
	seen := map[Days]bool{}
	for _, o := range c.Reminders.Offsets {
		if seen[o] {
			bad("reminders.offsets", "%s listed twice", o)
		}
		seen[o] = true
	}
	if !sendTimeRE.MatchString(c.Reminders.SendTime) {
		bad("reminders.send_time", "want HH:MM (24-hour), not %q", c.Reminders.SendTime)
	}
	if _, ok := c.Reminders.Weekday(); !ok && c.Reminders.WeeklyDay != "" {
		bad("reminders.weekly_day", "want a day such as \"monday\" (or \"\" for none), not %q", c.Reminders.WeeklyDay)
	}
	if c.Reminders.BatchSize < 1 || c.Reminders.BatchSize > 1000 {
		bad("reminders.batch_size", "must be between 1 and 1000")
	}
	if c.Reminders.MaxPerDay < 1 || c.Reminders.MaxPerDay > 24 {
		bad("reminders.max_per_day", "must be between 1 and 24")
	}

	c.validateSources(bad)
	c.validateSite(bad)
	switch {
	case c.Site.LogoIsFile() && c.Web.Listen != "":
		c.Site.LogoURL = c.Web.BaseURL + "/site/logo"
	case !c.Site.LogoIsFile():
		c.Site.LogoURL = c.Site.Logo
	}
	c.validateOps(bad)
	switch c.Offers.Review {
	case "uncertain", "all", "off":
	default:
		bad("offers.review", "must be \"uncertain\", \"all\" or \"off\", not %q", c.Offers.Review)
	}
	for _, to := range c.Review.To {
		if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
			bad("review.to", "want bare addresses such as \"stages@univ.example\", not %q", to)
		}
	}
	if c.Review.Lang != "fr" && c.Review.Lang != "en" {
		bad("review.lang", "want fr or en, not %q", c.Review.Lang)
	}

	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	return errors.Join(errs...)
}

func (c *Config) validateSite(bad func(key, format string, args ...any)) {
	s := &c.Site
	s.Name = strings.TrimSpace(s.Name)
	if n := len([]rune(s.Name)); n > 100 {
		bad("site.name", "%d characters: at most 100", n)
	}
	if strings.ContainsFunc(s.Name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		bad("site.name", "must not hold control characters")
	}
	if s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("site.url", "want an http(s) URL, not %q", s.URL)
		}
	}
	if s.Contact != "" {
		_, mailErr := mail.ParseAddress(s.Contact)
		u, urlErr := url.Parse(s.Contact)
		if mailErr != nil && (urlErr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			bad("site.contact", "want an email address or an http(s) URL, not %q", s.Contact)
		}
	}
	if s.LogoIsFile() {
		info, err := os.Stat(s.Logo)
		switch ext := strings.ToLower(filepath.Ext(s.Logo)); {
		case err != nil:
			bad("site.logo", "%v", err)
		case ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".svg":
			bad("site.logo", "%s: want a .png, .jpg or .svg file, or an https URL", s.Logo)
		case !info.Mode().IsRegular() || info.Size() > 512<<10:
			bad("site.logo", "%s: want a regular file of at most 512 KiB", s.Logo)
		}
	}
}

func (c *Config) validateSMTP(bad func(key, format string, args ...any)) {
	s := &c.SMTP
	if strings.TrimSpace(s.Host) == "" {
		bad("smtp.host", "must not be empty when mail.transport is \"smtp\"")
	}
	if s.Port < 1 || s.Port > 65535 {
		bad("smtp.port", "must be between 1 and 65535")
	}
	switch s.Security {
	case "none", "starttls", "tls":
	default:
		bad("smtp.security", "must be \"none\", \"starttls\" or \"tls\", not %q", s.Security)
	}
	if s.Timeout.Duration <= 0 {
		bad("smtp.timeout", "must be positive")
	}
	if s.Username != "" && s.PasswordFile == "" {
		bad("smtp.password_file", "required when smtp.username is set")
	}
	if s.PasswordFile != "" {
		b, err := os.ReadFile(s.PasswordFile)
		if err != nil {
			bad("smtp.password_file", "%v", err)
		} else {
			s.Password = strings.TrimRight(string(b), "\r\n")
		}
	}
}

// SendClock returns reminders.send_time as hours and minutes.
func (r Reminders) SendClock() (hour, minute int) {
	fmt.Sscanf(r.SendTime, "%d:%d", &hour, &minute)
	return hour, minute
}

// ParseCron parses a cron spec the way the scheduler does: five fields, an
// optional CRON_TZ= prefix, or a descriptor such as @hourly.
func ParseCron(spec string) (cron.Schedule, error) {
	p := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	return p.Parse(spec)
}

// Redacted returns c as TOML with secrets hidden, for check-config.
func (c Config) Redacted() string {
	var b strings.Builder
	enc := toml.NewEncoder(&b)
	enc.Indent = ""
	if err := enc.Encode(c); err != nil {
		return fmt.Sprintf("# cannot encode: %v\n", err)
	}
	out := b.String()
	if c.SMTP.PasswordFile != "" {
		out += "# smtp password: read from smtp.password_file (hidden)\n"
	}
	if c.Web.SecretFile != "" {
		out += "# web secret: read from web.secret_file (hidden)\n"
	}
	for _, m := range c.Sources.IMAP {
		out += fmt.Sprintf("# imap password of %s: read from its password_file (hidden)\n", m.Username)
	}
	return out
}

// Days returns the reminder offsets as whole days.
func (r Reminders) Days() []int {
	out := make([]int, len(r.Offsets))
	for i, o := range r.Offsets {
		out[i] = int(o)
	}
	return out
}
