/** Where a unit stands in a round. */
export type UnitState = "not_started" | "submitted" | "returned" | "approved";

export interface UnitStatus {
  unitId: string;
  state: UnitState;
  revision: number | null;
  /** When the unit first submitted in this round (ISO time); null if never. */
  firstSubmittedAt: string | null;
  /** Open again for this unit after the deadline (the administrator reopened it). */
  reopened?: boolean;
  /** The unit's own deadline when it was extended for it alone; its effective deadline is the later of this and the round's. */
  deadline?: string | null;
}

export interface CompletenessRow extends UnitStatus {
  late: boolean;
}

/** The bureau's first question every week: who is in, who is missing, who is late. */
export interface Completeness {
  expected: number;
  submitted: number;
  approved: number;
  returned: number;
  late: number;
  notStarted: number;
  missing: number;
  units: CompletenessRow[];
}

/**
 * Completeness of a round at `now`. A unit is late if it first submitted after its deadline, or
 * its deadline has passed and it has nothing standing in (never submitted, or returned). A unit's
 * deadline is the round's, or its own when that is later (an extension for that unit).
 * `submitted` counts units whose figures stand (submitted or approved).
 */
export function computeCompleteness(
  expectedUnitIds: readonly string[], statuses: readonly UnitStatus[], deadline: string, now: string,
): Completeness {
  const byUnit = new Map(statuses.map((s) => [s.unitId, s]));
  const roundDue = Date.parse(deadline);
  const at = Date.parse(now);
  const units: CompletenessRow[] = expectedUnitIds.map((unitId) => {
    const s = byUnit.get(unitId) ?? { unitId, state: "not_started" as const, revision: null, firstSubmittedAt: null };
    const own = s.deadline ? Date.parse(s.deadline) : NaN;
    const due = own > roundDue ? own : roundDue;
    const past = at > due;
    const lateIn = s.firstSubmittedAt !== null && Date.parse(s.firstSubmittedAt) > due;
    const notIn = s.state === "not_started" || s.state === "returned";
    return { ...s, late: lateIn || (past && notIn) };
  });
  const count = (f: (r: CompletenessRow) => boolean): number => units.filter(f).length;
  const submitted = count((r) => r.state === "submitted" || r.state === "approved");
  return {
    expected: units.length,
    submitted,
    approved: count((r) => r.state === "approved"),
    returned: count((r) => r.state === "returned"),
    late: count((r) => r.late),
    notStarted: count((r) => r.state === "not_started"),
    missing: units.length - submitted,
    units,
  };
}

/** Where a review level stands in a round: its upward submission and its effective upward deadline. */
export interface LevelStatus {
  unitId: string;
  /** The level's unit path (/shanxi/changzhi/): the expected units below it are counted by it. */
  path: string;
  state: UnitState;
  revision: number;
  firstSubmittedAt: string | null;
  /** The later of the round's deadline, its level's deadline and the level's own extension. */
  deadline: string;
}

export interface LevelCompletenessRow extends LevelStatus {
  late: boolean;
  /** The expected units below the level, and how many of them stand, are approved, returned, missing. */
  expected: number;
  submitted: number;
  approved: number;
  returned: number;
  missing: number;
}

/**
 * Completeness of each review level (a city in a province's round): its own state and lateness by
 * its upward deadline (late as a unit is: first submitted after it, or past it with nothing standing),
 * and the expected units below it.
 */
export function computeLevelCompleteness(
  levels: readonly LevelStatus[], units: readonly { path: string; state: UnitState }[], now: string,
): LevelCompletenessRow[] {
  const at = Date.parse(now);
  return levels.map((l) => {
    const below = units.filter((u) => u.path.startsWith(l.path) && u.path !== l.path);
    const due = Date.parse(l.deadline);
    const lateIn = l.firstSubmittedAt !== null && Date.parse(l.firstSubmittedAt) > due;
    const notIn = l.state === "not_started" || l.state === "returned";
    const submitted = below.filter((u) => u.state === "submitted" || u.state === "approved").length;
    return {
      ...l, late: lateIn || (at > due && notIn),
      expected: below.length, submitted,
      approved: below.filter((u) => u.state === "approved").length,
      returned: below.filter((u) => u.state === "returned").length,
      missing: below.length - submitted,
    };
  });
}
