// Issue 20, the designer's part: an uploaded designer workbook is read exactly as the person sees
// it, or refused on its cell. Each test edits the downloaded designer the way a person does in a
// spreadsheet program (exceljs stands in for it) and uploads it; each failed before this issue,
// except the one marked as a guard.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { BUILTIN_TEMPLATE, TemplateSchema, type Template } from "@tianbao/shared";
import { api, countRows, ensureDemo, json, login } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Issue = { cell: string; message: { zh: string; en: string } };
type Answer = { error?: { code: string; where?: string; message: { zh: string; en: string }; issues?: Issue[] }; template?: { id: string; version: number }; changes?: { kind: string; code: string; message: { zh: string; en: string } }[] };
let admin = "";
let seq = 0;
const newId = (p: string) => `${p}_${++seq}${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});

async function download(path: string): Promise<ExcelJS.Workbook> {
  const res = await api(path, { token: admin });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

/** The built-in template's designer under a template id of its own, as a city starts next year's. */
async function builtinDesigner(id: string): Promise<ExcelJS.Workbook> {
  const wb = await download("/templates/designer.xlsx?from=builtin");
  wb.getWorksheet("模板")!.getCell("B3").value = id;
  return wb;
}

async function upload(wb: ExcelJS.Workbook): Promise<{ status: number; body: Answer }> {
  const res = await api("/templates/designer", { method: "POST", token: admin, body: new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), headers: { "content-type": XLSX } });
  return { status: res.status, body: await json<Answer>(res) };
}

/** The 1-based row of an indicator on 指标. */
function rowOf(wb: ExcelJS.Workbook, code: string): number {
  let at = 0;
  wb.getWorksheet("指标")!.eachRow((r, n) => { if (r.getCell(1).value === code) at = n; });
  expect(at).toBeGreaterThan(2);
  return at;
}

/** A cell's own number format: exceljs shares one style object between cells, so a new one is assigned. */
function setFormat(cell: ExcelJS.Cell, numFmt: string): void {
  cell.style = { ...cell.style, numFmt };
}

/** Refused with 422, nothing stored, and these cells among the issues; the issues by cell. */
async function refused(wb: ExcelJS.Workbook, cells: string[]): Promise<Map<string, Issue>> {
  const before = await countRows("templates");
  const r = await upload(wb);
  expect(r.status, JSON.stringify(r.body)).toBe(422);
  expect(await countRows("templates")).toBe(before);
  const issues = new Map((r.body.error?.issues ?? []).map((i) => [i.cell, i]));
  expect([...issues.keys()]).toEqual(expect.arrayContaining(cells));
  for (const i of issues.values()) { expect(i.message.zh).toContain(i.cell); expect(i.message.en).toContain(i.cell); }
  return issues;
}

describe("the designer's % column and its number columns", () => {
  it("30% typed in 环比提示 % is read as 30 (not 0.3), and the change list names the new threshold", async () => {
    const id = newId("jump");
    expect((await upload(await builtinDesigner(id))).status).toBe(200);
    expect((await api(`/templates/${id}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
    const wb = await download(`/templates/${id}/1/designer.xlsx`);
    const cell = wb.getWorksheet("指标")!.getCell(`K${rowOf(wb, "products")}`); // was 50
    cell.value = 0.3; // what Excel stores when 30% is typed into a General cell
    setFormat(cell, "0%");
    const r = await upload(wb);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const draft = await json<Template>(await api(`/templates/${id}/2`, { token: admin }));
    expect(draft.indicators.find((i) => i.code === "products")).toMatchObject({ jumpPercent: 30 });
    const change = r.body.changes!.find((c) => c.code === "products");
    expect(change?.kind).toBe("jump_changed");
    expect(change?.message.zh).toMatch(/50%.*30%/);
  });

  it("a percent in 小数位 or 最大 and a date in 最小 are refused on their cells, never read as 1, 0.5 or 45717", async () => {
    const wb = await builtinDesigner(newId("bounds"));
    const ws = wb.getWorksheet("指标")!;
    const funds = rowOf(wb, "work_funds"), products = rowOf(wb, "products");
    const decimals = ws.getCell(`G${funds}`);
    decimals.value = 1; // 100%
    setFormat(decimals, "0%");
    const max = ws.getCell(`J${products}`);
    max.value = 0.5;
    setFormat(max, "0%");
    const min = ws.getCell(`I${products}`);
    min.value = new Date(Date.UTC(2025, 2, 1)); // "3-1" typed, taken for a date
    setFormat(min, "m/d");
    const issues = await refused(wb, [`指标!G${funds}`, `指标!J${products}`, `指标!I${products}`]);
    expect(issues.get(`指标!G${funds}`)!.message.zh).toContain("百分数「100%」");
    expect(issues.get(`指标!J${products}`)!.message.zh).toContain("百分数「50%」");
    expect(issues.get(`指标!I${products}`)!.message.zh).toContain("日期「3/1」");
  });
});

