import {
  STYLE_FONT_POINTS, WRAPPED_STYLES, cellAddress, columnLetter, largest, type CellPlan, type CellStyle, type SheetPlan, type ValidationPlan,
} from "@tianbao/shared";

/**
 * Fill colours and fonts per plan style; the xlsx export maps the same styles (see worker/src/export).
 * Sizes that differ from the body's and wrapping come from the plan's shared tables.
 */
export const STYLE_FORMATS: Record<CellStyle, { fill?: string; bold?: boolean; italic?: boolean; color?: string }> = {
  title: { bold: true },
  meta: { color: "#999999" },
  status: { italic: true, color: "#2B579A" },
  header: { bold: true, color: "#FFFFFF", fill: "#2B579A" },
  section: { bold: true, fill: "#DDEBF7" },
  code: { color: "#666666" },
  label: {},
  unit: {},
  input: { fill: "#FFF9E6" },
  derived: { fill: "#EFEFEF", italic: true },
  previous: { color: "#666666" },
  comment: { fill: "#FFF9E6" },
  check: { color: "#C00000" },
  total: { bold: true, fill: "#E2EFDA" },
  change: {},
  note: { color: "#666666" },
  signLabel: { bold: true },
  signInput: { fill: "#FFF9E6" },
};

// Text that Excel would take as a formula when written (= + - @) keeps a leading apostrophe
// (Range.values: a string starting with +, - or = is taken as a formula).
const asCellInput = (c: CellPlan): string | number | boolean => {
  if (c.formula) return c.formula;
  const v = c.value ?? "";
  return typeof v === "string" && /^[=+\-@]/.test(v) ? `'${v}` : v;
};

/** Styles of cells that hold text the add-in writes later (status, marks) or the official types (notes). */
const TEXT_STYLES = new Set<CellStyle>(["meta", "status", "comment", "check", "signInput"]);

/**
 * The number format a cell gets before its value is written. Text cells get "@" (Text), so
 * Excel stores "2024-05-01", "1/2", "50%", "(12)", "TRUE" or "+1" as typed instead of turning
 * them into dates, numbers, booleans or formulas; a later value typed by the official into an
 * input with a text or list rule stays text too. Numbers and formulas keep their own format.
 */
export function cellFormat(c: CellPlan, textInputs: ReadonlySet<string>): string {
  if (c.formula) return c.numberFormat ?? "General";
  if (c.numberFormat) return c.numberFormat;
  if (typeof c.value === "string" && c.value !== "") return "@";
  if (TEXT_STYLES.has(c.style) || textInputs.has(cellAddress(c.row, c.col))) return "@";
  return "General";
}

/** Worksheet protection the add-in uses: only unlocked cells editable; rows and columns resizable. */
export const PROTECTION: Excel.WorksheetProtectionOptions = { allowFormatColumns: true, allowFormatRows: true, selectionMode: "Normal" };

/**
 * Excel on the web refuses a request over 5 MB (resource limits); a sheet plan whose values would
 * come near that is written in row blocks, one sync each, so no single request is too large.
 */
export const PAYLOAD_BUDGET_BYTES = 3.5 * 1024 * 1024;
/** Bytes of values queued since the last sync (see drawSheetPlan). */
export interface PayloadBudget { bytes: number }
const encoder = new TextEncoder();
const bytesOf = (v: unknown): number => encoder.encode(JSON.stringify(v)).length;

/** Groups cells into column runs ("D5:D12") so one command formats many cells. */
export function columnRuns(cells: readonly { row: number; col: number }[]): string[] {
  const sorted = [...cells].sort((a, b) => a.col - b.col || a.row - b.row);
  const out: string[] = [];
  let start: { row: number; col: number } | null = null;
  let prev: { row: number; col: number } | null = null;
  for (const c of sorted) {
    if (start && prev && c.col === prev.col && c.row === prev.row + 1) { prev = c; continue; }
    if (start && prev) out.push(start.row === prev.row ? cellAddress(start.row, start.col) : `${cellAddress(start.row, start.col)}:${cellAddress(prev.row, prev.col)}`);
    start = c;
    prev = c;
  }
  if (start && prev) out.push(start.row === prev.row ? cellAddress(start.row, start.col) : `${cellAddress(start.row, start.col)}:${cellAddress(prev.row, prev.col)}`);
  return out;
}

