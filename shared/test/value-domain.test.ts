import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEFAULT_MAX, MAX_EXPECTED_UNITS, SCALED_BOUND, aggregateReports, boundsOf, normalizeValue, parseNumberText, validateValues,
  type Indicator, type TemplateInput,
} from "@tianbao/shared";
import * as X from "../src/exact/exact";
import { compiled } from "./helpers";

// The value domain at and beyond every bound, and number text as officials and attackers type it.

const COUNT: Indicator = { code: "n", section: "s", kind: "count", required: false, name: { zh: "个数", en: "Count" } };
const amount = (decimals: number, extra: { min?: string; max?: string } = {}): Indicator =>
  ({ code: "amt", section: "s", kind: "amount", unit: "万元", decimals, required: false, name: { zh: "金额", en: "Amount" }, ...extra });

/** Digits grouped by threes with commas ("1,234,567"). */
const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace(/,/g, "，").replace(/\./g, "．");

/** A valid number as an official may type it: plain, grouped, full-width, with an optional fraction. */
const typed = (maxInt: bigint, decimals: number) =>
  fc.tuple(fc.bigInt({ min: 0n, max: maxInt }), fc.bigInt({ min: 0n, max: 10n ** BigInt(decimals) - 1n }), fc.constantFrom("plain", "grouped", "full", "spaced"))
    .map(([int, frac, style]) => {
      const fracText = decimals === 0 ? "" : `.${frac.toString().padStart(decimals, "0")}`;
      const body = style === "plain" || style === "spaced" ? int.toString() : grouped(int.toString());
      const text = `${body}${fracText}`;
      return { text: style === "full" ? fullWidth(text) : style === "spaced" ? `  ${text} ` : text, value: X.parseExact(`${int}${fracText}`)! };
    });

