// @vitest-environment jsdom
// Issue 25's list sheet as officials use it in Excel: 插入行 / 删除行 inside the list's block (the rows
// below move, the block keeps its size, 序号 and the fields' rules stay right, the sheet protected again),
// a large paste, list problems marked on their cells and cleared when fixed, and a pull again that keeps
// the rows typed but not submitted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, TemplateSchema, buildFillPlans, cellAddress, columnLetter, fillBook, fillSheetNames,
  listFigures, pageOf, validateLists, withUsccCheck, type Template, type Values,
} from "@tianbao/shared";
import { EDITED_MARK, resetEditWatch } from "../src/excel/edit-marks";
import { pullIntoSheets } from "../src/excel/fill-sheet";
import { deleteListRows, insertListRows } from "../src/flows/list-rows";
import { pullTemplate } from "../src/flows/pull";
import { submitActiveSheet } from "../src/flows/submit";
import { mountPane } from "../src/taskpane/ui";
import { api } from "../src/flows/session";
import type { FakeHost } from "./fake-office/office";
import type { CellState, Scalar } from "./fake-office/state";
import { pasteValues, selectCells, typeInto } from "./fake-office/typing";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

const c = compiled(DEMO_BRANDS_TEMPLATE);
const book = fillBook(c);
const page = pageOf(book, "producers");
if (page?.kind !== "detail") throw new Error("the list's page");
const geo = page.geometry;
const input = { roundId: "r2033", period: "2033", unit: { id: "zezhou", name: "泽州县" }, issuer: "晋城市" };
const names = fillSheetNames(book, input);
const seven = validateLists(c, { producers: DEMO_BRAND_PRODUCERS.zezhou! }).lists.producers!;
const col = (field: string) => geo.colOf.get(field)!;
const realFetch = globalThis.fetch;

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); resetEditWatch(); signedIn(); stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE]); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; document.body.replaceChildren(); });
const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => ctxOf(host)(f);
const syncs = async <T>(f: () => Promise<T>): Promise<[T, number]> => { const before = host.state.syncCount; const r = await f(); return [r, host.state.syncCount - before]; };
const sheet = () => host.state.sheets.find((s) => s.name === names.get("producers"))!;
const cell = (row: number, c0: number): CellState | undefined => sheet().cells.get(`${row},${c0}`);
const onList = () => { host.state.activeSheet = names.get("producers")!; };
const pull = (rows: Values[] = seven, current: Values = DEMO_BRANDS_PAST_VALUES.zezhou!) =>
  run((ctx) => pullIntoSheets(ctx, buildFillPlans(c, { ...input, current, revision: 1, lists: { producers: rows } }), c));
/** The firm typed on each of the block's rows, blank rows as "". */
const firms = (n: number) => Array.from({ length: n }, (_, i) => String(cell(geo.firstRow + i, col("firm"))?.value ?? ""));
/** The 序号 formula a row must hold: its own fields, and the row above's 序号. */
const numberFormula = (row: number) => `=IF(SUMPRODUCT(LEN(TRIM(B${row + 1}:${columnLetter(geo.checkCol - 1)}${row + 1})))=0,-ABS(N(A${row})),ABS(N(A${row}))+1)`;

