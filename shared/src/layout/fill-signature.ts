import { FILL_COLUMNS as C } from "./fill-layout";
import type { CellPlan } from "./sheet-plan";

/** What the signature block asks for, in the order a county office fills it in. */
export const SIGNATURE_LABELS = ["填报单位", "负责人", "填报人", "联系电话", "填报日期"] as const;

/**
 * The signature block below the form, from row `top` (0-based): labels in the code and note-label
 * columns, cells to write in beside them (unlocked, formatted as Text so a phone number keeps its
 * leading 0 and a date stays as written), the unit's name already filled in. Reading a fill sheet
 * back only looks at indicator rows, so whatever is written here never becomes a figure.
 */
export function signatureBlock(top: number, unitName: string): CellPlan[] {
  const spots: [number, number][] = [[top, C.code], [top, C.previous], [top + 1, C.code], [top + 1, C.previous], [top + 2, C.code]];
  const cells: CellPlan[] = [];
  SIGNATURE_LABELS.forEach((label, i) => {
    const [row, col] = spots[i]!;
    cells.push({ row, col, value: label, style: "signLabel", locked: true });
    // the label's neighbour: the name column on the left, the note column on the right
    cells.push({ row, col: col + 1, value: i === 0 ? unitName : null, style: "signInput", locked: false, numberFormat: "@" });
  });
  return cells;
}

/** Rows the signature block takes. */
export const SIGNATURE_ROWS = 3;
