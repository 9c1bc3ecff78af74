import "./quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { BODY_FONT_POINTS, PAGE, STYLE_FONT_POINTS, WRAPPED_STYLES, type CellStyle, type PrintPlan, type SheetPlan } from "@tianbao/shared";

type Fill = ExcelJS.Fill;
const solid = (argb: string): Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb } });

// How each plan style looks in a workbook. The add-in maps the same styles to Office.js formats;
// sizes and wrapping come from the plan's shared tables, so both draw the same sheet.
const STYLES: Record<CellStyle, { font?: Partial<ExcelJS.Font>; fill?: Fill; alignment?: Partial<ExcelJS.Alignment> }> = {
  title: { font: { bold: true } },
  meta: { font: { color: { argb: "FF999999" } } },
  status: { font: { italic: true, color: { argb: "FF2B579A" } }, alignment: { vertical: "top" } },
  header: { font: { bold: true, color: { argb: "FFFFFFFF" } }, fill: solid("FF2B579A"), alignment: { horizontal: "center", vertical: "middle" } },
  section: { font: { bold: true }, fill: solid("FFDDEBF7") },
  code: { font: { color: { argb: "FF666666" } } },
  label: {},
  unit: { alignment: { horizontal: "center" } },
  input: { fill: solid("FFFFF9E6") },
  derived: { fill: solid("FFEFEFEF"), font: { italic: true } },
  previous: { font: { color: { argb: "FF666666" } } },
  comment: { fill: solid("FFFFF9E6") },
  check: { font: { color: { argb: "FFC00000" } } },
  total: { font: { bold: true }, fill: solid("FFE2EFDA") },
  change: {},
  note: { font: { color: { argb: "FF666666" } } },
  signLabel: { font: { bold: true } },
  signInput: { fill: solid("FFFFF9E6") },
};

/** The plan's print settings as exceljs page setup: A4, one page wide, automatic height (PAGE). */
function pageSetup(print: PrintPlan): Partial<ExcelJS.PageSetup> {
  // exceljs writes a print area "A1:F9" as $A1:$F9 (it prefixes each corner with "$"); "A$1:F$9"
  // comes out as the absolute $A$1:$F$9 that Excel itself writes.
  const area = print.area?.replace(/([A-Z]+)(\d+)/g, "$1$$$2");
  return {
    paperSize: 9, // A4 in SpreadsheetML's paperSize numbering (ECMA-376 Part 1, 18.3.1.63)
    orientation: print.landscape ? "landscape" : "portrait",
    fitToPage: true, fitToWidth: print.pagesWide ?? PAGE.fitToPagesWide, fitToHeight: PAGE.fitToPagesTall,
    margins: PAGE.marginsInches,
    ...(print.titleRows ? { printTitlesRow: print.titleRows } : {}),
    ...(print.titleColumns ? { printTitlesColumn: print.titleColumns } : {}),
    ...(area ? { printArea: area } : {}),
    ...(print.gridlines ? { showGridLines: true } : {}),
  };
}

/**
 * Draws one sheet plan into a workbook: values, live formulas with their results stored, formats,
 * validation, protection, hidden rows and print setup.
 */
export async function renderSheet(wb: ExcelJS.Workbook, plan: SheetPlan): Promise<ExcelJS.Worksheet> {
  const ws = wb.addWorksheet(plan.name, { views: [{ state: "frozen", ySplit: plan.freezeRows }], pageSetup: pageSetup(plan.print) });
  if (plan.print.header || plan.print.headerRight) ws.headerFooter.oddHeader = `${plan.print.header ? `&C${plan.print.header}` : ""}${plan.print.headerRight ? `&R${plan.print.headerRight}` : ""}`;
  if (plan.print.footer) ws.headerFooter.oddFooter = `&C${plan.print.footer}`;
  plan.columnWidths.forEach((w, i) => { ws.getColumn(i + 1).width = w; });
  for (const c of plan.cells) {
    const cell = ws.getCell(c.row + 1, c.col + 1);
    if (c.formula) {
      const formula = c.formula.replace(/^=/, "");
      cell.value = (c.result === undefined || c.result === null ? { formula } : { formula, result: c.result }) as ExcelJS.CellFormulaValue;
    } else if (c.value !== undefined && c.value !== null && c.value !== "") cell.value = c.value;
    if (c.numberFormat) cell.numFmt = c.numberFormat;
    const s = STYLES[c.style];
    const size = STYLE_FONT_POINTS[c.style];
    if (s.font || size) cell.font = { ...s.font, size: size ?? BODY_FONT_POINTS };
    if (s.fill) cell.fill = s.fill;
    if (s.alignment || WRAPPED_STYLES.has(c.style)) cell.alignment = { ...s.alignment, ...(WRAPPED_STYLES.has(c.style) ? { wrapText: true } : {}) };
    // locked is every cell's default (Excel's and exceljs's): only an unlocked cell needs a protection of its own,
    // which also spares a style object per cell on long sheets (a detail list's tens of thousands of rows)
    if (!c.locked) cell.protection = { locked: false };
  }
  for (const m of plan.merges) ws.mergeCells(m);
  for (const r of plan.hiddenRows ?? []) ws.getRow(r + 1).hidden = true;
  for (const h of plan.rowHeights ?? []) ws.getRow(h.row + 1).height = h.points;
  if (plan.autoFilter) ws.autoFilter = plan.autoFilter;
  // a rule over a range (a detail list's column of rows) is one rule in the file, as Excel writes it;
  // a cell's dataValidation setter adds to the same collection (exceljs types only the setter)
  const rules = (ws as unknown as { dataValidations: { add(address: string, rule: ExcelJS.DataValidation): void } }).dataValidations;
  for (const v of plan.validations) {
    const base = { allowBlank: true, showErrorMessage: true, errorStyle: "stop" as const, errorTitle: "天宝填报", error: v.error.zh };
    if (v.type === "list") rules.add(v.cell, { ...base, type: "list", formulae: [`"${v.list!.join(",")}"`] });
    else if (v.type === "textLength") rules.add(v.cell, { ...base, type: "textLength", operator: "lessThanOrEqual", formulae: [v.max ?? 500] });
    else if (v.max !== undefined) rules.add(v.cell, { ...base, type: v.type, operator: "between", formulae: [v.min ?? 0, v.max] });
    else rules.add(v.cell, { ...base, type: v.type, operator: "greaterThanOrEqual", formulae: [v.min ?? 0] });
  }
  // Only the unlocked cells can be edited (rows cannot be unhidden: formatRows stays off); no
  // password: protection guards the layout, not secrets.
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
