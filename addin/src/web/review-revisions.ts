// A report's revisions with who and when (by name), and the difference between any two: the figures,
// the detail lists' rows added, removed and changed (by key, field by field), then the 说明 notes and
// the signature block, so a note that disappeared shows as one.
import { SIGNATURE_NAMES, fillBook, spotText, type CompiledTemplate, type ReviewContext, type RoundView } from "@tianbao/shared";
import { errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { beijingTime, busyButton, fmt, type Desk } from "./desk";
import { shown } from "./review-figures";
import { listDiffRows } from "./review-lists";

const V = {
  revisions: { zh: "修改记录", en: "Revisions" },
  rev: { zh: "第 {n} 版", en: "revision {n}" },
  compare: { zh: "比较", en: "Compare" },
  from: { zh: "从", en: "From" },
  to: { zh: "到", en: "to" },
  noChanges: { zh: "两个版本的数据、说明和签字栏相同", en: "The two revisions hold the same figures, notes and signature" },
  noChangesLists: { zh: "两个版本的数据、清单、说明和签字栏相同", en: "The two revisions hold the same figures, lists, notes and signature" },
  indicator: { zh: "指标", en: "Indicator" },
  before: { zh: "修改前", en: "Before" },
  after: { zh: "修改后", en: "After" },
  note: { zh: "{name} 的说明", en: "Note on {name}" },
  sign: { zh: "签字栏：{name}", en: "Signature: {name}" },
  empty: { zh: "（空）", en: "(empty)" },
};

export function revisionsPart(desk: Desk, round: RoundView, unitId: string, c: ReviewContext, compiled: CompiledTemplate): HTMLElement {
  const { api, lang, say } = desk;
  const rev = (n: number) => fmt(V.rev[lang], { n });
  const list = h("ol", { class: "revisions" }, ...c.revisions.map((r) => h("li", { "data-revision": String(r.revision) }, `${rev(r.revision)} · ${r.submittedByName ?? r.submittedBy} · ${beijingTime(r.submittedAt, lang)}`)));
  if (c.revisions.length < 2) return h("div", { class: "revisions-part" }, h("h3", {}, V.revisions[lang]), list);
  const pick = (id: string, selected: number) => h("select", { id, class: id }, ...c.revisions.map((r) => h("option", { value: String(r.revision), ...(r.revision === selected ? { selected: true } : {}) }, rev(r.revision))));
  const from = pick("diff-from", c.revisions[c.revisions.length - 2]!.revision);
  const to = pick("diff-to", c.revisions[c.revisions.length - 1]!.revision);
  const out = h("div", { class: "diff" });
  const text = (s: string | null) => s ?? V.empty[lang];
  const show = async () => {
    const a = Number(from.value), b = Number(to.value);
    const d = await api.diff(round.id, unitId, Math.min(a, b), Math.max(a, b));
    if (!d.ok) return say(errorText(d.error, lang), "error");
    const nameOf = (code: string) => compiled.byCode.get(code)?.name[lang] ?? code;
    const rows = [
      ...byTable(compiled, lang, [
        ...d.value.changes.map((x) => ({ code: x.indicator, row: h("tr", { "data-indicator": x.indicator }, h("td", {}, nameOf(x.indicator)), h("td", {}, shown(compiled.byCode.get(x.indicator), x.before, lang)), h("td", {}, shown(compiled.byCode.get(x.indicator), x.after, lang))) })),
        ...(d.value.notes ?? []).map((x) => ({ code: x.indicator, note: true, row: h("tr", { "data-note": x.indicator, class: x.after === null ? "dropped" : "" }, h("td", {}, fmt(V.note[lang], { name: nameOf(x.indicator) })), h("td", {}, text(x.before)), h("td", {}, text(x.after))) })),
      ]),
      // the lists' rows by key; a changed row named by what identifies it when the later revision is the current one
      ...listDiffRows(compiled, d.value.lists ?? [], d.value.to === c.submission.revision ? c.submission.lists ?? null : null, lang),
      ...(d.value.signature ?? []).map((x) => h("tr", { "data-signature": x.field }, h("td", {}, fmt(V.sign[lang], { name: SIGNATURE_NAMES[x.field][lang] })), h("td", {}, text(x.before)), h("td", {}, text(x.after)))),
    ];
    if (rows.length === 0) { out.replaceChildren(h("p", { class: "hint" }, (d.value.lists ? V.noChangesLists : V.noChanges)[lang])); return; }
    out.replaceChildren(h("table", { class: "diff" },
      h("thead", {}, h("tr", {}, h("th", {}, V.indicator[lang]), h("th", {}, `${V.before[lang]}（${rev(d.value.from)}）`), h("th", {}, `${V.after[lang]}（${rev(d.value.to)}）`))),
      h("tbody", {}, ...rows)));
  };
  queueMicrotask(() => void show());
  return h("div", { class: "revisions-part" }, h("h3", {}, V.revisions[lang]), list,
    h("div", { class: "diff-pick" }, V.from[lang], " ", from, " ", V.to[lang], " ", to, " ", busyButton(V.compare[lang], "…", { class: "diff-show" }, show)), out);
}

/**
 * A form's differences under their tables, in the form's order, each table headed by its number and
 * name (质兴2表 主导产业) and each figure by its cell there; a template without a form lists them as they come.
 */
function byTable(compiled: CompiledTemplate, lang: "zh" | "en", items: { code: string; note?: boolean; row: HTMLElement }[]): HTMLElement[] {
  const book = fillBook(compiled);
  if (book.single) return items.map((x) => x.row);
  const order = new Map(book.pages.map((p, i) => [p.key, i]));
  // a detail list's figures (its rows and sums) have no cell of their own: under the list's table
  const detailPages = new Set(book.pages.filter((p) => p.kind === "detail").map((p) => p.key));
  const pageOf = (code: string) => book.value.get(code)?.page ?? [compiled.byCode.get(code)?.section ?? ""].find((s) => detailPages.has(s)) ?? "";
  const sorted = [...items].sort((a, b) => (order.get(pageOf(a.code)) ?? 99) - (order.get(pageOf(b.code)) ?? 99));
  const out: HTMLElement[] = [];
  let last: string | null = null;
  for (const x of sorted) {
    const page = book.pages.find((p) => p.key === pageOf(x.code));
    if (page && page.key !== last && (page.kind === "list" || page.kind === "grid" || page.kind === "detail")) {
      out.push(h("tr", { class: "diff-table", "data-table": page.key }, h("th", { colspan: "3" }, `${page.table.formNo} ${page.table.name[lang]}`.trim())));
      last = page.key;
    }
    // a note by its 说明 cell (on a grid, the row's), a figure by its own
    const spot = x.note ? book.comment.get(x.code) ?? book.value.get(x.code) : book.value.get(x.code);
    if (spot) x.row.firstElementChild?.prepend(h("span", { class: "cell" }, `${spotText(book, spot)} `));
    out.push(x.row);
  }
  return out;
}
