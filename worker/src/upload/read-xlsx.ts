import "../export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { Unzip, UnzipInflate, unzipSync, zipSync } from "fflate";
import { readFillMeta, type CellValue } from "@tianbao/shared";
import { failure, ok, type Result } from "../errors";

/**
 * What an uploaded file may be: small, few zip entries, bounded when unpacked (in all and per part),
 * bounded in cells and in characters per cell. Every limit is checked against what the file really
 * holds, while it is read: inflated bytes are counted as they come out, cells as they are found.
 */
export const UPLOAD_LIMITS = {
  bytes: 5_000_000, entries: 300, unpackedBytes: 20_000_000, partBytes: 10_000_000, cells: 50_000,
  // Excel's own limit for one cell's text (https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3)
  cellChars: 32_767,
};
/** Compressed bytes handed to the inflater at a time: bounds what one step can produce (~1 MB). */
const CHUNK = 1024;

const unsupported = () => failure(415, "unsupported_file", "只接受 .xlsx 文件（Excel 2007 及以后版本；WPS 表格请“另存为” .xlsx）", "Only .xlsx files are accepted (Excel 2007 or later; in WPS use Save As .xlsx)");
const corrupt = () => failure(400, "unsupported_file", "文件已损坏或不完整，无法读取。请重新保存后上传", "The file is damaged or incomplete and cannot be read; save it again and upload that");
const tooBig = (what: { zh: string; en: string }) => failure(413, "body_too_large", `文件过大：${what.zh}`, `The file is too large: ${what.en}`);

class Refused extends Error {
  constructor(readonly result: ReturnType<typeof failure>) { super("refused"); }
}

/** The zip's central directory: names and declared sizes, read without inflating anything. */
function directory(bytes: Uint8Array): Map<string, number> | null {
  const entries = new Map<string, number>();
  try {
    unzipSync(bytes, { filter: (f) => { entries.set(f.name, f.originalSize); return false; } });
  } catch {
    return null;
  }
  return entries;
}

/**
 * Inflates every entry as a stream, counting bytes as they come out: an entry that grows past its
 * declared size, the per-part limit or the total limit is refused at that moment, and one that ends
 * short of its declared size, or that the directory does not list, is refused as damaged.
 */
