import { CodeSchema, isSheetSafe } from "../schemas/text";
import { FUNCTIONS, KEYWORDS } from "../formula";
import type { CellValue } from "../layout/sheet-plan";
import type { DesignerProblems, Grid } from "./read";
import type { SheetKey } from "./sheets";

/** The fields every designer sheet shares: its rows, names and codes, each checked on its cell. */

export const text = (v: CellValue | undefined): string => (v === null || v === undefined ? "" : String(v).trim());
/** Words of the formula language (TRUE, IF, SUM…): a code that is one could not be used in a formula. */
const FORMULA_WORDS: ReadonlySet<string> = new Set([...KEYWORDS, ...FUNCTIONS]);

export interface SheetRow { row: number; c: (col: number) => string }

/** The non-blank rows from `from` (at most 1,100 by default: more than any template holds). */
export function rowsOf(grid: Grid, from: number, max = 1100): SheetRow[] {
  const out: SheetRow[] = [];
  for (let r = from; r < grid.length && out.length < max; r++) {
    if ((grid[r] ?? []).every((v) => text(v) === "")) continue;
    out.push({ row: r, c: (col) => text(grid[r]?.[col]) });
  }
  return out;
}

export function nameField(p: DesignerProblems, key: SheetKey, row: number, col: number, v: string, max: number, what: string, whatEn: string): string | null {
  if (v === "") { p.bad(key, row, col, `${what}不能为空`, `${whatEn} is required`); return null; }
  if (v.length > max || !isSheetSafe(v)) { p.bad(key, row, col, `${what}过长或含有控制字符（至多 ${max} 字）`, `${whatEn} is too long or has control characters (at most ${max})`); return null; }
  return v;
}

export function codeField(p: DesignerProblems, key: SheetKey, row: number, col: number, v: string, what: string, whatEn?: string): string | null {
  if (!CodeSchema.safeParse(v).success || FORMULA_WORDS.has(v.toUpperCase())) { p.bad(key, row, col, `${what}「${v}」无效：以字母开头，只含字母、数字和 _，至多 40 个字符，且不能是保留字`, `${whatEn ?? (what === "代码" ? "code" : what)} '${v}' is not valid: a letter first, then letters, digits and _, at most 40, not a reserved word`); return null; }
  return v;
}

/** Options as one cell, as the designer writes them: "code=中文名=English name；…" (English optional; ；, ; or a new line between). */
export function parseOptions(cell: string): { code: string; name: { zh: string; en: string } }[] {
  const parts = cell.split(/[；;\n]/).map((x) => x.trim()).filter(Boolean);
  return parts.map((x) => { const [oc = "", ozh = "", oen = ""] = x.split(/[=＝]/).map((y) => y.trim()); return { code: oc, name: { zh: ozh, en: oen || ozh } }; });
}
