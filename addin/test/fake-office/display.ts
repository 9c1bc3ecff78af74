// What a cell shows: Range.text and Range.valueTypes as Excel reports them.
// - Range.values: "Cells that contain an error will return the error string"; Range.valueTypes says
//   which values are errors ("Error"), so text that reads "#N/A" is still "String"
//   (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member,
//   https://learn.microsoft.com/javascript/api/excel/excel.rangevaluetype).
// - Range.text: "Text values of the specified range. The text value will not depend on the cell
//   width" (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-text-member):
//   the value through its number format ("Number format codes",
//   https://support.microsoft.com/office/number-format-codes-5026bbd6-04bc-48cd-bf33-80f18b4eae68).
//   The fake renders the codes the tests use — General, 0 / 0.00 / #,##0, percents, dates and times
//   in en-US; a General number shows at most 10 significant digits, as Excel's General does in a cell.
import type { Scalar } from "./state";

export interface CellView {
  value: Scalar;
  error: boolean;
}

export type ValueType = "Empty" | "String" | "Double" | "Boolean" | "Error";

export function valueTypeOf(v: CellView): ValueType {
  if (v.error) return "Error";
  if (typeof v.value === "number") return "Double";
  if (typeof v.value === "boolean") return "Boolean";
  return v.value === "" ? "Empty" : "String";
}

export function textOf(v: CellView, numberFormat: string): string {
  if (v.error || typeof v.value === "string") return String(v.value);
  if (typeof v.value === "boolean") return v.value ? "TRUE" : "FALSE";
  const n = v.value;
  const code = numberFormat.split(";")[0]!;
  const bare = code.replace(/"[^"]*"/g, "").replace(/\\./g, "").replace(/\[[^\]]*]/g, "");
  if (numberFormat === "General" || numberFormat === "@") return general(n);
  if (bare.includes("%")) return `${(n * 100).toFixed(decimalsOf(bare))}%`;
  if (/[ydhs]/i.test(bare) || /m/i.test(bare)) return dateText(n, code);
  const fixed = Math.abs(n).toFixed(decimalsOf(bare));
  const [whole, frac] = fixed.split(".");
  const grouped = bare.includes(",") ? whole!.replace(/\B(?=(\d{3})+$)/g, ",") : whole!;
  return `${n < 0 ? "-" : ""}${grouped}${frac ? `.${frac}` : ""}`;
}

const decimalsOf = (code: string): number => /\.([0#?]+)/.exec(code)?.[1]!.length ?? 0;

function general(n: number): string {
  const a = Math.abs(n);
  if (a !== 0 && (a >= 1e11 || a < 1e-9)) {
    const [m, e] = n.toExponential(5).split("e");
    const exp = Number(e);
    return `${String(Number(m))}E${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(Number(n.toPrecision(10)));
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A serial (1900 date system) through date and time codes; quoted text and \x are literal, [..] is skipped. */
function dateText(serial: number, code: string): string {
  const d = new Date(Date.UTC(1899, 11, 30) + Math.round(serial * 86_400_000));
  const parts: Record<string, string> = {
    yyyy: String(d.getUTCFullYear()), yy: String(d.getUTCFullYear() % 100).padStart(2, "0"),
    mmmm: MONTHS[d.getUTCMonth()]!, mmm: MONTHS[d.getUTCMonth()]!.slice(0, 3), mm: String(d.getUTCMonth() + 1).padStart(2, "0"), m: String(d.getUTCMonth() + 1),
    dddd: DAYS[d.getUTCDay()]!, ddd: DAYS[d.getUTCDay()]!.slice(0, 3), dd: String(d.getUTCDate()).padStart(2, "0"), d: String(d.getUTCDate()),
    hh: String(d.getUTCHours()).padStart(2, "0"), h: String(d.getUTCHours()),
    ss: String(d.getUTCSeconds()).padStart(2, "0"), s: String(d.getUTCSeconds()),
  };
  const minutes = (t: string) => (t.length === 2 ? String(d.getUTCMinutes()).padStart(2, "0") : String(d.getUTCMinutes()));
  let out = "";
  let afterHour = false;
  const tokens = code.match(/"[^"]*"|\\.|\[[^\]]*]|y+|m+|d+|h+|s+|./gi) ?? [];
  for (const tok of tokens) {
    const lower = tok.toLowerCase();
    if (tok.startsWith('"')) out += tok.slice(1, -1);
    else if (tok.startsWith("\\")) out += tok.slice(1);
    else if (tok.startsWith("[")) continue;
    else if (/^m{1,2}$/.test(lower) && afterHour) out += minutes(lower);
    else if (/^(y+|m+|d+|h+|s+)$/.test(lower)) out += parts[lower.startsWith("y") ? (lower.length > 2 ? "yyyy" : "yy") : lower.slice(0, 4)] ?? "";
    else out += tok;
    if (/^h+$/.test(lower)) afterHour = true;
    else if (/^[yds]/.test(lower)) afterHour = false;
  }
  return out;
}
