// The reader's messages send people the right way (issue 20): a password-protected workbook is
// named as such, an embedded object is skipped rather than called "not UTF-8", and a file this
// reader cannot parse is not called damaged.
import { describe, expect, it } from "vitest";
import { strToU8, zipSync } from "fflate";
import { readUploadedGrid } from "../src/upload/read-xlsx";

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
function parts(sheet: string): Record<string, Uint8Array> {
  const files: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    "xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}>${sheet}</worksheet>`,
  };
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]));
}
const CELL = '<sheetData><row r="1"><c r="A1"><v>42</v></c></row></sheetData>';

/** An OLE compound file as Office writes an encrypted workbook: its directory names EncryptedPackage. */
function encryptedWorkbook(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  for (const [at, name] of [[1024, "EncryptionInfo"], [1152, "EncryptedPackage"]] as const) {
    [...name].forEach((ch, i) => { bytes[at + 2 * i] = ch.charCodeAt(0); });
  }
  return bytes;
}

describe("what the reader says about files it cannot read", () => {
  it("a password-protected workbook is told to remove the password, not that only .xlsx is accepted", async () => {
    const r = await readUploadedGrid(encryptedWorkbook());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(415);
    expect(r.body.error.message.zh).toContain("密码");
    expect(r.body.error.message.en).toContain("password");
  });

  it("an old .xls (an OLE file without encryption) is still told to save as .xlsx", async () => {
    const bytes = encryptedWorkbook();
    bytes.fill(0, 1024); // no EncryptedPackage stream
    const r = await readUploadedGrid(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.body.error.message.zh).toContain(".xlsx");
  });

  it("an embedded object (a workbook inside the workbook) is skipped, and the sheet is read", async () => {
    const files = { ...parts(CELL), "xl/embeddings/Microsoft_Excel_Worksheet.xlsx": new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81]) };
    const r = await readUploadedGrid(zipSync(files));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) expect(r.value.grid[0]?.[0]).toBe(42);
  });

  it("markup this reader cannot parse is refused as unreadable here, never called damaged", async () => {
    const r = await readUploadedGrid(zipSync(parts('<sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData>')));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(400);
    expect(r.body.error.message.zh).not.toContain("损坏");
    expect(r.body.error.message.zh).toContain("无法被本系统读取");
  });
});
