// Independent review of issue 26 (live totals in cells, the stricter fake), written without reading
// the tests of that work. `FINDING:` a reproducible defect — the test asserts the correct behaviour
// and fails today; `HELD:` behaviour that was tried as a city official would and held.
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE, aggregateReports, type RoundView, type TotalsView } from "@tianbao/shared";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json, signedIn, stubServer, ZEZHOU } from "./helpers-api";
import { installCustomFunctions, type CustomFunctionsHost } from "./fake-office/custom-functions";
import { registerCustomFunctions, waiting } from "../src/functions/functions";
import { clearLiveCache } from "../src/functions/live-totals";
import { api } from "../src/flows/session";
import { convertToValues, recalculateAfterSignIn, refreshLiveTotals } from "../src/flows/live";

const metadata = JSON.parse(readFileSync(new URL("../static/functions.json", import.meta.url), "utf8")) as Parameters<typeof installCustomFunctions>[1];

const CITY = { id: 2, username: "shenhe", displayName: "晋城市审核员", role: "reviewer" as const, unitId: "jincheng", unitName: { zh: "晋城市", en: "Jincheng" }, mustChangePassword: false };

const unit = (id: string, zh: string, en: string, level: "city" | "county" | "self", parentId: string | null) => ({ id, name: { zh, en }, level, parentId, contact: null });
const UNITS = [
  unit("jincheng", "晋城市", "Jincheng", "city", "shanxi"),
  unit("zezhou", "泽州县", "Zezhou", "county", "jincheng"),
  unit("gaoping", "高平市", "Gaoping", "county", "jincheng"),
  unit("chengqu", "城区", "Chengqu", "county", "jincheng"),
  unit("jincheng_benji", "晋城市本级", "Jincheng (city level)", "self", "jincheng"),
];

const round = (id: string, period: string, ownerUnitId = "jincheng", over: Partial<RoundView> = {}): RoundView => ({
  id, templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, templateName: BUILTIN_TEMPLATE.name, period,
  deadline: "2026-03-31T16:00:00Z", ownerUnitId, closed: false, expectedUnitIds: ["zezhou", "gaoping", "chengqu", "jincheng_benji"], ...over,
});

const C = compiled();
type Reports = { unitId: string; values: Record<string, string | number | boolean> }[];
const REPORTS: Reports = [
  { unitId: "zezhou", values: { products: 1200, products_no_std: 200, products_adopting: 30, leading_group: true, drive_status: "achieved", work_funds: "12.50" } },
  { unitId: "gaoping", values: { products: 1370, products_no_std: 223, products_adopting: 25, leading_group: false, drive_status: "in_progress", work_funds: "3.25" } },
];
const viewOf = (roundId: string, unitId: string, reports: Reports = REPORTS): TotalsView => ({
  roundId, unitId, basis: "standing",
  totals: aggregateReports(C, reports),
  children: UNITS.filter((x) => x.parentId === unitId).map((x) => ({ unitId: x.id, name: x.name, totals: aggregateReports(C, reports.filter((r) => r.unitId === x.id)) })),
  previous: null,
});

interface Server {
  rounds: RoundView[];
  /** Every request the add-in made, the template's included. */
  requests: string[];
  /** Forces a status for a path (403 for a reporter, 401 for an expired session…); "down" = no network. */
  status?: (path: string) => number | "down" | null;
  reports?: Reports;
  /** Holds the totals answers until released (cells show #BUSY! meanwhile). */
  gate?: Promise<void>;
}

