import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, ensureDemo, json, login } from "./helpers";

// Independent review of issue 24's last two parts: 本年累计 in grids, and quarters / half-years / years of a
// monthly template made of its months. Periods 2400–2499, templates r24d_*. "FINDING" tests were it.fails while open; all six were fixed.
// Each scenario uses its own county, so one county's corrections never reach another's figures.
const t = (zh: string, en = zh) => ({ zh, en });
const DEADLINE = "2099-12-31T23:59:59+08:00";
const ALL = ["zezhou", "gaoping", "yangcheng", "qinshui", "lingchuan"];

// a monthly list template with 同比 and 本年累计: a flow amount, a count, and an amount that may be negative
const LIST = {
  id: "r24d_l", name: t("累计列表月报", "YTD list monthly"), periodType: "month" as const,
  sections: [{ code: "main", name: t("主要指标", "Main") }],
  indicators: [
    { code: "out", section: "main", kind: "amount" as const, unit: "万元", decimals: 1, name: t("产值", "Output") },
    { code: "n", section: "main", kind: "count" as const, unit: "个", name: t("项目数", "Projects") },
    { code: "pl", section: "main", kind: "amount" as const, unit: "万元", decimals: 1, min: "-100000", name: t("利润", "Profit") },
  ],
  form: { tables: [{ kind: "list" as const, code: "t1", formNo: "L1", name: t("主要指标", "Main"), sections: ["main"], yoy: true, ytd: true }] },
};
// a monthly grid with a 合计 row and column, a 其中 row and a 其中 column, a skipped cell, 同比 and 累计
const GRID = {
  id: "r24d_g", name: t("累计表格月报", "YTD grid monthly"), periodType: "month" as const,
  sections: [{ code: "meta", name: t("说明", "Notes") }], indicators: [],
  form: { tables: [{ kind: "list" as const, code: "m", formNo: "G0", name: t("说明", "Notes"), sections: ["meta"] }, {
    kind: "grid" as const, code: "g", formNo: "G1", name: t("分行业", "By industry"), required: false, yoy: true, ytd: true,
    rows: [{ code: "tot", name: t("合计"), role: "total" as const }, { code: "a", name: t("工业") }, { code: "a1", name: t("其中：制造业"), role: "ofWhich" as const, of: "a" }, { code: "b", name: t("服务业") }],
    columns: [
      { code: "ct", name: t("合计"), kind: "amount" as const, unit: "万元", decimals: 1, role: "total" as const },
      { code: "c1", name: t("投资"), kind: "amount" as const, unit: "万元", decimals: 1 },
      { code: "c2", name: t("消费"), kind: "amount" as const, unit: "万元", decimals: 1 },
      { code: "c1o", name: t("其中：国有"), kind: "amount" as const, unit: "万元", decimals: 1, role: "ofWhich" as const, of: "c1" },
    ],
    skip: ["b:c2"],
  }] },
};
// a required grid with 累计
const GRIDR = {
  id: "r24d_gr", name: t("必填累计表格", "Required YTD grid"), periodType: "month" as const,
  sections: [{ code: "meta", name: t("说明", "Notes") }], indicators: [],
  form: { tables: [{ kind: "list" as const, code: "m", formNo: "H0", name: t("说明", "Notes"), sections: ["meta"] }, {
    kind: "grid" as const, code: "h", formNo: "H1", name: t("必填", "Required"), required: true, ytd: true,
    rows: [{ code: "tot", name: t("合计"), role: "total" as const }, { code: "a", name: t("甲") }, { code: "b", name: t("乙") }],
    columns: [{ code: "x", name: t("金额"), kind: "amount" as const, unit: "万元", decimals: 1 }],
  }] },
};

let admin = "";
const tokens = new Map<string, string>();
type View = { state: string; revision: number; values: Record<string, unknown>; derived: Record<string, unknown>; warnings?: { code: string; indicator?: string; rule?: string }[] };
const rid = (tpl: string, period: string) => `${tpl}_${period.replace("-", "m")}`;

