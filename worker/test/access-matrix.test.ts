import { beforeAll, describe, expect, it } from "vitest";
import { ErrorBodySchema } from "@tianbao/shared";
import { ROUTES, type RouteSpec } from "../src/routes/define";
import { hashNewPassword } from "../src/auth/password";
import { insertUser } from "../src/db/users";
import { insertUnit } from "../src/db/units";
import { insertRound } from "../src/db/rounds";
import { insertTemplate } from "../src/db/templates";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES } from "@tianbao/shared";
import { api, ensureDemo, env, login } from "./helpers";

// Every route × every kind of caller × own data / another city's data. Generated from the route
// table: a route added without an entry here fails the first test.
// "owner": changes to jincheng's template (only jincheng or a unit above it); "family": a template
// code, taken by jincheng, is refused only to the units below jincheng; "review": return /
// approve / reopen (the unit's direct parent only — or, when the parent is the round's owner, the
// owner or a unit above it); "round-admin": extend or close a round (its owner or a unit above it);
// "unit-above": what a reviewer sees beside a report (units strictly above the reported unit, never
// the unit itself); "level-submit": a review level's upward submission (the level itself only);
// "level-review": its return / approval (as "review", for the level); "draft": a draft version of
// jincheng's template, read or edited only by those who may edit it (administrators of jincheng or
// above) — to everyone else it does not exist (404), as a template that was never made.
// Targets: a report in a city's round (OWN), in another city's round (OTHER_CITY), a county's report
// in the province's round (PROVINCE_COUNTY, reviewed by its city), and a city in the province's
// round (PROVINCE_CITY, a review level reviewed by the province).
type Scope = "public" | "global" | "city" | "owner" | "family" | "round" | "unit-read" | "unit-write" | "review" | "round-admin" | "unit-above" | "level-submit" | "level-review" | "draft" | "template";
type Target = { round: string; unit: string; ownerPath: string; unitPath: string; expectedPaths: string[]; level?: boolean };
interface Sample { scope: Scope; path: (t: Target) => string; body?: (n: number, t: Target) => unknown; raw?: string; targets?: Target[]; /** the same route on other data (a draft) */ also?: Sample[] }
/** The same route on the draft version of jincheng's template. */
const ON_DRAFT = (body?: Sample["body"]): Sample[] => [{ scope: "draft", path: () => "/templates/matrix_draft/1", ...(body ? { body } : {}), targets: [OWN] }];
const draftBody = () => { const { version: _v, status: _s, ...t } = BUILTIN_TEMPLATE; return { ...t, id: "matrix_draft" }; };