function serve(over: Partial<Server> = {}): Server {
  const s: Server = { rounds: [round("r2025", "2025"), round("r2024", "2024", "jincheng", { closed: true })], requests: [], ...over };
  stubServer(async (method, path) => {
    const forced = s.status?.(path);
    if (forced === "down") throw new TypeError("Failed to fetch");
    if (forced) return json({ error: { code: forced === 401 ? "unauthenticated" : forced === 403 ? "forbidden" : "internal", message: { zh: "x", en: "x" } } }, forced);
    if (path === "/api/rounds") return json(s.rounds);
    if (path === "/api/units") return json(api.user?.role === "reporter" ? UNITS.filter((x) => x.id === api.user!.unitId) : UNITS);
    const t = /^\/api\/rounds\/([^/]+)\/totals$/.exec(path);
    if (t) {
      if (s.gate) await s.gate;
      return json(viewOf(t[1]!, "jincheng", s.reports));
    }
    if (/^\/api\/rounds\/[^/]+\/completeness$/.test(path)) {
      const units = [
        { unitId: "zezhou", state: "submitted", late: false },
        { unitId: "gaoping", state: "approved", late: false },
        { unitId: "chengqu", state: "not_started", late: true },
        { unitId: "jincheng_benji", state: "returned", late: false },
      ].map((x) => ({ ...x, name: { zh: x.unitId, en: x.unitId }, revision: null, firstSubmittedAt: null, reviewComment: null }));
      return json({ expected: 4, submitted: 2, approved: 1, returned: 1, late: 1, notStarted: 1, missing: 2, units });
    }
    return json({ error: { code: "not_found", message: { zh: "无", en: "none" } } }, 404);
  });
  const stubbed = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => {
    s.requests.push(`${init.method ?? "GET"} ${new URL(String(input), "https://localhost:8787").pathname}`);
    return stubbed(input, init);
  }) as typeof fetch;
  return s;
}

let host: ReturnType<typeof installFakeHost>;
let cf: CustomFunctionsHost;
const run = () => ctxOf(host);

beforeEach(() => {
  host = installFakeHost();
  cf = installCustomFunctions(host, metadata);
  registerCustomFunctions();
  clearLiveCache();
  waiting.forSignIn = false;
  signedIn(CITY);
});

/** Writes formulas (or values) into a new active sheet and recalculates (as Excel does on entry). */
async function sheet(cells: Record<string, string | number>, name = "Sheet1"): Promise<void> {
  await run()(async (ctx) => {
    const ws = ctx.workbook.worksheets.add(name);
    ws.activate();
    for (const [a, v] of Object.entries(cells)) {
      if (typeof v === "string" && v.startsWith("=")) ws.getRange(a).formulas = [[v]];
      else ws.getRange(a).values = [[v]];
    }
    await ctx.sync();
  });
  await cf.calculate(true);
}
const at = (a: string, name = "Sheet1") => cf.resultAt(`${name}!${a}`);
const formulaAt = (a: string) => run()(async (ctx) => {
  const r = ctx.workbook.worksheets.getItem("Sheet1").getRange(a).load("formulas, values");
  await ctx.sync();
  return { formula: r.formulas[0]![0], value: r.values[0]![0] };
});
const messageOf = (r: ReturnType<typeof at>) => (r && "error" in r ? r.message ?? "" : "");

// ---- the functions, as a city official writes them ---------------------------------------------

