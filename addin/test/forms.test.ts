// @vitest-environment jsdom
// Issue 23 in the add-in: a form's report is a cover and one protected sheet per table. The add-in
// pulls them all, keeps what was typed on each, checks and submits them as one report, and marks
// problems on their cells in any table — in a number of round trips that does not grow with the tables.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  BUILTIN_FORM_TEMPLATE, BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_YOY_TEMPLATE, TemplateSchema, buildFillPlan, buildFillPlans, cellAddress, fillBook, fillSheetNames,
  type CompiledTemplate, type Values,
} from "@tianbao/shared";
import { EDITED_MARK, resetEditWatch } from "../src/excel/edit-marks";
import { SheetWriteError } from "../src/excel/errors";
import { pullIntoSheet, pullIntoSheets, selectReportCell } from "../src/excel/fill-sheet";
import { submitActiveSheet as ribbonSubmit } from "../src/commands/commands";
import { api } from "../src/flows/session";
import { submitActiveSheet } from "../src/flows/submit";
import { pullTemplate } from "../src/flows/pull";
import { mountPane } from "../src/taskpane/ui";
import type { FakeHost, FakeHostOptions } from "./fake-office/office";
import { sheetGrid } from "./fake-office/state";
import { typeInto } from "./fake-office/typing";
import { gridForm, gridFormTemplate } from "./form-fixture";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

const form = compiled(BUILTIN_FORM_TEMPLATE);
const unit = { id: "zezhou", name: "泽州县" };
const input = (over: Partial<Parameters<typeof buildFillPlans>[1]> = {}) => ({ roundId: "r2033", period: "2033", unit, issuer: "晋城市", ...over });
const realFetch = globalThis.fetch;

let host: FakeHost;
const fresh = (o: FakeHostOptions = {}) => { host = installFakeHost(o); resetEditWatch(); return host; };
beforeEach(() => { fresh(); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; document.body.replaceChildren(); });
const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => ctxOf(host)(f);
const syncs = async (f: () => Promise<unknown>) => { const before = host.state.syncCount; await f(); return host.state.syncCount - before; };

/** Every typed grid figure 1 (其中 never above its whole), the built-in list's figures as Zezhou reported them. */
const figures = (c: CompiledTemplate): Values => ({
  ...(c.template.id === BUILTIN_FORM_TEMPLATE.id ? DEMO_PAST_VALUES.zezhou! : {}),
  ...Object.fromEntries([...c.gridCells.keys()].filter((k) => c.byCode.get(k)?.kind !== "derived").map((k) => [k, 1])),
});

const book = fillBook(form);
const names = fillSheetNames(book, input());
const sheetOf = (page: string) => host.state.sheets.find((s) => s.name === names.get(page))!;
const valueAt = (code: string) => cellAddress(book.value.get(code)!.row, book.value.get(code)!.col);
const noteAt = (code: string) => cellAddress(book.comment.get(code)!.row, book.comment.get(code)!.col);
const cellOf = (code: string, spots = book.value) => { const s = spots.get(code)!; return sheetOf(s.page).cells.get(`${s.row},${s.col}`); };
const metaOf = (page: string) => String(sheetOf(page).cells.get("1,0")!.value);
/** The official types into a cell of a page (Excel's grid, not Office.js). */
const typeOn = (page: string, address: string, text: string) => { host.state.activeSheet = names.get(page)!; typeInto(host.state, address, text); };
const pulled = (over: Partial<Parameters<typeof buildFillPlans>[1]> = {}) => run((ctx) => pullIntoSheets(ctx, buildFillPlans(form, input(over)), form));

