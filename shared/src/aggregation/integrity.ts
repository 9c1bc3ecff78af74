import type { CompiledTemplate } from "../template/compile";
import type { LocalizedText } from "../schemas/text";
import type { Values } from "../schemas/submission";
import { addCounters, countersOf, type Counters } from "./counters";

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
  for (const unitId of seqs.keys()) if (!rows.submissions.some((s) => s.unit_id === unitId)) add("audit", unitId, "审计记录有状态变更，但没有对应的上报", "the audit trail has transitions but there is no submission");
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
  const want = new Map<string, Counters>();
  for (const s of rows.submissions) {
    const bases = s.state === "approved" ? ["standing", "approved"] : s.state === "submitted" ? ["standing"] : [];
    if (bases.length === 0) continue;
    const c = countersOf(rows.compiled, byUnit.get(s.unit_id) ?? {});
    const ancestors = (paths.get(s.unit_id) ?? "").split("/").filter(Boolean);
    for (const a of ancestors) for (const b of bases) want.set(key(a, b), addCounters(want.get(key(a, b)) ?? new Map(), c));
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
