import { TemplateSchema, type Rule, type Template } from "../schemas/template";
import { compileTemplate } from "../template/compile";
import { codeField, nameField, rowsOf } from "./fields";
import { readIndicators } from "./indicators";
import { DesignerProblems, headerProblem, readAsShown, type DesignerFacts, type DesignerProblem, type Grid } from "./read";
import { FIRST, IND, PERIOD_OF, SEVERITY_OF, SHEET_KEYS, type SheetKey } from "./sheets";

export { DESIGNER_SHEETS, buildDesignerPlans } from "./sheets";
export { DesignerProblemSchema, pickDesignerSheets, type DesignerFacts, type DesignerProblem } from "./read";
export { DesignerResultSchema, TemplateChangeSchema, templateChanges, type DesignerResult, type TemplateChange } from "./changes";

type Parsed = { ok: true; template: Omit<Template, "version" | "status"> } | { ok: false; problems: DesignerProblem[] };

/**
 * Reads the designer's sheets into a template, or says what is wrong with each cell: the header rows
 * first (a moved, inserted or deleted column is one message per sheet and nothing of it is read),
 * then error values and numbers shown as a percent or a date (`facts`, from the reader of the file),
 * then codes, sections, kinds, units, decimals, bounds, options, formulas (with the position of a
 * syntax error), unknown codes, cycles, rules, and what Excel cannot draw. Nothing half-read is returned.
 */
export function parseDesigner(g: Record<SheetKey, Grid>, facts: DesignerFacts = {}): Parsed {
  const p = new DesignerProblems();
  for (const key of SHEET_KEYS) {
    const h = headerProblem(key, g[key]);
    if (h) p.raw(key, h.row, h.col, h.message);
  }
  if (p.list.length > 0) return { ok: false, problems: p.list };
  const v = Object.fromEntries(SHEET_KEYS.map((k) => [k, readAsShown(k, g[k], facts[k], p)])) as unknown as Record<SheetKey, Grid>;
  const meta = readMeta(v.template, p);
  const { sections, sectionRow } = readSections(v.sections, p);
  const { indicators, indicatorRow } = readIndicators(v.indicators, sectionRow, p);
  const { rules, ruleRow } = readRules(v.rules, p);
  if (p.list.length > 0 || !meta) return { ok: false, problems: p.list };
  return checkWhole({ ...meta, sections, indicators, rules }, { sections: sectionRow, indicators: indicatorRow, rules: ruleRow }, p);
}

/** 模板: each field found by its label in column A, wherever its row went. */
function readMeta(grid: Grid, p: DesignerProblems): Pick<Template, "id" | "name" | "periodType"> | null {
  const meta = new Map(rowsOf(grid, FIRST).map((r) => [r.c(0), r]));
  const field = (label: string, row: number) => ({ row: meta.get(label)?.row ?? row, value: meta.get(label)?.c(1) ?? "" });
  const idF = field("模板代码", 2), zhF = field("模板名称", 3), enF = field("英文名称", 4), periodF = field("填报周期", 5);
  const id = codeField(p, "template", idF.row, 1, idF.value, "模板代码");
  const nameZh = nameField(p, "template", zhF.row, 1, zhF.value, 100, "模板名称", "the template name");
  const nameEn = enF.value === "" ? nameZh : nameField(p, "template", enF.row, 1, enF.value, 100, "英文名称", "the English name");
  const periodType = PERIOD_OF.get(periodF.value);
  if (!periodType) p.bad("template", periodF.row, 1, `填报周期「${periodF.value}」应为 年报、半年报、季报 或 月报`, `period '${periodF.value}' should be 年报, 半年报, 季报 or 月报`);
  return id && nameZh && nameEn && periodType ? { id, name: { zh: nameZh, en: nameEn }, periodType } : null;
}

