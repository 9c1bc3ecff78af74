import { formulaRefs, type FormulaNode } from "./ast";
import { formulaError, type FormulaError } from "./errors";

/** What a formula value is: a number, or a yes/no. */
export type FormulaType = "num" | "bool";

/** How the checker sees an indicator code: its value type, or `undefined` when no such indicator. */
export type RefTypeLookup = (code: string) => FormulaType | "text" | undefined;

const ARITY: Record<string, [number, number]> = {
  SUM: [1, 255], MIN: [1, 255], MAX: [1, 255], ABS: [1, 1], IF: [3, 3], ROUND: [2, 2], SUMREPORTED: [1, 255],
};

/**
 * Checks a parsed formula: every code exists and can be computed with, arities and types agree.
 * Returns the formula's type, or every error found (each with its position).
 */
export function checkFormula(node: FormulaNode, lookup: RefTypeLookup): { type: FormulaType } | { errors: FormulaError[] } {
  const errors: FormulaError[] = [];
  const typeOf = (n: FormulaNode): FormulaType | null => {
    switch (n.type) {
      case "number": return "num";
      case "bool": return "bool";
      case "ref": {
        const t = lookup(n.code);
        if (t === undefined) {
          errors.push(formulaError("formula.unknown_ref", n.pos, `没有代码为「${n.code}」的指标`, `no indicator has the code '${n.code}'`));
          return null;
        }
        if (t === "text") {
          errors.push(formulaError("formula.type", n.pos, `文本或选项指标「${n.code}」不能参与计算`, `text or choice indicator '${n.code}' cannot be used in a formula`));
          return null;
        }
        if (n.at === "ytd" && t === "bool") {
          errors.push(formulaError("formula.type", n.pos, `是/否指标「${n.code}」不能累计（YTD 只用于数值）`, `yes/no indicator '${n.code}' cannot be summed over the year (YTD takes numbers)`));
          return null;
        }
        return t;
      }
      case "neg": return expect(n.arg, "num");
      case "not": return expect(n.arg, "bool");
      case "binary": {
        if (n.op === "and" || n.op === "or") { expect(n.left, "bool"); expect(n.right, "bool"); return "bool"; }
        if (["+", "-", "*", "/"].includes(n.op)) { expect(n.left, "num"); expect(n.right, "num"); return "num"; }
        const l = typeOf(n.left);
        const r = typeOf(n.right);
        if (l && r && l !== r) {
          errors.push(formulaError("formula.type", n.pos, "比较的两边类型不同（数值与是/否）", "both sides of a comparison must be numbers, or both yes/no"));
        }
        if ((l === "bool" || r === "bool") && n.op !== "=" && n.op !== "<>") {
          errors.push(formulaError("formula.type", n.pos, "是/否只能用 = 或 <> 比较", "yes/no values can only be compared with = or <>"));
        }
        return "bool";
      }
      case "call": {
        const [min, max] = ARITY[n.fn]!;
        if (n.args.length < min || n.args.length > max) {
          errors.push(formulaError("formula.arity", n.pos,
            `${n.fn} 需要 ${min === max ? min : `${min} 至 ${max}`} 个参数，实际 ${n.args.length} 个`,
            `${n.fn} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${n.args.length}`));
          n.args.forEach(typeOf);
          return n.fn === "IF" ? null : "num";
        }
        if (n.fn === "IF") {
          expect(n.args[0]!, "bool");
          const a = typeOf(n.args[1]!);
          const b = typeOf(n.args[2]!);
          if (a && b && a !== b) {
            errors.push(formulaError("formula.type", n.pos, "IF 的两个结果类型必须相同", "both results of IF must have the same type"));
          }
          return a ?? b;
        }
        if (n.fn === "SUMREPORTED") {
          for (const a of n.args) {
            if (a.type !== "ref" || a.at) errors.push(formulaError("formula.syntax", a.pos, "SUMREPORTED 的参数只能是本期的指标代码", "SUMREPORTED takes this period's indicator codes only"));
          }
        }
        n.args.forEach((a) => expect(a, "num"));
        return "num";
      }
    }
  };
  const expect = (n: FormulaNode, want: FormulaType): FormulaType => {
    const got = typeOf(n);
    if (got && got !== want) {
      errors.push(formulaError("formula.type", n.pos,
        want === "num" ? "此处需要数值，却是是/否" : "此处需要是/否（条件），却是数值",
        want === "num" ? "a number is needed here, not a yes/no" : "a yes/no condition is needed here, not a number"));
    }
    return want;
  };
  const type = typeOf(node);
  if (errors.length > 0 || type === null) return { errors };
  return { type };
}

export { formulaRefs };
