import type { LocalizedText } from "../schemas/text";
import type { CellFacts } from "../layout/cell-facts";
import { cellAddress, type CellValue } from "../layout/sheet-plan";
import { ACCOUNT_COLUMNS, DIRECTORY_SHEETS, FIRST_ROW, UNIT_COLUMNS, type DirectoryColumn } from "./sheets";

/**
 * Reading an uploaded units-and-accounts workbook as the person sees it, before any row is planned:
 * its two sheets found by name (or, renamed, by their header rows), each header row checked as drawn
 * (a moved column is one message at its header, not an error per row), and every cell taken as the
 * text it shows or refused on its cell.
 */

export type DirectorySheetKey = "units" | "accounts";
/** A sheet as the upload reader gives it: its name, its grid and what it knows about its cells. */
export type DirectorySheetIn = { name: string; grid: readonly (readonly CellValue[])[] } & CellFacts;
/** A problem found while reading a cell (0-based row and column), before its row is planned. */
export interface CellProblem { sheet: DirectorySheetKey; row: number; col: number; zh: string; en: string }
export interface DirectoryRead {
  /** The sheets' names in the workbook (a renamed sheet's own), to name its cells. */
  names: Record<DirectorySheetKey, string>;
  units: (string | null)[][];
  accounts: (string | null)[][];
  problems: CellProblem[];
}
export type DirectoryReadResult = { ok: true; value: DirectoryRead } | { ok: false; error: { cell?: string; message: LocalizedText } };

const COLUMNS: Record<DirectorySheetKey, readonly DirectoryColumn[]> = { units: UNIT_COLUMNS, accounts: ACCOUNT_COLUMNS };
const norm = (v: CellValue | undefined): string => (v === null || v === undefined ? "" : String(v).trim());
const titles = (c: DirectoryColumn): string[] => [c.zh, c.en, ...(c.also ?? [])].map((t) => t.toLowerCase());
const names = (c: DirectoryColumn, text: string): boolean => titles(c).includes(text.toLowerCase());
/** Whether a sheet's row 1 or 2 holds any title of the kind's columns: it was drawn as one of ours. */
const carriesTitles = (s: DirectorySheetIn, key: DirectorySheetKey): boolean =>
  [0, 1].some((r) => (s.grid[r] ?? []).some((v) => COLUMNS[key].some((c) => names(c, norm(v)))));

/**
 * The sheet of a kind: the one of its name; else, renamed, the one sheet whose A1 or A2 holds its
 * first column's title (单位代码 / 用户名). Two such sheets are refused: either could be meant.
 */
function pick(sheets: readonly DirectorySheetIn[], key: DirectorySheetKey): DirectorySheetIn | { ambiguous: string[] } | null {
  const named = sheets.find((s) => s.name.trim() === DIRECTORY_SHEETS[key]);
  if (named) return named;
  const taken = new Set<string>(Object.values(DIRECTORY_SHEETS));
  const like = sheets.filter((s) => !taken.has(s.name.trim()) && [0, 1].some((r) => names(COLUMNS[key][0]!, norm(s.grid[r]?.[0]))));
  if (like.length > 1) return { ambiguous: like.map((s) => s.name) };
  return like[0] ?? null;
}

/** Finds the two sheets, checks their headers, and reads every cell as shown. */
export function readDirectoryBook(sheets: readonly DirectorySheetIn[]): DirectoryReadResult {
  const found = { units: pick(sheets, "units"), accounts: pick(sheets, "accounts") };
  for (const key of ["units", "accounts"] as const) {
    const f = found[key];
    if (f && "ambiguous" in f) {
      const zh = f.ambiguous.map((n) => `「${n}」`).join("、");
      return refuse(`工作簿中有 ${f.ambiguous.length} 张像「${DIRECTORY_SHEETS[key]}」的工作表（${zh}），无法判断读哪一张。请只保留一张，并命名为「${DIRECTORY_SHEETS[key]}」`,
        `The workbook has ${f.ambiguous.length} sheets that look like ${DIRECTORY_SHEETS[key]} (${f.ambiguous.map((n) => `'${n}'`).join(", ")}); it cannot tell which one is meant. Keep one and name it ${DIRECTORY_SHEETS[key]}`);
    }
  }
  const units = found.units as DirectorySheetIn | null;
  const accounts = found.accounts as DirectorySheetIn | null;
  // a workbook is ours only if a sheet it has was drawn as ours: a sheet merely named 单位 is not enough
  if (!(units && carriesTitles(units, "units")) && !(accounts && carriesTitles(accounts, "accounts"))) {
    return refuse("这不是单位与账号表：其中没有带单位与账号表表头的「单位」或「账号」工作表，未读取任何内容。请先下载单位与账号表，在其中填写后上传",
      "This is not a units-and-accounts workbook: it has no sheet 单位 or 账号 with that workbook's header rows, and nothing was read. Download the units-and-accounts workbook, fill that in and upload it");
  }
  const missing = !units ? "units" : !accounts ? "accounts" : null;
  if (missing) {
    const name = DIRECTORY_SHEETS[missing];
    return refuse(`缺少「${name}」工作表（可能被删除了），未读取任何内容。请重新下载单位与账号表，或把「${name}」工作表放回后再上传`,
      `The workbook has no sheet ${name} (${missing}); it may have been deleted, and nothing was read. Download the units-and-accounts workbook again, or put the sheet ${name} back, and upload it`);
  }
  for (const [key, s] of [["units", units!], ["accounts", accounts!]] as const) {
    const moved = movedHeader(s, COLUMNS[key]);
    if (moved) return { ok: false, error: { cell: moved.cell, message: moved.message } };
  }
  const problems: CellProblem[] = [];
  return {
    ok: true,
    value: { names: { units: units!.name, accounts: accounts!.name }, units: cellsAsShown(units!, "units", problems), accounts: cellsAsShown(accounts!, "accounts", problems), problems },
  };
}

