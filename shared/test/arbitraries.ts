import fc from "fast-check";
import { DEFAULT_MAX, TemplateSchema, compileTemplate, type CompiledTemplate, type Indicator, type Template, type TemplateInput, type Value, type Values } from "@tianbao/shared";

const MAX = Number(DEFAULT_MAX); // 10^13 − 1 < 2^53: exact as a JS number

/**
 * A random canonical value for an indicator; `null` (not reported) about one time in six. Numbers
 * cover the whole domain: mostly everyday figures, and one time in five anything up to the bound
 * (10^13 − 1, past 2^53 once summed), 0 and the bound itself included.
 */
export function valueFor(ind: Indicator): fc.Arbitrary<Value> {
  const some = ((): fc.Arbitrary<Value> => {
    switch (ind.kind) {
      case "count": return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 100_000 }) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(0, MAX), fc.integer({ min: 0, max: MAX })) });
      case "amount": return fc.oneof({ weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 9n }) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: BigInt(MAX) * 10n ** BigInt(ind.decimals) }) }).map((n) => {
        const s = n.toString().padStart(ind.decimals + 1, "0");
        return ind.decimals === 0 ? s : `${s.slice(0, -ind.decimals)}.${s.slice(-ind.decimals)}`;
      });
      case "yesno": return fc.boolean();
      case "choice": return fc.constantFrom(...ind.options.map((o) => o.code));
      case "text": return fc.string({ maxLength: 20 });
      case "derived": return fc.constant(null);
    }
  })();
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: some });
}

/** Random values for every input indicator of a template. */
export function valuesFor(c: CompiledTemplate): fc.Arbitrary<Values> {
  const inputs = c.template.indicators.filter((i) => i.kind !== "derived");
  return fc.record(Object.fromEntries(inputs.map((i) => [i.code, valueFor(i)])) as Record<string, fc.Arbitrary<Value>>);
}

/** Random unit reports with distinct unit ids. */
export function reportsFor(c: CompiledTemplate, maxUnits = 12) {
  return fc.array(valuesFor(c), { maxLength: maxUnits }).map((list) => list.map((values, i) => ({ unitId: `u${i}`, values })));
}

/**
 * A small random form of lists and grids (roles, 其中, skipped cells, attachments, units, notes, the
 * legal face), as a template: what a city could design (issue 23).
 */
