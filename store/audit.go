package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// This file holds the audit log: one row per administrator action, from
// the console or the command line. A row about a student carries their id
// (SubscriberID); when the student is deleted, a trigger blanks the
// detail of their rows (migration 0007), so that no email survives them.

// AuditEntry is one administrator action.
type AuditEntry struct {
	ID int64
	At time.Time
	// Admin is who acted: an administrator's email, or cli:USER.
	Admin string
	// Action is a stable name: offer.add, offer.archive, student.edit, ...
	Action string
	// Object names what was acted on without personal data: "offer 12",
	// "student 7", "admin 3".
	Object string
	// OfferID and SubscriberID, when not 0, say which offer or student.
	OfferID      int64
	SubscriberID int64
	// Detail says what changed; it may hold an email or a name.
	Detail string
}

const insertAudit = `INSERT INTO audit (at, admin, action, object, offer_id, subscriber_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func audit(ctx context.Context, tx *sql.Tx, e AuditEntry, now time.Time) error {
	_, err := tx.ExecContext(ctx, insertAudit, utc(now), e.Admin, e.Action, e.Object, nullID(e.OfferID), nullID(e.SubscriberID), e.Detail)
	return err
}

// Audit records an administrator action at now.
func (s *Store) Audit(ctx context.Context, e AuditEntry, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, insertAudit, utc(now), e.Admin, e.Action, e.Object, nullID(e.OfferID),
		nullID(e.SubscriberID), e.Detail); err != nil {
		return fmt.Errorf("store: audit %s %s: %w", e.Action, e.Object, err)
	}
	return nil
}

// AuditFilter selects audit rows: all of them, or one offer's, newest
// first, before id Before (0: from the newest), at most Limit.
type AuditFilter struct {
	OfferID int64
	Before  int64
	Limit   int
}

// AuditLog returns the audit rows f selects, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := `SELECT id, at, admin, action, object, COALESCE(offer_id, 0), COALESCE(subscriber_id, 0), detail FROM audit WHERE 1`
	var args []any
	if f.OfferID != 0 {
		q += ` AND offer_id = ?`
		args = append(args, f.OfferID)
	}
	if f.Before > 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Admin, &e.Action, &e.Object, &e.OfferID, &e.SubscriberID, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
