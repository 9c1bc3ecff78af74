// @vitest-environment jsdom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, buildFillPlan } from "@tianbao/shared";
import { downloadTotals, roundForTotals, submitActiveSheet } from "../src/commands/commands";
import { REQUEST_TIMEOUT_MS } from "../src/api/client";
import { pullIntoSheet } from "../src/excel/fill-sheet";
import { api, notice, onNotice } from "../src/flows/session";
import { REQUIRED_SETS, startupProblem } from "../src/startup";
import { createFakeHost, type FakeHost } from "./fake-office/office";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { ZEZHOU, json, signedIn, stubServer, submissionView } from "./helpers-api";

// The ribbon's functions, run as Office runs them: each gets an event and must call
// event.completed() exactly once on every path, or Office shows the button as busy for good.
// https://learn.microsoft.com/javascript/api/office/office.addincommands.event#office-office-addincommands-event-completed-member(1)
const realFetch = globalThis.fetch;
let host: FakeHost;
let notices: { text: string; kind: string }[] = [];
let stop: () => void;
const event = () => { const e = { completed: vi.fn() }; return e; };

beforeEach(() => {
  host = installFakeHost();
  notices = [];
  stop = onNotice((text, kind) => notices.push({ text, kind }));
});
afterEach(() => { stop(); globalThis.fetch = realFetch; api.token = null; api.user = null; });

describe("ribbon: 一键上报 (submitActiveSheet)", () => {
  it("signed out: says so, opens the pane, completes", async () => {
    const shown = vi.spyOn(host.Office.addin, "showAsTaskpane");
    const e = event();
    await submitActiveSheet(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices).toEqual([{ text: "请先在窗格中登录", kind: "error" }]);
    expect(shown).toHaveBeenCalled();
  });

  it("a sheet that is not a fill sheet: says so, completes", async () => {
    signedIn();
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.add("Sheet1").getRange("A1").values = [["hello"]]; await ctx.sync(); });
    const e = event();
    await submitActiveSheet(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.text).toContain("当前工作表不是填报表");
  });

  it("no sheet at all (Excel refuses the read): says nothing was submitted, completes", async () => {
    signedIn();
    const e = event();
    await submitActiveSheet(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.text).toContain("无法读取当前工作表，数据未上报");
  });

  it("a good sheet: submits, reports the revision, completes", async () => {
    signedIn();
    const c = compiled();
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit: { id: "zezhou", name: "泽州县" }, current: DEMO_PAST_VALUES.zezhou!, revision: 0 }), c));
    stubServer(() => json(submissionView({ revision: 1 })));
    const e = event();
    await submitActiveSheet(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]).toMatchObject({ kind: "ok" });
    expect(notices[0]!.text).toMatch(/^已上报（第 1 版） · /);
  });

  it("an unexpected failure inside the flow: a message, and still completes", async () => {
    signedIn();
    const c = compiled();
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit: { id: "zezhou", name: "泽州县" }, current: DEMO_PAST_VALUES.zezhou! }), c));
    stubServer(() => json(submissionView()));
    vi.spyOn(api, "submit").mockRejectedValueOnce(new Error("boom"));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const e = event();
    await submitActiveSheet(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.kind).toBe("error");
    // not "cannot reach the server; nothing was submitted": that would be a guess
    expect(notices[0]!.text).toContain("操作未完成");
    expect(notices[0]!.text).not.toContain("未上报");
  });
});

describe("ribbon: 下载汇总 (downloadTotals)", () => {
  it("signed out: says so, completes", async () => {
    const e = event();
    await downloadTotals(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.text).toBe("请先在窗格中登录");
  });

  it("a county reporter: only city users may, completes", async () => {
    signedIn(ZEZHOU);
    const round = { id: "r2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, templateName: BUILTIN_TEMPLATE.name, period: "2025", deadline: "2099-01-31T23:59:59+08:00", ownerUnitId: "jincheng", closed: false, expectedUnitIds: ["zezhou"] };
    stubServer((method, path) => (path === "/api/rounds" ? json([round]) : json({}, 404)));
    const e = event();
    await downloadTotals(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]).toEqual({ text: "只有市局用户可以下载汇总", kind: "error" });
  });

  it("means the open round being collected now, not the one with the latest deadline", () => {
    const r = (id: string, deadline: string, closed = false) => ({ id, deadline, closed, templateId: "t", templateVersion: 1, templateName: { zh: "t", en: "t" }, period: "2025", ownerUnitId: "jincheng", expectedUnitIds: [] });
    const now = new Date("2025-06-01T00:00:00Z");
    const rounds = [r("next_year", "2026-12-31T00:00:00Z"), r("now", "2025-07-01T00:00:00Z"), r("past", "2025-01-01T00:00:00Z", true)];
    expect(roundForTotals(rounds, now)?.id).toBe("now");
    expect(roundForTotals([rounds[2]!, r("older", "2024-01-01T00:00:00Z", true)], now)?.id).toBe("past");
    expect(roundForTotals([], now)).toBeNull();
  });

  it("a request that hangs is given up after a bounded time (so event.completed() always comes)", async () => {
    signedIn({ ...ZEZHOU, role: "admin" });
    let signal: AbortSignal | null | undefined;
    globalThis.fetch = ((_: RequestInfo | URL, init: RequestInit = {}) => { signal = init.signal; return Promise.reject(new DOMException("timed out", "TimeoutError")); }) as typeof fetch;
    const e = event();
    await downloadTotals(e);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.text).toContain("无法连接服务器");
  });

  it("the server unreachable: says so, completes", async () => {
    signedIn({ ...ZEZHOU, role: "admin" });
    globalThis.fetch = (() => Promise.reject(new TypeError("network"))) as typeof fetch;
    const e = event();
    await downloadTotals(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.text).toContain("无法连接服务器");
  });
});

describe("ribbon messages", () => {
  it("a message sent before the pane listens (the ribbon opens the pane) is shown when it mounts", () => {
    stop();
    notice("请先在窗格中登录", "error");
    const late: string[] = [];
    stop = onNotice((text) => late.push(text));
    expect(late).toEqual(["请先在窗格中登录"]);
  });
});

describe("start-up", () => {
  beforeAll(() => { document.body.innerHTML = '<div id="app"><p class="loading">正在加载…</p></div>'; });

  it("ribbon functions are registered at the top level of the function file, before Office.onReady resolves", async () => {
    const pending = createFakeHost({ ready: false });
    Object.assign(globalThis, { Excel: pending.Excel, Office: pending.Office });
    await import("../src/main");
    expect([...pending.actions.keys()]).toEqual(["submitActiveSheet", "downloadTotals"]);
    // a remembered sign-in is restored once Office has initialised (its key includes the partition
    // key), by Office.onReady or by the first ribbon click: session-storage.test.ts
    expect(api.token).toBeNull();
    expect((window as unknown as { tianbaoStarted?: boolean }).tianbaoStarted).toBe(true); // boot.js's sign that the module ran
  });

  it("says what is wrong outside Excel, or in an Excel without the required API sets", () => {
    expect(startupProblem(null, () => true)?.zh).toContain("请在 Excel 中打开本插件");
    const old = startupProblem("Excel", (name, v) => !(name === "ExcelApi" && v === "1.11"));
    expect(old?.zh).toContain("ExcelApi 1.11");
    expect(old?.zh).toContain("Excel 2021");
    expect(startupProblem("Excel", () => true)).toBeNull();
    expect(REQUIRED_SETS.map(([n]) => n)).toEqual(["ExcelApi", "SharedRuntime"]);
  });
});
