import {
  BUILTIN_FORM_TEMPLATE, BUILTIN_TEMPLATE, DEMO_CHANGZHI_REPORTING_UNITS, DEMO_CHANGZHI_UNITS, DEMO_CHANGZHI_VALUES, DEMO_PAST_VALUES, DEMO_PROVINCE_ROUND,
  DEMO_BRANDS_TEMPLATE, DEMO_BRANDS_PAST_VALUES, DEMO_BRAND_PRODUCERS, DEMO_MONTHLY_TEMPLATE, DEMO_MONTHLY_VALUES, DEMO_REPORTING_UNITS, DEMO_ROUNDS, DEMO_UNITS, DEMO_YOY_PAST_VALUES, DEMO_YOY_TEMPLATE, unitAncestors,
  type Lists, type Role, type Template, type Values,
} from "@tianbao/shared";
import type { SessionUser } from "../env";
import { hashNewPassword } from "../auth/password";
import { findLevel } from "../db/levels";
import { findRoundUnder, insertRound } from "../db/rounds";
import { findSubmission } from "../db/submissions";
import { insertTemplate, loadCompiled } from "../db/templates";
import { insertUnit } from "../db/units";
import { findUserByName, insertUser } from "../db/users";
import { submitValues } from "../workflow/submit";
import { reviewSubmission } from "../workflow/review";
import { transitionLevel } from "../workflow/levels";

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

/** The province's demo accounts: its administrator and reviewer, Changzhi's, and one reporter per Changzhi unit. */
export const DEMO_PROVINCE_ACCOUNTS: typeof DEMO_ACCOUNTS = [
  { username: "sheng", displayName: "山西省市场监管局管理员", role: "admin", unitId: "shanxi" },
  { username: "shengshenhe", displayName: "山西省市场监管局审核员", role: "reviewer", unitId: "shanxi" },
  { username: "changzhi", displayName: "长治市质监局管理员", role: "admin", unitId: "changzhi" },
  { username: "czshenhe", displayName: "长治市质监局审核员", role: "reviewer", unitId: "changzhi" },
  { username: "zhangzi", displayName: "长子县填报员", role: "reporter", unitId: "zhangzi" },
  { username: "tunliu", displayName: "屯留区填报员", role: "reporter", unitId: "tunliu" },
  { username: "xiangyuan", displayName: "襄垣县填报员", role: "reporter", unitId: "xiangyuan" },
  { username: "qinyuan", displayName: "沁源县填报员", role: "reporter", unitId: "qinyuan" },
  { username: "czbenji", displayName: "长治市本级填报员", role: "reporter", unitId: "changzhi_self" },
];

/** An account as the workflow sees a signed-in caller (the seed acts through the real workflow). */
export async function sessionUserOf(db: D1Database, username: string): Promise<SessionUser> {
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
  created.push(...(await insertAccounts(db, DEMO_ACCOUNTS, now)));
  if (!(await loadCompiled(db, BUILTIN_TEMPLATE.id, BUILTIN_TEMPLATE.version))) {
    await insertTemplate(db, BUILTIN_TEMPLATE, "jincheng", null, now).run();
    created.push("template");
  }
  // the built-in report as a form set (质兴1表 + the 主导产业 grid, with its legal face), ready to open a round with
  if (!(await loadCompiled(db, BUILTIN_FORM_TEMPLATE.id, BUILTIN_FORM_TEMPLATE.version))) {
    await insertTemplate(db, BUILTIN_FORM_TEMPLATE, "jincheng", null, now).run();
    created.push("form template");
  }
  for (const r of [DEMO_ROUNDS.past, DEMO_ROUNDS.current]) {
    if (await db.prepare("SELECT 1 FROM rounds WHERE id = ?").bind(r.id).first()) continue;
    await db.batch(insertRound(db, { ...r, templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, ownerUnitId: "jincheng", expectedUnitIds: [...DEMO_REPORTING_UNITS] }, null, now));
    created.push(`round:${r.id}`);
  }
  if (options.withPastFigures === false) return { created };
  created.push(...await approvedRound(db, BUILTIN_TEMPLATE, DEMO_ROUNDS.past, DEMO_PAST_VALUES));
  // time in the form (issue 24): the money figures with 同比 columns, 2024 approved, and a monthly report
  // whose 1–N月累计 is checked against the approved months, three of them in — closed rounds only: the
  // city opens the next one (2025, April) on its desk, as it would, and the open demo rounds stay the built-in's
  for (const series of DEMO_SERIES) {
    if (!(await loadCompiled(db, series.template.id, series.template.version))) {
      await insertTemplate(db, series.template, "jincheng", null, now).run();
      created.push(`template:${series.template.id}`);
    }
    for (const r of series.rounds) {
      if (!(await db.prepare("SELECT 1 FROM rounds WHERE id = ?").bind(r.id).first())) {
        await db.batch(insertRound(db, { ...r, templateId: series.template.id, templateVersion: series.template.version, ownerUnitId: "jincheng", expectedUnitIds: [...DEMO_REPORTING_UNITS] }, null, now));
        created.push(`round:${r.id}`);
      }
      if (r.values) created.push(...await approvedRound(db, series.template, r, r.values, r.lists));
    }
  }
  return { created };
}