describe("拉取模板 of a form: a cover and one protected sheet per table", () => {
  it("draws the cover and every table, protected, each naming its page in its metadata, the cover active", async () => {
    const r = await pulled({ current: figures(form), revision: 0 });
    expect(r).toMatchObject({ created: true, kept: [], printed: true });
    expect(host.state.sheets.map((s) => s.name)).toEqual(book.pages.map((p) => names.get(p.key)));
    expect(host.state.sheets.every((s) => s.protected)).toBe(true);
    expect(host.state.activeSheet).toBe(names.get("cover"));
    for (const p of book.pages) expect(metaOf(p.key)).toMatch(new RegExp(`round=r2033;unit=zezhou;.*page=${p.key}$`));
    expect(cellOf("lead_metal_firms")!.value).toBe(1);
    expect(cellOf("lead_metal_firms")!.locked).toBe(false);
    expect(cellOf("lead_total_firms")!.formula).toMatch(/SUM\(/); // the 合计 row: a live formula, closed
    expect(cellOf("lead_total_firms")!.locked).toBe(true);
    expect(cellOf("products")!.value).toBe(DEMO_PAST_VALUES.zezhou!.products);
    expect(host.state.sheets.every((s) => s.page.paperSize === "A4")).toBe(true);
  });

  it("keeps what the official typed on a list page, a grid page (a figure and its row's 说明) and the cover's signature block", async () => {
    await pulled({ current: figures(form), revision: 1 });
    typeOn("basic", valueAt("products"), "612");
    typeOn("lead", valueAt("lead_metal_firms"), "12");
    typeOn("lead", noteAt("lead_metal_firms"), "含新入规企业");
    const cover = buildFillPlans(form, input())[0]!;
    const sign = cover.cells.find((c) => c.style === "signInput" && c.value === null)!;
    typeOn("cover", cellAddress(sign.row, sign.col), "张三");
    const r = await pulled({ current: figures(form), revision: 2 });
    expect(r.created).toBe(false);
    expect([...r.kept].sort()).toEqual(["lead_metal_firms", "products"]);
    expect(cellOf("products")!.value).toBe(612);
    expect(cellOf("lead_metal_firms")!.value).toBe(12);
    expect(cellOf("lead_metal_firms", book.comment)!.value).toBe("含新入规企业");
    expect(sheetOf("cover").cells.get(`${sign.row},${sign.col}`)!.value).toBe("张三");
    expect(host.state.sheets).toHaveLength(book.pages.length);
    expect(metaOf("lead")).toContain("rev=2");
  });

  it("keeps a grid figure by its row and column codes even when the official inserted a row above it", async () => {
    await pulled({ current: figures(form) });
    typeOn("lead", valueAt("lead_build_out"), "7.5");
    // Review → Unprotect, insert a row above the grid: every figure moves down one row
    const lead = sheetOf("lead");
    lead.protected = false;
    const moved = new Map([...lead.cells].map(([k, v]) => { const [r, c] = k.split(",").map(Number) as [number, number]; return [`${r >= 5 ? r + 1 : r},${c}`, v]; }));
    lead.cells = moved;
    const r = await pulled({ current: figures(form) });
    expect(r.kept).toEqual(["lead_build_out"]);
    expect(cellOf("lead_build_out")!.value).toBe(7.5);
  });

  it("refuses, naming it, when a table's tab belongs to another round; nothing is drawn", async () => {
    await run((ctx) => pullIntoSheets(ctx, buildFillPlans(form, input({ roundId: "rOther" })), form));
    typeOn("lead", valueAt("lead_metal_firms"), "77");
    const r = await pulled();
    expect(r).toMatchObject({ taken: true, takenName: names.get("cover") });
    expect(cellOf("lead_metal_firms")!.value).toBe(77);
    expect(metaOf("lead")).toContain("round=rOther");
  });

  it("a refresh that fails part-way protects every page again and says so; what was typed stays", async () => {
    await pulled({ current: figures(form) });
    typeOn("basic", valueAt("products"), "612");
    const plans = buildFillPlans(form, input());
    const lead = plans.find((p) => p.name === names.get("lead"))!;
    lead.validations[0] = { ...lead.validations[0]!, type: "list", list: Array.from({ length: 60 }, (_, i) => `选项${i}`) }; // Excel refuses: over 255 characters
    const err = await run((ctx) => pullIntoSheets(ctx, plans, form)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SheetWriteError);
    expect((err as SheetWriteError).reprotected).toBe(true);
    expect((err as SheetWriteError).text.zh).toContain("工作表均已重新保护");
    expect(host.state.sheets.every((x) => x.protected)).toBe(true);
    expect(cellOf("products")!.value).toBe(612);
  });

  it("takes the same round trips for 3 tables as for 10: pull (new and refresh), check and submit", async () => {
    const counts: Record<number, number[]> = {};
    for (const n of [3, 10]) {
      fresh();
      const c = gridForm(n);
      const plans = () => buildFillPlans(c, { ...input(), current: figures(c), revision: 0 });
      const pull = await syncs(() => run((ctx) => pullIntoSheets(ctx, plans(), c)));
      const refresh = await syncs(() => run((ctx) => pullIntoSheets(ctx, plans(), c)));
      expect(host.state.sheets).toHaveLength(n + 1);
      signedIn();
      const sent: unknown[] = [];
      stubServer((method, _path, init) => { if (method === "PUT") sent.push(JSON.parse(String(init.body))); return json(submissionView({ revision: 1 })); }, [gridFormTemplate(n)]);
      const check = await syncs(() => submitActiveSheet("zh", { checkOnly: true }));
      const submit = await syncs(async () => expect((await submitActiveSheet("zh")).ok).toBe(true));
      expect(sent).toHaveLength(1);
      counts[n] = [pull, refresh, check, submit];
    }
    console.log(`form round trips (pull new, pull refresh, check, submit): 3 tables ${counts[3]!.join("/")}, 10 tables ${counts[10]!.join("/")}`);
    expect(counts[3]).toEqual(counts[10]);
    // list the sheets then read them all (refresh), write all, print; read the report (active, metadata, pages), protection, write
    // pull: list the sheets, their metadata cells (a renamed page is found by it), read those there, draw, print
    expect(counts[10]).toEqual([4, 5, 5, 5]);
  });
});

describe("the 拉取模板 button on a form", () => {
  const round = {
    id: "r2033", templateId: BUILTIN_FORM_TEMPLATE.id, templateVersion: 1, templateName: BUILTIN_FORM_TEMPLATE.name, period: "2033", deadline: "2099-01-01T00:00:00+08:00",
    ownerUnitId: "jincheng", ownerName: { zh: "晋城市", en: "Jincheng" }, closed: false, expectedUnitIds: ["zezhou"],
  };

  it("pulls the cover and every table, with the unit's figures, and says how many tables", async () => {
    signedIn();
    stubServer(() => json(submissionView({ roundId: "r2033", state: "returned", revision: 4, values: figures(form) })), [BUILTIN_FORM_TEMPLATE]);
    const r = await pullTemplate(round, [round], "zh");
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toContain("封面及 2 张表");
    expect(host.state.sheets.map((s) => s.name)).toEqual(book.pages.map((p) => names.get(p.key)));
    expect(cellOf("lead_build_out")!.value).toBe(1);
    for (const p of book.pages) {
      expect(metaOf(p.key)).toContain(";rev=4;");
      expect(String(sheetOf(p.key).cells.get("2,0")!.value)).toBe("已退回（第 4 版）");
    }
  });

  it("names the sheet in the way when a table's tab is someone else's", async () => {
    signedIn();
    stubServer(() => json(submissionView({ roundId: "r2033", state: "not_started", revision: 0 })), [BUILTIN_FORM_TEMPLATE]);
    await run(async (ctx) => { ctx.workbook.worksheets.add(names.get("lead")!).getRange("A1").values = [["别人的表"]]; await ctx.sync(); });
    const r = await pullTemplate(round, [round], "zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain(`未拉取。请先将该工作表重命名或删除，再拉取：${names.get("lead")}`);
    expect(host.state.sheets).toHaveLength(1);
  });
});

describe("校验 and 一键上报 of a form: one report, marks on the cells of any table", () => {
  beforeEach(() => { signedIn(); });

  it("check marks each problem on its own page and cell; a grid row's check cell joins its cells' messages", async () => {
    await pulled({ current: figures(form), revision: 1 });
    stubServer(() => json({}), [BUILTIN_FORM_TEMPLATE]);
    typeOn("lead", valueAt("lead_energy_firms"), "5");
    typeOn("lead", valueAt("lead_pv_firms"), "9"); // 其中：光伏 above 新能源
    typeOn("lead", valueAt("lead_pv_nostd"), "3"); // 无标产品数 above 产品数 (1), in the same row
    typeOn("basic", valueAt("products_no_std"), String(DEMO_PAST_VALUES.zezhou!.products as number + 1));
    host.state.activeSheet = names.get("cover")!;
    const r = await submitActiveSheet("zh", { checkOnly: true });
    expect(r.ok).toBe(false);
    expect(r.report).toEqual({ roundId: "r2033", unitId: "zezhou" });
    const byCode = new Map(r.issues.map((i) => [i.indicator, i]));
    expect(byCode.get("lead_pv_firms")).toMatchObject({ table: "lead", cell: valueAt("lead_pv_firms") });
    expect(byCode.get("lead_pv_firms")!.message.zh).toMatch(new RegExp(`^质兴2表 ${valueAt("lead_pv_firms")} `));
    expect(cellOf("lead_pv_firms")!.fill).toBe("#FDE7E9");
    expect(cellOf("lead_pv_nostd")!.fill).toBe("#FDE7E9");
    expect(cellOf("lead_metal_firms")!.fill).toBe("#FFF9E6");
    const pvCheck = String(cellOf("lead_pv_firms", book.check)!.value);
    expect(pvCheck.split("；").length).toBeGreaterThanOrEqual(2);
    expect(pvCheck).toContain(valueAt("lead_pv_firms"));
    expect(pvCheck).toContain(valueAt("lead_pv_nostd"));
    expect(cellOf("products_no_std")!.fill).toBe("#FDE7E9");
    expect(String(cellOf("products_no_std", book.check)!.value)).toContain("质兴1表");
    for (const p of book.pages) {
      expect(String(sheetOf(p.key).cells.get("2,0")!.value)).toMatch(/^校验未通过/);
      expect(sheetOf(p.key).protected).toBe(true);
    }
    // fixed and checked again: the marks go, on every page
    typeOn("lead", valueAt("lead_pv_firms"), "1");
    typeOn("lead", valueAt("lead_pv_nostd"), "1");
    typeOn("basic", valueAt("products_no_std"), "1");
    host.state.activeSheet = names.get("lead")!;
    const again = await submitActiveSheet("zh", { checkOnly: true });
    expect(again.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(cellOf("lead_pv_firms")!.fill).toBe("#FFF9E6");
    expect(cellOf("lead_pv_firms", book.check)!.value).toBe("");
    expect(cellOf("products_no_std", book.check)!.value).toBe("");
  });

  it("submit sends every table's figures in one request and writes the new revision into every page", async () => {
    await pulled({ current: figures(form), revision: 2 });
    typeOn("lead", valueAt("lead_build_out"), "7.5");
    typeOn("basic", valueAt("products"), "2600");
    const sent: { ifMatch: string | null; body: { values: Values; signature: unknown } }[] = [];
    stubServer((method, _path, init) => {
      if (method === "PUT") sent.push({ ifMatch: new Headers(init.headers).get("if-match"), body: JSON.parse(String(init.body)) });
      return json(submissionView({ roundId: "r2033", revision: 3 }));
    }, [BUILTIN_FORM_TEMPLATE]);
    host.state.activeSheet = names.get("lead")!;
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.ifMatch).toBe("\"2\"");
    expect(sent[0]!.body.values).toMatchObject({ products: 2600, lead_build_out: 7.5, lead_metal_firms: 1 });
    expect(Object.keys(sent[0]!.body.values)).toEqual(expect.arrayContaining(Object.keys(figures(form)))); // every table's
    for (const p of book.pages) {
      expect(metaOf(p.key)).toMatch(new RegExp(`;rev=3;page=${p.key}$`));
      expect(String(sheetOf(p.key).cells.get("2,0")!.value)).toMatch(/^已上报（第 3 版）/);
      expect(sheetOf(p.key).protected).toBe(true);
    }
  });

  it("a table's sheet deleted: nothing is sent, and the message names the missing table", async () => {
    await pulled({ current: figures(form), revision: 1 });
    let calls = 0;
    stubServer(() => { calls++; return json(submissionView({ revision: 2 })); }, [BUILTIN_FORM_TEMPLATE]);
    await run(async (ctx) => { ctx.workbook.worksheets.getItem(names.get("lead")!).delete(); await ctx.sync(); });
    host.state.activeSheet = names.get("cover")!;
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain("缺少「质兴2表」工作表");
    expect(calls).toBe(0);
  });

  it("a copy of a table's sheet (same round and unit) is refused naming both: it cannot tell which is meant", async () => {
    await pulled({ current: figures(form), revision: 1 });
    stubServer(() => json(submissionView({ revision: 2 })), [BUILTIN_FORM_TEMPLATE]);
    const lead = sheetOf("lead");
    host.state.sheets.push({ ...lead, name: "备份", id: "{copy}", cells: new Map(lead.cells) });
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain("「备份」");
  });

  it("an edit on a grid page after a submit marks its row's check cell 已修改，未上报 (ExcelApi 1.14)", async () => {
    fresh({ excelApi: "1.14" });
    signedIn();
    await pulled({ current: figures(form), revision: 1 });
    stubServer(() => json(submissionView({ revision: 2 })), [BUILTIN_FORM_TEMPLATE]);
    expect((await submitActiveSheet("zh")).ok).toBe(true);
    await host.settleEvents();
    typeOn("lead", valueAt("lead_optic_rev"), "3.5");
    typeOn("basic", noteAt("products"), "口径调整");
    await host.settleEvents();
    expect(cellOf("lead_optic_rev", book.check)!.value).toBe(EDITED_MARK);
    expect(cellOf("lead_optic_firms", book.check)!.value).toBe(EDITED_MARK); // the same row's check cell
    expect(cellOf("lead_metal_firms", book.check)!.value).toBe("");
    expect(cellOf("products", book.check)!.value).toBe(EDITED_MARK);
    expect(sheetOf("lead").protected).toBe(true);
  });
});

describe("an issue clicked in the pane goes to its cell on its table's sheet", () => {
  it("selectReportCell finds the page by its metadata, whatever its tab is called now", async () => {
    await pulled({ current: figures(form) });
    await run(async (ctx) => { ctx.workbook.worksheets.getItem(names.get("lead")!).name = "主导产业"; await ctx.sync(); });
    const found = await run((ctx) => selectReportCell(ctx, { roundId: "r2033", unitId: "zezhou" }, "lead", valueAt("lead_pv_firms")));
    expect(found).toBe(true);
    expect(host.state.activeSheet).toBe("主导产业");
    expect(host.state.sheets.find((s) => s.name === "主导产业")!.selected).toBe(valueAt("lead_pv_firms"));
    expect(await run((ctx) => selectReportCell(ctx, { roundId: "r2033", unitId: "zezhou" }, "nope", "A1"))).toBe(false);
  });

  it("from the pane's issue list (a ribbon submit's outcome)", async () => {
    signedIn();
    await pulled({ current: figures(form), revision: 1 });
    typeOn("lead", valueAt("lead_pv_firms"), "9");
    host.state.activeSheet = names.get("basic")!;
    stubServer((_m, path) => (path === "/api/rounds" ? json([]) : json({}, 404)), [BUILTIN_FORM_TEMPLATE]);
    await ribbonSubmit({ completed: vi.fn() }); // the pane is not mounted yet: the outcome waits for it
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    mountPane(root);
    await vi.waitFor(() => expect(root.querySelector("ul.issues li.error")).not.toBeNull());
    const item = [...root.querySelectorAll("ul.issues li")].find((li) => li.textContent?.startsWith(`质兴2表 ${valueAt("lead_pv_firms")}`)) as HTMLElement;
    item.click();
    await vi.waitFor(() => expect(host.state.activeSheet).toBe(names.get("lead")));
    expect(sheetOf("lead").selected).toBe(valueAt("lead_pv_firms"));
  });
});

describe("a template without a form is still one sheet, with the round trips it always took", () => {
  it("pull 3 (new and refresh), check 3, submit 3", async () => {
    const c = compiled(BUILTIN_TEMPLATE);
    const plan = () => buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision: 1 });
    expect(buildFillPlans(c, { roundId: "r2025", period: "2025", unit })).toHaveLength(1);
    const pull = await syncs(() => run((ctx) => pullIntoSheet(ctx, plan(), c)));
    const refresh = await syncs(() => run((ctx) => pullIntoSheet(ctx, plan(), c)));
    signedIn();
    stubServer(() => json(submissionView({ revision: 2 })));
    const check = await syncs(() => submitActiveSheet("zh", { checkOnly: true }));
    const submit = await syncs(async () => expect((await submitActiveSheet("zh")).ok).toBe(true));
    console.log(`one-sheet round trips (pull new, pull refresh, check, submit): ${[pull, refresh, check, submit].join("/")}`);
    expect([pull, refresh, check, submit]).toEqual([3, 3, 3, 3]);
    expect(host.state.sheets).toHaveLength(1);
    expect(sheetGrid(host.state.sheets[0]!)[1]![0]).not.toContain("page=");
  });
});


