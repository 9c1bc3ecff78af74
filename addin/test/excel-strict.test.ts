import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_PAST_VALUES, FILL_COLUMNS, buildFillPlan, buildTotalsPlan, cellAddress, fillIndex } from "@tianbao/shared";
import { drawPreview } from "../src/excel/designer-sheets";
import { AUTO_SHOW } from "../src/excel/auto-show";
import { EDITED_MARK, resetEditWatch } from "../src/excel/edit-marks";
import { pullIntoSheet, readActiveSheet, writeOutcome } from "../src/excel/fill-sheet";
import { writeTotalsSheets } from "../src/excel/totals-sheets";
import { submitActiveSheet } from "../src/flows/submit";
import { api } from "../src/flows/session";
import type { FakeHost, FakeHostOptions } from "./fake-office/office";
import { compiled, ctxOf, installFakeHost, syntheticTemplate } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";
import { typeInto } from "./fake-office/typing";

// Issue 26, "the fake gets stricter": each rule of the fake (with its source in excel-rules.ts,
// proxies.ts, range.ts, input.ts, events.ts, settings.ts), and the add-in against it.
const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const plan = (revision = 0) => buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision });
const rowOf = (code: string) => fillIndex(c).rowOf.get(code)!;
const valueCell = (code: string) => cellAddress(rowOf(code), FILL_COLUMNS.value);
const realFetch = globalThis.fetch;

let host: FakeHost;
const fresh = (o: FakeHostOptions = {}) => { host = installFakeHost(o); return host; };
beforeEach(() => { fresh(); resetEditWatch(); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });
const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => ctxOf(host)(f);
const sheet = () => host.state.sheets.find((s) => s.name === plan().name)!;
const code = (e: unknown) => (e as { code?: string }).code;
const failure = async (p: Promise<unknown>) => { try { await p; return null; } catch (e) { return code(e); } };

describe("worksheet.protection.unprotect() on a sheet that is not protected", () => {
  it("is a no-op as documented (no failure is stated for it, unlike protect())", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("S"); await ctx.sync(); });
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").protection.unprotect(); await ctx.sync(); }))).toBeNull();
  });

  it("a build with office-js#6784 refuses it (AccessDenied), and protect() on a protected sheet too", async () => {
    fresh({ protection: "office-js#6784" });
    await run(async (ctx) => { ctx.workbook.worksheets.add("S"); await ctx.sync(); });
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").protection.unprotect(); await ctx.sync(); }))).toBe("AccessDenied");
  });

  it("with office-js#6784: pull, refresh after the official unprotected the sheet, check and submit's outcome all work", async () => {
    fresh({ protection: "office-js#6784" });
    await run((ctx) => pullIntoSheet(ctx, plan(), c));
    sheet().protected = false; // Review → Unprotect Sheet
    const r = await run((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(r.printed).toBe(true);
    const snap = await run((ctx) => readActiveSheet(ctx));
    await run((ctx) => writeOutcome(ctx, snap, c, { status: "已上报（第 1 版）", marks: [] }));
    expect(sheet().protected).toBe(true);
  });
});

