// What Excel stores for a string that reaches a cell: written by the add-in through Range.values or
// Range.formulas, or typed by the official into the grid and confirmed with Enter. Each rule cites
// Microsoft's documentation or an office-js issue; where Microsoft documents nothing, the fake says
// which side it takes.
import { MAX_CELL_TEXT } from "./excel-rules";
import { OfficeError, type Scalar } from "./state";

export interface Stored {
  value: Scalar;
  formula: string | null;
  /** An error constant ("#N/A" typed into a number cell), not text. */
  error?: boolean;
  /** The number format Excel gives the cell along with the value (a date typed into a General cell). */
  numberFormat?: string;
}

/** Through the API (Range.values / Range.formulas), or typed by a person into the grid. */
export type Entry = "api" | "typed";

/**
 * The error values a person can type as constants: the ones ERROR.TYPE numbers 1–7
 * (https://support.microsoft.com/office/error-type-function-10958677-7c8d-44f7-ae77-b9a9ee6eefaa);
 * a cell can hold one as its value, not a formula (SpreadsheetML cell type "e", ECMA-376 Part 1,
 * 18.18.11 ST_CellType).
 */
export const TYPED_ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"];

/**
 * What Excel stores for a string:
 * - A leading apostrophe keeps the rest as text and is not part of the value (OfficeDev/office-js#6687:
 *   a quote-prefixed '=AVERAGE(…) is stored as text, and read back without the apostrophe).
 * - Typed into a cell formatted as Text ("@"), everything stays as typed, "=…" included (paraphrasing
 *   Microsoft's "Format numbers as text": a Text cell treats what is typed into it as text,
 *   https://support.microsoft.com/office/format-numbers-as-text-583160db-ad8b-4e8e-9f04-ad2b9b9edb33;
 *   for "=": ExcelTips 3308, "Formulas Don't Calculate as Formulas": an entry like =B3 shows as
 *   "=B3" when "the cell … was previously formatted as text",
 *   https://excelribbon.tips.net/T003308_Formulas_Dont_Calculate_as_Formulas.html). Read back,
 *   Range.formulas gives that text too: "If a cell has no formula, its value is returned instead"
 *   (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-formulas-member).
 * - Written through the API, "=…", "+…", "-…" become formulas: "If the returned value starts with a
 *   plus ("+"), minus ("-"), or equal sign ("="), Excel interprets this value as a formula."
 *   https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member —
 *   no exception is stated for Text cells, so the fake makes "=…" a formula there too (the add-in
 *   writes text with the apostrophe). "+…" and "-…" in a Text cell stay text.
 * - In any other format Excel parses the string as if typed: numbers ("1,234", "(12)" → -12, "50%"
 *   → 0.5 shown as 50%, "1e3"), TRUE/FALSE, error values, and dates/times, which become serial
 *   numbers and give a General cell a date format (OfficeDev/office-js#229: writing '2018-12-31'
 *   turns a General cell into m/d/yyyy; "12/2 changes to 2-Dec", "Stop automatically changing
 *   numbers to dates", https://support.microsoft.com/office/stop-automatically-changing-numbers-to-dates-452bd2db-cc96-47d1-81e4-72cec11c4ed8).
 *   A cell that already has a number format keeps it: Microsoft documents the automatic format only
 *   for General cells, so the fake changes nothing else (the cell then shows the serial number).
 */
