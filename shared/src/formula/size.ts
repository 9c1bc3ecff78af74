import * as X from "../exact/exact";
import type { BinaryOp, FormulaNode } from "./ast";

/**
 * The size budget of computed values: the numerator and the denominator of every exact value a
 * formula produces — its result and every step on the way — have at most VALUE_BITS binary digits
 * (up to 78 decimal digits). Exact products and quotients add up their operands' digits, so chained
 * formulas (d1 = (a/b)*(a/b)*…, d2 = d1*d1*…) would otherwise grow without bound and one read of a
 * round could cost minutes of CPU. 256 bits hold four factors of any figure the value domain allows
 * (totals stay below 2^63), a rate of rates, a weighted mean; ROUND(x, n) brings a value back to n
 * decimals and so ends a chain. The compiler refuses formulas whose bound (below) passes it; the
 * evaluator stops at it whatever the template.
 */
export const VALUE_BITS = 256;

/**
 * An upper bound on the values a formula node can take: |value| < 2^mag, |numerator| < 2^num, and the
 * denominator divides 10^k · D for some D ≤ 2^o. Powers of ten are kept apart because sums of decimals
 * share them (1.25 + 2.5 has denominator 100, not 1,000), so a sum of 255 amounts stays small.
 */
export interface SizeBound {
  mag: number;
  num: number;
  k: number;
  o: number;
}

/** What a yes/no or a comparison contributes: nothing that grows. */
export const BOOL_SIZE: SizeBound = { mag: 1, num: 1, k: 0, o: 0 };

// Reals (log2 10, log2 of a sum) carry a hair of slack upwards, so rounding never makes a bound too small.
const SLACK = 1e-9;
const LOG2_10 = Math.log2(10);
/** log2 of the largest denominator the bound allows. */
const denLog2 = (s: SizeBound): number => s.o + (s.k === 0 ? 0 : s.k * LOG2_10 + SLACK);
/** Binary digits of the largest denominator the bound allows. */
export const denominatorBits = (s: SizeBound): number => Math.floor(denLog2(s)) + 1;
/** The larger of the bounds on numerator and denominator, in binary digits. */
export const sizeBits = (s: SizeBound): number => Math.max(s.num, denominatorBits(s));

/** A numerator is also below 2^mag × the denominator; keep the smaller of the two bounds. */
const tight = (s: SizeBound): SizeBound => ({ ...s, num: Math.min(s.num, Math.ceil(s.mag + denLog2(s))) });
/** log2(2^a + 2^b), since |x + y| < 2^a + 2^b; without overflow, and never rounded down to max(a, b). */
const addMag = (a: number, b: number): number => Math.max(a, b) + Math.max(Math.log2(1 + 2 ** -Math.abs(a - b)), SLACK);
const either = (a: SizeBound, b: SizeBound): SizeBound =>
  ({ mag: Math.max(a.mag, b.mag), num: Math.max(a.num, b.num), k: Math.max(a.k, b.k), o: Math.max(a.o, b.o) });

function literal(text: string): SizeBound {
  const v = X.parseExact(text)!;
  const n = v.n < 0n ? -v.n : v.n;
  return { mag: X.bitLength(n / v.d), num: X.bitLength(n), k: text.split(".")[1]?.length ?? 0, o: 0 };
}

function binary(op: BinaryOp, a: SizeBound, b: SizeBound): SizeBound {
  switch (op) {
    case "+": case "-": {
      // over the common denominator: na·(L/da) ± nb·(L/db) with L/da ≤ db, one bit more than the larger term
      const num = Math.ceil(Math.max(a.num + denLog2(b), b.num + denLog2(a))) + 1;
      return tight({ mag: addMag(a.mag, b.mag), num, k: Math.max(a.k, b.k), o: a.o + b.o });
    }
    case "*": return tight({ mag: a.mag + b.mag, num: a.num + b.num, k: a.k + b.k, o: a.o + b.o });
    // (na/da) / (nb/db) = na·db / (da·nb), and |b| ≥ 1/db when it is not zero
    case "/": return tight({ mag: a.mag + denLog2(b), num: Math.ceil(a.num + denLog2(b)), k: a.k, o: a.o + b.num });
    default: return BOOL_SIZE;
  }
}

/**
 * Bounds a formula's value, and the largest value computed on the way to it (in binary digits), from
 * bounds of what it reads. Every bound is an upper bound of what evaluateFormula can meet, so a
 * formula whose `largest` is within VALUE_BITS never reaches the evaluator's budget.
 */
export function sizeBound(node: FormulaNode, refSize: (code: string) => SizeBound): { size: SizeBound; largest: number } {
  let largest = 0;
  const walk = (n: FormulaNode): SizeBound => {
    const s = nodeSize(n, walk, refSize);
    largest = Math.max(largest, sizeBits(s));
    return s;
  };
  return { size: walk(node), largest };
}

function nodeSize(n: FormulaNode, walk: (n: FormulaNode) => SizeBound, refSize: (code: string) => SizeBound): SizeBound {
  switch (n.type) {
    case "number": return literal(n.text);
    case "bool": return BOOL_SIZE;
    // YTD adds up to a year of months: twelve of the figure's size
    case "ref": return n.at === "ytd" ? Array.from({ length: 11 }).reduce<SizeBound>((t) => binary("+", t, refSize(n.code)), refSize(n.code)) : refSize(n.code);
    case "neg": return walk(n.arg);
    case "not": walk(n.arg); return BOOL_SIZE;
    case "binary": return binary(n.op, walk(n.left), walk(n.right));
    case "call": {
      const args = n.args.map(walk);
      switch (n.fn) {
        case "SUM": case "SUMREPORTED": return args.reduce((t, s) => binary("+", t, s));
        case "MIN": case "MAX": return args.reduce(either);
        case "ABS": return args[0]!;
        case "IF": return either(args[1]!, args[2]!);
        case "ROUND": {
          // the evaluator's places: the literal's, truncated into 0–10; anything computed may be 10
          const p = n.args[1]?.type === "number" ? Math.max(0, Math.min(10, Math.trunc(X.toNumber(X.parseExact(n.args[1].text)!)))) : 10;
          return tight({ mag: addMag(args[0]!.mag, 0), num: Infinity, k: p, o: 0 }); // |ROUND(x)| ≤ |x| + 1
        }
      }
    }
  }
}

/** How many steps evaluating a formula takes at most: one per figure, number and operation in it. */
export function formulaSteps(node: FormulaNode): number {
  switch (node.type) {
    case "neg": case "not": return 1 + formulaSteps(node.arg);
    case "binary": return 1 + formulaSteps(node.left) + formulaSteps(node.right);
    case "call": return node.args.reduce((t, a) => t + formulaSteps(a), 1);
    default: return 1;
  }
}
