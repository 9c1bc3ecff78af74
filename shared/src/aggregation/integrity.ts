import type { CompiledTemplate } from "../template/compile";
import type { LocalizedText } from "../schemas/text";
import { checkExpected, checkLevelChildren, checkLevelSet, checkReports, checkTotals } from "./integrity-round";

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

/**
 * Checks one round against the units' paths (id → path): everything at once, for a round whose rows
 * are all in hand (the shared tests, the reference). The Worker checks a large round in slices with
 * the same parts (integrity-round.ts), each linear in the rows it is given.
 */
export function checkRound(rows: RoundRows, paths: ReadonlyMap<string, string>): IntegrityProblem[] {
  const roundId = rows.round.id;
  const pathOf = (id: string) => paths.get(id) ?? null;
  return [
    ...checkExpected(roundId, rows.round.owner_unit_id, pathOf(rows.round.owner_unit_id), rows.expected.map((id) => ({ id, path: pathOf(id) }))),
    ...checkReports(rows, { orphans: true }),
    ...checkLevelSet(roundId, pathOf(rows.round.owner_unit_id), rows.expected.map(pathOf).filter((p): p is string => p !== null), rows.levels.map((l) => ({ id: l.unit_id, path: pathOf(l.unit_id) }))),
    ...checkLevelChildren(rows, paths),
    ...checkTotals(rows, paths),
  ];
}
