import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, aggregateReports, type TotalsView,
} from "@tianbao/shared";
import { readCountedValues } from "../src/db/submissions";
import { api, ensureDemo, env, json, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();
beforeAll(async () => { await ensureDemo(); });

const action = fc.record({
  unit: fc.constantFrom(...DEMO_REPORTING_UNITS),
  kind: fc.constantFrom("submit", "submit", "submit", "return", "approve", "reopen"),
  source: fc.constantFrom(...DEMO_REPORTING_UNITS),
  blank: fc.constantFrom(null, "work_funds", "products", "remarks"),
  stale: fc.boolean(),
});

describe("incremental totals", () => {
  it("equal the shared reference aggregation after random submit / resubmit / return / approve / reopen", async () => {
    const admin = await login("admin");
    let round = 0;
    let steps = 0;
    let refused = 0;
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 10 }), async (actions) => {
      const roundId = `rnd${++round}`;
      const created = await api("/rounds", { method: "POST", token: admin, json: { id: roundId, templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: String(2030 + round), deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: [...DEMO_REPORTING_UNITS] } });
      expect(created.status).toBe(201);
      for (const a of actions) {
        const url = `/rounds/${roundId}/submissions/${a.unit}`;
        let res: Response;
        if (a.kind === "submit") {
          const current = await json<{ revision: number }>(await api(url, { token: admin }));
          const values = { ...DEMO_PAST_VALUES[a.source]!, ...(a.blank ? { [a.blank]: null } : {}) };
          res = await api(url, { method: "PUT", token: admin, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${current.revision - (a.stale ? 1 : 0)}"` } });
        } else if (a.kind === "reopen") {
          res = await api(`/rounds/${roundId}/reopen`, { method: "POST", token: admin, json: { unitId: a.unit } });
        } else {
          res = await api(`${url}/${a.kind}`, { method: "POST", token: admin, json: a.kind === "return" ? { comment: "请核实" } : {} });
        }
        expect(res.status, await res.clone().text()).toBeLessThan(500);
        if (res.status >= 400) refused++;
        steps++;
        for (const basis of ["standing", "approved"] as const) {
          const view = await json<TotalsView>(await api(`/rounds/${roundId}/totals?basis=${basis}`, { token: admin }));
          const counted = await readCountedValues(env.DB, roundId, "/shanxi/jincheng/", basis);
          expect(view.totals).toEqual(aggregateReports(compiled, [...counted].map(([unitId, values]) => ({ unitId, values }))));
          const child = view.children.find((c) => c.unitId === a.unit)!;
          expect(child.totals).toEqual(aggregateReports(compiled, counted.has(a.unit) ? [{ unitId: a.unit, values: counted.get(a.unit)! }] : []));
        }
      }
    }), { numRuns: 12 });
    expect(steps).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(0); // the sequences include refused moves (stale, return of nothing…)
    expect(refused).toBeLessThan(steps);
  });

  it("reads a province's totals from the same counters as its city's", async () => {
    const token = await login("admin");
    const view = await json<TotalsView>(await api("/rounds/r2024/totals?basis=approved", { token }));
    const rows = await env.DB.prepare("SELECT unit_id FROM totals WHERE round_id = 'r2024' AND basis = 'approved' GROUP BY unit_id").all<{ unit_id: string }>();
    expect(rows.results.map((r) => r.unit_id).sort()).toEqual(["shanxi", "jincheng", ...DEMO_REPORTING_UNITS].sort());
    expect(view.totals.indicators.products).toMatchObject({ value: "2570", reported: 7 });
  });
});
