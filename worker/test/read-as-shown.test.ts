// Issue 20: every uploaded fill sheet is read exactly as the person sees it, or refused on its
// cell. Each test edits the downloaded sheet the way officials do (with exceljs, as a spreadsheet
// program saves it) and uploads it; each failed on the reader before this issue.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { DEMO_PAST_VALUES, fillIndex } from "@tianbao/shared";
import { api, builtinCompiled, countRows, ensureDemo, json, login } from "./helpers";

let admin = "";
let tpl = { id: "", version: 0 };
const PW = "probe-password-1";
let seq = 0;
const uid = (p: string) => `${p}${++seq}${Math.random().toString(36).slice(2, 7)}`;
const rowOf = (code: string) => fillIndex(builtinCompiled()).rowOf.get(code)! + 1; // 1-based sheet row

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: admin }));
  tpl = { id: r.templateId, version: r.templateVersion };
});

interface Unit { id: string; roundId: string; token: string }

/** A fresh county under jincheng with its own reporter, and a fresh open round expecting only it. */
async function freshUnit(): Promise<Unit> {
  const id = uid("ras");
  expect((await api("/units", { method: "POST", token: admin, json: { id, name: { zh: `读表${id}`, en: `Read ${id}` }, level: "county", parentId: "jincheng" } })).status).toBe(201);
  const username = `rep${id}`.toLowerCase().slice(0, 30);
  expect((await api("/users", { method: "POST", token: admin, json: { username, displayName: "p", role: "reporter", unitId: id, password: PW } })).status).toBe(201);
  const roundId = uid("rr");
  const rr = await api("/rounds", { method: "POST", token: admin, json: { id: roundId, templateId: tpl.id, templateVersion: tpl.version, period: "2025", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: [id] } });
  expect(rr.status, await rr.clone().text()).toBe(201);
  return { id, roundId, token: await login(username, PW) };
}

/** The unit's fill sheet as downloaded, filled with valid figures (as a county would, in Excel). */
async function filledBook(u: Unit): Promise<ExcelJS.Workbook> {
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}/template.xlsx`, { token: u.token });
  expect(r.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await r.arrayBuffer());
  const ws = wb.worksheets[0]!;
  for (const [code, v] of Object.entries(DEMO_PAST_VALUES.zezhou!)) {
    const row = fillIndex(builtinCompiled()).rowOf.get(code);
    const ind = builtinCompiled().byCode.get(code)!;
    if (row === undefined || ind.kind === "derived" || v === null) continue;
    const cell = ws.getCell(row + 1, 4);
    if (ind.kind === "yesno") cell.value = v ? "是" : "否";
    else if (ind.kind === "choice") cell.value = ind.options.find((o) => o.code === v)!.name.zh;
    else if (ind.kind === "text") cell.value = String(v);
    else cell.value = Number(v);
  }
  return wb;
}

/** A cell's own number format (exceljs shares one style object between the cells that had it). */
function setFormat(cell: ExcelJS.Cell, numFmt: string): void {
  cell.style = { ...cell.style, numFmt };
}

async function upload(u: Unit, wb: ExcelJS.Workbook) {
  const body = new Uint8Array(await wb.xlsx.writeBuffer());
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}/upload?acknowledgeWarnings=1`, { method: "POST", token: u.token, body });
  const text = await r.text();
  return { status: r.status, body: JSON.parse(text) as { error?: { where?: string; message: { zh: string; en: string } }; values?: Record<string, unknown>; comments?: Record<string, string> } };
}

async function stored(u: Unit): Promise<{ values: Record<string, unknown>; comments?: Record<string, string>; revision: number }> {
  return json(await api(`/rounds/${u.roundId}/submissions/${u.id}`, { token: u.token }));
}

async function expectRefusedOn(u: Unit, wb: ExcelJS.Workbook, where: string, says: RegExp) {
  const before = await countRows("revisions");
  const r = await upload(u, wb);
  expect(r.status, JSON.stringify(r.body)).toBe(422);
  expect(r.body.error?.where, JSON.stringify(r.body)).toBe(where);
  expect(r.body.error?.message.zh).toMatch(says);
  expect(r.body.error?.message.en.length).toBeGreaterThan(10);
  expect(await countRows("revisions")).toBe(before); // nothing stored
}

describe("layout is checked before values", () => {
  it("上期数值 dragged in front of 本期数值 is refused at D4 in one message, even on a first upload", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const ws = wb.worksheets[0]!;
    ws.eachRow((row) => { const d = row.getCell(4).value; row.getCell(4).value = row.getCell(5).value; row.getCell(5).value = d; });
    await expectRefusedOn(u, wb, "D4", /D4 应为「本期数值」，实际为「上期数值」：列被移动/);
  });

  it("an inserted blank column is named once at its header cell, not as 35 必填", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    wb.worksheets[0]!.spliceColumns(3, 0, []);
    await expectRefusedOn(u, wb, "C4", /C4 应为「计量单位」，实际为「」/);
  });
});

