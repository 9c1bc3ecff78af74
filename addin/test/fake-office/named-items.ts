// Worksheet-scoped names, as the add-in uses them to mark its own sheets.
import { ClientObject } from "./client-object";
import { checkDefinedName } from "./excel-rules";
import type { FakeRequestContext } from "./proxies";
import { OfficeError, type SheetState } from "./state";

/**
 * Worksheet.names (ExcelApi 1.4): add(name, reference) and getItemOrNullObject(name) with its
 * formula (NamedItem.formula, ExcelApi 1.7). Names follow Excel's rules (excel-rules.ts) and are
 * unique within their scope, compared case-insensitively.
 * https://learn.microsoft.com/javascript/api/excel/excel.nameditemcollection
 */
export class FakeNamedItemCollection {
  constructor(private ctx: FakeRequestContext, private sheet: () => SheetState) {}
  add(name: string, reference: string): void {
    this.ctx.addRequestBytes([name, reference]);
    this.ctx.enqueue(() => {
      const s = this.sheet();
      checkDefinedName(name);
      if ([...s.names.keys()].some((k) => k.toLowerCase() === name.toLowerCase())) throw new OfficeError("ItemAlreadyExists", `The name '${name}' already exists`);
      s.names.set(name, String(reference));
    });
  }
  getItemOrNullObject(name: string): FakeNamedItem {
    return new FakeNamedItem(this.ctx, () => [...this.sheet().names].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null);
  }
}

class FakeNamedItem extends ClientObject {
  constructor(ctx: FakeRequestContext, private get: () => string | null) { super(ctx); }
  protected override snapshot(prop: string): unknown { return prop === "isNullObject" ? this.get() === null : prop === "formula" ? this.get() : undefined; }
  get isNullObject(): boolean { return this.read("isNullObject"); }
  get formula(): string { return this.read("formula"); }
}
