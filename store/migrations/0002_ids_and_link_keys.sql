-- Why: a one-click link must never work for anyone but the student it was
-- written for. Two changes make that hold whatever happens to the rows:
--
-- 1. Ids are never reused. Without AUTOINCREMENT, SQLite gives a new row
--    the id of the highest row deleted before it, so a removed student's
--    links (and an offer's page, and a message's Message-ID, which hashes
--    reminder ids) would name the next row. subscribers, offers and
--    reminders are rebuilt with AUTOINCREMENT, keeping every id.
-- 2. Each student has a random link_key that every token's MAC covers.
--    Unsubscribing, removal and `subscriber revoke-links` change or delete
--    it, which revokes every link written before.
--
-- mail_day and mail_count count the emails a student got on their local
-- day (reminders.max_per_day). The link signing key moves out of the
-- database, into a file of its own beside it, so a copy of the database
-- alone cannot sign links.
--
-- This migration runs with foreign keys off (the rebuild drops and renames
-- parent tables) and is checked with PRAGMA foreign_key_check before it
-- commits.

CREATE TABLE subscribers_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
    confirm_sent_at TIMESTAMP,
    weekly         INTEGER NOT NULL DEFAULT 0 CHECK (weekly IN (0, 1)),
    weekly_sent_at TIMESTAMP,
    -- The per-student secret every link token is bound to.
    link_key     BLOB NOT NULL DEFAULT (randomblob(16)) CHECK (length(link_key) = 16),
    -- The local day (YYYY-MM-DD) of the last email and how many went out
    -- that day, for reminders.max_per_day.
    mail_day     TEXT NOT NULL DEFAULT '',
    mail_count   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO subscribers_new (id, email, name, lang, offsets, state, state_reason, follow_all, failures,
                             created_at, confirm_sent_at, weekly, weekly_sent_at)
SELECT id, email, name, lang, offsets, state, state_reason, follow_all, failures,
       created_at, confirm_sent_at, weekly, weekly_sent_at
FROM subscribers;
DROP TABLE subscribers;
ALTER TABLE subscribers_new RENAME TO subscribers;
CREATE INDEX subscribers_to_confirm ON subscribers (id) WHERE state = 'pending' AND confirm_sent_at IS NULL;

CREATE TABLE offers_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    digest          TEXT NOT NULL UNIQUE,
    source          TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    organisation    TEXT NOT NULL DEFAULT '',
    deadline_kind   TEXT NOT NULL CHECK (deadline_kind IN ('explicit', 'estimated', 'none')),
    deadline_phrase TEXT NOT NULL DEFAULT '',
    last_day        TEXT NOT NULL DEFAULT '',
    due_at          TIMESTAMP,
    revision        INTEGER NOT NULL DEFAULT 1,
    previous_last_day TEXT NOT NULL DEFAULT '',
    extract         TEXT NOT NULL,
    body            TEXT NOT NULL,
    added_at        TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    matched_at      TIMESTAMP,
    CHECK ((deadline_kind = 'none') = (due_at IS NULL))
);
INSERT INTO offers_new (id, digest, source, title, organisation, deadline_kind, deadline_phrase, last_day,
                        due_at, revision, previous_last_day, extract, body, added_at, updated_at, matched_at)
SELECT id, digest, source, title, organisation, deadline_kind, deadline_phrase, last_day,
       due_at, revision, previous_last_day, extract, body, added_at, updated_at, matched_at
FROM offers;
DROP TABLE offers;
ALTER TABLE offers_new RENAME TO offers;
CREATE INDEX offers_source ON offers (source);
CREATE INDEX offers_unmatched ON offers (id) WHERE matched_at IS NULL;

CREATE TABLE reminders_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO reminders_new (id, subscriber_id, offer_id, kind, revision, offset_days, due_at, state, attempts,
                           next_attempt_at, sent_at, message_id, last_error)
SELECT id, subscriber_id, offer_id, kind, revision, offset_days, due_at, state, attempts,
       next_attempt_at, sent_at, message_id, last_error
FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
-- A run with nothing due reads only this partial index (see 0001).
CREATE INDEX reminders_pending_due ON reminders (due_at) WHERE state = 'pending';

-- The signing key now lives in its own file (see store.LinkKeyFile).
DELETE FROM settings WHERE key = 'link_key';
