import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "addin",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
