import * as X from "../exact/exact";
import { evaluateFormula, formulaTimeRefs, type TimeRef } from "../formula";
import type { CompiledTemplate } from "../template/compile";
import type { RawValue, Values } from "../schemas/submission";
import { derivedValues, tooLargeIssue } from "./derive";
import { aboutIndicator, type Issue } from "./issue";
import { formulaInput, normalizeValue } from "./normalize";

export interface ValidationResult {
  /** Canonical input values; every input indicator is present, null when not reported. */
  values: Values;
  /** Derived values at their decimals, null when they have no value. */
  derived: Values;
  issues: Issue[];
  hasErrors: boolean;
  hasWarnings: boolean;
}

/**
 * The unit's approved figures in the other periods its template's rules read (PREV, LASTYEAR, YTD;
 * compiled.timeRefs says which): null where that period has none, and a rule reading it is then not
 * checked, as with any blank. Without a history (the add-in checking before it sends) such rules wait
 * for the server, which always supplies it.
 */
export interface History {
  prev?: Values | null;
  lastYear?: Values | null;
  /** This year's earlier periods in order (none for the first), or null when one of them has no approved figures. */
  earlier?: readonly Values[] | null;
  /** When `earlier` is null: the earlier periods of this year that do have approved figures (a typed 累计 is at least their sum and this period's). */
  earlierFound?: readonly Values[];
  /** The previous period is last year's (this is the year's first): a 本年累计 starts again, so its 上期 is blank. */
  prevInLastYear?: boolean;
  /** A quarter, half-year or year of a report with 累计 columns: its figures made of its approved months. */
  parts?: Values;
}

/**
 * Validates one unit's reported values against a template: per-indicator checks, the template's
 * rules, and jumps against the unit's previous period. Every issue names its indicator.
 */
