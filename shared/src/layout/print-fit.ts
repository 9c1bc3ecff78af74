import { BODY_FONT_POINTS, PAGE, STYLE_FONT_POINTS, largest, type SheetPlan } from "./sheet-plan";

/** A4 in inches (ISO 216: 210 × 297 mm). */
const A4_INCHES = { short: 210 / 25.4, long: 297 / 25.4 };
/** Calibri 11's maximum digit width in pixels at 96 dpi: the unit Excel counts column widths in. */
const MAX_DIGIT_PX = 7;

/**
 * A column's width in pixels, by Excel's rule for the character widths stored in a file (ECMA-376
 * Part 1, 18.3.1.13 col: Truncate(((256 × width + Truncate(128 / MDW)) / 256) × MDW)).
 */
export const columnPixels = (width: number): number => Math.trunc(((256 * width + Math.trunc(128 / MAX_DIGIT_PX)) / 256) * MAX_DIGIT_PX);

const rangeOf = (area: string): { c0: number; c1: number; r0: number; r1: number } | null => {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(area);
  if (!m) return null;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { c0: col(m[1]!), r0: Number(m[2]) - 1, c1: col(m[3]!), r1: Number(m[4]) - 1 };
};

/**
 * How a plan prints in Excel with its default font: the scale that fitting its print area to one
 * A4 page wide needs (1 when it fits as it is), and the smallest text on paper at that scale.
 */
export function printFit(plan: SheetPlan): { scale: number; smallestPoints: number } {
  const area = plan.print.area ? rangeOf(plan.print.area) : null;
  const hidden = new Set(plan.hiddenRows ?? []);
  const printed = plan.cells.filter((c) => !hidden.has(c.row) && (!area || (c.col >= area.c0 && c.col <= area.c1 && c.row >= area.r0 && c.row <= area.r1)));
  const lastCol = area ? area.c1 : largest(plan.cells.map((c) => c.col));
  const firstCol = area ? area.c0 : 0;
  let px = 0;
  for (let col = firstCol; col <= lastCol; col++) px += columnPixels(plan.columnWidths[col] ?? 8.43);
  const m = PAGE.marginsInches;
  const paperWidth = plan.print.landscape ? A4_INCHES.long : A4_INCHES.short;
  const pages = plan.print.pagesWide ?? 1;
  const scale = Math.min(1, (pages * (paperWidth - m.left - m.right) * 96) / px);
  const smallest = -largest(printed.filter((c) => c.formula !== undefined || (c.value !== null && c.value !== undefined && c.value !== "")).map((c) => -(STYLE_FONT_POINTS[c.style] ?? BODY_FONT_POINTS)));
  return { scale, smallestPoints: smallest * scale };
}

/** The printable width of an A4 page in pixels at 96 dpi, within PAGE's margins. */
export function printableWidthPx(landscape: boolean): number {
  const m = PAGE.marginsInches;
  return ((landscape ? A4_INCHES.long : A4_INCHES.short) - m.left - m.right) * 96;
}
