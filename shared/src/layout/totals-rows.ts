import * as X from "../exact/exact";
import type { Indicator } from "../schemas/template";
import type { Totals } from "../aggregation/aggregate";
import type { Content, SheetValues } from "./results";
import { textWidth, type CellPlan } from "./sheet-plan";

/** Where a unit's figures stand this period, as its column of the totals sheet says it. */
export type ColumnState = "approved" | "submitted" | "returned" | "not_started";

/**
 * The mark under a unit's name: only an approved column is final; a submitted one still awaits
 * review, a returned one is being corrected. A review level (a city at the province) that has not
 * submitted upward "未上报"; a unit that has not reported "未报".
 */
export function stateMark(state: ColumnState, level: boolean): { text: string; style: CellPlan["style"] } {
  if (state === "approved") return { text: "已审核", style: "note" };
  if (state === "submitted") return { text: "未审核", style: "check" };
  if (state === "returned") return { text: "已退回", style: "check" };
  return { text: level ? "未上报" : "未报", style: "check" };
}

/** A rate (a derived figure in %): its change is in percentage points (个百分点), never a percent of a percent. */
export const isRate = (ind: Indicator): boolean => ind.kind === "derived" && ind.unit === "%";

/** The number format of a rate's change: its decimals, then 个百分点 (Excel shows the words; the cell stays a number). */
export function pointsFormat(decimals: number): string {
  const n = decimals > 0 ? `0.${"0".repeat(decimals)}` : "0";
  return `${n}" 个百分点";-${n}" 个百分点"`;
}

/** 增减幅度 as Excel's percent (0.1 shows 10.0%): blank where either period is blank or the base is 0. */
export const GROWTH_FORMAT = "0.0%";
export const growthFormula = (d: string, p: string): string => `=IF(OR(${d}="",${p}="",${p}=0),"",(${d}-${p})/ABS(${p}))`;

/** What growthFormula computes, exactly, from the cells already placed. */
export function growth(sheet: SheetValues, row: number, cur: number, prev: number): Content {
  const d = sheet.get(row, cur);
  const p = sheet.get(row, prev);
  if (d === null || p === null || typeof d === "string" || typeof p === "string" || X.isZero(p)) return "";
  return X.div(X.sub(d, p), X.abs(p)) ?? "";
}

/** A choice's answers counted: "尚未启动 0，正在推进 3，已完成 4"; blank when nobody answered. */
export function distributionText(ind: Indicator, counts: Readonly<Record<string, number>>): string | null {
  if (ind.kind !== "choice") return null;
  const total = ind.options.reduce((n, o) => n + (counts[o.code] ?? 0), 0);
  return total === 0 ? null : ind.options.map((o) => `${o.name.zh} ${counts[o.code] ?? 0}`).join("，");
}

/** A choice's counts over a period's totals (the previous period's column). */
export const countsOf = (t: Totals["indicators"][string] | undefined): Record<string, number> => (t?.kind === "choice" ? t.counts : {});

/** Body line height in points (11 pt text) and the characters a column of `width` holds on one line. */
const LINE_POINTS = 15;
const linesIn = (text: string, width: number): number => Math.max(1, Math.ceil(textWidth(text) / Math.max(1, width - 1)));

/**
 * Row heights for wrapped text: Excel keeps a row at one line unless told, so a long name or unit
 * name in a wrapped cell is cut off; each row gets the lines its longest wrapped cell needs.
 */
export function wrappedRowHeights(cells: readonly CellPlan[], widths: readonly number[], wrapped: ReadonlySet<CellPlan["style"]>): { row: number; points: number }[] {
  const lines = new Map<number, number>();
  for (const c of cells) {
    if (!wrapped.has(c.style) || typeof c.value !== "string") continue;
    const n = linesIn(c.value, widths[c.col] ?? 8.43);
    if (n > (lines.get(c.row) ?? 1)) lines.set(c.row, n);
  }
  return [...lines].map(([row, n]) => ({ row, points: n * LINE_POINTS }));
}
