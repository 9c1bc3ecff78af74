import { z } from "zod";
import type { Indicator, Template } from "../schemas/template";
import type { DetailField, DetailTable, Form, GridColumn, GridRole, GridRow, Table } from "../schemas/form";
import { TemplateSummarySchema } from "../api/contract";
import { formOf, ownColumns } from "../template/form";
import { FIELD_CHECK_LABELS, FIELD_TYPE_LABELS, KIND_LABELS, ROLE_LABELS, TABLE_KIND_LABELS } from "./sheets";

/** What a new version of a template changes against the published one, said for the city that made it. */

export const TemplateChangeSchema = z.strictObject({
  kind: z.enum([
    "added", "removed", "renamed", "kind_changed", "formula_changed", "unit_changed", "decimals_changed", "options_changed", "bounds_changed", "jump_changed", "required_changed", "help_changed",
    "rule_added", "rule_removed", "rule_changed", "section_added", "section_removed",
    // a form's tables (issue 23): a table added or removed or changed, a grid's rows and columns, the legal face
    "table_added", "table_removed", "table_changed", "grid_row_added", "grid_row_removed", "grid_row_renamed", "grid_row_changed",
    "grid_column_added", "grid_column_removed", "grid_column_renamed", "grid_column_changed", "legal_changed",
    // a detail list's fields (issue 25): added, removed, renamed, or changed in what they hold
    "detail_field_added", "detail_field_removed", "detail_field_renamed", "detail_field_changed",
  ]),
  code: z.string(),
  /** True where a code is kept with a different meaning: previous-period figures and jump warnings match by code. */
  meaningChanged: z.boolean(),
  message: z.strictObject({ zh: z.string(), en: z.string() }),
});
export type TemplateChange = z.infer<typeof TemplateChangeSchema>;

/** The answer to uploading a designer workbook: the draft, and what it changes against the published version. */
export const DesignerResultSchema = z.strictObject({
  template: TemplateSummarySchema,
  /** Against the latest published version of the same id (empty for a new template). */
  changes: z.array(TemplateChangeSchema),
  comparedWith: z.number().int().nullable(),
});
export type DesignerResult = z.infer<typeof DesignerResultSchema>;

/** What a new version changes against the published one, with a warning where a code changes meaning. */
type Compared = Pick<Template, "indicators" | "rules" | "sections"> & Partial<Pick<Template, "name" | "form">>;

