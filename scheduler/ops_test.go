package scheduler

import (
	"context"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/store"
)

func TestStatsCountWhatRunsDid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	f.addOffer(t, "a", "Cosmocite", "2025-10-30")
	for _, e := range []string{"ok@example.org", "temp@example.org", "perm@example.org", "ok2@example.org"} {
		if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: e, FollowAll: true, Offsets: []int{7}}, f.now); err != nil {
			t.Fatal(err)
		}
	}
	f.rec.fail = func(to string) error {
		switch to {
		case "<perm@example.org>":
			return &textproto.Error{Code: 550, Msg: "5.1.1 mailbox unknown"}
		case "<temp@example.org>":
			return tempErr{}
		}
		return nil
	}
	f.now = time.Date(2025, 10, 23, 8, 0, 0, 0, f.loc)
	f.sched.runJob(ctx)
	got := f.sched.Stats()
	if got.Runs != 1 || got.RunErrors != 0 || got.Sent != 2 || got.TempFailures != 1 || got.PermFailures != 1 ||
		!got.LastRun.Equal(f.now) || got.Running {
		t.Errorf("stats after one run = %+v", got)
	}
	// After the deadline, the pending retry expires.
	f.now = time.Date(2025, 11, 2, 8, 0, 0, 0, f.loc)
	f.sched.runJob(ctx)
	if got := f.sched.Stats(); got.Runs != 2 || got.Expired != 1 || got.Sent != 2 {
		t.Errorf("stats after the deadline = %+v", got)
	}
}

func TestOnTime(t *testing.T) {
	f := newFixture(t) // schedule */10 * * * *
	if err := f.sched.OnTime(time.Now()); err == nil {
		t.Errorf("on time before any run")
	}
	at := time.Date(2025, 10, 23, 10, 0, 0, 0, f.loc)
	f.sched.runStarted(at)
	for _, tc := range []struct {
		now  time.Time
		late bool
	}{
		{at.Add(5 * time.Minute), false},
		{at.Add(20 * time.Minute), false}, // two runs missed would be 10:20 and later
		{at.Add(20*time.Minute + time.Second), true},
	} {
		err := f.sched.OnTime(tc.now)
		if (err != nil) != tc.late {
			t.Errorf("at %s: %v, want late %v", tc.now.Format("15:04:05"), err, tc.late)
		}
		if err != nil && !strings.Contains(err.Error(), "still going") {
			t.Errorf("a run that has not finished is not said to be still going: %v", err)
		}
	}
	f.sched.runFinished(Report{}, time.Second, false)
	if err := f.sched.OnTime(at.Add(time.Hour)); err == nil || strings.Contains(err.Error(), "still going") {
		t.Errorf("an hour after a finished run: %v", err)
	}
}

// TestRunAliveAndReconfigure runs the scheduler for real (cron included),
// changes its schedule while it runs, and stops it.
func TestRunAliveAndReconfigure(t *testing.T) {
	f := newFixture(t)
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	if err := f.sched.Alive(time.Now()); err == nil {
		t.Errorf("alive before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.sched.Run(ctx) }()
	<-f.sched.Started()
	if err := f.sched.Alive(time.Now()); err != nil {
		t.Errorf("alive while running: %v", err)
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Schedule.Reminders = "@every 1h"
	cfg.Reminders.BatchSize = 7
	next, err := f.sched.Reconfigure(cfg.Schedule, cfg.Reminders, f.rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(next); d < 59*time.Minute || d > time.Hour {
		t.Errorf("next run after the new schedule: in %s, want an hour", d)
	}
	if f.sched.batch != 7 {
		t.Errorf("batch size not applied: %d", f.sched.batch)
	}
	cfg.Schedule.Reminders = "61 * * * *"
	if _, err := f.sched.Reconfigure(cfg.Schedule, cfg.Reminders, f.rec, nil); err == nil {
		t.Errorf("a bad cron spec was applied")
	}
	// A wall clock far ahead: cron's next wake-up is then in the past.
	if err := f.sched.Alive(time.Now().Add(3 * time.Hour)); err == nil || !strings.Contains(err.Error(), "stuck") {
		t.Errorf("alive with cron's next run three hours past: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := f.sched.Alive(time.Now()); err == nil {
		t.Errorf("alive after Run returned")
	}
}
