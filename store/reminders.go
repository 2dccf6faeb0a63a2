package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Reminder states.
const (
	ReminderPending = "pending"
	ReminderSent    = "sent"
	ReminderSkipped = "skipped" // superseded, or the student stopped following
	ReminderExpired = "expired" // the deadline passed before it could go out
	ReminderFailed  = "failed"  // the relay refused it for good
)

// Follow is one subscriber following one offer whose reminders are not
// planned yet.
type Follow struct {
	SubscriberID int64
	// Offsets are the subscriber's own, nil for the configured default.
	Offsets  []int
	OfferID  int64
	Revision int
	LastDay  string
	DueAt    time.Time
}

// NewReminder is a reminder the scheduler planned.
type NewReminder struct {
	SubscriberID int64
	OfferID      int64
	Revision     int
	OffsetDays   int
	DueAt        time.Time
	State        string
}

const selectUnplanned = `
SELECT f.subscriber_id, s.offsets, f.offer_id, o.revision, o.last_day, o.due_at
FROM subscriptions f
JOIN subscribers s ON s.id = f.subscriber_id
JOIN offers o ON o.id = f.offer_id
WHERE f.planned_at IS NULL AND f.status = 'following' AND s.state = 'active'
ORDER BY f.subscriber_id, f.offer_id
LIMIT ?`

