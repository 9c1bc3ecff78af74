// In-process figures: Excel round trips (the fake's sync counter), the shared core's cost, and file
// rendering/parsing in Node. Bundled by bench/run.mjs with esbuild and printed as JSON.
import {
  TemplateSchema, aggregateReports, buildCompletenessPlan, buildFillPlan, buildFillPlans, buildTotalsPlan, compileTemplate, computeCompleteness,
  fillIndex, parseFillBook, parseFillGrid, syntheticTemplate, validateValues, type CompiledTemplate, type Values,
} from "@tianbao/shared";
import { pullIntoSheet, pullIntoSheets, readActiveReport, readActiveSheet, writeOutcome, writeReportOutcome } from "../addin/src/excel/fill-sheet";
import { writeTotalsSheets } from "../addin/src/excel/totals-sheets";
import { createFakeHost } from "../addin/test/fake-office/office";
import { gridForm } from "../addin/test/form-fixture";
import { renderWorkbook } from "../worker/src/export/xlsx";
import { readUploadedGrid } from "../worker/src/upload/read-xlsx";

type Figure = { value: number; unit: string; note?: string };
const figures: Record<string, Figure> = {};
const put = (name: string, value: number, unit: string, note?: string) => { figures[name] = { value: Number(value.toFixed(3)), unit, ...(note ? { note } : {}) }; };

const compiledOf = (n: number): CompiledTemplate => {
  const r = compileTemplate(TemplateSchema.parse(syntheticTemplate(n)));
  if (!r.ok) throw new Error("template");
  return r.compiled;
};

/** Deterministic figures for one unit (a small LCG, so every run measures the same work). */
function valuesFor(c: CompiledTemplate, seed: number): Values {
  let x = seed * 2654435761 % 4294967296;
  const next = () => (x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296;
  const out: Values = {};
  for (const ind of c.template.indicators) {
    if (ind.kind === "count") out[ind.code] = Math.floor(next() * 5000) + 1;
    else if (ind.kind === "amount") out[ind.code] = (Math.floor(next() * 1e6) / 100).toFixed(2);
    else if (ind.kind === "yesno") out[ind.code] = next() < 0.7;
  }
  return out;
}

const time = async (f: () => unknown | Promise<unknown>, runs = 5): Promise<number> => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); await f(); samples.push(performance.now() - t); }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
};

// 1. Round trips at 20/200/500 indicators and 7/150 units.
for (const n of [20, 200, 500]) {
  const c = compiledOf(n);
  const host = createFakeHost();
  const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => host.Excel.run((ctx) => f(ctx as unknown as Excel.RequestContext));
  const plan = buildFillPlan(c, { roundId: "r", period: "2025", unit: { id: "u", name: "单位" }, current: valuesFor(c, 1) });
  let before = host.state.syncCount;
  await run((ctx) => pullIntoSheet(ctx, plan, c));
  put(`syncs.pull.${n}`, host.state.syncCount - before, "syncs", "draw, then the print setup in a sync of its own; target ≤ 3");
  before = host.state.syncCount;
  await run(async (ctx) => { const s = await readActiveSheet(ctx); await writeOutcome(ctx, s, c, { status: "ok", marks: [] }); });
  put(`syncs.submit.${n}`, host.state.syncCount - before, "syncs", "read + write outcome; target ≤ 2");
  for (const units of [7, 150]) {
    const columns = Array.from({ length: units }, (_, k) => ({ id: `u${k}`, name: `单位${k}`, values: valuesFor(c, k) }));
    const totals = buildTotalsPlan(c, { title: `t${units}`, note: "", columns, chartCodes: ["i4"] });
    const comp = buildCompletenessPlan(computeCompleteness(columns.map((x) => x.id), [], "2030-01-01T00:00:00Z", "2029-01-01T00:00:00Z"), { title: `c${units}`, unitNames: {} });
    before = host.state.syncCount;
    await run((ctx) => writeTotalsSheets(ctx, [totals, comp], "r|jincheng"));
    put(`syncs.totals.${n}x${units}`, host.state.syncCount - before, "syncs", "target ≤ 3");
  }
}

