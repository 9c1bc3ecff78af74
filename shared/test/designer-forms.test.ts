// Issue 23, the designer's part: a city defines a multi-table form in the designer workbook — the
// legal face on 模板, the tables on 表格, each grid's rows and columns on 表格行列 — uploads it, sees
// every mistake on its cell, and gets it back identical when it downloads the designer of the template.
// A workbook drawn before forms (no 表格, no 表格行列, a 模板 of four rows) reads exactly as before.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomForm } from "./arbitraries";
import {
  BUILTIN_TEMPLATE, DESIGNER_SHEETS, TemplateSchema, buildDesignerPlans, compileTemplate, parseDesigner, pickDesignerSheets, planGrid, templateChanges,
  type CellValue, type GridTable, type SheetPlan, type Template, type TemplateInput,
} from "../src";

type G = CellValue[][];
const gridsOf = (plans: SheetPlan[]) => {
  const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as G;
  return {
    template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules),
    tables: by(DESIGNER_SHEETS.tables), tableLines: by(DESIGNER_SHEETS.tableLines),
  };
};
const problemsOf = (r: ReturnType<typeof parseDesigner>) => (r.ok ? [] : r.problems);
const withoutVersion = ({ version: _v, status: _s, ...rest }: Template) => rest;

// the seeds' 主导产业 grid of shared/test/form.test.ts, with a list table, an attached table and notes
const leading: NonNullable<TemplateInput["form"]> = {
  legal: { maker: "晋城市质量技术监督局", approver: "晋城市统计局", approvalNo: "晋市统制〔2025〕12号", validUntil: "2027年12月" },
  tables: [
    { kind: "list", code: "basic", formNo: "质兴1表", name: { zh: "基本情况", en: "Basics" }, sections: ["s1"] },
    {
      kind: "grid", code: "ind", formNo: "质兴2表", name: { zh: "主导产业", en: "Leading industries" }, unitLine: "计量单位：见各栏",
      rows: [
        { code: "total", name: { zh: "合计", en: "Total" }, role: "total" },
        { code: "metal", name: { zh: "有色金属", en: "Non-ferrous metals" } },
        { code: "energy", name: { zh: "新能源", en: "New energy" } },
        { code: "optic", name: { zh: "机电光学", en: "Mechatronics and optics" } },
        { code: "build", name: { zh: "新型建材", en: "New building materials" } },
        { code: "pv", name: { zh: "其中：光伏", en: "of which: photovoltaics" }, role: "ofWhich", of: "energy" },
      ],
      columns: [
        { code: "firms", name: { zh: "企业数", en: "Enterprises" }, kind: "count", unit: "家" },
        { code: "rev", name: { zh: "主营业务收入", en: "Main business revenue" }, kind: "amount", unit: "亿元", decimals: 1 },
        { code: "out", name: { zh: "产量", en: "Output" }, kind: "amount", unit: "万吨", decimals: 1 },
      ],
      skip: ["metal:out", "energy:out", "optic:out", "pv:out"],
    },
    {
      kind: "grid", code: "std", formNo: "质兴2-1表", name: { zh: "标准化", en: "Standards" }, attachedTo: "ind", required: false,
      notes: { zh: "按年末数填报", en: "Year-end figures" },
      rows: [{ code: "a", name: { zh: "国家标准", en: "National" } }, { code: "b", name: { zh: "行业标准", en: "Industry" } }],
      columns: [{ code: "n", name: { zh: "项数", en: "Count" }, kind: "count" }],
    },
  ],
};

const template = (form: TemplateInput["form"] = leading, extra: Partial<TemplateInput> = {}): Template => TemplateSchema.parse({
  id: "forms", version: 1, status: "draft", name: { zh: "质量兴市工作年报", en: "Quality report" }, periodType: "annual",
  sections: [{ code: "s1", name: { zh: "基本情况", en: "Basics" } }],
  indicators: [{ code: "above_scale_rev", section: "s1", kind: "amount", unit: "亿元", decimals: 1, required: true, name: { zh: "规上工业主营业务收入", en: "Above-scale revenue" } }],
  form, ...extra,
});
const roundTrip = (t: Template) => parseDesigner(gridsOf(buildDesignerPlans(t)));
const fresh = () => gridsOf(buildDesignerPlans(template()));
const rowOn = (grid: G, ...match: CellValue[]) => grid.findIndex((r) => match.every((m, i) => r[i] === m));

