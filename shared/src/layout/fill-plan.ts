import type { CompiledTemplate } from "../template/compile";
import type { Indicator } from "../schemas/template";
import type { Signature, Values } from "../schemas/submission";
import type { Lists } from "../detail/figures";
import { periodLabel } from "../schemas/period";
import { renderExcelFormula } from "../formula";
import { derivedValues } from "../validation/derive";
import { FILL_COLUMNS as C, FILL_HEADERS, FILL_HEADER_ROW, FILL_META_ROW, FILL_STATUS_ROW, FILL_TITLE_ROW, encodeFillMeta, fillIndex, type FillRow } from "./fill-layout";
import type * as X from "../exact/exact";
import { SIGNATURE_ROWS, signatureBlock, signatureTopOf } from "./fill-signature";
import { formulaResult } from "./results";
import { legalFaceLines, sectionHeading } from "../template/form";
import {
  PAGE_FOOTER, cellAddress, fitHeaders, columnLetter, headerFooterText, safeSheetName, textWidth, type CellPlan, type CellValue, type SheetPlan, type ValidationPlan,
} from "./sheet-plan";

export interface FillPlanInput {
  roundId: string;
  period: string;
  unit: { id: string; name: string };
  /** Who issued the round (山西省, 晋城市): in the tab and title, so two rounds of one period are told apart. */
  issuer?: string;
  previous?: Values | null;
  current?: Values | null;
  comments?: Record<string, string> | null;
  /** The signature handed in with `current` (its 填报单位 defaults to the unit's name). */
  signature?: Signature | null;
  /** The status line (see fillStatusText): "已退回（第 1 版）：<comment>". */
  status?: string;
  /** The revision `current` is (written into the metadata so a later submit can say what it started from). */
  revision?: number;
  /** The detail lists handed in with `current` (issue 25), by table code, as stored: each list page shows its rows. */
  lists?: Lists | null;
}

export const FILL_SHEET_HEADERS = [...FILL_HEADERS, "校验"];
/** Column widths (characters): A–F, the printed form, fit an A4 page across at 100 % in Excel. */
export const FILL_WIDTHS = [18, 34, 8, 14, 14, 30, 40];
/** The printed columns: everything but 校验, where the add-in writes its check marks. */
export const FILL_LAST_PRINTED_COL = C.comment;
export const FILL_LINE_POINTS = 15;
/** Excel's Text number format: the cell keeps what is typed as text. */
export const TEXT_FORMAT = "@";

/** The number format that shows an indicator's figures at its precision. */
export function numberFormatOf(ind: Indicator): string | undefined {
  if (ind.kind === "count") return "0";
  if (ind.kind === "amount" || ind.kind === "derived") return ind.decimals > 0 ? `0.${"0".repeat(ind.decimals)}` : "0";
  // Text (@): what is typed stays as typed; Excel would otherwise make "3月1日" a date and "12.5%" a number
  if (ind.kind === "text") return TEXT_FORMAT;
  return undefined;
}

/** How a stored value is written into a cell (是/否 for yes/no, option names for choices). */
export function cellValueOf(ind: Indicator, value: Values[string] | undefined): CellValue {
  if (value === null || value === undefined) return null;
  // A value of another kind (the indicator's meaning changed between template versions, and the
  // previous period is matched by code) is not shown rather than shown wrong.
  switch (ind.kind) {
    case "yesno": return typeof value === "boolean" ? (value ? "是" : "否") : null;
    case "choice": return typeof value === "string" ? (ind.options.find((o) => o.code === value)?.name.zh ?? null) : null;
    case "text": return typeof value === "string" ? value : null;
    case "count":
    case "amount":
    case "derived": {
      const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : null;
    }
  }
}

