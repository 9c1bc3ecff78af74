// The add-in's 下载汇总 draws the aggregate workbook's own sheets (issue 22): GET /rounds/:id/totals/sheets
// answers the plans export.xlsx is rendered from — the same sheets, the same cells — plus a chart of
// the rates asked for. Before, the pane built a thinner workbook of its own (no state marks, no
// distributions, no 说明 sheet, flat names).
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import type { SheetPlan } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, json, login } from "./helpers";

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
});

const text = (v: ExcelJS.CellValue): string => (v === null || v === undefined ? "" : typeof v === "object" && "result" in v ? String(v.result ?? "") : typeof v === "object" && "formula" in v ? "" : String(v));

describe("GET /rounds/:id/totals/sheets", () => {
  it("answers the same sheets and cells as export.xlsx, with the chart asked for", async () => {
    const token = await login("sheng");
    const res = await api("/rounds/p2025/totals/sheets", { token });
    expect(res.status).toBe(200);
    const body = await json<{ title: string; sheets: SheetPlan[] }>(res);
    const charted = await json<{ sheets: SheetPlan[] }>(await api("/rounds/p2025/totals/sheets?chart=std_coverage_rate,adoption_rate,not_a_code", { token }));
    const file = await api("/rounds/p2025/export.xlsx", { token });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await file.arrayBuffer());
    expect(body.sheets.map((s) => s.name)).toEqual(wb.worksheets.map((w) => w.name));
    expect(body.sheets.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringContaining("完成情况"), expect.stringContaining("说明")]));
    // every valued cell of the file's sheets is the plan's
    for (const plan of body.sheets) {
      const ws = wb.getWorksheet(plan.name)!;
      for (const c of plan.cells.filter((x) => x.value !== undefined && x.value !== null && !x.formula)) {
        expect(text(ws.getCell(c.row + 1, c.col + 1).value), `${plan.name} ${c.row},${c.col}`).toBe(String(c.value));
      }
    }
    // the cities' columns marked with where they stand, and the counties named by their path
    const all = body.sheets.flatMap((s) => s.cells.map((c) => String(c.value ?? "")));
    expect(all.some((t) => /未审核|已审核|已上报/.test(t))).toBe(true);
    expect(all.some((t) => t.includes("晋城市 / "))).toBe(true);
    expect(body.sheets[0]!.charts ?? []).toEqual([]);
    expect(charted.sheets[0]!.charts?.length).toBe(1);
    expect(body.title).toContain("山西省");
  });

  it("is for the roles that read totals, scoped like the file", async () => {
    expect((await api("/rounds/r2025/totals/sheets", { token: await login("zezhou") })).status).toBe(403);
    expect((await api("/rounds/r2025/totals/sheets?basis=approved", { token: await login("shenhe") })).status).toBe(200);
    expect((await api("/rounds/r2025/totals/sheets?unit=tunliu", { token: await login("shenhe") })).status).toBe(403);
  });
});