describe("the designer's form sheets (issue 23)", () => {
  it("draws the legal face on 模板, one row per table on 表格, each grid's rows then columns on 表格行列", () => {
    const g = fresh();
    expect(buildDesignerPlans(template()).map((p) => p.name)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段", "说明"]);
    expect(g.template.slice(6, 10).map((r) => r.slice(0, 2))).toEqual([["制定机关", "晋城市质量技术监督局"], ["批准机关", "晋城市统计局"], ["批准文号（或备案文号）", "晋市统制〔2025〕12号"], ["有效期至", "2027年12月"]]);
    expect(g.tables.slice(0, 2).map((r) => r.slice(0, 11))).toEqual([
      ["代码", "表号", "名称", "英文名称", "类型", "所附主表", "计量单位行", "列出的分组", "必填", "填报说明", "英文说明"],
      ["Code", "Form no.", "Name", "English name", "Kind", "Attached to", "Unit line", "Sections listed", "Required", "Notes", "English notes"],
    ]);
    // issue 24 appended 同比 and 本年累计 (blank: no such columns) at the end
    expect(g.tables[0]![11]).toBe("同比");
    expect(g.tables[0]![12]).toBe("本年累计");
    expect(g.tables.slice(2, 5)).toEqual([
      // issue 25 appended 最多行数 and 重码字段 (blank: not a detail list)
      ["basic", "质兴1表", "基本情况", "Basics", "清单", null, null, "s1", null, null, null, null, null, null, null],
      ["ind", "质兴2表", "主导产业", "Leading industries", "行列表", null, "计量单位：见各栏", null, "是", null, null, null, null, null, null],
      ["std", "质兴2-1表", "标准化", "Standards", "行列表", "ind", null, null, "否", "按年末数填报", "Year-end figures", null, null, null, null],
    ]);
    expect(g.tableLines[0]).toEqual(["表代码", "行/列", "代码", "名称", "英文名称", "角色", "其中所属", "类型", "计量单位", "小数位", "不适用的列", "最小", "最大"]);
    expect(g.tableLines.slice(2, 12).map((r) => r.slice(0, 3).join(" "))).toEqual([
      "ind 行 total", "ind 行 metal", "ind 行 energy", "ind 行 optic", "ind 行 build", "ind 行 pv", "ind 列 firms", "ind 列 rev", "ind 列 out", "std 行 a",
    ]);
    expect(g.tableLines[rowOn(g.tableLines, "ind", "行", "pv")]).toEqual(["ind", "行", "pv", "其中：光伏", "of which: photovoltaics", "其中", "energy", null, null, null, "out", null, null]);
    expect(g.tableLines[rowOn(g.tableLines, "ind", "列", "rev")]).toEqual(["ind", "列", "rev", "主营业务收入", "Main business revenue", "项目", null, "金额", "亿元", 1, null, null, null]);
    expect(g.tableLines[rowOn(g.tableLines, "ind", "列", "firms")]![9]).toBeNull(); // a count column has no decimals
    const notes = planGrid(buildDesignerPlans(null).find((p) => p.name === "说明")!).map((r) => String(r[0])).join("\n");
    expect(notes).toMatch(/^表格：/m);
    expect(notes).toMatch(/^表格行列：/m);
  });

  it("round-trips a form with the 主导产业 grid, a list table, an attached grid and the legal face exactly", () => {
    const t = template();
    expect(compileTemplate(t).ok).toBe(true);
    const r = roundTrip(t);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template).toEqual(withoutVersion(t));
  });

  it("round-trips a form of grids alone, without sections or indicators of its own, and a legal face of 制定机关 alone", () => {
    const grids = leading.tables.filter((x) => x.kind === "grid");
    const t = template({ legal: { maker: "某市统计局" }, tables: grids }, { sections: grids.map((x) => ({ code: x.code, name: x.name })), indicators: [] });
    expect(compileTemplate(t).ok).toBe(true);
    const g = gridsOf(buildDesignerPlans(t));
    expect(g.sections.slice(2).every((row) => row.every((v) => v === null))).toBe(true);
    expect(g.indicators.slice(2).every((row) => row.every((v) => v === null))).toBe(true);
    const r = parseDesigner(g);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template).toEqual(withoutVersion(t));
  });

  it("shows a template's own indicators and rules only: one read back expanded draws as the form it came from", () => {
    const c = compileTemplate(template());
    if (!c.ok) throw new Error("compiles");
    const expanded = TemplateSchema.parse(JSON.parse(JSON.stringify(c.compiled.template)));
    const g = gridsOf(buildDesignerPlans(expanded));
    expect(g.indicators.filter((row) => typeof row[0] === "string" && row[0].startsWith("ind_"))).toEqual([]);
    expect(g.rules.slice(2).every((row) => row.every((v) => v === null))).toBe(true);
    const r = parseDesigner(g);
    expect(r.ok && r.template).toEqual(withoutVersion(template()));
  });

  it("rules may refer to a grid's cells", () => {
    const g = fresh();
    g.rules[2] = ["r_share", "ind_total_rev <= above_scale_rev", "错误", "主导产业收入不能超过规上工业", "Leading industries cannot exceed above-scale"];
    const r = parseDesigner(g);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template.rules.map((x) => x.code)).toEqual(["r_share"]);
  });
});

