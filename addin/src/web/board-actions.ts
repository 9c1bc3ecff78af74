// What the board's consequential buttons ask before they act (issue 22): 重新打开 asks why (the
// unit is shown the reason and the audit keeps it); 上报上级 shows the totals that will go up —
// the approved reports below, the figures the province will see — and takes a note for its reviewer.
import type { RoundView, Template, TotalsView } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { confirmAction } from "./confirm";
import { yesOfTotal } from "./review-figures";

const A = {
  reopenTitle: { zh: "重新打开：", en: "Reopen: " },
  reopenWhat: { zh: "重新打开后，该单位可以修改并再次上报；已审核的数据退出已审核汇总，直至再次审核通过。", en: "Once reopened, the unit can correct and submit again; an approved report leaves the approved totals until it is approved again." },
  reason: { zh: "重新打开的原因（将显示给该单位，并记入操作记录）", en: "Reason for reopening (shown to the unit and kept in the audit)" },
  reopen: { zh: "重新打开", en: "Reopen" },
  upTitle: { zh: "上报上级：", en: "Submit upward: " },
  upWhat: { zh: "将以下汇总（已审核的下级单位）上报上级。上报后，在上级审核期间不能再审核或重新打开下级单位。", en: "These totals (of the approved units below) go to the level above. While it reviews them, the units below cannot be reviewed or reopened." },
  units: { zh: "计入单位数", en: "Units counted" },
  note: { zh: "给上级审核人的说明（可选）", en: "Note for the reviewer above (optional)" },
  submit: { zh: "确认上报", en: "Submit" },
  indicator: { zh: "指标", en: "Indicator" },
  value: { zh: "汇总", en: "Total" },
} as const;

/** Asks why a unit is reopened; null when the administrator cancels. */
export const askReopenReason = (lang: Lang, unitName: string): Promise<string | null> =>
  confirmAction(lang, { title: `${A.reopenTitle[lang]}${unitName}`, body: [A.reopenWhat[lang]], confirm: A.reopen[lang], text: { label: A.reason[lang], required: true, max: 500 } });

/** The figures going up as a table: sums and rates as the API gives them (exact decimal text), yes/no as "yes/reported". */
function previewTable(template: Template, totals: TotalsView["totals"], lang: Lang): HTMLElement {
  const rows = template.indicators.flatMap((ind) => {
    const t = totals.indicators[ind.code];
    if (!t) return [];
    const unit = "unit" in ind && ind.unit ? ` ${ind.unit}` : "";
    const shown = t.kind === "count" || t.kind === "amount" || t.kind === "derived" ? (t.value === null ? "—" : `${t.value}${unit}`)
      : t.kind === "yesno" ? (t.reported === 0 ? "—" : yesOfTotal(t.yes, t.reported)) : null;
    return shown === null ? [] : [h("tr", {}, h("td", {}, ind.name[lang]), h("td", { class: "num" }, shown))];
  });
  return h("div", { class: "preview-scroll" }, h("table", { class: "level-preview" },
    h("thead", {}, h("tr", {}, h("th", {}, A.indicator[lang]), h("th", {}, A.value[lang]))), h("tbody", {}, ...rows)));
}

/**
 * Shows what 上报上级 sends and asks for a note; resolves with the note ("" for none), null when
 * cancelled, or an error text when the preview cannot be read (nothing is sent then).
 */
export async function confirmLevelSubmit(api: ApiClient, lang: Lang, round: RoundView, unitId: string, unitName: string): Promise<{ note: string } | { error: string } | null> {
  const [totals, template] = await Promise.all([api.totals(round.id, { unit: unitId, basis: "approved" }), api.template(round)]);
  if (!totals.ok) return { error: errorText(totals.error, lang) };
  if (!template.ok) return { error: errorText(template.error, lang) };
  const note = await confirmAction(lang, {
    title: `${A.upTitle[lang]}${unitName}`, confirm: A.submit[lang],
    body: [h("p", {}, A.upWhat[lang]), h("p", { class: "preview-units" }, `${A.units[lang]}：${totals.value.totals.units}`), previewTable(template.value, totals.value.totals, lang)],
    text: { label: A.note[lang], required: false, max: 1000 },
  });
  return note === null ? null : { note };
}

/**
 * The notes the level above left on single indicators of a returned level (the province on a
 * city), by indicator name: drawn into `into` once read, so the city sees what to look at.
 */
export function levelNotes(api: ApiClient, lang: Lang, round: RoundView, unitId: string): HTMLElement {
  const into = h("ul", { class: "level-notes" });
  void Promise.all([api.submission(round.id, unitId), api.template(round)]).then(([view, template]) => {
    if (!view.ok || !template.ok) return;
    const notes = Object.entries(view.value.reviewIndicatorComments ?? {});
    const nameOf = (code: string) => template.value.indicators.find((i) => i.code === code)?.name[lang] ?? code;
    into.replaceChildren(...notes.map(([code, note]) => h("li", { "data-indicator": code }, h("b", {}, nameOf(code)), `：${note}`)));
  });
  return into;
}
