import { COMMON_UNITS, type Indicator, type Rule, type Template } from "../schemas/template";
import type { DetailField, DetailTable, GridRole, GridTable, Table } from "../schemas/form";
import { PeriodTypeSchema, type PeriodType } from "../schemas/period";
import { TEXT_FORMAT } from "../layout/fill-plan";
import { expandForm, isYoyGenerated, ownColumns } from "../template/form";
import { cellAddress, type CellPlan, type CellValue, type SheetPlan } from "../layout/sheet-plan";

/**
 * The template designer as a workbook (模板设计表): a city builds next year's report form in Excel or
 * WPS — sheets 模板, 分组, 指标, 校验规则, 表格, 表格行列, 清单字段 and 说明 — uploads it, sees every mistake on
 * its cell, and gets a draft. The same sheets come back from any template, so a published one is the
 * start of the next version. This file is the sheets' layout: what each column means and how the
 * workbook is drawn. 表格 and 表格行列 (a form's numbered tables and its grids' rows and columns, issue
 * 23) are optional on upload: a workbook drawn before them reads as it always did, as one table. So is
 * 清单字段 (the fields of the form's detail lists, 浮动行清单, issue 25): a workbook drawn before it has none.
 */

export const DESIGNER_SHEETS = { template: "模板", sections: "分组", indicators: "指标", rules: "校验规则", tables: "表格", tableLines: "表格行列", detailFields: "清单字段", notes: "说明" } as const;
export type SheetKey = Exclude<keyof typeof DESIGNER_SHEETS, "notes">;
/** The sheets every designer workbook has (and needs). */
export type RequiredSheetKey = "template" | "sections" | "indicators" | "rules";
/** The form's sheets: absent in a workbook drawn before forms, which then has no form. */
export type FormSheetKey = "tables" | "tableLines";
export const SHEET_KEYS: readonly RequiredSheetKey[] = ["template", "sections", "indicators", "rules"];
export const FORM_SHEET_KEYS: readonly FormSheetKey[] = ["tables", "tableLines"];
/** The fields of the form's detail lists (issue 25): absent in a workbook drawn before them, which then has no detail list. */
export type DetailSheetKey = "detailFields";
/** Every sheet a designer workbook may leave out (one drawn before forms or detail lists): read when it is there. */
export type OptionalSheetKey = FormSheetKey | DetailSheetKey;
export const OPTIONAL_SHEET_KEYS: readonly OptionalSheetKey[] = [...FORM_SHEET_KEYS, "detailFields"];

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

