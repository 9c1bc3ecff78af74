// The independent attack on the template designer, kept as tests: each finding failed while it existed.
import { describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE, TemplateSchema, buildDesignerPlans, parseDesigner, planGrid, templateChanges, type CellValue, type SheetPlan, type Template } from "../src";

type G = CellValue[][];
// each sheet's two header rows as the designer draws them (the reader checks them before any row)
const headers = (name: string): G => planGrid(buildDesignerPlans(null).find((p) => p.name === name)!).slice(0, 2);
const meta = (id = "probe_t", name = "测试模板", period: CellValue = "年报"): G => [["项目", "内容"], ["Field", "Value"], ["模板代码", id], ["模板名称", name], ["英文名称", ""], ["填报周期", period]];
const sec: G = [...headers("分组"), ["s1", "分组一", "Section one"]];
// code, section, nameZh, nameEn, kind, unit, decimals, required, min, max, jump, formula, options
const ind = (...rows: CellValue[][]): G => [...headers("指标"), ...rows];
const parse = (indicators: G, rules: G = headers("校验规则"), template = meta(), sections = sec) => parseDesigner({ template, sections, indicators, rules });

function gridOf(plan: SheetPlan): G {
  const g: G = [];
  for (const c of plan.cells) { (g[c.row] ??= [])[c.col] = c.value ?? null; }
  return Array.from(g, (r) => Array.from(r ?? [], (v) => v ?? null));
}

describe("attack on the designer: designer parse: silent acceptance", () => {
  it("a 必填 cell that is neither yes nor no (e.g. 'Yes', '√', '必须') is reported, not silently read as not required", () => {
    for (const v of ["Yes", "√", "必须", "TRUE ", "x"]) {
      const r = parse(ind(["a", "s1", "甲", "", "计数", "个", "", v, "", "", "", "", ""]));
      // expected: either a problem on 指标!H3, or required=true; observed: ok with required=false
      if (r.ok) expect({ v, required: r.template.indicators[0]!.required }).toEqual({ v, required: true });
    }
  });

  it("an indicator typed in row 2 (the English header row deleted) is not silently dropped", () => {
    const r = parse([headers("指标")[0]!, ["a", "s1", "甲", "", "计数", "个"], ["b", "s1", "乙", "", "计数", "个"]]);
    // expected: a problem on 指标!A2 (or the row read); observed: ok with only 'b'
    if (r.ok) expect(r.template.indicators.map((i) => i.code)).toContain("a");
  });
});

describe("attack on the designer: designer round trip keeps what the template says", () => {
  it("help texts and a text indicator's maxLength survive designer → parse (a published version is the start of the next)", () => {
    const t = TemplateSchema.parse({
      id: "rt", version: 1, status: "published", name: { zh: "往返", en: "Round trip" }, periodType: "annual",
      sections: [{ code: "s1", name: { zh: "一", en: "One" } }],
      indicators: [
        { code: "a", section: "s1", kind: "count", unit: "个", name: { zh: "甲", en: "A" }, help: { zh: "只计本年新增", en: "Only this year's new ones" } },
        { code: "note", section: "s1", kind: "text", maxLength: 50, name: { zh: "说明", en: "Note" } },
      ],
      rules: [],
    });
    const plans = buildDesignerPlans(t);
    const grids = Object.fromEntries(plans.slice(0, 4).map((p, i) => [["template", "sections", "indicators", "rules"][i]!, gridOf(p)])) as Record<"template" | "sections" | "indicators" | "rules", G>;
    const r = parseDesigner(grids);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const back = { ...r.template, version: 1, status: "published" as const };
    // observed: help dropped, maxLength 50 → 500, and templateChanges reports nothing
    expect(back.indicators).toEqual(t.indicators);
  });

  it("the built-in template round-trips exactly", () => {
    const t = TemplateSchema.parse(BUILTIN_TEMPLATE);
    const plans = buildDesignerPlans(t);
    const grids = Object.fromEntries(plans.slice(0, 4).map((p, i) => [["template", "sections", "indicators", "rules"][i]!, gridOf(p)])) as Record<"template" | "sections" | "indicators" | "rules", G>;
    const r = parseDesigner(grids);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (r.ok) expect(r.template.indicators).toEqual(t.indicators);
  });
});

