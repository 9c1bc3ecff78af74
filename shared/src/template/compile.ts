import { checkFormula, formulaRefs, formulaTimeRefs, parseFormula, FUNCTIONS, KEYWORDS, type FormulaNode, type FormulaType, type TimeRef } from "../formula";
import * as X from "../exact/exact";
import { SCALED_BOUND, withinScaledBound } from "../validation/number";
import type { Indicator, Rule, Template } from "../schemas/template";
import { excelLimitIssues } from "./excel-limits";
import { excelFormulaIssues } from "./excel-formula-limits";
import { valueSizeIssues } from "./value-size";
import type { TemplateIssue } from "./template-issue";
import { expandForm, type GridCellRef } from "./form";

export type { TemplateIssue } from "./template-issue";

export interface CompiledRule {
  rule: Rule;
  node: FormulaNode;
  refs: string[];
}

/** A template whose formulas are parsed and checked, with derived indicators in evaluation order. */
export interface CompiledTemplate {
  template: Template;
  byCode: ReadonlyMap<string, Indicator>;
  formulas: ReadonlyMap<string, FormulaNode>;
  derivedOrder: readonly string[];
  rules: readonly CompiledRule[];
  /** Each grid cell's indicator code → its table, row and column (empty for a template of list tables only). */
  gridCells: ReadonlyMap<string, GridCellRef>;
  /** The other periods the rules read (PREV, LASTYEAR, YTD): what a check must look up besides this period's figures. */
  timeRefs: ReadonlySet<TimeRef>;
}

const RESERVED = new Set<string>([...KEYWORDS, ...FUNCTIONS]);

const refType = (ind: Indicator | undefined): FormulaType | "text" | undefined => {
  if (!ind) return undefined;
  if (ind.kind === "yesno") return "bool";
  if (ind.kind === "text" || ind.kind === "choice") return "text";
  return "num";
};

/**
 * Checks a template as a whole (codes, sections, formulas, cycles, what Excel can open, how large
 * computed values can grow) and prepares it for use.
 */
