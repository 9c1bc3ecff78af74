import { asExcelShowsIt, cellAddress, type CellValue, type ShownNumber } from "@tianbao/shared";
import { isOfficeError } from "./errors";
import { shownAs } from "./number-format";

export type Grid = CellValue[][];

/**
 * What a cell holds beyond its value, by address ("D14"), so a sheet is read as the official sees it:
 * formulas (never taken as typed input), Excel error values, and numbers shown as a percent or a date.
 */
export interface SheetFacts {
  formulaCells: Set<string>;
  errors: Map<string, string>;
  shown: Map<string, ShownNumber>;
}

/**
 * Everything loaded per cell, in the one sync that reads the values. Range.values gives an error as
 * its string ("#N/A") and valueTypes says it is an error ("Error"); Range.formulas gives a cell's
 * value when it has no formula, so text typed as "=…" into a Text cell reads the same in both;
 * Range.text is what the cell shows ("45%", "1-May").
 * https://learn.microsoft.com/javascript/api/excel/excel.range
 */
const CELL_PROPS = "values,formulas,numberFormat,text,valueTypes";
/**
 * A sheet too large for one answer is read in blocks without Range.text, which would repeat every
 * text once more; the text of the few numbers shown as a percent or date is read afterwards.
 */
const BLOCK_PROPS = "values,formulas,numberFormat,valueTypes";

interface Block {
  values: unknown[][];
  formulas: unknown[][];
  numberFormat: string[][];
  text?: string[][];
  valueTypes: string[][];
}

/**
 * A formula cell: its formula starts with "=" and is not simply its own text. A formula's value is
 * its result, so a cell whose value is a string equal to its "formula" holds no formula — it is
 * text that starts with "=" (typed into a Text cell, or after an apostrophe: OfficeDev/office-js#6687).
 */
const isFormula = (value: unknown, formula: unknown, type: string | undefined): boolean =>
  typeof formula === "string" && formula.startsWith("=") && !(type === "String" && formula === value);

/**
 * One cell as the grid holds it, noting its facts: an error keeps its text, a number is rounded as
 * Excel shows it. A shown number whose text was not loaded is listed in `textLater`.
 */
function cellOf(facts: SheetFacts, textLater: string[], address: string, b: Block, i: number, j: number): CellValue {
  const v = b.values[i]![j];
  const type = b.valueTypes[i]?.[j];
  if (isFormula(v, b.formulas[i]?.[j], type)) facts.formulaCells.add(address);
  if (type === "Error") {
    facts.errors.set(address, String(v));
    return String(v);
  }
  if (typeof v === "number") {
    const as = shownAs(b.numberFormat[i]?.[j] ?? "General", v);
    const text = b.text?.[i]?.[j];
    if (as) facts.shown.set(address, { as, text: text ?? String(v) });
    if (as && text === undefined) textLater.push(address);
    return asExcelShowsIt(v); // 30.299999999999997 pasted from a calculation is shown, and meant, as 30.3
  }
  return v === "" || v === undefined || v === null ? null : (v as CellValue);
}

/** Places a block read at (rowIndex, columnIndex) into a grid that starts at A1. */
function place(grid: Grid, facts: SheetFacts, textLater: string[], rowIndex: number, columnIndex: number, b: Block): void {
  b.values.forEach((row, i) => {
    const target = (grid[rowIndex + i] ??= []);
    while (target.length < columnIndex) target.push(null);
    row.forEach((_, j) => { target[columnIndex + j] = cellOf(facts, textLater, cellAddress(rowIndex + i, columnIndex + j), b, i, j); });
  });
  for (let r = 0; r < grid.length; r++) grid[r] ??= [];
}

export interface UsedGrid extends SheetFacts {
  ws: Excel.Worksheet;
  grid: Grid;
  protected: boolean;
}

const noFacts = (): SheetFacts => ({ formulaCells: new Set(), errors: new Map(), shown: new Map() });

/** Reads what the listed cells show (one sync, only when there are any). */
async function readTexts(context: Excel.RequestContext, ws: Excel.Worksheet, facts: SheetFacts, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  const ranges = addresses.map((a) => [a, ws.getRange(a).load("text")] as const);
  await context.sync();
  for (const [a, r] of ranges) facts.shown.set(a, { ...facts.shown.get(a)!, text: r.text[0]?.[0] ?? "" });
}

