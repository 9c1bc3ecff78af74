// Range.insert("Down") and Range.delete("Up") (ExcelApi 1.1): "Inserts a cell or a range of cells into
// the worksheet in place of this range, and shifts the other cells to make space" / "Deletes the cells
// associated with the range" (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-insert-member(1),
// https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-delete-member(1)).
// What moves with the cells, as Excel does it:
// - each cell's value, formula, format, locking and data validation (the fake keeps validation per cell,
//   so it moves with its cell; Excel's validation ranges follow inserted and deleted cells the same way);
// - every reference to a moved cell, in any formula of the workbook, relative and absolute alike (a
//   reference names cells, not positions: Excel rewrites it when rows are inserted or deleted around
//   them; "$" only keeps it from changing when the formula is copied — paraphrasing "Switch between
//   relative, absolute, and mixed references",
//   https://support.microsoft.com/office/switch-between-relative-absolute-and-mixed-references-dfec08cd-ae65-4f56-839e-5f0d8d0baca9),
//   and a reference to a deleted cell becomes #REF! (paraphrasing "How to correct a #REF! error": it
//   shows when a formula refers to a cell that is not valid, most often because the cells it referred
//   to were deleted, https://support.microsoft.com/office/how-to-correct-a-ref-error-822c8e46-e610-4d13-a1ae-a6f7e7ac6f6e).
//   A range straddling the insertion grows; a range partly deleted shrinks.
// - whole rows (getEntireRow) also move their hidden state and height; merged areas move, grow or shrink.
// What the new cells get: Excel's grid formats inserted rows like the row above unless told otherwise
// (the Insert Options button; paraphrasing "Insert or delete cells, rows, and columns",
// https://support.microsoft.com/office/insert-or-delete-cells-rows-and-columns-6f40e6e4-85af-45e0-b39d-65dd504a3246);
// through the API this is not documented, so the fake leaves them blank, locked, General and without
// validation, and code must format them itself (the add-in clears and draws them, which gives the same
// sheet either way).
// On a protected sheet: refused (AccessDenied, as any change to a protected sheet) unless whole rows with
// allowInsertRows (insert), or whole rows with allowDeleteRows whose every cell is unlocked (delete;
// Protection.AllowDeletingRows, below). A range of cells shifted on a protected sheet is refused even
// with the permissions, which Excel's protection grants for whole rows (the stricter side).
// https://learn.microsoft.com/javascript/api/excel/excel.worksheetprotectionoptions
import { OfficeError, a1, columnName, key, parseRange, MAX_COL, type CellState, type SheetState, type WorkbookState } from "./state";
import { MAX_ROWS } from "./excel-rules";

type Box = { r0: number; c0: number; r1: number; c1: number };

/** A reference in a formula (outside "text"): an optional sheet, then a cell, a cell range or a row range. */
const REF = /(?<![A-Za-z0-9_.$\u00C0-\uFFFF'!])((?:'(?:[^']|'')+'|[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\u00C0-\uFFFF]*)!)?(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?|\$?\d+:\$?\d+)(?![A-Za-z0-9_(!])/g;

const colOf = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

interface End { colAbs: string; col: number | null; rowAbs: string; row: number }

function ends(text: string): End[] {
  return text.split(":").map((part) => {
    const m = /^(\$?)([A-Z]{1,3})?(\$?)(\d+)$/.exec(part)!;
    return { colAbs: m[2] ? m[1]! : "", col: m[2] ? colOf(m[2]) : null, rowAbs: m[2] ? m[3]! : m[1]! + m[3]!, row: Number(m[4]) - 1 };
  });
}

const endText = (e: End): string => `${e.col === null ? "" : `${e.colAbs}${columnName(e.col)}`}${e.rowAbs}${e.row + 1}`;

/**
 * A reference moved by a shift of the rows from `at` in columns c0…c1 (n > 0: n rows inserted at `at`;
 * n < 0: rows at…at−n−1 deleted); "#REF!" when every cell it names is deleted.
 */
function moved(text: string, shift: { at: number; n: number; c0: number; c1: number }): string {
  const e = ends(text);
  const whole = shift.c0 === 0 && shift.c1 === MAX_COL;
  const rowsOnly = e[0]!.col === null;
  if (rowsOnly && !whole) return text;
  if (!rowsOnly) {
    const cols = e.map((x) => x.col!);
    // a reference partly inside the shifted columns: what Excel does is not documented; the fake leaves it
    if (!whole && (Math.min(...cols) < shift.c0 || Math.max(...cols) > shift.c1)) return text;
  }
  const [first, last = first] = e as [End, End?];
  if (shift.n > 0) {
    const move = (x: End) => ({ ...x, row: x.row >= shift.at ? x.row + shift.n : x.row });
    return e.length === 1 ? endText(move(first)) : `${endText(move(first))}:${endText(move(last!))}`;
  }
  const gone = -shift.n;
  const d0 = shift.at;
  const d1 = shift.at + gone - 1;
  const lo = Math.min(first.row, last!.row);
  const hi = Math.max(first.row, last!.row);
  if (lo >= d0 && hi <= d1) return "#REF!";
  const top = (r: number) => (r < d0 ? r : r > d1 ? r - gone : d0);
  const bottom = (r: number) => (r < d0 ? r : r > d1 ? r - gone : d0 - 1);
  if (e.length === 1) return endText({ ...first, row: top(first.row) });
  return `${endText({ ...first, row: top(first.row) })}:${endText({ ...last!, row: bottom(last!.row) })}`;
}

const unquote = (name: string): string => (name.startsWith("'") ? name.slice(1, -1).replace(/''/g, "'") : name);

/** A formula with its references to `target` moved (unqualified ones only when the formula is on `target`). */
export function shiftFormula(formula: string, onTarget: boolean, targetName: string, shift: { at: number; n: number; c0: number; c1: number }): string {
  return formula.split(/("(?:[^"]|"")*")/).map((part, i) => (i % 2 === 1 ? part : part.replace(REF, (all, sheet: string | undefined, ref: string) => {
    const mine = sheet ? unquote(sheet.slice(0, -1)).toLowerCase() === targetName.toLowerCase() : onTarget;
    if (!mine) return all;
    const to = moved(ref, shift);
    return to === "#REF!" ? (sheet ? `${sheet}#REF!` : "#REF!") : `${sheet ?? ""}${to}`;
  }))).join("");
}