export function compileTemplate(source: Template): { ok: true; compiled: CompiledTemplate } | { ok: false; issues: TemplateIssue[] } {
  // a form's grids become indicators, totals and 其中 rules first: everything below sees one flat template
  const expanded = expandForm(source);
  if (!expanded.ok) return { ok: false, issues: expanded.issues };
  const { template, gridCells } = expanded.value;
  const issues: TemplateIssue[] = [];
  const add = (path: string, zh: string, en: string): void => { issues.push({ path, message: { zh, en } }); };
  const byCode = new Map<string, Indicator>();
  const sections = new Set<string>();
  for (const s of template.sections) {
    if (sections.has(s.code)) add(`sections.${s.code}`, `分组代码「${s.code}」重复`, `section code '${s.code}' is used twice`);
    sections.add(s.code);
  }
  for (const ind of template.indicators) {
    const path = `indicators.${ind.code}`;
    if (byCode.has(ind.code)) add(path, `指标代码「${ind.code}」重复`, `indicator code '${ind.code}' is used twice`);
    if (RESERVED.has(ind.code.toUpperCase())) add(path, `指标代码「${ind.code}」是保留字`, `indicator code '${ind.code}' is a reserved word`);
    if (!sections.has(ind.section)) add(path, `指标「${ind.code}」所属分组「${ind.section}」不存在`, `indicator '${ind.code}' is in unknown section '${ind.section}'`);
    if ("min" in ind && ind.min !== undefined && ind.max !== undefined && X.compare(X.parseExact(ind.min)!, X.parseExact(ind.max)!) > 0) {
      add(path, `指标「${ind.code}」下限大于上限`, `indicator '${ind.code}' has min above max`);
    }
    if (ind.kind === "count" || ind.kind === "amount") {
      const decimals = ind.kind === "amount" ? ind.decimals : 0;
      for (const [key, text] of [["min", ind.min], ["max", ind.max]] as const) {
        if (text === undefined) continue;
        const v = X.parseExact(text)!;
        if (X.decimalPlaces(v) > decimals) add(`${path}.${key}`, `指标「${ind.code}」的${key === "min" ? "下限" : "上限"} ${text} 超过 ${decimals} 位小数`, `indicator '${ind.code}' has a ${key} of ${text}, more than ${decimals} decimals`);
        else if (!withinScaledBound(v, decimals)) {
          const limit = X.toDecimalText({ n: SCALED_BOUND, d: 10n ** BigInt(decimals) });
          add(`${path}.${key}`, `指标「${ind.code}」的${key === "min" ? "下限" : "上限"} ${text} 超出系统支持的范围（绝对值不超过 ${limit}）`, `indicator '${ind.code}' has a ${key} of ${text}, beyond the supported range (at most ${limit} in magnitude)`);
        }
      }
    }
    if (ind.kind === "choice" && new Set(ind.options.map((o) => o.code)).size !== ind.options.length) {
      add(path, `指标「${ind.code}」的选项代码重复`, `indicator '${ind.code}' has duplicate option codes`);
    }
    byCode.set(ind.code, ind);
  }
  const lookup = (code: string) => refType(byCode.get(code));

  const formulas = new Map<string, FormulaNode>();
  for (const ind of template.indicators) {
    if (ind.kind !== "derived") continue;
    const path = `indicators.${ind.code}.formula`;
    const node = compileExpr(ind.formula, "num", lookup, path, issues);
    if (!node) continue;
    // Derived figures are recomputed from summed inputs; only numbers sum, so only numbers feed them.
    const yesNo = formulaRefs(node).filter((r) => byCode.get(r.code)?.kind === "yesno");
    for (const r of yesNo) add(path, `派生指标只能引用数值指标，「${r.code}」是是/否指标（位置 ${r.pos + 1}）`, `a derived indicator can only use numeric indicators; '${r.code}' is yes/no (at position ${r.pos + 1})`);
    // a computed figure is drawn as a live formula and recomputed from summed figures at every level:
    // another period's figure has neither a cell nor a like-with-like sum yet, so only checks use them
    const other = formulaTimeRefs(node);
    for (const r of other) add(path, `派生指标的公式不能引用其他期的数据（位置 ${r.pos + 1}）：PREV、LASTYEAR、YTD 用于校验规则`, `a derived indicator's formula cannot use another period's figures (at position ${r.pos + 1}): PREV, LASTYEAR and YTD are for rules`);
    if (yesNo.length === 0 && other.length === 0) formulas.set(ind.code, node);
  }
  sameUnitsIssues(byCode, formulas, add);
  cumulativeIssues(template.periodType, byCode, add);
  const rules: CompiledRule[] = [];
  const timeRefs = new Set<TimeRef>();
  const ruleCodes = new Set<string>();
  for (const rule of template.rules) {
    if (ruleCodes.has(rule.code)) add(`rules.${rule.code}`, `规则代码「${rule.code}」重复`, `rule code '${rule.code}' is used twice`);
    ruleCodes.add(rule.code);
    const node = compileExpr(rule.expr, "bool", lookup, `rules.${rule.code}.expr`, issues);
    if (!node) continue;
    const timed = formulaTimeRefs(node);
    for (const r of timed) timeRefs.add(r.at);
    // the indicators it is about: this period's first, then those whose other periods it reads
    rules.push({ rule, node, refs: [...new Set([...formulaRefs(node).map((r) => r.code), ...timed.map((r) => r.code)])] });
  }
  const derivedOrder = orderDerived(formulas, issues);
  issues.push(...excelLimitIssues(template), ...excelFormulaIssues(formulas));
  issues.push(...valueSizeIssues(byCode, formulas, derivedOrder, rules.map((r) => ({ code: r.rule.code, node: r.node }))));
  if (template.indicators.length === 0) issues.push({ path: "indicators", message: { zh: "模板至少要有一个指标或一张表格", en: "a template needs at least one indicator or grid" } });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, compiled: { template, byCode, formulas, derivedOrder, rules, gridCells, timeRefs } };
}

