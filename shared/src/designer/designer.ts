import { z } from "zod";
import { TemplateSchema, MeasureUnitSchema, type Indicator, type Rule, type Template } from "../schemas/template";
import { PeriodTypeSchema, type PeriodType } from "../schemas/period";
import { CodeSchema, isSheetSafe } from "../schemas/text";
import { compileTemplate } from "../template/compile";
import { FUNCTIONS, KEYWORDS } from "../formula";
import { cellAddress, type CellPlan, type CellValue, type SheetPlan } from "../layout/sheet-plan";
import { TemplateSummarySchema } from "../api/contract";

/**
 * The template designer as a workbook (模板设计表): a city builds next year's report form in Excel or
 * WPS — sheets 模板, 分组, 指标, 校验规则 and 说明 — uploads it, sees every mistake on its cell, and
 * gets a draft. The same sheets come back from any template, so a published one is the start of the
 * next version.
 */

export const DESIGNER_SHEETS = { template: "模板", sections: "分组", indicators: "指标", rules: "校验规则", notes: "说明" } as const;
type SheetKey = Exclude<keyof typeof DESIGNER_SHEETS, "notes">;

const KIND_LABELS = { count: "计数", amount: "金额", yesno: "是否", choice: "单选", text: "文本", derived: "计算" } as const satisfies Record<Indicator["kind"], string>;
const KIND_OF: ReadonlyMap<string, Indicator["kind"]> = new Map([
  ...Object.entries(KIND_LABELS).map(([k, v]) => [v, k as Indicator["kind"]] as const),
  ...Object.keys(KIND_LABELS).map((k) => [k, k as Indicator["kind"]] as const),
]);
const PERIOD_LABELS: Record<PeriodType, string> = { annual: "年报", half: "半年报", quarter: "季报", month: "月报" };
const PERIOD_OF: ReadonlyMap<string, PeriodType> = new Map([
  ...Object.entries(PERIOD_LABELS).map(([k, v]) => [v, k as PeriodType] as const),
  ...PeriodTypeSchema.options.map((k) => [k, k] as const),
]);
const SEVERITY_OF: ReadonlyMap<string, Rule["severity"]> = new Map([["错误", "error"], ["提示", "warning"], ["error", "error"], ["warning", "warning"]]);
const YES: ReadonlySet<string> = new Set(["是", "必填", "Y", "y", "yes", "Yes", "YES", "TRUE", "true", "1", "√"]);
const NO: ReadonlySet<string> = new Set(["", "否", "N", "n", "no", "No", "NO", "FALSE", "false", "0"]);

/** Column of each field on 指标 (0-based), in the order the sheet shows them. */
const IND = { code: 0, section: 1, nameZh: 2, nameEn: 3, kind: 4, unit: 5, decimals: 6, required: 7, min: 8, max: 9, jumpPercent: 10, formula: 11, options: 12, maxLength: 13, helpZh: 14, helpEn: 15 } as const;
const IND_HEADERS: [string, string, number][] = [
  ["代码", "Code", 16], ["分组", "Section", 10], ["名称", "Name", 30], ["英文名称", "English name", 30], ["类型", "Kind", 8], ["计量单位", "Unit", 8],
  ["小数位", "Decimals", 7], ["必填", "Required", 6], ["最小", "Min", 10], ["最大", "Max", 14], ["环比提示 %", "Jump warning %", 10], ["计算公式", "Formula", 36], ["选项", "Options", 40],
  ["最长字数", "Max length", 8], ["填报说明", "Help", 40], ["英文说明", "English help", 40],
];
const SEC_HEADERS: [string, string, number][] = [["代码", "Code", 14], ["名称", "Name", 30], ["英文名称", "English name", 30]];
const RULE_HEADERS: [string, string, number][] = [["代码", "Code", 16], ["表达式", "Expression", 40], ["错误/提示", "Error/warning", 10], ["中文提示", "Message", 40], ["English message", "English message", 40]];
const FIRST = 2; // rows 1–2: Chinese and English headers
/** Words of the formula language (TRUE, IF, SUM…): a code that is one could not be used in a formula. */
const FORMULA_WORDS: ReadonlySet<string> = new Set([...KEYWORDS, ...FUNCTIONS]);

