import { describe, expect, it } from "vitest";
import { strToU8, zipSync } from "fflate";
import { readUploadedWorkbook } from "../src/upload/read-xlsx";

/** Round-4 attack on the upload reader: CPU and memory that grow faster than the file. */

const CT = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WB_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
const NS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`;
const workbookXml = (sheets = `<sheet name="S" sheetId="1" r:id="rId1"/>`) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${NS}><sheets>${sheets}</sheets></workbook>`;

function styles(numFmts: string[]): string {
  const fmts = numFmts.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${f.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")}"/>`).join("");
  const xfs = numFmts.map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="${numFmts.length}">${fmts}</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${numFmts.length + 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>${xfs}</cellXfs></styleSheet>`;
}

const col = (i: number) => String.fromCharCode(65 + i);
/** n cells in A–Z, row by row, each given by `cell(ref, k)`. */
function sheet(n: number, cell: (ref: string, k: number) => string): string {
  const rows: string[] = [];
  for (let k = 0, r = 1; k < n; r++) {
    const cells: string[] = [];
    for (let c = 0; c < 26 && k < n; c++, k++) cells.push(cell(`${col(c)}${r}`, k));
    rows.push(`<row r="${r}">${cells.join("")}</row>`);
  }
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>${rows.join("")}</sheetData></worksheet>`;
}

function xlsx(parts: { sheet: string; styles?: string; shared?: string; workbook?: string }): Uint8Array {
  return zipSync({
    "[Content_Types].xml": strToU8(CT),
    "_rels/.rels": strToU8(RELS),
    "xl/workbook.xml": strToU8(parts.workbook ?? workbookXml()),
    "xl/_rels/workbook.xml.rels": strToU8(WB_RELS),
    "xl/worksheets/sheet1.xml": strToU8(parts.sheet),
    "xl/styles.xml": strToU8(parts.styles ?? styles(["0"])),
    "xl/sharedStrings.xml": strToU8(parts.shared ?? `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>`),
  }, { level: 9 });
}

async function cpuOf(bytes: Uint8Array): Promise<{ ms: number; result: Awaited<ReturnType<typeof readUploadedWorkbook>> }> {
  const s = process.cpuUsage();
  const result = await readUploadedWorkbook(bytes);
  const u = process.cpuUsage(s);
  return { ms: (u.user + u.system) / 1000, result };
}

describe("round 4: upload reader cost", () => {
  it("FIXED (was FINDING): a numFmt of N '[' characters costs CPU quadratic in N for every number cell (exceljs isDateFmt)", async () => {
    // The styles part is kept whole; exceljs tests every styled number cell's format with
    // /\[[^\]]*]/g, which backtracks to the end of the string from every '['.
    const file = (fmt: string, cells: number) => xlsx({ styles: styles([fmt]), sheet: sheet(cells, (ref) => `<c r="${ref}" s="1"><v>1</v></c>`) });
    const n = 30_000;
    const baseline = await cpuOf(file("0".repeat(n), 20));
    const attack = await cpuOf(file("[".repeat(n), 20));
    const size = file("[".repeat(n), 20).length;
    console.log(`numFmt '['×${n} on 20 cells: file ${size} B, ${attack.ms.toFixed(0)} ms vs same-size plain format ${baseline.ms.toFixed(0)} ms`);
    expect(size).toBeLessThan(3_000);
    expect(attack.ms).toBeLessThan(Math.max(5 * baseline.ms, 500));
  }, 120_000);

  it("FIXED: at Excel's own limit of 255 characters, a format of '[' on 30,000 cells costs about what a plain one does", async () => {
    const file = (fmt: string) => xlsx({ styles: styles([fmt]), sheet: sheet(30_000, (ref) => `<c r="${ref}" s="1"><v>1</v></c>`) });
    const plain = await cpuOf(file("0".repeat(255)));
    const attack = await cpuOf(file("[".repeat(255)));
    console.log(`numFmt '['×255 on 30,000 cells: ${attack.ms.toFixed(0)} ms vs plain ${plain.ms.toFixed(0)} ms; ok=${attack.result.ok}`);
    expect(attack.result.ok).toBe(true);
    expect(attack.ms).toBeLessThan(Math.max(5 * plain.ms, 1_000));
  }, 120_000);

  it("FIXED (was FINDING): a percent format holding a long literal makes the shown text of every cell huge (memory far past the file)", async () => {
    const lit = "x".repeat(20_000);
    const cells = 5_000;
    const bytes = xlsx({ styles: styles([`"${lit}"0%`]), sheet: sheet(cells, (ref) => `<c r="${ref}" s="1"><v>1</v></c>`) });
    const before = process.memoryUsage().heapUsed;
    const { ms, result } = await cpuOf(bytes);
    const after = process.memoryUsage().heapUsed;
    let shownChars = 0;
    if (result.ok) for (const s of result.value) for (const v of s.shown.values()) shownChars += v.text.length;
    console.log(`long literal %: file ${bytes.length} B, ok=${result.ok}, shown text ${shownChars} chars, heap +${((after - before) / 1e6).toFixed(0)} MB, ${ms.toFixed(0)} ms`);
    expect(bytes.length).toBeLessThan(20_000);
    // what the reader keeps must stay within what the file may hold unpacked (20 MB)
    expect(shownChars).toBeLessThan(20_000_000);
  }, 120_000);

  it("FIXED (was FINDING): one shared string of many empty runs referenced by every cell costs runs × cells", async () => {
    const runs = 60_000;
    const cells = 5_000;
    const si = (r: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si>${r}</si></sst>`;
    const sh = sheet(cells, (ref) => `<c r="${ref}" t="s"><v>0</v></c>`);
    const attackFile = xlsx({ sheet: sh, shared: si("<r><t></t></r>".repeat(runs)) });
    // baseline: the same runs in the shared-strings part, referenced by no cell
    const baseFile = xlsx({ sheet: sheet(cells, (ref) => `<c r="${ref}"><v>1</v></c>`), shared: si("<r><t></t></r>".repeat(runs)) });
    const base = await cpuOf(baseFile);
    const attack = await cpuOf(attackFile);
    console.log(`empty runs: file ${attackFile.length} B, ${attack.ms.toFixed(0)} ms vs ${base.ms.toFixed(0)} ms unreferenced; ok=${attack.result.ok}`);
    expect(attack.ms).toBeLessThan(Math.max(5 * base.ms, 1_000));
  }, 120_000);
});

