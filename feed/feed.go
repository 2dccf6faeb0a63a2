// Package feed owns reading offers from job boards' feeds: RSS, Atom and
// JSON Feed (github.com/mmcdole/gofeed). Each poll asks the feed with the
// validators of its last answer (ETag, Last-Modified), so an unchanged feed
// costs one 304 and nothing more; each item not read before has its page
// fetched and read as an offer (its own text when it links to no page),
// stored through package ingest with the item's title and date.
//
// A feed that cannot be fetched or parsed is reported by its URL and tried
// again at its next turn, never fatal; an item whose page fails is tried
// again at the next poll, an item that is no offer is not.
package feed

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

// Store keeps what each feed answered and which items were read.
type Store interface {
	FeedState(ctx context.Context, url string) (store.FeedState, error)
	SaveFeedState(ctx context.Context, url string, f store.FeedState, now time.Time) error
	FeedItemSeen(ctx context.Context, url, item string) (bool, error)
	MarkFeedItem(ctx context.Context, url, item string, now time.Time) error
}

// Ingester reads and stores offers (an *ingest.Ingester).
type Ingester interface {
	Parse(ctx context.Context, src ingest.Source, now time.Time) (offer.Offer, error)
	Store(ctx context.Context, src ingest.Source, o offer.Offer, now time.Time) (ingest.Result, error)
}

// maxFeed bounds a feed's body.
const maxFeed = 8 << 20

// Poller reads one feed.
type Poller struct {
	cfg    config.Feed
	st     Store
	in     Ingester
	client *http.Client
	now    func() time.Time
	log    *slog.Logger
	// Fetch reads an item's page (ingest.Fetch).
	Fetch func(ctx context.Context, url string) (ingest.Source, error)
}

// New returns the Poller of the feed cfg.
func New(cfg config.Feed, st Store, in Ingester, now func() time.Time, log *slog.Logger) *Poller {
	return &Poller{cfg: cfg, st: st, in: in, client: &http.Client{Timeout: 30 * time.Second}, now: now,
		log: log.With("feed", cfg.URL), Fetch: ingest.Fetch}
}

// Report says what one poll did.
type Report struct {
	// NotModified is true when the feed answered 304.
	NotModified bool
	Items       int
	// Fetched counts the item pages fetched.
	Fetched        int
	Created, Known int
	Failed         int
}

// Poll reads the feed once.
func (p *Poller) Poll(ctx context.Context) (Report, error) {
	var rep Report
	url := p.cfg.URL
	state, err := p.st.FeedState(ctx, url)
	if err != nil {
		return rep, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return rep, fmt.Errorf("feed: %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5")
	if state.ETag != "" {
		req.Header.Set("If-None-Match", state.ETag)
	}
	if state.LastModified != "" {
		req.Header.Set("If-Modified-Since", state.LastModified)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return rep, fmt.Errorf("feed: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		rep.NotModified = true
		return rep, nil
	}
	if resp.StatusCode != http.StatusOK {
		return rep, fmt.Errorf("feed: %s: HTTP %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFeed+1))
	if err != nil {
		return rep, fmt.Errorf("feed: %s: %w", url, err)
	}
	if len(body) > maxFeed {
		return rep, fmt.Errorf("feed: %s: larger than %d bytes", url, maxFeed)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return rep, fmt.Errorf("feed: %s: %w", url, err)
	}
	now := p.now()
	for _, it := range f.Items {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		rep.Items++
		key := it.GUID
		if key == "" {
			key = it.Link
		}
		if key == "" {
			key = it.Title
		}
		seen, err := p.st.FeedItemSeen(ctx, url, key)
		if err != nil {
			return rep, err
		}
		if seen {
			continue
		}
		if err := p.item(ctx, f, it, key, now, &rep); err != nil {
			return rep, err
		}
	}
	// The validators are saved last: a poll cut short asks again in full.
	if err := p.st.SaveFeedState(ctx, url, store.FeedState{ETag: resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified")}, now); err != nil {
		return rep, err
	}
	p.log.Info("feed read", "items", rep.Items, "pages_fetched", rep.Fetched, "offers_added", rep.Created,
		"already_known", rep.Known, "failed", rep.Failed)
	return rep, nil
}

// item reads one new item; only a database failure is returned.
func (p *Poller) item(ctx context.Context, f *gofeed.Feed, it *gofeed.Item, key string, now time.Time, rep *Report) error {
	var src ingest.Source
	if it.Link != "" {
		var err error
		rep.Fetched++
		src, err = p.Fetch(ctx, it.Link)
		if err != nil {
			rep.Failed++
			p.log.Warn("feed item page failed, will retry", "item", it.Link, "error", err)
			return nil
		}
	} else {
		text := it.Content
		if text == "" {
			text = it.Description
		}
		src = ingest.Source{Name: p.cfg.URL + "#" + key, Data: []byte("<html><body><h1>" + it.Title + "</h1>" + text + "</body></html>"),
			ContentType: "text/html"}
	}
	origin := store.Source{Kind: store.SourceFeed, Name: src.Name, Subject: it.Title, From: strings.TrimSpace(f.Title)}
	if d := it.PublishedParsed; d != nil {
		src.Ref = *d
		origin.Date = d
	} else if d := it.UpdatedParsed; d != nil {
		src.Ref = *d
		origin.Date = d
	}
	src.Origin = origin
	o, err := p.in.Parse(ctx, src, now)
	if err != nil {
		rep.Failed++
		p.log.Warn("feed item is no offer", "item", src.Name, "error", err)
		return p.st.MarkFeedItem(ctx, p.cfg.URL, key, now)
	}
	res, err := p.in.Store(ctx, src, o, now)
	if err != nil {
		return err
	}
	if res.Created {
		rep.Created++
		p.log.Info("offer added", "offer_id", res.ID, "item", src.Name, "deadline", o.Deadline.Kind,
			"last_day", o.Deadline.LastDay)
	} else {
		rep.Known++
	}
	return p.st.MarkFeedItem(ctx, p.cfg.URL, key, now)
}

// Run polls the feed every cfg.Every until ctx is cancelled; a failure is
// logged and the feed tried again at its next turn.
func (p *Poller) Run(ctx context.Context) {
	for {
		if _, err := p.Poll(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("feed failed, will retry", "retry_in", p.cfg.Every.Duration, "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.cfg.Every.Duration):
		}
	}
}
