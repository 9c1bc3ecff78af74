// Issue 25, the designer's part: a city designs a detail list (浮动行清单) in the designer workbook — the
// list on 表格 (类型 浮动行清单, 最多行数, 重码字段), its fields on 清单字段 — uploads it, sees every mistake on
// its cell, and gets it back identical when it downloads the designer of the template. The list's totals
// (producers_rows, producers_output, producers_level_sx_rows …) are generated: never on 指标, never twice.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEMO_BRANDS_TEMPLATE, DESIGNER_SHEETS, TemplateSchema, buildDesignerPlans, compileTemplate, listFigureIndicators, parseDesigner, planGrid, templateChanges,
  type CellValue, type DetailField, type DetailTable, type SheetPlan, type Template, type TemplateInput,
} from "../src";

type G = CellValue[][];
type Grids = ReturnType<typeof gridsOf>;
const gridsOf = (plans: SheetPlan[]) => {
  const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as G;
  return {
    template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules),
    tables: by(DESIGNER_SHEETS.tables), tableLines: by(DESIGNER_SHEETS.tableLines), detailFields: by(DESIGNER_SHEETS.detailFields),
  };
};
const problemsOf = (r: ReturnType<typeof parseDesigner>) => (r.ok ? [] : r.problems);
const withoutVersion = ({ version: _v, status: _s, ...rest }: Template) => rest;
const roundTrip = (t: Template) => parseDesigner(gridsOf(buildDesignerPlans(t)));
const demo = (): Grids => gridsOf(buildDesignerPlans(DEMO_BRANDS_TEMPLATE));
const detailOf = (t: Pick<Template, "form">) => t.form!.tables.find((x): x is DetailTable => x.kind === "detail")!;
const filled = (row: readonly CellValue[]) => row.some((v) => v !== null && v !== "");
/** A row typed below the last one filled (the sheets are drawn with blank input rows); its Excel row number. */
const append = (grid: G, row: CellValue[]): number => {
  let last = grid.length - 1;
  while (last >= 2 && !filled(grid[last]!)) last--;
  grid[last + 1] = row;
  return last + 2;
};

/** Every problem names its cell in both languages; each expected cell has a message matching. */
function expectOn(r: ReturnType<typeof parseDesigner>, expected: Record<string, RegExp>, only = true) {
  const p = problemsOf(r);
  for (const x of p) { expect(x.message.zh).toContain(x.cell); expect(x.message.en).toContain(x.cell); }
  for (const [cell, message] of Object.entries(expected)) expect(p.filter((x) => x.cell === cell).map((x) => x.message.zh).join(" | "), `${cell} in ${JSON.stringify(p)}`).toMatch(message);
  if (only) expect(p.map((x) => x.cell).sort()).toEqual(Object.keys(expected).sort());
  return p;
}

// the demo's 清单字段 rows, by field (Excel rows: data from row 3)
const FIELD_ROW = { firm: 3, uscc: 4, product: 5, level: 6, year: 7, output: 8, tax: 9, exports: 10 } as const;
const at = (g: Grids, field: keyof typeof FIELD_ROW) => g.detailFields[FIELD_ROW[field] - 1]!;
const MAIN = 3, PRODUCERS = 4; // 表格's Excel rows