async function createTemplate(tpl: { id: string }): Promise<void> {
  const c = await api("/templates", { method: "POST", token: admin, json: { template: tpl } });
  expect(c.status, await c.clone().text()).toBe(201);
  const p = await api(`/templates/${tpl.id}/1/publish`, { method: "POST", token: admin });
  expect(p.status, await p.clone().text()).toBe(200);
}
async function openRound(tpl: string, period: string): Promise<Response> {
  return api("/rounds", { method: "POST", token: admin, json: { id: rid(tpl, period), templateId: tpl, templateVersion: 1, period, deadline: DEADLINE, expectedUnitIds: ALL } });
}
async function view(tpl: string, period: string, unit: string): Promise<View> {
  const r = await api(`/rounds/${rid(tpl, period)}/submissions/${unit}`, { token: admin });
  expect(r.status, await r.clone().text()).toBe(200);
  return json<View>(r);
}
async function putRaw(tpl: string, period: string, unit: string, values: Record<string, unknown>): Promise<Response> {
  const path = `/rounds/${rid(tpl, period)}/submissions/${unit}`;
  const cur = await api(path, { token: tokens.get(unit)! });
  const etag = cur.status === 200 ? (cur.headers.get("etag") ?? `"${(await json<View>(cur)).revision}"`) : '"0"';
  return api(path, { method: "PUT", token: tokens.get(unit)!, headers: { "if-match": etag }, json: { values, acknowledgeWarnings: true } });
}
async function put(tpl: string, period: string, unit: string, values: Record<string, unknown>): Promise<View> {
  const r = await putRaw(tpl, period, unit, values);
  expect(r.status, await r.clone().text()).toBeLessThan(300);
  return json<View>(r);
}
async function approve(tpl: string, period: string, unit: string): Promise<Record<string, unknown>> {
  const r = await api(`/rounds/${rid(tpl, period)}/submissions/${unit}/approve`, { method: "POST", token: admin, json: {} });
  expect(r.status, await r.clone().text()).toBe(200);
  return json(r);
}
async function reopen(tpl: string, period: string, unit: string): Promise<void> {
  const r = await api(`/rounds/${rid(tpl, period)}/reopen`, { method: "POST", token: admin, json: { unitId: unit, reason: "更正" } });
  expect(r.status, await r.clone().text()).toBe(200);
}
type Totals = { indicators: Record<string, { value: string | null; reported?: number; units?: number }> };
async function totals(tpl: string, period: string, basis = "standing"): Promise<{ totals: Totals; children: { unitId: string; totals: Totals }[] }> {
  const r = await api(`/rounds/${rid(tpl, period)}/totals?unit=jincheng&basis=${basis}`, { token: admin });
  expect(r.status, await r.clone().text()).toBe(200);
  return json(r);
}
const childOf = (t: Awaited<ReturnType<typeof totals>>, unit: string) => t.children.find((c) => c.unitId === unit)!.totals.indicators;

async function integrityProblems(): Promise<string[]> {
  const problems: string[] = [];
  let cursor = "";
  for (let i = 0; i < 2000; i++) {
    const r = await api(`/integrity?cursor=${encodeURIComponent(cursor)}`, { token: admin });
    expect(r.status, await r.clone().text()).toBe(200);
    const body = await json<{ problems: { kind: string; roundId?: string; unitId?: string; message: { en: string } }[]; complete: boolean; next: string | null }>(r);
    problems.push(...body.problems.map((p) => `[${p.kind}] ${p.roundId ?? "-"} ${p.unitId ?? "-"}: ${p.message.en}`));
    if (body.complete || !body.next) break;
    cursor = body.next;
  }
  return problems;
}

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  for (const u of ALL) tokens.set(u, await login(u));
  for (const tpl of [LIST, GRID, GRIDR]) await createTemplate(tpl);
  for (const p of ["2400-01", "2400-02", "2400-03", "2400-04", "2400-05", "2400-06", "2400-07", "2400-08", "2400-09", "2400-10", "2400-11", "2400-12", "2400Q1", "2400Q2", "2400H2", "2401Q1", "2401-01", "2401-03", "2401"]) {
    const r = await openRound(LIST.id, p);
    expect(r.status, `${p}: ${await r.clone().text()}`).toBe(201);
  }
  for (const p of ["2400-01", "2400-02", "2400-03"]) {
    expect((await openRound(GRID.id, p)).status).toBe(201);
    expect((await openRound(GRIDR.id, p)).status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  expect(await integrityProblems()).toEqual([]);
}, 300_000);

