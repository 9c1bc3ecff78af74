// Detail lists (浮动行, issue 25) as the desk reads them: each field as an official reads it (a choice by
// its option's name, yes/no as 是/否, amounts with their decimals), a row named by its list and number and
// by what identifies it (企业名称 · 产品), the list's figures — its rows and sums, overall and by each
// choice option — as one small table, and a pager, so a 2,000-row list is drawn 100 rows at a time.
import { Exact, LIST_ROW_NOTE, detailTables, listFigureCode, type DetailField, type DetailTable, type RawValue, type Template } from "@tianbao/shared";
import type { Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { fmt } from "./desk";

/** Rows drawn at once; the rest are a page away. */
export const LIST_PAGE_SIZE = 100;

const L = {
  seq: { zh: "序号", en: "No." },
  row: { zh: "第 {n} 行", en: "row {n}" },
  yes: { zh: "是", en: "yes" },
  no: { zh: "否", en: "no" },
  figures: { zh: "{table}的汇总数", en: "{table}: its figures" },
  all: { zh: "全部", en: "All rows" },
  rows: { zh: "行数", en: "Rows" },
  sum: { zh: "{field}合计", en: "{field} in all" },
  option: { zh: "{field}：{option}", en: "{field}: {option}" },
  pager: { zh: "{table}分页", en: "{table}: pages" },
  first: { zh: "首页", en: "First" },
  prev: { zh: "上一页", en: "Previous" },
  next: { zh: "下一页", en: "Next" },
  last: { zh: "末页", en: "Last" },
  pageOf: { zh: "第 {page} / {pages} 页", en: "page {page} of {pages}" },
};

/** How a number of rows is said: 2,000. */
export const count = (n: number): string => n.toLocaleString("en-US");

/** A list's title as the form prints it: 质兴4表附表 名牌产品生产企业名单. */
export const listTitle = (t: DetailTable, lang: Lang): string => `${t.formNo} ${t.name[lang]}`.trim();

/** A field's column heading, with its unit: 工业总产值（亿元）. */
export const fieldHeading = (f: DetailField, lang: Lang): string => (f.unit ? (lang === "zh" ? `${f.name.zh}（${f.unit}）` : `${f.name.en} (${f.unit})`) : f.name[lang]);

/** A stored field as an official reads it: a choice by its option's name, 是/否, an amount with its decimals, a date as 2024-03-05; blank stays blank. */
export function fieldText(f: DetailField, v: RawValue | undefined, lang: Lang): string {
  if (v === null || v === undefined || v === "") return "";
  switch (f.type) {
    case "choice": return f.options?.find((o) => o.code === v)?.name[lang] ?? String(v);
    case "yesno": return v === true ? L.yes[lang] : v === false ? L.no[lang] : String(v);
    case "amount": {
      const x = typeof v === "number" ? Exact.exactFromNumber(v) : Exact.parseExact(String(v));
      return x ? Exact.toFixed(x, f.decimals) : String(v);
    }
    default: return String(v);
  }
}

const isNumber = (f: DetailField) => f.type === "count" || f.type === "amount";

/** What tells a row apart for a reader: its first field and the text or choice fields of its key (企业名称 · 产品), never the credit code's 18 characters. */
export function rowTitle(t: DetailTable, values: Readonly<Record<string, RawValue>> | undefined, lang: Lang): string {
  if (!values) return "";
  const first = t.fields[0]!;
  const fields = [first, ...t.key.map((k) => t.fields.find((f) => f.code === k)).filter((f): f is DetailField => f !== undefined && f !== first && f.type !== "code")];
  return fields.map((f) => fieldText(f, values[f.code], lang)).filter(Boolean).join(" · ");
}

/** "第 3 行" / "row 3". */
export const rowText = (n: number, lang: Lang): string => fmt(L.row[lang], { n: count(n) });

/**
 * A review note's place when its key is a list row's (`producers#3`): "质兴4表附表 名牌产品生产企业名单 第 3 行（泽州县…有限公司 · 焦炭）",
 * the row read from the list as it stands; null for an indicator's note.
 */
export function rowNotePlace(template: Pick<Template, "form">, key: string, lists: Readonly<Record<string, readonly Readonly<Record<string, RawValue>>[]>> | undefined, lang: Lang): string | null {
  const m = LIST_ROW_NOTE.exec(key);
  if (!m) return null;
  const t = detailTables(template).find((x) => x.code === m[1]);
  if (!t) return null;
  const n = Number(m[2]);
  const title = rowTitle(t, lists?.[t.code]?.[n - 1], lang);
  return `${listTitle(t, lang)} ${rowText(n, lang)}${title ? (lang === "zh" ? `（${title}）` : ` (${title})`) : ""}`;
}

/** Whether a row holds the text looked for, in any field as shown (full-width and half-width alike, case ignored). */
export function rowMatches(t: DetailTable, values: Readonly<Record<string, RawValue>>, query: string, lang: Lang): boolean {
  const q = tidy(query);
  if (q === "") return true;
  return t.fields.some((f) => tidy(fieldText(f, values[f.code], lang)).includes(q) || (f.type === "choice" && tidy(fieldText(f, values[f.code], lang === "zh" ? "en" : "zh")).includes(q)));
}
const tidy = (s: string) => s.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();

/** How many pages `n` rows take (one, when there are none). */
export const pageCount = (n: number, size = LIST_PAGE_SIZE): number => Math.max(1, Math.ceil(n / size));

/** The page (from 0) the row at `index` (from 0) is on. */
export const pageOfIndex = (index: number, size = LIST_PAGE_SIZE): number => Math.floor(index / size);

/**
 * The figures a list generates, as the form's small summary: a line for all rows and one for each option of
 * each choice field (and the 是 of each yes/no field), a column for the rows and one per count and amount
 * field's sum — the codes `listFigureIndicators` gives them.
 */
export function listFigureGrid(t: DetailTable, lang: Lang): { columns: { what: string; heading: string }[]; lines: { heading: string; where?: { field: string; equals: string | true } }[] } {
  const columns = [{ what: "rows", heading: L.rows[lang] }, ...t.fields.filter(isNumber).map((f) => ({ what: f.code, heading: fmt(L.sum[lang], { field: fieldHeading(f, lang) }) }))];
  const lines: { heading: string; where?: { field: string; equals: string | true } }[] = [{ heading: L.all[lang] }];
  for (const f of t.fields) {
    if (f.type === "choice") for (const o of f.options ?? []) lines.push({ heading: fmt(L.option[lang], { field: f.name[lang], option: o.name[lang] }), where: { field: f.code, equals: o.code } });
    if (f.type === "yesno") lines.push({ heading: fmt(L.option[lang], { field: f.name[lang], option: L.yes[lang] }), where: { field: f.code, equals: true } });
  }
  return { columns, lines };
}

/** The list's figures as a table (blank stays blank, never 0); `valueOf` gives a figure by its code as text. */
export function listFiguresTable(t: DetailTable, valueOf: (code: string) => string, lang: Lang): HTMLTableElement {
  const { columns, lines } = listFigureGrid(t, lang);
  return h("table", { class: "list-figures", "data-table": t.code },
    h("caption", {}, fmt(L.figures[lang], { table: listTitle(t, lang) })),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), ...columns.map((c) => h("th", { scope: "col" }, c.heading)))),
    h("tbody", {}, ...lines.map((line) => h("tr", line.where ? { "data-where": `${line.where.field}:${String(line.where.equals)}` } : { class: "all" },
      h("th", { scope: "row" }, line.heading),
      ...columns.map((c) => { const code = listFigureCode(t.code, c.what, line.where); return h("td", { class: "num", "data-figure": code }, valueOf(code)); })))));
}

