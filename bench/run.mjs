#!/usr/bin/env node
// npm run bench: measures what matters, each timing also as a ratio against a baseline measured in
// the same run (these machines are shared and noisy). Prints one table; writes bench/results.json.
// Bounded: every load phase runs for a fixed few seconds on loopback.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { build } from "esbuild";
import autocannon from "autocannon";
import { syntheticTemplate } from "../shared/src/demo/synthetic.ts";

const root = new URL("../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "tianbao-bench-"));
const results = {};
const put = (name, value, unit, note) => { results[name] = { value: Number(Number(value).toFixed(3)), unit, ...(note ? { note } : {}) }; };
// the list bench's rows (issue 25): a 统一社会信用代码 with its check character (GB 32100-2015), money as cents
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const uscc = (first17) => `${first17}${USCC_CHARS[(31 - ([...first17].reduce((n, ch, i) => n + USCC_CHARS.indexOf(ch) * USCC_WEIGHTS[i], 0) % 31)) % 31]}`;
const cents = (c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}\n${r.stderr || r.stdout}`);
  return r.stdout;
};
const bundle = async (entry, out) => {
  await build({ entryPoints: [join(root, entry)], outfile: join(work, out), bundle: true, platform: "node", format: "esm", target: "node22", logLevel: "error",
    banner: { js: "import { createRequire as __tianbaoRequire } from 'node:module'; const require = __tianbaoRequire(import.meta.url);" } });
  return join(work, out);
};

// 6. Bundles.
run(process.execPath, ["scripts/build-addin.mjs", "--quiet"]);
const sizes = JSON.parse(readFileSync(join(root, "addin/dist/bundle-sizes.json"), "utf8"));
put("bundle.commands.gzip", sizes.commandsGzipBytes / 1024, "KiB", "what a ribbon click loads");
put("bundle.taskpane.gzip", sizes.taskpaneGzipBytes / 1024, "KiB", "the whole pane: scripts, CSS, HTML");

// 1, 4, 5. In-process figures.
console.error("bench: round trips, shared core, files …");
Object.assign(results, JSON.parse(run(process.execPath, [await bundle("bench/in-process.ts", "in-process.mjs")])));

// 8. The integrity check at national scale (issue 27), in slices as the Worker runs it, against a tenth of the country.
console.error("bench: the integrity check, a tenth of the country and all of it …");
const nat = JSON.parse(run(process.execPath, ["--expose-gc", "--no-warnings", await bundle("bench/integrity-national.ts", "integrity-national.mjs")]));
put("integrity.tenth.ms", nat.small.ms, "ms", `3 provinces × 11 × 9: ${nat.small.units} units, ${nat.small.rows} rows`);
put("integrity.national.ms", nat.large.ms, "ms", `31 provinces × 11 × 9: ${nat.large.units} units, ${nat.large.rows} rows; ${nat.large.invocations} invocations, ${nat.large.slices} slices`);
put("integrity.ratio.time_vs_data", nat.timeRatio / nat.dataRatio, "×", `time ${nat.timeRatio.toFixed(2)}× for ${nat.dataRatio.toFixed(2)}× the data; target ≤ 1 (linear)`);
put("integrity.tenth.peak_heap", nat.small.peakMB, "MB", "live heap while a slice's rows are held");
put("integrity.national.peak_heap", nat.large.peakMB, "MB", `ratio ${nat.memoryRatio.toFixed(2)}×: bounded by the slice, not the data`);
put("integrity.national.max_slice_rows", nat.large.maxRows, "rows", `largest slice, ${nat.large.maxUnits} expected units (limit 500 a slice, 2,000 an invocation)`);
put("integrity.national.problems", nat.large.problems, "count", "a consistent database: must be 0");

// 3. The synthetic province, bulk-loaded into a fresh local D1 (same tables), then the Worker.
console.error("bench: loading the synthetic province (3,000 counties × 200 indicators) …");
const state = join(work, "d1");
run("npx", ["wrangler", "d1", "migrations", "apply", "tianbao", "--local", "--persist-to", state]);
run(process.execPath, [await bundle("bench/province.ts", "province.mjs"), join(work, "province.sql"), join(work, "reference.json")]);
let t = performance.now();
run("npx", ["wrangler", "d1", "execute", "tianbao", "--local", "--persist-to", state, "--file", join(work, "province.sql")]);
const reference = JSON.parse(readFileSync(join(work, "reference.json"), "utf8"));
put("load.province.seconds", (performance.now() - t) / 1000, "s", `${reference.rows.values} values, ${reference.rows.totals} counter rows`);

const port = await new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const base = `http://127.0.0.1:${port}`;
const dev = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--var", "DEMO_SEED:on", "--var", "D1_METER:on", "--show-interactive-dev-session=false", "--log-level", "error"], { cwd: root, stdio: "ignore", detached: true });
const stop = () => { try { process.kill(-dev.pid, "SIGTERM"); } catch { /* gone */ } };
process.on("exit", stop);
try {
  for (let i = 0; i < 300; i++) { try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ } await new Promise((r) => setTimeout(r, 300)); }
  await fetch(`${base}/api/demo/seed`, { method: "POST" });
  const login = async (username, password = "demo-password") => (await (await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) })).json()).token;
  const call = async (token, method, path, body) => { const r = await fetch(`${base}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body && JSON.stringify(body) }); return { status: r.status, body: await r.json().catch(() => null) }; };

  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timeReads = async (token, path, n = 40) => { const s = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); const r = await fetch(`${base}/api${path}`, { headers: { authorization: `Bearer ${token}` } }); await r.arrayBuffer(); s.push(performance.now() - t0); } return median(s); };
  const prov = await login("bench.province", "bench-password");
  const city = await login("bench.city", "bench-password");
  await timeReads(prov, "/rounds/rbench/totals", 5); // warm up
  const provinceMs = await timeReads(prov, "/rounds/rbench/totals");
  const cityMs = await timeReads(city, "/rounds/rbench/totals");
  put("totals.read.province_3000", provinceMs, "ms", "1 province, 11 cities, 3,000 counties");
  put("totals.read.city_10", cityMs, "ms", "a city with 10 counties");
  put("totals.ratio.province_vs_10_counties", provinceMs / cityMs, "×", "target ≤ 2 (incremental totals)");
  const provView = (await call(prov, "GET", "/rounds/rbench/totals")).body;
  const cityView = (await call(city, "GET", "/rounds/rbench/totals")).body;
  const equal = JSON.stringify(provView.totals) === JSON.stringify(reference.province) && JSON.stringify(cityView.totals) === JSON.stringify(reference.city10);
  put("totals.equal_to_reference", equal ? 1 : 0, "bool", "API totals vs shared aggregateReports");
  // issue 24: the same province with 同比 columns on its first table, like with like at every level
  await timeReads(prov, "/rounds/rbenchy/totals", 5);
  const provinceYoyMs = await timeReads(prov, "/rounds/rbenchy/totals");
  put("totals.read.province_3000_yoy", provinceYoyMs, "ms", `同比 on 15 figures: ${reference.yoy.counters} counter rows (${reference.yoy.plainCounters} without)`);
  put("totals.ratio.yoy_vs_plain", provinceYoyMs / provinceMs, "×", "the same province's totals with 同比 against without; target ≈ 1");
  const yoyProv = (await call(prov, "GET", "/rounds/rbenchy/totals")).body;
  const yoyCity = (await call(city, "GET", "/rounds/rbenchy/totals")).body;
  put("totals.yoy_equal_to_reference", JSON.stringify(yoyProv.totals) === JSON.stringify(reference.yoy.province) && JSON.stringify(yoyCity.totals) === JSON.stringify(reference.yoy.city10) ? 1 : 0, "bool", "同比 totals (like with like) vs shared aggregateReports");

  // 2. Submit path under load: a 200-indicator submission, each client its own unit, vs GET /api/me.
  console.error("bench: submit path under load …");
  const admin = await login("admin");
  const tpl = syntheticTemplate(200, "load200");
  await call(admin, "POST", "/templates", { template: { ...tpl, version: undefined, status: undefined } });
  await call(admin, "POST", "/templates/load200/1/publish");
  const loadUnits = Array.from({ length: 96 }, (_, k) => `load${k}`); // three times the most clients, so no unit is written twice at once
  for (const id of [...loadUnits, "meter200"]) await call(admin, "POST", "/units", { id, name: { zh: `压测${id}`, en: id }, level: "county", parentId: "jincheng" });
  await call(admin, "POST", "/rounds", { id: "rload", templateId: "load200", templateVersion: 1, period: "2031", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: [...loadUnits, "meter200"] });
  const values = {};
  tpl.indicators.forEach((ind, i) => { if (ind.kind === "count") values[ind.code] = i + 1; else if (ind.kind === "amount") values[ind.code] = `${i}.50`; else if (ind.kind === "yesno") values[ind.code] = i % 2 === 0; });

  // 7. D1 rows read and written per operation (what Cloudflare bills), from D1's result metadata.
  console.error("bench: D1 rows per operation …");
  const metered = async (token, method, path, body, headers = {}) => {
    const r = await fetch(`${base}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, body: body && JSON.stringify(body) });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 500)}`);
    return { read: Number(r.headers.get("x-d1-rows-read")), written: Number(r.headers.get("x-d1-rows-written")), queries: Number(r.headers.get("x-d1-queries")) };
  };
  const rows = (name, m, note) => {
    put(`d1.${name}.rows_read`, m.read, "rows");
    put(`d1.${name}.rows_written`, m.written, "rows", note);
    put(`d1.${name}.queries`, m.queries, "count");
  };
  const zz = await login("zezhou");
  const demo36 = (await import("../shared/src/demo/jincheng.ts")).DEMO_PAST_VALUES.zezhou;
  const changed5 = (v) => { const out = { ...v }; let n = 0; for (const [k, x] of Object.entries(v)) { if (n < 5 && typeof x === "number") { out[k] = x + 1; n++; } } return out; };
  rows("submit36.first", await metered(zz, "PUT", "/rounds/r2025/submissions/zezhou", { values: demo36, acknowledgeWarnings: true }, { "if-match": '"0"' }), "36 inputs, 3 ancestors");
  rows("submit36.resubmit5", await metered(zz, "PUT", "/rounds/r2025/submissions/zezhou", { values: changed5(demo36), acknowledgeWarnings: true }, { "if-match": '"1"' }), "5 values changed; target: the 5 changed values + a constant per ancestor");
  rows("submit200.first", await metered(admin, "PUT", "/rounds/rload/submissions/meter200", { values }, { "if-match": '"0"' }), "200 indicators");
  rows("submit200.resubmit5", await metered(admin, "PUT", "/rounds/rload/submissions/meter200", { values: changed5(values) }, { "if-match": '"1"' }), "5 values changed");
  // issue 23: a revision stores only the cells that changed, so correcting one figure costs the same on a form of 200
  // cells as on one of 2,000 (a grid of 200 rows × 10 columns)
  const changed1 = (v) => { const k = Object.keys(v).find((c) => typeof v[c] === "number"); return { ...v, [k]: v[k] + 1 }; };
  rows("submit200.resubmit1", await metered(admin, "PUT", "/rounds/rload/submissions/meter200", { values: changed1(changed5(values)) }, { "if-match": '"2"' }), "1 value changed; target: a constant, the same as for 2,000 cells");
  const name = (zh, en) => ({ zh, en });
  const grid = {
    id: "grid2000", name: name("两千格", "2,000 cells"), periodType: "annual", sections: [{ code: "s1", name: name("基本", "Basics") }],
    indicators: [{ code: "head", section: "s1", kind: "count", name: name("人数", "Staff") }],
    form: { tables: [
      { kind: "list", code: "basic", formNo: "1表", name: name("基本", "Basics"), sections: ["s1"] },
      { kind: "grid", code: "g", formNo: "2表", name: name("明细", "Detail"), required: false,
        rows: Array.from({ length: 200 }, (_, r) => ({ code: `r${r}`, name: name(`行${r}`, `Row ${r}`) })),
        columns: Array.from({ length: 10 }, (_, k) => ({ code: `c${k}`, name: name(`列${k}`, `Col ${k}`), ...(k % 2 === 0 ? { kind: "count" } : { kind: "amount", unit: "万元", decimals: 2 }) })) },
    ] },
  };
  await call(admin, "POST", "/templates", { template: grid });
  await call(admin, "POST", "/templates/grid2000/1/publish");
  await call(admin, "POST", "/units", { id: "meter2000", name: { zh: "压测两千格", en: "meter2000" }, level: "county", parentId: "jincheng" });
  await call(admin, "POST", "/rounds", { id: "rgrid", templateId: "grid2000", templateVersion: 1, period: "2032", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["meter2000"] });
  const cells = { head: 7 };
  for (let r = 0; r < 200; r++) for (let k = 0; k < 10; k++) cells[`g_r${r}_c${k}`] = k % 2 === 0 ? r * 10 + k : `${r}.${k}5`;
  rows("submit2000.first", await metered(admin, "PUT", "/rounds/rgrid/submissions/meter2000", { values: cells }, { "if-match": '"0"' }), "2,001 cells: each written to the change log and to the current values");
  rows("submit2000.resubmit1", await metered(admin, "PUT", "/rounds/rgrid/submissions/meter2000", { values: changed1(cells) }, { "if-match": '"1"' }), "1 value changed; target: a constant, the same as for 200 cells");
  rows("approve", await metered(await login("shenhe"), "POST", "/rounds/r2025/submissions/zezhou/approve", {}), "moves the counters from standing to approved");
  rows("totals.read", await metered(admin, "GET", "/rounds/r2025/totals"), "a city of 7 units");
  // issue 24: a submission whose 上年同期 is looked up (the demo's 质兴3表, 2024 approved), and an approval of a
  // correction of last year that carries it to this year's report
  await call(admin, "POST", "/rounds", { id: "ryoybench", templateId: "quality_city_yoy", templateVersion: 1, period: "2025", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] });
  // the county's approved 2024 figures, as the demo seeded them
  const y2024 = (await call(admin, "GET", "/rounds/ryoy2024/submissions/zezhou")).body;
  const scaled = (f) => Object.fromEntries(Object.entries(y2024.values).map(([k, v]) => [k, v === null ? null : (Number(v) * f).toFixed(2)]));
  const grown = scaled(1.1);
  rows("submit.yoy", await metered(zz, "PUT", "/rounds/ryoybench/submissions/zezhou", { values: grown, acknowledgeWarnings: true }, { "if-match": '"0"' }), "the 上年同期 looked up: last year's approved report, one statement");
  await call(admin, "POST", "/rounds/ryoy2024/reopen", { unitId: "zezhou", reason: "更正" });
  await metered(zz, "PUT", "/rounds/ryoy2024/submissions/zezhou", { values: scaled(0.9), acknowledgeWarnings: true }, { "if-match": `"${y2024.revision}"` });
  rows("approve.follow", await metered(admin, "POST", "/rounds/ryoy2024/submissions/zezhou/approve", {}), "approving a correction of last year: this year's report follows (a revision of its 上年同期, its counters)");
  rows("export.xlsx", await metered(admin, "GET", "/rounds/r2025/export.xlsx"), "the city's aggregate workbook");
  // issue 25: a 2,000-row detail list (the demo's 质兴4表附表), its first submission, a correction of one row and a
  // row inserted at the top (every row after it moves: stored by position)
  await call(admin, "POST", "/rounds", { id: "rlistbench", templateId: "quality_city_brands", templateVersion: 1, period: "2025", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] });
  const producer = (i, output = "1.00") => ({ firm: `企业${i}`, uscc: uscc(`91140525MA0${String(i).padStart(5, "0")}A`), product: "焦炭", level: "sx", output, tax: "0.10", exports: 10 });
  const listOf = (rows) => ({ lists: { producers: rows }, values: { sx_products: rows.length, brand_output: cents(rows.reduce((s, r) => s + Math.round(Number(r.output) * 100), 0)), brand_tax: cents(rows.length * 10), brand_exports: rows.length * 10 }, acknowledgeWarnings: true });
  const list2000 = Array.from({ length: 2000 }, (_, i) => producer(i + 1));
  rows("submit.list2000.first", await metered(zz, "PUT", "/rounds/rlistbench/submissions/zezhou", listOf(list2000), { "if-match": '"0"' }), "a 2,000-row list: each row written to the change log and the current list");
  const corrected = list2000.map((r, i) => (i === 1233 ? producer(i + 1, "2.00") : r));
  rows("submit.list2000.correct1", await metered(zz, "PUT", "/rounds/rlistbench/submissions/zezhou", listOf(corrected), { "if-match": '"1"' }), "one row of 2,000 corrected; target: a constant (the row, its figures, the counters)");
  // (the list is at its 2,000 rows: the last one goes)
  const inserted = [producer(9999), ...corrected.slice(0, 1999)];
  rows("submit.list2000.insertTop", await metered(zz, "PUT", "/rounds/rlistbench/submissions/zezhou", listOf(inserted), { "if-match": '"2"' }), "a row inserted at the top: every row after it moves (stored by position)");
  const body = JSON.stringify({ values });
  put("submit.body_bytes", body.length, "B", "200 indicators");
  // autocannon resets a connection's context each time its request list loops, so the revision each
  // unit is at is kept here; units go round-robin over three times as many units as clients.
  let next = 0;
  const revs = new Map();
  const load = (connections, requests) => new Promise((resolve, reject) => {
    const inst = autocannon({ url: base, connections, duration: 4, requests }, (err, res) => (err ? reject(err) : resolve(res)));
    void inst;
  });
  for (const connections of [1, 8, 32]) {
    const me = await load(connections, [{ method: "GET", path: "/api/me", headers: { authorization: `Bearer ${admin}` } }]);
    const submit = await load(connections, [{
      method: "PUT",
      setupRequest: (req) => {
        const unit = loadUnits[next++ % loadUnits.length];
        return { ...req, path: `/api/rounds/rload/submissions/${unit}`, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", "if-match": `"${revs.get(unit) ?? 0}"` }, body };
      },
      onResponse: (status, resBody) => {
        const b = JSON.parse(resBody);
        if (status < 300) revs.set(b.unitId, b.revision);
      },
    }]);
    next = 0;
    put(`noop.c${connections}.rps`, me.requests.average, "req/s");
    put(`noop.c${connections}.p99`, me.latency.p99, "ms");
    put(`submit.c${connections}.rps`, submit.requests.average, "req/s");
    put(`submit.c${connections}.p50`, submit.latency.p50, "ms");
    put(`submit.c${connections}.p99`, submit.latency.p99, "ms", connections === 8 ? "target < 50 ms" : undefined);
    put(`submit.c${connections}.errors`, submit.errors + submit.non2xx, "count", `of ${submit.requests.total}; statuses ${JSON.stringify(Object.fromEntries(Object.entries(submit.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])))}`);
    put(`submit.c${connections}.ratio_vs_noop`, submit.requests.average / me.requests.average, "×");
  }
} finally {
  stop();
}

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
writeFileSync(join(root, "bench/results.json"), JSON.stringify({ machine, results }, null, 2));
const width = Math.max(...Object.keys(results).map((k) => k.length));
console.log(`\nTianbao benchmarks — ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}\n`);
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(width)}  ${String(v.value).padStart(10)} ${v.unit.padEnd(6)} ${v.note ?? ""}`);
rmSync(work, { recursive: true, force: true });
