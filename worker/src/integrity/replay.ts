import type { IntegrityProblem } from "@tianbao/shared";
import type { Row } from "./queries";

/** A stored JSON value as shown in a message: blank when there is none. */
const shown = (json: string | null, blank: string) => (json === null ? blank : json);

/**
 * The current values that differ from the change log replayed at the current revision (the
 * chunkReplay and unitReplay queries): one problem per unit and indicator. The totals are recomputed
 * from the current values, so a difference here is what the totals check could not see.
 */
export function replayProblems(roundId: string, rows: Row[]): IntegrityProblem[] {
  return (rows as { unit_id: string; indicator: string; revision: number; replayed: string | null; stored: string | null }[]).map((r) => ({
    kind: "submission", roundId, unitId: r.unit_id,
    message: {
      zh: `当前数据中指标「${r.indicator}」为 ${shown(r.stored, "空")}，但按修订记录重放到第 ${r.revision} 版为 ${shown(r.replayed, "空")}`,
      en: `the current values hold ${shown(r.stored, "blank")} for indicator '${r.indicator}', but replaying the revisions up to revision ${r.revision} gives ${shown(r.replayed, "blank")}`,
    },
  }));
}

/** The current list rows that differ from the lists' change log replayed at the report's revision (chunkListReplay, issue 25). */
export function listReplayProblems(roundId: string, rows: Row[]): IntegrityProblem[] {
  return (rows as { unit_id: string; tbl: string; pos: number; revision: number; replayed: string | null; stored: string | null }[]).map((r) => ({
    kind: "submission", roundId, unitId: r.unit_id,
    message: {
      zh: `清单「${r.tbl}」第 ${r.pos} 行的当前数据为 ${shown(r.stored, "空")}，但按修订记录重放到第 ${r.revision} 版为 ${shown(r.replayed, "空")}`,
      en: `list '${r.tbl}' row ${r.pos} holds ${shown(r.stored, "blank")}, but replaying the revisions up to revision ${r.revision} gives ${shown(r.replayed, "blank")}`,
    },
  }));
}

/** Units that hold current values in a round but have no submitted revision there (the strayCurrent query). */
export function strayCurrentProblems(roundId: string, rows: Row[]): IntegrityProblem[] {
  return (rows as { unit_id: string }[]).map((r) => ({
    kind: "submission", roundId, unitId: r.unit_id,
    message: { zh: "存有当前数据，但本轮没有已上报的修订", en: "holds current values but has no submitted revision in this round" },
  }));
}
