import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HyperFormula } from "hyperformula";
import {
  DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, FILL_META_ROW, SIGNATURE_FIELDS, SIGNATURE_LABELS, creditCodeCheck, unitCodeProblem, aggregateReports, buildFillPlan, buildTotalsPlan, compareLikeWithLike,
  fillIndex, fillStatusText, parseFillGrid, planGrid, printFit, syntheticTemplate, TemplateSchema, validateValues,
  type CellValue, type SheetPlan, type Values,
} from "@tianbao/shared";
import { compiled } from "./helpers";
import { reportsFor, valuesFor } from "./arbitraries";

const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const fill = (current: Values | null = null, status?: string) =>
  buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current, ...(status !== undefined ? { status } : {}) });

/** Every formula cell of a plan after a spreadsheet engine (HyperFormula, full double precision) recalculates it. */
function recalculated(p: SheetPlan): CellValue[][] {
  const hf = HyperFormula.buildFromArray(planGrid(p) as (string | number | boolean | null)[][], { licenseKey: "gpl-v3", smartRounding: false });
  return hf.getSheetValues(0) as CellValue[][];
}

/**
 * Same figure as a spreadsheet holds it: equal, or within the last bits of a double — of the result,
 * or of the largest figure on the sheet: a double engine subtracting two figures near 10^13 is off by
 * up to their last bits (9998099488539.63 − 9999139265635.93 is −1039777096.2988281 in doubles), while
 * the stored result is exact (−1039777096.3).
 */
const sameFigure = (a: unknown, b: unknown, largest: number): boolean =>
  a === b || (typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= Math.max(1e-12 * Math.max(1, Math.abs(b)), largest * 2 ** -50));

function expectResultsAsRecalculated(p: SheetPlan): number {
  const grid = recalculated(p);
  const largest = Math.max(0, ...grid.flat().map((v) => (typeof v === "number" ? Math.abs(v) : 0)));
  let n = 0;
  for (const cell of p.cells.filter((x) => x.formula)) {
    const engine = grid[cell.row]?.[cell.col] ?? "";
    expect(cell.result, `${p.name} ${cell.formula} at row ${cell.row + 1} col ${cell.col + 1}`).toBeDefined();
    expect(sameFigure(cell.result, engine === null ? "" : engine, largest), `${cell.formula}: stored ${String(cell.result)}, engine ${String(engine)}`).toBe(true);
    n++;
  }
  return n;
}

