// Live totals in cells: =TIANBAO.TOTAL / =TIANBAO.COMPLETE run in the fake Excel's custom-functions
// host (fake-office/custom-functions.ts) against a fake Worker at the fetch level, as a city
// official would use them: many cells, one recalculation, a handful of requests.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, DEMO_UNITS, aggregateReports, unitSubtree,
  type RoundView, type TotalsView, type UnitState, type UserView,
} from "@tianbao/shared";
import { api } from "../src/flows/session";
import { CUSTOM_FUNCTIONS, liveTotalsSupported, registerCustomFunctions, waiting } from "../src/functions/functions";
import { BATCH_IDLE_MS, canonicalPeriod, cellNumber, clearLiveCache, clock } from "../src/functions/live-totals";
import { callsOurFunctions } from "../src/excel/formula-values";
import { convertToValues, refreshLiveTotals } from "../src/flows/live";
import { liveTotalsCard } from "../src/taskpane/live-card";
// @ts-expect-error — plain ESM script shared with the build, no type declarations
import { buildManifest, DEV_BASE_URL, FUNCTIONS_NAMESPACE } from "../../scripts/manifest.mjs";
import { installCustomFunctions, type CustomFunctionsHost, type FunctionsMetadata } from "./fake-office/custom-functions";
import type { FakeHost } from "./fake-office/office";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json } from "./helpers-api";

const METADATA_FILE = new URL("../static/functions.json", import.meta.url);
const metadata = JSON.parse(readFileSync(METADATA_FILE, "utf8")) as FunctionsMetadata & Record<string, unknown>;

// jsdom has no type declarations here: the little this file uses of it
type Dom = { window: { document: Document; close(): void } };
const JSDOM_MODULE = "jsdom"; // a variable specifier: no declaration file is looked for
const { JSDOM } = (await import(JSDOM_MODULE)) as { JSDOM: new (html: string) => Dom };

const CITY_USER: UserView = { id: 2, username: "jc_review", displayName: "晋城市审核员", role: "reviewer" as const, unitId: "jincheng", unitName: { zh: "晋城市", en: "Jincheng" }, mustChangePassword: false };
const PROVINCE_USER: UserView = { ...CITY_USER, id: 3, username: "sx_view", role: "viewer" as const, unitId: "shanxi", unitName: { zh: "山西省", en: "Shanxi" } };

const t = (zh: string, en: string) => ({ zh, en });
const round = (over: Partial<RoundView>): RoundView => ({
  id: "r2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, templateName: BUILTIN_TEMPLATE.name,
  period: "2025", deadline: "2027-01-31T15:59:59Z", ownerUnitId: "jincheng", ownerName: t("晋城市", "Jincheng"), ownerLevel: "city",
  closed: false, expectedUnitIds: [...DEMO_REPORTING_UNITS], ...over,
});

/** The fake Worker's world: rounds, who reported what, and each report's state. */
interface World {
  rounds: RoundView[];
  reported: Record<string, Record<string, unknown>>;
  states: Record<string, UnitState>;
  /** Overrides of a unit's totals (an amount beyond 15 digits). */
  patch?: (v: TotalsView) => void;
  down?: boolean;
}
let world: World;
let requests: string[];
const realFetch = globalThis.fetch;

function freshWorld(): World {
  // qinshui has not reported; the others have their 2024 figures
  const reported = Object.fromEntries(DEMO_REPORTING_UNITS.filter((u) => u !== "qinshui").map((u) => [u, { ...DEMO_PAST_VALUES[u]! }]));
  const states = Object.fromEntries(DEMO_REPORTING_UNITS.map((u) => [u, u === "qinshui" ? "not_started" : u === "zezhou" || u === "gaoping" ? "approved" : "submitted"])) as Record<string, UnitState>;
  return {
    rounds: [
      round({}),
      round({ id: "sx2025", ownerUnitId: "shanxi", ownerName: t("山西省", "Shanxi"), ownerLevel: "province" }), // the province's round of the same period
      round({ id: "sx2024", period: "2024", ownerUnitId: "shanxi", ownerName: t("山西省", "Shanxi"), ownerLevel: "province", closed: true }),
      round({ id: "cn2024", period: "2024", ownerUnitId: "china", ownerName: t("全国", "China"), ownerLevel: "nation", closed: true }),
      round({ id: "zz2026", period: "2026", ownerUnitId: "zezhou", ownerName: t("泽州县", "Zezhou"), ownerLevel: "county", expectedUnitIds: ["zezhou"] }), // a county's own round
    ],
    reported, states,
  };
}

