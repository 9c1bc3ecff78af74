import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { startReceiver } from "./test/webhook-receiver";

// The group-robot receiver the reminder tests post to (loopback only).
const receiver = await startReceiver();

// wrangler.toml serves the built add-in as assets; tests need the folder to exist, not the build.
mkdirSync(fileURLToPath(new URL("../addin/dist", import.meta.url)), { recursive: true });

// Worker tests run inside workerd against a real local D1 with the real migrations applied.
export default defineProject({
  // the upload corpus's workbooks are imported as data (worker/test/upload-corpus.test.ts)
  assetsInclude: ["**/*.xlsx"],
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: fileURLToPath(new URL("../wrangler.toml", import.meta.url)) },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url))),
          RECEIVER_URL: receiver.url,
          REMINDER_TEST_HOSTS: "127.0.0.1",
        },
      },
    })),
  ],
  test: {
    name: "worker",
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/apply-migrations.ts", "./test/integrity-after.ts"],
    testTimeout: 60_000,
  },
});
