// Proxy objects with Office's load/sync rules: commands queue until context.sync(); a property
// can be read only after it was loaded and a sync has run; a failing command fails the sync.
import { ClientObject, notLoaded } from "./client-object";
import { FakeRange } from "./range";
import { OfficeError, newSheet, type SheetState, type WorkbookState } from "./state";

type Op = () => void;

export class FakeRequestContext {
  private queue: Op[] = [];
  syncCount = 0;
  readonly workbook: FakeWorkbook;
  constructor(readonly state: WorkbookState) {
    this.workbook = new FakeWorkbook(this);
  }
  enqueue(op: Op): void { this.queue.push(op); }
  get pending(): number { return this.queue.length; }
  async sync(): Promise<void> {
    this.syncCount++;
    this.state.syncCount++;
    const ops = this.queue;
    this.queue = [];
    await Promise.resolve(); // a real round trip is always asynchronous
    for (const op of ops) op(); // the first failing command rejects the sync; later ones never run
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
  getItem(name: string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => {
      const s = this.find(name);
      if (!s) throw new OfficeError("ItemNotFound", `The requested resource doesn't exist: worksheet '${name}'`);
      return s;
    }, false);
  }
  getItemOrNullObject(name: string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.find(name) ?? null, true);
  }
  getActiveWorksheet(): FakeWorksheet {
    return this.getItemByResolver(() => this.ctx.state.activeSheet ?? "");
  }
  private getItemByResolver(name: () => string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => {
      const s = this.find(name());
      if (!s) throw new OfficeError("ItemNotFound", "There is no active worksheet");
      return s;
    }, false);
  }
  add(name: string): FakeWorksheet {
    this.ctx.enqueue(() => {
      if (this.find(name)) throw new OfficeError("ItemAlreadyExists", `A worksheet named '${name}' already exists`);
      if (name.length > 31 || /[:\\/?*[\]]/.test(name)) throw new OfficeError("InvalidArgument", `Invalid worksheet name '${name}'`);
      this.ctx.state.sheets.push(newSheet(name));
      this.ctx.state.activeSheet ??= name;
    });
    return this.getItem(name);
  }
}

export class FakeWorksheet extends ClientObject {
  readonly protection: { protect: (o?: unknown) => void; unprotect: () => void };
  readonly customProperties: FakeCustomProperties;
  readonly freezePanes: { freezeRows: (n: number) => void };
  readonly charts: { add: (type: string, source: FakeRange, seriesBy?: string) => FakeChart };
  constructor(ctx: FakeRequestContext, private resolveOrNull: () => SheetState | null, private nullable: boolean) {
    super(ctx);
    this.protection = {
      protect: (o) => ctx.enqueue(() => { const s = this.sheet(); s.protected = true; s.protectionOptions = o ?? null; }),
      unprotect: () => ctx.enqueue(() => { this.sheet().protected = false; }),
    };
    this.customProperties = new FakeCustomProperties(ctx, () => this.sheet());
    this.freezePanes = { freezeRows: (n) => ctx.enqueue(() => { this.sheet().frozenRows = n; }) };
    this.charts = {
      add: (type, source, seriesBy = "Auto") => {
        const chart = new FakeChart(ctx);
        ctx.enqueue(() => { const c = { type, source: source.address0, seriesBy, title: "" }; this.sheet().charts.push(c); chart.bind(c); });
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
  get isNullObject(): boolean {
    if (!this.nullable) return false;
    return this.read("isNullObject");
  }
  protected override snapshot(prop: string): unknown {
    if (prop === "isNullObject") return this.resolveOrNull() === null;
    const s = this.sheet();
    if (prop === "name") return s.name;
    if (prop === "protection/protected") return s.protected;
    return undefined;
  }
  getRange(address: string): FakeRange { return new FakeRange(this.ctx, () => this.sheet(), address); }
  /** The smallest range holding every non-empty cell (A1 on an empty sheet), resolved at sync. */
  getUsedRange(_valuesOnly?: boolean): FakeRange {
    return new FakeRange(this.ctx, () => this.sheet(), () => {
      let r1 = 0;
      let c1 = 0;
      for (const [k, cell] of this.sheet().cells) {
        if (cell.value === "" && cell.formula === null) continue;
        const [r, c] = k.split(",").map(Number) as [number, number];
        r1 = Math.max(r1, r);
        c1 = Math.max(c1, c);
      }
      return `A1:${String.fromCharCode(65 + c1)}${r1 + 1}`;
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
  add(k: string, v: string): void { this.ctx.enqueue(() => { this.sheet().customProperties.set(k, v); }); }
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
