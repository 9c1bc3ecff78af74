import { z } from "zod";
import { asExcelShowsIt, shownNumberProblem, type CellFacts } from "../layout/cell-facts";
import { cellAddress, type CellValue } from "../layout/sheet-plan";
import { DESIGNER_COLUMNS, DESIGNER_SHEETS, LATER_COLUMNS, OPTIONAL_SHEET_KEYS, SHEET_KEYS, type OptionalSheetKey, type RequiredSheetKey, type SheetKey } from "./sheets";

/**
 * Reading the designer's sheets as the person sees them, before any row is read: the sheets found by
 * name, each sheet's header rows checked (a moved column is one message, not one per row), and each
 * cell taken as it shows (error values refused, a percent or a date read by what its column means).
 */

export const DesignerProblemSchema = z.strictObject({ sheet: z.enum(["template", "sections", "indicators", "rules", "tables", "tableLines", "detailFields"]), cell: z.string(), message: z.strictObject({ zh: z.string(), en: z.string() }) });
export type DesignerProblem = z.infer<typeof DesignerProblemSchema>;
export type Grid = readonly (readonly CellValue[])[];
/** The designer's sheets of a workbook: the four it always has, and the form's three (表格, 表格行列, 清单字段) when it has them. */
export type DesignerSheets<T> = Record<RequiredSheetKey, T> & Partial<Record<OptionalSheetKey, T>>;
/** What a reader knows about each sheet's cells beside its grid; formula cells are refused before parsing. */
export type DesignerFacts = Partial<Record<SheetKey, Omit<CellFacts, "formulas">>>;
type Text = { zh: string; en: string };

/** Every problem on its sheet and cell, in both languages; a cell refused for what it holds gets no second message. */
export class DesignerProblems {
  readonly list: DesignerProblem[] = [];
  private readonly refused = new Set<string>();
  /** A message that already names its cell. */
  raw(key: SheetKey, row: number, col: number, message: Text): void {
    const cell = `${DESIGNER_SHEETS[key]}!${cellAddress(row, col)}`;
    if (!this.refused.has(cell)) this.list.push({ sheet: key, cell, message });
  }
  on(key: SheetKey, row: number, col: number, message: Text): void {
    const cell = `${DESIGNER_SHEETS[key]}!${cellAddress(row, col)}`;
    this.raw(key, row, col, { zh: `${cell}：${message.zh}`, en: `${cell}: ${message.en}` });
  }
  bad(key: SheetKey, row: number, col: number, zh: string, en: string): void { this.on(key, row, col, { zh, en }); }
  /** The cell's content cannot be read (an error value, a date in a number column): checks of what it would have said stay silent. */
  refuse(key: SheetKey, row: number, col: number, message: Text): void {
    this.on(key, row, col, message);
    this.refused.add(`${DESIGNER_SHEETS[key]}!${cellAddress(row, col)}`);
  }
}

const norm = (v: CellValue | undefined): string => (v === null || v === undefined ? "" : String(v).trim().replace(/\s+/g, " "));
const isBlank = (grid: Grid): boolean => grid.every((r) => r.every((v) => norm(v) === ""));

/**
 * The first header cell of a sheet that is not as drawn, with what changed: a column inserted (the
 * rest shifted right), deleted (shifted left), or moved or retitled. Row 1 first, since a column
 * change shows there; then row 2, where data means the English header row was deleted.
 */
