import type { SubmissionStatus } from "@tianbao/shared";
import { TOMBSTONE, applyChanges } from "./submissions";
import { inSubtree } from "./units";

/** A review level of a round (a city in a province's round) and its upward submission. */
export interface LevelRow {
  round_id: string;
  unit_id: string;
  deadline: string | null;
  state: SubmissionStatus | null;
  revision: number;
  seq: number;
  first_submitted_at: string | null;
  updated_at: string | null;
  review_comment: string | null;
  review_indicator_comments: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
}

/**
 * The round's review levels, found in SQL from the units' paths once its expected units are in (the
 * same statement as migration 0005's for older rounds): every unit strictly below the owner and
 * strictly above an expected unit. In the round's batch, after its expected units.
 */
export const insertRoundLevels = (db: D1Database, roundId: string) =>
  db.prepare(
    `INSERT OR IGNORE INTO round_levels (round_id, unit_id)
     SELECT DISTINCT ru.round_id, a.id FROM round_units ru
     JOIN rounds r ON r.id = ru.round_id
     JOIN units o ON o.id = r.owner_unit_id
     JOIN units e ON e.id = ru.unit_id
     JOIN units a ON length(a.path) > length(o.path) AND substr(a.path, 1, length(o.path)) = o.path
       AND length(a.path) < length(e.path) AND substr(e.path, 1, length(a.path)) = a.path
     WHERE ru.round_id = ?`,
  ).bind(roundId);

/** Which of these units are review levels of the round, and where each stands (not submitted: null). */
export async function levelStatesOf(db: D1Database, roundId: string, unitIds: readonly string[]): Promise<Map<string, SubmissionStatus | null>> {
  const { results } = await db.prepare("SELECT unit_id, state FROM round_levels WHERE round_id = ? AND unit_id IN (SELECT value FROM json_each(?))")
    .bind(roundId, JSON.stringify(unitIds)).all<{ unit_id: string; state: SubmissionStatus | null }>();
  return new Map(results.map((r) => [r.unit_id, r.state]));
}

export const findLevel = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare("SELECT * FROM round_levels WHERE round_id = ? AND unit_id = ?").bind(roundId, unitId).first<LevelRow>();

/** A unit's path, and its parent's row as a review level of the round if the parent is one. */
export const findUnitAndParentLevel = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare(
    `SELECT u.path, u.parent_id, l.unit_id IS NOT NULL AS parent_is_level, l.state AS parent_state
     FROM units u LEFT JOIN round_levels l ON l.round_id = ?1 AND l.unit_id = u.parent_id WHERE u.id = ?2`,
  ).bind(roundId, unitId).first<{ path: string; parent_id: string | null; parent_is_level: number; parent_state: SubmissionStatus | null }>();

export interface ChildRow {
  unit_id: string;
  name_zh: string;
  name_en: string;
  kind: "report" | "level";
  state: SubmissionStatus | "not_started";
}

// The units directly below a level that take part in the round: expected units (their reports) and
// levels (their upward submissions). ?1 round, ?2 the level's unit id.
const CHILD_REPORTS = `SELECT u.id AS unit_id, u.name_zh, u.name_en, 'report' AS kind, COALESCE(s.state, 'not_started') AS state
  FROM units u JOIN round_units ru ON ru.round_id = ?1 AND ru.unit_id = u.id
  LEFT JOIN submissions s ON s.round_id = ?1 AND s.unit_id = u.id WHERE u.parent_id = ?2`;
const CHILD_LEVELS = `SELECT u.id AS unit_id, u.name_zh, u.name_en, 'level' AS kind, COALESCE(l.state, 'not_started') AS state
  FROM units u JOIN round_levels l ON l.round_id = ?1 AND l.unit_id = u.id WHERE u.parent_id = ?2`;

export async function listLevelChildren(db: D1Database, roundId: string, levelId: string): Promise<ChildRow[]> {
  const { results } = await db.prepare(`${CHILD_REPORTS} UNION ALL ${CHILD_LEVELS} ORDER BY unit_id`).bind(roundId, levelId).all<ChildRow>();
  return results;
}

/** Fails the batch unless every report and level directly below the level is approved when it commits. */
export const guardChildrenApproved = (db: D1Database, roundId: string, levelId: string) =>
  db.prepare(`INSERT INTO batch_guard (ok) SELECT NOT EXISTS (SELECT 1 FROM (${CHILD_REPORTS} UNION ALL ${CHILD_LEVELS}) WHERE state <> 'approved')`).bind(roundId, levelId);

/**
 * Fails the batch if the level has submitted upward or was approved when it commits: its review
 * of the units below is closed until its parent returns it (or for good once approved).
 */
export const guardLevelOpen = (db: D1Database, roundId: string, levelId: string) =>
  db.prepare("INSERT INTO batch_guard (ok) SELECT NOT EXISTS (SELECT 1 FROM round_levels WHERE round_id = ? AND unit_id = ? AND state IN ('submitted', 'approved'))").bind(roundId, levelId);