describe("attack on the designer: change summary: a code kept with a different meaning", () => {
  const base = (over: Partial<Template["indicators"][number]> & Record<string, unknown>): Pick<Template, "indicators" | "rules" | "sections"> => ({
    sections: [{ code: "s1", name: { zh: "一", en: "One" } }], rules: [],
    indicators: [TemplateSchema.shape.indicators.element.parse({ code: "x", section: "s1", name: { zh: "甲", en: "A" }, ...over })],
  });
  it("decimals change on an amount is reported", () => {
    const c = templateChanges(base({ kind: "amount", unit: "万元", decimals: 2 }), base({ kind: "amount", unit: "万元", decimals: 0 }));
    expect(c.map((x) => x.code)).toContain("x");
  });
  it("option codes changed on a choice are reported with meaningChanged", () => {
    const o = (a: string, b: string) => [{ code: a, name: { zh: "是", en: "Yes" } }, { code: b, name: { zh: "否", en: "No" } }];
    const c = templateChanges(base({ kind: "choice", options: o("y", "n") }), base({ kind: "choice", options: o("n", "y") }));
    expect(c.filter((x) => x.code === "x" && x.meaningChanged)).not.toEqual([]);
  });
  it("min/max bounds change is reported", () => {
    const c = templateChanges(base({ kind: "count", max: "100" }), base({ kind: "count", max: "10" }));
    expect(c.map((x) => x.code)).toContain("x");
  });
  it("a percent derived becoming a per-mille (formula same text after whitespace, unit changed) is reported", () => {
    const c = templateChanges(base({ kind: "derived", formula: "1", decimals: 1, unit: "%" }), base({ kind: "derived", formula: "1", decimals: 1 }));
    expect(c.filter((x) => x.meaningChanged).map((x) => x.kind)).toContain("unit_changed");
  });
});

describe("attack on the designer: odd cells do not throw", () => {
  const odd: CellValue[] = ["constructor", "__proto__", "toString", "hasOwnProperty", true, false, 0, -1, 1e21, NaN, Infinity, "Ｃｏｄｅ", "x".repeat(40000), "2024-01-01", "=1+1", ""];
  it("any cell of any field", () => {
    let n = 0;
    for (const v of odd) for (let col = 0; col < 13; col++) {
      const row: CellValue[] = ["a", "s1", "甲", "", "计数", "个", "", "", "", "", "", "", ""];
      row[col] = v;
      expect(() => parse(ind(row), [...headers("校验规则"), [v, v, v, v, v]], meta(String(v)), [...headers("分组"), [v, v, v]])).not.toThrow();
      const r = parse(ind(row));
      if (r.ok) expect(TemplateSchema.safeParse({ ...r.template, version: 1, status: "draft" }).success).toBe(true);
      n++;
    }
    for (const v of odd) for (const p of [meta(v as string), meta("t", v as string), meta("t", "n", v)]) expect(() => parse(ind(["a", "s1", "甲", "", "计数"]), [], p)).not.toThrow();
    expect(n).toBeGreaterThan(100);
  });
  it("missing/empty grids", () => {
    expect(() => parseDesigner({ template: [], sections: [], indicators: [], rules: [] })).not.toThrow();
    const r = parseDesigner({ template: [], sections: [], indicators: [], rules: [] });
    expect(r.ok).toBe(false);
  });
  it("fields of 模板 moved to other rows are still read", () => {
    const m: G = [["项目", "内容"], ["Field", "Value"], ["说明", "x"], ["填报周期", "季报"], ["英文名称", "EN"], ["模板名称", "名"], ["模板代码", "moved"]];
    const r = parse(ind(["a", "s1", "甲", "", "计数", "个"]), headers("校验规则"), m);
    expect(r.ok && [r.template.id, r.template.periodType, r.template.name.en]).toEqual(["moved", "quarter", "EN"]);
  });
});
