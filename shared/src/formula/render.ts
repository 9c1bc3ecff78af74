import { TIME_FUNCTIONS, blankingRefs, type FormulaNode, type TimeRef } from "./ast";

const TIME_NAME = Object.fromEntries(Object.entries(TIME_FUNCTIONS).map(([name, at]) => [at, name])) as Record<TimeRef, string>;

const PRECEDENCE: Record<string, number> = {
  or: 1, and: 2, "=": 4, "<>": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6,
};

/** Canonical text of a formula. Parsing it again gives the same tree. */
export function formatFormula(node: FormulaNode): string {
  switch (node.type) {
    case "number": return node.text;
    case "bool": return node.value ? "TRUE" : "FALSE";
    case "ref": return node.at ? `${TIME_NAME[node.at]}(${node.code})` : node.code;
    case "neg": return `-${wrapUnary(node.arg, formatFormula)}`;
    case "not": return `NOT ${wrapUnary(node.arg, formatFormula)}`;
    case "call": return `${node.fn}(${node.args.map(formatFormula).join(", ")})`;
    case "binary": {
      const op = node.op === "and" ? "AND" : node.op === "or" ? "OR" : node.op;
      return `${wrapOperand(node.left, formatFormula)} ${op} ${wrapOperand(node.right, formatFormula)}`;
    }
  }
}

// Every nested binary operand gets parentheses: the tree's shape survives any renderer's precedence.
const wrapOperand = (n: FormulaNode, f: (n: FormulaNode) => string): string =>
  n.type === "binary" && PRECEDENCE[n.op] !== undefined ? `(${f(n)})` : f(n);
const wrapUnary = (n: FormulaNode, f: (n: FormulaNode) => string): string =>
  n.type === "binary" || n.type === "neg" || n.type === "not" ? `(${f(n)})` : f(n);

/** How a reference appears in Excel: a cell address, and whether it holds 是/否 text. */
export interface ExcelRef {
  cell: string;
  yesNo?: boolean;
}

/**
 * Renders a formula as an Excel cell formula over the cells where its indicators sit.
 * Blank inputs give a blank cell (not 0) and a division by zero gives a blank cell, so the
 * sheet shows exactly what `evaluateFormula` computes.
 */
export function renderExcelFormula(node: FormulaNode, refCell: (code: string) => ExcelRef): string {
  const body = renderExcelExpr(node, refCell);
  const cells = blankingRefs(node).map(({ code }) => refCell(code).cell);
  const guarded = `IFERROR(${body},"")`;
  if (cells.length === 0) return `=${guarded}`;
  return `=IF(OR(${cells.map((c) => `${c}=""`).join(",")}),"",${guarded})`;
}

/** The bare Excel expression, without the blank and error guards. */
export function renderExcelExpr(node: FormulaNode, refCell: (code: string) => ExcelRef): string {
  const r = (n: FormulaNode): string => renderExcelExpr(n, refCell);
  switch (node.type) {
    case "number": return node.text;
    case "bool": return node.value ? "TRUE" : "FALSE";
    case "ref": {
      // a sheet holds this period's figures only: another period's is never drawn as this period's cell
      if (node.at) throw new Error(`${TIME_NAME[node.at]}(${node.code}) has no cell on a fill sheet`);
      const ref = refCell(node.code);
      return ref.yesNo ? `(${ref.cell}="是")` : ref.cell;
    }
    case "neg": return `-${wrapUnary(node.arg, r)}`;
    case "not": return `NOT(${r(node.arg)})`;
    case "call": {
      const args = node.args.map(r).join(",");
      // Excel's SUM skips blanks already; only "none reported" needs saying
      return node.fn === "SUMREPORTED" ? `IF(COUNT(${args})=0,"",SUM(${args}))` : `${node.fn}(${args})`;
    }
    case "binary":
      if (node.op === "and" || node.op === "or") return logicalCall(node.op === "and" ? "AND" : "OR", operandsOf(node, node.op).map(r));
      return `${wrapOperand(node.left, r)}${node.op}${wrapOperand(node.right, r)}`;
  }
}

/**
 * The parser folds `AND(a, b, c)` and `a AND b AND c` into nested pairs; Excel gets them back as one
 * AND(a,b,c), since every nested call is a level of Excel's 64 and a long condition would pass them.
 */
function operandsOf(node: FormulaNode, op: "and" | "or"): FormulaNode[] {
  return node.type === "binary" && node.op === op ? [...operandsOf(node.left, op), ...operandsOf(node.right, op)] : [node];
}

// Excel takes at most 255 arguments in a function ("Excel specifications and limits",
// https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3);
// more conditions than that are grouped into AND(AND(…255),AND(…)), which means the same.
const MAX_ARGUMENTS = 255;
function logicalCall(fn: "AND" | "OR", parts: string[]): string {
  if (parts.length <= MAX_ARGUMENTS) return `${fn}(${parts.join(",")})`;
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += MAX_ARGUMENTS) groups.push(`${fn}(${parts.slice(i, i + MAX_ARGUMENTS).join(",")})`);
  return logicalCall(fn, groups);
}
