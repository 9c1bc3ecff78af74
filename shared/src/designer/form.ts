import * as X from "../exact/exact";
import { SCALED_BOUND, withinScaledBound } from "../validation/number";
import type { GridColumn, GridRole, GridRow, GridTable, LegalFace, ListTable, Table } from "../schemas/form";
import { COMMON_UNITS, MeasureUnitSchema } from "../schemas/template";
import { isSheetSafe } from "../schemas/text";
import { codeField, nameField, rowsOf, type SheetRow } from "./fields";
import type { DesignerProblems, Grid } from "./read";
import { detailTableOf, readFields, readListCells } from "./detail";
import { AXIS_OF, COLUMN_KIND_OF, FIRST, LINE, META_LABELS, NO, ROLE_OF, TAB, TABLE_KIND_OF, YES, splitCodes } from "./sheets";

/**
 * The form's sheets read (issue 23): the legal face on 模板, the tables on 表格, each grid's rows and
 * columns on 表格行列 — every field of every row checked on its cell, so one upload shows every
 * mistake. The whole form (a 其中 of nothing, sections listed twice, cell codes too long …) is checked
 * again by compileTemplate, whose issues designer.ts puts back on these cells by `tableRow`/`lineRow`.
 */

/**
 * Where each table, each grid row or column and each detail list's field was read: `tableRow` by table code,
 * `lineRow` by `table.rows.code` / `table.columns.code`, `fieldRow` by `table.fields.code`.
 */
export interface FormRows { tableRow: Map<string, number>; lineRow: Map<string, number>; fieldRow: Map<string, number> }

const MAX_TABLES = 30, MAX_ROWS = 200, MAX_COLUMNS = 30, MAX_SECTIONS = 50;
export const lineKey = (table: string, axis: "row" | "column", code: string): string => `${table}.${axis}s.${code}`;

/** A free line of text (表号, 计量单位行, 法定标识): trimmed, at most `max`, nothing a sheet cannot hold. */
function lineField(p: DesignerProblems, key: "template" | "tables", row: number, col: number, v: string, max: number, what: string, whatEn: string): string | null {
  if (v.length > max || !isSheetSafe(v)) { p.bad(key, row, col, `${what}过长或含有控制字符（至多 ${max} 字）`, `${whatEn} is too long or has control characters (at most ${max})`); return null; }
  return v;
}

/** 模板's legal face rows, found by their labels (a workbook drawn before forms has none: no legal face). */
export function readLegal(field: (label: string, row: number) => { row: number; value: string }, p: DesignerProblems): { legal: LegalFace | undefined; row: number } {
  const maker = field(META_LABELS.maker, 6), approver = field(META_LABELS.approver, 7), approvalNo = field(META_LABELS.approvalNo, 8), validUntil = field(META_LABELS.validUntil, 9);
  const others = [[approver, "批准机关", "the approving body", 60], [approvalNo, "批准文号", "the approval number", 60], [validUntil, "有效期至", "valid until", 20]] as const;
  if (maker.value === "") {
    for (const [f, what, whatEn] of others) if (f.value !== "") p.bad("template", f.row, 1, `填写了${what}，但制定机关是空的：法定标识以制定机关为首，请填写制定机关（第 ${maker.row + 1} 行），或清空${what}`, `${whatEn} is filled but 制定机关 (the body that made the form, row ${maker.row + 1}) is blank: fill it in, or clear ${whatEn}`);
    return { legal: undefined, row: maker.row };
  }
  const m = lineField(p, "template", maker.row, 1, maker.value, 60, "制定机关", "the body that made the form");
  const read = others.map(([f, what, whatEn, max]) => (f.value === "" ? undefined : lineField(p, "template", f.row, 1, f.value, max, what, whatEn)));
  if (m === null || read.some((x) => x === null)) return { legal: undefined, row: maker.row };
  const [a, n, v] = read;
  return { legal: { maker: m, ...(a ? { approver: a } : {}), ...(n ? { approvalNo: n } : {}), ...(v ? { validUntil: v } : {}) }, row: maker.row };
}

