import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import ExcelJS from "exceljs";
import { BUILTIN_TEMPLATE, DEMO_CHANGZHI_VALUES, cellValueOf, compileTemplate, fillIndex } from "@tianbao/shared";
import { haveChromium, launchChromium } from "./browser";
import { startServer, type Server } from "./server";

// Issue 22's "done when": the demo's province round p2025 finished from the screen alone by 长治市, 晋城市 and
// 山西省, in Chromium at 1366 and 1024 px. It needs the demo as seeded, so it runs its own server and database
// (the shared one is changed by the other browser tests).
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();
const P = '[data-round="p2025"]';
let server: Server;
let browser: Browser;
const base = () => server.baseUrl;
let page: Page;
const dialogs: string[] = [];
let previewText = "";
let noteSeen = false;

async function signIn(u: string): Promise<void> {
  await page.goto(`${base()}/#/`);
  if (await page.locator("#sign-out").isVisible().catch(() => false)) { await page.click("#sign-out"); }
  await page.waitForSelector("#username");
  await page.fill("#username", u);
  await page.fill("#password", "demo-password");
  await page.click("#sign-in");
  await page.waitForSelector("ul.rounds li");
}
const shot = async (name: string, width = 1366) => { await page.setViewportSize({ width, height: 900 }); await page.waitForTimeout(150); await page.screenshot({ path: `${out}province-round-${name}.png`, fullPage: true }); };

async function countyUploads(user: string, unit: string): Promise<void> {
  await signIn(user);
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(`${P} button.download`)]);
  const file = `${out}province-round-${unit}.xlsx`;
  await d.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0]!;
  const index = fillIndex(compiled);
  for (const [code, v] of Object.entries(DEMO_CHANGZHI_VALUES[unit]!)) ws.getCell(index.rowOf.get(code)! + 1, 4).value = cellValueOf(compiled.byCode.get(code)!, v as never) as ExcelJS.CellValue;
  await wb.xlsx.writeFile(file);
  await page.setInputFiles(`${P} input.file`, file);
  await page.waitForFunction((sel) => { const t = document.querySelector(`${sel} .state`)?.textContent ?? ""; return t.includes("已上报") || !!document.querySelector(`${sel} button.acknowledge`); }, P, { timeout: 20000 });
  if (await page.locator(`${P} button.acknowledge`).count()) await page.click(`${P} button.acknowledge`);
  await expect.poll(() => page.textContent(`${P} .state`), { timeout: 20000 }).toContain("已上报");
}

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  page = await browser.newPage({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", acceptDownloads: true });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(`${base()}/`);
}, 180_000);
afterAll(async () => { await browser?.close(); await server?.stop(); });

