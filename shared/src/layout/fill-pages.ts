// The fill workbook of a form (issue 23) as sheet plans: a cover (封面) and one protected sheet per
// table, each printed on A4 with its legal face at the top right. Positions come from fill-book.
import type { CompiledTemplate } from "../template/compile";
import type { DetailField, GridTable, ListTable } from "../schemas/form";
import type { Value } from "../schemas/submission";
import { fieldIndicator } from "../detail/rows";
import { EXCEL_LIMITS } from "../template/excel-limits";
import { periodLabel } from "../schemas/period";
import { renderExcelFormula } from "../formula";
import { gridCellCode, legalFaceLines, tablesInOrder } from "../template/form";
import { FILL_COLUMNS as C, FILL_HEADER_ROW, FILL_META_ROW, FILL_STATUS_ROW, FILL_TITLE_ROW, encodeFillMeta } from "./fill-layout";
import { DETAIL_NUMBER_COL, fillBook, GRID_CODE_COL, GRID_NAME_COL, type FillBook, type FillPage } from "./fill-book";
import {
  FILL_LAST_PRINTED_COL, FILL_LINE_POINTS, FILL_SHEET_HEADERS, FILL_WIDTHS, TEXT_FORMAT, buildFillPlan, cellValueOf, derivedFor, drawListRows, numberFormatOf, validationOf,
  type FillPlanInput, type PageDrawing,
} from "./fill-plan";
import { SIGNATURE_ROWS, signatureBlock } from "./fill-signature";
import { columnPixels, printableWidthPx } from "./print-fit";

/** The smallest scale a fill sheet is printed at: 10 pt text stays 6.5 pt, still read on paper. */
const MIN_PRINT_SCALE = 0.65;
import { formulaResult } from "./results";
import {
  PAGE_FOOTER, cellAddress, columnLetter, fitHeaders, headerFooterText, safeSheetName, textWidth, uniqueSheetName,
  type CellPlan, type CellValue, type SheetPlan, type ValidationPlan,
} from "./sheet-plan";

/**
 * Every sheet of a unit's fill workbook: the one fill sheet of a template without a form, or a
 * form's cover and tables. The Worker's download and the add-in's pull draw the same plans.
 */
export function buildFillPlans(compiled: CompiledTemplate, input: FillPlanInput): SheetPlan[] {
  const book = fillBook(compiled);
  if (book.single) return [buildFillPlan(compiled, input)];
  const names = fillSheetNames(book, input);
  const figures = derivedFor(compiled, input);
  return book.pages.map((page) => {
    const name = names.get(page.key)!;
    const d = drawing(book, names, page.key);
    const head = pageHead(compiled, book, input, page, d);
    if (page.kind === "cover") return coverPlan(compiled, book, input, names, head, d, name);
    if (page.kind === "list") return listPlan(compiled, page.table, page.index.rows, input, head, d, name, figures);
    if (page.kind === "grid") return gridPagePlan(compiled, page.table, page, input, head, d, name, figures);
    if (page.kind === "detail") return detailPagePlan(compiled, page, input, head, d, name);
    throw new Error("a form has no main page");
  });
}

/**
 * Each page's sheet name: the issuer and period first, as a one-sheet template's tab (晋城市2033年-质兴2表),
 * so two rounds' workbooks can share a workbook; two that meet within 31 characters get (2), (3).
 */
export function fillSheetNames(book: FillBook, input: Pick<FillPlanInput, "issuer" | "period">): Map<string, string> {
  const period = periodLabel(input.period, "zh");
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const page of book.pages) {
    // the 表号 and the period are what tell the tabs apart: a long issuer gives way to them (Excel holds 31 characters)
    const label = [...page.label].slice(0, 20).join("");
    const room = Math.max(0, 31 - [...label].length - [...period].length - 1);
    const issuer = [...(input.issuer ?? "")].slice(0, room).join("");
    const name = uniqueSheetName(safeSheetName(`${issuer}${period}-${label}`), taken);
    taken.add(name);
    names.set(page.key, name);
  }
  return names;
}