export function headerProblem(key: SheetKey, grid: Grid): { row: number; col: number; message: Text } | null {
  // a sheet cleared of everything (all its rules removed, say) has nothing to misread
  if (isBlank(grid)) return null;
  const all = DESIGNER_COLUMNS[key];
  const found = (row: number) => Array.from({ length: all.length + 1 }, (_, col) => norm(grid[row]?.[col]));
  const [row1, row2] = [found(0), found(1)];
  // a workbook drawn before the sheet's later columns has none of their headers: read as it was drawn
  // (the earliest drawing whose missing columns are all blank there: 表格 of 11, 13 or 15 columns)
  const blankFrom = (n: number) => row1.slice(all.length - n).every((h) => h === "") && row2.slice(all.length - n).every((h) => h === "");
  const later = Math.max(0, ...(LATER_COLUMNS[key] ?? []).filter(blankFrom));
  const columns = all.slice(0, all.length - later);
  const zh = columns.map((c) => c[0]), en = columns.map((c) => c[1]);
  const at = (row: number, col: number) => `${DESIGNER_SHEETS[key]}!${cellAddress(row, col)}`;
  const tail = { zh: "未读取此表的任何内容。请把列恢复原样（第 1、2 行为标题行），或重新下载模板设计表后把内容抄过去", en: "nothing on this sheet was read. Put the columns back as they were (rows 1–2 are the header rows), or download the designer again and copy your rows into it" };
  const c = zh.findIndex((h, i) => row1[i] !== h);
  if (c >= 0) {
    const what = whatChanged(row1, zh, en, c);
    return { row: 0, col: c, message: { zh: `${at(0, c)} 应为「${zh[c]}」，实际为「${row1[c]}」：${what.zh}，${tail.zh}`, en: `${at(0, c)} should read '${zh[c]}' but reads '${row1[c]}': ${what.en}; ${tail.en}` } };
  }
  const e = en.findIndex((h, i) => row2[i] !== h);
  if (e < 0) return null;
  if (e === 0 && row2[0] !== "") return { row: 1, col: 0, message: { zh: `${at(1, 0)}：第 2 行应为英文标题行，而这里是「${row2[0]}」；请不要删除标题行（数据从第 3 行起），${tail.zh}`, en: `${at(1, 0)}: row 2 should be the English header row but holds '${row2[0]}'; do not delete the header rows (data starts on row 3); ${tail.en}` } };
  return { row: 1, col: e, message: { zh: `${at(1, e)} 应为「${en[e]}」，实际为「${row2[e]}」：英文标题被修改，${tail.zh}`, en: `${at(1, e)} should read '${en[e]}' but reads '${row2[e]}': the English header was edited; ${tail.en}` } };
}

/** What a header row that differs from `zh` at column `c` says happened: the rest shifted right, shifted left, or neither. */
function whatChanged(row1: readonly string[], zh: readonly string[], en: readonly string[], c: number): Text {
  if (row1.every((h) => h === "")) return { zh: "第 1 行（中文标题行）是空的：标题行被删除或清空", en: "row 1 (the Chinese header row) is empty: the header rows were deleted or cleared" };
  if (en.every((h, i) => row1[i] === h)) return { zh: "第 1 行（中文标题行）被删除", en: "row 1 (the Chinese header row) was deleted" };
  if (zh.slice(c).every((h, i) => row1[c + 1 + i] === h)) return { zh: `「${zh[c]}」列前插入了一列`, en: `a column was inserted before '${zh[c]}'` };
  // the last column's header gone is a deletion; a different header there is an edit
  if (zh.slice(c + 1).every((h, i) => row1[c + i] === h) && (c < zh.length - 1 || row1[c] === "")) return { zh: `「${zh[c]}」列被删除`, en: `the column '${zh[c]}' was deleted` };
  return { zh: "列被移动、删除或标题被修改", en: "a column was moved or deleted, or its header edited" };
}

/**
 * The designer's sheets of an uploaded workbook, by name: hidden or in any order they are read; a
 * missing one is named, with any tab carrying its header rows (a renamed sheet is not read under
 * another name, since every problem names its cell by the designer's sheet names).
 */
