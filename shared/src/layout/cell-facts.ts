/**
 * What a reader of a sheet knows about its cells beyond their values, by address ("D14"): which
 * hold formulas, which hold Excel error values, and which numbers the cell's number format shows
 * as a percent or a date. Every reader (the upload reader, the add-in's read of the active sheet)
 * fills it the same way, so every layout reads a cell as the person sees it.
 */
export interface CellFacts {
  /** Cells that hold a formula: a formula's cached result is never taken as typed input. */
  formulas?: ReadonlySet<string>;
  /** Cells holding an Excel error value, with the error as Excel shows it ("#N/A", "#DIV/0!"). */
  errors?: ReadonlyMap<string, string>;
  /** Numbers the cell's number format shows as a percent or a date, with the text the cell shows. */
  shown?: ReadonlyMap<string, ShownNumber>;
  /**
   * Numbers under any other format than General, with the text the cell shows (000101 for 101
   * under 000000): what a layout reads where it reads text.
   */
  formatted?: ReadonlyMap<string, { readonly text: string }>;
}

export interface ShownNumber {
  as: "percent" | "date";
  /** What the cell shows ("45%", "2025/3/1", "3月1日"). */
  text: string;
}

/** Excel's error values (Microsoft: "How to correct a #… error"), as they appear in a cell. */
export const EXCEL_ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!"] as const;

/**
 * A number as Excel shows it at most: 15 significant digits (Excel specifications and limits,
 * "Number precision: 15 digits"). A value pasted from a calculation is stored with 17 digits
 * (30.299999999999997) but shown, and meant, as 30.3.
 */
export function asExcelShowsIt(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(15)) : n;
}

/** The bilingual text naming a percent or date where a plain figure was expected. */
export function shownNumberProblem(s: ShownNumber): { zh: string; en: string } {
  return s.as === "percent"
    ? { zh: `单元格显示为百分数「${s.text}」，这里应填写数值本身（例如 45 而不是 45%），请把单元格格式改为「常规」或「数值」后重新填写`, en: `the cell shows a percentage '${s.text}'; type the figure itself here (45, not 45%): set the cell's format to General or Number and type it again` }
    : { zh: `单元格显示为日期「${s.text}」（Excel 把输入当成了日期），这里应填写数值，请把单元格格式改为「常规」或「数值」后重新填写`, en: `the cell shows a date '${s.text}' (Excel took what was typed for a date); type a figure here: set the cell's format to General or Number and type it again` };
}
