#!/usr/bin/env node
// npm start: build the add-in, migrate the local D1, run the Worker on :8787, load the demo once.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";

const PORT = Number(process.env.PORT ?? 8787);
const BASE = `http://localhost:${PORT}`;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (existsSync("scripts/build-addin.mjs")) run(process.execPath, ["scripts/build-addin.mjs"]);
else mkdirSync("addin/dist", { recursive: true });
run("npx", ["wrangler", "d1", "migrations", "apply", "tianbao", "--local"]);

const dev = spawn("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--var", "DEMO_SEED:on"], { stdio: "inherit" });
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

for (let i = 0; i < 120; i++) {
  try {
    if ((await fetch(`${BASE}/api/health`)).ok) break;
  } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 500));
}
const seed = await fetch(`${BASE}/api/demo/seed`, { method: "POST" }).then((r) => r.json()).catch((e) => ({ error: String(e) }));
console.log(`
  Tianbao is running at ${BASE}
    API health:   ${BASE}/api/health
    OpenAPI:      ${BASE}/api/openapi.json
    Task pane:    ${BASE}/taskpane.html
    Sideload:     manifest.xml (points at ${BASE}); see README "Sideloading"
  Demo accounts (password: demo-password): admin (晋城市 administrator), shenhe (reviewer),
    chakan (viewer), zezhou (泽州县 reporter), gaoping, chengqu, qinshui, yangcheng, lingchuan, shibenji (市本级)
  Demo seed: ${JSON.stringify(seed)}
`);