/** Options as one cell: "code=中文名=English name；…" (English optional). */
const optionsText = (ind: Indicator): string => (ind.kind === "choice" ? ind.options.map((o) => `${o.code}=${o.name.zh}${o.name.en !== o.name.zh ? `=${o.name.en}` : ""}`).join("；") : "");

function sheet(name: string, headers: [string, string, number][], rows: CellValue[][], validations: SheetPlan["validations"] = []): SheetPlan {
  const cells: CellPlan[] = [];
  headers.forEach(([zh, en], col) => {
    cells.push({ row: 0, col, value: zh, style: "header", locked: true });
    cells.push({ row: 1, col, value: en, style: "note", locked: true });
  });
  rows.forEach((r, i) => r.forEach((value, col) => { if (value !== null && value !== "") cells.push({ row: FIRST + i, col, value, style: "input", locked: false }); }));
  return { name, cells, columnWidths: headers.map((h) => h[2]), merges: [], validations, freezeRows: 2, protect: false, properties: {}, print: { landscape: true, titleRows: "1:2" } };
}

const list = (col: number, values: string[], zh: string, en: string, rows = 300) =>
  Array.from({ length: rows }, (_, i) => ({ cell: cellAddress(FIRST + i, col), type: "list" as const, list: values, error: { zh, en } }));

/** The designer workbook of a template (or of a blank one), as sheet plans. */
export function buildDesignerPlans(t: Pick<Template, "id" | "name" | "periodType" | "sections" | "indicators" | "rules"> | null): SheetPlan[] {
  const meta = sheet(DESIGNER_SHEETS.template, [["项目", "Field", 14], ["内容", "Value", 40]], [
    ["模板代码", t?.id ?? ""], ["模板名称", t?.name.zh ?? ""], ["英文名称", t?.name.en ?? ""], ["填报周期", t ? PERIOD_LABELS[t.periodType] : "年报"],
  ], [{ cell: "B6", type: "list", list: Object.values(PERIOD_LABELS), error: { zh: "请从列表中选择填报周期", en: "Pick a period from the list" } }]);
  const sections = sheet(DESIGNER_SHEETS.sections, SEC_HEADERS, (t?.sections ?? []).map((s) => [s.code, s.name.zh, s.name.en]));
  const indicators = sheet(DESIGNER_SHEETS.indicators, IND_HEADERS, (t?.indicators ?? []).map((i) => [
    i.code, i.section, i.name.zh, i.name.en, KIND_LABELS[i.kind], "unit" in i ? (i.unit ?? "") : "", "decimals" in i ? i.decimals : null,
    i.required ? "是" : "", "min" in i ? (i.min ?? "") : "", "max" in i ? (i.max ?? "") : "", "jumpPercent" in i ? (i.jumpPercent ?? null) : null,
    i.kind === "derived" ? i.formula : "", optionsText(i),
    i.kind === "text" ? i.maxLength : null, i.help?.zh ?? "", i.help && i.help.en !== i.help.zh ? i.help.en : "",
  ]), [
    ...list(IND.kind, Object.values(KIND_LABELS), "类型请从列表中选择：计数、金额、是否、单选、文本、计算", "Pick a kind from the list"),
    ...list(IND.unit, [...MeasureUnitSchema.options], "计量单位请从列表中选择", "Pick a unit from the list"),
    ...list(IND.required, ["是", "否"], "必填请选择 是 或 否", "Required: pick 是 or 否"),
  ]);
  const rules = sheet(DESIGNER_SHEETS.rules, RULE_HEADERS, (t?.rules ?? []).map((r) => [r.code, r.expr, r.severity === "error" ? "错误" : "提示", r.message.zh, r.message.en]),
    list(2, ["错误", "提示"], "请选择 错误 或 提示", "Pick 错误 (error) or 提示 (warning)"));
  const notes: CellPlan[] = [
    "模板设计表 · Template designer",
    "模板：模板代码（字母开头，字母、数字和 _）、名称和填报周期（年报、半年报、季报、月报）。同一代码再次上传即为新版本的草稿。",
    "分组：每个分组一行，代码唯一。指标：每个指标一行，代码唯一，「分组」填分组代码。",
    "类型：计数（整数）、金额（按小数位）、是否、单选（在「选项」中写 代码=中文名=英文名，用；分隔）、文本、计算（在「计算公式」中写公式）。",
    "计算公式用指标代码，与填报表中自动计算的单元格相同，例如：products_no_std / products * 100 ；支持 + - * /、括号、IF、MIN、MAX、SUM、ROUND、比较。",
    "率由合计的分子分母重新计算，不做平均。最小/最大不填时，最小为 0，最大为 9999999999999。环比提示 %：与上期相比变化超过该百分比时提示核实。",
    "校验规则：表达式为必须成立的条件，例如 products_no_std <= products ；「错误」时不能上报，「提示」时确认后可以上报。",
    "上传后每个问题都标明工作表和单元格；有错误时什么都不保存。保存为草稿后可下载预览（与各县收到的填报表完全相同），确认后发布；发布后不能再改。",
    "Rates are recomputed from summed inputs, never averaged. A rule is a condition that must hold: 错误 blocks the submission, 提示 asks to confirm.",
  ].map((value, row) => ({ row, col: 0, value, style: row === 0 ? "title" : "note", locked: true }));
  return [meta, sections, indicators, rules, { name: DESIGNER_SHEETS.notes, cells: notes, columnWidths: [130], merges: [], validations: [], freezeRows: 0, protect: false, properties: {}, print: { landscape: false, titleRows: "" } }];
}

