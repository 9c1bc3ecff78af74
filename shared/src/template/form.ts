// A template's form as tables (issue 23), and its grids expanded into the indicators every other part
// already knows: each grid cell is an indicator of its column's kind (code table_row_column), a total
// row or column is a derived cell (Σ of the item rows or columns), and each 其中 cell gets a rule that
// it is not above the cell it is part of. Validation, storage, totals, the CSV and the integrity check
// work on the expanded template unchanged; layouts read the grid back from `gridCells`.
import { DETAIL_CELLS_LIMIT, type DetailTable, type Form, type GridColumn, type GridRow, type GridTable, type ListTable, type Table } from "../schemas/form";
import { detailTableIssues } from "../detail/schema";
import type { Indicator, Rule, Section, Template } from "../schemas/template";
import { CodeSchema } from "../schemas/text";
import type { TemplateIssue } from "./template-issue";
import { FILL_FIXED_ROWS, FILL_MAX_ROWS } from "../layout/fill-rows";

/** Where a grid cell's indicator sits: its table, row and column. */
export interface GridCellRef {
  table: string;
  row: string;
  column: string;
}

/** The form a template is drawn as: its own, or one list table of all its sections (every template before forms). */
export function formOf(template: Pick<Template, "name" | "sections" | "form">): Form {
  return template.form ?? { tables: [{ kind: "list", code: "main", formNo: "", name: template.name, sections: template.sections.map((s) => s.code), yoy: false }] };
}

/** The codes of x's 同比 columns (issue 24): 上年同期, 同比增减, 同比增长 %. */
export const yoyCodes = (code: string): { ly: string; yoy: string; yoyp: string } => ({ ly: `${code}_ly`, yoy: `${code}_yoy`, yoyp: `${code}_yoyp` });

/** The code of x's 本年累计 column (issue 24). */
export const ytdCode = (code: string): string => `${code}_ytd`;

/** An indicator a list table's 同比 or 累计 columns generate (replaced, never kept, when a template is expanded again). */
export const isYoyGenerated = (i: Indicator): boolean =>
  ((i.kind === "count" || i.kind === "amount") && (i.lastYearOf !== undefined || i.cumulativeOf !== undefined)) || (i.kind === "derived" && i.likeWithLike === true);

/** A name with a suffix; a name at its 500 characters keeps its suffix (the start of the name is what tells it apart). */
const suffixed = (x: Indicator, zh: string, en: string) => ({ zh: `${x.name.zh.slice(0, 500 - zh.length)}${zh}`, en: `${x.name.en.slice(0, 500 - en.length)}${en}` });

/** x_ytd 本年累计: an input of x's kind, unit, decimals and lower bound (a sum of figures within x's bounds is not within its upper one), never required. */
function ytdIndicator(x: Extract<Indicator, { kind: "count" | "amount" }>): Extract<Indicator, { kind: "count" | "amount" }> {
  const common = { section: x.section, required: false, code: ytdCode(x.code), name: suffixed(x, "（本年累计）", " (year to date)"), ...(x.min !== undefined ? { min: x.min } : {}), cumulativeOf: x.code };
  return x.kind === "count" ? { ...common, kind: "count", ...(x.unit !== undefined ? { unit: x.unit } : {}) } : { ...common, kind: "amount", unit: x.unit, decimals: x.decimals };
}

/**
 * A count or amount x of a list table with 同比 columns, followed by x_ly (上年同期: an input of x's kind,
 * unit, decimals and bounds, never required, marked lastYearOf x), x_yoy (同比增减 = x − x_ly) and x_yoyp
 * (同比增长 % = (x − x_ly) / x_ly × 100); both derived ones are like with like in the totals.
 */
function yoyIndicators(x: Extract<Indicator, { kind: "count" | "amount" }>): Indicator[] {
  const c = yoyCodes(x.code);
  const bounds = { ...(x.min !== undefined ? { min: x.min } : {}), ...(x.max !== undefined ? { max: x.max } : {}) };
  const unit = x.unit !== undefined ? { unit: x.unit } : {};
  const common = { section: x.section, required: false };
  const named = (zh: string, en: string) => suffixed(x, zh, en);
  const ly: Indicator = x.kind === "count"
    ? { ...common, code: c.ly, kind: "count", name: named("（上年同期）", " (same period last year)"), ...unit, ...bounds, lastYearOf: x.code }
    : { ...common, code: c.ly, kind: "amount", name: named("（上年同期）", " (same period last year)"), unit: x.unit, decimals: x.decimals, ...bounds, lastYearOf: x.code };
  return [
    ly,
    { ...common, code: c.yoy, kind: "derived", name: named("同比增减", ": change on same period last year"), formula: `${x.code} - ${c.ly}`, ...unit, decimals: x.kind === "amount" ? x.decimals : 0, likeWithLike: true },
    { ...common, code: c.yoyp, kind: "derived", name: named("同比增长", ": growth on same period last year"), formula: `(${x.code} - ${c.ly}) / ABS(${c.ly}) * 100`, unit: "%", decimals: 1, likeWithLike: true },
  ];
}

