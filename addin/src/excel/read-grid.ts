import { cellAddress, type CellValue } from "@tianbao/shared";
import { isOfficeError } from "./errors";

export type Grid = CellValue[][];

const toRows = (values: unknown[][]): Grid => values.map((row) => row.map((v) => (v === "" || v === undefined ? null : (v as CellValue))));

/** Addresses ("D14") of the cells in a block read at (rowIndex, columnIndex) that hold a formula. */
function formulaCellsOf(into: Set<string>, rowIndex: number, columnIndex: number, formulas: unknown[][]): void {
  formulas.forEach((row, i) => row.forEach((f, j) => {
    if (typeof f === "string" && f.startsWith("=")) into.add(cellAddress(rowIndex + i, columnIndex + j));
  }));
}

/** Places a block read at (rowIndex, columnIndex) into a grid that starts at A1. */
function place(grid: Grid, rowIndex: number, columnIndex: number, rows: Grid): void {
  rows.forEach((row, i) => {
    const target = (grid[rowIndex + i] ??= []);
    while (target.length < columnIndex) target.push(null);
    row.forEach((v, j) => { target[columnIndex + j] = v; });
  });
  for (let r = 0; r < grid.length; r++) grid[r] ??= [];
}

export interface UsedGrid {
  ws: Excel.Worksheet;
  grid: Grid;
  protected: boolean;
  /** Cells that hold a formula: an official's formula in an input cell is refused, as for uploaded files. */
  formulaCells: Set<string>;
}

/**
 * A sheet's used cells as a grid from A1 — wherever the used range starts (Excel's used range is
 * the bounding box of the used cells, not A1:…) — and whether the sheet is protected. One sync;
 * when Excel on the web refuses the answer as over its 5 MB payload limit, the rows are read in
 * blocks (halved until each fits), one sync each.
 * https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins
 */
export async function readUsedGrid(context: Excel.RequestContext, sheet: () => Excel.Worksheet): Promise<UsedGrid> {
  let ws = sheet();
  let protection = ws.protection.load("protected");
  const used = ws.getUsedRange(true).load("values,formulas,rowIndex,columnIndex");
  const formulaCells = new Set<string>();
  try {
    await context.sync();
    const grid: Grid = [];
    place(grid, used.rowIndex, used.columnIndex, toRows(used.values));
    formulaCellsOf(formulaCells, used.rowIndex, used.columnIndex, used.formulas);
    return { ws, grid, protected: protection.protected, formulaCells };
  } catch (e) {
    if (!isOfficeError(e, "ResponsePayloadSizeLimitExceeded")) throw e;
  }
  ws = sheet();
  protection = ws.protection.load("protected");
  const shape = ws.getUsedRange(true).load("rowIndex,columnIndex,rowCount,columnCount");
  await context.sync();
  const grid: Grid = [];
  const lastCol = shape.columnIndex + shape.columnCount - 1;
  let block = Math.max(1, Math.ceil(shape.rowCount / 2));
  for (let start = 0; start < shape.rowCount;) {
    const n = Math.min(block, shape.rowCount - start);
    const r0 = shape.rowIndex + start;
    const part = ws.getRange(`${cellAddress(r0, shape.columnIndex)}:${cellAddress(r0 + n - 1, lastCol)}`).load("values,formulas");
    try {
      await context.sync();
    } catch (e) {
      if (!isOfficeError(e, "ResponsePayloadSizeLimitExceeded") || n === 1) throw e;
      block = Math.max(1, Math.floor(n / 2));
      continue;
    }
    place(grid, r0, shape.columnIndex, toRows(part.values));
    formulaCellsOf(formulaCells, r0, shape.columnIndex, part.formulas);
    start += n;
  }
  return { ws, grid, protected: protection.protected, formulaCells };
}