/** Whether 表格 has a grid or a detail list: then 分组 and 指标 may be empty (the grids and lists are the form). */
export const hasGridRow = (grid: Grid | undefined): boolean => rowsOf(grid ?? [], FIRST).some((r) => { const k = TABLE_KIND_OF.get(r.c(TAB.kind)); return k === "grid" || k === "detail"; });

type TableHead = Omit<ListTable, "kind" | "sections" | "yoy">;
interface ReadTable { row: SheetRow; head: TableHead; kind: Table["kind"]; sections: string[]; required: boolean; yoy: boolean; ytd: boolean; list: { maxRows: number; key: string[] } | null }

/** 表格, 表格行列 and 清单字段 read into the form's tables, or null with the problems on their cells. */
export function readForm(tablesGrid: Grid | undefined, linesGrid: Grid | undefined, fieldsGrid: Grid | undefined, sectionRow: ReadonlyMap<string, number>, p: DesignerProblems): { tables: Table[]; rows: FormRows } | null {
  const before = p.list.length;
  const tableRow = new Map<string, number>();
  const lineRow = new Map<string, number>();
  const fieldRow = new Map<string, number>();
  const read: ReadTable[] = [];
  const listedBy = new Map<string, string>();
  const tableRowsRead = rowsOf(tablesGrid ?? [], FIRST);
  for (const r of tableRowsRead) {
    const mark = p.list.length;
    const code = codeField(p, "tables", r.row, TAB.code, r.c(TAB.code), "代码");
    if (code && tableRow.has(code)) p.bad("tables", r.row, TAB.code, `表代码「${code}」与第 ${tableRow.get(code)! + 1} 行重复`, `table code '${code}' repeats row ${tableRow.get(code)! + 1}`);
    else if (code) tableRow.set(code, r.row);
    if (r.c(TAB.formNo) === "") p.bad("tables", r.row, TAB.formNo, "表号不能为空（如 质兴1表）", "the form number is required (such as 质兴1表)");
    const formNo = r.c(TAB.formNo) === "" ? null : lineField(p, "tables", r.row, TAB.formNo, r.c(TAB.formNo), 30, "表号", "the form number");
    const zh = nameField(p, "tables", r.row, TAB.nameZh, r.c(TAB.nameZh), 100, "名称", "the name");
    const en = r.c(TAB.nameEn) === "" ? zh : nameField(p, "tables", r.row, TAB.nameEn, r.c(TAB.nameEn), 200, "英文名称", "the English name");
    const kind = TABLE_KIND_OF.get(r.c(TAB.kind));
    if (!kind) p.bad("tables", r.row, TAB.kind, `类型「${r.c(TAB.kind)}」应为 清单、行列表 或 浮动行清单`, `kind '${r.c(TAB.kind)}' should be 清单 (a list of indicators), 行列表 (a grid of rows × columns) or 浮动行清单 (a detail list of rows the unit adds)`);
    const attached = r.c(TAB.attachedTo) === "" ? undefined : codeField(p, "tables", r.row, TAB.attachedTo, r.c(TAB.attachedTo), "所附主表");
    const unitLine = r.c(TAB.unitLine) === "" ? undefined : lineField(p, "tables", r.row, TAB.unitLine, r.c(TAB.unitLine), 60, "计量单位行", "the unit line");
    const notesZh = r.c(TAB.notesZh), notesEn = r.c(TAB.notesEn) || notesZh;
    if (notesZh === "" && r.c(TAB.notesEn) !== "") p.bad("tables", r.row, TAB.notesZh, "有英文说明时，填报说明不能为空", "the notes are required when there are English notes");
    else if (notesZh !== "" && (notesZh.length > 500 || notesEn.length > 500 || !isSheetSafe(notesZh) || !isSheetSafe(notesEn))) p.bad("tables", r.row, TAB.notesZh, "填报说明过长（至多 500 字）或含有控制字符", "the notes are too long (at most 500) or have control characters");
    // what belongs to one kind only
    const sectionsText = r.c(TAB.sections), requiredText = r.c(TAB.required);
    const sections = splitCodes(sectionsText);
    if (kind === "grid" && sectionsText !== "") p.bad("tables", r.row, TAB.sections, "行列表不列分组：它的行和列在「表格行列」中", "a grid lists no sections: its rows and columns are on 表格行列");
    if (kind === "detail" && sectionsText !== "") p.bad("tables", r.row, TAB.sections, "浮动行清单不列分组：它的字段在「清单字段」中", "a detail list lists no sections: its fields are on 清单字段");
    if (kind === "list" && requiredText !== "") p.bad("tables", r.row, TAB.required, "清单表不填必填：每个指标是否必填在「指标」中设置", "a list table has no 必填: each indicator's is set on 指标");
    if (kind === "detail" && requiredText !== "") p.bad("tables", r.row, TAB.required, "浮动行清单不填必填：每个字段是否必填在「清单字段」中设置", "a detail list has no 必填: each field's is set on 清单字段");
    if (kind === "grid" && !YES.has(requiredText) && !NO.has(requiredText)) p.bad("tables", r.row, TAB.required, `必填「${requiredText}」应为 是 或 否`, `required '${requiredText}' should be 是 (yes) or 否 (no)`);
    const yoyText = r.c(TAB.yoy);
    if (!YES.has(yoyText) && !NO.has(yoyText)) p.bad("tables", r.row, TAB.yoy, `同比「${yoyText}」应为 是 或 否`, `year on year '${yoyText}' should be 是 (yes) or 否 (no)`);
    else if (kind === "detail" && YES.has(yoyText)) p.bad("tables", r.row, TAB.yoy, "浮动行清单没有同比列：同比设在清单表或行列表上（规则中可以用它的汇总数与它们比较）", "a detail list has no year-on-year columns: set them on a list table or grid (rules may compare the list's totals with them)");
    const ytdText = r.c(TAB.ytd);
    if (!YES.has(ytdText) && !NO.has(ytdText)) p.bad("tables", r.row, TAB.ytd, `本年累计「${ytdText}」应为 是 或 否`, `year to date '${ytdText}' should be 是 (yes) or 否 (no)`);
    else if (kind === "detail" && YES.has(ytdText)) p.bad("tables", r.row, TAB.ytd, "浮动行清单没有本年累计列：本年累计设在清单表或行列表上", "a detail list has no year-to-date columns: set them on a list table or grid");
    const list = readListCells(r, kind, p);
    if (kind === "list") {
      if (sections.length === 0) p.bad("tables", r.row, TAB.sections, "清单表要在「列出的分组」中填分组代码（用；分隔）", "a list table needs the codes of the sections it lists (separated by ；)");
      else if (sections.length > MAX_SECTIONS) p.bad("tables", r.row, TAB.sections, `一张清单表至多列出 ${MAX_SECTIONS} 个分组`, `a list table lists at most ${MAX_SECTIONS} sections`);
      const unknown = sections.filter((s) => !sectionRow.has(s));
      const twice = sections.filter((s, i) => sections.indexOf(s) !== i || (listedBy.has(s) && listedBy.get(s) !== code));
      if (unknown.length > 0) p.bad("tables", r.row, TAB.sections, `分组${unknown.map((s) => `「${s}」`).join("")}在「分组」表中不存在`, `section${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not on the 分组 sheet`);
      else if (twice.length > 0) p.bad("tables", r.row, TAB.sections, `分组「${twice[0]}」已列在${listedBy.has(twice[0]!) && listedBy.get(twice[0]!) !== code ? `表「${listedBy.get(twice[0]!)}」` : "本表"}中：每个分组只列在一张清单表中`, `section '${twice[0]}' is already listed${listedBy.has(twice[0]!) && listedBy.get(twice[0]!) !== code ? ` by table '${listedBy.get(twice[0]!)}'` : " in this table"}: a section is listed by one list table only`);
      for (const s of sections) if (!listedBy.has(s)) listedBy.set(s, code ?? "");
    }
    if (p.list.length > mark || !code || !formNo || !zh || !en || !kind || (attached === null) || (unitLine === null)) continue;
    const head: TableHead = {
      code, formNo, name: { zh, en }, ...(unitLine ? { unitLine } : {}), ...(notesZh ? { notes: { zh: notesZh, en: notesEn } } : {}), ...(attached ? { attachedTo: attached } : {}),
    };
    read.push({ row: r, head, kind, sections, required: YES.has(requiredText) || requiredText === "", yoy: YES.has(yoyText), ytd: YES.has(ytdText), list });
  }
  if (tableRowsRead.length > MAX_TABLES) p.bad("tables", tableRowsRead[MAX_TABLES]!.row, TAB.code, `一份报表至多 ${MAX_TABLES} 张表`, `a form has at most ${MAX_TABLES} tables`);
  // 所附主表: a table of this form, not itself, and no circle of attachments
  const attachedOf = new Map(read.map((t) => [t.head.code, t.head.attachedTo]));
  for (const t of read) {
    const to = t.head.attachedTo;
    if (to === undefined) continue;
    if (!tableRow.has(to)) { p.bad("tables", t.row.row, TAB.attachedTo, `所附主表「${to}」在「表格」中不存在`, `the main table '${to}' is not on the 表格 sheet`); continue; }
    if (to === t.head.code) { p.bad("tables", t.row.row, TAB.attachedTo, "一张表不能附在它自己后面", "a table cannot be attached to itself"); continue; }
    let at: string | undefined = to;
    for (let i = 0; at !== undefined && i <= read.length; i++) {
      if (at === t.head.code) { p.bad("tables", t.row.row, TAB.attachedTo, `所附主表形成循环（「${t.head.code}」最终附在它自己后面）`, `the attachments go round in a circle ('${t.head.code}' ends up attached to itself)`); break; }
      at = attachedOf.get(at);
    }
  }
  // a table whose own row is wrong is still there: its rows and columns are not refused for it
  const named = new Set(tableRowsRead.map((r) => r.c(TAB.code)));
  // a table's kind as typed, whether or not the rest of its row reads: its fields are checked against it
  const kinds = new Map(tableRowsRead.flatMap((r) => { const k = TABLE_KIND_OF.get(r.c(TAB.kind)); return k ? [[r.c(TAB.code), k] as const] : []; }));
  const { grids, lines } = readLines(linesGrid, new Map(read.map((t) => [t.head.code, t.kind])), named, lineRow, p);
  const fields = readFields(fieldsGrid, kinds, named, fieldRow, p);
  const tables: Table[] = [];
  for (const t of read) {
    if (t.kind === "list") { tables.push({ ...t.head, kind: "list", sections: t.sections, yoy: t.yoy, ...(t.ytd ? { ytd: true } : {}) }); continue; }
    if (t.kind === "detail") {
      const d = t.list ? detailTableOf(t.head, t.row, t.list, fields.get(t.head.code) ?? [], fieldsGrid !== undefined, p) : null;
      if (d) tables.push(d);
      continue;
    }
    const g = grids.get(t.head.code) ?? { rows: [], columns: [], skip: [] };
    const known = lines.get(t.head.code) ?? { rows: [], columns: [] };
    if (known.rows.length === 0) p.bad("tables", t.row.row, TAB.code, `行列表「${t.head.code}」在「表格行列」中没有行（「行/列」填 行）`, `the grid '${t.head.code}' has no rows on 表格行列 (行/列 = 行)`);
    if (known.columns.length === 0) p.bad("tables", t.row.row, TAB.code, `行列表「${t.head.code}」在「表格行列」中没有列（「行/列」填 列）`, `the grid '${t.head.code}' has no columns on 表格行列 (行/列 = 列)`);
    const grid: GridTable = { ...t.head, kind: "grid", rows: g.rows, columns: g.columns, skip: g.skip, required: t.required, ...(t.yoy ? { yoy: true } : {}), ...(t.ytd ? { ytd: true } : {}) };
    tables.push(grid);
  }
  if (p.list.length > before) return null;
  return { tables, rows: { tableRow, lineRow, fieldRow } };
}