/** A grid cell's indicator code. */
export const gridCellCode = (table: string, row: string, column: string): string => `${table}_${row}_${column}`;

/** A column a grid's 同比 generates (上年同期 or 同比增长 %): replaced, never kept, when a template is expanded again. */
export const isTimeColumn = (c: Pick<GridColumn, "role">): boolean => c.role === "lastYear" || c.role === "growth" || c.role === "cumulative";

/** The columns of a grid as its designer gave them (without the time columns it generates). */
export const ownColumns = (g: GridTable): GridColumn[] => g.columns.filter((c) => !isTimeColumn(c));

/**
 * A grid with its time columns (issue 24): with 同比, each column c followed by c_ly 上年同期 (c's kind, unit,
 * decimals and bounds) and c_yp 同比增长 % — as statistical tables print 本期 | 上年同期 | 增长%; with 本年累计,
 * by c_ytd 1–N月累计 (and, with both, its own c_ytd_ly and c_ytd_yp). Idempotent: the columns of a grid
 * expanded before are replaced; a grid without them has none.
 */
export function withTimeColumns(g: GridTable): GridTable {
  // a grid without time columns is as given (one listed by hand there is refused on it, never dropped)
  if (g.yoy !== true && g.ytd !== true) return g;
  const own = ownColumns(g);
  const bounds = (c: GridColumn) => ({ ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}) });
  const unit = (c: GridColumn) => (c.unit !== undefined ? { unit: c.unit } : {});
  const yoy = (c: GridColumn): GridColumn[] => (g.yoy !== true ? [] : [
    { code: `${c.code}_ly`, name: { zh: `${c.name.zh}（上年同期）`, en: `${c.name.en} (same period last year)` }, kind: c.kind, ...unit(c), decimals: c.decimals, ...bounds(c), role: "lastYear", of: c.code },
    { code: `${c.code}_yp`, name: { zh: `${c.name.zh}同比增长`, en: `${c.name.en}: growth on last year` }, kind: "amount", unit: "%", decimals: 1, role: "growth", of: c.code },
  ]);
  const columns = own.flatMap((c): GridColumn[] => {
    const ytd: GridColumn | null = g.ytd !== true ? null
      : { code: `${c.code}_ytd`, name: { zh: `${c.name.zh}（本年累计）`, en: `${c.name.en} (year to date)` }, kind: c.kind, ...unit(c), decimals: c.decimals, ...(c.min !== undefined ? { min: c.min } : {}), role: "cumulative", of: c.code };
    return [c, ...yoy(c), ...(ytd ? [ytd, ...yoy(ytd)] : [])];
  });
  return { ...g, columns };
}

export interface ExpandedForm {
  template: Template;
  gridCells: ReadonlyMap<string, GridCellRef>;
}

/**
 * The template with every grid's cells, totals and 其中 rules as indicators, sections and rules.
 * Idempotent: indicators already in a grid's section (an expanded template read back) are replaced.
 */
