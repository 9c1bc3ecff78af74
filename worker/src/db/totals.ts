import type { Counters } from "@tianbao/shared";

export type Basis = "standing" | "approved";

/**
 * Adds a counter delta to the totals of every listed unit (a unit and its ancestors) in one
 * statement: integer addition in SQL, so totals stay exact and reading them never grows with units.
 * Counters cross between JS and SQL as decimal text (never a JS Number, which is exact only below
 * 2^53); the value domain keeps every total below 2^63 (see shared validation/number.ts).
 */
export function addToTotals(db: D1Database, roundId: string, unitIds: string[], basis: Basis, delta: Counters): D1PreparedStatement | null {
  if (delta.size === 0) return null;
  const pairs = [...delta].map(([k, v]) => [k, v.toString()]);
  return db.prepare(
    `INSERT INTO totals (round_id, unit_id, basis, key, value)
     SELECT ?1, a.value, ?2, json_extract(d.value, '$[0]'), CAST(json_extract(d.value, '$[1]') AS INTEGER)
     FROM json_each(?3) AS a, json_each(?4) AS d WHERE 1
     ON CONFLICT (round_id, unit_id, basis, key) DO UPDATE SET value = totals.value + excluded.value`,
  ).bind(roundId, basis, JSON.stringify(unitIds), JSON.stringify(pairs));
}

/** Counters of one unit's subtree, or of each of a parent's children in one query. */
export async function readTotals(db: D1Database, roundId: string, unitIds: string[], basis: Basis): Promise<Map<string, Counters>> {
  const { results } = await db.prepare(
    "SELECT unit_id, key, CAST(value AS TEXT) AS value FROM totals WHERE round_id = ? AND basis = ? AND unit_id IN (SELECT value FROM json_each(?))",
  ).bind(roundId, basis, JSON.stringify(unitIds)).all<{ unit_id: string; key: string; value: string }>();
  const out = new Map<string, Counters>(unitIds.map((id) => [id, new Map()]));
  for (const r of results) {
    const v = BigInt(r.value);
    if (v !== 0n) out.get(r.unit_id)!.set(r.key, v);
  }
  return out;
}