interface Line { row: SheetRow; code: string; role: GridRole; of: string }

/** 表格行列 read into each grid's rows, columns and cells that do not apply, by table code. */
function readLines(grid: Grid | undefined, kinds: ReadonlyMap<string, Table["kind"]>, named: ReadonlySet<string>, lineRow: Map<string, number>, p: DesignerProblems): { grids: Map<string, { rows: GridRow[]; columns: GridColumn[]; skip: string[] }>; lines: Map<string, { rows: Line[]; columns: Line[] }> } {
  const out = new Map<string, { rows: GridRow[]; columns: GridColumn[]; skip: string[] }>();
  const lines = new Map<string, { rows: Line[]; columns: Line[] }>();
  const skips: { r: SheetRow; table: string; row: string; columns: string[] }[] = [];
  // a form's grids may have more rows and columns than a template has indicators: every row of the sheet is read
  for (const r of rowsOf(grid ?? [], FIRST, MAX_TABLES * (MAX_ROWS + MAX_COLUMNS))) {
    const mark = p.list.length;
    const table = r.c(LINE.table);
    if (table === "") p.bad("tableLines", r.row, LINE.table, "表代码不能为空：填此行或列所在的行列表的代码", "the table is required: the code of the grid this row or column belongs to");
    else if (!named.has(table)) p.bad("tableLines", r.row, LINE.table, `表代码「${table}」在「表格」中不存在`, `table '${table}' is not on the 表格 sheet`);
    else if (kinds.get(table) === "list") p.bad("tableLines", r.row, LINE.table, `表「${table}」是清单表，没有行和列：它的指标在「指标」中`, `table '${table}' is a list table and has no rows or columns: its indicators are on 指标`);
    else if (kinds.get(table) === "detail") p.bad("tableLines", r.row, LINE.table, `表「${table}」是浮动行清单，没有固定的行和列：它的字段在「清单字段」中`, `table '${table}' is a detail list and has no fixed rows or columns: its fields are on 清单字段`);
    const axis = AXIS_OF.get(r.c(LINE.axis));
    if (!axis) p.bad("tableLines", r.row, LINE.axis, `「${r.c(LINE.axis)}」应为 行 或 列`, `'${r.c(LINE.axis)}' should be 行 (row) or 列 (column)`);
    const code = codeField(p, "tableLines", r.row, LINE.code, r.c(LINE.code), "代码");
    const what = axis === "column" ? "列" : "行";
    if (code && axis && table !== "") {
      const k = lineKey(table, axis, code);
      if (lineRow.has(k)) p.bad("tableLines", r.row, LINE.code, `表「${table}」的${what}代码「${code}」与第 ${lineRow.get(k)! + 1} 行重复`, `table '${table}': ${axis} code '${code}' repeats row ${lineRow.get(k)! + 1}`);
      else lineRow.set(k, r.row);
    }
    const zh = nameField(p, "tableLines", r.row, LINE.nameZh, r.c(LINE.nameZh), 100, "名称", "the name");
    const en = r.c(LINE.nameEn) === "" ? zh : nameField(p, "tableLines", r.row, LINE.nameEn, r.c(LINE.nameEn), 200, "英文名称", "the English name");
    const role = ROLE_OF.get(r.c(LINE.role));
    if (!role) p.bad("tableLines", r.row, LINE.role, `角色「${r.c(LINE.role)}」应为 项目、合计 或 其中`, `role '${r.c(LINE.role)}' should be 项目 (item), 合计 (total) or 其中 (of which)`);
    const of = r.c(LINE.of);
    if (role === "ofWhich" && of === "") p.bad("tableLines", r.row, LINE.of, `「其中」${what}要在「其中所属」填它所属的${what}的代码`, `an of-which ${axis ?? "row"} needs the code of the ${axis ?? "row"} it is part of in 其中所属`);
    if (role && role !== "ofWhich" && of !== "") p.bad("tableLines", r.row, LINE.of, `只有角色为「其中」的${what}才填其中所属`, `only an of-which ${axis ?? "row"} (角色 其中) is part of another`);
    // what belongs to columns only, and what to rows only
    const kindText = r.c(LINE.kind), unitText = r.c(LINE.unit), decText = r.c(LINE.decimals), skipText = r.c(LINE.skip);
    let column: Pick<GridColumn, "kind" | "unit" | "decimals" | "min" | "max"> | null = null;
    if (axis === "row") {
      for (const [col, w, wEn] of [[LINE.kind, "类型", "kind"], [LINE.unit, "计量单位", "unit"], [LINE.decimals, "小数位", "decimals"], [LINE.min, "最小", "min"], [LINE.max, "最大", "max"]] as const) if (r.c(col) !== "") p.bad("tableLines", r.row, col, `行不填${w}：${w}是列的（每列的单元格同一类型和单位）`, `a row has no ${wEn}: the ${wEn} belongs to the columns (every cell of a column alike)`);
    } else if (axis === "column") {
      if (skipText !== "") p.bad("tableLines", r.row, LINE.skip, "列不填「不适用的列」：在不适用的行上填此列的代码", "a column has no 不适用的列: list this column's code on the rows where it does not apply");
      const fields = columnFields(r, kindText, unitText, decText, p);
      const bounds = columnBounds(r, fields?.decimals ?? 0, p);
      column = fields && bounds ? { ...fields, ...bounds } : null;
    }
    // a row or column whose code reads is known to the grid's checks below even if another of its cells is wrong
    if (code && axis && table !== "") {
      const byAxis = lines.get(table) ?? { rows: [], columns: [] };
      lines.set(table, byAxis);
      byAxis[axis === "row" ? "rows" : "columns"].push({ row: r, code, role: role ?? "item", of });
      if (axis === "row" && splitCodes(skipText).length > 0) skips.push({ r, table, row: code, columns: splitCodes(skipText) });
    }
    if (p.list.length > mark || !code || !zh || !en || !role || !axis) continue;
    const entry = out.get(table) ?? { rows: [], columns: [], skip: [] };
    out.set(table, entry);
    const ofPart = role === "ofWhich" ? { of } : {};
    if (axis === "row") entry.rows.push({ code, name: { zh, en }, role, ...ofPart });
    else entry.columns.push({ code, name: { zh, en }, ...column!, role, ...ofPart });
  }
  // each grid's own shape, on the cell that breaks it
  for (const [table, { rows, columns }] of lines) {
    for (const [list, axis, what, max] of [[rows, "row", "行", MAX_ROWS], [columns, "column", "列", MAX_COLUMNS]] as const) {
      if (list.length > max) p.bad("tableLines", list[max]!.row.row, LINE.code, `表「${table}」至多 ${max} ${what}`, `table '${table}' has at most ${max} ${axis}s`);
      const totals = list.filter((x) => x.role === "total");
      if (totals.length > 1) p.bad("tableLines", totals[1]!.row.row, LINE.role, `表「${table}」只能有一个合计${what}（已有第 ${totals[0]!.row.row + 1} 行）`, `table '${table}' can have one total ${axis} at most (row ${totals[0]!.row.row + 1} is one)`);
      if (totals.length > 0 && !list.some((x) => x.role === "item")) p.bad("tableLines", totals[0]!.row.row, LINE.role, `表「${table}」的合计${what}没有可以合计的${what}（角色为「项目」的${what}）`, `table '${table}': the total ${axis} has no item ${axis}s (角色 项目) to add up`);
      for (const x of list) {
        if (x.role !== "ofWhich") continue;
        if (x.of === x.code) p.bad("tableLines", x.row.row, LINE.of, `「其中」${what}不能是它自己的一部分`, `an of-which ${axis} cannot be part of itself`);
        else if (!list.some((y) => y.code === x.of)) p.bad("tableLines", x.row.row, LINE.of, `其中所属「${x.of}」不是表「${table}」的${what}代码`, `'${x.of}' is not a ${axis} code of table '${table}'`);
      }
    }
  }
  // 不适用的列: columns of the same grid; cells listed in the rows' order, each once
  for (const s of skips) {
    const cols = new Set((lines.get(s.table)?.columns ?? []).map((c) => c.code));
    const unknown = s.columns.filter((c) => !cols.has(c));
    if (unknown.length > 0) { p.bad("tableLines", s.r.row, LINE.skip, `不适用的列${unknown.map((c) => `「${c}」`).join("")}不是表「${s.table}」的列代码`, `${unknown.join(", ")} ${unknown.length > 1 ? "are not column codes" : "is not a column code"} of table '${s.table}'`); continue; }
    out.get(s.table)?.skip.push(...[...new Set(s.columns)].map((c) => `${s.row}:${c}`));
  }
  return { grids: out, lines };
}

