// A detail list's rows read as typed and checked (issue 25): each field by its type — numbers as every other
// figure is read (1,470 or 1470), yes/no and choices by name or code, dates in the forms officials write
// them, a 统一社会信用代码 by its check character — and the list as a whole: at most the rows the template
// allows, a required field blank in the middle named on its cell, a key repeated named with both rows,
// compared as people mean them (full-width and half-width alike, spacing and case ignored).
import type { LocalizedText } from "../schemas/text";
import type { Indicator } from "../schemas/template";
import type { Value, Values } from "../schemas/submission";
import { normalizeValue } from "../validation/normalize";
import { isSheetSafe } from "../schemas/text";
import type { DetailField, DetailTable } from "../schemas/form";

export interface DetailIssue {
  /** The row in the list, from 1. */
  row: number;
  field?: string;
  code: "required" | "invalid" | "too_many_rows" | "duplicate_key" | "unknown_field";
  severity: "error" | "warning";
  message: LocalizedText;
}

/**
 * Text as stored: as typed, runs of spacing (full-width ones too) as one space, trimmed. An enterprise's
 * registered name keeps its full-width brackets and symbols (晋城市（泽州）, Ⅱ, m³): width is folded only
 * where text is compared (sameText) or where it is an identifier (tidyCode).
 */
export const tidyText = (s: string): string => s.replace(/\s+/gu, " ").trim();

/** Invisible format characters a paste from a web page brings along (zero-width space, soft hyphen, BOM …). */
const INVISIBLE = /\p{Cf}/gu;

/** An identifier as compared and stored: full-width letters and digits as half-width (NFKC), without spacing or invisible characters, in capitals. */
export const tidyCode = (s: string): string => s.normalize("NFKC").replace(INVISIBLE, "").replace(/\s+/gu, "").toUpperCase();

/** Text as compared (重码审核): widths folded (NFKC), invisible characters, spacing and case ignored. */
export const sameText = (s: string): string => tidyCode(s).toLowerCase();

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Whether an 18-character code is a 统一社会信用代码 with the right check character (GB 32100-2015). */
export function isUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NP-RTUWXY]{18}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check] === code[17];
}

/** A date as 2024-03-05 from 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 or a spreadsheet's day number; null when it is none. */
export function readDate(raw: unknown): string | null {
  if (typeof raw === "number") {
    // a spreadsheet's day number (1900 date system): 1 is 1900-01-01; Excel counts a 29 February 1900 that
    // never was (60), so from 61 on a day number is one more than the days since 1899-12-31
    if (!Number.isInteger(raw) || raw < 1 || raw > 2958465 || raw === 60 || isYear(raw)) return null;
    const ms = Date.UTC(1899, 11, raw < 60 ? 31 : 30) + raw * 86_400_000;
    return new Date(ms).toISOString().slice(0, 10);
  }
  if (typeof raw !== "string") return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(tidyText(raw.normalize("NFKC")));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A number that is a year, not a day number: 1900–2100 pasted into a date field (a day number there
 * would be in 1905) is refused, naming the form a date takes.
 */
const isYear = (n: number): boolean => n >= 1900 && n <= 2100;

/** The indicator a field reads like (its numbers, yes/no and choices are read exactly as a report's figures, and drawn so on a sheet). */
export function fieldIndicator(f: DetailField): Indicator {
  const common = { code: f.code, section: "", name: f.name, required: false };
  const bounds = { ...(f.min !== undefined ? { min: f.min } : {}), ...(f.max !== undefined ? { max: f.max } : {}) };
  switch (f.type) {
    case "count": return { ...common, kind: "count", ...bounds };
    case "amount": return { ...common, kind: "amount", unit: f.unit ?? "", decimals: f.decimals, ...bounds };
    case "yesno": return { ...common, kind: "yesno" };
    case "choice": return { ...common, kind: "choice", options: f.options ?? [] };
    default: return { ...common, kind: "text", maxLength: f.maxLength };
  }
}

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/** One field's value as stored (canonical), or what is wrong with it. */
export function readField(f: DetailField, raw: unknown): { ok: true; value: Value | null } | { ok: false; zh: string; en: string } {
  if (blank(raw)) return { ok: true, value: null };
  const shown = String(raw).slice(0, 40);
  if (f.type === "date") {
    const d = readDate(raw);
    if (typeof raw === "number" && isYear(raw)) return { ok: false, zh: `「${shown}」是年份，不是日期：请写成 ${raw}-03-05 或 ${raw}年3月5日`, en: `'${shown}' is a year, not a date: write it as ${raw}-03-05` };
    return d ? { ok: true, value: d } : { ok: false, zh: `「${shown}」不是日期（如 2024-03-05 或 2024年3月5日）`, en: `'${shown}' is not a date (such as 2024-03-05)` };
  }
  if (f.type === "code") {
    const code = tidyCode(String(raw));
    // a control character or half a character pair makes no code and no workbook can hold it
    if (!isSheetSafe(code)) return { ok: false, zh: "含有表格无法保存的控制字符，请删除后重试", en: "contains a control character that no spreadsheet can hold; remove it" };
    if (code.length > f.maxLength) return { ok: false, zh: `不能超过 ${f.maxLength} 个字符`, en: `at most ${f.maxLength} characters` };
    if (f.check === "uscc" && !isUscc(code)) {
      return code.length !== 18
        ? { ok: false, zh: `统一社会信用代码应为 18 位（「${shown}」是 ${code.length} 位）`, en: `a unified social credit code has 18 characters ('${shown}' has ${code.length})` }
        : { ok: false, zh: `「${shown}」不是有效的统一社会信用代码（校验位不符，请核对）`, en: `'${shown}' is not a valid unified social credit code (its check character does not match)` };
    }
    return { ok: true, value: code };
  }
  const input = typeof raw === "string" ? (f.type === "text" ? tidyText(raw) : raw.normalize("NFKC")) : (raw as Value);
  const n = normalizeValue(fieldIndicator(f), input as never);
  if (!n.ok) {
    // the message without the indicator's name: the caller says which row and field
    const strip = (m: string) => m.replace(/^.*?（[^）]*）：/, "").replace(/^.*? \([^)]*\): /, "");
    return { ok: false, zh: strip(n.issue.message.zh), en: strip(n.issue.message.en) };
  }
  return { ok: true, value: n.value };
}

