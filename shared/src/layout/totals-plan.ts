import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { renderExcelFormula } from "../formula";
import type { Totals } from "../aggregation/aggregate";
import { changeNote, type Comparison } from "./comparison";
import { cellValueOf, numberFormatOf } from "./fill-plan";
import { SheetValues, contentOf } from "./results";
import { PAGE_FOOTER, cellAddress, columnLetter, safeSheetName, type CellPlan, type CellValue, type ChartPlan, type SheetPlan } from "./sheet-plan";

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
  /** Both periods over the units that reported in both: the change is then like with like (同口径). */
  comparison?: Comparison | null;
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

/** A total as a sheet figure: sums and rates, the count of yes; nothing for choices and texts. */
function totalCell(t: Totals["indicators"][string] | undefined): CellValue {
  if (!t) return null;
  if (t.kind === "count" || t.kind === "amount" || t.kind === "derived") return t.value === null ? null : Number(t.value);
  if (t.kind === "yesno") return t.reported === 0 ? null : t.yes;
  return null;
}

/**
 * The aggregate sheet: rows are indicators; columns are the total, then each unit, then the
 * previous period's total and the change — like with like when a comparison is given (this and
 * the previous period over the units that reported in both), otherwise said not to be. Totals are
 * live SUMs and rates live formulas over their column, so the sheet recalculates to the figures
 * the API reports; every formula also carries the result it computes, for viewers that never
 * recalculate.
 */
