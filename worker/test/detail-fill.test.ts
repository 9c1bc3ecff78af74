// Issue 25: a detail list through the downloaded fill workbook, in workerd against D1 — a county downloads its
// workbook, types its producers into the list's sheet in Excel or WPS (blank rows and all), uploads it: the
// report holds the list and its figures, the rule between the list and 质兴4表 holds, blank rows are said,
// 2,000 rows go up, and every bad row comes back on the cell it is on. Template brands_fill, periods 2500–2509.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import {
  DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, TemplateSchema, buildFillPlans, cellAddress, compileTemplate, detailExtent, fillBook, pageOf, parseFillBook, withUsccCheck, type Values,
} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { FILL_READ, fillReadFor, readUploadedWorkbook } from "../src/upload/read-xlsx";
import { api, ensureDemo, json, login } from "./helpers";

const ID = "brands_fill";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Issue = { code: string; severity: string; cell?: string | null; table?: string; rule?: string; list?: { table: string; row: number; field?: string }; message: { zh: string; en: string } };
type View = { revision: number; values: Record<string, unknown>; lists?: Record<string, Record<string, unknown>[]>; warnings: Issue[] };
let admin = "";

const compiled = (() => { const r = compileTemplate({ ...DEMO_BRANDS_TEMPLATE, id: ID }); if (!r.ok) throw new Error("template"); return r.compiled; })();
const book = fillBook(compiled);
const page = pageOf(book, "producers");
if (page?.kind !== "detail") throw new Error("the list's page");
const geo = page.geometry;
const col = (field: string) => geo.colOf.get(field)!;
/** Where a row slot's field is on the list's sheet ("G8"): slot 0 is the first row under the 栏次 row. */
const at = (slot: number, field: string) => cellAddress(geo.firstRow + slot, col(field));

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await api("/templates", { method: "POST", token: admin, json: { template: { ...DEMO_BRANDS_TEMPLATE, id: ID, version: undefined, status: undefined } } });
  if (r.status !== 201) throw new Error(`template: ${r.status} ${await r.text()}`);
  expect((await api(`/templates/${ID}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
  for (const [id, period] of [["bf2500", "2500"], ["bf2501", "2501"], ["bf2502", "2502"], ["bf2503", "2503"]] as const) {
    const round = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: ID, templateVersion: 1, period, deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["zezhou", "gaoping", "yangcheng"] } });
    if (round.status !== 201) throw new Error(`round ${id}: ${round.status} ${await round.text()}`);
  }
}, 60_000);

async function download(round: string, unit: string): Promise<ExcelJS.Workbook> {
  const res = await api(`/rounds/${round}/submissions/${unit}/template.xlsx`, { token: await login(unit) });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
const sheet = (wb: ExcelJS.Workbook, label: string) => wb.worksheets.find((ws) => ws.name.endsWith(`-${label}`))!;
const upload = async (round: string, unit: string, wb: ExcelJS.Workbook) =>
  api(`/rounds/${round}/submissions/${unit}/upload`, { method: "POST", token: await login(unit), body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });

/** 质兴4表's figures typed into their cells. */
function typeFigures(wb: ExcelJS.Workbook, values: Record<string, number | string>) {
  const ws = sheet(wb, "质兴4表");
  for (const [code, v] of Object.entries(values)) {
    const spot = book.value.get(code)!;
    ws.getCell(spot.row + 1, spot.col + 1).value = Number(v);
  }
}
/** A row typed as an official types it: the level by its name, numbers as numbers. */
function typeRow(ws: ExcelJS.Worksheet, slot: number, r: Values) {
  const shown: Record<string, unknown> = { ...r, level: r.level === "sx" ? "山西名牌" : r.level === "cn" ? "中国名牌" : r.level, output: r.output === undefined ? undefined : Number(r.output), tax: r.tax === undefined ? undefined : Number(r.tax) };
  for (const [field, v] of Object.entries(shown)) if (v !== undefined) ws.getCell(geo.firstRow + slot + 1, col(field) + 1).value = v as ExcelJS.CellValue;
}
const figuresOf = (rows: readonly Values[]) => {
  const cents = (f: string) => rows.reduce((s, r) => s + Math.round(Number(r[f]) * 100), 0);
  const money = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;
  return { sx_products: rows.length, brand_output: money(cents("output")), brand_tax: money(cents("tax")), brand_exports: rows.reduce((s, r) => s + Number(r.exports), 0) };
};
const ALL: Values[] = [...DEMO_BRAND_PRODUCERS.zezhou!, ...DEMO_BRAND_PRODUCERS.gaoping!, ...DEMO_BRAND_PRODUCERS.yangcheng!];

describe("a detail list filled in the downloaded workbook", () => {
  it("a wrong list is refused by the rule between the list and 质兴4表, on 质兴4表's cell", async () => {
    const wb = await download("bf2500", "zezhou");
    typeFigures(wb, { ...figuresOf(ALL), sx_products: 20 });
    ALL.forEach((r, i) => typeRow(sheet(wb, "质兴4表附表"), i, r));
    const res = await upload("bf2500", "zezhou", wb);
    expect(res.status).toBe(422);
    const issues = (await json<{ error: { issues: Issue[] } }>(res)).error.issues;
    expect(issues.map((i) => i.rule)).toEqual(["list_sx"]);
    const spot = book.value.get("sx_products")!;
    expect(issues[0]).toMatchObject({ cell: cellAddress(spot.row, spot.col), table: "main" });
  });

  it("21 producers typed with blank rows in between: stored as the list, its figures computed, the blank rows said", async () => {
    const wb = await download("bf2500", "zezhou");
    const ws = sheet(wb, "质兴4表附表");
    // the page is protected, its rows open; 序号 and the field names head it
    expect(ws.getCell(geo.headerRow + 1, 1).value).toBe("序号");
    expect(ws.getCell(geo.headerRow + 1, col("output") + 1).value).toBe("工业总产值（亿元）");
    expect(ws.getCell(at(0, "firm")).protection?.locked).toBe(false);
    expect(ws.getCell(at(1999, "exports")).protection?.locked).toBe(false);
    expect(ws.getCell(geo.codesRow + 1, col("firm") + 1).protection?.locked).not.toBe(false);
    typeFigures(wb, figuresOf(ALL));
    // zezhou's 7, two blank rows, the other 14
    ALL.forEach((r, i) => typeRow(ws, i < 7 ? i : i + 2, r));
    const res = await upload("bf2500", "zezhou", wb);
    const body = await res.text();
    expect(res.status, body).toBe(201);
    const v = JSON.parse(body) as View;
    // the stored report's rows (the answer leaves them out: GET has them)
    const stored = await json<View>(await api("/rounds/bf2500/submissions/zezhou", { token: admin }));
    expect(stored.lists?.producers).toHaveLength(21);
    expect(stored.lists?.producers?.[7]).toMatchObject({ firm: ALL[7]!.firm, level: "sx", output: ALL[7]!.output });
    expect([v.values.producers_rows, v.values.producers_output, v.values.producers_tax, v.values.producers_exports, v.values.producers_level_sx_rows]).toEqual([21, "210.00", "32.00", "8662", 21]);
    const blank = `A${geo.firstRow + 8}`;
    expect(v.warnings).toEqual([{ code: "blank_rows", severity: "warning", indicator: "producers", table: "producers", cell: blank,
      message: { zh: `质兴4表附表 ${blank} 工作表第 ${geo.firstRow + 8}–${geo.firstRow + 9} 行是空行，已跳过，不计入名单`, en: `质兴4表附表 ${blank} worksheet rows ${geo.firstRow + 8}–${geo.firstRow + 9} are blank and were skipped: no part of the list` } }]);
    // downloaded again, the list is there as stored, its blank rows gone
    const again = sheet(await download("bf2500", "zezhou"), "质兴4表附表");
    expect(again.getCell(at(7, "firm")).value).toBe(ALL[7]!.firm);
    expect(again.getCell(at(20, "level")).value).toBe("山西名牌");
    expect(again.getCell(at(20, "output")).value).toBe(Number(ALL[20]!.output));
    expect(again.getCell(at(21, "firm")).value).toBeNull();
    expect((again.getCell(geo.firstRow + 21, 1).value as { result?: number }).result).toBe(21);
  });

  it("a 2,000-row list goes up", async () => {
    const rows: Values[] = Array.from({ length: 2000 }, (_, i) => ({ firm: `企业${i + 1}`, uscc: withUsccCheck(`91140525MA0${String(i).padStart(6, "0")}`), product: "焦炭", level: "sx", year: 2020, output: "1.00", tax: "0.10", exports: 10 }));
    const wb = await download("bf2501", "zezhou");
    typeFigures(wb, figuresOf(rows));
    const ws = sheet(wb, "质兴4表附表");
    rows.forEach((r, i) => typeRow(ws, i, r));
    const res = await upload("bf2501", "zezhou", wb);
    const body = await res.text();
    expect(res.status, body.slice(0, 500)).toBe(201);
    const v = JSON.parse(body) as View;
    expect((await json<View>(await api("/rounds/bf2501/submissions/zezhou", { token: admin }))).lists?.producers).toHaveLength(2000);
    expect([v.values.producers_rows, v.values.producers_output]).toEqual([2000, "2000.00"]);
  });

  it("a bad credit code, text in an amount, a blank required field in the middle and a key twice each come back on the cell they are on, blank rows above them or not", async () => {
    const rows = DEMO_BRAND_PRODUCERS.gaoping!;
    const wb = await download("bf2502", "gaoping");
    typeFigures(wb, figuresOf(rows));
    const ws = sheet(wb, "质兴4表附表");
    // slots 0–2, a blank slot 3, then the rest: slot k + 1 holds list row k + 1
    rows.forEach((r, i) => typeRow(ws, i < 3 ? i : i + 1, r));
    ws.getCell(at(1, "uscc")).value = `${String(rows[1]!.uscc).slice(0, 17)}${String(rows[1]!.uscc).endsWith("0") ? "1" : "0"}`;
    ws.getCell(at(4, "output")).value = "约10亿";
    ws.getCell(at(5, "firm")).value = null;
    ws.getCell(at(7, "uscc")).value = ` ${String(rows[0]!.uscc).toLowerCase()} `;
    ws.getCell(at(7, "product")).value = rows[0]!.product as string;
    const res = await upload("bf2502", "gaoping", wb);
    expect(res.status).toBe(422);
    const issues = (await json<{ error: { issues: Issue[] } }>(res)).error.issues;
    expect(issues.map((i) => [i.code, i.list?.row, i.list?.field, i.cell, i.table])).toEqual([
      ["invalid", 2, "uscc", at(1, "uscc"), "producers"], ["invalid", 4, "output", at(4, "output"), "producers"],
      ["required", 5, "firm", at(5, "firm"), "producers"], ["duplicate_key", 7, "uscc", at(7, "uscc"), "producers"],
      ["blank_rows", undefined, undefined, `A${geo.firstRow + 4}`, "producers"],
    ]);
    expect(issues[1]!.message.zh).toBe(`质兴4表附表 ${at(4, "output")} 第 4 行「工业总产值」：「约10亿」不是数字（请只填写数字，如 1470、1,470 或 68.68）`);
    expect(issues[3]!.message.zh).toBe(`质兴4表附表 ${at(7, "uscc")} 第 7 行与第 1 行重复（统一社会信用代码 + 产品 相同）`);
    expect(issues[2]!.message.en).toBe(`质兴4表附表 ${at(5, "firm")} row 5, 'Enterprise' is required`);
    expect((await api("/rounds/bf2502/submissions/gaoping", { token: admin })).status).toBe(200);
    expect((await json<View>(await api("/rounds/bf2502/submissions/gaoping", { token: admin }))).revision).toBe(0);
  });

  it("a row typed past the list's limit is refused naming the row and the limit", async () => {
    const wb = await download("bf2502", "yangcheng");
    typeFigures(wb, figuresOf(DEMO_BRAND_PRODUCERS.yangcheng!));
    const ws = sheet(wb, "质兴4表附表");
    DEMO_BRAND_PRODUCERS.yangcheng!.forEach((r, i) => typeRow(ws, i, r));
    ws.getCell(geo.lastRow + 2, col("firm") + 1).value = "多出的一行";
    const res = await upload("bf2502", "yangcheng", wb);
    expect(res.status).toBe(422);
    const err = (await json<{ error: { code: string; where?: string; message: { zh: string } } }>(res)).error;
    expect(err.code).toBe("layout_mismatch");
    expect(err.where).toBe(`${ws.name}!${cellAddress(geo.lastRow + 1, col("firm"))}`);
    expect(err.message.zh).toContain(`最多 2000 行（工作表第 ${geo.firstRow + 1}–${geo.lastRow + 1} 行），工作表第 ${geo.lastRow + 2} 行超出了上限`);
  });
});

describe("what an upload and a request may hold", () => {
  it("a 5,000-row list of ten fields, every row used, is read beside the rest of the form (the limits grow with the template's lists)", async () => {
    const t = (zh: string, en: string) => ({ zh, en });
    const big = TemplateSchema.parse({
      ...DEMO_BRANDS_TEMPLATE, id: "brands_5000",
      form: { ...DEMO_BRANDS_TEMPLATE.form!, tables: DEMO_BRANDS_TEMPLATE.form!.tables.map((x) => (x.kind !== "detail" ? x : {
        ...x, maxRows: 5000, fields: [...x.fields, { code: "since", name: t("认定日期", "Recognised on"), type: "date" }, { code: "exporter", name: t("出口企业", "Exporter"), type: "yesno" }],
      })) },
    });
    const c = (() => { const r = compileTemplate(big); if (!r.ok) throw new Error("template"); return r.compiled; })();
    const rows: Values[] = Array.from({ length: 5000 }, (_, i) => ({
      firm: `晋城市某某名牌产品生产企业${i + 1}有限公司`, uscc: withUsccCheck(`91140525MA0${String(i).padStart(6, "0")}`), product: "焦炭", level: "sx", year: 2020,
      output: "1.00", tax: "0.10", exports: "10", since: "2020-05-01", exporter: i % 2 === 0,
    }));
    const bytes = new Uint8Array(await renderWorkbook(buildFillPlans(c, { roundId: "r", period: "2025", unit: { id: "zezhou", name: "泽州县" }, lists: { producers: rows } })));
    // the limits of a template without lists would refuse it
    expect((await readUploadedWorkbook(bytes, FILL_READ)).ok).toBe(false);
    const read = await readUploadedWorkbook(bytes, fillReadFor(detailExtent(fillBook(c))));
    if (!read.ok) throw new Error(JSON.stringify(read.body));
    const parsed = parseFillBook(c, read.value.map((s) => ({ name: s.sheetName, grid: s.grid, formulaCells: s.formulaCells, errors: s.errors, shown: s.shown, formatted: s.formatted })), { unitId: "zezhou" });
    if (!parsed.ok) throw new Error(parsed.error.message.en);
    expect(parsed.lists.producers).toHaveLength(5000);
    expect(parsed.lists.producers![4999]).toMatchObject({ firm: "晋城市某某名牌产品生产企业5000有限公司", level: "山西名牌", output: 1, exporter: "否" });
  });

  it("a request carrying lists may be over 1 MB: a list past the template's most rows is named, not refused as too large", async () => {
    const rows = Array.from({ length: 2400 }, (_, i) => ({ firm: `${"晋城市某某名牌产品生产企业".repeat(10)}${i}`, uscc: withUsccCheck(`91140525MA0${String(i).padStart(6, "0")}`), product: "焦炭", level: "山西名牌", output: "1.00" }));
    const body = { values: {}, lists: { producers: rows } };
    expect(new TextEncoder().encode(JSON.stringify(body)).length).toBeGreaterThan(1_000_000);
    const res = await api("/rounds/bf2503/submissions/zezhou", { method: "PUT", token: await login("zezhou"), headers: { "if-match": '"0"' }, json: body });
    expect(res.status).toBe(422);
    const issues = (await json<{ error: { issues: Issue[] } }>(res)).error.issues;
    expect(issues.map((i) => [i.code, i.list?.row])).toContainEqual(["too_many_rows", 2001]);
  });

  it("a file filled from an older revision says which list rows differ from the current one, and no list figure as blank", async () => {
    const rows = DEMO_BRAND_PRODUCERS.yangcheng!;
    // revision 1 through a file
    const first = await download("bf2503", "yangcheng");
    typeFigures(first, figuresOf(rows));
    rows.forEach((r, i) => typeRow(sheet(first, "质兴4表附表"), i, r));
    expect((await upload("bf2503", "yangcheng", first)).status).toBe(201);
    // the file of revision 1, downloaded now; then the report moves to revision 2 through the API
    const old = await download("bf2503", "yangcheng");
    const changed = rows.map((r, i) => (i === 0 ? { ...r, output: "99.99" } : r));
    const put = await api("/rounds/bf2503/submissions/yangcheng", { method: "PUT", token: await login("yangcheng"), headers: { "if-match": '"1"' }, json: { values: figuresOf(changed), lists: { producers: changed }, acknowledgeWarnings: true } });
    expect(put.status).toBe(200);
    // the old file, with one more row, goes up
    const extra = { ...rows[1]!, uscc: withUsccCheck("91140522MA0999990"), product: "新产品" };
    typeRow(sheet(old, "质兴4表附表"), rows.length, extra);
    typeFigures(old, figuresOf([...rows, extra]));
    const res = await upload("bf2503", "yangcheng", old);
    expect(res.status).toBe(412);
    const body = await json<{ error: { message: { zh: string }; stale: { changes: { indicator: string; current: unknown; file: unknown }[]; lists?: { table: string; added: number; removed: number; changed: number }[] } } }>(res);
    expect(body.error.stale.lists).toEqual([{ table: "producers", added: 1, removed: 0, changed: 1 }]);
    // the list's figures compare as the file would make them, never as blank
    expect(body.error.stale.changes.every((c) => c.file !== null)).toBe(true);
    expect(body.error.stale.changes.find((c) => c.indicator === "producers_rows")).toEqual({ indicator: "producers_rows", current: 7, file: 8 });
  });
});
