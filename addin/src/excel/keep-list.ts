// A detail list's rows typed on the sheet (issue 25), carried into the sheet a pull draws again — as
// keep-typed.ts carries figures. The sheet is the official's working copy: what it holds is what the
// next submit sends, so a pull again must not put the server's list in place of rows typed but not yet
// submitted. The list is kept as a whole, row by row where it was typed (blank rows too, so each row
// stays on the sheet row it was on): when the old sheet's list holds anything, it is the list; when it
// is empty, the server's rows are drawn (as a figure cleared on the sheet gets the server's back).
// Which rows differ from the server's is said, as kept figures are; and when the emptied sheet had been
// drawn from the very revision the server still holds, with rows (the official deleted every one of
// them, as a county with no such enterprises this period does), the rows drawn back are said too, so
// nobody submits them again without knowing.
import {
  DETAIL_MARGIN_ROWS, FILL_META_ROW, cellAddress, decodeFillMeta, fillBook, validateDetailRows,
  type CellValue, type CompiledTemplate, type DetailTable, type FillPage, type Lists, type SheetPlan, type Value, type Values,
} from "@tianbao/shared";
import type { OldSheet } from "./keep-typed";
import type { Lang } from "../i18n/messages";

type DetailPage = FillPage & { kind: "detail" };

/** A list kept from the old sheet, for the pull's message: its label, its rows and where they differ from the server's. */
export interface KeptList {
  label: string;
  rows: number;
  serverRows: number;
  /** The list rows (from 1, as the reader numbers them) that differ from the server's row of that number. */
  differ: number[];
  /** The sheet row (0-based) from which something typed lay past the list's room: not drawn again. */
  overFrom?: number;
}

/** A list whose every row was deleted on the sheet, drawn again with the server's rows: its label, their count and the revision. */
export interface RefilledList {
  label: string;
  serverRows: number;
  revision: number;
}

const blank = (v: CellValue | undefined): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/**
 * Puts the list rows typed on the old sheets into the plans of their pages; says, per list, what was
 * kept when it differs from the server's rows. Rows typed past the list's room cannot be drawn: where
 * they began is said. A list emptied on a sheet drawn from the server's revision is drawn with the
 * server's rows again and put in `refilled`.
 */
export function keepTypedLists(
  compiled: CompiledTemplate, plans: readonly SheetPlan[], olds: readonly OldSheet[], server: Lists | null | undefined, refilled: RefilledList[] = [],
): KeptList[] {
  const book = fillBook(compiled);
  const kept: KeptList[] = [];
  for (const page of book.pages) {
    if (page.kind !== "detail") continue;
    const old = olds.find((o) => decodeFillMeta(o.grid[FILL_META_ROW]?.[0])?.page === page.key);
    const plan = plans.find((p) => decodeFillMeta(p.properties.tianbao)?.page === page.key);
    if (!old || !plan) continue;
    const typed = typedRows(page, old);
    const theirs = server?.[page.key] ?? [];
    if (typed.every((r) => r === null)) {
      // nothing on the sheet: the server's rows are drawn — said when they are the very rows the official deleted
      const revision = drawnFrom(old, plan);
      if (theirs.length > 0 && revision !== null) refilled.push({ label: page.label, serverRows: theirs.length, revision });
      continue;
    }
    const room = page.table.maxRows;
    const over = typed.findIndex((r, i) => i >= room && r !== null);
    putRows(page, plan, typed.slice(0, room));
    const mine = typed.slice(0, room).filter((r): r is Record<string, CellValue> => r !== null);
    const differ = differing(page.table, mine, theirs);
    if (differ.length > 0 || mine.length !== theirs.length || over >= 0) {
      kept.push({ label: page.label, rows: mine.length, serverRows: theirs.length, differ, ...(over >= 0 ? { overFrom: page.geometry.firstRow + over } : {}) });
    }
  }
  return kept;
}

/**
 * The revision the old sheet was drawn from (or submitted as) when it is the one the plan draws now:
 * its list was then the server's rows, so an empty list there was emptied on the sheet. Null otherwise.
 */
function drawnFrom(old: OldSheet, plan: SheetPlan): number | null {
  const was = decodeFillMeta(old.grid[FILL_META_ROW]?.[0])?.revision;
  const now = decodeFillMeta(plan.properties.tianbao)?.revision;
  return was !== undefined && was > 0 && was === now ? was : null;
}