/** Moves a level to its next state; `seq` only ever grows (the audit's unique index guards it too). */
export const moveLevel = (
  db: D1Database, l: { roundId: string; unitId: string; state: SubmissionStatus; revision: number; seq: number; reviewComment: string | null; reviewedBy?: number; indicatorComments?: Record<string, string> | null }, now: string,
) =>
  db.prepare(
    `UPDATE round_levels SET state = ?3, revision = ?4, seq = ?5, updated_at = ?6, review_comment = ?7,
       first_submitted_at = COALESCE(first_submitted_at, CASE WHEN ?3 = 'submitted' THEN ?6 END),
       review_indicator_comments = CASE WHEN ?8 THEN ?9 ELSE review_indicator_comments END,
       reviewed_by = COALESCE(?10, reviewed_by), reviewed_at = CASE WHEN ?10 IS NULL THEN reviewed_at ELSE ?6 END
     WHERE round_id = ?1 AND unit_id = ?2 AND seq = ?5 - 1`,
  ).bind(
    l.roundId, l.unitId, l.state, l.revision, l.seq, now, l.reviewComment,
    l.indicatorComments === undefined ? 0 : 1, l.indicatorComments ? JSON.stringify(l.indicatorComments) : null, l.reviewedBy ?? null,
  );

/**
 * A level's upward submission as a revision: its row, and its values taken in SQL from the level's
 * accepted counters as the batch commits (the totals of the units it approved, frozen then), so no
 * change between reading and writing can slip in. Counters stay decimal text, never a JS Number. Like
 * a report's, only the counters that changed since its last submission are logged (and the current
 * values follow), so a resubmission after one county's correction writes what that correction moved.
 */
export const insertLevelRevision = (db: D1Database, roundId: string, unitId: string, revision: number, userId: number, now: string) => [
  db.prepare("INSERT INTO revisions (round_id, unit_id, revision, comments, submitted_by, submitted_at, kind, values_form) VALUES (?, ?, ?, '{}', ?, ?, 'level', 'changes')")
    .bind(roundId, unitId, revision, userId, now),
  // The change log of the level's new revision (?1 round, ?2 unit, ?3 revision) from its frozen counters,
  // compared in SQL with the current values as the batch commits (the counters exist only in SQL then):
  // a row for each value that is new or differs, a tombstone for each current value it no longer has.
  // It reads about six rows per value, where a report's changes are found by the Worker at no cost.
  db.prepare(
    `WITH fresh AS MATERIALIZED (
       SELECT key AS indicator, json_quote(CAST(value AS TEXT)) AS value FROM totals WHERE round_id = ?1 AND unit_id = ?2 AND basis = 'approved' AND value <> 0)
     INSERT INTO revision_values (round_id, unit_id, revision, indicator, value)
     SELECT ?1, ?2, ?3, f.indicator, f.value FROM fresh f
     WHERE NOT EXISTS (SELECT 1 FROM current_values c WHERE c.round_id = ?1 AND c.unit_id = ?2 AND c.indicator = f.indicator AND c.value = f.value)
     UNION ALL
     SELECT ?1, ?2, ?3, c.indicator, '${TOMBSTONE}' FROM current_values c
     WHERE c.round_id = ?1 AND c.unit_id = ?2 AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.indicator = c.indicator)`,
  ).bind(roundId, unitId, revision),
  ...applyChanges(db, roundId, unitId, revision),
];

export interface LevelStatusRow extends LevelRow {
  path: string;
  level: string;
  name_zh: string;
  name_en: string;
  last_submitted_at: string | null;
  reviewed_by_name: string | null;
}

/** The review levels of a round within a subtree (the root itself included), with where each stands. */
export async function listLevelStatuses(db: D1Database, roundId: string, path: string): Promise<LevelStatusRow[]> {
  const { results } = await db.prepare(
    `SELECT l.*, u.path, u.level, u.name_zh, u.name_en, r.submitted_at AS last_submitted_at, rb.display_name AS reviewed_by_name
     FROM round_levels l JOIN units u ON u.id = l.unit_id
     LEFT JOIN revisions r ON r.round_id = l.round_id AND r.unit_id = l.unit_id AND r.revision = l.revision
     LEFT JOIN users rb ON rb.id = l.reviewed_by
     WHERE l.round_id = ?1 AND ${inSubtree("u.path", "?2")} ORDER BY u.path`,
  ).bind(roundId, path).all<LevelStatusRow>();
  return results;
}

/** Gives one level its own upward deadline, only if its own is still what the caller read. */
export const setLevelDeadline = (db: D1Database, roundId: string, unitId: string, from: string | null, to: string) =>
  db.prepare(
    "UPDATE round_levels SET deadline = ?4 WHERE round_id = ?1 AND unit_id = ?2 AND deadline IS ?3 AND (SELECT closed_at FROM rounds WHERE id = ?1) IS NULL",
  ).bind(roundId, unitId, from, to);
