import { countersOfLevel, derivedValues, detailTables, levelFigures, locateIssues, totalsFromCounters, type CompiledTemplate, type Issue, type SubmissionView, type Values } from "@tianbao/shared";
import type { LevelRow } from "../db/levels";
import { readCurrentLists } from "../db/lists";
import { findSubmission, listRevisions, parseIndicatorComments, readRevisionValues, signatureOf } from "../db/submissions";

/** What a unit sees of its submission in a round: state, revision, values, derived, comments. */
export async function readSubmissionView(db: D1Database, compiled: CompiledTemplate, roundId: string, unitId: string, warnings: Issue[] = []): Promise<SubmissionView> {
  const [row, reopenReason] = await Promise.all([findSubmission(db, roundId, unitId), readReopenReason(db, roundId, unitId)]);
  if (!row) {
    return { roundId, unitId, state: "not_started", revision: 0, values: {}, derived: {}, comments: {}, reviewComment: null, reviewIndicatorComments: {}, submittedAt: null, submittedBy: null, warnings: [], reopenReason };
  }
  const [values, revisions, lists] = await Promise.all([readRevisionValues(db, roundId, unitId, row.revision), listRevisions(db, roundId, unitId), readCurrentLists(db, compiled.template, roundId, unitId)]);
  const current = revisions.find((r) => r.revision === row.revision);
  return {
    ...(detailTables(compiled.template).length > 0 ? { lists } : {}),
    roundId, unitId, state: row.state, revision: row.revision, values,
    derived: derivedValues(compiled, values).values,
    comments: current ? (JSON.parse(current.comments) as Record<string, string>) : {},
    signature: signatureOf(current),
    reviewComment: row.review_comment,
    // the reviewer's per-indicator comments belong to the return: shown while the report is returned
    reviewIndicatorComments: row.state === "returned" ? parseIndicatorComments(row.review_indicator_comments) : {},
    submittedAt: current?.submitted_at ?? null,
    submittedBy: current?.submitted_by ?? null,
    submittedByName: current?.submitted_by_name ?? null,
    warnings: locateIssues(compiled, warnings),
    // why the level above reopened it: shown to the unit until the report is approved again
    reopenReason: row.state === "approved" ? null : reopenReason,
  };
}

/** The reason of the last 重新打开 of a unit's report in a round (kept in the audit), when it was reopened. */
async function readReopenReason(db: D1Database, roundId: string, unitId: string): Promise<string | null> {
  const r = await db.prepare(
    "SELECT (SELECT detail FROM audit WHERE round_id = ?1 AND unit_id = ?2 AND action = 'reopen' ORDER BY id DESC LIMIT 1) AS detail FROM round_units WHERE round_id = ?1 AND unit_id = ?2 AND reopened = 1",
  ).bind(roundId, unitId).first<{ detail: string | null }>();
  if (!r?.detail) return null;
  const comment = (JSON.parse(r.detail) as { comment?: unknown }).comment;
  return typeof comment === "string" && comment !== "" ? comment : null;
}

/**
 * A review level's upward submission as its parent sees it (a city at the province): the state
 * and revision, one figure per indicator and the whole totals, frozen when it was submitted.
 */
export async function readLevelView(db: D1Database, compiled: CompiledTemplate, level: LevelRow): Promise<SubmissionView> {
  const { round_id: roundId, unit_id: unitId } = level;
  const base = { roundId, unitId, comments: {}, warnings: [], level: true };
  if (level.state === null) {
    return { ...base, state: "not_started", revision: 0, values: {}, derived: {}, reviewComment: null, reviewIndicatorComments: {}, submittedAt: null, submittedBy: null };
  }
  const [frozen, revisions, note] = await Promise.all([readRevisionValues(db, roundId, unitId, level.revision), listRevisions(db, roundId, unitId), readSubmitNote(db, roundId, unitId, level.revision)]);
  const current = revisions.find((r) => r.revision === level.revision);
  const totals = totalsFromCounters(compiled, countersOfLevel(frozen));
  return {
    ...base, state: level.state, revision: level.revision, ...levelFigures(compiled, totals), totals,
    reviewComment: level.review_comment,
    reviewIndicatorComments: level.state === "returned" ? parseIndicatorComments(level.review_indicator_comments) : {},
    submittedAt: current?.submitted_at ?? null,
    submittedBy: current?.submitted_by ?? null,
    submitNote: note,
  };
}

/** The note written with a level's 上报 of this revision: kept in its audit row (append-only), so no new column. */
async function readSubmitNote(db: D1Database, roundId: string, unitId: string, revision: number): Promise<string | null> {
  const row = await db.prepare("SELECT json_extract(detail, '$.comment') AS note FROM audit WHERE round_id = ? AND unit_id = ? AND action = 'level_submit' AND after_revision = ? ORDER BY id DESC LIMIT 1")
    .bind(roundId, unitId, revision).first<{ note: string | null }>();
  return row?.note ?? null;
}

/** A level's revision as one text per indicator (what its diff compares). */
export async function readLevelFigures(db: D1Database, compiled: CompiledTemplate, roundId: string, unitId: string, revision: number): Promise<Values> {
  const totals = totalsFromCounters(compiled, countersOfLevel(await readRevisionValues(db, roundId, unitId, revision)));
  const f = levelFigures(compiled, totals);
  return { ...f.values, ...f.derived };
}
