import type { LocalizedText } from "../schemas/text";

export type FormulaErrorCode =
  | "formula.syntax"
  | "formula.unknown_ref"
  | "formula.unknown_function"
  | "formula.arity"
  | "formula.type"
  | "formula.cycle";

/** A formula problem with the offset where it was found, so an editor can point at it. */
export interface FormulaError {
  code: FormulaErrorCode;
  pos: number;
  message: LocalizedText;
}

export const formulaError = (code: FormulaErrorCode, pos: number, zh: string, en: string): FormulaError => ({
  code,
  pos,
  message: { zh: `${zh}（位置 ${pos + 1}）`, en: `${en} (at position ${pos + 1})` },
});
