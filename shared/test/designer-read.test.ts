// Issue 20, the designer's part, in the pure reader: cells read as the person sees them (the facts a
// reader knows beside the grid: error values, numbers shown as a percent or a date), the sheets found
// by name, and the header rows checked before any row. Each test failed before this issue.
import { describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE, DESIGNER_SHEETS, TemplateSchema, buildDesignerPlans, parseDesigner, pickDesignerSheets, planGrid, templateChanges,
  type CellValue, type ShownNumber, type SheetPlan,
} from "../src";

type Key = "template" | "sections" | "indicators" | "rules";
const builtin = TemplateSchema.parse(BUILTIN_TEMPLATE);
const gridsOf = (plans: SheetPlan[]) => {
  const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as CellValue[][];
  return { template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules) };
};
const fresh = () => gridsOf(buildDesignerPlans(builtin));
const rowOf = (g: ReturnType<typeof fresh>, code: string) => g.indicators.findIndex((r) => r[0] === code);
const pct = (text: string): ShownNumber => ({ as: "percent", text });
const date = (text: string): ShownNumber => ({ as: "date", text });
const problemsOf = (r: ReturnType<typeof parseDesigner>) => (r.ok ? [] : r.problems);

describe("the designer's % column and its number columns", () => {
  it("30% in 环比提示 % (0.3 shown as a percent) reads as 30, as does '30%' typed as text", () => {
    const g = fresh();
    const products = rowOf(g, "products"), funds = rowOf(g, "work_funds");
    g.indicators[products]![10] = 0.3;
    g.indicators[funds]![10] = "12.5%";
    const r = parseDesigner(g, { indicators: { shown: new Map([[`K${products + 1}`, pct("30%")]]) } });
    expect(problemsOf(r)).toEqual([]);
    if (!r.ok) return;
    expect(r.template.indicators.find((i) => i.code === "products")).toMatchObject({ jumpPercent: 30 });
    expect(r.template.indicators.find((i) => i.code === "work_funds")).toMatchObject({ jumpPercent: 12.5 });
  });

  it("a percent or a date in 小数位, 最小, 最大 or 最长字数, and a date in 环比提示 %, are refused on their cells", () => {
    const g = fresh();
    const funds = rowOf(g, "work_funds"), products = rowOf(g, "products"), remarks = rowOf(g, "remarks");
    g.indicators[funds]![6] = 1;
    g.indicators[products]![8] = 45717;
    g.indicators[products]![9] = 0.5;
    g.indicators[funds]![10] = 45778;
    g.indicators[remarks]![13] = 45717;
    const shown = new Map([[`G${funds + 1}`, pct("100%")], [`I${products + 1}`, date("2025/3/1")], [`J${products + 1}`, pct("50%")], [`K${funds + 1}`, date("5/1")], [`N${remarks + 1}`, date("2025/3/1")]]);
    const r = parseDesigner(g, { indicators: { shown } });
    const byCell = new Map(problemsOf(r).map((p) => [p.cell, p.message]));
    expect([...byCell.keys()].sort()).toEqual([...shown.keys()].map((c) => `指标!${c}`).sort());
    expect(byCell.get(`指标!G${funds + 1}`)!.zh).toContain("百分数「100%」");
    expect(byCell.get(`指标!K${funds + 1}`)!.en).toContain("date '5/1'");
  });

  it("a change of the jump threshold is in the change list", () => {
    const next = structuredClone(builtin);
    const products = next.indicators.find((i) => i.code === "products")!;
    if (products.kind === "count") products.jumpPercent = 30;
    const changes = templateChanges(builtin, next);
    expect(changes).toEqual([expect.objectContaining({ kind: "jump_changed", code: "products", meaningChanged: false })]);
    expect(changes[0]!.message.zh).toContain("50% 改为 30%");
  });
});

describe("error values and what text cells show", () => {
  it("an error value in any designer cell is refused on its cell naming the error, once per cell", () => {
    const g = fresh();
    const products = rowOf(g, "products");
    const errors: Record<Key, [string, string][]> = {
      template: [["B4", "#N/A"]], sections: [["C3", "#VALUE!"]], indicators: [[`C${products + 1}`, "#N/A"], [`O${products + 1}`, "#DIV/0!"]], rules: [["D3", "#REF!"]],
    };
    g.template[3]![1] = null; g.sections[2]![2] = null; g.indicators[products]![2] = null; g.rules[2]![3] = null;
    const facts = Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, { errors: new Map(e) }]));
    const r = parseDesigner(g, facts);
    const cells = problemsOf(r).map((p) => p.cell);
    const expected = Object.entries(errors).flatMap(([k, e]) => e.map(([cell]) => `${DESIGNER_SHEETS[k as Key]}!${cell}`));
    expect(cells.sort()).toEqual(expected.sort());
    for (const p of problemsOf(r)) expect(p.message.zh).toMatch(/错误值 #/);
  });

  it("dates and percents shown in text cells (names, help texts, messages, options) are read as the text shown", () => {
    const g = fresh();
    const products = rowOf(g, "products");
    g.indicators[products]![3] = 45778; g.indicators[products]![14] = 45717; g.rules[2]![4] = 0.125;
    const r = parseDesigner(g, {
      indicators: { shown: new Map([[`D${products + 1}`, date("5月1日")], [`O${products + 1}`, date("2025/3/1")]]) },
      rules: { shown: new Map([["E3", pct("12.5%")]]) },
    });
    expect(problemsOf(r)).toEqual([]);
    if (!r.ok) return;
    const ind = r.template.indicators.find((i) => i.code === "products")!;
    expect([ind.name.en, ind.help?.zh, r.template.rules[0]!.message.en]).toEqual(["5月1日", "2025/3/1", "12.5%"]);
  });
});

