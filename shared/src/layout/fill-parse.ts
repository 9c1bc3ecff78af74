import type { CompiledTemplate } from "../template/compile";
import { MAX_COMMENT_TEXT, MAX_VALUE_TEXT, type RawValue, type Signature } from "../schemas/submission";
import { isSheetSafe, type LocalizedText } from "../schemas/text";
import type { Issue } from "../validation/issue";
import { FILL_COLUMNS as C, FILL_HEADERS, FILL_HEADER_ROW, FILL_META_ROW, decodeFillMeta, fillIndex, type FillMeta } from "./fill-layout";
import { shownNumberProblem, type CellFacts } from "./cell-facts";
import { readSignature, signatureTopOf } from "./fill-signature";
import { cellAddress, type CellValue } from "./sheet-plan";

export type LayoutErrorCode =
  | "layout.not_tianbao" | "layout.wrong_template" | "layout.old_version" | "layout.wrong_round" | "layout.wrong_unit" | "layout.broken"
  | "layout.formula_in_input" | "layout.text_too_long" | "layout.bad_character" | "layout.columns_moved" | "layout.error_value"
  | "layout.shown_as_other" | "layout.typed_over_formula" | "layout.signature";

/** Why a sheet cannot be read, with the cell where it shows and what to do. */
export interface LayoutError {
  code: LayoutErrorCode;
  cell?: string;
  message: LocalizedText;
}

