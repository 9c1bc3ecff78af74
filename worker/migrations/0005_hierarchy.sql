-- Reporting up a hierarchy of any depth (issue 14): review levels, their upward submissions (上报)
-- and deadlines. Every column is new and nullable or defaulted, so existing data keeps its meaning.

-- The review levels of a round: every unit strictly between the round's owner and an expected unit
-- (a city in a province's round). A level reviews its own children's reports and then submits
-- upward; its parent reviews that submission. One row per level, made when the round is opened;
-- `state` NULL means "not submitted upward yet". History lives in `revisions` (kind 'level') and the
-- audit trail, like a unit's report; `seq` numbers its transitions (the audit's unique index).
CREATE TABLE round_levels (
  round_id TEXT NOT NULL REFERENCES rounds (id),
  unit_id TEXT NOT NULL REFERENCES units (id),
  -- the level's own upward deadline when it was extended for it alone (the later one counts)
  deadline TEXT,
  state TEXT CHECK (state IS NULL OR state IN ('submitted', 'returned', 'approved')),
  revision INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL DEFAULT 0,
  first_submitted_at TEXT,
  updated_at TEXT,
  review_comment TEXT,
  review_indicator_comments TEXT,
  reviewed_by INTEGER REFERENCES users (id),
  reviewed_at TEXT,
  PRIMARY KEY (round_id, unit_id)
);

-- Each level's upward deadline by unit level, as JSON ({"city": "2026-02-15T…"}); NULL: the round's.
ALTER TABLE rounds ADD COLUMN level_deadlines TEXT;

-- 'report': a unit's figures (revision_values by indicator code). 'level': a review level's upward
-- submission, its approved units' totals frozen as integer counters (revision_values by counter
-- key, e.g. products, products#n, plan_issued#yes; the value is the integer as JSON text).
ALTER TABLE revisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'report' CHECK (kind IN ('report', 'level'));

-- A condition checked inside a D1 batch, at the moment the batch commits: inserting a row whose
-- `ok` is not 1 aborts the whole batch (a row whose `ok` is 1 is not stored either). A transition that
-- depends on other rows (a city submits upward only while every county below is approved; a city
-- reviews a county only while its own submission is not with the province) states that condition
-- here, so a concurrent change between reading and writing fails the batch instead of mixing states.
-- A table that never holds a row (a view with an INSTEAD OF trigger would do the same, but
-- `wrangler d1 export` writes that trigger before its view, so the backup would not restore).
CREATE TABLE batch_guard (ok INTEGER);
CREATE TRIGGER batch_guard_check BEFORE INSERT ON batch_guard
BEGIN SELECT CASE WHEN NEW.ok IS 1 THEN RAISE (IGNORE) ELSE RAISE (ABORT, 'batch_guard: a condition of this change no longer holds') END; END;

-- Rounds opened before this migration: their levels, from the units' paths (a unit strictly below
-- the owner and strictly above an expected unit).
INSERT OR IGNORE INTO round_levels (round_id, unit_id)
SELECT DISTINCT ru.round_id, a.id
FROM round_units ru
JOIN rounds r ON r.id = ru.round_id
JOIN units o ON o.id = r.owner_unit_id
JOIN units e ON e.id = ru.unit_id
JOIN units a ON length(a.path) > length(o.path) AND substr(a.path, 1, length(o.path)) = o.path
  AND length(a.path) < length(e.path) AND substr(e.path, 1, length(a.path)) = a.path;
