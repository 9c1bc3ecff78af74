// Formula cells read back their computed values, as in Excel (Range.values holds the results;
// Range.formulas the formulas: https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member).
// The fake computes them with HyperFormula, an Excel-compatible engine, over the whole sheet.
import { DetailedCellError, HyperFormula } from "hyperformula";
import type { CellView } from "./display";
import { key, type Scalar, type SheetState } from "./state";

/**
 * TRUE and FALSE written in a formula are the logical values (Excel: "TRUE function … You can enter
 * the value TRUE directly into cells and formulas without using this function",
 * https://support.microsoft.com/office/true-function-7652c6e3-8987-48d0-97cd-ef223246b3fb);
 * HyperFormula knows only the functions TRUE() and FALSE() and reads a bare TRUE as an unknown name
 * (#NAME?), so the fake writes them as the functions (text in "…" and sheet names left alone).
 */
export function literalBooleans(formula: string): string {
  return formula.split(/("(?:[^"]|"")*")/).map((part, i) =>
    i % 2 === 1 ? part : part.replace(/(^|[^A-Za-z0-9_.$!'])(TRUE|FALSE)(?![A-Za-z0-9_.(!])/gi, "$1$2()")).join("");
}

/**
 * SUMPRODUCT takes its arguments as arrays — the classic =SUMPRODUCT((A1:A5>0)*B1:B5), or the fill
 * sheet's SUMPRODUCT(LEN(TRIM(B9:I9))), works in every Excel without being entered as an array
 * formula ("SUMPRODUCT function": it "returns the sum of the products of corresponding ranges or
 * arrays", and its examples multiply conditions over ranges inside it,
 * https://support.microsoft.com/office/sumproduct-function-16753e75-9f68-4874-94ac-4d2145a2fd2e).
 * HyperFormula does array arithmetic only inside ARRAYFORMULA (unless enabled globally, which would
 * also spill other formulas), so each SUMPRODUCT(…) is evaluated inside one.
 */
export function arraysInSumproduct(formula: string): string {
  let out = "";
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i]!;
    if (ch === '"') { const end = formula.indexOf('"', i + 1); const stop = end < 0 ? formula.length : end + 1; out += formula.slice(i, stop); i = stop; continue; }
    const m = /^SUMPRODUCT\(/i.exec(formula.slice(i));
    if (m && !/[A-Za-z0-9_.]/.test(formula[i - 1] ?? "")) {
      let depth = 0;
      let j = i + m[0].length - 1;
      for (; j < formula.length; j++) {
        if (formula[j] === '"') { j = formula.indexOf('"', j + 1); if (j < 0) break; continue; }
        if (formula[j] === "(") depth++;
        if (formula[j] === ")" && --depth === 0) break;
      }
      const inner = formula.slice(i + m[0].length, j);
      out += `ARRAYFORMULA(${m[0]}${arraysInSumproduct(inner)}))`;
      i = j + 1;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

const cache = new WeakMap<SheetState, { version: number; values: Map<string, CellView> }>();

/** Computed values of every formula cell on the sheet, by "row,col"; an error result is flagged as one. */
export function computedValues(sheet: SheetState): Map<string, CellView> {
  const hit = cache.get(sheet);
  if (hit && hit.version === sheet.version) return hit.values;
  const values = new Map<string, CellView>();
  const formulas = [...sheet.cells].filter(([, c]) => c.formula !== null);
  if (formulas.length > 0) {
    let rows = 0;
    let cols = 0;
    for (const k of sheet.cells.keys()) {
      const [r, c] = k.split(",").map(Number) as [number, number];
      rows = Math.max(rows, r + 1);
      cols = Math.max(cols, c + 1);
    }
    const grid: (Scalar | null)[][] = Array.from({ length: rows }, () => Array<Scalar | null>(cols).fill(null));
    for (const [k, c] of sheet.cells) {
      const [r, col] = k.split(",").map(Number) as [number, number];
      // text cells stay text: HyperFormula would parse "12" or "TRUE" typed as text; an error constant goes in as its literal
      grid[r]![col] = (c.formula === null ? null : arraysInSumproduct(literalBooleans(c.formula))) ?? (c.error ? c.value : typeof c.value === "string" && c.value !== "" && c.value !== null ? `'${c.value}` : c.value === "" ? null : c.value);
    }
    const hf = HyperFormula.buildFromArray(grid, { licenseKey: "gpl-v3" });
    for (const [k] of formulas) {
      const [r, c] = k.split(",").map(Number) as [number, number];
      const v = hf.getCellValue({ sheet: 0, row: r, col: c });
      values.set(key(r, c), v instanceof DetailedCellError ? { value: v.value, error: true } : { value: v === null ? "" : (v as Scalar), error: false });
    }
    hf.destroy();
  }
  cache.set(sheet, { version: sheet.version, values });
  return values;
}
