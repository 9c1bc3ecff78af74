import { TemplateSchema, type Indicator, type Rule, type Template } from "../schemas/template";
import type { Form } from "../schemas/form";
import { compileTemplate } from "../template/compile";
import { expandForm, type GridCellRef } from "../template/form";
import { codeField, nameField, rowsOf } from "./fields";
import { hasGridRow, lineKey, readForm, readLegal, type FormRows } from "./form";
import { readIndicators } from "./indicators";
import { DesignerProblems, headerProblem, readAsShown, type DesignerFacts, type DesignerProblem, type DesignerSheets, type Grid } from "./read";
import { FIRST, FLD, IND, LINE, META_LABELS, OPTIONAL_SHEET_KEYS, PERIOD_OF, SEVERITY_OF, SHEET_KEYS, TAB, type SheetKey } from "./sheets";
import { fieldKey } from "./detail";
import { listFigureIndicators } from "../template/form";

export { DESIGNER_SHEETS, FORM_SHEET_KEYS, OPTIONAL_SHEET_KEYS, SHEET_KEYS, buildDesignerPlans } from "./sheets";
export { DesignerProblemSchema, pickDesignerSheets, type DesignerFacts, type DesignerProblem, type DesignerSheets } from "./read";
export { DesignerResultSchema, TemplateChangeSchema, templateChanges, type DesignerResult, type TemplateChange } from "./changes";

type Parsed = { ok: true; template: Omit<Template, "version" | "status"> } | { ok: false; problems: DesignerProblem[] };

/**
 * Reads the designer's sheets into a template, or says what is wrong with each cell: the header rows
 * first (a moved, inserted or deleted column is one message per sheet and nothing of it is read),
 * then error values and numbers shown as a percent or a date (`facts`, from the reader of the file),
 * then codes, sections, kinds, units, decimals, bounds, options, formulas (with the position of a
 * syntax error), unknown codes, cycles, rules, and what Excel cannot draw; with 表格 and 表格行列, the
 * form's tables, rows and columns and the legal face (designer/form.ts); with 清单字段, its detail lists'
 * fields (designer/detail.ts). Nothing half-read is returned.
 */
export function parseDesigner(g: DesignerSheets<Grid>, facts: DesignerFacts = {}): Parsed {
  const p = new DesignerProblems();
  // 表格, 表格行列 and 清单字段 are read when the workbook has them; without them (drawn before forms) there is no form
  const keys: SheetKey[] = [...SHEET_KEYS, ...OPTIONAL_SHEET_KEYS.filter((k) => g[k] !== undefined)];
  for (const key of keys) {
    const h = headerProblem(key, g[key]!);
    if (h) p.raw(key, h.row, h.col, h.message);
  }
  if (p.list.length > 0) return { ok: false, problems: p.list };
  const v = Object.fromEntries(keys.map((k) => [k, readAsShown(k, g[k]!, facts[k], p)])) as unknown as DesignerSheets<Grid>;
  // a form with a grid or a detail list may have no sections or indicators of its own: those are its figures
  const gridForm = hasGridRow(v.tables);
  const { meta, legal, legalRow } = readMeta(v.template, p);
  const { sections, sectionRow } = readSections(v.sections, p, gridForm);
  const formRead = readForm(v.tables, v.tableLines, v.detailFields, sectionRow, p);
  const { indicators, indicatorRow } = readIndicators(v.indicators, sectionRow, p, gridForm);
  const { rules, ruleRow } = readRules(v.rules, p);
  let form: Form | undefined;
  if (formRead) {
    if (formRead.tables.length > 0) {
      form = { ...(legal ? { legal } : {}), tables: formRead.tables };
      formSections(form, sections, sectionRow, indicators, p);
    } else if (legal) p.bad("template", legalRow, 1, "填写了法定标识，但「表格」中没有表：法定标识印在各表的右上角，请在「表格」中列出报表的各张表（表号、名称），或清空法定标识", "the legal face is filled in but 表格 lists no tables: the legal face is printed at the top right of each table, so list the form's tables on 表格 (form number, name), or clear the legal face");
  }
  if (p.list.length > 0 || !meta) return { ok: false, problems: p.list };
  // a form of grids and detail lists alone: its sections are theirs (as compiling makes them)
  const ownSections = sections.length > 0 || !form ? sections : form.tables.filter((t) => t.kind !== "list").map((t) => ({ code: t.code, name: t.name }));
  return checkWhole(
    { ...meta, sections: ownSections, indicators, rules, ...(form ? { form } : {}) },
    { sections: sectionRow, indicators: indicatorRow, rules: ruleRow, legal: legalRow, ...(formRead?.rows ?? { tableRow: new Map(), lineRow: new Map(), fieldRow: new Map() }) }, p,
  );
}

