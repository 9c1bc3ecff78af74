// @vitest-environment jsdom
// Independent review of detail lists (浮动行, issue 25) where officials meet them in Excel — 插入行 and
// 删除所选行 on the pane, typing and pasting on the list sheet, 校验 / 一键上报, pulling again — as a
// careless official, as an attacker and as Excel itself would, against the strict fake. Each test says what
// a user would expect; one that exposes a defect fails until it is fixed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, DEMO_BRANDS_PAST_VALUES, TemplateSchema, buildFillPlans, detailTables, validateDetailRows, fillBook, fillSheetNames, withUsccCheck,
  type Template, type Values,
} from "@tianbao/shared";
import { pullIntoSheets } from "../src/excel/fill-sheet";
import { deleteListRows, insertListRows } from "../src/flows/list-rows";
import { pullTemplate } from "../src/flows/pull";
import { api } from "../src/flows/session";
import { submitActiveSheet } from "../src/flows/submit";
import { T } from "../src/i18n/messages";
import { resetEditWatch } from "../src/excel/edit-marks";
import { mountPane } from "../src/taskpane/ui";
import type { FakeHost } from "./fake-office/office";
import { pasteValues, typeInto } from "./fake-office/typing";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { reviewLists } from "../src/web/review-lists";
import { listRollupScreen } from "../src/web/list-rollup";
import type { ReviewContext, RoundView } from "@tianbao/shared";
import type { Desk } from "../src/web/desk";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

const realFetch = globalThis.fetch;
const brands = compiled(DEMO_BRANDS_TEMPLATE);
/** Zezhou's producers as the server stores them (canonical: amounts as exact text). */
const zezhou = validateDetailRows(detailTables(DEMO_BRANDS_TEMPLATE)[0]!, DEMO_BRAND_PRODUCERS.zezhou!).rows;

/** The demo brands template with a second, short list (at most 5 rows) of failed spot-check batches. */
const TWO_LISTS: Template = TemplateSchema.parse({
  ...DEMO_BRANDS_TEMPLATE, id: "r25b_two_lists",
  form: {
    ...DEMO_BRANDS_TEMPLATE.form!,
    tables: [...DEMO_BRANDS_TEMPLATE.form!.tables, {
      kind: "detail", code: "batches", formNo: "质兴4表附表二", name: { zh: "抽查不合格批次", en: "Failed batches" }, attachedTo: "main",
      fields: [
        { code: "firm", name: { zh: "企业名称", en: "Enterprise" }, type: "text", required: true },
        { code: "batch", name: { zh: "批次号", en: "Batch" }, type: "code", required: true },
        { code: "qty", name: { zh: "数量", en: "Quantity" }, type: "count", unit: "件" },
      ],
      key: ["batch"], maxRows: 5,
    }],
  },
});
const two = compiled(TWO_LISTS);

const unit = { id: "zezhou", name: "泽州县" };
const inputOf = (roundId: string, period: string, lists: Record<string, Values[]> = { producers: zezhou }, revision = 1) =>
  ({ roundId, period, unit, issuer: "晋城市", current: DEMO_BRANDS_PAST_VALUES.zezhou!, lists, revision });
const roundOf = (id: string, period: string, t: Template = DEMO_BRANDS_TEMPLATE) => ({
  id, templateId: t.id, templateVersion: t.version, templateName: t.name, period, deadline: "2799-12-31T00:00:00+08:00",
  ownerUnitId: "jincheng", ownerName: { zh: "晋城市", en: "Jincheng" }, closed: false, expectedUnitIds: ["zezhou"],
});

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); resetEditWatch(); signedIn(); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; document.body.replaceChildren(); });
const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => ctxOf(host)(f);
const syncs = async <T>(f: () => Promise<T>): Promise<{ n: number; r: T }> => { const before = host.state.syncCount; const r = await f(); return { n: host.state.syncCount - before, r }; };

const listName = (roundId: string, period: string, page = "producers", c = brands) => fillSheetNames(fillBook(c), inputOf(roundId, period)).get(page)!;
const sheet = (name: string) => host.state.sheets.find((s) => s.name === name)!;
/** Pulls a report's sheets as 拉取模板 draws them (the server's list rows in them). */
const pull = (roundId = "r25b2700", period = "2700", lists: Record<string, Values[]> = { producers: zezhou }, c = brands) =>
  run((ctx) => pullIntoSheets(ctx, buildFillPlans(c, inputOf(roundId, period, lists)), c, lists));