export function interpretInput(x: Scalar, numberFormat: string, entry: Entry = "api"): Stored {
  if (typeof x !== "string") return { value: x, formula: null };
  if (x.length > MAX_CELL_TEXT) throw new OfficeError("InvalidArgument", `The argument is invalid: more than ${MAX_CELL_TEXT} characters in a cell`);
  if (x.startsWith("'")) return { value: x.slice(1), formula: null };
  if (numberFormat === "@" && entry === "typed") return { value: x, formula: null };
  if (x.startsWith("=") && x.length > 1) return { value: "", formula: x };
  if (numberFormat === "@") return { value: x, formula: null };
  if ((x.startsWith("+") || x.startsWith("-")) && x.length > 1) return { value: "", formula: `=${x}` };
  const t = x.trim();
  if (/^(true|false)$/i.test(t)) return { value: t.toUpperCase() === "TRUE", formula: null };
  if (TYPED_ERRORS.includes(t.toUpperCase())) return { value: t.toUpperCase(), formula: null, error: true };
  const auto = (format: string) => (numberFormat === "General" ? { numberFormat: format } : {});
  const pct = /^(-?[\d,]*\.?\d+(?:e[-+]?\d+)?)\s*%$/i.exec(t);
  if (pct && numberLike(pct[1]!)) return { value: Number(pct[1]!.replace(/,/g, "")) / 100, formula: null, ...auto("0%") };
  const paren = /^\(([\d,]*\.?\d+)\)$/.exec(t);
  if (paren && numberLike(paren[1]!)) return { value: -Number(paren[1]!.replace(/,/g, "")), formula: null };
  if (numberLike(t)) return { value: Number(t.replace(/,/g, "")), formula: null };
  // "1 1/2": a whole number, a space and a fraction is a number shown as a fraction (Microsoft's
  // "Stop automatically changing numbers to dates" tells to type "0 1/2" so 1/2 is a fraction, not a date)
  const frac = /^(-?)(\d+) (\d+)\/(\d+)$/.exec(t);
  if (frac && Number(frac[4]) > 0) return { value: (frac[1] ? -1 : 1) * (Number(frac[2]) + Number(frac[3]) / Number(frac[4])), formula: null, ...auto("# ?/?") };
  // "¥1,470" / "￥1,470": a number with the zh-CN currency sign is taken as currency (Excel.NumberFormatCategory
  // "Currency", https://learn.microsoft.com/javascript/api/excel/excel.numberformatcategory). No Microsoft page
  // states the recognition; the fake takes the stricter side (the value is a number, not the text typed)
  const money = /^(-?)[¥￥](-?)([\d,]*\.?\d+)$/.exec(t);
  if (money && numberLike(money[3]!)) {
    const decimals = money[3]!.includes(".") ? ".00" : "";
    return { value: (money[1] || money[2] ? -1 : 1) * Number(money[3]!.replace(/,/g, "")), formula: null, ...auto(`"¥"#,##0${decimals}`) };
  }
  const date = dateSerial(t);
  if (date !== null) return { value: date.serial, formula: null, ...auto(date.format) };
  return { value: x, formula: null };
}

const numberLike = (s: string): boolean => /^(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?(e[-+]?\d+)?$/i.test(s) && /\d/.test(s);

/**
 * Excel's date serial (1900 system) for the date forms Excel recognises when typed, with the format
 * it gives a General cell: m/d/yyyy for a full date (office-js#229), d-mmm for a day without a year
 * ("12/2 changes to 2-Dec", above), yyyy"年"m"月" / mmm-yy for a year and month (the 1st), h:mm for a
 * time; null if none.
 */
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function dateSerial(t: string): { serial: number; format: string } | null {
  const serial = (y: number, m: number, d: number, format: string) => {
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999) return null;
    const ms = Date.UTC(y, m - 1, d);
    if (new Date(ms).getUTCDate() !== d) return null;
    return { serial: Math.round((ms - Date.UTC(1899, 11, 30)) / 86_400_000), format };
  };
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return serial(+m[1]!, +m[2]!, +m[3]!, "m/d/yyyy");
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(t);
  if (m) return serial(+m[1]!, +m[2]!, +m[3]!, "m/d/yyyy");
  // A year and a month, "2025年9月" or "2025-09" / "2025/9": the first day of that month, shown as
  // typed (yyyy"年"m"月") or as mmm-yy ("Sep-25"). Microsoft lists no recognised forms; Excel does
  // store these as dates (so a period header typed this way reaches a formula as the serial 45901),
  // and the fake takes that stricter side, as it does for "5月1日" and "1-May" below
  m = /^(\d{4})年(\d{1,2})月$/.exec(t);
  if (m) return serial(+m[1]!, +m[2]!, 1, 'yyyy"年"m"月"');
  m = /^(\d{4})[-/](\d{1,2})$/.exec(t);
  if (m) return serial(+m[1]!, +m[2]!, 1, "mmm-yy");
  m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{2,4})$/.exec(t);
  if (m) return serial(m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!, +m[1]!, +m[2]!, "m/d/yyyy");
  // zh-CN: "5月1日" is a day of the current year, shown as typed (m"月"d"日"); "1-May" / "1 May" the same in d-mmm
  m = /^(\d{1,2})月(\d{1,2})日$/.exec(t);
  if (m) return serial(new Date().getUTCFullYear(), +m[1]!, +m[2]!, 'm"月"d"日"');
  m = /^(\d{1,2})[- ]([A-Za-z]{3,9})$/.exec(t);
  const month = m ? MONTHS.findIndex((name) => name.toLowerCase().startsWith(m![2]!.toLowerCase()) && m![2]!.length >= 3) : -1;
  if (m && month >= 0) return serial(new Date().getUTCFullYear(), month + 1, +m[1]!, "d-mmm");
  m = /^(\d{1,2})[-/](\d{1,2})$/.exec(t); // "1/2", "5-1": a day of the current year
  if (m) return serial(new Date().getUTCFullYear(), +m[1]!, +m[2]!, "d-mmm");
  m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m && +m[1]! < 24 && +m[2]! < 60) return { serial: (+m[1]! * 3600 + +m[2]! * 60 + +(m[3] ?? 0)) / 86400, format: "h:mm" };
  return null;
}
