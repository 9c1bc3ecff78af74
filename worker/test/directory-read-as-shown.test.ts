// Issue 20, the units-and-accounts part: the 单位与账号 workbook is read exactly as the person sees
// it, or refused on its cell; a workbook that is not one is refused whole, and a moved column is one
// message at its header. Each test edits the downloaded workbook the way a person does in a
// spreadsheet program (exceljs stands in for it) and uploads it; each failed before this issue.
import { beforeAll, describe, expect, it } from "vitest";
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { DirectoryPreviewSchema, type DirectoryPreview } from "@tianbao/shared";
import { api, countRows, ensureDemo, env, json, login } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type ErrorBody = { error: { code: string; where?: string; message: { zh: string; en: string }; issues?: unknown[] } };
let admin = "";

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});

async function download(path = "/directory.xlsx", token = admin): Promise<ExcelJS.Workbook> {
  const res = await api(path, { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
const bytes = async (wb: ExcelJS.Workbook) => new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
const post = async (path: string, wb: ExcelJS.Workbook) => api(path, { method: "POST", token: admin, body: await bytes(wb), headers: { "content-type": XLSX } });
async function preview(wb: ExcelJS.Workbook): Promise<DirectoryPreview> {
  const res = await post("/directory/preview", wb);
  expect(res.status, await res.clone().text()).toBe(200);
  return DirectoryPreviewSchema.parse(await json(res));
}
/** Refused whole with 422: nothing previewed, nothing applied. */
async function refusedWhole(wb: ExcelJS.Workbook): Promise<ErrorBody["error"]> {
  const before = [await countRows("units"), await countRows("users"), await countRows("audit")];
  const seen = await post("/directory/preview", wb);
  expect(seen.status, await seen.clone().text()).toBe(422);
  const applied = await post("/directory/apply", wb);
  expect(applied.status).toBe(422);
  expect([await countRows("units"), await countRows("users"), await countRows("audit")]).toEqual(before);
  return (await json<ErrorBody>(seen)).error;
}

/**
 * What Excel stores when text is typed into a cell: the text itself in a Text (@) cell; in any
 * other a run of digits becomes a number (its leading 0 gone), as Excel's General does.
 */
function type(cell: ExcelJS.Cell, text: string): void {
  cell.value = cell.numFmt === "@" || !/^[+-]?\d+(\.\d+)?$/.test(text) ? text : Number(text);
}
/** Types a row into the first empty row of a sheet and answers its row number. */
function typeRow(ws: ExcelJS.Worksheet, texts: string[]): number {
  const row = ws.actualRowCount + 1;
  texts.forEach((t, c) => type(ws.getCell(row, c + 1), t));
  return row;
}
/** A cell's own number format: exceljs shares one style object between cells, so a new one is assigned. */
function setFormat(cell: ExcelJS.Cell, numFmt: string): void {
  cell.style = { ...cell.style, numFmt };
}
const rowOf = (ws: ExcelJS.Worksheet, id: string): number => {
  for (let r = 3; r <= ws.actualRowCount; r++) if (ws.getCell(r, 1).value === id) return r;
  throw new Error(`no row ${id}`);
};

describe("the units-and-accounts workbook, read as shown", () => {
  it("a landline 03562021234 typed under the last unit keeps its 0: the phone column is Text", async () => {
    const wb = await download();
    const units = wb.getWorksheet("单位")!;
    typeRow(units, ["ras_landline", "固话测试县", "Landline", "县（区）", "jincheng", "赵主任", "03562021234"]);
    const p = await preview(wb);
    expect(p.problems).toEqual([]);
    expect(p.units.create).toMatchObject([{ id: "ras_landline", contactPhone: "03562021234" }]);
    expect((await post("/directory/apply", wb)).status).toBe(200);
    expect(await env.DB.prepare("SELECT contact_phone FROM units WHERE id = 'ras_landline'").first("contact_phone")).toBe("03562021234");
  });

  it("a phone that arrives as a number is refused on its cell (its leading 0 may be lost); a mobile number reads as shown", async () => {
    const wb = await download();
    const units = wb.getWorksheet("单位")!;
    const zz = units.getCell(rowOf(units, "zezhou"), 7);
    zz.value = 3562021234; // pasted from a sheet whose phone column is General
    setFormat(zz, "General");
    const gp = units.getCell(rowOf(units, "gaoping"), 7);
    gp.value = 13900000009;
    setFormat(gp, "General");
    const p = await preview(wb);
    const cell = `单位!G${rowOf(units, "zezhou")}`;
    expect(p.problems.map((x) => x.cell)).toEqual([cell]);
    expect(p.problems[0]!.message.zh).toContain(`${cell}：`);
    expect(p.problems[0]!.message.zh).toMatch(/开头的 0.*文本/);
    expect(p.problems[0]!.message.en).toMatch(/leading 0.*Text/);
    expect(p.units.change.find((c) => c.id === "gaoping")?.fields.contactPhone?.[1]).toBe("13900000009");
    const before = await env.DB.prepare("SELECT contact_phone FROM units WHERE id = 'zezhou'").first("contact_phone");
    const applied = await post("/directory/apply", wb);
    expect(applied.status).toBe(422);
    expect((await json<ErrorBody>(applied)).error.where).toBe(cell);
    expect(await env.DB.prepare("SELECT contact_phone FROM units WHERE id = 'zezhou'").first("contact_phone")).toBe(before);
  });

  it("a date or a percent reaching a text cell is read as the text it shows", async () => {
    const wb = await download();
    const units = wb.getWorksheet("单位")!;
    const row = typeRow(units, ["ras_shown", "显示测试县", "Shown", "县（区）", "jincheng", "", ""]);
    const contact = units.getCell(row, 6);
    contact.value = new Date(Date.UTC(2025, 2, 1)); // "3-1" typed into a General cell
    setFormat(contact, "yyyy/m/d");
    const accounts = wb.getWorksheet("账号")!;
    const arow = typeRow(accounts, ["ras.shown", "", "填报员", "ras_shown"]);
    const name = accounts.getCell(arow, 2);
    name.value = 0.45; // "45%" typed into a General cell
    setFormat(name, "0%");
    const p = await preview(wb);
    expect(p.problems).toEqual([]);
    expect(p.units.create).toMatchObject([{ id: "ras_shown", contactName: "2025/3/1" }]);
    expect(p.accounts.create).toMatchObject([{ username: "ras.shown", displayName: "45%" }]);
  });

  it("an error value in a units or accounts cell is refused on its cell, naming the error", async () => {
    const wb = await download();
    const units = wb.getWorksheet("单位")!;
    const row = typeRow(units, ["ras_error", "错误值县", "Errors", "县（区）", "jincheng", "", "13800000000"]);
    units.getCell(row, 6).value = { error: "#N/A" } as ExcelJS.CellErrorValue;
    const accounts = wb.getWorksheet("账号")!;
    const arow = typeRow(accounts, ["ras.error", "", "填报员", "zezhou"]);
    accounts.getCell(arow, 2).value = { error: "#REF!" } as ExcelJS.CellErrorValue;
    const p = await preview(wb);
    expect(p.problems.map((x) => x.cell)).toEqual([`单位!F${row}`, `账号!B${arow}`]);
    expect(p.problems[0]!.message.zh).toContain("#N/A");
    expect(p.problems[0]!.message.en).toContain("#N/A");
    expect(p.problems[1]!.message.zh).toContain("#REF!");
    expect((await post("/directory/apply", wb)).status).toBe(422);
    expect(await countRows("units WHERE id = 'ras_error'")).toBe(0);
  });

  it("a formula in a cell that is read is refused on that cell, with the other problems; one in a column not read is left alone", async () => {
    const wb = await download();
    const units = wb.getWorksheet("单位")!;
    const row = typeRow(units, ["ras_formula", "公式县", "Formula", "镇", "jincheng", "", ""]);
    units.getCell(row, 6).value = { formula: "B3&\"科长\"", result: "晋城市科长" } as ExcelJS.CellFormulaValue;
    units.getCell(row, 8).value = { formula: "LEN(B3)", result: 3 } as ExcelJS.CellFormulaValue; // the person's own working, column H
    const p = await preview(wb);
    expect(p.problems.map((x) => x.cell)).toEqual([`单位!D${row}`, `单位!F${row}`]);
    expect(p.problems[1]!.message.zh).toContain("公式");
    expect((await post("/directory/apply", wb)).status).toBe(422);
  });

  it("an unrelated workbook (a new blank one, a fill sheet, a designer) is refused as not a units-and-accounts workbook", async () => {
    const blank = new ExcelJS.Workbook(); // as Excel 2010 and WPS make one: three empty sheets
    for (const n of ["Sheet1", "Sheet2", "Sheet3"]) blank.addWorksheet(n);
    const fill = await download("/rounds/r2025/submissions/zezhou/template.xlsx", await login("zezhou"));
    const designer = await download("/templates/designer.xlsx?from=builtin");
    for (const wb of [blank, fill, designer]) {
      const e = await refusedWhole(wb);
      expect(e.code).toBe("layout_mismatch");
      expect(e.message.zh).toContain("不是单位与账号表");
      expect(e.message.en).toContain("not a units-and-accounts workbook");
    }
  });

  it("a workbook without its 账号 sheet says which sheet is missing, by name", async () => {
    const wb = await download();
    wb.removeWorksheet(wb.getWorksheet("账号")!.id);
    typeRow(wb.getWorksheet("单位")!, ["ras_missing", "缺表县", "Missing", "县（区）", "jincheng", "", ""]);
    const e = await refusedWhole(wb);
    expect(e.code).toBe("layout_mismatch");
    expect(e.message.zh).toContain("缺少「账号」工作表");
    expect(e.message.en).toContain("no sheet 账号");
  });

  it("hidden and reordered sheets keep working; a renamed sheet is known by its header rows and named by its new name", async () => {
    const wb = await download();
    const units = wb.getWorksheet("单位")!;
    const notes = wb.getWorksheet("说明")!;
    const accounts = wb.getWorksheet("账号")!;
    // 说明 dragged to the front (exceljs keeps a sheet's place as orderNo, which its types leave out)
    const order = (ws: ExcelJS.Worksheet) => ws as ExcelJS.Worksheet & { orderNo: number };
    [order(notes).orderNo, order(units).orderNo] = [order(units).orderNo, order(notes).orderNo];
    accounts.state = "hidden";
    units.name = "单位（本市）";
    const row = typeRow(units, ["ras_renamed", "改名表县", "Renamed", "乡", "jincheng", "", ""]);
    typeRow(accounts, ["ras.hidden", "隐藏表", "填报员", "zezhou"]);
    const p = await preview(wb);
    expect(p.problems.map((x) => x.cell)).toEqual([`单位（本市）!D${row}`]);
    expect(p.problems[0]!.message.zh).toContain(`单位（本市）!D${row}：级别「乡」`);
    expect(p.accounts.create.map((a) => a.username)).toEqual(["ras.hidden"]);
  });

  it("a column inserted or moved, or a header row deleted, is one message at its header cell, before any value", async () => {
    const inserted = await download();
    inserted.getWorksheet("单位")!.spliceColumns(4, 0, []);
    let e = await refusedWhole(inserted);
    expect(e).toMatchObject({ code: "layout_mismatch", where: "单位!D1" });
    expect(e.message.zh).toContain("单位!D1 应为「级别」");
    expect(e.message.zh).toContain("列被移动、插入或删除");
    expect(e.message.en).toContain("单位!D1 should read '级别' (Level)");
    expect(e.issues ?? []).toEqual([]);

    const swapped = await download();
    const accounts = swapped.getWorksheet("账号")!;
    accounts.eachRow((r) => { const [b, c] = [r.getCell(2).value, r.getCell(3).value]; r.getCell(2).value = c; r.getCell(3).value = b; });
    e = await refusedWhole(swapped);
    expect(e.where).toBe("账号!B1");
    expect(e.message.zh).toContain("账号!B1 应为「姓名/显示名」，实际为「角色」");

    const noEnglishRow = await download();
    noEnglishRow.getWorksheet("单位")!.spliceRows(2, 1); // the first unit's row moves up into row 2
    e = await refusedWhole(noEnglishRow);
    expect(e.where).toBe("单位!A2");
  });
});
