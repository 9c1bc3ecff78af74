import { beforeEach, describe, expect, it } from "vitest";
import {
  DEMO_PAST_VALUES, SIGNATURE_FIELDS, buildCompletenessPlan, buildFillPlan, buildTotalsPlan, computeCompleteness, fillIndex, parseFillGrid,
  type CompiledTemplate,
} from "@tianbao/shared";
import { pullIntoSheet, readActiveSheet, writeOutcome } from "../src/excel/fill-sheet";
import { writeTotalsSheets } from "../src/excel/totals-sheets";
import { sheetGrid } from "./fake-office/state";
import type { FakeHost } from "./fake-office/office";
import { compiled, ctxOf, installFakeHost, syntheticTemplate } from "./helpers";

const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const planFor = (tpl: CompiledTemplate, current: Record<string, unknown> | null = null, revision = 0) =>
  buildFillPlan(tpl, { roundId: "r2025", period: "2025", unit, current: current as never, previous: DEMO_PAST_VALUES.zezhou!, revision });

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); });

describe("pullIntoSheet", () => {
  it("creates a protected fill sheet: codes, live formulas, unlocked inputs only, validation, metadata", async () => {
    const plan = planFor(c);
    const r = await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, c));
    expect(r.created).toBe(true);
    const sheet = host.state.sheets[0]!;
    expect(sheet.protected).toBe(true);
    expect(String(sheet.cells.get("1,0")!.value)).toContain("round=r2025"); // the metadata cell A2
    expect(sheet.customProperties.size).toBe(0); // no ExcelApi 1.12 custom property: nothing read it
    const index = fillIndex(c);
    const at = (code: string, col: number) => sheet.cells.get(`${index.rowOf.get(code)},${col}`)!;
    expect(at("products", 0).value).toBe("products");
    expect(at("products", 3).locked).toBe(false);
    expect(at("products", 4).value).toBe(500); // previous period
    expect(at("std_coverage_rate", 3).formula).toMatch(/^=IF\(OR\(D\d+="",D\d+=""\)/);
    expect(at("std_coverage_rate", 3).locked).toBe(true);
    expect(at("plan_issued", 3).validation).toEqual({ list: { inCellDropDown: true, source: "是,否" } });
    const unlocked = [...sheet.cells.values()].filter((x) => !x.locked).length;
    const inputs = c.template.indicators.filter((i) => i.kind !== "derived").length;
    // value and comment of each typed figure (a computed row's note cell is closed); the signature block's blanks
    expect(unlocked).toBe(inputs * 2 + SIGNATURE_FIELDS.length);
  });

  it("keeps what the official already typed when pulled again", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(c), c));
    const row = fillIndex(c).rowOf.get("products")! + 1;
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getActiveWorksheet().getRange(`D${row}:F${row}`).values = [[612, null, "新口径"]]; await ctx.sync(); });
    const again = await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(c, { products: 500 }, 1), c));
    expect(again).toEqual({ created: false, kept: ["products"], printed: true, autoShow: true });
    const grid = sheetGrid(host.state.sheets[0]!);
    expect(grid[row - 1]![3]).toBe(612);
    expect(grid[row - 1]![5]).toBe("新口径");
    expect(host.state.sheets).toHaveLength(1);
  });

  it("keeps text that looks like a formula as text", async () => {
    const plan = buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: { remarks: "=HYPERLINK(\"x\")" } });
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, c));
    const row = fillIndex(c).rowOf.get("remarks")!;
    const cell = host.state.sheets[0]!.cells.get(`${row},3`)!;
    expect(cell.formula).toBeNull();
    expect(cell.value).toBe("=HYPERLINK(\"x\")");
  });
});