export function validateValues(
  compiled: CompiledTemplate,
  raw: Record<string, RawValue>,
  options: { previous?: Values | null; history?: History } = {},
): ValidationResult {
  const issues: Issue[] = [];
  const values: Values = {};
  for (const code of Object.keys(raw)) {
    if (!compiled.byCode.has(code)) {
      issues.push({ code: "unknown_indicator", severity: "error", indicator: code,
        message: aboutIndicator(undefined, code, "模板中没有这个指标", "this template has no such indicator") });
    }
  }
  for (const ind of compiled.template.indicators) {
    if (ind.kind === "derived") {
      const r = raw[ind.code];
      if (r !== undefined && r !== null) {
        const n = normalizeValue(ind, r);
        if (!n.ok) issues.push(n.issue);
      }
      continue;
    }
    const n = normalizeValue(ind, raw[ind.code] ?? null);
    if (!n.ok) { issues.push(n.issue); values[ind.code] = null; continue; }
    values[ind.code] = n.value;
    if (n.value === null && ind.required) {
      issues.push({ code: "required", severity: "error", indicator: ind.code, message: aboutIndicator(ind, ind.code, "必填", "required") });
    }
  }
  const { values: derived, result } = derivedValues(compiled, values);
  for (const code of result.tooLarge) issues.push(tooLargeIssue(compiled, code));
  for (const code of compiled.derivedOrder) {
    const ind = compiled.byCode.get(code)!;
    const v = result.exact.get(code);
    if (ind.kind !== "derived" || !v) continue;
    if (ind.min !== undefined && X.compare(v, X.parseExact(ind.min)!) < 0) {
      issues.push({ code: "below_min", severity: "error", indicator: code, message: aboutIndicator(ind, code, `计算结果 ${derived[code]} 小于 ${ind.min}，请检查相关数据`, `computed ${derived[code]} is below ${ind.min}; check the figures it uses`) });
    }
    if (ind.max !== undefined && X.compare(v, X.parseExact(ind.max)!) > 0) {
      issues.push({ code: "above_max", severity: "error", indicator: code, message: aboutIndicator(ind, code, `计算结果 ${derived[code]} 大于 ${ind.max}，请检查相关数据`, `computed ${derived[code]} is above ${ind.max}; check the figures it uses`) });
    }
  }
  const now = (code: string) => {
    const ind = compiled.byCode.get(code)!;
    return ind.kind === "derived" ? (result.exact.get(code) ?? null) : formulaInput(ind, values[code]);
  };
  // without a history, another period's figure is blank (never this period's): such rules wait for the server
  const lookup = historyLookup(compiled, now, options.history ?? {});
  // a period the server found no approved figures for (blank, never 0): a rule reading it is not checked, and says so
  const missing = (at: TimeRef): boolean => options.history !== undefined && (at === "prev" ? !options.history.prev : at === "lastyear" ? !options.history.lastYear : !options.history.earlier);
  for (const { rule, node, refs } of compiled.rules) {
    const r = evaluateFormula(node, lookup);
    const first = refs[0] ?? "";
    if (!r.ok && r.reason === "too_large") issues.push(tooLargeIssue(compiled, first, rule.code));
    if (!r.ok && r.reason === "blank" && refs.every((code) => now(code) !== null)) {
      const gaps = [...new Set(formulaTimeRefs(node).map((t) => t.at).filter(missing))];
      if (gaps.length > 0) {
        const zh = gaps.map((g) => ({ prev: "上期", lastyear: "上年同期", ytd: "本年以前各期" })[g]).join("、");
        const en = gaps.map((g) => ({ prev: "the previous period", lastyear: "the same period last year", ytd: "this year's earlier periods" })[g]).join(", ");
        issues.push({ code: "not_checked", severity: "warning", indicator: first, indicators: refs, rule: rule.code,
          message: aboutIndicator(compiled.byCode.get(first), first, `${zh}没有已审核的数据，规则「${rule.message.zh}」本次未检查`, `${en} has no approved figures, so the rule '${rule.message.en}' was not checked`) });
      }
    }
    if (!r.ok || r.value.t !== "bool" || r.value.v) continue; // a rule is checked once its inputs are reported
    issues.push({ code: "rule", severity: rule.severity, indicator: first, indicators: refs, rule: rule.code,
      message: aboutIndicator(compiled.byCode.get(first), first, rule.message.zh, rule.message.en) });
  }
  if (options.history?.earlier === null && options.history.earlierFound) issues.push(...cumulativeFloor(compiled, values, options.history.earlierFound));
  if (options.history?.parts) issues.push(...partsDiffer(compiled, values, options.history.parts));
  if (options.previous) issues.push(...jumpWarnings(compiled, values, options.previous));
  return { values, derived, issues, hasErrors: issues.some((i) => i.severity === "error"), hasWarnings: issues.some((i) => i.severity === "warning") };
}

function jumpWarnings(compiled: CompiledTemplate, values: Values, previous: Values): Issue[] {
  const out: Issue[] = [];
  for (const ind of compiled.template.indicators) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || ind.jumpPercent === undefined) continue;
    const now = formulaInput(ind, values[ind.code]);
    const before = formulaInput(ind, previous[ind.code]);
    if (typeof now === "boolean" || typeof before === "boolean" || !now || !before || X.isZero(before)) continue;
    const change = X.div(X.mul(X.sub(now, before), X.HUNDRED), X.abs(before))!;
    if (X.compare(X.abs(change), X.exactFromNumber(ind.jumpPercent)!) <= 0) continue;
    const pct = X.toFixed(change, 1);
    out.push({ code: "jump", severity: "warning", indicator: ind.code,
      message: aboutIndicator(ind, ind.code, `比上期（${String(previous[ind.code])}）变化 ${pct}%，超过 ${ind.jumpPercent}%，请确认`,
        `changed ${pct}% from the previous period (${String(previous[ind.code])}), more than ${ind.jumpPercent}%; please confirm`) });
  }
  return out;
}

/**
 * A typed 本年累计 while an earlier period of the year has no approved figures: it cannot be computed, but a
 * 累计 of figures that are never negative is at least this period's and the approved earlier ones' (issue 24).
 */
