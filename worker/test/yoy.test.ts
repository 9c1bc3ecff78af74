import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { meteredD1, type D1Meter } from "../src/db/meter";
import { readHistory } from "../src/db/history";
import { compileTemplate, TemplateSchema } from "@tianbao/shared";
import { valueCells } from "./fill-book-lib";
import { api, ensureDemo, env, json, login } from "./helpers";

// Issue 24, 上年同期 and 同比 columns through the Worker: a list table with 同比; three counties of 晋城市,
// two of which have last year's figures approved. 上年同期 is last year's approved figure where there is
// one (whatever the county typed), the county's own where there is none; the city's 同比 is the ratio of
// the sums over the counties with both periods (N = 2 for 营业收入), and the integrity check stays clean.
const t = (zh: string, en = zh) => ({ zh, en });
const TEMPLATE = {
  id: "yoy24", name: t("同比试验年报", "YoY annual"), periodType: "annual" as const,
  sections: [{ code: "main", name: t("主要指标", "Main") }],
  indicators: [
    { code: "firms", section: "main", kind: "count" as const, unit: "家", name: t("企业数", "Enterprises") },
    { code: "rev", section: "main", kind: "amount" as const, unit: "万元", decimals: 1, name: t("营业收入", "Revenue") },
  ],
  form: { tables: [{ kind: "list" as const, code: "t1", formNo: "同1表", name: t("主要指标", "Main"), sections: ["main"], yoy: true }] },
};
const COUNTIES = ["zezhou", "gaoping", "yangcheng"];
const compiled = (() => {
  const r = compileTemplate(TemplateSchema.parse({ ...TEMPLATE, version: 1, status: "published" }));
  if (!r.ok) throw new Error("template");
  return r.compiled;
})();

let admin = "";
const tokens = new Map<string, string>();
const roundOf = (year: string) => `yoy24_${year}`;

