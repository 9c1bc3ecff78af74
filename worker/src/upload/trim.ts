import { failure } from "../errors";
import { attributeOf, scanXml, XmlScanError, type XmlOpen, type XmlToken } from "./xml-scan";

/**
 * What an uploaded file may be: small, few zip entries, bounded when unpacked (in all and per part),
 * bounded in cells and in characters per cell, and in elements per part. Every limit is checked
 * against what the file really holds, while it is read.
 */
export const UPLOAD_LIMITS = {
  bytes: 5_000_000, entries: 300, unpackedBytes: 20_000_000, partBytes: 10_000_000, cells: 50_000,
  // Excel's own limit for one cell's text (https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3)
  cellChars: 32_767,
  // Elements in one part, counted before anything else is done with them: 50,000 cells of a few
  // elements each, and 65,000 styles, fit many times over.
  elementsPerPart: 1_000_000,
};

/**
 * The part of a sheet a fill sheet or a designer workbook can occupy: columns A–AJ (a form's widest
 * grid: 代码, 项目, 30 columns, 说明, 校验) and the rows of the largest template (4 header rows, 50
 * sections, 1,000 indicators, a footer), with room to say a sheet is longer than that. Cells outside it are no part of any fill sheet and are dropped before
 * parsing, so a cell at XFD1048576 costs nothing. (The units-and-accounts workbook reads further:
 * DIRECTORY_READ in read-xlsx.ts.)
 */
export const READ_AREA = { cols: 36, rows: 2100 };

/**
 * What one kind of upload may hold: the area read (columns, rows) and the rows and cells counted
 * across the workbook, each checked while the parts are read. Fill sheets and designer workbooks
 * take READ_AREA and UPLOAD_LIMITS.cells; the units-and-accounts workbook its own (a nation's
 * downloaded workbook goes back up unchanged, see DIRECTORY_READ).
 */
export interface ReadLimits { cols: number; rows: number; cells: number }
export const FILL_READ: ReadLimits = { ...READ_AREA, cells: UPLOAD_LIMITS.cells };

/**
 * The most cells one fill workbook with detail lists may hold: as many as the units-and-accounts workbook
 * reads (DIRECTORY_READ), which a Worker parses within its memory. A 5,000-row list of ten fields and
 * its 序号 (55,000 cells) fits beside the rest of the form.
 */
export const FILL_LIST_CELLS = 120_000;

/**
 * A fill workbook's limits for its template (issue 25): READ_AREA and UPLOAD_LIMITS.cells, grown by
 * what its detail lists may hold when every row is used — the rows down to the longest list's last and
 * the margin past it the reader looks at (`extent.rows`), its rooms' cells (`extent.cells`) — up to
 * FILL_LIST_CELLS. A template without lists reads exactly as before.
 */
export function fillReadFor(extent: { rows: number; cells: number }): ReadLimits {
  if (extent.cells === 0) return FILL_READ;
  return { cols: READ_AREA.cols, rows: Math.max(READ_AREA.rows, extent.rows), cells: Math.min(UPLOAD_LIMITS.cells + extent.cells, FILL_LIST_CELLS) };
}

/** Excel's own limit of distinct cell formats in a workbook (Excel specifications and limits). */
const MAX_STYLES = 65_000;
/**
 * Number formats: Excel keeps 200–250 custom ones a workbook and a format code of at most 255
 * characters (Excel specifications and limits; the Format Cells box takes no more). Every number
 * cell's format is examined (exceljs looks for date codes, the reader for percents and dates), so
 * a longer code would cost CPU per cell; both are refused past the limits, with room to spare.
 */
const MAX_NUMBER_FORMATS = 1_000;
const MAX_FORMAT_CODE = 255;
const STYLE_ITEMS = new Set(["xf", "numFmt", "font", "fill", "border", "dxf", "cellStyle"]);

/** The parts besides worksheets that exceljs needs to read values: package, workbook, strings, styles. */
const PACKAGE_PARTS = /^(?:\[Content_Types\]\.xml|_rels\/\.rels|xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/styles\.xml|xl\/theme\/theme\d+\.xml|docProps\/(?:app|core)\.xml)$/;
/** exceljs loads as a worksheet any part whose name merely contains this (its own unanchored pattern). */
const WORKSHEET_NAME = /xl\/worksheets\/sheet\d+[.]xml/;

