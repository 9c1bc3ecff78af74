import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { DEMO_CHANGZHI_REPORTING_UNITS, DEMO_REPORTING_UNITS } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, login } from "./helpers";

// The aggregate workbook at the province (issue 14): the province's total and one column per city,
// and a completeness sheet by county (grouped under its city) and by city (each city's upward
// submission), read back from the .xlsx the province downloads.

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

describe("the province's aggregate workbook", () => {
  it("has a column per city and a completeness sheet by county under its city and by city", async () => {
    const wb = await workbook("/rounds/p2025/export.xlsx", "sheng");
    const [totals, completeness] = wb.worksheets;
    const header = (totals!.getRow(3).values as ExcelJS.CellValue[]).map(text);
    expect(header).toEqual(expect.arrayContaining(["晋城市", "长治市"]));
    expect(header).not.toContain("泽州县"); // counties are in their city's column

    const rows: string[][] = [];
    completeness!.eachRow((r) => rows.push((r.values as ExcelJS.CellValue[]).slice(1).map(text)));
    // every expected unit once, with the city above it
    const unitRows = rows.filter((r) => r[6] === "晋城市" || r[6] === "长治市");
    expect(unitRows).toHaveLength(DEMO_REPORTING_UNITS.length + DEMO_CHANGZHI_REPORTING_UNITS.length);
    // issue 27: listed outside its city's context, a county is named by its path below the province
    expect(unitRows.find((r) => r[0] === "晋城市 / 泽州县")![6]).toBe("晋城市");
    expect(unitRows.find((r) => r[0] === "长治市 / 长子县")![6]).toBe("长治市");
    expect(unitRows.every((r) => r[0]!.startsWith(`${r[6]} / `))).toBe(true);
    // grouped: all of one city's units before the other's
    const cities = unitRows.map((r) => r[6]);
    expect(cities).toEqual([...cities].sort((a, b) => a!.localeCompare(b!, "zh-CN")));
    // by city: the upward submission and the units below
    const head = rows.findIndex((r) => r[0] === "逐级上报（按上级单位）");
    expect(head).toBeGreaterThan(0);
    expect(rows[head + 1]!.slice(0, 4)).toEqual(["单位", "上报状态", "修订号", "下级应报"]);
    const byCity = Object.fromEntries(rows.slice(head + 2).map((r) => [r[0], r]));
    // 晋城市 submitted upward with its seven units approved; 长治市 has one of five approved, none upward
    expect(byCity["晋城市"]!.slice(1, 5)).toEqual(["已上报", "1", String(DEMO_REPORTING_UNITS.length), String(DEMO_REPORTING_UNITS.length)]);
    expect(byCity["长治市"]!.slice(1, 5)).toEqual(["未报", "0", String(DEMO_CHANGZHI_REPORTING_UNITS.length), "1"]);
  });

  it("a city's workbook is as before: its own units, no level part of others", async () => {
    const wb = await workbook("/rounds/p2025/export.xlsx", "czshenhe");
    const rows: string[][] = [];
    wb.worksheets[1]!.eachRow((r) => rows.push((r.values as ExcelJS.CellValue[]).slice(1).map(text)));
    expect(rows.some((r) => r[0] === "泽州县")).toBe(false);
    expect(rows.some((r) => r[0] === "长子县")).toBe(true);
  });
});
