// Review of issue 24's last two parts (reviewer c): 同比 in grids and 本年累计 columns, tried as an
// attacker, a careless official and a city reviewer. Written from the source, not from the existing tests.
// "HELD: …" the system behaved correctly; "FINDING (severity): … expected X, actual Y" a defect, asserted
// as the correct behaviour (marked it.fails while open; all eight found were fixed and pass).
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { compileTemplate, TemplateSchema, type TotalsView, type Values } from "@tianbao/shared";
import { api, ensureDemo, json, login } from "./helpers";
import { fillBook, valueCells } from "./fill-book-lib";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DEADLINE = "2099-12-31T23:59:59+08:00";
type Issue = { code: string; severity: string; indicator: string; rule?: string; message: { zh: string; en: string } };
type Err = { error: { code: string; where?: string; message: { zh: string; en: string }; issues?: Issue[] } };
type View = { state: string; revision: number; values: Values; derived: Values; warnings: Issue[] };

let admin = "";
const text = (zh: string, en = zh) => ({ zh, en });

async function createTemplate(template: Record<string, unknown>): Promise<Response> {
  return api("/templates", { method: "POST", token: admin, json: { template } });
}
async function publish(template: Record<string, unknown>): Promise<string> {
  const res = await createTemplate(template);
  expect(res.status, await res.clone().text()).toBe(201);
  const { id, version } = await json<{ id: string; version: number }>(res);
  const p = await api(`/templates/${id}/${version}/publish`, { method: "POST", token: admin, json: {} });
  expect(p.status, await p.clone().text()).toBe(200);
  return id;
}
async function openRound(id: string, templateId: string, period: string, units: string[]): Promise<void> {
  const res = await api("/rounds", { method: "POST", token: admin, json: { id, templateId, templateVersion: 1, period, deadline: DEADLINE, expectedUnitIds: units } });
  expect(res.status, await res.clone().text()).toBe(201);
}
async function put(round: string, unit: string, values: Values, ack = true): Promise<Response> {
  const token = await login(unit);
  const path = `/rounds/${round}/submissions/${unit}`;
  const cur = await api(path, { token });
  return api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values, acknowledgeWarnings: ack } });
}
async function putOk(round: string, unit: string, values: Values): Promise<View> {
  const res = await put(round, unit, values);
  expect([200, 201], await res.clone().text()).toContain(res.status);
  return json<View>(res);
}
async function current(round: string, unit: string): Promise<View> {
  return json<View>(await api(`/rounds/${round}/submissions/${unit}`, { token: admin }));
}
async function approve(round: string, unit: string): Promise<Record<string, unknown>> {
  const res = await api(`/rounds/${round}/submissions/${unit}/approve`, { method: "POST", token: admin, json: {} });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}
