// Package mailbox owns reading offers and bounces from IMAP mailboxes
// (github.com/emersion/go-imap/v2): each message becomes the offers it
// holds (each offer attachment, or else its body, a forwarded mail
// unwrapped), stored through package ingest with the message's sender,
// subject and date; a bounce of a reminder (RFC 3464, or a common
// non-standard one) sent to its VERP return path is recorded for the
// student its signed token names.
//
// A message is moved out of the folder only after what it held is stored:
// to the done folder, or to the rejected folder (with the reason logged)
// when it holds no offer, so nothing is ever lost. A crash between storing
// and moving reads the message again, and storing it again stores nothing
// (package store recognises the text). The folder is watched with IDLE
// where the server has it, else read on a schedule; a failing mailbox is
// logged and retried, never fatal.
package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/offer"
)

// Ingester reads and stores offers (an *ingest.Ingester).
type Ingester interface {
	Parse(ctx context.Context, src ingest.Source, now time.Time) (offer.Offer, error)
	Store(ctx context.Context, src ingest.Source, o offer.Offer, now time.Time) (ingest.Result, error)
}

// BounceStore records bounces (a *store.Store).
type BounceStore interface {
	RecordBounce(ctx context.Context, id int64, hard bool, reason string, now time.Time) error
}

// Bounces says how bounces are recognised and whose they are.
type Bounces struct {
	VERP VERP
	// Verify returns the subscriber a bounce token names, or an error for a
	// token that was not signed by this install.
	Verify func(tok string) (int64, error)
	Store  BounceStore
}

// Reader reads one mailbox.
type Reader struct {
	acct config.IMAP
	in   Ingester
	// bounces is nil when bounces are not read; onlyBounces makes every
	// other message rejected.
	bounces     *Bounces
	onlyBounces bool
	now         func() time.Time
	log         *slog.Logger
	// TLS is the client's TLS configuration (nil: the system's roots).
	TLS *tls.Config
}

// New returns a Reader of the mailbox acct storing offers through in. With
// b, bounces that reach the mailbox are recorded; with onlyBounces (the
// [sources.bounces] mailbox) messages that are no bounce are rejected.
func New(acct config.IMAP, in Ingester, b *Bounces, onlyBounces bool, now func() time.Time, log *slog.Logger) *Reader {
	return &Reader{acct: acct, in: in, bounces: b, onlyBounces: onlyBounces, now: now,
		log: log.With("mailbox", acct.Name())}
}

// Report says what one reading did.
type Report struct {
	Messages int
	// Created counts new offers, Known texts already stored (updated or
	// merged included).
	Created, Known int
	Rejected       int
	Bounces        int
}

// batch is how many messages are fetched, stored and moved at a time: a
// crash between storing and moving reads at most this many again.
const batch = 100

// conn is a logged-in connection with the folder selected; updates is
// signalled when the server announces new messages.
type conn struct {
	c       *imapclient.Client
	updates chan struct{}
}

