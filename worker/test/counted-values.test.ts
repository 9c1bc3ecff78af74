// The reports a subtree's accepted totals count (review27's finding F1): on a nation's round the
// approved basis took ~15 s and held every other request, because the check against open review
// levels ran once per value row (reports × indicators × levels). It now runs once per report. Measured
// as D1's own rows-read count, never as time: the approved basis reads about what the standing one does.
import { beforeAll, describe, expect, it } from "vitest";
import { meteredD1, type D1Meter } from "../src/db/meter";
import { readCountedValues } from "../src/db/submissions";
import { seedProvinceDemo } from "../src/demo/seed";
import { ensureDemo, env } from "./helpers";

beforeAll(async () => { await ensureDemo(); await seedProvinceDemo(env.DB); });

const read = async (basis: "standing" | "approved") => {
  const meter: D1Meter = { read: 0, written: 0, queries: 0 };
  const values = await readCountedValues(meteredD1(env.DB, meter), "p2025", "/shanxi/", basis);
  return { rows: meter.read, units: values.size };
};

describe("readCountedValues", () => {
  it("checks each report once against the open review levels, not each of its values", async () => {
    const standing = await read("standing");
    const approved = await read("approved");
    expect(standing.units).toBeGreaterThan(approved.units); // 长治市 is not approved at the province yet
    // old query: ≈ 2 × rows of revision_values per open level on top; now within the standing basis' reads
    expect(approved.rows).toBeLessThanOrEqual(standing.rows * 1.2 + 50);
  });

  it("counts what it did before: a report below an unapproved level is not accepted at the province, and is at its city", async () => {
    const atProvince = await readCountedValues(env.DB, "p2025", "/shanxi/", "approved");
    const atChangzhi = await readCountedValues(env.DB, "p2025", "/shanxi/changzhi/", "approved");
    const changzhiUnits = [...atChangzhi.keys()];
    expect(changzhiUnits.length).toBeGreaterThan(0);
    for (const u of changzhiUnits) expect(atProvince.has(u)).toBe(false);
    const standing = await readCountedValues(env.DB, "p2025", "/shanxi/", "standing");
    for (const [u, v] of atProvince) expect(standing.get(u)).toEqual(v);
  });
});
