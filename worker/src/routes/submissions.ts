import { Hono } from "hono";
import { SIGNATURE_FIELDS, ApproveRequestSchema, ReviewContextSchema, RevisionDiffSchema, RevisionSummarySchema, ReviewRequestSchema, SubmissionPutRequestSchema, SubmissionViewSchema, detailTables, diffDetail, previousPeriod } from "@tianbao/shared";
import { readRevisionLists } from "../db/lists";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, notFound, reply } from "../errors";
import { listRevisions, readPreviousValues, readRevisionValues, signatureOf, parseIndicatorComments, type RevisionRow } from "../db/submissions";
import { reviewSubmission, type ReviewAction } from "../workflow/review";
import { isWeakTag, parseRevisionHeader, submitValues } from "../workflow/submit";
import { readLevelFigures, readLevelView, readSubmissionView } from "../workflow/view";
import { findLevel, type LevelRow } from "../db/levels";
import { readReviewContext } from "../workflow/review-context";
import { ALL_ROLES, CITY_ROLES, READ_ROLES, isAbove, loadRound, loadUnit, mayReview, mayWriteReport } from "./context";
import { REVISION_HEADERS, defineRoute } from "./define";
import { unitRef } from "../unit-refs";

export const submissionRoutes = new Hono<AppEnv>();
const BASE = "/rounds/:id/submissions/:unit";

/**
 * The round and the unit a request is about. An expected unit's report; with `levels`, a review
 * level's upward submission too (a city in a province's round), read through the same routes.
 */
async function scope(c: Parameters<typeof loadRound>[0], mode: "read" | "write", o: { levels?: boolean } = {}) {
  const round = await loadRound(c, c.req.param("id")!);
  if (!round.ok) return round;
  const unit = await loadUnit(c, c.req.param("unit")!, mode);
  if (!unit.ok) return unit;
  let level: LevelRow | null = null;
  if (!(JSON.parse(round.value.round.expected) as string[]).includes(unit.value.id)) {
    const isLevel = (JSON.parse(round.value.round.levels) as string[]).includes(unit.value.id);
    if (isLevel && o.levels) level = await findLevel(c.env.DB, round.value.round.id, unit.value.id);
    if (!level) {
      return isLevel
        ? failure(404, "not_found", `单位「${unitRef(unit.value.id)}」是本轮的审核层级，不填报数据：它的上报与审核见本轮页面的「逐级上报」（接口 /rounds/:id/levels/:unit）`, `Unit '${unitRef(unit.value.id)}' is a review level of this round and reports no figures of its own: its upward submission and review are under 逐级上报 (levels) on the round's page (API: /rounds/:id/levels/:unit)`)
        : failure(404, "not_found", `单位「${unitRef(unit.value.id)}」不在本轮填报范围内`, `Unit '${unitRef(unit.value.id)}' is not expected to report in this round`);
    }
  }
  return { ok: true as const, value: { ...round.value, unitId: unit.value.id, unitPath: unit.value.path, level } };
}

defineRoute(submissionRoutes, { method: "get", path: BASE, summary: "A unit's current submission, or a review level's upward submission (ETag = its revision)", roles: ALL_ROLES, response: SubmissionViewSchema }, async (c) => {
  const s = await scope(c, "read", { levels: true });
  if (!s.ok) return reply(c, s);
  const view = s.value.level ? await readLevelView(c.env.DB, s.value.compiled, s.value.level) : await readSubmissionView(c.env.DB, s.value.compiled, s.value.round.id, s.value.unitId);
  c.header("ETag", `"${view.revision}"`);
  return c.json(view);
});

defineRoute(submissionRoutes, { method: "put", path: BASE, summary: "上报: submit values as a new revision (If-Match, Idempotency-Key)", roles: ["reporter", "admin"], body: SubmissionPutRequestSchema, response: SubmissionViewSchema, headers: REVISION_HEADERS }, async (c, { body }) => {
  const s = await scope(c, "write");
  if (!s.ok) return reply(c, s);
  const { round, compiled, unitId, unitPath } = s.value;
  const may = mayWriteReport(c.var.user, round, { id: unitId, path: unitPath });
  if (!may.ok) return reply(c, may);
  const db = c.env.DB;
  const previous = await readPreviousValues(db, round, previousPeriod(round.period), unitId);
  const r = await submitValues(db, {
    round, compiled, unitId, unitPath, user: c.var.user, body, previous,
    ifMatch: c.req.header("if-match"), idempotencyKey: c.req.header("idempotency-key"),
  }, new Date());
  if (!r.ok) return reply(c, r);
  c.header("ETag", `"${r.value.view.revision}"`);
  return c.json(r.value.view, r.value.status);
});

defineRoute(submissionRoutes, { method: "get", path: `${BASE}/revisions`, summary: "Every revision with who and when (a review level's: its upward submissions)", roles: ALL_ROLES, response: z.array(RevisionSummarySchema) }, async (c) => {
  const s = await scope(c, "read", { levels: true });
  if (!s.ok) return reply(c, s);
  const rows = await listRevisions(c.env.DB, s.value.round.id, s.value.unitId);
  return c.json(rows.map((r) => ({ revision: r.revision, submittedAt: r.submitted_at, submittedBy: r.submitted_by, submittedByName: r.submitted_by_name })));
});