export function expandForm(template: Template): { ok: true; value: ExpandedForm } | { ok: false; issues: TemplateIssue[] } {
  const issues: TemplateIssue[] = [];
  const add = (path: string, zh: string, en: string) => { issues.push({ path, message: { zh, en } }); };
  const form = template.form;
  if (!form) return { ok: true, value: { template, gridCells: new Map() } };
  // a grid with 同比 is expanded with its generated columns first: every reader of the form sees them as columns
  const tables = form.tables.map((t) => (t.kind === "grid" ? withTimeColumns(t) : t));
  const grids = tables.filter((t): t is GridTable => t.kind === "grid");
  const details = tables.filter((t): t is DetailTable => t.kind === "detail");
  // the sections a grid or a detail list owns: its figures are generated from it, never typed
  const gridCodes = new Set([...grids, ...details].map((g) => g.code));
  const tableCodes = new Set<string>();
  for (const t of form.tables) {
    if (tableCodes.has(t.code)) add(`form.tables.${t.code}`, `表代码「${t.code}」重复`, `table code '${t.code}' is used twice`);
    tableCodes.add(t.code);
  }
  const numbers = new Map<string, string>();
  for (const t of form.tables) {
    if (t.formNo === "") continue;
    const seen = numbers.get(t.formNo);
    if (seen !== undefined) add(`form.tables.${t.code}.formNo`, `表号「${t.formNo}」已用于表「${seen}」：每张表的表号不同`, `form number '${t.formNo}' is already table '${seen}''s: each table has its own number`);
    else numbers.set(t.formNo, t.code);
  }
  for (const t of form.tables) {
    if (t.attachedTo !== undefined && (!tableCodes.has(t.attachedTo) || t.attachedTo === t.code)) add(`form.tables.${t.code}.attachedTo`, `表「${t.formNo}」所附的主表「${t.attachedTo}」不存在`, `table '${t.formNo}' is attached to '${t.attachedTo}', which is not a table of this form`);
  }
  // list tables: every section with indicators in exactly one of them; grids own their generated section
  const listed = new Map<string, string>();
  const sectionCodes = new Set(template.sections.map((s) => s.code));
  for (const t of form.tables) {
    if (t.kind !== "list") continue;
    for (const s of t.sections) {
      if (!sectionCodes.has(s) || gridCodes.has(s)) add(`form.tables.${t.code}.sections`, `表「${t.formNo || t.name.zh}」列出的分组「${s}」不存在`, `table '${t.formNo || t.name.en}' lists section '${s}', which does not exist`);
      else if (listed.has(s)) add(`form.tables.${t.code}.sections`, `分组「${s}」同时列在表「${listed.get(s)}」和「${t.code}」中`, `section '${s}' is listed by both '${listed.get(s)}' and '${t.code}'`);
      else listed.set(s, t.code);
    }
  }
  // a list table's 同比 columns are generated after each of its counts and amounts: those of an expanded
  // template read back are replaced (expansion is idempotent), as a grid's cells are
  const typed = template.indicators.filter((i) => !gridCodes.has(i.section) && !(listed.has(i.section) && isYoyGenerated(i)));
  for (const i of typed) {
    if (!listed.has(i.section) && sectionCodes.has(i.section)) add(`indicators.${i.code}`, `指标「${i.code}」所在的分组「${i.section}」不在任何一张表中`, `indicator '${i.code}' is in section '${i.section}', which no table lists`);
  }
  const timeTables = new Map(form.tables.filter((t): t is ListTable => t.kind === "list" && (t.yoy || t.ytd === true)).flatMap((t) => t.sections.map((s) => [s, t] as const)));
  for (const t of form.tables) {
    if (t.kind !== "detail" && t.ytd === true && template.periodType === "annual") add(`form.tables.${t.code}.ytd`, `表「${t.formNo || t.name.zh}」设置了本年累计列，但年报没有本年累计：请用于月报、季报或半年报`, `table '${t.formNo || t.name.en}' has year-to-date columns, which an annual report does not have: use them in a monthly, quarterly or half-yearly one`);
  }
  const typedCodes = new Set(typed.map((i) => i.code));
  const own: Indicator[] = [];
  const timeRules: Rule[] = [];
  for (const i of typed) {
    own.push(i);
    const t = timeTables.get(i.section);
    if (!t || (i.kind !== "count" && i.kind !== "amount")) continue;
    // x, its 同比 columns; then x_ytd 本年累计 and its own 同比 columns (累计同比)
    const ytd = t.ytd === true && template.periodType !== "annual" ? ytdIndicator(i) : null;
    const more = [...(t.yoy ? yoyIndicators(i) : []), ...(ytd ? [ytd, ...(t.yoy ? yoyIndicators(ytd) : [])] : [])];
    const where = t.formNo || t.name.zh;
    const bad = more.find((m) => !CodeSchema.safeParse(m.code).success);
    const taken = more.find((m) => typedCodes.has(m.code));
    if (bad) add(`form.tables.${t.code}`, `表「${where}」的同比或累计列代码「${bad.code}」超过 40 个字符：请把指标「${i.code}」的代码改短`, `table '${where}': the generated column code '${bad.code}' is longer than 40 characters; shorten indicator '${i.code}''s code`);
    else if (taken) add(`form.tables.${t.code}`, `表「${where}」的同比或累计列代码「${taken.code}」与指标代码重复：请给该指标换一个代码`, `table '${where}': the generated column code '${taken.code}' is also an indicator's code; give that indicator another code`);
    else {
      own.push(...more);
      // a 累计 of figures that are never negative (no lower bound is 0) is never below this period's
      if (ytd && !String(i.min ?? "0").startsWith("-")) {
        const ruleCode = `${ytd.code}_ge`.length <= 40 ? `${ytd.code}_ge` : `ytd_ge_${timeRules.length + 1}`;
        timeRules.push({ code: ruleCode, expr: `${ytd.code} >= ${i.code}`, severity: "error", message: { zh: `「${ytd.name.zh}」不应小于本期的「${i.name.zh}」`, en: `'${ytd.name.en}' should not be below this period's '${i.name.en}'` } });
      }
    }
  }
  const ownCodes = new Set(own.map((i) => i.code));
  const generated: Indicator[] = [];
  const rules: Rule[] = [...timeRules];
  const sections: Section[] = [];
  const gridCells = new Map<string, GridCellRef>();
  for (const g of grids) {
    const path = `form.tables.${g.code}`;
    const before = issues.length;
    checkGrid(g, path, add);
    if (issues.length > before) continue;
    sections.push({ code: g.code, name: g.name });
    const skip = new Set(g.skip);
    const has = (r: GridRow, c: GridColumn) => !skip.has(`${r.code}:${c.code}`);
    const itemRows = g.rows.filter((r) => r.role === "item");
    const itemCols = g.columns.filter((c) => c.role === "item");
    const code = (r: GridRow, c: GridColumn) => gridCellCode(g.code, r.code, c.code);
    // which cells exist: a total exists where at least one of its parts does
    const exists = new Map<string, boolean>();
    const colOf = new Map(g.columns.map((c) => [c.code, c]));
    const cellExists = (r: GridRow, c: GridColumn): boolean => {
      // a 上年同期 or 同比 cell is there where the cell of its column is
      if (isTimeColumn(c)) return cellExists(r, colOf.get(c.of!)!);
      const k = code(r, c);
      if (exists.has(k)) return exists.get(k)!;
      // a 其中 cell exists only where the cell it is part of does (a row that skips a column skips it in its 其中 too)
      const ofRow = r.role === "ofWhich" ? g.rows.find((x) => x.code === r.of) : undefined;
      const ofCol = c.role === "ofWhich" ? g.columns.find((x) => x.code === c.of) : undefined;
      const v = !has(r, c) ? false
        : ofRow && ofRow !== r && !cellExists(ofRow, c) ? false
        : ofCol && ofCol !== c && !cellExists(r, ofCol) ? false
        : r.role === "total" ? itemRows.some((x) => cellExists(x, c))
        : c.role === "total" ? itemCols.some((x) => cellExists(r, x))
        : true;
      exists.set(k, v);
      return v;
    };
    for (const r of g.rows) {
      for (const c of g.columns) {
        if (!cellExists(r, c)) continue;
        const k = code(r, c);
        const parsed = CodeSchema.safeParse(k);
        if (!parsed.success) { add(path, `表「${g.formNo}」的单元格代码「${k}」超过 40 个字符：请把表、行或列的代码改短`, `table '${g.formNo}': the cell code '${k}' is longer than 40 characters; shorten the table, row or column code`); continue; }
        if (ownCodes.has(k)) { add(path, `表「${g.formNo}」的单元格代码「${k}」与指标代码重复`, `table '${g.formNo}': the cell code '${k}' is also an indicator's code`); continue; }
        gridCells.set(k, { table: g.code, row: r.code, column: c.code });
        const name = { zh: `${r.name.zh}·${c.name.zh}`, en: `${r.name.en} · ${c.name.en}` };
        const base = { code: k, section: g.code, name, required: false, ...(c.unit ? { unit: c.unit } : {}) };
        if (isTimeColumn(c)) { generated.push(timeCell(g, r, c, base, colOf, itemRows, itemCols, cellExists)); continue; }
        const parts = r.role === "total" ? itemRows.filter((x) => cellExists(x, c)).map((x) => code(x, c))
          : c.role === "total" ? itemCols.filter((x) => cellExists(r, x)).map((x) => code(r, x))
          : null;
        if (parts) {
          // a grid that may be left partly blank totals what was reported (blank only when nothing was);
          // a required one is blank until every part is filled, as any computed figure
          const formula = !g.required ? `SUMREPORTED(${parts.join(", ")})` : parts.length === 1 ? parts[0]! : `SUM(${parts.join(", ")})`;
          generated.push({ ...base, kind: "derived", decimals: c.decimals, formula });
        } else {
          const bounds = { ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}) };
          if (c.kind === "count") generated.push({ ...base, kind: "count", required: g.required, ...bounds });
          else generated.push({ ...base, kind: "amount", unit: c.unit!, decimals: c.decimals, required: g.required, ...bounds });
        }
      }
    }
    // 其中 (of which) is never more than what it is part of
    // a cell 其中 of both its row and its column has a rule for each: _r (within its row's whole), _c (its column's)
    const ofRule = (part: string, whole: string, by: "r" | "c", zh: string, en: string) => {
      if (!gridCells.has(part) || !gridCells.has(whole)) return;
      const code = `${part}_le_${by}`;
      rules.push({ code: code.length <= 40 ? code : `${g.code}_of${rules.length}`, expr: `${part} <= ${whole}`, severity: "error", message: { zh, en } });
    };
    for (const r of g.rows.filter((x) => x.role === "ofWhich")) {
      const of = g.rows.find((x) => x.code === r.of)!;
      // figures and their 上年同期, never a growth rate: a part may grow faster than its whole
      for (const c of g.columns.filter((x) => x.role !== "growth")) ofRule(code(r, c), code(of, c), "r", `${g.formNo}：「${ofWhich(r.name.zh)}」的${c.name.zh}不能大于「${of.name.zh}」的${c.name.zh}`, `${g.formNo}: '${r.name.en}' (of which) cannot exceed '${of.name.en}' in ${c.name.en}`);
    }
    for (const c of g.columns.filter((x) => x.role === "ofWhich")) {
      const of = g.columns.find((x) => x.code === c.of)!;
      for (const r of g.rows) ofRule(code(r, c), code(r, of), "c", `${g.formNo}：${r.name.zh}的「${ofWhich(c.name.zh)}」不能大于「${of.name.zh}」`, `${g.formNo}: in ${r.name.en}, '${c.name.en}' (of which) cannot exceed '${of.name.en}'`);
      // and its 上年同期 and 累计 (and the 累计's 上年同期) not above its whole's, as a 其中 row's
      for (const [suffix, zh, en] of [["_ly", "上年同期", "same period last year"], ["_ytd", "本年累计", "year to date"], ["_ytd_ly", "本年累计上年同期", "year to date last year"]] as const) {
        const [part, whole] = [colOf.get(`${c.code}${suffix}`), colOf.get(`${of.code}${suffix}`)];
        if (!part || !whole || !isTimeColumn(part) || !isTimeColumn(whole)) continue;
        for (const r of g.rows) ofRule(code(r, part), code(r, whole), "c", `${g.formNo}：${r.name.zh}的「${ofWhich(c.name.zh)}」${zh}不能大于「${of.name.zh}」的${zh}`, `${g.formNo}: in ${r.name.en}, '${c.name.en}' (of which) ${en} cannot exceed '${of.name.en}''s`);
      }
    }
  }
  const listCells = details.reduce((s, d) => s + d.fields.length * d.maxRows, 0);
  if (listCells > DETAIL_CELLS_LIMIT) {
    const widest = [...details].sort((a, b) => b.fields.length * b.maxRows - a.fields.length * a.maxRows)[0]!;
    const sizes = details.map((d) => `${d.formNo || d.name.zh} ${d.fields.length} 个字段 × ${d.maxRows} 行`).join("，");
    add(`form.tables.${widest.code}.maxRows`, `清单共 ${listCells.toLocaleString("en-US")} 格（${sizes}），超过一份报表清单的上限 ${DETAIL_CELLS_LIMIT.toLocaleString("en-US")} 格：请减少最多行数或字段（例如 30 个字段最多 2,000 行）`, `the lists hold ${listCells.toLocaleString("en-US")} cells (${details.map((d) => `${d.formNo || d.name.en}: ${d.fields.length} fields × ${d.maxRows} rows`).join(", ")}), more than the ${DETAIL_CELLS_LIMIT.toLocaleString("en-US")} one report's lists may hold: use fewer rows or fields (30 fields take at most 2,000 rows)`);
  }
  for (const d of details) {
    const path = `form.tables.${d.code}`;
    const own = detailTableIssues(d);
    for (const x of own) add(`${path}.${x.path}`, `表「${d.formNo || d.name.zh}」：${x.zh}`, `table '${d.formNo || d.name.en}': ${x.en}`);
    if (own.length > 0) continue;
    const figures = listFigureIndicators(d);
    // two figures of one code: a field whose code makes another figure's (a count field coded `rows`, or
    // level_cn_rows beside a choice level with an option cn), named by the field
    const seenCodes = new Set<string>();
    const twice = figures.find((i) => (seenCodes.has(i.code) ? true : (seenCodes.add(i.code), false)));
    if (twice) {
      const field = d.fields.find((f) => twice.kind !== "derived" && "fromList" in twice && twice.fromList?.field === f.code) ?? d.fields.find((f) => twice.code.endsWith(`_${f.code}`));
      add(`${path}.fields.${field?.code ?? ""}`, `表「${d.formNo || d.name.zh}」的字段代码「${field?.code ?? twice.code}」与自动生成的汇总数「${twice.code}」重名（行数、合计和各选项的汇总数按字段代码生成）：请给该字段换一个代码`, `table '${d.formNo || d.name.en}': field code '${field?.code ?? twice.code}' makes a total named '${twice.code}' twice (rows, sums and each option's totals are named from field codes); give the field another code`);
      continue;
    }
    const bad = figures.find((i) => !CodeSchema.safeParse(i.code).success);
    const taken = figures.find((i) => ownCodes.has(i.code));
    if (bad) { add(path, `表「${d.formNo || d.name.zh}」的汇总数代码「${bad.code}」超过 40 个字符：请把表、字段或选项的代码改短`, `table '${d.formNo || d.name.en}': the total's code '${bad.code}' is longer than 40 characters; shorten the table, field or option code`); continue; }
    if (taken) { add(path, `表「${d.formNo || d.name.zh}」的汇总数代码「${taken.code}」与指标代码重复`, `table '${d.formNo || d.name.en}': the total's code '${taken.code}' is also an indicator's code`); continue; }
    sections.push({ code: d.code, name: d.name });
    generated.push(...figures);
  }
  // a rule the form generates is replaced when read back (expansion is idempotent); a typed rule of
  // that code with another condition would be lost without a word: refused on its row
  const generatedRules = new Map(rules.map((r) => [r.code, r]));
  for (const r of template.rules) {
    const g = generatedRules.get(r.code);
    if (g && g.expr.replace(/\s+/g, "") !== r.expr.replace(/\s+/g, "")) add(`rules.${r.code}`, `规则代码「${r.code}」是表格自动生成的其中规则的代码，请换一个`, `rule code '${r.code}' is the code of a rule the grids generate; choose another`);
  }
  // one report holds at most as many figures as a one-sheet report has rows (what one submission, its
  // validation and its totals are sized for), whatever the tables they are spread over
  const sectionsUsed = new Set([...own, ...generated].map((i) => i.section)).size;
  const cells = own.length + generated.length;
  const limit = FILL_MAX_ROWS - FILL_FIXED_ROWS;
  if (cells + sectionsUsed > limit) {
    const largest = [...grids].sort((a, b) => b.rows.length * b.columns.length - a.rows.length * a.columns.length)[0];
    add(largest ? `form.tables.${largest.code}` : "indicators", `全部表格共 ${cells} 个单元格（含合计）和 ${sectionsUsed} 个分组，超过一份报表的上限（单元格与分组合计 ${limit} 个）：请缩小或拆分表格（例如分成两份报表）`, `the tables hold ${cells} cells (totals included) in ${sectionsUsed} sections, more than one report can hold (${limit} cells and sections in all): make the tables smaller or split them into two reports`);
  }
  if (issues.length > 0) return { ok: false, issues };
  const ruleCodes = new Set(rules.map((r) => r.code));
  return {
    ok: true,
    value: {
      template: {
        ...template,
        form: { ...form, tables },
        sections: [...template.sections.filter((s) => !gridCodes.has(s.code)), ...sections],
        indicators: [...own, ...generated],
        rules: [...template.rules.filter((r) => !ruleCodes.has(r.code)), ...rules],
      },
      gridCells,
    },
  };
}

