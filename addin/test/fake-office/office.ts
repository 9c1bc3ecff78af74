import { FakeRequestContext } from "./proxies";
import { newWorkbook, type WorkbookState } from "./state";

export interface FakeHost {
  state: WorkbookState;
  Excel: {
    run: {
      <T>(batch: (ctx: FakeRequestContext) => Promise<T>): Promise<T>;
      <T>(options: { delayForCellEdit?: boolean }, batch: (ctx: FakeRequestContext) => Promise<T>): Promise<T>;
    };
  };
  Office: {
    onReady: (cb?: (info: { host: string }) => void) => Promise<{ host: string }>;
    context: { displayLanguage: string; requirements: { isSetSupported: (name: string, version?: string) => boolean } };
    actions: { associate: (id: string, fn: (event: { completed: () => void }) => unknown) => void };
    addin: { showAsTaskpane: () => Promise<void> };
    HostType: { Excel: string };
  };
  /** Functions registered with Office.actions.associate, as the ribbon would call them. */
  actions: Map<string, (event: { completed: () => void }) => unknown>;
}

/** An in-memory Excel host: just the API subset the add-in uses, with Office's load/sync rules. */
export function createFakeHost(options: { language?: string; excelApi?: string } = {}): FakeHost {
  const state = newWorkbook();
  const actions = new Map<string, (event: { completed: () => void }) => unknown>();
  const supported = options.excelApi ?? "1.12";
  return {
    state,
    actions,
    Excel: {
      run: (async <T>(a: unknown, b?: (ctx: FakeRequestContext) => Promise<T>): Promise<T> => {
        const batch = (typeof a === "function" ? a : b) as (ctx: FakeRequestContext) => Promise<T>;
        const ctx = new FakeRequestContext(state);
        const result = await batch(ctx);
        if (ctx.pending > 0) await ctx.sync(); // Excel.run flushes what is still queued
        return result;
      }) as FakeHost["Excel"]["run"],
    },
    Office: {
      onReady: (cb) => { const info = { host: "Excel" }; cb?.(info); return Promise.resolve(info); },
      context: {
        displayLanguage: options.language ?? "zh-CN",
        requirements: { isSetSupported: (name, version) => name === "ExcelApi" ? Number(version ?? "1") <= Number(supported) : name === "SharedRuntime" },
      },
      actions: { associate: (id, fn) => { actions.set(id, fn); } },
      addin: { showAsTaskpane: () => Promise.resolve() },
      HostType: { Excel: "Excel" },
    },
  };
}