/** 表格 类型: a list of the template's indicators (one per row), a grid of rows × columns, or a detail list (浮动行: rows the unit adds). */
export const TABLE_KIND_LABELS = { list: "清单", grid: "行列表", detail: "浮动行清单" } as const satisfies Record<Table["kind"], string>;
export const TABLE_KIND_OF: ReadonlyMap<string, Table["kind"]> = new Map([
  ["清单", "list"], ["列表", "list"], ["指标清单", "list"], ["list", "list"], ["List", "list"],
  ["行列表", "grid"], ["行列", "grid"], ["网格", "grid"], ["表格", "grid"], ["交叉表", "grid"], ["grid", "grid"], ["Grid", "grid"],
  ["浮动行清单", "detail"], ["浮动行", "detail"], ["浮动表", "detail"], ["明细表", "detail"], ["清单明细", "detail"], ["detail", "detail"], ["Detail", "detail"],
]);
/** 清单字段 类型: what each field of a detail list holds. */
export const FIELD_TYPE_LABELS = { text: "文本", code: "代码", choice: "单选", yesno: "是否", count: "计数", amount: "金额", date: "日期" } as const satisfies Record<DetailField["type"], string>;
export const FIELD_TYPE_OF: ReadonlyMap<string, DetailField["type"]> = new Map([
  ...Object.entries(FIELD_TYPE_LABELS).map(([k, v]) => [v, k as DetailField["type"]] as const),
  ...Object.keys(FIELD_TYPE_LABELS).map((k) => [k, k as DetailField["type"]] as const),
  ...Object.keys(FIELD_TYPE_LABELS).map((k) => [k[0]!.toUpperCase() + k.slice(1), k as DetailField["type"]] as const),
  ["yes/no", "yesno"], ["单选题", "choice"], ["选择", "choice"], ["整数", "count"], ["数值", "amount"],
]);
/** 清单字段 校验: a code field's check (统一社会信用代码 by its check character, GB 32100-2015). */
export const FIELD_CHECK_LABELS = { uscc: "统一社会信用代码" } as const satisfies Record<NonNullable<DetailField["check"]>, string>;
export const FIELD_CHECK_OF: ReadonlyMap<string, NonNullable<DetailField["check"]>> = new Map([["统一社会信用代码", "uscc"], ["信用代码", "uscc"], ["社会信用代码", "uscc"], ["uscc", "uscc"], ["USCC", "uscc"]]);
/** 表格行列 角色: an item, the total of the items (computed), or 其中 (part of another row or column). */
export const ROLE_LABELS = { item: "项目", total: "合计", ofWhich: "其中" } as const satisfies Record<GridRole, string>;
export const ROLE_OF: ReadonlyMap<string, GridRole> = new Map([
  ...Object.entries(ROLE_LABELS).map(([k, v]) => [v, k as GridRole] as const),
  ...Object.keys(ROLE_LABELS).map((k) => [k, k as GridRole] as const),
  ["", "item"], ["总计", "total"], ["其中项", "ofWhich"], ["of which", "ofWhich"],
]);
/** 表格行列 行/列: a row (主栏) or a column (宾栏) of its grid. */
export const AXIS_OF: ReadonlyMap<string, "row" | "column"> = new Map([["行", "row"], ["列", "column"], ["主栏", "row"], ["宾栏", "column"], ["row", "row"], ["column", "column"], ["Row", "row"], ["Column", "column"]]);
/** The 表格行列 类型 of a grid column: a whole count or an amount with decimals. */
export const COLUMN_KIND_OF: ReadonlyMap<string, "count" | "amount"> = new Map([["计数", "count"], ["金额", "amount"], ["count", "count"], ["amount", "amount"]]);
/** A list of codes in one cell: separated by ；, ; , ， 、 or spaces. */
export const splitCodes = (s: string): string[] => s.split(/[；;,，、\s]+/u).map((x) => x.trim()).filter(Boolean);

/** The labels of 模板's rows (column A): each field is found again by its label, wherever its row went. */
export const META_LABELS = { id: "模板代码", nameZh: "模板名称", nameEn: "英文名称", period: "填报周期", maker: "制定机关", approver: "批准机关", approvalNo: "批准文号（或备案文号）", validUntil: "有效期至" } as const;
/** Column of each field on 表格 (0-based). */
export const TAB = { code: 0, formNo: 1, nameZh: 2, nameEn: 3, kind: 4, attachedTo: 5, unitLine: 6, sections: 7, required: 8, notesZh: 9, notesEn: 10, yoy: 11, ytd: 12, maxRows: 13, key: 14 } as const;
/**
 * Columns added at the end of a sheet after workbooks were drawn without them, by how many of the last
 * columns each earlier drawing lacks: 表格's 同比 and 本年累计 (issue 24) and its 最多行数 and 重码字段 (issue
 * 25). A workbook whose headers stop before them reads as before, those cells blank.
 */
export const LATER_COLUMNS: Partial<Record<SheetKey, readonly number[]>> = { tables: [4, 2] };
/** Column of each field on 表格行列 (0-based). */
export const LINE = { table: 0, axis: 1, code: 2, nameZh: 3, nameEn: 4, role: 5, of: 6, kind: 7, unit: 8, decimals: 9, skip: 10, min: 11, max: 12 } as const;

