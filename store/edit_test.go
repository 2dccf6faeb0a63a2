package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestEditSubscriber: new offsets replan the pending reminders (none sent
// twice), a search follows the stored offers it matches, another student's
// search is not removed, bad values change nothing, and an unsubscribed
// student cannot be edited back.
func TestEditSubscriber(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	o1, _ := s.AddOffer(ctx, testOffer("Stage de médiation culturelle à Grenoble", &due), t0)
	o2, _ := s.AddOffer(ctx, testOffer("Alternance comptable", &due), t0)
	a, _ := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", Offers: []int64{o1.ID}}, t0)
	b, _ := s.AddSubscriber(ctx, Subscriber{Email: "b@example.org", Searches: []string{"comptable"}}, t0)

	follows, _ := s.Unplanned(ctx, 10)
	var plan []NewReminder
	for _, f := range follows {
		plan = append(plan, NewReminder{SubscriberID: f.SubscriberID, OfferID: f.OfferID, OffsetDays: 7, DueAt: t0.Add(time.Hour), State: ReminderPending})
	}
	if err := s.SavePlan(ctx, follows, plan, t0); err != nil {
		t.Fatal(err)
	}
	offsets := []int{14, 3}
	if err := s.EditSubscriber(ctx, a, SubscriberEdit{Offsets: &offsets}, t0); err != nil {
		t.Fatal(err)
	}
	got, _ := s.SubscriberByID(ctx, a)
	if !slices.Equal(got.Offsets, offsets) {
		t.Fatalf("offsets = %v, want %v", got.Offsets, offsets)
	}
	again, _ := s.Unplanned(ctx, 10)
	if len(again) != 1 || again[0].SubscriberID != a || !slices.Equal(again[0].Offsets, offsets) {
		t.Fatalf("to plan again = %+v, want a's one follow with the new offsets", again)
	}

	if err := s.EditSubscriber(ctx, a, SubscriberEdit{AddSearches: []string{"mediation ville:grenoble"}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.EditSubscriber(ctx, a, SubscriberEdit{AddSearches: []string{"comptable"}}, t0); err != nil {
		t.Fatal(err)
	}
	got, _ = s.SubscriberByID(ctx, a)
	if !slices.Contains(got.Offers, o2.ID) || len(got.Searches) != 2 {
		t.Fatalf("after searches: offers %v searches %v", got.Offers, got.Searches)
	}
	bs, _ := s.SearchesOf(ctx, b)
	if err := s.EditSubscriber(ctx, a, SubscriberEdit{RemoveSearches: []int64{bs[0].ID}}, t0); err != nil {
		t.Fatal(err)
	}
	if bs2, _ := s.SearchesOf(ctx, b); len(bs2) != 1 {
		t.Fatalf("a removed b's search: %+v", bs2)
	}

	lang, bad := "de", []int{-1}
	name := "Ève\u202e"
	for _, e := range []SubscriberEdit{{Lang: &lang}, {Offsets: &bad}, {Name: &name}, {AddSearches: []string{"type:licorne"}}} {
		if err := s.EditSubscriber(ctx, a, e, t0); err == nil {
			t.Errorf("edit %+v accepted", e)
		}
	}
	got2, _ := s.SubscriberByID(ctx, a)
	if got2.Lang != "fr" || !slices.Equal(got2.Offsets, offsets) || got2.Name != "" {
		t.Fatalf("a bad edit changed %+v", got2)
	}

	if err := s.Unsubscribe(ctx, b); err != nil {
		t.Fatal(err)
	}
	weekly := true
	if err := s.EditSubscriber(ctx, b, SubscriberEdit{Weekly: &weekly}, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("edit of an unsubscribed student: %v", err)
	}
}
