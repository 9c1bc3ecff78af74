// The fake host as a browser script, served in place of office.js in the end-to-end test.
import { createFakeHost } from "./office";
import { sheetGrid } from "./state";

const lang = new URLSearchParams(location.search).get("lang") ?? "zh-CN";
const host = createFakeHost({ language: lang });
Object.assign(window, { Office: host.Office, Excel: host.Excel, __fakeHost: host, __sheetGrid: sheetGrid });
