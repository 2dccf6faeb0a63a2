package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StudentFollow is one offer a student follows, for their own page.
type StudentFollow struct {
	OfferID      int64
	Title        string
	Organisation string
	LastDay      string
	// Kind is the deadline's kind: explicit, estimated or none.
	Kind string
	// Status is following, applied or not_interested; Via is offer, all or
	// search.
	Status, Via string
	// Next is when the next reminder about it is due; nil when none is.
	Next *time.Time
	// Planned is false until the scheduler has planned its reminders.
	Planned bool
}

// FollowsOf returns every offer subscriber id follows, whatever its
// status, by last day (the offers without one last), with its next
// reminder.
func (s *Store) FollowsOf(ctx context.Context, id int64) ([]StudentFollow, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT o.id, o.title, o.organisation, o.last_day, o.deadline_kind, f.status, f.via, f.planned_at IS NOT NULL,
       (SELECT min(r.due_at) FROM reminders r WHERE r.subscriber_id = f.subscriber_id AND r.offer_id = o.id AND r.state = 'pending')
FROM subscriptions f JOIN offers o ON o.id = f.offer_id
WHERE f.subscriber_id = ?
ORDER BY o.due_at IS NULL, o.due_at, o.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: follows of %d: %w", id, err)
	}
	defer rows.Close()
	var out []StudentFollow
	for rows.Next() {
		var f StudentFollow
		var next sql.NullString
		if err := rows.Scan(&f.OfferID, &f.Title, &f.Organisation, &f.LastDay, &f.Kind, &f.Status, &f.Via, &f.Planned, &next); err != nil {
			return nil, fmt.Errorf("store: follows of %d: %w", id, err)
		}
		if next.Valid {
			if t, err := parseSQLiteTime(next.String); err == nil {
				f.Next = &t
			}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// parseSQLiteTime reads a time as min() returns it: the text the driver
// wrote.
func parseSQLiteTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05", "2006-01-02T15:04:05Z", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q", s)
}