describe("a detail list in the designer workbook (issue 25)", () => {
  it("draws the list on 表格 (浮动行清单, 最多行数, 重码字段) and its fields on 清单字段, with drop-downs", () => {
    const plans = buildDesignerPlans(DEMO_BRANDS_TEMPLATE);
    expect(plans.map((p) => p.name)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段", "说明"]);
    const g = gridsOf(plans);
    expect(g.tables[0]!.slice(13)).toEqual(["最多行数", "重码字段"]);
    expect(g.tables[1]!.slice(13)).toEqual(["Max rows", "Key fields"]);
    expect(g.tables[PRODUCERS - 1]).toEqual(["producers", "质兴4表附表", "名牌产品生产企业名单", "Famous-brand producers", "浮动行清单", "main", null, null, null,
      "每个名牌产品一行；同一企业有多个名牌产品的，分行填写。", "One row per famous-brand product; an enterprise with several fills a row for each.", null, null, 2000, "uscc；product"]);
    expect(g.tables[MAIN - 1]!.slice(13)).toEqual([null, null]);
    expect(g.detailFields.slice(0, 2)).toEqual([
      ["表代码", "字段代码", "名称", "英文名称", "类型", "必填", "最长字数", "校验", "选项", "计量单位", "小数位", "最小", "最大"],
      ["Table", "Field code", "Name", "English name", "Type", "Required", "Max length", "Check", "Options", "Unit", "Decimals", "Min", "Max"],
    ]);
    expect(g.detailFields.slice(2).filter(filled)).toEqual([
      ["producers", "firm", "企业名称", "Enterprise", "文本", "是", 100, null, null, null, null, null, null],
      ["producers", "uscc", "统一社会信用代码", "Credit code", "代码", "是", 18, "统一社会信用代码", null, null, null, null, null],
      ["producers", "product", "产品", "Product", "文本", "是", 100, null, null, null, null, null, null],
      ["producers", "level", "品牌级别", "Brand level", "单选", "是", null, null, "cn=中国名牌=China famous brand；sx=山西名牌=Shanxi famous brand", null, null, null, null],
      ["producers", "year", "获评年份", "Year awarded", "计数", null, null, null, null, null, null, "1990", "2100"],
      ["producers", "output", "工业总产值", "Output value", "金额", null, null, null, null, "亿元", 2, null, null],
      ["producers", "tax", "利税", "Profit and tax", "金额", null, null, null, null, "亿元", 2, "-1000", null],
      ["producers", "exports", "出口额", "Exports", "金额", null, null, null, null, "万美元", 0, null, null],
    ]);
    const sheet = plans.find((p) => p.name === "清单字段")!;
    const lists = (col: string) => sheet.validations.find((v) => v.cell === `${col}3`)?.list;
    expect(lists("E")).toEqual(["文本", "代码", "单选", "是否", "计数", "金额", "日期"]);
    expect(lists("F")).toEqual(["是", "否"]);
    expect(lists("H")).toEqual(["统一社会信用代码"]);
    expect(plans.find((p) => p.name === "表格")!.validations.find((v) => v.cell === "E3")?.list).toEqual(["清单", "行列表", "浮动行清单"]);
    const notes = planGrid(plans.find((p) => p.name === "说明")!).map((r) => String(r[0])).join("\n");
    expect(notes).toMatch(/^浮动行清单：/m);
    expect(notes).toMatch(/^清单字段：/m);
  });

  it("round-trips the demo's brands list exactly: the list, its fields, key and maximum rows, and the rules over its totals", () => {
    const r = roundTrip(DEMO_BRANDS_TEMPLATE);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template).toEqual(withoutVersion(DEMO_BRANDS_TEMPLATE));
    expect(r.ok && compileTemplate({ ...r.template, version: 1, status: "draft" }).ok).toBe(true);
  });

  it("never lists the generated totals on 指标 or 分组, and a template read back expanded draws and reads as the one it came from", () => {
    const c = compileTemplate(DEMO_BRANDS_TEMPLATE);
    if (!c.ok) throw new Error("compiles");
    const figures = listFigureIndicators(detailOf(DEMO_BRANDS_TEMPLATE)).map((i) => i.code);
    expect(figures).toEqual(expect.arrayContaining(["producers_rows", "producers_output", "producers_level_sx_rows"]));
    expect(figures.every((code) => c.compiled.template.indicators.some((i) => i.code === code))).toBe(true);
    const expanded = TemplateSchema.parse(JSON.parse(JSON.stringify(c.compiled.template)));
    const g = gridsOf(buildDesignerPlans(expanded));
    expect(g.indicators.slice(2).filter(filled).map((r) => r[0])).toEqual(["sx_products", "brand_output", "brand_tax", "brand_exports"]);
    expect(g.sections.slice(2).filter(filled).map((r) => r[0])).toEqual(["brand"]);
    expect(g).toEqual(demo());
    const r = parseDesigner(g);
    expect(r.ok && r.template).toEqual(withoutVersion(DEMO_BRANDS_TEMPLATE));
    expect(r.ok && r.template.indicators.filter((i) => figures.includes(i.code))).toEqual([]);
  });

  it("reads 类型 浮动行清单 by its other names too (浮动行, 浮动表, 明细表, 清单明细, detail, Detail), and 重码字段 separated by ；, ;, 、 or ,", () => {
    for (const kind of ["浮动行", "浮动表", "明细表", "清单明细", "detail", "Detail"]) {
      const g = demo();
      g.tables[PRODUCERS - 1]![4] = kind;
      const r = parseDesigner(g);
      expect(problemsOf(r), kind).toEqual([]);
      expect(r.ok && r.template).toEqual(withoutVersion(DEMO_BRANDS_TEMPLATE));
    }
    for (const key of ["uscc;product", "uscc、product", "uscc,product", "uscc，product", " uscc ； product "]) {
      const g = demo();
      g.tables[PRODUCERS - 1]![14] = key;
      const r = parseDesigner(g);
      expect(r.ok && detailOf(r.template).key, key).toEqual(["uscc", "product"]);
    }
  });

  it("reads blank 最多行数 as 2,000 and blank 重码字段 as no key; a blank 最长字数 as 200, a blank 必填 as optional", () => {
    const g = demo();
    g.tables[PRODUCERS - 1]![13] = null;
    g.tables[PRODUCERS - 1]![14] = null;
    at(g, "firm")[6] = null;
    at(g, "firm")[5] = "否";
    const r = parseDesigner(g);
    expect(problemsOf(r)).toEqual([]);
    const d = r.ok ? detailOf(r.template) : null;
    expect(d && [d.maxRows, d.key, d.fields[0]!.maxLength, d.fields[0]!.required]).toEqual([2000, [], 200, false]);
  });

  it("a list alone (no list table, no sections, no indicators of its own) is a form", () => {
    const only = TemplateSchema.parse({
      id: "failed_batches", version: 1, status: "draft", periodType: "quarter", name: { zh: "不合格批次", en: "Failed batches" },
      sections: [{ code: "batches", name: { zh: "不合格批次名单", en: "Failed batches" } }], indicators: [], rules: [],
      form: { tables: [{ kind: "detail", code: "batches", formNo: "质监3表", name: { zh: "不合格批次名单", en: "Failed batches" }, maxRows: 500,
        fields: [{ code: "firm", name: { zh: "企业", en: "Enterprise" }, type: "text", required: true }, { code: "when", name: { zh: "抽检日期", en: "Date" }, type: "date" }, { code: "recall", name: { zh: "是否召回", en: "Recalled" }, type: "yesno" }] }] },
    });
    expect(compileTemplate(only).ok).toBe(true);
    const g = gridsOf(buildDesignerPlans(only));
    expect(g.sections.slice(2).filter(filled)).toEqual([]);
    const r = parseDesigner(g);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template).toEqual(withoutVersion(only));
  });
});

