import { addCounters, beijingText, isNotice, canonicalSignature, countersOf, cumulativeFigures, detailTables, filledIssues, lastYearFigures, listFigures, locateIssues, validateLists, validateValues, withoutRulesOverBadLists, type CompiledTemplate, type Lists, type Signature, type SubmissionPutRequest, type SubmissionView, type Values } from "@tianbao/shared";
import type { SessionUser } from "../env";
import { failure, ok, type Result } from "../errors";
import { auditStatement } from "../db/audit";
import { findStoredResponse, storeResponse } from "../db/idempotency";
import { findRoundUnit, isClosed, laterDeadline, type RoundRow } from "../db/rounds";
import { changedValues, findSubmission, insertRevision, readCurrent, upsertSubmission } from "../db/submissions";
import { addToTotals } from "../db/totals";
import { changedRows, insertListRows, readCurrentLists } from "../db/lists";
import { readHistory } from "../db/history";
import { findUnitAndParentLevel } from "../db/levels";
import { levelLocked } from "./review";
import { refuseComments } from "./comments";
import { lossRefusal, lostWriting } from "./loss";
import { sha256Hex } from "../auth/password";

export interface SubmitRequest {
  round: RoundRow;
  compiled: CompiledTemplate;
  unitId: string;
  /** The unit's path (/shanxi/jincheng/zezhou/): the units whose totals include it. */
  unitPath: string;
  user: SessionUser;
  body: SubmissionPutRequest;
  ifMatch: string | undefined;
  idempotencyKey: string | undefined;
  /** The unit's figures in the previous period, for jump warnings. */
  previous: Values | null;
  /** Where the values were read from: a refused note is named by its 说明 cell in a sheet, else by its JSON path. */
  from?: "body" | "sheet";
}

type Submitted = { status: 200 | 201; view: SubmissionView };

/**
 * Parses `If-Match: "3"` (or 3); revision 0 means "nothing submitted yet". A weak tag (W/"3") never
 * matches: If-Match compares strongly (RFC 9110 §13.1.1).
 */
/** A weak entity tag (W/"3") in If-Match: a precondition that never holds. */
export const isWeakTag = (header: string | undefined): boolean => /^\s*W\//.test(header ?? "");

