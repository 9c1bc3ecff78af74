import { inSubtree } from "./units";

export interface AuditEntry {
  userId: number | null;
  action: string;
  roundId?: string | null;
  unitId?: string | null;
  beforeRevision?: number | null;
  afterRevision?: number | null;
  /** For a submission's state changes: the next transition number (unique per round and unit). */
  seq?: number | null;
  detail?: Record<string, unknown>;
}

/** An append-only audit row (triggers refuse UPDATE and DELETE). */
export const auditStatement = (db: D1Database, e: AuditEntry, now: string) =>
  db.prepare(
    `INSERT INTO audit (at, user_id, action, round_id, unit_id, before_revision, after_revision, seq, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(now, e.userId, e.action, e.roundId ?? null, e.unitId ?? null, e.beforeRevision ?? null, e.afterRevision ?? null, e.seq ?? null, JSON.stringify(e.detail ?? {}));

/**
 * The audit row of a creation that may turn out to be a no-op (INSERT … ON CONFLICT DO NOTHING):
 * written only when the statement just before it in the same batch changed a row, so a refused
 * creation leaves no trace of having happened.
 */
export const auditIfCreated = (db: D1Database, e: AuditEntry, now: string) =>
  db.prepare(
    `INSERT INTO audit (at, user_id, action, round_id, unit_id, before_revision, after_revision, seq, detail)
     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() > 0`,
  ).bind(now, e.userId, e.action, e.roundId ?? null, e.unitId ?? null, e.beforeRevision ?? null, e.afterRevision ?? null, e.seq ?? null, JSON.stringify(e.detail ?? {}));

export interface AuditRow {
  id: number;
  at: string;
  username: string | null;
  display_name: string | null;
  action: string;
  round_id: string | null;
  unit_id: string | null;
  before_revision: number | null;
  after_revision: number | null;
  detail: string;
}

/** A round's audit rows within a subtree, optionally of one unit and one action (both exact). */
export async function listAudit(db: D1Database, roundId: string, path: string, filter: { unitId: string | null; action: string | null } = { unitId: null, action: null }): Promise<AuditRow[]> {
  const { results } = await db.prepare(
    `SELECT a.id, a.at, us.username, us.display_name, a.action, a.round_id, a.unit_id, a.before_revision, a.after_revision, a.detail
     FROM audit a LEFT JOIN users us ON us.id = a.user_id JOIN units u ON u.id = a.unit_id
     WHERE a.round_id = ?1 AND ${inSubtree("u.path", "?2")} AND (?3 IS NULL OR a.unit_id = ?3) AND (?4 IS NULL OR a.action = ?4) ORDER BY a.id`,
  ).bind(roundId, path, filter.unitId, filter.action).all<AuditRow>();
  return results;
}

/** The audit actions that change a unit: created (its parent's row names it), renamed or its contact set. */
export const UNIT_ACTIONS = ["unit_create", "unit_update", "unit_contact"] as const;

/**
 * Changes of the units in the subtree whose root has `path` — creation, name, contact — newest
 * first, each with the unit it is about (a creation is recorded on the parent and names the new
 * unit in its detail). They carry no round, so the (round_id, action) index finds them.
 */
export async function listUnitAudit(db: D1Database, path: string, limit: number): Promise<AuditRow[]> {
  const { results } = await db.prepare(
    `SELECT a.id, a.at, us.username, us.display_name, a.action, a.round_id, u.id AS unit_id, a.before_revision, a.after_revision, a.detail
     FROM audit a LEFT JOIN users us ON us.id = a.user_id
     JOIN units u ON u.id = CASE WHEN a.action = 'unit_create' THEN json_extract(a.detail, '$.unit') ELSE a.unit_id END
     WHERE a.round_id IS NULL AND a.action IN (SELECT value FROM json_each(?2)) AND ${inSubtree("u.path", "?1")} ORDER BY a.id DESC LIMIT ?3`,
  ).bind(path, JSON.stringify(UNIT_ACTIONS), limit).all<AuditRow>();
  return results;
}

/**
 * The audit row of a contact change, written before the change in the same batch so it can say what
 * the contact was; nothing when the contact stays as it is (or the unit has left the subtree).
 */
/**
 * The phone is written anew when it changes, or when the caller's unit confirms a phone another unit
 * set (group robots @-mention only phones set at their unit or above): either way the audit says so,
 * so replaying the audit ends with the same setter (migration 0007's trigger).
 */
const PHONE_SET_ANEW = "(contact_phone IS NOT ?5 OR (?5 IS NOT NULL AND (contact_phone_set IS NOT ?5 OR contact_phone_set_by IS NOT ?6)))";

export const auditContactChange = (db: D1Database, e: { userId: number; unitId: string; path: string; name: string | null; phone: string | null }, now: string) =>
  db.prepare(
    `INSERT INTO audit (at, user_id, action, unit_id, detail)
     SELECT ?1, ?2, 'unit_contact', id, json_object('fields', json_patch(
       CASE WHEN contact_name IS NOT ?4 THEN json_object('contactName', json_array(contact_name, ?4)) ELSE '{}' END,
       CASE WHEN ${PHONE_SET_ANEW} THEN json_object('contactPhone', json_array(contact_phone, ?5)) ELSE '{}' END))
     FROM units WHERE id = ?3 AND ${inSubtree("path", "?6")} AND (contact_name IS NOT ?4 OR ${PHONE_SET_ANEW})`,
  ).bind(now, e.userId, e.unitId, e.name, e.phone, e.path);
