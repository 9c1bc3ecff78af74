// Review of issue 24 (time in the form: 上年同期, 同比增长, 1–N月累计), second reviewer. Written from the
// source and the issue alone: an attacker, a careless official and a city reviewer try to make a growth
// rate, a 上年同期 or a 累计 come out wrong, or the integrity check complain after legitimate work.
// "HELD: …" the product behaves right; "FINDING (severity): … expected X, actual Y" asserts the correct
// behaviour (marked it.fails while open; all eight found were fixed and pass). Periods 2100–2199, templates and rounds r24b_*.
/* eslint-disable @typescript-eslint/no-explicit-any -- the API's JSON answers of many shapes are read loosely here */
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { beforeAll, describe, expect, it } from "vitest";
import { api, ensureDemo, env, json, login } from "./helpers";
import { checkIntegrity } from "../src/integrity/d1";
import { seedProvinceDemo } from "../src/demo/seed";

const DL = "2099-12-31T23:59:59+08:00";
const t = (zh: string, en: string) => ({ zh, en });
const USER: Record<string, string> = { zezhou: "zezhou", gaoping: "gaoping", yangcheng: "yangcheng", qinshui: "qinshui", lingchuan: "lingchuan", chengqu: "chengqu", jincheng_self: "shibenji", zhangzi: "zhangzi", tunliu: "tunliu", xiangyuan: "xiangyuan", qinyuan: "qinyuan" };
let admin = "";

// ------------------------------------------------------------------------------------------ helpers
interface TplOpts { yoy?: boolean; decimals?: number; outMax?: string; withFirms?: boolean; rules?: any[]; periodType?: string; extra?: any[] }
/** A small list form: 产值 out (万元, decimals 1 by default, a loss allowed) and 企业数 firms, with 同比 columns. */
function tpl(id: string, o: TplOpts = {}): any {
  const indicators: any[] = [
    { code: "out", section: "s", kind: "amount", unit: "万元", decimals: o.decimals ?? 1, required: false, min: "-100000000", ...(o.outMax ? { max: o.outMax } : {}), name: t("工业总产值", "Output") },
    ...(o.withFirms === false ? [] : [{ code: "firms", section: "s", kind: "count", unit: "家", required: false, name: t("企业数", "Firms") }]),
    ...(o.extra ?? []),
  ];
  return {
    id, periodType: o.periodType ?? "annual", name: t(`复核24b ${id}`, `Review 24b ${id}`),
    sections: [{ code: "s", name: t("主要指标", "Main") }],
    indicators, rules: o.rules ?? [],
    form: { tables: [{ kind: "list", code: "main", formNo: "复24表", name: t("主要指标", "Main"), sections: ["s"], yoy: o.yoy ?? true }] },
  };
}

async function createTemplate(body: any, token = admin): Promise<{ id: string; version: number }> {
  const res = await api("/templates", { method: "POST", token, json: { template: body } });
  const b = await json<any>(res);
  expect(res.status, JSON.stringify(b)).toBe(201);
  const pub = await api(`/templates/${b.id}/${b.version}/publish`, { method: "POST", token });
  expect(pub.status, await pub.clone().text()).toBe(200);
  return { id: b.id, version: b.version };
}

async function openRound(id: string, tp: { id: string; version: number }, period: string, units: string[], token = admin, extra: any = {}): Promise<void> {
  const res = await api("/rounds", { method: "POST", token, json: { id, templateId: tp.id, templateVersion: tp.version, period, deadline: DL, expectedUnitIds: units, ...extra } });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function get(round: string, unit: string, token = admin): Promise<any> {
  const res = await api(`/rounds/${round}/submissions/${unit}`, { token });
  return res.status === 200 ? res.json() : null;
}

async function put(round: string, unit: string, values: Record<string, unknown>, o: { token?: string; ifMatch?: string; raw?: any } = {}): Promise<{ status: number; body: any }> {
  const ifMatch = o.ifMatch ?? String((await get(round, unit))?.revision ?? 0);
  const res = await api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: o.token ?? await login(USER[unit]!), headers: { "if-match": `"${ifMatch}"` }, json: o.raw ?? { values, acknowledgeWarnings: true } });
  return { status: res.status, body: await res.json() };
}
async function putOk(round: string, unit: string, values: Record<string, unknown>): Promise<any> {
  const r = await put(round, unit, values);
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  return r.body;
}