function totalsView(roundId: string, unitId: string, basis: "standing" | "approved"): TotalsView {
  const c = compiled();
  const counted = Object.entries(world.reported).filter(([u]) => basis === "standing" || world.states[u] === "approved");
  const sum = (id: string) => {
    const under = new Set(unitSubtree(DEMO_UNITS, id).map((u) => u.id));
    return aggregateReports(c, counted.filter(([u]) => under.has(u)).map(([u, values]) => ({ unitId: u, values: values as never })));
  };
  const v: TotalsView = {
    roundId, unitId, basis, totals: sum(unitId), previous: null,
    children: DEMO_UNITS.filter((u) => u.parentId === unitId).map((u) => ({ unitId: u.id, name: u.name, totals: sum(u.id) })),
  };
  world.patch?.(v);
  return v;
}

function serve(user: UserView): void {
  const visible = unitSubtree(DEMO_UNITS, user.unitId);
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input), "https://localhost:8787");
    requests.push(`${url.pathname}${url.search}`);
    if (world.down) throw new TypeError("Failed to fetch");
    const p = url.pathname;
    if (p.startsWith("/api/templates/")) return json(BUILTIN_TEMPLATE);
    if (p === "/api/rounds") return json(world.rounds);
    if (p === "/api/units") return json(visible);
    const m = /^\/api\/rounds\/([^/]+)\/(totals|completeness)$/.exec(p);
    if (m && m[2] === "totals") return json(totalsView(m[1]!, url.searchParams.get("unit") ?? user.unitId, (url.searchParams.get("basis") ?? "standing") as "standing"));
    if (m) {
      const units = DEMO_REPORTING_UNITS.map((u) => ({
        unitId: u, name: DEMO_UNITS.find((x) => x.id === u)!.name, state: world.states[u]!, revision: world.states[u] === "not_started" ? null : 1,
        firstSubmittedAt: null, late: u === "qinshui", reviewComment: null,
      }));
      const n = (s: UnitState) => units.filter((x) => x.state === s).length;
      return json({ expected: 7, submitted: n("submitted") + n("approved"), approved: n("approved"), returned: n("returned"), late: 1, notStarted: n("not_started"), missing: n("not_started") + n("returned"), units });
    }
    return json({ error: { code: "not_found", message: t("找不到", "Not found") } }, 404);
  }) as typeof fetch;
}

const countOf = (prefix: string) => requests.filter((r) => r.startsWith(prefix)).length;

let host: FakeHost;
let cf: CustomFunctionsHost;

function setUp(options: { runtime?: string | null; user?: UserView | null } = {}) {
  host = installFakeHost();
  cf = installCustomFunctions(host, metadata, { runtime: options.runtime });
  registerCustomFunctions();
  const user = options.user === undefined ? CITY_USER : options.user;
  if (user) { api.token = "t".repeat(43); api.user = user; }
  serve(user ?? CITY_USER);
}

// the pane's card needs a document (this file runs in Node: scripts/manifest.mjs reads files by URL)
let dom: Dom | null = null;
function withDocument(): void {
  dom = new JSDOM("<!doctype html><body></body>");
  Object.assign(globalThis, { document: dom.window.document });
}

beforeEach(() => {
  world = freshWorld();
  requests = [];
  clearLiveCache();
  waiting.forSignIn = false;
  clock.now = () => Date.now();
});
afterEach(() => {
  globalThis.fetch = realFetch; api.token = null; api.user = null;
  if (dom) { dom.window.close(); dom = null; delete (globalThis as { document?: unknown }).document; }
});

/** Writes formulas into a sheet (one row per entry), recalculates as Excel would, and reads the values back. */
async function calc(formulas: string[][], sheet = "汇总"): Promise<unknown[][]> {
  await ctxOf(host)(async (ctx) => {
    const exists = host.state.sheets.some((s) => s.name === sheet);
    const target = exists ? ctx.workbook.worksheets.getItem(sheet) : ctx.workbook.worksheets.add(sheet);
    target.getRange(`A1:${String.fromCharCode(64 + formulas[0]!.length)}${formulas.length}`).formulas = formulas;
    await ctx.sync();
  });
  await cf.calculate();
  return read(sheet, formulas.length, formulas[0]!.length);
}

async function read(sheet: string, rows: number, cols: number): Promise<unknown[][]> {
  return ctxOf(host)(async (ctx) => {
    const r = ctx.workbook.worksheets.getItem(sheet).getRange(`A1:${String.fromCharCode(64 + cols)}${rows}`).load("values");
    await ctx.sync();
    return r.values;
  });
}

const TOTAL = (ind: string, unit: string, period: string | number, basis?: string) =>
  `=TIANBAO.TOTAL("${ind}","${unit}",${typeof period === "number" ? period : `"${period}"`}${basis ? `,"${basis}"` : ""})`;

