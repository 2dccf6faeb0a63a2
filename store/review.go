package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/echeance/echeance/offer"
)

// Review states of an offer.
const (
	ReviewNone      = "none"      // nothing to check
	ReviewPending   = "pending"   // waiting for an administrator; reminders held
	ReviewConfirmed = "confirmed" // an administrator decided
)

// ReviewPolicy says whether an offer waits for review, and why. The store
// asks it for every new offer and every new text that moves a deadline.
type ReviewPolicy func(o offer.Offer) (hold bool, reasons []string)

// SetReviewPolicy sets the policy for the offers stored from now on; nil
// holds none. It may be called while the store is in use (a reload).
func (s *Store) SetReviewPolicy(p ReviewPolicy) {
	if p == nil {
		s.review.Store(nil)
		return
	}
	s.review.Store(&p)
}

// applyReview records what the policy says of o, stored as offer id.
func (s *Store) applyReview(ctx context.Context, tx *sql.Tx, id int64, o offer.Offer) error {
	state, reasons := ReviewNone, []string{}
	if p := s.review.Load(); p != nil {
		if hold, why := (*p)(o); hold {
			state, reasons = ReviewPending, why
		}
	}
	js, err := json.Marshal(reasons)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE offers SET review = ?, review_reasons = ?, reviewed_by = '', reviewed_at = NULL
WHERE id = ?`, state, string(js), id)
	return err
}

// Reviewed is an offer in the review queue, with what was read of it.
type Reviewed struct {
	Offer
	Reasons []string
}

// ReviewQueue returns the offers waiting for review, oldest first.
func (s *Store) ReviewQueue(ctx context.Context) ([]Reviewed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, added_at, revision, extract, body, review_reasons FROM offers
WHERE review = 'pending' AND archived_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: review queue: %w", err)
	}
	defer rows.Close()
	var out []Reviewed
	for rows.Next() {
		var r Reviewed
		var extract, reasons string
		if err := rows.Scan(&r.ID, &r.AddedAt, &r.Revision, &extract, &r.Text, &reasons); err != nil {
			return nil, fmt.Errorf("store: review queue: %w", err)
		}
		if err := json.Unmarshal([]byte(extract), &r.Offer.Offer); err != nil {
			return nil, fmt.Errorf("store: review queue: offer %d: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(reasons), &r.Reasons); err != nil {
			return nil, fmt.Errorf("store: review queue: offer %d reasons: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReviewState returns an offer's review state and revision.
func (s *Store) ReviewState(ctx context.Context, id int64) (state string, revision int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT review, revision FROM offers WHERE id = ?`, id).Scan(&state, &revision)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("store: offer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: offer %d: %w", id, err)
	}
	return state, revision, nil
}

// expireHeld expires the reminders of offer id whose time passed while it
// was held: a late decision sends the next reminder ahead, never a burst
// of stale ones. Notices ("new offer") are not reminders and go.
const expireHeld = `
UPDATE reminders SET state = 'expired', last_error = 'held for review'
WHERE subscriber_id IN (SELECT subscriber_id FROM subscriptions WHERE offer_id = ?1)
  AND offer_id = ?1 AND state = 'pending' AND kind = 'reminder' AND due_at < ?2`

// ConfirmOffer records that an administrator (by) checked what was read
// of offer id and releases its reminders; those whose time passed while it
// was held expire. It returns how many expired.
func (s *Store) ConfirmOffer(ctx context.Context, id int64, by string, now time.Time) (expired int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := offerExists(ctx, tx, id); err != nil {
			return err
		}
		var err error
		expired, err = confirm(ctx, tx, id, by, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: confirm offer %d: %w", id, err)
	}
	return expired, nil
}

func confirm(ctx context.Context, tx *sql.Tx, id int64, by string, now time.Time) (int, error) {
	var held bool
	if err := tx.QueryRowContext(ctx, `SELECT review = 'pending' FROM offers WHERE id = ?`, id).Scan(&held); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE offers SET review = 'confirmed', reviewed_by = ?, reviewed_at = ? WHERE id = ?`,
		by, utc(now), id); err != nil {
		return 0, err
	}
	if !held {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, expireHeld, id, utc(now))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SetNoDeadline records that offer id states no deadline (an
// administrator's decision): its pending reminders are dropped, the
// followers who were already reminded of it are told, and it is confirmed.
func (s *Store) SetNoDeadline(ctx context.Context, id int64, by string, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		o, err := scanOffer(tx.QueryRowContext(ctx, selectOffers+` WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		previous := o.Deadline.LastDay
		o.Deadline = offer.Deadline{Kind: offer.KindNone, Reasons: []string{"staff:none"}}
		extract, err := json.Marshal(o.Offer)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE offers SET deadline_kind = 'none', deadline_phrase = '', last_day = '', due_at = NULL, extract = ?,
       revision = revision + 1, previous_last_day = ?, updated_at = ?
WHERE id = ?`, string(extract), previous, utc(now), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE reminders SET state = 'skipped', last_error = 'no deadline'
WHERE subscriber_id IN (SELECT subscriber_id FROM subscriptions WHERE offer_id = ?1)
  AND offer_id = ?1 AND state = 'pending'`, id); err != nil {
			return err
		}
		// Only those who had a reminder about a deadline that is no more
		// need to hear of it.
		if _, err := tx.ExecContext(ctx, `
INSERT OR IGNORE INTO reminders (subscriber_id, offer_id, kind, revision, offset_days, due_at)
SELECT DISTINCT r.subscriber_id, r.offer_id, 'deadline_changed', o.revision, 0, ?
FROM reminders r JOIN offers o ON o.id = r.offer_id
JOIN subscriptions f ON f.subscriber_id = r.subscriber_id AND f.offer_id = r.offer_id AND f.status = 'following'
WHERE r.offer_id = ? AND r.state = 'sent' AND r.kind = 'reminder'`, utc(now), id); err != nil {
			return err
		}
		_, err = confirm(ctx, tx, id, by, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: offer %d: no deadline: %w", id, err)
	}
	return nil
}
