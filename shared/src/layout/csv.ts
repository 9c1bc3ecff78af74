/** A number written digit for digit from its decimal text ("1470.50", "-3"), never through a JS number. */
export interface CsvDecimal {
  decimal: string;
}

/**
 * A calendar date written as 2024-03-05, which Excel, WPS and LibreOffice all read as that date whatever
 * the locale: a detail list's date field is a date, and sorts and filters as one (text that merely looks
 * like a date is quoted instead, see toCsv).
 */
export interface CsvDate {
  date: string;
}

/**
 * Text that stays text even where it is all digits: a 统一社会信用代码 of a government office (111405…, 18
 * digits a spreadsheet would show as 1.11405E+17) or a product code 000123 (whose zeros it would drop).
 */
export interface CsvText {
  text: string;
}

export type CsvCell = string | number | boolean | null | CsvDecimal | CsvDate | CsvText;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * CSV for Excel and WPS: UTF-8 with a BOM so Chinese shows correctly, CRLF line ends, and any cell
 * that a spreadsheet would run as a formula (= + - @, tab, CR) neutralised with a leading apostrophe.
 * Text that a spreadsheet would turn into a date, time, fraction, percentage or boolean when it opens
 * the file ("3/7", "2024-05", "1:2", "50%", "(12)", "TRUE", "Jan-24") gets the same apostrophe, so it
 * is shown as written; a plain decimal ("1470.50") stays a number. Figures go in as CsvDecimal.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  // (no rows: the BOM and one empty line, as ever)
  return "\uFEFF" + (rows.length === 0 ? "\r\n" : csvLines(rows));
}

/**
 * Lines of CSV under the same rules as toCsv, each ended by CRLF, without the BOM: the pieces of a file
 * written a page at a time (a detail list of tens of thousands of rows is streamed, never held whole).
 */
export function csvLines(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((r) => `${r.map(csvCell).join(",")}\r\n`).join("");
}

function csvCell(v: CsvCell): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "object") {
    if ("text" in v) return csvCell(PLAIN_DECIMAL.test(v.text.trim()) ? `'${v.text}` : v.text);
    if ("date" in v) {
      if (!ISO_DATE.test(v.date)) throw new RangeError(`not a date: ${v.date}`);
      return v.date;
    }
    if (!DECIMAL.test(v.decimal)) throw new RangeError(`not a decimal: ${v.decimal}`);
    return v.decimal;
  }
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) || wouldConvert(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
const NUMBERISH = /^[\d\s/.:,%()年月日时分秒-]+$/;
const MONTH_WORD = /^(?:\d{1,2}[-\s/])?[A-Za-z]{3,9}(?:[-\s/]\d{1,4})?$/;
const MONTHS = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

/** True for text that Excel or WPS would read as something other than text when opening a CSV. */
function wouldConvert(s: string): boolean {
  const t = s.trim();
  if (t === "" || PLAIN_DECIMAL.test(t)) return false;
  if (/^(?:true|false)$/i.test(t)) return true;
  if (NUMBERISH.test(t) && /\d/.test(t)) return true;
  return MONTH_WORD.test(t) && MONTHS.test(t.replace(/^\d{1,2}[-\s/]/, ""));
}
