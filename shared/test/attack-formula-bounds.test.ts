import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_TEMPLATE, DESIGNER_SHEETS, Exact as X, TemplateSchema, aggregateReports, buildDesignerPlans, buildFillPlan, compileTemplate, computeDerived,
  denominatorBits, evaluateFormula, parseDesigner, parseFormula, planGrid, sizeBound, validateValues,
  type CellValue, type CompiledTemplate, type SizeBound, type TemplateInput, type TemplateIssue,
} from "@tianbao/shared";
import { compiled as compileOrThrow } from "./helpers";

// Issue 21, findings 2 and 7: what a template may compute is bounded in digits (the exact rationals
// could otherwise grow without bound) and in what Excel accepts (arguments, nesting, length).

/** The bound README's value domain states: numerator and denominator of every computed value below 2^256. */
const BUDGET_BITS = 256;
const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length;
const withinBudget = (v: X.Exact | null | undefined): boolean => !v || (bitLength(v.n) <= BUDGET_BITS && bitLength(v.d) <= BUDGET_BITS);

type Ind = TemplateInput["indicators"][number];
const count = (code: string): Ind => ({ code, section: "s", kind: "count", name: { zh: `计数${code}`, en: `count ${code}` } });
const amount = (code: string): Ind => ({ code, section: "s", kind: "amount", unit: "万元", decimals: 2, name: { zh: `金额${code}`, en: `amount ${code}` } });
const derived = (code: string, formula: string): Ind => ({ code, section: "s", kind: "derived", decimals: 2, formula, name: { zh: `计算${code}`, en: `computed ${code}` } });
const template = (indicators: Ind[]): TemplateInput => ({
  id: "bounds", version: 1, status: "draft", name: { zh: "位数", en: "Bounds" }, periodType: "annual",
  sections: [{ code: "s", name: { zh: "分组", en: "Section" } }], indicators, rules: [],
});
const issuesOf = (t: TemplateInput): TemplateIssue[] => { const r = compileTemplate(TemplateSchema.parse(t)); return r.ok ? [] : r.issues; };
const onFormula = (issues: TemplateIssue[], code: string) => issues.filter((i) => i.path === `indicators.${code}.formula`);
const power = (base: string, times: number) => Array.from({ length: times }, () => base).join(" * ");

