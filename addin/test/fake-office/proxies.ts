// Proxy objects with Office's load/sync rules: commands queue until context.sync(); a property
// can be read only after it was loaded and a sync has run. A failing command rejects the sync —
// and the commands queued before it in the same sync have already been applied, the ones after it
// never run: Excel does not roll a batch back (Microsoft's error-handling guidance for the
// application-specific APIs: a failed operation stops the batch, and what ran before it stays;
// paraphrased, see https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling
// and https://learn.microsoft.com/office/dev/add-ins/develop/application-specific-api-model).
import { ClientObject, notLoaded } from "./client-object";
import { MEMBER_SETS, PAYLOAD_LIMIT_BYTES, checkSheetName, inCellEdit, invalidObjectPath, invalidRequestContext, lastVisible, structureLocked } from "./excel-rules";
import { fireChanged, type ChangeType } from "./events";
import { FakeNamedItemCollection } from "./named-items";
import { FakePageLayout } from "./page-layout";
import { FakeRange } from "./range";
import { OfficeError, a1, newSheet, versionAtMost, type SheetState, type WorkbookState } from "./state";

type Op = () => void;

const encoder = new TextEncoder();
const sizeOf = (v: unknown): number => (v === undefined ? 0 : encoder.encode(JSON.stringify(v)).length);

export interface RunOptions { delayForCellEdit?: boolean }

/** Whether this Excel has a member (excel-rules.ts, MEMBER_SETS). */
export const has = (state: WorkbookState, member: keyof typeof MEMBER_SETS): boolean => versionAtMost(MEMBER_SETS[member], state.excelApi);

export class FakeRequestContext {
  private queue: Op[] = [];
  /** Set when its Excel.run has finished: its objects can no longer queue commands (InvalidObjectPath). */
  ended = false;
  /** Cells the add-in changed in the current sync, for worksheet.onChanged (events.ts). */
  private changed: { sheet: SheetState; address: string; changeType: ChangeType }[] = [];
  private requestBytes = 0;
  private responseBytes = 0;
  syncCount = 0;
  /** The largest request and response of any sync so far, in bytes (for the payload tests). */
  largestRequest = 0;
  largestResponse = 0;
  readonly workbook: FakeWorkbook;
  constructor(readonly state: WorkbookState, readonly options: RunOptions = {}) {
    this.workbook = new FakeWorkbook(this);
  }
  enqueue(op: Op): void {
    if (this.ended) throw invalidObjectPath();
    this.queue.push(op);
  }
  /** An object of another request context passed as an argument is refused (excel-rules.ts). */
  sameContext(other: FakeRequestContext): void { if (other !== this) throw invalidRequestContext(); }
  noteChange(sheet: SheetState, address: string, changeType: ChangeType = "RangeEdited"): void { this.changed.push({ sheet, address, changeType }); }
  addRequestBytes(v: unknown): void { this.requestBytes += sizeOf(v); }
  addResponseBytes(v: unknown): void { this.responseBytes += sizeOf(v); }
  get pending(): number { return this.queue.length; }
  async sync(): Promise<void> {
    this.syncCount++;
    this.state.syncCount++;
    const ops = this.queue;
    const request = this.requestBytes + ops.length * 16;
    this.queue = [];
    this.requestBytes = 0;
    this.responseBytes = 0;
    await Promise.resolve(); // a real round trip is always asynchronous
    if (this.ended) throw invalidObjectPath();
    // cell-edit mode: the batch waits (delayForCellEdit, ExcelApi 1.11) or fails (excel-rules.ts)
    while (this.state.editing !== null) {
      if (!(this.options.delayForCellEdit && has(this.state, "RunOptions.delayForCellEdit"))) throw inCellEdit();
      await new Promise<void>((resolve) => this.state.editWaiters.push(resolve));
    }
    // Excel on the web refuses the whole request over 5 MB: nothing of it runs (excel-rules.ts)
    if (request > PAYLOAD_LIMIT_BYTES) {
      this.state.payloadRefusals++;
      throw new OfficeError("RequestPayloadSizeLimitExceeded", `The request payload size has exceeded the limit (${request} bytes).`);
    }
    this.largestRequest = Math.max(this.largestRequest, request);
    this.state.largestRequest = Math.max(this.state.largestRequest, request);
    try {
      for (const op of ops) op(); // the first failing command rejects the sync; earlier ones stay applied
    } finally {
      for (const c of this.changed.splice(0)) fireChanged(this.state, c.sheet, c.address, "ThisLocalAddin", c.changeType);
    }
    if (this.responseBytes > PAYLOAD_LIMIT_BYTES) {
      this.state.payloadRefusals++;
      throw new OfficeError("ResponsePayloadSizeLimitExceeded", `The response payload size has exceeded the limit (${this.responseBytes} bytes).`);
    }
    this.largestResponse = Math.max(this.largestResponse, this.responseBytes);
    this.state.largestResponse = Math.max(this.state.largestResponse, this.responseBytes);
  }
}

