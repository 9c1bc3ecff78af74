#!/usr/bin/env node
// npm start: build the add-in, migrate the local D1, run the Worker over HTTPS on :8787 (Office
// loads add-ins only over HTTPS, in development too) with the office-addin-dev-certs certificate
// (made on first run), load the demo once.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { ensureDevCerts } from "./dev-certs.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const BASE = `https://localhost:${PORT}`;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const certs = await ensureDevCerts(process.env.TIANBAO_CERT_DIR || undefined);
if (certs.created) console.log(`Made a development certificate for localhost in ${certs.cert} (CA: ${certs.ca}).`);
const ca = readFileSync(certs.ca);

/** A request to the local server, trusting only the development CA. */
const call = (path, method = "GET") => new Promise((resolve, reject) => {
  const req = request(`${BASE}${path}`, { method, ca }, (res) => {
    let body = "";
    res.on("data", (d) => { body += d; });
    res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
  });
  req.on("error", reject);
  req.end();
});

run(process.execPath, ["scripts/build-addin.mjs"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "tianbao", "--local"]);

const dev = spawn("npx", ["wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--local-protocol", "https",
  "--https-key-path", certs.key, "--https-cert-path", certs.cert, "--var", "DEMO_SEED:on"], { stdio: "inherit" });
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

let up = false;
for (let i = 0; i < 120 && !up; i++) {
  up = await call("/api/health").then((r) => r.status === 200, () => false);
  if (!up) await new Promise((r) => setTimeout(r, 500));
}
const pane = await call("/taskpane").catch((e) => ({ status: String(e) }));
const seed = await call("/api/demo/seed", "POST").then((r) => r.body, (e) => String(e));
console.log(`
  Tianbao is running at ${BASE}
    Task pane:    ${BASE}/taskpane (answers ${pane.status})
    Web page:     ${BASE}/
    API health:   ${BASE}/api/health
    OpenAPI:      ${BASE}/api/openapi.json
    Sideload:     manifest.xml (points at ${BASE}); see README "Sideloading"
    Certificate:  ${certs.cert} — trust it once with \`npx office-addin-dev-certs install\` (see README)
  Demo accounts (password: demo-password): admin (晋城市 administrator), shenhe (reviewer),
    chakan (viewer), zezhou (泽州县 reporter), gaoping, chengqu, qinshui, yangcheng, lingchuan, shibenji (市本级);
    the province's round p2025: sheng / shengshenhe (山西省), changzhi / czshenhe (长治市), zhangzi, tunliu,
    xiangyuan, qinyuan, czbenji (长治市本级)
  Demo seed: ${seed}
`);
