// The pane's card for live totals in cells (city roles): how to write the formulas, 刷新 and 转为数值,
// or, where this Excel has no custom functions, which Excel does.
import type { Lang } from "../i18n/messages";
import { liveTotalsSupported } from "../functions/functions";
import { convertToValues, recalculateAfterSignIn, refreshLiveTotals, type LiveOutcome } from "../flows/live";
import { h } from "./dom";

export const LIVE_TEXT = {
  title: { zh: "单元格实时汇总", en: "Live totals in cells" },
  how: {
    zh: "在任意单元格输入 =TIANBAO.TOTAL(\"指标\",\"单位\",2025) 取汇总数，=TIANBAO.COMPLETE(\"单位\",2025) 取完成率；没有填报的显示为空白。",
    en: "Type =TIANBAO.TOTAL(\"indicator\",\"unit\",2025) in any cell for a total, =TIANBAO.COMPLETE(\"unit\",2025) for the completion rate; nothing reported shows blank.",
  },
  refresh: { zh: "刷新", en: "Refresh" },
  sheetValues: { zh: "本表公式转为数值", en: "Convert this sheet to values" },
  bookValues: { zh: "全部工作表转为数值", en: "Convert all sheets to values" },
  beforeSharing: { zh: "发给未安装插件的人之前，请先转为数值，否则对方看到 #NAME?。", en: "Convert to values before sending the workbook to people without the add-in, or they see #NAME?." },
  unsupported: {
    zh: "此 Excel 不支持自定义函数，TIANBAO 公式在这里不可用（插件其他功能照常）。支持的版本：Microsoft 365 Windows 版、零售版 Excel 版本 2311 及以上、Excel 2021 批量许可版版本 2108 及以上、Mac 版 16.34 及以上、网页版；iPad 不支持。",
    en: "This Excel has no custom functions, so the TIANBAO formulas do not work here (the rest of the add-in does). They work in Microsoft 365 on Windows, retail Excel Version 2311 or later, volume-licensed Excel 2021 Version 2108 or later, Excel on Mac 16.34 or later and Excel on the web; not on iPad.",
  },
};

export function liveTotalsCard(lang: Lang, busy: (f: () => Promise<void>) => Promise<void>, say: (text: string, kind: "ok" | "error" | "info") => void): HTMLElement {
  if (!liveTotalsSupported()) {
    return h("div", { class: "card live", id: "live-totals" }, h("h2", {}, LIVE_TEXT.title[lang]), h("p", { class: "note", id: "live-unsupported" }, LIVE_TEXT.unsupported[lang]));
  }
  const show = (r: LiveOutcome) => say(r.message, r.ok ? "ok" : "error");
  // cells that asked for a sign-in recalculate now that there is one
  void recalculateAfterSignIn(lang).then((r) => { if (r && !r.ok) show(r); });
  return h("div", { class: "card live", id: "live-totals" },
    h("h2", {}, LIVE_TEXT.title[lang]),
    h("p", { class: "note" }, LIVE_TEXT.how[lang]),
    h("div", { class: "actions" },
      h("button", { id: "live-refresh", onclick: () => void busy(async () => show(await refreshLiveTotals(lang))) }, LIVE_TEXT.refresh[lang]),
      h("button", { id: "live-values-sheet", onclick: () => void busy(async () => show(await convertToValues("sheet", lang))) }, LIVE_TEXT.sheetValues[lang]),
      h("button", { id: "live-values-book", onclick: () => void busy(async () => show(await convertToValues("workbook", lang))) }, LIVE_TEXT.bookValues[lang])),
    h("p", { class: "note" }, LIVE_TEXT.beforeSharing[lang]));
}
