import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE_INPUT, EXCEL_LIMITS, MAX_VALIDATED_NAME, TemplateSchema, buildFillPlan, compileTemplate, safeSheetName, type TemplateInput,
} from "@tianbao/shared";

const base = (): TemplateInput => structuredClone(BUILTIN_TEMPLATE_INPUT);
const compile = (t: TemplateInput) => compileTemplate(TemplateSchema.parse(t));
const paths = (t: TemplateInput) => { const r = compile(t); return r.ok ? [] : r.issues.map((i) => i.path); };
const choice = (options: string[]) => ({
  code: "pick", section: "org", kind: "choice" as const, name: { zh: "等级", en: "Grade" },
  options: options.map((zh, i) => ({ code: `o${i}`, name: { zh, en: `o${i}` } })),
});

// A template Excel cannot draw is refused when it is compiled (published), not when it is pulled.
describe("Excel's limits, checked when a template is compiled", () => {
  it("refuses a drop-down list over 255 characters (commas included), and takes one of exactly 255", () => {
    const long = Array.from({ length: 26 }, (_, i) => `选项${String(i).padStart(2, "0")}甲乙丙丁戊`); // 9 chars each + 25 commas = 259
    const t = base();
    t.indicators.push(choice(long));
    expect(paths(t)).toContain("indicators.pick.options");
    const exact = Array.from({ length: 16 }, (_, i) => `${String(i).padStart(2, "0")}${"项".repeat(13)}`); // 15 × 16 + 15 = 255
    expect(exact.join(",").length).toBe(EXCEL_LIMITS.listSource);
    const ok = base();
    ok.indicators.push(choice(exact));
    expect(paths(ok)).toEqual([]);
  });

  it("refuses options with commas, edge spaces or the same name (the drop-down would split or confuse them)", () => {
    for (const bad of [["甲,乙", "丙"], ["甲，乙", "丙"], [" 甲", "乙"], ["甲", "甲"]]) {
      const t = base();
      t.indicators.push(choice(bad));
      expect(paths(t).some((p) => p.startsWith("indicators.pick.options")), bad.join("|")).toBe(true);
    }
  });

  it("refuses an input indicator whose name would make Excel's validation alert too long", () => {
    const t = base();
    const ind = t.indicators.find((i) => i.kind === "count")!;
    ind.name.zh = "名".repeat(MAX_VALIDATED_NAME + 1);
    expect(paths(t)).toContain(`indicators.${ind.code}.name`);
    ind.name.zh = "名".repeat(MAX_VALIDATED_NAME);
    expect(paths(t)).toEqual([]);
  });

  it("every template that compiles draws validations within Excel's limits (property)", () => {
    const name = fc.string({ minLength: 1, maxLength: MAX_VALIDATED_NAME + 20, unit: fc.constantFrom("名", "a", "字", "1") });
    const option = fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom("甲", "b", ",", " ", "项") });
    const bound = fc.bigInt({ min: -(10n ** 13n) + 1n, max: 10n ** 13n - 1n }).map(String);
    fc.assert(fc.property(name, fc.array(option, { minLength: 2, maxLength: 50 }), bound, (zh, options, min) => {
      const t = base();
      const count = t.indicators.find((i) => i.kind === "count")!;
      count.name.zh = zh;
      (count as { min?: string }).min = min;
      (count as { max?: string }).max = undefined;
      t.indicators.push(choice(options));
      const r = compile(t);
      if (!r.ok) return;
      const plan = buildFillPlan(r.compiled, { roundId: "r", period: "2025", unit: { id: "u", name: "单位" } });
      for (const v of plan.validations) {
        expect(v.error.zh.length).toBeLessThanOrEqual(EXCEL_LIMITS.alertMessage);
        if (v.list) expect(v.list.join(",").length).toBeLessThanOrEqual(EXCEL_LIMITS.listSource);
      }
      expect(plan.name.length).toBeLessThanOrEqual(EXCEL_LIMITS.sheetName);
    }), { numRuns: 300 });
  });

  it("sheet names from unit names are made valid for Excel (length, characters, apostrophes at the ends, History)", () => {
    expect(safeSheetName(`汇总-${"单".repeat(27)}'x`)).toBe(`汇总-${"单".repeat(27)}`); // cut at 31, then no trailing apostrophe
    expect(safeSheetName("填报-a/b:c?*[d]-2025")).toBe("填报-a_b_c___d_-2025");
    expect(safeSheetName("'History'")).toBe("Sheet");
    expect(safeSheetName("x".repeat(40))).toHaveLength(31);
  });
});
