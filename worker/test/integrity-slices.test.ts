import { beforeAll, describe, expect, it } from "vitest";
import { api, ensureDemo, env, json, login } from "./helpers";
import { checkIntegrity, checkIntegritySlice } from "../src/integrity/d1";
import { integrityCron } from "../src/integrity/cron";
import type { IntegrityReport } from "../src/integrity/run";
import { seedProvinceDemo } from "../src/demo/seed";

// Issue 27: the integrity check runs in slices that each fit one Worker invocation. Bounded by
// counts, never by a clock: expected units per slice, units per invocation, rows read per slice.
const SMALL = { sliceUnits: 2, unitsPerCall: 3 };

async function slicedRun(limits = SMALL): Promise<IntegrityReport[]> {
  const calls: IntegrityReport[] = [];
  let cursor = "";
  for (let i = 0; i < 500; i++) {
    const r = await checkIntegritySlice(env.DB, "/", new Date(), cursor, limits);
    calls.push(r);
    if (r.complete) return calls;
    cursor = r.next!;
  }
  throw new Error("the sliced check never finished");
}
const problemKeys = (calls: IntegrityReport[]) => calls.flatMap((c) => c.problems.map((p) => `${p.kind}:${p.roundId ?? "-"}:${p.unitId ?? "-"}`)).sort();

beforeAll(async () => { await ensureDemo(); await seedProvinceDemo(env.DB); });

describe("the integrity check in slices (issue 27)", () => {
  it("bounds one invocation's work by a count: at most sliceUnits expected units per slice, unitsPerCall per invocation, rows per slice by the units in it", async () => {
    const calls = await slicedRun();
    expect(calls.length).toBeGreaterThan(3);
    const keys = await env.DB.prepare("SELECT MAX(n) AS n FROM (SELECT COUNT(*) AS n FROM totals GROUP BY round_id, unit_id, basis)").first<{ n: number }>();
    const indicators = await env.DB.prepare("SELECT MAX(n) AS n FROM (SELECT COUNT(*) AS n FROM revision_values GROUP BY round_id, unit_id, revision)").first<{ n: number }>();
    const transitions = await env.DB.prepare("SELECT MAX(seq) AS n FROM audit").first<{ n: number }>();
    // a slice holds its expected units and at most as many review levels; each unit reads its path, state, revision,
    // transitions, one revision's values and two bases of counters
    const perUnit = 6 + transitions!.n + indicators!.n + 2 * keys!.n;
    for (const c of calls) {
      const chunks = c.work.filter((w) => w.roundId !== null && w.slice > 0);
      for (const w of chunks) {
        expect(w.units, `${w.roundId}/${w.slice}`).toBeLessThanOrEqual(SMALL.sliceUnits);
        expect(w.rows, `${w.roundId}/${w.slice}`).toBeLessThanOrEqual(2 * Math.max(w.units, 1) * perUnit);
      }
      expect(c.work.reduce((n, w) => n + w.units, 0)).toBeLessThan(SMALL.unitsPerCall + SMALL.sliceUnits + 4);
    }
    const province = calls.flatMap((c) => c.work).filter((w) => w.roundId === "p2025");
    expect(province.length).toBe(province[0]!.of); // every slice of the province's round, once
    expect(province.length).toBeGreaterThan(3);
    console.log(`integrity slices: ${calls.length} invocations, ${calls.flatMap((c) => c.work).length} slices, largest ${Math.max(...calls.flatMap((c) => c.work.map((w) => w.rows)))} rows (bound ${2 * SMALL.sliceUnits * perUnit})`);
  });

  it("finds what the whole check finds, slice by slice: nothing in a consistent database, a tampered county total and a tampered city total above its chunks", async () => {
    expect(problemKeys(await slicedRun())).toEqual([]);
    const bump = (unit: string, d: number) => env.DB.prepare("UPDATE totals SET value = value + ?1 WHERE round_id = 'p2025' AND unit_id = ?2 AND basis = 'standing' AND key = '#units'").bind(d, unit).run();
    for (const unit of ["zezhou", "jincheng"]) {
      await bump(unit, 1);
      try {
        const sliced = problemKeys(await slicedRun());
        const whole = problemKeys([await checkIntegrity(env.DB, "/", new Date(), { sliceUnits: 5_000, unitsPerCall: 1e9 })]);
        expect(sliced, unit).toContain(`totals:p2025:${unit}`);
        expect(whole, unit).toContain(`totals:p2025:${unit}`);
      } finally {
        await bump(unit, -1);
      }
    }
  });

  it("the route says where it stopped and continues from its cursor; a malformed cursor is refused", async () => {
    const admin = await login("sheng");
    const first = await json<IntegrityReport>(await api("/integrity", { token: admin }));
    expect(first).toMatchObject({ complete: true, next: null, problems: [] });
    const bad = await api("/integrity?cursor=x%27%3B--", { token: admin });
    expect(bad.status).toBe(422);
    const mid = await json<IntegrityReport>(await api("/integrity?cursor=p2025/1", { token: admin }));
    expect(mid.work[0]).toMatchObject({ roundId: "p2025", slice: 1 });
  });

  it("the daily trigger starts a run and the next triggers continue it until it is complete", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => { lines.push(args.map(String).join(" ")); };
    try {
      await integrityCron(env.DB, new Date(), true, SMALL);
      for (let i = 0; i < 200 && !lines.some((l) => l.includes('"integrity":"ok"')); i++) await integrityCron(env.DB, new Date(), false, SMALL);
      const count = lines.length;
      await integrityCron(env.DB, new Date(), false, SMALL); // a finished run is not run again until the next day
      expect(lines.length).toBe(count);
    } finally {
      console.log = log;
    }
    const states = lines.map((l) => (JSON.parse(l) as { integrity: string }).integrity);
    expect(states.slice(0, -1).every((s) => s === "continues")).toBe(true);
    expect(states.at(-1)).toBe("ok");
    expect(states.length).toBeGreaterThan(2);
  });
});
