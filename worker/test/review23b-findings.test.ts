// Review of issue 23 (report forms), second reviewer: a city statistician's own 规模以上工业 form
// designed in the designer workbook, published, a round opened; county officials filling the fill
// workbook carelessly; an attacker's workbooks; the city reviewer's totals, exports and integrity.
// "HELD: …" the product behaves right; "FINDING (severity): …" asserts the correct behaviour and is
// marked it.fails until fixed.
/* eslint-disable @typescript-eslint/no-explicit-any -- the API's JSON answers of many shapes are read loosely here */
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { beforeAll, describe, expect, it } from "vitest";
import { api, ensureDemo, json, login } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DEADLINE = "2099-12-31T23:59:59+08:00";

type Book = ExcelJS.Workbook;
async function loadBook(res: Response): Promise<Book> {
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
async function bytesOf(wb: Book): Promise<ArrayBuffer> {
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
const setRow = (ws: ExcelJS.Worksheet, row: number, values: (string | number | null)[]) => {
  values.forEach((v, i) => { ws.getCell(row, i + 1).value = v === "" ? null : v; });
};
/** The 模板 sheet's value beside a label in column A. */
function setMeta(ws: ExcelJS.Worksheet, label: string, value: string) {
  for (let r = 1; r <= 20; r++) if (String(ws.getCell(r, 1).value ?? "") === label) { ws.getCell(r, 2).value = value; return; }
  throw new Error(`no ${label}`);
}

interface Design {
  meta?: Record<string, string>;
  sections: (string | number | null)[][];
  indicators: (string | number | null)[][];
  rules: (string | number | null)[][];
  tables: (string | number | null)[][];
  lines: (string | number | null)[][];
}

async function designerBook(admin: string, d: Design): Promise<Book> {
  const wb = await loadBook(await api("/templates/designer.xlsx", { token: admin }));
  const meta = wb.getWorksheet("模板")!;
  for (const [k, v] of Object.entries(d.meta ?? {})) setMeta(meta, k, v);
  const put = (name: string, rows: (string | number | null)[][]) => { const ws = wb.getWorksheet(name)!; rows.forEach((r, i) => setRow(ws, 3 + i, r)); };
  put("分组", d.sections);
  put("指标", d.indicators);
  put("校验规则", d.rules);
  put("表格", d.tables);
  put("表格行列", d.lines);
  return wb;
}

async function uploadDesigner(admin: string, wb: Book): Promise<Response> {
  return api("/templates/designer", { method: "POST", token: admin, body: await bytesOf(wb), headers: { "content-type": XLSX } });
}

// ---------------------------------------------------------------- the statistician's own form
const LEGAL = { 制定机关: "晋城市统计局", 批准机关: "山西省统计局", "批准文号（或备案文号）": "晋统制〔2035〕7号", 有效期至: "2037年12月" };
const GY_META = { 模板代码: "r23b_gy", 模板名称: "规模以上工业企业主要指标年报", 英文名称: "Above-scale industry annual report", 填报周期: "年报", ...LEGAL };
const GY: Design = {
  meta: GY_META,
  sections: [["gy1", "基本情况", "General"]],
  // code, section, zh, en, kind, unit, decimals, required, min, max, jump%, formula, options, maxLength, help, help en
  indicators: [
    ["firms_total", "gy1", "规模以上工业企业数", "Above-scale firms", "计数", "家", null, "是"],
    ["loss_firms", "gy1", "其中：亏损企业数", "Loss-making firms", "计数", "家", null, "是"],
    ["employees", "gy1", "从业人员平均人数", "Average employees", "计数", "人", null, "是"],
    ["profit_list", "gy1", "利润总额", "Total profit", "金额", "万元", 1, "是", "-9999999999", null],
    ["loss_share", "gy1", "亏损面", "Loss share", "计算", "%", 2, null, null, null, null, "loss_firms / firms_total * 100"],
    ["margin", "gy1", "营业收入利润率", "Profit margin", "计算", "%", 2, null, null, null, null, "gy2_T_prof / gy2_T_rev * 100"],
    ["products", "gy1", "主要产品", "Main products", "文本", null, null, "否", null, null, null, null, null, 200],
  ],
  rules: [
    ["r_loss", "loss_firms <= firms_total", "错误", "亏损企业数不能大于企业数", "Loss-making firms cannot exceed firms"],
    ["r_firms", "firms_total = gy2_T_n", "提示", "基本情况的企业数应与工规2表合计企业数相同", "Firms should equal the total of 工规2表"],
  ],
  // code, formNo, zh, en, kind, attachedTo, unitLine, sections, required, notes, notes en
  tables: [
    ["gy1", "工规1表", "基本情况", "General", "清单", null, null, "gy1"],
    ["gy2", "工规2表", "分行业主要经济指标", "Main indicators by industry", "行列表", null, "计量单位：家、万元", null, "是", "高技术制造业按《高技术产业（制造业）分类（2017）》划分。"],
    ["gy21", "工规2-1表", "高技术制造业分领域销售产值", "High-tech manufacturing sales by field", "行列表", "gy2", "计量单位：万元", null, "否"],
  ],
  // table, axis, code, zh, en, role, of, kind, unit, decimals, skip
  lines: [
    ["gy2", "行", "T", "合计", "Total", "合计"],
    ["gy2", "行", "B", "采矿业", "Mining", "项目"],
    ["gy2", "行", "C", "制造业", "Manufacturing", "项目"],
    ["gy2", "行", "CH", "高技术制造业", "High-tech manufacturing", "其中", "C"],
    ["gy2", "行", "D", "电力、热力、燃气及水生产和供应业", "Utilities", "项目", null, null, null, null, "exp"],
    ["gy2", "列", "n", "企业数", "Firms", "项目", null, "计数", "家"],
    ["gy2", "列", "out", "工业总产值", "Gross output", "项目", null, "金额", "万元", 1],
    ["gy2", "列", "rev", "营业收入", "Revenue", "项目", null, "金额", "万元", 1],
    ["gy2", "列", "prof", "利润总额", "Profit", "项目", null, "金额", "万元", 1],
    ["gy2", "列", "exp", "出口交货值", "Export delivery", "其中", "out", "金额", "万元", 1],
    ["gy21", "行", "T", "合计", "Total", "合计"],
    ["gy21", "行", "M1", "医药制造业", "Pharmaceuticals", "项目"],
    ["gy21", "行", "M2", "电子及通信设备制造业", "Electronics", "项目"],
    ["gy21", "行", "M3", "计算机及办公设备制造业", "Computers", "项目"],
    ["gy21", "列", "S", "销售产值", "Sales", "合计", null, "金额", "万元", 1],
    ["gy21", "列", "dom", "内销产值", "Domestic", "项目", null, "金额", "万元", 1],
    ["gy21", "列", "exp", "出口交货值", "Exports", "项目", null, "金额", "万元", 1],
  ],
};

let admin = "";
let templateId = "";
let templateVersion = 0;
const ROUND = "r23b_gy2035";
const ROUND2 = "r23b_gy2036";

async function publishDesign(d: Design): Promise<{ id: string; version: number }> {
  const res = await uploadDesigner(admin, await designerBook(admin, d));
  const body = await json<{ template: { id: string; version: number }; error?: unknown }>(res);
  expect(res.status, JSON.stringify(body)).toBe(200);
  const pub = await api(`/templates/${body.template.id}/${body.template.version}/publish`, { method: "POST", token: admin });
  expect(pub.status, await pub.clone().text()).toBe(200);
  return body.template;
}

async function openRound(id: string, period: string, units: string[], t = { id: templateId, version: templateVersion }): Promise<void> {
  const res = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: t.id, templateVersion: t.version, period, deadline: DEADLINE, expectedUnitIds: units } });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function fillBookOf(unit: string, round = ROUND): Promise<Book> {
  return loadBook(await api(`/rounds/${round}/submissions/${unit}/template.xlsx`, { token: await login(unit === "jincheng_self" ? "shibenji" : unit) }));
}

