// A minimal custom-functions host for the fake Excel: CustomFunctions.associate / Error / ErrorCode,
// formulas such as =TIANBAO.TOTAL("products","泽州县",2025) evaluated by calling the associated
// JavaScript functions, and Application.calculate. Rules, each from Microsoft's documentation or an
// office-js issue:
// - A function is callable only with an id in the metadata (functions.json) AND associated:
//   "Make sure there is an association, otherwise the function won't be registered and isn't
//   useable in Excel" (custom-functions-json, "Associate function names with JSON metadata").
//   Its formula name is the manifest's namespace, a period and the metadata's `name`.
// - Excel calls the function once per cell and does not wait for one before calling the next: a
//   recalculation invokes every function of every dirty cell, then the cells show the results as
//   each settles, #BUSY! meanwhile (custom-functions-batching: "Excel calls your custom function
//   for each cell", the reason batching exists). Here: calculate() invokes all calls first, then awaits.
// - Arguments: every declared parameter is passed — "When no value is specified for an optional
//   parameter, Excel assigns it the value null" — then the invocation object, "automatically passed
//   … as the last argument" (custom-functions-parameter-options); an empty cell
//   passed as an argument is null, as Excel on the web passes it (OfficeDev/office-js#4702; Windows
//   passes 0 — the add-in treats both as given, never as "blank"). An argument that is an error value
//   (a cell showing #N/A, =NA()) never reaches the function: "allowErrorForDataTypeAny … If true, your
//   custom function can process errors as input values", default false (custom-functions-json,
//   "options"); the metadata does not set it, so the cell shows the argument's error, uncalled.
// - Results: a returned null is shown as 0 (OfficeDev/office-js#1503, closed "by design"), so an
//   add-in that returns null for "not reported" shows 0 here too; "" shows an empty-looking cell.
// - Errors: a thrown or returned CustomFunctions.Error shows its code; its message is kept only for
//   #VALUE! and #N/A ("A custom error message can be used in addition to the error code" — the other
//   codes "can't" use one: CustomFunctions.ErrorCode, custom-functions-runtime). Any other thrown
//   value or rejection gives #VALUE! ("By default, Excel returns #VALUE! for an unhandled
//   exception", custom-functions-errors).
// - Application.calculate(calculationType): "Recalculate" | "Full" | "FullRebuild" (ExcelApi 1.1);
//   a full calculation invokes every function again; Recalculate only cells not yet computed.
// - Support: isSetSupported("CustomFunctionsRuntime", v) answers for the version given; where it is
//   unsupported there is no CustomFunctions namespace at all.
//
// The fake's evaluation engine (evaluate.ts, HyperFormula) has no #BUSY! error value, so a cell still
// waiting reads as the text "#BUSY!" (valueType String here, Error in Excel): code must recognise it
// by its value.
import { CellError, EmptyValue, ErrorType, FunctionArgumentType, FunctionPlugin, HyperFormula, type FunctionPluginDefinition } from "hyperformula";
import { computedValues } from "./evaluate";
import type { FakeHost } from "./office";
import { FakeWorkbook, type FakeRequestContext } from "./proxies";
import { OfficeError, a1, versionAtMost } from "./state";

export interface FunctionsMetadata {
  functions: { id: string; name: string; parameters: { name: string; optional?: boolean }[]; result?: unknown }[];
}

export const ERROR_CODE = {
  invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!", nullReference: "#NULL!",
} as const;

/** CustomFunctions.Error (CustomFunctionsRuntime 1.2): a code and, for some codes, a message. */
export class FakeCustomFunctionsError extends Error {
  constructor(readonly code: string, message?: string) {
    super(message);
    this.name = "CustomFunctions.Error";
  }
}

/** What a call came to: a value, or an error value with the message Excel would show. */
export type CallResult = { value: string | number | boolean } | { error: string; message?: string };

const HF_ERROR: Record<string, ErrorType> = {
  "#VALUE!": ErrorType.VALUE, "#N/A": ErrorType.NA, "#DIV/0!": ErrorType.DIV_BY_ZERO, "#NUM!": ErrorType.NUM, "#NULL!": ErrorType.ERROR,
};
/** The engine's error types as Excel shows them. */
const EXCEL_ERROR: Partial<Record<ErrorType, string>> = {
  [ErrorType.VALUE]: "#VALUE!", [ErrorType.NA]: "#N/A", [ErrorType.DIV_BY_ZERO]: "#DIV/0!", [ErrorType.NUM]: "#NUM!",
  [ErrorType.REF]: "#REF!", [ErrorType.NAME]: "#NAME?", [ErrorType.CYCLE]: "#REF!",
};

