// The web page at / for counties without the add-in (WPS, old Excel): download the fill template,
// upload it filled, see every problem by cell; and for the city, the board and the downloads.
import { periodLabel, toCsv, type IssueBody, type RoundView } from "@tianbao/shared";
import { ApiClient } from "../api/client";
import { STATE, T, errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { passwordForm } from "../taskpane/password-form";
import { returnForm } from "../taskpane/return-form";
import { adminSection } from "./admin";
import { designerSection } from "./designer";

const api = new ApiClient();
let lang: Lang = (localStorage.getItem("tianbao.lang") as Lang | null) ?? (navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en");
const W = {
  download: { zh: "下载填报表 (.xlsx)", en: "Download fill sheet (.xlsx)" },
  upload: { zh: "上传已填报表", en: "Upload the filled sheet" },
  uploaded: { zh: "已上报", en: "Submitted" },
  downloadXlsx: { zh: "汇总表 (.xlsx)", en: "Totals (.xlsx)" },
  downloadCsv: { zh: "汇总 (CSV)", en: "Totals (CSV)" },
  confirm: { zh: "已核实，确认并上报", en: "Confirmed — submit" },
  other: { zh: "English", en: "中文" },
  remind: { zh: "催报", en: "Remind" },
  chaseList: { zh: "下载催报名单 (CSV)", en: "Download the chase list (CSV)" },
  lockedApproved: { zh: "已审核，数据已锁定；如需修改请联系市局重新打开", en: "Approved and locked; ask the city to reopen it to change anything" },
  lockedClosed: { zh: "本轮已截止；如需补报请联系市局", en: "This round is closed; ask the city to reopen it for you" },
  replayed: { zh: "这份文件此前已上报过，未重复上报：", en: "This file was submitted before and was not submitted again:" },
  now: { zh: "当前状态：", en: "now: " },
  confirmApprove: { zh: "审核通过后该单位本轮数据将被锁定，不能再修改（可由市局重新打开）。确认审核通过？", en: "Approving locks this unit's figures for the round (the city can reopen them). Approve?" },
  yesApprove: { zh: "确认审核通过", en: "Approve" },
  remindAll: { zh: "催报全部未报单位", en: "Remind every unit not in" },
  reminded: { zh: "最近催报", en: "Last reminded" },
  remindSent: { zh: "已发送催报", en: "Reminder sent" },
  remindNoRobot: { zh: "未设置群机器人，未能发送：", en: "No group robot set, not sent: " },
  remindRecent: { zh: "10 分钟内已催报过，未重复发送：", en: "Reminded in the last 10 minutes, not sent again: " },
  remindFailed: { zh: "群机器人未接收，请检查地址：", en: "The group robot did not take it; check its address: " },
  intro: { zh: "没有 Excel 插件也能填报：下载填报表，用 WPS 或任意 Excel 填写后上传。", en: "No add-in needed: download the fill sheet, fill it in WPS or any Excel, and upload it." },
};

// The session lives in localStorage: it survives refresh, Back/Forward and a second tab, and ends in all
// of them at once on sign-out (the storage event) or when the server says it has expired.
const SESSION_KEY = "tianbao.web.session";
const remember = () => { if (api.token && api.user) localStorage.setItem(SESSION_KEY, JSON.stringify({ token: api.token, user: api.user })); };
const forget = () => { localStorage.removeItem(SESSION_KEY); api.token = null; api.user = null; };
/** Beijing time, as officials read it (deadlines are Beijing days). */
const beijingTime = (iso: string) => `${new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" })}${lang === "zh" ? "（北京时间）" : " (Beijing)"}`;

const root = document.getElementById("app")!;
const notice = h("div", { class: "notice", role: "status", "aria-live": "polite" });
const body = h("div", { class: "body" });
const say = (text: string, kind: "ok" | "error" | "info" = "info") => { notice.textContent = text; notice.className = `notice ${kind}`; };

function frame(): void {
  root.replaceChildren(
    h("header", {}, h("h1", {}, T.title[lang]), h("button", { class: "link lang", id: "lang", onclick: () => { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem("tianbao.lang", lang); frame(); void (api.user ? showRounds() : showLogin()); } }, W.other[lang])),
    notice, body);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

function save(blob: Blob, filename: string): void {
  const a = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

function showLogin(): void {
  const user = h("input", { id: "username", autocomplete: "username", required: true });
  const pass = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "card" }, h("p", {}, W.intro[lang]), h("label", { for: "username" }, T.username[lang]), user, h("label", { for: "password" }, T.password[lang]), pass,
    h("button", { type: "submit", class: "primary", id: "sign-in" }, T.signIn[lang]));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      const r = await api.login(user.value.trim(), pass.value);
      if (!r.ok) return say(errorText(r.error, lang), "error");
      say("");
      if (r.value.mustChangePassword) return showPasswordChange(pass.value);
      remember();
      await showRounds();
    })();
  });
  body.replaceChildren(form);
}