describe("error values and dates in the designer's cells", () => {
  it("error values are refused on their cell naming the error: #N/A in a name, #DIV/0! in a help text, #REF! in a rule", async () => {
    const wb = await builtinDesigner(newId("errors"));
    const products = rowOf(wb, "products");
    wb.getWorksheet("指标")!.getCell(`C${products}`).value = { error: "#N/A" } as ExcelJS.CellErrorValue;
    wb.getWorksheet("指标")!.getCell(`O${products}`).value = { error: "#DIV/0!" } as ExcelJS.CellErrorValue;
    wb.getWorksheet("校验规则")!.getCell("D3").value = { error: "#REF!" } as ExcelJS.CellErrorValue;
    const issues = await refused(wb, [`指标!C${products}`, `指标!O${products}`, "校验规则!D3"]);
    expect(issues.get(`指标!C${products}`)!.message.zh).toContain("错误值 #N/A");
    expect(issues.get(`指标!O${products}`)!.message.zh).toContain("错误值 #DIV/0!");
    expect(issues.get("校验规则!D3")!.message.en).toContain("#REF!");
    expect(issues.size).toBe(3); // one message per cell: not also "the name is required"
  });

  it("dates shown in text cells (a help text, an English name, a rule's message) are read as the text shown", async () => {
    const id = newId("dates");
    const wb = await builtinDesigner(id);
    const products = rowOf(wb, "products");
    const put = (sheet: string, address: string, d: Date, fmt: string) => { const c = wb.getWorksheet(sheet)!.getCell(address); c.value = d; setFormat(c, fmt); };
    put("指标", `O${products}`, new Date(Date.UTC(2025, 2, 1)), "yyyy/m/d");
    put("指标", `D${products}`, new Date(Date.UTC(2025, 4, 1)), 'm"月"d"日"');
    put("校验规则", "D3", new Date(Date.UTC(2025, 11, 31)), "yyyy-mm-dd");
    const r = await upload(wb);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const t = await json<Template>(await api(`/templates/${id}/1`, { token: admin }));
    const ind = t.indicators.find((i) => i.code === "products")!;
    expect(ind.help?.zh).toBe("2025/3/1");
    expect(ind.name.en).toBe("5月1日");
    expect(t.rules[0]!.message.zh).toBe("2025-12-31");
  });
});

