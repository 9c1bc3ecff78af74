import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, TemplateSchema, compileTemplate, type Template } from "@tianbao/shared";
import { api, countRows, ensureDemo, json, login } from "./helpers";

// Issue 25 through the API: a city types the demo's brands list (质兴4表附表, 名牌产品生产企业名单) into a
// blank designer workbook — the list on 表格, its fields on 清单字段 — uploads it (exceljs stands in for
// Excel/WPS), publishes it, and counties report with the list: its figures are the template's.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ID = "brands_designed";
type Err = { error: { code: string; where?: string; issues?: { cell: string; message: { zh: string; en: string } }[] } };
type Cell = string | number | null;
let admin = "";

async function download(path: string): Promise<ExcelJS.Workbook> {
  const res = await api(path, { token: admin });
  expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
const upload = async (wb: ExcelJS.Workbook) =>
  api("/templates/designer", { method: "POST", token: admin, body: new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), headers: { "content-type": XLSX } });
/** Types rows from row 3 down, as a person fills the sheet. */
const type = (wb: ExcelJS.Workbook, sheet: string, rows: Cell[][]) => {
  const ws = wb.getWorksheet(sheet)!;
  rows.forEach((row, i) => row.forEach((v, c) => { if (v !== null) ws.getCell(3 + i, c + 1).value = v; }));
};

/** The demo's brands template typed into a blank designer, as a city would. */
async function brandsWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = await download("/templates/designer.xlsx?from=blank");
  const t = DEMO_BRANDS_TEMPLATE;
  const legal = t.form!.legal!;
  const meta = wb.getWorksheet("模板")!;
  meta.getCell("B3").value = ID;
  meta.getCell("B4").value = t.name.zh;
  meta.getCell("B5").value = t.name.en;
  meta.getCell("B6").value = "年报";
  meta.getCell("B7").value = legal.maker;
  meta.getCell("B8").value = legal.approver!;
  meta.getCell("B9").value = legal.approvalNo!;
  meta.getCell("B10").value = legal.validUntil!;
  type(wb, "分组", [["brand", "名牌产品", "Famous brands"]]);
  type(wb, "指标", [
    ["sx_products", "brand", "山西名牌产品数", "Shanxi famous-brand products", "计数", "个", null, "是"],
    ["brand_output", "brand", "名牌企业工业总产值", "Brand producers' output value", "金额", "亿元", 2, "是"],
    ["brand_tax", "brand", "名牌企业利税", "Brand producers' profit and tax", "金额", "亿元", 2, "是"],
    ["brand_exports", "brand", "名牌企业出口创汇", "Brand producers' exports", "金额", "万美元", 0, "是"],
  ]);
  type(wb, "校验规则", t.rules.map((r) => [r.code, r.expr, r.severity === "error" ? "错误" : "提示", r.message.zh, r.message.en]));
  const d = t.form!.tables[1]!;
  type(wb, "表格", [
    ["main", "质兴4表", "名牌产品统计", "Famous brands", "清单", null, null, "brand"],
    ["producers", "质兴4表附表", d.name.zh, d.name.en, "浮动行清单", "main", null, null, null, d.notes!.zh, d.notes!.en, null, null, 2000, "uscc；product"],
  ]);
  type(wb, "清单字段", [
    ["producers", "firm", "企业名称", "Enterprise", "文本", "是", 100],
    ["producers", "uscc", "统一社会信用代码", "Credit code", "代码", "是", 18, "统一社会信用代码"],
    ["producers", "product", "产品", "Product", "文本", "是", 100],
    ["producers", "level", "品牌级别", "Brand level", "单选", "是", null, null, "cn=中国名牌=China famous brand；sx=山西名牌=Shanxi famous brand"],
    ["producers", "year", "获评年份", "Year awarded", "计数", null, null, null, null, null, null, 1990, 2100],
    ["producers", "output", "工业总产值", "Output value", "金额", null, null, null, null, "亿元", 2],
    ["producers", "tax", "利税", "Profit and tax", "金额", null, null, null, null, "亿元", 2, -1000],
    ["producers", "exports", "出口额", "Exports", "金额", null, null, null, null, "万美元", 0],
  ]);
  return wb;
}

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});