/**
 * The form's sections against 分组 and 指标: a section may not take a grid's or a detail list's code (the
 * grid's cells, the list's totals are generated into a section of that code), and every section with
 * indicators is listed by a list table.
 */
function formSections(form: Form, sections: Template["sections"], sectionRow: ReadonlyMap<string, number>, indicators: readonly Indicator[], p: DesignerProblems): void {
  const grids = new Set(form.tables.filter((t) => t.kind === "grid").map((t) => t.code));
  const details = new Set(form.tables.filter((t) => t.kind === "detail").map((t) => t.code));
  const listed = new Set(form.tables.flatMap((t) => (t.kind === "list" ? t.sections : [])));
  for (const s of sections) {
    const row = sectionRow.get(s.code) ?? FIRST;
    if (grids.has(s.code)) p.bad("sections", row, 0, `分组代码「${s.code}」与行列表「${s.code}」的代码相同：行列表的单元格自成一组，请给分组换一个代码`, `section code '${s.code}' is also the code of the grid '${s.code}', whose cells form a section of their own: give the section another code`);
    else if (details.has(s.code)) p.bad("sections", row, 0, `分组代码「${s.code}」与浮动行清单「${s.code}」的代码相同：清单的汇总数自成一组，请给分组换一个代码`, `section code '${s.code}' is also the code of the detail list '${s.code}', whose totals form a section of their own: give the section another code`);
    else if (!listed.has(s.code) && indicators.some((i) => i.section === s.code)) p.bad("sections", row, 0, `分组「${s.code}」有指标，但不在任何一张清单表中：请在「表格」某张清单表的「列出的分组」中加上「${s.code}」`, `section '${s.code}' has indicators but no list table lists it: add '${s.code}' to 列出的分组 of a list table on 表格`);
  }
}

/** 模板: each field found by its label in column A, wherever its row went. */
function readMeta(grid: Grid, p: DesignerProblems): { meta: Pick<Template, "id" | "name" | "periodType"> | null; legal: Form["legal"]; legalRow: number } {
  const alias = (label: string) => (/^(批准文号|备案文号)/.test(label) ? META_LABELS.approvalNo : label);
  const meta = new Map(rowsOf(grid, FIRST).map((r) => [alias(r.c(0)), r]));
  const field = (label: string, row: number) => ({ row: meta.get(label)?.row ?? row, value: meta.get(label)?.c(1) ?? "" });
  const idF = field(META_LABELS.id, 2), zhF = field(META_LABELS.nameZh, 3), enF = field(META_LABELS.nameEn, 4), periodF = field(META_LABELS.period, 5);
  const { legal, row: legalRow } = readLegal(field, p);
  const id = codeField(p, "template", idF.row, 1, idF.value, "模板代码");
  const nameZh = nameField(p, "template", zhF.row, 1, zhF.value, 100, "模板名称", "the template name");
  const nameEn = enF.value === "" ? nameZh : nameField(p, "template", enF.row, 1, enF.value, 100, "英文名称", "the English name");
  const periodType = PERIOD_OF.get(periodF.value);
  if (!periodType) p.bad("template", periodF.row, 1, `填报周期「${periodF.value}」应为 年报、半年报、季报 或 月报`, `period '${periodF.value}' should be 年报, 半年报, 季报 or 月报`);
  return { meta: id && nameZh && nameEn && periodType ? { id, name: { zh: nameZh, en: nameEn }, periodType } : null, legal, legalRow };
}

