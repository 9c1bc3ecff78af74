// The aggregate workbook in the same form as the counties' tables (issue 23, what Jiuqi calls 汇总表):
// one sheet per grid table, rows × columns as the form draws them, each cell the exact total of the
// units counted, 合计 rows and columns as live formulas (blank while a part is blank, as the core
// computes them), cells that do not apply marked —, the legal face at the top right when printed.
import * as X from "../exact/exact";
import type { GridTable } from "../schemas/form";
import type { CompiledTemplate } from "../template/compile";
import { formulaRefs } from "../formula";
import { gridCellCode, legalFaceLines } from "../template/form";
import { formulaResult } from "./results";
import { PAGE_FOOTER, cellAddress, fitHeaders, columnLetter, headerFooterText, safeSheetName, uniqueSheetName, type CellPlan, type SheetPlan } from "./sheet-plan";

export interface GridTotalsInput {
  /** "晋城市 2025年 质量兴市工作年报": the sheet's title starts with it. */
  title: string;
  /** The line under the title (basis, export time). */
  note: string;
  /** Sheet names the workbook already has, which the grids' sheets must not take. */
  takenNames?: readonly string[];
  /** An indicator's total as exact decimal text, or null where nothing was reported. */
  valueOf: (code: string) => string | null;
}

const TITLE_ROW = 0;
const NOTE_ROW = 1;
const HEADER_ROW = 2;
const FIRST_ROW = 3;

/** One sheet per grid table of the template, in form order (none for a template of lists). */
export function buildGridTotalsPlans(compiled: CompiledTemplate, input: GridTotalsInput): SheetPlan[] {
  const form = compiled.template.form;
  if (!form) return [];
  // two tables' sheet names may meet once Excel's rules are applied (工规3/表 and 工规3?表 are both 工规3_表)
  const taken = new Set(input.takenNames ?? []);
  return form.tables.filter((t): t is GridTable => t.kind === "grid").map((g) => {
    const plan = gridPlan(compiled, g, input);
    const name = uniqueSheetName(plan.name, taken);
    taken.add(name);
    return { ...plan, name };
  });
}

function gridPlan(compiled: CompiledTemplate, g: GridTable, input: GridTotalsInput): SheetPlan {
  const cells: CellPlan[] = [];
  const title = `${input.title} ${g.formNo} ${g.name.zh}`.trim();
  cells.push({ row: TITLE_ROW, col: 0, value: title, style: "title", locked: true });
  // a grid with 同比: its growth is over the units with both years, the sums beside it over every unit that reported
  const basis = g.columns.some((c) => c.role === "growth") ? "同比增长按两期都有数据的单位计算（同口径），旁边的本期、上年同期为全部填报单位之和" : "";
  cells.push({ row: NOTE_ROW, col: 0, value: [g.unitLine, input.note, basis].filter(Boolean).join("；"), style: "note", locked: true });
  cells.push({ row: HEADER_ROW, col: 0, value: "项目", style: "header", locked: true });
  g.columns.forEach((c, j) => cells.push({ row: HEADER_ROW, col: j + 1, value: c.unit ? `${c.name.zh}（${c.unit}）` : c.name.zh, style: "header", locked: true }));
  const rowOf = new Map(g.rows.map((r, i) => [r.code, FIRST_ROW + i]));
  const colOf = new Map(g.columns.map((c, j) => [c.code, j + 1]));
  g.rows.forEach((r, i) => {
    const row = FIRST_ROW + i;
    cells.push({ row, col: 0, value: r.role === "ofWhich" && !/^其中/.test(r.name.zh) ? `  其中：${r.name.zh}` : r.role === "ofWhich" ? `  ${r.name.zh}` : r.name.zh, style: r.role === "total" ? "total" : "label", locked: true });
    g.columns.forEach((c, j) => {
      const code = gridCellCode(g.code, r.code, c.code);
      const ind = compiled.byCode.get(code);
      const col = j + 1;
      if (!ind) { cells.push({ row, col, value: "—", style: "unit", locked: true }); return; }
      const decimals = "decimals" in ind ? ind.decimals : 0;
      const numberFormat = decimals > 0 ? `0.${"0".repeat(decimals)}` : "0";
      const text = input.valueOf(code);
      // a figure summed over the units, and a 同比 (like with like over the units with both years, which the
      // sheet's sums are not) as the totals give it
      if (ind.kind !== "derived" || ind.likeWithLike === true) {
        cells.push({ row, col, value: text === null ? null : Number(text), style: ind.kind === "derived" ? "derived" : "total", locked: true, numberFormat });
        return;
      }
      // a total of the parts on this sheet (those its formula adds), blank while any part is blank (as the core computes it)
      const node = compiled.formulas.get(code);
      const parts = [...new Set(node ? formulaRefs(node).map((x) => x.code) : [])]
        .filter((p) => compiled.gridCells.has(p))
        .map((p) => { const ref = compiled.gridCells.get(p)!; return cellAddress(rowOf.get(ref.row)!, colOf.get(ref.column)!); });
      const list = parts.join(",");
      // as the core computes it: SUMREPORTED (a grid that may be left partly blank) totals what there is
      const reported = node?.type === "call" && node.fn === "SUMREPORTED";
      const formula = reported ? `=IF(COUNT(${list})=0,"",SUM(${list}))` : parts.length === 1 ? `=IF(COUNT(${list})=1,${list},"")` : `=IF(COUNT(${list})=${parts.length},SUM(${list}),"")`;
      cells.push({ row, col, formula, result: formulaResult(text === null ? null : X.parseExact(text)), style: "derived", locked: true, numberFormat });
    });
  });
  const lastRow = FIRST_ROW + g.rows.length - 1;
  const lastCol = columnLetter(g.columns.length);
  const notes = g.notes ? [{ row: lastRow + 2, col: 0, value: `填报说明：${g.notes.zh}`, style: "note" as const, locked: true }] : [];
  cells.push(...notes);
  const legal = legalFaceLines(compiled.template.form, [g]).split("\n").map(headerFooterText).join("\n");
  const headers = fitHeaders(headerFooterText(title), legal);
  return {
    name: safeSheetName(`${g.formNo} ${g.name.zh}`.trim()),
    cells,
    columnWidths: [24, ...g.columns.map(() => 14)],
    merges: [`A${TITLE_ROW + 1}:${lastCol}${TITLE_ROW + 1}`, `A${NOTE_ROW + 1}:${lastCol}${NOTE_ROW + 1}`],
    validations: [],
    freezeRows: HEADER_ROW + 1,
    protect: false,
    properties: {},
    print: {
      landscape: g.columns.length > 6,
      titleRows: `${HEADER_ROW + 1}:${HEADER_ROW + 1}`,
      area: `A1:${lastCol}${(notes.length > 0 ? lastRow + 2 : lastRow) + 1}`,
      gridlines: true,
      header: headers.center,
      ...(headers.right ? { headerRight: headers.right } : {}),
      footer: PAGE_FOOTER,
    },
  };
}