describe("designer workbooks drawn before detail lists read as before", () => {
  const forms = TemplateSchema.parse({
    id: "forms", version: 1, status: "draft", periodType: "month", name: { zh: "月报", en: "Monthly" },
    sections: [{ code: "s1", name: { zh: "基本情况", en: "Basics" } }],
    indicators: [{ code: "out", section: "s1", kind: "amount", unit: "万元", decimals: 1, name: { zh: "产值", en: "Output" } }], rules: [],
    form: { tables: [
      { kind: "list", code: "basic", formNo: "表1", name: { zh: "基本情况", en: "Basics" }, sections: ["s1"], yoy: true, ytd: true },
      { kind: "grid", code: "ind", formNo: "表2", name: { zh: "产业", en: "Industries" }, rows: [{ code: "a", name: { zh: "甲", en: "A" } }], columns: [{ code: "n", name: { zh: "企业数", en: "Firms" }, kind: "count", unit: "家" }] },
    ] },
  });

  it("one without 清单字段 and the two new columns of 表格 (issue 24's), or without 同比 and 本年累计 too (issue 23's), reads the same form", () => {
    const g = gridsOf(buildDesignerPlans(forms));
    const r = parseDesigner(g);
    expect(r.ok && r.template).toEqual(withoutVersion(forms));
    const { detailFields: _f, ...noFields } = g;
    expect(parseDesigner(noFields)).toEqual(r);
    expect(parseDesigner({ ...noFields, tables: g.tables.map((row) => row.slice(0, 13)) })).toEqual(r);
    // drawn before 同比 and 本年累计: the tables have neither
    const older = parseDesigner({ ...noFields, tables: g.tables.map((row) => row.slice(0, 11)) });
    expect(problemsOf(older)).toEqual([]);
    expect(older.ok && older.template.form!.tables.map((t) => ("ytd" in t ? t.ytd : undefined))).toEqual([undefined, undefined]);
  });

  it("a detail list typed into an older workbook: without 清单字段 it is said where its fields go", () => {
    const g = gridsOf(buildDesignerPlans(forms));
    const { detailFields: _f, ...noFields } = g;
    const n = append(noFields.tables, ["list", "表3", "名单", "List", "浮动行清单"]);
    const p = expectOn(parseDesigner({ ...noFields, tables: noFields.tables.map((row) => row.slice(0, 13)) }), { [`表格!A${n}`]: /浮动行清单「list」在「清单字段」中没有字段.*本工作簿没有「清单字段」工作表/ });
    expect(p[0]!.message.en).toMatch(/this workbook has no 清单字段 sheet/);
  });

  it("a renamed 清单字段 is named, as a renamed 表格 is", async () => {
    const { pickDesignerSheets } = await import("../src");
    const sheets = buildDesignerPlans(DEMO_BRANDS_TEMPLATE).map((p) => ({ sheetName: p.name, grid: planGrid(p) }));
    const renamed = pickDesignerSheets(sheets.map((s) => (s.sheetName === "清单字段" ? { ...s, sheetName: "字段" } : s)));
    expect(renamed.ok).toBe(false);
    if (renamed.ok) return;
    expect(renamed.where).toBe("清单字段");
    expect(renamed.message.zh).toMatch(/缺少「清单字段」工作表.*「字段」.*改回「清单字段」/);
  });
});