describe("上年同期 on a new report's sheets (issue 24)", () => {
  const yoy = compiled(DEMO_YOY_TEMPLATE);
  const round = (id: string, period: string) => ({
    id, templateId: DEMO_YOY_TEMPLATE.id, templateVersion: 1, templateName: DEMO_YOY_TEMPLATE.name, period, deadline: "2099-01-01T00:00:00+08:00",
    ownerUnitId: "jincheng", ownerName: { zh: "晋城市", en: "Jincheng" }, closed: false, expectedUnitIds: ["zezhou"],
  });
  const lyCell = (code: string) => {
    const spot = fillBook(yoy).value.get(code)!;
    const sheet = host.state.sheets.find((s) => String(s.cells.get("1,0")?.value ?? "").includes(`;page=${spot.page}`))!;
    return sheet.cells.get(`${spot.row},${spot.col}`)?.value ?? null;
  };

  it("are last year's approved figures, as the Worker's download has them; a report not yet approved gives none", async () => {
    for (const [state, expected] of [["approved", 123.45], ["submitted", ""]] as const) {
      fresh();
      signedIn();
      stubServer((_m, path) => json(submissionView(path.includes("rly2024")
        ? { roundId: "rly2024", state, revision: 1, values: { brand_output: "123.45" } }
        : { roundId: "rly2025", state: "not_started", revision: 0 })), [DEMO_YOY_TEMPLATE]);
      const r = await pullTemplate(round("rly2025", "2025"), [round("rly2024", "2024"), round("rly2025", "2025")], "zh");
      expect(r.ok, r.message).toBe(true);
      expect(lyCell("brand_output_ly")).toBe(expected);
      expect(lyCell("brand_output")).toBe(""); // this year's figure is the unit's to type
    }
  });
});

