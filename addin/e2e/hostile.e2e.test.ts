import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { haveChromium, launchChromium } from "./browser";
import { httpsFetch } from "./https";

const root = new URL("../../", import.meta.url).pathname;
const out = new URL("../../test-output/e2e/", import.meta.url).pathname;
const HOSTILE = `<img src=x onerror="window.__pwned=1">泽州"'&`;
let browser: Browser;

const call = async (token: string | null, method: string, path: string, body?: unknown) => {
  const r = await httpsFetch(`${inject("baseUrl")}/api${path}`, inject("caCert"), { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  let json: Record<string, unknown> | null = null;
  try { json = r.json() as Record<string, unknown>; } catch { /* not JSON */ }
  return { status: r.status, body: json };
};

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(out, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => { await browser?.close(); });

describe.skipIf(!haveChromium)("hostile names and comments", () => {
  it("are shown as text on the web page, never run", async () => {
    const admin = (await call(null, "POST", "/auth/login", { username: "admin", password: "demo-password" })).body!.token as string;
    expect((await call(admin, "POST", "/units", { id: "hostile", name: { zh: HOSTILE, en: HOSTILE }, level: "county", parentId: "jincheng" })).status).toBe(201);
    expect((await call(admin, "POST", "/users", { username: "hostile.user", displayName: HOSTILE, role: "reporter", unitId: "hostile", password: "demo-password" })).status).toBe(201);
    // a period no other browser test opens: a second round of one template and period may not expect the same unit
    expect((await call(admin, "POST", "/rounds", { id: "rhostile", templateId: "quality_city_annual", templateVersion: 1, period: "2031", deadline: "2099-01-01T00:00:00+08:00", expectedUnitIds: ["hostile"] })).status).toBe(201);
    const page = await browser.newPage({ ignoreHTTPSErrors: true, locale: "zh-CN" });
    let dialogs = 0;
    page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
    await page.goto(`${inject("baseUrl")}/`);
    await page.fill("#username", "hostile.user");
    await page.fill("#password", "demo-password");
    await page.click("#sign-in");
    await page.waitForSelector("ul.rounds li");
    expect(await page.textContent(".who")).toContain(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator(".who img").count()).toBe(0);
    await page.screenshot({ path: `${out}hostile-01-name.png` });
    expect(dialogs).toBe(0);
  });
});

describe("backup and restore", () => {
  // several wrangler processes over the database every browser test wrote: give it time beyond the default
  it("an exported local database, restored into a fresh one, has identical totals and revisions", { timeout: 300_000 }, () => {
    const npx = (args: string[], cwd = root) => {
      const r = spawnSync("npx", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(r.stderr || r.stdout);
      return r.stdout;
    };
    const dir = mkdtempSync(join(tmpdir(), "tianbao-restore-"));
    try {
      // `npm run backup` (wrangler d1 export, rewritten so that it restores whatever order migrations made the tables in)
      const backup = spawnSync("node", ["scripts/backup.mjs", "--output", join(dir, "backup.sql"), "--persist-to", inject("statePath")], { cwd: root, encoding: "utf8" });
      expect(backup.status, backup.stderr || backup.stdout).toBe(0);
      npx(["wrangler", "d1", "execute", "tianbao", "--local", "--persist-to", join(dir, "restored"), "--file", join(dir, "backup.sql")]);
      const query = (state: string, sql: string) => JSON.parse(npx(["wrangler", "d1", "execute", "tianbao", "--local", "--persist-to", state, "--json", "--command", sql]))[0].results;
      const totals = "SELECT round_id, unit_id, basis, key, value FROM totals ORDER BY round_id, unit_id, basis, key";
      const revisions = "SELECT round_id, unit_id, revision, indicator, value FROM revision_values ORDER BY 1, 2, 3, 4";
      const original = query(inject("statePath"), totals);
      expect(original.length).toBeGreaterThan(100);
      expect(query(join(dir, "restored"), totals)).toEqual(original);
      expect(query(join(dir, "restored"), revisions)).toEqual(query(inject("statePath"), revisions));
      // `npm run integrity` over the database every end-to-end test wrote, and over its restored copy
      for (const state of [inject("statePath"), join(dir, "restored")]) {
        const r = spawnSync("node", ["scripts/integrity.mjs", "--persist-to", state], { cwd: root, encoding: "utf8" });
        expect(r.stdout, r.stderr).toMatch(/integrity \(local database\): \d+ units, [1-9]\d* rounds, 0 problems/);
        expect(r.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
