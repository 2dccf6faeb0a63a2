package store

import (
	"context"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
)

// estimatedOffer states no deadline: one was estimated, which a policy
// holds.
func estimatedOffer(text string, due time.Time) offer.Offer {
	o := testOffer(text, &due)
	o.Deadline.Kind, o.Deadline.Phrase, o.Deadline.Basis = offer.KindEstimated, "", "start"
	return o
}

func holdEstimates(o offer.Offer) (bool, []string) {
	if o.Deadline.Kind == offer.KindEstimated {
		return true, []string{"estimated"}
	}
	return false, nil
}

// TestReviewHoldsReminders: an offer the policy holds has its reminders
// planned but not due until it is confirmed; those whose time passed
// while it waited expire at the confirmation, the next one ahead stays.
func TestReviewHoldsReminders(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	s.SetReviewPolicy(holdEstimates)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	heldOffer := estimatedOffer("held", due)
	heldOffer.File = "held.txt"
	held, err := s.AddOffer(ctx, heldOffer, t0)
	if err != nil {
		t.Fatal(err)
	}
	sure, _ := s.AddOffer(ctx, testOffer("sure", &due), t0)
	sid, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	if q, err := s.ReviewQueue(ctx); err != nil || len(q) != 1 || q[0].ID != held.ID || len(q[0].Reasons) != 1 || q[0].Reasons[0] != "estimated" {
		t.Fatalf("queue = %+v, %v", q, err)
	}
	follows, _ := s.Unplanned(ctx, 10)
	var plan []NewReminder
	for _, f := range follows {
		plan = append(plan,
			NewReminder{SubscriberID: sid, OfferID: f.OfferID, OffsetDays: 7, DueAt: t0.Add(time.Hour), State: ReminderPending},
			NewReminder{SubscriberID: sid, OfferID: f.OfferID, OffsetDays: 2, DueAt: t0.Add(96 * time.Hour), State: ReminderPending})
	}
	if err := s.SavePlan(ctx, follows, plan, t0); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(2 * time.Hour)
	due1, err := s.DueReminders(ctx, at)
	if err != nil || len(due1) != 1 || due1[0].OfferID != sure.ID {
		t.Fatalf("due while held = %+v, %v; want only the sure offer's", due1, err)
	}
	st, _ := s.Status(ctx, at, t0)
	if st.ToReview != 1 {
		t.Errorf("status to review = %d", st.ToReview)
	}
	expired, err := s.ConfirmOffer(ctx, held.ID, "test", at)
	if err != nil || expired != 1 {
		t.Fatalf("confirm: %d expired, %v; want the 7-day one", expired, err)
	}
	if d, _ := s.DueReminders(ctx, at); len(d) != 1 || d[0].OfferID != sure.ID {
		t.Errorf("a held reminder past its time went out after the confirmation: %+v", d)
	}
	if d, _ := s.DueReminders(ctx, t0.Add(97*time.Hour)); len(d) != 3 {
		t.Errorf("due at the 2-day reminders: %d rows, want the sure offer's two and the held one's next", len(d))
	}
	if q, _ := s.ReviewQueue(ctx); len(q) != 0 {
		t.Errorf("still in the queue: %+v", q)
	}
	if state, _, _ := s.ReviewState(ctx, held.ID); state != ReviewConfirmed {
		t.Errorf("state = %s", state)
	}
}

// TestReviewAgainOnNewDeadline: a confirmed offer whose text moves its
// deadline to an uncertain one waits again; a closed held offer's
// reminders come back to be expired.
func TestReviewAgainOnNewDeadline(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	s.SetReviewPolicy(holdEstimates)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	o := testOffer("v1", &due)
	o.File = "same.txt"
	first, _ := s.AddOffer(ctx, o, t0)
	if state, _, _ := s.ReviewState(ctx, first.ID); state != ReviewNone {
		t.Fatalf("a sure offer: %s", state)
	}
	later := due.AddDate(0, 0, 7)
	v2 := estimatedOffer("v2", later)
	v2.File = "same.txt"
	if r, err := s.AddOffer(ctx, v2, t0.Add(time.Hour)); err != nil || r.ID != first.ID || !r.DeadlineChanged {
		t.Fatalf("update: %+v %v", r, err)
	}
	if state, _, _ := s.ReviewState(ctx, first.ID); state != ReviewPending {
		t.Errorf("after an uncertain new deadline: %s", state)
	}
	// A new text that settles it (the same date, now stated) releases it.
	v3 := testOffer("v3", &later)
	v3.File, v3.Deadline.LastDay = "same.txt", v2.Deadline.LastDay
	if _, err := s.AddOffer(ctx, v3, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if state, _, _ := s.ReviewState(ctx, first.ID); state != ReviewNone {
		t.Errorf("after a sure text with the same date: %s", state)
	}
	// Off: nothing waits.
	s.SetReviewPolicy(nil)
	r, _ := s.AddOffer(ctx, estimatedOffer("v4", later), t0)
	if state, _, _ := s.ReviewState(ctx, r.ID); state != ReviewNone {
		t.Errorf("with no policy: %s", state)
	}
}

func TestSetNoDeadline(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	s.SetReviewPolicy(holdEstimates)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	r, _ := s.AddOffer(ctx, estimatedOffer("x", due), t0)
	sid, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	follows, _ := s.Unplanned(ctx, 10)
	s.SavePlan(ctx, follows, []NewReminder{{SubscriberID: sid, OfferID: r.ID, OffsetDays: 2, DueAt: t0.Add(time.Hour), State: ReminderPending}}, t0)
	if err := s.SetNoDeadline(ctx, r.ID, "test", t0); err != nil {
		t.Fatal(err)
	}
	o, _ := s.Offer(ctx, r.ID)
	if o.Deadline.Kind != offer.KindNone || o.Deadline.DueAt != nil || o.Revision != 2 {
		t.Errorf("offer after --none: %+v rev %d", o.Deadline, o.Revision)
	}
	if d, _ := s.DueReminders(ctx, t0.Add(2*time.Hour)); len(d) != 0 {
		t.Errorf("due after --none: %+v (nobody had a reminder, so nobody is told)", d)
	}
	if state, _, _ := s.ReviewState(ctx, r.ID); state != ReviewConfirmed {
		t.Errorf("state = %s", state)
	}
	if err := s.SetNoDeadline(ctx, 999, "test", t0); err == nil {
		t.Error("an unknown offer")
	}
}

// TestArchivedLeavesReviewQueue: an offer archived while it waits for
// review is no longer asked about, in the queue or in the status count.
func TestArchivedLeavesReviewQueue(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	s.SetReviewPolicy(holdEstimates)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	o := estimatedOffer("held then filled", due)
	o.File = "held.txt"
	held, err := s.AddOffer(ctx, o, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := s.ReviewQueue(ctx); len(q) != 1 {
		t.Fatalf("queue before archiving: %+v", q)
	}
	if err := s.ArchiveOffer(ctx, held.ID, "test", t0); err != nil {
		t.Fatal(err)
	}
	if q, _ := s.ReviewQueue(ctx); len(q) != 0 {
		t.Errorf("an archived offer is still to review: %+v", q)
	}
	if st, _ := s.Status(ctx, t0, t0); st.ToReview != 0 {
		t.Errorf("status to review = %d, want 0", st.ToReview)
	}
}
