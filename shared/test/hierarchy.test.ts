import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEMO_PAST_VALUES, addCounters, aggregateReports, checkRound, computeLevelCompleteness, countedIn, countersOf, countersOfLevel,
  levelFigures, levelValuesOf, reportsCountedAt, reviewLevelPaths, totalsFromCounters, type Counters, type LeafReport, type ReportState,
} from "@tianbao/shared";
import { compiled } from "./helpers";
import { valuesFor } from "./arbitraries";

const c = compiled();
const STATES: ReportState[] = ["not_started", "submitted", "returned", "approved"];

describe("reviewLevelPaths", () => {
  it("lists every unit strictly between the owner and an expected unit, once", () => {
    expect(reviewLevelPaths("/sx/", ["/sx/jc/zz/", "/sx/jc/gp/", "/sx/cz/zz2/", "/sx/self/"])).toEqual(["/sx/cz/", "/sx/jc/"]);
    // any depth: a town under a county under a city
    expect(reviewLevelPaths("/sx/", ["/sx/jc/zz/town/"])).toEqual(["/sx/jc/", "/sx/jc/zz/"]);
    // a city's own round has none; a unit outside the owner's subtree gives none
    expect(reviewLevelPaths("/sx/jc/", ["/sx/jc/zz/", "/sx/cz/zz2/"])).toEqual([]);
  });
});

/** A province with cities, counties and sometimes towns below them (the leaves report). */
const tree = fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((cities) => {
  const leaves: string[] = [];
  cities.forEach((counties, i) => counties.forEach((towns, j) => {
    if (towns === 0) leaves.push(`/p/c${i}/c${i}k${j}/`);
    for (let t = 0; t < towns; t++) leaves.push(`/p/c${i}/c${i}k${j}/c${i}k${j}t${t}/`);
  }));
  return leaves;
});

describe("the two bases at every level", () => {
  it("countedIn (walking up from each report) and reportsCountedAt (the definition at each unit) agree everywhere", () => {
    fc.assert(fc.property(
      tree.chain((leaves) => fc.record({
        leaves: fc.tuple(...leaves.map((path) => fc.record({ path: fc.constant(path), state: fc.constantFrom(...STATES), values: valuesFor(c) }))),
        levels: fc.array(fc.constantFrom(...STATES), { minLength: 20, maxLength: 20 }),
      })),
      ({ leaves, levels }) => {
        const reports: LeafReport[] = leaves.map((l) => ({ ...l, unitId: l.path.split("/").filter(Boolean).pop()! }));
        const levelPaths = reviewLevelPaths("/p/", reports.map((r) => r.path));
        const levelIds = levelPaths.map((p) => p.split("/").filter(Boolean).pop()!);
        const stateById = new Map(levelIds.map((id, i) => [id, levels[i % levels.length]!]));
        const levelState = (id: string) => stateById.get(id);
        const pathOf = new Map<string, string>();
        for (const r of reports) r.path.split("/").filter(Boolean).forEach((id, i, ids) => pathOf.set(id, `/${ids.slice(0, i + 1).join("/")}/`));
        const bySum = new Map<string, Counters>();
        for (const r of reports) {
          const counted = countedIn(r.path, r.state, levelState);
          for (const [basis, ids] of [["standing", counted.standing], ["approved", counted.accepted]] as const) {
            for (const id of ids) bySum.set(`${id}@${basis}`, addCounters(bySum.get(`${id}@${basis}`) ?? new Map(), countersOf(c, r.values)));
          }
        }
        for (const [id, path] of pathOf) {
          for (const basis of ["standing", "approved"] as const) {
            const reference = aggregateReports(c, reportsCountedAt(reports, levelState, path, basis));
            expect(totalsFromCounters(c, bySum.get(`${id}@${basis}`) ?? new Map())).toEqual(reference);
          }
        }
      },
    ), { numRuns: 60 });
  });

  it("a report approved by its city counts at the city; at the province only once the province approved the city", () => {
    const leaf: LeafReport = { unitId: "zz", path: "/sx/jc/zz/", state: "approved", values: DEMO_PAST_VALUES.zezhou! };
    expect(countedIn(leaf.path, "approved", (id) => (id === "jc" ? "submitted" : undefined)).accepted).toEqual(["zz", "jc"]);
    expect(countedIn(leaf.path, "approved", (id) => (id === "jc" ? "approved" : undefined)).accepted).toEqual(["zz", "jc", "sx"]);
    expect(countedIn(leaf.path, "submitted", () => undefined)).toEqual({ standing: ["sx", "jc", "zz"], accepted: [] });
    expect(reportsCountedAt([leaf], (id) => (id === "jc" ? "returned" : undefined), "/sx/", "approved")).toEqual([]);
    expect(reportsCountedAt([leaf], (id) => (id === "jc" ? "returned" : undefined), "/sx/jc/", "approved")).toHaveLength(1);
  });
});

