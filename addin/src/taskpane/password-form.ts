import { T, type Lang } from "../i18n/messages";
import { h } from "./dom";

/**
 * 修改初始密码: shown right after signing in with a generated initial password, in the pane and on
 * the web page alike. The password just typed is the current one; the new one is typed twice. The
 * caller changes it, signs in again with it (a change ends every session) and carries on.
 */
export function passwordForm(lang: Lang, change: (newPassword: string) => Promise<string | null>): HTMLFormElement {
  const first = h("input", { id: "new-password", type: "password", autocomplete: "new-password", minlength: "10", required: true });
  const again = h("input", { id: "new-password-again", type: "password", autocomplete: "new-password", minlength: "10", required: true });
  const error = h("div", { class: "field-error", role: "alert" });
  const form = h("form", { class: "card password-form" },
    h("p", {}, T.mustChange[lang]),
    h("label", { for: "new-password" }, T.newPassword[lang]), first,
    h("label", { for: "new-password-again" }, T.newPasswordAgain[lang]), again, error,
    h("button", { type: "submit", class: "primary", id: "change-password" }, T.changePassword[lang]));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (first.value.length < 10) { error.textContent = T.passwordTooShort[lang]; first.focus(); return; }
    if (first.value !== again.value) { error.textContent = T.passwordsDiffer[lang]; again.focus(); return; }
    void change(first.value).then((problem) => { error.textContent = problem ?? ""; });
  });
  queueMicrotask(() => first.focus());
  return form;
}
