import { BUILTIN_TEMPLATE, compileTemplate, syntheticTemplate as syntheticTemplateInput, TemplateSchema, type CompiledTemplate, type Template } from "@tianbao/shared";
import { createFakeHost, type FakeHost, type FakeHostOptions } from "./fake-office/office";
import { installStorage, type MemoryStorage, type StorageMode } from "./fake-office/storage";
import { installWebview, type Webview } from "./fake-office/webview";

export function compiled(t: Template = BUILTIN_TEMPLATE): CompiledTemplate {
  const r = compileTemplate(t);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message.en).join("; "));
  return r.compiled;
}

/** The shared synthetic template of n indicators, compiled. */
export const syntheticTemplate = (n: number): CompiledTemplate => compiled(TemplateSchema.parse(syntheticTemplateInput(n)));

/**
 * A fresh fake host, installed as the globals Office.js would define, with fresh browser storage
 * (`storage: "refused"`: a browser that blocks third-party storage; `host.storage` is then null)
 * and webview (`webview: "safari15"`: no AbortSignal.timeout, as on older Macs).
 */
export function installFakeHost(options: FakeHostOptions & { storage?: StorageMode; webview?: Webview } = {}): FakeHost & { storage: MemoryStorage | null } {
  const host = createFakeHost(options);
  installWebview(options.webview ?? "current");
  Object.assign(globalThis, { Excel: host.Excel, Office: host.Office });
  return { ...host, storage: installStorage(globalThis, options.storage ?? "available") };
}

export const ctxOf = (host: FakeHost) => <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) =>
  host.Excel.run((ctx) => batch(ctx as unknown as Excel.RequestContext));
