import {
  BUILTIN_TEMPLATE, DESIGNER_SHEETS, DesignerResultSchema, OPTIONAL_SHEET_KEYS, TemplateSchema, buildDesignerPlans, buildFillPlans, compileTemplate, parseDesigner,
  safeSheetName, type CellValue, type DesignerProblem, type DesignerResult, type Template,
} from "@tianbao/shared";
import { designerSheetsTaken, drawDesigner, drawPreviews, readDesignerSheets } from "../excel/designer-sheets";
import { isOfficeError } from "../excel/errors";
import { readUsedGrid } from "../excel/read-grid";
import { T, errorText, type Lang } from "../i18n/messages";
import { api } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

const M = {
  taken: { zh: "本工作簿中已有同名工作表（{names}），为免覆盖，未放入设计表。请新建一个空白工作簿后再试。", en: "This workbook already has sheets named {names}; to keep them, nothing was written. Open a new blank workbook and try again." },
  drawn: { zh: "模板设计表已放入本工作簿：在「指标」「校验规则」等表中修改后，点“上传设计表”。", en: "The designer is in this workbook: change 指标, 校验规则 and the rest, then click Upload designer." },
  missing: { zh: "本工作簿中缺少模板设计表的{names}工作表（工作表改了名请改回原名）；未上传任何内容", en: "This workbook has no designer sheet named {names} (a renamed sheet needs its name back); nothing was uploaded" },
  formula: { zh: "此单元格是 Excel 公式；计算公式请直接写成文字（不要以 = 开头）", en: "this cell is an Excel formula; write a formula as text (without a leading =)" },
  problems: { zh: "设计表有 {n} 处问题，未上传；点击问题可定位到单元格。", en: "The designer has {n} problems; nothing was uploaded. Click one to go to its cell." },
  saved: { zh: "已保存为草稿：{name} 第 {v} 版", en: "Saved as draft: {name} version {v}" },
  preview: { zh: "预览已放入工作表「{sheet}」：这就是各县将收到的填报表", en: "The preview is in the sheet {sheet}: the fill sheet counties will get" },
  previewForm: { zh: "预览已放入工作表「{sheet}」及其后的 {n} 张表：这就是各县将收到的填报表", en: "The preview is in the sheet {sheet} and the {n} tables after it: the fill workbook counties will get" },
} as const;
const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k]));

/** 放入设计表: the designer of a template (or a blank one, or the built-in) drawn into this workbook. */
export async function designerIntoWorkbook(source: "blank" | "builtin" | { id: string; version: number }, lang: Lang): Promise<FlowResult> {
  let template: Template | null = null;
  if (source === "builtin") template = TemplateSchema.parse(BUILTIN_TEMPLATE);
  else if (source !== "blank") {
    const r = await api.template({ templateId: source.id, templateVersion: source.version });
    if (!r.ok) return { ok: false, message: errorText(r.error, lang) };
    template = r.value;
  }
  const plans = buildDesignerPlans(template);
  return excelRun(async (ctx) => {
    const taken = await designerSheetsTaken(ctx);
    if (taken.length > 0) return { ok: false, message: fill(M.taken[lang], { names: taken.join("、") }) };
    await drawDesigner(ctx, plans);
    return { ok: true, message: M.drawn[lang] };
  });
}

export interface DesignerUpload extends FlowResult { problems: DesignerProblem[]; result?: DesignerResult }