describe("readActiveSheet and writeOutcome", () => {
  it("read back exactly what was typed, then mark the exact cells and write the status", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(c, DEMO_PAST_VALUES.zezhou!), c));
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    const parsed = parseFillGrid(c, snap.grid, { unitId: "zezhou", roundId: "r2025" });
    expect(parsed.ok && parsed.values.products).toBe(500);
    expect(parsed.ok && parsed.values.plan_issued).toBe("是");
    await ctxOf(host)((ctx) => writeOutcome(ctx, snap, c, { status: "已上报 第 3 版", marks: [{ code: "products", severity: "error", text: "D33 必填" }] }));
    const sheet = host.state.sheets[0]!;
    const row = fillIndex(c).rowOf.get("products")!;
    expect(sheet.cells.get(`${row},3`)!.fill).toBe("#FDE7E9");
    expect(sheet.cells.get(`${row},6`)!.value).toBe("D33 必填");
    expect(sheet.cells.get("2,0")!.value).toBe("已上报 第 3 版");
    expect(sheet.protected).toBe(true);
    expect(sheet.cells.get(`${row},3`)!.value).toBe(500); // marks never touch the figures
  });
});

describe("round trips (context.sync calls) stay constant whatever the size", () => {
  for (const n of [20, 200, 500]) {
    // pull: read, draw, print setup (best-effort, a sync of its own); totals: list, draw, print setup
    it(`pull ≤ 3 (new and refresh), read-and-mark ≤ 2, totals ≤ 3 at ${n} indicators`, async () => {
      const tpl = syntheticTemplate(n);
      const count = async (f: () => Promise<unknown>) => { const before = host.state.syncCount; await f(); return host.state.syncCount - before; };
      expect(await count(() => ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(tpl), tpl)))).toBeLessThanOrEqual(3);
      expect(await count(() => ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(tpl), tpl)))).toBeLessThanOrEqual(3);
      expect(await count(() => ctxOf(host)(async (ctx) => {
        const s = await readActiveSheet(ctx);
        await writeOutcome(ctx, s, tpl, { status: "ok", marks: [{ code: "i0", severity: "warning", text: "w" }] });
      }))).toBeLessThanOrEqual(2);
      for (const units of [7, 150]) {
        const columns = Array.from({ length: units }, (_, k) => ({ id: `u${k}`, name: `单位${k}`, values: { i0: k } }));
        const totals = buildTotalsPlan(tpl, { title: `t${units}`, note: "", columns, chartCodes: ["i4"] });
        const comp = buildCompletenessPlan(computeCompleteness(columns.map((x) => x.id), [], "2030-01-01T00:00:00Z", "2029-01-01T00:00:00Z"), { title: `c${units}`, unitNames: {} });
        expect(await count(() => ctxOf(host)((ctx) => writeTotalsSheets(ctx, [totals, comp], "r2025|jincheng")))).toBeLessThanOrEqual(3);
      }
    });
  }
});

describe("writeTotalsSheets", () => {
  it("writes live totals formulas, the completeness sheet and a chart, replacing an earlier download", async () => {
    const columns = ["chengqu", "gaoping"].map((id) => ({ id, name: id, values: DEMO_PAST_VALUES[id]! }));
    const totals = buildTotalsPlan(c, { title: "晋城市 2024年", note: "", columns, chartCodes: ["std_coverage_rate", "grade_rate"] });
    const comp = buildCompletenessPlan(computeCompleteness(["chengqu"], [], "2030-01-01T00:00:00Z", "2029-01-01T00:00:00Z"), { title: "完成情况", unitNames: { chengqu: "城区" } });
    await ctxOf(host)((ctx) => writeTotalsSheets(ctx, [totals, comp], "r2024|jincheng"));
    await ctxOf(host)((ctx) => writeTotalsSheets(ctx, [totals, comp], "r2024|jincheng"));
    expect(host.state.sheets.map((s) => s.name)).toEqual([totals.name, comp.name]);
    const sheet = host.state.sheets[0]!;
    const formulas = sheetGrid(sheet, true);
    expect(formulas.flat().some((f) => typeof f === "string" && /^=IF\(COUNT\([A-Z]+\d+:[A-Z]+\d+\)=0,"",SUM\(/.test(f))).toBe(true);
    expect(sheet.charts).toHaveLength(1);
    expect(sheet.charts[0]!.title).toBe("主要指标分单位对比");
    expect(sheet.frozenRows).toBe(3);
  });
});
