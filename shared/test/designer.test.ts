import { describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE, DESIGNER_SHEETS, TemplateSchema, buildDesignerPlans, parseDesigner, planGrid, templateChanges, type CellValue, type SheetPlan } from "@tianbao/shared";

const gridsOf = (plans: SheetPlan[]) => {
  const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as CellValue[][];
  return { template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules) };
};
const builtin = TemplateSchema.parse(BUILTIN_TEMPLATE);

describe("the template designer workbook", () => {
  it("round-trips the built-in template exactly", () => {
    const r = parseDesigner(gridsOf(buildDesignerPlans(builtin)));
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    const { version: _v, status: _s, ...rest } = builtin;
    expect(r.template).toEqual(rest);
  });

  it("puts every mistake on its cell, in Chinese and English, and returns nothing half-read", () => {
    const g = gridsOf(buildDesignerPlans(builtin));
    const row = (code: string) => g.indicators.findIndex((r) => r[0] === code);
    const set = (grid: CellValue[][], r: number, c: number, v: CellValue) => { (grid[r] ??= [])[c] = v; };
    const sec = String(g.sections[2]![0]);
    set(g.indicators, row("products"), 4, "整数"); // kind
    set(g.indicators, row("work_funds"), 6, "9"); // decimals
    g.indicators.push(["products", sec, "重复", "dup", "计数"]); // duplicate code
    g.indicators.push(["bad code", sec, "x", "x", "计数"]);
    g.indicators.push(["ok_code", "nosuch", "x", "x", "计数"]);
    g.indicators.push(["choice1", sec, "x", "x", "单选", "", "", "", "", "", "", "", "a=甲"]);
    g.rules.push(["r_new", "products >=", "错误", "坏规则", "bad"]);
    const r = parseDesigner(g);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const cells = r.problems.map((p) => p.cell);
    expect(cells).toEqual(expect.arrayContaining([
      `指标!E${row("products") + 1}`, `指标!G${row("work_funds") + 1}`,
      `指标!A${g.indicators.length - 3}`, `指标!A${g.indicators.length - 2}`, `指标!B${g.indicators.length - 1}`, `指标!M${g.indicators.length}`,
    ]));
    for (const p of r.problems) { expect(p.message.zh).toContain(p.cell); expect(p.message.en).toContain(p.cell); }
  });

  it("says where a formula is wrong, with the position, and finds cycles", () => {
    const g = gridsOf(buildDesignerPlans(builtin));
    const row = (code: string) => g.indicators.findIndex((r) => r[0] === code);
    g.indicators[row("std_coverage_rate")]![11] = "(products - products_no_std / products * 100";
    g.indicators[row("adoption_rate")]![11] = "products_adopting / nowhere * 100";
    const sec = String(g.sections[2]![0]);
    g.indicators.push(["loop_a", sec, "甲", "a", "计算", "%", 2, "", "", "", "", "loop_b + 1"]);
    g.indicators.push(["loop_b", sec, "乙", "b", "计算", "%", 2, "", "", "", "", "loop_a + 1"]);
    const r = parseDesigner(g);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const on = (code: string) => r.problems.filter((p) => p.cell === `指标!L${row(code) + 1}` || p.cell === `指标!L${g.indicators.findIndex((x) => x[0] === code) + 1}`);
    expect(on("std_coverage_rate").map((p) => p.message.zh).join()).toMatch(/位置|\d/);
    expect(on("adoption_rate").map((p) => p.message.zh).join()).toContain("nowhere");
    expect(r.problems.some((p) => /循环|cycle/i.test(p.message.zh + p.message.en))).toBe(true);
  });

  it("refuses each other class of mistake on its cell: bounds, units, options Excel cannot draw, a rule on text, a period", () => {
    const g = gridsOf(buildDesignerPlans(builtin));
    const sec = String(g.sections[2]![0]);
    const at = (row: (string | number | null)[]) => { g.indicators.push(row); return g.indicators.length; };
    const minMax = at(["m1", sec, "倒挂", "Inverted", "计数", "个", null, "", "100", "10"]);
    const noUnit = at(["a1", sec, "无单位金额", "Amount", "金额", "", 2]);
    const badUnit = at(["a2", sec, "错单位", "Amount", "金额", "公斤（按常住人口平均计算）", 2]);
    const comma = at(["c1", sec, "选项", "Choice", "单选", "", "", "", "", "", "", "", "x=甲,乙=A；y=丙=B"]);
    const notNumber = at(["n2", sec, "上限", "Max", "计数", "个", null, "", "", "很多"]);
    g.rules.push(["r_text", "remarks > 1", "错误", "文本不能比较", "text"]);
    const rule = g.rules.length;
    g.template[5]![1] = "周报";
    const r = parseDesigner(g);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const cells = r.problems.map((p) => p.cell);
    expect(cells).toEqual(expect.arrayContaining([`指标!F${noUnit}`, `指标!F${badUnit}`, `指标!J${notNumber}`, "模板!B6"]));
    // the rest are whole-template checks, reported once the sheets read cleanly
    g.indicators.splice(noUnit - 1, 2);
    g.indicators.splice(g.indicators.length - 1, 1);
    g.template[5]![1] = "年报";
    const r2 = parseDesigner(g);
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    const cells2 = r2.problems.map((p) => p.cell);
    expect(cells2).toEqual(expect.arrayContaining([`指标!A${minMax}`, `指标!M${comma - 2}`, `校验规则!B${rule}`]));
  });

  it("takes any unit of measure the form prints (万吨, 平方米, 千瓦时), with decimals, and draws it back (issue 23)", () => {
    const g = gridsOf(buildDesignerPlans(builtin));
    const sec = String(g.sections[2]![0]);
    g.indicators.push(["building_output", sec, "新型建材年产量", "Building materials output", "金额", "万吨", 1]);
    g.indicators.push(["floor_area", sec, "厂房面积", "Floor area", "金额", "平方米", 2]);
    const r = parseDesigner(g);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    const t = r.template;
    expect(t.indicators.find((i) => i.code === "building_output")).toMatchObject({ kind: "amount", unit: "万吨", decimals: 1 });
    expect(gridsOf(buildDesignerPlans({ ...builtin, indicators: t.indicators })).indicators.some((row) => row[0] === "floor_area" && row[5] === "平方米")).toBe(true);
  });

  it("summarises a new version against the published one, warning where a code keeps its name with a new meaning", () => {
    const next = structuredClone(builtin);
    next.indicators = next.indicators.filter((i) => i.code !== "complaints_resolved");
    const products = next.indicators.find((i) => i.code === "products")!;
    products.name = { zh: "工业产品总数（新口径）", en: "Products (new basis)" };
    const rate = next.indicators.find((i) => i.kind === "derived")!;
    if (rate.kind === "derived") rate.formula = `${rate.formula} + 0`;
    next.indicators.push({ code: "new_count", section: next.sections[0]!.code, kind: "count", required: false, name: { zh: "新增", en: "New" } });
    const changes = templateChanges(builtin, next);
    expect(changes.map((c) => c.kind).sort()).toEqual(["added", "formula_changed", "removed", "renamed"].sort());
    expect(changes.find((c) => c.kind === "formula_changed")!.meaningChanged).toBe(true);
  });

  it("lists 必填 and help-text changes, so colleagues checking the draft see what units will be asked differently", () => {
    const next = structuredClone(builtin);
    const input = next.indicators.filter((i) => i.kind !== "derived");
    const [a, b] = [input[0]!, input[1]!];
    a.required = !a.required;
    b.help = { zh: "按统计年鉴口径填写", en: "As in the statistical yearbook" };
    const changes = templateChanges(builtin, next);
    expect(changes.map((c) => [c.kind, c.code])).toEqual([["required_changed", a.code], ["help_changed", b.code]]);
    expect(changes[0]!.message.zh).toContain(a.required ? "改为必填" : "改为选填");
    expect(changes[1]!.message.zh).toContain("按统计年鉴口径填写");
    expect(templateChanges(builtin, structuredClone(builtin))).toEqual([]);
  });
});