function protectedRefusal(s: SheetState, box: Box, what: "insert" | "delete"): void {
  if (!s.protected) return;
  const whole = box.c0 === 0 && box.c1 === MAX_COL;
  const o = (s.protectionOptions ?? {}) as { allowInsertRows?: boolean; allowDeleteRows?: boolean };
  if (what === "insert" && whole && o.allowInsertRows) return;
  if (what === "delete" && whole && o.allowDeleteRows) {
    // "The rows containing the cells to be deleted must be unlocked when the sheet is protected"
    // (Protection.AllowDeletingRows, https://learn.microsoft.com/office/vba/api/excel.protection.allowdeletingrows);
    // a cell never written is locked, as every cell is by default
    const unlocked = new Map<number, number>();
    for (const [k, c] of s.cells) { const r = Number(k.split(",")[0]); if (r >= box.r0 && r <= box.r1 && !c.locked) unlocked.set(r, (unlocked.get(r) ?? 0) + 1); }
    let all = true;
    for (let r = box.r0; r <= box.r1; r++) if ((unlocked.get(r) ?? 0) !== MAX_COL + 1) all = false;
    if (all) return;
  }
  throw new OfficeError("AccessDenied", `The cell or chart you're trying to change is on a protected sheet (${what === "insert" ? "insert" : "delete"} ${a1(box.r0, box.c0)}).`);
}

/** Moves the cells, formulas, rows and merges of a sheet for an insert (n > 0 at box.r0) or a delete (the box's rows). */
export function shiftCells(state: WorkbookState, s: SheetState, box: Box, what: "insert" | "delete"): void {
  protectedRefusal(s, box, what);
  const n = box.r1 - box.r0 + 1;
  const inCols = (c: number) => c >= box.c0 && c <= box.c1;
  const whole = box.c0 === 0 && box.c1 === MAX_COL;
  // merged areas: one partly inside the shifted columns would be cut; what the API does then is not documented, the fake refuses (the stricter side)
  for (const m of s.merges) {
    const a = parseRange(m);
    const crosses = a.c0 < box.c0 ? a.c1 >= box.c0 : a.c0 <= box.c1 && a.c1 > box.c1;
    if (crosses && a.r1 >= box.r0) throw new OfficeError("InvalidOperation", `The operation attempted is invalid on the object: it would cut the merged area ${m}.`);
  }
  if (what === "insert") {
    for (const [k, c] of s.cells) {
      const [r, col] = k.split(",").map(Number) as [number, number];
      // nothing that holds anything is pushed off the grid's last row (Excel's own words, below; 1,048,576 rows: excel-rules.ts)
      if (inCols(col) && r >= box.r0 && r + n >= MAX_ROWS && hasContent(c)) {
        throw new OfficeError("InvalidOperation", "To prevent possible loss of data, Excel cannot shift nonblank cells off of the worksheet.");
      }
    }
  }
  const next = new Map<string, CellState>();
  for (const [k, c] of s.cells) {
    const [r, col] = k.split(",").map(Number) as [number, number];
    if (!inCols(col) || r < box.r0) { next.set(k, c); continue; }
    if (what === "insert") { if (r + n < MAX_ROWS) next.set(key(r + n, col), c); continue; }
    if (r > box.r1) next.set(key(r - n, col), c);
  }
  s.cells = next;
  const shift = { at: box.r0, n: what === "insert" ? n : -n, c0: box.c0, c1: box.c1 };
  for (const sheet of state.sheets) {
    let touched = false;
    for (const c of sheet.cells.values()) {
      if (c.formula === null) continue;
      const f = shiftFormula(c.formula, sheet === s, s.name, shift);
      if (f !== c.formula) { c.formula = f; touched = true; }
    }
    if (touched) sheet.version++;
  }
  s.merges = s.merges.flatMap((m) => {
    const a = parseRange(m);
    if (a.c0 < box.c0 || a.c1 > box.c1 || a.r1 < box.r0) return [m];
    // inserted rows inside a merged area widen it; deleted ones narrow it, and one left a single cell is no merge
    const top = what === "insert" ? (a.r0 >= box.r0 ? a.r0 + n : a.r0) : a.r0 < box.r0 ? a.r0 : a.r0 > box.r1 ? a.r0 - n : box.r0;
    const bottom = what === "insert" ? a.r1 + n : a.r1 > box.r1 ? a.r1 - n : box.r0 - 1;
    if (bottom < top || (bottom === top && a.c0 === a.c1)) return [];
    return [`${a1(top, a.c0)}:${a1(bottom, a.c1)}`];
  });
  if (whole) {
    const move = (r: number): number | null => (r < box.r0 ? r : what === "insert" ? r + n : r > box.r1 ? r - n : null);
    s.hiddenRows = new Set([...s.hiddenRows].map(move).filter((r): r is number => r !== null));
    s.rowHeights = new Map([...s.rowHeights].map(([r, h]) => [move(r), h] as const).filter((e): e is [number, number] => e[0] !== null));
  }
  s.version++;
}

const hasContent = (c: CellState): boolean => c.value !== "" || c.formula !== null;
