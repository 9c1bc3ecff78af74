import { describe, expect, it } from "vitest";
import { nextPeriod, previousPeriod } from "@tianbao/shared";

describe("periods", () => {
  it("step forward across year ends, and back again", () => {
    expect(["2024", "2024H1", "2024H2", "2024Q3", "2024Q4", "2024-09", "2024-12"].map(nextPeriod)).toEqual(["2025", "2024H2", "2025H1", "2024Q4", "2025Q1", "2024-10", "2025-01"]);
    for (const p of ["2024", "2024H2", "2025Q1", "2025-01", "2024-07"]) expect(previousPeriod(nextPeriod(p)!)).toBe(p);
    expect(nextPeriod("2024Q5")).toBeNull();
  });
});
