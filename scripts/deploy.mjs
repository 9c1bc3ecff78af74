#!/usr/bin/env node
// npm run deploy -- --base-url https://tianbao.example.cn
// Builds the add-in and its production manifest, applies D1 migrations to the remote database,
// then deploys the Worker. Needs Cloudflare credentials (wrangler login or CLOUDFLARE_API_TOKEN).
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { "base-url": { type: "string" }, "catalog-share": { type: "string" } } });
if (!values["base-url"]?.startsWith("https://")) {
  console.error("deploy: pass the production address, e.g. npm run deploy -- --base-url https://tianbao.example.cn");
  process.exit(2);
}
const step = (cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// --catalog-share \\server\tianbao also writes addin/dist-catalog/ (manifest, .reg, install.cmd) for offices without a tenant
step(process.execPath, ["scripts/build-addin.mjs", "--base-url", values["base-url"], ...(values["catalog-share"] ? ["--catalog-share", values["catalog-share"]] : [])]);
step("npx", ["wrangler", "d1", "migrations", "apply", "tianbao", "--remote"]);
step("npx", ["wrangler", "deploy"]);
console.log(`\nDeployed. Manifest for ${values["base-url"]}: addin/dist/manifest.xml${values["catalog-share"] ? "; Windows catalog: addin/dist-catalog/" : ""}`);
