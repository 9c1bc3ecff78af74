import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Exact as X } from "@tianbao/shared";

describe("exact decimals", () => {
  it("keeps 68.68 as 68.68 through parsing, sums and fixed output", () => {
    const a = X.parseExact("68.68")!;
    expect(X.toFixed(a, 2)).toBe("68.68");
    expect(X.toFixed(X.sum([a, a, a]), 2)).toBe("206.04");
    expect(0.1 + 0.2).not.toBe(0.3); // what binary floating point would have done
    expect(X.toFixed(X.add(X.parseExact("0.1")!, X.parseExact("0.2")!), 1)).toBe("0.3");
  });

  it("reads JS numbers through their shortest text, including exponents", () => {
    expect(X.toDecimalText(X.exactFromNumber(68.68)!)).toBe("68.68");
    expect(X.toDecimalText(X.exactFromNumber(1e21)!)).toBe("1000000000000000000000");
    expect(X.toDecimalText(X.exactFromNumber(1.5e-7)!)).toBe("0.00000015");
    expect(X.exactFromNumber(NaN)).toBeNull();
    expect(X.exactFromNumber(Infinity)).toBeNull();
  });

  it("rounds half away from zero like Excel's ROUND", () => {
    expect(X.toFixed(X.parseExact("2.345")!, 2)).toBe("2.35");
    expect(X.toFixed(X.parseExact("-2.345")!, 2)).toBe("-2.35");
    expect(X.toFixed(X.parseExact("2.344")!, 2)).toBe("2.34");
    expect(X.toFixed(X.div(X.fromInt(2147), X.fromInt(2570))!, 4)).toBe("0.8354");
  });

  it("refuses text that is not a plain decimal", () => {
    for (const bad of ["", "1e5", "1,000", "abc", "--1", "1.", ".5", "NaN"]) expect(X.parseExact(bad)).toBeNull();
  });

  it("sums the same whatever the order (property)", () => {
    const dec = fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 4 }))
      .map(([n, s]) => X.toFixed({ n, d: 10n ** BigInt(s) }, s));
    fc.assert(fc.property(fc.array(dec, { maxLength: 30 }), (texts) => {
      const values = texts.map((t) => X.parseExact(t)!);
      const forward = X.sum(values);
      const backward = X.sum([...values].reverse());
      expect(X.compare(forward, backward)).toBe(0);
    }));
  });

  it("prints back exactly what it parsed at the same precision (property)", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 }), (n, s) => {
      const text = X.toFixed({ n, d: 10n ** BigInt(s) }, s);
      expect(X.toFixed(X.parseExact(text)!, s)).toBe(text);
    }));
  });
});
