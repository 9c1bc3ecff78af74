import { defineProject } from "vitest/config";

// Real headless Chromium against the real Worker (wrangler dev, local D1); see global-setup.ts.
export default defineProject({
  test: {
    name: "e2e",
    environment: "node",
    include: ["**/*.e2e.test.ts"],
    globalSetup: ["./global-setup.ts"],
    testTimeout: 120_000,
    fileParallelism: false, // one Worker and one database for all browser tests
    hookTimeout: 180_000,
  },
});
