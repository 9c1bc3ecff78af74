import { inSubtree } from "./units";
import { TemplateSchema, compileTemplate, type CompiledTemplate, type Template } from "@tianbao/shared";

interface TemplateRow {
  id: string;
  version: number;
  status: "draft" | "published";
  body: string;
}

/**
 * A version of an existing template (or, from the demo and tests, a template whose code is its
 * id). `code` is what the owner chose; `t.id` is the storage id rounds and fill sheets carry (see
 * migration 0010 and template-families.ts).
 */
export const insertTemplate = (db: D1Database, t: Template, ownerUnitId: string, userId: number | null, now: string, code: string = t.id) =>
  db.prepare(
    `INSERT INTO templates (id, version, status, body, owner_unit_id, created_by, created_at, published_at, code)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(t.id, t.version, t.status, JSON.stringify(t), ownerUnitId, userId, now, t.status === "published" ? now : null, code);

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

/** A template version as the templates page lists it: its code, owner and how many rounds use it. */
export interface ListedTemplate {
  template: Template;
  code: string;
  owner: { id: string; name: { zh: string; en: string } };
  roundCount: number;
  publishedAt: string | null;
}

/** Templates the reader may use (see READABLE), every version, with what the templates page shows of each. */
export async function listTemplates(db: D1Database, reader: TemplateReader): Promise<ListedTemplate[]> {
  const { results } = await db.prepare(
    `SELECT t.*, o.name_zh, o.name_en, (SELECT COUNT(*) FROM rounds r WHERE r.template_id = t.id AND r.template_version = t.version) AS round_count
     FROM templates t JOIN units o ON o.id = t.owner_unit_id WHERE ${READABLE} ORDER BY t.id, t.version`,
  ).bind(reader.unitPath, reader.role === "admin" ? 1 : 0).all<TemplateRow & { code: string; owner_unit_id: string; name_zh: string; name_en: string; round_count: number; published_at: string | null }>();
  return results.map((r) => ({
    template: TemplateSchema.parse(JSON.parse(r.body)), code: r.code, owner: { id: r.owner_unit_id, name: { zh: r.name_zh, en: r.name_en } },
    roundCount: r.round_count, publishedAt: r.published_at,
  }));
}

/** The code the owner chose for a template (its storage id's family); the id itself when unknown. */
export async function templateCode(db: D1Database, id: string): Promise<string> {
  const r = await db.prepare("SELECT code FROM templates WHERE id = ? LIMIT 1").bind(id).first<{ code: string }>();
  return r?.code ?? id;
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
