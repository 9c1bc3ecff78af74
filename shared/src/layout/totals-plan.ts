import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import type { Indicator } from "../schemas/template";
import { renderExcelFormula } from "../formula";
import { aggregateReports, type Totals } from "../aggregation/aggregate";
import { changeNote, type Comparison } from "./comparison";
import { cellValueOf, numberFormatOf } from "./fill-plan";
import { SheetValues, contentOf } from "./results";
import { PAGE_FOOTER, WRAPPED_STYLES, cellAddress, columnLetter, largest, safeSheetName, type CellPlan, type CellValue, type ChartPlan, type SheetPlan } from "./sheet-plan";
import { GROWTH_FORMAT, countsOf, distributionText, growth, growthFormula, isRate, pointsFormat, stateMark, wrappedRowHeights, type ColumnState } from "./totals-rows";

export type { ColumnState } from "./totals-rows";
export * from "./notes-plan";

/** One column of the totals sheet: a child unit and its figures (leaf values, or its own totals). */
export interface TotalsColumn {
  id: string;
  name: string;
  values: Values;
  /** For a column that is itself a total (a city at the province): each choice's counts by option. */
  choices?: Record<string, Record<string, number>>;
  /** Where the unit's report (or, for a review level, its upward submission) stands: marked under its name. */
  state?: ColumnState;
  /** The column is a review level (a city in a province's round). */
  level?: boolean;
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
  /**
   * This period's totals as the API reports them. A like-with-like figure (同比, issue 24) is summed over
   * the units with both periods, which the columns' sums cannot give: the total column takes it from
   * here. Left out, it is computed from the columns when each is one unit's figures.
   */
  totals?: Totals | null;
}

const [NAME_COL, UNIT_COL, TOTAL_COL, FIRST_UNIT_COL] = [0, 1, 2, 3];

/**
 * A child unit's totals as one column of figures: sums, and for yes/no the count of yes; a like-with-like
 * figure (同比) as its total says, since its column's sums are not over the same units.
 */
export function totalsAsColumn(compiled: CompiledTemplate, totals: Totals): Values {
  const out: Values = {};
  for (const ind of compiled.template.indicators) {
    const t = totals.indicators[ind.code];
    if (!t) continue;
    if (t.kind === "count" || t.kind === "amount") out[ind.code] = t.value;
    else if (t.kind === "yesno") out[ind.code] = t.reported === 0 ? null : t.yes;
    else if (t.kind === "derived" && isLikeWithLike(ind)) out[ind.code] = t.value;
  }
  return out;
}

const isLikeWithLike = (ind: Indicator): boolean => ind.kind === "derived" && ind.likeWithLike === true;

/** A 同比 figure's two operands: this period's figure and its 上年同期 (x_yoy, x_yoyp → x, x_ly); null when the template has no such pair. */
function likeWithLikePair(compiled: CompiledTemplate, code: string): { now: string; ly: string; percent: boolean } | null {
  const m = /^(.+)_yoy(p?)$/.exec(code);
  if (!m) return null;
  const ly = compiled.byCode.get(`${m[1]}_ly`);
  return ly && (ly.kind === "count" || ly.kind === "amount") && ly.lastYearOf === m[1] ? { now: m[1]!, ly: ly.code, percent: m[2] === "p" } : null;
}

/**
 * The total of a 同比 figure over the unit columns that have both periods: SUMPRODUCT of the figures
 * where both cells are filled (an empty cell compares equal to "", and counts 0), the growth against
 * the size of last year's sum as the template's own formula has it; blank with no unit compared.
 */
function pairedFormula(pair: { now: string; ly: string; percent: boolean }, rowOf: ReadonlyMap<string, number>, unitCols: readonly number[]): string {
  const range = (c: string) => `${cellAddress(rowOf.get(c)!, unitCols[0]!)}:${cellAddress(rowOf.get(c)!, unitCols[unitCols.length - 1]!)}`;
  const [a, b] = [range(pair.now), range(pair.ly)];
  const both = `(${a}<>"")*(${b}<>"")`;
  const [cur, ly, n] = [`SUMPRODUCT(${both},${a})`, `SUMPRODUCT(${both},${b})`, `SUMPRODUCT(${both})`];
  return pair.percent ? `=IF(OR(${n}=0,${ly}=0),"",(${cur}-${ly})/ABS(${ly})*100)` : `=IF(${n}=0,"",${cur}-${ly})`;
}