describe("a detail list designed in the designer workbook (issue 25)", () => {
  it("the designer has 清单字段, and the demo's published brands template round-trips through it with no changes", async () => {
    const blank = await download("/templates/designer.xlsx?from=blank");
    expect(blank.worksheets.map((w) => w.name)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段", "说明"]);
    const wb = await download(`/templates/${DEMO_BRANDS_TEMPLATE.id}/1/designer.xlsx`);
    expect(wb.getWorksheet("表格")!.getCell("E4").value).toBe("浮动行清单");
    expect(wb.getWorksheet("清单字段")!.getCell("B6").value).toBe("level");
    // the list's totals are generated: not on 指标
    const codes: string[] = [];
    wb.getWorksheet("指标")!.eachRow((r, n) => { if (n > 2 && r.getCell(1).value) codes.push(String(r.getCell(1).value)); });
    expect(codes).toEqual(["sx_products", "brand_output", "brand_tax", "brand_exports"]);
    const res = await upload(wb);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ template: { version: 2, status: "draft" }, changes: [], comparedWith: 1 });
    const draft = await json<Template>(await api(`/templates/${DEMO_BRANDS_TEMPLATE.id}/2`, { token: admin }));
    const { version: _a, status: _b, ...mine } = draft;
    const { version: _c, status: _d, ...published } = DEMO_BRANDS_TEMPLATE;
    expect(mine).toEqual(published);
  });

  it("a city types the brands list into a blank designer, uploads and publishes it: the template has the list and its figures, and a county reports with it", async () => {
    const res = await upload(await brandsWorkbook());
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ template: { id: ID, version: 1, status: "draft" }, changes: [], comparedWith: null });
    const t = await json<Template>(await api(`/templates/${ID}/1`, { token: admin }));
    const { version: _a, status: _b, id: _i, ...mine } = t;
    const { version: _c, status: _d, id: _j, ...demo } = DEMO_BRANDS_TEMPLATE;
    expect(mine).toEqual(demo);
    expect((await api(`/templates/${ID}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
    const compiled = compileTemplate(TemplateSchema.parse({ ...t, status: "published" }));
    if (!compiled.ok) throw new Error("compiles");
    expect(compiled.compiled.template.indicators.filter((i) => i.section === "producers").map((i) => i.code)).toEqual(expect.arrayContaining(["producers_rows", "producers_output", "producers_tax", "producers_exports", "producers_level_cn_rows", "producers_level_sx_rows", "producers_level_sx_output"]));
    // a county reports its list; the figures come from it and the rules between the tables hold
    expect((await api("/rounds", { method: "POST", token: admin, json: { id: "dd2024", templateId: ID, templateVersion: 1, period: "2024", deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: ["zezhou"] } })).status).toBe(201);
    const zz = await login("zezhou");
    const ok = await api("/rounds/dd2024/submissions/zezhou", { method: "PUT", token: zz, headers: { "if-match": '"0"' }, json: { values: DEMO_BRANDS_PAST_VALUES.zezhou, lists: { producers: DEMO_BRAND_PRODUCERS.zezhou }, acknowledgeWarnings: true } });
    expect(ok.status, await ok.clone().text()).toBe(201);
    const view = await json<{ values: Record<string, unknown>; lists?: Record<string, unknown[]> }>(ok);
    // the rows as stored (the submission's answer leaves them out)
    const stored = await json<{ lists?: Record<string, unknown[]> }>(await api("/rounds/dd2024/submissions/zezhou", { token: zz }));
    expect(stored.lists?.producers).toHaveLength(7);
    expect([view.values.producers_rows, view.values.producers_level_sx_rows, view.values.producers_output]).toEqual([7, 7, DEMO_BRANDS_PAST_VALUES.zezhou!.brand_output]);
  });

  it("its designer, downloaded and uploaded again, is the same draft; a changed field is listed; a mistake on 清单字段 is on its cell and nothing is stored", async () => {
    const wb = await download(`/templates/${ID}/1/designer.xlsx`);
    const fields = wb.getWorksheet("清单字段")!;
    fields.getCell("F5").value = "否"; // product no longer required
    wb.getWorksheet("表格")!.getCell("N4").value = 3000;
    const res = await upload(wb);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<{ template: { version: number }; changes: { kind: string; code: string; message: { zh: string } }[] }>(res);
    expect(body.template.version).toBe(2);
    expect(body.changes.map((c) => [c.kind, c.code])).toEqual([["table_changed", "producers"], ["detail_field_changed", "producers.product"]]);
    expect(body.changes[0]!.message.zh).toContain("最多行数 2000 → 3000");
    expect(body.changes[1]!.message.zh).toContain("改为选填");

    const before = await countRows("templates");
    const bad = await download(`/templates/${ID}/2/designer.xlsx`);
    bad.getWorksheet("清单字段")!.getCell("I6").value = null; // the choice loses its options
    bad.getWorksheet("清单字段")!.getCell("E7").value = "年份"; // an unknown type
    bad.getWorksheet("表格")!.getCell("O4").value = "uscc；products"; // a key naming no field
    const refused = await upload(bad);
    expect(refused.status).toBe(422);
    const issues = (await json<Err>(refused)).error.issues!;
    expect(issues.map((i) => i.cell).sort()).toEqual(["清单字段!E7", "清单字段!I6", "表格!O4"]);
    for (const i of issues) { expect(i.message.zh).toContain(i.cell); expect(i.message.en).toContain(i.cell); }
    expect(await countRows("templates")).toBe(before);
  });
});
