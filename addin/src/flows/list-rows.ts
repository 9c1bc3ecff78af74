// 插入行 / 删除行 on a detail list's sheet, from the pane: which sheet and list the official is on (its
// metadata), the template (outside any Excel batch: it may come over the network), then the rows moved
// within the list's block (excel/list-rows.ts). Every refusal says why in the official's words.
// Rows are named as the worksheet numbers them (工作表第 8 行): 第 N 行 alone is the list's row whose 序号 is N.
import { cellAddress, fillBook, pageOf, type FillMeta, type LocalizedText } from "@tianbao/shared";
import { SheetWriteError, isOfficeError } from "../excel/errors";
import { readActiveMeta, shiftListRows, type DetailPage, type RowsOp, type RowsOutcome } from "../excel/list-rows";
import { T, type Lang } from "../i18n/messages";
import { api, compiledFor } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

export interface ListRowsResult extends FlowResult {
  /**
   * A delete of rows that hold something waits for the official's word: send this very object back to
   * confirm it. It is good once, for these rows of the sheet and list it was asked on (askedOn).
   */
  confirm?: { first: number; count: number };
}

/** Where a confirmation was asked: the sheet (its id, and its name to say it) and the list of the report its metadata names. */
interface AskedOn {
  sheetId: string;
  sheetName: string;
  meta: FillMeta;
}

/**
 * The confirmations handed out, by the object itself: a confirmation given while another sheet (or
 * another list of the same report) is active, or one this module never asked for, deletes nothing.
 */
const askedOn = new WeakMap<object, AskedOn>();

/** 插入行: `count` blank rows above the selected row of the list on the active sheet. */
export const insertListRows = (lang: Lang, count: number): Promise<ListRowsResult> => {
  if (!Number.isInteger(count) || count < 1) return Promise.resolve({ ok: false, message: T.listRowsCount[lang] });
  return listRows(lang, { kind: "insert", count });
};

/** 删除行: the selected rows of the list on the active sheet (rows that hold something only once confirmed). */
export const deleteListRows = (lang: Lang, confirmed?: { first: number; count: number }): Promise<ListRowsResult> =>
  listRows(lang, { kind: "delete", ...(confirmed ? { confirmed } : {}) });

async function listRows(lang: Lang, op: RowsOp): Promise<ListRowsResult> {
  let active: { id: string; name: string; meta: FillMeta | null };
  try {
    active = await excelRun((ctx) => readActiveMeta(ctx));
  } catch (e) {
    console.error("reading the active sheet failed", e);
    return { ok: false, message: T.listRowsReadFailed[lang] };
  }
  const meta = active.meta;
  if (op.kind === "delete" && op.confirmed) {
    const asked = askedOn.get(op.confirmed);
    askedOn.delete(op.confirmed); // good once: a second click asks again
    if (!asked) return { ok: false, message: T.listSheetMoved[lang] };
    if (!sameList(asked, active.id, meta)) return { ok: false, message: otherSheetText(asked, active.name, op.confirmed)[lang] };
  }
  if (!meta?.page) return { ok: false, message: T.notListSheet[lang] };
  const compiled = await compiledFor({ templateId: meta.templateId, templateVersion: meta.version });
  if (!compiled) return { ok: false, message: api.user ? T.network[lang] : T.signInFirst[lang] };
  const book = fillBook(compiled);
  const page = pageOf(book, meta.page);
  if (page?.kind !== "detail") return { ok: false, message: T.notListSheet[lang] };
  if (meta.fingerprint !== book.fingerprint) return { ok: false, message: T.listLayoutChanged[lang] };
  if (op.kind === "insert" && op.count > page.table.maxRows) return { ok: false, message: T.listRowsCount[lang] };
  let r: RowsOutcome;
  try {
    r = await excelRun((ctx) => shiftListRows(ctx, compiled, page, { id: active.id, name: active.name, meta }, op));
  } catch (e) {
    if (e instanceof SheetWriteError) return { ok: false, message: e.text[lang] };
    // several areas selected (Ctrl+click): Workbook.getSelectedRange refuses them, and a retry never helps
    if (isOfficeError(e, "InvalidSelection")) return { ok: false, message: T.listRowsOneBlock[lang] };
    console.error("the rows could not be moved", e);
    return { ok: false, message: T.listRowsFailed[lang] };
  }
  const out = said(page, op, r, lang, meta.revision);
  if (out.confirm) askedOn.set(out.confirm, { sheetId: active.id, sheetName: active.name, meta });
  return out;
}

/** Whether the active sheet is the one a confirmation was asked on: the same sheet, holding the same list of the same report. */
function sameList(asked: AskedOn, sheetId: string, meta: FillMeta | null): boolean {
  const a = asked.meta;
  return sheetId === asked.sheetId && meta !== null && meta.page === a.page && meta.roundId === a.roundId && meta.unitId === a.unitId
    && meta.templateId === a.templateId && meta.version === a.version;
}

