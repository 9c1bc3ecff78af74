import "../export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { Unzip, UnzipInflate, unzipSync, zipSync } from "fflate";
import { DIRECTORY_MAX_ROWS, FIRST_ROW, asExcelShowsIt, readFillMeta, type CellValue, type ShownNumber } from "@tianbao/shared";
import { format as formatNumber, getFormatInfo } from "numfmt";
import { failure, ok, type Result } from "../errors";
import { checkAndTrim, FILL_READ, Refused, tooBig, unreadable, UPLOAD_LIMITS, type ReadLimits } from "./trim";

export { checkAndTrim, FILL_READ, fillReadFor, READ_AREA, UPLOAD_LIMITS, type ReadLimits } from "./trim";

/**
 * The units-and-accounts workbook as downloaded, whatever the administrator's size: up to
 * DIRECTORY_MAX_ROWS rows a sheet below the two header rows (with room to say a sheet is longer),
 * and cells for that many units (7 columns) and accounts (4 columns) with the rows drawn to type
 * into. A nation's workbook (~3,400 units, ~3,700 accounts) is a third of it. Every other limit
 * (bytes, parts, characters) is the same as for any upload, and all are checked while the parts are
 * read.
 */
export const DIRECTORY_READ: ReadLimits = { cols: 26, rows: FIRST_ROW + DIRECTORY_MAX_ROWS + 100, cells: 120_000 };
/** A designer workbook: its sheets' columns, A–Z (a fill workbook's grids reach further). */
export const DESIGNER_READ: ReadLimits = { ...FILL_READ, cols: 26 };

/** Compressed bytes handed to the inflater at a time: bounds what one step can produce (~1 MB). */
const CHUNK = 1024;

const unsupported = () => failure(415, "unsupported_file", "只接受 .xlsx 文件（Excel 2007 及以后版本；WPS 表格请“另存为” .xlsx）", "Only .xlsx files are accepted (Excel 2007 or later; in WPS use Save As .xlsx)");
const corrupt = () => failure(400, "unsupported_file", "文件已损坏或不完整，无法读取。请重新保存后上传", "The file is damaged or incomplete and cannot be read; save it again and upload that");

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

export interface UploadedGrid {
  grid: CellValue[][];
  sheetName: string;
  /** Cells ("D14") of the fill sheet that hold a formula; their cached results are not in `grid`. */
  formulaCells: Set<string>;
  /** Cells holding an Excel error value ("#N/A"): blank in `grid`, named here. */
  errors: Map<string, string>;
  /** Numbers the cell's format shows as a percent or a date, with the text shown. */
  shown: Map<string, ShownNumber>;
  /** Numbers under any other format than General, with the text shown (made when read). */
  formatted: Map<string, { readonly text: string }>;
  /** Cells with content outside the area read (READ_AREA for a fill sheet) anywhere in the workbook: not read (a fill sheet ignores them). */
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
  if (!book.ok) return book;
  const sheet = book.value.find((s) => readFillMeta(s.grid)) ?? book.value[0];
  return sheet ? ok(sheet) : corrupt();
}

/**
 * An Office file saved with an opening password is not a zip but an OLE compound file holding the
 * streams EncryptionInfo and EncryptedPackage ([MS-OFFCRYPTO] 2.3.4); their names are written in
 * UTF-16LE in the file's directory.
 */
