import * as X from "../exact/exact";
import { BOOL_SIZE, VALUE_BITS, formulaSteps, sizeBound, type FormulaNode, type SizeBound } from "../formula";
import { MAX_EXPECTED_UNITS, SCALED_BOUND } from "../validation/number";
import type { Indicator } from "../schemas/template";
import type { TemplateIssue } from "./template-issue";

/**
 * What a formula can read: one unit's figure or a total over at most MAX_EXPECTED_UNITS units, so
 * |scaled value| ≤ 5,000 × 10^15 < 2^63, over 10^decimals. An amount is bounded at 6 decimals, not
 * its own: a previous period's figure may come from a version with more.
 */
const INPUT_BITS = X.bitLength(SCALED_BOUND * BigInt(MAX_EXPECTED_UNITS));
function inputSize(ind: Indicator | undefined): SizeBound {
  if (ind?.kind === "yesno") return BOOL_SIZE;
  return { mag: INPUT_BITS, num: INPUT_BITS, k: ind?.kind === "count" ? 0 : 6, o: 0 };
}

const decimalDigits = (bits: number): number => Math.ceil(bits * Math.log10(2));

function tooLarge(path: string, zh: string, en: string, bits: number): TemplateIssue {
  return { path, message: {
    zh: `${zh}：计算结果或中间结果的精确值（分子或分母）可达 ${bits} 位二进制（约 ${decimalDigits(bits)} 位数字），超过 ${VALUE_BITS} 位二进制（约 ${decimalDigits(VALUE_BITS)} 位数字）的上限。连乘、连除和引用其他计算指标会使位数成倍增长；请减少连乘连除，或先用 ROUND(…, 小数位) 对中间结果取整`,
    en: `${en}: the exact value of its result or of a step on the way (numerator or denominator) can reach ${bits} binary digits (about ${decimalDigits(bits)} digits), over the limit of ${VALUE_BITS} (about ${decimalDigits(VALUE_BITS)} digits). Chained multiplication, division and computed indicators multiply the digits; use fewer factors, or ROUND(…, decimals) an intermediate result first`,
  } };
}

/**
 * Refuses a derived formula or a rule whose exact values can outgrow VALUE_BITS, on the formula that
 * does: bounds are propagated from the inputs' domain through every derived indicator in evaluation
 * order, so a chain (d2 = d1 * d1) is judged with what d1 can really be.
 */
export function valueSizeIssues(
  byCode: ReadonlyMap<string, Indicator>, formulas: ReadonlyMap<string, FormulaNode>,
  order: readonly string[], rules: readonly { code: string; node: FormulaNode }[],
): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const sizes = new Map<string, SizeBound>();
  const refSize = (code: string): SizeBound => sizes.get(code) ?? inputSize(byCode.get(code));
  for (const code of order) {
    const { size, largest } = sizeBound(formulas.get(code)!, refSize);
    sizes.set(code, size);
    if (largest > VALUE_BITS) issues.push(tooLarge(`indicators.${code}.formula`, `指标「${code}」的公式`, `indicator '${code}'`, largest));
  }
  for (const rule of rules) {
    const { largest } = sizeBound(rule.node, refSize);
    if (largest > VALUE_BITS) issues.push(tooLarge(`rules.${rule.code}.expr`, `校验规则「${rule.code}」的表达式`, `rule '${rule.code}'`, largest));
  }
  const tooMany = stepsIssue([...order.map((code) => ({ path: `indicators.${code}.formula`, zh: `指标「${code}」`, en: `indicator '${code}'`, node: formulas.get(code)! })),
    ...rules.map((r) => ({ path: `rules.${r.code}.expr`, zh: `校验规则「${r.code}」`, en: `rule '${r.code}'`, node: r.node }))]);
  return tooMany ? [...issues, tooMany] : issues;
}

/**
 * Every read of a round (a submission, an inbox, each column of totals) evaluates every formula of the
 * template, and a unit's totals evaluate it once per child row, so their steps together are bounded
 * too: 1,000 rates take 5,000; 10,000 steps on values near the size budget take a few ms (50,000 made
 * a unit with 1,000 children cost ~14 s a read: the fourth attack). Refused on the longest formula.
 */
export const MAX_TEMPLATE_STEPS = 10_000;

function stepsIssue(all: { path: string; zh: string; en: string; node: FormulaNode }[]): TemplateIssue | null {
  const sized = all.map((f) => ({ ...f, steps: formulaSteps(f.node) }));
  const total = sized.reduce((t, f) => t + f.steps, 0);
  if (total <= MAX_TEMPLATE_STEPS) return null;
  const longest = sized.reduce((a, b) => (b.steps > a.steps ? b : a));
  return { path: longest.path, message: {
    zh: `${longest.zh}：模板全部公式和校验规则合计 ${total} 个运算项（指标、数字和运算符各算一个），超过 ${MAX_TEMPLATE_STEPS} 的上限；每次读取都要全部计算。本公式最长（${longest.steps} 个），请先精简它`,
    en: `${longest.en}: the template's formulas and rules hold ${total} terms in all (each indicator, number and operator counts one), over the limit of ${MAX_TEMPLATE_STEPS}, and every read computes them all; this one is the longest (${longest.steps}): shorten it first`,
  } };
}
