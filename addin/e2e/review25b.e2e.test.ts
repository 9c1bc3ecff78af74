import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, DEMO_BRANDS_PAST_VALUES, withUsccCheck } from "@tianbao/shared";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";
import { httpsFetch } from "./https";

// Independent review of detail lists (issue 25) on the city's desk, in Chromium against the real Worker:
// row notes the server must refuse (row 0, a row past the list, a list the template does not have), a note
// typed on a row while the county submits the list again re-sorted, hostile list values shown as text, a
// search in full-width letters, and a rolled-up list of 2,000 rows paged to its end. Its own template
// (r25b_brands) and round (period 2700), so no other test's data changes.
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the detail lists' desk review cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const TEMPLATE = "r25b_brands";
const ROUND = "r25b2700";
const XSS = `<img src=x onerror="window.__r25b=1">高平市测试有限公司`;
let browser: Browser;
let page: Page;

const base = () => inject("baseUrl");
const tokens = new Map<string, string>();
async function token(username: string): Promise<string> {
  if (tokens.has(username)) return tokens.get(username)!;
  const r = await httpsFetch(`${base()}/api/auth/login`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: "demo-password" }) });
  const t = (r.json() as { token: string }).token;
  tokens.set(username, t);
  return t;
}
async function call(username: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: () => unknown; text: string }> {
  return httpsFetch(`${base()}/api${path}`, inject("caCert"), { method, headers: { "content-type": "application/json", authorization: `Bearer ${await token(username)}`, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
async function must(username: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await call(username, method, path, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r;
}

const zezhou = DEMO_BRAND_PRODUCERS.zezhou!;
/** Gaoping's 2,000 山西名牌 rows, the third one with a hostile name. */
const gaoping = Array.from({ length: 2000 }, (_, i) => ({
  firm: i === 2 ? XSS : i === 4 ? "ＡＢＣ精密铸造有限公司" : `高平市第${i + 1}号有限公司`, uscc: withUsccCheck(`91140581MA0${String(50000 + i).padStart(5, "0")}A`),
  product: "铸件", level: "sx", year: 2020, output: "1.00", tax: "0.10", exports: 1,
}));

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  const { version: _v, status: _s, ...template } = DEMO_BRANDS_TEMPLATE;
  await must("admin", "POST", "/templates/draft", { template: { ...template, id: TEMPLATE, name: { zh: "名牌清单（r25b）", en: "Brands (r25b)" } } });
  await must("admin", "POST", `/templates/${TEMPLATE}/1/publish`);
  await must("admin", "POST", "/rounds", { id: ROUND, templateId: TEMPLATE, templateVersion: 1, period: "2700", deadline: "2799-06-30T23:59:59+08:00", expectedUnitIds: ["zezhou", "gaoping"] });
  await must("zezhou", "PUT", `/rounds/${ROUND}/submissions/zezhou`, { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: zezhou }, acknowledgeWarnings: true }, { "if-match": '"0"' });
  await must("gaoping", "PUT", `/rounds/${ROUND}/submissions/gaoping`, {
    values: { sx_products: 2000, brand_output: "2000.00", brand_tax: "200.00", brand_exports: 2000 }, lists: { producers: gaoping }, acknowledgeWarnings: true,
  }, { "if-match": '"0"' });
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
}, 240_000);
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("row notes the server must refuse", () => {
  const state = async () => ((await must("zezhou", "GET", `/rounds/${ROUND}/submissions/zezhou`)).json() as { state: string; revision: number });

  it("a note on row 0, on row 8 of a 7-row list, or on a list the template does not have is refused by key; nothing is returned", async () => {
    for (const key of ["producers#0", "producers#8", "producers#9999", "batches#1", "producers#-1", "producers#1.5", "__proto__#1"]) {
      const r = await call("shenhe", "POST", `/rounds/${ROUND}/submissions/zezhou/return`, { comment: "请修改", indicatorComments: { [key]: "这一行有误" } });
      expect(r.status, `${key}: ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status, key).toBeLessThan(500);
    }
    expect(await state()).toMatchObject({ state: "submitted", revision: 1 });
  });
});

describe.skipIf(!haveChromium)("a note typed on a row while the county sends the list again", () => {
  it("a return with a note on 第 3 行 never lands on another enterprise that the county's new revision put at row 3", async () => {
    await page.goto(`${base()}/#/round/${ROUND}/unit/zezhou`);
    await page.waitForSelector('.review-screen section.detail-list tr[data-row="3"]');
    const seen = await page.textContent('.review-screen tr[data-row="3"] td[data-field="firm"]');
    expect(seen).toBe(zezhou[2]!.firm);
    await page.click('.review-screen tr[data-row="3"] button.row-note');
    await page.fill('.review-screen tr[data-row="3"] input.row-comment', "本企业产值请核实");
    // meanwhile the county submits its list again, sorted the other way round (revision 2)
    await must("zezhou", "PUT", `/rounds/${ROUND}/submissions/zezhou`, { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: [...zezhou].reverse() }, acknowledgeWarnings: true }, { "if-match": '"1"' });
    await page.click(".review-screen button.return");
    await page.fill("#return-comment", "请核实名单");
    await page.click("button.return-confirm");
    await page.waitForSelector(".review-actions .action-result span");
    await page.screenshot({ path: `${out}review25b-01-stale-note.png` });
    const now = (await must("zezhou", "GET", `/rounds/${ROUND}/submissions/zezhou`)).json() as { state: string; revision: number; reviewIndicatorComments?: Record<string, string>; lists?: Record<string, { firm?: string }[]> };
    // either the return is refused (the reviewer saw revision 1, not 2), or its note is on the enterprise the reviewer saw
    if (now.state === "returned") {
      const noted = Object.keys(now.reviewIndicatorComments ?? {}).map((k) => Number(k.split("#")[1]));
      expect(noted.map((n) => now.lists!.producers![n - 1]!.firm)).toEqual([seen]);
    } else {
      expect(await page.textContent(".review-actions .action-result")).toMatch(/第 2 版|已更新|已重新上报|刷新/);
    }
  });
});

describe.skipIf(!haveChromium)("hostile values, full-width search and a rolled-up list of 2,000 rows", () => {
  it("a firm named <img onerror=…> is shown as text on the review screen; a full-width search finds its half-width twin", async () => {
    await page.goto(`${base()}/#/round/${ROUND}/unit/gaoping`);
    await page.waitForSelector('.review-screen[data-unit="gaoping"] tr[data-row="3"]');
    expect(await page.textContent('.review-screen tr[data-row="3"] td[data-field="firm"]')).toBe(XSS);
    expect(await page.locator(".review-screen section.detail-list img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __r25b?: number }).__r25b)).toBeUndefined();
    await page.fill(".review-screen input.list-search", "abc精密");
    await page.waitForSelector('.review-screen table.detail-rows tbody tr[data-row="5"]');
    expect(await page.locator(".review-screen table.detail-rows tbody tr").count()).toBe(1);
    await page.fill(".review-screen input.list-search", "");
    await page.fill(".review-screen input.list-jump", "2000");
    await page.click(".review-screen button.list-jump-go");
    await page.waitForSelector('.review-screen tr[data-row="2000"].focus-row');
    expect(await page.textContent(".review-screen .page-of")).toBe("第 20 / 20 页");
  });

  // the standing list is 高平市's 2,000 rows once 泽州县 is returned (a returned report does not stand): the return
  // above was refused, 泽州县 having submitted revision 2 since, so the city returns the revision it now sees
  it("the rolled-up list pages to its end: 第 1,901–2,000 行，共 2,000 行, the hostile name as text", async () => {
    const z = (await must("admin", "GET", `/rounds/${ROUND}/submissions/zezhou`)).json() as { state: string; revision: number };
    if (z.state === "submitted") await must("admin", "POST", `/rounds/${ROUND}/submissions/zezhou/return`, { comment: "请核实名单" }, { "if-match": `"${z.revision}"` });
    await page.goto(`${base()}/#/round/${ROUND}/list/producers`);
    await page.waitForSelector(".list-screen .list-range");
    expect(await page.textContent(".list-screen .list-range")).toBe("第 1–100 行，共 2,000 行");
    expect(await page.locator(".list-screen img").count()).toBe(0);
    expect(await page.locator(".list-screen td[data-field='firm']", { hasText: "onerror" }).count()).toBe(1);
    await page.click(".list-screen .pager.top button.last");
    await page.waitForFunction(() => document.querySelector(".list-screen .list-range")?.textContent === "第 1,901–2,000 行，共 2,000 行");
    expect(await page.locator(".list-screen table.detail-rows tbody tr").count()).toBe(100);
    expect(page.url()).toContain("page=20");
    await page.reload();
    await page.waitForFunction(() => document.querySelector(".list-screen .list-range")?.textContent === "第 1,901–2,000 行，共 2,000 行");
    await page.screenshot({ path: `${out}review25b-02-rolled-last.png` });
  });
});