// Export is everything stored about a student, as their "export my data"
// download gives it (GDPR art. 20).
type Export struct {
	Email         string     `json:"email"`
	Name          string     `json:"name"`
	Lang          string     `json:"lang"`
	Offsets       []int      `json:"offsets_days"`
	State         string     `json:"state"`
	StateReason   string     `json:"state_reason,omitempty"`
	FollowAll     bool       `json:"follow_all"`
	Weekly        bool       `json:"weekly_summary"`
	CreatedAt     time.Time  `json:"created_at"`
	ConfirmSentAt *time.Time `json:"confirmation_sent_at,omitempty"`
	WeeklySentAt  *time.Time `json:"weekly_sent_at,omitempty"`
	WebMailAt     *time.Time `json:"web_mail_at,omitempty"`
	Bounces       Bounces    `json:"bounces"`
	Follows       []struct {
		OfferID   int64     `json:"offer_id"`
		Title     string    `json:"title"`
		Status    string    `json:"status"`
		Via       string    `json:"via"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"follows"`
	Searches []struct {
		Query     string    `json:"query"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"searches"`
	Reminders []struct {
		OfferID    int64      `json:"offer_id"`
		Kind       string     `json:"kind"`
		OffsetDays int        `json:"offset_days"`
		DueAt      time.Time  `json:"due_at"`
		State      string     `json:"state"`
		SentAt     *time.Time `json:"sent_at,omitempty"`
		LastError  string     `json:"last_error,omitempty"`
	} `json:"reminders"`
	// SignUps are the web requests about the student: their kind and day;
	// the client's address was never stored, only a keyed digest of it.
	SignUps []struct {
		Kind         string    `json:"kind"`
		At           time.Time `json:"at"`
		ClientDigest string    `json:"client_digest"`
	} `json:"web_requests"`
}

func nt(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// ExportSubscriber returns everything stored about subscriber id.
func (s *Store) ExportSubscriber(ctx context.Context, id int64) (Export, error) {
	sub, err := s.SubscriberByID(ctx, id)
	if err != nil {
		return Export{}, err
	}
	x := Export{Email: sub.Email, Name: sub.Name, Lang: sub.Lang, Offsets: sub.Offsets, State: sub.State,
		StateReason: sub.StateReason, FollowAll: sub.FollowAll, Weekly: sub.Weekly, CreatedAt: sub.CreatedAt}
	if x.Offsets == nil {
		x.Offsets = []int{}
	}
	fail := func(err error) (Export, error) {
		return Export{}, fmt.Errorf("store: export subscriber %d: %w", id, err)
	}
	var confirm, weekly, web sql.NullTime
	if err := s.db.QueryRowContext(ctx, `SELECT confirm_sent_at, weekly_sent_at, web_mail_at FROM subscribers WHERE id = ?`, id).
		Scan(&confirm, &weekly, &web); err != nil {
		return fail(err)
	}
	x.ConfirmSentAt, x.WeeklySentAt, x.WebMailAt = nt(confirm), nt(weekly), nt(web)
	if x.Bounces, err = s.BouncesOf(ctx, id); err != nil {
		return Export{}, err
	}
	each := func(query string, scan func(*sql.Rows) error) error {
		rows, err := s.db.QueryContext(ctx, query, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err = each(`SELECT f.offer_id, o.title, f.status, f.via, f.created_at FROM subscriptions f JOIN offers o ON o.id = f.offer_id
WHERE f.subscriber_id = ? ORDER BY f.offer_id`, func(r *sql.Rows) error {
		x.Follows = append(x.Follows, struct {
			OfferID   int64     `json:"offer_id"`
			Title     string    `json:"title"`
			Status    string    `json:"status"`
			Via       string    `json:"via"`
			CreatedAt time.Time `json:"created_at"`
		}{})
		f := &x.Follows[len(x.Follows)-1]
		return r.Scan(&f.OfferID, &f.Title, &f.Status, &f.Via, &f.CreatedAt)
	})
	if err == nil {
		err = each(`SELECT query, created_at FROM searches WHERE subscriber_id = ? ORDER BY id`, func(r *sql.Rows) error {
			x.Searches = append(x.Searches, struct {
				Query     string    `json:"query"`
				CreatedAt time.Time `json:"created_at"`
			}{})
			q := &x.Searches[len(x.Searches)-1]
			return r.Scan(&q.Query, &q.CreatedAt)
		})
	}
	if err == nil {
		err = each(`SELECT offer_id, kind, offset_days, due_at, state, sent_at, last_error FROM reminders WHERE subscriber_id = ? ORDER BY id`,
			func(r *sql.Rows) error {
				x.Reminders = append(x.Reminders, struct {
					OfferID    int64      `json:"offer_id"`
					Kind       string     `json:"kind"`
					OffsetDays int        `json:"offset_days"`
					DueAt      time.Time  `json:"due_at"`
					State      string     `json:"state"`
					SentAt     *time.Time `json:"sent_at,omitempty"`
					LastError  string     `json:"last_error,omitempty"`
				}{})
				m := &x.Reminders[len(x.Reminders)-1]
				var sent sql.NullTime
				err := r.Scan(&m.OfferID, &m.Kind, &m.OffsetDays, &m.DueAt, &m.State, &sent, &m.LastError)
				m.SentAt = nt(sent)
				return err
			})
	}
	if err == nil {
		err = each(`SELECT kind, at, client FROM signups WHERE subscriber_id = ? ORDER BY id`, func(r *sql.Rows) error {
			x.SignUps = append(x.SignUps, struct {
				Kind         string    `json:"kind"`
				At           time.Time `json:"at"`
				ClientDigest string    `json:"client_digest"`
			}{})
			u := &x.SignUps[len(x.SignUps)-1]
			return r.Scan(&u.Kind, &u.At, &u.ClientDigest)
		})
	}
	if err != nil {
		return fail(err)
	}
	return x, nil
}

// EraseSubscriber deletes subscriber id and everything about them (what
// they follow, their searches, reminders, bounces and sign-up records:
// the rows that reference them cascade) so that the file keeps no byte of
// them: secure_delete overwrites the freed space, and a checkpoint
// empties the write-ahead log, which held the old pages. Every link of
// theirs stops working, since their link key is gone. GDPR art. 17.
func (s *Store) EraseSubscriber(ctx context.Context, id int64) error {
	fail := func(err error) error { return fmt.Errorf("store: erase subscriber %d: %w", id, err) }
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	// Open sets secure_delete for the connection; say it again here, where
	// it matters.
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return fail(err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE id = ?`, id)
	if err != nil {
		return fail(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail(ErrNotFound)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	// TRUNCATE: the log is copied into the file (whose freed pages were
	// zeroed) and cut to nothing.
	var busy, logged, copied int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &copied); err != nil {
		return fail(err)
	}
	if busy != 0 {
		return fail(fmt.Errorf("checkpoint blocked by a reader: the log still holds the old pages"))
	}
	return nil
}
