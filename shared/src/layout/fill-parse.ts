import type { CompiledTemplate } from "../template/compile";
import { MAX_COMMENT_TEXT, MAX_VALUE_TEXT, type RawValue, type Signature } from "../schemas/submission";
import { isSheetSafe, type LocalizedText } from "../schemas/text";
import type { Issue } from "../validation/issue";
import { FILL_COLUMNS as C, FILL_HEADERS, FILL_HEADER_ROW, FILL_META_ROW, decodeFillMeta, fillIndex, type FillMeta, type FillRow } from "./fill-layout";
import type { Indicator } from "../schemas/template";
import { shownNumberProblem, type CellFacts } from "./cell-facts";
import { readSignature, signatureTopOf } from "./fill-signature";
import { DETAIL_NUMBER_COL, GRID_CODE_COL, detailSpot, fillBook, spotText, type FillPage } from "./fill-book";
import type { DetailField } from "../schemas/form";
import { readDate } from "../detail/rows";
import { gridCellCode } from "../template/form";
import { cellAddress, type CellValue } from "./sheet-plan";

export type LayoutErrorCode =
  | "layout.not_tianbao" | "layout.wrong_template" | "layout.old_version" | "layout.wrong_round" | "layout.wrong_unit" | "layout.broken"
  | "layout.formula_in_input" | "layout.text_too_long" | "layout.bad_character" | "layout.columns_moved" | "layout.error_value"
  | "layout.shown_as_other" | "layout.typed_over_formula" | "layout.signature" | "layout.missing_sheet" | "layout.duplicate_sheet"
  | "layout.typed_where_none" | "layout.other_sheet" | "layout.rows_above" | "layout.mixed_revisions" | "layout.list_too_long";

/** Why a sheet cannot be read, with the cell where it shows and what to do. */
export interface LayoutError {
  code: LayoutErrorCode;
  cell?: string;
  /** The sheet the cell is on, in a form's workbook (a one-sheet template's errors name the cell alone). */
  sheet?: string;
  message: LocalizedText;
}

/** An issue with the cell it is on in front of its message (locateIssues); `table` names the sheet's table on a form. */
export type LocatedIssue = Issue & { cell: string | null; table?: string };

export type ParsedFill =
  | {
    ok: true; meta: FillMeta; values: Record<string, RawValue>; comments: Record<string, string>; signature: Signature;
    /** The detail lists (issue 25) by table code: each row that holds anything, its fields as typed (blank ones left out). */
    lists: Record<string, Record<string, RawValue>[]>;
    /** Each list row's sheet row (0-based), for locateIssues: blank rows left out in between move the rows below them. */
    rowsAt: Record<string, number[]>;
    /** What was read but is no problem, said with the report: a list's blank rows left out, and where. */
    notices: LocatedIssue[];
  }
  | { ok: false; error: LayoutError };

const at = (grid: readonly (readonly CellValue[])[], row: number, col: number): CellValue => grid[row]?.[col] ?? null;

/** Reads just the metadata cell, so a caller can pick the template version the sheet was made from. */
export function readFillMeta(grid: readonly (readonly CellValue[])[]): FillMeta | null {
  return decodeFillMeta(at(grid, FILL_META_ROW, 0));
}

/**
 * The names a refusal uses instead of codes: of the round and unit the upload is for, and of those
 * the file was made for (null when the caller may not see them: then "another round"/"another unit").
 * Without names (the add-in, which checks before sending), the codes are shown as before.
 */
export interface FillNames {
  round?: LocalizedText; fileRound?: LocalizedText | null;
  unit?: LocalizedText; fileUnit?: LocalizedText | null;
}
const OTHER_ROUND = { zh: "另一填报轮次", en: "another round" };
const OTHER_UNIT = { zh: "另一单位", en: "another unit" };
const named = (name: LocalizedText | null | undefined, code: string, hidden?: LocalizedText): LocalizedText =>
  name ?? (name === null && hidden ? hidden : { zh: code, en: code });

/**
 * Reads a fill sheet back into values and comments by indicator code. Refuses a sheet of another
 * template, version, round or unit, or one whose rows were moved, deleted or whose codes were edited.
 */
export function parseFillGrid(
  compiled: CompiledTemplate, grid: readonly (readonly CellValue[])[],
  expect: { roundId?: string; unitId?: string; /** Cells ("D14") that hold a formula in the file: never trusted as input. */ formulaCells?: ReadonlySet<string>; names?: FillNames }
    & Omit<CellFacts, "formulas"> = {},
): ParsedFill {
  const fail = (code: LayoutErrorCode, zh: string, en: string, cell?: string): ParsedFill =>
    ({ ok: false, error: { code, ...(cell ? { cell } : {}), message: { zh, en } } });
  const metaCell = cellAddress(FILL_META_ROW, 0);
  const checked = checkMeta(compiled, grid, expect);
  if (!checked.ok) return checked;
  const { meta } = checked;
  const index = fillIndex(compiled);
  if (meta.fingerprint !== index.fingerprint) return fail("layout.broken", "表格结构与模板不一致（行被插入、删除或移动）。请重新下载填报表。", "The sheet's layout no longer matches the template (rows inserted, deleted or moved). Download the fill sheet again.", metaCell);
  const moved = movedColumn(grid);
  if (moved) return fail("layout.columns_moved", `${moved.cell} 应为「${moved.header}」，实际为「${moved.found}」：列被移动、插入或删除，未读取任何数值。请把列恢复原样，或重新下载填报表。`, `${moved.cell} should read '${moved.header}' but reads '${moved.found}': a column was moved, inserted or deleted, and no figure was read. Put the columns back, or download the fill sheet again.`, moved.cell);
  const read = readListRows(index.rows, grid, expect, (cell) => cell);
  if (!read.ok) return read;
  const { values, comments } = read;
  const signed = readSignature(grid, signatureTopOf(index), { errors: expect.errors, shown: expect.shown });
  if (!signed.ok) return fail("layout.signature", signed.message.zh, signed.message.en, signed.cell);
  return { ok: true, meta, values, comments, signature: signed.signature, lists: {}, rowsAt: {}, notices: [] };
}

