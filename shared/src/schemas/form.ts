// A report form (issue 23): a template is a set of numbered tables (表号 质兴1表, 质兴2表 …) with the
// legal face every statistical survey form prints (法定标识: 制定机关, 批准机关, 批准文号, 有效期至).
// A table is a *list* (one indicator per row: the template's indicators of its sections) or a *grid*
// (rows 主栏 × columns 宾栏, each cell an indicator of its column's kind). A grid's total rows and
// columns are derived cells (Σ of the item rows / columns) and a 其中 row or column may not exceed
// what it is part of: the balance rules they imply are generated (template/form.ts), never typed.
// A template without a form reads as one list table of all its sections.
import { z } from "zod";
import { CodeSchema, LocalizedTextSchema, SheetTextSchema } from "./text";

const line = (max: number) => SheetTextSchema.pipe(z.string().trim().min(1).max(max));

/** 法定标识: who made the form, who approved it, under which document, until when (统计法 第十七条). */
export const LegalFaceSchema = z.strictObject({
  /** 制定机关, e.g. 晋城市质量技术监督局. */
  maker: line(60),
  /** 批准机关 (or 备案机关). */
  approver: line(60).optional(),
  /** 批准文号 or 备案文号, e.g. 晋市统制〔2025〕12号. */
  approvalNo: line(60).optional(),
  /** 有效期至, as printed: 2027年12月. */
  validUntil: line(20).optional(),
});
export type LegalFace = z.infer<typeof LegalFaceSchema>;

/** A row's or column's part in its grid: an item, the total of the items, or a 其中 (of which) of another. */
export const GridRoleSchema = z.enum(["item", "total", "ofWhich"]);
export type GridRole = z.infer<typeof GridRoleSchema>;

export const GridRowSchema = z.strictObject({
  code: CodeSchema,
  name: LocalizedTextSchema,
  role: GridRoleSchema.default("item"),
  /** For a 其中 row: the row it is part of. */
  of: CodeSchema.optional(),
});
export type GridRow = z.infer<typeof GridRowSchema>;

/**
 * A column's part: a row's roles, and those a grid's time columns (issue 24) generate after each column
 * `of`: its 上年同期 (lastYear) and 同比增长 % (growth) with 同比, its 本年累计 (cumulative) with 累计 (and that
 * 累计's own 上年同期 and 同比 with both). Generated columns are replaced, never kept, when a template is
 * expanded again; a grid without them has none.
 */
export const GridColumnRoleSchema = z.enum(["item", "total", "ofWhich", "lastYear", "growth", "cumulative"]);

export const GridColumnSchema = z.strictObject({
  code: CodeSchema,
  name: LocalizedTextSchema,
  /** What every cell of the column holds: a whole count or an amount with decimals. */
  kind: z.enum(["count", "amount"]),
  unit: line(12).optional(),
  decimals: z.number().int().min(0).max(6).default(0),
  /** Bounds of every cell in the column, as an indicator's (left out: 0 and 9,999,999,999,999); a negative min lets 利润总额 show a loss. */
  min: z.string().max(30).regex(/^-?\d+(\.\d+)?$/, "a decimal number such as 0 or -100.5").optional(),
  max: z.string().max(30).regex(/^-?\d+(\.\d+)?$/, "a decimal number such as 0 or 100.5").optional(),
  role: GridColumnRoleSchema.default("item"),
  of: CodeSchema.optional(),
});
export type GridColumn = z.infer<typeof GridColumnSchema>;

const tableCommon = {
  code: CodeSchema,
  /** 表号, e.g. 质兴2表. */
  formNo: line(30),
  name: LocalizedTextSchema,
  /** The line under the title, e.g. 计量单位：万元. */
  unitLine: line(60).optional(),
  /** 填报说明 printed under the table. */
  notes: LocalizedTextSchema.optional(),
  /** The main table this one is attached to (附表). */
  attachedTo: CodeSchema.optional(),
};

export const ListTableSchema = z.strictObject({
  ...tableCommon,
  kind: z.literal("list"),
  /** The template's sections this table lists, in order. */
  sections: z.array(CodeSchema).min(1).max(50),
  /**
   * 同比 columns (issue 24): each count or amount x of its sections gets x_ly 上年同期 (typed, or filled
   * from last year's approved figure), x_yoy 同比增减 and x_yoyp 同比增长 % (like with like at every level).
   */
  yoy: z.boolean().default(false),
  /**
   * 本年累计 (issue 24): each count or amount x of its sections gets x_ytd, this year's periods so far
   * (1–N月累计 in a monthly report): the sum of the unit's approved earlier periods and this one where
   * every earlier period is approved, else typed. With 同比 columns, x_ytd gets its own (累计同比).
   * Monthly, quarterly and half-yearly templates only. Absent is no (templates before it read as they were).
   */
  ytd: z.boolean().optional(),
});

