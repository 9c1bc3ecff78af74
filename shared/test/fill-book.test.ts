import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_FORM_TEMPLATE, BUILTIN_TEMPLATE, DEMO_PAST_VALUES, TemplateSchema, buildFillPlan, buildFillPlans, cellAddress, compileTemplate, fillBook, fillIndex,
  gridCellCode, locateIssues, parseFillBook, planGrid, validateValues, type CellValue, type CompiledTemplate, type FillSheetRead, type SheetPlan, type Values,
} from "@tianbao/shared";
import { randomForm } from "./arbitraries";

const compile = (t: Parameters<typeof compileTemplate>[0]): CompiledTemplate => { const r = compileTemplate(t); if (!r.ok) throw new Error(JSON.stringify(r.issues)); return r.compiled; };
const form = compile(BUILTIN_FORM_TEMPLATE);
const input = { roundId: "r2025", period: "2025", issuer: "晋城市", unit: { id: "zezhou", name: "泽州县" } };

/** A plan read back as a reader sees the file: its cells, and which of them hold formulas. */
const asRead = (p: SheetPlan): FillSheetRead & { grid: CellValue[][] } => ({
  name: p.name, grid: planGrid(p), formulaCells: new Set(p.cells.filter((c) => c.formula).map((c) => cellAddress(c.row, c.col))),
});
const lead = (row: string, col: string) => gridCellCode("lead", row, col);

describe("a template without a form is the one sheet it always was", () => {
  it("the same plan, the same fingerprint, cells named without a sheet", () => {
    const c = compile(BUILTIN_TEMPLATE);
    const args = { ...input, current: DEMO_PAST_VALUES.zezhou! };
    expect(buildFillPlans(c, args)).toEqual([buildFillPlan(c, args)]);
    expect(fillBook(c).fingerprint).toBe(fillIndex(c).fingerprint);
    const [issue] = locateIssues(c, [{ code: "required", severity: "error", indicator: "products", message: { zh: "必填", en: "required" } }]);
    expect(issue).toMatchObject({ message: { zh: `${issue!.cell} 必填` } });
    expect(issue).not.toHaveProperty("table");
  });
});

