import { FUNCTIONS, TIME_FUNCTIONS, type BinaryOp, type FormulaNode, type FunctionName, type TimeRef } from "./ast";
import { formulaError, type FormulaError } from "./errors";
import { tokenize, type Token } from "./lexer";

export type ParseResult = { ok: true; node: FormulaNode } | { ok: false; error: FormulaError };

const MAX_DEPTH = 64;
const COMPARISONS = new Set(["=", "<>", "<", "<=", ">", ">="]);

class Failure {
  constructor(readonly error: FormulaError) {}
}

/** Parses formula text into a tree. One parser, no eval; errors carry the offending position. */
export function parseFormula(source: string): ParseResult {
  const lexed = tokenize(source);
  if ("error" in lexed) return { ok: false, error: lexed.error };
  const tokens = lexed.tokens;
  let at = 0;
  let depth = 0;

  const peek = (): Token => tokens[at]!;
  const next = (): Token => tokens[at++]!;
  const isWord = (t: Token, word: string): boolean => t.kind === "ident" && t.text.toUpperCase() === word;
  const isOp = (t: Token, op: string): boolean => t.kind === "op" && t.text === op;
  const fail = (t: Token, zh: string, en: string): never => {
    throw new Failure(formulaError("formula.syntax", t.pos, zh, en));
  };
  const describe = (t: Token): string => (t.kind === "eof" ? "end" : `'${t.text}'`);
  const describeZh = (t: Token): string => (t.kind === "eof" ? "结尾" : `「${t.text}」`);

  const nested = <T>(t: Token, f: () => T): T => {
    if (++depth > MAX_DEPTH) fail(t, "嵌套层数过多", "formula is nested too deeply");
    try { return f(); } finally { depth--; }
  };

  const parseOr = (): FormulaNode => {
    let left = parseAnd();
    while (isWord(peek(), "OR")) {
      const t = next();
      left = { type: "binary", op: "or", left, right: parseAnd(), pos: t.pos };
    }
    return left;
  };
  const parseAnd = (): FormulaNode => {
    let left = parseNot();
    while (isWord(peek(), "AND")) {
      const t = next();
      left = { type: "binary", op: "and", left, right: parseNot(), pos: t.pos };
    }
    return left;
  };
  const parseNot = (): FormulaNode => {
    const t = peek();
    if (isWord(t, "NOT")) {
      next();
      return nested(t, () => ({ type: "not", arg: parseNot(), pos: t.pos }));
    }
    return parseComparison();
  };
  const parseComparison = (): FormulaNode => {
    const left = parseAdditive();
    const t = peek();
    if (t.kind !== "op" || !COMPARISONS.has(t.text)) return left;
    next();
    const node: FormulaNode = { type: "binary", op: t.text as BinaryOp, left, right: parseAdditive(), pos: t.pos };
    const after = peek();
    if (after.kind === "op" && COMPARISONS.has(after.text)) {
      fail(after, "比较不能连写，请用 AND 连接", "comparisons cannot be chained; join them with AND");
    }
    return node;
  };
  const parseAdditive = (): FormulaNode => {
    let left = parseMultiplicative();
    while (isOp(peek(), "+") || isOp(peek(), "-")) {
      const t = next();
      left = { type: "binary", op: t.text as BinaryOp, left, right: parseMultiplicative(), pos: t.pos };
    }
    return left;
  };
  const parseMultiplicative = (): FormulaNode => {
    let left = parseUnary();
    while (isOp(peek(), "*") || isOp(peek(), "/")) {
      const t = next();
      left = { type: "binary", op: t.text as BinaryOp, left, right: parseUnary(), pos: t.pos };
    }
    return left;
  };
  const parseUnary = (): FormulaNode => {
    const t = peek();
    if (isOp(t, "-")) {
      next();
      return nested(t, () => ({ type: "neg", arg: parseUnary(), pos: t.pos }));
    }
    if (isOp(t, "+")) {
      next();
      return nested(t, parseUnary);
    }
    return parsePrimary();
  };
  // PREV(x), LASTYEAR(x), YTD(x): one indicator code, nothing computed (a period's figure, not an expression's)
  const parseTimeRef = (name: Token, at: TimeRef): FormulaNode => {
    next(); // "("
    const code = next();
    const close = next();
    if (code.kind !== "ident" || !isOp(close, ")")) {
      fail(code.kind !== "ident" ? code : close, `${name.text.toUpperCase()} 的参数只能是一个指标代码，例如 ${name.text.toUpperCase()}(products)`, `${name.text.toUpperCase()} takes one indicator code, e.g. ${name.text.toUpperCase()}(products)`);
    }
    return { type: "ref", code: code.text, pos: code.pos, at };
  };
  const parseCall = (name: Token): FormulaNode => {
    const fn = name.text.toUpperCase();
    const at = Object.hasOwn(TIME_FUNCTIONS, fn) ? TIME_FUNCTIONS[fn as keyof typeof TIME_FUNCTIONS] : undefined;
    if (at) return parseTimeRef(name, at);
    if (!(FUNCTIONS as readonly string[]).includes(fn)) {
      const all = [...FUNCTIONS, ...Object.keys(TIME_FUNCTIONS)];
      throw new Failure(formulaError("formula.unknown_function", name.pos,
        `未知函数「${name.text}」，可用：${all.join("、")}`,
        `unknown function '${name.text}'; available: ${all.join(", ")}`));
    }
    next(); // "("
    const args: FormulaNode[] = [];
    if (!isOp(peek(), ")")) {
      for (;;) {
        args.push(parseOr());
        if (!isOp(peek(), ",")) break;
        next();
      }
    }
    const close = next();
    if (!isOp(close, ")")) fail(close, `此处应为「)」，却是${describeZh(close)}`, `expected ')' but found ${describe(close)}`);
    return { type: "call", fn: fn as FunctionName, args, pos: name.pos };
  };
  // Excel-style AND(a, b, …) / OR(a, b, …), folded into the same tree as `a AND b`.
  const parseLogicalCall = (name: Token): FormulaNode => {
    next(); // "("
    const args = [parseOr()];
    while (isOp(peek(), ",")) { next(); args.push(parseOr()); }
    const close = next();
    if (!isOp(close, ")")) fail(close, `此处应为「)」，却是${describeZh(close)}`, `expected ')' but found ${describe(close)}`);
    const op: BinaryOp = name.text.toUpperCase() === "AND" ? "and" : "or";
    return args.reduce((left, right) => ({ type: "binary", op, left, right, pos: name.pos }));
  };
  const parsePrimary = (): FormulaNode => {
    const t = next();
    if (t.kind === "number") return { type: "number", text: t.text, pos: t.pos };
    if (t.kind === "ident") {
      const upper = t.text.toUpperCase();
      if (isOp(peek(), "(") && (upper === "AND" || upper === "OR")) return nested(t, () => parseLogicalCall(t));
      if (isOp(peek(), "(")) return nested(t, () => parseCall(t));
      if (upper === "TRUE" || upper === "FALSE") return { type: "bool", value: upper === "TRUE", pos: t.pos };
      if (upper === "AND" || upper === "OR" || upper === "NOT") {
        fail(t, `「${t.text}」前缺少运算对象`, `'${t.text}' needs an operand before it`);
      }
      return { type: "ref", code: t.text, pos: t.pos };
    }
    if (isOp(t, "(")) {
      const inner = nested(t, parseOr);
      const close = next();
      if (!isOp(close, ")")) fail(close, `缺少右括号，却是${describeZh(close)}`, `missing ')' before ${describe(close)}`);
      return inner;
    }
    return fail(t, `此处应为数字、指标代码或「(」，却是${describeZh(t)}`,
      `expected a number, an indicator code or '(' but found ${describe(t)}`);
  };

  try {
    const node = parseOr();
    const rest = peek();
    if (rest.kind !== "eof") fail(rest, `多余的内容${describeZh(rest)}`, `unexpected ${describe(rest)} after the formula`);
    return { ok: true, node };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.error };
    throw e;
  }
}