/** The basis of the 同比 figures, for the note under the title: over how many units both periods were compared. */
export function sameUnitsNote(compiled: CompiledTemplate, totals: Totals | null): string {
  const codes = compiled.template.indicators.filter(isLikeWithLike).map((i) => i.code);
  if (codes.length === 0) return "";
  if (!totals) return "同比按两期都有数据的单位计算（同口径）";
  const counts = [...new Set(codes.map((code) => { const t = totals.indicators[code]; return t?.kind === "derived" ? (t.units ?? 0) : 0; }))];
  if (counts.length === 1) return `同比按两期都有数据的 ${counts[0]} 个单位计算（同口径）`;
  // different figures were reported by different units: each 同比 figure's count, by its name
  const each = codes.filter((code) => { const i = compiled.byCode.get(code)!; return i.kind === "derived" && i.unit === "%"; }).map((code) => {
    const t = totals.indicators[code];
    return `${compiled.byCode.get(code)!.name.zh} ${t?.kind === "derived" ? (t.units ?? 0) : 0} 个`;
  });
  return `同比按两期都有数据的单位计算（同口径）：${each.join("、")}`;
}

/** A child unit's choice counts, for the distribution shown in its column. */
export const choicesOf = (totals: Totals): Record<string, Record<string, number>> =>
  Object.fromEntries(Object.entries(totals.indicators).flatMap(([code, t]) => (t.kind === "choice" ? [[code, t.counts]] : [])));

/** A total as a sheet figure: sums, the count of yes; rates are worked out on the sheet from the sums. */
function totalCell(t: Totals["indicators"][string] | undefined): CellValue {
  if (!t) return null;
  if (t.kind === "count" || t.kind === "amount") return t.value === null ? null : Number(t.value);
  if (t.kind === "yesno") return t.reported === 0 ? null : t.yes;
  return null;
}

/** The sheet's columns: names first, the units, then (with a previous period) the change; the codes last, off the paper. */
function columnsOf(n: number, hasPrev: boolean, cmp: boolean) {
  const unitCols = Array.from({ length: n }, (_, i) => FIRST_UNIT_COL + i);
  const prevCol = hasPrev ? FIRST_UNIT_COL + n : -1;
  const [cmpCurCol, cmpPrevCol] = cmp ? [prevCol + 1, prevCol + 2] : [-1, -1];
  const changeCol = !hasPrev ? -1 : cmp ? prevCol + 3 : prevCol + 1;
  const growthCol = hasPrev ? changeCol + 1 : -1;
  const lastPrinted = hasPrev ? growthCol : FIRST_UNIT_COL + n - 1;
  return { unitCols, prevCol, cmpCurCol, cmpPrevCol, changeCol, growthCol, lastPrinted: Math.max(TOTAL_COL, lastPrinted), codeCol: Math.max(TOTAL_COL, lastPrinted) + 1 };
}

