import type { LocalizedText } from "@tianbao/shared";

/**
 * The requirement sets the add-in uses, and why. The manifest asks for the same (Office does not
 * offer the add-in where they are missing), and the pane checks again at start, because a
 * sideloaded or cached add-in can still open in an older Excel.
 * - ExcelApi 1.11: Excel.run's delayForCellEdit; everything else it uses is older (protection 1.2,
 *   names 1.4, freeze panes 1.7, data validation 1.8, page layout 1.9). The sheet's metadata lives in
 *   its protected cell A2 only: a worksheet custom property (1.12) was written but read by nothing.
 * - SharedRuntime 1.1: the ribbon's functions and the pane share one runtime (one sign-in).
 * On Windows the webview decides too: an add-in with <Runtimes> (a shared runtime) runs only in
 * WebView2, from Microsoft 365 Version 2011 (Build 13530.20424) with WebView2 installed, and in
 * Internet Explorer 11 otherwise (boot.js says the webview is too old). Mac: SharedRuntime 1.1 from 16.35.
 * https://learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-requirement-sets
 * https://learn.microsoft.com/javascript/api/requirement-sets/common/shared-runtime-requirement-sets
 * https://learn.microsoft.com/office/dev/add-ins/concepts/browsers-used-by-office-web-add-ins
 */
export const REQUIRED_SETS = [["ExcelApi", "1.11"], ["SharedRuntime", "1.1"]] as const;

export const SUPPORTED_EXCEL: LocalizedText = {
  zh: "支持的版本：Windows 版 Excel（Microsoft 365 版本 2011 及以上并已安装 WebView2，或 Excel 2021 及以上）、Mac 版 Excel 16.35 及以上、网页版 Excel。",
  en: "Supported: Excel on Windows (Microsoft 365 Version 2011 or later with WebView2 installed, or Excel 2021 or later), Excel on Mac 16.35 or later, Excel on the web.",
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
