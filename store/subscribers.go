package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
	// Offers are the ids of the offers followed.
	Offers []int64
	// Searches are saved searches: offers matching them are followed.
	Searches []string
	// StateReason says why a subscriber was paused by echeance itself.
	StateReason string
	// Weekly asks for the weekly summary of the deadlines of the week.
	Weekly bool
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
INSERT INTO subscribers (email, name, lang, offsets, state, follow_all, weekly, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

const followAllOffers = `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, via, created_at)
SELECT ?, id, 'all', ? FROM offers`

const followOffer = `
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, via, created_at) VALUES (?, ?, ?, ?)`

const insertSearch = `INSERT OR IGNORE INTO searches (subscriber_id, query, created_at) VALUES (?, ?, ?)`

// AddSubscriber stores sub, following the offers listed in sub.Offers, or
// every offer when sub.FollowAll is set, and saving sub.Searches. Nothing is
// stored if an offer does not exist or the address is taken.
func (s *Store) AddSubscriber(ctx context.Context, sub Subscriber, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = addSubscriber(ctx, tx, sub, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: add subscriber %s: %w", strings.ToLower(strings.TrimSpace(sub.Email)), err)
	}
	return id, nil
}

// ImportSubscribers adds subs in one transaction, each row on its own: a
// bad row (errs[i] != nil) leaves nothing behind, and the good rows are kept.
func (s *Store) ImportSubscribers(ctx context.Context, subs []Subscriber, now time.Time) (ids []int64, errs []error, err error) {
	ids = make([]int64, len(subs))
	errs = make([]error, len(subs))
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i, sub := range subs {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT row`); err != nil {
				return err
			}
			id, rowErr := addSubscriber(ctx, tx, sub, now)
			if rowErr != nil {
				errs[i] = rowErr
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO row`); err != nil {
					return err
				}
			}
			ids[i] = id
			if _, err := tx.ExecContext(ctx, `RELEASE row`); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: import subscribers: %w", err)
	}
	return ids, errs, nil
}

func addSubscriber(ctx context.Context, tx *sql.Tx, sub Subscriber, now time.Time) (int64, error) {
	email, err := NormalizeEmail(sub.Email)
	if err != nil {
		return 0, err
	}
	if sub.Lang == "" {
		sub.Lang = "fr"
	}
	if sub.State == "" {
		sub.State = StateActive
	}
	res, err := tx.ExecContext(ctx, insertSubscriber, email, sub.Name, sub.Lang,
		formatOffsets(sub.Offsets), sub.State, sub.FollowAll, sub.Weekly, utc(now))
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
		return 0, fmt.Errorf("%s: %w", email, ErrExists)
	}
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if sub.FollowAll {
		if _, err := tx.ExecContext(ctx, followAllOffers, id, utc(now)); err != nil {
			return 0, err
		}
	}
	for _, oid := range sub.Offers {
		if err := offerExists(ctx, tx, oid); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, followOffer, id, oid, "offer", utc(now)); err != nil {
			return 0, err
		}
	}
	for _, q := range sub.Searches {
		if _, err := tx.ExecContext(ctx, insertSearch, id, q, utc(now)); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func offerExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM offers WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("offer %d: %w", id, ErrNotFound)
	}
	return err
}

const selectSubscribers = `
SELECT s.id, s.email, s.name, s.lang, s.offsets, s.state, s.state_reason, s.follow_all, s.weekly, s.created_at,
       COALESCE((SELECT group_concat(offer_id) FROM subscriptions WHERE subscriber_id = s.id), ''),
       COALESCE((SELECT json_group_array(query) FROM searches WHERE subscriber_id = s.id), '[]')
FROM subscribers s`

func scanSubscriber(row interface{ Scan(...any) error }) (Subscriber, error) {
	var sub Subscriber
	var offsets, offers, searches string
	if err := row.Scan(&sub.ID, &sub.Email, &sub.Name, &sub.Lang, &offsets, &sub.State, &sub.StateReason,
		&sub.FollowAll, &sub.Weekly, &sub.CreatedAt, &offers, &searches); err != nil {
		return Subscriber{}, err
	}
	if err := json.Unmarshal([]byte(searches), &sub.Searches); err != nil {
		return Subscriber{}, fmt.Errorf("subscriber %d searches: %w", sub.ID, err)
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
	return s.querySubscribers(ctx, "list subscribers", selectSubscribers+` ORDER BY s.id`)
}

func (s *Store) querySubscribers(ctx context.Context, what, query string, args ...any) ([]Subscriber, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Subscriber
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
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

// SetSubscriberState moves a subscriber to state (active, paused or
// unsubscribed), with the reason when echeance itself decided it.
func (s *Store) SetSubscriberState(ctx context.Context, email, state, reason string) error {
	e := strings.ToLower(strings.TrimSpace(email))
	return s.updateSubscriber(ctx, e, "set state "+state,
		`UPDATE subscribers SET state = ?, state_reason = ?, failures = 0 WHERE email = ?`, state, reason, e)
}

// SetSubscriberStateByID is SetSubscriberState for a subscriber id, as the
// one-click links know it.
func (s *Store) SetSubscriberStateByID(ctx context.Context, id int64, state, reason string) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "set state "+state,
		`UPDATE subscribers SET state = ?, state_reason = ?, failures = 0 WHERE id = ?`, state, reason, id)
}