function showPasswordChange(current: string): void {
  body.replaceChildren(passwordForm(lang, async (next) => {
    const r = await api.changePassword(current, next);
    if (!r.ok) return errorText(r.error, lang);
    remember();
    await showRounds();
    return null;
  }));
}

async function showRounds(): Promise<void> {
  const me = api.user!;
  const rounds = await api.rounds();
  if (!rounds.ok) return say(errorText(rounds.error, lang), "error");
  // what is due comes first, soonest deadline first; past rounds below, newest first
  rounds.value.sort((a, b) => (a.closed === b.closed ? (a.closed ? b.deadline.localeCompare(a.deadline) : Date.parse(a.deadline) - Date.parse(b.deadline)) : a.closed ? 1 : -1));
  const cards = await Promise.all(rounds.value.map((r) => (me.role === "reporter" ? countyCard(r) : cityCard(r))));
  body.replaceChildren(
    h("div", { class: "who" }, `${me.displayName} · ${me.unitName[lang]}`, h("button", { class: "link", id: "sign-out", onclick: () => void (async () => { await api.logout(); forget(); showLogin(); })() }, T.signOut[lang])),
    h("h2", {}, T.rounds[lang]), h("ul", { class: "rounds" }, ...cards), h("div", { id: "board" }),
    ...(me.role === "admin" ? [designerSection(api, lang, say, save, showRounds), adminSection(api, lang, say, save)] : []));
}

