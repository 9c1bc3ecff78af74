// A correction of last year reaches this year (issue 24). A report's 上年同期 figures are last year's
// approved ones (submit fills them), stored with the report so the form shows them and every level's
// 同比 stays incremental. When a unit's report is approved — first, or again after a reopen and a
// correction — its next-year reports in the same template that take their 上年同期 from it get a new
// revision with the approved figures, their derived 同比 and the totals with them, in the approval's
// own batch. A next-year report locked further up (its review level has submitted upward or was
// approved) is left as it is and named in the answer: its level has to be returned first, as for any
// change below a level that has submitted.
import { addCounters, countersOf, lastYearFigures, lastYearPairs, nextYearPeriod, pathIds, type CompiledTemplate, type Values } from "@tianbao/shared";
import type { SessionUser } from "../env";
import { auditStatement } from "../db/audit";
import { guardLevelOpen } from "../db/levels";
import { insertRevision, readCurrent, upsertSubmission } from "../db/submissions";
import { addToTotals } from "../db/totals";
import { loadCompiled } from "../db/templates";
import type { RoundRow } from "../db/rounds";

/** What an approval did to the next year's reports: updated, or left because they are locked above. */
export interface LastYearFollow {
  updated: string[];
  locked: string[];
}

interface Successor {
  id: string;
  template_version: number;
  state: "submitted" | "returned" | "approved";
  /** The round next year's report takes its 上年同期 from once this approval commits. */
  picked: string | null;
  path: string;
  parent_id: string | null;
  parent_is_level: number;
  parent_state: string | null;
}

/**
 * The statements that bring the next year's reports of `unitId` up to the figures being approved in
 * `round` (values of the approved revision), planned on what was read; none when the template has no
 * 上年同期 figures or there is no next-year report. At most a few rounds (one per owner of the same
 * template and period): one statement finds them all, with the round each would take last year from.
 */
export async function lastYearFollowUp(
  db: D1Database, round: RoundRow, compiled: CompiledTemplate, unitId: string, approved: Values, user: SessionUser, nowIso: string,
): Promise<{ statements: D1PreparedStatement[]; follow: LastYearFollow }> {
  const follow: LastYearFollow = { updated: [], locked: [] };
  const next = nextYearPeriod(round.period);
  if (next === null || lastYearPairs(compiled).length === 0) return { statements: [], follow };
  // the pick is readHistory's (the unit's approved report, the next round's issuer's own round first,
  // the latest created), with this round counted as approved: the batch below approves it
  const { results } = await db.prepare(
    `SELECT r.id, r.template_version, s.state, u.path, u.parent_id, l.unit_id IS NOT NULL AS parent_is_level, l.state AS parent_state,
       (SELECT ly.id FROM rounds ly CROSS JOIN submissions ls ON ls.round_id = ly.id AND ls.unit_id = ?1 AND (ls.state = 'approved' OR ly.id = ?4)
        WHERE ly.template_id = ?2 AND ly.period = ?5 ORDER BY ly.owner_unit_id = r.owner_unit_id DESC, ly.created_at DESC LIMIT 1) AS picked
     FROM rounds r CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = ?1
     JOIN units u ON u.id = ?1 LEFT JOIN round_levels l ON l.round_id = r.id AND l.unit_id = u.parent_id
     WHERE r.template_id = ?2 AND r.period = ?3`,
  ).bind(unitId, round.template_id, next, round.id, round.period).all<Successor>();
  const statements: D1PreparedStatement[] = [];
  for (const s of results) {
    if (s.picked !== round.id) continue;
    const target = await loadCompiled(db, round.template_id, s.template_version);
    const current = await readCurrent(db, s.id, unitId);
    if (!target || !current) continue;
    const want = lastYearFigures(target, approved);
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

/** One next-year report brought up to last year's approved figures: a revision of the changed 上年同期, the totals by their difference, the audit entry. */
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
    auditStatement(db, { userId: user.id, action: "last_year_update", roundId: s.id, unitId, beforeRevision: row.revision, afterRevision: revision, seq, detail: { from, indicators: Object.keys(changes) } }, nowIso),
    ...insertRevision(db, s.id, unitId, revision, changes, current.comments, user.id, nowIso, current.signature),
    upsertSubmission(db, { roundId: s.id, unitId, state: row.state, revision, seq, reviewComment: row.review_comment }, nowIso),
    ...totals.filter((t): t is D1PreparedStatement => t !== null),
  ];
}