/** How a formula on `page` names a figure's cell: its address, or 'sheet'!address on another sheet. */
function drawing(book: FillBook, names: ReadonlyMap<string, string>, page: string): PageDrawing & { cells: CellPlan[] } {
  const cells: CellPlan[] = [];
  const validations: ValidationPlan[] = [];
  return {
    cells, validations,
    put: (row, col, cell) => { cells.push({ row, col, ...cell }); },
    refOf: (code) => {
      const spot = book.value.get(code)!;
      const address = cellAddress(spot.row, spot.col);
      return spot.page === page ? address : `'${names.get(spot.page)!.replace(/'/g, "''")}'!${address}`;
    },
  };
}

interface PageHead { title: string; meta: string; status: string }

/** Title, metadata (naming the page) and status line: the three rows every page starts with. */
function pageHead(compiled: CompiledTemplate, book: FillBook, input: FillPlanInput, page: FillPage, d: PageDrawing): PageHead {
  const { template } = compiled;
  const period = periodLabel(input.period, "zh");
  const what = page.kind === "cover" ? template.name.zh : page.kind !== "main" ? `${page.table.formNo} ${page.table.name.zh}`.trim() : "";
  const unitLine = (page.kind === "grid" || page.kind === "detail") && page.table.unitLine ? `（${page.table.unitLine}）` : "";
  const title = `${input.issuer ? `${input.issuer} ` : ""}${period} ${what}${unitLine} · ${input.unit.name}`;
  const meta = encodeFillMeta({
    templateId: template.id, version: template.version, roundId: input.roundId, unitId: input.unit.id, fingerprint: book.fingerprint,
    ...(input.revision !== undefined ? { revision: input.revision } : {}), page: page.key,
  });
  const status = input.status ?? "";
  d.put(FILL_TITLE_ROW, 0, { value: title, style: "title", locked: true });
  d.put(FILL_META_ROW, 0, { value: meta, style: "meta", locked: true });
  d.put(FILL_STATUS_ROW, 0, { value: status, style: "status", locked: true });
  return { title, meta, status };
}

/**
 * The sheet around a page's cells: protection, hidden metadata, a wrapped status line, the print setup.
 * The status line spans the printed columns, or those up to `statusLast` when the row shares them
 * (a list's 填报说明), taking at least `statusLines` lines.
 */
function pageSheet(
  name: string, head: PageHead, d: { cells: CellPlan[]; validations: ValidationPlan[] }, o: {
    widths: number[]; lastPrinted: number; lastRow: number; freezeRows: number; titleRow: number; legal: string; landscape: boolean; merges?: string[];
    statusLast?: number; statusLines?: number;
  },
): SheetPlan {
  const last = columnLetter(o.lastPrinted);
  const statusLast = o.statusLast ?? o.lastPrinted;
  const statusWidth = o.widths.slice(0, statusLast + 1).reduce((a, b) => a + b, 0);
  const statusLines = Math.max(1, o.statusLines ?? 1, Math.ceil(textWidth(head.status) / statusWidth));
  const headers = fitHeaders(headerFooterText(head.title), o.legal.split("\n").filter((l) => l !== "").map(headerFooterText).join("\n"));
  return {
    name, cells: d.cells, columnWidths: o.widths,
    merges: [
      `A${FILL_TITLE_ROW + 1}:${last}${FILL_TITLE_ROW + 1}`, ...(statusLast > 0 ? [`A${FILL_STATUS_ROW + 1}:${columnLetter(statusLast)}${FILL_STATUS_ROW + 1}`] : []), ...(o.merges ?? []),
    ],
    validations: d.validations,
    freezeRows: o.freezeRows,
    protect: true,
    properties: { tianbao: head.meta },
    hiddenRows: [FILL_META_ROW],
    ...(statusLines > 1 ? { rowHeights: [{ row: FILL_STATUS_ROW, points: statusLines * FILL_LINE_POINTS }] } : {}),
    print: {
      landscape: o.landscape,
      titleRows: `${o.titleRow + 1}:${o.titleRow + 1}`,
      area: `A1:${last}${o.lastRow + 1}`,
      gridlines: true,
      header: headers.center,
      ...(headers.right ? { headerRight: headers.right } : {}),
      footer: PAGE_FOOTER,
    },
  };
}