async function reopen(round: string, unit: string): Promise<void> {
  const res = await api(`/rounds/${round}/reopen`, { method: "POST", token: admin, json: { unitId: unit, reason: "更正" } });
  expect(res.status, await res.clone().text()).toBe(200);
}
async function totals(round: string, basis: "standing" | "approved" = "standing"): Promise<TotalsView> {
  const res = await api(`/rounds/${round}/totals?unit=jincheng&basis=${basis}`, { token: admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<TotalsView>(res);
}
const tv = (view: TotalsView, code: string): { value: string | null; units?: number; reason?: string } => view.totals.indicators[code] as never;
async function integrity(): Promise<{ problems: { kind: string; roundId?: string; unitId?: string; message: { en: string } }[]; pages: number }> {
  const problems: { kind: string; roundId?: string; unitId?: string; message: { en: string } }[] = [];
  let cursor = "";
  let pages = 0;
  for (;;) {
    const res = await api(`/integrity${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { token: admin });
    expect(res.status).toBe(200);
    const r = await json<{ problems: typeof problems; complete: boolean; next: string | null }>(res);
    problems.push(...r.problems);
    pages++;
    if (r.complete || !r.next || pages > 200) break;
    cursor = r.next;
  }
  return { problems, pages };
}
const mine = (ps: { roundId?: string }[]) => ps.filter((p) => (p.roundId ?? "").startsWith("r24c_"));

// ---------------------------------------------------------------- the grid with 同比
// rows: 合计, 甲, 乙, 其中：光伏 (of 甲); columns: 收入 r1, 利润 r2 (may be negative), 小计 rt (total column);
// 乙 has no 利润 (skip b:r2); a grid that may be left partly blank.
const col = (code: string, zh: string, extra: Record<string, unknown> = {}) => ({ code, name: text(zh, code), kind: "amount", unit: "亿元", decimals: 1, ...extra });
const row = (code: string, zh: string, extra: Record<string, unknown> = {}) => ({ code, name: text(zh, code), ...extra });
const GRID = {
  kind: "grid", code: "g", formNo: "审24表", name: text("同比行列表", "yoy grid"), yoy: true, required: false,
  rows: [row("tot", "合计", { role: "total" }), row("a", "甲"), row("b", "乙"), row("pv", "光伏", { role: "ofWhich", of: "a" })],
  columns: [col("r1", "收入"), col("r2", "利润", { min: "-1000" }), col("rt", "小计", { role: "total" })],
  skip: ["b:r2"],
};
const gridTemplate = (id: string, grid: Record<string, unknown> = GRID, periodType = "annual") => ({
  id, name: text(`审24c ${id}`), periodType,
  sections: [{ code: "s", name: text("基本") }],
  indicators: [{ code: "k", section: "s", name: text("企业数"), kind: "count" }],
  rules: [],
  form: { tables: [{ kind: "list", code: "l", formNo: "审24表0", name: text("基本"), sections: ["s"] }, grid] },
});
const g = (r: string, c: string) => `g_${r}_${c}`;

let G = "";
/** last year's approved figures (2300) */
const LY: Record<string, Values> = {
  zezhou: { [g("a", "r1")]: "100.0", [g("a", "r2")]: "-50.0", [g("b", "r1")]: "40.0", [g("pv", "r1")]: "30.0" },
  gaoping: { [g("a", "r1")]: "200.0", [g("a", "r2")]: "0.0", [g("b", "r1")]: "10.0" },
  yangcheng: { [g("a", "r1")]: "50.0", [g("b", "r1")]: "5.0" },
};

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  G = await publish(gridTemplate("r24c_grid"));
  await openRound("r24c_g2300", G, "2300", ["zezhou", "gaoping", "yangcheng"]);
  for (const [unit, v] of Object.entries(LY)) { await putOk("r24c_g2300", unit, v); await approve("r24c_g2300", unit); }
  await openRound("r24c_g2301", G, "2301", ["zezhou", "gaoping", "yangcheng", "qinshui", "lingchuan"]);
});

describe("同比 in grids", () => {
  it("HELD: the grid expands to c, c_ly, c_yp after each column; a 合计 cell's 上年同期 is SUMREPORTED of the 上年同期 parts marked lastYearOf; a skipped cell has none", async () => {
    const c = compileTemplate(TemplateSchema.parse(await json(await api(`/templates/${G}/1`, { token: admin }))));
    if (!c.ok) throw new Error("compile");
    const by = new Map<string, unknown>(c.compiled.template.indicators.map((i) => [i.code, i]));
    expect(by.get(g("a", "r1_ly"))).toMatchObject({ kind: "amount", lastYearOf: g("a", "r1") });
    expect(by.get(g("tot", "r1_ly"))).toMatchObject({ kind: "derived", formula: `SUMREPORTED(${g("a", "r1_ly")}, ${g("b", "r1_ly")})`, lastYearOf: g("tot", "r1") });
    expect(by.get(g("tot", "rt_yp"))).toMatchObject({ kind: "derived", likeWithLike: true });
    expect(by.has(g("b", "r2"))).toBe(false);
    expect(by.has(g("b", "r2_ly"))).toBe(false);
    expect(by.has(g("b", "r2_yp"))).toBe(false);
  });

  it("HELD: the fill workbook of 2301 carries last year's approved figures in the 上年同期 cells (and the 合计's 上年同期 as a formula)", async () => {
    const token = await login("zezhou");
    const res = await api("/rounds/r24c_g2301/submissions/zezhou/template.xlsx", { token });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const cells = valueCells(wb);
    expect(Number(cells.get(g("a", "r1_ly"))!.value)).toBe(100);
    expect(Number(cells.get(g("a", "r2_ly"))!.value)).toBe(-50);
    expect(Number(cells.get(g("pv", "r1_ly"))!.value)).toBe(30);
    const tot = cells.get(g("tot", "r1_ly"))!.value as { formula?: string } | null;
    expect(tot && typeof tot === "object" && "formula" in tot).toBe(true);
  });

  it("HELD: a careless official typing a figure over the 合计's 上年同期 formula in the fill workbook is refused on that cell", async () => {
    const token = await login("zezhou");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await api("/rounds/r24c_g2301/submissions/zezhou/template.xlsx", { token })).arrayBuffer());
    fillBook(wb, { [g("a", "r1")]: 120, [g("tot", "r1_ly")]: 999 });
    const up = await api("/rounds/r24c_g2301/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(up.status).toBe(422);
    const err = await json<Err>(up);
    expect(JSON.stringify(err)).toContain(g("tot", "r1_ly"));
  });

  it("HELD: a figure typed over a growth (同比增长 %) cell in the fill workbook is refused on that cell", async () => {
    const token = await login("zezhou");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await api("/rounds/r24c_g2301/submissions/zezhou/template.xlsx", { token })).arrayBuffer());
    fillBook(wb, { [g("a", "r1")]: 120, [g("a", "r1_yp")]: 55.5 });
    const up = await api("/rounds/r24c_g2301/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(up.status).toBe(422);
    expect(JSON.stringify(await json<Err>(up))).toContain(g("a", "r1_yp"));
  });

  it("HELD: the filled fill workbook is taken with last year's figures; growth cells at the unit: 20.0, negative base 150.0, corner (合计·小计) 110.0", async () => {
    const token = await login("zezhou");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await api("/rounds/r24c_g2301/submissions/zezhou/template.xlsx", { token })).arrayBuffer());
    fillBook(wb, { [g("a", "r1")]: 120, [g("a", "r2")]: 25, [g("b", "r1")]: 44, [g("pv", "r1")]: 33 });
    const up = await api("/rounds/r24c_g2301/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(up.status, await up.clone().text()).toBe(201);
    const v = await json<View>(up);
    expect(v.values[g("a", "r1_ly")]).toBe("100.0");
    expect(v.derived[g("a", "r1_yp")]).toBe("20.0");
    expect(v.derived[g("a", "r2_yp")]).toBe("150.0"); // (25 − (−50)) / |−50|
    expect(v.derived[g("tot", "rt")]).toBe("189.0");
    expect(v.derived[g("tot", "rt_ly")]).toBe("90.0");
    expect(v.derived[g("tot", "rt_yp")]).toBe("110.0");
  });

  it("HELD: a 上年同期 typed against last year's approved one is replaced and said (filled_from_approved, must be confirmed); a zero base gives a blank growth", async () => {
    const typed = { [g("a", "r1")]: "180.0", [g("a", "r1_ly")]: "999.0", [g("a", "r2")]: "10.0", [g("b", "r1")]: "10.0" };
    const refused = await put("r24c_g2301", "gaoping", typed, false);
    expect(refused.status).toBe(422);
    const e = await json<Err>(refused);
    expect(e.error.code).toBe("warnings_not_acknowledged");
    expect(e.error.issues!.find((i) => i.indicator === g("a", "r1_ly"))?.code).toBe("filled_from_approved");
    const v = await putOk("r24c_g2301", "gaoping", typed);
    expect(v.values[g("a", "r1_ly")]).toBe("200.0");
    expect(v.derived[g("a", "r1_yp")]).toBe("-10.0");
    expect(v.derived[g("a", "r2_ly")] ?? v.values[g("a", "r2_ly")]).toBe("0.0");
    expect(v.derived[g("a", "r2_yp")]).toBeNull();
  });

  it("HELD: a unit with no approved last year keeps its typed 上年同期; a unit reporting this year only is left out of the city's 同比", async () => {
    const q = await putOk("r24c_g2301", "qinshui", { [g("a", "r1")]: "30.0", [g("a", "r1_ly")]: "20.0" });
    expect(q.values[g("a", "r1_ly")]).toBe("20.0");
    expect(q.warnings.filter((w) => w.code === "filled_from_approved")).toEqual([]);
    await putOk("r24c_g2301", "yangcheng", { [g("a", "r1")]: "60.0" }); // 乙 blank this year, 5.0 last year
    const l = await putOk("r24c_g2301", "lingchuan", { [g("a", "r1")]: "1000.0" });
    expect(l.values[g("a", "r1_ly")] ?? null).toBeNull();
  });

  it("HELD: the city's standing 同比 is like with like over the units with both years, never an average: 甲·收入 5.4% over 4 units, 乙·收入 8.0% over 2, 甲·利润 170.0% over 2 (negative base)", async () => {
    const t = await totals("r24c_g2301");
    // 甲·收入: zezhou 120/100, gaoping 180/200, yangcheng 60/50, qinshui 30/20 (lingchuan 1000 has no 上年同期)
    expect(tv(t, g("a", "r1_yp"))).toMatchObject({ value: "5.4", units: 4 });
    // 乙·收入: zezhou 44/40, gaoping 10/10 (yangcheng 5.0 last year, blank now: out) → 54/50
    expect(tv(t, g("b", "r1_yp"))).toMatchObject({ value: "8.0", units: 2 });
    expect(tv(t, g("b", "r1_ly")).value).toBe("55.0"); // the plain sum shows all three units' 上年同期
    // 甲·利润: zezhou 25/−50, gaoping 10/0 → 35/−50 → (35 + 50) / 50
    expect(tv(t, g("a", "r2_yp"))).toMatchObject({ value: "170.0", units: 2 });
  });

  it("HELD: the 合计 row's, the 小计 column's and the corner's 同比 are like with like over units with both computed totals (measured 合计·收入 4.5% over 4 units)", async () => {
    const t = await totals("r24c_g2301");
    // per unit 合计·收入 (本期 / 上年同期): zezhou 164/140, gaoping 190/210, yangcheng 60/55, qinshui 30/20, lingchuan 1000/blank → out
    expect(tv(t, g("tot", "r1_yp"))).toMatchObject({ value: "4.5", units: 4 });
    // 甲·小计: zezhou 145/50, gaoping 190/200, yangcheng 60/50, qinshui 30/20 → 425/320
    expect(tv(t, g("a", "rt_yp"))).toMatchObject({ value: "32.8", units: 4 });
    // corner: zezhou 189/90, gaoping 200/210, yangcheng 60/55, qinshui 30/20 → 479/375
    expect(tv(t, g("tot", "rt_yp"))).toMatchObject({ value: "27.7", units: 4 });
  });

  it("HELD: approved basis after approving all: the same figures; the CSV carries the growth with its 同口径单位数; the aggregate workbook writes growth cells as figures equal to the API's", async () => {
    for (const u of ["zezhou", "gaoping", "yangcheng", "qinshui", "lingchuan"]) await approve("r24c_g2301", u);
    const t = await totals("r24c_g2301", "approved");
    expect(tv(t, g("a", "r1_yp"))).toMatchObject({ value: "5.4", units: 4 });
    expect(tv(t, g("tot", "rt_yp"))).toMatchObject({ value: "27.7", units: 4 });
    const csv = await (await api("/rounds/r24c_g2301/export.csv?unit=jincheng", { token: admin })).text();
    expect(csv).toContain("同口径单位数");
    const res = await api("/rounds/r24c_g2301/export.xlsx", { token: admin });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets.find((w) => w.name.includes("审24表") && w.name.includes("同比行列表"))!;
    expect(ws).toBeDefined();
    const header = ws.getRow(3).values as unknown[];
    const colOf = (label: string) => header.findIndex((h) => typeof h === "string" && h.startsWith(label));
    let totRow = 0, aRow = 0;
    ws.eachRow((r, i) => { if (r.getCell(1).value === "合计") totRow = i; if (r.getCell(1).value === "甲") aRow = i; });
    const cornerGrowth = ws.getRow(totRow).getCell(colOf("小计同比增长")).value;
    const aGrowth = ws.getRow(aRow).getCell(colOf("收入同比增长")).value;
    expect(cornerGrowth).toBe(27.7);
    expect(aGrowth).toBe(5.4);
  });

  it("FINDING (medium): the aggregate workbook's grid sheet prints 乙·收入 54.0 | 上年同期 55.0 | 同比增长 8.0 side by side with no word that the growth is over the 2 units with both years (同口径) while the two sums beside it are over all units: expected the sheet to state the basis, actual no such text", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await api("/rounds/r24c_g2301/export.xlsx", { token: admin })).arrayBuffer());
    const ws = wb.worksheets.find((w) => w.name.includes("审24表") && w.name.includes("同比行列表"))!;
    let bRow = 0;
    ws.eachRow((r, i) => { if (r.getCell(1).value === "乙") bRow = i; });
    const header = ws.getRow(3).values as unknown[];
    const at = (label: string) => { const c = ws.getRow(bRow).getCell(header.findIndex((h) => typeof h === "string" && h.startsWith(label))).value; return c && typeof c === "object" && "result" in c ? c.result : c; };
    // measured: the sheet's own figures
    expect([at("收入（"), at("收入（上年同期）"), at("收入同比增长")]).toEqual([54, 55, 8]);
    const texts: string[] = [];
    ws.eachRow((r) => r.eachCell((c) => texts.push(String(c.value))));
    if (ws.getCell("A1").note) texts.push(JSON.stringify(ws.getCell("A1").note));
    expect(texts.join("\n")).toMatch(/同口径|两期都有/);
  });

  it("FINDING (low): a 其中 column's 上年同期 may exceed its whole's 上年同期 (no rule), while a 其中 row's may not: expected 422 on g_a_p_ly, actual 201", async () => {
    const T = await publish(gridTemplate("r24c_gofc", { ...GRID, rows: [row("a", "甲")], skip: [], columns: [col("r1", "收入"), col("p", "其中出口", { role: "ofWhich", of: "r1" })] }));
    await openRound("r24c_gofc2304", T, "2304", ["lingchuan"]);
    const res = await put("r24c_gofc2304", "lingchuan", { [g("a", "r1")]: "10.0", [g("a", "p")]: "5.0", [g("a", "r1_ly")]: "10.0", [g("a", "p_ly")]: "50.0" });
    expect(res.status).toBe(422);
  });

  it("HELD: last year's report reopened and corrected: this year's 上年同期 follows, the totals and 同比 follow, the integrity check finds nothing", async () => {
    await reopen("r24c_g2300", "zezhou");
    await putOk("r24c_g2300", "zezhou", { ...LY.zezhou!, [g("a", "r1")]: "110.0" });
    const r = await approve("r24c_g2300", "zezhou");
    expect(JSON.stringify(r)).toContain("r24c_g2301");
    expect((await current("r24c_g2301", "zezhou")).values[g("a", "r1_ly")]).toBe("110.0");
    const t = await totals("r24c_g2301", "approved");
    // 390 / 380
    expect(tv(t, g("a", "r1_yp"))).toMatchObject({ value: "2.6", units: 4 });
    expect(mine((await integrity()).problems)).toEqual([]);
  });

  it("FINDING (high): a 其中 row may not grow faster than its whole — a generated rule g_pv_r1_yp <= g_a_r1_yp refuses a report where 光伏 grew 100% and 甲 0%: expected 201, actual 422 (rule g_pv_r1_yp_le_r)", async () => {
    await openRound("r24c_g2302", G, "2302", ["lingchuan"]);
    const res = await put("r24c_g2302", "lingchuan", { [g("a", "r1")]: "100.0", [g("a", "r1_ly")]: "100.0", [g("pv", "r1")]: "50.0", [g("pv", "r1_ly")]: "25.0" });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("HELD: a required grid with 同比: every 本期 cell is required, its 上年同期 cells are not; the 合计's 上年同期 adds what was typed", async () => {
    const R = await publish(gridTemplate("r24c_greq", { ...GRID, code: "g", required: true }));
    await openRound("r24c_greq2303", R, "2303", ["lingchuan"]);
    const missing = await put("r24c_greq2303", "lingchuan", { [g("a", "r1")]: "1.0" });
    expect(missing.status).toBe(422);
    const codes = (await json<Err>(missing)).error.issues!.filter((i) => i.code === "required").map((i) => i.indicator);
    expect(codes).toContain(g("b", "r1"));
    expect(codes.some((c) => c.endsWith("_ly"))).toBe(false);
    const v = await putOk("r24c_greq2303", "lingchuan", { [g("a", "r1")]: "1.0", [g("a", "r2")]: "-1.0", [g("b", "r1")]: "2.0", [g("pv", "r1")]: "0.5", [g("pv", "r2")]: "-2.0", [g("a", "r1_ly")]: "4.0" });
    expect(v.derived[g("tot", "r1")]).toBe("3.0");
    expect(v.derived[g("tot", "r1_ly")]).toBe("4.0");
    expect(v.derived[g("tot", "r1_yp")]).toBe("-25.0");
  });

  it("HELD: a column code colliding with a generated one (r1 and r1_ly, or r1 and r1_yp) is refused; so is a row code making a cell code collide (a / a_r1 with columns r1 / ly)", async () => {
    const a = await createTemplate(gridTemplate("r24c_gcol1", { ...GRID, columns: [col("r1", "收入"), col("r1_ly", "收入上年")], skip: [], rows: [row("a", "甲")] }));
    expect(a.status).toBe(422);
    expect(JSON.stringify(await json(a))).toContain("r1_ly");
    const b = await createTemplate(gridTemplate("r24c_gcol2", { ...GRID, columns: [col("r1", "收入"), col("r1_yp", "收入增长")], skip: [], rows: [row("a", "甲")] }));
    expect(b.status).toBe(422);
    const c = await createTemplate(gridTemplate("r24c_gcol3", { ...GRID, columns: [col("r1", "收入"), col("ly", "另一列")], skip: [], rows: [row("a", "甲"), row("a_r1", "甲收入")] }));
    expect(c.status).toBe(422);
  });

  it("HELD: 10 columns with 同比 (30 with the generated ones) are taken; 11 are refused saying the 30-column limit", async () => {
    const cols = (n: number) => Array.from({ length: n }, (_, i) => col(`c${i}`, `列${i}`));
    const ten = await createTemplate(gridTemplate("r24c_g10", { ...GRID, columns: cols(10), skip: [], rows: [row("a", "甲")] }));
    expect(ten.status, await ten.clone().text()).toBe(201);
    const eleven = await createTemplate(gridTemplate("r24c_g11", { ...GRID, columns: cols(11), skip: [], rows: [row("a", "甲")] }));
    expect(eleven.status).toBe(422);
    expect(JSON.stringify(await json(eleven))).toContain("30");
  });

  it("FINDING (low): a skip naming a generated column (\"a:r1_ly\") is accepted and silently ignored — the cell is still asked for: expected 422 naming the skip, actual 201", async () => {
    const res = await createTemplate(gridTemplate("r24c_gskip", { ...GRID, skip: ["b:r2", "a:r1_ly"] }));
    expect(res.status).toBe(422);
  });

  it("FINDING (low): a column given role lastYear in a grid without 同比 is dropped without a word: expected 422, actual 201 with the column gone", async () => {
    const res = await createTemplate(gridTemplate("r24c_grole", { ...GRID, yoy: false, skip: [], rows: [row("a", "甲")], columns: [col("r1", "收入"), col("r1_ly", "收入上年", { role: "lastYear", of: "r1" })] }));
    expect(res.status).toBe(422);
  });

  it("HELD: the designer workbook of a grid with 同比 goes back up unchanged: no change listed, and the new draft expands to the same cells, formulas and rules", async () => {
    const res = await api(`/templates/${G}/1/designer.xlsx`, { token: admin });
    expect(res.status).toBe(200);
    const buf = await res.arrayBuffer();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf);
    const lines: string[] = [];
    wb.getWorksheet("表格行列")?.eachRow((r) => lines.push(String(r.getCell(3).value)));
    expect(lines.some((l) => l.endsWith("_ly") || l.endsWith("_yp"))).toBe(false); // generated columns are not listed
    const up = await api("/templates/designer", { method: "POST", token: admin, body: buf, headers: { "content-type": XLSX } });
    expect(up.status, await up.clone().text()).toBe(200);
    const r = await json<{ template: { id: string; version: number }; changes: unknown[] }>(up);
    expect(r.changes).toEqual([]);
    const expanded = async (id: string, version: number) => {
      const c = compileTemplate(TemplateSchema.parse(await json(await api(`/templates/${id}/${version}`, { token: admin }))));
      if (!c.ok) throw new Error("compile");
      const t = c.compiled.template;
      return {
        ind: t.indicators.map((i) => JSON.stringify([i.code, i.kind, "formula" in i ? i.formula : "", "lastYearOf" in i ? (i.lastYearOf ?? "") : "", i.required])).sort(),
        rules: t.rules.map((x) => `${x.code}:${x.expr}:${x.severity}`).sort(),
        grid: t.form?.tables.filter((x) => x.kind === "grid").map((x) => JSON.stringify(x)),
      };
    };
    const before = await expanded(G, 1);
    const after = await expanded(r.template.id, r.template.version);
    expect(after.ind.length).toBeGreaterThan(20);
    expect(after).toEqual(before);
  });
});

// ---------------------------------------------------------------- 本年累计 in a list table
const ytdTemplate = (id: string, periodType: string, rules: unknown[] = []) => ({
  id, name: text(`审24c ${id}`), periodType,
  sections: [{ code: "m", name: text("产值") }],
  indicators: [
    { code: "x", section: "m", name: text("产品数"), kind: "count" },
    { code: "y", section: "m", name: text("利润"), kind: "amount", unit: "万元", decimals: 2, min: "-100000" },
  ],
  rules,
  form: { tables: [{ kind: "list", code: "mt", formNo: "审24月", name: text("月报"), sections: ["m"], ytd: true }] },
});
let M = "";
let Q = "";
let P = "";
const months = (year: number, n: number) => Array.from({ length: n }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
const rid = (p: string) => `r24c_m${p.replace("-", "")}`;

describe("本年累计 columns", () => {
  beforeAll(async () => {
    M = await publish(ytdTemplate("r24c_month", "month"));
    Q = await publish(ytdTemplate("r24c_quarter", "quarter"));
    P = await publish(ytdTemplate("r24c_mprev", "month", [{ code: "cum_up", expr: "x_ytd >= PREV(x_ytd)", severity: "error", message: text("累计不应小于上月累计") }]));
    for (const p of months(2320, 3)) await openRound(rid(p), M, p, ["zezhou", "gaoping", "yangcheng"]);
  });

  it("HELD: January: x_ytd is x (a typed 99 replaced, filled_from_approved asked to be confirmed); a negative amount's 累计 is the amount", async () => {
    const refused = await put(rid("2320-01"), "zezhou", { x: 10, x_ytd: 99, y: "-5.00" }, false);
    expect(refused.status).toBe(422);
    expect((await json<Err>(refused)).error.issues!.map((i) => `${i.code}:${i.indicator}`)).toContain("filled_from_approved:x_ytd");
    const v = await putOk(rid("2320-01"), "zezhou", { x: 10, x_ytd: 99, y: "-5.00" });
    expect(v.values.x_ytd).toBe(10);
    expect(v.values.y_ytd).toBe("-5.00");
    await approve(rid("2320-01"), "zezhou");
  });

  it("HELD: February with January approved: x_ytd = 30 computed; March (January, February approved) x_ytd 35, a typed lower 累计 replaced", async () => {
    const f = await putOk(rid("2320-02"), "zezhou", { x: 20, y: "1.50" });
    expect(f.values.x_ytd).toBe(30);
    expect(f.values.y_ytd).toBe("-3.50");
    await approve(rid("2320-02"), "zezhou");
    const m = await putOk(rid("2320-03"), "zezhou", { x: 5, x_ytd: 3, y: "0.00" });
    expect(m.values.x_ytd).toBe(35);
    await approve(rid("2320-03"), "zezhou");
  });

  it("HELD: a typed 累计 lower than the month (earlier months not all approved) is refused by the generated rule x_ytd >= x", async () => {
    const res = await put(rid("2320-02"), "yangcheng", { x: 5, x_ytd: 3 });
    expect(res.status).toBe(422);
    expect((await json<Err>(res)).error.issues!.map((i) => i.rule ?? i.code)).toContain("x_ytd_ge");
  });

  it("HELD: January reopened and corrected after February and March were approved: both months' 累计 follow, the approved totals follow, the integrity check finds nothing", async () => {
    await reopen(rid("2320-01"), "zezhou");
    await putOk(rid("2320-01"), "zezhou", { x: 12, y: "-5.00" });
    const r = await approve(rid("2320-01"), "zezhou");
    expect(JSON.stringify(r)).toContain(rid("2320-02"));
    expect((await current(rid("2320-02"), "zezhou")).values.x_ytd).toBe(32);
    expect((await current(rid("2320-03"), "zezhou")).values.x_ytd).toBe(37);
    expect(tv(await totals(rid("2320-03"), "approved"), "x_ytd").value).toBe("37");
    expect(mine((await integrity()).problems)).toEqual([]);
  });

  it("HELD: a month under correction (reopened, resubmitted, not yet approved) leaves later months' 累计 as they were, and the integrity check quiet", async () => {
    await reopen(rid("2320-02"), "zezhou");
    await putOk(rid("2320-02"), "zezhou", { x: 21, y: "1.50" });
    expect((await current(rid("2320-03"), "zezhou")).values.x_ytd).toBe(37);
    expect(mine((await integrity()).problems)).toEqual([]);
    await approve(rid("2320-02"), "zezhou");
    expect((await current(rid("2320-03"), "zezhou")).values.x_ytd).toBe(38);
    expect((await current(rid("2320-02"), "zezhou")).values.x_ytd).toBe(33);
    expect(mine((await integrity()).problems)).toEqual([]);
  });

  it("FINDING (medium): a missing month lets a typed 累计 stand below the approved months that exist — gaoping: January 100 approved, no February, March x 5 with 累计 5 is taken without any issue: expected an issue on x_ytd (the approved months give at least 105), actual 201 with no warning", async () => {
    await putOk(rid("2320-01"), "gaoping", { x: 100 });
    await approve(rid("2320-01"), "gaoping");
    const res = await put(rid("2320-03"), "gaoping", { x: 5, x_ytd: 5 }, false);
    const body = await json<View & Err>(res);
    const issues = res.status === 422 ? body.error.issues! : body.warnings;
    expect(issues.filter((i) => i.indicator === "x_ytd")).not.toEqual([]);
  });

  it("FINDING (medium): an earlier month corrected to blank leaves the later month's computed 累计 as it was — yangcheng January 10 → blank, February keeps x_ytd 15 (its own x is 5): expected x_ytd taken back (blank) or the report named for review, actual 15 and nothing said", async () => {
    await putOk(rid("2320-01"), "yangcheng", { x: 10 });
    await approve(rid("2320-01"), "yangcheng");
    const f = await putOk(rid("2320-02"), "yangcheng", { x: 5 });
    expect(f.values.x_ytd).toBe(15);
    await approve(rid("2320-02"), "yangcheng");
    await reopen(rid("2320-01"), "yangcheng");
    await putOk(rid("2320-01"), "yangcheng", { y: "1.00" });
    const r = await approve(rid("2320-01"), "yangcheng") as { follow?: { review?: string[] } };
    const feb = await current(rid("2320-02"), "yangcheng");
    const named = JSON.stringify(r).includes(rid("2320-02")) && feb.values.x_ytd !== 15;
    expect(feb.values.x_ytd === undefined || feb.values.x_ytd === null || named).toBe(true);
  });

  it("HELD: December then January of the next year: January's 累计 starts again at January's figure", async () => {
    await openRound("r24c_m232112", M, "2321-12", ["qinshui"]);
    const d = await putOk("r24c_m232112", "qinshui", { x: 100, x_ytd: 500 });
    expect(d.values.x_ytd).toBe(500); // January–November missing: typed
    await approve("r24c_m232112", "qinshui");
    await openRound("r24c_m232201", M, "2322-01", ["qinshui"]);
    const j = await putOk("r24c_m232201", "qinshui", { x: 7 });
    expect(j.values.x_ytd).toBe(7);
    await approve("r24c_m232201", "qinshui");
    // December corrected after January approved: January untouched
    await reopen("r24c_m232112", "qinshui");
    await putOk("r24c_m232112", "qinshui", { x: 101, x_ytd: 501 });
    await approve("r24c_m232112", "qinshui");
    expect((await current("r24c_m232201", "qinshui")).values.x_ytd).toBe(7);
    expect(mine((await integrity()).problems)).toEqual([]);
  });

  it("HELD: a quarterly template: Q3's 累计 is Q1 + Q2 + Q3 (1 + 2 + 3)", async () => {
    for (const [p, x] of [["2330Q1", 1], ["2330Q2", 2]] as const) {
      await openRound(`r24c_q${p.toLowerCase()}`, Q, p, ["zezhou"]);
      await putOk(`r24c_q${p.toLowerCase()}`, "zezhou", { x });
      await approve(`r24c_q${p.toLowerCase()}`, "zezhou");
    }
    await openRound("r24c_q2330q3", Q, "2330Q3", ["zezhou"]);
    const v = await putOk("r24c_q2330q3", "zezhou", { x: 3 });
    expect(v.values.x_ytd).toBe(6);
    expect(tv(await totals("r24c_q2330q3"), "x_ytd").value).toBe("6");
  });

  it("HELD: an annual template with 本年累计 is refused", async () => {
    const res = await createTemplate(ytdTemplate("r24c_yannual", "annual"));
    expect(res.status).toBe(422);
  });

  it("HELD: a rule over the periods not checked for want of an approved previous month is a non-blocking notice (not_checked), stored without confirming", async () => {
    await openRound("r24c_p232502", P, "2325-02", ["zezhou"]);
    const res = await put("r24c_p232502", "zezhou", { x: 4, x_ytd: 9 }, false);
    expect(res.status, await res.clone().text()).toBe(201);
    const v = await json<View>(res);
    expect(v.warnings.map((w) => `${w.code}:${w.rule}`)).toContain("not_checked:cum_up");
  });

  it("FINDING (medium): the documented rule 「cum >= PREV(cum)」 (designer help, README) on a 累计 refuses every January once December is approved, since PREV crosses the year while the 累计 starts again: expected January 201, actual 422", async () => {
    await openRound("r24c_p232312", P, "2323-12", ["zezhou"]);
    await putOk("r24c_p232312", "zezhou", { x: 100, x_ytd: 500 });
    await approve("r24c_p232312", "zezhou");
    await openRound("r24c_p232401", P, "2324-01", ["zezhou"]);
    const res = await put("r24c_p232401", "zezhou", { x: 7 });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("HELD: after every legitimate scenario the integrity check, paged with ?cursor=, finds nothing in these rounds", async () => {
    const r = await integrity();
    expect(r.pages).toBeGreaterThanOrEqual(1);
    expect(mine(r.problems)).toEqual([]);
  });
});
