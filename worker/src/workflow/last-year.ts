// A correction reaches the reports built on it (issue 24). A report's 上年同期 figures are last year's
// approved ones, and its 本年累计 the sum of this year's approved periods so far and its own; both are
// stored with the report so the form shows them and every level's totals stay incremental. When a
// unit's report is approved — first, or again after a reopen and a correction — the unit's reports in
// the same template that take figures from it (the same period next year; the later periods of this
// year; the next period) are worked out again: the figures it fills get a new revision, their derived
// 同比 and the totals with them, in the approval's own batch; and each is checked again against its own
// rules over the periods, so one that now breaks them (a typed 累计 that no longer adds up, a rule over
// the 上年同期) is named for review. A report locked further up (its review level has submitted upward or
// was approved) is left as it is and named; when that level is returned, its reports are brought up.
import {
  addCounters, countersOf, cumulativeFigures, isCoarser, parsePeriod, cumulativePairs, lastYearFigures, lastYearPairs, laterThisYear, nextPeriod, nextYearPeriod, pathIds, validateValues,
  type CompiledTemplate, type History, type Values,
} from "@tianbao/shared";
import type { SessionUser } from "../env";
import { auditStatement } from "../db/audit";
import { historyOf, readHistoryPeriods } from "../db/history";
import { guardLevelOpen } from "../db/levels";
import { insertRevision, readCurrent, readRevisionValues, upsertSubmission } from "../db/submissions";
import { addToTotals } from "../db/totals";
import { loadCompiled } from "../db/templates";
import type { RoundRow } from "../db/rounds";

/**
 * What an approval did to the reports built on it: brought up to it, left because they are locked
 * above, and those that now break their own rules over the periods (to review).
 */
export interface LastYearFollow {
  updated: string[];
  locked: string[];
  review: string[];
}

interface Report {
  id: string;
  template_id: string;
  period: string;
  owner_unit_id: string;
  template_version: number;
  path: string;
  parent_id: string | null;
  parent_is_level: number;
  parent_state: string | null;
}

/** Whether a template version takes figures or checks from other periods at all. */
const usesTime = (c: CompiledTemplate): boolean => c.timeRefs.size > 0 || lastYearPairs(c).length > 0 || cumulativePairs(c).length > 0;

/**
 * The statements that bring the unit's reports built on `round`'s (being approved: its current values)
 * up to it, planned on what was read. One statement finds them (a year's periods at most, a few owners),
 * then each reads its history as a submission would, with this round counted as approved.
 */
export async function lastYearFollowUp(
  db: D1Database, round: RoundRow, unitId: string, user: SessionUser, nowIso: string,
): Promise<{ statements: D1PreparedStatement[]; follow: LastYearFollow }> {
  const follow: LastYearFollow = { updated: [], locked: [], review: [] };
  // the reports that may take figures from this one: the same period next year and the next period; this year's
  // later periods (their 累计); the quarters, half-years and years of this year and the next made of it; and
  // next year's later periods, whose 累计 上年同期 are this year's later 累计 that this approval moves
  const next = nextYearPeriod(round.period);
  const periods = [...new Set([next, nextPeriod(round.period), ...laterThisYear(round.period), ...(next ? laterThisYear(next) : []), ...coarserPeriodsAround(round.period)]
    .filter((p): p is string => p !== null))];
  const { results } = await db.prepare(
    `SELECT r.id, r.template_id, r.period, r.owner_unit_id, r.template_version, u.path, u.parent_id, l.unit_id IS NOT NULL AS parent_is_level, l.state AS parent_state
     FROM rounds r CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = ?1
     JOIN units u ON u.id = ?1 LEFT JOIN round_levels l ON l.round_id = r.id AND l.unit_id = u.parent_id
     WHERE r.template_id = ?2 AND r.period IN (SELECT value FROM json_each(?3)) ORDER BY r.period, r.id`,
  ).bind(unitId, round.template_id, JSON.stringify(periods)).all<Report>();
  // what the approval before this one filled (a correction to blank takes back the figure it put there)
  const before = results.length > 0 ? await previouslyApproved(db, round.id, unitId) : null;
  const statements: D1PreparedStatement[] = [];
  // this year's reports first, each period before the coarser ones made of it, then next year's: a report
  // worked out here is what those after it take, so its new figures stand in for the stored ones
  const overrides = new Map<string, Values>();
  for (const s of [...results].sort(byYearThenFineness)) {
    const target = await loadCompiled(db, round.template_id, s.template_version);
    if (!target || !usesTime(target)) continue;
    const planned = await planRefresh(db, s, target, unitId, user, nowIso, { from: round.id, alsoApproved: round.id, prior: before ? { period: round.period, values: before } : null, overrides });
    if (!planned) continue;
    if (planned.locked) follow.locked.push(s.id);
    else if (planned.statements.length > 0) {
      statements.push(...planned.statements);
      follow.updated.push(s.id);
      if (planned.approved) overrides.set(s.period, planned.next);
    }
    if (planned.broken && !planned.locked) follow.review.push(s.id);
  }
  return { statements, follow };
}

