// A detail list (浮动行, issue 25) in the aggregate workbook: one sheet per list with every row counted in
// the subtree's totals, each with the unit that reported it, then a 合计 row of live SUMs over each count
// and amount column and a small block of rows and sums by each option of each choice (and yes/no) field —
// live COUNTIF / SUMIF over the sheet — so the sheet recalculates to the figures the totals sheet shows
// (producers_output and the like). Values are written as the fill sheet shows them: a choice by its
// option's name, yes/no as 是/否, a date as its text, amounts as numbers at the field's decimals.
import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import type { DetailField, DetailTable, Form } from "../schemas/form";
import type { Values } from "../schemas/submission";
import { legalFaceLines } from "../template/form";
import { TEXT_FORMAT } from "./fill-plan";
import { formulaResult } from "./results";
import {
  PAGE_FOOTER, WRAPPED_STYLES, cellAddress, columnLetter, fitHeaders, headerFooterText, largest, safeSheetName, textWidth, uniqueSheetName,
  type CellPlan, type CellValue, type SheetPlan,
} from "./sheet-plan";
import { wrappedRowHeights } from "./totals-rows";

/** One row of the rolled-up list: the unit that reported it (its name as the workbook names units) and its fields as stored. */
export interface ListPlanRow {
  unit: string;
  values: Values;
}

export interface ListPlanInput {
  /** The unit whose totals these are (晋城市) and the period in words (2025年): in the title. */
  unit: string;
  period: string;
  /** The basis line as the other sheets state it (and when it was exported). */
  note: string;
  /** The rows, units in their official order, each unit's in its own: at most the cap the caller set. */
  rows: readonly ListPlanRow[];
  /** Rows in the whole list; more than `rows` when the caller cut it at its cap. */
  total?: number;
  /**
   * Each count and amount field's sum over the whole list (the stored figures, exact decimal text): said
   * on a line of its own when the list was cut, since the sheet's SUMs then cover only the rows shown.
   */
  allSums?: Readonly<Record<string, string | null>>;
  /** The form, for its legal face in the printed header. */
  form?: Form;
  /** Sheet names the workbook already has. */
  takenNames?: readonly string[];
}

/**
 * How many cells a workbook's detail lists may take together (rows × (fields + 1)): Excel's limits are far
 * away, a Worker's 128 MB is not — exceljs holds every cell of the workbook as objects until it writes the
 * file. Measured in Node with exceljs as the Worker runs it, the demo's 9-column list: 5,000 rows (45,000
 * cells) render within a 64 MB heap, 8,000 within 80 MB, 15,000 not within 110 MB. 60,000 cells leave room
 * for the workbook's other sheets. A list past its share is cut, said on its sheet; the list's CSV
 * (export.csv?list=…) carries it whole, up to LIST_CSV_ROWS.
 */
export const LIST_BOOK_CELLS = 60_000;

/** The most rows a list's CSV carries (written a page at a time, so memory does not grow with it): a line says when a list is longer. */
export const LIST_CSV_ROWS = 100_000;

/** The rows a list's sheet may hold: the workbook's list cells shared evenly between its lists, each row its fields and its unit. */
export const listSheetRows = (table: DetailTable, lists: number, cells = LIST_BOOK_CELLS): number =>
  Math.max(1, Math.floor(cells / Math.max(1, lists) / (table.fields.length + 1)));

const [TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW] = [0, 1, 2, 3];
const UNIT_COL = 0;
/** Rows sampled to size the columns: a wide first few thousand rows are representative, and measuring 100,000 is not free. */
const WIDTH_SAMPLE = 2000;

/** The longest criterion COUNTIF and SUMIF take, and the longest text a formula may hold (Excel's specifications and limits). */
const CRITERION_MAX = 255;

const isNumberField = (f: DetailField): boolean => f.type === "count" || f.type === "amount";

/** A field's header: its name, with its unit of measure as the fill sheet shows it (工业总产值（亿元）). */
export const listFieldHeader = (f: DetailField): string => (isNumberField(f) && f.unit ? `${f.name.zh}（${f.unit}）` : f.name.zh);