/** 封面: the legal face, the tables the report holds (and on which sheet), the signature block. */
function coverPlan(compiled: CompiledTemplate, book: FillBook, input: FillPlanInput, names: ReadonlyMap<string, string>, head: PageHead, d: PageDrawing & { cells: CellPlan[] }, name: string): SheetPlan {
  const form = compiled.template.form!;
  const cover = book.pages[0]!;
  if (cover.kind !== "cover") throw new Error("the cover is the first page");
  const last = columnLetter(C.comment);
  const merges: string[] = [];
  d.put(FILL_HEADER_ROW, 0, { value: "封　面", style: "header", locked: true });
  merges.push(`A${FILL_HEADER_ROW + 1}:${last}${FILL_HEADER_ROW + 1}`);
  const legal = legalFaceLines(form).split("\n").filter((l) => l !== "");
  legal.forEach((line, i) => {
    d.put(FILL_HEADER_ROW + 1 + i, 0, { value: line, style: "label", locked: true });
    merges.push(`A${FILL_HEADER_ROW + 2 + i}:${last}${FILL_HEADER_ROW + 2 + i}`);
  });
  const top = cover.tablesRow;
  d.put(top, 0, { value: "表号", style: "header", locked: true });
  d.put(top, 1, { value: "表名", style: "header", locked: true });
  d.put(top, C.comment, { value: "工作表", style: "header", locked: true });
  tablesInOrder(form).forEach((t, i) => {
    d.put(top + 1 + i, 0, { value: t.formNo, style: "code", locked: true });
    d.put(top + 1 + i, 1, { value: t.attachedTo ? `${t.name.zh}（附表）` : t.name.zh, style: "label", locked: true });
    d.put(top + 1 + i, C.comment, { value: names.get(t.code) ?? "", style: "note", locked: true });
  });
  d.cells.push(...signatureBlock(cover.signatureTop, input.unit.name, input.signature ?? {}));
  return pageSheet(name, head, d, {
    widths: FILL_WIDTHS, lastPrinted: C.comment, lastRow: cover.signatureTop + SIGNATURE_ROWS - 1, freezeRows: 0, titleRow: FILL_TITLE_ROW,
    legal: legalFaceLines(form), landscape: false, merges,
  });
}

/** A list table's sheet: the classic columns, only its sections' rows. */
function listPlan(
  compiled: CompiledTemplate, table: ListTable, rows: Parameters<typeof drawListRows>[1], input: FillPlanInput, head: PageHead,
  d: PageDrawing & { cells: CellPlan[] }, name: string, figures: ReturnType<typeof derivedFor>,
): SheetPlan {
  FILL_SHEET_HEADERS.forEach((h, col) => d.put(FILL_HEADER_ROW, col, { value: h, style: "header", locked: true }));
  drawListRows(compiled, rows, input, d, figures);
  const lastRow = (rows.at(-1)?.row ?? FILL_HEADER_ROW) + (table.notes ? 2 : 0);
  if (table.notes) d.put(lastRow, 0, { value: `填报说明：${table.notes.zh}`, style: "note", locked: true });
  return pageSheet(name, head, d, {
    widths: FILL_WIDTHS, lastPrinted: FILL_LAST_PRINTED_COL, lastRow, freezeRows: FILL_HEADER_ROW + 1, titleRow: FILL_HEADER_ROW,
    legal: legalFaceLines(compiled.template.form, [table]), landscape: true,
  });
}

/** A column's heading: its name, with its unit where it has one. */
export const gridColumnHeading = (c: GridTable["columns"][number]): string => (c.unit ? `${c.name.zh}（${c.unit}）` : c.name.zh);

/** A row's label as forms print it: a 其中 row indented under its whole. */
export const gridRowLabel = (r: GridTable["rows"][number]): string =>
  r.role === "ofWhich" ? (/^其中/.test(r.name.zh) ? `  ${r.name.zh}` : `  其中：${r.name.zh}`) : r.name.zh;

