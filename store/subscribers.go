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
	"unicode"

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
	// LinkKey is the random value every one of the student's link tokens
	// is bound to; changing it revokes them all.
	LinkKey []byte
	// ByWeb is set by ToConfirm for a student who signed up on the web
	// page (otherwise the career service added them).
	ByWeb bool
	// LinkOffer is set by LinksToSend: the offer the student asked their
	// link from, 0 for none.
	LinkOffer int64
}

// Limits of RFC 5321 (4.5.3.1): a local part of 64 octets, a domain of 255,
// and a path that fits in 256 octets with its angle brackets.
const (
	maxLocalPart = 64
	maxDomain    = 255
	maxAddress   = 254
)

// MaxNameLength bounds a student's name, in characters: it is written in
// headers, which must stay under 998 octets a line.
const MaxNameLength = 100

// NormalizeEmail checks that s is a bare address (no display name) within
// RFC 5321's limits and returns it lower-cased.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || a.Address != s || at < 0 || !strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, "@localhost") {
		return "", fmt.Errorf("invalid email address %q", s)
	}
	if len(s) > maxAddress || at > maxLocalPart || len(s)-at-1 > maxDomain {
		return "", fmt.Errorf("invalid email address %.80q...: longer than RFC 5321 allows (local part 64, address 254 octets)", s)
	}
	return strings.ToLower(s), nil
}

// CheckName checks a student's name: at most MaxNameLength characters, no
// control or format characters.
func CheckName(name string) error {
	if n := len([]rune(name)); n > MaxNameLength {
		return fmt.Errorf("name of %d characters: at most %d", n, MaxNameLength)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("name %q: control or format character %U", name, r)
		}
	}
	return nil
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
	if err := CheckName(sub.Name); err != nil {
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
SELECT s.id, s.email, s.name, s.lang, s.offsets, s.state, s.state_reason, s.follow_all, s.weekly, s.created_at, s.link_key,
       COALESCE((SELECT group_concat(offer_id) FROM subscriptions WHERE subscriber_id = s.id), ''),
       COALESCE((SELECT json_group_array(query) FROM searches WHERE subscriber_id = s.id), '[]')
FROM subscribers s`

func scanSubscriber(row interface{ Scan(...any) error }) (Subscriber, error) {
	var sub Subscriber
	var offsets, offers, searches string
	if err := row.Scan(&sub.ID, &sub.Email, &sub.Name, &sub.Lang, &offsets, &sub.State, &sub.StateReason,
		&sub.FollowAll, &sub.Weekly, &sub.CreatedAt, &sub.LinkKey, &offers, &searches); err != nil {
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

// ErrUnsubscribed is returned (wrapped) when acting for a student who
// unsubscribed: only a new subscription, confirmed by the student, brings
// them back.
var ErrUnsubscribed = errors.New("unsubscribed: only a new subscription confirmed by the student brings them back")

// ErrPending is returned (wrapped) when resuming a student who has not
// confirmed their subscription yet.
var ErrPending = errors.New("pending: the student has not confirmed their subscription yet")

// SetSubscriberState pauses (state paused) or resumes (state active) the
// subscriber with that address, with the reason when echeance itself
// decided it. An unsubscribed or pending student is left as they are,
// with ErrUnsubscribed or ErrPending.
func (s *Store) SetSubscriberState(ctx context.Context, email, state, reason string) error {
	e := strings.ToLower(strings.TrimSpace(email))
	if state != StatePaused && state != StateActive {
		return fmt.Errorf("store: subscriber %s: cannot set state %q", e, state)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE subscribers SET state = ?, state_reason = ?, failures = 0
WHERE email = ? AND state IN ('active', 'paused')`, state, reason, e)
	if err != nil {
		return fmt.Errorf("store: subscriber %s: set state %s: %w", e, state, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	sub, err := s.SubscriberByEmail(ctx, e)
	if err != nil {
		return err
	}
	if sub.State == StatePending {
		return fmt.Errorf("store: subscriber %s: %w", e, ErrPending)
	}
	return fmt.Errorf("store: subscriber %s: %w", e, ErrUnsubscribed)
}

// Pause pauses an active subscriber, as their one-click link asks; any
// other state is left as it is.
func (s *Store) Pause(ctx context.Context, id int64) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "pause",
		`UPDATE subscribers SET state = CASE state WHEN 'active' THEN 'paused' ELSE state END WHERE id = ?`, id)
}