export function templateChanges(
  before: Compared, after: Compared,
  /** Earlier published versions, newest first: a code brought back is compared with its last meaning. */
  older: readonly Pick<Template, "indicators" | "version">[] = [],
): TemplateChange[] {
  const out: TemplateChange[] = [];
  const add = (kind: TemplateChange["kind"], code: string, meaningChanged: boolean, zh: string, en: string) => out.push({ kind, code, meaningChanged, message: { zh, en } });
  // a grid's section is its table's, and a detail list's totals are generated from its fields: said once, as the table
  const grids = new Set([before, after].flatMap((t) => (t.form?.tables ?? []).filter((x) => x.kind !== "list").map((x) => x.code)));
  const typed = (i: Indicator) => !((i.kind === "count" || i.kind === "amount") && i.fromList !== undefined);
  const old = new Map(before.indicators.filter(typed).map((i) => [i.code, i]));
  const now = new Map(after.indicators.filter(typed).map((i) => [i.code, i]));
  if (before.form || after.form) formChanges(before, after, add);
  for (const s of after.sections) if (!grids.has(s.code) && !before.sections.some((b) => b.code === s.code)) add("section_added", s.code, false, `新增分组「${s.name.zh}」`, `section '${s.name.en}' added`);
  for (const s of before.sections) if (!grids.has(s.code) && !after.sections.some((a) => a.code === s.code)) add("section_removed", s.code, false, `删除分组「${s.name.zh}」`, `section '${s.name.en}' removed`);
  for (const [code, i] of now) {
    const o = old.get(code);
    if (!o) {
      const was = older.map((t) => ({ v: t.version, ind: t.indicators.find((x) => x.code === code) })).find((x) => x.ind);
      const unitOfOld = (x: Indicator) => ("unit" in x ? (x.unit ?? "") : "");
      const differs = was?.ind && (was.ind.kind !== i.kind || unitOfOld(was.ind) !== unitOfOld(i));
      if (differs) add("added", code, true, `指标代码「${code}」在第 ${was.v} 版中表示「${was.ind!.name.zh}」（${KIND_LABELS[was.ind!.kind]}${unitOfOld(was.ind!) ? `，${unitOfOld(was.ind!)}` : ""}），现在重新使用但含义不同：与那时各轮的数据比较会出错，建议换一个代码`, `code '${code}' meant '${was.ind!.name.en}' (${was.ind!.kind}) in version ${was.v} and comes back with another meaning: comparisons with those rounds would mislead; consider a new code`);
      else add("added", code, false, `新增指标「${i.name.zh}」（${code}）`, `indicator '${i.name.en}' (${code}) added`);
      continue;
    }
    if (o.kind !== i.kind) add("kind_changed", code, true, `指标「${code}」的类型由「${KIND_LABELS[o.kind]}」改为「${KIND_LABELS[i.kind]}」：代码不变但含义已变，上期数据和环比提示将按新含义比较，建议换一个代码`, `indicator '${code}' changes kind from ${o.kind} to ${i.kind}: the code is kept with a new meaning, so previous-period figures and jump warnings compare unlike things; consider a new code`);
    if (o.name.zh !== i.name.zh) add("renamed", code, false, `指标「${code}」更名：「${o.name.zh}」→「${i.name.zh}」（如含义也变了，请换一个代码）`, `indicator '${code}' renamed '${o.name.en}' → '${i.name.en}' (if its meaning changed too, use a new code)`);
    const unitOf = (x: Indicator) => ("unit" in x ? (x.unit ?? "") : "");
    if (o.kind === i.kind && unitOf(o) !== unitOf(i)) add("unit_changed", code, true, `指标「${code}」的计量单位由「${unitOf(o)}」改为「${unitOf(i)}」：上期数据按旧单位，不能直接比较`, `indicator '${code}' changes unit from '${unitOf(o)}' to '${unitOf(i)}': previous figures are in the old unit`);
    const decimalsOf = (x: Indicator) => ("decimals" in x ? x.decimals : null);
    if (o.kind === i.kind && decimalsOf(o) !== decimalsOf(i)) add("decimals_changed", code, true, `指标「${code}」的小数位由 ${decimalsOf(o)} 改为 ${decimalsOf(i)}：合计与上期的精度不同`, `indicator '${code}' changes decimals from ${decimalsOf(o)} to ${decimalsOf(i)}: totals and previous figures differ in precision`);
    if (o.kind === "choice" && i.kind === "choice" && o.options.map((x) => `${x.code}=${x.name.zh}`).join("|") !== i.options.map((x) => `${x.code}=${x.name.zh}`).join("|")) add("options_changed", code, true, `指标「${code}」的选项改了（${i.options.map((x) => `${x.code}=${x.name.zh}`).join("；")}）：已存的数据按选项代码保存，代码对应的含义变了就会被误读`, `indicator '${code}' has changed options: stored answers are option codes and are misread if a code's meaning changes`);
    const boundsOf = (x: Indicator) => (x.kind === "count" || x.kind === "amount" || x.kind === "derived") && (x.min !== undefined || x.max !== undefined) ? `${x.min ?? ""}~${x.max ?? ""}` : "";
    if (o.kind === i.kind && boundsOf(o) !== boundsOf(i)) add("bounds_changed", code, false, `指标「${code}」的取值范围改为 ${boundsOf(i) || "默认"}`, `indicator '${code}' now accepts ${boundsOf(i) || "the default range"}`);
    // the threshold decides which figures ask to be confirmed: a 30 read as 0.3 would warn at almost every change
    const jumpOf = (x: Indicator) => ("jumpPercent" in x && x.jumpPercent !== undefined ? `${x.jumpPercent}%` : "");
    if (o.kind === i.kind && jumpOf(o) !== jumpOf(i)) add("jump_changed", code, false, `指标「${code}」的环比提示由 ${jumpOf(o) || "不提示"} 改为 ${jumpOf(i) || "不提示"}`, `indicator '${code}' now warns at a change of ${jumpOf(i) || "(no warning)"} (was ${jumpOf(o) || "no warning"})`);
    // 必填 decides what a unit may leave blank; the help text is what the fill sheet tells it to put there
    if (o.kind !== "derived" && i.kind !== "derived" && (o.required ?? false) !== (i.required ?? false)) add("required_changed", code, false, i.required ? `指标「${code}」改为必填：未填的单位将不能上报` : `指标「${code}」改为选填`, i.required ? `indicator '${code}' is now required: units that leave it blank cannot submit` : `indicator '${code}' is now optional`);
    if ((o.help?.zh ?? "") !== (i.help?.zh ?? "") || (o.help?.en ?? "") !== (i.help?.en ?? "")) add("help_changed", code, false, i.help?.zh ? `指标「${code}」的填报说明改为「${i.help.zh}」` : `指标「${code}」的填报说明已删除`, i.help?.en || i.help?.zh ? `indicator '${code}' has new filling instructions: '${i.help.en || i.help.zh}'` : `indicator '${code}' no longer has filling instructions`);
    if (o.kind === "derived" && i.kind === "derived" && o.formula.replace(/\s+/g, "") !== i.formula.replace(/\s+/g, "")) add("formula_changed", code, true, `指标「${code}」的计算公式改为「${i.formula}」：代码不变但算法已变，与上期比较时请注意`, `indicator '${code}' has a new formula '${i.formula}': the code is kept with a new calculation`);
  }
  for (const [code, o] of old) if (!now.has(code)) add("removed", code, false, `删除指标「${o.name.zh}」（${code}）`, `indicator '${o.name.en}' (${code}) removed`);
  const oldRules = new Map(before.rules.map((r) => [r.code, r]));
  for (const r of after.rules) {
    const o = oldRules.get(r.code);
    if (!o) add("rule_added", r.code, false, `新增校验规则「${r.message.zh}」`, `rule '${r.message.en}' added`);
    else if (o.expr.replace(/\s+/g, "") !== r.expr.replace(/\s+/g, "") || o.severity !== r.severity) add("rule_changed", r.code, false, `校验规则「${r.code}」改为「${r.expr}」（${r.severity === "error" ? "错误" : "提示"}）`, `rule '${r.code}' is now '${r.expr}' (${r.severity})`);
  }
  for (const o of before.rules) if (!after.rules.some((r) => r.code === o.code)) add("rule_removed", o.code, false, `删除校验规则「${o.message.zh}」`, `rule '${o.message.en}' removed`);
  return out;
}