export class Refused extends Error {
  constructor(readonly result: ReturnType<typeof failure>) { super("refused"); }
}
export const unreadable = () => failure(400, "unsupported_file", "文件结构无法被本系统读取（不是 Excel 或 WPS 保存的标准 .xlsx）。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传", "This reader cannot read the file's structure (not a standard .xlsx as Excel or WPS save it); open it in Excel or WPS, save it as .xlsx and upload that");
export const tooBig = (what: { zh: string; en: string }) => failure(413, "body_too_large", `文件过大：${what.zh}`, `The file is too large: ${what.en}`);
const tooLong = () => new Refused(tooBig({ zh: `某个单元格的文字超过 ${UPLOAD_LIMITS.cellChars} 个字符`, en: `a cell holds more than ${UPLOAD_LIMITS.cellChars} characters` }));
const tooManyCells = (max: number) => new Refused(tooBig({ zh: `单元格超过 ${max} 个`, en: `more than ${max} cells` }));
const columnIndex = (letters: string): number => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * Counts in a sheet or shared strings: the running totals across every part of the upload; and the
 * workbook's custom number formats by the stand-in exceljs is shown instead (see FormatStandIns).
 */
interface Counts { cells: number; rows: number; outsideArea: number; formats: Map<string, string>; limits: ReadLimits }

/**
 * Everything exceljs will be shown, checked and cut down before it parses anything, in one linear
 * pass per part:
 * - only the package, workbook, shared strings, styles and worksheets are kept, all UTF-8 and
 *   well-formed; every other part (comments, tables, drawings, embedded objects) is dropped unread;
 * - the workbook keeps only its sheet list and date system (a defined name over A1:XFD1048576 would
 *   make exceljs create every cell of it); styles are counted up to Excel's own limit;
 * - every worksheet part keeps only its cell data: merged ranges, data validations, conditional
 *   formats and the like are dropped, and so are rows and cells outside READ_AREA or whose position
 *   is not written on them;
 * - rows and cells are counted across all of them, as they are found;
 * - every cell's text (shared strings, inline strings in any number of runs, formula results) is
 *   measured as a whole.
 */
export function checkAndTrim(parts: Map<string, Uint8Array>, limits: ReadLimits = FILL_READ): { outsideArea: number; numberFormats: ReadonlyMap<string, string> } {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const encoder = new TextEncoder();
  const counts: Counts = { cells: 0, rows: 0, outsideArea: 0, formats: new Map(), limits };
  for (const [name, data] of parts) {
    const isPackage = PACKAGE_PARTS.test(name);
    if (!isPackage && !WORKSHEET_NAME.test(name)) { parts.delete(name); continue; }
    let xml: string;
    try { xml = decoder.decode(data); } catch {
      throw new Refused(failure(415, "unsupported_file", "文件中有非 UTF-8 编码的部分，无法读取。请用 Excel 或 WPS 重新保存为 .xlsx 后上传", "Part of the file is not UTF-8 and cannot be read; save it again as .xlsx in Excel or WPS"));
    }
    let kept: string | null;
    try {
      kept = trimPart(xml, name, isPackage, counts);
    } catch (e) {
      if (e instanceof XmlScanError) {
        throw new Refused(e.reason === "too_many_elements"
          ? tooBig({ zh: `「${name}」中的元素超过 ${UPLOAD_LIMITS.elementsPerPart} 个`, en: `more than ${UPLOAD_LIMITS.elementsPerPart} elements in ${name}` })
          : unreadable());
      }
      throw e;
    }
    if (kept === null) parts.delete(name);
    else if (kept !== xml) parts.set(name, encoder.encode(kept));
  }
  return { outsideArea: counts.outsideArea, numberFormats: counts.formats };
}

