import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILTIN_FORM_TEMPLATE, BUILTIN_TEMPLATE, TemplateSchema } from "@tianbao/shared";
import { designerIntoWorkbook, previewDraft, uploadDesigner } from "../src/flows/designer";
import { api } from "../src/flows/session";
import type { FakeHost } from "./fake-office/office";
import { ctxOf, installFakeHost } from "./helpers";
import { ZEZHOU, json, signedIn, submissionView } from "./helpers-api";

// 模板设计 from the pane, against the strict Excel fake: the designer drawn into the workbook, read
// back and checked with the shared rules (mistakes by cell, nothing sent), saved as a draft, previewed.
const realFetch = globalThis.fetch;
let host: FakeHost;
beforeEach(() => { host = installFakeHost(); signedIn({ ...ZEZHOU, role: "admin", unitId: "jincheng", unitName: { zh: "晋城市", en: "Jincheng" } }); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });

const sheet = (name: string) => host.state.sheets.find((s) => s.name === name)!;
/** Types a row at the end of a sheet, as the official would. */
async function typeRow(name: string, values: (string | number | null)[]) {
  const rows = Math.max(...[...sheet(name).cells.keys()].map((k) => Number(k.split(",")[0]))) + 2;
  await ctxOf(host)(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem(name);
    values.forEach((v, i) => { if (v !== null) ws.getRange(`${String.fromCharCode(65 + i)}${rows}`).values = [[v]]; });
    await ctx.sync();
  });
  return rows;
}

