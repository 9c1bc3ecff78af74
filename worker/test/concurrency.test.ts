import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, aggregateReports, ErrorBodySchema, type TotalsView } from "@tianbao/shared";
import { hashNewPassword } from "../src/auth/password";
import { insertUser } from "../src/db/users";
import { readCountedValues } from "../src/db/submissions";
import { checkIntegrity } from "../src/integrity/d1";
import { findRoundUnder } from "../src/db/rounds";
import { seedProvinceDemo, sessionUserOf } from "../src/demo/seed";
import { planLevelTransition } from "../src/workflow/levels";
import { planReview } from "../src/workflow/review";
import { api, ensureDemo, env, json, login, builtinCompiled } from "./helpers";
import { expectEveryLevelMatches } from "./hierarchy-reference";

const compiled = builtinCompiled();

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
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

// Two levels acting at once in a province's round: a county resubmitting while its city submits
// upward, a province returning the city while the city approves a county, the city reopening a
// county while submitting upward, the province approving while the city returns a county.
const levelStep = fc.constantFrom(
  "submit-all", "approve-all", "approve-all", "race-resubmit-upward", "race-approve-resubmit-upward", "race-return-approve",
  "race-reopen-upward", "race-approve-return", "upward", "province-return", "province-approve",
);

describe("concurrency across levels", () => {
  it("keeps every level's state, revisions and totals consistent when a county, its city and the province act at once", async () => {
    const [city, province, zezhou, gaoping] = await Promise.all(["admin", "sheng", "zezhou", "gaoping"].map((u) => login(u))) as [string, string, string, string];
    let round = 0;
    let tried = 0;
    let upwardLanded = 0;
    let racesBothLanded = 0;
    let lostRaces = 0;
    const codes = new Map<string, number>();
    // every sequence starts from both counties in and approved, so the city can submit upward at once
    const sequence = fc.array(levelStep, { minLength: 3, maxLength: 8 }).map((rest) => ["submit-all", "approve-all", ...rest]);
    await fc.assert(fc.asyncProperty(sequence, fc.integer({ min: 0, max: 1_000 }), async (steps, variant) => {
      const id = `rl${++round}`;
      const created = await api("/rounds", { method: "POST", token: province, json: { id, templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: String(2200 + round), deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou", "gaoping", "zhangzi"] } });
      expect(created.status).toBe(201);
      let putsLanded = 0;
      let levelRevisions = 0;
      const rev = async (unit: string) => (await json<{ revision: number }>(await api(`/rounds/${id}/submissions/${unit}`, { token: province }))).revision;
      const put = async (unit: string, token: string, k: number) => {
        const values = { ...DEMO_PAST_VALUES[unit]!, products: 500 + ((variant + k) % 50) };
        return api(`/rounds/${id}/submissions/${unit}`, { method: "PUT", token, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${await rev(unit)}"` } });
      };
      const review = (unit: string, action: string) => api(`/rounds/${id}/submissions/${unit}/${action}`, { method: "POST", token: city, json: action === "return" ? { comment: "请核实" } : {} });
      const reopen = (unit: string) => api(`/rounds/${id}/reopen`, { method: "POST", token: city, json: { unitId: unit } });
      const levelRev = async () => (await json<{ revision: number }>(await api(`/rounds/${id}/submissions/jincheng`, { token: province }))).revision;
      const upward = async () => api(`/rounds/${id}/levels/jincheng/submit`, { method: "POST", token: city, json: {}, headers: { "if-match": `"${await levelRev()}"` } });
      const provinceDoes = (action: "return" | "approve") => api(`/rounds/${id}/levels/jincheng/${action}`, { method: "POST", token: province, json: action === "return" ? { comment: "请核实晋城市数据" } : {} });
      for (const [k, s] of steps.entries()) {
        let tagged: [string, Response][] = [];
        if (s === "submit-all") tagged = [["put", await put("zezhou", zezhou, k)], ["put", await put("gaoping", gaoping, k)]];
        else if (s === "approve-all") tagged = [["review", await review("zezhou", "approve")], ["review", await review("gaoping", "approve")]];
        else if (s === "race-resubmit-upward") tagged = await Promise.all([put("zezhou", zezhou, k).then((r) => ["put", r] as [string, Response]), upward().then((r) => ["upward", r] as [string, Response])]);
        else if (s === "race-approve-resubmit-upward") {
          tagged = await Promise.all([review("zezhou", "approve").then((r) => ["review", r] as [string, Response]), put("zezhou", zezhou, k).then((r) => ["put", r] as [string, Response]), upward().then((r) => ["upward", r] as [string, Response])]);
        } else if (s === "race-return-approve") tagged = await Promise.all([provinceDoes("return").then((r) => ["level", r] as [string, Response]), review("gaoping", "approve").then((r) => ["review", r] as [string, Response])]);
        else if (s === "race-reopen-upward") tagged = await Promise.all([reopen("zezhou").then((r) => ["review", r] as [string, Response]), upward().then((r) => ["upward", r] as [string, Response])]);
        else if (s === "race-approve-return") tagged = await Promise.all([provinceDoes("approve").then((r) => ["level", r] as [string, Response]), review("zezhou", "return").then((r) => ["review", r] as [string, Response])]);
        else if (s === "upward") tagged = [["upward", await upward()]];
        else tagged = [["level", await provinceDoes(s === "province-return" ? "return" : "approve")]];
        let landed = 0;
        for (const [kind, r] of tagged) {
          tried++;
          expect(r.status, await r.clone().text()).toBeLessThan(500);
          if (r.status >= 400) {
            const e = ErrorBodySchema.parse(await r.json());
            expect(e.error.message.zh.length).toBeGreaterThan(4); // every refusal says why
            codes.set(e.error.code, (codes.get(e.error.code) ?? 0) + 1);
            if (e.error.message.en.includes("just changed")) lostRaces++;
            continue;
          }
          landed++;
          if (kind === "put") putsLanded++;
          if (kind === "upward") { levelRevisions++; upwardLanded++; }
        }
        if (tagged.length > 1 && landed === tagged.length) racesBothLanded++;
        // no lost or duplicate revision, of a county's report or of the city's upward submission
        for (const [unit, want] of [["zezhou", null], ["jincheng", levelRevisions]] as const) {
          const revs = await env.DB.prepare("SELECT revision FROM revisions WHERE round_id = ? AND unit_id = ? ORDER BY revision").bind(id, unit).all<{ revision: number }>();
          const count = want ?? revs.results.length;
          expect(revs.results.map((x) => x.revision)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        }
        // every level's totals on both bases equal the reference, completeness names the stored states, integrity finds nothing
        await expectEveryLevelMatches(compiled, id, province, ["shanxi", "jincheng", "changzhi", "zezhou", "gaoping"]);
      }
      const zz = await env.DB.prepare("SELECT COUNT(*) AS n FROM revisions WHERE round_id = ? AND unit_id IN ('zezhou', 'gaoping')").bind(id).first<{ n: number }>();
      expect(zz!.n).toBe(putsLanded);
    }), { numRuns: 12 });
    console.log(`concurrency across levels: ${tried} requests, ${upwardLanded} upward submissions landed, ${racesBothLanded} races where both sides landed, ${lostRaces} writes that lost a race as they committed, refusals ${JSON.stringify(Object.fromEntries(codes))}; every level consistent after every step`);
    expect(upwardLanded).toBeGreaterThan(0);
    expect(codes.size).toBeGreaterThan(0);
  }, 300_000);
});

// The races above depend on how requests interleave; these pin the interleavings down: a change is
// planned on what was read, something it depends on changes, and only then does it commit.
describe("a change planned on what was read, committed after what it depends on changed", () => {
  it("is refused as its batch commits and stores nothing; an upward submission freezes the figures as they are when it commits", async () => {
    const [city, province] = await Promise.all([login("admin"), login("sheng")]);
    const post = (path: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) => api(path, { method: "POST", token, json: body, headers });
    expect((await post("/rounds", province, { id: "rg1", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2300", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou", "gaoping"] })).status).toBe(201);
    const put = async (unit: string, products: number) => {
      const cur = await json<{ revision: number }>(await api(`/rounds/rg1/submissions/${unit}`, { token: city }));
      return api(`/rounds/rg1/submissions/${unit}`, { method: "PUT", token: city, json: { values: { ...DEMO_PAST_VALUES[unit]!, products }, acknowledgeWarnings: true }, headers: { "if-match": `"${cur.revision}"` } });
    };
    for (const unit of ["zezhou", "gaoping"]) {
      expect((await put(unit, 500)).status).toBe(201);
      expect((await post(`/rounds/rg1/submissions/${unit}/approve`, city)).status).toBe(200);
    }
    const round = (await findRoundUnder(env.DB, "/shanxi/", "rg1"))!;
    const admin = await sessionUserOf(env.DB, "admin");
    const levelRow = () => env.DB.prepare("SELECT state, revision FROM round_levels WHERE round_id = 'rg1' AND unit_id = 'jincheng'").first<{ state: string | null; revision: number }>();

    // the city's upward submission is planned while both counties are approved; the city reopens one before it commits
    const up = await planLevelTransition(env.DB, "submit", { round, compiled, unitId: "jincheng", unitPath: "/shanxi/jincheng/", user: admin, ifMatch: '"0"', idempotencyKey: undefined, comment: null }, new Date());
    if (!up.ok) throw new Error(up.body.error.message.en);
    expect((await post("/rounds/rg1/reopen", city, { unitId: "zezhou" })).status).toBe(200);
    await expect(env.DB.batch(up.value.statements)).rejects.toThrow(/batch_guard/);
    expect(await levelRow()).toEqual({ state: null, revision: 0 });
    await expectEveryLevelMatches(compiled, "rg1", province, ["shanxi", "jincheng", "zezhou"]);

    // the county corrects and is approved again: the same plan now commits, with the corrected figures
    expect((await put("zezhou", 777)).status).toBe(200);
    expect((await post("/rounds/rg1/submissions/zezhou/approve", city)).status).toBe(200);
    await env.DB.batch(up.value.statements);
    expect(await levelRow()).toEqual({ state: "submitted", revision: 1 });
    const frozen = await json<{ totals: { indicators: { products: { value: string } } } }>(await api("/rounds/rg1/submissions/jincheng", { token: province }));
    expect(frozen.totals.indicators.products.value).toBe(String(777 + 500));
    await expectEveryLevelMatches(compiled, "rg1", province, ["shanxi", "jincheng", "zezhou"]);

    // the province returns the city; a reopen is planned while the city's review is open, and the city submits upward before it commits
    expect((await post("/rounds/rg1/levels/jincheng/return", province, { comment: "请核实" })).status).toBe(200);
    const reopen = await planReview(env.DB, compiled, round, "zezhou", admin, "reopen", null, new Date());
    if (!reopen.ok) throw new Error(reopen.body.error.message.en);
    expect((await post("/rounds/rg1/levels/jincheng/submit", city, {}, { "if-match": '"1"' })).status).toBe(200);
    await expect(env.DB.batch(reopen.value.statements)).rejects.toThrow(/batch_guard/);
    expect((await env.DB.prepare("SELECT state FROM submissions WHERE round_id = 'rg1' AND unit_id = 'zezhou'").first<{ state: string }>())!.state).toBe("approved");
    await expectEveryLevelMatches(compiled, "rg1", province, ["shanxi", "jincheng", "zezhou"]);
  });
});
