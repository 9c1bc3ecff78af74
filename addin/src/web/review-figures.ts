// The figures of a report under review as a leader reads them: each beside last period with its
// change, the siblings' total and median, the unit's 说明; yes/no totals as "6/7（85.7%）"; and the
// rows that need a look — a large change or a warning the unit confirmed — marked in the table and
// listed above it, so they are not found by scrolling a 50-row page.
import { Exact, gridCellCode, periodLabel, sectionHeading, type GridTable, type CompiledTemplate, type Indicator, type IssueBody, type RawValue, type ReviewContext } from "@tianbao/shared";
import type { Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";

/** A change against last period larger than this (in %) is marked, unless the template sets the indicator's own 环比提示 threshold. */
export const LARGE_CHANGE_PERCENT = 30;

const F = {
  indicator: { zh: "指标", en: "Indicator" },
  now: { zh: "本期", en: "This period" },
  previous: { zh: "上期", en: "Last period" },
  noPrevious: { zh: "（上期无数据）", en: "(no figures last period)" },
  change: { zh: "变化", en: "Change" },
  total: { zh: "合计", en: "Total" },
  median: { zh: "中位数", en: "Median" },
  note: { zh: "说明", en: "Note" },
  comment: { zh: "审核意见", en: "Reviewer's note" },
  yes: { zh: "是", en: "yes" },
  no: { zh: "否", en: "no" },
  attention: { zh: "需要留意的指标（{n} 项，已在下表中标出）", en: "Indicators to look at ({n}, marked in the table below)" },
  large: { zh: "比上期变化 {pct}", en: "changed {pct} from last period" },
  confirmed: { zh: "填报单位已确认：", en: "the unit confirmed: " },
  notChecked: { zh: "未检查：", en: "not checked: " },
};

/** "6/7（85.7%）": how many said 是, of how many answered, and the share; blank when nobody answered. */
export function yesOfTotal(yes: number, reported: number): string {
  if (reported === 0) return "";
  const pct = Exact.div(Exact.fromInt(yes * 100), Exact.fromInt(reported))!;
  return `${yes}/${reported}（${Exact.toFixed(pct, 1)}%）`;
}

/** A stored value as a reviewer reads it: 是/否, an option's name, a figure; blank stays blank. */
export function shown(ind: Indicator | undefined, v: RawValue | undefined, lang: Lang): string {
  if (v === null || v === undefined || v === "") return "";
  if (!ind) return String(v);
  // a level's totals: yes/no as "yes/reported", a choice as "code:count, …"
  if (ind.kind === "yesno" && typeof v === "string" && /^\d+\/\d+$/.test(v)) { const [yes, of] = v.split("/").map(Number); return yesOfTotal(yes!, of!); }
  if (ind.kind === "choice" && typeof v === "string" && /^[^:,]+:\d+(, ?[^:,]+:\d+)*$/.test(v)) {
    return v.split(/, ?/).map((p) => { const [code, n] = p.split(":"); return `${ind.options.find((o) => o.code === code)?.name[lang] ?? code} ${n}`; }).join("，");
  }
  if (ind.kind === "yesno") return v === true ? F.yes[lang] : v === false ? F.no[lang] : String(v);
  if (ind.kind === "choice") return ind.options.find((o) => o.code === v)?.name[lang] ?? String(v);
  return String(v);
}

const exactOf = (v: RawValue | undefined): Exact.Exact | null =>
  typeof v === "number" ? Exact.exactFromNumber(v) : typeof v === "string" ? Exact.parseExact(v) : null;

/** Change against last period in percent, from exact figures ("+906.5%", "−3.0%"), and whether it is large; null when either side is blank or last period's is zero. */
export function changeOf(ind: Indicator, now: RawValue | undefined, before: RawValue | undefined): { text: string; large: boolean } | null {
  const a = exactOf(now), b = exactOf(before);
  if (!a || !b || Exact.isZero(b)) return null;
  const pct = Exact.div(Exact.mul(Exact.sub(a, b), Exact.HUNDRED), Exact.abs(b))!;
  const size = Exact.abs(pct);
  const limit = Exact.exactFromNumber("jumpPercent" in ind && ind.jumpPercent !== undefined ? ind.jumpPercent : LARGE_CHANGE_PERCENT)!;
  return { text: `${Exact.compare(pct, Exact.ZERO) < 0 ? "−" : "+"}${Exact.toFixed(size, 1)}%`, large: Exact.compare(size, limit) > 0 };
}

type Figures = { values: Record<string, RawValue>; derived: Record<string, RawValue> } | null;
const valueOf = (code: string, from: Figures) => (from ? from.values[code] ?? from.derived[code] : undefined);

/** What to look at first, by indicator: a large change, the warnings the unit confirmed (in template order). */
export function attentionOf(compiled: CompiledTemplate, c: ReviewContext, warnings: readonly IssueBody[], lang: Lang): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (code: string, text: string) => out.set(code, [...(out.get(code) ?? []), text]);
  for (const ind of compiled.template.indicators) {
    const ch = changeOf(ind, valueOf(ind.code, c.submission), valueOf(ind.code, c.previous));
    if (ch?.large) add(ind.code, F.large[lang].replace("{pct}", ch.text));
    // the indicator is named by the list item already: its name and code are not said twice
    const lead = lang === "zh" ? `${ind.name.zh}（${ind.code}）：` : `${ind.name.en} (${ind.code}): `;
    // a confirmed warning as confirmed; a rule not checked for want of another period's figures as said, never as confirmed
    for (const w of warnings) if (w.indicator === ind.code && w.code !== "jump") add(ind.code, `${(w.code === "not_checked" ? F.notChecked : F.confirmed)[lang]}${w.message[lang].replace(lead, "")}`);
  }
  return out;
}

