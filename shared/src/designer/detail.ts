import * as X from "../exact/exact";
import { SCALED_BOUND, withinScaledBound } from "../validation/number";
import { DETAIL_ROWS_LIMIT, type DetailField, type DetailTable, type Table } from "../schemas/form";
import { COMMON_UNITS, MeasureUnitSchema } from "../schemas/template";
import { CodeSchema, isSheetSafe } from "../schemas/text";
import { EXCEL_LIMITS } from "../template/excel-limits";
import { listFigureIndicators } from "../template/form";
import { codeField, nameField, parseOptions, rowsOf, type SheetRow } from "./fields";
import type { DesignerProblems, Grid } from "./read";
import { FIELD_CHECK_OF, FIELD_TYPE_LABELS, FIELD_TYPE_OF, FIRST, FLD, NO, TAB, TABLE_KIND_LABELS, YES, splitCodes } from "./sheets";

/**
 * A form's detail lists (浮动行清单, issue 25) in the designer: their 最多行数 and 重码字段 on 表格, their
 * fields on 清单字段 — every cell checked where it is, so one upload shows every mistake. The list's own
 * definition is checked again by compileTemplate (detail/schema.ts), whose issues designer.ts puts back
 * on these cells by `fieldRow`.
 */

const MAX_FIELDS = 30, MAX_KEY = 5, MAX_OPTIONS = 50, DEFAULT_ROWS = 2000, DEFAULT_LENGTH = 200, MAX_LENGTH = 500;
export const fieldKey = (table: string, code: string): string => `${table}.fields.${code}`;

/** 表格's 最多行数 and 重码字段: a detail list's (blank: 2,000 rows, no key), and nothing on another kind of table. */
export function readListCells(r: SheetRow, kind: Table["kind"] | undefined, p: DesignerProblems): { maxRows: number; key: string[] } | null {
  const rowsText = r.c(TAB.maxRows), keyText = r.c(TAB.key);
  if (kind !== "detail") {
    if (kind && rowsText !== "") p.bad("tables", r.row, TAB.maxRows, `只有浮动行清单填最多行数（本表是${TABLE_KIND_LABELS[kind]}）`, `only a detail list (浮动行清单) has a maximum number of rows (this table is a ${kind})`);
    if (kind && keyText !== "") p.bad("tables", r.row, TAB.key, `只有浮动行清单填重码字段（本表是${TABLE_KIND_LABELS[kind]}）`, `only a detail list (浮动行清单) has key fields (this table is a ${kind})`);
    return null;
  }
  let ok = true;
  const maxRows = rowsText === "" ? DEFAULT_ROWS : /^\d{1,4}$/.test(rowsText) ? Number(rowsText) : Number.NaN;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > DETAIL_ROWS_LIMIT) {
    p.bad("tables", r.row, TAB.maxRows, `最多行数「${rowsText}」应为 1 到 ${DETAIL_ROWS_LIMIT} 的整数（不填为 ${DEFAULT_ROWS}）`, `max rows '${rowsText}' should be a whole number from 1 to ${DETAIL_ROWS_LIMIT} (blank: ${DEFAULT_ROWS})`);
    ok = false;
  }
  const key = splitCodes(keyText);
  const bad = key.find((k) => !CodeSchema.safeParse(k).success);
  const twice = key.find((k, i) => key.indexOf(k) !== i);
  if (bad !== undefined) { p.bad("tables", r.row, TAB.key, `重码字段「${bad}」不是有效的字段代码（以字母开头，只含字母、数字和 _，且不能是保留字）`, `key field '${bad}' is not a valid field code (a letter first, then letters, digits and _, not a reserved word)`); ok = false; }
  else if (twice !== undefined) { p.bad("tables", r.row, TAB.key, `重码字段「${twice}」写了两次`, `key field '${twice}' is listed twice`); ok = false; }
  else if (key.length > MAX_KEY) { p.bad("tables", r.row, TAB.key, `重码字段至多 ${MAX_KEY} 个（这里有 ${key.length} 个）`, `at most ${MAX_KEY} key fields (there are ${key.length})`); ok = false; }
  return ok ? { maxRows, key } : null;
}