/** The demo's rounds of time in the form: a template, its rounds in order, and the figures approved in each closed one. */
const DEMO_SERIES: { template: Template; rounds: { id: string; period: string; deadline: string; values?: Record<string, Values>; lists?: Record<string, Lists> }[] }[] = [
  { template: DEMO_YOY_TEMPLATE, rounds: [
    { id: "ryoy2024", period: "2024", deadline: "2025-01-31T23:59:59+08:00", values: DEMO_YOY_PAST_VALUES },
  ] },
  { template: DEMO_MONTHLY_TEMPLATE, rounds: [
    ...DEMO_MONTHLY_VALUES.map((values, m) => ({ id: `rmon2025_0${m + 1}`, period: `2025-0${m + 1}`, deadline: `2025-0${m + 2}-10T23:59:59+08:00`, values })),
  ] },
  // a detail list (issue 25): the seeds' 21 山西名牌 producers of the three producing counties; the others report none
  { template: DEMO_BRANDS_TEMPLATE, rounds: [
    { id: "rbrand2024", period: "2024", deadline: "2025-01-31T23:59:59+08:00",
      values: Object.fromEntries(DEMO_REPORTING_UNITS.map((u) => [u, DEMO_BRANDS_PAST_VALUES[u] ?? { sx_products: 0, brand_output: "0.00", brand_tax: "0.00", brand_exports: 0 }])),
      lists: Object.fromEntries(DEMO_REPORTING_UNITS.map((u) => [u, { producers: DEMO_BRAND_PRODUCERS[u] ?? [] }])) },
  ] },
];

/** Every unit's figures submitted and approved in a closed round, before its deadline, through the real path (once). */
async function approvedRound(db: D1Database, template: Template, r: { id: string; deadline: string }, values: Record<string, Values>, lists?: Record<string, Lists>): Promise<string[]> {
  const created: string[] = [];
  const compiled = (await loadCompiled(db, template.id, template.version))!;
  const round = (await db.prepare("SELECT r.*, (SELECT json_group_array(unit_id) FROM round_units WHERE round_id = r.id) AS expected FROM rounds r WHERE id = ?").bind(r.id).first<Parameters<typeof submitValues>[1]["round"]>())!;
  const admin = await sessionUserOf(db, "admin");
  const beforeDeadline = new Date(Date.parse(r.deadline) - 10 * 86_400_000);
  for (const unitId of DEMO_REPORTING_UNITS) {
    if (await findSubmission(db, round.id, unitId)) continue;
    const reporter = await sessionUserOf(db, DEMO_ACCOUNTS.find((a) => a.unitId === unitId)!.username);
    const unitPath = `/${[...unitAncestors(DEMO_UNITS, unitId).map((u) => u.id).reverse(), unitId].join("/")}/`;
    const s = await submitValues(db, { round, compiled, unitId, unitPath, user: reporter, body: { values: values[unitId]!, ...(lists?.[unitId] ? { lists: lists[unitId] } : {}), acknowledgeWarnings: true }, ifMatch: "0", idempotencyKey: undefined, previous: null }, beforeDeadline);
    if (!s.ok) throw new Error(`demo seed: ${r.id} ${unitId}: ${s.body.error.message.en}`);
    const a = await reviewSubmission(db, compiled, round, unitId, admin, "approve", null, beforeDeadline);
    if (!a.ok) throw new Error(`demo seed: approve ${r.id} ${unitId}: ${a.body.error.message.en}`);
    created.push(`submission:${r.id}:${unitId}`);
  }
  return created;
}