describe("every mistake in a detail list on its sheet, row and column, in Chinese and English", () => {
  it("an unknown type, a choice without options, an amount without a unit", () => {
    const g = demo();
    at(g, "level")[4] = "多选";
    at(g, "output")[9] = null;
    const p = expectOn(parseDesigner(g), { "清单字段!E6": /类型「多选」应为 文本、代码、单选、是否、计数、金额 或 日期/, "清单字段!J8": /金额字段必须有计量单位/ });
    expect(p[0]!.message.en).toContain("type '多选' should be 文本 (text), 代码 (code), 单选 (choice), 是否 (yes/no), 计数 (count), 金额 (amount) or 日期 (date)");
    expect(p[1]!.message.en).toContain("an amount field needs a unit");
    const h = demo();
    at(h, "level")[8] = null;
    const q = expectOn(parseDesigner(h), { "清单字段!I6": /单选字段要在「选项」中列出选项/ });
    expect(q[0]!.message.en).toContain("a choice field needs its options");
    const k = demo();
    at(k, "level")[8] = "cn=中国名牌";
    expectOn(parseDesigner(k), { "清单字段!I6": /至少两项/ });
  });

  it("a key naming no field (with a hint when only the case differs), a key field twice, more than five", () => {
    const g = demo();
    g.tables[PRODUCERS - 1]![14] = "uscc；products";
    const p = expectOn(parseDesigner(g), { "表格!O4": /重码字段「products」不是浮动行清单「producers」的字段代码/ });
    expect(p[0]!.message.en).toContain("key field products is not a field code of the detail list 'producers'");
    const h = demo();
    h.tables[PRODUCERS - 1]![14] = "USCC；product";
    const q = expectOn(parseDesigner(h), { "表格!O4": /重码字段「USCC」不是.*字段代码区分大小写：是不是「uscc」/ });
    expect(q[0]!.message.en).toContain("did you mean 'uscc'?");
    const k = demo();
    k.tables[PRODUCERS - 1]![14] = "uscc；product；uscc";
    expectOn(parseDesigner(k), { "表格!O4": /重码字段「uscc」写了两次/ });
    const m = demo();
    m.tables[PRODUCERS - 1]![14] = "firm；uscc；product；level；year；output";
    expectOn(parseDesigner(m), { "表格!O4": /重码字段至多 5 个/ });
  });

  it("a field of a table that is not a detail list, or of no table; a detail list without fields", () => {
    const g = demo();
    append(g.detailFields, ["main", "x", "某字段", "", "文本"]);
    append(g.detailFields, ["nope", "y", "某字段", "", "文本"]);
    const n = append(g.detailFields, [null, "z", "某字段", "", "文本"]);
    const p = expectOn(parseDesigner(g), { [`清单字段!A${n - 2}`]: /表「main」是清单，没有字段/, [`清单字段!A${n - 1}`]: /表代码「nope」在「表格」中不存在/, [`清单字段!A${n}`]: /表代码不能为空/ });
    expect(p[0]!.message.en).toContain("table 'main' is a list table and has no fields");
    const h = demo();
    h.detailFields = h.detailFields.slice(0, 2);
    const q = expectOn(parseDesigner(h), { "表格!A4": /浮动行清单「producers」在「清单字段」中没有字段：每个字段一行，「表代码」填 producers$/ });
    expect(q[0]!.message.en).toContain("the detail list 'producers' has no fields on 清单字段");
    // a field's row with another mistake still counts as the list's field: the list is not said to have none
    const k = demo();
    k.detailFields = [...k.detailFields.slice(0, 2), ["producers", "firm", "企业名称", "", "文本", "也许"]];
    k.tables[PRODUCERS - 1]![14] = null;
    expectOn(parseDesigner(k), { "清单字段!F3": /必填「也许」应为 是 或 否/ });
  });

  it("a grid's rows or columns naming a detail list, 必填, 列出的分组, 同比 or 本年累计 on a detail list, 最多行数 or 重码字段 on another table", () => {
    const lines = demo();
    const n = append(lines.tableLines, ["producers", "行", "r1", "某行", "Row"]);
    expectOn(parseDesigner(lines), { [`表格行列!A${n}`]: /表「producers」是浮动行清单，没有固定的行和列：它的字段在「清单字段」中/ });
    const g = demo();
    g.tables[PRODUCERS - 1]![7] = "brand";
    g.tables[PRODUCERS - 1]![8] = "是";
    g.tables[PRODUCERS - 1]![11] = "是";
    g.tables[PRODUCERS - 1]![12] = "是";
    g.tables[MAIN - 1]![13] = 100;
    g.tables[MAIN - 1]![14] = "firm";
    const p = expectOn(parseDesigner(g), {
      "表格!H4": /浮动行清单不列分组/, "表格!I4": /浮动行清单不填必填/, "表格!L4": /浮动行清单没有同比列/, "表格!M4": /浮动行清单没有本年累计列/,
      "表格!N3": /只有浮动行清单填最多行数（本表是清单）/, "表格!O3": /只有浮动行清单填重码字段/,
    });
    expect(p.find((x) => x.cell === "表格!N3")!.message.en).toContain("only a detail list (浮动行清单) has a maximum number of rows (this table is a list)");
  });

  it("最多行数 not a whole number from 1 to 5,000", () => {
    for (const v of [0, 6000, "abc", 1.5, -3]) {
      const g = demo();
      g.tables[PRODUCERS - 1]![13] = v;
      const p = expectOn(parseDesigner(g), { "表格!N4": new RegExp(`最多行数「${String(v).replace(".", "\\.")}」应为 1 到 5000 的整数`) });
      expect(p[0]!.message.en).toContain("should be a whole number from 1 to 5000");
    }
    const g = demo();
    g.tables[PRODUCERS - 1]![13] = 5000;
    const r = parseDesigner(g);
    expect(r.ok && detailOf(r.template).maxRows).toBe(5000);
  });

  it("prototype names as codes: a table, a field, an option or a key field called constructor, __proto__ or toString", () => {
    const g = demo();
    at(g, "firm")[1] = "constructor";
    at(g, "level")[8] = "toString=中国名牌；sx=山西名牌";
    const p = expectOn(parseDesigner(g), { "清单字段!B3": /字段代码「constructor」无效：.*不能是保留字/, "清单字段!I6": /「toString」有误/ });
    expect(p[0]!.message.en).toContain("field code 'constructor' is not valid");
    const h = demo();
    h.tables[PRODUCERS - 1]![14] = "constructor";
    expectOn(parseDesigner(h), { "表格!O4": /重码字段「constructor」不是有效的字段代码/ });
    const k = demo();
    k.tables[PRODUCERS - 1]![0] = "__proto__";
    for (const row of k.detailFields.slice(2)) if (row[0] === "producers") row[0] = "__proto__";
    expectOn(parseDesigner(k), { "表格!A4": /代码「__proto__」无效/ });
    const m = demo();
    at(m, "level")[1] = "hasOwnProperty";
    expectOn(parseDesigner(m), { "清单字段!B6": /字段代码「hasOwnProperty」无效/ });
  });

  it("codes that differ only in case: two fields of a list, two options of a field", () => {
    const g = demo();
    g.detailFields.splice(3, 0, ["producers", "Firm", "企业简称", "Short name", "文本"]);
    const p = expectOn(parseDesigner(g), { "清单字段!B4": /字段代码「Firm」与第 3 行的「firm」只差大小写/ });
    expect(p[0]!.message.en).toContain("field code 'Firm' differs from 'firm' (row 3) only in case");
    const h = demo();
    at(h, "level")[8] = "cn=中国名牌；CN=中国驰名商标";
    expectOn(parseDesigner(h), { "清单字段!I6": /选项代码「CN」与「cn」只差大小写/ });
    const k = demo();
    at(k, "firm")[1] = "uscc";
    expectOn(parseDesigner(k), { "清单字段!B4": /字段代码「uscc」与第 3 行重复/ }, false);
  });

  it("names with quotes and apostrophes are names (kept as typed); an option Excel's drop-down cannot hold is refused", () => {
    const t = structuredClone(DEMO_BRANDS_TEMPLATE);
    const d = detailOf(t);
    d.name = { zh: "名牌产品“生产企业”名单", en: "Producers' \"famous brand\" list" };
    d.fields[0]!.name = { zh: "企业'名称'", en: "Enterprise's \"name\"" };
    d.fields[3]!.options = [{ code: "cn", name: { zh: "中国名牌（'驰名'）", en: "China's \"famous\" brand" } }, { code: "sx", name: { zh: "山西名牌", en: "Shanxi" } }];
    const r = roundTrip(t);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template).toEqual(withoutVersion(t));
    for (const [options, message] of [
      ["cn=中国\"名牌\"；sx=山西名牌", /选项「中国"名牌"」含逗号或英文双引号/],
      ["cn=中国,名牌；sx=山西名牌", /选项「中国,名牌」含逗号或英文双引号/],
      ["cn=中国名牌；sx=中国名牌", /选项「中国名牌」重名/],
      ["cn=中国名牌；cn=山西名牌", /选项代码「cn」重复/],
      [Array.from({ length: 40 }, (_, i) => `o${i}=${"长".repeat(6)}${i}`).join("；"), /超过 Excel 下拉列表的 255 个字上限/],
      [Array.from({ length: 51 }, (_, i) => `o${i}=${i}`).join("；"), /至多 50 个选项/],
    ] as const) {
      const g = demo();
      at(g, "level")[8] = options;
      expectOn(parseDesigner(g), { "清单字段!I6": message });
    }
  });

  it("what a field's type does not use: 最长字数 on a count, 小数位 on a count or a date, bounds or a unit on a text, options on a text, a credit-code check on a text", () => {
    const g = demo();
    at(g, "year")[6] = 10;
    at(g, "year")[10] = 2;
    at(g, "firm")[11] = 5;
    at(g, "firm")[9] = "个";
    at(g, "firm")[8] = "a=甲；b=乙";
    at(g, "product")[7] = "统一社会信用代码";
    const p = expectOn(parseDesigner(g), {
      "清单字段!G7": /计数字段不填「最长字数」：只有文本、代码字段有最长字数/, "清单字段!K7": /计数字段是整数，不填小数位/, "清单字段!L3": /文本字段不填「最小」/,
      "清单字段!J3": /文本字段不填「计量单位」/, "清单字段!I3": /文本字段不填「选项」：只有单选字段有选项/, "清单字段!H5": /只有代码字段可以校验统一社会信用代码/,
    });
    expect(p.find((x) => x.cell === "清单字段!K7")!.message.en).toContain("a count field holds whole numbers: no decimals");
    const h = demo();
    at(h, "uscc")[7] = "身份证";
    at(h, "uscc")[6] = 600;
    at(h, "output")[10] = 7;
    at(h, "tax")[11] = "-1000.555";
    at(h, "exports")[11] = "100";
    at(h, "exports")[12] = "10";
    at(h, "year")[12] = "两千";
    expectOn(parseDesigner(h), {
      "清单字段!H4": /校验「身份证」应为 统一社会信用代码 或留空/, "清单字段!G4": /最长字数「600」应为 1 到 500 的整数/, "清单字段!K8": /小数位「7」应为 0 到 6 的整数/,
      "清单字段!L9": /最小「-1000.555」超过字段的 2 位小数/, "清单字段!L10": /最小「100」大于最大「10」/, "清单字段!M7": /最大「两千」不是数字/,
    });
  });

  it("a field whose totals would take another's code, or be longer than 40 characters", () => {
    const g = demo();
    at(g, "year")[1] = "rows";
    const p = expectOn(parseDesigner(g), { "清单字段!B7": /自动生成的汇总数代码「producers_rows」重复/ });
    expect(p[0]!.message.en).toContain("would generate the total 'producers_rows' twice");
    const h = demo();
    at(h, "level")[8] = "a_very_long_option_code=中国名牌；sx=山西名牌";
    expectOn(parseDesigner(h), { "清单字段!B6": /汇总数代码「producers_level_a_very_long_option_code_rows」超过 40 个字符/ });
  });

  it("a total whose name Excel's alert cannot hold is said on the name of the field it adds up", () => {
    const g = demo();
    g.tables[PRODUCERS - 1]![2] = "名".repeat(100);
    at(g, "output")[2] = "值".repeat(90);
    const p = problemsOf(parseDesigner(g));
    expect(p.length).toBeGreaterThan(0);
    expect(p.every((x) => x.cell === "清单字段!C8" || x.cell === "表格!C4"), JSON.stringify(p)).toBe(true);
    expect(p.some((x) => x.cell === "清单字段!C8" && /producers_output/.test(x.message.zh))).toBe(true);
  });

  it("a section named like a detail list, an indicator typed with a total's code, a rule over a total the list does not make", () => {
    const g = demo();
    const n = append(g.sections, ["producers", "名单", "List"]);
    expectOn(parseDesigner(g), { [`分组!A${n}`]: /分组代码「producers」与浮动行清单「producers」的代码相同/ });
    const h = demo();
    append(h.indicators, ["producers_rows", "brand", "名单行数", "", "计数", "行"]);
    expectOn(parseDesigner(h), { "表格!A4": /汇总数代码「producers_rows」与指标代码重复/ });
    const k = demo();
    const r = append(k.rules, ["r_x", "producers_level_gj_rows <= sx_products", "错误", "国家级不多于山西名牌", "National at most Shanxi"]);
    expectOn(parseDesigner(k), { [`校验规则!B${r}`]: /producers_level_gj_rows/ });
  });

  it("the cells as the person sees them: an error value on 清单字段 is refused on its cell, a date shown in a name is its text", () => {
    const g = demo();
    at(g, "firm")[2] = 45717;
    at(g, "output")[10] = 0.02;
    const r = parseDesigner(g, { detailFields: { shown: new Map([["C3", { as: "date", text: "3-1" }], ["K8", { as: "percent", text: "2%" }]]), errors: new Map([["D4", "#REF!"]]) } });
    expect(problemsOf(r).map((x) => x.cell)).toEqual(["清单字段!D4", "清单字段!K8"]);
    at(g, "output")[10] = 2;
    const ok = parseDesigner(g, { detailFields: { shown: new Map([["C3", { as: "date", text: "3-1" }]]) } });
    expect(ok.ok && detailOf(ok.template).fields[0]!.name.zh).toBe("3-1");
  });

  it("a moved column of 清单字段 is one message at its header cell", () => {
    const g = demo();
    g.detailFields = g.detailFields.map((r) => [...r.slice(0, 4), null, ...r.slice(4)]);
    const p = problemsOf(parseDesigner(g));
    expect(p.map((x) => x.cell)).toEqual(["清单字段!E1"]);
    expect(p[0]!.message.zh).toMatch(/「类型」列前插入了一列/);
  });
});

