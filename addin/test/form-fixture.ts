// A form set of numbered grid tables (issue 23's scale target at 10 tables): the first 30 rows ×
// 12 columns, the others 15 × 12, each with a 合计 row — what a bureau's annual report of several
// numbered tables looks like. Shared by the add-in's tests and bench/in-process.ts.
import { TemplateSchema, compileTemplate, type CompiledTemplate, type Template } from "@tianbao/shared";

const t = (zh: string) => ({ zh, en: zh });

const grid = (k: number, rows: number) => ({
  kind: "grid" as const, code: `g${k}`, formNo: `表${k + 1}`, name: t(`表${k + 1}`),
  rows: [{ code: "tot", name: t("合计"), role: "total" as const }, ...Array.from({ length: rows - 1 }, (_, i) => ({ code: `r${i}`, name: t(`行${i}`) }))],
  columns: Array.from({ length: 12 }, (_, j) => ({ code: `c${j}`, name: t(`列${j}`), kind: "amount" as const, unit: "万元", decimals: 2 })),
});

/** The template of a form of `tables` grid tables (id `form<tables>`). */
export function gridFormTemplate(tables: number): Template {
  return TemplateSchema.parse({
    id: `form${tables}`, version: 1, status: "published", name: t(`${tables}表`), periodType: "annual", sections: [{ code: "s", name: t("s") }], indicators: [],
    form: { tables: Array.from({ length: tables }, (_, k) => grid(k, k === 0 ? 30 : 15)) },
  });
}

/** The same, compiled. */
export function gridForm(tables: number): CompiledTemplate {
  const r = compileTemplate(gridFormTemplate(tables));
  if (!r.ok) throw new Error(`form: ${JSON.stringify(r.issues[0])}`);
  return r.compiled;
}
