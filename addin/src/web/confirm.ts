// Dialogs for consequential actions (issue 22): they open where the official is looking (a modal
// over the page, not a banner at its top), say what will happen, and take the words the action
// carries — the reason of a reopen, the note of an upward submission. The one-time password of a
// new or reset account is shown here too, with 复制 and a printable 开通通知.
import type { Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";

const D = {
  cancel: { zh: "取消", en: "Cancel" },
  close: { zh: "关闭", en: "Close" },
  copy: { zh: "复制", en: "Copy" },
  copied: { zh: "已复制", en: "Copied" },
  print: { zh: "打印开通通知", en: "Print the account notice" },
  required: { zh: "请填写后再确认", en: "Please fill this in first" },
  noticeTitle: { zh: "天宝填报 账号开通通知", en: "Tianbao account notice" },
  address: { zh: "登录地址", en: "Sign-in address" },
  username: { zh: "用户名", en: "Username" },
  password: { zh: "初始密码", en: "Initial password" },
  holder: { zh: "使用人", en: "For" },
  rule: { zh: "首次登录时必须修改密码；初始密码只显示这一次，请妥善转交，不要通过群聊发送。", en: "The password must be changed at the first sign-in. It is shown only this once: hand it over in person, not in a group chat." },
} as const;

/** A modal dialog on top of the page; resolves with what the official chose. Focus goes to its first field. */
function openDialog<T>(className: string, build: (done: (v: T) => void) => HTMLElement[], cancelValue: T): Promise<T> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: `action-dialog ${className}` });
    const done = (v: T) => { dialog.close(); dialog.remove(); resolve(v); };
    dialog.append(...build(done));
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); done(cancelValue); });
    document.body.append(dialog);
    dialog.showModal();
    (dialog.querySelector("textarea, input, button.primary") as HTMLElement | null)?.focus();
  });
}

export interface ConfirmOptions {
  title: string;
  /** What will happen, and any preview (the figures going up). */
  body: (Node | string)[];
  confirm: string;
  /** A text the action carries: its label, and whether it must be filled in (a reason). */
  text?: { label: string; required: boolean; max: number };
}

/** Asks before an action; resolves with the text typed (or "") when confirmed, null when cancelled. */
export function confirmAction(lang: Lang, o: ConfirmOptions): Promise<string | null> {
  return openDialog<string | null>("confirm-dialog", (done) => {
    const area = o.text ? h("textarea", { class: "dialog-text", rows: "3", maxlength: String(o.text.max), "aria-label": o.text.label }) : null;
    const error = h("p", { class: "dialog-error", role: "alert" });
    const ok = h("button", { class: "primary dialog-confirm", type: "button" }, o.confirm);
    ok.addEventListener("click", () => {
      const text = area?.value.trim() ?? "";
      if (o.text?.required && text === "") { error.textContent = D.required[lang]; area!.focus(); return; }
      done(text);
    });
    return [
      h("h3", {}, o.title), h("div", { class: "dialog-body" }, ...o.body),
      ...(area ? [h("label", { class: "dialog-label" }, o.text!.label, area)] : []), error,
      h("div", { class: "dialog-buttons" }, ok, h("button", { type: "button", class: "dialog-cancel", onclick: () => done(null) }, D.cancel[lang])),
    ];
  }, null);
}

export interface OneTimePassword { username: string; displayName: string; unitName: string; password: string }

/**
 * The one-time password of a new or reset account, where the administrator is looking: the
 * password large, 复制, and a 开通通知 to print and hand over (address, username, password and the
 * first-sign-in rule). Printing shows only the notice (the page's print style hides the rest).
 */
export function passwordDialog(lang: Lang, title: string, p: OneTimePassword): Promise<void> {
  return openDialog<void>("password-dialog", (done) => {
    const address = `${location.origin}/`;
    const status = h("span", { class: "copy-status", role: "status" });
    const copy = h("button", { type: "button", class: "primary copy-password" }, D.copy[lang]);
    copy.addEventListener("click", () => {
      void navigator.clipboard?.writeText(p.password).then(() => { status.textContent = D.copied[lang]; }, () => { status.textContent = ""; });
    });
    const line = (label: string, value: string, cls: string) => h("tr", {}, h("th", {}, label), h("td", { class: cls }, value));
    const notice = h("div", { class: "account-notice" },
      h("h4", {}, D.noticeTitle[lang]),
      h("table", {}, line(D.holder[lang], `${p.displayName}（${p.unitName}）`, "notice-holder"), line(D.address[lang], address, "notice-address"),
        line(D.username[lang], p.username, "notice-username"), line(D.password[lang], p.password, "notice-password")),
      h("p", { class: "notice-rule" }, D.rule[lang]));
    return [
      h("h3", {}, title),
      h("p", { class: "one-time-password" }, h("code", { class: "password" }, p.password), " ", copy, " ", status),
      notice,
      h("style", {}, "@media print { body > :not(dialog[open]) { display: none !important; } dialog[open] { position: static; border: none; } .password-dialog .dialog-buttons, .password-dialog .one-time-password, .password-dialog h3 { display: none; } }"),
      h("div", { class: "dialog-buttons" },
        h("button", { type: "button", class: "print-notice", onclick: () => window.print() }, D.print[lang]),
        h("button", { type: "button", class: "dialog-close", onclick: () => done(undefined) }, D.close[lang])),
    ];
  }, undefined);
}
