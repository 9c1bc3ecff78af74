import { DESIGNER_SHEETS, type CellValue, type DesignerFacts, type SheetPlan } from "@tianbao/shared";
import { isOfficeError } from "./errors";
import { readUsedGrid, type Grid } from "./read-grid";
import { drawSheetPlan, type PayloadBudget } from "./write-plan";
import { printBestEffort } from "./page-layout";

/** Sheets the designer needs; a workbook that already has one of these names is not written to. */
export async function designerSheetsTaken(context: Excel.RequestContext): Promise<string[]> {
  const sheets = context.workbook.worksheets.load("items/name");
  await context.sync();
  const names = new Set(sheets.items.map((s) => s.name));
  return Object.values(DESIGNER_SHEETS).filter((n) => names.has(n));
}

/** Draws the designer's sheets into new worksheets (one sync per sheet), the 指标 sheet active. */
export async function drawDesigner(context: Excel.RequestContext, plans: SheetPlan[]): Promise<void> {
  for (const plan of plans) {
    const ws = context.workbook.worksheets.add(plan.name);
    await drawSheetPlan(context, ws, plan, { wasProtected: false });
    await context.sync();
  }
  context.workbook.worksheets.getItem(DESIGNER_SHEETS.indicators).activate();
  // the activation is queued first, so it stays applied even if the print setup fails
  await printBestEffort(context, plans.map((plan) => ({ sheetName: plan.name, plan })));
}

type DesignerKey = "template" | "sections" | "indicators" | "rules";

/**
 * The designer's four sheets as grids from A1 (null for a sheet the workbook does not have), the
 * formula cells by sheet-qualified address, and each sheet's error values and numbers shown as a
 * percent or a date, so the shared reader takes every cell as the official sees it.
 */
export async function readDesignerSheets(context: Excel.RequestContext): Promise<Record<DesignerKey, Grid | null> & { formulaCells: string[]; facts: DesignerFacts }> {
  const out = { template: null, sections: null, indicators: null, rules: null, formulaCells: [] as string[], facts: {} } as Record<DesignerKey, Grid | null> & { formulaCells: string[]; facts: DesignerFacts };
  for (const key of ["template", "sections", "indicators", "rules"] as const) {
    try {
      const r = await readUsedGrid(context, () => context.workbook.worksheets.getItem(DESIGNER_SHEETS[key]));
      out[key] = r.grid as CellValue[][];
      out.formulaCells.push(...[...r.formulaCells].map((c) => `${DESIGNER_SHEETS[key]}!${c}`));
      out.facts[key] = { errors: r.errors, shown: r.shown };
    } catch (e) {
      if (!isOfficeError(e, "ItemNotFound")) throw e;
    }
  }
  return out;
}

/**
 * Draws a preview of the fill sheet into a sheet of its own, replacing an earlier preview of that
 * name. The old one is renamed out of the way and deleted only once the new one exists: Excel
 * refuses to delete the workbook's last visible sheet (excel-rules.ts, lastVisible).
 */
export const drawPreview = (context: Excel.RequestContext, plan: SheetPlan): Promise<void> => drawPreviews(context, [plan]);

/**
 * The preview of a fill workbook (the one sheet, or a form's cover and tables), each replacing an
 * earlier preview of its name as drawPreview does, the first active. Three syncs whatever the
 * number of sheets: which names are taken, the drawing, the print setup.
 */
export async function drawPreviews(context: Excel.RequestContext, plans: readonly SheetPlan[]): Promise<void> {
  const sheets = context.workbook.worksheets;
  const olds = plans.map((plan) => sheets.getItemOrNullObject(plan.name).load("isNullObject"));
  await context.sync();
  const stamp = Date.now() % 1e6;
  olds.forEach((old, i) => { if (!old.isNullObject) old.name = `tianbao-old-${i}-${stamp}`; });
  const budget: PayloadBudget = { bytes: 0 };
  const drawn: Excel.Worksheet[] = [];
  for (const plan of plans) {
    const ws = sheets.add(plan.name);
    await drawSheetPlan(context, ws, plan, { wasProtected: false, budget });
    drawn.push(ws);
  }
  drawn[0]?.activate();
  for (const old of olds) if (!old.isNullObject) old.delete();
  await context.sync();
  await printBestEffort(context, plans.map((plan) => ({ sheetName: plan.name, plan })));
}