/** A field read from its row, with the row: kept in the table's order. */
interface FieldRead { row: SheetRow; code: string; field: DetailField | null }

/**
 * 清单字段 read into each detail list's fields, by table code: every row names a detail list of 表格;
 * a field whose code reads is known to its table (so the table is not also said to have no fields, and
 * its key is checked against it) even where another of its cells is wrong.
 */
export function readFields(grid: Grid | undefined, kinds: ReadonlyMap<string, Table["kind"]>, named: ReadonlySet<string>, fieldRow: Map<string, number>, p: DesignerProblems): Map<string, FieldRead[]> {
  const out = new Map<string, FieldRead[]>();
  const lower = new Map<string, { code: string; row: number }>();
  for (const r of rowsOf(grid ?? [], FIRST, 30 * (MAX_FIELDS + 1))) {
    const mark = p.list.length;
    const table = r.c(FLD.table);
    const kind = kinds.get(table);
    if (table === "") p.bad("detailFields", r.row, FLD.table, "表代码不能为空：填此字段所在的浮动行清单的代码", "the table is required: the code of the detail list this field belongs to");
    else if (!named.has(table)) p.bad("detailFields", r.row, FLD.table, `表代码「${table}」在「表格」中不存在`, `table '${table}' is not on the 表格 sheet`);
    else if (kind && kind !== "detail") p.bad("detailFields", r.row, FLD.table, `表「${table}」是${TABLE_KIND_LABELS[kind]}，没有字段：只有浮动行清单的字段列在「清单字段」中${kind === "list" ? "（清单表的指标在「指标」中）" : "（行列表的行和列在「表格行列」中）"}`, `table '${table}' is a ${kind === "list" ? "list table" : "grid"} and has no fields: only a detail list (浮动行清单) lists its fields on 清单字段${kind === "list" ? " (a list table's indicators are on 指标)" : " (a grid's rows and columns are on 表格行列)"}`);
    const code = codeField(p, "detailFields", r.row, FLD.code, r.c(FLD.code), "字段代码", "field code");
    if (code && table !== "") {
      const k = fieldKey(table, code);
      const same = lower.get(fieldKey(table, code.toLowerCase()));
      if (fieldRow.has(k)) p.bad("detailFields", r.row, FLD.code, `表「${table}」的字段代码「${code}」与第 ${fieldRow.get(k)! + 1} 行重复`, `table '${table}': field code '${code}' repeats row ${fieldRow.get(k)! + 1}`);
      else if (same) p.bad("detailFields", r.row, FLD.code, `表「${table}」的字段代码「${code}」与第 ${same.row + 1} 行的「${same.code}」只差大小写：填报表的栏次和汇总数代码无法区分，请换一个代码`, `table '${table}': field code '${code}' differs from '${same.code}' (row ${same.row + 1}) only in case, which the fill sheet's column codes and the totals' codes cannot tell apart; choose another code`);
      else { fieldRow.set(k, r.row); lower.set(fieldKey(table, code.toLowerCase()), { code, row: r.row }); }
    }
    const zh = nameField(p, "detailFields", r.row, FLD.nameZh, r.c(FLD.nameZh), 100, "名称", "the name");
    const en = r.c(FLD.nameEn) === "" ? zh : nameField(p, "detailFields", r.row, FLD.nameEn, r.c(FLD.nameEn), 200, "英文名称", "the English name");
    const typeText = r.c(FLD.type);
    const type = FIELD_TYPE_OF.get(typeText);
    if (!type) p.bad("detailFields", r.row, FLD.type, typeText === "" ? "类型不能为空：文本、代码、单选、是否、计数、金额 或 日期" : `类型「${typeText}」应为 文本、代码、单选、是否、计数、金额 或 日期`, typeText === "" ? "the type is required: 文本 (text), 代码 (code), 单选 (choice), 是否 (yes/no), 计数 (count), 金额 (amount) or 日期 (date)" : `type '${typeText}' should be 文本 (text), 代码 (code), 单选 (choice), 是否 (yes/no), 计数 (count), 金额 (amount) or 日期 (date)`);
    const requiredText = r.c(FLD.required);
    if (!YES.has(requiredText) && !NO.has(requiredText)) p.bad("detailFields", r.row, FLD.required, `必填「${requiredText}」应为 是 或 否`, `required '${requiredText}' should be 是 (yes) or 否 (no)`);
    const own = type ? typedParts(r, type, p) : null;
    if (code && table !== "") {
      const list = out.get(table) ?? [];
      out.set(table, list);
      const ok = p.list.length === mark && zh && en && type && own;
      list.push({ row: r, code, field: ok ? { code, name: { zh, en }, type, required: YES.has(requiredText), ...own } : null });
    }
  }
  return out;
}