// ——— any detail list a city could design, drawn and read back, is itself ———

const NAMES = ["企业名称", "O'Brien 公司", "他说\"好\"", "“名牌”产品", "3-1", "1e3", "TRUE", "50%", "2025/3/1", "产值 (万元)", "其中：出口"];
const OPTION_NAMES = ["中国名牌", "山西名牌", "市级", "其他", "O'Brien", "“驰名”", "1e3", "TRUE"];
const name = fc.tuple(fc.constantFrom(...NAMES), fc.option(fc.constantFrom(...NAMES), { nil: undefined })).map(([zh, en]) => ({ zh, en: en ?? zh }));

function randomField(code: string): fc.Arbitrary<DetailField> {
  const common = { code: fc.constant(code), name, required: fc.boolean() };
  const bounds = (decimals: number) => fc.option(fc.constantFrom<{ min?: string; max?: string }>({ min: "-99999" }, { max: "100" }, { min: "1990", max: "2100" }, { min: decimals > 0 ? "-0.5" : "-1" }), { nil: undefined }).map((b) => b ?? {});
  return fc.oneof(
    fc.record({ ...common, type: fc.constant("text" as const), maxLength: fc.integer({ min: 1, max: 500 }) }),
    fc.record({ ...common, type: fc.constant("code" as const), maxLength: fc.integer({ min: 1, max: 500 }), check: fc.option(fc.constant("uscc" as const), { nil: undefined }) }),
    fc.record({ ...common, type: fc.constant("choice" as const), options: fc.uniqueArray(fc.constantFrom(...OPTION_NAMES), { minLength: 2, maxLength: 4 }).map((names) => names.map((zh, i) => ({ code: `o${i}`, name: { zh, en: i % 2 === 0 ? zh : `Option ${i}` } }))) }),
    fc.record({ ...common, type: fc.constant("yesno" as const) }),
    fc.record({ ...common, type: fc.constant("date" as const) }),
    fc.tuple(fc.record({ ...common, type: fc.constant("count" as const), unit: fc.option(fc.constantFrom("个", "家", "批次"), { nil: undefined }) }), bounds(0)).map(([f, b]) => ({ ...f, ...b })),
    fc.integer({ min: 0, max: 6 }).chain((decimals) => fc.tuple(fc.record({ ...common, type: fc.constant("amount" as const), unit: fc.constantFrom("万元", "亿元", "万美元", "吨"), decimals: fc.constant(decimals) }), bounds(decimals)).map(([f, b]) => ({ ...f, ...b }))),
  ).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as DetailField);
}

