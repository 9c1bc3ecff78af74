import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_FORM_TEMPLATE, BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, SIGNATURE_LABELS, TemplateSchema, aggregateReports, buildFillPlan, buildFillPlans, buildTotalsPlan,
  buildGridTotalsPlans, compareLikeWithLike, compileTemplate, gridCellCode, syntheticTemplate, toCsv, totalsCsvRows, type CompiledTemplate, type SheetPlan, type Values,
} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { convert, haveLibreOffice, readWorkbook, recalculate, type Scalar } from "./libreoffice";
import { linesOf, readPdfText } from "./pdf";

if (!haveLibreOffice) console.warn("SKIPPED: LibreOffice and python3-openpyxl are not installed (scripts/setup-system.sh); the print, stored-result and CSV checks cannot run.");

const compile = (t: Parameters<typeof compileTemplate>[0]): CompiledTemplate => { const r = compileTemplate(t); if (!r.ok) throw new Error("template"); return r.compiled; };
const c = compile(BUILTIN_TEMPLATE);
/** The demo form's 主导产业 grid filled as the seeds' city: 1,058.0 万吨 of building materials. */
const lead = (row: string, col: string) => gridCellCode("lead", row, col);
const FORM_GRID: Values = {
  ...Object.fromEntries(["metal", "energy", "optic", "build"].flatMap((r, i) => [[lead(r, "firms"), 5 + i], [lead(r, "prod"), 20 + i], [lead(r, "nostd"), 1], [lead(r, "adopt"), 3]])),
  [lead("metal", "rev")]: "402.5", [lead("energy", "rev")]: "210.3", [lead("optic", "rev")]: "156.9", [lead("build", "rev")]: "112.3", [lead("build", "out")]: "1058.0",
  [lead("pv", "firms")]: 2, [lead("pv", "rev")]: "96.0", [lead("pv", "prod")]: 5, [lead("pv", "nostd")]: 0, [lead("pv", "adopt")]: 1,
};
const blank = (v: Scalar | undefined) => v === null || v === undefined || v === "";

/** Every formula cell of the plans: the result stored in the file (openpyxl, data_only) against LibreOffice's recalculation. */
async function compareStoredWithRecalculated(plans: SheetPlan[]): Promise<{ cells: number; exact: number }> {
  const bytes = await renderWorkbook(plans);
  const stored = readWorkbook(new Uint8Array(bytes)); // the cached values as written, never recalculated
  const recalculated = recalculate(bytes);
  let cells = 0;
  let exact = 0;
  for (const p of plans) {
    for (const cell of p.cells.filter((x) => x.formula)) {
      const a = stored.get(p.name)![cell.row]?.[cell.col];
      const b = recalculated.get(p.name)![cell.row]?.[cell.col];
      const where = `${p.name} row ${cell.row + 1} col ${cell.col + 1} ${cell.formula}: stored ${String(a)}, LibreOffice ${String(b)}`;
      if (blank(b)) expect(blank(a), where).toBe(true);
      else {
        expect(typeof a, where).toBe("number");
        // the nearest double to the exact figure against LibreOffice's double arithmetic: the same to the last bits
        expect(Math.abs(Number(a) - Number(b)), where).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(Number(b))));
        if (a === b) exact++;
      }
      cells++;
    }
  }
  return { cells, exact };
}

const numbersFor = (tpl: CompiledTemplate) => fc.record(Object.fromEntries(tpl.template.indicators.filter((i) => i.kind === "count" || i.kind === "amount").map((i) => [i.code,
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 6, arbitrary: i.kind === "count" ? fc.integer({ min: 0, max: 99999 }) : fc.integer({ min: 0, max: 9999999 }).map((n) => (n / 100).toFixed(2)) })])));