// ConfirmSubscriber activates a pending subscriber (double opt-in); other
// states are left as they are.
func (s *Store) ConfirmSubscriber(ctx context.Context, id int64) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "confirm",
		`UPDATE subscribers SET state = CASE state WHEN 'pending' THEN 'active' ELSE state END WHERE id = ?`, id)
}

// SetLanguage sets the language of a subscriber's emails.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "set language",
		`UPDATE subscribers SET lang = ? WHERE id = ?`, lang, id)
}

func (s *Store) updateSubscriber(ctx context.Context, who, what, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: subscriber %s: %s: %w", who, what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: subscriber %s: %w", who, ErrNotFound)
	}
	return nil
}

// SubscriberByID returns the subscriber with id.
func (s *Store) SubscriberByID(ctx context.Context, id int64) (Subscriber, error) {
	sub, err := scanSubscriber(s.db.QueryRowContext(ctx, selectSubscribers+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Subscriber{}, fmt.Errorf("store: subscriber %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Subscriber{}, fmt.Errorf("store: subscriber %d: %w", id, err)
	}
	return sub, nil
}

// Follow statuses.
const (
	Following     = "following"
	Applied       = "applied"
	NotInterested = "not_interested"
)

// Follow makes the subscriber follow an offer with status: following starts
// (or resumes) its reminders; applied and not_interested stop them.
func (s *Store) Follow(ctx context.Context, email string, offerID int64, status string, now time.Time) error {
	e := strings.ToLower(strings.TrimSpace(email))
	var sid int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM subscribers WHERE email = ?`, e).Scan(&sid)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s follows offer %d: subscriber %s: %w", e, offerID, e, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: %s follows offer %d: %w", e, offerID, err)
	}
	return s.FollowByID(ctx, sid, offerID, status, now)
}

// FollowByID is Follow for a subscriber id.
func (s *Store) FollowByID(ctx context.Context, sid, offerID int64, status string, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := offerExists(ctx, tx, offerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO subscriptions (subscriber_id, offer_id, status, via, created_at) VALUES (?, ?, ?, 'offer', ?)
ON CONFLICT (subscriber_id, offer_id) DO UPDATE SET status = excluded.status`, sid, offerID, status, utc(now)); err != nil {
			return err
		}
		if status == Following {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE reminders SET state = 'skipped', last_error = ?
WHERE subscriber_id = ? AND offer_id = ? AND state = 'pending'`, status, sid, offerID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: subscriber %d follows offer %d: %w", sid, offerID, err)
	}
	return nil
}

// ToConfirm returns up to limit pending subscribers who have not been sent
// the message that asks them to confirm.
func (s *Store) ToConfirm(ctx context.Context, limit int) ([]Subscriber, error) {
	return s.querySubscribers(ctx, "subscribers to confirm", selectSubscribers+`
WHERE s.state = 'pending' AND s.confirm_sent_at IS NULL ORDER BY s.id LIMIT ?`, limit)
}

// MarkConfirmationSent records that subscriber id was asked to confirm.
func (s *Store) MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "mark confirmation sent",
		`UPDATE subscribers SET confirm_sent_at = ? WHERE id = ?`, utc(at), id)
}

// WeeklyDue returns up to limit active subscribers who asked for the weekly
// summary and have not had one since weekStart.
func (s *Store) WeeklyDue(ctx context.Context, weekStart time.Time, limit int) ([]Subscriber, error) {
	return s.querySubscribers(ctx, "weekly summaries due", selectSubscribers+`
WHERE s.weekly = 1 AND s.state = 'active' AND (s.weekly_sent_at IS NULL OR s.weekly_sent_at < ?)
ORDER BY s.id LIMIT ?`, utc(weekStart), limit)
}

// MarkWeeklySent records that subscriber id had this week's summary (or
// had nothing due this week).
func (s *Store) MarkWeeklySent(ctx context.Context, id int64, at time.Time) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "mark weekly summary sent",
		`UPDATE subscribers SET weekly_sent_at = ? WHERE id = ?`, utc(at), id)
}
