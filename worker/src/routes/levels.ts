import { Hono } from "hono";
import { ApproveRequestSchema, LevelSubmitRequestSchema, LevelTransitionSchema, ReviewRequestSchema } from "@tianbao/shared";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { failure, forbidden, reply } from "../errors";
import { transitionLevel, type LevelAction } from "../workflow/levels";
import { CITY_ROLES, loadRound, loadUnit, mayReview } from "./context";
import { REVISION_HEADERS, defineRoute } from "./define";
import { unitRef } from "../unit-refs";

/**
 * Review levels of a round reported level by level (a province's round: each city reviews its
 * counties, then submits the city upward; the province reviews each city). The level's upward
 * submission is read through the submission routes (GET …/submissions/:unit, /revisions, /diff).
 */
export const levelRoutes = new Hono<AppEnv>();
const BASE = "/rounds/:id/levels/:unit";

async function levelScope(c: Context<AppEnv>) {
  const round = await loadRound(c, c.req.param("id")!);
  if (!round.ok) return round;
  const unit = await loadUnit(c, c.req.param("unit")!, "read");
  if (!unit.ok) return unit;
  if (!(JSON.parse(round.value.round.levels) as string[]).includes(unit.value.id)) {
    return failure(404, "not_found", `单位「${unitRef(unit.value.id)}」不是本轮的审核层级（只有发起单位与应报单位之间的单位才逐级上报）`, `Unit '${unitRef(unit.value.id)}' is not a review level of this round (only units between the owner and the expected units report upward)`);
  }
  return { ok: true as const, value: { ...round.value, unitId: unit.value.id, unitPath: unit.value.path } };
}

const transition = (action: LevelAction) => async (c: Context<AppEnv>, { body }: { body: { comment?: string; indicatorComments?: Record<string, string> } }) => {
  const s = await levelScope(c);
  if (!s.ok) return reply(c, s);
  const user = c.var.user;
  if (action === "submit" && user.unitId !== s.value.unitId) {
    return reply(c, forbidden(`只有「${unitRef(s.value.unitId)}」本单位的管理员或审核员可以将其上报`, `Only an administrator or reviewer of '${unitRef(s.value.unitId)}' itself may submit it upward`));
  }
  if (action !== "submit") {
    const allowed = mayReview(user, s.value.round, s.value.unitPath);
    if (!allowed.ok) return reply(c, allowed);
  }
  const done = await transitionLevel(c.env.DB, action, {
    round: s.value.round, compiled: s.value.compiled, unitId: s.value.unitId, unitPath: s.value.unitPath, user,
    ifMatch: c.req.header("if-match"), idempotencyKey: c.req.header("idempotency-key"),
    comment: body.comment?.trim() ? body.comment.trim() : null, ...(body.indicatorComments ? { indicatorComments: body.indicatorComments } : {}),
  }, new Date());
  if (!done.ok) return reply(c, done);
  c.header("ETag", `"${done.value.revision}"`);
  return c.json(done.value);
};

defineRoute(levelRoutes, {
  method: "post", path: `${BASE}/submit`, roles: CITY_ROLES, body: LevelSubmitRequestSchema, response: LevelTransitionSchema, headers: REVISION_HEADERS,
  summary: "上报 a review level (a city to its province): the totals of the units it approved, frozen as its next revision; only when every unit directly below it is approved (If-Match required, Idempotency-Key)",
}, transition("submit"));
defineRoute(levelRoutes, {
  method: "post", path: `${BASE}/return`, roles: CITY_ROLES, body: ReviewRequestSchema, response: LevelTransitionSchema, headers: REVISION_HEADERS,
  summary: "退回 a review level's upward submission with a comment (its parent only): its review of the units below reopens",
}, transition("return"));
defineRoute(levelRoutes, {
  method: "post", path: `${BASE}/approve`, roles: CITY_ROLES, body: ApproveRequestSchema, response: LevelTransitionSchema, headers: REVISION_HEADERS,
  summary: "Approve a review level's upward submission (its parent only): its figures join the accepted totals above, and its whole subtree is locked for the round",
}, transition("approve"));
