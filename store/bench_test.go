package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/store/storetest"
)

// large is the deployment of the issue: 200,000 students following 5 offers
// each out of 20,000, one pending reminder per follow (1,000,000).
// Deadlines spread over 240 days.
var large = storetest.Params{Subscribers: 200_000, Offers: 20_000, Follows: 5, Planned: true, Days: 240}

// benchNow is a morning when nothing in a storetest database is due.
var benchNow = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)

func openBig(b *testing.B, p storetest.Params) *store.Store {
	b.Helper()
	st, err := store.Open(context.Background(), storetest.BigDB(b, p))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkDueRemindersIdle is the question every run asks first, on the
// large database at a time when nothing is due: it must read the partial
// index reminders_pending_due and nothing else.
func BenchmarkDueRemindersIdle(b *testing.B) {
	ctx := context.Background()
	st := openBig(b, large)
	b.ResetTimer()
	for b.Loop() {
		due, err := st.DueReminders(ctx, benchNow)
		if err != nil {
			b.Fatal(err)
		}
		if len(due) != 0 {
			b.Fatalf("%d reminders due, want none", len(due))
		}
	}
}

// BenchmarkUnplannedIdle is the planning pass's first question on the large
// database when every follow is planned.
func BenchmarkUnplannedIdle(b *testing.B) {
	ctx := context.Background()
	st := openBig(b, large)
	for b.Loop() {
		f, err := st.Unplanned(ctx, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if len(f) != 0 {
			b.Fatalf("%d follows unplanned, want none", len(f))
		}
	}
}

// BenchmarkUnmatchedOffersIdle is the saved-search pass's first question on
// the large database when every offer is matched.
func BenchmarkUnmatchedOffersIdle(b *testing.B) {
	ctx := context.Background()
	st := openBig(b, large)
	for b.Loop() {
		o, err := st.UnmatchedOffers(ctx, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(o) != 0 {
			b.Fatalf("%d offers unmatched, want none", len(o))
		}
	}
}
