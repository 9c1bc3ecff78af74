// Issue 24: a correction of last year reaches this year. Approving a unit's report brings its next-year
// reports' 上年同期 up to the approved figures (a new revision, the derived 同比 and the totals with it),
// whatever state next year's report is in — unless it is locked above, which the approval says.
import { beforeAll, describe, expect, it } from "vitest";
import { api, ensureDemo, env, json, login } from "./helpers";
import { seedProvinceDemo } from "../src/demo/seed";

type View = { revision: number; state: string; values: Record<string, unknown>; derived: Record<string, unknown> };
type Ind = { value?: string | null; units?: number };
type Approval = { state: string; revision: number; lastYear?: { updated: string[]; locked: string[] } };

const t = (zh: string, en: string) => ({ zh, en });
const DEADLINE = "2099-12-31T23:59:59+08:00";
let admin = "";

const template = (id: string) => ({
  id, periodType: "annual", name: t(`上年同期随更正 ${id}`, `last year follows ${id}`),
  sections: [{ code: "m", name: t("主要指标", "Main") }],
  indicators: [
    { code: "x", section: "m", kind: "amount", unit: "万元", decimals: 2, required: false, name: t("产值", "Output") },
    { code: "c", section: "m", kind: "count", required: false, name: t("企业数", "Firms") },
  ],
  form: { tables: [{ kind: "list", code: "main", formNo: "随更1表", name: t("主要指标", "Main"), sections: ["m"], yoy: true }] },
});

