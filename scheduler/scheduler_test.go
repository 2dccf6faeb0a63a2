package scheduler

import (
	"context"
	"io"
	"log/slog"
	"net/textproto"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/catalog"
	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

// mustCatalog loads the catalogue of words of the messages.
func mustCatalog() *catalog.Catalog {
	c, err := catalog.Load()
	if err != nil {
		panic(err)
	}
	return c
}

// recorder builds messages with the real mailer and records what would be
// sent; fail decides the outcome of each send.
type recorder struct {
	*notify.Mailer
	mu   sync.Mutex
	sent []*gomail.Msg
	fail func(to string) error
}

func (r *recorder) Send(_ context.Context, msgs []*gomail.Msg) []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		to := m.GetToString()[0]
		if r.fail != nil {
			if errs[i] = r.fail(to); errs[i] != nil {
				continue
			}
		}
		r.sent = append(r.sent, m)
	}
	return errs
}

type fixture struct {
	st    *store.Store
	rec   *recorder
	sched *Scheduler
	now   time.Time
	loc   *time.Location
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, func(*config.Config) {})
}

func newFixtureWith(t *testing.T, edit func(*config.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	edit(&cfg)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := notify.New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Site, mustCatalog(), cfg.Schedule.Location, []byte("0123456789abcdef0123456789abcdef"), log)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, rec: &recorder{Mailer: m}, loc: cfg.Schedule.Location}
	f.sched, err = New(st, f.rec, nil, cfg.Schedule, cfg.Reminders, func() time.Time { return f.now }, log)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) addOffer(t *testing.T, text, org, lastDay string) int64 {
	t.Helper()
	last, err := time.ParseInLocation("2006-01-02", lastDay, f.loc)
	if err != nil {
		t.Fatal(err)
	}
	due := last.AddDate(0, 0, 1)
	o := offer.Offer{File: text + ".txt", Title: "Stage " + text, Organisation: org, Text: text,
		Contacts: []string{"rh@" + strings.ToLower(org) + ".fr"},
		Deadline: offer.Deadline{Kind: offer.KindExplicit, Date: due.Format("2006-01-02"), LastDay: lastDay,
			DueAt: &due, Phrase: "avant le " + due.Format("2 January 2006")}}
	res, err := f.st.AddOffer(context.Background(), o, f.now)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID
}

// at reads a local time.
func (f *fixture) at(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, f.loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func (f *fixture) tick(t *testing.T, at string) Report {
	t.Helper()
	f.now = f.at(t, at)
	rep, err := f.sched.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("run at %s: %v", at, err)
	}
	return rep
}

func TestRunSendsDigestOnceEach(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	f.addOffer(t, "a", "Cosmocite", "2025-10-30")
	f.addOffer(t, "b", "Casemate", "2025-10-30")
	if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "alice@example.org", FollowAll: true}, f.now); err != nil {
		t.Fatal(err)
	}

	if rep := f.tick(t, "2025-10-23 07:59"); len(rep.Sent) != 0 || rep.Planned != 6 {
		t.Fatalf("before 08:00: sent %d planned %d, want 0 and 6", len(rep.Sent), rep.Planned)
	}
	rep := f.tick(t, "2025-10-23 08:00")
	if len(rep.Sent) != 1 || len(rep.Sent[0].Offers) != 2 {
		t.Fatalf("at 08:00: %+v, want one digest about two offers", rep.Sent)
	}
	if rep := f.tick(t, "2025-10-23 08:10"); len(rep.Sent) != 0 {
		t.Fatalf("second run sent again: %+v", rep.Sent)
	}

	// Downtime from the 24th to the 30th at 09:00: the 2d and 0d reminders
	// are both overdue; only the most urgent goes out, once.
	rep = f.tick(t, "2025-10-30 09:00")
	if len(rep.Sent) != 1 || rep.Skipped != 2 {
		t.Fatalf("after downtime: sent %+v skipped %d, want one digest and 2 skipped", rep.Sent, rep.Skipped)
	}
	var body strings.Builder
	if _, err := f.rec.sent[1].WriteTo(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body.String(), "aujourd'hui le dernier jour") || strings.Contains(body.String(), "J-2") {
		t.Errorf("the last-day message does not say the real time left:\n%s", body.String())
	}
	counts, _ := f.st.ReminderCounts(ctx)
	if counts[store.ReminderSent] != 4 || counts[store.ReminderPending] != 0 {
		t.Errorf("counts = %v, want 4 sent (2 digests x 2 offers), none pending", counts)
	}
}