describe("finding 2: a derived value's exact digits are bounded", () => {
  it("the compiler refuses chained formulas whose exact value can outgrow 256 bits, on the indicator that outgrows it", () => {
    const issues = issuesOf(template([count("a"), count("b"), derived("d1", power("(a / b)", 3)), derived("d2", power("d1", 3)), derived("d3", power("(a / b)", 12))]));
    expect(onFormula(issues, "d1")).toEqual([]); // (a/b)^3 of totals stays within 3 × 63 bits
    for (const code of ["d2", "d3"]) {
      const [issue] = onFormula(issues, code);
      expect(issue, code).toBeDefined();
      expect(issue!.message.zh).toContain(`「${code}」`);
      expect(issue!.message.en).toContain(`'${code}'`);
      expect(issue!.message.zh).toContain("256");
      expect(issue!.message.en).toContain("ROUND");
    }
  });

  it("the compiler refuses a rule whose arithmetic can outgrow the bound, on the rule", () => {
    const t = template([count("a"), count("b")]);
    t.rules = [{ code: "r_big", expr: `${power("(a / b)", 8)} <= 1`, severity: "error", message: { zh: "大", en: "big" } }];
    expect(issuesOf(t).map((i) => i.path)).toEqual(["rules.r_big.expr"]);
  });

  it("accepts what templates really compute: rates of summed figures, a rate of rates, a weighted mean, and ROUND ending a longer chain", () => {
    const rates = [count("a"), count("b"), count("c"), count("e"), amount("x1"), amount("x2"), amount("x3"), amount("w1"), amount("w2"), amount("w3"),
      derived("r1", "a / b * 100"), derived("r2", "c / e * 100"), derived("r3", "(a - c) / b * 100"),
      derived("rr", "r1 / r2 * 100"), derived("rr2", "r3 / r2 * 100"),
      derived("mean", "(x1 * w1 + x2 * w2 + x3 * w3) / (w1 + w2 + w3)")];
    expect(issuesOf(template(rates))).toEqual([]);
    expect(issuesOf(template([...rates, derived("rrr", "ROUND(rr, 2) / ROUND(rr2, 2) * 100")]))).toEqual([]);
    expect(onFormula(issuesOf(template([...rates, derived("rrr", "rr / rr2 * 100")])), "rrr")).toHaveLength(1); // the same without ROUND
    expect(() => compileOrThrow(BUILTIN_TEMPLATE)).not.toThrow();
  });

  it("the compiler's bound is an upper bound of what the evaluator meets, at the edges of the value domain (property)", () => {
    // counts a, b and an amount x, as totals of up to 5,000 units can be: |scaled| < 2^63, up to 6 decimals
    const SIZES: Record<string, SizeBound> = { a: { mag: 63, num: 63, k: 0, o: 0 }, b: { mag: 63, num: 63, k: 0, o: 0 }, x: { mag: 63, num: 63, k: 6, o: 0 } };
    const edge = fc.oneof(fc.bigInt({ min: -(5n * 10n ** 18n), max: 5n * 10n ** 18n }), fc.constantFrom(0n, 1n, -1n, 5n * 10n ** 18n, 4999999999999999999n));
    const leaf = fc.oneof(fc.constantFrom("a", "b", "x"), fc.constantFrom("0.5", "3", "100", "0.000001", "7.25"));
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof({ depthSize: "medium", withCrossShrink: true }, leaf,
        fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "*", "/"), tie("expr")).map(([l, op, r]) => `(${l} ${op} ${r})`),
        fc.tuple(fc.constantFrom("MIN", "MAX", "SUM"), fc.array(tie("expr"), { minLength: 1, maxLength: 4 })).map(([f, args]) => `${f}(${args.join(", ")})`),
        fc.tuple(tie("expr"), fc.integer({ min: 0, max: 6 })).map(([e, p]) => `ROUND(${e}, ${p})`),
        fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([c, t, e]) => `IF(${c} > 0, ${t}, ${e})`)),
    }));
    let compared = 0;
    fc.assert(fc.property(expr, edge, edge, edge, fc.integer({ min: 0, max: 6 }), (src, a, b, xn, places) => {
      const node = parseFormula(src);
      if (!node.ok) return;
      const { size, largest } = sizeBound(node.node, (code) => SIZES[code]!);
      const values: Record<string, X.Exact> = { a: { n: a, d: 1n }, b: { n: b, d: 1n }, x: X.div({ n: xn, d: 1n }, { n: 10n ** BigInt(places), d: 1n })! };
      const r = evaluateFormula(node.node, (code) => values[code]!);
      if (largest <= BUDGET_BITS) expect(r.ok || r.reason !== "too_large", src).toBe(true);
      if (!r.ok || r.value.t !== "num") return;
      compared++;
      expect(bitLength(r.value.v.n), src).toBeLessThanOrEqual(size.num);
      expect(bitLength(r.value.v.d), src).toBeLessThanOrEqual(denominatorBits(size));
    }), { numRuns: 1500 });
    expect(compared).toBeGreaterThan(500);
  });

  it("the compiler bounds the steps of all a template's formulas together (every read computes them all), refused on the longest", () => {
    const long = (n: number) => Array.from({ length: n }, () => "a*b").join("-"); // 4n − 1 steps, 4n − 1 characters
    const many = (n: number, last: number) => template([count("a"), count("b"), ...Array.from({ length: n }, (_, i) => derived(`d${i}`, long(i === n - 1 ? last : 300)))]);
    expect(issuesOf(many(8, 300))).toEqual([]); // 8 × 1,199 = 9,592 steps
    const issues = issuesOf(many(9, 301));
    expect(issues.map((i) => i.path)).toEqual(["indicators.d8.formula"]);
    expect(issues[0]!.message.zh).toContain("10000");
    expect(issues[0]!.message.en).toContain("'d8'");
  });

  // A template stored before the compiler checked this, or built without it: the evaluator has its own budget.
  const bypassing = (formulas: Record<string, string>): CompiledTemplate => {
    const base = compileOrThrow(template([count("a"), count("b"), ...Object.keys(formulas).map((code) => derived(code, "a / b"))]));
    const nodes = new Map(Object.entries(formulas).map(([code, f]) => { const p = parseFormula(f); if (!p.ok) throw new Error(f); return [code, p.node] as const; }));
    return { ...base, formulas: nodes };
  };
  const BIG = { a: 9999999999999, b: 9999999999998 }; // coprime: every factor a/b adds 43 bits above and 43 below

  it("the evaluator, given a template that bypasses the compiler, stops at the size budget: no value, an issue on the indicator, a bounded number of steps", () => {
    const c = bypassing({ d1: power("(a / b)", 200), d2: power("d1", 8) });
    let reads = 0;
    const result = computeDerived(c, (code) => { reads++; return X.fromInt(BIG[code as "a" | "b"]); });
    expect(result.exact.get("d1")).toBeNull();
    expect(result.exact.get("d2")).toBeNull();
    for (const v of result.exact.values()) expect(withinBudget(v)).toBe(true);
    // Unbounded, d1 reads its inputs 2 + 400 times; stopped at the budget after the sixth factor
    // (6 × 43 bits > 256): 2 reads to check for blanks, then 2 per factor.
    expect(reads).toBeLessThanOrEqual(2 + 2 * Math.ceil(BUDGET_BITS / 43));

    const checked = validateValues(c, BIG);
    const issue = checked.issues.find((i) => i.indicator === "d1");
    expect(issue?.code).toBe("too_large");
    expect(issue?.message.zh).toContain("（d1）");
    expect(issue?.message.en).toContain("(d1)");
    expect(checked.derived.d1).toBeNull();
    const totals = aggregateReports(c, [{ unitId: "u1", values: BIG }, { unitId: "u2", values: BIG }]);
    expect(totals.indicators.d1).toMatchObject({ value: null });
  });

  it("the evaluator's budget holds inside SUM too (a sum of many fractions with different denominators)", () => {
    const c = bypassing({ d1: `SUM(${Array.from({ length: 200 }, () => "a / b, b / a").join(", ")})`, d2: `SUM(${Array.from({ length: 200 }, (_, i) => `a / (b - ${i})`).join(", ")})` });
    const result = computeDerived(c, (code) => X.fromInt(BIG[code as "a" | "b"]));
    expect(result.exact.get("d1")).not.toBeNull(); // two denominators only: stays small, keeps its value
    expect(result.exact.get("d2")).toBeNull();
    for (const v of result.exact.values()) expect(withinBudget(v)).toBe(true);
  });
});

