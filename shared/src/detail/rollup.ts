// A city's list is the union of its units' lists, each row with the unit that reported it (the list a city
// actually needs), with the count of rows and the sums of its numbers — overall and by every choice field
// (brands by level) — exact, as every total is; the same up every level. And what changed between two
// revisions of one unit's list: rows added, removed and changed, by key (by position without one).
import * as X from "../exact/exact";
import type { Values } from "../schemas/submission";
import { keyOf } from "./rows";
import type { DetailTable } from "../schemas/form";

export interface DetailReport { unitId: string; rows: readonly Values[] }

export interface DetailGroup {
  rows: number;
  /** Each count and amount field's sum over the rows that have it (blank when none does). */
  sums: Record<string, string | null>;
}

export interface DetailRollup extends DetailGroup {
  /** Every row with its unit, in the order the reports are given (units in their official order), each unit's in its own. */
  list: { unitId: string; values: Values }[];
  /** The units whose lists were counted (a unit with an empty list counts: it reported none). */
  units: number;
  /** By each choice field, by option code: the rows and their sums. */
  byChoice: Record<string, Record<string, DetailGroup>>;
}

const numberFields = (t: DetailTable) => t.fields.filter((f) => f.type === "count" || f.type === "amount");

function groupOf(t: DetailTable, rows: readonly Values[]): DetailGroup {
  const sums: Record<string, string | null> = {};
  for (const f of numberFields(t)) {
    const present = rows.map((r) => r[f.code]).filter((v) => v !== null && v !== undefined);
    sums[f.code] = present.length === 0 ? null : X.toFixed(X.sum(present.map((v) => X.parseExact(String(v))!)), f.type === "amount" ? f.decimals : 0);
  }
  return { rows: rows.length, sums };
}

/** The union of the units' lists with their totals, overall and by each choice field's options. */
export function rollupDetail(t: DetailTable, reports: readonly DetailReport[]): DetailRollup {
  const list = reports.flatMap((r) => r.rows.map((values) => ({ unitId: r.unitId, values })));
  const all = list.map((x) => x.values);
  const byChoice: Record<string, Record<string, DetailGroup>> = {};
  for (const f of t.fields.filter((x) => x.type === "choice")) {
    byChoice[f.code] = Object.fromEntries((f.options ?? []).map((o) => [o.code, groupOf(t, all.filter((v) => v[f.code] === o.code))]));
  }
  return { list, units: reports.length, ...groupOf(t, all), byChoice };
}

export interface DetailDiff {
  added: { row: number; values: Values }[];
  removed: { row: number; values: Values }[];
  changed: { row: number; before: number; fields: { field: string; before: Values[string] | null; after: Values[string] | null }[] }[];
}

/**
 * What changed from one revision's list to the next: with a key, rows matched by it (a row sorted
 * elsewhere is not a change); without one, by position. Row numbers are each list's own, from 1.
 */
export function diffDetail(t: DetailTable, before: readonly Values[], after: readonly Values[]): DetailDiff {
  const out: DetailDiff = { added: [], removed: [], changed: [] };
  const keyed = t.key.length > 0;
  const keyAt = (rows: readonly Values[], i: number) => (keyed ? keyOf(t, rows[i]!) ?? `#${i}` : `#${i}`);
  const old = new Map(before.map((_, i) => [keyAt(before, i), i]));
  const seen = new Set<string>();
  after.forEach((values, i) => {
    const k = keyAt(after, i);
    const j = old.get(k);
    if (j === undefined) { out.added.push({ row: i + 1, values }); return; }
    seen.add(k);
    const fields = t.fields.flatMap((f) => {
      const [a, b] = [before[j]![f.code] ?? null, values[f.code] ?? null];
      return a === b ? [] : [{ field: f.code, before: a, after: b }];
    });
    if (fields.length > 0) out.changed.push({ row: i + 1, before: j + 1, fields });
  });
  before.forEach((values, i) => { if (!seen.has(keyAt(before, i))) out.removed.push({ row: i + 1, values }); });
  return out;
}