describe.skipIf(!haveLibreOffice)("stored results: what phones and messaging apps show without recalculating", () => {
  it("the aggregate workbook's every formula stores what LibreOffice recalculates to (demo and random rounds, like-with-like columns, chart block)", async () => {
    const demo = DEMO_REPORTING_UNITS.map((unitId) => ({ unitId, values: DEMO_PAST_VALUES[unitId]! }));
    const randomRounds = fc.sample(fc.array(numbersFor(c), { minLength: 1, maxLength: 6 }), { numRuns: 6, seed: 20260612 });
    const plans: SheetPlan[] = [];
    [demo, ...randomRounds.map((round) => round.map((values, i) => ({ unitId: DEMO_REPORTING_UNITS[i]!, values: values as Values })))].forEach((now, k) => {
      const before = demo.slice(1); // one unit fewer last period: like with like matters
      const comparison = compareLikeWithLike(c, new Map(now.map((r) => [r.unitId, r.values])), new Map(before.map((r) => [r.unitId, r.values])));
      plans.push(buildTotalsPlan(c, {
        title: `t${k}`, note: "", columns: now.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values })),
        previous: aggregateReports(c, before), comparison, chartCodes: ["std_coverage_rate", "grade_rate"],
      }));
    });
    const { cells, exact } = await compareStoredWithRecalculated(plans);
    expect(cells).toBe(plans.reduce((n, p) => n + p.cells.filter((x) => x.formula).length, 0));
    expect(cells).toBeGreaterThan(900);
    console.log(`aggregate workbooks: ${cells} formula cells, stored results equal LibreOffice's (${exact} bit for bit)`);
    // and the demo's totals column is the reference aggregation, as stored
    const stored = readWorkbook(new Uint8Array(await renderWorkbook([plans[0]!]))).get(plans[0]!.name)!;
    const rowOf = new Map(plans[0]!.cells.filter((x) => x.style === "code").map((x) => [x.value as string, x.row]));
    const reference = aggregateReports(c, demo);
    expect(stored[rowOf.get("products")!]![2]).toBe(Number((reference.indicators.products as { value: string }).value));
    expect(Number(stored[rowOf.get("std_coverage_rate")!]![2]).toFixed(2)).toBe("83.54");
  });

  it("a form set's grid in the aggregate workbook: its 合计 formulas store what LibreOffice recalculates to, blank while a part is blank (issue 23)", async () => {
    const form = compile(BUILTIN_FORM_TEMPLATE);
    const inputs = form.template.indicators.filter((i) => form.gridCells.has(i.code) && (i.kind === "count" || i.kind === "amount"));
    const sets = fc.sample(fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: fc.integer({ min: 0, max: 99999 }) }), { minLength: inputs.length, maxLength: inputs.length }), { numRuns: 8, seed: 11 });
    const plans = sets.flatMap((numbers, k) => {
      const values: Values = Object.fromEntries(inputs.map((i, j) => [i.code, numbers[j] === null ? null : i.kind === "amount" ? (numbers[j]! / 10).toFixed(1) : numbers[j]!]));
      const totals = aggregateReports(form, [{ unitId: "u", values }]);
      return buildGridTotalsPlans(form, { title: `单位${k}`, note: "", valueOf: (code) => { const t = totals.indicators[code]; return t && "value" in t ? t.value : null; } })
        .map((p) => ({ ...p, name: `${k}-${p.name}`.slice(0, 31) }));
    });
    const { cells } = await compareStoredWithRecalculated(plans);
    expect(cells).toBe(plans.length * [...form.gridCells.keys()].filter((k) => form.byCode.get(k)!.kind === "derived").length);
  });

  it("the fill sheet's rates store what LibreOffice recalculates to", async () => {
    const sets = fc.sample(numbersFor(c), { numRuns: 10, seed: 7 }).map((v) => v as Values);
    const plans = [DEMO_PAST_VALUES.zezhou!, ...sets].map((current, k) => buildFillPlan(c, { roundId: "r", period: "2025", unit: { id: `u${k}`, name: `单位${k}` }, current }));
    const { cells } = await compareStoredWithRecalculated(plans);
    expect(cells).toBe(plans.length * c.derivedOrder.length);
  });
});

