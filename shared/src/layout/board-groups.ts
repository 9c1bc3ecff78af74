// A board's units grouped by the unit they report to (a province's board by city), in official order.
// Each group is named by its path below the viewer's unit: at a province 晋城市, at a nation
// 山西省 / 省直辖县级行政区划, so two groups of one name are told apart (review27 F6).
import type { z } from "zod";
import type { CompletenessSchema } from "../api/contract";
import type { LocalizedText } from "../schemas/text";

type Unit = z.infer<typeof CompletenessSchema>["units"][number];
type Level = NonNullable<z.infer<typeof CompletenessSchema>["levels"]>[number];

export interface BoardGroup { id: string; name: LocalizedText; units: Unit[]; level: Level | undefined }

/**
 * Each unit's name with the names of the units between it and the viewer's unit (the unit at the top
 * of `names`, whose parent is not in it), joined by " / "; the viewer's unit by its own name.
 */
export function namesBelowTop(parentOf: ReadonlyMap<string, string | null>, names: ReadonlyMap<string, LocalizedText>): Map<string, LocalizedText> {
  const out = new Map<string, LocalizedText>();
  const isTop = (id: string) => { const p = parentOf.get(id) ?? null; return p === null || !names.has(p); };
  const of = (id: string, depth = 0): LocalizedText => {
    const hit = out.get(id);
    if (hit) return hit;
    const own = names.get(id) ?? { zh: id, en: id };
    const p = parentOf.get(id) ?? null;
    const name = isTop(id) || p === null || isTop(p) || depth > 64 ? own : { zh: `${of(p, depth + 1).zh} / ${own.zh}`, en: `${of(p, depth + 1).en} / ${own.en}` };
    out.set(id, name);
    return name;
  };
  for (const id of names.keys()) of(id);
  return out;
}

/** The board's units by the unit they report to, in official order; null when they all report to one. */
export function groupUnits(units: readonly Unit[], parentOf: ReadonlyMap<string, string | null>, names: ReadonlyMap<string, LocalizedText>, levels: readonly Level[]): BoardGroup[] | null {
  const paths = namesBelowTop(parentOf, names);
  const groups = new Map<string, BoardGroup>();
  for (const u of units) {
    const id = parentOf.get(u.unitId) ?? "";
    const g = groups.get(id) ?? { id, name: paths.get(id) ?? { zh: "—", en: "—" }, units: [], level: levels.find((l) => l.unitId === id) };
    g.units.push(u);
    groups.set(id, g);
  }
  return groups.size > 1 ? [...groups.values()] : null;
}
