import type { SheetPlan } from "@tianbao/shared";
import { drawSheetPlan } from "./write-plan";
import { printBestEffort } from "./page-layout";

/**
 * A worksheet-scoped name that marks a sheet as ours: its formula is a text constant naming the
 * round, unit and sheet. Names need ExcelApi 1.4 (NamedItemCollection.add) and 1.7 (formula),
 * below the add-in's requirement; a custom property (1.12) would raise it.
 * https://learn.microsoft.com/javascript/api/excel/excel.nameditemcollection
 */
export const SHEET_MARK = "TianbaoSheet";
const markOf = (owner: string, plan: SheetPlan) => `="tianbao|${owner}|${plan.name}"`.replace(/[\r\n]/g, " ");

/** The plan's name, or "name (2)", "name (3)"… — the first that no sheet has (Excel compares names case-insensitively). */
export function freeSheetName(name: string, taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((n) => n.toLowerCase()));
  if (!lower.has(name.toLowerCase())) return name;
  for (let k = 2; ; k++) {
    const suffix = ` (${k})`;
    const candidate = `${name.slice(0, 31 - suffix.length)}${suffix}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

export interface TotalsWritten {
  /** The sheets written, in plan order (a plan's own name, or a free one beside a sheet that is not ours). */
  sheetNames: string[];
  /** False when the print setup could not be applied (best-effort). */
  printed: boolean;
}

/**
 * 下载汇总: writes the totals and completeness sheets (and their chart). A sheet of the computed
 * name is replaced only when it carries our mark for the same round and unit (`owner`); any
 * other — a copy the city annotated and renamed back, another template's, an official's own —
 * is kept, and ours goes beside it under a free name. Syncs: one to list the sheets, one more only
 * when a name is taken (to read the marks), one to draw, one for the print setup; the same whatever
 * the number of units or indicators (more only near Excel on the web's payload limit).
 */
export async function writeTotalsSheets(context: Excel.RequestContext, plans: SheetPlan[], owner: string): Promise<TotalsWritten> {
  const sheets = context.workbook.worksheets;
  sheets.load("items/name");
  await context.sync();
  const taken = new Set(sheets.items.map((s) => s.name));
  const lower = new Set([...taken].map((n) => n.toLowerCase()));
  const clashes = plans.filter((p) => lower.has(p.name.toLowerCase()))
    .map((p) => ({ plan: p, mark: sheets.getItem(p.name).names.getItemOrNullObject(SHEET_MARK).load("isNullObject,formula") }));
  if (clashes.length > 0) await context.sync();
  const ours = new Set(clashes.filter((c) => !c.mark.isNullObject && c.mark.formula === markOf(owner, c.plan)).map((c) => c.plan.name));
  const targets = plans.map((plan, i) => {
    if (ours.has(plan.name)) {
      // renamed first and deleted after the new sheet exists: the workbook never loses its last sheet
      const old = sheets.getItem(plan.name);
      old.name = `tianbao-old-${i}-${Date.now() % 1e6}`;
      return { plan, sheetName: plan.name, old };
    }
    const sheetName = freeSheetName(plan.name, taken);
    taken.add(sheetName);
    return { plan, sheetName, old: null };
  });
  for (const t of targets) {
    const ws = sheets.add(t.sheetName);
    await drawSheetPlan(context, ws, t.plan, { wasProtected: false });
    ws.names.add(SHEET_MARK, markOf(owner, t.plan));
    t.old?.delete();
  }
  sheets.getItem(targets[0]!.sheetName).activate();
  await context.sync();
  const printed = await printBestEffort(context, targets);
  return { sheetNames: targets.map((t) => t.sheetName), printed };
}
