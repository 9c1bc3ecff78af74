import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import { blankingRefs, type FormulaNode, type TimeRef } from "./ast";
import { VALUE_BITS } from "./size";

/** A value the formula language computes with: an exact number or a yes/no. */
export type FormulaValue = { t: "num"; v: Exact } | { t: "bool"; v: boolean };

/**
 * Why a formula has no value: an input was not reported, a division by zero, or a value past the
 * size budget (VALUE_BITS), which only a template the compiler would refuse can reach.
 */
export type NoValueReason = { reason: "blank"; code: string } | { reason: "div0" } | { reason: "too_large" };

export type EvalResult = { ok: true; value: FormulaValue } | ({ ok: false } & NoValueReason);

/** Looks up an indicator's value this period (or, with `at`, in another: PREV, LASTYEAR, YTD); `null` means not reported. */
export type ValueLookup = (code: string, at?: TimeRef) => Exact | boolean | null;

class NoValue {
  constructor(readonly why: NoValueReason) {}
}

/**
 * Evaluates a checked formula exactly. A formula has no value unless every indicator it reads
 * has one (blank is never 0), and a division by zero gives "no value", never Infinity or NaN.
 * IF is lazy and the rest is eager, as in Excel, so the rendered cell formula agrees. Every number
 * computed is checked against the size budget as soon as it exists, so no step ever works on
 * operands larger than VALUE_BITS: the cost of one formula is bounded by its length.
 */
export function evaluateFormula(node: FormulaNode, lookup: ValueLookup): EvalResult {
  for (const { code } of blankingRefs(node)) {
    if (lookup(code) === null) return { ok: false, reason: "blank", code };
  }
  try {
    return { ok: true, value: evalNode(node, lookup) };
  } catch (e) {
    if (e instanceof NoValue) return { ok: false, ...e.why };
    throw e;
  }
}

const num = (v: FormulaValue): Exact => (v.t === "num" ? v.v : v.v ? X.ONE : X.ZERO);
const bool = (v: FormulaValue): boolean => (v.t === "bool" ? v.v : !X.isZero(v.v));
const N = (v: Exact): FormulaValue => {
  if (!X.withinBits(v, VALUE_BITS)) throw new NoValue({ reason: "too_large" });
  return { t: "num", v };
};
const B = (v: boolean): FormulaValue => ({ t: "bool", v });

function evalNode(node: FormulaNode, lookup: ValueLookup): FormulaValue {
  switch (node.type) {
    case "number": return N(X.parseExact(node.text)!);
    case "bool": return B(node.value);
    case "ref": {
      const v = lookup(node.code, node.at);
      if (v === null) throw new NoValue({ reason: "blank", code: node.code });
      return typeof v === "boolean" ? B(v) : N(v);
    }
    case "neg": return N(X.neg(num(evalNode(node.arg, lookup))));
    case "not": return B(!bool(evalNode(node.arg, lookup)));
    case "binary": return evalBinary(node.op, evalNode(node.left, lookup), evalNode(node.right, lookup));
    case "call": return evalCall(node, lookup);
  }
}

function evalBinary(op: string, l: FormulaValue, r: FormulaValue): FormulaValue {
  switch (op) {
    case "+": return N(X.add(num(l), num(r)));
    case "-": return N(X.sub(num(l), num(r)));
    case "*": return N(X.mul(num(l), num(r)));
    case "/": {
      const q = X.div(num(l), num(r));
      if (q === null) throw new NoValue({ reason: "div0" });
      return N(q);
    }
    case "and": return B(bool(l) && bool(r));
    case "or": return B(bool(l) || bool(r));
  }
  const c = l.t === "bool" && r.t === "bool" ? Number(l.v) - Number(r.v) : X.compare(num(l), num(r));
  switch (op) {
    case "=": return B(c === 0);
    case "<>": return B(c !== 0);
    case "<": return B(c < 0);
    case "<=": return B(c <= 0);
    case ">": return B(c > 0);
    default: return B(c >= 0);
  }
}

function evalCall(node: Extract<FormulaNode, { type: "call" }>, lookup: ValueLookup): FormulaValue {
  if (node.fn === "IF") {
    const cond = bool(evalNode(node.args[0]!, lookup));
    return evalNode(node.args[cond ? 1 : 2]!, lookup);
  }
  if (node.fn === "SUMREPORTED") {
    // the figures reported, added one by one; blank only when none was (its arguments are codes: checkFormula)
    const reported = node.args.map((a) => (a.type === "ref" ? lookup(a.code) : null)).filter((v): v is Exact => v !== null && typeof v !== "boolean");
    if (reported.length === 0) throw new NoValue({ reason: "blank", code: node.args[0]?.type === "ref" ? node.args[0].code : "" });
    return reported.slice(1).reduce((total, a) => N(X.add(num(total), a)), N(reported[0]!));
  }
  const args = node.args.map((a) => num(evalNode(a, lookup)));
  switch (node.fn) {
    // added one by one, each sum checked: fractions with different denominators grow as they add up
    case "SUM": return args.slice(1).reduce((total, a) => N(X.add(num(total), a)), N(args[0]!));
    case "MIN": return N(args.reduce((a, b) => (X.compare(a, b) <= 0 ? a : b)));
    case "MAX": return N(args.reduce((a, b) => (X.compare(a, b) >= 0 ? a : b)));
    case "ABS": return N(X.abs(args[0]!));
    case "ROUND": {
      const places = Math.trunc(X.toNumber(args[1]!));
      return N(X.round(args[0]!, Math.max(0, Math.min(10, places))));
    }
  }
}
