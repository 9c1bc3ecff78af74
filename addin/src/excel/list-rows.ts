// 插入行 / 删除行 on a detail list's sheet (issue 25): rows inserted above the selected one, or the
// selected rows deleted, inside the list's block (sheet rows firstRow…lastRow), as Excel's own 插入行
// would — the rows below move with their values, formats and rules — while the block keeps its size:
// an insert takes its rows from the room at the bottom, a delete gives them back there. The sheet is
// protected without allowInsertRows/allowDeleteRows (the official could otherwise insert rows above the
// table and move its metadata), so the add-in unprotects it, shifts whole rows (Range.getEntireRow
// .insert/.delete, ExcelApi 1.1) and protects it again in the same batch, as every other write does.
// Three round trips whatever the list's length: the active sheet's metadata (before the template is
// known, outside this file), then the selection and what the block holds, then the whole change.
import {
  DETAIL_MARGIN_ROWS, FILL_META_ROW, buildFillPlans, cellAddress, columnLetter, decodeFillMeta,
  type CellPlan, type CompiledTemplate, type FillMeta, type FillPage, type SheetPlan,
} from "@tianbao/shared";
import { PROTECTION, STYLE_FORMATS, cellFormat, hasStyle, styleRange, validate } from "./write-plan";
import { guardedWrite } from "./guard";

/**
 * What a confirmed delete leaves in the 校验 cell of the row now where the deleted ones were: like
 * EDITED_MARK (已修改，未上报, edit-marks.ts), the next check or submit clears it.
 */
export const deletedMark = (count: number): string => `已删除 ${count} 行，未上报`;

export type DetailPage = FillPage & { kind: "detail" };

/** The active sheet (its id, which stays when the tab is renamed, and its name) and the metadata in its A2 (null when it is no fill sheet). One sync. */
export async function readActiveMeta(context: Excel.RequestContext): Promise<{ id: string; name: string; meta: FillMeta | null }> {
  const ws = context.workbook.worksheets.getActiveWorksheet().load("id,name");
  const a2 = ws.getRange(cellAddress(FILL_META_ROW, 0)).load("values");
  await context.sync();
  return { id: ws.id, name: ws.name, meta: decodeFillMeta(a2.values[0]?.[0]) };
}

export type RowsOp = { kind: "insert"; count: number } | { kind: "delete"; confirmed?: { first: number; count: number } };

/** What became of a row operation; rows are 0-based sheet rows. */
export type RowsOutcome =
  /** Done; `marked` when the delete was marked 已删除 N 行，未上报 on the sheet (it was drawn from or submitted as a revision). */
  | { ok: true; first: number; count: number; marked?: boolean }
  /** The active sheet is no longer the one read before (the official moved on meanwhile). */
  | { ok: false; why: "moved" }
  /** The selection is not (wholly, for a delete) within the list's block. */
  | { ok: false; why: "outside"; selFirst: number; selCount: number }
  /** An insert would push the list's last used row past the block: `room` rows can still be inserted there. */
  | { ok: false; why: "full"; lastUsed: number; room: number }
  /** The rows to delete hold something: deleted only once the official confirms (Excel cannot undo an add-in's change). */
  | { ok: false; why: "confirm"; first: number; count: number };

/**
 * Inserts `count` blank rows above the selected row, or deletes the selected rows, within the list's
 * block on the active sheet (which must still be `expect`: the same sheet, by its id, and the same
 * list of the same report in its metadata). Two syncs: the state (selection,
 * protection, the block's last used row, whether the rows to delete hold anything), then the change —
 * unprotect, shift the whole rows, give the block back its size at the bottom, draw the new open rows
 * (formats, unlocked fields, the fields' rules), rewrite the 序号 formulas from the first row touched
 * down to the block's end (a moved row's formula would still count from the row above the insertion,
 * a deleted row's neighbour from a row that is gone: one write puts each back on the row above it),
 * protect again if it was protected. A failed write protects the sheet again (guardedWrite).
 * A confirmed delete on a sheet drawn from (or submitted as) a revision of the report also writes
 * 已删除 N 行，未上报 in the 校验 cell of the row now where the deleted rows were, as typing after a
 * submit marks its row 已修改，未上报 (edit-marks.ts): the list is no longer what the server holds, and
 * the status line still names that revision. A selection of several areas fails the first sync
 * (Workbook.getSelectedRange: InvalidSelection), before anything is written.
 */
