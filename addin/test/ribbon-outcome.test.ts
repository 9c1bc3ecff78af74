// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, buildFillPlan, buildTotalsPlan } from "@tianbao/shared";
import { submitActiveSheet } from "../src/commands/commands";
import { pullIntoSheet } from "../src/excel/fill-sheet";
import { api, onNotice } from "../src/flows/session";
import type { SubmitResult } from "../src/flows/submit";
import { downloadTotals as downloadTotalsFlow } from "../src/flows/totals";
import { mountPane } from "../src/taskpane/ui";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { ZEZHOU, json, signedIn, stubServer, submissionView } from "./helpers-api";

const ZEZHOU_CITY = { ...ZEZHOU, role: "admin" as const, unitId: "jincheng", unitName: { zh: "晋城市", en: "Jincheng" } };
import type { FakeHost } from "./fake-office/office";
import { AUTO_SHOW } from "../src/excel/auto-show";

// What a ribbon click shows, and where: a function command has no UI of its own, so its outcome
// must reach the pane, which the command opens (Office.addin.showAsTaskpane, SharedRuntime 1.1).
const realFetch = globalThis.fetch;
let host: FakeHost;
let notices: { text: string; kind: string; outcome?: SubmitResult }[];
let stop: () => void;
const c = compiled();
const pulled = () => ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit: { id: "zezhou", name: "泽州县" }, current: DEMO_PAST_VALUES.zezhou!, revision: 0 }), c));
const warningsAsked = () => json({ error: { code: "warnings_not_acknowledged", message: { zh: "有 1 条提示需要确认后才能上报", en: "1 warning must be confirmed" }, issues: [{ code: "jump", indicator: "products", severity: "warning", cell: "D14", message: { zh: "D14 工业产品总数（products）：比上期增加 60%", en: "jump" } }] } }, 409);

beforeEach(() => {
  host = installFakeHost();
  notices = [];
  stop = onNotice((text, kind, outcome) => notices.push({ text, kind, ...(outcome ? { outcome } : {}) }));
});
afterEach(() => { stop(); globalThis.fetch = realFetch; api.token = null; api.user = null; vi.useRealTimers(); });

describe("ribbon 一键上报 with the pane closed", () => {
  it("a successful submit opens the pane to show its result (not only a failure)", async () => {
    signedIn();
    await pulled();
    stubServer(() => json(submissionView({ revision: 1 })));
    const shown = vi.spyOn(host.Office.addin, "showAsTaskpane");
    await submitActiveSheet({ completed: vi.fn() });
    expect(notices[0]!.kind).toBe("ok");
    expect(shown).toHaveBeenCalledTimes(1);
  });

  it("Office refusing to show the pane: the command still completes and the message waits for the pane", async () => {
    host = installFakeHost({ showTaskpane: "fails" });
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const e = { completed: vi.fn() };
    await submitActiveSheet(e);
    expect(e.completed).toHaveBeenCalledTimes(1);
    expect(notices[0]!.text).toBe("请先在窗格中登录");
  });

  it("a submit that needs warnings confirmed hands the pane its issues and the confirm step", async () => {
    signedIn();
    await pulled();
    stubServer(() => warningsAsked());
    await submitActiveSheet({ completed: vi.fn() });
    expect(notices[0]!.outcome?.needsAcknowledgement).toBe(true);
    expect(notices[0]!.outcome?.acknowledge).toMatchObject({ acknowledgeWarnings: true });
  });

  it("the pane shows that outcome with a confirm button, and confirming submits with the warnings acknowledged", async () => {
    signedIn();
    await pulled();
    const sent: string[] = [];
    stubServer((method, path, init) => {
      if (path === "/api/rounds") return json([]);
      if (method === "PUT") { sent.push(String(init.body)); return sent.length === 1 ? warningsAsked() : json(submissionView({ revision: 1 })); }
      return json({}, 404);
    });
    stop();
    await submitActiveSheet({ completed: vi.fn() }); // the pane is not mounted yet: the outcome waits for it
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    mountPane(root);
    await vi.waitFor(() => expect(root.querySelector("#acknowledge")).not.toBeNull());
    expect(root.querySelector("ul.issues li.warning")?.textContent).toContain("工业产品总数");
    (root.querySelector("#acknowledge") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(JSON.parse(sent[1]!)).toMatchObject({ acknowledgeWarnings: true });
    stop = () => undefined;
  });
});

describe("older Mac webviews", () => {
  it("without AbortSignal.timeout (Safari before 16) a request still goes out, limited in time", async () => {
    host = installFakeHost({ webview: "safari15" });
    signedIn();
    let signal: AbortSignal | null | undefined;
    globalThis.fetch = ((_: RequestInfo | URL, init: RequestInit = {}) => { signal = init.signal; return Promise.resolve(json([])); }) as typeof fetch;
    const r = await api.rounds();
    expect(r.ok).toBe(true);
    expect(signal).toBeInstanceOf(AbortSignal);
  });
});

describe("the sheet's status line", () => {
  it("is in Beijing time, labelled, whatever the computer's time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2025-03-01T06:05:00Z")); // 14:05 in Beijing, 01:05 in New York
      signedIn();
      await pulled();
      stubServer(() => json(submissionView({ revision: 1 })));
      await submitActiveSheet({ completed: vi.fn() });
      expect(notices[0]!.text).toContain("2025-03-01 14:05 北京时间");
    } finally {
      process.env.TZ = zone;
    }
  });
});

