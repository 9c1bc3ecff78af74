// A round's audit trail: who did what to which unit's report and when (Beijing time), filterable by
// unit and action; the filter lives in the address, so Back and a refresh keep it.
import { AuditEntrySchema, periodLabel, type RoundView } from "@tianbao/shared";
import { z } from "zod";
import { errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { beijingTime, type Desk } from "./desk";

const ACTIONS: Record<string, { zh: string; en: string }> = {
  submit: { zh: "上报", en: "submitted" },
  return: { zh: "退回", en: "returned" },
  approve: { zh: "审核通过", en: "approved" },
  reopen: { zh: "重新打开", en: "reopened" },
  round_create: { zh: "开启轮次", en: "round opened" },
  deadline_extend: { zh: "延长截止时间", en: "deadline extended" },
  round_close: { zh: "提前结束", en: "round closed" },
  reminder_sent: { zh: "催报", en: "reminded" },
  level_submit: { zh: "上报上级", en: "submitted upward" },
  level_return: { zh: "上级退回", en: "returned from above" },
  level_approve: { zh: "上级审核通过", en: "approved above" },
  follow_update: { zh: "随已审核数据更新（上年同期、本年累计）", en: "updated from approved figures (same period last year, year to date)" },
};

const A = {
  title: { zh: "操作记录", en: "Audit trail" },
  back: { zh: "← 返回填报进度", en: "← Back to the board" },
  allUnits: { zh: "全部单位", en: "All units" },
  allActions: { zh: "全部操作", en: "All actions" },
  at: { zh: "时间", en: "When" },
  who: { zh: "操作人", en: "Who" },
  action: { zh: "操作", en: "Action" },
  unit: { zh: "单位", en: "Unit" },
  revision: { zh: "版本", en: "Revision" },
  detail: { zh: "说明", en: "Detail" },
  none: { zh: "没有符合条件的记录", en: "No entries match" },
};

export async function auditScreen(desk: Desk, round: RoundView, params: URLSearchParams): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const unit = params.get("unit") ?? "";
  const action = params.get("action") ?? "";
  const [entries, board] = await Promise.all([api.audit(round.id, { unit, action }), api.completeness(round.id)]);
  if (!entries.ok) { say(errorText(entries.error, lang), "error"); return h("a", { href: `#/round/${round.id}`, class: "back" }, A.back[lang]); }
  const names = new Map(board.ok ? board.value.units.map((u) => [u.unitId, u.name[lang]]) : []);
  const go = (u: string, a: string) => desk.go(`#/round/${round.id}/audit?${new URLSearchParams([...(u ? [["unit", u]] : []), ...(a ? [["action", a]] : [])]).toString()}`);
  const unitPick = h("select", { id: "audit-unit", "aria-label": A.unit[lang] }, h("option", { value: "" }, A.allUnits[lang]),
    ...[...names].map(([id, n]) => h("option", { value: id, ...(id === unit ? { selected: true } : {}) }, n)));
  const actionPick = h("select", { id: "audit-action", "aria-label": A.action[lang] }, h("option", { value: "" }, A.allActions[lang]),
    ...Object.entries(ACTIONS).map(([k, l]) => h("option", { value: k, ...(k === action ? { selected: true } : {}) }, l[lang])));
  unitPick.addEventListener("change", () => go(unitPick.value, actionPick.value));
  actionPick.addEventListener("change", () => go(unitPick.value, actionPick.value));
  const LABELS: Record<string, { zh: string; en: string }> = {
    from: { zh: "原截止", en: "was due" }, to: { zh: "新截止", en: "now due" }, deadline: { zh: "截止", en: "due" }, unit: { zh: "单位", en: "unit" },
    period: { zh: "周期", en: "period" }, acknowledgedWarnings: { zh: "已确认提示", en: "confirmed warnings" }, kind: { zh: "类型", en: "kind" },
  };
  const isTime = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v);
  const shownValue = (k: string, v: unknown): string => {
    if (k === "indicatorComments" && v && typeof v === "object") return Object.entries(v as Record<string, string>).map(([code, note]) => `${code}：${note}`).join("；");
    if (k === "unit" && typeof v === "string") return names.get(v) ?? v;
    if (isTime(v)) return beijingTime(v, lang);
    if (Array.isArray(v)) return v.map(String).join("、");
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  const detail = (d: Record<string, unknown>) => Object.entries(d).filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => (k === "comment" || k === "indicatorComments" ? shownValue(k, v) : `${LABELS[k]?.[lang] ?? k}: ${shownValue(k, v)}`)).join("；");
  const rows = [...entries.value].reverse(); // newest first
  return h("section", { class: "audit-screen" },
    h("a", { href: `#/round/${round.id}`, class: "back" }, A.back[lang]),
    h("h2", {}, `${A.title[lang]} · ${periodLabel(round.period, lang)} ${round.templateName[lang]}`),
    h("div", { class: "audit-filters" }, unitPick, actionPick),
    rows.length === 0 ? h("p", { class: "hint" }, A.none[lang]) : h("table", { class: "audit" },
      h("thead", {}, h("tr", {}, ...[A.at, A.who, A.action, A.unit, A.revision, A.detail].map((t) => h("th", {}, t[lang])))),
      h("tbody", {}, ...rows.map((e) => h("tr", { "data-action": e.action, "data-unit": e.unitId ?? "" },
        h("td", {}, beijingTime(e.at, lang, true)),
        h("td", {}, e.displayName ?? e.username ?? "—"),
        h("td", { class: "action" }, ACTIONS[e.action]?.[lang] ?? e.action),
        h("td", {}, e.unitId ? names.get(e.unitId) ?? e.unitId : ""),
        h("td", {}, e.afterRevision ? `r${e.afterRevision}` : ""),
        h("td", { class: "detail" }, detail(e.detail)))))));
}

