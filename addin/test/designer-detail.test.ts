import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_BRANDS_TEMPLATE } from "@tianbao/shared";
import { designerIntoWorkbook } from "../src/flows/designer";
import { api } from "../src/flows/session";
import type { FakeHost } from "./fake-office/office";
import { installFakeHost } from "./helpers";
import { ZEZHOU, json, signedIn } from "./helpers-api";

// Issue 25 in the pane: the designer of a template with a detail list (the demo's 质兴4表附表) drawn into
// the workbook by the strict Excel fake — the list on 表格, its fields on 清单字段 with their drop-downs.
const realFetch = globalThis.fetch;
let host: FakeHost;
beforeEach(() => { host = installFakeHost(); signedIn({ ...ZEZHOU, role: "admin", unitId: "jincheng", unitName: { zh: "晋城市", en: "Jincheng" } }); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });

const cell = (sheet: string, row: number, col: number) => host.state.sheets.find((s) => s.name === sheet)!.cells.get(`${row},${col}`);

describe("a detail list's designer in the pane", () => {
  it("draws 清单字段 with each field of the list, and 表格's 浮动行清单 row with 最多行数 and 重码字段", async () => {
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "https://localhost:8787");
      if (url.pathname === `/api/templates/${DEMO_BRANDS_TEMPLATE.id}/1`) return json(DEMO_BRANDS_TEMPLATE);
      return json({ error: { code: "not_found", message: { zh: "无", en: "none" } } }, 404);
    }) as typeof fetch;
    const r = await designerIntoWorkbook({ id: DEMO_BRANDS_TEMPLATE.id, version: 1 }, "zh");
    expect(r.ok, r.message).toBe(true);
    expect(host.state.sheets.map((s) => s.name)).toEqual(["模板", "分组", "指标", "校验规则", "表格", "表格行列", "清单字段", "说明"]);
    expect([0, 1, 4, 13, 14].map((c) => cell("表格", 3, c)?.value)).toEqual(["producers", "质兴4表附表", "浮动行清单", 2000, "uscc；product"]);
    expect(Array.from({ length: 8 }, (_, i) => cell("清单字段", 2 + i, 1)?.value)).toEqual(["firm", "uscc", "product", "level", "year", "output", "tax", "exports"]);
    expect(cell("清单字段", 5, 8)?.value).toBe("cn=中国名牌=China famous brand；sx=山西名牌=Shanxi famous brand");
    expect(cell("清单字段", 3, 7)?.value).toBe("统一社会信用代码");
    // the type, 必填 and 校验 columns offer their lists on every input row
    for (const col of [4, 5, 7]) expect(cell("清单字段", 2, col)?.validation, `column ${col}`).not.toBeNull();
    // the generated totals are not on 指标
    const codes = Array.from({ length: 10 }, (_, i) => cell("指标", 2 + i, 0)?.value).filter((v) => v !== undefined && v !== "");
    expect(codes).toEqual(["sx_products", "brand_output", "brand_tax", "brand_exports"]);
  });
});
