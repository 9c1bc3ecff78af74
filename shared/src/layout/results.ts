import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import type { CompiledTemplate } from "../template/compile";
import { computeDerived } from "../validation/derive";
import type { CellValue } from "./sheet-plan";

/**
 * A formula's stored result: the number it computes (the nearest double to the exact figure, as a
 * spreadsheet holds it), or "" where the formula gives a blank (a blank input, a division by zero).
 */
export function formulaResult(v: Exact | null): number | "" {
  // 24 decimals carry more digits than a double holds, so parsing them rounds once, to the nearest double
  return v === null ? "" : Number(X.toFixed(v, 24));
}

/** What a cell holds for the purpose of working out formulas: a number, text ("" is a formula's blank), or nothing. */
export type Content = Exact | string | null;

const isNumber = (v: Content): v is Exact => v !== null && typeof v === "object";

/** A plan cell's value as content; numbers through their decimal text, so 68.68 stays 68.68. */
export function contentOf(v: CellValue | undefined): Content {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return X.exactFromNumber(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return v;
}

/**
 * The cells of a sheet plan as a spreadsheet sees them, to work out what each formula the plan
 * writes computes. Each method follows the formula it names, blank for blank as Excel does.
 */
export class SheetValues {
  private readonly cells = new Map<string, Content>();
  set(row: number, col: number, v: Content): void { this.cells.set(`${row},${col}`, v); }
  get(row: number, col: number): Content { return this.cells.get(`${row},${col}`) ?? null; }

  /** IF(COUNT(range)=0,"",SUM(range)) */
  sum(row: number, cols: readonly number[]): Content {
    const nums = cols.map((c) => this.get(row, c)).filter(isNumber);
    return nums.length === 0 ? "" : X.sum(nums);
  }

  /** IF(COUNTA(range)=0,"",COUNTIF(range,"是")+SUM(range)): units that said yes, leaf cells (是) and counts alike. */
  yesCount(row: number, cols: readonly number[]): Content {
    const filled = cols.map((c) => this.get(row, c)).filter((v) => v !== null);
    if (filled.length === 0) return "";
    return X.add(X.fromInt(filled.filter((v) => v === "是").length), X.sum(filled.filter(isNumber)));
  }

  /** IF(OR(a="",b=""),"",a-b) */
  difference(row: number, a: number, b: number): Content {
    const x = this.get(row, a);
    const y = this.get(row, b);
    return isNumber(x) && isNumber(y) ? X.sub(x, y) : "";
  }

  /**
   * IF(n=0,"",cur−ly), or with `percent` IF(OR(n=0,ly=0),"",(cur−ly)/ABS(ly)*100), over the columns
   * where both rows hold a number (pairedFormula in totals-plan): a 同比 total, like with like.
   */
  pairedChange(rowNow: number, rowLy: number, cols: readonly number[], percent: boolean): Content {
    const pairs = cols.map((c) => [this.get(rowNow, c), this.get(rowLy, c)] as const).filter((p): p is readonly [Exact, Exact] => isNumber(p[0]) && isNumber(p[1]));
    if (pairs.length === 0) return "";
    const cur = X.sum(pairs.map((p) => p[0]));
    const ly = X.sum(pairs.map((p) => p[1]));
    if (!percent) return X.sub(cur, ly);
    const ratio = X.div(X.sub(cur, ly), X.abs(ly));
    return ratio === null ? "" : X.mul(ratio, X.fromInt(100));
  }

  /** The derived indicators of one column (their formulas over that column's cells), unrounded as the sheet computes them. */
  derived(compiled: CompiledTemplate, at: (code: string) => [number, number]): Map<string, Exact | null> {
    return computeDerived(compiled, (code) => {
      const v = this.get(...at(code));
      return isNumber(v) ? v : null;
    }).exact;
  }

  /** The result stored beside a formula. */
  static result(v: Content): CellValue {
    if (v === null) return "";
    return typeof v === "string" ? v : formulaResult(v);
  }
}
