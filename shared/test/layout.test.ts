import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HyperFormula } from "hyperformula";
import {
  DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, SIGNATURE_FIELDS, aggregateReports, buildCompletenessPlan, buildFillPlan, buildTotalsPlan,
  computeCompleteness, derivedValues, fillIndex, locateIssues, parseFillGrid, planGrid, validateValues,
  type CellValue, type SheetPlan, type Values,
} from "@tianbao/shared";
import { compiled } from "./helpers";
import { valuesFor } from "./arbitraries";

const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const plan = (current: Values | null, previous: Values | null = null, comments: Record<string, string> | null = null) =>
  buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current, previous, comments });

/** Stated tolerance: half a unit in the last shown decimal, plus binary floating point's relative error. */
const tolerance = (shown: unknown): number => 0.005 + 1e-9 * Math.abs(Number(shown));

/** What a spreadsheet engine computes for a plan: every cell's value after recalculation. */
function recalculate(p: SheetPlan): CellValue[][] {
  const hf = HyperFormula.buildFromArray(planGrid(p) as (string | number | boolean | null)[][], { licenseKey: "gpl-v3" });
  return hf.getSheetValues(0) as CellValue[][];
}

describe("buildFillPlan", () => {
  it("unlocks only value and comment cells and the signature block's blanks, and protects the sheet", () => {
    const p = plan(null);
    const unlocked = p.cells.filter((x) => !x.locked);
    const inputs = c.template.indicators.filter((i) => i.kind !== "derived").length;
    expect(unlocked.filter((x) => x.style === "input")).toHaveLength(inputs);
    expect(unlocked.filter((x) => x.style === "signInput")).toHaveLength(SIGNATURE_FIELDS.length);
    expect(unlocked.every((x) => x.style === "input" || x.style === "comment" || x.style === "signInput")).toBe(true);
    expect(p.protect).toBe(true);
    expect(p.properties.tianbao).toContain("template=quality_city_annual");
    expect(p.validations.find((v) => v.type === "list")?.list).toEqual(["是", "否"]);
  });

  it("draws derived cells as formulas that a spreadsheet computes to shared's values (property)", () => {
    const index = fillIndex(c);
    fc.assert(fc.property(valuesFor(c), (values) => {
      const grid = recalculate(plan(values));
      const ours = derivedValues(c, values).values;
      for (const code of c.derivedOrder) {
        const cell = grid[index.rowOf.get(code)!]![3];
        if (ours[code] === null) expect(cell, code).toBe("");
        // shared rounds half away from zero at the indicator's decimals; the sheet shows the same figure
        else expect(Math.abs(Number(cell) - Number(ours[code])), code).toBeLessThanOrEqual(tolerance(ours[code]));
      }
    }), { numRuns: 40 });
  });
});

describe("parseFillGrid", () => {
  it("round-trips a grid through layout → parse unchanged: values, blanks and comments (property)", () => {
    fc.assert(fc.property(valuesFor(c), (values) => {
      const comments = { products: "含新投产企业", work_funds: "=SUM(A1)" };
      const parsed = parseFillGrid(c, planGrid(plan(values, null, comments)), { roundId: "r2025", unitId: "zezhou" });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.comments).toEqual(comments);
      const back = validateValues(c, parsed.values);
      const inputs = Object.fromEntries(c.template.indicators.filter((i) => i.kind !== "derived").map((i) => [i.code, values[i.code] ?? null]));
      const texts = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === "string" && c.byCode.get(k)?.kind === "text" ? (v.trim() === "" ? null : v.trim()) : v]));
      expect(back.values).toEqual(texts);
    }), { numRuns: 60 });
  });

  it("refuses another unit's, another round's or an old version's sheet with a message that says what to do", () => {
    const grid = planGrid(plan(DEMO_PAST_VALUES.zezhou!));
    const other = parseFillGrid(c, grid, { unitId: "gaoping" });
    expect(other).toMatchObject({ ok: false, error: { code: "layout.wrong_unit", cell: "A2" } });
    expect(parseFillGrid(c, grid, { roundId: "r2024" })).toMatchObject({ ok: false, error: { code: "layout.wrong_round" } });
    const v2 = compiled({ ...c.template, version: 2 });
    const old = parseFillGrid(v2, grid);
    expect(old).toMatchObject({ ok: false, error: { code: "layout.old_version" } });
    expect(!old.ok && old.error.message.zh).toContain("请重新下载填报表");
  });

  it("refuses a sheet whose rows were deleted or whose codes were edited, naming the cell", () => {
    const grid = planGrid(plan(DEMO_PAST_VALUES.zezhou!));
    const edited = grid.map((r) => [...r]);
    const row = fillIndex(c).rowOf.get("products")!;
    edited[row]![0] = "productz";
    expect(parseFillGrid(c, edited)).toMatchObject({ ok: false, error: { code: "layout.broken", cell: `A${row + 1}` } });
    const deleted = grid.filter((_, i) => i !== row);
    expect(parseFillGrid(c, deleted)).toMatchObject({ ok: false, error: { code: "layout.broken" } });
    expect(parseFillGrid(c, [["hello"]])).toMatchObject({ ok: false, error: { code: "layout.not_tianbao" } });
  });

  it("puts the cell in front of each issue: 'D14 工业产品总数（products）：必填'", () => {
    const r = validateValues(c, { ...DEMO_PAST_VALUES.zezhou!, products: null });
    const located = locateIssues(c, r.issues);
    const row = fillIndex(c).rowOf.get("products")! + 1;
    expect(located.find((i) => i.indicator === "products")?.message.zh).toBe(`D${row} 工业产品总数（products）：必填`);
  });
});

