// 汇总清单 (issue 25): a detail list over the city (or the province, or one unit below) — the union of the
// rows of every report counted in its totals, the unit's name first, in the units' official order — a page
// at a time from the API (offset/limit), on the standing figures or 仅已审核 as the totals are, with the
// list's figures from the totals above it: rows and sums, and the rows of each choice option. Its address
// keeps the unit, the basis, the page and its size, so Back and a refresh land on the same page.
import { detailTables, listFigureCode, roundName, type RoundView, type TotalsView } from "@tianbao/shared";
import { errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { fmt, type Desk } from "./desk";
import { LIST_PAGE_SIZE, count, listFiguresTable, listRowsTable, listTitle, pageCount, pager } from "./lists";

const U = {
  back: { zh: "← 返回填报进度", en: "← Back to the board" },
  title: { zh: "汇总清单 · {table}", en: "Rolled-up list · {table}" },
  scope: { zh: "汇总范围", en: "Over" },
  own: { zh: "{unit}（全部）", en: "{unit} (all)" },
  basis: { zh: "口径", en: "Basis" },
  standing: { zh: "当前数据（含未审核）", en: "Standing (not yet approved too)" },
  approved: { zh: "仅已审核", en: "Approved only" },
  size: { zh: "每页行数", en: "Rows a page" },
  unit: { zh: "单位", en: "Unit" },
  summary: { zh: "{scope}：{n} 行，来自 {units} 家单位的清单", en: "{scope}: {n} rows from {units} units' lists" },
  range: { zh: "第 {from}–{to} 行，共 {n} 行", en: "rows {from}–{to} of {n}" },
  empty: { zh: "{scope}的{table}没有{basis}的行", en: "{scope}'s {table} has no rows ({basis})" },
  noList: { zh: "本轮的模板没有清单「{table}」", en: "This round's template has no list '{table}'" },
};

const SIZES = [20, 50, 100, 200];

/** The address of a rolled-up list's page: `#/round/r/list/producers?unit=…&basis=approved&page=2&size=50`. */
export function rolledListHash(roundId: string, table: string, o: { unit?: string; basis?: string; page?: number; size?: number } = {}): string {
  const q = new URLSearchParams(Object.entries({ unit: o.unit, basis: o.basis === "approved" ? "approved" : undefined, page: o.page && o.page > 1 ? String(o.page) : undefined, size: o.size && o.size !== LIST_PAGE_SIZE ? String(o.size) : undefined })
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "")).toString();
  return `#/round/${roundId}/list/${table}${q ? `?${q}` : ""}`;
}

/** The figure of a list in a totals view as text (a sum as exact text; blank where no unit reported one). */
const totalOf = (view: TotalsView, code: string): string => {
  const x = view.totals.indicators[code];
  return x && (x.kind === "count" || x.kind === "amount") ? x.value ?? "" : "";
};