/** A column's kind, unit and decimals, each checked on its cell. */
function columnFields(r: SheetRow, kindText: string, unitText: string, decText: string, p: DesignerProblems): Pick<GridColumn, "kind" | "unit" | "decimals"> | null {
  const kind = COLUMN_KIND_OF.get(kindText);
  if (!kind) p.bad("tableLines", r.row, LINE.kind, kindText === "" ? "列要填类型：计数 或 金额" : `列的类型「${kindText}」应为 计数 或 金额`, kindText === "" ? "a column needs a kind: 计数 (count) or 金额 (amount)" : `column kind '${kindText}' should be 计数 (count) or 金额 (amount)`);
  const unit = unitText === "" ? undefined : MeasureUnitSchema.safeParse(unitText);
  if (unit && !unit.success) p.bad("tableLines", r.row, LINE.unit, `计量单位「${unitText}」不能用：至多 12 个字，不含首尾空格和不可见字符（常用：${COMMON_UNITS.join("、")}）`, `unit '${unitText}' cannot be used: at most 12 characters, no leading or trailing spaces or invisible characters (common: ${COMMON_UNITS.join(", ")})`);
  if (kind === "amount" && !unit) p.bad("tableLines", r.row, LINE.unit, "金额列必须有计量单位（如 万元、万吨）", "an amount column needs a unit (such as 万元 or 万吨)");
  const decimals = decText === "" ? 0 : /^\d$/.test(decText) ? Number(decText) : Number.NaN;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) p.bad("tableLines", r.row, LINE.decimals, `小数位「${decText}」应为 0 到 6 的整数`, `decimals '${decText}' should be a whole number from 0 to 6`);
  else if (kind === "count" && decimals !== 0) p.bad("tableLines", r.row, LINE.decimals, "计数列是整数，不填小数位", "a count column holds whole numbers: no decimals");
  if (!kind || (unit && !unit.success)) return null;
  return { kind, ...(unit ? { unit: unit.data } : {}), decimals };
}