/** The metadata cell checked against the template, round and unit expected: what the file is, before anything in it is read. */
function checkMeta(compiled: CompiledTemplate, grid: readonly (readonly CellValue[])[], expect: { roundId?: string; unitId?: string; names?: FillNames }): Read<{ meta: FillMeta }> {
  const { template } = compiled;
  const fail = refusal;
  const metaCell = cellAddress(FILL_META_ROW, 0);
  const meta = readFillMeta(grid);
  if (!meta) return fail("layout.not_tianbao", `这不是天宝填报表：${metaCell} 单元格缺少模板信息。请从系统下载填报表后填写。`, `This is not a Tianbao fill sheet: cell ${metaCell} has no template information. Download the fill sheet from the system and fill that.`, metaCell);
  if (meta.templateId !== template.id) return fail("layout.wrong_template", `此表属于模板「${meta.templateId}」，不是「${template.name.zh}」。`, `This sheet belongs to template '${meta.templateId}', not '${template.name.en}'.`, metaCell);
  if (meta.version !== template.version) return fail("layout.old_version", `此表按模板第 ${meta.version} 版制作，本轮使用第 ${template.version} 版。请重新下载填报表，把数据抄过去后再上传。`, `This sheet was made from version ${meta.version} of the template; this round uses version ${template.version}. Download the new fill sheet, copy your figures into it and upload that.`, metaCell);
  if (expect.roundId && meta.roundId !== expect.roundId) {
    const [file, here] = [named(expect.names?.fileRound, meta.roundId, OTHER_ROUND), named(expect.names?.round, expect.roundId)];
    return fail("layout.wrong_round", `此表是「${file.zh}」的填报表，不是「${here.zh}」的。请下载「${here.zh}」的填报表。`, `This sheet is for '${file.en}', not '${here.en}'. Download the fill sheet of '${here.en}'.`, metaCell);
  }
  if (expect.unitId && meta.unitId !== expect.unitId) {
    const [file, here] = [named(expect.names?.fileUnit, meta.unitId, OTHER_UNIT), named(expect.names?.unit, expect.unitId)];
    return fail("layout.wrong_unit", `此表是「${file.zh}」的填报表，不是「${here.zh}」的。`, `This sheet is for '${file.en}', not '${here.en}'.`, metaCell);
  }
  return { ok: true, meta };
}

type SheetFacts = Omit<CellFacts, "formulas"> & { formulaCells?: ReadonlySet<string> };
type Read<T> = ({ ok: true } & T) | { ok: false; error: LayoutError };
const refusal = (code: LayoutErrorCode, zh: string, en: string, cell?: string): { ok: false; error: LayoutError } =>
  ({ ok: false, error: { code, ...(cell ? { cell } : {}), message: { zh, en } } });

/**
 * The figures and 说明 of list rows (code, name, unit, value, previous, note columns), read as the
 * official sees them; `at` names a cell in messages ("D14", or "质兴1表 D14" on a form).
 */
function readListRows(rows: readonly FillRow[], grid: readonly (readonly CellValue[])[], expect: SheetFacts, at: (cell: string) => string): Read<{ values: Record<string, RawValue>; comments: Record<string, string> }> {
  const values: Record<string, RawValue> = {};
  const comments: Record<string, string> = {};
  for (const r of rows) {
    if (r.kind !== "indicator") continue;
    const code = r.indicator.code;
    const found = expect.formulaCells?.has(cellAddress(r.row, C.code)) ? null : cellAt(grid, r.row, C.code);
    if (found !== code) {
      const cell = cellAddress(r.row, C.code);
      return refusal("layout.broken", `${at(cell)} 应为指标代码「${code}」，实际为「${String(found ?? "")}」：行被删除、移动或代码被修改。请重新下载填报表。`, `${at(cell)} should hold indicator code '${code}' but holds '${String(found ?? "")}': a row was deleted or moved, or a code was edited. Download the fill sheet again.`, cell);
    }
    const figure = readFigure(r.indicator, grid, r.row, C.value, expect, at);
    if (!figure.ok) return figure;
    if (figure.value !== undefined) values[code] = figure.value;
    const note = readNote(r.indicator, grid, r.row, C.comment, expect, at);
    if (!note.ok) return note;
    if (note.text !== undefined) comments[code] = note.text;
  }
  return { ok: true, values, comments };
}

