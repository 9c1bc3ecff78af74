import { FakeRequestContext } from "./proxies";
import { failPageSetup } from "./page-layout";
import { newWorkbook, versionAtMost, type WorkbookState } from "./state";

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
    context: { displayLanguage: string; partitionKey: string | undefined; requirements: { isSetSupported: (name: string, version?: string) => boolean } };
    actions: { associate: (id: string, fn: (event: { completed: () => void }) => unknown) => void };
    addin: { showAsTaskpane: () => Promise<void> };
    HostType: { Excel: string };
  };
  /** Functions registered with Office.actions.associate, as the ribbon would call them. */
  actions: Map<string, (event: { completed: () => void }) => unknown>;
}

/** An in-memory Excel host: just the API subset the add-in uses, with Office's load/sync rules. */
export interface FakeHostOptions {
  language?: string; excelApi?: string; sharedRuntime?: boolean; host?: string | null; ready?: boolean;
  /**
   * Office.context.partitionKey: set in Excel on the web, undefined where the webview does not
   * partition storage, e.g. Windows desktop ("Persist add-in state and settings", Storage partitioning).
   */
  partitionKey?: string;
  /**
   * Office.addin.showAsTaskpane() rejects where the host cannot show the pane (the method returns a
   * Promise, https://learn.microsoft.com/javascript/api/office/office.addin#office-office-addin-showastaskpane-member(1)).
   */
  showTaskpane?: "ok" | "fails";
  /** Page setup (Worksheet.pageLayout) fails at sync: an injected fault (page-layout.ts). */
  pageSetup?: "ok" | "fails";
}

export function createFakeHost(options: FakeHostOptions = {}): FakeHost {
  const supported = options.excelApi ?? "1.12";
  const state = newWorkbook(supported);
  failPageSetup(options.pageSetup === "fails");
  const actions = new Map<string, (event: { completed: () => void }) => unknown>();
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
        partitionKey: options.partitionKey,
        requirements: { isSetSupported: (name, version) => name === "ExcelApi" ? versionAtMost(version ?? "1.1", supported) : name === "SharedRuntime" ? (options.sharedRuntime ?? true) : false },
      },
      actions: { associate: (id, fn) => { actions.set(id, fn); } },
      addin: { showAsTaskpane: () => (options.showTaskpane === "fails" ? Promise.reject(new Error("GenericError: the task pane could not be shown")) : Promise.resolve()) },
      HostType: { Excel: "Excel" },
    },
  };
}