const UNIT_CHANGES = {
  title: { zh: "单位变更记录（新建、改名、联系人）", en: "Unit changes (added, renamed, contact)" },
  loading: { zh: "正在读取…", en: "Loading…" },
  created: { zh: "新建单位", en: "unit added" },
  fields: { nameZh: { zh: "名称", en: "name" }, nameEn: { zh: "英文名称", en: "English name" }, contactName: { zh: "联系人", en: "contact" }, contactPhone: { zh: "电话", en: "phone" } } as Record<string, { zh: string; en: string }>,
};

/**
 * The changes of the caller's units (GET /units/:id/audit: who added, renamed or set the contact of
 * which unit, and when), read when the administrator opens it so the screen costs no extra request.
 * A unit renames only the units below it, so a name its parent never gave shows up here.
 */
export function unitChangesSection(desk: Desk, unitId: string, names: ReadonlyMap<string, string>): HTMLElement {
  const { api, lang, say } = desk;
  const body = h("div", { class: "unit-changes-body" }, h("p", { class: "hint" }, UNIT_CHANGES.loading[lang]));
  const section = h("details", { class: "unit-changes" }, h("summary", {}, UNIT_CHANGES.title[lang]), body);
  let read = false;
  section.addEventListener("toggle", () => {
    if (!section.open || read) return;
    read = true;
    void (async () => {
      // the client's generic GET: the answer is parsed with the shared contract all the same
      const r = await api.download(`/units/${encodeURIComponent(unitId)}/audit`);
      if (!r.ok) { read = false; return say(errorText(r.error, lang), "error"); }
      const entries = z.array(AuditEntrySchema).safeParse(await r.value.blob.text().then((t) => JSON.parse(t) as unknown).catch(() => null));
      if (!entries.success) { read = false; return say(errorText({ error: { code: "internal", message: { zh: "", en: "" } } }, lang), "error"); }
      body.replaceChildren(entries.data.length === 0 ? h("p", { class: "hint" }, A.none[lang]) : h("table", { class: "audit unit-changes-table" },
        h("thead", {}, h("tr", {}, ...[A.at, A.who, A.unit, A.detail].map((t) => h("th", {}, t[lang])))),
        h("tbody", {}, ...entries.data.map((e) => h("tr", { "data-action": e.action, "data-unit": e.unitId ?? "" },
          h("td", {}, beijingTime(e.at, lang, true)), h("td", {}, e.displayName ?? e.username ?? "—"),
          h("td", {}, e.unitId ? names.get(e.unitId) ?? e.unitId : ""), h("td", { class: "detail" }, unitChangeText(e.action, e.detail, lang)))))));
    })();
  });
  return section;
}

/** "名称：高平市 → 高平市（县级）；联系人：— → 赵主任", or 新建单位. */
function unitChangeText(action: string, d: Record<string, unknown>, lang: "zh" | "en"): string {
  if (action === "unit_create") return UNIT_CHANGES.created[lang];
  const shown = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
  // contacts set before issue 21 kept only the new values
  const fields = (d.fields ?? { contactName: [null, d.name], contactPhone: [null, d.phone] }) as Record<string, [unknown, unknown]>;
  return Object.entries(fields).map(([k, [was, now]]) => `${UNIT_CHANGES.fields[k]?.[lang] ?? k}${lang === "zh" ? "：" : ": "}${d.fields ? `${shown(was)} → ` : ""}${shown(now)}`).join(lang === "zh" ? "；" : "; ");
}
