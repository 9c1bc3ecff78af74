// Reviewing one report: its figures beside last period's and the siblings' total and median, its 说明
// per indicator, the warnings its unit confirmed and the large changes (marked, and listed first),
// who filled it in and their phone, every revision by name and the difference between any two, a
// comment per indicator, and 退回 / 审核通过 / 重新打开 in a bar that stays in view, their outcome beside
// the buttons with the next report awaiting review.
import { compileTemplate, periodLabel, validateValues, type CompletenessSchema, type ReviewContext, type RoundView } from "@tianbao/shared";
import type { z } from "zod";
import { STATE, T, errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { reviewsUnit } from "./authority";
import { askReopenReason } from "./board-actions";
import { beijingTime, busyButton, fmt, type Desk } from "./desk";
import { attentionList, attentionOf, figuresTable, markedRows } from "./review-figures";
import { reviewLists } from "./review-lists";
import { revisionsPart } from "./review-revisions";

const R = {
  back: { zh: "← 返回填报进度", en: "← Back to the board" },
  warnings: { zh: "填报单位已确认的提示", en: "Warnings the unit confirmed" },
  noWarnings: { zh: "没有需要确认的提示", en: "No warnings to confirm" },
  returnIt: { zh: "退回…", en: "Return…" },
  returnWhole: { zh: "退回意见（必填，填报单位会看到）", en: "Why it is returned (required; the unit sees it)" },
  returnHint: { zh: "可在上表“审核意见”列中对单个指标留言，一并退回。", en: "You can leave a note on single indicators in the table's last column; they go back with the return." },
  returnRowNotes: { zh: "另有清单中 {n} 行的审核意见（批注）一并退回。", en: "Your notes on {n} list rows go back with it too." },
  returned: { zh: "已退回{name}，退回意见已送达填报单位", en: "{name} returned; the unit sees the comment" },
  approved: { zh: "已审核通过{name}，数据已锁定", en: "{name} approved and locked" },
  lastYearUpdated: { zh: "；该单位以此为准的 {n} 份报表（下年同期的上年同期、本年以后各期的累计）已随之更新", en: "; {n} of its reports built on it (next year's 上年同期, this year's later 累计) now follow" },
  lastYearLocked: { zh: "；该单位 {n} 份以此为准的报表已随上级上报锁定，未能更新，上级退回后自动更新", en: "; {n} of its reports built on it are locked above and could not follow: they will once the level is returned" },
  lastYearReview: { zh: "；该单位 {n} 份以后的报表按更正后的数据校验未通过（{rounds}），请退回或重新打开后更正", en: "; {n} of its later reports no longer pass their rules with the corrected figures ({rounds}): return or reopen them" },
  confirmApprove: { zh: "审核通过后该单位本轮数据将被锁定，不能再修改，并计入已审核合计（可由管理员重新打开）。确认审核通过？", en: "Approving locks this unit's figures for the round and adds them to the approved totals (an administrator can reopen them). Approve?" },
  yesApprove: { zh: "确认审核通过", en: "Approve" },
  confirmApproveLevel: { zh: "审核通过后，该单位及其全部下级本轮数据都将锁定，不能再修改，其汇总计入上级的已审核合计。确认审核通过？", en: "Approving locks this unit and every unit below it for the round, and adds its totals to the approved totals above. Approve?" },
  reopen: { zh: "重新打开", en: "Reopen" },
  reopened: { zh: "已重新打开{name}，填报单位可以修改后再次上报", en: "{name} reopened: the unit can change and submit again" },
  alreadyReturned: { zh: "这份报表刚刚已被退回（可能在另一个窗口），您填写的意见未保存。当前的退回意见：", en: "This report was just returned (perhaps in another window); what you wrote was not saved. The return's comment: " },
  rev: { zh: "第 {n} 版", en: "revision {n}" },
  by: { zh: "上报人", en: "Submitted by" },
  filer: { zh: "填报人", en: "Filled in by" },
  head: { zh: "负责人", en: "Person in charge" },
  phone: { zh: "联系电话", en: "Phone" },
  contact: { zh: "单位联系人", en: "Unit contact" },
  siblings: { zh: "同级已报单位", en: "siblings reported" },
  units: { zh: "家单位", en: "units" },
  total: { zh: "合计", en: "Total" },
  median: { zh: "中位数", en: "Median" },
  submitNote: { zh: "上报说明", en: "Note with the submission" },
  next: { zh: "下一个待审核：{name} →", en: "Next awaiting review: {name} →" },
  noneLeft: { zh: "没有其他待审核的报表了", en: "No other report is awaiting review" },
};

/**
 * The outcome of the last action, shown in the action bar of the screen drawn after it (the screen
 * is drawn again so its state and buttons are the server's): beside the button pressed, never in a
 * banner at the top of a long page.
 */
let outcome: { roundId: string; unitId: string; text: string; at: number } | null = null;

export async function reviewScreen(desk: Desk, round: RoundView, unitId: string): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const [ctx, tpl, units, board] = await Promise.all([api.reviewContext(round.id, unitId), api.template(round), api.units(), api.completeness(round.id)]);
  if (!ctx.ok) { say(errorText(ctx.error, lang), "error"); return h("a", { href: `#/round/${round.id}`, class: "back" }, R.back[lang]); }
  if (!tpl.ok) { say(errorText(tpl.error, lang), "error"); return h("div"); }
  const compiled = compileTemplate(tpl.value);
  if (!compiled.ok) { say(errorText(null, lang), "error"); return h("div"); }
  const c: ReviewContext = ctx.value;
  const s = c.submission;
  const nameOf = (id: string) => (board.ok ? [...board.value.units, ...(board.value.levels ?? [])].find((u) => u.unitId === id)?.name[lang] : undefined) ?? id;
  const name = nameOf(unitId);
  const tree = { parentOf: new Map(units.ok ? units.value.map((u) => [u.id, u.parentId]) : []) };
  // only the unit the server lets review it is offered the buttons (never its own unit, never a grandchild)
  const mayReview = reviewsUnit(me, round, tree, unitId);
  // a review level's upward submission (a city's totals, frozen when it was submitted) goes through its own routes
  const level = s.level === true;
  const reviewing = mayReview && s.state === "submitted";

  // the warnings the unit confirmed with its submission, recomputed with the shared rules
  const previousValues = c.previous ? validateValues(compiled.compiled, c.previous.values).values : null;
  const warnings = s.revision > 0 && !level ? validateValues(compiled.compiled, s.values, { previous: previousValues }).issues.filter((i) => i.severity === "warning") : [];
  const attention = attentionOf(compiled.compiled, c, warnings, lang);
  const noteInputs = new Map<string, HTMLInputElement>();
  const table = figuresTable(compiled.compiled, c, lang, reviewing ? noteInputs : null, markedRows(attention, warnings));
  // the detail lists (浮动行): their figures and rows, a page at a time, with a 批注 per row while under review
  const lists = reviewLists(compiled.compiled, c, round.id, unitId, reviewing && !level, lang);

  const buttons = h("div", { class: "review-buttons" });
  const result = h("div", { class: "action-result", role: "status", "aria-live": "polite" });
  const actions = h("div", { class: "review-actions sticky" }, buttons, result);
  // kept for the screens drawn just after the action (a double click or a refresh draws it twice),
  // never carried to another report or back to this one later
  const shown = outcome?.roundId === round.id && outcome.unitId === unitId && Date.now() - outcome.at < 30_000 ? outcome : null;
  if (!shown) outcome = null;
  if (shown) void showOutcome(shown.text);
  /** The outcome beside the buttons, with the next report awaiting review (fresh from the board). */
  async function showOutcome(text: string): Promise<void> {
    result.replaceChildren(h("span", { class: "ok" }, text));
    const fresh = await api.completeness(round.id);
    const waiting = fresh.ok ? [...fresh.value.units, ...(fresh.value.levels ?? [])].filter((u) => u.state === "submitted" && u.unitId !== unitId && reviewsUnit(me, round, tree, u.unitId)) : [];
    const next = waiting[0];
    result.append(" ", next
      ? h("a", { class: "button primary next-review", href: `#/round/${round.id}/unit/${next.unitId}` }, fmt(R.next[lang], { name: next.name[lang] }))
      : h("span", { class: "hint none-left" }, R.noneLeft[lang]));
  }
  const done = (text: string) => { outcome = { roundId: round.id, unitId, text: fmt(text, { name }), at: Date.now() }; desk.redraw(); };
  const failed = (text: string) => { result.replaceChildren(h("span", { class: "error" }, text)); };
  if (reviewing) {
    buttons.append(
      h("button", { class: "approve", onclick: () => askApprove() }, T.approve[lang]),
      h("button", { class: "return", onclick: () => askReturn() }, R.returnIt[lang]));
  }
  if (me.role === "admin" && mayReview && !level && s.state === "approved") {
    buttons.append(busyButton(R.reopen[lang], "…", { class: "reopen" }, async () => {
      const reason = await askReopenReason(lang, name);
      if (reason === null) return;
      const r = await api.reopen(round.id, unitId, reason);
      if (!r.ok) return failed(errorText(r.error, lang));
      done(R.reopened[lang]);
    }));
  }
  /**
   * An approval that finds the report already approved (a double click, a second tab) is not an
   * error. A return that finds it already returned says so: that return's comment stands, and the
   * one typed here was not saved.
   */
  const settle = async (r: { ok: boolean; error?: Parameters<typeof errorText>[0] }, want: string, text: string) => {
    if (r.ok) return done(text);
    const now = await api.submission(round.id, unitId);
    if (now.ok && now.value.state === want && now.value.revision === s.revision) {
      if (want === "approved") return done(text);
      return done(`${R.alreadyReturned[lang]}${now.value.reviewComment ?? ""}`);
    }
    failed(errorText(r.ok ? null : (r.error ?? null), lang));
  };
  const askApprove = () => {
    const yes = busyButton(R.yesApprove[lang], "…", { class: "primary approve-confirm" }, async () => {
      const r = level ? await api.levelReview(round.id, unitId, "approve", s.revision) : await api.review(round.id, unitId, "approve", undefined, undefined, s.revision);
      const follow = r.ok && "lastYear" in r.value ? r.value.lastYear : undefined;
      const also = (follow?.updated.length ? fmt(R.lastYearUpdated[lang], { n: String(follow.updated.length) }) : "")
        + (follow?.locked.length ? fmt(R.lastYearLocked[lang], { n: String(follow.locked.length) }) : "")
        + (follow?.review.length ? fmt(R.lastYearReview[lang], { n: String(follow.review.length), rounds: follow.review.join("、") }) : "");
      await settle(r, "approved", R.approved[lang] + also);
    });
    buttons.replaceChildren(h("div", { class: "approve-form" }, h("p", {}, (level ? R.confirmApproveLevel : R.confirmApprove)[lang]), yes, h("button", { class: "approve-cancel", onclick: () => desk.redraw() }, T.cancel[lang])));
  };
  const askReturn = () => {
    const text = h("textarea", { id: "return-comment", class: "return-comment", maxlength: "1000" });
    const error = h("div", { class: "field-error", role: "alert" });
    const send = h("button", { type: "submit", class: "primary return-confirm" }, T.returnSubmit[lang]);
    const rowNotes = Object.keys(lists.notes()).length;
    const form = h("form", { class: "return-form" }, h("label", { for: "return-comment" }, R.returnWhole[lang]), text, error, h("p", { class: "hint" }, R.returnHint[lang]),
      rowNotes ? h("p", { class: "hint row-notes" }, fmt(R.returnRowNotes[lang], { n: rowNotes })) : null,
      h("div", { class: "actions" }, send, h("button", { type: "button", class: "return-cancel", onclick: () => desk.redraw() }, T.cancel[lang])));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const comment = text.value.trim();
      if (!comment) { error.textContent = T.returnCommentMissing[lang]; text.focus(); return; }
      if (send.disabled) return;
      send.disabled = true;
      const notes = { ...Object.fromEntries([...noteInputs].map(([code, input]) => [code, input.value.trim()]).filter(([, v]) => v !== "")), ...lists.notes() };
      void (async () => {
        const r = level ? await api.levelReview(round.id, unitId, "return", s.revision, comment, notes) : await api.review(round.id, unitId, "return", comment, notes, s.revision);
        await settle(r, "returned", R.returned[lang]);
        send.disabled = false;
      })();
    });
    buttons.replaceChildren(form);
    text.focus();
  };

  return h("section", { class: "review-screen", "data-unit": unitId },
    h("a", { href: `#/round/${round.id}`, class: "back" }, R.back[lang]),
    h("h2", {}, `${name} · ${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
    h("p", { class: `state ${s.state}` }, STATE[s.state]![lang] + (s.revision ? `（${fmt(R.rev[lang], { n: s.revision })}）` : ""),
      s.submittedAt ? ` · ${R.by[lang]} ${s.submittedByName ?? s.submittedBy ?? ""} ${beijingTime(s.submittedAt, lang)}` : ""),
    whoFilled(c, board.ok ? board.value : null, unitId, lang),
    s.reviewComment ? h("p", { class: "review" }, `${T.reviewComment[lang]}：${s.reviewComment}`) : null,
    // what the level wrote with its 上报上级, for the reviewer above it
    level && s.submitNote ? h("p", { class: "submit-note" }, `${R.submitNote[lang]}：${s.submitNote}`) : null,
    attentionList(compiled.compiled, attention, lang),
    c.parent && !level ? h("p", { class: "hint" }, `${R.total[lang]} / ${R.median[lang]}：${c.parent.name[lang]}，${R.siblings[lang]} ${c.parent.units} ${R.units[lang]}`) : null,
    table,
    lists.part,
    ...(level ? [] : [h("h3", {}, R.warnings[lang]),
      warnings.length ? h("ul", { class: "issues confirmed" }, ...warnings.map((w) => h("li", { class: "warning" }, w.message[lang]))) : h("p", { class: "hint" }, R.noWarnings[lang])]),
    revisionsPart(desk, round, unitId, c, compiled.compiled),
    actions);
}

/** Who to call about the figures: the signature handed in with them, else the unit's contact on file. */
function whoFilled(c: ReviewContext, board: z.infer<typeof CompletenessSchema> | null, unitId: string, lang: "zh" | "en"): HTMLElement | null {
  const sig = c.submission.signature ?? {};
  const parts = [
    sig.filer ? `${R.filer[lang]} ${sig.filer}` : "", sig.phone ? `${R.phone[lang]} ${sig.phone}` : "", sig.head ? `${R.head[lang]} ${sig.head}` : "",
  ].filter(Boolean);
  if (parts.length === 0) {
    const contact = board?.units.find((u) => u.unitId === unitId)?.contact;
    if (contact?.name || contact?.phone) parts.push(`${R.contact[lang]} ${[contact.name, contact.phone].filter(Boolean).join(" ")}`);
  }
  return parts.length ? h("p", { class: "filer" }, parts.join(" · ")) : null;
}
