import { INTEGRITY_QUERIES, type IntegritySource, type Row } from "./queries";
import { DEFAULT_LIMITS, runIntegrity, type IntegrityLimits, type IntegrityReport } from "./run";

/** The check's reads through D1 (route, cron, tests). */
export const d1Source = (db: D1Database): IntegritySource => ({
  async batch(queries) {
    const results = await db.batch<Row>(queries.map(({ name, params }) => db.prepare(INTEGRITY_QUERIES[name]).bind(...params)));
    return results.map((r) => r.results);
  },
});

/** One invocation's worth (the route and the cron): continue from `cursor`, stop at the budget. */
export const checkIntegritySlice = (db: D1Database, scopePath: string, now: Date, cursor = "", limits: IntegrityLimits = DEFAULT_LIMITS): Promise<IntegrityReport> =>
  runIntegrity(d1Source(db), scopePath, now, cursor, limits);

/** The whole check, invocation after invocation (tests, and anywhere there is no Worker's limit). */
export async function checkIntegrity(db: D1Database, scopePath: string, now: Date, limits: IntegrityLimits = DEFAULT_LIMITS): Promise<IntegrityReport> {
  const all = await checkIntegritySlice(db, scopePath, now, "", limits);
  while (all.next !== null) {
    const more = await checkIntegritySlice(db, scopePath, now, all.next, limits);
    all.problems.push(...more.problems);
    all.work.push(...more.work);
    all.next = more.next;
    all.complete = more.complete;
  }
  all.rounds = new Set(all.work.filter((w) => w.roundId !== null && w.slice === 0).map((w) => w.roundId)).size;
  return all;
}