type Add = (kind: TemplateChange["kind"], code: string, meaningChanged: boolean, zh: string, en: string) => void;

/**
 * What a new version changes in the form: tables added or removed, a table's 表号, name, kind or what
 * it lists, a grid's rows and columns (a column's kind, unit or decimals changes what its figures
 * mean), and the legal face. A template without a form is compared as its one list table.
 */
function formChanges(before: Compared, after: Compared, add: Add): void {
  const formOfIt = (t: Compared): Form => formOf({ name: t.name ?? { zh: "", en: "" }, sections: t.sections, form: t.form });
  const [a, b] = [formOfIt(before), formOfIt(after)];
  const label = (t: Table, lang: "zh" | "en") => (t.formNo ? `${t.formNo} ${t.name[lang]}` : t.name[lang]);
  for (const t of b.tables) if (!a.tables.some((x) => x.code === t.code)) add("table_added", t.code, false, `新增表「${label(t, "zh")}」（${TABLE_KIND_LABELS[t.kind]}${t.kind === "detail" ? `，${t.fields.length} 个字段` : ""}）`, `table '${label(t, "en")}' (${t.kind}${t.kind === "detail" ? `, ${t.fields.length} field${t.fields.length > 1 ? "s" : ""}` : ""}) added`);
  for (const t of a.tables) if (!b.tables.some((x) => x.code === t.code)) add("table_removed", t.code, false, `删除表「${label(t, "zh")}」`, `table '${label(t, "en")}' removed`);
  for (const n of b.tables) {
    const o = a.tables.find((x) => x.code === n.code);
    if (!o) continue;
    const what: [string, string][] = [];
    if (o.formNo !== n.formNo) what.push([`表号「${o.formNo}」→「${n.formNo}」`, `form number '${o.formNo}' → '${n.formNo}'`]);
    if (o.name.zh !== n.name.zh || o.name.en !== n.name.en) what.push([`名称「${o.name.zh}」→「${n.name.zh}」`, `name '${o.name.en}' → '${n.name.en}'`]);
    if (o.kind !== n.kind) what.push([`类型「${TABLE_KIND_LABELS[o.kind]}」→「${TABLE_KIND_LABELS[n.kind]}」`, `kind ${o.kind} → ${n.kind}`]);
    if ((o.attachedTo ?? "") !== (n.attachedTo ?? "")) what.push([n.attachedTo ? `改为附在「${n.attachedTo}」后` : "不再是附表", n.attachedTo ? `now attached to '${n.attachedTo}'` : "no longer attached"]);
    if ((o.unitLine ?? "") !== (n.unitLine ?? "")) what.push([`计量单位行改为「${n.unitLine ?? ""}」`, `unit line now '${n.unitLine ?? ""}'`]);
    if ((o.notes?.zh ?? "") !== (n.notes?.zh ?? "") || (o.notes?.en ?? "") !== (n.notes?.en ?? "")) what.push([n.notes ? "填报说明改了" : "填报说明已删除", n.notes ? "new notes" : "notes removed"]);
    if (o.kind === "list" && n.kind === "list" && o.sections.join("|") !== n.sections.join("|")) what.push([`列出的分组改为 ${n.sections.join("；")}`, `now lists sections ${n.sections.join(", ")}`]);
    if (o.kind === "list" && n.kind === "list" && o.yoy !== n.yoy) what.push([n.yoy ? "增加同比列（上年同期、同比增减、同比增长 %）" : "去掉同比列", n.yoy ? "year-on-year columns added" : "year-on-year columns removed"]);
    if (o.kind === "grid" && n.kind === "grid" && (o.yoy === true) !== (n.yoy === true)) what.push([n.yoy === true ? "增加同比列（每列的上年同期、同比增长 %）" : "去掉同比列", n.yoy === true ? "year-on-year columns added" : "year-on-year columns removed"]);
    if (o.kind !== "detail" && n.kind !== "detail" && (o.ytd === true) !== (n.ytd === true)) what.push([n.ytd === true ? "增加本年累计列" : "去掉本年累计列", n.ytd === true ? "year-to-date columns added" : "year-to-date columns removed"]);
    if (o.kind === "detail" && n.kind === "detail") {
      if (o.key.join("|") !== n.key.join("|")) what.push([n.key.length > 0 ? `重码字段改为 ${n.key.join(" + ")}${o.key.length > 0 ? `（原为 ${o.key.join(" + ")}）` : "（原来不查重码）"}` : `不再查重码（原为 ${o.key.join(" + ")}）`, n.key.length > 0 ? `key fields now ${n.key.join(" + ")}${o.key.length > 0 ? ` (were ${o.key.join(" + ")})` : " (no key before)"}` : `no key fields any more (were ${o.key.join(" + ")})`]);
      if (o.maxRows !== n.maxRows) what.push([`最多行数 ${o.maxRows} → ${n.maxRows}${n.maxRows < o.maxRows ? "（已有更多行的单位再次上报时将被拒绝）" : ""}`, `max rows ${o.maxRows} → ${n.maxRows}${n.maxRows < o.maxRows ? " (a unit with more rows is refused when it submits again)" : ""}`]);
    }
    if (o.kind === "grid" && n.kind === "grid") {
      if (o.required !== n.required) what.push([n.required ? "改为每格必填" : "改为选填", n.required ? "every cell now required" : "cells now optional"]);
      const skipOf = (g: typeof n) => [...g.skip].sort().join("|");
      if (skipOf(o) !== skipOf(n)) what.push([`不适用的单元格改为 ${n.skip.join("、") || "无"}`, `cells not applicable now ${n.skip.join(", ") || "none"}`]);
    }
    if (what.length > 0) add("table_changed", n.code, o.kind !== n.kind, `表「${label(n, "zh")}」：${what.map((w) => w[0]).join("；")}`, `table '${label(n, "en")}': ${what.map((w) => w[1]).join("; ")}`);
    if (o.kind === "grid" && n.kind === "grid") {
      lineChanges(n.code, label(n, "zh"), label(n, "en"), "row", o.rows, n.rows, add);
      lineChanges(n.code, label(n, "zh"), label(n, "en"), "column", ownColumns(o), ownColumns(n), add);
    }
    if (o.kind === "detail" && n.kind === "detail") fieldChanges(o, n, label(n, "zh"), label(n, "en"), add);
  }
  const face = (f: Form) => [f.legal?.maker, f.legal?.approver, f.legal?.approvalNo, f.legal?.validUntil].map((x) => x ?? "");
  const [fa, fb] = [face(a), face(b)];
  if (fa.join("|") !== fb.join("|")) {
    const labels = [["制定机关", "made by"], ["批准机关", "approved by"], ["批准文号", "approval no."], ["有效期至", "valid until"]] as const;
    const changed = labels.map((l, i) => ({ l, v: fb[i]! })).filter((_, i) => fa[i] !== fb[i]);
    add("legal_changed", "legal", false, `法定标识：${changed.map((c) => `${c.l[0]}${c.v ? `改为「${c.v}」` : "已删除"}`).join("；")}`, `legal face: ${changed.map((c) => `${c.l[1]} ${c.v ? `now '${c.v}'` : "removed"}`).join("; ")}`);
  }
}