const cellAt = (grid: readonly (readonly CellValue[])[], row: number, col: number): CellValue => grid[row]?.[col] ?? null;
const shownText = (expect: SheetFacts, cell: string, v: CellValue): CellValue => expect.shown?.get(cell)?.text ?? v;
// where text is read, a number is the text its format shows (000101, not 101)
const formattedText = (expect: SheetFacts, cell: string, v: CellValue): CellValue => expect.formatted?.get(cell)?.text ?? v;
// in text, a logical value is what Excel shows: TRUE / FALSE
const asText = (v: CellValue): CellValue => (typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : v);

/**
 * One figure's cell as the official sees it: a computed one is only checked for a value typed over
 * its formula (undefined: nothing to take); a typed one is refused when it holds a formula, an
 * error value, a number shown as a percent or date, or too much text.
 */
function readFigure(
  ind: Indicator, grid: readonly (readonly CellValue[])[], row: number, col: number, expect: SheetFacts, at: (cell: string) => string,
): Read<{ value?: RawValue }> {
  const code = ind.code;
  const name = `${ind.name.zh}（${code}）`;
  const nameEn = `${ind.name.en} (${code})`;
  const cell = cellAddress(row, col);
  const where = at(cell);
  if (ind.kind === "derived") {
    // a figure typed over a computed cell would be dropped without a word: say so on its cell
    const typed = cellAt(grid, row, col);
    if (expect.formulaCells && !expect.formulaCells.has(cell) && (typed !== null && typed !== "" || expect.errors?.has(cell))) {
      const what = String(shownText(expect, cell, typed) ?? expect.errors?.get(cell) ?? "");
      return refusal("layout.typed_over_formula", `${where} ${name} 由公式计算，不能直接填写（此处填了「${what}」，公式已被覆盖）。请删除该值，或重新下载填报表。`, `${where} ${nameEn} is computed by a formula and cannot be typed (it holds '${what}'; the formula was overwritten). Clear it, or download the fill sheet again.`, cell);
    }
    return { ok: true };
  }
  // A formula's cached result is whatever the file says it is; only typed figures are taken.
  if (expect.formulaCells?.has(cell)) return refusal("layout.formula_in_input", `${where} ${name}：此单元格是公式，请直接填写数值（系统不采用文件中的公式结果）`, `${where} ${nameEn}: this cell holds a formula; type the figure itself (a formula's result in the file is not used)`, cell);
  const error = expect.errors?.get(cell);
  if (error) return refusal("layout.error_value", `${where} ${name}：单元格是错误值 ${error}，请填写数值或留空`, `${where} ${nameEn}: the cell holds the error value ${error}; type the figure or leave it blank`, cell);
  const shown = expect.shown?.get(cell);
  const numeric = ind.kind === "count" || ind.kind === "amount";
  if (shown && numeric) { const p = shownNumberProblem(shown); return refusal("layout.shown_as_other", `${where} ${name}：${p.zh}`, `${where} ${nameEn}: ${p.en}`, cell); }
  const shownValue = shownText(expect, cell, cellAt(grid, row, col));
  const v = ind.kind === "text" ? asText(formattedText(expect, cell, shownValue)) : shownValue;
  if (typeof v === "string" && v.length > MAX_VALUE_TEXT) return refusal("layout.text_too_long", `${where} ${name}：内容超过 ${MAX_VALUE_TEXT} 个字`, `${where} ${nameEn}: more than ${MAX_VALUE_TEXT} characters`, cell);
  return { ok: true, value: v };
}

/** A 说明 cell: text, trimmed (undefined when blank); a formula, an error value, control characters or too much text refused. */
function readNote(
  ind: Indicator, grid: readonly (readonly CellValue[])[], row: number, col: number, expect: SheetFacts, at: (cell: string) => string,
): Read<{ text?: string }> {
  const name = `${ind.name.zh}（${ind.code}）`;
  const nameEn = `${ind.name.en} (${ind.code})`;
  const commentCell = cellAddress(row, col);
  const where = at(commentCell);
  if (expect.formulaCells?.has(commentCell)) return refusal("layout.formula_in_input", `${where} ${name} 的说明：此单元格是公式，请直接填写文字`, `${where} note on ${nameEn}: this cell holds a formula; type the text itself`, commentCell);
  const commentError = expect.errors?.get(commentCell);
  if (commentError) return refusal("layout.error_value", `${where} ${name} 的说明：单元格是错误值 ${commentError}，请填写文字或留空`, `${where} note on ${nameEn}: the cell holds the error value ${commentError}; type the text or leave it blank`, commentCell);
  const comment = asText(formattedText(expect, commentCell, shownText(expect, commentCell, cellAt(grid, row, col))));
  if (comment === null || String(comment).trim() === "") return { ok: true };
  const text = String(comment).trim();
  if (text.length > MAX_COMMENT_TEXT) return refusal("layout.text_too_long", `${where} ${name} 的说明超过 ${MAX_COMMENT_TEXT} 个字`, `${where} the note on ${nameEn} is over ${MAX_COMMENT_TEXT} characters`, commentCell);
  if (!isSheetSafe(text)) return refusal("layout.bad_character", `${where} ${name} 的说明含有表格无法保存的控制字符，请删除后重试`, `${where} the note on ${nameEn} contains a control character no spreadsheet can hold; remove it`, commentCell);
  return { ok: true, text };
}

