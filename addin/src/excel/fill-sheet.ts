import {
  FILL_COLUMNS, FILL_META_ROW, FILL_STATUS_ROW, cellAddress, decodeFillMeta, encodeFillMeta, fillIndex,
  type CellValue, type CompiledTemplate, type FillMeta, type SheetPlan, type ShownNumber,
} from "@tianbao/shared";
import { PROTECTION, drawSheetPlan } from "./write-plan";
import { printBestEffort } from "./page-layout";
import { readUsedGrid, type Grid } from "./read-grid";
import { SheetWriteError, isOfficeError } from "./errors";
import { openPaneWithDocument } from "./auto-show";
import { watchEdits } from "./edit-marks";

export interface PullResult {
  created: boolean;
  /** The sheet's name is taken by a sheet of another round, unit or template (or none): nothing was drawn. */
  taken?: boolean;
  /** Indicators whose typed value was kept over the server's. */
  kept: string[];
  /** False when the sheet was drawn but its print setup could not be applied (best-effort). */
  printed?: boolean;
  /** Whether the workbook now opens with the pane (Office.AutoShowTaskpaneWithDocument saved; best-effort). */
  autoShow?: boolean;
}

/**
 * Puts a sheet back under protection after a write that failed part-way: Excel applies the
 * commands of a failed sync that came before the failing one, so the sheet may have been left
 * unprotected. Never throws; says whether the sheet is protected now.
 */
export async function reprotect(context: Excel.RequestContext, sheetName: string): Promise<boolean> {
  try {
    const ws = context.workbook.worksheets.getItemOrNullObject(sheetName);
    ws.load("isNullObject");
    await context.sync();
    if (ws.isNullObject) return false;
    ws.protection.load("protected");
    await context.sync();
    if (!ws.protection.protected) {
      ws.protection.protect(PROTECTION);
      await context.sync();
    }
    return true;
  } catch (e) {
    console.error("could not protect the sheet again", e);
    return false;
  }
}

/** Runs the writing part of a flow; if it fails, re-protects the sheet and says what happened. */
async function guardedWrite<T>(context: Excel.RequestContext, sheetName: string, protect: boolean, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const reprotected = protect ? await reprotect(context, sheetName) : false;
    throw new SheetWriteError(sheetName, e, reprotected);
  }
}

/**
 * 拉取模板: draws the fill sheet from its plan, creating the sheet or refreshing it in place.
 * Values the official already typed on this sheet (same round and unit) are kept. Three syncs:
 * read what is there (and whether it is protected), write everything, then the print setup
 * (best-effort: a failure there is reported, never fails the pull).
 */
export async function pullIntoSheet(context: Excel.RequestContext, plan: SheetPlan, compiled: CompiledTemplate): Promise<PullResult> {
  const sheets = context.workbook.worksheets;
  let old: { grid: Grid; protected: boolean; errors: ReadonlyMap<string, string> } | null = null;
  try {
    const r = await readUsedGrid(context, () => sheets.getItem(plan.name));
    old = { grid: r.grid, protected: r.protected, errors: r.errors };
  } catch (e) {
    if (!isOfficeError(e, "ItemNotFound")) throw e; // a missing sheet is the first pull; anything else is real
  }
  const meta = decodeFillMeta(plan.properties.tianbao);
  if (old) {
    // Only this round's fill sheet for this unit is redrawn; any other sheet of the name is left alone.
    const oldMeta = decodeFillMeta(old.grid[FILL_META_ROW]?.[0]);
    if (!meta || !oldMeta || oldMeta.roundId !== meta.roundId || oldMeta.unitId !== meta.unitId || oldMeta.templateId !== meta.templateId) {
      return { created: false, kept: [], taken: true };
    }
  }
  const kept = old ? keepTyped(plan, old, meta, compiled) : [];
  const wasProtected = old?.protected ?? false;
  // what the old sheet used, cleared before drawing so no value, rule or format of it stays behind
  const oldExtent = old ? { rows: old.grid.length, cols: Math.max(1, ...old.grid.map((r) => r.length)) } : undefined;
  await guardedWrite(context, plan.name, plan.protect, async () => {
    const ws = old ? sheets.getItem(plan.name) : sheets.add(plan.name);
    await drawSheetPlan(context, ws, plan, { wasProtected, ...(oldExtent ? { clearExtent: oldExtent } : {}) });
    ws.activate();
    await context.sync();
  });
  const printed = await printBestEffort(context, [{ sheetName: plan.name, plan }]);
  const autoShow = await openPaneWithDocument();
  return { created: old === null, kept, printed, autoShow };
}

