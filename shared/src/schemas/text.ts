import { z } from "zod";

/** User-facing text in both languages the product speaks; zh-CN first. */
export const LocalizedTextSchema = z.strictObject({
  zh: z.string().min(1).max(500),
  en: z.string().min(1).max(500),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Codes are stable identifiers used in formulas, sheets and the API. */
export const CodeSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "letters, digits and _, starting with a letter, at most 40");