export async function shiftListRows(
  context: Excel.RequestContext, compiled: CompiledTemplate, page: DetailPage, expect: { id: string; name: string; meta: FillMeta }, op: RowsOp,
): Promise<RowsOutcome> {
  const geo = page.geometry;
  const lastField = geo.checkCol - 1;
  const fieldsLetters = `${columnLetter(1)}:${columnLetter(lastField)}`;
  const ws = context.workbook.worksheets.getActiveWorksheet().load("id,name");
  const a2 = ws.getRange(cellAddress(FILL_META_ROW, 0)).load("values");
  const protection = ws.protection.load("protected");
  const selected = context.workbook.getSelectedRange();
  const sel = selected.load("rowIndex,rowCount");
  // the last row any field uses, down to the reader's margin below the block (a list already too long shows there)
  const used = ws.getRange(`${cellAddress(geo.firstRow, 1)}:${cellAddress(geo.lastRow + DETAIL_MARGIN_ROWS, lastField)}`).getUsedRangeOrNullObject(true).load("isNullObject,rowIndex,rowCount");
  // whether the selected rows hold anything in a field (a delete asks first)
  const inSelection = op.kind === "delete" && !op.confirmed
    ? selected.getEntireRow().getIntersection(ws.getRange(fieldsLetters)).getUsedRangeOrNullObject(true).load("isNullObject")
    : null;
  await context.sync();
  const meta = decodeFillMeta(a2.values[0]?.[0]);
  if (ws.id !== expect.id || ws.name !== expect.name || !meta || meta.page !== expect.meta.page || meta.roundId !== expect.meta.roundId || meta.unitId !== expect.meta.unitId) return { ok: false, why: "moved" };
  const lastUsed = used.isNullObject ? -1 : used.rowIndex + used.rowCount - 1;
  let first: number;
  let count: number;
  if (op.kind === "insert") {
    first = sel.rowIndex;
    if (first < geo.firstRow || first > geo.lastRow) return { ok: false, why: "outside", selFirst: sel.rowIndex, selCount: sel.rowCount };
    // rows inserted below the last used row move nothing that holds anything
    if (lastUsed >= first && lastUsed + op.count > geo.lastRow) return { ok: false, why: "full", lastUsed, room: Math.max(0, geo.lastRow - lastUsed) };
    // below the last used row the block holds only open rows: more than are left there would only spill past its end
    count = Math.min(op.count, geo.lastRow - first + 1);
  } else {
    first = sel.rowIndex;
    count = sel.rowCount;
    if (first < geo.firstRow || first + count - 1 > geo.lastRow) return { ok: false, why: "outside", selFirst: sel.rowIndex, selCount: sel.rowCount };
    if (op.confirmed && (op.confirmed.first !== first || op.confirmed.count !== count)) return { ok: false, why: "moved" };
    if (inSelection && !inSelection.isNullObject) return { ok: false, why: "confirm", first, count };
  }
  const plan = openPlan(compiled, page, expect.meta);
  const wasProtected = protection.protected;
  // rows that held something deleted from a list the server has a revision of: said where they were
  const mark = op.kind === "delete" && op.confirmed !== undefined && (meta.revision ?? 0) > 0;
  await guardedWrite(context, [ws.name], wasProtected, async () => {
    if (wasProtected) ws.protection.unprotect();
    const rows = (a: number, b: number) => ws.getRange(`${cellAddress(a, 0)}:${cellAddress(b, 0)}`).getEntireRow();
    if (op.kind === "insert") {
      rows(first, first + count - 1).insert("Down");
      // the open rows pushed past the block's end (blank: checked above) go, so the block keeps its size
      rows(geo.lastRow + 1, geo.lastRow + count).delete("Up");
      drawOpenRows(ws, page, plan, first, first + count - 1);
    } else {
      rows(first, first + count - 1).delete("Up");
      // as many open rows back at the block's end, pushing what lay below it (nothing, or a list too long) back where it was
      rows(geo.lastRow - count + 1, geo.lastRow).insert("Down");
      drawOpenRows(ws, page, plan, geo.lastRow - count + 1, geo.lastRow);
      if (mark) {
        const check = ws.getRange(cellAddress(first, geo.checkCol));
        check.values = [[deletedMark(count)]];
        check.format.font.color = STYLE_FORMATS.check.color!;
      }
    }
    const numbers = plan.byCell;
    ws.getRange(`${cellAddress(first, 0)}:${cellAddress(geo.lastRow, 0)}`).formulas =
      Array.from({ length: geo.lastRow - first + 1 }, (_, i) => [numbers.get(`${first + i},0`)?.formula ?? ""]);
    if (wasProtected) ws.protection.protect(PROTECTION);
    await context.sync();
  });
  return { ok: true, first, count, ...(mark ? { marked: true } : {}) };
}

