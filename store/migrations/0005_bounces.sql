-- Why: a university relay accepts every message and bounces later, so a
-- dead address is only seen in the bounces (DSNs) that come back to the
-- reminders' VERP return path. A hard bounce records when and why the
-- student's address failed (and pauses them); soft bounces are counted.
-- Numbered after the review state (0003), which it does not depend on.

ALTER TABLE subscribers ADD COLUMN address_failed_at TIMESTAMP;
ALTER TABLE subscribers ADD COLUMN soft_bounces INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN last_bounce TEXT NOT NULL DEFAULT '';
