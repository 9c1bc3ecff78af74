// @vitest-environment jsdom
// Detail lists on the desk (issue 25): a field as an official reads it, a row named by its list, number and
// what it is, the search, the pages, the list's figures laid out by the codes the template generates, the
// review screen's rows a page at a time with a 批注 per row, and a revision difference by row and field.
import { describe, expect, it } from "vitest";
import { DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, detailTables, type ReviewContext } from "@tianbao/shared";
import { fieldText, listFigureGrid, listFiguresTable, pageCount, pageOfIndex, rowMatches, rowNotePlace, rowTitle } from "../src/web/lists";
import { listDiffRows, reviewLists } from "../src/web/review-lists";
import { compiled } from "./helpers";

// jsdom lays nothing out: bringing a row into view is a no-op here (Chromium does it in lists.e2e.test.ts)
if (typeof Element.prototype.scrollIntoView !== "function") Element.prototype.scrollIntoView = () => undefined;

const c = compiled(DEMO_BRANDS_TEMPLATE);
const t = detailTables(c.template)[0]!;
const field = (code: string) => t.fields.find((f) => f.code === code)!;
const zezhou = DEMO_BRAND_PRODUCERS.zezhou!;

function context(rows: Record<string, unknown>[], o: { state?: string; notes?: Record<string, string>; revision?: number } = {}): ReviewContext {
  return {
    submission: { roundId: "r", unitId: "zezhou", state: o.state ?? "submitted", revision: o.revision ?? 1, values: { producers_rows: rows.length }, derived: {}, comments: {}, reviewComment: null,
      reviewIndicatorComments: o.notes ?? {}, submittedAt: null, submittedBy: null, warnings: [], lists: { producers: rows } },
    previous: null, parent: null, revisions: [],
  } as unknown as ReviewContext;
}

describe("a detail list's fields and rows as the desk shows them", () => {
  it("reads a choice by its option's name, yes/no as 是/否, an amount with its decimals; blank stays blank", () => {
    expect(fieldText(field("level"), "sx", "zh")).toBe("山西名牌");
    expect(fieldText(field("level"), "cn", "en")).toBe("China famous brand");
    expect(fieldText(field("output"), "18.5", "zh")).toBe("18.50");
    expect(fieldText(field("output"), 7, "zh")).toBe("7.00");
    expect(fieldText(field("exports"), 820, "zh")).toBe("820");
    expect(fieldText(field("output"), null, "zh")).toBe("");
    expect(fieldText({ ...field("firm"), type: "yesno" }, true, "zh")).toBe("是");
    expect(fieldText({ ...field("firm"), type: "yesno" }, false, "en")).toBe("no");
  });

  it("names a row by its first field and the key's readable fields, never the credit code", () => {
    expect(rowTitle(t, zezhou[2], "zh")).toBe(`${String(zezhou[2]!.firm)} · 无缝钢管`);
    expect(rowNotePlace(c.template, "producers#3", { producers: zezhou }, "zh")).toBe(`质兴4表附表 名牌产品生产企业名单 第 3 行（${String(zezhou[2]!.firm)} · 无缝钢管）`);
    expect(rowNotePlace(c.template, "producers#1234", { producers: zezhou }, "en")).toBe("质兴4表附表 Famous-brand producers row 1,234");
    expect(rowNotePlace(c.template, "products", undefined, "zh")).toBeNull();
    expect(rowNotePlace(c.template, "brands#3", undefined, "zh")).toBeNull();
  });

  it("finds rows by any field as shown, full-width and half-width alike, a choice in either language", () => {
    expect(rowMatches(t, zezhou[0]!, "鑫源", "zh")).toBe(true);
    expect(rowMatches(t, zezhou[0]!, "９１１４０５２５", "zh")).toBe(true);
    expect(rowMatches(t, zezhou[0]!, "shanxi", "zh")).toBe(true);
    expect(rowMatches(t, zezhou[0]!, "无缝钢管", "zh")).toBe(false);
    expect(rowMatches(t, zezhou[0]!, "  ", "zh")).toBe(true);
  });

  it("pages 100 rows at a time", () => {
    expect([pageCount(0), pageCount(100), pageCount(101), pageCount(2000)]).toEqual([1, 1, 2, 20]);
    expect([pageOfIndex(0), pageOfIndex(99), pageOfIndex(100), pageOfIndex(1233)]).toEqual([0, 0, 1, 12]);
  });

  it("lays the list's figures out by the codes the template generates: every one is an indicator of the list's section", () => {
    const { columns, lines } = listFigureGrid(t, "zh");
    expect(lines.map((l) => l.heading)).toEqual(["全部", "品牌级别：中国名牌", "品牌级别：山西名牌"]);
    expect(columns.map((x) => x.heading)).toEqual(["行数", "获评年份合计", "工业总产值（亿元）合计", "利税（亿元）合计", "出口额（万美元）合计"]);
    const table = listFiguresTable(t, (code) => code, "zh");
    const codes = [...table.querySelectorAll("td[data-figure]")].map((td) => td.getAttribute("data-figure")!);
    expect(codes).toHaveLength(15);
    for (const code of codes) expect(c.byCode.get(code)?.section, code).toBe("producers");
    expect(c.template.indicators.filter((i) => i.section === "producers").map((i) => i.code).sort()).toEqual([...codes].sort());
  });
});