async function publish(id: string): Promise<number> {
  const r = await api("/templates", { method: "POST", token: admin, json: { template: template(id) } });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${await r.text()}`);
  const { version } = await json<{ version: number }>(r);
  expect((await api(`/templates/${id}/${version}/publish`, { method: "POST", token: admin })).status).toBe(200);
  return version;
}

async function openRound(id: string, templateId: string, v: number, period: string, units: string[], token = admin) {
  const r = await api("/rounds", { method: "POST", token, json: { id, templateId, templateVersion: v, period, deadline: DEADLINE, expectedUnitIds: units } });
  if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
}
const view = async (round: string, unit: string) => json<View>(await api(`/rounds/${round}/submissions/${unit}`, { token: admin }));
async function submit(round: string, unit: string, values: Record<string, unknown>): Promise<View> {
  const cur = await api(`/rounds/${round}/submissions/${unit}`, { token: admin });
  const rev = cur.status === 200 ? (await json<View>(cur)).revision : 0;
  const r = await api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: await login(unit), headers: { "if-match": `"${rev}"` }, json: { values, acknowledgeWarnings: true } });
  if (r.status !== 200 && r.status !== 201) throw new Error(`submit ${round} ${unit}: ${r.status} ${await r.text()}`);
  return json<View>(r);
}
async function act(round: string, unit: string, action: "approve" | "return", token = admin): Promise<Approval> {
  const r = await api(`/rounds/${round}/submissions/${unit}/${action}`, { method: "POST", token, json: action === "return" ? { comment: "请核实" } : {} });
  if (r.status !== 200) throw new Error(`${action} ${round} ${unit}: ${r.status} ${await r.text()}`);
  return json<Approval>(r);
}
async function reopen(round: string, unit: string, token = admin) {
  const r = await api(`/rounds/${round}/reopen`, { method: "POST", token, json: { unitId: unit, reason: "更正" } });
  if (r.status !== 200) throw new Error(`reopen: ${r.status} ${await r.text()}`);
}
async function totals(round: string, basis: "standing" | "approved", unit = "jincheng", token = admin): Promise<Record<string, Ind>> {
  const r = await api(`/rounds/${round}/totals?unit=${unit}&basis=${basis}`, { token });
  if (r.status !== 200) throw new Error(`totals: ${r.status} ${await r.text()}`);
  return (await json<{ totals: { indicators: Record<string, Ind> } }>(r)).totals.indicators;
}
async function integrity(token = admin): Promise<unknown[]> {
  const problems: unknown[] = [];
  let cursor = "";
  for (let i = 0; i < 60; i++) {
    const body = await json<{ problems: unknown[]; next?: string | null }>(await api(`/integrity?cursor=${encodeURIComponent(cursor)}`, { token }));
    problems.push(...body.problems);
    if (!body.next) break;
    cursor = body.next;
  }
  return problems;
}
async function correct(round: string, unit: string, values: Record<string, unknown>, token = admin): Promise<Approval> {
  await reopen(round, unit, token);
  await submit(round, unit, values);
  return act(round, unit, "approve", token);
}

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
}, 60_000);

describe("a correction of last year reaches this year's reports in every state", () => {
  let v = 0;
  beforeAll(async () => {
    v = await publish("lyf_yoy");
    await openRound("lyf2080", "lyf_yoy", v, "2080", ["zezhou", "gaoping", "yangcheng"]);
    await submit("lyf2080", "zezhou", { x: "100", c: 10 });
    await submit("lyf2080", "gaoping", { x: "200", c: 20 });
    await submit("lyf2080", "yangcheng", { x: "50" });
    for (const u of ["zezhou", "gaoping", "yangcheng"]) await act("lyf2080", u, "approve");
    await openRound("lyf2081", "lyf_yoy", v, "2081", ["zezhou", "gaoping", "yangcheng", "qinshui"]);
  }, 60_000);

  it("a submitted report: a new revision with the corrected 上年同期, its 同比 and the standing totals follow; the approval says so", async () => {
    const before = await submit("lyf2081", "zezhou", { x: "120", c: 12 });
    expect(before.values.x_ly).toBe("100.00");
    const a = await correct("lyf2080", "zezhou", { x: "80", c: 8 });
    expect(a.lastYear).toEqual({ updated: ["lyf2081"], locked: [], review: [] });
    const after = await view("lyf2081", "zezhou");
    expect(after.state).toBe("submitted");
    expect(after.revision).toBe(before.revision + 1);
    expect(after.values).toMatchObject({ x: "120.00", x_ly: "80.00", c: 12, c_ly: 8 });
    expect(after.derived.x_yoyp).toBe("50.0");
    const s = await totals("lyf2081", "standing");
    expect(s.x_ly!.value).toBe("80.00");
    expect(s.x_yoyp!.value).toBe("50.0");
    // the audit trail says what moved it and from where
    const trail = await json<{ action: string; unitId: string; detail: Record<string, unknown> }[]>(await api("/rounds/lyf2081/audit?unit=zezhou", { token: admin }));
    const entry = trail.find((e) => e.action === "follow_update");
    expect(entry?.detail).toMatchObject({ from: "lyf2080", indicators: ["x_ly", "c_ly"] });
  });

  it("an approved report: the approved totals follow too, and reopening it afterwards takes out exactly what is in", async () => {
    await submit("lyf2081", "gaoping", { x: "250", c: 25 });
    await act("lyf2081", "gaoping", "approve");
    expect((await totals("lyf2081", "approved")).x_ly!.value).toBe("200.00");
    const a = await correct("lyf2080", "gaoping", { x: "125", c: 25 });
    expect(a.lastYear?.updated).toEqual(["lyf2081"]);
    const g = await view("lyf2081", "gaoping");
    expect(g.state).toBe("approved");
    expect(g.values.x_ly).toBe("125.00");
    expect(g.derived.x_yoyp).toBe("100.0");
    const approved = await totals("lyf2081", "approved");
    expect(approved.x_ly!.value).toBe("125.00");
    expect(approved.x_yoyp!.value).toBe("100.0");
    await reopen("lyf2081", "gaoping");
    expect((await totals("lyf2081", "approved")).x_ly?.value ?? null).toBeNull();
    await act("lyf2081", "gaoping", "approve");
    expect(await integrity()).toEqual([]);
  });

  it("a returned report: its figures follow, the totals it is out of do not move; resubmitted, it counts with the corrected figure", async () => {
    await submit("lyf2081", "yangcheng", { x: "60" });
    await act("lyf2081", "yangcheng", "return");
    const standing = (await totals("lyf2081", "standing")).x_ly!.value;
    await correct("lyf2080", "yangcheng", { x: "40" });
    expect((await view("lyf2081", "yangcheng")).values.x_ly).toBe("40.00");
    expect((await totals("lyf2081", "standing")).x_ly!.value).toBe(standing);
    await submit("lyf2081", "yangcheng", { x: "60" });
    expect((await totals("lyf2081", "standing")).x_ly!.value).toBe("245.00"); // 80 + 125 + 40
  });

  it("a first approval of last year replaces a 上年同期 this year's report had typed while there was none", async () => {
    await openRound("lyf2082", "lyf_yoy", v, "2082", ["qinshui"]);
    await submit("lyf2082", "qinshui", { x: "90" });
    await submit("lyf2081", "qinshui", { x: "75", x_ly: "70" });
    await openRound("lyf2080b", "lyf_yoy", v, "2080", ["qinshui"]);
    await submit("lyf2080b", "qinshui", { x: "60" });
    // lyf2082 takes its last year from lyf2081, not yet approved: nothing follows there
    const a = await act("lyf2080b", "qinshui", "approve");
    expect(a.lastYear?.updated).toEqual(["lyf2081"]);
    expect((await view("lyf2081", "qinshui")).values.x_ly).toBe("60.00");
    expect((await view("lyf2082", "qinshui")).values.x_ly ?? null).toBeNull();
  });

  it("an approval that changes no 上年同期 writes no revision next year and says nothing", async () => {
    const before = await view("lyf2081", "zezhou");
    await reopen("lyf2080", "zezhou");
    const a = await act("lyf2080", "zezhou", "approve");
    expect(a.lastYear).toBeUndefined();
    expect((await view("lyf2081", "zezhou")).revision).toBe(before.revision);
  });
});

describe("a next-year report below a level that has submitted upward", () => {
  let sheng = "";
  beforeAll(async () => {
    await seedProvinceDemo(env.DB);
    sheng = await login("sheng");
  }, 60_000);

  it("is left as it is and named in the approval; once the level is returned it follows", async () => {
    const v = await publish("lyf_prov");
    await openRound("lyfp2090", "lyf_prov", v, "2090", ["zezhou"], sheng);
    await submit("lyfp2090", "zezhou", { x: "100" });
    await act("lyfp2090", "zezhou", "approve");
    await openRound("lyfp2091", "lyf_prov", v, "2091", ["zezhou"], sheng);
    expect((await submit("lyfp2091", "zezhou", { x: "110" })).values.x_ly).toBe("100.00");
    await act("lyfp2091", "zezhou", "approve");
    const up = await api("/rounds/lyfp2091/levels/jincheng/submit", { method: "POST", token: admin, json: {}, headers: { "if-match": '"0"' } });
    expect(up.status).toBe(200);
    // last year's level has not submitted: the city reopens and corrects it
    const a = await correct("lyfp2090", "zezhou", { x: "88" });
    expect(a.lastYear).toEqual({ updated: [], locked: ["lyfp2091"], review: [] });
    expect((await view("lyfp2091", "zezhou")).values.x_ly).toBe("100.00");
    expect(await integrity(sheng)).toEqual([]);
    // returned from above, the level opens: the city reopens the county, which submits with the corrected figure
    expect((await api("/rounds/lyfp2091/levels/jincheng/return", { method: "POST", token: sheng, json: { comment: "上年数据已更正" }, headers: { "if-match": '"1"' } })).status).toBe(200);
    // the level returned, its county's report is brought up to the corrected figure in the return's batch
    expect((await view("lyfp2091", "zezhou")).values.x_ly).toBe("88.00");
    expect(await integrity(sheng)).toEqual([]);
    // the city goes on as usual: reopen, the county submits, approve
    await reopen("lyfp2091", "zezhou");
    expect((await submit("lyfp2091", "zezhou", { x: "110" })).values.x_ly).toBe("88.00");
    await act("lyfp2091", "zezhou", "approve");
    expect(await integrity(sheng)).toEqual([]);
  });

  it("below an open level, an approved next-year report follows and so do the level's approved totals", async () => {
    const v = await publish("lyf_prov2");
    await openRound("lyfq2092", "lyf_prov2", v, "2092", ["zezhou"], sheng);
    await submit("lyfq2092", "zezhou", { x: "100" });
    await act("lyfq2092", "zezhou", "approve");
    await openRound("lyfq2093", "lyf_prov2", v, "2093", ["zezhou"], sheng);
    await submit("lyfq2093", "zezhou", { x: "150" });
    await act("lyfq2093", "zezhou", "approve");
    expect((await correct("lyfq2092", "zezhou", { x: "75" })).lastYear?.updated).toEqual(["lyfq2093"]);
    const city = await totals("lyfq2093", "approved");
    expect(city.x_ly!.value).toBe("75.00");
    expect(city.x_yoyp!.value).toBe("100.0");
    expect(await integrity(sheng)).toEqual([]);
  });
});
