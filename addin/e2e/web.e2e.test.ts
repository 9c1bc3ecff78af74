import { mkdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";
import ExcelJS from "exceljs";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, cellValueOf, compileTemplate, fillIndex } from "@tianbao/shared";

if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the web page's end-to-end test cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();

let browser: Browser;
let page: Page;

/** Fills a downloaded template the way a county office does in WPS: types figures, saves. */
async function fill(path: string, values: Record<string, unknown>, to: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const index = fillIndex(compiled);
  for (const [code, v] of Object.entries(values)) ws.getCell(index.rowOf.get(code)! + 1, 4).value = cellValueOf(compiled.byCode.get(code)!, v as never) as ExcelJS.CellValue;
  await wb.xlsx.writeFile(to);
  return to;
}

async function signIn(username: string): Promise<void> {
  await page.fill("#username", username);
  await page.fill("#password", "demo-password");
  await page.click("#sign-in");
  await page.waitForSelector("ul.rounds li");
}

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ ignoreHTTPSErrors: true, viewport: { width: 760, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${inject("baseUrl")}/`);
});
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("the web page at / (counties without the add-in)", () => {
  it("a county downloads its fill sheet, uploads a bad one and sees each problem by cell, then a good one", async () => {
    await page.screenshot({ path: `${out}web-01-sign-in.png` });
    await signIn("yangcheng");
    const card = '[data-round="r2025"]';
    await expect.poll(() => page.textContent(`${card} .state`)).toBe("未上报");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`${card} button.download`)]);
    expect(download.suggestedFilename()).toBe("阳城县-晋城市2025年-填报表.xlsx");
    const template = `${out}yangcheng-template.xlsx`;
    await download.saveAs(template);

    const bad = await fill(template, { ...DEMO_PAST_VALUES.yangcheng!, products: null, graded_products: 99 }, `${out}yangcheng-bad.xlsx`);
    await page.setInputFiles(`${card} input.file`, bad);
    await page.waitForSelector(`${card} ul.issues li.error`);
    const problems = await page.locator(`${card} ul.issues li`).allTextContents();
    const row = (code: string) => fillIndex(compiled).rowOf.get(code)! + 1;
    expect(problems).toContain(`D${row("products")} 工业产品总数（products）：必填`);
    expect(problems).toContainEqual(expect.stringContaining(`D${row("graded_products")} 达到质量等级的主要产品数（graded_products）：达到质量等级的产品数不能大于主要产品数`));
    expect(await page.textContent(`${card} .state`)).toBe("未上报");
    await page.screenshot({ path: `${out}web-02-upload-errors.png`, fullPage: true });

    const good = await fill(template, DEMO_PAST_VALUES.yangcheng!, `${out}yangcheng-good.xlsx`);
    await page.setInputFiles(`${card} input.file`, good);
    await expect.poll(() => page.textContent(`${card} .state`)).toBe("已上报（第 1 版）");
    expect(await page.locator(`${card} ul.issues li`).count()).toBe(0);
    await page.screenshot({ path: `${out}web-03-uploaded.png`, fullPage: true });
  });

  it("the city sees the upload on the board, reviews it beside last period and approves it, then downloads the CSV", async () => {
    await page.click("#sign-out");
    await signIn("shenhe");
    await page.click('[data-round="r2025"] .board');
    await page.click('tr[data-unit="yangcheng"] a.review-link');
    await page.waitForSelector(".review-screen table.figures");
    // the figures beside last period's (the closed 2024 round) and the siblings' total
    expect(await page.textContent('tr[data-indicator="products"] td.now')).toBe(String(DEMO_PAST_VALUES.yangcheng!.products));
    expect(await page.textContent('tr[data-indicator="products"] td.previous')).toBe(String(DEMO_PAST_VALUES.yangcheng!.products));
    expect(await page.textContent('tr[data-indicator="products"] td.change')).toBe("+0.0%");
    expect(await page.textContent(".review-screen thead")).toContain("上期（2024年）");
    await page.click(".review-screen button.approve");
    // approving locks the report: the screen says so and asks first; a double click is not an error
    expect(await page.textContent(".approve-form")).toContain("锁定");
    await page.dblclick("button.approve-confirm");
    await expect.poll(() => page.textContent(".review-screen p.state")).toContain("已审核");
    // the outcome is beside the buttons, not in a banner at the top of a long page (issue 22)
    await expect.poll(() => page.textContent(".review-actions")).toContain("已审核通过");
    await page.click("a.back");
    await expect.poll(() => page.textContent('tr[data-unit="yangcheng"] td.state')).toContain("已审核");
    expect(await page.textContent('tr[data-unit="yangcheng"] td.reviewer')).toBe("晋城市质监局审核员");
    await page.screenshot({ path: `${out}web-04-board.png`, fullPage: true });
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click(".downloads button.csv")]);
    const text = readFileSync(await csv.path());
    expect([...text.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.toString("utf8")).toContain("阳城县");
  });

  it("the county's approved report offers no active upload, and rounds are listed soonest deadline first", async () => {
    await page.click("#sign-out");
    await signIn("yangcheng");
    const rounds = await page.locator("ul.rounds > li").evaluateAll((els) => els.map((e) => e.getAttribute("data-round")));
    expect(rounds.indexOf("r2025")).toBeLessThan(rounds.indexOf("r2024")); // open before closed
    await expect.poll(() => page.getAttribute('[data-round="r2025"] label.upload', "class")).toContain("disabled");
    expect(await page.getAttribute('[data-round="r2025"] label.upload', "title")).toContain("已审核");
    expect(await page.isDisabled('[data-round="r2025"] input.file')).toBe(true);
  });
});
