package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// This file holds what the console and the matching commands need beyond
// the rest of the store: lists read a page at a time (the console lists
// thousands of offers and hundreds of thousands of students), and the
// offer actions an administrator takes (archive, remove, rename), each
// audited in the same transaction.

// OfferRow is an offer in the console's list.
type OfferRow struct {
	ID           int64
	Title        string
	Organisation string
	Source       string
	DeadlineKind string
	LastDay      string
	Review       string
	Archived     bool
	AddedAt      time.Time
}

// likeEscape escapes s for a LIKE pattern (escape character \): %, _ and
// \ match themselves.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListOffers returns up to limit offers whose title or organisation
// contains q (any case; "" for all), newest first, skipping offset.
func (s *Store) ListOffers(ctx context.Context, q string, offset, limit int) ([]OfferRow, error) {
	query := `SELECT id, title, organisation, source, deadline_kind, last_day, review, archived_at IS NOT NULL, added_at FROM offers`
	var args []any
	if q = strings.TrimSpace(q); q != "" {
		query += ` WHERE title LIKE ?1 ESCAPE '\' OR organisation LIKE ?1 ESCAPE '\'`
		args = append(args, "%"+likeEscape(q)+"%")
	}
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT %d OFFSET %d`, max(limit, 1), max(offset, 0))
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list offers: %w", err)
	}
	defer rows.Close()
	var out []OfferRow
	for rows.Next() {
		var o OfferRow
		if err := rows.Scan(&o.ID, &o.Title, &o.Organisation, &o.Source, &o.DeadlineKind, &o.LastDay, &o.Review,
			&o.Archived, &o.AddedAt); err != nil {
			return nil, fmt.Errorf("store: list offers: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OfferState returns the console's view of one offer: its review state and
// whether it is archived.
func (s *Store) OfferState(ctx context.Context, id int64) (OfferRow, error) {
	var o OfferRow
	err := s.db.QueryRowContext(ctx, `SELECT id, title, organisation, source, deadline_kind, last_day, review, archived_at IS NOT NULL, added_at
FROM offers WHERE id = ?`, id).Scan(&o.ID, &o.Title, &o.Organisation, &o.Source, &o.DeadlineKind, &o.LastDay, &o.Review, &o.Archived, &o.AddedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return OfferRow{}, fmt.Errorf("store: offer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return OfferRow{}, fmt.Errorf("store: offer %d: %w", id, err)
	}
	return o, nil
}

// ArchiveOffer hides offer id from students' lists and skips its pending
// reminders and notices; the offer and its history stay. by is who did it.
func (s *Store) ArchiveOffer(ctx context.Context, id int64, by string, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := offerExists(ctx, tx, id); err != nil {
			return err
		}
		stmts := []string{
			`UPDATE offers SET archived_at = COALESCE(archived_at, ?2) WHERE id = ?1`,
			// Through the followers, as in deadlineChanged, for the unique key.
			`UPDATE reminders SET state = 'skipped', last_error = 'archived'
			 WHERE subscriber_id IN (SELECT subscriber_id FROM subscriptions WHERE offer_id = ?1)
			   AND offer_id = ?1 AND state = 'pending'`,
			// Nothing left to plan for an archived offer.
			`UPDATE subscriptions SET planned_at = ?2 WHERE offer_id = ?1 AND planned_at IS NULL`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, id, utc(now)); err != nil {
				return err
			}
		}
		return audit(ctx, tx, AuditEntry{Admin: by, Action: "offer.archive", Object: fmt.Sprintf("offer %d", id), OfferID: id}, now)
	})
	if err != nil {
		return fmt.Errorf("store: archive offer %d: %w", id, err)
	}
	return nil
}

// RemoveOffer deletes offer id with its follows, sources and reminders.
// Its audit rows stay, with the title it had.
func (s *Store) RemoveOffer(ctx context.Context, id int64, by string, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var title string
		err := tx.QueryRowContext(ctx, `SELECT title FROM offers WHERE id = ?`, id).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		// Reminders first, through the followers (the unique key's order).
		if _, err := tx.ExecContext(ctx, `DELETE FROM reminders
WHERE subscriber_id IN (SELECT subscriber_id FROM subscriptions WHERE offer_id = ?1) AND offer_id = ?1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM offers WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, AuditEntry{Admin: by, Action: "offer.remove", Object: fmt.Sprintf("offer %d", id), OfferID: id,
			Detail: title}, now)
	})
	if err != nil {
		return fmt.Errorf("store: remove offer %d: %w", id, err)
	}
	return nil
}

