// The city's template desk on the web page: design a template in a workbook (download, upload, every
// mistake on its cell, what changed), preview it as counties will get it, publish it, open a round.
import { DesignerResultSchema, type DesignerResult } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";

const D = {
  title: { zh: "模板设计", en: "Template design" },
  intro: { zh: "在 Excel 或 WPS 中设计明年的填报表：下载模板设计表，修改指标、计算公式和校验规则后上传；保存为草稿，预览无误后发布。", en: "Design next year's form in Excel or WPS: download the designer, change indicators, formulas and rules, upload it; it is saved as a draft to preview and publish." },
  blank: { zh: "空白设计表", en: "Blank designer" },
  builtin: { zh: "以质量兴市工作年报为起点", en: "Start from the built-in annual report" },
  of: { zh: "的设计表", en: " designer" },
  upload: { zh: "上传设计表", en: "Upload the designer" },
  saved: { zh: "已保存为草稿", en: "Saved as draft" },
  version: { zh: "第 {v} 版", en: "version {v}" },
  noChanges: { zh: "与已发布版本相比没有变化", en: "No changes against the published version" },
  newTemplate: { zh: "新模板", en: "A new template" },
  changes: { zh: "与第 {v} 版相比：", en: "Against version {v}:" },
  preview: { zh: "下载预览（各县收到的填报表）", en: "Download the preview (the counties' fill sheet)" },
  checked: { zh: "我已核对预览；发布后此版本不能再修改", en: "I have checked the preview; once published this version cannot change" },
  publish: { zh: "发布", en: "Publish" },
  published: { zh: "已发布", en: "Published" },
  problems: { zh: "以下问题需要在设计表中修改后重新上传，未保存任何内容：", en: "Fix these in the designer and upload again; nothing was saved:" },
  round: { zh: "开启填报轮次", en: "Open a round" },
  roundId: { zh: "轮次代码", en: "Round code" },
  template: { zh: "模板", en: "Template" },
  period: { zh: "填报期（如 2026）", en: "Period (e.g. 2026)" },
  deadline: { zh: "截止日期（北京时间 当天 23:59）", en: "Deadline (Beijing time, 23:59 that day)" },
  units: { zh: "应报单位", en: "Units expected to report" },
  open: { zh: "开启", en: "Open" },
  opened: { zh: "已开启填报轮次", en: "Round opened" },
} as const;
const fmt = (s: string, v: number) => s.replace("{v}", String(v));