function randomDetailTemplate(): fc.Arbitrary<Template> {
  const table = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
    name, fields: fc.tuple(...Array.from({ length: n }, (_, i) => randomField(`f${i}`))),
    keyPick: fc.subarray(Array.from({ length: n }, (_, i) => `f${i}`), { maxLength: Math.min(3, n) }), maxRows: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
    attach: fc.boolean(), unitLine: fc.option(fc.constantFrom("计量单位：万元", "单位：家"), { nil: undefined }), notes: fc.option(name, { nil: undefined }),
  }));
  return fc.tuple(fc.array(table, { minLength: 1, maxLength: 2 }), fc.boolean()).map(([specs, withList]) => {
    const details = specs.map((s, i) => ({
      kind: "detail" as const, code: `d${i}`, formNo: `表${i + 2}`, name: s.name, fields: s.fields, key: s.keyPick, ...(s.maxRows !== undefined ? { maxRows: s.maxRows } : {}),
      ...(s.unitLine ? { unitLine: s.unitLine } : {}), ...(s.notes ? { notes: s.notes } : {}), ...(s.attach && withList ? { attachedTo: "main" } : {}),
    }));
    const input: TemplateInput = {
      id: "random_lists", version: 1, status: "draft", periodType: "annual", name: { zh: "随机名单", en: "Random lists" },
      sections: withList ? [{ code: "s1", name: { zh: "基本情况", en: "Basics" } }] : details.map((d) => ({ code: d.code, name: d.name })),
      indicators: withList ? [{ code: "n", section: "s1", kind: "count", name: { zh: "行数", en: "Rows" } }] : [],
      // a rule over a total, as the demo's ties its list to its fixed table
      rules: withList ? [{ code: "r_rows", expr: "d0_rows <= n", severity: "warning", message: { zh: "名单行数不多于填报数", en: "The list has at most n rows" } }] : [],
      form: { tables: [...(withList ? [{ kind: "list" as const, code: "main", formNo: "表1", name: { zh: "基本情况", en: "Basics" }, sections: ["s1"] }] : []), ...details] },
    };
    return TemplateSchema.parse(input);
  }).filter((t) => compileTemplate(t).ok);
}

