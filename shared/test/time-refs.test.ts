import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  TemplateSchema, compileTemplate, earlierThisYear, formatFormula, lastYearPeriod, parseFormula, validateValues, type CompiledTemplate, type TemplateInput, type Values,
} from "@tianbao/shared";

// Issue 24, first part: rules that read the unit's figures in other periods (PREV, LASTYEAR, YTD).
const t = (zh: string, en = zh) => ({ zh, en });
const monthly = (rules: TemplateInput["rules"], extra: TemplateInput["indicators"] = []): TemplateInput => ({
  id: "monthly_output", version: 1, status: "draft", name: t("工业产值月报", "Monthly output"), periodType: "month",
  sections: [{ code: "main", name: t("主要指标", "Main") }],
  indicators: [
    { code: "out", section: "main", kind: "amount", unit: "万元", decimals: 1, name: t("本月产值", "Output this month") },
    { code: "cum", section: "main", kind: "amount", unit: "万元", decimals: 1, name: t("1–N月累计产值", "Output year to date") },
    { code: "open", section: "main", kind: "yesno", name: t("是否开工", "Working") },
    ...extra,
  ],
  rules,
});
const compile = (input: TemplateInput): CompiledTemplate => { const r = compileTemplate(TemplateSchema.parse(input)); if (!r.ok) throw new Error(JSON.stringify(r.issues)); return r.compiled; };
const issuesOf = (input: TemplateInput): string[] => { const r = compileTemplate(TemplateSchema.parse(input)); return r.ok ? [] : r.issues.map((i) => i.message.zh); };

const RULES: TemplateInput["rules"] = [
  { code: "cum_is_sum", expr: "cum = YTD(out)", severity: "error", message: t("1–N月累计应等于本年各月产值之和", "the year to date must equal the sum of this year's months") },
  { code: "cum_grows", expr: "cum >= PREV(cum)", severity: "error", message: t("累计不能小于上月累计", "the year to date cannot fall below last month's") },
  { code: "yoy", expr: "out <= LASTYEAR(out) * 3", severity: "warning", message: t("本月产值超过上年同期的 3 倍，请确认", "over three times the same month last year; please confirm") },
];
const c = compile(monthly(RULES));
const failed = (values: Values, history?: NonNullable<Parameters<typeof validateValues>[2]>["history"]) =>
  validateValues(c, values, history ? { history } : {}).issues.filter((i) => i.code === "rule").map((i) => i.rule);

describe("periods relate: the same period last year, this year's earlier periods", () => {
  it("for every type", () => {
    expect(lastYearPeriod("2025-03")).toBe("2024-03");
    expect(lastYearPeriod("2025Q1")).toBe("2024Q1");
    expect(lastYearPeriod("2025H2")).toBe("2024H2");
    expect(lastYearPeriod("2025")).toBe("2024");
    expect(lastYearPeriod("0000")).toBeNull();
    expect(earlierThisYear("2025-03")).toEqual(["2025-01", "2025-02"]);
    expect(earlierThisYear("2025Q3")).toEqual(["2025Q1", "2025Q2"]);
    expect(earlierThisYear("2025-01")).toEqual([]);
    expect(earlierThisYear("2025")).toEqual([]);
  });
});

describe("the formula language reads other periods", () => {
  it("PREV, LASTYEAR and YTD of one code, in any case, written back as typed", () => {
    for (const [src, canonical] of [["cum >= prev(cum)", "cum >= PREV(cum)"], ["YTD(out)=cum", "YTD(out) = cum"], ["out <= LastYear(out) * 3", "out <= (LASTYEAR(out) * 3)"]]) {
      const p = parseFormula(src!);
      if (!p.ok) throw new Error(p.error.message.en);
      expect(formatFormula(p.node)).toBe(canonical);
    }
  });

  it("refuses what is not one indicator code, a yes/no summed over the year, and an unknown code, each by position", () => {
    const bad = parseFormula("YTD(out + 1) > 0");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message.zh).toContain("YTD 的参数只能是一个指标代码");
    expect(issuesOf(monthly([{ code: "r", expr: "YTD(open) > 0", severity: "error", message: t("x") }])).join()).toContain("是/否指标「open」不能累计");
    expect(issuesOf(monthly([{ code: "r", expr: "PREV(nothing) > 0", severity: "error", message: t("x") }])).join()).toContain("没有代码为「nothing」的指标");
    expect(issuesOf(monthly([{ code: "r", expr: "PREV(open) = open", severity: "error", message: t("x") }]))).toEqual([]);
  });

  it("refuses them in a computed indicator, whose figure is drawn as a live formula and summed at every level", () => {
    const issues = issuesOf(monthly([], [{ code: "growth", section: "main", kind: "derived", decimals: 1, name: t("同比增长"), formula: "(out - LASTYEAR(out)) / LASTYEAR(out) * 100" }]));
    expect(issues.join()).toContain("派生指标的公式不能引用其他期的数据");
  });

  it("names which other periods the rules read", () => {
    expect([...c.timeRefs].sort()).toEqual(["lastyear", "prev", "ytd"]);
    expect(compile(monthly([])).timeRefs.size).toBe(0);
  });
});

describe("rules that read other periods, checked against the unit's approved figures", () => {
  const jan = { out: "10.0", cum: "10.0" };
  const feb = { out: "12.5", cum: "22.5" };

  it("a year to date that is the sum of the months passes; one off by 0.1 is refused", () => {
    expect(failed({ out: "5.0", cum: "27.5", open: true }, { prev: feb, earlier: [jan, feb], lastYear: { out: "4.0" } })).toEqual([]);
    expect(failed({ out: "5.0", cum: "27.6", open: true }, { prev: feb, earlier: [jan, feb], lastYear: { out: "4.0" } })).toEqual(["cum_is_sum"]);
  });

  it("a 累计 below last month's is refused; a month over three times last year's is a warning", () => {
    expect(failed({ out: "70.0", cum: "20.0" }, { prev: feb, earlier: null, lastYear: { out: "20.0" } })).toEqual(["cum_grows", "yoy"]);
  });

  it("blank is not zero: a missing month, no figures last year, or no history at all leave those rules unchecked", () => {
    expect(failed({ out: "5.0", cum: "99.0" }, { prev: null, earlier: null, lastYear: null })).toEqual([]);
    expect(failed({ out: "5.0", cum: "99.0" })).toEqual([]);
    // a month of this year reported without the figure the sum needs: the year to date is blank, not short
    expect(failed({ out: "5.0", cum: "15.0" }, { earlier: [jan, { cum: "22.5" }] })).toEqual([]);
  });

  it("YTD is exactly this month plus every earlier month, for any months (property)", () => {
    const tenth = fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 10).toFixed(1));
    fc.assert(fc.property(fc.array(tenth, { minLength: 0, maxLength: 11 }), tenth, fc.boolean(), (months, now, off) => {
      const tenths = [...months, now].reduce((s, x) => s + BigInt(x.replace(".", "")), 0n) + (off ? 1n : 0n);
      const cum = `${tenths / 10n}.${tenths % 10n}`;
      const earlier = months.map((out) => ({ out }));
      expect(failed({ out: now, cum }, { earlier }).includes("cum_is_sum")).toBe(off);
    }), { numRuns: 300 });
  });
});
