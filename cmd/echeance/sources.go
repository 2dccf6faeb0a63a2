package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/echeance/echeance/feed"
	"github.com/echeance/echeance/mailbox"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

// sourceSet is the mailboxes and feeds the configuration names.
type sourceSet struct {
	mailboxes []*mailbox.Reader
	names     []string
	feeds     []*feed.Poller
	urls      []string
}

// setUpSources builds the readers of [[sources.imap]], [sources.bounces]
// and [[sources.feed]], and has reminders carry their VERP return path when
// mail.bounce_address is set.
func setUpSources(ctx context.Context, e *env, d *daemon) error {
	var bounces *mailbox.Bounces
	if addr := e.cfg.Mail.BounceAddress; addr != "" {
		verp, err := mailbox.ParseVERP(addr)
		if err != nil {
			return usagef("mail.bounce_address: %v", err)
		}
		// A key of the install's, kept in the database: a bounce token only
		// says whose address a bounce is about.
		key, err := d.store.Secret(ctx, "bounce_key", 32)
		if err != nil {
			return err
		}
		signer, err := token.NewSigner(key)
		if err != nil {
			return err
		}
		d.mailer.SetBounceAddress(func(id int64) string { return verp.Address(signer.SignBounce(id)) })
		bounces = &mailbox.Bounces{VERP: verp, Verify: signer.VerifyBounce, Store: d.store}
	}
	for _, acct := range e.cfg.Sources.IMAP {
		d.sources.mailboxes = append(d.sources.mailboxes, mailbox.New(acct, d.in, bounces, false, e.now, e.log))
		d.sources.names = append(d.sources.names, acct.Name())
	}
	if b := e.cfg.Sources.Bounces; b.Host != "" && bounces != nil {
		d.sources.mailboxes = append(d.sources.mailboxes, mailbox.New(b.IMAP, d.in, bounces, true, e.now, e.log))
		d.sources.names = append(d.sources.names, b.Name())
	}
	for _, f := range e.cfg.Sources.Feed {
		d.sources.feeds = append(d.sources.feeds, feed.New(f, d.store, d.in, e.now, e.log))
		d.sources.urls = append(d.sources.urls, f.URL)
	}
	return nil
}

// start runs every mailbox and feed until ctx is cancelled; wait returns
// once they all stopped.
func (s sourceSet) start(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	for _, m := range s.mailboxes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Run(ctx)
		}()
	}
	for _, f := range s.feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.Run(ctx)
		}()
	}
	return wg.Wait
}

// readOnce reads every mailbox and feed once, printing what each did when
// out is set; a failing source is reported by name and the others go on.
func (s sourceSet) readOnce(ctx context.Context, e *env, print bool) error {
	var errs []error
	for i, m := range s.mailboxes {
		rep, err := m.ReadOnce(ctx)
		if err != nil {
			errs = append(errs, err)
			e.log.Error("mailbox failed", "mailbox", s.names[i], "error", err)
			continue
		}
		if print {
			fmt.Fprintf(e.stdout, "mailbox %s: %d message(s), %d offer(s) added, %d already known, %d rejected, %d bounce(s)\n",
				s.names[i], rep.Messages, rep.Created, rep.Known, rep.Rejected, rep.Bounces)
		}
	}
	for i, f := range s.feeds {
		rep, err := f.Poll(ctx)
		if err != nil {
			errs = append(errs, err)
			e.log.Error("feed failed", "feed", s.urls[i], "error", err)
			continue
		}
		if print {
			fmt.Fprintf(e.stdout, "feed %s: %d item(s), %d page(s) fetched, %d offer(s) added, %d already known, %d failed, not modified: %v\n",
				s.urls[i], rep.Items, rep.Fetched, rep.Created, rep.Known, rep.Failed, rep.NotModified)
		}
	}
	return errors.Join(errs...)
}

func cmdSources(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "read" {
		return usagef("sources: want read")
	}
	fs := newFlagSet("sources read", e)
	if pos, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("sources read takes no arguments")
	}
	d, err := openDaemon(ctx, e)
	if err != nil {
		return err
	}
	defer d.store.Close()
	if len(d.sources.mailboxes)+len(d.sources.feeds) == 0 {
		fmt.Fprintln(e.stdout, "no mailbox and no feed configured ([[sources.imap]], [sources.bounces], [[sources.feed]])")
		return nil
	}
	return d.sources.readOnce(ctx, e, true)
}

// bounceText says what the bounces of a student's messages said.
func bounceText(b store.Bounces, e *env) string {
	switch {
	case b.FailedAt != nil:
		return fmt.Sprintf("failed on %s (%s)", b.FailedAt.In(e.cfg.Schedule.Location).Format("2006-01-02 15:04"), b.Last)
	case b.Soft > 0:
		return fmt.Sprintf("ok, %d temporary failure(s), last: %s", b.Soft, b.Last)
	}
	return "ok"
}
