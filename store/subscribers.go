package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ErrExists is returned (wrapped) when adding what is already there.
var ErrExists = errors.New("already exists")

// Subscriber states.
const (
	StatePending      = "pending"
	StateActive       = "active"
	StatePaused       = "paused"
	StateUnsubscribed = "unsubscribed"
)

// Subscriber is a student who receives reminders.
type Subscriber struct {
	ID    int64
	Email string
	Name  string
	Lang  string
	// Offsets are the days before the last day to apply at which reminders
	// go out; nil means the configured default.
	Offsets   []int
	State     string
	FollowAll bool
	CreatedAt time.Time
	// Offers are the ids of the offers followed one by one.
	Offers []int64
}

// NormalizeEmail checks that s is a bare address (no display name) and
// returns it lower-cased.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") && !strings.HasSuffix(s, "@localhost") {
		return "", fmt.Errorf("invalid email address %q", s)
	}
	return strings.ToLower(s), nil
}

func formatOffsets(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d) + "d"
	}
	return strings.Join(parts, ",")
}

func parseOffsets(s string) []int {
	if s == "" {
		return nil
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSuffix(p, "d")); err == nil {
			out = append(out, n)
		}
	}
	return out
}

const insertSubscriber = `
INSERT INTO subscribers (email, name, lang, offsets, state, follow_all, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)`

const followAllOffers = `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, created_at)
SELECT ?, id, ? FROM offers`

const followOffer = `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, created_at) VALUES (?, ?, ?)`

// AddSubscriber stores sub, following the offers listed in sub.Offers, or
// every offer when sub.FollowAll is set. Nothing is stored if an offer does
// not exist or the address is taken.
func (s *Store) AddSubscriber(ctx context.Context, sub Subscriber, now time.Time) (int64, error) {
	email, err := NormalizeEmail(sub.Email)
	if err != nil {
		return 0, fmt.Errorf("store: add subscriber: %w", err)
	}
	if sub.Lang == "" {
		sub.Lang = "fr"
	}
	if sub.State == "" {
		sub.State = StateActive
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, insertSubscriber, email, sub.Name, sub.Lang,
			formatOffsets(sub.Offsets), sub.State, sub.FollowAll, utc(now))
		var se sqlite3.Error
		if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
			return ErrExists
		}
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if sub.FollowAll {
			if _, err := tx.ExecContext(ctx, followAllOffers, id, utc(now)); err != nil {
				return err
			}
		}
		for _, oid := range sub.Offers {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM offers WHERE id = ?`, oid).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("offer %d: %w", oid, ErrNotFound)
			} else if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, followOffer, id, oid, utc(now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: add subscriber %s: %w", email, err)
	}
	return id, nil
}

const selectSubscribers = `
SELECT s.id, s.email, s.name, s.lang, s.offsets, s.state, s.follow_all, s.created_at,
       COALESCE((SELECT group_concat(offer_id) FROM subscriptions WHERE subscriber_id = s.id), '')
FROM subscribers s`

func scanSubscriber(row interface{ Scan(...any) error }) (Subscriber, error) {
	var sub Subscriber
	var offsets, offers string
	if err := row.Scan(&sub.ID, &sub.Email, &sub.Name, &sub.Lang, &offsets, &sub.State,
		&sub.FollowAll, &sub.CreatedAt, &offers); err != nil {
		return Subscriber{}, err
	}
	sub.Offsets = parseOffsets(offsets)
	sub.Offers = []int64{}
	for _, p := range strings.Split(offers, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			sub.Offers = append(sub.Offers, id)
		}
	}
	return sub, nil
}

// Subscribers returns every subscriber, oldest first.
func (s *Store) Subscribers(ctx context.Context) ([]Subscriber, error) {
	rows, err := s.db.QueryContext(ctx, selectSubscribers+` ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("store: list subscribers: %w", err)
	}
	defer rows.Close()
	var out []Subscriber
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list subscribers: %w", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list subscribers: %w", err)
	}
	return out, nil
}

// SubscriberByEmail returns the subscriber with that address.
func (s *Store) SubscriberByEmail(ctx context.Context, email string) (Subscriber, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	sub, err := scanSubscriber(s.db.QueryRowContext(ctx, selectSubscribers+` WHERE s.email = ?`, e))
	if errors.Is(err, sql.ErrNoRows) {
		return Subscriber{}, fmt.Errorf("store: subscriber %s: %w", e, ErrNotFound)
	}
	if err != nil {
		return Subscriber{}, fmt.Errorf("store: subscriber %s: %w", e, err)
	}
	return sub, nil
}

// RemoveSubscriber deletes the subscriber with that address, with what they
// follow and their reminders.
func (s *Store) RemoveSubscriber(ctx context.Context, email string) error {
	e := strings.ToLower(strings.TrimSpace(email))
	res, err := s.db.ExecContext(ctx, `DELETE FROM subscribers WHERE email = ?`, e)
	if err != nil {
		return fmt.Errorf("store: remove subscriber %s: %w", e, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: remove subscriber %s: %w", e, ErrNotFound)
	}
	return nil
}