/** The official goes to a sheet and selects cells (one address; several areas joined by commas, as Excel says them). */
const select = (name: string, address: string) => { host.state.activeSheet = name; sheet(name).selected = address; };
const cellValue = (name: string, address: string) => run(async (ctx) => {
  const r = ctx.workbook.worksheets.getItem(name).getRange(address).load("values,text");
  await ctx.sync();
  return { value: r.values[0]![0], text: r.text[0]![0] };
});
const column = (name: string, address: string) => run(async (ctx) => {
  const r = ctx.workbook.worksheets.getItem(name).getRange(address).load("values");
  await ctx.sync();
  return r.values.map((x) => x[0]);
});
const firms = (name: string, from: number, to: number) => column(name, `B${from}:B${to}`);
/** A producer row as the official types it: B…I. */
const producerRow = (n: number, product = "新产品"): (string | number)[] =>
  [`泽州县测试${n}有限公司`, withUsccCheck(`91140525MA0${20000 + n}A`), product, "山西名牌", 2020, "1.00", "0.10", 10];

describe("插入行 / 删除所选行: what the selection and the count can be", () => {
  beforeEach(() => { stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE, TWO_LISTS]); });

  it("N = 0, −1, 1.5, text (NaN) and 10,000 are refused and nothing on the sheet moves", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "B8");
    const before = await firms(name, 6, 14);
    for (const n of [0, -1, 1.5, Number.NaN, Number("abc"), 10_000]) {
      const r = await insertListRows("zh", n);
      expect(r.ok, String(n)).toBe(false);
      expect(r.message, String(n)).toBe(T.listRowsCount.zh);
    }
    expect(await firms(name, 6, 14)).toEqual(before);
  });

  it("a selection that starts on the header row is outside the list: nothing inserted, the block named by its worksheet rows", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "A4:C8");
    const r = await insertListRows("zh", 2);
    expect(r.ok).toBe(false);
    expect(r.message).toContain("工作表第 6–2005 行");
    expect(await firms(name, 6, 7)).toEqual([zezhou[0]!.firm, zezhou[1]!.firm]);
  });

  it("a selection of several areas (Ctrl+click two rows) says to select one block of rows, rather than an Excel error to retry", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "B7,B9");
    const r = await insertListRows("zh", 1);
    expect(r.ok).toBe(false);
    // retrying can never help: the official must be told what to change
    expect(r.message).not.toBe(T.listRowsFailed.zh);
    expect(r.message).toMatch(/一个|一块|连续|单个|多个区域/);
    const d = await deleteListRows("zh");
    expect(d.ok).toBe(false);
    expect(d.message).not.toBe(T.listRowsFailed.zh);
  });

  it("inserting at the block's last row adds what fits there, and the block keeps its size", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "B2005");
    const r = await insertListRows("zh", 3);
    expect(r.ok, r.message).toBe(true);
    // the block still ends at 2005: the row below is locked and blank, the last row open
    expect(sheet(name).cells.get("2004,1")?.locked).toBe(false);
    expect(sheet(name).cells.get("2005,1")?.locked ?? true).toBe(true);
    expect(await firms(name, 6, 12)).toEqual(zezhou.map((r) => r.firm));
  });

  it("a full list refuses an insert and says how many rows still fit (none); nothing typed is pushed out", async () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ firm: `企业${i + 1}`, batch: `B${i + 1}`, qty: i + 1 }));
    await pull("r25b2700", "2700", { producers: zezhou, batches: five }, two);
    const name = listName("r25b2700", "2700", "batches", two);
    select(name, "B7");
    const r = await insertListRows("zh", 1);
    expect(r.ok).toBe(false);
    expect(r.message).toContain("未插入");
    expect(r.message).not.toContain("最多还能插入");
    expect(await firms(name, 6, 10)).toEqual(five.map((x) => x.firm));
  });

  it("the message after an insert names worksheet rows as worksheet rows — 第 N 行 elsewhere is the row whose 序号 is N", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "B8"); // worksheet row 8 is the list's row 3 (序号 3)
    const r = await insertListRows("zh", 1);
    expect(r.ok, r.message).toBe(true);
    // "已在「质兴4表附表」第 8 行上方插入" reads as the list's 8th row (序号 8): say 工作表第 8 行 (or name the 序号)
    expect(r.message).toMatch(/工作表第 8 行|序号/);
  });
});