describe("插入行 on a list's sheet", () => {
  it("inserts blank rows above the selected row; the rows below move down inside the block, which keeps its size, in 3 round trips", async () => {
    await pull();
    onList();
    selectCells(host.state, `C${geo.firstRow + 3}`); // list row 3
    const [r, n] = await syncs(() => insertListRows("zh", 2));
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toContain(`第 ${geo.firstRow + 3} 行上方插入 2 行`);
    expect(n).toBe(3);
    expect(firms(10)).toEqual([seven[0]!.firm, seven[1]!.firm, "", "", ...seven.slice(2).map((x) => x.firm), ""]);
    const s = sheet();
    expect(s.protected).toBe(true);
    // the new rows are open rows: unlocked fields in the input colour with their rules, 序号 locked
    for (const row of [geo.firstRow + 2, geo.firstRow + 3]) {
      expect(cell(row, col("level"))).toMatchObject({ locked: false, fill: "#FFF9E6", numberFormat: "@" });
      expect(cell(row, col("level"))!.validation).toEqual(cell(geo.lastRow, col("level"))!.validation);
      expect(cell(row, col("output"))!.validation).not.toBeNull();
      expect(cell(row, 0)).toMatchObject({ locked: true, numberFormat: "0;;;" });
    }
    // the block ends where it did: its last row open and unlocked, nothing below it
    expect(cell(geo.lastRow, col("exports"))!.locked).toBe(false);
    expect(cell(geo.lastRow + 1, col("exports"))).toBeUndefined();
    expect(cell(geo.lastRow + 1, 0)).toBeUndefined();
    // every 序号 counts from the row above it; the moved rows keep their numbers, the blank ones show none
    for (let row = geo.firstRow; row <= geo.lastRow; row += row < geo.firstRow + 12 ? 1 : 397) expect(cell(row, 0)!.formula).toBe(numberFormula(row));
    expect(s.selected).toBe(`C${geo.firstRow + 3}`);
    // as computed: 1, 2, the blank rows carrying −2 (hidden by the format "0;;;"), then 3…7 on the moved rows
    const computed = await run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem(names.get("producers")!).getRange(`A${geo.firstRow + 1}:A${geo.firstRow + 10}`).load("values");
      await ctx.sync();
      return r.values.map((x) => x[0]);
    });
    expect(computed).toEqual([1, 2, -2, -2, 3, 4, 5, 6, 7, -7]);
    // below the last used row there are only open rows: as many as are left are inserted, nothing spills past the block
    selectCells(host.state, `B${geo.lastRow}`);
    expect((await insertListRows("zh", 5)).message).toContain("插入 2 行");
    expect(cell(geo.lastRow, col("firm"))!.locked).toBe(false);
    expect(cell(geo.lastRow + 1, col("firm"))).toBeUndefined();
    expect(cell(geo.lastRow, 0)!.formula).toBe(numberFormula(geo.lastRow));
  });

  it("costs the same 3 round trips for a list of 1,990 rows as for 7", async () => {
    const many = Array.from({ length: 1990 }, (_, i) => ({ ...seven[i % 7]!, uscc: withUsccCheck(`91140525MA0${String(100000 + i).slice(1)}X`) }));
    await pull(many);
    onList();
    selectCells(host.state, `B${geo.firstRow + 1}`);
    const [r, n] = await syncs(() => insertListRows("zh", 10));
    expect(r.ok).toBe(true);
    expect(n).toBe(3);
    expect(cell(geo.firstRow + 10, col("uscc"))!.value).toBe(many[0]!.uscc);
    expect(cell(geo.lastRow, col("uscc"))!.value).toBe(many[1989]!.uscc);
    expect(cell(geo.lastRow, 0)!.formula).toBe(numberFormula(geo.lastRow));
  });

  it("refuses, naming the limit, when the list's last row would pass the block's end, and outside the block or the list", async () => {
    const many = Array.from({ length: 1998 }, (_, i) => ({ ...seven[i % 7]!, uscc: withUsccCheck(`91140525MA0${String(100000 + i).slice(1)}X`) }));
    await pull(many);
    onList();
    selectCells(host.state, `B${geo.firstRow + 1}`);
    const before = sheet().cells.get(`${geo.firstRow},${col("uscc")}`)!.value;
    const full = await insertListRows("zh", 3);
    expect(full.ok).toBe(false);
    expect(full.message).toBe(`未插入：「质兴4表附表」的清单行在工作表第 ${geo.firstRow + 1}–${geo.lastRow + 1} 行（最多 2000 行），已填到第 ${geo.firstRow + 1998} 行，插入 3 行后最后一行将超出第 ${geo.lastRow + 1} 行。最多还能插入 2 行；如需更多行，请先删除不需要的行。`);
    expect(sheet().cells.get(`${geo.firstRow},${col("uscc")}`)!.value).toBe(before);
    expect(sheet().protected).toBe(true);
    expect((await insertListRows("zh", 2)).ok).toBe(true); // exactly to the end fits

    selectCells(host.state, `B${geo.headerRow + 1}`);
    expect((await insertListRows("zh", 1)).message).toContain("请先在清单中选中要在其上方插入的行");
    host.state.activeSheet = names.get("main")!;
    expect((await insertListRows("zh", 1)).message).toContain("当前工作表不是清单");
    expect((await insertListRows("zh", 0)).message).toContain("插入行数应为");
  });
});

