import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, DEMO_UNITS, Exact as X, addCounters, aggregateReports, aggregateTree,
  computeCompleteness, countersOf, totalsFromCounters, type Counters, type UnitReport,
} from "@tianbao/shared";
import { compiled } from "./helpers";
import { reportsFor } from "./arbitraries";

const c = compiled();
const demo: UnitReport[] = DEMO_REPORTING_UNITS.map((unitId) => ({ unitId, values: DEMO_PAST_VALUES[unitId]! }));
const valueOf = (t: ReturnType<typeof aggregateReports>, code: string) => {
  const v = t.indicators[code];
  return v && "value" in v ? v.value : undefined;
};

describe("aggregateReports on the Jincheng demo (figures from the seeds)", () => {
  const totals = aggregateReports(c, demo);
  it("adds counts and amounts to the seeds' totals", () => {
    expect(valueOf(totals, "cn_famous_brands")).toBe("2");
    expect(valueOf(totals, "inspection_exempt")).toBe("7");
    expect(valueOf(totals, "prov_famous_brands")).toBe("16");
    expect(valueOf(totals, "brand_output")).toBe("210.00");
    expect(valueOf(totals, "brand_exports")).toBe("8662.00");
    expect(valueOf(totals, "above_scale_ents")).toBe("771");
    expect(valueOf(totals, "above_value_added")).toBe("266.20");
    expect(valueOf(totals, "work_funds")).toBe("67.00");
  });

  it("computes rates from summed counts: coverage 83.54%, adoption 2.14%, shares 51/53/85%, grade 88%", () => {
    expect(valueOf(totals, "std_coverage_rate")).toBe("83.54");
    expect(valueOf(totals, "adoption_rate")).toBe("2.14");
    expect(valueOf(totals, "brand_output_share")).toBe("51.00");
    expect(valueOf(totals, "brand_profit_share")).toBe("53.00");
    expect(valueOf(totals, "brand_export_share")).toBe("85.00");
    expect(valueOf(totals, "small_firm_share")).toBe("88.71");
    expect(valueOf(totals, "grade_rate")).toBe("88.00");
  });

  it("while the average of the units' own rates would be wrong", () => {
    const rates = demo.map((r) => {
      const p = Number(r.values.products);
      return ((p - Number(r.values.products_no_std)) / p) * 100;
    });
    const average = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(average.toFixed(2)).not.toBe("83.54");
  });

  it("rolls yes/no up as how many said yes out of how many reported", () => {
    const counties = aggregateReports(c, demo.filter((r) => r.unitId !== "jincheng_self"));
    expect(counties.indicators.plan_issued).toEqual({ kind: "yesno", yes: 5, reported: 6, share: "83.3" });
    expect(counties.indicators.drive_status).toMatchObject({ kind: "choice", counts: { not_started: 1, in_progress: 3, achieved: 2 } });
  });

  it("rolls the tree up to any ancestor: the province sees what its city sees", () => {
    const province = aggregateTree(c, DEMO_UNITS, demo, "shanxi");
    const city = aggregateTree(c, DEMO_UNITS, demo, "jincheng");
    expect(province.total).toEqual(city.total);
    expect(city.children).toHaveLength(7);
    expect(valueOf(city.children.find((ch) => ch.unit.id === "zezhou")!.totals, "products")).toBe("500");
  });
});

describe("the seed survey city: 12 counties, 423 and 55 of ~2,570 products", () => {
  // Any split of the survey's counts over 12 counties gives 83.5% and 2.14% for the city.
  const split = (total: number) => fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 12, maxLength: 12 }).map((w) => {
    const sum = w.reduce((a, b) => a + b, 0);
    const parts = w.map((x) => Math.floor((x * total) / sum));
    parts[0]! += total - parts.reduce((a, b) => a + b, 0);
    return parts;
  });
  it("computes coverage 83.5% and adoption 2.14% from counts, whatever the split (property)", () => {
    let averagesOff = 0;
    fc.assert(fc.property(split(2570), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 12, maxLength: 12 }), (products, w) => {
      // no-standard and adopting counts spread in proportion to random weights, capped by each county's products
      const spread = (total: number): number[] => {
        const out = products.map(() => 0);
        let left = total;
        for (let i = 0; left > 0; i = (i + 1) % 12) {
          const room = products[i]! - out[i]!;
          const take = Math.min(room, left, 1 + (w[i] ?? 0));
          out[i]! += take;
          left -= take;
        }
        return out;
      };
      const noStd = spread(423);
      const adopting = spread(55);
      const reports = products.map((p, i) => ({ unitId: `c${i}`, values: { products: p, products_no_std: noStd[i]!, products_adopting: adopting[i]! } }));
      const t = aggregateReports(c, reports);
      expect(X.toFixed(X.parseExact(valueOf(t, "std_coverage_rate")!)!, 1)).toBe("83.5");
      expect(valueOf(t, "adoption_rate")).toBe("2.14");
      const avg = products.reduce((s, p, i) => s + ((p - noStd[i]!) / p) * 100, 0) / 12;
      if (avg.toFixed(1) !== "83.5") averagesOff++;
    }), { numRuns: 200 });
    expect(averagesOff).toBeGreaterThan(150); // averaging county rates is almost always wrong
  });
});

