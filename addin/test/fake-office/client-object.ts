import { OfficeError } from "./state";
import type { FakeRequestContext } from "./proxies";

export const notLoaded = (prop: string) => new OfficeError("PropertyNotLoaded",
  `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);

export class ClientObject {
  protected loaded = new Map<string, unknown>();
  constructor(protected ctx: FakeRequestContext) {}
  protected read<T>(prop: string): T {
    if (!this.loaded.has(prop)) throw notLoaded(prop);
    return this.loaded.get(prop) as T;
  }
  protected snapshot(_prop: string): unknown { return undefined; }
  load(props?: string | string[] | Record<string, unknown>): this {
    const names = typeof props === "string" ? props.split(",").map((p) => p.trim()) : Array.isArray(props) ? props : Object.keys(props ?? {});
    this.ctx.enqueue(() => { for (const p of names) { const v = this.snapshot(p); this.ctx.addResponseBytes(v); this.loaded.set(p, v); } });
    return this;
  }
}

