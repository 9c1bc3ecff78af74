import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, withUsccCheck } from "@tianbao/shared";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";
import { httpsFetch } from "./https";

// Issue 25 on the desk, in Chromium: a report's detail list (质兴4表附表 名牌产品生产企业名单) on the review
// screen — its rows with names, its figures above them — returned with a 批注 on row 3, which the returned
// report and the county's page show on that row; the county's correction of that row alone is the
// difference between the revisions; the city's rolled-up list of its three counties' 21 rows, paged, on
// either basis; and a 2,000-row list drawn a page at a time and paged to row 1,234. Its own template
// (brands_web) and rounds in periods 2520–2521; the counties' side goes through the API.
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the desk's detail-list end-to-end test cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const TEMPLATE = "brands_web";
const ROUND = "lw2520";
const LONG = "lw2521";
const COUNTIES = ["zezhou", "gaoping", "yangcheng"] as const;
const NOTE = "工业总产值应为 12.80 亿元";
let browser: Browser;
let page: Page;

const base = () => inject("baseUrl");
async function token(username: string): Promise<string> {
  const r = await httpsFetch(`${base()}/api/auth/login`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: "demo-password" }) });
  return (r.json() as { token: string }).token;
}
async function call(username: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const r = await httpsFetch(`${base()}/api${path}`, inject("caCert"), { method, headers: { "content-type": "application/json", authorization: `Bearer ${await token(username)}`, ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.json();
}
const zezhou = DEMO_BRAND_PRODUCERS.zezhou!;
/** Row 3 of 泽州县's list as the screen names it: 企业名称 · 产品. */
const row3 = `${String(zezhou[2]!.firm)} · ${String(zezhou[2]!.product)}`;

/** n producers whose 质兴4表 figures agree with them: 1.00 亿元 output, 0.10 亿元 tax and 10 万美元 exports each. */
function producers(n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    firm: `企业${i + 1}`, uscc: withUsccCheck(`91140525MA0${String(i).padStart(5, "0")}A`), product: "焦炭", level: "sx", year: 2020, output: "1.00", tax: "0.10", exports: 10,
  }));
  const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  return { lists: { producers: rows }, values: { sx_products: n, brand_output: money(100 * n), brand_tax: money(10 * n), brand_exports: 10 * n } };
}

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  await call("admin", "POST", "/templates", { template: { ...DEMO_BRANDS_TEMPLATE, id: TEMPLATE, version: undefined, status: undefined } });
  await call("admin", "POST", `/templates/${TEMPLATE}/1/publish`);
  await call("admin", "POST", "/rounds", { id: ROUND, templateId: TEMPLATE, templateVersion: 1, period: "2520", deadline: "2099-06-30T23:59:59+08:00", expectedUnitIds: [...COUNTIES] });
  for (const u of COUNTIES) {
    await call(u, "PUT", `/rounds/${ROUND}/submissions/${u}`, { values: DEMO_BRANDS_PAST_VALUES[u]!, lists: { producers: DEMO_BRAND_PRODUCERS[u]! }, acknowledgeWarnings: true }, { "if-match": '"0"' });
  }
  await call("admin", "POST", "/rounds", { id: LONG, templateId: TEMPLATE, templateVersion: 1, period: "2521", deadline: "2099-06-30T23:59:59+08:00", expectedUnitIds: ["zezhou"] });
  await call("zezhou", "PUT", `/rounds/${LONG}/submissions/zezhou`, { ...producers(2000), acknowledgeWarnings: true }, { "if-match": '"0"' });
  browser = await launchChromium();
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 768 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("dialog", (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
  await page.goto(`${base()}/#/`);
  await page.fill("#username", "shenhe");
  await page.fill("#password", "demo-password");
  await page.click("#sign-in");
  await page.waitForSelector("nav.desk-nav .who");
}, 180_000);
afterAll(async () => { await browser?.close(); });

const list = 'section.detail-list[data-table="producers"]';
const texts = (selector: string) => page.locator(selector).allTextContents();
/** Whether an element is inside the viewport as the page stands. */
const inView = (selector: string) => page.locator(selector).first().evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; });

