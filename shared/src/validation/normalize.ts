import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import type { Indicator } from "../schemas/template";
import type { RawValue, Value } from "../schemas/submission";
import { aboutIndicator, type Issue, type IssueCode } from "./issue";
import { boundsOf, exactOfRaw, MAX_NUMBER_TEXT } from "./number";
import { isSheetSafe } from "../schemas/text";

type Normalized = { ok: true; value: Value } | { ok: false; issue: Issue };

const YES = new Set(["是", "yes", "y", "true", "有", "已", "√"]);
const NO = new Set(["否", "no", "n", "false", "无", "未", "×"]);

/**
 * Turns one reported value into its canonical form, or says what is wrong with it.
 * Empty text is "not reported" (null), never 0. Amounts are never silently rounded.
 */
/** What was typed, as a message may repeat it: at most 40 characters, control characters as \\uXXXX. */
function echo(raw: RawValue): string {
  const s = String(raw);
  const cut = s.length > MAX_NUMBER_TEXT ? `${s.slice(0, MAX_NUMBER_TEXT)}…` : s;
  return isSheetSafe(cut) ? cut : [...cut].map((ch) => (isSheetSafe(ch) ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)).join("");
}

export function normalizeValue(ind: Indicator, raw: RawValue): Normalized {
  const fail = (code: IssueCode, zh: string, en: string): Normalized => ({
    ok: false,
    issue: { code, severity: "error", indicator: ind.code, message: aboutIndicator(ind, ind.code, zh, en) },
  });
  if (raw === null || (typeof raw === "string" && raw.trim() === "")) return { ok: true, value: null };
  switch (ind.kind) {
    case "derived":
      return fail("derived_is_computed", "此项由公式自动计算，不能填写", "this figure is computed by formula and cannot be entered");
    case "count":
    case "amount": {
      const exact = exactOfRaw(raw);
      if (!exact) {
        const shown = echo(raw);
        return fail("not_a_number", `「${shown}」不是数字（请只填写数字，如 1470、1,470 或 68.68）`, `'${shown}' is not a number (enter digits only, such as 1470, 1,470 or 68.68)`);
      }
      if (ind.kind === "count" && !X.isInteger(exact)) return fail("not_integer", "必须是整数", "must be a whole number");
      const decimals = ind.kind === "amount" ? ind.decimals : 0;
      if (X.decimalPlaces(exact) > decimals) {
        return fail("too_many_decimals", `最多 ${decimals} 位小数`, `at most ${decimals} decimal places`);
      }
      const { min, max } = boundsOf(ind);
      if (X.compare(exact, min) < 0) return fail("below_min", `不能小于 ${X.toDecimalText(min)}`, `must not be below ${X.toDecimalText(min)}`);
      if (X.compare(exact, max) > 0) return fail("above_max", `不能大于 ${X.toDecimalText(max)}`, `must not be above ${X.toDecimalText(max)}`);
      // within the bounds a count is an integer below 2^53, so its JSON number is exact
      if (ind.kind === "count") return { ok: true, value: Number(exact.n) };
      return { ok: true, value: X.toFixed(exact, decimals) };
    }
    case "yesno": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      const text = String(raw).trim().toLowerCase();
      if (YES.has(text) || raw === 1) return { ok: true, value: true };
      if (NO.has(text) || raw === 0) return { ok: true, value: false };
      return fail("not_yes_no", `请填「是」或「否」，而不是「${echo(raw)}」`, `enter yes or no, not '${echo(raw)}'`);
    }
    case "choice": {
      const text = String(raw).trim();
      const option = ind.options.find((o) => o.code === text || o.name.zh === text || o.name.en.toLowerCase() === text.toLowerCase());
      if (!option) {
        const list = ind.options.map((o) => o.name.zh).join("、");
        return fail("not_in_list", `「${echo(text)}」不在可选项中（${list}）`, `'${echo(text)}' is not one of the options (${ind.options.map((o) => o.name.en).join(", ")})`);
      }
      return { ok: true, value: option.code };
    }
    case "text": {
      if (typeof raw !== "string") return { ok: true, value: String(raw) };
      const text = raw.trim();
      if (!isSheetSafe(text)) return fail("bad_character", "含有表格无法保存的控制字符，请删除后重试", "contains a control character that no spreadsheet can hold; remove it");
      if (text.length > ind.maxLength) return fail("too_long", `不能超过 ${ind.maxLength} 个字`, `at most ${ind.maxLength} characters`);
      return { ok: true, value: text };
    }
  }
}

/** The exact number, yes/no or null behind a canonical stored value, as formulas read it. */
export function formulaInput(ind: Indicator, value: Value | undefined): Exact | boolean | null {
  if (value === null || value === undefined) return null;
  if (ind.kind === "yesno") return value === true;
  if (typeof value === "number") return X.fromInt(value);
  if (typeof value === "string") return X.parseExact(value);
  return null;
}
