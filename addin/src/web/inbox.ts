// The county's inbox on the web page: each round with what is due, by when and in how many days, the
// report's state and the reviewer's comment (per indicator where one was left); download the fill
// sheet, upload it filled. Upload shows progress and runs once; a file filled from an older revision
// shows how it differs from the current one and can be submitted knowingly on top of it.
import { LIST_ROW_NOTE, compileTemplate, roundName, type CompiledTemplate, type IssueBody, type RoundView, type StaleFileSchema } from "@tianbao/shared";
import type { z } from "zod";
import { T, errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { beijingTime, busyButton, daysLeft, downloadButton, fmt, revisionText, stateText, type Desk } from "./desk";
import { lossView } from "./loss-view";
import { rowNotePlace } from "./lists";

type StaleFile = z.infer<typeof StaleFileSchema>;

const I = {
  download: { zh: "下载填报表 (.xlsx)", en: "Download fill sheet (.xlsx)" },
  downloadCurrent: { zh: "下载当前版本的填报表", en: "Download the current revision's sheet" },
  upload: { zh: "上传已填报表", en: "Upload the filled sheet" },
  uploading: { zh: "正在上传并校验…", en: "Uploading and checking…" },
  uploaded: { zh: "已上报", en: "Submitted" },
  confirm: { zh: "已核实，确认并上报", en: "Confirmed — submit" },
  lockedApproved: { zh: "已审核，数据已锁定；如需修改请联系市局重新打开", en: "Approved and locked; ask the city to reopen it to change anything" },
  lockedClosed: { zh: "本轮已截止；如需补报请联系市局", en: "This round is closed; ask the city to reopen it for you" },
  replayed: { zh: "这份文件此前已上报过，未重复上报：", en: "This file was submitted before and was not submitted again:" },
  now: { zh: "当前状态：", en: "now: " },
  perIndicator: { zh: "对具体指标的意见：", en: "Notes on single indicators:" },
  perRow: { zh: "对具体指标和清单行的意见：", en: "Notes on single indicators and list rows:" },
  reopened: { zh: "上级已重新打开本报表，原因", en: "Reopened by the level above; the reason" },
  staleTitle: { zh: "这份文件是在第 {file} 版的基础上填写的，而当前已是第 {current} 版。文件与当前版本不同之处：", en: "This file was filled from revision {file}; the report is now at revision {current}. Where the file differs from the current revision:" },
  staleSame: { zh: "这份文件是在第 {file} 版的基础上填写的，当前已是第 {current} 版；两者的数据相同。", en: "This file was filled from revision {file}; the report is now at revision {current}; their figures are the same." },
  indicator: { zh: "指标", en: "Indicator" },
  current: { zh: "当前版本", en: "Current revision" },
  inFile: { zh: "这份文件", en: "This file" },
  submitAnyway: { zh: "以这份文件作为第 {next} 版上报", en: "Submit this file as revision {next}" },
  intro: { zh: "没有 Excel 插件也能填报：下载填报表，用 WPS 或任意 Excel 填写后上传。", en: "No add-in needed: download the fill sheet, fill it in WPS or any Excel, and upload it." },
};

export async function countyCard(desk: Desk, round: RoundView): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const state = h("div", { class: "state" });
  const review = h("div", { class: "review" });
  const issues = h("div", { class: "issues" });
  const file = h("input", { type: "file", accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", class: "file" });
  const uploadText = h("span", {}, I.upload[lang]);
  const uploadLabel = h("label", { class: "button upload" }, uploadText, file);
  let compiled: CompiledTemplate | null = null;
  const template = async () => {
    if (compiled) return compiled;
    const t = await api.template(round);
    const c = t.ok ? compileTemplate(t.value) : null;
    compiled = c?.ok ? c.compiled : null;
    return compiled;
  };
  const nameOf = (code: string) => compiled?.byCode.get(code)?.name[lang] ?? code;
  let current: { state: string; revision: number } = { state: "not_started", revision: 0 };
  const due = daysLeft(round.deadline, new Date(), lang);
  const daysText = h("b", { class: "days-left" });
  const dueLine = h("div", { class: "due" }, `${T.deadline[lang]} ${beijingTime(round.deadline, lang)} · `, daysText);
  /** Days left, or late — but a report that is in (submitted or approved) is never 逾期: a closed round just reads 已截止. */
  const showDue = (state: string) => {
    const isIn = state === "submitted" || state === "approved";
    const ended = (round.closed && due.urgency !== "past") || (isIn && due.urgency === "past");
    daysText.textContent = ended ? T.closed[lang] : due.text;
    dueLine.className = `due ${ended ? (isIn ? "done" : "closed") : due.urgency}`;
  };
  showDue("not_started");
  let locked = false;
  const refresh = async () => {
    const s = await api.submission(round.id, me.unitId);
    if (!s.ok) return;
    current = { state: s.value.state, revision: s.value.revision };
    state.textContent = stateText(s.value.state, s.value.revision, lang);
    showDue(s.value.state);
    state.className = `state ${s.value.state}`;
    const notes = Object.entries(s.value.reviewIndicatorComments ?? {});
    if (notes.length) await template();
    review.replaceChildren(...(s.value.state === "returned" && s.value.reviewComment ? [
      h("p", {}, `${T.reviewComment[lang]}：${s.value.reviewComment}`),
      ...(notes.length ? [h("p", {}, (notes.some(([code]) => LIST_ROW_NOTE.test(code)) ? I.perRow : I.perIndicator)[lang]), h("ul", { class: "indicator-comments" }, ...notes.map(([code, note]) => {
        // a note on a detail list's row (producers#3) by its list, row and what the row is (企业名称 · 产品)
        const row = compiled ? rowNotePlace(compiled.template, code, s.value.lists, lang) : null;
        return h("li", row ? { "data-list-row": code } : { "data-indicator": code }, `${row ?? nameOf(code)}：${note}`);
      }))] : []),
    // a submitted report carries a comment only when the city reopened it after approving: its reason
    ] : s.value.reopenReason ? [h("p", { class: "reopened" }, `${I.reopened[lang]}：${s.value.reopenReason}`)]
      : s.value.state === "submitted" && s.value.reviewComment ? [h("p", { class: "reopened" }, `${I.reopened[lang]}：${s.value.reviewComment}`)] : []));
    // an approved report is locked and a closed round takes nothing more: no active upload button
    locked = s.value.state === "approved" || round.closed;
    uploadLabel.classList.toggle("disabled", locked);
    file.disabled = locked;
    uploadLabel.title = locked ? (s.value.state === "approved" ? I.lockedApproved[lang] : I.lockedClosed[lang]) : "";
  };
  let chosen: File | null = null;
  /** Upload in progress: the button says so and takes no second file until the answer is in. */
  const busy = (on: boolean) => {
    uploadLabel.classList.toggle("busy", on);
    uploadLabel.setAttribute("aria-busy", String(on));
    file.disabled = on || locked;
    uploadText.textContent = on ? I.uploading[lang] : I.upload[lang];
  };
  const send = async (acknowledge: boolean, onTopOf?: number, file = chosen, acknowledgeLoss = false) => {
    const f = file;
    if (!f) return;
    busy(true);
    const r = await api.upload(round.id, me.unitId, f, acknowledge, onTopOf, acknowledgeLoss).finally(() => busy(false));
    if (r.ok && r.value.replayed) {
      // the same file was accepted before: nothing new was stored, and the report may have moved on since
      await refresh();
      say(`${I.replayed[lang]}${revisionText(r.value.revision, lang)}；${I.now[lang]}${stateText(current.state, current.revision, lang)}`, "info");
      issues.replaceChildren();
      return;
    }
    if (r.ok) {
      say(`${I.uploaded[lang]}（${revisionText(r.value.revision, lang)}）`, "ok");
      issues.replaceChildren(...listOf(r.value.warnings, lang));
    } else if (r.error?.error.code === "stale_revision" && r.error.error.stale) {
      say(errorText(r.error, lang), "info");
      await template();
      issues.replaceChildren(staleView(r.error.error.stale, acknowledge, f));
    } else if (r.error?.error.code === "loss_not_acknowledged" && r.error.error.lost) {
      say(errorText(r.error, lang), "info");
      await template();
      issues.replaceChildren(lossView(desk, r.error.error.lost, nameOf, () => send(acknowledge, onTopOf, f, true), `/rounds/${round.id}/submissions/${me.unitId}/template.xlsx`));
    } else {
      say(errorText(r.error, lang), "error");
      const ack = r.error?.error.code === "warnings_not_acknowledged"
        ? [busyButton(I.confirm[lang], "…", { class: "primary acknowledge" }, () => send(true, onTopOf, f, acknowledgeLoss))] : [];
      issues.replaceChildren(...listOf(r.error?.error.issues ?? [], lang), ...ack);
    }
    await refresh();
  };
  /** The differences of this file (the one shown, whatever is picked later) from the current revision. */
  const staleView = (stale: StaleFile, acknowledge: boolean, f: File) => {
    const v = { file: stale.fileRevision, current: stale.currentRevision, next: stale.currentRevision + 1 };
    const shownValue = (x: unknown) => (x === null || x === undefined ? "" : x === true ? "是" : x === false ? "否" : String(x));
    return h("div", { class: "stale" },
      h("p", {}, fmt(stale.changes.length ? I.staleTitle[lang] : I.staleSame[lang], v)),
      ...(stale.changes.length ? [h("table", { class: "diff" },
        h("thead", {}, h("tr", {}, h("th", {}, I.indicator[lang]), h("th", {}, `${I.current[lang]}（${revisionText(stale.currentRevision, lang)}）`), h("th", {}, I.inFile[lang]))),
        h("tbody", {}, ...stale.changes.map((c) => h("tr", { "data-indicator": c.indicator }, h("td", {}, nameOf(c.indicator)), h("td", {}, shownValue(c.current)), h("td", {}, shownValue(c.file))))))] : []),
      h("div", { class: "actions" },
        busyButton(fmt(I.submitAnyway[lang], v), "…", { class: "primary submit-anyway" }, () => send(acknowledge, stale.currentRevision, f)),
        downloadButton(desk, I.downloadCurrent[lang], "download-current", `/rounds/${round.id}/submissions/${me.unitId}/template.xlsx`)));
  };
  file.addEventListener("change", () => {
    chosen = file.files?.[0] ?? null;
    file.value = ""; // picking the same file again, after fixing it, is a new upload
    void send(false);
  });
  const card = h("li", { class: "card round", "data-round": round.id },
    h("div", { class: "round-title" }, roundName(round, lang)),
    dueLine,
    state, review,
    h("div", { class: "actions" }, downloadButton(desk, I.download[lang], "download", `/rounds/${round.id}/submissions/${me.unitId}/template.xlsx`), uploadLabel),
    issues);
  await refresh();
  return card;
}

export const listOf = (issues: readonly IssueBody[], lang: "zh" | "en"): HTMLElement[] =>
  (issues.length ? [h("ul", { class: "issues" }, ...issues.map((i) => h("li", { class: i.severity }, i.message[lang])))] : []);

export const inboxIntro = I.intro;
