// The document behind the fake Excel host: plain data a test can inspect directly.

export type Scalar = string | number | boolean;

export interface CellState {
  value: Scalar; // "" when empty, as Excel reports it
  /** The value is one of Excel's error values ("#N/A", "#DIV/0!" …), not text that looks like one. */
  error: boolean;
  formula: string | null;
  numberFormat: string;
  fill: string | null;
  font: { bold?: boolean; italic?: boolean; color?: string; size?: number };
  locked: boolean;
  wrap: boolean;
  validation: unknown;
  errorAlert: unknown;
}

/** Worksheet.pageLayout as set through the API (ExcelApi 1.9). */
export interface PageState {
  paperSize: string | null;
  orientation: string | null;
  zoom: { scale?: number | null; horizontalFitToPages?: number | null; verticalFitToPages?: number | null } | null;
  printArea: string | null;
  printTitleRows: string | null;
  printTitleColumns: string | null;
  printGridlines: boolean;
  margins: Record<string, number>;
  header: { left: string; center: string; right: string };
  footer: { left: string; center: string; right: string };
}

export interface ChartState {
  type: string;
  source: string;
  seriesBy: string;
  title: string;
}

export interface SheetState {
  name: string;
  /** Bumped on every change to cells, so computed formula values are recomputed only when needed. */
  version: number;
  cells: Map<string, CellState>;
  protected: boolean;
  protectionOptions: unknown;
  customProperties: Map<string, string>;
  /** Worksheet-scoped names → their formula (NamedItem.formula), e.g. '="text"'. */
  names: Map<string, string>;
  frozenRows: number;
  merges: string[];
  charts: ChartState[];
  columnWidths: Map<number, number>;
  /** Rows (0-based) hidden, and rows given a height in points. */
  hiddenRows: Set<number>;
  rowHeights: Map<number, number>;
  page: PageState;
  selected: string | null;
  /** Worksheet.id: stable across renames ("Gets a worksheet object using its name or ID", WorksheetCollection.getItem). */
  id: string;
  /** Worksheet.visibility (ExcelApi 1.1): "Visible", "Hidden" or "VeryHidden". */
  visibility: "Visible" | "Hidden" | "VeryHidden";
}

/** A handler registered with worksheet.onChanged (events.ts). */
export interface ChangeHandler {
  sheet: SheetState;
  handler: (args: Record<string, unknown>) => unknown;
}

export interface WorkbookState {
  sheets: SheetState[];
  activeSheet: string | null;
  /** Every context.sync() across all Excel.run calls (the benchmark's round-trip count). */
  syncCount: number;
  /** The largest request and response payload of any accepted sync, in bytes (Excel on the web allows 5 MB). */
  largestRequest: number;
  largestResponse: number;
  /** Excel.run batches in progress (a network call must never happen while one is open). */
  openRuns: number;
  /** Syncs refused for a request or response over the payload limit. */
  payloadRefusals: number;
  /** The highest ExcelApi requirement set this Excel supports: members of newer sets are absent (excel-rules.ts). */
  excelApi: string;
  /** Workbook structure protection (workbook.protection, ExcelApi 1.7). */
  structureProtected: boolean;
  /** The cell the official is editing (cell-edit mode), or null (excel-rules.ts, cellEdit). */
  editing: string | null;
  /** Batches waiting for the official to leave cell-edit mode (delayForCellEdit). */
  editWaiters: (() => void)[];
  /** worksheet.onChanged handlers, and the handler calls not yet settled. */
  changeHandlers: ChangeHandler[];
  pendingEvents: Promise<unknown>[];
  /** A host build with office-js#6784: protect()/unprotect() throw AccessDenied when nothing would change. */
  protectionRegression: boolean;
}

export const newWorkbook = (excelApi = "1.12"): WorkbookState => ({
  sheets: [], activeSheet: null, syncCount: 0, largestRequest: 0, largestResponse: 0, openRuns: 0, payloadRefusals: 0, excelApi,
  structureProtected: false, editing: null, editWaiters: [], changeHandlers: [], pendingEvents: [], protectionRegression: false,
});

