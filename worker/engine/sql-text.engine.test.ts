import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Runs in Node (workerd cannot read the repository): the Worker's SQL is text constants plus bound
// parameters; no value is ever spliced into SQL.
// A constant, or the subtree test applied to column names and parameter numbers (db/units.ts).
const CONSTANT = /^(?:[A-Z_]+|inSubtree\("(?:[\w.]+|\?\d{1,3})", "(?:[\w.]+|\?\d{1,3})"\))$/;

describe("SQL", () => {
  it("is built only from constants and bound parameters (no values spliced into SQL text)", () => {
    const dir = new URL("../src/", import.meta.url).pathname;
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(`${d}${e.name}/`);
        else if (e.name.endsWith(".ts")) files.push(`${d}${e.name}`);
      }
    };
    walk(dir);
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/\.prepare\(\s*`([^`]*)`/g)) {
        for (const x of m[1]!.matchAll(/\$\{([^}]*)\}/g)) if (!CONSTANT.test(x[1]!.trim())) offenders.push(`${f}: \${${x[1]}}`);
      }
      if (/\.prepare\(\s*[^`"'\s]/.test(text.replace(/\.prepare\(\s*(SQL|QUERY|INTEGRITY_QUERIES\[\w+\]|passedThrough\))/g, ""))) offenders.push(`${f}: prepare() with a non-literal`);
    }
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