/** The code of a detail list's figure (issue 25): its rows (`rows`) or a field's sum, over all rows or those where a choice field is an option (or a yes/no field is yes). */
export const listFigureCode = (table: string, what: string, where?: { field: string; equals: string | true }): string =>
  where ? `${table}_${where.field}_${where.equals === true ? "yes" : where.equals}_${what}` : `${table}_${what}`;

/**
 * The figures a detail list generates (issue 25), in its own section: its rows and the sums of its count
 * and amount fields, overall and for each option of each choice field (and the yes of each yes/no field),
 * e.g. brands_rows, brands_output, brands_level_cn_rows, brands_level_cn_output. Computed from the list
 * (detail/figures.ts), never typed; a rule names them to tie the list to the fixed tables.
 */
export function listFigureIndicators(d: DetailTable): Indicator[] {
  const numbers = d.fields.filter((f) => f.type === "count" || f.type === "amount");
  const groups: ({ field: string; equals: string | true; zh: string; en: string } | undefined)[] = [undefined];
  for (const f of d.fields) {
    if (f.type === "choice") for (const o of f.options ?? []) groups.push({ field: f.code, equals: o.code, zh: `${f.name.zh}为${o.name.zh}`, en: `${f.name.en} ${o.name.en}` });
    if (f.type === "yesno") groups.push({ field: f.code, equals: true, zh: `${f.name.zh}为是`, en: `${f.name.en}: yes` });
  }
  const out: Indicator[] = [];
  for (const g of groups) {
    const where = g ? { field: g.field, equals: g.equals } : undefined;
    const of = (zh: string, en: string) => ({ zh: `${d.name.zh}：${g ? `${g.zh}的` : ""}${zh}`.slice(0, 500), en: `${d.name.en}: ${en}${g ? ` (${g.en})` : ""}`.slice(0, 500) });
    const common = { section: d.code, required: false };
    out.push({ ...common, code: listFigureCode(d.code, "rows", where), kind: "count", unit: "行", name: of("行数", "rows"), fromList: { table: d.code, ...(where ? { where } : {}) } });
    for (const f of numbers) {
      // a sum of up to maxRows figures, each within its field's bounds: as far as any figure may go once
      // scaled (SCALED_BOUND, what totals are sized for), below zero only where a row may be
      const places = f.type === "amount" ? f.decimals : 0;
      const widest = places === 0 ? "999999999999999" : `${"9".repeat(15 - places)}.${"9".repeat(places)}`;
      const min = { min: String(f.min ?? "0").startsWith("-") ? `-${widest}` : "0", max: widest };
      const fromList = { table: d.code, field: f.code, ...(where ? { where } : {}) };
      const name = of(`${f.name.zh}合计`, `${f.name.en} in all`);
      const code = listFigureCode(d.code, f.code, where);
      out.push(f.type === "count"
        ? { ...common, code, kind: "count", name, ...(f.unit ? { unit: f.unit } : {}), ...min, fromList }
        : { ...common, code, kind: "amount", name, unit: f.unit!, decimals: f.decimals, ...min, fromList });
    }
  }
  return out;
}

