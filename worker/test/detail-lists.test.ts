// Issue 25: detail lists (浮动行) through the Worker, in workerd against D1 — submitted with the report,
// checked on their rows, their figures computed and tied to the fixed table by rules, stored as a change
// log of rows (a correction of one row of 2,000 writes one list row), returned with a note on a row,
// corrected, approved, rolled up over the city a page at a time, and diffed between revisions by key.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, withUsccCheck } from "@tianbao/shared";
import { api, ensureDemo, env, json, login } from "./helpers";

type Row = Record<string, unknown>;
type View = { revision: number; state: string; values: Record<string, unknown>; lists?: Record<string, Row[]>; reviewIndicatorComments?: Record<string, string> };
type Issue = { code: string; cell?: string | null; table?: string; list?: { table: string; row: number; field?: string }; rule?: string; message: { zh: string; en: string } };
const DEADLINE = "2099-12-31T23:59:59+08:00";
const ID = "brands_api";
let admin = "";

async function openRound(id: string, period: string, units: string[]) {
  const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: ID, templateVersion: 1, period, deadline: DEADLINE, expectedUnitIds: units } });
  if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
}
async function put(round: string, unit: string, body: Record<string, unknown>): Promise<Response> {
  const cur = await api(`/rounds/${round}/submissions/${unit}`, { token: admin });
  const rev = cur.status === 200 ? (await json<View>(cur)).revision : 0;
  return api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: await login(unit), headers: { "if-match": `"${rev}"` }, json: { acknowledgeWarnings: true, ...body } });
}
async function submit(round: string, unit: string, body: Record<string, unknown>): Promise<View> {
  const r = await put(round, unit, body);
  if (r.status !== 200 && r.status !== 201) throw new Error(`submit ${round} ${unit}: ${r.status} ${await r.text()}`);
  return json<View>(r);
}
const view = async (round: string, unit: string) => json<View>(await api(`/rounds/${round}/submissions/${unit}`, { token: admin }));
const issuesOf = async (r: Response) => (await json<{ error: { issues?: Issue[] } }>(r)).error.issues ?? [];