export const DesignerProblemSchema = z.strictObject({ sheet: z.enum(["template", "sections", "indicators", "rules"]), cell: z.string(), message: z.strictObject({ zh: z.string(), en: z.string() }) });
export type DesignerProblem = z.infer<typeof DesignerProblemSchema>;
type Grid = readonly (readonly CellValue[])[];
const text = (v: CellValue | undefined): string => (v === null || v === undefined ? "" : String(v).trim());

/**
 * Reads the designer's sheets into a template, or says what is wrong with each cell: codes, sections,
 * kinds, units, decimals, bounds, options, formulas (with the position of a syntax error), unknown
 * codes, cycles, rules, and what Excel cannot draw. Nothing half-read is returned.
 */
export function parseDesigner(g: Record<SheetKey, Grid>): { ok: true; template: Omit<Template, "version" | "status"> } | { ok: false; problems: DesignerProblem[] } {
  const problems: DesignerProblem[] = [];
  const bad = (sheetKey: SheetKey, row: number, col: number, zh: string, en: string) => {
    const name = DESIGNER_SHEETS[sheetKey];
    const cell = `${name}!${cellAddress(row, col)}`;
    problems.push({ sheet: sheetKey, cell, message: { zh: `${cell}：${zh}`, en: `${cell}: ${en}` } });
  };
  // Row 2 holds the English headers; an official who deleted it would have moved data into it.
  const headerRow = (key: SheetKey, grid: Grid, looksLikeData: (row: readonly CellValue[]) => boolean) => {
    if (looksLikeData(grid[1] ?? [])) bad(key, 1, 0, "第 2 行应为英文标题行，而这里是数据；请不要删除标题行（数据从第 3 行起）", "row 2 should be the English header row but holds data; do not delete the header rows (data starts on row 3)");
  };
  const isCode = (v: CellValue | undefined) => text(v) !== "Code" && CodeSchema.safeParse(text(v)).success;
  headerRow("sections", g.sections, (r) => isCode(r[0]) && text(r[1]) !== "");
  headerRow("indicators", g.indicators, (r) => isCode(r[0]) && KIND_OF.has(text(r[IND.kind])));
  headerRow("rules", g.rules, (r) => isCode(r[0]) && SEVERITY_OF.has(text(r[2])));
  const rows = (grid: Grid, from: number) => {
    const out: { row: number; c: (col: number) => string }[] = [];
    for (let r = from; r < grid.length && out.length < 1100; r++) {
      if ((grid[r] ?? []).every((v) => text(v) === "")) continue;
      out.push({ row: r, c: (col) => text(grid[r]?.[col]) });
    }
    return out;
  };
  const name = (key: SheetKey, row: number, col: number, v: string, max: number, what: string, whatEn: string): string | null => {
    if (v === "") { bad(key, row, col, `${what}不能为空`, `${whatEn} is required`); return null; }
    if (v.length > max || !isSheetSafe(v)) { bad(key, row, col, `${what}过长或含有控制字符（至多 ${max} 字）`, `${whatEn} is too long or has control characters (at most ${max})`); return null; }
    return v;
  };
  const code = (key: SheetKey, row: number, col: number, v: string, what: string): string | null => {
    if (!CodeSchema.safeParse(v).success || FORMULA_WORDS.has(v.toUpperCase())) { bad(key, row, col, `${what}「${v}」无效：以字母开头，只含字母、数字和 _，至多 40 个字符，且不能是保留字`, `${what === "代码" ? "code" : what} '${v}' is not valid: a letter first, then letters, digits and _, at most 40, not a reserved word`); return null; }
    return v;
  };

  // 模板
  const meta = new Map(rows(g.template, FIRST).map((r) => [r.c(0), r]));
  const field = (label: string, row: number) => ({ row: meta.get(label)?.row ?? row, value: meta.get(label)?.c(1) ?? "" });
  const idF = field("模板代码", 2), zhF = field("模板名称", 3), enF = field("英文名称", 4), periodF = field("填报周期", 5);
  const id = code("template", idF.row, 1, idF.value, "模板代码");
  const nameZh = name("template", zhF.row, 1, zhF.value, 100, "模板名称", "the template name");
  const nameEn = enF.value === "" ? nameZh : name("template", enF.row, 1, enF.value, 100, "英文名称", "the English name");
  const periodType = PERIOD_OF.get(periodF.value);
  if (!periodType) bad("template", periodF.row, 1, `填报周期「${periodF.value}」应为 年报、半年报、季报 或 月报`, `period '${periodF.value}' should be 年报, 半年报, 季报 or 月报`);

  // 分组
  const sections: Template["sections"] = [];
  const sectionRow = new Map<string, number>();
  for (const r of rows(g.sections, FIRST)) {
    const c = code("sections", r.row, 0, r.c(0), "代码");
    const zh = name("sections", r.row, 1, r.c(1), 100, "名称", "the name");
    const en = r.c(2) === "" ? zh : name("sections", r.row, 2, r.c(2), 100, "英文名称", "the English name");
    if (!c || !zh || !en) continue;
    if (sectionRow.has(c)) { bad("sections", r.row, 0, `分组代码「${c}」与第 ${sectionRow.get(c)! + 1} 行重复`, `section code '${c}' repeats row ${sectionRow.get(c)! + 1}`); continue; }
    sectionRow.set(c, r.row);
    sections.push({ code: c, name: { zh, en } });
  }
  if (sections.length === 0) bad("sections", FIRST, 0, "至少需要一个分组", "at least one section is needed");

  // 指标
  const indicators: Indicator[] = [];
  const indicatorRow = new Map<string, number>();
  for (const r of rows(g.indicators, FIRST)) {
    // Every field of the row is checked, so one upload shows every mistake; the row is built only if all pass.
    const before = problems.length;
    const c = code("indicators", r.row, IND.code, r.c(IND.code), "代码");
    if (c && indicatorRow.has(c)) bad("indicators", r.row, IND.code, `指标代码「${c}」与第 ${indicatorRow.get(c)! + 1} 行重复`, `indicator code '${c}' repeats row ${indicatorRow.get(c)! + 1}`);
    else if (c) indicatorRow.set(c, r.row);
    const section = r.c(IND.section);
    if (section === "") bad("indicators", r.row, IND.section, "分组不能为空", "the section is required");
    else if (!sectionRow.has(section)) bad("indicators", r.row, IND.section, `分组「${section}」在「分组」表中不存在`, `section '${section}' is not on the 分组 sheet`);
    const zh = name("indicators", r.row, IND.nameZh, r.c(IND.nameZh), 100, "名称", "the name");
    const en = r.c(IND.nameEn) === "" ? zh : name("indicators", r.row, IND.nameEn, r.c(IND.nameEn), 200, "英文名称", "the English name");
    if (!YES.has(r.c(IND.required)) && !NO.has(r.c(IND.required))) bad("indicators", r.row, IND.required, `必填「${r.c(IND.required)}」应为 是 或 否`, `required '${r.c(IND.required)}' should be 是 (yes) or 否 (no)`);
    const kind = KIND_OF.get(r.c(IND.kind));
    if (!kind) bad("indicators", r.row, IND.kind, `类型「${r.c(IND.kind)}」应为 计数、金额、是否、单选、文本 或 计算`, `kind '${r.c(IND.kind)}' should be 计数, 金额, 是否, 单选, 文本 or 计算`);
    const unitText = r.c(IND.unit);
    const unit = unitText === "" ? undefined : MeasureUnitSchema.safeParse(unitText);
    if (unit && !unit.success) bad("indicators", r.row, IND.unit, `计量单位「${unitText}」不在列表中（${MeasureUnitSchema.options.join("、")}）`, `unit '${unitText}' is not one of ${MeasureUnitSchema.options.join(", ")}`);
    const decText = r.c(IND.decimals);
    const decimals = decText === "" ? 0 : /^\d$/.test(decText) ? Number(decText) : Number.NaN;
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) bad("indicators", r.row, IND.decimals, `小数位「${decText}」应为 0 到 6 的整数`, `decimals '${decText}' should be a whole number from 0 to 6`);
    const bound = (col: number, label: string): string | undefined => {
      const v = r.c(col);
      if (v === "") return undefined;
      if (!/^-?\d+(\.\d+)?$/.test(v)) bad("indicators", r.row, col, `${label}「${v}」不是数字`, `${label === "最小" ? "min" : "max"} '${v}' is not a number`);
      return v;
    };
    const min = bound(IND.min, "最小"), max = bound(IND.max, "最大");
    const jumpText = r.c(IND.jumpPercent);
    const jump = jumpText === "" ? undefined : /^\d+(\.\d+)?$/.test(jumpText) ? Number(jumpText) : Number.NaN;
    if (jump !== undefined && !(jump > 0 && jump <= 100000)) bad("indicators", r.row, IND.jumpPercent, `环比提示「${jumpText}」应为大于 0 的百分数`, `jump warning '${jumpText}' should be a percentage above 0`);
    const helpZh = r.c(IND.helpZh), helpEn = r.c(IND.helpEn) || helpZh;
    if (helpZh && (helpZh.length > 500 || helpEn.length > 500 || !isSheetSafe(helpZh) || !isSheetSafe(helpEn))) bad("indicators", r.row, IND.helpZh, "填报说明过长（至多 500 字）或含有控制字符", "the help is too long (at most 500) or has control characters");
    if (problems.length > before || !c || !zh || !en || !kind) continue;
    const common = { code: c, section, name: { zh, en }, ...(helpZh ? { help: { zh: helpZh, en: helpEn } } : {}), required: YES.has(r.c(IND.required)) };
    const numeric = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(jump !== undefined ? { jumpPercent: jump } : {}) };
    const notFor = (col: number, what: string) => { if (r.c(col) !== "") bad("indicators", r.row, col, `${KIND_LABELS[kind]}类指标不填「${what}」`, `a ${kind} indicator has no ${what}`); };
    if (kind !== "derived") notFor(IND.formula, "计算公式");
    if (kind !== "choice") notFor(IND.options, "选项");
    if (kind !== "text") notFor(IND.maxLength, "最长字数");
    if (kind === "yesno" || kind === "text" || kind === "choice") { for (const [col, w] of [[IND.min, "最小"], [IND.max, "最大"], [IND.jumpPercent, "环比提示 %"], [IND.decimals, "小数位"], [IND.unit, "计量单位"]] as const) notFor(col, w); }
    if (kind === "count") notFor(IND.decimals, "小数位");
    switch (kind) {
      case "count": indicators.push({ ...common, kind, ...(unit?.success ? { unit: unit.data } : {}), ...numeric }); break;
      case "amount":
        if (!unit?.success) { bad("indicators", r.row, IND.unit, "金额类指标必须有计量单位（如 万元）", "an amount needs a unit (such as 万元)"); continue; }
        indicators.push({ ...common, kind, unit: unit.data, decimals, ...numeric }); break;
      case "derived": {
        const formula = r.c(IND.formula);
        if (formula === "") { bad("indicators", r.row, IND.formula, "计算类指标必须有计算公式", "a computed indicator needs a formula"); continue; }
        indicators.push({ ...common, kind, formula, decimals, ...(unit?.success ? { unit: unit.data } : {}), ...numeric }); break;
      }
      case "yesno": indicators.push({ ...common, kind }); break;
      case "text": {
        const ml = r.c(IND.maxLength);
        if (ml !== "" && !/^\d{1,4}$/.test(ml)) { bad("indicators", r.row, IND.maxLength, `最长字数「${ml}」应为 1 到 2000 的整数`, `max length '${ml}' should be a whole number from 1 to 2000`); continue; }
        indicators.push({ ...common, kind, maxLength: ml === "" ? 500 : Number(ml) }); break;
      }
      case "choice": {
        const parts = r.c(IND.options).split(/[；;\n]/).map((p) => p.trim()).filter(Boolean);
        const options = parts.map((p) => { const [oc = "", ozh = "", oen = ""] = p.split(/[=＝]/).map((x) => x.trim()); return { code: oc, name: { zh: ozh, en: oen || ozh } }; });
        const wrong = options.find((o) => !CodeSchema.safeParse(o.code).success || o.name.zh === "" || !isSheetSafe(o.name.zh) || !isSheetSafe(o.name.en));
        if (options.length < 2 || wrong) { bad("indicators", r.row, IND.options, `选项应写成「代码=中文名=英文名」，用；分隔，至少两项${wrong ? `（「${wrong.code}」有误）` : ""}`, `options should read 'code=中文名=English', separated by ;, at least two${wrong ? ` ('${wrong.code}' is wrong)` : ""}`); continue; }
        indicators.push({ ...common, kind, options }); break;
      }
    }
  }
  if (indicators.length === 0 && problems.every((p) => p.sheet !== "indicators")) bad("indicators", FIRST, 0, "至少需要一个指标", "at least one indicator is needed");

  // 校验规则
  const rules: Rule[] = [];
  const ruleRow = new Map<string, number>();
  for (const r of rows(g.rules, FIRST)) {
    const c = code("rules", r.row, 0, r.c(0), "代码");
    const expr = r.c(1);
    const severity = SEVERITY_OF.get(r.c(2));
    if (expr === "") bad("rules", r.row, 1, "表达式不能为空", "the expression is required");
    if (!severity) bad("rules", r.row, 2, `「${r.c(2)}」应为 错误 或 提示`, `'${r.c(2)}' should be 错误 (error) or 提示 (warning)`);
    const zh = name("rules", r.row, 3, r.c(3), 200, "中文提示", "the message");
    const en = r.c(4) === "" ? zh : name("rules", r.row, 4, r.c(4), 300, "英文提示", "the English message");
    if (!c || expr === "" || !severity || !zh || !en) continue;
    if (ruleRow.has(c)) { bad("rules", r.row, 0, `规则代码「${c}」与第 ${ruleRow.get(c)! + 1} 行重复`, `rule code '${c}' repeats row ${ruleRow.get(c)! + 1}`); continue; }
    ruleRow.set(c, r.row);
    rules.push({ code: c, expr, severity, message: { zh, en } });
  }
  if (problems.length > 0 || !id || !nameZh || !nameEn || !periodType) return { ok: false, problems };

  // The whole template: schema, then formulas, cycles and Excel's limits, each put back on its cell.
  const candidate = { id, version: 1, status: "draft" as const, name: { zh: nameZh, en: nameEn }, periodType, sections, indicators, rules };
  const parsed = TemplateSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, index, fieldName] = issue.path as (string | number)[];
      const sheetKey: SheetKey = top === "indicators" ? "indicators" : top === "rules" ? "rules" : top === "sections" ? "sections" : "template";
      const row = typeof index === "number" ? [...(sheetKey === "indicators" ? indicatorRow : sheetKey === "rules" ? ruleRow : sectionRow).values()][index] ?? FIRST : FIRST;
      const col = sheetKey === "indicators" && typeof fieldName === "string" && fieldName in IND ? IND[fieldName as keyof typeof IND] : sheetKey === "rules" && fieldName === "expr" ? 1 : 0;
      bad(sheetKey, row, col, issue.message, issue.message);
    }
    return { ok: false, problems };
  }
  const compiled = compileTemplate(parsed.data);
  if (!compiled.ok) {
    for (const issue of compiled.issues) {
      const [top, c, fieldName] = issue.path.split(".");
      if (top === "indicators" && c) {
        const col = fieldName === "formula" ? IND.formula : fieldName === "options" ? IND.options : fieldName === "min" ? IND.min : fieldName === "max" ? IND.max : fieldName === "name" ? IND.nameZh : IND.code;
        const isFormula = /公式|formula|位置|position|引用|循环|cycle|代码为/.test(issue.message.zh + issue.message.en) && parsed.data.indicators.find((i) => i.code === c)?.kind === "derived";
        pushOn("indicators", indicatorRow.get(c) ?? FIRST, isFormula ? IND.formula : col, issue.message);
      } else if (top === "rules" && c) pushOn("rules", ruleRow.get(c) ?? FIRST, 1, issue.message);
      else if (top === "sections" && c) pushOn("sections", sectionRow.get(c) ?? FIRST, 0, issue.message);
      else pushOn("template", FIRST, 1, issue.message);
    }
    return { ok: false, problems };
  }
  return { ok: true, template: { id, name: candidate.name, periodType, sections, indicators: parsed.data.indicators, rules: parsed.data.rules } };

  function pushOn(sheetKey: SheetKey, row: number, col: number, message: { zh: string; en: string }) {
    const cell = `${DESIGNER_SHEETS[sheetKey]}!${cellAddress(row, col)}`;
    problems.push({ sheet: sheetKey, cell, message: { zh: `${cell}：${message.zh}`, en: `${cell}: ${message.en}` } });
  }
}