type TypedParts = Pick<DetailField, "maxLength" | "decimals"> & Partial<Pick<DetailField, "check" | "options" | "unit" | "min" | "max">>;

/** What a field's type uses — maximum length, check, options, unit, decimals, bounds — each on its cell; what it does not use is refused where it is typed. */
function typedParts(r: SheetRow, type: DetailField["type"], p: DesignerProblems): TypedParts | null {
  const mark = p.list.length;
  const label = FIELD_TYPE_LABELS[type];
  const notFor = (col: number, what: string, whatEn: string, only: string, onlyEn: string) => {
    if (r.c(col) !== "") p.bad("detailFields", r.row, col, `${label}字段不填「${what}」：只有${only}字段有${what}`, `a ${type} field has no ${whatEn}: only ${onlyEn} fields have one`);
  };
  const texty = type === "text" || type === "code";
  const numeric = type === "count" || type === "amount";
  // 最长字数: text and code (blank: 200)
  let maxLength = DEFAULT_LENGTH;
  if (!texty) notFor(FLD.maxLength, "最长字数", "max length", "文本、代码", "text and code");
  else if (r.c(FLD.maxLength) !== "") {
    const v = r.c(FLD.maxLength);
    maxLength = /^\d{1,3}$/.test(v) ? Number(v) : Number.NaN;
    if (!(maxLength >= 1 && maxLength <= MAX_LENGTH)) p.bad("detailFields", r.row, FLD.maxLength, `最长字数「${v}」应为 1 到 ${MAX_LENGTH} 的整数（不填为 ${DEFAULT_LENGTH}）`, `max length '${v}' should be a whole number from 1 to ${MAX_LENGTH} (blank: ${DEFAULT_LENGTH})`);
  }
  // 校验: a code field's 统一社会信用代码
  const checkText = r.c(FLD.check);
  const check = checkText === "" ? undefined : FIELD_CHECK_OF.get(checkText);
  if (checkText !== "" && !check) p.bad("detailFields", r.row, FLD.check, `校验「${checkText}」应为 统一社会信用代码 或留空`, `check '${checkText}' should be 统一社会信用代码 (unified social credit code) or blank`);
  else if (check && type !== "code") p.bad("detailFields", r.row, FLD.check, `只有代码字段可以校验统一社会信用代码（本字段是${label}，请把类型改为 代码）`, `only a code field can be checked as a unified social credit code (this one is ${type}; make it 代码)`);
  // 选项: a choice's
  let options: DetailField["options"];
  if (type !== "choice") notFor(FLD.options, "选项", "options", "单选", "choice");
  else options = fieldOptions(r, p) ?? undefined;
  // 计量单位, 小数位, 最小, 最大: a count's and an amount's (decimals: an amount's)
  const unitText = r.c(FLD.unit);
  const unit = unitText === "" || !numeric ? undefined : MeasureUnitSchema.safeParse(unitText);
  if (!numeric) notFor(FLD.unit, "计量单位", "unit", "计数、金额", "count and amount");
  else if (unit && !unit.success) p.bad("detailFields", r.row, FLD.unit, `计量单位「${unitText}」不能用：至多 12 个字，不含首尾空格和不可见字符（常用：${COMMON_UNITS.join("、")}）`, `unit '${unitText}' cannot be used: at most 12 characters, no leading or trailing spaces or invisible characters (common: ${COMMON_UNITS.join(", ")})`);
  else if (type === "amount" && !unit) p.bad("detailFields", r.row, FLD.unit, "金额字段必须有计量单位（如 万元、亿元）", "an amount field needs a unit (such as 万元 or 亿元)");
  const decText = r.c(FLD.decimals);
  let decimals = 0;
  if (type === "amount") {
    decimals = decText === "" ? 0 : /^\d$/.test(decText) ? Number(decText) : Number.NaN;
    if (!(decimals >= 0 && decimals <= 6)) p.bad("detailFields", r.row, FLD.decimals, `小数位「${decText}」应为 0 到 6 的整数`, `decimals '${decText}' should be a whole number from 0 to 6`);
  } else if (decText !== "" && decText !== "0") p.bad("detailFields", r.row, FLD.decimals, type === "count" ? "计数字段是整数，不填小数位" : `${label}字段不填「小数位」：只有金额字段有小数位`, type === "count" ? "a count field holds whole numbers: no decimals" : `a ${type} field has no decimals: only amount fields have them`);
  if (!numeric) { notFor(FLD.min, "最小", "min", "计数、金额", "count and amount"); notFor(FLD.max, "最大", "max", "计数、金额", "count and amount"); }
  const bounds = numeric && Number.isInteger(decimals) ? fieldBounds(r, decimals, p) : {};
  if (p.list.length > mark || bounds === null) return null;
  return { maxLength, decimals, ...(check ? { check } : {}), ...(options ? { options } : {}), ...(unit?.success ? { unit: unit.data } : {}), ...bounds };
}