export async function listRollupScreen(desk: Desk, round: RoundView, tableCode: string, params: URLSearchParams): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const back = h("a", { href: `#/round/${round.id}`, class: "back" }, U.back[lang]);
  const tpl = await api.template(round);
  if (!tpl.ok) { say(errorText(tpl.error, lang), "error"); return h("div", {}, back); }
  const t = detailTables(tpl.value).find((x) => x.code === tableCode);
  if (!t) { say(fmt(U.noList[lang], { table: tableCode }), "error"); return h("div", {}, back); }
  const unit = params.get("unit") || me.unitId;
  const basis = params.get("basis") === "approved" ? "approved" : "standing";
  const size = SIZES.includes(Number(params.get("size"))) ? Number(params.get("size")) : LIST_PAGE_SIZE;
  const asked = Math.max(1, Math.floor(Number(params.get("page")) || 1));
  const keep = { unit: unit === me.unitId ? undefined : unit, basis, size };
  const [board, totals, page] = await Promise.all([
    api.completeness(round.id), api.totals(round.id, { unit, basis }),
    api.rolledList(round.id, t.code, { unit, basis, offset: (asked - 1) * size, limit: size }),
  ]);
  if (!page.ok) { say(errorText(page.error, lang), "error"); return h("div", {}, back); }
  const list = page.value;
  const pages = pageCount(list.total, size);
  // a page past the end (the list got shorter since the link was made): its last page
  if (asked > pages && list.total > 0) { desk.go(rolledListHash(round.id, t.code, { ...keep, page: pages })); return h("div", {}, back); }

  // the units it may be rolled up over: this desk's own unit, the levels below it, each expected unit
  const scopes = new Map<string, string>([[me.unitId, fmt(U.own[lang], { unit: me.unitName[lang] })]]);
  if (board.ok) for (const u of [...(board.value.levels ?? []), ...board.value.units]) if (!scopes.has(u.unitId)) scopes.set(u.unitId, u.name[lang]);
  if (!scopes.has(unit)) scopes.set(unit, unit);
  const scopeName = unit === me.unitId ? me.unitName[lang] : scopes.get(unit)!;
  const scope = h("select", { id: "list-scope", class: "list-scope" }, ...[...scopes].map(([id, name]) => h("option", { value: id, ...(id === unit ? { selected: true } : {}) }, name)));
  scope.addEventListener("change", () => desk.go(rolledListHash(round.id, t.code, { ...keep, unit: scope.value === me.unitId ? undefined : scope.value, page: 1 })));
  const sizes = h("select", { id: "list-size", class: "list-size" }, ...SIZES.map((n) => h("option", { value: String(n), ...(n === size ? { selected: true } : {}) }, String(n))));
  sizes.addEventListener("change", () => desk.go(rolledListHash(round.id, t.code, { ...keep, size: Number(sizes.value), page: 1 })));
  const bases = h("nav", { class: "board-filters list-basis", "aria-label": U.basis[lang] }, ...(["standing", "approved"] as const).map((b) =>
    h("a", { href: rolledListHash(round.id, t.code, { ...keep, basis: b, page: 1 }), "data-basis": b, class: b === basis ? "active" : "", ...(b === basis ? { "aria-current": "true" } : {}) }, U[b][lang])));

  const figures = totals.ok ? listFiguresTable(t, (code) => totalOf(totals.value, code), lang) : null;
  if (!totals.ok) say(errorText(totals.error, lang), "error");
  const rowsTotal = totals.ok ? totals.value.totals.indicators[listFigureCode(t.code, "rows")] : undefined;
  const reported = rowsTotal && "reported" in rowsTotal ? rowsTotal.reported : 0;
  const from = (asked - 1) * size;
  const go = (p: number) => desk.go(rolledListHash(round.id, t.code, { ...keep, page: p + 1 }));
  const pagerOf = (where: string) => (pages > 1 ? pager(t, asked - 1, pages, go, lang, where) : null);
  return h("section", { class: "list-screen", "data-round": round.id, "data-table": t.code, "data-unit": unit, "data-basis": basis },
    back,
    h("h2", {}, fmt(U.title[lang], { table: listTitle(t, lang) })),
    h("p", { class: "round-name" }, roundName(round, lang)),
    h("div", { class: "board-tools list-tools" },
      h("label", { for: "list-scope" }, U.scope[lang]), scope,
      bases,
      h("label", { for: "list-size" }, U.size[lang]), sizes),
    h("p", { class: "list-summary" }, fmt(U.summary[lang], { scope: scopeName, n: count(list.total), units: reported })),
    figures,
    list.total === 0
      ? h("p", { class: "hint empty" }, fmt(U.empty[lang], { scope: scopeName, table: listTitle(t, lang), basis: U[basis][lang] }))
      : h("div", { class: "detail-rows-view" },
        h("p", { class: "list-range", role: "status" }, fmt(U.range[lang], { from: count(from + 1), to: count(from + list.rows.length), n: count(list.total) })),
        pagerOf("top"),
        listRowsTable(t, list.rows.map((r) => ({ row: r.row, values: r.values, unit: r.unitName[lang], unitId: r.unitId })), lang, { unitHeading: U.unit[lang] }),
        pagerOf("bottom")));
}