/**
 * The first header the reader relies on that is not where it was drawn: a column dragged, inserted
 * or deleted moves every figure, so it is caught once here rather than as an error per row.
 */
function movedColumn(grid: readonly (readonly CellValue[])[]): { cell: string; header: string; found: string } | null {
  for (const [col, header] of FILL_HEADERS.entries()) {
    const found = at(grid, FILL_HEADER_ROW, col);
    if (String(found ?? "").trim() !== header) return { cell: cellAddress(FILL_HEADER_ROW, col), header, found: String(found ?? "") };
  }
  return null;
}

/** The value cell of an indicator on the fill sheet ("D14"; on a form, the cell on its table's sheet), to point an issue at. */
export function fillCellOf(compiled: CompiledTemplate, code: string): string | null {
  const spot = fillBook(compiled).value.get(code);
  return spot === undefined ? null : cellAddress(spot.row, spot.col);
}

/**
 * Issues with their cell in front: "D14 工业产品总数（products）：必填", or on a form "质兴2表 E7 …" with
 * the table's code in `table`, so the add-in finds the sheet whatever its tab is called. A list's row N
 * is the Nth row that holds anything: on a sheet read back, `rowsAt` (ParsedFill's) says which sheet
 * row that is, blank rows above it having been left out.
 */
export function locateIssues(compiled: CompiledTemplate, issues: readonly Issue[], rowsAt?: Readonly<Record<string, readonly number[]>>): LocatedIssue[] {
  const book = fillBook(compiled);
  return issues.map((issue) => {
    // a rule's first figure may be a list's, which has no cell: it is said on the first of its figures that has one
    const spot = issue.list ? detailSpot(book, issue.list.table, issue.list.row, issue.list.field, rowsAt?.[issue.list.table])
      : book.value.get(issue.indicator) ?? (issue.indicators ?? []).map((code) => book.value.get(code)).find((s) => s !== undefined);
    if (!spot) return { ...issue, cell: null };
    const where = spotText(book, spot);
    const cell = cellAddress(spot.row, spot.col);
    return { ...issue, cell, ...(book.single ? {} : { table: spot.page }), message: { zh: `${where} ${issue.message.zh}`, en: `${where} ${issue.message.en}` } };
  });
}

/**
 * Issues a server located as if its lists had no blank rows (it checks the rows it was sent, numbered
 * 1…n), moved onto the cells they are on in the sheet they were read from: the cell, and the cell named
 * in front of the message. Other issues are returned as they are.
 */
export function relocateListIssues<T extends { list?: { table: string; row: number; field?: string }; cell?: string | null; message: LocalizedText }>(
  compiled: CompiledTemplate, issues: readonly T[], rowsAt: Readonly<Record<string, readonly number[]>>,
): T[] {
  const book = fillBook(compiled);
  return issues.map((issue) => {
    const at = issue.list && rowsAt[issue.list.table];
    if (!issue.list || !at) return issue;
    const { table, row, field } = issue.list;
    const [drawn, read] = [detailSpot(book, table, row, field), detailSpot(book, table, row, field, at)];
    if (!drawn || !read) return issue;
    const [was, now] = [`${spotText(book, drawn)} `, `${spotText(book, read)} `];
    const move = (m: string) => (m.startsWith(was) ? `${now}${m.slice(was.length)}` : m);
    return { ...issue, cell: cellAddress(read.row, read.col), message: { zh: move(issue.message.zh), en: move(issue.message.en) } };
  });
}

/** One sheet of a workbook as read: its name, cells and what is known of them (formulas, errors, formats). */
export interface FillSheetRead extends SheetFacts {
  name: string;
  grid: readonly (readonly CellValue[])[];
}

/**
 * Reads a unit's fill workbook back: the one fill sheet of a template without a form (exactly as
 * parseFillGrid), or a form's cover and every table's sheet, found by their metadata wherever they
 * are in the workbook and in whatever order. A table's sheet missing, or there twice, is refused
 * naming it; so is any sheet whose layout no longer matches, on its cell. `sheets` are the sheets of
 * this report (the caller picks them by round and unit); the first one's metadata is checked as a
 * one-sheet template's is (template, version, round, unit).
 */