func (r *Reader) dial() (*conn, error) {
	cn := &conn{updates: make(chan struct{}, 1)}
	opts := &imapclient.Options{
		TLSConfig: r.TLS,
		Dialer:    &net.Dialer{Timeout: 30 * time.Second},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					select {
					case cn.updates <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	if opts.TLSConfig == nil {
		opts.TLSConfig = &tls.Config{ServerName: r.acct.Host}
	}
	addr := net.JoinHostPort(r.acct.Host, fmt.Sprint(r.acct.Port))
	var err error
	switch r.acct.Security {
	case "tls":
		cn.c, err = imapclient.DialTLS(addr, opts)
	case "starttls":
		cn.c, err = imapclient.DialStartTLS(addr, opts)
	default:
		cn.c, err = imapclient.DialInsecure(addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("mailbox: %s: %w", r.acct.Name(), err)
	}
	if err := cn.c.Login(r.acct.Username, r.acct.Password).Wait(); err != nil {
		cn.c.Close()
		return nil, fmt.Errorf("mailbox: %s: login: %w", r.acct.Name(), err)
	}
	for _, f := range []string{r.acct.DoneFolder, r.acct.RejectedFolder} {
		// CREATE fails when the folder exists; SELECT below says whether
		// the account works at all.
		cn.c.Create(f, nil).Wait()
	}
	if _, err := cn.c.Select(r.acct.Folder, nil).Wait(); err != nil {
		cn.c.Close()
		return nil, fmt.Errorf("mailbox: %s: select: %w", r.acct.Name(), err)
	}
	return cn, nil
}

// ReadOnce connects, reads every message of the folder and moves each, then
// logs out.
func (r *Reader) ReadOnce(ctx context.Context) (Report, error) {
	cn, err := r.dial()
	if err != nil {
		return Report{}, err
	}
	defer cn.c.Close()
	rep, err := r.read(ctx, cn)
	if err == nil {
		cn.c.Logout().Wait()
	}
	return rep, err
}

// Run reads the folder, then waits for new messages (IDLE, or every
// acct.Every without it) and reads again, until ctx is cancelled. A
// failure is logged and the mailbox tried again after acct.Every.
func (r *Reader) Run(ctx context.Context) {
	for ctx.Err() == nil {
		err := r.session(ctx)
		if ctx.Err() != nil {
			return
		}
		r.log.Error("mailbox failed, will retry", "retry_in", r.acct.Every.Duration, "error", err)
		select {
		case <-ctx.Done():
		case <-time.After(r.acct.Every.Duration):
		}
	}
}

// session is one connection: read, wait, read again.
func (r *Reader) session(ctx context.Context) error {
	cn, err := r.dial()
	if err != nil {
		return err
	}
	defer cn.c.Close()
	idle := cn.c.Caps().Has(imap.CapIdle)
	r.log.Info("mailbox open", "idle", idle, "every", r.acct.Every.Duration)
	for {
		if _, err := r.read(ctx, cn); err != nil {
			return err
		}
		if err := r.wait(ctx, cn, idle); err != nil || ctx.Err() != nil {
			return err
		}
	}
}

// wait returns when new messages may have arrived: the server said so
// during IDLE, or acct.Every passed.
func (r *Reader) wait(ctx context.Context, cn *conn, idle bool) error {
	timer := time.NewTimer(r.acct.Every.Duration)
	defer timer.Stop()
	if !idle {
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-cn.c.Closed():
			return errors.New("mailbox: connection closed")
		}
		return nil
	}
	cmd, err := cn.c.Idle()
	if err != nil {
		return fmt.Errorf("mailbox: %s: idle: %w", r.acct.Name(), err)
	}
	select {
	case <-ctx.Done():
	case <-timer.C:
	case <-cn.updates:
	case <-cn.c.Closed():
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("mailbox: %s: idle: %w", r.acct.Name(), err)
	}
	return cmd.Wait()
}

// outcome is what one message became.
type outcome struct {
	uid     imap.UID
	id      string
	reject  string // why it is rejected; "" when it goes to the done folder
	created int
	known   int
	bounce  bool
}

// parsed is a message read, with its offers parsed, before storing.
type parsed struct {
	uid     imap.UID
	msg     *Message
	srcs    []ingest.Source
	offers  []offer.Offer
	errs    []error
	reason  string
	bounce  *Bounce
	badBody error
}

func (r *Reader) read(ctx context.Context, cn *conn) (Report, error) {
	var rep Report
	data, err := cn.c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		return rep, fmt.Errorf("mailbox: %s: search: %w", r.acct.Name(), err)
	}
	uids := data.AllUIDs()
	for start := 0; start < len(uids); start += batch {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		chunk := uids[start:min(start+batch, len(uids))]
		if err := r.readBatch(ctx, cn, chunk, &rep); err != nil {
			return rep, err
		}
	}
	if rep.Messages > 0 {
		r.log.Info("mailbox read", "messages", rep.Messages, "offers_added", rep.Created, "already_known", rep.Known,
			"rejected", rep.Rejected, "bounces", rep.Bounces)
	}
	return rep, nil
}

func (r *Reader) readBatch(ctx context.Context, cn *conn, uids []imap.UID, rep *Report) error {
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := cn.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return fmt.Errorf("mailbox: %s: fetch: %w", r.acct.Name(), err)
	}
	now := r.now()
	// Reading documents (pdftotext) is the slow part: messages are parsed
	// side by side, ahead of the loop below, which stores them one after
	// the other in their order as soon as each is parsed.
	work := make([]parsed, len(msgs))
	ready := make([]chan struct{}, len(msgs))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	go func() {
		for i, m := range msgs {
			work[i].uid = m.UID
			var raw []byte
			if len(m.BodySection) > 0 {
				raw = m.BodySection[0].Bytes
			}
			sem <- struct{}{}
			go func(p *parsed, done chan struct{}) {
				defer close(done)
				defer func() { <-sem }()
				defer func() {
					// A message that trips a bug is rejected, not the daemon stopped.
					if v := recover(); v != nil {
						p.badBody = fmt.Errorf("mailbox: reading the message failed: %v", v)
					}
				}()
				r.parse(ctx, p, raw, now)
			}(&work[i], ready[i])
		}
	}()
	var done, rejected imap.UIDSet
	nDone := 0
	for i := range work {
		<-ready[i]
		o, err := r.store(ctx, &work[i], now)
		if err != nil {
			drain(ready[i+1:])
			return err
		}
		rep.Messages++
		rep.Created += o.created
		rep.Known += o.known
		if o.bounce {
			rep.Bounces++
		}
		if o.reject != "" {
			rep.Rejected++
			rejected.AddNum(o.uid)
			r.log.Warn("message rejected", "message_id", o.id, "reason", o.reject, "to", r.acct.RejectedFolder)
			continue
		}
		done.AddNum(o.uid)
		nDone++
		r.log.Debug("message read", "message_id", o.id, "offers_added", o.created, "already_known", o.known)
	}
	// Everything the batch held is stored: only now are its messages moved.
	r.log.Info("messages stored, moving them", "done", nDone, "rejected", len(work)-nDone)
	if err := r.move(cn, done, r.acct.DoneFolder); err != nil {
		return err
	}
	return r.move(cn, rejected, r.acct.RejectedFolder)
}

