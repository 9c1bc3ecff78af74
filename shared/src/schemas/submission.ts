import { z } from "zod";
import { CodeSchema, SheetTextSchema } from "./text";
import { normalizeUnitCode, unitCodeProblem } from "./unit-code";

/**
 * One reported value as it travels: numbers for counts, decimal text or numbers for amounts,
 * booleans for yes/no, text for choices and free text. `null` (or absence) means "not reported",
 * which is never the same as 0.
 */
export const MAX_VALUE_TEXT = 2000;
export const MAX_COMMENT_TEXT = 1000;
export const RawValueSchema = z.union([z.number(), z.string().max(MAX_VALUE_TEXT), z.boolean(), z.null()]);
export type RawValue = z.infer<typeof RawValueSchema>;

/** Canonical stored value: counts as numbers, amounts as fixed decimal text, yes/no as booleans. */
export type Value = number | string | boolean | null;
export type Values = Record<string, Value>;

export const ValuesSchema = z.record(CodeSchema, RawValueSchema);
export const CommentsSchema = z.record(CodeSchema, SheetTextSchema.pipe(z.string().max(MAX_COMMENT_TEXT)));

export const SubmissionStatusSchema = z.enum(["submitted", "returned", "approved"]);
export type SubmissionStatus = z.infer<typeof SubmissionStatusSchema>;

/**
 * The signature block under the fill sheet (填报单位, 统一社会信用代码, 负责人, 统计负责人, 填报人, 联系电话,
 * 填报日期 — a statistical form's cover fields), kept with the
 * revision it was handed in with: it attests to those figures, so it is as immutable as they are
 * and a later revision's change to it shows in the diff. Text as written (a phone keeps its 0, a
 * date stays as typed); a blank field is absent.
 */
export const SIGNATURE_FIELDS = ["unit", "code", "head", "statHead", "filer", "phone", "date"] as const;
export type SignatureField = (typeof SIGNATURE_FIELDS)[number];
/** As long as a unit's name may be (填报单位 is filled with it). */
export const MAX_SIGNATURE_TEXT = 500;
const SignatureTextSchema = SheetTextSchema.pipe(z.string().max(MAX_SIGNATURE_TEXT));
export const SignatureSchema = z.strictObject({
  unit: SignatureTextSchema.optional(),
  /** 统一社会信用代码 (with its check character) or 行政区划代码: the cover's unit code (issue 23). */
  code: SignatureTextSchema.optional().superRefine((v, ctx) => { const p = v && v.trim() !== "" ? unitCodeProblem(v) : null; if (p) ctx.addIssue({ code: "custom", message: `${p.zh} / ${p.en}` }); }),
  head: SignatureTextSchema.optional(),
  /** 统计负责人. */
  statHead: SignatureTextSchema.optional(),
  filer: SignatureTextSchema.optional(),
  phone: SignatureTextSchema.optional(),
  date: SignatureTextSchema.optional(),
});
export type Signature = z.infer<typeof SignatureSchema>;

/** A signature as stored: every field trimmed, blank ones left out. */
export function canonicalSignature(s: Signature | null | undefined): Signature {
  const out: Signature = {};
  for (const f of SIGNATURE_FIELDS) {
    const v = f === "code" && s?.code ? normalizeUnitCode(s.code) : s?.[f]?.trim();
    if (v) out[f] = v;
  }
  return out;
}
