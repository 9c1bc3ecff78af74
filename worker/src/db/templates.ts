import { inSubtree } from "./units";
import { TemplateSchema, compileTemplate, type CompiledTemplate, type Template } from "@tianbao/shared";

interface TemplateRow {
  id: string;
  version: number;
  status: "draft" | "published";
  body: string;
}

export const insertTemplate = (db: D1Database, t: Template, ownerUnitId: string, userId: number | null, now: string) =>
  db.prepare(
    `INSERT INTO templates (id, version, status, body, owner_unit_id, created_by, created_at, published_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(t.id, t.version, t.status, JSON.stringify(t), ownerUnitId, userId, now, t.status === "published" ? now : null);

/** Who reads templates: their unit's path and role (a draft is read only by those who may edit it). */
export interface TemplateReader {
  unitPath: string;
  role: string;
}

/**
 * A template version the reader may see. Published: owned by the reader's unit, an ancestor or a
 * unit below it. A draft (unpublished work) only by those who may edit it — administrators of its
 * owner or of a unit above it; to anyone else it does not exist. ?1 is the reader's path, ?2 1 for
 * an administrator.
 */
const READABLE = `(${inSubtree("?1", "o.path")} OR ${inSubtree("o.path", "?1")}) AND (t.status = 'published' OR (?2 = 1 AND ${inSubtree("o.path", "?1")}))`;

/**
 * A published version used by a round the reader takes part in: the round expects a unit in the
 * reader's subtree (the reader is that unit, a review level above it, the round's owner or above).
 * A sibling city reviewing its counties in the province's round reads the form they fill, whoever
 * owns it (issue 22). ?1 is the reader's path.
 */
const PARTICIPANT = `t.status = 'published' AND EXISTS (
  SELECT 1 FROM rounds r JOIN round_units ru ON ru.round_id = r.id JOIN units eu ON eu.id = ru.unit_id
  WHERE r.template_id = t.id AND r.template_version = t.version AND ${inSubtree("eu.path", "?1")})`;

/** Templates the reader may use (see READABLE). */
export async function listTemplates(db: D1Database, reader: TemplateReader): Promise<Template[]> {
  const { results } = await db.prepare(`SELECT t.* FROM templates t JOIN units o ON o.id = t.owner_unit_id WHERE ${READABLE} ORDER BY t.id, t.version`)
    .bind(reader.unitPath, reader.role === "admin" ? 1 : 0).all<TemplateRow>();
  return results.map((r) => TemplateSchema.parse(JSON.parse(r.body)));
}

/** One template version the reader may read (see READABLE), or null: a draft of someone else's is not found. */
export async function findReadableTemplate(db: D1Database, reader: TemplateReader, id: string, version: number): Promise<Template | null> {
  const r = await db.prepare(`SELECT t.* FROM templates t JOIN units o ON o.id = t.owner_unit_id WHERE t.id = ?3 AND t.version = ?4 AND ${READABLE}`)
    .bind(reader.unitPath, reader.role === "admin" ? 1 : 0, id, version).first<TemplateRow>();
  return r ? TemplateSchema.parse(JSON.parse(r.body)) : null;
}

/** One template version the reader may read (READABLE) or fills and reviews in a round it takes part in (PARTICIPANT). */
export async function findTemplateToRead(db: D1Database, reader: TemplateReader, id: string, version: number): Promise<Template | null> {
  const r = await db.prepare(`SELECT t.* FROM templates t JOIN units o ON o.id = t.owner_unit_id WHERE t.id = ?3 AND t.version = ?4 AND ((${READABLE}) OR (${PARTICIPANT}))`)
    .bind(reader.unitPath, reader.role === "admin" ? 1 : 0, id, version).first<TemplateRow>();
  return r ? TemplateSchema.parse(JSON.parse(r.body)) : null;
}

/** A template version in the caller's line (owned by its unit, an ancestor or a unit below), drafts included: for its editors' checks. */
export async function findTemplate(db: D1Database, callerPath: string, id: string, version: number): Promise<Template | null> {
  const r = await db.prepare(
    `SELECT t.* FROM templates t JOIN units o ON o.id = t.owner_unit_id
     WHERE t.id = ?2 AND t.version = ?3 AND (${inSubtree("?1", "o.path")} OR ${inSubtree("o.path", "?1")})`,
  ).bind(callerPath, id, version).first<TemplateRow>();
  return r ? TemplateSchema.parse(JSON.parse(r.body)) : null;
}

/**
 * The latest version of a template id, and whether every existing version is owned by a unit in
 * the caller's subtree (only the owner or a unit above it may add versions, edit or publish).
 */
export async function latestVersion(db: D1Database, id: string, callerPath: string): Promise<{ version: number; ownedByCaller: boolean }> {
  const r = await db.prepare(
    `SELECT MAX(t.version) AS v, MIN(${inSubtree("o.path", "?2")}) AS owned FROM templates t JOIN units o ON o.id = t.owner_unit_id WHERE t.id = ?1`,
  ).bind(id, callerPath).first<{ v: number | null; owned: number | null }>();
  return { version: r?.v ?? 0, ownedByCaller: r?.owned !== 0 };
}

/** True when the template version's owner is the caller's unit or a unit below it. */
export async function ownsTemplate(db: D1Database, callerPath: string, id: string, version: number): Promise<boolean> {
  const r = await db.prepare(
    `SELECT 1 AS yes FROM templates t JOIN units o ON o.id = t.owner_unit_id WHERE t.id = ?2 AND t.version = ?3 AND ${inSubtree("o.path", "?1")}`,
  ).bind(callerPath, id, version).first<{ yes: number }>();
  return r !== null;
}

/** Publishes a draft; published versions never change again (the WHERE makes it a no-op). */
export const publishTemplate = (db: D1Database, id: string, version: number, t: Template, now: string) =>
  db.prepare("UPDATE templates SET status = 'published', body = ?, published_at = ? WHERE id = ? AND version = ? AND status = 'draft'")
    .bind(JSON.stringify({ ...t, status: "published" }), now, id, version);

export const updateDraft = (db: D1Database, t: Template) =>
  db.prepare("UPDATE templates SET body = ? WHERE id = ? AND version = ? AND status = 'draft'").bind(JSON.stringify(t), t.id, t.version);

// Published versions are immutable, so their compiled form can be kept for the isolate's life.
const compiledCache = new Map<string, CompiledTemplate>();

/** A published template version, compiled (formulas parsed, derived order fixed), cached. */
export async function loadCompiled(db: D1Database, id: string, version: number): Promise<CompiledTemplate | null> {
  const key = `${id}@${version}`;
  const hit = compiledCache.get(key);
  if (hit) return hit;
  const r = await db.prepare("SELECT * FROM templates WHERE id = ? AND version = ? AND status = 'published'").bind(id, version).first<TemplateRow>();
  if (!r) return null;
  const compiled = compileTemplate(TemplateSchema.parse(JSON.parse(r.body)));
  if (!compiled.ok) return null;
  compiledCache.set(key, compiled.compiled);
  return compiled.compiled;
}
