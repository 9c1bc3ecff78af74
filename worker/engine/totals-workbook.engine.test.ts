import { describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_YOY_PAST_VALUES, DEMO_YOY_TEMPLATE, lastYearFigures, type Values, DEMO_REPORTING_UNITS, aggregateReports, buildTotalsPlan, compareLikeWithLike, compileTemplate, type CompiledTemplate,
} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { convert, haveLibreOffice, recalculate } from "./libreoffice";
import { linesOf, readPdfText } from "./pdf";

// The aggregate workbook as LibreOffice prints and recalculates it (issue 22): names lead, the codes
// stay off the paper, a rate's change reads in 个百分点 and a count's in 增减幅度 %.

const compile = (t: Parameters<typeof compileTemplate>[0]): CompiledTemplate => { const r = compileTemplate(t); if (!r.ok) throw new Error("template"); return r.compiled; };
const c = compile(BUILTIN_TEMPLATE);

function demoPlan() {
  const before = DEMO_REPORTING_UNITS.map((unitId) => ({ unitId, values: DEMO_PAST_VALUES[unitId]! }));
  // this year: every unit reports 10 % more products, and the same standards
  const now = before.map((r) => ({ unitId: r.unitId, values: { ...r.values, products: Math.round(Number(r.values.products) * 1.1) } }));
  const comparison = compareLikeWithLike(c, new Map(now.map((r) => [r.unitId, r.values])), new Map(before.map((r) => [r.unitId, r.values])));
  return buildTotalsPlan(c, {
    title: "晋城市 2025年 质量兴市工作年报", note: "含已上报和已审核数据",
    columns: now.map((r, i) => ({ id: r.unitId, name: r.unitId, values: r.values, state: i === 1 ? "returned" as const : "approved" as const })),
    previous: aggregateReports(c, before), comparison,
  });
}

describe.skipIf(!haveLibreOffice)("the aggregate workbook on paper and recalculated (LibreOffice)", () => {
  it("prints names, not codes, with the change of a rate in 个百分点 and the growth of a count in %", async () => {
    const plan = demoPlan();
    const pages = readPdfText(convert(new Uint8Array(await renderWorkbook([plan])), "totals.xlsx", "pdf:calc_pdf_Export")).map(linesOf);
    const text = pages.flat().join("\n");
    expect(text).toContain("标准覆盖率");
    expect(text).not.toContain("指标代码");
    expect(text).not.toContain("std_coverage_rate"); // the code column is outside the print area
    expect(text).toMatch(/-?\d+\.\d\d 个百分点/);
    expect(text).toMatch(/\d+\.\d%/);
    expect(text).toContain("已退回"); // the returned unit's column is marked
  });

  it("recalculates 增减幅度 to the exact growth and a rate's change to the difference of the exact rates", async () => {
    const plan = demoPlan();
    const grid = recalculate(await renderWorkbook([plan])).get(plan.name)!;
    const header = grid[2]!;
    const rowOf = new Map(plan.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
    const products = grid[rowOf.get("products")!]!;
    const [now, before] = [Number(products[header.indexOf("本期（同口径）")]), Number(products[header.indexOf("上期（同口径）")])];
    expect(Number(products[header.indexOf("增减幅度（%）")])).toBeCloseTo((now - before) / before, 12);
    const rate = grid[rowOf.get("std_coverage_rate")!]!;
    const stored = plan.cells.find((x) => x.row === rowOf.get("std_coverage_rate") && x.col === header.indexOf("增减（同口径）"))!;
    expect(Number(rate[header.indexOf("增减（同口径）")])).toBeCloseTo(Number(stored.result), 12);
    expect(rate[header.indexOf("增减幅度（%）")] ?? "").toBe(""); // no percent of a percent
  });
});

describe.skipIf(!haveLibreOffice)("同比 in the aggregate workbook, recalculated by LibreOffice (issue 24)", () => {
  it("each county's 同比 and the city's like-with-like total recalculate to the figures the API gives", async () => {
    const y = compile(DEMO_YOY_TEMPLATE);
    const units = Object.keys(DEMO_YOY_PAST_VALUES);
    // this year: each county grows by a different factor; one joined this year (no 上年同期), one has none of this year's output
    const reports = units.map((unitId, i) => {
      const past = DEMO_YOY_PAST_VALUES[unitId]!;
      const now: Values = {};
      for (const [code, v] of Object.entries(past)) now[code] = v === null ? null : (Number(v) * (1 + (i - 2) / 10)).toFixed(2);
      const ly = i === 0 ? {} : lastYearFigures(y, past);
      if (i === 1) now.above_value_added = null;
      return { unitId, values: { ...now, ...ly } };
    });
    const totals = aggregateReports(y, reports);
    const plan = buildTotalsPlan(y, { title: "晋城市 2025年 主要经济指标（同比）", note: "含已上报和已审核数据", columns: reports.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values })), totals });
    const grid = recalculate(await renderWorkbook([plan])).get(plan.name)!;
    const rowOf = new Map(plan.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
    const codes = y.template.indicators.filter((i) => i.kind === "derived" && i.likeWithLike === true).map((i) => i.code);
    expect(codes.length).toBeGreaterThan(3);
    for (const code of codes) {
      const decimals = (y.byCode.get(code) as { decimals: number }).decimals;
      const t = totals.indicators[code]!;
      const shown = grid[rowOf.get(code)!]![2];
      // the total: like with like over the counties with both years, never an average of their rates
      expect(shown === "" || shown === null ? null : Number(shown).toFixed(decimals), code).toBe(t.kind === "derived" ? t.value : "?");
      reports.forEach((r, i) => {
        const own = aggregateReports(y, [r]).indicators[code]!;
        const cell = grid[rowOf.get(code)!]![3 + i];
        expect(cell === "" || cell === null ? null : Number(cell).toFixed(decimals), `${code} ${r.unitId}`).toBe(own.kind === "derived" ? own.value : "?");
      });
    }
  });
});