func TestRunExpiresAfterDeadline(t *testing.T) {
	f := newFixture(t)
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	f.addOffer(t, "a", "Cosmocite", "2025-10-30")
	if _, err := f.st.AddSubscriber(context.Background(), store.Subscriber{Email: "a@example.org", FollowAll: true}, f.now); err != nil {
		t.Fatal(err)
	}
	f.tick(t, "2025-10-02 12:00")
	rep := f.tick(t, "2025-11-02 12:00")
	if len(rep.Sent) != 0 || rep.Expired != 3 {
		t.Errorf("after the deadline: sent %d expired %d, want 0 and 3: every reminder of a closed offer expires", len(rep.Sent), rep.Expired)
	}
}

// tempErr is a failure worth retrying.
type tempErr struct{}

func (tempErr) Error() string { return "dial tcp 127.0.0.1:1: connection refused" }

func TestRunRetriesTemporaryAndFailsPermanent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	f.addOffer(t, "a", "Cosmocite", "2025-10-30")
	for _, e := range []string{"temp@example.org", "perm@example.org"} {
		if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: e, FollowAll: true, Offsets: []int{7}}, f.now); err != nil {
			t.Fatal(err)
		}
	}
	down := true
	f.rec.fail = func(to string) error {
		if to == "<perm@example.org>" {
			return &textproto.Error{Code: 550, Msg: "5.1.1 mailbox unknown"}
		}
		if down {
			return tempErr{}
		}
		return nil
	}
	rep := f.tick(t, "2025-10-23 08:00")
	if rep.Retrying != 1 || rep.Failed != 1 || len(rep.Sent) != 0 {
		t.Fatalf("outage: %+v", rep)
	}
	if rep := f.tick(t, "2025-10-23 08:04"); rep.Retrying != 0 || len(rep.Sent) != 0 {
		t.Fatalf("retried before its delay: %+v", rep)
	}
	down = false
	rep = f.tick(t, "2025-10-23 08:06")
	if len(rep.Sent) != 1 || rep.Sent[0].To != "temp@example.org" {
		t.Fatalf("after the outage: %+v", rep)
	}
	counts, _ := f.st.ReminderCounts(ctx)
	if counts[store.ReminderFailed] != 1 || counts[store.ReminderSent] != 1 {
		t.Errorf("counts = %v", counts)
	}
}

// TestDSTDaysAndClockJumps runs the job every 10 minutes through the night
// of each daylight saving change of 2025 and 2026 in Europe/Paris, then
// moves the clock back and forth: each reminder goes out exactly once, at
// 08:00 local time, never early.
func TestDSTDaysAndClockJumps(t *testing.T) {
	for _, lastDay := range []string{"2025-03-30", "2025-10-26", "2026-03-29", "2026-10-25"} {
		t.Run(lastDay, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			f.now = time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
			f.addOffer(t, "a", "Cosmocite", lastDay)
			if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "a@example.org", FollowAll: true, Offsets: []int{0}}, f.now); err != nil {
				t.Fatal(err)
			}
			last, _ := time.ParseInLocation("2006-01-02", lastDay, f.loc)
			start := last.Add(-2 * time.Hour) // 22:00 the evening before
			var sentAt []time.Time
			for at := start; at.Before(last.Add(14 * time.Hour)); at = at.Add(10 * time.Minute) {
				f.now = at
				rep, err := f.sched.RunOnce(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for range rep.Sent {
					sentAt = append(sentAt, at)
				}
			}
			if len(sentAt) != 1 {
				t.Fatalf("sent %d times (%v), want once", len(sentAt), sentAt)
			}
			if got := sentAt[0].In(f.loc).Format("15:04"); got != "08:00" {
				t.Errorf("sent at %s local, want 08:00", got)
			}
			// The wall clock jumps back an hour, then forward a day: nothing again.
			for _, jump := range []time.Duration{-time.Hour, 24 * time.Hour} {
				f.now = sentAt[0].Add(jump)
				if rep, _ := f.sched.RunOnce(ctx); len(rep.Sent) != 0 {
					t.Errorf("after a clock jump of %v: sent again", jump)
				}
			}
		})
	}
}