describe("finding 7: rendered Excel formulas stay within Excel's limits", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => count(`c${i + 1}`));
  const sumOf = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`).join(" + ");

  it("refuses a rate over 300 indicators (its blank check would be a 300-argument OR; Excel allows 255), and takes 255", () => {
    const [issue, ...rest] = onFormula(issuesOf(template([...many(300), derived("total_rate", `(${sumOf(300)}) / c1`)])), "total_rate");
    expect(rest).toEqual([]);
    expect(issue!.message.zh).toContain("「total_rate」");
    expect(issue!.message.zh).toContain("255");
    expect(issue!.message.en).toContain("'total_rate'");
    expect(issuesOf(template([...many(255), derived("total_rate", `(${sumOf(255)}) / c1`)]))).toEqual([]);
  });

  it("refuses 63 nested functions (65 levels with the blank and error guards; Excel allows 64), and takes 62", () => {
    const nested = (n: number) => `${"ABS(".repeat(n)}a${")".repeat(n)}`;
    const [issue] = onFormula(issuesOf(template([count("a"), derived("deep", nested(63))])), "deep");
    expect(issue!.message.zh).toContain("64");
    expect(issue!.message.en).toContain("'deep'");
    expect(issuesOf(template([count("a"), derived("deep", nested(62))]))).toEqual([]);
  });

  it("refuses a formula whose Excel text can pass 8,192 characters (cell addresses as long as any sheet of ours writes)", () => {
    const long = `SUM(${Array.from({ length: 240 }, () => "a*a+a*a").join(",")})`;
    expect(long.length).toBeLessThanOrEqual(2000);
    const [issue] = onFormula(issuesOf(template([count("a"), derived("long", long)])), "long");
    expect(issue!.message.zh).toContain("8192");
    expect(issue!.message.en).toContain("'long'");
  });

  it("AND(...) with many conditions renders as one AND, not one nesting level per condition", () => {
    const conds = Array.from({ length: 70 }, (_, i) => `c${i + 1} > 0`).join(", ");
    const t = template([...many(70), derived("flag", `IF(AND(${conds}), 1, 0)`)]);
    const c = compileOrThrow(t);
    const plan = buildFillPlan(c, { roundId: "r", period: "2025", unit: { id: "u", name: "单位" } });
    const formula = plan.cells.find((cell) => cell.formula)!.formula!;
    expect(formula).not.toContain("AND(AND(");
    expect(formula.match(/AND\(/g)).toHaveLength(1);
  });

  it("the designer puts the refusal on the indicator's formula cell", () => {
    const plans = buildDesignerPlans(TemplateSchema.parse(BUILTIN_TEMPLATE));
    const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as CellValue[][];
    const g = { template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules) };
    const sec = String(g.sections[2]![0]);
    for (let i = 1; i <= 300; i++) g.indicators.push([`c${i}`, sec, `计数${i}`, `count ${i}`, "计数"]);
    g.indicators.push(["total_rate", sec, "合计率", "total rate", "计算", "%", 2, "", "", "", "", `(${sumOf(300)}) / c1`]); // 1,996 characters: within the 2,000 a formula may have
    const r = parseDesigner(g);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.cell)).toEqual([`指标!L${g.indicators.length}`]);
    expect(r.problems[0]!.message.zh).toContain("total_rate");
  });
});