function readSections(grid: Grid, p: DesignerProblems, mayBeEmpty: boolean): { sections: Template["sections"]; sectionRow: Map<string, number> } {
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
  if (sections.length === 0 && !mayBeEmpty) p.bad("sections", FIRST, 0, "至少需要一个分组", "at least one section is needed");
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

type RowsOf = Record<"sections" | "indicators" | "rules", Map<string, number>> & FormRows & { legal: number };

/** The whole template: schema, then formulas, cycles and Excel's limits, each put back on its cell. */
function checkWhole(t: Omit<Template, "version" | "status">, rowOf: RowsOf, p: DesignerProblems): Parsed {
  const parsed = TemplateSchema.safeParse({ ...t, version: 1, status: "draft" });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, index, fieldName] = issue.path as (string | number)[];
      if (top === "form") {
        // the readers check every field the schema does; this is the net under them
        const tableIndex = index === "tables" && typeof fieldName === "number" ? fieldName : -1;
        const [, , , part, fieldIndex] = issue.path as (string | number)[];
        const table = t.form?.tables[tableIndex];
        const fieldRow = table?.kind === "detail" && part === "fields" && typeof fieldIndex === "number" ? rowOf.fieldRow.get(fieldKey(table.code, table.fields[fieldIndex]?.code ?? "")) : undefined;
        if (index === "legal") p.bad("template", rowOf.legal, 1, issue.message, issue.message);
        else if (fieldRow !== undefined) p.bad("detailFields", fieldRow, FLD.code, issue.message, issue.message);
        else p.bad("tables", [...rowOf.tableRow.values()][tableIndex] ?? FIRST, TAB.code, issue.message, issue.message);
        continue;
      }
      const key = top === "indicators" ? "indicators" : top === "rules" ? "rules" : top === "sections" ? "sections" : "template";
      const row = typeof index === "number" && key !== "template" ? [...rowOf[key].values()][index] ?? FIRST : FIRST;
      const col = key === "indicators" && typeof fieldName === "string" && fieldName in IND ? IND[fieldName as keyof typeof IND] : key === "rules" && fieldName === "expr" ? 1 : 0;
      p.bad(key, row, col, issue.message, issue.message);
    }
    return { ok: false, problems: p.list };
  }
  const compiled = compileTemplate(parsed.data);
  if (!compiled.ok) {
    // a grid's cells and 其中 rules are generated: their issues go to the grid's row or column, or its table
    const expanded = expandForm(parsed.data);
    const cells: ReadonlyMap<string, GridCellRef> = expanded.ok ? expanded.value.gridCells : new Map();
    const generatedRules = new Map(expanded.ok ? expanded.value.template.rules.filter((r) => !rowOf.rules.has(r.code)).map((r) => [r.code, cells.get(r.expr.split(" <= ")[0] ?? "")]) : []);
    const onLine = (ref: GridCellRef, message: Template["name"]) => {
      const row = rowOf.lineRow.get(lineKey(ref.table, "row", ref.row)) ?? rowOf.lineRow.get(lineKey(ref.table, "column", ref.column));
      if (row !== undefined) p.on("tableLines", row, LINE.code, message);
      else p.on("tables", rowOf.tableRow.get(ref.table) ?? FIRST, TAB.code, message);
    };
    // a detail list's totals are generated too: their issues go to the field they add up (or count by), or the list
    const figures = new Map(parsed.data.form?.tables.flatMap((t) => (t.kind === "detail" ? listFigureIndicators(t).map((i) => [i.code, { table: t.code, from: "fromList" in i ? i.fromList : undefined }] as const) : [])) ?? []);
    const onFigure = (code: string, message: Template["name"]) => {
      const f = figures.get(code)!;
      const row = rowOf.fieldRow.get(fieldKey(f.table, f.from?.field ?? f.from?.where?.field ?? ""));
      if (row !== undefined) p.on("detailFields", row, /名称|name/.test(message.zh + message.en) ? FLD.nameZh : FLD.code, message);
      else p.on("tables", rowOf.tableRow.get(f.table) ?? FIRST, /名称|name/.test(message.zh + message.en) ? TAB.nameZh : TAB.code, message);
    };
    const formPaths = new Set<string>();
    for (const issue of compiled.issues) {
      const [top, c, fieldName, code, lineCode] = issue.path.split(".");
      // form.tables.CODE[.field[.code]]; a code too long is said of each cell of the grid: once per table is enough
      if (top === "form" && c === "tables") {
        if (!formPaths.has(issue.path)) formIssue(fieldName, code, lineCode, issue.message, rowOf, p);
        formPaths.add(issue.path);
      } else if (top === "indicators" && c && cells.has(c)) onLine(cells.get(c)!, issue.message);
      else if (top === "indicators" && c && figures.has(c) && !rowOf.indicators.has(c)) onFigure(c, issue.message);
      else if (top === "indicators" && c) {
        const col = fieldName === "formula" ? IND.formula : fieldName === "options" ? IND.options : fieldName === "min" ? IND.min : fieldName === "max" ? IND.max : fieldName === "name" ? IND.nameZh : IND.code;
        const isFormula = /公式|formula|位置|position|引用|循环|cycle|代码为/.test(issue.message.zh + issue.message.en) && parsed.data.indicators.find((i) => i.code === c)?.kind === "derived";
        const isSection = /不在任何一张表中|which no table lists/.test(issue.message.zh + issue.message.en);
        p.on("indicators", rowOf.indicators.get(c) ?? FIRST, isFormula ? IND.formula : isSection ? IND.section : col, issue.message);
      } else if (top === "rules" && c && generatedRules.has(c)) {
        const ref = generatedRules.get(c);
        if (ref) onLine(ref, issue.message);
        else p.on("tables", FIRST, TAB.code, issue.message);
      } else if (top === "rules" && c) p.on("rules", rowOf.rules.get(c) ?? FIRST, /自动生成|grids generate/.test(issue.message.zh + issue.message.en) ? 0 : 1, issue.message);
      else if (top === "sections" && c) p.on("sections", rowOf.sections.get(c) ?? FIRST, 0, issue.message);
      else p.on("template", FIRST, 1, issue.message);
    }
    return { ok: false, problems: p.list };
  }
  const d = parsed.data;
  return { ok: true, template: { id: d.id, name: d.name, periodType: d.periodType, sections: d.sections, indicators: d.indicators, rules: d.rules, ...(d.form ? { form: d.form } : {}) } };
}

