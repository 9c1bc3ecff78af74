// Issue 24: 本年累计 (1–N月累计) as a list table's generated column. Where every earlier month of the year is
// approved, the 累计 is this month's figure plus theirs, whatever was typed; elsewhere the typed one stands.
// A correction of an earlier month reaches the later months' 累计 on its approval; with 同比 columns the
// 累计 gets its own (累计同比), filled from last year's approved 累计.
import { beforeAll, describe, expect, it } from "vitest";
import { TemplateSchema, compileTemplate } from "@tianbao/shared";
import { api, ensureDemo, json, login } from "./helpers";

type View = { revision: number; state: string; values: Record<string, unknown>; derived: Record<string, unknown> };
type Approval = { lastYear?: { updated: string[]; locked: string[] } };
const t = (zh: string, en: string) => ({ zh, en });
const DEADLINE = "2099-12-31T23:59:59+08:00";
let admin = "";

const template = {
  id: "ytd_month", periodType: "month", name: t("月报累计", "Monthly with year to date"),
  sections: [{ code: "m", name: t("主要指标", "Main") }],
  indicators: [
    { code: "out", section: "m", kind: "amount", unit: "万元", decimals: 1, min: "0", required: false, name: t("产值", "Output") },
    { code: "note", section: "m", kind: "text", required: false, name: t("说明", "Note") },
  ],
  form: { tables: [{ kind: "list", code: "main", formNo: "月1表", name: t("主要指标", "Main"), sections: ["m"], yoy: true, ytd: true }] },
};

async function openRound(id: string, v: number, period: string, units: string[]) {
  const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: "ytd_month", templateVersion: v, period, deadline: DEADLINE, expectedUnitIds: units } });
  if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
}
async function put(round: string, unit: string, values: Record<string, unknown>): Promise<Response> {
  const cur = await api(`/rounds/${round}/submissions/${unit}`, { token: admin });
  const rev = cur.status === 200 ? (await json<View>(cur)).revision : 0;
  return api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: await login(unit), headers: { "if-match": `"${rev}"` }, json: { values, acknowledgeWarnings: true } });
}
async function submit(round: string, unit: string, values: Record<string, unknown>): Promise<View> {
  const r = await put(round, unit, values);
  if (r.status !== 200 && r.status !== 201) throw new Error(`submit ${round} ${unit}: ${r.status} ${await r.text()}`);
  return json<View>(r);
}
async function approve(round: string, unit: string): Promise<Approval> {
  const r = await api(`/rounds/${round}/submissions/${unit}/approve`, { method: "POST", token: admin, json: {} });
  if (r.status !== 200) throw new Error(`approve ${round} ${unit}: ${r.status} ${await r.text()}`);
  return json<Approval>(r);
}
async function reopen(round: string, unit: string) {
  expect((await api(`/rounds/${round}/reopen`, { method: "POST", token: admin, json: { unitId: unit, reason: "更正" } })).status).toBe(200);
}
const view = async (round: string, unit: string) => json<View>(await api(`/rounds/${round}/submissions/${unit}`, { token: admin }));
async function totals(round: string): Promise<Record<string, { value?: string | null; units?: number }>> {
  const r = await api(`/rounds/${round}/totals?unit=jincheng&basis=standing`, { token: admin });
  return (await json<{ totals: { indicators: Record<string, { value?: string | null; units?: number }> } }>(r)).totals.indicators;
}

let v = 0;
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await api("/templates", { method: "POST", token: admin, json: { template } });
  if (r.status !== 201) throw new Error(`template: ${r.status} ${await r.text()}`);
  v = (await json<{ version: number }>(r)).version;
  expect((await api(`/templates/ytd_month/${v}/publish`, { method: "POST", token: admin })).status).toBe(200);
}, 60_000);