/** Column of each field on 清单字段 (0-based): one row per field of a detail list, in the list's order. */
export const FLD = { table: 0, code: 1, nameZh: 2, nameEn: 3, type: 4, required: 5, maxLength: 6, check: 7, options: 8, unit: 9, decimals: 10, min: 11, max: 12 } as const;

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
  tables: [
    ["代码", "Code", 12, "text"], ["表号", "Form no.", 12, "text"], ["名称", "Name", 24, "text"], ["英文名称", "English name", 24, "text"], ["类型", "Kind", 8, "text"],
    ["所附主表", "Attached to", 10, "text"], ["计量单位行", "Unit line", 18, "text"], ["列出的分组", "Sections listed", 20, "text"], ["必填", "Required", 6, "text"],
    ["填报说明", "Notes", 40, "text"], ["英文说明", "English notes", 40, "text"], ["同比", "Year on year", 6, "text"], ["本年累计", "Year to date", 8, "text"],
    ["最多行数", "Max rows", 8, "number"], ["重码字段", "Key fields", 18, "text"],
  ],
  tableLines: [
    ["表代码", "Table", 10, "text"], ["行/列", "Row/column", 8, "text"], ["代码", "Code", 12, "text"], ["名称", "Name", 24, "text"], ["英文名称", "English name", 24, "text"],
    ["角色", "Role", 8, "text"], ["其中所属", "Part of", 10, "text"], ["类型", "Kind", 8, "text"], ["计量单位", "Unit", 8, "text"], ["小数位", "Decimals", 7, "number"],
    ["不适用的列", "Columns not applicable", 24, "text"], ["最小", "Min", 10, "number"], ["最大", "Max", 10, "number"],
  ],
  detailFields: [
    ["表代码", "Table", 10, "text"], ["字段代码", "Field code", 12, "text"], ["名称", "Name", 24, "text"], ["英文名称", "English name", 24, "text"], ["类型", "Type", 8, "text"],
    ["必填", "Required", 6, "text"], ["最长字数", "Max length", 8, "number"], ["校验", "Check", 14, "text"], ["选项", "Options", 36, "text"],
    ["计量单位", "Unit", 8, "text"], ["小数位", "Decimals", 7, "number"], ["最小", "Min", 10, "number"], ["最大", "Max", 10, "number"],
  ],
};
export const FIRST = 2; // rows 1–2: Chinese and English headers
/** Rows drawn ready for input below the headers (formats and drop-downs), at least. */
const INPUT_ROWS = 300;

