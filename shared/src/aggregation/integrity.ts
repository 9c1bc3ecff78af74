import type { CompiledTemplate } from "../template/compile";
import type { LocalizedText } from "../schemas/text";
import type { Values } from "../schemas/submission";
import { addCounters, countersOf, type Counters } from "./counters";
import { countedIn, countersOfLevel, reviewLevelPaths, type ReportState } from "./hierarchy";

/**
 * The integrity check (like DHIS2's data-integrity checks): recomputes every total from the stored
 * revisions and compares, and checks the hierarchy, the expected units and the audit sequence.
 * Pure: the Worker (route and daily cron) and `npm run integrity` feed it the same rows.
 */
export type IntegrityKind = "hierarchy" | "expected" | "submission" | "audit" | "totals";

export interface IntegrityProblem {
  kind: IntegrityKind;
  roundId?: string;
  unitId?: string;
  message: LocalizedText;
}

export interface UnitRowLite { id: string; parent_id: string | null; path: string }

/** Every unit's path must be its parent's path plus its id; parents must exist; paths unique. */
export function checkHierarchy(units: readonly UnitRowLite[]): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const byId = new Map(units.map((u) => [u.id, u]));
  const paths = new Set<string>();
  for (const u of units) {
    if (paths.has(u.path)) out.push({ kind: "hierarchy", unitId: u.id, message: { zh: `单位路径「${u.path}」重复`, en: `unit path '${u.path}' appears twice` } });
    paths.add(u.path);
    const parent = u.parent_id === null ? null : byId.get(u.parent_id);
    if (u.parent_id !== null && !parent) {
      out.push({ kind: "hierarchy", unitId: u.id, message: { zh: `上级单位「${u.parent_id}」不存在`, en: `parent unit '${u.parent_id}' does not exist` } });
      continue;
    }
    const want = `${parent ? parent.path : "/"}${u.id}/`;
    if (u.path !== want) out.push({ kind: "hierarchy", unitId: u.id, message: { zh: `单位路径为「${u.path}」，应为「${want}」`, en: `unit path is '${u.path}', should be '${want}'` } });
  }
  return out;
}

export interface CreationRow { action: string; unit_id: string | null; unit: string | null; username: string | null }

/**
 * Every creation in the audit trail happened once and left what it says: one unit_create per unit
 * that exists, one user_create per account that exists (usernames compared as sign-in does, ignoring
 * case). A refused or raced creation must leave no entry.
 */
export function checkCreations(rows: readonly CreationRow[], unitIds: ReadonlySet<string>, usernames: ReadonlySet<string>): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const isUnit = r.action === "unit_create";
    const name = isUnit ? r.unit : r.username?.toLowerCase() ?? null;
    const where = r.unit_id ?? undefined;
    const what = isUnit ? { zh: "单位", en: "unit" } : { zh: "账号", en: "account" };
    if (name === null) continue;
    const k = `${r.action}\u0000${name}`;
    if (seen.has(k)) out.push({ kind: "audit", ...(where ? { unitId: where } : {}), message: { zh: `审计记录中${what.zh}「${name}」被创建了不止一次`, en: `the audit trail records the ${what.en} '${name}' as created more than once` } });
    seen.add(k);
    if (!(isUnit ? unitIds.has(name) : usernames.has(name))) out.push({ kind: "audit", ...(where ? { unitId: where } : {}), message: { zh: `审计记录中创建的${what.zh}「${name}」不存在`, en: `the audit trail records creating the ${what.en} '${name}', which does not exist` } });
  }
  return out;
}

export interface RoundRows {
  round: { id: string; owner_unit_id: string };
  /** The round's template, compiled; null when it cannot be loaded (itself a problem). */
  compiled: CompiledTemplate | null;
  expected: readonly string[];
  submissions: readonly { unit_id: string; state: string; revision: number; seq: number }[];
  /** Highest stored revision per unit. */
  revisions: readonly { unit_id: string; max_revision: number }[];
  /** Transition numbers in the audit trail per unit (seq not null). */
  auditSeqs: readonly { unit_id: string; seq: number }[];
  /** Values of each unit's current revision. */
  values: readonly { unit_id: string; indicator: string; value: string }[];
  /** Stored counters; value as decimal text (never through a JS Number). */
  totals: readonly { unit_id: string; basis: string; key: string; value: string }[];
  /** The round's review levels and where each stands (state null: not submitted upward). */
  levels: readonly { unit_id: string; state: string | null; revision: number; seq: number }[];
  /** Counters frozen in each level's current revision (decimal text). */
  levelValues: readonly { unit_id: string; indicator: string; value: string }[];
}

const key = (unitId: string, basis: string) => `${unitId}\u0000${basis}`;