interface OpenPlan {
  /** The cells of one open row of the list (序号 and the fields), by column. */
  row: CellPlan[];
  /** Every cell of the page's plan, by "row,col" (the 序号 formulas of the block). */
  byCell: Map<string, CellPlan>;
  validations: SheetPlan["validations"];
}

/** The list's page as a pull draws it with no rows: what an open row is made of. */
function openPlan(compiled: CompiledTemplate, page: DetailPage, meta: FillMeta): OpenPlan {
  const plans = buildFillPlans(compiled, { roundId: meta.roundId, period: "2025", unit: { id: meta.unitId, name: meta.unitId } });
  const plan = plans.find((p) => decodeFillMeta(p.properties.tianbao)?.page === page.key)!;
  const byCell = new Map(plan.cells.map((c) => [`${c.row},${c.col}`, c]));
  const row = plan.cells.filter((c) => c.row === page.geometry.firstRow);
  return { row, byCell, validations: plan.validations };
}

/**
 * Open rows a…b drawn as the pull draws them: whatever the new rows took from their neighbours cleared
 * (Excel's 插入行 formats them like the row above, which for the first row is the 栏次 row), then each
 * column's number format and style, the fields unlocked and their rules over these rows.
 */
function drawOpenRows(ws: Excel.Worksheet, page: DetailPage, plan: OpenPlan, a: number, b: number): void {
  const geo = page.geometry;
  const all = ws.getRange(`${cellAddress(a, 0)}:${cellAddress(b, geo.checkCol)}`);
  all.clear("Formats");
  all.dataValidation.clear();
  const formats = Array.from({ length: geo.checkCol + 1 }, (_, col) => {
    const c = plan.row.find((x) => x.col === col);
    return c ? cellFormat(c, new Set()) : "General";
  });
  all.numberFormat = Array.from({ length: b - a + 1 }, () => formats);
  const span = (c0: number, c1: number) => ws.getRange(`${cellAddress(a, c0)}:${cellAddress(b, c1)}`);
  for (const [style, cols] of groupBy(plan.row, (c) => c.style)) if (hasStyle(style)) for (const [c0, c1] of runsOf(cols)) styleRange(span(c0, c1), style);
  for (const [c0, c1] of runsOf(plan.row.filter((c) => !c.locked).map((c) => c.col))) span(c0, c1).format.protection.locked = false;
  for (const v of plan.validations) {
    const col = /^([A-Z]+)\d+/.exec(v.cell)?.[1];
    if (col) validate(ws.getRange(`${col}${a + 1}:${col}${b + 1}`), { ...v, cell: `${col}${a + 1}:${col}${b + 1}` });
  }
}

function groupBy<K>(cells: readonly CellPlan[], by: (c: CellPlan) => K): Map<K, number[]> {
  const out = new Map<K, number[]>();
  for (const c of cells) out.set(by(c), [...(out.get(by(c)) ?? []), c.col]);
  return out;
}

/** Columns as runs of neighbours ([2, 3, 4, 7] → [2, 4], [7, 7]): one command per run. */
function runsOf(cols: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const c of [...cols].sort((x, y) => x - y)) {
    const last = out.at(-1);
    if (last && last[1] === c - 1) last[1] = c;
    else out.push([c, c]);
  }
  return out;
}