describe("删除所选行: nothing typed is lost without the official's word", () => {
  beforeEach(() => { stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE, TWO_LISTS]); });

  it("deleting every row of the list asks first; once confirmed the list is empty and the block is whole again", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "A6:I2005");
    const ask = await deleteListRows("zh");
    expect(ask.ok).toBe(false);
    expect(ask.confirm).toEqual({ first: 5, count: 2000 });
    expect(await firms(name, 6, 6)).toEqual([zezhou[0]!.firm]);
    const done = await deleteListRows("zh", ask.confirm);
    expect(done.ok, done.message).toBe(true);
    expect((await firms(name, 6, 12)).every((v) => v === "")).toBe(true);
    expect(sheet(name).cells.get("5,1")?.locked).toBe(false);
    expect(sheet(name).cells.get("2004,8")?.locked).toBe(false);
    expect(sheet(name).cells.get("2005,1")?.locked ?? true).toBe(true);
    expect(sheet(name).protected).toBe(true);
  });

  it("a confirmation given for rows of one sheet does not delete the same rows of another list sheet the official moved to", async () => {
    // two rounds' lists in one workbook (2700 and 2701), both with the county's producers
    await pull("r25b2700", "2700");
    await pull("r25b2701", "2701");
    const a = listName("r25b2700", "2700");
    const b = listName("r25b2701", "2701");
    expect(a).not.toBe(b);
    select(a, "B7:B8");
    const ask = await deleteListRows("zh");
    expect(ask.confirm).toEqual({ first: 6, count: 2 });
    // the official looks at the other year's sheet, selects the same rows there, and clicks 确认删除 (still on the pane)
    select(b, "B7:B8");
    const r = await deleteListRows("zh", ask.confirm);
    // what was confirmed was "rows 7–8 of 2700年", not these: the rows of 2701年 hold producers and must not go without a word
    expect(await firms(b, 7, 8)).toEqual([zezhou[1]!.firm, zezhou[2]!.firm]);
    expect(r.ok).toBe(false);
  });

  it("the same holds for the two lists of one report: a confirmation on 质兴4表附表 does not delete rows of 附表二", async () => {
    const batches = [{ firm: "甲", batch: "P1", qty: 1 }, { firm: "乙", batch: "P2", qty: 2 }, { firm: "丙", batch: "P3", qty: 3 }];
    await pull("r25b2700", "2700", { producers: zezhou, batches }, two);
    const a = listName("r25b2700", "2700", "producers", two);
    const b = listName("r25b2700", "2700", "batches", two);
    select(a, "B6:B7");
    const ask = await deleteListRows("zh");
    expect(ask.confirm).toEqual({ first: 5, count: 2 });
    select(b, "B6:B7");
    await deleteListRows("zh", ask.confirm);
    expect(await firms(b, 6, 8)).toEqual(["甲", "乙", "丙"]);
  });

  it("blank rows are deleted at once, and rows holding only spaces count as typed (asked first)", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "B20:B22");
    expect((await deleteListRows("zh")).ok).toBe(true);
    host.state.activeSheet = name;
    typeInto(host.state, "D20", " ");
    select(name, "B20");
    const r = await deleteListRows("zh");
    expect(r.confirm).toEqual({ first: 19, count: 1 });
  });
});

