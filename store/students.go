package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/search"
)

// Card is an open offer as the students' list shows it.
type Card struct {
	ID           int64
	Title        string
	Organisation string
	City         string
	// LastDay is the last day to apply (YYYY-MM-DD), "" without deadline.
	LastDay string
	// Kind is explicit, estimated or none.
	Kind string
	// Review is the offer's review state: none, pending or confirmed.
	Review string
}

const selectCards = `SELECT id, title, organisation, COALESCE(json_extract(extract, '$.places[0].city'), ''),
       last_day, deadline_kind, review FROM offers
WHERE (due_at IS NULL OR due_at > ?1) AND archived_at IS NULL`

// OpenCards returns the page of open offers at now, nearest last day
// first (the offers without a deadline last), limit from offset, with the
// count of all the open offers q matches. A nil q matches every one.
func (s *Store) OpenCards(ctx context.Context, now time.Time, q *search.Query, limit, offset int) ([]Card, int, error) {
	if q == nil {
		var total int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM offers WHERE (due_at IS NULL OR due_at > ?) AND archived_at IS NULL`, utc(now)).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: open offers: %w", err)
		}
		rows, err := s.db.QueryContext(ctx, selectCards+` ORDER BY due_at IS NULL, due_at, id LIMIT ?2 OFFSET ?3`, utc(now), limit, offset)
		if err != nil {
			return nil, 0, fmt.Errorf("store: open offers: %w", err)
		}
		defer rows.Close()
		var out []Card
		for rows.Next() {
			var c Card
			if err := rows.Scan(&c.ID, &c.Title, &c.Organisation, &c.City, &c.LastDay, &c.Kind, &c.Review); err != nil {
				return nil, 0, fmt.Errorf("store: open offers: %w", err)
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return nil, 0, fmt.Errorf("store: open offers: %w", err)
		}
		return out, total, nil
	}
	// Only what Match reads: the title, organisation, text and places,
	// not the whole extract.
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, organisation, COALESCE(json_extract(extract, '$.places[0].city'), ''),
       last_day, deadline_kind, review, body, COALESCE(json_extract(extract, '$.places'), '[]') FROM offers
WHERE (due_at IS NULL OR due_at > ?) AND archived_at IS NULL ORDER BY due_at IS NULL, due_at, id`, utc(now))
	if err != nil {
		return nil, 0, fmt.Errorf("store: open offers: %w", err)
	}
	defer rows.Close()
	var out []Card
	total := 0
	for rows.Next() {
		var c Card
		var o offer.Offer
		var places string
		if err := rows.Scan(&c.ID, &c.Title, &c.Organisation, &c.City, &c.LastDay, &c.Kind, &c.Review, &o.Text, &places); err != nil {
			return nil, 0, fmt.Errorf("store: open offers: %w", err)
		}
		if err := json.Unmarshal([]byte(places), &o.Places); err != nil {
			return nil, 0, fmt.Errorf("store: open offer %d: places: %w", c.ID, err)
		}
		o.Title, o.Organisation = c.Title, c.Organisation
		if !q.Match(o) {
			continue
		}
		if total >= offset && len(out) < limit {
			out = append(out, c)
		}
		total++
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: open offers: %w", err)
	}
	return out, total, nil
}

// Sign-up request kinds.
const (
	// SignUpSubscribe is the sign-up form.
	SignUpSubscribe = "subscribe"
	// SignUpLink is the form that sends the "manage my reminders" link again.
	SignUpLink = "link"
)

// SignUpsPerClient bounds the requests one client address makes in a day.
const SignUpsPerClient = 5

// SignUpWindow is the period the limits count over: one request a day
// may have a message sent to an address, and a client has SignUpsPerClient.
const SignUpWindow = 24 * time.Hour

// SignUp is a request from the web pages about an address.
type SignUp struct {
	Kind  string
	Email string
	// Client is a keyed digest of the client's network address.
	Client string
	// Lang, Offsets, Offer and Search are what a new student asked for
	// on the sign-up form; Offer 0 and Search "" ask for nothing.
	Lang    string
	Offsets []int
	Offer   int64
	Search  string
}

// SignUp outcomes, for the log and tests only: the page says the same
// whatever happened.
const (
	// SignedUpLimited: the client made too many requests today.
	SignedUpLimited = "limited"
	// SignedUpQuiet: nothing is sent (a message went to this address in
	// the last day, or the address is unknown or unsubscribed for a link).
	SignedUpQuiet = "quiet"
	// SignedUpConfirm: a confirmation will be sent.
	SignedUpConfirm = "confirm"
	// SignedUpLink: the student's manage link will be sent.
	SignedUpLink = "link"
)