export class FakeWorkbook {
  readonly worksheets: FakeWorksheetCollection;
  readonly protection: FakeWorkbookProtection;
  constructor(private ctx: FakeRequestContext) {
    this.worksheets = new FakeWorksheetCollection(ctx);
    this.protection = has(ctx.state, "Workbook.protection") ? new FakeWorkbookProtection(ctx) : (undefined as unknown as FakeWorkbookProtection);
  }
  /**
   * Workbook.getSelectedRange (ExcelApi 1.1): "Gets the currently selected single range from the
   * workbook. If there are multiple ranges selected, this method will throw an error."
   * (https://learn.microsoft.com/javascript/api/excel/excel.workbook#excel-excel-workbook-getselectedrange-member(1)).
   * The selection is on the active sheet; a sheet nobody selected on has A1 selected, as a new sheet
   * does. The error's code for several areas is not documented: the fake answers InvalidSelection.
   */
  getSelectedRange(): FakeRange {
    let bound: SheetState | undefined;
    const sheet = () => {
      bound ??= this.ctx.state.sheets.find((s) => s.name === this.ctx.state.activeSheet);
      if (!bound) throw new OfficeError("ItemNotFound", "There is no active worksheet");
      return bound;
    };
    return new FakeRange(this.ctx, sheet, () => {
      const selected = sheet().selected ?? "A1";
      if (selected.includes(",")) throw new OfficeError("InvalidSelection", "The current selection is invalid for this operation (several areas are selected).");
      return selected;
    });
  }
}

/** Workbook.protection (ExcelApi 1.7): structure protection; what it refuses is in excel-rules.ts (structureLocked). */
export class FakeWorkbookProtection extends ClientObject {
  protected override snapshot(prop: string): unknown { return prop === "protected" ? this.ctx.state.structureProtected : undefined; }
  get protected(): boolean { return this.read("protected"); }
  /** "Protects the workbook. Fails if the workbook has been protected." (Excel.WorkbookProtection) */
  protect(_password?: string): void {
    this.ctx.enqueue(() => {
      if (this.ctx.state.structureProtected) throw new OfficeError("InvalidOperation", "The workbook is already protected; protect() fails on a protected workbook.");
      this.ctx.state.structureProtected = true;
    });
  }
  unprotect(_password?: string): void { this.ctx.enqueue(() => { this.ctx.state.structureProtected = false; }); }
}

export class FakeWorksheetCollection extends ClientObject {
  private itemsLoaded: FakeWorksheet[] | null = null;
  get items(): FakeWorksheet[] {
    if (!this.itemsLoaded) throw notLoaded("items");
    return this.itemsLoaded;
  }
  override load(props?: string | string[] | Record<string, unknown>): this {
    super.load(props);
    this.ctx.enqueue(() => {
      this.itemsLoaded = this.ctx.state.sheets.map((s) => {
        const w = new FakeWorksheet(this.ctx, () => s, false);
        w.preload("name", s.name);
        return w;
      });
    });
    return this;
  }
  /** By name (case-insensitive) or by id: "Gets a worksheet object using its name or ID" (WorksheetCollection.getItem). */
  private find(name: string): SheetState | undefined {
    return this.ctx.state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase() || s.id === name);
  }
  /** The worksheet object keeps pointing at the sheet it found, as Office's proxies do, even after a rename. */
  getItem(name: string): FakeWorksheet {
    let bound: SheetState | undefined;
    return new FakeWorksheet(this.ctx, () => {
      bound ??= this.find(name);
      if (!bound || !this.ctx.state.sheets.includes(bound)) throw new OfficeError("ItemNotFound", `The requested resource doesn't exist: worksheet '${name}'`);
      return bound;
    }, false);
  }
  /** Bound like getItem once it has found its sheet (a later rename does not make it point elsewhere). */
  getItemOrNullObject(name: string): FakeWorksheet {
    let bound: SheetState | undefined;
    return new FakeWorksheet(this.ctx, () => {
      if (bound) return this.ctx.state.sheets.includes(bound) ? bound : null;
      bound = this.find(name);
      return bound ?? null;
    }, true);
  }
  getActiveWorksheet(): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => {
      const s = this.find(this.ctx.state.activeSheet ?? "");
      if (!s) throw new OfficeError("ItemNotFound", "There is no active worksheet");
      return s;
    }, false);
  }
  add(name: string): FakeWorksheet {
    this.ctx.enqueue(() => {
      if (this.ctx.state.structureProtected) throw structureLocked("add a worksheet");
      if (this.find(name)) throw new OfficeError("ItemAlreadyExists", `A worksheet named '${name}' already exists`);
      checkSheetName(name);
      this.ctx.state.sheets.push(newSheet(name));
      this.ctx.state.activeSheet ??= name;
    });
    return this.getItem(name);
  }
}

