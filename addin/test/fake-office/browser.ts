// The fake host as a browser script, served in place of office.js in the end-to-end test.
import { createFakeHost } from "./office";
import { sheetGrid } from "./state";
import { installStorage } from "./storage";

const query = new URLSearchParams(location.search);
const lang = query.get("lang") ?? "zh-CN";
// ?host=none: office.js loaded in a plain browser tab (onReady answers host null); ?excelApi=1.9: an older Excel
// ?storage=refused: a browser that blocks third-party storage; ?partitionKey=…: Excel on the web's partition key
const host = createFakeHost({ language: lang, host: query.get("host") === "none" ? null : "Excel", excelApi: query.get("excelApi") ?? "1.12", ...(query.get("partitionKey") ? { partitionKey: query.get("partitionKey")! } : {}) });
if (query.get("storage") === "refused") installStorage(window, "refused");
Object.assign(window, { Office: host.Office, Excel: host.Excel, __fakeHost: host, __sheetGrid: sheetGrid });
