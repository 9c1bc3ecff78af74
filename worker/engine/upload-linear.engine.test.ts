// Issue 21, finding 1: a 2 KB upload whose parts hold many unclosed <si>, <c> or <row> tags cost
// CPU quadratic in the tag count (160,000 tags: 31.8 s, every other request waiting). The reader
// now tokenizes each part once. Measured here in Node, where the clock runs during CPU work (in
// workerd it only moves on I/O): 10× the tags must cost about 10× the time — a ratio within one
// run, never a wall-clock limit. A quadratic reader shows ~100×.
import { describe, expect, it } from "vitest";
import { strToU8, zipSync } from "fflate";
import { readUploadedGrid } from "../src/upload/read-xlsx";

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
function workbook(sheetData: string, sst = ""): Uint8Array {
  const files: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    "xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${sheetData}</sheetData></worksheet>`,
    "xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>${sst}</sst>`,
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])), { level: 9 });
}

/** CPU time of reading a file, the best of three (the least disturbed by anything else running). */
async function cost(bytes: Uint8Array): Promise<{ ms: number; status: number }> {
  let best = Infinity;
  let status = 0;
  for (let i = 0; i < 3; i++) {
    const t = process.cpuUsage();
    const r = await readUploadedGrid(bytes);
    const used = process.cpuUsage(t);
    best = Math.min(best, (used.user + used.system) / 1000);
    status = r.ok ? 200 : r.status;
  }
  return { ms: best, status };
}

/** Each shape, and whether the file is refused (4xx) or read (a cell with no position is dropped). */
const SHAPES: Record<string, [(n: number) => Uint8Array, "refused" | "read"]> = {
  "unclosed <si>": [(n) => workbook("", "<si>".repeat(n)), "refused"],
  "unclosed <row>": [(n) => workbook("<row>".repeat(n)), "refused"],
  "unclosed <c>": [(n) => workbook(`<row r="1">${"<c>".repeat(n)}`), "refused"],
  "<c with no end": [(n) => workbook(`<row r="1">${"<c ".repeat(n)}`), "refused"],
  "attribute names with no =": [(n) => workbook(`<row r="1"><c ${"a".repeat(n * 3)}></c></row>`), "read"],
};

describe("the upload reader's time is linear in what it reads (issue 21, finding 1)", () => {
  for (const [shape, [make, outcome]] of Object.entries(SHAPES)) {
    it(`${shape}: 10× the tags costs about 10× the CPU, and the file is ${outcome === "refused" ? "refused with a 4xx" : "read"}`, async () => {
      const small = make(16_000);
      const large = make(160_000);
      expect(large.length).toBeLessThan(40_000); // a few KB on the wire, as in the attack
      await cost(small); // warm up the code paths
      const a = await cost(small);
      const b = await cost(large);
      console.log(`${shape}: ${small.length} B → ${a.ms.toFixed(1)} ms; ${large.length} B → ${b.ms.toFixed(1)} ms (×${(b.ms / Math.max(a.ms, 0.5)).toFixed(1)})`);
      if (outcome === "refused") expect(a.status).toBeGreaterThanOrEqual(400);
      else expect(a.status).toBe(200);
      expect(a.status).toBeLessThan(500);
      expect(b.status).toBe(a.status);
      // linear: ~10×, with room for noise on a shared machine; quadratic would be ~100×
      expect(b.ms / Math.max(a.ms, 2)).toBeLessThan(30);
    });
  }
});