export function parseFillBook(
  compiled: CompiledTemplate, sheets: readonly FillSheetRead[], expect: { roundId?: string; unitId?: string; names?: FillNames } = {},
  /** The workbook's other sheets, to say what became of a missing table's sheet (another unit's pasted in, rows inserted above). */
  others: readonly FillSheetRead[] = [],
): ParsedFill {
  const book = fillBook(compiled);
  const first = sheets[0];
  if (!first) return refusal("layout.not_tianbao", "工作簿中没有天宝填报表。请从系统下载填报表后填写。", "The workbook holds no Tianbao fill sheet. Download the fill sheet from the system and fill that.");
  if (book.single) return parseFillGrid(compiled, first.grid, { ...expect, ...factsOf(first) });
  const checked = checkMeta(compiled, first.grid, expect);
  if (!checked.ok) return { ok: false, error: { ...checked.error, sheet: first.name } };
  const values: Record<string, RawValue> = {};
  const comments: Record<string, string> = {};
  const lists: Record<string, Record<string, RawValue>[]> = {};
  const rowsAt: Record<string, number[]> = {};
  const notices: LocatedIssue[] = [];
  let signature: Signature = {};
  let coverMeta: FillMeta | null = null;
  const pages = book.pages.map((p) => p.label).join("、");
  for (const page of book.pages) {
    const mine = sheets.filter((sh) => readFillMeta(sh.grid)?.page === page.key);
    if (mine.length === 0) {
      const why = missingWhy(compiled, page, others, checked.meta);
      if (why) return why;
      return refusal("layout.missing_sheet", `工作簿中缺少「${page.label}」工作表（本报表共 ${book.pages.length} 张：${pages}），未读取任何数值。请把该工作表放回，或重新下载填报表。`, `The workbook lacks the sheet '${page.label}' (this report has ${book.pages.length}: ${pages}); no figure was read. Put the sheet back, or download the fill workbook again.`);
    }
    if (mine.length > 1) {
      const names = mine.map((sh) => `「${sh.name}」`).join("、");
      return { ok: false, error: { code: "layout.duplicate_sheet", sheet: mine[1]!.name, message: { zh: `工作簿中有 ${mine.length} 张「${page.label}」工作表（${names}），无法判断以哪一张为准。请删除多余的（例如备份）后再上传`, en: `The workbook holds ${mine.length} sheets of '${page.label}' (${mine.map((sh) => `'${sh.name}'`).join(", ")}); it cannot tell which one is meant. Delete the extra ones (a backup, say) and upload again` } } };
    }
    const sheet = mine[0]!;
    const where = (e: LayoutError): ParsedFill => ({ ok: false, error: { ...e, sheet: sheet.name } });
    const meta = checkMeta(compiled, sheet.grid, expect);
    if (!meta.ok) return where(meta.error);
    if (meta.meta.fingerprint !== book.fingerprint) {
      return where({ code: "layout.broken", cell: cellAddress(FILL_META_ROW, 0), message: { zh: `「${page.label}」的表格结构与模板不一致（行被插入、删除或移动）。请重新下载填报表。`, en: `The layout of '${page.label}' no longer matches the template (rows inserted, deleted or moved). Download the fill workbook again.` } });
    }
    const at = (cell: string) => `${page.label} ${cell}`;
    const facts = factsOf(sheet);
    if (page.kind === "cover") {
      coverMeta = meta.meta;
      const signed = readSignature(sheet.grid, page.signatureTop, { errors: facts.errors, shown: facts.shown });
      if (!signed.ok) return where({ code: "layout.signature", cell: signed.cell, message: { zh: `${page.label} ${signed.message.zh}`, en: `${page.label} ${signed.message.en}` } });
      signature = signed.signature;
      continue;
    }
    if (page.kind === "detail") {
      const list = readDetailPage(page, sheet.grid, facts, at);
      if (!list.ok) return where(list.error);
      lists[page.key] = list.rows;
      rowsAt[page.key] = list.rowsAt;
      if (list.notice) notices.push(list.notice);
      continue;
    }
    const read = page.kind === "grid" ? readGridPage(compiled, page, sheet.grid, facts, at) : page.kind === "list" ? readListPage(page.index.rows, sheet.grid, facts, at) : null;
    if (!read) continue;
    if (!read.ok) return where(read.error);
    Object.assign(values, read.values);
    Object.assign(comments, read.comments);
  }
  // every page carries the revision it was drawn from: a table's sheet put back from an older download
  // would submit its old figures over newer ones under the newer revision, so the pages must agree
  const revisions = new Map<string, number | undefined>();
  for (const page of book.pages) {
    const sheet = sheets.find((sh) => readFillMeta(sh.grid)?.page === page.key)!;
    revisions.set(page.label, readFillMeta(sheet.grid)!.revision);
  }
  const coverRevision = (coverMeta ?? checked.meta).revision;
  const stale = [...revisions].find(([, r]) => r !== coverRevision);
  if (stale) {
    const rev = (r: number | undefined) => `第 ${r ?? 0} 版`;
    const revEn = (r: number | undefined) => `revision ${r ?? 0}`;
    return refusal("layout.mixed_revisions", `「${stale[0]}」是按${rev(stale[1])}制作的，封面是${rev(coverRevision)}：工作簿中的表来自不同的版本，未读取任何数值。请删除旧的工作表后重新下载（或重新拉取）填报表，把要改的数填进去再上报。`, `'${stale[0]}' was made from ${revEn(stale[1])} and the cover from ${revEn(coverRevision)}: the workbook's tables come from different revisions, and no figure was read. Delete the old sheet, download (or pull) the fill workbook again, type your changes into it and submit that.`);
  }
  return { ok: true, meta: coverMeta ?? checked.meta, values, comments, signature, lists, rowsAt, notices };
}

const factsOf = (sheet: SheetFacts): SheetFacts => ({
  ...(sheet.formulaCells ? { formulaCells: sheet.formulaCells } : {}), ...(sheet.errors ? { errors: sheet.errors } : {}),
  ...(sheet.shown ? { shown: sheet.shown } : {}), ...(sheet.formatted ? { formatted: sheet.formatted } : {}),
});

type PageRead = Read<{ values: Record<string, RawValue>; comments: Record<string, string> }>;

