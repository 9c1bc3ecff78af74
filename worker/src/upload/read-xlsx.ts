import "../export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { unzipSync } from "fflate";
import { readFillMeta, type CellValue } from "@tianbao/shared";
import { failure, ok, type Result } from "../errors";

/** What an uploaded file may be: small, few zip entries, bounded when unpacked, bounded in cells. */
export const UPLOAD_LIMITS = { bytes: 5_000_000, entries: 300, unpackedBytes: 60_000_000, cells: 50_000 };

const unsupported = () => failure(415, "unsupported_file", "只接受 .xlsx 文件（Excel 2007 及以后版本；WPS 表格请“另存为” .xlsx）", "Only .xlsx files are accepted (Excel 2007 or later; in WPS use Save As .xlsx)");
const corrupt = () => failure(400, "unsupported_file", "文件已损坏或不完整，无法读取。请重新保存后上传", "The file is damaged or incomplete and cannot be read; save it again and upload that");
const tooBig = (what: { zh: string; en: string }) => failure(413, "body_too_large", `文件过大：${what.zh}`, `The file is too large: ${what.en}`);

/**
 * Opens an uploaded workbook safely: checks the size and the zip's central directory (entry count
 * and declared sizes) before unpacking, unpacks into buffers of the declared sizes (a lying zip
 * bomb fails there), then reads the fill sheet's cells as plain values.
 */
export async function readUploadedGrid(bytes: Uint8Array): Promise<Result<{ grid: CellValue[][]; sheetName: string }>> {
  const L = UPLOAD_LIMITS;
  if (bytes.length > L.bytes) return tooBig({ zh: `超过 ${L.bytes / 1_000_000} MB`, en: `over ${L.bytes / 1_000_000} MB` });
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return unsupported();
  let entries = 0;
  let declared = 0;
  let hasWorkbook = false;
  try {
    unzipSync(bytes, { filter: (f) => { entries++; declared += f.originalSize; if (f.name === "xl/workbook.xml") hasWorkbook = true; return false; } });
  } catch {
    return corrupt();
  }
  if (entries > L.entries || declared > L.unpackedBytes) return tooBig({ zh: "压缩内容过多或过大", en: "too many or too large entries inside" });
  if (!hasWorkbook) return unsupported();
  try {
    unzipSync(bytes); // every entry inflated into a buffer of its declared size: a lying entry throws
  } catch {
    return corrupt();
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    return corrupt();
  }
  const sheets = wb.worksheets.map((ws) => ({ ws, grid: gridOf(ws) }));
  if (sheets.some((s) => s.grid === null)) return tooBig({ zh: `单元格超过 ${L.cells} 个`, en: `more than ${L.cells} cells` });
  const fill = sheets.find((s) => readFillMeta(s.grid!)) ?? sheets[0];
  if (!fill) return corrupt();
  return ok({ grid: fill.grid!, sheetName: fill.ws.name });
}

/** A worksheet's cells as plain values (formula results, rich text as text); null past the cell limit. */
function gridOf(ws: ExcelJS.Worksheet): CellValue[][] | null {
  const grid: CellValue[][] = [];
  let cells = 0;
  let over = false;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (over) return;
    const out: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (++cells > UPLOAD_LIMITS.cells) over = true;
      out[c - 1] = plain(cell.value);
    });
    grid[r - 1] = Array.from(out, (v) => v ?? null);
  });
  if (over) return null;
  return Array.from(grid, (row) => row ?? []);
}

function plain(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("result" in v) return plain((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join("");
    if ("text" in v) return String((v as { text: unknown }).text);
    if ("error" in v) return null;
  }
  return null;
}