describe("insert, type, check: rows and marks where the official sees them", () => {
  beforeEach(() => { stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE, TWO_LISTS]); });

  it("after inserting two rows above the list's 3rd row and filling one, a problem there is said as 第 3 行 on the cell whose 序号 shows 3", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    select(name, "C8");
    expect((await insertListRows("zh", 2)).ok).toBe(true);
    expect(await firms(name, 10, 10)).toEqual([zezhou[2]!.firm]); // the old 3rd row moved down two
    host.state.activeSheet = name;
    pasteValues(host.state, "B8", [["泽州县新添有限公司", "91140525MA0XXXXX00", "新产品", "山西名牌", 2021, "2.00", "0.20", 30]]);
    const r = await submitActiveSheet("zh", { checkOnly: true });
    const uscc = r.issues.find((i) => i.cell === "C8");
    expect(uscc, JSON.stringify(r.issues.map((i) => i.message.zh))).toBeDefined();
    expect(uscc!.message.zh).toContain("第 3 行");
    expect((await cellValue(name, "A8")).value).toBe(3);
    // the blank row between: no 序号 (a count ≤ 0, hidden by the format 0;;;), said as skipped
    expect(Number((await cellValue(name, "A9")).value)).toBeLessThanOrEqual(0);
    expect(sheet(name).cells.get("8,0")?.numberFormat).toBe("0;;;");
    expect((await cellValue(name, "A10")).value).toBe(4);
    expect(r.issues.some((i) => i.code === "blank_rows" && i.message.zh.includes("工作表第 9 行"))).toBe(true);
    // the mark is in the 校验 cell of that worksheet row
    expect(String(sheet(name).cells.get("7,9")?.value)).toContain("统一社会信用代码");
  });

  it("marks move with their rows on an insert and are cleared once the row is put right", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    host.state.activeSheet = name;
    typeInto(host.state, "G10", "约10亿"); // the 5th producer's output as text
    let r = await submitActiveSheet("zh", { checkOnly: true });
    expect(r.issues.some((i) => i.cell === "G10")).toBe(true);
    expect(sheet(name).cells.get("9,6")?.fill).toBe("#FDE7E9");
    select(name, "B8");
    expect((await insertListRows("zh", 1)).ok).toBe(true);
    expect(String(sheet(name).cells.get("10,9")?.value)).toContain("工业总产值"); // moved to J11
    host.state.activeSheet = name;
    typeInto(host.state, "G11", "4.8");
    r = await submitActiveSheet("zh", { checkOnly: true });
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(sheet(name).cells.get("10,9")?.value ?? "").toBe("");
    expect(sheet(name).cells.get("10,6")?.fill).not.toBe("#FDE7E9");
  });

  it("a header row pasted into the list as data is refused on its cells, not taken as a producer", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    host.state.activeSheet = name;
    pasteValues(host.state, "B13", [["企业名称 *", "统一社会信用代码 *", "产品 *", "品牌级别 *", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）"]]);
    const r = await submitActiveSheet("zh", { checkOnly: true });
    const onRow = r.issues.filter((i) => i.severity === "error" && /^[B-I]13$/.test(i.cell ?? ""));
    expect(onRow.length).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
  });

  it("pasting a block that includes the 序号 column is refused by Excel as a whole, leaving the list untouched", async () => {
    await pull();
    const name = listName("r25b2700", "2700");
    host.state.activeSheet = name;
    expect(() => pasteValues(host.state, "A13", [[8, ...producerRow(8)]])).toThrow(/locked/);
    expect(await firms(name, 13, 13)).toEqual([""]);
  });

  it("rows pasted past the list's room on a sheet the official unprotected are refused naming the worksheet row, nothing sent", async () => {
    const four = Array.from({ length: 4 }, (_, i) => ({ firm: `企业${i + 1}`, batch: `B${i + 1}`, qty: i + 1 }));
    await pull("r25b2700", "2700", { producers: zezhou, batches: four }, two);
    const name = listName("r25b2700", "2700", "batches", two);
    sheet(name).protected = false;
    host.state.activeSheet = name;
    pasteValues(host.state, "B10", [["企业5", "B5", 5], ["企业6", "B6", 6], ["企业7", "B7", 7]]);
    let sent = 0;
    stubServer((m) => { if (m === "PUT") sent++; return json(submissionView({ roundId: "r25b2700", revision: 2 })); }, [DEMO_BRANDS_TEMPLATE, TWO_LISTS]);
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain("工作表第 11 行");
    expect(sent).toBe(0);
  });
});

describe("pulling again while another person changed the list on the server", () => {
  const round = roundOf("r25b2702", "2702");

  const server = (revision: number, producers: Values[]) =>
    stubServer(() => json(submissionView({ roundId: round.id, state: "submitted", revision, values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers } })), [DEMO_BRANDS_TEMPLATE]);

  it("pulling twice with nothing typed says nothing about rows kept (the official typed none)", async () => {
    server(1, zezhou);
    expect((await pullTemplate(round, [round], "zh")).ok).toBe(true);
    const r = await pullTemplate(round, [round], "zh");
    expect(r.ok, r.message).toBe(true);
    expect(r.message).not.toContain(T.keptListRows.zh);
  });

  it("keeps the rows typed, and says which rows differ from the server's (the colleague's change and the new row)", async () => {
    server(1, zezhou);
    expect((await pullTemplate(round, [round], "zh")).ok).toBe(true);
    const name = listName(round.id, "2702");
    host.state.activeSheet = name;
    pasteValues(host.state, "B13", [producerRow(8)]);
    // meanwhile a colleague submitted from the web page: the 2nd row's output changed, and an 8th row of their own
    const t = detailTables(DEMO_BRANDS_TEMPLATE)[0]!;
    const theirs = validateDetailRows(t, [...zezhou.map((r, i) => (i === 1 ? { ...r, output: "6.50" } : r)),
      { firm: "泽州县同事添加有限公司", uscc: withUsccCheck("91140525MA0299990"), product: "铸件", level: "sx" }]).rows;
    server(2, theirs);
    const r = await pullTemplate(round, [round], "zh");
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toContain(T.keptListRows.zh);
    expect(r.message).toContain("服务器上 8 行");
    expect(r.message).toContain("第 2、8 行");
    expect(await firms(name, 13, 13)).toEqual([producerRow(8)[0]]);
    expect(await firms(name, 7, 7)).toEqual([zezhou[1]!.firm]);
  });
});