function readListPage(rows: readonly FillRow[], grid: readonly (readonly CellValue[])[], facts: SheetFacts, at: (cell: string) => string): PageRead {
  const moved = movedColumn(grid);
  if (moved) return refusal("layout.columns_moved", `${at(moved.cell)} 应为「${moved.header}」，实际为「${moved.found}」：列被移动、插入或删除，未读取任何数值。请把列恢复原样，或重新下载填报表。`, `${at(moved.cell)} should read '${moved.header}' but reads '${moved.found}': a column was moved, inserted or deleted, and no figure was read. Put the columns back, or download the fill workbook again.`, moved.cell);
  return readListRows(rows, grid, facts, at);
}

/**
 * A grid's sheet: its 栏次 codes and row codes where they were drawn (a column or row moved would
 * move figures, so it is caught before any is read), then every cell of the grid and each row's 说明.
 */
function readGridPage(compiled: CompiledTemplate, page: FillPage & { kind: "grid" }, grid: readonly (readonly CellValue[])[], facts: SheetFacts, at: (cell: string) => string): PageRead {
  const g = page.table;
  const geo = page.geometry;
  const text = (row: number, col: number) => (facts.formulaCells?.has(cellAddress(row, col)) ? "" : String(cellAt(grid, row, col) ?? "").trim());
  for (const c of g.columns) {
    const col = geo.colOf.get(c.code)!;
    const found = text(geo.codesRow, col);
    if (found !== c.code) {
      const cell = cellAddress(geo.codesRow, col);
      return refusal("layout.columns_moved", `${at(cell)} 应为栏次「${c.code}」（${c.name.zh}），实际为「${found}」：列被移动、插入或删除，未读取任何数值。请把列恢复原样，或重新下载填报表。`, `${at(cell)} should hold column code '${c.code}' (${c.name.en}) but holds '${found}': a column was moved, inserted or deleted, and no figure was read. Put the columns back, or download the fill workbook again.`, cell);
    }
  }
  for (const [col, header] of [[geo.noteCol, "说明"]] as const) {
    const found = text(geo.headerRow, col);
    if (found !== header) {
      const cell = cellAddress(geo.headerRow, col);
      return refusal("layout.columns_moved", `${at(cell)} 应为「${header}」，实际为「${found}」：列被移动、插入或删除，未读取任何数值。请把列恢复原样，或重新下载填报表。`, `${at(cell)} should read '${header}' but reads '${found}': a column was moved, inserted or deleted, and no figure was read. Put the columns back, or download the fill workbook again.`, cell);
    }
  }
  for (const r of g.rows) {
    const row = geo.rowOf.get(r.code)!;
    const found = text(row, GRID_CODE_COL);
    if (found !== r.code) {
      const cell = cellAddress(row, GRID_CODE_COL);
      return refusal("layout.broken", `${at(cell)} 应为行代码「${r.code}」（${r.name.zh}），实际为「${found}」：行被删除、移动或代码被修改。请重新下载填报表。`, `${at(cell)} should hold row code '${r.code}' (${r.name.en}) but holds '${found}': a row was deleted or moved, or a code was edited. Download the fill workbook again.`, cell);
    }
  }
  const values: Record<string, RawValue> = {};
  const comments: Record<string, string> = {};
  const book = fillBook(compiled);
  for (const r of g.rows) {
    const row = geo.rowOf.get(r.code)!;
    // what is typed where the form asks for nothing would be dropped without a word: said on its cell
    const stray = [...g.columns.filter((c) => !compiled.byCode.has(gridCellCode(g.code, r.code, c.code))).map((c) => geo.colOf.get(c.code)!),
      ...(g.columns.some((c) => book.comment.get(gridCellCode(g.code, r.code, c.code))?.row === row) ? [] : [geo.noteCol])]
      .find((col) => { const v = text(row, col); return v !== "" && v !== "—"; });
    if (stray !== undefined) {
      const cell = cellAddress(row, stray);
      const what = stray === geo.noteCol ? { zh: "该行没有需要填写的数（合计或不适用），不能填写说明", en: "this row has no figure to type (a total, or nothing applies), so it takes no note" } : { zh: "此单元格不适用（—），不填数", en: "this cell does not apply (—) and takes no figure" };
      return refusal("layout.typed_where_none", `${at(cell)} ${r.name.zh}：${what.zh}（此处填了「${text(row, stray)}」）。请删除该内容，或重新下载填报表。`, `${at(cell)} ${r.name.en}: ${what.en} (it holds '${text(row, stray)}'). Clear it, or download the fill workbook again.`, cell);
    }
    for (const c of g.columns) {
      const code = gridCellCode(g.code, r.code, c.code);
      const ind = compiled.byCode.get(code);
      if (!ind) continue;
      const spot = book.value.get(code)!;
      const figure = readFigure(ind, grid, spot.row, spot.col, facts, at);
      if (!figure.ok) return figure;
      if (figure.value !== undefined) values[code] = figure.value;
      const noteSpot = book.comment.get(code);
      if (!noteSpot) continue;
      const note = readNote(ind, grid, noteSpot.row, noteSpot.col, facts, at);
      if (!note.ok) return note;
      if (note.text !== undefined) comments[code] = note.text;
    }
  }
  return { ok: true, values, comments };
}