// 1b. A form set (issue 23) as the add-in handles it: a cover and a protected sheet per grid table —
// 10 tables (one 30 × 12 grid and nine 15 × 12, 1,980 cells), and 3 to show the round trips do not
// grow with the tables. Check and submit as the flow runs them: the report read in one Excel.run
// (the active sheet, every sheet's metadata cell, then all the report's sheets), the outcome written
// on every page in another (protection read again: the network call came between), so one more
// than syncs.submit.<n>, which reads and writes in one batch.
for (const n of [3, 10]) {
  const c = gridForm(n);
  const host = createFakeHost();
  const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => host.Excel.run((ctx) => f(ctx as unknown as Excel.RequestContext));
  const plans = () => buildFillPlans(c, { roundId: "r", period: "2025", unit: { id: "u", name: "单位" }, issuer: "晋城市", current: valuesFor(c, 1), revision: 0 });
  let before = host.state.syncCount;
  await run((ctx) => pullIntoSheets(ctx, plans(), c));
  put(`syncs.pull.form_${n}_tables`, host.state.syncCount - before, "syncs", `a cover and ${n} sheets, ${c.gridCells.size} cells: list, draw, print setup; target: the same for 3 and 10 tables`);
  before = host.state.syncCount;
  await run((ctx) => pullIntoSheets(ctx, plans(), c));
  put(`syncs.pull_refresh.form_${n}_tables`, host.state.syncCount - before, "syncs", "list, read every sheet at once, draw, print setup");
  for (const [what, revision] of [["check", undefined], ["submit", 1]] as const) {
    before = host.state.syncCount;
    const report = await run((ctx) => readActiveReport(ctx));
    const parsed = parseFillBook(c, report.sheets, { unitId: "u" });
    await run((ctx) => writeReportOutcome(ctx, report, c, { status: "ok", marks: [], ...(revision !== undefined ? { revision } : {}) }));
    put(`syncs.${what}.form_${n}_tables`, host.state.syncCount - before, "syncs", `${report.sheets.length} sheets read: ${parsed.ok ? "parsed" : "PARSE FAILED"}; read report (3) + protection + write`);
  }
}

// 4. Shared core: 500 indicators × 3,000 units.
const c500 = compiledOf(500);
const units = Array.from({ length: 3000 }, (_, k) => ({ unitId: `c${k}`, values: valuesFor(c500, k) }));
const validateAll = await time(() => { for (const u of units) validateValues(c500, u.values); }, 3);
put("core.validate.500x3000", validateAll, "ms");
put("core.validate.per_submission.500", (validateAll / 3000) * 1000, "µs");
const aggregate = await time(() => aggregateReports(c500, units), 3);
put("core.aggregate.500x3000", aggregate, "ms");
// Baseline: the same 1.5 m values summed as plain JS numbers (the floor any aggregation has to touch).
const baseline = await time(() => { let s = 0; for (const u of units) for (const v of Object.values(u.values)) if (typeof v === "number") s += v; else if (typeof v === "string") s += Number(v); return s; }, 3);
put("core.baseline.float_sum.500x3000", baseline, "ms");
put("core.ratio.aggregate_vs_float_sum", aggregate / baseline, "×", "exact rational sums vs float sums over the same values");

// 5. Files, in Node (the Worker runs the same code in workerd).
const c200 = compiledOf(200);
const wide = buildTotalsPlan(c200, { title: "province", note: "", columns: Array.from({ length: 3000 }, (_, k) => ({ id: `c${k}`, name: `县${k}`, values: valuesFor(c200, k) })) });
const heapBefore = process.memoryUsage().heapUsed;
let peak = heapBefore;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 5);
let bytes = 0;
const render = await time(async () => { bytes = (await renderWorkbook([wide])).byteLength; }, 1);
clearInterval(sampler);
put("files.render_totals_xlsx.3000x200", render, "ms", `${wide.cells.length} cells, ${(bytes / 1e6).toFixed(1)} MB`);
put("files.render_totals_xlsx.peak_heap", (peak - heapBefore) / 1e6, "MB");
const jsonBaseline = await time(() => JSON.stringify(wide.cells), 1);
put("files.ratio.render_vs_json", render / jsonBaseline, "×", "xlsx rendering vs JSON.stringify of the same cells");
const filled = await renderWorkbook([buildFillPlan(c500, { roundId: "r", period: "2025", unit: { id: "u", name: "单位" }, current: valuesFor(c500, 9) })]);
let parsedOk = false;
const parse = await time(async () => {
  const g = await readUploadedGrid(new Uint8Array(filled));
  parsedOk = g.ok && parseFillGrid(c500, g.value.grid).ok;
}, 3);
put("files.parse_filled_template.500", parse, "ms", parsedOk ? "parsed and checked" : "PARSE FAILED");
void fillIndex;

console.log(JSON.stringify(figures));
