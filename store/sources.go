package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/echeance/echeance/dedup"
)

// Source kinds: where an offer was read from.
const (
	SourceFile  = "file"
	SourceURL   = "url"
	SourceStdin = "stdin"
	SourceMail  = "mail"
	SourceFeed  = "feed"
)

// Source is one place an offer was read from: a file, a URL, standard
// input, a mail (its Message-ID, sender, subject and date) or a feed item.
type Source struct {
	Kind string `json:"kind"`
	// Name is the path, the URL, "<message-id>" (with the attachment's
	// name after a slash for an attachment) or the feed item's link.
	Name    string     `json:"name"`
	From    string     `json:"from,omitempty"`
	Subject string     `json:"subject,omitempty"`
	Date    *time.Time `json:"date,omitempty"`
	AddedAt time.Time  `json:"added_at"`
}

// SourceOf returns the source of a text read from name: a path, a URL or
// "-" for standard input.
func SourceOf(name string) Source {
	switch {
	case name == "-" || name == "":
		return Source{Kind: SourceStdin, Name: "-"}
	case strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://"):
		return Source{Kind: SourceURL, Name: name}
	}
	return Source{Kind: SourceFile, Name: name}
}

// addSource records that offer id was read from src (once per name).
func addSource(ctx context.Context, tx *sql.Tx, id int64, src Source, digest string, now time.Time) error {
	if src.Kind == "" {
		src = SourceOf(src.Name)
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO offer_sources (offer_id, kind, name, sender, subject, sent_at, digest, added_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (offer_id, name) DO UPDATE SET digest = excluded.digest`,
		id, src.Kind, src.Name, src.From, src.Subject, nullTime(src.Date), digest, utc(now))
	return err
}

// OfferSources returns every source offer id was read from, oldest first.
func (s *Store) OfferSources(ctx context.Context, id int64) ([]Source, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT kind, name, sender, subject, sent_at, added_at FROM offer_sources WHERE offer_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: sources of offer %d: %w", id, err)
	}
	defer rows.Close()
	out := []Source{}
	for rows.Next() {
		var src Source
		var sent sql.NullTime
		if err := rows.Scan(&src.Kind, &src.Name, &src.From, &src.Subject, &sent, &src.AddedAt); err != nil {
			return nil, fmt.Errorf("store: sources of offer %d: %w", id, err)
		}
		if sent.Valid {
			src.Date = &sent.Time
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

// saveSketch stores the sketch of offer id and replaces its band keys.
func saveSketch(ctx context.Context, tx *sql.Tx, id int64, sk dedup.Sketch, ok bool) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM offer_bands WHERE offer_id = ?`, id); err != nil {
		return err
	}
	if !ok {
		_, err := tx.ExecContext(ctx, `UPDATE offers SET sketch = NULL WHERE id = ?`, id)
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE offers SET sketch = ? WHERE id = ?`, sk.Bytes(), id); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO offer_bands (band_key, offer_id) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, k := range sk.Keys() {
		if _, err := st.ExecContext(ctx, k, id); err != nil {
			return err
		}
	}
	return nil
}

// near is the stored offer a new text was recognised as.
type near struct {
	id      int64
	kind    string
	lastDay string
	due     sql.NullTime
}

// nearest returns the stored offer most similar to text among those
// sharing a band key with its sketch, if it is similar enough
// (dedup.Same); id 0 when none is.
func nearest(ctx context.Context, tx *sql.Tx, sk dedup.Sketch, text string) (near, error) {
	keys := sk.Keys()
	var b strings.Builder
	args := make([]any, len(keys))
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("?")
		args[i] = k
	}
	rows, err := tx.QueryContext(ctx, `
SELECT o.id, o.deadline_kind, o.last_day, o.due_at, o.sketch FROM offers o
WHERE o.id IN (SELECT DISTINCT offer_id FROM offer_bands WHERE band_key IN (`+b.String()+`))
ORDER BY o.id DESC LIMIT 200`, args...)
	if err != nil {
		return near{}, err
	}
	defer rows.Close()
	// The sketches rule out most candidates (offers of one employer, or
	// merely sharing common words) before the exact comparison.
	var worth []near
	for rows.Next() {
		var n near
		var sketch []byte
		if err := rows.Scan(&n.id, &n.kind, &n.lastDay, &n.due, &sketch); err != nil {
			rows.Close()
			return near{}, err
		}
		if other, err := dedup.Parse(sketch); err == nil && dedup.Worth(sk, other) {
			worth = append(worth, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return near{}, err
	}
	var best near
	bestSim := 0.0
	var shingled dedup.Text
	for _, n := range worth {
		var body string
		if err := tx.QueryRowContext(ctx, `SELECT body FROM offers WHERE id = ?`, n.id).Scan(&body); err != nil {
			return near{}, err
		}
		if shingled == nil {
			shingled = dedup.NewText(text)
		}
		if sim := shingled.Jaccard(body); sim >= dedup.Threshold && sim > bestSim {
			best, bestSim = n, sim
		}
	}
	return best, nil
}

// sketchMissing gives the offers stored before sketches existed their
// sketch, so that they are found as near-duplicates too. It runs once,
// when migration 0004 is applied.
func sketchMissing(ctx context.Context, conn *sql.Conn) error {
	type row struct {
		id   int64
		body string
	}
	rows, err := conn.QueryContext(ctx, `SELECT id, body FROM offers WHERE sketch IS NULL`)
	if err != nil {
		return err
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.body); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, r := range todo {
		sk, ok := dedup.Of(r.body)
		if err := saveSketch(ctx, tx, r.id, sk, ok); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// FeedState is what a feed answered last: the validators of a conditional
// GET.
type FeedState struct {
	ETag, LastModified string
}

// FeedState returns the validators stored for the feed at url (empty for
// a feed never read).
func (s *Store) FeedState(ctx context.Context, url string) (FeedState, error) {
	var f FeedState
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified FROM feeds WHERE url = ?`, url).Scan(&f.ETag, &f.LastModified)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return FeedState{}, fmt.Errorf("store: feed %s: %w", url, err)
	}
	return f, nil
}

// SaveFeedState records the validators of the feed's last answer.
func (s *Store) SaveFeedState(ctx context.Context, url string, f FeedState, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO feeds (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at`,
		url, f.ETag, f.LastModified, utc(now))
	if err != nil {
		return fmt.Errorf("store: feed %s: %w", url, err)
	}
	return nil
}

// FeedItemSeen reports whether the item (its GUID or link) of the feed at
// url was read already.
func (s *Store) FeedItemSeen(ctx context.Context, url, item string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM feed_items WHERE feed_url = ? AND item = ?`, url, item).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: feed %s item %s: %w", url, item, err)
	}
	return true, nil
}

// MarkFeedItem records that the item of the feed at url was read.
func (s *Store) MarkFeedItem(ctx context.Context, url, item string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO feed_items (feed_url, item, seen_at) VALUES (?, ?, ?)`,
		url, item, utc(now))
	if err != nil {
		return fmt.Errorf("store: feed %s item %s: %w", url, item, err)
	}
	return nil
}
