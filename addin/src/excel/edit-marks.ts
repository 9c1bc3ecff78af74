import { cellAddress, fillBook, pageOf, type CompiledTemplate, type FillSpot } from "@tianbao/shared";
import { PROTECTION, STYLE_FORMATS } from "./write-plan";

/** What a changed-but-not-submitted figure says in its check cell; the next check or submit clears the column. */
export const EDITED_MARK = "已修改，未上报";

/**
 * Which requirement sets let the add-in tell the official's edits from its own: worksheet.onChanged
 * is ExcelApi 1.7, but the event's triggerSource ("ThisLocalAddin" for this add-in's own writes) is
 * ExcelApi 1.14 (https://learn.microsoft.com/javascript/api/excel/excel.worksheetchangedeventargs#excel-excel-worksheetchangedeventargs-triggersource-member,
 * https://learn.microsoft.com/javascript/api/excel/excel.eventtriggersource). Below 1.14 every
 * write of ours would look like an edit, so nothing is watched there (silently).
 */
export const EDIT_MARKS_SET = ["ExcelApi", "1.14"] as const;

const watched = new Set<string>();

/** The corners (0-based, inclusive) of an address as worksheet.onChanged gives it ("D7", "D7:F9", "Sheet1!D7"); null if it is not one. */
function cornersOf(address: string): { r0: number; c0: number; r1: number; c1: number } | null {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(address.split("!").pop()!);
  if (!m) return null;
  const col = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const c0 = col(m[1]!), r0 = Number(m[2]) - 1, c1 = m[3] ? col(m[3]) : c0, r1 = m[4] ? Number(m[4]) - 1 : r0;
  return { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
}

/**
 * The check cells to mark for an edit of `address` on a page of the fill workbook ("main" for a
 * one-sheet template, a table's code on a form): those of the typed figures whose value or 说明 cell
 * lies in it. On a grid one row's figures share a check cell: it is named once.
 */
export function editedChecks(compiled: CompiledTemplate, page: string, address: string): FillSpot[] {
  const box = cornersOf(address);
  if (!box) return [];
  const inside = (s: FillSpot | undefined) => s !== undefined && s.page === page && s.row >= box.r0 && s.row <= box.r1 && s.col >= box.c0 && s.col <= box.c1;
  const book = fillBook(compiled);
  const out = new Map<string, FillSpot>();
  for (const [code, value] of book.value) {
    if (value.page !== page || compiled.byCode.get(code)?.kind === "derived") continue;
    if (!inside(value) && !inside(book.comment.get(code))) continue;
    const check = book.check.get(code)!;
    out.set(`${check.row},${check.col}`, check);
  }
  return [...out.values()];
}

/**
 * The 校验 cells to mark for an edit of `address` on a detail list's page (issue 25): the rows of the
 * list's block it touches in a field — a paste of 2,000 rows is one run, written at once. Null elsewhere.
 */
export function editedListRows(compiled: CompiledTemplate, page: string, address: string): { first: number; last: number; col: number } | null {
  const p = pageOf(fillBook(compiled), page);
  const box = cornersOf(address);
  if (p?.kind !== "detail" || !box) return null;
  const geo = p.geometry;
  if (box.c1 < 1 || box.c0 >= geo.checkCol) return null; // the 序号 or 校验 column alone: no field
  const first = Math.max(box.r0, geo.firstRow);
  const last = Math.min(box.r1, geo.lastRow);
  return first <= last ? { first, last, col: geo.checkCol } : null;
}

/** Rows (0-based) of a one-sheet template's indicators whose value or 说明 cell lies in `address` ("D7", "D7:F9"). */
export const editedRows = (compiled: CompiledTemplate, address: string): number[] => editedChecks(compiled, "main", address).map((s) => s.row);

/**
 * After a submit: watches a fill sheet (the one sheet, or a page of a form: `page`) so that a figure
 * or 说明 — or a detail list's row — the official changes afterwards is marked 已修改，未上报 in its check cell until the next
 * check or submit (which clears the column). Queued for
 * the caller's sync (no round trip of its own); once per sheet per runtime; only where ExcelApi 1.14
 * gives the change's trigger source, so the add-in's own writes (the mark included) are ignored.
 */
export function watchEdits(ws: Excel.Worksheet, sheetName: string, compiled: CompiledTemplate, page = "main"): boolean {
  try {
    if (!Office.context.requirements.isSetSupported(...EDIT_MARKS_SET) || watched.has(sheetName) || !ws.onChanged) return false;
  } catch {
    return false;
  }
  watched.add(sheetName);
  ws.onChanged.add(async (args: Excel.WorksheetChangedEventArgs) => {
    if (String(args.triggerSource) !== "Unknown") return; // "ThisLocalAddin": our own write
    const checks = editedChecks(compiled, page, args.address);
    const rows = editedListRows(compiled, page, args.address);
    if (checks.length === 0 && !rows) return;
    try {
      await Excel.run({ delayForCellEdit: true }, async (context) => {
        const sheet = context.workbook.worksheets.getItem(args.worksheetId);
        const p = sheet.protection.load("protected");
        await context.sync();
        if (p.protected) sheet.protection.unprotect();
        for (const c of checks) sheet.getRange(cellAddress(c.row, c.col)).values = [[EDITED_MARK]];
        if (rows) {
          const column = sheet.getRange(`${cellAddress(rows.first, rows.col)}:${cellAddress(rows.last, rows.col)}`);
          column.values = Array.from({ length: rows.last - rows.first + 1 }, () => [EDITED_MARK]);
          column.format.font.color = STYLE_FORMATS.check.color!;
        }
        if (p.protected) sheet.protection.protect(PROTECTION);
        await context.sync();
      });
    } catch (e) {
      console.warn("the edit could not be marked", e); // a mark is a courtesy; the figures are untouched
    }
  });
  return true;
}

/**
 * Forgets one sheet: a sheet drawn anew under a watched name (the old one deleted, the pull making it
 * again) is a new sheet the old handler never hears, so the next submit watches it again.
 */
export function forgetEditWatch(sheetName: string): void { watched.delete(sheetName); }

/** Forgets what is watched (a new runtime starts with nothing; for tests). */
export function resetEditWatch(): void { watched.clear(); }