/**
 * A list cell is blank as the sheet's 序号 formula sees it: LEN(TRIM(x)) = 0, and Excel's TRIM takes away
 * only the ASCII space. A cell holding a full-width space or a no-break space is a row (its required
 * fields then said blank on it), so 第 N 行 in a message is always the row whose 序号 shows N.
 */
const blankCell = (v: CellValue): boolean => v === null || (typeof v === "string" && v.replace(/ /g, "") === "");

/**
 * A detail list's sheet (issue 25): its 栏次 codes where they were drawn (a column moved would move every
 * field), then its rows from the first down to the last that holds anything in a field — 序号 and 校验 are
 * no part of a row, so a row with only its 序号 is blank. Blank rows in between are left out and said
 * where (a notice on the first one's 序号 cell); a row used past the list's most rows is refused by its
 * row and the limit. Each field is read as the official sees it, as a figure is: a formula, an error
 * value or a number shown as a percent or date where a number belongs is refused on its cell.
 */
function readDetailPage(page: FillPage & { kind: "detail" }, grid: readonly (readonly CellValue[])[], facts: SheetFacts, at: (cell: string) => string):
  Read<{ rows: Record<string, RawValue>[]; rowsAt: number[]; notice?: LocatedIssue }> {
  const t = page.table;
  const geo = page.geometry;
  for (const f of t.fields) {
    const col = geo.colOf.get(f.code)!;
    const found = facts.formulaCells?.has(cellAddress(geo.codesRow, col)) ? "" : String(cellAt(grid, geo.codesRow, col) ?? "").trim();
    if (found !== f.code) {
      const cell = cellAddress(geo.codesRow, col);
      return refusal("layout.columns_moved", `${at(cell)} 应为栏次「${f.code}」（${f.name.zh}），实际为「${found}」：列被移动、插入或删除，未读取任何数值。请把列恢复原样，或重新下载填报表。`, `${at(cell)} should hold column code '${f.code}' (${f.name.en}) but holds '${found}': a column was moved, inserted or deleted, and no figure was read. Put the columns back, or download the fill workbook again.`, cell);
    }
  }
  const cols = t.fields.map((f) => [f, geo.colOf.get(f.code)!] as const);
  const usedAt = (row: number): number | undefined => cols.find(([, col]) => {
    const cell = cellAddress(row, col);
    return facts.formulaCells?.has(cell) || facts.errors?.has(cell) || !blankCell(cellAt(grid, row, col));
  })?.[1];
  // whatever a reader was given past the list's room is looked at (an upload reads the margin past it, and
  // refuses a file with anything further down: see fillReadFor), so no row pasted below is left out unsaid
  const end = grid.length - 1;
  for (let row = geo.lastRow + 1; row <= end; row++) {
    const col = usedAt(row);
    if (col === undefined) continue;
    const cell = cellAddress(row, col);
    return refusal("layout.list_too_long", `${at(cell)} 「${t.name.zh}」最多 ${t.maxRows} 行（工作表第 ${geo.firstRow + 1}–${geo.lastRow + 1} 行），工作表第 ${row + 1} 行超出了上限，未读取任何数值。请删除超出的行（或分开上报）后再上传。`, `${at(cell)} '${t.name.en}' holds at most ${t.maxRows} rows (worksheet rows ${geo.firstRow + 1}–${geo.lastRow + 1}); worksheet row ${row + 1} is past that limit, and no figure was read. Delete the rows past it (or report them separately) and upload again.`, cell);
  }
  let last = Math.min(end, geo.lastRow);
  while (last >= geo.firstRow && usedAt(last) === undefined) last--;
  const rows: Record<string, RawValue>[] = [];
  const rowsAt: number[] = [];
  const skipped: number[] = [];
  for (let row = geo.firstRow; row <= last; row++) {
    if (usedAt(row) === undefined) { skipped.push(row); continue; }
    const values: Record<string, RawValue> = {};
    for (const [f, col] of cols) {
      const got = readListField(f, rows.length + 1, grid, row, col, facts, at);
      if (!got.ok) return got;
      if (got.value !== undefined) values[f.code] = got.value;
    }
    rows.push(values);
    rowsAt.push(row);
  }
  return { ok: true, rows, rowsAt, ...(skipped.length > 0 ? { notice: blankRowsNotice(page, skipped) } : {}) };
}

/** The notice of a list's blank rows left out: by their worksheet rows (they have no 序号), on the first one's 序号 cell. */
function blankRowsNotice(page: FillPage & { kind: "detail" }, skipped: readonly number[]): LocatedIssue {
  const runs: [number, number][] = [];
  for (const row of skipped) {
    const run = runs.at(-1);
    if (run && run[1] === row - 1) run[1] = row;
    else runs.push([row, row]);
  }
  const SHOWN = 5;
  const text = runs.slice(0, SHOWN).map(([a, b]) => (a === b ? `${a + 1}` : `${a + 1}–${b + 1}`));
  const cell = cellAddress(skipped[0]!, DETAIL_NUMBER_COL);
  const where = `${page.label} ${cell}`;
  const more = runs.length > SHOWN ? { zh: ` 等 ${runs.length} 处`, en: ` and ${runs.length - SHOWN} more` } : { zh: "", en: "" };
  const all = runs.length > 1 ? { zh: `（共 ${skipped.length} 行）`, en: ` (${skipped.length} rows)` } : { zh: "", en: "" };
  return {
    code: "blank_rows", severity: "warning", indicator: page.key, cell, table: page.key,
    message: {
      zh: `${where} 工作表第 ${text.join("、")} 行${more.zh}是空行${all.zh}，已跳过，不计入名单`,
      en: `${where} worksheet row${skipped.length > 1 ? "s" : ""} ${text.join(", ")}${more.en} ${skipped.length > 1 ? "are" : "is"} blank${all.en} and ${skipped.length > 1 ? "were" : "was"} skipped: no part of the list`,
    },
  };
}

