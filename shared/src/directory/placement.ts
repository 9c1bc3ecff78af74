import type { LocalizedText } from "../schemas/text";
import type { UnitLevel } from "../schemas/unit";

export const LEVEL_LABELS: Record<UnitLevel, string> = { nation: "国家", province: "省", city: "市", county: "县（区）", self: "本级" };
export const LEVEL_EN: Record<UnitLevel, string> = { nation: "nation", province: "province", city: "city", county: "county", self: "本级 (own figures)" };

// Higher ranks sit lower. Equal ranks may nest (a county holds town-level units, as the hierarchy
// tests do; a city may hold a district-level city), so units of any depth stay possible.
export const LEVEL_RANK: Record<Exclude<UnitLevel, "self">, number> = { nation: 0, province: 1, city: 2, county: 3 };

/** Why a new unit cannot hang where it was put, and which field to name; null when it may. */
export interface Misplaced { field: "level" | "parent"; message: LocalizedText }

/**
 * Where a new unit may be added, one rule for the workbook and POST /units: a nation is the top (only
 * `admin init` makes one); a 本级 unit reports its parent's own figures, so nothing hangs below it;
 * and a unit is never of a level above its parent's (no province below a city, no city below a
 * county). Any level below one's own may be added, at any depth: a nation adds provinces, cities
 * and counties; a province cities and counties; a city counties. Whose subtree the parent lies in is
 * the caller's check (the workbook's planner, the route).
 */
export function placementProblem(level: UnitLevel, parent: { id: string; name: LocalizedText; level: UnitLevel }): Misplaced | null {
  const p = { zh: `上级单位「${parent.name.zh}」（${parent.id}）`, en: `the parent '${parent.name.en}' (${parent.id})` };
  if (level === "nation") {
    return { field: "level", message: { zh: `国家级单位是最上级，只能在初始化时建立（npm run admin -- init），不能添加在${p.zh}之下`, en: `A nation is the top level, made only by the first run (npm run admin -- init); it cannot be added below ${p.en}` } };
  }
  if (parent.level === "self") {
    return { field: "parent", message: { zh: `${p.zh}是本级单位（报送其上级本身的数据），其下不能再添加单位`, en: `${p.en} is a 本级 unit (it reports its parent's own figures); no unit can be added below it` } };
  }
  if (level !== "self" && LEVEL_RANK[level] < LEVEL_RANK[parent.level]) {
    return {
      field: "level",
      message: { zh: `级别「${LEVEL_LABELS[level]}」高于${p.zh}的级别「${LEVEL_LABELS[parent.level]}」`, en: `level ${LEVEL_EN[level]} is above the level of ${p.en} (${LEVEL_EN[parent.level]})` },
    };
  }
  return null;
}

/**
 * The levels offered for a new unit below a parent of `parentLevel` on the screen, highest first:
 * every level below the parent's, and 本级 (none below a county or a 本级 unit; an equal level, which
 * placementProblem allows, is left to the workbook and the API).
 */
export function levelsBelow(parentLevel: UnitLevel): UnitLevel[] {
  if (parentLevel === "self" || parentLevel === "county") return [];
  return (["province", "city", "county", "self"] as const).filter((l) => l === "self" || LEVEL_RANK[l] > LEVEL_RANK[parentLevel]);
}
