import { countersOfLevel, pathIds, type CompiledTemplate, type LevelTransition } from "@tianbao/shared";
import type { SessionUser } from "../env";
import { failure, ok, type Result } from "../errors";
import { auditStatement } from "../db/audit";
import { findStoredResponse, storeResponse } from "../db/idempotency";
import { findLevel, findUnitAndParentLevel, guardChildrenApproved, guardLevelOpen, insertLevelRevision, listLevelChildren, moveLevel, type LevelRow } from "../db/levels";
import type { RoundRow } from "../db/rounds";
import { readRevisionValues } from "../db/submissions";
import { addToTotals } from "../db/totals";
import { sha256Hex } from "../auth/password";
import { isWeakTag, parseRevisionHeader } from "./submit";
import { unitName } from "../names";
import { refreshBelowLevel } from "./last-year";

export type LevelAction = "submit" | "return" | "approve";

export interface LevelRequest {
  round: RoundRow;
  compiled: CompiledTemplate;
  /** The review level (a city in a province's round) and its path. */
  unitId: string;
  unitPath: string;
  user: SessionUser;
  ifMatch: string | undefined;
  idempotencyKey: string | undefined;
  comment: string | null;
  indicatorComments?: Record<string, string>;
}

const LABEL: Record<LevelAction, { zh: string; en: string }> = {
  submit: { zh: "上报", en: "submitted upward" },
  return: { zh: "退回", en: "returned" },
  approve: { zh: "审核通过", en: "approved" },
};
const STATE_ZH: Record<string, string> = { not_started: "未上报", submitted: "已上报", returned: "已退回", approved: "已审核" };

/**
 * A review level's upward submission and its review (a city to its province). 上报 freezes the
 * totals of the units the level approved as its next revision — only while every report and
 * level directly below it is approved, which the batch checks again as it commits; 退回 reopens
 * the level's review with a comment; approval adds the frozen figures to the accepted totals above
 * and locks the level's whole subtree for the round. Each is one D1 batch with its audit entry and
 * the next transition number; a retry with the same Idempotency-Key replays the stored answer, and
 * If-Match names the level's revision the caller acted on (required to submit).
 */
export async function transitionLevel(db: D1Database, action: LevelAction, req: LevelRequest, now: Date): Promise<Result<LevelTransition>> {
  const { round, unitId, user } = req;
  const key = req.idempotencyKey;
  if (key !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
    return failure(400, "bad_request", "Idempotency-Key 须为 8–128 位字母、数字或 _ . : -", "Idempotency-Key must be 8–128 letters, digits or _ . : -", { where: "Idempotency-Key" });
  }
  const requestHash = await sha256Hex(JSON.stringify([round.id, unitId, action, req.ifMatch ?? null, req.comment, req.indicatorComments ?? {}]));
  if (key) {
    const replay = await replayStored(db, user.id, key, requestHash);
    if (replay) return replay;
  }
  const plan = await planLevelTransition(db, action, req, now);
  if (!plan.ok) return plan;
  const view = plan.value.view;
  try {
    await db.batch([...plan.value.statements, ...(key ? [storeResponse(db, user.id, key, requestHash, 200, view, now.toISOString())] : [])]);
  } catch (e) {
    // another change won the race (the same transition, or a unit below changed): nothing of ours was stored
    if (!/UNIQUE|constraint|batch_guard/i.test(String(e))) throw e;
    if (key) {
      const replay = await replayStored(db, user.id, key, requestHash);
      if (replay) return replay;
    }
    const latest = await findLevel(db, round.id, unitId);
    return failure(409, "conflict", `「${unitId}」的上报或其下级单位的数据刚刚发生变化，请刷新后再${LABEL[action].zh}`, `'${unitId}''s upward submission or a report below it just changed; refresh and try again`, { currentRevision: latest?.revision ?? 0 });
  }
  return ok(view);
}

