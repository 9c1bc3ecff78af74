import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { unitSubtree, type Unit } from "../schemas/unit";
import { computeDerived } from "../validation/derive";
import { formulaInput, normalizeValue } from "../validation/normalize";
import { aboutIndicator, type Issue } from "../validation/issue";
import { evaluateFormula } from "../formula";
import { likeWithLikePair } from "../template/compile";

export type IndicatorTotal =
  | { kind: "count" | "amount"; value: string | null; reported: number }
  | { kind: "yesno"; yes: number; reported: number; share: string | null }
  | { kind: "choice"; counts: Record<string, number>; reported: number }
  | { kind: "text"; reported: number }
  /** `units`: for a like-with-like figure (同比), how many units reported both periods and were compared (同口径). */
  | { kind: "derived"; value: string | null; reason?: "blank" | "div0" | "too_large"; units?: number };

/** Totals of a set of units for one template: every indicator, and how many units reported. */
export interface Totals {
  units: number;
  indicators: Record<string, IndicatorTotal>;
}

export interface UnitReport {
  unitId: string;
  values: Values;
}

/**
 * The reference aggregation. Counts and amounts are exact sums over the units that reported
 * them (blank is skipped, never read as 0); yes/no gives how many said yes out of how many
 * reported; derived indicators are recomputed from the sums, so a rate is a ratio of sums and
 * never an average of rates. The order of reports never changes the result.
 */
export function aggregateReports(compiled: CompiledTemplate, reports: readonly UnitReport[]): Totals {
  const indicators: Record<string, IndicatorTotal> = {};
  const sums = new Map<string, Exact | null>();
  for (const ind of compiled.template.indicators) {
    const present = reports.map((r) => r.values[ind.code]).filter((v) => v !== null && v !== undefined);
    switch (ind.kind) {
      case "count":
      case "amount": {
        const total = present.length === 0 ? null : X.sum(present.map((v) => X.parseExact(String(v))!));
        sums.set(ind.code, total);
        const decimals = ind.kind === "amount" ? ind.decimals : 0;
        indicators[ind.code] = { kind: ind.kind, value: total && X.toFixed(total, decimals), reported: present.length };
        break;
      }
      case "yesno": {
        const yes = present.filter((v) => v === true).length;
        sums.set(ind.code, null);
        indicators[ind.code] = { kind: "yesno", yes, reported: present.length, share: shareText(yes, present.length) };
        break;
      }
      case "choice": {
        const counts: Record<string, number> = Object.fromEntries(ind.options.map((o) => [o.code, 0]));
        for (const v of present) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
        indicators[ind.code] = { kind: "choice", counts, reported: present.length };
        break;
      }
      case "text":
        indicators[ind.code] = { kind: "text", reported: present.length };
        break;
      case "derived":
        break;
    }
  }
  // like with like (同比): each indicator and its 上年同期 summed over the units that reported both
  const paired = new Map<string, { sum: Exact; units: number }>();
  for (const { code, lastYear } of lastYearPairs(compiled)) {
    const both = reports.filter((r) => present(r.values[code]) && present(r.values[lastYear]));
    paired.set(code, { sum: X.sum(both.map((r) => X.parseExact(String(r.values[code]))!)), units: both.length });
    paired.set(lastYear, { sum: X.sum(both.map((r) => X.parseExact(String(r.values[lastYear]))!)), units: both.length });
  }
  // and computed pairs (a grid's 合计 and its 上年同期 合计), each unit's computed from its own figures
  const computed = computedLastYearPairs(compiled);
  if (computed.length > 0) {
    const each = reports.map((r) => computedPairValues(compiled, r.values));
    for (const { code, lastYear } of computed) {
      const both = each.filter((m) => m.get(code) && m.get(lastYear));
      paired.set(code, { sum: X.sum(both.map((m) => m.get(code)!)), units: both.length });
      paired.set(lastYear, { sum: X.sum(both.map((m) => m.get(lastYear)!)), units: both.length });
    }
  }
  Object.assign(indicators, derivedTotals(compiled, (code) => sums.get(code) ?? null, {
    sumOf: (code) => paired.get(code)?.sum ?? null, units: (code) => paired.get(code)?.units ?? 0,
  }));
  return { units: reports.length, indicators };
}

const present = (v: unknown): boolean => v !== null && v !== undefined;

/** Each indicator with a 上年同期 (an indicator whose lastYearOf names it), in the template's order. */
export function lastYearPairs(compiled: CompiledTemplate): { code: string; lastYear: string }[] {
  return compiled.template.indicators.flatMap((i) => ((i.kind === "count" || i.kind === "amount") && i.lastYearOf !== undefined ? [{ code: i.lastYearOf, lastYear: i.code }] : []));
}