describe("删除行 on a list's sheet", () => {
  it("deletes the selected rows once confirmed; the rows below move up and the block's end gets open rows back", async () => {
    await pull();
    onList();
    selectCells(host.state, `A${geo.firstRow + 2}:D${geo.firstRow + 3}`); // list rows 2 and 3
    const [ask, n1] = await syncs(() => deleteListRows("zh"));
    expect(ask).toMatchObject({ ok: false, confirm: { first: geo.firstRow + 1, count: 2 } });
    expect(ask.message).toContain("删除后无法用“撤销”恢复");
    expect(n1).toBe(2);
    expect(firms(7)).toEqual(seven.map((x) => x.firm));
    const [done, n2] = await syncs(() => deleteListRows("zh", ask.confirm));
    expect(done.ok).toBe(true);
    expect(n2).toBe(3);
    expect(firms(6)).toEqual([seven[0]!.firm, ...seven.slice(3).map((x) => x.firm), ""]);
    expect(sheet().protected).toBe(true);
    for (const row of [geo.firstRow, geo.firstRow + 1, geo.firstRow + 5, geo.lastRow - 1, geo.lastRow]) expect(cell(row, 0)!.formula).toBe(numberFormula(row));
    expect(cell(geo.lastRow, col("level"))).toMatchObject({ locked: false, fill: "#FFF9E6" });
    expect(cell(geo.lastRow, col("level"))!.validation).not.toBeNull();
    expect(cell(geo.lastRow + 1, col("level"))).toBeUndefined();
    // blank rows go without asking; a selection that leaves the block is refused
    selectCells(host.state, `B${geo.firstRow + 10}:B${geo.firstRow + 12}`);
    expect((await deleteListRows("zh")).ok).toBe(true);
    selectCells(host.state, `B${geo.codesRow + 1}:B${geo.firstRow + 1}`);
    expect((await deleteListRows("zh")).message).toContain("请先在清单中选中要删除的行");
    // a confirmation given for other rows is not taken for these
    selectCells(host.state, `B${geo.firstRow + 1}`);
    expect((await deleteListRows("zh", { first: geo.firstRow + 1, count: 2 })).message).toContain("已变化");
    expect(firms(1)).toEqual([seven[0]!.firm]);
  });
});

