package scheduler

import (
	"context"
	"reflect"
	"testing"

	"github.com/echeance/echeance/store"
)

func TestAllowance(t *testing.T) {
	const day = "2025-10-23"
	due := func(id, sub int64, lastDay, mailDay string, count int) store.Due {
		return store.Due{ID: id, SubscriberID: sub, LastDay: lastDay, MailDay: mailDay, MailCount: count}
	}
	tests := []struct {
		name     string
		digest   []store.Due
		max      int
		wantSent bool
	}{
		{"first email of the day", []store.Due{due(1, 1, "2025-10-30", "", 0)}, 1, true},
		{"count from another day", []store.Due{due(1, 1, "2025-10-30", "2025-10-22", 5)}, 1, true},
		{"had one today", []store.Due{due(1, 1, "2025-10-30", day, 1)}, 1, false},
		{"had one today, a last day today", []store.Due{due(1, 1, "2025-10-30", day, 1), due(2, 1, day, day, 1)}, 1, true},
		{"had two today, a last day today", []store.Due{due(1, 1, day, day, 2)}, 1, false},
		{"max 3, had two", []store.Due{due(1, 1, "2025-10-30", day, 2)}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send, held := allowance([][]store.Due{tt.digest}, day, tt.max)
			if tt.wantSent && (len(send) != 1 || len(held) != 0) || !tt.wantSent && (len(send) != 0 || len(held) != len(tt.digest)) {
				t.Errorf("send %v held %v, want sent %v", send, held, tt.wantSent)
			}
			if !tt.wantSent {
				var ids []int64
				for _, d := range tt.digest {
					ids = append(ids, d.ID)
				}
				if !reflect.DeepEqual(held, ids) {
					t.Errorf("held %v, want every row of the digest %v", held, ids)
				}
			}
		})
	}
}

// TestOneEmailPerDay: new offers found by a saved search over several runs
// of one day are gathered into the next day's digest; an offer whose last
// day is today still gets one more email that day.
func TestOneEmailPerDay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.now = f.at(t, "2025-10-20 07:00")
	if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "a@example.org", Searches: []string{"stage"}}, f.now); err != nil {
		t.Fatal(err)
	}
	f.addOffer(t, "a", "Cosmocite", "2025-11-30")
	if rep := f.tick(t, "2025-10-20 09:00"); len(rep.Sent) != 1 {
		t.Fatalf("first new offer: %+v", rep)
	}
	f.addOffer(t, "b", "Casemate", "2025-11-30")
	rep := f.tick(t, "2025-10-20 09:10")
	if len(rep.Sent) != 0 || rep.Held != 1 {
		t.Fatalf("second new offer the same day: %+v, want it held", rep)
	}
	f.addOffer(t, "c", "Museum", "2025-11-29")
	if rep := f.tick(t, "2025-10-20 15:00"); len(rep.Sent) != 0 || rep.Held != 1 {
		t.Fatalf("third new offer the same day: %+v, want it held too", rep)
	}
	f.addOffer(t, "d", "Theatre", "2025-10-20") // closes tonight
	rep = f.tick(t, "2025-10-20 16:00")
	if len(rep.Sent) != 1 || len(rep.Sent[0].Offers) != 1 {
		t.Fatalf("an offer closing today: %+v, want one email about it", rep.Sent)
	}
	f.addOffer(t, "e", "Opera", "2025-11-28")
	if rep := f.tick(t, "2025-10-20 17:00"); len(rep.Sent) != 0 {
		t.Fatalf("a third email the same day: %+v", rep.Sent)
	}
	if rep := f.tick(t, "2025-10-21 07:59"); len(rep.Sent) != 0 {
		t.Fatalf("held until the send time, not midnight: %+v", rep.Sent)
	}
	rep = f.tick(t, "2025-10-21 08:00")
	if len(rep.Sent) != 1 || len(rep.Sent[0].Offers) != 3 {
		t.Fatalf("next morning: %+v, want one digest of b, c and e", rep.Sent)
	}
}
