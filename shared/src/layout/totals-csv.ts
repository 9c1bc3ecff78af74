import type { CompiledTemplate } from "../template/compile";
import type { Indicator } from "../schemas/template";
import type { Totals } from "../aggregation/aggregate";
import { parsePeriod, periodLabel } from "../schemas/period";
import type { DetailField, DetailTable } from "../schemas/form";
import type { Values } from "../schemas/submission";
import type { CsvCell, CsvDate, CsvText } from "./csv";
import { listFieldHeader } from "./list-plan";

/** One line of the totals CSV: a unit (or the whole area) in one period ("2025", "2025-09"), with its totals. */
export interface TotalsCsvLine {
  unitId: string;
  name: string;
  period: string;
  totals: Totals;
}

/**
 * The period in words no spreadsheet reads as a date: "2024年度", "2024年上半年", "2024年第3季度",
 * "2024年9月份" (a bare "2024年9月" is a date to Excel in Chinese).
 */
export function csvPeriodText(period: string): string {
  const p = parsePeriod(period);
  const label = periodLabel(period, "zh");
  if (p?.type === "annual") return `${label}度`;
  if (p?.type === "month") return `${label}份`;
  return label;
}

const label = (ind: Indicator, table: string): string => `${table}${"unit" in ind && ind.unit ? `${ind.name.zh}（${ind.unit}）` : ind.name.zh}`;

/** The columns an indicator takes: one figure, or 是 and reported counts, or one count per option (a grid cell's headed by its 表号: two grids may share row and column names). */
function headersOf(ind: Indicator, table = ""): string[] {
  switch (ind.kind) {
    case "count": case "amount": return [label(ind, table)];
    // a like-with-like figure (同比) says over how many units it was computed
    case "derived": return ind.likeWithLike ? [label(ind, table), `${table}${ind.name.zh}：同口径单位数`] : [label(ind, table)];
    case "yesno": return [`${ind.name.zh}：“是”的单位数`, `${ind.name.zh}：填报单位数`];
    case "choice": return ind.options.map((o) => `${ind.name.zh}：${o.name.zh}`);
    case "text": return [`${ind.name.zh}：填报单位数`];
  }
}

/** A cell of the totals CSV: figures and text, never a date. */
export type TotalsCsvCell = Exclude<CsvCell, CsvDate | CsvText>;

/** An indicator's cells on one line; blank where nobody reported, never 0 for a figure nobody gave. */
function cellsOf(ind: Indicator, t: Totals["indicators"][string] | undefined): TotalsCsvCell[] {
  const width = headersOf(ind).length;
  // a total of another kind (the indicator changed kind since that period) is left blank, not shown wrong
  if (!t || t.kind !== ind.kind) return Array<TotalsCsvCell>(width).fill(null);
  switch (t.kind) {
    case "count": case "amount": return [t.value === null ? null : { decimal: t.value }];
    case "derived": return [t.value === null ? null : { decimal: t.value }, ...(width > 1 ? [t.units ?? null] : [])];
    case "yesno": return [t.reported === 0 ? null : t.yes, t.reported];
    case "choice": return ind.kind === "choice" ? ind.options.map((o) => (t.reported === 0 ? null : (t.counts[o.code] ?? 0))) : [];
    case "text": return [t.reported];
  }
}

/**
 * The totals CSV as rows: one line per unit and period, one column per figure, every figure a
 * number a spreadsheet reads as such — yes/no as two counts (units that said 是, units that
 * answered), a choice as one count per option, a text answer as the count of units that gave one,
 * amounts digit for digit. No cell holds "3/7"-like text a spreadsheet could turn into a date.
 */
export function totalsCsvRows(compiled: CompiledTemplate, lines: readonly TotalsCsvLine[]): TotalsCsvCell[][] {
  const inds = compiled.template.indicators;
  const header = ["单位代码", "单位", "期别", ...inds.flatMap((ind) => headersOf(ind, gridTableLabel(compiled, ind.code)))];
  return [header, ...lines.map((l) => [l.unitId, l.name, csvPeriodText(l.period), ...inds.flatMap((ind) => cellsOf(ind, l.totals.indicators[ind.code]))])];
}

/** "工规2表 " before a grid cell's name; "" for a list indicator. */
function gridTableLabel(compiled: CompiledTemplate, code: string): string {
  const ref = compiled.gridCells.get(code);
  const table = ref && compiled.template.form?.tables.find((t) => t.code === ref.table);
  return table ? `${table.formNo || table.name.zh} ` : "";
}

/**
 * A detail list's CSV (issue 25) is a file of its own, `export.csv?list=<code>`, not a section of the totals
 * CSV: that file is one table (a line per unit, a column per figure) that programs read as such, and the
 * list's figures (rows, sums, by option) are already columns of it. The list's file is one table too: a
 * line per row, with the unit that reported it and the row's number in that unit's list (序号, as review
 * notes name rows), then the fields as the list sheet heads them (units of measure in the header).
 */
export const listCsvHeader = (table: DetailTable): string[] => ["单位代码", "单位", "序号", ...table.fields.map(listFieldHeader)];

/** One row of a detail list as CSV cells, under the totals CSV's rules (toCsv: no formula, no stray date). */
export function listCsvRow(table: DetailTable, line: { unitId: string; name: string; row: number; values: Values }): CsvCell[] {
  return [line.unitId, line.name, line.row, ...table.fields.map((f) => listCsvCell(f, line.values[f.code]))];
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * A field's value: a count or amount digit for digit (never through a float), a date as a date, yes/no as
 * 是/否, a choice by its option's name (its code if the option is gone), text as text — text that looks
 * like a formula or a number in disguise is quoted by toCsv. A value of another type (a field whose type
 * changed) is written as the text it is.
 */
function listCsvCell(f: DetailField, v: Values[string] | undefined): CsvCell {
  if (v === null || v === undefined) return null;
  const text = String(v);
  switch (f.type) {
    case "count": case "amount": return DECIMAL_TEXT.test(text) ? { decimal: text } : text;
    case "date": return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { date: text } : text;
    case "yesno": return typeof v === "boolean" ? v : text;
    case "choice": return (f.options ?? []).find((o) => o.code === v)?.name.zh ?? text;
    // a code or a name stays as written, digits too (a credit code of 18 digits, a product code 000123)
    default: return { text };
  }
}

/** The last line of a list's CSV cut at its cap: how many rows the list has and how many the file holds. */
export const listCsvCutLine = (total: number, shown: number): CsvCell[] => [`（本清单共 ${total} 行，本文件只列出前 ${shown} 行）`];
