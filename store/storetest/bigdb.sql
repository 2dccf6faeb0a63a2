-- Why: the benchmarks of the store and the scheduler (through package
-- storetest) need a
-- database the size of a large deployment, built in seconds. The public
-- store methods would take minutes (one subscriber or plan page per
-- transaction), so this fills the tables directly, in SQL, after
-- store.Open has created the schema. It runs in one transaction.
--
-- The caller creates the temporary table bench(subscribers, offers,
-- follows, planned, days) first:
--   subscribers  how many students (active, default offsets)
--   offers       how many offers, every one with an explicit deadline
--                (the last day to apply is 1 November 2025 plus i mod days
--                days for offer i), already matched against saved searches
--   follows      how many offers each student follows (at most 5)
--   planned      1: every follow is planned, with one pending reminder (2
--                days before the last day, 06:00 UTC, so never due before
--                30 October 2025); 0: no follow is planned and there is no
--                reminder, the state just after a large import
--   days         over how many days the deadlines spread
--
-- Times are written as the driver writes a UTC time.Time
-- ("2006-01-02 15:04:05+00:00"), so they compare as text with the bound
-- arguments of the store's queries.

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT offers FROM bench))
INSERT INTO offers (id, digest, source, title, organisation, deadline_kind, deadline_phrase,
                    last_day, due_at, extract, body, added_at, updated_at, matched_at)
SELECT i, 'bench-' || i, 'bench/' || i || '.txt', 'Stage ' || i, 'Organisation ' || (i % 997),
       'explicit', 'jusqu''au ' || date('2025-11-01', '+' || (i % (SELECT days FROM bench)) || ' days'),
       date('2025-11-01', '+' || (i % (SELECT days FROM bench)) || ' days'),
       datetime('2025-11-01', '+' || (i % (SELECT days FROM bench)) || ' days', '+22 hours') || '+00:00',
       '{"contacts":["rh' || i || '@example.org"]}', 'Offre de stage ' || i,
       '2025-09-01 08:00:00+00:00', '2025-09-01 08:00:00+00:00', '2025-09-01 08:00:00+00:00'
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT subscribers FROM bench))
INSERT INTO subscribers (id, email, name, lang, offsets, state, follow_all, created_at)
SELECT i, 'student' || i || '@example.org', 'Student ' || i, CASE i % 4 WHEN 0 THEN 'en' ELSE 'fr' END,
       '', 'active', 0, '2025-09-01 08:00:00+00:00'
FROM n;

-- Student s follows offers s*7 + k*4001 (mod offers), k < follows: distinct
-- offers for up to 5 follows when there are 20,000 offers.
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j + 1 < (SELECT follows FROM bench))
INSERT OR IGNORE INTO subscriptions (subscriber_id, offer_id, status, via, created_at, planned_at)
SELECT s.id, ((s.id * 7 + k.j * 4001) % (SELECT offers FROM bench)) + 1, 'following', 'offer',
       '2025-09-01 08:00:00+00:00',
       CASE (SELECT planned FROM bench) WHEN 1 THEN '2025-09-01 08:00:00+00:00' END
FROM subscribers s, k
ORDER BY s.id, k.j;

INSERT INTO reminders (subscriber_id, offer_id, kind, revision, offset_days, due_at, state)
SELECT f.subscriber_id, f.offer_id, 'reminder', 1, 2,
       datetime(o.last_day, '-2 days', '+6 hours') || '+00:00', 'pending'
FROM subscriptions f
JOIN offers o ON o.id = f.offer_id
WHERE (SELECT planned FROM bench) = 1;
