// Detail lists (浮动行, issue 25): a table whose rows are records the unit adds — the famous-brand products
// and their producers, the enterprises adopting international standards, the failed spot-check batches.
// Its columns are typed fields; an optional key (e.g. 统一社会信用代码 + 产品) is unique within a report
// (重码审核); the template states how many rows a report may hold. Designed here first, in the pure core:
// the schema, reading a row as typed (normalize), checking a list (validate), rolling lists up (rollup)
// and the difference between two revisions (diff); the readers and writers follow it.
import { z } from "zod";
import { ChoiceOptionSchema } from "../schemas/template";
import { CodeSchema, LocalizedTextSchema } from "../schemas/text";

/** What a field holds. `code`: an identifier compared without spacing or case (统一社会信用代码 when checked as `uscc`). */
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
  options: z.array(ChoiceOptionSchema).min(2).max(50).optional(),
  /** count and amount: the unit of measure, decimals (amount) and bounds (left out: 0 and 9,999,999,999,999). */
  unit: z.string().max(12).optional(),
  decimals: z.number().int().min(0).max(6).default(0),
  min: decimalText.optional(),
  max: decimalText.optional(),
});
export type DetailField = z.infer<typeof DetailFieldSchema>;

/** The most rows a detail list may hold, whatever a template says: what one submission is sized for. */
export const DETAIL_ROWS_LIMIT = 5000;

export const DetailTableSchema = z.strictObject({
  code: CodeSchema,
  formNo: z.string().max(30),
  name: LocalizedTextSchema,
  kind: z.literal("detail"),
  fields: z.array(DetailFieldSchema).min(1).max(30),
  /** Fields whose values together are unique within a report (重码审核); none: rows may repeat. */
  key: z.array(CodeSchema).max(5).default([]),
  /** The most rows a report's list may hold. */
  maxRows: z.number().int().min(1).max(DETAIL_ROWS_LIMIT).default(2000),
});
export type DetailTable = z.infer<typeof DetailTableSchema>;

/** The problems of a detail table's own definition (its key naming fields it has, a choice with options…), as text per path. */
export function detailTableIssues(t: DetailTable): { path: string; zh: string; en: string }[] {
  const out: { path: string; zh: string; en: string }[] = [];
  const seen = new Set<string>();
  for (const f of t.fields) {
    const at = `fields.${f.code}`;
    if (seen.has(f.code)) out.push({ path: at, zh: `字段代码「${f.code}」重复`, en: `field code '${f.code}' is used twice` });
    seen.add(f.code);
    if (f.type === "choice" && !f.options) out.push({ path: at, zh: `单选字段「${f.name.zh}」需要列出选项`, en: `choice field '${f.name.en}' needs its options` });
    if (f.type !== "choice" && f.options) out.push({ path: at, zh: `只有单选字段有选项（「${f.name.zh}」是${f.type}）`, en: `only a choice field has options ('${f.name.en}' is ${f.type})` });
    if (f.check !== undefined && f.type !== "code") out.push({ path: at, zh: `只有代码字段可以校验统一社会信用代码（「${f.name.zh}」）`, en: `only a code field can be checked as a credit code ('${f.name.en}')` });
    if (f.type === "amount" && !f.unit) out.push({ path: at, zh: `金额字段「${f.name.zh}」必须有计量单位`, en: `amount field '${f.name.en}' needs a unit` });
  }
  for (const k of t.key) if (!seen.has(k)) out.push({ path: "key", zh: `重码审核的字段「${k}」不存在`, en: `key field '${k}' does not exist` });
  if (new Set(t.key).size !== t.key.length) out.push({ path: "key", zh: "重码审核的字段重复", en: "a key field is listed twice" });
  return out;
}
