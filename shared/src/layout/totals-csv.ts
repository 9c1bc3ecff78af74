import type { CompiledTemplate } from "../template/compile";
import type { Indicator } from "../schemas/template";
import type { Totals } from "../aggregation/aggregate";
import { parsePeriod, periodLabel } from "../schemas/period";
import type { CsvCell } from "./csv";

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

/** An indicator's cells on one line; blank where nobody reported, never 0 for a figure nobody gave. */
function cellsOf(ind: Indicator, t: Totals["indicators"][string] | undefined): CsvCell[] {
  const width = headersOf(ind).length;
  // a total of another kind (the indicator changed kind since that period) is left blank, not shown wrong
  if (!t || t.kind !== ind.kind) return Array<CsvCell>(width).fill(null);
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
export function totalsCsvRows(compiled: CompiledTemplate, lines: readonly TotalsCsvLine[]): CsvCell[][] {
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
