import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { renderExcelFormula } from "../formula";
import type { Totals } from "../aggregation/aggregate";
import { cellValueOf, numberFormatOf } from "./fill-plan";
import { cellAddress, columnLetter, safeSheetName, type CellPlan, type CellValue, type ChartPlan, type SheetPlan } from "./sheet-plan";

/** One column of the totals sheet: a child unit and its figures (leaf values, or its own totals). */
export interface TotalsColumn {
  id: string;
  name: string;
  values: Values;
}

export interface TotalsPlanInput {
  title: string;
  note: string;
  columns: TotalsColumn[];
  previous?: Totals | null;
  /** Indicators to compare unit by unit in a chart below the table. */
  chartCodes?: string[];
}

const FIRST_ROW = 3;
const FIRST_UNIT_COL = 4;

/** A child unit's totals as one column of figures: sums, and for yes/no the count of yes. */
export function totalsAsColumn(compiled: CompiledTemplate, totals: Totals): Values {
  const out: Values = {};
  for (const ind of compiled.template.indicators) {
    const t = totals.indicators[ind.code];
    if (!t) continue;
    if (t.kind === "count" || t.kind === "amount") out[ind.code] = t.value;
    else if (t.kind === "yesno") out[ind.code] = t.reported === 0 ? null : t.yes;
  }
  return out;
}

function previousCell(t: Totals["indicators"][string] | undefined): CellValue {
  if (!t) return null;
  if (t.kind === "count" || t.kind === "amount" || t.kind === "derived") return t.value === null ? null : Number(t.value);
  if (t.kind === "yesno") return t.reported === 0 ? null : t.yes;
  return null;
}

/**
 * The aggregate sheet: rows are indicators; columns are the total, then each unit, then the
 * previous period's total and the change. Totals are live SUMs and rates are live formulas over
 * the totals column, so the sheet recalculates to the same figures the API reports.
 */
