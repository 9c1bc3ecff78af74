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
    /** With `ready: false` onReady never resolves (to see what registers before it does). */
    onReady: (cb?: (info: { host: string | null }) => void) => Promise<{ host: string | null }>;
    context: { displayLanguage: string; requirements: { isSetSupported: (name: string, version?: string) => boolean } };
    actions: { associate: (id: string, fn: (event: { completed: () => void }) => unknown) => void };
    addin: { showAsTaskpane: () => Promise<void> };
    HostType: { Excel: string };
  };
  /** Functions registered with Office.actions.associate, as the ribbon would call them. */
  actions: Map<string, (event: { completed: () => void }) => unknown>;
}

/** An in-memory Excel host: just the API subset the add-in uses, with Office's load/sync rules. */
export function createFakeHost(options: { language?: string; excelApi?: string; sharedRuntime?: boolean; host?: string | null; ready?: boolean } = {}): FakeHost {
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
        state.openRuns++;
        try {
          const result = await batch(ctx);
          if (ctx.pending > 0) await ctx.sync(); // Excel.run flushes what is still queued
          return result;
        } finally {
          state.openRuns--;
        }
      }) as FakeHost["Excel"]["run"],
    },
    Office: {
      // Outside Office, office.js resolves onReady with host null (Office.onReady: "host: null" when not in an Office client).
      onReady: (cb) => {
        if (options.ready === false) return new Promise(() => undefined);
        const info = { host: options.host === undefined ? "Excel" : options.host };
        cb?.(info);
        return Promise.resolve(info);
      },
      context: {
        displayLanguage: options.language ?? "zh-CN",
        requirements: { isSetSupported: (name, version) => name === "ExcelApi" ? versionAtMost(version ?? "1.1", supported) : name === "SharedRuntime" ? (options.sharedRuntime ?? true) : false },
      },
      actions: { associate: (id, fn) => { actions.set(id, fn); } },
      addin: { showAsTaskpane: () => Promise.resolve() },
      HostType: { Excel: "Excel" },
    },
  };
}

/** "1.9" ≤ "1.12": requirement-set versions compare part by part, not as decimals. */
function versionAtMost(v: string, max: string): boolean {
  const [a1 = 0, a2 = 0] = v.split(".").map(Number);
  const [b1 = 0, b2 = 0] = max.split(".").map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}