describe("aggregation properties", () => {
  it("does not depend on the order of units", () => {
    fc.assert(fc.property(reportsFor(c).chain((r) => fc.tuple(fc.constant(r), fc.shuffledSubarray(r, { minLength: r.length, maxLength: r.length }))), ([a, b]) => {
      expect(aggregateReports(c, b)).toEqual(aggregateReports(c, a));
    }), { numRuns: 60 });
  });

  it("equals the sum of its parts, and blank is never counted as 0", () => {
    fc.assert(fc.property(reportsFor(c), reportsFor(c), (a, b) => {
      const whole = aggregateReports(c, [...a, ...b.map((r) => ({ ...r, unitId: `b${r.unitId}` }))]);
      const [ta, tb] = [aggregateReports(c, a), aggregateReports(c, b)];
      for (const ind of c.template.indicators) {
        const [w, x, y] = [whole.indicators[ind.code]!, ta.indicators[ind.code]!, tb.indicators[ind.code]!];
        if (w.kind === "count" || w.kind === "amount") {
          const parts = [x, y].map((t) => ("value" in t ? t.value : null)).filter((v): v is string => v !== null);
          expect(w.value === null).toBe(parts.length === 0);
          if (w.value !== null) expect(X.compare(X.parseExact(w.value)!, X.sum(parts.map((p) => X.parseExact(p)!)))).toBe(0);
          const reported = [...a, ...b].filter((r) => r.values[ind.code] !== null).length;
          expect(w.reported).toBe(reported);
        }
        if (w.kind === "yesno" && x.kind === "yesno" && y.kind === "yesno") expect(w.yes).toBe(x.yes + y.yes);
      }
    }), { numRuns: 60 });
  });

  it("integer counters (the store's incremental path) equal the reference after adds and removals", () => {
    fc.assert(fc.property(reportsFor(c), reportsFor(c, 4), (kept, removed) => {
      let counters: Counters = new Map();
      for (const r of [...kept, ...removed]) counters = addCounters(counters, countersOf(c, r.values));
      for (const r of removed) counters = addCounters(counters, countersOf(c, r.values), -1n);
      expect(totalsFromCounters(c, counters)).toEqual(aggregateReports(c, kept));
    }), { numRuns: 60 });
  });
});

describe("computeCompleteness", () => {
  it("counts expected, submitted, approved, returned, late and not started", () => {
    const r = computeCompleteness(["a", "b", "c", "d", "e"], [
      { unitId: "a", state: "approved", revision: 2, firstSubmittedAt: "2025-01-10T00:00:00Z" },
      { unitId: "b", state: "submitted", revision: 1, firstSubmittedAt: "2025-02-10T00:00:00Z" },
      { unitId: "c", state: "returned", revision: 1, firstSubmittedAt: "2025-01-05T00:00:00Z" },
    ], "2025-01-31T23:59:59+08:00", "2025-03-01T00:00:00Z");
    expect(r).toMatchObject({ expected: 5, submitted: 2, approved: 1, returned: 1, notStarted: 2, missing: 3, late: 4 });
    expect(r.units.filter((u) => u.late).map((u) => u.unitId)).toEqual(["b", "c", "d", "e"]);
  });

  it("counts nobody late before the deadline unless they came in late", () => {
    const r = computeCompleteness(["a", "b"], [], "2025-01-31T23:59:59+08:00", "2025-01-01T00:00:00Z");
    expect(r).toMatchObject({ late: 0, notStarted: 2, missing: 2 });
  });
});
