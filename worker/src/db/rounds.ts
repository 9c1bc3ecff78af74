import { previousPeriod } from "@tianbao/shared";
import { inSubtree } from "./units";

export interface RoundRow {
  id: string;
  template_id: string;
  template_version: number;
  period: string;
  deadline: string;
  owner_unit_id: string;
  /** The owner unit's path: reviewing is done by the owner or a unit above it. */
  owner_path: string;
  expected: string; // JSON array of unit ids
}

export interface NewRound {
  id: string;
  templateId: string;
  templateVersion: number;
  period: string;
  deadline: string;
  ownerUnitId: string;
  expectedUnitIds: string[];
}

/** The round and its expected units, in two statements for one batch. */
export const insertRound = (db: D1Database, r: NewRound, userId: number | null, now: string) => [
  db.prepare(
    `INSERT INTO rounds (id, template_id, template_version, period, deadline, owner_unit_id, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(r.id, r.templateId, r.templateVersion, r.period, r.deadline, r.ownerUnitId, userId, now),
  db.prepare("INSERT INTO round_units (round_id, unit_id) SELECT ?, value FROM json_each(?)").bind(r.id, JSON.stringify(r.expectedUnitIds)),
];

const ROUND_SELECT = `SELECT r.*, (SELECT path FROM units WHERE id = r.owner_unit_id) AS owner_path, (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM round_units WHERE round_id = r.id ORDER BY rowid)) AS expected FROM rounds r`;
// A round is visible to a caller when at least one of its expected units is in the caller's subtree.
const VISIBLE = `EXISTS (SELECT 1 FROM round_units ru JOIN units u ON u.id = ru.unit_id WHERE ru.round_id = r.id AND ${inSubtree("u.path", "?1")})`;

export async function listRoundsUnder(db: D1Database, callerPath: string): Promise<RoundRow[]> {
  const { results } = await db.prepare(`${ROUND_SELECT} WHERE ${VISIBLE} ORDER BY r.deadline DESC`).bind(callerPath).all<RoundRow>();
  return results;
}

export const findRoundUnder = (db: D1Database, callerPath: string, id: string) =>
  db.prepare(`${ROUND_SELECT} WHERE r.id = ?2 AND ${VISIBLE}`).bind(callerPath, id).first<RoundRow>();

export const findRoundUnit = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare("SELECT reopened FROM round_units WHERE round_id = ? AND unit_id = ?").bind(roundId, unitId).first<{ reopened: number }>();

export const setReopened = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare("UPDATE round_units SET reopened = 1 WHERE round_id = ? AND unit_id = ?").bind(roundId, unitId);

/** The same template's round for the period before this one, owned by the same unit. */
export const findPreviousRound = (db: D1Database, round: RoundRow) =>
  db.prepare("SELECT id, period FROM rounds WHERE template_id = ? AND owner_unit_id = ? AND period = ? ORDER BY created_at DESC LIMIT 1")
    .bind(round.template_id, round.owner_unit_id, previousPeriod(round.period) ?? "").first<{ id: string; period: string }>();

export const isClosed = (round: RoundRow, now: Date): boolean => Date.parse(round.deadline) < now.getTime();