describe("the fill sheet on paper", () => {
  it("prints on A4 landscape, one page wide, the header row on every page, at 10 pt or more (Excel's column widths)", () => {
    const p = fill();
    expect(p.print).toMatchObject({ landscape: true, titleRows: "4:4", gridlines: true });
    const fit = printFit(p);
    expect(fit.smallestPoints).toBeGreaterThanOrEqual(10);
    expect(fit.scale).toBe(1); // the printed columns fit across A4 as they are
    // a template of 300 indicators is longer, never narrower: same scale, more pages
    const big = compiled(TemplateSchema.parse(syntheticTemplate(300)));
    expect(printFit(buildFillPlan(big, { roundId: "r", period: "2025", unit, current: null })).smallestPoints).toBeGreaterThanOrEqual(10);
  });

  it("keeps the metadata off the paper: its row is hidden and the print area starts above it only to skip it", () => {
    const p = fill();
    expect(p.hiddenRows).toEqual([FILL_META_ROW]);
    const [from, to] = p.print.area!.split(":");
    expect(from).toBe("A1");
    const lastRow = Math.max(...p.cells.map((x) => x.row)) + 1;
    expect(to).toBe(`F${lastRow}`); // the form and its signature block; not the check column G
    const meta = p.cells.find((x) => x.row === FILL_META_ROW && x.col === 0)!;
    expect(meta.locked).toBe(true);
    expect(p.protect).toBe(true);
  });

  it("has a signature block under the form, the unit's name filled in, the rest left to write in as text", () => {
    const p = fill();
    const labels = p.cells.filter((x) => x.style === "signLabel");
    expect(labels.map((x) => x.value)).toEqual([...SIGNATURE_LABELS]);
    const lastIndicatorRow = fillIndex(c).rows.at(-1)!.row;
    expect(Math.min(...labels.map((x) => x.row))).toBeGreaterThan(lastIndicatorRow + 1); // a blank row between
    const inputs = p.cells.filter((x) => x.style === "signInput");
    expect(inputs.every((x) => !x.locked && x.numberFormat === "@")).toBe(true);
    expect(inputs[0]!.value).toBe("泽州县");
    for (const l of labels) expect(inputs.some((x) => x.row === l.row && x.col === l.col + 1), String(l.value)).toBe(true);
  });

  it("reads back the same figures whatever is written in the signature block, and the signature as written, never calling the layout broken (property)", () => {
    const text = fc.oneof(fc.string(), fc.constantFrom("=SUM(D5:D9)", "2025-03-01", "0356-2021234", "13900000009", "张三", "products"), fc.integer(), fc.boolean());
    // the unit code is checked (its own test below): here a valid one, a division code or nothing
    const code = fc.oneof(fc.constant(""), fc.constant("140525"), fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFGHJKLMNPQRTUWXY"), minLength: 17, maxLength: 17 }).map((b) => b + creditCodeCheck(b)));
    const signed = fc.tuple(text, code, text, text, text, text, text);
    fc.assert(fc.property(valuesFor(c), signed, (values, written) => {
      const p = fill(values);
      const plain = planGrid(p);
      const withSignature = plain.map((r) => [...r]);
      p.cells.filter((x) => x.style === "signInput").forEach((x, i) => { withSignature[x.row]![x.col] = written[i]!; });
      const a = parseFillGrid(c, plain, { roundId: "r2025", unitId: "zezhou" });
      const b = parseFillGrid(c, withSignature, { roundId: "r2025", unitId: "zezhou", formulaCells: new Set(p.cells.filter((x) => x.style === "signInput" || x.formula).map((x) => `${"ABCDEF"[x.col]}${x.row + 1}`)) });
      expect(b.ok, JSON.stringify(!b.ok && b.error)).toBe(true);
      // the figures and notes are the same; the signature is read as written (it is kept with the revision)
      expect({ ...b, signature: null }).toEqual({ ...a, signature: null });
      const fields = SIGNATURE_FIELDS;
      if (b.ok) fields.forEach((f, i) => expect(b.signature[f], f).toBe(String(written[i]).trim() || undefined));
      if (b.ok) expect(validateValues(c, b.values).values).toEqual(validateValues(c, (a as typeof b).values).values);
    }), { numRuns: 40 });
  });

  it("refuses a 统一社会信用代码 whose check character is wrong, on its cell, naming the right one (GB 32100-2015)", () => {
    const p = fill(null);
    const grid = planGrid(p).map((r) => [...r]);
    const codeCell = p.cells.filter((x) => x.style === "signInput")[1]!;
    grid[codeCell.row]![codeCell.col] = "91350100M000100Y44"; // the published example ends in 3
    const r = parseFillGrid(c, grid, { roundId: "r2025", unitId: "zezhou" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.cell).toBe(`${"ABCDEF"[codeCell.col]}${codeCell.row + 1}`);
    expect(r.error.message.zh).toContain("校验位应为「3」");
    expect(unitCodeProblem("91350100M000100Y43")).toBeNull();
    expect(unitCodeProblem("140525")).toBeNull();
    expect(unitCodeProblem("9135010OM000100Y43")!.zh).toContain("第 8 位「O」");
  });

  it("stores each rate's result beside its formula, as a spreadsheet computes it (property)", () => {
    let checked = 0;
    fc.assert(fc.property(valuesFor(c), (values) => { checked += expectResultsAsRecalculated(fill(values)); }), { numRuns: 30 });
    expect(checked).toBe(30 * c.derivedOrder.length);
  });
});

describe("fillStatusText", () => {
  it("says where the report stands in Chinese, with the reviewer's comment after a return", () => {
    expect(fillStatusText({ state: "not_started", revision: 0 })).toBe("未上报");
    expect(fillStatusText({ state: "submitted", revision: 2 })).toBe("已上报（第 2 版）");
    expect(fillStatusText({ state: "approved", revision: 3, reviewComment: "旧意见" })).toBe("已审核（第 3 版）");
    expect(fillStatusText({ state: "returned", revision: 1, reviewComment: " 产品数与去年差异过大，请核实 " })).toBe("已退回（第 1 版）：产品数与去年差异过大，请核实");
    expect(fillStatusText({ state: "returned", revision: 1, reviewComment: null })).toBe("已退回（第 1 版）");
  });

  it("gives a long comment the lines it needs on the merged status line", () => {
    const long = fillStatusText({ state: "returned", revision: 1, reviewComment: "请核实".repeat(60) });
    const p = fill(null, long);
    const height = p.rowHeights?.find((h) => h.row === 2)?.points ?? 15;
    expect(height).toBeGreaterThanOrEqual(45);
    expect(fill(null, "未上报").rowHeights).toBeUndefined();
  });
});

describe("the aggregate workbook's stored results", () => {
  const reports = DEMO_REPORTING_UNITS.map((id) => ({ unitId: id, values: DEMO_PAST_VALUES[id]! }));
  const columnsOf = (rs: { unitId: string; values: Values }[]) => rs.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values }));

  it("every formula carries the result a spreadsheet recalculates to (random rounds, with a comparison and a chart)", () => {
    let checked = 0;
    fc.assert(fc.property(reportsFor(c, 8), reportsFor(c, 8), (now, before) => {
      const comparison = compareLikeWithLike(c, new Map(now.map((r) => [r.unitId, r.values])), new Map(before.map((r) => [r.unitId, r.values])));
      const p = buildTotalsPlan(c, { title: "t", note: "", columns: columnsOf(now), previous: aggregateReports(c, before), comparison, chartCodes: ["std_coverage_rate", "grade_rate"] });
      checked += expectResultsAsRecalculated(p);
    }), { numRuns: 25 });
    expect(checked).toBeGreaterThan(25 * 60);
  }, 120_000); // 25 random workbooks recalculated by HyperFormula: seconds, longer on a loaded machine

  it("the totals column's results are the reference aggregation's totals", () => {
    const totals = aggregateReports(c, reports);
    const p = buildTotalsPlan(c, { title: "t", note: "", columns: columnsOf(reports) });
    const rowOf = new Map(p.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
    let checked = 0;
    for (const ind of c.template.indicators) {
      const t = totals.indicators[ind.code]!;
      const cell = p.cells.find((x) => x.row === rowOf.get(ind.code) && x.col === 2)!; // 指标名称, 计量单位, 合计
      if (t.kind === "count" || t.kind === "amount" || t.kind === "derived") {
        const decimals = ind.kind === "amount" || ind.kind === "derived" ? ind.decimals : 0;
        expect((cell.result as number).toFixed(decimals), ind.code).toBe(t.value);
        checked++;
      } else if (t.kind === "yesno") { expect(cell.result, ind.code).toBe(t.yes); checked++; }
    }
    expect(checked).toBe(c.template.indicators.filter((i) => i.kind !== "choice" && i.kind !== "text").length);
  });
});

