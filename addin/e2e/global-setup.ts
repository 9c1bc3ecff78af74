import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";
import { startServer } from "./server";

const root = new URL("../../", import.meta.url).pathname;

/**
 * Builds the add-in and the browser fake, then starts the real Worker for the end-to-end tests
 * (./server.ts: wrangler dev over HTTPS, local D1 in a fresh folder, real migrations, demo seed).
 * The tests share that server and its database; a test that needs the demo untouched starts its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const r = spawnSync(process.execPath, ["scripts/build-addin.mjs", "--quiet"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build-addin: ${r.stderr || r.stdout}`);
  await build({ entryPoints: [join(root, "addin/test/fake-office/browser.ts")], bundle: true, format: "iife", outfile: join(root, "test-output/fake-office.js"), logLevel: "warning" });
  const server = await startServer();
  project.provide("baseUrl", server.baseUrl);
  project.provide("caCert", server.caCert);
  project.provide("statePath", server.statePath);
  return server.stop;
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    statePath: string;
    /** The development CA's certificate (PEM): the only one the tests trust. */
    caCert: string;
  }
}
