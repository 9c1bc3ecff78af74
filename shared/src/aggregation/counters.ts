import * as X from "../exact/exact";
import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { computedLastYearPairs, computedPairValues, derivedTotals, lastYearPairs, shareText, type IndicatorTotal, type Totals } from "./aggregate";

/**
 * Totals as additive integer counters, so a store can keep them up to date with plain integer
 * addition (no floating point): `code` holds the sum scaled to the indicator's decimals,
 * `code#n` how many units reported, `code#yes` the yes count, `code#opt:X` a choice's count,
 * and `#units` the number of reports. An indicator x with a 上年同期 x_ly (issue 24) adds, where a unit
 * reported both, `x@ly` and `x_ly@ly` (both scaled) and `x@ly#n` (1): the like-with-like sums 同比 is
 * computed from, so a unit missing either period moves neither side.
 */
export type Counters = Map<string, bigint>;

const scaleOf = (compiled: CompiledTemplate, code: string): number => {
  const ind = compiled.byCode.get(code);
  // a computed figure is scaled only as one side of a computed 上年同期 pair (its decimals hold it exactly: a sum of its parts)
  return ind?.kind === "amount" || ind?.kind === "derived" ? ind.decimals : 0;
};

/** One unit's contribution to the counters. */
export function countersOf(compiled: CompiledTemplate, values: Values): Counters {
  const out: Counters = new Map([["#units", 1n]]);
  for (const ind of compiled.template.indicators) {
    const v = values[ind.code];
    if (v === null || v === undefined || ind.kind === "derived") continue;
    out.set(`${ind.code}#n`, 1n);
    if (ind.kind === "count" || ind.kind === "amount") {
      const e = X.parseExact(String(v))!;
      out.set(ind.code, (e.n * 10n ** BigInt(scaleOf(compiled, ind.code))) / e.d);
    } else if (ind.kind === "yesno" && v === true) out.set(`${ind.code}#yes`, 1n);
    else if (ind.kind === "choice") out.set(`${ind.code}#opt:${String(v)}`, 1n);
  }
  for (const { code, lastYear } of lastYearPairs(compiled)) {
    const [v, ly] = [values[code], values[lastYear]];
    if (v === null || v === undefined || ly === null || ly === undefined) continue;
    out.set(`${code}@ly`, scaled(compiled, code, v));
    out.set(`${lastYear}@ly`, scaled(compiled, lastYear, ly));
    out.set(`${code}@ly#n`, 1n);
  }
  // a computed pair (a grid's 合计 and its 上年同期 合计) from the unit's own computed figures
  const computed = computedPairValues(compiled, values);
  for (const { code, lastYear } of computedLastYearPairs(compiled)) {
    const [v, ly] = [computed.get(code), computed.get(lastYear)];
    if (!v || !ly) continue;
    out.set(`${code}@ly`, (v.n * 10n ** BigInt(scaleOf(compiled, code))) / v.d);
    out.set(`${lastYear}@ly`, (ly.n * 10n ** BigInt(scaleOf(compiled, lastYear))) / ly.d);
    out.set(`${code}@ly#n`, 1n);
  }
  return out;
}

const scaled = (compiled: CompiledTemplate, code: string, v: unknown): bigint => {
  const e = X.parseExact(String(v))!;
  return (e.n * 10n ** BigInt(scaleOf(compiled, code))) / e.d;
};

/** a + sign·b, dropping keys that come to zero. */
export function addCounters(a: Counters, b: Counters, sign: 1n | -1n = 1n): Counters {
  const out = new Map(a);
  for (const [k, v] of b) {
    const next = (out.get(k) ?? 0n) + sign * v;
    if (next === 0n) out.delete(k);
    else out.set(k, next);
  }
  return out;
}

/** Totals read back from counters; equal to `aggregateReports` over the same units. */
export function totalsFromCounters(compiled: CompiledTemplate, counters: Counters): Totals {
  const get = (k: string): bigint => counters.get(k) ?? 0n;
  const indicators: Record<string, IndicatorTotal> = {};
  const sumOf = (code: string): X.Exact | null => {
    const kind = compiled.byCode.get(code)?.kind;
    if ((kind !== "count" && kind !== "amount") || get(`${code}#n`) === 0n) return null;
    return { n: get(code), d: 10n ** BigInt(scaleOf(compiled, code)) };
  };
  for (const ind of compiled.template.indicators) {
    const reported = Number(get(`${ind.code}#n`));
    switch (ind.kind) {
      case "count":
      case "amount": {
        const s = sumOf(ind.code);
        indicators[ind.code] = { kind: ind.kind, value: s && X.toFixed(s, scaleOf(compiled, ind.code)), reported };
        break;
      }
      case "yesno": {
        const yes = Number(get(`${ind.code}#yes`));
        indicators[ind.code] = { kind: "yesno", yes, reported, share: shareText(yes, reported) };
        break;
      }
      case "choice":
        indicators[ind.code] = { kind: "choice", reported,
          counts: Object.fromEntries(ind.options.map((o) => [o.code, Number(get(`${ind.code}#opt:${o.code}`))])) };
        break;
      case "text":
        indicators[ind.code] = { kind: "text", reported };
        break;
      case "derived":
        break;
    }
  }
  // like with like (同比): x → x@ly, x_ly → x_ly@ly, over the x@ly#n units that reported both
  const lastYearOf = new Map([...lastYearPairs(compiled), ...computedLastYearPairs(compiled)].map((p) => [p.lastYear, p.code]));
  Object.assign(indicators, derivedTotals(compiled, sumOf, {
    sumOf: (code) => ({ n: get(`${code}@ly`), d: 10n ** BigInt(scaleOf(compiled, code)) }),
    units: (code) => Number(get(`${lastYearOf.get(code) ?? code}@ly#n`)),
  }));
  return { units: Number(get("#units")), indicators };
}