describe("HELD: what a city official writes", () => {
  it("HELD: names and codes of indicators and units, periods as 2025, \"2025\", 2025年, 2025.0, a year typed in a cell", async () => {
    serve();
    await sheet({
      B1: 2025, B2: "2025年", B3: 2025.0,
      A1: '=TIANBAO.TOTAL("products","泽州县",2025)',
      A2: '=TIANBAO.TOTAL("工业产品总数","zezhou","2025")',
      A3: '=TIANBAO.TOTAL("Industrial products","Zezhou",B1)',
      A4: '=TIANBAO.TOTAL("PRODUCTS","ZEZHOU",B2)',
      A5: '=TIANBAO.TOTAL(" products ","泽州县　",B3)',
      A6: '=TIANBAO.TOTAL("products","晋城市",2025)',
    });
    for (const a of ["A1", "A2", "A3", "A4", "A5"]) expect(at(a)).toEqual({ value: 1200 });
    expect(at("A6")).toEqual({ value: 2570 });
  });

  it("HELD: blank where nobody reported (never 0), a yes/no counts 是, a choice needs an option, a text has no total", async () => {
    serve();
    await sheet({
      A1: '=TIANBAO.TOTAL("products","城区",2025)',
      A2: '=TIANBAO.TOTAL("leading_group","晋城市",2025)',
      A3: '=TIANBAO.TOTAL("leading_group","高平市",2025)',
      A4: '=TIANBAO.TOTAL("drive_status","晋城市",2025)',
      A5: '=TIANBAO.TOTAL("质量兴县（区）活动进展：已达标","晋城市",2025)',
      A6: '=TIANBAO.TOTAL("remarks","晋城市",2025)',
      A7: '=TIANBAO.TOTAL("work_funds","晋城市",2025)',
    });
    expect(at("A1")).toEqual({ value: "" });
    expect(at("A2")).toEqual({ value: 1 });
    expect(at("A3")).toEqual({ value: 0 }); // reported 否: a real 0, not blank
    expect(at("A4")).toMatchObject({ error: "#VALUE!" });
    expect(messageOf(at("A4"))).toContain("选择题");
    expect(at("A5")).toEqual({ value: 1 });
    expect(at("A6")).toMatchObject({ error: "#VALUE!" });
    expect(at("A7")).toEqual({ value: 15.75 });
  });

  it("HELD: a blank cell as the optional basis or measure means the default; a blank unit or period is #VALUE! with a message", async () => {
    serve();
    await sheet({
      A1: '=TIANBAO.TOTAL("products","zezhou",2025,C9)',
      A2: '=TIANBAO.COMPLETE("晋城市",2025,C9)',
      A3: '=TIANBAO.TOTAL("products",C9,2025)',
      A4: '=TIANBAO.TOTAL("products","泽州县",C9)',
      A5: '=TIANBAO.TOTAL("products","泽州县",2025,"仅已审核")',
    });
    expect(at("A1")).toEqual({ value: 1200 });
    expect(at("A2")).toEqual({ value: 0.5 });
    expect(at("A3")).toMatchObject({ error: "#VALUE!" });
    expect(at("A4")).toMatchObject({ error: "#VALUE!" });
    expect(at("A5")).toEqual({ value: 1200 });
  });

  it("HELD: an amount beyond 15 significant digits comes back as its exact text, and 转为数值 keeps every digit", async () => {
    serve({ reports: [{ unitId: "zezhou", values: { work_funds: "1234567890123456.78" } }] });
    await sheet({ A1: '=TIANBAO.TOTAL("work_funds","晋城市",2025)' });
    expect(at("A1")).toEqual({ value: "1234567890123456.78" });
    const r = await convertToValues("sheet", "zh");
    expect(r.ok).toBe(true);
    expect(await formulaAt("A1")).toMatchObject({ value: "1234567890123456.78" });
  });

  it("HELD: two rounds of the period that both have the indicator: the cell says so and names the round codes; a code settles it", async () => {
    serve({ rounds: [round("r2025", "2025"), round("r2025b", "2025")] });
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)', A2: '=TIANBAO.TOTAL("products","泽州县","r2025b")', A3: '=TIANBAO.COMPLETE("晋城市",2025)' });
    expect(at("A1")).toMatchObject({ error: "#N/A" });
    expect(messageOf(at("A1"))).toMatch(/r2025.*r2025b/);
    expect(at("A2")).toEqual({ value: 1200 });
    expect(at("A3")).toMatchObject({ error: "#N/A" });
  });

  it("HELD: a province round above the city's own of the same period: the city's own wins", async () => {
    serve({ rounds: [round("p2025", "2025", "shanxi"), round("r2025", "2025")] });
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)' });
    expect(at("A1")).toEqual({ value: 1200 });
  });

  it("HELD: signed out, every cell says to sign in (#N/A), and after the sign-in the waiting cells recalculate", async () => {
    const s = serve();
    api.token = null; api.user = null;
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)' });
    expect(at("A1")).toMatchObject({ error: "#N/A" });
    expect(messageOf(at("A1"))).toContain("登录");
    expect(s.requests).toEqual([]);
    signedIn(CITY);
    expect(await recalculateAfterSignIn("zh")).toMatchObject({ ok: true });
    await cf.idle();
    expect(at("A1")).toEqual({ value: 1200 });
  });

  it("HELD: 3,000 cells over 5 units × 24 indicators × 2 bases cost one rounds, one units, one template and one totals view per basis", async () => {
    const s = serve();
    const codes = C.template.indicators.filter((i) => i.kind === "count" || i.kind === "amount").map((i) => i.code).slice(0, 24);
    const units = ["晋城市", "泽州县", "zezhou", "高平市", "城区"];
    const cells: Record<string, string> = {};
    for (let r = 1; r <= 600; r++) {
      ["A", "B", "C", "D", "E"].forEach((col, j) => {
        cells[`${col}${r}`] = `=TIANBAO.TOTAL("${codes[r % codes.length]}","${units[j]}",2025${r % 2 ? ',"approved"' : ""})`;
      });
    }
    await sheet(cells);
    expect(at("B2")).toMatchObject({ value: expect.anything() });
    expect(s.requests.filter((x) => x.includes("/totals")).length).toBe(2);
    expect(s.requests.length).toBeLessThanOrEqual(5); // + the template, unless this runtime compiled it already
    // 刷新 asks again, batched the same way
    const before = s.requests.length;
    await refreshLiveTotals("zh");
    await cf.idle();
    expect(s.requests.slice(before).sort()).toEqual(["GET /api/rounds", "GET /api/rounds/r2025/totals", "GET /api/rounds/r2025/totals", "GET /api/units"]);
  });

  it("HELD: 转为数值 refuses while a cell still shows #BUSY! and changes nothing", async () => {
    let release!: () => void;
    serve({ gate: new Promise<void>((r) => { release = r; }) });
    await run()(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("Sheet1");
      ws.activate();
      ws.getRange("A1").formulas = [['=TIANBAO.TOTAL("products","泽州县",2025)']];
      await ctx.sync();
    });
    const calc = cf.calculate(true);
    await new Promise((r) => setTimeout(r, 20));
    const r = await convertToValues("sheet", "zh");
    expect(r.ok).toBe(false);
    expect((await formulaAt("A1")).formula).toMatch(/^=TIANBAO\.TOTAL/);
    release();
    await calc;
  });

  it("HELD: 转为数值 leaves a protected sheet alone and names it", async () => {
    serve();
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)' });
    await run()(async (ctx) => { ctx.workbook.worksheets.getItem("Sheet1").protection.protect(); await ctx.sync(); });
    const r = await convertToValues("sheet", "zh");
    expect((await formulaAt("A1")).formula).toMatch(/^=TIANBAO\.TOTAL/);
    expect(r.message).toContain("Sheet1");
  });
});

