import { expect } from "vitest";
import {
  CompletenessSchema, TotalsViewSchema, aggregateReports, reportsCountedAt,
  type CompiledTemplate, type LeafReport, type ReportState, type Values,
} from "@tianbao/shared";
import { checkIntegrity } from "../src/integrity/d1";
import { api, env, json } from "./helpers";

/** A round as stored: every expected unit's report (state and current figures) and every review level's state. */
export async function readStoredRound(roundId: string): Promise<{ leaves: LeafReport[]; levels: Map<string, { path: string; state: ReportState }>; paths: Map<string, string> }> {
  const [leafRows, valueRows, levelRows, unitRows] = await env.DB.batch([
    env.DB.prepare(`SELECT ru.unit_id, u.path, COALESCE(s.state, 'not_started') AS state FROM round_units ru JOIN units u ON u.id = ru.unit_id
      LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id WHERE ru.round_id = ?`).bind(roundId),
    env.DB.prepare(`SELECT s.unit_id, cv.indicator, cv.value FROM submissions s
      JOIN current_values cv ON cv.round_id = s.round_id AND cv.unit_id = s.unit_id WHERE s.round_id = ?`).bind(roundId),
    env.DB.prepare("SELECT l.unit_id, u.path, COALESCE(l.state, 'not_started') AS state FROM round_levels l JOIN units u ON u.id = l.unit_id WHERE l.round_id = ?").bind(roundId),
    env.DB.prepare("SELECT id, path FROM units"),
  ]);
  const values = new Map<string, Values>();
  for (const r of valueRows!.results as { unit_id: string; indicator: string; value: string }[]) {
    values.set(r.unit_id, { ...(values.get(r.unit_id) ?? {}), [r.indicator]: JSON.parse(r.value) as Values[string] });
  }
  const leaves = (leafRows!.results as { unit_id: string; path: string; state: ReportState }[]).map((r) => ({ unitId: r.unit_id, path: r.path, state: r.state, values: values.get(r.unit_id) ?? {} }));
  const levels = new Map((levelRows!.results as { unit_id: string; path: string; state: ReportState }[]).map((r) => [r.unit_id, { path: r.path, state: r.state }]));
  const paths = new Map((unitRows!.results as { id: string; path: string }[]).map((r) => [r.id, r.path]));
  return { leaves, levels, paths };
}

/**
 * The totals the API gives at each unit, on both bases — the unit's own and every child's row — equal
 * the shared reference aggregation of the stored reports that count there; completeness at each
 * unit names the stored state of every expected unit and review level below it; and the integrity
 * check finds nothing. Returns how many comparisons were made.
 */
export async function expectEveryLevelMatches(compiled: CompiledTemplate, roundId: string, token: string, unitIds: readonly string[]): Promise<number> {
  const stored = await readStoredRound(roundId);
  const levelState = (id: string) => stored.levels.get(id)?.state;
  let compared = 0;
  for (const unitId of unitIds) {
    const path = stored.paths.get(unitId)!;
    for (const basis of ["standing", "approved"] as const) {
      const res = await api(`/rounds/${roundId}/totals?unit=${unitId}&basis=${basis}`, { token });
      expect(res.status).toBe(200);
      const view = TotalsViewSchema.parse(await res.json());
      expect(view.totals, `${unitId} ${basis}`).toEqual(aggregateReports(compiled, reportsCountedAt(stored.leaves, levelState, path, basis)));
      for (const child of view.children) {
        const within = stored.leaves.filter((l) => l.path.startsWith(stored.paths.get(child.unitId)!));
        expect(child.totals, `${unitId} ${basis} row ${child.unitId}`).toEqual(aggregateReports(compiled, reportsCountedAt(within, levelState, path, basis)));
        compared++;
      }
      compared++;
    }
    const res = await api(`/rounds/${roundId}/completeness?unit=${unitId}`, { token });
    expect(res.status).toBe(200);
    const c = CompletenessSchema.parse(await res.json());
    const below = stored.leaves.filter((l) => l.path.startsWith(path));
    expect(Object.fromEntries(c.units.map((u) => [u.unitId, u.state]))).toEqual(Object.fromEntries(below.map((l) => [l.unitId, l.state])));
    const count = (s: readonly ReportState[], list = below) => list.filter((l) => s.includes(l.state)).length;
    expect(c).toMatchObject({ expected: below.length, submitted: count(["submitted", "approved"]), approved: count(["approved"]), returned: count(["returned"]), notStarted: count(["not_started"]) });
    const levels = [...stored.levels].filter(([, l]) => l.path.startsWith(path));
    expect((c.levels ?? []).map((l) => [l.unitId, l.state]).sort()).toEqual(levels.map(([id, l]) => [id, l.state]).sort());
    for (const l of c.levels ?? []) {
      const mine = stored.leaves.filter((x) => x.path.startsWith(stored.levels.get(l.unitId)!.path));
      expect(l, `${unitId} level ${l.unitId}`).toMatchObject({ expected: mine.length, submitted: count(["submitted", "approved"], mine), approved: count(["approved"], mine), returned: count(["returned"], mine) });
    }
    compared++;
  }
  const integrity = await checkIntegrity(env.DB, "/", new Date());
  expect(integrity.problems.map((p) => `[${p.kind}] ${p.roundId ?? "-"} ${p.unitId ?? "-"}: ${p.message.en}`)).toEqual([]);
  return compared;
}

/** GET /api/integrity as an administrator: nothing to report. */
export async function expectIntegrityRoute(token: string): Promise<void> {
  const report = await json<{ problems: unknown[] }>(await api("/integrity", { token }));
  expect(report.problems).toEqual([]);
}