/** Zezhou's 质兴4表 figures for a list: what its rows add up to, so the rules between the two tables hold. */
const figuresOf = (raw: readonly Record<string, unknown>[]): Values => {
  const f = listFigures(c, validateLists(c, { producers: raw as Record<string, Scalar>[] }).lists);
  return { sx_products: f.producers_level_sx_rows ?? 0, brand_output: f.producers_output ?? "0.00", brand_tax: f.producers_tax ?? "0.00", brand_exports: f.producers_exports ?? 0 };
};
const fullWidth = (s: string) => s.replace(/[0-9A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/** 2,000 producers as copied from another workbook: choices by name or code, full-width codes and names, numbers as numbers or text. */
const pasted: Scalar[][] = Array.from({ length: 2000 }, (_, i) => {
  const uscc = withUsccCheck(`91140525MA0${String(200000 + i).slice(1)}X`);
  return [
    i % 3 === 0 ? `泽州县第${fullWidth(String(i))}号铸造有限公司` : `泽州县第${i}号铸造有限公司`,
    i % 5 === 0 ? fullWidth(uscc) : uscc,
    ["铸件", "焦炭", "陶瓷砖"][i % 3]!,
    ["山西名牌", "sx", "中国名牌", "cn"][i % 4]!,
    i % 2 === 0 ? 2015 + (i % 9) : String(2015 + (i % 9)),
    i % 2 === 0 ? 1.25 : "1,234.50",
    0.5,
    i % 7,
  ];
});

describe("a paste of 2,000 rows into the list's room", () => {
  it("is taken as the official pasted it: read in full and sent, 2,000 rows in the body; nothing of the add-in's fights it; later edits marked in one write", async () => {
    host = installFakeHost({ excelApi: "1.14" });
    resetEditWatch();
    const raw = pasted.map((r) => Object.fromEntries(page.table.fields.map((f, j) => [f.code, r[j]])));
    await pull([], figuresOf(raw));
    onList();
    pasteValues(host.state, cellAddress(geo.firstRow, 1), pasted);
    await host.settleEvents();
    expect(cell(geo.lastRow, col("exports"))!.value).toBe(pasted[1999]![7]);
    const sent: { lists?: { producers?: Record<string, unknown>[] } }[] = [];
    stubServer((method, _path, init) => {
      if (method === "PUT") sent.push(JSON.parse(String(init.body)) as (typeof sent)[number]);
      return json(submissionView({ revision: 2 }));
    }, [DEMO_BRANDS_TEMPLATE]);
    const r = await submitActiveSheet("zh");
    expect(r.ok, r.message).toBe(true);
    const body = sent[0]!.lists!.producers!;
    expect(body).toHaveLength(2000);
    // the shared reader takes them as people mean them
    const read = validateLists(c, { producers: body as Record<string, Scalar>[] });
    expect(read.issues).toEqual([]);
    expect(read.lists.producers![0]).toMatchObject({ uscc: withUsccCheck("91140525MA000000X"), level: "sx", year: 2015, output: "1.25" });
    expect(read.lists.producers![1]).toMatchObject({ level: "sx", year: 2016, output: "1234.50" });
    expect(read.lists.producers![2]).toMatchObject({ level: "cn" });
    // after the submit, a paste over the list is one change: its rows marked 已修改，未上报 in one write
    const before = host.state.syncCount;
    pasteValues(host.state, cellAddress(geo.firstRow, 1), pasted.map((row) => [...row.slice(0, 7), 9]));
    await host.settleEvents();
    expect(host.state.syncCount - before).toBe(2);
    expect(cell(geo.firstRow, geo.checkCol)!.value).toBe(EDITED_MARK);
    expect(cell(geo.lastRow, geo.checkCol)!.value).toBe(EDITED_MARK);
    expect(sheet().protected).toBe(true);
    expect(cell(geo.lastRow, col("exports"))!.value).toBe(9);
  }, 30_000);

  it("reads dates as officials write them: 2024-03-05, 2024/3/5, 2024年3月5日, or pasted as Excel's day numbers", async () => {
    const DATED: Template = TemplateSchema.parse({
      ...DEMO_BRANDS_TEMPLATE, id: "brands_dated", rules: [],
      form: { ...DEMO_BRANDS_TEMPLATE.form!, tables: DEMO_BRANDS_TEMPLATE.form!.tables.map((t) => (t.kind === "detail"
        ? { ...t, fields: [...t.fields, { code: "awarded", name: { zh: "获评日期", en: "Awarded on" }, type: "date" }] } : t)) },
    });
    const d = compiled(DATED);
    const dBook = fillBook(d);
    const dPage = pageOf(dBook, "producers");
    if (dPage?.kind !== "detail") throw new Error("page");
    const dNames = fillSheetNames(dBook, input);
    await run((ctx) => pullIntoSheets(ctx, buildFillPlans(d, { ...input, current: DEMO_BRANDS_PAST_VALUES.zezhou!, revision: 1 }), d));
    host.state.activeSheet = dNames.get("producers")!;
    const dates: Scalar[] = ["2024-03-05", "2024/3/5", "2024年3月5日", 45356];
    pasteValues(host.state, cellAddress(dPage.geometry.firstRow, 1), dates.map((date, i) => [
      `企业${i}`, withUsccCheck(`91140525MA0${String(300000 + i).slice(1)}X`), "铸件", "山西名牌", null, null, null, null, date]));
    stubServer(() => json({}), [DATED]);
    const r = await submitActiveSheet("zh", { checkOnly: true });
    expect(r.issues.filter((i) => i.list)).toEqual([]);
    const sent: { lists: { producers: Record<string, unknown>[] } }[] = [];
    stubServer((method, _p, init) => { if (method === "PUT") sent.push(JSON.parse(String(init.body)) as (typeof sent)[number]); return json(submissionView({ revision: 2 })); }, [DATED]);
    await submitActiveSheet("zh", { acknowledgeWarnings: true });
    expect(validateLists(d, sent[0]!.lists as Record<string, Record<string, Scalar>[]>).lists.producers!.map((x) => x.awarded)).toEqual(["2024-03-05", "2024-03-05", "2024-03-05", "2024-03-05"]);
  });
});

describe("list problems on their cells", () => {
  const fill = (row: number, field: string) => cell(row, col(field))?.fill;
  it("are marked where they are — the cell coloured, the message in its row's 校验 cell — and cleared once fixed", async () => {
    await pull();
    onList();
    const eighth = geo.firstRow + 9; // two blank rows below the seven
    for (const [field, v] of [["firm", "泽州县新增企业有限公司"], ["uscc", withUsccCheck("91140525MA0100070")], ["product", "铸件"], ["level", "中国名牌"], ["output", "约10亿"]] as const) typeInto(host.state, cellAddress(eighth, col(field)), v);
    typeInto(host.state, cellAddress(geo.firstRow + 2, col("uscc")), "91140525MA0100000X"); // row 3: a wrong check character
    const check = await submitActiveSheet("zh", { checkOnly: true });
    expect(check.ok).toBe(false);
    expect(fill(eighth, "output")).toBe("#FDE7E9");
    expect(fill(eighth, "firm")).toBe("#FFF9E6");
    expect(String(cell(eighth, geo.checkCol)!.value)).toContain("第 8 行「工业总产值」：「约10亿」不是数字");
    expect(fill(geo.firstRow + 2, "uscc")).toBe("#FDE7E9");
    expect(String(cell(geo.firstRow + 2, geo.checkCol)!.value)).toContain("第 3 行「统一社会信用代码」");
    // the blank rows left out: a notice on the first one's 序号
    expect(cell(geo.firstRow + 7, 0)!.fill).toBe("#FFF4CE");
    expect(String(cell(geo.firstRow + 7, geo.checkCol)!.value)).toContain("是空行");
    expect(sheet().protected).toBe(true);

    // fixed: the marks go with the next check
    typeInto(host.state, cellAddress(eighth, col("output")), "");
    typeInto(host.state, cellAddress(geo.firstRow + 2, col("uscc")), seven[2]!.uscc as string);
    await submitActiveSheet("zh", { checkOnly: true });
    expect(fill(eighth, "output")).toBe("#FFF9E6");
    expect(fill(geo.firstRow + 2, "uscc")).toBe("#FFF9E6");
    expect(cell(eighth, geo.checkCol)!.value).toBe("");
    expect(cell(geo.firstRow + 2, geo.checkCol)!.value).toBe("");
    expect(cell(geo.firstRow + 7, 0)!.fill).toBe("#FFF4CE"); // the blank rows are still there, still said

    // a problem the server finds (it numbers the rows as sent) is marked on the row's cell on the sheet
    stubServer((method) => (method === "PUT"
      ? json({ error: { code: "validation_failed", message: { zh: "数据校验未通过", en: "invalid" }, issues: [
        { code: "duplicate_key", severity: "error", indicator: "producers", list: { table: "producers", row: 8, field: "uscc" }, cell: cellAddress(geo.firstRow + 7, col("uscc")), table: "producers",
          message: { zh: `质兴4表附表 ${cellAddress(geo.firstRow + 7, col("uscc"))} 第 8 行与其他单位重复`, en: "row 8 taken" } }] } }, 422)
      : json(submissionView({ revision: 1 }))), [DEMO_BRANDS_TEMPLATE]);
    const r = await submitActiveSheet("zh", { acknowledgeWarnings: true });
    expect(r.ok).toBe(false);
    expect(fill(eighth, "uscc")).toBe("#FDE7E9");
    expect(cell(eighth, geo.checkCol)!.value).toBe(`质兴4表附表 ${cellAddress(eighth, col("uscc"))} 第 8 行与其他单位重复`);
    expect(cell(geo.firstRow + 7, geo.checkCol)!.value).toBe("");
  });
});

describe("a pull again", () => {
  const round = { id: "r2033", templateId: DEMO_BRANDS_TEMPLATE.id, templateVersion: 1, templateName: DEMO_BRANDS_TEMPLATE.name, period: "2033", deadline: "2099-01-01T00:00:00+08:00",
    ownerUnitId: "jincheng", ownerName: { zh: "晋城市", en: "Jincheng" }, closed: false, expectedUnitIds: ["zezhou"] };
  const server = (lists: Values[]) => stubServer(() => json(submissionView({ roundId: "r2033", revision: 1, values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: lists } })), [DEMO_BRANDS_TEMPLATE]);

  it("keeps the list rows typed but not submitted, where they were typed, and says how they differ from the server's", async () => {
    server(seven);
    expect((await pullTemplate(round, [round], "zh")).ok).toBe(true);
    onList();
    typeInto(host.state, cellAddress(geo.firstRow + 2, col("firm")), "改名后的企业有限公司");
    typeInto(host.state, cellAddress(geo.firstRow + 9, col("firm")), "泽州县新增企业有限公司");
    typeInto(host.state, cellAddress(geo.firstRow + 9, col("output")), "约10亿");
    const r = await pullTemplate(round, [round], "zh");
    expect(r.ok).toBe(true);
    expect(r.message).toContain("已保留您在清单中填写的行：质兴4表附表 8 行（服务器上 7 行；与服务器不同：第 3、8 行）");
    expect(firms(10)).toEqual([seven[0]!.firm, seven[1]!.firm, "改名后的企业有限公司", ...seven.slice(3).map((x) => x.firm), "", "", "泽州县新增企业有限公司"]);
    expect(cell(geo.firstRow + 9, col("output"))!.value).toBe("约10亿");
    expect(cell(geo.firstRow + 9, col("output"))!.locked).toBe(false);
    expect(sheet().protected).toBe(true);

    // the same rows on the server: nothing to say; a list cleared on the sheet gets the server's rows back
    const now = validateLists(c, { producers: [...seven.slice(0, 2), { ...seven[2]!, firm: "改名后的企业有限公司" }, ...seven.slice(3)] }).lists.producers!;
    onList(); // a pull leaves the cover active
    typeInto(host.state, cellAddress(geo.firstRow + 9, col("firm")), "");
    typeInto(host.state, cellAddress(geo.firstRow + 9, col("output")), "");
    server(now);
    expect((await pullTemplate(round, [round], "zh")).message).not.toContain("清单");
    onList();
    pasteValues(host.state, cellAddress(geo.firstRow, 1), Array.from({ length: 10 }, () => Array<Scalar | null>(8).fill("")));
    server(seven);
    expect((await pullTemplate(round, [round], "zh")).message).not.toContain("清单");
    expect(firms(8)).toEqual([...seven.map((x) => x.firm), ""]);
  });
});

describe("the pane's list-row buttons", () => {
  it("insert the rows asked for above the selected row, and ask before deleting rows that hold something", async () => {
    await pull();
    stubServer((_m, path) => (path === "/api/rounds" ? json([]) : json({}, 404)), [DEMO_BRANDS_TEMPLATE]);
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    mountPane(root);
    await vi.waitFor(() => expect(root.querySelector("#list-insert")).not.toBeNull());
    onList();
    selectCells(host.state, `B${geo.firstRow + 1}`);
    (root.querySelector("#list-rows-count") as HTMLInputElement).value = "3";
    (root.querySelector("#list-insert") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(root.querySelector(".notice")!.textContent).toContain("插入 3 行"));
    expect(firms(4)).toEqual(["", "", "", seven[0]!.firm]);
    selectCells(host.state, `B${geo.firstRow + 4}`);
    (root.querySelector("#list-delete") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(root.querySelector("#list-delete-confirm")).not.toBeNull());
    expect(firms(4)).toEqual(["", "", "", seven[0]!.firm]);
    (root.querySelector("#list-delete-confirm") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(root.querySelector(".notice")!.textContent).toContain("已删除"));
    expect(firms(4)).toEqual(["", "", "", seven[1]!.firm]);
  });
});
