import { PAGE, type LocalizedText, type SheetPlan } from "@tianbao/shared";
import { PROTECTION } from "./write-plan";

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
  layout.zoom = { horizontalFitToPages: print.pagesWide ?? PAGE.fitToPagesWide, verticalFitToPages: PAGE.fitToPagesTall };
  layout.setPrintMargins("Inches", PAGE.marginsInches);
  layout.printGridlines = print.gridlines ?? false;
  if (print.titleRows) layout.setPrintTitleRows(print.titleRows.split(":").map((r) => `$${r}`).join(":"));
  if (print.titleColumns) layout.setPrintTitleColumns(print.titleColumns.split(":").map((c) => `$${c}`).join(":"));
  if (print.area) layout.setPrintArea(print.area);
  const page = layout.headersFooters.defaultForAllPages;
  if (print.header) page.centerHeader = print.header;
  if (print.headerRight) page.rightHeader = print.headerRight;
  if (print.footer) page.centerFooter = print.footer;
}

/** Said when the sheets were drawn but their print setup could not be applied. */
export const PRINT_NOT_SET: LocalizedText = {
  zh: "（打印设置未能应用，不影响填报；打印前请在“页面布局”中设置 A4 横向、调整为一页宽。）",
  en: " (The print setup could not be applied; this does not affect the figures. Before printing, set A4 landscape, fit to one page wide, under Page Layout.)",
};

/**
 * The plans' print setup, best-effort, in one sync of its own after the sheets are drawn: a page
 * setup Excel refuses (a setting the host does not take) must not cost the pull or the totals.
 * A protected sheet is unprotected for it and protected again in the same sync; if the sync fails,
 * Excel keeps the commands before the failing one, so the sheets are protected again in one more.
 * Says whether the setup was applied.
 */
export async function printBestEffort(context: Excel.RequestContext, plans: readonly { sheetName: string; plan: SheetPlan }[]): Promise<boolean> {
  const sheets = context.workbook.worksheets;
  try {
    for (const { sheetName, plan } of plans) {
      const ws = sheets.getItem(sheetName);
      if (plan.protect) ws.protection.unprotect();
      applyPrintPlan(ws, plan);
      if (plan.protect) ws.protection.protect(PROTECTION);
    }
    await context.sync();
    return true;
  } catch (e) {
    console.warn("the print setup could not be applied", e);
    await protectAgain(context, plans.filter((p) => p.plan.protect).map((p) => p.sheetName));
    return false;
  }
}

/** Protects again the sheets a failed print setup may have left unprotected (two syncs, never throws). */
async function protectAgain(context: Excel.RequestContext, names: string[]): Promise<void> {
  if (names.length === 0) return;
  try {
    const protections = names.map((n) => context.workbook.worksheets.getItem(n).protection.load("protected"));
    await context.sync();
    protections.forEach((p) => { if (!p.protected) p.protect(PROTECTION); });
    await context.sync();
  } catch (e) {
    console.error("could not protect the sheet again after the print setup failed", e);
  }
}
