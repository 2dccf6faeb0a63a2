package store

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
)

func newTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

var t0 = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)

func testOffer(text string, due *time.Time) offer.Offer {
	o := offer.Offer{File: "x.txt", Title: "Stage", Text: text, Deadline: offer.Deadline{Kind: offer.KindNone}}
	if due != nil {
		o.Deadline = offer.Deadline{Kind: offer.KindExplicit, Date: "2025-10-31", LastDay: "2025-10-30", DueAt: due, Phrase: "avant le 31 octobre 2025"}
	}
	return o
}

func TestOpenMigratesOnce(t *testing.T) {
	ctx := context.Background()
	s, path := newTestStore(t)
	var v int
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil || v != len(names) || v < 2 {
		t.Fatalf("user_version = %d, %v", v, err)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	s2.Close()
}

func TestAddOfferDeduplicates(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	r1, err := s.AddOffer(ctx, testOffer("same text", &due), t0)
	if err != nil || !r1.Created {
		t.Fatalf("first add: %+v %v", r1, err)
	}
	r2, err := s.AddOffer(ctx, testOffer("same text", &due), t0.Add(time.Hour))
	if err != nil || r2 != (AddResult{ID: r1.ID}) {
		t.Fatalf("second add: %+v err %v; want id %d, nothing changed", r2, err, r1.ID)
	}
	offers, err := s.Offers(ctx)
	if err != nil || len(offers) != 1 {
		t.Fatalf("offers = %d, %v", len(offers), err)
	}
	got := offers[0]
	if got.Deadline.DueAt == nil || !got.Deadline.DueAt.Equal(due) || got.Text != "same text" {
		t.Errorf("stored offer = %+v", got)
	}
	if _, err := s.Offer(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Offer(999) err = %v, want ErrNotFound", err)
	}
}

func TestAddSubscriber(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, err := s.AddOffer(ctx, testOffer("a", &due), t0)
	if err != nil {
		t.Fatal(err)
	}
	oid := added.ID

	if _, err := s.AddSubscriber(ctx, Subscriber{Email: "Alice@Example.org", FollowAll: true}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSubscriber(ctx, Subscriber{Email: "alice@example.org"}, t0); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate err = %v, want ErrExists", err)
	}
	for _, bad := range []string{"alice", "Alice <a@b.fr>", "a@@b.fr", ""} {
		if _, err := s.AddSubscriber(ctx, Subscriber{Email: bad}, t0); err == nil {
			t.Errorf("AddSubscriber(%q) succeeded", bad)
		}
	}
	if _, err := s.AddSubscriber(ctx, Subscriber{Email: "bob@example.org", Offers: []int64{oid, 42}}, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown offer err = %v, want ErrNotFound", err)
	}
	if _, err := s.SubscriberByEmail(ctx, "bob@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob was half-added: %v", err)
	}

	// A later offer is followed by follow_all subscribers only.
	if _, err := s.AddSubscriber(ctx, Subscriber{Email: "carol@example.org", Offers: []int64{oid}, Offsets: []int{3, 0}}, t0); err != nil {
		t.Fatal(err)
	}
	b := testOffer("b", nil)
	b.File = "b.txt"
	added2, err := s.AddOffer(ctx, b, t0)
	if err != nil {
		t.Fatal(err)
	}
	oid2 := added2.ID
	alice, err := s.SubscriberByEmail(ctx, "ALICE@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(alice.Offers) != 2 || alice.Offers[1] != oid2 {
		t.Errorf("alice follows %v, want [%d %d]", alice.Offers, oid, oid2)
	}
	carol, err := s.SubscriberByEmail(ctx, "carol@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(carol.Offers) != 1 || len(carol.Offsets) != 2 || carol.Offsets[0] != 3 {
		t.Errorf("carol = %+v", carol)
	}
	if err := s.RemoveSubscriber(ctx, "carol@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveSubscriber(ctx, "carol@example.org"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove err = %v", err)
	}
}

func TestPlanAndSend(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	added, _ := s.AddOffer(ctx, testOffer("a", &due), t0)
	oid := added.ID
	sid, err := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	follows, err := s.Unplanned(ctx, 100)
	if err != nil || len(follows) != 1 || !follows[0].DueAt.Equal(due) {
		t.Fatalf("unplanned = %+v, %v", follows, err)
	}
	n1 := NewReminder{SubscriberID: sid, OfferID: oid, OffsetDays: 7, DueAt: t0.Add(time.Hour), State: ReminderPending}
	n2 := NewReminder{SubscriberID: sid, OfferID: oid, OffsetDays: 0, DueAt: t0.Add(48 * time.Hour), State: ReminderPending}
	if err := s.SavePlan(ctx, follows, []NewReminder{n1, n2, n1}, t0); err != nil {
		t.Fatal(err)
	}
	if follows, _ := s.Unplanned(ctx, 100); len(follows) != 0 {
		t.Errorf("still unplanned after SavePlan: %+v", follows)
	}
	dues, err := s.DueReminders(ctx, t0.Add(2*time.Hour))
	if err != nil || len(dues) != 1 || dues[0].OffsetDays != 7 || dues[0].Email != "a@example.org" {
		t.Fatalf("due = %+v, %v", dues, err)
	}
	retry := t0.Add(3 * time.Hour)
	if err := s.RecordFailure(ctx, []int64{dues[0].ID}, "421 try later", &retry); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.DueReminders(ctx, t0.Add(2*time.Hour)); len(d) != 0 {
		t.Errorf("due before retry time: %+v", d)
	}
	d, _ := s.DueReminders(ctx, retry)
	if len(d) != 1 || d[0].Attempts != 1 {
		t.Fatalf("due at retry = %+v", d)
	}
	if err := s.MarkSent(ctx, []int64{d[0].ID}, "<m@x>", retry); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.DueReminders(ctx, retry.Add(time.Hour)); len(d) != 0 {
		t.Errorf("sent reminder still due: %+v", d)
	}
	counts, err := s.ReminderCounts(ctx)
	if err != nil || counts[ReminderSent] != 1 || counts[ReminderPending] != 1 {
		t.Errorf("counts = %v, %v", counts, err)
	}
}