describe("a level's frozen figures", () => {
  it("round-trip exactly through the stored text (past 2^53) and read as the totals they froze", () => {
    fc.assert(fc.property(fc.array(valuesFor(c), { minLength: 1, maxLength: 8 }), (list) => {
      const counters = list.reduce<Counters>((sum, v) => addCounters(sum, countersOf(c, v)), new Map());
      const stored = JSON.parse(JSON.stringify(levelValuesOf(counters))) as Record<string, string>;
      expect(countersOfLevel(stored)).toEqual(counters);
      expect(totalsFromCounters(c, countersOfLevel(stored))).toEqual(aggregateReports(c, list.map((values, i) => ({ unitId: `u${i}`, values }))));
    }), { numRuns: 50 });
  });

  it("show one text per indicator: sums and rates exact, yes/no as yes/reported, choices by option; blank stays out", () => {
    const reports = ["chengqu", "gaoping", "qinshui"].map((u) => ({ unitId: u, values: { ...DEMO_PAST_VALUES[u]!, work_funds: null } }));
    const f = levelFigures(c, aggregateReports(c, reports));
    expect(f.values).toMatchObject({ products: "1150", plan_issued: "2/3", drive_status: "not_started:1, in_progress:1, achieved:1" }); // options in the template's order
    expect(f.values.work_funds).toBeUndefined();
    // a rate from the summed counts: (1150 − 195) / 1150
    expect(f.derived.std_coverage_rate).toBe("83.04");
  });
});

describe("level completeness", () => {
  it("is late by the level's own upward deadline, and counts the units below it", () => {
    const rows = computeLevelCompleteness([
      { unitId: "jc", path: "/sx/jc/", state: "submitted", revision: 1, firstSubmittedAt: "2026-03-01T00:00:00Z", deadline: "2026-02-28T16:00:00Z" },
      { unitId: "cz", path: "/sx/cz/", state: "returned", revision: 1, firstSubmittedAt: "2026-02-01T00:00:00Z", deadline: "2026-03-31T16:00:00Z" },
      { unitId: "dt", path: "/sx/dt/", state: "not_started", revision: 0, firstSubmittedAt: null, deadline: "2026-02-28T16:00:00Z" },
    ], [
      { path: "/sx/jc/a/", state: "approved" }, { path: "/sx/jc/b/", state: "approved" },
      { path: "/sx/cz/a/", state: "returned" }, { path: "/sx/cz/b/", state: "submitted" }, { path: "/sx/cz/c/", state: "not_started" },
    ], "2026-03-10T00:00:00Z");
    expect(rows.map((r) => [r.unitId, r.late, r.expected, r.submitted, r.approved, r.returned, r.missing])).toEqual([
      ["jc", true, 2, 2, 2, 0, 0], // in after its deadline
      ["cz", false, 3, 1, 0, 1, 2], // returned, but its deadline is still ahead
      ["dt", true, 0, 0, 0, 0, 0], // past its deadline with nothing in
    ]);
  });
});

