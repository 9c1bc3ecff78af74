import { checkExpected, checkLevelSet, checkReports, checkTotals, countersOfLevel, pathIds, type CompiledTemplate, type Counters, type IntegrityProblem, type PlanUnit } from "@tianbao/shared";
import type { IntegritySource, Row } from "./queries";
import { replayProblems, strayCurrentProblems } from "./replay";

export interface RoundHead { id: string; owner_unit_id: string; owner_path: string }
export interface PlanLevel extends PlanUnit { state: string | null; revision: number; seq: number }

const counters = (rows: Row[], basis?: string): Counters => {
  const out: Counters = new Map();
  for (const r of rows as { basis: string; key: string; value: string }[]) {
    if (basis !== undefined && r.basis !== basis) continue;
    const v = BigInt(r.value);
    if (v !== 0n) out.set(basis === undefined ? `${r.basis}\u0000${r.key}` : r.key, v);
  }
  return out;
};
const differs = (a: Counters, b: Counters): string[] =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => (a.get(k) ?? 0n) !== (b.get(k) ?? 0n));

/**
 * Slice 0 of a round: what concerns the round as a whole (expected units, review levels, reports
 * and transitions that belong to no expected unit, totals at units outside the round), and the units
 * above the chunks — the owner, its ancestors and review levels with more than a slice below them —
 * whose stored totals must equal the sum of their children's stored totals (summed in SQL), while
 * each child's own totals are recomputed from the revisions in its chunk. Reads O(upper units × keys).
 */
export async function checkTop(src: IntegritySource, round: RoundHead, compiled: CompiledTemplate | null, expected: PlanUnit[], levels: PlanLevel[], upper: string[]): Promise<IntegrityProblem[]> {
  const roundId = round.id;
  const ownerPath = round.owner_path;
  const problems = [
    ...checkExpected(roundId, round.owner_unit_id, ownerPath, expected),
    ...checkLevelSet(roundId, ownerPath, expected.map((e) => e.path).filter((p): p is string => p !== null), levels),
  ];
  const add = (kind: IntegrityProblem["kind"], unitId: string, zh: string, en: string) => problems.push({ kind, roundId, unitId, message: { zh, en } });
  const [notExpected, orphans, strays, strayCurrent] = await src.batch([
    { name: "notExpected", params: [roundId] }, { name: "orphanSeqs", params: [roundId] }, { name: "strayTotals", params: [roundId, "", ownerPath] },
    { name: "strayCurrent", params: [roundId] },
  ]);
  for (const r of notExpected! as { unit_id: string }[]) add("submission", r.unit_id, "有数据但不在应报单位中", "has a submission but is not expected in this round");
  problems.push(...strayCurrentProblems(roundId, strayCurrent!));
  for (const r of orphans! as { unit_id: string }[]) add("audit", r.unit_id, "审计记录有状态变更，但没有对应的上报", "the audit trail has transitions but there is no submission");
  if (!compiled) add("totals", round.owner_unit_id, "本轮模板无法加载，无法核对合计", "the round's template cannot be loaded, so its totals cannot be checked");
  const strayIds = (strays! as { unit_id: string }[]).map((r) => r.unit_id);
  if (compiled && strayIds.length > 0) {
    const rows = await src.batch(strayIds.map((id) => ({ name: "ownTotals" as const, params: [roundId, id] })));
    const totals = rows.flatMap((rs, i) => (rs as { basis: string; key: string; value: string }[]).map((t) => ({ ...t, unit_id: strayIds[i]! })));
    problems.push(...checkTotals({ round: { id: roundId, owner_unit_id: round.owner_unit_id }, compiled, expected: [], submissions: [], revisions: [], auditSeqs: [], values: [], totals, levels: [], levelValues: [] }, new Map(), new Set(strayIds)));
  }
  // the owner's ancestors and the upper units, root first
  const ancestors = pathIds(ownerPath).slice(0, -1).map((_, i, ids) => `/${ids.slice(0, i + 1).join("/")}/`);
  const levelAt = new Map(levels.map((l) => [l.path, l]));
  for (const path of [...ancestors, ...upper]) problems.push(...await checkUpper(src, round, path, levelAt.get(path)));
  return problems;
}

