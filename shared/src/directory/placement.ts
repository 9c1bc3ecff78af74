import type { LocalizedText } from "../schemas/text";
import type { UnitLevel } from "../schemas/unit";

export const LEVEL_LABELS: Record<UnitLevel, string> = { province: "省", city: "市", county: "县（区）", self: "本级" };
const LEVEL_EN: Record<UnitLevel, string> = { province: "province", city: "city", county: "county", self: "本级 (own figures)" };

// Higher ranks sit lower. Equal ranks may nest (a county holds town-level units, as the hierarchy
// tests do; a city may hold a district-level city), so units of any depth stay possible.
const RANK: Record<Exclude<UnitLevel, "self">, number> = { province: 0, city: 1, county: 2 };

/** Why a new unit cannot hang where it was put, and which field to name; null when it may. */
export interface Misplaced { field: "level" | "parent"; message: LocalizedText }

/**
 * Where a new unit may be added, one rule for the workbook and POST /units: a province is the top
 * (only `admin init` makes one); a 本级 unit reports its parent's own figures, so nothing hangs below
 * it; and a unit is never of a level above its parent's (no city below a county).
 */
export function placementProblem(level: UnitLevel, parent: { id: string; name: LocalizedText; level: UnitLevel }): Misplaced | null {
  const p = { zh: `上级单位「${parent.name.zh}」（${parent.id}）`, en: `the parent '${parent.name.en}' (${parent.id})` };
  if (level === "province") {
    return { field: "level", message: { zh: `省级单位是最上级，不能添加在${p.zh}之下`, en: `A province is the top level; it cannot be added below ${p.en}` } };
  }
  if (parent.level === "self") {
    return { field: "parent", message: { zh: `${p.zh}是本级单位（报送其上级本身的数据），其下不能再添加单位`, en: `${p.en} is a 本级 unit (it reports its parent's own figures); no unit can be added below it` } };
  }
  if (level !== "self" && RANK[level] < RANK[parent.level]) {
    return {
      field: "level",
      message: { zh: `级别「${LEVEL_LABELS[level]}」高于${p.zh}的级别「${LEVEL_LABELS[parent.level]}」`, en: `level ${LEVEL_EN[level]} is above the level of ${p.en} (${LEVEL_EN[parent.level]})` },
    };
  }
  return null;
}