type View = { values: Record<string, unknown>; derived: Record<string, unknown> };
const put = async (year: string, unit: string, values: Record<string, unknown>) => {
  const path = `/rounds/${roundOf(year)}/submissions/${unit}`;
  const cur = await api(path, { token: tokens.get(unit)! });
  const r = await api(path, { method: "PUT", token: tokens.get(unit)!, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values, acknowledgeWarnings: true } });
  expect(r.status, await r.clone().text()).toBeLessThan(300);
  return json<View>(r);
};
const approve = async (year: string, unit: string) => {
  const r = await api(`/rounds/${roundOf(year)}/submissions/${unit}/approve`, { method: "POST", token: admin, json: {} });
  expect(r.status, await r.clone().text()).toBe(200);
};
type Totals = { units: number; indicators: Record<string, { value: string | null; units?: number; reported?: number }> };
const totalsOf = async (year: string, basis = "standing") => {
  const r = await api(`/rounds/${roundOf(year)}/totals?unit=jincheng&basis=${basis}`, { token: admin });
  expect(r.status, await r.clone().text()).toBe(200);
  return json<{ totals: Totals; children: { unitId: string; totals: Totals }[] }>(r);
};
/** Every figure anywhere in a workbook (plain values and formulas' stored results). */
const figuresIn = async (res: Response): Promise<unknown[]> => {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const out: unknown[] = [];
  for (const ws of wb.worksheets) ws.eachRow((r) => r.eachCell((c) => { out.push(c.value); }));
  return out;
};

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  for (const u of COUNTIES) tokens.set(u, await login(u));
  const created = await api("/templates", { method: "POST", token: admin, json: { template: TEMPLATE } });
  expect(created.status, await created.clone().text()).toBe(201);
  expect((await api(`/templates/${TEMPLATE.id}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
  for (const year of ["2040", "2041"]) {
    const r = await api("/rounds", { method: "POST", token: admin, json: { id: roundOf(year), templateId: TEMPLATE.id, templateVersion: 1, period: year, deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: COUNTIES } });
    expect(r.status, await r.clone().text()).toBe(201);
  }
  // last year: 泽州 and 高平 approved; 阳城 reported nothing
  await put("2040", "zezhou", { firms: 10, rev: "123.4" });
  await put("2040", "gaoping", { firms: 20, rev: "234.5" });
  await approve("2040", "zezhou");
  await approve("2040", "gaoping");
});

describe("上年同期 and 同比, through the Worker (issue 24)", () => {
  it("the fill workbook shows last year's approved figure as 上年同期 before the county has reported", async () => {
    // read back as the upload reads it: the 上年同期 input cells hold last year's figures (not only the previous-period column)
    const filled = async (unit: string) => {
      const res = await api(`/rounds/${roundOf("2041")}/submissions/${unit}/template.xlsx`, { token: tokens.get(unit)! });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const cells = valueCells(wb);
      return Object.fromEntries(["firms", "firms_ly", "rev", "rev_ly"].map((code) => [code, cells.get(code)?.value ?? null]));
    };
    expect(await filled("zezhou")).toEqual({ firms: null, firms_ly: 10, rev: null, rev_ly: 123.4 });
    expect(await filled("yangcheng")).toEqual({ firms: null, firms_ly: null, rev: null, rev_ly: null });
  });

  it("at submission, last year's approved figure replaces a typed 上年同期; with none, the typed one stands", async () => {
    const z = await put("2041", "zezhou", { firms: 12, firms_ly: 99, rev: "150.0", rev_ly: "999.0" });
    expect([z.values.firms_ly, z.values.rev_ly]).toEqual([10, "123.4"]);
    expect(z.derived.rev_yoyp).toBe("21.6"); // (150 − 123.4) / 123.4
    const g = await put("2041", "gaoping", { firms: 25, rev: "300.0" });
    expect([g.values.firms_ly, g.values.rev_ly]).toEqual([20, "234.5"]);
    const y = await put("2041", "yangcheng", { firms: 5, firms_ly: 4, rev: "1000.0" });
    expect(y.values.firms_ly).toBe(4);
    expect(y.values.rev_ly).toBeUndefined();
    expect(y.derived.rev_yoyp).toBeNull();
    const stored = await json<View>(await api(`/rounds/${roundOf("2041")}/submissions/zezhou`, { token: admin }));
    expect(stored.values.rev_ly).toBe("123.4");
  });

  it("the city's 同比 is over the counties with both periods: 阳城 is left out of 营业收入 (N = 2), counted in 企业数 (N = 3)", async () => {
    const { totals, children } = await totalsOf("2041");
    expect(totals.indicators.rev!.value).toBe("1450.0"); // every county's figure
    // (150 + 300 − 123.4 − 234.5) / (123.4 + 234.5) = 25.73 %: never over 1450, never the average of rates
    expect(totals.indicators.rev_yoyp).toEqual({ kind: "derived", value: "25.7", units: 2 });
    expect(totals.indicators.rev_yoy).toEqual({ kind: "derived", value: "92.1", units: 2 });
    expect(totals.indicators.firms_yoyp).toEqual({ kind: "derived", value: "23.5", units: 3 }); // 42 / 34
    expect(children.find((c) => c.unitId === "yangcheng")!.totals.indicators.rev_yoyp).toEqual({ kind: "derived", value: null, reason: "blank", units: 0 });
  });

  it("approved figures count alike, and the integrity check recomputes the like-with-like counters clean", async () => {
    for (const u of COUNTIES) await approve("2041", u);
    const { totals } = await totalsOf("2041", "approved");
    expect(totals.indicators.rev_yoyp).toEqual({ kind: "derived", value: "25.7", units: 2 });
    const r = await api("/integrity", { token: admin });
    expect(r.status).toBe(200);
    expect((await json<{ problems: unknown[] }>(r)).problems).toEqual([]);
  });

  it("the CSV and the aggregate workbook carry 同比 with its basis", async () => {
    const csv = await (await api(`/rounds/${roundOf("2041")}/export.csv?unit=jincheng`, { token: admin })).text();
    expect(csv).toContain("营业收入同比增长：同口径单位数");
    const figures = await figuresIn(await api(`/rounds/${roundOf("2041")}/export.xlsx?unit=jincheng`, { token: admin }));
    expect(figures.some((f) => typeof f === "string" && f.includes("同比按两期都有数据的"))).toBe(true);
  });

  it("last year's figures are read in the same one statement as the rules' other periods", async () => {
    const meter: D1Meter = { read: 0, written: 0, queries: 0 };
    const history = await readHistory(meteredD1(env.DB, meter), { template_id: TEMPLATE.id, owner_unit_id: "jincheng", period: "2041" }, "zezhou", compiled);
    expect(history.lastYear).toMatchObject({ firms: 10, rev: "123.4" });
    expect(meter.queries).toBe(1);
  });
});