describe("=TIANBAO.TOTAL: batched and memoised", () => {
  it("a sheet of 7 units × 6 indicators and 7 completion rates: 5 requests, not 49", async () => {
    setUp();
    const counties = ["城区", "高平市", "泽州县", "沁水县", "阳城县", "陵川县", "晋城市本级"];
    const indicators = ["products", "工业产品总数", "spot_passed", "plan_issued", "std_coverage_rate", "work_funds"];
    const grid = counties.map((u) => [...indicators.map((i) => TOTAL(i, u, 2025)), `=TIANBAO.COMPLETE("${u}",2025)`]);
    const values = await calc(grid);
    // rounds, units, one template, one totals view (the city's: its children's rows), one completeness
    expect(countOf("/api/rounds")).toBe(3);
    expect(requests.filter((r) => r === "/api/rounds")).toHaveLength(1);
    expect(countOf("/api/units")).toBe(1);
    expect(countOf("/api/templates/")).toBe(1);
    expect(requests.filter((r) => r.includes("/totals"))).toEqual(["/api/rounds/r2025/totals?basis=standing"]);
    expect(countOf("/api/rounds/r2025/completeness")).toBe(1);
    expect(requests).toHaveLength(5);
    expect(cf.invocations).toHaveLength(49); // Excel still calls the function once per cell
    const zezhou = values[2]!;
    expect(zezhou.slice(0, 3)).toEqual([500, 500, 218]); // code and Chinese name alike
    expect(zezhou[3]).toBe(1); // yes/no: the number of units that said 是
    expect(zezhou[4]).toBe(87); // a rate, the ratio of the sums as the server gives it ((500 − 65) / 500 × 100)
    expect(zezhou[5]).toBe(14.2);
    expect(zezhou[6]).toBe(1); // completeness of a reporting unit: 1 of 1
  });

  it("a second recalculation within the batch window sends nothing; after it, the figures are fetched again", async () => {
    setUp();
    let now = 1_000_000;
    clock.now = () => now;
    await calc([[TOTAL("products", "泽州县", 2025)]]);
    const first = requests.length;
    now += 1_000;
    await calc([[TOTAL("products", "泽州县", 2025), TOTAL("products", "城区", 2025)]]);
    expect(requests.length).toBe(first); // same batch: the memoised answers serve the new cell
    now += BATCH_IDLE_MS + 1;
    world.reported.zezhou!.products = 600;
    await cf.calculate(true);
    expect(requests.length).toBe(first + 3); // rounds, units and the totals again (a template never changes)
    expect((await read("汇总", 1, 1))[0]).toEqual([600]);
  });

  it("the city's own total, a grandchild for the province (its parent's view), and the accepted basis of a unit", async () => {
    setUp({ user: PROVINCE_USER });
    const values = await calc([[
      TOTAL("products", "晋城市", "sx2025"), TOTAL("products", "zezhou", "sx2025"), TOTAL("products", "泽州县", "sx2025", "approved"), TOTAL("products", "晋城市", "sx2025", "approved"),
    ]]);
    expect(values[0]).toEqual([2570 - 330, 500, 500, 500 + 520]); // qinshui (330) has not reported; approved: zezhou and gaoping
    // standing: the city's row in the province's view, the county's in the city's; accepted without review levels likewise
    expect(requests.filter((r) => r.includes("/totals")).sort()).toEqual([
      "/api/rounds/sx2025/totals?basis=approved", "/api/rounds/sx2025/totals?basis=standing",
      "/api/rounds/sx2025/totals?unit=jincheng&basis=approved", "/api/rounds/sx2025/totals?unit=jincheng&basis=standing",
    ]);
  });

  it("the accepted basis of a round with review levels asks for the unit's own view (a child's row is what it adds above)", async () => {
    setUp({ user: PROVINCE_USER });
    world.rounds = world.rounds.map((r) => (r.id === "sx2025" ? { ...r, levelUnitIds: ["jincheng"] } : r));
    await calc([[TOTAL("products", "晋城市", "sx2025", "approved")]]);
    expect(requests.filter((r) => r.includes("/totals"))).toEqual(["/api/rounds/sx2025/totals?unit=jincheng&basis=approved"]);
  });
});

