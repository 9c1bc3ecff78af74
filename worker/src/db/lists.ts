// A report's detail lists in D1 (issue 25, migration 0016): the change log `list_rows` (a row per list row
// that changed at its position, a tombstone per position past a shorter list's end) and the current lists
// `current_list_rows`, both written from one JSON parameter — three statements whatever the list's length
// or the number of rows that changed, and D1 rows written as many as the rows that changed.
import { detailTables, type Lists, type Template, type Values } from "@tianbao/shared";
import { inSubtree } from "./units";

/** The stored text of a position the list no longer reaches (JSON null; a row is always an object). */
export const ROW_TOMBSTONE = "null";

export interface RowChange { t: string; p: number; v: string }

/** What a new revision changes in the lists: each position whose row is new or differs (as stored text), and a tombstone for each past a list's new end. */
export function changedRows(template: Pick<Template, "form">, current: Lists, next: Lists): RowChange[] {
  const out: RowChange[] = [];
  for (const { code } of detailTables(template)) {
    const [a, b] = [current[code] ?? [], next[code] ?? []];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const [before, after] = [a[i] ? rowText(a[i]!) : null, b[i] ? rowText(b[i]!) : null];
      if (before !== after) out.push({ t: code, p: i + 1, v: after ?? ROW_TOMBSTONE });
    }
  }
  return out;
}

/** A row as stored: its fields in their order, blanks left out (so equal rows are equal texts). */
export const rowText = (row: Values): string => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined)));

/** The change log's rows of a revision and the current lists brought up to it: nothing when no row changed. */
export const insertListRows = (db: D1Database, roundId: string, unitId: string, revision: number, changes: readonly RowChange[]) => changes.length === 0 ? [] : [
  db.prepare(
    `INSERT INTO list_rows (round_id, unit_id, tbl, pos, revision, value)
     SELECT ?1, ?2, json_extract(value, '$.t'), json_extract(value, '$.p'), ?3, json_extract(value, '$.v') FROM json_each(?4)`,
  ).bind(roundId, unitId, revision, JSON.stringify(changes)),
  db.prepare(
    `DELETE FROM current_list_rows WHERE round_id = ?1 AND unit_id = ?2 AND (tbl, pos) IN
       (SELECT json_extract(value, '$.t'), json_extract(value, '$.p') FROM json_each(?3) WHERE json_extract(value, '$.v') = '${ROW_TOMBSTONE}')`,
  ).bind(roundId, unitId, JSON.stringify(changes)),
  db.prepare(
    `INSERT INTO current_list_rows (round_id, unit_id, tbl, pos, value)
     SELECT ?1, ?2, json_extract(value, '$.t'), json_extract(value, '$.p'), json_extract(value, '$.v') FROM json_each(?3) WHERE json_extract(value, '$.v') <> '${ROW_TOMBSTONE}'
     ON CONFLICT (round_id, unit_id, tbl, pos) DO UPDATE SET value = excluded.value`,
  ).bind(roundId, unitId, JSON.stringify(changes)),
];

const toLists = (template: Pick<Template, "form">, rows: readonly { tbl: string; value: string }[]): Lists => {
  const out: Lists = Object.fromEntries(detailTables(template).map((t) => [t.code, [] as Values[]]));
  for (const r of rows) if (Object.hasOwn(out, r.tbl)) out[r.tbl]!.push(JSON.parse(r.value) as Values);
  return out;
};

/** A report's current lists (every list of the template, empty where it has no row). */
export async function readCurrentLists(db: D1Database, template: Pick<Template, "form">, roundId: string, unitId: string): Promise<Lists> {
  if (detailTables(template).length === 0) return {};
  const { results } = await db.prepare("SELECT tbl, value FROM current_list_rows WHERE round_id = ? AND unit_id = ? ORDER BY tbl, pos")
    .bind(roundId, unitId).all<{ tbl: string; value: string }>();
  return toLists(template, results);
}

/** A revision's lists, any revision: the latest row per position up to it, tombstones dropped. */
export async function readRevisionLists(db: D1Database, template: Pick<Template, "form">, roundId: string, unitId: string, revision: number): Promise<Lists> {
  if (detailTables(template).length === 0) return {};
  // SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum
  const { results } = await db.prepare(
    `SELECT tbl, value FROM (
       SELECT tbl, pos, value, MAX(revision) FROM list_rows WHERE round_id = ?1 AND unit_id = ?2 AND revision <= ?3 GROUP BY tbl, pos)
     WHERE value <> '${ROW_TOMBSTONE}' ORDER BY tbl, pos`,
  ).bind(roundId, unitId, revision).all<{ tbl: string; value: string }>();
  return toLists(template, results);
}