/** A plan's validation as Excel's rule (a list, a text length, whole or decimal numbers within bounds). */
export function validationRule(v: ValidationPlan): Excel.DataValidationRule {
  switch (v.type) {
    case "list": return { list: { inCellDropDown: true, source: v.list!.join(",") } };
    case "textLength": return { textLength: { formula1: v.max ?? 500, operator: "LessThanOrEqualTo" } };
    case "whole":
    case "decimal": {
      const rule = v.max !== undefined
        ? { formula1: v.min ?? 0, formula2: v.max, operator: "Between" as const }
        : { formula1: v.min ?? 0, operator: "GreaterThanOrEqualTo" as const };
      return v.type === "whole" ? { wholeNumber: rule } : { decimal: rule };
    }
  }
}

/** Whether a plan style sets anything on a cell (a fill, a font, wrapping). */
export const hasStyle = (style: CellStyle): boolean => Object.keys(STYLE_FORMATS[style]).length > 0 || !!STYLE_FONT_POINTS[style] || WRAPPED_STYLES.has(style);

/** Gives a range a plan style's fill, font and wrapping (queued). */
export function styleRange(r: Excel.Range, style: CellStyle): void {
  const f = STYLE_FORMATS[style];
  const size = STYLE_FONT_POINTS[style];
  if (f.fill) r.format.fill.color = f.fill;
  if (f.bold) r.format.font.bold = true;
  if (f.italic) r.format.font.italic = true;
  if (f.color) r.format.font.color = f.color;
  if (size) r.format.font.size = size;
  if (WRAPPED_STYLES.has(style)) r.format.wrapText = true;
}

/** A plan's validation rule on a range, with its Stop alert (queued). */
export function validate(r: Excel.Range, v: ValidationPlan): void {
  r.dataValidation.rule = validationRule(v);
  r.dataValidation.errorAlert = { message: v.error.zh, showAlert: true, style: "Stop", title: "天宝填报" };
}

/**
 * Draws a whole sheet plan onto a worksheet: text formats first, then values and live formulas,
 * styles by column runs, validation, unlocked input cells, merges, widths, hidden rows,
 * frozen rows and charts — all while the sheet is unprotected — then
 * protection. Everything is
 * queued for the caller's next sync, except that values too large for one request are written
 * in blocks with a sync after each but the last. `wasProtected` comes from a load of
 * protection.protected, so protect() is never called on a protected sheet (it fails there).
 */
