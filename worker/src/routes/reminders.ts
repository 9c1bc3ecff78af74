import { Hono } from "hono";
import { RemindResultSchema, WebhookViewSchema, beijingText } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { auditStatement } from "../db/audit";
import { MANUAL_POSTS_PER_HOUR } from "../reminders/limit";
import { remindNow } from "../reminders/run";
import { WEBHOOK_HOSTS, webhookProblem } from "../reminders/webhook";
import { CITY_ROLES, loadRound, loadUnit, mayReview } from "./context";
import { defineRoute } from "./define";
import { unitRef } from "../unit-refs";

export const reminderRoutes = new Hono<AppEnv>();

const WebhookRequestSchema = z.strictObject({
  kind: z.enum(["wecom", "dingtalk"]),
  url: z.string().min(1).max(500),
  /** DingTalk's signing secret (加签), if the robot uses one. */
  secret: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, "printable ASCII").optional(),
});

const testHosts = (env: AppEnv["Bindings"]) => (env.REMINDER_TEST_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean);

defineRoute(reminderRoutes, {
  method: "get", path: "/units/:id/webhook", roles: ["admin"], response: WebhookViewSchema,
  summary: "The group robot (企业微信 / 钉钉) that reminders about this unit go to, without its key",
}, async (c) => {
  const unit = await loadUnit(c, c.req.param("id")!, "read");
  if (!unit.ok) return reply(c, unit);
  const h = await c.env.DB.prepare("SELECT kind, url, secret, updated_at FROM unit_webhooks WHERE unit_id = ?").bind(unit.value.id).first<{ kind: "wecom" | "dingtalk"; url: string; secret: string | null; updated_at: string }>();
  return c.json({ unitId: unit.value.id, kind: h?.kind ?? null, host: h ? new URL(h.url).host : null, signed: !!h?.secret, updatedAt: h?.updated_at ?? null });
});

defineRoute(reminderRoutes, {
  method: "put", path: "/units/:id/webhook", roles: ["admin"], body: WebhookRequestSchema, response: WebhookViewSchema,
  summary: `Sets the unit's group robot: a ${WEBHOOK_HOSTS.wecom} or ${WEBHOOK_HOSTS.dingtalk} address (https only); reminders about the unit and the units below it without their own go there`,
}, async (c, { body }) => {
  const unit = await loadUnit(c, c.req.param("id")!, "read");
  if (!unit.ok) return reply(c, unit);
  const problem = webhookProblem(body.kind, body.url, testHosts(c.env));
  if (problem) return reply(c, failure(422, "invalid_body", `群机器人地址${problem.zh}`, `The robot address is ${problem.en}`, { where: "body.url" }));
  const now = new Date().toISOString();
  await c.env.DB.batch([
    c.env.DB.prepare(
      `INSERT INTO unit_webhooks (unit_id, kind, url, secret, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (unit_id) DO UPDATE SET kind = excluded.kind, url = excluded.url, secret = excluded.secret, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ).bind(unit.value.id, body.kind, body.url, body.secret ?? null, c.var.user.id, now),
    auditStatement(c.env.DB, { userId: c.var.user.id, action: "webhook_set", unitId: unit.value.id, detail: { kind: body.kind, host: new URL(body.url).host } }, now),
  ]);
  return c.json({ unitId: unit.value.id, kind: body.kind, host: new URL(body.url).host, signed: !!body.secret, updatedAt: now });
});

defineRoute(reminderRoutes, {
  method: "delete", path: "/units/:id/webhook", roles: ["admin"],
  summary: "Removes the unit's group robot",
}, async (c) => {
  const unit = await loadUnit(c, c.req.param("id")!, "read");
  if (!unit.ok) return reply(c, unit);
  const now = new Date().toISOString();
  await c.env.DB.batch([
    c.env.DB.prepare("DELETE FROM unit_webhooks WHERE unit_id = ?").bind(unit.value.id),
    auditStatement(c.env.DB, { userId: c.var.user.id, action: "webhook_remove", unitId: unit.value.id }, now),
  ]);
  return c.body(null, 204);
});

const RemindRequestSchema = z.strictObject({ unitIds: z.array(z.string().min(1).max(40)).min(1).max(500) });

defineRoute(reminderRoutes, {
  method: "post", path: "/rounds/:id/remind", roles: CITY_ROLES, body: RemindRequestSchema, response: RemindResultSchema,
  summary: `立即催报: posts a reminder about these units now to their group robots (only units below you that have not submitted; only robots of the round's owner or below it; at most ${MANUAL_POSTS_PER_HOUR} posts per robot per hour, else 429 with Retry-After)`,
}, async (c, { body }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const expected = new Set(JSON.parse(r.value.round.expected) as string[]);
  const ids = [...new Set(body.unitIds)];
  if (r.value.round.closed_at !== null) {
    return reply(c, failure(409, "round_closed", `本轮已于 ${beijingText(r.value.round.closed_at).zh}提前结束，不再催报`, `This round was closed early at ${beijingText(r.value.round.closed_at).en}; nobody is reminded about it any more`));
  }
  for (const id of ids) {
    if (!expected.has(id)) return reply(c, failure(422, "invalid_body", `单位「${unitRef(id)}」不在本轮填报范围内`, `Unit '${unitRef(id)}' is not expected in this round`, { where: "body.unitIds" }));
    const unit = await loadUnit(c, id, "read");
    if (!unit.ok) return reply(c, unit);
    const allowed = mayReview(c.var.user, r.value.round, unit.value.path);
    if (!allowed.ok) return reply(c, allowed);
  }
  const { results } = await c.env.DB.prepare(
    "SELECT unit_id FROM submissions WHERE round_id = ?1 AND unit_id IN (SELECT value FROM json_each(?2)) AND state IN ('submitted', 'approved')",
  ).bind(r.value.round.id, JSON.stringify(ids)).all<{ unit_id: string }>();
  const done = new Set(results.map((x) => x.unit_id));
  const pending = ids.filter((id) => !done.has(id));
  if (pending.length === 0) return reply(c, failure(409, "conflict", "这些单位都已上报，无需催报", "These units have all submitted; there is nothing to remind", { where: "body.unitIds" }));
  const sent = await remindNow(c.env.DB, r.value.round.id, pending, c.var.user.id, new Date());
  if (!sent.ok && "retryAfter" in sent) c.header("retry-after", String(sent.retryAfter));
  return sent.ok ? c.json(sent.value) : reply(c, sent);
});