describe("FINDINGS", () => {
  it("FINDING: a period in a date cell (a header typed 2025年9月 or 2025-09, which Excel stores as a date) is reported as the serial 45901, not as a date", async () => {
    serve();
    await sheet({ B1: "=DATE(2025,9,1)", A1: '=TIANBAO.TOTAL("products","泽州县",B1)' });
    const m = messageOf(at("A1"));
    expect(m).not.toContain("45901");
    expect(m).toMatch(/日期/);
  });

  it("FINDING: the fake does not turn a year-month typed in a General cell (2025-09, 2025年9月) into a date as Excel does, so the case above never arises in tests", async () => {
    await run()(async (ctx) => { const ws = ctx.workbook.worksheets.add("Sheet1"); ws.activate(); await ctx.sync(); });
    host.beginCellEdit("B1"); host.endCellEdit("2025年9月");
    host.beginCellEdit("B2"); host.endCellEdit("2025-09");
    const r = await run()(async (ctx) => { const g = ctx.workbook.worksheets.getItem("Sheet1").getRange("B1:B2").load("values"); await ctx.sync(); return g.values; });
    expect(r).toEqual([[45901], [45901]]);
  });

  it("FINDING: =TIANBAO.COMPLETE(unit, period, \"constructor\") returns 0 instead of #VALUE! (measure and basis words are looked up on plain objects, so Object.prototype's names match)", async () => {
    serve();
    await sheet({ A1: '=TIANBAO.COMPLETE("晋城市",2025,"constructor")', A2: '=TIANBAO.COMPLETE("晋城市",2025,"valueOf")' });
    expect(at("A1")).toMatchObject({ error: "#VALUE!" });
    expect(at("A2")).toMatchObject({ error: "#VALUE!" });
  });

  it("FINDING: signed in as a county reporter, a cell gets the generic 您没有权限执行此操作 after three requests, instead of saying the functions are for city roles", async () => {
    const s = serve({ status: (p) => (api.user?.role === "reporter" && /\/(totals|completeness)$/.test(p) ? 403 : null) });
    signedIn(ZEZHOU);
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)', A2: '=TIANBAO.COMPLETE("泽州县",2025)' });
    expect(at("A1")).toMatchObject({ error: "#N/A" });
    expect(messageOf(at("A1"))).not.toBe("您没有权限执行此操作");
    expect(messageOf(at("A2"))).not.toBe("您没有权限执行此操作");
    expect(s.requests.filter((x) => /totals|completeness/.test(x))).toEqual([]);
  });

  it("FINDING: cells that showed 登录已过期 (a 401) do not recalculate after the official signs in again, although the README says cells that asked for a sign-in do", async () => {
    let expired = true;
    serve({ status: () => (expired ? 401 : null) });
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)' });
    expect(at("A1")).toMatchObject({ error: "#N/A" });
    // signs in again through the pane (a new token)
    expired = false;
    api.token = "n".repeat(43);
    api.user = CITY;
    expect(await recalculateAfterSignIn("zh")).not.toBeNull();
    await cf.idle();
    expect(at("A1")).toEqual({ value: 1200 });
  });

  it("FINDING: 转为数值 while the server is unreachable freezes every cell as a permanent #N/A and deletes its formula", async () => {
    serve({ status: () => "down" });
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)' });
    expect(at("A1")).toMatchObject({ error: "#N/A" });
    const r = await convertToValues("sheet", "zh");
    expect((await formulaAt("A1")).formula).toMatch(/^=TIANBAO\.TOTAL/);
    expect(r.ok).toBe(false);
  });

  it("FINDING: 转为数值 on a protected sheet says 没有需要转换的 TIANBAO 公式 although the sheet has them", async () => {
    serve();
    await sheet({ A1: '=TIANBAO.TOTAL("products","泽州县",2025)' });
    await run()(async (ctx) => { ctx.workbook.worksheets.getItem("Sheet1").protection.protect(); await ctx.sync(); });
    const r = await convertToValues("sheet", "zh");
    expect(r.message).not.toContain("没有需要转换");
  });

  it("FINDING: periods an official writes in Chinese are refused: 2025年第三季度, 2025 年, ２０２５年 (full-width), 2025年09月", async () => {
    serve({ rounds: [round("r2025", "2025"), round("q2025", "2025Q3"), round("m2025", "2025-09")] });
    await sheet({
      A1: '=TIANBAO.TOTAL("products","泽州县","2025年第三季度")',
      A2: '=TIANBAO.TOTAL("products","泽州县","2025 年")',
      A3: '=TIANBAO.TOTAL("products","泽州县","２０２５年")',
      A4: '=TIANBAO.TOTAL("products","泽州县","2025年09月")',
    });
    for (const a of ["A1", "A2", "A3", "A4"]) expect(at(a), a).toEqual({ value: 1200 });
  });

  it("FINDING: an indicator's name with half-width punctuation (质量兴县(区)活动进展:已达标) is unknown; only the full-width （区）… ： form matches", async () => {
    serve();
    await sheet({ A1: '=TIANBAO.TOTAL("质量兴县(区)活动进展:已达标","晋城市",2025)' });
    expect(at("A1")).toEqual({ value: 1 });
  });

  it("FINDING: the fake's calculation throws (circular JSON) when a TIANBAO argument is a cell holding an error; Excel does not call the function (allowErrorForDataTypeAny is false by default) and the cell shows an error", async () => {
    serve();
    await run()(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("Sheet1");
      ws.getRange("B1").formulas = [["=NA()"]];
      ws.getRange("A1").formulas = [['=TIANBAO.TOTAL("products","泽州县",B1)']];
      await ctx.sync();
    });
    await expect(cf.calculate(true)).resolves.toBeUndefined();
    expect(cf.invocations).toEqual([]);
    expect(at("A1")).toMatchObject({ error: expect.any(String) });
  });
});