describe("the last visible sheet, and workbook structure protection", () => {
  it("the fake refuses deleting or hiding the last visible sheet, and deleting a VeryHidden one", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("A"); ctx.workbook.worksheets.add("B"); await ctx.sync(); });
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("B").visibility = "Hidden"; ctx.workbook.worksheets.getItem("A").delete(); await ctx.sync(); }))).toBe("InvalidOperation");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("A").visibility = "Hidden"; await ctx.sync(); }))).toBe("InvalidOperation");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("B").visibility = "VeryHidden"; ctx.workbook.worksheets.getItem("B").delete(); await ctx.sync(); }))).toBe("InvalidOperation");
  });

  it("the designer's preview replaces an earlier preview that is the workbook's only visible sheet", async () => {
    const preview = { ...buildFillPlan(c, { roundId: "preview", period: "2025", unit, status: "预览（不是正式填报表）" }), name: "预览-填报表", protect: false };
    await run((ctx) => drawPreview(ctx, preview));
    await run(async (ctx) => { ctx.workbook.worksheets.add("备注"); await ctx.sync(); ctx.workbook.worksheets.getItem("备注").visibility = "Hidden"; await ctx.sync(); });
    await run((ctx) => drawPreview(ctx, preview));
    expect(host.state.sheets.filter((s) => s.visibility === "Visible").map((s) => s.name)).toEqual([preview.name]);
  });

  it("the fake refuses adding, deleting and renaming sheets while the structure is protected", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("A"); ctx.workbook.worksheets.add("B"); ctx.workbook.protection.protect(); await ctx.sync(); });
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.add("C"); await ctx.sync(); }))).toBe("AccessDenied");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("B").delete(); await ctx.sync(); }))).toBe("AccessDenied");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("B").name = "D"; await ctx.sync(); }))).toBe("AccessDenied");
    expect(await failure(run(async (ctx) => { ctx.workbook.protection.protect(); await ctx.sync(); }))).toBe("InvalidOperation");
  });

  it("a pull into a structure-protected workbook: a new sheet is refused with a message, an existing one is refreshed", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("Sheet1"); ctx.workbook.protection.protect(); await ctx.sync(); });
    await expect(run((ctx) => pullIntoSheet(ctx, plan(), c))).rejects.toThrow(/AccessDenied/);
    expect(host.state.sheets.map((s) => s.name)).toEqual(["Sheet1"]);
    host.state.structureProtected = false;
    await run((ctx) => pullIntoSheet(ctx, plan(), c));
    host.state.structureProtected = true;
    const r = await run((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(r.created).toBe(false);
    expect(sheet().protected).toBe(true);
  });
});

describe("unparsable formulas are refused at sync", () => {
  it("'=SUM(' and '=1+' fail with InvalidArgument; an unknown function is stored (it shows #NAME?)", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("S"); await ctx.sync(); });
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1").formulas = [["=SUM("]]; await ctx.sync(); }))).toBe("InvalidArgument");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1").values = [["=1+"]]; await ctx.sync(); }))).toBe("InvalidArgument");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1").formulas = [["=FOO(1)"]]; await ctx.sync(); }))).toBeNull();
  });

  it("every formula the add-in writes parses: the built-in template's and a 200-indicator one's fill sheets, and the totals", async () => {
    await run((ctx) => pullIntoSheet(ctx, plan(), c));
    const big = syntheticTemplate(200);
    await run((ctx) => pullIntoSheet(ctx, buildFillPlan(big, { roundId: "r9", period: "2025", unit: { id: "u9", name: "九" }, current: {}, revision: 0 }), big));
    const totals = buildTotalsPlan(c, { title: "晋城市 2025年度", note: "", columns: [{ id: "chengqu", name: "城区", values: DEMO_PAST_VALUES.chengqu! }], previous: null, chartCodes: ["grade_rate"] });
    await run((ctx) => writeTotalsSheets(ctx, [totals], "r2025|jincheng"));
    expect(host.state.sheets).toHaveLength(3);
  });
});

describe("cell-edit mode", () => {
  it("a batch without delayForCellEdit fails with InvalidOperationInCellEditMode; with it, it waits for Enter", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("S"); await ctx.sync(); });
    host.beginCellEdit("A1");
    expect(await failure(host.Excel.run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("B1").values = [[1]]; await ctx.sync(); }))).toBe("InvalidOperationInCellEditMode");
    const waiting = host.Excel.run({ delayForCellEdit: true }, async (ctx) => { const r = ctx.workbook.worksheets.getItem("S").getRange("A1").load("values"); await ctx.sync(); return r.values[0]![0]; });
    host.endCellEdit("42");
    expect(await waiting).toBe(42);
  });

  it("in an Excel below ExcelApi 1.11 delayForCellEdit is not there: the batch fails", async () => {
    fresh({ excelApi: "1.10" });
    await run(async (ctx) => { ctx.workbook.worksheets.add("S"); await ctx.sync(); });
    host.beginCellEdit("A1");
    expect(await failure(host.Excel.run({ delayForCellEdit: true }, async (ctx) => { ctx.workbook.worksheets.getItem("S").load("name"); await ctx.sync(); }))).toBe("InvalidOperationInCellEditMode");
  });

  it("一键上报 while the official is still typing a figure: it waits, and submits the figure as typed", async () => {
    await run((ctx) => pullIntoSheet(ctx, plan(1), c));
    signedIn();
    let sent: Record<string, unknown> = {};
    stubServer((_m, _p, init) => { sent = (JSON.parse(String(init.body)) as { values: Record<string, unknown> }).values; return json(submissionView({ revision: 2 })); });
    host.beginCellEdit(valueCell("products"));
    const submitting = submitActiveSheet("zh");
    await new Promise((r) => setTimeout(r, 5));
    host.endCellEdit("2600");
    const r = await submitting;
    expect(r.ok).toBe(true);
    expect(sent.products).toBe(2600);
  });
});

