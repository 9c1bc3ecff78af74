import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_YOY_PAST_VALUES } from "@tianbao/shared";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";
import { httpsFetch } from "./https";

// Issue 24 on the desk, in Chromium: the city approves a correction of a county's last year and the screen
// says that the county's report of this year follows; this year's review screen then shows the corrected
// 上年同期 and its 同比. Its own rounds (ryoye2036, ryoye2037) of the demo's 质兴3表; the counties' side goes
// through the API (it is not under test here).
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the desk's 同比 end-to-end test cannot run.`);
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const LAST = "ryoye2036";
const THIS = "ryoye2037";
let browser: Browser;
let page: Page;

const base = () => inject("baseUrl");
async function token(username: string): Promise<string> {
  const r = await httpsFetch(`${base()}/api/auth/login`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: "demo-password" }) });
  return (r.json() as { token: string }).token;
}
async function call(username: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const r = await httpsFetch(`${base()}/api${path}`, inject("caCert"), { method, headers: { "content-type": "application/json", authorization: `Bearer ${await token(username)}`, ...headers }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.json();
}
const zezhou = DEMO_YOY_PAST_VALUES.zezhou!;

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  for (const [id, period] of [[LAST, "2036"], [THIS, "2037"]] as const) {
    await call("admin", "POST", "/rounds", { id, templateId: "quality_city_yoy", templateVersion: 1, period, deadline: "2099-06-30T23:59:59+08:00", expectedUnitIds: ["zezhou"] });
  }
  await call("zezhou", "PUT", `/rounds/${LAST}/submissions/zezhou`, { values: { ...zezhou, brand_output: "100.00" }, acknowledgeWarnings: true }, { "if-match": '"0"' });
  await call("admin", "POST", `/rounds/${LAST}/submissions/zezhou/approve`, {});
  await call("zezhou", "PUT", `/rounds/${THIS}/submissions/zezhou`, { values: { ...zezhou, brand_output: "120.00" }, acknowledgeWarnings: true }, { "if-match": '"0"' });
  // last year's 名牌产品产值 was overstated: the city reopens it and the county corrects it to 80
  await call("admin", "POST", `/rounds/${LAST}/reopen`, { unitId: "zezhou", reason: "名牌产品产值有误" });
  await call("zezhou", "PUT", `/rounds/${LAST}/submissions/zezhou`, { values: { ...zezhou, brand_output: "80.00" }, acknowledgeWarnings: true }, { "if-match": '"1"' });
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
});
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("a correction of last year, approved on the desk", () => {
  it("says that this year's report follows, and this year's review screen shows the corrected 上年同期 and 同比", async () => {
    await page.goto(`${base()}/#/round/${LAST}/unit/zezhou`);
    await page.waitForSelector(".review-screen button.approve");
    await page.click(".review-screen button.approve");
    await page.click("button.approve-confirm");
    await page.waitForSelector(".review-actions .action-result .ok");
    expect(await page.textContent(".review-actions .action-result .ok")).toBe("已审核通过泽州县，数据已锁定；该单位以此为准的 1 份报表（下年同期的上年同期、本年以后各期的累计）已随之更新");
    await page.screenshot({ path: `${out}time-01-follow.png` });
    await page.goto(`${base()}/#/round/${THIS}/unit/zezhou`);
    // this year's report, still submitted, at the revision the approval wrote (the county's was 1)
    await page.waitForSelector('.review-screen p.state:has-text("已上报（第 2 版）")');
    expect(await page.textContent('.review-screen tr[data-indicator="brand_output_ly"] td.now')).toBe("80.00");
    expect(await page.textContent('.review-screen tr[data-indicator="brand_output_yoyp"] td.now')).toBe("50.0");
    await page.screenshot({ path: `${out}time-02-this-year.png` });
  });
});
