import type { SheetPlan } from "@tianbao/shared";
import { drawSheetPlan } from "./write-plan";

/**
 * 下载汇总: writes the totals and completeness sheets (and their chart), replacing earlier copies
 * of the same sheets. Two syncs whatever the number of units or indicators (more only when the
 * values come near Excel on the web's payload limit). The sheets are new, so never protected
 * before drawing.
 */
export async function writeTotalsSheets(context: Excel.RequestContext, plans: SheetPlan[]): Promise<void> {
  const sheets = context.workbook.worksheets;
  sheets.load("items/name");
  await context.sync();
  const existing = new Set(sheets.items.map((s) => s.name));
  for (const plan of plans) {
    if (existing.has(plan.name)) sheets.getItem(plan.name).delete();
    await drawSheetPlan(context, sheets.add(plan.name), plan, { wasProtected: false });
  }
  sheets.getItem(plans[0]!.name).activate();
  await context.sync();
}
