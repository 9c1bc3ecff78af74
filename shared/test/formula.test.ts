import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { HyperFormula } from "hyperformula";
import {
  Exact as X, checkFormula, evaluateFormula, formatFormula, formulaRefs, parseFormula, renderExcelFormula,
  type FormulaNode,
} from "@tianbao/shared";

const parse = (src: string): FormulaNode => {
  const r = parseFormula(src);
  if (!r.ok) throw new Error(`${src}: ${r.error.message.en}`);
  return r.node;
};
const stripPos = (n: unknown): unknown =>
  JSON.parse(JSON.stringify(n, (k, v: unknown) => (k === "pos" ? undefined : v)));
const numeric = (values: Record<string, string | null>) => (code: string) => {
  const v = values[code];
  return v === null || v === undefined ? null : X.parseExact(v)!;
};

describe("formula parser", () => {
  it("reads the language officials write, including × ÷ and Excel-style AND()", () => {
    expect(formatFormula(parse("(products − products_no_std)".replace("−", "-") + " ÷ products × 100")))
      .toBe("((products - products_no_std) / products) * 100");
    expect(formatFormula(parse("AND(a > 1, b < 2, c = 3)"))).toBe("((a > 1) AND (b < 2)) AND (c = 3)");
    expect(formatFormula(parse("not a or b and c"))).toBe("NOT a OR (b AND c)");
  });

  it.each([
    ["products + * 2", "formula.syntax", 11],
    ["(a + b", "formula.syntax", 6],
    ["a + b)", "formula.syntax", 5],
    ["a # b", "formula.syntax", 2],
    ["a < b < c", "formula.syntax", 6],
    ["MEDIAN(a, b)", "formula.unknown_function", 0],
    ["", "formula.syntax", 0],
  ])("rejects %j with %s at offset %i", (src, code, pos) => {
    const r = parseFormula(src);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.pos).toBe(pos);
      expect(r.error.message.zh).toContain(`位置 ${pos + 1}`);
      expect(r.error.message.en).toContain(`position ${pos + 1}`);
    }
  });

  it("refuses absurdly deep nesting with an error instead of overflowing the stack", () => {
    const r = parseFormula("(".repeat(5000) + "1" + ")".repeat(5000));
    expect(r.ok).toBe(false);
  });
});

describe("formula checker", () => {
  const types = (code: string) => ({ a: "num", b: "num", flag: "bool", note: "text" } as const)[code as "a"];
  it("names unknown codes and type errors with their positions", () => {
    const r = checkFormula(parse("a + missing"), types);
    expect("errors" in r && r.errors[0]).toMatchObject({ code: "formula.unknown_ref", pos: 4 });
    const t = checkFormula(parse("a + flag"), types);
    expect("errors" in t && t.errors[0]).toMatchObject({ code: "formula.type", pos: 4 });
    const x = checkFormula(parse("note > 1"), types);
    expect("errors" in x && x.errors[0]).toMatchObject({ code: "formula.type", pos: 0 });
    const arity = checkFormula(parse("IF(a > b, 1)"), types);
    expect("errors" in arity && arity.errors[0]).toMatchObject({ code: "formula.arity" });
    expect(checkFormula(parse("IF(flag, a, b) >= 0"), types)).toEqual({ type: "bool" });
  });
});

describe("formula evaluator", () => {
  it("computes the seed survey's rates exactly from counts", () => {
    const values = { products: "2570", products_no_std: "423", products_adopting: "55" };
    const coverage = evaluateFormula(parse("(products - products_no_std) / products * 100"), numeric(values));
    const adoption = evaluateFormula(parse("products_adopting / products * 100"), numeric(values));
    expect(coverage.ok && coverage.value.t === "num" && X.toFixed(coverage.value.v, 1)).toBe("83.5");
    expect(adoption.ok && adoption.value.t === "num" && X.toFixed(adoption.value.v, 2)).toBe("2.14");
  });

  it("gives no value with a reason for blank inputs and division by zero, never 0, NaN or Infinity", () => {
    expect(evaluateFormula(parse("a / b"), numeric({ a: "1", b: "0" }))).toEqual({ ok: false, reason: "div0" });
    expect(evaluateFormula(parse("a + b"), numeric({ a: "1", b: null }))).toEqual({ ok: false, reason: "blank", code: "b" });
    expect(evaluateFormula(parse("IF(b > 0, a / b, 0)"), numeric({ a: "1", b: "0" }))).toMatchObject({ ok: true });
  });
});

