// The round's administration on the board: a new, later deadline for the whole round or one unit, and
// closing the round early, each asked for in place (administrators of the round's unit or above).
import type { CompletenessSchema, RoundView } from "@tianbao/shared";
import type { z } from "zod";
import { T, errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { beijingTime, busyButton, type Desk } from "./desk";

type Unit = z.infer<typeof CompletenessSchema>["units"][number];

const D = {
  extendTo: { zh: "新的截止日期（当天 23:59 北京时间）", en: "New deadline (23:59 Beijing time that day)" },
  extended: { zh: "截止时间已延长至", en: "Deadline extended to" },
  closeConfirm: { zh: "结束后未上报的单位不能再上报（可对单个单位重新打开）。确认结束本轮？", en: "Once closed, units that have not submitted cannot (you can reopen single units). Close the round?" },
  closeYes: { zh: "确认结束", en: "Close it" },
  closedNow: { zh: "本轮已结束", en: "The round is closed" },
  ok: { zh: "确定", en: "OK" },
};

export function roundForms(desk: Desk, round: RoundView): { extendForm: (cell: HTMLElement, unit: Unit | null) => void; closeForm: (cell: HTMLElement) => void } {
  const { api, lang, say } = desk;
  // a new, later deadline: for the whole round or one unit (administrators of the round's unit or above)
  const extendForm = (cell: HTMLElement, unit: Unit | null) => {
    const date = h("input", { type: "date", class: "extend-date", required: true, "aria-label": D.extendTo[lang] });
    const form = h("form", { class: "extend-form" }, h("label", {}, D.extendTo[lang], date),
      h("button", { type: "submit", class: "primary extend-confirm" }, D.ok[lang]), h("button", { type: "button", onclick: () => desk.redraw() }, T.cancel[lang]));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const button = form.querySelector<HTMLButtonElement>("button.extend-confirm")!;
      if (button.disabled) return;
      button.disabled = true;
      void (async () => {
        const deadline = `${date.value}T23:59:59+08:00`;
        const r = await api.extendDeadline(round.id, { deadline, ...(unit ? { unitId: unit.unitId } : {}) });
        button.disabled = false;
        if (!r.ok) return say(errorText(r.error, lang), "error");
        desk.redraw();
        say(`${unit ? `${unit.name[lang]}：` : ""}${D.extended[lang]} ${beijingTime(deadline, lang)}`, "ok");
      })();
    });
    cell.replaceChildren(form);
    date.focus();
  };
  const closeForm = (cell: HTMLElement) => {
    const yes = busyButton(D.closeYes[lang], "…", { class: "primary close-confirm" }, async () => {
      const r = await api.closeRound(round.id);
      if (!r.ok) return say(errorText(r.error, lang), "error");
      desk.redraw();
      say(D.closedNow[lang], "ok");
    });
    cell.replaceChildren(h("div", { class: "close-form" }, h("p", {}, D.closeConfirm[lang]), yes, h("button", { onclick: () => desk.redraw() }, T.cancel[lang])));
  };
  return { extendForm, closeForm };
}
