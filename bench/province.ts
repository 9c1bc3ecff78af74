// Writes the synthetic province as SQL for the local D1 (same tables the Worker writes): 1 province,
// 11 cities (the first with exactly 10 counties), 3,000 counties, 200 indicators and a 10 × 6 grid, every county
// submitted, once as it is and once with 同比 columns on its first table; counters computed with shared's countersOf, as the submit path does. Also writes the
// reference totals (shared's aggregateReports) for the province and the 10-county city.
import { writeFileSync } from "node:fs";
import { TemplateSchema, addCounters, aggregateReports, compileTemplate, countersOf, syntheticTemplate, type Counters, type Values } from "@tianbao/shared";
import { hashNewPassword } from "../worker/src/auth/password";

const [sqlPath, refPath] = process.argv.slice(2) as [string, string];
// the 200 list indicators as 表1, and a grid 表2 (10 industries × 6 measures, 合计 row and column: 77 cells) whose
// totals are read with the rest: a form's grid at a province against a 10-county city (issue 23)
const list = syntheticTemplate(200, "bench200");
const grid = {
  kind: "grid" as const, code: "g", formNo: "表2", name: { zh: "分行业", en: "By industry" },
  rows: [{ code: "t", name: { zh: "合计", en: "Total" }, role: "total" as const }, ...Array.from({ length: 10 }, (_, i) => ({ code: `r${i}`, name: { zh: `行业${i}`, en: `Industry ${i}` } }))],
  columns: [
    { code: "ct", name: { zh: "合计", en: "Total" }, kind: "amount" as const, unit: "万元", decimals: 2, role: "total" as const },
    ...Array.from({ length: 5 }, (_, j) => ({ code: `c${j}`, name: { zh: `产值${j}`, en: `Output ${j}` }, kind: "amount" as const, unit: "万元", decimals: 2 })),
  ],
};
const template = TemplateSchema.parse({ ...list, form: { tables: [{ kind: "list", code: "l", formNo: "表1", name: list.name, sections: list.sections.map((s) => s.code) }, grid] } });
const c = (() => { const r = compileTemplate(template); if (!r.ok) throw new Error("template"); return r.compiled; })();
// the same form with 同比 columns on its first table (issue 24): the first section's 15 counts and amounts as
// 表1 with 上年同期, 同比增减 and 同比增长 %, the rest as 表1-1, as a form puts 同比 beside its money figures
const yoyTemplate = TemplateSchema.parse({ ...list, id: "bench200y", form: { tables: [
  { kind: "list", code: "l", formNo: "表1", name: list.name, sections: [list.sections[0]!.code], yoy: true },
  { kind: "list", code: "l2", formNo: "表1-1", name: list.name, sections: list.sections.slice(1).map((s) => s.code) },
  grid,
] } });
const cy = (() => { const r = compileTemplate(yoyTemplate); if (!r.ok) throw new Error("yoy template"); return r.compiled; })();
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const now = "2026-01-01T00:00:00.000Z";
const lines: string[] = [];
const insert = (table: string, cols: string, rows: string[]) => {
  for (let i = 0; i < rows.length; i += 400) lines.push(`INSERT INTO ${table} (${cols}) VALUES ${rows.slice(i, i + 400).join(",")};`);
};

const cities = Array.from({ length: 11 }, (_, k) => `bc${k}`);
const counties: { id: string; city: string }[] = [];
for (let k = 0; k < 10; k++) counties.push({ id: `bk${k}`, city: "bc0" });
for (let k = 10; k < 3000; k++) counties.push({ id: `bk${k}`, city: cities[1 + ((k - 10) % 10)]! });
insert("units", "id, name_zh, name_en, level, parent_id, path", [
  `('bp', '基准省', 'Bench province', 'province', NULL, '/bp/')`,
  ...cities.map((id) => `(${q(id)}, ${q(`基准市${id}`)}, ${q(id)}, 'city', 'bp', ${q(`/bp/${id}/`)})`),
  ...counties.map((u) => `(${q(u.id)}, ${q(`基准县${u.id}`)}, ${q(u.id)}, 'county', ${q(u.city)}, ${q(`/bp/${u.city}/${u.id}/`)})`),
]);
const pw = await hashNewPassword("bench-password");
insert("users", "username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at", [
  `('bench.province', '基准省查看', 'viewer', 'bp', ${q(pw.hash)}, ${q(pw.salt)}, ${pw.iterations}, ${q(now)}, ${q(now)})`,
  `('bench.city', '基准市查看', 'viewer', 'bc0', ${q(pw.hash)}, ${q(pw.salt)}, ${pw.iterations}, ${q(now)}, ${q(now)})`,
]);
insert("templates", "id, code, version, status, body, owner_unit_id, created_at, published_at", [
  `('bench200', 'bench200', 1, 'published', ${q(JSON.stringify(template))}, 'bp', ${q(now)}, ${q(now)})`,
  `('bench200y', 'bench200y', 1, 'published', ${q(JSON.stringify(yoyTemplate))}, 'bp', ${q(now)}, ${q(now)})`,
]);
insert("rounds", "id, template_id, template_version, period, deadline, owner_unit_id, created_at", [
  `('rbench', 'bench200', 1, '2025', '2099-01-01T00:00:00+08:00', 'bp', ${q(now)})`,
  `('rbenchy', 'bench200y', 1, '2025', '2099-01-01T00:00:00+08:00', 'bp', ${q(now)})`,
]);
insert("round_units", "round_id, unit_id", [...counties.map((u) => `('rbench', ${q(u.id)})`), ...counties.map((u) => `('rbenchy', ${q(u.id)})`)]);

