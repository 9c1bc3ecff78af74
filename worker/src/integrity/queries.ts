/**
 * The rows the integrity check reads, one slice at a time (issue 27): never a whole table, so one
 * invocation's memory is bounded by its slice. Whole-database checks are done in SQL and return only
 * the problems they find. The Worker binds parameters through D1; `npm run integrity` runs the same
 * text through `wrangler d1 execute` (parameters written as SQL literals). Every counter leaves SQL as
 * text, so no total passes through a JS Number. ?1 is the scope path or the round throughout.
 * Totals are recomputed from the current values; the current values are checked against the change
 * log of revisions they follow (replayDiffers), in the same batch.
 */
const IN_SCOPE = "substr(u.path, 1, length(?1)) = ?1";
const ROUND_NODE = "(c.id IN (SELECT unit_id FROM round_units WHERE round_id = ?1) OR c.id IN (SELECT unit_id FROM round_levels WHERE round_id = ?1) OR substr(?3, 1, length(c.path)) = c.path)";
const IN_RANGE = "JOIN units u ON u.id = x.unit_id AND u.path >= ?2 AND u.path < ?3";

/**
 * The current values (current_values) against the change log (revision_values, migration 0014)
 * replayed at each head's current revision: from the last full snapshot at or before it, the latest
 * row per indicator, a tombstone ('null') meaning blank. One pass: the log rows and the current rows
 * of the heads grouped by unit and indicator, the latest log row found as the largest zero-padded
 * revision prefixed to its value. Only the differences come back: unit, indicator, revision, the
 * replayed and the stored JSON text (NULL: blank). `heads`: a SELECT of (unit_id, revision) in round ?1.
 */
const replayDiffers = (heads: string) => `WITH heads AS MATERIALIZED (
    SELECT h.unit_id, h.revision, (SELECT COALESCE(MAX(r.revision), 0) FROM revisions r
      WHERE r.round_id = ?1 AND r.unit_id = h.unit_id AND r.revision <= h.revision AND r.values_form = 'full') AS base
    FROM (${heads}) h
  )
  SELECT unit_id, indicator, revision, NULLIF(substr(MAX(logged), 11), 'null') AS replayed, MAX(stored) AS stored FROM (
    SELECT h.unit_id, h.revision, rv.indicator, printf('%010d', rv.revision) || rv.value AS logged, NULL AS stored FROM heads h
    JOIN revision_values rv ON rv.round_id = ?1 AND rv.unit_id = h.unit_id AND rv.revision BETWEEN h.base AND h.revision
    UNION ALL
    SELECT h.unit_id, h.revision, c.indicator, NULL, c.value FROM heads h JOIN current_values c ON c.round_id = ?1 AND c.unit_id = h.unit_id
  )
  GROUP BY unit_id, indicator HAVING NULLIF(substr(MAX(logged), 11), 'null') IS NOT MAX(stored)
  LIMIT 200`;