/** A column's 最小 and 最大: numbers with no more decimals than the column's, min not above max. */
function columnBounds(r: SheetRow, decimals: number, p: DesignerProblems): Pick<GridColumn, "min" | "max"> | null {
  const out: Pick<GridColumn, "min" | "max"> = {};
  for (const [key, col, zh] of [["min", LINE.min, "最小"], ["max", LINE.max, "最大"]] as const) {
    const v = r.c(col);
    if (v === "") continue;
    if (!/^-?\d+(\.\d+)?$/.test(v)) { p.bad("tableLines", r.row, col, `${zh}「${v}」不是数字`, `${key} '${v}' is not a number`); return null; }
    if ((v.split(".")[1]?.length ?? 0) > decimals) { p.bad("tableLines", r.row, col, `${zh}「${v}」超过列的 ${decimals} 位小数`, `${key} '${v}' has more decimals than the column's ${decimals}`); return null; }
    if (!withinScaledBound(X.parseExact(v)!, decimals)) {
      const limit = X.toDecimalText({ n: SCALED_BOUND, d: 10n ** BigInt(decimals) });
      p.bad("tableLines", r.row, col, `${zh}「${v}」超出系统支持的范围（${decimals} 位小数时绝对值不超过 ${limit}）`, `${key} '${v}' is beyond the supported range (at most ${limit} in magnitude with ${decimals} decimals)`);
      return null;
    }
    out[key] = v;
  }
  if (out.min !== undefined && out.max !== undefined && X.compare(X.parseExact(out.min)!, X.parseExact(out.max)!) > 0) { p.bad("tableLines", r.row, LINE.min, `最小「${out.min}」大于最大「${out.max}」`, `min '${out.min}' is above max '${out.max}'`); return null; }
  return out;
}