/** One part read through once: its text measured, and what exceljs may see of it (null: nothing). */
function trimPart(xml: string, name: string, isPackage: boolean, counts: Counts): string | null {
  const seen: { root: XmlOpen | null; sheet: SheetTrim | null; book: WorkbookTrim | null } = { root: null, sheet: null, book: null };
  const measure = stringMeasure(xml, name);
  const standIns = name === "xl/styles.xml" ? new FormatStandIns(xml, counts.formats) : null;
  try {
    scanXml(xml, (t, depth) => {
      if (!seen.root && t.kind === "open") {
        seen.root = t;
        if (t.local === "worksheet") seen.sheet = new SheetTrim(xml, t, counts);
        else if (!isPackage) throw new NotAWorksheet(); // named like a sheet but is none: never read
        else if (name === "xl/workbook.xml" && t.local === "workbook") seen.book = new WorkbookTrim(xml, t);
      }
      measure(t, depth);
      standIns?.token(t, depth);
      seen.sheet?.token(t, depth);
      seen.book?.token(t, depth);
    }, UPLOAD_LIMITS.elementsPerPart);
  } catch (e) {
    if (e instanceof NotAWorksheet) return null;
    throw e;
  }
  if (seen.sheet) return seen.sheet.result();
  if (seen.book) return seen.book.result();
  if (standIns) return standIns.result();
  return isPackage ? xml : null;
}

/** Shared strings measured whole over all their runs, and styles counted, as the tokens pass. */
function stringMeasure(xml: string, name: string): (t: XmlToken, depth: number) => void {
  let stringDepth = -1;
  let stringChars = 0;
  let styles = 0;
  let formats = 0;
  return (t, depth) => {
    if (t.kind === "open" && t.local === "si" && stringDepth < 0 && !t.selfClosing) { stringDepth = depth; stringChars = 0; }
    else if (t.kind === "text" && stringDepth >= 0 && (stringChars += t.end - t.start) > UPLOAD_LIMITS.cellChars) throw tooLong();
    else if (t.kind === "close" && depth === stringDepth) stringDepth = -1;
    if (t.kind === "open" && name === "xl/styles.xml" && STYLE_ITEMS.has(t.local) && ++styles > MAX_STYLES) {
      throw new Refused(tooBig({ zh: `样式超过 ${MAX_STYLES} 个（Excel 的上限）`, en: `more than ${MAX_STYLES} styles (Excel's own limit)` }));
    }
    if (t.kind === "open" && name === "xl/styles.xml" && t.local === "numFmt") {
      const code = attributeOf(xml, t.attrsStart, t.attrsEnd, "formatCode") ?? "";
      if (++formats > MAX_NUMBER_FORMATS || code.length > MAX_FORMAT_CODE) {
        throw new Refused(tooBig({ zh: `自定义数字格式超过 ${MAX_NUMBER_FORMATS} 个，或某个格式代码超过 ${MAX_FORMAT_CODE} 个字符（Excel 的上限）`, en: `more than ${MAX_NUMBER_FORMATS} custom number formats, or a format code over ${MAX_FORMAT_CODE} characters (Excel's own limits)` }));
      }
    }
  };
}

class NotAWorksheet extends Error {}

/** A worksheet cut to its cell data inside the upload's area (READ_AREA for a fill sheet). */
class SheetTrim {
  private out: string[] = [];
  private inData = false;
  private dataDone = false;
  private row: { prefix: string; r: number; keep: boolean; cells: string[] } | null = null;
  private cell: { open: XmlOpen; depth: number; chars: number } | null = null;

  constructor(private xml: string, private root: XmlOpen, private counts: Counts) {}

  token(t: XmlToken, depth: number): void {
    const xml = this.xml;
    if (!this.inData) {
      if (t.kind === "open" && depth === 1 && t.local === "sheetData" && !this.dataDone) {
        this.dataDone = true;
        this.inData = !t.selfClosing;
      }
      return;
    }
    if (t.kind === "close" && depth === 1) { this.inData = false; return; }
    if (depth === 2 && t.kind === "open" && t.local === "row") {
      if (++this.counts.rows > this.counts.limits.cells) throw tooManyCells(this.counts.limits.cells);
      const r = Number(attributeOf(xml, t.attrsStart, t.attrsEnd, "r") ?? NaN);
      this.row = { prefix: t.name.slice(0, t.name.length - 3), r, keep: Number.isInteger(r) && r >= 1 && r <= this.counts.limits.rows, cells: [] };
      if (t.selfClosing) this.endRow();
      return;
    }
    if (depth === 2 && t.kind === "close") { this.endRow(); return; }
    if (!this.row) return;
    if (depth === 3 && t.kind === "open" && t.local === "c") {
      if (++this.counts.cells > this.counts.limits.cells) throw tooManyCells(this.counts.limits.cells);
      this.cell = { open: t, depth, chars: 0 };
      if (t.selfClosing) this.endCell(t.end);
      return;
    }
    if (!this.cell) return;
    if (t.kind === "close" && depth === 3) { this.endCell(t.end); return; }
    // a value's or a text run's characters: <v>, <t> directly holding text (formula results included)
    if (t.kind === "text" && depth >= 5 && this.parentIsValue && (this.cell.chars += t.end - t.start) > UPLOAD_LIMITS.cellChars) throw tooLong();
    if (t.kind === "open") this.parentIsValue = !t.selfClosing && (t.local === "v" || t.local === "t");
    else if (t.kind === "close") this.parentIsValue = false;
  }

