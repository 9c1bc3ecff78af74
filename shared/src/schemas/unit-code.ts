// The unit's code on a report's cover (issue 23): its 统一社会信用代码 (GB 32100-2015: 18 characters,
// the last a check character over the first 17) or, for a government office without one, its
// 6-digit 行政区划代码 (GB/T 2260). A wrong check character is a typo caught before it is printed and signed.
import type { LocalizedText } from "./text";

/** GB 32100-2015's character set: digits and capitals without I, O, S, V, Z; a character's value is its index. */
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** Weights of positions 1–17: 3^(i-1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character a 17-character 统一社会信用代码 body takes (GB 32100-2015, 4.2). */
export function creditCodeCheck(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(body17[i]!) * WEIGHTS[i]!;
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

/** A unit code as typed with a Chinese IME or in lower case (９１３５…, 91350100m…) in the form it is printed: NFKC, capitals, no spaces around. */
export const normalizeUnitCode = (text: string): string => text.normalize("NFKC").trim().toUpperCase();

/** Why a cover's unit code is not one, or null: an 18-character 统一社会信用代码 with its check, or a 6-digit 行政区划代码. */
export function unitCodeProblem(text: string): LocalizedText | null {
  const s = normalizeUnitCode(text);
  if (/^\d{6}$/.test(s)) return s === "000000" ? { zh: "行政区划代码不能是 000000", en: "an administrative division code cannot be 000000" } : null;
  if (s.length !== 18) return { zh: `「${s}」不是 18 位统一社会信用代码，也不是 6 位行政区划代码`, en: `'${s}' is neither an 18-character unified social credit code nor a 6-digit division code` };
  const bad = [...s].findIndex((ch) => !CHARSET.includes(ch));
  if (bad >= 0) return { zh: `统一社会信用代码第 ${bad + 1} 位「${s[bad]}」不是允许的字符（数字和除 I、O、S、V、Z 外的大写字母）`, en: `character ${bad + 1} ('${s[bad]}') is not allowed in a unified social credit code (digits and capitals except I, O, S, V, Z)` };
  const check = creditCodeCheck(s.slice(0, 17));
  if (s[17] !== check) return { zh: `统一社会信用代码的校验位应为「${check}」，实际为「${s[17]}」：请核对是否抄错`, en: `the check character should be '${check}' but is '${s[17]}': please check the code for a typo` };
  return null;
}