describe("=TIANBAO.TOTAL: blank is not 0, exact amounts stay exact", () => {
  it("an optional argument from an empty cell (null on the web, 0 on Windows) is left out", async () => {
    setUp();
    const values = await calc([[TOTAL("products", "泽州县", 2025), `=TIANBAO.TOTAL("products","泽州县",2025,0)`, `=TIANBAO.TOTAL("products","泽州县",2025,Z9)`, `=TIANBAO.COMPLETE("泽州县",2025,0)`]]);
    expect(values[0]).toEqual([500, 500, 500, 1]);
    // an omitted optional parameter is passed as null, like an empty cell on the web: the same call
    expect(cf.invocations.filter((i) => i.id === "TOTAL").map((i) => i.args)).toEqual([["products", "泽州县", 2025, null], ["products", "泽州县", 2025, 0]]);
  });

  it("a unit that has not reported is blank; a reported 0 is 0", async () => {
    setUp();
    const values = await calc([[TOTAL("products", "沁水县", 2025), TOTAL("quality_incidents", "城区", 2025), TOTAL("quality_incidents", "泽州县", 2025), TOTAL("work_funds", "jincheng_self", 2025), TOTAL("std_coverage_rate", "沁水县", 2025)]]);
    expect(values[0]).toEqual(["", 0, 1, 0, ""]);
    expect(cf.resultAt("汇总!A1")).toEqual({ value: "" });
  });

  it("the host shows a returned null as 0, as Excel does (so the blank above is not vacuous)", async () => {
    setUp();
    cf.associated.set("TOTAL", () => null);
    expect((await calc([[TOTAL("products", "沁水县", 2025)]]))[0]).toEqual([0]);
  });

  it("an amount beyond 15 significant digits is exact text; within them, a number", async () => {
    setUp();
    world.patch = (v) => {
      const row = v.children.find((c) => c.unitId === "zezhou")!;
      row.totals.indicators.brand_output = { kind: "amount", value: "12345678901234567.89", reported: 1 };
      row.totals.indicators.brand_exports = { kind: "amount", value: "1234567890123.45", reported: 1 };
    };
    const values = await calc([[TOTAL("brand_output", "泽州县", 2025), TOTAL("brand_exports", "泽州县", 2025)]]);
    expect(values[0]![0]).toBe("12345678901234567.89");
    // what the function answered (the fake's formula engine rounds numbers it shows to 11 digits; Excel keeps 15)
    expect(cf.resultAt("汇总!B1")).toEqual({ value: 1234567890123.45 });
    expect(cellNumber("100000000000000000000")).toBe(1e20); // trailing zeros are not significant
    expect(cellNumber("0.000000000000001234")).toBe(1.234e-15);
    expect(cellNumber("-1234567890.123456")).toBe("-1234567890.123456"); // 16 digits
    expect(cellNumber("0.00")).toBe(0);
  });

  it("a choice's option counts the units that chose it; the choice alone and a text answer have no total", async () => {
    setUp();
    const values = await calc([[TOTAL("drive_status:achieved", "晋城市", 2025), TOTAL("质量兴县（区）活动进展：正在推进", "晋城市", 2025), TOTAL("drive_status", "晋城市", 2025)]]);
    expect(values[0]!.slice(0, 2)).toEqual([2, 4]); // qinshui (not_started) has not reported
    expect(cf.resultAt("汇总!C1")).toMatchObject({ error: "#VALUE!" });
    expect((cf.resultAt("汇总!C1") as { message: string }).message).toContain("选择题");
  });
});

describe("=TIANBAO.TOTAL: clear errors", () => {
  const errorOf = (cell: string) => cf.resultAt(`汇总!${cell}`) as { error: string; message?: string };

  it("unknown indicator or unit, a malformed period, an unknown basis: #VALUE! saying what to write", async () => {
    setUp();
    await calc([[TOTAL("no_such", "泽州县", 2025), TOTAL("products", "泽州", 2025), TOTAL("products", "泽州县", "2025年13月"), TOTAL("products", "泽州县", 2025, "final")]]);
    expect(errorOf("A1")).toEqual({ error: "#VALUE!", message: expect.stringContaining("没有指标“no_such”") });
    expect(errorOf("B1")).toEqual({ error: "#VALUE!", message: expect.stringContaining("找不到单位“泽州”") });
    expect(errorOf("C1")).toEqual({ error: "#VALUE!", message: expect.stringContaining("期别“2025年13月”写法不对") });
    expect(errorOf("D1")).toEqual({ error: "#VALUE!", message: expect.stringContaining("approved") });
    // a unit outside the user's subtree is unknown too (the server would refuse it anyway)
    await calc([[TOTAL("products", "长治市", 2025)]], "B");
    expect(cf.resultAt("B!A1")).toMatchObject({ error: "#VALUE!" });
  });

  it("a period with no round, or with several from above: #N/A naming the rounds; the round's code picks one", async () => {
    setUp();
    await calc([[TOTAL("products", "泽州县", 2023), TOTAL("products", "泽州县", 2024), TOTAL("products", "泽州县", "sx2024"), TOTAL("products", "泽州县", 2026)]]);
    expect(errorOf("A1")).toEqual({ error: "#N/A", message: expect.stringContaining("没有期别 2023（有：2024、2025）") });
    expect(errorOf("B1").error).toBe("#N/A");
    expect(errorOf("B1").message).toContain("山西省 2024年 质量兴市工作年报（代码 sx2024）");
    expect(errorOf("B1").message).toContain("cn2024");
    expect(cf.resultAt("汇总!C1")).toEqual({ value: 500 });
    // 2026 exists only as a county's own round: below the user, so it never counts
    expect(errorOf("D1").message).toContain("没有期别 2026");
  });

  it("the city's own round wins over the province's round of the same period", async () => {
    setUp();
    await calc([[TOTAL("products", "泽州县", "2025年")]]);
    expect(requests.filter((r) => r.includes("/totals"))).toEqual(["/api/rounds/r2025/totals?basis=standing"]);
  });

  it("not signed in: #N/A asking to sign in, no request; signing in recalculates those cells", async () => {
    setUp({ user: null });
    await calc([[TOTAL("products", "泽州县", 2025), `=TIANBAO.COMPLETE("泽州县",2025)`]]);
    expect(errorOf("A1")).toEqual({ error: "#N/A", message: expect.stringContaining("请先在天宝质量填报窗格中登录") });
    expect(errorOf("B1").error).toBe("#N/A");
    expect(requests).toEqual([]);
    expect(waiting.forSignIn).toBe(true);
    api.token = "t".repeat(43);
    api.user = CITY_USER;
    withDocument();
    liveTotalsCard("zh", async (f) => f(), () => undefined); // the pane shows the card after the sign-in
    await vi.waitFor(async () => { await cf.idle(); expect((await read("汇总", 1, 2))[0]).toEqual([500, 1]); });
  });

  it("server unreachable: #N/A saying so, one attempt for all cells of the batch", async () => {
    setUp();
    world.down = true;
    await calc([[TOTAL("products", "泽州县", 2025), TOTAL("products", "城区", 2025), TOTAL("spot_passed", "城区", 2025)]]);
    for (const c of ["A1", "B1", "C1"]) expect(errorOf(c)).toEqual({ error: "#N/A", message: expect.stringContaining("无法连接天宝服务器") });
    expect(requests).toEqual(["/api/units"]);
  });

  it("English Excel gets the English message", async () => {
    setUp();
    host.Office.context.displayLanguage = "en-US";
    await calc([[TOTAL("no_such", "泽州县", 2025)]]);
    expect(errorOf("A1").message).toContain("indicator “no_such”: write its code or full name");
  });
});

