// The city's board for one round: every expected unit with its state, revision, first and last
// submission, lateness and reviewer; counts that link to the filtered list, sorting, search, the
// 催报 list, reminders, and (for administrators) deadlines, reopening and closing the round.
import { periodLabel, toCsv, type CompletenessSchema, type RoundView } from "@tianbao/shared";
import type { z } from "zod";
import { STATE, T, errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { reviewsUnit, type UnitTree } from "./authority";
import { beijingTime, busyButton, downloadButton, type Desk } from "./desk";

type Unit = z.infer<typeof CompletenessSchema>["units"][number];
type Level = NonNullable<z.infer<typeof CompletenessSchema>["levels"]>[number];

const B = {
  review: { zh: "审核", en: "Review" },
  view: { zh: "查看", en: "View" },
  remind: { zh: "催报", en: "Remind" },
  remindAll: { zh: "催报全部未报单位", en: "Remind every unit not in" },
  chaseList: { zh: "下载催报名单 (CSV)", en: "Download the chase list (CSV)" },
  copyChase: { zh: "复制催报名单", en: "Copy the chase list" },
  copied: { zh: "催报名单已复制，可直接粘贴到微信或短信", en: "Chase list copied: paste it into a message" },
  reminded: { zh: "最近催报", en: "Last reminded" },
  remindSent: { zh: "已发送催报", en: "Reminder sent" },
  remindNoRobot: { zh: "未设置群机器人，未能发送：", en: "No group robot set, not sent: " },
  remindRecent: { zh: "10 分钟内已催报过，未重复发送：", en: "Reminded in the last 10 minutes, not sent again: " },
  remindFailed: { zh: "群机器人未接收，请检查地址：", en: "The group robot did not take it; check its address: " },
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
  extendTo: { zh: "新的截止日期（当天 23:59 北京时间）", en: "New deadline (23:59 Beijing time that day)" },
  extended: { zh: "截止时间已延长至", en: "Deadline extended to" },
  close: { zh: "提前结束本轮", en: "Close the round early" },
  closeConfirm: { zh: "结束后未上报的单位不能再上报（可对单个单位重新打开）。确认结束本轮？", en: "Once closed, units that have not submitted cannot (you can reopen single units). Close the round?" },
  closeYes: { zh: "确认结束", en: "Close it" },
  closedNow: { zh: "本轮已结束", en: "The round is closed" },
  reopen: { zh: "重新打开", en: "Reopen" },
  reopened: { zh: "已重新打开：", en: "Reopened: " },
  unitDeadline: { zh: "本单位截止", en: "own deadline" },
  ok: { zh: "确定", en: "OK" },
  allDone: { zh: "没有需要催报的单位", en: "Nobody to chase" },
  levels: { zh: "逐级上报", en: "Reporting upward" },
  levelIntro: { zh: "各级单位审核完下级后，将本级汇总上报上级；上级可退回或审核通过（通过后该单位及其下级本轮数据锁定）。", en: "Each level reviews the units below it, then submits its totals upward; the level above returns or approves them (approval locks that unit and everything below it for the round)." },
  submitUp: { zh: "上报上级", en: "Submit upward" },
  upComment: { zh: "上级意见", en: "The level above says" },
  submittedUp: { zh: "已上报上级", en: "Submitted upward" },
  upDeadline: { zh: "上报截止", en: "Due upward" },
  belowApproved: { zh: "下级已审核", en: "approved below" },
  notReady: { zh: "下级单位全部审核通过后才能上报", en: "Every unit below must be approved before submitting upward" },
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
  unit: (a, b, lang) => a.name[lang].localeCompare(b.name[lang], lang === "zh" ? "zh-CN" : "en"),
  state: (a, b) => STATE_ORDER[a.state]! - STATE_ORDER[b.state]! || Number(b.late) - Number(a.late),
  first: (a, b) => (a.firstSubmittedAt ?? "~").localeCompare(b.firstSubmittedAt ?? "~"),
  last: (a, b) => (b.lastSubmittedAt ?? "").localeCompare(a.lastSubmittedAt ?? ""),
  reviewer: (a, b) => (a.reviewedBy ?? "~").localeCompare(b.reviewedBy ?? "~"),
};

/** The address of a round's board with a filter, a sort and a search: links and Back keep them. */
export const boardHash = (roundId: string, o: { f?: string; s?: string; q?: string } = {}): string => {
  const q = new URLSearchParams(Object.entries(o).filter(([, v]) => v) as [string, string][]).toString();
  return `#/round/${roundId}${q ? `?${q}` : ""}`;
};

export async function boardScreen(desk: Desk, round: RoundView, params: URLSearchParams): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const [c, units] = await Promise.all([api.completeness(round.id), api.units()]);
  if (!c.ok) { say(errorText(c.error, lang), "error"); return h("div"); }
  const v = c.value;
  const tree: UnitTree = { parentOf: new Map(units.ok ? units.value.map((u) => [u.id, u.parentId]) : []) };
  const reviews = (unitId: string) => reviewsUnit(me, round, tree, unitId);
  // deadlines and closing belong to the round's owner or a unit above it
  const managesRound = me.role === "admin" && tree.parentOf.has(round.ownerUnitId);
  // a unit whose city has submitted upward (or was approved) is locked for the round
  const lockedBy = new Map((v.levels ?? []).filter((l) => l.state === "submitted" || l.state === "approved").map((l) => [l.unitId, l]));
  const lockedAbove = (unitId: string) => { const p = tree.parentOf.get(unitId); return p !== undefined && p !== null && lockedBy.has(p); };
  const filter = FILTERS[params.get("f") ?? ""] ? params.get("f")! : "all";
  const sort = SORTS[params.get("s") ?? ""] ? params.get("s")! : "state";
  const search = h("input", { id: "board-search", type: "search", placeholder: B.search[lang], value: params.get("q") ?? "" });
  const admin = me.role === "admin";
  const reviewer = me.role === "admin" || me.role === "reviewer";
  const short = (iso: string | null | undefined) => (iso ? beijingTime(iso, lang, true) : "—");

  // the counts at the top are the filters: each links to its list
  const counts = h("nav", { class: "board-filters", "aria-label": lang === "zh" ? "筛选" : "Filter" }, ...Object.entries(FILTERS).map(([key, f]) =>
    h("a", { href: boardHash(round.id, { f: key === "all" ? "" : key, s: params.get("s") ?? "", q: search.value }), "data-filter": key, class: key === filter ? "active" : "" },
      f.label[lang], " ", h("b", {}, String(v.units.filter(f.keep).length)))));

  const remind = (unitIds: string[]) => async () => {
    const r = await api.remind(round.id, unitIds);
    if (!r.ok) return say(errorText(r.error, lang), "error");
    const name = (id: string) => v.units.find((u) => u.unitId === id)?.name[lang] ?? id;
    const by = (s: string) => r.value.filter((x) => x.status === s).map((x) => name(x.unitId));
    desk.redraw();
    if (by("failed").length) say(`${B.remindFailed[lang]}${by("failed").join("、")}`, "error");
    else if (by("no_webhook").length) say(`${B.remindNoRobot[lang]}${by("no_webhook").join("、")}`, "error");
    else if (by("recent").length) say(`${B.remindRecent[lang]}${by("recent").join("、")}`, "info");
    else say(B.remindSent[lang], "ok");
  };
  // the units this desk chases: not in (or returned), and its own to review
  const waiting = v.units.filter((u) => (u.state === "not_started" || u.state === "returned") && reviews(u.unitId)).map((u) => u.unitId);
  const chase = v.units.filter((u) => u.state === "not_started" || u.state === "returned" || u.late);
  const chaseRows = [
    ["单位", "状态", "是否逾期", "联系人", "联系电话", "最近催报（北京时间）"],
    ...chase.map((u) => [u.name.zh, STATE[u.state]!.zh, u.late ? "逾期" : "", u.contact?.name ?? "", u.contact?.phone ?? "", u.lastRemindedAt ? beijingTime(u.lastRemindedAt, "zh", true) : ""]),
  ];
  const chaseText = chase.map((u) => [u.name.zh, STATE[u.state]!.zh + (u.late ? "（逾期）" : ""), u.contact?.name, u.contact?.phone].filter(Boolean).join(" ")).join("\n");

  const rows = [...v.units].sort((a, b) => SORTS[sort]!(a, b, lang) || SORTS.unit!(a, b, lang));
  const th = (key: string, label: string) => h("th", { "aria-sort": key === sort ? "ascending" : "none" },
    h("a", { href: boardHash(round.id, { f: filter === "all" ? "" : filter, s: key, q: search.value }), class: "sort", "data-sort": key }, label, key === sort ? " ▾" : ""));
  const unitRow = (u: Unit) => {
    const actions = h("td", { class: "actions" });
    if (u.state !== "not_started") actions.append(h("a", { class: "button review-link", href: `#/round/${round.id}/unit/${u.unitId}` }, u.state === "submitted" && reviews(u.unitId) ? B.review[lang] : B.view[lang]));
    if (waiting.includes(u.unitId) && !round.closedAt && reviews(u.unitId)) actions.append(busyButton(B.remind[lang], "…", { class: "remind" }, remind([u.unitId])));
    // reopening is a review: only the unit's reviewer (its parent, or the owner for the owner's children)
    if (admin && reviews(u.unitId) && !lockedAbove(u.unitId) && (u.state === "approved" || (round.closed && !u.reopened))) {
      actions.append(busyButton(B.reopen[lang], "…", { class: "reopen" }, async () => {
        const r = await api.reopen(round.id, u.unitId);
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
      h("td", { class: `state ${u.state}` }, STATE[u.state]![lang] + (u.revision ? ` r${u.revision}` : "") + (u.late ? ` · ${B.late[lang]}` : ""),
        u.deadline ? h("div", { class: "unit-deadline" }, `${B.unitDeadline[lang]} ${beijingTime(u.deadline, lang)}`) : null),
      h("td", { class: "first" }, short(u.firstSubmittedAt)),
      h("td", { class: "last" }, short(u.lastSubmittedAt)),
      h("td", { class: "reviewer" }, u.reviewedBy ?? "—"),
      actions);
  };

  // a new, later deadline: for the whole round or one unit (administrators of the round's unit or above)
  const extendForm = (cell: HTMLElement, unit: Unit | null) => {
    const date = h("input", { type: "date", class: "extend-date", required: true, "aria-label": B.extendTo[lang] });
    const form = h("form", { class: "extend-form" }, h("label", {}, B.extendTo[lang], date),
      h("button", { type: "submit", class: "primary extend-confirm" }, B.ok[lang]), h("button", { type: "button", onclick: () => desk.redraw() }, T.cancel[lang]));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const button = form.querySelector<HTMLButtonElement>("button.extend-confirm")!;
      if (button.disabled) return;
      button.disabled = true;
      void (async () => {
        const deadline = `${date.value}T23:59:59+08:00`;
        const r = await api.extendDeadline(round.id, { deadline, ...(unit ? { unitId: unit.unitId } : {}) });
        button.disabled = false;
        if (!r.ok) return say(errorText(r.error, lang), "error");
        desk.redraw();
        say(`${unit ? `${unit.name[lang]}：` : ""}${B.extended[lang]} ${beijingTime(deadline, lang)}`, "ok");
      })();
    });
    cell.replaceChildren(form);
    date.focus();
  };
  const closeForm = (cell: HTMLElement) => {
    const yes = busyButton(B.closeYes[lang], "…", { class: "primary close-confirm" }, async () => {
      const r = await api.closeRound(round.id);
      if (!r.ok) return say(errorText(r.error, lang), "error");
      desk.redraw();
      say(B.closedNow[lang], "ok");
    });
    cell.replaceChildren(h("div", { class: "close-form" }, h("p", {}, B.closeConfirm[lang]), yes, h("button", { onclick: () => desk.redraw() }, T.cancel[lang])));
  };
  const roundActions = h("div", { class: "round-admin" });
  // a round closed early stays closed (units are let in one by one with 重新打开); one past its deadline can be extended
  if (managesRound && !round.closedAt) {
    roundActions.append(h("button", { class: "extend-round", onclick: () => extendForm(roundActions, null) }, B.extend[lang]));
    if (!round.closed) roundActions.append(h("button", { class: "close-round", onclick: () => closeForm(roundActions) }, B.close[lang]));
  }

  const table = h("table", { class: "board" },
    h("thead", {}, h("tr", {}, th("unit", B.unit[lang]), th("state", B.state[lang]), th("first", B.first[lang]), th("last", B.last[lang]), th("reviewer", B.reviewer[lang]), h("th", {}, ""))),
    h("tbody", {}, ...rows.map(unitRow)));
  const apply = () => {
    const q = search.value.trim().toLowerCase();
    for (const tr of table.querySelectorAll<HTMLTableRowElement>("tbody tr[data-unit]")) {
      const u = v.units.find((x) => x.unitId === tr.dataset.unit)!;
      tr.hidden = !(FILTERS[filter]!.keep(u) && (q === "" || u.name.zh.toLowerCase().includes(q) || u.name.en.toLowerCase().includes(q)));
    }
    // the address keeps the search, so Back and a refresh come back to the same list
    // (only while this board is still the screen shown: a slower, older drawing never rewrites a newer address)
    if (table.isConnected && location.hash.split("?")[0] === `#/round/${round.id}`) {
      history.replaceState(null, "", boardHash(round.id, { f: filter === "all" ? "" : filter, s: params.get("s") ?? "", q: search.value.trim() }));
    }
  };
  search.addEventListener("input", apply);
  queueMicrotask(apply);

  const levels = v.levels ?? [];
  const levelRow = (l: Level) => {
    const actions = h("td", { class: "actions" });
    const own = l.unitId === me.unitId;
    if (own && reviewer && (l.state === "not_started" || l.state === "returned")) {
      const ready = l.approved === l.expected;
      // clickable either way: when not ready, the answer names the units still to approve
      const up = busyButton(B.submitUp[lang], "…", { class: ready ? "primary submit-up" : "submit-up", ...(ready ? {} : { title: B.notReady[lang] }) }, async () => {
        const r = await api.levelSubmit(round.id, l.unitId, l.revision);
        if (!r.ok) return say(errorText(r.error, lang), "error");
        desk.redraw();
        say(`${B.submittedUp[lang]} r${r.value.revision}`, "ok");
      });
      actions.append(up, ...(ready ? [] : [h("div", { class: "hint not-ready" }, B.notReady[lang])]));
    }
    if (l.state !== "not_started" && !own) {
      actions.append(h("a", { class: "button review-link", href: `#/round/${round.id}/unit/${l.unitId}` }, l.state === "submitted" && reviews(l.unitId) ? B.review[lang] : B.view[lang]));
    }
    return h("tr", { "data-level": l.unitId, class: l.late ? "late" : "" },
      h("td", { class: "unit" }, l.name[lang]),
      h("td", { class: `state ${l.state}` }, STATE[l.state]![lang] + (l.revision ? ` r${l.revision}` : "") + (l.late ? ` · ${B.late[lang]}` : ""),
        l.state === "returned" && l.reviewComment ? h("div", { class: "review" }, `${B.upComment[lang]}：${l.reviewComment}`) : null),
      h("td", { class: "below" }, `${B.belowApproved[lang]} ${l.approved}/${l.expected}`),
      h("td", { class: "up-deadline" }, `${B.upDeadline[lang]} ${short(l.deadline)}`),
      h("td", { class: "last" }, short(l.lastSubmittedAt)),
      h("td", { class: "reviewer" }, l.reviewedBy ?? "—"),
      actions);
  };
  const levelPart = levels.length === 0 ? null : h("div", { class: "levels-part" },
    h("h3", {}, B.levels[lang]), h("p", { class: "hint" }, B.levelIntro[lang]),
    h("table", { class: "board levels" }, h("tbody", {}, ...levels.map(levelRow))));

  return h("section", { class: "board-screen", "data-round": round.id },
    h("a", { href: "#/", class: "back" }, B.back[lang]),
    h("h2", {}, `${T.completeness[lang]} · ${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
    h("p", { class: round.closed ? "due closed" : "due" }, `${T.deadline[lang]} ${beijingTime(round.deadline, lang)}${round.closed ? ` · ${T.closed[lang]}` : ""}`),
    roundActions, levelPart, counts,
    h("div", { class: "board-tools" }, search,
      ...(chase.length > 0 ? [
        h("button", { class: "chase-list", onclick: () => desk.save(new Blob([toCsv(chaseRows)], { type: "text/csv" }), `催报名单-${periodLabel(round.period, "zh")}.csv`) }, `${B.chaseList[lang]}（${chase.length}）`),
        h("button", { class: "chase-copy", onclick: () => void navigator.clipboard.writeText(chaseText).then(() => say(B.copied[lang], "ok"), () => say(chaseText, "info")) }, B.copyChase[lang]),
      ] : []),
      // late units are reminded after the deadline too; only a round closed early takes no more reminders
      ...(waiting.length > 0 && !round.closedAt && reviewer ? [busyButton(`${B.remindAll[lang]}（${waiting.length}）`, "…", { class: "remind-all" }, remind(waiting))] : [])),
    table,
    h("div", { class: "actions downloads" },
      downloadButton(desk, B.xlsx[lang], "xlsx", `/rounds/${round.id}/export.xlsx`),
      downloadButton(desk, B.csv[lang], "csv", `/rounds/${round.id}/export.csv`),
      ...(reviewer ? [h("a", { class: "button audit-link", href: `#/round/${round.id}/audit` }, B.audit[lang])] : [])));
}