export function randomForm(): fc.Arbitrary<Template> {
  const text = fc.constantFrom("合计", "有色金属", "新能源", "3-1", "1e3", "TRUE", "企业 数", "其中：光伏", "Revenue (万元)", "2025/3/1", "50%");
  const name = fc.tuple(text, fc.option(text, { nil: undefined })).map(([zh, en]) => ({ zh, en: en ?? zh }));
  const line = (kind: "row" | "column") => fc.record({
    name, unit: fc.option(fc.constantFrom("万元", "吨", "家", "千瓦时", "%"), { nil: undefined }), amount: fc.boolean(), decimals: fc.integer({ min: 0, max: 6 }),
    // a column that may go negative (利润总额) or is capped
    bounds: fc.option(fc.constantFrom({ min: "-99999" }, { max: "100" }, { min: "-50", max: "50" }), { nil: undefined }),
  }).map((x) => ({ ...x, kind }));
  const grid = fc.record({
    rows: fc.array(line("row"), { minLength: 1, maxLength: 4 }), columns: fc.array(line("column"), { minLength: 1, maxLength: 3 }),
    totalRow: fc.boolean(), totalColumn: fc.boolean(), ofRow: fc.boolean(), ofColumn: fc.boolean(), required: fc.boolean(),
    skips: fc.array(fc.tuple(fc.nat(4), fc.nat(3)), { maxLength: 4 }),
  });
  const table = fc.record({
    kind: fc.constantFrom("list", "grid"), name, grid, unitLine: fc.option(fc.constantFrom("计量单位：万元", "单位：家"), { nil: undefined }),
    notes: fc.option(name, { nil: undefined }), attach: fc.boolean(), yoy: fc.boolean(),
  });
  const legal = fc.option(fc.record({ maker: fc.constantFrom("某市统计局", "晋城市质量技术监督局"), approver: fc.option(fc.constantFrom("某市统计局"), { nil: undefined }), approvalNo: fc.option(fc.constantFrom("晋市统制〔2025〕12号"), { nil: undefined }), validUntil: fc.option(fc.constantFrom("2027年12月"), { nil: undefined }) }, { requiredKeys: ["maker"] }), { nil: undefined });

  return fc.tuple(fc.array(table, { minLength: 1, maxLength: 4 }), legal, fc.integer({ min: 0, max: 2 })).map(([specs, face, extra]) => {
      // the sections shared out among the list tables: each listed by exactly one, each list table at least one
      const lists = specs.filter((s) => s.kind === "list").length;
      const sections = Array.from({ length: lists === 0 ? 0 : lists + extra }, (_, i) => ({ code: `s${i}`, name: { zh: `分组${i}`, en: `Section ${i}` } }));
      let listIndex = 0;
      const tables = specs.map((s, i): NonNullable<TemplateInput["form"]>["tables"][number] => {
        const code = `t${i}`;
        const head = { code, formNo: `表${i + 1}`, name: s.name, ...(s.unitLine ? { unitLine: s.unitLine } : {}), ...(s.notes ? { notes: s.notes } : {}), ...(s.attach && i > 0 ? { attachedTo: `t${i - 1}` } : {}) };
        if (s.kind === "list") {
          const li = listIndex++;
          return { ...head, kind: "list", sections: sections.filter((_, j) => j % lists === li).map((x) => x.code), yoy: s.yoy };
        }
        const g = s.grid;
        const rows = [
          ...(g.totalRow ? [{ code: "tot", name: { zh: "合计", en: "Total" }, role: "total" as const }] : []),
          ...g.rows.map((r, k) => ({ code: `r${k}`, name: r.name, role: "item" as const })),
          ...(g.ofRow ? [{ code: "rof", name: { zh: "其中：某项", en: "of which" }, role: "ofWhich" as const, of: "r0" }] : []),
        ];
        const col = (c: typeof g.columns[number], k: number | string, role: "item" | "total" | "ofWhich" = "item", of?: string) => ({
          code: typeof k === "number" ? `c${k}` : k, name: c.name, role, ...(of ? { of } : {}),
          ...(c.amount ? { kind: "amount" as const, unit: c.unit ?? "万元", decimals: c.decimals } : { kind: "count" as const, ...(c.unit ? { unit: c.unit } : {}), decimals: 0 }),
          ...(role === "item" && c.bounds ? c.bounds : {}),
        });
        // a 合计 column adds columns of one kind and unit (the compiler refuses others): its items then share the first's
        const items = g.totalColumn ? g.columns.map((c) => ({ ...c, amount: g.columns[0]!.amount, unit: g.columns[0]!.unit })) : g.columns;
        const columns = [
          ...(g.totalColumn ? [col(g.columns[0]!, "ctot", "total")] : []),
          ...items.map((c, k) => col(c, k)),
          ...(g.ofColumn ? [col(g.columns[0]!, "cof", "ofWhich", "c0")] : []),
        ];
        const skip = [...new Set(rows.flatMap((r, ri) => g.skips.filter(([x]) => x === ri).map(([, y]) => y).filter((y) => y < columns.length).map((y) => `${r.code}:${columns[y]!.code}`)))];
        return { ...head, kind: "grid", rows, columns, skip, required: g.required };
      });
      const hasList = tables.some((t) => t.kind === "list");
      return TemplateSchema.parse({
        id: "random", version: 1, status: "draft", name: { zh: "随机", en: "Random" }, periodType: "annual",
        sections: hasList ? sections : tables.map((x) => ({ code: x.code, name: x.name })),
        // every third an amount, so that a 同比 table (yoy) generates 上年同期 columns with decimals too
        indicators: hasList ? sections.map((s, i) => ({ code: `i${i}`, section: s.code, required: i % 2 === 0, name: { zh: `指标${i}`, en: `Indicator ${i}` },
          ...(i % 3 === 2 ? { kind: "amount", unit: "万元", decimals: 2 } : { kind: "count" }) })) : [],
        form: { ...(face ? { legal: face } : {}), tables },
      });
  // a form whose every cell is skipped asks for nothing: refused, rightly, and not what these properties are about
  }).filter((t) => compileTemplate(t).ok);
}
