-- Detail lists (浮动行, issue 25): a report's lists of records (名牌产品生产企业, 采标企业 …), row by row.
--
-- `list_rows` is the lists' change log, as revision_values is the figures' (migration 0014): a revision
-- holds a row only for a list row that is new or differs from the revision before at its position, and a
-- tombstone (value 'null', the JSON of nothing; a row is never that text) for each position past the new
-- end when a list became shorter. Revision R's list reads as the latest row per position up to R,
-- tombstones dropped. So a correction of one row of 2,000 writes one row; no row is rewritten or deleted.
-- A list's figures (rows, sums, by choice) are ordinary figures of the report (revision_values), computed
-- from the list when it is handed in: totals, levels and the integrity check work on them unchanged.
CREATE TABLE list_rows (
  round_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  tbl TEXT NOT NULL,
  pos INTEGER NOT NULL, -- from 1, the row's place in the unit's list
  revision INTEGER NOT NULL,
  value TEXT NOT NULL, -- JSON object of the row's fields as stored (blanks absent), or 'null'
  PRIMARY KEY (round_id, unit_id, tbl, pos, revision)
) WITHOUT ROWID;
CREATE TRIGGER list_rows_no_update BEFORE UPDATE ON list_rows BEGIN SELECT RAISE (ABORT, 'revisions are append-only'); END;
CREATE TRIGGER list_rows_no_delete BEFORE DELETE ON list_rows BEGIN SELECT RAISE (ABORT, 'revisions are append-only'); END;

-- Each report's current list (submissions.revision), one row per list row: what the report's view, the
-- city's rolled-up list, the exports and the next submission's comparison read. Kept in the same batch as
-- the change log it follows; the integrity check replays the log and compares.
CREATE TABLE current_list_rows (
  round_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  tbl TEXT NOT NULL,
  pos INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (round_id, unit_id, tbl, pos)
) WITHOUT ROWID;