// drain waits for the parsing still under way.
func drain(ready []chan struct{}) {
	for _, c := range ready {
		<-c
	}
}

// parse reads one message and its offers; it stores nothing.
func (r *Reader) parse(ctx context.Context, p *parsed, raw []byte, now time.Time) {
	m, err := Parse(raw)
	if err != nil {
		p.badBody = err
		return
	}
	p.msg = m
	if r.bounces != nil {
		if b, ok := m.Bounce(r.bounces.VERP); ok {
			p.bounce = &b
			return
		}
	}
	if r.onlyBounces {
		p.reason = "not a bounce"
		return
	}
	files, body, reason := m.Sources()
	p.reason = reason
	parse := func(srcs []ingest.Source) (ok bool) {
		p.srcs, p.offers, p.errs = srcs, nil, nil
		for _, src := range srcs {
			o, err := r.in.Parse(ctx, src, now)
			if err == nil && !LooksLikeOffer(o.Text) {
				err = fmt.Errorf("mailbox: %s: no offer in it (too short, or no word an offer uses)", src.Name)
			}
			p.offers = append(p.offers, o)
			p.errs = append(p.errs, err)
			ok = ok || err == nil
		}
		return ok
	}
	if parse(files) || body == nil {
		return
	}
	// No attachment is an offer: the body is.
	reasons := p.errs
	if !parse([]ingest.Source{*body}) {
		p.errs = append(p.errs, reasons...)
	}
}

// store records what one parsed message holds and says where it goes.
// Only a database failure is returned.
func (r *Reader) store(ctx context.Context, p *parsed, now time.Time) (outcome, error) {
	o := outcome{uid: p.uid}
	if p.badBody != nil {
		o.reject = p.badBody.Error()
		return o, nil
	}
	o.id = p.msg.ID
	if p.bounce != nil {
		o.bounce = true
		sub, err := r.bounces.Verify(p.bounce.Token)
		if err != nil {
			// A forged or foreign token changes nothing.
			o.reject = "bounce with a token this install did not sign"
			return o, nil
		}
		if err := r.bounces.Store.RecordBounce(ctx, sub, p.bounce.Hard, p.bounce.Reason, now); err != nil {
			return o, err
		}
		r.log.Info("bounce recorded", "message_id", o.id, "subscriber_id", sub, "hard", p.bounce.Hard,
			"recipient", p.bounce.Recipient, "reason", p.bounce.Reason)
		return o, nil
	}
	if len(p.srcs) == 0 {
		o.reject = p.reason
		return o, nil
	}
	var reasons []string
	for _, err := range p.errs[len(p.srcs):] {
		reasons = append(reasons, err.Error())
	}
	for i, src := range p.srcs {
		if p.errs[i] != nil {
			reasons = append(reasons, p.errs[i].Error())
			continue
		}
		res, err := r.in.Store(ctx, src, p.offers[i], now)
		if err != nil {
			return o, err
		}
		if res.Created {
			o.created++
			r.log.Info("offer added", "offer_id", res.ID, "source", src.Name, "from", src.Origin.From,
				"subject", src.Origin.Subject, "deadline", res.Offer.Deadline.Kind, "last_day", res.Offer.Deadline.LastDay)
		} else {
			o.known++
		}
	}
	if o.created+o.known == 0 {
		o.reject = strings.Join(reasons, "; ")
	} else if len(reasons) > 0 {
		r.log.Warn("message read in part", "message_id", o.id, "error", strings.Join(reasons, "; "))
	}
	return o, nil
}

// move moves the messages uids to folder: MOVE where the server has it,
// else COPY, flag deleted and expunge them.
func (r *Reader) move(cn *conn, uids imap.UIDSet, folder string) error {
	if len(uids) == 0 {
		return nil
	}
	if cn.c.Caps().Has(imap.CapMove) {
		if _, err := cn.c.Move(uids, folder).Wait(); err != nil {
			return fmt.Errorf("mailbox: %s: move to %s: %w", r.acct.Name(), folder, err)
		}
		return nil
	}
	if _, err := cn.c.Copy(uids, folder).Wait(); err != nil {
		return fmt.Errorf("mailbox: %s: copy to %s: %w", r.acct.Name(), folder, err)
	}
	if err := cn.c.Store(uids, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		return fmt.Errorf("mailbox: %s: flag moved messages: %w", r.acct.Name(), err)
	}
	if err := cn.c.Expunge().Close(); err != nil {
		return fmt.Errorf("mailbox: %s: expunge: %w", r.acct.Name(), err)
	}
	return nil
}
