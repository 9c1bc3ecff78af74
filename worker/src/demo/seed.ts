import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, DEMO_ROUNDS, DEMO_UNITS, unitAncestors, type Role,
} from "@tianbao/shared";
import type { SessionUser } from "../env";
import { hashNewPassword } from "../auth/password";
import { insertRound } from "../db/rounds";
import { findSubmission } from "../db/submissions";
import { insertTemplate, loadCompiled } from "../db/templates";
import { insertUnit } from "../db/units";
import { findUserByName, insertUser } from "../db/users";
import { submitValues } from "../workflow/submit";
import { reviewSubmission } from "../workflow/review";

export const DEMO_PASSWORD = "demo-password";

/** Demo accounts (local seed only): the city's admin, reviewer and viewer, and one reporter per unit. */
export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; unitId: string }[] = [
  { username: "admin", displayName: "晋城市质监局管理员", role: "admin", unitId: "jincheng" },
  { username: "shenhe", displayName: "晋城市质监局审核员", role: "reviewer", unitId: "jincheng" },
  { username: "chakan", displayName: "晋城市政府查看", role: "viewer", unitId: "jincheng" },
  { username: "zezhou", displayName: "泽州县填报员", role: "reporter", unitId: "zezhou" },
  { username: "gaoping", displayName: "高平市填报员", role: "reporter", unitId: "gaoping" },
  { username: "chengqu", displayName: "城区填报员", role: "reporter", unitId: "chengqu" },
  { username: "qinshui", displayName: "沁水县填报员", role: "reporter", unitId: "qinshui" },
  { username: "yangcheng", displayName: "阳城县填报员", role: "reporter", unitId: "yangcheng" },
  { username: "lingchuan", displayName: "陵川县填报员", role: "reporter", unitId: "lingchuan" },
  { username: "shibenji", displayName: "市本级填报员", role: "reporter", unitId: "jincheng_self" },
];

async function sessionUserOf(db: D1Database, username: string): Promise<SessionUser> {
  const r = await db.prepare(
    "SELECT u.id, u.username, u.display_name, u.role, u.unit_id, n.path, n.name_zh, n.name_en FROM users u JOIN units n ON n.id = u.unit_id WHERE u.username = ?",
  ).bind(username).first<{ id: number; username: string; display_name: string; role: Role; unit_id: string; path: string; name_zh: string; name_en: string }>();
  return { id: r!.id, username: r!.username, displayName: r!.display_name, role: r!.role, unitId: r!.unit_id, unitPath: r!.path, unitName: { zh: r!.name_zh, en: r!.name_en }, tokenHash: "", mustChangePassword: false };
}

/**
 * Loads the Jincheng demo: units, accounts, the built-in template, the closed 2024 round with
 * every unit's figures approved (through the real submit and review path), and the open 2025
 * round. Running it again changes nothing.
 */
export async function seedDemo(db: D1Database, options: { withPastFigures?: boolean } = {}): Promise<{ created: string[] }> {
  const created: string[] = [];
  const now = new Date().toISOString();
  await db.batch(DEMO_UNITS.map((u) => insertUnit(db, u)));
  for (const a of DEMO_ACCOUNTS) {
    if (await findUserByName(db, a.username)) continue;
    await insertUser(db, { ...a, ...(await hashNewPassword(DEMO_PASSWORD)) }, now).run();
    created.push(`user:${a.username}`);
  }
  if (!(await loadCompiled(db, BUILTIN_TEMPLATE.id, BUILTIN_TEMPLATE.version))) {
    await insertTemplate(db, BUILTIN_TEMPLATE, "jincheng", null, now).run();
    created.push("template");
  }
  for (const r of [DEMO_ROUNDS.past, DEMO_ROUNDS.current]) {
    if (await db.prepare("SELECT 1 FROM rounds WHERE id = ?").bind(r.id).first()) continue;
    await db.batch(insertRound(db, { ...r, templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, ownerUnitId: "jincheng", expectedUnitIds: [...DEMO_REPORTING_UNITS] }, null, now));
    created.push(`round:${r.id}`);
  }
  if (options.withPastFigures === false) return { created };
  const compiled = (await loadCompiled(db, BUILTIN_TEMPLATE.id, BUILTIN_TEMPLATE.version))!;
  const round = (await db.prepare("SELECT r.*, (SELECT json_group_array(unit_id) FROM round_units WHERE round_id = r.id) AS expected FROM rounds r WHERE id = ?").bind(DEMO_ROUNDS.past.id).first<Parameters<typeof submitValues>[1]["round"]>())!;
  const admin = await sessionUserOf(db, "admin");
  const beforeDeadline = new Date(Date.parse(DEMO_ROUNDS.past.deadline) - 10 * 86_400_000);
  for (const unitId of DEMO_REPORTING_UNITS) {
    if (await findSubmission(db, round.id, unitId)) continue;
    const reporter = await sessionUserOf(db, DEMO_ACCOUNTS.find((a) => a.unitId === unitId)!.username);
    const unitPath = `/${[...unitAncestors(DEMO_UNITS, unitId).map((u) => u.id).reverse(), unitId].join("/")}/`;
    const s = await submitValues(db, { round, compiled, unitId, unitPath, user: reporter, body: { values: DEMO_PAST_VALUES[unitId]!, acknowledgeWarnings: true }, ifMatch: "0", idempotencyKey: undefined, previous: null }, beforeDeadline);
    if (!s.ok) throw new Error(`demo seed: ${unitId}: ${s.body.error.message.en}`);
    const a = await reviewSubmission(db, compiled, round, unitId, admin, "approve", null, beforeDeadline);
    if (!a.ok) throw new Error(`demo seed: approve ${unitId}: ${a.body.error.message.en}`);
    created.push(`submission:${unitId}`);
  }
  return { created };
}