/**
 * Puts typed values and comments from the old sheet into the plan, by indicator code. An error value
 * (#N/A) is not something typed: written back into a Text cell it would become the text "#N/A".
 */
function keepTyped(plan: SheetPlan, sheet: { grid: Grid; errors: ReadonlyMap<string, string> }, meta: FillMeta | null, compiled: CompiledTemplate): string[] {
  const old = sheet.grid;
  const oldMeta = decodeFillMeta(old[FILL_META_ROW]?.[0]);
  if (!meta || !oldMeta || oldMeta.roundId !== meta.roundId || oldMeta.unitId !== meta.unitId) return [];
  const typed = new Map<string, { value: CellValue; comment: CellValue }>();
  const at = (row: CellValue[], r: number, col: number) => (sheet.errors.has(cellAddress(r, col)) ? null : row[col] ?? null);
  old.forEach((row, r) => {
    const code = row[FILL_COLUMNS.code];
    if (typeof code === "string" && compiled.byCode.has(code)) typed.set(code, { value: at(row, r, FILL_COLUMNS.value), comment: at(row, r, FILL_COLUMNS.comment) });
  });
  const byRow = new Map(fillIndex(compiled).rows.map((r) => [r.row, r]));
  const kept: string[] = [];
  keepSignature(plan, old);
  for (const cell of plan.cells) {
    if (cell.locked || cell.style === "signInput") continue;
    const code = byRow.get(cell.row);
    if (!code || code.kind !== "indicator") continue;
    const t = typed.get(code.indicator.code);
    const mine = cell.col === FILL_COLUMNS.value ? t?.value : t?.comment;
    if (mine === null || mine === undefined || mine === "") continue;
    if (cell.col === FILL_COLUMNS.value && mine !== cell.value) kept.push(code.indicator.code);
    cell.value = mine;
  }
  return kept;
}

/**
 * What the official wrote in the signature block (负责人, 填报人, 联系电话…) stays when the sheet is
 * drawn again, found by its label so a template with more rows still finds it.
 */
function keepSignature(plan: SheetPlan, old: Grid): void {
  const labelAt = new Map(plan.cells.filter((c) => c.style === "signLabel").map((c) => [`${c.row},${c.col}`, c.value]));
  for (const cell of plan.cells) {
    if (cell.style !== "signInput") continue;
    const label = labelAt.get(`${cell.row},${cell.col - 1}`);
    const row = old.find((r) => r[cell.col - 1] === label);
    const mine = row?.[cell.col];
    if (mine !== null && mine !== undefined && mine !== "") cell.value = mine;
  }
}

export interface SheetSnapshot {
  name: string;
  /** The sheet from A1, wherever its used range starts. */
  grid: Grid;
  protected: boolean;
  /** Cells holding a formula ("D14"); a formula in an input cell is refused like in an uploaded file. */
  formulaCells?: ReadonlySet<string>;
  /** Cells holding an Excel error value ("D14" → "#N/A"): refused on their cell, never read as text. */
  errors?: ReadonlyMap<string, string>;
  /** Numbers shown as a percent or a date, with what the cell shows: a figure is not what the official sees there. */
  shown?: ReadonlyMap<string, ShownNumber>;
  /** The Excel.run context it was read in: `protected` is current only within that batch. */
  readIn?: Excel.RequestContext;
}