/**
 * The pair a like-with-like (同比) figure compares: its formula reads one indicator x and its 上年同期
 * (the indicator whose lastYearOf is x), and nothing else; null for any other formula.
 */
export function likeWithLikePair(byCode: ReadonlyMap<string, Indicator>, node: FormulaNode): { code: string; lastYear: string } | null {
  const refs = [...new Set(formulaRefs(node).map((r) => r.code))];
  // the 上年同期 is a typed figure, or a computed one (a grid's 合计 in its 上年同期 column)
  const ly = refs.map((c) => byCode.get(c)).find((i) => (i?.kind === "count" || i?.kind === "amount" || i?.kind === "derived") && i.lastYearOf !== undefined);
  if (!ly || (ly.kind !== "count" && ly.kind !== "amount" && ly.kind !== "derived") || ly.lastYearOf === undefined) return null;
  return refs.every((c) => c === ly.code || c === ly.lastYearOf) && refs.includes(ly.lastYearOf) ? { code: ly.lastYearOf, lastYear: ly.code } : null;
}

/** 上年同期 of a count or amount of the same kind and decimals (one each); 同比 over one pair; no formula built on a 同比 figure. */
function sameUnitsIssues(byCode: ReadonlyMap<string, Indicator>, formulas: ReadonlyMap<string, FormulaNode>, add: (path: string, zh: string, en: string) => void): void {
  const pairedWith = new Map<string, string>();
  for (const ind of byCode.values()) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || ind.lastYearOf === undefined) continue;
    const of = byCode.get(ind.lastYearOf);
    const fits = of && of.kind === ind.kind && (of.kind !== "amount" || ind.kind !== "amount" || of.decimals === ind.decimals) && of.lastYearOf === undefined;
    if (!fits) add(`indicators.${ind.code}`, `指标「${ind.code}」是「${ind.lastYearOf}」的上年同期，但「${ind.lastYearOf}」不是同类型、同小数位的计数或金额指标`, `indicator '${ind.code}' is the same period last year of '${ind.lastYearOf}', which is not a count or amount of its kind and decimals`);
    else if (pairedWith.has(ind.lastYearOf)) add(`indicators.${ind.code}`, `指标「${ind.lastYearOf}」已有上年同期「${pairedWith.get(ind.lastYearOf)}」`, `indicator '${ind.lastYearOf}' already has '${pairedWith.get(ind.lastYearOf)}' as its same period last year`);
    else pairedWith.set(ind.lastYearOf, ind.code);
  }
  for (const ind of byCode.values()) {
    if (ind.kind !== "derived" || ind.lastYearOf === undefined) continue;
    const of = byCode.get(ind.lastYearOf);
    const fits = of?.kind === "derived" && of.decimals === ind.decimals && of.lastYearOf === undefined && !of.likeWithLike && !ind.likeWithLike;
    if (!fits) add(`indicators.${ind.code}`, `计算指标「${ind.code}」是「${ind.lastYearOf}」的上年同期，但「${ind.lastYearOf}」不是同小数位的计算指标`, `computed indicator '${ind.code}' is the same period last year of '${ind.lastYearOf}', which is not a computed indicator of its decimals`);
    else if (pairedWith.has(ind.lastYearOf)) add(`indicators.${ind.code}`, `指标「${ind.lastYearOf}」已有上年同期「${pairedWith.get(ind.lastYearOf)}」`, `indicator '${ind.lastYearOf}' already has '${pairedWith.get(ind.lastYearOf)}' as its same period last year`);
    else pairedWith.set(ind.lastYearOf, ind.code);
  }
  for (const [code, node] of formulas) {
    const ind = byCode.get(code);
    if (ind?.kind !== "derived") continue;
    if (ind.likeWithLike && !likeWithLikePair(byCode, node)) add(`indicators.${code}.formula`, `同比指标「${code}」的公式只能用一个指标和它的上年同期`, `the like-with-like figure '${code}' can only use one indicator and its same period last year`);
    const onYoy = formulaRefs(node).find((r) => { const d = byCode.get(r.code); return d?.kind === "derived" && d.likeWithLike === true; });
    if (!ind.likeWithLike && onYoy) add(`indicators.${code}.formula`, `计算指标不能引用同比指标「${onYoy.code}」（位置 ${onYoy.pos + 1}）：同比按两期都有数据的单位汇总，不能再参与其他计算`, `a derived indicator cannot use the like-with-like figure '${onYoy.code}' (at position ${onYoy.pos + 1}): it is totalled over the units with both periods and cannot feed another formula`);
  }
}

