// Issue 25: a detail list as a table of a template — its figures generated in a section of its own, computed
// from the list whatever was sent, tied to the fixed table by rules; lists checked on their rows.
import { describe, expect, it } from "vitest";
import { DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, TemplateSchema, compileTemplate, isUscc, listFigures, listRowNoteLabel, locateIssues, validateLists, validateValues, type CompiledTemplate } from "@tianbao/shared";

const compiled = (): CompiledTemplate => {
  const c = compileTemplate(DEMO_BRANDS_TEMPLATE);
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return c.compiled;
};

describe("a template with a detail list", () => {
  it("generates the list's figures — rows and sums, overall and by each option — in a section of its own, never typed", () => {
    const c = compiled();
    const figures = c.template.indicators.filter((i) => i.section === "producers");
    expect(figures.map((i) => i.code)).toEqual([
      "producers_rows", "producers_year", "producers_output", "producers_tax", "producers_exports",
      "producers_level_cn_rows", "producers_level_cn_year", "producers_level_cn_output", "producers_level_cn_tax", "producers_level_cn_exports",
      "producers_level_sx_rows", "producers_level_sx_year", "producers_level_sx_output", "producers_level_sx_tax", "producers_level_sx_exports",
    ]);
    expect(c.byCode.get("producers_level_sx_output")?.name.zh).toBe("名牌产品生产企业名单：品牌级别为山西名牌的工业总产值合计");
    expect(c.template.sections.map((s) => s.code)).toEqual(["brand", "producers"]);
    // expanding again is idempotent: the figures are replaced, never doubled
    const again = compileTemplate(TemplateSchema.parse({ ...c.template }));
    expect(again.ok && again.compiled.template.indicators.length).toBe(c.template.indicators.length);
  });

  it("the seeds' 21 producers add up to 210 亿元, 32 亿元 and 8,662 万美元, and pass the rules against 质兴4表", () => {
    const c = compiled();
    const all = Object.values(DEMO_BRAND_PRODUCERS).flat();
    expect(all).toHaveLength(21);
    expect(all.every((r) => isUscc(String(r.uscc)))).toBe(true);
    const f = listFigures(c, { producers: all });
    expect([f.producers_rows, f.producers_output, f.producers_tax, f.producers_exports, f.producers_level_sx_rows, f.producers_level_cn_rows, f.producers_level_cn_output]).toEqual([21, "210.00", "32.00", "8662", 21, 0, null]);
    for (const [unit, rows] of Object.entries(DEMO_BRAND_PRODUCERS)) {
      const lists = validateLists(c, { producers: rows });
      expect(lists.issues).toEqual([]);
      const checked = validateValues(c, { ...DEMO_BRANDS_PAST_VALUES[unit], ...listFigures(c, lists.lists) });
      expect(checked.issues, unit).toEqual([]);
    }
  });

  it("a list that disagrees with the fixed table is refused by the rule, naming both", () => {
    const c = compiled();
    const rows = DEMO_BRAND_PRODUCERS.zezhou!.slice(0, 6);
    const checked = validateValues(c, { ...DEMO_BRANDS_PAST_VALUES.zezhou, ...listFigures(c, { producers: rows }) });
    expect(checked.issues.filter((i) => i.severity === "error").map((i) => i.rule)).toEqual(["list_sx", "list_output", "list_tax"]);
  });

  it("names a list's problems on their row and field — and, on the fill workbook, their cell", () => {
    const c = compiled();
    const rows = DEMO_BRAND_PRODUCERS.zezhou!.map((r, i) => (i === 2 ? { ...r, output: "约10亿" } : i === 4 ? { ...r, firm: " " } : r));
    const { issues } = validateLists(c, { producers: rows, nope: [] });
    expect(issues.map((i) => [i.code, i.list?.row, i.list?.field])).toEqual([["unknown_list", undefined, undefined], ["invalid", 3, "output"], ["required", 5, "firm"]]);
    const located = locateIssues(c, issues);
    // the list's rows start under its header and 栏次 rows: row 3 is the sheet's row 8, 工业总产值 its column G
    expect(located[1]).toMatchObject({ cell: "G8", table: "producers" });
    expect(located[1]!.message.zh).toBe("质兴4表附表 G8 第 3 行「工业总产值」：「约10亿」不是数字（请只填写数字，如 1470、1,470 或 68.68）");
  });

  it("a review note on a list row reads as its list and row; an indicator's note is not one", () => {
    expect(listRowNoteLabel(DEMO_BRANDS_TEMPLATE, "producers#3", "zh")).toBe("质兴4表附表 名牌产品生产企业名单 第 3 行");
    expect(listRowNoteLabel(DEMO_BRANDS_TEMPLATE, "producers#3", "en")).toBe("质兴4表附表 Famous-brand producers, row 3");
    // with the report's lists, the row's enterprise and product say which row it is
    expect(listRowNoteLabel(DEMO_BRANDS_TEMPLATE, "producers#3", "zh", { producers: DEMO_BRAND_PRODUCERS.zezhou! })).toBe(`质兴4表附表 名牌产品生产企业名单 第 3 行（${String(DEMO_BRAND_PRODUCERS.zezhou![2]!.firm)} · 铸造生铁）`.replace("铸造生铁", String(DEMO_BRAND_PRODUCERS.zezhou![2]!.product)));
    expect(listRowNoteLabel(DEMO_BRANDS_TEMPLATE, "producers#8", "zh", { producers: DEMO_BRAND_PRODUCERS.zezhou! })).toBe("质兴4表附表 名牌产品生产企业名单 第 8 行");
    expect(["sx_products", "nope#3", "producers#0", "constructor#1"].map((k) => listRowNoteLabel(DEMO_BRANDS_TEMPLATE, k, "zh"))).toEqual([null, null, null, null]);
  });
});