export function pickDesignerSheets<T extends { sheetName: string; grid: Grid }>(sheets: readonly T[]): { ok: true; sheets: DesignerSheets<T> } | { ok: false; where: string; message: Text } {
  const byName = new Map(sheets.map((s) => [s.sheetName, s]));
  const ours = new Set<string>(Object.values(DESIGNER_SHEETS));
  const alikeOf = (k: SheetKey) => sheets.filter((s) => !ours.has(s.sheetName) && !isBlank(s.grid) && headerProblem(k, s.grid) === null).map((s) => ({ name: DESIGNER_SHEETS[k], tab: s.sheetName }));
  // 表格, 表格行列 and 清单字段 when the workbook has them (one drawn before forms has none: no form); one
  // of them renamed would drop the form's tables or fields without a word, so a tab with its header rows is named
  const formMissing = OPTIONAL_SHEET_KEYS.filter((k) => !byName.has(DESIGNER_SHEETS[k]) && alikeOf(k).length > 0);
  const missing: SheetKey[] = [...SHEET_KEYS.filter((k) => !byName.has(DESIGNER_SHEETS[k])), ...formMissing];
  const form = Object.fromEntries(OPTIONAL_SHEET_KEYS.filter((k) => byName.has(DESIGNER_SHEETS[k])).map((k) => [k, byName.get(DESIGNER_SHEETS[k])!])) as Partial<Record<OptionalSheetKey, T>>;
  if (missing.length === 0) return { ok: true, sheets: { ...Object.fromEntries(SHEET_KEYS.map((k) => [k, byName.get(DESIGNER_SHEETS[k])!])) as Record<RequiredSheetKey, T>, ...form } };
  const alike = missing.flatMap(alikeOf);
  const names = missing.map((k) => DESIGNER_SHEETS[k]);
  const where = names[0]!;
  if (missing.length === SHEET_KEYS.length && alike.length === 0) {
    return { ok: false, where, message: { zh: "这不是模板设计表：需要「模板」「分组」「指标」「校验规则」工作表。请先下载模板设计表再填写", en: "This is not a template designer workbook: it needs the sheets 模板, 分组, 指标 and 校验规则. Download the designer first" } };
  }
  const hint = alike.map((a) => ({ zh: `工作表「${a.tab}」的标题行与「${a.name}」相同：如是改了名，请改回「${a.name}」`, en: `'${a.tab}' has the header rows of ${a.name}: if it was renamed, name it ${a.name} again` }));
  return {
    ok: false, where, message: {
      zh: `模板设计表缺少${names.map((n) => `「${n}」`).join("")}工作表${hint.length ? `（${hint.map((h) => h.zh).join("；")}）` : ""}。未读取任何内容；请不要删除设计表的工作表或给它们改名，需要时可重新下载模板设计表`,
      en: `The designer workbook has no sheet named ${names.join(", ")}${hint.length ? ` (${hint.map((h) => h.en).join("; ")})` : ""}. Nothing was read; do not delete or rename the designer's sheets (download the designer again if needed)`,
    },
  };
}

/** "D14" → 0-based row and column. */
function position(address: string): { row: number; col: number } | null {
  const m = /^([A-Z]{1,3})(\d{1,7})$/.exec(address);
  if (!m) return null;
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(m[2]) - 1, col };
}

/**
 * A sheet's grid as the person sees it. An error value is refused on its cell, naming it. A number
 * shown as a percent or a date is read by what its column means: in a text column as the text shown
 * ("2025/3/1", not 45717); in the % column as the percent shown (30% is 30, not 0.3 — the column asks
 * for a percentage, and 0.3 would warn at a 0.3 % change); in a count or bound column it is refused,
 * since "100%" decimals or a date as a maximum cannot be what was meant.
 */
export function readAsShown(key: SheetKey, grid: Grid, facts: DesignerFacts[SheetKey], problems: DesignerProblems): CellValue[][] {
  const view = grid.map((r) => [...r]);
  const set = (row: number, col: number, v: CellValue) => { const r = (view[row] ??= []); while (r.length < col) r.push(null); r[col] = v; };
  for (const [address, error] of facts?.errors ?? []) {
    const p = position(address);
    if (!p) continue;
    problems.refuse(key, p.row, p.col, { zh: `单元格是错误值 ${error}，请改为要填写的内容或留空`, en: `the cell holds the error value ${error}; type what belongs here or leave it blank` });
    set(p.row, p.col, null);
  }
  for (const [address, shown] of facts?.shown ?? []) {
    const p = position(address);
    if (!p) continue;
    const meaning = DESIGNER_COLUMNS[key][p.col]?.[3] ?? "text";
    const value = grid[p.row]?.[p.col];
    if (meaning === "text") set(p.row, p.col, shown.text);
    else if (meaning === "percent" && shown.as === "percent" && typeof value === "number") set(p.row, p.col, asExcelShowsIt(value * 100));
    else problems.refuse(key, p.row, p.col, shownNumberProblem(shown));
  }
  return view;
}
