import type { Indicator } from "../schemas/template";
import type { LocalizedText } from "../schemas/text";

export type IssueCode =
  | "required"
  | "not_a_number"
  | "not_integer"
  | "too_many_decimals"
  | "below_min"
  | "above_max"
  | "not_yes_no"
  | "not_in_list"
  | "too_long"
  | "bad_character"
  | "unknown_indicator"
  | "derived_is_computed"
  | "too_large"
  | "rule"
  | "jump"
  | "filled_from_approved"
  | "not_checked"
  | "parts_differ"
  // a detail list's (issue 25): a field's value that is not of its type, a key repeated, more rows than allowed, a field the list does not have, a list the template does not have
  | "invalid"
  | "duplicate_key"
  | "too_many_rows"
  | "unknown_field"
  | "unknown_list"
  // a sheet read back: a list's blank rows left out (said where, asked nothing)
  | "blank_rows";

/** A warning that tells and asks nothing: shown with the report, never in the way of submitting it. */
export const isNotice = (i: Pick<Issue, "code" | "severity">): boolean => i.severity === "warning" && (i.code === "not_checked" || i.code === "blank_rows");

/** One finding about a submission. `indicator` is the cell to mark; `rule` names the broken rule. */
export interface Issue {
  code: IssueCode;
  severity: "error" | "warning";
  indicator: string;
  indicators?: string[];
  rule?: string;
  /** A detail list's issue (issue 25): its list, row (from 1) and field; `indicator` is then the list's code. */
  list?: { table: string; row: number; field?: string };
  message: LocalizedText;
}

/** Prefixes a message with the indicator's name and code, so it says where as well as what. */
export function aboutIndicator(ind: Indicator | undefined, code: string, zh: string, en: string): LocalizedText {
  if (!ind) return { zh: `「${code}」：${zh}`, en: `'${code}': ${en}` };
  return { zh: `${ind.name.zh}（${code}）：${zh}`, en: `${ind.name.en} (${code}): ${en}` };
}
