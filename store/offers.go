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

// Offer is an offer as stored.
type Offer struct {
	ID      int64
	AddedAt time.Time
	offer.Offer
}

const insertOffer = `
INSERT INTO offers (digest, source, title, organisation, deadline_kind, deadline_phrase,
                    last_day, due_at, extract, body, added_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (digest) DO NOTHING`

const offerIDByDigest = `SELECT id FROM offers WHERE digest = ?`

// followAllNewOffer subscribes the students who follow every offer.
const followAllNewOffer = `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, created_at)
SELECT id, ?, ? FROM subscribers WHERE follow_all = 1`

// AddOffer stores o unless the same text is already stored, and returns its
// id and whether it was new. Students who follow every offer now follow it.
func (s *Store) AddOffer(ctx context.Context, o offer.Offer, now time.Time) (id int64, created bool, err error) {
	extract, err := json.Marshal(o)
	if err != nil {
		return 0, false, fmt.Errorf("store: add offer %s: %w", o.File, err)
	}
	digest := o.Digest()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, insertOffer, digest, o.File, o.Title, o.Organisation,
			o.Deadline.Kind, o.Deadline.Phrase, o.Deadline.LastDay, nullTime(o.Deadline.DueAt),
			string(extract), o.Text, utc(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		created = n == 1
		if err := tx.QueryRowContext(ctx, offerIDByDigest, digest).Scan(&id); err != nil {
			return err
		}
		if created {
			if _, err := tx.ExecContext(ctx, followAllNewOffer, id, utc(now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: add offer %s: %w", o.File, err)
	}
	return id, created, nil
}

const selectOffers = `SELECT id, added_at, extract, body FROM offers`

func scanOffer(row interface{ Scan(...any) error }) (Offer, error) {
	var o Offer
	var extract string
	if err := row.Scan(&o.ID, &o.AddedAt, &extract, &o.Text); err != nil {
		return Offer{}, err
	}
	if err := json.Unmarshal([]byte(extract), &o.Offer); err != nil {
		return Offer{}, fmt.Errorf("offer %d: decode extract: %w", o.ID, err)
	}
	return o, nil
}

// Offers returns every stored offer, oldest first.
func (s *Store) Offers(ctx context.Context) ([]Offer, error) {
	rows, err := s.db.QueryContext(ctx, selectOffers+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list offers: %w", err)
	}
	defer rows.Close()
	var out []Offer
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list offers: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list offers: %w", err)
	}
	return out, nil
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
