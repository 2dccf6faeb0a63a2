-- Why: students now sign up and manage their reminders on the web pages.
-- A sign-up form open to anyone must not become a way to flood an address
-- with mail (the list-bombing other mailing list tools suffered), so each
-- request is counted: signups keeps, for one day, a keyed digest of the
-- client's network address (never the address itself) and the student it
-- was about, which erasure deletes with the student. web_mail_at is when a
-- request from the web last had a message sent to the student (at most one
-- a day, whatever is posted); link_asked_at is a request for the "manage
-- my reminders" link not sent yet, and link_offer the offer the student
-- asked from (its "Suivre cette offre" button), which the link then offers
-- to follow: a sign-up form never makes a signed-up student follow
-- anything by itself, since anyone can type their address.

ALTER TABLE subscribers ADD COLUMN web_mail_at TIMESTAMP;
ALTER TABLE subscribers ADD COLUMN link_asked_at TIMESTAMP;
ALTER TABLE subscribers ADD COLUMN link_offer INTEGER NOT NULL DEFAULT 0;

-- kind: 'subscribe' (the sign-up form) or 'link' (the "recevoir mon lien"
-- form). subscriber_id is NULL for a request about an unknown address.
CREATE TABLE signups (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE CASCADE,
    client        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('subscribe', 'link')),
    at            TIMESTAMP NOT NULL
);
-- The per-client limit counts a client's requests of the last day.
CREATE INDEX signups_client ON signups (client, at);
-- Erasure finds a student's rows.
CREATE INDEX signups_subscriber ON signups (subscriber_id);
-- The manage-link pass reads only the requests not yet sent.
CREATE INDEX subscribers_link_asked ON subscribers (id) WHERE link_asked_at IS NOT NULL;
