import { LIST_ROW_NOTE, addCounters, countersOf, pathIds, type CompiledTemplate } from "@tianbao/shared";
import type { SessionUser } from "../env";
import { failure, ok, type Result } from "../errors";
import { auditIfCreated, auditStatement } from "../db/audit";
import { setReopened, type RoundRow } from "../db/rounds";
import { findSubmission, readRevisionValues, upsertSubmission, type SubmissionRow } from "../db/submissions";
import { readCurrentLists } from "../db/lists";
import { addToTotals, type Basis } from "../db/totals";
import { findUnitAndParentLevel, guardLevelOpen } from "../db/levels";
import { unitRef } from "../unit-refs";
import { lastYearFollowUp, type LastYearFollow } from "./last-year";

export type ReviewAction = "return" | "approve" | "reopen";

const LABEL: Record<ReviewAction, { zh: string; en: string }> = {
  return: { zh: "退回", en: "returned" },
  approve: { zh: "审核通过", en: "approved" },
  reopen: { zh: "重新打开", en: "reopened" },
};

/**
 * The city's side of the workflow. 退回 (return) takes a submitted report out of the standing
 * totals with a comment; approve adds it to the approved totals and locks it; reopen unlocks an
 * approved report and lets the unit in after the deadline. Each is one batch with its audit entry.
 */
export async function reviewSubmission(
  db: D1Database, compiled: CompiledTemplate, round: RoundRow, unitId: string, user: SessionUser, action: ReviewAction, comment: string | null, now: Date,
  indicatorComments: Record<string, string> = {}, expectedRevision?: number,
): Promise<Result<ReviewResult>> {
  const plan = await planReview(db, compiled, round, unitId, user, action, comment, now, indicatorComments, expectedRevision);
  if (!plan.ok) return plan;
  try {
    await db.batch(plan.value.statements);
  } catch (e) {
    if (!/UNIQUE|constraint|batch_guard/i.test(String(e))) throw e;
    return failure(409, "conflict", "该单位的数据或其上级的上报状态刚刚发生变化，请刷新后再操作", "This unit's submission, or its parent's upward submission, just changed; refresh and try again");
  }
  return ok(plan.value.result);
}

type ReviewResult = { state: string; revision: number; lastYear?: LastYearFollow };

/**
 * A review planned on what was read: the checks, and the statements of its batch. The batch
 * checks again, as it commits, what the plan depended on beyond the unit's own row (the transition
 * number guards that): that the unit's parent, when it is a review level, has not submitted upward.
 */
