import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, TemplateSchema, fillIndex, compileTemplate, type Template } from "@tianbao/shared";
import { readUploadedGrid } from "../src/upload/read-xlsx";
import { api, countRows, ensureDemo, json, login } from "./helpers";

// The template designer workbook through the API: download, fill (exceljs stands in for Excel/WPS
// here; openpyxl does in worker/engine), upload, every mistake on its cell, preview, publish, use.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Err = { error: { code: string; where?: string; issues?: { cell: string; message: { zh: string; en: string } }[] } };
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
const append = (wb: ExcelJS.Workbook, sheet: string, row: (string | number | null)[]) => {
  const ws = wb.getWorksheet(sheet)!;
  const at = ws.actualRowCount + 1;
  row.forEach((v, i) => { if (v !== null) ws.getCell(at, i + 1).value = v; });
  return at;
};

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});

describe("the template designer", () => {
  it("round-trips the published template: uploading its designer unchanged gives a draft identical to it, with no changes", async () => {
    const wb = await download(`/templates/${BUILTIN_TEMPLATE.id}/1/designer.xlsx`);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段", "说明"]);
    const res = await upload(wb);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<{ template: { version: number; status: string }; changes: unknown[]; comparedWith: number }>(res);
    expect(body).toMatchObject({ template: { version: 2, status: "draft" }, changes: [], comparedWith: 1 });
    const draft = await json<Template>(await api(`/templates/${BUILTIN_TEMPLATE.id}/2`, { token: admin }));
    const { version: _a, status: _b, ...published } = TemplateSchema.parse(BUILTIN_TEMPLATE);
    const { version: _c, status: _d, ...mine } = draft;
    expect(mine).toEqual(published);
  });

  it("refuses a workbook with mistakes, each on its cell in both languages, and stores nothing", async () => {
    const before = await countRows("templates");
    const wb = await download("/templates/designer.xlsx?from=builtin");
    wb.getWorksheet("模板")!.getCell("B3").value = "next_year";
    const sec = String(wb.getWorksheet("分组")!.getCell("A3").value);
    const dup = append(wb, "指标", ["products", sec, "重复", "Dup", "计数"]);
    const rate = append(wb, "指标", ["bad_rate", sec, "坏率", "Bad rate", "计算", "%", 2, "", "", "", "", "products_adopting / (products * 100"]);
    const unknown = append(wb, "指标", ["ghost_rate", sec, "幽灵", "Ghost", "计算", "%", 2, "", "", "", "", "nothing_here / products"]);
    const kind = append(wb, "指标", ["odd", sec, "怪", "Odd", "比例"]);
    const rule = append(wb, "校验规则", ["r_bad", "products >= ", "错误", "坏规则", "Bad rule"]);
    const res = await upload(wb);
    expect(res.status).toBe(422);
    const cells = (await json<Err>(res)).error.issues!.map((i) => i.cell);
    expect(cells).toEqual(expect.arrayContaining([`指标!A${dup}`, `指标!E${kind}`]));
    expect(await countRows("templates")).toBe(before);
    // fixed: the formula mistakes come next, on the formula cells
    wb.getWorksheet("指标")!.spliceRows(dup, 1);
    wb.getWorksheet("指标")!.getCell(`E${kind - 1}`).value = "计数";
    const res2 = await upload(wb);
    expect(res2.status).toBe(422);
    const issues = (await json<Err>(res2)).error.issues!;
    expect(issues.map((i) => i.cell)).toEqual(expect.arrayContaining([`指标!L${rate - 1}`, `指标!L${unknown - 1}`, `校验规则!B${rule}`]));
    expect(issues.find((i) => i.cell === `指标!L${unknown - 1}`)!.message.zh).toContain("nothing_here");
    for (const i of issues) expect(i.message.en).toContain(i.cell);
    expect(await countRows("templates")).toBe(before);
  });

  it("makes a new template with a new rate and rule, previews it as counties will get it, publishes it and a county reports with it", async () => {
    const wb = await download("/templates/designer.xlsx?from=builtin");
    wb.getWorksheet("模板")!.getCell("B3").value = "quality_2026";
    wb.getWorksheet("模板")!.getCell("B4").value = "质量兴市工作年报（2026 版）";
    const sec = String(wb.getWorksheet("分组")!.getCell("A3").value);
    append(wb, "指标", ["cert_products", sec, "获证产品数", "Certified products", "计数", "个", null, "是"]);
    append(wb, "指标", ["cert_rate", sec, "获证率", "Certification rate", "计算", "%", 2, "", "", "", "", "cert_products / products * 100"]);
    append(wb, "校验规则", ["r_cert", "cert_products <= products", "错误", "获证产品数不能超过产品总数", "Certified products cannot exceed products"]);
    const res = await upload(wb);
    expect(res.status, await res.clone().text()).toBe(200);
    const made = await json<{ template: { id: string; version: number }; changes: unknown[] }>(res);
    expect(made.template).toMatchObject({ id: "quality_2026", version: 1 });

    // preview: the fill sheet counties will get (it reads back as one)
    const preview = await api("/templates/quality_2026/1/preview.xlsx", { token: admin });
    expect(preview.status).toBe(200);
    const read = await readUploadedGrid(new Uint8Array(await preview.arrayBuffer()));
    expect(read.ok).toBe(true);
    const t = await json<Template>(await api("/templates/quality_2026/1", { token: admin }));
    const compiled = compileTemplate(t);
    if (!compiled.ok || !read.ok) throw new Error("preview");
    const row = fillIndex(compiled.compiled).rowOf.get("cert_rate")!;
    expect(read.value.grid[row]![0]).toBe("cert_rate");

    expect((await api("/templates/quality_2026/1/publish", { method: "POST", token: admin })).status).toBe(200);
    expect((await api("/rounds", { method: "POST", token: admin, json: { id: "r2026x", templateId: "quality_2026", templateVersion: 1, period: "2026", deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: ["zezhou"] } })).status).toBe(201);
    const zz = await login("zezhou");
    const refused = await api("/rounds/r2026x/submissions/zezhou", { method: "PUT", token: zz, json: { values: { ...DEMO_PAST_VALUES.zezhou, cert_products: 9999 }, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
    expect(refused.status).toBe(422); // the new rule holds
    const ok = await api("/rounds/r2026x/submissions/zezhou", { method: "PUT", token: zz, json: { values: { ...DEMO_PAST_VALUES.zezhou, cert_products: 300 }, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
    expect(ok.status, await ok.clone().text()).toBe(201);
    const view = await json<{ derived: Record<string, unknown> }>(ok);
    expect(view.derived.cert_rate).toBe("60.00"); // 300 / 500 × 100
  });

  it("a new version lists what changed, warning where a code keeps a new meaning", async () => {
    const wb = await download("/templates/quality_2026/1/designer.xlsx");
    const ws = wb.getWorksheet("指标")!;
    let certRow = 0;
    ws.eachRow((r, n) => { if (r.getCell(1).value === "cert_rate") certRow = n; });
    ws.getCell(`L${certRow}`).value = "cert_products / above_scale_ents * 100";
    const res = await upload(wb);
    expect(res.status).toBe(200);
    const body = await json<{ template: { version: number }; changes: { kind: string; code: string; meaningChanged: boolean; message: { zh: string } }[] }>(res);
    expect(body.template.version).toBe(2);
    expect(body.changes).toEqual([expect.objectContaining({ kind: "formula_changed", code: "cert_rate", meaningChanged: true })]);
    expect(body.changes[0]!.message.zh).toContain("算法已变");
  });

  it("a city defines a multi-table form on 表格 and 表格行列, uploads it, and downloads the same form back (issue 23)", async () => {
    const wb = await download("/templates/designer.xlsx?from=builtin");
    wb.getWorksheet("模板")!.getCell("B3").value = "quality_forms";
    wb.getWorksheet("模板")!.getCell("B7").value = "晋城市质量技术监督局";
    wb.getWorksheet("模板")!.getCell("B9").value = "晋市统制〔2025〕12号";
    const sections: string[] = [];
    wb.getWorksheet("分组")!.eachRow((r, n) => { if (n > 2 && r.getCell(1).value) sections.push(String(r.getCell(1).value)); });
    append(wb, "表格", ["basic", "质兴1表", "基本情况", "Basics", "清单", null, null, sections.join("；")]);
    append(wb, "表格", ["ind", "质兴2表", "主导产业", "Leading industries", "行列表", null, "计量单位：见各栏", null, "是"]);
    for (const row of [
      ["ind", "行", "total", "合计", "Total", "合计"], ["ind", "行", "metal", "有色金属", "Metals", "项目"], ["ind", "行", "energy", "新能源", "New energy", "项目"],
      ["ind", "行", "pv", "其中：光伏", "of which: PV", "其中", "energy", null, null, null, "out"],
      ["ind", "列", "firms", "企业数", "Enterprises", "项目", null, "计数", "家"], ["ind", "列", "rev", "主营业务收入", "Revenue", "项目", null, "金额", "亿元", 1],
      ["ind", "列", "out", "产量", "Output", "项目", null, "金额", "万吨", 1],
    ]) append(wb, "表格行列", row);
    const res = await upload(wb);
    expect(res.status, await res.clone().text()).toBe(200);
    const t = await json<Template>(await api("/templates/quality_forms/1", { token: admin }));
    expect(t.form?.legal).toEqual({ maker: "晋城市质量技术监督局", approvalNo: "晋市统制〔2025〕12号" });
    expect(t.form?.tables.map((x) => `${x.formNo} ${x.kind}`)).toEqual(["质兴1表 list", "质兴2表 grid"]);
    expect(t.form?.tables[1]).toMatchObject({ skip: ["pv:out"], required: true });
    expect(compileTemplate(t).ok).toBe(true);
    // its designer, uploaded unchanged, is the same draft
    const again = await upload(await download("/templates/quality_forms/1/designer.xlsx"));
    expect(again.status, await again.clone().text()).toBe(200);
    expect(await json<Template>(await api("/templates/quality_forms/1", { token: admin }))).toEqual(t);
    // a mistake on 表格行列 is on its cell
    const bad = await download("/templates/quality_forms/1/designer.xlsx");
    bad.getWorksheet("表格行列")!.getCell("J9").value = 9;
    const refused = await upload(bad);
    expect(refused.status).toBe(422);
    expect((await json<Err>(refused)).error.issues!.map((i) => i.cell)).toEqual(["表格行列!J9"]);
  });

  it("another unit cannot take over a template's id from the designer", async () => {
    const wb = await download("/templates/designer.xlsx?from=builtin");
    const own = await api("/users", { method: "POST", token: admin, json: { username: "zz.admin2", displayName: "县管理员", role: "admin", unitId: "zezhou", password: "a-long-password" } });
    expect(own.status).toBe(201);
    const county = await login("zz.admin2", "a-long-password");
    const res = await api("/templates/designer", { method: "POST", token: county, body: new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), headers: { "content-type": XLSX } });
    expect(res.status).toBe(403);
  });
});