describe("a designer workbook drawn before forms", () => {
  const builtin = TemplateSchema.parse(BUILTIN_TEMPLATE);

  it("the built-in template round-trips with no form, and reads the same without 表格, 表格行列 or the legal face rows", () => {
    const g = gridsOf(buildDesignerPlans(builtin));
    const r = parseDesigner(g);
    expect(r.ok && r.template).toEqual(withoutVersion(builtin));
    expect(r.ok && "form" in r.template).toBe(false);
    const { tables: _t, tableLines: _l, ...old } = g;
    const legacy = { ...old, template: old.template.slice(0, 6) };
    expect(parseDesigner(legacy)).toEqual(r);
    // 表格 present but empty is no form either
    expect(parseDesigner({ ...legacy, tables: g.tables.slice(0, 2), tableLines: [] })).toEqual(r);
  });

  it("finds the form's sheets by name when they are there; a workbook without them is not refused, a renamed 表格 is named", () => {
    const plans = buildDesignerPlans(builtin);
    const sheets = plans.map((p) => ({ sheetName: p.name, grid: planGrid(p) }));
    const legacy = sheets.filter((s) => s.sheetName !== "表格" && s.sheetName !== "表格行列" && s.sheetName !== "清单字段");
    const found = pickDesignerSheets(legacy);
    expect(found.ok && Object.keys(found.sheets)).toEqual(["template", "sections", "indicators", "rules"]);
    const all = pickDesignerSheets(sheets);
    expect(all.ok && Object.keys(all.sheets)).toEqual(["template", "sections", "indicators", "rules", "tables", "tableLines", "detailFields"]);
    const renamed = pickDesignerSheets(sheets.map((s) => (s.sheetName === "表格" ? { ...s, sheetName: "表格 (2)" } : s)));
    expect(renamed.ok).toBe(false);
    if (renamed.ok) return;
    expect(renamed.where).toBe("表格");
    expect(renamed.message.zh).toMatch(/缺少「表格」工作表.*「表格 \(2\)」.*改回「表格」/);
  });

  it("a column inserted on 表格 or 表格行列 is one message at its header cell, as on the other sheets", () => {
    const g = fresh();
    g.tables = g.tables.map((r) => [...r.slice(0, 2), null, ...r.slice(2)]);
    g.tableLines = g.tableLines.map((r) => r.slice(1));
    const p = problemsOf(parseDesigner(g));
    expect(p.map((x) => x.cell)).toEqual(["表格!C1", "表格行列!A1"]);
    expect(p[0]!.message.zh).toMatch(/「名称」列前插入了一列/);
  });
});

