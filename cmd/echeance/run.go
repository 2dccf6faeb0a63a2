package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/echeance/echeance/metrics"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/web"
)

// cmdRun is the daemon: the scheduler, the web server for links, the
// metrics endpoint, the systemd protocol (READY, WATCHDOG, RELOADING,
// STOPPING) and SIGHUP, which reloads the configuration.
func cmdRun(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("run", e)
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("run takes no arguments")
	}
	// SIGHUP reloads from now on: never let it kill the daemon.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	sd := newSystemd(os.Getenv)

	d, err := openDaemon(ctx, e)
	if err != nil {
		return err
	}
	defer d.store.Close()
	warnExposed(e.cfg, e.log)
	where := e.cfg.Mail.Dir
	if e.cfg.Mail.Transport == "smtp" {
		where = fmt.Sprintf("%s:%d", e.cfg.SMTP.Host, e.cfg.SMTP.Port)
	}
	e.log.Info("echeance starting", "version", version, "database", e.cfg.Database.Path,
		"inbox", e.cfg.Offers.Inbox, "mail", e.cfg.Mail.Transport, "mail_to", where,
		"now", e.now().In(e.cfg.Schedule.Location).Format(time.RFC3339), "virtual_clock", e.nowSet)
	// Mailboxes and feeds run beside the scheduler and stop with it.
	srcCtx, stopSources := context.WithCancel(ctx)
	waitSources := d.sources.start(srcCtx)
	defer waitSources()
	defer stopSources()

	// The mailer may change on SIGHUP; the calendar feeds use the current one.
	var mailer atomic.Pointer[notify.Mailer]
	mailer.Store(d.mailer)
	feed := func(sub int64, lang string, items []notify.Item, now time.Time) []byte {
		return mailer.Load().Feed(sub, lang, items, now)
	}
	// Listen first: a busy port stops the daemon before anything is sent.
	var srv *web.Server
	var webL, metricsL net.Listener
	if d.links != nil {
		if srv, err = web.New(web.Deps{Store: d.store, Links: d.links, Signer: d.signer, Feed: feed,
			Catalog: d.cat, Site: e.cfg.Site, Now: e.now, Log: e.log, Wake: d.sched.Wake,
			TrustedProxies: e.cfg.Web.Proxies, Offsets: e.cfg.Reminders.Days(), Location: e.cfg.Schedule.Location}); err != nil {
			return err
		}
		if webL, err = web.Listen(e.cfg.Web.Listen); err != nil {
			return err
		}
		srv.SetHealth(func(ctx context.Context) error { return health(ctx, d, e) })
	}
	// The console: under /admin/ of web.listen, or alone on web.admin_listen.
	https, err := webParts(e, d, srv, webL)
	if err != nil {
		return err
	}
	if addr := e.cfg.Metrics.Listen; addr != "" {
		if metricsL, err = net.Listen("tcp", addr); err != nil {
			return fmt.Errorf("metrics: listen %s: %w", addr, err)
		}
	}

	// Everything stops together: on a signal, or when one part fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 3+len(https))
	parts := 1
	for _, p := range https {
		parts++
		go func() {
			err := serveHTTP(ctx, p, e.log)
			cancel()
			errs <- err
		}()
	}
	if metricsL != nil {
		parts++
		go func() {
			err := serveMetrics(ctx, metricsL, d, e)
			cancel()
			errs <- err
		}()
	}
	go func() {
		err := d.sched.Run(ctx)
		cancel()
		errs <- err
	}()

	go releaseAfterFirstRun(ctx, d.sched.Started(), func() int64 { return d.sched.Stats().Runs }, e.log)
	select {
	case <-d.sched.Started():
		sd.tell(e.log, "READY=1\nSTATUS=running")
	case <-ctx.Done():
	}
	go sd.watch(ctx, e.log, func(ctx context.Context) error {
		if err := d.store.Ping(ctx); err != nil {
			return err
		}
		return d.sched.Alive(time.Now())
	})
	r := &reloader{e: e, d: d, sd: sd, mailer: &mailer}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				r.reload()
			}
		}
	}()

	<-ctx.Done()
	sd.tell(e.log, "STOPPING=1")
	var first error
	for range parts {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// health is what /healthz checks: the database answers, the scheduler's
// loop runs, and the last run is not older than two schedule intervals.
func health(ctx context.Context, d *daemon, e *env) error {
	if err := d.store.Ping(ctx); err != nil {
		return err
	}
	if err := d.sched.Alive(time.Now()); err != nil {
		return err
	}
	return d.sched.OnTime(e.now())
}

// serveMetrics serves /metrics on l until ctx ends.
func serveMetrics(ctx context.Context, l net.Listener, d *daemon, e *env) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler(d.sched, d.store, version, e.now, e.cfg.Schedule.Location, e.log))
	return serveHTTP(ctx, httpPart{name: "metrics", l: l, h: mux}, e.log)
}