export function validationOf(ind: Indicator, cell: string): ValidationPlan | null {
  const name = { zh: ind.name.zh, en: ind.name.en };
  switch (ind.kind) {
    case "count":
      return { cell, type: "whole", min: Number(ind.min ?? 0), ...(ind.max ? { max: Number(ind.max) } : {}),
        error: { zh: `${name.zh}：请填写不小于 ${ind.min ?? 0} 的整数`, en: `${name.en}: enter a whole number of at least ${ind.min ?? 0}` } };
    case "amount":
      return { cell, type: "decimal", min: Number(ind.min ?? 0), ...(ind.max ? { max: Number(ind.max) } : {}),
        error: { zh: `${name.zh}：请填写数字（${ind.unit}，最多 ${ind.decimals} 位小数）`, en: `${name.en}: enter a number (${ind.unit}, at most ${ind.decimals} decimals)` } };
    case "yesno":
      return { cell, type: "list", list: ["是", "否"], error: { zh: `${name.zh}：请选择「是」或「否」`, en: `${name.en}: choose 是 (yes) or 否 (no)` } };
    case "choice":
      return { cell, type: "list", list: ind.options.map((o) => o.name.zh), error: { zh: `${name.zh}：请从列表中选择`, en: `${name.en}: choose from the list` } };
    case "text":
      return { cell, type: "textLength", max: ind.maxLength, error: { zh: `${name.zh}：不超过 ${ind.maxLength} 字`, en: `${name.en}: at most ${ind.maxLength} characters` } };
    case "derived":
      return null;
  }
}

/** What drawing a page's cells needs: where cells go, the validations, and how a formula names another figure's cell. */
export interface PageDrawing {
  put: (row: number, col: number, cell: Omit<CellPlan, "row" | "col">) => void;
  validations: ValidationPlan[];
  /** A figure's value cell as a formula on this page refers to it ("D14", or "'sheet'!E7" on another sheet). */
  refOf: (code: string) => string;
}

/** Last period's and this period's derived figures, computed once per workbook. */
export function derivedFor(compiled: CompiledTemplate, input: Pick<FillPlanInput, "previous" | "current">): { previous: Values; previousDerived: Values; currentDerived: ReadonlyMap<string, X.Exact | null> } {
  return {
    previous: input.previous ?? {},
    previousDerived: input.previous ? derivedValues(compiled, input.previous).values : {},
    currentDerived: derivedValues(compiled, input.current ?? {}).result.exact,
  };
}

/** The list columns' rows: a heading per section, then per indicator its code, name, unit, value (or formula), last period's figure and 说明. */
export function drawListRows(compiled: CompiledTemplate, rows: readonly FillRow[], input: FillPlanInput, d: PageDrawing, figures = derivedFor(compiled, input)): void {
  const { template } = compiled;
  const { put, validations } = d;
  const { previous, previousDerived, currentDerived } = figures;
  for (const r of rows) {
    if (r.kind === "section") {
      const section = template.sections.find((s) => s.code === r.section)!;
      put(r.row, C.code, { value: sectionHeading(template, section), style: "section", locked: true });
      continue;
    }
    const ind = r.indicator;
    const numberFormat = numberFormatOf(ind);
    const fmt = numberFormat ? { numberFormat } : {};
    put(r.row, C.code, { value: ind.code, style: "code", locked: true });
    put(r.row, C.name, { value: ind.required ? `${ind.name.zh} *` : ind.name.zh, style: "label", locked: true });
    put(r.row, C.unit, { value: "unit" in ind && ind.unit ? ind.unit : "", style: "unit", locked: true });
    const valueCell = cellAddress(r.row, C.value);
    if (ind.kind === "derived") {
      const formula = renderExcelFormula(compiled.formulas.get(ind.code)!, (code) => ({
        cell: d.refOf(code),
        yesNo: compiled.byCode.get(code)?.kind === "yesno",
      }));
      put(r.row, C.value, { formula, result: formulaResult(currentDerived.get(ind.code) ?? null), style: "derived", locked: true, ...fmt });
      put(r.row, C.previous, { value: cellValueOf(ind, previousDerived[ind.code]), style: "previous", locked: true, ...fmt });
    } else {
      put(r.row, C.value, { value: cellValueOf(ind, input.current?.[ind.code]), style: "input", locked: false, ...fmt });
      put(r.row, C.previous, { value: cellValueOf(ind, previous[ind.code]), style: "previous", locked: true, ...fmt });
      const v = validationOf(ind, valueCell);
      if (v) validations.push(v);
    }
    // a note belongs on a figure the unit typed; a computed row's note cell is closed
    const computed = ind.kind === "derived";
    put(r.row, C.comment, { value: computed ? null : input.comments?.[ind.code] ?? null, style: "comment", locked: computed, numberFormat: TEXT_FORMAT });
    put(r.row, C.check, { value: null, style: "check", locked: true });
  }
}

