import { Exact as X, derivedValues, exactDecimalText, medianExact, totalsFromCounters, type CompiledTemplate, type ReviewContext, type Values } from "@tianbao/shared";
import { findPreviousRound, findPreviousRoundOf, type RoundRow } from "../db/rounds";
import { listRevisions, readSiblingValues, readStandingValues } from "../db/submissions";
import { loadCompiled } from "../db/templates";
import { readTotals } from "../db/totals";
import { findLevel, type LevelRow } from "../db/levels";
import { readLevelView, readSubmissionView } from "./view";

/** The kinds a median and a total value are given for: the numeric ones. */
const NUMERIC = new Set(["count", "amount", "derived"]);

/**
 * What a reviewer sees beside one report: the report; the same unit's standing figures in the
 * previous period's round (with its derived values, only where the indicator kept its kind); its
 * parent's standing totals in this round and the exact median of the parent's children that have
 * reported; and every revision with who and when. Reads are bounded by the unit, its parent's
 * counters and its siblings — never the whole round.
 */
export async function readReviewContext(db: D1Database, compiled: CompiledTemplate, round: RoundRow, unitId: string, level: LevelRow | null = null): Promise<ReviewContext> {
  const [submission, revisions, prev, parent] = await Promise.all([
    level ? readLevelView(db, compiled, level) : readSubmissionView(db, compiled, round.id, unitId),
    listRevisions(db, round.id, unitId),
    level ? findPreviousRound(db, round) : findPreviousRoundOf(db, round, unitId),
    db.prepare("SELECT p.id, p.name_zh, p.name_en FROM units u JOIN units p ON p.id = u.parent_id WHERE u.id = ?").bind(unitId).first<{ id: string; name_zh: string; name_en: string }>(),
  ]);
  return {
    submission,
    previous: !prev ? null : level ? await previousLevelOf(db, compiled, prev, unitId) : await previousOf(db, compiled, prev, unitId),
    // a level's siblings are levels too: their median is not given (their figures are totals, not reports)
    parent: parent ? await parentOf(db, compiled, round.id, parent, level === null) : null,
    revisions: revisions.map((r) => ({ revision: r.revision, submittedAt: r.submitted_at, submittedBy: r.submitted_by, submittedByName: r.submitted_by_name })),
  };
}

async function previousOf(
  db: D1Database, compiled: CompiledTemplate, prev: { id: string; period: string; template_id: string; template_version: number }, unitId: string,
): Promise<ReviewContext["previous"]> {
  const [prevCompiled, standing] = await Promise.all([loadCompiled(db, prev.template_id, prev.template_version), readStandingValues(db, prev.id, unitId)]);
  const values: Values = {};
  let derived: Values = {};
  if (prevCompiled && standing) {
    // a figure whose indicator changed kind between the versions is left out rather than shown wrong
    const sameKind = (code: string) => compiled.byCode.get(code)?.kind === prevCompiled.byCode.get(code)?.kind;
    for (const [code, v] of Object.entries(standing)) if (v !== null && sameKind(code)) values[code] = v;
    derived = Object.fromEntries(Object.entries(derivedValues(prevCompiled, standing).values).filter(([code]) => sameKind(code)));
  }
  return { roundId: prev.id, period: prev.period, values, derived };
}

/** The same level's upward submission in the previous period's round, as figures (only where the indicator kept its kind). */
async function previousLevelOf(
  db: D1Database, compiled: CompiledTemplate, prev: { id: string; period: string; template_id: string; template_version: number }, unitId: string,
): Promise<ReviewContext["previous"]> {
  const [prevCompiled, level] = await Promise.all([loadCompiled(db, prev.template_id, prev.template_version), findLevel(db, prev.id, unitId)]);
  if (!prevCompiled || !level || (level.state !== "submitted" && level.state !== "approved")) return { roundId: prev.id, period: prev.period, values: {}, derived: {} };
  const view = await readLevelView(db, prevCompiled, level);
  const sameKind = ([code]: [string, unknown]) => compiled.byCode.get(code)?.kind === prevCompiled.byCode.get(code)?.kind;
  return { roundId: prev.id, period: prev.period, values: Object.fromEntries(Object.entries(view.values).filter(sameKind)), derived: Object.fromEntries(Object.entries(view.derived).filter(sameKind)) };
}

async function parentOf(db: D1Database, compiled: CompiledTemplate, roundId: string, parent: { id: string; name_zh: string; name_en: string }, withMedian: boolean): Promise<ReviewContext["parent"]> {
  const [counters, siblings] = await Promise.all([readTotals(db, roundId, [parent.id], "standing"), withMedian ? readSiblingValues(db, roundId, parent.id) : new Map<string, Values>()]);
  const totals = totalsFromCounters(compiled, counters.get(parent.id)!);
  const totalText: Record<string, string | null> = {};
  // a yes/no total is read as "6/7（85.7%）": the share alone ("100.0") does not say of how many
  const yesNo: Record<string, { yes: number; reported: number }> = {};
  for (const ind of compiled.template.indicators) {
    const t = totals.indicators[ind.code];
    totalText[ind.code] = !t ? null : t.kind === "count" || t.kind === "amount" || t.kind === "derived" ? t.value : t.kind === "yesno" ? t.share : null;
    if (t?.kind === "yesno") yesNo[ind.code] = { yes: t.yes, reported: t.reported };
  }
  // every sibling's figures as exact numbers: inputs as stored, rates as each unit's own report shows them
  const reports = [...siblings.values()].map((values) => ({ values, derived: derivedValues(compiled, values).values }));
  const median: Record<string, string | null> = {};
  for (const ind of compiled.template.indicators) {
    if (!NUMERIC.has(ind.kind)) {
      median[ind.code] = null;
      continue;
    }
    const figures = reports
      .map((r) => (ind.kind === "derived" ? r.derived[ind.code] : r.values[ind.code]))
      .filter((v): v is string | number => v !== null && v !== undefined && typeof v !== "boolean")
      .map((v) => X.parseExact(String(v)))
      .filter((e): e is X.Exact => e !== null);
    const m = medianExact(figures);
    const decimals = ind.kind === "count" ? 0 : "decimals" in ind && typeof ind.decimals === "number" ? ind.decimals : 0;
    median[ind.code] = m && exactDecimalText(m, decimals);
  }
  return { unitId: parent.id, name: { zh: parent.name_zh, en: parent.name_en }, units: totals.units, totals: totalText, median, yesNo };
}