  private parentIsValue = false;

  private endCell(end: number): void {
    const c = this.cell!;
    const row = this.row!;
    this.cell = null;
    this.parentIsValue = false;
    const ref = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(attributeOf(this.xml, c.open.attrsStart, c.open.attrsEnd, "r") ?? "");
    const inside = row.keep && ref !== null && columnIndex(ref[1]!) < this.counts.limits.cols && Number(ref[2]) === row.r;
    if (inside) row.cells.push(isoDateCell(this.xml, c.open, end) ?? this.xml.slice(c.open.start, end));
    else if (c.chars > 0) this.counts.outsideArea++; // dropped, but said so: a caller may refuse the file
  }

  private endRow(): void {
    const row = this.row;
    this.row = null;
    if (row?.keep) this.out.push(`<${row.prefix}row r="${row.r}">${row.cells.join("")}</${row.prefix}row>`);
  }

  result(): string {
    const prefix = this.root.name.slice(0, this.root.name.length - "worksheet".length);
    const open = this.xml.slice(this.root.start, this.root.end).replace(/\/>$/, ">");
    return `${XML_HEAD}${open}<${prefix}sheetData>${this.out.join("")}</${prefix}sheetData></${prefix}worksheet>`;
  }
}

/**
 * A cell that stores its date as ISO text (t="d", ECMA-376 §18.18.11) reaches exceljs as the date
 * written as text, 2025/3/1 (with the time when it has one): exceljs would read "2025-03-01" as the
 * number 2025. So a count or amount refuses it as not a number on its cell, never a figure, and a
 * text answer keeps the date as a person reads it. A value that is no ISO date stays as written.
 */
function isoDateCell(xml: string, open: XmlOpen, end: number): string | null {
  if (attributeOf(xml, open.attrsStart, open.attrsEnd, "t") !== "d") return null;
  const cell = xml.slice(open.start, end);
  const value = /<(?:[A-Za-z_][\w.-]*:)?v\b[^>]*>([^<]*)</.exec(cell)?.[1] ?? "";
  const prefix = open.name.slice(0, open.name.length - 1);
  const shown = isoDateText(value) ?? value;
  const keep = ["r", "s"].map((a) => { const v = attributeOf(xml, open.attrsStart, open.attrsEnd, a); return v === null ? "" : ` ${a}="${v}"`; }).join("");
  return `<${prefix}c${keep} t="inlineStr"><${prefix}is><${prefix}t>${shown}</${prefix}t></${prefix}is></${prefix}c>`;
}

/** An ISO date or date-time as zh-CN Excel shows a date: 2025/3/1, or 2025/3/1 14:05. */
function isoDateText(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,9})?)?)?Z?$/.exec(text.trim());
  if (!m) return null;
  const date = `${m[1]}/${Number(m[2])}/${Number(m[3])}`;
  return m[4] && `${m[4]}:${m[5]}` !== "00:00" ? `${date} ${Number(m[4])}:${m[5]}` : date;
}

/** The workbook cut to its sheet list and date system. */
class WorkbookTrim {
  private kept: string[] = [];
  private sheetsFrom = -1;

  constructor(private xml: string, private root: XmlOpen) {}

  token(t: XmlToken, depth: number): void {
    if (t.kind === "open" && depth === 1 && t.local === "workbookPr") {
      this.kept.push(`<${t.name}${this.xml.slice(t.attrsStart, t.attrsEnd)}/>`);
    } else if (t.kind === "open" && depth === 1 && t.local === "sheets") {
      if (t.selfClosing) this.kept.push(this.xml.slice(t.start, t.end));
      else this.sheetsFrom = t.start;
    } else if (t.kind === "close" && depth === 1 && this.sheetsFrom >= 0) {
      this.kept.push(this.xml.slice(this.sheetsFrom, t.end));
      this.sheetsFrom = -1;
    }
  }