/**
 * The aggregate sheet: rows are indicators by name; columns are the total, then each unit (marked
 * with where its report stands), then — only when there is a previous period — its total, the
 * change and the change in percent (a rate's change in 个百分点 instead), like with like when a
 * comparison is given. Totals are live SUMs and rates live formulas over their column (the previous
 * period's too, from its sums), so the sheet recalculates to the figures the API reports; every
 * formula also carries the exact result it computes, for viewers that never recalculate. The codes
 * sit in a last column outside the print area.
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
  const cmp = input.comparison ?? null;
  const hasPrev = cmp !== null || (input.previous ?? null) !== null;
  const cols = columnsOf(n, hasPrev, cmp !== null);
  const { unitCols, prevCol, cmpCurCol, cmpPrevCol, changeCol, growthCol, lastPrinted, codeCol } = cols;
  const withStates = input.columns.some((c) => c.state !== undefined);
  const firstRow = withStates ? 4 : 3;

  const rowOf = new Map<string, number>();
  const layout: ({ row: number; section: string } | { row: number; code: string })[] = [];
  let row = firstRow;
  for (const section of template.sections) {
    const inds = template.indicators.filter((i) => i.section === section.code);
    if (inds.length === 0) continue;
    layout.push({ row: row++, section: section.code });
    for (const ind of inds) { rowOf.set(ind.code, row); layout.push({ row: row++, code: ind.code }); }
  }

  put(0, 0, { value: input.title, style: "title", locked: true });
  // 同比 (like with like) is summed over the units with both periods: the total's comes from the API's
  // totals, or from the columns when each is one unit's figures; a column that is a total carries its own
  const sameUnits = compiled.template.indicators.some(isLikeWithLike);
  const leafColumns = input.columns.every((c) => c.choices === undefined);
  const current = !sameUnits ? null : input.totals ?? (leafColumns ? aggregateReports(compiled, input.columns.map((c) => ({ unitId: c.id, values: c.values }))) : null);
  put(1, 0, { value: [input.note, changeNote(cmp, input.previous), sameUnitsNote(compiled, current)].filter((s) => s !== "").join("；"), style: "note", locked: true });
  const headers = ["指标名称", "计量单位", "合计", ...input.columns.map((c) => c.name),
    ...(!hasPrev ? [] : ["上期合计", ...(cmp ? ["本期（同口径）", "上期（同口径）", "增减（同口径）"] : ["增减（未按同口径）"]), "增减幅度（%）"])];
  headers.forEach((h, col) => put(2, col, { value: h, style: "header", locked: true }));
  put(2, codeCol, { value: "指标代码", style: "header", locked: true });
  if (withStates) {
    put(3, NAME_COL, { value: "本期状态", style: "label", locked: true });
    input.columns.forEach((c, i) => { if (c.state) { const m = stateMark(c.state, c.level === true); put(3, FIRST_UNIT_COL + i, { value: m.text, style: m.style, locked: true }); } });
  }

  const derivedOf = (col: number) => sheet.derived(compiled, (code) => [rowOf.get(code)!, col]);
  const columnFormula = (code: string, col: number): string => renderExcelFormula(compiled.formulas.get(code)!, (ref) => ({ cell: cellAddress(rowOf.get(ref)!, col) }));

  for (const item of layout) {
    if ("section" in item) {
      put(item.row, 0, { value: template.sections.find((s) => s.code === item.section)!.name.zh, style: "section", locked: true });
      continue;
    }
    placeIndicator(compiled.byCode.get(item.code)!, item.row, { input, cols, cmp, put, putFormula, sheet });
  }
  // Rates come after every input and sum is placed, column by column, so each result reads finished cells.
  for (const col of [TOTAL_COL, ...unitCols, ...(hasPrev ? [prevCol] : []), ...(cmp ? [cmpCurCol, cmpPrevCol] : [])]) {
    const values = derivedOf(col);
    for (const code of compiled.derivedOrder) {
      const ind = compiled.byCode.get(code)!;
      const fmt = numberFormatOf(ind);
      const style = col === TOTAL_COL ? "total" : col === prevCol || col === cmpCurCol || col === cmpPrevCol ? "previous" : "derived";
      if (isLikeWithLike(ind) && leafColumns && (unitCols.includes(col) || (col === TOTAL_COL && n > 0))) {
        // each column one unit's figures: its 同比 is the template's formula over them; the total, the
        // same over the units that have both periods (like with like), so the sheet recalculates to the API's
        const pair = likeWithLikePair(compiled, code);
        if (col !== TOTAL_COL || pair) {
          if (col === TOTAL_COL) putFormula(rowOf.get(code)!, col, pairedFormula(pair!, rowOf, unitCols), style, () => sheet.pairedChange(rowOf.get(pair!.now)!, rowOf.get(pair!.ly)!, unitCols, pair!.percent), fmt ? { numberFormat: fmt } : {});
          else putFormula(rowOf.get(code)!, col, columnFormula(code, col), style, () => values.get(code) ?? null, fmt ? { numberFormat: fmt } : {});
          continue;
        }
      }
      if (isLikeWithLike(ind)) {
        // a figure, not a formula over the column's sums (which are not over the same units)
        const unitIndex = col - FIRST_UNIT_COL;
        const of = (t: Totals | null | undefined): CellValue => { const x = t?.indicators[code]; return x?.kind === "derived" && x.value !== null ? Number(x.value) : null; };
        const figure: CellValue | undefined = col === TOTAL_COL ? of(current)
          : col === prevCol ? of(input.previous) : col === cmpCurCol ? of(cmp?.current) : col === cmpPrevCol ? of(cmp?.previous)
          : unitIndex >= 0 && unitIndex < n && code in input.columns[unitIndex]!.values ? (input.columns[unitIndex]!.values[code] === null ? null : Number(input.columns[unitIndex]!.values[code])) : undefined;
        if (figure !== undefined) { put(rowOf.get(code)!, col, { value: figure, style, locked: true, ...(fmt ? { numberFormat: fmt } : {}) }); continue; }
      }
      putFormula(rowOf.get(code)!, col, columnFormula(code, col), style, () => values.get(code) ?? null, fmt ? { numberFormat: fmt } : {});
    }
  }
  if (hasPrev) {
    const [fromCol, toCol] = cmp ? [cmpCurCol, cmpPrevCol] : [TOTAL_COL, prevCol];
    for (const ind of template.indicators) {
      if (ind.kind === "choice" || ind.kind === "text") continue;
      const r = rowOf.get(ind.code)!;
      const [d, p] = [cellAddress(r, fromCol), cellAddress(r, toCol)];
      const fmt = isRate(ind) ? pointsFormat((ind as { decimals: number }).decimals) : numberFormatOf(ind);
      putFormula(r, changeCol, `=IF(OR(${d}="",${p}=""),"",${d}-${p})`, "change", () => sheet.difference(r, fromCol, toCol), fmt ? { numberFormat: fmt } : {});
      if (isRate(ind) || ind.kind === "yesno") continue;
      putFormula(r, growthCol, growthFormula(d, p), "change", () => growth(sheet, r, fromCol, toCol), { numberFormat: GROWTH_FORMAT });
    }
  }
  const charts = chartBlock(compiled, input, { row, rowOf, lastUnitCol: FIRST_UNIT_COL + n - 1, put, putFormula, sheet });
  const columnWidths = [40, 10, 14, ...input.columns.map(() => 12), ...(!hasPrev ? [] : [14, ...(cmp ? [14, 14, 14] : [16]), 14]), 24];
  const lastRow = largest(cells.map((c) => c.row)) + (charts.length > 0 ? 20 : 0);
  return {
    charts,
    name: safeSheetName(`汇总-${input.title}`),
    cells,
    columnWidths,
    merges: [`A1:${columnLetter(lastPrinted)}1`],
    validations: [],
    freezeRows: firstRow,
    protect: false,
    properties: {},
    rowHeights: wrappedRowHeights(cells, columnWidths, WRAPPED_STYLES),
    print: { landscape: true, titleRows: `1:${firstRow}`, gridlines: true, footer: PAGE_FOOTER, area: `A1:${columnLetter(lastPrinted)}${lastRow + 1}` },
  };
}

interface RowContext {
  input: TotalsPlanInput;
  cols: ReturnType<typeof columnsOf>;
  cmp: Comparison | null;
  sheet: SheetValues;
  put: (row: number, col: number, cell: Omit<CellPlan, "row" | "col">) => void;
  putFormula: (row: number, col: number, formula: string, style: CellPlan["style"], compute: () => ReturnType<SheetValues["get"]>, fmt: { numberFormat?: string }) => void;
}

/** One indicator's row: its name and unit, each unit's figure, the total, and the previous period's figures. */
function placeIndicator(ind: Indicator, r: number, { input, cols, cmp, sheet, put, putFormula }: RowContext): void {
  const fmt = numberFormatOf(ind);
  const withFmt = fmt ? { numberFormat: fmt } : {};
  const { unitCols, prevCol, cmpCurCol, cmpPrevCol, codeCol } = cols;
  put(r, codeCol, { value: ind.code, style: "code", locked: true });
  put(r, NAME_COL, { value: ind.kind === "yesno" ? `${ind.name.zh}（“是”的单位数）` : ind.name.zh, style: "label", locked: true });
  put(r, UNIT_COL, { value: "unit" in ind && ind.unit ? ind.unit : ind.kind === "yesno" ? "个" : "", style: "unit", locked: true });
  if (ind.kind === "choice") {
    placeChoice(ind, r, input, cols, put);
    return;
  }
  input.columns.forEach((c, i) => {
    if (ind.kind === "derived") return;
    const v = c.values[ind.code];
    put(r, FIRST_UNIT_COL + i, { value: ind.kind === "yesno" && typeof v === "number" ? v : cellValueOf(ind, v), style: "input", locked: true, ...withFmt });
  });
  const range = unitCols.length > 0 ? `${cellAddress(r, unitCols[0]!)}:${cellAddress(r, unitCols.at(-1)!)}` : null;
  if ((ind.kind === "count" || ind.kind === "amount") && range) {
    putFormula(r, TOTAL_COL, `=IF(COUNT(${range})=0,"",SUM(${range}))`, "total", () => sheet.sum(r, unitCols), withFmt);
  } else if (ind.kind === "yesno" && range) {
    putFormula(r, TOTAL_COL, `=IF(COUNTA(${range})=0,"",COUNTIF(${range},"是")+SUM(${range}))`, "total", () => sheet.yesCount(r, unitCols), { numberFormat: "0" });
  } else if (ind.kind === "text") {
    const filled = input.columns.filter((c) => typeof c.values[ind.code] === "string" && c.values[ind.code] !== "").length;
    put(r, TOTAL_COL, { value: filled === 0 ? null : `${filled} 个单位填写，见「说明」表`, style: "total", locked: true });
  } else if (ind.kind !== "derived") put(r, TOTAL_COL, { value: null, style: "total", locked: true });
  if (ind.kind === "text" || ind.kind === "derived" || prevCol < 0) return;
  put(r, prevCol, { value: totalCell(input.previous?.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
  if (cmp) {
    put(r, cmpCurCol, { value: totalCell(cmp.current.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
    put(r, cmpPrevCol, { value: totalCell(cmp.previous.indicators[ind.code]), style: "previous", locked: true, ...withFmt });
  }
}

/** A choice's row: each unit's answer (a city's own distribution), the distribution over all, and the previous period's. */
function placeChoice(ind: Extract<Indicator, { kind: "choice" }>, r: number, input: TotalsPlanInput, cols: ReturnType<typeof columnsOf>, put: RowContext["put"]): void {
  const counts: Record<string, number> = {};
  input.columns.forEach((c, i) => {
    const own = c.choices?.[ind.code];
    const v = c.values[ind.code];
    if (own) for (const [k, m] of Object.entries(own)) counts[k] = (counts[k] ?? 0) + m;
    else if (typeof v === "string") counts[v] = (counts[v] ?? 0) + 1;
    put(r, FIRST_UNIT_COL + i, { value: own ? distributionText(ind, own) : cellValueOf(ind, v), style: own ? "label" : "input", locked: true });
  });
  put(r, TOTAL_COL, { value: distributionText(ind, counts), style: "total", locked: true });
  if (cols.prevCol >= 0) put(r, cols.prevCol, { value: distributionText(ind, countsOf(input.previous?.indicators[ind.code])), style: "previous", locked: true });
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
  // the chart's labels sit in the total's column, just left of the units
  input.columns.forEach((c, i) => at.put(top + 1, FIRST_UNIT_COL + i, { value: c.name, style: "header", locked: true }));
  chartCodes.forEach((code, k) => {
    const r = top + 2 + k;
    at.put(r, TOTAL_COL, { value: compiled.byCode.get(code)!.name.zh, style: "label", locked: true });
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
    source: `${cellAddress(top + 1, TOTAL_COL)}:${cellAddress(last, at.lastUnitCol)}`,
    title: "主要指标分单位对比",
    from: cellAddress(last + 2, 0),
    to: cellAddress(last + 20, Math.max(6, at.lastUnitCol)),
  }];
}
