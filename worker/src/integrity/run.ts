import { TemplateSchema, compileTemplate, planRound, sliceUnitsFor, type CompiledTemplate, type IntegrityProblem, type PlanUnit } from "@tianbao/shared";
import { checkChunk } from "./chunk";
import { checkDirectory } from "./directory";
import type { IntegritySource, Row } from "./queries";
import { checkTop, type PlanLevel, type RoundHead } from "./top";

/**
 * One invocation of the integrity check (issue 27): from a cursor, slice after slice, until the
 * invocation's budget is spent; then it says where it stopped (`next`) and the next invocation
 * continues there. A slice is the directory, slice 0 of a round (its whole-round checks and the
 * units above its chunks) or one chunk of at most `sliceUnits` expected units recomputed in full.
 */
export interface IntegrityLimits {
  /** Expected units recomputed in one slice: bounds a slice's rows and memory. */
  sliceUnits: number;
  /** Expected units (plus slice 0's upper units) one invocation checks before it stops. */
  unitsPerCall: number;
}
/** Measured in `npm run bench` (national scenario): a 495-unit slice of the built-in template reads 99,365 rows, ~42 MB live heap. */
export const DEFAULT_LIMITS: IntegrityLimits = { sliceUnits: 500, unitsPerCall: 2_000 };

export interface SliceWork { roundId: string | null; slice: number; of: number; units: number; rows: number }
export interface IntegrityReport {
  checkedAt: string;
  units: number;
  rounds: number;
  problems: IntegrityProblem[];
  /** true when the check reached the end; otherwise `next` is the cursor to continue from. */
  complete: boolean;
  next: string | null;
  /** What each slice of this invocation did: expected units recomputed and rows read. */
  work: SliceWork[];
}

/** "" starts at the beginning; `round/slice` continues (round ids are codes: no "/"). */
export const CURSOR = /^(?:|[A-Za-z][A-Za-z0-9_]{0,39}\/\d{1,6})$/;

const compile = (rows: Row[]): CompiledTemplate | null => {
  const body = (rows[0] as { body?: string } | undefined)?.body;
  if (!body) return null;
  const parsed = TemplateSchema.safeParse(JSON.parse(body));
  const c = parsed.success ? compileTemplate(parsed.data) : null;
  return c?.ok ? c.compiled : null;
};

export async function runIntegrity(src: IntegritySource, scopePath: string, now: Date, cursor = "", limits: IntegrityLimits = DEFAULT_LIMITS): Promise<IntegrityReport> {
  const report: IntegrityReport = { checkedAt: now.toISOString(), units: 0, rounds: 0, problems: [], complete: false, next: null, work: [] };
  const dir = await checkDirectory(src, scopePath);
  report.units = dir.units;
  if (cursor === "") {
    report.problems.push(...dir.problems);
    report.work.push({ roundId: null, slice: 0, of: 1, units: 0, rows: dir.problems.length });
  }
  let [roundId, slice] = cursor === "" ? ["", -1] : [cursor.split("/")[0]!, Number(cursor.split("/")[1])];
  let spent = 0;
  for (;;) {
    const [found] = await src.batch([{ name: slice < 0 ? "nextRound" : "roundAt", params: [scopePath, roundId] }]);
    const r = found![0] as (RoundHead & { template_id: string; template_version: number }) | undefined;
    if (!r || r.owner_path === null) { report.complete = true; return report; }
    if (slice < 0) slice = 0;
    const [tpl, expectedRows, levelRows] = await src.batch([
      { name: "template", params: [r.template_id, r.template_version] }, { name: "planExpected", params: [r.id] }, { name: "planLevels", params: [r.id] },
    ]);
    const compiled = compile(tpl!);
    const expected = expectedRows as unknown as PlanUnit[];
    const levels = levelRows as unknown as PlanLevel[];
    // a template with detail lists holds more rows a unit: its slices hold fewer units (sliceUnitsFor)
    const plan = planRound(r.owner_path, expected, levels, compiled ? sliceUnitsFor(compiled, limits.sliceUnits) : limits.sliceUnits);
    report.rounds++;
    while (slice <= plan.chunks.length && spent < limits.unitsPerCall) {
      if (slice === 0) {
        report.problems.push(...await checkTop(src, r, compiled, expected, levels, plan.upper));
        report.work.push({ roundId: r.id, slice, of: plan.chunks.length + 1, units: plan.upper.length, rows: expected.length + levels.length });
        spent += plan.upper.length;
      } else {
        const chunk = plan.chunks[slice - 1]!;
        const done = await checkChunk(src, r, compiled, chunk);
        report.problems.push(...done.problems);
        report.work.push({ roundId: r.id, slice, of: plan.chunks.length + 1, units: chunk.units, rows: done.rows });
        spent += chunk.units;
      }
      slice++;
    }
    if (slice <= plan.chunks.length) { report.next = `${r.id}/${slice}`; return report; }
    roundId = r.id;
    slice = -1;
    if (spent >= limits.unitsPerCall) {
      // stop between rounds: continue after this one
      const [more] = await src.batch([{ name: "nextRound", params: [scopePath, roundId] }]);
      if (more!.length === 0) { report.complete = true; return report; }
      report.next = `${(more![0] as { id: string }).id}/0`;
      return report;
    }
  }
}
