import { describe, expect, it } from "vitest";
import { meteredD1, type D1Meter } from "../src/db/meter";
import { ensureDemo, env } from "./helpers";

// The bench's D1 meter sums what D1 itself reports; checked here against statements whose cost is known.
describe("the D1 meter (npm run bench)", () => {
  it("sums rows read and written from D1's own result metadata, through first, all, run and batch", async () => {
    await ensureDemo();
    const meter: D1Meter = { read: 0, written: 0, queries: 0 };
    const db = meteredD1(env.DB, meter);
    const units = await db.prepare("SELECT COUNT(*) AS n FROM units").first<number>("n");
    expect(units).toBeGreaterThan(5);
    expect(meter.read).toBeGreaterThanOrEqual(units!); // a full scan reads every row
    const before = meter.written;
    await db.batch([
      db.prepare("INSERT INTO audit (at, action, detail) VALUES (?, 'meter', '{}')").bind("2026-01-01T00:00:00Z"),
      db.prepare("INSERT INTO audit (at, action, detail) VALUES (?, 'meter', '{}')").bind("2026-01-01T00:00:01Z"),
    ]);
    expect(meter.written - before).toBeGreaterThanOrEqual(2);
    const { results } = await db.prepare("SELECT id FROM audit WHERE action = ?").bind("meter").all();
    expect(results).toHaveLength(2);
    expect(meter.queries).toBe(4);
  });
});
