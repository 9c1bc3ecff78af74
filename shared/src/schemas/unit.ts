import { z } from "zod";
import { CodeSchema, LocalizedTextSchema, SheetTextSchema } from "./text";

/** The longest unit name: what the units-and-accounts workbook takes, so every unit goes back up as downloaded. */
export const UNIT_NAME_MAX = 64;
/** Whether a name shows anything: not only spaces or invisible characters (zero-width spaces, joiners, marks). */
export const hasVisibleText = (s: string): boolean => s.replace(/[\p{Cf}\p{White_Space}]/gu, "") !== "";
const UnitNameTextSchema = SheetTextSchema.pipe(z.string().trim().min(1).max(UNIT_NAME_MAX))
  .refine(hasVisibleText, "只有空格或不可见字符 / only spaces or invisible characters");
/**
 * A new or changed unit's name, by the API as by the workbook (review27 F2, F3, F7): trimmed, at most
 * 64 characters, something visible — so a name set on screen never stops the workbook going back up.
 */
export const UnitNameSchema = z.strictObject({ zh: UnitNameTextSchema, en: UnitNameTextSchema });

/**
 * nation → province → city → county, highest first; `self` is the 本级 unit that reports its parent's
 * own figures (市本级). Levels carry no workflow of their own: review levels come from where units
 * sit in the tree, so a nation is one more level above its provinces.
 */
export const UnitLevelSchema = z.enum(["nation", "province", "city", "county", "self"]);
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

/**
 * Each unit of `units` named by its path below `rootId`, outside its parent's context: 「晋城市 / 城区」
 * at the province, 「山西省 / 晋城市 / 城区」 at the nation, so the 市辖区 of two cities are told apart.
 * The root is named by its own name, a unit directly below it by its own name; a unit not below the
 * root (or in a cycle of bad data) by the part of its path that is known. Linear: each unit's path
 * is made once, from its parent's.
 */
export function pathNamesBelow(units: readonly Unit[], rootId: string, lang: "zh" | "en" = "zh", separator = " / "): Map<string, string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Map<string, string>();
  for (const start of units) {
    // walk up to the root or a unit already named, then name the walked units top down
    const chain: Unit[] = [];
    const onChain = new Set<string>();
    let at: Unit | undefined = start;
    while (at && !out.has(at.id) && !onChain.has(at.id)) {
      chain.push(at);
      onChain.add(at.id);
      if (at.id === rootId) break;
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    let above = at && out.has(at.id) && at.id !== rootId ? out.get(at.id)! : null;
    for (let i = chain.length - 1; i >= 0; i--) {
      const u = chain[i]!;
      const name = u.id === rootId || above === null ? u.name[lang] : `${above}${separator}${u.name[lang]}`;
      out.set(u.id, name);
      above = u.id === rootId ? null : name;
    }
  }
  return out;
}