/**
 * A review level returned by its parent (issue 24): its reports that an approval below could not bring
 * up while the level was locked are brought up now, in the return's batch (the level is open by then).
 */
export async function refreshBelowLevel(db: D1Database, round: RoundRow, levelId: string, user: SessionUser, nowIso: string): Promise<D1PreparedStatement[]> {
  const target = await loadCompiled(db, round.template_id, round.template_version);
  if (!target || (lastYearPairs(target).length === 0 && cumulativePairs(target).length === 0)) return [];
  const { results } = await db.prepare(
    `SELECT ?1 AS id, ?6 AS template_id, ?2 AS period, ?3 AS owner_unit_id, ?4 AS template_version, u.path, u.parent_id, 1 AS parent_is_level, NULL AS parent_state, u.id AS unit_id
     FROM units u JOIN submissions s ON s.round_id = ?1 AND s.unit_id = u.id WHERE u.parent_id = ?5`,
  ).bind(round.id, round.period, round.owner_unit_id, round.template_version, levelId, round.template_id).all<Report & { unit_id: string }>();
  const statements: D1PreparedStatement[] = [];
  for (const r of results) {
    const planned = await planRefresh(db, r, target, r.unit_id, user, nowIso, { from: null, alsoApproved: null, prior: null, afterLevelOpens: true });
    if (planned) statements.push(...planned.statements);
  }
  return statements;
}

const RANK: Record<string, number> = { month: 0, quarter: 1, half: 2, annual: 3 };
/** Earlier years first; within a year, finer periods before the coarser ones made of them. */
function byYearThenFineness(a: Report, b: Report): number {
  const [pa, pb] = [parsePeriod(a.period), parsePeriod(b.period)];
  if (!pa || !pb) return a.period.localeCompare(b.period);
  return pa.year - pb.year || RANK[pa.type]! - RANK[pb.type]! || pa.index - pb.index || a.id.localeCompare(b.id);
}

/** Every period of a coarser type than this one's in its year and the next (2025-02 → 2025Q1 … 2026, 2025H1 …). */
function coarserPeriodsAround(period: string): string[] {
  const p = parsePeriod(period);
  if (!p) return [];
  const out: string[] = [];
  for (const year of [p.year, p.year + 1]) {
    if (year > 9999) continue;
    for (const type of ["quarter", "half", "annual"] as const) {
      if (!isCoarser(type, p.type)) continue;
      const y = String(year).padStart(4, "0");
      if (type === "annual") out.push(y);
      else if (type === "half") out.push(`${y}H1`, `${y}H2`);
      else out.push(`${y}Q1`, `${y}Q2`, `${y}Q3`, `${y}Q4`);
    }
  }
  return out;
}

/** The unit's values of the revision approved before the approval now being planned, if there was one. */
async function previouslyApproved(db: D1Database, roundId: string, unitId: string): Promise<Values | null> {
  const r = await db.prepare("SELECT before_revision AS revision FROM audit WHERE round_id = ?1 AND unit_id = ?2 AND action = 'approve' ORDER BY id DESC LIMIT 1")
    .bind(roundId, unitId).first<{ revision: number | null }>();
  return r?.revision ? readRevisionValues(db, roundId, unitId, r.revision) : null;
}

type Current = NonNullable<Awaited<ReturnType<typeof readCurrent>>>;


