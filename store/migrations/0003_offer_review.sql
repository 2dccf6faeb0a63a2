-- Why: what echeance reads goes to students only once it is sure of it, or
-- once an administrator said so. An offer whose deadline is uncertain (or
-- every offer, with offers.review = "all") waits in a review queue: its
-- reminders are planned but held until it is confirmed, corrected or told
-- to have no deadline. Held reminders whose time passes meanwhile expire
-- at the decision: the next one ahead goes, never a burst of stale ones.
--
-- review is 'none' (nothing to check), 'pending' (held) or 'confirmed';
-- review_reasons (a JSON array) says why it was held; reviewed_by and
-- reviewed_at say who decided, and when.
ALTER TABLE offers ADD COLUMN review TEXT NOT NULL DEFAULT 'none'
    CHECK (review IN ('none', 'pending', 'confirmed'));
ALTER TABLE offers ADD COLUMN review_reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE offers ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE offers ADD COLUMN reviewed_at TIMESTAMP;

-- The queue, and the due query's look at it, read only the held offers.
CREATE INDEX offers_review_pending ON offers (id) WHERE review = 'pending';
