// Issue 25: a detail list on the fill workbook — drawn as a sheet of its own (序号, the fields' headings with
// units and 栏次 codes, the unit's rows as officials read them, open rows down to the table's most, each
// unlocked with its rule) and read back as the official left it: blank rows left out and said, a row past
// the limit refused, and every problem named on the cell it is on, blank rows above it or not.
import { describe, expect, it } from "vitest";
import {
  BUILTIN_FORM_TEMPLATE, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, TemplateSchema, buildFillPlans, cellAddress, compileTemplate, detailExtent, fillBook, locateIssues, pageOf, parseFillBook,
  planGrid, relocateListIssues, validateLists, withUsccCheck, type CellValue, type CompiledTemplate, type FillSheetRead, type SheetPlan, type Values,
} from "@tianbao/shared";

const t = (zh: string, en: string) => ({ zh, en });
/** The demo's brands template with a field of every type: 认定日期 (date) and 出口企业 (yes/no) added to its list. */
const ALL_TYPES = TemplateSchema.parse({
  ...DEMO_BRANDS_TEMPLATE, id: "brands_all",
  form: {
    ...DEMO_BRANDS_TEMPLATE.form!,
    tables: DEMO_BRANDS_TEMPLATE.form!.tables.map((x) => (x.kind !== "detail" ? x : {
      ...x, fields: [...x.fields, { code: "since", name: t("认定日期", "Recognised on"), type: "date" }, { code: "exporter", name: t("出口企业", "Exporter"), type: "yesno" }],
    })),
  },
});
const compile = (tpl: Parameters<typeof compileTemplate>[0]): CompiledTemplate => { const r = compileTemplate(tpl); if (!r.ok) throw new Error(JSON.stringify(r.issues)); return r.compiled; };
const c = compile(ALL_TYPES);
const input = { roundId: "r2025", period: "2025", issuer: "晋城市", unit: { id: "zezhou", name: "泽州县" } };
const page = pageOf(fillBook(c), "producers");
if (page?.kind !== "detail") throw new Error("the list's page");
const geo = page.geometry;
const col = (field: string) => geo.colOf.get(field)!;

/** A plan read back as a reader sees the file: its cells, and which of them hold formulas. */
const asRead = (p: SheetPlan, grid: CellValue[][] = planGrid(p)): FillSheetRead => ({
  name: p.name, grid, formulaCells: new Set(p.cells.filter((x) => x.formula).map((x) => cellAddress(x.row, x.col))),
});
/** The stored rows as the core checks them: what the list is, whoever reads it. */
const canonical = (rows: readonly Record<string, unknown>[]) => {
  const r = validateLists(c, { producers: rows });
  expect(r.issues).toEqual([]);
  return r.lists.producers!;
};
const ZEZHOU: Values[] = canonical(DEMO_BRAND_PRODUCERS.zezhou!.map((r, i) => ({ ...r, since: `2024-0${(i % 9) + 1}-15`, exporter: i % 2 === 0 })));

/** The workbook drawn for a unit with `lists`, its list page's grid edited, read back. */
function roundTrip(lists: Record<string, Values[]> | null, edit?: (grid: CellValue[][]) => void) {
  const plans = buildFillPlans(c, { ...input, lists });
  const sheets = plans.map((p) => {
    if (!p.properties.tianbao!.endsWith(";page=producers")) return asRead(p);
    const grid = planGrid(p);
    edit?.(grid);
    return asRead(p, grid);
  });
  return parseFillBook(c, sheets, { roundId: "r2025", unitId: "zezhou" });
}
const put = (grid: CellValue[][], row: number, values: Record<string, CellValue>) => {
  for (const [field, v] of Object.entries(values)) (grid[row] ??= [])[col(field)] = v;
};
const listPlan = (lists: Record<string, Values[]> | null = { producers: ZEZHOU }) => buildFillPlans(c, { ...input, lists }).find((p) => p.properties.tianbao!.endsWith(";page=producers"))!;

