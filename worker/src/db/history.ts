// A unit's approved figures in the other periods its template's rules read (issue 24): PREV, LASTYEAR
// and YTD; and last year's, too, when the template has 上年同期 figures (lastYearOf) to fill from them,
// and this year's earlier periods when it has 本年累计 figures (cumulativeOf).
// One statement, whatever the template: the periods wanted go in as one JSON parameter, each picks the
// unit's approved report in a round of the same template for that period (its issuer's own round
// first, as last period's figures are found), and only those reports' values are read.
import { composePeriod, cumulativePairs, earlierThisYear, subPeriods, lastYearFigures, lastYearPairs, lastYearPeriod, previousPeriod, type CompiledTemplate, type History, type Values } from "@tianbao/shared";

type RoundKey = { template_id: string; owner_unit_id: string; period: string };

/** Whether the template has 上年同期 figures filled from last year (a list table's 同比 columns). */
export const hasLastYearFigures = (compiled: CompiledTemplate): boolean => lastYearPairs(compiled).length > 0;

/** The periods a round's rules and generated figures read, as `readHistoryPeriods` fetches and `historyOf` assembles them. */
function periodsWanted(round: RoundKey, compiled: CompiledTemplate) {
  const needs = compiled.timeRefs;
  const wantsLastYear = needs.has("lastyear") || hasLastYearFigures(compiled);
  const wantsEarlier = needs.has("ytd") || cumulativePairs(compiled).length > 0;
  const prev = needs.has("prev") ? previousPeriod(round.period) : null;
  const lastYear = wantsLastYear ? lastYearPeriod(round.period) : null;
  const earlier = wantsEarlier ? earlierThisYear(round.period) : [];
  // a period coarser than the template's own (a quarter of a monthly report) without a report of its own is
  // made of its parts (issue 24): they are read in the same statement
  const base = compiled.template.periodType;
  const parts = new Map([prev, lastYear, ...earlier].flatMap((p) => (p === null ? [] : [[p, subPeriods(p, base)] as const])).filter(([, x]) => x.length > 0));
  // a quarter of a report with 累计 columns: its own months, to compare its flows with
  const own = wantsEarlier && cumulativePairs(compiled).length > 0 ? subPeriods(round.period, base) : [];
  return { any: needs.size > 0 || wantsLastYear || wantsEarlier, wantsLastYear, wantsEarlier, prev, lastYear, earlier, parts, own };
}

/**
 * The unit's approved values of every period a round's rules and generated figures need (one statement;
 * none when the template reads no other period). `alsoApproved`: a round whose report of the unit counts
 * as approved (an approval being planned, not yet committed).
 */
export async function readHistoryPeriods(db: D1Database, round: RoundKey, unitId: string, compiled: CompiledTemplate, alsoApproved: string | null = null): Promise<Map<string, Values>> {
  const w = periodsWanted(round, compiled);
  if (!w.any) return new Map();
  return readApprovedPeriods(db, round, unitId, [w.prev, w.lastYear, ...w.earlier, ...[...w.parts.values()].flat(), ...w.own], alsoApproved);
}

/**
 * The history a round's report is checked and filled with, from the approved periods read (pure).
 * `overrides`: periods whose approved figures are about to change in the same batch (an approval's
 * follow-ups), taken instead of what is stored.
 */
export function historyOf(round: RoundKey, compiled: CompiledTemplate, read: ReadonlyMap<string, Values>, overrides: ReadonlyMap<string, Values> = new Map()): History {
  const w = periodsWanted(round, compiled);
  if (!w.any) return {};
  const byPeriod = new Map(read);
  for (const [p, v] of overrides) byPeriod.set(p, v);
  for (const [p, subs] of w.parts) {
    if (!byPeriod.has(p) && subs.every((x) => byPeriod.has(x))) byPeriod.set(p, composePeriod(compiled, subs.map((x) => byPeriod.get(x)!)));
  }
  const of = (p: string | null): Values | null => (p === null ? null : byPeriod.get(p) ?? null);
  const needs = compiled.timeRefs;
  return {
    ...(needs.has("prev") ? { prev: of(w.prev) } : {}),
    ...(w.wantsLastYear ? { lastYear: of(w.lastYear) } : {}),
    // the year to date needs every earlier period of the year: one missing leaves it blank
    ...(w.wantsEarlier ? w.earlier.every((p) => byPeriod.has(p)) ? { earlier: w.earlier.map((p) => byPeriod.get(p)!) } : { earlier: null, earlierFound: w.earlier.flatMap((p) => (byPeriod.has(p) ? [byPeriod.get(p)!] : [])) } : {}),
    ...(w.prev !== null && w.prev.slice(0, 4) !== round.period.slice(0, 4) ? { prevInLastYear: true } : {}),
    ...(w.own.length > 0 && w.own.every((p) => byPeriod.has(p)) ? { parts: composePeriod(compiled, w.own.map((p) => byPeriod.get(p)!)) } : {}),
  };
}

/**
 * The unit's approved figures of the periods a round's rules and generated figures need, in one statement.
 * `alsoApproved`: a round whose report of the unit counts as approved (an approval being planned).
 */
export async function readHistory(db: D1Database, round: RoundKey, unitId: string, compiled: CompiledTemplate, alsoApproved: string | null = null): Promise<History> {
  return historyOf(round, compiled, await readHistoryPeriods(db, round, unitId, compiled, alsoApproved));
}

/** The unit's approved 上年同期 figures for a round (one statement; none for a template without them). */
export async function readLastYearFigures(db: D1Database, round: RoundKey, unitId: string, compiled: CompiledTemplate): Promise<Values> {
  if (!hasLastYearFigures(compiled)) return {};
  const period = lastYearPeriod(round.period);
  if (period === null) return {};
  return lastYearFigures(compiled, (await readApprovedPeriods(db, round, unitId, [period])).get(period));
}

/** The unit's approved values in each period asked for (same template; the issuer's own round first), in one statement. */
async function readApprovedPeriods(db: D1Database, round: RoundKey, unitId: string, periods: readonly (string | null)[], alsoApproved: string | null = null): Promise<Map<string, Values>> {
  const wanted = [...new Set(periods.filter((p): p is string => p !== null))];
  const byPeriod = new Map<string, Values>();
  if (wanted.length === 0) return byPeriod;
  const { results } = await db.prepare(
    `WITH picked AS (
       SELECT w.value AS period,
         (SELECT r.id FROM rounds r CROSS JOIN submissions s ON s.round_id = r.id AND s.unit_id = ?1 AND (s.state = 'approved' OR r.id = ?5)
          WHERE r.template_id = ?2 AND r.period = w.value ORDER BY r.owner_unit_id = ?3 DESC, r.created_at DESC LIMIT 1) AS round_id
       FROM json_each(?4) w)
     SELECT p.period, cv.indicator, cv.value FROM picked p JOIN current_values cv ON cv.round_id = p.round_id AND cv.unit_id = ?1`,
  ).bind(unitId, round.template_id, round.owner_unit_id, JSON.stringify(wanted), alsoApproved).all<{ period: string; indicator: string; value: string }>();
  for (const r of results) {
    const values = byPeriod.get(r.period) ?? {};
    values[r.indicator] = JSON.parse(r.value) as Values[string];
    byPeriod.set(r.period, values);
  }
  return byPeriod;
}
