package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// fillOutbox writes two students, two offers and reminders in every state,
// straight in SQL, as a long history would leave them.
func fillOutbox(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO offers (id, digest, source, title, deadline_kind, last_day, due_at, extract, body, added_at, updated_at)
		 VALUES (1, 'd1', 'a.txt', 'Stage A', 'explicit', '2025-10-30', '2025-10-30 22:00:00+00:00', '{}', 'a', '2025-09-01 08:00:00+00:00', '2025-09-01 08:00:00+00:00'),
		        (2, 'd2', 'b.txt', 'Stage B', 'explicit', '2025-10-30', '2025-10-30 22:00:00+00:00', '{}', 'b', '2025-09-01 08:00:00+00:00', '2025-09-01 08:00:00+00:00')`,
		`INSERT INTO subscribers (id, email, lang, offsets, state, created_at)
		 VALUES (1, 'a@example.org', 'fr', '', 'active', '2025-09-01 08:00:00+00:00'),
		        (2, 'b@example.org', 'fr', '', 'active', '2025-09-01 08:00:00+00:00')`,
		// Subscriber 1: pending due now, pending later, pending retrying,
		// sent today, sent yesterday, failed, expired, skipped.
		`INSERT INTO reminders (subscriber_id, offer_id, offset_days, due_at, state, attempts, sent_at) VALUES
		 (1, 1, 1, '2025-10-01 06:00:00+00:00', 'pending', 0, NULL),
		 (1, 1, 2, '2025-10-20 06:00:00+00:00', 'pending', 0, NULL),
		 (1, 1, 3, '2025-09-30 06:00:00+00:00', 'pending', 2, NULL),
		 (1, 1, 4, '2025-10-01 06:00:00+00:00', 'sent', 1, '2025-10-01 06:01:00+00:00'),
		 (1, 1, 5, '2025-09-30 06:00:00+00:00', 'sent', 1, '2025-09-30 06:01:00+00:00'),
		 (1, 1, 6, '2025-09-29 06:00:00+00:00', 'failed', 5, NULL),
		 (1, 1, 7, '2025-09-28 06:00:00+00:00', 'expired', 0, NULL),
		 (1, 1, 8, '2025-09-28 06:00:00+00:00', 'skipped', 0, NULL),
		 (2, 2, 1, '2025-10-01 06:00:00+00:00', 'pending', 0, NULL),
		 (2, 2, 2, '2025-10-20 06:00:00+00:00', 'pending', 0, NULL),
		 (2, 1, 1, '2025-09-29 06:00:00+00:00', 'failed', 5, NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// checkCounts compares reminder_counts with a count of the rows.
func checkCounts(t *testing.T, db *sql.DB, when string) {
	t.Helper()
	rows, err := db.Query(`SELECT s.state, s.n, (SELECT count(*) FROM reminders r WHERE r.state = s.state) FROM reminder_counts s`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var state string
		var kept, counted int
		if err := rows.Scan(&state, &kept, &counted); err != nil {
			t.Fatal(err)
		}
		seen++
		if kept != counted {
			t.Errorf("%s: reminder_counts says %d %s, the table holds %d", when, kept, state, counted)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != 5 {
		t.Errorf("%s: reminder_counts has %d states, want 5", when, seen)
	}
}

func TestStatusCountsKeptByWrites(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	fillOutbox(t, s.db)
	checkCounts(t, s.db, "after inserting")
	dayStart := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	st, err := s.Status(ctx, t0, dayStart)
	if err != nil {
		t.Fatal(err)
	}
	want := Status{DueNow: 3, Pending: 5, SentToday: 1, Retrying: 1, Failed: 2, Expired: 1}
	oldest := st.OldestUnsent
	st.OldestUnsent = nil
	if st != want {
		t.Errorf("status = %+v, want %+v", st, want)
	}
	if oldest == nil || !oldest.Equal(time.Date(2025, 9, 30, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("oldest unsent = %v, want 2025-09-30 06:00 UTC", oldest)
	}

	// Each kind of write keeps the counts: a state changed, another column
	// changed, a row deleted, rows cascaded away with their student and
	// their offer, an insert ignored by the unique key.
	for _, q := range []string{
		`UPDATE reminders SET state = 'sent', sent_at = '2025-10-01 09:00:00+00:00' WHERE state = 'pending' AND due_at <= '2025-10-01 10:00:00+00:00' AND subscriber_id = 2`,
		`UPDATE reminders SET attempts = attempts + 1 WHERE state = 'failed'`,
		`UPDATE reminders SET state = state`,
		`INSERT OR IGNORE INTO reminders (subscriber_id, offer_id, offset_days, due_at) VALUES (1, 1, 1, '2025-10-01 06:00:00+00:00')`,
		`DELETE FROM reminders WHERE state = 'skipped'`,
		`DELETE FROM subscribers WHERE id = 2`,
		`DELETE FROM offers WHERE id = 1`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		checkCounts(t, s.db, q)
	}
	var left int
	if err := s.db.QueryRow(`SELECT count(*) FROM reminders`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("reminders left: %d, %v", left, err)
	}
	st, err = s.Status(ctx, t0, dayStart)
	if err != nil {
		t.Fatal(err)
	}
	if st != (Status{}) {
		t.Errorf("status of an empty outbox = %+v", st)
	}
}

// TestOutboxCountsMigration opens a database of the schema before the
// counts with reminders in it: the migration counts them.
func TestOutboxCountsMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER reminders_count_insert`, `DROP TRIGGER reminders_count_delete`,
		`DROP TRIGGER reminders_count_update`, `DROP TABLE reminder_counts`,
		`DROP INDEX reminders_sent_at`, `DROP INDEX reminders_retrying`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	fillOutbox(t, s.db)
	if _, err := s.db.Exec(`PRAGMA user_version = 7`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkCounts(t, s.db, "after migrating")
	st, err := s.Status(ctx, t0, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 5 || st.Failed != 2 || st.Expired != 1 || st.Retrying != 1 || st.SentToday != 1 {
		t.Errorf("status after migrating = %+v", st)
	}
}
