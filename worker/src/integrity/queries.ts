/**
 * The rows the integrity check reads, as SQL for all rounds at once. The Worker runs them through
 * D1 (scoped to the caller's subtree); `npm run integrity` runs the same text through
 * `wrangler d1 execute`. Every counter leaves SQL as text, so no total passes through a JS Number.
 */
export const INTEGRITY_QUERIES = {
  units: "SELECT id, parent_id, path FROM units ORDER BY length(path), id",
  rounds: "SELECT id, owner_unit_id, template_id, template_version FROM rounds ORDER BY id",
  templates: "SELECT id, version, body FROM templates WHERE status = 'published'",
  expected: "SELECT round_id, unit_id FROM round_units ORDER BY round_id, rowid",
  submissions: "SELECT round_id, unit_id, state, revision, seq FROM submissions",
  revisions: "SELECT round_id, unit_id, MAX(revision) AS max_revision FROM revisions GROUP BY round_id, unit_id",
  auditSeqs: "SELECT round_id, unit_id, seq FROM audit WHERE seq IS NOT NULL AND round_id IS NOT NULL",
  values: `SELECT s.round_id, s.unit_id, rv.indicator, rv.value FROM submissions s
    JOIN revision_values rv ON rv.round_id = s.round_id AND rv.unit_id = s.unit_id AND rv.revision = s.revision`,
  totals: "SELECT round_id, unit_id, basis, key, CAST(value AS TEXT) AS value FROM totals",
  levels: "SELECT round_id, unit_id, state, revision, seq FROM round_levels",
  levelValues: `SELECT l.round_id, l.unit_id, rv.indicator, rv.value FROM round_levels l
    JOIN revision_values rv ON rv.round_id = l.round_id AND rv.unit_id = l.unit_id AND rv.revision = l.revision`,
  usernames: "SELECT lower(username) AS username FROM users",
  creations: `SELECT action, unit_id, json_extract(detail, '$.unit') AS unit, json_extract(detail, '$.username') AS username
    FROM audit WHERE action IN ('unit_create', 'user_create') ORDER BY id`,
} as const;
export type IntegrityTable = keyof typeof INTEGRITY_QUERIES;
export type IntegrityDump = Record<IntegrityTable, Record<string, unknown>[]>;
