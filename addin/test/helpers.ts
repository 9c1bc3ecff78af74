import { BUILTIN_TEMPLATE, compileTemplate, syntheticTemplate as syntheticTemplateInput, TemplateSchema, type CompiledTemplate, type Template } from "@tianbao/shared";
import { createFakeHost, type FakeHost } from "./fake-office/office";

export function compiled(t: Template = BUILTIN_TEMPLATE): CompiledTemplate {
  const r = compileTemplate(t);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message.en).join("; "));
  return r.compiled;
}

/** The shared synthetic template of n indicators, compiled. */
export const syntheticTemplate = (n: number): CompiledTemplate => compiled(TemplateSchema.parse(syntheticTemplateInput(n)));

/** A fresh fake host, installed as the globals Office.js would define. */
export function installFakeHost(options: Parameters<typeof createFakeHost>[0] = {}): FakeHost {
  const host = createFakeHost(options);
  Object.assign(globalThis, { Excel: host.Excel, Office: host.Office });
  return host;
}

export const ctxOf = (host: FakeHost) => <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) =>
  host.Excel.run((ctx) => batch(ctx as unknown as Excel.RequestContext));