describe("a detail list's sheet, drawn", () => {
  it("heads its columns with the fields' names (unit, * when required) over their 栏次 codes, and shows the rows as officials read them", () => {
    const plan = listPlan();
    expect(plan.name).toBe("晋城市2025年-质兴4表附表");
    const grid = planGrid(plan);
    expect(grid[geo.headerRow]).toEqual(["序号", "企业名称 *", "统一社会信用代码 *", "产品 *", "品牌级别 *", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）", "认定日期", "出口企业", "校验"]);
    expect(grid[geo.codesRow]).toEqual(["栏次", "firm", "uscc", "product", "level", "year", "output", "tax", "exports", "since", "exporter"]);
    const first = grid[geo.firstRow]!;
    // a choice by its option's name, yes/no as 是/否, a date as its text, amounts as numbers in the field's format
    expect(first.slice(1)).toEqual([ZEZHOU[0]!.firm, ZEZHOU[0]!.uscc, "焦炭", "山西名牌", ZEZHOU[0]!.year, 18.5, 2.9, 820, "2024-01-15", "是"]);
    expect(grid[geo.firstRow + 1]![col("exporter")]).toBe("否");
    const cell = (row: number, field: string) => plan.cells.find((x) => x.row === row && x.col === col(field))!;
    expect([cell(geo.firstRow, "output").numberFormat, cell(geo.firstRow, "exports").numberFormat, cell(geo.firstRow, "year").numberFormat]).toEqual(["0.00", "0", "0"]);
    for (const f of ["firm", "uscc", "level", "since", "exporter"]) expect(cell(geo.lastRow, f).numberFormat, f).toBe("@");
    expect(plan.properties.tianbao).toMatch(/;page=producers$/);
    expect(plan.cells.find((x) => x.row === 0)!.value).toBe("晋城市 2025年 质兴4表附表 名牌产品生产企业名单 · 泽州县");
  });

  it("leaves open rows down to the table's most, unlocked, each field with its rule over the whole column; everything else is locked", () => {
    const plan = listPlan();
    expect(plan.protect).toBe(true);
    const unlocked = plan.cells.filter((x) => !x.locked);
    expect(unlocked).toHaveLength(2000 * 10);
    expect(unlocked.every((x) => x.row >= geo.firstRow && x.row <= geo.lastRow && x.col >= 1 && x.col <= 10)).toBe(true);
    expect(Math.max(...plan.cells.map((x) => x.row))).toBe(geo.lastRow);
    const rule = (field: string) => plan.validations.find((v) => v.cell.startsWith(`${cellAddress(geo.firstRow, col(field))}:`));
    const range = (field: string) => `${cellAddress(geo.firstRow, col(field))}:${cellAddress(geo.lastRow, col(field))}`;
    expect(rule("level")).toMatchObject({ cell: range("level"), type: "list", list: ["中国名牌", "山西名牌"] });
    expect(rule("exporter")).toMatchObject({ type: "list", list: ["是", "否"] });
    expect(rule("year")).toMatchObject({ type: "whole", min: 1990, max: 2100 });
    expect(rule("tax")).toMatchObject({ type: "decimal", min: -1000 });
    expect(rule("uscc")).toMatchObject({ type: "textLength", max: 18 });
    expect(rule("since")).toBeUndefined();
    for (const v of plan.validations) expect(v.error.zh.length).toBeLessThanOrEqual(225);
  });

  it("numbers the rows that hold anything, as the reader does, and says its 填报说明 at the top (a growing list has no fixed place under it)", () => {
    const plan = listPlan();
    const number = (row: number) => plan.cells.find((x) => x.row === row && x.col === 0)!;
    expect(number(geo.firstRow)).toMatchObject({ result: 1, locked: true, numberFormat: "0;;;" });
    expect(number(geo.firstRow).formula).toBe(`=IF(SUMPRODUCT(LEN(TRIM(B${geo.firstRow + 1}:K${geo.firstRow + 1})))=0,-ABS(N(A${geo.firstRow})),ABS(N(A${geo.firstRow}))+1)`);
    expect(number(geo.firstRow + 6).result).toBe(7);
    expect(number(geo.firstRow + 7).result).toBe(-7); // an open row carries the count, hidden by its format
    const notes = plan.cells.find((x) => x.row === 2 && x.col > 0)!;
    expect(notes.value).toBe("填报说明：每个名牌产品一行；同一企业有多个名牌产品的，分行填写。");
    expect(plan.merges).toContain(`A3:${cellAddress(2, notes.col - 1).replace(/\d+$/, "")}3`);
    // printed: the rows as drawn and ten open ones, not 2,000 numbered lines; wide, so landscape
    expect(plan.print).toMatchObject({ area: `A1:K${geo.firstRow + 7 + 10}`, landscape: true, titleRows: `${geo.headerRow + 1}:${geo.headerRow + 1}` });
    expect(plan.freezeRows).toBe(geo.firstRow);
  });

  it("a new report's list is all open rows; the reader's margin and the cells of a full list are known to whoever sizes an upload", () => {
    const plan = listPlan(null);
    expect(plan.cells.filter((x) => x.row >= geo.firstRow && x.col > 0).every((x) => x.value === null)).toBe(true);
    expect(detailExtent(fillBook(c))).toEqual({ rows: geo.lastRow + 1 + 100, cells: 2000 * 11 });
    expect(detailExtent(fillBook(compile(BUILTIN_FORM_TEMPLATE)))).toEqual({ rows: 0, cells: 0 });
  });
});

describe("a detail list's sheet, whatever its width", () => {
  /** The demo's template with its list's fields replaced (and the rules over its figures left out), 50 rows. */
  const withList = (fields: unknown[]) => compile(TemplateSchema.parse({
    ...DEMO_BRANDS_TEMPLATE, id: "one_list", rules: [],
    form: { tables: [DEMO_BRANDS_TEMPLATE.form!.tables[0]!, { kind: "detail", code: "items", formNo: "附表", name: t("名单", "List"), notes: t("每项一行。", "One a row."), fields, maxRows: 50 }] },
  }));
  const planOf = (cc: CompiledTemplate) => buildFillPlans(cc, input).find((p) => p.properties.tianbao!.endsWith(";page=items"))!;

  it("one field: the status in 序号's column, the 填报说明 beside it in the field's (no cell merged alone); portrait", () => {
    const plan = planOf(withList([{ code: "name", name: t("名称", "Name"), type: "text", required: true }]));
    expect(plan.cells.find((x) => x.row === 2 && x.col === 1)!.value).toBe("填报说明：每项一行。");
    expect(plan.merges.filter((m) => /^[AB]3:/.test(m))).toEqual([]);
    expect(plan.print).toMatchObject({ landscape: false, area: `A1:B${geo.firstRow + 10}` });
  });

  it("thirty fields: landscape and across pages, 序号 and the first field repeated on each", () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ code: `f${i}`, name: t(`第${i + 1}项金额`, `Amount ${i + 1}`), type: "amount", unit: "万元", decimals: 1 }));
    const plan = planOf(withList(fields));
    expect(plan.print).toMatchObject({ landscape: true, titleColumns: "A:B" });
    expect(plan.print.pagesWide).toBeGreaterThan(1);
    expect(plan.cells.filter((x) => !x.locked)).toHaveLength(50 * 30);
  });
});

