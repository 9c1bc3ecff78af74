// Proxy objects with Office's load/sync rules: commands queue until context.sync(); a property
// can be read only after it was loaded and a sync has run. A failing command rejects the sync —
// and the commands queued before it in the same sync have already been applied, the ones after it
// never run: Excel does not roll a batch back (Microsoft's error-handling guidance for the
// application-specific APIs: a failed operation stops the batch, and what ran before it stays;
// paraphrased, see https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling
// and https://learn.microsoft.com/office/dev/add-ins/develop/application-specific-api-model).
import { ClientObject, notLoaded } from "./client-object";
import { PAYLOAD_LIMIT_BYTES, checkSheetName } from "./excel-rules";
import { FakeNamedItemCollection } from "./named-items";
import { FakePageLayout } from "./page-layout";
import { FakeRange } from "./range";
import { OfficeError, a1, newSheet, versionAtMost, type SheetState, type WorkbookState } from "./state";

type Op = () => void;

const encoder = new TextEncoder();
const sizeOf = (v: unknown): number => (v === undefined ? 0 : encoder.encode(JSON.stringify(v)).length);

export class FakeRequestContext {
  private queue: Op[] = [];
  private requestBytes = 0;
  private responseBytes = 0;
  syncCount = 0;
  /** The largest request and response of any sync so far, in bytes (for the payload tests). */
  largestRequest = 0;
  largestResponse = 0;
  readonly workbook: FakeWorkbook;
  constructor(readonly state: WorkbookState) {
    this.workbook = new FakeWorkbook(this);
  }
  enqueue(op: Op): void { this.queue.push(op); }
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
    // Excel on the web refuses the whole request over 5 MB: nothing of it runs (excel-rules.ts)
    if (request > PAYLOAD_LIMIT_BYTES) {
      this.state.payloadRefusals++;
      throw new OfficeError("RequestPayloadSizeLimitExceeded", `The request payload size has exceeded the limit (${request} bytes).`);
    }
    this.largestRequest = Math.max(this.largestRequest, request);
    this.state.largestRequest = Math.max(this.state.largestRequest, request);
    for (const op of ops) op(); // the first failing command rejects the sync; earlier ones stay applied
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
  constructor(ctx: FakeRequestContext) { this.worksheets = new FakeWorksheetCollection(ctx); }
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
  private find(name: string): SheetState | undefined {
    return this.ctx.state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
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
  getItemOrNullObject(name: string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.find(name) ?? null, true);
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
      if (s.protected) throw new OfficeError("InvalidOperation", "The worksheet is already protected; protect() fails on a protected worksheet.");
      s.protected = true;
      s.protectionOptions = options ?? null;
    });
  }
  /** Unprotecting an unprotected sheet is allowed (it only ever removes protection). */
  unprotect(): void { this.ctx.enqueue(() => { this.sheet().protected = false; }); }
}

export class FakeWorksheet extends ClientObject {
  readonly protection: FakeWorksheetProtection;
  readonly customProperties: FakeCustomProperties;
  readonly pageLayout: FakePageLayout;
  readonly names: FakeNamedItemCollection;
  readonly freezePanes: { freezeRows: (n: number) => void };
  readonly charts: { add: (type: string, source: FakeRange, seriesBy?: string) => FakeChart };
  constructor(ctx: FakeRequestContext, private resolveOrNull: () => SheetState | null, private nullable: boolean) {
    super(ctx);
    this.protection = new FakeWorksheetProtection(ctx, () => this.sheet());
    // Worksheet.customProperties is ExcelApi 1.12: an older Excel has no such member, so code that
    // uses it there fails as it would in Excel (excel-api-1-12-requirement-set: WorksheetCustomPropertyCollection).
    this.customProperties = versionAtMost("1.12", ctx.state.excelApi) ? new FakeCustomProperties(ctx, () => this.sheet()) : (undefined as unknown as FakeCustomProperties);
    this.pageLayout = new FakePageLayout(ctx, () => this.sheet());
    this.names = new FakeNamedItemCollection(ctx, () => this.sheet());
    // Freeze panes on a protected sheet: Microsoft documents nothing either way, so the fake takes
    // the stricter side and refuses; the add-in freezes rows while the sheet is unprotected.
    this.freezePanes = { freezeRows: (n) => ctx.enqueue(() => { const s = this.sheet(); refuseOnProtected(s, "freeze panes"); s.frozenRows = n; }) };
    this.charts = {
      add: (type, source, seriesBy = "Auto") => {
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
  /** Renaming: the same sheet-name rules as adding, unique across the workbook (case-insensitive). */
  set name(v: string) {
    this.ctx.enqueue(() => {
      const s = this.sheet();
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
  delete(): void {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      this.ctx.state.sheets = this.ctx.state.sheets.filter((x) => x !== s);
      if (this.ctx.state.activeSheet === s.name) this.ctx.state.activeSheet = this.ctx.state.sheets[0]?.name ?? null;
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
