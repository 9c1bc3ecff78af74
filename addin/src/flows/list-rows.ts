// 插入行 / 删除行 on a detail list's sheet, from the pane: which sheet and list the official is on (its
// metadata), the template (outside any Excel batch: it may come over the network), then the rows moved
// within the list's block (excel/list-rows.ts). Every refusal says why in the official's words.
import { cellAddress, fillBook, pageOf, type FillMeta, type LocalizedText } from "@tianbao/shared";
import { SheetWriteError } from "../excel/errors";
import { readActiveMeta, shiftListRows, type DetailPage, type RowsOp, type RowsOutcome } from "../excel/list-rows";
import { T, type Lang } from "../i18n/messages";
import { api, compiledFor } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

export interface ListRowsResult extends FlowResult {
  /** A delete of rows that hold something waits for the official's word: send these back to confirm it. */
  confirm?: { first: number; count: number };
}

/** 插入行: `count` blank rows above the selected row of the list on the active sheet. */
export const insertListRows = (lang: Lang, count: number): Promise<ListRowsResult> => {
  if (!Number.isInteger(count) || count < 1) return Promise.resolve({ ok: false, message: T.listRowsCount[lang] });
  return listRows(lang, { kind: "insert", count });
};

/** 删除行: the selected rows of the list on the active sheet (rows that hold something only once confirmed). */
export const deleteListRows = (lang: Lang, confirmed?: { first: number; count: number }): Promise<ListRowsResult> =>
  listRows(lang, { kind: "delete", ...(confirmed ? { confirmed } : {}) });

async function listRows(lang: Lang, op: RowsOp): Promise<ListRowsResult> {
  let active: { name: string; meta: FillMeta | null };
  try {
    active = await excelRun((ctx) => readActiveMeta(ctx));
  } catch (e) {
    console.error("reading the active sheet failed", e);
    return { ok: false, message: T.listRowsReadFailed[lang] };
  }
  const meta = active.meta;
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
    r = await excelRun((ctx) => shiftListRows(ctx, compiled, page, { name: active.name, meta }, op));
  } catch (e) {
    if (e instanceof SheetWriteError) return { ok: false, message: e.text[lang] };
    console.error("the rows could not be moved", e);
    return { ok: false, message: T.listRowsFailed[lang] };
  }
  return said(page, op, r, lang);
}

/** Sheet rows as the official reads them: 第 12 行, 第 12–14 行. */
const rowsText = (first: number, count: number): string => (count === 1 ? `${first + 1}` : `${first + 1}–${first + count}`);

function said(page: DetailPage, op: RowsOp, r: RowsOutcome, lang: Lang): ListRowsResult {
  const text = outcomeText(page, op, r)[lang];
  if (r.ok) return { ok: true, message: text };
  return { ok: false, message: text, ...(r.why === "confirm" ? { confirm: { first: r.first, count: r.count } } : {}) };
}

function outcomeText(page: DetailPage, op: RowsOp, r: RowsOutcome): LocalizedText {
  const geo = page.geometry;
  const t = page.table;
  const block = { zh: `「${page.label}」的清单行在工作表第 ${geo.firstRow + 1}–${geo.lastRow + 1} 行（最多 ${t.maxRows} 行）`, en: `the list rows of '${page.label}' are worksheet rows ${geo.firstRow + 1}–${geo.lastRow + 1} (at most ${t.maxRows} rows)` };
  if (r.ok) {
    return op.kind === "insert"
      ? { zh: `已在「${page.label}」第 ${r.first + 1} 行上方插入 ${r.count} 行（第 ${rowsText(r.first, r.count)} 行），下方的行随之下移；清单末尾的空行相应减少。`, en: `Inserted ${r.count} row(s) above row ${r.first + 1} of '${page.label}' (rows ${rowsText(r.first, r.count)}); the rows below moved down and the blank rows at the list's end are fewer by as many.` }
      : { zh: `已删除「${page.label}」第 ${rowsText(r.first, r.count)} 行，下方的行随之上移；清单末尾的空行相应增加。`, en: `Deleted rows ${rowsText(r.first, r.count)} of '${page.label}'; the rows below moved up and the list's end has as many more blank rows.` };
  }
  switch (r.why) {
    case "moved": return T.listSheetMoved;
    case "outside": {
      const what = op.kind === "insert" ? { zh: "插入行", en: "insert rows" } : { zh: "删除行", en: "delete rows" };
      return { zh: `请先在清单中选中要${op.kind === "insert" ? "在其上方插入的行" : "删除的行"}，再${what.zh}：${block.zh}，当前选中的是第 ${rowsText(r.selFirst, r.selCount)} 行。`, en: `Select the list row(s) to ${op.kind === "insert" ? "insert above" : "delete"} first, then ${what.en}: ${block.en}; the selection is row(s) ${rowsText(r.selFirst, r.selCount)}.` };
    }
    case "full": {
      const count = op.kind === "insert" ? op.count : 0;
      return {
        zh: `未插入：${block.zh}，已填到第 ${r.lastUsed + 1} 行，插入 ${count} 行后最后一行将超出第 ${geo.lastRow + 1} 行。${r.room > 0 ? `最多还能插入 ${r.room} 行；` : ""}如需更多行，请先删除不需要的行。`,
        en: `Nothing inserted: ${block.en}, and the list is filled down to row ${r.lastUsed + 1}; inserting ${count} row(s) would push its last row past row ${geo.lastRow + 1}. ${r.room > 0 ? `At most ${r.room} more row(s) fit; ` : ""}delete rows that are not needed first.`,
      };
    }
    case "confirm":
      return {
        zh: `所选的第 ${rowsText(r.first, r.count)} 行中有已填写的内容。删除后无法用“撤销”恢复，确认删除吗？（选中位置在 ${cellAddress(r.first, 0)}）`,
        en: `Rows ${rowsText(r.first, r.count)} hold what was typed. A deletion cannot be undone with Undo: delete them? (the selection is at ${cellAddress(r.first, 0)})`,
      };
  }
}
