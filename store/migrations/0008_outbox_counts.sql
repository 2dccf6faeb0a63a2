-- Why: the console's dashboard and `echeance status` count the outbox, and
-- counting a million pending reminders row by row takes a few hundred
-- milliseconds. The number of reminders in each state is kept here by
-- triggers, in the same transaction as the write that changes it (cascaded
-- deletes of a student's or an offer's rows included), so a count is one
-- row read. The counts that depend on the time (due now, sent today) and
-- the few retrying reminders are read from partial indexes. A future
-- migration that rebuilds the reminders table must create these triggers
-- again.

CREATE TABLE reminder_counts (
    state TEXT PRIMARY KEY
          CHECK (state IN ('pending', 'sent', 'skipped', 'expired', 'failed')),
    n     INTEGER NOT NULL CHECK (n >= 0)
) WITHOUT ROWID;

INSERT INTO reminder_counts (state, n)
SELECT s.state, (SELECT count(*) FROM reminders r WHERE r.state = s.state)
FROM (SELECT 'pending' AS state UNION ALL SELECT 'sent' UNION ALL SELECT 'skipped'
      UNION ALL SELECT 'expired' UNION ALL SELECT 'failed') s;

CREATE TRIGGER reminders_count_insert AFTER INSERT ON reminders
BEGIN
    UPDATE reminder_counts SET n = n + 1 WHERE state = NEW.state;
END;

CREATE TRIGGER reminders_count_delete AFTER DELETE ON reminders
BEGIN
    UPDATE reminder_counts SET n = n - 1 WHERE state = OLD.state;
END;

CREATE TRIGGER reminders_count_update AFTER UPDATE OF state ON reminders
WHEN OLD.state IS NOT NEW.state
BEGIN
    UPDATE reminder_counts SET n = n - 1 WHERE state = OLD.state;
    UPDATE reminder_counts SET n = n + 1 WHERE state = NEW.state;
END;

-- Sent today: a range of the sent ones by time.
CREATE INDEX reminders_sent_at ON reminders (sent_at) WHERE state = 'sent';
-- Retrying: the pending ones whose sending failed at least once.
CREATE INDEX reminders_retrying ON reminders (due_at) WHERE state = 'pending' AND attempts > 0;
