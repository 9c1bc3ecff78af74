import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error — plain ESM script shared with npm start, no type declarations
import { ensureDevCerts } from "../../scripts/dev-certs.mjs";
import { httpsFetch } from "./https";

const root = new URL("../../", import.meta.url).pathname;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

export interface Server {
  baseUrl: string;
  /** The development CA's certificate (PEM): the only one the tests trust. */
  caCert: string;
  /** The `--persist-to` folder holding the server's local D1. */
  statePath: string;
  stop(): Promise<void>;
}

/**
 * The real Worker (wrangler dev, local D1 in a fresh folder, real migrations, the demo seed) on a free
 * loopback port, over HTTPS as `npm start` serves it, with a development certificate from
 * office-addin-dev-certs made in the server's own folder. The add-in must be built first.
 */
export async function startServer(): Promise<Server> {
  const state = mkdtempSync(join(tmpdir(), "tianbao-e2e-"));
  const certs = (await ensureDevCerts(join(state, "certs"))) as { ca: string; cert: string; key: string };
  const ca = readFileSync(certs.ca, "utf8");
  const migrated = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "tianbao", "--local", "--persist-to", state], { cwd: root, encoding: "utf8" });
  if (migrated.status !== 0) throw new Error(`migrations: ${migrated.stderr || migrated.stdout}`);
  const port = await freePort();
  const dev: ChildProcess = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--local-protocol", "https", "--https-key-path", certs.key, "--https-cert-path", certs.cert, "--var", "DEMO_SEED:on", "--show-interactive-dev-session=false"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  dev.stdout?.on("data", (d) => { log += String(d); });
  dev.stderr?.on("data", (d) => { log += String(d); });
  const stop = async () => {
    try { process.kill(-dev.pid!, "SIGTERM"); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(state, { recursive: true, force: true });
  };
  const base = `https://localhost:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try { if ((await httpsFetch(`${base}/api/health`, ca)).ok) break; } catch { /* starting */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`wrangler dev did not start:\n${log}`); }
    await new Promise((r) => setTimeout(r, 300));
  }
  const seeded = await httpsFetch(`${base}/api/demo/seed`, ca, { method: "POST" });
  if (!seeded.ok) { await stop(); throw new Error(`demo seed failed: ${seeded.status} ${seeded.text}`); }
  return { baseUrl: base, caCert: ca, statePath: state, stop };
}