describe("a form's workbook: a cover and one sheet per table", () => {
  const plans = buildFillPlans(form, { ...input, current: { ...DEMO_PAST_VALUES.zezhou!, [lead("build", "out")]: "1058.0" }, comments: { [lead("build", "firms")]: "含 2 家新投产企业" } });

  it("draws the cover, the list and the grid, each protected, each naming its page in its metadata", () => {
    expect(plans.map((p) => p.name)).toEqual(["晋城市2025年-封面", "晋城市2025年-质兴1表", "晋城市2025年-质兴2表"]);
    expect(plans.every((p) => p.protect)).toBe(true);
    expect(plans.map((p) => /;page=([^;]+)/.exec(p.properties.tianbao!)?.[1])).toEqual(["cover", "basic", "lead"]);
    const grid = planGrid(plans[2]!);
    const texts = grid.flat().map((v) => String(v ?? ""));
    for (const t of ["代码", "项目", "栏次", "企业数（家）", "产量（万吨）", "说明", "校验", "上期数值（供参考）", "  其中：光伏"]) expect(texts).toContain(t);
  });

  it("reads every figure and note back, the sheets in any order", () => {
    const read = parseFillBook(form, [...plans].reverse().map(asRead), { roundId: "r2025", unitId: "zezhou" });
    if (!read.ok) throw new Error(read.error.message.en);
    expect(read.values[lead("build", "out")]).toBe(1058);
    // a grid row's 说明 belongs to its first figure
    expect(read.comments).toEqual({ [lead("build", "firms")]: "含 2 家新投产企业" });
    expect(read.meta.page).toBe("cover");
  });

  it("refuses a workbook without one of its tables, or with one twice, naming it", () => {
    const missing = parseFillBook(form, plans.filter((p) => !p.name.endsWith("质兴2表")).map(asRead));
    expect(missing).toMatchObject({ ok: false, error: { code: "layout.missing_sheet" } });
    expect(!missing.ok && missing.error.message.zh).toContain("缺少「质兴2表」工作表");
    const twice = parseFillBook(form, [...plans, { ...plans[2]!, name: "质兴2表 (备份)" }].map(asRead));
    expect(twice).toMatchObject({ ok: false, error: { code: "layout.duplicate_sheet", sheet: "质兴2表 (备份)" } });
  });

  it("refuses pages of different revisions (a table's sheet put back from an older download), naming it", () => {
    const rev = (n: number) => buildFillPlans(form, { ...input, revision: n });
    const mixed = [...rev(2).slice(0, 2), rev(1)[2]!];
    const r = parseFillBook(form, mixed.map(asRead));
    expect(r).toMatchObject({ ok: false, error: { code: "layout.mixed_revisions" } });
    expect(!r.ok && r.error.message.zh).toContain("「质兴2表」是按第 1 版制作的，封面是第 2 版");
    expect(parseFillBook(form, rev(2).map(asRead)).ok).toBe(true);
  });

  it("refuses a grid whose columns or rows were moved, on the cell where it shows, before reading any figure", () => {
    const grid = asRead(plans[2]!);
    const codesRow = grid.grid.findIndex((r) => r[1] === "栏次");
    const swapped = grid.grid.map((r) => [...r]);
    [swapped[codesRow]![2], swapped[codesRow]![3]] = [swapped[codesRow]![3]!, swapped[codesRow]![2]!];
    const moved = parseFillBook(form, [asRead(plans[0]!), asRead(plans[1]!), { ...grid, grid: swapped }]);
    expect(moved).toMatchObject({ ok: false, error: { code: "layout.columns_moved", cell: cellAddress(codesRow, 2), sheet: "晋城市2025年-质兴2表" } });
    expect(!moved.ok && moved.error.message.zh).toMatch(/^质兴2表 C\d+ 应为栏次「firms」/);
    const renamed = grid.grid.map((r) => [...r]);
    const metalRow = renamed.findIndex((r) => r[0] === "metal");
    renamed[metalRow]![0] = "metals";
    const broken = parseFillBook(form, [asRead(plans[0]!), asRead(plans[1]!), { ...grid, grid: renamed }]);
    expect(broken).toMatchObject({ ok: false, error: { code: "layout.broken", cell: `A${metalRow + 1}` } });
  });

  it("refuses a figure typed over a grid's 合计 formula on its cell", () => {
    const grid = asRead(plans[2]!);
    const total = fillBook(form).value.get(lead("total", "rev"))!;
    const typed = grid.grid.map((r) => [...r]);
    typed[total.row]![total.col] = 999;
    const formulaCells = new Set([...grid.formulaCells!].filter((c) => c !== cellAddress(total.row, total.col)));
    const r = parseFillBook(form, [asRead(plans[0]!), asRead(plans[1]!), { ...grid, grid: typed, formulaCells }]);
    expect(r).toMatchObject({ ok: false, error: { code: "layout.typed_over_formula", cell: cellAddress(total.row, total.col) } });
  });

  it("names issues by table and cell, with the table's code for the add-in", () => {
    const [issue] = locateIssues(form, [{ code: "required", severity: "error", indicator: lead("metal", "rev"), message: { zh: "必填", en: "required" } }]);
    const spot = fillBook(form).value.get(lead("metal", "rev"))!;
    expect(issue).toMatchObject({ cell: cellAddress(spot.row, spot.col), table: "lead", message: { zh: `质兴2表 ${cellAddress(spot.row, spot.col)} 必填` } });
  });

  it("a formula on one sheet reads a figure on another by the sheet's name", () => {
    const t = TemplateSchema.parse({
      ...BUILTIN_FORM_TEMPLATE, id: "cross", sections: [...BUILTIN_FORM_TEMPLATE.sections], version: 1,
      indicators: [...BUILTIN_FORM_TEMPLATE.indicators.filter((i) => i.section !== "lead"), { code: "metal_share", section: BUILTIN_FORM_TEMPLATE.sections[0]!.code, kind: "derived", decimals: 1, name: { zh: "有色金属占比", en: "Metal share" }, formula: "lead_metal_rev / lead_total_rev * 100" }],
    });
    const c = compile(t);
    const p = buildFillPlans(c, input);
    const share = p[1]!.cells.find((x) => x.formula?.includes("'晋城市2025年-质兴2表'!"));
    expect(share?.formula).toMatch(/'晋城市2025年-质兴2表'!D\d+/);
  });
});

describe("any random form: what the fill workbook shows is what is read back", () => {
  it("figures and notes of every table round-trip through the plans (150 random forms)", () => {
    const figures = (c: CompiledTemplate) => fc.record(Object.fromEntries(c.template.indicators.filter((i) => i.kind === "count" || i.kind === "amount")
      .map((i) => [i.code, fc.option(fc.integer({ min: 0, max: 99_999 }), { nil: null })])));
    fc.assert(fc.property(randomForm().chain((t) => { const c = compile(t); return fc.tuple(fc.constant(c), figures(c), fc.string({ minLength: 1, maxLength: 8 })); }), ([c, values, note]) => {
      const book = fillBook(c);
      const noted = [...book.comment.keys()].filter((_, i) => i % 2 === 0);
      const comments = Object.fromEntries(noted.map((code) => [code, `${note.trim() || "注"}`]));
      const plans = buildFillPlans(c, { ...input, current: values as Values, comments });
      expect(plans.length).toBe(book.pages.length);
      const read = parseFillBook(c, plans.map(asRead), { roundId: "r2025", unitId: "zezhou" });
      if (!read.ok) throw new Error(read.error.message.en);
      expect(validateValues(c, read.values).values).toEqual(validateValues(c, values as Values).values);
      expect(read.comments).toEqual(Object.fromEntries(Object.entries(comments).map(([k, v]) => [k, v.trim()])));
    }), { numRuns: 150 });
  });
});
