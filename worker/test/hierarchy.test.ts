import { beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CHANGZHI_REPORTING_UNITS, DEMO_CHANGZHI_VALUES, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, ErrorBodySchema, LevelTransitionSchema,
  RevisionDiffSchema, RoundViewSchema, SubmissionViewSchema, aggregateReports, reportsCountedAt, type ErrorBody, type Values,
} from "@tianbao/shared";
import { auditStatement } from "../src/db/audit";
import { guardChildrenApproved, guardLevelOpen } from "../src/db/levels";
import { insertRound } from "../src/db/rounds";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, builtinCompiled, ensureDemo, env, json, login } from "./helpers";
import { expectEveryLevelMatches, expectIntegrityRoute, readStoredRound } from "./hierarchy-reference";

// Reporting up a hierarchy (issue 14): a province's round in which counties report to their city,
// each city reviews them and submits its figures upward, and the province reviews each city.

const compiled = builtinCompiled();
const JINCHENG = [...DEMO_REPORTING_UNITS];
const CHANGZHI = [...DEMO_CHANGZHI_REPORTING_UNITS];
/** Where totals and completeness are compared after every step: the province, both cities, every county. */
const EVERY_LEVEL = ["shanxi", "jincheng", "changzhi", ...JINCHENG, ...CHANGZHI];
const REPORTER: Record<string, string> = { jincheng_self: "shibenji", changzhi_self: "czbenji" };
const reporterOf = (unit: string) => REPORTER[unit] ?? unit;
const valuesOf = (unit: string): Values => DEMO_PAST_VALUES[unit] ?? DEMO_CHANGZHI_VALUES[unit]!;

const post = (path: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) => api(path, { method: "POST", token, json: body, headers });
const error = async (res: Response): Promise<ErrorBody["error"]> => ErrorBodySchema.parse(await res.json()).error;
async function submit(round: string, unit: string, values: Values, token = "") {
  const tok = token || (await login(reporterOf(unit)));
  const cur = await json<{ revision: number }>(await api(`/rounds/${round}/submissions/${unit}`, { token: tok }));
  return api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: tok, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${cur.revision}"` } });
}
const review = (round: string, unit: string, action: "approve" | "return", token: string) =>
  post(`/rounds/${round}/submissions/${unit}/${action}`, token, action === "return" ? { comment: "请核实" } : {});
const level = (round: string, unit: string, action: "submit" | "return" | "approve", token: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  post(`/rounds/${round}/levels/${unit}/${action}`, token, body, headers);

let province = "", provinceReviewer = "", jc = "", jcReviewer = "", cz = "", czReviewer = "";
let compared = 0;
let steps = 0;
/** One step of the flow: it must succeed as stated, and every level must still match the reference. */
async function step(what: string, res: Response | Promise<Response>, status = 200) {
  const r = await res;
  expect(r.status, `${what}: ${await r.clone().text()}`).toBe(status);
  compared += await expectEveryLevelMatches(compiled, "ph1", province, EVERY_LEVEL);
  steps++;
  return r;
}

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
  const tokens = await Promise.all(["sheng", "shengshenhe", "admin", "shenhe", "changzhi", "czshenhe"].map((u) => login(u)));
  [province, provinceReviewer, jc, jcReviewer, cz, czReviewer] = tokens as [string, string, string, string, string, string];
});

