import { previousPeriod } from "@tianbao/shared";
import { insertRoundLevels } from "./levels";
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
  /** When the owner closed the round early; null while it runs to its deadline. */
  closed_at: string | null;
  /** The caller's own unit's row in this round, when the caller's unit is expected to report in it. */
  own_expected: number;
  own_deadline: string | null;
  own_reopened: number | null;
  /** Each level's upward deadline by unit level (JSON object), when the round has any. */
  level_deadlines: string | null;
  /** The round's review levels (JSON array of unit ids): units between the owner and the expected units. */
  levels: string;
  /** The caller's own unit's row as a review level of the round (JSON {deadline, level}), if it is one. */
  own_level: string | null;
  /** The expected units and the review levels in the caller's subtree (JSON arrays): what the caller is shown of the round. */
  visible_expected: string;
  visible_levels: string;
}

export interface NewRound {
  id: string;
  templateId: string;
  templateVersion: number;
  period: string;
  deadline: string;
  ownerUnitId: string;
  expectedUnitIds: string[];
  /** Upward deadlines by unit level (a city's to the province). */
  levelDeadlines?: Partial<Record<string, string>>;
}

/** The round, its expected units and its review levels (found from the units' paths), in three statements for one batch. */
export const insertRound = (db: D1Database, r: NewRound, userId: number | null, now: string) => [
  db.prepare(
    `INSERT INTO rounds (id, template_id, template_version, period, deadline, owner_unit_id, created_by, created_at, level_deadlines)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(r.id, r.templateId, r.templateVersion, r.period, r.deadline, r.ownerUnitId, userId, now,
    r.levelDeadlines && Object.keys(r.levelDeadlines).length > 0 ? JSON.stringify(r.levelDeadlines) : null),
  db.prepare("INSERT INTO round_units (round_id, unit_id) SELECT ?, value FROM json_each(?)").bind(r.id, JSON.stringify(r.expectedUnitIds)),
  insertRoundLevels(db, r.id),
];

/**
 * A round code no round has, made from the owner and the period (`jincheng_2026`, `jincheng_2026_2`,
 * … ; `2026-03` becomes `2026_03`), within the 40 characters of a code; null when all are taken.
 */
export async function freeRoundId(db: D1Database, ownerUnitId: string, period: string): Promise<string | null> {
  const base = `${ownerUnitId.slice(0, 40 - period.length - 4)}_${period.replace("-", "_")}`;
  const candidates = [base, ...Array.from({ length: 98 }, (_, k) => `${base}_${k + 2}`)];
  const { results } = await db.prepare("SELECT id FROM rounds WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(candidates)).all<{ id: string }>();
  const taken = new Set(results.map((r) => r.id));
  return candidates.find((c) => !taken.has(c)) ?? null;
}

// ?1 is the caller's unit path: its own row in the round (a unit's path is unique) gives what the
// round looks like to a reporting unit: its own deadline, and whether it was reopened.
const OWN = "(SELECT ru.unit_id FROM round_units ru JOIN units u ON u.id = ru.unit_id WHERE ru.round_id = r.id AND u.path = ?1)";
const ROUND_SELECT = `SELECT r.*, (SELECT path FROM units WHERE id = r.owner_unit_id) AS owner_path, (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM round_units WHERE round_id = r.id ORDER BY rowid)) AS expected,
  ${OWN} IS NOT NULL AS own_expected,
  (SELECT deadline FROM round_units WHERE round_id = r.id AND unit_id = ${OWN}) AS own_deadline,
  (SELECT reopened FROM round_units WHERE round_id = r.id AND unit_id = ${OWN}) AS own_reopened,
  (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM round_levels WHERE round_id = r.id ORDER BY rowid)) AS levels,
  (SELECT json_object('deadline', rl.deadline, 'level', u.level) FROM round_levels rl JOIN units u ON u.id = rl.unit_id WHERE rl.round_id = r.id AND u.path = ?1) AS own_level,
  (SELECT json_group_array(unit_id) FROM (SELECT ru.unit_id FROM round_units ru JOIN units u ON u.id = ru.unit_id WHERE ru.round_id = r.id AND ${inSubtree("u.path", "?1")} ORDER BY ru.rowid)) AS visible_expected,
  (SELECT json_group_array(unit_id) FROM (SELECT rl.unit_id FROM round_levels rl JOIN units u ON u.id = rl.unit_id WHERE rl.round_id = r.id AND ${inSubtree("u.path", "?1")} ORDER BY rl.rowid)) AS visible_levels
  FROM rounds r`;
// A round is visible to a caller when at least one of its expected units is in the caller's subtree.
const VISIBLE = `EXISTS (SELECT 1 FROM round_units ru JOIN units u ON u.id = ru.unit_id WHERE ru.round_id = r.id AND ${inSubtree("u.path", "?1")})`;

export async function listRoundsUnder(db: D1Database, callerPath: string): Promise<RoundRow[]> {
  const { results } = await db.prepare(`${ROUND_SELECT} WHERE ${VISIBLE} ORDER BY julianday(r.deadline) DESC`).bind(callerPath).all<RoundRow>();
  return results;
}

export const findRoundUnder = (db: D1Database, callerPath: string, id: string) =>
  db.prepare(`${ROUND_SELECT} WHERE r.id = ?2 AND ${VISIBLE}`).bind(callerPath, id).first<RoundRow>();

/**
 * The latest round of a template that the caller's unit or a unit above it opened and that the
 * caller takes part in (an expected unit in its subtree): what comes next for the caller. Rounds
 * opened below the caller (a county's own round of the city's template) never count.
 */
export const findLastRoundFromAbove = (db: D1Database, callerPath: string, templateId: string) =>
  db.prepare(
    `SELECT r.id, r.period FROM rounds r JOIN units o ON o.id = r.owner_unit_id
     WHERE r.template_id = ?2 AND ${inSubtree("?1", "o.path")} AND ${VISIBLE} ORDER BY r.period DESC LIMIT 1`,
  ).bind(callerPath, templateId).first<{ id: string; period: string }>();

export const findRoundUnit = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare("SELECT reopened, deadline FROM round_units WHERE round_id = ? AND unit_id = ?").bind(roundId, unitId).first<{ reopened: number; deadline: string | null }>();

/** Lets a unit in after the deadline; changes nothing (0 rows) when it already was. */
export const setReopened = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare("UPDATE round_units SET reopened = 1 WHERE round_id = ? AND unit_id = ? AND reopened = 0").bind(roundId, unitId);

/** The same template's round for the period before this one, owned by the same unit. */
export const findPreviousRound = (db: D1Database, round: RoundRow) =>
  db.prepare("SELECT id, period, template_id, template_version FROM rounds WHERE template_id = ? AND owner_unit_id = ? AND period = ? ORDER BY created_at DESC LIMIT 1")
    .bind(round.template_id, round.owner_unit_id, previousPeriod(round.period) ?? "").first<{ id: string; period: string; template_id: string; template_version: number }>();

/**
 * The previous period's round of the same template in which a unit's figures stand: the same
 * owner's first, else any (a county in a province's round reported last year to its city).
 */
export const findPreviousRoundOf = (db: D1Database, round: RoundRow, unitId: string) =>
  db.prepare(
    `SELECT r.id, r.period, r.template_id, r.template_version FROM rounds r
     CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = ?4 AND s.state <> 'returned'
     WHERE r.template_id = ?1 AND r.period = ?3 ORDER BY r.owner_unit_id = ?2 DESC, r.created_at DESC LIMIT 1`,
  ).bind(round.template_id, round.owner_unit_id, previousPeriod(round.period) ?? "", unitId).first<{ id: string; period: string; template_id: string; template_version: number }>();

/** The later of two deadlines (ISO times, compared as instants, not as text: offsets differ). */
export function laterDeadline(a: string, b: string | null | undefined): string {
  return b && Date.parse(b) > Date.parse(a) ? b : a;
}

/** A unit's own deadline when it is later than the round's (an extension), else null. */
export const ownDeadline = (round: { deadline: string }, unitDeadline: string | null | undefined): string | null =>
  unitDeadline && Date.parse(unitDeadline) > Date.parse(round.deadline) ? unitDeadline : null;

/**
 * Whether a round takes no more submissions from a unit: closed early by its owner, or past the
 * unit's effective deadline (the later of the round's and the unit's own). A reopened unit is let
 * in anyway (the caller checks `reopened`). Without a unit: the round's own deadline.
 */
export const isClosed = (round: Pick<RoundRow, "deadline" | "closed_at">, now: Date, unitDeadline: string | null = null): boolean =>
  round.closed_at !== null || Date.parse(laterDeadline(round.deadline, unitDeadline)) < now.getTime();

/** Moves the round's deadline, only if it is still what the caller read (a concurrent change fails it). */
export const setRoundDeadline = (db: D1Database, roundId: string, from: string, to: string) =>
  db.prepare("UPDATE rounds SET deadline = ?3 WHERE id = ?1 AND deadline = ?2 AND closed_at IS NULL").bind(roundId, from, to);

/** Gives one expected unit its own deadline, only if its own is still what the caller read. */
export const setUnitDeadline = (db: D1Database, roundId: string, unitId: string, from: string | null, to: string | null) =>
  db.prepare(
    "UPDATE round_units SET deadline = ?4 WHERE round_id = ?1 AND unit_id = ?2 AND deadline IS ?3 AND (SELECT closed_at FROM rounds WHERE id = ?1) IS NULL",
  ).bind(roundId, unitId, from, to);

/** Closes a round early; a no-op (no change) when it is already closed. */
export const closeRound = (db: D1Database, roundId: string, now: string) =>
  db.prepare("UPDATE rounds SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL").bind(roundId, now);

/** The upward deadlines a round was given, by unit level. */
export function levelDeadlinesOf(round: Pick<RoundRow, "level_deadlines">): Record<string, string> {
  const parsed = round.level_deadlines ? (JSON.parse(round.level_deadlines) as unknown) : null;
  if (typeof parsed !== "object" || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * A review level's effective upward deadline: the latest of the round's (a level never has to be in
 * before its units), its unit level's, and its own extension.
 */
export function levelDeadline(round: Pick<RoundRow, "deadline" | "level_deadlines">, unitLevel: string, own: string | null): string {
  const byLevel = new Map(Object.entries(levelDeadlinesOf(round)));
  return laterDeadline(laterDeadline(round.deadline, byLevel.get(unitLevel)), own);
}
