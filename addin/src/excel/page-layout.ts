import { PAGE, type SheetPlan } from "@tianbao/shared";

/**
 * A plan's print settings through Worksheet.pageLayout (ExcelApi 1.9): A4, fitted to one page wide
 * and automatic height (verticalFitToPages 0, what Excel records for "Fit All Columns on One
 * Page"), margins, print area, the rows repeated on every page, gridlines, header and footer. All
 * queued for the caller's sync; call it while the sheet is unprotected.
 * https://learn.microsoft.com/javascript/api/excel/excel.pagelayout
 */
export function applyPrintPlan(ws: Excel.Worksheet, plan: SheetPlan): void {
  const layout = ws.pageLayout;
  const print = plan.print;
  layout.paperSize = PAGE.paper;
  layout.orientation = print.landscape ? "Landscape" : "Portrait";
  // set as one object: Excel ignores zoom.x = … on its own (the PageLayout.zoom documentation)
  layout.zoom = { horizontalFitToPages: PAGE.fitToPagesWide, verticalFitToPages: PAGE.fitToPagesTall };
  layout.setPrintMargins("Inches", PAGE.marginsInches);
  layout.printGridlines = print.gridlines ?? false;
  if (print.titleRows) layout.setPrintTitleRows(print.titleRows.split(":").map((r) => `$${r}`).join(":"));
  if (print.area) layout.setPrintArea(print.area);
  const page = layout.headersFooters.defaultForAllPages;
  if (print.header) page.centerHeader = print.header;
  if (print.footer) page.centerFooter = print.footer;
}
