package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestIDsNeverReused: removing the newest student, offer or reminder and
// adding another never gives the new row the old id, which the old
// student's links, offer pages and Message-IDs name.
func TestIDsNeverReused(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	first, err := s.AddSubscriber(ctx, Subscriber{Email: "last@example.org", FollowAll: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveSubscriber(ctx, "last@example.org"); err != nil {
		t.Fatal(err)
	}
	second, err := s.AddSubscriber(ctx, Subscriber{Email: "new@example.org", FollowAll: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if second <= first {
		t.Errorf("the new student got id %d, the removed one had %d", second, first)
	}
	o1, _ := s.AddOffer(ctx, testOffer("one", &due), t0)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM offers WHERE id = ?`, o1.ID); err != nil {
		t.Fatal(err)
	}
	o2, _ := s.AddOffer(ctx, testOffer("two", &due), t0)
	if o2.ID <= o1.ID {
		t.Errorf("the new offer got id %d, the removed one had %d", o2.ID, o1.ID)
	}
}

// TestMigrationKeepsRows builds a database with the first schema only,
// with rows in every table, and checks that opening it migrates without
// losing or renumbering anything, gives every student a link key, and
// keeps cascades working.
func TestMigrationKeepsRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := migrations.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1), `PRAGMA user_version = 1`,
		`INSERT INTO offers (id, digest, source, deadline_kind, last_day, due_at, extract, body, added_at, updated_at)
		 VALUES (7, 'd7', 'a.txt', 'explicit', '2025-10-30', '2025-10-30 22:59:59+00:00', '{}', 'x', '2025-10-01 10:00:00+00:00', '2025-10-01 10:00:00+00:00')`,
		`INSERT INTO subscribers (id, email, created_at) VALUES (3, 'a@example.org', '2025-10-01 10:00:00+00:00'), (9, 'b@example.org', '2025-10-01 10:00:00+00:00')`,
		`INSERT INTO subscriptions (subscriber_id, offer_id, created_at) VALUES (3, 7, '2025-10-01 10:00:00+00:00'), (9, 7, '2025-10-01 10:00:00+00:00')`,
		`INSERT INTO searches (subscriber_id, query, created_at) VALUES (9, 'stage', '2025-10-01 10:00:00+00:00')`,
		`INSERT INTO reminders (id, subscriber_id, offer_id, offset_days, due_at) VALUES (40, 3, 7, 2, '2025-10-28 07:00:00+00:00'), (41, 9, 7, 2, '2025-10-28 07:00:00+00:00')`,
		`INSERT INTO settings (key, value) VALUES ('link_key', x'00')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.SubscriberByEmail(ctx, "a@example.org")
	if err != nil || a.ID != 3 || len(a.Offers) != 1 || a.Offers[0] != 7 || len(a.LinkKey) != 16 {
		t.Fatalf("a = %+v, %v", a, err)
	}
	b, _ := s.SubscriberByEmail(ctx, "b@example.org")
	if bytes.Equal(a.LinkKey, b.LinkKey) || len(b.Searches) != 1 {
		t.Errorf("b = %+v: the two students share a link key or lost a search", b)
	}
	due, err := s.DueReminders(ctx, time.Date(2025, 10, 28, 8, 0, 0, 0, time.UTC))
	if err != nil || len(due) != 2 || due[0].ID != 40 || due[1].ID != 41 {
		t.Fatalf("due = %+v, %v", due, err)
	}
	var n int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = 'link_key'`).Scan(&n)
	if n != 0 {
		t.Error("the link key is still in the database")
	}
	// Foreign keys are back on, and cascades still reach the children.
	if err := s.RemoveSubscriber(ctx, "a@example.org"); err != nil {
		t.Fatal(err)
	}
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM reminders WHERE subscriber_id = 3`).Scan(&n)
	if n != 0 {
		t.Errorf("%d reminders of a removed student survive", n)
	}
	id, err := s.AddSubscriber(ctx, Subscriber{Email: "c@example.org"}, t0)
	if err != nil || id <= 9 {
		t.Errorf("a new student after the migration got id %d, %v", id, err)
	}
}

// TestLinkStates: links cannot bring back a student who unsubscribed, and
// unsubscribing and revoke-links change the link key.
func TestLinkStates(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	id, err := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	state := func() (string, []byte) {
		t.Helper()
		sub, err := s.SubscriberByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return sub.State, sub.LinkKey
	}
	_, k0 := state()
	if err := s.Pause(ctx, id); err != nil {
		t.Fatal(err)
	}
	if st, _ := state(); st != StatePaused {
		t.Fatalf("after pause: %s", st)
	}
	if err := s.Resume(ctx, id); err != nil {
		t.Fatal(err)
	}
	if st, _ := state(); st != StateActive {
		t.Fatalf("after resume: %s", st)
	}
	if err := s.RevokeLinks(ctx, "a@example.org"); err != nil {
		t.Fatal(err)
	}
	_, k1 := state()
	if bytes.Equal(k0, k1) {
		t.Error("revoke-links kept the link key")
	}
	if err := s.Unsubscribe(ctx, id); err != nil {
		t.Fatal(err)
	}
	st, k2 := state()
	if st != StateUnsubscribed || bytes.Equal(k1, k2) {
		t.Errorf("after unsubscribe: %s, key changed %v", st, !bytes.Equal(k1, k2))
	}
	for name, act := range map[string]func() error{
		"pause":  func() error { return s.Pause(ctx, id) },
		"resume": func() error { return s.Resume(ctx, id) },
		"lang":   func() error { return s.SetLanguage(ctx, id, "en") },
	} {
		if err := act(); err != nil {
			t.Fatal(err)
		}
		if st, _ := state(); st != StateUnsubscribed {
			t.Errorf("%s after unsubscribe: state %s", name, st)
		}
	}
	if sub, _ := s.SubscriberByID(ctx, id); sub.Lang != "fr" {
		t.Errorf("language changed after unsubscribe: %s", sub.Lang)
	}
	if err := s.SetSubscriberState(ctx, "a@example.org", StateActive, ""); !errors.Is(err, ErrUnsubscribed) {
		t.Errorf("resume from the CLI after unsubscribe: %v", err)
	}
	pid, _ := s.AddSubscriber(ctx, Subscriber{Email: "p@example.org", State: StatePending}, t0)
	if err := s.Resume(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if sub, _ := s.SubscriberByID(ctx, pid); sub.State != StatePending {
		t.Errorf("a resume link confirmed a pending student: %s", sub.State)
	}
	if err := s.SetSubscriberState(ctx, "p@example.org", StateActive, ""); !errors.Is(err, ErrPending) {
		t.Errorf("resume from the CLI of a pending student: %v", err)
	}
}

func TestAddressAndNameLimits(t *testing.T) {
	ok := []string{strings.Repeat("a", 64) + "@example.org"}
	bad := []string{
		strings.Repeat("a", 65) + "@example.org",
		strings.Repeat("a", 300) + "@example.org",
		"a@" + strings.Repeat("b", 250) + ".org",
	}
	for _, e := range ok {
		if _, err := NormalizeEmail(e); err != nil {
			t.Errorf("NormalizeEmail(%.20q…): %v", e, err)
		}
	}
	for _, e := range bad {
		if _, err := NormalizeEmail(e); err == nil {
			t.Errorf("NormalizeEmail(%.20q… of %d octets) accepted", e, len(e))
		}
	}
	for name, wantErr := range map[string]bool{
		"Inès Martin":                false,
		strings.Repeat("n", 100):     false,
		strings.Repeat("n", 101):     true,
		"Inès\u202eniturM":           true,
		"Inès\r\nBcc: x@example.org": true,
	} {
		if err := CheckName(name); (err != nil) != wantErr {
			t.Errorf("CheckName(%.30q) = %v", name, err)
		}
	}
}

// TestFilesPrivate: whatever the umask, the database and its WAL and SHM
// files are readable by their owner only.
func TestFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "e.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AddSubscriber(context.Background(), Subscriber{Email: "a@example.org"}, t0); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", name, info.Mode().Perm())
		}
	}
}