let x = 12345;
const rnd = () => (x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296;
const values = new Map<string, Values>();
for (const u of counties) {
  const v: Values = {};
  for (const ind of c.template.indicators) {
    if (ind.kind === "count") v[ind.code] = Math.floor(rnd() * 5000) + 1;
    else if (ind.kind === "amount") v[ind.code] = (Math.floor(rnd() * 1e6) / 100).toFixed(2);
    else if (ind.kind === "yesno") v[ind.code] = rnd() < 0.7;
  }
  values.set(u.id, v);
}
// the 同比 round: the same figures, and a 上年同期 for nine in ten of them (a county that joined, or a figure new this year, has none)
const yoyValues = new Map<string, Values>();
for (const u of counties) {
  const v: Values = { ...values.get(u.id)! };
  for (const ind of cy.template.indicators) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || ind.lastYearOf === undefined || rnd() < 0.1) continue;
    const x = v[ind.lastYearOf];
    v[ind.code] = ind.kind === "count" ? Math.max(1, Math.round(Number(x) * (0.8 + rnd() * 0.4))) : (Math.floor(Number(x) * (80 + rnd() * 40))/ 100).toFixed(2);
  }
  yoyValues.set(u.id, v);
}

/** A round where every county submitted: its submissions, revisions, values and the counters up its tree. */
function submitted(roundId: string, compiled: typeof c, valuesOf: Map<string, Values>): { values: number; totals: number } {
  insert("submissions", "round_id, unit_id, state, revision, first_submitted_at, updated_at, seq", counties.map((u) => `(${q(roundId)}, ${q(u.id)}, 'submitted', 1, ${q(now)}, ${q(now)}, 1)`));
  insert("revisions", "round_id, unit_id, revision, comments, submitted_by, submitted_at", counties.map((u) => `(${q(roundId)}, ${q(u.id)}, 1, '{}', 1, ${q(now)})`));
  const valueRows: string[] = [];
  const currentRows: string[] = [];
  for (const u of counties) {
    for (const [code, v] of Object.entries(valuesOf.get(u.id)!)) {
      valueRows.push(`(${q(roundId)}, ${q(u.id)}, 1, ${q(code)}, ${q(JSON.stringify(v))})`);
      currentRows.push(`(${q(roundId)}, ${q(u.id)}, ${q(code)}, ${q(JSON.stringify(v))})`);
    }
  }
  insert("revision_values", "round_id, unit_id, revision, indicator, value", valueRows);
  // the current revision's values, as the Worker keeps them beside its change log (migration 0014); a revision
  // written without values_form is a full snapshot, which this one is
  insert("current_values", "round_id, unit_id, indicator, value", currentRows);
  const totals = new Map<string, Counters>();
  const bump = (unit: string, k: Counters) => totals.set(unit, addCounters(totals.get(unit) ?? new Map(), k));
  for (const u of counties) {
    const k = countersOf(compiled, valuesOf.get(u.id)!);
    for (const unit of [u.id, u.city, "bp"]) bump(unit, k);
  }
  const totalRows: string[] = [];
  for (const [unit, k] of totals) for (const [key, v] of k) totalRows.push(`(${q(roundId)}, ${q(unit)}, 'standing', ${q(key)}, ${v.toString()})`);
  insert("totals", "round_id, unit_id, basis, key, value", totalRows);
  return { values: valueRows.length, totals: totalRows.length };
}
const plain = submitted("rbench", c, values);
const withYoy = submitted("rbenchy", cy, yoyValues);
writeFileSync(sqlPath, lines.join("\n"));

const reports = counties.map((u) => ({ unitId: u.id, values: values.get(u.id)! }));
const yoyReports = counties.map((u) => ({ unitId: u.id, values: yoyValues.get(u.id)! }));
const inCity10 = (r: { unitId: string }) => counties.find((u) => u.id === r.unitId)!.city === "bc0";
writeFileSync(refPath, JSON.stringify({
  province: aggregateReports(c, reports),
  city10: aggregateReports(c, reports.filter(inCity10)),
  yoy: { province: aggregateReports(cy, yoyReports), city10: aggregateReports(cy, yoyReports.filter(inCity10)), counters: withYoy.totals, plainCounters: plain.totals },
  rows: { values: plain.values + withYoy.values, totals: plain.totals + withYoy.totals },
}));
