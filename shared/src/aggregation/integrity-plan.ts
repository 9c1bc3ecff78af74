import { pathIds } from "./hierarchy";
import { parentPath } from "./integrity-round";
import { detailTables } from "../detail/figures";
import type { CompiledTemplate } from "../template/compile";

/**
 * How the integrity check cuts one round into slices that each fit a Worker (issue 27). The round's
 * tree is its owner, the review levels and the expected units. A unit with more than `sliceUnits`
 * expected units below it (and the owner, always) is "upper": its stored totals are checked against
 * the sum of its children's stored totals, in SQL (slice 0). Every other subtree is checked from the
 * stored revisions, its units recomputed in full, in chunks of consecutive siblings holding at most
 * `sliceUnits` expected units (slices 1…n), read as one path range each.
 */
export interface PlanUnit { id: string; path: string | null }
export interface Chunk { from: string; to: string; units: number; roots: string[] }
/** upper: paths, the owner first (a unit's id is its path's last segment). */
export interface RoundPlan { upper: string[]; chunks: Chunk[] }

/** The end of a subtree's path range: every path below `/a/b/` sorts before `/a/b0` ('0' follows '/'). */
export const subtreeEnd = (path: string): string => `${path.slice(0, -1)}0`;

export function planRound(ownerPath: string, expected: readonly PlanUnit[], levels: readonly PlanUnit[], sliceUnits: number): RoundPlan {
  const count = new Map<string, number>();
  const inside = (p: string | null): p is string => p !== null && p.startsWith(ownerPath) && p !== ownerPath;
  for (const e of expected) {
    if (!inside(e.path)) continue;
    count.set(e.path, (count.get(e.path) ?? 0) + 1);
    for (let q = parentPath(e.path); q.length > ownerPath.length; q = parentPath(q)) count.set(q, (count.get(q) ?? 0) + 1);
  }
  for (const l of levels) if (inside(l.path) && !count.has(l.path)) count.set(l.path, 0);
  const isUpper = (p: string) => p === ownerPath || (count.get(p) ?? 0) > sliceUnits;
  const children = new Map<string, string[]>();
  for (const p of [...count.keys()].sort()) {
    const parent = parentPath(p);
    const list = children.get(parent);
    if (list) list.push(p);
    else children.set(parent, [p]);
  }
  const upper = [ownerPath, ...[...count.keys()].filter(isUpper)].sort();
  const chunks: Chunk[] = [];
  for (const u of upper) {
    let run: string[] = [];
    let units = 0;
    const close = () => {
      if (run.length > 0) chunks.push({ from: run[0]!, to: subtreeEnd(run[run.length - 1]!), units, roots: run.map((p) => pathIds(p).pop()!) });
      run = [];
      units = 0;
    };
    for (const c of children.get(u) ?? []) {
      if (isUpper(c)) { close(); continue; }
      const n = Math.max(count.get(c) ?? 0, 1);
      if (units + n > sliceUnits) close();
      run.push(c);
      units += n;
    }
    close();
  }
  return { upper, chunks };
}

/**
 * The expected units one slice may hold for a template (issue 25): `sliceUnits` is sized for a report's
 * figures (~200 rows a unit: 99,365 rows for 495 units of the built-in template); a template with detail
 * lists may hold up to its lists' most rows a unit, read twice (the current rows and their change log), so
 * its slices hold as many fewer units — a slice's rows stay within what one slice of figures reads.
 */
export function sliceUnitsFor(compiled: Pick<CompiledTemplate, "template">, sliceUnits: number): number {
  const listRows = detailTables(compiled.template).reduce((s, t) => s + t.maxRows, 0);
  return listRows === 0 ? sliceUnits : Math.max(1, Math.floor((sliceUnits * FIGURE_ROWS_A_UNIT) / (FIGURE_ROWS_A_UNIT + 2 * listRows)));
}

/** What one unit's figures cost a slice, measured on the built-in template (99,365 rows for 495 units). */
export const FIGURE_ROWS_A_UNIT = 200;