describe("=TIANBAO.COMPLETE", () => {
  it("rate (default) from the counts, and each count by name, for the city and for one unit", async () => {
    setUp();
    const values = await calc([[
      `=TIANBAO.COMPLETE("晋城市",2025)`, `=TIANBAO.COMPLETE("晋城市",2025,"submitted")`, `=TIANBAO.COMPLETE("jincheng",2025,"应报")`,
      `=TIANBAO.COMPLETE("晋城市",2025,"approved")`, `=TIANBAO.COMPLETE("晋城市",2025,"missing")`, `=TIANBAO.COMPLETE("沁水县",2025)`, `=TIANBAO.COMPLETE("沁水县",2025,"late")`,
    ]]);
    expect(values[0]!.slice(1)).toEqual([6, 7, 2, 1, 0, 1]);
    expect(cf.resultAt("汇总!A1")).toEqual({ value: 6 / 7 }); // a fraction: format the cell as a percentage
    await calc([[`=TIANBAO.COMPLETE("晋城市",2025,"done")`]], "B");
    expect(cf.resultAt("B!A1")).toMatchObject({ error: "#VALUE!" });
  });
});

describe("刷新 and 转为数值", () => {
  it("刷新 clears the cache and recalculates every TIANBAO cell in one batch with the latest figures", async () => {
    setUp();
    await calc([[TOTAL("products", "泽州县", 2025), TOTAL("products", "城区", 2025)]]);
    const before = requests.length;
    world.reported.zezhou!.products = 640;
    const r = await refreshLiveTotals("zh");
    expect(r).toEqual({ ok: true, message: expect.stringContaining("已刷新") });
    await cf.idle();
    expect((await read("汇总", 1, 2))[0]).toEqual([640, 300]);
    expect(requests.length - before).toBe(3); // rounds, units, totals: not one per cell
  });

  it("转为数值 replaces our formulas on the active sheet with what they show; other formulas and sheets stay", async () => {
    setUp();
    world.patch = (v) => { v.children.find((c) => c.unitId === "zezhou")!.totals.indicators.brand_output = { kind: "amount", value: "12345678901234567.89", reported: 1 }; };
    await calc([[TOTAL("products", "泽州县", 2025), TOTAL("products", "沁水县", 2025), `=TIANBAO.TOTAL("products","泽州县",2025)/100`, "=SUM(1,2)", TOTAL("brand_output", "泽州县", 2025), TOTAL("nope", "泽州县", 2025)]]);
    await calc([[TOTAL("products", "城区", 2025)]], "其他");
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getItem("汇总").activate(); await ctx.sync(); });
    const r = await convertToValues("sheet", "zh");
    expect(r).toEqual({ ok: true, message: expect.stringContaining("已将 5 个 TIANBAO 公式转为数值") });
    const formulas = await ctxOf(host)(async (ctx) => {
      const a = ctx.workbook.worksheets.getItem("汇总").getRange("A1:F1").load("formulas, values, valueTypes");
      const b = ctx.workbook.worksheets.getItem("其他").getRange("A1").load("formulas");
      await ctx.sync();
      return { a: a.formulas[0], values: a.values[0], types: a.valueTypes[0], b: b.formulas[0] };
    });
    expect(formulas.a).toEqual([500, "", 5, "=SUM(1,2)", "12345678901234567.89", "#VALUE!"]);
    expect(formulas.types).toEqual(["Double", "Empty", "Double", "Double", "String", "Error"]); // the exact amount stays text
    expect(formulas.b).toEqual([TOTAL("products", "城区", 2025)]);
    expect(await convertToValues("workbook", "zh")).toEqual({ ok: true, message: expect.stringContaining("已将 1 个") });
  });

  it("转为数值 refuses while a cell is still fetching (#BUSY!), and leaves a protected sheet as it is", async () => {
    setUp();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const real = cf.associated.get("TOTAL")!;
    cf.associated.set("TOTAL", async (...a: unknown[]) => { await gate; return real(...a); });
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.add("汇总").getRange("A1").formulas = [[TOTAL("products", "泽州县", 2025)]]; await ctx.sync(); });
    const running = cf.calculate();
    expect((await read("汇总", 1, 1))[0]).toEqual(["#BUSY!"]);
    expect(await convertToValues("sheet", "zh")).toEqual({ ok: false, message: expect.stringContaining("正在取数") });
    release();
    await running;
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getItem("汇总").protection.protect(); await ctx.sync(); });
    const r = await convertToValues("sheet", "zh");
    expect(r.message).toContain("受保护的工作表中的 TIANBAO 公式保持原样，未转为数值：汇总");
    expect(host.state.sheets[0]!.cells.get("0,0")!.formula).toBe(TOTAL("products", "泽州县", 2025));
  });

  it("finds our calls inside larger formulas, never inside text", () => {
    expect(callsOurFunctions('=IFERROR(tianbao.total("a","b",2025),"")')).toBe(true);
    expect(callsOurFunctions('=TIANBAODEV.COMPLETE("b",2025)')).toBe(true);
    expect(callsOurFunctions('="TIANBAO.TOTAL(x)"')).toBe(false);
    expect(callsOurFunctions("=MYTIANBAO.TOTAL(1)")).toBe(false);
    expect(callsOurFunctions("TIANBAO.TOTAL(1)")).toBe(false);
  });
});