const refuseOnProtected = (s: SheetState, what: string) => {
  if (s.protected) throw new OfficeError("AccessDenied", `The cell or chart you're trying to change is on a protected sheet (${what}).`);
};

/** Worksheet.protection: `protected` must be loaded before it is read, like any property. */
export class FakeWorksheetProtection extends ClientObject {
  constructor(ctx: FakeRequestContext, private sheet: () => SheetState) { super(ctx); }
  protected override snapshot(prop: string): unknown { return prop === "protected" ? this.sheet().protected : prop === "options" ? this.sheet().protectionOptions : undefined; }
  get protected(): boolean { return this.read("protected"); }
  /**
   * "Protects a worksheet. Fails if the worksheet has already been protected."
   * https://learn.microsoft.com/javascript/api/excel/excel.worksheetprotection#excel-excel-worksheetprotection-protect-member(1)
   */
  protect(options?: unknown): void {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      if (s.protected && this.ctx.state.protectionRegression) throw new OfficeError("AccessDenied", "You cannot perform the requested operation (office-js#6784).");
      if (s.protected) throw new OfficeError("InvalidOperation", "The worksheet is already protected; protect() fails on a protected worksheet.");
      s.protected = true;
      s.protectionOptions = options ?? null;
    });
  }
  /**
   * "Unprotects a worksheet." — unlike protect(), Microsoft states no failure for a sheet that is
   * not protected, and Excel's own Unprotect "has no effect if the worksheet is not protected"
   * (https://learn.microsoft.com/office/vba/api/excel.worksheet.unprotect). Builds with the
   * regression of OfficeDev/office-js#6784 ("WorksheetProtection.protect() and unprotect() now throw
   * AccessDenied when called on already protected/unprotected worksheets", labelled a regression)
   * refuse it with AccessDenied: a host made with `protection: "office-js#6784"` does that, so the
   * add-in is tested to call unprotect() only on a sheet it has just seen protected.
   * https://learn.microsoft.com/javascript/api/excel/excel.worksheetprotection#excel-excel-worksheetprotection-unprotect-member(1)
   */
  unprotect(): void {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      if (!s.protected && this.ctx.state.protectionRegression) throw new OfficeError("AccessDenied", "You cannot perform the requested operation (office-js#6784).");
      s.protected = false;
    });
  }
}