/** "其中：光伏" as the form prints it, whether or not the name says 其中 itself. */
const ofWhich = (name: string) => (/^其中/.test(name) ? name : `其中：${name}`);

/** A grid's own shape: unique codes, one total row and column at most, 其中 of an existing row/column, skips that exist. */
/**
 * A cell of a 同比 column. 上年同期: where the cell of its column is typed, an input of its kind marked as
 * that cell's 上年同期 (filled from last year's approved figure, else typed); where it is a 合计, the same
 * total over the 上年同期 cells, marked as the 合计's. 同比增长 %: (x − x_ly) / |x_ly| × 100, like with like
 * at every level, 合计 cells included.
 */
function timeCell(
  g: GridTable, r: GridRow, c: GridColumn, base: { code: string; section: string; name: { zh: string; en: string }; required: boolean; unit?: string },
  colOf: ReadonlyMap<string, GridColumn>, itemRows: readonly GridRow[], itemCols: readonly GridColumn[], cellExists: (r: GridRow, c: GridColumn) => boolean,
): Indicator {
  const of = colOf.get(c.of!)!;
  base = { ...base, required: false };
  const baseCode = gridCellCode(g.code, r.code, of.code);
  // the column a time column's cells sit beside, and the one it takes its 合计's parts from: a 累计 column's
  // 上年同期 adds the 累计 cells' 上年同期; an item column's 累计 is the column's own (the first) kind of time column
  const suffix = c.role === "lastYear" ? "_ly" : "_ytd";
  const partCode = (row: GridRow, col: GridColumn) => gridCellCode(g.code, row.code, `${col.code}${suffix}`);
  if (c.role === "growth") {
    const ly = gridCellCode(g.code, r.code, `${of.code}_ly`);
    return { ...base, unit: "%", kind: "derived", decimals: 1, formula: `(${baseCode} - ${ly}) / ABS(${ly}) * 100`, likeWithLike: true };
  }
  // the 合计 of a 累计 column's 上年同期: its parts are the item columns' 累计 上年同期 cells (c_ytd_ly)
  const rootOf = (col: GridColumn): GridColumn => (col.role === "cumulative" ? colOf.get(col.of!)! : col);
  const inner = c.role === "lastYear" && of.role === "cumulative" ? "_ytd_ly" : suffix;
  const cellOfPart = (row: GridRow, col: GridColumn) => (inner === suffix ? partCode(row, col) : gridCellCode(g.code, row.code, `${col.code}${inner}`));
  const root = rootOf(of);
  const parts = r.role === "total" ? itemRows.filter((x) => cellExists(x, root)).map((x) => gridCellCode(g.code, x.code, c.code))
    : root.role === "total" ? itemCols.filter((x) => cellExists(r, x)).map((x) => cellOfPart(r, x))
    : null;
  const mark = c.role === "lastYear" ? { lastYearOf: baseCode } : {};
  if (parts) {
    // the 合计 of a time column adds up its parts': a 上年同期 what there was (blank only when none was); a 累计
    // as the grid's own 合计 does (a required grid's is blank until every part is there)
    const sum = c.role === "cumulative" && g.required ? (parts.length === 1 ? parts[0]! : `SUM(${parts.join(", ")})`) : `SUMREPORTED(${parts.join(", ")})`;
    return { ...base, kind: "derived", decimals: c.decimals, formula: sum, ...mark };
  }
  const bounds = { ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}) };
  const ofWhat = c.role === "lastYear" ? mark : { cumulativeOf: baseCode };
  return c.kind === "count" ? { ...base, kind: "count", ...bounds, ...ofWhat } : { ...base, kind: "amount", unit: c.unit!, decimals: c.decimals, ...bounds, ...ofWhat };
}