function isEncryptedOffice(bytes: Uint8Array): boolean {
  const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (bytes.length < 512 || OLE.some((b, i) => bytes[i] !== b)) return false;
  const name = new Uint8Array([..."EncryptedPackage"].flatMap((ch) => [ch.charCodeAt(0), 0]));
  outer: for (let i = 0; i + name.length <= bytes.length; i++) {
    for (let k = 0; k < name.length; k++) if (bytes[i + k] !== name[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * The fill sheets of a workbook: those whose metadata names this round and unit — the one sheet of a
 * template without a form, or a form's cover and tables. Sheets of other rounds or units (last year's
 * tab, a colleague's) are passed over; one sheet of this round and unit there twice (a backup copy, a
 * spare filled on another tab) is refused naming both, since either could be the one meant. With
 * none, the first Tianbao sheet (or the first sheet) is returned, to say what it is.
 */
export function fillSheetsOf(sheets: readonly UploadedGrid[], expect: { roundId: string; unitId: string }): Result<UploadedGrid[]> {
  const tianbao = sheets.filter((s) => readFillMeta(s.grid));
  const mine = tianbao.filter((s) => { const m = readFillMeta(s.grid)!; return m.roundId === expect.roundId && m.unitId === expect.unitId; });
  const byPage = new Map<string, UploadedGrid[]>();
  for (const s of mine) { const page = readFillMeta(s.grid)!.page ?? ""; byPage.set(page, [...(byPage.get(page) ?? []), s]); }
  for (const twice of byPage.values()) {
    if (twice.length < 2) continue;
    const names = twice.map((s) => `「${s.sheetName}」`).join("、");
    const namesEn = twice.map((s) => `'${s.sheetName}'`).join(", ");
    return failure(422, "layout_mismatch", `工作簿中有 ${twice.length} 张本轮本单位的同一填报表（${names}），无法判断以哪一张为准。请删除多余的（例如备份）后再上传`, `The workbook holds ${twice.length} copies of one fill sheet of this round and unit (${namesEn}); it cannot tell which one is meant. Delete the extra ones (a backup, say) and upload again`, { where: twice[1]!.sheetName });
  }
  if (mine.length > 0) return ok(mine);
  const first = tianbao[0] ?? sheets[0];
  return first ? ok([first]) : corrupt();
}

/** Every sheet of an uploaded workbook, read with the limits of its kind (a fill sheet's unless told). */
export async function readUploadedWorkbook(bytes: Uint8Array, limits: ReadLimits = FILL_READ): Promise<Result<UploadedGrid[]>> {
  const L = UPLOAD_LIMITS;
  if (bytes.length > L.bytes) return tooBig({ zh: `超过 ${L.bytes / 1_000_000} MB`, en: `over ${L.bytes / 1_000_000} MB` });
  if (isEncryptedOffice(bytes)) return failure(415, "unsupported_file", "文件设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存，再上传", "The file is protected with a password and cannot be read; remove the password in Excel or WPS (File → Info → Protect Workbook → Encrypt with Password, clear it), save, and upload that");
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return unsupported();
  const declared = directory(bytes);
  if (!declared) return corrupt();
  let sum = 0;
  for (const size of declared.values()) sum += size;
  if (declared.size > L.entries || sum > L.unpackedBytes) return tooBig({ zh: "压缩内容过多或过大", en: "too many or too large entries inside" });
  if (!declared.has("xl/workbook.xml")) return unsupported();
  let verified: Uint8Array;
  let outsideArea = 0;
  let numberFormats: ReadonlyMap<string, string> = new Map();
  try {
    const parts = inflateCounted(bytes, declared);
    ({ outsideArea, numberFormats } = checkAndTrim(parts, limits));
    verified = zipSync(Object.fromEntries(parts), { level: 0 });
  } catch (e) {
    if (e instanceof Refused) return e.result;
    return corrupt();
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(verified.buffer.slice(verified.byteOffset, verified.byteOffset + verified.byteLength) as ArrayBuffer);
  } catch {
    return unreadable();
  }
  const date1904 = Boolean((wb.properties as { date1904?: boolean }).date1904);
  return ok(wb.worksheets.map((ws) => { const g = gridOf(ws, date1904, numberFormats); return { grid: g.grid, sheetName: ws.name, formulaCells: g.formulas, errors: g.errors, shown: g.shown, formatted: g.formatted, outsideArea }; }));
}

/**
 * A worksheet's cells as the person sees them: rich text as text, numbers at the 15 significant
 * digits Excel shows, error values and percent- or date-formatted numbers named beside the grid
 * (the layout decides what each means in its cell); formula cells are left blank and listed.
 */
function gridOf(ws: ExcelJS.Worksheet, date1904: boolean, numberFormats: ReadonlyMap<string, string>): { grid: CellValue[][]; formulas: Set<string>; errors: Map<string, string>; shown: Map<string, ShownNumber>; formatted: Map<string, { readonly text: string }> } {
  const grid: CellValue[][] = [];
  const formulas = new Set<string>();
  const errors = new Map<string, string>();
  const shown = new Map<string, ShownNumber>();
  const formatted = new Map<string, { readonly text: string }>();
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const out: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const v = cell.value;
      if (v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v)) {
        formulas.add(cell.address);
        return;
      }
      if (v !== null && typeof v === "object" && "error" in v) {
        errors.set(cell.address, String((v as ExcelJS.CellErrorValue).error));
        return;
      }
      const number = v instanceof Date ? serialOf(v, date1904) : typeof v === "number" ? asExcelShowsIt(v) : null;
      // the formatter counts days in the 1900 system; a 1904 workbook's serials start 1,462 days later
      const serial1900 = number === null ? 0 : date1904 ? number + 1462 : number;
      if (number !== null) {
        // a custom format reached exceljs as a stand-in (see trim.ts): its real code is looked up
        const fmt = (cell.numFmt && numberFormats.get(cell.numFmt)) ?? cell.numFmt;
        const as = shownAs(fmt, v instanceof Date);
        // the text is made only when a layout reads the cell: kept for every cell, it could be
        // the format's literal text times the cells
        if (as) shown.set(cell.address, { as, get text() { return shownText(fmt, as === "date" ? serial1900 : number, as); } });
        else if (fmt && fmt !== "General") formatted.set(cell.address, { get text() { return formattedNumber(fmt, number); } });
        out[c - 1] = number;
        return;
      }
      out[c - 1] = plain(v);
    });
    grid[r - 1] = Array.from(out, (v) => v ?? null);
  });
  return { grid: Array.from(grid, (row) => row ?? []), formulas, errors, shown, formatted };
}

