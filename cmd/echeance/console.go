package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/console"
	"github.com/echeance/echeance/roster"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/web"
)

// This file wires the career service's console into the daemon, and holds
// the commands that do what the console does: admin add|list|remove,
// subscriber edit, offer archive|remove.

// httpPart is one HTTP server of the daemon: where it listens and what it
// serves.
type httpPart struct {
	name string
	l    net.Listener
	h    http.Handler
}

// webParts returns the daemon's HTTP servers: web's pages on web.listen,
// with the console under /admin/ unless web.admin_listen is set; then the
// console alone on web.admin_listen, and /admin/ is not found on
// web.listen. srv and webL are nil when web.listen is off.
func webParts(e *env, d *daemon, srv *web.Server, webL net.Listener) ([]httpPart, error) {
	c, err := newConsole(e, d)
	if err != nil {
		return nil, err
	}
	var parts []httpPart
	admin := c.Handler()
	if addr := e.cfg.Web.AdminListen; addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("console: listen %s: %w", addr, err)
		}
		parts = append(parts, httpPart{name: "console", l: l, h: onlyAdmin(admin)})
		admin = http.NotFoundHandler()
	}
	if srv != nil {
		parts = append(parts, httpPart{name: "web", l: webL, h: withAdmin(srv.Handler(), admin)})
	}
	return parts, nil
}

func newConsole(e *env, d *daemon) (*console.Console, error) {
	sched, err := config.ParseCron(e.cfg.Schedule.Reminders)
	if err != nil {
		return nil, usagef("schedule.reminders: %v", err)
	}
	return console.New(console.Deps{Store: d.store, Ingester: d.in, Catalog: d.cat, Location: e.cfg.Schedule.Location,
		NextRun: sched.Next, Secure: strings.HasPrefix(e.cfg.Web.BaseURL, "https://"), Now: e.now, Log: e.log})
}

// withAdmin sends /admin/ (and /admin) to admin, the rest to pages.
func withAdmin(pages, admin http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin" {
			http.Redirect(w, r, console.Prefix, http.StatusMovedPermanently)
			return
		}
		if strings.HasPrefix(r.URL.Path, console.Prefix) {
			admin.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
}

// onlyAdmin serves the console and nothing else; / leads to it.
func onlyAdmin(admin http.Handler) http.Handler {
	return withAdmin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, console.Prefix, http.StatusSeeOther)
			return
		}
		http.NotFound(w, r)
	}), admin)
}

// serveHTTP serves p until ctx is cancelled, then shuts down gracefully.
// The timeouts bound slow clients; 60 s of writing leaves room for an
// offer read from a URL (20 s) or a large upload.
func serveHTTP(ctx context.Context, p httpPart, log *slog.Logger) error {
	srv := &http.Server{Handler: p.h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info(p.name+" server listening", "addr", p.l.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(p.l) }()
	select {
	case err := <-done:
		return fmt.Errorf("%s: %w", p.name, err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shut)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		// A browser keeps speculative connections open that never carry a
		// request: they must not make a clean stop a failure.
		log.Warn(p.name+" server: connections still open at shutdown, closed", "timeout", "5s")
		srv.Close()
	case err != nil && !errors.Is(err, http.ErrServerClosed):
		return fmt.Errorf("%s: shutdown: %w", p.name, err)
	}
	return nil
}

// consoleURL is the console's address for links the command line prints.
func consoleURL(cfg config.Config) string {
	addr := cfg.Web.AdminListen
	if addr == "" {
		return cfg.Web.BaseURL + console.Prefix
	}
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + console.Prefix
}

func cmdAdmin(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("admin: want add, list or remove")
	}
	switch args[0] {
	case "add":
		return withSubscriber(ctx, e, "admin add", args[1:], func(st *store.Store, email string) error {
			now := e.now()
			secret, err := st.AddAdmin(ctx, email, now)
			verb := "added"
			if errors.Is(err, store.ErrExists) {
				// Adding again is how a forgotten password is replaced.
				secret, err = st.ResetAdmin(ctx, email, now)
				verb = "already exists; new link"
			}
			if err != nil {
				return err
			}
			if err := st.Audit(ctx, store.AuditEntry{Admin: cliActor(), Action: "admin.add", Object: "admin " + strings.ToLower(email)}, now); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "admin %s %s. To set the password, open this link before %s (it works once):\n%ssetup/%s\n",
				strings.ToLower(email), verb, now.Add(store.SetupLinkTTL).In(e.cfg.Schedule.Location).Format(time.RFC3339),
				consoleURL(e.cfg), secret)
			return nil
		})
	case "list":
		fs := newFlagSet("admin list", e)
		if pos, err := parseFlags(fs, args[1:]); err != nil {
			return err
		} else if len(pos) > 0 {
			return usagef("admin list takes no arguments")
		}
		st, err := openStore(ctx, e)
		if err != nil {
			return err
		}
		defer st.Close()
		admins, err := st.Admins(ctx)
		if err != nil {
			return err
		}
		for _, a := range admins {
			pw := "password not set yet"
			if a.PasswordSetAt != nil {
				pw = "password set " + a.PasswordSetAt.In(e.cfg.Schedule.Location).Format("2006-01-02")
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%d session(s)\n", a.Email, pw, a.Sessions)
		}
		return nil
	case "remove":
		return withSubscriber(ctx, e, "admin remove", args[1:], func(st *store.Store, email string) error {
			if err := st.RemoveAdmin(ctx, email); err != nil {
				return err
			}
			if err := st.Audit(ctx, store.AuditEntry{Admin: cliActor(), Action: "admin.remove", Object: "admin " + strings.ToLower(email)}, e.now()); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "admin %s removed; their sessions are ended\n", strings.ToLower(email))
			return nil
		})
	}
	return unknown("admin: ", "subcommand", args[0], subNames("admin"), "run 'echeance admin --help' for its subcommands")
}

