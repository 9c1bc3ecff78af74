import { checkIntegritySlice } from "./d1";
import { DEFAULT_LIMITS, type IntegrityLimits } from "./run";

/**
 * The scheduled integrity check (issue 27): the daily trigger starts a run and checks one
 * invocation's worth; every later trigger (the hourly one) continues from where the last stopped,
 * so a national database is checked in a few invocations, each within a Worker's CPU and memory.
 * Each invocation logs one JSON line: "ok" / "problems" when the run is complete, "continues" with
 * the cursor otherwise.
 */
export async function integrityCron(db: D1Database, now: Date, start: boolean, limits: IntegrityLimits = DEFAULT_LIMITS): Promise<void> {
  if (start) {
    await db.prepare("INSERT INTO integrity_runs (id, started_at, next, problems, slices) VALUES (1, ?1, '', 0, 0) ON CONFLICT (id) DO UPDATE SET started_at = ?1, next = '', problems = 0, slices = 0").bind(now.toISOString()).run();
  }
  const run = await db.prepare("SELECT started_at, next, problems, slices FROM integrity_runs WHERE id = 1").first<{ started_at: string; next: string | null; problems: number; slices: number }>();
  if (!run || run.next === null) return;
  const report = await checkIntegritySlice(db, "/", now, run.next, limits);
  const problems = run.problems + report.problems.length;
  const slices = run.slices + report.work.length;
  await db.prepare("UPDATE integrity_runs SET next = ?1, problems = ?2, slices = ?3 WHERE id = 1").bind(report.next, problems, slices).run();
  const state = !report.complete ? "continues" : problems === 0 ? "ok" : "problems";
  const line = JSON.stringify({ integrity: state, run: { startedAt: run.started_at, problems, slices }, ...report });
  if (report.problems.length === 0) console.log(line);
  else console.error(line);
}
