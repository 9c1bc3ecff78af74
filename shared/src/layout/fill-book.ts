// The fill workbook of a report (issue 23): where every figure, note and check mark of a template
// sits, on which sheet. A template without a form is one sheet, exactly as before forms (its cells
// are named "D14"). A form is a cover sheet (封面: the legal face, the list of tables, the signature
// block) and one sheet per table, in print order: a list table as the classic 代码/指标名称/本期/上期/说明
// columns, a grid as the form draws it — 代码 and 项目 down the left, the columns across with their
// codes in a 栏次 row, the same grid of last period's figures below it for the eye, a 说明 column
// per row. Drawing (fill-plan), reading (fill-parse), issue locations, the add-in's marks and the
// Worker's messages all take positions from here, so they cannot disagree.
import type { CompiledTemplate } from "../template/compile";
import type { DetailTable, GridTable, ListTable, Table } from "../schemas/form";
import { gridCellCode, legalFaceLines, tablesInOrder } from "../template/form";
import { FILL_COLUMNS, fillIndex, type FillIndex, type FillRow } from "./fill-layout";
import { FILL_BODY_ROW } from "./fill-rows";
import { signatureTopOf } from "./fill-signature";
import { cellAddress, fingerprint } from "./sheet-plan";

export type FillPage =
  /** The one sheet of a template without a form. */
  | { key: "main"; kind: "main"; label: string; index: FillIndex }
  | { key: "cover"; kind: "cover"; label: string; tablesRow: number; signatureTop: number }
  | { key: string; kind: "list"; label: string; table: ListTable; index: FillIndex }
  | { key: string; kind: "grid"; label: string; table: GridTable; geometry: GridGeometry }
  | { key: string; kind: "detail"; label: string; table: DetailTable; geometry: DetailGeometry };

/** A cell of the fill workbook: the page (sheet) it is on, and its 0-based row and column. */
export interface FillSpot {
  page: string;
  row: number;
  col: number;
}

export interface FillBook {
  /** A template without a form: one sheet, cells named without their sheet. */
  single: boolean;
  pages: FillPage[];
  /** Every indicator's value cell (derived ones too). */
  value: ReadonlyMap<string, FillSpot>;
  /** Where a typed indicator's 说明 is written (on a grid, the row's 说明 belongs to its first figure). */
  comment: ReadonlyMap<string, FillSpot>;
  /** Where the check marks of an indicator go (a grid row's 校验 cell is shared by its cells). */
  check: ReadonlyMap<string, FillSpot>;
  /** The page and first row of the signature block. */
  signature: { page: string; top: number };
  fingerprint: string;
}

/** A grid sheet's rows and columns. */
export interface GridGeometry {
  /** The header row (column names with units) and the 栏次 row under it (column codes). */
  headerRow: number;
  codesRow: number;
  /** Row of each grid row (by its code) and column of each grid column. */
  rowOf: ReadonlyMap<string, number>;
  colOf: ReadonlyMap<string, number>;
  /** The 说明 and 校验 columns, right of the grid. */
  noteCol: number;
  checkCol: number;
  /** The heading of last period's grid, and the row of each grid row in it. */
  previousHeadingRow: number;
  previousRowOf: ReadonlyMap<string, number>;
  /** The 填报说明 row (when the table has notes), the last row drawn. */
  notesRow: number;
}

/**
 * A detail list's sheet (issue 25): a header row of its fields' names (with units, * when required), the
 * 栏次 row of their codes under it, then the list's rows from `firstRow` — 序号 in column A, the fields
 * from B, the 校验 marks right of them — with room for the table's most rows (`lastRow`). The reader
 * takes every row down to the last one used, leaving out the wholly blank ones and saying where.
 * A growing list has no fixed place under it, so its 填报说明 sits at the top, on the status line's row
 * right of the status (fill-pages.ts); the add-in rewrites only the status cell A3.
 */
export interface DetailGeometry {
  headerRow: number;
  codesRow: number;
  firstRow: number;
  /** The last row the list may use: firstRow + maxRows − 1. */
  lastRow: number;
  colOf: ReadonlyMap<string, number>;
  checkCol: number;
}

/** A detail list's 序号 column. */
export const DETAIL_NUMBER_COL = 0;
/**
 * Rows below a list's last row that a reader still looks at: a list typed past its limit is refused
 * naming the first row over it, rather than its last rows dropped without a word.
 */
