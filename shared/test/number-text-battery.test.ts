// The independent attack's battery of malformed number text (52 texts × count and amount).
import { describe, expect, it } from "vitest";
import { normalizeValue, type Indicator } from "../src";

const count = { code: "products", section: "s", name: { zh: "工业产品总数", en: "Products" }, required: false, kind: "count" } as Indicator;
const amount = { code: "funds", section: "s", name: { zh: "经费", en: "Funds" }, required: false, kind: "amount", unit: "万元", decimals: 2 } as Indicator;

const MALFORMED = [
  "12,34", "1 2 3", "1e3", "1E3", "1,47,0", "1,4700", ",123", "123,", "1,,470", "0x10", "0b1", "0o7", "Infinity", "-Infinity", "NaN",
  "12.", ".5", "+-1", "--1", "1_000", "1'000", "1.470,5", "1.2.3", "１２,３４", "1 470", "1\u00a0470", "1\u2009470", "٣", "१२", "1%", "¥100", "$5", "100万",
  "(12)", "−5", "1/2", "TRUE", "true", "null", "", "9".repeat(41), "1".repeat(300), "1,470.5.0", "12e-3", "1d", "1f", "0,5", "1,470,", "=1+1", "+", "-", ".", "1..2",
];

describe("class 1: malformed number text", () => {
  it("refuses every malformed text with the indicator named (counted)", () => {
    let refused = 0;
    const accepted: string[] = [];
    for (const t of MALFORMED.filter((x) => x !== "")) {
      for (const ind of [count, amount]) {
        const r = normalizeValue(ind, t);
        if (!r.ok && r.issue.indicator === ind.code && r.issue.message.zh.includes(ind.code)) refused++;
        else accepted.push(`${ind.kind}:${JSON.stringify(t)}→${JSON.stringify(r.ok ? r.value : r.issue)}`);
      }
    }
    console.log(`malformed texts refused ${refused}/${(MALFORMED.length - 1) * 2}`, accepted);
    expect(accepted).toEqual([]);
  });
});