/** The number format that shows a count or amount field at its precision. */
const numberFormatOfField = (f: DetailField): string => (f.type === "amount" && f.decimals > 0 ? `0.${"0".repeat(f.decimals)}` : "0");

/** A stored number (decimal text, or a number) exactly; null when it is none. */
function exactOf(v: Values[string] | undefined): Exact | null {
  if (typeof v === "number") return Number.isFinite(v) ? X.exactFromNumber(v) : null;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)) return X.parseExact(v);
  return null;
}

/**
 * A stored field as the list shows it: a choice by its option's name (its code if the option is gone),
 * yes/no as 是/否, a count or amount as a number (from its decimal text, as the totals sheet writes
 * amounts), text, codes and dates as their text. Null for a blank.
 */
export function listCellValue(f: DetailField, v: Values[string] | undefined): CellValue {
  if (v === null || v === undefined) return null;
  switch (f.type) {
    case "choice": return (f.options ?? []).find((o) => o.code === v)?.name.zh ?? String(v);
    case "yesno": return typeof v === "boolean" ? (v ? "是" : "否") : String(v);
    case "count": case "amount": {
      const e = exactOf(v);
      return e === null ? String(v) : typeof v === "number" ? v : Number(v);
    }
    default: return String(v);
  }
}

/** The names a choice (or yes/no) field's rows are counted by: each option's, or 是 and 否. */
const optionNames = (f: DetailField): string[] => (f.type === "yesno" ? ["是", "否"] : (f.options ?? []).map((o) => o.name.zh));

/**
 * A COUNTIF / SUMIF criterion that matches exactly the text given: "=" first (a name starting with < > =
 * is not read as a comparison), the wildcards * ? ~ escaped with ~, quotes doubled inside the literal.
 */
export function exactCriterion(text: string): string {
  return `"=${text.replace(/[~*?]/g, "~$&").replace(/"/g, '""')}"`;
}

/**
 * The list's sheet: title, the basis line, a header row (单位, then the fields with their units), every
 * row, a 合计 row and the block by option. Text goes in as text (the Text format, so a name that starts
 * with = + - @ stays a name when edited; the add-in writes it with Excel's quote prefix), never as a
 * formula. Frozen under the header, filtered on it, the header repeated on every printed page.
 */