describe("the review screen's list", () => {
  it("draws 100 rows of 2,000 with a pager, a 批注 per row kept across pages, and the notes to send", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ ...zezhou[0]!, firm: `企业${i + 1}` }));
    const { part, notes } = reviewLists(c, context(rows), "r1", "zezhou", true, "zh");
    document.body.replaceChildren(part!);
    const seq = () => [...document.querySelectorAll("tbody th.seq")].map((x) => x.textContent);
    expect(document.querySelector("h3")!.textContent).toBe("质兴4表附表 名牌产品生产企业名单（2,000 行）");
    expect(seq()).toHaveLength(100);
    expect(document.querySelector(".list-range")!.textContent).toBe("第 1–100 行，共 2,000 行");
    (document.querySelector('tr[data-row="3"] button.row-note') as HTMLButtonElement).click();
    const input = document.querySelector<HTMLInputElement>('input.row-comment[data-note="producers#3"]')!;
    input.value = "产值有误";
    input.dispatchEvent(new Event("input"));
    expect(notes()).toEqual({ "producers#3": "产值有误" });
    (document.querySelector("nav.pager.bottom button.next") as HTMLButtonElement).click();
    expect(seq()[0]).toBe("101");
    (document.querySelector("nav.pager.top button.first") as HTMLButtonElement).click();
    expect(document.querySelector<HTMLInputElement>('input.row-comment[data-note="producers#3"]')!.value).toBe("产值有误");
    // a search narrows to the rows that hold it, whatever their page
    const search = document.querySelector<HTMLInputElement>("input.list-search")!;
    search.value = "企业1999";
    search.dispatchEvent(new Event("input"));
    expect(seq()).toEqual(["1999"]);
    expect(document.querySelector(".list-range")!.textContent).toBe("找到 1 行（共 2,000 行），显示其中第 1–1 个");
    // the same screen drawn again (a cancelled 退回) keeps the note typed
    expect(reviewLists(c, context(rows), "r1", "zezhou", true, "zh").notes()).toEqual({ "producers#3": "产值有误" });
  });

  it("a returned report shows each row's note on its row, marked, and listed above the rows", () => {
    const { part } = reviewLists(c, context(zezhou, { state: "returned", notes: { "producers#2": "代码有误", products: "x" }, revision: 2 }), "r2", "zezhou", false, "zh");
    document.body.replaceChildren(part!);
    expect([...document.querySelectorAll("tbody td.review-note")].map((x) => x.textContent)).toEqual(["", "代码有误", "", "", "", "", ""]);
    expect(document.querySelector('tr[data-row="2"]')!.classList.contains("noted")).toBe(true);
    expect(document.querySelector('.list-notes li[data-row="2"]')!.textContent).toBe(`第 2 行（${String(zezhou[1]!.firm)} · 铸造生铁）：代码有误`);
    expect(document.querySelector("button.row-note")).toBeNull();
  });
});

describe("a revision difference's lists", () => {
  it("names each row added, removed and changed (field by field, with its cell) by its number", () => {
    const rows = listDiffRows(c, [{
      table: "producers",
      added: [{ row: 8, values: { firm: "新企业", product: "焦炭", level: "cn" } }],
      removed: [{ row: 7, values: { firm: "旧企业", product: "铸管" } }],
      changed: [{ row: 3, before: 4, fields: [{ field: "output", before: "12.30", after: "12.80" }, { field: "level", before: "sx", after: "cn" }] }],
    }], { producers: zezhou }, "zh");
    document.body.replaceChildren(...rows);
    const text = (tr: Element) => [...tr.children].map((x) => x.textContent);
    expect(rows.map((r) => r.className)).toEqual(["diff-table diff-list", "list-changed", "list-changed", "list-added", "list-removed"]);
    expect(rows[0]!.textContent).toBe("质兴4表附表 名牌产品生产企业名单：新增 1 行，删除 1 行，修改 1 行");
    expect(text(rows[1]!)).toEqual([`质兴4表附表 G8 第 3 行（原第 4 行）（${String(zezhou[2]!.firm)} · 无缝钢管） · 工业总产值（亿元）`, "12.30", "12.80"]);
    expect(text(rows[2]!)).toEqual([`质兴4表附表 E8 第 3 行（原第 4 行）（${String(zezhou[2]!.firm)} · 无缝钢管） · 品牌级别`, "山西名牌", "中国名牌"]);
    expect(text(rows[3]!)).toEqual(["新增 第 8 行（新企业 · 焦炭）", "（无）", "企业名称 新企业；产品 焦炭；品牌级别 中国名牌"]);
    expect(text(rows[4]!)).toEqual(["删除 原第 7 行（旧企业 · 铸管）", "企业名称 旧企业；产品 铸管", "（无）"]);
    // a list whose rows were only sorted is no difference
    expect(listDiffRows(c, [{ table: "producers", added: [], removed: [], changed: [] }], null, "zh")).toEqual([]);
  });
});