const refuse = (zh: string, en: string): DirectoryReadResult => ({ ok: false, error: { message: { zh, en } } });

/**
 * The first header cell that is not as drawn. Row 1 holds every column's title (a sheet typed by hand
 * may title column A alone); row 2 holds each English title or nothing. A column inserted, deleted
 * or dragged shifts the titles after it, so it is caught once here, before any value is read.
 */
function movedHeader(s: DirectorySheetIn, columns: readonly DirectoryColumn[]): { cell: string; message: LocalizedText } | null {
  const shown = (row: number, col: number): string => {
    const cell = cellAddress(row, col);
    return s.formulas?.has(cell) ? "=…" : s.errors?.get(cell) ?? norm(s.grid[row]?.[col]);
  };
  const onlyA = columns.every((_, col) => col === 0 || shown(0, col) === "");
  for (const [row, required] of [[0, true], [1, false]] as const) {
    for (const [col, c] of columns.entries()) {
      const found = shown(row, col);
      if (names(c, found) || (found === "" && (!required || (onlyA && col > 0)))) continue;
      const cell = `${s.name}!${cellAddress(row, col)}`;
      const want = row === 0 ? { zh: `「${c.zh}」`, en: `'${c.zh}' (${c.en})` } : { zh: `「${c.en}」或空白`, en: `'${c.en}' or nothing` };
      const why = row === 0
        ? { zh: "列被移动、插入或删除", en: "a column was moved, inserted or deleted" }
        : { zh: "表头行被删除或移动，或在表头行中填写了内容", en: "a header row was deleted or moved, or something was typed into it" };
      return {
        cell,
        message: {
          zh: `${cell} 应为${want.zh}，实际为「${found}」：${why.zh}，未读取任何内容。请恢复表头和列的原样，或重新下载单位与账号表`,
          en: `${cell} should read ${want.en} but reads '${found}': ${why.en}, and nothing was read. Put the headers and columns back as they were, or download the workbook again`,
        },
      };
    }
  }
  return null;
}

/** A mainland mobile number: eleven digits from 13…; stored as a number it has no leading 0 to lose. */
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * The sheet's cells below its headers as the text each shows: a percent or date as its text, TRUE
 * and FALSE as Excel writes them. A formula (its result in the file is not the person's typing), an
 * error value, or a phone stored as a number (its leading 0 may be gone) is refused on its cell and
 * read as blank.
 */
function cellsAsShown(s: DirectorySheetIn, key: DirectorySheetKey, problems: CellProblem[]): (string | null)[][] {
  const columns = COLUMNS[key];
  const bad = (row: number, col: number, zh: string, en: string) => { problems.push({ sheet: key, row, col, zh, en }); return null; };
  const read = (row: number, col: number): string | null => {
    const cell = cellAddress(row, col);
    const v = s.grid[row]?.[col] ?? null;
    if (s.formulas?.has(cell)) return bad(row, col, "此单元格是公式，请直接填写内容（不采用文件中的公式结果）", "this cell holds a formula; type the content itself (a formula's result in the file is not used)");
    const error = s.errors?.get(cell);
    if (error) return bad(row, col, `单元格是错误值 ${error}，请填写内容或留空`, `the cell holds the error value ${error}; type the content or leave it blank`);
    const shown = s.shown?.get(cell);
    if (shown) return shown.text;
    if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
    if (typeof v !== "number") return v;
    if (columns[col]!.key === "contactPhone" && !(Number.isInteger(v) && MOBILE.test(String(v)))) {
      return bad(row, col, `联系电话以数字「${v}」保存，开头的 0 可能已丢失（如固定电话 0356…）。请把「联系电话」列设为「文本」格式，重新输入号码`,
        `the phone is stored as the number ${v}, so a leading 0 may have been lost (a landline such as 0356…): format the 联系电话 column as Text and type the number again`);
    }
    return String(v);
  };
  return s.grid.map((r, row) => (row < FIRST_ROW ? [] : columns.map((_, col) => read(row, col))));
}
