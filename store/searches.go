package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Search is a saved search of one subscriber.
type Search struct {
	ID           int64
	SubscriberID int64
	Query        string
}

// Searches returns the saved searches of active subscribers.
func (s *Store) Searches(ctx context.Context) ([]Search, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT q.id, q.subscriber_id, q.query FROM searches q
JOIN subscribers s ON s.id = q.subscriber_id
WHERE s.state = 'active' ORDER BY q.id`)
	if err != nil {
		return nil, fmt.Errorf("store: searches: %w", err)
	}
	defer rows.Close()
	var out []Search
	for rows.Next() {
		var q Search
		if err := rows.Scan(&q.ID, &q.SubscriberID, &q.Query); err != nil {
			return nil, fmt.Errorf("store: searches: %w", err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// Match is a subscriber whose saved search matches an offer.
type Match struct {
	SubscriberID int64
	OfferID      int64
}

// SaveMatches records, for new offers, who follows them through a saved
// search, queues one "new offer" notice for each (due at now), and marks
// the offers matched. A student already following an offer is not told
// again.
func (s *Store) SaveMatches(ctx context.Context, offerIDs []int64, matches []Match, now time.Time) (notices int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, m := range matches {
			res, err := tx.ExecContext(ctx, `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, via, created_at) VALUES (?, ?, 'search', ?)`,
				m.SubscriberID, m.OfferID, utc(now))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `
INSERT OR IGNORE INTO reminders (subscriber_id, offer_id, kind, revision, offset_days, due_at)
SELECT ?, id, 'new_offer', revision, 0, ? FROM offers WHERE id = ?`, m.SubscriberID, utc(now), m.OfferID); err != nil {
				return err
			}
			notices++
		}
		for _, id := range offerIDs {
			if _, err := tx.ExecContext(ctx, `UPDATE offers SET matched_at = ? WHERE id = ?`, utc(now), id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: save search matches: %w", err)
	}
	return notices, nil
}

// FollowOffers makes a subscriber follow offers found by a saved search
// when it is created (no notice: the student asked for them just now).
func (s *Store) FollowOffers(ctx context.Context, subscriberID int64, offerIDs []int64, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range offerIDs {
			if _, err := tx.ExecContext(ctx, followOffer, subscriberID, id, "search", utc(now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: subscriber %d follows offers: %w", subscriberID, err)
	}
	return nil
}

// SearchesOf returns the saved searches of subscriber id, oldest first.
func (s *Store) SearchesOf(ctx context.Context, id int64) ([]Search, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, subscriber_id, query FROM searches WHERE subscriber_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: searches of %d: %w", id, err)
	}
	defer rows.Close()
	var out []Search
	for rows.Next() {
		var q Search
		if err := rows.Scan(&q.ID, &q.SubscriberID, &q.Query); err != nil {
			return nil, fmt.Errorf("store: searches of %d: %w", id, err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// SearchOf returns saved search searchID of subscriber id: another
// student's search is not found.
func (s *Store) SearchOf(ctx context.Context, id, searchID int64) (Search, error) {
	q := Search{ID: searchID, SubscriberID: id}
	err := s.db.QueryRowContext(ctx, `SELECT query FROM searches WHERE id = ? AND subscriber_id = ?`, searchID, id).Scan(&q.Query)
	if errors.Is(err, sql.ErrNoRows) {
		return Search{}, fmt.Errorf("store: search %d of %d: %w", searchID, id, ErrNotFound)
	}
	if err != nil {
		return Search{}, fmt.Errorf("store: search %d of %d: %w", searchID, id, err)
	}
	return q, nil
}

// RemoveSearch deletes saved search searchID of subscriber id; the offers
// it found stay followed. Removing it twice is not an error.
func (s *Store) RemoveSearch(ctx context.Context, id, searchID int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM searches WHERE id = ? AND subscriber_id = ?`, searchID, id); err != nil {
		return fmt.Errorf("store: remove search %d of %d: %w", searchID, id, err)
	}
	return nil
}