/**
 * A choice field's 选项, written as on 指标 (code=中文名=English；…): two to 50, codes unique (not only in
 * case: each option's totals are named by it), names unique, and each name one Excel's drop-down list
 * keeps as it is (no comma, no English double quote; 255 characters in all).
 */
function fieldOptions(r: SheetRow, p: DesignerProblems): DetailField["options"] | null {
  const text = r.c(FLD.options);
  const bad = (zh: string, en: string) => { p.bad("detailFields", r.row, FLD.options, zh, en); return null; };
  if (text === "") return bad("单选字段要在「选项」中列出选项：写成「代码=中文名=英文名」，用；分隔，至少两项（如 cn=中国名牌；sx=山西名牌）", "a choice field needs its options: 'code=中文名=English', separated by ;, at least two (such as cn=中国名牌；sx=山西名牌)");
  const options = parseOptions(text);
  const wrong = options.find((o) => !CodeSchema.safeParse(o.code).success || o.name.zh === "" || !isSheetSafe(o.name.zh) || !isSheetSafe(o.name.en) || o.name.zh.length > 100 || o.name.en.length > 200);
  if (options.length < 2 || wrong) return bad(`选项应写成「代码=中文名=英文名」，用；分隔，至少两项${wrong ? `（「${wrong.code}」有误：代码以字母开头，只含字母、数字和 _，且不能是保留字）` : ""}`, `options should read 'code=中文名=English', separated by ;, at least two${wrong ? ` ('${wrong.code}' is wrong: a code is a letter first, then letters, digits and _, not a reserved word)` : ""}`);
  if (options.length > MAX_OPTIONS) return bad(`一个单选字段至多 ${MAX_OPTIONS} 个选项`, `a choice field has at most ${MAX_OPTIONS} options`);
  const twice = options.find((o, i) => options.findIndex((x) => x.code === o.code) !== i);
  if (twice) return bad(`选项代码「${twice.code}」重复`, `option code '${twice.code}' is used twice`);
  const cased = options.find((o, i) => options.findIndex((x) => x.code.toLowerCase() === o.code.toLowerCase()) !== i);
  if (cased) {
    const first = options.find((x) => x.code.toLowerCase() === cased.code.toLowerCase())!;
    return bad(`选项代码「${cased.code}」与「${first.code}」只差大小写：按选项生成的汇总数代码无法区分，请换一个代码`, `option code '${cased.code}' differs from '${first.code}' only in case, which the totals by option cannot tell apart; choose another code`);
  }
  const sameName = options.find((o, i) => options.findIndex((x) => x.name.zh === o.name.zh) !== i);
  if (sameName) return bad(`选项「${sameName.name.zh}」重名，表中无法区分`, `two options are named '${sameName.name.zh}', which a sheet cannot tell apart`);
  const unsafe = options.find((o) => /[,，"]/.test(o.name.zh));
  if (unsafe) return bad(`选项「${unsafe.name.zh}」含逗号或英文双引号，Excel 下拉列表会把它拆开或当作损坏：请改用顿号或中文引号`, `option '${unsafe.name.zh}' contains a comma or an English double quote, which Excel's drop-down list would split or treat as damaged; use 、 or Chinese quotes`);
  const source = options.map((o) => o.name.zh).join(",");
  if (source.length > EXCEL_LIMITS.listSource) return bad(`选项合计 ${source.length} 个字（含分隔逗号），超过 Excel 下拉列表的 ${EXCEL_LIMITS.listSource} 个字上限，请减少或缩短选项`, `the options total ${source.length} characters (commas included), over Excel's ${EXCEL_LIMITS.listSource}-character limit for a drop-down list; use fewer or shorter options`);
  return options;
}

/** A count's or amount's 最小 and 最大: numbers with no more decimals than the field's, within what the system holds, min not above max. */
function fieldBounds(r: SheetRow, decimals: number, p: DesignerProblems): Pick<DetailField, "min" | "max"> | null {
  const out: Pick<DetailField, "min" | "max"> = {};
  for (const [key, col, zh] of [["min", FLD.min, "最小"], ["max", FLD.max, "最大"]] as const) {
    const v = r.c(col);
    if (v === "") continue;
    if (!/^-?\d+(\.\d+)?$/.test(v) || v.length > 30) { p.bad("detailFields", r.row, col, `${zh}「${v}」不是数字`, `${key} '${v}' is not a number`); return null; }
    if ((v.split(".")[1]?.length ?? 0) > decimals) { p.bad("detailFields", r.row, col, `${zh}「${v}」超过字段的 ${decimals} 位小数`, `${key} '${v}' has more decimals than the field's ${decimals}`); return null; }
    if (!withinScaledBound(X.parseExact(v)!, decimals)) {
      const limit = X.toDecimalText({ n: SCALED_BOUND, d: 10n ** BigInt(decimals) });
      p.bad("detailFields", r.row, col, `${zh}「${v}」超出系统支持的范围（${decimals} 位小数时绝对值不超过 ${limit}）`, `${key} '${v}' is beyond the supported range (at most ${limit} in magnitude with ${decimals} decimals)`);
      return null;
    }
    out[key] = v;
  }
  if (out.min !== undefined && out.max !== undefined && X.compare(X.parseExact(out.min)!, X.parseExact(out.max)!) > 0) { p.bad("detailFields", r.row, FLD.min, `最小「${out.min}」大于最大「${out.max}」`, `min '${out.min}' is above max '${out.max}'`); return null; }
  return out;
}

/**
 * A detail list of 表格 with its fields of 清单字段: at least one field and at most 30, its key naming
 * its fields, and the totals it generates named apart (a count field called `rows` would take the row
 * count's code); null, with the problem on its cell, if it cannot be made.
 */
export function detailTableOf(head: Omit<DetailTable, "kind" | "fields" | "key" | "maxRows">, row: SheetRow, cells: { maxRows: number; key: string[] }, read: readonly FieldRead[], hasSheet: boolean, p: DesignerProblems): DetailTable | null {
  const mark = p.list.length;
  if (read.length === 0) {
    p.bad("tables", row.row, TAB.code, `浮动行清单「${head.code}」在「清单字段」中没有字段：每个字段一行，「表代码」填 ${head.code}${hasSheet ? "" : "（本工作簿没有「清单字段」工作表：请重新下载模板设计表，把内容抄过去）"}`, `the detail list '${head.code}' has no fields on 清单字段: one row per field, with 表代码 ${head.code}${hasSheet ? "" : " (this workbook has no 清单字段 sheet: download the designer again and copy your rows into it)"}`);
    return null;
  }
  if (read.length > MAX_FIELDS) p.bad("detailFields", read[MAX_FIELDS]!.row.row, FLD.code, `浮动行清单「${head.code}」至多 ${MAX_FIELDS} 个字段`, `the detail list '${head.code}' has at most ${MAX_FIELDS} fields`);
  const codes = new Set(read.map((f) => f.code));
  const missing = cells.key.filter((k) => !codes.has(k));
  if (missing.length > 0) {
    const hint = missing.map((k) => read.find((f) => f.code.toLowerCase() === k.toLowerCase())).find((f) => f !== undefined);
    p.bad("tables", row.row, TAB.key, `重码字段${missing.map((k) => `「${k}」`).join("")}不是浮动行清单「${head.code}」的字段代码${hint ? `（字段代码区分大小写：是不是「${hint.code}」？）` : "（字段列在「清单字段」中）"}`, `key field${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are not field codes" : "is not a field code"} of the detail list '${head.code}'${hint ? ` (field codes are case-sensitive: did you mean '${hint.code}'?)` : " (its fields are on 清单字段)"}`);
  }
  if (p.list.length > mark || read.some((f) => f.field === null)) return null;
  const table: DetailTable = { ...head, kind: "detail", fields: read.map((f) => f.field!), key: cells.key, maxRows: cells.maxRows };
  // the totals it generates: one code each (a field `rows`, or `level_cn_rows`, would take another's)
  const seen = new Map<string, string | undefined>();
  for (const ind of listFigureIndicators(table)) {
    const from = ind.kind === "count" || ind.kind === "amount" ? ind.fromList : undefined;
    const field = from?.field ?? from?.where?.field;
    if (!CodeSchema.safeParse(ind.code).success) {
      const at = read.find((f) => f.code === field);
      if (at) p.bad("detailFields", at.row.row, FLD.code, `浮动行清单「${head.code}」自动生成的汇总数代码「${ind.code}」超过 40 个字符：请把表、字段或选项的代码改短`, `the detail list '${head.code}' would generate the total '${ind.code}', longer than 40 characters: shorten the table, field or option code`);
      else p.bad("tables", row.row, TAB.code, `浮动行清单自动生成的汇总数代码「${ind.code}」超过 40 个字符：请把表代码改短`, `the detail list would generate the total '${ind.code}', longer than 40 characters: shorten the table code`);
      return null;
    }
    if (seen.has(ind.code)) {
      const at = read.find((f) => f.code === field) ?? read.find((f) => f.code === seen.get(ind.code)) ?? read[0]!;
      p.bad("detailFields", at.row.row, FLD.code, `浮动行清单「${head.code}」自动生成的汇总数代码「${ind.code}」重复（行数为 ${head.code}_rows，字段合计为 ${head.code}_字段代码，按选项为 ${head.code}_字段代码_选项代码_…）：请换一个字段代码`, `the detail list '${head.code}' would generate the total '${ind.code}' twice (rows are ${head.code}_rows, a field's sum ${head.code}_field, by option ${head.code}_field_option_…): choose another field code`);
      return null;
    }
    seen.set(ind.code, field);
  }
  return table;
}
