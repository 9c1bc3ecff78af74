import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import { evaluateFormula, VALUE_BITS } from "../formula";
import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { aboutIndicator, type Issue } from "./issue";
import { formulaInput } from "./normalize";

export interface DerivedResult {
  exact: Map<string, Exact | null>;
  /** Why a derived indicator has no value: an input not reported, or a division by zero. */
  reasons: Map<string, { reason: "blank"; code: string } | { reason: "div0" }>;
  /** Derived indicators whose exact value passed the size budget: only a template the compiler would refuse gets here. */
  tooLarge: Set<string>;
}

/**
 * Computes every derived indicator from input values, in dependency order. Works the same on
 * one unit's values and on aggregated sums, which is how rates come from summed counts.
 */
export function computeDerived(compiled: CompiledTemplate, inputs: (code: string) => Exact | boolean | null): DerivedResult {
  const exact = new Map<string, Exact | null>();
  const reasons: DerivedResult["reasons"] = new Map();
  const tooLarge = new Set<string>();
  const lookup = (code: string): Exact | boolean | null => (exact.has(code) ? exact.get(code)! : inputs(code));
  for (const code of compiled.derivedOrder) {
    const r = evaluateFormula(compiled.formulas.get(code)!, lookup);
    if (r.ok && r.value.t === "num") exact.set(code, r.value.v);
    else {
      exact.set(code, null);
      if (!r.ok && r.reason === "too_large") tooLarge.add(code);
      else if (!r.ok) reasons.set(code, r.reason === "blank" ? { reason: "blank", code: r.code } : { reason: "div0" });
    }
  }
  return { exact, reasons, tooLarge };
}

/** The issue on a derived indicator (or a rule's first indicator) whose value passed the size budget: left blank, and said why. */
export function tooLargeIssue(compiled: CompiledTemplate, code: string, rule?: string): Issue {
  const what = rule ? { zh: `校验规则「${rule}」的计算`, en: `checking rule '${rule}'` } : { zh: "计算结果", en: "its exact result" };
  return { code: "too_large", severity: "warning", indicator: code, ...(rule ? { rule } : {}), message: aboutIndicator(compiled.byCode.get(code), code,
    `${what.zh}的精确值超过 ${VALUE_BITS} 位二进制，系统不予计算，${rule ? "未能检查" : "此项留空"}；这是模板公式的问题，请告知制定模板的管理员`,
    `${what.en} would pass ${VALUE_BITS} binary digits exactly, so it is not computed${rule ? " and the rule is not checked" : " and stays blank"}; the template's formula needs changing (tell the administrator who made it)`) };
}

/** Derived values of one unit as canonical text at each indicator's decimals. */
export function derivedValues(compiled: CompiledTemplate, values: Values): { values: Values; result: DerivedResult } {
  const result = computeDerived(compiled, (code) => formulaInput(compiled.byCode.get(code)!, values[code]));
  const out: Values = {};
  for (const code of compiled.derivedOrder) {
    const v = result.exact.get(code) ?? null;
    const ind = compiled.byCode.get(code)!;
    out[code] = v === null || ind.kind !== "derived" ? null : X.toFixed(v, ind.decimals);
  }
  return { values: out, result };
}
