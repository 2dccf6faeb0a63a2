-- Why: the first schema. Offers as read from their text, the students who
-- subscribe, what each one follows (offer by offer or through saved
-- searches), and the outbox of reminders and notices to send.

-- One row per offer. digest is the SHA-256 of the normalised text, so adding
-- the same text again finds the same row; adding a new text from the same
-- source updates the row, and revision goes up when its deadline moves.
CREATE TABLE offers (
    id              INTEGER PRIMARY KEY,
    digest          TEXT NOT NULL UNIQUE,
    source          TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    organisation    TEXT NOT NULL DEFAULT '',
    deadline_kind   TEXT NOT NULL CHECK (deadline_kind IN ('explicit', 'estimated', 'none')),
    deadline_phrase TEXT NOT NULL DEFAULT '',
    last_day        TEXT NOT NULL DEFAULT '',
    due_at          TIMESTAMP,
    revision        INTEGER NOT NULL DEFAULT 1,
    -- The last day to apply before the latest deadline change, for the
    -- "deadline changed" notice.
    previous_last_day TEXT NOT NULL DEFAULT '',
    extract         TEXT NOT NULL,
    body            TEXT NOT NULL,
    added_at        TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    -- NULL until the scheduler has matched the offer against saved searches.
    matched_at      TIMESTAMP,
    CHECK ((deadline_kind = 'none') = (due_at IS NULL))
);

CREATE INDEX offers_source ON offers (source);
CREATE INDEX offers_unmatched ON offers (id) WHERE matched_at IS NULL;

-- follow_all: the student follows every offer, present and future.
-- failures counts consecutive permanent refusals of their messages.
CREATE TABLE subscribers (
    id           INTEGER PRIMARY KEY,
    email        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name         TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
    offsets      TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'active'
                 CHECK (state IN ('pending', 'active', 'paused', 'unsubscribed')),
    state_reason TEXT NOT NULL DEFAULT '',
    follow_all   INTEGER NOT NULL DEFAULT 0 CHECK (follow_all IN (0, 1)),
    failures     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    -- When the double opt-in message went out to a pending subscriber.
    confirm_sent_at TIMESTAMP,
    -- weekly: the student wants the weekly summary; weekly_sent_at is when
    -- the last one went out.
    weekly         INTEGER NOT NULL DEFAULT 0 CHECK (weekly IN (0, 1)),
    weekly_sent_at TIMESTAMP
);

-- The confirmation pass reads only pending subscribers not yet asked.
CREATE INDEX subscribers_to_confirm ON subscribers (id) WHERE state = 'pending' AND confirm_sent_at IS NULL;

-- A saved search: an offer added later that matches it is followed
-- automatically. query is as the student wrote it.
CREATE TABLE searches (
    id            INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    query         TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (subscriber_id, query)
);

-- via says why the student follows: 'offer' (chosen), 'all', or 'search'.
CREATE TABLE subscriptions (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    offer_id      INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    status        TEXT NOT NULL DEFAULT 'following'
                  CHECK (status IN ('following', 'applied', 'not_interested')),
    via           TEXT NOT NULL DEFAULT 'offer' CHECK (via IN ('offer', 'all', 'search')),
    created_at    TIMESTAMP NOT NULL,
    -- NULL until the scheduler has planned this follow's reminders; reset
    -- when the deadline changes.
    planned_at    TIMESTAMP,
    PRIMARY KEY (subscriber_id, offer_id)
) WITHOUT ROWID;

CREATE INDEX subscriptions_offer ON subscriptions (offer_id);
-- Planning reads only the follows still to plan.
CREATE INDEX subscriptions_unplanned ON subscriptions (subscriber_id, offer_id) WHERE planned_at IS NULL;

-- The outbox: one row per message part to send. kind 'reminder' is a
-- reminder offset_days before the last day; 'new_offer' and
-- 'deadline_changed' are one-off notices (offset_days 0). The unique key,
-- which includes the offer's revision, is the promise that a crash or a
-- restart can never plan the same reminder twice.
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    offer_id        INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL DEFAULT 'reminder'
                    CHECK (kind IN ('reminder', 'new_offer', 'deadline_changed')),
    revision        INTEGER NOT NULL DEFAULT 1,
    offset_days     INTEGER NOT NULL CHECK (offset_days >= 0),
    due_at          TIMESTAMP NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'skipped', 'expired', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    sent_at         TIMESTAMP,
    message_id      TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    UNIQUE (subscriber_id, offer_id, kind, revision, offset_days)
);

-- A run with nothing due reads only this partial index: pending rows are
-- few next to the sent and expired history.
CREATE INDEX reminders_pending_due ON reminders (due_at) WHERE state = 'pending';
-- No index on offer_id alone: planning inserts millions of rows in
-- subscriber order, and a second scattered index would double its cost.
-- Queries by offer go through subscriptions_offer and the unique key.

-- Settings echeance keeps for itself, such as the generated key that signs
-- one-click links when no web.secret_file is configured.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
