import { beforeAll, describe, expect, it } from "vitest";
import { meteredD1, type D1Meter } from "../src/db/meter";
import { readHistory } from "../src/db/history";
import { compileTemplate, TemplateSchema } from "@tianbao/shared";
import { api, ensureDemo, env, json, login } from "./helpers";

// Issue 24, first part, through the Worker: a monthly template whose rules read the unit's approved
// figures in other periods — the 1–N月累计 is the sum of this year's months (YTD), never below last
// month's (PREV), and a month over three times last year's asks to confirm (LASTYEAR).
const t = (zh: string, en = zh) => ({ zh, en });
const TEMPLATE = {
  id: "tr24_monthly", name: t("工业产值月报", "Monthly output"), periodType: "month" as const,
  sections: [{ code: "main", name: t("主要指标", "Main") }],
  indicators: [
    { code: "out", section: "main", kind: "amount" as const, unit: "万元", decimals: 1, name: t("本月产值", "Output this month") },
    { code: "cum", section: "main", kind: "amount" as const, unit: "万元", decimals: 1, name: t("1–N月累计产值", "Output year to date") },
  ],
  rules: [
    { code: "cum_is_sum", expr: "cum = YTD(out)", severity: "error" as const, message: t("1–N月累计应等于本年各月产值之和", "the year to date must equal the sum of this year's months") },
    { code: "cum_grows", expr: "cum >= PREV(cum)", severity: "error" as const, message: t("累计不能小于上月累计", "the year to date cannot fall below last month's") },
    { code: "yoy", expr: "out <= LASTYEAR(out) * 3", severity: "warning" as const, message: t("本月产值超过上年同期的 3 倍，请确认", "over three times the same month last year; please confirm") },
  ],
};

let admin = "";
let county = "";
const rounds = new Map<string, string>();

async function openRound(period: string): Promise<string> {
  const id = `tr24_${period.replace("-", "_")}`;
  const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: TEMPLATE.id, templateVersion: 1, period, deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["zezhou"] } });
  expect(r.status, await r.clone().text()).toBe(201);
  rounds.set(period, id);
  return id;
}
const put = async (period: string, values: Record<string, string>, acknowledgeWarnings = false) => {
  const path = `/rounds/${rounds.get(period)}/submissions/zezhou`;
  const cur = await api(path, { token: county });
  const r = await api(path, { method: "PUT", token: county, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values, ...(acknowledgeWarnings ? { acknowledgeWarnings } : {}) } });
  return { status: r.status, body: await json<Body>(r) };
};
const approve = async (period: string) => {
  const r = await api(`/rounds/${rounds.get(period)}/submissions/zezhou/approve`, { method: "POST", token: admin, json: {} });
  expect(r.status, await r.clone().text()).toBe(200);
};
type Issue = { code: string; rule?: string; message: { zh: string } };
type Body = { error?: { code: string; issues?: Issue[] }; warnings?: Issue[] };
const rulesOf = (body: Body): string[] => (body.error?.issues ?? body.warnings ?? []).filter((i) => i.code === "rule").map((i) => i.rule!);

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  county = await login("zezhou");
  const created = await api("/templates", { method: "POST", token: admin, json: { template: TEMPLATE } });
  expect(created.status, await created.clone().text()).toBe(201);
  expect((await api(`/templates/${TEMPLATE.id}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
  for (const p of ["2040-01", "2040-02", "2041-01", "2041-02", "2041-03"]) await openRound(p);
});

describe("rules over periods, through the Worker (issue 24)", () => {
  it("last year's month approved; this January checked against it: over three times asks to confirm", async () => {
    expect((await put("2040-01", { out: "10.0", cum: "10.0" })).status).toBe(201);
    await approve("2040-01");
    const r = await put("2041-01", { out: "40.0", cum: "40.0" });
    expect(r.status).toBe(422);
    expect(r.body.error?.code).toBe("warnings_not_acknowledged");
    expect(rulesOf(r.body)).toEqual(["yoy"]);
    expect((await put("2041-01", { out: "40.0", cum: "40.0" }, true)).status).toBe(201);
  });

  it("February's 累计 must be January's approved figure plus February's; not yet approved, January counts as blank", async () => {
    // January submitted, not approved: the year to date and last month are blank, so those rules wait
    const early = await put("2041-02", { out: "5.0", cum: "1.0" });
    expect(early.status, JSON.stringify(early.body)).toBe(201);
    await approve("2041-01");
    const wrong = await put("2041-02", { out: "5.0", cum: "44.0" });
    expect(wrong.status).toBe(422);
    expect(rulesOf(wrong.body)).toEqual(["cum_is_sum"]);
    expect(wrong.body.error?.issues?.[0]?.message.zh).toContain("1–N月累计应等于本年各月产值之和");
    expect((await put("2041-02", { out: "5.0", cum: "45.0" })).status).toBe(200);
  });

  it("March: a 累计 below February's is refused, the sum of the three months taken", async () => {
    await approve("2041-02");
    const below = await put("2041-03", { out: "0.0", cum: "44.0" });
    expect(below.status).toBe(422);
    expect(rulesOf(below.body).sort()).toEqual(["cum_grows", "cum_is_sum"]);
    expect((await put("2041-03", { out: "2.5", cum: "47.5" })).status).toBe(201);
  });

  it("the look-up is one statement reading only the unit's approved reports of the periods wanted", async () => {
    const compiled = compileTemplate(TemplateSchema.parse({ ...TEMPLATE, version: 1, status: "published" }));
    if (!compiled.ok) throw new Error("template");
    const meter: D1Meter = { read: 0, written: 0, queries: 0 };
    const round = { template_id: TEMPLATE.id, owner_unit_id: "jincheng", period: "2041-03" };
    const history = await readHistory(meteredD1(env.DB, meter), round, "zezhou", compiled.compiled);
    expect(history).toEqual({ prev: { out: "5.0", cum: "45.0" }, lastYear: null, earlier: [{ out: "40.0", cum: "40.0" }, { out: "5.0", cum: "45.0" }] });
    expect(meter.queries).toBe(1);
    console.log(`history for a March report (PREV, LASTYEAR, YTD): ${meter.read} D1 rows read in ${meter.queries} statement`);
  });
});
