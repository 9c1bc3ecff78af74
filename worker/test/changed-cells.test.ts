// A revision stores only the cells that changed (issue 23): D1 rows written per submission grow with
// the cells that changed, not with the size of the form. revision_values is a change log (tombstones
// for blanks), current_values the current revision's figures; every old revision still reads exactly
// as submitted, before and after migration 0014, and the integrity check replays the log.
import { beforeAll, describe, expect, it } from "vitest";
import { applyD1Migrations, reset, type D1Migration } from "cloudflare:test";
import {
  DEMO_PAST_VALUES, RevisionDiffSchema, TemplateSchema, compileTemplate, countedIn, countersOf, levelValuesOf, syntheticTemplate,
  type Counters, type ReportState, type Values,
} from "@tianbao/shared";
import { app } from "../src/app";
import { hashNewPassword } from "../src/auth/password";
import { DEMO_PASSWORD, seedProvinceDemo } from "../src/demo/seed";
import { checkIntegrity } from "../src/integrity/d1";
import { readRevisionValues } from "../src/db/submissions";
import { api, builtinCompiled, ensureDemo, env, json, login } from "./helpers";

const MIGRATIONS = (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS;
const NOW = "2026-01-01T00:00:00.000Z";
let admin = "";

// ---------------------------------------------------------------------------------------------
// Migration 0014 on a database built by 0001–0013 holding data in the old format: every revision a full
// snapshot (blanks absent), the current values nowhere but there. This file's D1 is its own (each test
// file runs in a fresh Miniflare), so it is emptied and rebuilt at 0013 before anything else runs.

const mig = TemplateSchema.parse({ ...syntheticTemplate(5, "mig5"), status: "published" });
const migCompiled = (() => { const r = compileTemplate(mig); if (!r.ok) throw new Error("template"); return r.compiled; })();
const PATHS: Record<string, string> = { mp: "/mp/", mc: "/mp/mc/", mk1: "/mp/mc/mk1/", mk2: "/mp/mc/mk2/", mk3: "/mp/mk3/" };
// i0, i1 counts, i2 yes/no, i3 an amount (2 decimals), i4 derived. Each report blanks a value and one types it again.
const REPORTS: Record<string, { state: ReportState; seq: number; revisions: Values[] }> = {
  mk1: { state: "approved", seq: 6, revisions: [{ i0: 5, i1: 7, i2: true, i3: "2.50" }, { i0: 6, i1: 7, i2: true }, { i0: 6, i1: 7, i3: "1.25" }] },
  mk2: { state: "approved", seq: 2, revisions: [{ i0: 3, i3: "0.75" }] },
  mk3: { state: "submitted", seq: 2, revisions: [{ i0: 1, i1: 2, i2: false }, { i0: 1, i2: false }] },
};
const sum = (...cs: Counters[]): Counters => {
  const out: Counters = new Map();
  for (const c of cs) for (const [k, v] of c) out.set(k, (out.get(k) ?? 0n) + v);
  return out;
};
const counters = (unit: string, revision: number) => countersOf(migCompiled, REPORTS[unit]!.revisions[revision - 1]!);
// the city froze mk1's second revision with mk2, was returned, and froze mk1's third: i2's counters went blank
const LEVEL_REVISIONS: Values[] = [levelValuesOf(sum(counters("mk1", 2), counters("mk2", 1))), levelValuesOf(sum(counters("mk1", 3), counters("mk2", 1)))];

/** Every table and row gone, then the migrations before 0014. */
async function rebuildAt0013() {
  await reset();
  // whatever reset() leaves of the schema goes too
  const left = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  for (const { name } of left.results) await env.DB.prepare(`DROP TABLE "${name}"`).run();
  await applyD1Migrations(env.DB, MIGRATIONS.filter((m) => m.name < "0014"));
  expect(await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'current_values'").first()).toBeNull();
}

/** The old format, as the Worker wrote it before 0014: rows straight into the tables. */
async function writeOldFormat() {
  const db = env.DB;
  const units = [["mp", "province", null], ["mc", "city", "mp"], ["mk1", "county", "mc"], ["mk2", "county", "mc"], ["mk3", "county", "mp"]] as const;
  const pw = await hashNewPassword(DEMO_PASSWORD);
  const statements: D1PreparedStatement[] = [
    ...units.map(([id, level, parent]) => db.prepare("INSERT INTO units (id, name_zh, name_en, level, parent_id, path) VALUES (?, ?, ?, ?, ?, ?)").bind(id, `迁移${id}`, id, level, parent, PATHS[id]!)),
    db.prepare("INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at) VALUES ('migadmin', '迁移管理员', 'admin', 'mp', ?, ?, ?, ?, ?)")
      .bind(pw.hash, pw.salt, pw.iterations, NOW, NOW),
    db.prepare("INSERT INTO templates (id, code, version, status, body, owner_unit_id, created_at, published_at) VALUES ('mig5', 'mig5', 1, 'published', ?, 'mp', ?, ?)").bind(JSON.stringify(mig), NOW, NOW),
    db.prepare("INSERT INTO rounds (id, template_id, template_version, period, deadline, owner_unit_id, created_at) VALUES ('rmig', 'mig5', 1, '2049', '2099-01-01T00:00:00+08:00', 'mp', ?)").bind(NOW),
    ...Object.keys(REPORTS).map((u) => db.prepare("INSERT INTO round_units (round_id, unit_id) VALUES ('rmig', ?)").bind(u)),
    db.prepare("INSERT INTO round_levels (round_id, unit_id, state, revision, seq, first_submitted_at, updated_at) VALUES ('rmig', 'mc', 'submitted', 2, 3, ?, ?)").bind(NOW, NOW),
  ];
  const revision = (unit: string, n: number, values: Values, kind: string) => [
    db.prepare("INSERT INTO revisions (round_id, unit_id, revision, comments, submitted_by, submitted_at, kind) VALUES ('rmig', ?, ?, '{}', (SELECT id FROM users WHERE username = 'migadmin'), ?, ?)").bind(unit, n, NOW, kind),
    // the old insertRevision: one row per reported value, blanks absent
    db.prepare(`INSERT INTO revision_values (round_id, unit_id, revision, indicator, value)
      SELECT 'rmig', ?1, ?2, key, CASE type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_quote(value) END FROM json_each(?3) WHERE type <> 'null'`).bind(unit, n, JSON.stringify(values)),
  ];
  const audit = (unit: string, seq: number) => Array.from({ length: seq }, (_, i) =>
    db.prepare("INSERT INTO audit (at, action, round_id, unit_id, seq) VALUES (?, 'submit', 'rmig', ?, ?)").bind(NOW, unit, i + 1));
  for (const [unit, r] of Object.entries(REPORTS)) {
    statements.push(...r.revisions.flatMap((v, i) => revision(unit, i + 1, v, "report")), ...audit(unit, r.seq));
    statements.push(db.prepare("INSERT INTO submissions (round_id, unit_id, state, revision, first_submitted_at, updated_at, seq) VALUES ('rmig', ?, ?, ?, ?, ?, ?)")
      .bind(unit, r.state, r.revisions.length, NOW, NOW, r.seq));
  }
  statements.push(...LEVEL_REVISIONS.flatMap((v, i) => revision("mc", i + 1, v, "level")), ...audit("mc", 3));
  // the totals the old submit and review paths kept, from each report's current figures
  const totals = new Map<string, Counters>();
  for (const [unit, r] of Object.entries(REPORTS)) {
    const c = counters(unit, r.revisions.length);
    const counted = countedIn(PATHS[unit]!, r.state, (id) => (id === "mc" ? "submitted" : undefined));
    for (const a of counted.standing) totals.set(`${a}\u0000standing`, sum(totals.get(`${a}\u0000standing`) ?? new Map(), c));
    for (const a of counted.accepted) totals.set(`${a}\u0000approved`, sum(totals.get(`${a}\u0000approved`) ?? new Map(), c));
  }
  for (const [k, c] of totals) {
    const [unit, basis] = k.split("\u0000");
    for (const [key, v] of c) statements.push(db.prepare("INSERT INTO totals (round_id, unit_id, basis, key, value) VALUES ('rmig', ?, ?, ?, CAST(? AS INTEGER))").bind(unit, basis, key, v.toString()));
  }
  await db.batch(statements);
}

const totalsRows = async () => (await env.DB.prepare("SELECT unit_id, basis, key, CAST(value AS TEXT) AS value FROM totals WHERE round_id = 'rmig' ORDER BY 1, 2, 3").all()).results;
let totalsBefore: unknown[] = [];
let problemsBefore: string[] = [];

beforeAll(async () => {
  await rebuildAt0013();
  await writeOldFormat();
  totalsBefore = await totalsRows();
  await applyD1Migrations(env.DB, MIGRATIONS);
  problemsBefore = (await checkIntegrity(env.DB, "/mp/", new Date())).problems.map((p) => `${p.unitId}: ${p.message.en}`);
  await ensureDemo();
  admin = await login("admin");
});

describe("migration 0014 on data in the old format", () => {
  it("keeps every old revision as it was (a full snapshot), and reads each exactly as submitted, blanks blank", async () => {
    const forms = await env.DB.prepare("SELECT DISTINCT values_form FROM revisions WHERE round_id = 'rmig'").all<{ values_form: string }>();
    expect(forms.results.map((r) => r.values_form)).toEqual(["full"]);
    for (const [unit, r] of Object.entries(REPORTS)) {
      for (const [i, v] of r.revisions.entries()) expect(await readRevisionValues(env.DB, "rmig", unit, i + 1), `${unit} r${i + 1}`).toEqual(v);
    }
    for (const [i, v] of LEVEL_REVISIONS.entries()) expect(await readRevisionValues(env.DB, "rmig", "mc", i + 1), `mc r${i + 1}`).toEqual(v);
    expect(LEVEL_REVISIONS[0]).toHaveProperty("i2#yes");
    expect(LEVEL_REVISIONS[1]).not.toHaveProperty("i2#yes");
  });

  it("builds the current values from every report's and level's current revision; totals are untouched and the check finds nothing", async () => {
    const current = await env.DB.prepare("SELECT unit_id, indicator, value FROM current_values WHERE round_id = 'rmig'").all<{ unit_id: string; indicator: string; value: string }>();
    const byUnit: Record<string, Values> = {};
    for (const r of current.results) (byUnit[r.unit_id] ??= {})[r.indicator] = JSON.parse(r.value) as Values[string];
    expect(byUnit).toEqual({ ...Object.fromEntries(Object.entries(REPORTS).map(([u, r]) => [u, r.revisions.at(-1)])), mc: LEVEL_REVISIONS[1] });
    expect(await totalsRows()).toEqual(totalsBefore);
    expect(problemsBefore).toEqual([]);
  });

  it("a report stored in full goes on as a change log: a value blanked before and typed again is one row, and every revision still reads", async () => {
    const token = await login("migadmin");
    const next = { i0: 1, i1: 4, i2: false };
    const res = await api("/rounds/rmig/submissions/mk3", { method: "PUT", token, json: { values: next, acknowledgeWarnings: true }, headers: { "if-match": '"2"' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const logged = await env.DB.prepare("SELECT indicator, value FROM revision_values WHERE round_id = 'rmig' AND unit_id = 'mk3' AND revision = 3").all();
    expect(logged.results).toEqual([{ indicator: "i1", value: "4" }]);
    expect(await readRevisionValues(env.DB, "rmig", "mk3", 1)).toEqual(REPORTS.mk3!.revisions[0]);
    expect(await readRevisionValues(env.DB, "rmig", "mk3", 2)).toEqual(REPORTS.mk3!.revisions[1]);
    expect(await readRevisionValues(env.DB, "rmig", "mk3", 3)).toEqual(next);
    const diff = async (from: number, to: number) => RevisionDiffSchema.parse(await json(await api(`/rounds/rmig/submissions/mk3/diff?from=${from}&to=${to}`, { token }))).changes;
    expect(await diff(2, 3)).toEqual([{ indicator: "i1", before: null, after: 4 }]);
    expect(await diff(1, 3)).toEqual([{ indicator: "i1", before: 2, after: 4 }]);
    expect(await diff(1, 2)).toEqual([{ indicator: "i1", before: 2, after: null }]);
    expect((await checkIntegrity(env.DB, "/mp/", new Date())).problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rows written per submission: a form of 200 and one of 2,000 cells (a grid of n rows × 10 columns).

const grid = (id: string, rows: number) => ({
  id, name: { zh: `表格${rows * 10}`, en: `Grid ${rows * 10}` }, periodType: "annual",
  sections: [{ code: "s1", name: { zh: "基本", en: "Basics" } }],
  indicators: [{ code: "head", section: "s1", kind: "count", name: { zh: "人数", en: "Staff" } }],
  form: { tables: [
    { kind: "list", code: "basic", formNo: "1表", name: { zh: "基本", en: "Basics" }, sections: ["s1"] },
    { kind: "grid", code: "g", formNo: "2表", name: { zh: "明细", en: "Detail" }, required: false,
      rows: Array.from({ length: rows }, (_, r) => ({ code: `r${r}`, name: { zh: `行${r}`, en: `Row ${r}` } })),
      columns: Array.from({ length: 10 }, (_, k) => (k % 2 === 0
        ? { code: `c${k}`, name: { zh: `列${k}`, en: `Col ${k}` }, kind: "count" }
        : { code: `c${k}`, name: { zh: `列${k}`, en: `Col ${k}` }, kind: "amount", unit: "万元", decimals: 2 })) },
  ] },
});
const filled = (rows: number): Values => {
  const v: Values = { head: 7 };
  for (let r = 0; r < rows; r++) for (let k = 0; k < 10; k++) v[`g_r${r}_c${k}`] = k % 2 === 0 ? r * 10 + k : `${r}.${k}5`;
  return v;
};

/** A request through the Worker with the bench's D1 meter on: the rows D1 reports read and written. */
async function metered(path: string, init: { method: string; token: string; json?: unknown; headers?: Record<string, string> }) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${init.token}`);
  headers.set("content-type", "application/json");
  const res = await app.fetch(new Request(`http://tianbao.test/api${path}`, { method: init.method, headers, body: JSON.stringify(init.json ?? {}) }), { ...env, D1_METER: "on" });
  return { res, written: Number(res.headers.get("x-d1-rows-written")), read: Number(res.headers.get("x-d1-rows-read")) };
}
async function publish(template: { id: string }) {
  const res = await api("/templates", { method: "POST", token: admin, json: { template } });
  expect(res.status, await res.clone().text()).toBe(201);
  expect((await api(`/templates/${template.id}/1/publish`, { method: "POST", token: admin, json: {} })).status).toBe(200);
}
/** A county of its own reporting a form of rows × 10 cells in a round of its own. */
async function gridRound(rows: number) {
  const unit = `cc${rows}`;
  await publish(grid(`ccgrid${rows}`, rows));
  expect((await api("/units", { method: "POST", token: admin, json: { id: unit, name: { zh: `格${rows}`, en: unit }, level: "county", parentId: "jincheng" } })).status).toBe(201);
  const r = await api("/rounds", { method: "POST", token: admin, json: { id: `rcc${rows}`, templateId: `ccgrid${rows}`, templateVersion: 1, period: "2050", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: [unit] } });
  expect(r.status, await r.clone().text()).toBe(201);
  let revision = 0;
  const submit = async (values: Values, status = revision === 0 ? 201 : 200) => {
    const m = await metered(`/rounds/rcc${rows}/submissions/${unit}`, { method: "PUT", token: admin, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${revision}"` } });
    expect(m.res.status, await m.res.clone().text()).toBe(status);
    revision++;
    return m;
  };
  return { round: `rcc${rows}`, unit, submit };
}

describe("rows written per submission (issue 23)", () => {
  const measured: Record<number, { first: number; one: number; five: number; blank: number }> = {};
  beforeAll(async () => {
    for (const rows of [20, 200]) {
      const g = await gridRound(rows);
      const v = filled(rows);
      const first = await g.submit(v);
      const one = await g.submit({ ...v, g_r3_c2: 999 });
      const five = await g.submit({ ...v, g_r3_c2: 999, g_r4_c0: 1, g_r5_c0: 2, g_r6_c0: 3, g_r7_c0: 4, g_r8_c0: 5 });
      const blank = await g.submit({ ...v, g_r3_c2: 999, g_r4_c0: 1, g_r5_c0: 2, g_r6_c0: 3, g_r7_c0: 4, g_r8_c0: 5, g_r9_c1: null });
      measured[rows * 10] = { first: first.written, one: one.written, five: five.written, blank: blank.written };
    }
    console.log(`rows written: ${JSON.stringify(measured)}`);
  });

  it("a resubmission that corrects one figure writes a small constant, the same for a form of 200 cells and of 2,000", () => {
    // before: ≈ 2 rows per cell of the form (4,013 at 2,000 cells, 413 at 200)
    expect(measured[2000]!.one).toBe(measured[200]!.one);
    expect(measured[2000]!.one).toBeLessThanOrEqual(20);
  });

  it("grows with the cells that changed, not with the form", () => {
    for (const n of [200, 2000]) {
      // 4 more changed cells: each a log row, a current value and one counter per ancestor
      expect(measured[n]!.five - measured[n]!.one).toBeLessThanOrEqual(4 * 12);
      expect(measured[n]!.blank - measured[n]!.one).toBeLessThanOrEqual(5 * 12);
    }
    expect(measured[2000]!.five).toBe(measured[200]!.five);
    expect(measured[2000]!.blank).toBe(measured[200]!.blank);
    // a first submission writes every value once to the log and once to the current values (and its counters)
    expect(measured[2000]!.first).toBeGreaterThan(3 * 2000);
  });

  it("keeps the log to the changes, and every revision reads as submitted", async () => {
    const rows = await env.DB.prepare("SELECT revision, COUNT(*) AS n FROM revision_values WHERE round_id = 'rcc200' AND unit_id = 'cc200' GROUP BY revision ORDER BY revision").all<{ revision: number; n: number }>();
    expect(rows.results).toEqual([{ revision: 1, n: 2001 }, { revision: 2, n: 1 }, { revision: 3, n: 5 }, { revision: 4, n: 1 }]);
    const v = filled(200);
    expect(await readRevisionValues(env.DB, "rcc200", "cc200", 1)).toEqual(v);
    expect(await readRevisionValues(env.DB, "rcc200", "cc200", 2)).toEqual({ ...v, g_r3_c2: 999 });
    const r4 = await readRevisionValues(env.DB, "rcc200", "cc200", 4);
    expect(r4).not.toHaveProperty("g_r9_c1");
    expect(r4.g_r8_c0).toBe(5);
    expect(Object.keys(r4)).toHaveLength(2000);
  });
});

// ---------------------------------------------------------------------------------------------
// Blanks, re-typed values, the diff, racing and retried submissions, on the demo's report.

describe("a report's revisions as a change log", () => {
  // the built-in template's one optional input (说明, free text) can be blanked and typed again
  const optional = builtinCompiled().template.indicators.find((i) => !i.required && i.kind !== "derived")!.code;
  const base = { ...DEMO_PAST_VALUES.chengqu!, [optional]: "初报说明" };
  let token = "";
  const put = (values: Values, revision: number, headers: Record<string, string> = {}) =>
    api("/rounds/r2025/submissions/chengqu", { method: "PUT", token, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${revision}"`, ...headers } });
  const current = async () => {
    const { results } = await env.DB.prepare("SELECT indicator, value FROM current_values WHERE round_id = 'r2025' AND unit_id = 'chengqu'").all<{ indicator: string; value: string }>();
    return Object.fromEntries(results.map((r) => [r.indicator, JSON.parse(r.value) as Values[string]]));
  };
  const log = async (revision: number) =>
    (await env.DB.prepare("SELECT indicator, value FROM revision_values WHERE round_id = 'r2025' AND unit_id = 'chengqu' AND revision = ? ORDER BY indicator").bind(revision).all()).results;
  beforeAll(async () => { token = await login("chengqu"); });

  it("a value blanked in revision 2 reads blank there and present in revision 1; typed again in revision 3 it is back", async () => {
    expect((await put(base, 0)).status).toBe(201);
    const blanked = { ...base, [optional]: null };
    expect((await put(blanked, 1)).status).toBe(200);
    expect(await log(2)).toEqual([{ indicator: optional, value: "null" }]);
    expect(await current()).not.toHaveProperty(optional);
    expect(await readRevisionValues(env.DB, "r2025", "chengqu", 1)).toHaveProperty(optional, base[optional]);
    expect(await readRevisionValues(env.DB, "r2025", "chengqu", 2)).not.toHaveProperty(optional);
    const view = await json<{ values: Values }>(await api("/rounds/r2025/submissions/chengqu", { token }));
    expect(view.values).not.toHaveProperty(optional);
    const again = { ...base, [optional]: "再报说明" };
    expect((await put(again, 2)).status).toBe(200);
    expect(await log(3)).toEqual([{ indicator: optional, value: '"再报说明"' }]);
    expect(await readRevisionValues(env.DB, "r2025", "chengqu", 2)).not.toHaveProperty(optional);
    expect(await readRevisionValues(env.DB, "r2025", "chengqu", 3)).toEqual(again);
    expect(await current()).toEqual(again);
    const diff = async (from: number, to: number) => RevisionDiffSchema.parse(await json(await api(`/rounds/r2025/submissions/chengqu/diff?from=${from}&to=${to}`, { token }))).changes;
    expect(await diff(1, 2)).toEqual([{ indicator: optional, before: base[optional], after: null }]);
    expect(await diff(2, 3)).toEqual([{ indicator: optional, before: null, after: "再报说明" }]);
    expect(await diff(1, 3)).toEqual([{ indicator: optional, before: "初报说明", after: "再报说明" }]);
    expect(await diff(3, 3)).toEqual([]);
  });

  it("the same figures again log nothing but the revision", async () => {
    expect((await put({ ...base, [optional]: "再报说明" }, 3)).status).toBe(200);
    expect(await log(4)).toEqual([]);
    expect(await readRevisionValues(env.DB, "r2025", "chengqu", 4)).toEqual({ ...base, [optional]: "再报说明" });
  });

  it("two racing corrections from the same revision: one lands with its own change only; a retry with its key replays and writes nothing", async () => {
    const products = base.products as number;
    const latest = { ...base, [optional]: "再报说明" };
    const [a, b] = await Promise.all([
      put({ ...latest, products: products + 1 }, 4, { "idempotency-key": "chengqu-race-a" }),
      put({ ...latest, products: products + 2 }, 4, { "idempotency-key": "chengqu-race-b" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const won = a.status === 200 ? products + 1 : products + 2;
    // the log holds the winner's change and nothing of the other's
    expect(await log(5)).toEqual([{ indicator: "products", value: String(won) }]);
    expect(await current()).toEqual({ ...latest, products: won });
    const rows = async () => (await env.DB.prepare("SELECT (SELECT COUNT(*) FROM revision_values) + (SELECT COUNT(*) FROM current_values) + (SELECT COUNT(*) FROM revisions) AS n").first<{ n: number }>())!.n;
    const before = await rows();
    const retry = await put({ ...latest, products: won }, 4, { "idempotency-key": won === products + 1 ? "chengqu-race-a" : "chengqu-race-b" });
    expect(retry.status).toBe(200);
    expect(await json(retry)).toMatchObject({ revision: 5, replayed: true });
    expect(await rows()).toBe(before);
    expect((await checkIntegrity(env.DB, "/", new Date())).problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A review level's frozen counters: its second upward submission logs what moved below it.

describe("a level's frozen counters as a change log", () => {
  const compiled = builtinCompiled();
  // only zezhou writes a 说明: its counter (how many reported one) vanishes from the city's figures when zezhou blanks it
  const optional = compiled.template.indicators.find((i) => !i.required && i.kind !== "derived")!.code;
  const zz = { ...DEMO_PAST_VALUES.zezhou!, [optional]: "说明" };
  const gp = { ...DEMO_PAST_VALUES.gaoping! };
  const post = (path: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) => api(path, { method: "POST", token, json: body, headers });
  const submit = async (unit: string, values: Values, revision: number) =>
    api(`/rounds/lv1/submissions/${unit}`, { method: "PUT", token: await login(unit), json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${revision}"` } });
  const currentOf = async (unit: string) => {
    const { results } = await env.DB.prepare("SELECT indicator, value FROM current_values WHERE round_id = 'lv1' AND unit_id = ?").bind(unit).all<{ indicator: string; value: string }>();
    return Object.fromEntries(results.map((r) => [r.indicator, JSON.parse(r.value) as Values[string]]));
  };

  it("logs only the counters a county's correction moved, blanks as tombstones; both revisions read as frozen", async () => {
    await seedProvinceDemo(env.DB);
    const [province, city, cityReviewer] = await Promise.all([login("sheng"), login("admin"), login("shenhe")]);
    expect((await post("/rounds", province, { id: "lv1", templateId: "quality_city_annual", templateVersion: 1, period: "2051", deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: ["zezhou", "gaoping"] })).status).toBe(201);
    expect((await submit("zezhou", zz, 0)).status).toBe(201);
    expect((await submit("gaoping", gp, 0)).status).toBe(201);
    for (const u of ["zezhou", "gaoping"]) expect((await post(`/rounds/lv1/submissions/${u}/approve`, cityReviewer)).status).toBe(200);
    expect((await post("/rounds/lv1/levels/jincheng/submit", city, {}, { "if-match": '"0"' })).status).toBe(200);
    const frozen1 = await currentOf("jincheng");
    expect(frozen1).toHaveProperty(`${optional}#n`, "1");
    expect((await post("/rounds/lv1/levels/jincheng/return", province, { comment: "请核实" })).status).toBe(200);
    expect((await post("/rounds/lv1/reopen", city, { unitId: "zezhou" })).status).toBe(200);
    expect(zz.products).not.toBe(501);
    expect((await submit("zezhou", { ...zz, products: 501, [optional]: null }, 1)).status).toBe(200);
    expect((await post("/rounds/lv1/submissions/zezhou/approve", cityReviewer)).status).toBe(200);
    const again = await metered("/rounds/lv1/levels/jincheng/submit", { method: "POST", token: city, json: {}, headers: { "if-match": '"1"' } });
    expect(again.res.status, await again.res.clone().text()).toBe(200);
    const logged = (await env.DB.prepare("SELECT indicator, value FROM revision_values WHERE round_id = 'lv1' AND unit_id = 'jincheng' AND revision = 2 ORDER BY indicator").all<{ indicator: string; value: string }>()).results;
    expect(logged).toEqual([{ indicator: "products", value: expect.any(String) }, { indicator: `${optional}#n`, value: "null" }]);
    expect(again.written).toBeLessThan(40);
    // the approved counters at the city, frozen as the batch committed
    const approved = (await env.DB.prepare("SELECT key, CAST(value AS TEXT) AS value FROM totals WHERE round_id = 'lv1' AND unit_id = 'jincheng' AND basis = 'approved' AND value <> 0").all<{ key: string; value: string }>()).results;
    const frozen2 = Object.fromEntries(approved.map((r) => [r.key, r.value]));
    expect(await currentOf("jincheng")).toEqual(frozen2);
    expect(await readRevisionValues(env.DB, "lv1", "jincheng", 1)).toEqual(frozen1);
    expect(await readRevisionValues(env.DB, "lv1", "jincheng", 2)).toEqual(frozen2);
    const diff = RevisionDiffSchema.parse(await json(await api("/rounds/lv1/submissions/jincheng/diff?from=1&to=2", { token: province }))).changes;
    expect(diff.map((d) => d.indicator)).toContain("products");
    expect((await post("/rounds/lv1/levels/jincheng/approve", province)).status).toBe(200);
    const atProvince = (await env.DB.prepare("SELECT key, CAST(value AS TEXT) AS value FROM totals WHERE round_id = 'lv1' AND unit_id = 'shanxi' AND basis = 'approved' AND value <> 0").all<{ key: string; value: string }>()).results;
    expect(Object.fromEntries(atProvince.map((r) => [r.key, r.value]))).toEqual(frozen2);
    expect((await checkIntegrity(env.DB, "/", new Date())).problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The integrity check's new invariant: the current values are the change log replayed.

describe("the integrity check replays the change log", () => {
  const problems = async () => (await checkIntegrity(env.DB, "/", new Date())).problems.map((p) => `[${p.kind}] ${p.roundId} ${p.unitId}: ${p.message.en}`);

  it("names the unit and indicator whose current value differs from its revisions, one that is missing, and one that is extra", async () => {
    expect(await problems()).toEqual([]);
    const row = (await env.DB.prepare("SELECT indicator, value FROM current_values WHERE round_id = 'rmig' AND unit_id = 'mk1' AND indicator = 'i0'").first<{ indicator: string; value: string }>())!;
    await env.DB.prepare("UPDATE current_values SET value = '60' WHERE round_id = 'rmig' AND unit_id = 'mk1' AND indicator = 'i0'").run();
    await env.DB.prepare("DELETE FROM current_values WHERE round_id = 'rmig' AND unit_id = 'mc' AND indicator = 'i0'").run();
    await env.DB.prepare("INSERT INTO current_values (round_id, unit_id, indicator, value) VALUES ('rmig', 'mk3', 'i3', '\"9.00\"'), ('rmig', 'mp', 'i0', '1')").run();
    const found = await problems();
    await env.DB.prepare("UPDATE current_values SET value = ? WHERE round_id = 'rmig' AND unit_id = 'mk1' AND indicator = 'i0'").bind(row.value).run();
    await env.DB.prepare("INSERT INTO current_values (round_id, unit_id, indicator, value) SELECT round_id, unit_id, indicator, value FROM revision_values WHERE round_id = 'rmig' AND unit_id = 'mc' AND revision = 2 AND indicator = 'i0'").run();
    await env.DB.prepare("DELETE FROM current_values WHERE round_id = 'rmig' AND ((unit_id = 'mk3' AND indicator = 'i3') OR unit_id = 'mp')").run();
    expect(found).toEqual(expect.arrayContaining([
      "[submission] rmig mk1: the current values hold 60 for indicator 'i0', but replaying the revisions up to revision 3 gives 6",
      expect.stringMatching(/^\[submission\] rmig mc: the current values hold blank for indicator 'i0', but replaying the revisions up to revision 2 gives "\d+"$/),
      "[submission] rmig mk3: the current values hold \"9.00\" for indicator 'i3', but replaying the revisions up to revision 3 gives blank",
      "[submission] rmig mp: holds current values but has no submitted revision in this round",
    ]));
    expect(await problems()).toEqual([]);
  });
});
