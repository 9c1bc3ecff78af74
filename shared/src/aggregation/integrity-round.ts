import type { Values } from "../schemas/submission";
import { listFigures, type Lists } from "../detail/figures";
import { countersOf, type Counters } from "./counters";
import { cumulativeFigures, lastYearFigures } from "./aggregate";
import { earlierThisYear } from "../schemas/period";
import type { CompiledTemplate } from "../template/compile";
import { countedIn, countersOfLevel, pathIds, reviewLevelPaths, type ReportState } from "./hierarchy";
import type { IntegrityKind, IntegrityProblem, RoundRows } from "./integrity";

/**
 * The parts of a round's integrity check, each linear in the rows it is given (grouped once into
 * maps; never a scan inside a scan), so the Worker can run them over one slice of a round at a time.
 */
type Add = (kind: IntegrityKind, unitId: string | undefined, zh: string, en: string) => void;
const adder = (roundId: string, out: IntegrityProblem[]): Add => (kind, unitId, zh, en) =>
  out.push({ kind, roundId, ...(unitId !== undefined ? { unitId } : {}), message: { zh, en } });

/** Rows grouped by a key in one pass (appending, never copying a group). */
export function groupBy<T>(rows: Iterable<T>, keyOf: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(keyOf(r));
    if (list) list.push(r);
    else out.set(keyOf(r), [r]);
  }
  return out;
}

/** Adds b into a in place (the recomputation's accumulator; addCounters copies, which is quadratic here). */
function addInto(a: Counters, b: Counters, sign: 1n | -1n = 1n): Counters {
  for (const [k, v] of b) {
    const next = (a.get(k) ?? 0n) + sign * v;
    if (next === 0n) a.delete(k);
    else a.set(k, next);
  }
  return a;
}

/** The parent path of a unit path: `/a/b/c/` → `/a/b/`. */
export const parentPath = (path: string): string => path.slice(0, path.slice(0, -1).lastIndexOf("/") + 1);

/** Expected units exist, lie strictly below the owner, and none is listed with an ancestor (paths walked upward: depth, not count). */
export function checkExpected(roundId: string, ownerId: string, ownerPath: string | null, expected: readonly { id: string; path: string | null }[]): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(roundId, out);
  if (!ownerPath) add("expected", ownerId, "发起单位不存在", "the round's owner unit does not exist");
  const byPath = new Map(expected.filter((e) => e.path !== null).map((e) => [e.path!, e.id]));
  for (const { id, path: p } of expected) {
    if (!p) { add("expected", id, "应报单位不存在", "expected unit does not exist"); continue; }
    if (ownerPath && (!p.startsWith(ownerPath) || p === ownerPath)) add("expected", id, "应报单位不在发起单位之下", "expected unit is not below the round's owner");
    for (let q = parentPath(p); q.length > 1; q = parentPath(q)) {
      const other = byPath.get(q);
      if (other !== undefined) add("expected", id, `应报单位与其上级「${other}」同时列入`, `expected together with its ancestor '${other}'`);
    }
  }
  return out;
}

const seqProblem = (list: number[], n: number) => { list.sort((a, b) => a - b); return list.length !== n || list.some((v, i) => v !== i + 1); };

/**
 * Each report's and level's revision is the latest stored and its transitions are numbered 1…n.
 * `orphans`: also reports not expected and transitions with no report (only where the slice holds
 * every expected unit and report of the round, or checked separately in SQL).
 */
