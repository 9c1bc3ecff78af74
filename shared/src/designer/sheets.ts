import { COMMON_UNITS, type Indicator, type Rule, type Template } from "../schemas/template";
import { PeriodTypeSchema, type PeriodType } from "../schemas/period";
import { TEXT_FORMAT } from "../layout/fill-plan";
import { cellAddress, type CellPlan, type CellValue, type SheetPlan } from "../layout/sheet-plan";

/**
 * The template designer as a workbook (模板设计表): a city builds next year's report form in Excel or
 * WPS — sheets 模板, 分组, 指标, 校验规则 and 说明 — uploads it, sees every mistake on its cell, and
 * gets a draft. The same sheets come back from any template, so a published one is the start of the
 * next version. This file is the sheets' layout: what each column means and how the workbook is drawn.
 */

export const DESIGNER_SHEETS = { template: "模板", sections: "分组", indicators: "指标", rules: "校验规则", notes: "说明" } as const;
export type SheetKey = Exclude<keyof typeof DESIGNER_SHEETS, "notes">;
export const SHEET_KEYS: readonly SheetKey[] = ["template", "sections", "indicators", "rules"];

export const KIND_LABELS = { count: "计数", amount: "金额", yesno: "是否", choice: "单选", text: "文本", derived: "计算" } as const satisfies Record<Indicator["kind"], string>;
export const KIND_OF: ReadonlyMap<string, Indicator["kind"]> = new Map([
  ...Object.entries(KIND_LABELS).map(([k, v]) => [v, k as Indicator["kind"]] as const),
  ...Object.keys(KIND_LABELS).map((k) => [k, k as Indicator["kind"]] as const),
]);
const PERIOD_LABELS: Record<PeriodType, string> = { annual: "年报", half: "半年报", quarter: "季报", month: "月报" };
export const PERIOD_OF: ReadonlyMap<string, PeriodType> = new Map([
  ...Object.entries(PERIOD_LABELS).map(([k, v]) => [v, k as PeriodType] as const),
  ...PeriodTypeSchema.options.map((k) => [k, k] as const),
]);
export const SEVERITY_OF: ReadonlyMap<string, Rule["severity"]> = new Map([["错误", "error"], ["提示", "warning"], ["error", "error"], ["warning", "warning"]]);
export const YES: ReadonlySet<string> = new Set(["是", "必填", "Y", "y", "yes", "Yes", "YES", "TRUE", "true", "1", "√"]);
export const NO: ReadonlySet<string> = new Set(["", "否", "N", "n", "no", "No", "NO", "FALSE", "false", "0"]);

/** Column of each field on 指标 (0-based), in the order the sheet shows them. */
export const IND = { code: 0, section: 1, nameZh: 2, nameEn: 3, kind: 4, unit: 5, decimals: 6, required: 7, min: 8, max: 9, jumpPercent: 10, formula: 11, options: 12, maxLength: 13, helpZh: 14, helpEn: 15 } as const;

/**
 * What a column's cells mean, which decides how a number shown as a percent or a date is read there:
 * text is read as the text shown; a count or bound cannot be a percent or a date; a percent column
 * (环比提示 %) reads 30% as the 30 it shows.
 */
export type ColumnMeaning = "text" | "number" | "percent";
type Column = readonly [zh: string, en: string, width: number, meaning: ColumnMeaning];

