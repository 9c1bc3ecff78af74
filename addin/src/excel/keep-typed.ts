// What the official typed on a fill workbook's sheets, carried into the sheets a pull draws again:
// figures and 说明 by indicator code (wherever the old sheet had them), the signature block by its labels.
import {
  FILL_COLUMNS, FILL_META_ROW, GRID_CODE_COL, GRID_NAME_COL, cellAddress, decodeFillMeta, fillBook, gridCellCode, pageOf,
  type CellValue, type CompiledTemplate, type FillBook, type FillPage, type SheetPlan,
} from "@tianbao/shared";
import type { Grid } from "./read-grid";

/** A sheet as it was before the pull: its cells, and which of them hold an Excel error value ("D14" → "#N/A"). */
export interface OldSheet {
  grid: Grid;
  errors: ReadonlyMap<string, string>;
}

interface Typed { value: CellValue; comment: CellValue }

const blank = (v: CellValue | undefined): boolean => v === null || v === undefined || v === "";

/**
 * Puts the figures and 说明 typed on the old sheets into the plans (of the same round and unit), by
 * indicator code: where the new drawing puts a code's value and 说明 comes from fillBook, so a list
 * page, a grid page and the one sheet of a template without a form are treated alike. Says which
 * typed figures differ from the server's. An error value (#N/A) is not something typed: written
 * back into a Text cell it would become the text "#N/A".
 */
export function keepTyped(compiled: CompiledTemplate, plans: readonly SheetPlan[], olds: readonly OldSheet[], dropped: string[] = []): string[] {
  const book = fillBook(compiled);
  const typed = new Map<string, Typed>();
  for (const old of olds) typedOn(compiled, book, old, typed, dropped);
  const at = new Map<string, { code: string; what: keyof Typed }>();
  for (const [code, spot] of book.value) if (compiled.byCode.get(code)?.kind !== "derived") at.set(`${spot.page}|${spot.row}|${spot.col}`, { code, what: "value" });
  for (const [code, spot] of book.comment) at.set(`${spot.page}|${spot.row}|${spot.col}`, { code, what: "comment" });
  const kept: string[] = [];
  for (const plan of plans) {
    const page = decodeFillMeta(plan.properties.tianbao)?.page ?? "main";
    for (const cell of plan.cells) {
      if (cell.locked || cell.style === "signInput") continue;
      const here = at.get(`${page}|${cell.row}|${cell.col}`);
      const mine = here ? typed.get(here.code)?.[here.what] : undefined;
      if (!here || mine === undefined || blank(mine)) continue;
      if (here.what === "value" && mine !== cell.value) kept.push(here.code);
      cell.value = mine;
    }
  }
  return kept;
}

/**
 * The typed figures and 说明 of one old sheet, by code. Found by the codes the sheet shows, not by
 * position: a row the official inserted (on the unprotected sheet) moves them, and the figures must
 * still go with their codes. A grid's cells by its row codes (代码 column) and column codes (栏次 row).
 */
function typedOn(compiled: CompiledTemplate, book: FillBook, old: OldSheet, into: Map<string, Typed>, dropped: string[]): void {
  const key = decodeFillMeta(old.grid[FILL_META_ROW]?.[0])?.page ?? "main";
  const page = pageOf(book, key);
  if (page?.kind === "cover") return;
  const at = (row: number, col: number): CellValue => (old.errors.has(cellAddress(row, col)) ? null : old.grid[row]?.[col] ?? null);
  if (page?.kind === "grid") return gridTyped(compiled, book, page, old.grid, at, into, dropped);
  // a list page, the one sheet of a template without a form (or a one-sheet drawing of a form): codes in column A
  old.grid.forEach((row, r) => {
    const code = row[FILL_COLUMNS.code];
    if (typeof code === "string" && compiled.byCode.has(code) && !into.has(code)) into.set(code, { value: at(r, FILL_COLUMNS.value), comment: at(r, FILL_COLUMNS.comment) });
  });
}

function gridTyped(
  compiled: CompiledTemplate, book: FillBook, page: FillPage & { kind: "grid" }, grid: Grid, at: (row: number, col: number) => CellValue, into: Map<string, Typed>,
  dropped: string[],
): void {
  const g = page.table;
  const geo = page.geometry;
  const text = (row: number, col: number) => String(grid[row]?.[col] ?? "").trim();
  const found = grid.findIndex((_, r) => text(r, GRID_NAME_COL) === "栏次");
  const codesRow = found >= 0 ? found : geo.codesRow;
  const colOf = new Map<string, number>();
  (grid[codesRow] ?? []).forEach((v, col) => { if (col > GRID_NAME_COL && !blank(v) && !colOf.has(String(v).trim())) colOf.set(String(v).trim(), col); });
  const noteCol = (grid[codesRow - 1] ?? []).findIndex((v) => String(v ?? "").trim() === "说明");
  const rowCodes = new Set(g.rows.map((r) => r.code));
  const rowOf = new Map<string, number>();
  for (let row = codesRow + 1; row < grid.length; row++) {
    const code = text(row, GRID_CODE_COL);
    if (rowCodes.has(code) && !rowOf.has(code)) rowOf.set(code, row);
  }
  for (const r of g.rows) {
    const row = rowOf.get(r.code);
    if (row === undefined) continue;
    for (const c of g.columns) {
      const code = gridCellCode(g.code, r.code, c.code);
      const col = colOf.get(c.code);
      // something typed where the form asks for nothing (a — cell, after unprotecting) cannot be kept: said, not dropped silently
      if (col !== undefined && !compiled.byCode.has(code) && !blank(at(row, col)) && text(row, col) !== "—") dropped.push(`${page.label} ${cellAddress(row, col)}「${text(row, col)}」`);
      if (col === undefined || !compiled.byCode.has(code) || into.has(code)) continue;
      const owns = book.comment.get(code) !== undefined;
      into.set(code, { value: at(row, col), comment: owns ? at(row, noteCol >= 0 ? noteCol : geo.noteCol) : null });
    }
  }
}

/**
 * What the official wrote in the signature block (负责人, 填报人, 联系电话…) stays when the sheet is
 * drawn again, found by its label so a template with more rows still finds it.
 */
export function keepSignature(plan: SheetPlan, old: Grid): void {
  const labelAt = new Map(plan.cells.filter((c) => c.style === "signLabel").map((c) => [`${c.row},${c.col}`, c.value]));
  for (const cell of plan.cells) {
    if (cell.style !== "signInput") continue;
    const label = labelAt.get(`${cell.row},${cell.col - 1}`);
    const row = old.find((r) => r[cell.col - 1] === label);
    const mine = row?.[cell.col];
    if (mine !== null && mine !== undefined && mine !== "") cell.value = mine;
  }
}
