// Issue 25: the detail lists in what a city downloads, in workerd against D1 — the aggregate workbook gets a
// sheet per list (every counted row with its unit, a 合计 of live SUMs, the block by option, frozen and
// filtered under its header, its header printed on every page), read a page of 1,000 rows at a time and cut
// past the workbook's share with a line that says so; export.csv?list=<code> gives the list's rows as a CSV
// of their own, streamed, under the totals CSV's rules. Rounds in periods 2530–2539 only.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { DEMO_BRANDS_PAST_VALUES, DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, compileTemplate, periodLabel, withUsccCheck, type DetailTable } from "@tianbao/shared";
import { buildTotalsPlans } from "../src/export/totals-book";
import { listCsvStream } from "../src/export/list-csv";
import { findRoundUnder } from "../src/db/rounds";
import { readTotalsView } from "../src/routes/totals";
import { api, ensureDemo, env, json, login } from "./helpers";

type Row = Record<string, unknown>;
const DEADLINE = "2099-12-31T23:59:59+08:00";
const ID = "brands_export";
const SHEET = "质兴4表附表 名牌产品生产企业名单";
const COUNTIES = ["zezhou", "gaoping", "yangcheng"];
const TABLE = DEMO_BRANDS_TEMPLATE.form!.tables.find((t): t is DetailTable => t.kind === "detail")!;
let admin = "";

async function openRound(id: string, period: string, units: string[]) {
  const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: ID, templateVersion: 1, period, deadline: DEADLINE, expectedUnitIds: units } });
  if (r.status !== 201) throw new Error(`round ${id}: ${r.status} ${await r.text()}`);
}
async function submit(round: string, unit: string, body: Record<string, unknown>): Promise<void> {
  const r = await api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token: await login(unit), headers: { "if-match": '"0"' }, json: { acknowledgeWarnings: true, ...body } });
  if (r.status !== 201) throw new Error(`submit ${round} ${unit}: ${r.status} ${await r.text()}`);
}
async function workbook(path: string): Promise<ExcelJS.Workbook> {
  const res = await api(path, { token: admin });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
const shown = (v: ExcelJS.CellValue): unknown => (v !== null && typeof v === "object" && "formula" in v ? (v as ExcelJS.CellFormulaValue).result : v);
/** The sheet's rows as shown (formulas as their stored results), from row 1. */
const rowsOf = (ws: ExcelJS.Worksheet): unknown[][] => {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (r, n) => { out[n - 1] = (r.values as ExcelJS.CellValue[]).slice(1).map(shown); });
  return Array.from(out, (r) => r ?? []);
};
/** A CSV file as lines of fields (RFC 4180: quoted fields, doubled quotes, CRLF), its BOM kept (Response.text() would drop it). */
async function readCsv(res: Response): Promise<string[][]> {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(text.startsWith("\uFEFF")).toBe(true);
  const rows: string[][] = [];
  let [row, field, quoted] = [[] as string[], "", false];
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; } else if (ch === "\r" && body[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; } else field += ch;
  }
  return rows;
}
const cents = (texts: readonly string[]): string => { const c = texts.reduce((s, t) => s + BigInt(t.replace(".", "")), 0n); return `${c / 100n}.${String(c % 100n).padStart(2, "0")}`; };

/** n producers whose 质兴4表 figures agree with them: 1.00 亿元 output, 0.10 亿元 tax and 10 万美元 exports each. */
function producers(n: number, prefix: string): { lists: { producers: Row[] }; values: Record<string, unknown> } {
  const rows = Array.from({ length: n }, (_, i) => ({
    firm: `${prefix}企业${i + 1}`, uscc: withUsccCheck(`91140525MA0${String(i).padStart(5, "0")}A`), product: "焦炭", level: "sx", year: 2020, output: "1.00", tax: "0.10", exports: 10,
  }));
  return { lists: { producers: rows }, values: { sx_products: n, brand_output: `${n}.00`, brand_tax: cents(rows.map((r) => r.tax)), brand_exports: 10 * n } };
}