defineRoute(submissionRoutes, {
  method: "get", path: `${BASE}/review`, roles: READ_ROLES, response: ReviewContextSchema,
  summary: "审核参考: the report beside the same unit's previous period, its parent's totals and its siblings' median, and its revisions (units above it only)",
}, async (c) => {
  const s = await scope(c, "read", { levels: true });
  if (!s.ok) return reply(c, s);
  const above = isAbove(c.var.user, s.value.unitPath);
  if (!above.ok) return reply(c, above);
  return c.json(await readReviewContext(c.env.DB, s.value.compiled, s.value.round, s.value.unitId, s.value.level));
});

const DiffQuerySchema = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

defineRoute(submissionRoutes, { method: "get", path: `${BASE}/diff`, summary: "What changed between two revisions: figures, 说明 notes and signature fields", roles: ALL_ROLES, query: DiffQuerySchema, response: RevisionDiffSchema }, async (c, { query }) => {
  const s = await scope(c, "read", { levels: true });
  if (!s.ok) return reply(c, s);
  const { round, unitId, compiled, level } = s.value;
  const rows = new Map((await listRevisions(c.env.DB, round.id, unitId)).map((r) => [r.revision, r]));
  for (const rev of [query.from, query.to]) if (!rows.has(rev)) return reply(c, notFound({ zh: "修订", en: "revision" }, String(rev)));
  // a level's revisions are compared figure by figure (sums and rates, yes/no counts, choices)
  const read = (rev: number) => (level ? readLevelFigures(c.env.DB, compiled, round.id, unitId, rev) : readRevisionValues(c.env.DB, round.id, unitId, rev));
  const [a, b] = await Promise.all([read(query.from), read(query.to)]);
  const changes = compiled.template.indicators
    .filter((i) => JSON.stringify(a[i.code] ?? null) !== JSON.stringify(b[i.code] ?? null))
    .map((i) => ({ indicator: i.code, before: a[i.code] ?? null, after: b[i.code] ?? null }));
  // a detail list's rows added, removed and changed, by its key (issue 25)
  const tables = level ? [] : detailTables(compiled.template);
  const [la, lb] = tables.length === 0 ? [{}, {}] : await Promise.all([query.from, query.to].map((rev) => readRevisionLists(c.env.DB, compiled.template, round.id, unitId, rev)));
  const lists = tables.map((t) => ({ table: t.code, ...diffDetail(t, la![t.code] ?? [], lb![t.code] ?? []) }));
  return c.json({ from: query.from, to: query.to, changes, ...writingDiff(compiled.template.indicators, rows.get(query.from)!, rows.get(query.to)!), ...(lists.length > 0 ? { lists } : {}) });
});

/** The notes and signature fields that differ between two revisions (a note dropped: after is null). */
function writingDiff(indicators: readonly { code: string }[], a: RevisionRow, b: RevisionRow) {
  const [na, nb] = [parseIndicatorComments(a.comments), parseIndicatorComments(b.comments)];
  const notes = indicators
    .filter((i) => (na[i.code] ?? null) !== (nb[i.code] ?? null))
    .map((i) => ({ indicator: i.code, before: na[i.code] ?? null, after: nb[i.code] ?? null }));
  const [sa, sb] = [signatureOf(a), signatureOf(b)];
  const signature = SIGNATURE_FIELDS.filter((f) => (sa[f] ?? null) !== (sb[f] ?? null)).map((field) => ({ field, before: sa[field] ?? null, after: sb[field] ?? null }));
  return { notes, signature };
}

const review = (action: Exclude<ReviewAction, "reopen">) => async (c: Parameters<typeof loadRound>[0], { body }: { body: { comment?: string; indicatorComments?: Record<string, string> } }) => {
  const s = await scope(c, "read");
  if (!s.ok) return reply(c, s);
  const allowed = mayReview(c.var.user, s.value.round, s.value.unitPath);
  if (!allowed.ok) return reply(c, allowed);
  // If-Match (optional): the revision reviewed; a newer one is refused (412) rather than returned or approved unseen
  const ifMatch = c.req.header("if-match");
  const expected = ifMatch === undefined ? undefined : isWeakTag(ifMatch) ? null : parseRevisionHeader(ifMatch);
  if (expected === null) return reply(c, failure(400, "bad_request", "If-Match 应为审核的修订号，如 \"3\"", "If-Match must be the revision reviewed, e.g. \"3\"", { where: "If-Match" }));
  const done = await reviewSubmission(c.env.DB, s.value.compiled, s.value.round, s.value.unitId, c.var.user, action, body.comment ?? null, new Date(), body.indicatorComments ?? {}, expected);
  return done.ok ? c.json(done.value) : reply(c, done);
};

defineRoute(submissionRoutes, { method: "post", path: `${BASE}/return`, summary: "退回: send a submission back with a comment, and optionally one per indicator (shown to the unit while it is returned)", roles: CITY_ROLES, body: ReviewRequestSchema }, review("return"));
defineRoute(submissionRoutes, { method: "post", path: `${BASE}/approve`, summary: "Approve a submission (locks it)", roles: CITY_ROLES, body: ApproveRequestSchema }, review("approve"));