describe("round trips stay bounded for a list of 2,000 rows", () => {
  const full = Array.from({ length: 2000 }, (_, i) => ({
    firm: `泽州县第${i + 1}号有限公司`, uscc: withUsccCheck(`91140525MA0${String(30000 + i).padStart(5, "0")}A`), product: "焦炭", level: i % 2 ? "sx" : "cn", year: 2020, output: "1.00", tax: "0.10", exports: 1,
  }));

  it("insert on a list of 1,999 rows and delete with confirmation take 3 syncs each; a check takes no more than a fixed few", async () => {
    stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE]);
    await pull("r25b2703", "2703", { producers: full.slice(0, 1999) });
    const name = listName("r25b2703", "2703");
    select(name, "B10");
    const ins = await syncs(() => insertListRows("zh", 1));
    expect(ins.r.ok, ins.r.message).toBe(true);
    expect(ins.n).toBeLessThanOrEqual(3);
    select(name, "B10:B11");
    const ask = await syncs(() => deleteListRows("zh"));
    expect(ask.r.confirm).toEqual({ first: 9, count: 2 });
    const del = await syncs(() => deleteListRows("zh", ask.r.confirm));
    expect(del.r.ok, del.r.message).toBe(true);
    expect(ask.n + del.n).toBeLessThanOrEqual(6);
    const check = await syncs(() => submitActiveSheet("zh", { checkOnly: true }));
    expect(check.n).toBeLessThanOrEqual(6);
    expect(host.state.payloadRefusals).toBe(0);
    // 1,998 rows now: 序号 of the last one
    expect((await cellValue(name, "A2003")).text).toBe("1998");
  }, 120_000);
});

describe("after a submit, the list changed through the pane is marked as not yet submitted", () => {
  it("typing into a row after the submit marks it 已修改，未上报 (the baseline)", async () => {
    host = installFakeHost({ excelApi: "1.14" }); resetEditWatch(); signedIn();
    await pull("r25b2704", "2704");
    const name = listName("r25b2704", "2704");
    stubServer(() => json(submissionView({ roundId: "r25b2704", state: "submitted", revision: 2 })), [DEMO_BRANDS_TEMPLATE]);
    host.state.activeSheet = name;
    const s = await submitActiveSheet("zh");
    expect(s.ok, s.message).toBe(true);
    host.state.activeSheet = name;
    typeInto(host.state, "G7", "6.30");
    await host.settleEvents();
    expect(String(sheet(name).cells.get("6,9")?.value)).toBe("已修改，未上报");
  });

  it("deleting two producers after the submit leaves a mark on the sheet that the list is no longer what was submitted", async () => {
    host = installFakeHost({ excelApi: "1.14" }); resetEditWatch(); signedIn();
    await pull("r25b2705", "2705");
    const name = listName("r25b2705", "2705");
    stubServer(() => json(submissionView({ roundId: "r25b2705", state: "submitted", revision: 2 })), [DEMO_BRANDS_TEMPLATE]);
    host.state.activeSheet = name;
    expect((await submitActiveSheet("zh")).ok).toBe(true);
    select(name, "B7:B8");
    const ask = await deleteListRows("zh");
    const done = await deleteListRows("zh", ask.confirm);
    expect(done.ok, done.message).toBe(true);
    await host.settleEvents();
    // the status line still says 已上报（第 2 版）; typing one figure would have said 已修改，未上报 — two producers gone must too
    const shown = [...sheet(name).cells.entries()].filter(([k]) => /^\d+,(0|9)$/.test(k)).map(([, c]) => String(c.value));
    expect(shown.some((v) => v.includes("未上报")) || done.message.includes("未上报"), shown.filter(Boolean).slice(0, 5).join(" / ")).toBe(true);
  });
});

describe("pulling again after the official emptied the list on purpose", () => {
  const round = roundOf("r25b2706", "2706");

  it("a county with no producers this year deletes every row; pulling again does not bring the server's rows back without a word", async () => {
    stubServer(() => json(submissionView({ roundId: round.id, state: "returned", revision: 1, values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: zezhou } })), [DEMO_BRANDS_TEMPLATE]);
    expect((await pullTemplate(round, [round], "zh")).ok).toBe(true);
    const name = listName(round.id, "2706");
    select(name, "B6:B12");
    const ask = await deleteListRows("zh");
    expect((await deleteListRows("zh", ask.confirm)).ok).toBe(true);
    expect(await firms(name, 6, 6)).toEqual([""]);
    // the pane's 拉取模板 again (to see the reviewer's comment, say)
    const r = await pullTemplate(round, [round], "zh");
    expect(r.ok, r.message).toBe(true);
    const back = (await firms(name, 6, 6))[0] !== "";
    // either the emptied list is kept (as typed figures are), or the message says the server's 7 rows were drawn in its place
    expect(!back || /质兴4表附表/.test(r.message), r.message).toBe(true);
  });
});