describe("本年累计 in grids", () => {
  it("HELD: a grid's typed cells' 累计 are this month plus approved earlier months; 合计 cells add up; the skipped cell has no 累计", async () => {
    await put(GRID.id, "2400-01", "zezhou", { g_a_c1: "10", g_a_c2: "5", g_a1_c1: "4", g_b_c1: "7", g_a_c1o: "3" });
    await approve(GRID.id, "2400-01", "zezhou");
    const v = await put(GRID.id, "2400-02", "zezhou", { g_a_c1: "20", g_a_c2: "6", g_a1_c1: "8", g_b_c1: "1", g_a_c1o: "2", g_a_c1_ytd: "999" });
    expect(v.values.g_a_c1_ytd).toBe("30.0");
    expect(v.values.g_a_c2_ytd).toBe("11.0");
    expect(v.values.g_a1_c1_ytd).toBe("12.0");
    expect(v.values.g_b_c1_ytd).toBe("8.0");
    expect(v.values.g_a_c1o_ytd).toBe("5.0");
    expect("g_b_c2_ytd" in v.values).toBe(false);
    expect(v.warnings?.some((w) => w.code === "filled_from_approved" && w.indicator === "g_a_c1_ytd")).toBe(true);
    expect(v.derived.g_a_ct_ytd).toBe("41.0");
    expect(v.derived.g_tot_c1_ytd).toBe("38.0");
    expect(v.derived.g_tot_ct_ytd).toBe("49.0");
    const tt = await totals(GRID.id, "2400-02");
    expect(tt.totals.indicators.g_tot_ct_ytd?.value).toBe("49.0");
    expect(tt.totals.indicators.g_a_c1_ytd?.value).toBe("30.0");
  });

  it("HELD: a grid month's correction follows into the next month's 累计 (and its totals) on approval", async () => {
    await approve(GRID.id, "2400-02", "zezhou");
    await put(GRID.id, "2400-03", "zezhou", { g_a_c1: "1", g_b_c1: "1" });
    expect((await view(GRID.id, "2400-03", "zezhou")).values.g_a_c1_ytd).toBe("31.0");
    await reopen(GRID.id, "2400-01", "zezhou");
    await put(GRID.id, "2400-01", "zezhou", { g_a_c1: "100", g_a_c2: "5", g_a1_c1: "4", g_b_c1: "7", g_a_c1o: "3" });
    await approve(GRID.id, "2400-01", "zezhou");
    expect((await view(GRID.id, "2400-02", "zezhou")).values.g_a_c1_ytd).toBe("120.0");
    expect((await view(GRID.id, "2400-03", "zezhou")).values.g_a_c1_ytd).toBe("121.0");
    const tt = await totals(GRID.id, "2400-03");
    expect(tt.totals.indicators.g_a_c1_ytd?.value).toBe("121.0");
  });

  it("HELD: a typed 其中 row 累计 above its whole's 累计 is refused (earlier month not approved)", async () => {
    await put(GRID.id, "2400-01", "gaoping", { g_a_c1: "10" });
    const r = await putRaw(GRID.id, "2400-02", "gaoping", { g_a_c1: "5", g_a1_c1: "1", g_a_c1_ytd: "15", g_a1_c1_ytd: "50" });
    expect(r.status).toBe(422);
  });

  it("FINDING (low): a typed 其中 column 累计 above its column's 累计 is accepted — expected 422 (as 其中 rows and 上年同期 of 其中 columns are checked), actual 201", async () => {
    const r = await putRaw(GRID.id, "2400-02", "gaoping", { g_a_c1: "5", g_a_c1o: "1", g_a_c1_ytd: "15", g_a_c1o_ytd: "50" });
    expect(r.status).toBe(422);
  });

  it("HELD: a grid's typed 累计 below this month's own figure is refused", async () => {
    const r = await putRaw(GRID.id, "2400-02", "gaoping", { g_b_c1: "50", g_b_c1_ytd: "3" });
    expect(r.status).toBe(422);
  });

  it("FINDING (low): a required grid's 合计 累计 is a partial sum when only some 累计 cells are typed — expected blank (as its 本月 合计 is until every part is filled), actual the one cell's", async () => {
    await put(GRIDR.id, "2400-01", "gaoping", { h_a_x: "10", h_b_x: "20" });
    const v = await put(GRIDR.id, "2400-02", "gaoping", { h_a_x: "1", h_b_x: "2", h_a_x_ytd: "11" });
    expect(v.derived.h_tot_x).toBe("3.0");
    expect(v.derived.h_tot_x_ytd ?? null).toBeNull();
  });

  it("HELD: a required grid's 累计 cells are not required, and are computed once every earlier month is approved", async () => {
    await approve(GRIDR.id, "2400-01", "gaoping");
    const v = await view(GRIDR.id, "2400-02", "gaoping");
    expect(v.values.h_a_x_ytd).toBe("11.0");
    expect(v.values.h_b_x_ytd).toBe("22.0");
    expect(v.derived.h_tot_x_ytd).toBe("33.0");
  });
});