export function parseRevisionHeader(header: string | undefined): number | null {
  const m = /^"?(\d{1,9})"?$/.exec(header?.trim() ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * 上报: stores a unit's values as a new revision. Replays a stored result for a repeated
 * Idempotency-Key; refuses a stale revision, a closed round and an approved (locked) submission;
 * validates with the shared rules. The revision, its values, the state, the audit entry, the
 * totals and the stored response are one D1 batch: all of it happens or none of it.
 */
export async function submitValues(db: D1Database, req: SubmitRequest, now: Date): Promise<Result<Submitted>> {
  const { round, compiled, unitId, user, body } = req;
  const key = req.idempotencyKey;
  if (key !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
    return failure(400, "bad_request", "Idempotency-Key 须为 8–128 位字母、数字或 _ . : -", "Idempotency-Key must be 8–128 letters, digits or _ . : -", { where: "Idempotency-Key" });
  }
  const requestHash = await sha256Hex(JSON.stringify([round.id, unitId, req.ifMatch ?? null, body]));
  if (key) {
    const replay = await replayStored(db, user.id, key, requestHash);
    if (replay) return replay;
  }
  const notes = refuseComments(compiled, body.comments, req.from ?? "body");
  if (notes) return notes;
  const expected = parseRevisionHeader(req.ifMatch);
  if (isWeakTag(req.ifMatch)) {
    // a weak tag is a precondition that never holds: If-Match compares strongly (RFC 9110 §13.1.1)
    const latest = await findSubmission(db, round.id, unitId);
    return failure(412, "stale_revision", "If-Match 中的弱校验标记（W/）不能作为修订号，请给出当前修订号，如 \"3\"", "A weak tag (W/) in If-Match never matches; send the current revision, e.g. \"3\"", { where: "If-Match", currentRevision: latest?.revision ?? 0 });
  }
  if (expected === null) {
    return failure(428, "revision_required", "请在 If-Match 中给出您开始编辑时的修订号（首次上报为 0）", "Send the revision you started from in If-Match (0 for a first submission)", { where: "If-Match" });
  }
  if (!(JSON.parse(round.expected) as string[]).includes(unitId)) {
    return failure(403, "forbidden", `单位「${unitId}」不在本轮填报范围内`, `Unit '${unitId}' is not expected to report in this round`);
  }
  const stored = await readCurrent(db, round.id, unitId);
  const current = stored?.row ?? null;
  if (current?.state === "approved") {
    // locked further up: the city has submitted it upward, or the province approved the city
    const place = await findUnitAndParentLevel(db, round.id, unitId);
    if (place?.parent_is_level && (place.parent_state === "submitted" || place.parent_state === "approved")) {
      return levelLocked(place.parent_id!, place.parent_state, { zh: "修改", en: "changed" }, { currentRevision: current.revision });
    }
    return failure(409, "submission_locked", "本轮数据已审核通过并锁定，如需修改请联系市局重新打开", "This submission is approved and locked; ask the city bureau to reopen it", { currentRevision: current.revision });
  }
  // After the unit's deadline (the later of the round's and its own) or once the round was closed
  // early, only a unit the administrator reopened may report. The unit's row is read only then:
  // before the round's deadline every unit is in.
  if (isClosed(round, now)) {
    const ru = await findRoundUnit(db, round.id, unitId);
    if (!ru?.reopened && isClosed(round, now, ru?.deadline ?? null)) {
      if (round.closed_at !== null) {
        return failure(409, "round_closed", `本轮已于 ${beijingText(round.closed_at).zh}提前结束，如需补报请联系市局重新打开`, `This round was closed early at ${beijingText(round.closed_at).en}; ask the city bureau to reopen it for your unit`);
      }
      const deadline = laterDeadline(round.deadline, ru?.deadline);
      return failure(409, "round_closed", `本轮已于 ${beijingText(deadline).zh}截止，如需补报请联系市局重新打开`, `This round closed at ${beijingText(deadline).en}; ask the city bureau to reopen it for your unit`);
    }
  }
  const currentRevision = current?.revision ?? 0;
  if (expected !== currentRevision) {
    return failure(412, "stale_revision", `数据已被更新为第 ${currentRevision} 版（您基于第 ${expected} 版），请刷新后再上报，您填写的内容不会丢失`, `The submission is now at revision ${currentRevision} (you started from ${expected}); refresh and submit again — your figures are kept`, { currentRevision });
  }
  const previousValues = stored?.values ?? null;
  // rules over periods (PREV, LASTYEAR, YTD) read the unit's approved figures there: one statement, only when the rules need it
  const history = await readHistory(db, round, unitId, compiled);
  // 上年同期 (issue 24): where the unit's approved figure of last year exists, it is the figure, whatever
  // was sent, so that 同比 at every level is built on accepted figures; elsewhere the typed one stands
  // 本年累计 likewise: this period's figure and every earlier one's of this year, where all are approved
  const filled = { ...lastYearFigures(compiled, history.lastYear), ...cumulativeFigures(compiled, body.values, history.earlier) };
  // detail lists (issue 25): the lists sent, checked row by row, or the current ones where none was sent;
  // their figures (rows, sums, by choice) computed from them whatever was sent for them
  // (a list not sent is not read: its figures are the current ones, made from it when it was sent)
  const hasLists = detailTables(compiled.template).length > 0;
  const sentLists = body.lists !== undefined ? validateLists(compiled, body.lists) : null;
  const currentLists: Lists = hasLists && sentLists && stored ? await readCurrentLists(db, compiled.template, round.id, unitId) : {};
  const figures = listFigures(compiled, sentLists?.lists ?? {});
  if (!sentLists && previousValues) for (const code of Object.keys(figures)) figures[code] = previousValues[code] ?? null;
  const sent = { ...body.values, ...filled, ...figures };
  const checked = validateValues(compiled, sent, { previous: req.previous, history });
  // a figure the unit typed that an approved one replaced is said, and confirmed as any warning
  const issues = withoutRulesOverBadLists(compiled, [...(sentLists?.issues ?? []), ...checked.issues, ...filledIssues(compiled, body.values, filled)]);
  const result = { ...checked, issues, hasErrors: issues.some((i) => i.severity === "error") };
  if (result.hasErrors) {
    return failure(422, "validation_failed", "数据校验未通过，请按提示修改", "The figures did not pass validation; fix the marked items", { issues: locateIssues(compiled, result.issues.filter((i) => i.severity === "error")) });
  }
  const comments = Object.fromEntries(Object.entries(body.comments ?? {}).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ""));
  // a body without a signature (an older client) keeps the current one; a sheet always sends its block
  const signature = body.signature === undefined ? (stored?.signature ?? {}) : canonicalSignature(body.signature);
  const lost = stored ? lostWriting(compiled, currentRevision, stored, { comments, signature }) : null;
  if (lost && !body.acknowledgeLoss) return lossRefusal(compiled, lost, req.from ?? "body");
  const warnings = result.issues.filter((i) => i.severity === "warning");
  // a rule not checked for want of another period's figures is said with the report, never asked about
  if (warnings.some((w) => !isNotice(w)) && !body.acknowledgeWarnings) {
    return failure(422, "warnings_not_acknowledged", "有需要确认的提示，请确认后再上报", "Some figures need your confirmation before submitting", { issues: locateIssues(compiled, warnings) });
  }
  const nowIso = now.toISOString();
  const revision = currentRevision + 1;
  const seq = (current?.seq ?? 0) + 1;
  // The standing totals move by the difference only: the counters of unchanged figures cancel (addCounters
  // drops zeros), so a one-figure correction writes one or two counters per ancestor. A returned report had
  // left the totals and comes back whole.
  const standingBefore = current?.state === "submitted" && previousValues ? countersOf(compiled, previousValues) : new Map<string, bigint>();
  const delta = addCounters(countersOf(compiled, result.values), standingBefore, -1n);
  const ancestors = req.unitPath.split("/").filter(Boolean);
  const totals = addToTotals(db, round.id, ancestors, "standing", delta);
  // the lists are not in the answer (GET has them): the sender has them, and the answer is stored for retries
  // (a 5,000-row list would bring it near D1's 2 MB a value)
  const view = viewAfterSubmit(round.id, unitId, revision, result.values, result.derived, { comments, signature }, nowIso, user, locateIssues(compiled, warnings));
  const status = current ? 200 : 201;
  const statements = [
    auditStatement(db, { userId: user.id, action: "submit", roundId: round.id, unitId, beforeRevision: current?.revision ?? null, afterRevision: revision, seq, detail: {
      acknowledgedWarnings: warnings.map((w) => w.rule ?? w.code),
      // what was knowingly given up of the revision before, kept for whoever asks later where a note went
      ...(lost ? { acknowledgedLoss: { notes: lost.notes.map((n) => n.indicator), signature: lost.signature.map((x) => x.field) } } : {}),
    } }, nowIso),
    // only what changed since the current revision is written (issue 23), as the totals above
    ...insertRevision(db, round.id, unitId, revision, changedValues(previousValues ?? {}, result.values), comments, user.id, nowIso, signature),
    // and only the list rows that changed at their places (a list not sent stays as it is)
    ...(sentLists && hasLists ? insertListRows(db, round.id, unitId, revision, changedRows(compiled.template, currentLists, sentLists.lists)) : []),
    // a new revision answers the last return: its per-indicator comments go (the return's audit entry keeps them)
    upsertSubmission(db, { roundId: round.id, unitId, state: "submitted", revision, seq, reviewComment: null, review: { indicatorComments: null } }, nowIso),
    ...(totals ? [totals] : []),
    ...(key ? [storeResponse(db, user.id, key, requestHash, status, view, nowIso)] : []),
  ];
  try {
    await db.batch(statements);
  } catch (e) {
    // Another write won the race (same revision, same transition, or the same key). Nothing of ours was stored.
    if (!/UNIQUE|constraint/i.test(String(e))) throw e;
    if (key) {
      const replay = await replayStored(db, user.id, key, requestHash);
      if (replay) return replay;
    }
    const latest = await findSubmission(db, round.id, unitId);
    return failure(412, "stale_revision", "数据刚被其他人更新，请刷新后再上报，您填写的内容不会丢失", "The submission was just changed by someone else; refresh and submit again — your figures are kept", { currentRevision: latest?.revision ?? 0 });
  }
  return ok({ status, view });
}

async function replayStored(db: D1Database, userId: number, key: string, requestHash: string): Promise<Result<Submitted> | null> {
  const stored = await findStoredResponse(db, userId, key);
  if (!stored) return null;
  if (stored.request_hash !== requestHash) {
    return failure(422, "idempotency_mismatch", "同一个 Idempotency-Key 已用于内容不同的请求", "This Idempotency-Key was already used for a different request", { where: "Idempotency-Key" });
  }
  return ok({ status: stored.status as 200 | 201, view: { ...(JSON.parse(stored.response) as SubmissionView), replayed: true } });
}

function viewAfterSubmit(
  roundId: string, unitId: string, revision: number, values: Values, derived: Values, written: { comments: Record<string, string>; signature: Signature },
  now: string, user: SessionUser, warnings: SubmissionView["warnings"],
): SubmissionView {
  const reported = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
  return {
    roundId, unitId, state: "submitted", revision, values: reported, derived, ...written, reviewComment: null, reviewIndicatorComments: {},
    submittedAt: now, submittedBy: user.username, submittedByName: user.displayName, warnings,
  };
}
