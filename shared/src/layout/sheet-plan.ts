import type { LocalizedText } from "../schemas/text";

export type CellValue = string | number | boolean | null;

/** How a cell looks; renderers (Office.js, exceljs) map each style to fonts and fills. */
export type CellStyle =
  | "title" | "meta" | "status" | "header" | "section" | "code" | "label" | "unit"
  | "input" | "derived" | "previous" | "comment" | "check" | "total" | "change" | "note"
  | "signLabel" | "signInput";

/** Body text size (points); a style not listed here uses it. Both renderers draw these sizes. */
export const BODY_FONT_POINTS = 11;
/** Text sizes that differ from the body's. Nothing printed is below 10 pt (meta is hidden, never printed). */
export const STYLE_FONT_POINTS: Partial<Record<CellStyle, number>> = { title: 14, meta: 8, note: 10 };
/** Styles whose text wraps inside the column (long names, notes, the status line with a reviewer's comment). */
export const WRAPPED_STYLES: ReadonlySet<CellStyle> = new Set<CellStyle>(["header", "label", "comment", "check", "status"]);

export interface CellPlan {
  /** 0-based row and column. */
  row: number;
  col: number;
  value?: CellValue;
  formula?: string;
  numberFormat?: string;
  style: CellStyle;
  locked: boolean;
  /**
   * What the formula computes, stored beside it so viewers that never recalculate (previews on
   * phones and in messaging apps) show the figure; "" for a formula that gives a blank.
   */
  result?: CellValue;
}

export interface ValidationPlan {
  /** The cell ("D14") or the range ("C6:C2005", a detail list's column of rows) the rule covers. */
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
  print: PrintPlan;
  charts?: ChartPlan[];
  /** Rows (0-based) hidden on screen and on paper, e.g. the fill sheet's metadata row. */
  hiddenRows?: number[];
  /** Rows (0-based) given a height in points (a merged, wrapped line Excel does not fit by itself). */
  rowHeights?: { row: number; points: number }[];
  /** The range an autofilter covers, its header row first ("A3:I24"): a long list (a detail list's sheet) filtered by its columns. */
  autoFilter?: string;
}

/**
 * How a sheet prints. Every sheet prints on A4, fitted to one page wide and as many pages tall as
 * it takes (PAGE), so text is never shrunk to squeeze a long table onto one page.
 */
export interface PrintPlan {
  landscape: boolean;
  /** Rows repeated at the top of every printed page ("4:4"); "" for none. */
  titleRows: string;
  /** Columns repeated at the left of every page ("A:B") when a wide table is printed across several. */
  titleColumns?: string;
  /** Pages wide to fit to (PAGE.fitToPagesWide, one, unless a table is too wide to read on one). */
  pagesWide?: number;
  /** The printed range ("A1:F70"); absent: whatever the sheet uses. */
  area?: string;
  gridlines?: boolean;
  /** Centre header and footer in Excel's header/footer codes (see headerFooterText, PAGE_FOOTER). */
  header?: string;
  /** Right header section, lines separated by "\n": a statistical form's legal face (表号, 制定机关 …) at the top right. */
  headerRight?: string;
  footer?: string;
}

/** Page setup every sheet shares: A4, one page wide, automatic height, margins in inches. */
export const PAGE = {
  paper: "A4",
  fitToPagesWide: 1,
  /** 0 is "automatic" in Excel's page setup: as many pages tall as the rows need. */
  fitToPagesTall: 0,
  marginsInches: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
} as const;

/** "第 1 页，共 3 页" on every page (&P page number, &N page count). */
export const PAGE_FOOTER = "第 &P 页，共 &N 页";

/**
 * Plain text as a header or footer section: "&" starts a code in Excel's header/footer language, so
 * it is doubled, and the text is cut to 100 characters (Excel holds at most 255 for a whole header,
 * MS-OI29500 2.1.651).
 */
export function headerFooterText(text: string): string {
  return [...text.replace(/[\r\n\t]+/g, " ")].slice(0, 100).join("").replace(/&/g, "&&");
}

/**
 * The largest of many numbers without spreading them into Math.max, which fails past ~120,000
 * arguments (a province's totals sheet holds more cells than that); -Infinity for none.
 */
export function largest(values: Iterable<number>): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Excel's limit on a header or footer: 255 characters, its section codes (&C, &R) included. */
export const HEADER_MAX_CHARS = 255;

/**
 * A centre header and a right one (lines joined by "\n") cut to what Excel holds together: the right's
 * lines first lose their ends, then the centre; each cut marked with "…".
 */
export function fitHeaders(center: string, right: string): { center: string; right: string } {
  const budget = HEADER_MAX_CHARS - (center ? 2 : 0) - (right ? 2 : 0);
  if (center.length + right.length <= budget) return { center, right };
  const cut = (s: string, n: number) => (s.length <= n ? s : n <= 1 ? "" : `${s.slice(0, n - 1)}…`);
  let lines = right === "" ? [] : right.split("\n");
  const room = Math.max(0, budget - Math.min(center.length, 80));
  while (lines.join("\n").length > room && lines.length > 0) {
    const longest = lines.reduce((a, b, i) => (b.length > lines[a]!.length ? i : a), 0);
    const over = lines.join("\n").length - room;
    lines = lines.map((l, i) => (i === longest ? cut(l, Math.max(8, l.length - over)) : l));
    if (lines[longest]!.length <= 8) lines = lines.filter((_, i) => i !== longest);
  }
  const r = lines.join("\n");
  return { center: cut(center, budget - r.length), right: r };
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
  // An apostrophe inside is legal, but a print area or print titles name the sheet as 'name'!$A$1,
  // where writers that do not double it (exceljs) would break the file; a typographic one reads the same.
  const s = name.replace(/[:\\/?*[\]]/g, "_").slice(0, 31).replace(/^'+|'+$/g, "").replace(/'/g, "’");
  return s.trim() === "" || s.toLowerCase() === "history" ? "Sheet" : s;
}

/** A sheet name not yet in `taken` (compared as Excel does, ignoring case): the name, else "name (2)", "name (3)" …, within 31 characters. */
export function uniqueSheetName(name: string, taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((t) => t.toLowerCase()));
  if (!lower.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, 31 - suffix.length)}${suffix}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
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

/**
 * How many columns-widths of characters a text takes: a column's width counts characters of the
 * body font's digit width, and a Chinese character (or any full-width one) is about two of them.
 */
export function textWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return n;
}
