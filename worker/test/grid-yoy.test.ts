// Issue 24, 同比 in a grid, end to end: the county's downloaded workbook draws each column with its 上年同期
// (last year's approved figures filled in) and 同比增长 (live formulas); filled and uploaded, the 上年同期 of a
// typed cell is the approved one, a 合计's adds up; the city's 同比 of every cell, the 合计 row's too, is
// like with like over the counties with both years of that cell.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { api, ensureDemo, json, login } from "./helpers";
import { fillBook, valueCells } from "./fill-book-lib";

const t = (zh: string, en: string) => ({ zh, en });
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DEADLINE = "2099-12-31T23:59:59+08:00";
let admin = "";

const template = {
  id: "gridyoy", periodType: "annual", name: t("分行业产值（同比）", "Output by industry, year on year"),
  sections: [{ code: "s", name: t("基本", "Basics") }],
  indicators: [{ code: "firms", section: "s", kind: "count", required: false, name: t("企业数", "Firms") }],
  form: { tables: [
    { kind: "list", code: "l", formNo: "同1表", name: t("基本情况", "Basics"), sections: ["s"] },
    { kind: "grid", code: "g", formNo: "同2表", name: t("分行业产值", "Output by industry"), required: false, yoy: true,
      rows: [{ code: "t", name: t("合计", "Total"), role: "total" }, { code: "a", name: t("制造业", "Manufacturing") }, { code: "b", name: t("建筑业", "Construction") }],
      columns: [{ code: "out", name: t("产值", "Output"), kind: "amount", unit: "万元", decimals: 1 }] },
  ] },
};

async function openRound(id: string, v: number, period: string, units: string[]) {
  const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: "gridyoy", templateVersion: v, period, deadline: DEADLINE, expectedUnitIds: units } });
  if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
}
async function put(round: string, unit: string, values: Record<string, unknown>) {
  const r = await api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: await login(unit), headers: { "if-match": '"0"' }, json: { values, acknowledgeWarnings: true } });
  if (r.status !== 201) throw new Error(`submit: ${r.status} ${await r.text()}`);
  return json<{ values: Record<string, unknown>; derived: Record<string, unknown> }>(r);
}
async function approve(round: string, unit: string) {
  expect((await api(`/rounds/${round}/submissions/${unit}/approve`, { method: "POST", token: admin, json: {} })).status).toBe(200);
}
async function workbook(round: string, unit: string): Promise<ExcelJS.Workbook> {
  const res = await api(`/rounds/${round}/submissions/${unit}/template.xlsx`, { token: await login(unit) });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

let v = 0;
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await api("/templates", { method: "POST", token: admin, json: { template } });
  if (r.status !== 201) throw new Error(`template: ${r.status} ${await r.text()}`);
  v = (await json<{ version: number }>(r)).version;
  expect((await api(`/templates/gridyoy/${v}/publish`, { method: "POST", token: admin })).status).toBe(200);
  await openRound("gy2260", v, "2260", ["zezhou", "gaoping"]);
  await put("gy2260", "zezhou", { g_a_out: "100.0", g_b_out: "50.0" });
  await put("gy2260", "gaoping", { g_a_out: "40.0" });
  await approve("gy2260", "zezhou");
  await approve("gy2260", "gaoping");
  await openRound("gy2261", v, "2261", ["zezhou", "gaoping", "qinshui"]);
}, 60_000);

