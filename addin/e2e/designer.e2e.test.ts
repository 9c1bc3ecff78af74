import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import ExcelJS from "exceljs";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";

// A city makes next year's template in a spreadsheet, in Chromium against the real Worker: download
// the designer, upload a changed one (a mistake first, shown on its cell), preview, publish, open a
// round with it; a county fills the new form and submits it.
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the template designer's end-to-end test cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
let browser: Browser;
let page: Page;

async function signIn(username: string): Promise<void> {
  await page.fill("#username", username);
  await page.fill("#password", "demo-password");
  await page.click("#sign-in");
  await page.waitForSelector(".who");
}
const append = (ws: ExcelJS.Worksheet, row: (string | number | null)[]) => { const at = ws.actualRowCount + 1; row.forEach((v, i) => { if (v !== null) ws.getCell(at, i + 1).value = v; }); return at; };

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ ignoreHTTPSErrors: true, viewport: { width: 760, height: 1100 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("dialog", (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
  await page.goto(`${inject("baseUrl")}/`);
});
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("templates designed in a spreadsheet", () => {
  it("the city designs, previews, publishes and opens a round; a county fills and submits the new form", async () => {
    await signIn("admin");
    await page.click("#nav-templates");
    await page.waitForSelector("#designer-builtin");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#designer-builtin")]);
    expect(download.suggestedFilename()).toBe("模板设计表-质量兴市工作年报.xlsx");
    const path = `${out}designer.xlsx`;
    await download.saveAs(path);

    // the official's changes, with one mistake: a formula naming an indicator that does not exist
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    wb.getWorksheet("模板")!.getCell("B3").value = "quality_2027";
    wb.getWorksheet("模板")!.getCell("B4").value = "质量兴市工作年报（2027 版）";
    const sec = String(wb.getWorksheet("分组")!.getCell("A3").value);
    const ind = wb.getWorksheet("指标")!;
    append(ind, ["cert_products", sec, "获证产品数", "Certified products", "计数", "个", null, "是"]);
    const rateRow = append(ind, ["cert_rate", sec, "获证率", "Certification rate", "计算", "%", 2, "", "", "", "", "cert_products / product * 100"]);
    append(wb.getWorksheet("校验规则")!, ["r_cert", "cert_products <= products", "错误", "获证产品数不能超过产品总数", "Certified products cannot exceed products"]);
    await wb.xlsx.writeFile(`${out}designer-bad.xlsx`);
    await page.setInputFiles("#designer-file", `${out}designer-bad.xlsx`);
    await page.waitForSelector(`.designer-result li[data-cell="指标!L${rateRow}"]`);
    expect(await page.textContent(`.designer-result li[data-cell="指标!L${rateRow}"]`)).toContain("product");
    await page.screenshot({ path: `${out}designer-01-mistake-on-cell.png` });

    ind.getCell(`L${rateRow}`).value = "cert_products / products * 100";
    await wb.xlsx.writeFile(`${out}designer-good.xlsx`);
    await page.setInputFiles("#designer-file", `${out}designer-good.xlsx`);
    await page.waitForSelector("#designer-publish");
    expect(await page.textContent(".designer-result")).toContain("quality_2027");
    const [preview] = await Promise.all([page.waitForEvent("download"), page.click("#designer-preview")]);
    expect(preview.suggestedFilename()).toContain("预览-质量兴市工作年报（2027 版）");
    const previewed = new ExcelJS.Workbook();
    await previewed.xlsx.load(await (await import("node:fs/promises")).readFile((await preview.path())!) as unknown as ArrayBuffer);
    let found = false;
    previewed.worksheets[0]!.eachRow((r) => { if (r.getCell(1).value === "cert_rate") found = true; });
    expect(found).toBe(true);
    expect(await page.isDisabled("#designer-publish")).toBe(true); // not before the preview is confirmed
    await page.check("#designer-checked");
    await page.click("#designer-publish");
    await page.waitForFunction(() => document.querySelector(".designer-result")?.textContent?.includes("已发布"));
    await page.screenshot({ path: `${out}designer-02-published.png` });

    // open a round with it, expecting every unit below the city
    await page.waitForSelector('#round-template option[value="quality_2027@1"]', { state: "attached" });
    await page.selectOption("#round-template", "quality_2027@1");
    await page.fill("#round-period", "2027");
    await page.fill("#round-deadline", "2099-12-31");
    // the round's code is made from the unit and the period: the admin never invents one
    const [opened] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/rounds") && r.request().method() === "POST"), page.click("#round-open")]);
    const roundId = ((await opened.json()) as { id: string }).id;
    expect(roundId).toMatch(/^jincheng_2027/);
    await page.waitForSelector(`[data-round="${roundId}"]`);
    await page.click("#sign-out");

    // the county fills the new form in "WPS" and uploads it
    await signIn("yangcheng");
    await page.waitForSelector(`[data-round="${roundId}"] button.download`);
    const [sheet] = await Promise.all([page.waitForEvent("download"), page.click(`[data-round="${roundId}"] button.download`)]);
    const fillPath = `${out}fill-2027.xlsx`;
    await sheet.saveAs(fillPath);
    const fill = new ExcelJS.Workbook();
    await fill.xlsx.readFile(fillPath);
    const values: Record<string, unknown> = { ...DEMO_PAST_VALUES.yangcheng, cert_products: 100 };
    fill.worksheets[0]!.eachRow((r) => {
      const code = r.getCell(1).value;
      if (typeof code !== "string" || !(code in values)) return;
      const v = values[code];
      r.getCell(4).value = typeof v === "boolean" ? (v ? "是" : "否") : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : (v as ExcelJS.CellValue);
    });
    await fill.xlsx.writeFile(fillPath);
    await page.setInputFiles(`[data-round="${roundId}"] input.file`, fillPath);
    await page.waitForFunction((r) => /已上报|Submitted/.test(document.querySelector(".notice")?.textContent ?? "") || !!document.querySelector(`[data-round="${r}"] button.acknowledge`), roundId);
    if (await page.locator(`[data-round="${roundId}"] button.acknowledge`).count()) await page.click(`[data-round="${roundId}"] button.acknowledge`);
    await page.waitForFunction((r) => /已上报/.test(document.querySelector(`[data-round="${r}"] .state`)?.textContent ?? ""), roundId);
    await page.screenshot({ path: `${out}designer-03-county-submitted.png` });
  });
});