/** Each computed indicator with a computed 上年同期 (a grid's 合计 and its 上年同期 合计), in the template's order. */
export function computedLastYearPairs(compiled: CompiledTemplate): { code: string; lastYear: string }[] {
  return compiled.template.indicators.flatMap((i) => (i.kind === "derived" && i.lastYearOf !== undefined ? [{ code: i.lastYearOf, lastYear: i.code }] : []));
}

/** One unit's computed figures of the computed 上年同期 pairs (exact, blank where they are), or none. */
export function computedPairValues(compiled: CompiledTemplate, values: Values): Map<string, Exact | null> {
  const pairs = computedLastYearPairs(compiled);
  if (pairs.length === 0) return new Map();
  const exact = computeDerived(compiled, (code) => {
    const ind = compiled.byCode.get(code)!;
    const v = formulaInput(ind, typeof values[code] === "boolean" ? null : values[code]);
    return v === null || typeof v === "boolean" ? null : v;
  }).exact;
  return new Map(pairs.flatMap((p) => [[p.code, exact.get(p.code) ?? null], [p.lastYear, exact.get(p.lastYear) ?? null]]));
}

/**
 * Sums over the units that reported both an indicator and its 上年同期 (like with like): `sumOf` of either
 * code of a pair, `units` how many units that is (by the indicator's code).
 */
export interface PairedSums {
  sumOf: (code: string) => Exact | null;
  units: (code: string) => number;
}

/**
 * Derived totals recomputed from summed inputs (shared by every aggregation path). A like-with-like
 * figure (同比) is computed from `paired` instead: over the units that reported both periods, blank
 * when none did, with how many units were compared.
 */
export function derivedTotals(compiled: CompiledTemplate, sumOf: (code: string) => Exact | null, paired?: PairedSums): Record<string, IndicatorTotal> {
  const out: Record<string, IndicatorTotal> = {};
  const derived = computeDerived(compiled, sumOf);
  for (const code of compiled.derivedOrder) {
    const ind = compiled.byCode.get(code)!;
    const node = compiled.formulas.get(code)!;
    const pair = ind.kind === "derived" && ind.likeWithLike ? likeWithLikePair(compiled.byCode, node) : null;
    if (pair && ind.kind === "derived") {
      const units = paired?.units(pair.code) ?? 0;
      const r = units === 0 ? null : evaluateFormula(node, (c) => paired?.sumOf(c) ?? null);
      const value = r?.ok && r.value.t === "num" ? X.toFixed(r.value.v, ind.decimals) : null;
      const reason = r === null ? "blank" as const : r.ok ? undefined : r.reason;
      out[code] = { kind: "derived", value, ...(reason ? { reason } : {}), units };
      continue;
    }
    const v = derived.exact.get(code) ?? null;
    const reason = derived.tooLarge.has(code) ? "too_large" as const : derived.reasons.get(code)?.reason;
    out[code] = { kind: "derived", value: v && ind.kind === "derived" ? X.toFixed(v, ind.decimals) : null, ...(reason ? { reason } : {}) };
  }
  return out;
}

/** Percentage with one decimal, or null when nobody reported. */
export function shareText(part: number, whole: number): string | null {
  return whole === 0 ? null : X.toFixed(X.div(X.fromInt(part * 100), X.fromInt(whole))!, 1);
}

/** Totals of `rootId`'s subtree and of each of its child units' subtrees. */
export function aggregateTree(
  compiled: CompiledTemplate, units: readonly Unit[], reports: readonly UnitReport[], rootId: string,
): { total: Totals; children: { unit: Unit; totals: Totals }[] } {
  const within = (id: string): UnitReport[] => {
    const ids = new Set(unitSubtree(units, id).map((u) => u.id));
    return reports.filter((r) => ids.has(r.unitId));
  };
  const children = units.filter((u) => u.parentId === rootId);
  return {
    total: aggregateReports(compiled, within(rootId)),
    children: children.map((unit) => ({ unit, totals: aggregateReports(compiled, within(unit.id)) })),
  };
}

/** Each indicator with a 本年累计 (an indicator whose cumulativeOf names it), in the template's order. */
export function cumulativePairs(compiled: CompiledTemplate): { code: string; cumulative: string }[] {
  return compiled.template.indicators.flatMap((i) => ((i.kind === "count" || i.kind === "amount") && i.cumulativeOf !== undefined ? [{ code: i.cumulativeOf, cumulative: i.code }] : []));
}

/**
 * The 本年累计 figures (x_ytd ← x this period + x of every earlier period this year), by code: only where this
 * period's x and every earlier period's are there (`earlier` null: an earlier period has no approved
 * report); elsewhere the typed figure stands. `values` as sent (raw or canonical); a raw figure that is
 * not a number is left to validation. A sum this version cannot hold (its bounds) is left to the unit.
 */