describe("every mistake in a form on its cell, in Chinese and English", () => {
  const expectOn = (r: ReturnType<typeof parseDesigner>, expected: Record<string, RegExp>) => {
    const p = problemsOf(r);
    for (const x of p) { expect(x.message.zh).toContain(x.cell); expect(x.message.en).toContain(x.cell); }
    for (const [cell, message] of Object.entries(expected)) expect(p.filter((x) => x.cell === cell).map((x) => x.message.zh).join(" | "), cell).toMatch(message);
    return p;
  };

  it("on 表格: a bad code, an unknown kind, a main table that is not there, an unknown section, 必填 on a list, a table without rows or columns", () => {
    const g = fresh();
    const [basic, ind, std] = [rowOn(g.tables, "basic"), rowOn(g.tables, "ind"), rowOn(g.tables, "std")];
    g.tables[std]![5] = "nope";
    g.tables[basic]![7] = "s1；nosuch";
    g.tables[basic]![8] = "是";
    g.tables[ind]![4] = "矩阵";
    g.tables.push(["2bad", "质兴9表", "坏代码", "Bad", "清单", "", "", "s1"]);
    g.tables.push(["empty", "质兴8表", "空表", "Empty", "行列表", "", "", "", "是"]);
    g.tables.push(["nofno", "", "无表号", "No number", "行列表", "", "", "s1", "也许"]);
    const n = g.tables.length;
    const p = expectOn(parseDesigner(g), {
      [`表格!F${std + 1}`]: /所附主表「nope」在「表格」中不存在/,
      [`表格!H${basic + 1}`]: /分组「nosuch」在「分组」表中不存在/,
      [`表格!I${basic + 1}`]: /清单表不填必填/,
      [`表格!E${ind + 1}`]: /类型「矩阵」应为 清单、行列表 或 浮动行清单/,
      [`表格!A${n - 2}`]: /代码「2bad」无效/,
      [`表格!A${n - 1}`]: /行列表「empty」在「表格行列」中没有行.*\| .*没有列/,
      [`表格!B${n}`]: /表号不能为空/,
      [`表格!H${n}`]: /行列表不列分组/,
      [`表格!I${n}`]: /必填「也许」应为 是 或 否/,
    });
    expect(p.find((x) => x.cell === `表格!E${ind + 1}`)!.message.en).toContain("kind '矩阵' should be 清单 (a list of indicators), 行列表 (a grid of rows × columns) or 浮动行清单 (a detail list of rows the unit adds)");
  });

  it("on 表格行列: an unknown 表代码, a list table's code, 行/列, 角色, 其中所属 missing or unknown, 小数位 not 0–6, an amount column without unit, a kind on a row, an unknown 不适用的列, two totals, a code twice", () => {
    const g = fresh();
    const at = (table: string, axis: string, code: string) => rowOn(g.tableLines, table, axis, code);
    const [pv, rev, out, firms, metal, build, total] = [at("ind", "行", "pv"), at("ind", "列", "rev"), at("ind", "列", "out"), at("ind", "列", "firms"), at("ind", "行", "metal"), at("ind", "行", "build"), at("ind", "行", "total")];
    g.tableLines[pv]![6] = "";
    g.tableLines[rev]![9] = 7;
    g.tableLines[out]![8] = "";
    g.tableLines[firms]![7] = "文本";
    g.tableLines[metal]![7] = "计数";
    g.tableLines[metal]![10] = "out；nope";
    g.tableLines[build]![5] = "部分";
    const add = (row: CellValue[]) => { g.tableLines.push(row); return g.tableLines.length; };
    const unknownTable = add(["nope", "行", "x", "某行", "Row"]);
    const listTable = add(["basic", "列", "x", "某列", "Col", "项目", "", "计数"]);
    const badAxis = add(["ind", "格", "x", "某格", "Cell"]);
    const twice = add(["ind", "行", "metal", "又一个", "Again"]);
    const total2 = add(["ind", "行", "total2", "总计", "Grand", "合计"]);
    const ofNothing = add(["ind", "列", "share", "其中：出口", "of which: exports", "其中", "zzz", "金额", "亿元", 1]);
    const countDecimals = add(["std", "列", "m", "金额", "Amount", "项目", "", "计数", "", 2]);
    const itemWithOf = add(["std", "行", "c", "地方标准", "Local", "项目", "a"]);
    const p = expectOn(parseDesigner(g), {
      [`表格行列!G${pv + 1}`]: /「其中」行要在「其中所属」填它所属的行的代码/,
      [`表格行列!J${rev + 1}`]: /小数位「7」应为 0 到 6 的整数/,
      [`表格行列!I${out + 1}`]: /金额列必须有计量单位/,
      [`表格行列!H${firms + 1}`]: /列的类型「文本」应为 计数 或 金额/,
      [`表格行列!H${metal + 1}`]: /行不填类型/,
      [`表格行列!F${build + 1}`]: /角色「部分」应为 项目、合计 或 其中/,
      [`表格行列!A${unknownTable}`]: /表代码「nope」在「表格」中不存在/,
      [`表格行列!A${listTable}`]: /表「basic」是清单表，没有行和列/,
      [`表格行列!B${badAxis}`]: /「格」应为 行 或 列/,
      [`表格行列!C${twice}`]: new RegExp(`行代码「metal」与第 ${metal + 1} 行重复`),
      [`表格行列!F${total2}`]: new RegExp(`只能有一个合计行（已有第 ${total + 1} 行）`),
      [`表格行列!G${ofNothing}`]: /其中所属「zzz」不是表「ind」的列代码/,
      [`表格行列!J${countDecimals}`]: /计数列是整数，不填小数位/,
      [`表格行列!G${itemWithOf}`]: /只有角色为「其中」的行才填其中所属/,
    });
    expect(p.find((x) => x.cell === `表格行列!J${rev + 1}`)!.message.en).toContain("decimals '7' should be a whole number from 0 to 6");
    expect(p.find((x) => x.cell === `表格行列!I${out + 1}`)!.message.en).toContain("an amount column needs a unit");
    // 不适用的列 is checked once the grid's columns read cleanly
    const g2 = fresh();
    g2.tableLines[at("ind", "行", "metal")]![10] = "out；nope";
    expectOn(parseDesigner(g2), { [`表格行列!K${metal + 1}`]: /不适用的列「nope」不是表「ind」的列代码/ });
    // a column with a wrong cell is still a column: the rows that name it are not refused too
    const g3 = fresh();
    g3.tableLines[at("ind", "列", "out")]![9] = 9;
    g3.tableLines[at("ind", "行", "energy")]![5] = "?";
    expect(problemsOf(parseDesigner(g3)).map((x) => x.cell)).toEqual([`表格行列!F${at("ind", "行", "energy") + 1}`, `表格行列!J${out + 1}`]);
  });

  it("on 模板: a legal face without 制定机关, or without any table, is refused on its cell", () => {
    const g = fresh();
    g.template[6]![1] = null;
    expectOn(parseDesigner(g), { "模板!B8": /填写了批准机关，但制定机关是空的/, "模板!B9": /填写了批准文号/, "模板!B10": /填写了有效期至/ });
    const b = gridsOf(buildDesignerPlans(TemplateSchema.parse(BUILTIN_TEMPLATE)));
    b.template[6]![1] = "某市统计局";
    const p = expectOn(parseDesigner(b), { "模板!B7": /「表格」中没有表/ });
    expect(p).toHaveLength(1);
    b.template[9]![1] = "x".repeat(21);
    expectOn(parseDesigner(b), { "模板!B10": /有效期至过长/ });
  });

  it("the form as a whole: a section listed twice, a section with indicators in no table, a section named like a grid, a circle of attachments, a cell code too long", () => {
    const g = fresh();
    const [basic, ind, std] = [rowOn(g.tables, "basic"), rowOn(g.tables, "ind"), rowOn(g.tables, "std")];
    g.tables.push(["more", "质兴3表", "补充", "More", "清单", "", "", "s1"]);
    expectOn(parseDesigner(g), { [`表格!H${g.tables.length}`]: /分组「s1」已列在表「basic」中/ });
    const h = fresh();
    h.sections[3] = ["s2", "其他", "Other"];
    h.sections[4] = ["ind", "主导产业", "Leading"];
    h.indicators.push(["other_count", "s2", "其他数", "Other", "计数"]);
    expectOn(parseDesigner(h), { "分组!A4": /分组「s2」有指标，但不在任何一张清单表中/, "分组!A5": /与行列表「ind」的代码相同/ });
    const k = fresh();
    k.tables[ind]![5] = "std";
    expectOn(parseDesigner(k), { [`表格!F${ind + 1}`]: /所附主表形成循环/, [`表格!F${std + 1}`]: /所附主表形成循环/ });
    expect(basic).toBeGreaterThan(0);
    // compileTemplate's own check, put back on the table's row: 40 characters at most for table_row_column
    const l = fresh();
    const long = "leading_industries_of_the_city_x";
    l.tables[ind]![0] = long;
    l.tables[std]![5] = long;
    for (const row of l.tableLines) if (row[0] === "ind") row[0] = long;
    const p = expectOn(parseDesigner(l), { [`表格!A${ind + 1}`]: /单元格代码「leading_industries_of_the_city_x_total_firms」超过 40 个字符/ });
    expect(p).toHaveLength(1); // one message for the table, not one per cell
  });
});

