// A report's detail lists as the rest of the product sees them (issue 25): the lists the template holds,
// each checked row by row (issues on their list, row and field, as every other issue), and the figures
// they generate — rows and sums, overall and by each choice option — computed from the rows, whatever
// a client sent for them, so the stored figures, the totals at every level and the rules that tie a
// list to the fixed tables all work on what the list says.
import * as X from "../exact/exact";
import type { DetailTable, Template } from "../schemas";
import type { Values } from "../schemas/submission";
import type { CompiledTemplate } from "../template/compile";
import type { Issue } from "../validation/issue";
import { validateDetailRows } from "./rows";

/** A report's lists by table code: each row's fields as stored (canonical values, blanks absent). */
export type Lists = Record<string, Values[]>;

/** A list as sent: each row's fields by code, as typed. */
export type RawLists = Record<string, readonly Readonly<Record<string, unknown>>[]>;

/** The detail lists of a template's form, in its order. */
export const detailTables = (template: Pick<Template, "form">): DetailTable[] =>
  (template.form?.tables ?? []).filter((t): t is DetailTable => t.kind === "detail");

/** Every list of the template read and checked; a list not sent is empty, a list the template does not have is refused. */
export function validateLists(compiled: CompiledTemplate, raw: RawLists | undefined): { lists: Lists; issues: Issue[] } {
  const tables = detailTables(compiled.template);
  const issues: Issue[] = [];
  const lists: Lists = {};
  for (const code of Object.keys(raw ?? {})) {
    if (!tables.some((t) => t.code === code)) {
      issues.push({ code: "unknown_list", severity: "error", indicator: code, message: { zh: `本报表没有清单「${code}」`, en: `this report has no list '${code}'` } });
    }
  }
  for (const t of tables) {
    const rows = raw && Object.hasOwn(raw, t.code) ? raw[t.code]! : [];
    const checked = validateDetailRows(t, rows);
    lists[t.code] = checked.rows;
    // said on the row and field; where it is shown, its cell and sheet go before it (locateIssues)
    for (const i of checked.issues) {
      issues.push({ code: i.code, severity: i.severity, indicator: t.code, list: { table: t.code, row: i.row, ...(i.field !== undefined ? { field: i.field } : {}) }, message: i.message });
    }
  }
  return { lists, issues };
}

/** The figures the lists generate (each indicator marked `fromList`): rows counted, fields summed exactly; a sum over no figure is blank, a count of no rows 0. */
export function listFigures(compiled: CompiledTemplate, lists: Lists): Values {
  const out: Values = {};
  for (const ind of compiled.template.indicators) {
    if ((ind.kind !== "count" && ind.kind !== "amount") || !ind.fromList) continue;
    const { table, field, where } = ind.fromList;
    const rows = (Object.hasOwn(lists, table) ? lists[table]! : []).filter((r) => !where || r[where.field] === where.equals);
    if (field === undefined) { out[ind.code] = rows.length; continue; }
    const present = rows.map((r) => r[field]).filter((v) => v !== null && v !== undefined);
    if (present.length === 0) { out[ind.code] = null; continue; }
    const sum = X.sum(present.map((v) => X.parseExact(String(v))!));
    out[ind.code] = ind.kind === "count" ? Number(X.toFixed(sum, 0)) : X.toFixed(sum, ind.decimals);
  }
  return out;
}

/** Whether an indicator is a list's figure: computed from the list, never typed. */
export const isListFigure = (ind: { kind: string; fromList?: unknown }): boolean => (ind.kind === "count" || ind.kind === "amount") && ind.fromList !== undefined;

/**
 * The issues to tell: a rule over a list's figures is left out while the list itself has errors — its
 * figures then count only the rows that could be read, and the rule would point at the sum instead of
 * the cell that is wrong. It is checked again once the list is right.
 */
export function withoutRulesOverBadLists(compiled: CompiledTemplate, issues: readonly Issue[]): Issue[] {
  const bad = new Set(issues.filter((i) => i.list && i.severity === "error").map((i) => i.list!.table));
  if (bad.size === 0) return [...issues];
  const overBad = (code: string) => {
    const ind = compiled.byCode.get(code);
    return ind !== undefined && (ind.kind === "count" || ind.kind === "amount") && ind.fromList !== undefined && bad.has(ind.fromList.table);
  };
  return issues.filter((i) => !(i.code === "rule" && (i.indicators ?? [i.indicator]).some(overBad)));
}

/**
 * Where a review note on a list row (`producers#3`) is, as people read it: 质兴4表附表 名牌产品生产企业名单
 * 第 3 行, and with the report's lists, the row it is on by its first text field and its other text key
 * fields（泽州县鑫源焦炭有限公司 · 焦炭）— a row number alone does not say which enterprise once rows
 * were inserted or sorted; null for an indicator's note.
 */
export function listRowNoteLabel(template: Pick<Template, "form">, key: string, lang: "zh" | "en", lists?: Readonly<Record<string, readonly Values[]>>): string | null {
  const m = /^([A-Za-z][A-Za-z0-9_]{0,39})#([1-9]\d{0,3})$/.exec(key);
  const t = m ? detailTables(template).find((x) => x.code === m[1]) : undefined;
  if (!m || !t) return null;
  const title = [t.formNo, t.name[lang]].filter((x) => x !== "").join(" ");
  const row = lists?.[t.code]?.[Number(m[2]) - 1];
  const texts = t.fields.filter((f) => f.type === "text");
  const named = row ? [...new Set([texts[0], ...texts.filter((f) => t.key.includes(f.code))])].flatMap((f) => (f && typeof row[f.code] === "string" ? [row[f.code] as string] : [])) : [];
  const which = named.length === 0 ? "" : lang === "zh" ? `（${named.join(" · ")}）` : ` (${named.join(" · ")})`;
  return lang === "zh" ? `${title} 第 ${m[2]} 行${which}` : `${title}, row ${m[2]}${which}`;
}
