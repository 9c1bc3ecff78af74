import { COMMON_UNITS, MeasureUnitSchema, type Indicator } from "../schemas/template";
import { CodeSchema, isSheetSafe } from "../schemas/text";
import { codeField, nameField, parseOptions, rowsOf, type SheetRow } from "./fields";
import type { DesignerProblems, Grid } from "./read";
import { FIRST, IND, KIND_LABELS, KIND_OF, NO, YES } from "./sheets";

/** The 指标 sheet read into indicators, every field of every row checked on its cell. */
export function readIndicators(grid: Grid, sectionRow: ReadonlyMap<string, number>, p: DesignerProblems, mayBeEmpty = false): { indicators: Indicator[]; indicatorRow: Map<string, number> } {
  const indicators: Indicator[] = [];
  const indicatorRow = new Map<string, number>();
  for (const r of rowsOf(grid, FIRST)) {
    // Every field of the row is checked, so one upload shows every mistake; the row is built only if all pass.
    const before = p.list.length;
    const c = codeField(p, "indicators", r.row, IND.code, r.c(IND.code), "代码");
    if (c && indicatorRow.has(c)) p.bad("indicators", r.row, IND.code, `指标代码「${c}」与第 ${indicatorRow.get(c)! + 1} 行重复`, `indicator code '${c}' repeats row ${indicatorRow.get(c)! + 1}`);
    else if (c) indicatorRow.set(c, r.row);
    const section = r.c(IND.section);
    if (section === "") p.bad("indicators", r.row, IND.section, "分组不能为空", "the section is required");
    else if (!sectionRow.has(section)) p.bad("indicators", r.row, IND.section, `分组「${section}」在「分组」表中不存在`, `section '${section}' is not on the 分组 sheet`);
    const zh = nameField(p, "indicators", r.row, IND.nameZh, r.c(IND.nameZh), 100, "名称", "the name");
    const en = r.c(IND.nameEn) === "" ? zh : nameField(p, "indicators", r.row, IND.nameEn, r.c(IND.nameEn), 200, "英文名称", "the English name");
    if (!YES.has(r.c(IND.required)) && !NO.has(r.c(IND.required))) p.bad("indicators", r.row, IND.required, `必填「${r.c(IND.required)}」应为 是 或 否`, `required '${r.c(IND.required)}' should be 是 (yes) or 否 (no)`);
    const kind = KIND_OF.get(r.c(IND.kind));
    if (!kind) p.bad("indicators", r.row, IND.kind, `类型「${r.c(IND.kind)}」应为 计数、金额、是否、单选、文本 或 计算`, `kind '${r.c(IND.kind)}' should be 计数, 金额, 是否, 单选, 文本 or 计算`);
    const f = numberFields(r, p);
    const helpZh = r.c(IND.helpZh), helpEn = r.c(IND.helpEn) || helpZh;
    if (helpZh && (helpZh.length > 500 || helpEn.length > 500 || !isSheetSafe(helpZh) || !isSheetSafe(helpEn))) p.bad("indicators", r.row, IND.helpZh, "填报说明过长（至多 500 字）或含有控制字符", "the help is too long (at most 500) or has control characters");
    if (p.list.length > before || !c || !zh || !en || !kind) continue;
    const common = { code: c, section, name: { zh, en }, ...(helpZh ? { help: { zh: helpZh, en: helpEn } } : {}), required: YES.has(r.c(IND.required)) };
    const built = indicatorOf(r, kind, common, f, p);
    if (built) indicators.push(built);
  }
  if (indicators.length === 0 && !mayBeEmpty && p.list.every((x) => x.sheet !== "indicators")) p.bad("indicators", FIRST, 0, "至少需要一个指标", "at least one indicator is needed");
  return { indicators, indicatorRow };
}

type NumberFields = ReturnType<typeof numberFields>;

