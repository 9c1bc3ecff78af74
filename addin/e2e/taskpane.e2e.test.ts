import { mkdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, haveChromium, launchChromium } from "./browser";
import { httpsFetch } from "./https";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, cellValueOf, compileTemplate, fillIndex, type CellValue } from "@tianbao/shared";

if (!haveChromium) console.warn(`SKIPPED: no Chromium at ${CHROMIUM} (scripts/setup-system.sh installs Debian's chromium as root); the task pane end-to-end test cannot run.`);

const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const fakeOffice = () => readFileSync(new URL("../../test-output/fake-office.js", import.meta.url), "utf8");
const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();

let browser: Browser;
let page: Page;
const base = () => inject("baseUrl");
/** The development manifest's SourceLocation (https://localhost:8787/…), on this run's port. */
const sourceLocation = /<SourceLocation DefaultValue="([^"]+)"\/>/.exec(readFileSync(new URL("../../manifest.xml", import.meta.url), "utf8"))![1]!;
const sourcePath = new URL(sourceLocation).pathname;
/** Things that must never happen on the pane: a modal dialog (Office forbids them), a CSP violation. */
const dialogs: string[] = [];
const cspViolations: string[] = [];

/**
 * The pane as Office loads it, at the manifest's SourceLocation (/taskpane) over HTTPS, with
 * office.js served by the in-memory fake — or, with `office: "unreachable"`, not at all.
 */
