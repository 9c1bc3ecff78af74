// Issue 24, 本年累计 columns of a list table: each count or amount x of a monthly, quarterly or half-yearly
// report gets x_ytd, this period's figure plus every earlier one's of the year where all are there (else
// typed); with 同比 columns it gets its own (累计同比). The chain adds up: a month's 累计 is last month's
// plus its own, and a quarter's 累计 over quarters made of the months' sums is the month-end 累计.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  TemplateSchema, checkCumulative, compileTemplate, composePeriod, cumulativeFigures, earlierThisYear, isCoarser, laterThisYear, nextYearPeriod, subPeriods,
  type CompiledTemplate, type Template, type Values,
} from "@tianbao/shared";

const source = (periodType: "month" | "quarter" | "annual", o: { yoy?: boolean; min?: string } = {}): Template => TemplateSchema.parse({
  id: "ytd", version: 1, status: "draft", name: { zh: "累计试验", en: "YTD test" }, periodType,
  sections: [{ code: "s1", name: { zh: "主要指标", en: "Main" } }],
  indicators: [
    { code: "out", section: "s1", kind: "amount", unit: "万元", decimals: 2, min: o.min ?? "0", name: { zh: "产值", en: "Output" } },
    { code: "firms", section: "s1", kind: "count", unit: "家", name: { zh: "企业数", en: "Firms" } },
    { code: "ok", section: "s1", kind: "yesno", name: { zh: "达标", en: "On target" } },
  ],
  form: { tables: [{ kind: "list", code: "t1", formNo: "月1表", name: { zh: "主要指标", en: "Main" }, sections: ["s1"], yoy: o.yoy ?? false, ytd: true }] },
});
const compile = (t: Template): CompiledTemplate => {
  const r = compileTemplate(t);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.compiled;
};

describe("本年累计 columns (expansion)", () => {
  it("follow each count and amount with x_ytd of its kind, unit and decimals, and a rule that it is not below this period's", () => {
    const c = compile(source("month"));
    expect(c.template.indicators.map((i) => i.code)).toEqual(["out", "out_ytd", "firms", "firms_ytd", "ok"]);
    expect(c.byCode.get("out_ytd")).toEqual({ code: "out_ytd", section: "s1", kind: "amount", unit: "万元", decimals: 2, min: "0", required: false, name: { zh: "产值（本年累计）", en: "Output (year to date)" }, cumulativeOf: "out" });
    expect(c.template.rules.map((r) => [r.code, r.expr])).toEqual([["out_ytd_ge", "out_ytd >= out"], ["firms_ytd_ge", "firms_ytd >= firms"]]);
    // expanding again changes nothing
    expect(compile(c.template).template).toEqual(c.template);
  });

  it("with 同比 the 累计 has its own 上年同期 and 同比 (累计同比); a figure that may be negative has no not-below rule", () => {
    const c = compile(source("quarter", { yoy: true, min: "-1000" }));
    expect(c.template.indicators.map((i) => i.code).slice(0, 8)).toEqual(["out", "out_ly", "out_yoy", "out_yoyp", "out_ytd", "out_ytd_ly", "out_ytd_yoy", "out_ytd_yoyp"]);
    expect(c.byCode.get("out_ytd_ly")).toMatchObject({ lastYearOf: "out_ytd" });
    expect(c.template.rules.map((r) => r.code)).toEqual(["firms_ytd_ge"]);
  });

  it("an annual report cannot have them, said on its table; an indicator cannot claim to be a 累计 of another kind", () => {
    const r = compileTemplate(source("annual"));
    expect(!r.ok && r.issues.map((i) => [i.path, i.message.zh])).toEqual([["form.tables.t1.ytd", "表「月1表」设置了本年累计列，但年报没有本年累计：请用于月报、季报或半年报"]]);
    const hand = TemplateSchema.parse({ ...source("month"), form: undefined, indicators: [
      { code: "out", section: "s1", kind: "amount", unit: "万元", decimals: 2, name: { zh: "产值", en: "Output" } },
      { code: "n_ytd", section: "s1", kind: "count", name: { zh: "累计", en: "YTD" }, cumulativeOf: "out" },
    ] });
    const bad = compileTemplate(hand);
    expect(!bad.ok && bad.issues.map((i) => i.path)).toEqual(["indicators.n_ytd"]);
  });
});