describe("where custom functions are not supported", () => {
  it("no CustomFunctionsRuntime: nothing registers, the add-in runs, and the pane says which Excel has them", () => {
    setUp({ runtime: null });
    expect(liveTotalsSupported()).toBe(false);
    expect(registerCustomFunctions()).toBe(false);
    withDocument();
    const card = liveTotalsCard("zh", async (f) => f(), () => undefined);
    expect(card.querySelector("#live-unsupported")!.textContent).toContain("版本 2311");
    expect(card.querySelector("#live-refresh")).toBeNull();
  });

  it("CustomFunctionsRuntime 1.1 (no CustomFunctions.Error): a problem still shows as an error, #VALUE!", async () => {
    setUp({ runtime: "1.1" });
    expect(liveTotalsSupported()).toBe(true);
    await calc([[TOTAL("no_such", "泽州县", 2025)]]);
    expect(cf.resultAt("汇总!A1")).toEqual({ error: "#VALUE!" });
  });
});

// The metadata is hand-written. Microsoft's JSON schema for it
// (https://developer.microsoft.com/json-schemas/office-js/custom-functions.schema.json, named in
// "Manually create JSON metadata for custom functions") cannot be fetched here, so its documented
// rules are checked one by one, citing
// https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-json (metadata reference) and
// https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-naming (naming guidelines).
describe("functions.json against the documented metadata rules", () => {
  const TOP = new Set(["$schema", "allowCustomDataForDataTypeAny", "allowErrorForDataTypeAny", "functions", "enums"]);
  const FUNCTION = { required: ["id", "name", "parameters", "result"], allowed: new Set(["id", "name", "description", "helpUrl", "options", "parameters", "result"]) };
  const PARAMETER = new Set(["name", "description", "dimensionality", "type", "cellValueType", "customEnumId", "optional", "repeating"]);
  const TYPES = new Set(["boolean", "number", "string", "any"]);
  const DIMENSIONS = new Set(["scalar", "matrix"]);
  const OPTIONS = new Set(["cancelable", "capturesCallingObject", "excludeFromAutoComplete", "linkedEntityLoadService", "requiresAddress", "requiresParameterAddresses", "requiresStreamAddress", "requiresStreamParameterAddresses", "stream", "volatile"]);
  // the rules applied to any metadata, so that the check can be seen to fail
  function problems(m: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const k of Object.keys(m)) if (!TOP.has(k)) out.push(`unknown top-level property ${k}`);
    if (m.$schema !== "https://developer.microsoft.com/json-schemas/office-js/custom-functions.schema.json") out.push("$schema");
    const fns = m.functions as Record<string, unknown>[] | undefined;
    if (!Array.isArray(fns) || fns.length === 0) return [...out, "functions must be a non-empty array"];
    const ids = new Set<string>();
    for (const f of fns) {
      for (const k of FUNCTION.required) if (!(k in f)) out.push(`${String(f.id)}: ${k} is required`);
      for (const k of Object.keys(f)) if (!FUNCTION.allowed.has(k)) out.push(`${String(f.id)}: unknown property ${k}`);
      const id = String(f.id);
      // "This ID can only contain alphanumeric characters and periods"; ids unique in the file;
      // ids and names "must start with a letter and have a minimum limit of three characters"
      if (!/^[A-Za-z][A-Za-z0-9.]{2,}$/.test(id)) out.push(`${id}: id must be letters, digits and periods, from a letter, 3 or more`);
      if (ids.has(id)) out.push(`${id}: duplicate id`);
      ids.add(id);
      const name = String(f.name);
      if (!/^\p{L}[\p{L}\p{N}_.]{2,}$/u.test(name) || name.endsWith(".")) out.push(`${id}: name must be Unicode letters, digits, _ and ., from a letter, 3 or more`);
      if (/^[A-Z]{1,3}[0-9]{1,7}$/i.test(name) || /^R[0-9]+C[0-9]+$/i.test(name)) out.push(`${id}: name looks like a cell reference`);
      const result = f.result as Record<string, unknown>;
      if (typeof result !== "object" || result === null) out.push(`${id}: result must be an object`);
      else {
        if (result.type !== undefined && !TYPES.has(String(result.type))) out.push(`${id}: result.type`);
        if (result.dimensionality !== undefined && !DIMENSIONS.has(String(result.dimensionality))) out.push(`${id}: result.dimensionality`);
      }
      const params = f.parameters as Record<string, unknown>[];
      if (!Array.isArray(params)) { out.push(`${id}: parameters must be an array`); continue; }
      let optionalSeen = false;
      for (const p of params) {
        for (const k of Object.keys(p)) if (!PARAMETER.has(k)) out.push(`${id}.${String(p.name)}: unknown property ${k}`);
        if (typeof p.name !== "string" || !p.name) out.push(`${id}: a parameter needs a name`);
        if (p.type !== undefined && !TYPES.has(String(p.type))) out.push(`${id}.${String(p.name)}: type`);
        if (p.dimensionality !== undefined && !DIMENSIONS.has(String(p.dimensionality))) out.push(`${id}.${String(p.name)}: dimensionality`);
        if (p.optional !== undefined && typeof p.optional !== "boolean") out.push(`${id}.${String(p.name)}: optional must be a Boolean`);
        // optional parameters come after the required ones (Excel fills arguments in order)
        if (p.optional) optionalSeen = true;
        else if (optionalSeen) out.push(`${id}.${String(p.name)}: a required parameter after an optional one`);
      }
      const options = (f.options ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(options)) if (!OPTIONS.has(k)) out.push(`${id}: unknown option ${k}`);
      if (options.stream && (options.cancelable || options.volatile || options.requiresAddress)) out.push(`${id}: stream excludes cancelable, volatile and requiresAddress`);
    }
    return out;
  }

  it("follows every rule of the metadata reference", () => {
    expect(problems(metadata)).toEqual([]);
  });

  it("and the rules catch mistakes (so the check is not vacuous)", () => {
    const bad = JSON.parse(JSON.stringify(metadata)) as { functions: Record<string, unknown>[] } & Record<string, unknown>;
    bad.functions[0]!.id = "TO-TAL";
    bad.functions[1]!.id = bad.functions[0]!.id;
    (bad.functions[0]!.parameters as Record<string, unknown>[])[0]!.optional = true;
    (bad.functions[0]!.result as Record<string, unknown>).type = "decimal";
    bad.extra = 1;
    expect(problems(bad).length).toBeGreaterThanOrEqual(5);
  });

  it("each id is associated in code, with one declared parameter per argument, and the manifest points at this file with our namespace", () => {
    expect(metadata.functions.map((f) => f.id)).toEqual(Object.keys(CUSTOM_FUNCTIONS));
    for (const f of metadata.functions) expect(CUSTOM_FUNCTIONS[f.id as keyof typeof CUSTOM_FUNCTIONS].length, f.id).toBe(f.parameters.length);
    const prod = buildManifest("https://tianbao.example.cn") as string;
    expect(prod).toContain('<bt:Url id="Functions.Metadata.Url" DefaultValue="https://tianbao.example.cn/functions.json"/>');
    expect(prod).toMatch(new RegExp(`<bt:String id="Functions.Namespace" DefaultValue="${FUNCTIONS_NAMESPACE}">`));
    expect(buildManifest(DEV_BASE_URL)).toContain('<bt:String id="Functions.Namespace" DefaultValue="TIANBAODEV">'); // never clashes with the deployed one
    // the custom functions run in the shared runtime: their Page is the task pane
    expect(prod).toMatch(/<ExtensionPoint xsi:type="CustomFunctions">[\s\S]*<Page>\s*<SourceLocation resid="Taskpane.Url"\/>/);
    // not a requirement: an Excel without custom functions still installs the add-in and its ribbon
    expect(prod).not.toContain("CustomFunctionsRuntime");
    // Excel on the web fetches the metadata cross-origin
    expect(readFileSync(new URL("../static/_headers", import.meta.url), "utf8")).toMatch(/\/functions\.json\n\s+Access-Control-Allow-Origin: \*/);
  });
});

