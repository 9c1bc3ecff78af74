import { describe, expect, it, beforeAll } from "vitest";
import { ensureDemo, json, login, api } from "./helpers";
import { freshUnit, submitValid, fillSheet, upload, setCell, addStyle, addShared, text, put, type U, type Files, type Body } from "./review20-lib";

let admin = "";
let tpl = { id: "", version: 0 };
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: admin }));
  tpl = { id: r.templateId, version: r.templateVersion };
});
async function sheet(): Promise<{ u: U; f: Files }> { const u = await freshUnit(admin, tpl); await submitValid(u); return { u, f: await fillSheet(u) }; }
const refusedAt = (res: { status: number; body: Body }, cell: string, re?: RegExp) => {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(JSON.stringify(res.body)).toContain(cell);
  if (re) expect(JSON.stringify(res.body)).toMatch(re);
};
const log = (name: string, res: { status: number; body: Body }) => console.log(`### ${name}: ${res.status} ${res.body?.values ? "remarks=" + JSON.stringify(res.body.values.remarks) + " comments=" + JSON.stringify(res.body.comments) : JSON.stringify(res.body).slice(0, 400)}`);

describe("fill sheet", () => {
  it("FIXED (was FINDING): zh-CN built-in date numFmtId 58 (m月d日, no numFmts entry) in a count cell is stored as 45717", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", `s="${addStyle(f, 58)}"`, "<v>45717</v>");
    const res = await upload(u, f); log("id58 count", res);
    refusedAt(res, "D14", /日期/);
  });
  it("FIXED (was FINDING): zh-CN built-in date numFmtId 31 (yyyy年m月d日) in a count cell is stored as a number", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", `s="${addStyle(f, 31)}"`, "<v>45717</v>");
    const res = await upload(u, f); log("id31 count", res);
    refusedAt(res, "D14", /日期/);
  });
  it("HELD: built-in date 14 in a count cell is refused on its cell", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", `s="${addStyle(f, 14)}"`, "<v>45717</v>");
    const res = await upload(u, f); log("id14 count", res);
    refusedAt(res, "D14", /日期/);
  });
  it("HELD: built-in percent 9 in a count cell and 10 in an amount cell are refused", async () => {
    const { u, f } = await sheet();
    setCell(f, "D12", `s="${addStyle(f, 10)}"`, "<v>0.4512</v>");
    const res = await upload(u, f); log("id10 amount", res);
    refusedAt(res, "D12", /45\.12%/);
  });
  it("FIXED (was FINDING): text answer with a zh-CN date (numFmtId 58) is stored as the serial", async () => {
    const { u, f } = await sheet();
    setCell(f, "D56", `s="${addStyle(f, 58)}"`, "<v>45717</v>");
    const res = await upload(u, f); log("id58 text", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values?.remarks ?? JSON.stringify(res.body)).toBe("3月1日");
  });
  it("HELD: text answer with date 14 reads as 2025/3/1; note with 0.125 at 0.00% reads 12.50%", async () => {
    const { u, f } = await sheet();
    setCell(f, "D56", `s="${addStyle(f, 14)}"`, "<v>45717</v>");
    setCell(f, "F14", `s="${addStyle(f, 10)}"`, "<v>0.125</v>");
    const res = await upload(u, f); log("id14 text", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values.remarks).toBe("2025/3/1");
    expect(JSON.stringify(res.body)).toContain("12.50%");
  });
  it("FIXED (was FINDING): a t=\"d\" ISO date cell in a count cell is not stored as 2025", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", `t="d"`, "<v>2025-03-01T00:00:00Z</v>");
    const res = await upload(u, f); log("t=d count", res);
    refusedAt(res, "D14");
  });
  it("FIXED (was FINDING): a t=\"d\" ISO date in the text answer reads as the date, not 2025", async () => {
    const { u, f } = await sheet();
    setCell(f, "D56", `t="d" s="${addStyle(f, 14)}"`, "<v>2025-03-01T00:00:00</v>");
    const res = await upload(u, f); log("t=d text", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values.remarks).toBe("2025/3/1");
  });
  it("HELD: t=e #N/A in count and #DIV/0! in a note are refused naming the error", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", `t="e"`, "<v>#N/A</v>");
    const res = await upload(u, f); log("t=e", res);
    refusedAt(res, "D14", /#N\/A/);
    const g = await fillSheet(u);
    setCell(g, "F15", `t="e"`, "<v>#DIV/0!</v>");
    const res2 = await upload(u, g); log("t=e note", res2);
    refusedAt(res2, "F15", /#DIV\/0!/);
  });
  it("HELD: t=str / inlineStr / quotePrefix / full-width / spaces / 0.1+0.2 / -0 / 1.5E+3 read as shown", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", `t="str"`, "<v>12</v>");
    setCell(f, "D15", `t="inlineStr"`, "<is><r><t>1</t></r><r><t>3</t></r></is>");
    setCell(f, "D16", `s="${addStyle(f, 0, undefined, ' quotePrefix="1"')}" t="s"`, `<v>${addShared(f, "<t>0007</t>")}</v>`);
    setCell(f, "D17", `t="inlineStr"`, "<is><t xml:space=\"preserve\"> １，４７０ </t></is>");
    setCell(f, "D12", "", "<v>0.30000000000000004</v>");
    setCell(f, "D18", "", "<v>-0</v>");
    setCell(f, "D21", "", "<v>1.5E+3</v>");
    setCell(f, "D22", "", "<v>30.299999999999997</v>");
    const res = await upload(u, f); log("plain", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    const v = res.body.values;
    expect([v.cn_famous_brands, v.inspection_exempt, v.prov_iconic_brands, v.prov_famous_brands, v.work_funds, v.geo_indication, v.brand_enterprises, v.brand_output]).toEqual([12, 13, 7, 1470, "0.30", 0, 1500, "30.30"]);
    console.log("### plain values", JSON.stringify([v.cn_famous_brands, v.inspection_exempt, v.prov_iconic_brands, v.prov_famous_brands, v.work_funds, v.geo_indication, v.brand_enterprises, v.brand_output]));
  });
  it("HELD: formula with cached result and shared-formula child in input cells are refused", async () => {
    const { u, f } = await sheet();
    setCell(f, "D14", "", `<f t="shared" ref="D14:D15" si="0">1+1</f><v>2</v>`);
    setCell(f, "D15", "", `<f t="shared" si="0"/><v>2</v>`);
    const res = await upload(u, f); log("formula", res);
    refusedAt(res, "D14", /公式/);
  });
  it("HELD: a figure typed over the computed rate D25 is refused on D25", async () => {
    const { u, f } = await sheet();
    setCell(f, "D25", "", `<v>55</v>`);
    const res = await upload(u, f); log("over formula", res);
    refusedAt(res, "D25");
  });
  it("FIXED (was FINDING): 1904 date system: a date in the text answer reads as the date the cell shows", async () => {
    const { u, f } = await sheet();
    put(f, "xl/workbook.xml", text(f, "xl/workbook.xml").replace("<workbookPr ", `<workbookPr date1904="1" `));
    setCell(f, "D56", `s="${addStyle(f, 14)}"`, "<v>44255</v>"); // 2025-03-01 in the 1904 system
    const res = await upload(u, f); log("1904", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values.remarks).toBe("2025/3/1");
  });
  it("HELD: rPh phonetic runs in a shared string are not read into the text", async () => {
    const { u, f } = await sheet();
    setCell(f, "D56", `t="s"`, `<v>${addShared(f, `<t>山西</t><rPh sb="0" eb="2"><t>シャンシー</t></rPh><phoneticPr fontId="1"/>`)}</v>`);
    const res = await upload(u, f); log("rPh", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values.remarks).toBe("山西");
  });
  it("FIXED (was FINDING, low): a boolean in the text answer reads TRUE as Excel shows it", async () => {
    const { u, f } = await sheet();
    setCell(f, "D56", `t="b"`, `<v>1</v>`);
    const res = await upload(u, f); log("bool text", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values.remarks).toBe("TRUE");
  });
  it("FIXED (was FINDING, low): text answer with a zero-padded format 000000 reads 000101 as shown", async () => {
    const { u, f } = await sheet();
    setCell(f, "D56", `s="${addStyle(f, 180, "000000")}"`, `<v>101</v>`);
    const res = await upload(u, f); log("zeropad text", res);
    expect([200, 201], JSON.stringify(res.body).slice(0, 300)).toContain(res.status);
    expect(res.body.values.remarks).toBe("000101");
  });
  // Decided (README, value domain): a format that hides decimals changes what the cell shows, not
  // what it holds; the figure is the value the official typed, as Excel's own sums take it.
  it("DECIDED: an amount 12.3 under the format 0 (shows 12) is stored as the 12.30 it holds", async () => {
    const { u, f } = await sheet();
    setCell(f, "D12", `s="${addStyle(f, 1)}"`, `<v>12.3</v>`);
    const res = await upload(u, f); log("rounded fmt", res);
    expect(res.status).toBe(200); // a later revision of a report already submitted
    expect(res.body.values?.work_funds).toBe("12.30");
  });
  it("NOTE: amount scaled by #,##0, (2450000 shows 2,450) is refused only because a rate goes past 100", async () => {
    const { u, f } = await sheet();
    setCell(f, "D24", `s="${addStyle(f, 181, "#,##0,")}"`, `<v>2450000</v>`);
    const res = await upload(u, f); log("scaled fmt", res);
    console.log("### scaled", res.body.values?.brand_exports);
    expect(res.status).toBe(422);
  });
  it("HELD: two copies of this round's sheet refused naming both; blank sheet first read fine", async () => {
    const { u, f } = await sheet();
    f["xl/worksheets/sheet2.xml"] = f["xl/worksheets/sheet1.xml"]!;
    put(f, "xl/workbook.xml", text(f, "xl/workbook.xml").replace("</sheets>", `<sheet sheetId="2" name="备份" r:id="rId99"/></sheets>`));
    put(f, "xl/_rels/workbook.xml.rels", text(f, "xl/_rels/workbook.xml.rels").replace("</Relationships>", `<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`));
    put(f, "[Content_Types].xml", text(f, "[Content_Types].xml").replace("</Types>", `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`));
    const res = await upload(u, f); log("two copies", res);
    refusedAt(res, "备份");
  });
  it("HELD: a column inserted before 本期数值 is one message at D4", async () => {
    const { u, f } = await sheet();
    let x = text(f, "xl/worksheets/sheet1.xml");
    const shift = (c: string) => String.fromCharCode(c.charCodeAt(0) + 1);
    x = x.replace(/<c r="([D-G])(\d+)"/g, (_m, c, r) => `<c r="${shift(c)}${r}"`);
    put(f, "xl/worksheets/sheet1.xml", x);
    const res = await upload(u, f); log("insert col", res);
    refusedAt(res, "D4", /本期数值/);
  });
});