function readSections(grid: Grid, p: DesignerProblems): { sections: Template["sections"]; sectionRow: Map<string, number> } {
  const sections: Template["sections"] = [];
  const sectionRow = new Map<string, number>();
  for (const r of rowsOf(grid, FIRST)) {
    const c = codeField(p, "sections", r.row, 0, r.c(0), "代码");
    const zh = nameField(p, "sections", r.row, 1, r.c(1), 100, "名称", "the name");
    const en = r.c(2) === "" ? zh : nameField(p, "sections", r.row, 2, r.c(2), 100, "英文名称", "the English name");
    if (!c || !zh || !en) continue;
    if (sectionRow.has(c)) { p.bad("sections", r.row, 0, `分组代码「${c}」与第 ${sectionRow.get(c)! + 1} 行重复`, `section code '${c}' repeats row ${sectionRow.get(c)! + 1}`); continue; }
    sectionRow.set(c, r.row);
    sections.push({ code: c, name: { zh, en } });
  }
  if (sections.length === 0) p.bad("sections", FIRST, 0, "至少需要一个分组", "at least one section is needed");
  return { sections, sectionRow };
}

function readRules(grid: Grid, p: DesignerProblems): { rules: Rule[]; ruleRow: Map<string, number> } {
  const rules: Rule[] = [];
  const ruleRow = new Map<string, number>();
  for (const r of rowsOf(grid, FIRST)) {
    const c = codeField(p, "rules", r.row, 0, r.c(0), "代码");
    const expr = r.c(1);
    const severity = SEVERITY_OF.get(r.c(2));
    if (expr === "") p.bad("rules", r.row, 1, "表达式不能为空", "the expression is required");
    if (!severity) p.bad("rules", r.row, 2, `「${r.c(2)}」应为 错误 或 提示`, `'${r.c(2)}' should be 错误 (error) or 提示 (warning)`);
    const zh = nameField(p, "rules", r.row, 3, r.c(3), 200, "中文提示", "the message");
    const en = r.c(4) === "" ? zh : nameField(p, "rules", r.row, 4, r.c(4), 300, "英文提示", "the English message");
    if (!c || expr === "" || !severity || !zh || !en) continue;
    if (ruleRow.has(c)) { p.bad("rules", r.row, 0, `规则代码「${c}」与第 ${ruleRow.get(c)! + 1} 行重复`, `rule code '${c}' repeats row ${ruleRow.get(c)! + 1}`); continue; }
    ruleRow.set(c, r.row);
    rules.push({ code: c, expr, severity, message: { zh, en } });
  }
  return { rules, ruleRow };
}

/** The whole template: schema, then formulas, cycles and Excel's limits, each put back on its cell. */
function checkWhole(t: Omit<Template, "version" | "status">, rowOf: Record<"sections" | "indicators" | "rules", Map<string, number>>, p: DesignerProblems): Parsed {
  const parsed = TemplateSchema.safeParse({ ...t, version: 1, status: "draft" });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, index, fieldName] = issue.path as (string | number)[];
      const key: SheetKey = top === "indicators" ? "indicators" : top === "rules" ? "rules" : top === "sections" ? "sections" : "template";
      const row = typeof index === "number" && key !== "template" ? [...rowOf[key].values()][index] ?? FIRST : FIRST;
      const col = key === "indicators" && typeof fieldName === "string" && fieldName in IND ? IND[fieldName as keyof typeof IND] : key === "rules" && fieldName === "expr" ? 1 : 0;
      p.bad(key, row, col, issue.message, issue.message);
    }
    return { ok: false, problems: p.list };
  }
  const compiled = compileTemplate(parsed.data);
  if (!compiled.ok) {
    for (const issue of compiled.issues) {
      const [top, c, fieldName] = issue.path.split(".");
      if (top === "indicators" && c) {
        const col = fieldName === "formula" ? IND.formula : fieldName === "options" ? IND.options : fieldName === "min" ? IND.min : fieldName === "max" ? IND.max : fieldName === "name" ? IND.nameZh : IND.code;
        const isFormula = /公式|formula|位置|position|引用|循环|cycle|代码为/.test(issue.message.zh + issue.message.en) && parsed.data.indicators.find((i) => i.code === c)?.kind === "derived";
        p.on("indicators", rowOf.indicators.get(c) ?? FIRST, isFormula ? IND.formula : col, issue.message);
      } else if (top === "rules" && c) p.on("rules", rowOf.rules.get(c) ?? FIRST, 1, issue.message);
      else if (top === "sections" && c) p.on("sections", rowOf.sections.get(c) ?? FIRST, 0, issue.message);
      else p.on("template", FIRST, 1, issue.message);
    }
    return { ok: false, problems: p.list };
  }
  return { ok: true, template: { id: t.id, name: t.name, periodType: t.periodType, sections: t.sections, indicators: parsed.data.indicators, rules: parsed.data.rules } };
}