export type ParsedFill =
  | { ok: true; meta: FillMeta; values: Record<string, RawValue>; comments: Record<string, string>; signature: Signature }
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
  const { template } = compiled;
  const fail = (code: LayoutErrorCode, zh: string, en: string, cell?: string): ParsedFill =>
    ({ ok: false, error: { code, ...(cell ? { cell } : {}), message: { zh, en } } });
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
  const index = fillIndex(compiled);
  if (meta.fingerprint !== index.fingerprint) return fail("layout.broken", "表格结构与模板不一致（行被插入、删除或移动）。请重新下载填报表。", "The sheet's layout no longer matches the template (rows inserted, deleted or moved). Download the fill sheet again.", metaCell);
  const moved = movedColumn(grid);
  if (moved) return fail("layout.columns_moved", `${moved.cell} 应为「${moved.header}」，实际为「${moved.found}」：列被移动、插入或删除，未读取任何数值。请把列恢复原样，或重新下载填报表。`, `${moved.cell} should read '${moved.header}' but reads '${moved.found}': a column was moved, inserted or deleted, and no figure was read. Put the columns back, or download the fill sheet again.`, moved.cell);
  const values: Record<string, RawValue> = {};
  const comments: Record<string, string> = {};
  const shownText = (cell: string, v: CellValue): CellValue => expect.shown?.get(cell)?.text ?? v;
  // where text is read, a number is the text its format shows (000101, not 101)
  const formattedText = (cell: string, v: CellValue): CellValue => expect.formatted?.get(cell)?.text ?? v;
  // in text, a logical value is what Excel shows: TRUE / FALSE
  const asText = (v: CellValue): CellValue => (typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : v);
  for (const r of index.rows) {
    if (r.kind !== "indicator") continue;
    const code = r.indicator.code;
    const found = expect.formulaCells?.has(cellAddress(r.row, C.code)) ? null : at(grid, r.row, C.code);
    if (found !== code) {
      const cell = cellAddress(r.row, C.code);
      return fail("layout.broken", `${cell} 应为指标代码「${code}」，实际为「${String(found ?? "")}」：行被删除、移动或代码被修改。请重新下载填报表。`, `${cell} should hold indicator code '${code}' but holds '${String(found ?? "")}': a row was deleted or moved, or a code was edited. Download the fill sheet again.`, cell);
    }
    const name = `${r.indicator.name.zh}（${code}）`;
    const nameEn = `${r.indicator.name.en} (${code})`;
    const cell = cellAddress(r.row, C.value);
    if (r.indicator.kind === "derived") {
      // a figure typed over a computed cell would be dropped without a word: say so on its cell
      const typed = at(grid, r.row, C.value);
      if (expect.formulaCells && !expect.formulaCells.has(cell) && (typed !== null && typed !== "" || expect.errors?.has(cell))) {
        const what = String(shownText(cell, typed) ?? expect.errors?.get(cell) ?? "");
        return fail("layout.typed_over_formula", `${cell} ${name} 由公式计算，不能直接填写（此处填了「${what}」，公式已被覆盖）。请删除该值，或重新下载填报表。`, `${cell} ${nameEn} is computed by a formula and cannot be typed (it holds '${what}'; the formula was overwritten). Clear it, or download the fill sheet again.`, cell);
      }
    } else {
      // A formula's cached result is whatever the file says it is; only typed figures are taken.
      if (expect.formulaCells?.has(cell)) return fail("layout.formula_in_input", `${cell} ${name}：此单元格是公式，请直接填写数值（系统不采用文件中的公式结果）`, `${cell} ${nameEn}: this cell holds a formula; type the figure itself (a formula's result in the file is not used)`, cell);
      const error = expect.errors?.get(cell);
      if (error) return fail("layout.error_value", `${cell} ${name}：单元格是错误值 ${error}，请填写数值或留空`, `${cell} ${nameEn}: the cell holds the error value ${error}; type the figure or leave it blank`, cell);
      const shown = expect.shown?.get(cell);
      const numeric = r.indicator.kind === "count" || r.indicator.kind === "amount";
      if (shown && numeric) { const p = shownNumberProblem(shown); return fail("layout.shown_as_other", `${cell} ${name}：${p.zh}`, `${cell} ${nameEn}: ${p.en}`, cell); }
      const shownValue = shownText(cell, at(grid, r.row, C.value));
      const v = r.indicator.kind === "text" ? asText(formattedText(cell, shownValue)) : shownValue;
      if (typeof v === "string" && v.length > MAX_VALUE_TEXT) return fail("layout.text_too_long", `${cell} ${name}：内容超过 ${MAX_VALUE_TEXT} 个字`, `${cell} ${nameEn}: more than ${MAX_VALUE_TEXT} characters`, cell);
      values[code] = v;
    }
    const commentCell = cellAddress(r.row, C.comment);
    if (expect.formulaCells?.has(commentCell)) return fail("layout.formula_in_input", `${commentCell} ${name} 的说明：此单元格是公式，请直接填写文字`, `${commentCell} note on ${nameEn}: this cell holds a formula; type the text itself`, commentCell);
    const commentError = expect.errors?.get(commentCell);
    if (commentError) return fail("layout.error_value", `${commentCell} ${name} 的说明：单元格是错误值 ${commentError}，请填写文字或留空`, `${commentCell} note on ${nameEn}: the cell holds the error value ${commentError}; type the text or leave it blank`, commentCell);
    const comment = asText(formattedText(commentCell, shownText(commentCell, at(grid, r.row, C.comment))));
    if (comment !== null && String(comment).trim() !== "") {
      const text = String(comment).trim();
      if (text.length > MAX_COMMENT_TEXT) return fail("layout.text_too_long", `${commentCell} ${name} 的说明超过 ${MAX_COMMENT_TEXT} 个字`, `${commentCell} the note on ${nameEn} is over ${MAX_COMMENT_TEXT} characters`, commentCell);
      if (!isSheetSafe(text)) return fail("layout.bad_character", `${commentCell} ${name} 的说明含有表格无法保存的控制字符，请删除后重试`, `${commentCell} the note on ${nameEn} contains a control character no spreadsheet can hold; remove it`, commentCell);
      comments[code] = text;
    }
  }
  const signed = readSignature(grid, signatureTopOf(index), { errors: expect.errors, shown: expect.shown });
  if (!signed.ok) return fail("layout.signature", signed.message.zh, signed.message.en, signed.cell);
  return { ok: true, meta, values, comments, signature: signed.signature };
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

/** The value cell of an indicator on the fill sheet ("D14"), to point an issue at. */
export function fillCellOf(compiled: CompiledTemplate, code: string): string | null {
  const row = fillIndex(compiled).rowOf.get(code);
  return row === undefined ? null : cellAddress(row, C.value);
}

/** Issues with their cell in front: "D14 工业产品总数（products）：必填". */
export function locateIssues(compiled: CompiledTemplate, issues: readonly Issue[]): (Issue & { cell: string | null })[] {
  const index = fillIndex(compiled);
  return issues.map((issue) => {
    const row = index.rowOf.get(issue.indicator);
    const cell = row === undefined ? null : cellAddress(row, C.value);
    return { ...issue, cell, message: cell ? { zh: `${cell} ${issue.message.zh}`, en: `${cell} ${issue.message.en}` } : issue.message };
  });
}
