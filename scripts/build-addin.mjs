#!/usr/bin/env node
// npm run build [-- --base-url https://tianbao.example.com]: bundles the add-in into addin/dist
// (served by the Worker as static assets) and writes a manifest for that base URL.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { buildManifest, DEV_BASE_URL, MANIFEST_IDS, isDevBaseUrl } from "./manifest.mjs";
import { installCmd, trustCatalogReg } from "./catalog.mjs";

const { values } = parseArgs({ options: {
  "base-url": { type: "string", default: DEV_BASE_URL }, out: { type: "string", default: "addin/dist" }, quiet: { type: "boolean", default: false },
  // a Windows shared-folder catalog for offices without a tenant (README, Deploy): --catalog-share \\server\tianbao
  "catalog-share": { type: "string" },
} });
const base = values["base-url"];
if (!/^https:\/\//.test(base)) {
  console.error(`build: --base-url must be https — Office loads add-ins only over HTTPS, localhost included: ${base}`);
  process.exit(2);
}
// Source maps only for the development build on localhost; a production build publishes none.
const dev = isDevBaseUrl(base);
const out = values.out;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: "addin/src/main.ts", web: "addin/src/web/page.ts" },
  outdir: out,
  bundle: true,
  splitting: true, // the pane's UI is a separate chunk, loaded only when the pane shows
  format: "esm",
  minify: true,
  sourcemap: dev ? "linked" : false,
  target: "es2020",
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  logLevel: "warning",
});
cpSync("addin/static", out, { recursive: true });
writeFileSync(`${out}/manifest.xml`, buildManifest(base));
if (values["catalog-share"]) {
  // outside the Worker's assets (addin/dist is served): a folder to hand to the office's IT person
  const catalog = `${out}-catalog`;
  rmSync(catalog, { recursive: true, force: true });
  mkdirSync(catalog, { recursive: true });
  const id = isDevBaseUrl(base) ? MANIFEST_IDS.dev : MANIFEST_IDS.production;
  writeFileSync(`${catalog}/manifest.xml`, buildManifest(base));
  writeFileSync(`${catalog}/TrustTianbaoCatalog.reg`, trustCatalogReg(id, values["catalog-share"]));
  writeFileSync(`${catalog}/install.cmd`, installCmd(values["catalog-share"]));
  if (!values.quiet) console.log(`Windows shared-folder catalog for ${values["catalog-share"]}: ${catalog}/`);
}

// Gzip sizes: what a ribbon click loads (the entry and its static imports) and the pane's extra.
const outputs = result.metafile.outputs;
const gz = (file) => gzipSync(readFileSync(file)).length;
const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint === "addin/src/main.ts");
const staticClosure = new Set([entry]);
for (const f of staticClosure) for (const i of outputs[f].imports) if (i.kind === "import-statement") staticClosure.add(i.path);
const paneClosure = new Set([entry]);
for (const f of paneClosure) for (const i of outputs[f].imports) paneClosure.add(i.path);
const js = [...paneClosure].filter((f) => f.endsWith(".js"));
const sizes = {
  commandsGzipBytes: [...staticClosure].reduce((n, f) => n + gz(f), 0),
  taskpaneGzipBytes: js.reduce((n, f) => n + gz(f), 0) + gz(`${out}/taskpane.css`) + gz(`${out}/taskpane.html`),
};
writeFileSync(`${out}/bundle-sizes.json`, JSON.stringify(sizes, null, 2));
if (!values.quiet) console.log(`add-in built for ${base}: ribbon commands ${(sizes.commandsGzipBytes / 1024).toFixed(1)} KiB gz, full task pane ${(sizes.taskpaneGzipBytes / 1024).toFixed(1)} KiB gz`);
