package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Bounces is what the bounces of a subscriber's messages said.
type Bounces struct {
	// FailedAt is when a hard bounce said the address does not work; nil
	// while none did.
	FailedAt *time.Time
	// Soft counts temporary failures (a full mailbox, a delay).
	Soft int
	// Last is the reason the last bounce gave.
	Last string
}

// RecordBounce records a bounce of a message to subscriber id. A hard
// bounce marks the address failed and pauses the student with the reason
// (an unsubscribed student stays unsubscribed); a soft one is counted.
func (s *Store) RecordBounce(ctx context.Context, id int64, hard bool, reason string, now time.Time) error {
	var q string
	if hard {
		q = `UPDATE subscribers SET address_failed_at = ?1, last_bounce = ?2,
       state = CASE WHEN state IN ('active', 'paused', 'pending') THEN 'paused' ELSE state END,
       state_reason = CASE WHEN state IN ('active', 'paused', 'pending') THEN 'paused by echeance: address failed: ' || ?2
                      ELSE state_reason END
WHERE id = ?3`
	} else {
		q = `UPDATE subscribers SET soft_bounces = soft_bounces + 1, last_bounce = ?2 WHERE id = ?3 AND ?1 IS NOT NULL`
	}
	res, err := s.db.ExecContext(ctx, q, utc(now), reason, id)
	if err != nil {
		return fmt.Errorf("store: subscriber %d: record bounce: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: subscriber %d: %w", id, ErrNotFound)
	}
	return nil
}

// BouncesOf returns what the bounces of subscriber id's messages said.
func (s *Store) BouncesOf(ctx context.Context, id int64) (Bounces, error) {
	var b Bounces
	var failed sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT address_failed_at, soft_bounces, last_bounce FROM subscribers WHERE id = ?`, id).
		Scan(&failed, &b.Soft, &b.Last)
	if errors.Is(err, sql.ErrNoRows) {
		return Bounces{}, fmt.Errorf("store: subscriber %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Bounces{}, fmt.Errorf("store: subscriber %d: bounces: %w", id, err)
	}
	if failed.Valid {
		b.FailedAt = &failed.Time
	}
	return b, nil
}
