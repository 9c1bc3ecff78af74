// The pane's commands for live totals in cells: 刷新 (fetch again and recalculate) and 转为数值
// (freeze the formulas before sharing a workbook with people who do not have the add-in).
import type { Lang } from "../i18n/messages";
import { freezeOurFormulas, recalculateAll } from "../excel/formula-values";
import { clearLiveCache, ownProblems } from "../functions/live-totals";
import { waiting } from "../functions/functions";
import { excelRun } from "./excel-run";

export interface LiveOutcome { ok: boolean; message: string }

/** Forgets every fetched total and recalculates the workbook, so each TIANBAO cell asks again (batched). */
export async function refreshLiveTotals(lang: Lang): Promise<LiveOutcome> {
  clearLiveCache();
  waiting.forSignIn = false;
  try {
    await excelRun(recalculateAll);
  } catch (e) {
    console.error("recalculation failed", e);
    return { ok: false, message: lang === "zh" ? "Excel 未能重新计算，请按 Ctrl+Alt+F9 重试" : "Excel did not recalculate; press Ctrl+Alt+F9 to try again" };
  }
  return { ok: true, message: lang === "zh" ? "已刷新：TIANBAO 公式正在取最新数据" : "Refreshed: the TIANBAO formulas are fetching the latest figures" };
}

/** After a sign-in, recalculates if some cell was waiting for one. */
export async function recalculateAfterSignIn(lang: Lang): Promise<LiveOutcome | null> {
  return waiting.forSignIn ? refreshLiveTotals(lang) : null;
}

/**
 * Replaces the TIANBAO formulas of the active sheet (or of every sheet) with their current values.
 * Refuses, changing nothing, while a cell is still calculating, or while some cell shows one of the
 * add-in's own problems (not signed in, session expired, server unreachable) and a formula to freeze
 * shows an error value: frozen, that error would stay for good, and the formula could not be got back.
 */
export async function convertToValues(scope: "sheet" | "workbook", lang: Lang): Promise<LiveOutcome> {
  let r;
  try {
    r = await excelRun((ctx) => freezeOurFormulas(ctx, scope, () => ownProblems.size > 0));
  } catch (e) {
    console.error("convert to values failed", e);
    return { ok: false, message: lang === "zh" ? "未能转为数值（Excel 拒绝了修改），公式保持不变" : "Could not convert (Excel refused the change); the formulas are unchanged" };
  }
  if (r.pending > 0) {
    return { ok: false, message: lang === "zh" ? `还有 ${r.pending} 个单元格正在取数，请稍候再转为数值（未做任何修改）` : `${r.pending} cells are still fetching; convert again in a moment (nothing was changed)` };
  }
  if (r.ownProblems > 0) {
    return { ok: false, message: lang === "zh"
      ? `有 ${r.ownProblems} 个 TIANBAO 单元格显示错误，而插件有未登录、登录过期或无法连接服务器的问题：转为数值会把错误永久留在表中。请先登录或恢复网络后点“刷新”，再转为数值（未做任何修改）`
      : `${r.ownProblems} TIANBAO cells show an error while the add-in is signed out, its session expired or the server cannot be reached: converting would keep those errors for good. Sign in or restore the network, click Refresh, then convert (nothing was changed)` };
  }
  const n = r.frozen.reduce((s, f) => s + f.cells, 0);
  const names = r.protectedSheets.join(lang === "zh" ? "、" : ", ");
  if (n === 0 && r.protectedSheets.length > 0) {
    return { ok: false, message: lang === "zh"
      ? `受保护的工作表中的 TIANBAO 公式保持原样，未转为数值：${names}（撤销工作表保护后再转）`
      : `The TIANBAO formulas on protected sheets were left as they are, not converted: ${names} (unprotect the sheet, then convert)` };
  }
  const locked = r.protectedSheets.length
    ? (lang === "zh" ? `；受保护的工作表中的 TIANBAO 公式保持原样：${names}` : `; the TIANBAO formulas on protected sheets were left as they are: ${names}`)
    : "";
  if (n === 0) return { ok: true, message: lang === "zh" ? "没有需要转换的 TIANBAO 公式" : "No TIANBAO formulas to convert" };
  return { ok: true, message: (lang === "zh" ? `已将 ${n} 个 TIANBAO 公式转为数值，可发给未安装插件的人` : `Converted ${n} TIANBAO formulas to values; the workbook can go to people without the add-in`) + locked };
}