describe("buildTotalsPlan", () => {
  const reports = DEMO_REPORTING_UNITS.map((id) => ({ unitId: id, values: DEMO_PAST_VALUES[id]! }));
  const columns = reports.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values }));

  it("recalculates in a spreadsheet to the same totals and rates the reference aggregation gives", () => {
    const totals = aggregateReports(c, reports);
    const p = buildTotalsPlan(c, { title: "晋城市 2024年", note: "", columns, previous: totals });
    const grid = recalculate(p);
    const rowOf = new Map(p.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
    let checked = 0;
    for (const ind of c.template.indicators) {
      const t = totals.indicators[ind.code]!;
      const cell = grid[rowOf.get(ind.code)!]![2]; // 指标名称, 计量单位, 合计
      if (t.kind === "count" || t.kind === "amount" || t.kind === "derived") {
        expect(Math.abs(Number(cell) - Number(t.value)), ind.code).toBeLessThanOrEqual(tolerance(t.value));
        checked++;
      } else if (t.kind === "yesno") {
        expect(cell, ind.code).toBe(t.yes);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    const change = planGrid(p)[2]!.indexOf("增减（未按同口径）");
    expect(grid[rowOf.get("std_coverage_rate")!]![change]).toBe(0); // change against itself, from the exact rates
  });

  it("shows a blank total, not 0, when no unit reported", () => {
    const empty = columns.map((col) => ({ ...col, values: { ...col.values, products: null } }));
    const p = buildTotalsPlan(c, { title: "t", note: "", columns: empty });
    const rowOf = new Map(p.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
    const grid = recalculate(p);
    expect(grid[rowOf.get("products")!]![2]).toBe("");
    expect(grid[rowOf.get("std_coverage_rate")!]![2]).toBe("");
  });
});

describe("buildCompletenessPlan", () => {
  it("lists every expected unit with its state", () => {
    const comp = computeCompleteness(["zezhou", "gaoping"], [{ unitId: "zezhou", state: "returned", revision: 2, firstSubmittedAt: "2025-01-01T00:00:00Z" }], "2025-01-31T00:00:00Z", "2025-01-02T00:00:00Z");
    const p = buildCompletenessPlan(comp, { title: "晋城市 2025年", unitNames: { zezhou: "泽州县", gaoping: "高平市" }, comments: { zezhou: "数据有误" } });
    const grid = planGrid(p);
    // 00:00 UTC is 08:00 in Beijing, and the header says which clock
    expect(grid[4]).toEqual(["泽州县", "已退回", 2, "2025-01-01 08:00", "", "数据有误"]);
    expect(grid[3]?.[3]).toBe("首次上报时间（北京时间）");
    expect(grid[5]?.slice(0, 2)).toEqual(["高平市", "未报"]);
  });
});