export class FakeWorksheet extends ClientObject {
  readonly protection: FakeWorksheetProtection;
  readonly customProperties: FakeCustomProperties;
  readonly pageLayout: FakePageLayout;
  readonly names: FakeNamedItemCollection;
  readonly freezePanes: { freezeRows: (n: number) => void };
  readonly charts: { add: (type: string, source: FakeRange, seriesBy?: string) => FakeChart };
  readonly onChanged: { add: (handler: (args: Record<string, unknown>) => unknown) => { remove: () => void } };
  constructor(ctx: FakeRequestContext, private resolveOrNull: () => SheetState | null, private nullable: boolean) {
    super(ctx);
    this.protection = new FakeWorksheetProtection(ctx, () => this.sheet());
    // Worksheet.customProperties is ExcelApi 1.12: an older Excel has no such member, so code that
    // uses it there fails as it would in Excel (excel-api-1-12-requirement-set: WorksheetCustomPropertyCollection).
    this.customProperties = has(ctx.state, "Worksheet.customProperties") ? new FakeCustomProperties(ctx, () => this.sheet()) : (undefined as unknown as FakeCustomProperties);
    this.pageLayout = new FakePageLayout(ctx, () => this.sheet());
    this.names = new FakeNamedItemCollection(ctx, () => this.sheet());
    // Freeze panes on a protected sheet: Microsoft documents nothing either way, so the fake takes
    // the stricter side and refuses; the add-in freezes rows while the sheet is unprotected.
    // Worksheet.onChanged (ExcelApi 1.7): add() takes effect at the next sync (events.ts)
    this.onChanged = has(ctx.state, "Worksheet.onChanged") ? {
      add: (handler) => {
        const entry = { sheet: null as unknown as SheetState, handler };
        ctx.enqueue(() => { entry.sheet = this.sheet(); ctx.state.changeHandlers.push(entry); });
        return { remove: () => { ctx.state.changeHandlers = ctx.state.changeHandlers.filter((x) => x !== entry); } };
      },
    } : (undefined as unknown as FakeWorksheet["onChanged"]);
    this.freezePanes = { freezeRows: (n) => ctx.enqueue(() => { const s = this.sheet(); refuseOnProtected(s, "freeze panes"); s.frozenRows = n; }) };
    this.charts = {
      add: (type, source, seriesBy = "Auto") => {
        ctx.sameContext(source.context);
        const chart = new FakeChart(ctx);
        ctx.enqueue(() => {
          const s = this.sheet();
          // Charts are objects: on a protected sheet they can be added only with allowEditObjects.
          // https://learn.microsoft.com/javascript/api/excel/excel.worksheetprotectionoptions#excel-excel-worksheetprotectionoptions-alloweditobjects-member
          if (s.protected && !(s.protectionOptions as { allowEditObjects?: boolean } | null)?.allowEditObjects) refuseOnProtected(s, "chart");
          const c = { type, source: source.address0, seriesBy, title: "" };
          s.charts.push(c);
          chart.bind(c);
        });
        return chart;
      },
    };
  }
  /** The sheet, or Office's errors for a missing one; methods on a null object fail the sync. */
  sheet(): SheetState {
    const s = this.resolveOrNull();
    if (!s) throw new OfficeError("ItemNotFound", "The requested resource doesn't exist (a null object was used)");
    return s;
  }
  preload(prop: string, value: unknown): void { this.loaded.set(prop, value); }
  get name(): string { return this.read("name"); }
  get id(): string { return this.read("id"); }
  get visibility(): string { return this.read("visibility"); }
  /** Worksheet.visibility (ExcelApi 1.1): the last visible sheet cannot be hidden; not while the structure is protected. */
  set visibility(v: string) {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      if (!["Visible", "Hidden", "VeryHidden"].includes(v)) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: visibility '${v}'`);
      if (s.visibility === v) return;
      if (this.ctx.state.structureProtected) throw structureLocked("hide or unhide a worksheet");
      if (v !== "Visible" && !this.ctx.state.sheets.some((x) => x !== s && x.visibility === "Visible")) throw lastVisible("hiding it");
      s.visibility = v as SheetState["visibility"];
      if (v !== "Visible" && this.ctx.state.activeSheet === s.name) this.ctx.state.activeSheet = this.ctx.state.sheets.find((x) => x.visibility === "Visible")!.name;
    });
  }
  /** Renaming: the same sheet-name rules as adding, unique across the workbook (case-insensitive). */
  set name(v: string) {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      if (this.ctx.state.structureProtected && s.name !== v) throw structureLocked("rename a worksheet");
      checkSheetName(v);
      if (this.ctx.state.sheets.some((x) => x !== s && x.name.toLowerCase() === v.toLowerCase())) throw new OfficeError("ItemAlreadyExists", `A worksheet named '${v}' already exists`);
      if (this.ctx.state.activeSheet === s.name) this.ctx.state.activeSheet = v;
      s.name = v;
    });
  }
  get isNullObject(): boolean {
    if (!this.nullable) return false;
    return this.read("isNullObject");
  }
  protected override snapshot(prop: string): unknown {
    if (prop === "isNullObject") return this.resolveOrNull() === null;
    const s = this.sheet();
    if (prop === "name") return s.name;
    if (prop === "id") return s.id;
    if (prop === "visibility") return s.visibility;
    return undefined;
  }
  getRange(address: string): FakeRange { return new FakeRange(this.ctx, () => this.sheet(), address); }
  /**
   * "The used range is the smallest range that encompasses any cells that have a value or
   * formatting assigned to them. If the entire worksheet is blank, this function will return the
   * top left cell"; with valuesOnly, only cells with values count. It starts wherever the first
   * used cell is, not at A1. https://learn.microsoft.com/javascript/api/excel/excel.worksheet#excel-excel-worksheet-getusedrange-member(1)
   */
  getUsedRange(valuesOnly = false): FakeRange {
    return new FakeRange(this.ctx, () => this.sheet(), () => {
      let r0 = Infinity, c0 = Infinity, r1 = -1, c1 = -1;
      for (const [k, cell] of this.sheet().cells) {
        const hasValue = cell.value !== "" || cell.formula !== null;
        const hasFormat = cell.fill !== null || cell.wrap || Object.keys(cell.font).length > 0 || cell.numberFormat !== "General" || !cell.locked || cell.validation !== null;
        if (!hasValue && (valuesOnly || !hasFormat)) continue;
        const [r, c] = k.split(",").map(Number) as [number, number];
        r0 = Math.min(r0, r); c0 = Math.min(c0, c); r1 = Math.max(r1, r); c1 = Math.max(c1, c);
      }
      return r1 < 0 ? "A1" : `${a1(r0, c0)}:${a1(r1, c1)}`;
    });
  }
  activate(): void { this.ctx.enqueue(() => { this.ctx.state.activeSheet = this.sheet().name; }); }
  /** The last visible sheet and a VeryHidden one cannot be deleted, nor any sheet of a protected structure (excel-rules.ts). */
  delete(): void {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      if (this.ctx.state.structureProtected) throw structureLocked("delete a worksheet");
      if (s.visibility === "VeryHidden") throw new OfficeError("InvalidOperation", "The operation attempted is invalid on the object: a VeryHidden worksheet cannot be deleted.");
      if (!this.ctx.state.sheets.some((x) => x !== s && x.visibility === "Visible")) throw lastVisible("deleting it");
      this.ctx.state.sheets = this.ctx.state.sheets.filter((x) => x !== s);
      if (this.ctx.state.activeSheet === s.name) this.ctx.state.activeSheet = this.ctx.state.sheets.find((x) => x.visibility === "Visible")?.name ?? null;
    });
  }
}

class FakeCustomProperties {
  constructor(private ctx: FakeRequestContext, private sheet: () => SheetState) {}
  /**
   * Custom properties on a protected sheet: undocumented either way, so the fake refuses (the
   * stricter side) and the add-in writes them while the sheet is unprotected. Keys are at most 255
   * characters and values at most 255 (WorksheetCustomPropertyCollection.add).
   * https://learn.microsoft.com/javascript/api/excel/excel.worksheetcustompropertycollection#excel-excel-worksheetcustompropertycollection-add-member(1)
   */
  add(k: string, v: string): void {
    this.ctx.addRequestBytes([k, v]);
    this.ctx.enqueue(() => {
      const s = this.sheet();
      refuseOnProtected(s, "custom property");
      if (k.length === 0 || k.length > 255 || String(v).length > 255) throw new OfficeError("InvalidArgument", "The argument is invalid or missing or has an incorrect format: custom property");
      s.customProperties.set(k, v);
    });
  }
  getItemOrNullObject(k: string): FakeCustomProperty { return new FakeCustomProperty(this.ctx, () => this.sheet().customProperties.get(k) ?? null); }
}

class FakeCustomProperty extends ClientObject {
  constructor(ctx: FakeRequestContext, private get: () => string | null) { super(ctx); }
  protected override snapshot(prop: string): unknown { return prop === "isNullObject" ? this.get() === null : this.get(); }
  get isNullObject(): boolean { return this.read("isNullObject"); }
  get value(): string { return this.read("value"); }
}

export class FakeChart {
  private state: { title: string } | null = null;
  readonly title: { text: string };
  constructor(private ctx: FakeRequestContext) {
    const bound = () => this.state;
    this.title = {
      set text(t: string) { ctx.enqueue(() => { const c = bound(); if (c) c.title = t; }); },
      get text(): string { throw notLoaded("title/text"); },
    };
  }
  bind(c: { title: string }): void { this.state = c; }
  setPosition(_start: string, _end?: string): void { this.ctx.enqueue(() => undefined); }
}

export { FakeRange };