/** A confirmation given for rows of another sheet: nothing deleted, both sheets named. */
function otherSheetText(asked: AskedOn, activeName: string, rows: { first: number; count: number }): LocalizedText {
  if (activeName === asked.sheetName) return T.listSheetMoved;
  return {
    zh: `确认删除的是工作表「${asked.sheetName}」第 ${rowsText(rows.first, rows.count)} 行，当前工作表是「${activeName}」：未删除任何行。如要删除当前工作表中的行，请选中这些行后再点“${T.listDelete.zh}”。`,
    en: `The deletion confirmed was of worksheet rows ${rowsText(rows.first, rows.count)} of '${asked.sheetName}', and the active sheet is '${activeName}': nothing was deleted. To delete rows of this sheet, select them and click '${T.listDelete.en}' again.`,
  };
}

/** Sheet rows as the official reads them: 第 12 行, 第 12–14 行 (after 工作表: they are the worksheet's rows, not the list's). */
const rowsText = (first: number, count: number): string => (count === 1 ? `${first + 1}` : `${first + 1}–${first + count}`);

function said(page: DetailPage, op: RowsOp, r: RowsOutcome, lang: Lang, revision: number | undefined): ListRowsResult {
  const text = outcomeText(page, op, r, revision)[lang];
  if (r.ok) return { ok: true, message: text };
  return { ok: false, message: text, ...(r.why === "confirm" ? { confirm: { first: r.first, count: r.count } } : {}) };
}

/** `revision`: the one the sheet was drawn from or submitted as (its metadata's), which a delete no longer matches. */
function outcomeText(page: DetailPage, op: RowsOp, r: RowsOutcome, revision: number | undefined): LocalizedText {
  const geo = page.geometry;
  const t = page.table;
  const block = { zh: `「${page.label}」的清单行在工作表第 ${geo.firstRow + 1}–${geo.lastRow + 1} 行（最多 ${t.maxRows} 行）`, en: `the list rows of '${page.label}' are worksheet rows ${geo.firstRow + 1}–${geo.lastRow + 1} (at most ${t.maxRows} rows)` };
  if (r.ok) {
    return op.kind === "insert"
      ? { zh: `已在「${page.label}」工作表第 ${r.first + 1} 行上方插入 ${r.count} 行（工作表第 ${rowsText(r.first, r.count)} 行），下方的行随之下移；清单末尾的空行相应减少。`, en: `Inserted ${r.count} row(s) above worksheet row ${r.first + 1} of '${page.label}' (worksheet rows ${rowsText(r.first, r.count)}); the rows below moved down and the blank rows at the list's end are fewer by as many.` }
      : {
        zh: `已删除「${page.label}」工作表第 ${rowsText(r.first, r.count)} 行，下方的行随之上移；清单末尾的空行相应增加。${r.marked ? `清单已与第 ${revision} 版不同（已修改，未上报），请校验后重新上报。` : ""}`,
        en: `Deleted worksheet rows ${rowsText(r.first, r.count)} of '${page.label}'; the rows below moved up and the list's end has as many more blank rows.${r.marked ? ` The list now differs from revision ${revision} (changed, not submitted): check it and submit again.` : ""}`,
      };
  }
  switch (r.why) {
    case "moved": return T.listSheetMoved;
    case "outside": {
      const what = op.kind === "insert" ? { zh: "插入行", en: "insert rows" } : { zh: "删除行", en: "delete rows" };
      return { zh: `请先在清单中选中要${op.kind === "insert" ? "在其上方插入的行" : "删除的行"}，再${what.zh}：${block.zh}，当前选中的是工作表第 ${rowsText(r.selFirst, r.selCount)} 行。`, en: `Select the list row(s) to ${op.kind === "insert" ? "insert above" : "delete"} first, then ${what.en}: ${block.en}; the selection is worksheet row(s) ${rowsText(r.selFirst, r.selCount)}.` };
    }
    case "full": {
      const count = op.kind === "insert" ? op.count : 0;
      return {
        zh: `未插入：${block.zh}，已填到第 ${r.lastUsed + 1} 行，插入 ${count} 行后最后一行将超出第 ${geo.lastRow + 1} 行。${r.room > 0 ? `最多还能插入 ${r.room} 行；` : ""}如需更多行，请先删除不需要的行。`,
        en: `Nothing inserted: ${block.en}, and the list is filled down to worksheet row ${r.lastUsed + 1}; inserting ${count} row(s) would push its last row past worksheet row ${geo.lastRow + 1}. ${r.room > 0 ? `At most ${r.room} more row(s) fit; ` : ""}delete rows that are not needed first.`,
      };
    }
    case "confirm":
      return {
        zh: `所选的「${page.label}」工作表第 ${rowsText(r.first, r.count)} 行中有已填写的内容。删除后无法用“撤销”恢复，确认删除吗？（选中位置在 ${cellAddress(r.first, 0)}）`,
        en: `Worksheet rows ${rowsText(r.first, r.count)} of '${page.label}' hold what was typed. A deletion cannot be undone with Undo: delete them? (the selection is at ${cellAddress(r.first, 0)})`,
      };
  }
}