describe("a detail list read back", () => {
  it("round-trips: every field type, as stored", () => {
    const r = roundTrip({ producers: ZEZHOU });
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.notices).toEqual([]);
    expect(r.rowsAt.producers).toEqual(ZEZHOU.map((_, i) => geo.firstRow + i));
    expect(canonical(r.lists.producers!)).toEqual(ZEZHOU);
  });

  it("reads text as people mean it: full-width, spaced, a credit code in lower case with spaces, a choice by its code or name, dates as officials write them", () => {
    const uscc = withUsccCheck("91140525MA0999990");
    const r = roundTrip(null, (grid) => {
      put(grid, geo.firstRow, { firm: "　泽州县  鑫源　焦炭有限公司 ", uscc: ` ${uscc.slice(0, 6).toLowerCase()} ${[...uscc.slice(6)].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("")}`, product: "焦炭", level: "cn", output: "１２.５", since: "2024年3月5日", exporter: "否" });
      put(grid, geo.firstRow + 1, { firm: "乙", uscc, product: "铸管", level: " 山西名牌 ", year: "2020", tax: "-0.5", since: 45356, exporter: "是" });
    });
    if (!r.ok) throw new Error(r.error.message.en);
    expect(canonical(r.lists.producers!)).toEqual([
      { firm: "泽州县 鑫源 焦炭有限公司", uscc, product: "焦炭", level: "cn", output: "12.50", since: "2024-03-05", exporter: false },
      { firm: "乙", uscc, product: "铸管", level: "sx", year: 2020, tax: "-0.50", since: "2024-03-05", exporter: true },
    ]);
  });

  it("reads 2,000 rows", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ ...ZEZHOU[i % 7]!, uscc: withUsccCheck(`91140525MA0${String(i).padStart(6, "0")}`), firm: `企业${i + 1}` }));
    const lists = { producers: canonical(rows) };
    const started = performance.now();
    const r = roundTrip(lists);
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.lists.producers).toHaveLength(2000);
    expect(canonical(r.lists.producers!)).toEqual(lists.producers);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("leaves out blank rows in between — a row with only its 序号 or only spaces is blank — and says where", () => {
    const r = roundTrip({ producers: ZEZHOU }, (grid) => {
      // rows 8 and on typed below three blank rows (worksheet rows 14–16) and one more (18)
      put(grid, geo.firstRow + 11, { firm: "甲", uscc: withUsccCheck("91140525MA0888880"), product: "焦炭", level: "山西名牌" });
      put(grid, geo.firstRow + 9, { firm: "  ", product: "   " });
      grid[geo.firstRow + 12]![0] = 13; // a 序号 typed where the formula was: no part of a row
      put(grid, geo.firstRow + 13, { firm: "乙", uscc: withUsccCheck("91140525MA0888881"), product: "焦炭", level: "山西名牌" });
    });
    if (!r.ok) throw new Error(r.error.message.en);
    expect(r.lists.producers).toHaveLength(9);
    expect(r.rowsAt.producers!.slice(6)).toEqual([geo.firstRow + 6, geo.firstRow + 11, geo.firstRow + 13]);
    const first = geo.firstRow + 7 + 1;
    expect(r.notices).toEqual([{
      code: "blank_rows", severity: "warning", indicator: "producers", table: "producers", cell: `A${first}`,
      message: {
        zh: `质兴4表附表 A${first} 工作表第 ${first}–${first + 3}、${first + 5} 行是空行（共 5 行），已跳过，不计入名单`,
        en: `质兴4表附表 A${first} worksheet rows ${first}–${first + 3}, ${first + 5} are blank (5 rows) and were skipped: no part of the list`,
      },
    }]);
    // rows after the list's last are no part of it: not skipped, not said
    expect(roundTrip({ producers: ZEZHOU }).ok && roundTrip({ producers: ZEZHOU })).toMatchObject({ notices: [] });
  });

  it("refuses a row past the list's limit, naming its row and the limit; nothing is read", () => {
    const r = roundTrip({ producers: ZEZHOU }, (grid) => { put(grid, geo.lastRow + 1, { product: "焦炭" }); });
    expect(r).toMatchObject({ ok: false, error: { code: "layout.list_too_long", sheet: "晋城市2025年-质兴4表附表", cell: cellAddress(geo.lastRow + 1, col("product")) } });
    if (r.ok) return;
    expect(r.error.message.zh).toBe(`质兴4表附表 D${geo.lastRow + 2} 「名牌产品生产企业名单」最多 2000 行（工作表第 ${geo.firstRow + 1}–${geo.lastRow + 1} 行），工作表第 ${geo.lastRow + 2} 行超出了上限，未读取任何数值。请删除超出的行（或分开上报）后再上传。`);
    // the last row of the room is the list's 2,000th
    const full = roundTrip(null, (grid) => { put(grid, geo.lastRow, { firm: "末", uscc: withUsccCheck("91140525MA0777770"), product: "焦炭", level: "山西名牌" }); });
    expect(full.ok && [full.rowsAt.producers, full.notices[0]!.message.zh]).toEqual([[geo.lastRow], `质兴4表附表 A${geo.firstRow + 1} 工作表第 ${geo.firstRow + 1}–${geo.lastRow} 行是空行，已跳过，不计入名单`]);
  });

  it("refuses a column moved, a formula or an error value typed into a field, and a number shown as a date where a number belongs, each on its cell", () => {
    const moved = roundTrip({ producers: ZEZHOU }, (grid) => { grid[geo.codesRow]![col("tax")] = "exports"; });
    expect(moved).toMatchObject({ ok: false, error: { code: "layout.columns_moved", cell: cellAddress(geo.codesRow, col("tax")) } });
    const plans = buildFillPlans(c, { ...input, lists: { producers: ZEZHOU } });
    const sheets = (facts: Partial<FillSheetRead>) => plans.map((p) => (p.properties.tianbao!.endsWith(";page=producers") ? { ...asRead(p), ...facts, formulaCells: new Set([...asRead(p).formulaCells!, ...(facts.formulaCells ?? [])]) } : asRead(p)));
    const output3 = cellAddress(geo.firstRow + 2, col("output"));
    expect(parseFillBook(c, sheets({ formulaCells: new Set([output3]) }))).toMatchObject({ ok: false, error: { code: "layout.formula_in_input", cell: output3, message: { zh: `质兴4表附表 ${output3} 第 3 行「工业总产值」：此单元格是公式，请直接填写数值（系统不采用文件中的公式结果）` } } });
    expect(parseFillBook(c, sheets({ errors: new Map([[output3, "#N/A"]]) }))).toMatchObject({ ok: false, error: { code: "layout.error_value", cell: output3 } });
    expect(parseFillBook(c, sheets({ shown: new Map([[output3, { as: "date", text: "1900/1/18" }]]) }))).toMatchObject({ ok: false, error: { code: "layout.shown_as_other", cell: output3 } });
    // a date field takes a date as the cell shows it
    const since = cellAddress(geo.firstRow, col("since"));
    const dated = plans.map((p) => {
      if (!p.properties.tianbao!.endsWith(";page=producers")) return asRead(p);
      const grid = planGrid(p);
      grid[geo.firstRow]![col("since")] = 45356;
      return { ...asRead(p, grid), shown: new Map([[since, { as: "date" as const, text: "2024/3/5" }]]) };
    });
    const r = parseFillBook(c, dated);
    expect(r.ok && canonical(r.lists.producers!)[0]!.since).toBe("2024-03-05");
  });

  it("names a problem on the cell it is on, though blank rows above it were left out — whoever located it", () => {
    const r = roundTrip({ producers: ZEZHOU }, (grid) => {
      put(grid, geo.firstRow + 10, { firm: "丙", uscc: withUsccCheck("91140525MA0666660"), product: "焦炭", level: "山西名牌", output: "约10亿" });
      put(grid, geo.firstRow + 12, { firm: "丁", uscc: "91140525MA0666660", product: "焦炭", level: "山西名牌" });
    });
    if (!r.ok) throw new Error(r.error.message.en);
    const checked = validateLists(c, r.lists);
    expect(checked.issues.map((i) => [i.code, i.list?.row, i.list?.field])).toEqual([["invalid", 8, "output"], ["invalid", 9, "uscc"]]);
    const located = locateIssues(c, checked.issues, r.rowsAt);
    const text = cellAddress(geo.firstRow + 10, col("output"));
    expect(located[0]).toMatchObject({ cell: text, table: "producers", message: { zh: `质兴4表附表 ${text} 第 8 行「工业总产值」：「约10亿」不是数字（请只填写数字，如 1470、1,470 或 68.68）` } });
    expect(located[1]).toMatchObject({ cell: cellAddress(geo.firstRow + 12, col("uscc")) });
    // a server that checked the rows it was sent located them as if there were no blank rows: moved onto their cells
    const asSent = locateIssues(c, checked.issues);
    expect(asSent[0]!.cell).toBe(cellAddress(geo.firstRow + 7, col("output")));
    expect(relocateListIssues(c, asSent, r.rowsAt)).toEqual(located);
    // a figure's issue is not a list's: left as it is
    const figure = locateIssues(c, [{ code: "required", severity: "error", indicator: "sx_products", message: t("必填", "required") }]);
    expect(relocateListIssues(c, figure, r.rowsAt)).toEqual(figure);
  });
});