/** Options as one cell: "code=中文名=English name；…" (English optional). */
const optionsOf = (options: readonly { code: string; name: { zh: string; en: string } }[]): string => options.map((o) => `${o.code}=${o.name.zh}${o.name.en !== o.name.zh ? `=${o.name.en}` : ""}`).join("；");
const optionsText = (ind: Indicator): string => (ind.kind === "choice" ? optionsOf(ind.options) : "");

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
  "计算公式用指标代码，与填报表中自动计算的单元格相同，例如：products_no_std / products * 100 ；支持 + - * /、括号、IF、MIN、MAX、SUM、ROUND、比较；SUMREPORTED(a, b, …) 只加已填的数（都没填时为空），其余函数有一个为空即为空。",
  "率由合计的分子分母重新计算，不做平均。最小/最大不填时，最小为 0，最大为 9999999999999。环比提示 %：与上期相比变化超过该百分比时提示核实（填 30 或 30% 均表示 30%）。",
  "校验规则：表达式为必须成立的条件，例如 products_no_std <= products ；「错误」时不能上报，「提示」时确认后可以上报。规则还可以用本单位其他期已审核通过的数据：PREV(代码) 上期，LASTYEAR(代码) 上年同期，YTD(代码) 本年累计（本期加本年以前各期），例如 cum = YTD(out)、out <= LASTYEAR(out) * 3；那一期没有已审核的数据时该规则不检查（空不是 0）。",
  "模板：制定机关、批准机关、批准文号（或备案文号）、有效期至是报表的法定标识，印在各表的右上角；不填制定机关即没有法定标识（有法定标识时须在「表格」中列出各表）。",
  "表格：报表由几张表组成时，每张表一行：代码、表号（如 质兴2表）、名称、类型（清单：列出「分组」中的指标，每个指标一行；行列表：行 × 列，每个单元格填一个数）、所附主表（附表填主表的代码）、计量单位行（如 计量单位：万元）。「表格」为空时，整个模板就是一张清单表。",
  "清单表在「列出的分组」中填分组代码，用；分隔；每个有指标的分组恰好列在一张清单表中。行列表的「必填」（是/否，默认是）表示每个单元格都要填（没有的填 0）。",
  "清单表的「同比」填 是 时，表中每个计数、金额指标 x 后自动加三列：x_ly 上年同期（本单位上年同期已审核的数据自动填入，没有时由单位填写）、x_yoy 同比增减、x_yoyp 同比增长 %；各级汇总的同比只按两期都有数据的单位计算（同口径），不平均各单位的增长率。行列表的「同比」填 是 时，每一列后自动加两列：上年同期（同上，合计行、合计列按上年同期各项相加）、同比增长 %（合计也按两期都有数据的单位计算）；设同比的行列表至多 10 列。行列表也可设「本年累计」：每列后加本年累计列（合计按累计各项相加；同时有同比时累计也有上年同期和同比增长）。",
  "月报、季报、半年报的清单表「本年累计」填 是 时，每个计数、金额指标 x 后再加 x_ytd 本年累计（1–N月累计）：本年以前各期都已审核时按本期加以前各期自动计算（填写的不用），否则由单位填写，不能小于本期；同时有同比时，累计也有自己的上年同期和同比（累计同比）。以前某期更正并重新审核后，以后各期的累计随之更新。",
  "浮动行清单：行数不固定的名单（如名牌产品生产企业名单），每条记录一行，由填报单位逐行添加。在「表格」中类型填 浮动行清单，「最多行数」填一份报表至多几行（不填为 2000，至多 5000），「重码字段」填一起不能重复的字段代码（如 uscc；product，用；分隔，不填即不查重码）；它的字段在「清单字段」中。",
  "清单字段：浮动行清单的每个字段一行，按表中的顺序：表代码、字段代码、名称、类型（文本、代码、单选、是否、计数、金额、日期）、必填（是/否）；文本和代码可填最长字数（不填为 200，至多 500），代码可在「校验」填 统一社会信用代码；单选在「选项」中写 代码=中文名=英文名，用；分隔（如 cn=中国名牌；sx=山西名牌）；计数、金额可填计量单位（金额必须有）、最小、最大，金额可填小数位。",
  "浮动行清单自动生成汇总数（不在「指标」中列出，可以用在校验规则中）：表代码_rows 行数，表代码_字段代码 计数、金额字段的合计，表代码_单选字段_选项代码_rows（及 _字段代码）按选项的行数和合计，表代码_是否字段_yes_rows 等。例如规则 producers_level_sx_rows = sx_products 使名单中山西名牌的行数等于固定表中填的数。",
  "表格行列：行列表的每一行（主栏）和每一列（宾栏）各占一行，按表中的顺序：表代码、行/列、代码、名称、角色（项目；合计 = 各项目之和，自动计算；其中 = 另一行或列的一部分，在「其中所属」填它的代码，不能大于它）。",
  "列要填类型（计数、金额）、计量单位和小数位（金额列必须有计量单位），可填最小、最大（不填时最小为 0；利润等可为负的列填负数下限，如 -9999999999）；行可在「不适用的列」填不需要填报的列代码，用；分隔。每个单元格的代码是 表代码_行代码_列代码，可以用在计算公式和校验规则中。",
  "请不要插入、删除或移动各表的列，也不要给工作表改名：上传时按第 1、2 行的标题和工作表名读取。",
  "上传后每个问题都标明工作表和单元格；有错误时什么都不保存。保存为草稿后可下载预览（与各县收到的填报表完全相同），确认后发布；发布后不能再改。",
  "Rates are recomputed from summed inputs, never averaged. A rule is a condition that must hold: 错误 blocks the submission, 提示 asks to confirm. 表格 lists the form's numbered tables (清单 = list, 行列表 = grid, 浮动行清单 = detail list of rows the unit adds, with 最多行数 max rows and 重码字段 key fields), 表格行列 the rows and columns of its grids, 清单字段 the fields of its detail lists (their totals — code_rows, code_field, code_choice_option_rows … — are generated, never listed on 指标, and rules may use them). Do not insert, delete or move columns, or rename sheets.",
];

type Drawn = Pick<Template, "id" | "name" | "periodType" | "sections" | "indicators" | "rules" | "form">;

/**
 * What the designer shows of a template: a grid's section, cells and 其中 rules are generated from the
 * grid (template/form.ts), so a template read back expanded shows its own sections, indicators and rules only.
 */