/** The city's order of its counties (the completeness list's), as the list sheet and CSV give units. */
async function officialOrder(round: string): Promise<string[]> {
  const c = await json<{ units: { unitId: string; name: { zh: string } }[] }>(await api(`/rounds/${round}/completeness?unit=jincheng`, { token: admin }));
  return c.units.map((u) => u.unitId);
}

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await api("/templates", { method: "POST", token: admin, json: { template: { ...DEMO_BRANDS_TEMPLATE, id: ID, version: undefined, status: undefined } } });
  if (r.status !== 201) throw new Error(`template: ${r.status} ${await r.text()}`);
  expect((await api(`/templates/${ID}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
  await openRound("lx2530", "2530", [...COUNTIES, "chengqu"]);
  for (const u of COUNTIES) await submit("lx2530", u, { values: DEMO_BRANDS_PAST_VALUES[u]!, lists: { producers: DEMO_BRAND_PRODUCERS[u] } });
}, 60_000);

describe("the aggregate workbook carries each detail list", () => {
  it("a sheet of the 21 producers with their units, 合计 210.00 亿元 / 32.00 亿元 / 8,662 万美元 and the counts by level", async () => {
    const wb = await workbook("/rounds/lx2530/export.xlsx?unit=jincheng");
    expect(wb.worksheets.map((w) => w.name)).toContain(SHEET);
    const ws = wb.getWorksheet(SHEET)!;
    const rows = rowsOf(ws);
    expect(rows[0]![0]).toBe(`晋城市 ${periodLabel("2530", "zh")} 质兴4表附表 名牌产品生产企业名单 汇总`);
    expect(String(rows[1]![0])).toContain("含已上报和已审核数据");
    expect(String(rows[1]![0])).toContain("共 21 行");
    expect(rows[2]).toEqual(["单位", "企业名称", "统一社会信用代码", "产品", "品牌级别", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）"]);
    const names: Record<string, string> = { zezhou: "泽州县", gaoping: "高平市", yangcheng: "阳城县" };
    const order = (await officialOrder("lx2530")).filter((u) => COUNTIES.includes(u));
    const data = rows.slice(3, 24);
    expect(data.map((r) => r[0])).toEqual(order.flatMap((u) => Array<string>(7).fill(names[u]!)));
    // each row as its county reported it: the level by its name, the amounts as numbers at their decimals
    const first = DEMO_BRAND_PRODUCERS[order[0]!]![0]!;
    expect(data[0]).toEqual([names[order[0]!], first.firm, first.uscc, first.product, "山西名牌", first.year, Number(first.output), Number(first.tax), Number(first.exports)]);
    expect(ws.getCell("G4").numFmt).toBe("0.00");
    expect(rows[24]!.every((v) => v === null || v === undefined)).toBe(true);
    const total = rows[25]!;
    expect(total[0]).toBe("合计");
    expect(total.slice(6, 9)).toEqual([210, 32, 8662]);
    expect((ws.getCell("G26").value as ExcelJS.CellFormulaValue).formula).toBe('IF(COUNT(G4:G24)=0,"",SUM(G4:G24))');
    expect(ws.getCell("G26").numFmt).toBe("0.00");
    const sx = rows.find((r) => r[0] === "品牌级别：山西名牌")!;
    expect(sx[1]).toBe(21);
    expect(sx.slice(3, 6)).toEqual([210, 32, 8662]);
    expect((ws.getCell(`B${rows.indexOf(sx) + 1}`).value as ExcelJS.CellFormulaValue).formula).toBe('COUNTIF(E4:E24,"=山西名牌")');
    // none is a China famous brand: 0 (exceljs reads a stored 0 back as no result; LibreOffice's check is in worker/engine)
    const cn = rows.findIndex((r) => r[0] === "品牌级别：中国名牌") + 1;
    expect((ws.getCell(`B${cn}`).value as ExcelJS.CellFormulaValue).formula).toBe('COUNTIF(E4:E24,"=中国名牌")');
    // as a mature product: frozen under the header, filtered on it, the header on every printed page
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(ws.autoFilter).toBe("A3:I24");
    expect(ws.pageSetup.printTitlesRow).toBe("3:3");
  });

  it("the list's sums are the totals sheet's list figures; the approved basis has no row yet", async () => {
    const t = await json<{ totals: { indicators: Record<string, { value?: string | null }> } }>(await api("/rounds/lx2530/totals?unit=jincheng", { token: admin }));
    expect(["producers_rows", "producers_output", "producers_tax", "producers_exports"].map((c) => t.totals.indicators[c]?.value)).toEqual(["21", "210.00", "32.00", "8662"]);
    const wb = await workbook("/rounds/lx2530/export.xlsx?unit=jincheng&basis=approved");
    const rows = rowsOf(wb.getWorksheet(SHEET)!);
    expect(String(rows[1]![0])).toContain("仅含已审核数据");
    expect(String(rows[1]![0])).toContain("没有计入汇总的行");
    expect(rows.length).toBe(3);
    // the add-in's 下载汇总 draws the same sheets
    const sheets = await json<{ sheets: { name: string; cells: { row: number; col: number; value?: unknown }[] }[] }>(await api("/rounds/lx2530/totals/sheets?unit=jincheng", { token: admin }));
    const plan = sheets.sheets.find((s) => s.name === SHEET)!;
    expect(plan.cells.filter((c) => c.col === 0 && c.row >= 3 && c.row < 24)).toHaveLength(21);
  });

  it("a county's own workbook lists its own rows only", async () => {
    const wb = await workbook("/rounds/lx2530/export.xlsx?unit=gaoping");
    const rows = rowsOf(wb.getWorksheet(SHEET)!);
    expect(rows.slice(3, 10).map((r) => r[0])).toEqual(Array<string>(7).fill("高平市"));
    expect(rows.find((r) => r[0] === "合计")!.slice(6, 9)).toEqual([Number(DEMO_BRANDS_PAST_VALUES.gaoping!.brand_output), Number(DEMO_BRANDS_PAST_VALUES.gaoping!.brand_tax), DEMO_BRANDS_PAST_VALUES.gaoping!.brand_exports]);
  });
});

describe("the CSV carries each list as a file of its own (export.csv?list=)", () => {
  it("a line per row with its unit and 序号, amounts digit for digit; the totals CSV stays one table with the list's figures", async () => {
    const res = await api("/rounds/lx2530/export.csv?unit=jincheng&list=producers", { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(decodeURIComponent(res.headers.get("content-disposition")!)).toContain("质兴4表附表 名牌产品生产企业名单");
    const lines = await readCsv(res);
    expect(lines[0]).toEqual(["单位代码", "单位", "序号", "企业名称", "统一社会信用代码", "产品", "品牌级别", "获评年份", "工业总产值（亿元）", "利税（亿元）", "出口额（万美元）"]);
    expect(lines).toHaveLength(22);
    const order = (await officialOrder("lx2530")).filter((u) => COUNTIES.includes(u));
    expect(lines.slice(1).map((l) => `${l[0]}:${l[2]}`)).toEqual(order.flatMap((u) => [1, 2, 3, 4, 5, 6, 7].map((i) => `${u}:${i}`)));
    expect(new Set(lines.slice(1).map((l) => l[6]))).toEqual(new Set(["山西名牌"]));
    expect(cents(lines.slice(1).map((l) => l[8]!))).toBe("210.00");
    expect(cents(lines.slice(1).map((l) => l[9]!))).toBe("32.00");
    expect(lines.slice(1).reduce((s, l) => s + Number(l[10]), 0)).toBe(8662);
    expect(lines.slice(1).every((l) => /^\d+\.\d\d$/.test(l[8]!))).toBe(true);
    const totals = await readCsv(await api("/rounds/lx2530/export.csv?unit=jincheng", { token: admin }));
    expect(totals[1]![totals[0]!.indexOf("名牌产品生产企业名单：工业总产值合计（亿元）")]).toBe("210.00");
    expect(totals.every((l) => l.length === totals[0]!.length)).toBe(true);
  });

  it("refuses a list the template does not have; the approved basis gives the header alone", async () => {
    expect((await api("/rounds/lx2530/export.csv?unit=jincheng&list=nolist", { token: admin })).status).toBe(404);
    expect((await api("/rounds/lx2530/export.csv?unit=jincheng&list=a%20b", { token: admin })).status).toBe(422); // not a code: the query is refused
    const approved = await readCsv(await api("/rounds/lx2530/export.csv?unit=jincheng&list=producers&basis=approved", { token: admin }));
    expect(approved).toHaveLength(1);
  });
});

describe("names and text that look like formulas", () => {
  it("stay text in the workbook and are quoted in the CSV", async () => {
    await openRound("lx2531", "2531", ["zezhou"]);
    const odd = ['=HYPERLINK("http://evil","点")', "+1+2", "-3", "@SUM(A1)", "O'Brien \"厂\""];
    const rows = DEMO_BRAND_PRODUCERS.zezhou!.map((r, i) => (i < odd.length ? { ...r, firm: odd[i]! } : r));
    await submit("lx2531", "zezhou", { values: DEMO_BRANDS_PAST_VALUES.zezhou!, lists: { producers: rows } });
    const ws = (await workbook("/rounds/lx2531/export.xlsx?unit=jincheng")).getWorksheet(SHEET)!;
    odd.forEach((text, i) => {
      const cell = ws.getCell(4 + i, 2);
      expect(cell.value, text).toBe(text); // a string, not a formula
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.numFmt).toBe("@");
    });
    const csv = await readCsv(await api("/rounds/lx2531/export.csv?unit=jincheng&list=producers", { token: admin }));
    expect(csv.slice(1, 6).map((l) => l[3])).toEqual(odd.map((t) => (/^[=+\-@]/.test(t) ? `'${t}` : t)));
  });
});