/** n producers whose 质兴4表 figures agree with them: 1.00 亿元 output, 0.10 亿元 tax and 10 万美元 exports each. */
function producers(n: number, prefix = "企业"): { lists: { producers: Row[] }; values: Record<string, unknown> } {
  const rows = Array.from({ length: n }, (_, i) => ({
    firm: `${prefix}${i + 1}`, uscc: withUsccCheck(`91140525MA0${String(i).padStart(5, "0")}A`), product: "焦炭", level: "山西名牌", year: 2020, output: "1.00", tax: "0.10", exports: 10,
  }));
  const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  return { lists: { producers: rows }, values: { sx_products: n, brand_output: money(100 * n), brand_tax: money(10 * n), brand_exports: 10 * n } };
}

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await api("/templates", { method: "POST", token: admin, json: { template: { ...DEMO_BRANDS_TEMPLATE, id: ID, version: undefined, status: undefined } } });
  if (r.status !== 201) throw new Error(`template: ${r.status} ${await r.text()}`);
  expect((await api(`/templates/${ID}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
}, 60_000);

describe("a report with a detail list", () => {
  it("is submitted with its rows; its figures come from the list, whatever was sent for them", async () => {
    await openRound("dl2510", "2510", ["zezhou", "gaoping", "yangcheng"]);
    const v = await submit("dl2510", "zezhou", { values: { ...DEMO_BRANDS_PAST_VALUES.zezhou, producers_rows: 999 }, lists: { producers: DEMO_BRAND_PRODUCERS.zezhou } });
    expect(v.lists).toBeUndefined(); // the answer (stored for retries) leaves the rows out: GET has them
    expect(v.values.producers_rows).toBe(7);
    expect(v.values.producers_level_sx_rows).toBe(7);
    expect(v.values.producers_output).toBe(DEMO_BRANDS_PAST_VALUES.zezhou!.brand_output);
    // read back as stored: the choice as its code, the credit code tidied
    const again = await view("dl2510", "zezhou");
    expect(again.lists?.producers?.[0]).toEqual({ ...DEMO_BRAND_PRODUCERS.zezhou![0], exports: String(DEMO_BRAND_PRODUCERS.zezhou![0]!.exports) });
  });

  it("the city's totals and its list: the seeds' 21 producers, 210 亿元, 32 亿元, 8,662 万美元", async () => {
    for (const u of ["gaoping", "yangcheng"]) await submit("dl2510", u, { values: DEMO_BRANDS_PAST_VALUES[u]!, lists: { producers: DEMO_BRAND_PRODUCERS[u] } });
    const t = await json<{ totals: { indicators: Record<string, { value?: string | null }> } }>(await api("/rounds/dl2510/totals?unit=jincheng", { token: admin }));
    expect([t.totals.indicators.producers_rows?.value, t.totals.indicators.producers_output?.value, t.totals.indicators.producers_tax?.value, t.totals.indicators.producers_exports?.value])
      .toEqual(["21", "210.00", "32.00", "8662"]);
    type Page = { total: number; rows: { unitId: string; row: number; values: Row }[] };
    const all = await json<Page>(await api("/rounds/dl2510/lists/producers?unit=jincheng&limit=1000", { token: admin }));
    expect(all.total).toBe(21);
    // units in their official order (the completeness list's), each unit's rows in its own order
    const order = (await json<{ units: { unitId: string }[] }>(await api("/rounds/dl2510/completeness?unit=jincheng", { token: admin }))).units.map((u) => u.unitId).filter((u) => ["zezhou", "gaoping", "yangcheng"].includes(u));
    expect(all.rows.map((r) => `${r.unitId}:${r.row}`)).toEqual(order.flatMap((u) => [1, 2, 3, 4, 5, 6, 7].map((i) => `${u}:${i}`)));
    const page = await json<Page>(await api("/rounds/dl2510/lists/producers?unit=jincheng&offset=5&limit=4", { token: admin }));
    expect(page.total).toBe(21);
    expect(page.rows).toEqual(all.rows.slice(5, 9));
    // a county reads its own list with its report; the rolled-up list is the reviewers' (as the totals are)
    expect((await api("/rounds/dl2510/lists/producers?unit=zezhou", { token: await login("zezhou") })).status).toBe(403);
    expect((await json<{ total: number }>(await api("/rounds/dl2510/lists/producers?unit=zezhou", { token: admin }))).total).toBe(7);
    expect((await api("/rounds/dl2510/lists/constructor?unit=jincheng", { token: admin })).status).toBe(404);
    // accepted: none approved yet
    expect((await json<{ total: number }>(await api("/rounds/dl2510/lists/producers?unit=jincheng&basis=approved", { token: admin }))).total).toBe(0);
  });

  it("a list left out of a resubmission is kept as it is", async () => {
    const v = await submit("dl2510", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou! });
    expect((await view("dl2510", "zezhou")).lists?.producers).toHaveLength(7);
    expect(v.values.producers_rows).toBe(7);
  });

  it("names bad rows on their row, field and cell: a bad credit code, text in an amount, a blank required field in the middle, a key twice", async () => {
    await openRound("dl2511", "2511", ["zezhou"]);
    const rows = DEMO_BRAND_PRODUCERS.zezhou!.map((r, i) => (i === 1 ? { ...r, uscc: "91140525MA0100014X" } : i === 2 ? { ...r, output: "十亿" } : i === 3 ? { ...r, firm: "" } : i === 5 ? { ...r, uscc: ` ${String(DEMO_BRAND_PRODUCERS.zezhou![0]!.uscc).toLowerCase()} `, product: "焦 炭" } : r));
    const r = await put("dl2511", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: rows } });
    expect(r.status).toBe(422);
    const issues = await issuesOf(r);
    expect(issues.map((i) => [i.code, i.list?.row, i.list?.field, i.cell])).toEqual([
      ["invalid", 2, "uscc", "C7"], ["invalid", 3, "output", "G8"], ["required", 4, "firm", "B9"], ["duplicate_key", 6, "uscc", "C11"],
    ]);
    expect(issues[3]!.message.zh).toContain("第 6 行与第 1 行重复（统一社会信用代码 + 产品 相同）");
    expect((await api("/rounds/dl2511/submissions/zezhou", { token: admin })).status).toBe(200);
    expect((await view("dl2511", "zezhou")).revision).toBe(0);
  });

  it("refuses a list longer than the template allows, at the first row over, and a list the template does not have", async () => {
    const long = producers(2001);
    const r = await put("dl2511", "zezhou", long);
    expect(r.status).toBe(422);
    expect((await issuesOf(r)).map((i) => [i.code, i.list?.row])).toContainEqual(["too_many_rows", 2001]);
    // a list the template does not have, or a prototype name for one, is refused naming it; nothing is stored
    const other = await put("dl2511", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: DEMO_BRAND_PRODUCERS.zezhou, brands: [] } });
    expect(other.status).toBe(422);
    expect((await issuesOf(other)).map((i) => [i.code, i.message.zh])).toEqual([["unknown_list", "本报表没有清单「brands」"]]);
    for (const name of ["__proto__", "constructor", "toString"]) {
      const raw = `{"values":${JSON.stringify(DEMO_BRANDS_PAST_VALUES.zezhou)},"lists":{"producers":[],"${name}":[{"firm":"x"}]},"acknowledgeWarnings":true}`;
      const r = await api("/rounds/dl2511/submissions/zezhou", { method: "PUT", token: await login("zezhou"), headers: { "if-match": '"0"', "content-type": "application/json" }, body: raw });
      expect(r.status, name).toBe(422);
      expect(await r.text()).toContain(name);
    }
    expect((await view("dl2511", "zezhou")).revision).toBe(0);
  });

  it("a list that disagrees with 质兴4表 is refused by the rule between the tables", async () => {
    const r = await put("dl2511", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: DEMO_BRAND_PRODUCERS.zezhou!.slice(0, 6) } });
    expect(r.status).toBe(422);
    expect((await issuesOf(r)).map((i) => i.rule)).toEqual(["list_sx", "list_output", "list_tax"]);
  });
});

describe("a 2,000-row list: submitted, returned with a note on one row, corrected, approved", () => {
  it("writes one list row for a one-row correction, shows the note on its row, and diffs by key", async () => {
    await openRound("dl2512", "2512", ["zezhou", "gaoping"]);
    const first = producers(2000);
    const v1 = await submit("dl2512", "zezhou", first);
    expect(v1.revision).toBe(1);
    const logged = async (revision: number) => (await env.DB.prepare("SELECT COUNT(*) AS n FROM list_rows WHERE round_id = 'dl2512' AND unit_id = 'zezhou' AND revision = ?").bind(revision).first<{ n: number }>())!.n;
    expect(await logged(1)).toBe(2000);
    const back = await api("/rounds/dl2512/submissions/zezhou/return", { method: "POST", token: admin, json: { comment: "第1234行产值有误", indicatorComments: { "producers#1234": "产值应为 2.00 亿元" } } });
    expect(back.status).toBe(200);
    expect((await view("dl2512", "zezhou")).reviewIndicatorComments).toEqual({ "producers#1234": "产值应为 2.00 亿元" });
    // a note on a row the list does not have is refused, naming it
    const none = await api("/rounds/dl2512/submissions/gaoping/return", { method: "POST", token: admin, json: { comment: "x", indicatorComments: { "producers#1": "x" } } });
    expect(none.status).toBe(422);
    expect((await json<{ error: { message: { zh: string } } }>(none)).error.message.zh).toBe("清单「producers」没有第 1 行，不能对其填写审核意见");
    const rows = first.lists.producers.map((r, i) => (i === 1233 ? { ...r, output: "2.00" } : r));
    const v2 = await submit("dl2512", "zezhou", { lists: { producers: rows }, values: { ...first.values, brand_output: "2001.00" } });
    expect(v2.values.producers_output).toBe("2001.00");
    expect(await logged(2)).toBe(1);
    const figuresWritten = (await env.DB.prepare("SELECT COUNT(*) AS n FROM revision_values WHERE round_id = 'dl2512' AND unit_id = 'zezhou' AND revision = 2").first<{ n: number }>())!.n;
    expect(figuresWritten).toBe(3); // brand_output, producers_output, producers_level_sx_output
    const diff = await json<{ lists: { table: string; added: unknown[]; removed: unknown[]; changed: { row: number; fields: unknown[] }[] }[] }>(await api("/rounds/dl2512/submissions/zezhou/diff?from=1&to=2", { token: admin }));
    expect(diff.lists).toEqual([{ table: "producers", added: [], removed: [], changed: [{ row: 1234, before: 1234, fields: [{ field: "output", before: "1.00", after: "2.00" }] }] }]);
    expect((await api("/rounds/dl2512/submissions/zezhou/approve", { method: "POST", token: admin, json: {} })).status).toBe(200);
    const acc = await json<{ total: number; rows: { values: Row }[] }>(await api("/rounds/dl2512/lists/producers?unit=jincheng&basis=approved&offset=1233&limit=1", { token: admin }));
    expect(acc.total).toBe(2000);
    expect(acc.rows[0]!.values.output).toBe("2.00");
    // revision 1 still reads as it was
    const d0 = await json<{ lists: { changed: unknown[] }[] }>(await api("/rounds/dl2512/submissions/zezhou/diff?from=2&to=1", { token: admin }));
    expect(d0.lists[0]!.changed).toHaveLength(1);
  }, 60_000);

  it("a shorter list leaves tombstones past its end; a sorted list is no change by key", async () => {
    await openRound("dl2513", "2513", ["zezhou"]);
    const ten = producers(10);
    await submit("dl2513", "zezhou", ten);
    const eight = producers(8);
    await submit("dl2513", "zezhou", eight);
    expect((await view("dl2513", "zezhou")).lists?.producers).toHaveLength(8);
    const sorted = { ...eight, lists: { producers: [...eight.lists.producers].reverse() } };
    await submit("dl2513", "zezhou", sorted);
    const diff = await json<{ lists: { added: unknown[]; removed: unknown[]; changed: unknown[] }[] }>(await api("/rounds/dl2513/submissions/zezhou/diff?from=2&to=3", { token: admin }));
    expect(diff.lists[0]).toMatchObject({ added: [], removed: [], changed: [] });
    const d12 = await json<{ lists: { removed: { row: number }[] }[] }>(await api("/rounds/dl2513/submissions/zezhou/diff?from=1&to=2", { token: admin }));
    expect(d12.lists[0]!.removed.map((r) => r.row)).toEqual([9, 10]);
  });
});

describe("the integrity check covers lists", () => {
  it("finds a current list row that is not the change log's, and a list figure that is not what the rows add up to", async () => {
    const { checkIntegrity } = await import("../src/integrity/d1");
    const problems = async () => (await checkIntegrity(env.DB, "/", new Date())).problems.filter((p) => p.roundId === "dl2513").map((p) => p.message.zh);
    expect(await problems()).toEqual([]);
    const row = (await env.DB.prepare("SELECT value FROM current_list_rows WHERE round_id = 'dl2513' AND unit_id = 'zezhou' AND tbl = 'producers' AND pos = 3").first<{ value: string }>())!.value;
    await env.DB.prepare("UPDATE current_list_rows SET value = ? WHERE round_id = 'dl2513' AND unit_id = 'zezhou' AND tbl = 'producers' AND pos = 3").bind(row.replace('"output":"1.00"', '"output":"5.00"')).run();
    const found = await problems();
    expect(found.some((m) => m.startsWith("清单「producers」第 3 行的当前数据为"))).toBe(true);
    expect(found).toContain("清单汇总数「producers_output」为 8.00，但按当前清单应为 12.00");
    await env.DB.prepare("UPDATE current_list_rows SET value = ? WHERE round_id = 'dl2513' AND unit_id = 'zezhou' AND tbl = 'producers' AND pos = 3").bind(row).run();
    expect(await problems()).toEqual([]);
  });
});

describe("the demo's list", () => {
  it("Jincheng's 2024 famous-brand producers: 21 rows from three counties, 210 亿元, 32 亿元, 8,662 万美元, approved", async () => {
    const t = await json<{ totals: { indicators: Record<string, { value?: string | null }> } }>(await api("/rounds/rbrand2024/totals?unit=jincheng&basis=approved", { token: admin }));
    expect(["producers_rows", "producers_output", "producers_tax", "producers_exports", "sx_products"].map((k) => t.totals.indicators[k]?.value)).toEqual(["21", "210.00", "32.00", "8662", "21"]);
    const list = await json<{ total: number; rows: { unitId: string }[] }>(await api("/rounds/rbrand2024/lists/producers?unit=jincheng&basis=approved&limit=1000", { token: admin }));
    expect(list.total).toBe(21);
    expect(new Set(list.rows.map((r) => r.unitId))).toEqual(new Set(["zezhou", "gaoping", "yangcheng"]));
  });
});

describe("a province collects a list level by level", () => {
  it("its accepted list holds a city's rows once it approved the city; its standing list, the counties' current rows; each equals its totals' list figures", async () => {
    const { seedProvinceDemo } = await import("../src/demo/seed");
    await seedProvinceDemo(env.DB);
    const [province, city] = await Promise.all([login("sheng"), login("admin")]);
    const post = (path: string, token: string, body: unknown = {}, headers: Record<string, string> = {}) => api(path, { method: "POST", token, json: body, headers });
    expect((await post("/rounds", province, { id: "dlp2514", templateId: ID, templateVersion: 1, period: "2514", deadline: DEADLINE, expectedUnitIds: ["zezhou", "gaoping"] })).status).toBe(201);
    for (const u of ["zezhou", "gaoping"]) await submit("dlp2514", u, { values: DEMO_BRANDS_PAST_VALUES[u]!, lists: { producers: DEMO_BRAND_PRODUCERS[u] } });
    type Page = { total: number; rows: { unitId: string; values: Row }[] };
    const list = async (basis: string) => json<Page>(await api(`/rounds/dlp2514/lists/producers?unit=shanxi&basis=${basis}&limit=1000`, { token: province }));
    const figures = async (basis: string) => (await json<{ totals: { indicators: Record<string, { value?: string | null }> } }>(await api(`/rounds/dlp2514/totals?unit=shanxi&basis=${basis}`, { token: province }))).totals.indicators;
    const agree = async (basis: string) => {
      const [l, f] = await Promise.all([list(basis), figures(basis)]);
      const cents = l.rows.reduce((s, r) => s + BigInt(String(r.values.output).replace(".", "")), 0n);
      expect(String(l.total), basis).toBe(f.producers_rows?.value ?? "0");
      if (l.total > 0) expect(`${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`, basis).toBe(f.producers_output?.value);
      return l.total;
    };
    expect([await agree("standing"), await agree("approved")]).toEqual([14, 0]);
    for (const u of ["zezhou", "gaoping"]) expect((await post(`/rounds/dlp2514/submissions/${u}/approve`, city)).status).toBe(200);
    expect((await post("/rounds/dlp2514/levels/jincheng/submit", city, {}, { "if-match": '"0"' })).status).toBe(200);
    // submitted upward, not yet approved by the province: not in its accepted list
    expect([await agree("standing"), await agree("approved")]).toEqual([14, 0]);
    expect((await post("/rounds/dlp2514/levels/jincheng/approve", province)).status).toBe(200);
    expect([await agree("standing"), await agree("approved")]).toEqual([14, 14]);
    // the city sees its own counties' rows, never another city's
    expect((await api("/rounds/dlp2514/lists/producers?unit=changzhi", { token: city })).status).toBe(403);
  });
});

describe("a review names the revision it saw", () => {
  it("a return with a note on 第 3 行 of revision 1 is refused once the unit has submitted revision 2 (re-sorted); with the revision seen, it goes through", async () => {
    await openRound("dl2515", "2515", ["zezhou"]);
    await submit("dl2515", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: DEMO_BRAND_PRODUCERS.zezhou } });
    await submit("dl2515", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: [...DEMO_BRAND_PRODUCERS.zezhou!].reverse() } });
    const back = (revision: string) => api("/rounds/dl2515/submissions/zezhou/return", { method: "POST", token: admin, headers: { "if-match": revision }, json: { comment: "请核实", indicatorComments: { "producers#3": "产值请核实" } } });
    const stale = await back('"1"');
    expect(stale.status).toBe(412);
    expect((await json<{ error: { message: { zh: string }; currentRevision: number } }>(stale)).error).toMatchObject({ currentRevision: 2, message: { zh: "该单位已重新上报为第 2 版（您审核的是第 1 版），未退回：请刷新后查看新的一版再审核" } });
    expect((await view("dl2515", "zezhou")).state).toBe("submitted");
    expect((await back("W/\"2\"")).status).toBe(400);
    expect((await back('"2"')).status).toBe(200);
    const approve = await api("/rounds/dl2515/submissions/zezhou/approve", { method: "POST", token: admin, headers: { "if-match": '"2"' }, json: {} });
    expect(approve.status).toBe(409); // returned: nothing to approve until it is submitted again
  });
});