function checkGrid(g: GridTable, path: string, add: (path: string, zh: string, en: string) => void): void {
  const where = g.formNo || g.name.zh;
  if (g.columns.length > 30) add(`${path}.columns`, `表「${where}」加上自动生成的同比、累计列后共 ${g.columns.length} 列，超过 30 列：请减少列，或不设同比或本年累计`, `table '${where}' has ${g.columns.length} columns with its generated 同比 and 累计 columns, more than 30: use fewer columns, or no 同比 or year to date`);
  for (const [what, list] of [["行", g.rows], ["列", g.columns]] as const) {
    const en = what === "行" ? "row" : "column";
    const codes = new Set<string>();
    for (const x of list) {
      if (codes.has(x.code)) add(`${path}.${en}s.${x.code}`, `表「${where}」的${what}代码「${x.code}」重复`, `table '${where}': ${en} code '${x.code}' is used twice`);
      codes.add(x.code);
    }
    if (list.filter((x) => x.role === "total").length > 1) add(`${path}.${en}s`, `表「${where}」只能有一个合计${what}`, `table '${where}' can have one total ${en} at most`);
    if (list.some((x) => x.role === "total") && !list.some((x) => x.role === "item")) add(`${path}.${en}s`, `表「${where}」的合计${what}没有可以合计的${what}`, `table '${where}': the total ${en} has no item ${en}s to add up`);
    for (const x of list) {
      if (x.role === "ofWhich" && (x.of === undefined || !list.some((y) => y.code === x.of && y.code !== x.code))) add(`${path}.${en}s.${x.code}`, `表「${where}」的「其中：${x.name.zh}」应注明是哪一${what}的其中`, `table '${where}': the of-which ${en} '${x.code}' must name the ${en} it is part of`);
      if (x.role !== "ofWhich" && x.of !== undefined && !isTimeColumn(x)) add(`${path}.${en}s.${x.code}`, `表「${where}」的${what}「${x.code}」不是「其中」，不应注明所属`, `table '${where}': ${en} '${x.code}' is not an of-which ${en}, so it is part of nothing`);
    }
  }
  for (const x of g.columns.filter(isTimeColumn)) {
    if (g.yoy !== true && g.ytd !== true) add(`${path}.columns.${x.code}`, `表「${where}」的列「${x.code}」是同比或本年累计自动生成的列：请在表上设置同比或本年累计，不要自己列出`, `table '${where}': column '${x.code}' is one 同比 or the year to date generates: set them on the table instead of listing it`);
  }
  for (const s of g.skip) {
    const [r, c] = s.split(":");
    const generated = g.columns.find((x) => x.code === c && isTimeColumn(x));
    if (generated) add(`${path}.skip`, `表「${where}」不填的单元格「${s}」在同比自动生成的列上：请写它所属的列（${r}:${generated.of}），其上年同期和同比随之不填`, `table '${where}': the skipped cell '${s}' is in a column 同比 generates; name the column it belongs to (${r}:${generated.of}) and its 同比 cells go with it`);
    else if (!g.rows.some((x) => x.code === r) || !g.columns.some((x) => x.code === c)) add(`${path}.skip`, `表「${where}」不填的单元格「${s}」不存在（写作 行代码:列代码）`, `table '${where}': the skipped cell '${s}' does not exist (write row:column)`);
  }
  // a 合计 column adds its item columns, a 其中 column is part of its whole: one kind and unit of measure
  const measure = (c: GridColumn) => `${c.kind === "count" ? "计数" : "金额"}·${c.unit ?? ""}`;
  const label = (c: GridColumn) => c.unit ?? (c.kind === "count" ? "计数" : "金额");
  const total = g.columns.find((c) => c.role === "total");
  if (total) {
    const parts = g.columns.filter((c) => c.role === "item");
    const units = [...new Set(parts.map(label))];
    if (new Set(parts.map(measure)).size > 1 || (parts[0] && measure(parts[0]) !== measure(total))) add(`${path}.columns.${total.code}`, `表「${where}」的合计列「${total.name.zh}」所加的各列计量单位或类型不同（${[...new Set([label(total), ...units])].join("、")}）：不能相加`, `table '${where}': the total column '${total.name.en}' adds columns of different units or kinds (${[...new Set([label(total), ...units])].join(", ")})`);
  }
  for (const c of g.columns.filter((x) => x.role === "ofWhich")) {
    const whole = g.columns.find((x) => x.code === c.of);
    if (whole && measure(whole) !== measure(c)) add(`${path}.columns.${c.code}`, `表「${where}」的「其中」列「${c.name.zh}」与所属列「${whole.name.zh}」的计量单位或类型不同（${label(c)}、${label(whole)}）`, `table '${where}': the of-which column '${c.name.en}' is not in the unit and kind of '${whole.name.en}' (${label(c)}, ${label(whole)})`);
  }
  const amountNoUnit = g.columns.filter((c) => c.kind === "amount" && !c.unit);
  for (const c of amountNoUnit) add(`${path}.columns.${c.code}`, `表「${where}」的金额列「${c.name.zh}」必须有计量单位`, `table '${where}': the amount column '${c.name.en}' needs a unit`);
}