export const TemplateChangeSchema = z.strictObject({
  kind: z.enum(["added", "removed", "renamed", "kind_changed", "formula_changed", "unit_changed", "decimals_changed", "options_changed", "bounds_changed", "rule_added", "rule_removed", "rule_changed", "section_added", "section_removed"]),
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
export function templateChanges(
  before: Pick<Template, "indicators" | "rules" | "sections">, after: Pick<Template, "indicators" | "rules" | "sections">,
  /** Earlier published versions, newest first: a code brought back is compared with its last meaning. */
  older: readonly Pick<Template, "indicators" | "version">[] = [],
): TemplateChange[] {
  const out: TemplateChange[] = [];
  const add = (kind: TemplateChange["kind"], code: string, meaningChanged: boolean, zh: string, en: string) => out.push({ kind, code, meaningChanged, message: { zh, en } });
  const old = new Map(before.indicators.map((i) => [i.code, i]));
  const now = new Map(after.indicators.map((i) => [i.code, i]));
  for (const s of after.sections) if (!before.sections.some((b) => b.code === s.code)) add("section_added", s.code, false, `新增分组「${s.name.zh}」`, `section '${s.name.en}' added`);
  for (const s of before.sections) if (!after.sections.some((a) => a.code === s.code)) add("section_removed", s.code, false, `删除分组「${s.name.zh}」`, `section '${s.name.en}' removed`);
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
