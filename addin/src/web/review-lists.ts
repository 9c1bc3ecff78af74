// A report's detail lists (浮动行, issue 25) on the review screen: each list under its title with its figures
// (rows and sums, by each choice option) above its rows, 100 rows a page with a search and 转到第 N 行, so
// a 2,000-row list stays quick; while it awaits review a 批注 per row (sent with 退回 as `producers#17`), and
// once returned each row's note on its row and listed above it. The difference between two revisions
// names the rows added, removed and changed — field by field — by their numbers.
import { detailSpot, detailTables, fillBook, listRowNoteKey, spotText, type CompiledTemplate, type DetailTable, type RawValue, type ReviewContext, type RevisionDiffSchema } from "@tianbao/shared";
import type { z } from "zod";
import type { Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { fmt } from "./desk";
import { LIST_PAGE_SIZE, count, fieldHeading, fieldText, listFiguresTable, listRowsTable, listTitle, pageCount, pageOfIndex, pager, rowMatches, rowText, rowTitle } from "./lists";
import { shown } from "./review-figures";

type Row = Readonly<Record<string, RawValue>>;
type ListDiff = NonNullable<z.infer<typeof RevisionDiffSchema>["lists"]>[number];

const D = {
  heading: { zh: "{table}（{n} 行）", en: "{table} ({n} rows)" },
  empty: { zh: "{table}：清单为空（0 行）", en: "{table}: the list is empty (0 rows)" },
  levelHint: { zh: "上报的是下级单位清单的汇总数；各单位的明细行见汇总清单。", en: "These are the totals of the lists below; the rows themselves are in the rolled-up list." },
  openRolled: { zh: "查看汇总清单：{table}", en: "Open the rolled-up list: {table}" },
  search: { zh: "在{table}中查找", en: "Find in {table}" },
  searchHint: { zh: "企业名称、代码、产品…", en: "name, code, product…" },
  jump: { zh: "转到第", en: "Go to row" },
  jumpRow: { zh: "行", en: "" },
  jumpGo: { zh: "转到", en: "Go" },
  jumpLabel: { zh: "{table}：转到第几行", en: "{table}: row to go to" },
  noSuchRow: { zh: "{table}只有 {n} 行，没有第 {row} 行", en: "{table} has {n} rows; there is no row {row}" },
  range: { zh: "第 {from}–{to} 行，共 {n} 行", en: "rows {from}–{to} of {n}" },
  found: { zh: "找到 {m} 行（共 {n} 行），显示其中第 {from}–{to} 个", en: "{m} of {n} rows found; showing {from}–{to}" },
  none: { zh: "{table}中没有含「{q}」的行", en: "No row of {table} holds '{q}'" },
  at: { zh: "已转到第 {row} 行", en: "Row {row} shown" },
  comment: { zh: "审核意见", en: "Reviewer's note" },
  note: { zh: "批注", en: "Note" },
  noteLabel: { zh: "审核意见：{place}", en: "Reviewer's note: {place}" },
  noteButton: { zh: "批注：{place}", en: "Note on {place}" },
  notesTyped: { zh: "已对{table}的 {n} 行填写审核意见，退回时一并发送", en: "Notes on {n} rows of {table}: they go back with the return" },
  notesShown: { zh: "{table}的审核意见（{n} 行，已在下表中标出）：", en: "Reviewer's notes on {table} ({n} rows, marked in the table below):" },
  // the difference between revisions
  diffHead: { zh: "{table}：新增 {added} 行，删除 {removed} 行，修改 {changed} 行", en: "{table}: {added} rows added, {removed} removed, {changed} changed" },
  added: { zh: "新增 {row}", en: "Added: {row}" },
  removed: { zh: "删除 原{row}", en: "Removed: former {row}" },
  moved: { zh: "（原第 {n} 行）", en: " (formerly row {n})" },
  absent: { zh: "（无）", en: "(none)" },
  blank: { zh: "（空）", en: "(empty)" },
};

/** Where each list stands on this screen (page, search), kept across the redraws an action makes. */
const views = new Map<string, { page: number; query: string }>();
/** The row notes typed for a revision under review: a cancelled 退回 form (which redraws the screen) keeps them. */
const typed = new Map<string, Map<string, string>>();

/** "质兴4表附表 名牌产品生产企业名单 第 3 行" / "… row 3". */
const place = (t: DetailTable, row: number, lang: Lang) => `${listTitle(t, lang)} ${rowText(row, lang)}`;

/**
 * The report's lists on its review screen (null when its template has none). `notes()` gives the row notes
 * typed (key `producers#17`) to send with 退回.
 */
export function reviewLists(compiled: CompiledTemplate, c: ReviewContext, roundId: string, unitId: string, reviewing: boolean, lang: Lang): { part: HTMLElement | null; notes: () => Record<string, string> } {
  const tables = detailTables(compiled.template);
  const s = c.submission;
  const mine = typed.get(`${roundId}/${unitId}/${s.revision}`) ?? new Map<string, string>();
  typed.set(`${roundId}/${unitId}/${s.revision}`, mine);
  const notes = () => Object.fromEntries([...mine].filter(([key, v]) => v.trim() !== "" && tables.some((t) => key.startsWith(`${t.code}#`))).map(([k, v]) => [k, v.trim()]));
  if (tables.length === 0) return { part: null, notes };
  const figure = (code: string) => shown(compiled.byCode.get(code), s.values[code] ?? s.derived[code], lang);
  const parts = tables.map((t) => {
    const rows = s.lists?.[t.code];
    const title = h("h3", { id: `list-${t.code}` }, rows ? fmt(D.heading[lang], { table: listTitle(t, lang), n: count(rows.length) }) : listTitle(t, lang));
    const section = h("section", { class: "detail-list", "data-table": t.code, "aria-labelledby": `list-${t.code}` }, title, listFiguresTable(t, figure, lang));
    // a level's upward submission: its totals only; the rows are the units' (the rolled-up list)
    if (!rows) {
      if (s.level) section.append(h("p", { class: "hint" }, D.levelHint[lang], " ",
        h("a", { class: "rolled-list-link", href: `#/round/${roundId}/list/${t.code}?unit=${encodeURIComponent(unitId)}` }, fmt(D.openRolled[lang], { table: listTitle(t, lang) }))));
      return section;
    }
    if (rows.length === 0) { section.append(h("p", { class: "hint empty" }, fmt(D.empty[lang], { table: listTitle(t, lang) }))); return section; }
    section.append(rowsView(t, rows, `${roundId}/${unitId}/${t.code}`, s.state === "returned" ? s.reviewIndicatorComments ?? {} : {}, reviewing ? mine : null, lang));
    return section;
  });
  return { part: h("div", { class: "detail-lists" }, ...parts), notes };
}

/** One list's rows a page at a time, with its search, 转到第 N 行, and its row notes (typed, or left with the return). */
function rowsView(t: DetailTable, rows: readonly Row[], key: string, left: Readonly<Record<string, string>>, typing: Map<string, string> | null, lang: Lang): HTMLElement {
  const view = views.get(key) ?? { page: 0, query: "" };
  views.set(key, view);
  const title = listTitle(t, lang);
  const all = rows.map((values, i) => ({ row: i + 1, values }));
  const noteOf = (row: number) => left[listRowNoteKey(t.code, row)];
  const search = h("input", { type: "search", class: "list-search", value: view.query, placeholder: D.searchHint[lang], "aria-label": fmt(D.search[lang], { table: title }) });
  const jumpTo = h("input", { type: "number", class: "list-jump", min: "1", max: String(rows.length), inputmode: "numeric", "aria-label": fmt(D.jumpLabel[lang], { table: title }) });
  const jumpError = h("span", { class: "field-error", role: "alert" });
  const jump = h("form", { class: "list-jump-form", novalidate: true }, D.jump[lang], " ", jumpTo, " ", D.jumpRow[lang], " ", h("button", { type: "submit", class: "list-jump-go" }, D.jumpGo[lang]), " ", jumpError);
  const status = h("p", { class: "list-range", role: "status", "aria-live": "polite" });
  const typedCount = h("p", { class: "list-notes-typed hint" });
  const holder = h("div", { class: "detail-rows-holder" });
  const top = h("div", { class: "pager-holder top" });
  const bottom = h("div", { class: "pager-holder bottom" });

  const noteCell = (row: number): HTMLElement => {
    const cell = h("td", { class: "review-note" });
    const k = listRowNoteKey(t.code, row);
    if (!typing) { cell.append(noteOf(row) ?? ""); return cell; }
    const where = place(t, row, lang);
    const input = () => {
      const i = h("input", { class: "row-comment", "data-note": k, maxlength: "500", value: typing.get(k) ?? "", "aria-label": fmt(D.noteLabel[lang], { place: where }) });
      i.addEventListener("input", () => { if (i.value.trim()) typing.set(k, i.value); else typing.delete(k); sayTyped(); });
      return i;
    };
    if (typing.has(k)) cell.append(input());
    else cell.append(h("button", { type: "button", class: "row-note", "aria-label": fmt(D.noteButton[lang], { place: where }), onclick: () => { const i = input(); cell.replaceChildren(i); i.focus(); } }, D.note[lang]));
    return cell;
  };
  const sayTyped = () => {
    const n = [...typing?.keys() ?? []].filter((k) => k.startsWith(`${t.code}#`)).length;
    typedCount.textContent = n ? fmt(D.notesTyped[lang], { table: title, n }) : "";
  };

  /** Draws the page shown; `focus` marks a row and brings it into view. */
  const draw = (focus?: number) => {
    const found = view.query.trim() ? all.filter((r) => rowMatches(t, r.values, view.query, lang)) : all;
    const pages = pageCount(found.length);
    view.page = Math.min(Math.max(0, view.page), pages - 1);
    const from = view.page * LIST_PAGE_SIZE;
    const shownRows = found.slice(from, from + LIST_PAGE_SIZE);
    const withNotes = typing !== null || all.some((r) => noteOf(r.row) !== undefined);
    holder.replaceChildren(listRowsTable(t, shownRows, lang, withNotes ? { noteHeading: D.comment[lang], noteCell, marked: (row) => noteOf(row) !== undefined } : {}));
    const go = (p: number) => { view.page = p; draw(); holder.scrollIntoView({ block: "start" }); };
    top.replaceChildren(...(pages > 1 ? [pager(t, view.page, pages, go, lang, "top")] : []));
    bottom.replaceChildren(...(pages > 1 ? [pager(t, view.page, pages, go, lang, "bottom")] : []));
    const range = { from: count(found.length ? from + 1 : 0), to: count(from + shownRows.length), n: count(all.length), m: count(found.length) };
    status.textContent = view.query.trim()
      ? (found.length ? fmt(D.found[lang], range) : fmt(D.none[lang], { table: title, q: view.query.trim() }))
      : fmt(D.range[lang], range);
    if (focus !== undefined) {
      const tr = holder.querySelector<HTMLTableRowElement>(`tr[data-row="${focus}"]`);
      if (tr) {
        tr.classList.add("focus-row");
        tr.tabIndex = -1;
        tr.scrollIntoView({ block: "center" });
        tr.focus({ preventScroll: true });
        status.textContent += `；${fmt(D.at[lang], { row: count(focus) })}`;
      }
    }
  };
  /** Shows row `n` (from 1): the page it is on, the search cleared if it hides the row. */
  const showRow = (n: number) => {
    if (view.query.trim() && !rowMatches(t, rows[n - 1]!, view.query, lang)) { view.query = ""; search.value = ""; }
    const found = view.query.trim() ? all.filter((r) => rowMatches(t, r.values, view.query, lang)) : all;
    view.page = pageOfIndex(found.findIndex((r) => r.row === n));
    draw(n);
  };
  search.addEventListener("input", () => { view.query = search.value; view.page = 0; draw(); });
  jump.addEventListener("submit", (e) => {
    e.preventDefault();
    const n = Number(jumpTo.value);
    if (!Number.isInteger(n) || n < 1 || n > rows.length) { jumpError.textContent = fmt(D.noSuchRow[lang], { table: title, n: count(rows.length), row: jumpTo.value.trim() }); jumpTo.focus(); return; }
    jumpError.textContent = "";
    showRow(n);
  });

  // the notes the return left, each a link to its row, above the table (a 2,000-row list is not searched by eye)
  const leftNotes = all.filter((r) => noteOf(r.row) !== undefined);
  const notesPart = leftNotes.length === 0 ? null : h("div", { class: "list-notes", role: "note" },
    h("p", {}, fmt(D.notesShown[lang], { table: title, n: leftNotes.length })),
    h("ul", {}, ...leftNotes.map((r) => {
      const who = rowTitle(t, r.values, lang);
      return h("li", { "data-row": String(r.row) },
        h("a", { href: `#list-${t.code}-row-${r.row}`, onclick: (e: Event) => { e.preventDefault(); showRow(r.row); } }, `${rowText(r.row, lang)}${who ? (lang === "zh" ? `（${who}）` : ` (${who})`) : ""}`),
        `${lang === "zh" ? "：" : ": "}${noteOf(r.row)!}`);
    })));
  draw();
  sayTyped();
  return h("div", { class: "detail-rows-view" }, notesPart, h("div", { class: "list-tools" }, search, jump), status, typedCount, top, holder, bottom);
}

/**
 * The lists' part of the difference between two revisions, as rows of the diff table (indicator | before | after):
 * under each list's title, each row added or removed with its fields, each row changed field by field with
 * its cell on the list's sheet; `current` names a row changed by what identifies it when `to` is the current revision.
 */
export function listDiffRows(compiled: CompiledTemplate, lists: readonly ListDiff[], current: Readonly<Record<string, readonly Row[]>> | null, lang: Lang): HTMLElement[] {
  const book = fillBook(compiled);
  const out: HTMLElement[] = [];
  for (const d of lists) {
    const t = detailTables(compiled.template).find((x) => x.code === d.table);
    if (!t || d.added.length + d.removed.length + d.changed.length === 0) continue;
    const title = listTitle(t, lang);
    const paren = (s: string) => (s ? (lang === "zh" ? `（${s}）` : ` (${s})`) : "");
    const whole = (values: Row) => t.fields.filter((f) => values[f.code] !== undefined && values[f.code] !== null).map((f) => `${f.name[lang]} ${fieldText(f, values[f.code], lang)}`).join(lang === "zh" ? "；" : "; ");
    out.push(h("tr", { class: "diff-table diff-list", "data-table": t.code }, h("th", { colspan: "3" }, fmt(D.diffHead[lang], { table: title, added: d.added.length, removed: d.removed.length, changed: d.changed.length }))));
    for (const x of d.changed) {
      const who = rowTitle(t, current?.[t.code]?.[x.row - 1], lang);
      for (const f of x.fields) {
        const field = t.fields.find((y) => y.code === f.field);
        const spot = detailSpot(book, t.code, x.row, f.field);
        out.push(h("tr", { class: "list-changed", "data-list": t.code, "data-row": String(x.row), "data-field": f.field },
          h("td", {}, spot ? h("span", { class: "cell" }, `${spotText(book, spot)} `) : null,
            `${rowText(x.row, lang)}${x.before !== x.row ? fmt(D.moved[lang], { n: count(x.before) }) : ""}${paren(who)} · ${field ? fieldHeading(field, lang) : f.field}`),
          h("td", {}, (field ? fieldText(field, f.before, lang) : String(f.before ?? "")) || D.blank[lang]),
          h("td", {}, (field ? fieldText(field, f.after, lang) : String(f.after ?? "")) || D.blank[lang])));
      }
    }
    for (const x of d.added) {
      out.push(h("tr", { class: "list-added", "data-list": t.code, "data-row": String(x.row) },
        h("td", {}, `${fmt(D.added[lang], { row: rowText(x.row, lang) })}${paren(rowTitle(t, x.values, lang))}`), h("td", {}, D.absent[lang]), h("td", {}, whole(x.values))));
    }
    for (const x of d.removed) {
      out.push(h("tr", { class: "list-removed", "data-list": t.code, "data-row": String(x.row) },
        h("td", {}, `${fmt(D.removed[lang], { row: rowText(x.row, lang) })}${paren(rowTitle(t, x.values, lang))}`), h("td", {}, whole(x.values)), h("td", {}, D.absent[lang])));
    }
  }
  return out;
}