export function designerSection(api: ApiClient, lang: Lang, say: (text: string, kind?: "ok" | "error" | "info") => void, save: (blob: Blob, name: string) => void, refresh: () => Promise<void>): HTMLElement {
  const get = (path: string) => void (async () => { const r = await api.download(path); if (r.ok) save(r.value.blob, r.value.filename); else say(errorText(r.error, lang), "error"); })();
  const result = h("div", { class: "designer-result" });
  const downloads = h("div", { class: "actions designer-downloads" },
    h("button", { id: "designer-blank", onclick: () => get("/templates/designer.xlsx?from=blank") }, D.blank[lang]),
    h("button", { id: "designer-builtin", onclick: () => get("/templates/designer.xlsx?from=builtin") }, D.builtin[lang]));
  const file = h("input", { type: "file", accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", class: "file", id: "designer-file" });

  const roundTemplate = h("select", { id: "round-template" });
  const fillTemplates = async () => {
    const list = await api.templates();
    if (!list.ok) return;
    const latest = new Map<string, (typeof list.value)[number]>();
    for (const t of list.value) latest.set(t.id, t);
    downloads.replaceChildren(downloads.children[0]!, downloads.children[1]!,
      ...[...latest.values()].map((t) => h("button", { class: "designer-of", "data-template": t.id, onclick: () => get(`/templates/${t.id}/${t.version}/designer.xlsx`) }, `${t.name[lang]}${D.of[lang]}（${fmt(D.version[lang], t.version)}）`)));
    roundTemplate.replaceChildren(...list.value.filter((t) => t.status === "published").map((t) => h("option", { value: `${t.id}@${t.version}` }, `${t.name[lang]} · ${fmt(D.version[lang], t.version)}`)));
  };

  const showResult = (r: DesignerResult) => {
    const t = r.template;
    const changes = r.comparedWith === null
      ? [h("p", {}, D.newTemplate[lang])]
      : r.changes.length === 0 ? [h("p", {}, D.noChanges[lang])]
      : [h("p", {}, fmt(D.changes[lang], r.comparedWith)), h("ul", { class: "changes" }, ...r.changes.map((c) => h("li", { class: c.meaningChanged ? "warning" : "", "data-kind": c.kind }, c.message[lang])))];
    const confirm = h("input", { type: "checkbox", id: "designer-checked" });
    const publish = h("button", { class: "primary", id: "designer-publish", disabled: true }, D.publish[lang]);
    confirm.addEventListener("change", () => { if (confirm.checked) publish.removeAttribute("disabled"); else publish.setAttribute("disabled", ""); });
    publish.addEventListener("click", () => void (async () => {
      publish.setAttribute("disabled", "");
      const p = await api.publish(t.id, t.version);
      if (!p.ok) { publish.removeAttribute("disabled"); return say(errorText(p.error, lang), "error"); }
      say(`${D.published[lang]}：${t.name[lang]} ${fmt(D.version[lang], t.version)}`, "ok");
      result.replaceChildren(h("p", { class: "ok" }, `${D.published[lang]}：${t.name[lang]} ${fmt(D.version[lang], t.version)}`));
      await fillTemplates();
    })());
    result.replaceChildren(
      h("p", { class: "ok" }, `${D.saved[lang]}：${t.name[lang]}（${t.id}）${fmt(D.version[lang], t.version)}`), ...changes,
      h("button", { id: "designer-preview", onclick: () => get(`/templates/${t.id}/${t.version}/preview.xlsx`) }, D.preview[lang]),
      h("label", { class: "check" }, confirm, D.checked[lang]), publish);
  };
  file.addEventListener("change", () => void (async () => {
    const chosen = file.files?.[0];
    file.value = "";
    if (!chosen) return;
    const r = await api.postFile("/templates/designer", chosen, DesignerResultSchema);
    if (!r.ok) {
      say(errorText(r.error, lang), "error");
      const issues = r.error?.error.issues ?? [];
      result.replaceChildren(...(issues.length ? [h("p", { class: "error" }, D.problems[lang]), h("ul", { class: "issues" }, ...issues.map((i) => h("li", { class: "error", "data-cell": i.cell ?? "" }, i.message[lang])))] : []));
      return;
    }
    say(D.saved[lang], "ok");
    showResult(r.value);
  })());

  // 开启填报轮次
  const roundId = h("input", { id: "round-id", placeholder: "r2026" });
  const period = h("input", { id: "round-period", placeholder: "2026" });
  const deadline = h("input", { id: "round-deadline", type: "date" });
  const unitBox = h("div", { class: "round-units" });
  void (async () => {
    const units = await api.units();
    if (!units.ok || !api.user) return;
    unitBox.replaceChildren(...units.value.filter((u) => u.id !== api.user!.unitId && u.parentId === api.user!.unitId).map((u) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", value: u.id, checked: true, class: "round-unit" }), u.name[lang])));
  })();
  const roundForm = h("form", { class: "round-form" },
    h("label", { for: "round-template" }, D.template[lang]), roundTemplate,
    h("label", { for: "round-id" }, D.roundId[lang]), roundId,
    h("label", { for: "round-period" }, D.period[lang]), period,
    h("label", { for: "round-deadline" }, D.deadline[lang]), deadline,
    h("p", {}, D.units[lang]), unitBox,
    h("button", { type: "submit", class: "primary", id: "round-open" }, D.open[lang]));
  roundForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      const [templateId = "", version = "0"] = roundTemplate.value.split("@");
      const expectedUnitIds = [...unitBox.querySelectorAll<HTMLInputElement>("input.round-unit")].filter((x) => x.checked).map((x) => x.value);
      const r = await api.openRound({ id: roundId.value.trim(), templateId, templateVersion: Number(version), period: period.value.trim(), deadline: `${deadline.value}T23:59:59+08:00`, expectedUnitIds });
      if (!r.ok) return say(errorText(r.error, lang), "error");
      say(D.opened[lang], "ok");
      await refresh();
    })();
  });
  void fillTemplates();

  return h("section", { class: "designer", id: "designer" },
    h("h2", {}, D.title[lang]), h("p", {}, D.intro[lang]), downloads,
    h("label", { class: "button" }, D.upload[lang], file), result,
    h("h2", {}, D.round[lang]), roundForm);
}