describe("any detail list, drawn and read back, is the same list", () => {
  it("holds for random lists of every field type (options, checks, units, decimals, bounds, keys, maximum rows, names with quotes)", () => {
    fc.assert(fc.property(randomDetailTemplate(), (t) => {
      const r = roundTrip(t);
      expect(problemsOf(r)).toEqual([]);
      expect(r.ok && r.template).toEqual(withoutVersion(t));
      // and once expanded (what is stored after compiling): the totals are not read back as indicators
      const c = compileTemplate(t);
      if (!c.ok) throw new Error("compiles");
      const again = parseDesigner(gridsOf(buildDesignerPlans(TemplateSchema.parse(JSON.parse(JSON.stringify(c.compiled.template))))));
      expect(again.ok && again.template).toEqual(withoutVersion(t));
    }), { numRuns: 120 });
  });
});

describe("a new version's changes in its detail lists", () => {
  const base = (): Template => structuredClone(DEMO_BRANDS_TEMPLATE);

  it("a detail list added or removed, said once as the table (its generated totals are not indicators)", () => {
    // the rules over the list's totals go with it
    const withList = { ...base(), rules: [] };
    const without = { ...base(), rules: [] };
    without.form = { ...without.form!, tables: without.form!.tables.filter((t) => t.kind !== "detail") };
    const added = templateChanges(without, withList);
    expect(added.map((x) => [x.kind, x.code])).toEqual([["table_added", "producers"]]);
    expect(added[0]!.message).toEqual({ zh: "新增表「质兴4表附表 名牌产品生产企业名单」（浮动行清单，8 个字段）", en: "table '质兴4表附表 Famous-brand producers' (detail, 8 fields) added" });
    expect(templateChanges(withList, without).map((x) => [x.kind, x.code, x.message.zh])).toEqual([["table_removed", "producers", "删除表「质兴4表附表 名牌产品生产企业名单」"]]);
    // compiled (the totals among the indicators) as much as designed
    const expand = (t: Template) => { const c = compileTemplate(t); if (!c.ok) throw new Error("compiles"); return c.compiled.template; };
    expect(templateChanges(expand(without), expand(withList)).map((x) => x.kind)).toEqual(["table_added"]);
    expect(templateChanges(expand(base()), base())).toEqual([]);
    expect(templateChanges(base(), base())).toEqual([]);
  });

  it("fields added, removed, renamed and changed (type, required, options, unit, decimals), key and maximum rows", () => {
    const after = base();
    const d = detailOf(after);
    const f = (code: string) => d.fields.find((x) => x.code === code)!;
    d.fields = d.fields.filter((x) => x.code !== "exports");
    d.fields.push({ code: "city", name: { zh: "所在县", en: "County" }, type: "text", required: true, maxLength: 20, decimals: 0 });
    f("firm").name = { zh: "生产企业名称", en: "Producer" };
    f("year").type = "date";
    f("year").min = undefined;
    f("year").max = undefined;
    delete f("year").min;
    delete f("year").max;
    f("product").required = false;
    f("output").unit = "万元";
    f("tax").decimals = 0;
    f("level").options = [...f("level").options!, { code: "gj", name: { zh: "国家级", en: "National" } }];
    f("uscc").check = undefined;
    delete f("uscc").check;
    d.key = ["uscc"];
    d.maxRows = 500;
    const c = templateChanges(base(), after);
    expect(c.map((x) => [x.kind, x.code, x.meaningChanged])).toEqual([
      ["table_changed", "producers", false],
      ["detail_field_renamed", "producers.firm", false],
      ["detail_field_changed", "producers.uscc", false],
      ["detail_field_changed", "producers.product", false],
      ["detail_field_changed", "producers.level", false],
      ["detail_field_changed", "producers.year", true],
      ["detail_field_changed", "producers.output", true],
      ["detail_field_changed", "producers.tax", true],
      ["detail_field_added", "producers.city", false],
      ["detail_field_removed", "producers.exports", false],
    ]);
    const msg = (code: string) => c.find((x) => x.code === code && x.kind !== "detail_field_renamed")!.message;
    expect(msg("producers").zh).toBe("表「质兴4表附表 名牌产品生产企业名单」：重码字段改为 uscc（原为 uscc + product）；最多行数 2000 → 500（已有更多行的单位再次上报时将被拒绝）");
    expect(msg("producers").en).toBe("table '质兴4表附表 Famous-brand producers': key fields now uscc (were uscc + product); max rows 2000 → 500 (a unit with more rows is refused when it submits again)");
    expect(c.find((x) => x.kind === "detail_field_renamed")!.message.zh).toBe("表「质兴4表附表 名牌产品生产企业名单」的字段「firm」更名：「企业名称」→「生产企业名称」（如含义也变了，请换一个代码）");
    expect(msg("producers.year").zh).toMatch(/类型「计数」→「日期」.*取值范围改为 默认：代码不变但含义已变/);
    expect(msg("producers.product").zh).toBe("表「质兴4表附表 名牌产品生产企业名单」的字段「product」：改为选填");
    expect(msg("producers.level").zh).toBe("表「质兴4表附表 名牌产品生产企业名单」的字段「level」：选项改为 cn=中国名牌；sx=山西名牌；gj=国家级");
    expect(msg("producers.uscc").en).toContain("no longer checked as a credit code");
    expect(msg("producers.output").zh).toContain("计量单位「亿元」→「万元」");
    expect(msg("producers.tax").zh).toContain("小数位 2 → 0");
    expect(c.find((x) => x.kind === "detail_field_added")!.message.zh).toBe("表「质兴4表附表 名牌产品生产企业名单」新增字段「所在县」（city，文本，必填）");
    expect(c.find((x) => x.kind === "detail_field_removed")!.message.en).toBe("table '质兴4表附表 Famous-brand producers': field 'Exports' (exports) removed");
  });

  it("an option code given another meaning is a code kept with a new meaning; the key dropped says so", () => {
    const after = base();
    const level = detailOf(after).fields.find((x) => x.code === "level")!;
    level.options = [{ code: "cn", name: { zh: "国家级名牌", en: "National" } }, { code: "sx", name: { zh: "山西名牌", en: "Shanxi famous brand" } }];
    detailOf(after).key = [];
    const c = templateChanges(base(), after);
    expect(c.find((x) => x.code === "producers.level")).toMatchObject({ kind: "detail_field_changed", meaningChanged: true });
    expect(c.find((x) => x.code === "producers")!.message.zh).toContain("不再查重码（原为 uscc + product）");
  });
});