describe("下载汇总's sheets", () => {
  it("are the Worker's aggregate workbook sheets, drawn as they come — its export note in Beijing time included, whatever the computer's time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      signedIn({ ...ZEZHOU_CITY });
      stubServer(() => json({}, 404));
      const totals = buildTotalsPlan(compiled(), { title: "晋城市 2025年 质量兴市工作年报", note: "含已上报和已审核数据；导出于 2025-03-01 14:05（北京时间）", columns: [], previous: null });
      const sheets = vi.spyOn(api, "totalsSheets").mockResolvedValue({ ok: true, status: 200, value: { title: "晋城市 2025年 质量兴市工作年报", sheets: [totals] } });
      const round = { id: "r2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, templateName: BUILTIN_TEMPLATE.name, period: "2025", deadline: "2099-01-31T23:59:59+08:00", ownerUnitId: "jincheng", closed: false, expectedUnitIds: [] };
      const r = await downloadTotalsFlow(round as never, "zh");
      expect(r.ok).toBe(true);
      expect(sheets).toHaveBeenCalledWith("r2025", expect.objectContaining({ basis: "standing" }));
      expect(host.state.sheets.map((s) => s.name)).toContain(totals.name);
      const note = host.state.sheets.find((s) => s.name === totals.name)!.cells.get("1,0")?.value;
      expect(String(note)).toContain("2025-03-01 14:05（北京时间）");
    } finally {
      process.env.TZ = zone;
    }
  });
});

describe("the pane's switch for opening it with this workbook (Office.AutoShowTaskpaneWithDocument)", () => {
  const mounted = async () => {
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    mountPane(root);
    await vi.waitFor(() => expect(root.querySelector("#auto-show")).not.toBeNull());
    return { root, box: root.querySelector("#auto-show") as HTMLInputElement };
  };
  const settings = () => host.Office.context.document.settings;

  it("shows the workbook's setting; unticking it saves false in the document, and a later pull does not turn it on again", async () => {
    signedIn();
    await pulled();
    expect(settings().saved.get(AUTO_SHOW)).toBe(true);
    stubServer((_m, path) => (path === "/api/rounds" ? json([]) : json({}, 404)));
    const { root, box } = await mounted();
    expect(box.checked).toBe(true);
    expect(box.closest("label")!.textContent).toBe("打开此工作簿时自动显示填报窗格");
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(settings().saved.get(AUTO_SHOW)).toBe(false));
    await vi.waitFor(() => expect(root.querySelector(".notice")!.textContent).toContain("不再自动显示"));
    expect(await pulled().then((r) => r.autoShow)).toBe(false);
    expect(settings().saved.get(AUTO_SHOW)).toBe(false);
    // and on again
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(settings().saved.get(AUTO_SHOW)).toBe(true));
  });

  it("a document whose settings cannot be saved: the box goes back and the pane says so", async () => {
    host = installFakeHost({ settingsSave: "fails" });
    signedIn();
    stubServer((_m, path) => (path === "/api/rounds" ? json([]) : json({}, 404)));
    const { root, box } = await mounted();
    expect(box.checked).toBe(false);
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(root.querySelector(".notice")!.textContent).toContain("未能保存此设置"));
    expect(box.checked).toBe(false);
    expect(settings().saved.has(AUTO_SHOW)).toBe(false);
  });
});

describe("a session that expires while the pane is open", () => {
  it("a 401 on any request signs the pane out and asks for a sign-in again", async () => {
    signedIn();
    let expired = false;
    stubServer((_m, path) => (expired ? json({ error: { code: "unauthenticated", message: { zh: "x", en: "x" } } }, 401) : path === "/api/rounds" ? json([]) : json({}, 404)));
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    mountPane(root);
    await vi.waitFor(() => expect(root.querySelector("#sign-out")).not.toBeNull());
    expired = true;
    await api.rounds();
    expect(api.token).toBeNull();
    expect(root.querySelector("#sign-in")).not.toBeNull();
    expect(root.querySelector(".notice")!.textContent).toContain("请重新登录");
  });
});