// ---- The evaluator against an independent spreadsheet engine, on random formulas. ----

const CODES = ["a", "b", "c"] as const;
const CELLS: Record<string, string> = { a: "A1", b: "A2", c: "A3" };

const literal = fc.oneof(fc.integer({ min: 0, max: 50 }).map(String), fc.constantFrom("0.5", "2.25", "100"));
const leaf = fc.oneof(fc.constantFrom(...CODES), literal);
const comparison = fc.tuple(fc.constantFrom(...CODES), fc.constantFrom("=", "<>", "<", "<=", ">", ">="), leaf)
  .map(([l, op, r]) => `${l} ${op} ${r}`);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/"), tie("expr")).map(([l, op, r]) => `(${l} ${op} ${r})`),
    tie("expr").map((e) => `-(${e})`),
    fc.tuple(fc.constantFrom("MIN", "MAX", "SUM"), fc.array(tie("expr"), { minLength: 1, maxLength: 3 })).map(([f, args]) => `${f}(${args.join(", ")})`),
    tie("expr").map((e) => `ABS(${e})`),
    fc.tuple(comparison, comparison, tie("expr"), tie("expr")).map(([c1, c2, t, e]) => `IF(${c1} AND NOT (${c2}), ${t}, ${e})`),
  ),
}));
const cellValue = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 1000 }).map(String), fc.constantFrom("0", "12.5", "68.68"));

describe("evaluator and rendered Excel formula agree (HyperFormula as the independent engine)", () => {
  it("on random formulas and random, sometimes blank, inputs", () => {
    const hf = HyperFormula.buildEmpty({ licenseKey: "gpl-v3" });
    const sheet = hf.getSheetId(hf.addSheet("s"))!;
    let compared = 0;
    fc.assert(fc.property(expr, fc.tuple(cellValue, cellValue, cellValue), (src, vals) => {
      const node = parse(src);
      const values = { a: vals[0], b: vals[1], c: vals[2] };
      const ours = evaluateFormula(node, numeric(values));
      const formula = renderExcelFormula(node, (code) => ({ cell: CELLS[code]! }));
      hf.setSheetContent(sheet, [[values.a === null ? null : Number(values.a), formula], [values.b === null ? null : Number(values.b)], [values.c === null ? null : Number(values.c)]]);
      const theirs = hf.getCellValue({ sheet, row: 0, col: 1 });
      compared++;
      if (!ours.ok) {
        expect(theirs, formula).toBe("");
      } else {
        expect(typeof theirs, formula).toBe("number");
        const want = X.toNumber(ours.value.t === "num" ? ours.value.v : X.ZERO);
        expect(Math.abs((theirs as number) - want), `${formula} → ${String(theirs)} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
      }
    }), { numRuns: 400 });
    expect(compared).toBeGreaterThanOrEqual(400);
  });
});

describe("parse → format → parse", () => {
  it("gives the same tree and the same text (property)", () => {
    fc.assert(fc.property(expr, (src) => {
      const once = parse(src);
      const text = formatFormula(once);
      const twice = parse(text);
      expect(stripPos(twice)).toEqual(stripPos(once));
      expect(formatFormula(twice)).toBe(text);
      expect(formulaRefs(twice).map((r) => r.code)).toEqual(formulaRefs(once).map((r) => r.code));
    }), { numRuns: 500 });
  });
});
