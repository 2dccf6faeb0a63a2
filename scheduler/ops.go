package scheduler

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/echeance/echeance/config"
)

// This file holds what operations see of the scheduler: counts of what runs
// did (for the metrics), whether the cron loop is alive (for the watchdog),
// whether runs are on time (for the health check), and a new configuration
// applied without a restart (SIGHUP).

// Stats counts what the runs of this process did. Messages are counted one
// per email; Expired and Skipped count outbox rows.
type Stats struct {
	Runs      int64
	RunErrors int64
	// LastRun is when the latest run started (by the scheduler's clock);
	// zero before the first. Running says it has not finished yet.
	LastRun         time.Time
	Running         bool
	LastRunDuration time.Duration
	// RunSeconds adds up the duration of every finished run.
	RunSeconds float64

	Sent          int64
	Confirmations int64
	Summaries     int64
	// TempFailures are messages put off for a later run (4xx, relay down);
	// PermFailures those refused for good (5xx about the message).
	TempFailures int64
	PermFailures int64
	Expired      int64
	Skipped      int64
}

// ops is the scheduler's state for operations, guarded by mu.
type ops struct {
	mu    sync.Mutex
	stats Stats
	// cron, entry and job are set while Run runs.
	cron  *cron.Cron
	entry cron.EntryID
	job   func()
	// started is closed once Run has started cron.
	started chan struct{}
	stopped bool
}

func (s *Scheduler) opsInit() { s.ops.started = make(chan struct{}) }

// Started is closed once Run has started cron and the catch-up run.
func (s *Scheduler) Started() <-chan struct{} { return s.ops.started }

func (s *Scheduler) cronStarted(c *cron.Cron, id cron.EntryID, job func()) {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	s.ops.cron, s.ops.entry, s.ops.job = c, id, job
	close(s.ops.started)
}

func (s *Scheduler) cronStopped() {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	s.ops.stopped = true
}

func (s *Scheduler) shutdownTimeout() time.Duration {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	return s.sched.ShutdownTimeout.Duration
}

// runStarted and runFinished keep Stats up to date around each run.
func (s *Scheduler) runStarted(at time.Time) {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	s.ops.stats.LastRun, s.ops.stats.Running = at, true
}

func (s *Scheduler) runFinished(rep Report, took time.Duration, failed bool) {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	st := &s.ops.stats
	st.Running = false
	st.Runs++
	if failed {
		st.RunErrors++
	}
	st.LastRunDuration = took
	st.RunSeconds += took.Seconds()
	st.Sent += int64(len(rep.Sent))
	st.Confirmations += int64(rep.Confirmations)
	st.Summaries += int64(rep.Summaries)
	st.TempFailures += int64(rep.MessagesRetrying)
	st.PermFailures += int64(rep.MessagesFailed)
	st.Expired += int64(rep.Expired)
	st.Skipped += int64(rep.Skipped)
}

// Stats returns the counts so far.
func (s *Scheduler) Stats() Stats {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	return s.ops.stats
}

// Alive reports whether the cron loop still runs: Run has started and not
// stopped, and cron has moved its next wake-up past realNow, less a minute
// of slack (cron moves it each time it fires, so a stuck loop leaves it in
// the past). realNow is the wall clock, which cron goes by.
func (s *Scheduler) Alive(realNow time.Time) error {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	switch {
	case s.ops.cron == nil:
		return errors.New("scheduler: not started")
	case s.ops.stopped:
		return errors.New("scheduler: stopped")
	}
	next := s.ops.cron.Entry(s.ops.entry).Next
	if next.Before(realNow.Add(-time.Minute)) {
		return fmt.Errorf("scheduler: cron is stuck: its next run (%s) is past", next.Format(time.RFC3339))
	}
	return nil
}

// OnTime reports whether runs keep to the schedule at now: the latest run
// started no longer ago than two schedule intervals (a run still going
// that long counts as late too).
func (s *Scheduler) OnTime(now time.Time) error {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	last := s.ops.stats.LastRun
	if last.IsZero() {
		return errors.New("scheduler: no run yet")
	}
	spec, err := config.ParseCron(s.sched.Reminders)
	if err != nil {
		return fmt.Errorf("scheduler: schedule.reminders: %w", err)
	}
	local := last.In(s.sched.Location)
	if late := spec.Next(spec.Next(local)); now.After(late) {
		what := "the last run started"
		if s.ops.stats.Running {
			what = "the run still going started"
		}
		return fmt.Errorf("scheduler: %s at %s, more than two schedule intervals (%s) ago", what,
			local.Format(time.RFC3339), s.sched.Reminders)
	}
	return nil
}

// Reconfigure applies a new schedule, reminder settings, notifier and inbox
// reader without a restart. It waits for a running job to finish, so a run
// never mixes two configurations. The time zone stays the one Run started
// with (sched.Location is ignored). It returns the next run.
func (s *Scheduler) Reconfigure(sched config.Schedule, rem config.Reminders, n Notifier, ingest IngestFunc) (time.Time, error) {
	if _, err := config.ParseCron(sched.Reminders); err != nil {
		return time.Time{}, fmt.Errorf("scheduler: schedule.reminders %q: %w", sched.Reminders, err)
	}
	s.running.Lock()
	defer s.running.Unlock()
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	sched.Location = s.sched.Location
	if s.ops.cron != nil && sched.Reminders != s.sched.Reminders {
		id, err := s.ops.cron.AddFunc(sched.Reminders, s.ops.job)
		if err != nil {
			return time.Time{}, fmt.Errorf("scheduler: schedule.reminders %q: %w", sched.Reminders, err)
		}
		s.ops.cron.Remove(s.ops.entry)
		s.ops.entry = id
	}
	h, m := rem.SendClock()
	offsets := make([]int, len(rem.Offsets))
	for i, o := range rem.Offsets {
		offsets[i] = int(o)
	}
	s.sched, s.offsets = sched, offsets
	s.clock = Clock{Hour: h, Minute: m, Location: sched.Location, BusinessDays: rem.BusinessDays}
	if rem.BatchSize >= 1 {
		s.batch = rem.BatchSize
	}
	if rem.MaxPerDay >= 1 {
		s.maxPerDay = rem.MaxPerDay
	}
	s.weekly, s.hasWeekly = rem.Weekday()
	s.notifier, s.ingest = n, ingest
	if s.ops.cron == nil {
		return time.Time{}, nil
	}
	return s.ops.cron.Entry(s.ops.entry).Next, nil
}
