import { defineConfig } from "vitest/config";

// One run, three projects: the pure core and the add-in in Node/jsdom, the Worker inside workerd.
export default defineConfig({
  test: {
    projects: ["shared", "addin", "addin/e2e", "worker", "worker/engine"],
  },
});
