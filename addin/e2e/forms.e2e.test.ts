import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import ExcelJS from "exceljs";
import { BUILTIN_FORM_TEMPLATE, DEMO_PAST_VALUES, cellValueOf, compileTemplate, decodeFillMeta, fillBook, gridCellCode } from "@tianbao/shared";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";

// A report form set from the screen alone (issue 23), in Chromium against the real Worker: the city
// opens a round of the demo's 质量兴市工作年报（表式） (质兴1表 + the 主导产业 grid), a county fills the
// grid in the downloaded sheet and uploads it, the city reads it under the tables' numbers on the
// review screen and gets the grid's totals back in the same form in its 汇总表.
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the form set's end-to-end test cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const compiled = (() => { const r = compileTemplate(BUILTIN_FORM_TEMPLATE); if (!r.ok) throw new Error("form"); return r.compiled; })();
const g = (row: string, col: string) => gridCellCode("lead", row, col);
const GRID = {
  ...Object.fromEntries(["metal", "energy", "optic", "build"].flatMap((r, i) => [[g(r, "firms"), 5 + i], [g(r, "prod"), 20 + i], [g(r, "nostd"), 1], [g(r, "adopt"), 3]])),
  [g("metal", "rev")]: "402.5", [g("energy", "rev")]: "210.3", [g("optic", "rev")]: "156.9", [g("build", "rev")]: "112.3", [g("build", "out")]: "1058.0",
  [g("pv", "firms")]: 2, [g("pv", "rev")]: "96.0", [g("pv", "prod")]: 5, [g("pv", "nostd")]: 0, [g("pv", "adopt")]: 1,
};
let browser: Browser;
let page: Page;
let card = "";
let round = "";