/** What a list drawn back is said as: 质兴4表附表：工作表上的行已全部删除，已重新填入服务器上第 1 版的 7 行…. */
export function refilledListText(k: RefilledList, lang: Lang): string {
  return lang === "zh"
    ? `${k.label}：工作表上的行已全部删除，现已重新填入服务器上第 ${k.revision} 版的 ${k.serverRows} 行；如本期确实没有，请再次删除这些行后上报。`
    : `${k.label}: every row had been deleted on the sheet, and the ${k.serverRows} rows of revision ${k.revision} on the server are drawn again; if there are none this period, delete them again, then submit.`;
}

/** What a kept list is said as: 质兴4表附表 8 行（服务器上 7 行；与服务器不同：第 8 行）. */
export function keptListText(k: KeptList, lang: Lang): string {
  const SHOWN = 10;
  const rows = k.differ.slice(0, SHOWN).join(lang === "zh" ? "、" : ", ");
  const more = k.differ.length > SHOWN ? (lang === "zh" ? ` 等 ${k.differ.length} 行` : ` and ${k.differ.length - SHOWN} more`) : "";
  if (lang === "zh") {
    const over = k.overFrom !== undefined ? `；工作表第 ${k.overFrom + 1} 行起超出清单上限的内容未保留` : "";
    return `${k.label} ${k.rows} 行（服务器上 ${k.serverRows} 行${k.differ.length ? `；与服务器不同：第 ${rows} 行${more}` : ""}${over}）`;
  }
  const over = k.overFrom !== undefined ? `; what lay past the list's limit from worksheet row ${k.overFrom + 1} was not kept` : "";
  return `${k.label}: ${k.rows} rows (${k.serverRows} on the server${k.differ.length ? `; differing: row ${rows}${more}` : ""}${over})`;
}

/**
 * The old sheet's list rows by position from its first row (null for a wholly blank row), each field
 * found by its 栏次 code where the old sheet shows it; an Excel error value is not something typed.
 */
function typedRows(page: DetailPage, old: OldSheet): (Record<string, CellValue> | null)[] {
  const grid = old.grid;
  const found = grid.slice(0, 30).findIndex((r) => String(r?.[0] ?? "").trim() === "栏次");
  const codesRow = found >= 0 ? found : page.geometry.codesRow;
  const colOf = new Map<string, number>();
  (grid[codesRow] ?? []).forEach((v, col) => { if (col > 0 && !blank(v) && !colOf.has(String(v).trim())) colOf.set(String(v).trim(), col); });
  const first = codesRow + 1;
  const end = Math.min(grid.length, first + page.table.maxRows + DETAIL_MARGIN_ROWS);
  const rows: (Record<string, CellValue> | null)[] = [];
  for (let r = first; r < end; r++) {
    const row: Record<string, CellValue> = {};
    for (const f of page.table.fields) {
      const col = colOf.get(f.code);
      if (col === undefined || old.errors.has(cellAddress(r, col))) continue;
      const v = grid[r]?.[col];
      if (!blank(v)) row[f.code] = v!;
    }
    rows.push(Object.keys(row).length > 0 ? row : null);
  }
  while (rows.length > 0 && rows.at(-1) === null) rows.pop();
  return rows;
}

/** The rows written into the page's plan where they were typed (every field cell of the block: blank where nothing was), the printed area grown to show them. */
function putRows(page: DetailPage, plan: SheetPlan, rows: readonly (Record<string, CellValue> | null)[]): void {
  const geo = page.geometry;
  const fieldAt = new Map<number, string>([...geo.colOf].map(([code, col]) => [col, code]));
  for (const cell of plan.cells) {
    if (cell.row < geo.firstRow || cell.row > geo.lastRow) continue;
    const field = fieldAt.get(cell.col);
    if (field === undefined) continue;
    cell.value = rows[cell.row - geo.firstRow]?.[field] ?? null;
  }
  // the print area shows the rows drawn and a few open ones (fill-pages.ts): the rows kept as well
  const area = plan.print.area && /^(A1:[A-Z]+)(\d+)$/.exec(plan.print.area);
  if (area) {
    const want = Math.min(geo.lastRow + 1, geo.firstRow + rows.length + 10);
    if (want > Number(area[2])) plan.print = { ...plan.print, area: `${area[1]}${want}` };
  }
}

/** The list rows (from 1) whose fields, read as a submit reads them, differ from the server's row of that number. */
function differing(t: DetailTable, mine: readonly Record<string, CellValue>[], theirs: readonly Values[]): number[] {
  const read = validateDetailRows(t, mine).rows;
  const same = (a: Value | undefined, b: Value | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const out: number[] = [];
  for (let i = 0; i < Math.max(read.length, theirs.length); i++) {
    const [a, b] = [read[i], theirs[i]];
    if (!a || !b || t.fields.some((f) => !same(a[f.code], b[f.code]))) out.push(i + 1);
  }
  return out;
}