// RecordSignUp applies a request of the sign-up or link form at now, in
// one transaction, and says what it will have sent. A new address is
// stored pending, with what it asked for, and its confirmation is due; a
// pending address is asked to confirm again, an unsubscribed one that
// signs up is pending again, and an active or paused student is sent
// their manage link. At most one message a day goes to an address, and a
// client makes at most SignUpsPerClient requests a day. A bad address,
// offset or search is an error, before anything is stored.
func (s *Store) RecordSignUp(ctx context.Context, r SignUp, now time.Time) (string, error) {
	email, err := NormalizeEmail(r.Email)
	if err != nil {
		return "", fmt.Errorf("store: sign-up: %w", err)
	}
	if r.Kind != SignUpSubscribe && r.Kind != SignUpLink {
		return "", fmt.Errorf("store: sign-up: kind %q", r.Kind)
	}
	if r.Lang == "" {
		r.Lang = "fr"
	}
	offsets := r.Offsets
	if err := (SubscriberEdit{Offsets: &offsets, Lang: &r.Lang}).check(); err != nil {
		return "", fmt.Errorf("store: sign-up %s: %w", email, err)
	}
	var searches []string
	if strings.TrimSpace(r.Search) != "" {
		q, err := search.Parse(r.Search)
		if err != nil {
			return "", fmt.Errorf("store: sign-up %s: %w", email, err)
		}
		searches = []string{q.Written}
	}
	var outcome string
	since := utc(now.Add(-SignUpWindow))
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signups WHERE at < ?`, since); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM signups WHERE client = ? AND at >= ?`, r.Client, since).Scan(&n); err != nil {
			return err
		}
		if n >= SignUpsPerClient {
			outcome = SignedUpLimited
			return nil
		}
		var id int64
		var state string
		var mailed sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT id, state, web_mail_at FROM subscribers WHERE email = ?`, email).Scan(&id, &state, &mailed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			outcome = SignedUpQuiet
			if r.Kind == SignUpSubscribe {
				sub := Subscriber{Email: email, Lang: r.Lang, Offsets: r.Offsets, State: StatePending, Searches: searches}
				if r.Offer > 0 && offerExists(ctx, tx, r.Offer) == nil {
					sub.Offers = []int64{r.Offer}
				}
				if id, err = addSubscriber(ctx, tx, sub, now); err != nil {
					return err
				}
				outcome = SignedUpConfirm
			}
		case err != nil:
			return err
		case mailed.Valid && !mailed.Time.Before(since):
			outcome = SignedUpQuiet
		case state == StatePending || state == StateUnsubscribed && r.Kind == SignUpSubscribe:
			outcome = SignedUpConfirm
			if state == StateUnsubscribed {
				// Back only through a new confirmation; the old follows stay,
				// unplanned until then.
				if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET state = 'pending', lang = ? WHERE id = ?`, r.Lang, id); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET confirm_sent_at = NULL WHERE id = ?`, id); err != nil {
				return err
			}
		case state == StateUnsubscribed:
			outcome = SignedUpQuiet
		default:
			outcome = SignedUpLink
			var follow int64
			if r.Offer > 0 && offerExists(ctx, tx, r.Offer) == nil {
				follow = r.Offer
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET link_asked_at = ?, link_offer = ? WHERE id = ?`, utc(now), follow, id); err != nil {
				return err
			}
		}
		if outcome == SignedUpConfirm || outcome == SignedUpLink {
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET web_mail_at = ? WHERE id = ?`, utc(now), id); err != nil {
				return err
			}
		}
		var who any
		if id > 0 {
			who = id
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO signups (subscriber_id, client, kind, at) VALUES (?, ?, ?, ?)`, who, r.Client, r.Kind, utc(now))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: sign-up %s: %w", email, err)
	}
	return outcome, nil
}

// LinksToSend returns up to limit students who asked for their manage
// link and have not been sent it, each with LinkOffer set.
func (s *Store) LinksToSend(ctx context.Context, limit int) ([]Subscriber, error) {
	subs, err := s.querySubscribers(ctx, "manage links to send", selectSubscribers+`
WHERE s.link_asked_at IS NOT NULL AND s.state IN ('active', 'paused') ORDER BY s.id LIMIT ?`, limit)
	for i := range subs {
		if err != nil {
			break
		}
		err = s.db.QueryRowContext(ctx, `SELECT link_offer FROM subscribers WHERE id = ?`, subs[i].ID).Scan(&subs[i].LinkOffer)
	}
	if err != nil {
		return nil, fmt.Errorf("store: manage links to send: %w", err)
	}
	return subs, nil
}

// MarkLinkSent records that subscriber id was sent their manage link.
func (s *Store) MarkLinkSent(ctx context.Context, id int64) error {
	return s.updateSubscriber(ctx, strconv.FormatInt(id, 10), "mark manage link sent",
		`UPDATE subscribers SET link_asked_at = NULL, link_offer = 0 WHERE id = ?`, id)
}

// PurgeSignUps deletes the sign-up records older than SignUpWindow at
// now: past the day they count in, they are kept for nothing.
func (s *Store) PurgeSignUps(ctx context.Context, now time.Time) error {
	// A read first: most runs have nothing to purge, and a DELETE would
	// take the write lock for nothing.
	var old bool
	since := utc(now.Add(-SignUpWindow))
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM signups WHERE at < ?)`, since).Scan(&old); err != nil || !old {
		if err != nil {
			return fmt.Errorf("store: purge sign-ups: %w", err)
		}
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM signups WHERE at < ?`, since); err != nil {
		return fmt.Errorf("store: purge sign-ups: %w", err)
	}
	return nil
}