describe("the form's cells as the person sees them", () => {
  it("an error value on 表格 or 表格行列 is refused on its cell; a date shown in a text cell is the text shown; a percent in 小数位 is refused", () => {
    const g = fresh();
    const rev = rowOn(g.tableLines, "ind", "列", "rev"), metal = rowOn(g.tableLines, "ind", "行", "metal");
    g.tables[3]![2] = "#N/A";
    g.tableLines[metal]![3] = 45717;
    g.tableLines[rev]![9] = 0.01;
    g.template[9]![1] = 46357;
    const r = parseDesigner(g, {
      tables: { errors: new Map([["C4", "#N/A"]]) },
      tableLines: { shown: new Map([[`D${metal + 1}`, { as: "date", text: "3-1" }], [`J${rev + 1}`, { as: "percent", text: "1%" }]]) },
      template: { shown: new Map([["B10", { as: "date", text: "2026年12月" }]]) },
    });
    expect(problemsOf(r).map((x) => x.cell)).toEqual(["表格!C4", `表格行列!J${rev + 1}`]);
    g.tables[3]![2] = "主导产业";
    g.tableLines[rev]![9] = 1;
    const ok = parseDesigner(g, { tableLines: { shown: new Map([[`D${metal + 1}`, { as: "date", text: "3-1" }]]) }, template: { shown: new Map([["B10", { as: "date", text: "2026年12月" }]]) } });
    expect(problemsOf(ok)).toEqual([]);
    expect(ok.ok && (ok.template.form!.tables[1] as GridTable).rows[1]!.name.zh).toBe("3-1");
    expect(ok.ok && ok.template.form!.legal!.validUntil).toBe("2026年12月");
  });
});

