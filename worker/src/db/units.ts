import type { Unit } from "@tianbao/shared";

interface UnitRow {
  id: string;
  name_zh: string;
  name_en: string;
  level: Unit["level"];
  parent_id: string | null;
  path: string;
  contact_name?: string | null;
  contact_phone?: string | null;
}

const toUnit = (r: UnitRow): Unit => ({ id: r.id, name: { zh: r.name_zh, en: r.name_en }, level: r.level, parentId: r.parent_id });

/** Inserts a unit under its parent; the path is built in SQL from the parent's. Idempotent. */
export const insertUnit = (db: D1Database, u: Unit) =>
  db.prepare(
    `INSERT INTO units (id, name_zh, name_en, level, parent_id, path)
     SELECT ?1, ?2, ?3, ?4, ?5, COALESCE((SELECT path FROM units WHERE id = ?5), '/') || ?1 || '/'
     ON CONFLICT (id) DO NOTHING`,
  ).bind(u.id, u.name.zh, u.name.en, u.level, u.parentId);

/**
 * SQL that is true when `path` (a column) lies in the subtree whose root's path is bound at `param`.
 * Exact: a byte-wise prefix comparison, never LIKE (whose `_` and `%` are wildcards and which folds
 * ASCII case). Paths are `/id/id/…/` and ids hold no `/`, so a prefix is always a whole ancestor.
 * The range test before it says the same for the ids we allow (no character above U+FFFF) and lets
 * SQLite use the index on units.path, so a subtree costs its own rows, not a scan of every unit.
 */
export const inSubtree = (path: string, param: string): string =>
  `(${path} >= ${param} AND ${path} < ${param} || char(1114111) AND substr(${path}, 1, length(${param})) = ${param})`;

/** Units in the subtree whose root has `path`, parents first. */
export async function listUnitsUnder(db: D1Database, path: string, o: { contacts?: boolean } = {}): Promise<(Unit & { contact?: { name: string | null; phone: string | null } | null })[]> {
  const { results } = await db.prepare(`SELECT * FROM units WHERE ${inSubtree("path", "?1")} ORDER BY length(path), id`).bind(path).all<UnitRow>();
  if (!o.contacts) return results.map(toUnit);
  return results.map((r) => ({ ...toUnit(r), contact: r.contact_name || r.contact_phone ? { name: r.contact_name ?? null, phone: r.contact_phone ?? null } : null }));
}

export async function findUnitUnder(db: D1Database, path: string, id: string): Promise<(Unit & { path: string }) | null> {
  const r = await db.prepare(`SELECT * FROM units WHERE id = ?1 AND ${inSubtree("path", "?2")}`).bind(id, path).first<UnitRow>();
  return r ? { ...toUnit(r), path: r.path } : null;
}

export async function childUnits(db: D1Database, parentId: string): Promise<Unit[]> {
  const { results } = await db.prepare("SELECT * FROM units WHERE parent_id = ? ORDER BY level = 'self', id").bind(parentId).all<UnitRow>();
  return results.map(toUnit);
}
