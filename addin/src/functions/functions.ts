// The custom functions' registration in the shared runtime: =TIANBAO.TOTAL and =TIANBAO.COMPLETE
// (ids TOTAL and COMPLETE in addin/static/functions.json; the namespace comes from the manifest).
// A problem becomes CustomFunctions.Error with #N/A (notAvailable) or #VALUE! (invalidValue) and a
// message in the display language: both codes take "a custom error message … in addition to the
// error code", shown in the cell's error indicator (custom-functions-runtime, CustomFunctions.ErrorCode:
// https://learn.microsoft.com/javascript/api/custom-functions-runtime/customfunctions.errorcode).
// CustomFunctions.Error is CustomFunctionsRuntime 1.2; on 1.1 a thrown Error gives #VALUE!.
import { languageOf } from "../i18n/messages";
import { CellProblem, complete, ownProblems, total, type CellResult } from "./live-totals";

interface CustomFunctionsApi {
  associate(id: string, f: (...args: never[]) => unknown): void;
  Error?: new (code: string, message?: string) => Error;
  ErrorCode?: { notAvailable: string; invalidValue: string };
}

/** The CustomFunctions namespace, where this Excel defines it (custom functions in the shared runtime). */
const customFunctions = (): CustomFunctionsApi | undefined => (globalThis as { CustomFunctions?: CustomFunctionsApi }).CustomFunctions;

/**
 * Whether this Excel runs the functions: CustomFunctionsRuntime 1.1 (Microsoft 365 on Windows from
 * Version 1903, retail perpetual Excel from Version 2311, Excel 2021 volume-licensed from 2108, Mac
 * 16.34, the web; never iPad), https://learn.microsoft.com/javascript/api/requirement-sets/excel/custom-functions-requirement-sets.
 * The manifest does not require it, so the add-in still installs and runs without it.
 */
export function liveTotalsSupported(): boolean {
  try {
    return Office.context.requirements.isSetSupported("CustomFunctionsRuntime", "1.1") && customFunctions() !== undefined;
  } catch {
    return false;
  }
}

/** Some cell asked for a sign-in (signed out, or the session expired): the pane recalculates once the user has signed in. */
export const waiting = { forSignIn: false };

const UNEXPECTED = new CellProblem("notAvailable", { zh: "插件出错，请点“刷新”重试", en: "The add-in failed; click Refresh to try again" }, "connection");

async function settle(call: string, run: () => Promise<CellResult | CellProblem>): Promise<CellResult> {
  let r: CellResult | CellProblem;
  try {
    r = await run();
  } catch (e) {
    console.error("a TIANBAO function failed", e);
    r = UNEXPECTED;
  }
  if (r instanceof CellProblem && r.reason) ownProblems.add(call);
  else ownProblems.delete(call);
  if (!(r instanceof CellProblem)) return r;
  if (r.reason === "sign-in") waiting.forSignIn = true;
  const message = r.message[languageOf(Office.context.displayLanguage)];
  const cf = customFunctions();
  if (cf?.Error && cf.ErrorCode) throw new cf.Error(cf.ErrorCode[r.code], message);
  throw new Error(message); // CustomFunctionsRuntime 1.1: Excel shows #VALUE!
}

const callKey = (id: string, args: unknown[]): string => {
  try { return `${id}|${JSON.stringify(args)}`; } catch { return `${id}|${args.map(String).join("|")}`; }
};

/** =TIANBAO.TOTAL(indicator, unit, period, [basis]) */
export function TOTAL(indicator: unknown, unit: unknown, period: unknown, basis?: unknown): Promise<CellResult> {
  return settle(callKey("TOTAL", [indicator, unit, period, basis]), () => total(indicator, unit, period, basis));
}

/** =TIANBAO.COMPLETE(unit, period, [measure]) */
export function COMPLETE(unit: unknown, period: unknown, measure?: unknown): Promise<CellResult> {
  return settle(callKey("COMPLETE", [unit, period, measure]), () => complete(unit, period, measure));
}

/** By id: each key is a function id in functions.json. */
export const CUSTOM_FUNCTIONS = { TOTAL, COMPLETE } as const;

/**
 * Associates the functions, at the top level of the shared runtime's script as Microsoft's samples
 * do (custom-functions-json: "Associate function names with JSON metadata"). Says whether it could.
 */
export function registerCustomFunctions(): boolean {
  const cf = customFunctions();
  if (!cf) return false;
  for (const [id, f] of Object.entries(CUSTOM_FUNCTIONS)) cf.associate(id, f as (...args: never[]) => unknown);
  return true;
}