/** The sheet of a page (by its hidden metadata in A2). */
function pageSheet(wb: Book, page: string): ExcelJS.Worksheet {
  const ws = wb.worksheets.find((w) => String(w.getCell("A2").value ?? "").includes(`;page=${page}`));
  if (!ws) throw new Error(`no page ${page}: ${wb.worksheets.map((w) => w.name).join(",")}`);
  return ws;
}

async function upload(unit: string, wb: Book | ArrayBuffer, o: { round?: string; query?: string; ifMatch?: string } = {}): Promise<{ status: number; body: any }> {
  const body = wb instanceof ArrayBuffer ? wb : await bytesOf(wb);
  const headers: Record<string, string> = { "content-type": XLSX };
  if (o.ifMatch) headers["if-match"] = o.ifMatch;
  const res = await api(`/rounds/${o.round ?? ROUND}/submissions/${unit}/upload${o.query ?? ""}`, { method: "POST", token: await login(unit), body, headers });
  return { status: res.status, body: await res.json() };
}

async function current(unit: string, round = ROUND): Promise<any> {
  const res = await api(`/rounds/${round}/submissions/${unit}`, { token: admin });
  return res.status === 200 ? res.json() : null;
}

/** A plausible report: gy2 by industry, gy21 with M3 left blank (not required), the list. */
function fillZezhou(wb: Book, o: { profB?: number | string } = {}): void {
  const l = pageSheet(wb, "gy1");
  // list rows: find the code in column A, value in D, note in F
  const listRow = (code: string) => { for (let r = 1; r <= 60; r++) if (l.getCell(r, 1).value === code) return r; throw new Error(code); };
  l.getCell(listRow("firms_total"), 4).value = 97;
  l.getCell(listRow("loss_firms"), 4).value = 9;
  l.getCell(listRow("employees"), 4).value = 25000;
  l.getCell(listRow("profit_list"), 4).value = 18200.5;
  l.getCell(listRow("products"), 4).value = "焦炭、钢材";
  const g = pageSheet(wb, "gy2");
  // rows 6.. T, B, C, CH, D; columns C.. n, out, rev, prof, exp; 说明 H
  const put = (row: number, vals: (number | string | null)[]) => vals.forEach((v, i) => { if (v !== undefined) g.getCell(row, 3 + i).value = v; });
  put(7, [12, 35000.5, 33000, o.profB ?? 200.5, 0]);
  put(8, [80, 250000, 240000, 15000, 30000, "制造业含新投产企业3家"]);
  put(9, [10, 60000, 58000, 5000, 20000]);
  put(10, [5, 90000, 88000, 3000]);
  const a = pageSheet(wb, "gy21");
  a.getCell("D7").value = 10000; a.getCell("E7").value = 5000;
  a.getCell("D8").value = 20000; a.getCell("E8").value = 15000;
}

