// @vitest-environment jsdom
// Issue 25 in the add-in: a report's detail list on its own protected sheet — pulled with the unit's rows,
// typed into (blank rows and all), checked on the rows' own cells, and sent with the report; a problem
// the server finds comes back on the cell it is on, blank rows above it or not.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, buildFillPlans, cellAddress, fillBook, fillSheetNames, locateIssues, pageOf, validateLists, withUsccCheck } from "@tianbao/shared";
import { resetEditWatch } from "../src/excel/edit-marks";
import { pullIntoSheets } from "../src/excel/fill-sheet";
import { api } from "../src/flows/session";
import { submitActiveSheet } from "../src/flows/submit";
import type { FakeHost } from "./fake-office/office";
import { typeInto } from "./fake-office/typing";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

const c = compiled(DEMO_BRANDS_TEMPLATE);
const book = fillBook(c);
const page = pageOf(book, "producers");
if (page?.kind !== "detail") throw new Error("the list's page");
const geo = page.geometry;
const input = { roundId: "r2033", period: "2033", unit: { id: "zezhou", name: "泽州县" }, issuer: "晋城市" };
const names = fillSheetNames(book, input);
const rows = validateLists(c, { producers: DEMO_BRAND_PRODUCERS.zezhou! }).lists.producers!;
const at = (slot: number, field: string) => cellAddress(geo.firstRow + slot, geo.colOf.get(field)!);
const realFetch = globalThis.fetch;

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); resetEditWatch(); signedIn(); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });
const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => ctxOf(host)(f);
const sheet = () => host.state.sheets.find((s) => s.name === names.get("producers"))!;
const typeOn = (address: string, text: string) => { host.state.activeSheet = names.get("producers")!; typeInto(host.state, address, text); };
/** An eighth producer, a China famous brand without figures (质兴4表 stays right), typed two blank rows below the seven pulled (in slot 9: list row 8). */
const typeEighth = (output: string) => {
  for (const [field, v] of [["firm", "泽州县新增企业有限公司"], ["uscc", withUsccCheck("91140525MA0100070")], ["product", "铸件"], ["level", "中国名牌"], ["output", output]] as const) typeOn(at(9, field), v);
};

describe("a detail list in the add-in", () => {
  it("is pulled with the unit's rows, open rows below them unlocked, the sheet protected", async () => {
    await run((ctx) => pullIntoSheets(ctx, buildFillPlans(c, { ...input, current: DEMO_BRANDS_PAST_VALUES.zezhou!, revision: 1, lists: { producers: rows } }), c));
    const s = sheet();
    expect(s.protected).toBe(true);
    expect(s.cells.get(`${geo.firstRow},${geo.colOf.get("firm")}`)!.value).toBe(rows[0]!.firm);
    expect(s.cells.get(`${geo.firstRow},${geo.colOf.get("level")}`)!.value).toBe("山西名牌");
    expect(s.cells.get(`${geo.lastRow},${geo.colOf.get("exports")}`)!.locked).toBe(false);
    expect(s.cells.get(`${geo.headerRow},${geo.colOf.get("firm")}`)!.locked).toBe(true);
  });

  it("checks the rows typed on their own cells, says where blank rows were left out, and sends the list; the server's issues come back on their cells", async () => {
    await run((ctx) => pullIntoSheets(ctx, buildFillPlans(c, { ...input, current: DEMO_BRANDS_PAST_VALUES.zezhou!, revision: 1, lists: { producers: rows } }), c));
    typeEighth("约10亿");
    const sent: { lists?: Record<string, unknown[]> }[] = [];
    stubServer(() => json({}), [DEMO_BRANDS_TEMPLATE]);
    const check = await submitActiveSheet("zh", { checkOnly: true });
    expect(check.ok).toBe(false);
    const invalid = check.issues.find((i) => i.code === "invalid")!;
    expect(invalid).toMatchObject({ cell: at(9, "output"), table: "producers", list: { table: "producers", row: 8, field: "output" } });
    expect(invalid.message.zh).toBe(`质兴4表附表 ${at(9, "output")} 第 8 行「工业总产值」：「约10亿」不是数字（请只填写数字，如 1470、1,470 或 68.68）`);
    expect(check.issues.find((i) => i.code === "blank_rows")).toMatchObject({ cell: `A${geo.firstRow + 8}`, severity: "warning" });

    // fixed here, but the server finds the new row's credit code taken elsewhere: it numbers the rows as sent
    typeOn(at(9, "output"), "");
    const server = locateIssues(c, [{ code: "invalid", severity: "error", indicator: "producers", list: { table: "producers", row: 8, field: "uscc" }, message: { zh: "第 8 行「统一社会信用代码」：有误", en: "row 8, 'Credit code': wrong" } }]);
    stubServer((method, _path, init) => {
      if (method !== "PUT") return json(submissionView({ revision: 1 }));
      sent.push(JSON.parse(String(init.body)) as (typeof sent)[number]);
      return json({ error: { code: "validation_failed", message: { zh: "数据校验未通过", en: "invalid" }, issues: server } }, 422);
    }, [DEMO_BRANDS_TEMPLATE]);
    const r = await submitActiveSheet("zh", { acknowledgeWarnings: true });
    expect(r.ok).toBe(false);
    expect(sent[0]!.lists!.producers).toHaveLength(8);
    expect(sent[0]!.lists!.producers![7]).toEqual({ firm: "泽州县新增企业有限公司", uscc: withUsccCheck("91140525MA0100070"), product: "铸件", level: "中国名牌" });
    expect(r.issues[0]).toMatchObject({ cell: at(9, "uscc"), message: { zh: `质兴4表附表 ${at(9, "uscc")} 第 8 行「统一社会信用代码」：有误` } });
  });
});