describe("requirement sets below ExcelApi 1.12 (and 1.14) lack the newer members", () => {
  it("the fake's members follow isSetSupported", async () => {
    for (const [api, expected] of [["1.6", { onChanged: false, protection: false, custom: false }], ["1.11", { onChanged: true, protection: true, custom: false }], ["1.12", { onChanged: true, protection: true, custom: true }]] as const) {
      fresh({ excelApi: api });
      expect(host.Office.context.requirements.isSetSupported("ExcelApi", "1.12")).toBe(expected.custom);
      await run(async (ctx) => {
        const ws = ctx.workbook.worksheets.add("S");
        expect(ws.onChanged !== undefined).toBe(expected.onChanged);
        expect(ctx.workbook.protection !== undefined).toBe(expected.protection);
        expect(ws.customProperties !== undefined).toBe(expected.custom);
        await ctx.sync();
      });
    }
  });
});

describe("objects used across Excel.run contexts", () => {
  it("a range kept from a finished batch fails with InvalidObjectPath; one passed to another context with InvalidRequestContext", async () => {
    await run(async (ctx) => { ctx.workbook.worksheets.add("S"); await ctx.sync(); });
    const kept = await run(async (ctx) => ctx.workbook.worksheets.getItem("S").getRange("A1:B2"));
    expect(await failure(run(async () => { kept.values = [[1, 2], [3, 4]]; }))).toBe("InvalidObjectPath");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").charts.add("ColumnClustered", kept, "Rows"); await ctx.sync(); }))).toBe("InvalidRequestContext");
  });
});

describe("merges", () => {
  it("merging keeps the upper-left value only; a value written into a merged area away from its upper-left cell is refused; unmerge splits it", async () => {
    await run(async (ctx) => { const ws = ctx.workbook.worksheets.add("S"); ws.getRange("A1:B1").values = [["标题", "x"]]; ws.getRange("A1:B1").merge(); await ctx.sync(); });
    const s = host.state.sheets[0]!;
    expect(s.cells.get("0,1")!.value).toBe("");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("B1").values = [["y"]]; await ctx.sync(); }))).toBe("InvalidOperation");
    expect(await failure(run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1:B1").values = [["新标题", ""]]; await ctx.sync(); }))).toBeNull();
    await run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1").unmerge(); await ctx.sync(); });
    expect(s.merges).toEqual([]);
  });

  it("a refreshed fill sheet has its merges once, and the status line (a merged row) takes the outcome", async () => {
    await run((ctx) => pullIntoSheet(ctx, plan(), c));
    await run((ctx) => pullIntoSheet(ctx, plan(), c));
    expect([...sheet().merges].sort()).toEqual([...plan().merges].sort());
    const snap = await run((ctx) => readActiveSheet(ctx));
    await run((ctx) => writeOutcome(ctx, snap, c, { status: "校验通过", marks: [] }));
    expect(sheet().cells.get("2,0")!.value).toBe("校验通过");
  });
});