/** The tables of a form in print order: each main table followed by those attached to it. */
export function tablesInOrder(form: Form): Table[] {
  const attached = (code: string) => form.tables.filter((t) => t.attachedTo === code);
  const out: Table[] = [];
  const visit = (t: Table, depth: number) => { if (out.includes(t) || depth > 30) return; out.push(t); for (const a of attached(t.code)) visit(a, depth + 1); };
  for (const t of form.tables) if (t.attachedTo === undefined) visit(t, 0);
  for (const t of form.tables) if (!out.includes(t)) out.push(t);
  return out;
}

/**
 * The legal face as a statistical form prints it at its top right (统计法: 表号, 制定机关, 批准机关,
 * 批准文号, 有效期至), one line each, for the tables on one sheet; "" for a form without one.
 */
export function legalFaceLines(form: Form | undefined, tables?: readonly Table[]): string {
  if (!form) return "";
  const numbers = (tables ?? form.tables).map((t) => t.formNo).filter((n) => n !== "");
  const legal = form.legal;
  const lines = [
    numbers.length > 0 ? `表　　号：${numbers.join("、")}` : "",
    legal ? `制定机关：${legal.maker}` : "",
    legal?.approver ? `批准机关：${legal.approver}` : "",
    legal?.approvalNo ? `批准文号：${legal.approvalNo}` : "",
    legal?.validUntil ? `有效期至：${legal.validUntil}` : "",
  ].filter((l) => l !== "");
  return lines.join("\n");
}

/** The title a section's heading row shows: a grid's or list table's number before its name (质兴2表 主导产业). */
export function sectionHeading(template: Pick<Template, "form">, section: Section, lang: "zh" | "en" = "zh"): string {
  const table = template.form?.tables.find((t) => (t.kind !== "list" ? t.code === section.code : t.sections[0] === section.code));
  if (!table || table.formNo === "") return section.name[lang];
  return table.kind !== "list" || table.name[lang] === section.name[lang] ? `${table.formNo} ${table.name[lang]}` : `${table.formNo} ${table.name[lang]} · ${section.name[lang]}`;
}