async function checkUpper(src: IntegritySource, round: RoundHead, path: string, level: PlanLevel | undefined): Promise<IntegrityProblem[]> {
  const id = pathIds(path).pop()!;
  const problems: IntegrityProblem[] = [];
  const add = (kind: IntegrityProblem["kind"], zh: string, en: string, unitId = id) => problems.push({ kind, roundId: round.id, unitId, message: { zh, en } });
  // one batch, so a submission landing meanwhile cannot make the unit and its children disagree
  let own: Row[], sums: Row[] | null;
  try { [own, sums] = (await src.batch([{ name: "ownTotals", params: [round.id, id] }, { name: "childTotals", params: [round.id, id, round.owner_path] }])) as [Row[], Row[]]; }
  catch { [own] = (await src.batch([{ name: "ownTotals", params: [round.id, id] }])) as [Row[]]; sums = null; } // SUM past 2^63: only a tampered total
  const have = counters(own);
  if (sums === null) add("totals", "下级单位的合计之和超出整数范围，无法核对", "the sum of the totals below it is past the integer range, so it cannot be checked");
  else {
    const want = counters(sums);
    for (const basis of ["standing", "approved"]) {
      const keys = differs(new Map([...want].filter(([k]) => k.startsWith(`${basis}\u0000`))), new Map([...have].filter(([k]) => k.startsWith(`${basis}\u0000`))));
      if (keys.length === 0) continue;
      const shown = keys.slice(0, 5).map((k) => `${k.split("\u0000")[1]}: ${(want.get(k) ?? 0n).toString()} ≠ ${(have.get(k) ?? 0n).toString()}`).join("; ");
      add("totals", `${basis === "approved" ? "已审核" : "现有"}合计与下级单位存储的合计之和不符（下级之和 ≠ 存储）：${shown}`, `${basis} totals differ from the sum of the stored totals directly below (their sum ≠ stored): ${shown}`);
    }
  }
  if (!level) return problems;
  const [revision, seqs, frozen, below, replay] = await src.batch([
    { name: "unitRevision", params: [round.id, id] }, { name: "unitSeqs", params: [round.id, id] },
    { name: "unitLevelValues", params: [round.id, id] }, { name: "childrenNotApproved", params: [round.id, id] },
    { name: "unitReplay", params: [round.id, id] },
  ]);
  problems.push(...replayProblems(round.id, replay!));
  const row = { unit_id: id, state: level.state, revision: Number(level.revision), seq: Number(level.seq) };
  problems.push(...checkReports({ round: { id: round.id, owner_unit_id: round.owner_unit_id }, expected: [], submissions: [], levels: [row], revisions: revision as { unit_id: string; max_revision: number }[], auditSeqs: seqs as { unit_id: string; seq: number }[] }, { orphans: false }));
  if (level.state !== "submitted" && level.state !== "approved") return problems;
  for (const c of below! as { unit_id: string; state: string }[]) add("expected", `上级「${id}」已上报，但本单位为「${c.state}」而非已审核`, `its parent '${id}' has submitted upward but this unit is ${c.state}, not approved`, c.unit_id);
  const fixed = countersOfLevel(Object.fromEntries((frozen! as { indicator: string; value: string }[]).map((v) => [v.indicator, JSON.parse(v.value) as string])));
  const standing = counters(own, "standing");
  const keys = differs(standing, fixed);
  if (keys.length > 0) {
    const shown = keys.slice(0, 5).map((k) => `${k}: ${(standing.get(k) ?? 0n).toString()} ≠ ${(fixed.get(k) ?? 0n).toString()}`).join("; ");
    add("totals", `上报的数据与其下级单位的数据不符（下级合计 ≠ 上报）：${shown}`, `the upward submission differs from the reports below it (their total ≠ submitted): ${shown}`);
  }
  return problems;
}
