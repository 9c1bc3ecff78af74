import { checkCumulative, checkLastYear, checkListFigures, detailTables, checkLevelChildren, checkReports, checkTotals, cumulativePairs, lastYearPairs, type Chunk, type CompiledTemplate, type IntegrityProblem, type RoundRows } from "@tianbao/shared";
import type { IntegritySource, Row } from "./queries";
import { listReplayProblems, replayProblems } from "./replay";
import type { RoundHead } from "./top";

/**
 * Slices 1…n of a round: one path range of whole subtrees holding at most a slice's expected units,
 * every unit of it recomputed from the stored revisions (the same shared checks as a whole round):
 * its totals from the current values, and the current values against the revisions' change log.
 * Returns its problems and the rows it read — the machine-independent measure of its work.
 */
export async function checkChunk(src: IntegritySource, round: RoundHead, compiled: CompiledTemplate | null, chunk: Chunk): Promise<{ problems: IntegrityProblem[]; rows: number }> {
  const p = [round.id, chunk.from, chunk.to];
  const names = ["chunkUnits", "chunkExpected", "chunkSubmissions", "chunkRevisions", "chunkSeqs", "chunkValues", "chunkTotals", "chunkLevels", "chunkLevelValues", "chunkReplay"] as const;
  // 上年同期 figures are checked against last year's approved ones only where the template has them
  // and 本年累计 figures against this year's approved periods, where it has those
  const withLastYear = compiled !== null && lastYearPairs(compiled).length > 0;
  const withEarlier = compiled !== null && cumulativePairs(compiled).length > 0;
  // and detail lists' figures against their rows, the rows against their change log, where it has lists
  const withLists = compiled !== null && detailTables(compiled.template).length > 0;
  const read = await src.batch([
    ...names, ...(withLastYear ? ["chunkLastYear" as const] : []), ...(withEarlier ? ["chunkEarlier" as const] : []), ...(withLists ? ["chunkLists" as const, "chunkListReplay" as const] : []),
  ].map((name) => ({ name, params: p })));
  const [units, expected, submissions, revisions, auditSeqs, values, totals, levels, levelValues, replay, ...more] = read as Row[][];
  const lastYear = withLastYear ? more.shift() : undefined;
  const earlier = withEarlier ? more.shift() : undefined;
  const [lists, listReplay] = withLists ? more : [undefined, undefined];
  const paths = new Map((units as { id: string; path: string }[]).map((u) => [u.id, u.path]));
  const rows: RoundRows = {
    round: { id: round.id, owner_unit_id: round.owner_unit_id }, compiled,
    expected: (expected as { unit_id: string }[]).map((e) => e.unit_id),
    submissions: submissions as unknown as RoundRows["submissions"], revisions: revisions as unknown as RoundRows["revisions"],
    auditSeqs: auditSeqs as unknown as RoundRows["auditSeqs"], values: values as unknown as RoundRows["values"],
    totals: totals as unknown as RoundRows["totals"], levels: levels as unknown as RoundRows["levels"], levelValues: levelValues as unknown as RoundRows["levelValues"],
  };
  // the round's own units in this range; ancestors above it are slice 0's
  const only = new Set([...rows.expected, ...rows.levels.map((l) => l.unit_id)]);
  const problems = [
    ...checkReports(rows, { orphans: false }),
    ...checkLevelChildren(rows, paths),
    // the totals below are recomputed from the current values: they must be the revisions' own
    ...replayProblems(round.id, replay!),
    ...(compiled ? checkTotals(rows, paths, only) : []),
    ...(compiled && lastYear ? checkLastYear(round.id, compiled, rows.values, lastYear as unknown as RoundRows["values"]) : []),
    ...(compiled && lists ? checkListFigures(round.id, compiled, (submissions as { unit_id: string }[]).map((s) => s.unit_id), rows.values, lists as unknown as Parameters<typeof checkListFigures>[4]) : []),
    ...(listReplay ? listReplayProblems(round.id, listReplay) : []),
    ...(compiled && earlier ? checkCumulative(round.id, compiled, rows.values, earlier as unknown as Parameters<typeof checkCumulative>[3]) : []),
  ];
  return { problems, rows: read.reduce((n, r) => n + r.length, 0) };
}