function inflateCounted(bytes: Uint8Array, declared: Map<string, number>): Map<string, Uint8Array> {
  const L = UPLOAD_LIMITS;
  const parts = new Map<string, Uint8Array[]>();
  const sizes = new Map<string, number>();
  let total = 0;
  const lying = () => new Refused(failure(400, "unsupported_file", "文件内部数据与其目录不符（可能被篡改或损坏），无法读取。请用 Excel 或 WPS 重新保存后上传", "The file's contents do not match its own directory (tampered or damaged); save it again in Excel or WPS and upload that"));
  const unzip = new Unzip((file) => {
    const size = declared.get(file.name);
    if (size === undefined || parts.has(file.name)) throw lying();
    const chunks: Uint8Array[] = [];
    parts.set(file.name, chunks);
    sizes.set(file.name, 0);
    file.ondata = (err, chunk) => {
      // fflate hands an error thrown below back here (its inflater catches it): keep what it was
      if (err) throw err instanceof Refused ? err : new Refused(corrupt());
      const got = sizes.get(file.name)! + chunk.length;
      total += chunk.length;
      if (got > size) throw lying();
      if (got > L.partBytes || total > L.unpackedBytes) throw new Refused(tooBig({ zh: `解压后超过 ${L.unpackedBytes / 1_000_000} MB`, en: `over ${L.unpackedBytes / 1_000_000} MB unpacked` }));
      sizes.set(file.name, got);
      chunks.push(chunk);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let i = 0; i < bytes.length; i += CHUNK) unzip.push(bytes.subarray(i, i + CHUNK), i + CHUNK >= bytes.length);
  if (parts.size !== declared.size) throw lying();
  const out = new Map<string, Uint8Array>();
  for (const [name, chunks] of parts) {
    if (sizes.get(name) !== declared.get(name)) throw lying();
    const buf = new Uint8Array(sizes.get(name)!);
    let at = 0;
    for (const c of chunks) { buf.set(c, at); at += c.length; }
    out.set(name, buf);
  }
  return out;
}

/**
 * The part of a sheet a fill sheet can occupy: columns A–Z and the rows of the largest template
 * (4 header rows, 50 sections, 1,000 indicators, a footer; 2,000 rows of units or accounts below
 * two header rows, with room to say a sheet is longer than that). Cells outside it are no part of any
 * fill sheet and are dropped before parsing, so a cell at XFD1048576 costs nothing.
 */
export const READ_AREA = { cols: 26, rows: 2100 };

const NS = "(?:[A-Za-z_][\\w.-]*:)?";
/** An element's attributes, quote-aware: a ">" or "/" inside a quoted value does not end the tag. */
const ATTRS = `((?:[^>"'/]|"[^"]*"|'[^']*'|/(?!>))*)`;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
const WORKSHEET_OPEN = new RegExp(`<(${NS})worksheet\\b${ATTRS}>`);
const WORKBOOK_OPEN = new RegExp(`<(${NS})workbook\\b${ATTRS}>`);
const WORKBOOK_KEEP = new RegExp(`<${NS}workbookPr\\b${ATTRS}/?>|<${NS}sheets\\b[\\s\\S]*?</${NS}sheets>`, "g");
const SHEET_DATA = new RegExp(`<${NS}sheetData\\b${ATTRS}(?:/>|>([\\s\\S]*?)</${NS}sheetData>)`);
const ROW = new RegExp(`<(${NS})row\\b${ATTRS}(?:/>|>([\\s\\S]*?)</${NS}row>)`, "g");
const CELL = new RegExp(`<${NS}c\\b${ATTRS}(?:/>|>([\\s\\S]*?)</${NS}c>)`, "g");
const TEXT_NODE = new RegExp(`<${NS}(?:v|t)\\b${ATTRS}>([^<]*)</${NS}(?:v|t)>`, "g");
const STRING_ITEM = new RegExp(`<${NS}si\\b${ATTRS}>([\\s\\S]*?)</${NS}si>`, "g");
const STYLE_ITEM = new RegExp(`<${NS}(?:xf|numFmt|font|fill|border|dxf|cellStyle)\\b`, "g");
/** Excel's own limit of distinct cell formats in a workbook (Excel specifications and limits). */
const MAX_STYLES = 65_000;

/** The parts besides worksheets that exceljs needs to read values: package, workbook, strings, styles. */
const PACKAGE_PARTS = /^(?:\[Content_Types\]\.xml|_rels\/\.rels|xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/styles\.xml|xl\/theme\/theme\d+\.xml|docProps\/(?:app|core)\.xml)$/;

const columnIndex = (letters: string): number => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const tooLong = () => new Refused(tooBig({ zh: `某个单元格的文字超过 ${UPLOAD_LIMITS.cellChars} 个字符`, en: `a cell holds more than ${UPLOAD_LIMITS.cellChars} characters` }));
const tooManyCells = () => new Refused(tooBig({ zh: `单元格超过 ${UPLOAD_LIMITS.cells} 个`, en: `more than ${UPLOAD_LIMITS.cells} cells` }));
const textLength = (inner: string): number => { let n = 0; for (const t of inner.matchAll(TEXT_NODE)) n += t[2]!.length; return n; };

/** An attribute's value, read the way an XML parser reads the tag (quoted values consumed whole). */
function attribute(attrs: string, name: string): string | null {
  for (const m of attrs.matchAll(ATTRIBUTE)) if (m[1] === name) return m[3] ?? m[4] ?? "";
  return null;
}

/**
 * Everything exceljs will be shown, checked and cut down before it parses anything:
 * - only the package, workbook, shared strings, styles and worksheets are kept, all UTF-8;
 * - the workbook keeps only its sheet list and date system (a defined name over A1:XFD1048576 would
 *   make exceljs create every cell of it); styles are counted up to Excel's own limit;
 * - every part that is a worksheet (whatever its name: exceljs loads any part whose name merely
 *   contains xl/worksheets/sheetN.xml) keeps only its cell data: merged ranges, data validations,
 *   conditional formats and the like are dropped, and so are rows and cells outside READ_AREA or
 *   whose position is not written on them;
 * - rows and cells are counted across all of them, as they are found;
 * - every cell's text (shared strings, inline strings in any number of runs, formula results) is
 *   measured as a whole.
 */
export function checkAndTrim(parts: Map<string, Uint8Array>): { outsideArea: number } {
  const L = UPLOAD_LIMITS;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const encoder = new TextEncoder();
  let cells = 0;
  let rows = 0;
  let outsideArea = 0;
  const unsupportedEncoding = () => new Refused(failure(415, "unsupported_file", "文件中有非 UTF-8 编码的部分，无法读取。请用 Excel 或 WPS 重新保存为 .xlsx 后上传", "Part of the file is not UTF-8 and cannot be read; save it again as .xlsx in Excel or WPS"));
  for (const [name, data] of parts) {
    if (!/\.xml|\.rels/i.test(name) && !/sheet|string/i.test(name)) { parts.delete(name); continue; }
    let xml: string;
    try { xml = decoder.decode(data); } catch { throw unsupportedEncoding(); }
    for (const m of xml.matchAll(STRING_ITEM)) if (m[2]!.replace(/<[^>]*>/g, "").length > L.cellChars) throw tooLong();
    const open = WORKSHEET_OPEN.exec(xml);
    if (!open) {
      // comments, tables, drawings, pivots and the like are never read: exceljs would expand their ranges
      if (!PACKAGE_PARTS.test(name)) { parts.delete(name); continue; }
      if (name === "xl/styles.xml" && (xml.match(STYLE_ITEM)?.length ?? 0) > MAX_STYLES) {
        throw new Refused(tooBig({ zh: `样式超过 ${MAX_STYLES} 个（Excel 的上限）`, en: `more than ${MAX_STYLES} styles (Excel's own limit)` }));
      }
      const book = name === "xl/workbook.xml" ? WORKBOOK_OPEN.exec(xml) : null;
      if (book) parts.set(name, encoder.encode(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${book[0]}${(xml.match(WORKBOOK_KEEP) ?? []).join("")}</${book[1]}workbook>`));
      continue;
    }
    const sheetData = SHEET_DATA.exec(xml)?.[2] ?? "";
    const kept = sheetData.replace(ROW, (_row: string, prefix: string, rowAttrs: string, inner: string | undefined) => {
      if (++rows > L.cells) throw tooManyCells();
      const r = Number(attribute(rowAttrs, "r") ?? NaN);
      const cellsKept = (inner ?? "").replace(CELL, (cell: string, attrs: string, content: string | undefined) => {
        if (++cells > L.cells) throw tooManyCells();
        if (content && textLength(content) > L.cellChars) throw tooLong();
        const ref = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(attribute(attrs, "r") ?? "");
        const inside = ref && columnIndex(ref[1]!) < READ_AREA.cols && Number(ref[2]) <= READ_AREA.rows && Number(ref[2]) === r;
        if (!inside && content && textLength(content) > 0) outsideArea++; // dropped, but said so: a caller may refuse the file
        return inside ? cell : "";
      });
      return Number.isInteger(r) && r >= 1 && r <= READ_AREA.rows ? `<${prefix}row r="${r}">${cellsKept}</${prefix}row>` : "";
    });
    parts.set(name, encoder.encode(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${open[0]}<${open[1]}sheetData>${kept}</${open[1]}sheetData></${open[1]}worksheet>`));
  }
  return { outsideArea };
}

export interface UploadedGrid {
  grid: CellValue[][];
  sheetName: string;
  /** Cells ("D14") of the fill sheet that hold a formula; their cached results are not in `grid`. */
  formulaCells: Set<string>;
  /** Cells with content outside READ_AREA anywhere in the workbook: not read (a fill sheet ignores them). */
  outsideArea: number;
}

/**
 * Opens an uploaded workbook safely: checks the size and the zip's central directory (entry count
 * and declared sizes) before unpacking, inflates every part counting what really comes out, counts
 * rows, cells and string lengths in the XML and keeps only the cells a fill sheet can hold, and only
 * then lets exceljs read the verified parts (re-packed uncompressed, so nothing is inflated twice).
 * Formula cells are reported, never read as values.
 */
export async function readUploadedGrid(bytes: Uint8Array): Promise<Result<UploadedGrid>> {
  const book = await readUploadedWorkbook(bytes);
  return book.ok ? fillSheetOf(book.value) : book;
}

/** The fill sheet of a workbook: the sheet with Tianbao's metadata, else the first. */
export function fillSheetOf(sheets: readonly UploadedGrid[]): Result<UploadedGrid> {
  const fill = sheets.find((s) => readFillMeta(s.grid)) ?? sheets[0];
  return fill ? ok(fill) : corrupt();
}

/** Every sheet of an uploaded workbook, read with the same limits as a fill sheet. */
export async function readUploadedWorkbook(bytes: Uint8Array): Promise<Result<UploadedGrid[]>> {
  const L = UPLOAD_LIMITS;
  if (bytes.length > L.bytes) return tooBig({ zh: `超过 ${L.bytes / 1_000_000} MB`, en: `over ${L.bytes / 1_000_000} MB` });
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return unsupported();
  const declared = directory(bytes);
  if (!declared) return corrupt();
  let sum = 0;
  for (const size of declared.values()) sum += size;
  if (declared.size > L.entries || sum > L.unpackedBytes) return tooBig({ zh: "压缩内容过多或过大", en: "too many or too large entries inside" });
  if (!declared.has("xl/workbook.xml")) return unsupported();
  let verified: Uint8Array;
  let outsideArea = 0;
  try {
    const parts = inflateCounted(bytes, declared);
    outsideArea = checkAndTrim(parts).outsideArea;
    verified = zipSync(Object.fromEntries(parts), { level: 0 });
  } catch (e) {
    if (e instanceof Refused) return e.result;
    return corrupt();
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(verified.buffer.slice(verified.byteOffset, verified.byteOffset + verified.byteLength) as ArrayBuffer);
  } catch {
    return corrupt();
  }
  return ok(wb.worksheets.map((ws) => { const g = gridOf(ws); return { grid: g.grid, sheetName: ws.name, formulaCells: g.formulas, outsideArea }; }));
}

/** A worksheet's cells as plain values (rich text as text); formula cells are left blank and listed. */
function gridOf(ws: ExcelJS.Worksheet): { grid: CellValue[][]; formulas: Set<string> } {
  const grid: CellValue[][] = [];
  const formulas = new Set<string>();
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const out: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const v = cell.value;
      if (v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v)) {
        formulas.add(cell.address);
        return;
      }
      out[c - 1] = plain(v);
    });
    grid[r - 1] = Array.from(out, (v) => v ?? null);
  });
  return { grid: Array.from(grid, (row) => row ?? []), formulas };
}

function plain(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join("");
    if ("text" in v) return String((v as { text: unknown }).text);
    if ("error" in v) return null;
  }
  return null;
}