/**
 * One report worked out again: the figures its history fills (and those the approval before had filled
 * and this one no longer does, taken back to blank), the statements that write them, whether it is
 * locked above, and whether its figures now break its own rules. Null when it has no current report.
 */
async function planRefresh(
  db: D1Database, s: Report, compiled: CompiledTemplate, unitId: string, user: SessionUser, nowIso: string,
  o: { from: string | null; alsoApproved: string | null; prior: { period: string; values: Values } | null; overrides?: ReadonlyMap<string, Values>; afterLevelOpens?: boolean },
): Promise<{ statements: D1PreparedStatement[]; locked: boolean; broken: boolean; approved: boolean; next: Values } | null> {
  const current = await readCurrent(db, s.id, unitId);
  if (!current) return null;
  const read = await readHistoryPeriods(db, s, unitId, compiled, o.alsoApproved);
  const overrides = o.overrides ?? new Map<string, Values>();
  const history = historyOf(s, compiled, read, overrides);
  const fill = (h: History) => ({ ...lastYearFigures(compiled, h.lastYear), ...cumulativeFigures(compiled, current.values, h.earlier) });
  const want = fill(history);
  const changes: Values = {};
  for (const [code, v] of Object.entries(want)) if (current.values[code] !== v) changes[code] = v;
  // what the approval before this one had filled and this one no longer can (a figure corrected to blank) is
  // taken back: the same history with that period as it was approved before
  if (o.prior) {
    const was = fill(historyOf(s, compiled, read, new Map([...overrides, [o.prior.period, o.prior.values]])));
    for (const [code, v] of Object.entries(was)) if (!(code in want) && current.values[code] === v) changes[code] = null;
  }
  const next = Object.fromEntries(Object.entries({ ...current.values, ...changes }).filter(([, v]) => v !== null)) as Values;
  // its own rules over the periods, on the figures it will hold: a failure is named, never written away
  const broken = validateValues(compiled, next, { previous: null, history }).issues.some((i) => i.severity === "error" && i.code === "rule");
  const locked = !o.afterLevelOpens && s.parent_is_level === 1 && (s.parent_state === "submitted" || s.parent_state === "approved");
  const approved = current.row.state === "approved";
  if (locked || Object.keys(changes).length === 0) return { statements: [], locked: locked && (Object.keys(changes).length > 0 || broken), broken, approved, next };
  return { statements: followStatements(db, s, compiled, unitId, current, changes, next, user, o.from, nowIso, !o.afterLevelOpens), locked: false, broken, approved, next };
}

/** One report brought up to the approved figures it takes: a revision of the changed figures, the totals by their difference, the audit entry. */
function followStatements(
  db: D1Database, s: Report, compiled: CompiledTemplate, unitId: string, current: Current, changes: Values, next: Values, user: SessionUser, from: string | null, nowIso: string, guard: boolean,
): D1PreparedStatement[] {
  const row = current.row;
  const revision = row.revision + 1;
  const seq = row.seq + 1;
  const delta = addCounters(countersOf(compiled, next), countersOf(compiled, current.values), -1n);
  const ancestors = pathIds(s.path);
  const parentLevel = s.parent_is_level ? s.parent_id : null;
  // a returned report stands nowhere; a submitted one in the standing totals; an approved one in both,
  // the approved up to its review level when it has one (as its approval added it)
  const totals = row.state === "returned" ? [] : [
    addToTotals(db, s.id, ancestors, "standing", delta),
    ...(row.state === "approved" ? [addToTotals(db, s.id, parentLevel !== null ? [unitId, parentLevel] : ancestors, "approved", delta)] : []),
  ];
  return [
    ...(guard && parentLevel !== null ? [guardLevelOpen(db, s.id, parentLevel)] : []),
    auditStatement(db, { userId: user.id, action: "follow_update", roundId: s.id, unitId, beforeRevision: row.revision, afterRevision: revision, seq, detail: { ...(from ? { from } : {}), indicators: Object.keys(changes) } }, nowIso),
    ...insertRevision(db, s.id, unitId, revision, changes, current.comments, user.id, nowIso, current.signature),
    upsertSubmission(db, { roundId: s.id, unitId, state: row.state, revision, seq, reviewComment: row.review_comment }, nowIso),
    ...totals.filter((t): t is D1PreparedStatement => t !== null),
  ];
}
