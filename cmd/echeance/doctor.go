package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
)

// doctor checks, before the first real run and after any change, what
// check-config cannot: the database, the files' privacy, the SMTP relay,
// the ports. One line per check; exit 1 if any failed. Warnings do not fail.
type doctor struct {
	w      io.Writer
	failed int
}

func (d *doctor) line(status, name, format string, args ...any) {
	if status == "FAIL" {
		d.failed++
	}
	fmt.Fprintf(d.w, "%-4s  %-9s %s\n", status, name, fmt.Sprintf(format, args...))
}

func cmdDoctor(ctx context.Context, cfgPath string, args []string, stdout, stderr io.Writer, now func() time.Time) error {
	e := &env{stdout: stdout, stderr: stderr}
	fs := newFlagSet("doctor", e)
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("doctor takes no arguments")
	}
	d := &doctor{w: stdout}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		d.line("FAIL", "config", "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
		return errors.New("doctor: the configuration does not load")
	}
	d.line("ok", "config", "%s: valid", orDefault(cfgPath, "embedded defaults"))
	d.line("ok", "time zone", "%s: now %s", cfg.Schedule.Timezone, now().In(cfg.Schedule.Location).Format(time.RFC3339))
	d.files(cfg)
	d.database(ctx, cfg)
	d.relay(ctx, cfg)
	d.port("web", cfg.Web.Listen, "/healthz")
	if cfg.Web.AdminListen == "" {
		d.line("ok", "console", "under /admin/ of web.listen")
	} else {
		d.port("console", cfg.Web.AdminListen, "/admin/login")
	}
	d.port("metrics", cfg.Metrics.Listen, "/metrics")
	if d.failed > 0 {
		return fmt.Errorf("doctor: %d check(s) failed", d.failed)
	}
	return nil
}

// files checks that the database, the secret files and the mail folder are
// private and owned by the user running doctor (the service's user).
func (d *doctor) files(cfg config.Config) {
	bad := 0
	for _, x := range exposedFiles(cfg) {
		d.line("FAIL", "files", "%s", x)
		bad++
	}
	uid := os.Geteuid()
	owned := func(key, path string) {
		fi, err := os.Stat(path)
		if err != nil {
			return
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != uid {
			d.line("FAIL", "files", "%s (%s) belongs to uid %d, not to uid %d running doctor: run echeance as the service's user (sudo -u echeance)",
				path, key, st.Uid, uid)
			bad++
		}
	}
	for _, f := range privateFiles(cfg) {
		if f[0] == "database.path" {
			owned(f[0], f[1])
		}
	}
	if cfg.Mail.Transport == "dir" {
		if fi, err := os.Stat(cfg.Mail.Dir); err == nil {
			if fi.Mode().Perm()&0o077 != 0 {
				d.line("FAIL", "files", "%s (mail.dir) is open to group or others (mode %04o): chmod 700 %s",
					cfg.Mail.Dir, fi.Mode().Perm(), cfg.Mail.Dir)
				bad++
			}
			owned("mail.dir", cfg.Mail.Dir)
		}
	}
	if bad == 0 {
		d.line("ok", "files", "database, secret files and mail folder private")
	}
}

func (d *doctor) database(ctx context.Context, cfg config.Config) {
	info, err := store.Inspect(ctx, cfg.Database.Path)
	switch {
	case errors.Is(err, store.ErrNoDatabase):
		d.line("ok", "database", "%s: not created yet (run creates it)", cfg.Database.Path)
	case err != nil:
		d.line("FAIL", "database", "%v", err)
	case info.Version < info.Latest:
		d.line("ok", "database", "%s: integrity ok, schema %d (run migrates it to %d)", cfg.Database.Path, info.Version, info.Latest)
	default:
		d.line("ok", "database", "%s: integrity ok, schema %d (current), %d offer(s), %d subscriber(s), %d reminder(s)",
			cfg.Database.Path, info.Version, info.Offers, info.Subscribers, info.Reminders)
	}
}

func (d *doctor) relay(ctx context.Context, cfg config.Config) {
	if cfg.Mail.Transport != "smtp" {
		d.line("ok", "smtp", "not used: mail goes into %s as .eml files (nothing leaves the machine)", cfg.Mail.Dir)
		return
	}
	// The mailer only dials here: no message, so no Message-ID key needed.
	cat, err := catalog.Load()
	if err != nil {
		d.line("FAIL", "smtp", "%v", err)
		return
	}
	m, err := notify.New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Site, cat, cfg.Schedule.Location, make([]byte, 32), newLogger(io.Discard, nil))
	if err != nil {
		d.line("FAIL", "smtp", "%v", err)
		return
	}
	said, err := m.CheckRelay(ctx)
	if err != nil {
		d.line("FAIL", "smtp", "%v", err)
	} else {
		d.line("ok", "smtp", "%s", said)
	}
	if cfg.DKIM.Domain == "" {
		d.line("warn", "dkim", "mail goes out over SMTP unsigned: unless the relay signs it, Gmail and Yahoo want "+
			"SPF, DKIM and DMARC aligned with %s from bulk senders (README: Deliverability)", cfg.Mail.From)
	} else {
		d.line("ok", "dkim", "signing as %s._domainkey.%s", cfg.DKIM.Selector, cfg.DKIM.Domain)
	}
}

// port checks that addr is free, or held by a running echeance (which
// answers path).
func (d *doctor) port(name, addr, path string) {
	if addr == "" {
		d.line("ok", name, "off")
		return
	}
	l, err := net.Listen("tcp", addr)
	if err == nil {
		l.Close()
		d.line("ok", name, "%s: free", addr)
		return
	}
	client := &http.Client{Timeout: 2 * time.Second}
	resp, herr := client.Get("http://" + addr + path)
	if herr == nil {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.Header.Get("Server") == "echeance" || strings.Contains(string(body), "echeance_build_info") {
			d.line("ok", name, "%s: served by a running echeance (%s %s)", addr, path, resp.Status)
			return
		}
	}
	d.line("FAIL", name, "%s: in use by another program: %v", addr, err)
}