export const DETAIL_MARGIN_ROWS = 100;

function detailGeometry(d: DetailTable): DetailGeometry {
  const headerRow = FILL_BODY_ROW - 1;
  const firstRow = headerRow + 2;
  const colOf = new Map(d.fields.map((f, j) => [f.code, DETAIL_NUMBER_COL + 1 + j]));
  return { headerRow, codesRow: headerRow + 1, firstRow, lastRow: firstRow + d.maxRows - 1, colOf, checkCol: DETAIL_NUMBER_COL + 1 + d.fields.length };
}

/**
 * Where row `row` (from 1) of a detail list's field sits in the fill workbook (the 序号 cell without a field);
 * null when the list is not a page of this book. A list read back from a sheet left its blank rows out:
 * `rowsAt` (the sheet row of each of its rows, as the reader found them) puts row N where it was typed.
 */
export function detailSpot(book: FillBook, table: string, row: number, field?: string, rowsAt?: readonly number[]): FillSpot | null {
  const page = pageOf(book, table);
  if (page?.kind !== "detail") return null;
  const col = field === undefined ? DETAIL_NUMBER_COL : page.geometry.colOf.get(field);
  return col === undefined ? null : { page: table, row: rowsAt?.[row - 1] ?? page.geometry.firstRow + row - 1, col };
}

/**
 * What reading a fill workbook back takes beyond its fixed tables: the rows down to the longest list's
 * last row and its margin (0 without lists), and the cells its lists' rooms hold when every row is used
 * (序号 and every field), so an upload's limits can grow with the lists a template asks for.
 */
export function detailExtent(book: FillBook): { rows: number; cells: number } {
  let rows = 0;
  let cells = 0;
  for (const p of book.pages) {
    if (p.kind !== "detail") continue;
    rows = Math.max(rows, p.geometry.lastRow + 1 + DETAIL_MARGIN_ROWS);
    cells += p.table.maxRows * (p.table.fields.length + 1);
  }
  return { rows, cells };
}

/** The grid's fixed columns: 代码 and 项目. */
export const GRID_CODE_COL = 0;
export const GRID_NAME_COL = 1;
const GRID_FIRST_COL = 2;

/** A cover's fixed rows below the title, metadata, status lines: the legal face from row 4. */
export const COVER_FIRST_ROW = FILL_BODY_ROW;

function gridGeometry(g: GridTable): GridGeometry {
  const headerRow = FILL_BODY_ROW - 1;
  const codesRow = headerRow + 1;
  const first = codesRow + 1;
  const rowOf = new Map(g.rows.map((r, i) => [r.code, first + i]));
  const colOf = new Map(g.columns.map((c, j) => [c.code, GRID_FIRST_COL + j]));
  const previousHeadingRow = first + g.rows.length + 1;
  const previousRowOf = new Map(g.rows.map((r, i) => [r.code, previousHeadingRow + 1 + i]));
  return {
    headerRow, codesRow, rowOf, colOf,
    noteCol: GRID_FIRST_COL + g.columns.length, checkCol: GRID_FIRST_COL + g.columns.length + 1,
    previousHeadingRow, previousRowOf, notesRow: previousHeadingRow + g.rows.length + 2,
  };
}

/** What a page is called in messages: its 表号, else the table's name; 封面 for the cover. */
export const tableLabel = (t: Table): string => t.formNo || t.name.zh;

const books = new WeakMap<CompiledTemplate, FillBook>();

/** The fill workbook's layout for a compiled template (computed once per template). */
export function fillBook(compiled: CompiledTemplate): FillBook {
  const cached = books.get(compiled);
  if (cached) return cached;
  const book = compiled.template.form ? formBook(compiled) : singleBook(compiled);
  books.set(compiled, book);
  return book;
}

function singleBook(compiled: CompiledTemplate): FillBook {
  const index = fillIndex(compiled);
  const value = new Map<string, FillSpot>();
  const comment = new Map<string, FillSpot>();
  const check = new Map<string, FillSpot>();
  listSpots("main", index.rows, value, comment, check);
  return {
    single: true, pages: [{ key: "main", kind: "main", label: "", index }], value, comment, check,
    signature: { page: "main", top: signatureTopOf(index) }, fingerprint: index.fingerprint,
  };
}

