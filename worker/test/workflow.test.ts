import { beforeAll, describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, aggregateReports, type TotalsView, type SubmissionView,
} from "@tianbao/shared";
import { readCountedValues } from "../src/db/submissions";
import { api, ensureDemo, env, json, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();

/** The totals the API reports must equal the shared reference aggregation of the stored latest figures. */
async function expectTotalsMatchReference(roundId: string, basis: "standing" | "approved") {
  const token = await login("admin");
  const view = await json<TotalsView>(await api(`/rounds/${roundId}/totals?basis=${basis}`, { token }));
  const counted = await readCountedValues(env.DB, roundId, "/shanxi/jincheng/", basis);
  const reference = aggregateReports(compiled, [...counted].map(([unitId, values]) => ({ unitId, values })));
  expect(view.totals).toEqual(reference);
  return view;
}

beforeAll(async () => { await ensureDemo(); });

describe("the demo: a county reports, the city returns it, the county fixes it, the city approves", () => {
  it("runs end to end with totals and completeness right at every step", async () => {
    const county = await login("zezhou");
    const city = await login("admin");

    const rounds = await json<{ id: string; templateId: string; closed: boolean }[]>(await api("/rounds", { token: county }));
    // the built-in report's rounds (the demo also has 同比 and monthly rounds, issue 24)
    expect(rounds.filter((r) => r.templateId === BUILTIN_TEMPLATE.id).map((r) => r.id)).toEqual(["r2025", "r2024"]);
    expect(rounds.map((r) => r.id)).toEqual(expect.arrayContaining(["ryoy2024", "rmon2025_01", "rmon2025_03"]));
    const template = await json<{ indicators: unknown[] }>(await api(`/templates/${BUILTIN_TEMPLATE.id}/1`, { token: county }));
    expect(template.indicators).toHaveLength(BUILTIN_TEMPLATE.indicators.length);

    const url = "/rounds/r2025/submissions/zezhou";
    const start = await api(url, { token: county });
    expect(start.headers.get("etag")).toBe('"0"');

    const values = { ...DEMO_PAST_VALUES.zezhou!, products: 520 };
    const first = await api(url, { method: "PUT", token: county, headers: { "if-match": '"0"', "idempotency-key": "zezhou-2025-a" }, json: { values } });
    expect(first.status).toBe(201);
    const firstView = await json<SubmissionView>(first);
    expect(firstView).toMatchObject({ state: "submitted", revision: 1 });
    expect(firstView.derived.std_coverage_rate).toBe("87.50");
    let totals = await expectTotalsMatchReference("r2025", "standing");
    expect(totals.totals.indicators.products).toMatchObject({ value: "520", reported: 1 });

    const second = await api(url, { method: "PUT", token: county, headers: { "if-match": '"1"', "idempotency-key": "zezhou-2025-b" }, json: { values: { ...values, products: 530 } } });
    expect(second.status).toBe(200);
    totals = await expectTotalsMatchReference("r2025", "standing");
    expect(totals.totals.indicators.products).toMatchObject({ value: "530", reported: 1 });

    const back = await api(`${url}/return`, { method: "POST", token: city, json: { comment: "工业产品总数与统计局数据不符，请核实" } });
    expect(back.status).toBe(200);
    totals = await expectTotalsMatchReference("r2025", "standing");
    expect(totals.totals.indicators.products).toMatchObject({ value: null, reported: 0 });
    const comp = await json<{ returned: number; units: { unitId: string; reviewComment: string | null }[] }>(await api("/rounds/r2025/completeness", { token: city }));
    expect(comp.returned).toBe(1);
    const seen = await json<SubmissionView>(await api(url, { token: county }));
    expect(seen).toMatchObject({ state: "returned", reviewComment: "工业产品总数与统计局数据不符，请核实" });

    const fixed = await api(url, { method: "PUT", token: county, headers: { "if-match": '"2"' }, json: { values: { ...values, products: 500 } } });
    expect(fixed.status).toBe(200);
    expect((await json<SubmissionView>(fixed)).revision).toBe(3);
    await expectTotalsMatchReference("r2025", "standing");

    expect((await api(`${url}/approve`, { method: "POST", token: city, json: {} })).status).toBe(200);
    totals = await expectTotalsMatchReference("r2025", "approved");
    expect(totals.totals.indicators.products).toMatchObject({ value: "500", reported: 1 });
    const locked = await api(url, { method: "PUT", token: county, headers: { "if-match": '"3"' }, json: { values } });
    expect(locked.status).toBe(409);
    expect((await json<{ error: { code: string } }>(locked)).error.code).toBe("submission_locked");

    const done = await json<{ expected: number; submitted: number; approved: number; notStarted: number }>(await api("/rounds/r2025/completeness", { token: city }));
    expect(done).toMatchObject({ expected: 7, submitted: 1, approved: 1, notStarted: 6 });

    const diff = await json<{ changes: { indicator: string; before: unknown; after: unknown }[] }>(await api(`${url}/diff?from=1&to=3`, { token: city }));
    expect(diff.changes).toEqual([{ indicator: "products", before: 520, after: 500 }]);
    const audit = await json<{ action: string }[]>(await api("/rounds/r2025/audit", { token: city }));
    expect(audit.filter((a) => a.action !== "round_create").map((a) => a.action)).toEqual(["submit", "submit", "return", "submit", "approve"]);
  });

  it("gives the past round's city totals from the seeds: 83.54% coverage, 2.14% adoption", async () => {
    const view = await expectTotalsMatchReference("r2024", "approved");
    expect(view.totals.indicators.std_coverage_rate).toMatchObject({ value: "83.54" });
    expect(view.totals.indicators.adoption_rate).toMatchObject({ value: "2.14" });
    expect(view.children.map((c) => c.unitId).sort()).toEqual([...DEMO_REPORTING_UNITS].sort());
  });
});