/** The reports that count at a subtree (?1 round, ?2 its root's path, ?3 'submitted' standing or 'approved' accepted), as readCountedValues picks them. */
const COUNTED_REPORTS = `WITH open_levels AS MATERIALIZED (
       SELECT lu.path FROM round_levels rl JOIN units lu ON lu.id = rl.unit_id
       WHERE ?3 = 'approved' AND rl.round_id = ?1 AND rl.state IS NOT 'approved' AND length(lu.path) > length(?2) AND ${inSubtree("lu.path", "?2")}
     ), counted AS MATERIALIZED (
       SELECT s.unit_id, u.parent_id, u.level, u.rowid AS seq, u.name_zh, u.name_en FROM submissions s JOIN units u ON u.id = s.unit_id
       WHERE s.round_id = ?1 AND ${inSubtree("u.path", "?2")} AND s.state IN ('approved', ?3)
         AND NOT EXISTS (SELECT 1 FROM open_levels o WHERE length(o.path) < length(u.path) AND substr(u.path, 1, length(o.path)) = o.path)
     )`;

export interface RolledRow { unit_id: string; name_zh: string; name_en: string; pos: number; value: string }

/**
 * A subtree's list (issue 25): the rows of every report that counts in its totals on a basis — standing
 * (submitted or approved) or accepted (approved, and approved by every review level between the unit and
 * the subtree's root), as readCountedValues picks them — units in their official order, each unit's rows
 * in its own; a page of them and how many there are in all. The units come first, each with its list's
 * length (its last position: positions run 1…n, one index step a unit); then only the rows of the page
 * are read, unit by unit from the position the page starts at. D1 rows read: the units plus the page,
 * wherever the page is (an OFFSET would read and sort every row before it, at every page).
 */
export async function readRolledList(
  db: D1Database, roundId: string, path: string, table: string, basis: "standing" | "approved", page: { offset: number; limit: number },
): Promise<{ total: number; rows: RolledRow[] }> {
  const { results: units } = await db.prepare(
    `${COUNTED_REPORTS} SELECT c.unit_id, c.name_zh, c.name_en,
       (SELECT MAX(l.pos) FROM current_list_rows l WHERE l.round_id = ?1 AND l.unit_id = c.unit_id AND l.tbl = ?4) AS n
     FROM counted c ORDER BY (SELECT p.rowid FROM units p WHERE p.id = c.parent_id), c.level = 'self', c.seq`,
  ).bind(roundId, path, basis === "standing" ? "submitted" : "approved", table).all<{ unit_id: string; name_zh: string; name_en: string; n: number | null }>();
  const total = units.reduce((s, u) => s + (u.n ?? 0), 0);
  // the units the page reaches and, in each, the first position and how many rows
  const reads: { unit: (typeof units)[number]; from: number; count: number }[] = [];
  let before = 0;
  for (const u of units) {
    const n = u.n ?? 0;
    const start = Math.max(page.offset, before);
    const end = Math.min(page.offset + page.limit, before + n);
    if (start < end) reads.push({ unit: u, from: start - before + 1, count: end - start });
    before += n;
    if (before >= page.offset + page.limit) break;
  }
  if (reads.length === 0) return { total, rows: [] };
  // one statement whatever the number of units the page spans: each unit's range of positions, an index range
  // each (CROSS JOIN: the ranges drive; SQLite keeps a CROSS JOIN's order)
  const { results } = await db.prepare(
    `SELECT CAST(r.key AS INTEGER) AS i, l.pos, l.value FROM json_each(?3) r
     CROSS JOIN current_list_rows l ON l.round_id = ?1 AND l.unit_id = json_extract(r.value, '$[0]') AND l.tbl = ?2
       AND l.pos >= json_extract(r.value, '$[1]') AND l.pos < json_extract(r.value, '$[1]') + json_extract(r.value, '$[2]')
     ORDER BY CAST(r.key AS INTEGER), l.pos`,
  ).bind(roundId, table, JSON.stringify(reads.map((r) => [r.unit.unit_id, r.from, r.count]))).all<{ i: number; pos: number; value: string }>();
  const rows = results.map((x) => { const u = reads[x.i]!.unit; return { unit_id: u.unit_id, name_zh: u.name_zh, name_en: u.name_en, pos: x.pos, value: x.value }; });
  return { total, rows };
}