function listSpots(page: string, rows: readonly FillRow[], value: Map<string, FillSpot>, comment: Map<string, FillSpot>, check: Map<string, FillSpot>): void {
  for (const r of rows) {
    if (r.kind !== "indicator") continue;
    const code = r.indicator.code;
    value.set(code, { page, row: r.row, col: FILL_COLUMNS.value });
    if (r.indicator.kind !== "derived") comment.set(code, { page, row: r.row, col: FILL_COLUMNS.comment });
    check.set(code, { page, row: r.row, col: FILL_COLUMNS.check });
  }
}

/** The cover's table of contents: its header row, then a row per table. */
const coverTablesRow = (legalLines: number): number => COVER_FIRST_ROW + legalLines + 1;

function formBook(compiled: CompiledTemplate): FillBook {
  const form = compiled.template.form!;
  const tables = tablesInOrder(form);
  const legalLines = legalFaceLines(form).split("\n").filter((l) => l !== "").length;
  const tablesRow = coverTablesRow(legalLines);
  const cover: FillPage = { key: "cover", kind: "cover", label: "封面", tablesRow, signatureTop: tablesRow + tables.length + 2 };
  const pages: FillPage[] = [cover];
  const value = new Map<string, FillSpot>();
  const comment = new Map<string, FillSpot>();
  const check = new Map<string, FillSpot>();
  const shape: string[] = [`cover:${tables.length}:${legalLines}`];
  for (const t of tables) {
    if (t.kind === "list") {
      const index = fillIndex(compiled, t.sections);
      pages.push({ key: t.code, kind: "list", label: tableLabel(t), table: t, index });
      listSpots(t.code, index.rows, value, comment, check);
      shape.push(`list:${t.code}:${index.rows.map((r) => (r.kind === "section" ? `#${r.section}` : r.indicator.code)).join(",")}`);
      continue;
    }
    if (t.kind === "detail") {
      pages.push({ key: t.code, kind: "detail", label: tableLabel(t), table: t, geometry: detailGeometry(t) });
      shape.push(`detail:${t.code}:${t.fields.map((f) => `${f.code}.${f.type}`).join(",")}:${t.maxRows}`);
      continue;
    }
    const geometry = gridGeometry(t);
    pages.push({ key: t.code, kind: "grid", label: tableLabel(t), table: t, geometry });
    for (const r of t.rows) {
      let noteTaken = false;
      for (const c of t.columns) {
        const code = gridCellCode(t.code, r.code, c.code);
        const ind = compiled.byCode.get(code);
        if (!ind) continue;
        const row = geometry.rowOf.get(r.code)!;
        value.set(code, { page: t.code, row, col: geometry.colOf.get(c.code)! });
        check.set(code, { page: t.code, row, col: geometry.checkCol });
        if (ind.kind !== "derived" && !noteTaken) {
          comment.set(code, { page: t.code, row, col: geometry.noteCol });
          noteTaken = true;
        }
      }
    }
    shape.push(`grid:${t.code}:${t.rows.map((r) => r.code).join(",")}:${t.columns.map((c) => c.code).join(",")}:${[...t.skip].sort().join(",")}`);
  }
  const { template } = compiled;
  return {
    single: false, pages, value, comment, check, signature: { page: "cover", top: cover.signatureTop },
    fingerprint: fingerprint(`${template.id}|${template.version}|${shape.join("|")}`),
  };
}

export function pageOf(book: FillBook, key: string): FillPage | undefined {
  return book.pages.find((p) => p.key === key);
}

/** A cell as a message names it: "D14" on a one-sheet template, "质兴2表 E7" on a form. */
export function spotText(book: FillBook, spot: FillSpot): string {
  const address = cellAddress(spot.row, spot.col);
  if (book.single) return address;
  return `${pageOf(book, spot.page)?.label ?? spot.page} ${address}`;
}

/** The cell an indicator's issue points at (its value cell), as a message names it; null for none. */
export function valueCellText(compiled: CompiledTemplate, code: string): string | null {
  const book = fillBook(compiled);
  const spot = book.value.get(code);
  return spot ? spotText(book, spot) : null;
}

/** The cell an indicator's 说明 is written in, as a message names it; null where it takes none. */
export function commentCellText(compiled: CompiledTemplate, code: string): string | null {
  const book = fillBook(compiled);
  const spot = book.comment.get(code);
  return spot ? spotText(book, spot) : null;
}