// RenameOffer sets an offer's title and organisation by hand, in its
// columns and in what was read of it (the extract), so that every page and
// email says the same.
func (s *Store) RenameOffer(ctx context.Context, id int64, title, organisation, by string, now time.Time) error {
	title, organisation = strings.TrimSpace(title), strings.TrimSpace(organisation)
	for _, v := range []string{title, organisation} {
		if len([]rune(v)) > 300 || strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("store: rename offer %d: %.40q: at most 300 characters on one line", id, v)
		}
	}
	if title == "" {
		return fmt.Errorf("store: rename offer %d: the title is empty", id)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		o, err := scanOffer(tx.QueryRowContext(ctx, selectOffers+` WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var changes []string
		if o.Title != title {
			changes = append(changes, fmt.Sprintf("title %q → %q", o.Title, title))
		}
		if o.Organisation != organisation {
			changes = append(changes, fmt.Sprintf("organisation %q → %q", o.Organisation, organisation))
		}
		if len(changes) == 0 {
			return nil
		}
		o.Title, o.Organisation = title, organisation
		extract, err := json.Marshal(o.Offer)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = ?, organisation = ?, extract = ?, updated_at = ? WHERE id = ?`,
			title, organisation, string(extract), utc(now), id); err != nil {
			return err
		}
		return audit(ctx, tx, AuditEntry{Admin: by, Action: "offer.edit", Object: fmt.Sprintf("offer %d", id), OfferID: id,
			Detail: strings.Join(changes, "; ")}, now)
	})
	if err != nil {
		return fmt.Errorf("store: rename offer %d: %w", id, err)
	}
	return nil
}

// StudentRow is a student in the console's list.
type StudentRow struct {
	ID        int64
	Email     string
	Name      string
	Lang      string
	State     string
	CreatedAt time.Time
}

// ListStudents returns up to limit students whose email or name starts
// with prefix (any case; "" for all), by email, skipping offset.
func (s *Store) ListStudents(ctx context.Context, prefix string, offset, limit int) ([]StudentRow, error) {
	query := `SELECT id, email, name, lang, state, created_at FROM subscribers`
	var args []any
	if prefix = strings.TrimSpace(prefix); prefix != "" {
		// Two ranges of two indexes (email, name), each read in order.
		query = `SELECT id, email, name, lang, state, created_at FROM subscribers WHERE email LIKE ?1 ESCAPE '\'
UNION SELECT id, email, name, lang, state, created_at FROM subscribers WHERE name LIKE ?1 ESCAPE '\'`
		args = append(args, likeEscape(prefix)+"%")
	}
	query += fmt.Sprintf(` ORDER BY email LIMIT %d OFFSET %d`, max(limit, 1), max(offset, 0))
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list students: %w", err)
	}
	defer rows.Close()
	var out []StudentRow
	for rows.Next() {
		var r StudentRow
		if err := rows.Scan(&r.ID, &r.Email, &r.Name, &r.Lang, &r.State, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: list students: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Outbox views, for ListOutbox.
const (
	OutboxDue      = "due"
	OutboxPending  = "pending"
	OutboxSent     = "sent"
	OutboxRetrying = "retrying"
	OutboxFailed   = "failed"
)

// ListOutbox returns up to limit outbox rows of one view (due, pending,
// sent, retrying, failed) at now, skipping offset: the rows to send
// soonest first, the sent and failed ones latest first.
func (s *Store) ListOutbox(ctx context.Context, view string, now time.Time, offset, limit int) ([]ReminderRow, error) {
	q := `
SELECT r.id, s.email, r.offer_id, o.title, r.kind, r.offset_days, r.due_at, r.state, r.attempts, r.last_error
FROM reminders r
JOIN subscribers s ON s.id = r.subscriber_id
JOIN offers o ON o.id = r.offer_id `
	var args []any
	switch view {
	case OutboxDue:
		q += `WHERE r.state = 'pending' AND r.due_at <= ? ORDER BY r.due_at, r.id`
		args = append(args, utc(now))
	case OutboxPending:
		q += `WHERE r.state = 'pending' ORDER BY r.due_at, r.id`
	case OutboxRetrying:
		q += `WHERE r.state = 'pending' AND r.attempts > 0 ORDER BY r.due_at, r.id`
	case OutboxSent:
		q += `WHERE r.state = 'sent' ORDER BY r.id DESC`
	case OutboxFailed:
		q += `WHERE r.state = 'failed' ORDER BY r.id DESC`
	default:
		return nil, fmt.Errorf("store: outbox: unknown view %q", view)
	}
	q += fmt.Sprintf(` LIMIT %d OFFSET %d`, max(limit, 1), max(offset, 0))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox %s: %w", view, err)
	}
	defer rows.Close()
	var out []ReminderRow
	for rows.Next() {
		var r ReminderRow
		if err := rows.Scan(&r.ID, &r.Email, &r.OfferID, &r.Title, &r.Kind, &r.OffsetDays, &r.DueAt,
			&r.State, &r.Attempts, &r.LastError); err != nil {
			return nil, fmt.Errorf("store: outbox %s: %w", view, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Resend puts a failed reminder back in the outbox, due at now, and
// returns the student it goes to. Only a failed reminder can be resent:
// one sent is never sent twice.
func (s *Store) Resend(ctx context.Context, id int64, by string, now time.Time) (int64, error) {
	var sub, offerID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT subscriber_id, offer_id, state FROM reminders WHERE id = ?`, id).Scan(&sub, &offerID, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if state != "failed" {
			return fmt.Errorf("reminder %d is %s: only a failed one can be sent again", id, state)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reminders SET state = 'pending', due_at = ?, attempts = 0, next_attempt_at = NULL
WHERE id = ?`, utc(now), id); err != nil {
			return err
		}
		return audit(ctx, tx, AuditEntry{Admin: by, Action: "outbox.resend", Object: fmt.Sprintf("reminder %d", id),
			OfferID: offerID, SubscriberID: sub}, now)
	})
	if err != nil {
		return 0, fmt.Errorf("store: resend reminder %d: %w", id, err)
	}
	return sub, nil
}
