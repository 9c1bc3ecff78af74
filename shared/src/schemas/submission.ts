import { z } from "zod";
import { CodeSchema, SheetTextSchema } from "./text";

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