export function checkReports(rows: Pick<RoundRows, "round" | "expected" | "submissions" | "revisions" | "auditSeqs" | "levels">, opts: { orphans: boolean }): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(rows.round.id, out);
  const expected = new Set(rows.expected);
  const maxRevision = new Map(rows.revisions.map((r) => [r.unit_id, r.max_revision]));
  const seqs = new Map([...groupBy(rows.auditSeqs, (a) => a.unit_id)].map(([k, v]) => [k, v.map((a) => a.seq)]));
  for (const s of rows.submissions) {
    if (opts.orphans && !expected.has(s.unit_id)) add("submission", s.unit_id, "有数据但不在应报单位中", "has a submission but is not expected in this round");
    if (maxRevision.get(s.unit_id) !== s.revision) add("submission", s.unit_id, `当前修订为第 ${s.revision} 版，但最新存储的修订为第 ${maxRevision.get(s.unit_id) ?? 0} 版`, `current revision is ${s.revision} but the latest stored revision is ${maxRevision.get(s.unit_id) ?? 0}`);
    const list = seqs.get(s.unit_id) ?? [];
    if (seqProblem(list, s.seq)) add("audit", s.unit_id, `审计记录的状态变更序号为 [${list.join(", ")}]，应为 1…${s.seq}`, `audit transition numbers are [${list.join(", ")}], expected 1…${s.seq}`);
  }
  for (const l of rows.levels) {
    if (l.revision > 0 && maxRevision.get(l.unit_id) !== l.revision) add("submission", l.unit_id, `上报修订为第 ${l.revision} 版，但最新存储的修订为第 ${maxRevision.get(l.unit_id) ?? 0} 版`, `the upward submission is at revision ${l.revision} but the latest stored revision is ${maxRevision.get(l.unit_id) ?? 0}`);
    const list = seqs.get(l.unit_id) ?? [];
    if (seqProblem(list, l.seq)) add("audit", l.unit_id, `审计记录的层级状态变更序号为 [${list.join(", ")}]，应为 1…${l.seq}`, `audit transition numbers of the level are [${list.join(", ")}], expected 1…${l.seq}`);
  }
  if (opts.orphans) {
    const reported = new Set([...rows.submissions.map((s) => s.unit_id), ...rows.levels.map((l) => l.unit_id)]);
    for (const unitId of seqs.keys()) if (!reported.has(unitId)) add("audit", unitId, "审计记录有状态变更，但没有对应的上报", "the audit trail has transitions but there is no submission");
  }
  return out;
}

/** The review levels are exactly the units between the owner and the expected units. */
export function checkLevelSet(roundId: string, ownerPath: string | null, expectedPaths: readonly string[], levels: readonly { id: string; path: string | null }[]): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  if (!ownerPath) return out;
  const add = (unitId: string, zh: string, en: string) => out.push({ kind: "expected", roundId, unitId, message: { zh, en } });
  const want = new Set(reviewLevelPaths(ownerPath, expectedPaths));
  const have = new Set(levels.map((l) => l.path ?? `?${l.id}`));
  for (const l of levels) if (!want.has(l.path ?? "")) add(l.id, "被列为审核层级，但不在发起单位与应报单位之间", "is listed as a review level but is not between the owner and an expected unit");
  for (const p of want) if (!have.has(p)) add(pathIds(p).pop()!, "位于发起单位与应报单位之间，但未列为审核层级", "lies between the owner and an expected unit but is not listed as a review level");
  return out;
}

const levelStateOf = (levels: RoundRows["levels"]) => {
  const states = new Map(levels.map((l) => [l.unit_id, (l.state ?? "not_started") as ReportState]));
  return (id: string) => states.get(id);
};

/** A level that has submitted upward (or was approved) has every report and level directly below it approved. */
export function checkLevelChildren(rows: Pick<RoundRows, "round" | "expected" | "submissions" | "levels">, paths: ReadonlyMap<string, string>): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(rows.round.id, out);
  const state = levelStateOf(rows.levels);
  const leafState = new Map(rows.submissions.map((s) => [s.unit_id, s.state]));
  const children = groupBy([...rows.expected, ...rows.levels.map((x) => x.unit_id)].filter((id) => paths.has(id)), (id) => parentPath(paths.get(id)!));
  for (const l of rows.levels) {
    if (l.state !== "submitted" && l.state !== "approved") continue;
    for (const c of children.get(paths.get(l.unit_id) ?? "") ?? []) {
      const s = state(c) ?? leafState.get(c) ?? "not_started";
      if (s !== "approved") add("expected", c, `上级「${l.unit_id}」已上报，但本单位为「${s}」而非已审核`, `its parent '${l.unit_id}' has submitted upward but this unit is ${s}, not approved`);
    }
  }
  return out;
}