export function cumulativeFigures(compiled: CompiledTemplate, values: Values, earlier: readonly Values[] | null | undefined): Values {
  const out: Values = {};
  if (!earlier) return out;
  for (const { code, cumulative } of cumulativePairs(compiled)) {
    const ind = compiled.byCode.get(code)!;
    const now = normalizeValue(ind, typeof values[code] === "boolean" ? null : (values[code] ?? null));
    if (!now.ok || now.value === null) continue;
    let sum = formulaInput(ind, now.value);
    for (const period of earlier) {
      const v = formulaInput(ind, typeof period[code] === "boolean" ? null : (period[code] ?? null));
      if (sum === null || typeof sum === "boolean" || v === null || typeof v === "boolean") { sum = null; break; }
      sum = X.add(sum, v);
    }
    if (sum === null || typeof sum === "boolean") continue;
    const target = compiled.byCode.get(cumulative)!;
    const n = normalizeValue(target, X.toFixed(sum, target.kind === "amount" ? target.decimals : 0));
    if (n.ok && n.value !== null) out[cumulative] = n.value;
  }
  return out;
}

/**
 * A period's figures made of its parts (issue 24: a quarter of its months, a year of its quarters), where
 * it has no report of its own: a figure the form accumulates (one with a 本年累计) is a flow, so the period's
 * is the sum of its parts' (blank unless every part has it) and its 累计 the last part's. Nothing else is
 * composed — a stock (企业数 at the end of a month) does not add up over months, and no figure is guessed.
 */
export function composePeriod(compiled: CompiledTemplate, parts: readonly Values[]): Values {
  const out: Values = {};
  const last = parts[parts.length - 1];
  if (!last) return out;
  for (const { code, cumulative } of cumulativePairs(compiled)) {
    const ind = compiled.byCode.get(code)!;
    let sum: Exact | null = X.fromInt(0);
    for (const part of parts) {
      const v = formulaInput(ind, typeof part[code] === "boolean" ? null : (part[code] ?? null));
      if (v === null || typeof v === "boolean" || sum === null) { sum = null; break; }
      sum = X.add(sum, v);
    }
    if (sum !== null) {
      const n = normalizeValue(ind, X.toFixed(sum, ind.kind === "amount" ? ind.decimals : 0));
      if (n.ok && n.value !== null) out[code] = n.value;
    }
    const ytd = last[cumulative];
    if (ytd !== null && ytd !== undefined) out[cumulative] = ytd;
  }
  return out;
}

/**
 * A warning for each figure the unit typed that an approved one replaces (上年同期 from last year's
 * approved report, 本年累计 from this year's approved periods): what was typed, what stands, and why —
 * so a unit that typed its own sees the figure change, and confirms it as any warning.
 */
export function filledIssues(compiled: CompiledTemplate, sent: Values, filled: Values): Issue[] {
  const out: Issue[] = [];
  for (const [code, value] of Object.entries(filled)) {
    const ind = compiled.byCode.get(code)!;
    const raw = Object.hasOwn(sent, code) ? sent[code] : null;
    if (raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "")) continue;
    const typed = normalizeValue(ind, typeof raw === "boolean" ? null : raw);
    if (typed.ok && typed.value === value) continue;
    const cumulative = (ind.kind === "count" || ind.kind === "amount") && ind.cumulativeOf !== undefined;
    out.push({ code: "filled_from_approved", severity: "warning", indicator: code, message: aboutIndicator(ind, code,
      cumulative ? `填写的 ${String(raw)} 已改为按本期和本年以前各期已审核数据计算的 ${String(value)}` : `填写的 ${String(raw)} 已改为上年同期已审核的数据 ${String(value)}`,
      cumulative ? `the ${String(raw)} typed is replaced by ${String(value)}, this period plus this year's approved periods` : `the ${String(raw)} typed is replaced by last year's approved figure, ${String(value)}`) });
  }
  return out;
}

/**
 * The 上年同期 figures last year's approved report gives (x_ly ← x of last year's period), by code; only
 * those it has a figure for. A template without 上年同期 figures, or no approved report: none.
 */
export function lastYearFigures(compiled: CompiledTemplate, lastYear: Values | null | undefined): Values {
  const out: Values = {};
  if (!lastYear) return out;
  for (const { code, lastYear: ly } of lastYearPairs(compiled)) {
    const v = lastYear[code];
    if (v === null || v === undefined) continue;
    // a figure this version's 上年同期 cannot hold (fewer decimals, other bounds or kind since) is left to the
    // unit to type, rather than copied in and then refused on a cell the unit did not fill
    const n = normalizeValue(compiled.byCode.get(ly)!, typeof v === "boolean" ? null : v);
    if (n.ok && n.value !== null) out[ly] = n.value;
  }
  return out;
}