export interface CustomFunctionsHost {
  /** The functions associated so far, by id. */
  readonly associated: Map<string, (...args: unknown[]) => unknown>;
  /** Every invocation, in order: the id and the arguments as passed (the invocation object left out). */
  readonly invocations: { id: string; args: unknown[] }[];
  /** Recalculates: invokes the function of every cell not yet computed (all of them when full), then waits for all. */
  calculate(full?: boolean): Promise<void>;
  /** Waits for a calculation started by Application.calculate. */
  idle(): Promise<void>;
  /** What the formula at "Sheet!B2" came to at the last calculation (with the error's message). */
  resultAt(address: string): CallResult | undefined;
}

let active: Host | null = null;

class Host implements CustomFunctionsHost {
  readonly associated = new Map<string, (...args: unknown[]) => unknown>();
  readonly invocations: { id: string; args: unknown[] }[] = [];
  private results = new Map<string, CallResult>();
  private pending = new Map<string, { id: string; args: unknown[] }>();
  private byCell = new Map<string, string>();
  private recordSheet: string | null = null;
  private running: Promise<void> = Promise.resolve();
  constructor(private fake: FakeHost, readonly metadata: FunctionsMetadata, readonly namespace: string) {}

  /** Called by the formula engine for one cell: the settled result, or #BUSY! while none. */
  lookup(id: string, args: unknown[], row: number, col: number): unknown {
    const cell = `${this.recordSheet ?? ""}!${a1(row, col)}`;
    // an argument that is an error value: the function is not called, the cell shows that error
    const failed = args.find((a): a is CellError => a instanceof CellError);
    if (failed) {
      const k = `${id}|error|${cell}`;
      if (this.recordSheet) {
        this.byCell.set(cell, k);
        this.results.set(k, { error: EXCEL_ERROR[failed.type] ?? "#VALUE!" });
      }
      return new CellError(failed.type);
    }
    const k = `${id}|${JSON.stringify(args)}`;
    if (this.recordSheet) this.byCell.set(cell, k);
    if (!this.associated.has(id)) return new CellError(ErrorType.NAME, `${this.namespace}.${id} is not associated`);
    const r = this.results.get(k);
    if (!r) {
      this.pending.set(k, { id, args });
      return "#BUSY!";
    }
    if ("value" in r) return r.value;
    return new CellError(HF_ERROR[r.error] ?? ErrorType.ERROR, r.message);
  }

  private async invoke(id: string, args: unknown[]): Promise<CallResult> {
    const fn = this.associated.get(id)!;
    const declared = this.metadata.functions.find((f) => f.id === id)!.parameters.length;
    const padded = Array.from({ length: declared }, (_, i) => (args[i] === undefined ? null : args[i]));
    this.invocations.push({ id, args: padded });
    try {
      const out = await fn(...padded, { functionName: id });
      if (out instanceof FakeCustomFunctionsError) return errorOf(out);
      if (out === null || out === undefined) return { value: 0 }; // office-js#1503: null is shown as 0
      if (typeof out === "string" || typeof out === "number" || typeof out === "boolean") return { value: out };
      return { error: "#VALUE!" };
    } catch (e) {
      return e instanceof FakeCustomFunctionsError ? errorOf(e) : { error: "#VALUE!" };
    }
  }

  private evaluateAll(record: boolean): void {
    for (const s of this.fake.state.sheets) {
      s.version++; // the engine's cache is keyed by it: evaluate afresh
      this.recordSheet = record ? s.name : null;
      computedValues(s);
    }
    this.recordSheet = null;
  }

  calculate(full = false): Promise<void> {
    const run = async () => {
      if (full) this.results.clear();
      this.pending.clear();
      this.evaluateAll(false);
      const calls = [...this.pending];
      this.pending.clear();
      // Excel calls every cell's function before any answers: one recalculation, many calls at once
      const answers = calls.map(([k, c]) => this.invoke(c.id, c.args).then((r) => { this.results.set(k, r); }));
      await Promise.all(answers);
      this.evaluateAll(true);
    };
    this.running = this.running.then(run, run);
    return this.running;
  }

  idle(): Promise<void> { return this.running; }

  resultAt(address: string): CallResult | undefined {
    const k = this.byCell.get(address);
    return k === undefined ? undefined : this.results.get(k);
  }
}

