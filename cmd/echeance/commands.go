package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/scheduler"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
	"github.com/echeance/echeance/web"
)

// daemon is everything run and tick need, built in order.
type daemon struct {
	store  *store.Store
	mailer *notify.Mailer
	cat    *catalog.Catalog
	in     *ingest.Ingester
	sched  *scheduler.Scheduler
	// links and signer are nil when the web server is off (web.listen "").
	links  *web.Links
	signer *token.Signer
	// sources are the mailboxes and feeds (sources.go).
	sources sourceSet
}

// openStore opens the database with offers.review as its review policy,
// so that every command that stores offers holds the uncertain ones.
func openStore(ctx context.Context, e *env) (*store.Store, error) {
	st, err := store.Open(ctx, e.cfg.Database.Path)
	if err != nil {
		return nil, err
	}
	st.SetReviewPolicy(reviewPolicy(e.cfg.Offers.Review))
	return st, nil
}

func newIngester(st *store.Store, e *env) *ingest.Ingester {
	return ingest.New(st, e.cfg.Schedule.Location, e.cfg.Offers.EstimateLead.Duration(), e.log)
}

func openDaemon(ctx context.Context, e *env) (*daemon, error) {
	st, err := openStore(ctx, e)
	if err != nil {
		return nil, err
	}
	// A random value of this install's, so that its Message-IDs are
	// unguessable and never those of another install.
	idKey, err := st.Secret(ctx, "message_id_key", 32)
	if err != nil {
		st.Close()
		return nil, err
	}
	cat, err := catalog.Load()
	if err != nil {
		st.Close()
		return nil, err
	}
	mailer, err := notify.New(e.cfg.Mail, e.cfg.SMTP, e.cfg.DKIM, e.cfg.Site, cat, e.cfg.Schedule.Location, idKey, e.log)
	if err != nil {
		st.Close()
		return nil, err
	}
	d := &daemon{store: st, mailer: mailer, cat: cat, in: newIngester(st, e)}
	if err := setUpSources(ctx, e, d); err != nil {
		st.Close()
		return nil, err
	}
	var readInbox scheduler.IngestFunc
	if dir := e.cfg.Offers.Inbox; dir != "" {
		readInbox = func(ctx context.Context, now time.Time) error { return d.in.Inbox(ctx, dir, now) }
	}
	var opts []scheduler.Option
	if e.cfg.Web.Listen != "" {
		key := e.cfg.Web.Secret
		if key == nil {
			// No key file configured: generate one once, in a file of its
			// own beside the database, so a copy of the database alone
			// cannot sign links.
			if key, err = token.KeyFile(linkKeyPath(e.cfg)); err != nil {
				st.Close()
				return nil, err
			}
		}
		if d.signer, err = token.NewSigner(key); err != nil {
			st.Close()
			return nil, err
		}
		d.links = web.NewLinks(e.cfg.Web.BaseURL, d.signer, e.now, e.cfg.Web.PublicOffers)
		opts = append(opts, scheduler.WithLinks(d.links), scheduler.WithReview(e.cfg.Review.To, e.cfg.Review.Lang, d.links))
	}
	if d.sched, err = scheduler.New(st, mailer, readInbox, e.cfg.Schedule, e.cfg.Reminders, e.now, e.log, opts...); err != nil {
		st.Close()
		return nil, err
	}
	return d, nil
}

// linkKeyPath is where the generated link signing key is kept when
// web.secret_file is not set: beside the database.
func linkKeyPath(cfg config.Config) string { return cfg.Database.Path + ".link-key" }

