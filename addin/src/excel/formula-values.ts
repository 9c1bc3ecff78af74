// Cells that call the add-in's functions (=TIANBAO.TOTAL, =TIANBAO.COMPLETE): finding them, and
// freezing them as values before a workbook goes to someone without the add-in (who would see
// #NAME? in every such cell). Any formula that calls one is frozen, =TIANBAO.TOTAL(…)/10000 too:
// what it shows now is what it becomes.
import { cellAddress } from "@tianbao/shared";

/** Our functions, by their namespace (TIANBAO, TIANBAODEV in the development manifest) and name. */
const OUR_CALL = /(^|[^A-Za-z0-9_.])TIANBAO(?:DEV)?\.(?:TOTAL|COMPLETE)\s*\(/i;

/** Whether a formula calls one of our functions (text inside "…" does not count). */
export function callsOurFunctions(formula: unknown): boolean {
  if (typeof formula !== "string" || !formula.startsWith("=")) return false;
  return OUR_CALL.test(formula.replace(/"(?:[^"]|"")*"/g, '""'));
}

/**
 * What Excel shows while a custom function has not answered yet: the #BUSY! error value (and
 * #GETTING_DATA, the placeholder of older builds; neither documented on a custom-functions page we
 * could check). Such a cell must not be frozen.
 */
const PENDING = new Set(["#BUSY!", "#GETTING_DATA"]);

export interface FrozenSheet { sheet: string; cells: number }
export interface FreezeOutcome {
  frozen: FrozenSheet[];
  /** Cells still calculating: nothing was changed. */
  pending: number;
  /** Sheets with such formulas that are protected: left as they are. */
  protectedSheets: string[];
  /** Formulas showing an error value while the add-in has a problem of its own: nothing was changed. */
  ownProblems: number;
}

/**
 * Replaces every formula that calls our functions, on the active sheet or on every sheet, with the
 * value it shows now: numbers as numbers, text with Excel's quote prefix (so an exact amount such
 * as "12345678901234567.89" stays text and keeps its digits), "" as an empty cell, an error value as
 * that error. Two syncs in all: one read, one write.
 */
export async function freezeOurFormulas(ctx: Excel.RequestContext, scope: "sheet" | "workbook", addinTroubled: () => boolean = () => false): Promise<FreezeOutcome> {
  let sheets: Excel.Worksheet[];
  if (scope === "sheet") {
    sheets = [ctx.workbook.worksheets.getActiveWorksheet()];
  } else {
    const all = ctx.workbook.worksheets.load("items/name");
    await ctx.sync();
    sheets = all.items;
  }
  const reads = sheets.map((ws) => {
    ws.load("name");
    ws.protection.load("protected");
    const used = ws.getUsedRange();
    used.load("formulas, values, valueTypes, rowIndex, columnIndex");
    return { ws, used };
  });
  await ctx.sync();
  const outcome: FreezeOutcome = { frozen: [], pending: 0, protectedSheets: [], ownProblems: 0 };
  // the add-in's own problems (signed out, server down) are #N/A with a message that Range.values
  // does not give: while the runtime knows of one, every error value of ours may be one
  const troubled = addinTroubled();
  const writes: { ws: Excel.Worksheet; cells: { address: string; value: string | number | boolean }[] }[] = [];
  for (const { ws, used } of reads) {
    const cells: { address: string; value: string | number | boolean }[] = [];
    let errors = 0;
    used.formulas.forEach((row, i) => row.forEach((f, j) => {
      if (!callsOurFunctions(f)) return;
      const value = used.values[i]![j] as string | number | boolean;
      // by the value alone: our functions never answer with such text
      if (PENDING.has(String(value))) outcome.pending++;
      else if (troubled && used.valueTypes[i]![j] === "Error") errors++;
      const address = cellAddress(used.rowIndex + i, used.columnIndex + j);
      // text keeps Excel's quote prefix: written through Range.values, a numeric-looking or "="-led
      // string would otherwise become a number or a formula; an empty result stays an empty cell
      const frozen = typeof value === "string" && value !== "" && used.valueTypes[i]![j] !== "Error" ? `'${value}` : value;
      cells.push({ address, value: frozen });
    }));
    if (cells.length === 0) continue;
    if (ws.protection.protected) outcome.protectedSheets.push(ws.name);
    else { writes.push({ ws, cells }); outcome.ownProblems += errors; }
  }
  if (outcome.pending > 0 || outcome.ownProblems > 0) return { ...outcome, frozen: [] };
  for (const { ws, cells } of writes) {
    for (const c of cells) ws.getRange(c.address).values = [[c.value]];
    outcome.frozen.push({ sheet: ws.name, cells: cells.length });
  }
  if (writes.length > 0) await ctx.sync();
  return outcome;
}

/**
 * Recalculates the whole workbook, custom functions included: Application.calculate with
 * CalculationType "Full" (ExcelApi 1.1), https://learn.microsoft.com/javascript/api/excel/excel.application#excel-excel-application-calculate-member(1).
 */
export async function recalculateAll(ctx: Excel.RequestContext): Promise<void> {
  ctx.workbook.application.calculate("Full");
  await ctx.sync();
}
