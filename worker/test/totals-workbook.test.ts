import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { DEMO_PAST_VALUES, Exact as X, aggregateReports, computeDerived, type Values } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, builtinCompiled, ensureDemo, env, login } from "./helpers";

// The aggregate workbook as a leader reads it (issue 22): names first and codes off the paper,
// 增减幅度 (%) and 个百分点 for rates, choices as distributions, no empty 上期 columns in a first
// year, rows tall enough for wrapped names, each unit's column marked with its state, a 说明 sheet,
// and the approved-only basis said on the sheet.

const compiled = builtinCompiled();
beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
});

async function workbook(path: string, username: string): Promise<ExcelJS.Workbook> {
  const res = await api(path, { token: await login(username) });
  expect(res.status, await res.clone().text()).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
const text = (v: ExcelJS.CellValue): string => (v === null || v === undefined ? "" : typeof v === "object" && "result" in v ? String(v.result) : String(v));
const header = (ws: ExcelJS.Worksheet): string[] => (ws.getRow(3).values as ExcelJS.CellValue[]).slice(1).map(text);
/** The row that shows an indicator's name. */
const rowNamed = (ws: ExcelJS.Worksheet, name: string): ExcelJS.Row => {
  let found = 0;
  ws.eachRow((r, n) => { if (found === 0 && text(r.getCell(1).value) === name) found = n; });
  expect(found, name).toBeGreaterThan(0);
  return ws.getRow(found);
};
const figure = (c: ExcelJS.Cell): unknown => (c.value && typeof c.value === "object" && "formula" in c.value ? (c.value as ExcelJS.CellFormulaValue).result : c.value);
const exactRate = (values: readonly Values[], code: string) =>
  computeDerived(compiled, (c) => {
    const t = aggregateReports(compiled, values.map((v, i) => ({ unitId: `u${i}`, values: v }))).indicators[c];
    return t && (t.kind === "count" || t.kind === "amount") && t.value !== null ? X.parseExact(t.value) : null;
  }).exact.get(code)!;

describe("the aggregate workbook a leader reads", () => {
  it("leads with the indicator's name, keeps codes off the paper, and prints no empty 上期 columns in a first year", async () => {
    const ws = (await workbook("/rounds/r2024/export.xlsx", "admin")).worksheets[0]!;
    const h = header(ws);
    expect(h[0]).toBe("指标名称");
    expect(h).not.toContain("上期合计");
    expect(h.some((x) => x.startsWith("增减"))).toBe(false);
    // the code column is on screen for those who need it, outside the printed area
    const codeCol = h.indexOf("指标代码") + 1;
    expect(codeCol).toBeGreaterThan(0);
    const area = String(ws.pageSetup.printArea);
    const lastPrinted = /:\$?([A-Z]+)\$?\d+$/.exec(area)![1]!;
    expect(ws.getColumn(lastPrinted).number).toBeLessThan(codeCol);
    // a wrapped name gets the height of its lines (Excel does not grow a row by itself)
    const long = rowNamed(ws, "已以政府名义印发质量兴县（区）实施方案（“是”的单位数）");
    expect(long.height).toBeGreaterThanOrEqual(30);
  });

  it("gives 增减幅度 (%) for counts, the change of a rate in 个百分点 from the exact rates, and choices as a distribution", async () => {
    const both = ["zezhou", "gaoping"];
    for (const unitId of both) {
      const now = { ...DEMO_PAST_VALUES[unitId]!, products: Number(DEMO_PAST_VALUES[unitId]!.products) + 10, drive_status: "in_progress" };
      const put = await api(`/rounds/r2025/submissions/${unitId}`, { method: "PUT", token: await login(unitId), headers: { "if-match": '"0"' }, json: { values: now, comments: { products: `${unitId} 含新投产企业` }, acknowledgeWarnings: true } });
      expect(put.status, await put.clone().text()).toBe(201);
    }
    const ret = await api("/rounds/r2025/submissions/gaoping/return", { method: "POST", token: await login("shenhe"), json: { comment: "请核实" } });
    expect(ret.status, await ret.clone().text()).toBe(200);
    const wb = await workbook("/rounds/r2025/export.xlsx", "admin");
    const ws = wb.worksheets[0]!;
    const h = header(ws);
    const at = (name: string) => h.indexOf(name) + 1;
    expect(at("增减幅度（%）")).toBeGreaterThan(0);
    const products = rowNamed(ws, "工业产品总数");
    const before = Number(DEMO_PAST_VALUES.zezhou!.products);
    expect(figure(products.getCell(at("增减（同口径）")))).toBe(10); // gaoping was returned: only zezhou stands
    expect(figure(products.getCell(at("增减幅度（%）")))).toBeCloseTo(10 / before, 12);
    expect(products.getCell(at("增减幅度（%）")).numFmt).toContain("%");
    // the rate's change: this year's exact rate minus last year's, in percentage points
    const rate = rowNamed(ws, "标准覆盖率");
    const zNow = { ...DEMO_PAST_VALUES.zezhou!, products: before + 10 };
    const points = X.sub(exactRate([zNow], "std_coverage_rate")!, exactRate([DEMO_PAST_VALUES.zezhou!], "std_coverage_rate")!);
    expect(figure(rate.getCell(at("增减（同口径）")))).toBeCloseTo(X.toNumber(points), 12);
    expect(rate.getCell(at("增减（同口径）")).numFmt).toContain("个百分点");
    expect(text(rate.getCell(at("增减幅度（%）")).value)).toBe("");
    // a choice: how many units gave each answer
    expect(text(rowNamed(ws, "质量兴县（区）活动进展").getCell(at("合计")).value)).toContain("正在推进 1");
    // each unit's column says where its report stands
    const states = (ws.getRow(4).values as ExcelJS.CellValue[]).slice(1).map(text);
    expect(states[0]).toBe("本期状态");
    expect(states[at("泽州县") - 1]).toBe("未审核");
    expect(states[at("高平市") - 1]).toBe("已退回");
    expect(states[at("阳城县") - 1]).toBe("未报");
    // the 说明 each unit wrote, by unit and indicator
    const notes = wb.getWorksheet("说明")!;
    const rows: string[][] = [];
    notes.eachRow((r) => rows.push((r.values as ExcelJS.CellValue[]).slice(1).map(text)));
    expect(rows).toContainEqual(["泽州县", "工业产品总数", "zezhou 含新投产企业"]);
    expect(rows.some((r) => r[0] === "高平市")).toBe(false); // returned: not in the standing figures
  });

  it("at the province: each city's column marked with its upward state, and the approved-only basis said", async () => {
    const ws = (await workbook("/rounds/p2025/export.xlsx?basis=approved", "sheng")).worksheets[0]!;
    const h = header(ws);
    const states = (ws.getRow(4).values as ExcelJS.CellValue[]).slice(1).map(text);
    expect(states[h.indexOf("晋城市")]).toBe("未审核");
    expect(states[h.indexOf("长治市")]).toBe("未上报");
    expect(text(ws.getCell("A2").value)).toContain("仅含已审核数据");
  });
});