/**
 * One field of a list row as the official sees it (undefined when blank), named in refusals by its row
 * (its 序号, `n`) and field. A number is taken as it is and a text as shown (000101 under its format);
 * a date as the cell shows it, or its day number where the shown text has no year.
 */
function readListField(f: DetailField, n: number, grid: readonly (readonly CellValue[])[], row: number, col: number, facts: SheetFacts, at: (cell: string) => string): Read<{ value?: RawValue }> {
  const cell = cellAddress(row, col);
  const where = at(cell);
  const name = { zh: `第 ${n} 行「${f.name.zh}」`, en: `row ${n}, '${f.name.en}'` };
  const numeric = f.type === "count" || f.type === "amount";
  if (facts.formulaCells?.has(cell)) return refusal("layout.formula_in_input", `${where} ${name.zh}：此单元格是公式，请直接填写${numeric ? "数值" : "内容"}（系统不采用文件中的公式结果）`, `${where} ${name.en}: this cell holds a formula; type the ${numeric ? "figure" : "value"} itself (a formula's result in the file is not used)`, cell);
  const error = facts.errors?.get(cell);
  if (error) return refusal("layout.error_value", `${where} ${name.zh}：单元格是错误值 ${error}，请填写内容或留空`, `${where} ${name.en}: the cell holds the error value ${error}; type a value or leave it blank`, cell);
  const raw = cellAt(grid, row, col);
  if (blankCell(raw)) return { ok: true };
  const shown = facts.shown?.get(cell);
  if (shown && numeric) { const p = shownNumberProblem(shown); return refusal("layout.shown_as_other", `${where} ${name.zh}：${p.zh}`, `${where} ${name.en}: ${p.en}`, cell); }
  let v: CellValue = raw;
  if (f.type === "date") v = shown && !(shown.as === "date" && readDate(shown.text) === null && typeof raw === "number") ? shown.text : raw;
  else if (f.type === "text" || f.type === "code") v = asText(formattedText(facts, cell, shownText(facts, cell, raw)));
  else if (!numeric) v = shownText(facts, cell, raw);
  if (typeof v === "string" && v.length > MAX_VALUE_TEXT) return refusal("layout.text_too_long", `${where} ${name.zh}：内容超过 ${MAX_VALUE_TEXT} 个字`, `${where} ${name.en}: more than ${MAX_VALUE_TEXT} characters`, cell);
  return { ok: true, value: v };
}

/**
 * Why a table's sheet is not among the report's: a sheet of the same table for another unit or
 * round in its place, or the table's own sheet with rows inserted above it (its metadata moved off
 * A2), each named by the sheet; null when neither.
 */
function missingWhy(compiled: CompiledTemplate, page: FillPage, others: readonly FillSheetRead[], meta: FillMeta): ParsedFill | null {
  for (const sheet of others) {
    const m = readFillMeta(sheet.grid);
    if (m && m.templateId === compiled.template.id && m.page === page.key) {
      return { ok: false, error: { code: "layout.other_sheet", sheet: sheet.name, cell: cellAddress(FILL_META_ROW, 0), message: {
        zh: `工作表「${sheet.name}」是另一单位或另一轮次的「${page.label}」，不是本报表的；本报表的「${page.label}」不在工作簿中。请换回本单位本轮的「${page.label}」，或重新下载填报表。`,
        en: `Sheet '${sheet.name}' is '${page.label}' of another unit or round, not this report's; this report's '${page.label}' is not in the workbook. Put back this unit's '${page.label}' of this round, or download the fill workbook again.`,
      } } };
    }
    for (let row = 0; row < Math.min(sheet.grid.length, 30); row++) {
      if (row === FILL_META_ROW) continue;
      const moved = decodeFillMeta(sheet.grid[row]?.[0]);
      if (moved && moved.page === page.key && moved.roundId === meta.roundId && moved.unitId === meta.unitId) {
        const inserted = row - FILL_META_ROW;
        return { ok: false, error: { code: "layout.rows_above", sheet: sheet.name, cell: cellAddress(row, 0), message: {
          zh: `工作表「${sheet.name}」（${page.label}）的表格信息从 A${FILL_META_ROW + 1} 移到了 A${row + 1}：表格上方${inserted > 0 ? `插入了 ${inserted} 行` : "删除了行"}，未读取任何数值。请删除插入的行（或撤销删除），或重新下载填报表。`,
          en: `On sheet '${sheet.name}' (${page.label}) the table's information moved from A${FILL_META_ROW + 1} to A${row + 1}: ${inserted > 0 ? `${inserted} row(s) were inserted` : "rows were deleted"} above the table, and no figure was read. Delete the inserted rows (or undo the deletion), or download the fill workbook again.`,
        } } };
      }
    }
  }
  return null;
}
