// Package scheduler owns when echeance acts: robfig/cron wakes the reminder
// job in the configured time zone, and each run reads new offers, plans the
// reminders of new follows and sends everything due by now.
//
// Correctness never depends on cron having fired: a run sends all that is
// due, whenever it happens, and a run at start-up catches up after downtime.
// Runs never overlap, a panic in a run is logged and does not kill the
// daemon, and the clock is an input (now), so any day can be replayed.
//
// The package declares the interfaces it consumes (Store, Notifier); the
// store and the mailer satisfy them.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"mime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
	"github.com/robfig/cron/v3"
)

// Store is what the scheduler needs from the database.
type Store interface {
	UnmatchedOffers(ctx context.Context, limit int) ([]store.Offer, error)
	Searches(ctx context.Context) ([]store.Search, error)
	SaveMatches(ctx context.Context, offerIDs []int64, matches []store.Match, now time.Time) (int, error)
	Unplanned(ctx context.Context, limit int) ([]store.Follow, error)
	SavePlan(ctx context.Context, follows []store.Follow, planned []store.NewReminder, now time.Time) error
	DueReminders(ctx context.Context, now time.Time) ([]store.Due, error)
	SetReminderState(ctx context.Context, ids []int64, state string) error
	// MarkSentBatch records a whole batch the relay accepted, at once.
	MarkSentBatch(ctx context.Context, msgs []store.SentMessage, at time.Time) error
	RecordFailure(ctx context.Context, ids []int64, cause string, retryAt *time.Time) error
	SubscriberByID(ctx context.Context, id int64) (store.Subscriber, error)
	Offer(ctx context.Context, id int64) (store.Offer, error)
	ToConfirm(ctx context.Context, limit int) ([]store.Subscriber, error)
	MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error
	WeeklyDue(ctx context.Context, weekStart time.Time, limit int) ([]store.Subscriber, error)
	MarkWeeklySent(ctx context.Context, id int64, at time.Time) error
	FollowedOffers(ctx context.Context, id int64) ([]store.Followed, error)
}

// Notifier builds and delivers messages.
type Notifier interface {
	MessageID(ids []int64) string
	Build(r notify.Reminder) (*gomail.Msg, error)
	BuildConfirmation(c notify.Confirmation) (*gomail.Msg, error)
	ConfirmationID(subscriberID int64) string
	SummaryID(subscriberID int64, day string) string
	Send(ctx context.Context, msgs []*gomail.Msg) []error
}

