package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/echeance/echeance/dedup"
	"github.com/echeance/echeance/offer"
)

// Offer is an offer as stored.
type Offer struct {
	ID       int64
	AddedAt  time.Time
	Revision int
	offer.Offer
}

// AddResult says what AddOffer did.
type AddResult struct {
	ID int64
	// Created is true for a new offer.
	Created bool
	// Updated is true when a new text replaced an offer from the same source.
	Updated bool
	// DeadlineChanged is true when that update moved the deadline: pending
	// reminders were dropped, to be planned again, and followers notified.
	DeadlineChanged bool
	// Merged is true when the text was recognised as a stored offer read
	// from another source (a near-duplicate): its source was added to
	// that offer, which Updated says was also updated.
	Merged bool
}

const insertOffer = `
INSERT INTO offers (digest, source, title, organisation, deadline_kind, deadline_phrase,
                    last_day, due_at, extract, body, added_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const offerByDigest = `SELECT id FROM offers WHERE digest = ?`

// offerBySource finds the offer an updated text replaces: the latest one
// read from the same file or URL.
const offerBySource = `SELECT id, last_day, due_at FROM offers WHERE source = ? ORDER BY id DESC LIMIT 1`

const updateOffer = `
UPDATE offers SET digest = ?, title = ?, organisation = ?, deadline_kind = ?, deadline_phrase = ?,
       last_day = ?, due_at = ?, extract = ?, body = ?, updated_at = ?
WHERE id = ?`

// followAllNewOffer subscribes the students who follow every offer.
const followAllNewOffer = `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, via, created_at)
SELECT id, ?, 'all', ? FROM subscribers WHERE follow_all = 1`

// AddOffer stores o, read from the file, URL or standard input o.File
// names (see AddOfferFrom).
func (s *Store) AddOffer(ctx context.Context, o offer.Offer, now time.Time) (AddResult, error) {
	return s.AddOfferFrom(ctx, o, SourceOf(o.File), now)
}

// AddOfferFrom stores o, read from src. The same text already stored is
// left alone; a new text from a source already stored (the same file
// edited, the same URL) updates that offer; a text near enough to a stored
// offer's (package dedup: the same offer from another source, or a later
// version) is that offer: a later version updates it, unless it says less
// of the deadline (none, or an estimate for a stated one), when it only
// adds its source. Anything else is a new offer,
// which students who follow every offer now follow. In every case src is
// recorded among the offer's sources.
func (s *Store) AddOfferFrom(ctx context.Context, o offer.Offer, src Source, now time.Time) (AddResult, error) {
	extract, err := json.Marshal(o)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add offer %s: %w", o.File, err)
	}
	digest := o.Digest()
	sketch, hasSketch := dedup.Of(o.Text)
	var res AddResult
	err = s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, offerByDigest, digest).Scan(&res.ID)
		if err == nil {
			return addSource(ctx, tx, res.ID, src, digest, now)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		update := func(id int64, lastDay string, due sql.NullTime) error {
			res.ID, res.Updated = id, true
			if _, err := tx.ExecContext(ctx, updateOffer, digest, o.Title, o.Organisation, o.Deadline.Kind,
				o.Deadline.Phrase, o.Deadline.LastDay, nullTime(o.Deadline.DueAt), string(extract), o.Text,
				utc(now), res.ID); err != nil {
				return err
			}
			if err := saveSketch(ctx, tx, res.ID, sketch, hasSketch); err != nil {
				return err
			}
			if err := addSource(ctx, tx, res.ID, src, digest, now); err != nil {
				return err
			}
			changed := lastDay != o.Deadline.LastDay || !sameTime(due, o.Deadline.DueAt)
			// A new deadline is read anew, and a new text may settle an
			// offer that waits; a confirmed deadline that did not move
			// stays confirmed.
			var waiting bool
			if err := tx.QueryRowContext(ctx, `SELECT review = 'pending' FROM offers WHERE id = ?`, res.ID).Scan(&waiting); err != nil {
				return err
			}
			if changed || waiting {
				if err := s.applyReview(ctx, tx, res.ID, o); err != nil {
					return err
				}
			}
			if changed {
				res.DeadlineChanged = true
				return deadlineChanged(ctx, tx, res.ID, lastDay, now)
			}
			return nil
		}
		if o.File != "-" && o.File != "" {
			var id int64
			var lastDay string
			var due sql.NullTime
			err := tx.QueryRowContext(ctx, offerBySource, o.File).Scan(&id, &lastDay, &due)
			if err == nil {
				return update(id, lastDay, due)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if hasSketch {
			near, err := nearest(ctx, tx, sketch, o.Text)
			if err != nil {
				return err
			}
			if near.id != 0 {
				res.Merged = true
				if kindRank(o.Deadline.Kind) < kindRank(near.kind) {
					// A copy that states no deadline (a summary, a page
					// without the date) does not take the deadline away,
					// nor does an estimate replace a stated one.
					res.ID = near.id
					return addSource(ctx, tx, near.id, src, digest, now)
				}
				return update(near.id, near.lastDay, near.due)
			}
		}
		r, err := tx.ExecContext(ctx, insertOffer, digest, o.File, o.Title, o.Organisation,
			o.Deadline.Kind, o.Deadline.Phrase, o.Deadline.LastDay, nullTime(o.Deadline.DueAt),
			string(extract), o.Text, utc(now), utc(now))
		if err != nil {
			return err
		}
		if res.ID, err = r.LastInsertId(); err != nil {
			return err
		}
		res.Created = true
		if err := s.applyReview(ctx, tx, res.ID, o); err != nil {
			return err
		}
		if err := saveSketch(ctx, tx, res.ID, sketch, hasSketch); err != nil {
			return err
		}
		if err := addSource(ctx, tx, res.ID, src, digest, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, followAllNewOffer, res.ID, utc(now))
		return err
	})
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add offer %s: %w", o.File, err)
	}
	return res, nil
}

// kindRank orders deadline kinds by how much they say.
func kindRank(kind string) int {
	switch kind {
	case offer.KindExplicit:
		return 2
	case offer.KindEstimated:
		return 1
	}
	return 0
}

func sameTime(a sql.NullTime, b *time.Time) bool {
	if !a.Valid || b == nil {
		return a.Valid == (b != nil)
	}
	return a.Time.Equal(utc(*b))
}

// deadlineChanged bumps the offer's revision, drops its pending reminders so
// the scheduler plans them again for the new date, and queues one
// "deadline changed" notice for each active follower.
func deadlineChanged(ctx context.Context, tx *sql.Tx, offerID int64, previousLastDay string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE offers SET revision = revision + 1, previous_last_day = ? WHERE id = ?`,
		previousLastDay, offerID); err != nil {
		return err
	}
	stmts := []string{
		// Through the followers, so the unique key (subscriber_id, offer_id,
		// ...) finds the rows without an index on offer_id.
		`UPDATE reminders SET state = 'skipped', last_error = 'deadline changed'
		 WHERE subscriber_id IN (SELECT subscriber_id FROM subscriptions WHERE offer_id = ?1)
		   AND offer_id = ?1 AND state = 'pending' AND kind = 'reminder'`,
		`UPDATE subscriptions SET planned_at = NULL WHERE offer_id = ?`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, offerID); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `
INSERT OR IGNORE INTO reminders (subscriber_id, offer_id, kind, revision, offset_days, due_at)
SELECT f.subscriber_id, f.offer_id, 'deadline_changed', o.revision, 0, ?
FROM subscriptions f
JOIN subscribers s ON s.id = f.subscriber_id
JOIN offers o ON o.id = f.offer_id
WHERE f.offer_id = ? AND f.status = 'following' AND s.state = 'active'`, utc(now), offerID)
	return err
}