export function buildListPlan(table: DetailTable, input: ListPlanInput): SheetPlan {
  const fields = table.fields;
  const numbers = fields.filter(isNumberField);
  const groups = fields.filter((f) => f.type === "choice" || f.type === "yesno");
  const colOf = new Map(fields.map((f, j) => [f.code, UNIT_COL + 1 + j]));
  const lastCol = fields.length;
  const rows = input.rows;
  const total = Math.max(input.total ?? rows.length, rows.length);
  const cut = total > rows.length;
  const cells: CellPlan[] = [];
  const put = (row: number, col: number, cell: Omit<CellPlan, "row" | "col">): void => { cells.push({ row, col, ...cell }); };

  const title = `${input.unit} ${input.period} ${table.formNo} ${table.name.zh} 汇总`.replace(/\s+/g, " ").trim();
  put(TITLE_ROW, 0, { value: title, style: "title", locked: true });
  const count = rows.length === 0 ? "没有计入汇总的行" : cut ? `共 ${total} 行，本表列出前 ${rows.length} 行` : `共 ${total} 行`;
  put(NOTE_ROW, 0, { value: [table.unitLine, input.note, count].filter(Boolean).join("；"), style: "note", locked: true });
  put(HEADER_ROW, UNIT_COL, { value: "单位", style: "header", locked: true });
  fields.forEach((f) => put(HEADER_ROW, colOf.get(f.code)!, { value: listFieldHeader(f), style: "header", locked: true }));

  rows.forEach((r, i) => {
    const row = FIRST_ROW + i;
    put(row, UNIT_COL, { value: r.unit, style: "label", locked: true, numberFormat: TEXT_FORMAT });
    for (const f of fields) {
      const value = listCellValue(f, r.values[f.code]);
      if (value === null) continue;
      // a number field holding something else (a field that changed type) is shown as the text it is
      const numeric = isNumberField(f) && typeof value === "number";
      put(row, colOf.get(f.code)!, numeric
        ? { value, style: "input", locked: true, numberFormat: numberFormatOfField(f) }
        : { value, style: "label", locked: true, numberFormat: TEXT_FORMAT });
    }
  });

  const lastDataRow = FIRST_ROW + rows.length - 1;
  const range = (col: number) => `${cellAddress(FIRST_ROW, col)}:${cellAddress(lastDataRow, col)}`;
  // The exact figures each formula computes, stored beside it (viewers that never recalculate show them).
  const figure = (f: DetailField, keep: (r: ListPlanRow) => boolean): Exact | null => {
    const present = rows.filter(keep).map((r) => (typeof listCellValue(f, r.values[f.code]) === "number" ? exactOf(r.values[f.code]) : null)).filter((e): e is Exact => e !== null);
    return present.length === 0 ? null : X.sum(present);
  };
  // A blank row between the list and what follows: sorting or filtering the list (Excel takes the block
  // around the header as the list) never moves the 合计 into it.
  let row = lastDataRow + 2;
  if (cut) {
    put(row++, 0, { value: `本清单共 ${total} 行，本表只列出前 ${rows.length} 行（汇总表文件大小所限）；完整清单请下载本清单的 CSV。下面的合计只含已列出的行，全部行的合计见其下一行`, style: "check", locked: true });
  }
  if (rows.length > 0) {
    const totalRow = row++;
    put(totalRow, UNIT_COL, { value: cut ? "已列出的行合计" : "合计", style: "total", locked: true });
    for (const f of fields) {
      const col = colOf.get(f.code)!;
      if (!isNumberField(f)) { put(totalRow, col, { value: null, style: "total", locked: true }); continue; }
      const r = range(col);
      put(totalRow, col, { formula: `=IF(COUNT(${r})=0,"",SUM(${r}))`, result: formulaResult(figure(f, () => true)), style: "total", locked: true, numberFormat: numberFormatOfField(f) });
    }
    if (cut && input.allSums) {
      const allRow = row++;
      put(allRow, UNIT_COL, { value: `全部 ${total} 行合计`, style: "total", locked: true });
      for (const f of numbers) {
        const s = input.allSums[f.code];
        put(allRow, colOf.get(f.code)!, { value: s === null || s === undefined ? null : Number(s), style: "total", locked: true, numberFormat: numberFormatOfField(f) });
      }
    }
    byOption(row + 1);
  }

  /** 分类汇总: a row for the list as a whole, then per option of each choice and yes/no field its rows and its sums. */
  function byOption(top: number): void {
    let r = top;
    put(r++, 0, { value: cut ? "分类汇总（已列出的行）" : "分类汇总", style: "section", locked: true });
    const header = r++;
    ["分类", "行数", ...numbers.map(listFieldHeader)].forEach((h, j) => put(header, j, { value: h, style: "header", locked: true }));
    const unitRange = range(UNIT_COL);
    const line = (label: string, rowsFormula: string | null, rowsCount: number, sums: { formula: string | null; value: Exact | null; f: DetailField }[]): void => {
      const at = r++;
      put(at, 0, { value: label, style: "label", locked: true, numberFormat: TEXT_FORMAT });
      // no formula (an option name too long for a criterion): the figure itself
      const cell = (formula: string | null, v: Exact | null, numberFormat: string): Omit<CellPlan, "row" | "col"> => formula
        ? { formula, result: formulaResult(v), style: "derived", locked: true, numberFormat }
        : { value: v === null ? null : formulaResult(v), style: "derived", locked: true, numberFormat };
      put(at, 1, cell(rowsFormula, X.fromInt(rowsCount), "0"));
      sums.forEach((s, j) => put(at, 2 + j, cell(s.formula, s.value, numberFormatOfField(s.f))));
    };
    line("全部", `=COUNTA(${unitRange})`, rows.length, numbers.map((f) => {
      const n = range(colOf.get(f.code)!);
      return { f, formula: `=IF(COUNT(${n})=0,"",SUM(${n}))`, value: figure(f, () => true) };
    }));
    for (const g of groups) {
      const by = range(colOf.get(g.code)!);
      for (const name of optionNames(g)) {
        const crit = exactCriterion(name);
        // Excel takes a criterion (and a text in a formula) of at most 255 characters
        const live = crit.length - 2 <= CRITERION_MAX;
        const keep = (x: ListPlanRow) => listCellValue(g, x.values[g.code]) === name;
        line(`${g.name.zh}：${name}`, live ? `=COUNTIF(${by},${crit})` : null, rows.filter(keep).length, numbers.map((f) => {
          const n = range(colOf.get(f.code)!);
          // blank where no row of the option has the figure (a sum over no figure is blank, as in the totals)
          return { f, formula: live ? `=IF(COUNTIFS(${by},${crit},${n},"<>")=0,"",SUMIF(${by},${crit},${n}))` : null, value: figure(f, keep) };
        }));
      }
    }
  }

  const columnWidths = widthsOf(table, rows, numbers.length);
  const lastRow = largest(cells.map((c) => c.row));
  const legal = legalFaceLines(input.form, [table]).split("\n").map(headerFooterText).join("\n");
  const headers = fitHeaders(headerFooterText(title), legal);
  const last = columnLetter(Math.max(lastCol, 1 + numbers.length));
  const taken = new Set(input.takenNames ?? []);
  return {
    name: uniqueSheetName(safeSheetName(`${table.formNo} ${table.name.zh}`.trim()), taken),
    cells,
    columnWidths,
    merges: [`A${TITLE_ROW + 1}:${last}${TITLE_ROW + 1}`, `A${NOTE_ROW + 1}:${last}${NOTE_ROW + 1}`],
    validations: [],
    freezeRows: FIRST_ROW,
    protect: false,
    properties: {},
    autoFilter: `A${HEADER_ROW + 1}:${columnLetter(lastCol)}${Math.max(lastDataRow, HEADER_ROW) + 1}`,
    rowHeights: wrappedRowHeights(cells, columnWidths, WRAPPED_STYLES),
    print: {
      landscape: fields.length > 5,
      titleRows: `${HEADER_ROW + 1}:${HEADER_ROW + 1}`,
      area: `A1:${last}${lastRow + 1}`,
      gridlines: true,
      header: headers.center,
      ...(headers.right ? { headerRight: headers.right } : {}),
      footer: PAGE_FOOTER,
      ...(table.fields.length > 9 ? { pagesWide: 2, titleColumns: "A:A" } : {}),
    },
  };
}

/** Column widths from the header and the first rows' text: at least 8, at most 40 characters (longer text wraps). */
function widthsOf(table: DetailTable, rows: readonly ListPlanRow[], numberCount: number): number[] {
  const sample = rows.slice(0, WIDTH_SAMPLE);
  const fit = (texts: Iterable<string>, floor: number) => {
    let w = floor;
    for (const t of texts) w = Math.max(w, textWidth(t) + 2);
    return Math.min(40, w);
  };
  const widths = [
    fit([...new Set(sample.map((r) => r.unit)), "单位"], 12),
    ...table.fields.map((f) => fit([listFieldHeader(f), ...sample.map((r) => { const v = listCellValue(f, r.values[f.code]); return v === null ? "" : String(v); })], 8)),
  ];
  // the block by option puts its labels in A and its figures from B: room for them too
  widths[0] = Math.max(widths[0]!, Math.min(40, fit(table.fields.filter((f) => f.type === "choice" || f.type === "yesno").flatMap((f) => optionNames(f).map((o) => `${f.name.zh}：${o}`)), 12)));
  for (let j = 1; j <= 1 + numberCount && j < widths.length; j++) widths[j] = Math.max(widths[j]!, 10);
  return widths;
}
