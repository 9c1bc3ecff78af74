import "./quiet-streams";
import ExcelJS from "exceljs/excel.js";
import type { CellStyle, SheetPlan } from "@tianbao/shared";

type Fill = ExcelJS.Fill;
const solid = (argb: string): Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb } });

// How each plan style looks in a workbook. The add-in maps the same styles to Office.js formats.
const STYLES: Record<CellStyle, { font?: Partial<ExcelJS.Font>; fill?: Fill; alignment?: Partial<ExcelJS.Alignment> }> = {
  title: { font: { bold: true, size: 14 } },
  meta: { font: { size: 8, color: { argb: "FF999999" } } },
  status: { font: { italic: true, color: { argb: "FF2B579A" } } },
  header: { font: { bold: true, color: { argb: "FFFFFFFF" } }, fill: solid("FF2B579A"), alignment: { horizontal: "center", vertical: "middle", wrapText: true } },
  section: { font: { bold: true }, fill: solid("FFDDEBF7") },
  code: { font: { color: { argb: "FF666666" } } },
  label: {},
  unit: { alignment: { horizontal: "center" } },
  input: { fill: solid("FFFFF9E6") },
  derived: { fill: solid("FFEFEFEF"), font: { italic: true } },
  previous: { font: { color: { argb: "FF666666" } } },
  comment: { fill: solid("FFFFF9E6"), alignment: { wrapText: true } },
  check: { font: { color: { argb: "FFC00000" } }, alignment: { wrapText: true } },
  total: { font: { bold: true }, fill: solid("FFE2EFDA") },
  change: {},
  note: { font: { size: 9, color: { argb: "FF666666" } } },
};

/** Draws one sheet plan into a workbook: values, live formulas, formats, validation, protection, print setup. */
export async function renderSheet(wb: ExcelJS.Workbook, plan: SheetPlan): Promise<ExcelJS.Worksheet> {
  const ws = wb.addWorksheet(plan.name, {
    views: [{ state: "frozen", ySplit: plan.freezeRows }],
    pageSetup: { paperSize: 9, orientation: plan.print.landscape ? "landscape" : "portrait", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: plan.print.titleRows },
  });
  plan.columnWidths.forEach((w, i) => { ws.getColumn(i + 1).width = w; });
  for (const c of plan.cells) {
    const cell = ws.getCell(c.row + 1, c.col + 1);
    if (c.formula) cell.value = { formula: c.formula.replace(/^=/, "") } as ExcelJS.CellFormulaValue;
    else if (c.value !== undefined && c.value !== null && c.value !== "") cell.value = c.value;
    if (c.numberFormat) cell.numFmt = c.numberFormat;
    const s = STYLES[c.style];
    if (s.font) cell.font = s.font;
    if (s.fill) cell.fill = s.fill;
    if (s.alignment) cell.alignment = s.alignment;
    cell.protection = { locked: c.locked };
  }
  for (const m of plan.merges) ws.mergeCells(m);
  for (const v of plan.validations) {
    const base = { allowBlank: true, showErrorMessage: true, errorStyle: "stop" as const, errorTitle: "天宝填报", error: v.error.zh };
    const cell = ws.getCell(v.cell);
    if (v.type === "list") cell.dataValidation = { ...base, type: "list", formulae: [`"${v.list!.join(",")}"`] };
    else if (v.type === "textLength") cell.dataValidation = { ...base, type: "textLength", operator: "lessThanOrEqual", formulae: [v.max ?? 500] };
    else if (v.max !== undefined) cell.dataValidation = { ...base, type: v.type, operator: "between", formulae: [v.min ?? 0, v.max] };
    else cell.dataValidation = { ...base, type: v.type, operator: "greaterThanOrEqual", formulae: [v.min ?? 0] };
  }
  // Only the unlocked cells can be edited; no password: protection guards the layout, not secrets.
  if (plan.protect) await ws.protect("", { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true });
  return ws;
}

/** A workbook of the given plans as .xlsx bytes. */
export async function renderWorkbook(plans: SheetPlan[]): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Tianbao 天宝填报";
  wb.created = new Date();
  for (const p of plans) await renderSheet(wb, p);
  const buf = await wb.xlsx.writeBuffer();
  return buf as ArrayBuffer;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A file download: its type, a name in any script (RFC 6266 filename*), never cached. */
export const fileResponse = (body: BodyInit, type: string, filename: string): Response =>
  new Response(body, { headers: { "content-type": type, "content-disposition": `attachment; filename="export"; filename*=UTF-8''${encodeURIComponent(filename)}`, "cache-control": "no-store" } });
