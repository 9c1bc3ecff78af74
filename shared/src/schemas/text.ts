import { z } from "zod";

/**
 * Characters that XML 1.0 — and so every .xlsx — cannot hold: C0 controls other than tab, line feed
 * and carriage return, U+FFFE, U+FFFF and unpaired surrogates (https://www.w3.org/TR/xml/#charsets).
 * Text holding one would make every sheet it is written to unreadable, so it is refused on the way in.
 */
const NOT_IN_SHEETS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * What a name looks like to a reader, for telling two names apart: compatibility forms folded
 * (NFKC: full-width Ｚｅｚｈｏｕ is Zezhou), invisible format characters (zero-width spaces, joiners,
 * direction marks) and every kind of space dropped, case ignored. Two units under one parent whose
 * names have the same key look the same on every screen and list.
 */
export const nameKey = (name: string): string => name.normalize("NFKC").replace(/[\p{Cf}\p{White_Space}]/gu, "").toLowerCase();

export const isSheetSafe = (s: string): boolean => !NOT_IN_SHEETS.test(s);
export const NOT_SHEET_SAFE = "含有表格无法保存的控制字符，请删除后重试 / contains a control character that no spreadsheet can hold; remove it";

/** Text that can go into any sheet, CSV or page. */
export const SheetTextSchema = z.string().refine(isSheetSafe, { message: NOT_SHEET_SAFE });

/** User-facing text in both languages the product speaks; zh-CN first. */
export const LocalizedTextSchema = z.strictObject({
  zh: SheetTextSchema.pipe(z.string().min(1).max(500)),
  en: SheetTextSchema.pipe(z.string().min(1).max(500)),
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