describe("a renamed list sheet and the rows drawn by an insert", () => {
  beforeEach(() => { stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE]); });

  it("inserts on a tab the official renamed, and the new rows are open fields with their rules, the 序号 locked", async () => {
    await pull();
    const old = listName("r25b2700", "2700");
    await run(async (ctx) => { ctx.workbook.worksheets.getItem(old).name = "我的名单"; await ctx.sync(); });
    select("我的名单", "D9");
    const r = await insertListRows("zh", 2);
    expect(r.ok, r.message).toBe(true);
    const s = sheet("我的名单");
    expect(s.cells.get("8,0")?.locked ?? true).toBe(true);
    for (let c = 1; c <= 8; c++) expect(s.cells.get(`8,${c}`)?.locked, `col ${c}`).toBe(false);
    expect(s.cells.get("8,4")?.validation).not.toBeNull(); // 品牌级别's drop-down
    expect(s.cells.get("9,5")?.validation).not.toBeNull(); // 获评年份's whole-number rule
    expect(s.cells.get("8,1")?.numberFormat).toBe("@");
    expect(s.protected).toBe(true);
    expect(await firms("我的名单", 11, 11)).toEqual([zezhou[3]!.firm]);
  });
});

// ───────────────────────────── the web desk (jsdom): the review screen's lists and the rolled-up list ─────────────────────────────

const XSS = `<img src=x onerror="window.__r25b=1">泽州县有限公司`;
const FORMULA = `=HYPERLINK("http://evil.example","点此查看")`;
/** A county's list of n producers as stored: row i's firm 泽州县第i号有限公司 (row 3's name hostile, row 4's formula-looking). */
const storedList = (n: number): Values[] => validateDetailRows(detailTables(DEMO_BRANDS_TEMPLATE)[0]!, Array.from({ length: n }, (_, i) => ({
  firm: i === 2 ? XSS : i === 3 ? FORMULA : i === 4 ? "ＡＢＣ精密铸造有限公司" : `泽州县第${i + 1}号有限公司`,
  uscc: withUsccCheck(`91140525MA0${String(40000 + i).padStart(5, "0")}A`), product: i % 3 ? "焦炭" : "铸管", level: i % 2 ? "sx" : "cn", year: 2020, output: "18.50", tax: "0.10", exports: 1,
}))).rows;
const contextOf = (lists: Record<string, Values[]>, over: Partial<ReviewContext["submission"]> = {}): ReviewContext => ({
  submission: submissionView({ roundId: "r25b2710", unitId: "zezhou", state: "submitted", revision: 3, values: {}, lists, ...over }), previous: null, parent: null, revisions: [],
});
const typeNote = (root: HTMLElement, row: number, text: string) => {
  const tr = root.querySelector<HTMLTableRowElement>(`tr[data-row="${row}"]`)!;
  tr.querySelector<HTMLButtonElement>("button.row-note")?.click();
  const input = tr.querySelector<HTMLInputElement>("input.row-comment")!;
  input.value = text;
  input.dispatchEvent(new Event("input"));
};

