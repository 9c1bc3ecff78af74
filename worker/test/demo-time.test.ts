import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { DEMO_MONTHLY_VALUES, DEMO_YOY_PAST_VALUES, type TotalsView } from "@tianbao/shared";
import { api, ensureDemo, json, login } from "./helpers";
import { valueCells } from "./fill-book-lib";

// The demo's time in the form (issue 24): the money figures with 同比 columns, 2024 approved, and a
// monthly report whose 1–N月累计 is checked against the approved months, three of them in; the city
// opens the next round of each.
beforeAll(async () => {
  await ensureDemo();
  // the city opens the next rounds of both, as it would on its desk
  const admin = await login("admin");
  for (const [id, templateId, period] of [["ryoy2025", "quality_city_yoy", "2025"], ["rmon2025_04", "quality_city_monthly", "2025-04"]] as const) {
    const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId, templateVersion: 1, period, deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["zezhou"] } });
    expect(r.status, await r.clone().text()).toBe(201);
  }
});

type Body = { error?: { code: string; issues?: { rule?: string }[] } };

describe("the demo's 同比 and monthly rounds", () => {
  it("a county's 2025 同比 workbook shows its approved 2024 figures as 上年同期", async () => {
    const token = await login("zezhou");
    const res = await api("/rounds/ryoy2025/submissions/zezhou/template.xlsx", { token });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const cells = valueCells(wb);
    expect(Number(cells.get("brand_output_ly")!.value)).toBe(Number(DEMO_YOY_PAST_VALUES.zezhou!.brand_output));
    expect(cells.get("brand_output")!.value ?? null).toBeNull();
  });

  it("the city's March totals add the counties' 累计; April's 累计 must be the three approved months plus April", async () => {
    const admin = await login("admin");
    const march = await json<TotalsView>(await api("/rounds/rmon2025_03/totals?basis=approved", { token: admin }));
    const cents = Object.values(DEMO_MONTHLY_VALUES[2]!).reduce((a, v) => a + Math.round(Number(String(v.ytd_output).replace(".", ""))), 0);
    expect(march.totals.indicators.ytd_output).toMatchObject({ value: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}` });
    const token = await login("zezhou");
    const path = "/rounds/rmon2025_04/submissions/zezhou";
    const zz = DEMO_MONTHLY_VALUES.map((m) => m.zezhou!);
    const sum = zz.reduce((a, v) => a + Number(String(v.month_output).replace(".", "")), 0) + 100; // + April's 1.00
    const right = `${Math.floor(sum / 100)}.${String(sum % 100).padStart(2, "0")}`;
    const wrong = await api(path, { method: "PUT", token, headers: { "if-match": '"0"' }, json: { values: { month_output: "1.00", ytd_output: "1.00" } } });
    expect(wrong.status).toBe(422);
    expect(((await json<Body>(wrong)).error?.issues ?? []).map((i) => i.rule)).toContain("ytd_is_sum");
    const ok = await api(path, { method: "PUT", token, headers: { "if-match": '"0"' }, json: { values: { month_output: "1.00", ytd_output: right }, acknowledgeWarnings: true } });
    expect(ok.status, await ok.clone().text()).toBe(201);
  });
});
