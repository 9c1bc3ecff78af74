import { ClientObject, notLoaded } from "./client-object";
import type { FakeRequestContext } from "./proxies";
import { OfficeError, emptyCell, key, parseRange, type CellState, type Scalar, type SheetState } from "./state";

type Grid<T> = T[][];

/** A rectangle of cells. Writes are refused on a protected sheet unless the cells are unlocked. */
export class FakeRange extends ClientObject {
  readonly format: {
    fill: { color: string; clear: () => void };
    font: { bold: boolean; italic: boolean; color: string; size: number };
    protection: { locked: boolean };
    columnWidth: number;
    wrapText: boolean;
  };
  readonly dataValidation: { rule: unknown; errorAlert: unknown; clear: () => void };
  private readonly where: () => string;
  constructor(ctx: FakeRequestContext, private sheet: () => SheetState, address: string | (() => string)) {
    super(ctx);
    this.where = typeof address === "string" ? () => address : address;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- accessor objects need the range
    const formatWrite = (f: (c: CellState) => void) => ctx.enqueue(() => self.eachCell(f, "format"));
    const writeOnly = (p: string) => { throw notLoaded(p); };
    this.format = {
      fill: {
        set color(v: string) { formatWrite((c) => { c.fill = v; }); },
        get color(): string { return writeOnly("format/fill/color"); },
        clear: () => formatWrite((c) => { c.fill = null; }),
      },
      font: {
        set bold(v: boolean) { formatWrite((c) => { c.font.bold = v; }); },
        get bold(): boolean { return writeOnly("format/font/bold"); },
        set italic(v: boolean) { formatWrite((c) => { c.font.italic = v; }); },
        get italic(): boolean { return writeOnly("format/font/italic"); },
        set color(v: string) { formatWrite((c) => { c.font.color = v; }); },
        get color(): string { return writeOnly("format/font/color"); },
        set size(v: number) { formatWrite((c) => { c.font.size = v; }); },
        get size(): number { return writeOnly("format/font/size"); },
      },
      protection: {
        set locked(v: boolean) { formatWrite((c) => { c.locked = v; }); },
        get locked(): boolean { return writeOnly("format/protection/locked"); },
      },
      set columnWidth(v: number) {
        ctx.enqueue(() => { self.guardFormat(); const { c0, c1 } = parseRange(self.address0); for (let c = c0; c <= c1; c++) self.sheet().columnWidths.set(c, v); });
      },
      get columnWidth(): number { return writeOnly("format/columnWidth"); },
      set wrapText(_v: boolean) { formatWrite(() => undefined); },
      get wrapText(): boolean { return writeOnly("format/wrapText"); },
    };
    this.dataValidation = {
      set rule(v: unknown) { formatWrite((c) => { c.validation = v; }); },
      get rule(): unknown { return writeOnly("dataValidation/rule"); },
      set errorAlert(v: unknown) { formatWrite((c) => { c.errorAlert = v; }); },
      get errorAlert(): unknown { return writeOnly("dataValidation/errorAlert"); },
      clear: () => formatWrite((c) => { c.validation = null; c.errorAlert = null; }),
    };
  }

  /** The A1 address, worked out when a command runs (a used range is only known then). */
  get address0(): string { return this.where(); }

  private guardFormat(): void {
    const s = this.sheet();
    if (s.protected) throw new OfficeError("AccessDenied", "The cell or chart you're trying to change is on a protected sheet.");
  }

  private eachCell(f: (c: CellState, r: number, col: number) => void, kind: "format" | "content", skip?: (r: number, c: number) => boolean): void {
    const s = this.sheet();
    const { r0, c0, r1, c1 } = parseRange(this.address0);
    if (kind === "format") this.guardFormat();
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        if (skip?.(r, c)) continue;
        let cell = s.cells.get(key(r, c));
        if (kind === "content" && s.protected && (cell?.locked ?? true)) {
          throw new OfficeError("AccessDenied", "The cell or chart you're trying to change is protected and therefore read-only.");
        }
        if (!cell) { cell = emptyCell(); s.cells.set(key(r, c), cell); }
        f(cell, r, c);
      }
    }
  }

  private writeGrid(v: Grid<Scalar | null> | Scalar, apply: (c: CellState, x: Scalar) => void): void {
    const { r0, c0, r1, c1 } = parseRange(this.address0);
    const rows = r1 - r0 + 1;
    const cols = c1 - c0 + 1;
    const grid = Array.isArray(v) ? v : [[v]];
    if (grid.length !== rows || grid.some((row) => row.length !== cols)) {
      throw new OfficeError("InvalidArgument", `The number of rows or columns in the input array doesn't match the size or dimensions of the range ${this.address0}.`);
    }
    this.ctx.enqueue(() => this.eachCell((cell, r, c) => {
      const x = grid[r - r0]![c - c0];
      if (x !== null && x !== undefined) apply(cell, x); // null leaves a cell as it is, as in Office
    }, "content", (r, c) => grid[r - r0]![c - c0] === null || grid[r - r0]![c - c0] === undefined));
  }

  set values(v: Grid<Scalar | null>) { this.writeGrid(v, setContent); }
  get values(): Grid<Scalar> { return this.read("values"); }
  set formulas(v: Grid<Scalar | null>) { this.writeGrid(v, setContent); }
  get formulas(): Grid<Scalar> { return this.read("formulas"); }
  set numberFormat(v: Grid<string | null>) {
    const grid = v;
    const { r0, c0 } = parseRange(this.address0);
    this.ctx.enqueue(() => this.eachCell((cell, r, c) => { const x = grid[r - r0]?.[c - c0]; if (x) cell.numberFormat = x; }, "format"));
  }
  get numberFormat(): Grid<string> { return this.read("numberFormat"); }
  get address(): string { return this.read("address"); }

  protected override snapshot(prop: string): unknown {
    const s = this.sheet();
    const { r0, c0, r1, c1 } = parseRange(this.address0);
    const grid = (f: (c: CellState | undefined) => unknown) =>
      Array.from({ length: r1 - r0 + 1 }, (_, i) => Array.from({ length: c1 - c0 + 1 }, (_, j) => f(s.cells.get(key(r0 + i, c0 + j)))));
    switch (prop) {
      case "values": return grid((c) => c?.value ?? "");
      case "formulas": return grid((c) => c?.formula ?? c?.value ?? "");
      case "numberFormat": return grid((c) => c?.numberFormat ?? "General");
      case "address": return `${s.name}!${this.address0}`;
      default: return undefined;
    }
  }

  merge(): void { this.ctx.enqueue(() => { this.guardFormat(); this.sheet().merges.push(this.address0); }); }
  select(): void { this.ctx.enqueue(() => { const s = this.sheet(); s.selected = this.address0; this.ctx.state.activeSheet = s.name; }); }
}

/** Writing through values or formulas: "=…" becomes a formula, a leading apostrophe keeps text as text. */
function setContent(cell: CellState, x: Scalar): void {
  if (typeof x === "string" && x.startsWith("=")) { cell.formula = x; cell.value = ""; return; }
  cell.formula = null;
  cell.value = typeof x === "string" && x.startsWith("'") ? x.slice(1) : x;
}
