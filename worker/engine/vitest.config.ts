import { defineProject } from "vitest/config";

// Spreadsheet output checked by a real engine: LibreOffice Calc, headless, from Debian.
export default defineProject({
  test: {
    name: "engine",
    environment: "node",
    include: ["**/*.engine.test.ts"],
    testTimeout: 180_000,
    fileParallelism: false,
  },
});