describe("a new version's changes in its form", () => {
  it("lists tables added and removed, a grid's rows and columns added, removed, renamed or changed, and the legal face; nothing for the same form", () => {
    const before = template();
    expect(templateChanges(before, structuredClone(before))).toEqual([]);
    const after = structuredClone(before);
    const grid = after.form!.tables[1] as GridTable;
    grid.rows = grid.rows.filter((r) => r.code !== "optic");
    grid.rows.push({ code: "bio", name: { zh: "生物医药", en: "Biomedicine" }, role: "item" });
    grid.rows[1]!.name = { zh: "有色金属冶炼", en: "Non-ferrous smelting" };
    grid.columns[1]!.unit = "万元";
    grid.formNo = "质兴3表";
    after.form!.tables = after.form!.tables.filter((t) => t.code !== "std");
    after.form!.tables.push({ kind: "list", code: "extra", formNo: "质兴9表", name: { zh: "补充", en: "Extra" }, sections: ["s1"], yoy: false });
    after.form!.legal = { ...after.form!.legal!, validUntil: "2028年12月" };
    const c = templateChanges(before, after);
    expect(c.map((x) => [x.kind, x.code])).toEqual([
      ["table_added", "extra"], ["table_removed", "std"], ["table_changed", "ind"],
      ["grid_row_renamed", "ind.metal"], ["grid_row_added", "ind.bio"], ["grid_row_removed", "ind.optic"],
      ["grid_column_changed", "ind.rev"], ["legal_changed", "legal"],
    ]);
    expect(c.find((x) => x.kind === "grid_column_changed")).toMatchObject({ meaningChanged: true, message: { zh: expect.stringContaining("计量单位「亿元」→「万元」") } });
    expect(c.find((x) => x.kind === "table_changed")!.message.zh).toContain("表号「质兴2表」→「质兴3表」");
    expect(c.find((x) => x.kind === "legal_changed")!.message.zh).toBe("法定标识：有效期至改为「2028年12月」");
  });

  it("a template given a form for the first time: its one table becomes the form's tables", () => {
    const builtin = TemplateSchema.parse(BUILTIN_TEMPLATE);
    const next = { ...structuredClone(builtin), form: { tables: [{ kind: "list" as const, code: "basic", formNo: "质兴1表", name: builtin.name, sections: builtin.sections.map((s) => s.code), yoy: false }] } };
    expect(templateChanges(builtin, next).map((x) => [x.kind, x.code])).toEqual([["table_added", "basic"], ["table_removed", "main"]]);
  });
});

describe("any valid form, drawn and read back, is the same form", () => {
  it("holds for small random forms of lists and grids (roles, 其中, skipped cells, attachments, units, notes, the legal face)", () => {
    fc.assert(fc.property(randomForm(), (t) => {
      const compiled = compileTemplate(t);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
      const r = roundTrip(t);
      expect(problemsOf(r)).toEqual([]);
      expect(r.ok && r.template).toEqual(withoutVersion(t));
    }), { numRuns: 150 });
  });
});
