import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, aggregateReports, ErrorBodySchema, type TotalsView } from "@tianbao/shared";
import { hashNewPassword } from "../src/auth/password";
import { insertUser } from "../src/db/users";
import { readCountedValues } from "../src/db/submissions";
import { checkIntegrity } from "../src/integrity/d1";
import { api, ensureDemo, env, json, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();

beforeAll(async () => {
  await ensureDemo();
  // a second official of the same county
  await insertUser(env.DB, { username: "zezhou2", displayName: "泽州县填报员二", role: "reporter", unitId: "zezhou", ...(await hashNewPassword("demo-password")) }, new Date().toISOString()).run();
});

const step = fc.record({
  who: fc.constantFrom("zezhou", "zezhou2"),
  kind: fc.constantFrom("submit", "submit", "retry-race", "stale", "return", "approve", "reopen", "close", "open"),
  variant: fc.integer({ min: 0, max: 6 }),
});

describe("concurrency and retries", () => {
  it("never loses an update, never duplicates a revision, keeps totals equal to the reference, and says why it refuses", async () => {
    const admin = await login("admin");
    let round = 0;
    let tried = 0;
    let refusals = 0;
    const codes = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 8 }), async (steps) => {
      const id = `rc${++round}`;
      expect((await api("/rounds", { method: "POST", token: admin, json: { id, templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: String(2100 + round), deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] } })).status).toBe(201);
      const url = `/rounds/${id}/submissions/zezhou`;
      let landed = 0;
      for (const [k, s] of steps.entries()) {
        const token = await login(s.who);
        const current = await json<{ revision: number }>(await api(url, { token }));
        const values = { ...DEMO_PAST_VALUES.zezhou!, products: 500 + s.variant, work_funds: `${10 + s.variant}.50` };
        const put = (key: string, rev = current.revision) => api(url, { method: "PUT", token, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${rev}"`, "idempotency-key": `idem-${key}` } });
        let responses: Response[] = [];
        let puts = 0;
        if (s.kind === "submit") { responses = [await put(`${id}-${k}`)]; puts = 1; }
        else if (s.kind === "retry-race") { responses = await Promise.all([put(`${id}-${k}`), put(`${id}-${k}`)]); puts = 2; } // a retry racing the original
        else if (s.kind === "stale") { responses = await Promise.all([put(`${id}-${k}-a`), put(`${id}-${k}-b`)]); puts = 2; } // two officials from one revision
        else if (s.kind === "close") await env.DB.prepare("UPDATE rounds SET deadline = '2000-01-01T00:00:00+08:00' WHERE id = ?").bind(id).run(); // the deadline passes mid-way
        else if (s.kind === "open") await env.DB.prepare("UPDATE rounds SET deadline = '2099-01-01T00:00:00+08:00' WHERE id = ?").bind(id).run();
        else if (s.kind === "reopen") responses = [await api(`/rounds/${id}/reopen`, { method: "POST", token: admin, json: { unitId: "zezhou" } })];
        else responses = [await api(`${url}/${s.kind}`, { method: "POST", token: admin, json: s.kind === "return" ? { comment: "请核实" } : {} })];
        for (const r of responses) {
          tried++;
          expect(r.status).toBeLessThan(500);
          const body = await r.json() as { replayed?: boolean; revision?: number };
          if (r.status >= 400) {
            refusals++;
            const e = ErrorBodySchema.parse(body);
            expect(e.error.message.zh.length).toBeGreaterThan(4); // every refusal says why
            codes.set(e.error.code, (codes.get(e.error.code) ?? 0) + 1);
          } else if (puts > 0 && !body.replayed) landed++;
        }
        const revs = await env.DB.prepare("SELECT revision FROM revisions WHERE round_id = ? AND unit_id = 'zezhou' ORDER BY revision").bind(id).all<{ revision: number }>();
        expect(revs.results.map((x) => x.revision)).toEqual(Array.from({ length: landed }, (_, i) => i + 1)); // no lost, no duplicate revision
        for (const basis of ["standing", "approved"] as const) {
          const view = await json<TotalsView>(await api(`/rounds/${id}/totals?basis=${basis}`, { token: admin }));
          const counted = await readCountedValues(env.DB, id, "/shanxi/jincheng/", basis);
          expect(view.totals).toEqual(aggregateReports(compiled, [...counted].map(([unitId, v]) => ({ unitId, values: v }))));
        }
      }
      // after every generated sequence, the integrity check finds nothing
      expect((await checkIntegrity(env.DB, "/", new Date())).problems).toEqual([]);
    }), { numRuns: 15 });
    console.log(`concurrency: ${tried} writes tried, ${refusals} refused with a reason (${JSON.stringify(Object.fromEntries(codes))}), all invariants held`);
    expect(refusals).toBeGreaterThan(0);
  });
});