describe("values typed as text that zh-CN Excel recognises", () => {
  const check = async (typed: string) => {
    await run((ctx) => pullIntoSheet(ctx, plan(1), c));
    signedIn();
    stubServer(() => json({}));
    typeInto(host.state, valueCell("products"), typed);
    return submitActiveSheet("zh", { checkOnly: true });
  };
  it("typed '¥1,470' is the number 1470 shown as currency, and is read as 1470", async () => {
    const r = await check("¥1,470");
    const cell = sheet().cells.get(`${rowOf("products")},${FILL_COLUMNS.value}`)!;
    expect(cell.value).toBe(1470); // a value cell keeps its own number format (input.ts: only a General cell takes the currency format)
    expect(r.issues.filter((i) => i.indicator === "products")).toEqual([]);
  });
  it("typed '1 1/2' is the number 1.5 (a fraction)", async () => {
    await check("1 1/2");
    expect(sheet().cells.get(`${rowOf("products")},${FILL_COLUMNS.value}`)!.value).toBe(1.5);
  });
  for (const typed of ["5月1日", "1-May"]) {
    it(`typed '${typed}' becomes a date serial; in a General cell it is shown as a date, in a 说明 (Text) cell it stays text`, async () => {
      await check(typed);
      const cell = sheet().cells.get(`${rowOf("products")},${FILL_COLUMNS.value}`)!;
      expect(typeof cell.value).toBe("number"); // the figure cell (format "0") shows the serial the official then sees
      const comment = cellAddress(rowOf("products"), FILL_COLUMNS.comment);
      typeInto(host.state, comment, typed);
      expect(sheet().cells.get(`${rowOf("products")},${FILL_COLUMNS.comment}`)!.value).toBe(typed);
      const s = host.state.sheets.find((x) => x.name === "S") ?? (await run(async (ctx) => { ctx.workbook.worksheets.add("S").activate(); await ctx.sync(); }), host.state.sheets.find((x) => x.name === "S")!);
      typeInto(host.state, "A1", typed);
      expect(s.cells.get("0,0")!.numberFormat).toBe(typed === "5月1日" ? 'm"月"d"日"' : "d-mmm");
      const shown = await run(async (ctx) => { const r = ctx.workbook.worksheets.getItem("S").getRange("A1").load("text"); await ctx.sync(); return r.text[0]![0]; });
      expect(shown).toBe(typed === "5月1日" ? "5月1日" : "1-May");
    });
  }
});

describe("the pane opens with a pulled workbook (Office.AutoShowTaskpaneWithDocument)", () => {
  it("a pull saves the document setting", async () => {
    const r = await run((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(r.autoShow).toBe(true);
    expect(host.Office.context.document.settings.saved.get(AUTO_SHOW)).toBe(true);
  });
  it("a document whose settings cannot be saved still gets its sheet", async () => {
    fresh({ settingsSave: "fails" });
    const r = await run((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(r.autoShow).toBe(false);
    expect(sheet().protected).toBe(true);
  });
});

describe("edits after a submit are marked 已修改，未上报 (worksheet.onChanged, triggerSource: ExcelApi 1.14)", () => {
  const submitted = async () => {
    await run((ctx) => pullIntoSheet(ctx, plan(1), c));
    signedIn();
    stubServer(() => json(submissionView({ revision: 2 })));
    expect((await submitActiveSheet("zh")).ok).toBe(true);
    await host.settleEvents();
  };
  const mark = (code: string) => sheet().cells.get(`${rowOf(code)},${FILL_COLUMNS.check}`)?.value ?? "";

  it("ExcelApi 1.14: the official's edit is marked, the add-in's own writes are not, and the next submit clears it", async () => {
    fresh({ excelApi: "1.14" });
    await submitted();
    expect(mark("products")).toBe("");
    typeInto(host.state, valueCell("products"), "2600");
    await host.settleEvents();
    expect(mark("products")).toBe(EDITED_MARK);
    expect(mark("cert_products")).toBe("");
    expect(sheet().protected).toBe(true);
    stubServer(() => json(submissionView({ revision: 3 })));
    expect((await submitActiveSheet("zh")).ok).toBe(true);
    await host.settleEvents();
    expect(mark("products")).toBe("");
  });

  it("below ExcelApi 1.14 nothing is watched, silently", async () => {
    fresh({ excelApi: "1.13" });
    await submitted();
    typeInto(host.state, valueCell("products"), "2600");
    await host.settleEvents();
    expect(mark("products")).toBe("");
  });
});