export const INTEGRITY_QUERIES = {
  // directory (scope ?1): problems only
  unitCount: `SELECT COUNT(*) AS n FROM units u WHERE ${IN_SCOPE}`,
  badPaths: `SELECT u.id, u.parent_id, u.path, p.path AS parent_path, p.id AS found FROM units u LEFT JOIN units p ON p.id = u.parent_id
    WHERE ${IN_SCOPE} AND ((u.parent_id IS NOT NULL AND p.id IS NULL) OR u.path <> COALESCE(p.path, '/') || u.id || '/') ORDER BY u.id LIMIT 200`,
  twicePaths: `SELECT u.path, MAX(u.id) AS id FROM units u WHERE ${IN_SCOPE} GROUP BY u.path HAVING COUNT(*) > 1 LIMIT 200`,
  badCreations: `SELECT a.action, a.unit_id, a.name, a.n, a.found FROM (
      SELECT action, MAX(unit_id) AS unit_id, name, COUNT(*) AS n,
        CASE WHEN action = 'unit_create' THEN EXISTS (SELECT 1 FROM units WHERE id = name) ELSE EXISTS (SELECT 1 FROM users WHERE username = name) END AS found
      FROM (SELECT action, unit_id, CASE WHEN action = 'unit_create' THEN json_extract(detail, '$.unit') ELSE lower(json_extract(detail, '$.username')) END AS name
        FROM audit WHERE action IN ('unit_create', 'user_create'))
      WHERE name IS NOT NULL GROUP BY action, name) a
    WHERE (a.n > 1 OR NOT a.found) AND (a.unit_id IS NULL OR EXISTS (SELECT 1 FROM units u WHERE u.id = a.unit_id AND ${IN_SCOPE})) LIMIT 200`,
  // rounds (scope ?1, after ?2)
  nextRound: `SELECT r.id, r.owner_unit_id, r.template_id, r.template_version, u.path AS owner_path FROM rounds r LEFT JOIN units u ON u.id = r.owner_unit_id
    WHERE ${IN_SCOPE} AND r.id > ?2 ORDER BY r.id LIMIT 1`,
  roundAt: `SELECT r.id, r.owner_unit_id, r.template_id, r.template_version, u.path AS owner_path FROM rounds r JOIN units u ON u.id = r.owner_unit_id
    WHERE ${IN_SCOPE} AND r.id = ?2`,
  template: "SELECT body FROM templates WHERE id = ?1 AND version = ?2 AND status = 'published'",
  // a round's plan (round ?1): its units' paths, at most the 5,000 a round may expect
  planExpected: "SELECT x.unit_id AS id, u.path FROM round_units x LEFT JOIN units u ON u.id = x.unit_id WHERE x.round_id = ?1 ORDER BY x.rowid",
  planLevels: "SELECT x.unit_id AS id, u.path, x.state, x.revision, x.seq FROM round_levels x LEFT JOIN units u ON u.id = x.unit_id WHERE x.round_id = ?1",
  // slice 0, the units above the chunks (round ?1, unit ?2, owner path ?3)
  ownTotals: "SELECT basis, key, CAST(value AS TEXT) AS value FROM totals WHERE round_id = ?1 AND unit_id = ?2",
  childTotals: `SELECT t.basis, t.key, CAST(SUM(t.value) AS TEXT) AS value FROM units c JOIN totals t ON t.round_id = ?1 AND t.unit_id = c.id
    WHERE c.parent_id = ?2 AND ${ROUND_NODE}
      AND (t.basis = 'standing' OR NOT EXISTS (SELECT 1 FROM round_levels l WHERE l.round_id = ?1 AND l.unit_id = c.id AND COALESCE(l.state, '') <> 'approved'))
    GROUP BY t.basis, t.key`,
  childrenNotApproved: `SELECT c.id AS unit_id, COALESCE(l.state, s.state, 'not_started') AS state FROM units c
    LEFT JOIN round_levels l ON l.round_id = ?1 AND l.unit_id = c.id LEFT JOIN submissions s ON s.round_id = ?1 AND s.unit_id = c.id
    WHERE c.parent_id = ?2 AND (l.unit_id IS NOT NULL OR c.id IN (SELECT unit_id FROM round_units WHERE round_id = ?1))
      AND COALESCE(l.state, s.state, 'not_started') <> 'approved' ORDER BY c.id LIMIT 200`,
  unitRevision: "SELECT unit_id, MAX(revision) AS max_revision FROM revisions WHERE round_id = ?1 AND unit_id = ?2 GROUP BY unit_id",
  unitSeqs: "SELECT unit_id, seq FROM audit WHERE round_id = ?1 AND unit_id = ?2 AND seq IS NOT NULL",
  unitLevelValues: `SELECT l.unit_id, cv.indicator, cv.value FROM round_levels l
    JOIN current_values cv ON cv.round_id = l.round_id AND cv.unit_id = l.unit_id WHERE l.round_id = ?1 AND l.unit_id = ?2`,
  unitReplay: replayDiffers("SELECT x.unit_id, x.revision FROM round_levels x WHERE x.round_id = ?1 AND x.unit_id = ?2 AND x.revision > 0"),
  notExpected: `SELECT unit_id FROM submissions s WHERE s.round_id = ?1
    AND NOT EXISTS (SELECT 1 FROM round_units x WHERE x.round_id = ?1 AND x.unit_id = s.unit_id) ORDER BY unit_id LIMIT 200`,
  orphanSeqs: `SELECT DISTINCT unit_id FROM audit WHERE round_id = ?1 AND seq IS NOT NULL
    AND unit_id NOT IN (SELECT unit_id FROM submissions WHERE round_id = ?1) AND unit_id NOT IN (SELECT unit_id FROM round_levels WHERE round_id = ?1) LIMIT 200`,
  // units holding current values with no submitted revision: one index step per unit holding any (a loose index scan)
  strayCurrent: `WITH RECURSIVE holders (unit_id) AS (
      SELECT MIN(unit_id) FROM current_values WHERE round_id = ?1
      UNION ALL
      SELECT (SELECT MIN(c.unit_id) FROM current_values c WHERE c.round_id = ?1 AND c.unit_id > h.unit_id) FROM holders h WHERE h.unit_id IS NOT NULL
    )
    SELECT h.unit_id FROM holders h WHERE h.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.round_id = ?1 AND s.unit_id = h.unit_id)
      AND NOT EXISTS (SELECT 1 FROM round_levels l WHERE l.round_id = ?1 AND l.unit_id = h.unit_id AND l.revision > 0) LIMIT 200`,
  strayTotals: `SELECT DISTINCT t.unit_id FROM totals t LEFT JOIN units c ON c.id = t.unit_id WHERE t.round_id = ?1 AND t.value <> 0
    AND (c.id IS NULL OR NOT ${ROUND_NODE}) LIMIT 200`,
  // slices 1…n, one path range [?2, ?3) of round ?1
  chunkUnits: "SELECT id, path FROM units WHERE path >= ?2 AND path < ?3 AND ?1 IS NOT NULL",
  chunkExpected: `SELECT x.unit_id FROM round_units x ${IN_RANGE} WHERE x.round_id = ?1`,
  chunkSubmissions: `SELECT x.unit_id, x.state, x.revision, x.seq FROM submissions x ${IN_RANGE} WHERE x.round_id = ?1`,
  chunkRevisions: `SELECT x.unit_id, MAX(x.revision) AS max_revision FROM revisions x ${IN_RANGE} WHERE x.round_id = ?1 GROUP BY x.unit_id`,
  chunkSeqs: `SELECT x.unit_id, x.seq FROM audit x ${IN_RANGE} WHERE x.round_id = ?1 AND x.seq IS NOT NULL`,
  chunkValues: `SELECT x.unit_id, cv.indicator, cv.value FROM submissions x ${IN_RANGE}
    JOIN current_values cv ON cv.round_id = x.round_id AND cv.unit_id = x.unit_id WHERE x.round_id = ?1`,
  chunkTotals: `SELECT x.unit_id, x.basis, x.key, CAST(x.value AS TEXT) AS value FROM totals x ${IN_RANGE} WHERE x.round_id = ?1`,
  chunkLevels: `SELECT x.unit_id, x.state, x.revision, x.seq FROM round_levels x ${IN_RANGE} WHERE x.round_id = ?1`,
  chunkLevelValues: `SELECT x.unit_id, cv.indicator, cv.value FROM round_levels x ${IN_RANGE}
    JOIN current_values cv ON cv.round_id = x.round_id AND cv.unit_id = x.unit_id WHERE x.round_id = ?1`,
  // each report's last-year approved figures, picked as the Worker's history lookup picks them (same template, the
  // period a year before, the round's issuer's own round first, the latest created), for the reports not locked
  // above (their 上年同期 waits for their level to be returned); only asked for templates with 上年同期 figures
  chunkLastYear: `WITH me AS (SELECT template_id, owner_unit_id, printf('%04d', CAST(substr(period, 1, 4) AS INTEGER) - 1) || substr(period, 5) AS ly FROM rounds WHERE id = ?1)
    SELECT x.unit_id, cv.indicator, cv.value FROM submissions x ${IN_RANGE} CROSS JOIN me
    JOIN current_values cv ON cv.unit_id = x.unit_id AND cv.round_id = (SELECT r.id FROM rounds r CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = x.unit_id AND s.state = 'approved'
      WHERE r.template_id = me.template_id AND r.period = me.ly ORDER BY r.owner_unit_id = me.owner_unit_id DESC, r.created_at DESC LIMIT 1)
    WHERE x.round_id = ?1 AND NOT EXISTS (SELECT 1 FROM round_levels l WHERE l.round_id = ?1 AND l.unit_id = u.parent_id AND l.state IN ('submitted', 'approved'))
      -- last year under correction (a report of that period reopened, submitted or returned): not checked until approved again
      AND NOT EXISTS (SELECT 1 FROM rounds r2 CROSS JOIN submissions s2 ON s2.round_id = r2.id AND s2.unit_id = x.unit_id AND s2.state <> 'approved'
        WHERE r2.template_id = me.template_id AND r2.period = me.ly)`,
  // each report's approved figures of this year's earlier periods (same type: periods of one year compare as
  // text), picked as chunkLastYear picks them, for the 本年累计 figures; only for templates with them
  chunkEarlier: `WITH me AS (SELECT template_id, owner_unit_id, period FROM rounds WHERE id = ?1),
    periods AS (SELECT DISTINCT r.period FROM rounds r CROSS JOIN me WHERE r.template_id = me.template_id
      AND substr(r.period, 1, 5) = substr(me.period, 1, 5) AND length(r.period) = length(me.period) AND r.period < me.period)
    SELECT x.unit_id, p.period, me.period AS this_period, cv.indicator, cv.value FROM submissions x ${IN_RANGE} CROSS JOIN me CROSS JOIN periods p
    JOIN current_values cv ON cv.unit_id = x.unit_id AND cv.round_id = (SELECT r.id FROM rounds r CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = x.unit_id AND s.state = 'approved'
      WHERE r.template_id = me.template_id AND r.period = p.period ORDER BY r.owner_unit_id = me.owner_unit_id DESC, r.created_at DESC LIMIT 1)
    WHERE x.round_id = ?1 AND NOT EXISTS (SELECT 1 FROM round_levels l WHERE l.round_id = ?1 AND l.unit_id = u.parent_id AND l.state IN ('submitted', 'approved'))
      -- a month under correction leaves its unit's 累计 unchecked (the period reads as missing) until approved again
      AND NOT EXISTS (SELECT 1 FROM rounds r2 CROSS JOIN submissions s2 ON s2.round_id = r2.id AND s2.unit_id = x.unit_id AND s2.state <> 'approved'
        WHERE r2.template_id = me.template_id AND r2.period = p.period)`,
  // detail lists (issue 25), only for templates with them: each report's current list rows, in order, and the
  // current rows against the change log (list_rows) replayed at the report's revision — the differences only
  chunkLists: `SELECT x.unit_id, c.tbl, c.value FROM submissions x ${IN_RANGE}
    JOIN current_list_rows c ON c.round_id = x.round_id AND c.unit_id = x.unit_id WHERE x.round_id = ?1 ORDER BY x.unit_id, c.tbl, c.pos`,
  chunkListReplay: `WITH heads AS MATERIALIZED (SELECT x.unit_id, x.revision FROM submissions x ${IN_RANGE} WHERE x.round_id = ?1)
    SELECT unit_id, tbl, pos, revision, NULLIF(substr(MAX(logged), 11), 'null') AS replayed, MAX(stored) AS stored FROM (
      SELECT h.unit_id, h.revision, l.tbl, l.pos, printf('%010d', l.revision) || l.value AS logged, NULL AS stored FROM heads h
      JOIN list_rows l ON l.round_id = ?1 AND l.unit_id = h.unit_id AND l.revision <= h.revision
      UNION ALL
      SELECT h.unit_id, h.revision, c.tbl, c.pos, NULL, c.value FROM heads h JOIN current_list_rows c ON c.round_id = ?1 AND c.unit_id = h.unit_id
    )
    GROUP BY unit_id, tbl, pos HAVING NULLIF(substr(MAX(logged), 11), 'null') IS NOT MAX(stored)
    LIMIT 200`,
  chunkReplay: replayDiffers(`SELECT x.unit_id, x.revision FROM submissions x ${IN_RANGE} WHERE x.round_id = ?1
    UNION ALL SELECT x.unit_id, x.revision FROM round_levels x ${IN_RANGE} WHERE x.round_id = ?1 AND x.revision > 0`),
} as const;
export type IntegrityQuery = keyof typeof INTEGRITY_QUERIES;
export type Row = Record<string, unknown>;

/** Where the check reads from: D1 in the Worker, `wrangler d1 execute` in `npm run integrity`. */
export interface IntegritySource {
  /** Runs the queries as one batch; rows per query, in order. */
  batch(queries: readonly { name: IntegrityQuery; params: readonly (string | number | null)[] }[]): Promise<Row[][]>;
}
