import { z } from "zod";

/** User-facing text in both languages the product speaks; zh-CN first. */
export const LocalizedTextSchema = z.strictObject({
  zh: z.string().min(1).max(500),
  en: z.string().min(1).max(500),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/**
 * Names that JavaScript objects already carry (Object.prototype's properties). A code is used as a
 * key in JSON bodies, stored values and sheets, so these are refused rather than risk a lookup of an
 * unreported `constructor` finding a function.
 */
export const RESERVED_CODES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Codes are stable identifiers used in formulas, sheets and the API. They are case-sensitive and
 * compared exactly everywhere ("Zezhou" and "zezhou" are different codes).
 */
export const CodeSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "letters, digits and _, starting with a letter, at most 40")
  .refine((s) => !RESERVED_CODES.has(s), { message: "this name is reserved (a JavaScript property name such as constructor or toString); choose another / 此名称为保留字，请换一个" });
