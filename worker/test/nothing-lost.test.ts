// Issue 22, "nothing written is lost": the 说明 notes and the signature block travel with every
// revision — the re-downloaded current version carries them, a resubmission that would drop a note
// or change a signature field says so before anything is stored, and the revision diff lists them.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { DEMO_PAST_VALUES, cellValueOf, fillIndex, type SubmissionView } from "@tianbao/shared";
import { api, countRows, ensureDemo, json, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();
beforeAll(async () => { await ensureDemo(); });
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Err = { error: { code: string; where?: string; message: { zh: string; en: string }; lost?: { notes: { indicator: string; cell: string | null; before: string }[]; signature: { field: string; label: string; before: string; after: string | null }[] } } };
type Diff = { changes: unknown[]; notes?: { indicator: string; before: string | null; after: string | null }[]; signature?: { field: string; before: string | null; after: string | null }[] };

const rowOf = (code: string) => fillIndex(compiled).rowOf.get(code)! + 1;
const writes = async () => [await countRows("revisions"), await countRows("revision_values"), await countRows("audit")];

async function download(unit: string, token: string): Promise<ExcelJS.Workbook> {
  const res = await api(`/rounds/r2025/submissions/${unit}/template.xlsx`, { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
/** The cell to the right of a signature label, found by its label as an official finds it. */
function signatureCell(ws: ExcelJS.Worksheet, label: string): ExcelJS.Cell {
  let found: ExcelJS.Cell | null = null;
  ws.eachRow((row) => row.eachCell((cell) => { if (cell.value === label) found = row.getCell(Number(cell.col) + 1); }));
  if (!found) throw new Error(`no signature label ${label}`);
  return found;
}
const bytesOf = async (wb: ExcelJS.Workbook) => (await wb.xlsx.writeBuffer()) as ArrayBuffer;
const upload = (unit: string, token: string, body: ArrayBuffer, query = "", headers: Record<string, string> = {}) =>
  api(`/rounds/r2025/submissions/${unit}/upload${query}`, { method: "POST", token, body, headers: { "content-type": XLSX, ...headers } });

/** zezhou's first revision, from the sheet: its figures, two notes and the whole signature block. */
async function firstRevision(unit: string, token: string): Promise<void> {
  const wb = await download(unit, token);
  const ws = wb.worksheets[0]!;
  for (const [code, v] of Object.entries(DEMO_PAST_VALUES[unit]!)) ws.getCell(rowOf(code), 4).value = cellValueOf(compiled.byCode.get(code)!, v) as ExcelJS.CellValue;
  ws.getCell(rowOf("products"), 6).value = "含新建园区 12 家";
  ws.getCell(rowOf("work_funds"), 6).value = "含省级补助";
  signatureCell(ws, "负责人").value = "李明";
  signatureCell(ws, "填报人").value = "王芳";
  signatureCell(ws, "联系电话").value = "0356-2021234";
  signatureCell(ws, "填报日期").value = "2025年3月1日";
  const res = await upload(unit, token, await bytesOf(wb), "?acknowledgeWarnings=1");
  expect(res.status).toBe(201);
}

describe("the current version, downloaded again", () => {
  it("carries every 说明 and the signature block as written", async () => {
    const token = await login("zezhou");
    await firstRevision("zezhou", token);
    const ws = (await download("zezhou", token)).worksheets[0]!;
    expect(ws.getCell(rowOf("products"), 6).value).toBe("含新建园区 12 家");
    expect(ws.getCell(rowOf("work_funds"), 6).value).toBe("含省级补助");
    expect(signatureCell(ws, "填报单位").value).toBe("泽州县");
    expect(signatureCell(ws, "负责人").value).toBe("李明");
    expect(signatureCell(ws, "填报人").value).toBe("王芳");
    expect(signatureCell(ws, "联系电话").value).toBe("0356-2021234");
    expect(signatureCell(ws, "填报日期").value).toBe("2025年3月1日");
    // uploaded again with one figure changed, the next revision keeps every note
    ws.getCell(rowOf("products"), 4).value = 901;
    const res = await upload("zezhou", token, await bytesOf(ws.workbook), "?acknowledgeWarnings=1");
    expect(res.status).toBe(200);
    const view = await json<SubmissionView & { signature?: Record<string, string> }>(res);
    expect(view.revision).toBe(2);
    expect(view.comments).toEqual({ products: "含新建园区 12 家", work_funds: "含省级补助" });
    expect(view.signature).toMatchObject({ head: "李明", filer: "王芳", phone: "0356-2021234", date: "2025年3月1日" });
  });
});

describe("a resubmission that loses something written", () => {
  it("a sheet whose 说明 was cleared or whose signature changed is refused, naming each, and stores nothing until acknowledged", async () => {
    const token = await login("gaoping");
    await firstRevision("gaoping", token);
    const wb = await download("gaoping", token);
    const ws = wb.worksheets[0]!;
    ws.getCell(rowOf("products"), 6).value = null;
    signatureCell(ws, "填报人").value = "赵强";
    const file = await bytesOf(wb);
    const before = await writes();
    const res = await upload("gaoping", token, file, "?acknowledgeWarnings=1");
    expect(res.status).toBe(409);
    const body = await json<Err>(res);
    expect(body.error.code).toBe("loss_not_acknowledged");
    expect(body.error.message.zh).toContain(`F${rowOf("products")} 工业产品总数（products）的说明「含新建园区 12 家」`);
    expect(body.error.message.zh).toContain("填报人「王芳」改为「赵强」");
    expect(body.error.message.en).toContain("note on");
    expect(body.error.lost!.notes).toEqual([{ indicator: "products", cell: `F${rowOf("products")}`, before: "含新建园区 12 家" }]);
    expect(body.error.lost!.signature).toEqual([{ field: "filer", label: "填报人", before: "王芳", after: "赵强" }]);
    expect(await writes()).toEqual(before);
    const done = await upload("gaoping", token, file, "?acknowledgeWarnings=1&acknowledgeLoss=1");
    expect(done.status).toBe(200);
    const view = await json<SubmissionView & { signature?: Record<string, string> }>(done);
    expect(view.comments).toEqual({ work_funds: "含省级补助" });
    expect(view.signature?.filer).toBe("赵强");
  });

  it("the JSON API needs acknowledgeLoss to drop a note; leaving the signature out keeps it", async () => {
    const token = await login("qinshui");
    await firstRevision("qinshui", token);
    const put = (body: unknown, rev: number) => api("/rounds/r2025/submissions/qinshui", { method: "PUT", token, json: body, headers: { "if-match": `"${rev}"` } });
    const values = DEMO_PAST_VALUES.qinshui!;
    const refused = await put({ values, comments: { products: "含新建园区 12 家" }, acknowledgeWarnings: true }, 1);
    expect(refused.status).toBe(409);
    const err = await json<Err>(refused);
    expect(err.error.where).toBe("body.acknowledgeLoss");
    expect(err.error.lost!.notes.map((n) => n.indicator)).toEqual(["work_funds"]);
    expect(err.error.lost!.signature).toEqual([]);
    const ok = await put({ values, comments: { products: "含新建园区 12 家" }, acknowledgeWarnings: true, acknowledgeLoss: true }, 1);
    expect(ok.status).toBe(200);
    const view = await json<SubmissionView & { signature?: Record<string, string> }>(ok);
    expect(view.signature).toMatchObject({ head: "李明", filer: "王芳" });
  });
});

describe("the revision diff", () => {
  it("lists notes and signature fields as well as figures", async () => {
    const token = await login("yangcheng");
    await firstRevision("yangcheng", token);
    const wb = await download("yangcheng", token);
    const ws = wb.worksheets[0]!;
    ws.getCell(rowOf("products"), 6).value = null;
    ws.getCell(rowOf("work_funds"), 6).value = "含省级补助 3 万元";
    signatureCell(ws, "联系电话").value = "13912345678";
    expect((await upload("yangcheng", token, await bytesOf(wb), "?acknowledgeWarnings=1&acknowledgeLoss=1")).status).toBe(200);
    const diff = await json<Diff>(await api("/rounds/r2025/submissions/yangcheng/diff?from=1&to=2", { token: await login("shenhe") }));
    expect(diff.changes).toEqual([]);
    // in the template's order, as the sheet has them
    expect(diff.notes).toEqual([
      { indicator: "work_funds", before: "含省级补助", after: "含省级补助 3 万元" },
      { indicator: "products", before: "含新建园区 12 家", after: null },
    ]);
    expect(diff.signature).toEqual([{ field: "phone", before: "0356-2021234", after: "13912345678" }]);
  });
});
