import { FILL_META_ROW, decodeFillMeta, type CompiledTemplate, type Lists, type SheetPlan } from "@tianbao/shared";
import { drawSheetPlan, type PayloadBudget } from "./write-plan";
import { printBestEffort } from "./page-layout";
import { readUsedGrids, type UsedGrid } from "./read-grid";
import { isOfficeError } from "./errors";
import { openPaneWithDocument } from "./auto-show";
import { guardedWrite } from "./guard";
import { forgetEditWatch } from "./edit-marks";
import { keepSignature, keepTyped, type OldSheet } from "./keep-typed";
import { keepTypedLists, type KeptList, type RefilledList } from "./keep-list";

export { reprotect, reprotectAll } from "./guard";
export { readActiveSheet, readActiveReport, selectCell, selectReportCell, writeOutcome, writeReportOutcome, type Mark, type ReportSnapshot, type SheetSnapshot } from "./fill-report";

export interface PullResult {
  created: boolean;
  /** A sheet's name is taken by a sheet of another round, unit or template (or none): nothing was drawn. */
  taken?: boolean;
  /** That sheet's name. */
  takenName?: string;
  /** Indicators whose typed value was kept over the server's. */
  kept: string[];
  /** What was typed where the form asks for nothing (a — cell): not kept, named by table and cell. */
  dropped?: string[];
  /** Detail lists (issue 25) whose rows typed on the sheet were kept where they differ from the server's. */
  keptLists?: KeptList[];
  /** Detail lists emptied on a sheet drawn from the server's revision, drawn again with the server's rows (said, not silent). */
  refilledLists?: RefilledList[];
  /** False when the sheets were drawn but their print setup could not be applied (best-effort). */
  printed?: boolean;
  /** Whether the workbook now opens with the pane (Office.AutoShowTaskpaneWithDocument saved; best-effort). */
  autoShow?: boolean;
}

/** 拉取模板 of a one-sheet template: see pullIntoSheets. */
export const pullIntoSheet = (context: Excel.RequestContext, plan: SheetPlan, compiled: CompiledTemplate): Promise<PullResult> =>
  pullIntoSheets(context, [plan], compiled);

/**
 * 拉取模板: draws every sheet of a unit's fill workbook from its plan (the one fill sheet, or a form's
 * cover and tables), creating each sheet or refreshing it in place, and activates the first (the
 * cover). What the official already typed on these sheets (same round and unit) is kept — figures,
 * 说明, the signature and a detail list's rows (keep-list.ts); if any
 * name belongs to a sheet of another round, unit or template, nothing is drawn. Round trips, the
 * same whatever the number of tables and cells: find the existing sheets and read them (one sync
 * for one sheet, two for a form: which exist, then all of them at once), write every sheet (one
 * sync; more only near Excel on the web's payload limit), then the print setup (best-effort: a
 * failure there is reported, never fails the pull).
 */