/** A grid table's sheet: 代码, 项目, the columns with their 栏次 codes, a 说明 per row; last period's grid below. */
function gridPagePlan(
  compiled: CompiledTemplate, g: GridTable, page: FillPage & { kind: "grid" }, input: FillPlanInput, head: PageHead,
  d: PageDrawing & { cells: CellPlan[] }, name: string, figures: ReturnType<typeof derivedFor>,
): SheetPlan {
  const geo = page.geometry;
  const book = fillBook(compiled);
  const { put } = d;
  put(geo.headerRow, GRID_CODE_COL, { value: "代码", style: "header", locked: true });
  put(geo.headerRow, GRID_NAME_COL, { value: "项目", style: "header", locked: true });
  put(geo.codesRow, GRID_CODE_COL, { value: "", style: "code", locked: true });
  put(geo.codesRow, GRID_NAME_COL, { value: "栏次", style: "code", locked: true });
  for (const c of g.columns) {
    put(geo.headerRow, geo.colOf.get(c.code)!, { value: gridColumnHeading(c), style: "header", locked: true });
    put(geo.codesRow, geo.colOf.get(c.code)!, { value: c.code, style: "code", locked: true });
  }
  put(geo.headerRow, geo.noteCol, { value: "说明", style: "header", locked: true });
  put(geo.headerRow, geo.checkCol, { value: "校验", style: "header", locked: true });
  put(geo.previousHeadingRow, GRID_NAME_COL, { value: `上期数值（供参考）`, style: "section", locked: true });
  for (const r of g.rows) {
    const row = geo.rowOf.get(r.code)!;
    const prevRow = geo.previousRowOf.get(r.code)!;
    const style = r.role === "total" ? "total" as const : "label" as const;
    put(row, GRID_CODE_COL, { value: r.code, style: "code", locked: true });
    put(row, GRID_NAME_COL, { value: gridRowLabel(r), style, locked: true });
    put(prevRow, GRID_NAME_COL, { value: gridRowLabel(r), style, locked: true });
    let noteOwner: string | null = null;
    for (const c of g.columns) {
      const code = gridCellCode(g.code, r.code, c.code);
      const col = geo.colOf.get(c.code)!;
      const ind = compiled.byCode.get(code);
      if (!ind) {
        put(row, col, { value: "—", style: "unit", locked: true });
        put(prevRow, col, { value: "—", style: "unit", locked: true });
        continue;
      }
      const numberFormat = numberFormatOf(ind);
      const fmt = numberFormat ? { numberFormat } : {};
      if (ind.kind === "derived") {
        const formula = renderExcelFormula(compiled.formulas.get(code)!, (ref) => ({ cell: d.refOf(ref), yesNo: false }));
        put(row, col, { formula, result: formulaResult(figures.currentDerived.get(code) ?? null), style: "derived", locked: true, ...fmt });
        put(prevRow, col, { value: cellValueOf(ind, figures.previousDerived[code]), style: "previous", locked: true, ...fmt });
        continue;
      }
      if (book.comment.get(code)?.row === row) noteOwner = code;
      put(row, col, { value: cellValueOf(ind, input.current?.[code]), style: "input", locked: false, ...fmt });
      put(prevRow, col, { value: cellValueOf(ind, figures.previous[code]), style: "previous", locked: true, ...fmt });
      const v = validationOf(ind, cellAddress(row, col));
      if (v) d.validations.push(v);
    }
    // a row's 说明 is kept with its first figure; a row of totals only takes none
    put(row, geo.noteCol, { value: noteOwner ? input.comments?.[noteOwner] ?? null : null, style: "comment", locked: noteOwner === null, numberFormat: TEXT_FORMAT });
    put(row, geo.checkCol, { value: null, style: "check", locked: true });
  }
  let lastRow = geo.previousHeadingRow + g.rows.length;
  if (g.notes) {
    put(geo.notesRow, 0, { value: `填报说明：${g.notes.zh}`, style: "note", locked: true });
    lastRow = geo.notesRow;
  }
  const widths = [12, 24, ...g.columns.map((c) => Math.max(12, Math.min(20, textWidth(gridColumnHeading(c)) / 2 + 2))), 24, 40];
  const landscape = g.columns.length > 4;
  const plan = pageSheet(name, head, d, {
    widths, lastPrinted: geo.noteCol, lastRow, freezeRows: geo.codesRow + 1, titleRow: geo.headerRow,
    legal: legalFaceLines(compiled.template.form, [g]), landscape,
    merges: [`B${geo.previousHeadingRow + 1}:${columnLetter(geo.noteCol)}${geo.previousHeadingRow + 1}`],
  });
  // a wide grid goes across pages rather than shrinking below legibility (10 pt notes at 65 %: 6.5 pt),
  // each page repeating 代码 and 项目 as a printed statistical table does
  const px = widths.slice(0, geo.noteCol + 1).reduce((a, w) => a + columnPixels(w), 0);
  const titles = columnPixels(widths[0]!) + columnPixels(widths[1]!);
  // every page but the first repeats the two title columns: the rest shares what remains of each page
  const perPage = printableWidthPx(landscape) / MIN_PRINT_SCALE - titles;
  const pagesWide = Math.ceil((px - titles) / perPage);
  return pagesWide > 1 ? { ...plan, print: { ...plan.print, pagesWide, titleColumns: "A:B" } } : plan;
}

