import { FILL_COLUMNS as C, FILL_HEADER_ROW, type FillIndex } from "./fill-layout";
import { cellAddress, type CellPlan, type CellValue } from "./sheet-plan";
import { MAX_SIGNATURE_TEXT, SIGNATURE_FIELDS, type Signature, type SignatureField } from "../schemas/submission";
import { isSheetSafe, type LocalizedText } from "../schemas/text";
import { normalizeUnitCode, unitCodeProblem } from "../schemas/unit-code";

/** What the signature block asks for, in the order a county office fills it in. */
export const SIGNATURE_LABELS = ["填报单位", "统一社会信用代码", "负责人", "统计负责人", "填报人", "联系电话", "填报日期"] as const;

/** Each signature field's name in both languages (the labels on the sheet, zh first). */
export const SIGNATURE_NAMES: Record<SignatureField, LocalizedText> = {
  unit: { zh: "填报单位", en: "reporting unit" },
  code: { zh: "统一社会信用代码", en: "unified social credit code" },
  head: { zh: "负责人", en: "person in charge" },
  statHead: { zh: "统计负责人", en: "head of statistics" },
  filer: { zh: "填报人", en: "filled in by" },
  phone: { zh: "联系电话", en: "phone" },
  date: { zh: "填报日期", en: "date" },
};

/** Where each label sits, from row `top`: the code and note-label columns, two to a row. */
const spots = (top: number): [number, number][] => [[top, C.code], [top, C.previous], [top + 1, C.code], [top + 1, C.previous], [top + 2, C.code], [top + 2, C.previous], [top + 3, C.code]];

/**
 * The signature block below the form, from row `top` (0-based): labels in the code and note-label
 * columns, cells to write in beside them (unlocked, formatted as Text so a phone number keeps its
 * leading 0 and a date stays as written), filled with the signature handed in with the current
 * revision, the unit's name when none was. Reading a fill sheet back never takes a figure from here.
 */
export function signatureBlock(top: number, unitName: string, signature: Signature = {}): CellPlan[] {
  const cells: CellPlan[] = [];
  SIGNATURE_FIELDS.forEach((field, i) => {
    const [row, col] = spots(top)[i]!;
    cells.push({ row, col, value: SIGNATURE_LABELS[i], style: "signLabel", locked: true });
    // the label's neighbour: the name column on the left, the note column on the right
    const value = signature[field] ?? (field === "unit" ? unitName : null);
    cells.push({ row, col: col + 1, value, style: "signInput", locked: false, numberFormat: "@" });
  });
  return cells;
}

/** The signature block's first row: one blank row below the form. */
export const signatureTopOf = (index: FillIndex): number => (index.rows.at(-1)?.row ?? FILL_HEADER_ROW) + 2;

/** Rows the signature block takes. */
export const SIGNATURE_ROWS = 4;

export type SignatureRead = { ok: true; signature: Signature } | { ok: false; cell: string; message: LocalizedText };

/**
 * The signature block read back as the official sees it: each label found where it was drawn, or
 * else anywhere below the form in the label columns (a row inserted above it moves it), and the
 * text beside it, as shown (a pasted date reads as the date shown). A formula there (=TODAY() in
 * 填报日期) is read as what it shows, since that is what is printed and signed — unlike a figure, no
 * total depends on it; an error value is refused on its cell, as it signs nothing.
 */
export function readSignature(
  grid: readonly (readonly CellValue[])[], top: number,
  facts: { errors?: ReadonlyMap<string, string>; shown?: ReadonlyMap<string, { text: string }> },
): SignatureRead {
  const signature: Signature = {};
  const at = (row: number, col: number): CellValue => grid[row]?.[col] ?? null;
  for (const [i, field] of SIGNATURE_FIELDS.entries()) {
    const label = SIGNATURE_LABELS[i]!;
    let [row, col] = spots(top)[i]!;
    if (at(row, col) !== label) {
      const found = findLabel(grid, top, label);
      if (!found) continue;
      [row, col] = found;
    }
    const cell = cellAddress(row, col + 1);
    const name = SIGNATURE_NAMES[field];
    const refuse = (zh: string, en: string): SignatureRead => ({ ok: false, cell, message: { zh: `${cell} ${name.zh}：${zh}`, en: `${cell} ${name.en}: ${en}` } });
    const error = facts.errors?.get(cell);
    if (error) return refuse(`单元格是错误值 ${error}，请填写文字或留空`, `the cell holds the error value ${error}; type the text or leave it blank`);
    const v = facts.shown?.get(cell)?.text ?? at(row, col + 1);
    const text = v === null ? "" : String(v).trim();
    if (text.length > MAX_SIGNATURE_TEXT) return refuse(`超过 ${MAX_SIGNATURE_TEXT} 个字`, `more than ${MAX_SIGNATURE_TEXT} characters`);
    if (!isSheetSafe(text)) return refuse("含有表格无法保存的控制字符，请删除后重试", "contains a control character no spreadsheet can hold; remove it");
    const codeProblem = field === "code" && text ? unitCodeProblem(text) : null;
    if (codeProblem) return refuse(codeProblem.zh, codeProblem.en);
    if (text) signature[field] = field === "code" ? normalizeUnitCode(text) : text;
  }
  return { ok: true, signature };
}

function findLabel(grid: readonly (readonly CellValue[])[], top: number, label: string): [number, number] | null {
  for (let row = Math.max(0, top - 2); row < grid.length; row++) {
    for (const col of [C.code, C.previous]) if (grid[row]?.[col] === label) return [row, col];
  }
  return null;
}
