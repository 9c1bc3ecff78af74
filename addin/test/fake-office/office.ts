import { FakeRequestContext, type RunOptions } from "./proxies";
import { failPageSetup } from "./page-layout";
import { settleEvents } from "./events";
import { FakeSettings } from "./settings";
import { typeInto } from "./typing";
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
    context: { displayLanguage: string; partitionKey: string | undefined; requirements: { isSetSupported: (name: string, version?: string) => boolean }; document: { settings: FakeSettings } };
    actions: { associate: (id: string, fn: (event: { completed: () => void }) => unknown) => void };
    addin: { showAsTaskpane: () => Promise<void> };
    HostType: { Excel: string };
  };
  /** Functions registered with Office.actions.associate, as the ribbon would call them. */
  actions: Map<string, (event: { completed: () => void }) => unknown>;
  /** The official double-clicks a cell (or presses F2) and starts typing: cell-edit mode (excel-rules.ts). */
  beginCellEdit: (address: string) => void;
  /** … and presses Enter: the text goes in as typed (typing.ts), waiting batches run. */
  endCellEdit: (text?: string) => void;
  /** Waits for worksheet.onChanged handlers to finish (events.ts). */
  settleEvents: () => Promise<void>;
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
  /** "office-js#6784": a build whose protect()/unprotect() throw AccessDenied when nothing would change (proxies.ts). */
  protection?: "documented" | "office-js#6784";
  /**
   * Office.onReady: "ok"; "fails" — the promise rejects (Office.onReady returns a Promise,
   * https://learn.microsoft.com/javascript/api/office#office-office-onready-function(1); a host that
   * cannot initialise the add-in never calls back, and a broken load rejects).
   */
  onReady?: "ok" | "fails";
  /** Office.context.document.settings.saveAsync answers failed (settings.ts). */
  settingsSave?: "ok" | "fails";
}

export function createFakeHost(options: FakeHostOptions = {}): FakeHost {
  const supported = options.excelApi ?? "1.12";
  const state = newWorkbook(supported);
  state.protectionRegression = options.protection === "office-js#6784";
  failPageSetup(options.pageSetup === "fails");
  const settings = new FakeSettings(options.settingsSave ?? "ok");
  const actions = new Map<string, (event: { completed: () => void }) => unknown>();
  return {
    state,
    actions,
    Excel: {
      run: (async <T>(a: unknown, b?: (ctx: FakeRequestContext) => Promise<T>): Promise<T> => {
        const batch = (typeof a === "function" ? a : b) as (ctx: FakeRequestContext) => Promise<T>;
        const ctx = new FakeRequestContext(state, typeof a === "function" ? {} : (a as RunOptions));
        state.openRuns++;
        try {
          const result = await batch(ctx);
          if (ctx.pending > 0) await ctx.sync(); // Excel.run flushes what is still queued
          return result;
        } finally {
          state.openRuns--;
          ctx.ended = true; // its objects cannot be used by another batch (excel-rules.ts)
        }
      }) as FakeHost["Excel"]["run"],
    },
    Office: {
      // Outside Office, office.js resolves onReady with host null (Office.onReady: "host: null" when not in an Office client).
      onReady: (cb) => {
        if (options.ready === false) return new Promise(() => undefined);
        if (options.onReady === "fails") return Promise.reject(new Error("Office.js could not initialise the add-in"));
        const info = { host: options.host === undefined ? "Excel" : options.host };
        cb?.(info);
        return Promise.resolve(info);
      },
      context: {
        displayLanguage: options.language ?? "zh-CN",
        partitionKey: options.partitionKey,
        requirements: { isSetSupported: (name, version) => name === "ExcelApi" ? versionAtMost(version ?? "1.1", supported) : name === "SharedRuntime" ? (options.sharedRuntime ?? true) : false },
        document: { settings },
      },
      actions: { associate: (id, fn) => { actions.set(id, fn); } },
      addin: { showAsTaskpane: () => (options.showTaskpane === "fails" ? Promise.reject(new Error("GenericError: the task pane could not be shown")) : Promise.resolve()) },
      HostType: { Excel: "Excel" },
    },
    beginCellEdit: (address) => { state.editing = address; },
    endCellEdit: (text) => {
      const address = state.editing;
      state.editing = null;
      if (address !== null && text !== undefined) typeInto(state, address, text);
      for (const w of state.editWaiters.splice(0)) w();
    },
    settleEvents: () => settleEvents(state),
  };
}
