// Issue 25: the demo's list sheet (质兴4表附表) as LibreOffice opens it — the workbook the Worker renders opens
// and saves again, the list's rows are there with their 序号 as LibreOffice computes it (the reader's
// numbering: a blank row is not counted), the sheet stays protected with its open rows unlocked and each
// field's rule kept, and the saved file reads back through the upload reader to the same list.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, buildFillPlans, cellAddress, compileTemplate, columnLetter, detailExtent, fillBook, pageOf, parseFillBook, validateLists,
} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { fillReadFor, readUploadedWorkbook } from "../src/upload/read-xlsx";
import { PYTHON, convert, haveLibreOffice, readWorkbook } from "./libreoffice";
import { linesOf, readPdfText } from "./pdf";

if (!haveLibreOffice) console.warn("SKIPPED: LibreOffice and python3-openpyxl are not installed (scripts/setup-system.sh); the list sheet cannot be checked in a real engine.");

const compiled = (() => { const r = compileTemplate(DEMO_BRANDS_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();
const page = pageOf(fillBook(compiled), "producers");
if (page?.kind !== "detail") throw new Error("the list's page");
const geo = page.geometry;
const lastField = columnLetter(geo.checkCol - 1);
const rows = validateLists(compiled, { producers: DEMO_BRAND_PRODUCERS.zezhou! }).lists.producers!;

// openpyxl (an independent reader) on what LibreOffice saved: the sheet's protection, cells' locks, its rules
const PROTECTION = `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = [w for w in wb.worksheets if w.title.endswith(sys.argv[2])][0]
print(json.dumps({"protected": bool(ws.protection.sheet), "locked": {a: bool(ws[a].protection.locked) for a in sys.argv[3].split(",")},
  "rules": sorted([[str(dv.sqref), dv.type, dv.formula1, dv.formula2] for dv in ws.data_validations.dataValidation])}, ensure_ascii=False))
`;
function protection(bytes: Uint8Array, sheet: string, cells: string[]): { protected: boolean; locked: Record<string, boolean>; rules: [string, string, string | null, string | null][] } {
  const dir = mkdtempSync(join(tmpdir(), "tianbao-protect-"));
  writeFileSync(join(dir, "book.xlsx"), bytes);
  writeFileSync(join(dir, "read.py"), PROTECTION);
  return JSON.parse(execFileSync(PYTHON, [join(dir, "read.py"), join(dir, "book.xlsx"), sheet, cells.join(",")], { encoding: "utf8" })) as ReturnType<typeof protection>;
}

describe.skipIf(!haveLibreOffice)("the list sheet in LibreOffice", () => {
  it("opens and saves again with the unit's rows, 序号 counting the rows used (a blank row in between not counted), protected with the open rows unlocked and each field's rule kept", async () => {
    const plans = buildFillPlans(compiled, { roundId: "r2025", period: "2025", issuer: "晋城市", unit: { id: "zezhou", name: "泽州县" }, lists: { producers: rows } });
    const list = plans.find((p) => p.name.endsWith("-质兴4表附表"))!;
    // the official cleared the third row: a blank row between rows 2 and 3
    for (const cell of list.cells) if (cell.row === geo.firstRow + 2 && !cell.locked) cell.value = null;
    const saved = new Uint8Array(convert(new Uint8Array(await renderWorkbook(plans)), "fill.xlsx", "xlsx"));

    const sheet = readWorkbook(saved).get(list.name)!;
    const numbers = Array.from({ length: 9 }, (_, i) => sheet[geo.firstRow + i]?.[0]);
    // LibreOffice's own results: 1, 2, the blank row carrying 2 (hidden by its format), then 3…6, the open rows carrying 6
    expect(numbers).toEqual([1, 2, -2, 3, 4, 5, 6, -6, -6]);
    expect(sheet[geo.lastRow]?.[0]).toBe(-6);
    expect(sheet[geo.firstRow]!.slice(1, geo.checkCol)).toEqual([rows[0]!.firm, rows[0]!.uscc, "焦炭", "山西名牌", 2015, 18.5, 2.9, 820]);

    const p = protection(saved, "-质兴4表附表", [`B${geo.firstRow + 1}`, `${lastField}${geo.lastRow + 1}`, `A${geo.firstRow + 1}`, `B${geo.headerRow + 1}`, `B${geo.codesRow + 1}`, cellAddress(geo.lastRow + 1, 1)]);
    expect(p.protected).toBe(true);
    expect(p.locked).toEqual({ [`B${geo.firstRow + 1}`]: false, [`${lastField}${geo.lastRow + 1}`]: false, [`A${geo.firstRow + 1}`]: true, [`B${geo.headerRow + 1}`]: true, [`B${geo.codesRow + 1}`]: true, [cellAddress(geo.lastRow + 1, 1)]: true });
    const range = (field: string) => { const c = columnLetter(geo.colOf.get(field)!); return `${c}${geo.firstRow + 1}:${c}${geo.lastRow + 1}`; };
    expect(p.rules.map((r) => r.slice(0, 3))).toContainEqual([range("level"), "list", '"中国名牌,山西名牌"']);
    expect(p.rules).toContainEqual([range("year"), "whole", "1990", "2100"]);
    expect(p.rules.map((r) => r[0])).toContain(range("uscc"));

    // and it reads back through the upload reader to the list the official left: six rows, the blank one said
    const read = await readUploadedWorkbook(saved, fillReadFor(detailExtent(fillBook(compiled))));
    if (!read.ok) throw new Error(JSON.stringify(read.body));
    const parsed = parseFillBook(compiled, read.value.map((s) => ({ name: s.sheetName, grid: s.grid, formulaCells: s.formulaCells, errors: s.errors, shown: s.shown, formatted: s.formatted })), { roundId: "r2025", unitId: "zezhou" });
    if (!parsed.ok) throw new Error(parsed.error.message.en);
    expect(validateLists(compiled, parsed.lists).lists.producers).toEqual([...rows.slice(0, 2), ...rows.slice(3)]);
    // the reader's row N is the row LibreOffice numbers N
    expect(parsed.rowsAt.producers!.map((row) => sheet[row]?.[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parsed.notices.map((n) => n.cell)).toEqual([`A${geo.firstRow + 3}`]);
  });

  it("prints the rows as drawn and a few open ones on one landscape page, not 2,000 empty lines, the headings and the 填报说明 on it, text at 10 pt or more", async () => {
    const plans = buildFillPlans(compiled, { roundId: "r2025", period: "2025", issuer: "晋城市", unit: { id: "zezhou", name: "泽州县" }, lists: { producers: rows } });
    const list = plans.find((p) => p.name.endsWith("-质兴4表附表"))!;
    const pages = readPdfText(convert(new Uint8Array(await renderWorkbook([list])), "list.xlsx", "pdf:calc_pdf_Export"));
    expect(pages).toHaveLength(1);
    const lines = linesOf(pages[0]!);
    expect(lines.join("")).toContain("填报说明：每个名牌产品一行");
    // the headings (a long one wraps in its cell), then the 栏次 codes and the rows
    expect(lines.some((l) => l.startsWith("序号企业名称 *统一社会信用代码 *产品 *品牌级别 *获评年份"))).toBe(true);
    expect(lines.some((l) => l.startsWith("栏次firmusccproductlevelyearoutputtax"))).toBe(true);
    expect(lines.some((l) => l.startsWith(`7${String(rows[6]!.firm)}`))).toBe(true);
    expect(Math.min(...pages.flat().map((r) => r.size))).toBeGreaterThanOrEqual(10 * 0.65);
  });
});