describe.skipIf(!haveLibreOffice)("the fill sheet on paper (LibreOffice's PDF of the downloaded file)", () => {
  const printed = async (tpl: CompiledTemplate) => readPdfText(convert(new Uint8Array(await renderWorkbook([buildFillPlan(tpl, {
    roundId: "r2025", period: "2025", unit: { id: "zezhou", name: "泽州县" }, current: tpl === c ? DEMO_PAST_VALUES.zezhou! : null,
    status: "已退回（第 1 版）：请核实工业产品总数",
  })])), "fill.xlsx", "pdf:calc_pdf_Export"));

  it("prints on A4 across one page and down as many as it needs, the header row on every page, text at 10 pt or more", async () => {
    const pages = await printed(c);
    const big = await printed(compile(TemplateSchema.parse(syntheticTemplate(200))));
    for (const [name, doc] of [["built-in", pages], ["200 indicators", big]] as const) {
      for (const [i, page] of doc.entries()) {
        const lines = linesOf(page);
        // the whole header row on each page: no column was pushed onto a page of its own
        expect(lines, `${name} page ${i + 1}`).toContain("代码指标名称计量单位本期数值上期数值说明"); // and not 校验, the add-in's check column
        expect(lines.at(-1), `${name} page ${i + 1} footer`).toBe(`第 ${i + 1} 页，共 ${doc.length} 页`);
      }
      const sizes = doc.flat().map((r) => r.size); // every run, page header and footer included
      expect(Math.min(...sizes), name).toBeGreaterThanOrEqual(10);
    }
    expect(pages.length).toBeGreaterThanOrEqual(2); // not squeezed onto one page tall
    expect(big.length).toBeGreaterThan(pages.length);
    const smallest = Math.min(...pages.flat().map((r) => r.size));
    console.log(`fill sheet (built-in template): ${pages.length} A4 landscape pages, smallest text ${smallest.toFixed(1)} pt in LibreOffice; 200 indicators: ${big.length} pages`);
  });

  it("a form set prints as a cover and its tables, each page with its legal face at the top right (表号, 制定机关, 批准机关, 批准文号, 有效期至) (issue 23)", async () => {
    const form = compile(BUILTIN_FORM_TEMPLATE);
    const plans = buildFillPlans(form, { roundId: "r2025", period: "2025", issuer: "晋城市", unit: { id: "zezhou", name: "泽州县" }, current: { ...DEMO_PAST_VALUES.zezhou!, ...FORM_GRID }, signature: { head: "张三" } });
    expect(plans.map((p) => p.name)).toEqual(["晋城市2025年-封面", "晋城市2025年-质兴1表", "晋城市2025年-质兴2表"]);
    const pages = (await readPdfText(convert(new Uint8Array(await renderWorkbook(plans)), "form.xlsx", "pdf:calc_pdf_Export"))).map(linesOf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const [i, lines] of pages.entries()) {
      const text = lines.join("\n");
      for (const part of ["制定机关：晋城市质量技术监督局", "批准机关：晋城市统计局", "批准文号：晋市统制〔2025〕12号", "有效期至：2027年12月"]) expect(text, `page ${i + 1}: ${part}`).toContain(part);
      expect(text, `page ${i + 1}`).toMatch(/表　　号：质兴[12]表/);
      expect(text.includes("TIANBAO"), `page ${i + 1}`).toBe(false);
    }
    // the cover first: the report's tables and the signature block, filled in
    const cover = pages[0]!.join("\n");
    expect(cover).toContain("表　　号：质兴1表、质兴2表");
    expect(cover).toContain("封　面");
    for (const label of SIGNATURE_LABELS) expect(cover).toContain(label);
    expect(cover).toMatch(/负责人张三/);
    const all = pages.flat().join("\n");
    expect(all).toContain("质兴1表 基本情况");
    expect(all).toContain("质兴2表 主导产业");
    // the grid as the form draws it: columns across with their units, 栏次, last period's grid below
    expect(all).toContain("产量（万吨）");
    expect(all).toContain("栏次");
    expect(all).toContain("上期数值（供参考）");
    expect(all).toContain("1058");
  });

  it("a 30-column grid prints across pages at 6 pt or more, 代码 and 项目 repeated on each (review 23b: it printed at 3 pt on one page)", async () => {
    const columns = Array.from({ length: 30 }, (_, j) => ({ code: `c${j}`, name: { zh: `指标${j}（万元）`, en: `Measure ${j}` }, kind: "amount" as const, unit: "万元", decimals: 1 }));
    const wide = compile(TemplateSchema.parse({
      id: "wide", version: 1, status: "draft", name: { zh: "宽表", en: "Wide" }, periodType: "annual", sections: [{ code: "w", name: { zh: "宽表", en: "Wide" } }], indicators: [],
      form: { tables: [{ kind: "grid", code: "w", formNo: "宽1表", name: { zh: "分行业指标", en: "By industry" }, rows: [{ code: "a", name: { zh: "采矿业", en: "Mining" } }, { code: "b", name: { zh: "制造业", en: "Manufacturing" } }], columns }] },
    }));
    const plans = buildFillPlans(wide, { roundId: "r", period: "2025", unit: { id: "u", name: "泽州县" } });
    const grid = plans[1]!;
    expect(grid.print.pagesWide).toBeGreaterThan(1);
    const pages = await readPdfText(convert(new Uint8Array(await renderWorkbook([grid])), "wide.xlsx", "pdf:calc_pdf_Export"));
    expect(pages.length).toBeGreaterThanOrEqual(grid.print.pagesWide!);
    const smallest = Math.min(...pages.flat().map((r) => r.size));
    expect(smallest).toBeGreaterThanOrEqual(6);
    for (const [i, page] of pages.entries()) expect(linesOf(page).join("\n"), `page ${i + 1}`).toContain("制造业");
    console.log(`a 30-column grid: ${pages.length} A4 landscape pages (${grid.print.pagesWide} wide), smallest text ${smallest.toFixed(1)} pt in LibreOffice`);
  });

  it("a form's workbook: the grid's 合计 and the rates over sheets store what LibreOffice recalculates to (issue 23)", async () => {
    const form = compile(BUILTIN_FORM_TEMPLATE);
    const plans = buildFillPlans(form, { roundId: "r2025", period: "2025", unit: { id: "zezhou", name: "泽州县" }, current: { ...DEMO_PAST_VALUES.zezhou!, ...FORM_GRID } });
    const { cells } = await compareStoredWithRecalculated(plans);
    expect(cells).toBe(form.derivedOrder.length);
  });

  it("a grid with 同比: each cell's and each 合计's 同比增长 and the 上年同期 合计s store what LibreOffice recalculates to, blank where a year is missing (issue 24)", async () => {
    const t = (zh: string, en: string) => ({ zh, en });
    const gy = compile(TemplateSchema.parse({
      id: "gy", version: 1, status: "published", name: t("分行业", "By industry"), periodType: "annual", sections: [{ code: "s", name: t("基本", "Basics") }],
      indicators: [{ code: "firms", section: "s", kind: "count", name: t("企业数", "Firms") }],
      form: { tables: [
        { kind: "list", code: "l", formNo: "表1", name: t("基本", "Basics"), sections: ["s"] },
        { kind: "grid", code: "g", formNo: "表2", name: t("分行业", "By industry"), required: false, yoy: true,
          rows: [{ code: "t", name: t("合计", "Total"), role: "total" }, { code: "a", name: t("甲", "A") }, { code: "b", name: t("乙", "B") }, { code: "c", name: t("丙", "C") }],
          columns: [{ code: "ct", name: t("合计", "Total"), kind: "amount", unit: "万元", decimals: 1, role: "total" }, { code: "x", name: t("产值", "Output"), kind: "amount", unit: "万元", decimals: 1 }, { code: "n", name: t("利润", "Profit"), kind: "amount", unit: "万元", decimals: 1, min: "-1000000" }] },
      ] },
    }));
    const inputs = gy.template.indicators.filter((i) => i.kind === "amount");
    const sets = fc.sample(fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: fc.integer({ min: -9999, max: 99999 }) }), { minLength: inputs.length, maxLength: inputs.length }), { numRuns: 6, seed: 24 });
    const plans = sets.flatMap((numbers, k) => buildFillPlans(gy, { roundId: "r", period: "2025", unit: { id: `u${k}`, name: `单位${k}` },
      current: Object.fromEntries(inputs.map((i, j) => [i.code, numbers[j] === null ? null : (numbers[j]! / 10).toFixed(1)])) })
      .map((p) => ({ ...p, name: `${k}-${p.name}`.slice(0, 31) })));
    const { cells } = await compareStoredWithRecalculated(plans);
    expect(cells).toBe(sets.length * gy.derivedOrder.length);
    expect(gy.derivedOrder.filter((code) => code.endsWith("_yp")).length).toBe(12);
  });

  it("leaves the metadata off the paper and ends with the signature block, the unit's name filled in, and the status in Chinese", async () => {
    const pages = (await printed(c)).map(linesOf);
    expect(pages.flat().some((t) => t.includes("TIANBAO"))).toBe(false);
    expect(pages[0]).toContain("已退回（第 1 版）：请核实工业产品总数");
    const last = pages.at(-1)!.join("\n");
    for (const label of SIGNATURE_LABELS) expect(last).toContain(label);
    expect(last).toMatch(/填报单位泽州县/);
  });
});