const key = (unitId: string, basis: string) => `${unitId}\u0000${basis}`;
const shownDiff = (a: Counters, b: Counters, diff: Counters) =>
  [...diff.keys()].slice(0, 5).map((c) => `${c}: ${(a.get(c) ?? 0n).toString()} ≠ ${(b.get(c) ?? 0n).toString()}`).join("; ");

/**
 * Totals recomputed from the stored current revisions, for each unit and every ancestor, compared
 * with the stored counters; each submitted level's frozen figures compared with what is below it.
 * `only`: compare just these units (a slice recomputes its subtrees; the units above are checked
 * from their children's stored totals, see the Worker's integrity/top.ts).
 */
export function checkTotals(rows: RoundRows, paths: ReadonlyMap<string, string>, only?: ReadonlySet<string>): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(rows.round.id, out);
  if (!rows.compiled) {
    add("totals", undefined, "本轮模板无法加载，无法核对合计", "the round's template cannot be loaded, so its totals cannot be checked");
    return out;
  }
  const byUnit = new Map<string, Values>();
  for (const v of rows.values) {
    let values = byUnit.get(v.unit_id);
    if (!values) byUnit.set(v.unit_id, (values = {}));
    values[v.indicator] = JSON.parse(v.value) as Values[string];
  }
  const levelState = levelStateOf(rows.levels);
  const want = new Map<string, Counters>();
  const sum = (k: string, c: Counters) => { const m = want.get(k); if (m) addInto(m, c); else want.set(k, addInto(new Map(), c)); };
  for (const s of rows.submissions) {
    const counted = countedIn(paths.get(s.unit_id) ?? "", s.state as ReportState, levelState);
    if (counted.standing.length === 0) continue;
    const c = countersOf(rows.compiled, byUnit.get(s.unit_id) ?? {});
    for (const a of counted.standing) if (!only || only.has(a)) sum(key(a, "standing"), c);
    for (const a of counted.accepted) if (!only || only.has(a)) sum(key(a, "approved"), c);
  }
  const frozenOf = groupBy(rows.levelValues, (v) => v.unit_id);
  for (const l of rows.levels) {
    if ((l.state !== "submitted" && l.state !== "approved") || (only && !only.has(l.unit_id))) continue;
    const frozen = countersOfLevel(Object.fromEntries((frozenOf.get(l.unit_id) ?? []).map((v) => [v.indicator, JSON.parse(v.value) as string])));
    const below = want.get(key(l.unit_id, "standing")) ?? new Map<string, bigint>();
    const diff = addInto(new Map(below), frozen, -1n);
    if (diff.size > 0) {
      const shown = shownDiff(below, frozen, diff);
      add("totals", l.unit_id, `上报的数据与其下级单位的数据不符（下级合计 ≠ 上报）：${shown}`, `the upward submission differs from the reports below it (their total ≠ submitted): ${shown}`);
    }
  }
  const have = new Map<string, Counters>();
  for (const t of rows.totals) {
    if (only && !only.has(t.unit_id)) continue;
    const v = BigInt(t.value);
    if (v === 0n) continue;
    const k = key(t.unit_id, t.basis);
    have.set(k, (have.get(k) ?? new Map<string, bigint>()).set(t.key, v));
  }
  for (const k of new Set([...want.keys(), ...have.keys()])) {
    const w = want.get(k) ?? new Map<string, bigint>();
    const h = have.get(k) ?? new Map<string, bigint>();
    const diff = addInto(new Map(w), h, -1n);
    if (diff.size === 0) continue;
    const [unitId, basis] = k.split("\u0000") as [string, string];
    const shown = shownDiff(w, h, diff);
    add("totals", unitId, `${basis === "approved" ? "已审核" : "现有"}合计与存储的修订不符（重算 ≠ 存储）：${shown}`, `${basis} totals differ from the stored revisions (recomputed ≠ stored): ${shown}`);
  }
  return out;
}

/** Stored value rows by unit (JSON text parsed once). */
function valuesOf(rows: readonly { unit_id: string; indicator: string; value: string }[]): Map<string, Values> {
  const out = new Map<string, Values>();
  for (const r of rows) {
    const v = out.get(r.unit_id) ?? {};
    v[r.indicator] = JSON.parse(r.value) as Values[string];
    out.set(r.unit_id, v);
  }
  return out;
}