async function insertAccounts(db: D1Database, accounts: typeof DEMO_ACCOUNTS, now: string): Promise<string[]> {
  const created: string[] = [];
  for (const a of accounts) {
    if (await findUserByName(db, a.username)) continue;
    await insertUser(db, { ...a, ...(await hashNewPassword(DEMO_PASSWORD)) }, now).run();
    created.push(`user:${a.username}`);
  }
  return created;
}

/**
 * The province's demo on top of Jincheng's (run `seedDemo` first): Changzhi and its units and
 * accounts, and the province's 2025 round reported level by level — Jincheng's counties approved by
 * Jincheng and Jincheng's figures submitted to the province; in Changzhi three counties in, one
 * approved. Everything goes through the real submit, review and upward-submission path. Running it
 * again changes nothing.
 */
export async function seedProvinceDemo(db: D1Database): Promise<{ created: string[] }> {
  const now = new Date();
  const at = now.toISOString();
  await db.batch(DEMO_CHANGZHI_UNITS.map((u) => insertUnit(db, u)));
  const created = await insertAccounts(db, DEMO_PROVINCE_ACCOUNTS, at);
  const r = DEMO_PROVINCE_ROUND;
  if (!(await db.prepare("SELECT 1 FROM rounds WHERE id = ?").bind(r.id).first())) {
    await db.batch(insertRound(db, {
      id: r.id, period: r.period, deadline: r.deadline, levelDeadlines: r.levelDeadlines, templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version,
      ownerUnitId: "shanxi", expectedUnitIds: [...DEMO_REPORTING_UNITS, ...DEMO_CHANGZHI_REPORTING_UNITS],
    }, null, at));
    created.push(`round:${r.id}`);
  }
  const compiled = (await loadCompiled(db, BUILTIN_TEMPLATE.id, BUILTIN_TEMPLATE.version))!;
  const round = (await findRoundUnder(db, "/shanxi/", r.id))!;
  const units = [...DEMO_UNITS, ...DEMO_CHANGZHI_UNITS];
  const report = async (unitId: string, values: Values, reviewer: string | null) => {
    if (await findSubmission(db, round.id, unitId)) return;
    const reporter = await sessionUserOf(db, [...DEMO_ACCOUNTS, ...DEMO_PROVINCE_ACCOUNTS].find((a) => a.unitId === unitId && a.role === "reporter")!.username);
    const unitPath = `/${[...unitAncestors(units, unitId).map((u) => u.id).reverse(), unitId].join("/")}/`;
    const s = await submitValues(db, { round, compiled, unitId, unitPath, user: reporter, body: { values, acknowledgeWarnings: true }, ifMatch: "0", idempotencyKey: undefined, previous: null }, now);
    if (!s.ok) throw new Error(`province demo: ${unitId}: ${s.body.error.message.en}`);
    if (reviewer) {
      const a = await reviewSubmission(db, compiled, round, unitId, await sessionUserOf(db, reviewer), "approve", null, now);
      if (!a.ok) throw new Error(`province demo: approve ${unitId}: ${a.body.error.message.en}`);
    }
    created.push(`submission:${round.id}:${unitId}`);
  };
  for (const unitId of DEMO_REPORTING_UNITS) await report(unitId, DEMO_PAST_VALUES[unitId]!, "shenhe");
  if ((await findLevel(db, round.id, "jincheng"))?.state === null) {
    const up = await transitionLevel(db, "submit", { round, compiled, unitId: "jincheng", unitPath: "/shanxi/jincheng/", user: await sessionUserOf(db, "admin"), ifMatch: "0", idempotencyKey: undefined, comment: null }, now);
    if (!up.ok) throw new Error(`province demo: jincheng upward: ${up.body.error.message.en}`);
    created.push(`level:${round.id}:jincheng`);
  }
  for (const [i, unitId] of DEMO_CHANGZHI_REPORTING_UNITS.slice(0, 3).entries()) await report(unitId, DEMO_CHANGZHI_VALUES[unitId]!, i === 0 ? "czshenhe" : null);
  return { created };
}
