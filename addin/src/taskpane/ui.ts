import { listRowNoteLabel, roundName, type Lists, type RoundView } from "@tianbao/shared";
import { T, errorText, languageOf, stateText, type Lang } from "../i18n/messages";
import { beijingTime, daysLeft } from "../i18n/time";
import { selectCell, selectReportCell } from "../excel/fill-sheet";
import { excelRun } from "../flows/excel-run";
import { pullTemplate } from "../flows/pull";
import { deleteListRows, insertListRows } from "../flows/list-rows";
import { api, onNotice, rememberSession, signOut, store } from "../flows/session";
import { submitActiveSheet, type SubmitResult } from "../flows/submit";
import { downloadTotals } from "../flows/totals";
import { h } from "./dom";
import { designerIntoWorkbook, previewDraft, uploadDesigner, type DesignerUpload } from "../flows/designer";
import { passwordForm } from "./password-form";
import { returnForm } from "./return-form";
import { liveTotalsCard } from "./live-card";
import { autoShowEnabled, setAutoShow } from "../excel/auto-show";

/** The task pane: sign in, what is due by when, pull / check / submit, and the city's board. */
export function mountPane(root: HTMLElement): void {
  const lang: Lang = languageOf(Office.context.displayLanguage);
  const noticeEl = h("div", { class: "notice", role: "status", "aria-live": "polite" });
  const body = h("div", { class: "body" });
  root.replaceChildren(h("header", {}, h("h1", {}, T.title[lang])), noticeEl, body);
  const say = (text: string, kind: "ok" | "error" | "info" = "info") => { noticeEl.textContent = text; noticeEl.className = `notice ${kind}`; };
  // a ribbon submit's outcome (issues, the confirm button) is shown once the rounds screen is there
  let ribbonOutcome: SubmitResult | null = null;
  onNotice((text, kind, outcome) => {
    say(text, kind);
    if (outcome && document.getElementById("issues")) showOutcome(outcome);
    else if (outcome) ribbonOutcome = outcome;
  });
  const busy = async (f: () => Promise<void>) => {
    say(T.working[lang]);
    root.classList.add("busy");
    // flows report network failures themselves; an exception here is something else
    try { await f(); } catch (e) { console.error(e); say(T.unexpected[lang], "error"); } finally { root.classList.remove("busy"); }
  };

  const showLogin = () => {
    const user = h("input", { id: "username", autocomplete: "username", required: true });
    const pass = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
    const remember = h("input", { id: "remember", type: "checkbox" });
    const form = h("form", { class: "card" },
      h("label", { for: "username" }, T.username[lang]), user,
      h("label", { for: "password" }, T.password[lang]), pass,
      h("label", { class: "check" }, remember, T.remember[lang]),
      // said before signing in, so nobody ticks 记住我 and is surprised later
      ...(store.persistent ? [] : [h("p", { class: "note", id: "storage-refused" }, T.storageRefused[lang])]),
      h("button", { type: "submit", class: "primary", id: "sign-in" }, T.signIn[lang]));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void busy(async () => {
        const r = await api.login(user.value.trim(), pass.value);
        if (!r.ok) return say(errorText(r.error, lang), "error");
        say("", "info");
        if (r.value.mustChangePassword) return showPasswordChange(pass.value, remember.checked);
        const remembered = rememberSession(remember.checked);
        await showRounds();
        if (!remembered && !noticeEl.textContent) say(T.storageRefused[lang], "info");
      });
    });
    body.replaceChildren(form);
  };

  // a request refused as signed out (the session expired or was ended elsewhere), from the pane, a
  // ribbon command or a TIANBAO cell: forget the session and ask for a sign-in; cells that showed
  // 登录已过期 recalculate after it (live-card.ts)
  api.onSignedOut = () => {
    api.token = null;
    api.user = null;
    rememberSession(false);
    showLogin();
    say(T.signedOutElsewhere[lang], "error");
  };

  /**
   * The checkbox that turns the automatic opening of the pane with this workbook on or off (the
   * document setting Office.AutoShowTaskpaneWithDocument: excel/auto-show.ts); absent where the
   * document has no settings.
   */
  const autoShowToggle = (): HTMLElement | null => {
    const on = autoShowEnabled();
    if (on === null) return null;
    const box = h("input", { type: "checkbox", id: "auto-show", checked: on });
    box.addEventListener("change", () => void busy(async () => {
      const want = box.checked;
      if (await setAutoShow(want)) say(want ? T.autoShowOn[lang] : T.autoShowOff[lang], "ok");
      else { box.checked = !want; say(T.autoShowFailed[lang], "error"); }
    }));
    return h("label", { class: "check auto-show" }, box, T.autoShow[lang]);
  };

  const showPasswordChange = (current: string, remember: boolean) => {
    body.replaceChildren(passwordForm(lang, async (next) => {
      const r = await api.changePassword(current, next);
      if (!r.ok) return errorText(r.error, lang);
      const remembered = rememberSession(remember);
      await showRounds();
      if (!remembered && !noticeEl.textContent) say(T.storageRefused[lang], "info");
      return null;
    }));
  };

  const showRounds = async () => {
    const me = api.user!;
    const rounds = await api.rounds();
    if (!rounds.ok) {
      if (rounds.status === 401) return showLogin();
      return say(errorText(rounds.error, lang), "error");
    }
    // what is due first, soonest deadline first; past rounds below, newest first (as on the web page)
    const ordered = [...rounds.value].sort((a, b) => (a.closed === b.closed ? (a.closed ? b.deadline.localeCompare(a.deadline) : Date.parse(a.deadline) - Date.parse(b.deadline)) : a.closed ? 1 : -1));
    const list = h("ul", { class: "rounds" });
    for (const r of ordered) list.append(await roundCard(r, rounds.value));
    body.replaceChildren(
      h("div", { class: "who" }, `${me.displayName} · ${me.unitName[lang]}`, h("button", { class: "link", id: "sign-out", onclick: () => void busy(async () => { await signOut(); showLogin(); }) }, T.signOut[lang])),
      h("h2", {}, T.rounds[lang]), list,
      ...(me.role === "reporter" ? [listRowsCard()] : []),
      h("div", { id: "issues" }),
      h("div", { id: "board" }),
      ...(me.role !== "reporter" ? [liveTotalsCard(lang, busy, say)] : []),
      ...(me.role === "admin" ? [designerCard()] : []),
      ...[autoShowToggle()].filter((x) => x !== null),
    );
    if (ribbonOutcome) { const o = ribbonOutcome; ribbonOutcome = null; showOutcome(o); }
  };

  /**
   * 插入行 / 删除行 on a detail list's sheet (issue 25): the sheet is protected, so rows are inserted and
   * deleted here, within the list's block. A delete of rows that hold something asks first, inline
   * (Office add-ins may not open dialogs), and only for the rows it named.
   */
  const listRowsCard = (): HTMLElement => {
    const count = h("input", { id: "list-rows-count", type: "number", min: "1", step: "1", value: "1", inputmode: "numeric" });
    const confirmBox = h("div", { id: "list-rows-confirm" });
    const insert = h("button", { id: "list-insert", onclick: () => void busy(async () => {
      confirmBox.replaceChildren();
      const r = await insertListRows(lang, Number(count.value));
      say(r.message, r.ok ? "ok" : "error");
    }) }, T.listInsert[lang]);
    const remove = h("button", { id: "list-delete", onclick: () => void busy(async () => {
      confirmBox.replaceChildren();
      const r = await deleteListRows(lang);
      say(r.message, r.ok ? "ok" : r.confirm ? "info" : "error");
      if (!r.confirm) return;
      const rows = r.confirm;
      confirmBox.replaceChildren(
        h("button", { class: "primary", id: "list-delete-confirm", onclick: () => void busy(async () => {
          confirmBox.replaceChildren();
          const done = await deleteListRows(lang, rows);
          say(done.message, done.ok ? "ok" : "error");
        }) }, T.listDeleteConfirm[lang]),
        h("button", { id: "list-delete-cancel", onclick: () => { confirmBox.replaceChildren(); say("", "info"); } }, T.cancel[lang]));
    }) }, T.listDelete[lang]);
    // folded: most reports have no list; the summary names what is inside
    return h("details", { class: "card list-rows", id: "list-rows" },
      h("summary", {}, `${T.listRows[lang]}${lang === "zh" ? "：" : ": "}${T.listInsert[lang]} / ${T.listDelete[lang]}`),
      h("p", { class: "note" }, T.listRowsNote[lang]),
      h("div", { class: "actions" }, h("label", { for: "list-rows-count" }, T.listRowsCountLabel[lang]), count, insert, remove),
      confirmBox);
  };

  /** 模板设计 in the pane: the designer into this workbook, read back and saved as a draft, previewed, published. */
  const designerCard = (): HTMLElement => {
    const out = h("div", { class: "designer-result" });
    const showUpload = (r: DesignerUpload) => {
      say(r.message, r.ok ? "ok" : "error");
      const problems = r.problems.map((p) => h("li", { class: "error", "data-cell": p.cell, onclick: () => {
        const [sheet = "", cell = ""] = p.cell.split("!");
        excelRun((ctx) => selectCell(ctx, sheet, cell)).catch((e: unknown) => console.warn("the cell could not be selected", e));
      } }, p.message[lang]));
      const draft = r.result?.template;
      const changes = r.result?.changes.map((c) => h("li", { class: c.meaningChanged ? "warning" : "" }, c.message[lang])) ?? [];
      const confirm = h("input", { type: "checkbox", id: "pane-designer-checked" });
      const publish = h("button", { class: "primary", id: "pane-designer-publish", disabled: true }, T.publish[lang]);
      confirm.addEventListener("change", () => { if (confirm.checked) publish.removeAttribute("disabled"); else publish.setAttribute("disabled", ""); });
      publish.addEventListener("click", () => void busy(async () => {
        const p = await api.publish(draft!.id, draft!.version);
        say(p.ok ? `${T.published[lang]}：${draft!.name[lang]}` : errorText(p.error, lang), p.ok ? "ok" : "error");
        if (p.ok) out.replaceChildren();
      }));
      out.replaceChildren(
        ...(problems.length ? [h("ul", { class: "issues" }, ...problems)] : []),
        ...(changes.length ? [h("ul", { class: "changes" }, ...changes)] : []),
        ...(draft ? [
          h("button", { id: "pane-designer-preview", onclick: () => void busy(async () => { const p = await previewDraft(draft, lang); say(p.message, p.ok ? "ok" : "error"); }) }, T.previewDraft[lang]),
          h("label", { class: "check" }, confirm, T.previewChecked[lang]), publish,
        ] : []));
    };
    return h("div", { class: "card designer", id: "pane-designer" },
      h("h2", {}, T.designer[lang]),
      h("div", { class: "actions" },
        h("button", { id: "pane-designer-builtin", onclick: () => void busy(async () => { const r = await designerIntoWorkbook("builtin", lang); say(r.message, r.ok ? "ok" : "error"); }) }, T.designerBuiltin[lang]),
        h("button", { id: "pane-designer-blank", onclick: () => void busy(async () => { const r = await designerIntoWorkbook("blank", lang); say(r.message, r.ok ? "ok" : "error"); }) }, T.designerBlank[lang]),
        h("button", { class: "primary", id: "pane-designer-upload", onclick: () => void busy(async () => showUpload(await uploadDesigner(lang))) }, T.designerUpload[lang])),
      out);
  };

  const roundCard = async (round: RoundView, all: RoundView[]): Promise<HTMLElement> => {
    const me = api.user!;
    const left = daysLeft(round.deadline, new Date(), lang);
    const card = h("li", { class: "card round", "data-round": round.id },
      // named by its issuer too: a county in its city's and its province's round tells the two apart
      h("div", { class: "round-title" }, roundName(round, lang)),
      h("div", { class: `due ${round.closed ? "closed" : left.urgency}` }, `${T.deadline[lang]} ${beijingTime(round.deadline, lang)} · `, h("b", { class: "days-left" }, round.closed && left.urgency !== "past" ? T.closed[lang] : left.text)));
    if (me.role === "reporter") {
      const s = await api.submission(round.id, me.unitId);
      if (s.ok) {
        const st = stateText(s.value.state, s.value.revision, lang);
        card.append(h("div", { class: `state ${s.value.state}` }, st));
        if (s.value.state === "returned" && s.value.reviewComment) card.append(await reviewNotes(round, s.value.reviewComment, s.value.reviewIndicatorComments ?? {}, s.value.lists ?? undefined));
      }
      card.append(h("div", { class: "actions" },
        h("button", { class: "pull", onclick: () => void busy(async () => { const r = await pullTemplate(round, all, lang); say(r.message, r.ok ? "ok" : "error"); }) }, T.pull[lang]),
        h("button", { class: "check", onclick: () => void busy(async () => showOutcome(await submitActiveSheet(lang, { checkOnly: true }))) }, T.validate[lang]),
        h("button", { class: "primary submit", onclick: () => void busy(async () => { showOutcome(await submitActiveSheet(lang)); await refreshState(card, round); }) }, T.submit[lang])));
    } else {
      card.append(h("div", { class: "actions" },
        h("button", { class: "board", onclick: () => void busy(() => showBoard(round)) }, T.completeness[lang]),
        h("button", { class: "primary totals", onclick: () => void busy(async () => { const r = await downloadTotals(round, lang); say(r.message, r.ok ? "ok" : "error"); }) }, T.totals[lang])));
    }
    return card;
  };

  /**
   * The reviewer's comment on a returned report, and the notes left on single indicators by name. A
   * note on a detail list's row (issue 25) names the list, the row and — from the returned report's
   * lists, as the reviewer numbered them — its enterprise: the county may have inserted or re-sorted
   * rows on its sheet since, so 第 3 行 alone would not say which one was meant.
   */
  const reviewNotes = async (round: RoundView, comment: string, notes: Record<string, string>, lists?: Lists) => {
    const entries = Object.entries(notes);
    const t = entries.length ? await api.template(round) : null;
    const nameOf = (code: string) => (t?.ok ? listRowNoteLabel(t.value, code, lang, lists) ?? t.value.indicators.find((i) => i.code === code)?.name[lang] : undefined) ?? code;
    return h("div", { class: "review" }, `${T.reviewComment[lang]}：${comment}`,
      ...(entries.length ? [h("ul", { class: "indicator-comments" }, ...entries.map(([code, note]) => h("li", { "data-indicator": code }, `${nameOf(code)}：${note}`)))] : []));
  };

  const refreshState = async (card: HTMLElement, round: RoundView) => {
    const s = await api.submission(round.id, api.user!.unitId);
    const el = card.querySelector(".state");
    if (s.ok && el) {
      el.textContent = stateText(s.value.state, s.value.revision, lang);
      el.className = `state ${s.value.state}`;
      if (s.value.state !== "returned") card.querySelector(".review")?.remove(); // the return's comment is answered
    }
  };

  const showOutcome = (r: SubmitResult) => {
    say(r.message, r.ok ? "ok" : "error");
    const box = document.getElementById("issues")!;
    const items = r.issues.map((i) => h("li", { class: i.severity, onclick: () => goToIssue(r, i) }, i.message[lang]));
    const ack = r.needsAcknowledgement
      ? h("button", { class: "primary", id: "acknowledge", onclick: () => void busy(async () => showOutcome(await submitActiveSheet(lang, r.acknowledge ?? { acknowledgeWarnings: true }))) }, lang === "zh" ? "已核实，确认并上报" : "Confirmed — submit")
      : null;
    box.replaceChildren(...(items.length ? [h("ul", { class: "issues" }, ...items)] : []), ...(ack ? [ack] : []));
  };

  /** A click on an issue selects its cell: on a form, on its table's sheet, found by the report's metadata whatever the tab is called. */
  const goToIssue = (r: SubmitResult, i: SubmitResult["issues"][number]) => {
    const cell = i.cell;
    if (!cell) return;
    if (i.table && r.report) {
      const { report } = r;
      const table = i.table;
      excelRun((ctx) => selectReportCell(ctx, report, table, cell))
        .then((found) => { if (!found) say(`${T.tableSheetMissing[lang]}${i.message[lang]}`, "error"); })
        .catch((e: unknown) => console.warn("the cell could not be selected", e));
      return;
    }
    if (r.sheetName) excelRun((ctx) => selectCell(ctx, r.sheetName!, cell)).catch((e: unknown) => console.warn("the cell could not be selected (sheet renamed?)", e));
  };

  const showBoard = async (round: RoundView) => {
    const c = await api.completeness(round.id);
    if (!c.ok) return say(errorText(c.error, lang), "error");
    const v = c.value;
    const summary = lang === "zh"
      ? `应报 ${v.expected} · 已报 ${v.submitted} · 已审核 ${v.approved} · 退回 ${v.returned} · 逾期 ${v.late} · 未报 ${v.notStarted}`
      : `expected ${v.expected} · in ${v.submitted} · approved ${v.approved} · returned ${v.returned} · late ${v.late} · not started ${v.notStarted}`;
    const rows = v.units.map((u) => h("tr", { "data-unit": u.unitId },
      h("td", {}, u.name[lang], u.lastSubmittedAt ? h("div", { class: "last" }, beijingTime(u.lastSubmittedAt, lang, true)) : null),
      h("td", { class: `state ${u.state}` }, stateText(u.state, u.revision, lang) + (u.late ? (lang === "zh" ? " · 逾期" : " · late") : ""), u.reviewedBy ? h("div", { class: "reviewer" }, u.reviewedBy) : null),
      h("td", {}, ...(u.state === "submitted" ? [
        h("button", { class: "approve", onclick: (e) => askApprove(round, u, (e.currentTarget as HTMLElement).closest("td")!) }, T.approve[lang]),
        h("button", { class: "return", onclick: (e) => showReturnForm(round, u, (e.currentTarget as HTMLElement).closest("td")!) }, T.return[lang]),
      ] : []))));
    document.getElementById("board")!.replaceChildren(h("h2", {}, `${T.completeness[lang]} · ${roundName(round, lang)}`), h("p", { class: "summary" }, summary), h("table", { class: "board" }, h("tbody", {}, ...rows)));
    say("", "info");
  };

  // Office add-ins may not open modal dialogs, so approving asks inline; a second click finds the report approved and says so
  const askApprove = (round: RoundView, u: { unitId: string; name: { zh: string; en: string } }, cell: HTMLElement) => {
    const yes = h("button", { class: "primary approve-confirm" }, lang === "zh" ? "确认审核通过" : "Approve");
    yes.addEventListener("click", () => void busy(async () => {
      yes.disabled = true;
      const r = await api.review(round.id, u.unitId, "approve");
      const now = r.ok ? null : await api.submission(round.id, u.unitId);
      const done = r.ok || (now?.ok === true && now.value.state === "approved");
      await showBoard(round);
      say(done ? `${u.name[lang]} ✓ ${T.approve[lang]}` : errorText(r.ok ? null : r.error, lang), done ? "ok" : "error");
    }), { once: true });
    cell.replaceChildren(h("div", { class: "approve-form" },
      h("p", {}, lang === "zh" ? "审核通过后该单位本轮数据将被锁定（可由市局重新打开）。确认？" : "Approving locks this unit's figures for the round (the city can reopen them). Approve?"),
      yes, h("button", { class: "approve-cancel", onclick: () => void showBoard(round) }, T.cancel[lang])));
  };

  const showReturnForm = (round: RoundView, u: { unitId: string; name: { zh: string; en: string } }, cell: HTMLElement) => {
    cell.replaceChildren(returnForm(lang, u.unitId, (comment) => void busy(async () => {
      const r = await api.review(round.id, u.unitId, "return", comment);
      await showBoard(round);
      say(r.ok ? `${u.name[lang]} ↩ ${T.return[lang]}` : errorText(r.error, lang), r.ok ? "ok" : "error");
    }), () => void showBoard(round)));
  };

  if (api.token && api.user) void busy(showRounds);
  else showLogin();
}
