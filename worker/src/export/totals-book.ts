import {
  BEIJING_LABEL, LIST_PAGE_MAX, beijingTime, buildCompletenessPlan, buildGridTotalsPlans, buildListPlan, buildNotesPlan, buildTotalsPlan, choicesOf, compareLikeWithLike, detailTables,
  listFigureCode, listSheetRows, pathNamesBelow, periodLabel, totalsAsColumn,
  type ColumnState, type CompiledTemplate, type DetailTable, type NotesUnit, type SheetPlan, type TotalsView, type Values,
} from "@tianbao/shared";
import { readRolledList, type RolledRow } from "../db/lists";
import type { RoundRow } from "../db/rounds";
import { readCountedValues } from "../db/submissions";
import { listUnitsUnder } from "../db/units";
import { readCompleteness } from "../routes/totals";
import { renderWorkbook } from "./xlsx";

export interface TotalsBookInput {
  round: RoundRow;
  compiled: CompiledTemplate;
  unit: { id: string; path: string };
  name: string;
  view: TotalsView;
  basis: "standing" | "approved";
  /** Indicators to chart unit by unit below the totals (the add-in draws the chart; a file keeps the block). */
  chartCodes?: string[];
  /** The cells the detail lists' sheets may take together (LIST_BOOK_CELLS: what a Worker can render); past it a list is cut, said on its sheet. */
  listCells?: number;
}

/** The 说明 each counted report's current revision carries, by unit (the same reports as its figures). */
async function readNotes(db: D1Database, roundId: string, unitIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
  if (unitIds.length === 0) return new Map();
  const { results } = await db.prepare(
    `SELECT s.unit_id, r.comments FROM submissions s
     JOIN revisions r ON r.round_id = s.round_id AND r.unit_id = s.unit_id AND r.revision = s.revision
     WHERE s.round_id = ?1 AND s.unit_id IN (SELECT value FROM json_each(?2))`,
  ).bind(roundId, JSON.stringify(unitIds)).all<{ unit_id: string; comments: string }>();
  return new Map(results.map((r) => [r.unit_id, JSON.parse(r.comments) as Record<string, string>]));
}

/**
 * The aggregate workbook (汇总表): the totals sheet (each unit's column marked with where it
 * stands), each grid in its form, each detail list's rows (issue 25: up to the workbook's share,
 * LIST_BOOK_CELLS), the completeness sheet, and the 说明 sheet — all over the reports the basis counts.
 */
export async function buildTotalsBook(db: D1Database, e: TotalsBookInput): Promise<{ bytes: ArrayBuffer; title: string }> {
  const { plans, title } = await buildTotalsPlans(db, e);
  return { bytes: await renderWorkbook(plans), title };
}

