import { Hono } from "hono";
import { CreateRoundRequestSchema, ReopenRequestSchema, RoundViewSchema, parsePeriod, type RoundView } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { auditStatement } from "../db/audit";
import { insertRound, isClosed, listRoundsUnder, type RoundRow } from "../db/rounds";
import { findTemplate, loadCompiled } from "../db/templates";
import { listUnitsUnder } from "../db/units";
import { reviewSubmission } from "../workflow/review";
import { ALL_ROLES, loadRound, loadUnit, mayReview } from "./context";
import { defineRoute } from "./define";

export const roundRoutes = new Hono<AppEnv>();

async function roundView(db: D1Database, r: RoundRow, now: Date): Promise<RoundView> {
  const compiled = await loadCompiled(db, r.template_id, r.template_version);
  return {
    id: r.id, templateId: r.template_id, templateVersion: r.template_version,
    templateName: compiled?.template.name ?? { zh: r.template_id, en: r.template_id },
    period: r.period, deadline: r.deadline, ownerUnitId: r.owner_unit_id, closed: isClosed(r, now),
    expectedUnitIds: JSON.parse(r.expected) as string[],
  };
}

defineRoute(roundRoutes, { method: "get", path: "/rounds", summary: "Rounds in which your unit or a unit below it reports", roles: ALL_ROLES, response: z.array(RoundViewSchema) }, async (c) => {
  const now = new Date();
  const rows = await listRoundsUnder(c.env.DB, c.var.user.unitPath);
  return c.json(await Promise.all(rows.map((r) => roundView(c.env.DB, r, now))));
});

defineRoute(roundRoutes, { method: "get", path: "/rounds/:id", summary: "One round", roles: ALL_ROLES, response: RoundViewSchema }, async (c) => {
  const r = await loadRound(c, c.req.param("id")!);
  return r.ok ? c.json(await roundView(c.env.DB, r.value.round, new Date())) : reply(c, r);
});

defineRoute(roundRoutes, { method: "post", path: "/rounds", summary: "Open a round: template version, period, deadline, expected units", roles: ["admin"], body: CreateRoundRequestSchema, response: RoundViewSchema }, async (c, { body }) => {
  const db = c.env.DB;
  const user = c.var.user;
  const template = await findTemplate(db, user.unitPath, body.templateId, body.templateVersion);
  if (!template) return reply(c, failure(404, "not_found", `找不到模板「${body.templateId}」第 ${body.templateVersion} 版`, `No template '${body.templateId}' version ${body.templateVersion}`, { where: "body.templateVersion" }));
  if (template.status !== "published") return reply(c, failure(409, "template_invalid", "只能用已发布的模板开启填报轮次", "Only a published template can be used for a round", { where: "body.templateVersion" }));
  if (parsePeriod(body.period)?.type !== template.periodType) {
    return reply(c, failure(422, "invalid_body", `模板「${template.name.zh}」的填报周期与「${body.period}」不符`, `Template '${template.name.en}' is ${template.periodType}; '${body.period}' is not`, { where: "body.period" }));
  }
  const below = new Map((await listUnitsUnder(db, user.unitPath)).filter((u) => u.id !== user.unitId).map((u) => [u.id, u]));
  const outside = body.expectedUnitIds.filter((id) => !below.has(id));
  if (outside.length > 0) return reply(c, failure(422, "invalid_body", `这些单位不在本单位下级：${outside.join("、")}`, `These units are not below your unit: ${outside.join(", ")}`, { where: "body.expectedUnitIds" }));
  if (new Set(body.expectedUnitIds).size !== body.expectedUnitIds.length) return reply(c, failure(422, "invalid_body", "应报单位有重复", "Expected units are listed twice", { where: "body.expectedUnitIds" }));
  // A unit's figures are already in its ancestors' totals: expecting both would count them twice.
  const expected = new Set(body.expectedUnitIds);
  for (const id of body.expectedUnitIds) {
    for (let p = below.get(id)?.parentId ?? null; p !== null && below.has(p); p = below.get(p)!.parentId) {
      if (expected.has(p)) {
        return reply(c, failure(422, "invalid_body", `应报单位「${p}」与其下级「${id}」不能同时列入（下级数据已计入上级合计）`, `Expected units cannot include both '${p}' and '${id}' below it (the lower unit's figures are already in the upper one's totals)`, { where: "body.expectedUnitIds" }));
      }
    }
  }
  const now = new Date().toISOString();
  try {
    await db.batch([
      ...insertRound(db, { ...body, ownerUnitId: user.unitId }, user.id, now),
      auditStatement(db, { userId: user.id, action: "round_create", roundId: body.id, unitId: user.unitId, detail: { period: body.period, deadline: body.deadline } }, now),
    ]);
  } catch (e) {
    if (!/UNIQUE|constraint/i.test(String(e))) throw e;
    return reply(c, failure(409, "conflict", `填报轮次代码「${body.id}」已被使用`, `Round id '${body.id}' is already used`, { where: "body.id" }));
  }
  const created = await loadRound(c, body.id);
  return created.ok ? c.json(await roundView(db, created.value.round, new Date()), 201) : reply(c, created);
});

defineRoute(roundRoutes, { method: "post", path: "/rounds/:id/reopen", summary: "Reopen a unit: unlock its approved report and let it in after the deadline", roles: ["admin"], body: ReopenRequestSchema }, async (c, { body }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, body.unitId, "read");
  if (!unit.ok) return reply(c, unit);
  if (!(JSON.parse(r.value.round.expected) as string[]).includes(unit.value.id)) {
    return reply(c, failure(404, "not_found", `单位「${unit.value.id}」不在本轮填报范围内`, `Unit '${unit.value.id}' is not expected to report in this round`, { where: "body.unitId" }));
  }
  const allowed = mayReview(c.var.user, r.value.round, unit.value.path);
  if (!allowed.ok) return reply(c, allowed);
  const done = await reviewSubmission(c.env.DB, r.value.compiled, r.value.round, unit.value.id, c.var.user, "reopen", null, new Date());
  return done.ok ? c.json(done.value) : reply(c, done);
});
