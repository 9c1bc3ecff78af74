import { formulaError, type FormulaError } from "./errors";

export type Token =
  | { kind: "number"; text: string; pos: number }
  | { kind: "ident"; text: string; pos: number }
  | { kind: "op"; text: string; pos: number }
  | { kind: "eof"; text: ""; pos: number };

// Longest first, so "<=" wins over "<". × and ÷ are accepted as officials type them.
const OPERATORS = ["<=", ">=", "<>", "!=", "+", "-", "*", "/", "×", "÷", "=", "<", ">", "(", ")", ","];
const CANONICAL: Record<string, string> = { "×": "*", "÷": "/", "!=": "<>" };

/** Splits formula text into tokens, or reports the first character that cannot start one. */
export function tokenize(source: string): { tokens: Token[] } | { error: FormulaError } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: "number", text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (ident) {
      tokens.push({ kind: "ident", text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", text: CANONICAL[op] ?? op, pos: i });
      i += op.length;
      continue;
    }
    return { error: formulaError("formula.syntax", i, `无法识别的字符「${ch}」`, `unexpected character '${ch}'`) };
  }
  tokens.push({ kind: "eof", text: "", pos: source.length });
  return { tokens };
}
