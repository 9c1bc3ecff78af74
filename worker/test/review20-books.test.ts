import { describe, expect, it, beforeAll } from "vitest";
import { unzipSync, zipSync } from "fflate";
import ExcelJS from "exceljs/excel.js";
import { api, ensureDemo, login } from "./helpers";
import { setCell, addStyle, text, type Files, type Body } from "./review20-lib";

let admin = "";
beforeAll(async () => { await ensureDemo(); admin = await login("admin"); });

function partOf(f: Files, name: string): string {
  const wb = text(f, "xl/workbook.xml");
  const m = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="(rId\\d+)"`).exec(wb) ?? new RegExp(`<sheet [^>]*r:id="(rId\\d+)"[^>]*name="${name}"`).exec(wb);
  const rid = m![1]!;
  const rels = text(f, "xl/_rels/workbook.xml.rels");
  const t = new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels) ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels);
  return "xl/" + t![1]!.replace(/^\/?xl\//, "");
}
async function rowOf(bytes: Uint8Array, sheet: string, value: string): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  let found = -1;
  wb.getWorksheet(sheet)!.eachRow((row, r) => { if (found < 0 && row.getCell(1).value === value) found = r; });
  return found;
}
/** Sets a cell even when the row or cell is absent. */
function setAny(f: Files, part: string, addr: string, attrs: string, inner: string) {
  try { setCell(f, addr, attrs, inner, part); return; } catch { /* absent */ }
  const r = Number(/\d+/.exec(addr)![0]);
  let x = text(f, part);
  const cell = `<c r="${addr}"${attrs ? " " + attrs : ""}>${inner}</c>`;
  const rowRe = new RegExp(`<row r="${r}"([^>]*?)(/>|>(.*?)</row>)`);
  if (rowRe.test(x)) x = x.replace(rowRe, (_m, a, _e, body) => `<row r="${r}"${a}>${sortCells((body ?? "") + cell)}</row>`);
  else x = x.replace("</sheetData>", `<row r="${r}">${cell}</row></sheetData>`);
  f[part] = new TextEncoder().encode(x);
}
function sortCells(body: string): string {
  const cells = body.match(/<c r="[A-Z]+\d+"(?:[^>]*?\/>|[^>]*?>.*?<\/c>)/g) ?? [];
  const col = (c: string) => /<c r="([A-Z]+)/.exec(c)![1]!;
  return cells.sort((a, b) => col(a).length - col(b).length || col(a).localeCompare(col(b))).join("");
}
const log = (n: string, r: { status: number; body: Body }) => console.log(`### ${n}: ${r.status} ${JSON.stringify(r.body).slice(0, 700)}`);

async function designer(): Promise<{ bytes: Uint8Array; f: Files; part: string }> {
  const r = await api("/templates/designer.xlsx?from=builtin", { token: admin });
  expect(r.status).toBe(200);
  const bytes = new Uint8Array(await r.arrayBuffer());
  const f = unzipSync(bytes);
  return { bytes, f, part: partOf(f, "指标") };
}
const postDesigner = async (f: Files) => { const r = await api("/templates/designer", { method: "POST", token: admin, body: zipSync(f) }); return { status: r.status, body: await r.json() as Body }; };
const ind = (body: Body, code: string) => (body.template ?? body.draft?.template ?? body)?.indicators?.find?.((i: Body) => i.code === code);

describe("designer", () => {
  it("HELD: 环比提示 % column 30% (numFmtId 9) reads as 30", async () => {
    const { bytes, f, part } = await designer();
    const r = await rowOf(bytes, "指标", "cn_famous_brands");
    setAny(f, part, `K${r}`, `s="${addStyle(f, 9)}"`, "<v>0.3</v>");
    const res = await postDesigner(f); log("pct", { status: res.status, body: ind(res.body, "cn_famous_brands") ?? res.body });
    expect([200, 201]).toContain(res.status);
    expect(JSON.stringify(res.body.changes)).toContain("改为 30%");
  });
  it("FIXED (was FINDING): a zh-CN date (numFmtId 58, shows 3月1日) as 最大 is refused, not taken as max 45717", async () => {
    const { bytes, f, part } = await designer();
    const r = await rowOf(bytes, "指标", "cn_famous_brands");
    setAny(f, part, `J${r}`, `s="${addStyle(f, 58)}"`, "<v>45717</v>");
    const res = await postDesigner(f); log("max58", { status: res.status, body: ind(res.body, "cn_famous_brands") ?? res.body });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(`指标!J${r}`);
  });
  it("HELD: a built-in date 14 as 最大 is refused on its cell", async () => {
    const { bytes, f, part } = await designer();
    const r = await rowOf(bytes, "指标", "cn_famous_brands");
    setAny(f, part, `J${r}`, `s="${addStyle(f, 14)}"`, "<v>45717</v>");
    const res = await postDesigner(f); log("max14", { status: res.status, body: res.body });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(`指标!J${r}`);
  });
  it("FIXED (was FINDING): a zh-CN date (numFmtId 58) in 填报说明 reads as 3月1日, not 45717", async () => {
    const { bytes, f, part } = await designer();
    const r = await rowOf(bytes, "指标", "cn_famous_brands");
    setAny(f, part, `O${r}`, `s="${addStyle(f, 58)}"`, "<v>45717</v>");
    const res = await postDesigner(f);
    const t = await (await api(`/templates/${res.body.template.id}/${res.body.template.version}`, { token: admin })).json() as Body;
    const i = ind(t, "cn_famous_brands"); log("help58", { status: res.status, body: i?.help });
    expect(i?.help?.zh).toBe("3月1日");
  });
  it("FIXED (was FINDING): a t=\"d\" date as 最大 is refused, not taken as 2025", async () => {
    const { bytes, f, part } = await designer();
    const r = await rowOf(bytes, "指标", "cn_famous_brands");
    setAny(f, part, `J${r}`, `t="d"`, "<v>2025-03-01T00:00:00</v>");
    const res = await postDesigner(f); log("maxTd", { status: res.status, body: ind(res.body, "cn_famous_brands") ?? res.body });
    expect(res.status).toBe(422);
  });
  it("HELD: #N/A in 小数位 is refused naming it", async () => {
    const { bytes, f, part } = await designer();
    const r = await rowOf(bytes, "指标", "work_funds");
    setAny(f, part, `G${r}`, `t="e"`, "<v>#N/A</v>");
    const res = await postDesigner(f); log("na", res);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(`指标!G${r}`);
    expect(JSON.stringify(res.body)).toContain("#N/A");
  });
});

async function directory(): Promise<{ bytes: Uint8Array; f: Files; part: string; next: number }> {
  const r = await api("/directory.xlsx", { token: admin });
  expect(r.status).toBe(200);
  const bytes = new Uint8Array(await r.arrayBuffer());
  const f = unzipSync(bytes);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  let last = 0;
  wb.getWorksheet("单位")!.eachRow((row, n) => { if (row.getCell(1).value) last = n; });
  return { bytes, f, part: partOf(f, "单位"), next: last + 1 };
}
const preview = async (f: Files) => { const r = await api("/directory/preview", { method: "POST", token: admin, body: zipSync(f) }); return { status: r.status, body: await r.json() as Body }; };
const s = (v: string) => `<is><t>${v}</t></is>`;

describe("directory", () => {
  it("NOTE: a unit code typed 101 under format 000000 (shows 000101) is refused, but the message quotes 101", async () => {
    const { f, part, next } = await directory();
    setAny(f, part, `A${next}`, `s="${addStyle(f, 190, "000000")}"`, "<v>101</v>");
    setAny(f, part, `B${next}`, `t="inlineStr"`, s("零幺零幺县"));
    setAny(f, part, `D${next}`, `t="inlineStr"`, s("county"));
    setAny(f, part, `E${next}`, `t="inlineStr"`, s("jincheng"));
    const res = await preview(f); log("code000", res);
    expect(JSON.stringify(res.body)).not.toMatch(/"101"/);
  });
  it("FIXED (was FINDING): a contact name cell with a zh-CN date (numFmtId 58) reads 3月1日 or is refused, not 45717", async () => {
    const { f, part, next } = await directory();
    setAny(f, part, `A${next}`, `t="inlineStr"`, s(`rvd${Date.now() % 100000}`));
    setAny(f, part, `B${next}`, `t="inlineStr"`, s("测试县甲"));
    setAny(f, part, `D${next}`, `t="inlineStr"`, s("county"));
    setAny(f, part, `E${next}`, `t="inlineStr"`, s("jincheng"));
    setAny(f, part, `F${next}`, `s="${addStyle(f, 58)}"`, "<v>45717</v>");
    const res = await preview(f); log("name58", res);
    expect(JSON.stringify(res.body)).not.toContain("45717");
  });
  it("HELD: a landline stored as a number under format 00000000000 is refused on its cell", async () => {
    const { f, part, next } = await directory();
    setAny(f, part, `A${next}`, `t="inlineStr"`, s(`rve${Date.now() % 100000}`));
    setAny(f, part, `B${next}`, `t="inlineStr"`, s("测试县乙"));
    setAny(f, part, `D${next}`, `t="inlineStr"`, s("county"));
    setAny(f, part, `E${next}`, `t="inlineStr"`, s("jincheng"));
    setAny(f, part, `G${next}`, `s="${addStyle(f, 191, "00000000000")}"`, "<v>3561234567</v>");
    const res = await preview(f); log("phone", res);
    expect(JSON.stringify(res.body)).toContain(`G${next}`);
  });
});
