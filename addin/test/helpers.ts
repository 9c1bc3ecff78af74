import { BUILTIN_TEMPLATE, compileTemplate, TemplateSchema, type CompiledTemplate, type Template } from "@tianbao/shared";
import { createFakeHost, type FakeHost } from "./fake-office/office";

export function compiled(t: Template = BUILTIN_TEMPLATE): CompiledTemplate {
  const r = compileTemplate(t);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message.en).join("; "));
  return r.compiled;
}

/** A template of n indicators (counts, amounts, yes/no and rates), for size-independence checks. */
export function syntheticTemplate(n: number): CompiledTemplate {
  const indicators: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const code = `i${i}`;
    const section = `s${Math.floor(i / 25)}`;
    const name = { zh: `指标${i}`, en: `Indicator ${i}` };
    if (i % 5 === 4) indicators.push({ code, section, name, kind: "derived", decimals: 2, formula: `i${i - 1} / i${i - 2} * 100` });
    else if (i % 5 === 3) indicators.push({ code, section, name, kind: "amount", unit: "万元", decimals: 2 });
    else if (i % 5 === 2) indicators.push({ code, section, name, kind: "yesno" });
    else indicators.push({ code, section, name, kind: "count" });
  }
  // formulas must reference numeric indicators: i-1 is an amount, i-2 a yes/no for i%5==4 → use i-3 and i-4 instead
  for (const ind of indicators as { kind: string; formula?: string; code: string }[]) {
    if (ind.kind === "derived") { const i = Number(ind.code.slice(1)); ind.formula = `i${i - 1} / i${i - 4} * 100`; }
  }
  const sections = Array.from({ length: Math.ceil(n / 25) }, (_, k) => ({ code: `s${k}`, name: { zh: `第${k}组`, en: `Group ${k}` } }));
  return compiled(TemplateSchema.parse({ id: `synthetic${n}`, version: 1, status: "published", name: { zh: "合成", en: "Synthetic" }, periodType: "annual", sections, indicators, rules: [] }));
}

/** A fresh fake host, installed as the globals Office.js would define. */
export function installFakeHost(options: Parameters<typeof createFakeHost>[0] = {}): FakeHost {
  const host = createFakeHost(options);
  Object.assign(globalThis, { Excel: host.Excel, Office: host.Office });
  return host;
}

export const ctxOf = (host: FakeHost) => <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) =>
  host.Excel.run((ctx) => batch(ctx as unknown as Excel.RequestContext));