export async function drawSheetPlan(
  context: Excel.RequestContext, ws: Excel.Worksheet, plan: SheetPlan,
  options: {
    wasProtected: boolean;
    /** The area an earlier drawing used: cleared (values, formats, rules) first. */
    clearExtent?: { rows: number; cols: number };
    /**
     * The bytes of values already queued for the next sync, shared by the sheets drawn in one batch
     * (a form's cover and tables): the block that would take the request over the budget syncs first.
     */
    budget?: PayloadBudget;
  },
): Promise<void> {
  if (options.wasProtected) ws.protection.unprotect();
  const rows = largest(plan.cells.map((c) => c.row)) + 1;
  const cols = largest(plan.cells.map((c) => c.col)) + 1;
  if (options.clearExtent && options.clearExtent.rows > 0) clearOldDrawing(ws, options.clearExtent, rows, cols);
  const lastCol = columnLetter(cols - 1);
  const textInputs = new Set(plan.validations.filter((v) => v.type === "list" || v.type === "textLength").map((v) => v.cell));
  const grid: (string | number | boolean)[][] = Array.from({ length: rows }, () => Array<string | number | boolean>(cols).fill(""));
  const formats: string[][] = Array.from({ length: rows }, () => Array<string>(cols).fill("General"));
  for (const c of plan.cells) {
    grid[c.row]![c.col] = asCellInput(c);
    formats[c.row]![c.col] = cellFormat(c, textInputs);
  }
  const all = ws.getRange(`A1:${cellAddress(rows - 1, cols - 1)}`);
  all.dataValidation.clear();
  all.format.fill.clear();
  all.format.protection.locked = true;
  all.numberFormat = formats; // before the values: Excel converts text on the way in
  const budget = options.budget ?? { bytes: 0 };
  let start = 0;
  for (let r = 0; r < rows; r++) {
    const rowBytes = bytesOf(grid[r]) + 8;
    if (budget.bytes + rowBytes > PAYLOAD_BUDGET_BYTES && budget.bytes > 0) {
      if (r > start) ws.getRange(`A${start + 1}:${lastCol}${r}`).formulas = grid.slice(start, r);
      await context.sync();
      start = r;
      budget.bytes = 0;
    }
    budget.bytes += rowBytes;
  }
  ws.getRange(`A${start + 1}:${lastCol}${rows}`).formulas = grid.slice(start);
  const byStyle = new Map<CellStyle, CellPlan[]>();
  for (const c of plan.cells) {
    const list = byStyle.get(c.style);
    if (list) list.push(c);
    else byStyle.set(c.style, [c]);
  }
  for (const [style, cells] of byStyle) {
    if (!hasStyle(style)) continue;
    for (const address of columnRuns(cells)) styleRange(ws.getRange(address), style);
  }
  for (const address of columnRuns(plan.cells.filter((c) => !c.locked))) ws.getRange(address).format.protection.locked = false;
  for (const v of plan.validations) validate(ws.getRange(v.cell), v);
  plan.columnWidths.forEach((w, i) => { ws.getRange(`${columnLetter(i)}1`).format.columnWidth = w * 7; });
  for (const m of plan.merges) ws.getRange(m).merge();
  for (const row of plan.hiddenRows ?? []) ws.getRange(cellAddress(row, 0)).rowHidden = true;
  for (const h of plan.rowHeights ?? []) ws.getRange(cellAddress(h.row, 0)).format.rowHeight = h.points;
  // Print setup is not here: it is best-effort, in a sync of its own (page-layout.ts), so a
  // failing page setup never costs the sheet. The plan's metadata is written to its protected
  // cell A2 only: a worksheet custom property (ExcelApi 1.12) was written but read by nothing.
  ws.freezePanes.freezeRows(plan.freezeRows);
  for (const chart of plan.charts ?? []) {
    const ch = ws.charts.add("ColumnClustered", ws.getRange(chart.source), "Rows");
    ch.title.text = chart.title;
    ch.setPosition(chart.from, chart.to);
  }
  if (plan.protect) ws.protection.protect(PROTECTION);
}

/**
 * Clears what an earlier drawing left: everything beyond the new drawing's area, and only the
 * formatting within it (Range.clear("Formats") keeps values: https://learn.microsoft.com/javascript/api/excel/excel.clearapplyto).
 * The new drawing writes every cell of its area, so nothing old stays there; and if the batch fails
 * before the new values land (Excel keeps the commands that ran before a failure), the figures the
 * official typed are still in their cells rather than cleared away.
 */
function clearOldDrawing(ws: Excel.Worksheet, old: { rows: number; cols: number }, rows: number, cols: number): void {
  if (old.rows > rows) ws.getRange(`A${rows + 1}:${cellAddress(old.rows - 1, Math.max(old.cols, cols) - 1)}`).clear();
  if (old.cols > cols) ws.getRange(`${cellAddress(0, cols)}:${cellAddress(Math.min(old.rows, rows) - 1, old.cols - 1)}`).clear();
  ws.getRange(`A1:${cellAddress(rows - 1, cols - 1)}`).clear("Formats");
}