async function review(round: string, unit: string, action: "approve" | "return", token = admin, comment = "请核实"): Promise<{ status: number; body: any }> {
  const res = await api(`/rounds/${round}/submissions/${unit}/${action}`, { method: "POST", token, json: action === "return" ? { comment } : {} });
  return { status: res.status, body: await res.json() };
}
async function approveOk(round: string, unit: string, token = admin): Promise<any> {
  const r = await review(round, unit, "approve", token);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
async function reopen(round: string, unit: string, token = admin): Promise<void> {
  const res = await api(`/rounds/${round}/reopen`, { method: "POST", token, json: { unitId: unit, reason: "更正" } });
  expect(res.status, await res.clone().text()).toBe(200);
}
/** Reopen, correct and approve again: the careless official's year-later correction. */
async function correct(round: string, unit: string, values: Record<string, unknown>, token = admin): Promise<any> {
  await reopen(round, unit, token);
  await putOk(round, unit, values);
  return approveOk(round, unit, token);
}

async function totals(round: string, o: { unit?: string; basis?: string; token?: string } = {}): Promise<any> {
  const q = new URLSearchParams({ ...(o.unit ? { unit: o.unit } : {}), ...(o.basis ? { basis: o.basis } : {}) });
  const res = await api(`/rounds/${round}/totals?${q}`, { token: o.token ?? admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}
const fig = (tot: any, code: string) => (tot.totals ?? tot).indicators[code];
const childFig = (tot: any, unit: string, code: string) => tot.children.find((c: any) => c.unitId === unit).totals.indicators[code];

/** The integrity check's problems about rounds whose id starts with `prefix`. */
async function problems(prefix: string): Promise<string[]> {
  const report = await checkIntegrity(env.DB, "/", new Date());
  return report.problems.filter((p) => (p.roundId ?? "").startsWith(prefix)).map((p) => `[${p.kind}] ${p.roundId} ${p.unitId ?? "-"}: ${p.message.en}`);
}

/** A fresh template family and a pair of rounds for a scenario: last year (2100 + k) and this year. */
let serial = 0;
async function scenario(units: string[], o: TplOpts & { lastYearTpl?: TplOpts; period?: [string, string] } = {}): Promise<{ tp: { id: string; version: number }; ly: string; cy: string; lyTp: { id: string; version: number } }> {
  const n = ++serial;
  const id = `r24b_t${n}`;
  const lyTp = await createTemplate(tpl(id, o.lastYearTpl ?? o));
  const tp = o.lastYearTpl ? await createTemplate(tpl(id, o)) : lyTp;
  const [p1, p2] = o.period ?? ["2100", "2101"];
  const ly = `r24b_s${n}_ly`;
  const cy = `r24b_s${n}_cy`;
  await openRound(ly, lyTp, p1, units);
  await openRound(cy, tp, p2, units);
  return { tp, ly, cy, lyTp };
}

describe("issue 24 review (b): time in the form", () => {
  beforeAll(async () => {
    await ensureDemo();
    admin = await login("admin");
  });

  // ------------------------------------------------------------------------------ (1) 上年同期 fill
  it("HELD: 上年同期 comes from last year's approved figure, replacing what the county typed; 同比增减 and 同比增长 % follow at the unit", async () => {
    const s = await scenario(["zezhou", "gaoping"]);
    await putOk(s.ly, "zezhou", { out: "200.0", firms: 10 });
    await approveOk(s.ly, "zezhou");
    const v = await putOk(s.cy, "zezhou", { out: "250.0", out_ly: "999.0", firms: 12, firms_ly: 3 });
    expect(v.values.out_ly).toBe("200.0");
    expect(v.values.firms_ly).toBe(10);
    expect(v.derived.out_yoy).toBe("50.0");
    expect(v.derived.out_yoyp).toBe("25.0");
    expect(v.derived.firms_yoyp).toBe("20.0");
    // gaoping has no report last year: what it types stands
    const g = await putOk(s.cy, "gaoping", { out: "90.0", out_ly: "100.0" });
    expect(g.values.out_ly).toBe("100.0");
    expect(g.derived.out_yoyp).toBe("-10.0");
    expect(await problems(s.cy)).toEqual([]);
  });

  it("HELD: a last-year report submitted but not approved is not used: the typed 上年同期 stands, and last year's approval then replaces it", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "80.0" });
    const v = await putOk(s.cy, "zezhou", { out: "100.0", out_ly: "70.0" });
    expect(v.values.out_ly).toBe("70.0");
    const a = await approveOk(s.ly, "zezhou");
    expect(a.lastYear).toEqual({ updated: [s.cy], locked: [], review: [] });
    const now = await get(s.cy, "zezhou");
    expect(now.values.out_ly).toBe("80.0");
    expect(now.derived.out_yoyp).toBe("25.0");
    const tot = await totals(s.cy);
    expect(fig(tot, "out_ly").value).toBe("80.0");
    expect(fig(tot, "out_yoyp")).toMatchObject({ value: "25.0", units: 1 });
    expect(await problems(s.cy)).toEqual([]);
  });

  // ------------------------------------------------------------------------- (2) corrections of last year
  it("HELD: last year corrected three times after this year's approval (to 110, to zero, to a loss): 上年同期, 同比 and the city's standing and approved totals follow each time; integrity finds nothing", async () => {
    const s = await scenario(["zezhou", "gaoping"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.ly, "gaoping", { out: "50.0" });
    await approveOk(s.ly, "gaoping");
    await putOk(s.cy, "zezhou", { out: "120.0" });
    await approveOk(s.cy, "zezhou");
    await putOk(s.cy, "gaoping", { out: "60.0" });
    // last year's zezhou, zezhou's growth, the city's 上年同期 sum over the pairs (zezhou, gaoping 50)
    const cases: [string, string | null, string][] = [["110.0", "9.1", "160.0"], ["0.0", null, "50.0"], ["-50.0", "340.0", "0.0"]];
    for (const [lastYear, unitGrowth, lySum] of cases) {
      const a = await correct(s.ly, "zezhou", { out: lastYear });
      expect(a.lastYear).toEqual({ updated: [s.cy], locked: [], review: [] });
      const v = await get(s.cy, "zezhou");
      expect(v.state).toBe("approved");
      expect(v.values.out_ly).toBe(lastYear);
      expect(v.derived.out_yoyp).toBe(unitGrowth);
      const standing = await totals(s.cy);
      expect(fig(standing, "out_ly").value).toBe(lySum);
      const lyTotal = Number(lastYear) + 50;
      const want = lyTotal === 0 ? null : (((180 - lyTotal) / Math.abs(lyTotal)) * 100).toFixed(1);
      expect(fig(standing, "out_yoyp")).toMatchObject({ value: want, units: 2 });
      // accepted: zezhou only (gaoping this year is not approved)
      const approved = await totals(s.cy, { basis: "approved" });
      expect(fig(approved, "out_ly").value).toBe(lastYear);
      expect(fig(approved, "out_yoyp")).toMatchObject({ value: unitGrowth, units: 1 });
    }
    expect(await problems(s.cy)).toEqual([]);
    expect(await problems(s.ly)).toEqual([]);
  });

  it("FINDING (medium): last year corrected to blank leaves this year's 上年同期 at the figure the old approval put there: expected 上年同期 blank (last year has no approved figure) and the unit out of the city's 同比, actual the stale 100.0 stays, counted like with like, and the integrity check is silent", async () => {
    const s = await scenario(["zezhou", "gaoping"]);
    await putOk(s.ly, "zezhou", { out: "100.0", firms: 5 });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "150.0", firms: 6 });
    expect((await get(s.cy, "zezhou")).values.out_ly).toBe("100.0");
    // the county's statistician finds last year's 产值 was never measured and clears it
    await correct(s.ly, "zezhou", { out: null, firms: 5 });
    const v = await get(s.cy, "zezhou");
    expect(v.values.out_ly ?? null).toBeNull();
    expect(fig(await totals(s.cy), "out_yoyp").units).toBe(0);
  });

  it("HELD: re-approving last year without a change (reopen, approve) writes no revision this year and says nothing about 上年同期", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "150.0" });
    await reopen(s.ly, "zezhou");
    const a = await approveOk(s.ly, "zezhou");
    expect(a.lastYear).toBeUndefined();
    expect((await get(s.cy, "zezhou")).revision).toBe(1);
    // a resubmission of last year with the same figures, approved: still nothing
    await reopen(s.ly, "zezhou");
    await putOk(s.ly, "zezhou", { out: "100.00" });
    expect((await approveOk(s.ly, "zezhou")).lastYear).toBeUndefined();
    expect((await get(s.cy, "zezhou")).revision).toBe(1);
  });

  it("HELD: a returned report of this year gets last year's correction as a new revision, stays out of the totals, and the county's stale If-Match is told to refresh, then resubmits keeping the corrected 上年同期", async () => {
    const s = await scenario(["zezhou", "gaoping"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "150.0" });
    await putOk(s.cy, "gaoping", { out: "10.0", out_ly: "5.0" });
    expect((await review(s.cy, "zezhou", "return")).status).toBe(200);
    const a = await correct(s.ly, "zezhou", { out: "120.0" });
    expect(a.lastYear.updated).toEqual([s.cy]);
    const v = await get(s.cy, "zezhou");
    expect(v).toMatchObject({ state: "returned", revision: 2 });
    expect(v.values.out_ly).toBe("120.0");
    expect(v.reviewComment).toBe("请核实");
    const tot = await totals(s.cy);
    expect(fig(tot, "out").value).toBe("10.0");
    expect(fig(tot, "out_yoyp")).toMatchObject({ value: "100.0", units: 1 });
    // the county answers the return from the revision it had
    const stale = await put(s.cy, "zezhou", { out: "160.0", out_ly: "100.0" }, { ifMatch: "1" });
    expect(stale.status).toBe(412);
    const fresh = await put(s.cy, "zezhou", { out: "160.0", out_ly: "100.0" }, { ifMatch: "2" });
    expect(fresh.status).toBe(200);
    expect(fresh.body.values.out_ly).toBe("120.0");
    expect(fig(await totals(s.cy), "out_yoyp")).toMatchObject({ value: String(((170 - 125) / 125 * 100).toFixed(1)), units: 2 });
    expect(await problems(s.cy)).toEqual([]);
  });

  // ------------------------------------------------------------------------- (3) template versions
  it("FINDING (high): the first year of 同比 — last year's version had no 同比 columns — a correction of last year never reaches this year's 上年同期: expected the re-approval to bring 上年同期 to 150.0 (lastYear.updated), actual it stays 100.0 and the integrity check then reports the report", async () => {
    const s = await scenario(["zezhou"], { yoy: true, lastYearTpl: { yoy: false } });
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    // this year's version has 同比 columns: the submission fills 上年同期 from last year's figures
    expect((await putOk(s.cy, "zezhou", { out: "120.0" })).values.out_ly).toBe("100.0");
    let problemsAfter: string[] = [];
    try {
      const a = await correct(s.ly, "zezhou", { out: "150.0" });
      problemsAfter = await problems(s.cy);
      expect(problemsAfter).toEqual([]);
      expect(a.lastYear).toEqual({ updated: [s.cy], locked: [], review: [] });
      expect((await get(s.cy, "zezhou")).values.out_ly).toBe("150.0");
    } finally {
      // leave the database whole for the file's integrity check: the county submits again (上年同期 refilled)
      await putOk(s.cy, "zezhou", { out: "120.0" });
      expect(await problems(s.cy)).toEqual([]);
    }
  });

  it("HELD: the integrity check does catch the stale 上年同期 of the first-year case above (the finding is at least visible to the city)", async () => {
    const s = await scenario(["zezhou"], { yoy: true, lastYearTpl: { yoy: false } });
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "120.0" });
    await correct(s.ly, "zezhou", { out: "150.0" });
    const found = await problems(s.cy);
    try {
      // either the correction reached this year (fixed) or the check names the stale 上年同期
      expect((await get(s.cy, "zezhou")).values.out_ly === "150.0" || found.join("\n").includes("out_ly")).toBe(true);
    } finally {
      await putOk(s.cy, "zezhou", { out: "120.0" });
      expect(await problems(s.cy)).toEqual([]);
    }
  });

  it("HELD: fewer decimals this year: a last-year figure the 上年同期 cannot hold is left to the county to type (not copied and then refused), one that can is copied; integrity agrees", async () => {
    const s = await scenario(["zezhou", "gaoping"], { decimals: 1, lastYearTpl: { decimals: 2 } });
    await putOk(s.ly, "zezhou", { out: "12.34" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.ly, "gaoping", { out: "12.30" });
    await approveOk(s.ly, "gaoping");
    const z = await putOk(s.cy, "zezhou", { out: "13.0", out_ly: "12.3" });
    expect(z.values.out_ly).toBe("12.3");
    const g = await putOk(s.cy, "gaoping", { out: "13.0", out_ly: "1.0" });
    expect(g.values.out_ly).toBe("12.3");
    expect(await problems(s.cy)).toEqual([]);
  });

  it("HELD: an indicator removed this year (firms) and one added (new_x): last year's figures fill only what both versions have, the rest is typed; corrections of the removed one change nothing", async () => {
    const s = await scenario(["zezhou"], { withFirms: false, extra: [{ code: "new_x", section: "s", kind: "count", required: false, name: t("新指标", "New") }], lastYearTpl: {} });
    await putOk(s.ly, "zezhou", { out: "100.0", firms: 7 });
    await approveOk(s.ly, "zezhou");
    const v = await putOk(s.cy, "zezhou", { out: "110.0", new_x: 3, new_x_ly: 2 });
    expect(v.values).toMatchObject({ out_ly: "100.0", new_x_ly: 2 });
    expect(v.values.firms).toBeUndefined();
    const a = await correct(s.ly, "zezhou", { out: "100.0", firms: 8 });
    expect(a.lastYear).toBeUndefined();
    expect((await get(s.cy, "zezhou")).revision).toBe(1);
    expect(await problems(s.cy)).toEqual([]);
  });

  // ------------------------------------------------------------------------- (4) several rounds of one period
  it("FINDING (medium): a 补报 round of last year (same owner, template and period, opened later) reopened for a correction: the integrity check then compares this year's 上年同期 with the older round's figures: expected nothing found while the correction is under way, actual a 上年同期 mismatch is reported (and a resubmission now would fill the older round's figure)", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    // the city re-collects last year's figures in a 补报 round (an explicit code, as the server allows)
    const again = `${s.ly}_bb`;
    await openRound(again, s.tp, "2100", ["zezhou"]);
    await putOk(again, "zezhou", { out: "130.0" });
    await approveOk(again, "zezhou");
    await putOk(s.cy, "zezhou", { out: "140.0" });
    expect((await get(s.cy, "zezhou")).values.out_ly).toBe("130.0");
    // the 补报 round's report is reopened for a correction: nothing else has changed yet
    await reopen(again, "zezhou");
    try {
      expect(await problems(s.cy)).toEqual([]);
    } finally {
      await putOk(again, "zezhou", { out: "130.0" });
      await approveOk(again, "zezhou");
      expect(await problems(s.cy)).toEqual([]);
    }
  });

  it("HELD: the 补报 round of last year approved after this year's report: its figures (the later round) are the ones this year's 上年同期 takes; the older round's re-approval no longer moves it", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "140.0" });
    const again = `${s.ly}_bb`;
    await openRound(again, s.tp, "2100", ["zezhou"]);
    await putOk(again, "zezhou", { out: "130.0" });
    expect((await approveOk(again, "zezhou")).lastYear).toEqual({ updated: [s.cy], locked: [], review: [] });
    expect((await get(s.cy, "zezhou")).values.out_ly).toBe("130.0");
    const older = await correct(s.ly, "zezhou", { out: "90.0" });
    expect(older.lastYear).toBeUndefined();
    expect((await get(s.cy, "zezhou")).values.out_ly).toBe("130.0");
    expect(await problems(s.cy)).toEqual([]);
  });

  // ------------------------------------------------------------------------- (5) races
  it("HELD: last year's re-approval racing this year's resubmission: exactly one wins per revision, and whichever order, this year's 上年同期 ends at last year's approved figure; integrity finds nothing", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "140.0" });
    await reopen(s.ly, "zezhou");
    await putOk(s.ly, "zezhou", { out: "111.0" });
    const [a, b] = await Promise.all([review(s.ly, "zezhou", "approve"), put(s.cy, "zezhou", { out: "141.0", out_ly: "1.0" }, { ifMatch: "1" })]);
    const statuses = [a.status, b.status];
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(1);
    // an approval that lost the race is refused whole: try it again
    if (a.status !== 200) { expect(a.status).toBe(409); await approveOk(s.ly, "zezhou"); }
    const v = await get(s.cy, "zezhou");
    expect(v.values.out_ly).toBe("111.0");
    expect(await problems(s.cy)).toEqual([]);
    expect(await problems(s.ly)).toEqual([]);
  });

  it("HELD: two reviewers approve last year's correction at once: one approval, one follow-up revision this year", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "140.0" });
    await reopen(s.ly, "zezhou");
    await putOk(s.ly, "zezhou", { out: "105.0" });
    const shenhe = await login("shenhe");
    const r = await Promise.all([review(s.ly, "zezhou", "approve"), review(s.ly, "zezhou", "approve", shenhe)]);
    expect(r.map((x) => x.status).sort()).toEqual([200, 409]);
    const v = await get(s.cy, "zezhou");
    expect(v).toMatchObject({ revision: 2, values: { out_ly: "105.0" } });
    expect(await problems(s.cy)).toEqual([]);
  });

  it("HELD: a correction racing this year's return by the city: the approval and the return each land once (or the approval is refused whole and succeeds on retry); totals and 上年同期 agree with integrity", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "140.0" });
    await reopen(s.ly, "zezhou");
    await putOk(s.ly, "zezhou", { out: "70.0" });
    const [a, b] = await Promise.all([review(s.ly, "zezhou", "approve"), review(s.cy, "zezhou", "return")]);
    expect(b.status).toBe(200);
    if (a.status !== 200) { expect(a.status).toBe(409); await approveOk(s.ly, "zezhou"); }
    const v = await get(s.cy, "zezhou");
    expect(v.state).toBe("returned");
    expect(v.values.out_ly).toBe("70.0");
    expect(fig(await totals(s.cy), "out").value).toBeNull();
    expect(await problems(s.cy)).toEqual([]);
  });

  // ------------------------------------------------------------------------- (6) a province, level by level
  describe("a province round, level by level", () => {
    let sheng = "";
    let changzhi = "";
    let ptp = { id: "", version: 0 };
    const P1 = "r24b_p2120";
    const P2 = "r24b_p2121";
    const levelUp = async (round: string, city: string, token: string) => {
      const rev = (await get(round, city, token)).revision;
      const res = await api(`/rounds/${round}/levels/${city}/submit`, { method: "POST", token, headers: { "if-match": `"${rev}"` }, json: {} });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    const level = async (round: string, city: string, action: "return" | "approve") => {
      const res = await api(`/rounds/${round}/levels/${city}/${action}`, { method: "POST", token: sheng, json: action === "return" ? { comment: "请复核上年同期" } : {} });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    beforeAll(async () => {
      await seedProvinceDemo(env.DB);
      sheng = await login("sheng");
      changzhi = await login("changzhi");
      ptp = await createTemplate(tpl("r24b_prov"), sheng);
      for (const [id, period] of [[P1, "2120"], [P2, "2121"]] as const) await openRound(id, ptp, period, ["zezhou", "gaoping", "zhangzi", "tunliu"], sheng);
      for (const [u, v] of [["zezhou", "100.0"], ["gaoping", "50.0"], ["zhangzi", "30.0"]] as const) await putOk(P1, u, { out: v });
      await approveOk(P1, "zezhou");
      await approveOk(P1, "gaoping");
      await approveOk(P1, "zhangzi", changzhi);
      // this year: tunliu joins (typed 上年同期), everyone else has last year's
      for (const [u, v] of [["zezhou", "120.0"], ["gaoping", "40.0"], ["zhangzi", "45.0"]] as const) await putOk(P2, u, { out: v });
      await putOk(P2, "tunliu", { out: "10.0", out_ly: "8.0" });
      for (const u of ["zezhou", "gaoping"]) await approveOk(P2, u);
      for (const u of ["zhangzi", "tunliu"]) await approveOk(P2, u, changzhi);
      await levelUp(P2, "jincheng", admin);
      await levelUp(P2, "changzhi", changzhi);
      await level(P2, "changzhi", "approve");
    });

    it("HELD: the province's 同比 is ratio of sums over the units with both years, standing and approved, the cities' rows the same; never an average of rates", async () => {
      const standing = await totals(P2, { token: sheng });
      // pairs: zezhou 120/100, gaoping 40/50, zhangzi 45/30, tunliu 10/8 → 215/188
      expect(fig(standing, "out_ly").value).toBe("188.0");
      expect(fig(standing, "out_yoyp")).toMatchObject({ value: ((215 - 188) / 188 * 100).toFixed(1), units: 4 });
      expect(childFig(standing, "jincheng", "out_yoyp")).toMatchObject({ value: ((160 - 150) / 150 * 100).toFixed(1), units: 2 });
      expect(childFig(standing, "changzhi", "out_yoyp")).toMatchObject({ value: ((55 - 38) / 38 * 100).toFixed(1), units: 2 });
      // accepted at the province: only Changzhi, whose level the province approved
      const approved = await totals(P2, { token: sheng, basis: "approved" });
      expect(fig(approved, "out_yoyp")).toMatchObject({ value: ((55 - 38) / 38 * 100).toFixed(1), units: 2 });
      // the city's own accepted totals: its counties it approved
      const city = await totals(P2, { token: admin, basis: "approved" });
      expect(fig(city, "out_yoyp")).toMatchObject({ value: "6.7", units: 2 });
    });

    it("HELD: a correction of last year under a level that has submitted upward is not written but named as locked", async () => {
      const a = await correct(P1, "zezhou", { out: "110.0" });
      expect(a.lastYear).toEqual({ updated: [], locked: [P2], review: [] });
      expect((await get(P2, "zezhou")).values.out_ly).toBe("100.0");
      expect(await problems("r24b_p")).toEqual([]);
    });

    it("FINDING (medium): once the province returns the city's upward submission, the county's stale 上年同期 (named locked at last year's approval) is not brought up and the integrity check reports it: expected 上年同期 110.0 (or at least nothing reported after legitimate steps), actual 100.0 and a 上年同期 mismatch", async () => {
      await level(P2, "jincheng", "return");
      try {
        expect(await problems("r24b_p")).toEqual([]);
        expect((await get(P2, "zezhou")).values.out_ly).toBe("110.0");
      } finally {
        // the legitimate way back: the city reopens the county, which submits again (上年同期 refilled), approves, sends up again
        await reopen(P2, "zezhou");
        await putOk(P2, "zezhou", { out: "120.0" });
        await approveOk(P2, "zezhou");
        expect((await get(P2, "zezhou")).values.out_ly).toBe("110.0");
        await levelUp(P2, "jincheng", admin);
        expect(await problems("r24b_p")).toEqual([]);
      }
    });

    it("HELD: after the city's resubmission upward the province's 同比 is over the corrected 上年同期, and a city round of the province's template for the same period takes the city's own round first", async () => {
      const standing = await totals(P2, { token: sheng });
      expect(fig(standing, "out_ly").value).toBe("198.0");
      expect(fig(standing, "out_yoyp")).toMatchObject({ value: ((215 - 198) / 198 * 100).toFixed(1), units: 4 });
      // the city runs its own collection of the province's template for the same years
      const c1 = "r24b_c2120";
      const c2 = "r24b_c2121";
      await openRound(c1, ptp, "2120", ["zezhou"]);
      await openRound(c2, ptp, "2121", ["zezhou"]);
      await putOk(c1, "zezhou", { out: "95.0" });
      await approveOk(c1, "zezhou");
      expect((await putOk(c2, "zezhou", { out: "121.0" })).values.out_ly).toBe("95.0");
      // the province's round still takes the province's
      expect((await get(P2, "zezhou")).values.out_ly).toBe("110.0");
      expect(await problems("r24b_")).toEqual([]);
    });
  });

  // ------------------------------------------------------------------------- (7) months: 1–N月累计 and PREV
  describe("a monthly report with its 1–N月累计 checked by YTD", () => {
    let mtp = { id: "", version: 0 };
    const M = (m: number) => `r24b_m2110_${String(m).padStart(2, "0")}`;
    beforeAll(async () => {
      mtp = await createTemplate({
        id: "r24b_month", periodType: "month", name: t("复核24b 月报", "Review 24b monthly"),
        sections: [{ code: "s", name: t("产值", "Output") }],
        indicators: [
          { code: "m", section: "s", kind: "amount", unit: "万元", decimals: 1, required: true, name: t("本月产值", "This month") },
          { code: "cum", section: "s", kind: "amount", unit: "万元", decimals: 1, required: true, name: t("1–N月累计产值", "Year to date") },
        ],
        rules: [{ code: "ytd_is_sum", expr: "cum = YTD(m)", severity: "error", message: t("累计应等于本年各月之和", "the year to date must be the sum of the months") }],
      });
      for (let m = 1; m <= 4; m++) await openRound(M(m), mtp, `2110-${String(m).padStart(2, "0")}`, ["zezhou", "gaoping", "yangcheng"]);
    });

    it("HELD: a 1–N月累计 that is not this month plus the approved months is refused on its cell; the right one passes; the city's 累计 adds up", async () => {
      await putOk(M(1), "zezhou", { m: "10.0", cum: "10.0" });
      await approveOk(M(1), "zezhou");
      const wrong = await put(M(2), "zezhou", { m: "20.0", cum: "25.0" });
      expect(wrong.status).toBe(422);
      expect(JSON.stringify(wrong.body)).toContain("ytd_is_sum");
      await putOk(M(2), "zezhou", { m: "20.0", cum: "30.0" });
      await approveOk(M(2), "zezhou");
      expect((await put(M(3), "zezhou", { m: "5.0", cum: "30.0" })).status).toBe(422);
      await putOk(M(3), "zezhou", { m: "5.0", cum: "35.0" });
      // another county, months approved too
      for (const [m, v, c] of [[1, "1.0", "1.0"], [2, "2.0", "3.0"], [3, "3.0", "6.0"]] as const) { await putOk(M(m), "gaoping", { m: v, cum: c }); if (m < 3) await approveOk(M(m), "gaoping"); }
      expect(fig(await totals(M(3)), "cum").value).toBe("41.0");
    });

    it("FINDING (low): a missing month leaves the 1–N月累计 unchecked without a word (the issue: a reference to a period with no approved figures 'is blank, never zero, and says so'): expected the submission to say the 累计 could not be checked, actual a 累计 of 999 passes silently", async () => {
      // yangcheng never reported January; February's 累计 is whatever it types
      const r = await putOk(M(2), "yangcheng", { m: "20.0", cum: "999.0" });
      expect(JSON.stringify(r.warnings)).toMatch(/ytd_is_sum|累计|YTD/);
    });

    it("FINDING (medium): a reopened and corrected month leaves the later approved months' 1–N月累计 not adding up and nobody is told: expected the correction's approval to name February's report (updated or locked, as for 上年同期) or the integrity check to report it, actual neither and the city's February 累计 stays 30.0 against months 15 + 20", async () => {
      await correct(M(1), "zezhou", { m: "15.0", cum: "15.0" });
      // February is approved with 累计 30.0 = 10 + 20; January is now 15
      const feb = await get(M(2), "zezhou");
      const said = JSON.stringify(await api(`/rounds/${M(1)}/audit`, { token: admin }).then((r) => r.json()));
      const found = await problems(M(2));
      expect(feb.values.cum === "35.0" || found.length > 0 || said.includes(M(2))).toBe(true);
    });

    it("HELD: March's 累计 is checked against the corrected January (15 + 20 + 5 = 40), not the stale February 累计", async () => {
      const cur = await get(M(3), "zezhou");
      expect((await put(M(3), "zezhou", { m: "5.0", cum: "35.0" }, { ifMatch: String(cur.revision) })).status).toBe(422);
      expect((await put(M(3), "zezhou", { m: "5.0", cum: "40.0" }, { ifMatch: String(cur.revision) })).status).toBe(200);
    });

    it("FINDING (medium): the demo's monthly report (规模以上工业产值月报) cannot be submitted for January once December is approved: its rule 累计 >= PREV(累计) compares January's 1–1月累计 with December's whole-year 累计: expected January accepted, actual 422 ytd_grows", async () => {
      const dec = "r24b_demo_mon2110_12";
      const jan = "r24b_demo_mon2111_01";
      await openRound(dec, { id: "quality_city_monthly", version: 1 }, "2110-12", ["zezhou"]);
      await openRound(jan, { id: "quality_city_monthly", version: 1 }, "2111-01", ["zezhou"]);
      await putOk(dec, "zezhou", { month_output: "10.00", ytd_output: "500.00" });
      await approveOk(dec, "zezhou");
      const r = await put(jan, "zezhou", { month_output: "20.00", ytd_output: "20.00" });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    });
  });

  // ------------------------------------------------------------------------- (8) the city's totals, CSV and workbook
  describe("the city's 同比 over units joining and leaving", () => {
    let sc: Awaited<ReturnType<typeof scenario>>;
    beforeAll(async () => {
      // last year: zezhou, gaoping, lingchuan (leaves); this year: zezhou, gaoping, yangcheng (joins, types its 上年同期), qinshui (joins, no 上年同期)
      const n = ++serial;
      const tp = await createTemplate(tpl(`r24b_t${n}`));
      sc = { tp, lyTp: tp, ly: `r24b_s${n}_ly`, cy: `r24b_s${n}_cy` };
      await openRound(sc.ly, tp, "2100", ["zezhou", "gaoping", "lingchuan"]);
      await openRound(sc.cy, tp, "2101", ["zezhou", "gaoping", "yangcheng", "qinshui"]);
      for (const [u, v, f] of [["zezhou", "100.0", 10], ["gaoping", "300.0", 30], ["lingchuan", "500.0", 50]] as const) { await putOk(sc.ly, u, { out: v, firms: f }); await approveOk(sc.ly, u); }
      await putOk(sc.cy, "zezhou", { out: "200.0", firms: 11 });
      await putOk(sc.cy, "gaoping", { out: "300.0" }); // firms left blank this year
      await putOk(sc.cy, "yangcheng", { out: "50.0", out_ly: "40.0", firms: 4, firms_ly: 5 });
      await putOk(sc.cy, "qinshui", { out: "1000.0", firms: 100 });
    });

    it("HELD: the city's growth is ratio of sums over the units with both years (zezhou, gaoping, yangcheng: 550 on 440 = 25.0%), not the average of county rates (36.7%) nor over every unit; firms over its own pairs", async () => {
      const tot = await totals(sc.cy);
      expect(fig(tot, "out").value).toBe("1550.0");
      expect(fig(tot, "out_ly").value).toBe("440.0");
      expect(fig(tot, "out_yoy")).toMatchObject({ value: "110.0", units: 3 });
      expect(fig(tot, "out_yoyp")).toMatchObject({ value: "25.0", units: 3 });
      // firms: zezhou 11/10 and yangcheng 4/5 (gaoping has 上年同期 30 but no figure this year)
      expect(fig(tot, "firms_ly").value).toBe("45");
      expect(fig(tot, "firms_yoyp")).toMatchObject({ value: "0.0", units: 2 });
      expect(fig(tot, "firms_yoy")).toMatchObject({ value: "0", units: 2 });
    });

    it("HELD: the CSV carries each 同比 with the number of units it was computed over, the city's line matching the API", async () => {
      const res = await api(`/rounds/${sc.cy}/export.csv`, { token: admin });
      expect(res.status).toBe(200);
      const text = (await res.text()).replace(/^\uFEFF/, "");
      const rows = text.trim().split(/\r?\n/).map((l) => l.split(","));
      const head = rows[0]!;
      const col = (name: RegExp) => head.findIndex((h) => name.test(h));
      const growth = col(/工业总产值同比增长/);
      expect(growth).toBeGreaterThan(0);
      expect(head[growth + 1]).toMatch(/同口径单位数/);
      const city = rows.find((r) => r.some((c) => /晋城市/.test(c)) && r[growth] !== "")!;
      expect(city[growth]).toBe("25.0");
      expect(city[growth + 1]).toBe("3");
    });

    it("HELD: the aggregate workbook's 同比增长 total is a live like-with-like formula whose stored result is the API's 25.0, its note saying over how many units", async () => {
      const res = await api(`/rounds/${sc.cy}/export.xlsx`, { token: admin });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const ws = wb.worksheets.find((w) => w.name.startsWith("汇总"))!;
      let found: any = null;
      let note = "";
      ws.eachRow((row) => {
        row.eachCell((cell) => { if (typeof cell.value === "string" && cell.value.includes("同比按两期")) note = cell.value; });
        if (String(row.getCell(1).value ?? "").includes("工业总产值同比增长")) found = row.getCell(3).value;
      });
      expect(found?.formula ?? "").toContain("SUMPRODUCT");
      expect(Number(found.result)).toBeCloseTo(25, 6);
      expect(note).toContain("3 个单位");
    });

    it("HELD: approved basis: only the approved units' pairs; approving yangcheng moves it by its own pair", async () => {
      expect(fig(await totals(sc.cy, { basis: "approved" }), "out_yoyp")).toMatchObject({ value: null, units: 0 });
      await approveOk(sc.cy, "yangcheng");
      expect(fig(await totals(sc.cy, { basis: "approved" }), "out_yoyp")).toMatchObject({ value: "25.0", units: 1 });
      await approveOk(sc.cy, "qinshui");
      expect(fig(await totals(sc.cy, { basis: "approved" }), "out_yoyp")).toMatchObject({ value: "25.0", units: 1 });
      expect(await problems(sc.cy)).toEqual([]);
    });

    it("HELD: a returned county leaves the standing 同比 (API) and the workbook's like-with-like total agrees with it (its column not counted)", async () => {
      expect((await review(sc.cy, "gaoping", "return")).status).toBe(200);
      const api24 = fig(await totals(sc.cy), "out_yoyp");
      expect(api24).toMatchObject({ value: ((250 - 140) / 140 * 100).toFixed(1), units: 2 });
      const res = await api(`/rounds/${sc.cy}/export.xlsx`, { token: admin });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const ws = wb.worksheets.find((w) => w.name.startsWith("汇总"))!;
      let found: any = null;
      ws.eachRow((row) => { if (String(row.getCell(1).value ?? "").includes("工业总产值同比增长")) found = row.getCell(3).value; });
      const stored = typeof found === "object" && found !== null ? Number(found.result) : Number(found);
      expect(stored).toBeCloseTo(Number(api24.value), 1);
      const csv = (await (await api(`/rounds/${sc.cy}/export.csv`, { token: admin })).text()).replace(/^\uFEFF/, "");
      const rows = csv.trim().split(/\r?\n/).map((l) => l.split(","));
      const g = rows[0]!.findIndex((h) => /工业总产值同比增长/.test(h));
      expect(rows.find((r) => r.some((c) => /晋城市/.test(c)) && r[g] !== "")![g]).toBe(api24.value);
      expect(await problems(sc.cy)).toEqual([]);
    });
  });

  // ------------------------------------------------------------------------- (9) an attacker, names and sizes
  it("HELD: prototype names: a body with __proto__ or constructor as a figure is refused (422), never a 500, and nothing is stored; a template cannot name an indicator constructor or valueOf", async () => {
    const s = await scenario(["zezhou"]);
    for (const body of [
      '{"values":{"__proto__":{"out":"1.0"},"out":"1.0"},"acknowledgeWarnings":true}',
      '{"values":{"constructor":"5","out":"1.0"},"acknowledgeWarnings":true}',
      '{"values":{"out_ly":"1.0","toString":"2"},"acknowledgeWarnings":true}',
      '{"values":{"out":"1.0","out_yoyp":"99.0"},"acknowledgeWarnings":true}',
    ]) {
      const res = await api(`/rounds/${s.cy}/submissions/zezhou`, { method: "PUT", token: await login("zezhou"), headers: { "if-match": '"0"', "content-type": "application/json" }, body });
      expect(res.status, body).toBe(422);
    }
    expect((await get(s.cy, "zezhou"))?.revision ?? 0).toBe(0);
    for (const code of ["constructor", "valueOf", "hasOwnProperty"]) {
      const bad = tpl(`r24b_proto_${code}`);
      bad.indicators[0].code = code;
      const res = await api("/templates", { method: "POST", token: admin, json: { template: bad } });
      expect(res.status, code).toBe(422);
    }
  });

  it("HELD: a typed indicator whose code a 同比 column would take (out_ly beside out), or whose 同比 code passes 40 characters, is refused on the table", async () => {
    const taken = tpl("r24b_taken");
    taken.indicators.push({ code: "out_ly", section: "s", kind: "amount", unit: "万元", decimals: 1, required: false, name: t("上年产值", "Last year") });
    const r1 = await api("/templates", { method: "POST", token: admin, json: { template: taken } });
    expect(r1.status).toBe(422);
    expect(await r1.text()).toContain("out_ly");
    const long = tpl("r24b_long");
    long.indicators[0].code = `o${"x".repeat(35)}`; // 36 + _yoyp = 41
    const r2 = await api("/templates", { method: "POST", token: admin, json: { template: long } });
    expect(r2.status).toBe(422);
  });

  it("HELD: case and _ in codes: ZEZHOU is not zezhou, a round id in capitals is another (missing) round, and a template R24B_CASE takes nothing from r24b_case's approved reports", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    const upper = await api(`/rounds/${s.cy}/submissions/ZEZHOU`, { method: "PUT", token: await login("zezhou"), headers: { "if-match": '"0"' }, json: { values: { out: "1.0" } } });
    expect(upper.status).toBeGreaterThanOrEqual(400);
    expect(upper.status).toBeLessThan(500);
    const round = await api(`/rounds/${s.cy.toUpperCase()}/submissions/zezhou`, { token: admin });
    expect(round.status).toBe(404);
    const lower = await createTemplate(tpl("r24b_case"));
    const res = await api("/templates", { method: "POST", token: admin, json: { template: tpl("R24B_CASE") } });
    if (res.status === 201) {
      const b = await json<any>(res);
      expect((await api(`/templates/${b.id}/${b.version}/publish`, { method: "POST", token: admin })).status).toBe(200);
      await openRound("r24b_case_ly", lower, "2100", ["zezhou"]);
      await openRound("r24b_CASE_cy", { id: b.id, version: b.version }, "2101", ["zezhou"]);
      await putOk("r24b_case_ly", "zezhou", { out: "100.0" });
      await approveOk("r24b_case_ly", "zezhou");
      expect((await putOk("r24b_CASE_cy", "zezhou", { out: "5.0", out_ly: "4.0" })).values.out_ly).toBe("4.0");
    } else {
      expect(res.status).toBeLessThan(500);
    }
    expect(await problems("r24b_case")).toEqual([]);
  });

  it("HELD (measured): the 2,081-cell limit counts the 同比 columns: 520 figures with 同比 (2,080 cells + 1 section) are accepted, 521 refused; a correction of one of 520 last-year figures writes one changed cell this year", async () => {
    const many = (n: number, id: string) => {
      const body = tpl(id, { withFirms: false });
      body.indicators = Array.from({ length: n }, (_, i) => ({ code: `x${i}`, section: "s", kind: "count", required: false, name: t(`指标${i}`, `Figure ${i}`) }));
      return body;
    };
    const over = await api("/templates", { method: "POST", token: admin, json: { template: many(521, "r24b_big521") } });
    expect(over.status).toBe(422);
    expect(await over.text()).toContain("2081");
    const tp = await createTemplate(many(520, "r24b_big520"));
    await openRound("r24b_big_ly", tp, "2100", ["zezhou"]);
    await openRound("r24b_big_cy", tp, "2101", ["zezhou"]);
    const all = Object.fromEntries(Array.from({ length: 520 }, (_, i) => [`x${i}`, i + 1]));
    await putOk("r24b_big_ly", "zezhou", all);
    await approveOk("r24b_big_ly", "zezhou");
    const v = await putOk("r24b_big_cy", "zezhou", all);
    expect(v.values.x519_ly).toBe(520);
    const cells = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM revision_values WHERE round_id = 'r24b_big_cy'").first<{ n: number }>())!.n;
    const counters = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM totals WHERE round_id = 'r24b_big_cy'").first<{ n: number }>())!.n;
    const before = await cells();
    expect(before).toBe(1040);
    const totalsRows = await counters();
    const a = await correct("r24b_big_ly", "zezhou", { ...all, x7: 80 });
    expect(a.lastYear.updated).toEqual(["r24b_big_cy"]);
    expect(await cells()).toBe(before + 1);
    expect(await counters()).toBe(totalsRows);
    expect((await get("r24b_big_cy", "zezhou")).values.x7_ly).toBe(80);
    console.log(`review24b measured: 520-figure 同比 report: ${before} value rows at revision 1, ${totalsRows} counter rows (unit + city + province ancestors); a one-figure correction of last year wrote 1 value row`);
    expect(await problems("r24b_big")).toEqual([]);
  });

  // ------------------------------------------------------------------------- (10) rules over the 上年同期
  it("HELD: a LASTYEAR rule is checked against last year's approved figure and not checked without one (blank, never 0)", async () => {
    const s = await scenario(["zezhou", "gaoping"], { rules: [{ code: "jump3", expr: "out <= LASTYEAR(out) * 3", severity: "error", message: t("超过上年同期 3 倍", "over three times last year") }] });
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    const r = await put(s.cy, "zezhou", { out: "301.0" });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain("jump3");
    expect((await put(s.cy, "zezhou", { out: "300.0" })).status).toBe(201);
    // gaoping has no last year: not checked (LASTYEAR blank, not 0 — 0 × 3 would refuse every figure)
    expect((await put(s.cy, "gaoping", { out: "5000.0", out_ly: "1.0" })).status).toBe(201);
  });

  it("FINDING (low), fixed: last year's correction was written into this year's report without this year's rules (the approval just said updated); now the approval names the report that breaks its own rule (out_ly <= out * 2) for review, and the county's resubmission is refused on that rule until its figures agree", async () => {
    const s = await scenario(["zezhou"], { rules: [{ code: "ly_sane", expr: "out_ly <= out * 2", severity: "error", message: t("上年同期不应超过本期的 2 倍", "last year should not exceed twice this year") }] });
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "150.0" });
    const a = await correct(s.ly, "zezhou", { out: "400.0" });
    expect(a.lastYear.updated).toEqual([s.cy]);
    expect(a.lastYear.review).toEqual([s.cy]);
    // the county sends its figures again, unchanged: refused on the rule, named on its cell
    const again = await put(s.cy, "zezhou", { out: "150.0" });
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toContain("ly_sane");
    // with this year's figure corrected, it goes through
    expect((await put(s.cy, "zezhou", { out: "250.0" })).status).toBe(200);
  });

  it("HELD: the county's fill workbook shows the corrected 上年同期 after last year's re-approval", async () => {
    const s = await scenario(["zezhou"]);
    await putOk(s.ly, "zezhou", { out: "100.0" });
    await approveOk(s.ly, "zezhou");
    await putOk(s.cy, "zezhou", { out: "150.0" });
    await correct(s.ly, "zezhou", { out: "123.4" });
    const res = await api(`/rounds/${s.cy}/submissions/zezhou/template.xlsx`, { token: await login("zezhou") });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const seen: unknown[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => { seen.push(c.value); }));
    expect(seen.some((v) => v === 123.4 || v === "123.4")).toBe(true);
    expect(seen.some((v) => v === 100 || v === "100.0")).toBe(false);
  });
});
