import type { LocalizedText } from "@tianbao/shared";

/**
 * The requirement sets the add-in uses, and why. The manifest asks for the same (Office does not
 * offer the add-in where they are missing), and the pane checks again at start, because a
 * sideloaded or cached add-in can still open in an older Excel.
 * - ExcelApi 1.12: worksheet custom properties (the sheet's metadata); everything else it uses is
 *   older (protection 1.2, freeze panes 1.7, data validation 1.8, delayForCellEdit 1.11).
 * - SharedRuntime 1.1: the ribbon's functions and the pane share one runtime (one sign-in).
 * https://learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-requirement-sets
 * https://learn.microsoft.com/javascript/api/requirement-sets/common/shared-runtime-requirement-sets
 */
export const REQUIRED_SETS = [["ExcelApi", "1.12"], ["SharedRuntime", "1.1"]] as const;

export const SUPPORTED_EXCEL: LocalizedText = {
  zh: "支持的版本：Microsoft 365 版 Excel（Windows 版本 2008 及以上、Mac 16.40 及以上）、Excel 2021 及以上、网页版 Excel。",
  en: "Supported: Microsoft 365 Excel (Windows version 2008 or later, Mac 16.40 or later), Excel 2021 or later, Excel on the web.",
};

/** What stops the pane from starting, if anything: not inside Excel, or an Excel without the APIs. */
export function startupProblem(host: string | null, isSetSupported: (name: string, version: string) => boolean): LocalizedText | null {
  if (host !== "Excel") {
    return {
      zh: "请在 Excel 中打开本插件（“开始”选项卡 → 质量填报 → 打开填报窗格）。不使用插件，也可以在网页版下载填报表、填写后上传。",
      en: "Open this add-in inside Excel (Home tab → Quality reporting → Open pane). Without the add-in, use the web page: download the fill sheet, fill it in and upload it.",
    };
  }
  const missing = REQUIRED_SETS.filter(([name, version]) => !isSetSupported(name, version)).map(([n, v]) => `${n} ${v}`);
  if (missing.length === 0) return null;
  return {
    zh: `此 Excel 版本缺少插件需要的功能（${missing.join("、")}），请更新 Excel 或改用网页版填报。${SUPPORTED_EXCEL.zh}`,
    en: `This Excel lacks what the add-in needs (${missing.join(", ")}); update Excel or use the web page. ${SUPPORTED_EXCEL.en}`,
  };
}
