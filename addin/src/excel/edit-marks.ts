import { FILL_COLUMNS, cellAddress, fillIndex, type CompiledTemplate } from "@tianbao/shared";
import { PROTECTION } from "./write-plan";

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

/** Rows (0-based) of indicators whose value or 说明 cell lies in `address` ("D7", "D7:F9"). */
export function editedRows(compiled: CompiledTemplate, address: string): number[] {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(address.split("!").pop()!);
  if (!m) return [];
  const col = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const c0 = col(m[1]!), r0 = Number(m[2]) - 1, c1 = m[3] ? col(m[3]) : c0, r1 = m[4] ? Number(m[4]) - 1 : r0;
  const touches = (c: number) => c >= Math.min(c0, c1) && c <= Math.max(c0, c1);
  if (!touches(FILL_COLUMNS.value) && !touches(FILL_COLUMNS.comment)) return [];
  return fillIndex(compiled).rows
    .filter((r) => r.kind === "indicator" && r.indicator.kind !== "derived" && r.row >= Math.min(r0, r1) && r.row <= Math.max(r0, r1))
    .map((r) => r.row);
}

/**
 * After a submit: watches the fill sheet so that a figure or 说明 the official changes afterwards is
 * marked 已修改，未上报 in its check cell until the next submit (which clears the column). Queued for
 * the caller's sync (no round trip of its own); once per sheet per runtime; only where ExcelApi 1.14
 * gives the change's trigger source, so the add-in's own writes (the mark included) are ignored.
 */
export function watchEdits(ws: Excel.Worksheet, sheetName: string, compiled: CompiledTemplate): boolean {
  try {
    if (!Office.context.requirements.isSetSupported(...EDIT_MARKS_SET) || watched.has(sheetName) || !ws.onChanged) return false;
  } catch {
    return false;
  }
  watched.add(sheetName);
  ws.onChanged.add(async (args: Excel.WorksheetChangedEventArgs) => {
    if (String(args.triggerSource) !== "Unknown") return; // "ThisLocalAddin": our own write
    const rows = editedRows(compiled, args.address);
    if (rows.length === 0) return;
    try {
      await Excel.run({ delayForCellEdit: true }, async (context) => {
        const sheet = context.workbook.worksheets.getItem(args.worksheetId);
        const p = sheet.protection.load("protected");
        await context.sync();
        if (p.protected) sheet.protection.unprotect();
        for (const row of rows) sheet.getRange(cellAddress(row, FILL_COLUMNS.check)).values = [[EDITED_MARK]];
        if (p.protected) sheet.protection.protect(PROTECTION);
        await context.sync();
      });
    } catch (e) {
      console.warn("the edit could not be marked", e); // a mark is a courtesy; the figures are untouched
    }
  });
  return true;
}

/** Forgets what is watched (a new runtime starts with nothing; for tests). */
export function resetEditWatch(): void { watched.clear(); }
