// 开启填报轮次 on the templates page: the template version (the newest published one first), the
// period, the deadline and the units below. The round's code is made by the server from the unit and
// the period (the admin never invents one); every mistake is said in words under its own field.
import { parsePeriod, type ErrorBody, type TemplateSummary } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";

const R = {
  round: { zh: "开启填报轮次", en: "Open a round" },
  codeNote: { zh: "轮次代码由系统按本单位和填报期自动生成。", en: "The round's code is made from your unit and the period." },
  template: { zh: "模板", en: "Template" },
  version: { zh: "第 {v} 版", en: "version {v}" },
  period: { zh: "填报期（如 2026）", en: "Period (e.g. 2026)" },
  deadline: { zh: "截止日期（北京时间 当天 23:59）", en: "Deadline (Beijing time, 23:59 that day)" },
  units: { zh: "应报单位", en: "Units expected to report" },
  open: { zh: "开启", en: "Open" },
  opened: { zh: "已开启填报轮次", en: "Round opened" },
  noTemplate: { zh: "还没有已发布的模板：请先在上方发布一个模板", en: "No published template yet: publish one above first" },
  noPeriod: { zh: "请填写填报期，如 2026", en: "Enter the period, e.g. 2026" },
  badPeriod: { zh: "填报期只写数字：年报写 2026，半年报 2026H1，季报 2026Q1，月报 2026-03（不要写“年”“月”“季度”等字）", en: "Write the period as 2026, 2026H1, 2026Q1 or 2026-03, without words" },
  noDeadline: { zh: "请选择截止日期", en: "Choose the deadline" },
  pastDeadline: { zh: "截止日期已过，请选择今天或以后的日期", en: "The deadline has passed; choose today or a later day" },
  noUnits: { zh: "请至少选择一个应报单位", en: "Choose at least one unit to report" },
} as const;
const fmt = (s: string, v: number) => s.replace("{v}", String(v));
type Field = "template" | "period" | "deadline" | "units";
const FIELD_OF: Record<string, Field> = { "body.templateId": "template", "body.templateVersion": "template", "body.period": "period", "body.deadline": "deadline", "body.expectedUnitIds": "units", "body.levelDeadlines": "deadline" };

/** Published versions, newest published first: the first is the form's default. */
export function publishedNewestFirst(list: readonly TemplateSummary[]): TemplateSummary[] {
  return list.filter((t) => t.status === "published")
    .sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? "") || b.version - a.version);
}

export function roundForm(api: ApiClient, lang: Lang, say: (text: string, kind?: "ok" | "error" | "info") => void, opened: () => Promise<void>) {
  const template = h("select", { id: "round-template" });
  const period = h("input", { id: "round-period", placeholder: "2026", autocomplete: "off" });
  const deadline = h("input", { id: "round-deadline", type: "date" });
  const unitBox = h("div", { class: "round-units", id: "round-units" });
  const fieldError = (f: Field) => h("p", { class: "field-error", id: `round-${f}-error`, role: "alert" });
  const errors: Record<Field, HTMLElement> = { template: fieldError("template"), period: fieldError("period"), deadline: fieldError("deadline"), units: fieldError("units") };
  const show = (f: Field, text: string) => { errors[f].textContent = text; };
  const clear = () => { for (const e of Object.values(errors)) e.textContent = ""; };

  // the units below, as check boxes; a click on 开启 before they are drawn waits for them (never a false 请至少选择一个应报单位)
  const unitsDrawn = (async () => {
    const units = await api.units();
    if (!units.ok || !api.user) return;
    unitBox.replaceChildren(...units.value.filter((u) => u.id !== api.user!.unitId && u.parentId === api.user!.unitId).map((u) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", value: u.id, checked: true, class: "round-unit" }), u.name[lang])));
  })();

  /** The mistakes the page can see before sending, each under its field. */
  const check = (): boolean => {
    clear();
    if (!template.value) show("template", R.noTemplate[lang]);
    const p = period.value.trim();
    if (!p) show("period", R.noPeriod[lang]);
    else if (!parsePeriod(p)) show("period", `「${p.slice(0, 20)}」：${R.badPeriod[lang]}`);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Beijing's date
    if (!deadline.value) show("deadline", R.noDeadline[lang]);
    else if (deadline.value < today) show("deadline", R.pastDeadline[lang]);
    if (![...unitBox.querySelectorAll<HTMLInputElement>("input.round-unit")].some((x) => x.checked)) show("units", R.noUnits[lang]);
    return Object.values(errors).every((e) => !e.textContent);
  };

  /** The server's refusal under the field it names (each field of `issues`, or `where`); else at the top. */
  const placeRefusal = (body: ErrorBody | null) => {
    const issues = body?.error.issues?.filter((i) => FIELD_OF[i.indicator]) ?? [];
    for (const i of issues) show(FIELD_OF[i.indicator]!, i.message[lang]);
    const field = FIELD_OF[body?.error.where ?? ""];
    if (issues.length === 0 && field) show(field, errorText(body, lang));
    if (issues.length === 0 && !field) say(errorText(body, lang), "error");
  };

  const form = h("form", { class: "round-form", novalidate: true },
    h("label", { for: "round-template" }, R.template[lang]), template, errors.template,
    h("label", { for: "round-period" }, R.period[lang]), period, errors.period,
    h("label", { for: "round-deadline" }, R.deadline[lang]), deadline, errors.deadline,
    h("p", {}, R.units[lang]), unitBox, errors.units,
    h("p", { class: "hint" }, R.codeNote[lang]),
    h("button", { type: "submit", class: "primary", id: "round-open" }, R.open[lang]));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      await unitsDrawn;
      if (!check()) return;
      const [templateId = "", version = "0"] = template.value.split("@");
      const expectedUnitIds = [...unitBox.querySelectorAll<HTMLInputElement>("input.round-unit")].filter((x) => x.checked).map((x) => x.value);
      const r = await api.openRound({ templateId, templateVersion: Number(version), period: period.value.trim(), deadline: `${deadline.value}T23:59:59+08:00`, expectedUnitIds });
      if (!r.ok) return placeRefusal(r.error);
      say(R.opened[lang], "ok");
      await opened();
    })();
  });

  /** Fills the template choice: every published version, the newest published one chosen. */
  const setTemplates = (list: readonly TemplateSummary[]) => {
    const chosen = publishedNewestFirst(list);
    // with nothing published the choice says so instead of standing empty
    template.replaceChildren(...(chosen.length === 0 ? [h("option", { value: "" }, R.noTemplate[lang])] : chosen.map((t) => h("option", { value: `${t.id}@${t.version}` }, `${t.name[lang]}（${t.code ?? t.id}）· ${fmt(R.version[lang], t.version)}`))));
    template.value = chosen[0] ? `${chosen[0].id}@${chosen[0].version}` : "";
  };
  const section = h("section", { class: "round-open", id: "round-open-section" }, h("h2", {}, R.round[lang]), form);
  return { section, setTemplates };
}
