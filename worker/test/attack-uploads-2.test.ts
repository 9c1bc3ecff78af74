// The second independent attack (on the hardened upload reader and text checks), kept as tests:
// each failed while its finding existed. No timings: what is asserted is what the parser is shown
// and what is refused.
import { describe, expect, it } from "vitest";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import ExcelJS from "exceljs/excel.js";
import { fillIndex } from "@tianbao/shared";
import { DEMO_PAST_VALUES, Exact } from "@tianbao/shared";
import { checkAndTrim, readUploadedGrid } from "../src/upload/read-xlsx";
import { api, builtinCompiled, ensureDemo, json, login } from "./helpers";

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
function xlsx(o: { sheet?: string; workbookExtra?: string; styles?: string; sst?: string } = {}): Uint8Array {
  const sheet = o.sheet ?? '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hi</t></is></c></row></sheetData>';
  const files: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>${o.workbookExtra ?? ""}</workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${o.styles ? `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/>` : ""}${o.sst ? `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ""}</Relationships>`,
    "xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}>${sheet}</worksheet>`,
  };
  if (o.styles) files["xl/styles.xml"] = o.styles;
  if (o.sst) files["xl/sharedStrings.xml"] = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>${o.sst}</sst>`;
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])), { level: 9 });
}


describe("second attack: the upload reader", () => {
  it("S1 a defined name over a huge range never reaches the parser: the workbook keeps only its sheet list", async () => {
    const bytes = xlsx({ workbookExtra: '<definedNames><definedName name="x">S!$A$1:$XFD$1048576</definedName></definedNames>' });
    const parts = new Map(Object.entries(unzipSync(bytes)));
    checkAndTrim(parts);
    const book = strFromU8(parts.get("xl/workbook.xml")!);
    expect(book).toContain("<sheets>");
    expect(book).not.toContain("definedName");
    expect((await readUploadedGrid(bytes)).ok).toBe(true);
  });

  it("S2 a cell whose r attribute follows a quoted '>' is still placed, and dropped outside the fill area", async () => {
    const r = await readUploadedGrid(xlsx({ sheet: '<sheetData><row r="1"><c foo=">" r="B1" t="inlineStr"><is><t>kept</t></is></c></row><row r="1048576"><c foo=">" r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row><row r="3"><c foo="/>" r="XFD3"><v>1</v></c><c><v>2</v></c></row></sheetData>' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.grid[0]?.[1]).toBe("kept");
    expect(r.value.outsideArea).toBe(3); // dropped, and counted: the units-and-accounts upload refuses such a file
    expect(r.value.grid.length).toBeLessThanOrEqual(3);
    expect(Math.max(0, ...r.value.grid.map((row) => row.length))).toBeLessThanOrEqual(26);
  });

  it("S3 styles past Excel's own limit of distinct formats are refused; an ordinary number of styles is read", async () => {
    const styles = (n: number) => `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}><cellXfs count="${n}">${"<xf/>".repeat(n)}</cellXfs></styleSheet>`;
    const hostile = await readUploadedGrid(xlsx({ styles: styles(1_000_000) }));
    expect(hostile.ok).toBe(false);
    if (!hostile.ok) expect(hostile.status).toBe(413);
    expect((await readUploadedGrid(xlsx({ styles: styles(500) }))).ok).toBe(true);
  });

  it("S4 a cell's text is measured whole: a shared string written <si > and an inline string in 10,000 runs are refused past 32,767 characters", async () => {
    const a = await readUploadedGrid(xlsx({ sst: `<si ><t>${"a".repeat(100_000)}</t></si>`, sheet: '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>' }));
    const b = await readUploadedGrid(xlsx({ sheet: `<sheetData><row r="1"><c r="A1" t="inlineStr"><is>${"<r><t>aaaaaaaaaa</t></r>".repeat(10_000)}</is></c></row></sheetData>` }));
    for (const r of [a, b]) { expect(r.ok).toBe(false); if (!r.ok) expect(r.status).toBe(413); }
  });

  it("S6 a part that is not UTF-8 is refused, not guessed at", async () => {
    const bytes = unzipSync(xlsx());
    bytes["xl/worksheets/sheet1.xml"] = new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x77, 0x00]);
    const r = await readUploadedGrid(zipSync(bytes));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(415);
  });

  it("S5 an uploaded note written _xFFFE_ (exceljs decodes it to U+FFFE) is refused by cell, as the JSON route refuses it", async () => {
    await ensureDemo();
    const token = await login("yangcheng");
    const path = "/rounds/r2025/submissions/yangcheng";
    const src = { values: DEMO_PAST_VALUES["yangcheng"]! };
    const cur = await api(path, { token });
    const etag = cur.headers.get("etag") ?? '"0"';
    const put = await api(path, { method: "PUT", token, headers: { "if-match": etag }, json: { values: src.values, acknowledgeWarnings: true } });
    expect(put.status).toBe(201);
    const tpl = await api(`${path}/template.xlsx`, { token });
    expect(tpl.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await tpl.arrayBuffer());
    const index = fillIndex(builtinCompiled());
    const row = index.rows.find((r) => r.kind === "indicator")!;
    const code = row.kind === "indicator" ? row.indicator.code : "";
    wb.worksheets[0]!.getCell(row.row + 1, 6).value = "PLACEHOLDERQQ";
    const files = unzipSync(new Uint8Array(await wb.xlsx.writeBuffer()));
    let hit = false;
    for (const [name, data] of Object.entries(files)) {
      const s = strFromU8(data);
      if (s.includes("PLACEHOLDERQQ")) { files[name] = strToU8(s.replace("PLACEHOLDERQQ", "note_xFFFE_")); hit = hit || name === "xl/sharedStrings.xml"; }
    }
    expect(hit).toBe(true);
    const up = await api(`${path}/upload?acknowledgeWarnings=1`, { method: "POST", token, body: zipSync(files) });
    expect(up.status).toBe(422);
    const body = await json<{ error: { where: string; message: { zh: string } } }>(up);
    expect(body.error.where).toBe(`F${row.row + 1}`);
    expect(body.error.message.zh).toContain("控制字符");
    expect(code).not.toBe("");
  }, 60_000);
});

describe("second attack: JSON numbers cost nothing to refuse", () => {
  it("S7 a number of 60,000 digits or with a 6-digit exponent is never worked on exactly, and is refused", async () => {
    expect(Exact.exactFromNumberText(`0.${"7".repeat(60_000)}`)).toBeNull(); // no quadratic BigInt work on it
    expect(Exact.exactFromNumberText("1e999999")).toBeNull(); // no 10n ** 999999n
    expect(Exact.exactFromNumberText("1e300")).not.toBeNull();
    await ensureDemo();
    const long = await api("/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: `{"username":"nobody","password":"x","n":0.${"7".repeat(60_000)}}` });
    expect(long.status).toBe(422);
    const token = await login("zezhou");
    const cur = await api("/rounds/r2025/submissions/zezhou", { token });
    const put = (literal: string) => api("/rounds/r2025/submissions/zezhou", {
      method: "PUT", token, headers: { "if-match": cur.headers.get("etag") ?? '"0"', "content-type": "application/json" },
      body: JSON.stringify({ values: { ...DEMO_PAST_VALUES.zezhou!, products: "__X__" }, acknowledgeWarnings: true }).replace('"__X__"', literal),
    });
    for (const literal of ["1e999999", `0.${"7".repeat(5_000)}`, "1e-7"]) expect((await put(literal)).status, literal).toBe(422);
  });
});
