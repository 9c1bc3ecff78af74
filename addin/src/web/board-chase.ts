// 催报 on the board: the text a reviewer pastes into a work group or a text message (the round by name,
// its deadline, where to report, each unit still missing with its contact), the CSV list, and what
// 催报 says when no group robot is set — send this text instead — rather than a red error.
import { roundName, toCsv, type CompletenessSchema, type RoundView } from "@tianbao/shared";
import type { z } from "zod";
import { STATE, errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { beijingTime, busyButton, type Desk } from "./desk";

type Unit = z.infer<typeof CompletenessSchema>["units"][number];

const C = {
  chaseList: { zh: "下载催报名单 (CSV)", en: "Download the chase list (CSV)" },
  copyChase: { zh: "复制催报通知", en: "Copy the reminder text" },
  copied: { zh: "催报通知已复制，可直接粘贴到工作群或短信", en: "Reminder text copied: paste it into a work group or a text message" },
  copyHere: { zh: "无法自动复制：请选中下面的文字复制", en: "Could not copy automatically: select the text below and copy it" },
  textLabel: { zh: "催报通知（可修改后复制）", en: "Reminder text (edit it, then copy)" },
  remindAll: { zh: "催报全部未报单位", en: "Remind every unit not in" },
  remindSent: { zh: "已发送催报", en: "Reminder sent" },
  remindNoRobot: { zh: "未设置群机器人，没有发到群里：{units}。请复制下面的催报通知，粘贴到工作群或短信发送；管理员可在「单位与账号」设置群机器人，以后催报会直接发到群里。", en: "No group robot is set, so nothing was posted for: {units}. Copy the reminder text below and paste it into a work group or a text message; an administrator can set a group robot under Units and accounts so reminders post by themselves." },
  remindRecent: { zh: "10 分钟内已催报过，未重复发送：", en: "Reminded in the last 10 minutes, not sent again: " },
  remindFailed: { zh: "群机器人未接收，请检查地址，或复制下面的催报通知发送：", en: "The group robot did not take it; check its address, or send the reminder text below: " },
};

/** The text to paste: round, deadline, address, and each unit with its state and contact. */
export function chaseText(round: RoundView, units: readonly Unit[], lang: Lang, address: string): string {
  const zh = lang === "zh";
  const line = (u: Unit) => [
    u.name[lang], `${STATE[u.state]![lang]}${u.late ? (zh ? "（逾期）" : " (late)") : ""}`,
    u.deadline ? (zh ? `本单位截止 ${beijingTime(u.deadline, lang, true)}` : `own deadline ${beijingTime(u.deadline, lang, true)}`) : "",
    u.contact?.name, u.contact?.phone,
  ].filter(Boolean).join(" ");
  return [
    zh ? `【催报】${roundName(round, lang)}` : `Reminder: ${roundName(round, lang)}`,
    `${zh ? "截止时间：" : "Deadline: "}${beijingTime(round.deadline, lang)}`,
    `${zh ? "填报地址：" : "Where to report: "}${address}`,
    zh ? `尚未完成的单位（${units.length} 个）：` : `Units not done (${units.length}):`,
    ...units.map(line),
    zh ? "请尽快登录填报地址下载填报表、填写后上传，或在 Excel 插件中一键上报。" : "Please sign in at the address above, download the fill sheet, fill it and upload it, or submit from the Excel add-in.",
  ].join("\n");
}

/** The 催报 tools above the board: the text (shown when copied, or when 催报 could not post), CSV, 催报 all. */
export function chaseTools(desk: Desk, round: RoundView, chase: readonly Unit[], remindable: readonly string[]): { tools: HTMLElement[]; remind: (unitIds: string[]) => () => Promise<void> } {
  const { api, lang, say } = desk;
  const text = chaseText(round, chase, lang, `${location.origin}/`);
  const area = h("textarea", { class: "chase-text", readonly: true, rows: String(Math.min(12, chase.length + 6)), "aria-label": C.textLabel[lang] });
  area.value = text;
  const panel = h("div", { class: "chase-panel", hidden: true }, h("label", {}, C.textLabel[lang]), area);
  const show = () => { panel.hidden = false; area.select(); };
  const copy = () => void navigator.clipboard.writeText(area.value).then(() => { panel.hidden = false; say(C.copied[lang], "ok"); }, () => { show(); say(C.copyHere[lang], "info"); });
  const csv = [
    ["单位", "状态", "是否逾期", "联系人", "联系电话", "最近催报（北京时间）"],
    ...chase.map((u) => [u.name.zh, STATE[u.state]!.zh, u.late ? "逾期" : "", u.contact?.name ?? "", u.contact?.phone ?? "", u.lastRemindedAt ? beijingTime(u.lastRemindedAt, "zh", true) : ""]),
  ];
  const name = (id: string) => chase.find((u) => u.unitId === id)?.name[lang] ?? "";
  const remind = (unitIds: string[]) => async () => {
    const r = await api.remind(round.id, unitIds);
    if (!r.ok) return say(errorText(r.error, lang), "error");
    const by = (s: string) => r.value.filter((x) => x.status === s).map((x) => name(x.unitId)).filter(Boolean).join("、");
    // nothing posted: the text to send by hand is the next thing to do, not an error to read
    if (by("failed")) { show(); return say(`${C.remindFailed[lang]}${by("failed")}`, "error"); }
    if (by("no_webhook")) { show(); return say(C.remindNoRobot[lang].replace("{units}", by("no_webhook")), "info"); }
    desk.redraw();
    say(by("recent") ? `${C.remindRecent[lang]}${by("recent")}` : C.remindSent[lang], by("recent") ? "info" : "ok");
  };
  if (chase.length === 0) return { tools: [], remind };
  return {
    remind,
    tools: [
      h("button", { class: "chase-copy", onclick: copy }, C.copyChase[lang]),
      h("button", { class: "chase-list", onclick: () => desk.save(new Blob([toCsv(csv)], { type: "text/csv" }), `催报名单-${roundName(round, "zh")}.csv`) }, `${C.chaseList[lang]}（${chase.length}）`),
      ...(remindable.length > 0 ? [busyButton(`${C.remindAll[lang]}（${remindable.length}）`, "…", { class: "remind-all" }, remind([...remindable]))] : []),
      panel,
    ],
  };
}