/**
 * A level's transition planned on what was read: the checks, and the statements of its batch.
 * What the plan depended on beyond the level's own row is checked again as the batch commits
 * (every unit below approved, for an upward submission), and the frozen figures are taken then.
 */
export async function planLevelTransition(db: D1Database, action: LevelAction, req: LevelRequest, now: Date): Promise<Result<{ statements: D1PreparedStatement[]; view: LevelTransition }>> {
  const { round, unitId } = req;
  const expected = parseRevisionHeader(req.ifMatch);
  if (isWeakTag(req.ifMatch)) {
    // as for a report: a weak tag never matches (RFC 9110 §13.1.1)
    const current = await findLevel(db, round.id, unitId);
    return failure(412, "stale_revision", "If-Match 中的弱校验标记（W/）不能作为修订号，请给出当前的上报修订号，如 \"1\"", "A weak tag (W/) in If-Match never matches; send the upward submission's current revision, e.g. \"1\"", { where: "If-Match", currentRevision: current?.revision ?? 0 });
  }
  if (req.ifMatch !== undefined ? expected === null : action === "submit") {
    return failure(428, "revision_required", "请在 If-Match 中给出您所依据的上报修订号（首次上报为 0）", "Send the revision of the upward submission you acted on in If-Match (0 before the first)", { where: "If-Match" });
  }
  const unknown = Object.keys(req.indicatorComments ?? {}).find((code) => !req.compiled.byCode.has(code));
  if (unknown !== undefined) {
    return failure(422, "invalid_body", `指标「${unknown}」不在本轮模板中，不能对其填写审核意见`, `'${unknown}' is not an indicator of this round's template, so it cannot have a review comment`, { where: `body.indicatorComments.${unknown}` });
  }
  const level = await findLevel(db, round.id, unitId);
  if (!level) return failure(404, "not_found", `单位「${unitId}」不是本轮的审核层级`, `Unit '${unitId}' is not a review level of this round`);
  const refused = checkState(action, level);
  if (refused) return refused;
  if (expected !== null && expected !== level.revision) {
    return failure(412, "stale_revision", `「${unitId}」的上报已是第 ${level.revision} 版（您依据的是第 ${expected} 版），请刷新后再操作`, `'${unitId}''s upward submission is now at revision ${level.revision} (you acted on ${expected}); refresh and try again`, { currentRevision: level.revision });
  }
  const built = action === "submit" ? await submitStatements(db, req, level, now) : await reviewStatements(db, action, req, level, now);
  if (!built.ok) return built;
  return ok({ statements: built.value.statements, view: { roundId: round.id, unitId, state: built.value.state, revision: built.value.revision } });
}

type Built = Result<{ statements: D1PreparedStatement[]; state: "submitted" | "returned" | "approved"; revision: number }>;

async function submitStatements(db: D1Database, req: LevelRequest, level: LevelRow, now: Date): Promise<Built> {
  const { round, unitId, user } = req;
  const pending = (await listLevelChildren(db, round.id, unitId)).filter((c) => c.state !== "approved");
  if (pending.length > 0) {
    const zh = pending.map((c) => `${c.name_zh}（${STATE_ZH[c.state]}）`).join("、");
    const en = pending.map((c) => `${c.name_en} (${c.state === "not_started" ? "not submitted" : c.state})`).join(", ");
    const name = await unitName(db, unitId);
    return failure(409, "conflict", `${name.zh}还不能上报：以下下级单位尚未审核通过：${zh}`, `${name.en} cannot submit upward yet: these units below it are not approved: ${en}`, { currentRevision: level.revision });
  }
  const at = now.toISOString();
  const revision = level.revision + 1;
  const seq = level.seq + 1;
  return ok({
    state: "submitted", revision,
    statements: [
      guardChildrenApproved(db, round.id, unitId),
      auditStatement(db, { userId: user.id, action: "level_submit", roundId: round.id, unitId, beforeRevision: level.revision || null, afterRevision: revision, seq, detail: { comment: req.comment } }, at),
      moveLevel(db, { roundId: round.id, unitId, state: "submitted", revision, seq, reviewComment: null, indicatorComments: null }, at),
      ...insertLevelRevision(db, round.id, unitId, revision, user.id, at),
    ],
  });
}