export function buildTotalsPlan(compiled: CompiledTemplate, input: TotalsPlanInput): SheetPlan {
  const { template } = compiled;
  const cells: CellPlan[] = [];
  const sheet = new SheetValues();
  const put = (row: number, col: number, cell: Omit<CellPlan, "row" | "col">): void => {
    cells.push({ row, col, ...cell });
    if (!cell.formula) sheet.set(row, col, contentOf(cell.value));
  };
  /** A formula cell and its result, which `compute` works out from the cells already placed. */
  const putFormula = (row: number, col: number, formula: string, style: CellPlan["style"], compute: () => ReturnType<SheetValues["get"]>, fmt: { numberFormat?: string }): void => {
    const content = compute();
    sheet.set(row, col, content);
    cells.push({ row, col, formula, result: SheetValues.result(content), style, locked: true, ...fmt });
  };
  const n = input.columns.length;
  const lastUnitCol = FIRST_UNIT_COL + n - 1;
  const unitCols = input.columns.map((_, i) => FIRST_UNIT_COL + i);
  const prevCol = FIRST_UNIT_COL + n;
  const cmp = input.comparison ?? null;
  const [cmpCurCol, cmpPrevCol] = cmp ? [prevCol + 1, prevCol + 2] : [-1, -1];
  const changeCol = cmp ? prevCol + 3 : prevCol + 1;

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
  put(1, 0, { value: [input.note, changeNote(cmp, input.previous)].filter((s) => s !== "").join("；"), style: "note", locked: true });
  const headers = ["代码", "指标名称", "计量单位", "合计", ...input.columns.map((c) => c.name), "上期合计",
    ...(cmp ? ["本期（同口径）", "上期（同口径）", "增减（同口径）"] : ["增减（未按同口径）"])];
  headers.forEach((h, col) => put(2, col, { value: h, style: "header", locked: true }));

  // Rates over one column: the derived figures of that column, in dependency order, from its cells.
  const derivedOf = (col: number) => sheet.derived(compiled, (code) => [rowOf.get(code)!, col]);
  const columnFormula = (code: string, col: number): string => renderExcelFormula(compiled.formulas.get(code)!, (ref) => ({ cell: cellAddress(rowOf.get(ref)!, col) }));
  const rateColumns: number[] = [];

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
    input.columns.forEach((c, i) => {
      if (ind.kind === "derived") return;
      const v = c.values[ind.code];
      put(r, FIRST_UNIT_COL + i, { value: ind.kind === "yesno" && typeof v === "number" ? v : cellValueOf(ind, v), style: "input", locked: true, ...withFmt });
    });
    const range = n > 0 ? `${cellAddress(r, FIRST_UNIT_COL)}:${cellAddress(r, lastUnitCol)}` : null;
    if ((ind.kind === "count" || ind.kind === "amount") && range) {
      putFormula(r, 3, `=IF(COUNT(${range})=0,"",SUM(${range}))`, "total", () => sheet.sum(r, unitCols), withFmt);
    } else if (ind.kind === "yesno" && range) {
      putFormula(r, 3, `=IF(COUNTA(${range})=0,"",COUNTIF(${range},"是")+SUM(${range}))`, "total", () => sheet.yesCount(r, unitCols), { numberFormat: "0" });
    } else if (ind.kind !== "derived") put(r, 3, { value: null, style: "total", locked: true });
    if (ind.kind === "choice" || ind.kind === "text") continue;
    put(r, prevCol, { value: totalCell(input.previous?.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
    if (cmp && ind.kind !== "derived") {
      put(r, cmpCurCol, { value: totalCell(cmp.current.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
      put(r, cmpPrevCol, { value: totalCell(cmp.previous.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
    }
  }
  // Rates come after every input and sum is placed, column by column, so each result reads finished cells.
  rateColumns.push(3, ...unitCols, ...(cmp ? [cmpCurCol, cmpPrevCol] : []));
  for (const col of rateColumns) {
    const values = derivedOf(col);
    for (const code of compiled.derivedOrder) {
      const ind = compiled.byCode.get(code)!;
      const fmt = numberFormatOf(ind);
      putFormula(rowOf.get(code)!, col, columnFormula(code, col), col === 3 ? "total" : col === cmpCurCol || col === cmpPrevCol ? "previous" : "derived",
        () => values.get(code) ?? null, fmt ? { numberFormat: fmt } : {});
    }
  }
  const [fromCol, toCol] = cmp ? [cmpCurCol, cmpPrevCol] : [3, prevCol];
  for (const ind of template.indicators) {
    if (ind.kind === "choice" || ind.kind === "text") continue;
    const r = rowOf.get(ind.code)!;
    const d = cellAddress(r, fromCol);
    const p = cellAddress(r, toCol);
    const fmt = numberFormatOf(ind);
    putFormula(r, changeCol, `=IF(OR(${d}="",${p}=""),"",${d}-${p})`, "change", () => sheet.difference(r, fromCol, toCol), fmt ? { numberFormat: fmt } : {});
  }
  const charts = chartBlock(compiled, input, { row, rowOf, lastUnitCol, put, putFormula, sheet });
  return {
    charts,
    name: safeSheetName(`汇总-${input.title}`),
    cells,
    columnWidths: [16, 40, 10, 14, ...input.columns.map(() => 12), 14, ...(cmp ? [14, 14, 14] : [16])],
    merges: [`A1:${columnLetter(changeCol)}1`],
    validations: [],
    freezeRows: 3,
    protect: false,
    properties: {},
    print: { landscape: true, titleRows: "1:3", gridlines: true, footer: PAGE_FOOTER },
  };
}

/** A small block that mirrors the chosen rows (live references), so a chart has one contiguous source. */
function chartBlock(
  compiled: CompiledTemplate, input: TotalsPlanInput,
  at: { row: number; rowOf: ReadonlyMap<string, number>; lastUnitCol: number; sheet: SheetValues;
    put: (row: number, col: number, cell: Omit<CellPlan, "row" | "col">) => void;
    putFormula: (row: number, col: number, formula: string, style: CellPlan["style"], compute: () => ReturnType<SheetValues["get"]>, fmt: { numberFormat?: string }) => void; },
): ChartPlan[] {
  const chartCodes = (input.chartCodes ?? []).filter((code) => at.rowOf.has(code));
  if (chartCodes.length === 0 || input.columns.length === 0) return [];
  const top = at.row + 1;
  at.put(top, 0, { value: "主要指标分单位对比", style: "section", locked: true });
  input.columns.forEach((c, i) => at.put(top + 1, FIRST_UNIT_COL + i, { value: c.name, style: "header", locked: true }));
  chartCodes.forEach((code, k) => {
    const r = top + 2 + k;
    at.put(r, 3, { value: compiled.byCode.get(code)!.name.zh, style: "label", locked: true });
    input.columns.forEach((_, i) => {
      const source = at.rowOf.get(code)!;
      const ref = cellAddress(source, FIRST_UNIT_COL + i);
      // IF(ref="","",ref): a blank figure stays blank here (a bare =ref would show 0)
      at.putFormula(r, FIRST_UNIT_COL + i, `=IF(${ref}="","",${ref})`, "derived", () => at.sheet.get(source, FIRST_UNIT_COL + i), { numberFormat: "0.00" });
    });
  });
  const last = top + 1 + chartCodes.length;
  return [{
    type: "columnClustered",
    source: `${cellAddress(top + 1, 3)}:${cellAddress(last, at.lastUnitCol)}`,
    title: "主要指标分单位对比",
    from: cellAddress(last + 2, 0),
    to: cellAddress(last + 20, Math.max(6, at.lastUnitCol)),
  }];
}
