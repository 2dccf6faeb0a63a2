package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/echeance/echeance/search"
)

// SubscriberEdit is a change to a student's settings; a nil field is left
// as it is. The command line (subscriber edit), the console and the
// students' own page all change a student through EditSubscriber.
type SubscriberEdit struct {
	// Offsets replaces the reminder offsets; an empty slice means the
	// configured default. Each is 0 to 365 days.
	Offsets *[]int
	// Lang is "fr" or "en".
	Lang *string
	// Name replaces the student's name (checked by CheckName).
	Name *string
	// Weekly turns the weekly summary on or off.
	Weekly *bool
	// AddSearches saves new searches (checked by search.Parse); the stored
	// offers they match are followed at once.
	AddSearches []string
	// RemoveSearches deletes saved searches by id; ids of another student's
	// searches are ignored.
	RemoveSearches []int64
}

// MaxOffset bounds a reminder offset, in days before the last day.
const MaxOffset = 365

// EditSubscriber applies e to subscriber id in one transaction. New
// offsets drop the student's pending reminders so that the scheduler plans
// them again (reminders already sent stay sent and are not sent twice).
// It returns ErrNotFound (wrapped) for an unknown or unsubscribed student.
func (s *Store) EditSubscriber(ctx context.Context, id int64, e SubscriberEdit, now time.Time) error {
	var queries []search.Query
	for _, q := range e.AddSearches {
		p, err := search.Parse(q)
		if err != nil {
			return fmt.Errorf("store: edit subscriber %d: %w", id, err)
		}
		queries = append(queries, p)
	}
	if err := e.check(); err != nil {
		return fmt.Errorf("store: edit subscriber %d: %w", id, err)
	}
	var offers []Offer
	if len(queries) > 0 {
		var err error
		if offers, err = s.OpenOffers(ctx, now); err != nil {
			return fmt.Errorf("store: edit subscriber %d: %w", id, err)
		}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM subscribers WHERE id = ?`, id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) || err == nil && state == StateUnsubscribed {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if e.Offsets != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET offsets = ? WHERE id = ?`, formatOffsets(*e.Offsets), id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE subscriber_id = ? AND state = 'pending' AND kind = 'reminder'`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET planned_at = NULL WHERE subscriber_id = ?`, id); err != nil {
				return err
			}
		}
		if e.Lang != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET lang = ? WHERE id = ?`, *e.Lang, id); err != nil {
				return err
			}
		}
		if e.Name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET name = ? WHERE id = ?`, *e.Name, id); err != nil {
				return err
			}
		}
		if e.Weekly != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET weekly = ? WHERE id = ?`, *e.Weekly, id); err != nil {
				return err
			}
		}
		for _, sid := range e.RemoveSearches {
			if _, err := tx.ExecContext(ctx, `DELETE FROM searches WHERE id = ? AND subscriber_id = ?`, sid, id); err != nil {
				return err
			}
		}
		for _, q := range queries {
			if _, err := tx.ExecContext(ctx, insertSearch, id, q.Written, utc(now)); err != nil {
				return err
			}
			for _, o := range offers {
				if q.Match(o.Offer) {
					if _, err := tx.ExecContext(ctx, followOffer, id, o.ID, "search", utc(now)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: edit subscriber %d: %w", id, err)
	}
	return nil
}

func (e SubscriberEdit) check() error {
	if e.Offsets != nil {
		if len(*e.Offsets) > 10 {
			return fmt.Errorf("%d offsets: at most 10", len(*e.Offsets))
		}
		for _, d := range *e.Offsets {
			if d < 0 || d > MaxOffset {
				return fmt.Errorf("offset %d days: must be 0 to %d", d, MaxOffset)
			}
		}
	}
	if e.Lang != nil && *e.Lang != "fr" && *e.Lang != "en" {
		return fmt.Errorf("language %q: want fr or en", *e.Lang)
	}
	if e.Name != nil {
		if err := CheckName(*e.Name); err != nil {
			return err
		}
	}
	if len(e.AddSearches) > 20 {
		return fmt.Errorf("%d searches: at most 20 at once", len(e.AddSearches))
	}
	return nil
}
