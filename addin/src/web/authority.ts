// Who reviews whom, as the Worker decides it (worker/src/routes/context.ts mayReview), so the desk
// offers 审核 only where it will be taken: a unit's parent reviews it; when the parent opened the round,
// the owner or a unit above it does. Nobody reviews their own unit.
import type { RoundView, UserView } from "@tianbao/shared";

export interface UnitTree {
  /** Each unit in the signed-in unit's subtree (itself included) with its parent. */
  parentOf: ReadonlyMap<string, string | null>;
}

export function reviewsUnit(me: UserView, round: RoundView, tree: UnitTree, unitId: string): boolean {
  if (me.role !== "admin" && me.role !== "reviewer") return false;
  if (unitId === me.unitId) return false;
  const parent = tree.parentOf.get(unitId);
  if (parent === undefined || parent === null) return false;
  if (parent === me.unitId) return true;
  // the round's owner is in my subtree: I am the owner or above it
  return parent === round.ownerUnitId && tree.parentOf.has(round.ownerUnitId);
}