/** The list above the table: each indicator to look at, a link to its row. */
export function attentionList(compiled: CompiledTemplate, attention: Map<string, string[]>, lang: Lang): HTMLElement | null {
  if (attention.size === 0) return null;
  return h("div", { class: "attention", role: "note" },
    h("p", {}, F.attention[lang].replace("{n}", String(attention.size))),
    h("ul", {}, ...[...attention].map(([code, why]) => h("li", { "data-indicator": code },
      h("a", { href: `#row-${code}`, onclick: (e: Event) => { e.preventDefault(); document.getElementById(`row-${code}`)?.scrollIntoView({ block: "center" }); } }, compiled.byCode.get(code)?.name[lang] ?? code),
      `：${why.join("；")}`))));
}

/** The rows to mark: each listed indicator, and every indicator a confirmed warning's rule names. */
export const markedRows = (attention: Map<string, string[]>, warnings: readonly IssueBody[]): Set<string> =>
  new Set([...attention.keys(), ...warnings.flatMap((w) => w.indicators ?? [w.indicator])]);

export function figuresTable(compiled: CompiledTemplate, c: ReviewContext, lang: Lang, notes: Map<string, HTMLInputElement> | null, marked: ReadonlySet<string>): HTMLTableElement {
  const tpl = compiled.template;
  const body = h("tbody");
  for (const section of tpl.sections) {
    const inds = tpl.indicators.filter((i) => i.section === section.code);
    if (inds.length === 0) continue;
    // a form set's tables by their number: 质兴1表 基本情况 · 一、组织领导, 质兴2表 主导产业
    body.append(h("tr", { class: "section" }, h("th", { colspan: "8" }, sectionHeading(tpl, section, lang))));
    // a grid as the form draws it (rows × columns), above its cells one per row with their comparisons
    const grid = tpl.form?.tables.find((t): t is GridTable => t.kind === "grid" && t.code === section.code);
    if (grid) body.append(h("tr", { class: "grid-view-row" }, h("td", { colspan: "8" }, gridView(compiled, grid, c, lang))));
    for (const ind of inds) body.append(figureRow(ind, c, lang, notes, marked.has(ind.code)));
  }
  const prevLabel = c.previous ? `${F.previous[lang]}（${periodLabel(c.previous.period, lang)}）` : `${F.previous[lang]}${F.noPrevious[lang]}`;
  return h("table", { class: "figures" },
    h("thead", {}, h("tr", {}, ...[F.indicator[lang], F.now[lang], prevLabel, F.change[lang], F.total[lang], F.median[lang], F.note[lang], F.comment[lang]].map((t) => h("th", {}, t)))),
    body);
}