func cmdTick(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("tick", e)
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("tick takes no arguments")
	}
	d, err := openDaemon(ctx, e)
	if err != nil {
		return err
	}
	defer d.store.Close()
	// New offers and bounces first, as a run of the daemon has them; a
	// failing source is logged and the run goes on.
	d.sources.readOnce(ctx, e, false)
	rep, err := d.sched.RunOnce(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "tick at %s: sent %d message(s), planned %d reminder(s), %d expired, %d skipped, %d held until tomorrow, %d to retry, %d failed, %d confirmation(s) asked, %d weekly summar(ies), %d offer(s) in the review email\n",
		rep.Now.In(e.cfg.Schedule.Location).Format(time.RFC3339), len(rep.Sent), rep.Planned,
		rep.Expired, rep.Skipped, rep.Held, rep.Retrying, rep.Failed, rep.Confirmations, rep.Summaries, rep.Reviews)
	for _, s := range rep.Sent {
		fmt.Fprintf(e.stdout, "sent to %s: %s\n", s.To, s.Subject)
	}
	if rep.Retrying > 0 || rep.Failed > 0 {
		return fmt.Errorf("tick: %d reminder(s) not delivered (see the log above)", rep.Retrying+rep.Failed)
	}
	return nil
}

func cmdOffer(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("offer: want add, list, confirm, set-deadline, archive or remove")
	}
	switch args[0] {
	case "add":
		return cmdOfferAdd(ctx, e, args[1:])
	case "list":
		return cmdOfferList(ctx, e, args[1:])
	case "set-deadline":
		return cmdOfferSetDeadline(ctx, e, args[1:])
	case "confirm":
		return cmdOfferConfirm(ctx, e, args[1:])
	case "archive", "remove":
		return cmdOfferArchiveRemove(ctx, e, args[0], args[1:])
	}
	return usagef("offer: unknown subcommand %q (want add, list, confirm, set-deadline, archive or remove)", args[0])
}

func cmdOfferAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("offer add", e)
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("offer add: want at least one PATH")
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	in := newIngester(st, e)
	sources, expandErr := ingest.Expand(paths)
	errs := []error{expandErr}
	now := e.now()
	for _, name := range sources {
		src, err := ingest.Load(ctx, name, e.stdin)
		if err == nil {
			var r ingest.Result
			if r, err = in.Add(ctx, src, now); err == nil {
				state := "already known"
				switch {
				case r.Created:
					state = "added"
				case r.Merged && r.DeadlineChanged:
					state = "same offer as another source, updated, deadline changed"
				case r.Merged && r.Updated:
					state = "same offer as another source, updated"
				case r.Merged:
					state = "same offer as another source"
				case r.DeadlineChanged:
					state = "updated, deadline changed"
				case r.Updated:
					state = "updated"
				}
				fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", r.ID, state, deadlineSummary(r.Offer.Deadline), name)
				continue
			}
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func deadlineSummary(d offer.Deadline) string {
	switch d.Kind {
	case offer.KindExplicit:
		return "last day " + d.LastDay
	case offer.KindEstimated:
		return "last day " + d.LastDay + " (estimated)"
	}
	return "no deadline"
}

// offerJSON is one line of offer list --json: the id, the extract and
// every source the offer was read from.
type offerJSON struct {
	ID int64 `json:"id"`
	offer.Offer
	Sources []store.Source `json:"sources"`
}

func cmdOfferList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("offer list", e)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("offer list takes no arguments")
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	offers, err := st.Offers(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, o := range offers {
		if *asJSON {
			srcs, err := st.OfferSources(ctx, o.ID)
			if err != nil {
				return err
			}
			if err := enc.Encode(offerJSON{ID: o.ID, Offer: o.Offer, Sources: srcs}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", o.ID, deadlineSummary(o.Deadline),
			orDefault(o.Organisation, "-"), orDefault(o.Title, o.File))
	}
	return nil
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func parseOffsets(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, p := range strings.Split(s, ",") {
		d, err := config.ParseDays(p)
		if err != nil {
			return nil, err
		}
		if seen[int(d)] {
			return nil, fmt.Errorf("offset %s listed twice", d)
		}
		seen[int(d)] = true
		out = append(out, int(d))
	}
	return out, nil
}

func cmdSubscriber(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("subscriber: want add, import, edit, list, show, pause, resume, revoke-links or remove")
	}
	switch args[0] {
	case "add":
		return cmdSubscriberAdd(ctx, e, args[1:])
	case "list":
		return cmdSubscriberList(ctx, e, args[1:])
	case "remove":
		return cmdSubscriberRemove(ctx, e, args[1:])
	case "show":
		return cmdSubscriberShow(ctx, e, args[1:])
	case "pause":
		return cmdSubscriberState(ctx, e, args[1:], "pause", store.StatePaused)
	case "resume":
		return cmdSubscriberState(ctx, e, args[1:], "resume", store.StateActive)
	case "import":
		return cmdSubscriberImport(ctx, e, args[1:])
	case "revoke-links":
		return cmdSubscriberRevokeLinks(ctx, e, args[1:])
	case "edit":
		return cmdSubscriberEdit(ctx, e, args[1:])
	}
	return usagef("subscriber: unknown subcommand %q (want add, import, edit, list, show, pause, resume, revoke-links or remove)", args[0])
}

func cmdSubscriberAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("subscriber add", e)
	var offers listFlag
	fs.Var(&offers, "offer", "offer ID to follow (repeatable; none: every offer)")
	offsets := fs.String("offsets", "", "reminder offsets, e.g. 7d,2d,0d (default: from config)")
	name := fs.String("name", "", "the student's name")
	lang := fs.String("lang", "fr", "language of the emails: fr or en")
	pending := fs.Bool("pending", false, "ask the student to confirm by email first (double opt-in)")
	weekly := fs.Bool("weekly", false, "also send the weekly summary (reminders.weekly_day)")
	var searches listFlag
	fs.Var(&searches, "search", "saved search, e.g. \"médiation 38\" (repeatable)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("subscriber add: want exactly one EMAIL")
	}
	email, err := store.NormalizeEmail(pos[0])
	if err != nil {
		return usagef("subscriber add: %v", err)
	}
	if *lang != "fr" && *lang != "en" {
		return usagef("subscriber add: --lang: want fr or en, not %q", *lang)
	}
	if err := store.CheckName(*name); err != nil {
		return usagef("subscriber add: --name: %v", err)
	}
	sub := store.Subscriber{Email: email, Name: *name, Lang: *lang, FollowAll: len(offers) == 0 && len(searches) == 0}
	sub.Weekly = *weekly
	if *pending {
		if e.cfg.Web.Listen == "" {
			return usagef("subscriber add: --pending needs the web server (web.listen) for the confirmation link")
		}
		sub.State = store.StatePending
	}
	for _, q := range searches {
		if _, err := search.Parse(q); err != nil {
			return usagef("subscriber add: --search: %v", err)
		}
		sub.Searches = append(sub.Searches, q)
	}
	if *offsets != "" {
		if sub.Offsets, err = parseOffsets(*offsets); err != nil {
			return usagef("subscriber add: --offsets: %v", err)
		}
	}
	for _, o := range offers {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id < 1 {
			return usagef("subscriber add: --offer: invalid offer ID %q", o)
		}
		sub.Offers = append(sub.Offers, id)
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.AddSubscriber(ctx, sub, e.now())
	if err != nil {
		return err
	}
	found, err := (&matcher{st: st}).follow(ctx, id, sub.Searches, e.now())
	if err != nil {
		return err
	}
	follows := "every offer"
	if !sub.FollowAll {
		follows = fmt.Sprintf("%d offer(s)", len(sub.Offers)+found)
		if len(sub.Searches) > 0 {
			follows += fmt.Sprintf(" and what matches %q", sub.Searches)
		}
	}
	fmt.Fprintf(e.stdout, "subscriber %d added: %s follows %s\n", id, email, follows)
	if *pending {
		fmt.Fprintln(e.stdout, "pending: the next run emails the confirmation link; reminders start once confirmed")
	}
	return nil
}

// subscriberJSON is one line of subscriber list --json.
type subscriberJSON struct {
	ID        int64    `json:"id"`
	Email     string   `json:"email"`
	Name      string   `json:"name"`
	Lang      string   `json:"lang"`
	State     string   `json:"state"`
	Offsets   []string `json:"offsets"`
	FollowAll bool     `json:"follow_all"`
	Offers    []int64  `json:"offers"`
	Searches  []string `json:"searches"`
}

func cmdSubscriberList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("subscriber list", e)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("subscriber list takes no arguments")
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	subs, err := st.Subscribers(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	for _, s := range subs {
		offsets := []string{}
		days := s.Offsets
		if len(days) == 0 {
			for _, d := range e.cfg.Reminders.Offsets {
				days = append(days, int(d))
			}
		}
		for _, d := range days {
			offsets = append(offsets, strconv.Itoa(d)+"d")
		}
		if *asJSON {
			if err := enc.Encode(subscriberJSON{ID: s.ID, Email: s.Email, Name: s.Name, Lang: s.Lang,
				State: s.State, Offsets: offsets, FollowAll: s.FollowAll, Offers: s.Offers, Searches: append([]string{}, s.Searches...)}); err != nil {
				return err
			}
			continue
		}
		follows := "every offer"
		if !s.FollowAll {
			ids := make([]string, len(s.Offers))
			for i, id := range s.Offers {
				ids[i] = strconv.FormatInt(id, 10)
			}
			follows = "offers " + strings.Join(ids, ",")
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\n", s.Email, s.State, s.Lang, strings.Join(offsets, ","), follows)
	}
	return nil
}

func cmdSubscriberRemove(ctx context.Context, e *env, args []string) error {
	return withSubscriber(ctx, e, "subscriber remove", args, func(st *store.Store, email string) error {
		if err := st.RemoveSubscriber(ctx, email); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "subscriber %s removed\n", strings.ToLower(email))
		return nil
	})
}

func cmdSubscriberRevokeLinks(ctx context.Context, e *env, args []string) error {
	return withSubscriber(ctx, e, "subscriber revoke-links", args, func(st *store.Store, email string) error {
		if err := st.RevokeLinks(ctx, email); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "subscriber %s: every link of the emails sent so far is revoked; the next emails carry new ones\n", strings.ToLower(email))
		return nil
	})
}

// dateJSON is one line of echeance dates.
type dateJSON struct {
	Input string     `json:"input"`
	Dates []dateItem `json:"dates"`
}

type dateItem struct {
	Text  string `json:"text"`
	Start string `json:"start"`
	End   string `json:"end"`
	Grain string `json:"grain"`
}

func cmdDates(e *env, args []string) error {
	fs := newFlagSet("dates", e)
	ref := fs.String("ref", "", "reference time (RFC 3339 or YYYY-MM-DD; default --now or now)")
	lang := fs.String("lang", "fr", "language hint: fr or en (both are always read)")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("dates reads expressions on stdin and takes no arguments")
	}
	if *lang != "fr" && *lang != "en" {
		return usagef("dates: --lang: want fr or en, not %q", *lang)
	}
	refTime := e.now().In(e.cfg.Schedule.Location)
	if *ref != "" {
		t, err := parseNow(*ref, e.cfg.Schedule.Location)
		if err != nil {
			return usagef("dates: --ref: %v", err)
		}
		refTime = t
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64*1024), offer.MaxSize)
	for sc.Scan() {
		line := sc.Text()
		out := dateJSON{Input: line, Dates: []dateItem{}}
		for _, d := range offer.FindDates(offer.Normalize(line), refTime) {
			out.Dates = append(out.Dates, dateItem{Text: d.Text, Start: d.StartString(), End: d.EndString(), Grain: d.Grain.String()})
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("dates: stdin: %w", err)
	}
	return nil
}
