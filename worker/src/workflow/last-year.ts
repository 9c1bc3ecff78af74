// A correction reaches the reports built on it (issue 24). A report's 上年同期 figures are last year's
// approved ones, and its 本年累计 the sum of this year's approved periods so far and its own; both are
// stored with the report so the form shows them and every level's totals stay incremental. When a
// unit's report is approved — first, or again after a reopen and a correction — the unit's reports in
// the same template that take figures from it (the same period next year; the later periods of this
// year) get a new revision with the figures worked out again, their derived 同比 and the totals with
// them, in the approval's own batch. One locked further up (its review level has submitted upward or
// was approved) is left as it is and named in the answer: its level has to be returned first, as for
// any change below a level that has submitted.
import { addCounters, countersOf, cumulativeFigures, cumulativePairs, lastYearFigures, lastYearPairs, laterThisYear, nextYearPeriod, pathIds, type CompiledTemplate, type Values } from "@tianbao/shared";
import type { SessionUser } from "../env";
import { auditStatement } from "../db/audit";
import { readHistory } from "../db/history";
import { guardLevelOpen } from "../db/levels";
import { insertRevision, readCurrent, upsertSubmission } from "../db/submissions";
import { addToTotals } from "../db/totals";
import { loadCompiled } from "../db/templates";
import type { RoundRow } from "../db/rounds";

/** What an approval did to the reports that take figures from it: updated, or left because they are locked above. */
export interface LastYearFollow {
  updated: string[];
  locked: string[];
}

interface Successor {
  id: string;
  period: string;
  owner_unit_id: string;
  template_version: number;
  path: string;
  parent_id: string | null;
  parent_is_level: number;
  parent_state: string | null;
}

/**
 * The statements that bring the unit's reports built on `round`'s (being approved, its current values)
 * up to it, planned on what was read; none when the template has neither 上年同期 nor 本年累计 figures or
 * no such report exists. At most a year's periods and a few owners: one statement finds them, then each
 * reads its history as a submission would, with this round counted as approved.
 */
export async function lastYearFollowUp(
  db: D1Database, round: RoundRow, compiled: CompiledTemplate, unitId: string, user: SessionUser, nowIso: string,
): Promise<{ statements: D1PreparedStatement[]; follow: LastYearFollow }> {
  const follow: LastYearFollow = { updated: [], locked: [] };
  const next = lastYearPairs(compiled).length > 0 ? nextYearPeriod(round.period) : null;
  const later = cumulativePairs(compiled).length > 0 ? laterThisYear(round.period) : [];
  const periods = [...(next !== null ? [next] : []), ...later];
  if (periods.length === 0) return { statements: [], follow };
  const { results } = await db.prepare(
    `SELECT r.id, r.period, r.owner_unit_id, r.template_version, u.path, u.parent_id, l.unit_id IS NOT NULL AS parent_is_level, l.state AS parent_state
     FROM rounds r CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = ?1
     JOIN units u ON u.id = ?1 LEFT JOIN round_levels l ON l.round_id = r.id AND l.unit_id = u.parent_id
     WHERE r.template_id = ?2 AND r.period IN (SELECT value FROM json_each(?3)) ORDER BY r.period, r.id`,
  ).bind(unitId, round.template_id, JSON.stringify(periods)).all<Successor>();
  const statements: D1PreparedStatement[] = [];
  for (const s of results) {
    const target = await loadCompiled(db, round.template_id, s.template_version);
    const current = await readCurrent(db, s.id, unitId);
    if (!target || !current) continue;
    const history = await readHistory(db, { template_id: round.template_id, owner_unit_id: s.owner_unit_id, period: s.period }, unitId, target, round.id);
    const want = { ...lastYearFigures(target, history.lastYear), ...cumulativeFigures(target, current.values, history.earlier) };
    const changes: Values = {};
    for (const [code, v] of Object.entries(want)) if (current.values[code] !== v) changes[code] = v;
    if (Object.keys(changes).length === 0) continue;
    const locked = s.parent_is_level && (s.parent_state === "submitted" || s.parent_state === "approved");
    if (locked) { follow.locked.push(s.id); continue; }
    statements.push(...followStatements(db, s, target, unitId, current, changes, user, round.id, nowIso));
    follow.updated.push(s.id);
  }
  return { statements, follow };
}

type Current = NonNullable<Awaited<ReturnType<typeof readCurrent>>>;

/** One report brought up to the approved figures it takes: a revision of the changed figures, the totals by their difference, the audit entry. */
function followStatements(
  db: D1Database, s: Successor, compiled: CompiledTemplate, unitId: string, current: Current, changes: Values, user: SessionUser, from: string, nowIso: string,
): D1PreparedStatement[] {
  const row = current.row;
  const revision = row.revision + 1;
  const seq = row.seq + 1;
  const values = { ...current.values, ...changes };
  const delta = addCounters(countersOf(compiled, values), countersOf(compiled, current.values), -1n);
  const ancestors = pathIds(s.path);
  const parentLevel = s.parent_is_level ? s.parent_id : null;
  // a returned report stands nowhere; a submitted one in the standing totals; an approved one in both,
  // the approved up to its review level when it has one (as its approval added it)
  const totals = row.state === "returned" ? [] : [
    addToTotals(db, s.id, ancestors, "standing", delta),
    ...(row.state === "approved" ? [addToTotals(db, s.id, parentLevel !== null ? [unitId, parentLevel] : ancestors, "approved", delta)] : []),
  ];
  return [
    ...(parentLevel !== null ? [guardLevelOpen(db, s.id, parentLevel)] : []),
    auditStatement(db, { userId: user.id, action: "follow_update", roundId: s.id, unitId, beforeRevision: row.revision, afterRevision: revision, seq, detail: { from, indicators: Object.keys(changes) } }, nowIso),
    ...insertRevision(db, s.id, unitId, revision, changes, current.comments, user.id, nowIso, current.signature),
    upsertSubmission(db, { roundId: s.id, unitId, state: row.state, revision, seq, reviewComment: row.review_comment }, nowIso),
    ...totals.filter((t): t is D1PreparedStatement => t !== null),
  ];
}