export async function planReview(
  db: D1Database, compiled: CompiledTemplate, round: RoundRow, unitId: string, user: SessionUser, action: ReviewAction, comment: string | null, now: Date,
  indicatorComments: Record<string, string> = {}, expectedRevision?: number,
): Promise<Result<{ statements: D1PreparedStatement[]; result: ReviewResult }>> {
  // per-indicator comments name indicators of this round's template (looked up in a Map, so no
  // prototype name such as constructor can pass for one)
  const codes = Object.keys(indicatorComments);
  // a note on a detail list's row names a row the report's current list has (issue 25)
  const rowNotes = codes.filter((code) => LIST_ROW_NOTE.test(code));
  const lists = rowNotes.length > 0 ? await readCurrentLists(db, compiled.template, round.id, unitId) : {};
  const rowExists = (code: string) => {
    const [, table, row] = LIST_ROW_NOTE.exec(code)!;
    return Object.hasOwn(lists, table!) && Number(row) <= lists[table!]!.length;
  };
  const unknown = codes.find((code) => (LIST_ROW_NOTE.test(code) ? !rowExists(code) : !compiled.byCode.has(code)));
  if (unknown !== undefined && LIST_ROW_NOTE.test(unknown)) {
    const [, table, row] = LIST_ROW_NOTE.exec(unknown)!;
    return failure(422, "invalid_body", `清单「${table}」没有第 ${row} 行，不能对其填写审核意见`, `List '${table}' has no row ${row}, so it cannot have a review comment`, { where: `body.indicatorComments.${unknown}` });
  }
  if (unknown !== undefined) {
    return failure(422, "invalid_body", `指标「${unknown}」不在本轮模板「${compiled.template.name.zh}」中，不能对其填写审核意见`, `'${unknown}' is not an indicator of this round's template (${compiled.template.name.en}), so it cannot have a review comment`, { where: `body.indicatorComments.${unknown}` });
  }
  const [current, place] = await Promise.all([findSubmission(db, round.id, unitId), findUnitAndParentLevel(db, round.id, unitId)]);
  const nowIso = now.toISOString();
  // A level that has submitted upward (or was approved) has closed its review of the units below.
  const parentLevel = place?.parent_is_level ? place.parent_id : null;
  if (parentLevel !== null && (place!.parent_state === "submitted" || place!.parent_state === "approved")) return levelLocked(parentLevel, place!.parent_state, LABEL[action]);
  const guard = parentLevel !== null ? [guardLevelOpen(db, round.id, parentLevel)] : [];
  if (action === "reopen" && current?.state !== "approved") {
    // Nothing locked: reopening only lets the unit report after the deadline; reopening it again
    // (a second tab, a retry) changes and records nothing.
    return ok({
      statements: [...guard, setReopened(db, round.id, unitId), auditIfCreated(db, { userId: user.id, action: "reopen", roundId: round.id, unitId, detail: { comment } }, nowIso)],
      result: { state: current?.state ?? "not_started", revision: current?.revision ?? 0 },
    });
  }
  const refused = checkTransition(action, current);
  if (refused) return refused;
  const s = current!;
  // the revision the reviewer saw (If-Match): a report submitted again since is not returned or approved
  // unseen — a note on 第 3 行 would land on whichever row is third now
  if (expectedRevision !== undefined && expectedRevision !== s.revision) {
    return failure(412, "stale_revision", `该单位已重新上报为第 ${s.revision} 版（您审核的是第 ${expectedRevision} 版），未${LABEL[action].zh}：请刷新后查看新的一版再审核`, `The unit has submitted revision ${s.revision} since (you reviewed revision ${expectedRevision}); nothing was ${LABEL[action].en}: refresh and review the new revision`, { currentRevision: s.revision });
  }
  const counters = countersOf(compiled, await readRevisionValues(db, round.id, unitId, s.revision));
  const ancestors = pathIds(place?.path ?? "");
  // accepted totals: the unit and its ancestors up to its parent when the parent is a review level
  // (open, as checked above: it counts what it approved; the levels above it only once they approve it)
  const accepted = parentLevel !== null ? [unitId, parentLevel] : ancestors;
  const m = MOVE[action];
  const totals = addToTotals(db, round.id, m.basis === "standing" ? ancestors : accepted, m.basis, addCounters(new Map(), counters, m.sign));
  const seq = s.seq + 1;
  // an approval is what next year's 上年同期 is taken from: the reports that take it follow, in the same batch
  const follow = action === "approve" ? await lastYearFollowUp(db, round, unitId, user, nowIso) : null;
  const touched = follow && (follow.follow.updated.length > 0 || follow.follow.locked.length > 0 || follow.follow.review.length > 0) ? follow.follow : null;
  return ok({
    result: { state: m.state, revision: s.revision, ...(touched ? { lastYear: touched } : {}) },
    statements: [
      ...guard,
      auditStatement(db, { userId: user.id, action, roundId: round.id, unitId, beforeRevision: s.revision, afterRevision: s.revision, seq, detail: { comment, ...(codes.length > 0 ? { indicatorComments } : {}), ...(touched ? { lastYear: touched } : {}) } }, nowIso),
      upsertSubmission(db, {
        roundId: round.id, unitId, state: m.state, revision: s.revision, seq, reviewComment: action === "approve" && !comment ? s.review_comment : comment,
        // a return or approval records its reviewer; a return leaves its per-indicator comments (or none)
        ...(action === "return" ? { review: { by: user.id, indicatorComments: codes.length > 0 ? indicatorComments : null } } : action === "approve" ? { review: { by: user.id } } : {}),
      }, nowIso),
      ...(totals ? [totals] : []),
      ...(action === "reopen" ? [setReopened(db, round.id, unitId)] : []),
      ...(follow?.statements ?? []),
    ],
  });
}

const MOVE: Record<ReviewAction, { state: "submitted" | "returned" | "approved"; basis: Basis; sign: 1n | -1n }> = {
  return: { state: "returned", basis: "standing", sign: -1n },
  approve: { state: "approved", basis: "approved", sign: 1n },
  reopen: { state: "submitted", basis: "approved", sign: -1n },
};

function checkTransition(action: ReviewAction, s: SubmissionRow | null) {
  const label = LABEL[action];
  if (!s) return failure(409, "conflict", `该单位尚未上报，无法${label.zh}`, `Nothing has been submitted yet, so it cannot be ${label.en}`);
  const allowed: Record<ReviewAction, string> = { return: "submitted", approve: "submitted", reopen: "approved" };
  if (s.state !== allowed[action]) {
    const stateZh = { submitted: "已上报", returned: "已退回", approved: "已审核" }[s.state];
    return failure(409, "conflict", `该单位数据当前为「${stateZh}」，无法${label.zh}`, `The submission is ${s.state}, so it cannot be ${label.en}`, { currentRevision: s.revision });
  }
  return null;
}

/** The review of the units below a level is closed while its upward submission is with its parent, and for good once approved. */
export function levelLocked(levelId: string, state: "submitted" | "approved", label: { zh: string; en: string }, extra: { currentRevision?: number } = {}) {
  return state === "submitted"
    ? failure(409, "submission_locked", `「${unitRef(levelId)}」已向上级上报，其下级单位的数据在上级审核期间锁定，无法${label.zh}；如需修改，请上级先退回「${unitRef(levelId)}」`, `'${unitRef(levelId)}' has submitted upward, so the reports below it are locked while its parent reviews it and cannot be ${label.en}; ask the parent to return '${unitRef(levelId)}' first`, extra)
    : failure(409, "submission_locked", `「${unitRef(levelId)}」已被上级审核通过，其下级单位本轮的数据已锁定，无法${label.zh}`, `'${unitRef(levelId)}' was approved by its parent, so every report below it is locked for this round and cannot be ${label.en}`, extra);
}
