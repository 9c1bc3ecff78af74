import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";

// The web page's session as officials use browsers: it survives a refresh and a second tab, ends in
// every tab at once on sign-out, and deadlines are shown in Beijing time.
if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the session end-to-end test cannot run.`);
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!haveChromium) return;
  browser = await launchChromium();
  context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "zh-CN", timezoneId: "Europe/London" });
});
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("the web page's session", () => {
  it("survives a refresh and a second tab, and ends in both on sign-out", async () => {
    const one = await context.newPage();
    await one.goto(`${inject("baseUrl")}/`);
    await one.fill("#username", "chakan");
    await one.fill("#password", "demo-password");
    await one.click("#sign-in");
    await one.waitForSelector(".who");
    // deadlines in Beijing time, whatever the computer's own time zone (this browser is in London)
    expect(await one.textContent('[data-round="r2025"] .due')).toContain("2027/1/31 23:59（北京时间）");
    await one.reload();
    await one.waitForSelector(".who");
    expect(await one.locator("#username").count()).toBe(0);
    const two = await context.newPage();
    await two.goto(`${inject("baseUrl")}/`);
    await two.waitForSelector(".who");
    await two.click("#sign-out");
    await two.waitForSelector("#username");
    await one.waitForSelector("#username");
    expect(await one.textContent(".notice")).toContain("请重新登录");
    await one.reload();
    await one.waitForSelector("#username"); // signed out for good
  });

  it("a browser that refuses storage still signs in and lists the rounds (the session then lasts as long as the tab)", async () => {
    const refusing = await browser.newContext({ ignoreHTTPSErrors: true, locale: "zh-CN" });
    // as Chrome does when site data is blocked: reading window.localStorage throws
    await refusing.addInitScript(() => {
      Object.defineProperty(window, "localStorage", { get() { throw new DOMException("Access is denied for this document.", "SecurityError"); } });
    });
    const page = await refusing.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${inject("baseUrl")}/`);
    await page.fill("#username", "chakan");
    await page.fill("#password", "demo-password");
    await page.click("#sign-in");
    await page.waitForSelector('[data-round="r2025"]');
    await page.click("#lang");
    await page.waitForSelector("#lang");
    expect(await page.textContent("#lang")).toBe("中文");
    expect(errors).toEqual([]);
    await refusing.close();
  });
});
