import type { Template } from "../schemas/template";
import type { TemplateIssue } from "./template-issue";

/**
 * Limits Excel enforces on what a fill sheet carries, checked when a template is compiled so a
 * template Excel cannot draw is refused when it is published, not when a county pulls it.
 * - A list validation typed into the rule (our 是/否 and choice drop-downs) holds at most 255
 *   characters, commas included; a comma inside an option would split it in two.
 * - A data-validation error alert's message holds at most 225 characters (its title, a constant
 *   "天宝填报", at most 32).
 *   https://support.microsoft.com/office/apply-data-validation-to-cells-29fecbcc-d1b9-42c1-9d76-eff3ce5f7249
 * - Sheet names (at most 31 characters, none of / \ ? * : [ ]) come from unit names and periods,
 *   not from the template; layout's safeSheetName makes them valid.
 * - A derived indicator's cell formula: its length, each function's arguments and how deep functions
 *   nest (below; checked in excel-formula-limits.ts). Excel cannot open a cell formula past any of them.
 */
export const EXCEL_LIMITS = {
  listSource: 255, alertTitle: 32, alertMessage: 225, sheetName: 31,
  /** "Length of formula contents: 8,192 characters" — https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3 */
  formulaLength: 8192,
  /** "Number of arguments in a function: 255" — https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3 */
  functionArguments: 255,
  /** "Nested levels of functions: 64" — https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3 */
  functionNesting: 64,
} as const;

/**
 * The error alert is the indicator's Chinese name plus a short instruction (layout/fill-plan.ts);
 * the longest instruction ("：请填写不小于 <min, up to 30 characters> 的整数") takes at most 45
 * characters, so a name of up to 180 always fits. shared/test/excel-limits.test.ts checks every
 * alert of generated templates against EXCEL_LIMITS, so a longer instruction would be caught.
 */
export const MAX_ALERT_INSTRUCTION = 45;
export const MAX_VALIDATED_NAME = EXCEL_LIMITS.alertMessage - MAX_ALERT_INSTRUCTION;

export function excelLimitIssues(template: Template): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const add = (path: string, zh: string, en: string): void => { issues.push({ path, message: { zh, en } }); };
  for (const ind of template.indicators) {
    const path = `indicators.${ind.code}`;
    if (ind.kind !== "derived" && ind.name.zh.length > MAX_VALIDATED_NAME) {
      add(`${path}.name`, `指标「${ind.code}」的中文名称超过 ${MAX_VALIDATED_NAME} 个字：Excel 的输入提示最多 ${EXCEL_LIMITS.alertMessage} 个字，请缩短名称`,
        `indicator '${ind.code}' has a Chinese name over ${MAX_VALIDATED_NAME} characters: Excel's validation alert holds at most ${EXCEL_LIMITS.alertMessage}; shorten the name`);
    }
    if (ind.kind !== "choice") continue;
    const names = ind.options.map((o) => o.name.zh);
    const source = names.join(",");
    if (source.length > EXCEL_LIMITS.listSource) {
      add(`${path}.options`, `指标「${ind.code}」的选项合计 ${source.length} 个字（含分隔逗号），超过 Excel 下拉列表的 ${EXCEL_LIMITS.listSource} 个字上限，请减少或缩短选项`,
        `indicator '${ind.code}' has options totalling ${source.length} characters (commas included), over Excel's ${EXCEL_LIMITS.listSource}-character limit for a drop-down list; use fewer or shorter options`);
    }
    for (const o of ind.options) {
      if (/[,，"]/.test(o.name.zh) || o.name.zh.trim() !== o.name.zh) {
        add(`${path}.options.${o.code}`, `指标「${ind.code}」的选项「${o.name.zh}」含逗号、英文双引号或首尾空格，Excel 下拉列表会把它拆开、改写或当作损坏`,
          `indicator '${ind.code}' option '${o.name.zh}' contains a comma, a double quote or leading/trailing spaces, which Excel's drop-down list would split, change or treat as damaged`);
      }
    }
    if (new Set(names).size !== names.length) {
      add(`${path}.options`, `指标「${ind.code}」有重名的选项，表中无法区分`, `indicator '${ind.code}' has two options with the same Chinese name, which a sheet cannot tell apart`);
    }
  }
  return issues;
}
