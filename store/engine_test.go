package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func count(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDeadlineChangeReplans(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, _ := s.AddOffer(ctx, testOffer("v1", &due), t0)
	sid, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	follows, _ := s.Unplanned(ctx, 10)
	if err := s.SavePlan(ctx, follows, []NewReminder{{SubscriberID: sid, OfferID: added.ID, Revision: 1, OffsetDays: 2,
		DueAt: due.Add(-48 * time.Hour), State: ReminderPending}}, t0); err != nil {
		t.Fatal(err)
	}

	// The same file with a new text and a later deadline.
	later := due.Add(7 * 24 * time.Hour)
	v2 := testOffer("v2", &later)
	v2.Deadline.LastDay = "2025-11-06"
	res, err := s.AddOffer(ctx, v2, t0.Add(time.Hour))
	if err != nil || !res.Updated || !res.DeadlineChanged || res.ID != added.ID {
		t.Fatalf("update = %+v, %v", res, err)
	}
	if n := count(t, s, `SELECT count(*) FROM offers`); n != 1 {
		t.Errorf("%d offers after the update, want 1", n)
	}
	if n := count(t, s, `SELECT count(*) FROM reminders WHERE kind = 'reminder' AND state = 'skipped'`); n != 1 {
		t.Errorf("old pending reminder not dropped (%d skipped)", n)
	}
	if n := count(t, s, `SELECT count(*) FROM reminders WHERE kind = 'deadline_changed' AND revision = 2 AND state = 'pending'`); n != 1 {
		t.Errorf("%d deadline_changed notices, want 1", n)
	}
	follows, _ = s.Unplanned(ctx, 10)
	if len(follows) != 1 || follows[0].Revision != 2 || follows[0].LastDay != "2025-11-06" {
		t.Errorf("not re-planned: %+v", follows)
	}
	// A new text that keeps the deadline changes nothing else.
	v3 := testOffer("v3", &later)
	v3.Deadline.LastDay = "2025-11-06"
	if res, err := s.AddOffer(ctx, v3, t0.Add(2*time.Hour)); err != nil || !res.Updated || res.DeadlineChanged {
		t.Errorf("same deadline update = %+v, %v", res, err)
	}
}

func TestFollowStatusStopsReminders(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, _ := s.AddOffer(ctx, testOffer("a", &due), t0)
	sid, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", Offers: []int64{added.ID}}, t0)
	follows, _ := s.Unplanned(ctx, 10)
	s.SavePlan(ctx, follows, []NewReminder{{SubscriberID: sid, OfferID: added.ID, Revision: 1, DueAt: due.Add(-time.Hour), State: ReminderPending}}, t0)
	if err := s.Follow(ctx, "A@example.org", added.ID, Applied, t0); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM reminders WHERE state = 'pending'`); n != 0 {
		t.Errorf("%d reminders still pending after 'applied'", n)
	}
	if err := s.Follow(ctx, "a@example.org", 77, Following, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown offer: %v", err)
	}
	if err := s.Follow(ctx, "nobody@example.org", added.ID, Following, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown subscriber: %v", err)
	}
}

func TestImportKeepsGoodRows(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, _ := s.AddOffer(ctx, testOffer("a", &due), t0)
	subs := []Subscriber{
		{Email: "ok1@example.org", Offers: []int64{added.ID}, Searches: []string{"médiation 38"}},
		{Email: "bad"},
		{Email: "ok1@example.org"}, // duplicate in the file
		{Email: "ghost@example.org", Offers: []int64{99}}, // unknown offer: nothing of it stays
		{Email: "ok2@example.org", FollowAll: true},
	}
	_, errs, err := s.ImportSubscribers(ctx, subs, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true, true, true, false} {
		if (errs[i] != nil) != want {
			t.Errorf("row %d: err %v, want error %v", i, errs[i], want)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM subscribers`); n != 2 {
		t.Errorf("%d subscribers, want 2", n)
	}
	if n := count(t, s, `SELECT count(*) FROM subscriptions`); n != 2 {
		t.Errorf("%d subscriptions, want 2 (ghost's rolled back)", n)
	}
	ok1, _ := s.SubscriberByEmail(ctx, "ok1@example.org")
	if len(ok1.Searches) != 1 || ok1.Searches[0] != "médiation 38" {
		t.Errorf("searches = %q", ok1.Searches)
	}
}

func TestPermanentFailuresPause(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, _ := s.AddOffer(ctx, testOffer("a", &due), t0)
	sid, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	follows, _ := s.Unplanned(ctx, 10)
	var plan []NewReminder
	for i := 0; i < 4; i++ {
		plan = append(plan, NewReminder{SubscriberID: sid, OfferID: added.ID, Revision: 1, OffsetDays: i, DueAt: t0, State: ReminderPending})
	}
	s.SavePlan(ctx, follows, plan, t0)
	dues, _ := s.DueReminders(ctx, t0)
	for i, d := range dues[:PauseAfter] {
		if err := s.RecordFailure(ctx, []int64{d.ID}, "550 no such user", nil); err != nil {
			t.Fatal(err)
		}
		sub, _ := s.SubscriberByEmail(ctx, "a@example.org")
		if paused := sub.State == StatePaused; paused != (i == PauseAfter-1) {
			t.Fatalf("after %d refusals state = %s", i+1, sub.State)
		}
	}
	sub, _ := s.SubscriberByEmail(ctx, "a@example.org")
	if sub.StateReason == "" {
		t.Errorf("paused without a reason")
	}
}

func TestSaveMatchesNotifiesOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, _ := s.AddOffer(ctx, testOffer("a", &due), t0)
	sid, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", Searches: []string{"stage"}}, t0)
	unmatched, _ := s.UnmatchedOffers(ctx, 10)
	if len(unmatched) != 1 {
		t.Fatalf("unmatched = %d", len(unmatched))
	}
	m := []Match{{SubscriberID: sid, OfferID: added.ID}}
	if n, err := s.SaveMatches(ctx, []int64{added.ID}, m, t0); err != nil || n != 1 {
		t.Fatalf("first match: %d %v", n, err)
	}
	if n, err := s.SaveMatches(ctx, []int64{added.ID}, m, t0); err != nil || n != 0 {
		t.Fatalf("second match: %d notices %v, want 0", n, err)
	}
	if unmatched, _ := s.UnmatchedOffers(ctx, 10); len(unmatched) != 0 {
		t.Errorf("still unmatched: %d", len(unmatched))
	}
}