// Resume resumes a paused subscriber, as their one-click link asks; any
// other state (pending, unsubscribed) is left as it is.
func (s *Store) Resume(ctx context.Context, id int64) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "resume",
		`UPDATE subscribers SET state = CASE state WHEN 'paused' THEN 'active' ELSE state END,
  state_reason = CASE state WHEN 'paused' THEN '' ELSE state_reason END, failures = 0 WHERE id = ?`, id)
}

// Unsubscribe marks subscriber id unsubscribed for good and gives them a
// new link key, so that no link written before works any more.
func (s *Store) Unsubscribe(ctx context.Context, id int64) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "unsubscribe",
		`UPDATE subscribers SET state = 'unsubscribed', state_reason = '', link_key = randomblob(16) WHERE id = ?`, id)
}

// RevokeLinks gives the subscriber with that address a new link key: every
// link in the emails they were sent stops working (future emails carry
// new ones).
func (s *Store) RevokeLinks(ctx context.Context, email string) error {
	e := strings.ToLower(strings.TrimSpace(email))
	return s.updateSubscriber(ctx, e, "revoke links", `UPDATE subscribers SET link_key = randomblob(16) WHERE email = ?`, e)
}

// ConfirmSubscriber activates a pending subscriber (double opt-in); other
// states are left as they are.
func (s *Store) ConfirmSubscriber(ctx context.Context, id int64) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "confirm",
		`UPDATE subscribers SET state = CASE state WHEN 'pending' THEN 'active' ELSE state END WHERE id = ?`, id)
}

// SetLanguage sets the language of a subscriber's emails, unless they
// unsubscribed.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "set language",
		`UPDATE subscribers SET lang = CASE state WHEN 'unsubscribed' THEN lang ELSE ? END WHERE id = ?`, lang, id)
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
	subs, err := s.querySubscribers(ctx, "subscribers to confirm", selectSubscribers+`
WHERE s.state = 'pending' AND s.confirm_sent_at IS NULL ORDER BY s.id LIMIT ?`, limit)
	for i := range subs {
		if err != nil {
			break
		}
		err = s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM signups WHERE subscriber_id = ? AND kind = 'subscribe')`,
			subs[i].ID).Scan(&subs[i].ByWeb)
	}
	if err != nil {
		return nil, fmt.Errorf("store: subscribers to confirm: %w", err)
	}
	return subs, nil
}

// MarkConfirmationSent records that subscriber id was asked to confirm.
func (s *Store) MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "mark confirmation sent",
		`UPDATE subscribers SET confirm_sent_at = ? WHERE id = ?`, utc(at), id)
}

// WeeklyDue returns up to limit active subscribers after id afterID who
// asked for the weekly summary and have not had one since weekStart.
func (s *Store) WeeklyDue(ctx context.Context, weekStart time.Time, afterID int64, limit int) ([]Subscriber, error) {
	return s.querySubscribers(ctx, "weekly summaries due", selectSubscribers+`
WHERE s.weekly = 1 AND s.state = 'active' AND (s.weekly_sent_at IS NULL OR s.weekly_sent_at < ?) AND s.id > ?
ORDER BY s.id LIMIT ?`, utc(weekStart), afterID, limit)
}

// MarkWeeklySent records that subscriber id had this week's summary (or
// had nothing due this week). With day set, the summary counts as an email
// of the student's local day (YYYY-MM-DD).
func (s *Store) MarkWeeklySent(ctx context.Context, id int64, at time.Time, day string) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "mark weekly summary sent",
		`UPDATE subscribers SET weekly_sent_at = ?1,
       mail_count = CASE WHEN ?2 = '' THEN mail_count WHEN mail_day = ?2 THEN mail_count + 1 ELSE 1 END,
       mail_day = CASE WHEN ?2 = '' THEN mail_day ELSE ?2 END
WHERE id = ?3`, utc(at), day, id)
}