describe("a quarter / half-year / year made of its months", () => {
  const months = async (unit: string, rows: [string, Record<string, unknown>][]) => {
    for (const [p, v] of rows) { await put(LIST.id, p, unit, v); await approve(LIST.id, p, unit); }
  };

  it("HELD: a quarterly round of a monthly template: its 累计 adds the quarter to Q1 made of approved months (counts and negative amounts too); the city totals add up", async () => {
    await months("zezhou", [["2400-01", { out: "10", n: 1, pl: "-5" }], ["2400-02", { out: "20", n: 2, pl: "3" }], ["2400-03", { out: "30", n: 3, pl: "-2.5" }]]);
    const q2 = await put(LIST.id, "2400Q2", "zezhou", { out: "100", n: 4, pl: "-10" });
    expect(q2.values.out_ytd).toBe("160.0");
    expect(q2.values.n_ytd).toBe(10);
    expect(q2.values.pl_ytd).toBe("-14.5");
    const tt = await totals(LIST.id, "2400Q2");
    expect(childOf(tt, "zezhou").out_ytd?.value).toBe("160.0");
  });

  it("HELD: next year's quarter 上年同期 is composed of last year's months (flows summed, 累计 = the last month's)", async () => {
    const v = await put(LIST.id, "2401Q1", "zezhou", { out: "80", n: 1, pl: "1" });
    expect(v.values.out_ly).toBe("60.0");
    expect(v.values.out_ytd_ly).toBe("60.0");
    expect(v.values.n_ly).toBe(6);
    expect(v.values.pl_ly).toBe("-4.5");
    expect(v.derived.out_yoyp).toBe("33.3");
  });

  it("HELD: an annual round of a monthly template is accepted; its 累计 is the year itself", async () => {
    const v = await put(LIST.id, "2401", "zezhou", { out: "500", n: 9, pl: "-3" });
    expect(v.values.out_ytd).toBe("500.0");
    expect(v.values.pl_ytd).toBe("-3.0");
  });

  it("HELD: a missing (only submitted) month leaves the quarter's typed 累计 standing; its approval brings the quarter up", async () => {
    await months("gaoping", [["2400-01", { out: "1" }], ["2400-03", { out: "3" }]]);
    await put(LIST.id, "2400-02", "gaoping", { out: "2" });
    const q2 = await put(LIST.id, "2400Q2", "gaoping", { out: "10", out_ytd: "99" });
    expect(q2.values.out_ytd).toBe("99.0");
    await approve(LIST.id, "2400-02", "gaoping");
    expect((await view(LIST.id, "2400Q2", "gaoping")).values.out_ytd).toBe("16.0");
  });

  it("HELD: a quarter's own approved report is preferred to its composed months", async () => {
    await put(LIST.id, "2400Q1", "gaoping", { out: "50" });
    await approve(LIST.id, "2400Q1", "gaoping");
    expect((await view(LIST.id, "2400Q2", "gaoping")).values.out_ytd).toBe("60.0");
  });

  it("FINDING (low), fixed: a quarterly report whose figure differs from its approved months says nothing — expected a warning naming the months' sum (6.0) when Q1 is typed 50, actual none", async () => {
    await reopen(LIST.id, "2400Q1", "gaoping");
    const v = await put(LIST.id, "2400Q1", "gaoping", { out: "50" });
    await approve(LIST.id, "2400Q1", "gaoping");
    expect(v.warnings?.some((w) => w.indicator === "out")).toBe(true);
  });

  it("HELD: an approved quarter follows a later monthly correction (when it has no own Q1) and its approved totals with it", async () => {
    await months("yangcheng", [["2400-01", { out: "1" }], ["2400-02", { out: "2" }], ["2400-03", { out: "3" }]]);
    await put(LIST.id, "2400Q2", "yangcheng", { out: "10" });
    await approve(LIST.id, "2400Q2", "yangcheng");
    await reopen(LIST.id, "2400-02", "yangcheng");
    expect((await view(LIST.id, "2400Q2", "yangcheng")).values.out_ytd).toBe("16.0");
    await put(LIST.id, "2400-02", "yangcheng", { out: "20" });
    await approve(LIST.id, "2400-02", "yangcheng");
    const q2 = await view(LIST.id, "2400Q2", "yangcheng");
    expect(q2.state).toBe("approved");
    expect(q2.values.out_ytd).toBe("34.0");
    expect(childOf(await totals(LIST.id, "2400Q2", "approved"), "yangcheng").out_ytd?.value).toBe("34.0");
  });

  it("FINDING (medium): a month corrected to blank does not take back the quarter's 累计 built on it — expected Q2 out_ytd blank (as a later month's is taken back), actual the old sum 34.0", async () => {
    await reopen(LIST.id, "2400-02", "yangcheng");
    await put(LIST.id, "2400-02", "yangcheng", { n: 1 });
    await approve(LIST.id, "2400-02", "yangcheng");
    const m3 = await view(LIST.id, "2400-03", "yangcheng");
    expect(m3.values.out_ytd ?? null).toBeNull();
    try {
      expect((await view(LIST.id, "2400Q2", "yangcheng")).values.out_ytd ?? null).toBeNull();
    } finally {
      // put the month back as it was so every report built on it is consistent again
      await reopen(LIST.id, "2400-02", "yangcheng");
      await put(LIST.id, "2400-02", "yangcheng", { out: "20" });
      await approve(LIST.id, "2400-02", "yangcheng");
    }
  });

  it("HELD: a half-year round: H2's 累计 adds H1 made of six approved months", async () => {
    await months("qinshui", ["01", "02", "03", "04", "05", "06"].map((m, i) => [`2400-${m}`, { out: String(i + 1), n: 1 }] as [string, Record<string, unknown>]));
    const h2 = await put(LIST.id, "2400H2", "qinshui", { out: "100", n: 2 });
    expect(h2.values.out_ytd).toBe("121.0");
    expect(h2.values.n_ytd).toBe(8);
  });

  it("HELD: next year's annual round: 上年同期 made of twelve months, its 累计 上年同期 = December's 累计", async () => {
    await months("qinshui", ["07", "08", "09", "10", "11", "12"].map((m) => [`2400-${m}`, { out: "10", n: 1 }] as [string, Record<string, unknown>]));
    expect((await view(LIST.id, "2400-12", "qinshui")).values.out_ytd).toBe("81.0");
    const y = await put(LIST.id, "2401", "qinshui", { out: "162", n: 3 });
    expect(y.values.out_ly).toBe("81.0");
    expect(y.values.out_ytd_ly).toBe("81.0");
    expect(y.values.n_ly).toBe(12);
    expect(y.derived.out_yoyp).toBe("100.0");
  });

  it("FINDING (medium): correcting last year's January leaves next year's quarter's 累计 上年同期 on March's old 累计 — expected 2401Q1 out_ytd_ly 105.0 (March's new 累计), actual 15.0", async () => {
    await months("lingchuan", [["2400-01", { out: "1" }], ["2400-02", { out: "2" }], ["2400-03", { out: "12" }]]);
    await put(LIST.id, "2401Q1", "lingchuan", { out: "20" });
    expect((await view(LIST.id, "2401Q1", "lingchuan")).values.out_ytd_ly).toBe("15.0");
    await reopen(LIST.id, "2400-01", "lingchuan");
    await put(LIST.id, "2400-01", "lingchuan", { out: "91" });
    await approve(LIST.id, "2400-01", "lingchuan");
    expect((await view(LIST.id, "2400-03", "lingchuan")).values.out_ytd).toBe("105.0");
    const q = await view(LIST.id, "2401Q1", "lingchuan");
    expect(q.values.out_ly).toBe("105.0");
    expect(q.values.out_ytd_ly, "actual").toBe("105.0");
  });

  it("FINDING (medium), fixed: correcting last year's January left next year's March 累计 上年同期 on last March's old 累计 (the integrity check saw it) — expected 2401-03 out_ytd_ly 105.0, actual 15.0", async () => {
    // lingchuan's 2400 months as the test above left them: January corrected to 91, March's 累计 105
    await reopen(LIST.id, "2400-01", "lingchuan");
    await put(LIST.id, "2400-01", "lingchuan", { out: "1" });
    await approve(LIST.id, "2400-01", "lingchuan");
    await put(LIST.id, "2401-03", "lingchuan", { out: "20" });
    expect((await view(LIST.id, "2401-03", "lingchuan")).values.out_ytd_ly).toBe("15.0");
    await reopen(LIST.id, "2400-01", "lingchuan");
    await put(LIST.id, "2400-01", "lingchuan", { out: "91" });
    await approve(LIST.id, "2400-01", "lingchuan");
    try {
      // fixed: the approval carries January into last March's 累计 and from there into next March's 累计 上年同期,
      // in the same batch; the integrity check finds nothing stale
      const seen = await integrityProblems();
      expect(seen.filter((p) => p.includes(`${rid(LIST.id, "2401-03")} lingchuan`))).toEqual([]);
      expect((await view(LIST.id, "2401-03", "lingchuan")).values.out_ytd_ly).toBe("105.0");
    } finally {
      // the legitimate repair: approving last March again carries its 累计 into next March (and next Q1)
      await reopen(LIST.id, "2400-03", "lingchuan");
      await put(LIST.id, "2400-03", "lingchuan", { out: "12" });
      await approve(LIST.id, "2400-03", "lingchuan");
    }
  });
});
