import { periodLabel, type RoundView } from "@tianbao/shared";
import { STATE, T, errorText, languageOf, type Lang } from "../i18n/messages";
import { selectCell } from "../excel/fill-sheet";
import { excelRun } from "../flows/excel-run";
import { pullTemplate } from "../flows/pull";
import { api, onNotice, rememberSession, signOut } from "../flows/session";
import { submitActiveSheet, type SubmitResult } from "../flows/submit";
import { downloadTotals } from "../flows/totals";
import { h } from "./dom";
import { designerIntoWorkbook, previewDraft, uploadDesigner, type DesignerUpload } from "../flows/designer";
import { passwordForm } from "./password-form";
import { returnForm } from "./return-form";

/** The task pane: sign in, what is due by when, pull / check / submit, and the city's board. */
export function mountPane(root: HTMLElement): void {
  const lang: Lang = languageOf(Office.context.displayLanguage);
  const noticeEl = h("div", { class: "notice", role: "status", "aria-live": "polite" });
  const body = h("div", { class: "body" });
  root.replaceChildren(h("header", {}, h("h1", {}, T.title[lang])), noticeEl, body);
  const say = (text: string, kind: "ok" | "error" | "info" = "info") => { noticeEl.textContent = text; noticeEl.className = `notice ${kind}`; };
  onNotice((text, kind) => say(text, kind));
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
      h("button", { type: "submit", class: "primary", id: "sign-in" }, T.signIn[lang]));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void busy(async () => {
        const r = await api.login(user.value.trim(), pass.value);
        if (!r.ok) return say(errorText(r.error, lang), "error");
        say("", "info");
        if (r.value.mustChangePassword) return showPasswordChange(pass.value, remember.checked);
        rememberSession(remember.checked);
        await showRounds();
      });
    });
    body.replaceChildren(form);
  };

  const showPasswordChange = (current: string, remember: boolean) => {
    body.replaceChildren(passwordForm(lang, async (next) => {
      const r = await api.changePassword(current, next);
      if (!r.ok) return errorText(r.error, lang);
      rememberSession(remember);
      await showRounds();
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
    const list = h("ul", { class: "rounds" });
    for (const r of rounds.value) list.append(await roundCard(r, rounds.value));
    body.replaceChildren(
      h("div", { class: "who" }, `${me.displayName} · ${me.unitName[lang]}`, h("button", { class: "link", id: "sign-out", onclick: () => void busy(async () => { await signOut(); showLogin(); }) }, T.signOut[lang])),
      h("h2", {}, T.rounds[lang]), list,
      h("div", { id: "issues" }),
      h("div", { id: "board" }),
      ...(me.role === "admin" ? [designerCard()] : []),
    );
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
    const due = new Date(round.deadline).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB");
    const card = h("li", { class: "card round", "data-round": round.id },
      h("div", { class: "round-title" }, `${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
      h("div", { class: round.closed ? "due closed" : "due" }, `${T.deadline[lang]} ${due}${round.closed ? ` · ${T.closed[lang]}` : ""}`));
    if (me.role === "reporter") {
      const s = await api.submission(round.id, me.unitId);
      if (s.ok) {
        const st = STATE[s.value.state]![lang] + (s.value.revision > 0 ? ` r${s.value.revision}` : "");
        card.append(h("div", { class: `state ${s.value.state}` }, st));
        if (s.value.state === "returned" && s.value.reviewComment) card.append(h("div", { class: "review" }, `${T.reviewComment[lang]}：${s.value.reviewComment}`));
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

  const refreshState = async (card: HTMLElement, round: RoundView) => {
    const s = await api.submission(round.id, api.user!.unitId);
    const el = card.querySelector(".state");
    if (s.ok && el) {
      el.textContent = STATE[s.value.state]![lang] + (s.value.revision > 0 ? ` r${s.value.revision}` : "");
      el.className = `state ${s.value.state}`;
      if (s.value.state !== "returned") card.querySelector(".review")?.remove(); // the return's comment is answered
    }
  };

  const showOutcome = (r: SubmitResult) => {
    say(r.message, r.ok ? "ok" : "error");
    const box = document.getElementById("issues")!;
    const items = r.issues.map((i) => h("li", { class: i.severity, onclick: () => { if (r.sheetName && i.cell) excelRun((ctx) => selectCell(ctx, r.sheetName!, i.cell!)).catch((e: unknown) => console.warn("the cell could not be selected (sheet renamed?)", e)); } }, i.message[lang]));
    const ack = r.needsAcknowledgement
      ? h("button", { class: "primary", id: "acknowledge", onclick: () => void busy(async () => showOutcome(await submitActiveSheet(lang, { acknowledgeWarnings: true }))) }, lang === "zh" ? "已核实，确认并上报" : "Confirmed — submit")
      : null;
    box.replaceChildren(...(items.length ? [h("ul", { class: "issues" }, ...items)] : []), ...(ack ? [ack] : []));
  };

  const showBoard = async (round: RoundView) => {
    const c = await api.completeness(round.id);
    if (!c.ok) return say(errorText(c.error, lang), "error");
    const v = c.value;
    const summary = lang === "zh"
      ? `应报 ${v.expected} · 已报 ${v.submitted} · 已审核 ${v.approved} · 退回 ${v.returned} · 逾期 ${v.late} · 未报 ${v.notStarted}`
      : `expected ${v.expected} · in ${v.submitted} · approved ${v.approved} · returned ${v.returned} · late ${v.late} · not started ${v.notStarted}`;
    const rows = v.units.map((u) => h("tr", { "data-unit": u.unitId },
      h("td", {}, u.name[lang]),
      h("td", { class: `state ${u.state}` }, STATE[u.state]![lang] + (u.revision ? ` r${u.revision}` : "") + (u.late ? (lang === "zh" ? " · 逾期" : " · late") : "")),
      h("td", {}, ...(u.state === "submitted" ? [
        h("button", { class: "approve", onclick: () => void busy(async () => { const r = await api.review(round.id, u.unitId, "approve"); await showBoard(round); say(r.ok ? `${u.name[lang]} ✓` : errorText(r.error, lang), r.ok ? "ok" : "error"); }) }, T.approve[lang]),
        h("button", { class: "return", onclick: (e) => showReturnForm(round, u, (e.currentTarget as HTMLElement).closest("td")!) }, T.return[lang]),
      ] : []))));
    document.getElementById("board")!.replaceChildren(h("h2", {}, `${T.completeness[lang]} · ${periodLabel(round.period, lang)}`), h("p", { class: "summary" }, summary), h("table", { class: "board" }, h("tbody", {}, ...rows)));
    say("", "info");
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