describe("the designer's sheets and header rows", () => {
  it("a renamed 指标 sheet is named as missing, with the tab that looks like it", async () => {
    const wb = await builtinDesigner(newId("renamed"));
    wb.getWorksheet("指标")!.name = "指标 (2)";
    const before = await countRows("templates");
    const r = await upload(wb);
    expect(r.status).toBe(422);
    expect(r.body.error!.message.zh).toMatch(/缺少「指标」工作表.*「指标 \(2\)」/);
    expect(r.body.error!.message.en).toMatch(/指标.*指标 \(2\)/);
    expect(await countRows("templates")).toBe(before);
  });

  it("a renamed or deleted 校验规则 sheet is refused by name instead of dropping every rule", async () => {
    const wb = await builtinDesigner(newId("norules"));
    wb.getWorksheet("校验规则")!.name = "规则";
    const r = await upload(wb);
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error!.message.zh).toContain("缺少「校验规则」工作表");
    expect(r.body.error!.message.zh).toContain("「规则」");
    const wb2 = await builtinDesigner(newId("norules"));
    wb2.removeWorksheet(wb2.getWorksheet("校验规则")!.id);
    const r2 = await upload(wb2);
    expect(r2.status).toBe(422);
    expect(r2.body.error!.message.zh).toContain("缺少「校验规则」工作表");
  });

  it("a column inserted on 指标 is one message at its header cell, not an error per row", async () => {
    const wb = await builtinDesigner(newId("inserted"));
    wb.getWorksheet("指标")!.spliceColumns(5, 0, []);
    const issues = await refused(wb, ["指标!E1"]);
    expect(issues.size).toBe(1);
    expect(issues.get("指标!E1")!.message.zh).toMatch(/指标!E1 应为「类型」，实际为「」：.*插入/);
  });

  it("a column deleted on 分组 and two columns swapped on 指标 are one message each, naming what changed", async () => {
    const wb = await builtinDesigner(newId("moved"));
    wb.getWorksheet("分组")!.spliceColumns(2, 1);
    wb.getWorksheet("指标")!.eachRow((row) => { const i = row.getCell(9).value; row.getCell(9).value = row.getCell(10).value; row.getCell(10).value = i; });
    const issues = await refused(wb, ["分组!B1", "指标!I1"]);
    expect(issues.size).toBe(2);
    expect(issues.get("分组!B1")!.message.zh).toMatch(/应为「名称」，实际为「英文名称」：.*「名称」列被删除/);
    expect(issues.get("指标!I1")!.message.zh).toMatch(/应为「最小」，实际为「最大」：列被移动/);
  });

  it("guard: hidden and reordered designer sheets keep working", async () => {
    const id = newId("hidden");
    const wb = await builtinDesigner(id);
    wb.getWorksheet("分组")!.state = "hidden";
    wb.getWorksheet("说明")!.state = "veryHidden";
    const order = ["说明", "校验规则", "指标", "分组", "模板"];
    order.forEach((name, i) => { (wb.getWorksheet(name) as unknown as { orderNo: number }).orderNo = i; });
    const r = await upload(wb);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const t = await json<Template>(await api(`/templates/${id}/1`, { token: admin }));
    expect(t.indicators).toEqual(TemplateSchema.parse(BUILTIN_TEMPLATE).indicators);
  });
});

describe("the designer workbook we write", () => {
  it("text columns are Text (@) on every input row, so what is typed stays as typed; number columns stay General", async () => {
    const wb = await download("/templates/designer.xlsx?from=builtin");
    const ind = wb.getWorksheet("指标")!;
    for (const col of ["A", "B", "C", "D", "E", "F", "H", "L", "M", "O", "P"]) {
      expect(ind.getCell(`${col}3`).numFmt, col).toBe("@");
      expect(ind.getCell(`${col}250`).numFmt, `${col}250`).toBe("@"); // a row below the last indicator
    }
    for (const col of ["G", "I", "J", "K", "N"]) expect(ind.getCell(`${col}250`).numFmt ?? "General", col).not.toBe("@");
    for (const [sheet, cols] of [["分组", ["A", "B", "C"]], ["校验规则", ["A", "B", "C", "D", "E"]], ["模板", ["B"]]] as const) {
      for (const col of cols) expect(wb.getWorksheet(sheet)!.getCell(`${col}5`).numFmt, `${sheet}!${col}5`).toBe("@");
    }
  });
});