describe("the integrity check with review levels", () => {
  const paths = new Map([["sx", "/sx/"], ["jc", "/sx/jc/"], ["a", "/sx/jc/a/"], ["b", "/sx/jc/b/"]]);
  const va = DEMO_PAST_VALUES.zezhou!;
  const vb = DEMO_PAST_VALUES.gaoping!;
  const frozen = levelValuesOf(addCounters(countersOf(c, va), countersOf(c, vb)));
  const rows = (over: Partial<Parameters<typeof checkRound>[0]> = {}): Parameters<typeof checkRound>[0] => {
    const all = addCounters(countersOf(c, va), countersOf(c, vb));
    const totals = [
      ...["sx", "jc"].flatMap((u) => [...all].map(([key, v]) => ({ unit_id: u, basis: "standing", key, value: v.toString() }))),
      ...["jc"].flatMap((u) => [...all].map(([key, v]) => ({ unit_id: u, basis: "approved", key, value: v.toString() }))),
      ...([["a", va], ["b", vb]] as const).flatMap(([u, v]) => [...countersOf(c, v)].flatMap(([key, n]) => ["standing", "approved"].map((basis) => ({ unit_id: u, basis, key, value: n.toString() })))),
    ];
    return {
      round: { id: "r", owner_unit_id: "sx" }, compiled: c, expected: ["a", "b"],
      submissions: [{ unit_id: "a", state: "approved", revision: 1, seq: 2 }, { unit_id: "b", state: "approved", revision: 1, seq: 2 }],
      revisions: [{ unit_id: "a", max_revision: 1 }, { unit_id: "b", max_revision: 1 }, { unit_id: "jc", max_revision: 1 }],
      auditSeqs: [...["a", "b"].flatMap((u) => [{ unit_id: u, seq: 1 }, { unit_id: u, seq: 2 }]), { unit_id: "jc", seq: 1 }],
      values: [...Object.entries(va).filter(([, v]) => v !== null).map(([indicator, v]) => ({ unit_id: "a", indicator, value: JSON.stringify(v) })),
        ...Object.entries(vb).filter(([, v]) => v !== null).map(([indicator, v]) => ({ unit_id: "b", indicator, value: JSON.stringify(v) }))],
      totals,
      levels: [{ unit_id: "jc", state: "submitted", revision: 1, seq: 1 }],
      levelValues: Object.entries(frozen).map(([indicator, v]) => ({ unit_id: "jc", indicator, value: JSON.stringify(v) })),
      ...over,
    };
  };

  it("finds nothing in a consistent round: counties approved, the city submitted upward, accepted at the city only", () => {
    expect(checkRound(rows(), paths)).toEqual([]);
  });

  it("finds a level missing, a frozen figure changed, a unit below not approved, and accepted totals counted above an unapproved level", () => {
    const kinds = (r: ReturnType<typeof checkRound>) => r.map((p) => `${p.kind}:${p.unitId}`);
    expect(kinds(checkRound(rows({ levels: [] }), paths))).toContain("expected:jc");
    const tampered = rows().levelValues.map((v) => (v.indicator === "products" ? { ...v, value: JSON.stringify("1") } : v));
    expect(kinds(checkRound(rows({ levelValues: tampered }), paths))).toContain("totals:jc");
    expect(kinds(checkRound(rows({ submissions: [{ unit_id: "a", state: "submitted", revision: 1, seq: 2 }, { unit_id: "b", state: "approved", revision: 1, seq: 2 }] }), paths))).toContain("expected:a");
    const above = [...rows().totals, ...rows().totals.filter((t) => t.unit_id === "jc" && t.basis === "approved").map((t) => ({ ...t, unit_id: "sx" }))];
    expect(kinds(checkRound(rows({ totals: above }), paths))).toContain("totals:sx");
    expect(kinds(checkRound(rows({ auditSeqs: rows().auditSeqs.filter((a) => a.unit_id !== "jc") }), paths))).toContain("audit:jc");
  });
});