describe("a grid with 同比 on a new report's sheets (issue 24)", () => {
  const t = (zh: string, en: string) => ({ zh, en });
  const GRID_YOY = TemplateSchema.parse({
    id: "gridyoy", version: 1, status: "published", name: t("分行业产值（同比）", "Output by industry, year on year"), periodType: "annual",
    sections: [{ code: "s", name: t("基本", "Basics") }],
    indicators: [{ code: "firms", section: "s", kind: "count", name: t("企业数", "Firms") }],
    form: { tables: [
      { kind: "list", code: "l", formNo: "同1表", name: t("基本情况", "Basics"), sections: ["s"] },
      { kind: "grid", code: "g", formNo: "同2表", name: t("分行业产值", "Output by industry"), required: false, yoy: true,
        rows: [{ code: "t", name: t("合计", "Total"), role: "total" }, { code: "a", name: t("制造业", "Manufacturing") }, { code: "b", name: t("建筑业", "Construction") }],
        columns: [{ code: "out", name: t("产值", "Output"), kind: "amount", unit: "万元", decimals: 1 }] },
    ] },
  });
  const gy = compiled(GRID_YOY);
  const round = (id: string, period: string) => ({
    id, templateId: GRID_YOY.id, templateVersion: 1, templateName: GRID_YOY.name, period, deadline: "2099-01-01T00:00:00+08:00",
    ownerUnitId: "jincheng", ownerName: { zh: "晋城市", en: "Jincheng" }, closed: false, expectedUnitIds: ["zezhou"],
  });
  const cellAt = (code: string) => {
    const spot = fillBook(gy).value.get(code)!;
    const sheet = host.state.sheets.find((s) => String(s.cells.get("1,0")?.value ?? "").includes(`;page=${spot.page}`))!;
    return sheet.cells.get(`${spot.row},${spot.col}`);
  };

  it("draws 本期 | 上年同期 | 同比增长 for each column: last year's approved figures in the 上年同期 cells, the 同比 and 合计 as formulas", async () => {
    signedIn();
    stubServer((_m, path) => json(submissionView(path.includes("rgy2024")
      ? { roundId: "rgy2024", state: "approved", revision: 1, values: { g_a_out: "100.0", g_b_out: "50.0" } }
      : { roundId: "rgy2025", state: "not_started", revision: 0 })), [GRID_YOY]);
    const r = await pullTemplate(round("rgy2025", "2025"), [round("rgy2024", "2024"), round("rgy2025", "2025")], "zh");
    expect(r.ok, r.message).toBe(true);
    expect(cellAt("g_a_out_ly")?.value).toBe(100);
    expect(cellAt("g_b_out_ly")?.value).toBe(50);
    expect(cellAt("g_a_out")?.value ?? "").toBe("");
    expect(String(cellAt("g_a_out_yp")?.formula ?? "")).toMatch(/ABS/);
    expect(String(cellAt("g_t_out_ly")?.formula ?? "")).toMatch(/SUM/);
    // the figures the county types are unlocked, the 同比 and 合计 cells locked
    expect(cellAt("g_a_out")?.locked).toBe(false);
    expect(cellAt("g_a_out_yp")?.locked).not.toBe(false);
  });

  it("with 本年累计 too, a month's sheets are read and sent as typed: figures, 上年同期 and 累计 cells, never a 合计 or a 同比", async () => {
    const MONTHLY = TemplateSchema.parse({ ...GRID_YOY, id: "gridytd", periodType: "month",
      form: { tables: GRID_YOY.form!.tables.map((x) => (x.kind === "grid" ? { ...x, ytd: true } : x)) } });
    const m = compiled(MONTHLY);
    const input2 = { roundId: "rgm2025_02", period: "2025-02", unit, issuer: "晋城市" };
    await run((ctx) => pullIntoSheets(ctx, buildFillPlans(m, { ...input2, current: { g_a_out: "12.0", g_a_out_ly: "10.0", g_a_out_ytd: "22.0", g_b_out: "3.0" }, revision: 0 }), m));
    signedIn();
    const sent: { values: Record<string, unknown> }[] = [];
    stubServer((method, _path, init) => { if (method === "PUT") sent.push(JSON.parse(String(init.body))); return json(submissionView({ revision: 1 })); }, [MONTHLY]);
    expect((await submitActiveSheet("zh")).ok).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.values).toMatchObject({ g_a_out: 12, g_a_out_ly: 10, g_a_out_ytd: 22, g_b_out: 3 });
    // computed cells (合计, 同比增长, the 合计's 累计) are the workbook's to show, never sent
    for (const code of ["g_t_out", "g_a_out_yp", "g_t_out_ytd", "g_t_out_ly"]) expect(Object.hasOwn(sent[0]!.values, code), code).toBe(false);
  });
});