// TestWeeklySummary: on the weekly day at the send time, a student who asked
// for it gets one message listing the offers whose last day falls within the
// seven days ahead; once a week, caught up after downtime.
func TestWeeklySummary(t *testing.T) {
	f := newFixtureWith(t, func(c *config.Config) { c.Reminders.WeeklyDay = "lundi" })
	ctx := context.Background()
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	f.addOffer(t, "a", "Cosmocite", "2025-10-22") // Wednesday of the week of Monday 20 October
	f.addOffer(t, "b", "Casemate", "2025-10-26")  // Sunday of that week
	f.addOffer(t, "c", "Museum", "2025-10-27")    // the next Monday: not this week
	for _, sub := range []store.Subscriber{
		{Email: "weekly@example.org", FollowAll: true, Weekly: true, Offsets: []int{30}},
		{Email: "plain@example.org", FollowAll: true, Offsets: []int{30}},
	} {
		if _, err := f.st.AddSubscriber(ctx, sub, f.now); err != nil {
			t.Fatal(err)
		}
	}
	f.tick(t, "2025-10-02 12:00") // plans; the 30-day reminders are already past
	if rep := f.tick(t, "2025-10-20 07:59"); rep.Summaries != 0 {
		t.Fatalf("summary before the send time: %+v", rep)
	}
	rep := f.tick(t, "2025-10-20 08:00")
	if rep.Summaries != 1 || len(rep.Sent) != 0 {
		t.Fatalf("Monday 08:00: %+v, want one summary", rep)
	}
	var body strings.Builder
	f.rec.sent[len(f.rec.sent)-1].WriteTo(&body)
	msg := body.String()
	if !strings.Contains(msg, "weekly@example.org") || !strings.Contains(msg, "Stage a") || !strings.Contains(msg, "Stage b") || strings.Contains(msg, "Stage c") {
		t.Errorf("summary holds the wrong offers:\n%s", msg)
	}
	if rep := f.tick(t, "2025-10-20 09:00"); rep.Summaries != 0 {
		t.Errorf("a second summary the same week: %+v", rep)
	}
	// Down all of the next Monday; the Tuesday run catches up, with only
	// what is still open (c closed at the end of Monday 27th).
	// d is followed late: its J-2 reminder goes at once, and the summary,
	// one email per run, at the next run.
	f.addOffer(t, "d", "Theatre", "2025-10-30")
	rep = f.tick(t, "2025-10-28 10:00")
	if rep.Summaries != 0 || len(rep.Sent) != 2 {
		t.Fatalf("catch-up on Tuesday: %+v, want the two reminders and no summary in the same run", rep)
	}
	rep = f.tick(t, "2025-10-28 10:10")
	if rep.Summaries != 1 || len(rep.Sent) != 0 {
		t.Fatalf("the run after: %+v, want the summary", rep)
	}
	body.Reset()
	f.rec.sent[len(f.rec.sent)-1].WriteTo(&body)
	if msg := body.String(); !strings.Contains(msg, "Stage d") || strings.Contains(msg, "Stage c") {
		t.Errorf("catch-up summary:\n%s", msg)
	}
}

// blocking sends only when released, and can panic instead.
type blocking struct {
	*notify.Mailer
	entered chan struct{}
	release chan struct{}
	panics  bool
}

func (b *blocking) Send(ctx context.Context, msgs []*gomail.Msg) []error {
	close(b.entered)
	if b.panics {
		panic("relay exploded")
	}
	<-b.release
	return make([]error, len(msgs))
}

func runFixture(t *testing.T, b *blocking, timeout time.Duration) (*fixture, *Scheduler, *strings.Builder) {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	f.addOffer(t, "a", "Cosmocite", "2025-10-30")
	if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "a@example.org", FollowAll: true, Offsets: []int{7}}, f.now); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2025, 10, 23, 9, 0, 0, 0, f.loc)
	b.Mailer = f.rec.Mailer
	cfg, _ := config.Default()
	cfg.Schedule.ShutdownTimeout.Duration = timeout
	logs := &strings.Builder{}
	s, err := New(f.st, b, nil, cfg.Schedule, cfg.Reminders, func() time.Time { return f.now },
		slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return f, s, logs
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestStopLetsTheRunningJobFinish: SIGTERM (ctx cancelled) while the
// start-up run is sending; Run waits, and the reminder is recorded as sent.
func TestStopLetsTheRunningJobFinish(t *testing.T) {
	b := &blocking{entered: make(chan struct{}), release: make(chan struct{})}
	f, s, _ := runFixture(t, b, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-b.entered
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while a job was sending")
	case <-time.After(200 * time.Millisecond):
	}
	close(b.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	counts, _ := f.st.ReminderCounts(context.Background())
	if counts[store.ReminderSent] != 1 {
		t.Errorf("counts after stop = %v, want the in-flight reminder sent", counts)
	}
}

// TestStopGivesUpAfterTimeout: a job stuck past schedule.shutdown_timeout
// does not hold the daemon.
func TestStopGivesUpAfterTimeout(t *testing.T) {
	b := &blocking{entered: make(chan struct{}), release: make(chan struct{})}
	defer close(b.release)
	_, s, logs := runFixture(t, b, 100*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-b.entered
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not give up")
	}
	if !strings.Contains(logs.String(), "gave up waiting") {
		t.Errorf("log: %s", logs)
	}
}

// TestPanicDoesNotKillTheDaemon: a run that panics is logged, and the
// daemon keeps serving until stopped.
func TestPanicDoesNotKillTheDaemon(t *testing.T) {
	b := &blocking{entered: make(chan struct{}), release: make(chan struct{}), panics: true}
	_, s, logs := runFixture(t, b, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-b.entered
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Run ended after a panic: %v", err)
	default:
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "run panicked") || !strings.Contains(logs.String(), "relay exploded") {
		t.Errorf("log: %s", logs)
	}
}
