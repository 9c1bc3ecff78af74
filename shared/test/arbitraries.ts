import fc from "fast-check";
import { DEFAULT_MAX, type CompiledTemplate, type Indicator, type Value, type Values } from "@tianbao/shared";

const MAX = Number(DEFAULT_MAX); // 10^13 − 1 < 2^53: exact as a JS number

/**
 * A random canonical value for an indicator; `null` (not reported) about one time in six. Numbers
 * cover the whole domain: mostly everyday figures, and one time in five anything up to the bound
 * (10^13 − 1, past 2^53 once summed), 0 and the bound itself included.
 */
export function valueFor(ind: Indicator): fc.Arbitrary<Value> {
  const some = ((): fc.Arbitrary<Value> => {
    switch (ind.kind) {
      case "count": return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 100_000 }) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(0, MAX), fc.integer({ min: 0, max: MAX })) });
      case "amount": return fc.oneof({ weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 9n }) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: BigInt(MAX) * 10n ** BigInt(ind.decimals) }) }).map((n) => {
        const s = n.toString().padStart(ind.decimals + 1, "0");
        return ind.decimals === 0 ? s : `${s.slice(0, -ind.decimals)}.${s.slice(-ind.decimals)}`;
      });
      case "yesno": return fc.boolean();
      case "choice": return fc.constantFrom(...ind.options.map((o) => o.code));
      case "text": return fc.string({ maxLength: 20 });
      case "derived": return fc.constant(null);
    }
  })();
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: some });
}

/** Random values for every input indicator of a template. */
export function valuesFor(c: CompiledTemplate): fc.Arbitrary<Values> {
  const inputs = c.template.indicators.filter((i) => i.kind !== "derived");
  return fc.record(Object.fromEntries(inputs.map((i) => [i.code, valueFor(i)])) as Record<string, fc.Arbitrary<Value>>);
}

/** Random unit reports with distinct unit ids. */
export function reportsFor(c: CompiledTemplate, maxUnits = 12) {
  return fc.array(valuesFor(c), { maxLength: maxUnits }).map((list) => list.map((values, i) => ({ unitId: `u${i}`, values })));
}
