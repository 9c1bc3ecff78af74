import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { strFromU8, unzipSync } from "fflate";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, SIGNATURE_LABELS, aggregateReports, cellValueOf, decodeFillMeta, fillIndex, parseFillGrid,
  toCsv, type CellValue,
} from "@tianbao/shared";
import { api, ensureDemo, json, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();
beforeAll(async () => { await ensureDemo(); });

/** A sheet's rows by indicator code (the 指标代码 column, last and outside the print area). */
const rowsByCode = (ws: ExcelJS.Worksheet): Map<string, number> => {
  const codeCol = (ws.getRow(3).values as unknown[]).indexOf("指标代码");
  const out = new Map<string, number>();
  ws.eachRow((r, n) => { if (n > 3 && typeof r.getCell(codeCol).value === "string") out.set(r.getCell(codeCol).value as string, n); });
  return out;
};
/** A cell's figure: a plain value, or the result stored beside a formula. */
const figure = (cell: ExcelJS.Cell): unknown => (cell.value && typeof cell.value === "object" && "formula" in cell.value ? (cell.value as ExcelJS.CellFormulaValue).result : cell.value);

/** RFC 4180 rows, the way a spreadsheet opens the CSV. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; } else if (ch === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; } else field += ch;
  }
  return rows;
}

/** One part of an .xlsx as the server wrote it (not as exceljs reads it back). */
const partOf = (bytes: ArrayBuffer, name: string): string => strFromU8(unzipSync(new Uint8Array(bytes))[name]!);

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
    const row = (code: string) => totals!.getRow(rowsByCode(totals!).get(code)!);
    const products = row("products");
    // 指标名称, 计量单位, 合计, then a column per county
    expect((products.getCell(3).value as ExcelJS.CellFormulaValue).formula).toMatch(/SUM\(D\d+:J\d+\)/);
    expect(products.getCell(4).value).toBe(300); // 城区, the first county column
    const coverage = (row("std_coverage_rate").getCell(3).value as ExcelJS.CellFormulaValue).formula;
    expect(coverage).toMatch(/^IF\(OR\(C\d+="",C\d+=""\),"",IFERROR\(\(\(C\d+-C\d+\)\/C\d+\)\*100,""\)\)$/);
    expect(totals!.views[0]).toMatchObject({ state: "frozen", ySplit: 4 }); // title, note, header, each unit's state
    expect(totals!.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9 });
    expect(completeness!.getCell("B2").value).toBe(7); // expected units
  });

  it("stores every formula's result beside it, equal to the reference aggregation (2,570 products, 83.54 % coverage)", async () => {
    const res = await api("/rounds/r2024/export.xlsx?basis=approved", { token: await login("admin") });
    const bytes = await res.clone().arrayBuffer();
    const wb = await workbookOf(res);
    const totals = wb.worksheets[0]!;
    // in the file itself: every formula cell has its value (<v>) beside its formula (<f>), "" for a blank
    const xml = partOf(bytes, "xl/worksheets/sheet1.xml");
    const formulaCells = [...xml.matchAll(/<c\b[^>]*?(?<!\/)>(?:(?!<\/c>)[\s\S])*<\/c>/g)].map((m) => m[0]).filter((c) => c.includes("<f>"));
    expect(formulaCells.length).toBeGreaterThan(100);
    for (const cell of formulaCells) expect(cell, cell).toMatch(/<v>[^<]*<\/v>|<v\/>/);
    const reference = aggregateReports(compiled, DEMO_REPORTING_UNITS.map((unitId) => ({ unitId, values: DEMO_PAST_VALUES[unitId]! })));
    const rowOf = rowsByCode(totals);
    let checked = 0;
    for (const ind of compiled.template.indicators) {
      const t = reference.indicators[ind.code]!;
      const got = figure(totals.getCell(rowOf.get(ind.code)!, 3));
      if (t.kind === "count" || t.kind === "amount" || t.kind === "derived") {
        expect((got as number).toFixed(ind.kind === "count" ? 0 : (ind as { decimals: number }).decimals), ind.code).toBe(t.value);
        checked++;
      } else if (t.kind === "yesno") { expect(got, ind.code).toBe(t.yes); checked++; }
    }
    expect(checked).toBe(compiled.template.indicators.filter((i) => i.kind !== "choice" && i.kind !== "text").length);
    expect(figure(totals.getCell(rowOf.get("products")!, 3))).toBe(2570);
    expect(figure(totals.getCell(rowOf.get("std_coverage_rate")!, 3))).toBeCloseTo(83.54, 2);
  });

  it("writes times in Beijing time and says so", async () => {
    const wb = await workbookOf(await api("/rounds/r2024/export.xlsx?basis=approved", { token: await login("admin") }));
    const [totals, completeness] = wb.worksheets;
    expect(String(totals!.getCell("A2").value)).toMatch(/导出于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    expect(completeness!.getCell("D4").value).toBe("首次上报时间（北京时间）");
    // the demo's reports went in ten days before the deadline of 2025-01-31 23:59:59 +08:00
    const times = new Set<unknown>();
    completeness!.eachRow((r, n) => { if (n > 4) times.add(r.getCell(4).value); });
    expect([...times]).toEqual(["2025-01-21 23:59"]);
  });

  it("compares like with like: the change is over the units that reported in both periods, and the sheet says which", async () => {
    const both = ["zezhou", "gaoping"];
    for (const unitId of both) {
      const now = { ...DEMO_PAST_VALUES[unitId]!, products: Number(DEMO_PAST_VALUES[unitId]!.products) + 10 };
      const put = await api(`/rounds/r2025/submissions/${unitId}`, { method: "PUT", token: await login(unitId), headers: { "if-match": '"0"' }, json: { values: now, acknowledgeWarnings: true } });
      expect(put.status, await put.clone().text()).toBe(201);
    }
    const wb = await workbookOf(await api("/rounds/r2025/export.xlsx", { token: await login("admin") }));
    const totals = wb.worksheets[0]!;
    expect(String(totals.getCell("A2").value)).toContain("增减（同口径）：只比较两期都上报的 2 个单位（本期 2 个、上期 7 个单位上报）");
    const header = (totals.getRow(3).values as unknown[]).slice(1);
    const at = (h: string) => header.indexOf(h) + 1;
    expect(header.slice(-6)).toEqual(["上期合计", "本期（同口径）", "上期（同口径）", "增减（同口径）", "增减幅度（%）", "指标代码"]);
    const products = totals.getRow(rowsByCode(totals).get("products")!);
    const before = both.reduce((n, u) => n + Number(DEMO_PAST_VALUES[u]!.products), 0);
    expect(figure(products.getCell(at("上期合计")))).toBe(2570); // every unit of 2024, as published
    expect(figure(products.getCell(at("上期（同口径）")))).toBe(before);
    expect(figure(products.getCell(at("本期（同口径）")))).toBe(before + 20);
    expect(figure(products.getCell(at("增减（同口径）")))).toBe(20); // not 2,570 − this year's two units
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

  it("prints on A4 landscape, one page wide and automatic height, the header row repeated, the metadata row hidden", async () => {
    const res = await api("/rounds/r2024/submissions/zezhou/template.xlsx", { token: await login("zezhou") });
    const bytes = await res.clone().arrayBuffer();
    const wb = await workbookOf(res);
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, showGridLines: true });
    expect(ws.getRow(2).hidden).toBe(true);
    expect(decodeFillMeta(ws.getCell("A2").value)).not.toBeNull(); // hidden, still there to read on upload
    // the print area (the form and the signature block, columns A–F) and the repeated header row, as Excel names them
    const book = partOf(bytes, "xl/workbook.xml");
    expect(book).toContain(`<definedName name="_xlnm.Print_Area" localSheetId="0">&apos;${ws.name}&apos;!$A$1:$F$${ws.rowCount}</definedName>`);
    expect(book).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;${ws.name}&apos;!$4:$4</definedName>`);
    expect(ws.headerFooter.oddFooter).toBe("&C第 &P 页，共 &N 页");
    expect(ws.getCell("A3").value).toBe("已审核（第 1 版）"); // the demo's 2024 report, approved
  });

  it("takes a filled signature block back without reading it as figures, and shows the state in Chinese", async () => {
    const admin = await login("admin");
    const created = await api("/rounds", { method: "POST", token: admin, json: { id: "rsign", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2029", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] } });
    expect(created.status, await created.clone().text()).toBe(201);
    const token = await login("zezhou");
    const wb = await workbookOf(await api("/rounds/rsign/submissions/zezhou/template.xlsx", { token }));
    const ws = wb.worksheets[0]!;
    expect(ws.getCell("A3").value).toBe("未上报");
    const index = fillIndex(compiled);
    for (const [code, v] of Object.entries(DEMO_PAST_VALUES.zezhou!)) ws.getCell(index.rowOf.get(code)! + 1, 4).value = cellValueOf(compiled.byCode.get(code)!, v) as ExcelJS.CellValue;
    // the block as a county fills it in WPS: the unit, two names, a phone, a date typed as a date
    const labels = new Map<string, ExcelJS.Cell>();
    ws.eachRow((r) => r.eachCell((cell) => { if (SIGNATURE_LABELS.includes(cell.value as never)) labels.set(cell.value as string, ws.getCell(Number(cell.row), Number(cell.col) + 1)); }));
    expect([...labels.keys()].sort()).toEqual([...SIGNATURE_LABELS].sort());
    expect(labels.get("填报单位")!.value).toBe("泽州县");
    labels.get("负责人")!.value = "李四";
    labels.get("填报人")!.value = "王五";
    labels.get("联系电话")!.value = 13900000009;
    labels.get("填报日期")!.value = new Date(Date.UTC(2029, 2, 1));
    const up = await api("/rounds/rsign/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token, body: new Uint8Array(await wb.xlsx.writeBuffer()) });
    expect(up.status, await up.clone().text()).toBe(201);
    const stored = await json<{ values: Record<string, unknown>; comments: Record<string, string>; signature?: Record<string, string>; revision: number }>(up);
    expect(stored.revision).toBe(1);
    expect(stored.values.products).toBe(DEMO_PAST_VALUES.zezhou!.products);
    // never a figure or a note: the signature block is kept with the revision as itself (issue 22)
    expect(JSON.stringify([stored.values, stored.comments])).not.toContain("李四");
    expect(stored.signature?.head).toBe("李四");
    const again = await workbookOf(await api("/rounds/rsign/submissions/zezhou/template.xlsx", { token }));
    expect(again.worksheets[0]!.getCell("A3").value).toBe("已上报（第 1 版）");
    const back = await api("/rounds/rsign/submissions/zezhou/return", { method: "POST", token: admin, json: { comment: "请核实产品数" } });
    expect(back.status, await back.clone().text()).toBe(200);
    const returned = await workbookOf(await api("/rounds/rsign/submissions/zezhou/template.xlsx", { token }));
    expect(returned.worksheets[0]!.getCell("A3").value).toBe("已退回（第 1 版）：请核实产品数");
  });

  it("refuses another unit's template", async () => {
    expect((await api("/rounds/r2024/submissions/gaoping/template.xlsx", { token: await login("zezhou") })).status).toBe(403);
  });
});

describe("GET /api/rounds/:id/export.csv", () => {
  it("is UTF-8 with a BOM, a line per unit with the seeds' totals, every figure a plain number", async () => {
    const res = await api("/rounds/r2024/export.csv?basis=approved", { token: await login("shenhe") });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = readCsv(new TextDecoder().decode(bytes.slice(3)));
    const col = (h: string) => { const i = header!.indexOf(h); expect(i, h).toBeGreaterThan(2); return i; };
    const line = (name: string) => lines.find((l) => l[1] === name)!;
    const city = line("晋城市（合计）");
    expect(city.slice(0, 3)).toEqual(["jincheng", "晋城市（合计）", "2024年度"]);
    expect(city[col("标准覆盖率（%）")]).toBe("83.54");
    expect(city[col("工业产品总数（个）")]).toBe("2570");
    const reference = aggregateReports(compiled, DEMO_REPORTING_UNITS.map((unitId) => ({ unitId, values: DEMO_PAST_VALUES[unitId]! })));
    const issued = reference.indicators.plan_issued as { yes: number; reported: number };
    // yes/no as two counts, never "是 6 / 共 7" (nor "6/7", which a spreadsheet reads as 7 June)
    expect([city[col("已以政府名义印发质量兴县（区）实施方案：“是”的单位数")], city[col("已以政府名义印发质量兴县（区）实施方案：填报单位数")]]).toEqual([String(issued.yes), String(issued.reported)]);
    const drive = reference.indicators.drive_status as { counts: Record<string, number> };
    expect(city[col("质量兴县（区）活动进展：已达标")]).toBe(String(drive.counts.achieved));
    expect(line("泽州县")[col("工业产品总数（个）")]).toBe(String(DEMO_PAST_VALUES.zezhou!.products));
    expect(line("泽州县")[col("工作说明：填报单位数")]).toMatch(/^[01]$/);
    for (const l of lines) for (const cell of l.slice(3)) expect(cell === "" || /^-?\d+(\.\d+)?$/.test(cell), `${l[1]}: ${cell}`).toBe(true);
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
