/** Syntax tree of the formula language. `pos` is the 0-based offset of the node in the source. */
export type BinaryOp = "+" | "-" | "*" | "/" | "=" | "<>" | "<" | "<=" | ">" | ">=" | "and" | "or";

export type FormulaNode =
  | { type: "number"; text: string; pos: number }
  | { type: "bool"; value: boolean; pos: number }
  /** An indicator's figure: this period's, or (`at`) the same unit's in another period of the same template (issue 24). */
  | { type: "ref"; code: string; pos: number; at?: TimeRef }
  | { type: "neg"; arg: FormulaNode; pos: number }
  | { type: "not"; arg: FormulaNode; pos: number }
  | { type: "binary"; op: BinaryOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { type: "call"; fn: FunctionName; args: FormulaNode[]; pos: number };

/**
 * SUMREPORTED(a, b, …): the sum of those of its figures that were reported, blank only when none was
 * (a 合计 over rows a unit may leave blank); every other function is blank when any input is.
 */
export const FUNCTIONS = ["SUM", "MIN", "MAX", "ABS", "IF", "ROUND", "SUMREPORTED"] as const;

/**
 * Figures of other periods, each a function of one indicator code (issue 24):
 * PREV(x) 上期 — the period just before (2025-03 → 2025-02, 2025Q1 → 2024Q4, 2025 → 2024);
 * LASTYEAR(x) 上年同期 — the same period a year before (2025-03 → 2024-03);
 * YTD(x) 本年累计 — this period's figure plus every earlier period's of this year (2025-03: Jan + Feb + Mar).
 * Only approved figures count; a period without them is blank (never 0), and so is anything computed from it.
 */
export const TIME_FUNCTIONS = { PREV: "prev", LASTYEAR: "lastyear", YTD: "ytd" } as const;
export type TimeRef = (typeof TIME_FUNCTIONS)[keyof typeof TIME_FUNCTIONS];
export type FunctionName = (typeof FUNCTIONS)[number];

/** Words reserved by the language; an indicator cannot be named after one. */
export const KEYWORDS = ["AND", "OR", "NOT", "TRUE", "FALSE"] as const;

/** Every indicator code the formula reads in this period, each once, in order of first appearance (not PREV/LASTYEAR/YTD's). */
export function formulaRefs(node: FormulaNode): { code: string; pos: number }[] {
  return refsOf(node, false).map(({ code, pos }) => ({ code, pos }));
}

/** Every figure of another period the formula reads (PREV, LASTYEAR, YTD), each once. */
export function formulaTimeRefs(node: FormulaNode): { code: string; at: TimeRef; pos: number }[] {
  return refsOf(node, true).map(({ code, at, pos }) => ({ code, at: at!, pos }));
}

function refsOf(node: FormulaNode, time: boolean): { code: string; at?: TimeRef; pos: number }[] {
  const out: { code: string; at?: TimeRef; pos: number }[] = [];
  const seen = new Set<string>();
  const walk = (n: FormulaNode): void => {
    switch (n.type) {
      case "ref": {
        if ((n.at !== undefined) !== time) return;
        const key = `${n.at ?? ""}:${n.code}`;
        if (!seen.has(key)) { seen.add(key); out.push({ code: n.code, ...(n.at ? { at: n.at } : {}), pos: n.pos }); }
        return;
      }
      case "neg": case "not": return walk(n.arg);
      case "binary": walk(n.left); walk(n.right); return;
      case "call": n.args.forEach(walk); return;
      default: return;
    }
  };
  walk(node);
  return out;
}

/** The codes whose blank makes the whole formula blank: every this-period figure but SUMREPORTED's own arguments. */
export function blankingRefs(node: FormulaNode): { code: string; pos: number }[] {
  const skipped = new Set<FormulaNode>();
  const walk = (n: FormulaNode): void => {
    if (n.type === "call" && n.fn === "SUMREPORTED") n.args.forEach((a) => skipped.add(a));
    if (n.type === "neg" || n.type === "not") walk(n.arg);
    if (n.type === "binary") { walk(n.left); walk(n.right); }
    if (n.type === "call") n.args.forEach(walk);
  };
  walk(node);
  const out: { code: string; pos: number }[] = [];
  const seen = new Set<string>();
  const visit = (n: FormulaNode): void => {
    if (n.type === "ref" && !n.at && !skipped.has(n) && !seen.has(n.code)) { seen.add(n.code); out.push({ code: n.code, pos: n.pos }); }
    if (n.type === "neg" || n.type === "not") visit(n.arg);
    if (n.type === "binary") { visit(n.left); visit(n.right); }
    if (n.type === "call") n.args.forEach(visit);
  };
  visit(node);
  return out;
}