/**
 * The fill sheet for one unit in one round: title, protected metadata (in a hidden row), a status
 * line, then the indicator table with only value and comment cells unlocked, derived cells as live
 * formulas (with their results stored), and a signature block. It prints on A4, one page wide, the
 * header row on every page, the metadata and the check column left off the paper.
 */
export function buildFillPlan(compiled: CompiledTemplate, input: FillPlanInput): SheetPlan {
  const { template } = compiled;
  const index = fillIndex(compiled);
  const cells: CellPlan[] = [];
  const validations: ValidationPlan[] = [];
  const put = (row: number, col: number, cell: Omit<CellPlan, "row" | "col">): void => { cells.push({ row, col, ...cell }); };
  const title = input.issuer
    ? `${input.issuer} ${periodLabel(input.period, "zh")} ${template.name.zh} · ${input.unit.name}`
    : `${template.name.zh} · ${input.unit.name} · ${periodLabel(input.period, "zh")}`;
  const status = input.status ?? "";

  put(FILL_TITLE_ROW, 0, { value: title, style: "title", locked: true });
  const meta = encodeFillMeta({ templateId: template.id, version: template.version, roundId: input.roundId, unitId: input.unit.id, fingerprint: index.fingerprint, ...(input.revision !== undefined ? { revision: input.revision } : {}) });
  put(FILL_META_ROW, 0, { value: meta, style: "meta", locked: true });
  put(FILL_STATUS_ROW, 0, { value: status, style: "status", locked: true });
  FILL_SHEET_HEADERS.forEach((h, col) => put(FILL_HEADER_ROW, col, { value: h, style: "header", locked: true }));

  drawListRows(compiled, index.rows, input, { put, validations, refOf: (code) => cellAddress(index.rowOf.get(code)!, C.value) });
  const signatureTop = signatureTopOf(index);
  cells.push(...signatureBlock(signatureTop, input.unit.name, input.signature ?? {}));
  const lastRow = signatureTop + SIGNATURE_ROWS - 1;
  const lastPrinted = columnLetter(FILL_LAST_PRINTED_COL);
  // The status line is merged across the printed columns and wraps; Excel does not fit a merged
  // row's height to its text, so a long comment gets the lines it needs.
  const printedWidth = FILL_WIDTHS.slice(0, FILL_LAST_PRINTED_COL + 1).reduce((a, b) => a + b, 0);
  const statusLines = Math.max(1, Math.ceil(textWidth(status) / printedWidth));
  // the legal face at the top right of every printed page, as statistical forms carry it
  const legal = legalFaceLines(template.form).split("\n").map(headerFooterText).join("\n");
  // Excel holds 255 characters of header: the title centred and the legal face at the right, cut to fit
  const headers = fitHeaders(headerFooterText(title), legal);
  return {
    // the issuer and period first: they are what tells this tab from another round's (山西省2025年-泽州县)
    name: safeSheetName(input.issuer ? `${input.issuer}${periodLabel(input.period, "zh")}-${input.unit.name}` : `填报-${input.unit.name}-${input.period}`),
    cells,
    columnWidths: FILL_WIDTHS,
    merges: [`A${FILL_TITLE_ROW + 1}:G${FILL_TITLE_ROW + 1}`, `A${FILL_STATUS_ROW + 1}:${lastPrinted}${FILL_STATUS_ROW + 1}`],
    validations,
    freezeRows: FILL_HEADER_ROW + 1,
    protect: true,
    properties: { tianbao: meta },
    hiddenRows: [FILL_META_ROW],
    ...(statusLines > 1 ? { rowHeights: [{ row: FILL_STATUS_ROW, points: statusLines * FILL_LINE_POINTS }] } : {}),
    print: {
      landscape: true,
      titleRows: `${FILL_HEADER_ROW + 1}:${FILL_HEADER_ROW + 1}`,
      area: `A1:${lastPrinted}${lastRow + 1}`,
      gridlines: true,
      header: headers.center,
      ...(headers.right ? { headerRight: headers.right } : {}),
      footer: PAGE_FOOTER,
    },
  };
}