describe.skipIf(!haveLibreOffice)("the totals CSV in a spreadsheet (LibreOffice opens it)", () => {
  it("every figure is a number with every digit, yes/no and choices are counts, nothing becomes a date, blank stays blank", async () => {
    const totals = aggregateReports(c, [
      ...DEMO_REPORTING_UNITS.map((unitId) => ({ unitId, values: DEMO_PAST_VALUES[unitId]! })),
      { unitId: "big", values: { work_funds: "9999999999.99", products: 9999999999999 } },
    ]);
    const rows = totalsCsvRows(c, [
      { unitId: "jincheng", name: "晋城市（合计）", period: "2024", totals },
      { unitId: "jincheng", name: "晋城市（合计）", period: "2024-09", totals: aggregateReports(c, []) },
    ]);
    const xlsx = convert(toCsv(rows), "export.csv", "xlsx:Calc MS Excel 2007 XML", "CSV:44,34,76,1");
    const [sheet] = [...readWorkbook(xlsx).values()];
    const [header, full, empty] = sheet!;
    expect(header).toEqual(rows[0]);
    expect(full!.slice(0, 3)).toEqual(["jincheng", "晋城市（合计）", "2024年度"]);
    expect(empty![2]).toBe("2024年9月份");
    const written = rows[1]!;
    for (let i = 3; i < written.length; i++) {
      const w = written[i]!;
      const got = full![i];
      if (w === null) expect(blank(got), String(header![i])).toBe(true);
      else {
        // a number, not a date (openpyxl reads a date as text "2024-…" here) and not text
        expect(typeof got, `${String(header![i])}: ${String(got)}`).toBe("number");
        const text = typeof w === "object" ? w.decimal : String(w);
        expect(Number(got), String(header![i])).toBe(Number(text));
      }
    }
    const col = (h: string) => header!.indexOf(h);
    expect(full![col("工业产品总数（个）")]).toBe(2570 + 9999999999999); // 13 digits, none lost
    expect(full![col("质量工作经费落实额（万元）")]).toBe(Number((totals.indicators.work_funds as { value: string }).value));
    expect(full![col("已以政府名义印发质量兴县（区）实施方案：填报单位数")]).toBe(7);
    for (const cell of empty!.slice(3)) expect(blank(cell) || cell === 0, String(cell)).toBe(true); // reported counts are 0, figures blank
    expect(empty![col("工业产品总数（个）")] ?? null).toBeNull();
  });
});
