import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import ExcelJS from "exceljs";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, compileTemplate, fillIndex } from "@tianbao/shared";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";
import { httpsFetch } from "./https";

// Issue 22, the review screen a leader can read, in Chromium at 1366 × 768: a +906.7 % change and a
// confirmed warning are marked and listed above the 50-row table; the action bar stays in view; yes/no
// totals read "1/2（50.0%）"; the filer's name and phone are shown; an action's outcome appears beside
// the button pressed, with the next report awaiting review. Its own round (r2025review), so no other
// test's round changes; the figures are put in through the API (the county's side is not under test).
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the review screen's end-to-end test cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const ROUND = "r2025review";
const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();
let browser: Browser;
let page: Page;

const base = () => inject("baseUrl");
async function token(username: string): Promise<string> {
  const r = await httpsFetch(`${base()}/api/auth/login`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: "demo-password" }) });
  return (r.json() as { token: string }).token;
}
async function call(username: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const r = await httpsFetch(`${base()}/api${path}`, inject("caCert"), { method, headers: { "content-type": "application/json", authorization: `Bearer ${await token(username)}`, ...headers }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.status;
}

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  await call("admin", "POST", "/rounds", { id: ROUND, templateId: "quality_city_annual", templateVersion: 1, period: "2025", deadline: "2027-06-30T23:59:59+08:00", expectedUnitIds: ["chengqu", "qinshui"] });
  // 城区: products 300 → 3,020 (+906.7 %), and a quality award with no reward funds (a warning it confirmed)
  await call("chengqu", "PUT", `/rounds/${ROUND}/submissions/chengqu`, {
    values: { ...DEMO_PAST_VALUES.chengqu!, products: 3020, mayor_award: true, brand_reward_funds: "0.00" }, acknowledgeWarnings: true,
    signature: { filer: "王芳", phone: "0356-2021234", head: "李明" },
  }, { "if-match": '"0"' });
  await call("qinshui", "PUT", `/rounds/${ROUND}/submissions/qinshui`, { values: DEMO_PAST_VALUES.qinshui!, comments: { products: "含新建园区 3 家" }, acknowledgeWarnings: true }, { "if-match": '"0"' });
  browser = await launchChromium();
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 768 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("dialog", (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
  await page.goto(`${base()}/#/`);
  await page.fill("#username", "shenhe");
  await page.fill("#password", "demo-password");
  await page.click("#sign-in");
  await page.waitForSelector("nav.desk-nav .who");
});
afterAll(async () => { await browser?.close(); });

/** Whether an element is inside the viewport as the page stands (not scrolled to). */
const inView = (selector: string) => page.locator(selector).first().evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; });