describe("the review screen's list: notes per row, search, go to row, hostile values", () => {
  // jsdom lays nothing out: scrolling a row into view is a no-op here
  beforeEach(() => { Element.prototype.scrollIntoView = () => undefined; });
  it("a note typed on row 5, then page 2 and back, is still there; notes on both pages go with the return", () => {
    const { part, notes } = reviewLists(brands, contextOf({ producers: storedList(250) }), "r25b2710", "zezhou", true, "zh");
    document.body.append(part!);
    typeNote(part!, 5, "请核实产值");
    part!.querySelector<HTMLButtonElement>(".pager.top button.next")!.click();
    expect(part!.querySelector('tr[data-row="150"]')).not.toBeNull();
    typeNote(part!, 150, "代码有误");
    part!.querySelector<HTMLButtonElement>(".pager.top button.first")!.click();
    expect(part!.querySelector<HTMLInputElement>('tr[data-row="5"] input.row-comment')?.value).toBe("请核实产值");
    expect(notes()).toEqual({ "producers#5": "请核实产值", "producers#150": "代码有误" });
    expect(part!.querySelector(".list-notes-typed")!.textContent).toContain("2 行");
  });

  it("a firm named <img onerror=…> and a formula-looking name are shown as text, nothing runs", () => {
    const { part } = reviewLists(brands, contextOf({ producers: storedList(8) }), "r25b2711", "zezhou", true, "zh");
    document.body.append(part!);
    expect(part!.querySelector("img")).toBeNull();
    expect(part!.querySelector('tr[data-row="3"] td[data-field="firm"]')!.textContent).toBe(XSS);
    expect(part!.querySelector('tr[data-row="4"] td[data-field="firm"]')!.textContent).toBe(FORMULA);
    expect(part!.querySelector("a")).toBeNull();
    expect((window as unknown as { __r25b?: number }).__r25b).toBeUndefined();
  });

  it("search finds full-width and half-width alike, by option name and by a credit code in lower case", () => {
    const { part } = reviewLists(brands, contextOf({ producers: storedList(120) }), "r25b2712", "zezhou", true, "zh");
    document.body.append(part!);
    const search = part!.querySelector<HTMLInputElement>("input.list-search")!;
    const find = (q: string) => { search.value = q; search.dispatchEvent(new Event("input")); return [...part!.querySelectorAll("table.detail-rows tbody tr")].map((tr) => tr.getAttribute("data-row")); };
    expect(find("abc精密")).toEqual(["5"]);
    expect(find("ＡＢＣ")).toEqual(["5"]);
    expect(find("泽州县第１１９号")).toEqual(["119"]);
    expect(find(storedList(1)[0]!.uscc!.toString().toLowerCase())).toEqual(["1"]);
    expect(find("山西名牌").length).toBe(60);
    expect(find("不存在的企业")).toEqual([]);
    expect(part!.querySelector(".list-range")!.textContent).toContain("不存在的企业");
  });

  it("转到第 N 行 refuses 0, a row past the list and text, and shows row 250 on its page", () => {
    const { part } = reviewLists(brands, contextOf({ producers: storedList(250) }), "r25b2713", "zezhou", true, "zh");
    document.body.append(part!);
    const input = part!.querySelector<HTMLInputElement>("input.list-jump")!;
    const form = part!.querySelector<HTMLFormElement>("form.list-jump-form")!;
    const go = (v: string) => { input.value = v; form.dispatchEvent(new Event("submit", { cancelable: true })); return part!.querySelector(".list-jump-form .field-error")!.textContent; };
    expect(go("0")).toContain("没有第 0 行");
    expect(go("251")).toContain("只有 250 行");
    expect(go("-3")).not.toBe("");
    expect(go("250")).toBe("");
    expect(part!.querySelector('tr[data-row="250"]')?.classList.contains("focus-row")).toBe(true);
    expect(part!.querySelector(".page-of")!.textContent).toBe("第 3 / 3 页");
  });
});

describe("the rolled-up list of 2,007 rows pages to its end", () => {
  const ROUND = { id: "r25b2714", templateId: DEMO_BRANDS_TEMPLATE.id, templateVersion: 1, templateName: DEMO_BRANDS_TEMPLATE.name, period: "2714", deadline: "2799-12-31T00:00:00+08:00", ownerUnitId: "jincheng", ownerName: { zh: "晋城市", en: "Jincheng" }, closed: false, expectedUnitIds: ["zezhou", "gaoping"] } as unknown as RoundView;
  const all = [...storedList(7).map((v, i) => ({ unitId: "zezhou", unitName: { zh: "泽州县", en: "Zezhou" }, row: i + 1, values: v })), ...storedList(2000).map((v, i) => ({ unitId: "gaoping", unitName: { zh: "高平市", en: "Gaoping" }, row: i + 1, values: v }))];
  const asked: { offset?: number; limit?: number }[] = [];
  const gone: string[] = [];
  const desk = {
    lang: "zh", say: () => undefined, save: () => undefined, redraw: () => undefined, go: (hash: string) => { gone.push(hash); },
    api: {
      user: { ...api.user, unitId: "jincheng", unitName: { zh: "晋城市", en: "Jincheng" }, role: "reviewer" },
      template: async () => ({ ok: true, value: DEMO_BRANDS_TEMPLATE }),
      completeness: async () => ({ ok: false, error: null }),
      totals: async () => ({ ok: false, error: null }),
      rolledList: async (_r: string, table: string, q: { offset?: number; limit?: number }) => {
        asked.push(q);
        return { ok: true, value: { roundId: ROUND.id, unitId: "jincheng", table, basis: "standing", total: all.length, offset: q.offset ?? 0, limit: q.limit ?? 100, rows: all.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 100)) } };
      },
    },
  } as unknown as Desk;

  it("page 21 shows rows 2,001–2,007 of 2,007 with 末页 off; a page past the end goes to page 21", async () => {
    const el = await listRollupScreen(desk, ROUND, "producers", new URLSearchParams("page=21"));
    document.body.append(el);
    expect(el.querySelector(".list-range")!.textContent).toBe("第 2,001–2,007 行，共 2,007 行");
    expect(el.querySelectorAll("table.detail-rows tbody tr").length).toBe(7);
    expect(el.querySelector(".page-of")!.textContent).toBe("第 21 / 21 页");
    expect(el.querySelector<HTMLButtonElement>(".pager.top button.last")!.disabled).toBe(true);
    expect(el.querySelector('tbody tr:last-child td.unit')!.textContent).toBe("高平市");
    await listRollupScreen(desk, ROUND, "producers", new URLSearchParams("page=99"));
    expect(gone.at(-1)).toBe("#/round/r25b2714/list/producers?page=21");
    // 200 a page: 11 pages, the last of 7 rows
    const big = await listRollupScreen(desk, ROUND, "producers", new URLSearchParams("page=11&size=200"));
    expect(big.querySelector(".list-range")!.textContent).toBe("第 2,001–2,007 行，共 2,007 行");
    expect(asked.every((q) => (q.limit ?? 0) <= 1000)).toBe(true);
  });

  it("an XSS firm name in the rolled-up list is text", async () => {
    const el = await listRollupScreen(desk, ROUND, "producers", new URLSearchParams(""));
    document.body.append(el);
    expect(el.querySelector("img")).toBeNull();
    expect([...el.querySelectorAll('td[data-field="firm"]')].some((td) => td.textContent === XSS)).toBe(true);
  });
});