/**
 * Each report's 上年同期 figures are last year's approved ones where the unit has them (issue 24): what a
 * submission fills and an approval of last year's report carries forward. `lastYear`: the approved
 * values of last year's report of each unit (those locked above left out by the caller).
 */
export function checkLastYear(roundId: string, compiled: CompiledTemplate, values: RoundRows["values"], lastYear: RoundRows["values"]): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(roundId, out);
  const stored = valuesOf(values);
  for (const [unitId, approved] of valuesOf(lastYear)) {
    const have = stored.get(unitId) ?? {};
    for (const [code, want] of Object.entries(lastYearFigures(compiled, approved))) {
      if (have[code] === want) continue;
      const shown = (v: unknown) => (v === undefined || v === null ? null : String(v));
      add("submission", unitId, `上年同期「${code}」为 ${shown(have[code]) ?? "空"}，但上年已审核的数据为 ${String(want)}`, `上年同期 '${code}' holds ${shown(have[code]) ?? "blank"} but last year's approved figure is ${String(want)}`);
    }
  }
  return out;
}

/**
 * Each report's 本年累计 figures are its own figure plus this year's approved earlier ones where every
 * earlier period is approved (issue 24). `earlier`: the approved values of each unit's earlier periods
 * this year, by period (those locked above left out by the caller).
 */
export function checkCumulative(
  roundId: string, compiled: CompiledTemplate, values: RoundRows["values"],
  earlier: readonly { unit_id: string; period: string; this_period: string; indicator: string; value: string }[],
): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(roundId, out);
  const stored = valuesOf(values);
  const byUnit = groupBy(earlier, (r) => r.unit_id);
  for (const [unitId, rows] of byUnit) {
    const periods = earlierThisYear(rows[0]!.this_period);
    const byPeriod = valuesOf(rows.map((r) => ({ unit_id: r.period, indicator: r.indicator, value: r.value })));
    if (!periods.every((p) => byPeriod.has(p))) continue;
    const have = stored.get(unitId) ?? {};
    for (const [code, want] of Object.entries(cumulativeFigures(compiled, have, periods.map((p) => byPeriod.get(p)!)))) {
      if (have[code] === want) continue;
      const shown = have[code] === undefined || have[code] === null ? null : String(have[code]);
      add("submission", unitId, `本年累计「${code}」为 ${shown ?? "空"}，但按本期和本年已审核各期计算为 ${String(want)}`, `year to date '${code}' holds ${shown ?? "blank"} but this period and this year's approved periods give ${String(want)}`);
    }
  }
  return out;
}

/**
 * Each report's detail-list figures (issue 25) are what its current lists add up to: rows counted and
 * fields summed as listFigures does at submission. `lists`: each submitted report's current list rows, in
 * their order (a report without a row in a list has an empty list).
 */
export function checkListFigures(
  roundId: string, compiled: CompiledTemplate, submitted: readonly string[], values: RoundRows["values"], lists: readonly { unit_id: string; tbl: string; value: string }[],
): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = adder(roundId, out);
  const stored = valuesOf(values);
  const byUnit = groupBy(lists, (r) => r.unit_id);
  for (const unitId of submitted) {
    const rows: Lists = {};
    for (const r of byUnit.get(unitId) ?? []) (rows[r.tbl] ??= []).push(JSON.parse(r.value) as Values);
    const have = stored.get(unitId) ?? {};
    for (const [code, want] of Object.entries(listFigures(compiled, rows))) {
      const got = have[code] ?? null;
      if (got === want) continue;
      const shown = (v: unknown) => (v === undefined || v === null ? null : String(v));
      add("submission", unitId, `清单汇总数「${code}」为 ${shown(got) ?? "空"}，但按当前清单应为 ${shown(want) ?? "空"}`, `the list figure '${code}' holds ${shown(got) ?? "blank"} but the current list adds up to ${shown(want) ?? "blank"}`);
    }
  }
  return out;
}
