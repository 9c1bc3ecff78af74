import { renderExcelFormula, type FormulaNode } from "../formula";
import { EXCEL_LIMITS } from "./excel-limits";
import type { TemplateIssue } from "./template-issue";

/**
 * The longest cell address a rendered formula can hold: column XFD is Excel's last, and no sheet of
 * ours puts a formula's input below row 9,999 (a template has at most 1,000 indicators and 50
 * sections; the totals sheet has a column per unit, so its columns may run to three letters).
 * Rendering with it gives a formula at least as long as any sheet will carry.
 */
const WIDEST_CELL = "XFD9999";

/** What Excel counts in a formula's text: its length, the most arguments of one call, the deepest nesting of calls. */
export interface ExcelFormulaShape {
  length: number;
  widest: { fn: string; args: number };
  depth: number;
}

/** Measures a rendered formula as Excel counts it; text in quotes ("" and "是") is skipped. */
export function excelFormulaShape(formula: string): ExcelFormulaShape {
  const open: { fn: string | null; args: number }[] = [];
  let depth = 0;
  let deepest = 0;
  let widest = { fn: "", args: 0 };
  let quoted = false;
  for (let i = 0; i < formula.length; i++) {
    const ch = formula[i]!;
    if (ch === '"') quoted = !quoted; // Excel doubles a quote inside text, which toggles twice
    if (quoted || ch === '"') continue;
    if (ch === "(") {
      let start = i;
      while (start > 0 && /[A-Za-z0-9_.]/.test(formula[start - 1]!)) start--;
      const fn = /^[A-Za-z]/.test(formula.slice(start, i)) ? formula.slice(start, i) : null;
      open.push({ fn, args: 1 });
      if (fn) deepest = Math.max(deepest, ++depth);
    } else if (ch === "," && open.length > 0) {
      open[open.length - 1]!.args++;
    } else if (ch === ")") {
      const call = open.pop();
      if (call?.fn) {
        depth--;
        if (call.args > widest.args) widest = { fn: call.fn, args: call.args };
      }
    }
  }
  return { length: formula.length, widest, depth: deepest };
}

/**
 * Renders every derived indicator's formula as the sheets will and refuses one Excel would not open,
 * on the indicator's formula. The blank check adds a level (IF) and an argument of OR per indicator
 * read, and the error check another level (IFERROR), so the limits bite before the language's own.
 */
export function excelFormulaIssues(formulas: ReadonlyMap<string, FormulaNode>): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const [code, node] of formulas) {
    const shape = excelFormulaShape(renderExcelFormula(node, () => ({ cell: WIDEST_CELL })));
    const add = (zh: string, en: string): void => {
      issues.push({ path: `indicators.${code}.formula`, message: { zh: `指标「${code}」的公式在 Excel 中${zh}`, en: `indicator '${code}': in Excel its formula ${en}` } });
    };
    const { functionArguments: maxArgs, functionNesting: maxDepth, formulaLength: maxLength } = EXCEL_LIMITS;
    if (shape.widest.args > maxArgs) {
      add(`会有 ${shape.widest.args} 个参数的 ${shape.widest.fn}(…)（空值判断为公式引用的每个指标各占一个），超过 Excel 每个函数 ${maxArgs} 个参数的上限；请减少公式引用的指标，或拆成几个计算指标`,
        `would give ${shape.widest.fn}(…) ${shape.widest.args} arguments (the blank check takes one per indicator the formula reads), over Excel's limit of ${maxArgs} per function; read fewer indicators or split it into several computed indicators`);
    }
    if (shape.depth > maxDepth) {
      add(`会嵌套 ${shape.depth} 层函数（含空值判断和出错判断的 2 层），超过 Excel 的 ${maxDepth} 层上限；请减少函数嵌套`,
        `would nest functions ${shape.depth} levels deep (2 of them the blank and error checks), over Excel's limit of ${maxDepth}; nest fewer functions`);
    }
    if (shape.length > maxLength) {
      add(`最长可达 ${shape.length} 个字符，超过 Excel 公式 ${maxLength} 个字符的上限；请简化公式，或拆成几个计算指标`,
        `can reach ${shape.length} characters, over Excel's limit of ${maxLength} for a formula; simplify it or split it into several computed indicators`);
    }
  }
  return issues;
}