describe("本年累计 figures", () => {
  const c = compile(source("month"));
  const month = fc.option(fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2)), { nil: null, freq: 6 });

  it("a month's 累计 is the running sum where every month so far is there, else none: and so each is last month's plus its own", () => {
    fc.assert(fc.property(fc.array(month, { minLength: 12, maxLength: 12 }), (figures) => {
      let running: bigint | null = 0n;
      figures.forEach((f, m) => {
        const earlier = figures.slice(0, m).map((x): Values => ({ out: x }));
        const got = cumulativeFigures(c, { out: f }, earlier).out_ytd ?? null;
        running = running === null || f === null ? null : running + BigInt(f.replace(".", ""));
        const want = running === null ? null : `${running / 100n}.${String(running % 100n).padStart(2, "0")}`;
        expect(got).toBe(want);
      });
    }), { numRuns: 200 });
  });

  it("the chain adds up: quarters whose figures are their months' sums give, quarter by quarter, the months' 累计 at each quarter's end", () => {
    const q = compile(source("quarter"));
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 100).toFixed(2)), { minLength: 12, maxLength: 12 }), (months) => {
      const quarters = [0, 1, 2, 3].map((k) => (months.slice(3 * k, 3 * k + 3).reduce((a, m) => a + BigInt(m.replace(".", "")), 0n)));
      const text = (n: bigint) => `${n / 100n}.${String(n % 100n).padStart(2, "0")}`;
      for (let k = 0; k < 4; k++) {
        const byQuarter = cumulativeFigures(q, { out: text(quarters[k]!) }, quarters.slice(0, k).map((x) => ({ out: text(x) }))).out_ytd;
        const byMonth = cumulativeFigures(c, { out: months[3 * k + 2]! }, months.slice(0, 3 * k + 2).map((x) => ({ out: x }))).out_ytd;
        expect(byQuarter).toBeDefined();
        expect(byQuarter).toBe(byMonth);
      }
    }), { numRuns: 100 });
  });

  it("a typed or missing this-period figure, text in an earlier month, yes/no: no 累计 from them", () => {
    expect(cumulativeFigures(c, { out: null }, [{ out: "1.00" }])).toEqual({});
    expect(cumulativeFigures(c, { out: "abc" }, [{ out: "1.00" }])).toEqual({});
    expect(cumulativeFigures(c, { out: "2", firms: 3 }, [{ out: "1.00", firms: 4 }])).toEqual({ out_ytd: "3.00", firms_ytd: 7 });
    expect(cumulativeFigures(c, { out: "2" }, null)).toEqual({});
    expect(cumulativeFigures(c, { out: "2" }, [])).toEqual({ out_ytd: "2.00" });
  });

  it("periods: the year's earlier and later periods of the same type, and the same period next year", () => {
    expect(earlierThisYear("2025-03")).toEqual(["2025-01", "2025-02"]);
    expect(laterThisYear("2025-10")).toEqual(["2025-11", "2025-12"]);
    expect(laterThisYear("2025Q3")).toEqual(["2025Q4"]);
    expect(laterThisYear("2025")).toEqual([]);
    expect(nextYearPeriod("2025H2")).toBe("2026H2");
    expect(nextYearPeriod("9999-01")).toBeNull();
  });

  it("the integrity check names a stored 累计 that is not this month's plus the approved earlier months'", () => {
    const values = [{ unit_id: "a", indicator: "out", value: '"2.00"' }, { unit_id: "a", indicator: "out_ytd", value: '"9.00"' }, { unit_id: "b", indicator: "out", value: '"1.00"' }, { unit_id: "b", indicator: "out_ytd", value: '"4.00"' }];
    const earlier = ["a", "b"].flatMap((u) => ["2025-01", "2025-02"].map((p) => ({ unit_id: u, period: p, this_period: "2025-03", indicator: "out", value: '"1.50"' })));
    const found = checkCumulative("r", c, values, earlier);
    expect(found).toEqual([{ kind: "submission", roundId: "r", unitId: "a", message: { zh: "本年累计「out_ytd」为 9.00，但按本期和本年已审核各期计算为 5.00", en: "year to date 'out_ytd' holds 9.00 but this period and this year's approved periods give 5.00" } }]);
    // a unit missing an approved earlier month is not checked
    expect(checkCumulative("r", c, values, earlier.filter((e) => !(e.unit_id === "a" && e.period === "2025-01")))).toEqual([]);
  });

  it("a quarter, a half-year and a year are made of their months: flows add up, a 累计 is the last month's, stocks are not composed", () => {
    expect(subPeriods("2025Q2", "month")).toEqual(["2025-04", "2025-05", "2025-06"]);
    expect(subPeriods("2025H2", "quarter")).toEqual(["2025Q3", "2025Q4"]);
    expect(subPeriods("2025", "month")).toHaveLength(12);
    expect(subPeriods("2025-03", "month")).toEqual([]);
    expect([isCoarser("quarter", "month"), isCoarser("half", "quarter"), isCoarser("month", "quarter"), isCoarser("quarter", "quarter")]).toEqual([true, true, false, false]);
    const months = [{ out: "1.00", out_ytd: "1.00", firms: 5, firms_ytd: 5 }, { out: "2.50", out_ytd: "3.50", firms: 6, firms_ytd: 11 }, { out: "3.00", out_ytd: "6.50", firms: 7, firms_ytd: 18 }];
    expect(composePeriod(c, months)).toEqual({ out: "6.50", out_ytd: "6.50", firms: 18, firms_ytd: 18 });
    // a month missing a flow: that flow is not composed (never guessed), the 累计 still the last month's
    expect(composePeriod(c, [months[0]!, { ...months[1]!, out: null }, months[2]!])).toEqual({ out_ytd: "6.50", firms: 18, firms_ytd: 18 });
  });

  it("the chain adds up: a year made of quarters made of months is the year made of the months, and each quarter's 累计 the running sum", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 12, maxLength: 12 }), (cents) => {
      const text = (n: number) => (n / 100).toFixed(2);
      let running = 0;
      const months = cents.map((n) => { running += n; return { out: text(n), out_ytd: text(running) }; });
      const quarters = [1, 2, 3, 4].map((q) => composePeriod(c, subPeriods(`2025Q${q}`, "month").map((p) => months[Number(p.slice(5)) - 1]!)));
      const year = composePeriod(c, quarters);
      expect(year).toEqual(composePeriod(c, months));
      expect(year.out).toBe(text(running));
      // a quarter's own 累计 computed from the earlier quarters is the month-end 累计
      quarters.forEach((q, k) => expect(cumulativeFigures(c, { out: q.out! }, quarters.slice(0, k)).out_ytd).toBe(months[3 * k + 2]!.out_ytd));
    }), { numRuns: 100 });
  });
});