/** A list's rows as a table: 序号 and the fields (numbers to the right), optionally the unit first and a note cell last. */
export function listRowsTable(t: DetailTable, rows: readonly { row: number; values: Readonly<Record<string, RawValue>>; unit?: string; unitId?: string }[], lang: Lang,
  o: { unitHeading?: string; noteHeading?: string; noteCell?: (row: number) => HTMLElement; marked?: (row: number) => boolean } = {}): HTMLTableElement {
  const head = h("tr", {},
    ...(o.unitHeading ? [h("th", { scope: "col", class: "unit" }, o.unitHeading)] : []),
    h("th", { scope: "col", class: "seq" }, L.seq[lang]),
    ...t.fields.map((f) => h("th", { scope: "col", "data-field": f.code, class: isNumber(f) ? "num" : "" }, fieldHeading(f, lang))),
    ...(o.noteCell ? [h("th", { scope: "col", class: "review-note" }, o.noteHeading ?? "")] : []));
  const body = h("tbody", {}, ...rows.map((r) => h("tr", { "data-row": String(r.row), ...(r.unitId ? { "data-unit": r.unitId } : {}), ...(o.marked?.(r.row) ? { class: "noted" } : {}) },
    ...(o.unitHeading ? [h("td", { class: "unit" }, r.unit ?? "")] : []),
    h("th", { scope: "row", class: "seq" }, String(r.row)),
    ...t.fields.map((f) => h("td", { "data-field": f.code, class: isNumber(f) ? "num" : `t-${f.type}` }, fieldText(f, r.values[f.code], lang))),
    ...(o.noteCell ? [o.noteCell(r.row)] : []))));
  return h("table", { class: "detail-rows", "data-table": t.code }, h("thead", {}, head), body);
}

/** 首页 / 上一页 / 第 x / y 页 / 下一页 / 末页, for the pages of one list; `go` takes the page from 0. */
export function pager(t: DetailTable, page: number, pages: number, go: (page: number) => void, lang: Lang, where = ""): HTMLElement {
  const b = (cls: string, label: string, to: number, off: boolean) => h("button", { type: "button", class: `page ${cls}`, ...(off ? { disabled: true } : {}), onclick: () => go(to) }, label);
  return h("nav", { class: `pager ${where}`.trim(), "aria-label": fmt(L.pager[lang], { table: listTitle(t, lang) }) },
    b("first", L.first[lang], 0, page === 0),
    b("prev", L.prev[lang], page - 1, page === 0),
    h("span", { class: "page-of", "aria-current": "page" }, fmt(L.pageOf[lang], { page: page + 1, pages })),
    b("next", L.next[lang], page + 1, page >= pages - 1),
    b("last", L.last[lang], pages - 1, page >= pages - 1));
}