describe.skipIf(!haveChromium)("reviewing a report, as a leader reads it", () => {
  it("lists the large change and the confirmed warning above the table, marks their rows, and shows who filled it in", async () => {
    await page.goto(`${base()}/#/round/${ROUND}/unit/chengqu`);
    await page.waitForSelector(".review-screen table.figures");
    expect(await page.textContent('.review-screen tr[data-indicator="products"] td.change')).toBe("+906.7%");
    expect(await page.getAttribute('.review-screen tr[data-indicator="products"]', "class")).toContain("large-change");
    // the confirmed warning: listed once, under the first indicator of its rule, and every row it names marked
    for (const code of ["mayor_award", "brand_reward_funds"]) expect(await page.getAttribute(`.review-screen tr[data-indicator="${code}"]`, "class"), code).toContain("attention-row");
    expect(await page.textContent('.attention li[data-indicator="products"]')).toBe("工业产品总数：比上期变化 +906.7%");
    expect(await page.textContent('.attention li[data-indicator="mayor_award"]')).toContain("填报单位已确认：");
    expect(await page.textContent('.attention li[data-indicator="mayor_award"]')).toBe("已设立县（区）长质量奖或奖励制度：填报单位已确认：已设立质量奖，但名牌奖励资金为 0，请确认");
    // above the table, where the eye starts, not after 50 rows
    expect(await inView(".attention")).toBe(true);
    expect(await page.textContent(".review-screen p.filer")).toBe("填报人 王芳 · 联系电话 0356-2021234 · 负责人 李明");
    expect(await page.textContent(".review-screen p.state")).toMatch(/^已上报（第 1 版） · 上报人 城区填报员 /);
    await page.screenshot({ path: `${out}review-01-attention.png` });
  });

  it("reads yes/no totals as how many of how many, with the share", async () => {
    // 城区 said 是 to plan_issued, 沁水县 否; both set up a leading group
    expect(await page.textContent('.review-screen tr[data-indicator="plan_issued"] td.total')).toBe("1/2（50.0%）");
    expect(await page.textContent('.review-screen tr[data-indicator="leading_group"] td.total')).toBe("2/2（100.0%）");
  });

  it("keeps the action bar in view on a long page, and shows the outcome beside it with the next report awaiting review", async () => {
    expect(await page.evaluate(() => document.body.scrollHeight > window.innerHeight * 2)).toBe(true);
    expect(await inView(".review-screen button.approve")).toBe(true);
    await page.click(".review-screen button.approve");
    expect(await inView("button.approve-confirm")).toBe(true);
    await page.click("button.approve-confirm");
    await page.waitForSelector(".review-actions .action-result .ok");
    expect(await page.textContent(".review-actions .action-result .ok")).toBe("已审核通过城区，数据已锁定");
    expect(await inView(".review-actions .action-result .ok")).toBe(true);
    await page.waitForSelector("a.next-review");
    expect(await page.textContent("a.next-review")).toBe("下一个待审核：沁水县 →");
    await page.screenshot({ path: `${out}review-02-approved-next.png` });
    await page.click("a.next-review");
    await page.waitForSelector('.review-screen[data-unit="qinshui"] button.return');
    // returned: the outcome beside the button; nothing is left to review
    await page.click(".review-screen button.return");
    await page.fill("#return-comment", "请补充说明");
    await page.click("button.return-confirm");
    await page.waitForSelector('.review-screen[data-unit="qinshui"] .action-result .ok');
    expect(await page.textContent(".review-actions .action-result .ok")).toBe("已退回沁水县，退回意见已送达填报单位");
    await page.waitForSelector(".review-actions .none-left");
    expect(await page.textContent(".review-actions .none-left")).toBe("没有其他待审核的报表了");
    expect(await inView(".review-actions .action-result .ok")).toBe(true);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: `${out}review-03-returned-1024.png` });
  });

  it("the returned county's re-downloaded sheet carries its 说明; clearing it, the page shows what would be lost and asks before storing", async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.click("#sign-out");
    await page.fill("#username", "qinshui");
    await page.fill("#password", "demo-password");
    await page.click("#sign-in");
    const card = `[data-round="${ROUND}"]`;
    await page.waitForSelector(`${card} .state`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`${card} button.download`)]);
    const path = `${out}review-qinshui-current.xlsx`;
    await download.saveAs(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const row = fillIndex(compiled).rowOf.get("products")! + 1;
    expect(wb.worksheets[0]!.getCell(row, 6).value).toBe("含新建园区 3 家");
    wb.worksheets[0]!.getCell(row, 6).value = null;
    await wb.xlsx.writeFile(`${out}review-qinshui-no-note.xlsx`);
    await page.setInputFiles(`${card} input.file`, `${out}review-qinshui-no-note.xlsx`);
    await page.waitForSelector(`${card} .lost`);
    expect(await page.textContent(`${card} .lost p`)).toBe("这份文件与当前的第 1 版相比，下列已填写的内容将会丢失：");
    expect(await page.textContent(`${card} .lost tr[data-lost="products"]`)).toBe("工业产品总数 的说明含新建园区 3 家（空）");
    expect(await page.textContent(`${card} .state`)).toContain("已退回");
    await page.screenshot({ path: `${out}review-04-county-note-would-be-lost.png`, fullPage: true });
    await page.click(`${card} button.submit-losing`);
    await expect.poll(() => page.textContent(`${card} .state`)).toContain("已上报");
  });
});
