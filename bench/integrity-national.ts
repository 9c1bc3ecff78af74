// The integrity check at national scale (issue 27): a synthetic tree of nation → provinces → 11
// cities → 9 counties each, a round of the built-in template reported level by level (counties
// approved, cities approved by their provinces, provinces submitted to the nation), loaded into
// SQLite (node:sqlite, the real migrations), then checked slice by slice exactly as the Worker does.
// Prints JSON: time, peak heap and the largest slice for a tenth of the country and for all of it.
import { readdirSync, readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { BUILTIN_TEMPLATE, compileTemplate, countedIn, countersOf, levelValuesOf, type Counters, type ReportState, type Values } from "@tianbao/shared";
import { INTEGRITY_QUERIES, type IntegritySource, type Row } from "../worker/src/integrity/queries";
import { DEFAULT_LIMITS, runIntegrity } from "../worker/src/integrity/run";

const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();
const migrations = `${process.cwd()}/worker/migrations/`; // run from the repository root (bench/run.mjs does)

function load(provinces: number): { db: DatabaseSync; rows: number; units: number } {
  const db = new DatabaseSync(":memory:");
  for (const f of readdirSync(migrations).filter((n) => n.endsWith(".sql")).sort()) db.exec(readFileSync(`${migrations}${f}`, "utf8"));
  const now = "2026-01-01T00:00:00.000Z";
  const run = (sql: string) => { const s = db.prepare(sql); return (...p: (string | number | bigint | null)[]) => s.run(...p); };
  db.exec("BEGIN");
  const unit = run("INSERT INTO units (id, name_zh, name_en, level, parent_id, path) VALUES (?, ?, ?, ?, ?, ?)");
  unit("cn", "全国", "Nation", "province", null, "/cn/");
  db.exec(`INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at) VALUES ('b', 'b', 'admin', 'cn', 'x', 'x', 1, '${now}', '${now}')`);
  db.prepare("INSERT INTO templates (id, code, version, status, body, owner_unit_id, created_at, published_at) VALUES ('nat', 'nat', 1, 'published', ?, 'cn', ?, ?)").run(JSON.stringify(BUILTIN_TEMPLATE), now, now);
  db.exec(`INSERT INTO rounds (id, template_id, template_version, period, deadline, owner_unit_id, created_at) VALUES ('rnat', 'nat', 1, '2025', '2099-01-01T00:00:00+08:00', 'cn', '${now}')`);
  const levels = new Map<string, ReportState>();
  const counties: { id: string; path: string }[] = [];
  for (let p = 0; p < provinces; p++) {
    const pp = `/cn/p${p}/`;
    unit(`p${p}`, `省${p}`, `P${p}`, "province", "cn", pp);
    levels.set(`p${p}`, "submitted");
    for (let c = 0; c < 11; c++) {
      const cid = `p${p}c${c}`;
      unit(cid, `市${cid}`, cid, "city", `p${p}`, `${pp}${cid}/`);
      levels.set(cid, "approved");
      for (let k = 0; k < 9; k++) { const id = `${cid}k${k}`; unit(id, `县${id}`, id, "county", cid, `${pp}${cid}/${id}/`); counties.push({ id, path: `${pp}${cid}/${id}/` }); }
    }
  }
  const expect = run("INSERT INTO round_units (round_id, unit_id) VALUES ('rnat', ?)");
  const sub = run(`INSERT INTO submissions (round_id, unit_id, state, revision, first_submitted_at, updated_at, seq) VALUES ('rnat', ?, 'approved', 1, '${now}', '${now}', 2)`);
  const rev = run(`INSERT INTO revisions (round_id, unit_id, revision, comments, submitted_by, submitted_at, kind) VALUES ('rnat', ?, 1, '{}', 1, '${now}', ?)`);
  const logged = run("INSERT INTO revision_values (round_id, unit_id, revision, indicator, value) VALUES ('rnat', ?, 1, ?, ?)");
  const current = run("INSERT INTO current_values (round_id, unit_id, indicator, value) VALUES ('rnat', ?, ?, ?)");
  // revision 1 of each, a full snapshot: its values are the change log's first rows and the current values (migration 0014)
  const val = (unit: string, indicator: string, value: string) => { logged(unit, indicator, value); current(unit, indicator, value); };
  const audit = run(`INSERT INTO audit (at, action, round_id, unit_id, seq) VALUES ('${now}', 'submit', 'rnat', ?, ?)`);
  const totals = new Map<string, Counters>();
  const addTo = (k: string, c: Counters) => { const m = totals.get(k) ?? new Map<string, bigint>(); for (const [key, v] of c) m.set(key, (m.get(key) ?? 0n) + v); totals.set(k, m); };
  let x = 12345;
  const rnd = () => (x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296;
  let rows = 0;
  for (const c of counties) {
    const v: Values = {};
    for (const ind of compiled.template.indicators) {
      if (ind.kind === "count") v[ind.code] = Math.floor(rnd() * 5000);
      else if (ind.kind === "amount") v[ind.code] = (Math.floor(rnd() * 1e6) / 100).toFixed(ind.decimals ?? 2);
      else if (ind.kind === "yesno") v[ind.code] = rnd() < 0.7;
    }
    expect(c.id); sub(c.id); rev(c.id, "report"); audit(c.id, 1); audit(c.id, 2);
    for (const [k, value] of Object.entries(v)) { val(c.id, k, JSON.stringify(value)); rows++; }
    const counters = countersOf(compiled, v);
    const counted = countedIn(c.path, "approved", (id) => levels.get(id));
    for (const a of counted.standing) addTo(`${a}\u0000standing`, counters);
    for (const a of counted.accepted) addTo(`${a}\u0000approved`, counters);
  }
  const level = run(`INSERT INTO round_levels (round_id, unit_id, state, revision, seq) VALUES ('rnat', ?, ?, 1, ?)`);
  for (const [id, state] of levels) {
    const seq = state === "approved" ? 2 : 1;
    level(id, state, seq); rev(id, "level");
    for (let s = 1; s <= seq; s++) audit(id, s);
    for (const [k, value] of Object.entries(levelValuesOf(totals.get(`${id}\u0000standing`)!))) { val(id, k, JSON.stringify(value)); rows++; }
  }
  const total = run("INSERT INTO totals (round_id, unit_id, basis, key, value) VALUES ('rnat', ?, ?, ?, ?)");
  for (const [k, m] of totals) { const [id, basis] = k.split("\u0000"); for (const [key, v] of m) if (v !== 0n) { total(id!, basis!, key, v); rows++; } }
  db.exec("COMMIT");
  return { db, rows, units: counties.length + levels.size + 1 };
}

function source(db: DatabaseSync, onBatch: () => void): IntegritySource {
  const stmts = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  return {
    async batch(queries) {
      const out = queries.map((q) => {
        let s = stmts.get(q.name);
        if (!s) { s = db.prepare(INTEGRITY_QUERIES[q.name]); s.setReadBigInts(false); stmts.set(q.name, s); }
        return s.all(...q.params) as Row[];
      });
      onBatch();
      return out;
    },
  };
}

async function measure(provinces: number, sampleMemory: boolean) {
  const { db, rows, units } = load(provinces);
  const gc = sampleMemory ? (globalThis as { gc?: () => void }).gc ?? (() => undefined) : () => undefined;
  // live heap above the loaded database while a batch's rows are held (collected first: what a Worker's
  // 128 MB must hold, not the garbage a roomy Node heap leaves lying about), the peak per invocation
  let base = 0, peak = 0, peakMB = 0;
  const src = source(db, () => { if (!sampleMemory) return; gc(); peak = Math.max(peak, process.memoryUsage().heapUsed); });
  const t0 = performance.now();
  let cursor = "";
  let invocations = 0, problems = 0, slices = 0, maxRows = 0, maxUnits = 0;
  for (;;) {
    gc();
    base = peak = process.memoryUsage().heapUsed;
    const r = await runIntegrity(src, "/", new Date(), cursor, DEFAULT_LIMITS);
    invocations++;
    peakMB = Math.max(peakMB, (peak - base) / 2 ** 20);
    problems += r.problems.length;
    slices += r.work.length;
    for (const w of r.work) { maxRows = Math.max(maxRows, w.rows); maxUnits = Math.max(maxUnits, w.units); }
    if (r.complete) break;
    cursor = r.next!;
  }
  const ms = performance.now() - t0;
  db.close();
  return { units, rows, ms, peakMB, invocations, slices, maxRows, maxUnits, problems };
}

// timed without sampling (a collection per batch would be timed too); memory in a second pass
const [small, large] = [await measure(3, false), await measure(31, false)];
small.peakMB = (await measure(3, true)).peakMB;
large.peakMB = (await measure(31, true)).peakMB;
console.log(JSON.stringify({ small, large, dataRatio: large.rows / small.rows, timeRatio: large.ms / small.ms, memoryRatio: large.peakMB / small.peakMB }));