/** A grid's rows or columns added, removed or renamed; a column whose kind, unit or decimals changed keeps its code with another meaning. */
function lineChanges(table: string, zhName: string, enName: string, axis: "row" | "column", before: readonly (GridRow | GridColumn)[], after: readonly (GridRow | GridColumn)[], add: Add): void {
  const what = axis === "row" ? "行" : "列";
  const kind = (k: "added" | "removed" | "renamed" | "changed") => `grid_${axis}_${k}` as TemplateChange["kind"];
  for (const n of after) {
    const o = before.find((x) => x.code === n.code);
    if (!o) { add(kind("added"), `${table}.${n.code}`, false, `表「${zhName}」新增${what}「${n.name.zh}」（${n.code}）`, `table '${enName}': ${axis} '${n.name.en}' (${n.code}) added`); continue; }
    if (o.name.zh !== n.name.zh) add(kind("renamed"), `${table}.${n.code}`, false, `表「${zhName}」的${what}「${n.code}」更名：「${o.name.zh}」→「${n.name.zh}」（如含义也变了，请换一个代码）`, `table '${enName}': ${axis} '${n.code}' renamed '${o.name.en}' → '${n.name.en}' (if its meaning changed too, use a new code)`);
    const roleOf = (x: GridRow | GridColumn) => `${x.role}:${x.of ?? ""}`;
    const changes: [string, string][] = [];
    if (roleOf(o) !== roleOf(n)) changes.push([`角色改为「${ROLE_LABELS[n.role as GridRole]}${n.of ? `（属于 ${n.of}）` : ""}」`, `role now ${n.role}${n.of ? ` of '${n.of}'` : ""}`]);
    if ("kind" in o && "kind" in n) {
      if (o.kind !== n.kind) changes.push([`类型「${KIND_LABELS[o.kind]}」→「${KIND_LABELS[n.kind]}」`, `kind ${o.kind} → ${n.kind}`]);
      if ((o.unit ?? "") !== (n.unit ?? "")) changes.push([`计量单位「${o.unit ?? ""}」→「${n.unit ?? ""}」`, `unit '${o.unit ?? ""}' → '${n.unit ?? ""}'`]);
      if (o.decimals !== n.decimals) changes.push([`小数位 ${o.decimals} → ${n.decimals}`, `decimals ${o.decimals} → ${n.decimals}`]);
    }
    // a row's or column's role is its cells' too (a 合计 is computed): the cells are kept with a new meaning
    if (changes.length > 0) add(kind("changed"), `${table}.${n.code}`, true, `表「${zhName}」的${what}「${n.code}」：${changes.map((c) => c[0]).join("；")}：代码不变但含义已变，上期数据将按新含义比较，建议换一个代码`, `table '${enName}': ${axis} '${n.code}': ${changes.map((c) => c[1]).join("; ")}: the code is kept with a new meaning, so previous figures compare unlike things; consider a new code`);
  }
  for (const o of before) if (!after.some((x) => x.code === o.code)) add(kind("removed"), `${table}.${o.code}`, false, `表「${zhName}」删除${what}「${o.name.zh}」（${o.code}）`, `table '${enName}': ${axis} '${o.name.en}' (${o.code}) removed`);
}