export async function pullIntoSheets(
  context: Excel.RequestContext, plans: readonly SheetPlan[], compiled: CompiledTemplate,
  /** The server's detail lists the plans were drawn with: a list typed on the old sheet is kept over them, and how they differ said. */
  lists?: Lists | null,
): Promise<PullResult> {
  const sheets = context.workbook.worksheets;
  const found = await readExisting(context, plans);
  // Only this round's fill sheets for this unit are redrawn; any other sheet of a name is left alone.
  for (const plan of plans) {
    const old = found.get(plan.name);
    if (old && !sameReport(plan, old)) return { created: false, kept: [], taken: true, takenName: old.ws.name };
  }
  const olds = [...found.values()].map((u): OldSheet => ({ grid: u.grid, errors: u.errors }));
  const dropped: string[] = [];
  const kept = keepTyped(compiled, plans, olds, dropped);
  const refilledLists: RefilledList[] = [];
  const keptLists = keepTypedLists(compiled, plans, olds, lists, refilledLists);
  for (const plan of plans) {
    const old = found.get(plan.name);
    if (old) keepSignature(plan, old.grid);
  }
  await guardedWrite(context, plans.map((p) => p.name), plans.some((p) => p.protect), async () => {
    const budget: PayloadBudget = { bytes: 0 };
    const drawn: Excel.Worksheet[] = [];
    for (const plan of plans) {
      const old = found.get(plan.name);
      const ws = old ? sheets.getItem(old.ws.name) : sheets.add(plan.name);
      if (!old) forgetEditWatch(plan.name);
      // a page the official renamed, found by its metadata, goes back under its name (a form's formulas across sheets use it)
      if (old && old.ws.name !== plan.name) ws.name = plan.name;
      // what the old sheet used, cleared before drawing so no value, rule or format of it stays behind
      const clearExtent = old ? { rows: old.grid.length, cols: Math.max(1, ...old.grid.map((r) => r.length)) } : undefined;
      await drawSheetPlan(context, ws, plan, { wasProtected: old?.protected ?? false, budget, ...(clearExtent ? { clearExtent } : {}) });
      drawn.push(ws);
    }
    drawn[0]?.activate();
    await context.sync();
  });
  const printed = await printBestEffort(context, plans.map((plan) => ({ sheetName: plan.name, plan })));
  const autoShow = await openPaneWithDocument();
  return { created: found.size === 0, kept, ...(dropped.length > 0 ? { dropped } : {}), ...(keptLists.length > 0 ? { keptLists } : {}), ...(refilledLists.length > 0 ? { refilledLists } : {}), printed, autoShow };
}

/**
 * The sheets that already have a plan's name, read in full. One sheet is read straight away (a
 * missing one fails the sync: the first pull); a form's are listed first, then all that exist are
 * read in one sync.
 */
async function readExisting(context: Excel.RequestContext, plans: readonly SheetPlan[]): Promise<Map<string, UsedGrid>> {
  const sheets = context.workbook.worksheets;
  const named = (name: string) => () => sheets.getItem(name).load("name");
  if (plans.length === 1) {
    const plan = plans[0]!;
    try {
      const { grids } = await readUsedGrids(context, [named(plan.name)]);
      return new Map([[plan.name, grids[0]!]]);
    } catch (e) {
      if (!isOfficeError(e, "ItemNotFound")) throw e; // a missing sheet is the first pull; anything else is real
      return new Map();
    }
  }
  sheets.load("items/name");
  await context.sync();
  // each sheet's metadata cell: a page of this report renamed by the official is found by it, not by its name
  const metas = sheets.items.map((ws) => ({ name: ws.name, a2: ws.getRange("A2").load("values") }));
  await context.sync();
  const byName = new Map(sheets.items.map((s) => [s.name.toLowerCase(), s.name])); // Excel compares sheet names case-insensitively
  const where = new Map<string, string>(); // plan name → the sheet that holds that page now
  for (const plan of plans) {
    const meta = decodeFillMeta(plan.properties.tianbao);
    const sameName = byName.get(plan.name.toLowerCase());
    const renamed = meta && metas.find(({ name, a2 }) => {
      const m = decodeFillMeta(a2.values[0]?.[0]);
      return m && m.page === meta.page && m.roundId === meta.roundId && m.unitId === meta.unitId && m.templateId === meta.templateId
        && !plans.some((p) => p.name.toLowerCase() === name.toLowerCase());
    });
    // a sheet under the planned name is that page or another's (refused as taken); a renamed page is taken when the name is free
    if (sameName) where.set(plan.name, sameName);
    else if (renamed) where.set(plan.name, renamed.name);
  }
  if (where.size === 0) return new Map();
  const present = plans.filter((p) => where.has(p.name));
  const { grids } = await readUsedGrids(context, present.map((p) => named(where.get(p.name)!)));
  return new Map(present.map((p, i) => [p.name, grids[i]!]));
}

/** Whether an existing sheet is this plan's report's: the same template, round and unit in its metadata. */
function sameReport(plan: SheetPlan, old: UsedGrid): boolean {
  const meta = decodeFillMeta(plan.properties.tianbao);
  const oldMeta = decodeFillMeta(old.grid[FILL_META_ROW]?.[0]);
  return !!meta && !!oldMeta && oldMeta.roundId === meta.roundId && oldMeta.unitId === meta.unitId && oldMeta.templateId === meta.templateId;
}