/** Reads the active sheet's cells as shown (one sync; more only for sheets near Excel on the web's payload limit). */
export async function readActiveSheet(context: Excel.RequestContext): Promise<SheetSnapshot> {
  const r = await readUsedGrid(context, () => context.workbook.worksheets.getActiveWorksheet().load("name"));
  return { name: r.ws.name, grid: r.grid, protected: r.protected, formulaCells: r.formulaCells, errors: r.errors, shown: r.shown, readIn: context };
}

export interface Mark {
  code: string;
  severity: "error" | "warning";
  text: string;
}

const MARK_FILL = { error: "#FDE7E9", warning: "#FFF4CE" } as const;

/**
 * Writes the outcome of a check or a submit onto the sheet in one sync: clears old marks, colours
 * each marked value cell and writes its message in the check column, updates the status line and,
 * after a successful submit, the revision in the metadata cell. Whether the sheet is protected is
 * taken from the snapshot only within the batch that read it (one sync); otherwise it is loaded
 * again (two syncs): the official may protect or unprotect the sheet during the network call, and
 * protect() fails on a protected sheet. If the write fails the sheet is protected again and a
 * SheetWriteError says so.
 */
export async function writeOutcome(
  context: Excel.RequestContext, sheet: SheetSnapshot | string, compiled: CompiledTemplate,
  outcome: { status: string; marks: Mark[]; meta?: FillMeta },
): Promise<void> {
  const sheetName = typeof sheet === "string" ? sheet : sheet.name;
  let wasProtected: boolean;
  if (typeof sheet === "string" || sheet.readIn !== context) {
    const p = context.workbook.worksheets.getItem(sheetName).protection.load("protected");
    await context.sync();
    wasProtected = p.protected;
  } else {
    wasProtected = sheet.protected;
  }
  await guardedWrite(context, sheetName, true, async () => {
    const ws = context.workbook.worksheets.getItem(sheetName);
    const index = fillIndex(compiled);
    if (wasProtected) ws.protection.unprotect();
    const rows = index.rows.filter((r) => r.kind === "indicator");
    const first = rows[0]!.row;
    const last = rows[rows.length - 1]!.row;
    ws.getRange(`${cellAddress(first, FILL_COLUMNS.check)}:${cellAddress(last, FILL_COLUMNS.check)}`).values = Array.from({ length: last - first + 1 }, () => [""]);
    for (const r of rows) {
      if (r.kind === "indicator" && r.indicator.kind !== "derived") ws.getRange(cellAddress(r.row, FILL_COLUMNS.value)).format.fill.color = "#FFF9E6";
    }
    const byCode = new Map<string, Mark[]>();
    for (const m of outcome.marks) byCode.set(m.code, [...(byCode.get(m.code) ?? []), m]);
    for (const [code, marks] of byCode) {
      const row = index.rowOf.get(code);
      if (row === undefined) continue;
      const worst = marks.some((m) => m.severity === "error") ? "error" : "warning";
      ws.getRange(cellAddress(row, FILL_COLUMNS.value)).format.fill.color = MARK_FILL[worst];
      ws.getRange(cellAddress(row, FILL_COLUMNS.check)).values = [[asText(marks.map((m) => m.text).join("；"))]];
    }
    ws.getRange(cellAddress(FILL_STATUS_ROW, 0)).values = [[asText(outcome.status)]];
    if (outcome.meta) {
      ws.getRange(cellAddress(FILL_META_ROW, 0)).values = [[encodeFillMeta(outcome.meta)]];
      watchEdits(ws, sheetName, compiled); // later edits are marked 已修改，未上报 (ExcelApi 1.14; registered at this sync)
    }
    ws.protection.protect(PROTECTION);
    await context.sync();
  });
}

/** Text the add-in writes into cells: a leading = + - keeps an apostrophe so Excel never takes it as a formula. */
const asText = (s: string): string => (/^[=+\-@]/.test(s) ? `'${s}` : s);

/** Selects an indicator's value cell, for a click in the pane's issue list. */
export async function selectCell(context: Excel.RequestContext, sheetName: string, address: string): Promise<void> {
  const ws = context.workbook.worksheets.getItem(sheetName);
  ws.activate();
  ws.getRange(address).select();
  await context.sync();
}
