import { beforeEach, describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, buildCompletenessPlan, buildFillPlan, buildTotalsPlan, computeCompleteness, fillIndex } from "@tianbao/shared";
import { pullIntoSheet, readActiveSheet, writeOutcome } from "../src/excel/fill-sheet";
import { writeTotalsSheets } from "../src/excel/totals-sheets";
import { REQUIRED_SETS } from "../src/startup";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import type { FakeHost } from "./fake-office/office";

// Findings of issue 26 about the Excel side, each against the fake at least as strict as Excel.
const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const plan = () => buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision: 0 });
const totalsPlans = (title = "晋城市 2025年度") => [
  buildTotalsPlan(c, { title, note: "", columns: [{ id: "chengqu", name: "城区", values: DEMO_PAST_VALUES.chengqu! }], chartCodes: ["grade_rate"] }),
  buildCompletenessPlan(computeCompleteness(["chengqu"], [], "2030-01-01T00:00:00Z", "2029-01-01T00:00:00Z"), { title, unitNames: { chengqu: "城区" } }),
];
let host: FakeHost;
beforeEach(() => { host = installFakeHost(); });

describe("requirement sets: nothing needs ExcelApi 1.12", () => {
  it("in an Excel with ExcelApi 1.11 (no worksheet custom properties) a pull, a check and a submit's outcome all work", async () => {
    host = installFakeHost({ excelApi: "1.11" });
    expect(REQUIRED_SETS).toContainEqual(["ExcelApi", "1.11"]);
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan(), c));
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    const meta = { roundId: "r2025", unitId: "zezhou", templateId: BUILTIN_TEMPLATE.id, version: BUILTIN_TEMPLATE.version, revision: 1 } as never;
    await expect(ctxOf(host)((ctx) => writeOutcome(ctx, snap, c, { status: "已上报（第 1 版）", marks: [], meta }))).resolves.toBeUndefined();
    expect(host.state.sheets[0]!.protected).toBe(true);
  });
});

describe("writeOutcome after the network call", () => {
  it("reads protection again: the official protected the sheet again while the submission was on its way", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan(), c));
    const sheet = host.state.sheets[0]!;
    sheet.protected = false; // the official unprotected it (Review → Unprotect Sheet) before submitting
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    sheet.protected = true; // … and protected it again during the network call
    await ctxOf(host)((ctx) => writeOutcome(ctx, snap, c, { status: "已上报（第 1 版）", marks: [{ code: "products", severity: "warning", text: "请核实" }] }));
    const row = fillIndex(c).rowOf.get("products")!;
    expect(sheet.cells.get(`${row},6`)!.value).toBe("请核实");
    expect(sheet.protected).toBe(true);
  });
});

describe("下载汇总 never deletes a sheet that is not its own", () => {
  it("keeps a same-named sheet without our mark (the city's annotated copy, another template's) and writes beside it", async () => {
    const plans = totalsPlans();
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.add(plans[0]!.name).getRange("A1").values = [["市局批注：城区数据待核"]]; await ctx.sync(); });
    const w = await ctxOf(host)((ctx) => writeTotalsSheets(ctx, plans, "r2025|jincheng"));
    expect(w.sheetNames[0]).toBe(`${plans[0]!.name} (2)`);
    const kept = host.state.sheets.find((s) => s.name === plans[0]!.name)!;
    expect(kept.cells.get("0,0")!.value).toBe("市局批注：城区数据待核");
  });

  it("replaces its own sheet for the same round and unit, and leaves another round's", async () => {
    const plans = totalsPlans();
    await ctxOf(host)((ctx) => writeTotalsSheets(ctx, plans, "r2025|jincheng"));
    const again = await ctxOf(host)((ctx) => writeTotalsSheets(ctx, plans, "r2025|jincheng"));
    expect(again.sheetNames).toEqual(plans.map((p) => p.name));
    expect(host.state.sheets).toHaveLength(2);
    const other = await ctxOf(host)((ctx) => writeTotalsSheets(ctx, plans, "r2025b|jincheng"));
    expect(other.sheetNames).toEqual(plans.map((p) => `${p.name} (2)`));
    expect(host.state.sheets).toHaveLength(4);
  });

  it("replaces its own sheet even when it is the workbook's only sheet", async () => {
    const plans = totalsPlans().slice(0, 1);
    await ctxOf(host)((ctx) => writeTotalsSheets(ctx, plans, "r2025|jincheng"));
    await ctxOf(host)((ctx) => writeTotalsSheets(ctx, plans, "r2025|jincheng"));
    expect(host.state.sheets.map((s) => s.name)).toEqual([plans[0]!.name]);
  });
});

describe("print setup is best-effort", () => {
  it("a page setup Excel refuses: the fill sheet is still drawn and protected, and the pull says so", async () => {
    host = installFakeHost({ pageSetup: "fails" });
    const r = await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(r.printed).toBe(false);
    const sheet = host.state.sheets[0]!;
    expect(sheet.protected).toBe(true);
    expect(sheet.cells.get(`${fillIndex(c).rowOf.get("products")},3`)!.value).toBe(DEMO_PAST_VALUES.zezhou!.products);
  });

  it("a page setup Excel refuses: the totals are still written", async () => {
    host = installFakeHost({ pageSetup: "fails" });
    const w = await ctxOf(host)((ctx) => writeTotalsSheets(ctx, totalsPlans(), "r2025|jincheng"));
    expect(w.printed).toBe(false);
    expect(host.state.sheets).toHaveLength(2);
    expect(host.state.sheets[0]!.charts).toHaveLength(1);
  });
});