/** 本年累计 of a count or amount of the same kind and decimals (one each), in a report of periods within a year. */
function cumulativeIssues(periodType: string, byCode: ReadonlyMap<string, Indicator>, add: (path: string, zh: string, en: string) => void): void {
  const of = new Map<string, string>();
  for (const ind of byCode.values()) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || ind.cumulativeOf === undefined) continue;
    const x = byCode.get(ind.cumulativeOf);
    const fits = x && x.kind === ind.kind && (x.kind !== "amount" || ind.kind !== "amount" || x.decimals === ind.decimals) && x.cumulativeOf === undefined && x.lastYearOf === undefined;
    if (periodType === "annual") add(`indicators.${ind.code}`, `指标「${ind.code}」是本年累计，但年报没有本年累计`, `indicator '${ind.code}' is a year to date, which an annual report does not have`);
    else if (!fits) add(`indicators.${ind.code}`, `指标「${ind.code}」是「${ind.cumulativeOf}」的本年累计，但「${ind.cumulativeOf}」不是同类型、同小数位的计数或金额指标`, `indicator '${ind.code}' is the year to date of '${ind.cumulativeOf}', which is not a count or amount of its kind and decimals`);
    else if (of.has(ind.cumulativeOf)) add(`indicators.${ind.code}`, `指标「${ind.cumulativeOf}」已有本年累计「${of.get(ind.cumulativeOf)}」`, `indicator '${ind.cumulativeOf}' already has '${of.get(ind.cumulativeOf)}' as its year to date`);
    else of.set(ind.cumulativeOf, ind.code);
  }
}

function compileExpr(
  source: string, want: FormulaType, lookup: (c: string) => FormulaType | "text" | undefined,
  path: string, issues: TemplateIssue[],
): FormulaNode | null {
  const parsed = parseFormula(source);
  if (!parsed.ok) { issues.push({ path, message: parsed.error.message }); return null; }
  const checked = checkFormula(parsed.node, lookup);
  if ("errors" in checked) { checked.errors.forEach((e) => issues.push({ path, message: e.message })); return null; }
  if (checked.type !== want) {
    issues.push({ path, message: want === "num"
      ? { zh: "派生指标的公式必须得出数值", en: "a derived indicator's formula must give a number" }
      : { zh: "规则必须得出是/否（例如 a <= b）", en: "a rule must give yes/no (for example a <= b)" } });
    return null;
  }
  return parsed.node;
}

/** Topological order of derived indicators; a cycle is reported with the codes on it. */
function orderDerived(formulas: Map<string, FormulaNode>, issues: TemplateIssue[]): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (code: string, trail: string[]): void => {
    const s = state.get(code);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(code)), code].join(" → ");
      issues.push({ path: `indicators.${code}.formula`, message: { zh: `公式循环引用：${cycle}`, en: `formulas refer to each other in a cycle: ${cycle}` } });
      return;
    }
    state.set(code, "visiting");
    for (const { code: dep } of formulaRefs(formulas.get(code)!)) {
      if (formulas.has(dep)) visit(dep, [...trail, code]);
    }
    state.set(code, "done");
    order.push(code);
  };
  for (const code of formulas.keys()) visit(code, []);
  return order;
}
