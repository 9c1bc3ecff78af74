// Reviewing one report: its figures beside last period's and the siblings' total and median, its 说明
// per indicator, the warnings its unit confirmed, every revision with who and when and the difference
// between any two, a comment per indicator, and 退回 / 审核通过 / 重新打开 that a double click does once.
import {
  Exact, compileTemplate, periodLabel, validateValues, type CompiledTemplate, type Indicator, type RawValue, type ReviewContext, type RoundView,
} from "@tianbao/shared";
import { STATE, T, errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { reviewsUnit } from "./authority";
import { beijingTime, busyButton, type Desk } from "./desk";

const R = {
  back: { zh: "← 返回填报进度", en: "← Back to the board" },
  indicator: { zh: "指标", en: "Indicator" },
  now: { zh: "本期", en: "This period" },
  previous: { zh: "上期", en: "Last period" },
  change: { zh: "变化", en: "Change" },
  total: { zh: "合计", en: "Total" },
  median: { zh: "中位数", en: "Median" },
  note: { zh: "说明", en: "Note" },
  comment: { zh: "审核意见", en: "Reviewer's note" },
  warnings: { zh: "填报单位已确认的提示", en: "Warnings the unit confirmed" },
  noWarnings: { zh: "没有需要确认的提示", en: "No warnings to confirm" },
  revisions: { zh: "修改记录", en: "Revisions" },
  compare: { zh: "比较", en: "Compare" },
  from: { zh: "从", en: "From" },
  to: { zh: "到", en: "to" },
  noChanges: { zh: "两个版本的数据相同", en: "The two revisions hold the same figures" },
  before: { zh: "修改前", en: "Before" },
  after: { zh: "修改后", en: "After" },
  returnIt: { zh: "退回…", en: "Return…" },
  returnWhole: { zh: "退回意见（必填，填报单位会看到）", en: "Why it is returned (required; the unit sees it)" },
  returnHint: { zh: "可在上表“审核意见”列中对单个指标留言，一并退回。", en: "You can leave a note on single indicators in the table's last column; they go back with the return." },
  returned: { zh: "已退回", en: "Returned" },
  approved: { zh: "已审核通过，数据已锁定", en: "Approved and locked" },
  confirmApprove: { zh: "审核通过后该单位本轮数据将被锁定，不能再修改，并计入已审核合计（可由管理员重新打开）。确认审核通过？", en: "Approving locks this unit's figures for the round and adds them to the approved totals (an administrator can reopen them). Approve?" },
  yesApprove: { zh: "确认审核通过", en: "Approve" },
  confirmApproveLevel: { zh: "审核通过后，该单位及其全部下级本轮数据都将锁定，不能再修改，其汇总计入上级的已审核合计。确认审核通过？", en: "Approving locks this unit and every unit below it for the round, and adds its totals to the approved totals above. Approve?" },
  reopen: { zh: "重新打开", en: "Reopen" },
  reopened: { zh: "已重新打开，填报单位可以修改后再次上报", en: "Reopened: the unit can change and submit again" },
  alreadyReturned: { zh: "这份报表刚刚已被退回（可能在另一个窗口），您填写的意见未保存。当前的退回意见：", en: "This report was just returned (perhaps in another window); what you wrote was not saved. The return's comment: " },
  by: { zh: "上报人", en: "Submitted by" },
  yes: { zh: "是", en: "yes" },
  no: { zh: "否", en: "no" },
  siblings: { zh: "同级已报单位", en: "siblings reported" },
  noPrevious: { zh: "（上期无数据）", en: "(no figures last period)" },
  units: { zh: "家单位", en: "units" },
};

/** A stored value as a reviewer reads it: 是/否, an option's name, a figure with its unit; blank stays blank. */
function shown(ind: Indicator | undefined, v: RawValue | undefined, lang: Lang): string {
  if (v === null || v === undefined || v === "") return "";
  if (!ind) return String(v);
  // a level's totals: yes/no as "yes/reported", a choice as "code:count, …"
  if (ind.kind === "yesno" && typeof v === "string" && /^\d+\/\d+$/.test(v)) { const [yes, of] = v.split("/"); return lang === "zh" ? `是 ${yes} / 共 ${of}` : `${yes} yes of ${of}`; }
  if (ind.kind === "choice" && typeof v === "string" && /^[^:,]+:\d+(, ?[^:,]+:\d+)*$/.test(v)) {
    return v.split(/, ?/).map((p) => { const [code, n] = p.split(":"); return `${ind.options.find((o) => o.code === code)?.name[lang] ?? code} ${n}`; }).join("，");
  }
  if (ind.kind === "yesno") return v === true ? R.yes[lang] : v === false ? R.no[lang] : String(v);
  if (ind.kind === "choice") return ind.options.find((o) => o.code === v)?.name[lang] ?? String(v);
  return String(v);
}

const exactOf = (v: RawValue | undefined): Exact.Exact | null =>
  typeof v === "number" ? Exact.exactFromNumber(v) : typeof v === "string" ? Exact.parseExact(v) : null;

/** Change against last period in percent, from exact figures ("+12.5%", "−3.0%"); blank when either side is blank or zero. */
function change(now: RawValue | undefined, before: RawValue | undefined): string {
  const a = exactOf(now), b = exactOf(before);
  if (!a || !b || Exact.isZero(b)) return "";
  const pct = Exact.div(Exact.mul(Exact.sub(a, b), Exact.HUNDRED), Exact.abs(b))!;
  const text = Exact.toFixed(Exact.abs(pct), 1);
  return `${Exact.compare(pct, Exact.ZERO) < 0 ? "−" : "+"}${text}%`;
}

export async function reviewScreen(desk: Desk, round: RoundView, unitId: string): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const [ctx, tpl, units] = await Promise.all([api.reviewContext(round.id, unitId), api.template(round), api.units()]);
  if (!ctx.ok) { say(errorText(ctx.error, lang), "error"); return h("a", { href: `#/round/${round.id}`, class: "back" }, R.back[lang]); }
  if (!tpl.ok) { say(errorText(tpl.error, lang), "error"); return h("div"); }
  const compiled = compileTemplate(tpl.value);
  if (!compiled.ok) { say(errorText(null, lang), "error"); return h("div"); }
  const c: ReviewContext = ctx.value;
  const s = c.submission;
  const board = await api.completeness(round.id);
  const name = board.ok ? board.value.units.find((u) => u.unitId === unitId)?.name[lang] ?? unitId : unitId;
  // only the unit the server lets review it is offered the buttons (never its own unit, never a grandchild)
  const mayReview = reviewsUnit(me, round, { parentOf: new Map(units.ok ? units.value.map((u) => [u.id, u.parentId]) : []) }, unitId);
  // a review level's upward submission (a city's totals, frozen when it was submitted) goes through its own routes
  const level = s.level === true;
  const reviewing = mayReview && s.state === "submitted";

  const noteInputs = new Map<string, HTMLInputElement>();
  const table = figuresTable(compiled.compiled, c, lang, reviewing ? noteInputs : null);

  // the warnings the unit confirmed with its submission, recomputed with the shared rules
  const previousValues = c.previous ? validateValues(compiled.compiled, c.previous.values).values : null;
  const warnings = s.revision > 0 && !level ? validateValues(compiled.compiled, s.values, { previous: previousValues }).issues.filter((i) => i.severity === "warning") : [];

  const actions = h("div", { class: "review-actions" });
  const done = (text: string) => { desk.redraw(); say(text, "ok"); };
  if (reviewing) {
    actions.append(
      h("button", { class: "approve", onclick: () => askApprove() }, T.approve[lang]),
      h("button", { class: "return", onclick: () => askReturn() }, R.returnIt[lang]));
  }
  if (me.role === "admin" && mayReview && !level && s.state === "approved") {
    actions.append(busyButton(R.reopen[lang], "…", { class: "reopen" }, async () => {
      const r = await api.reopen(round.id, unitId);
      if (!r.ok) return say(errorText(r.error, lang), "error");
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
      desk.redraw();
      return say(`${R.alreadyReturned[lang]}${now.value.reviewComment ?? ""}`, "info");
    }
    say(errorText(r.ok ? null : (r.error ?? null), lang), "error");
    desk.redraw();
  };
  const askApprove = () => {
    const yes = busyButton(R.yesApprove[lang], "…", { class: "primary approve-confirm" }, async () => {
      const r = level ? await api.levelReview(round.id, unitId, "approve", s.revision) : await api.review(round.id, unitId, "approve");
      await settle(r, "approved", R.approved[lang]);
    });
    actions.replaceChildren(h("div", { class: "approve-form" }, h("p", {}, (level ? R.confirmApproveLevel : R.confirmApprove)[lang]), yes, h("button", { class: "approve-cancel", onclick: () => desk.redraw() }, T.cancel[lang])));
  };
  const askReturn = () => {
    const text = h("textarea", { id: "return-comment", class: "return-comment", maxlength: "1000" });
    const error = h("div", { class: "field-error", role: "alert" });
    const send = h("button", { type: "submit", class: "primary return-confirm" }, T.returnSubmit[lang]);
    const form = h("form", { class: "return-form" }, h("label", { for: "return-comment" }, R.returnWhole[lang]), text, error, h("p", { class: "hint" }, R.returnHint[lang]),
      h("div", { class: "actions" }, send, h("button", { type: "button", class: "return-cancel", onclick: () => desk.redraw() }, T.cancel[lang])));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const comment = text.value.trim();
      if (!comment) { error.textContent = T.returnCommentMissing[lang]; text.focus(); return; }
      if (send.disabled) return;
      send.disabled = true;
      const notes = Object.fromEntries([...noteInputs].map(([code, input]) => [code, input.value.trim()]).filter(([, v]) => v !== ""));
      void (async () => {
        const r = level ? await api.levelReview(round.id, unitId, "return", s.revision, comment, notes) : await api.review(round.id, unitId, "return", comment, notes);
        await settle(r, "returned", R.returned[lang]);
      })();
    });
    actions.replaceChildren(form);
    text.focus();
  };

  return h("section", { class: "review-screen", "data-unit": unitId },
    h("a", { href: `#/round/${round.id}`, class: "back" }, R.back[lang]),
    h("h2", {}, `${name} · ${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
    h("p", { class: `state ${s.state}` }, STATE[s.state]![lang] + (s.revision ? ` r${s.revision}` : ""),
      s.submittedAt ? ` · ${R.by[lang]} ${s.submittedBy ?? ""} ${beijingTime(s.submittedAt, lang)}` : ""),
    s.reviewComment ? h("p", { class: "review" }, `${T.reviewComment[lang]}：${s.reviewComment}`) : null,
    c.parent && !level ? h("p", { class: "hint" }, `${R.total[lang]} / ${R.median[lang]}：${c.parent.name[lang]}，${R.siblings[lang]} ${c.parent.units} ${R.units[lang]}`) : null,
    table,
    ...(level ? [] : [h("h3", {}, R.warnings[lang]),
      warnings.length ? h("ul", { class: "issues confirmed" }, ...warnings.map((w) => h("li", { class: "warning" }, w.message[lang]))) : h("p", { class: "hint" }, R.noWarnings[lang])]),
    revisionsPart(desk, round, unitId, c, compiled.compiled),
    actions);
}

function figuresTable(compiled: CompiledTemplate, c: ReviewContext, lang: Lang, notes: Map<string, HTMLInputElement> | null): HTMLTableElement {
  const s = c.submission;
  const valueOf = (code: string, from: { values: Record<string, RawValue>; derived: Record<string, RawValue> } | null) => (from ? from.values[code] ?? from.derived[code] : undefined);
  const tpl = compiled.template;
  const body = h("tbody");
  for (const section of tpl.sections) {
    const inds = tpl.indicators.filter((i) => i.section === section.code);
    if (inds.length === 0) continue;
    body.append(h("tr", { class: "section" }, h("th", { colspan: "8" }, section.name[lang])));
    for (const ind of inds) {
      const now = valueOf(ind.code, s);
      const before = valueOf(ind.code, c.previous);
      const returnedNote = s.reviewIndicatorComments?.[ind.code];
      const noteCell = h("td", { class: "review-note" });
      if (notes) {
        const input = h("input", { class: "indicator-comment", "data-indicator": ind.code, maxlength: "500", "aria-label": `${R.comment[lang]}：${ind.name[lang]}` });
        notes.set(ind.code, input);
        noteCell.append(input);
      } else if (returnedNote) noteCell.append(returnedNote);
      const unit = "unit" in ind && ind.unit ? ind.unit : "";
      body.append(h("tr", { "data-indicator": ind.code, class: ind.kind === "derived" ? "derived" : "" },
        h("td", { class: "name" }, ind.name[lang], unit ? h("span", { class: "unit" }, `（${unit}）`) : null),
        h("td", { class: "now" }, shown(ind, now, lang)),
        h("td", { class: "previous" }, shown(ind, before, lang)),
        h("td", { class: "change" }, change(now, before)),
        h("td", { class: "total" }, c.parent?.totals[ind.code] ?? ""),
        h("td", { class: "median" }, c.parent?.median[ind.code] ?? ""),
        h("td", { class: "note" }, s.comments[ind.code] ?? ""),
        noteCell));
    }
  }
  const prevLabel = c.previous ? `${R.previous[lang]}（${periodLabel(c.previous.period, lang)}）` : `${R.previous[lang]}${R.noPrevious[lang]}`;
  return h("table", { class: "figures" },
    h("thead", {}, h("tr", {}, ...[R.indicator[lang], R.now[lang], prevLabel, R.change[lang], R.total[lang], R.median[lang], R.note[lang], R.comment[lang]].map((t) => h("th", {}, t)))),
    body);
}

function revisionsPart(desk: Desk, round: RoundView, unitId: string, c: ReviewContext, compiled: CompiledTemplate): HTMLElement {
  const { api, lang, say } = desk;
  const list = h("ol", { class: "revisions" }, ...c.revisions.map((r) => h("li", { "data-revision": String(r.revision) }, `r${r.revision} · ${r.submittedBy} · ${beijingTime(r.submittedAt, lang)}`)));
  if (c.revisions.length < 2) return h("div", { class: "revisions-part" }, h("h3", {}, R.revisions[lang]), list);
  const pick = (id: string, selected: number) => h("select", { id, class: id }, ...c.revisions.map((r) => h("option", { value: String(r.revision), ...(r.revision === selected ? { selected: true } : {}) }, `r${r.revision}`)));
  const last = c.revisions[c.revisions.length - 1]!.revision;
  const from = pick("diff-from", c.revisions[c.revisions.length - 2]!.revision);
  const to = pick("diff-to", last);
  const out = h("div", { class: "diff" });
  const show = async () => {
    const a = Number(from.value), b = Number(to.value);
    const d = await api.diff(round.id, unitId, Math.min(a, b), Math.max(a, b));
    if (!d.ok) return say(errorText(d.error, lang), "error");
    if (d.value.changes.length === 0) { out.replaceChildren(h("p", { class: "hint" }, R.noChanges[lang])); return; }
    out.replaceChildren(h("table", { class: "diff" },
      h("thead", {}, h("tr", {}, h("th", {}, R.indicator[lang]), h("th", {}, `${R.before[lang]}（r${d.value.from}）`), h("th", {}, `${R.after[lang]}（r${d.value.to}）`))),
      h("tbody", {}, ...d.value.changes.map((x) => {
        const ind = compiled.byCode.get(x.indicator);
        return h("tr", { "data-indicator": x.indicator }, h("td", {}, ind ? ind.name[lang] : x.indicator), h("td", {}, shown(ind, x.before, lang)), h("td", {}, shown(ind, x.after, lang)));
      }))));
  };
  queueMicrotask(() => void show());
  return h("div", { class: "revisions-part" }, h("h3", {}, R.revisions[lang]), list,
    h("div", { class: "diff-pick" }, R.from[lang], " ", from, " ", R.to[lang], " ", to, " ", busyButton(R.compare[lang], "…", { class: "diff-show" }, show)), out);
}
