import { describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE, BUILTIN_TEMPLATE_INPUT, TemplateSchema, compileTemplate, type TemplateInput } from "@tianbao/shared";
import { compiled } from "./helpers";

const base = (): TemplateInput => structuredClone(BUILTIN_TEMPLATE_INPUT);

describe("built-in template 质量兴市工作年报", () => {
  it("compiles, with about 30 input indicators in seven sections and rates as derived indicators", () => {
    const c = compiled();
    const inputs = BUILTIN_TEMPLATE.indicators.filter((i) => i.kind !== "derived");
    expect(inputs.length).toBeGreaterThanOrEqual(30);
    expect(BUILTIN_TEMPLATE.sections).toHaveLength(7);
    expect(c.derivedOrder).toContain("std_coverage_rate");
    expect(BUILTIN_TEMPLATE.indicators.every((i) => i.name.zh && i.name.en)).toBe(true);
  });
});

describe("template schema", () => {
  it("rejects unknown keys instead of dropping them", () => {
    const t = base() as Record<string, unknown>;
    t.colour = "red";
    const r = TemplateSchema.safeParse(t);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("colour");
  });

  it("needs decimals and a unit on amounts, options on choices, a formula on derived", () => {
    const t = base();
    t.indicators.push({ code: "x", section: "org", kind: "amount", name: { zh: "x", en: "x" } } as never);
    expect(TemplateSchema.safeParse(t).success).toBe(false);
  });
});

describe("compileTemplate", () => {
  const issuesOf = (t: TemplateInput) => {
    const r = compileTemplate(TemplateSchema.parse(t));
    return r.ok ? [] : r.issues;
  };

  it("names a formula's unknown code with the indicator and position", () => {
    const t = base();
    t.indicators.push({ code: "bad_rate", section: "std", kind: "derived", decimals: 2, formula: "products / productz", name: { zh: "坏", en: "bad" } });
    const issues = issuesOf(t);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("indicators.bad_rate.formula");
    expect(issues[0]!.message.zh).toContain("productz");
    expect(issues[0]!.message.en).toContain("position 12");
  });

  it("finds cycles between derived indicators", () => {
    const t = base();
    t.indicators.push(
      { code: "p", section: "std", kind: "derived", decimals: 0, formula: "q + 1", name: { zh: "p", en: "p" } },
      { code: "q", section: "std", kind: "derived", decimals: 0, formula: "p + 1", name: { zh: "q", en: "q" } },
    );
    const issues = issuesOf(t);
    expect(issues.some((i) => i.message.en.includes("cycle") && i.message.en.includes("p → q → p"))).toBe(true);
  });

  it("reports duplicate codes, unknown sections, reserved words and non-boolean rules", () => {
    const t = base();
    t.indicators.push({ code: "products", section: "nowhere", kind: "count", name: { zh: "重", en: "dup" } });
    t.indicators.push({ code: "SUM", section: "std", kind: "count", name: { zh: "和", en: "sum" } });
    t.rules!.push({ code: "r", expr: "products + 1", severity: "error", message: { zh: "r", en: "r" } });
    const text = issuesOf(t).map((i) => i.message.en).join("\n");
    expect(text).toContain("'products' is used twice");
    expect(text).toContain("unknown section 'nowhere'");
    expect(text).toContain("reserved word");
    expect(text).toContain("a rule must give yes/no");
  });
});