/** A form issue of compileTemplate (`form.tables.CODE[.field[.code]]`) on its cell of 表格 or 表格行列. */
function formIssue(table: string | undefined, field: string | undefined, code: string | undefined, message: Template["name"], rowOf: RowsOf, p: DesignerProblems): void {
  const tableRow = rowOf.tableRow.get(table ?? "") ?? FIRST;
  if ((field === "rows" || field === "columns") && code !== undefined) {
    const row = rowOf.lineRow.get(lineKey(table ?? "", field === "rows" ? "row" : "column", code));
    const col = /其中|of-which|part of/.test(message.zh + message.en) ? LINE.of : /单位|unit/.test(message.zh + message.en) ? LINE.unit : LINE.code;
    if (row !== undefined) { p.on("tableLines", row, col, message); return; }
  }
  // a detail list's own definition (detail/schema.ts): a field on its row of 清单字段, the key on 表格
  if (field === "fields" && code !== undefined) {
    const row = rowOf.fieldRow.get(fieldKey(table ?? "", code));
    const text = message.zh + message.en;
    const col = /选项|option/.test(text) ? FLD.options : /单位|unit/.test(text) ? FLD.unit : /信用代码|credit code/.test(text) ? FLD.check : FLD.code;
    if (row !== undefined) { p.on("detailFields", row, col, message); return; }
  }
  if (field === "key") { p.on("tables", tableRow, TAB.key, message); return; }
  if (field === "skip") {
    const row = [...rowOf.lineRow].find(([k]) => k.startsWith(`${table}.rows.`))?.[1];
    if (row !== undefined) { p.on("tableLines", row, LINE.skip, message); return; }
  }
  const col = field === "attachedTo" ? TAB.attachedTo : field === "sections" ? TAB.sections : field === "formNo" ? TAB.formNo : field === "maxRows" ? TAB.maxRows : TAB.code;
  p.on("tables", tableRow, col, message);
}