/** Days since Excel's epoch (1899-12-30, or 1904-01-01 in a 1904 workbook), as the cell stores it. */
function serialOf(d: Date, date1904: boolean): number {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return asExcelShowsIt((d.getTime() - epoch) / 86_400_000);
}

const classes = new Map<string, ShownNumber["as"] | null>();
/** Whether a format shows a number as a percent or a date: numfmt reads each format once. */
function shownAs(numFmt: string | undefined, isDate: boolean): ShownNumber["as"] | null {
  if (isDate) return "date";
  if (!numFmt) return null;
  let as = classes.get(numFmt);
  if (as === undefined) {
    try {
      const info = getFormatInfo(numFmt);
      as = info.isDate ? "date" : info.isPercent ? "percent" : null;
    } catch {
      as = null; // a format numfmt cannot read shows the number as a number
    }
    if (classes.size > 10_000) classes.clear();
    classes.set(numFmt, as);
  }
  return as;
}

/**
 * The text a percent or date cell shows. Built-in format 14 is the system's short date, which
 * exceljs names "mm-dd-yy" and zh-CN Excel shows as yyyy/m/d (Microsoft: "Format numbers as dates
 * or times" — dates marked * follow the regional settings).
 */
function shownText(numFmt: string | undefined, n: number, as: ShownNumber["as"]): string {
  const fmt = !numFmt || numFmt === "mm-dd-yy" ? (as === "date" ? "yyyy/m/d" : "0%") : numFmt;
  try {
    return formatNumber(fmt, n);
  } catch {
    return String(n);
  }
}

/**
 * A rich text's runs joined, once per shared string: every cell that refers to one shares its
 * value object, so a string of many runs used by many cells costs its runs once, not runs × cells.
 */
const joined = new WeakMap<object, string>();
function joinedRuns(v: ExcelJS.CellRichTextValue): string {
  let text = joined.get(v);
  if (text === undefined) { text = v.richText.map((t) => t.text).join(""); joined.set(v, text); }
  return text;
}

/** A number under its own format, as the cell shows it; the plain number if numfmt cannot read it. */
function formattedNumber(fmt: string, n: number): string {
  try {
    return formatNumber(fmt, n);
  } catch {
    return String(n);
  }
}

function plain(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "object") {
    if ("richText" in v) return joinedRuns(v as ExcelJS.CellRichTextValue);
    if ("text" in v) return String((v as { text: unknown }).text);
  }
  return null;
}
