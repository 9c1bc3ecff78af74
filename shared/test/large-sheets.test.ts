// A province's totals sheet holds more cells than a JavaScript call takes arguments: Math.max(...cells)
// threw "Maximum call stack size exceeded" past ~120,000 cells (found by npm run bench's 3,000 × 200).
import { describe, expect, it } from "vitest";
import { TemplateSchema, buildTotalsPlan, compileTemplate, largest, printFit, syntheticTemplate } from "@tianbao/shared";

describe("sheets larger than a call's arguments", () => {
  it("a totals sheet of 1,000 units × 200 indicators is laid out and fitted to the page", () => {
    const r = compileTemplate(TemplateSchema.parse(syntheticTemplate(200)));
    if (!r.ok) throw new Error("template");
    const columns = Array.from({ length: 1000 }, (_, k) => ({ id: `u${k}`, name: `单位${k}`, values: {} }));
    const plan = buildTotalsPlan(r.compiled, { title: "省", note: "", columns });
    expect(plan.cells.length).toBeGreaterThan(150_000);
    expect(printFit(plan).scale).toBeGreaterThan(0);
    expect(largest(plan.cells.map((c) => c.row))).toBeGreaterThan(200);
    expect(largest([])).toBe(-Infinity);
  });
});