describe.skipIf(!haveChromium)("the province round p2025, finished from the screen alone by both cities and the province", () => {
  it("the province's home card counts as 待审核 what awaits the province (晋城市's 上报), not its cities' counties", async () => {
    await signIn("sheng");
    const progress = await page.textContent(`${P} .progress`);
    // seed: 晋城市 has submitted upward (1 awaits the province); 长治市's 2 submitted counties await 长治市, not 山西省
    expect(progress).toContain("待审核 1");
  });

  it("the province's 汇总表 marks the unapproved city, names cities in its columns and leads with names", async () => {
    await page.goto(`${base()}/#/round/p2025`);
    await page.waitForSelector(".downloads button.xlsx");
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(".downloads button.xlsx")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await d.path())!);
    const ws = wb.worksheets[0]!;
    const top: string[] = [];
    ws.eachRow((row, n) => { if (n <= 6) top.push(row.values ? (row.values as unknown[]).map((v) => String(v ?? "")).join("|") : ""); });
        expect(top.join("\n")).toContain("长治市");
    expect(top.join("\n")).toMatch(/未审核|未上报/);
    expect(d.suggestedFilename()).not.toMatch(/p2025/);
  });


  it("长治市's two missing units (沁源县, 长治市本级) download and upload on the web page", async () => {
    await countyUploads("qinyuan", "qinyuan");
    await shot("p01-qinyuan-uploaded", 1024);
    await countyUploads("czbenji", "changzhi_self");
  }, 90_000);

  it("长治市's reviewer approves each county in turn via 下一个待审核, without going back to the board", async () => {
    await signIn("czshenhe");
    await shot("p02-czshenhe-home");
    await page.click(`${P} a.board`);
    await page.waitForSelector('tr[data-level="changzhi"]');
    await shot("p03-czshenhe-board");
    await page.click('tr[data-unit="tunliu"] a.review-link');
    const approved: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.waitForSelector(".review-screen table.figures");
      const unit = await page.getAttribute(".review-screen", "data-unit");
      if (i === 0) await shot("p04-czshenhe-review-tunliu", 1024);
      await page.click(".review-screen button.approve");
      await page.click("button.approve-confirm");
      await expect.poll(() => page.textContent(".review-screen p.state")).toContain("已审核");
      approved.push(unit!);
      await page.waitForSelector("a.next-review, .none-left");
      if (await page.locator("a.next-review").count() === 0) break;
      await page.click("a.next-review");
      await page.waitForFunction((u) => document.querySelector(".review-screen")?.getAttribute("data-unit") !== u, unit);
    }
    await shot("p05-czshenhe-last-approved");
    expect(approved.sort()).toEqual(["changzhi_self", "qinyuan", "tunliu", "xiangyuan"]);
  }, 90_000);

  it("长治市 上报上级 previews the totals, takes a note, and sends", async () => {
    await page.goto(`${base()}/#/round/p2025`);
    await page.waitForSelector('tr[data-level="changzhi"] button.submit-up');
    expect(await page.textContent('tr[data-level="changzhi"] td.below')).toBe("5/5");
    await page.click('tr[data-level="changzhi"] button.submit-up');
    await page.waitForSelector("dialog.confirm-dialog table.level-preview");
    const preview = await page.textContent("dialog.confirm-dialog");
    previewText = preview ?? "";
    expect(preview).toContain("计入单位数：5");
    await page.fill("dialog.confirm-dialog textarea", "沁源县抽检批次偏高，已电话核实");
    await shot("p06-changzhi-submit-up-dialog", 1024);
    await page.click("dialog.confirm-dialog button.dialog-confirm");
    await expect.poll(() => page.textContent('tr[data-level="changzhi"] td.state')).toContain("已上报");
    await shot("p07-changzhi-submitted-up");
  }, 90_000);

  it("the 上报上级 preview shows 是/否 totals as n/m（%）, as the review screen does", () => {
    // the preview (board-actions.ts previewTable) prints bare "4/5"; the review screen prints "4/5（80.0%）"
    expect(previewText).toMatch(/\d+\/\d+（[\d.]+%）/);
  });

  it("the province approves both cities; the board is grouped by city with 所属市", async () => {
    await signIn("sheng");
    await page.waitForSelector("section.round-group");
    await shot("p09-sheng-home");
    const firstGroup = await page.locator("section.round-group h3").first().textContent();
    expect(firstGroup).toContain("山西省");
    await page.goto(`${base()}/#/round/p2025`);
    await page.waitForSelector("table.board.units tr.group");
    await shot("p10-sheng-board-1366");
    await shot("p10-sheng-board-1024", 1024);
    const groups = await page.locator("table.board.units tr.group .group-name").allTextContents();
    expect(groups).toEqual(["晋城市", "长治市"]);
    expect(await page.locator("#board-city option").allTextContents()).toEqual(["全部市", "晋城市", "长治市"]);
    for (const city of ["jincheng", "changzhi"]) {
      await page.goto(`${base()}/#/round/p2025/unit/${city}`);
      await page.waitForSelector(".review-screen button.approve");
      if (city === "changzhi") { noteSeen = (await page.textContent(".review-screen"))!.includes("沁源县抽检批次偏高"); await shot("p08b-sheng-review-changzhi-level", 1024); }
      await page.click(".review-screen button.approve");
      await page.click("button.approve-confirm");
      await expect.poll(() => page.textContent(".review-screen p.state")).toContain("已审核");
    }
    await page.goto(`${base()}/#/round/p2025`);
    await page.waitForSelector('tr[data-level="changzhi"]');
    await expect.poll(() => page.textContent('tr[data-level="changzhi"] td.state')).toContain("已审核");
    expect(await page.textContent('tr[data-level="jincheng"] td.state')).toContain("已审核");
    await shot("p11-sheng-all-approved");
  }, 90_000);

  it("the province's reviewer sees the note 长治市 wrote with its 上报上级 on the review screen", () => {
    // the API returns submitNote on the level's view; review.ts never draws it (only 操作记录 shows it)
    expect(noteSeen).toBe(true);
  });

  it("a county in two rounds sees two distinct cards, file names and sheet tabs", async () => {
    await signIn("zezhou");
    const titles = await page.locator("ul.rounds li .round-title").allTextContents();
    await shot("p12-zezhou-home", 1024);
    expect(new Set(titles).size).toBe(titles.length);
    const names: string[] = [];
    const tabs: string[] = [];
    for (const r of ["r2025", "p2025"]) {
      const [d] = await Promise.all([page.waitForEvent("download"), page.click(`[data-round="${r}"] button.download`)]);
      names.push(d.suggestedFilename());
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile((await d.path())!);
      tabs.push(wb.worksheets[0]!.name);
    }
        expect(names[0]).not.toBe(names[1]);
    expect(tabs[0]).not.toBe(tabs[1]);
    expect(names[1]).toContain("山西省");
  }, 90_000);
});