describe("issue 23 review (b): a 规模以上工业 form", () => {
  beforeAll(async () => {
    await ensureDemo();
    admin = await login("admin");
    const t = await publishDesign(GY);
    templateId = t.id; templateVersion = t.version;
    await openRound(ROUND, "2035", ["zezhou", "gaoping", "chengqu", "qinshui"]);
  });

  // ------------------------------------------------------------ (1) the statistician's design
  it("HELD: the designed form publishes and its fill workbook is a cover plus one protected sheet per table, legal face printed at the top right", async () => {
    const wb = await fillBookOf("zezhou");
    expect(wb.worksheets.map((w) => w.name)).toEqual(["晋城市2035年-封面", "晋城市2035年-工规1表", "晋城市2035年-工规2表", "晋城市2035年-工规2-1表"]);
    const g = pageSheet(wb, "gy2");
    expect(g.headerFooter.oddHeader ?? "").toContain("工规2表");
    expect(g.headerFooter.oddHeader ?? "").toContain("晋统制〔2035〕7号");
    expect(g.getCell("G10").value).toBe("—");
    expect(g.getCell("B9").value).toBe("  其中：高技术制造业");
    // the 合计 row adds the item rows, never the 其中 row
    expect(JSON.stringify(g.getCell("D6").value)).toContain("SUM(D7,D8,D10)");
    const cover = pageSheet(wb, "cover");
    const coverText = cover.getSheetValues().flat().map(String).join("|");
    expect(coverText).toContain("高技术制造业分领域销售产值（附表）");
  });

  it("HELD: the designed form goes round the designer unchanged (download its designer workbook, upload it again: no changes)", async () => {
    const wb = await loadBook(await api(`/templates/${templateId}/${templateVersion}/designer.xlsx`, { token: admin }));
    expect(wb.getWorksheet("表格行列")!.getCell("K7").value).toBe("exp");
    const res = await uploadDesigner(admin, wb);
    const body = await json<{ changes: unknown[]; template: { version: number } }>(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.changes).toEqual([]);
  });

  it("HELD: a 合计 column over columns of 家 and 万元 is refused on its 表格行列 cell, naming the table, in zh and en", async () => {
    const d: Design = { ...GY, meta: { ...GY_META, 模板代码: "r23b_bad1" }, lines: [...GY.lines, ["gy2", "列", "tot", "合计", "Total", "合计", null, "金额", "万元", 1]] };
    const res = await uploadDesigner(admin, await designerBook(admin, d));
    const body = await json<any>(res);
    expect(res.status).toBe(422);
    const p = body.error.issues.find((i: any) => /合计列/.test(i.message.zh));
    expect(p, JSON.stringify(body.error.issues)).toBeTruthy();
    expect(p.cell).toBe("表格行列!I20");
    expect(p.message.zh).toContain("工规2表");
    expect(p.message.en).toMatch(/different units/);
  });

  it("HELD: JavaScript prototype names as grid codes (row constructor, column valueOf, table toString) are refused on their cells, no 500", async () => {
    const d: Design = {
      ...GY, meta: { ...GY_META, 模板代码: "r23b_proto" },
      tables: [...GY.tables, ["toString", "工规3表", "原型", "Proto", "行列表", null, null, null, "是"]],
      lines: [...GY.lines, ["gy2", "行", "constructor", "构造", "Ctor", "项目"], ["gy2", "列", "valueOf", "值", "Value", "项目", null, "计数", "家"]],
    };
    const res = await uploadDesigner(admin, await designerBook(admin, d));
    const body = await json<any>(res);
    expect(res.status).toBe(422);
    const cells = body.error.issues.map((i: any) => i.cell);
    expect(cells).toEqual(expect.arrayContaining(["表格!A6", "表格行列!C20", "表格行列!C21"]));
  });

  it("FINDING (medium): a grid column cannot be made to take a negative figure — 利润总额 by industry is refused for a loss-making industry; expected the designer to let a column allow negatives (as 指标's 最小 does for a list indicator) so a loss can be reported, actual 表格行列 has no 最小/最大 and every grid cell is ≥ 0", async () => {
    const { buildDesignerPlans, planGrid } = await import("@tianbao/shared");
    const wb = await fillBookOf("qinshui");
    fillZezhou(wb, { profB: -1200.5 });
    const up = await upload("qinshui", wb, { query: "?acknowledgeWarnings=1" });
    // the product refuses the loss on its cell (the message is clear) …
    expect(up.status).toBe(422);
    expect(up.body.error.issues[0].message.zh).toContain("工规2表 F7");
    expect(up.body.error.issues[0].message.zh).toContain("不能小于 0");
    // … and the designer has no way to allow it
    const lines = planGrid(buildDesignerPlans(null).find((p) => p.name === "表格行列")!);
    expect(lines[0]!.some((h) => /最小|下限/.test(String(h)))).toBe(true);
  });

  // ------------------------------------------------------------ (2) the careless county official
  /** An upload refused for the layout or a figure: 422, nothing stored, the message names the sheet's table and cell in both languages. */
  async function refused(unit: string, wb: Book, cell: string, zh: RegExp, en: RegExp, query = "?acknowledgeWarnings=1"): Promise<any> {
    const before = (await current(unit))?.revision ?? 0;
    const up = await upload(unit, wb, { query });
    expect(up.status, JSON.stringify(up.body)).toBe(422);
    const e = up.body.error;
    const msgZh = e.issues?.[0]?.message.zh ?? e.message.zh ?? e.message;
    const msgEn = e.issues?.[0]?.message.en ?? e.message.en ?? e.message;
    const all = JSON.stringify(e);
    expect(all).toContain(cell);
    expect(msgZh).toMatch(zh);
    expect(msgEn).toMatch(en);
    expect((await current(unit))?.revision ?? 0).toBe(before);
    return e;
  }

  it("HELD: a figure typed over a 合计 formula is refused on its cell (工规2表 C6), nothing stored", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    pageSheet(wb, "gy2").getCell("C6").value = 97;
    await refused("zezhou", wb, "工规2表 C6", /由公式计算.*97/, /computed by a formula/);
  });

  it("HELD: a formula typed into an input cell (=5+7) is refused on its cell (工规2表 C7)", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    pageSheet(wb, "gy2").getCell("C7").value = { formula: "5+7", result: 12 } as ExcelJS.CellFormulaValue;
    await refused("zezhou", wb, "工规2表 C7", /公式/, /formula/);
  });

  it("HELD: more decimals than the column's (35000.55 in a 1-decimal 万元 column) is refused on its cell, not rounded", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    pageSheet(wb, "gy2").getCell("D7").value = 35000.55;
    const e = await refused("zezhou", wb, "D7", /工规2表 D7 .*最多 1 位小数/, /工规2表 D7 .*at most 1 decimal/);
    expect(e.issues[0].table).toBe("gy2");
  });

  it("HELD: bounds — a count at 9,999,999,999,999 is taken, one past it and a negative count are refused on their cells", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const g = pageSheet(wb, "gy2");
    g.getCell("C7").value = 9999999999999;
    g.getCell("C8").value = 10000000000000;
    g.getCell("C10").value = -3;
    const e = await refused("zezhou", wb, "工规2表 C8", /工规2表 C8 .*不能大于/, /must not be above/);
    const cells = e.issues.map((i: any) => i.cell);
    expect(cells).toContain("C10");
    expect(cells).not.toContain("C7");
  });

  it("HELD: text where a figure goes (123万元) and a blank required cell are refused on their cells, in zh and en", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const g = pageSheet(wb, "gy2");
    g.getCell("E8").value = "240000万元";
    g.getCell("F9").value = null;
    const e = await refused("zezhou", wb, "工规2表 E8", /不是数字/, /not a number/);
    expect(e.issues.map((i: any) => i.message.zh).join("|")).toMatch(/工规2表 F9 .*必填/);
  });

  it("HELD: a 其中 row above its whole (高技术制造业 out > 制造业 out) is refused on the 其中 cell with the form's words", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    pageSheet(wb, "gy2").getCell("D9").value = 260000;
    await refused("zezhou", wb, "工规2表 D9", /其中：高技术制造业.*不能大于.*制造业/, /cannot exceed/);
  });

  it("HELD: a grid cell formatted as a percent by the official is refused on its cell rather than read as 0.12", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const c = pageSheet(wb, "gy2").getCell("C7");
    c.value = 0.12;
    c.style = { ...c.style, numFmt: "0%" }; // this cell's own format (exceljs shares loaded style objects)
    await refused("zezhou", wb, "工规2表 C7", /%|百分/, /percent/);
  });

  it("HELD: the 工规2-1表 sheet deleted is refused naming it, with the tables the report has", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    wb.removeWorksheet(pageSheet(wb, "gy21").id);
    await refused("zezhou", wb, "工规2-1表", /缺少「工规2-1表」/, /lacks the sheet '工规2-1表'/);
  });

  it("HELD: a table sheet copied as a backup (the same page twice) is refused naming both sheets", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const src = pageSheet(wb, "gy2");
    const copy = wb.addWorksheet("工规2表 (备份)");
    src.eachRow({ includeEmpty: false }, (row, r) => row.eachCell({ includeEmpty: false }, (cell, c) => { copy.getCell(r, c).value = cell.value; }));
    await refused("zezhou", wb, "工规2表 (备份)", /晋城市2035年-工规2表.*工规2表 \(备份\)/, /backup/);
  });

  it("HELD: a column inserted inside the grid is refused on the 栏次 cell that moved, before any figure is read", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    pageSheet(wb, "gy2").spliceColumns(4, 0, []);
    await refused("zezhou", wb, "工规2表 D5", /栏次「out」/, /column code 'out'/);
  });

  it("HELD: a row inserted inside the grid is refused on the row code that moved", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const g = pageSheet(wb, "gy2");
    g.spliceRows(8, 0, ["C99", "新增行业", 1, 2, 3, 4, 5]);
    await refused("zezhou", wb, "工规2表 A8", /行代码「C」/, /row code 'C'/);
  });

  it("FINDING (medium): a figure typed into a — cell (a cell the form leaves out, after unprotecting the sheet) is dropped without a word; expected a refusal naming 工规2表 G10, actual the upload is accepted and 500 is stored nowhere", async () => {
    const wb = await fillBookOf("qinshui");
    fillZezhou(wb);
    pageSheet(wb, "gy2").getCell("G10").value = 500;
    const up = await upload("qinshui", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status, JSON.stringify(up.body).slice(0, 300)).toBe(422);
    expect(JSON.stringify(up.body)).toContain("G10");
  });

  it("FINDING (medium): a 说明 typed beside the 合计 row (its note cell is closed but unprotects with one click) is dropped without a word; expected it refused on 工规2表 H6 or kept, actual the upload is accepted and the note is stored nowhere", async () => {
    const wb = await fillBookOf("qinshui");
    fillZezhou(wb);
    pageSheet(wb, "gy2").getCell("H6").value = "合计含2家外省迁入企业";
    const up = await upload("qinshui", wb, { query: "?acknowledgeWarnings=1" });
    const kept = up.status < 300 && Object.values(up.body.comments ?? {}).includes("合计含2家外省迁入企业");
    const refusedOnCell = up.status === 422 && JSON.stringify(up.body).includes("H6");
    expect(kept || refusedOnCell, JSON.stringify(up.body).slice(0, 300)).toBe(true);
  });

  it("FINDING (high): a 说明 stored on a grid cell that is not its row's note cell (PUT body.comments.gy2_C_out, the public JSON API) is accepted, never shown in the fill workbook (the row's 说明 holds only gy2_C_n's), and uploading that workbook back unchanged is a 500 (worker/src/workflow/loss.ts lossRefusal: the lost note has no cell, so `where` reads lost.signature[0]!.label of an empty list); expected the PUT refused naming the row's 说明 cell (工规2表 H8), or the note shown and the upload answered 409 naming it — never a 500", async () => {
    const cur = await current("qinshui");
    const put = await api(`/rounds/${ROUND}/submissions/qinshui`, { method: "PUT", token: await login("qinshui"), headers: { "if-match": `"${cur.revision}"` }, json: { values: cur.values, comments: { ...cur.comments, gy2_C_out: "产值含代加工" }, acknowledgeWarnings: true } });
    if (put.status === 422) return; // refused on the way in: fixed
    expect(put.status).toBe(200);
    const wb = await fillBookOf("qinshui");
    const shown: string[] = [];
    wb.worksheets.forEach((ws) => ws.eachRow((row) => row.eachCell((c) => { if (String(c.value).includes("代加工")) shown.push(`${ws.name}!${c.address}`); })));
    const up = await upload("qinshui", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status, JSON.stringify(up.body).slice(0, 200)).not.toBe(500);
    expect(shown.length).toBeGreaterThan(0);
  });

  it("HELD: two cells whose codes meet (row B × column n_out and row B_n × column out both make gy2_B_n_out) are refused on the 表格行列 row, nothing saved", async () => {
    const d: Design = { ...GY, meta: { ...GY_META, 模板代码: "r23b_coll" }, lines: [...GY.lines, ["gy2", "行", "B_n", "采矿业（其他）", "Mining other", "项目"], ["gy2", "列", "n_out", "其他", "Other", "项目", null, "计数", "家"]] };
    const res = await uploadDesigner(admin, await designerBook(admin, d));
    const body = await json<any>(res);
    expect(res.status).toBe(422);
    expect(body.error.where).toBe("表格行列!C20");
    expect(body.error.message.zh).toContain("gy2_B_n_out");
  });

  it("HELD: the first real report — numbers pasted as text (1,234 / full-width / spaces), notes per row, sheets renamed and reordered — is stored cell by cell where it was typed", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const g = pageSheet(wb, "gy2");
    g.getCell("E7").value = " 33,000.0 ";
    g.getCell("C10").value = "５";
    g.getCell("H7").value = "含露天煤矿2家";
    // the official renames the tabs and moves the cover last
    for (const ws of wb.worksheets) ws.name = `泽州-${ws.name.slice(-6)}`.slice(0, 31);
    const cover = pageSheet(wb, "cover");
    (cover as unknown as { orderNo: number }).orderNo = 99;
    const up = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status, JSON.stringify(up.body).slice(0, 400)).toBe(201);
    const v = up.body.values;
    expect(v.gy2_B_n).toBe(12);
    expect(v.gy2_B_rev).toBe("33000.0");
    expect(v.gy2_D_n).toBe(5);
    expect(v.gy2_C_out).toBe("250000.0");
    expect(v.gy2_CH_exp).toBe("20000.0");
    expect(v.gy2_D_exp).toBeUndefined();
    expect(v.gy21_M3_dom ?? null).toBeNull();
    expect(up.body.derived.gy2_T_n).toBe("97");
    expect(up.body.derived.gy2_T_exp).toBe("30000.0");
    expect(up.body.comments).toEqual({ gy2_B_n: "含露天煤矿2家", gy2_C_n: "制造业含新投产企业3家" });
    // 营业收入利润率 on 工规1表 from 工规2表's 合计 row: 18200.5 / 361000 * 100
    expect(up.body.derived.margin).toBe("5.04");
  });

  // ------------------------------------------------------------ (3) the attacker
  it("HELD: another county's workbook (高平市's) uploaded as 泽州县 is refused as another unit's, nothing stored", async () => {
    const wb = await fillBookOf("gaoping");
    fillZezhou(wb);
    const e = await refused("zezhou", wb, "A2", /不是「泽州县」的/, /not 'Zezhou'/);
    expect(JSON.stringify(e)).not.toContain("高平市"); // a county does not learn its neighbour's name from a refusal
  });

  for (const page of ["__proto__", "constructor", "toString", "hasOwnProperty", "cover"]) {
    it(`HELD: the 工规2-1表 sheet's metadata edited to page=${page} is refused by name (no 500, nothing stored)`, async () => {
      const wb = await fillBookOf("zezhou");
      fillZezhou(wb);
      const a = pageSheet(wb, "gy21");
      a.getCell("A2").value = String(a.getCell("A2").value).replace(";page=gy21", `;page=${page}`);
      const before = (await current("zezhou")).revision;
      const up = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
      expect(up.status, JSON.stringify(up.body)).toBe(422);
      expect(JSON.stringify(up.body.error.message)).toMatch(page === "cover" ? /封面/ : /工规2-1表/);
      expect((await current("zezhou")).revision).toBe(before);
    });
  }

  it("HELD: the 工规2-1表 sheet's metadata edited to say it is 工规2表 (same shape of header) is refused as two 工规2表 sheets", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const a = pageSheet(wb, "gy21");
    a.getCell("A2").value = String(a.getCell("A2").value).replace(";page=gy21", ";page=gy2");
    await refused("zezhou", wb, "晋城市2035年-工规2-1表", /2 张本轮本单位的同一填报表/, /2 copies of one fill sheet/);
  });

  it("FINDING (low): 高平市's 工规2表 pasted into 泽州县's workbook in place of its own is refused as 'the workbook lacks 工规2表 — put the sheet back' although the sheet is right there; expected the refusal to say that sheet is another unit's report (as a whole other county's workbook is told)", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const theirs = await fillBookOf("gaoping");
    const src = pageSheet(theirs, "gy2");
    const mine = pageSheet(wb, "gy2");
    mine.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => { cell.value = null; }));
    src.eachRow({ includeEmpty: false }, (row, r) => row.eachCell({ includeEmpty: false }, (cell, c) => { mine.getCell(r, c).value = cell.value; }));
    fillZezhou(wb);
    const up = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status).toBe(422);
    expect(up.body.error.message.zh).toMatch(/另一单位|不是「泽州县」/);
  });

  it("HELD: two rounds' workbooks in one file (2035 and 2036 of the same form): each upload reads its own round's sheets only", async () => {
    await openRound(ROUND2, "2036", ["zezhou"]);
    const y35 = await fillBookOf("zezhou", ROUND);
    const y36 = await fillBookOf("zezhou", ROUND2);
    fillZezhou(y36);
    pageSheet(y36, "gy2").getCell("C7").value = 13;
    pageSheet(y36, "gy2").getCell("C8").value = 79;
    // copy 2035's sheets (already submitted, different figures) into the 2036 workbook, first
    for (const ws of [...y35.worksheets].reverse()) {
      const copy = y36.addWorksheet(ws.name);
      ws.eachRow({ includeEmpty: false }, (row, r) => row.eachCell({ includeEmpty: false }, (cell, c) => { copy.getCell(r, c).value = cell.value; }));
      (copy as unknown as { orderNo: number }).orderNo = -1;
    }
    const up = await upload("zezhou", y36, { round: ROUND2, query: "?acknowledgeWarnings=1" });
    expect(up.status, JSON.stringify(up.body).slice(0, 300)).toBe(201);
    expect(up.body.values.gy2_B_n).toBe(13);
    expect(up.body.values.gy2_C_n).toBe(79);
    expect(up.body.derived.gy2_T_n).toBe("97");
  });

  it("HELD: a long issuer with apostrophes and brackets and a 表号 with an apostrophe: sheet names fit Excel's 31 characters, stay distinct, and the cross-sheet rate formula names the 工规2表 sheet as it is called; the workbook reads back", async () => {
    const { TemplateSchema, compileTemplate, buildFillPlans, parseFillBook } = await import("@tianbao/shared");
    const { renderWorkbook } = await import("../src/export/xlsx");
    const { readUploadedWorkbook, fillSheetsOf } = await import("../src/upload/read-xlsx");
    const stored = TemplateSchema.parse(await (await api(`/templates/${templateId}/${templateVersion}`, { token: admin })).json());
    const form = stored.form!;
    const t = { ...stored, form: { ...form, tables: form.tables.map((x) => (x.code === "gy2" ? { ...x, formNo: "工规'2表（续）" } : x.code === "gy21" ? { ...x, formNo: "工规'2表（续）附" } : x)) } };
    const c = compileTemplate(t);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const issuer = "晋城市'规模以上工业'统计调查[试点]办公室第二分队";
    const plans = buildFillPlans(c.compiled, { roundId: "r23b_x", period: "2035", unit: { id: "zezhou", name: "泽州县" }, issuer });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await renderWorkbook(plans));
    const names = wb.worksheets.map((w) => w.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    const list = wb.worksheets.find((w) => String(w.getCell("A2").value).includes(";page=gy1"))!;
    const gridName = wb.worksheets.find((w) => String(w.getCell("A2").value).includes(";page=gy2"))!.name;
    const margin = JSON.stringify(list.getCell("D11").value);
    expect(margin).toContain(`'${gridName.replace(/'/g, "''")}'!F6`);
    const read = await readUploadedWorkbook(new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const mine = fillSheetsOf(read.value, { roundId: "r23b_x", unitId: "zezhou" });
    expect(mine.ok).toBe(true);
    if (!mine.ok) return;
    const parsed = parseFillBook(c.compiled, mine.value.map((x) => ({ name: x.sheetName, grid: x.grid, formulaCells: x.formulaCells, errors: x.errors, shown: x.shown, formatted: x.formatted })), { roundId: "r23b_x", unitId: "zezhou" });
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
  });

  it("FINDING (low): with a long issuer (unit names may have 64 characters) the tabs lose their 表号: issuer 晋城市规模以上工业统计调查试点办公室第二分队 gives '…第二分队2035年-工规2' for 工规2表 and a ' (2)' variant of the cut name for 工规2-1表, and a 26-character issuer makes every tab the cut issuer with (2), (3), (4), the year cut too; expected each tab to keep its 表号 (shorten the issuer part instead)", async () => {
    const { TemplateSchema, compileTemplate, fillBook, fillSheetNames } = await import("@tianbao/shared");
    const t = TemplateSchema.parse(await (await api(`/templates/${templateId}/${templateVersion}`, { token: admin })).json());
    const c = compileTemplate(t);
    if (!c.ok) throw new Error("compile");
    const names = fillSheetNames(fillBook(c.compiled), { issuer: "晋城市规模以上工业统计调查试点办公室第二分队", period: "2035" });
    expect(names.get("gy2")).toContain("工规2表");
    expect(names.get("gy21")).toContain("工规2-1表");
  });

  it("FINDING (low): a row inserted at the top of 工规2表 (to add a heading, say) moves the hidden metadata off A2, and the refusal says the workbook lacks 工规2表 — 'put the sheet back' — while the sheet is there; expected the message to name that sheet and say rows were inserted above the table", async () => {
    const wb = await fillBookOf("zezhou");
    fillZezhou(wb);
    const g = pageSheet(wb, "gy2");
    const name = g.name;
    g.spliceRows(1, 0, ["泽州县规模以上工业分行业情况"]);
    const up = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status).toBe(422);
    expect(JSON.stringify(up.body.error)).toContain(name);
  });

  // ------------------------------------------------------------ (4) the city reviewer
  it("HELD: more counties report (高平市 with 工规2-1表 left blank, 城区 with one 附表 row)", async () => {
    const g = await fillBookOf("gaoping");
    fillZezhou(g);
    const gg = pageSheet(g, "gy2");
    for (const [cell, v] of [["C7", 3], ["D7", 9000], ["E7", 8800.4], ["F7", 100.1], ["G7", 0], ["C8", 40], ["D8", 120000], ["E8", 119000], ["F8", 7000.2], ["G8", 1000], ["C9", 2], ["D9", 3000], ["E9", 2900], ["F9", 10], ["G9", 0], ["C10", 3], ["D10", 50000], ["E10", 49000], ["F10", 2500]] as const) gg.getCell(cell).value = v;
    const gl = pageSheet(g, "gy1");
    gl.getCell("D6").value = 46;
    const ga = pageSheet(g, "gy21");
    for (const cell of ["D7", "E7", "D8", "E8"]) ga.getCell(cell).value = null;
    const up = await upload("gaoping", g, { query: "?acknowledgeWarnings=1" });
    expect(up.status, JSON.stringify(up.body).slice(0, 400)).toBe(201);
    const c = await fillBookOf("chengqu");
    fillZezhou(c);
    const ca = pageSheet(c, "gy21");
    for (const cell of ["D7", "E7", "D8", "E8"]) ca.getCell(cell).value = null;
    ca.getCell("D9").value = 700.5; ca.getCell("E9").value = 0;
    const up2 = await upload("chengqu", c, { query: "?acknowledgeWarnings=1" });
    expect(up2.status, JSON.stringify(up2.body).slice(0, 400)).toBe(201);
  });

  async function totalsView(): Promise<any> {
    const res = await api(`/rounds/${ROUND}/totals`, { token: await login("shenhe") });
    expect(res.status).toBe(200);
    return res.json();
  }

  it("HELD: the city's totals of grid cells are exact sums; the cross-table rate (营业收入利润率) is the ratio of the summed 合计s, not an average of the counties' rates", async () => {
    const v = await totalsView();
    const units = ["zezhou", "gaoping", "chengqu", "qinshui"];
    const subs = await Promise.all(units.map((u) => current(u)));
    const sum = (code: string) => subs.reduce((a, s) => a + Number(s.values[code] ?? 0), 0);
    for (const code of ["gy2_B_n", "gy2_C_out", "gy2_CH_exp", "gy2_D_prof"]) expect(Number(v.totals.indicators[code].value)).toBeCloseTo(sum(code), 6);
    const prof = sum("gy2_B_prof") + sum("gy2_C_prof") + sum("gy2_D_prof");
    const rev = sum("gy2_B_rev") + sum("gy2_C_rev") + sum("gy2_D_rev");
    expect(v.totals.indicators.gy2_T_prof.value).toBe(prof.toFixed(1));
    expect(v.totals.indicators.margin.value).toBe((Math.round((prof / rev) * 10000) / 100).toFixed(2));
    expect(v.totals.indicators.gy2_D_exp).toBeUndefined();
  });

  it("HELD: blank is not zero — a 附表 cell nobody reported is blank in the totals and the CSV, one reported by one county counts one", async () => {
    const v = await totalsView();
    expect(v.totals.indicators.gy21_M3_dom).toMatchObject({ value: "700.5", reported: 1 });
    const gaoping = v.children.find((c: any) => c.unitId === "gaoping");
    expect(gaoping.totals.indicators.gy21_M1_dom.value).toBeNull();
    const csv = await (await api(`/rounds/${ROUND}/export.csv`, { token: await login("shenhe") })).text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split(/\r?\n/).map((l) => l.split(","));
    const header = lines[0]!;
    const col = header.findIndex((h) => h.includes("医药制造业·内销产值"));
    expect(col).toBeGreaterThan(0);
    const gaopingLine = lines.find((l) => l[0] === "gaoping")!;
    expect(gaopingLine[col]).toBe("");
  });

  it("FINDING (medium): in a grid that is not required (工规2-1表, 必填 否) a 合计 stays blank for every county that leaves any row blank, yet the city's 合计 is a number — the city total is not the sum of the counties' totals and the county's printed 附表 has an empty 合计 row; expected 泽州县's 合计·销售产值 = 50000.0 (Σ of the rows it reported), actual blank", async () => {
    const z = await current("zezhou");
    expect(z.derived.gy21_M1_S).toBe("15000.0");
    expect(z.derived.gy21_M2_S).toBe("35000.0");
    const v = await totalsView();
    const city = v.totals.indicators.gy21_T_S.value;
    const counties = v.children.map((c: any) => c.totals.indicators.gy21_T_S.value);
    // what the product does today: every county blank, the city a number
    expect(z.derived.gy21_T_S).toBe("50000.0");
    expect(counties.filter((x: any) => x !== null).reduce((a: number, x: string) => a + Number(x), 0)).toBe(Number(city));
  });

  it("FINDING (low): the CSV names a grid cell by row·column only, so two tables' cells share a header (工规2表 and 工规2-1表 both give 合计·出口交货值（万元）); expected each column to say its table (表号), actual two identical headers", async () => {
    const csv = await (await api(`/rounds/${ROUND}/export.csv`, { token: await login("shenhe") })).text();
    const header = csv.replace(/^\uFEFF/, "").split(/\r?\n/)[0]!.split(",");
    const dup = header.filter((h, i) => header.indexOf(h) !== i);
    expect(dup).toEqual([]);
  });

  it("FINDING (low): the 汇总表's 说明 sheet names a grid row's note by its first cell (制造业·企业数) without its table, though the note is the row's (typed in the row's 说明); expected the table and row (工规2表 制造业), actual '制造业·企业数'", async () => {
    const wb = await loadBook(await api(`/rounds/${ROUND}/export.xlsx`, { token: await login("shenhe") }));
    const notes = wb.getWorksheet("说明")!;
    let label = "";
    notes.eachRow((row) => { if (String(row.getCell(3).value ?? "").includes("新投产企业3家")) label = String(row.getCell(2).value); });
    expect(label).toMatch(/工规2表/);
  });

  it("HELD: the aggregate workbook draws 工规2表 in its own shape: each cell the city's total at its row and column, — where it does not apply, 合计 as live formulas over the item rows only", async () => {
    const v = await totalsView();
    const wb = await loadBook(await api(`/rounds/${ROUND}/export.xlsx`, { token: await login("shenhe") }));
    const ws = wb.worksheets.find((w) => w.name.startsWith("工规2表"))!;
    expect(ws, wb.worksheets.map((w) => w.name).join(",")).toBeTruthy();
    // header row 3: 项目, then the columns; rows from 4: T, B, C, CH, D
    expect(ws.getCell("B3").value).toBe("企业数（家）");
    const rows = ["T", "B", "C", "CH", "D"], cols = ["n", "out", "rev", "prof", "exp"];
    rows.forEach((r, i) => cols.forEach((c, j) => {
      const cell = ws.getCell(4 + i, 2 + j);
      const t = v.totals.indicators[`gy2_${r}_${c}`];
      if (!t) { expect(cell.value).toBe("—"); return; }
      const val = cell.value as any;
      const n = typeof val === "object" && val !== null ? val.result : val;
      expect(Number(n), `${r}:${c}`).toBeCloseTo(Number(t.value), 6);
    }));
    expect((ws.getCell("C4").value as any).formula).toMatch(/C5,C6,C8/);
    expect((ws.getCell("C4").value as any).formula).not.toMatch(/C7/);
  });

  it("HELD: returned and corrected, the revisions' difference names each changed grid cell and the row's 说明 before and after", async () => {
    const shenhe = await login("shenhe");
    const ret = await api(`/rounds/${ROUND}/submissions/zezhou/return`, { method: "POST", token: shenhe, json: { comment: "制造业产值请核实" } });
    expect(ret.status, await ret.clone().text()).toBe(200);
    const wb = await fillBookOf("zezhou");
    const g = pageSheet(wb, "gy2");
    expect(g.getCell("H8").value).toBe("制造业含新投产企业3家");
    g.getCell("D8").value = 251000;
    g.getCell("H8").value = "制造业含新投产企业3家，产值已核实";
    const up = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status, JSON.stringify(up.body).slice(0, 300)).toBe(200);
    const rev = up.body.revision;
    const d = await json<any>(await api(`/rounds/${ROUND}/submissions/zezhou/diff?from=${rev - 1}&to=${rev}`, { token: shenhe }));
    expect(d.changes).toEqual([{ indicator: "gy2_C_out", before: "250000.0", after: "251000.0" }]);
    expect(d.notes).toEqual([{ indicator: "gy2_C_n", before: "制造业含新投产企业3家", after: "制造业含新投产企业3家，产值已核实" }]);
    // the same (now stale) file edited again: 412 with what differs, cell by cell
    g.getCell("D8").value = 252000;
    const stale = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
    expect(stale.status).toBe(412);
    expect(stale.body.error.message.zh).toContain(`当前已是第 ${rev} 版`);
    expect(stale.body.error.stale.changes).toEqual([{ indicator: "gy2_C_out", current: "251000.0", file: "252000.0" }]);
  });

  it("HELD: a file that drops a grid row's 说明 of the current revision is stopped (409) naming the 说明 cell 工规2表 H8 and the note", async () => {
    const wb = await fillBookOf("zezhou");
    pageSheet(wb, "gy2").getCell("H8").value = null;
    const before = (await current("zezhou")).revision;
    const up = await upload("zezhou", wb, { query: "?acknowledgeWarnings=1" });
    expect(up.status).toBe(409);
    expect(up.body.error.message.zh).toContain("工规2表 H8");
    expect(up.body.error.message.zh).toContain("产值已核实");
    expect(up.body.error.message.en).toContain("工规2表 H8");
    expect((await current("zezhou")).revision).toBe(before);
  });

  it("HELD: the review context, the add-in's totals sheets and the draft preview answer for the form (no 500)", async () => {
    const shenhe = await login("shenhe");
    expect((await api(`/rounds/${ROUND}/submissions/zezhou/review`, { token: shenhe })).status).toBe(200);
    const sheets = await json<any>(await api(`/rounds/${ROUND}/totals/sheets`, { token: shenhe }));
    expect(sheets.sheets.map((x: any) => x.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^工规2表/), expect.stringMatching(/^工规2-1表/)]));
    expect((await api(`/templates/${templateId}/${templateVersion}/preview.xlsx`, { token: admin })).status).toBe(200);
  });

  it("HELD: next year's version inserts a 其中 row in the grid; the 2037 fill workbook's last-period grid puts 2036's figures on their rows by code, the new row blank", async () => {
    const lines = [...GY.lines];
    lines.splice(2, 0, ["gy2", "行", "B1", "煤炭开采和洗选业", "Coal mining", "其中", "B"]);
    const res = await uploadDesigner(admin, await designerBook(admin, { ...GY, lines }));
    const body = await json<any>(res);
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.template.version).toBe(templateVersion + 1);
    expect(JSON.stringify(body.changes)).toContain("新增行「煤炭开采和洗选业」（B1）");
    const pub = await api(`/templates/${body.template.id}/${body.template.version}/publish`, { method: "POST", token: admin });
    expect(pub.status).toBe(200);
    await openRound("r23b_gy2037", "2037", ["zezhou"], body.template);
    const wb = await fillBookOf("zezhou", "r23b_gy2037");
    const g = pageSheet(wb, "gy2");
    // current rows 6–11: T, B, B1, C, CH, D; last period's heading row 13, its rows 14–19
    expect(g.getCell("A8").value).toBe("B1");
    expect(g.getCell("B13").value).toBe("上期数值（供参考）");
    expect(g.getCell("C14").value).toBe(97);
    expect(g.getCell("C15").value).toBe(13);
    expect(g.getCell("C16").value).toBeNull();
    expect(g.getCell("C17").value).toBe(79);
  });

  // ------------------------------------------------------------ huge grids
  /** A form of one grid, rows × columns of counts in 家, with a 合计 row and column. */
  function bigGrid(id: string, rows: number, cols: number): Design {
    const pad = (n: number) => String(n).padStart(3, "0");
    return {
      meta: { 模板代码: id, 模板名称: `大表${rows}x${cols}`, 英文名称: `Big ${rows}x${cols}`, 填报周期: "年报", 制定机关: "晋城市统计局" },
      sections: [], indicators: [], rules: [],
      tables: [["big", "工规9表", "大表", "Big", "行列表", null, null, null, "是"]],
      lines: [
        ["big", "行", "T", "合计", "Total", "合计"],
        ...Array.from({ length: rows - 1 }, (_, i) => ["big", "行", `r${pad(i + 1)}`, `行业${i + 1}`, `Industry ${i + 1}`, "项目"]),
        ["big", "列", "CT", "合计", "Total", "合计", null, "计数", "家"],
        ...Array.from({ length: cols - 1 }, (_, j) => ["big", "列", `c${pad(j + 1)}`, `栏${j + 1}`, `Col ${j + 1}`, "项目", null, "计数", "家"]),
      ],
    };
  }

  it("FINDING (low): the designer says a grid has at most 200 rows and 30 columns, but a 200 × 30 grid is refused with a false reason ('填报表将有 6,0xx 行，超过 2,090 行' — a grid's own sheet would have about 410 rows); expected either the stated limits reachable or the refusal to give the real limit (cells in all), not a row count the fill workbook would never have", async () => {
    const res = await uploadDesigner(admin, await designerBook(admin, bigGrid("r23b_big200x30", 200, 30)));
    const body = await json<any>(res);
    expect(res.status).toBe(422);
    expect(body.error.message.zh).not.toMatch(/填报表将有 \d+ 行/);
  });

  for (const [rows, cols] of [[200, 10], [66, 30]] as const) {
    it(`HELD: a ${rows} × ${cols} grid (${rows * cols} cells, 合计 row and column) designs, publishes, fills completely and totals exactly`, async () => {
      const t = await publishDesign(bigGrid(`r23b_big${rows}x${cols}`, rows, cols));
      const round = `r23b_big${rows}x${cols}_2035`;
      await openRound(round, "2035", ["yangcheng"], t);
      const wb = await fillBookOf("yangcheng", round);
      const ws = pageSheet(wb, "big");
      // item cells from row 7 (row 6 is 合计), column D (C is 合计)
      let expectTotal = 0;
      for (let r = 0; r < rows - 1; r++) for (let c = 0; c < cols - 1; c++) { const v = (r * 7 + c) % 13; ws.getCell(7 + r, 4 + c).value = v; expectTotal += v; }
      expect(ws.getCell(5, 3 + cols - 1).value).toBe(`c${String(cols - 1).padStart(3, "0")}`);
      const up = await upload("yangcheng", wb, { round });
      expect(up.status, JSON.stringify(up.body).slice(0, 300)).toBe(201);
      expect(up.body.derived.big_T_CT).toBe(String(expectTotal));
      expect(up.body.values[`big_r${String(rows - 1).padStart(3, "0")}_c${String(cols - 1).padStart(3, "0")}`]).toBe(((rows - 2) * 7 + cols - 2) % 13);
    });
  }

  it("FINDING (low): a 30-column grid's sheet prints on one A4 page wide at about 3 pt (LibreOffice's PDF of the 66 × 30 fill sheet: text at 2.9–3.6 pt); expected a wide grid to stay legible (≥ 6 pt: split across pages, A3, or narrower columns), actual fitted to one page wide whatever its width", async () => {
    const { TemplateSchema, compileTemplate, buildFillPlans } = await import("@tianbao/shared");
    const { printFit } = await import("@tianbao/shared");
    const t = TemplateSchema.parse(await (await api("/templates/r23b_big66x30/1", { token: admin })).json());
    const c = compileTemplate(t);
    if (!c.ok) throw new Error("compile");
    const plans = buildFillPlans(c.compiled, { roundId: "x", period: "2035", unit: { id: "yangcheng", name: "阳城县" }, issuer: "晋城市" });
    const grid = plans.find((p) => String(p.properties.tianbao).includes(";page=big"))!;
    expect(printFit(grid).smallestPoints).toBeGreaterThanOrEqual(6);
  });

  it("HELD: GET /api/integrity reports no problems after all of the above", async () => {
    let cursor = "";
    const problems: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await json<any>(await api(`/integrity?cursor=${encodeURIComponent(cursor)}`, { token: admin }));
      problems.push(...r.problems);
      if (r.next === null) break;
      cursor = r.next;
    }
    expect(problems).toEqual([]);
  });

});