/** The aggregate workbook's sheets as plans: the file's, and what the add-in's 下载汇总 draws into the open workbook. */
export async function buildTotalsPlans(db: D1Database, e: TotalsBookInput): Promise<{ plans: SheetPlan[]; title: string }> {
  const { round, compiled, unit, view, name, basis } = e;
  const [leafValues, completeness, units] = await Promise.all([
    readCountedValues(db, round.id, unit.path, basis), readCompleteness(db, round, unit.path, new Date()), listUnitsUnder(db, unit.path),
  ]);
  const levels = completeness.levels ?? [];
  const stateOf = new Map<string, { state: ColumnState; level: boolean }>([
    ...completeness.units.map((u) => [u.unitId, { state: u.state, level: false }] as const),
    ...levels.map((l) => [l.unitId, { state: l.state, level: true }] as const),
  ]);
  const columns = view.children.map((ch) => {
    const leaf = leafValues.get(ch.unitId);
    const own = !leaf && ch.totals.units > 0;
    return {
      id: ch.unitId, name: ch.name.zh, ...stateOf.get(ch.unitId),
      values: leaf ?? (own ? totalsAsColumn(compiled, ch.totals) : ({} as Values)),
      ...(own ? { choices: choicesOf(ch.totals) } : {}),
    };
  });
  const title = `${name} ${periodLabel(round.period, "zh")} ${compiled.template.name.zh}`;
  const basisZh = basis === "approved" ? "仅含已审核数据（未审核、已退回的单位不计入）" : "含已上报和已审核数据（未审核的单位已标出）";
  // like with like: both periods over the units that reported in both (their standing or approved figures alike)
  const comparison = view.previous ? compareLikeWithLike(compiled, leafValues, await readCountedValues(db, view.previous.roundId, unit.path, basis)) : null;
  const note = `${basisZh}；导出于 ${beijingTime(new Date().toISOString())}（${BEIJING_LABEL}）；合计与比率为实时公式，比率由合计数计算`;
  const totalsPlan = buildTotalsPlan(compiled, { title, note, columns, previous: view.previous?.totals ?? null, comparison, totals: view.totals, ...(e.chartCodes ? { chartCodes: e.chartCodes } : {}) });
  // reported level by level: the units under the unit above them, and a row per level (by city).
  // Units below the unit's children are listed outside their parent's context, so each is named by
  // its path below the unit (晋城市 / 城区; 山西省 / 晋城市 / 城区 at a nation): two cities' 市辖区 differ.
  const byId = new Map(units.map((u) => [u.id, u]));
  const paths = pathNamesBelow(units, unit.id);
  const named = (id: string, plain: string) => paths.get(id) ?? plain;
  const unitNames: Record<string, string> = Object.fromEntries([
    [unit.id, name],
    ...completeness.units.map((u) => [u.unitId, named(u.unitId, u.name.zh)]),
    ...levels.map((l) => [l.unitId, named(l.unitId, l.name.zh)]),
  ]);
  const parentOf = Object.fromEntries(completeness.units.flatMap((u) => { const p = byId.get(u.unitId)?.parentId; return p ? [[u.unitId, p]] : []; }));
  const compPlan = buildCompletenessPlan(completeness, {
    title: `${name} ${periodLabel(round.period, "zh")} 填报完成情况`, unitNames,
    comments: Object.fromEntries(completeness.units.map((u) => [u.unitId, u.reviewComment ?? ""])),
    ...(levels.length > 0 ? { levels, parentOf } : {}),
  });
  const notes = await readNotes(db, round.id, [...leafValues.keys()]);
  // in the order of the completeness sheet (by the unit above when level by level)
  const notesUnits: NotesUnit[] = completeness.units.filter((u) => leafValues.has(u.unitId)).map((u) => ({
    name: unitNames[u.unitId] ?? u.name.zh, comments: notes.get(u.unitId) ?? {}, values: leafValues.get(u.unitId)!,
    ...(levels.length > 0 && parentOf[u.unitId] ? { parent: unitNames[parentOf[u.unitId]!] ?? paths.get(parentOf[u.unitId]!) ?? "" } : {}),
  }));
  const notesPlan = buildNotesPlan(compiled, { title: `${title} 说明`, units: notesUnits });
  // a form's grids in the same form as the units' tables, each cell the total of the units counted
  const valueOf = (code: string): string | null => {
    const t = view.totals.indicators[code];
    return t && (t.kind === "count" || t.kind === "amount" || t.kind === "derived") ? t.value : null;
  };
  const gridPlans = buildGridTotalsPlans(compiled, { title, note: basisZh, valueOf, takenNames: [totalsPlan.name, compPlan.name, notesPlan.name] });
  // each detail list (issue 25): every counted row with its unit (named as on the completeness sheet), after the grids
  const listPlans: SheetPlan[] = [];
  const tables = detailTables(compiled.template);
  for (const t of tables) {
    const { total, rows } = await readListRows(db, round.id, unit.path, t, basis, listSheetRows(t, tables.length, e.listCells));
    const allSums = Object.fromEntries(t.fields.filter((f) => f.type === "count" || f.type === "amount").map((f) => [f.code, valueOf(listFigureCode(t.code, f.code))]));
    listPlans.push(buildListPlan(t, {
      unit: name, period: periodLabel(round.period, "zh"), note: basisZh, total, allSums,
      rows: rows.map((r) => ({ unit: named(r.unit_id, r.name_zh), values: JSON.parse(r.value) as Values })),
      ...(compiled.template.form ? { form: compiled.template.form } : {}),
      takenNames: [totalsPlan.name, compPlan.name, notesPlan.name, ...gridPlans.map((p) => p.name), ...listPlans.map((p) => p.name)],
    }));
  }
  return { plans: [totalsPlan, ...gridPlans, ...listPlans, compPlan, notesPlan], title };
}

/** A list's first `cap` rows over the subtree on the basis, read a page (LIST_PAGE_MAX rows) at a time, and how many it has in all. */
async function readListRows(db: D1Database, roundId: string, path: string, t: DetailTable, basis: "standing" | "approved", cap: number): Promise<{ total: number; rows: RolledRow[] }> {
  const rows: RolledRow[] = [];
  let total = 0;
  do {
    const page = await readRolledList(db, roundId, path, t.code, basis, { offset: rows.length, limit: Math.min(LIST_PAGE_MAX, cap - rows.length) });
    total = page.total;
    rows.push(...page.rows);
    if (page.rows.length === 0) break;
  } while (rows.length < Math.min(total, cap));
  return { total, rows };
}