/** A detail list's field heading: its name, its unit where a number has one, * when it is required. */
export const detailFieldHeading = (f: DetailField): string =>
  `${f.name.zh}${(f.type === "amount" || f.type === "count") && f.unit ? `（${f.unit}）` : ""}${f.required ? " *" : ""}`;

/** Blank rows a list's printed area keeps below its rows as drawn, to write in by hand. */
const DETAIL_PRINT_ROOM = 10;
/** Shows a positive 序号 and hides the zero or negative count a blank row carries (see detailNumberFormula). */
const DETAIL_NUMBER_FORMAT = "0;;;";

/**
 * A list row's 序号: its place among the rows that hold anything, as the reader numbers them (blank
 * rows are left out, so they are not counted and "第 N 行" in a message is the row whose 序号 is N).
 * Each row carries the count so far from the row above — shown where the row is used, kept negative
 * and hidden by its format where it is blank — so a row's formula reads its own cells and the 序号
 * above it, never the column above it: 5,000 rows cost 5,000 short formulas, not 12.5 million cell
 * reads. Spaces alone do not count, as for the reader.
 */
const detailNumberFormula = (row: number, lastField: number): string => {
  const [r, above] = [row + 1, cellAddress(row - 1, DETAIL_NUMBER_COL)];
  const fields = `${columnLetter(DETAIL_NUMBER_COL + 1)}${r}:${columnLetter(lastField)}${r}`;
  return `=IF(SUMPRODUCT(LEN(TRIM(${fields})))=0,-ABS(N(${above})),ABS(N(${above}))+1)`;
};

/** A stored value of a field as officials read it: a choice by its option's name, 是/否, a date as its text, a number in the field's format. */
function detailCell(f: DetailField, value: Value | undefined): { value: CellValue; numberFormat: string } {
  const ind = fieldIndicator(f);
  if (f.type === "count" || f.type === "amount") return { value: cellValueOf(ind, value), numberFormat: numberFormatOf(ind)! };
  // text, codes, dates and answers stay as typed: Excel would make 2024-03-05 a date and 000123 a number
  if (f.type === "choice" || f.type === "yesno") return { value: cellValueOf(ind, value), numberFormat: TEXT_FORMAT };
  return { value: typeof value === "string" ? value : null, numberFormat: TEXT_FORMAT };
}

const cut = (s: string, n: number): string => ([...s].length <= n ? s : `${[...s].slice(0, n - 1).join("")}…`);

/**
 * A field's rule over its whole column of rows, where Excel has one: a drop-down of option names (when
 * Excel can hold the list), 是/否, whole or decimal numbers within the field's bounds, text within its
 * length. A date has none: it is typed as text, and the reader takes the ways officials write one.
 */