describe("submitting from a list sheet: the whole report's lists, and only one's own unit", () => {
  it("submit from the second list's sheet sends both lists as they stand, blank rows left out", async () => {
    const batches = [{ firm: "甲", batch: "P1", qty: 1 }, { firm: "乙", batch: "P2", qty: 2 }];
    await pull("r25b2707", "2707", { producers: zezhou, batches }, two);
    const name = listName("r25b2707", "2707", "batches", two);
    host.state.activeSheet = name;
    pasteValues(host.state, "B9", [["丙", "p3", 3]]); // after a blank row 8
    const sent: { lists?: Record<string, unknown[]> }[] = [];
    stubServer((m, _p, init) => { if (m === "PUT") sent.push(JSON.parse(String(init.body))); return json(submissionView({ roundId: "r25b2707", revision: 2 })); }, [DEMO_BRANDS_TEMPLATE, TWO_LISTS]);
    const r = await submitActiveSheet("zh");
    expect(r.ok, r.message).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.lists!.producers).toHaveLength(7);
    expect(sent[0]!.lists!.batches).toEqual([{ firm: "甲", batch: "P1", qty: 1 }, { firm: "乙", batch: "P2", qty: 2 }, { firm: "丙", batch: "p3", qty: 3 }]);
  });

  it("another county's list sheet in the same workbook is not submitted as one's own", async () => {
    const plans = buildFillPlans(brands, { ...inputOf("r25b2708", "2708"), unit: { id: "gaoping", name: "高平市" } });
    await run((ctx) => pullIntoSheets(ctx, plans, brands));
    let sent = 0;
    stubServer((m) => { if (m === "PUT") sent++; return json(submissionView({ roundId: "r25b2708", revision: 2 })); }, [DEMO_BRANDS_TEMPLATE]);
    host.state.activeSheet = plans.find((p) => p.name.includes("附表"))!.name;
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(sent).toBe(0);
  });
});

describe("a returned report's note on a list row, as the county meets it in Excel", () => {
  it("the note on 第 3 行 reaches that row: on the sheet's row after 拉取模板, or named by its enterprise in the pane (as the web page names it)", async () => {
    const round = roundOf("r25b2709", "2709");
    const note = "本企业产值请核实";
    const view = submissionView({ roundId: round.id, state: "returned", revision: 1, values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: zezhou }, reviewComment: "请核实名单", reviewIndicatorComments: { "producers#3": note } });
    stubServer((_m, path) => (path === "/api/rounds" ? json([round]) : path.endsWith("/submissions/zezhou") ? json(view) : json({}, 404)), [DEMO_BRANDS_TEMPLATE]);
    expect((await pullTemplate(round, [round], "zh")).ok).toBe(true);
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    mountPane(root);
    await vi.waitFor(() => expect(root.querySelector("ul.indicator-comments li")).not.toBeNull());
    const pane = root.querySelector("ul.indicator-comments li")!.textContent!;
    expect(pane).toContain(note);
    const onRow = String(sheet(listName(round.id, "2709")).cells.get("7,9")?.value ?? "");
    // the county may have inserted or re-sorted rows since: 第 3 行 alone does not say which enterprise the city meant
    expect(onRow.includes(note) || pane.includes(zezhou[2]!.firm as string), `pane: ${pane}; J8: ${onRow}`).toBe(true);
  });
});
