import { CodeSchema, type Template } from "@tianbao/shared";
import { inSubtree } from "./units";

/**
 * Template families (issue 22). A template's storage id (`templates.id`) is unique across the
 * deployment — rounds, fill sheets and URLs carry it, unchanged since before families — and its
 * `code` is what the owner chose. A code is unique within a line of units (a unit, the units above
 * it and the units below it): two cities may each have `quality_city_annual`, but a county cannot
 * take its city's code, and a province cannot take a code two of its cities use (it would name two
 * templates to the province). A family is named by its code or by its storage id (the pane and old
 * workbooks carry the storage id).
 */
export type FamilyPlan =
  /** No template of that code in the caller's line: a new family under a free storage id (null: none free). */
  | { kind: "new"; id: string | null; code: string }
  /** One family, every version owned by the caller's unit or below it: its next version. */
  | { kind: "version"; id: string; code: string; latest: number }
  /** A unit above the caller owns (a version of) it: the code is not the caller's to take. */
  | { kind: "above"; owners: { zh: string; en: string }[] }
  /** Several families below the caller use the code: it would name more than one template. */
  | { kind: "several"; owners: { zh: string; en: string }[] };

interface LineRow { id: string; code: string; version: number; owned: number; name_zh: string; name_en: string }

/** What a new version of `code` made by the caller would be (see FamilyPlan). */
export async function planFamily(db: D1Database, caller: { unitId: string; unitPath: string }, code: string): Promise<FamilyPlan> {
  const { results } = await db.prepare(
    `SELECT t.id, t.code, t.version, ${inSubtree("o.path", "?1")} AS owned, o.name_zh, o.name_en
     FROM templates t JOIN units o ON o.id = t.owner_unit_id
     WHERE (t.code = ?2 OR t.id = ?2) AND (${inSubtree("?1", "o.path")} OR ${inSubtree("o.path", "?1")}) ORDER BY o.path, t.id`,
  ).bind(caller.unitPath, code).all<LineRow>();
  const names = (rows: LineRow[]) => [...new Map(rows.map((r) => [r.name_zh, { zh: r.name_zh, en: r.name_en }])).values()];
  if (results.length === 0) return { kind: "new", id: await freeStorageId(db, code, caller.unitId), code };
  const above = results.filter((r) => !r.owned);
  if (above.length > 0) return { kind: "above", owners: names(above) };
  const ids = new Set(results.map((r) => r.id));
  if (ids.size > 1) return { kind: "several", owners: names(results) };
  return { kind: "version", id: results[0]!.id, code: results[0]!.code, latest: Math.max(...results.map((r) => r.version)) };
}

/**
 * A storage id no template has: the code itself when free (as every template before families),
 * else the code with the owner's unit id (`quality_city_annual_changzhi`), else a number.
 */
async function freeStorageId(db: D1Database, code: string, unitId: string): Promise<string | null> {
  const candidates = [code, `${code}_${unitId}`, ...Array.from({ length: 30 }, (_, k) => `${code.slice(0, 36)}_${k + 2}`)]
    .filter((c) => CodeSchema.safeParse(c).success);
  const { results } = await db.prepare("SELECT DISTINCT id FROM templates WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(candidates)).all<{ id: string }>();
  const taken = new Set(results.map((r) => r.id));
  return candidates.find((c) => !taken.has(c)) ?? null;
}

/**
 * The first version of a new family. Written only if, when the batch commits, still no template of
 * that code (or storage id) is in the owner's line: two units of one line creating the same code at
 * once cannot both get it (0 rows written: the caller answers 409).
 */
export const insertFamily = (db: D1Database, t: Template, owner: { unitId: string; unitPath: string }, userId: number | null, now: string, code: string) =>
  db.prepare(
    `INSERT INTO templates (id, version, status, body, owner_unit_id, created_by, created_at, published_at, code)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
     WHERE NOT EXISTS (SELECT 1 FROM templates x JOIN units o ON o.id = x.owner_unit_id
       WHERE (x.code = ?9 OR x.id = ?9) AND (${inSubtree("?10", "o.path")} OR ${inSubtree("o.path", "?10")}))`,
  ).bind(t.id, t.version, t.status, JSON.stringify(t), owner.unitId, userId, now, t.status === "published" ? now : null, code, owner.unitPath);