async function reviewStatements(db: D1Database, action: "return" | "approve", req: LevelRequest, level: LevelRow, now: Date): Promise<Built> {
  const { round, unitId, user } = req;
  const at = now.toISOString();
  const seq = level.seq + 1;
  const comments = req.indicatorComments ?? {};
  const hasComments = Object.keys(comments).length > 0;
  const audit = auditStatement(db, {
    userId: user.id, action: `level_${action}`, roundId: round.id, unitId, beforeRevision: level.revision, afterRevision: level.revision, seq,
    detail: { comment: req.comment, ...(hasComments ? { indicatorComments: comments } : {}) },
  }, at);
  if (action === "return") {
    return ok({
      state: "returned", revision: level.revision,
      statements: [
        audit, moveLevel(db, { roundId: round.id, unitId, state: "returned", revision: level.revision, seq, reviewComment: req.comment, reviewedBy: user.id, indicatorComments: hasComments ? comments : null }, at),
        // its reports a correction below could not reach while it was locked are brought up now it is open
        ...await refreshBelowLevel(db, round, unitId, user, at),
      ],
    });
  }
  // approval: the frozen figures join the accepted totals of the parent and, when the parent is
  // the round's owner, of every unit above it; a parent that is itself a level counts them only
  // (its own approval carries them further up)
  const [frozen, place] = await Promise.all([readRevisionValues(db, round.id, unitId, level.revision), findUnitAndParentLevel(db, round.id, unitId)]);
  const parentLevel = place?.parent_is_level ? place.parent_id : null;
  const above = parentLevel !== null ? [parentLevel] : pathIds(req.unitPath).slice(0, -1);
  const totals = addToTotals(db, round.id, above, "approved", countersOfLevel(frozen));
  return ok({
    state: "approved", revision: level.revision,
    statements: [
      ...(parentLevel !== null ? [guardLevelOpen(db, round.id, parentLevel)] : []),
      audit,
      moveLevel(db, { roundId: round.id, unitId, state: "approved", revision: level.revision, seq, reviewComment: req.comment ?? level.review_comment, reviewedBy: user.id }, at),
      ...(totals ? [totals] : []),
    ],
  });
}

function checkState(action: LevelAction, level: LevelRow) {
  const state = level.state ?? "not_started";
  const label = LABEL[action];
  if (action === "submit") {
    if (state === "submitted") return failure(409, "conflict", `「${level.unit_id}」已上报第 ${level.revision} 版，正在等待上级审核；上级退回后才能再次上报`, `'${level.unit_id}' has submitted revision ${level.revision} upward and it awaits review; it can submit again after a return`, { currentRevision: level.revision });
    if (state === "approved") return failure(409, "submission_locked", `「${level.unit_id}」的上报已被上级审核通过，本轮已锁定`, `'${level.unit_id}''s upward submission was approved; it is locked for this round`, { currentRevision: level.revision });
    return null;
  }
  if (state !== "submitted") {
    return failure(409, "conflict", `「${level.unit_id}」的上报当前为「${STATE_ZH[state]}」，无法${label.zh}`, `'${level.unit_id}''s upward submission is ${state === "not_started" ? "not submitted" : state}, so it cannot be ${label.en}`, { currentRevision: level.revision });
  }
  return null;
}

async function replayStored(db: D1Database, userId: number, key: string, requestHash: string): Promise<Result<LevelTransition> | null> {
  const stored = await findStoredResponse(db, userId, key);
  if (!stored) return null;
  if (stored.request_hash !== requestHash) {
    return failure(422, "idempotency_mismatch", "同一个 Idempotency-Key 已用于内容不同的请求", "This Idempotency-Key was already used for a different request", { where: "Idempotency-Key" });
  }
  return ok({ ...(JSON.parse(stored.response) as LevelTransition), replayed: true });
}
