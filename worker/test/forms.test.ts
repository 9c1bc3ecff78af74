// A report form set through the whole cycle in the Worker (issue 23): the city publishes the built-in
// form set (质兴1表 list + 质兴2表 主导产业 grid with its legal face), opens a round, counties report
// the grid — by PUT and by uploading the downloaded sheet — and the city's totals, its aggregate
// workbook (the grid in the same form), the CSV and the integrity check all hold the grid's cells.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { fillBook, pagesOf, textsOf } from "./fill-book-lib";
import { BUILTIN_FORM_INPUT, BUILTIN_FORM_TEMPLATE, DEMO_PAST_VALUES, cellValueOf, compileTemplate, gridCellCode, type SubmissionView, type TotalsView, type Values } from "@tianbao/shared";
import { api, ensureDemo, json, login } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const compiled = (() => { const r = compileTemplate(BUILTIN_FORM_TEMPLATE); if (!r.ok) throw new Error("form"); return r.compiled; })();
const g = (row: string, col: string) => gridCellCode("lead", row, col);
const ROWS = ["metal", "energy", "optic", "build"];
/** The seeds' city: 882.0 亿元 of leading-industry revenue over three counties, 1,058.0 万吨 of building materials. */
const GRID: Record<string, Values> = {
  zezhou: { [g("metal", "rev")]: "200.5", [g("energy", "rev")]: "80.0", [g("optic", "rev")]: "50.0", [g("build", "rev")]: "40.0", [g("build", "out")]: "500.0" },
  gaoping: { [g("metal", "rev")]: "150.0", [g("energy", "rev")]: "90.3", [g("optic", "rev")]: "60.9", [g("build", "rev")]: "42.3", [g("build", "out")]: "358.0" },
  chengqu: { [g("metal", "rev")]: "52.0", [g("energy", "rev")]: "40.0", [g("optic", "rev")]: "46.0", [g("build", "rev")]: "30.0", [g("build", "out")]: "200.0" },
};
const counts = (k: number): Values => Object.fromEntries([
  ...ROWS.flatMap((r, i) => [[g(r, "firms"), 5 + i + k], [g(r, "prod"), 20 + i], [g(r, "nostd"), 1], [g(r, "adopt"), 3]]),
  [g("pv", "firms"), 2], [g("pv", "rev"), "10.0"], [g("pv", "prod"), 5], [g("pv", "nostd"), 0], [g("pv", "adopt"), 1],
]);
const valuesOf = (unit: string, k: number): Values => ({ ...DEMO_PAST_VALUES[unit]!, ...counts(k), ...GRID[unit]! });

let admin = "";
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  // the demo has the form set published; a city publishes one of its own the same way
  const { version: _v, status: _s, ...template } = BUILTIN_FORM_INPUT;
  const created = await api("/templates", { method: "POST", token: admin, json: { template: { ...template, id: "my_form" } } });
  expect(created.status, await created.clone().text()).toBe(201);
  expect((await api("/templates/my_form/1/publish", { method: "POST", token: admin, json: {} })).status).toBe(200);
  expect((await json<{ id: string; status: string }[]>(await api("/templates", { token: admin }))).filter((t) => t.id === "quality_city_form" || t.id === "my_form").map((t) => t.status)).toEqual(["published", "published"]);
  const round = await api("/rounds", { method: "POST", token: admin, json: { id: "rform", templateId: "quality_city_form", templateVersion: 1, period: "2026", deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["zezhou", "gaoping", "chengqu"] } });
  expect(round.status, await round.clone().text()).toBe(201);
});

async function put(unit: string, values: Values) {
  const token = await login(unit);
  const path = `/rounds/rform/submissions/${unit}`;
  const cur = await api(path, { token });
  return api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values, acknowledgeWarnings: true } });
}