function cumulativeFloor(compiled: CompiledTemplate, values: Values, found: readonly Values[]): Issue[] {
  const out: Issue[] = [];
  for (const ind of compiled.template.indicators) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || ind.cumulativeOf === undefined) continue;
    const x = compiled.byCode.get(ind.cumulativeOf)!;
    if ((x.kind !== "count" && x.kind !== "amount") || String(x.min ?? "0").startsWith("-")) continue;
    const typed = formulaInput(ind, values[ind.code]);
    const now = formulaInput(x, values[x.code]);
    if (typed === null || typeof typed === "boolean" || now === null || typeof now === "boolean") continue;
    let floor = now;
    for (const period of found) {
      const v = formulaInput(x, typeof period[x.code] === "boolean" ? null : (period[x.code] ?? null));
      if (v !== null && typeof v !== "boolean") floor = X.add(floor, v);
    }
    if (X.compare(typed, floor) >= 0) continue;
    const f = X.toFixed(floor, ind.kind === "amount" ? ind.decimals : 0);
    out.push({ code: "below_min", severity: "error", indicator: ind.code, message: aboutIndicator(ind, ind.code,
      `${String(values[ind.code])} 小于本期与本年已审核各期之和 ${f}（本年有的期尚无已审核数据，累计按填写的为准，但不能更小）`,
      `${String(values[ind.code])} is below this period and this year's approved periods together, ${f} (some periods have no approved figures yet, so the 累计 is as typed, but it cannot be less)`) });
  }
  return out;
}

/** A quarter's (half-year's, year's) flow that is not the sum of its approved months: asked to confirm, naming the sum. */
function partsDiffer(compiled: CompiledTemplate, values: Values, parts: Values): Issue[] {
  const out: Issue[] = [];
  for (const ind of compiled.template.indicators) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || ind.cumulativeOf === undefined) continue;
    const x = compiled.byCode.get(ind.cumulativeOf)!;
    const [typed, sum] = [formulaInput(x, values[x.code]), formulaInput(x, parts[x.code])];
    if (typed === null || typeof typed === "boolean" || sum === null || typeof sum === "boolean" || X.compare(typed, sum) === 0) continue;
    out.push({ code: "parts_differ", severity: "warning", indicator: x.code, message: aboutIndicator(x, x.code,
      `填报的 ${String(values[x.code])} 与本期所含各期已审核数据之和 ${String(parts[x.code])} 不同，请核实`,
      `${String(values[x.code])} differs from ${String(parts[x.code])}, the sum of the approved periods this one is made of; please check`) });
  }
  return out;
}

type Lookup = (code: string) => X.Exact | boolean | null;

/** this period's figures, and other periods' from the unit's history: each period's derived figures computed from its own inputs. */
function historyLookup(compiled: CompiledTemplate, now: Lookup, history: History): (code: string, at?: TimeRef) => X.Exact | boolean | null {
  const periodLookup = (values: Values | null | undefined): Lookup => {
    if (!values) return () => null;
    const derived = derivedValues(compiled, values).result.exact;
    return (code) => {
      const ind = compiled.byCode.get(code)!;
      return ind.kind === "derived" ? (derived.get(code) ?? null) : formulaInput(ind, values[code]);
    };
  };
  if (compiled.timeRefs.size === 0) return (code, at) => (at === undefined ? now(code) : null);
  const prev = periodLookup(history.prev);
  const lastYear = periodLookup(history.lastYear);
  const earlier = history.earlier ? history.earlier.map(periodLookup) : null;
  const restarts = (code: string) => { const ind = compiled.byCode.get(code); return (ind?.kind === "count" || ind?.kind === "amount") && ind.cumulativeOf !== undefined; };
  return (code, at) => {
    if (at === undefined) return now(code);
    // a 本年累计 starts again each year: the year's first period has no 上期 累计 to compare with
    if (at === "prev") return history.prevInLastYear && restarts(code) ? null : prev(code);
    if (at === "lastyear") return lastYear(code);
    // 本年累计: this period's figure and every earlier one's of this year, blank while any is blank
    if (!earlier) return null;
    let sum = now(code);
    for (const period of earlier) {
      const v = period(code);
      if (sum === null || typeof sum === "boolean" || v === null || typeof v === "boolean") return null;
      sum = X.add(sum, v);
    }
    return typeof sum === "boolean" ? null : sum;
  };
}