describe("the designer's sheets and header rows", () => {
  it("a column inserted, deleted or moved is one message per sheet, at the header cell, saying what changed", () => {
    const g = fresh();
    g.indicators = g.indicators.map((r) => [...r.slice(0, 4), null, ...r.slice(4)]); // inserted at E
    g.sections = g.sections.map((r) => [r[0] ?? null, r[2] ?? null]); // 名称 deleted
    g.rules = g.rules.map((r) => [r[1] ?? null, r[0] ?? null, ...r.slice(2)]); // A and B swapped
    const p = problemsOf(parseDesigner(g));
    expect(p.map((x) => x.cell)).toEqual(["分组!B1", "指标!E1", "校验规则!A1"]);
    expect(p[1]!.message.zh).toMatch(/^指标!E1 应为「类型」，实际为「」：「类型」列前插入了一列/);
    expect(p[0]!.message.zh).toMatch(/「名称」列被删除/);
    expect(p[2]!.message.zh).toMatch(/应为「代码」，实际为「表达式」：列被移动/);
    for (const x of p) expect(x.message.en).toContain(x.cell);
  });

  it("the English header row deleted, or edited, is named on its row", () => {
    const g = fresh();
    g.indicators.splice(1, 1);
    g.sections[1]![2] = "Name in English";
    const p = problemsOf(parseDesigner(g));
    expect(p.map((x) => x.cell)).toEqual(["分组!C2", "指标!A2"]);
    expect(p[1]!.message.zh).toContain("第 2 行应为英文标题行");
  });

  it("guard: a 校验规则 sheet cleared of everything, headers included, means no rules", () => {
    const g = fresh();
    g.rules = [];
    const r = parseDesigner(g);
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.template.rules).toEqual([]);
  });

  it("the sheets are found by name, hidden or in any order; a missing one is named, with the tab that looks like it", () => {
    const plans = buildDesignerPlans(builtin);
    const sheets = plans.map((p) => ({ sheetName: p.name, grid: planGrid(p) })).reverse();
    const found = pickDesignerSheets(sheets);
    expect(found.ok && Object.values(found.sheets).map((s) => s.sheetName)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段"]);
    const renamed = sheets.map((s) => (s.sheetName === "指标" ? { ...s, sheetName: "指标 (2)" } : s)).filter((s) => s.sheetName !== "校验规则");
    const missing = pickDesignerSheets(renamed);
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.where).toBe("指标");
    expect(missing.message.zh).toMatch(/缺少「指标」「校验规则」工作表.*「指标 \(2\)」.*改回「指标」/);
    expect(missing.message.en).toMatch(/指标, 校验规则.*'指标 \(2\)'/);
  });
});

describe("the designer workbook we write", () => {
  it("every cell whose meaning is text is Text (@), on every input row; numbers stay General; the built-in still round-trips", () => {
    const plans = buildDesignerPlans(builtin);
    const formatAt = (sheet: string, row: number, col: number) => plans.find((p) => p.name === sheet)!.cells.find((c) => c.row === row && c.col === col)?.numberFormat;
    for (const col of [0, 1, 2, 3, 4, 5, 7, 11, 12, 14, 15]) { expect(formatAt("指标", 2, col)).toBe("@"); expect(formatAt("指标", 250, col)).toBe("@"); }
    for (const col of [6, 8, 9, 10, 13]) expect(formatAt("指标", 250, col)).toBeUndefined();
    for (const col of [0, 1, 2]) expect(formatAt("分组", 100, col)).toBe("@");
    for (const col of [0, 1, 2, 3, 4]) expect(formatAt("校验规则", 100, col)).toBe("@");
    expect(formatAt("模板", 2, 1)).toBe("@");
    const r = parseDesigner(gridsOf(plans));
    const { version: _v, status: _s, ...rest } = builtin;
    expect(r.ok && r.template).toEqual(rest);
  });
});