describe.skipIf(!haveChromium)("a detail list on the desk", () => {
  it("the review screen shows 泽州县's 7 rows with their names, choices by name, amounts with decimals, and the list's figures above them", async () => {
    await page.goto(`${base()}/#/round/${ROUND}/unit/zezhou`);
    await page.waitForSelector(`${list} table.detail-rows`);
    expect(await page.textContent(`${list} h3`)).toBe("质兴4表附表 名牌产品生产企业名单（7 行）");
    expect(await texts(`${list} table.detail-rows thead th`)).toEqual(["序号", "企业名称", "统一社会信用代码", "产品", "品牌级别", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）", "审核意见"]);
    expect(await texts(`${list} table.detail-rows tbody th.seq`)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(await texts(`${list} table.detail-rows tbody td[data-field="firm"]`)).toEqual(zezhou.map((r) => String(r.firm)));
    expect(await texts(`${list} table.detail-rows tbody td[data-field="level"]`)).toEqual(Array(7).fill("山西名牌"));
    expect(await texts(`${list} table.detail-rows tbody td[data-field="output"]`)).toEqual(["18.50", "6.20", "12.30", "9.00", "4.80", "15.60", "7.10"]);
    // the figures above the rows: rows and sums, and the rows of each 品牌级别
    const figure = (code: string) => page.textContent(`${list} table.list-figures td[data-figure="${code}"]`);
    expect(await figure("producers_rows")).toBe("7");
    expect(await figure("producers_output")).toBe("73.50");
    expect(await figure("producers_level_sx_rows")).toBe("7");
    expect(await figure("producers_level_cn_rows")).toBe("0");
    expect(await figure("producers_level_cn_output")).toBe("");
    expect(await page.textContent(`${list} .list-range`)).toBe("第 1–7 行，共 7 行");
    // seven rows need no pages
    expect(await page.locator(`${list} nav.pager`).count()).toBe(0);
    await page.screenshot({ path: `${out}lists-01-review.png`, fullPage: true });
  });

  it("returns it with a note on row 3; the returned report shows the note on row 3, and so does the county's page", async () => {
    await page.click(`${list} tr[data-row="3"] button.row-note`);
    expect(await page.getAttribute(`${list} tr[data-row="3"] input.row-comment`, "aria-label")).toBe("审核意见：质兴4表附表 名牌产品生产企业名单 第 3 行");
    await page.fill(`${list} input.row-comment[data-note="producers#3"]`, NOTE);
    expect(await page.textContent(`${list} .list-notes-typed`)).toBe("已对质兴4表附表 名牌产品生产企业名单的 1 行填写审核意见，退回时一并发送");
    await page.click(".review-screen button.return");
    expect(await page.textContent(".return-form .row-notes")).toBe("另有清单中 1 行的审核意见（批注）一并退回。");
    await page.fill("#return-comment", "名单第 3 行有误");
    await page.click("button.return-confirm");
    await page.waitForSelector(".review-actions .action-result .ok");
    expect(await page.textContent(".review-actions .action-result .ok")).toBe("已退回泽州县，退回意见已送达填报单位");
    const sent = await call("admin", "GET", `/rounds/${ROUND}/submissions/zezhou`) as { state: string; reviewIndicatorComments?: Record<string, string> };
    expect(sent.state).toBe("returned");
    expect(sent.reviewIndicatorComments).toEqual({ "producers#3": NOTE });
    // the returned report: the note on its row (marked), and listed above the rows with a link to it
    await page.waitForSelector(`${list} tr[data-row="3"].noted`);
    expect(await page.textContent(`${list} tr[data-row="3"] td.review-note`)).toBe(NOTE);
    expect(await texts(`${list} tbody td.review-note`)).toEqual(["", "", NOTE, "", "", "", ""]);
    expect(await page.textContent(`${list} .list-notes li[data-row="3"]`)).toBe(`第 3 行（${row3}）：${NOTE}`);
    expect(await page.locator(`${list} button.row-note`).count()).toBe(0);
    await page.screenshot({ path: `${out}lists-02-returned.png`, fullPage: true });

    const county = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const cp = await county.newPage();
    await cp.goto(`${base()}/#/`);
    await cp.fill("#username", "zezhou");
    await cp.fill("#password", "demo-password");
    await cp.click("#sign-in");
    const note = `[data-round="${ROUND}"] ul.indicator-comments li[data-list-row="producers#3"]`;
    await cp.waitForSelector(note);
    expect(await cp.textContent(note)).toBe(`质兴4表附表 名牌产品生产企业名单 第 3 行（${row3}）：${NOTE}`);
    await cp.screenshot({ path: `${out}lists-03-county.png`, fullPage: true });
    await county.close();
  });

  it("the county corrects row 3 (through the API); the difference between the revisions is that row, field by field", async () => {
    const rows = zezhou.map((r, i) => (i === 2 ? { ...r, output: "12.80" } : r));
    await call("zezhou", "PUT", `/rounds/${ROUND}/submissions/zezhou`, { values: { ...DEMO_BRANDS_PAST_VALUES.zezhou!, brand_output: "74.00" }, lists: { producers: rows }, acknowledgeWarnings: true }, { "if-match": '"1"' });
    await page.goto(`${base()}/#/round/${ROUND}/unit/zezhou`);
    await page.reload();
    await page.waitForSelector(".review-screen table.diff");
    expect(await page.textContent('.review-screen table.diff tr.diff-list[data-table="producers"]')).toBe("质兴4表附表 名牌产品生产企业名单：新增 0 行，删除 0 行，修改 1 行");
    expect(await page.locator(".review-screen table.diff tr.list-changed").count()).toBe(1);
    expect(await page.locator(".review-screen table.diff tr.list-added, .review-screen table.diff tr.list-removed").count()).toBe(0);
    const changed = '.review-screen table.diff tr.list-changed[data-list="producers"][data-row="3"][data-field="output"]';
    expect(await page.locator(`${changed} td`).allTextContents()).toEqual([`质兴4表附表 G8 第 3 行（${row3}） · 工业总产值（亿元）`, "12.30", "12.80"]);
    // the corrected row reads as corrected on the list itself
    expect(await page.textContent(`${list} tr[data-row="3"] td[data-field="output"]`)).toBe("12.80");
    expect(await page.textContent(`${list} table.list-figures td[data-figure="producers_output"]`)).toBe("74.00");
    await page.locator(".review-screen table.diff").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}lists-04-diff.png` });
  });

  it("the desk's rolled-up list: the three counties' 21 rows with their units, paged, on either basis, with the rows of each option", async () => {
    await call("admin", "POST", `/rounds/${ROUND}/submissions/gaoping/approve`, {});
    await page.goto(`${base()}/#/round/${ROUND}`);
    await page.click('a.rolled-list-link[data-table="producers"]');
    await page.waitForSelector(".list-screen table.detail-rows");
    expect(await page.textContent(".list-screen h2")).toBe("汇总清单 · 质兴4表附表 名牌产品生产企业名单");
    expect(await page.textContent(".list-screen .list-summary")).toBe("晋城市：21 行，来自 3 家单位的清单");
    expect(await page.locator(".list-screen table.detail-rows tbody tr").count()).toBe(21);
    expect(await texts(".list-screen table.detail-rows thead th")).toEqual(["单位", "序号", "企业名称", "统一社会信用代码", "产品", "品牌级别", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）"]);
    // the units in the board's (official) order, each with its own rows 1–7
    const board = await call("shenhe", "GET", `/rounds/${ROUND}/completeness`) as { units: { unitId: string; name: { zh: string } }[] };
    const order = board.units.filter((u) => (COUNTIES as readonly string[]).includes(u.unitId));
    expect(await texts(".list-screen tbody td.unit")).toEqual(order.flatMap((u) => Array(7).fill(u.name.zh)));
    expect(await texts(".list-screen tbody th.seq")).toEqual(order.flatMap(() => ["1", "2", "3", "4", "5", "6", "7"]));
    expect(await texts(".list-screen tbody td[data-field=\"firm\"]")).toEqual(order.flatMap((u) => DEMO_BRAND_PRODUCERS[u.unitId]!.map((r) => String(r.firm))));
    const figure = (code: string) => page.textContent(`.list-screen table.list-figures td[data-figure="${code}"]`);
    expect(await figure("producers_rows")).toBe("21");
    expect(await figure("producers_output")).toBe("210.50"); // 泽州县's correction counts on the standing figures
    expect(await figure("producers_level_sx_rows")).toBe("21");
    expect(await figure("producers_level_cn_rows")).toBe("0");
    await page.screenshot({ path: `${out}lists-05-rolled.png`, fullPage: true });

    // 20 rows a page: two pages, the second holding the last county's row 7
    await page.selectOption("#list-size", "20");
    await page.waitForSelector('.list-screen nav.pager .page-of:has-text("第 1 / 2 页")');
    expect(await page.locator(".list-screen table.detail-rows tbody tr").count()).toBe(20);
    expect(await page.textContent(".list-screen .list-range")).toBe("第 1–20 行，共 21 行");
    await page.click(".list-screen nav.pager.bottom button.next");
    await page.waitForSelector('.list-screen nav.pager .page-of:has-text("第 2 / 2 页")');
    expect(await page.textContent(".list-screen .list-range")).toBe("第 21–21 行，共 21 行");
    const last = order[order.length - 1]!;
    expect(await texts(".list-screen tbody td.unit")).toEqual([last.name.zh]);
    expect(await texts(".list-screen tbody th.seq")).toEqual(["7"]);
    expect(page.url()).toContain("page=2");
    // Back returns to the first page
    await page.goBack();
    await page.waitForSelector('.list-screen nav.pager .page-of:has-text("第 1 / 2 页")');

    // 仅已审核: only 高平市, approved above
    await page.click('.list-screen a[data-basis="approved"]');
    await page.waitForSelector('.list-screen[data-basis="approved"] table.detail-rows');
    expect(await page.textContent(".list-screen .list-summary")).toBe("晋城市：7 行，来自 1 家单位的清单");
    expect(await texts(".list-screen tbody td.unit")).toEqual(Array(7).fill("高平市"));
    expect(await figure("producers_rows")).toBe("7");
    // one unit's list: 阳城县 on the standing figures
    await page.click('.list-screen a[data-basis="standing"]');
    await page.waitForSelector('.list-screen[data-basis="standing"] table.detail-rows');
    await page.selectOption("#list-scope", "yangcheng");
    await page.waitForSelector('.list-screen[data-unit="yangcheng"] table.detail-rows');
    expect(await page.textContent(".list-screen .list-summary")).toBe("阳城县：7 行，来自 1 家单位的清单");
    expect(await texts(".list-screen tbody td.unit")).toEqual(Array(7).fill("阳城县"));
  });

  it("a 2,000-row list: the review screen draws its first page of 100 rows and pages to row 1,234", async () => {
    await page.goto(`${base()}/#/round/${LONG}/unit/zezhou`);
    await page.waitForSelector(`${list} table.detail-rows`);
    expect(await page.textContent(`${list} h3`)).toBe("质兴4表附表 名牌产品生产企业名单（2,000 行）");
    expect(await page.locator(`${list} table.detail-rows tbody tr`).count()).toBe(100);
    expect(await page.textContent(`${list} .list-range`)).toBe("第 1–100 行，共 2,000 行");
    expect(await page.textContent(`${list} nav.pager.top .page-of`)).toBe("第 1 / 20 页");
    expect(await page.textContent(`${list} table.list-figures td[data-figure="producers_rows"]`)).toBe("2000");
    const seq = () => texts(`${list} tbody th.seq`);
    expect((await seq()).slice(0, 2)).toEqual(["1", "2"]);
    expect((await seq()).at(-1)).toBe("100");
    await page.click(`${list} nav.pager.bottom button.next`);
    await page.waitForSelector(`${list} nav.pager .page-of:has-text("第 2 / 20 页")`);
    expect((await seq())[0]).toBe("101");
    // straight to row 1,234: its page, the row marked and in view
    await page.fill(`${list} input.list-jump`, "1234");
    await page.click(`${list} button.list-jump-go`);
    await page.waitForSelector(`${list} tr.focus-row`);
    expect(await page.textContent(`${list} nav.pager.top .page-of`)).toBe("第 13 / 20 页");
    expect(await page.textContent(`${list} .list-range`)).toBe("第 1,201–1,300 行，共 2,000 行；已转到第 1,234 行");
    expect(await page.textContent(`${list} tr.focus-row th.seq`)).toBe("1234");
    expect(await page.textContent(`${list} tr.focus-row td[data-field="firm"]`)).toBe("企业1234");
    expect(await inView(`${list} tr.focus-row`)).toBe(true);
    expect(await page.locator(`${list} table.detail-rows tbody tr`).count()).toBe(100);
    await page.screenshot({ path: `${out}lists-06-row-1234.png` });
    // a row the list does not have is said, naming the list
    await page.fill(`${list} input.list-jump`, "2001");
    await page.click(`${list} button.list-jump-go`);
    expect(await page.textContent(`${list} .list-jump-form .field-error`)).toBe("质兴4表附表 名牌产品生产企业名单只有 2,000 行，没有第 2001 行");
    // the search finds a row by its name, whatever page it is on
    await page.fill(`${list} input.list-search`, "企业1999");
    await page.waitForSelector(`${list} .list-range:has-text("找到 1 行")`);
    expect(await seq()).toEqual(["1999"]);
  });
});
