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
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
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
	LinksToSend(ctx context.Context, limit int) ([]store.Subscriber, error)
	MarkLinkSent(ctx context.Context, id int64) error
	PurgeSignUps(ctx context.Context, now time.Time) error
	WeeklyDue(ctx context.Context, weekStart time.Time, afterID int64, limit int) ([]store.Subscriber, error)
	MarkWeeklySent(ctx context.Context, id int64, at time.Time, day string) error
	// Defer holds pending reminders until a later time.
	Defer(ctx context.Context, ids []int64, until time.Time) error
	FollowedOffers(ctx context.Context, id int64) ([]store.Followed, error)
	SearchesOf(ctx context.Context, id int64) ([]store.Search, error)
	ReviewQueue(ctx context.Context) ([]store.Reviewed, error)
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Notifier builds and delivers messages.
type Notifier interface {
	MessageID(ids []int64) string
	Build(r notify.Reminder) (*gomail.Msg, error)
	BuildConfirmation(c notify.Confirmation) (*gomail.Msg, error)
	ConfirmationID(subscriberID int64) string
	SummaryID(subscriberID int64, day string) string
	BuildReview(d notify.ReviewDigest) (*gomail.Msg, error)
	ReviewID(day string) string
	Send(ctx context.Context, msgs []*gomail.Msg) []error
}

// Linker writes the one-click links that messages carry, each bound to
// the student's link key.
type Linker interface {
	SubscriberLinks(subscriberID int64, key []byte) notify.Links
	// OfferLinks returns the offer's page and the links that stop its
	// reminders for this subscriber.
	OfferLinks(subscriberID int64, key []byte, offerID int64) (page, applied, notInterested string)
	// ConfirmLink is the link that confirms a pending subscription.
	ConfirmLink(subscriberID int64, key []byte) string
	// StopSearchLink is the link that deletes one saved search.
	StopSearchLink(subscriberID int64, key []byte, searchID int64) string
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
	// maxPerDay bounds the emails of one student's local day.
	maxPerDay int
	now       func() time.Time
	log       *slog.Logger
	links     Linker
	// reviewTo, reviewLang and reviewLinks send the review email.
	reviewTo    []string
	reviewLang  string
	reviewLinks ReviewLinker
	// weekly is the day of the weekly summary; hasWeekly is false when off.
	weekly    time.Weekday
	hasWeekly bool
	running   sync.Mutex
	ops       ops
	// wake asks the loop for the confirmation pass now (a student just
	// signed up); webMailing keeps that pass and a run's from sending the
	// same message twice.
	wake       chan struct{}
	webMailing sync.Mutex
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
	maxPerDay := rem.MaxPerDay
	if maxPerDay < 1 {
		maxPerDay = 1
	}
	s := &Scheduler{store: st, notifier: n, ingest: ingest, sched: sched, offsets: offsets,
		clock: Clock{Hour: h, Minute: m, Location: sched.Location, BusinessDays: rem.BusinessDays}, batch: batch,
		maxPerDay: maxPerDay, now: now, log: log, wake: make(chan struct{}, 1)}
	s.weekly, s.hasWeekly = rem.Weekday()
	s.opsInit()
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
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.wakeLoop(ctx, jobCtx)
	}()
	s.log.Info("scheduler started", "schedule", s.sched.Reminders, "timezone", s.sched.Location.String(),
		"next_run", c.Entry(id).Next.Format(time.RFC3339))
	s.cronStarted(c, id, job)
	defer s.cronStopped()

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
	case <-time.After(s.shutdownTimeout()):
		jobCancel()
		s.log.Error("scheduler gave up waiting for the running job", "timeout", s.shutdownTimeout())
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
	start := time.Now()
	s.runStarted(s.now())
	defer func() {
		if v := recover(); v != nil {
			s.runFinished(Report{}, time.Since(start), true)
			s.log.Error("run panicked", "job", "reminders", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	rep, err := s.runOnce(ctx)
	s.runFinished(rep, time.Since(start), err != nil)
	args := []any{"job", "reminders", "now", rep.Now.In(s.sched.Location).Format(time.RFC3339), "planned", rep.Planned,
		"sent", len(rep.Sent), "expired", rep.Expired, "skipped", rep.Skipped, "retrying", rep.Retrying,
		"failed", rep.Failed, "held", rep.Held, "new_offer_matches", rep.Matched, "confirmations", rep.Confirmations, "weekly_summaries", rep.Summaries,
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
	// MessagesRetrying and MessagesFailed count the emails behind
	// Retrying and Failed (which count outbox rows).
	MessagesRetrying int
	MessagesFailed   int
	// Held counts reminders held until the next day: their students had
	// their emails for the day (reminders.max_per_day).
	Held int
	// Confirmations counts double opt-in messages sent.
	Confirmations int
	// ManageLinks counts the "manage my reminders" links sent on request.
	ManageLinks int
	// Summaries counts weekly summaries sent.
	Summaries int
	// Reviews counts the offers listed in the review email sent.
	Reviews int
	// mailed holds the students this run has sent a reminder email to.
	mailed map[int64]bool
}

// Sent is one message the relay accepted.
type Sent struct {
	To        string
	Subject   string
	MessageID string
	Offers    []int64
}

func (s *Scheduler) runOnce(ctx context.Context) (Report, error) {
	// One pace and one set of connections for the whole run: a relay's
	// "slow down" holds for every batch.
	ctx, closeConns := notify.StartRun(ctx)
	defer closeConns()
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
	if err := s.webMail(ctx, now, &rep); err != nil {
		return rep, err
	}
	if err := s.sendWeekly(ctx, now, &rep); err != nil {
		return rep, err
	}
	err = s.sendReview(ctx, now, &rep)
	return rep, err
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

// cronLogger sends cron's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "error", err)...)
}
