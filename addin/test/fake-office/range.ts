import { ClientObject, notLoaded } from "./client-object";
import { computedValues } from "./evaluate";
import { textOf, valueTypeOf, type CellView } from "./display";
import { MAX_CELLS_PER_READ, MAX_ROW_HEIGHT, checkErrorAlert, checkFormulaSyntax, checkNumberFormat, checkValidationRule } from "./excel-rules";
import { interpretInput } from "./input";
import type { FakeRequestContext } from "./proxies";
import { shiftCells } from "./shift";
import { OfficeError, a1, emptyCell, key, parseRange, type CellState, type Scalar, type SheetState } from "./state";

type Grid<T> = T[][];

/**
 * A rectangle of cells. Every check happens when the command runs at sync, as in Excel: a wrong
 * array size, a bad format or a protected cell rejects that sync after the commands queued before
 * it have already been applied (see proxies.ts).
 */
export class FakeRange extends ClientObject {
  readonly format: {
    fill: { color: string; clear: () => void };
    font: { bold: boolean; italic: boolean; color: string; size: number };
    protection: { locked: boolean };
    columnWidth: number;
    rowHeight: number;
    wrapText: boolean;
  };
  readonly dataValidation: { rule: unknown; errorAlert: unknown; clear: () => void };
  private readonly where: () => string | null;
  /** `address` may give null for a null object (getUsedRangeOrNullObject over blank cells). */
  constructor(ctx: FakeRequestContext, private sheet: () => SheetState, address: string | (() => string | null)) {
    super(ctx);
    this.where = typeof address === "string" ? () => address : address;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- accessor objects need the range
    const formatWrite = (f: (c: CellState) => void, check?: () => void) => ctx.enqueue(() => { check?.(); self.eachCell(f, "format"); });
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
      /**
       * RangeFormat.rowHeight: "the height of all rows in the range" in points; Excel's rows are at
       * most 409 points high (excel-rules.ts).
       */
      set rowHeight(v: number) {
        ctx.enqueue(() => {
          self.guardFormat();
          if (typeof v !== "number" || !(v >= 0 && v <= MAX_ROW_HEIGHT)) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: row height ${String(v)}`);
          const { r0, r1 } = parseRange(self.address0);
          for (let r = r0; r <= r1; r++) self.sheet().rowHeights.set(r, v);
        });
      },
      get rowHeight(): number { return writeOnly("format/rowHeight"); },
      set wrapText(v: boolean) { formatWrite((c) => { c.wrap = v; }); },
      get wrapText(): boolean { return writeOnly("format/wrapText"); },
    };
    this.dataValidation = {
      set rule(v: unknown) { formatWrite((c) => { c.validation = v; }, () => checkValidationRule(v)); },
      get rule(): unknown { return writeOnly("dataValidation/rule"); },
      set errorAlert(v: unknown) { formatWrite((c) => { c.errorAlert = v; }, () => checkErrorAlert(v)); },
      get errorAlert(): unknown { return writeOnly("dataValidation/errorAlert"); },
      clear: () => formatWrite((c) => { c.validation = null; c.errorAlert = null; }),
    };
  }

  /**
   * Range.clear(applyTo): "All" (the default) — values, formulas, formats and data validation go;
   * "Formats" — only the formatting (number format, fill, font, locking, wrapping, merges), the
   * values and formulas stay; "Contents" — only values and formulas. On a protected sheet Excel
   * refuses it. https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-clear-member(1),
   * https://learn.microsoft.com/javascript/api/excel/excel.clearapplyto
   */
  clear(applyTo: "All" | "Formats" | "Contents" = "All"): void {
    if (!["All", "Formats", "Contents"].includes(applyTo)) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: clear(${String(applyTo)})`);
    this.ctx.enqueue(() => {
      this.guardFormat();
      const s = this.sheet();
      const { r0, c0, r1, c1 } = parseRange(this.address0);
      s.version++;
      if (applyTo !== "All") {
        for (let r = r0; r <= r1; r++) {
          for (let c = c0; c <= c1; c++) {
            const cell = s.cells.get(key(r, c));
            if (!cell) continue;
            if (applyTo === "Contents") { cell.value = ""; cell.formula = null; cell.error = false; continue; }
            Object.assign(cell, { numberFormat: "General", fill: null, font: {}, locked: true, wrap: false });
          }
        }
        if (applyTo === "Formats") s.merges = s.merges.filter((m) => !inside(parseRange(m), { r0, c0, r1, c1 }));
        return;
      }
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) s.cells.delete(key(r, c));
      // merging is cell formatting (Format Cells → Alignment → Merge cells): clearing the formats of
      // a whole merged area unmerges it; the fake keeps a merge only partly cleared (stricter side)
      s.merges = s.merges.filter((m) => !inside(parseRange(m), { r0, c0, r1, c1 }));
    });
  }

  /** The request context the range belongs to (an object of another context is refused as an argument). */
  get context(): FakeRequestContext { return this.ctx; }

  /** The A1 address, worked out when a command runs (a used range is only known then); a null object's fails the sync. */
  get address0(): string {
    const a = this.where();
    if (a === null) throw new OfficeError("ItemNotFound", "The requested resource doesn't exist (a null object was used)");
    return a;
  }

  get isNullObject(): boolean { return this.read("isNullObject"); }

  /**
   * Range.getEntireRow (ExcelApi 1.1): "Gets an object that represents the entire row of the range (for
   * example, if the current range represents cells "B4:E11", its GetEntireRow is a range that represents
   * rows "4:11")". https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getentirerow-member(1)
   */
  getEntireRow(): FakeRange {
    return new FakeRange(this.ctx, this.sheet, () => { const { r0, r1 } = parseRange(this.address0); return `${r0 + 1}:${r1 + 1}`; });
  }

  /**
   * Range.getIntersection (ExcelApi 1.1): "Gets the range object that represents the rectangular
   * intersection of the given ranges." What it does for ranges that do not meet is not said there; its
   * OrNullObject form exists for that case (getIntersectionOrNullObject, ExcelApi 1.4), so the fake
   * fails the sync (ItemNotFound, the stricter side).
   * https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getintersection-member(1)
   */
  getIntersection(other: FakeRange | string): FakeRange {
    if (typeof other !== "string") this.ctx.sameContext(other.context);
    return new FakeRange(this.ctx, this.sheet, () => {
      const a = parseRange(this.address0);
      const b = parseRange(typeof other === "string" ? other : other.address0);
      const box = { r0: Math.max(a.r0, b.r0), c0: Math.max(a.c0, b.c0), r1: Math.min(a.r1, b.r1), c1: Math.min(a.c1, b.c1) };
      if (box.r0 > box.r1 || box.c0 > box.c1) throw new OfficeError("ItemNotFound", "The requested resource doesn't exist (the ranges do not intersect).");
      return `${a1(box.r0, box.c0)}:${a1(box.r1, box.c1)}`;
    });
  }

  /**
   * Range.getUsedRangeOrNullObject(valuesOnly) (ExcelApi 1.4): "Returns the used range of the given
   * range object. If there are no used cells within the range, then this method returns an object with
   * its isNullObject property set to true"; valuesOnly "Considers only cells with values as used cells"
   * (a formula's cell has a value). https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getusedrangeornullobject-member(1)
   */
  getUsedRangeOrNullObject(valuesOnly = false): FakeRange {
    return new FakeRange(this.ctx, this.sheet, () => {
      const box = parseRange(this.address0);
      let r0 = Infinity, c0 = Infinity, r1 = -1, c1 = -1;
      for (const [k, cell] of this.sheet().cells) {
        const [r, c] = k.split(",").map(Number) as [number, number];
        if (r < box.r0 || r > box.r1 || c < box.c0 || c > box.c1) continue;
        const hasValue = cell.value !== "" || cell.formula !== null;
        const hasFormat = cell.fill !== null || cell.wrap || Object.keys(cell.font).length > 0 || cell.numberFormat !== "General" || !cell.locked || cell.validation !== null;
        if (!hasValue && (valuesOnly || !hasFormat)) continue;
        r0 = Math.min(r0, r); c0 = Math.min(c0, c); r1 = Math.max(r1, r); c1 = Math.max(c1, c);
      }
      return r1 < 0 ? null : `${a1(r0, c0)}:${a1(r1, c1)}`;
    });
  }

  /**
   * Range.insert("Down") / Range.delete("Up") (ExcelApi 1.1): the cells below move, with every formula
   * that refers to them (shift.ts). Shifting right or left is not used by the add-in: the fake refuses it.
   */
  insert(shift: string): FakeRange {
    if (shift !== "Down") throw new Error(`the fake supports insert("Down") only, not ${shift}`);
    const at = this.where;
    this.ctx.enqueue(() => {
      const s = this.sheet();
      shiftCells(this.ctx.state, s, parseRange(this.address0), "insert");
      this.ctx.noteChange(s, this.address0, "RowInserted");
    });
    return new FakeRange(this.ctx, this.sheet, at);
  }
  delete(shift: string): void {
    if (shift !== "Up") throw new Error(`the fake supports delete("Up") only, not ${shift}`);
    this.ctx.enqueue(() => {
      const s = this.sheet();
      shiftCells(this.ctx.state, s, parseRange(this.address0), "delete");
      this.ctx.noteChange(s, this.address0, "RowDeleted");
    });
  }

  private guardFormat(): void {
    const s = this.sheet();
    if (s.protected) throw new OfficeError("AccessDenied", "The cell or chart you're trying to change is on a protected sheet.");
  }

  private eachCell(f: (c: CellState, r: number, col: number) => void, kind: "format" | "content", skip?: (r: number, c: number) => boolean): void {
    const s = this.sheet();
    const { r0, c0, r1, c1 } = parseRange(this.address0);
    if (kind === "format") this.guardFormat();
    if (kind === "content" && s.protected) {
      // Excel refuses the whole write if any target cell is locked: nothing of it is applied
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
        if (skip?.(r, c)) continue;
        if (s.cells.get(key(r, c))?.locked ?? true) throw new OfficeError("AccessDenied", "The cell or chart you're trying to change is protected and therefore read-only.");
      }
    }
    s.version++;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        if (skip?.(r, c)) continue;
        let cell = s.cells.get(key(r, c));
        if (!cell) { cell = emptyCell(); s.cells.set(key(r, c), cell); }
        f(cell, r, c);
      }
    }
  }

  /** A 2-D array must match the range exactly (a single value fills it); checked at sync. */
  private shaped<T>(v: Grid<T> | T, what: string): (r: number, c: number) => T {
    const { r0, c0, r1, c1 } = parseRange(this.address0);
    if (!Array.isArray(v)) return () => v;
    const rows = r1 - r0 + 1;
    const cols = c1 - c0 + 1;
    if (v.length !== rows || v.some((row) => !Array.isArray(row) || row.length !== cols)) {
      throw new OfficeError("InvalidArgument", `The number of rows or columns in the input array doesn't match the size or dimensions of the range ${this.address0} (${what}).`);
    }
    return (r, c) => (v as Grid<T>)[r - r0]![c - c0]!;
  }

  private writeContent(v: Grid<Scalar | null> | Scalar, what: string): void {
    this.ctx.addRequestBytes(v);
    this.ctx.enqueue(() => {
      const at = this.shaped(v, what);
      const { r0, c0, r1, c1 } = parseRange(this.address0);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const x = at(r, c);
          if (typeof x === "string" && x.startsWith("=") && x.length > 1) checkFormulaSyntax(x);
          if (x !== null && x !== undefined && x !== "" && hiddenByMerge(this.sheet(), r, c)) {
            throw new OfficeError("InvalidOperation", `The operation attempted is invalid on the object: ${this.address0} writes into a merged area away from its upper-left cell.`);
          }
        }
      }
      this.ctx.noteChange(this.sheet(), this.address0);
      this.eachCell((cell, r, c) => {
        const x = at(r, c);
        const stored = interpretInput(x!, cell.numberFormat);
        cell.value = stored.value;
        cell.error = stored.error ?? false;
        cell.formula = stored.formula;
        if (stored.numberFormat) cell.numberFormat = stored.numberFormat;
      }, "content", (r, c) => { const x = at(r, c); return x === null || x === undefined; }); // null leaves a cell as it is
    });
  }

  set values(v: Grid<Scalar | null>) { this.writeContent(v, "values"); }
  get values(): Grid<Scalar> { return this.read("values"); }
  set formulas(v: Grid<Scalar | null>) { this.writeContent(v, "formulas"); }
  get formulas(): Grid<Scalar> { return this.read("formulas"); }
  set numberFormat(v: Grid<string | null>) {
    this.ctx.addRequestBytes(v);
    this.ctx.enqueue(() => {
      const at = this.shaped(v, "numberFormat");
      const { r0, c0, r1, c1 } = parseRange(this.address0);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) { const f = at(r, c); if (f !== null && f !== undefined) checkNumberFormat(f); }
      this.eachCell((cell, r, c) => { const x = at(r, c); if (x !== null && x !== undefined) cell.numberFormat = x; }, "format");
    });
  }
  get numberFormat(): Grid<string> { return this.read("numberFormat"); }
  get text(): Grid<string> { return this.read("text"); }
  get valueTypes(): Grid<string> { return this.read("valueTypes"); }
  get address(): string { return this.read("address"); }
  get rowIndex(): number { return this.read("rowIndex"); }
  get columnIndex(): number { return this.read("columnIndex"); }
  get rowCount(): number { return this.read("rowCount"); }
  get columnCount(): number { return this.read("columnCount"); }

  protected override snapshot(prop: string): unknown {
    const where = this.where();
    if (prop === "isNullObject") return where === null;
    if (where === null) return undefined; // a null object's other properties are not there
    const s = this.sheet();
    const { r0, c0, r1, c1 } = parseRange(this.address0);
    const cells = (r1 - r0 + 1) * (c1 - c0 + 1);
    const grid = (f: (c: CellState | undefined, k: string) => unknown) => {
      if (cells > MAX_CELLS_PER_READ) throw new OfficeError("ResponsePayloadSizeLimitExceeded", `A range read is limited to ${MAX_CELLS_PER_READ} cells.`);
      return Array.from({ length: r1 - r0 + 1 }, (_, i) => Array.from({ length: c1 - c0 + 1 }, (_, j) => { const k = key(r0 + i, c0 + j); return f(s.cells.get(k), k); }));
    };
    // Range.formulas: "If a cell has no formula, its value is returned instead" (excel.range#formulas);
    // values, valueTypes and text as display.ts describes them.
    const view = (c: CellState | undefined, k: string): CellView => (c?.formula ? computedValues(s).get(k) ?? { value: "", error: false } : { value: c?.value ?? "", error: c?.error ?? false });
    switch (prop) {
      case "values": return grid((c, k) => view(c, k).value);
      case "valueTypes": return grid((c, k) => valueTypeOf(view(c, k)));
      case "text": return grid((c, k) => textOf(view(c, k), c?.numberFormat ?? "General"));
      case "formulas": return grid((c) => c?.formula ?? c?.value ?? "");
      case "numberFormat": return grid((c) => c?.numberFormat ?? "General");
      case "address": return `${s.name}!${this.address0}`;
      case "rowIndex": return r0;
      case "columnIndex": return c0;
      case "rowCount": return r1 - r0 + 1;
      case "rowHidden": {
        const hidden = Array.from({ length: r1 - r0 + 1 }, (_, i) => s.hiddenRows.has(r0 + i));
        return hidden.every(Boolean) ? true : hidden.some(Boolean) ? null : false;
      }
      case "columnCount": return c1 - c0 + 1;
      default: return undefined;
    }
  }

  /**
   * Range.rowHidden (ExcelApi 1.2) hides every row the range touches. On a protected sheet Excel
   * allows it only with allowFormatRows; the fake refuses it on any protected sheet (stricter).
   * https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-rowhidden-member
   */
  set rowHidden(v: boolean) {
    this.ctx.enqueue(() => {
      this.guardFormat();
      const { r0, r1 } = parseRange(this.address0);
      for (let r = r0; r <= r1; r++) {
        if (v) this.sheet().hiddenRows.add(r);
        else this.sheet().hiddenRows.delete(r);
      }
    });
  }
  get rowHidden(): boolean { return this.read("rowHidden"); }

  /**
   * Range.merge (ExcelApi 1.2) makes the range one merged cell whose value is its upper-left cell's
   * (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-merge-member(1)).
   * Excel keeps only the upper-left cell's content; the others' values are discarded. Not
   * documented on Microsoft's API page, and Excel's UI asks first: the fake discards them (the
   * stricter side). A merge that partly overlaps another is refused (stricter side); a merge equal
   * to or covering existing ones replaces them.
   */
  merge(): void {
    this.ctx.enqueue(() => {
      this.guardFormat();
      const s = this.sheet();
      const area = parseRange(this.address0);
      const others = s.merges.map((m) => parseRange(m));
      if (others.some((o) => overlaps(o, area) && !inside(o, area))) throw new OfficeError("InvalidOperation", `The operation attempted is invalid on the object: ${this.address0} overlaps a merged area.`);
      s.merges = s.merges.filter((m) => !inside(parseRange(m), area));
      s.version++;
      for (let r = area.r0; r <= area.r1; r++) for (let c = area.c0; c <= area.c1; c++) {
        if (r === area.r0 && c === area.c0) continue;
        const cell = s.cells.get(key(r, c));
        if (cell) { cell.value = ""; cell.formula = null; cell.error = false; }
      }
      s.merges.push(this.address0);
    });
  }
  /** Range.unmerge (ExcelApi 1.2): "Unmerge the range cells into separate cells" — every merged area the range touches. */
  unmerge(): void {
    this.ctx.enqueue(() => {
      this.guardFormat();
      const s = this.sheet();
      const area = parseRange(this.address0);
      s.merges = s.merges.filter((m) => !overlaps(parseRange(m), area));
    });
  }
  select(): void { this.ctx.enqueue(() => { const s = this.sheet(); s.selected = this.address0; this.ctx.state.activeSheet = s.name; }); }
}

type Box = { r0: number; c0: number; r1: number; c1: number };
const overlaps = (a: Box, b: Box) => a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
const inside = (a: Box, b: Box) => a.r0 >= b.r0 && a.r1 <= b.r1 && a.c0 >= b.c0 && a.c1 <= b.c1;

/**
 * A cell of a merged area other than its upper-left one. What Excel does with a value written there
 * through the API is not documented (the grid does not let a person type there: the merged cell
 * is one cell); the fake refuses a non-empty write (the stricter side), and "" or null is accepted.
 */
export function hiddenByMerge(s: SheetState, r: number, c: number): boolean {
  return s.merges.some((m) => { const a = parseRange(m); return r >= a.r0 && r <= a.r1 && c >= a.c0 && c <= a.c1 && !(r === a.r0 && c === a.c0); });
}
