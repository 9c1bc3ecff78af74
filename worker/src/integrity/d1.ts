import { INTEGRITY_QUERIES, type IntegrityDump, type IntegrityTable } from "./queries";
import { integrityOf, type IntegrityReport } from "./run";

/** Reads the tables from D1 and checks them (the route for administrators and the daily cron). */
export async function checkIntegrity(db: D1Database, scopePath: string, now: Date): Promise<IntegrityReport> {
  const names = Object.keys(INTEGRITY_QUERIES) as IntegrityTable[];
  const results = await db.batch(names.map((n) => db.prepare(INTEGRITY_QUERIES[n])));
  const dump = Object.fromEntries(names.map((n, i) => [n, results[i]!.results as Record<string, unknown>[]])) as IntegrityDump;
  return integrityOf(dump, scopePath, now);
}
