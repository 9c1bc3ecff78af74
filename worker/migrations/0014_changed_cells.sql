-- A revision stores only the cells that changed (issue 23): D1 rows written per submission grow with
-- the cells that changed, not with the size of the form (a form may have ~2,000 cells).
--
-- `revision_values` becomes a change log. A revision written from now on ('changes') holds a row only
-- for an indicator whose value differs from the revision before it, and a tombstone (value 'null', the
-- JSON of blank; no stored value is ever that text) for one that became blank. A revision stored before
-- this migration ('full') keeps every value it had, as it was submitted: blanks are simply absent.
-- Revision R reads as the latest row per indicator from the last 'full' revision at or before R (or the
-- first revision) up to R, tombstones dropped. So no old row is rewritten or deleted: history stays
-- append-only under the triggers of 0001 and 0006, and every old revision reads exactly as before.
ALTER TABLE revisions ADD COLUMN values_form TEXT NOT NULL DEFAULT 'full' CHECK (values_form IN ('full', 'changes'));

-- The values of each report's and each review level's current revision (submissions.revision,
-- round_levels.revision), one row per reported indicator: what totals, exports, fill sheets, the
-- integrity check and the next submission's comparison read. Kept in the same batch as the change log
-- it follows (the integrity check replays the log and compares); updated and deleted freely.
-- WITHOUT ROWID: the primary key is the table, one b-tree write per row instead of two.
CREATE TABLE current_values (
  round_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  indicator TEXT NOT NULL,
  value TEXT NOT NULL, -- JSON of the canonical value, as in revision_values (never the tombstone)
  PRIMARY KEY (round_id, unit_id, indicator)
) WITHOUT ROWID;

-- Existing data: every report's and every review level's current revision, a full snapshot.
INSERT INTO current_values (round_id, unit_id, indicator, value)
SELECT rv.round_id, rv.unit_id, rv.indicator, rv.value FROM submissions s
JOIN revision_values rv ON rv.round_id = s.round_id AND rv.unit_id = s.unit_id AND rv.revision = s.revision;
INSERT INTO current_values (round_id, unit_id, indicator, value)
SELECT rv.round_id, rv.unit_id, rv.indicator, rv.value FROM round_levels l
JOIN revision_values rv ON rv.round_id = l.round_id AND rv.unit_id = l.unit_id AND rv.revision = l.revision
WHERE l.revision > 0;
