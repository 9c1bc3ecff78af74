// The city administrator's desk on the web page: units and accounts from a workbook (download,
// preview with every problem on its cell, apply all or nothing, initial passwords once), and the
// group robots reminders go to.
import { DIRECTORY_LIMIT, DIRECTORY_MAX_ROWS, DirectoryAppliedSchema, DirectoryPreviewSchema, toCsv, type DirectoryPreview } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";

const A = {
  directory: { zh: "单位与账号", en: "Units and accounts" },
  directoryIntro: {
    zh: `下载单位与账号表，在 Excel 或 WPS 中添加单位（比本单位低的任何级别）和账号后上传：先预览，没有问题再导入（要么全部导入，要么什么都不改）。下载的表原样上传即可，未修改的行不计；每张表最多 ${DIRECTORY_MAX_ROWS.toLocaleString("en-US")} 行，每次导入每张表最多 ${DIRECTORY_LIMIT.toLocaleString("en-US")} 行新增或修改。`,
    en: `Download the units-and-accounts workbook, add units (of any level below yours) and accounts in Excel or WPS and upload it: preview first, then apply (all or nothing). It goes back up as downloaded (unchanged rows do not count); at most ${DIRECTORY_MAX_ROWS.toLocaleString("en-US")} rows a sheet and ${DIRECTORY_LIMIT.toLocaleString("en-US")} new or changed rows a sheet an upload.`,
  },
  downloadDirectory: { zh: "下载单位与账号表 (.xlsx)", en: "Download the workbook (.xlsx)" },
  uploadDirectory: { zh: "上传填好的表（预览）", en: "Upload the filled workbook (preview)" },
  apply: { zh: "确认导入", en: "Apply" },
  noChange: { zh: "表中没有新的或修改的内容", en: "The workbook changes nothing" },
  problems: { zh: "以下问题需要在表中修改后重新上传，尚未导入任何内容：", en: "Fix these in the workbook and upload it again; nothing has been applied:" },
  newUnits: { zh: "新建单位", en: "New units" },
  changedUnits: { zh: "修改单位", en: "Changed units" },
  newAccounts: { zh: "新建账号", en: "New accounts" },
  changedAccounts: { zh: "修改账号", en: "Changed accounts" },
  applied: { zh: "已导入。", en: "Applied." },
  passwords: { zh: "新账号的初始密码只显示这一次，请下载或抄下后分发；首次登录时必须修改。", en: "The new accounts' initial passwords are shown this once: download or copy them to hand out; each must be changed at first sign-in." },
  downloadPasswords: { zh: "下载初始密码 (CSV)", en: "Download initial passwords (CSV)" },
  robots: { zh: "催报设置（群机器人）", en: "Reminders (group robots)" },
  robotsIntro: { zh: "未上报的单位从截止前 3 天起每天、逾期后每天在工作时间收到提醒；提醒发到该单位的群机器人，没有则发到上级的。", en: "Units that have not submitted are reminded each day from 3 days before the deadline, and each day they are late, in office hours, in their own group or else their parent's." },
  unit: { zh: "单位", en: "Unit" },
  kind: { zh: "类型", en: "Kind" },
  url: { zh: "Webhook 地址", en: "Webhook address" },
  secret: { zh: "加签密钥（钉钉，可选）", en: "Signing secret (DingTalk, optional)" },
  save: { zh: "保存", en: "Save" },
  current: { zh: "当前", en: "Current" },
  none: { zh: "未设置", en: "not set" },
  saved: { zh: "已保存", en: "Saved" },
} as const;