/** The key of a row as compared (its key fields tidied; text also without spacing or case; a blank one as blank), or null when the table has none or every key field is blank. */
export function keyOf(t: DetailTable, row: Values): string | null {
  if (t.key.length === 0) return null;
  // a key field left blank is part of the key as blank: two rows alike but for nothing are the same row
  const parts = t.key.map((k) => { const v = row[k]; return v === null || v === undefined ? null : typeof v === "string" ? sameText(v) : String(v); });
  return parts.every((p) => p === null) ? null : JSON.stringify(parts);
}

/**
 * A report's list read and checked: each row's fields as stored, and every problem on its row and field.
 * Rows wholly blank are left out by the reader, not here: every row given is a row of the list.
 */
export function validateDetailRows(t: DetailTable, raw: readonly Readonly<Record<string, unknown>>[]): { rows: Values[]; issues: DetailIssue[] } {
  const issues: DetailIssue[] = [];
  const name = (f: DetailField) => f.name;
  if (raw.length > t.maxRows) {
    issues.push({ row: t.maxRows + 1, code: "too_many_rows", severity: "error", message: {
      zh: `「${t.name.zh}」共 ${raw.length} 行，超过本表上限 ${t.maxRows} 行（第 ${t.maxRows + 1} 行起）`,
      en: `'${t.name.en}' has ${raw.length} rows, more than the ${t.maxRows} this table allows (from row ${t.maxRows + 1})` } });
  }
  const byCode = new Map(t.fields.map((f) => [f.code, f]));
  const rows: Values[] = [];
  const firstOf = new Map<string, number>();
  raw.slice(0, t.maxRows).forEach((r, i) => {
    const row = i + 1;
    for (const k of Object.keys(r)) {
      if (!byCode.has(k)) issues.push({ row, field: k, code: "unknown_field", severity: "error", message: { zh: `第 ${row} 行：本表没有字段「${k}」`, en: `row ${row}: this table has no field '${k}'` } });
    }
    const values: Values = {};
    for (const f of t.fields) {
      const got = readField(f, Object.hasOwn(r, f.code) ? r[f.code] : null);
      if (!got.ok) { issues.push({ row, field: f.code, code: "invalid", severity: "error", message: { zh: `第 ${row} 行「${name(f).zh}」：${got.zh}`, en: `row ${row}, '${name(f).en}': ${got.en}` } }); continue; }
      if (got.value === null) {
        if (f.required) issues.push({ row, field: f.code, code: "required", severity: "error", message: { zh: `第 ${row} 行「${name(f).zh}」必填`, en: `row ${row}, '${name(f).en}' is required` } });
        continue;
      }
      values[f.code] = got.value;
    }
    const key = keyOf(t, values);
    if (key !== null) {
      const first = firstOf.get(key);
      if (first !== undefined) {
        const fields = t.key.map((k) => byCode.get(k)!.name);
        issues.push({ row, field: t.key[0], code: "duplicate_key", severity: "error", message: {
          zh: `第 ${row} 行与第 ${first} 行重复（${fields.map((n) => n.zh).join(" + ")} 相同）`,
          en: `row ${row} repeats row ${first} (the same ${fields.map((n) => n.en).join(" + ")})` } });
      } else firstOf.set(key, row);
    }
    rows.push(values);
  });
  return { rows, issues };
}