describe("a list of thousands of rows", () => {
  it("is read a page of 1,000 rows at a time across units, and cut past the workbook's share with a line that says so and the whole list's sums", async () => {
    await openRound("lx2532", "2532", ["zezhou", "gaoping"]);
    await submit("lx2532", "zezhou", producers(1300, "泽州"));
    await submit("lx2532", "gaoping", producers(900, "高平"));
    const order = (await officialOrder("lx2532")).filter((u) => u === "zezhou" || u === "gaoping");
    const count = { zezhou: 1300, gaoping: 900 } as Record<string, number>;
    const expected = order.flatMap((u) => Array.from({ length: count[u]! }, (_, i) => `${u}:${i + 1}`));
    // the whole list in the workbook (2,200 rows is within its share): pages joined in order
    const ws = (await workbook("/rounds/lx2532/export.xlsx?unit=jincheng")).getWorksheet(SHEET)!;
    const rows = rowsOf(ws);
    const names: Record<string, string> = { zezhou: "泽州县", gaoping: "高平市" };
    expect(rows.slice(3, 3 + 2200).map((r) => `${r[0]}:${r[1]}`)).toEqual(expected.map((k) => { const [u, n] = k.split(":"); return `${names[u!]}:${u === "zezhou" ? "泽州" : "高平"}企业${n}`; }));
    expect(rows.find((r) => r[0] === "合计")!.slice(6, 9)).toEqual([2200, 220, 22000]);
    // the CSV: every row, in the same order
    const csv = await readCsv(await api("/rounds/lx2532/export.csv?unit=jincheng&list=producers", { token: admin }));
    expect(csv.slice(1).map((l) => `${l[0]}:${l[2]}`)).toEqual(expected);

    // cut: a workbook whose lists may take 1,500 rows' cells, a CSV of at most 1,500 rows
    const unit = (await env.DB.prepare("SELECT id, path FROM units WHERE id = 'jincheng'").first<{ id: string; path: string }>())!;
    const round = (await findRoundUnder(env.DB, unit.path, "lx2532"))!;
    const compiled = compileTemplate({ ...DEMO_BRANDS_TEMPLATE, id: ID });
    if (!compiled.ok) throw new Error("template");
    const view = (await readTotalsView(env.DB, round, "jincheng", "standing"))!;
    const { plans } = await buildTotalsPlans(env.DB, { round, compiled: compiled.compiled, unit, view, name: "晋城市", basis: "standing", listCells: 1500 * 9 });
    const plan = plans.find((p) => p.name === SHEET)!;
    const text = (row: number, col: number) => plan.cells.find((c) => c.row === row && c.col === col)?.value;
    expect(plan.cells.filter((c) => c.col === 0 && c.row >= 3 && c.style === "label" && c.row < 3 + 1500)).toHaveLength(1500);
    expect(plan.cells.some((c) => c.row === 3 + 1500 && c.col === 0)).toBe(false);
    expect(String(text(3 + 1500 + 1, 0))).toMatch(/^本清单共 2200 行，本表只列出前 1500 行/);
    const whole = plan.cells.find((c) => c.col === 0 && c.value === "全部 2200 行合计")!;
    expect([6, 7, 8].map((col) => text(whole.row, col))).toEqual([2200, 220, 22000]);
    const listed = plan.cells.find((c) => c.col === 0 && c.value === "已列出的行合计")!;
    expect(plan.cells.find((c) => c.row === listed.row && c.col === 6)!.result).toBe(1500);
    const cut = await readCsv(new Response(listCsvStream(env.DB, { roundId: "lx2532", path: unit.path, table: TABLE, basis: "standing", nameOf: (_id, plain) => plain }, 1500)));
    expect(cut).toHaveLength(1 + 1500 + 1);
    expect(cut.at(-1)).toEqual(["（本清单共 2200 行，本文件只列出前 1500 行）"]);
    expect(cut.slice(1, -1).map((l) => `${l[0]}:${l[2]}`)).toEqual(expected.slice(0, 1500));
  }, 120_000);
});