/** A grid table's figures in its own shape; each cell links to its row below, — where a cell does not apply. */
function gridView(compiled: CompiledTemplate, g: GridTable, c: ReviewContext, lang: Lang): HTMLTableElement {
  const head = h("tr", {}, h("th", {}, ""), ...g.columns.map((col) => h("th", { scope: "col" }, col.unit ? `${col.name[lang]}（${col.unit}）` : col.name[lang])));
  const rows = g.rows.map((r) => h("tr", { class: r.role === "total" ? "total" : r.role === "ofWhich" ? "of-which" : "" },
    h("th", { scope: "row" }, r.name[lang]),
    ...g.columns.map((col) => {
      const code = gridCellCode(g.code, r.code, col.code);
      const ind = compiled.byCode.get(code);
      if (!ind) return h("td", { class: "skipped" }, "—");
      return h("td", { "data-indicator": code, class: ind.kind === "derived" ? "derived" : "" },
        h("a", { href: `#row-${code}`, onclick: (e: Event) => { e.preventDefault(); document.getElementById(`row-${code}`)?.scrollIntoView({ block: "center" }); } }, shown(ind, valueOf(code, c.submission), lang) || "·"));
    })));
  return h("table", { class: "grid-view", "data-table": g.code }, h("thead", {}, head), h("tbody", {}, ...rows));
}

function figureRow(ind: Indicator, c: ReviewContext, lang: Lang, notes: Map<string, HTMLInputElement> | null, marked: boolean): HTMLElement {
  const s = c.submission;
  const now = valueOf(ind.code, s);
  const before = valueOf(ind.code, c.previous);
  const noteCell = h("td", { class: "review-note" });
  if (notes) {
    const input = h("input", { class: "indicator-comment", "data-indicator": ind.code, maxlength: "500", "aria-label": `${F.comment[lang]}：${ind.name[lang]}` });
    notes.set(ind.code, input);
    noteCell.append(input);
  } else if (s.reviewIndicatorComments?.[ind.code]) noteCell.append(s.reviewIndicatorComments[ind.code]!);
  const unit = "unit" in ind && ind.unit ? ind.unit : "";
  const ch = changeOf(ind, now, before);
  const yn = c.parent?.yesNo?.[ind.code];
  const total = ind.kind === "yesno" ? (yn ? yesOfTotal(yn.yes, yn.reported) : "") : c.parent?.totals[ind.code] ?? "";
  const cls = [ind.kind === "derived" ? "derived" : "", marked ? "attention-row" : "", ch?.large ? "large-change" : ""].filter(Boolean).join(" ");
  return h("tr", { id: `row-${ind.code}`, "data-indicator": ind.code, class: cls },
    h("td", { class: "name" }, ind.name[lang], unit ? h("span", { class: "unit" }, `（${unit}）`) : null),
    h("td", { class: "now" }, shown(ind, now, lang)),
    h("td", { class: "previous" }, shown(ind, before, lang)),
    h("td", { class: "change" }, ch?.text ?? ""),
    h("td", { class: "total" }, total),
    h("td", { class: "median" }, c.parent?.median[ind.code] ?? ""),
    h("td", { class: "note" }, s.comments[ind.code] ?? ""),
    noteCell);
}