/** Text that is not a plain number: misplaced separators, spaces inside, exponents, hex, words, runs of digits. */
const notANumber = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a},${String(b).padStart(2, "0")}`), // 12,34
  fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 })).map(([a, b, c]) => `${a} ${b} ${c}`), // 1 2 3
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 30 })).map(([m, e]) => `${m}e${e}`), // 1e3
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 9 })).map(([a, b, c]) => `${a},${b},${c}`), // 1,47,0
  fc.integer({ min: 1, max: 4095 }).map((n) => `0x${n.toString(16)}`),
  fc.integer({ min: 41, max: 400 }).map((n) => "9".repeat(n)), // hundreds of digits
  fc.constantFrom("", " ", "-", ".", "1.", ".5", "1..2", "--1", "+-1", "1-", "1,", ",1", "1,000,", "1,0000", "NaN", "Infinity", "一千", "1,470元", "¥100", "100%", "(12)", "1_000"),
);

describe("number text", () => {
  it("reads every valid typing of a value in the domain to exactly that value", () => {
    fc.assert(fc.property(typed(10n ** 13n - 1n, 2), ({ text, value }) => {
      expect(X.compare(parseNumberText(text)!, value)).toBe(0);
    }), { numRuns: 500 });
  });

  it("refuses text that is not a plain number, on the JSON path and as sheet text alike, naming the indicator", () => {
    const c = compiled();
    fc.assert(fc.property(notANumber, (text) => {
      expect(parseNumberText(text), text).toBeNull();
      const r = normalizeValue(COUNT, text);
      if (text.trim() === "") return; // blank is "not reported", never 0 and never an error
      expect(r.ok, text).toBe(false);
      const v = validateValues(c, { products: text });
      expect(v.issues.find((i) => i.indicator === "products")?.message.zh, text).toContain("工业产品总数（products）");
    }), { numRuns: 500 });
  });
});

describe("bounds", () => {
  it("accepts exactly [min, max] at every scale, and refuses one step past either end", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), (decimals) => {
      const ind = amount(decimals);
      const { min, max } = boundsOf(ind);
      const step: X.Exact = { n: 1n, d: 10n ** BigInt(decimals) };
      expect(normalizeValue(ind, X.toFixed(max, decimals)).ok).toBe(true);
      expect(normalizeValue(ind, X.toFixed(min, decimals)).ok).toBe(true);
      const above = normalizeValue(ind, X.toFixed(X.add(max, step), decimals));
      expect(above.ok).toBe(false);
      if (!above.ok) expect(above.issue.code).toBe("above_max");
      const below = normalizeValue(ind, X.toFixed(X.sub(min, step), decimals));
      expect(below.ok).toBe(false);
      // the scaled maximum is within the bound that keeps totals below 2^63
      expect(max.n * 10n ** BigInt(decimals) / max.d <= SCALED_BOUND).toBe(true);
    }));
    expect(normalizeValue(COUNT, DEFAULT_MAX)).toEqual({ ok: true, value: 9999999999999 });
    expect(normalizeValue(COUNT, "10000000000000").ok).toBe(false);
    expect(normalizeValue(COUNT, 1e300).ok).toBe(false);
    expect(normalizeValue(COUNT, Number.MAX_SAFE_INTEGER + 2).ok).toBe(false);
    expect(normalizeValue(COUNT, 5e-324).ok).toBe(false);
    expect(normalizeValue(amount(2, { min: "-100.50", max: "100.50" }), "-100.51").ok).toBe(false);
    expect(normalizeValue(amount(2, { min: "-100.50", max: "100.50" }), "-100.50")).toEqual({ ok: true, value: "-100.50" });
  });

  it("a count is an integer and an amount has at most its decimals, whatever the form", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4 }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (decimals, n) => {
      const text = `${n}.${"0".repeat(decimals)}1`;
      expect(normalizeValue(amount(decimals), text).ok).toBe(false);
      expect(normalizeValue(COUNT, `${n}.5`).ok).toBe(false);
    }));
  });

  it("refuses a template whose bounds go past what totals can hold, or have more decimals than the indicator", () => {
    const base: TemplateInput = { id: "t", version: 1, status: "draft", name: { zh: "t", en: "t" }, periodType: "annual", sections: [{ code: "s", name: { zh: "s", en: "s" } }], indicators: [], rules: [] };
    const bad = [
      { code: "a", section: "s", kind: "count", max: "1000000000000001", name: { zh: "a", en: "a" } },
      { code: "a", section: "s", kind: "count", min: "-1000000000000001", name: { zh: "a", en: "a" } },
      { code: "a", section: "s", kind: "amount", unit: "万元", decimals: 6, max: "1000000000.000001", name: { zh: "a", en: "a" } },
      { code: "a", section: "s", kind: "count", max: "10.5", name: { zh: "a", en: "a" } },
    ];
    for (const ind of bad) expect(() => compiled({ ...base, indicators: [ind] } as TemplateInput), JSON.stringify(ind)).toThrow();
    expect(() => compiled({ ...base, indicators: [{ code: "a", section: "s", kind: "count", max: "1000000000000000", name: { zh: "a", en: "a" } }] } as TemplateInput)).not.toThrow();
  });
});

describe("largest totals", () => {
  it("the reference aggregation of the most units a round may expect, each at the largest value, is exact", () => {
    const c = compiled({
      id: "t", version: 1, status: "draft", name: { zh: "t", en: "t" }, periodType: "annual", sections: [{ code: "s", name: { zh: "s", en: "s" } }],
      indicators: [
        { code: "n", section: "s", kind: "count", max: "1000000000000000", name: { zh: "n", en: "n" } },
        { code: "amt", section: "s", kind: "amount", unit: "万元", decimals: 2, name: { zh: "a", en: "a" } },
        { code: "avg", section: "s", kind: "derived", formula: "amt / n", decimals: 2, name: { zh: "avg", en: "avg" } },
      ],
      rules: [],
    });
    const reports = Array.from({ length: MAX_EXPECTED_UNITS }, (_, i) => ({ unitId: `u${i}`, values: { n: 1e15, amt: "9999999999999.99" } }));
    const t = aggregateReports(c, reports);
    // 5,000 × 10^15 = 5·10^18 (< 2^63 − 1 ≈ 9.22·10^18, SQLite's INTEGER bound)
    expect(t.indicators.n).toMatchObject({ value: "5000000000000000000" });
    expect(t.indicators.amt).toMatchObject({ value: "49999999999999950.00" });
    expect(5000n * SCALED_BOUND < 2n ** 63n - 1n).toBe(true);
  });
});