describe("periods as officials write them, and the add-in's own problems (review 26)", () => {
  it("the Chinese forms of a period, full-width, spaced, with Chinese numerals or a leading zero", () => {
    const forms: [string, string | null][] = [
      ["2025", "2025"], ["2025q3", "2025Q3"], ["2025年", "2025"], ["2025 年", "2025"], ["２０２５年", "2025"], ["2025年度", "2025"],
      ["2025年上半年", "2025H1"], ["2025年下半年", "2025H2"], ["2025年第3季度", "2025Q3"], ["2025年第三季度", "2025Q3"], ["2025年四季度", "2025Q4"],
      ["2025年9月", "2025-09"], ["2025年09月", "2025-09"], ["2025年九月", "2025-09"], ["2025年十二月", "2025-12"], ["2025-9", "2025-09"],
      ["2025年13月", null], ["2025年第5季度", null], ["2025年十三月", null], ["25年", null], ["r2025", null],
    ];
    for (const [written, period] of forms) expect(canonicalPeriod(written), written).toBe(period);
  });

  it("a period header that Excel made a date (2025-09 or 2025年9月 typed into a General cell) is its month", async () => {
    setUp();
    world.rounds.push(round({ id: "m2025", period: "2025-09" }));
    await ctxOf(host)(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("汇总");
      ws.getRange("B1:B2").values = [["2025-09"], ["2025年9月"]];
      ws.getRange("A1:A3").formulas = [["=TIANBAO.TOTAL(\"products\",\"泽州县\",B1)"], ["=TIANBAO.TOTAL(\"products\",\"泽州县\",B2)"], [TOTAL("products", "泽州县", "2025-09")]];
      ws.getRange("C1").formulas = [["=TIANBAO.COMPLETE(\"晋城市\",DATE(2024,3,1))"]];
      await ctx.sync();
    });
    await cf.calculate();
    const values = await read("汇总", 3, 1);
    expect(typeof values[2]![0]).toBe("number");
    expect(values).toEqual([values[2], values[2], values[2]]);
    // no monthly round of March 2024: the message names the date and the month it was read as
    const c1 = cf.resultAt("汇总!C1") as { error: string; message: string };
    expect(c1.error).toBe("#N/A");
    expect(c1.message).toContain("期别是日期 2024年3月1日");
    expect(c1.message).toContain("2024年3月");
    expect(c1.message).not.toContain("45352");
  });

  it("TRUE written in a formula reaches the function as the logical value; an error argument never reaches it", async () => {
    setUp();
    await calc([["=TIANBAO.TOTAL(\"products\",TRUE,2025)", "=TIANBAO.TOTAL(\"products\",\"泽州县\",1/0)"]]);
    expect(cf.invocations.map((i) => i.args[1])).toEqual([true]);
    expect(cf.resultAt("汇总!B1")).toEqual({ error: "#DIV/0!" });
  });

  it("转为数值 changes nothing while cells show the server unreachable, and converts after 刷新 once it is back", async () => {
    setUp();
    world.down = true;
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await calc([[TOTAL("products", "泽州县", 2025), TOTAL("products", "泽州县", 2023)]]);
    const r = await convertToValues("sheet", "zh");
    expect(r).toEqual({ ok: false, message: expect.stringContaining("无法连接服务器") });
    expect(host.state.sheets[0]!.cells.get("0,0")!.formula).toBe(TOTAL("products", "泽州县", 2025));
    world.down = false;
    await refreshLiveTotals("zh");
    await cf.idle();
    const again = await convertToValues("sheet", "zh");
    expect(again.ok).toBe(true);
    expect(host.state.sheets[0]!.cells.get("0,0")!.formula).toBeNull();
    expect(host.state.sheets[0]!.cells.get("0,1")).toMatchObject({ formula: null, value: "#N/A", error: true }); // no round of 2023: a real answer, frozen
  });

  it("a county reporter's account: every cell says the functions are for city roles, and nothing is asked of the server", async () => {
    setUp({ user: { ...CITY_USER, role: "reporter", unitId: "zezhou", unitName: { zh: "泽州县", en: "Zezhou" } } });
    await calc([[TOTAL("products", "泽州县", 2025), "=TIANBAO.COMPLETE(\"泽州县\",2025)"]]);
    for (const a of ["A1", "B1"]) expect(cf.resultAt(`汇总!${a}`)).toEqual({ error: "#N/A", message: expect.stringContaining("市级角色") });
    expect(requests).toEqual([]);
  });
});