/** A sheet's reads queued for the next sync: its protection and its used range with every cell fact. */
interface QueuedRead {
  ws: Excel.Worksheet;
  protection: Excel.WorksheetProtection;
  used: Excel.Range;
}

function queueRead(sheet: () => Excel.Worksheet): QueuedRead {
  const ws = sheet();
  return { ws, protection: ws.protection.load("protected"), used: ws.getUsedRange(true).load(`${CELL_PROPS},rowIndex,columnIndex`) };
}

function settled(q: QueuedRead): UsedGrid {
  const grid: Grid = [];
  const facts = noFacts();
  place(grid, facts, [], q.used.rowIndex, q.used.columnIndex, q.used);
  return { ws: q.ws, grid, protected: q.protection.protected, ...facts };
}

/**
 * A sheet's used cells as a grid from A1 — wherever the used range starts (Excel's used range is
 * the bounding box of the used cells, not A1:…) — with their facts, and whether the sheet is
 * protected. One sync; when Excel on the web refuses the answer as over its 5 MB payload limit,
 * the rows are read in blocks (halved until each fits), one sync each, and one more for the text of
 * numbers shown as a percent or a date, if there are any.
 * https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins
 */
export async function readUsedGrid(context: Excel.RequestContext, sheet: () => Excel.Worksheet): Promise<UsedGrid> {
  const q = queueRead(sheet);
  try {
    await context.sync();
    return settled(q);
  } catch (e) {
    if (!isOfficeError(e, "ResponsePayloadSizeLimitExceeded")) throw e;
  }
  return readInBlocks(context, sheet);
}

/**
 * Several sheets read as readUsedGrid reads one, in ONE sync for all of them (a form's cover and
 * tables): the round trips do not grow with the number of sheets. Whatever else the caller queued
 * goes in the same sync. When the whole answer is over Excel on the web's payload limit, each sheet
 * is read on its own (in blocks where needed) and `split` says so: the caller's other loads of that
 * refused sync were never answered and must be queued again.
 */
export async function readUsedGrids(context: Excel.RequestContext, sheets: readonly (() => Excel.Worksheet)[]): Promise<{ grids: UsedGrid[]; split: boolean }> {
  const queued = sheets.map(queueRead);
  try {
    await context.sync();
    return { grids: queued.map(settled), split: false };
  } catch (e) {
    if (!isOfficeError(e, "ResponsePayloadSizeLimitExceeded")) throw e;
  }
  const grids: UsedGrid[] = [];
  for (const sheet of sheets) grids.push(await readUsedGrid(context, sheet));
  return { grids, split: true };
}

/** The rows of a sheet too large for one answer, in blocks halved until each fits, then the text of its shown numbers. */
async function readInBlocks(context: Excel.RequestContext, sheet: () => Excel.Worksheet): Promise<UsedGrid> {
  const ws = sheet();
  const protection = ws.protection.load("protected");
  const shape = ws.getUsedRange(true).load("rowIndex,columnIndex,rowCount,columnCount");
  await context.sync();
  const grid: Grid = [];
  const facts = noFacts();
  const textLater: string[] = [];
  const lastCol = shape.columnIndex + shape.columnCount - 1;
  let block = Math.max(1, Math.ceil(shape.rowCount / 2));
  for (let start = 0; start < shape.rowCount;) {
    const n = Math.min(block, shape.rowCount - start);
    const r0 = shape.rowIndex + start;
    const part = ws.getRange(`${cellAddress(r0, shape.columnIndex)}:${cellAddress(r0 + n - 1, lastCol)}`).load(BLOCK_PROPS);
    try {
      await context.sync();
    } catch (e) {
      if (!isOfficeError(e, "ResponsePayloadSizeLimitExceeded") || n === 1) throw e;
      block = Math.max(1, Math.floor(n / 2));
      continue;
    }
    // Range.text was not loaded here: reading it would throw PropertyNotLoaded
    place(grid, facts, textLater, r0, shape.columnIndex, { values: part.values, formulas: part.formulas, numberFormat: part.numberFormat, valueTypes: part.valueTypes });
    start += n;
  }
  await readTexts(context, ws, facts, textLater);
  return { ws, grid, protected: protection.protected, ...facts };
}
