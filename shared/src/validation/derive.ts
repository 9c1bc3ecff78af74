import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import { evaluateFormula, type NoValueReason } from "../formula";
import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { formulaInput } from "./normalize";

export interface DerivedResult {
  exact: Map<string, Exact | null>;
  reasons: Map<string, NoValueReason>;
}

/**
 * Computes every derived indicator from input values, in dependency order. Works the same on
 * one unit's values and on aggregated sums, which is how rates come from summed counts.
 */
export function computeDerived(compiled: CompiledTemplate, inputs: (code: string) => Exact | boolean | null): DerivedResult {
  const exact = new Map<string, Exact | null>();
  const reasons = new Map<string, NoValueReason>();
  const lookup = (code: string): Exact | boolean | null => (exact.has(code) ? exact.get(code)! : inputs(code));
  for (const code of compiled.derivedOrder) {
    const r = evaluateFormula(compiled.formulas.get(code)!, lookup);
    if (r.ok && r.value.t === "num") exact.set(code, r.value.v);
    else {
      exact.set(code, null);
      if (!r.ok) reasons.set(code, r.reason === "blank" ? { reason: "blank", code: r.code } : { reason: "div0" });
    }
  }
  return { exact, reasons };
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
