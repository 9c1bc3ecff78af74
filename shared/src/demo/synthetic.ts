import type { TemplateInput } from "../schemas/template";

/**
 * A template of n indicators in sections of 25 — counts, amounts, yes/no and rates over them —
 * for size-independence checks and benchmarks (20, 200, 500 indicators).
 */
export function syntheticTemplate(n: number, id = `synthetic${n}`): TemplateInput {
  const name = (i: number) => ({ zh: `指标${i}`, en: `Indicator ${i}` });
  const indicators: TemplateInput["indicators"] = Array.from({ length: n }, (_, i) => {
    const code = `i${i}`;
    const section = `s${Math.floor(i / 25)}`;
    switch (i % 5) {
      case 4: return { code, section, name: name(i), kind: "derived" as const, decimals: 2, formula: `i${i - 1} / i${i - 4} * 100` };
      case 3: return { code, section, name: name(i), kind: "amount" as const, unit: "万元" as const, decimals: 2 };
      case 2: return { code, section, name: name(i), kind: "yesno" as const };
      default: return { code, section, name: name(i), kind: "count" as const };
    }
  });
  const sections = Array.from({ length: Math.ceil(n / 25) }, (_, k) => ({ code: `s${k}`, name: { zh: `第${k + 1}组`, en: `Group ${k + 1}` } }));
  return { id, version: 1, status: "published", name: { zh: `合成模板（${n} 项）`, en: `Synthetic template (${n})` }, periodType: "annual", sections, indicators, rules: [] };
}