async function signIn(username: string): Promise<void> {
  await page.fill("#username", username);
  await page.fill("#password", "demo-password");
  await page.click("#sign-in");
  await page.waitForSelector("nav.desk-nav .who");
}
async function signOut(): Promise<void> {
  await page.click("#sign-out");
  await page.waitForSelector("#username");
}

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  browser = await launchChromium();
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${inject("baseUrl")}/`);
});
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("a report form set from the screen alone", () => {
  it("the city opens a round of the form set; a county fills the 主导产业 grid in the downloaded sheet and uploads it", async () => {
    await signIn("admin");
    await page.click("#nav-templates");
    const option = `${BUILTIN_FORM_TEMPLATE.id}@1`;
    await page.waitForSelector(`#round-template option[value="${option}"]`, { state: "attached" });
    expect(await page.textContent(`#round-template option[value="${option}"]`)).toContain("质量兴市工作年报（表式）");
    await page.selectOption("#round-template", option);
    await page.fill("#round-period", "2033"); // a period no other browser test opens
    await page.fill("#round-deadline", "2099-12-31");
    const [opened] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/rounds") && r.request().method() === "POST"), page.click("#round-open")]);
    expect(opened.status(), JSON.stringify(await opened.json())).toBe(201);
    round = ((await opened.json()) as { id: string }).id;
    card = `[data-round="${round}"]`;
    await signOut();

    await signIn("zezhou");
    await page.waitForSelector(`${card} .state`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`${card} button.download`)]);
    const file = `${out}forms-zezhou.xlsx`;
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    // a cover and one sheet per table; the grid's figures typed into the grid as the form draws it
    const pages = new Map(wb.worksheets.map((ws) => [decodeFillMeta(ws.getCell("A2").value)?.page, ws]));
    expect([...pages.keys()]).toEqual(["cover", "basic", "lead"]);
    expect(pages.get("cover")!.headerFooter.oddHeader).toContain("表　　号：质兴1表、质兴2表");
    expect(pages.get("lead")!.headerFooter.oddHeader).toContain("表　　号：质兴2表");
    const spots = fillBook(compiled).value;
    for (const [code, v] of Object.entries({ ...DEMO_PAST_VALUES.zezhou!, ...GRID })) {
      const at = spots.get(code)!;
      pages.get(at.page)!.getCell(at.row + 1, at.col + 1).value = cellValueOf(compiled.byCode.get(code)!, v as never) as ExcelJS.CellValue;
    }
    await wb.xlsx.writeFile(file);
    await page.setInputFiles(`${card} input.file`, file);
    await page.waitForFunction((c) => { const t = document.querySelector(`${c} .state`)?.textContent ?? ""; return t.includes("已上报") || !!document.querySelector(`${c} button.acknowledge`); }, card, { timeout: 20000 });
    if (await page.locator(`${card} button.acknowledge`).count()) await page.click(`${card} button.acknowledge`);
    await expect.poll(() => page.textContent(`${card} .state`), { timeout: 20000 }).toContain("已上报（第 1 版）");
    // a correction on the grid's sheet: two enterprises counted under the other industry, with a note on the row
    const [again] = await Promise.all([page.waitForEvent("download"), page.click(`${card} button.download`)]);
    const second = new ExcelJS.Workbook();
    await second.xlsx.readFile((await again.path())!);
    const leadSheet = second.worksheets.find((ws) => decodeFillMeta(ws.getCell("A2").value)?.page === "lead")!;
    const book = fillBook(compiled);
    const put = (code: string, v: ExcelJS.CellValue) => { const at = book.value.get(code)!; leadSheet.getCell(at.row + 1, at.col + 1).value = v; };
    put(g("metal", "firms"), 6);
    put(g("energy", "firms"), 5);
    const note = book.comment.get(g("metal", "firms"))!;
    leadSheet.getCell(note.row + 1, note.col + 1).value = "一家企业改归有色金属";
    await second.xlsx.writeFile(file);
    await page.setInputFiles(`${card} input.file`, file);
    await page.waitForFunction((c) => { const t = document.querySelector(`${c} .state`)?.textContent ?? ""; return t.includes("第 2 版") || !!document.querySelector(`${c} button.acknowledge`); }, card, { timeout: 20000 });
    if (await page.locator(`${card} button.acknowledge`).count()) await page.click(`${card} button.acknowledge`);
    await expect.poll(() => page.textContent(`${card} .state`), { timeout: 20000 }).toContain("已上报（第 2 版）");
    await signOut();
  });

  it("the city reads the report under the tables' numbers and gets the grid's totals back in the same form", async () => {
    await signIn("admin");
    await page.goto(`${inject("baseUrl")}/#/round/${round}/unit/zezhou`);
    await page.waitForSelector(".review-screen table.figures");
    const headings = await page.locator(".review-screen tr.section th").allTextContents();
    expect(headings[0]).toBe("质兴1表 基本情况 · 一、组织领导");
    expect(headings.at(-1)).toBe("质兴2表 主导产业");
    expect(await page.textContent(".review-screen table.figures")).toContain("有色金属·主营业务收入");
    // the grid in its own shape above its rows: 合计 row computed, 产量 only for 新型建材
    const view = page.locator('.review-screen table.grid-view[data-table="lead"]');
    expect(await view.locator("thead th").allTextContents()).toEqual(["", "企业数（家）", "主营业务收入（亿元）", "产品数（个）", "无标产品数（个）", "采标产品数（个）", "产量（万吨）"]);
    expect(await view.locator("tbody tr").first().textContent()).toContain("882.0");
    expect(await view.locator("tbody tr").nth(1).locator("td").last().textContent()).toBe("—");
    // the two revisions' difference under the grid's table, each figure by its cell on that sheet
    await page.waitForSelector(".review-screen table.diff tr.diff-table");
    expect(await page.locator(".review-screen table.diff tr.diff-table").allTextContents()).toEqual(["质兴2表 主导产业"]);
    const changed = await page.locator(".review-screen table.diff tbody tr:not(.diff-table) td:first-child").allTextContents();
    expect(changed.some((t) => /^质兴2表 C\d+ 有色金属·企业数$/.test(t))).toBe(true);
    expect(changed.some((t) => /^质兴2表 I\d+ 有色金属·企业数 的说明$/.test(t))).toBe(true);
    await page.screenshot({ path: `${out}forms-01-review.png`, fullPage: true });
    await page.goto(`${inject("baseUrl")}/#/round/${round}`);
    await page.waitForSelector(".downloads button.xlsx");
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(".downloads button.xlsx")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await d.path())!);
    const grid = wb.getWorksheet("质兴2表 主导产业");
    expect(grid).toBeDefined();
    const rows: string[][] = [];
    grid!.eachRow((r) => rows.push((r.values as ExcelJS.CellValue[]).slice(1).map((v) => (v && typeof v === "object" && "result" in v ? String(v.result) : String(v ?? "")))));
    const total = rows.find((r) => r[0] === "合计")!;
    expect(total.slice(1, 3)).toEqual([String(5 + 6 + 7 + 8), "882"]); // the seeds' 882 亿元 of leading-industry revenue
    expect(total[6]).toBe("1058");
  });

  it("a city designs a form set of its own in the designer workbook — a list table and a grid with 合计 and 其中 — and publishes it on screen", async () => {
    await page.goto(`${inject("baseUrl")}/`);
    await page.click("#nav-templates");
    await page.waitForSelector("#designer-builtin");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#designer-builtin")]);
    const path = `${out}forms-designer.xlsx`;
    await download.saveAs(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const meta = wb.getWorksheet("模板")!;
    const set = (label: string, value: string) => { meta.eachRow((r) => { if (r.getCell(1).value === label) r.getCell(2).value = value; }); };
    set("模板代码", "city_form_2027");
    set("模板名称", "规模以上工业年报");
    set("制定机关", "晋城市统计局");
    set("批准文号（或备案文号）", "晋市统字〔2026〕3号");
    set("有效期至", "2028年12月");
    const sections: string[] = [];
    wb.getWorksheet("分组")!.eachRow((r, n) => { if (n > 2 && r.getCell(1).value) sections.push(String(r.getCell(1).value)); });
    const tables = wb.getWorksheet("表格")!;
    tables.getRow(3).values = ["basic", "工业1表", "基本情况", "Basics", "清单", null, null, sections.join("；")];
    tables.getRow(4).values = ["ind", "工业2表", "分行业主要指标", "By industry", "行列表", "basic", "计量单位：万元", null, "是"];
    const lines = wb.getWorksheet("表格行列")!;
    [
      ["ind", "行", "total", "合计", "Total", "合计"],
      ["ind", "行", "metal", "有色金属", "Metals", "项目"],
      ["ind", "行", "alu", "其中：铝", "of which aluminium", "其中", "metal"],
      ["ind", "行", "build", "建材", "Building materials", "项目"],
      ["ind", "列", "firms", "企业数", "Enterprises", "项目", null, "计数", "家"],
      ["ind", "列", "output", "工业总产值", "Gross output", "项目", null, "金额", "万元", 1],
    ].forEach((row, i) => { lines.getRow(3 + i).values = row; });
    const file = `${out}forms-designer-filled.xlsx`;
    await wb.xlsx.writeFile(file);
    await page.setInputFiles("#designer-file", file);
    await page.waitForSelector("#designer-publish");
    expect(await page.textContent(".designer-result")).toContain("city_form_2027");
    const [preview] = await Promise.all([page.waitForEvent("download"), page.click("#designer-preview")]);
    const previewed = new ExcelJS.Workbook();
    await previewed.xlsx.readFile((await preview.path())!);
    // the preview is the county's workbook: a cover, then a sheet per table, the grid drawn as a grid
    expect(previewed.worksheets[0]!.headerFooter.oddHeader).toContain("制定机关：晋城市统计局");
    const texts = previewed.worksheets.flatMap((ws) => { const t: string[] = []; ws.eachRow((r) => r.eachCell((c) => t.push(String(c.value)))); return t; });
    expect(texts.some((t) => t.includes("工业2表 分行业主要指标"))).toBe(true);
    expect(texts.some((t) => t.trim() === "其中：铝")).toBe(true);
    expect(texts).toContain("工业总产值（万元）");
    await page.check("#designer-checked");
    await page.click("#designer-publish");
    await page.waitForFunction(() => document.querySelector(".designer-result")?.textContent?.includes("已发布"));
    await page.waitForSelector('#round-template option[value="city_form_2027@1"]', { state: "attached" });
  });
});