export const GridTableSchema = z.strictObject({
  ...tableCommon,
  kind: z.literal("grid"),
  rows: z.array(GridRowSchema).min(1).max(200),
  columns: z.array(GridColumnSchema).min(1).max(30),
  /** Cells that do not apply ("row:column"): no figure is asked for or stored. */
  skip: z.array(z.string().max(81)).max(6000).default([]),
  /** Whether every item cell must be filled (blank is not zero; statistical forms ask for 0). */
  required: z.boolean().default(true),
  /**
   * 同比 (issue 24): each column is followed by its 上年同期 (filled from last year's approved figures, else
   * typed; its 合计 cells add up as the column's) and its 同比增长 % (like with like at every level, the
   * 合计 row's too). Absent is no.
   */
  yoy: z.boolean().optional(),
  /**
   * 本年累计 (issue 24), in a monthly, quarterly or half-yearly report: each column is followed by its
   * 1–N月累计 (this period plus the approved earlier ones of the year where all are, else typed; a 合计's
   * adds up). With 同比 the 累计 has its own 上年同期 and 同比增长. Absent is no.
   */
  ytd: z.boolean().optional(),
});

/**
 * A detail list (浮动行, issue 25): a table whose rows are records the unit adds — the famous-brand
 * products and their producers, the enterprises adopting international standards, the failed spot-check
 * batches. Its columns are typed fields; an optional key (e.g. 统一社会信用代码 + 产品) is unique within a
 * report (重码审核); the template states how many rows a report may hold. Its totals — the rows and the
 * sums of its numbers, overall and by each option of each choice field — are generated as the figures
 * of a section of its own (template/form.ts): stored, totalled and checked like every figure, and rules
 * between the list and the fixed tables name them.
 */
export const DetailFieldTypeSchema = z.enum(["text", "code", "choice", "yesno", "count", "amount", "date"]);
export type DetailFieldType = z.infer<typeof DetailFieldTypeSchema>;

const decimalText = z.string().max(30).regex(/^-?\d+(\.\d+)?$/, "a decimal number such as 0 or -100.5");

export const DetailFieldSchema = z.strictObject({
  code: CodeSchema,
  name: LocalizedTextSchema,
  type: DetailFieldTypeSchema,
  required: z.boolean().default(false),
  /** text and code: at most this many characters (after spacing is tidied). */
  maxLength: z.number().int().min(1).max(500).default(200),
  /** code: a check its value must pass — `uscc`, the 18-character 统一社会信用代码 with its check character (GB 32100-2015). */
  check: z.enum(["uscc"]).optional(),
  /** choice: its options, by code and name. */
  options: z.array(z.strictObject({ code: CodeSchema, name: LocalizedTextSchema })).min(2).max(50).optional(),
  /** count and amount: the unit of measure, decimals (amount) and bounds (left out: 0 and 9,999,999,999,999). */
  unit: line(12).optional(),
  decimals: z.number().int().min(0).max(6).default(0),
  min: decimalText.optional(),
  max: decimalText.optional(),
});
export type DetailField = z.infer<typeof DetailFieldSchema>;

/** The most rows a detail list may hold, whatever a template says: what one submission is sized for. */
export const DETAIL_ROWS_LIMIT = 5000;

/**
 * The most cells a report's detail lists may hold together (fields × most rows, summed over its lists):
 * what a fill workbook carrying them can be uploaded with (worker/src/upload/trim.ts FILL_LIST_CELLS) and
 * what the aggregate workbook lists (LIST_BOOK_CELLS) — 5,000 rows of 12 fields, or 2,000 of 30.
 */
export const DETAIL_CELLS_LIMIT = 60_000;

export const DetailTableSchema = z.strictObject({
  ...tableCommon,
  kind: z.literal("detail"),
  fields: z.array(DetailFieldSchema).min(1).max(30),
  /** Fields whose values together are unique within a report (重码审核); none: rows may repeat. */
  key: z.array(CodeSchema).max(5).default([]),
  /** The most rows a report's list may hold. */
  maxRows: z.number().int().min(1).max(DETAIL_ROWS_LIMIT).default(2000),
});
export type DetailTable = z.infer<typeof DetailTableSchema>;

export const TableSchema = z.discriminatedUnion("kind", [ListTableSchema, GridTableSchema, DetailTableSchema]);
export type Table = z.infer<typeof TableSchema>;
export type ListTable = z.infer<typeof ListTableSchema>;
export type GridTable = z.infer<typeof GridTableSchema>;

export const FormSchema = z.strictObject({
  legal: LegalFaceSchema.optional(),
  tables: z.array(TableSchema).min(1).max(30),
});
export type Form = z.infer<typeof FormSchema>;