describe("the template designer in the pane", () => {
  it("draws the designer into the workbook, and never over sheets of the same names", async () => {
    const r = await designerIntoWorkbook("builtin", "zh");
    expect(r.ok).toBe(true);
    expect(host.state.sheets.map((s) => s.name)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段", "说明"]);
    expect(host.state.activeSheet).toBe("指标");
    const again = await designerIntoWorkbook("blank", "zh");
    expect(again.ok).toBe(false);
    expect(again.message).toContain("模板、分组、指标、校验规则、表格、表格行列、清单字段、说明");
    expect(host.state.sheets).toHaveLength(8);
  });

  it("reads it back, shows each mistake on its cell without sending anything, then saves the draft and previews it", async () => {
    await designerIntoWorkbook("builtin", "zh");
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getItem("模板").getRange("B3").values = [["quality_pane"]]; await ctx.sync(); });
    const sec = String(sheet("分组").cells.get("2,0")!.value);
    await typeRow("指标", ["cert_products", sec, "获证产品数", "Certified products", "计数", "个"]);
    const rate = await typeRow("指标", ["cert_rate", sec, "获证率", "Certification rate", "计算", "%", 2, null, null, null, null, "cert_products / product * 100"]);
    const posted: unknown[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), "https://localhost:8787");
      if (url.pathname === "/api/templates/draft") {
        posted.push(JSON.parse(String(init.body)));
        return json({ template: { id: "quality_pane", version: 1, status: "draft", name: { zh: "质量兴市工作年报", en: "Quality-driven city annual report" }, indicatorCount: 47 }, changes: [], comparedWith: null });
      }
      if (url.pathname === "/api/rounds") {
        return json([{ id: "rpane", templateId: "quality_pane", templateVersion: 1, templateName: { zh: "质量兴市工作年报", en: "Q" }, period: "2025", deadline: "2026-01-31T23:59:59+08:00", ownerUnitId: "jincheng", closed: true, expectedUnitIds: ["jincheng"] }]);
      }
      if (url.pathname === "/api/rounds/rpane/submissions/jincheng") return json(submissionView({ roundId: "rpane", unitId: "jincheng", revision: 1, state: "approved", values: { products: 2570 } }));
      if (url.pathname === "/api/templates/quality_pane/1") {
        const t = (posted[0] as { template: object }).template;
        return json({ ...t, version: 1, status: "draft" });
      }
      return json({ error: { code: "not_found", message: { zh: "无", en: "none" } } }, 404);
    }) as typeof fetch;

    const bad = await uploadDesigner("zh");
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.cell)).toContain(`指标!L${rate}`);
    expect(posted).toHaveLength(0);

    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getItem("指标").getRange(`L${rate}`).values = [["cert_products / products * 100"]]; await ctx.sync(); });
    const good = await uploadDesigner("zh");
    expect(good.ok, good.message).toBe(true);
    expect(good.result?.template).toMatchObject({ id: "quality_pane", version: 1 });
    const sent = (posted[0] as { template: { indicators: { code: string; formula?: string }[] } }).template;
    expect(sent.indicators.at(-1)).toMatchObject({ code: "cert_rate", formula: "cert_products / products * 100" });
    expect(sent.indicators).toHaveLength(TemplateSchema.parse(BUILTIN_TEMPLATE).indicators.length + 2);

    const p = await previewDraft({ id: "quality_pane", version: 1 }, "zh");
    expect(p.ok, p.message).toBe(true);
    const preview = sheet("预览-质量兴市工作年报");
    expect([...preview.cells.values()].some((c) => c.value === "cert_rate")).toBe(true);
    // the previous period's figure, from the last round of this template, as counties will see it
    const productsRow = [...preview.cells.entries()].find(([, c]) => c.value === "products")![0].split(",")[0];
    expect(preview.cells.get(`${productsRow},4`)!.value).toBe(2570);
    expect(host.state.activeSheet).toBe("预览-质量兴市工作年报");
  });

  it("reads a form from 表格 and 表格行列 (issue 23), and a workbook without those sheets as before", async () => {
    await designerIntoWorkbook("builtin", "zh");
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getItem("模板").getRange("B7").values = [["晋城市质量技术监督局"]]; await ctx.sync(); });
    const sections = TemplateSchema.parse(BUILTIN_TEMPLATE).sections.map((x) => x.code).join("；");
    await typeRow("表格", ["basic", "质兴1表", "基本情况", "Basics", "清单", null, null, sections]);
    await typeRow("表格", ["ind", "质兴2表", "主导产业", "Leading industries", "行列表", null, null, null, "是"]);
    await typeRow("表格行列", ["ind", "行", "metal", "有色金属", "Metals", "项目"]);
    const col = await typeRow("表格行列", ["ind", "列", "rev", "主营业务收入", "Revenue", "项目", null, "金额", null, 1]);
    const posted: { template: { form?: { legal?: object; tables: { code: string }[] } } }[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      if (new URL(String(input), "https://localhost:8787").pathname !== "/api/templates/draft") return json({ error: { code: "not_found", message: { zh: "无", en: "none" } } }, 404);
      posted.push(JSON.parse(String(init.body)));
      return json({ template: { id: "quality", version: 2, status: "draft", name: { zh: "质量兴市工作年报", en: "Q" }, indicatorCount: 45 }, changes: [], comparedWith: 1 });
    }) as typeof fetch;
    const bad = await uploadDesigner("zh");
    expect(bad.problems.map((p) => p.cell)).toEqual([`表格行列!I${col}`]); // an amount column needs its unit
    expect(posted).toHaveLength(0);
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getItem("表格行列").getRange(`I${col}`).values = [["亿元"]]; await ctx.sync(); });
    const good = await uploadDesigner("zh");
    expect(good.ok, good.message).toBe(true);
    expect(posted[0]!.template.form).toMatchObject({ legal: { maker: "晋城市质量技术监督局" }, tables: [{ code: "basic" }, { code: "ind" }] });
    // the same workbook without 表格 and 表格行列 (drawn before forms): no form, as before
    await ctxOf(host)(async (ctx) => {
      for (const name of ["表格", "表格行列"]) ctx.workbook.worksheets.getItem(name).delete();
      ctx.workbook.worksheets.getItem("模板").getRange("B7").values = [[""]];
      await ctx.sync();
    });
    const old = await uploadDesigner("zh");
    expect(old.ok, old.message).toBe(true);
    expect(posted[1]!.template.form).toBeUndefined();
  });

  it("previews a form as counties get it: its cover and a sheet per table, replacing an earlier preview", async () => {
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const path = new URL(String(input), "https://localhost:8787").pathname;
      if (path.startsWith("/api/templates/")) return json(BUILTIN_FORM_TEMPLATE);
      if (path === "/api/rounds") return json([]);
      return json({ error: { code: "not_found", message: { zh: "无", en: "none" } } }, 404);
    }) as typeof fetch;
    for (let i = 0; i < 2; i++) {
      const p = await previewDraft({ id: BUILTIN_FORM_TEMPLATE.id, version: 1 }, "zh");
      expect(p.ok, p.message).toBe(true);
      expect(p.message).toContain("及其后的 2 张表");
    }
    const year = new Date().getFullYear();
    expect(host.state.sheets.map((s) => s.name)).toEqual([`预览${year}年-封面`, `预览${year}年-质兴1表`, `预览${year}年-质兴2表`]);
    expect(host.state.activeSheet).toBe(`预览${year}年-封面`);
    // a figure of one table computed from another's keeps pointing at the sheet it is on
    const formulas = host.state.sheets.flatMap((s) => [...s.cells.values()].map((c) => c.formula ?? "")).filter((f) => f.includes("!"));
    for (const f of formulas) expect(f).toMatch(new RegExp(`'预览${year}年-`));
  });
});