/** 上传设计表: reads the designer sheets of this workbook, checks them with the shared rules, and saves the draft. */
export async function uploadDesigner(lang: Lang): Promise<DesignerUpload> {
  const sheets = await excelRun(async (ctx) => {
    const four = await readDesignerSheets(ctx);
    // 表格 and 表格行列 (the form's tables, issue 23) and 清单字段 (detail lists' fields, issue 25) when the
    // workbook has them: one drawn before forms has none
    const form: { tables?: CellValue[][]; tableLines?: CellValue[][]; detailFields?: CellValue[][] } = {};
    for (const key of OPTIONAL_SHEET_KEYS) {
      try {
        const r = await readUsedGrid(ctx, () => ctx.workbook.worksheets.getItem(DESIGNER_SHEETS[key]));
        form[key] = r.grid;
        four.formulaCells.push(...[...r.formulaCells].map((c) => `${DESIGNER_SHEETS[key]}!${c}`));
        four.facts[key] = { errors: r.errors, shown: r.shown };
      } catch (e) {
        if (!isOfficeError(e, "ItemNotFound")) throw e;
      }
    }
    return { ...four, ...form };
  });
  const { template, sections, indicators, rules, tables, tableLines, detailFields } = sheets;
  if (!template || !sections || !indicators || !rules) {
    // a missing 校验规则 would drop every rule without a word: each designer sheet is needed, by name
    const missing = (["template", "sections", "indicators", "rules"] as const).filter((k) => !sheets[k]).map((k) => DESIGNER_SHEETS[k]);
    return { ok: false, message: fill(M.missing[lang], { names: lang === "zh" ? missing.map((n) => `「${n}」`).join("") : missing.join(", ") }), problems: [] };
  }
  const formula = sheets.formulaCells[0];
  if (formula) {
    const key = (Object.entries(DESIGNER_SHEETS).find(([, n]) => formula.startsWith(`${n}!`))?.[0] ?? "indicators") as DesignerProblem["sheet"];
    const problem = { sheet: key, cell: formula, message: { zh: `${formula}：${M.formula.zh}`, en: `${formula}: ${M.formula.en}` } };
    return { ok: false, message: problem.message[lang], problems: [problem] };
  }
  const parsed = parseDesigner({ template, sections, indicators, rules, ...(tables ? { tables } : {}), ...(tableLines ? { tableLines } : {}), ...(detailFields ? { detailFields } : {}) }, sheets.facts);
  if (!parsed.ok) return { ok: false, message: fill(M.problems[lang], { n: parsed.problems.length }), problems: parsed.problems };
  const r = await api.saveDraft(parsed.template);
  if (!r.ok) return { ok: false, message: errorText(r.error, lang), problems: [] };
  return { ok: true, message: fill(M.saved[lang], { name: r.value.template.name[lang], v: r.value.template.version }), problems: [], result: DesignerResultSchema.parse(r.value) };
}

/** 预览: the draft's fill sheet (a form's cover and tables) exactly as counties will get it, drawn into sheets of their own. */
export async function previewDraft(draft: { id: string; version: number }, lang: Lang): Promise<FlowResult> {
  const user = api.user;
  if (!user) return { ok: false, message: T.signInFirst[lang] };
  const t = await api.template({ templateId: draft.id, templateVersion: draft.version });
  if (!t.ok) return { ok: false, message: errorText(t.error, lang) };
  const compiled = compileTemplate(t.value);
  if (!compiled.ok) return { ok: false, message: compiled.issues[0]!.message[lang] };
  // the previous period: this unit's figures in the last round of this template, as on the web preview
  const rounds = await api.rounds();
  const last = rounds.ok ? rounds.value.filter((r) => r.templateId === draft.id).sort((a, b) => b.period.localeCompare(a.period))[0] : undefined;
  const prev = last ? await api.submission(last.id, user.unitId) : null;
  const previous = prev?.ok && prev.value.revision > 0 ? prev.value.values : null;
  const input = { roundId: "preview", period: String(new Date().getFullYear()), unit: { id: user.unitId, name: user.unitName.zh }, previous, status: "预览（不是正式填报表）" };
  // a form's cover and tables keep the names their formulas use across sheets: 预览 takes the issuer's place in them (预览2025年-质兴1表)
  const form = t.value.form !== undefined;
  const plans = form ? buildFillPlans(compiled.compiled, { ...input, issuer: "预览" }) : [{ ...buildFillPlans(compiled.compiled, input)[0]!, name: safeSheetName(`预览-${t.value.name.zh}`) }];
  await excelRun((ctx) => drawPreviews(ctx, plans.map((p) => ({ ...p, protect: false }))));
  return { ok: true, message: fill((form ? M.previewForm : M.preview)[lang], { sheet: plans[0]!.name, n: plans.length - 1 }) };
}