// Unplanned returns up to limit follows whose reminders are not planned yet.
// A follow of an offer with no deadline has DueAt zero.
func (s *Store) Unplanned(ctx context.Context, limit int) ([]Follow, error) {
	rows, err := s.db.QueryContext(ctx, selectUnplanned, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unplanned follows: %w", err)
	}
	defer rows.Close()
	var out []Follow
	for rows.Next() {
		var f Follow
		var offsets string
		var due sql.NullTime
		if err := rows.Scan(&f.SubscriberID, &offsets, &f.OfferID, &f.Revision, &f.LastDay, &due); err != nil {
			return nil, fmt.Errorf("store: unplanned follows: %w", err)
		}
		f.Offsets = parseOffsets(offsets)
		if due.Valid {
			f.DueAt = due.Time
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unplanned follows: %w", err)
	}
	return out, nil
}

// insertReminders and markPlanned take a whole page of rows as one JSON
// array bound to a single parameter: after a large import, planning writes
// millions of rows, and one Exec per row costs more (cgo, database/sql,
// binding) than SQLite spends storing it.
//
// insertReminders reads [[subscriber_id, offer_id, revision, offset_days,
// due_at, state], ...], due_at written as the driver writes a time.Time.
const insertReminders = `
INSERT OR IGNORE INTO reminders (subscriber_id, offer_id, kind, revision, offset_days, due_at, state)
SELECT r.value ->> 0, r.value ->> 1, 'reminder', r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5
FROM json_each(?) AS r`

// markPlanned reads [[subscriber_id, offer_id], ...]; each follow is found
// by its primary key.
const markPlanned = `
UPDATE subscriptions SET planned_at = ?
FROM json_each(?) AS k
WHERE subscriptions.subscriber_id = k.value ->> 0 AND subscriptions.offer_id = k.value ->> 1`

// SavePlan records the reminders planned for follows and marks those follows
// planned, all in one transaction.
func (s *Store) SavePlan(ctx context.Context, follows []Follow, planned []NewReminder, now time.Time) error {
	rows := make([]byte, 0, 64*len(planned)+2)
	rows = append(rows, '[')
	for i, r := range planned {
		if i > 0 {
			rows = append(rows, ',')
		}
		rows = append(rows, '[')
		rows = strconv.AppendInt(rows, r.SubscriberID, 10)
		rows = append(rows, ',')
		rows = strconv.AppendInt(rows, r.OfferID, 10)
		rows = append(rows, ',')
		rows = strconv.AppendInt(rows, int64(r.Revision), 10)
		rows = append(rows, ',')
		rows = strconv.AppendInt(rows, int64(r.OffsetDays), 10)
		rows = append(rows, ',', '"')
		rows = utc(r.DueAt).AppendFormat(rows, sqlite3.SQLiteTimestampFormats[0])
		rows = append(rows, '"', ',')
		state, err := json.Marshal(r.State)
		if err != nil {
			return fmt.Errorf("store: save plan: %w", err)
		}
		rows = append(rows, state...)
		rows = append(rows, ']')
	}
	rows = append(rows, ']')
	keys := make([]byte, 0, 24*len(follows)+2)
	keys = append(keys, '[')
	for i, f := range follows {
		if i > 0 {
			keys = append(keys, ',')
		}
		keys = append(keys, '[')
		keys = strconv.AppendInt(keys, f.SubscriberID, 10)
		keys = append(keys, ',')
		keys = strconv.AppendInt(keys, f.OfferID, 10)
		keys = append(keys, ']')
	}
	keys = append(keys, ']')
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, insertReminders, string(rows)); err != nil {
			return fmt.Errorf("%d reminders: %w", len(planned), err)
		}
		if _, err := tx.ExecContext(ctx, markPlanned, utc(now), string(keys)); err != nil {
			return fmt.Errorf("%d follows: %w", len(follows), err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save plan: %w", err)
	}
	return nil
}

// Due is a pending reminder whose time has come, with what is needed to
// write it.
type Due struct {
	ID int64
	// Kind is "reminder", "new_offer" or "deadline_changed".
	Kind         string
	SubscriberID int64
	OfferID      int64
	OffsetDays   int
	DueAt        time.Time
	Attempts     int

	Email           string
	Name            string
	Lang            string
	SubscriberState string
	FollowStatus    string
	// LinkKey is the student's link key, for the links the message carries.
	LinkKey []byte
	// MailDay and MailCount say how many emails the student got on their
	// local day MailDay (YYYY-MM-DD).
	MailDay   string
	MailCount int

	Title          string
	Organisation   string
	Source         string
	DeadlineKind   string
	DeadlinePhrase string
	LastDay        string
	DeadlineAt     time.Time
	Contacts       []string
	Revision       int
	City           string
	// PreviousLastDay is the last day to apply before the deadline changed.
	PreviousLastDay string
	// Basis says what a deadline the offer did not state rests on
	// ("start", "interview", "staff"); BasisDate is the start or the first
	// interview it was estimated from.
	Basis, BasisDate string
}

// basisColumns read, from an offer's extract, what its deadline rests on
// and the date an estimate was derived from.
const basisColumns = `COALESCE(json_extract(o.extract, '$.deadline.basis'), ''),
       CASE json_extract(o.extract, '$.deadline.basis')
         WHEN 'start' THEN COALESCE(json_extract(o.extract, '$.start.date'), '')
         WHEN 'interview' THEN COALESCE((SELECT min(json_extract(d.value, '$.start')) FROM json_each(o.extract, '$.dates') d
                                         WHERE json_extract(d.value, '$.role') = 'interview'), '')
         ELSE '' END`

const selectDue = `
SELECT r.id, r.kind, r.subscriber_id, r.offer_id, r.offset_days, r.due_at, r.attempts,
       s.email, s.name, s.lang, s.state, COALESCE(f.status, 'following'), s.link_key, s.mail_day, s.mail_count,
       o.title, o.organisation, o.source, o.deadline_kind, o.deadline_phrase, o.last_day,
       o.due_at, COALESCE(json_extract(o.extract, '$.contacts'), '[]'), o.revision,
       COALESCE(json_extract(o.extract, '$.places[0].city'), ''), o.previous_last_day, ` + basisColumns + `
FROM reminders r
JOIN subscribers s ON s.id = r.subscriber_id
JOIN offers o ON o.id = r.offer_id
LEFT JOIN subscriptions f ON f.subscriber_id = r.subscriber_id AND f.offer_id = r.offer_id
WHERE r.state = 'pending' AND r.due_at <= ?1
  AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ?1)
  -- Held while the offer waits for review, unless it has closed (then the
  -- run expires them).
  AND NOT (o.review = 'pending' AND o.due_at > ?1)
  -- An archived offer sends nothing more.
  AND o.archived_at IS NULL
ORDER BY r.subscriber_id, o.due_at IS NULL, o.due_at, r.offer_id, r.kind = 'reminder', r.offset_days`

// DueReminders returns the pending reminders due at now, grouped by
// subscriber and ordered by deadline.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]Due, error) {
	rows, err := s.db.QueryContext(ctx, selectDue, utc(now))
	if err != nil {
		return nil, fmt.Errorf("store: due reminders: %w", err)
	}
	defer rows.Close()
	var out []Due
	for rows.Next() {
		var d Due
		var deadline sql.NullTime
		var contacts string
		if err := rows.Scan(&d.ID, &d.Kind, &d.SubscriberID, &d.OfferID, &d.OffsetDays, &d.DueAt, &d.Attempts,
			&d.Email, &d.Name, &d.Lang, &d.SubscriberState, &d.FollowStatus, &d.LinkKey, &d.MailDay, &d.MailCount,
			&d.Title, &d.Organisation, &d.Source, &d.DeadlineKind, &d.DeadlinePhrase, &d.LastDay,
			&deadline, &contacts, &d.Revision, &d.City, &d.PreviousLastDay, &d.Basis, &d.BasisDate); err != nil {
			return nil, fmt.Errorf("store: due reminders: %w", err)
		}
		// An offer whose deadline was withdrawn keeps DeadlineAt zero.
		d.DeadlineAt = deadline.Time
		if err := json.Unmarshal([]byte(contacts), &d.Contacts); err != nil {
			return nil, fmt.Errorf("store: due reminders: offer %d contacts: %w", d.OfferID, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due reminders: %w", err)
	}
	return out, nil
}

// SetReminderState moves pending reminders to state (skipped or expired).
func (s *Store) SetReminderState(ctx context.Context, ids []int64, state string) error {
	return s.updateReminders(ctx, "set state "+state, ids,
		`UPDATE reminders SET state = ? WHERE state = 'pending' AND id = ?`, state)
}

// MarkSent records that the relay accepted the message carrying ids, and
// that the subscriber's address works.
func (s *Store) MarkSent(ctx context.Context, ids []int64, messageID string, at time.Time) error {
	return s.MarkSentBatch(ctx, []SentMessage{{IDs: ids, MessageID: messageID}}, at)
}

// SentMessage is one message the relay accepted: the reminders it carried
// and its Message-ID.
type SentMessage struct {
	IDs       []int64
	MessageID string
	// Day, when set, is the student's local day (YYYY-MM-DD) on which the
	// message counts towards reminders.max_per_day.
	Day string
}

const markSent = `
UPDATE reminders SET state = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = ''
WHERE id = ?`

// countMail resets the refusal count (the address works) and counts the
// message on the student's day when one is given.
const countMail = `
UPDATE subscribers SET failures = 0,
       mail_count = CASE WHEN ?1 = '' THEN mail_count WHEN mail_day = ?1 THEN mail_count + 1 ELSE 1 END,
       mail_day = CASE WHEN ?1 = '' THEN mail_day ELSE ?1 END
WHERE id = (SELECT subscriber_id FROM reminders WHERE id = ?2)`

// MarkSentBatch records, in one transaction, that the relay accepted msgs
// (as MarkSent does for each). A batch of messages costs one commit
// instead of one per message, which is most of the cost of recording when
// the relay is fast.
func (s *Store) MarkSentBatch(ctx context.Context, msgs []SentMessage, at time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		mark, err := tx.PrepareContext(ctx, markSent)
		if err != nil {
			return err
		}
		defer mark.Close()
		reset, err := tx.PrepareContext(ctx, countMail)
		if err != nil {
			return err
		}
		defer reset.Close()
		for _, m := range msgs {
			for _, id := range m.IDs {
				if _, err := mark.ExecContext(ctx, utc(at), m.MessageID, id); err != nil {
					return fmt.Errorf("reminder %d: %w", id, err)
				}
			}
			if len(m.IDs) > 0 {
				if _, err := reset.ExecContext(ctx, m.Day, m.IDs[0]); err != nil {
					return fmt.Errorf("reminder %d: %w", m.IDs[0], err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark sent: %w", err)
	}
	return nil
}

// Defer holds the pending reminders ids until until, without counting an
// attempt: the student had their emails for the day.
func (s *Store) Defer(ctx context.Context, ids []int64, until time.Time) error {
	return s.updateReminders(ctx, "defer", ids,
		`UPDATE reminders SET next_attempt_at = ? WHERE state = 'pending' AND id = ?`, utc(until))
}

// PauseAfter is how many messages in a row a subscriber's relay may refuse
// for good before echeance pauses that subscriber.
const PauseAfter = 3

// RecordFailure records a failed attempt at the reminders ids. With a retry
// time they stay pending until then; without one they are failed for good,
// and after PauseAfter such refusals in a row the subscriber is paused with
// the reason.
func (s *Store) RecordFailure(ctx context.Context, ids []int64, cause string, retryAt *time.Time) error {
	if retryAt != nil {
		return s.updateReminders(ctx, "record failure", ids,
			`UPDATE reminders SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
			cause, utc(*retryAt))
	}
	if err := s.updateReminders(ctx, "record failure", ids,
		`UPDATE reminders SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`, cause); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `
UPDATE subscribers SET failures = failures + 1,
       state = CASE WHEN failures + 1 >= ? AND state = 'active' THEN 'paused' ELSE state END,
       state_reason = CASE WHEN failures + 1 >= ? AND state = 'active'
                      THEN 'paused by echeance: ' || (failures + 1) || ' messages refused, last: ' || ?
                      ELSE state_reason END
WHERE id = (SELECT subscriber_id FROM reminders WHERE id = ?)`, PauseAfter, PauseAfter, cause, ids[0])
	if err != nil {
		return fmt.Errorf("store: record failure: %w", err)
	}
	return nil
}

// updateReminders runs query once per id (the id is its last placeholder)
// in one transaction.
func (s *Store) updateReminders(ctx context.Context, what string, ids []int64, query string, args ...any) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, append(args, id)...); err != nil {
				return fmt.Errorf("reminder %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// ReminderCounts returns how many reminders are in each state.
func (s *Store) ReminderCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT state, count(*) FROM reminders GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: count reminders: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: count reminders: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// ReminderRow is one outbox row, for listing.
type ReminderRow struct {
	ID         int64     `json:"id"`
	Email      string    `json:"email"`
	OfferID    int64     `json:"offer_id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	OffsetDays int       `json:"offset_days"`
	DueAt      time.Time `json:"due_at"`
	State      string    `json:"state"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error"`
}

// Reminders lists the outbox ordered by due time; with dueBy set, only the
// pending rows due by then.
func (s *Store) Reminders(ctx context.Context, dueBy *time.Time) ([]ReminderRow, error) {
	q := `
SELECT r.id, s.email, r.offer_id, o.title, r.kind, r.offset_days, r.due_at, r.state, r.attempts, r.last_error
FROM reminders r
JOIN subscribers s ON s.id = r.subscriber_id
JOIN offers o ON o.id = r.offer_id`
	var args []any
	if dueBy != nil {
		q += ` WHERE r.state = 'pending' AND r.due_at <= ?`
		args = append(args, utc(*dueBy))
	}
	q += ` ORDER BY r.due_at, r.id`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list reminders: %w", err)
	}
	defer rows.Close()
	var out []ReminderRow
	for rows.Next() {
		var r ReminderRow
		if err := rows.Scan(&r.ID, &r.Email, &r.OfferID, &r.Title, &r.Kind, &r.OffsetDays, &r.DueAt,
			&r.State, &r.Attempts, &r.LastError); err != nil {
			return nil, fmt.Errorf("store: list reminders: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Status is the outbox at a glance.
type Status struct {
	DueNow       int
	Pending      int
	SentToday    int
	Retrying     int
	Failed       int
	Expired      int
	OldestUnsent *time.Time
	// ToReview counts the offers waiting for review, their reminders held.
	ToReview int
}

// countOutbox is what Status counts, in one statement so that the counts
// agree. The counts by state are kept by triggers in reminder_counts
// (migration 0008); what depends on the time, and the few retrying, is
// counted in partial indexes: no reminder is read row by row, however long
// the history.
const countOutbox = `
SELECT
  (SELECT count(*) FROM reminders WHERE state = 'pending' AND due_at <= ?),
  coalesce((SELECT n FROM reminder_counts WHERE state = 'pending'), 0),
  (SELECT count(*) FROM reminders WHERE state = 'sent' AND sent_at >= ?),
  (SELECT count(*) FROM reminders WHERE state = 'pending' AND attempts > 0),
  coalesce((SELECT n FROM reminder_counts WHERE state = 'failed'), 0),
  coalesce((SELECT n FROM reminder_counts WHERE state = 'expired'), 0),
  (SELECT count(*) FROM offers WHERE review = 'pending' AND archived_at IS NULL)`

// selectOldestDue is the oldest reminder due and not sent.
const selectOldestDue = `SELECT due_at FROM reminders WHERE state = 'pending' AND due_at <= ?
ORDER BY due_at LIMIT 1`

// Status counts the outbox at now; "today" starts at dayStart.
func (s *Store) Status(ctx context.Context, now, dayStart time.Time) (Status, error) {
	var st Status
	var oldest sql.NullTime
	err := s.db.QueryRowContext(ctx, countOutbox, utc(now), utc(dayStart)).Scan(
		&st.DueNow, &st.Pending, &st.SentToday, &st.Retrying, &st.Failed, &st.Expired, &st.ToReview)
	if err != nil {
		return Status{}, fmt.Errorf("store: status: %w", err)
	}
	// A separate query: an aggregate of a typed column loses its type.
	err = s.db.QueryRowContext(ctx, selectOldestDue, utc(now)).Scan(&oldest)
	if err != nil && err != sql.ErrNoRows {
		return Status{}, fmt.Errorf("store: status: %w", err)
	}
	if oldest.Valid {
		st.OldestUnsent = &oldest.Time
	}
	return st, nil
}

// Followed is an offer a subscriber follows, for their calendar feed.
type Followed struct {
	OfferID        int64
	Revision       int
	Title          string
	Organisation   string
	Source         string
	DeadlineKind   string
	DeadlinePhrase string
	LastDay        string
	DeadlineAt     time.Time
	Contacts       []string
	City           string
	// PreviousLastDay is the last day to apply before the deadline changed.
	PreviousLastDay string
	// Basis and BasisDate are as in Due.
	Basis, BasisDate string
}

// FollowedOffers returns the offers with a deadline that subscriber id
// follows (not those they applied to or dismissed), by deadline.
func (s *Store) FollowedOffers(ctx context.Context, id int64) ([]Followed, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT o.id, o.revision, o.title, o.organisation, o.source, o.deadline_kind, o.deadline_phrase, o.last_day,
       o.due_at, COALESCE(json_extract(o.extract, '$.contacts'), '[]'),
       COALESCE(json_extract(o.extract, '$.places[0].city'), ''), o.previous_last_day, `+basisColumns+`
FROM subscriptions f JOIN offers o ON o.id = f.offer_id
WHERE f.subscriber_id = ? AND f.status = 'following' AND o.due_at IS NOT NULL
ORDER BY o.due_at, o.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: followed offers of %d: %w", id, err)
	}
	defer rows.Close()
	var out []Followed
	for rows.Next() {
		var f Followed
		var contacts string
		if err := rows.Scan(&f.OfferID, &f.Revision, &f.Title, &f.Organisation, &f.Source, &f.DeadlineKind,
			&f.DeadlinePhrase, &f.LastDay, &f.DeadlineAt, &contacts, &f.City, &f.PreviousLastDay, &f.Basis, &f.BasisDate); err != nil {
			return nil, fmt.Errorf("store: followed offers of %d: %w", id, err)
		}
		if err := json.Unmarshal([]byte(contacts), &f.Contacts); err != nil {
			return nil, fmt.Errorf("store: followed offers of %d: %w", id, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