describe("本年累计 columns", () => {
  it("the template gets 1–N月累计 after each figure, with its own 同比 columns", async () => {
    const c = compileTemplate(TemplateSchema.parse({ ...template, version: v, status: "published" }));
    if (!c.ok) throw new Error("compile");
    const codes = c.compiled.template.indicators.map((i) => i.code);
    expect(c.compiled.template.rules.map((r) => r.expr)).toContain("out_ytd >= out");
    expect(codes).toEqual(["out", "out_ly", "out_yoy", "out_yoyp", "out_ytd", "out_ytd_ly", "out_ytd_yoy", "out_ytd_yoyp", "note"]);
  });

  it("January's 累计 is January; February's is January's approved figure plus February's, whatever was typed", async () => {
    await openRound("ytd2250_01", v, "2250-01", ["zezhou", "gaoping"]);
    const jan = await submit("ytd2250_01", "zezhou", { out: "10.0", out_ytd: "999" });
    expect(jan.values.out_ytd).toBe("10.0");
    await approve("ytd2250_01", "zezhou");
    await openRound("ytd2250_02", v, "2250-02", ["zezhou", "gaoping"]);
    const feb = await submit("ytd2250_02", "zezhou", { out: "12.5", out_ytd: "1" });
    expect(feb.values.out_ytd).toBe("22.5");
  });

  it("without an approved earlier month the typed 累计 stands, checked against this month's figure", async () => {
    // gaoping has no approved January: its typed 累计 stands
    const feb = await submit("ytd2250_02", "gaoping", { out: "5.0", out_ytd: "11.0" });
    expect(feb.values.out_ytd).toBe("11.0");
    // a 累计 below this month's figure is refused on its cell
    const bad = await put("ytd2250_02", "gaoping", { out: "5.0", out_ytd: "4.0" });
    expect(bad.status).toBe(422);
    const body = await json<{ error: { issues: { indicator?: string; message: { zh: string } }[] } }>(bad);
    expect(body.error.issues.find((i) => i.indicator === "out_ytd" || /本年累计/.test(i.message.zh))).toBeTruthy();
  });

  it("a correction of January reaches February's stored 累计 and the city's total on its approval", async () => {
    await submit("ytd2250_01", "gaoping", { out: "6.0" });
    await approve("ytd2250_01", "gaoping");
    // approving January brings gaoping's February 累计 to January + February
    expect((await view("ytd2250_02", "gaoping")).values.out_ytd).toBe("11.0");
    await reopen("ytd2250_01", "zezhou");
    await submit("ytd2250_01", "zezhou", { out: "8.0" });
    const a = await approve("ytd2250_01", "zezhou");
    expect(a.lastYear?.updated).toEqual(["ytd2250_02"]);
    expect((await view("ytd2250_02", "zezhou")).values.out_ytd).toBe("20.5");
    expect((await totals("ytd2250_02")).out_ytd!.value).toBe("31.5"); // 20.5 + 11.0
  });

  it("a month whose earlier month is missing keeps its typed 累计 until that month is approved", async () => {
    await openRound("ytd2250_04", v, "2250-04", ["zezhou"]);
    // March never reported: April's 累计 is as typed
    expect((await submit("ytd2250_04", "zezhou", { out: "4.0", out_ytd: "40.0" })).values.out_ytd).toBe("40.0");
    await approve("ytd2250_02", "zezhou");
    expect((await view("ytd2250_04", "zezhou")).values.out_ytd).toBe("40.0");
    await openRound("ytd2250_03", v, "2250-03", ["zezhou"]);
    await submit("ytd2250_03", "zezhou", { out: "3.0" });
    expect((await view("ytd2250_03", "zezhou")).values.out_ytd).toBe("23.5");
    const a = await approve("ytd2250_03", "zezhou");
    expect(a.lastYear?.updated).toEqual(["ytd2250_04"]);
    expect((await view("ytd2250_04", "zezhou")).values.out_ytd).toBe("27.5"); // 8 + 12.5 + 3 + 4
  });

  it("next year's 累计同比 takes last year's approved 累计", async () => {
    await openRound("ytd2251_02", v, "2251-02", ["zezhou"]);
    const feb = await submit("ytd2251_02", "zezhou", { out: "15.0", out_ytd: "30.0" });
    expect(feb.values.out_ly).toBe("12.5");
    expect(feb.values.out_ytd_ly).toBe("20.5");
    expect(feb.derived.out_ytd_yoyp).toBe("46.3"); // (30 − 20.5) / 20.5
  });

  it("a typed 上年同期 or 累计 that an approved figure replaces asks to confirm, naming its cell and both figures; the figure the sheet filled asks nothing", async () => {
    await openRound("ytd2251_03", v, "2251-03", ["zezhou"]);
    const cur = 0;
    const ask = await api("/rounds/ytd2251_03/submissions/zezhou", { method: "PUT", token: await login("zezhou"), headers: { "if-match": `"${cur}"` }, json: { values: { out: "5.0", out_ly: "1.0" } } });
    expect(ask.status).toBe(422);
    const body = await json<{ error: { code: string; issues: { indicator: string; message: { zh: string; en: string } }[] } }>(ask);
    expect(body.error.code).toBe("warnings_not_acknowledged");
    expect(body.error.issues.map((i) => [i.indicator, i.message.zh])).toEqual([["out_ly", "月1表 D7 产值（上年同期）（out_ly）：填写的 1.0 已改为上年同期已审核的数据 3.0"]]);
    // the figure that is the approved one already (as the sheet fills it) asks nothing
    const same = await api("/rounds/ytd2251_03/submissions/zezhou", { method: "PUT", token: await login("zezhou"), headers: { "if-match": `"${cur}"` }, json: { values: { out: "5.0", out_ly: "3.0" } } });
    expect(same.status).toBe(201);
  });

  it("the same report collected by the quarter: a quarter without its own report is made of its approved months, for the 累计 and next year's 上年同期; a month's correction follows into the quarter", async () => {
    // 2252: January–June monthly, approved; no 2252Q1 round
    for (const [m, out] of [[1, "1.0"], [2, "2.0"], [3, "3.0"], [4, "4.0"], [5, "5.0"], [6, "6.0"]] as const) {
      const id = `ytd2252_0${m}`;
      await openRound(id, v, `2252-0${m}`, ["yangcheng"]);
      await submit(id, "yangcheng", { out });
      await approve(id, "yangcheng");
    }
    await openRound("ytd2252_q2", v, "2252Q2", ["yangcheng"]);
    const q2 = await submit("ytd2252_q2", "yangcheng", { out: "16.0" });
    expect(q2.values.out_ytd).toBe("22.0"); // Q2 16 + Q1 made of its months 1 + 2 + 3
    // next year's second quarter: its 上年同期 is 2252Q2's own report once approved (16), until then made of April–June
    await openRound("ytd2253_q2", v, "2253Q2", ["yangcheng"]);
    expect((await submit("ytd2253_q2", "yangcheng", { out: "20.0" })).values.out_ly).toBe("15.0"); // 4 + 5 + 6
    // February corrected and approved again: the quarter's 累计 follows in the same approval
    await reopen("ytd2252_02", "yangcheng");
    await submit("ytd2252_02", "yangcheng", { out: "2.5" });
    const a = await approve("ytd2252_02", "yangcheng");
    expect(a.lastYear?.updated).toContain("ytd2252_q2");
    expect((await view("ytd2252_q2", "yangcheng")).values.out_ytd).toBe("22.5");
    // the quarter's own report approved: next year's 上年同期 is its figure now
    const q = await approve("ytd2252_q2", "yangcheng");
    expect(q.lastYear?.updated).toContain("ytd2253_q2");
    expect((await view("ytd2253_q2", "yangcheng")).values.out_ly).toBe("16.0");
    // a template without 累计 columns is collected by its own period only
    const plain = await api("/rounds", { method: "POST", token: admin, json: { id: "ytd_plainq", templateId: "quality_city_monthly", templateVersion: 1, period: "2252Q1", deadline: DEADLINE, expectedUnitIds: ["yangcheng"] } });
    expect(plain.status).toBe(422);
  });
});
