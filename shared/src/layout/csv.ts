/** A number written digit for digit from its decimal text ("1470.50", "-3"), never through a JS number. */
export interface CsvDecimal {
  decimal: string;
}

export type CsvCell = string | number | boolean | null | CsvDecimal;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * CSV for Excel and WPS: UTF-8 with a BOM so Chinese shows correctly, CRLF line ends, and any cell
 * that a spreadsheet would run as a formula (= + - @, tab, CR) neutralised with a leading apostrophe.
 * Text that a spreadsheet would turn into a date, time, fraction, percentage or boolean when it opens
 * the file ("3/7", "2024-05", "1:2", "50%", "(12)", "TRUE", "Jan-24") gets the same apostrophe, so it
 * is shown as written; a plain decimal ("1470.50") stays a number. Figures go in as CsvDecimal.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  const cell = (v: CsvCell): string => {
    if (v === null) return "";
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "是" : "否";
    if (typeof v === "object") {
      if (!DECIMAL.test(v.decimal)) throw new RangeError(`not a decimal: ${v.decimal}`);
      return v.decimal;
    }
    let s = v;
    if (/^[=+\-@\t\r]/.test(s) || wouldConvert(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return "\uFEFF" + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
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