describe("a form set through the Worker (issue 23)", () => {
  it("a 其中 above its whole is refused on its cell; the grid's figures are stored exactly", async () => {
    const bad = await put("zezhou", { ...valuesOf("zezhou", 0), [g("pv", "rev")]: "80.1" });
    expect(bad.status).toBe(422);
    const body = await json<{ error: { issues: { indicator: string; message: { zh: string } }[] } }>(bad);
    expect(body.error.issues.map((i) => i.indicator)).toEqual([g("pv", "rev")]);
    expect(body.error.issues[0]!.message.zh).toContain("「其中：光伏」的主营业务收入不能大于「新能源」的主营业务收入");
    const ok = await put("zezhou", valuesOf("zezhou", 0));
    expect(ok.status, await ok.clone().text()).toBe(201);
    const view = await json<SubmissionView>(ok);
    expect(view.derived[g("total", "rev")]).toBe("370.5");
  });

  it("a county uploads the downloaded sheet with the grid filled, as an official does", async () => {
    const token = await login("gaoping");
    const res = await api("/rounds/rform/submissions/gaoping/template.xlsx", { token });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    // a cover and one sheet per table, each figure where the official finds it (a list row, a grid cell)
    expect(pagesOf(wb).map((p) => p.page)).toEqual(["cover", "basic", "lead"]);
    fillBook(wb, Object.fromEntries(Object.entries(valuesOf("gaoping", 1)).map(([code, v]) => [code, cellValueOf(compiled.byCode.get(code)!, v)])));
    const up = await api("/rounds/rform/submissions/gaoping/upload?acknowledgeWarnings=1", { method: "POST", token, body: (await wb.xlsx.writeBuffer()) as ArrayBuffer, headers: { "content-type": XLSX } });
    expect(up.status, await up.clone().text()).toBe(201);
    expect((await json<SubmissionView>(up)).values[g("build", "out")]).toBe("358.0");
    expect((await put("chengqu", valuesOf("chengqu", 2))).status).toBe(201);
  });

  it("the city's totals hold the grid: 合计 882.0 亿元, 1,058.0 万吨, the 其中 row summed but not in the 合计", async () => {
    const view = await json<TotalsView>(await api("/rounds/rform/totals", { token: admin }));
    const value = (code: string) => { const t = view.totals.indicators[code]; return t && "value" in t ? t.value : undefined; };
    expect(value(g("total", "rev"))).toBe("882.0");
    expect(value(g("total", "out"))).toBe("1058.0");
    expect(value(g("pv", "rev"))).toBe("30.0");
    expect(value(g("total", "firms"))).toBe(String(3 * (5 + 6 + 7 + 8) + 4 * 3));
  });

  it("the aggregate workbook has the grid in the same form, the CSV a line per unit and cell, and the integrity check finds nothing", async () => {
    const res = await api("/rounds/rform/export.xlsx", { token: admin });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet("质兴2表 主导产业")!;
    expect(ws).toBeDefined();
    const rows: string[][] = [];
    ws.eachRow((r) => rows.push((r.values as ExcelJS.CellValue[]).slice(1).map((v) => (v && typeof v === "object" && "result" in v ? String(v.result) : String(v ?? "")))));
    expect(rows[2]).toEqual(["项目", "企业数（家）", "主营业务收入（亿元）", "产品数（个）", "无标产品数（个）", "采标产品数（个）", "产量（万吨）"]);
    const total = rows.find((r) => r[0] === "合计")!;
    expect(total[2]).toBe("882");
    expect(total[6]).toBe("1058");
    expect(rows.find((r) => r[0] === "有色金属")![6]).toBe("—");
    expect(ws.headerFooter.oddHeader).toContain("制定机关：晋城市质量技术监督局");
    const csv = await (await api("/rounds/rform/export.csv", { token: admin })).text();
    expect(csv).toContain("新型建材·产量"); // a column per cell, named row·column
    const integrity = await json<{ problems: unknown[] }>(await api("/integrity", { token: admin }));
    expect(integrity.problems).toEqual([]);
  });

  it("the cover: a wrong 统一社会信用代码 is refused naming the right check character; last period's cover is carried onto the next report's sheet, its date not", async () => {
    const token = await login("zezhou");
    const path = "/rounds/rform/submissions/zezhou";
    const cur = await api(path, { token });
    const cover = { unit: "泽州县市场监督管理局", code: "91350100M000100Y43", head: "李四", statHead: "赵六", filer: "王五", phone: "0356-2021234", date: "2027-01-15" };
    const wrong = await api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag")! }, json: { values: valuesOf("zezhou", 0), signature: { ...cover, code: "91350100M000100Y44" }, acknowledgeWarnings: true } });
    expect(wrong.status).toBe(422);
    const err = await json<{ error: { where: string; message: { zh: string } } }>(wrong);
    expect(err.error.where).toBe("body.signature.code");
    expect(err.error.message.zh).toContain("校验位应为「3」");
    const signed = await api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag")! }, json: { values: valuesOf("zezhou", 0), signature: cover, acknowledgeWarnings: true } });
    expect([200, 201], await signed.clone().text()).toContain(signed.status);
    const next = await api("/rounds", { method: "POST", token: admin, json: { id: "rform27", templateId: "quality_city_form", templateVersion: 1, period: "2027", deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["zezhou"] } });
    expect(next.status).toBe(201);
    const res = await api("/rounds/rform27/submissions/zezhou/template.xlsx", { token });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const texts: string[] = [];
    texts.push(...textsOf(wb));
    for (const v of ["91350100M000100Y43", "李四", "赵六", "王五", "0356-2021234"]) expect(texts).toContain(v);
    expect(texts).not.toContain("2027-01-15");
  });
});