describe("the change against the previous period", () => {
  it("compares like with like: both sides over the units that reported in both periods (property)", () => {
    fc.assert(fc.property(reportsFor(c, 8), reportsFor(c, 8), fc.integer({ min: 0, max: 7 }), (now, before, shift) => {
      // units u{shift}… last period: some are in both, some only in one
      const prev = before.map((r, i) => ({ ...r, unitId: `u${i + shift}` }));
      const cmp = compareLikeWithLike(c, new Map(now.map((r) => [r.unitId, r.values])), new Map(prev.map((r) => [r.unitId, r.values])));
      const both = now.filter((r) => prev.some((p) => p.unitId === r.unitId));
      expect(cmp.units).toBe(both.length);
      expect(cmp.current).toEqual(aggregateReports(c, both));
      expect(cmp.previous).toEqual(aggregateReports(c, prev.filter((p) => both.some((r) => r.unitId === p.unitId))));
      const p = buildTotalsPlan(c, { title: "t", note: "", columns: now.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values })), previous: aggregateReports(c, prev), comparison: cmp });
      const header = planGrid(p)[2]!;
      expect(header.slice(-5)).toEqual(["本期（同口径）", "上期（同口径）", "增减（同口径）", "增减幅度（%）", "指标代码"]);
      const rowOf = new Map(p.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
      const change = p.cells.find((x) => x.row === rowOf.get("products") && x.col === header.indexOf("增减（同口径）"))!;
      const [a, b] = [cmp.current.indicators.products!, cmp.previous.indicators.products!];
      if (a.kind === "count" && b.kind === "count" && a.value !== null && b.value !== null) expect(change.result).toBe(Number(a.value) - Number(b.value));
      else expect(change.result).toBe("");
    }), { numRuns: 40 });
  });

  it("says in the sheet which units it compares, or that it does not compare like with like", () => {
    const a = DEMO_REPORTING_UNITS.slice(0, 5).map((id) => [id, DEMO_PAST_VALUES[id]!] as const);
    const b = DEMO_REPORTING_UNITS.slice(1, 7).map((id) => [id, DEMO_PAST_VALUES[id]!] as const);
    const cmp = compareLikeWithLike(c, new Map(a), new Map(b));
    const note = (p: SheetPlan) => String(planGrid(p)[1]![0]);
    const columns = a.map(([id, values]) => ({ id, name: id, values }));
    expect(note(buildTotalsPlan(c, { title: "t", note: "导出于 …", columns, previous: cmp.previous, comparison: cmp })))
      .toBe("导出于 …；增减（同口径）：只比较两期都上报的 4 个单位（本期 5 个、上期 6 个单位上报）");
    const unlike = buildTotalsPlan(c, { title: "t", note: "", columns, previous: aggregateReports(c, b.map(([unitId, values]) => ({ unitId, values }))) });
    expect(note(unlike)).toBe("增减为两期全部上报单位的合计之差，未按相同单位比较（上期 6 个单位上报）");
    expect(planGrid(unlike)[2]!.slice(-3)).toEqual(["增减（未按同口径）", "增减幅度（%）", "指标代码"]);
  });

  it("leaves out a previous value whose indicator changed kind, rather than reading it wrongly", () => {
    const cmp = compareLikeWithLike(c, new Map([["a", { products: 10 }]]), new Map([["a", { products: true, work_funds: "1.5" }]]));
    expect(cmp.previous.indicators.products).toMatchObject({ value: null, reported: 0 });
    expect(cmp.previous.indicators.work_funds).toMatchObject({ value: "1.50" });
  });
});