function ownParts(t: Drawn): Pick<Template, "sections" | "indicators" | "rules"> {
  const grids = new Set((t.form?.tables ?? []).filter((x) => x.kind === "grid").map((x) => x.code));
  // a detail list's figures (rows, sums, by option) are generated into a section of its own, as a grid's cells
  const details = new Set((t.form?.tables ?? []).filter((x) => x.kind === "detail").map((x) => x.code));
  // a list table's 同比 columns are generated from its 同比 cell on 表格, as a grid's cells from the grid
  const listed = new Set((t.form?.tables ?? []).flatMap((x) => (x.kind === "list" ? x.sections : [])));
  const indicators = t.indicators.filter((i) => !grids.has(i.section) && !details.has(i.section) && !isListFigure(i) && !(listed.has(i.section) && isYoyGenerated(i)));
  if (grids.size === 0) return { sections: t.sections.filter((s) => !details.has(s.code)), indicators, rules: t.rules };
  const expanded = expandForm({ ...t, version: 1, status: "draft", indicators, rules: [] });
  const generated = new Set(expanded.ok ? expanded.value.template.rules.map((r) => `${r.code}\u0000${r.expr}`) : []);
  return { sections: t.sections.filter((s) => !grids.has(s.code) && !details.has(s.code)), indicators, rules: t.rules.filter((r) => !generated.has(`${r.code}\u0000${r.expr}`)) };
}

/** A detail list's figure (its rows, sums, by option): generated from the list, never typed. */
const isListFigure = (i: Indicator): boolean => (i.kind === "count" || i.kind === "amount") && i.fromList !== undefined;

/** 表格: one row per table of the form. */
const tableRows = (tables: readonly Table[]): CellValue[][] => tables.map((t) => [
  t.code, t.formNo, t.name.zh, t.name.en, TABLE_KIND_LABELS[t.kind], t.attachedTo ?? "", t.unitLine ?? "",
  t.kind === "list" ? t.sections.join("；") : "", t.kind === "grid" ? (t.required ? "是" : "否") : "",
  t.notes?.zh ?? "", t.notes && t.notes.en !== t.notes.zh ? t.notes.en : "", (t.kind === "list" && t.yoy) || (t.kind === "grid" && t.yoy === true) ? "是" : "",
  t.kind !== "detail" && t.ytd === true ? "是" : "",
  t.kind === "detail" ? t.maxRows : null, t.kind === "detail" ? t.key.join("；") : "",
]);

/**
 * 清单字段: each detail list's fields, in its order. What a field's type does not use is drawn only when
 * set (a count's decimals, a date's maximum length), so that it is refused on its cell, never dropped.
 */
const fieldRows = (tables: readonly Table[]): CellValue[][] => tables.filter((t): t is DetailTable => t.kind === "detail").flatMap((d) => d.fields.map((f): CellValue[] => {
  const texty = f.type === "text" || f.type === "code";
  return [
    d.code, f.code, f.name.zh, f.name.en !== f.name.zh ? f.name.en : "", FIELD_TYPE_LABELS[f.type], f.required ? "是" : "",
    texty || f.maxLength !== 200 ? f.maxLength : null, f.check ? FIELD_CHECK_LABELS[f.check] : "", f.options ? optionsOf(f.options) : "",
    f.unit ?? "", f.type === "amount" || f.decimals !== 0 ? f.decimals : null, f.min ?? "", f.max ?? "",
  ];
}));

/** 表格行列: each grid's rows, then its columns, in their order; a row's cells that do not apply as its 不适用的列. */
const lineRows = (tables: readonly Table[]): CellValue[][] => tables.filter((t): t is GridTable => t.kind === "grid").flatMap((g) => [
  ...g.rows.map((r): CellValue[] => {
    const skipped = g.skip.filter((s) => s.startsWith(`${r.code}:`)).map((s) => s.slice(r.code.length + 1));
    return [g.code, "行", r.code, r.name.zh, r.name.en, ROLE_LABELS[r.role], r.of ?? "", "", "", null, skipped.join("；"), "", ""];
  }),
  // a count column's decimals are drawn only when set, so that a count with decimals is refused on its cell, not dropped
  // a grid's 同比 columns are generated from its 同比 cell on 表格, not listed here
  ...ownColumns(g).map((c): CellValue[] => [g.code, "列", c.code, c.name.zh, c.name.en, ROLE_LABELS[c.role as GridRole], c.of ?? "", KIND_LABELS[c.kind], c.unit ?? "", c.kind === "amount" || c.decimals !== 0 ? c.decimals : null, "", c.min ?? "", c.max ?? ""]),
]);