export function buildTotalsPlan(compiled: CompiledTemplate, input: TotalsPlanInput): SheetPlan {
  const { template } = compiled;
  const cells: CellPlan[] = [];
  const put = (row: number, col: number, cell: Omit<CellPlan, "row" | "col">): void => { cells.push({ row, col, ...cell }); };
  const n = input.columns.length;
  const lastUnitCol = FIRST_UNIT_COL + n - 1;
  const prevCol = FIRST_UNIT_COL + n;
  const changeCol = prevCol + 1;

  const rowOf = new Map<string, number>();
  const layout: ({ row: number; section: string } | { row: number; code: string })[] = [];
  let row = FIRST_ROW;
  for (const section of template.sections) {
    const inds = template.indicators.filter((i) => i.section === section.code);
    if (inds.length === 0) continue;
    layout.push({ row: row++, section: section.code });
    for (const ind of inds) { rowOf.set(ind.code, row); layout.push({ row: row++, code: ind.code }); }
  }

  put(0, 0, { value: input.title, style: "title", locked: true });
  put(1, 0, { value: input.note, style: "note", locked: true });
  ["代码", "指标名称", "计量单位", "合计"].forEach((h, col) => put(2, col, { value: h, style: "header", locked: true }));
  input.columns.forEach((c, i) => put(2, FIRST_UNIT_COL + i, { value: c.name, style: "header", locked: true }));
  put(2, prevCol, { value: "上期合计", style: "header", locked: true });
  put(2, changeCol, { value: "增减", style: "header", locked: true });

  for (const item of layout) {
    if ("section" in item) {
      put(item.row, 0, { value: template.sections.find((s) => s.code === item.section)!.name.zh, style: "section", locked: true });
      continue;
    }
    const ind = compiled.byCode.get(item.code)!;
    const r = item.row;
    const fmt = numberFormatOf(ind);
    const withFmt = fmt ? { numberFormat: fmt } : {};
    put(r, 0, { value: ind.code, style: "code", locked: true });
    put(r, 1, { value: ind.kind === "yesno" ? `${ind.name.zh}（“是”的单位数）` : ind.name.zh, style: "label", locked: true });
    put(r, 2, { value: "unit" in ind && ind.unit ? ind.unit : ind.kind === "yesno" ? "个" : "", style: "unit", locked: true });
    const range = n > 0 ? `${cellAddress(r, FIRST_UNIT_COL)}:${cellAddress(r, lastUnitCol)}` : null;
    const columnFormula = (col: number): string => renderExcelFormula(compiled.formulas.get(ind.code)!, (code) => ({
      cell: cellAddress(rowOf.get(code)!, col),
    }));
    if (ind.kind === "derived") put(r, 3, { formula: columnFormula(3), style: "total", locked: true, ...withFmt });
    else if ((ind.kind === "count" || ind.kind === "amount") && range) put(r, 3, { formula: `=IF(COUNT(${range})=0,"",SUM(${range}))`, style: "total", locked: true, ...withFmt });
    else if (ind.kind === "yesno" && range) put(r, 3, { formula: `=IF(COUNTA(${range})=0,"",COUNTIF(${range},"是")+SUM(${range}))`, style: "total", locked: true, numberFormat: "0" });
    else put(r, 3, { value: null, style: "total", locked: true });
    input.columns.forEach((c, i) => {
      const col = FIRST_UNIT_COL + i;
      if (ind.kind === "derived") put(r, col, { formula: columnFormula(col), style: "derived", locked: true, ...withFmt });
      else {
        const v = c.values[ind.code];
        put(r, col, { value: ind.kind === "yesno" && typeof v === "number" ? v : cellValueOf(ind, v), style: "input", locked: true, ...withFmt });
      }
    });
    if (ind.kind === "count" || ind.kind === "amount" || ind.kind === "derived" || ind.kind === "yesno") {
      put(r, prevCol, { value: previousCell(input.previous?.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
      const d = cellAddress(r, 3);
      const p = cellAddress(r, prevCol);
      put(r, changeCol, { formula: `=IF(OR(${d}="",${p}=""),"",${d}-${p})`, style: "change", locked: true, ...withFmt });
    }
  }
  const charts: ChartPlan[] = [];
  const chartCodes = (input.chartCodes ?? []).filter((code) => rowOf.has(code));
  if (chartCodes.length > 0 && n > 0) {
    // A small block that mirrors the chosen rows (live references), so the chart has one contiguous source.
    const top = row + 1;
    put(top, 0, { value: "主要指标分单位对比", style: "section", locked: true });
    input.columns.forEach((c, i) => put(top + 1, FIRST_UNIT_COL + i, { value: c.name, style: "header", locked: true }));
    chartCodes.forEach((code, k) => {
      const r = top + 2 + k;
      put(r, 3, { value: compiled.byCode.get(code)!.name.zh, style: "label", locked: true });
      input.columns.forEach((_, i) => put(r, FIRST_UNIT_COL + i, { formula: `=${cellAddress(rowOf.get(code)!, FIRST_UNIT_COL + i)}`, style: "derived", locked: true, numberFormat: "0.00" }));
    });
    const last = top + 1 + chartCodes.length;
    charts.push({
      type: "columnClustered",
      source: `${cellAddress(top + 1, 3)}:${cellAddress(last, lastUnitCol)}`,
      title: "主要指标分单位对比",
      from: cellAddress(last + 2, 0),
      to: cellAddress(last + 20, Math.max(6, lastUnitCol)),
    });
  }
  return {
    charts,
    name: safeSheetName(`汇总-${input.title}`),
    cells,
    columnWidths: [16, 40, 10, 14, ...input.columns.map(() => 12), 14, 12],
    merges: [`A1:${columnLetter(changeCol)}1`],
    validations: [],
    freezeRows: 3,
    protect: false,
    properties: {},
    print: { landscape: true, titleRows: "1:3" },
  };
}