// SetDeadline replaces an offer's deadline by hand (the last day to apply,
// closing at dueAt), with the same effects as an updated text; an offer
// waiting for review is thereby confirmed.
func (s *Store) SetDeadline(ctx context.Context, id int64, d offer.Deadline, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		o, err := scanOffer(tx.QueryRowContext(ctx, selectOffers+` WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		previous := o.Deadline.LastDay
		o.Deadline = d
		extract, err := json.Marshal(o.Offer)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE offers SET deadline_kind = ?, deadline_phrase = ?, last_day = ?, due_at = ?, extract = ?, updated_at = ?
WHERE id = ?`, d.Kind, d.Phrase, d.LastDay, nullTime(d.DueAt), string(extract), utc(now), id); err != nil {
			return err
		}
		if err := deadlineChanged(ctx, tx, id, previous, now); err != nil {
			return err
		}
		_, err = confirm(ctx, tx, id, "", now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set deadline of offer %d: %w", id, err)
	}
	return nil
}

const selectOffers = `SELECT id, added_at, revision, extract, body FROM offers`

func scanOffer(row interface{ Scan(...any) error }) (Offer, error) {
	var o Offer
	var extract string
	if err := row.Scan(&o.ID, &o.AddedAt, &o.Revision, &extract, &o.Text); err != nil {
		return Offer{}, err
	}
	if err := json.Unmarshal([]byte(extract), &o.Offer); err != nil {
		return Offer{}, fmt.Errorf("offer %d: decode extract: %w", o.ID, err)
	}
	return o, nil
}

func (s *Store) queryOffers(ctx context.Context, what, query string, args ...any) ([]Offer, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Offer
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// Offers returns every stored offer, oldest first.
func (s *Store) Offers(ctx context.Context) ([]Offer, error) {
	return s.queryOffers(ctx, "list offers", selectOffers+` ORDER BY id`)
}

const selectUnmatched = selectOffers + ` WHERE matched_at IS NULL ORDER BY id LIMIT ?`

// UnmatchedOffers returns up to limit offers not yet matched against saved
// searches.
func (s *Store) UnmatchedOffers(ctx context.Context, limit int) ([]Offer, error) {
	return s.queryOffers(ctx, "unmatched offers", selectUnmatched, limit)
}

// Offer returns the offer with id.
func (s *Store) Offer(ctx context.Context, id int64) (Offer, error) {
	o, err := scanOffer(s.db.QueryRowContext(ctx, selectOffers+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Offer{}, fmt.Errorf("store: offer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Offer{}, fmt.Errorf("store: offer %d: %w", id, err)
	}
	return o, nil
}

// OpenOffers returns the offers still open at now (their applications
// close after now, or they state no deadline) and not archived, by closing
// time, the offers without a deadline last.
func (s *Store) OpenOffers(ctx context.Context, now time.Time) ([]Offer, error) {
	return s.queryOffers(ctx, "open offers", `SELECT id, added_at, revision, extract, body FROM offers
WHERE (due_at IS NULL OR due_at > ?) AND archived_at IS NULL ORDER BY due_at IS NULL, due_at, id`, utc(now))
}
