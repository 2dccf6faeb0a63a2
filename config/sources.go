package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"strings"
	"time"
)

// Sources are where offers arrive from besides files and URLs: mailboxes
// read over IMAP, the mailbox that receives bounces, and feeds.
type Sources struct {
	IMAP    []IMAP  `toml:"imap"`
	Bounces Bounces `toml:"bounces"`
	Feed    []Feed  `toml:"feed"`
}

// IMAP is one mailbox whose messages are offers ([[sources.imap]]). Keys
// left out take the defaults of IMAPDefaults.
type IMAP struct {
	Host string `toml:"host"`
	Port int    `toml:"port"`
	// Security is "tls" (implicit, port 993), "starttls" or "none".
	Security     string `toml:"security"`
	Username     string `toml:"username"`
	PasswordFile string `toml:"password_file"`
	// Folder is read; a message is moved to DoneFolder once its offers are
	// stored, to RejectedFolder when it holds none.
	Folder         string `toml:"folder"`
	DoneFolder     string `toml:"done_folder"`
	RejectedFolder string `toml:"rejected_folder"`
	// Every is how often the folder is read when the server has no IDLE
	// (and how long an IDLE waits before reading again anyway).
	Every Duration `toml:"every"`
	// Password is read from PasswordFile by Load.
	Password string `toml:"-"`
}

// Bounces is the mailbox that receives the bounces of reminders sent with
// mail.bounce_address ([sources.bounces]); Host "" means none (an offer
// mailbox still recognises the bounces that reach it).
type Bounces struct {
	IMAP
}

// Feed is one RSS, Atom or JSON feed of offers ([[sources.feed]]).
type Feed struct {
	URL string `toml:"url"`
	// Every is how often the feed is read (30m when left out).
	Every Duration `toml:"every"`
}

// IMAPDefaults are the values of the keys a [[sources.imap]] leaves out.
var IMAPDefaults = IMAP{Port: 993, Security: "tls", Folder: "INBOX", DoneFolder: "echeance-lues",
	RejectedFolder: "echeance-rejetees", Every: Duration{5 * time.Minute}}

func (m *IMAP) fill() {
	d := IMAPDefaults
	if m.Port == 0 {
		m.Port = d.Port
		if m.Security == "starttls" || m.Security == "none" {
			m.Port = 143
		}
	}
	if m.Security == "" {
		m.Security = d.Security
	}
	if m.Folder == "" {
		m.Folder = d.Folder
	}
	if m.DoneFolder == "" {
		m.DoneFolder = d.DoneFolder
	}
	if m.RejectedFolder == "" {
		m.RejectedFolder = d.RejectedFolder
	}
	if m.Every.Duration == 0 {
		m.Every = d.Every
	}
}

// Name is how logs and errors name the mailbox: user@host/folder.
func (m IMAP) Name() string { return fmt.Sprintf("%s@%s/%s", m.Username, m.Host, m.Folder) }

func (m *IMAP) validate(key string, bad func(key, format string, args ...any)) {
	m.fill()
	if strings.TrimSpace(m.Host) == "" {
		bad(key+".host", "must not be empty")
	}
	if m.Port < 1 || m.Port > 65535 {
		bad(key+".port", "must be between 1 and 65535")
	}
	switch m.Security {
	case "none", "starttls", "tls":
	default:
		bad(key+".security", "must be \"none\", \"starttls\" or \"tls\", not %q", m.Security)
	}
	if m.Username == "" {
		bad(key+".username", "must not be empty")
	}
	if m.PasswordFile == "" {
		bad(key+".password_file", "required")
	} else if b, err := os.ReadFile(m.PasswordFile); err != nil {
		bad(key+".password_file", "%v", err)
	} else {
		m.Password = strings.TrimRight(string(b), "\r\n")
	}
	if m.DoneFolder == m.Folder || m.RejectedFolder == m.Folder {
		bad(key+".done_folder", "done_folder and rejected_folder must differ from folder %q", m.Folder)
	}
	if m.Every.Duration < 10*time.Second {
		bad(key+".every", "must be at least 10s")
	}
}

func (c *Config) validateSources(bad func(key, format string, args ...any)) {
	for i := range c.Sources.IMAP {
		c.Sources.IMAP[i].validate(fmt.Sprintf("sources.imap[%d]", i), bad)
	}
	if b := &c.Sources.Bounces; b.Host != "" {
		b.validate("sources.bounces", bad)
		if c.Mail.BounceAddress == "" {
			bad("mail.bounce_address", "required when sources.bounces is set: the bounces come back to it")
		}
	}
	if a := c.Mail.BounceAddress; a != "" {
		before, after, ok := strings.Cut(a, "{token}")
		if _, err := mail.ParseAddress(before + "x" + after); !ok || err != nil || strings.Contains(before, "@") {
			bad("mail.bounce_address", "want an address with {token} in its local part, such as \"bounces+{token}@example.org\", not %q", a)
		}
	}
	seen := map[string]bool{}
	for i := range c.Sources.Feed {
		f := &c.Sources.Feed[i]
		key := fmt.Sprintf("sources.feed[%d]", i)
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(key+".url", "want an http(s) URL, not %q", f.URL)
		}
		if seen[f.URL] {
			bad(key+".url", "%s listed twice", f.URL)
		}
		seen[f.URL] = true
		if f.Every.Duration == 0 {
			f.Every = Duration{30 * time.Minute}
		}
		if f.Every.Duration < time.Minute {
			bad(key+".every", "must be at least 1m")
		}
	}
}