/** The designer workbook of a template (or of a blank one), as sheet plans. */
export function buildDesignerPlans(template: Drawn | null): SheetPlan[] {
  const t = template ? { ...template, ...ownParts(template) } : null;
  const legal = t?.form?.legal;
  const meta = sheet("template", [
    [META_LABELS.id, t?.id ?? ""], [META_LABELS.nameZh, t?.name.zh ?? ""], [META_LABELS.nameEn, t?.name.en ?? ""], [META_LABELS.period, t ? PERIOD_LABELS[t.periodType] : "年报"],
    [META_LABELS.maker, legal?.maker ?? ""], [META_LABELS.approver, legal?.approver ?? ""], [META_LABELS.approvalNo, legal?.approvalNo ?? ""], [META_LABELS.validUntil, legal?.validUntil ?? ""],
  ], 8, [{ cell: "B6", type: "list", list: Object.values(PERIOD_LABELS), error: { zh: "请从列表中选择填报周期", en: "Pick a period from the list" } }]);
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
  const tables = t?.form?.tables ?? [];
  const tablesDrawn = Math.max(50, tables.length + 20);
  const tablesSheet = sheet("tables", tableRows(tables), tablesDrawn, [
    ...list(TAB.kind, Object.values(TABLE_KIND_LABELS), "类型请选择 清单、行列表 或 浮动行清单", "Pick 清单 (list), 行列表 (grid) or 浮动行清单 (detail list)", tablesDrawn),
    ...list(TAB.required, ["是", "否"], "必填请选择 是 或 否", "Required: pick 是 or 否", tablesDrawn),
    ...list(TAB.yoy, ["是", "否"], "同比请选择 是 或 否", "Year on year: pick 是 or 否", tablesDrawn),
    ...list(TAB.ytd, ["是", "否"], "本年累计请选择 是 或 否", "Year to date: pick 是 or 否", tablesDrawn),
  ]);
  const lines = lineRows(tables);
  const linesDrawn = Math.max(INPUT_ROWS, lines.length + 100);
  const linesSheet = sheet("tableLines", lines, linesDrawn, [
    ...list(LINE.axis, ["行", "列"], "请选择 行 或 列", "Pick 行 (row) or 列 (column)", linesDrawn),
    ...list(LINE.role, Object.values(ROLE_LABELS), "角色请选择 项目、合计 或 其中", "Pick 项目 (item), 合计 (total) or 其中 (of which)", linesDrawn),
    ...list(LINE.kind, [KIND_LABELS.count, KIND_LABELS.amount], "列的类型请选择 计数 或 金额", "Pick 计数 (count) or 金额 (amount)", linesDrawn),
  ]);
  const fields = fieldRows(tables);
  // a form's lists have a few dozen fields at most: room for them and as many again
  const fieldsDrawn = Math.max(150, fields.length + 100);
  const fieldsSheet = sheet("detailFields", fields, fieldsDrawn, [
    ...list(FLD.type, Object.values(FIELD_TYPE_LABELS), "类型请选择 文本、代码、单选、是否、计数、金额 或 日期", "Pick a type from the list: text, code, choice, yes/no, count, amount or date", fieldsDrawn),
    ...list(FLD.required, ["是", "否"], "必填请选择 是 或 否", "Required: pick 是 or 否", fieldsDrawn),
    ...list(FLD.check, Object.values(FIELD_CHECK_LABELS), "校验请选择 统一社会信用代码 或留空", "Check: pick 统一社会信用代码 (credit code) or leave it blank", fieldsDrawn),
  ]);
  const notes: CellPlan[] = NOTES.map((value, row) => ({ row, col: 0, value, style: row === 0 ? "title" : "note", locked: true }));
  return [meta, sections, indicators, rules, tablesSheet, linesSheet, fieldsSheet, { name: DESIGNER_SHEETS.notes, cells: notes, columnWidths: [130], merges: [], validations: [], freezeRows: 0, protect: false, properties: {}, print: { landscape: false, titleRows: "" } }];
}
