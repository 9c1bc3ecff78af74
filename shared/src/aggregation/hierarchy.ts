import type { Values } from "../schemas/submission";
import type { CompiledTemplate } from "../template/compile";
import type { Totals, UnitReport } from "./aggregate";
import type { Counters } from "./counters";

/**
 * Reporting up a hierarchy (issue 14). A round opened by a unit expects leaf units below it; every
 * unit strictly between the owner and an expected unit is a review level: it reviews its children
 * and then submits upward (上报), and its parent reviews that. Totals have two bases:
 * - standing: every report that stands (submitted or approved), in its unit and every ancestor;
 * - accepted: at unit U, the approved reports for which every review level strictly between the
 *   report's unit and U has approved too (a county approved by its city counts at the city; at the
 *   province only once the province has approved the city).
 */
export type ReportState = "not_started" | "submitted" | "returned" | "approved";

/** Ids along a unit path, root first: `/shanxi/changzhi/zhangzi/` → shanxi, changzhi, zhangzi. */
export const pathIds = (path: string): string[] => path.split("/").filter(Boolean);

/** The review levels of a round, as paths: every unit strictly between the owner and an expected unit. */
export function reviewLevelPaths(ownerPath: string, expectedPaths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of expectedPaths) {
    if (p === ownerPath || !p.startsWith(ownerPath)) continue;
    let prefix = ownerPath;
    for (const id of pathIds(p.slice(ownerPath.length)).slice(0, -1)) {
      prefix += `${id}/`;
      out.add(prefix);
    }
  }
  return [...out].sort();
}

/** A review level's state by unit id; undefined for a unit that is not a level of the round. */
export type LevelStateOf = (unitId: string) => ReportState | undefined;

/**
 * The units whose totals one report counts in, on each basis. Standing: the unit and every
 * ancestor while the report stands. Accepted: once approved, the unit and its ancestors upward up
 * to and including the first review level that has not approved it on (that level counts what it
 * approved itself; the levels above it do not yet).
 */
export function countedIn(path: string, state: ReportState, levelState: LevelStateOf): { standing: string[]; accepted: string[] } {
  const ids = pathIds(path);
  const standing = state === "submitted" || state === "approved" ? ids : [];
  const accepted: string[] = [];
  if (state === "approved") {
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i]!;
      accepted.push(id);
      const level = i < ids.length - 1 ? levelState(id) : undefined;
      if (level !== undefined && level !== "approved") break;
    }
  }
  return { standing, accepted };
}

/** One expected unit's report as stored: where it is, where it stands, its current figures. */
export interface LeafReport {
  unitId: string;
  path: string;
  state: ReportState;
  values: Values;
}

/**
 * The reference for the totals at one unit: the reports that count there on a basis. Standing:
 * every report below it (or its own) that stands. Accepted: every approved report below it for which
 * each review level strictly between the report's unit and this unit has approved. Written from
 * the definition (which levels lie between), not from `countedIn`, so each checks the other.
 */
export function reportsCountedAt(leaves: readonly LeafReport[], levelState: LevelStateOf, unitPath: string, basis: "standing" | "approved"): UnitReport[] {
  const out: UnitReport[] = [];
  for (const leaf of leaves) {
    if (!leaf.path.startsWith(unitPath)) continue;
    if (basis === "standing" ? leaf.state !== "submitted" && leaf.state !== "approved" : leaf.state !== "approved") continue;
    if (basis === "approved") {
      const between = pathIds(leaf.path.slice(unitPath.length)).slice(0, -1);
      if (between.some((id) => { const s = levelState(id); return s !== undefined && s !== "approved"; })) continue;
    }
    out.push({ unitId: leaf.unitId, values: leaf.values });
  }
  return out;
}

/** A level's frozen counters as stored in revision_values: counter key → the integer as decimal text. */
export const levelValuesOf = (counters: Counters): Values => Object.fromEntries([...counters].map(([k, v]) => [k, v.toString()]));

/** A level's stored revision read back as counters (decimal text into BigInt, never a JS Number). */
export function countersOfLevel(values: Values): Counters {
  const out: Counters = new Map();
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== "string" && typeof v !== "number") continue;
    const text = String(v);
    if (!/^-?\d+$/.test(text)) continue;
    const n = BigInt(text);
    if (n !== 0n) out.set(k, n);
  }
  return out;
}

/**
 * A level's figures as one text per indicator, for its view and the diff of two revisions: sums
 * and rates as exact decimal text, yes/no as "yes/reported", a choice as "option:count, …".
 * Free text has no total and is left out; so is an indicator nobody reported (blank, not zero).
 */
export function levelFigures(compiled: CompiledTemplate, totals: Totals): { values: Values; derived: Values } {
  const values: Values = {};
  const derived: Values = {};
  for (const ind of compiled.template.indicators) {
    const t = totals.indicators[ind.code];
    if (!t) continue;
    if (t.kind === "derived") { if (t.value !== null) derived[ind.code] = t.value; continue; }
    if (t.reported === 0) continue;
    if (t.kind === "count" || t.kind === "amount") { if (t.value !== null) values[ind.code] = t.value; }
    else if (t.kind === "yesno") values[ind.code] = `${t.yes}/${t.reported}`;
    else if (t.kind === "choice") values[ind.code] = Object.entries(t.counts).filter(([, n]) => n > 0).map(([o, n]) => `${o}:${n}`).join(", ");
  }
  return { values, derived };
}