type Actor = { name: string; role: string | null; username: string | null; path: string | null; token: () => Promise<string | undefined> };
const JINCHENG_UNITS = ["chengqu", "gaoping", "zezhou", "qinshui", "yangcheng", "lingchuan", "jincheng_self"].map((u) => `/shanxi/jincheng/${u}/`);
const OWN: Target = { round: "r2025", unit: "zezhou", ownerPath: "/shanxi/jincheng/", unitPath: "/shanxi/jincheng/zezhou/", expectedPaths: JINCHENG_UNITS };
const OTHER_CITY: Target = { round: "rcz", unit: "zhangzi", ownerPath: "/shanxi/changzhi/", unitPath: "/shanxi/changzhi/zhangzi/", expectedPaths: ["/shanxi/changzhi/zhangzi/"] };
// the province's round expects a county of each city: both cities are its review levels
const PROVINCE_EXPECTS = ["/shanxi/changzhi/zhangzi/", "/shanxi/jincheng/gaoping/"];
/** Units expected by some round of quality_city_annual v1 in this world (rcz, rczclose, rprov and jincheng's). */
const TEMPLATE_ROUND_EXPECTS = ["/shanxi/changzhi/zhangzi/", ...PROVINCE_EXPECTS];
const PROVINCE_COUNTY: Target = { round: "rprov", unit: "zhangzi", ownerPath: "/shanxi/", unitPath: "/shanxi/changzhi/zhangzi/", expectedPaths: PROVINCE_EXPECTS };
const PROVINCE_CITY: Target = { round: "rprov", unit: "changzhi", ownerPath: "/shanxi/", unitPath: "/shanxi/changzhi/", expectedPaths: PROVINCE_EXPECTS, level: true };
const ROUND_TARGETS = [OWN, OTHER_CITY, PROVINCE_COUNTY];
const ROUND_TARGETS_AND_LEVEL = [...ROUND_TARGETS, PROVINCE_CITY];
// a report is no review level: the level routes on it are refused (404) to everyone
const LEVEL_TARGETS = [OWN, PROVINCE_COUNTY, PROVINCE_CITY];
let n = 0;
const SAMPLES: Record<string, Sample> = {
  "post /auth/login": { scope: "public", path: () => "/auth/login", body: () => ({ username: "nobody", password: "x" }) },
  "post /auth/logout": { scope: "global", path: () => "/auth/logout" },
  "get /me": { scope: "global", path: () => "/me" },
  "post /auth/password": { scope: "global", path: () => "/auth/password", body: () => ({ currentPassword: "wrong-password", newPassword: "another-long-password" }) },
  "get /units": { scope: "global", path: () => "/units" },
  "post /units": { scope: "global", path: () => "/units", body: (k) => ({ id: `m${k}`, name: { zh: "矩阵", en: "matrix" }, level: "county", parentId: "zezhou" }) },
  "post /users": { scope: "global", path: () => "/users", body: (k) => ({ username: `matrix${k}`, displayName: "m", role: "viewer", unitId: "zezhou", password: "a-long-password" }) },
  "get /templates": { scope: "global", path: () => "/templates" },
  "get /templates/:id/:version": { scope: "template", path: () => "/templates/quality_city_annual/1", also: ON_DRAFT() },
  // the built-in template under its usual code: a new version of jincheng's for jincheng and the units
  // above it; refused below jincheng (its counties cannot take their city's code); a template of their
  // own for units in another line (another city, issue 22) — or, for the province once two of its
  // cities have the code, a 409 asking for another code (reached, not refused)
  "post /templates": { scope: "family", path: () => "/templates", body: () => ({ builtin: true }) },
  "get /integrity": { scope: "global", path: () => "/integrity" },
  "get /units/:id/webhook": { scope: "unit-read", path: (t) => `/units/${t.unit}/webhook` },
  "put /units/:id/webhook": { scope: "unit-read", path: (t) => `/units/${t.unit}/webhook`, body: () => ({ kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix" }) },
  "delete /units/:id/webhook": { scope: "unit-read", path: (t) => `/units/${t.unit}/webhook` },
  "post /rounds/:id/remind": { scope: "review", path: (t) => `/rounds/${t.round}/remind`, body: (_, t) => ({ unitIds: [t.unit] }) },
  "get /templates/designer.xlsx": { scope: "global", path: () => "/templates/designer.xlsx" },
  "get /templates/:id/:version/designer.xlsx": { scope: "city", path: () => "/templates/quality_city_annual/1/designer.xlsx", also: [{ ...ON_DRAFT()[0]!, path: () => "/templates/matrix_draft/1/designer.xlsx" }] },
  "post /templates/designer": { scope: "global", path: () => "/templates/designer", raw: "not a spreadsheet" },
  "post /templates/draft": { scope: "global", path: () => "/templates/draft", body: (k) => ({ template: { id: `matrixdraft${k}`, name: { zh: "矩阵", en: "Matrix" }, periodType: "annual", sections: [{ code: "s", name: { zh: "分组", en: "S" } }], indicators: [{ code: "n", section: "s", kind: "count", name: { zh: "数", en: "n" } }], rules: [] } }) },
  "get /templates/:id/:version/preview.xlsx": { scope: "city", path: () => "/templates/quality_city_annual/1/preview.xlsx", also: [{ ...ON_DRAFT()[0]!, path: () => "/templates/matrix_draft/1/preview.xlsx" }] },
  "get /directory.xlsx": { scope: "global", path: () => "/directory.xlsx" },
  "post /directory/preview": { scope: "global", path: () => "/directory/preview", raw: "not a spreadsheet" },
  "post /directory/apply": { scope: "global", path: () => "/directory/apply", raw: "not a spreadsheet" },
  // an account of the target unit, made for this: a reset ends its sessions
  "post /users/:username/reset-password": { scope: "unit-read", path: (t) => `/users/${t === OWN ? "victim.zezhou" : "victim.zhangzi"}/reset-password` },
  "put /templates/:id/:version": { scope: "owner", path: () => "/templates/quality_city_annual/1", body: () => { const { version: _v, status: _s, ...t } = BUILTIN_TEMPLATE; return t; }, also: ON_DRAFT(draftBody) },
  "post /templates/:id/:version/publish": { scope: "owner", path: () => "/templates/quality_city_annual/1/publish" },
  "get /rounds": { scope: "global", path: () => "/rounds" },
  "post /rounds": { scope: "city", path: () => "/rounds", body: (k) => ({ id: `rm${k}`, templateId: "quality_city_annual", templateVersion: 1, period: "2040", deadline: "2041-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] }) },
  "get /rounds/:id": { scope: "round", path: (t) => `/rounds/${t.round}` },
  // a deadline later at every call (a repeat of the same one would be refused as not later)
  "post /rounds/:id/deadline": { scope: "round-admin", path: (t) => `/rounds/${t.round}/deadline`, body: (k, t) => ({ deadline: new Date(Date.UTC(2100, 0, 1) + k * 60_000).toISOString(), unitId: t.unit }) },
  // rounds of their own, so closing them leaves r2025 and rcz open for every other route
  "post /rounds/:id/close": { scope: "round-admin", path: (t) => `/rounds/${t === OWN ? "rclose" : t === OTHER_CITY ? "rczclose" : "rprovclose"}/close` },
  "get /users": { scope: "global", path: () => "/users" },
  "post /users/:username/disable": { scope: "unit-read", path: (t) => `/users/${t === OWN ? "victim.zezhou" : "victim.zhangzi"}/disable` },
  "post /users/:username/enable": { scope: "unit-read", path: (t) => `/users/${t === OWN ? "victim.zezhou" : "victim.zhangzi"}/enable` },
  "put /units/:id/contact": { scope: "unit-read", path: (t) => `/units/${t.unit}/contact`, body: () => ({ name: "矩阵", phone: "0356-1234567" }) },
  "get /units/:id/audit": { scope: "unit-read", path: (t) => `/units/${t.unit}/audit` },
  "get /rounds/:id/submissions/:unit/review": { scope: "unit-above", path: (t) => `/rounds/${t.round}/submissions/${t.unit}/review`, targets: ROUND_TARGETS_AND_LEVEL },
  "post /rounds/:id/reopen": { scope: "review", path: (t) => `/rounds/${t.round}/reopen`, body: (_, t) => ({ unitId: t.unit }) },
  "get /rounds/:id/submissions/:unit": { scope: "unit-read", path: (t) => `/rounds/${t.round}/submissions/${t.unit}`, targets: ROUND_TARGETS_AND_LEVEL },
  "put /rounds/:id/submissions/:unit": { scope: "unit-write", path: (t) => `/rounds/${t.round}/submissions/${t.unit}`, body: () => ({ values: { products: "not a number" } }) },
  "get /rounds/:id/submissions/:unit/revisions": { scope: "unit-read", path: (t) => `/rounds/${t.round}/submissions/${t.unit}/revisions`, targets: ROUND_TARGETS_AND_LEVEL },
  "get /rounds/:id/submissions/:unit/diff": { scope: "unit-read", path: (t) => `/rounds/${t === OWN ? "r2024" : t.round}/submissions/${t.unit}/diff?from=1&to=1`, targets: ROUND_TARGETS_AND_LEVEL },
  "post /rounds/:id/levels/:unit/submit": { scope: "level-submit", path: (t) => `/rounds/${t.round}/levels/${t.unit}/submit`, body: () => ({}), targets: LEVEL_TARGETS },
  "post /rounds/:id/levels/:unit/return": { scope: "level-review", path: (t) => `/rounds/${t.round}/levels/${t.unit}/return`, body: () => ({ comment: "矩阵" }), targets: LEVEL_TARGETS },
  "post /rounds/:id/levels/:unit/approve": { scope: "level-review", path: (t) => `/rounds/${t.round}/levels/${t.unit}/approve`, body: () => ({}), targets: LEVEL_TARGETS },
  "post /rounds/:id/submissions/:unit/return": { scope: "review", path: (t) => `/rounds/${t.round}/submissions/${t.unit}/return`, body: () => ({ comment: "矩阵" }) },
  "post /rounds/:id/submissions/:unit/approve": { scope: "review", path: (t) => `/rounds/${t.round}/submissions/${t.unit}/approve`, body: () => ({}) },
  "get /rounds/:id/totals": { scope: "round", path: (t) => `/rounds/${t.round}/totals` },
  // a detail list (issue 25): the demo's 2024 round of 质兴4表附表, which expects all of jincheng's units
  "get /rounds/:id/lists/:table": { scope: "round", path: (t) => `/rounds/${t.round}/lists/producers`, targets: [{ ...OWN, round: "rbrand2024" }] },
  "get /rounds/:id/completeness": { scope: "round", path: (t) => `/rounds/${t.round}/completeness` },
  "get /rounds/:id/audit": { scope: "round", path: (t) => `/rounds/${t.round}/audit` },
  "get /rounds/:id/totals/sheets": { scope: "round", path: (t) => `/rounds/${t.round}/totals/sheets` },
  "get /rounds/:id/export.xlsx": { scope: "round", path: (t) => `/rounds/${t.round}/export.xlsx` },
  "get /rounds/:id/export.csv": { scope: "round", path: (t) => `/rounds/${t.round}/export.csv` },
  "get /rounds/:id/submissions/:unit/template.xlsx": { scope: "unit-read", path: (t) => `/rounds/${t.round}/submissions/${t.unit}/template.xlsx` },
  "post /rounds/:id/submissions/:unit/upload": { scope: "unit-write", path: (t) => `/rounds/${t.round}/submissions/${t.unit}/upload`, raw: "not a spreadsheet" },
};

const TABLES = ["units", "users", "templates", "rounds", "round_units", "submissions", "revisions", "revision_values", "totals", "idempotency", "audit"];
const snapshot = async () => Promise.all(TABLES.map(async (t) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n));

async function freshToken(username: string, revoke: "expire" | "revoke" | null = null): Promise<string> {
  const res = await api("/auth/login", { method: "POST", json: { username, password: "demo-password" } });
  const { token } = (await res.json()) as { token: string };
  if (revoke === "revoke") await api("/auth/logout", { method: "POST", token });
  if (revoke === "expire") await env.DB.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE user_id = (SELECT id FROM users WHERE username = ?) AND expires_at > '2001'").bind(username).run();
  return token;
}

const person = (name: string, role: string, username: string, path: string): Actor => ({ name, role, username, path, token: () => login(username) });
const ACTORS: Actor[] = [
  person("admin", "admin", "admin", "/shanxi/jincheng/"),
  person("reviewer", "reviewer", "shenhe", "/shanxi/jincheng/"),
  person("viewer", "viewer", "chakan", "/shanxi/jincheng/"),
  person("reporter of the unit", "reporter", "zezhou", "/shanxi/jincheng/zezhou/"),
  person("reporter of a sibling", "reporter", "gaoping", "/shanxi/jincheng/gaoping/"),
  // the reported unit's own administrator and reviewer: they see their report but never review it
  person("admin of the unit", "admin", "zezhou.admin", "/shanxi/jincheng/zezhou/"),
  person("reviewer of the unit", "reviewer", "zezhou.reviewer", "/shanxi/jincheng/zezhou/"),
  person("admin of another city", "admin", "changzhi.admin", "/shanxi/changzhi/"),
  person("reviewer above both cities", "reviewer", "shanxi.reviewer", "/shanxi/"),
  person("admin of the province", "admin", "shanxi.admin", "/shanxi/"),
  person("reviewer of another city", "reviewer", "changzhi.reviewer", "/shanxi/changzhi/"),
  person("reporter of another city's county", "reporter", "zhangzi.reporter", "/shanxi/changzhi/zhangzi/"),
  // a city whose id differs from changzhi only by case: sees and reviews nothing of changzhi's
  person("admin of a city differing by case", "admin", "case.admin", "/shanxi/ChangZhi/"),
  { name: "signed out", role: null, username: null, path: null, token: async () => undefined },
  { name: "expired token", role: null, username: null, path: null, token: () => freshToken("yangcheng", "expire") },
  { name: "revoked token", role: null, username: null, path: null, token: () => freshToken("qinshui", "revoke") },
];

/** Whether the actor may reach the route for the target (a business-rule refusal still counts as reached). */
function allowed(spec: RouteSpec, sample: Sample, actor: Actor, target: Target): boolean {
  if (spec.roles === "public") return true;
  if (!actor.role || !spec.roles.includes(actor.role as never)) return false;
  const path = actor.path!;
  if (sample.scope === "global") return true;
  // jincheng's template is seen from inside jincheng's tree and from above it
  if (sample.scope === "city") return path.startsWith(OWN.ownerPath) || OWN.ownerPath.startsWith(path);
  // reading one version also to every participant of a round that uses it (issue 22): a unit with
  // an expected unit of such a round in its subtree — here rcz and rprov, with 长子县 (zhangzi) and 高平市
  if (sample.scope === "template") return path.startsWith(OWN.ownerPath) || OWN.ownerPath.startsWith(path) || TEMPLATE_ROUND_EXPECTS.some((p) => p.startsWith(path));
  if (sample.scope === "owner") return OWN.ownerPath.startsWith(path);
  if (sample.scope === "family") return !(path.startsWith(OWN.ownerPath) && path !== OWN.ownerPath);
  if (sample.scope === "draft") return actor.role === "admin" && OWN.ownerPath.startsWith(path);
  // a round is seen by every unit with an expected unit in its subtree (r2025 expects all of jincheng's units)
  if (sample.scope === "round") return target.expectedPaths.some((p) => p.startsWith(path));
  if (sample.scope === "review") return !target.level && reviews(path, target);
  if (sample.scope === "level-submit") return target.level === true && path === target.unitPath;
  if (sample.scope === "level-review") return target.level === true && reviews(path, target);
  if (sample.scope === "round-admin") return target.ownerPath.startsWith(path);
  if (sample.scope === "unit-above") return target.unitPath.startsWith(path) && target.unitPath !== path;
  if (sample.scope === "unit-write") {
    // writing a unit's report: the unit and the units above it — but when the unit reports to a review
    // level (a county under a city in the province's round), only the unit itself and that level
    const parent = target.unitPath.slice(0, target.unitPath.slice(0, -1).lastIndexOf("/") + 1);
    if (path !== target.unitPath && parent !== target.ownerPath && parent.startsWith(target.ownerPath)) return path === parent;
  }
  return target.unitPath.startsWith(path); // a unit's report: that unit and the units above it
}

/** A unit's report or upward submission is reviewed by its parent; when the parent owns the round, by the owner or any unit above it. */
function reviews(path: string, target: Target): boolean {
  const parent = target.unitPath.slice(0, target.unitPath.slice(0, -1).lastIndexOf("/") + 1);
  return parent === target.ownerPath ? target.ownerPath.startsWith(path) : path === parent;
}

beforeAll(async () => {
  await ensureDemo();
  const db = env.DB;
  const now = new Date().toISOString();
  await db.batch([
    insertUnit(db, { id: "changzhi", name: { zh: "长治市", en: "Changzhi" }, level: "city", parentId: "shanxi" }),
    insertUnit(db, { id: "zhangzi", name: { zh: "长子县", en: "Zhangzi" }, level: "county", parentId: "changzhi" }),
    insertUnit(db, { id: "ChangZhi", name: { zh: "长治市（大小写）", en: "ChangZhi" }, level: "city", parentId: "shanxi" }),
  ]);
  for (const [username, role, unitId] of [
    ["changzhi.admin", "admin", "changzhi"], ["zezhou.admin", "admin", "zezhou"], ["zezhou.reviewer", "reviewer", "zezhou"], ["shanxi.reviewer", "reviewer", "shanxi"], ["victim.zezhou", "viewer", "zezhou"], ["victim.zhangzi", "viewer", "zhangzi"],
    ["shanxi.admin", "admin", "shanxi"], ["changzhi.reviewer", "reviewer", "changzhi"], ["zhangzi.reporter", "reporter", "zhangzi"], ["case.admin", "admin", "ChangZhi"],
  ] as const) {
    await insertUser(db, { username, displayName: username, role, unitId, ...(await hashNewPassword("demo-password")) }, now).run();
  }
  // a draft of jincheng's: unpublished work, read and edited only by those who may edit it
  await insertTemplate(db, { ...BUILTIN_TEMPLATE, id: "matrix_draft", version: 1, status: "draft" }, "jincheng", null, now).run();
  await db.batch(insertRound(db, { id: "rcz", templateId: "quality_city_annual", templateVersion: 1, period: "2025", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "changzhi", expectedUnitIds: ["zhangzi"] }, null, now));
  // rounds to close early (one per city)
  await db.batch(insertRound(db, { id: "rclose", templateId: "quality_city_annual", templateVersion: 1, period: "2026", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "jincheng", expectedUnitIds: ["zezhou"] }, null, now));
  await db.batch(insertRound(db, { id: "rczclose", templateId: "quality_city_annual", templateVersion: 1, period: "2026", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "changzhi", expectedUnitIds: ["zhangzi"] }, null, now));
  // the province's rounds, reported level by level through both cities
  for (const id of ["rprov", "rprovclose"]) {
    await db.batch(insertRound(db, { id, templateId: "quality_city_annual", templateVersion: 1, period: id === "rprov" ? "2025" : "2026", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "shanxi", expectedUnitIds: ["zhangzi", "gaoping"] }, null, now));
  }
});

beforeAll(async () => {
  // another city's unit has one revision, so its history and diff exist
  const r = await api("/rounds/rcz/submissions/zhangzi", { method: "PUT", token: await login("changzhi.admin"), json: { values: DEMO_PAST_VALUES.zezhou!, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
  expect(r.status).toBe(201);
  // in the province's round: Changzhi approved its county and submitted upward, so its upward
  // submission has a revision, a history and a diff
  const p = await api("/rounds/rprov/submissions/zhangzi", { method: "PUT", token: await login("zhangzi.reporter"), json: { values: DEMO_PAST_VALUES.zezhou!, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
  expect(p.status).toBe(201);
  expect((await api("/rounds/rprov/submissions/zhangzi/approve", { method: "POST", token: await login("changzhi.admin"), json: {} })).status).toBe(200);
  expect((await api("/rounds/rprov/levels/changzhi/submit", { method: "POST", token: await login("changzhi.admin"), json: {}, headers: { "if-match": '"0"' } })).status).toBe(200);
});

describe("access matrix", () => {
  it("has a rule for every route in the route table", () => {
    const missing = ROUTES.map((r) => `${r.method} ${r.path}`).filter((k) => !SAMPLES[k]);
    expect(missing).toEqual([]);
  });

  it("lets exactly the allowed cells through; every other is 401/403/404 and changes nothing", async () => {
    let tried = 0;
    let held = 0;
    const failures: string[] = [];
    for (const spec of ROUTES) {
      const main = SAMPLES[`${spec.method} ${spec.path}`]!;
      if (main.scope === "public") continue;
      for (const sample of [main, ...(main.also ?? [])]) for (const actor of ACTORS) {
        const targets = sample.targets ?? (sample.scope === "global" || sample.scope === "city" ? [OWN] : spec.path.startsWith("/rounds/:id") ? ROUND_TARGETS : [OWN, OTHER_CITY]);
        for (const target of targets) {
          // logout ends the session it is called with, so it gets a session of its own
          const token = spec.path === "/auth/logout" && actor.username ? await freshToken(actor.username) : await actor.token();
          const before = await snapshot();
          const res = await api(sample.path(target), {
            method: spec.method.toUpperCase(), ...(token ? { token } : {}),
            ...(sample.raw !== undefined ? { body: sample.raw, headers: { "content-type": "application/octet-stream", "if-match": '"0"' } } : sample.body ? { json: sample.body(++n, target), headers: { "if-match": '"0"' } } : {}),
          });
          const should = allowed(spec, sample, actor, target);
          const code = res.status >= 400 ? ErrorBodySchema.parse(await res.json()).error.code : null;
          const refused = code === "unauthenticated" || code === "forbidden" || code === "not_found";
          tried++;
          const ok = should ? !refused && res.status < 500 : refused && [401, 403, 404].includes(res.status) && JSON.stringify(await snapshot()) === JSON.stringify(before);
          if (ok) held++;
          else failures.push(`${spec.method.toUpperCase()} ${sample.path(target)} as ${actor.name}: ${res.status} ${code ?? ""} (expected ${should ? "allowed" : "refused"})`);
        }
      }
    }
    console.log(`access matrix: ${tried} cases tried, ${held} held`);
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(1500);
  }, 300_000);
});
