import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { zipSync } from "fflate";
import fc from "fast-check";
import { DEMO_PAST_VALUES, ErrorBodySchema, cellValueOf, fillIndex, type SubmissionView } from "@tianbao/shared";
import { api, countRows, ensureDemo, json, login, builtinCompiled } from "./helpers";

const compiled = builtinCompiled();
beforeAll(async () => { await ensureDemo(); });
type Err = { error: { code: string; where?: string; message: { zh: string; en: string }; issues?: { indicator: string; cell: string; message: { zh: string } }[] } };
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Downloads a unit's fill template and fills it the way an official would in WPS or Excel. */
async function filledTemplate(unit: string, token: string, edit: (ws: ExcelJS.Worksheet) => void): Promise<ArrayBuffer> {
  const res = await api(`/rounds/r2025/submissions/${unit}/template.xlsx`, { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  edit(wb.worksheets[0]!);
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
const typeAll = (values: Record<string, unknown>) => (ws: ExcelJS.Worksheet) => {
  const index = fillIndex(compiled);
  for (const [code, v] of Object.entries(values)) ws.getCell(index.rowOf.get(code)! + 1, 4).value = cellValueOf(compiled.byCode.get(code)!, v as never) as ExcelJS.CellValue;
};
const upload = (unit: string, token: string, body: BodyInit, query = "", headers: Record<string, string> = {}) =>
  api(`/rounds/r2025/submissions/${unit}/upload${query}`, { method: "POST", token, body, headers: { "content-type": XLSX, ...headers } });
const writes = async () => [await countRows("revisions"), await countRows("revision_values"), await countRows("totals")];

describe("POST /api/rounds/:id/submissions/:unit/upload", () => {
  it("stores a filled template as a normal revision, comments included", async () => {
    const token = await login("chengqu");
    const file = await filledTemplate("chengqu", token, (ws) => {
      typeAll(DEMO_PAST_VALUES.chengqu!)(ws);
      ws.getCell(fillIndex(compiled).rowOf.get("products")! + 1, 6).value = "含新建园区";
    });
    const res = await upload("chengqu", token, file);
    expect(res.status).toBe(201);
    const view = await json<SubmissionView>(res);
    expect(view).toMatchObject({ revision: 1, state: "submitted" });
    expect(view.values.products).toBe(300);
    expect(view.values.plan_issued).toBe(true);
    expect(view.values.drive_status).toBe("in_progress");
    expect(view.values.work_funds).toBe("10.00");
    expect(view.comments).toEqual({ products: "含新建园区" });
  });

  it("lists every problem by cell and stores nothing", async () => {
    const token = await login("gaoping");
    const file = await filledTemplate("gaoping", token, typeAll({ ...DEMO_PAST_VALUES.gaoping!, products: null, work_funds: "1.234" }));
    const before = await writes();
    const res = await upload("gaoping", token, file);
    expect(res.status).toBe(422);
    const body = await json<Err>(res);
    const texts = body.error.issues!.map((i) => i.message.zh);
    const row = (code: string) => fillIndex(compiled).rowOf.get(code)! + 1;
    expect(texts).toContain(`D${row("products")} 工业产品总数（products）：必填`);
    expect(texts).toContain(`D${row("work_funds")} 质量工作经费落实额（work_funds）：最多 2 位小数`);
    expect(await writes()).toEqual(before);
  });

  it("refuses another unit's file, a damaged layout and a file that is not .xlsx, saying which and what to do", async () => {
    const gaoping = await login("gaoping");
    const zezhouFile = await filledTemplate("zezhou", await login("zezhou"), typeAll(DEMO_PAST_VALUES.zezhou!));
    const wrongUnit = await upload("gaoping", gaoping, zezhouFile);
    expect(wrongUnit.status).toBe(422);
    expect(await json<Err>(wrongUnit)).toMatchObject({ error: { code: "layout_mismatch", where: "A2" } });
    const damaged = await filledTemplate("gaoping", gaoping, (ws) => { ws.spliceRows(fillIndex(compiled).rowOf.get("products")! + 1, 1); });
    const broken = await json<Err>(await upload("gaoping", gaoping, damaged));
    expect(broken.error.code).toBe("layout_mismatch");
    expect(broken.error.message.zh).toContain("请重新下载填报表");
    const csv = await upload("gaoping", gaoping, "代码,值\nproducts,1", "", { "content-type": "text/csv" });
    expect(csv.status).toBe(415);
    const truncated = await upload("gaoping", gaoping, zezhouFile.slice(0, 2000));
    expect(truncated.status).toBe(400);
    expect((await json<Err>(truncated)).error.message.zh).toContain("文件已损坏");
  });

  it("refuses a zip bomb before unpacking it, and oversized files, with a clean 4xx", async () => {
    const token = await login("gaoping");
    const bomb = zipSync({ "xl/workbook.xml": new Uint8Array(200_000_000) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1_000_000);
    const res = await upload("gaoping", token, bomb);
    expect(res.status).toBe(413);
    const big = await upload("gaoping", token, new Uint8Array(6_000_000));
    expect(big.status).toBe(413);
  });

  it("asks to confirm warnings, then accepts them when acknowledged", async () => {
    const token = await login("qinshui");
    const file = await filledTemplate("qinshui", token, typeAll({ ...DEMO_PAST_VALUES.qinshui!, products: 1000 }));
    const first = await upload("qinshui", token, file);
    expect(first.status).toBe(422);
    expect((await json<Err>(first)).error.code).toBe("warnings_not_acknowledged");
    const second = await upload("qinshui", token, file, "?acknowledgeWarnings=1");
    expect(second.status).toBe(201);
  });
});

describe("generated damaged uploads", () => {
  it("truncated or bit-flipped workbooks get a clean 4xx (or, if still intact, the normal result) and never a 500", { timeout: 300_000 }, async () => {
    const token = await login("lingchuan");
    const good = new Uint8Array(await filledTemplate("lingchuan", token, typeAll(DEMO_PAST_VALUES.lingchuan!)));
    let tried = 0;
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: good.length - 1 }), fc.array(fc.tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 5 }), fc.boolean(), async (cut, flips, truncate) => {
      const bytes = truncate ? good.slice(0, cut) : good.slice();
      for (const [at, b] of flips) if (at < bytes.length) bytes[at] = b;
      const before = await writes();
      const res = await upload("lingchuan", token, bytes, "", { "idempotency-key": `fuzz-${tried}-${cut}` });
      tried++;
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        expect(ErrorBodySchema.safeParse(await res.json()).success).toBe(true);
        expect(await writes()).toEqual(before);
      }
    }), { numRuns: 150 });
    console.log(`fuzz uploads: ${tried} damaged workbooks tried, all held`);
  });
});