describe("round 4: upload reader cost, other constructs", () => {
  const plainCells = (n: number) => sheet(n, (ref, k) => `<c r="${ref}"><v>${k}</v></c>`);
  const report = (label: string, bytes: Uint8Array, ms: number, base: number, ok: boolean) =>
    console.log(`${label}: file ${bytes.length} B, ${ms.toFixed(0)} ms vs baseline ${base.toFixed(0)} ms, ok=${ok}`);

  it("HELD: 150,000-deep nesting inside one cell (kept by the trim) stays cheap", async () => {
    const d = 150_000;
    const deep = xlsx({ sheet: sheet(1, (ref) => `<c r="${ref}"><v>1</v>${"<x>".repeat(d)}${"</x>".repeat(d)}</c>`) });
    const flat = xlsx({ sheet: sheet(1, (ref) => `<c r="${ref}"><v>1</v>${"<x/>".repeat(d)}</c>`) });
    const b = await cpuOf(flat);
    const a = await cpuOf(deep);
    report("deep nesting", deep, a.ms, b.ms, a.result.ok);
    expect(a.ms).toBeLessThan(Math.max(5 * b.ms, 1_000));
  }, 120_000);

  it("HELD: 200,000 attributes on the worksheet's root tag (kept verbatim) stay cheap", async () => {
    const attrs = Array.from({ length: 200_000 }, (_, i) => ` a${i}="1"`).join("");
    const soup = xlsx({ sheet: plainCells(100).replace("<worksheet ", `<worksheet${attrs} `) });
    const base = xlsx({ sheet: plainCells(100).replace("<sheetData>", `<sheetPr>${Array.from({ length: 200_000 }, (_, i) => `<a${i}/>`).join("")}</sheetPr><sheetData>`) });
    const b = await cpuOf(base);
    const a = await cpuOf(soup);
    report("root attribute soup", soup, a.ms, b.ms, a.result.ok);
    expect(a.ms).toBeLessThan(Math.max(5 * b.ms, 1_000));
  }, 120_000);

  it("HELD: 20,000 sheet entries naming one 2,000-cell worksheet part", async () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => `<sheet name="S${i}" sheetId="${i + 1}" r:id="rId1"/>`).join("");
    const many = xlsx({ workbook: workbookXml(entries), sheet: plainCells(2_000) });
    const one = xlsx({ sheet: plainCells(2_000) });
    const b = await cpuOf(one);
    const a = await cpuOf(many);
    const sheets = a.result.ok ? a.result.value.length : -1;
    report(`20,000 sheet entries (${sheets} sheets read)`, many, a.ms, b.ms, a.result.ok);
    expect(a.ms).toBeLessThan(Math.max(20 * b.ms, 2_000));
  }, 120_000);

  it("HELD: 4,000 distinct 2 KB percent formats on 4,000 cells (numfmt parses each)", async () => {
    const fmts = Array.from({ length: 4_000 }, (_, i) => `${"\\x".repeat(1_000)}0.${"0".repeat(i % 10)}%`);
    const bytes = xlsx({ styles: styles(fmts), sheet: sheet(4_000, (ref, k) => `<c r="${ref}" s="${k + 1}"><v>0.5</v></c>`) });
    const base = xlsx({ styles: styles(fmts), sheet: sheet(4_000, (ref) => `<c r="${ref}"><v>0.5</v></c>`) });
    const b = await cpuOf(base);
    const a = await cpuOf(bytes);
    report("4,000 distinct 2 KB formats", bytes, a.ms, b.ms, a.result.ok);
    expect(a.ms).toBeLessThan(Math.max(5 * b.ms, 2_000));
  }, 120_000);

  it("HELD: comments, processing instructions and CDATA soup inside sheetData and cells", async () => {
    const soup = xlsx({ sheet: sheet(2_000, (ref, k) => `<c r="${ref}"><!--${"-".repeat(0)}x--><?pi a?><v>${k}</v><![CDATA[${"]".repeat(100)}]]></c>`).replace("<sheetData>", `<sheetData>${"<!--<row>--><?x <c>?>".repeat(100_000)}`) });
    const base = xlsx({ sheet: plainCells(2_000) });
    const b = await cpuOf(base);
    const a = await cpuOf(soup);
    report("comment/PI/CDATA soup", soup, a.ms, b.ms, a.result.ok);
    expect(a.ms).toBeLessThan(Math.max(10 * b.ms, 1_500));
  }, 120_000);
});
