import type { CompiledTemplate } from "../template/compile";
import type { Indicator } from "../schemas/template";
import type { Value, Values } from "../schemas/submission";
import { aggregateReports, type Totals } from "../aggregation/aggregate";

/**
 * This period against the previous one, like with like (同口径): both totals over the same units,
 * those that reported in both periods, so a unit that joined or dropped out moves neither side.
 */
export interface Comparison {
  /** Units that reported in both periods. */
  units: number;
  currentUnits: number;
  previousUnits: number;
  current: Totals;
  previous: Totals;
}

/** Whether a stored value still fits the indicator as the current template defines it. */
function fits(ind: Indicator, v: Value | undefined): boolean {
  if (v === null || v === undefined) return false;
  switch (ind.kind) {
    case "count": return (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^-?\d+$/.test(v));
    case "amount": return (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v));
    case "yesno": return typeof v === "boolean";
    case "choice": return typeof v === "string" && ind.options.some((o) => o.code === v);
    case "text": return typeof v === "string";
    case "derived": return false;
  }
}

/**
 * Totals of both periods over the units that reported in both, by the current template's
 * definitions (the previous period is matched by indicator code; a value whose indicator changed
 * kind since is left out, not read wrongly).
 */
export function compareLikeWithLike(
  compiled: CompiledTemplate, current: ReadonlyMap<string, Values>, previous: ReadonlyMap<string, Values>,
): Comparison {
  const both = [...current.keys()].filter((id) => previous.has(id)).sort();
  const clean = (values: Values): Values => Object.fromEntries(compiled.template.indicators.filter((i) => fits(i, values[i.code])).map((i) => [i.code, values[i.code]!]));
  return {
    units: both.length,
    currentUnits: current.size,
    previousUnits: previous.size,
    current: aggregateReports(compiled, both.map((unitId) => ({ unitId, values: clean(current.get(unitId)!) }))),
    previous: aggregateReports(compiled, both.map((unitId) => ({ unitId, values: clean(previous.get(unitId)!) }))),
  };
}

/** The sentence under a totals sheet's title that says what its change column compares. */
export function changeNote(comparison: Comparison | null | undefined, previous: Totals | null | undefined): string {
  if (comparison) {
    const { units: k, currentUnits: m, previousUnits: n } = comparison;
    if (k === 0) return `增减（同口径）：没有两期都上报的单位，不计算增减（本期 ${m} 个、上期 ${n} 个单位上报）`;
    if (k === m && k === n) return `增减（同口径）：两期都是这 ${k} 个单位上报，按相同单位比较`;
    return `增减（同口径）：只比较两期都上报的 ${k} 个单位（本期 ${m} 个、上期 ${n} 个单位上报）`;
  }
  if (previous) return `增减为两期全部上报单位的合计之差，未按相同单位比较（上期 ${previous.units} 个单位上报）`;
  return "无上期数据，不计算增减";
}