function errorOf(e: FakeCustomFunctionsError): CallResult {
  const withMessage = e.code === ERROR_CODE.invalidValue || e.code === ERROR_CODE.notAvailable;
  return { error: e.code, ...(withMessage && e.message ? { message: e.message } : {}) };
}

const plain = (v: unknown): unknown => {
  if (v === EmptyValue || v === undefined) return null;
  if (v !== null && typeof v === "object" && "val" in v) return (v as { val: unknown }).val; // HyperFormula's rich numbers
  return v;
};

let registered: FunctionPluginDefinition | null = null;

/** Teaches the formula engine the functions of the metadata, as NAMESPACE.NAME. */
function registerWithEngine(metadata: FunctionsMetadata, namespace: string): void {
  if (registered) HyperFormula.unregisterFunctionPlugin(registered);
  class TianbaoFunctions extends FunctionPlugin {}
  const implemented: Record<string, unknown> = {};
  const translations: Record<string, string> = {};
  for (const f of metadata.functions) {
    const formulaName = `${namespace}.${f.name}`.toUpperCase();
    const method = `call_${f.id}`;
    implemented[formulaName] = {
      method,
      parameters: f.parameters.map((p) => ({ argumentType: FunctionArgumentType.SCALAR, ...(p.optional ? { optionalArg: true } : {}) })),
    };
    translations[formulaName] = formulaName;
    (TianbaoFunctions.prototype as unknown as Record<string, unknown>)[method] = function (this: unknown, ast: { args: unknown[] }, state: { formulaAddress: { row: number; col: number } }) {
      const self = this as unknown as { runFunction: (a: unknown, s: unknown, m: unknown, f: (...x: unknown[]) => unknown) => unknown; metadata: (n: string) => unknown };
      return self.runFunction(ast.args, state, self.metadata(formulaName), (...args: unknown[]) =>
        active ? active.lookup(f.id, args.map(plain), state.formulaAddress.row, state.formulaAddress.col) : new CellError(ErrorType.NAME));
    };
  }
  (TianbaoFunctions as unknown as { implementedFunctions: unknown }).implementedFunctions = implemented;
  HyperFormula.registerFunctionPlugin(TianbaoFunctions as never, { enGB: translations } as never);
  registered = TianbaoFunctions as never;
}

/** Application.calculate on every fake workbook (FakeWorkbook has no application of its own). */
function installApplication(): void {
  if (Object.getOwnPropertyDescriptor(FakeWorkbook.prototype, "application")) return;
  Object.defineProperty(FakeWorkbook.prototype, "application", {
    configurable: true,
    get(this: FakeWorkbook) {
      const ctx = (this.worksheets as unknown as { ctx: FakeRequestContext }).ctx;
      return {
        calculate: (type: string) => ctx.enqueue(() => {
          if (!["Recalculate", "Full", "FullRebuild"].includes(type)) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: calculationType ${String(type)}`);
          void active?.calculate(type !== "Recalculate");
        }),
      };
    },
  });
}

/**
 * Installs the host on a fake Excel: the CustomFunctions namespace where `runtime` is a version
 * ("1.3" by default), none where it is null (an Excel without custom functions).
 */
export function installCustomFunctions(fake: FakeHost, metadata: FunctionsMetadata, options: { namespace?: string; runtime?: string | null } = {}): CustomFunctionsHost {
  const namespace = options.namespace ?? "TIANBAO";
  const runtime = options.runtime === undefined ? "1.3" : options.runtime;
  const host = new Host(fake, metadata, namespace);
  active = host;
  registerWithEngine(metadata, namespace);
  installApplication();
  const ids = new Set(metadata.functions.map((f) => f.id));
  const isSetSupported = fake.Office.context.requirements.isSetSupported;
  fake.Office.context.requirements.isSetSupported = (name, version) =>
    name === "CustomFunctionsRuntime" ? runtime !== null && versionAtMost(version ?? "1.1", runtime) : isSetSupported(name, version);
  const g = globalThis as { CustomFunctions?: unknown };
  if (runtime === null) delete g.CustomFunctions;
  else {
    g.CustomFunctions = {
      associate: (id: string | Record<string, (...a: unknown[]) => unknown>, fn?: (...a: unknown[]) => unknown) => {
        const pairs = typeof id === "string" ? [[id, fn!] as const] : Object.entries(id);
        // an id that is not in the metadata registers nothing (custom-functions-json)
        for (const [k, f] of pairs) if (ids.has(k)) host.associated.set(k, f);
      },
      ...(versionAtMost("1.2", runtime) ? { Error: FakeCustomFunctionsError, ErrorCode: ERROR_CODE } : {}),
    };
  }
  return host;
}
