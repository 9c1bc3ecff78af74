import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The Worker as `wrangler deploy` would upload it, against Cloudflare's plan limits: 3 MB gzip on
// Workers Free, 10 MB on Workers Paid (https://developers.cloudflare.com/workers/platform/limits/#worker-size).
// CI runs this, so a dependency that pushes the Worker past the free plan's limit fails the build.
export const FREE_PLAN_GZIP_KIB = 3 * 1024;

describe("the deployed Worker", () => {
  it("fits the Workers Free plan's 3 MB (gzip)", () => {
    const out = mkdtempSync(join(tmpdir(), "tianbao-dry-run-"));
    try {
      const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { cwd: new URL("../../", import.meta.url).pathname, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      const gzip = Number(m![2]);
      console.log(`worker size: ${m![1]} KiB, ${gzip} KiB gzip (${((gzip / FREE_PLAN_GZIP_KIB) * 100).toFixed(0)} % of the free plan's limit)`);
      expect(gzip).toBeLessThan(FREE_PLAN_GZIP_KIB);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