/** Checks one round against the units' paths (id → path). */
export function checkRound(rows: RoundRows, paths: ReadonlyMap<string, string>): IntegrityProblem[] {
  const roundId = rows.round.id;
  const out: IntegrityProblem[] = [];
  const add = (kind: IntegrityKind, unitId: string | undefined, zh: string, en: string) =>
    out.push({ kind, roundId, ...(unitId !== undefined ? { unitId } : {}), message: { zh, en } });
  const ownerPath = paths.get(rows.round.owner_unit_id);
  if (!ownerPath) add("expected", rows.round.owner_unit_id, "发起单位不存在", "the round's owner unit does not exist");
  const expected = new Set(rows.expected);
  for (const id of rows.expected) {
    const p = paths.get(id);
    if (!p) { add("expected", id, "应报单位不存在", "expected unit does not exist"); continue; }
    if (ownerPath && (!p.startsWith(ownerPath) || p === ownerPath)) add("expected", id, "应报单位不在发起单位之下", "expected unit is not below the round's owner");
    for (const other of rows.expected) {
      const q = paths.get(other);
      if (other !== id && q && p.startsWith(q)) add("expected", id, `应报单位与其上级「${other}」同时列入`, `expected together with its ancestor '${other}'`);
    }
  }
  const maxRevision = new Map(rows.revisions.map((r) => [r.unit_id, r.max_revision]));
  const seqs = new Map<string, number[]>();
  for (const a of rows.auditSeqs) seqs.set(a.unit_id, [...(seqs.get(a.unit_id) ?? []), a.seq]);
  for (const s of rows.submissions) {
    if (!expected.has(s.unit_id)) add("submission", s.unit_id, "有数据但不在应报单位中", "has a submission but is not expected in this round");
    if (maxRevision.get(s.unit_id) !== s.revision) add("submission", s.unit_id, `当前修订为第 ${s.revision} 版，但最新存储的修订为第 ${maxRevision.get(s.unit_id) ?? 0} 版`, `current revision is ${s.revision} but the latest stored revision is ${maxRevision.get(s.unit_id) ?? 0}`);
    const list = (seqs.get(s.unit_id) ?? []).slice().sort((a, b) => a - b);
    if (list.length !== s.seq || list.some((v, i) => v !== i + 1)) {
      add("audit", s.unit_id, `审计记录的状态变更序号为 [${list.join(", ")}]，应为 1…${s.seq}`, `audit transition numbers are [${list.join(", ")}], expected 1…${s.seq}`);
    }
  }
  for (const l of rows.levels) {
    if (l.revision > 0 && maxRevision.get(l.unit_id) !== l.revision) add("submission", l.unit_id, `上报修订为第 ${l.revision} 版，但最新存储的修订为第 ${maxRevision.get(l.unit_id) ?? 0} 版`, `the upward submission is at revision ${l.revision} but the latest stored revision is ${maxRevision.get(l.unit_id) ?? 0}`);
    const list = (seqs.get(l.unit_id) ?? []).slice().sort((a, b) => a - b);
    if (list.length !== l.seq || list.some((v, i) => v !== i + 1)) {
      add("audit", l.unit_id, `审计记录的层级状态变更序号为 [${list.join(", ")}]，应为 1…${l.seq}`, `audit transition numbers of the level are [${list.join(", ")}], expected 1…${l.seq}`);
    }
  }
  for (const unitId of seqs.keys()) {
    if (!rows.submissions.some((s) => s.unit_id === unitId) && !rows.levels.some((l) => l.unit_id === unitId)) add("audit", unitId, "审计记录有状态变更，但没有对应的上报", "the audit trail has transitions but there is no submission");
  }
  out.push(...checkLevels(rows, paths));
  if (!rows.compiled) {
    add("totals", undefined, "本轮模板无法加载，无法核对合计", "the round's template cannot be loaded, so its totals cannot be checked");
    return out;
  }
  // Totals recomputed from the stored current revisions, for each unit and every ancestor.
  const byUnit = new Map<string, Values>();
  for (const v of rows.values) {
    const values = byUnit.get(v.unit_id) ?? {};
    values[v.indicator] = JSON.parse(v.value) as Values[string];
    byUnit.set(v.unit_id, values);
  }
  // standing: the unit and every ancestor; accepted: upward through the levels that approved it on
  const levelState = levelStates(rows);
  const want = new Map<string, Counters>();
  for (const s of rows.submissions) {
    const counted = countedIn(paths.get(s.unit_id) ?? "", s.state as ReportState, levelState);
    if (counted.standing.length === 0) continue;
    const c = countersOf(rows.compiled, byUnit.get(s.unit_id) ?? {});
    for (const [b, units] of [["standing", counted.standing], ["approved", counted.accepted]] as const) {
      for (const a of units) want.set(key(a, b), addCounters(want.get(key(a, b)) ?? new Map(), c));
    }
  }
  // a level submitted or approved upward holds exactly the figures of the units below it
  for (const l of rows.levels) {
    if (l.state !== "submitted" && l.state !== "approved") continue;
    const frozen = countersOfLevel(Object.fromEntries(rows.levelValues.filter((v) => v.unit_id === l.unit_id).map((v) => [v.indicator, JSON.parse(v.value) as string])));
    const below = want.get(key(l.unit_id, "standing")) ?? new Map<string, bigint>();
    const diff = addCounters(below, frozen, -1n);
    if (diff.size > 0) {
      const shown = [...diff.keys()].slice(0, 5).map((c) => `${c}: ${(below.get(c) ?? 0n).toString()} ≠ ${(frozen.get(c) ?? 0n).toString()}`).join("; ");
      add("totals", l.unit_id, `上报的数据与其下级单位的数据不符（下级合计 ≠ 上报）：${shown}`, `the upward submission differs from the reports below it (their total ≠ submitted): ${shown}`);
    }
  }
  const have = new Map<string, Counters>();
  for (const t of rows.totals) {
    const v = BigInt(t.value);
    if (v === 0n) continue;
    const k = key(t.unit_id, t.basis);
    have.set(k, (have.get(k) ?? new Map()).set(t.key, v));
  }
  for (const k of new Set([...want.keys(), ...have.keys()])) {
    const diff = addCounters(want.get(k) ?? new Map(), have.get(k) ?? new Map(), -1n);
    if (diff.size === 0) continue;
    const [unitId, basis] = k.split("\u0000") as [string, string];
    const shown = [...diff.keys()].slice(0, 5).map((c) => `${c}: ${(want.get(k)?.get(c) ?? 0n).toString()} ≠ ${(have.get(k)?.get(c) ?? 0n).toString()}`).join("; ");
    add("totals", unitId, `${basis === "approved" ? "已审核" : "现有"}合计与存储的修订不符（重算 ≠ 存储）：${shown}`, `${basis} totals differ from the stored revisions (recomputed ≠ stored): ${shown}`);
  }
  return out;
}

