-- Why: the first schema. Offers as read from their text, the students who
-- subscribe, what each one follows, and the reminder outbox.

-- One row per distinct offer text: digest is the SHA-256 of the normalised
-- text, so adding the same text again finds the same row.
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
    extract         TEXT NOT NULL,
    body            TEXT NOT NULL,
    added_at        TIMESTAMP NOT NULL,
    CHECK ((deadline_kind = 'none') = (due_at IS NULL))
);

-- follow_all: the student follows every offer, present and future.
CREATE TABLE subscribers (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name       TEXT NOT NULL DEFAULT '',
    lang       TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
    offsets    TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL DEFAULT 'active'
               CHECK (state IN ('pending', 'active', 'paused', 'unsubscribed')),
    follow_all INTEGER NOT NULL DEFAULT 0 CHECK (follow_all IN (0, 1)),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE subscriptions (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    offer_id      INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    status        TEXT NOT NULL DEFAULT 'following'
                  CHECK (status IN ('following', 'applied', 'not_interested')),
    created_at    TIMESTAMP NOT NULL,
    -- NULL until the scheduler has planned this follow's reminders; reset
    -- when the deadline changes or the student resumes.
    planned_at    TIMESTAMP,
    PRIMARY KEY (subscriber_id, offer_id)
) WITHOUT ROWID;

CREATE INDEX subscriptions_offer ON subscriptions (offer_id);
-- Planning reads only the follows still to plan.
CREATE INDEX subscriptions_unplanned ON subscriptions (subscriber_id, offer_id) WHERE planned_at IS NULL;

-- The outbox: one row per reminder to send. The unique key is the promise
-- that a crash or a restart can never plan the same reminder twice.
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    offer_id        INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    offset_days     INTEGER NOT NULL CHECK (offset_days >= 0),
    due_at          TIMESTAMP NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'skipped', 'expired', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    sent_at         TIMESTAMP,
    message_id      TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    UNIQUE (subscriber_id, offer_id, offset_days)
);

-- A run with nothing due reads only this partial index: pending rows are
-- few next to the sent and expired history.
CREATE INDEX reminders_pending_due ON reminders (due_at) WHERE state = 'pending';
CREATE INDEX reminders_offer ON reminders (offer_id);