const optionsText = (f: DetailField) => (f.options ?? []).map((x) => `${x.code}=${x.name.zh}`).join("；");
const boundsText = (f: DetailField) => (f.min !== undefined || f.max !== undefined ? `${f.min ?? ""}~${f.max ?? ""}` : "");

/**
 * A detail list's fields added, removed, renamed or changed. A field keeps its code in the stored rows
 * and in its totals' codes (producers_output, producers_level_sx_rows): a new type, unit or decimals, or
 * an option code given another name, keeps the code with another meaning; required, length, check and
 * bounds change what a unit may submit, not what was stored.
 */
function fieldChanges(before: DetailTable, after: DetailTable, zhName: string, enName: string, add: Add): void {
  for (const n of after.fields) {
    const o = before.fields.find((x) => x.code === n.code);
    const code = `${after.code}.${n.code}`;
    if (!o) { add("detail_field_added", code, false, `表「${zhName}」新增字段「${n.name.zh}」（${n.code}，${FIELD_TYPE_LABELS[n.type]}${n.required ? "，必填" : ""}）`, `table '${enName}': field '${n.name.en}' (${n.code}, ${n.type}${n.required ? ", required" : ""}) added`); continue; }
    if (o.name.zh !== n.name.zh) add("detail_field_renamed", code, false, `表「${zhName}」的字段「${n.code}」更名：「${o.name.zh}」→「${n.name.zh}」（如含义也变了，请换一个代码）`, `table '${enName}': field '${n.code}' renamed '${o.name.en}' → '${n.name.en}' (if its meaning changed too, use a new code)`);
    const meaning: [string, string][] = [];
    const rest: [string, string][] = [];
    if (o.type !== n.type) meaning.push([`类型「${FIELD_TYPE_LABELS[o.type]}」→「${FIELD_TYPE_LABELS[n.type]}」`, `type ${o.type} → ${n.type}`]);
    if (o.type === n.type && (o.unit ?? "") !== (n.unit ?? "")) meaning.push([`计量单位「${o.unit ?? ""}」→「${n.unit ?? ""}」`, `unit '${o.unit ?? ""}' → '${n.unit ?? ""}'`]);
    if (o.type === n.type && o.decimals !== n.decimals) meaning.push([`小数位 ${o.decimals} → ${n.decimals}`, `decimals ${o.decimals} → ${n.decimals}`]);
    if (optionsText(o) !== optionsText(n)) {
      // an option code kept with another name, or gone, is read otherwise in the rows stored before
      const renamed = (o.options ?? []).some((x) => { const y = n.options?.find((z) => z.code === x.code); return !y || y.name.zh !== x.name.zh; });
      (renamed ? meaning : rest).push([`选项改为 ${optionsText(n) || "无"}`, `options now ${(n.options ?? []).map((x) => `${x.code}=${x.name.en}`).join("; ") || "none"}`]);
    }
    if (o.required !== n.required) rest.push([n.required ? "改为必填：未填的行将不能上报" : "改为选填", n.required ? "now required: rows that leave it blank cannot be submitted" : "now optional"]);
    if ((n.type === "text" || n.type === "code") && o.maxLength !== n.maxLength) rest.push([`最长字数 ${o.maxLength} → ${n.maxLength}`, `max length ${o.maxLength} → ${n.maxLength}`]);
    if (o.check !== n.check) rest.push([n.check ? `改为校验${FIELD_CHECK_LABELS[n.check]}` : "不再校验统一社会信用代码", n.check ? "now checked as a unified social credit code" : "no longer checked as a credit code"]);
    if (boundsText(o) !== boundsText(n)) rest.push([`取值范围改为 ${boundsText(n) || "默认"}`, `now accepts ${boundsText(n) || "the default range"}`]);
    const all = [...meaning, ...rest];
    if (all.length === 0) continue;
    const warn = meaning.length > 0 ? { zh: "：代码不变但含义已变，已存的行和汇总数将按新含义读，建议换一个代码", en: ": the code is kept with a new meaning, so stored rows and totals are read another way; consider a new code" } : { zh: "", en: "" };
    add("detail_field_changed", code, meaning.length > 0, `表「${zhName}」的字段「${n.code}」：${all.map((c) => c[0]).join("；")}${warn.zh}`, `table '${enName}': field '${n.code}': ${all.map((c) => c[1]).join("; ")}${warn.en}`);
  }
  for (const o of before.fields) if (!after.fields.some((x) => x.code === o.code)) add("detail_field_removed", `${before.code}.${o.code}`, false, `表「${zhName}」删除字段「${o.name.zh}」（${o.code}）`, `table '${enName}': field '${o.name.en}' (${o.code}) removed`);
}