/** "1.9" ≤ "1.12": requirement-set versions compare part by part, not as decimals. */
export function versionAtMost(v: string, max: string): boolean {
  const [a1 = 0, a2 = 0] = v.split(".").map(Number);
  const [b1 = 0, b2 = 0] = max.split(".").map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

let nextSheetId = 1;

export const newSheet = (name: string): SheetState => ({
  id: `{00000000-0001-0000-0000-${String(nextSheetId++).padStart(12, "0")}}`, visibility: "Visible",
  name, version: 0, cells: new Map(), protected: false, protectionOptions: null, customProperties: new Map(), names: new Map(),
  frozenRows: 0, merges: [], charts: [], columnWidths: new Map(), hiddenRows: new Set(), rowHeights: new Map(), selected: null,
  page: {
    paperSize: null, orientation: null, zoom: null, printArea: null, printTitleRows: null, printTitleColumns: null, printGridlines: false, margins: {},
    header: { left: "", center: "", right: "" }, footer: { left: "", center: "", right: "" },
  },
});

export const emptyCell = (): CellState => ({ value: "", error: false, formula: null, numberFormat: "General", fill: null, font: {}, locked: true, wrap: false, validation: null, errorAlert: null });

/** "B3" → [row, col], 0-based; beyond XFD1048576 is not a cell. */
export function parseCell(a1: string): [number, number] {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(a1.toUpperCase());
  if (!m) throw new OfficeError("InvalidArgument", `The argument is invalid or missing: '${a1}'`);
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]) - 1;
  if (row < 0 || row >= 1_048_576 || col > 16_384) throw new OfficeError("InvalidArgument", `The argument is invalid or missing: '${a1}'`);
  return [row, col - 1];
}

/** Column letters for a 0-based column index (0 → A, 26 → AA, 16383 → XFD). */
export function columnName(col: number): string {
  let s = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export const a1 = (row: number, col: number): string => `${columnName(col)}${row + 1}`;

/** The last column's index (XFD): a range of whole rows spans 0…MAX_COL. */
export const MAX_COL = 16_383;

/**
 * "A1:C3" (or one cell) → its corners, inclusive. Whole rows ("9:11", what Range.getEntireRow
 * gives: "Gets an object that represents the entire row of the range (for example, if the current
 * range represents cells "B4:E11", its getEntireRow is a range that represents rows "4:11")",
 * https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getentirerow-member(1))
 * span every column.
 */
export function parseRange(address: string): { r0: number; c0: number; r1: number; c1: number } {
  const local = address.includes("!") ? address.split("!")[1]! : address;
  const rows = /^\$?(\d+):\$?(\d+)$/.exec(local);
  if (rows) {
    const [a, b] = [Number(rows[1]) - 1, Number(rows[2]) - 1];
    if (a < 0 || b < 0 || a >= 1_048_576 || b >= 1_048_576) throw new OfficeError("InvalidArgument", `The argument is invalid or missing: '${address}'`);
    return { r0: Math.min(a, b), c0: 0, r1: Math.max(a, b), c1: MAX_COL };
  }
  const cols = /^\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$/i.exec(local); // whole columns ("B:I")
  if (cols) {
    const [, c0] = parseCell(`${cols[1]}1`);
    const [, c1] = parseCell(`${cols[2]}1`);
    return { r0: 0, c0: Math.min(c0, c1), r1: 1_048_575, c1: Math.max(c0, c1) };
  }
  const [a, b = a] = local.split(":");
  const [r0, c0] = parseCell(a!);
  const [r1, c1] = parseCell(b!);
  return { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
}

export const key = (r: number, c: number): string => `${r},${c}`;

/** An error shaped like OfficeExtension.Error: a code the add-in maps to a message. */
export class OfficeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "RichApi.Error";
  }
}

/** Reads a sheet back as a grid of stored values (formulas as "=…" text, else ""), for assertions. */
export function sheetGrid(sheet: SheetState, formulas = false): Scalar[][] {
  let rows = 0;
  let cols = 0;
  for (const k of sheet.cells.keys()) {
    const [r, c] = k.split(",").map(Number) as [number, number];
    rows = Math.max(rows, r + 1);
    cols = Math.max(cols, c + 1);
  }
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => {
    const cell = sheet.cells.get(key(r, c));
    if (!cell) return "";
    return formulas && cell.formula ? cell.formula : cell.value;
  }));
}
