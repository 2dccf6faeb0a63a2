-- Why: the career service works in a console at /admin/ as well as on the
-- command line. Administrators are accounts of their own (created by
-- `echeance admin add`, which prints a one-time link to set a password);
-- their sessions live here so that logging out or removing an account ends
-- them at once; and every action an administrator takes is kept in an
-- audit log. Offers can be archived: hidden from students, their pending
-- reminders skipped, kept for the record.
--
-- Secrets are stored hashed: passwords with argon2id (a PHC string),
-- one-time links and session ids with SHA-256 (they are 32 random bytes,
-- so a fast hash is enough). Numbered after the students' pages (0006),
-- which it does not depend on.

CREATE TABLE admins (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- '' until the administrator has followed their one-time link.
    password_hash   TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    password_set_at TIMESTAMP
);

-- One-time links to set a password; used once, then deleted.
CREATE TABLE admin_tokens (
    hash       BLOB PRIMARY KEY CHECK (length(hash) = 32),
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE INDEX admin_tokens_admin ON admin_tokens (admin_id);

-- csrf is the token every form of the session carries.
CREATE TABLE admin_sessions (
    hash       BLOB PRIMARY KEY CHECK (length(hash) = 32),
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL
) WITHOUT ROWID;
-- Removing an administrator deletes their sessions through this index.
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_id);

-- admin is who acted (an administrator's email, or cli:USER). offer_id and
-- subscriber_id name what the action was about, without foreign keys: the
-- history of a removed offer stays. object is a label without personal
-- data ("offer 12", "student 7"); detail may hold an email or a name, and
-- is blanked when the student is deleted (the trigger below).
CREATE TABLE audit (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TIMESTAMP NOT NULL,
    admin         TEXT NOT NULL,
    action        TEXT NOT NULL,
    object        TEXT NOT NULL DEFAULT '',
    offer_id      INTEGER,
    subscriber_id INTEGER,
    detail        TEXT NOT NULL DEFAULT ''
);
-- An offer's history, and the erasure of a student's rows.
CREATE INDEX audit_offer ON audit (offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX audit_subscriber ON audit (subscriber_id) WHERE subscriber_id IS NOT NULL;

-- Erasure leaves no email behind: a deleted student's audit rows keep what
-- was done, and when, but not to whom.
CREATE TRIGGER audit_erase_subscriber AFTER DELETE ON subscribers
BEGIN
    UPDATE audit SET detail = '' WHERE subscriber_id = OLD.id;
END;

ALTER TABLE offers ADD COLUMN archived_at TIMESTAMP;

-- The console finds students by the start of their name as by their email
-- (the email's unique index serves that one).
CREATE INDEX subscribers_name ON subscribers (name COLLATE NOCASE);