describe("a province's round reported level by level", () => {
  it("opens with the cities as review levels and a city upward deadline", async () => {
    const res = await post("/rounds", province, {
      id: "ph1", templateId: "quality_city_annual", templateVersion: 1, period: "2031", deadline: "2099-01-31T23:59:59+08:00",
      levelDeadlines: { city: "2099-02-28T23:59:59+08:00" }, expectedUnitIds: [...JINCHENG, ...CHANGZHI],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const view = RoundViewSchema.parse(await res.json());
    expect(view.levelUnitIds?.slice().sort()).toEqual(["changzhi", "jincheng"]);
    expect(view.levelDeadlines).toEqual({ city: "2099-02-28T23:59:59+08:00" });
    // a city sees the round with its own upward deadline
    expect(RoundViewSchema.parse(await json(await api("/rounds/ph1", { token: cz }))).levelDeadline).toBe("2099-02-28T23:59:59+08:00");
    compared += await expectEveryLevelMatches(compiled, "ph1", province, EVERY_LEVEL);
  });

  it("runs end to end: counties submit, cities review and submit upward, the province returns one city and approves both — every level equal to the reference after every step", async () => {
    for (const unit of [...JINCHENG, ...CHANGZHI]) await step(`${unit} submits`, submit("ph1", unit, valuesOf(unit)), 201);

    // the province reviews cities, not counties; a city reviews only its own counties
    expect((await review("ph1", "zezhou", "approve", province)).status).toBe(403);
    expect((await review("ph1", "zezhou", "approve", provinceReviewer)).status).toBe(403);
    expect((await review("ph1", "zezhou", "approve", cz)).status).toBe(403);
    const early = await level("ph1", "jincheng", "submit", jc, {}, { "if-match": '"0"' });
    expect(early.status).toBe(409);
    const why = await error(early);
    expect(why.message.zh).toContain("泽州县（已上报）"); // named, never by id (issue 22)
    expect(why.message.en).toContain("Zezhou (submitted)");

    // Jincheng returns one county, which corrects it; then approves all and submits upward
    await step("jincheng returns gaoping", review("ph1", "gaoping", "return", jcReviewer));
    await step("gaoping corrects", submit("ph1", "gaoping", { ...valuesOf("gaoping"), products: 530 }));
    for (const unit of JINCHENG) await step(`jincheng approves ${unit}`, review("ph1", unit, "approve", jcReviewer));
    expect((await level("ph1", "jincheng", "submit", jc)).status).toBe(428); // If-Match required
    const up = await step("jincheng submits upward", level("ph1", "jincheng", "submit", jcReviewer, { comment: "晋城市已审核" }, { "if-match": '"0"', "idempotency-key": "ph1-jincheng-up-1" }));
    expect(LevelTransitionSchema.parse(await up.json())).toEqual({ roundId: "ph1", unitId: "jincheng", state: "submitted", revision: 1 });
    // a retry replays; a second submission is refused while the province reviews
    const retry = await level("ph1", "jincheng", "submit", jcReviewer, { comment: "晋城市已审核" }, { "if-match": '"0"', "idempotency-key": "ph1-jincheng-up-1" });
    expect(LevelTransitionSchema.parse(await retry.json())).toMatchObject({ state: "submitted", revision: 1, replayed: true });
    expect((await level("ph1", "jincheng", "submit", jc, {}, { "if-match": '"1"' })).status).toBe(409);
    // the frozen figures are Jincheng's approved counties' totals
    const frozen = SubmissionViewSchema.parse(await json(await api("/rounds/ph1/submissions/jincheng", { token: province })));
    const stored = await readStoredRound("ph1");
    expect(frozen).toMatchObject({ level: true, state: "submitted", revision: 1, submittedBy: "shenhe" });
    expect(frozen.totals).toEqual(aggregateReports(compiled, reportsCountedAt(stored.leaves, (id) => stored.levels.get(id)?.state, "/shanxi/jincheng/", "approved")));
    expect(frozen.values.products).toBe(frozen.totals!.indicators.products!.kind === "count" ? frozen.totals!.indicators.products!.value : null);
    // while the province reviews, Jincheng's review is closed and its counties are locked
    const locked = await review("ph1", "zezhou", "return", jcReviewer);
    expect(locked.status).toBe(409);
    expect((await error(locked)).code).toBe("submission_locked");
    expect((await post("/rounds/ph1/reopen", jc, { unitId: "zezhou" })).status).toBe(409);
    expect((await submit("ph1", "zezhou", valuesOf("zezhou"))).status).toBe(409);

    // Changzhi approves its units and submits upward
    for (const unit of CHANGZHI) await step(`changzhi approves ${unit}`, review("ph1", unit, "approve", czReviewer));
    expect((await level("ph1", "changzhi", "submit", jc, {}, { "if-match": '"0"' })).status).toBe(403); // not Jincheng's to submit
    expect((await level("ph1", "changzhi", "approve", cz)).status).toBe(403); // nobody approves its own
    await step("changzhi submits upward", level("ph1", "changzhi", "submit", cz, {}, { "if-match": '"0"' }));

    // the province returns Changzhi; Changzhi reopens a county, which corrects it, and resubmits
    expect((await level("ph1", "changzhi", "return", jc, { comment: "x" })).status).toBe(403); // a sibling city
    await step("province returns changzhi", level("ph1", "changzhi", "return", provinceReviewer, { comment: "屯留区工业产品数请核实", indicatorComments: { products: "偏低" } }, { "if-match": '"1"' }));
    const returned = SubmissionViewSchema.parse(await json(await api("/rounds/ph1/submissions/changzhi", { token: cz })));
    expect(returned).toMatchObject({ state: "returned", reviewComment: "屯留区工业产品数请核实", reviewIndicatorComments: { products: "偏低" } });
    await step("changzhi reopens tunliu", post("/rounds/ph1/reopen", cz, { unitId: "tunliu" }));
    await step("tunliu corrects", submit("ph1", "tunliu", { ...valuesOf("tunliu"), products: 600 }));
    await step("changzhi approves tunliu again", review("ph1", "tunliu", "approve", cz));
    expect((await level("ph1", "changzhi", "submit", cz, {}, { "if-match": '"0"' })).status).toBe(412); // stale
    await step("changzhi submits upward again", level("ph1", "changzhi", "submit", cz, {}, { "if-match": '"1"' }));
    const revisions = await json<{ revision: number }[]>(await api("/rounds/ph1/submissions/changzhi/revisions", { token: province }));
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    const diff = RevisionDiffSchema.parse(await json(await api("/rounds/ph1/submissions/changzhi/diff?from=1&to=2", { token: province })));
    const tunliuBefore = valuesOf("tunliu").products as number;
    const changed = diff.changes.find((c) => c.indicator === "products")!;
    expect(BigInt(changed.after as string) - BigInt(changed.before as string)).toBe(BigInt(600 - tunliuBefore));

    // the province approves both; each city's subtree is locked for the round
    expect((await level("ph1", "changzhi", "approve", province, {}, { "if-match": '"1"' })).status).toBe(412);
    await step("province approves jincheng", level("ph1", "jincheng", "approve", province, {}, { "if-match": '"1"' }));
    await step("province approves changzhi", level("ph1", "changzhi", "approve", provinceReviewer, {}, { "idempotency-key": "ph1-changzhi-ok" }));
    const again = await level("ph1", "changzhi", "approve", provinceReviewer, {}, { "idempotency-key": "ph1-changzhi-ok" });
    expect(LevelTransitionSchema.parse(await again.json())).toMatchObject({ state: "approved", replayed: true });
    for (const [path, token, body] of [
      ["/rounds/ph1/reopen", cz, { unitId: "tunliu" }], ["/rounds/ph1/submissions/tunliu/return", cz, { comment: "x" }],
      ["/rounds/ph1/levels/changzhi/return", province, { comment: "x" }], ["/rounds/ph1/levels/changzhi/submit", cz, {}],
    ] as const) expect((await post(path, token, body, { "if-match": '"2"' })).status, path).toBe(409);
    const lockedCounty = await submit("ph1", "tunliu", valuesOf("tunliu"));
    expect(lockedCounty.status).toBe(409);
    expect((await error(lockedCounty)).message.en).toContain("'Changzhi' was approved by its parent");

    // at the province every report now counts on both bases
    const stored2 = await readStoredRound("ph1");
    expect(reportsCountedAt(stored2.leaves, (id) => stored2.levels.get(id)?.state, "/shanxi/", "approved")).toHaveLength(12);
    await expectIntegrityRoute(province);
    console.log(`hierarchy: ${steps} steps, ${compared} totals and completeness comparisons at ${EVERY_LEVEL.length} units, all equal to the reference`);
    expect(steps).toBeGreaterThan(30);
  });

  it("the province's completeness shows each city as one row with its state, lateness by its upward deadline and its counties", async () => {
    const c = await json<{ levels: { unitId: string; state: string; late: boolean; deadline: string; expected: number; approved: number }[] }>(await api("/rounds/ph1/completeness?unit=shanxi", { token: province }));
    expect(c.levels.map((l) => [l.unitId, l.state, l.late, l.deadline, l.expected, l.approved])).toEqual([
      ["changzhi", "approved", false, "2099-02-28T23:59:59+08:00", 5, 5],
      ["jincheng", "approved", false, "2099-02-28T23:59:59+08:00", 7, 7],
    ]);
  });
});

describe("the demo's province round", () => {
  it("has Jincheng submitted upward and Changzhi under way, equal to the reference at every level", async () => {
    const stored = await readStoredRound("p2025");
    expect(stored.levels.get("jincheng")?.state).toBe("submitted");
    expect(stored.levels.get("changzhi")?.state).toBe("not_started");
    await expectEveryLevelMatches(compiled, "p2025", province, ["shanxi", "jincheng", "changzhi", "zhangzi"]);
    // seeding again changes nothing
    expect((await seedProvinceDemo(env.DB)).created).toEqual([]);
  });
});

describe("a condition checked as the batch commits (batch_guard)", () => {
  it("fails the whole batch when the condition no longer holds, and lets it through when it does", async () => {
    const db = env.DB;
    const audits = async () => (await db.prepare("SELECT COUNT(*) AS n FROM audit").first<{ n: number }>())!.n;
    const before = await audits();
    const note = auditStatement(db, { userId: null, action: "guard_probe", roundId: "p2025", unitId: "changzhi" }, new Date().toISOString());
    // in the demo's round Changzhi's units are not all approved: its upward submission cannot commit
    await expect(db.batch([guardChildrenApproved(db, "p2025", "changzhi"), note])).rejects.toThrow(/batch_guard/);
    expect(await audits()).toBe(before);
    // Jincheng's are (it has submitted upward), and Changzhi's review is open
    await db.batch([guardChildrenApproved(db, "p2025", "jincheng"), guardLevelOpen(db, "p2025", "changzhi"), note]);
    expect(await audits()).toBe(before + 1);
    await expect(db.batch([guardLevelOpen(db, "p2025", "jincheng"), note])).rejects.toThrow(/batch_guard/);
  });
});

describe("deadlines per level", () => {
  const round = (over: Record<string, unknown>) => ({ templateId: "quality_city_annual", templateVersion: 1, period: "2032", deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: ["zezhou", "zhangzi"], ...over });

  it("takes an upward deadline only for a level the round has, never before the units' deadline", async () => {
    const county = await post("/rounds", province, round({ id: "pd0", levelDeadlines: { county: "2099-02-28T23:59:59+08:00" } }));
    expect(county.status).toBe(422);
    expect(await error(county)).toMatchObject({ where: "body.levelDeadlines.county" });
    const early = await post("/rounds", province, round({ id: "pd0", levelDeadlines: { city: "2099-01-30T23:59:59+08:00" } }));
    expect(early.status).toBe(422);
    expect((await error(early)).message.en).toContain("before the reporting deadline");
    // a city's own round has no review level at all
    const cityRound = await post("/rounds", jc, round({ id: "pd0", expectedUnitIds: ["zezhou"], levelDeadlines: { city: "2099-02-28T23:59:59+08:00" } }));
    expect(cityRound.status).toBe(422);
    expect((await error(cityRound)).message.zh).toContain("没有市级审核层级");
  });

  it("extends one city's upward deadline (the round's owner only), and the city and the completeness follow it", async () => {
    expect((await post("/rounds", province, round({ id: "pd1", levelDeadlines: { city: "2099-02-28T23:59:59+08:00" } }))).status).toBe(201);
    const to = "2099-03-15T23:59:59+08:00";
    expect((await post("/rounds/pd1/deadline", cz, { unitId: "changzhi", deadline: to })).status).toBe(403); // not the round's owner
    const earlier = await post("/rounds/pd1/deadline", province, { unitId: "changzhi", deadline: "2099-02-01T00:00:00+08:00" });
    expect(earlier.status).toBe(422);
    expect((await error(earlier)).message.en).toContain("current upward deadline 2099-02-28 23:59 (Beijing time)");
    expect((await post("/rounds/pd1/deadline", province, { unitId: "changzhi", deadline: to })).status).toBe(200);
    expect(RoundViewSchema.parse(await json(await api("/rounds/pd1", { token: cz }))).levelDeadline).toBe(to);
    expect(RoundViewSchema.parse(await json(await api("/rounds/pd1", { token: jc }))).levelDeadline).toBe("2099-02-28T23:59:59+08:00");
    const c = await json<{ levels: { unitId: string; deadline: string }[] }>(await api("/rounds/pd1/completeness?unit=shanxi", { token: province }));
    expect(Object.fromEntries(c.levels.map((l) => [l.unitId, l.deadline]))).toEqual({ changzhi: to, jincheng: "2099-02-28T23:59:59+08:00" });
    const audit = await json<{ action: string; detail: Record<string, unknown> }[]>(await api("/rounds/pd1/audit?action=deadline_extend", { token: province }));
    expect(audit.map((a) => a.detail)).toEqual([{ from: "2099-02-28T23:59:59+08:00", to, unit: "changzhi", upward: true }]);
  });

  it("marks a city late by its own upward deadline: past it with nothing submitted, or first submitted after it", async () => {
    // deadlines in the past cannot be set through the API: the round goes straight into D1
    const now = new Date();
    const past = new Date(now.getTime() - 86_400_000).toISOString();
    await env.DB.batch(insertRound(env.DB, { id: "pd2", templateId: "quality_city_annual", templateVersion: 1, period: "2033", deadline: "2020-01-01T00:00:00+08:00", levelDeadlines: { city: past }, ownerUnitId: "shanxi", expectedUnitIds: ["zezhou", "zhangzi"] }, null, now.toISOString()));
    let c = await json<{ levels: { unitId: string; late: boolean }[] }>(await api("/rounds/pd2/completeness?unit=shanxi", { token: province }));
    expect(c.levels.map((l) => [l.unitId, l.late])).toEqual([["changzhi", true], ["jincheng", true]]);
    // Changzhi gets until the year 2099; Jincheng reopens its county, which reports, is approved, and Jincheng submits late
    expect((await post("/rounds/pd2/deadline", province, { unitId: "changzhi", deadline: "2099-01-01T00:00:00+08:00" })).status).toBe(200);
    expect((await post("/rounds/pd2/reopen", jc, { unitId: "zezhou" })).status).toBe(200);
    expect((await submit("pd2", "zezhou", valuesOf("zezhou"))).status).toBe(201);
    expect((await review("pd2", "zezhou", "approve", jc)).status).toBe(200);
    expect((await level("pd2", "jincheng", "submit", jc, {}, { "if-match": '"0"' })).status).toBe(200); // late, but the province needs it: accepted and flagged
    c = await json<{ levels: { unitId: string; late: boolean }[] }>(await api("/rounds/pd2/completeness?unit=shanxi", { token: province }));
    expect(c.levels.map((l) => [l.unitId, l.late])).toEqual([["changzhi", false], ["jincheng", true]]);
  });
});

describe("migration 0005", () => {
  it("lists the review levels of rounds opened before it, exactly as a new round gets them", async () => {
    // a province's round stored as before the migration: no levels listed
    await env.DB.batch(insertRound(env.DB, { id: "pm0", templateId: "quality_city_annual", templateVersion: 1, period: "2034", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "shanxi", expectedUnitIds: ["zezhou", "zhangzi", "changzhi_self"] }, null, new Date().toISOString()));
    const listed = async () => (await env.DB.prepare("SELECT unit_id FROM round_levels WHERE round_id = 'pm0' ORDER BY unit_id").all<{ unit_id: string }>()).results.map((r) => r.unit_id);
    const made = await listed();
    expect(made).toEqual(["changzhi", "jincheng"]);
    await env.DB.prepare("DELETE FROM round_levels WHERE round_id = 'pm0'").run();
    const migrations = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] }).TEST_MIGRATIONS;
    const backfill = migrations.find((m) => m.name.startsWith("0005"))!.queries.find((q) => q.includes("INSERT OR IGNORE INTO round_levels"))!;
    await env.DB.prepare(backfill).run();
    expect(await listed()).toEqual(made);
  });
});