/** Each sheet's columns: row 1 the Chinese header, row 2 the English one, as drawn and as checked on upload. */
export const DESIGNER_COLUMNS: Record<SheetKey, readonly Column[]> = {
  template: [["项目", "Field", 14, "text"], ["内容", "Value", 40, "text"]],
  sections: [["代码", "Code", 14, "text"], ["名称", "Name", 30, "text"], ["英文名称", "English name", 30, "text"]],
  indicators: [
    ["代码", "Code", 16, "text"], ["分组", "Section", 10, "text"], ["名称", "Name", 30, "text"], ["英文名称", "English name", 30, "text"], ["类型", "Kind", 8, "text"],
    ["计量单位", "Unit", 8, "text"], ["小数位", "Decimals", 7, "number"], ["必填", "Required", 6, "text"], ["最小", "Min", 10, "number"], ["最大", "Max", 14, "number"],
    ["环比提示 %", "Jump warning %", 10, "percent"], ["计算公式", "Formula", 36, "text"], ["选项", "Options", 40, "text"], ["最长字数", "Max length", 8, "number"],
    ["填报说明", "Help", 40, "text"], ["英文说明", "English help", 40, "text"],
  ],
  rules: [["代码", "Code", 16, "text"], ["表达式", "Expression", 40, "text"], ["错误/提示", "Error/warning", 10, "text"], ["中文提示", "Message", 40, "text"], ["English message", "English message", 40, "text"]],
};
export const FIRST = 2; // rows 1–2: Chinese and English headers
/** Rows drawn ready for input below the headers (formats and drop-downs), at least. */
const INPUT_ROWS = 300;

/** Options as one cell: "code=中文名=English name；…" (English optional). */
const optionsText = (ind: Indicator): string => (ind.kind === "choice" ? ind.options.map((o) => `${o.code}=${o.name.zh}${o.name.en !== o.name.zh ? `=${o.name.en}` : ""}`).join("；") : "");

/**
 * One sheet: the two header rows, then `inputRows` rows of input cells. Text columns are Text (@) on
 * every input row, written or blank, so Excel keeps what is typed as typed (a name "3-1" is not
 * made a date, a code "1e3" not a number); number columns stay General, so figures are figures.
 */
function sheet(key: SheetKey, rows: CellValue[][], inputRows: number, validations: SheetPlan["validations"] = []): SheetPlan {
  const columns = DESIGNER_COLUMNS[key];
  const cells: CellPlan[] = [];
  columns.forEach(([zh, en], col) => {
    cells.push({ row: 0, col, value: zh, style: "header", locked: true });
    cells.push({ row: 1, col, value: en, style: "note", locked: true });
  });
  for (let i = 0; i < Math.max(inputRows, rows.length); i++) {
    columns.forEach(([, , , meaning], col) => {
      const v = rows[i]?.[col];
      cells.push({ row: FIRST + i, col, value: v === undefined || v === "" ? null : v, style: "input", locked: false, ...(meaning === "text" ? { numberFormat: TEXT_FORMAT } : {}) });
    });
  }
  return { name: DESIGNER_SHEETS[key], cells, columnWidths: columns.map((c) => c[2]), merges: [], validations, freezeRows: 2, protect: false, properties: {}, print: { landscape: true, titleRows: "1:2" } };
}

const list = (col: number, values: string[], zh: string, en: string, rows: number) =>
  Array.from({ length: rows }, (_, i) => ({ cell: cellAddress(FIRST + i, col), type: "list" as const, list: values, error: { zh, en } }));

