-- Why: offers now come from mailboxes, feeds, PDF and Word files as well as
-- from files and URLs, and the same offer often arrives from several of
-- them (a mail, the employer's page, a PDF copy). It is stored once, and
-- offer_sources lists every source it was read from, with the sender,
-- subject and date of a mail. offers.sketch is the MinHash sketch of the
-- offer's text (package dedup) and offer_bands its band keys: a new text
-- is compared only with the offers sharing a key, through the primary
-- key, never with every stored offer. feeds and feed_items remember what
-- each feed last answered (for conditional GET) and which items were read.
-- Numbered after the review state (0003), which it does not depend on.

ALTER TABLE offers ADD COLUMN sketch BLOB;

-- kind: file, url, stdin, mail, feed. name is the path, URL, feed item
-- link or "<message-id>" of a mail; digest the SHA-256 of the text read
-- from it.
CREATE TABLE offer_sources (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id  INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('file', 'url', 'stdin', 'mail', 'feed')),
    name      TEXT NOT NULL,
    sender    TEXT NOT NULL DEFAULT '',
    subject   TEXT NOT NULL DEFAULT '',
    sent_at   TIMESTAMP,
    digest    TEXT NOT NULL,
    added_at  TIMESTAMP NOT NULL,
    UNIQUE (offer_id, name)
);

-- Every offer stored so far was read from its offers.source.
INSERT INTO offer_sources (offer_id, kind, name, digest, added_at)
SELECT id, CASE WHEN source LIKE 'http://%' OR source LIKE 'https://%' THEN 'url'
                WHEN source = '-' THEN 'stdin' ELSE 'file' END,
       source, digest, added_at
FROM offers;

CREATE TABLE offer_bands (
    band_key INTEGER NOT NULL,
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, offer_id)
) WITHOUT ROWID;
-- Deleting an offer finds its bands.
CREATE INDEX offer_bands_offer ON offer_bands (offer_id);

CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    checked_at    TIMESTAMP
) WITHOUT ROWID;

CREATE TABLE feed_items (
    feed_url TEXT NOT NULL,
    item     TEXT NOT NULL,
    seen_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (feed_url, item)
) WITHOUT ROWID;
