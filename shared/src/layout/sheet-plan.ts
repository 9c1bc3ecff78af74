import type { LocalizedText } from "../schemas/text";

export type CellValue = string | number | boolean | null;

/** How a cell looks; renderers (Office.js, exceljs) map each style to fonts and fills. */
export type CellStyle =
  | "title" | "meta" | "status" | "header" | "section" | "code" | "label" | "unit"
  | "input" | "derived" | "previous" | "comment" | "check" | "total" | "change" | "note";

export interface CellPlan {
  /** 0-based row and column. */
  row: number;
  col: number;
  value?: CellValue;
  formula?: string;
  numberFormat?: string;
  style: CellStyle;
  locked: boolean;
}

export interface ValidationPlan {
  cell: string;
  type: "whole" | "decimal" | "list" | "textLength";
  min?: number;
  max?: number;
  list?: string[];
  error: LocalizedText;
}

/** A whole worksheet as data. The add-in and the Worker's xlsx export both render these; neither invents layout. */
export interface SheetPlan {
  name: string;
  cells: CellPlan[];
  columnWidths: number[];
  merges: string[];
  validations: ValidationPlan[];
  freezeRows: number;
  protect: boolean;
  /** Hidden metadata: worksheet custom properties in Excel, also kept in a protected header cell. */
  properties: Record<string, string>;
  print: { landscape: boolean; titleRows: string };
  charts?: ChartPlan[];
}

/** Column letters for a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(col: number): string {
  let s = "";
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A1-style address of a 0-based row and column. */
export const cellAddress = (row: number, col: number): string => `${columnLetter(col)}${row + 1}`;

/** 32-bit FNV-1a hash as 8 hex digits: a cheap, stable layout fingerprint (not a security measure). */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * Excel sheet names: at most 31 characters, none of : \ / ? * [ ], not beginning or ending with an
 * apostrophe, not "History" (https://support.microsoft.com/office/rename-a-worksheet-3f1f7148-ee83-404d-8ef0-9ff99fbad1f9).
 */
export function safeSheetName(name: string): string {
  const s = name.replace(/[:\\/?*[\]]/g, "_").slice(0, 31).replace(/^'+|'+$/g, "");
  return s.trim() === "" || s.toLowerCase() === "history" ? "Sheet" : s;
}

/** The plan as a row-major grid; formula cells hold their formula text ("=…"). */
export function planGrid(plan: SheetPlan): CellValue[][] {
  const grid: CellValue[][] = [];
  for (const c of plan.cells) {
    const row = (grid[c.row] ??= []);
    while (row.length < c.col) row.push(null);
    row[c.col] = c.formula ?? c.value ?? null;
  }
  for (let r = 0; r < grid.length; r++) grid[r] ??= [];
  return grid;
}

/** A chart drawn over a block of the sheet (Office.js and exceljs both render it; exceljs skips charts). */
export interface ChartPlan {
  type: "columnClustered";
  source: string;
  title: string;
  /** Where it sits: top-left and bottom-right cells. */
  from: string;
  to: string;
}
