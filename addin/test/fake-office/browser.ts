// The fake host as a browser script, served in place of office.js in the end-to-end test.
import { createFakeHost } from "./office";
import { sheetGrid } from "./state";

const query = new URLSearchParams(location.search);
const lang = query.get("lang") ?? "zh-CN";
// ?host=none: office.js loaded in a plain browser tab (onReady answers host null); ?excelApi=1.9: an older Excel
const host = createFakeHost({ language: lang, host: query.get("host") === "none" ? null : "Excel", excelApi: query.get("excelApi") ?? "1.12" });
Object.assign(window, { Office: host.Office, Excel: host.Excel, __fakeHost: host, __sheetGrid: sheetGrid });