/** Unit, decimals, bounds and the jump threshold of a row, each checked on its cell. */
function numberFields(r: SheetRow, p: DesignerProblems) {
  const unitText = r.c(IND.unit);
  const unit = unitText === "" ? undefined : MeasureUnitSchema.safeParse(unitText);
  if (unit && !unit.success) p.bad("indicators", r.row, IND.unit, `计量单位「${unitText}」不能用：至多 12 个字，不含首尾空格和不可见字符（常用：${COMMON_UNITS.join("、")}）`, `unit '${unitText}' cannot be used: at most 12 characters, no leading or trailing spaces or invisible characters (common: ${COMMON_UNITS.join(", ")})`);
  const decText = r.c(IND.decimals);
  const decimals = decText === "" ? 0 : /^\d$/.test(decText) ? Number(decText) : Number.NaN;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) p.bad("indicators", r.row, IND.decimals, `小数位「${decText}」应为 0 到 6 的整数`, `decimals '${decText}' should be a whole number from 0 to 6`);
  const bound = (col: number, label: string): string | undefined => {
    const v = r.c(col);
    if (v === "") return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(v)) p.bad("indicators", r.row, col, `${label}「${v}」不是数字`, `${label === "最小" ? "min" : "max"} '${v}' is not a number`);
    return v;
  };
  const min = bound(IND.min, "最小"), max = bound(IND.max, "最大");
  // a percentage column: "30" and "30%" (typed in a Text cell) both mean 30 %; a percent-formatted 30% arrives here as 30
  const jumpText = r.c(IND.jumpPercent);
  const jumpDigits = /^(\d+(?:\.\d+)?)\s*[%％]?$/.exec(jumpText)?.[1];
  const jump = jumpText === "" ? undefined : jumpDigits !== undefined ? Number(jumpDigits) : Number.NaN;
  if (jump !== undefined && !(jump > 0 && jump <= 100000)) p.bad("indicators", r.row, IND.jumpPercent, `环比提示「${jumpText}」应为大于 0 的百分数`, `jump warning '${jumpText}' should be a percentage above 0`);
  const numeric = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(jump !== undefined ? { jumpPercent: jump } : {}) };
  return { unit, decimals, numeric };
}

/** The indicator of a row whose fields all read, by kind; null (with the problem on its cell) if the kind's own fields do not fit. */
function indicatorOf(r: SheetRow, kind: Indicator["kind"], common: Pick<Indicator, "code" | "section" | "name" | "help" | "required">, f: NumberFields, p: DesignerProblems): Indicator | null {
  const { unit, decimals, numeric } = f;
  const notFor = (col: number, what: string) => { if (r.c(col) !== "") p.bad("indicators", r.row, col, `${KIND_LABELS[kind]}类指标不填「${what}」`, `a ${kind} indicator has no ${what}`); };
  if (kind !== "derived") notFor(IND.formula, "计算公式");
  if (kind !== "choice") notFor(IND.options, "选项");
  if (kind !== "text") notFor(IND.maxLength, "最长字数");
  if (kind === "yesno" || kind === "text" || kind === "choice") { for (const [col, w] of [[IND.min, "最小"], [IND.max, "最大"], [IND.jumpPercent, "环比提示 %"], [IND.decimals, "小数位"], [IND.unit, "计量单位"]] as const) notFor(col, w); }
  if (kind === "count") notFor(IND.decimals, "小数位");
  switch (kind) {
    case "count": return { ...common, kind, ...(unit?.success ? { unit: unit.data } : {}), ...numeric };
    case "amount":
      if (!unit?.success) { p.bad("indicators", r.row, IND.unit, "金额类指标必须有计量单位（如 万元）", "an amount needs a unit (such as 万元)"); return null; }
      return { ...common, kind, unit: unit.data, decimals, ...numeric };
    case "derived": {
      const formula = r.c(IND.formula);
      if (formula === "") { p.bad("indicators", r.row, IND.formula, "计算类指标必须有计算公式", "a computed indicator needs a formula"); return null; }
      return { ...common, kind, formula, decimals, ...(unit?.success ? { unit: unit.data } : {}), ...numeric };
    }
    case "yesno": return { ...common, kind };
    case "text": {
      const ml = r.c(IND.maxLength);
      if (ml !== "" && !/^\d{1,4}$/.test(ml)) { p.bad("indicators", r.row, IND.maxLength, `最长字数「${ml}」应为 1 到 2000 的整数`, `max length '${ml}' should be a whole number from 1 to 2000`); return null; }
      return { ...common, kind, maxLength: ml === "" ? 500 : Number(ml) };
    }
    case "choice": {
      const options = parseOptions(r.c(IND.options));
      const wrong = options.find((o) => !CodeSchema.safeParse(o.code).success || o.name.zh === "" || !isSheetSafe(o.name.zh) || !isSheetSafe(o.name.en));
      if (options.length < 2 || wrong) { p.bad("indicators", r.row, IND.options, `选项应写成「代码=中文名=英文名」，用；分隔，至少两项${wrong ? `（「${wrong.code}」有误）` : ""}`, `options should read 'code=中文名=English', separated by ;, at least two${wrong ? ` ('${wrong.code}' is wrong)` : ""}`); return null; }
      return { ...common, kind, options };
    }
  }
}