function detailValidation(f: DetailField, range: string): ValidationPlan | null {
  if (f.type === "date") return null;
  const ind = fieldIndicator(f);
  if (ind.kind === "choice") {
    const names = ind.options.map((o) => o.name.zh);
    if (names.join(",").length > EXCEL_LIMITS.listSource || names.some((n) => /[,，"]/.test(n) || n.trim() !== n)) return null;
  }
  const v = validationOf(ind, range);
  return v && { ...v, error: { zh: cut(v.error.zh, EXCEL_LIMITS.alertMessage), en: cut(v.error.en, EXCEL_LIMITS.alertMessage) } };
}

/** A column's width (characters) for a field: what its values take, its heading wrapping above. */
function detailWidth(f: DetailField): number {
  const byType = {
    text: Math.min(28, Math.max(12, f.maxLength / 2 + 2)), code: Math.min(24, Math.max(10, f.maxLength + 4)),
    choice: Math.max(10, ...(f.options ?? []).map((o) => textWidth(o.name.zh) + 3)), yesno: 8, count: 10, amount: 14, date: 13,
  }[f.type];
  return Math.max(byType, Math.min(14, textWidth(detailFieldHeading(f)) / 2 + 1));
}

/**
 * A detail list's sheet (issue 25): 序号 and the fields' headings with their 栏次 codes, the unit's rows as
 * officials read them, then open rows down to the table's most, each field's cells unlocked with its rule
 * over the whole column; everything else is protected. The 填报说明 shares the status line's row (a list
 * grows downward, so nothing has a fixed place under it). It prints the rows as drawn and a few open ones:
 * the open rows down to 2,000 would print as pages of empty lines.
 */
function detailPagePlan(
  compiled: CompiledTemplate, page: FillPage & { kind: "detail" }, input: FillPlanInput, head: PageHead, d: PageDrawing & { cells: CellPlan[] }, name: string,
): SheetPlan {
  const t = page.table;
  const geo = page.geometry;
  const { put } = d;
  const lastField = geo.checkCol - 1;
  put(geo.headerRow, DETAIL_NUMBER_COL, { value: "序号", style: "header", locked: true });
  put(geo.codesRow, DETAIL_NUMBER_COL, { value: "栏次", style: "code", locked: true });
  for (const f of t.fields) {
    put(geo.headerRow, geo.colOf.get(f.code)!, { value: detailFieldHeading(f), style: "header", locked: true });
    put(geo.codesRow, geo.colOf.get(f.code)!, { value: f.code, style: "code", locked: true });
  }
  put(geo.headerRow, geo.checkCol, { value: "校验", style: "header", locked: true });
  const rows = (input.lists?.[t.code] ?? []).slice(0, t.maxRows);
  for (let i = 0; i < t.maxRows; i++) {
    const row = geo.firstRow + i;
    const values = rows[i];
    // as stored, every row holds something: numbered 1…n, and the open rows below carry n, hidden
    put(row, DETAIL_NUMBER_COL, { formula: detailNumberFormula(row, lastField), result: values ? i + 1 : rows.length === 0 ? 0 : -rows.length, style: "code", locked: true, numberFormat: DETAIL_NUMBER_FORMAT });
    for (const f of t.fields) put(row, geo.colOf.get(f.code)!, { ...detailCell(f, values?.[f.code]), style: "input", locked: false });
  }
  for (const f of t.fields) {
    const col = columnLetter(geo.colOf.get(f.code)!);
    const v = detailValidation(f, `${col}${geo.firstRow + 1}:${col}${geo.lastRow + 1}`);
    if (v) d.validations.push(v);
  }
  const widths = [6, ...t.fields.map(detailWidth), 40];
  // the 填报说明 right of the status, over the columns past about half the printed width
  const printed = widths.slice(0, lastField + 1);
  const half = printed.reduce((a, b) => a + b, 0) / 2;
  let statusLast = 0;
  while (statusLast < lastField - 1 && printed.slice(0, statusLast + 2).reduce((a, b) => a + b, 0) <= half) statusLast++;
  const notes = t.notes ? `填报说明：${t.notes.zh}` : "";
  const merges: string[] = [];
  let notesLines = 1;
  if (notes && lastField > 0) {
    put(FILL_STATUS_ROW, statusLast + 1, { value: notes, style: "label", locked: true });
    if (statusLast + 1 < lastField) merges.push(`${columnLetter(statusLast + 1)}${FILL_STATUS_ROW + 1}:${columnLetter(lastField)}${FILL_STATUS_ROW + 1}`);
    notesLines = Math.ceil(textWidth(notes) / printed.slice(statusLast + 1).reduce((a, b) => a + b, 0));
  }
  const px = printed.reduce((a, w) => a + columnPixels(w), 0);
  const landscape = px > printableWidthPx(false);
  const plan = pageSheet(name, head, d, {
    widths, lastPrinted: lastField, lastRow: Math.min(geo.lastRow, geo.firstRow + rows.length + DETAIL_PRINT_ROOM - 1),
    freezeRows: geo.codesRow + 1, titleRow: geo.headerRow, legal: legalFaceLines(compiled.template.form, [t]), landscape, merges,
    ...(notes && lastField > 0 ? { statusLast, statusLines: notesLines } : {}),
  });
  // a list of many fields goes across pages as a wide grid does, 序号 and the first field repeated
  const titles = columnPixels(widths[0]!) + columnPixels(widths[1]!);
  const pagesWide = Math.ceil((px - titles) / (printableWidthPx(landscape) / MIN_PRINT_SCALE - titles));
  return pagesWide > 1 ? { ...plan, print: { ...plan.print, pagesWide, titleColumns: "A:B" } } : plan;
}
