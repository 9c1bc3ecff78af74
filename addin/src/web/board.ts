// The city's board for one round: every expected unit with its state, revision, first and last
// submission, lateness and reviewer; counts that link to the filtered list, sorting, search, the
// 催报 list, reminders, and (for administrators) deadlines, reopening and closing the round.
import { detailTables, namesBelowTop, roundName, type CompletenessSchema, type LocalizedText, type RoundView } from "@tianbao/shared";
import type { z } from "zod";
import { T, errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { reviewsUnit, type UnitTree } from "./authority";
import { beijingTime, busyButton, downloadButton, revisionText, stateText, type Desk } from "./desk";
import { chaseTools } from "./board-chase";
import { roundForms } from "./board-deadlines";
import { cityFilter, cityHeader, groupRow, groupUnits } from "./board-groups";
import { askReopenReason, confirmLevelSubmit, levelNotes } from "./board-actions";
import { rolledListHash } from "./list-rollup";
import { listTitle } from "./lists";

type Unit = z.infer<typeof CompletenessSchema>["units"][number];
type Level = NonNullable<z.infer<typeof CompletenessSchema>["levels"]>[number];

const B = {
  review: { zh: "审核", en: "Review" },
  view: { zh: "查看", en: "View" },
  remind: { zh: "催报", en: "Remind" },
  reminded: { zh: "最近催报", en: "Last reminded" },
  unit: { zh: "单位", en: "Unit" },
  state: { zh: "状态", en: "State" },
  first: { zh: "首次上报", en: "First in" },
  last: { zh: "最近上报", en: "Last in" },
  reviewer: { zh: "审核人", en: "Reviewer" },
  late: { zh: "逾期", en: "late" },
  search: { zh: "按单位名称查找", en: "Find a unit by name" },
  xlsx: { zh: "汇总表 (.xlsx)", en: "Totals (.xlsx)" },
  csv: { zh: "汇总 (CSV)", en: "Totals (CSV)" },
  audit: { zh: "操作记录", en: "Audit trail" },
  back: { zh: "← 返回填报任务", en: "← Back to rounds" },
  extend: { zh: "延长截止时间", en: "Extend the deadline" },
  extendUnit: { zh: "延期", en: "Extend" },
  close: { zh: "提前结束本轮", en: "Close the round early" },
  reopen: { zh: "重新打开", en: "Reopen" },
  reopened: { zh: "已重新打开：", en: "Reopened: " },
  unitDeadline: { zh: "本单位截止", en: "own deadline" },
  allDone: { zh: "没有需要催报的单位", en: "Nobody to chase" },
  levels: { zh: "逐级上报", en: "Reporting upward" },
  levelUnit: { zh: "上报单位", en: "Reporting unit" },
  levelIntro: { zh: "各级单位审核完下级后，将本级汇总上报上级；上级可退回或审核通过（通过后该单位及其下级本轮数据锁定）。", en: "Each level reviews the units below it, then submits its totals upward; the level above returns or approves them (approval locks that unit and everything below it for the round)." },
  submitUp: { zh: "上报上级", en: "Submit upward" },
  upComment: { zh: "上级意见", en: "The level above says" },
  submittedUp: { zh: "已上报上级", en: "Submitted upward" },
  upDeadline: { zh: "上报截止", en: "Due upward" },
  belowApproved: { zh: "下级已审核", en: "Approved below" },
  notReady: { zh: "下级单位全部审核通过后才能上报", en: "Every unit below must be approved before submitting upward" },
  lists: { zh: "汇总清单", en: "Rolled-up lists" },
  listLink: { zh: "汇总清单：{table}", en: "Rolled-up list: {table}" },
};

const FILTERS: Record<string, { label: { zh: string; en: string }; keep: (u: Unit) => boolean }> = {
  all: { label: { zh: "应报", en: "Expected" }, keep: () => true },
  missing: { label: { zh: "未报", en: "Missing" }, keep: (u) => u.state === "not_started" },
  late: { label: { zh: "逾期", en: "Late" }, keep: (u) => u.late },
  returned: { label: { zh: "已退回", en: "Returned" }, keep: (u) => u.state === "returned" },
  review: { label: { zh: "待审核", en: "To review" }, keep: (u) => u.state === "submitted" },
  approved: { label: { zh: "已审核", en: "Approved" }, keep: (u) => u.state === "approved" },
};

const STATE_ORDER: Record<string, number> = { submitted: 0, returned: 1, not_started: 2, approved: 3 };
const SORTS: Record<string, (a: Unit, b: Unit, lang: Lang) => number> = {
  order: () => 0, // the official order the API gives (a stable sort keeps it)
  unit: (a, b, lang) => a.name[lang].localeCompare(b.name[lang], lang === "zh" ? "zh-CN" : "en"),
  state: (a, b) => STATE_ORDER[a.state]! - STATE_ORDER[b.state]! || Number(b.late) - Number(a.late),
  first: (a, b) => (a.firstSubmittedAt ?? "~").localeCompare(b.firstSubmittedAt ?? "~"),
  last: (a, b) => (b.lastSubmittedAt ?? "").localeCompare(a.lastSubmittedAt ?? ""),
  reviewer: (a, b) => (a.reviewedBy ?? "~").localeCompare(b.reviewedBy ?? "~"),
};

/** The address of a round's board with a filter, a sort and a search: links and Back keep them. */
export const boardHash = (roundId: string, o: { f?: string; s?: string; q?: string; c?: string } = {}): string => {
  const q = new URLSearchParams(Object.entries(o).filter(([, v]) => v) as [string, string][]).toString();
  return `#/round/${roundId}${q ? `?${q}` : ""}`;
};

export async function boardScreen(desk: Desk, round: RoundView, params: URLSearchParams): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const [c, units, tpl] = await Promise.all([api.completeness(round.id), api.units(), api.template(round)]);
  if (!c.ok) { say(errorText(c.error, lang), "error"); return h("div"); }
  // the template's detail lists (浮动行), each rolled up over this desk's units on a screen of its own
  const lists = tpl.ok ? detailTables(tpl.value) : [];
  const v = c.value;
  const tree: UnitTree = { parentOf: new Map(units.ok ? units.value.map((u) => [u.id, u.parentId]) : []) };
  const names = new Map<string, LocalizedText>(units.ok ? units.value.map((u) => [u.id, u.name]) : []);
  // a province's board: its units grouped under their cities, with a 所属市 column and filter
  const groups = groupUnits(v.units, tree.parentOf, names, v.levels ?? []);
  // outside their parent's context units are named by their path below the viewer (山西省 / 省直辖县级行政区划)
  const paths = namesBelowTop(tree.parentOf, names);
  const city = groups?.some((g) => g.id === params.get("c")) ? params.get("c")! : "";
  const keep = { f: params.get("f") ?? "", s: params.get("s") ?? "", c: city };
  const reviews = (unitId: string) => reviewsUnit(me, round, tree, unitId);
  // deadlines and closing belong to the round's owner or a unit above it
  const managesRound = me.role === "admin" && tree.parentOf.has(round.ownerUnitId);
  // a unit whose city has submitted upward (or was approved) is locked for the round
  const lockedBy = new Map((v.levels ?? []).filter((l) => l.state === "submitted" || l.state === "approved").map((l) => [l.unitId, l]));
  const lockedAbove = (unitId: string) => { const p = tree.parentOf.get(unitId); return p !== undefined && p !== null && lockedBy.has(p); };
  const filter = FILTERS[params.get("f") ?? ""] ? params.get("f")! : "all";
  const sort = SORTS[params.get("s") ?? ""] ? params.get("s")! : "order";
  const search = h("input", { id: "board-search", type: "search", placeholder: B.search[lang], value: params.get("q") ?? "" });
  const admin = me.role === "admin";
  const reviewer = me.role === "admin" || me.role === "reviewer";
  const short = (iso: string | null | undefined) => (iso ? beijingTime(iso, lang, true) : "—");

  // the counts at the top are the filters: each links to its list
  const counts = h("nav", { class: "board-filters", "aria-label": lang === "zh" ? "筛选" : "Filter" }, ...Object.entries(FILTERS).map(([key, f]) =>
    h("a", { href: boardHash(round.id, { ...keep, f: key === "all" ? "" : key, q: search.value }), "data-filter": key, class: key === filter ? "active" : "" },
      f.label[lang], " ", h("b", {}, String(v.units.filter(f.keep).length)))));

  // the units this desk chases: not in (or returned), and its own to review; late ones after the
  // deadline too; only a round closed early takes no more reminders
  const waiting = v.units.filter((u) => (u.state === "not_started" || u.state === "returned") && reviews(u.unitId)).map((u) => u.unitId);
  // named by their path below this desk in the 催报 text and CSV (晋城市 / 市辖区 at a province), plainly at a city
  const chase = v.units.filter((u) => u.state === "not_started" || u.state === "returned" || u.late).map((u) => ({ ...u, name: paths.get(u.unitId) ?? u.name }));
  const { tools: chaseButtons, remind } = chaseTools(desk, round, chase, !round.closedAt && reviewer ? waiting : []);

  const position = new Map(v.units.map((u, i) => [u.unitId, i]));
  const sorted = (list: readonly Unit[]) => [...list].sort((a, b) => SORTS[sort]!(a, b, lang) || position.get(a.unitId)! - position.get(b.unitId)!);
  const th = (key: string, label: string) => h("th", { "aria-sort": key === sort ? "ascending" : "none" },
    h("a", { href: boardHash(round.id, { ...keep, s: key, q: search.value }), class: "sort", "data-sort": key }, label, key === sort ? " ▾" : ""));
  const unitRow = (u: Unit) => {
    const actions = h("td", { class: "actions" });
    if (u.state !== "not_started") actions.append(h("a", { class: "button review-link", href: `#/round/${round.id}/unit/${u.unitId}` }, u.state === "submitted" && reviews(u.unitId) ? B.review[lang] : B.view[lang]));
    if (waiting.includes(u.unitId) && !round.closedAt && reviews(u.unitId)) actions.append(busyButton(B.remind[lang], "…", { class: "remind" }, remind([u.unitId])));
    // reopening is a review: only the unit's reviewer (its parent, or the owner for the owner's children)
    if (admin && reviews(u.unitId) && !lockedAbove(u.unitId) && (u.state === "approved" || (round.closed && !u.reopened))) {
      actions.append(busyButton(B.reopen[lang], "…", { class: "reopen" }, async () => {
        const reason = await askReopenReason(lang, u.name[lang]);
        if (reason === null) return;
        const r = await api.reopen(round.id, u.unitId, reason);
        // reopened from another tab meanwhile: the report is open, which is what was asked
        const now = r.ok ? null : await api.submission(round.id, u.unitId);
        if (!r.ok && !(now?.ok && now.value.state !== "approved")) return say(errorText(r.error, lang), "error");
        desk.redraw();
        say(`${B.reopened[lang]}${u.name[lang]}`, "ok");
      }));
    }
    if (managesRound && u.state !== "approved" && !round.closedAt) actions.append(h("button", { class: "extend-unit", onclick: (e: Event) => extendForm((e.currentTarget as HTMLElement).closest("td")!, u) }, B.extendUnit[lang]));
    return h("tr", { "data-unit": u.unitId, class: u.late ? "late" : "" },
      h("td", { class: "unit" }, u.name[lang], u.contact ? h("div", { class: "contact" }, [u.contact.name, u.contact.phone].filter(Boolean).join(" ")) : null,
        u.lastRemindedAt ? h("div", { class: "reminded" }, `${B.reminded[lang]} ${short(u.lastRemindedAt)}`) : null),
      ...(groups ? [h("td", { class: "city" }, paths.get(tree.parentOf.get(u.unitId) ?? "")?.[lang] ?? "—")] : []),
      stateCell(u, lang, u.deadline ? h("div", { class: "unit-deadline" }, `${B.unitDeadline[lang]} ${beijingTime(u.deadline, lang)}`) : null),
      h("td", { class: "first" }, short(u.firstSubmittedAt)),
      h("td", { class: "last" }, short(u.lastSubmittedAt)),
      // the reviewer of the state shown: a reopened report is nobody's decision yet
      h("td", { class: "reviewer" }, (u.state === "approved" || u.state === "returned") && u.reviewedBy ? u.reviewedBy : "—"),
      actions);
  };

  const { extendForm, closeForm } = roundForms(desk, round);
  const roundActions = h("div", { class: "round-admin" });
  // a round closed early stays closed (units are let in one by one with 重新打开); one past its deadline can be extended
  if (managesRound && !round.closedAt) {
    roundActions.append(h("button", { class: "extend-round", onclick: () => extendForm(roundActions, null) }, B.extend[lang]));
    if (!round.closed) roundActions.append(h("button", { class: "close-round", onclick: () => closeForm(roundActions) }, B.close[lang]));
  }

  const headers = [th("unit", B.unit[lang]), ...(groups ? [h("th", {}, cityHeader[lang])] : []), th("state", B.state[lang]), th("first", B.first[lang]), th("last", B.last[lang]), th("reviewer", B.reviewer[lang]), h("th", {}, "")];
  // grouped: each city's heading row and subtotals, then its units (sorted within the city)
  const body = groups ? groups.flatMap((g) => [groupRow(g, lang, headers.length), ...sorted(g.units).map(unitRow)]) : sorted(v.units).map(unitRow);
  const table = h("table", { class: "board units" }, h("thead", {}, h("tr", {}, ...headers)), h("tbody", {}, ...body));
  let cityShown = city;
  const apply = () => {
    const q = search.value.trim().toLowerCase();
    for (const tr of table.querySelectorAll<HTMLTableRowElement>("tbody tr[data-unit]")) {
      const u = v.units.find((x) => x.unitId === tr.dataset.unit)!;
      tr.hidden = !(FILTERS[filter]!.keep(u) && (cityShown === "" || tree.parentOf.get(u.unitId) === cityShown) && (q === "" || u.name.zh.toLowerCase().includes(q) || u.name.en.toLowerCase().includes(q)));
    }
    // a city's heading shows while any of its units does
    for (const tr of table.querySelectorAll<HTMLTableRowElement>("tbody tr.group")) {
      tr.hidden = ![...table.querySelectorAll<HTMLTableRowElement>("tbody tr[data-unit]")].some((r) => !r.hidden && tree.parentOf.get(r.dataset.unit!) === tr.dataset.group);
    }
    // the address keeps the search and the city, so Back and a refresh come back to the same list
    // (only while this board is still the screen shown: a slower, older drawing never rewrites a newer address)
    if (table.isConnected && location.hash.split("?")[0] === `#/round/${round.id}`) {
      history.replaceState(null, "", boardHash(round.id, { ...keep, f: filter === "all" ? "" : filter, c: cityShown, q: search.value.trim() }));
    }
  };
  const cities = groups ? cityFilter(groups, city, lang, (id) => { cityShown = id; apply(); }) : null;
  search.addEventListener("input", apply);
  queueMicrotask(apply);

  // the levels in the order of the groups below (official order), not by code
  const cityOrder = new Map((groups ?? []).map((g, i) => [g.id, i]));
  const levels = [...(v.levels ?? [])].sort((a, b) => (cityOrder.get(a.unitId) ?? -1) - (cityOrder.get(b.unitId) ?? -1));
  const levelRow = (l: Level) => {
    const actions = h("td", { class: "actions" });
    const own = l.unitId === me.unitId;
    if (own && reviewer && (l.state === "not_started" || l.state === "returned")) {
      const ready = l.approved === l.expected;
      // clickable either way: when not ready, the answer names the units still to approve
      const up = busyButton(B.submitUp[lang], "…", { class: ready ? "primary submit-up" : "submit-up", ...(ready ? {} : { title: B.notReady[lang] }) }, async () => {
        // a preview of the totals going up and a note for the reviewer above (board-actions.ts)
        const asked = ready ? await confirmLevelSubmit(api, lang, round, l.unitId, l.name[lang]) : { note: "" };
        if (asked === null) return;
        if ("error" in asked) return say(asked.error, "error");
        const r = await api.levelSubmit(round.id, l.unitId, l.revision, asked.note);
        if (!r.ok) return say(errorText(r.error, lang), "error");
        desk.redraw();
        say(`${B.submittedUp[lang]}（${revisionText(r.value.revision, lang)}）`, "ok");
      });
      actions.append(up, ...(ready ? [] : [h("div", { class: "hint not-ready" }, B.notReady[lang])]));
    }
    if (l.state !== "not_started" && !own) {
      actions.append(h("a", { class: "button review-link", href: `#/round/${round.id}/unit/${l.unitId}` }, l.state === "submitted" && reviews(l.unitId) ? B.review[lang] : B.view[lang]));
    }
    return h("tr", { "data-level": l.unitId, class: l.late ? "late" : "" },
      h("td", { class: "unit" }, paths.get(l.unitId)?.[lang] ?? l.name[lang]),
      stateCell(l, lang,
        l.state === "returned" && l.reviewComment ? h("div", { class: "review" }, `${B.upComment[lang]}：${l.reviewComment}`) : null,
        own && l.state === "returned" ? levelNotes(api, lang, round, l.unitId) : null),
      h("td", { class: "below" }, `${l.approved}/${l.expected}`),
      h("td", { class: "up-deadline" }, short(l.deadline)),
      h("td", { class: "last" }, short(l.lastSubmittedAt)),
      h("td", { class: "reviewer" }, (l.state === "approved" || l.state === "returned") && l.reviewedBy ? l.reviewedBy : "—"),
      actions);
  };
  const levelPart = levels.length === 0 ? null : h("div", { class: "levels-part" },
    h("h3", {}, B.levels[lang]), h("p", { class: "hint" }, B.levelIntro[lang]),
    h("table", { class: "board levels" },
      h("thead", {}, h("tr", {}, ...[B.levelUnit, B.state, B.belowApproved, B.upDeadline, B.last, B.reviewer].map((t) => h("th", {}, t[lang])), h("th", {}, ""))),
      h("tbody", {}, ...levels.map(levelRow))));

  return h("section", { class: "board-screen", "data-round": round.id },
    h("a", { href: "#/", class: "back" }, B.back[lang]),
    h("h2", {}, `${T.completeness[lang]} · ${roundName(round, lang)}`),
    h("p", { class: round.closed ? "due closed" : "due" }, `${T.deadline[lang]} ${beijingTime(round.deadline, lang)}${round.closed ? ` · ${T.closed[lang]}` : ""}`),
    roundActions, levelPart, counts,
    h("div", { class: "board-tools" }, ...(cities ? [cities] : []), search, ...chaseButtons),
    table,
    h("div", { class: "actions downloads" },
      downloadButton(desk, B.xlsx[lang], "xlsx", `/rounds/${round.id}/export.xlsx`),
      downloadButton(desk, lang === "zh" ? "汇总表（仅已审核）" : "Totals (approved only)", "xlsx-approved", `/rounds/${round.id}/export.xlsx?basis=approved`),
      downloadButton(desk, B.csv[lang], "csv", `/rounds/${round.id}/export.csv`),
      ...(reviewer ? [h("a", { class: "button audit-link", href: `#/round/${round.id}/audit` }, B.audit[lang])] : [])),
    lists.length ? h("nav", { class: "actions list-links", "aria-label": B.lists[lang] }, ...lists.map((t) =>
      h("a", { class: "button rolled-list-link", "data-table": t.code, href: rolledListHash(round.id, t.code) }, B.listLink[lang].replace("{table}", listTitle(t, lang))))) : null);
}

/** The state as a chip inside its cell (the cell stays a table cell, so rows and borders line up). */
function stateCell(x: { state: string; revision: number | null; late: boolean }, lang: Lang, ...below: (Node | null)[]): HTMLTableCellElement {
  return h("td", { class: "state" }, h("span", { class: `chip ${x.state}` }, stateText(x.state, x.revision, lang)),
    x.late ? h("span", { class: "late-flag" }, ` · ${B.late[lang]}`) : null, ...below);
}