describe("a grid with 同比", () => {
  it("the county's workbook draws 本期 | 上年同期 | 同比增长 for each column, last year's approved figures filled in and the 同比 as formulas", async () => {
    const wb = await workbook("gy2261", "zezhou");
    const cells = valueCells(wb);
    expect(cells.get("g_a_out_ly")?.value).toBe(100);
    expect(cells.get("g_b_out_ly")?.value).toBe(50);
    const growth = cells.get("g_a_out_yp")?.value as { formula?: string } | null;
    expect(growth?.formula).toMatch(/ABS/);
    const total = cells.get("g_t_out_ly")?.value as { formula?: string } | null;
    expect(total?.formula).toBeTruthy();
    // the 栏次 row names the columns in order
    const sheet = wb.worksheets.find((ws) => ws.name.includes("同2表"))!;
    let header: string[] = [];
    sheet.eachRow((row) => { if (row.getCell(2).value === "栏次") header = (row.values as unknown[]).slice(3, 6).map(String); });
    expect(header).toEqual(["out", "out_ly", "out_yp"]);
  });

  it("filled and uploaded: the typed cells' 上年同期 are the approved ones, a 合计's adds up, its 同比 is the unit's own", async () => {
    const wb = await workbook("gy2261", "zezhou");
    fillBook(wb, { g_a_out: 120, g_b_out: 45, g_a_out_ly: 1 }); // a 上年同期 overtyped: the approved one stands
    const res = await api("/rounds/gy2261/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token: await login("zezhou"), body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(res.status, await res.clone().text()).toBe(201);
    const view = await json<{ values: Record<string, unknown>; derived: Record<string, unknown> }>(res);
    expect(view.values).toMatchObject({ g_a_out: "120.0", g_a_out_ly: "100.0", g_b_out_ly: "50.0" });
    expect(view.derived).toMatchObject({ g_t_out: "165.0", g_t_out_ly: "150.0", g_t_out_yp: "10.0", g_a_out_yp: "20.0", g_b_out_yp: "-10.0" });
  });

  it("the city's 同比 of each cell and of the 合计 row is like with like over the counties with both years", async () => {
    await put("gy2261", "gaoping", { g_a_out: "60.0", g_b_out: "10.0" }); // 建筑业 new this year: no 上年同期
    await put("gy2261", "qinshui", { g_a_out: "30.0" }); // joined: no last year at all
    const r = await api("/rounds/gy2261/totals?unit=jincheng", { token: admin });
    const ind = (await json<{ totals: { indicators: Record<string, { value?: string | null; units?: number }> } }>(r)).totals.indicators;
    // 制造业: (120 + 60) / (100 + 40) over zezhou and gaoping; 建筑业: zezhou only
    expect(ind.g_a_out_yp).toMatchObject({ value: "28.6", units: 2 });
    expect(ind.g_b_out_yp).toMatchObject({ value: "-10.0", units: 1 });
    // 合计 row: each county's own 合计 against its own 上年同期 合计, over those with both: (165 + 70) / (150 + 40)
    expect(ind.g_t_out_yp).toMatchObject({ value: "23.7", units: 2 });
    // never an average of county growth rates, never all this year's over last year's (285 / 190 = 50.0)
    expect(ind.g_t_out_yp!.value).not.toBe("50.0");
  });
});

describe("a monthly grid with 本年累计", () => {
  const monthly = {
    ...template, id: "gridytd", periodType: "month", name: t("分行业产值月报", "Monthly output by industry"),
    form: { tables: [template.form.tables[0], { ...template.form.tables[1], yoy: false, ytd: true }] },
  };
  let mv = 0;
  const open = async (id: string, period: string) => {
    const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: "gridytd", templateVersion: mv, period, deadline: DEADLINE, expectedUnitIds: ["zezhou"] } });
    if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
  };
  beforeAll(async () => {
    const r = await api("/templates", { method: "POST", token: admin, json: { template: monthly } });
    if (r.status !== 201) throw new Error(`template: ${r.status} ${await r.text()}`);
    mv = (await json<{ version: number }>(r)).version;
    expect((await api(`/templates/gridytd/${mv}/publish`, { method: "POST", token: admin })).status).toBe(200);
  });

  it("each typed cell's 累计 is the month plus the approved earlier months, the 合计's adds them; a correction of January follows into February", async () => {
    await open("gyt2262_01", "2262-01");
    await put("gyt2262_01", "zezhou", { g_a_out: "10.0", g_b_out: "5.0" });
    await approve("gyt2262_01", "zezhou");
    await open("gyt2262_02", "2262-02");
    const feb = await put("gyt2262_02", "zezhou", { g_a_out: "12.0", g_b_out: "6.0" });
    expect(feb.values).toMatchObject({ g_a_out_ytd: "22.0", g_b_out_ytd: "11.0" });
    expect(feb.derived.g_t_out_ytd).toBe("33.0");
    expect((await api(`/rounds/gyt2262_01/reopen`, { method: "POST", token: admin, json: { unitId: "zezhou", reason: "更正" } })).status).toBe(200);
    const jan = await api("/rounds/gyt2262_01/submissions/zezhou", { method: "PUT", token: await login("zezhou"), headers: { "if-match": '"1"' }, json: { values: { g_a_out: "11.0", g_b_out: "5.0" }, acknowledgeWarnings: true } });
    expect(jan.status).toBe(200);
    await approve("gyt2262_01", "zezhou");
    const after = await json<{ values: Record<string, unknown>; derived: Record<string, unknown> }>(await api("/rounds/gyt2262_02/submissions/zezhou", { token: admin }));
    expect(after.values.g_a_out_ytd).toBe("23.0");
    expect(after.derived.g_t_out_ytd).toBe("34.0");
  });
});