func cmdSubscriberEdit(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("subscriber edit", e)
	offsets := fs.String("offsets", "", "new reminder offsets in days, e.g. 14,3,1 (\"default\": the configured ones)")
	lang := fs.String("lang", "", "language of the emails: fr or en")
	name := fs.String("name", "", "the student's name")
	weekly := fs.Bool("weekly", false, "weekly summary on (--weekly) or off (--weekly=false)")
	var add, remove listFlag
	fs.Var(&add, "search", "saved search to add (repeatable)")
	fs.Var(&remove, "remove-search", "saved search to remove, as written (repeatable)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	email, err := oneArg(fs, pos, "EMAIL")
	if err != nil {
		return err
	}
	var edit store.SubscriberEdit
	var said []string
	fs.Visit(func(f *flag.Flag) {
		said = append(said, "--"+f.Name+" "+f.Value.String())
	})
	if len(said) == 0 {
		return usagef("subscriber edit: nothing to change (--offsets, --lang, --name, --weekly, --search, --remove-search)")
	}
	if isSet(fs, "offsets") {
		days := []int{}
		if *offsets != "default" {
			if days, err = roster.ParseOffsets(*offsets); err != nil {
				return usagef("subscriber edit: --offsets: %v", err)
			}
		}
		edit.Offsets = &days
	}
	if isSet(fs, "lang") {
		edit.Lang = lang
	}
	if isSet(fs, "name") {
		edit.Name = name
	}
	if isSet(fs, "weekly") {
		edit.Weekly = weekly
	}
	edit.AddSearches = add
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	sub, err := st.SubscriberByEmail(ctx, email)
	if err != nil {
		return err
	}
	if len(remove) > 0 {
		searches, err := st.SearchesOf(ctx, sub.ID)
		if err != nil {
			return err
		}
		for _, q := range remove {
			found := false
			for _, s := range searches {
				if s.Query == q {
					edit.RemoveSearches = append(edit.RemoveSearches, s.ID)
					found = true
				}
			}
			if !found {
				return fmt.Errorf("subscriber edit: %s has no saved search %q", sub.Email, q)
			}
		}
	}
	now := e.now()
	if err := st.EditSubscriber(ctx, sub.ID, edit, now); err != nil {
		return err
	}
	if err := st.Audit(ctx, store.AuditEntry{Admin: cliActor(), Action: "student.edit", Object: fmt.Sprintf("student %d", sub.ID),
		SubscriberID: sub.ID, Detail: sub.Email + ": " + strings.Join(said, " ")}, now); err != nil {
		return err
	}
	return showSubscriber(ctx, e, st, sub.Email)
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// cmdOfferArchiveRemove is offer archive ID and offer remove ID.
func cmdOfferArchiveRemove(ctx context.Context, e *env, verb string, args []string) error {
	fs := newFlagSet("offer "+verb, e)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("offer %s: want exactly one ID", verb)
	}
	id, err := offerID("offer "+verb, pos[0])
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "archive" {
		if err := st.ArchiveOffer(ctx, id, cliActor(), e.now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "offer %d archived: students no longer see it, its pending reminders are skipped\n", id)
		return nil
	}
	if err := st.RemoveOffer(ctx, id, cliActor(), e.now()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "offer %d removed, with its reminders\n", id)
	return nil
}