async function countyCard(round: RoundView): Promise<HTMLElement> {
  const me = api.user!;
  const state = h("div", { class: "state" });
  const review = h("div", { class: "review" });
  const issues = h("div", { class: "issues" });
  const file = h("input", { type: "file", accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", class: "file" });
  const uploadLabel = h("label", { class: "button upload" }, W.upload[lang], file);
  let current: { state: string; revision: number } = { state: "not_started", revision: 0 };
  const refresh = async () => {
    const s = await api.submission(round.id, me.unitId);
    if (!s.ok) return;
    current = { state: s.value.state, revision: s.value.revision };
    state.textContent = STATE[s.value.state]![lang] + (s.value.revision ? ` r${s.value.revision}` : "");
    state.className = `state ${s.value.state}`;
    review.textContent = s.value.state === "returned" && s.value.reviewComment ? `${T.reviewComment[lang]}：${s.value.reviewComment}` : "";
    // an approved report is locked and a closed round takes nothing more: no active upload button
    const locked = s.value.state === "approved" || round.closed;
    uploadLabel.classList.toggle("disabled", locked);
    file.disabled = locked;
    uploadLabel.title = locked ? (s.value.state === "approved" ? W.lockedApproved[lang] : W.lockedClosed[lang]) : "";
  };
  let chosen: File | null = null;
  const send = async (acknowledge: boolean) => {
    const f = chosen;
    if (!f) return;
    const r = await api.upload(round.id, me.unitId, f, acknowledge);
    if (r.ok && r.value.replayed) {
      // the same file was accepted before: nothing new was stored, and the report may have moved on since
      await refresh();
      say(`${W.replayed[lang]} r${r.value.revision}；${W.now[lang]}${STATE[current.state]![lang]} r${current.revision}`, "info");
      issues.replaceChildren();
      return;
    }
    if (r.ok) {
      say(`${W.uploaded[lang]} r${r.value.revision}`, "ok");
      issues.replaceChildren(...listOf(r.value.warnings));
    } else {
      say(errorText(r.error, lang), "error");
      const list = listOf(r.error?.error.issues ?? []);
      const ack = r.error?.error.code === "warnings_not_acknowledged" ? [h("button", { class: "primary acknowledge", onclick: () => void send(true) }, W.confirm[lang])] : [];
      issues.replaceChildren(...list, ...ack);
    }
    await refresh();
  };
  file.addEventListener("change", () => {
    chosen = file.files?.[0] ?? null;
    file.value = ""; // picking the same file again, after fixing it, is a new upload
    void send(false);
  });
  const card = h("li", { class: "card round", "data-round": round.id },
    h("div", { class: "round-title" }, `${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
    h("div", { class: round.closed ? "due closed" : "due" }, `${T.deadline[lang]} ${beijingTime(round.deadline)}${round.closed ? ` · ${T.closed[lang]}` : ""}`),
    state, review,
    h("div", { class: "actions" },
      h("button", { class: "download", onclick: () => void (async () => { const r = await api.download(`/rounds/${round.id}/submissions/${me.unitId}/template.xlsx`); if (r.ok) save(r.value.blob, r.value.filename); else say(errorText(r.error, lang), "error"); })() }, W.download[lang]),
      uploadLabel),
    issues);
  await refresh();
  return card;
}

const listOf = (issues: readonly IssueBody[]) => (issues.length ? [h("ul", { class: "issues" }, ...issues.map((i) => h("li", { class: i.severity }, i.message[lang])))] : []);

async function cityCard(round: RoundView): Promise<HTMLElement> {
  const get = (path: string) => void (async () => { const r = await api.download(path); if (r.ok) save(r.value.blob, r.value.filename); else say(errorText(r.error, lang), "error"); })();
  return h("li", { class: "card round", "data-round": round.id },
    h("div", { class: "round-title" }, `${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
    h("div", { class: round.closed ? "due closed" : "due" }, `${T.deadline[lang]} ${beijingTime(round.deadline)}`),
    h("div", { class: "actions" },
      h("button", { class: "board", onclick: () => void showBoard(round) }, T.completeness[lang]),
      h("button", { class: "xlsx", onclick: () => get(`/rounds/${round.id}/export.xlsx`) }, W.downloadXlsx[lang]),
      h("button", { class: "csv", onclick: () => get(`/rounds/${round.id}/export.csv`) }, W.downloadCsv[lang])));
}

async function showBoard(round: RoundView): Promise<void> {
  const c = await api.completeness(round.id);
  if (!c.ok) return say(errorText(c.error, lang), "error");
  const v = c.value;
  const act = (unitId: string, action: "approve" | "return", comment?: string) => void (async () => {
    const r = await api.review(round.id, unitId, action, comment);
    await showBoard(round);
    // a second click that found the report already in the state asked for is not an error
    const board = await api.completeness(round.id);
    const now = board.ok ? board.value.units.find((u) => u.unitId === unitId)?.state : undefined;
    const done = r.ok || now === (action === "approve" ? "approved" : "returned");
    say(done ? "✓" : errorText(r.error, lang), done ? "ok" : "error");
  })();
  const askApprove = (unitId: string, cell: HTMLElement) => {
    const yes = h("button", { class: "primary approve-confirm" }, W.yesApprove[lang]);
    yes.addEventListener("click", () => { yes.setAttribute("disabled", ""); act(unitId, "approve"); }, { once: true });
    cell.replaceChildren(h("div", { class: "approve-form" }, h("p", {}, W.confirmApprove[lang]), yes, h("button", { class: "approve-cancel", onclick: () => void showBoard(round) }, T.cancel[lang])));
  };
  const remind = (unitIds: string[]) => void (async () => {
    const r = await api.remind(round.id, unitIds);
    if (!r.ok) return say(errorText(r.error, lang), "error");
    const name = (id: string) => v.units.find((u) => u.unitId === id)?.name[lang] ?? id;
    const missing = r.value.filter((x) => x.status === "no_webhook").map((x) => name(x.unitId));
    const failed = r.value.filter((x) => x.status === "failed").map((x) => name(x.unitId));
    const recent = r.value.filter((x) => x.status === "recent").map((x) => name(x.unitId));
    await showBoard(round);
    if (failed.length) say(`${W.remindFailed[lang]}${failed.join("、")}`, "error");
    else if (missing.length) say(`${W.remindNoRobot[lang]}${missing.join("、")}`, "error");
    else if (recent.length) say(`${W.remindRecent[lang]}${recent.join("、")}`, "info");
    else say(W.remindSent[lang], "ok");
  })();
  const waiting = v.units.filter((u) => u.state === "not_started" || u.state === "returned").map((u) => u.unitId);
  const beijing = (iso: string) => new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const askReturn = (unitId: string, cell: HTMLElement) => cell.replaceChildren(returnForm(lang, unitId, (comment) => act(unitId, "return", comment), () => void showBoard(round)));
  // filters by what the desk acts on, a search by name, and the 催报 list of missing and late units to hand out
  const FILTERS: Record<string, { label: { zh: string; en: string }; keep: (u: (typeof v.units)[number]) => boolean }> = {
    all: { label: { zh: "全部", en: "All" }, keep: () => true },
    missing: { label: { zh: "未报", en: "Missing" }, keep: (u) => u.state === "not_started" },
    late: { label: { zh: "逾期", en: "Late" }, keep: (u) => u.late },
    returned: { label: { zh: "已退回", en: "Returned" }, keep: (u) => u.state === "returned" },
    review: { label: { zh: "待审核", en: "To review" }, keep: (u) => u.state === "submitted" },
  };
  let filter = "all";
  const search = h("input", { id: "board-search", type: "search", placeholder: lang === "zh" ? "按单位名称查找" : "Find a unit by name" });
  const apply = () => {
    const q = search.value.trim().toLowerCase();
    for (const tr of document.querySelectorAll<HTMLTableRowElement>("table.board tr[data-unit]")) {
      const u = v.units.find((x) => x.unitId === tr.dataset.unit)!;
      tr.hidden = !(FILTERS[filter]!.keep(u) && (q === "" || u.name.zh.toLowerCase().includes(q) || u.name.en.toLowerCase().includes(q)));
    }
    for (const b of document.querySelectorAll<HTMLButtonElement>(".board-filters button")) b.classList.toggle("active", b.dataset.filter === filter);
  };
  search.addEventListener("input", apply);
  const filters = h("div", { class: "board-filters" }, ...Object.entries(FILTERS).map(([key, f]) =>
    h("button", { "data-filter": key, onclick: () => { filter = key; apply(); } }, `${f.label[lang]} ${v.units.filter(f.keep).length}`)));
  const chase = v.units.filter((u) => u.state === "not_started" || u.state === "returned" || u.late);
  const chaseList = () => save(new Blob([toCsv([
    ["单位", "状态", "是否逾期", "联系人", "联系电话", "最近催报（北京时间）"],
    ...chase.map((u) => [u.name.zh, STATE[u.state]!.zh, u.late ? "逾期" : "", u.contact?.name ?? "", u.contact?.phone ?? "", u.lastRemindedAt ? beijing(u.lastRemindedAt) : ""]),
  ])], { type: "text/csv" }), `催报名单-${periodLabel(round.period, "zh")}.csv`);
  queueMicrotask(apply);
  document.getElementById("board")!.replaceChildren(
    h("h2", {}, `${T.completeness[lang]} · ${periodLabel(round.period, lang)}`),
    h("p", { class: "summary" }, lang === "zh" ? `应报 ${v.expected} · 已报 ${v.submitted} · 已审核 ${v.approved} · 退回 ${v.returned} · 逾期 ${v.late} · 未报 ${v.notStarted}` : `expected ${v.expected} · in ${v.submitted} · approved ${v.approved} · returned ${v.returned} · late ${v.late} · not started ${v.notStarted}`),
    filters, search,
    ...(chase.length > 0 ? [h("button", { class: "chase-list", onclick: chaseList }, `${W.chaseList[lang]}（${chase.length}）`)] : []),
    ...(waiting.length > 0 && !round.closed ? [h("button", { class: "remind-all", onclick: () => remind(waiting) }, `${W.remindAll[lang]}（${waiting.length}）`)] : []),
    h("table", { class: "board" }, h("tbody", {}, ...v.units.map((u) => h("tr", { "data-unit": u.unitId },
      h("td", {}, u.name[lang], u.contact ? h("div", { class: "contact" }, [u.contact.name, u.contact.phone].filter(Boolean).join(" ")) : null),
      h("td", { class: "reminded" }, u.lastRemindedAt ? `${W.reminded[lang]} ${beijing(u.lastRemindedAt)}` : ""),
      h("td", { class: `state ${u.state}` }, STATE[u.state]![lang] + (u.revision ? ` r${u.revision}` : "") + (u.late ? (lang === "zh" ? " · 逾期" : " · late") : "")),
      h("td", {}, ...(u.state === "submitted" ? [h("button", { class: "approve", onclick: (e) => askApprove(u.unitId, (e.currentTarget as HTMLElement).closest("td")!) }, T.approve[lang]), h("button", { class: "return", onclick: (e) => askReturn(u.unitId, (e.currentTarget as HTMLElement).closest("td")!) }, T.return[lang])] : []),
        ...(waiting.includes(u.unitId) && !round.closed ? [h("button", { class: "remind", onclick: () => remind([u.unitId]) }, W.remind[lang])] : [])))))));
}

const SIGNED_OUT = { zh: "登录已过期或已在其他窗口退出，请重新登录", en: "Your session has expired or was ended in another window; please sign in again" };
api.onSignedOut = () => { forget(); showLogin(); say(SIGNED_OUT[lang], "error"); };
window.addEventListener("storage", (e) => {
  if (e.key !== SESSION_KEY) return;
  if (e.newValue === null && api.token) { api.token = null; api.user = null; showLogin(); say(SIGNED_OUT[lang], "error"); }
});

frame();
void (async () => {
  try {
    const saved = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null") as { token: string } | null;
    if (saved?.token) {
      api.token = saved.token;
      const me = await api.me();
      if (me.ok && !me.value.mustChangePassword) { api.user = me.value; remember(); await showRounds(); return; }
      forget();
    }
  } catch { forget(); }
  showLogin();
})();
