import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { BUILTIN_TEMPLATE, decodeFillMeta, fillIndex, parseFillGrid, type CellValue } from "@tianbao/shared";
import { toCsv } from "@tianbao/shared";
import { api, ensureDemo, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();
beforeAll(async () => { await ensureDemo(); });

async function workbookOf(res: Response): Promise<ExcelJS.Workbook> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("spreadsheetml");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

describe("GET /api/rounds/:id/export.xlsx", () => {
  it("writes the totals sheet with live SUM and rate formulas, units as columns, and a completeness sheet", async () => {
    const token = await login("admin");
    const wb = await workbookOf(await api("/rounds/r2024/export.xlsx?basis=approved", { token }));
    const [totals, completeness] = wb.worksheets;
    expect(totals!.name).toContain("汇总");
    const row = (code: string) => { let found = 0; totals!.eachRow((r, n) => { if (r.getCell(1).value === code) found = n; }); return totals!.getRow(found); };
    const products = row("products");
    expect((products.getCell(4).value as ExcelJS.CellFormulaValue).formula).toMatch(/SUM\(E\d+:K\d+\)/);
    expect(products.getCell(5).value).toBe(300); // 城区, the first county column
    const coverage = (row("std_coverage_rate").getCell(4).value as ExcelJS.CellFormulaValue).formula;
    expect(coverage).toMatch(/^IF\(OR\(D\d+="",D\d+=""\),"",IFERROR\(\(\(D\d+-D\d+\)\/D\d+\)\*100,""\)\)$/);
    expect(totals!.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(totals!.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9 });
    expect(completeness!.getCell("B2").value).toBe(7); // expected units
  });

  it("serves concurrent downloads in one isolate (no state shared between requests)", async () => {
    const token = await login("admin");
    const all = await Promise.all([1, 2, 3].flatMap(() => [api("/rounds/r2024/export.xlsx", { token }), api("/rounds/r2024/submissions/zezhou/template.xlsx", { token })]));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await Promise.all(all.map((r) => r.arrayBuffer()));
  });

  it("refuses a reporter (403) and an unknown round (404)", async () => {
    expect((await api("/rounds/r2024/export.xlsx", { token: await login("zezhou") })).status).toBe(403);
    expect((await api("/rounds/nope/export.xlsx", { token: await login("admin") })).status).toBe(404);
  });
});

describe("GET /api/rounds/:id/submissions/:unit/template.xlsx", () => {
  it("gives the unit a protected fill sheet that reads back to its figures", async () => {
    const token = await login("zezhou");
    const wb = await workbookOf(await api("/rounds/r2024/submissions/zezhou/template.xlsx", { token }));
    const ws = wb.worksheets[0]!;
    expect(decodeFillMeta(ws.getCell("A2").value)).toMatchObject({ roundId: "r2024", unitId: "zezhou", templateId: BUILTIN_TEMPLATE.id });
    const row = fillIndex(compiled).rowOf.get("products")! + 1;
    expect(ws.getCell(`D${row}`).protection?.locked).toBe(false);
    expect(ws.getCell(`A${row}`).protection?.locked).not.toBe(false); // locked is the default
    expect((ws as unknown as { sheetProtection: unknown }).sheetProtection).toMatchObject({ sheet: true });
    expect(ws.getCell(`D${row}`).dataValidation).toMatchObject({ type: "whole" });
    const grid: CellValue[][] = [];
    ws.eachRow((r, n) => { grid[n - 1] = (r.values as CellValue[]).slice(1).map((v) => (v && typeof v === "object" ? null : (v ?? null))); });
    const parsed = parseFillGrid(compiled, grid, { roundId: "r2024", unitId: "zezhou" });
    expect(parsed.ok && parsed.values.products).toBe(500);
    expect(parsed.ok && parsed.values.plan_issued).toBe("是");
  });

  it("refuses another unit's template", async () => {
    expect((await api("/rounds/r2024/submissions/gaoping/template.xlsx", { token: await login("zezhou") })).status).toBe(403);
  });
});

describe("GET /api/rounds/:id/export.csv", () => {
  it("is UTF-8 with a BOM so Excel and WPS show Chinese, with the seeds' totals", async () => {
    const res = await api("/rounds/r2024/export.csv?basis=approved", { token: await login("shenhe") });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split("\r\n")[0]).toContain("泽州县");
    expect(text).toContain("std_coverage_rate,标准覆盖率,%,83.54");
  });

  it("never lets a cell run as a formula", () => {
    const csv = toCsv([["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "ok", -5, null, "a,\"b\""]]);
    expect(csv).toBe("\uFEFF'=1+1,'+cmd,'-2,'@SUM(A1),'\tx,ok,-5,,\"a,\"\"b\"\"\"\r\n");
  });
});

describe("exports and injection", () => {
  it("write a hostile unit name and comment as text, never as a formula", async () => {
    const admin = await login("admin");
    expect((await api("/units", { method: "POST", token: admin, json: { id: "evil", name: { zh: "=HYPERLINK(\"http://x\",\"点我\")", en: "evil" }, level: "county", parentId: "jincheng" } })).status).toBe(201);
    expect((await api("/rounds", { method: "POST", token: admin, json: { id: "revil", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2027", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["evil"] } })).status).toBe(201);
    const wb = await workbookOf(await api("/rounds/revil/export.xlsx", { token: admin }));
    const cells: ExcelJS.CellValue[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((cell) => { if (String(cell.value).includes("HYPERLINK") || (typeof cell.value === "object" && cell.value && "formula" in cell.value && String(cell.value.formula).includes("HYPERLINK"))) cells.push(cell.value); }));
    expect(cells.length).toBeGreaterThan(0);
    for (const v of cells) expect(typeof v).toBe("string");
    const csv = await (await api("/rounds/revil/export.csv", { token: admin })).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
  });
});
