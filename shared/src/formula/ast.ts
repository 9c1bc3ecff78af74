/** Syntax tree of the formula language. `pos` is the 0-based offset of the node in the source. */
export type BinaryOp = "+" | "-" | "*" | "/" | "=" | "<>" | "<" | "<=" | ">" | ">=" | "and" | "or";

export type FormulaNode =
  | { type: "number"; text: string; pos: number }
  | { type: "bool"; value: boolean; pos: number }
  | { type: "ref"; code: string; pos: number }
  | { type: "neg"; arg: FormulaNode; pos: number }
  | { type: "not"; arg: FormulaNode; pos: number }
  | { type: "binary"; op: BinaryOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { type: "call"; fn: FunctionName; args: FormulaNode[]; pos: number };

export const FUNCTIONS = ["SUM", "MIN", "MAX", "ABS", "IF", "ROUND"] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Words reserved by the language; an indicator cannot be named after one. */
export const KEYWORDS = ["AND", "OR", "NOT", "TRUE", "FALSE"] as const;

/** Every indicator code the formula reads, each once, in order of first appearance. */
export function formulaRefs(node: FormulaNode): { code: string; pos: number }[] {
  const out: { code: string; pos: number }[] = [];
  const seen = new Set<string>();
  const walk = (n: FormulaNode): void => {
    switch (n.type) {
      case "ref":
        if (!seen.has(n.code)) { seen.add(n.code); out.push({ code: n.code, pos: n.pos }); }
        return;
      case "neg": case "not": return walk(n.arg);
      case "binary": walk(n.left); walk(n.right); return;
      case "call": n.args.forEach(walk); return;
      default: return;
    }
  };
  walk(node);
  return out;
}
