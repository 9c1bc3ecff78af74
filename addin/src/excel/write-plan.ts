import { cellAddress, columnLetter, type CellPlan, type CellStyle, type SheetPlan, type ValidationPlan } from "@tianbao/shared";

/** Fill colours and fonts per plan style; the xlsx export maps the same styles (see worker/src/export). */
export const STYLE_FORMATS: Record<CellStyle, { fill?: string; bold?: boolean; italic?: boolean; color?: string; size?: number }> = {
  title: { bold: true, size: 14 },
  meta: { color: "#999999", size: 8 },
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
  note: { color: "#666666", size: 9 },
};

// Text that Excel would take as a formula when written (= + - @) keeps a leading apostrophe.
const asCellInput = (c: CellPlan): string | number | boolean => {
  if (c.formula) return c.formula;
  const v = c.value ?? "";
  return typeof v === "string" && /^[=+\-@]/.test(v) ? `'${v}` : v;
};

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

function validationRule(v: ValidationPlan): Excel.DataValidationRule {
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

/**
 * Queues a whole sheet plan onto a worksheet — values and live formulas in one write, number
 * formats, styles by column runs, validation, unlocked input cells, merges, widths, frozen rows,
 * hidden metadata, charts, then protection. Queues only: the caller decides when to sync.
 */
export function queueSheetPlan(ws: Excel.Worksheet, plan: SheetPlan): void {
  ws.protection.unprotect();
  const rows = Math.max(...plan.cells.map((c) => c.row)) + 1;
  const cols = Math.max(...plan.cells.map((c) => c.col)) + 1;
  const whole = `A1:${cellAddress(rows - 1, cols - 1)}`;
  const grid: (string | number | boolean)[][] = Array.from({ length: rows }, () => Array<string | number | boolean>(cols).fill(""));
  const formats: string[][] = Array.from({ length: rows }, () => Array<string>(cols).fill("General"));
  for (const c of plan.cells) {
    grid[c.row]![c.col] = asCellInput(c);
    if (c.numberFormat) formats[c.row]![c.col] = c.numberFormat;
  }
  const all = ws.getRange(whole);
  all.dataValidation.clear();
  all.format.fill.clear();
  all.format.protection.locked = true;
  all.formulas = grid;
  all.numberFormat = formats;
  const byStyle = new Map<CellStyle, CellPlan[]>();
  for (const c of plan.cells) {
    const list = byStyle.get(c.style);
    if (list) list.push(c);
    else byStyle.set(c.style, [c]);
  }
  for (const [style, cells] of byStyle) {
    const f = STYLE_FORMATS[style];
    if (Object.keys(f).length === 0) continue;
    for (const address of columnRuns(cells)) {
      const r = ws.getRange(address);
      if (f.fill) r.format.fill.color = f.fill;
      if (f.bold) r.format.font.bold = true;
      if (f.italic) r.format.font.italic = true;
      if (f.color) r.format.font.color = f.color;
      if (f.size) r.format.font.size = f.size;
    }
  }
  for (const address of columnRuns(plan.cells.filter((c) => !c.locked))) ws.getRange(address).format.protection.locked = false;
  for (const v of plan.validations) {
    const r = ws.getRange(v.cell);
    r.dataValidation.rule = validationRule(v);
    r.dataValidation.errorAlert = { message: v.error.zh, showAlert: true, style: "Stop", title: "天宝填报" };
  }
  plan.columnWidths.forEach((w, i) => { ws.getRange(`${columnLetter(i)}1`).format.columnWidth = w * 7; });
  for (const m of plan.merges) ws.getRange(m).merge();
  ws.freezePanes.freezeRows(plan.freezeRows);
  for (const [k, v] of Object.entries(plan.properties)) ws.customProperties.add(k, v);
  for (const chart of plan.charts ?? []) {
    const ch = ws.charts.add("ColumnClustered", ws.getRange(chart.source), "Rows");
    ch.title.text = chart.title;
    ch.setPosition(chart.from, chart.to);
  }
  if (plan.protect) ws.protection.protect({ allowFormatColumns: true, allowFormatRows: true, selectionMode: "Normal" });
}