  result(): string {
    const open = this.xml.slice(this.root.start, this.root.end).replace(/\/>$/, ">");
    return `${XML_HEAD}${open}${this.kept.join("")}</${this.root.name}>`;
  }
}

/**
 * exceljs examines every number cell's format code with a regular expression that backtracks on
 * "[" (its isDateFmt), so a 255-character code cost 6 s over 30,000 cells. It is shown a stand-in
 * instead ("F0", "F1", …: no date code, so numbers stay numbers) and the reader looks the real code
 * up, once per format, to see percents and dates.
 */
class FormatStandIns {
  private edits: { start: number; end: number; text: string }[] = [];
  private declared = new Set<string>();
  /** Where the built-in formats go: inside <numFmts>, or a new <numFmts> after the root's tag. */
  private insertAt = -1;
  private wrap = true;
  private prefix = "";

  constructor(private xml: string, private formats: Map<string, string>) {}

  token(t: XmlToken, depth: number): void {
    if (t.kind === "open" && depth === 0) { this.prefix = t.name.slice(0, t.name.length - t.local.length); this.insertAt = t.selfClosing ? -1 : t.end; }
    if (depth === 1 && t.kind !== "text" && t.local === "numFmts") {
      if (t.kind === "open" && t.selfClosing) { this.edits.push({ start: t.start, end: t.end, text: "" }); }
      else if (t.kind === "close") { this.insertAt = t.start; this.wrap = false; }
    }
    if (t.kind !== "open" || t.local !== "numFmt") return;
    const id = attributeOf(this.xml, t.attrsStart, t.attrsEnd, "numFmtId") ?? "";
    const code = attributeOf(this.xml, t.attrsStart, t.attrsEnd, "formatCode") ?? "";
    const standIn = `F${this.formats.size}`;
    this.formats.set(standIn, decodeXmlText(code));
    this.declared.add(id.replace(/[^0-9]/g, ""));
    this.edits.push({ start: t.start, end: t.end, text: `<${t.name} numFmtId="${id.replace(/[^0-9]/g, "")}" formatCode="${standIn}"${t.selfClosing ? "/>" : ">"}` });
  }

  result(): string {
    if (this.insertAt >= 0) this.edits.push({ start: this.insertAt, end: this.insertAt, text: this.builtIns() });
    this.edits.sort((a, b) => a.start - b.start);
    let out = "";
    let at = 0;
    for (const e of this.edits) { out += this.xml.slice(at, e.start) + e.text; at = e.end; }
    return out + this.xml.slice(at);
  }

  /** The zh-CN built-in formats the file refers to by number only, declared so exceljs keeps them. */
  private builtIns(): string {
    const p = this.prefix;
    const items = Object.entries(ZH_CN_BUILT_IN_FORMATS).filter(([id]) => !this.declared.has(id)).map(([id, code]) => {
      const standIn = `F${this.formats.size}`;
      this.formats.set(standIn, code);
      return `<${p}numFmt numFmtId="${id}" formatCode="${standIn}"/>`;
    }).join("");
    return this.wrap ? `<${p}numFmts>${items}</${p}numFmts>` : items;
  }
}

/**
 * Built-in number formats whose code depends on the language (ECMA-376 Part 1 §18.8.30: ids 27–36
 * and 50–58 are "reserved for East Asian formats"): Excel and WPS in Chinese write only the number,
 * and exceljs knows no code for it, so a cell showing 3月1日 would read as 45717. These are the codes
 * zh-CN Excel shows (the same table as exceljs's own defaultnumformats for 'zh-cn').
 */
const ZH_CN_BUILT_IN_FORMATS: Record<string, string> = {
  27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午 h"时"mm"分"', 35: '上午/下午 h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
  55: '上午/下午 h"时"mm"分"', 56: '上午/下午 h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
/** An attribute's text as an XML parser gives it: the five named entities and character references. */
function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e[0] !== "#") return ENTITIES[e]!;
    const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}
