import { T, type Lang } from "../i18n/messages";
import { h } from "./dom";

/**
 * 退回 with the reviewer's comment typed inline, for the pane and the web page alike. Office
 * add-ins may not open modal dialogs (window.prompt/alert/confirm are not allowed:
 * https://learn.microsoft.com/office/dev/add-ins/concepts/privacy-and-security), so the comment is
 * a field in the board's row, required before the return is sent.
 */
export function returnForm(lang: Lang, unitId: string, send: (comment: string) => void, cancel: () => void): HTMLFormElement {
  const id = `return-comment-${unitId}`;
  const text = h("textarea", { id, class: "return-comment", maxlength: "500" });
  const error = h("div", { class: "field-error", role: "alert" });
  const form = h("form", { class: "return-form" },
    h("label", { for: id }, T.returnComment[lang]), text, error,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary return-confirm" }, T.returnSubmit[lang]),
      h("button", { type: "button", class: "return-cancel", onclick: cancel }, T.cancel[lang])));
  text.addEventListener("input", () => { error.textContent = ""; });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const comment = text.value.trim();
    if (!comment) { error.textContent = T.returnCommentMissing[lang]; text.focus(); return; }
    send(comment);
  });
  queueMicrotask(() => text.focus());
  return form;
}