async function openPane(options: { office?: "fake" | "unreachable"; query?: string } = {}): Promise<Page> {
  const p = await browser.newPage({ ignoreHTTPSErrors: true, viewport: { width: 400, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  await p.route("https://appsforoffice.microsoft.com/**", (route) => (options.office === "unreachable" ? route.abort("addressunreachable") : route.fulfill({ body: fakeOffice(), contentType: "application/javascript" })));
  p.on("pageerror", (e) => console.error("page error:", e.message));
  p.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  p.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  const res = await p.goto(`${base()}${sourcePath}${options.query ?? ""}`);
  expect(sourceLocation).toMatch(/^https:\/\/localhost:8787\//);
  expect(res?.status()).toBe(200); // the manifest's SourceLocation answers 200 over HTTPS, no redirect
  return p;
}

async function signIn(p: Page, username: string): Promise<void> {
  await p.fill("#username", username);
  await p.fill("#password", "demo-password");
  await p.click("#sign-in");
  await p.waitForSelector("ul.rounds li");
}

/** What an official does at the keyboard: types into the sheet's unlocked value cells. */
async function typeValues(p: Page, values: Record<string, unknown>): Promise<void> {
  const index = fillIndex(compiled);
  const edits: [number, number, CellValue][] = Object.entries(values).map(([code, v]) => [index.rowOf.get(code)!, 3, cellValueOf(compiled.byCode.get(code)!, v as never)]);
  const refused = await p.evaluate((list) => {
    const host = (window as unknown as { __fakeHost: { state: { activeSheet: string; sheets: { name: string; cells: Map<string, { value: unknown; locked: boolean }> }[] } } }).__fakeHost;
    const sheet = host.state.sheets.find((s) => s.name === host.state.activeSheet)!;
    const bad: string[] = [];
    for (const [r, c, v] of list) {
      const cell = sheet.cells.get(`${r},${c}`)!;
      if (cell.locked) bad.push(`${r},${c}`);
      else cell.value = v ?? "";
    }
    return bad;
  }, edits);
  expect(refused).toEqual([]); // the official can type only where the sheet allows it
}

const sheetCells = (p: Page, name: string) => p.evaluate((n) => {
  const w = window as unknown as { __fakeHost: { state: { sheets: { name: string; charts: unknown[] }[] } }; __sheetGrid: (s: unknown, f: boolean) => unknown[][] };
  const s = w.__fakeHost.state.sheets.find((x) => x.name.startsWith(n));
  return s ? { name: s.name, grid: w.__sheetGrid(s, true), charts: s.charts.length } : null;
}, name);

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  expect(dialogs).toEqual([]);
  expect(cspViolations).toEqual([]);
});

describe.skipIf(!haveChromium)("the task pane in headless Chromium against the real Worker", () => {
  it("a county signs in, pulls the template, types, fixes what the check marks, submits and sees the status", async () => {
    page = await openPane();
    await page.screenshot({ path: `${out}01-sign-in.png` });
    await signIn(page, "zezhou");
    await expect.poll(() => page.textContent('[data-round="r2025"] .state')).toBe("未上报");
    // named by its issuer, as the web page names it: the county is in its city's and its province's round
    expect(await page.textContent('[data-round="r2025"] .round-title')).toBe("晋城市 2025年 质量兴市工作年报");
    expect(await page.textContent('[data-round="p2025"] .round-title')).toBe("山西省 2025年 质量兴市工作年报");
    await page.screenshot({ path: `${out}02-rounds.png` });

    await page.click('[data-round="r2025"] button.pull');
    await page.waitForSelector(".notice.ok");
    const pulled = await sheetCells(page, "晋城市2025年-泽州县");
    expect(pulled?.grid[1]?.[0]).toContain("round=r2025");

    const figures = { ...DEMO_PAST_VALUES.zezhou!, products: 520, products_no_std: 600 };
    await typeValues(page, figures);
    await page.click('[data-round="r2025"] button.submit');
    await page.waitForSelector("ul.issues li.error");
    const issues = await page.locator("ul.issues li.error").allTextContents();
    expect(issues).toContainEqual(expect.stringMatching(/^D\d+ 无标生产产品数（products_no_std）：无标生产产品数不能大于工业产品总数$/));
    expect(issues).toContainEqual(expect.stringMatching(/^D\d+ 标准覆盖率（std_coverage_rate）：计算结果 -15\.38 小于 0/));
    await page.screenshot({ path: `${out}03-check-marks.png` });
    const marked = await sheetCells(page, "晋城市2025年-泽州县");
    const row = fillIndex(compiled).rowOf.get("products_no_std")!;
    expect(marked!.grid[row]![6]).toContain("不能大于");
    expect(marked!.grid[row]![3]).toBe(600); // the figure stays as typed

    await typeValues(page, { products_no_std: 65 });
    await page.click('[data-round="r2025"] button.submit');
    await page.waitForSelector(".notice.ok");
    expect(await page.textContent(".notice")).toContain("已上报（第 1 版）");
    await expect.poll(() => page.textContent('[data-round="r2025"] .state')).toBe("已上报（第 1 版）");
    await page.screenshot({ path: `${out}04-submitted.png` });
    const after = await sheetCells(page, "晋城市2025年-泽州县");
    expect(after!.grid[2]![0]).toContain("已上报（第 1 版）");
    expect(after!.grid[1]![0]).toContain("rev=1");

    // The D1 state, read through the API as another client would.
    const login = await httpsFetch(`${base()}/api/auth/login`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "zezhou", password: "demo-password" }) });
    const { token } = login.json() as { token: string };
    const stored = (await httpsFetch(`${base()}/api/rounds/r2025/submissions/zezhou`, inject("caCert"), { headers: { authorization: `Bearer ${token}` } })).json() as { revision: number; values: Record<string, unknown>; derived: Record<string, unknown> };
    expect(stored.revision).toBe(1);
    expect(stored.values.products).toBe(520);
    expect(stored.values.plan_issued).toBe(true);
    expect(stored.derived.std_coverage_rate).toBe("87.50");

    // Submitting the same sheet again is a new revision from r1, not a lost update.
    await page.click('[data-round="r2025"] button.submit');
    await page.waitForSelector(".notice.ok");
    expect(await page.textContent(".notice")).toContain("第 2 版");
  });

  it("the city sees the board, returns nothing by accident, and downloads totals into new sheets with live formulas and a chart", async () => {
    await page.click("#sign-out");
    await page.waitForSelector("#username");
    await signIn(page, "admin");
    await page.click('[data-round="r2025"] button.board');
    await page.waitForSelector("table.board tr");
    expect(await page.textContent("p.summary")).toMatch(/^应报 7 · 已报 [12] · /); // the web page test may have added one
    expect(await page.textContent('tr[data-unit="zezhou"] td.state')).toContain("已上报（第 2 版）");
    await page.screenshot({ path: `${out}05-board.png` });

    await page.click('[data-round="r2024"] button.totals');
    await page.waitForSelector(".notice.ok");
    // the aggregate workbook's own sheets, as the downloaded file has them (the Worker lays them out)
    const totals = await sheetCells(page, "汇总-晋城市 2024年 质量兴市工作年报");
    expect(totals).not.toBeNull();
    const flat = totals!.grid.flat().map(String);
    expect(flat.some((f) => /^=IF\(COUNT\([A-Z]+\d+:[A-Z]+\d+\)=0,"",SUM\([A-Z]+\d+:[A-Z]+\d+\)\)$/.test(f))).toBe(true); // one column per unit (other tests may add units)
    expect(totals!.charts).toBe(1);
    expect(flat.some((f) => /已审核|已上报/.test(f))).toBe(true); // each unit's column marked with where it stands
    const completeness = await sheetCells(page, "完成情况-晋城市 2024年 填报完成情况");
    expect(completeness!.grid[1]).toContain(7);
    expect(await sheetCells(page, "说明")).not.toBeNull();
    await page.screenshot({ path: `${out}06-totals-downloaded.png` });
  });

  it("the city returns a report with a comment typed inline (no dialog); the county sees it in the pane and on the sheet, resubmits and the pane shows the new state", async () => {
    await page.click('[data-round="r2025"] button.board');
    await page.waitForSelector('tr[data-unit="zezhou"] button.return');
    await page.click('tr[data-unit="zezhou"] button.return');
    await page.waitForSelector('tr[data-unit="zezhou"] textarea.return-comment');
    await page.click('tr[data-unit="zezhou"] button.return-confirm'); // empty: refused on the spot
    expect(await page.textContent('tr[data-unit="zezhou"] .field-error')).toBe("请填写退回意见");
    await page.fill('tr[data-unit="zezhou"] textarea.return-comment', "无标产品数请核实");
    await page.screenshot({ path: `${out}07-return-comment.png` });
    await page.click('tr[data-unit="zezhou"] button.return-confirm');
    await expect.poll(() => page.textContent('tr[data-unit="zezhou"] td.state')).toContain("已退回（第 2 版）");
    expect(await page.textContent(".notice")).toContain("泽州县 ↩");

    await page.click("#sign-out");
    await page.waitForSelector("#username");
    await signIn(page, "zezhou");
    await expect.poll(() => page.textContent('[data-round="r2025"] .state')).toBe("已退回（第 2 版）");
    expect(await page.textContent('[data-round="r2025"] .review')).toBe("市局意见：无标产品数请核实");
    await page.click('[data-round="r2025"] button.pull');
    await page.waitForSelector(".notice.ok");
    const sheet = await sheetCells(page, "晋城市2025年-泽州县");
    expect(sheet!.grid[2]![0]).toBe("已退回（第 2 版）：无标产品数请核实");
    await page.click('[data-round="r2025"] button.submit');
    await page.waitForSelector(".notice.ok");
    expect(await page.textContent(".notice")).toContain("已上报（第 3 版）");
    await expect.poll(() => page.textContent('[data-round="r2025"] .state')).toBe("已上报（第 3 版）");
    expect(await page.locator('[data-round="r2025"] .review').count()).toBe(0);
    await page.screenshot({ path: `${out}08-resubmitted.png` });

    // a return with a note on one indicator (left on the web desk): the pane shows it by the indicator's name
    const city = (await httpsFetch(`${base()}/api/auth/login`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "shenhe", password: "demo-password" }) })).json() as { token: string };
    const returned = await httpsFetch(`${base()}/api/rounds/r2025/submissions/zezhou/return`, inject("caCert"), { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${city.token}` }, body: JSON.stringify({ comment: "请补充说明", indicatorComments: { products: "与上年相比减少较多" } }) });
    expect(returned.status).toBe(200);
    await page.click("#sign-out");
    await page.waitForSelector("#username");
    await signIn(page, "zezhou");
    await page.waitForSelector('[data-round="r2025"] .indicator-comments li[data-indicator="products"]');
    expect(await page.textContent('[data-round="r2025"] .indicator-comments li[data-indicator="products"]')).toBe("工业产品总数：与上年相比减少较多");
    expect(await page.textContent('[data-round="r2025"] .days-left')).toMatch(/^(还剩 \d+ 天|今天截止)$/);
    await page.screenshot({ path: `${out}08b-indicator-note.png` });
  });
});

describe.skipIf(!haveChromium)("a browser that refuses storage (third-party storage blocked in Excel on the web)", () => {
  it("says the sign-in will not be remembered, signs in with 记住我 ticked, lists the rounds, and signs out", async () => {
    const p = await openPane({ query: "?storage=refused&partitionKey=pk-e2e" });
    await p.waitForSelector("#storage-refused");
    expect(await p.textContent("#storage-refused")).toContain("登录状态不会被记住");
    await p.check("#remember");
    await signIn(p, "zezhou");
    expect(await p.textContent(".notice")).toContain("登录状态不会被记住");
    expect(await p.locator("ul.rounds li").count()).toBeGreaterThan(0);
    await p.click("#sign-out");
    await p.waitForSelector("#sign-in");
    await p.close();
  });

  it("with storage allowed, 记住我 keeps the sign-in under Office's partition key across a reload", async () => {
    const p = await openPane({ query: "?partitionKey=pk-e2e" });
    await p.check("#remember");
    await signIn(p, "zezhou");
    expect(await p.evaluate(() => Object.keys(localStorage))).toContain("pk-e2etianbao.session");
    await p.reload();
    await p.waitForSelector("ul.rounds li");
    await p.click("#sign-out");
    await p.waitForSelector("#sign-in");
    expect(await p.evaluate(() => Object.keys(localStorage))).not.toContain("pk-e2etianbao.session");
    await p.close();
  });
});

describe("security headers of the pages", () => {
  const csp = async (path: string) => (await httpsFetch(`${base()}${path}`, inject("caCert"))).headers;
  it("the pane may be framed only by Office on the web; the web page and other files by nobody", async () => {
    const pane = await csp(sourcePath);
    const paneCsp = String(pane["content-security-policy"]);
    expect(paneCsp).toMatch(/frame-ancestors 'self' https:\/\/\*\.office\.com https:\/\/\*\.officeapps\.live\.com /);
    expect(paneCsp).toContain("script-src 'self' https://appsforoffice.microsoft.com");
    expect(paneCsp).not.toMatch(/frame-ancestors[^;]*(\*\s|\*$|'none')/); // no wildcard host, not unframable
    expect(pane["x-frame-options"]).toBeUndefined(); // it would forbid Office's frame
    for (const path of ["/", "/app.js", "/manifest.xml"]) {
      const h = await csp(path);
      expect(String(h["content-security-policy"]), path).toContain("frame-ancestors 'none'");
      expect(h["x-frame-options"], path).toBe("DENY");
    }
    expect((await httpsFetch(`${base()}/_headers`, inject("caCert"))).status).toBe(404); // the rules themselves are not served
  });
});

describe.skipIf(!haveChromium)("when the pane cannot start, it says why (never an endless 正在加载…)", () => {
  it("office.js unreachable (a government intranet): a clear message in Chinese with a link to the web page", async () => {
    const p = await openPane({ office: "unreachable" });
    await p.waitForSelector(".startup-error");
    expect(await p.textContent(".startup-error p")).toContain("无法加载 Office 组件（office.js）");
    expect(await p.getAttribute(".startup-error a", "href")).toBe("/");
    expect(await p.locator(".loading").count()).toBe(0);
    await p.screenshot({ path: `${out}09-no-office.png` });
    await p.close();
  });

  it("opened in a browser tab instead of Excel", async () => {
    const p = await openPane({ query: "?host=none" });
    await p.waitForSelector(".startup-error");
    expect(await p.textContent(".startup-error p")).toContain("请在 Excel 中打开本插件");
    await p.close();
  });

  it("an Excel without the required API sets names what is missing and the supported versions", async () => {
    const p = await openPane({ query: "?excelApi=1.9" });
    await p.waitForSelector(".startup-error");
    const text = await p.textContent(".startup-error p");
    expect(text).toContain("ExcelApi 1.11");
    expect(text).toContain("Excel 2021");
    await p.close();
  });
});
