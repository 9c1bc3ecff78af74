// The city's template desk on the web page: design a template in a workbook (download, upload, every
// mistake on its cell, what changed), preview it as counties will get it, publish it, open a round.
// Every version stays listed with its state, so a draft left yesterday is previewed and published
// today without uploading it again (issue 22).
import { DesignerResultSchema, type DesignerResult, type TemplateSummary } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { roundForm } from "./round-form";

const D = {
  title: { zh: "模板设计", en: "Template design" },
  intro: { zh: "在 Excel 或 WPS 中设计明年的填报表：下载模板设计表，修改指标、计算公式和校验规则后上传；保存为草稿，预览无误后发布。", en: "Design next year's form in Excel or WPS: download the designer, change indicators, formulas and rules, upload it; it is saved as a draft to preview and publish." },
  blank: { zh: "空白设计表", en: "Blank designer" },
  builtin: { zh: "以质量兴市工作年报为起点", en: "Start from the built-in annual report" },
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
  list: { zh: "模板与版本", en: "Templates and versions" },
  none: { zh: "还没有模板：下载设计表，修改后上传即可保存为草稿。", en: "No template yet: download a designer, change it and upload it to save a draft." },
  colTemplate: { zh: "模板", en: "Template" },
  colVersion: { zh: "版本", en: "Version" },
  colState: { zh: "状态", en: "State" },
  colOwner: { zh: "所属单位", en: "Owner" },
  colActions: { zh: "操作", en: "Actions" },
  draft: { zh: "草稿（未发布）", en: "Draft (not published)" },
  usedBy: { zh: "已发布 · 用于 {v} 个填报轮次", en: "Published · used by {v} rounds" },
  unused: { zh: "已发布 · 尚未用于填报轮次", en: "Published · not used by a round yet" },
  designerOf: { zh: "设计表", en: "Designer" },
  previewShort: { zh: "预览", en: "Preview" },
  checkedShort: { zh: "已核对预览", en: "Preview checked" },
} as const;
const fmt = (s: string, v: number) => s.replace("{v}", String(v));

export function designerSection(api: ApiClient, lang: Lang, say: (text: string, kind?: "ok" | "error" | "info") => void, save: (blob: Blob, name: string) => void, refresh: () => Promise<void>): HTMLElement {
  const get = (path: string) => void (async () => { const r = await api.download(path); if (r.ok) save(r.value.blob, r.value.filename); else say(errorText(r.error, lang), "error"); })();
  const result = h("div", { class: "designer-result" });
  const downloads = h("div", { class: "actions designer-downloads" },
    h("button", { id: "designer-blank", onclick: () => get("/templates/designer.xlsx?from=blank") }, D.blank[lang]),
    h("button", { id: "designer-builtin", onclick: () => get("/templates/designer.xlsx?from=builtin") }, D.builtin[lang]));
  const file = h("input", { type: "file", accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", class: "file", id: "designer-file" });
  const table = h("div", { class: "template-list", id: "template-list" });
  const rounds = roundForm(api, lang, say, refresh);

  /** A draft's 发布, behind a tick that its preview was checked; the same on a listed draft and after an upload. */
  const publishControls = (t: Pick<TemplateSummary, "id" | "version" | "name">, ids: { check?: string; publish?: string }, done: () => void) => {
    const confirm = h("input", { type: "checkbox", class: "checked", ...(ids.check ? { id: ids.check } : {}) });
    const publish = h("button", { class: "primary publish", disabled: true, ...(ids.publish ? { id: ids.publish } : {}) }, D.publish[lang]);
    confirm.addEventListener("change", () => { if (confirm.checked) publish.removeAttribute("disabled"); else publish.setAttribute("disabled", ""); });
    publish.addEventListener("click", () => void (async () => {
      publish.setAttribute("disabled", "");
      const p = await api.publish(t.id, t.version);
      if (!p.ok) { publish.removeAttribute("disabled"); return say(errorText(p.error, lang), "error"); }
      say(`${D.published[lang]}：${t.name[lang]} ${fmt(D.version[lang], t.version)}`, "ok");
      done();
      await fillTemplates();
    })());
    return { confirm, publish };
  };

  const stateText = (t: TemplateSummary) => t.status === "draft" ? D.draft[lang] : (t.roundCount ?? 0) > 0 ? fmt(D.usedBy[lang], t.roundCount!) : D.unused[lang];
  /** Every version the admin may use, by template, newest version first: state, owner, designer, preview, publish. */
  const fillTemplates = async () => {
    const list = await api.templates();
    if (!list.ok) return say(errorText(list.error, lang), "error");
    rounds.setTemplates(list.value);
    if (list.value.length === 0) { table.replaceChildren(h("p", {}, D.none[lang])); return; }
    const sorted = [...list.value].sort((a, b) => a.id.localeCompare(b.id) || b.version - a.version);
    table.replaceChildren(h("table", { class: "templates" },
      h("thead", {}, h("tr", {}, ...[D.colTemplate, D.colVersion, D.colState, D.colOwner, D.colActions].map((c) => h("th", {}, c[lang])))),
      h("tbody", {}, ...sorted.map((t) => {
        const actions = h("td", { class: "actions" },
          h("button", { class: "designer-of", onclick: () => get(`/templates/${t.id}/${t.version}/designer.xlsx`) }, D.designerOf[lang]),
          h("button", { class: "preview", onclick: () => get(`/templates/${t.id}/${t.version}/preview.xlsx`) }, D.previewShort[lang]));
        if (t.status === "draft") {
          const { confirm, publish } = publishControls(t, {}, () => undefined);
          actions.append(h("label", { class: "check" }, confirm, D.checkedShort[lang]), publish);
        }
        return h("tr", { "data-template": t.id, "data-version": String(t.version), class: t.status },
          h("td", {}, t.name[lang], h("br"), h("small", { class: "code" }, t.code ?? t.id)),
          h("td", {}, fmt(D.version[lang], t.version)),
          h("td", { class: "state" }, stateText(t)),
          h("td", {}, t.owner?.name[lang] ?? ""),
          actions);
      }))));
  };

  const showResult = (r: DesignerResult) => {
    const t = r.template;
    const changes = r.comparedWith === null
      ? [h("p", {}, D.newTemplate[lang])]
      : r.changes.length === 0 ? [h("p", {}, D.noChanges[lang])]
      : [h("p", {}, fmt(D.changes[lang], r.comparedWith)), h("ul", { class: "changes" }, ...r.changes.map((c) => h("li", { class: c.meaningChanged ? "warning" : "", "data-kind": c.kind }, c.message[lang])))];
    const { confirm, publish } = publishControls(t, { check: "designer-checked", publish: "designer-publish" },
      () => result.replaceChildren(h("p", { class: "ok" }, `${D.published[lang]}：${t.name[lang]} ${fmt(D.version[lang], t.version)}`)));
    result.replaceChildren(
      h("p", { class: "ok" }, `${D.saved[lang]}：${t.name[lang]}（${t.code ?? t.id}）${fmt(D.version[lang], t.version)}`), ...changes,
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
    await fillTemplates();
  })());
  void fillTemplates();

  return h("section", { class: "designer", id: "designer" },
    h("h2", {}, D.title[lang]), h("p", {}, D.intro[lang]), downloads,
    h("label", { class: "button" }, D.upload[lang], file), result,
    h("h2", {}, D.list[lang]), table,
    rounds.section);
}
