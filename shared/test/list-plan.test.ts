// Issue 25: a detail list's sheet in the aggregate workbook (layout/list-plan.ts) and its CSV — the header with
// units of measure, a choice by its option's name, yes/no as 是/否, dates as text, amounts as numbers at their
// decimals, a 合计 row of live SUMs and a block by option of live COUNTIF / SUMIF whose stored results are the
// exact figures (recalculated here by HyperFormula), text that looks like a formula kept as text, and a list
// longer than the workbook's share cut with a line that says so.
import { describe, expect, it } from "vitest";
import { HyperFormula } from "hyperformula";
import {
  DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, DetailTableSchema, LIST_BOOK_CELLS, buildListPlan, exactCriterion, listCsvHeader, listCsvRow, listSheetRows, planGrid, rollupDetail, toCsv,
  type CellPlan, type CellValue, type DetailTable, type SheetPlan, type Values,
} from "@tianbao/shared";

const t = (zh: string, en: string) => ({ zh, en });
const PRODUCERS = DEMO_BRANDS_TEMPLATE.form!.tables.find((x): x is DetailTable => x.kind === "detail")!;
const COUNTIES: [string, string][] = [["zezhou", "泽州县"], ["gaoping", "高平市"], ["yangcheng", "阳城县"]];
const demoRows = COUNTIES.flatMap(([id, name]) => DEMO_BRAND_PRODUCERS[id]!.map((values) => ({ unit: name, values })));
const demoPlan = () => buildListPlan(PRODUCERS, { unit: "晋城市", period: "2025年", note: "含已上报和已审核数据（未审核的单位已标出）", rows: demoRows, form: DEMO_BRANDS_TEMPLATE.form! });

/** A list with every kind of field: text, code, choice, yes/no, date, count, amounts. */
const ALL_KINDS: DetailTable = DetailTableSchema.parse({
  code: "checks", formNo: "质兴5表", name: t("监督抽查不合格批次", "Failed spot checks"), kind: "detail",
  fields: [
    { code: "firm", name: t("企业名称", "Enterprise"), type: "text" },
    { code: "batch", name: t("批次号", "Batch"), type: "code" },
    { code: "risk", name: t("风险等级", "Risk"), type: "choice", options: [{ code: "lo", name: t("<低", "low") }, { code: "hi", name: t('高*"重点"', "high") }] },
    { code: "recalled", name: t("已召回", "Recalled"), type: "yesno" },
    { code: "on", name: t("抽查日期", "Checked on"), type: "date" },
    { code: "pieces", name: t("不合格件数", "Pieces"), type: "count", unit: "件" },
    { code: "fine", name: t("罚没金额", "Fines"), type: "amount", unit: "万元", decimals: 3 },
  ],
});
const kindsRows: { unit: string; values: Values }[] = [
  { unit: "泽州县", values: { firm: "=HYPERLINK(\"http://evil\",\"点\")", batch: "+A1", risk: "lo", recalled: true, on: "2024-03-05", pieces: 3, fine: "1.250" } },
  { unit: "O'Brien \"县\"", values: { firm: "-2+3", batch: "@SUM(A1)", risk: "hi", recalled: false, on: "2024-12-31", pieces: 2, fine: "0.125" } },
  { unit: "高平市", values: { firm: "正常企业", risk: "hi", recalled: true, pieces: 5 } },
];
const kindsPlan = () => buildListPlan(ALL_KINDS, { unit: "晋城市", period: "2025年", note: "仅含已审核数据", rows: kindsRows });

const at = (p: SheetPlan, row: number, col: number): CellPlan | undefined => p.cells.find((c) => c.row === row && c.col === col);
const rowOf = (p: SheetPlan, label: string): number => {
  const c = p.cells.find((x) => x.col === 0 && x.value === label);
  expect(c, label).toBeDefined();
  return c!.row;
};
const figureOf = (c: CellPlan | undefined): CellValue | undefined => (c?.formula ? c.result : c?.value);

/** The plan recalculated by a spreadsheet engine (HyperFormula): every formula's value. */
function recalculated(p: SheetPlan): CellValue[][] {
  const hf = HyperFormula.buildFromArray(planGrid(p) as (string | number | boolean | null)[][], { licenseKey: "gpl-v3", smartRounding: false });
  return hf.getSheetValues(0) as CellValue[][];
}