const levelStates = (rows: RoundRows) => {
  const states = new Map(rows.levels.map((l) => [l.unit_id, (l.state ?? "not_started") as ReportState]));
  return (id: string) => states.get(id);
};

/**
 * The review levels are exactly the units between the owner and the expected units; a level that
 * has submitted upward (or was approved) has every report and level directly below it approved.
 */
function checkLevels(rows: RoundRows, paths: ReadonlyMap<string, string>): IntegrityProblem[] {
  const out: IntegrityProblem[] = [];
  const add = (unitId: string, zh: string, en: string) => out.push({ kind: "expected", roundId: rows.round.id, unitId, message: { zh, en } });
  const ownerPath = paths.get(rows.round.owner_unit_id);
  if (!ownerPath) return out;
  const want = new Set(reviewLevelPaths(ownerPath, rows.expected.map((id) => paths.get(id) ?? "").filter((p) => p !== "")));
  const have = new Set(rows.levels.map((l) => paths.get(l.unit_id) ?? `?${l.unit_id}`));
  for (const l of rows.levels) if (!want.has(paths.get(l.unit_id) ?? "")) add(l.unit_id, "被列为审核层级，但不在发起单位与应报单位之间", "is listed as a review level but is not between the owner and an expected unit");
  for (const p of want) if (!have.has(p)) add(p.split("/").filter(Boolean).pop()!, "位于发起单位与应报单位之间，但未列为审核层级", "lies between the owner and an expected unit but is not listed as a review level");
  const state = levelStates(rows);
  const leafState = new Map(rows.submissions.map((s) => [s.unit_id, s.state]));
  for (const l of rows.levels) {
    if (l.state !== "submitted" && l.state !== "approved") continue;
    const path = paths.get(l.unit_id) ?? "";
    const children = [...rows.expected, ...rows.levels.map((x) => x.unit_id)].filter((id) => {
      const p = paths.get(id) ?? "";
      return p.startsWith(path) && p !== path && p.slice(path.length).split("/").filter(Boolean).length === 1;
    });
    for (const c of children) {
      const s = state(c) ?? leafState.get(c) ?? "not_started";
      if (s !== "approved") add(c, `上级「${l.unit_id}」已上报，但本单位为「${s}」而非已审核`, `its parent '${l.unit_id}' has submitted upward but this unit is ${s}, not approved`);
    }
  }
  return out;
}