const NOTES = [
  "模板设计表 · Template designer",
  "模板：模板代码（字母开头，字母、数字和 _）、名称和填报周期（年报、半年报、季报、月报）。同一代码再次上传即为新版本的草稿。",
  "分组：每个分组一行，代码唯一。指标：每个指标一行，代码唯一，「分组」填分组代码。",
  "类型：计数（整数）、金额（按小数位）、是否、单选（在「选项」中写 代码=中文名=英文名，用；分隔）、文本、计算（在「计算公式」中写公式）。",
  `计量单位照报表所写填写（至多 12 个字），常用：${COMMON_UNITS.join("、")}；金额必须有单位；计算指标的单位为 % 时按比率汇总（合计的分子除以分母）。`,
  "计算公式用指标代码，与填报表中自动计算的单元格相同，例如：products_no_std / products * 100 ；支持 + - * /、括号、IF、MIN、MAX、SUM、ROUND、比较。",
  "率由合计的分子分母重新计算，不做平均。最小/最大不填时，最小为 0，最大为 9999999999999。环比提示 %：与上期相比变化超过该百分比时提示核实（填 30 或 30% 均表示 30%）。",
  "校验规则：表达式为必须成立的条件，例如 products_no_std <= products ；「错误」时不能上报，「提示」时确认后可以上报。",
  "请不要插入、删除或移动各表的列，也不要给工作表改名：上传时按第 1、2 行的标题和工作表名读取。",
  "上传后每个问题都标明工作表和单元格；有错误时什么都不保存。保存为草稿后可下载预览（与各县收到的填报表完全相同），确认后发布；发布后不能再改。",
  "Rates are recomputed from summed inputs, never averaged. A rule is a condition that must hold: 错误 blocks the submission, 提示 asks to confirm. Do not insert, delete or move columns, or rename sheets.",
];

/** The designer workbook of a template (or of a blank one), as sheet plans. */
export function buildDesignerPlans(t: Pick<Template, "id" | "name" | "periodType" | "sections" | "indicators" | "rules"> | null): SheetPlan[] {
  const meta = sheet("template", [
    ["模板代码", t?.id ?? ""], ["模板名称", t?.name.zh ?? ""], ["英文名称", t?.name.en ?? ""], ["填报周期", t ? PERIOD_LABELS[t.periodType] : "年报"],
  ], 4, [{ cell: "B6", type: "list", list: Object.values(PERIOD_LABELS), error: { zh: "请从列表中选择填报周期", en: "Pick a period from the list" } }]);
  const sections = sheet("sections", (t?.sections ?? []).map((s) => [s.code, s.name.zh, s.name.en]), INPUT_ROWS);
  const indicatorRows = (t?.indicators ?? []).map((i): CellValue[] => [
    i.code, i.section, i.name.zh, i.name.en, KIND_LABELS[i.kind], "unit" in i ? (i.unit ?? "") : "", "decimals" in i ? i.decimals : null,
    i.required ? "是" : "", "min" in i ? (i.min ?? "") : "", "max" in i ? (i.max ?? "") : "", "jumpPercent" in i ? (i.jumpPercent ?? null) : null,
    i.kind === "derived" ? i.formula : "", optionsText(i),
    i.kind === "text" ? i.maxLength : null, i.help?.zh ?? "", i.help && i.help.en !== i.help.zh ? i.help.en : "",
  ]);
  // room to add indicators below the last one, drop-downs included
  const rows = Math.max(INPUT_ROWS, indicatorRows.length + 100);
  const indicators = sheet("indicators", indicatorRows, rows, [
    ...list(IND.kind, Object.values(KIND_LABELS), "类型请从列表中选择：计数、金额、是否、单选、文本、计算", "Pick a kind from the list", rows),
    ...list(IND.required, ["是", "否"], "必填请选择 是 或 否", "Required: pick 是 or 否", rows),
  ]);
  const ruleRows = (t?.rules ?? []).map((r) => [r.code, r.expr, r.severity === "error" ? "错误" : "提示", r.message.zh, r.message.en]);
  const rulesDrawn = Math.max(INPUT_ROWS, ruleRows.length + 100);
  const rules = sheet("rules", ruleRows, rulesDrawn, list(2, ["错误", "提示"], "请选择 错误 或 提示", "Pick 错误 (error) or 提示 (warning)", rulesDrawn));
  const notes: CellPlan[] = NOTES.map((value, row) => ({ row, col: 0, value, style: row === 0 ? "title" : "note", locked: true }));
  return [meta, sections, indicators, rules, { name: DESIGNER_SHEETS.notes, cells: notes, columnWidths: [130], merges: [], validations: [], freezeRows: 0, protect: false, properties: {}, print: { landscape: false, titleRows: "" } }];
}