describe("a detail list's sheet in the aggregate workbook", () => {
  it("heads its columns with 单位 then the fields, units of measure in the header, and lists every row with its unit", () => {
    const p = demoPlan();
    expect(p.name).toBe("质兴4表附表 名牌产品生产企业名单");
    expect(at(p, 0, 0)!.value).toBe("晋城市 2025年 质兴4表附表 名牌产品生产企业名单 汇总");
    expect(String(at(p, 1, 0)!.value)).toContain("含已上报和已审核数据（未审核的单位已标出）；共 21 行");
    expect(p.cells.filter((c) => c.row === 2).sort((a, b) => a.col - b.col).map((c) => c.value)).toEqual(
      ["单位", "企业名称", "统一社会信用代码", "产品", "品牌级别", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）"]);
    const first = DEMO_BRAND_PRODUCERS.zezhou![0]!;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((col) => at(p, 3, col)!.value)).toEqual(["泽州县", first.firm, first.uscc, first.product, "山西名牌", first.year, Number(first.output), Number(first.tax), Number(first.exports)]);
    expect(at(p, 3 + 20, 0)!.value).toBe("阳城县");
    // amounts as numbers at the field's decimals, text as Text
    expect(at(p, 3, 6)!.numberFormat).toBe("0.00");
    expect(at(p, 3, 8)!.numberFormat).toBe("0");
    expect(at(p, 3, 1)!.numberFormat).toBe("@");
    // frozen under the header, filtered on it (the data rows only), the header on every printed page
    expect(p.freezeRows).toBe(3);
    expect(p.autoFilter).toBe("A3:I24");
    expect(p.print.titleRows).toBe("3:3");
    expect(p.print.area).toMatch(/^A1:I\d+$/);
    expect(Number(/\d+$/.exec(p.print.area!)![0])).toBe(Math.max(...p.cells.map((c) => c.row)) + 1);
    expect(p.print.headerRight).toContain("制定机关：晋城市质量技术监督局");
  });

  it("adds a 合计 row of live SUMs whose stored results are the exact sums: 210.00 亿元, 32.00 亿元, 8,662 万美元", () => {
    const p = demoPlan();
    const total = rowOf(p, "合计");
    expect(total).toBe(3 + 21 + 1); // one blank row keeps it out of the filtered list
    expect(p.cells.some((c) => c.row === 3 + 21)).toBe(false);
    expect(at(p, total, 6)!.formula).toBe('=IF(COUNT(G4:G24)=0,"",SUM(G4:G24))');
    expect([6, 7, 8].map((col) => at(p, total, col)!.result)).toEqual([210, 32, 8662]);
    expect(at(p, total, 3)!.formula).toBeUndefined(); // no sum of a text column
    const exact = rollupDetail(PRODUCERS, COUNTIES.map(([id]) => ({ unitId: id, rows: DEMO_BRAND_PRODUCERS[id]! })));
    expect(exact.sums).toMatchObject({ output: "210.00", tax: "32.00", exports: "8662" });
    expect(at(p, total, 5)!.result).toBe(Number(exact.sums.year));
  });

  it("counts and sums by each option of a choice with COUNTIF / SUMIF, blank where no row has the figure", () => {
    const p = demoPlan();
    const all = rowOf(p, "全部");
    const header = p.cells.filter((c) => c.row === all - 1).sort((a, b) => a.col - b.col).map((c) => c.value);
    expect(header).toEqual(["分类", "行数", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）"]);
    expect(at(p, all, 1)).toMatchObject({ formula: "=COUNTA(A4:A24)", result: 21 });
    const sx = rowOf(p, "品牌级别：山西名牌");
    expect(at(p, sx, 1)).toMatchObject({ formula: '=COUNTIF(E4:E24,"=山西名牌")', result: 21 });
    expect(at(p, sx, 3)).toMatchObject({ formula: '=IF(COUNTIFS(E4:E24,"=山西名牌",G4:G24,"<>")=0,"",SUMIF(E4:E24,"=山西名牌",G4:G24))', result: 210 });
    const cn = rowOf(p, "品牌级别：中国名牌");
    expect([1, 3, 4, 5].map((col) => at(p, cn, col)!.result)).toEqual([0, "", "", ""]);
  });

  it("stores with every formula what a spreadsheet engine recalculates it to", () => {
    // HyperFormula reads a criterion "=<低" as an error, where Excel and LibreOffice compare with the text
    // "<低" (the LibreOffice check in worker/engine covers such names): plain option names here
    const plain = { ...ALL_KINDS, fields: ALL_KINDS.fields.map((f) => (f.options ? { ...f, options: [{ code: "lo", name: t("低", "low") }, { code: "hi", name: t("高", "high") }] } : f)) };
    for (const p of [demoPlan(), buildListPlan(plain, { unit: "晋城市", period: "2025年", note: "", rows: kindsRows })]) {
      const grid = recalculated({ ...p, cells: p.cells.map((c) => (typeof c.value === "string" && /^[=+\-@]/.test(c.value) ? { ...c, value: "x" } : c)) });
      const formulas = p.cells.filter((c) => c.formula);
      expect(formulas.length).toBeGreaterThan(5);
      for (const c of formulas) {
        const engine = grid[c.row]?.[c.col] ?? "";
        if (typeof c.result === "number") expect(engine, c.formula).toBeCloseTo(c.result, 9);
        else expect(engine ?? "", c.formula).toBe(c.result);
      }
    }
  });

  it("shows a choice by its option's name, yes/no as 是/否, a date as its text, and counts 是 and 否 as options", () => {
    const p = kindsPlan();
    expect(p.cells.filter((c) => c.row === 2).sort((a, b) => a.col - b.col).map((c) => c.value)).toEqual(
      ["单位", "企业名称", "批次号", "风险等级", "已召回", "抽查日期", "不合格件数（件）", "罚没金额（万元）"]);
    expect([3, 4, 5].map((r) => at(p, r, 3)!.value)).toEqual(["<低", '高*"重点"', '高*"重点"']);
    expect([3, 4, 5].map((r) => at(p, r, 4)!.value)).toEqual(["是", "否", "是"]);
    expect(at(p, 3, 5)).toMatchObject({ value: "2024-03-05", numberFormat: "@" });
    expect(at(p, 5, 5)).toBeUndefined(); // blank stays blank
    expect(at(p, 3, 7)).toMatchObject({ value: 1.25, numberFormat: "0.000" });
    const total = rowOf(p, "合计");
    expect(at(p, total, 7)!.result).toBe(1.375);
    expect(at(p, rowOf(p, "已召回：是"), 1)!.result).toBe(2);
    expect(at(p, rowOf(p, "已召回：否"), 2)!.result).toBe(2);
    // an option named like a comparison, a wildcard or with quotes is matched exactly, never as a pattern
    expect(exactCriterion('高*"重点"')).toBe('"=高~*""重点"""');
    expect(exactCriterion("<低")).toBe('"=<低"');
    expect(exactCriterion("a?b~")).toBe('"=a~?b~~"');
    const hi = rowOf(p, '风险等级：高*"重点"');
    expect(at(p, hi, 1)).toMatchObject({ formula: '=COUNTIF(D4:D6,"=高~*""重点""")', result: 2 });
    expect(at(p, hi, 3)!.result).toBe(0.125); // only the row that has a fine
  });

  it("gives an option whose name is too long for a criterion (over 255 characters) its figures, not a formula Excel would refuse", () => {
    const long = "很长的选项名称".repeat(40);
    const table: DetailTable = { ...ALL_KINDS, fields: ALL_KINDS.fields.map((f) => (f.options ? { ...f, options: [{ code: "lo", name: t(long, "long") }, { code: "hi", name: t("高", "high") }] } : f)) };
    const p = buildListPlan(table, { unit: "晋城市", period: "2025年", note: "", rows: kindsRows });
    const r = rowOf(p, `风险等级：${long}`);
    expect(at(p, r, 1)).toMatchObject({ value: 1 });
    expect(at(p, r, 1)!.formula).toBeUndefined();
    expect(at(p, r, 3)).toMatchObject({ value: 1.25 });
    expect(at(p, rowOf(p, "风险等级：高"), 1)!.formula).toBe('=COUNTIF(D4:D6,"=高")');
  });

  it("writes names and text that look like formulas (= + - @), quotes and apostrophes as text, never as formulas", () => {
    const p = kindsPlan();
    const texts = ['=HYPERLINK("http://evil","点")', "+A1", "-2+3", "@SUM(A1)", "O'Brien \"县\""];
    for (const text of texts) {
      const c = p.cells.find((x) => x.value === text);
      expect(c, text).toBeDefined();
      expect(c!.formula, text).toBeUndefined();
      expect(c!.numberFormat, text).toBe("@"); // Text: still text when the cell is edited (the add-in also writes Excel's quote prefix)
    }
    // no formula of the sheet carries a typed value: they name ranges and option names only
    for (const c of p.cells.filter((x) => x.formula)) expect(c.formula!).not.toMatch(/HYPERLINK|O'Brien|@SUM/);
  });

  it("cuts a list longer than its share of the workbook, says so, and gives the whole list's sums beside the shown rows'", () => {
    const rows = demoRows.slice(0, 10);
    const p = buildListPlan(PRODUCERS, { unit: "晋城市", period: "2025年", note: "含已上报和已审核数据", rows, total: 50, allSums: { year: "100000", output: "500.00", tax: "80.00", exports: "20000" } });
    expect(String(at(p, 1, 0)!.value)).toContain("共 50 行，本表列出前 10 行");
    const message = p.cells.find((c) => typeof c.value === "string" && c.value.startsWith("本清单共 50 行"))!;
    expect(message.value).toContain("完整清单请下载本清单的 CSV");
    expect(message.row).toBe(3 + 10 + 1);
    const shown = rowOf(p, "已列出的行合计");
    const cents = rows.reduce((s, r) => s + Math.round(Number(r.values.output) * 100), 0);
    expect(at(p, shown, 6)!.result).toBe(cents / 100); // the exact sum, not a float's running total
    const whole = rowOf(p, "全部 50 行合计");
    expect([6, 7, 8].map((col) => figureOf(at(p, whole, col)))).toEqual([500, 80, 20000]);
    expect(rowOf(p, "分类汇总（已列出的行）")).toBeGreaterThan(whole);
    expect(p.autoFilter).toBe("A3:I13");
  });

  it("an empty list: the header and a line saying no row counts, no formula over an empty range", () => {
    const p = buildListPlan(PRODUCERS, { unit: "晋城市", period: "2025年", note: "仅含已审核数据", rows: [] });
    expect(String(at(p, 1, 0)!.value)).toContain("没有计入汇总的行");
    expect(p.cells.some((c) => c.formula)).toBe(false);
    expect(p.autoFilter).toBe("A3:I3");
  });

  it("takes a sheet name the workbook does not have yet, and shares the workbook's list cells between its lists", () => {
    const p = buildListPlan(PRODUCERS, { unit: "晋城市", period: "2025年", note: "", rows: [], takenNames: ["质兴4表附表 名牌产品生产企业名单"] });
    expect(p.name).toBe("质兴4表附表 名牌产品生产企业名单 (2)");
    expect(listSheetRows(PRODUCERS, 1)).toBe(Math.floor(LIST_BOOK_CELLS / 9));
    expect(listSheetRows(PRODUCERS, 2)).toBe(Math.floor(LIST_BOOK_CELLS / 2 / 9));
  });
});

describe("a detail list's CSV", () => {
  it("a line per row with its unit and 序号: amounts digit for digit, a date as a date, choices by name, 是/否, formula-like text quoted", () => {
    const csv = toCsv([listCsvHeader(ALL_KINDS), ...kindsRows.map((r, i) => listCsvRow(ALL_KINDS, { unitId: `u${i}`, name: r.unit, row: i + 1, values: r.values }))]);
    const lines = csv.slice(1).split("\r\n");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(lines[0]).toBe("单位代码,单位,序号,企业名称,批次号,风险等级,已召回,抽查日期,不合格件数（件）,罚没金额（万元）");
    expect(lines[1]).toBe(`u0,泽州县,1,"'=HYPERLINK(""http://evil"",""点"")",'+A1,<低,是,2024-03-05,3,1.250`);
    expect(lines[2]).toBe(`u1,"O'Brien ""县""",2,'-2+3,'@SUM(A1),"高*""重点""",否,2024-12-31,2,0.125`);
    expect(lines[3]).toBe("u2,高平市,3,正常企业,,\"高*\"\"重点\"\"\",是,,5,");
  });

  it("the demo's rows: 统一社会信用代码 as text, 亿元 with their two decimals", () => {
    const row = listCsvRow(PRODUCERS, { unitId: "zezhou", name: "泽州县", row: 1, values: DEMO_BRAND_PRODUCERS.zezhou![0]! });
    const line = toCsv([row]).slice(1).trimEnd();
    const first = DEMO_BRAND_PRODUCERS.zezhou![0]!;
    expect(line).toBe(`zezhou,泽州县,1,${String(first.firm)},${String(first.uscc)},${String(first.product)},山西名牌,${String(first.year)},${String(first.output)},${String(first.tax)},${String(first.exports)}`);
    expect(String(first.output)).toMatch(/^\d+\.\d\d$/);
  });
});