// Linker writes the one-click links that messages carry.
type Linker interface {
	SubscriberLinks(subscriberID int64) notify.Links
	// OfferLinks returns the offer's page and the links that stop its
	// reminders for this subscriber.
	OfferLinks(subscriberID, offerID int64) (page, applied, notInterested string)
	// ConfirmLink is the link that confirms a pending subscription.
	ConfirmLink(subscriberID int64) string
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithLinks has every message carry one-click links written by l.
func WithLinks(l Linker) Option { return func(s *Scheduler) { s.links = l } }

// IngestFunc reads new offers before each run (the inbox folder).
type IngestFunc func(ctx context.Context, now time.Time) error

// Scheduler runs the reminder job.
type Scheduler struct {
	store    Store
	notifier Notifier
	ingest   IngestFunc
	sched    config.Schedule
	offsets  []int
	clock    Clock
	batch    int
	now      func() time.Time
	log      *slog.Logger
	links    Linker
	// weekly is the day of the weekly summary; hasWeekly is false when off.
	weekly    time.Weekday
	hasWeekly bool
	running   sync.Mutex
}

// New returns a Scheduler. ingest may be nil; now is the clock every
// decision is taken with.
func New(st Store, n Notifier, ingest IngestFunc, sched config.Schedule, rem config.Reminders,
	now func() time.Time, log *slog.Logger, opts ...Option) (*Scheduler, error) {
	if sched.Location == nil {
		return nil, fmt.Errorf("scheduler: no time zone")
	}
	if _, err := config.ParseCron(sched.Reminders); err != nil {
		return nil, fmt.Errorf("scheduler: schedule.reminders %q: %w", sched.Reminders, err)
	}
	h, m := rem.SendClock()
	offsets := make([]int, len(rem.Offsets))
	for i, o := range rem.Offsets {
		offsets[i] = int(o)
	}
	batch := rem.BatchSize
	if batch < 1 {
		batch = 50
	}
	s := &Scheduler{store: st, notifier: n, ingest: ingest, sched: sched, offsets: offsets,
		clock: Clock{Hour: h, Minute: m, Location: sched.Location, BusinessDays: rem.BusinessDays}, batch: batch, now: now, log: log}
	s.weekly, s.hasWeekly = rem.Weekday()
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Run starts cron, runs the job once at once to catch up, and blocks until
// ctx is cancelled. It then lets a running job finish, waiting at most
// schedule.shutdown_timeout before cancelling it.
func (s *Scheduler) Run(ctx context.Context) error {
	// Jobs outlive ctx so that SIGTERM lets them finish; jobCancel bounds that.
	jobCtx, jobCancel := context.WithCancel(context.WithoutCancel(ctx))
	defer jobCancel()
	job := func() { s.runJob(jobCtx) }

	c := cron.New(cron.WithLocation(s.sched.Location), cron.WithParser(cronParser()),
		cron.WithLogger(cronLogger{s.log}))
	id, err := c.AddFunc(s.sched.Reminders, job)
	if err != nil {
		return fmt.Errorf("scheduler: schedule.reminders %q: %w", s.sched.Reminders, err)
	}
	c.Start()
	// Catch up at start-up; cron's Stop does not know about this run.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		job()
	}()
	s.log.Info("scheduler started", "schedule", s.sched.Reminders, "timezone", s.sched.Location.String(),
		"next_run", c.Entry(id).Next.Format(time.RFC3339))

	<-ctx.Done()
	s.log.Info("stopping: waiting for the running job")
	stopped := c.Stop()
	done := make(chan struct{})
	go func() {
		<-stopped.Done()
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.log.Info("scheduler stopped")
	case <-time.After(s.sched.ShutdownTimeout.Duration):
		jobCancel()
		s.log.Error("scheduler gave up waiting for the running job", "timeout", s.sched.ShutdownTimeout.Duration)
	}
	return nil
}

func cronParser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// runJob is one run from cron or start-up: never two at once, and a panic
// is logged instead of killing the daemon.
func (s *Scheduler) runJob(ctx context.Context) {
	if !s.running.TryLock() {
		s.log.Warn("previous run still going: skipping this one", "job", "reminders")
		return
	}
	defer s.running.Unlock()
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("run panicked", "job", "reminders", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	start := time.Now()
	rep, err := s.runOnce(ctx)
	args := []any{"job", "reminders", "now", rep.Now.In(s.sched.Location).Format(time.RFC3339), "planned", rep.Planned,
		"sent", len(rep.Sent), "expired", rep.Expired, "skipped", rep.Skipped, "retrying", rep.Retrying,
		"failed", rep.Failed, "new_offer_matches", rep.Matched, "confirmations", rep.Confirmations, "weekly_summaries", rep.Summaries,
		"duration", time.Since(start).Round(time.Microsecond)}
	if err != nil {
		s.log.Error("run failed", append(args, "error", err)...)
		return
	}
	s.log.Info("run done", args...)
}

// RunOnce is one pass of the reminder job at s's now: read new offers, plan,
// send what is due. It waits for a run in progress to end.
func (s *Scheduler) RunOnce(ctx context.Context) (Report, error) {
	s.running.Lock()
	defer s.running.Unlock()
	return s.runOnce(ctx)
}

// Report says what a run did.
type Report struct {
	Now time.Time
	// Matched counts new offers followed through saved searches.
	Matched  int
	Planned  int
	Sent     []Sent
	Expired  int
	Skipped  int
	Retrying int
	Failed   int
	// Confirmations counts double opt-in messages sent.
	Confirmations int
	// Summaries counts weekly summaries sent.
	Summaries int
}

// Sent is one message the relay accepted.
type Sent struct {
	To        string
	Subject   string
	MessageID string
	Offers    []int64
}

func (s *Scheduler) runOnce(ctx context.Context) (Report, error) {
	now := s.now()
	rep := Report{Now: now}
	if s.ingest != nil {
		if err := s.ingest(ctx, now); err != nil {
			return rep, err
		}
	}
	var err error
	if rep.Matched, err = s.matchNewOffers(ctx, now); err != nil {
		return rep, err
	}
	if rep.Planned, err = s.planAll(ctx, now); err != nil {
		return rep, err
	}
	if err := s.sendDue(ctx, now, &rep); err != nil {
		return rep, err
	}
	if err := s.askConfirmations(ctx, now, &rep); err != nil {
		return rep, err
	}
	err = s.sendWeekly(ctx, now, &rep)
	return rep, err
}

// weekStart returns the latest weekly slot at or before now: the weekly day
// at the send time, in local time.
func (s *Scheduler) weekStart(now time.Time) time.Time {
	local := now.In(s.clock.Location)
	back := (int(local.Weekday()) - int(s.weekly) + 7) % 7
	y, m, d := local.Date()
	slot := time.Date(y, m, d-back, s.clock.Hour, s.clock.Minute, 0, 0, s.clock.Location)
	if slot.After(now) {
		slot = time.Date(y, m, d-back-7, s.clock.Hour, s.clock.Minute, 0, 0, s.clock.Location)
	}
	return slot
}

// sendWeekly sends, once a week, the students who asked for it the list of
// the offers they follow whose last day to apply falls within the seven
// days from the weekly slot. A student with nothing due that week gets no
// message. A summary the relay refused is tried again at the next run.
func (s *Scheduler) sendWeekly(ctx context.Context, now time.Time, rep *Report) error {
	if !s.hasWeekly {
		return nil
	}
	slot := s.weekStart(now)
	day := slot.Format("2006-01-02")
	until := slot.AddDate(0, 0, 7).Format("2006-01-02") // exclusive
	for {
		subs, err := s.store.WeeklyDue(ctx, slot, s.batch)
		if err != nil || len(subs) == 0 {
			return err
		}
		var msgs []*gomail.Msg
		var who []store.Subscriber
		for _, sub := range subs {
			followed, err := s.store.FollowedOffers(ctx, sub.ID)
			if err != nil {
				return err
			}
			r := notify.Reminder{To: sub.Email, Name: sub.Name, Lang: sub.Lang, Now: now, SubscriberID: sub.ID,
				Summary: true, MessageID: s.notifier.SummaryID(sub.ID, day)}
			if s.links != nil {
				r.Links = s.links.SubscriberLinks(sub.ID)
			}
			for _, f := range followed {
				if f.DeadlineAt.After(now) && f.LastDay >= day && f.LastDay < until {
					r.Items = append(r.Items, s.item(sub.ID, f))
				}
			}
			if len(r.Items) == 0 {
				if err := s.store.MarkWeeklySent(ctx, sub.ID, now); err != nil {
					return err
				}
				continue
			}
			msg, err := s.notifier.Build(r)
			if err != nil {
				return err
			}
			msgs, who = append(msgs, msg), append(who, sub)
		}
		failed := 0
		for i, err := range s.notifier.Send(ctx, msgs) {
			if err != nil {
				failed++
				s.log.Warn("weekly summary not sent", "to", who[i].Email, "error", err)
				continue
			}
			if err := s.store.MarkWeeklySent(ctx, who[i].ID, now); err != nil {
				return err
			}
			rep.Summaries++
		}
		if failed > 0 || len(subs) < s.batch {
			// Refused ones stay due; the next run tries them again.
			return nil
		}
	}
}

// askConfirmations sends each pending subscriber, once, the message with
// the link that confirms their subscription (double opt-in). Without links
// (no web server) nobody can confirm, so nothing is sent.
func (s *Scheduler) askConfirmations(ctx context.Context, now time.Time, rep *Report) error {
	if s.links == nil {
		return nil
	}
	subs, err := s.store.ToConfirm(ctx, s.batch)
	if err != nil || len(subs) == 0 {
		return err
	}
	msgs := make([]*gomail.Msg, len(subs))
	for i, sub := range subs {
		msgs[i], err = s.notifier.BuildConfirmation(notify.Confirmation{To: sub.Email, Name: sub.Name,
			Lang: sub.Lang, Now: now, MessageID: s.notifier.ConfirmationID(sub.ID),
			ConfirmURL: s.links.ConfirmLink(sub.ID)})
		if err != nil {
			return err
		}
	}
	for i, err := range s.notifier.Send(ctx, msgs) {
		if err != nil {
			// Not recorded: the next run asks again.
			s.log.Warn("confirmation not sent", "to", subs[i].Email, "error", err)
			continue
		}
		if err := s.store.MarkConfirmationSent(ctx, subs[i].ID, now); err != nil {
			return err
		}
		rep.Confirmations++
	}
	return nil
}

// matchNewOffers has students follow the new offers matching their saved
// searches, with one "new offer" notice each.
func (s *Scheduler) matchNewOffers(ctx context.Context, now time.Time) (int, error) {
	const page = 1000
	var queries []store.Search
	var parsed []search.Query
	loaded := false
	total := 0
	for {
		offers, err := s.store.UnmatchedOffers(ctx, page)
		if err != nil || len(offers) == 0 {
			return total, err
		}
		if !loaded {
			if queries, err = s.store.Searches(ctx); err != nil {
				return total, err
			}
			for _, q := range queries {
				p, err := search.Parse(q.Query)
				if err != nil {
					s.log.Warn("saved search ignored", "subscriber_id", q.SubscriberID, "error", err)
				}
				parsed = append(parsed, p)
			}
			loaded = true
		}
		ids := make([]int64, len(offers))
		var matches []store.Match
		for i, o := range offers {
			ids[i] = o.ID
			for j, q := range parsed {
				if len(q.Written) > 0 && q.Match(o.Offer) {
					matches = append(matches, store.Match{SubscriberID: queries[j].SubscriberID, OfferID: o.ID})
				}
			}
		}
		n, err := s.store.SaveMatches(ctx, ids, matches, now)
		total += n
		if err != nil || len(offers) < page {
			return total, err
		}
	}
}

// planAll plans the reminders of every follow not planned yet, a page at a
// time, each page in one transaction.
func (s *Scheduler) planAll(ctx context.Context, now time.Time) (int, error) {
	// Large pages: each commit pays for index pages touched at random, so
	// fewer commits plan a big import several times faster.
	const page = 50000
	total := 0
	for {
		follows, err := s.store.Unplanned(ctx, page)
		if err != nil {
			return total, err
		}
		if len(follows) == 0 {
			return total, nil
		}
		var planned []store.NewReminder
		for _, f := range follows {
			offsets := f.Offsets
			if len(offsets) == 0 {
				offsets = s.offsets
			}
			for _, r := range plan(f, offsets, s.clock, now) {
				planned = append(planned, r)
				if r.State == store.ReminderPending {
					total++
				}
			}
		}
		if err := s.store.SavePlan(ctx, follows, planned, now); err != nil {
			return total, err
		}
		if len(follows) < page {
			return total, nil
		}
	}
}

// outgoing is one message to send and the reminders it carries.
type outgoing struct {
	ids []int64
	msg *gomail.Msg
	to  string
	sub string
	oid []int64
	due []store.Due
}

// sendDue sends every reminder due at now, one digest per student, in
// batches; each batch is recorded as soon as the relay answered.
func (s *Scheduler) sendDue(ctx context.Context, now time.Time, rep *Report) error {
	dues, err := s.store.DueReminders(ctx, now)
	if err != nil {
		return err
	}
	d := decide(dues, now)
	if len(d.expired) > 0 {
		if err := s.store.SetReminderState(ctx, d.expired, store.ReminderExpired); err != nil {
			return err
		}
	}
	if len(d.skipped) > 0 {
		if err := s.store.SetReminderState(ctx, d.skipped, store.ReminderSkipped); err != nil {
			return err
		}
	}
	rep.Expired, rep.Skipped = len(d.expired), len(d.skipped)

	var batch []outgoing
	for _, digest := range d.digests {
		out, err := s.build(digest, now)
		if err != nil {
			return err
		}
		batch = append(batch, out)
		if len(batch) == s.batch {
			if err := s.deliver(ctx, batch, now, rep); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		return s.deliver(ctx, batch, now, rep)
	}
	return nil
}

func (s *Scheduler) build(digest []store.Due, now time.Time) (outgoing, error) {
	first := digest[0]
	r := notify.Reminder{To: first.Email, Name: first.Name, Lang: first.Lang, Now: now,
		SubscriberID: first.SubscriberID}
	if s.links != nil {
		r.Links = s.links.SubscriberLinks(first.SubscriberID)
	}
	var out outgoing
	for i, d := range digest {
		out.ids = append(out.ids, d.ID)
		if i == 0 || digest[i-1].OfferID != d.OfferID {
			out.oid = append(out.oid, d.OfferID)
			r.Items = append(r.Items, s.item(d.SubscriberID, store.Followed{OfferID: d.OfferID, Revision: d.Revision,
				Title: d.Title, Organisation: d.Organisation, Source: d.Source, DeadlineKind: d.DeadlineKind,
				DeadlinePhrase: d.DeadlinePhrase, LastDay: d.LastDay, DeadlineAt: d.DeadlineAt, Contacts: d.Contacts,
				City: d.City, PreviousLastDay: d.PreviousLastDay}))
		}
		it := &r.Items[len(r.Items)-1]
		switch d.Kind {
		case kindNewOffer:
			it.NewOffer = true
		case kindDeadlineChanged:
			it.DeadlineChanged = true
		}
	}
	r.MessageID = s.notifier.MessageID(out.ids)
	msg, err := s.notifier.Build(r)
	if err != nil {
		return outgoing{}, err
	}
	out.msg, out.to, out.due = msg, first.Email, digest
	if subj := msg.GetGenHeader(gomail.HeaderSubject); len(subj) > 0 {
		out.sub = subj[0]
		if dec, err := new(mime.WordDecoder).DecodeHeader(subj[0]); err == nil {
			out.sub = dec
		}
	}
	return out, nil
}

// item describes an offer for a message to subscriber sub, with its links.
func (s *Scheduler) item(sub int64, f store.Followed) notify.Item {
	it := notify.Item{Title: f.Title, Organisation: f.Organisation, Phrase: f.DeadlinePhrase,
		Estimated: f.DeadlineKind == "estimated", LastDay: f.LastDay, DeadlineAt: f.DeadlineAt,
		Contacts: f.Contacts, Source: f.Source, OfferID: f.OfferID, Revision: f.Revision, City: f.City,
		PreviousLastDay: f.PreviousLastDay}
	if strings.HasPrefix(f.Source, "https://") || strings.HasPrefix(f.Source, "http://") {
		it.URL = f.Source
	}
	if s.links != nil {
		page, applied, notInterested := s.links.OfferLinks(sub, f.OfferID)
		it.Applied, it.NotInterested = applied, notInterested
		if it.URL == "" {
			it.URL = page
		}
	}
	return it
}

// retryDelay grows with each failed attempt: 5 min, 10, 20, ... up to 6 h.
func retryDelay(attempts int) time.Duration {
	d := 5 * time.Minute
	for i := 0; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// deliver sends a batch and records the outcome: the accepted messages all
// in one transaction (one commit per batch, not per message), then the
// failures. A crash between sending and recording repeats at most this
// batch, under the same Message-IDs.
func (s *Scheduler) deliver(ctx context.Context, batch []outgoing, now time.Time, rep *Report) error {
	msgs := make([]*gomail.Msg, len(batch))
	for i, o := range batch {
		msgs[i] = o.msg
	}
	errs := s.notifier.Send(ctx, msgs)
	var sent []store.SentMessage
	var report []Sent
	for i, o := range batch {
		if errs[i] == nil {
			id := s.notifier.MessageID(o.ids)
			sent = append(sent, store.SentMessage{IDs: o.ids, MessageID: "<" + id + ">"})
			report = append(report, Sent{To: o.to, Subject: o.sub, MessageID: id, Offers: o.oid})
		}
	}
	if len(sent) > 0 {
		if err := s.store.MarkSentBatch(ctx, sent, now); err != nil {
			return err
		}
		rep.Sent = append(rep.Sent, report...)
	}
	for i, o := range batch {
		if errs[i] == nil {
			continue
		}
		cause := errs[i].Error()
		if notify.Temporary(errs[i]) {
			retry := now.Add(retryDelay(o.due[0].Attempts))
			if err := s.store.RecordFailure(ctx, o.ids, cause, &retry); err != nil {
				return err
			}
			rep.Retrying += len(o.ids)
			s.log.Warn("send failed, will retry", "to", o.to, "retry_at", retry.Format(time.RFC3339), "error", errs[i])
			continue
		}
		if err := s.store.RecordFailure(ctx, o.ids, cause, nil); err != nil {
			return err
		}
		rep.Failed += len(o.ids)
		s.log.Error("send refused", "to", o.to, "error", errs[i])
	}
	return nil
}

// decision sorts due reminders into what to send and what to drop.
type decision struct {
	digests [][]store.Due // one per student, most urgent deadline first
	expired []int64
	skipped []int64
}

// Kinds of outbox rows.
const (
	kindReminder        = "reminder"
	kindNewOffer        = "new_offer"
	kindDeadlineChanged = "deadline_changed"
)

// decide is the pure part of a run. Reminders of an offer that has closed
// (or lost its deadline) expire, and so do notices of a closed offer; rows
// of students who stopped are skipped; of several reminders due for the
// same offer (after downtime) only the most urgent goes out. dues come
// grouped by subscriber, then by offer in deadline order, notices before
// reminders, reminders by growing offset.
func decide(dues []store.Due, now time.Time) decision {
	var d decision
	var cur []store.Due
	flush := func() {
		if len(cur) > 0 {
			d.digests = append(d.digests, cur)
			cur = nil
		}
	}
	reminded := map[[2]int64]bool{}
	for i, r := range dues {
		if i > 0 && dues[i-1].SubscriberID != r.SubscriberID {
			flush()
		}
		closed := !r.DeadlineAt.IsZero() && !now.Before(r.DeadlineAt)
		key := [2]int64{r.SubscriberID, r.OfferID}
		switch {
		case closed || r.Kind == kindReminder && r.DeadlineAt.IsZero():
			d.expired = append(d.expired, r.ID)
		case r.SubscriberState != store.StateActive || r.FollowStatus != store.Following:
			d.skipped = append(d.skipped, r.ID)
		case r.Kind == kindReminder && reminded[key]:
			d.skipped = append(d.skipped, r.ID)
		default:
			if r.Kind == kindReminder {
				reminded[key] = true
			}
			cur = append(cur, r)
		}
	}
	flush()
	return d
}

// cronLogger sends cron's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "error", err)...)
}

// ErrNothingDue is returned by Preview when the subscriber has nothing due.
var ErrNothingDue = errors.New("scheduler: nothing due")

// Preview builds the message that a run at now would send to the
// subscriber, without sending or recording anything: reminders not planned
// yet are planned in memory only.
func (s *Scheduler) Preview(ctx context.Context, subscriberID int64) (*gomail.Msg, error) {
	now := s.now()
	dues, err := s.store.DueReminders(ctx, now)
	if err != nil {
		return nil, err
	}
	var mine []store.Due
	for _, d := range dues {
		if d.SubscriberID == subscriberID {
			mine = append(mine, d)
		}
	}
	follows, err := s.store.Unplanned(ctx, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	byOffer := map[int64]store.Due{}
	for _, d := range mine {
		byOffer[d.OfferID] = d
	}
	for _, f := range follows {
		if f.SubscriberID != subscriberID {
			continue
		}
		offsets := f.Offsets
		if len(offsets) == 0 {
			offsets = s.offsets
		}
		for _, r := range plan(f, offsets, s.clock, now) {
			if r.State != store.ReminderPending || r.DueAt.After(now) {
				continue
			}
			d, ok := s.describe(ctx, byOffer, r)
			if !ok {
				continue
			}
			mine = append(mine, d)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool {
		a, b := mine[i], mine[j]
		if !a.DeadlineAt.Equal(b.DeadlineAt) {
			return a.DeadlineAt.Before(b.DeadlineAt)
		}
		if a.OfferID != b.OfferID {
			return a.OfferID < b.OfferID
		}
		return a.OffsetDays < b.OffsetDays
	})
	d := decide(mine, now)
	if len(d.digests) == 0 {
		return nil, ErrNothingDue
	}
	out, err := s.build(d.digests[0], now)
	if err != nil {
		return nil, err
	}
	return out.msg, nil
}

// describe fills a planned reminder with what a message needs, from a due
// row of the same offer or else from the store.
func (s *Scheduler) describe(ctx context.Context, known map[int64]store.Due, r store.NewReminder) (store.Due, bool) {
	d, ok := known[r.OfferID]
	if !ok {
		sub, err := s.store.SubscriberByID(ctx, r.SubscriberID)
		if err != nil {
			return store.Due{}, false
		}
		o, err := s.store.Offer(ctx, r.OfferID)
		if err != nil || o.Deadline.DueAt == nil {
			return store.Due{}, false
		}
		d = store.Due{SubscriberID: sub.ID, OfferID: o.ID, Email: sub.Email, Name: sub.Name, Lang: sub.Lang,
			SubscriberState: sub.State, FollowStatus: store.Following, Title: o.Title, Organisation: o.Organisation,
			Source: o.File, DeadlineKind: o.Deadline.Kind, DeadlinePhrase: o.Deadline.Phrase,
			LastDay: o.Deadline.LastDay, DeadlineAt: *o.Deadline.DueAt, Contacts: o.Contacts, Revision: o.Revision}
		if len(o.Places) > 0 {
			d.City = o.Places[0].City
		}
	}
	d.ID, d.Kind, d.OffsetDays, d.DueAt = 0, kindReminder, r.OffsetDays, r.DueAt
	return d, true
}