describe("the right sheet of the workbook", () => {
  it("a backup copy of the sheet placed first is refused naming both sheets, never read instead", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const main = wb.worksheets[0]!;
    const backup = wb.addWorksheet("备份");
    main.eachRow((row, r) => row.eachCell((cell, c) => { backup.getCell(r, c).value = cell.value; }));
    backup.getCell(rowOf("products"), 4).value = 1;
    const r = await upload(u, wb);
    expect(r.status).toBe(422);
    expect(r.body.error?.message.zh).toContain("「备份」");
    expect(r.body.error?.message.zh).toContain(`「${main.name}」`);
    expect((await stored(u)).revision).toBe(0);
  });

  it("a tab of another round placed first is passed over: this round's sheet is read", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const main = wb.worksheets[0]!;
    const old = wb.addWorksheet("去年");
    main.eachRow((row, r) => row.eachCell((cell, c) => { old.getCell(r, c).value = cell.value; }));
    old.getCell(2, 1).value = String(main.getCell(2, 1).value).replace(`round=${u.roundId}`, "round=r2024");
    old.getCell(rowOf("products"), 4).value = 1;
    // the other round's tab goes first
    (old as unknown as { orderNo: number }).orderNo = 0;
    (main as unknown as { orderNo: number }).orderNo = 1;
    const r = await upload(u, wb);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await stored(u)).values.products).toBe(DEMO_PAST_VALUES.zezhou!.products);
  });
});

describe("read what is shown", () => {
  it("45% typed in an amount (万元) cell is refused on its cell, never stored as 0.45", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const cell = wb.worksheets[0]!.getCell(rowOf("work_funds"), 4);
    cell.value = 0.45;
    setFormat(cell, "0%");
    await expectRefusedOn(u, wb, `D${rowOf("work_funds")}`, /百分数「45%」/);
  });

  it("5-1 that Excel made a date in a count cell is refused on its cell, never stored as 46143", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const cell = wb.worksheets[0]!.getCell(rowOf("products"), 4);
    cell.value = new Date(Date.UTC(2026, 4, 1));
    setFormat(cell, "m/d");
    await expectRefusedOn(u, wb, `D${rowOf("products")}`, /日期「5\/1」/);
  });

  it("a date and a percentage in a text answer and a 说明 are stored as the cell shows them", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const ws = wb.worksheets[0]!;
    const text = ws.getCell(rowOf("remarks"), 4);
    text.value = new Date(Date.UTC(2026, 2, 1));
    setFormat(text, 'm"月"d"日"');
    const note = ws.getCell(rowOf("products"), 6);
    note.value = 0.125;
    setFormat(note, "0.0%");
    const r = await upload(u, wb);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const s = await stored(u);
    expect(s.values.remarks).toBe("3月1日");
    expect(s.comments?.products).toBe("12.5%");
  });

  it("error values are refused on their cell, naming the error: #DIV/0! in a text answer, #N/A in a required count", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    wb.worksheets[0]!.getCell(rowOf("remarks"), 4).value = { error: "#DIV/0!" } as ExcelJS.CellErrorValue;
    await expectRefusedOn(u, wb, `D${rowOf("remarks")}`, /错误值 #DIV\/0!/);
    const wb2 = await filledBook(u);
    wb2.worksheets[0]!.getCell(rowOf("products"), 4).value = { error: "#N/A" } as ExcelJS.CellErrorValue;
    await expectRefusedOn(u, wb2, `D${rowOf("products")}`, /错误值 #N\/A/);
  });

  it("a value pasted from a calculation (30.299999999999997, shown 30.30) is read as Excel shows it", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    wb.worksheets[0]!.getCell(rowOf("work_funds"), 4).value = 30.299999999999997;
    const r = await upload(u, wb);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(String((await stored(u)).values.work_funds)).toMatch(/^30\.30?$/);
  });

  it("45% typed over a computed rate is refused on its cell, not silently ignored", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const rate = builtinCompiled().template.indicators.find((i) => i.kind === "derived")!;
    const cell = wb.worksheets[0]!.getCell(rowOf(rate.code), 4);
    cell.value = 0.45;
    setFormat(cell, "0%");
    await expectRefusedOn(u, wb, `D${rowOf(rate.code)}`, /由公式计算，不能直接填写（此处填了「45%」/);
  });

  it("the downloaded sheet's text answers and 说明 cells are Text (@), so what is typed stays as typed", async () => {
    const u = await freshUnit();
    const wb = await filledBook(u);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell(rowOf("remarks"), 4).numFmt).toBe("@");
    expect(ws.getCell(rowOf("products"), 6).numFmt).toBe("@");
  });
});