describe("any depth", () => {
  it("a town reports to its county, the county to its city, the city to the province — every level equal to the reference after every step", async () => {
    const mk = async (path: string, body: unknown) => expect((await post(path, province, body)).status, path).toBe(201);
    await mk("/units", { id: "zz_town", name: { zh: "泽州县某镇", en: "A town of Zezhou" }, level: "county", parentId: "zezhou" });
    for (const [username, role, unitId] of [["town.rep", "reporter", "zz_town"], ["zezhou.boss", "admin", "zezhou"]] as const) {
      await mk("/users", { username, displayName: username, role, unitId, password: "a-long-password" });
      // a generated or given first password is changed before anything else
      const t = (await json<{ token: string }>(await api("/auth/login", { method: "POST", json: { username, password: "a-long-password" } }))).token;
      expect((await post("/auth/password", t, { currentPassword: "a-long-password", newPassword: "another-long-password" })).status).toBeLessThan(300);
    }
    const [town, county] = await Promise.all([login("town.rep", "another-long-password"), login("zezhou.boss", "another-long-password")]);
    const created = await post("/rounds", province, { id: "pt1", templateId: "quality_city_annual", templateVersion: 1, period: "2035", deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: ["zz_town", "gaoping"], levelDeadlines: { county: "2099-02-10T00:00:00+08:00", city: "2099-02-20T00:00:00+08:00" } });
    expect(created.status, await created.clone().text()).toBe(201);
    expect(RoundViewSchema.parse(await created.json()).levelUnitIds?.slice().sort()).toEqual(["jincheng", "zezhou"]);
    const units = ["shanxi", "jincheng", "zezhou", "zz_town", "gaoping"];
    const check = async (what: string, res: Response | Promise<Response>, status = 200) => {
      const r = await res;
      expect(r.status, `${what}: ${await r.clone().text()}`).toBe(status);
      await expectEveryLevelMatches(compiled, "pt1", province, units);
    };
    await check("the town submits", submit("pt1", "zz_town", valuesOf("zezhou"), town), 201);
    await check("gaoping submits", submit("pt1", "gaoping", valuesOf("gaoping")), 201);
    expect((await review("pt1", "zz_town", "approve", jc)).status).toBe(403); // the city does not review a town
    await check("the county approves its town", review("pt1", "zz_town", "approve", county));
    await check("the county submits upward", level("pt1", "zezhou", "submit", county, {}, { "if-match": '"0"' }));
    expect((await level("pt1", "zezhou", "approve", province)).status).toBe(403); // nor the province a county
    await check("the city returns the county", level("pt1", "zezhou", "return", jc, { comment: "请核实" }));
    await check("the county reopens its town", post("/rounds/pt1/reopen", county, { unitId: "zz_town" }));
    await check("the town corrects", submit("pt1", "zz_town", { ...valuesOf("zezhou"), products: 501 }, town));
    await check("the county approves again", review("pt1", "zz_town", "approve", county));
    await check("the county submits again", level("pt1", "zezhou", "submit", county, {}, { "if-match": '"1"' }));
    await check("the city approves the county", level("pt1", "zezhou", "approve", jc));
    await check("the city approves gaoping", review("pt1", "gaoping", "approve", jc));
    await check("the city submits upward", level("pt1", "jincheng", "submit", jc, {}, { "if-match": '"0"' }));
    await check("the province approves the city", level("pt1", "jincheng", "approve", province));
    const stored = await readStoredRound("pt1");
    expect(reportsCountedAt(stored.leaves, (id) => stored.levels.get(id)?.state, "/shanxi/", "approved").map((r) => r.unitId).sort()).toEqual(["gaoping", "zz_town"]);
  });
});
