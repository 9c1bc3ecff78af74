import { PROTECTION } from "./write-plan";
import { SheetWriteError } from "./errors";

/**
 * Puts sheets back under protection after a write that failed part-way: Excel applies the commands
 * of a failed sync that came before the failing one, so a sheet may have been left unprotected.
 * Three syncs whatever the number of sheets (which still exist, which are protected, protect the
 * rest). Never throws; says whether every sheet that still exists is protected now (false when none does).
 */
export async function reprotectAll(context: Excel.RequestContext, sheetNames: readonly string[]): Promise<boolean> {
  try {
    const found = sheetNames.map((n) => context.workbook.worksheets.getItemOrNullObject(n).load("isNullObject"));
    await context.sync();
    const present = found.filter((ws) => !ws.isNullObject);
    if (present.length === 0) return false;
    const protections = present.map((ws) => ws.protection.load("protected"));
    await context.sync();
    const open = protections.filter((p) => !p.protected);
    if (open.length > 0) {
      open.forEach((p) => p.protect(PROTECTION));
      await context.sync();
    }
    return true;
  } catch (e) {
    console.error("could not protect the sheet again", e);
    return false;
  }
}

/** One sheet: see reprotectAll. */
export const reprotect = (context: Excel.RequestContext, sheetName: string): Promise<boolean> => reprotectAll(context, [sheetName]);

/** Runs the writing part of a flow; if it fails, re-protects the sheets and says what happened (naming them). */
export async function guardedWrite<T>(context: Excel.RequestContext, sheetNames: readonly string[], protect: boolean, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const reprotected = protect ? await reprotectAll(context, sheetNames) : false;
    throw new SheetWriteError(sheetNames, e, reprotected);
  }
}
