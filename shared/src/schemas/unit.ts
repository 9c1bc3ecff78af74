import { z } from "zod";
import { CodeSchema, LocalizedTextSchema } from "./text";

/** province → city → county; `self` is the 市本级 unit that reports a city's own figures. */
export const UnitLevelSchema = z.enum(["province", "city", "county", "self"]);
export type UnitLevel = z.infer<typeof UnitLevelSchema>;

export const UnitSchema = z.strictObject({
  id: CodeSchema,
  name: LocalizedTextSchema,
  level: UnitLevelSchema,
  parentId: CodeSchema.nullable(),
});
export type Unit = z.infer<typeof UnitSchema>;

/** Every unit in the subtree rooted at `rootId`, root included, parents before children. */
export function unitSubtree(units: readonly Unit[], rootId: string): Unit[] {
  const children = new Map<string | null, Unit[]>();
  for (const u of units) {
    const list = children.get(u.parentId) ?? [];
    list.push(u);
    children.set(u.parentId, list);
  }
  const root = units.find((u) => u.id === rootId);
  if (!root) return [];
  const out: Unit[] = [];
  const stack: Unit[] = [root];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u.id)) continue; // a cycle in bad data must not hang the caller
    seen.add(u.id);
    out.push(u);
    stack.push(...(children.get(u.id) ?? []).slice().reverse());
  }
  return out;
}

/** Ancestors of a unit, nearest first, excluding the unit itself. */
export function unitAncestors(units: readonly Unit[], unitId: string): Unit[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: Unit[] = [];
  let current = byId.get(unitId)?.parentId ?? null;
  while (current !== null && !out.some((u) => u.id === current)) {
    const u = byId.get(current);
    if (!u) break;
    out.push(u);
    current = u.parentId;
  }
  return out;
}