export function adminSection(api: ApiClient, lang: Lang, say: (text: string, kind?: "ok" | "error" | "info") => void, save: (blob: Blob, name: string) => void): HTMLElement {
  const result = h("div", { class: "directory-result" });
  const file = h("input", { type: "file", accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", class: "file", id: "directory-file" });
  const list = (title: string, items: string[]) => (items.length ? [h("h4", {}, `${title}（${items.length}）`), h("ul", {}, ...items.map((t) => h("li", {}, t)))] : []);
  const fields = (f: Record<string, [string | null, string | null]>) => Object.entries(f).map(([k, [a, b]]) => `${k}: ${a ?? "—"} → ${b ?? "—"}`).join("；");
  const showPreview = (p: DirectoryPreview, chosen: File) => {
    if (p.problems.length > 0) {
      result.replaceChildren(h("p", { class: "error" }, A.problems[lang]), h("ul", { class: "issues" }, ...p.problems.map((x) => h("li", { class: "error", "data-cell": x.cell }, x.message[lang]))));
      return;
    }
    const parts = [
      ...list(A.newUnits[lang], p.units.create.map((u) => `${u.id} ${u.name[lang]}（${u.parentId}）`)),
      ...list(A.changedUnits[lang], p.units.change.map((u) => `${u.id}：${fields(u.fields)}`)),
      ...list(A.newAccounts[lang], p.accounts.create.map((a) => `${a.username} ${a.displayName}（${a.role} · ${a.unitId}）`)),
      ...list(A.changedAccounts[lang], p.accounts.change.map((a) => `${a.username}：${fields(a.fields)}`)),
    ];
    if (parts.length === 0) { result.replaceChildren(h("p", {}, A.noChange[lang])); return; }
    const apply = h("button", { class: "primary", id: "directory-apply" }, A.apply[lang]);
    apply.addEventListener("click", () => void (async () => {
      apply.setAttribute("disabled", "");
      const r = await api.postFile("/directory/apply", chosen, DirectoryAppliedSchema);
      if (!r.ok) { apply.removeAttribute("disabled"); return say(errorText(r.error, lang), "error"); }
      say(A.applied[lang], "ok");
      const rows = r.value.passwords;
      const csv = () => save(new Blob([toCsv([["用户名", "姓名", "单位", "初始密码"], ...rows.map((x) => [x.username, x.displayName, x.unitId, x.password])])], { type: "text/csv" }), "初始密码.csv");
      result.replaceChildren(h("p", { class: "ok" }, A.applied[lang]), ...(rows.length ? [
        h("p", {}, A.passwords[lang]),
        h("table", { class: "passwords" }, h("tbody", {}, ...rows.map((x) => h("tr", {}, h("td", {}, x.username), h("td", {}, x.displayName), h("td", {}, x.unitId), h("td", { class: "password" }, x.password))))),
        h("button", { id: "download-passwords", onclick: csv }, A.downloadPasswords[lang]),
      ] : []));
    })());
    result.replaceChildren(...parts, apply);
  };
  file.addEventListener("change", () => void (async () => {
    const chosen = file.files?.[0];
    file.value = ""; // choosing the same file again after fixing it works
    if (!chosen) return;
    const r = await api.postFile("/directory/preview", chosen, DirectoryPreviewSchema);
    if (!r.ok) return say(errorText(r.error, lang), "error");
    say("");
    showPreview(r.value, chosen);
  })());

  const robots = h("div", { class: "robots" });
  void (async () => {
    const units = await api.units();
    if (!units.ok) return;
    const unit = h("select", { id: "robot-unit" }, ...units.value.map((u) => h("option", { value: u.id }, `${u.name[lang]} (${u.id})`)));
    const kind = h("select", { id: "robot-kind" }, h("option", { value: "wecom" }, "企业微信"), h("option", { value: "dingtalk" }, "钉钉"));
    const url = h("input", { id: "robot-url", placeholder: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" });
    const secret = h("input", { id: "robot-secret", type: "password", autocomplete: "off" });
    const current = h("p", { class: "current" });
    const show = async () => {
      const w = await api.webhook(unit.value);
      current.textContent = `${A.current[lang]}：${w.ok && w.value.kind ? `${w.value.kind === "wecom" ? "企业微信" : "钉钉"} · ${w.value.host}${w.value.signed ? " · 加签" : ""}` : A.none[lang]}`;
    };
    unit.addEventListener("change", () => void show());
    const form = h("form", { class: "robot-form" },
      h("label", { for: "robot-unit" }, A.unit[lang]), unit, current,
      h("label", { for: "robot-kind" }, A.kind[lang]), kind,
      h("label", { for: "robot-url" }, A.url[lang]), url,
      h("label", { for: "robot-secret" }, A.secret[lang]), secret,
      h("button", { type: "submit", class: "primary", id: "robot-save" }, A.save[lang]));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void (async () => {
        const r = await api.setWebhook(unit.value, { kind: kind.value as "wecom" | "dingtalk", url: url.value.trim(), ...(secret.value ? { secret: secret.value } : {}) });
        if (!r.ok) return say(errorText(r.error, lang), "error");
        url.value = "";
        secret.value = "";
        say(A.saved[lang], "ok");
        await show();
      })();
    });
    robots.replaceChildren(h("p", {}, A.robotsIntro[lang]), form);
    await show();
  })();

  return h("section", { class: "admin", id: "admin" },
    h("h2", {}, A.directory[lang]), h("p", {}, A.directoryIntro[lang]),
    h("div", { class: "actions" },
      h("button", { id: "directory-download", onclick: () => void (async () => { const r = await api.download("/directory.xlsx"); if (r.ok) save(r.value.blob, r.value.filename); else say(errorText(r.error, lang), "error"); })() }, A.downloadDirectory[lang]),
      h("label", { class: "button" }, A.uploadDirectory[lang], file)),
    result,
    h("h2", {}, A.robots[lang]), robots);
}
