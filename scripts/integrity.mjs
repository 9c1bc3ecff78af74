#!/usr/bin/env node
// npm run integrity [-- --remote | --persist-to DIR]   The integrity check over the local (default) or deployed D1:
// every round's totals recomputed from the stored revisions, the hierarchy, the expected units and
// the audit sequence. The same check as GET /api/integrity and the daily cron; exits 1 on problems.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const { values } = parseArgs({ options: { remote: { type: "boolean", default: false }, json: { type: "boolean", default: false }, "persist-to": { type: "string" } } });
const root = fileURLToPath(new URL("..", import.meta.url));

// The check is TypeScript shared with the Worker; bundle it once for Node.
const bundled = await build({ entryPoints: [`${root}worker/src/integrity/cli.ts`], bundle: true, platform: "node", format: "esm", write: false, logLevel: "error" });
const { INTEGRITY_QUERIES, integrityOf } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);

// One wrangler call for every query: it answers with one result per statement, in order.
const names = Object.keys(INTEGRITY_QUERIES);
const sql = names.map((n) => INTEGRITY_QUERIES[n].replace(/\s+/g, " ")).join(";\n");
const r = spawnSync("npx", ["wrangler", "d1", "execute", "tianbao", values.remote ? "--remote" : "--local", ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : []), "--json", "--command", sql], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
if (r.status !== 0) {
  const text = r.stderr || r.stdout;
  if (/no such table/.test(text)) console.error(`integrity: the ${values.remote ? "remote" : "local"} database has no tables yet. Run \`npm start\` once (it migrates and loads the demo) or \`npx wrangler d1 migrations apply tianbao ${values.remote ? "--remote" : "--local"}\`.`);
  else console.error(`integrity: reading the database failed\n${text}`);
  process.exit(2);
}
const results = JSON.parse(r.stdout);
if (results.length !== names.length) { console.error(`integrity: expected ${names.length} results, got ${results.length}`); process.exit(2); }
const dump = Object.fromEntries(names.map((n, i) => [n, results[i].results ?? []]));
const report = integrityOf(dump, "/", new Date());
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`integrity (${values.remote ? "remote" : "local"} database): ${report.units} units, ${report.rounds} rounds, ${report.problems.length} problems`);
  for (const p of report.problems) console.log(`  [${p.kind}] ${p.roundId ?? "-"} ${p.unitId ?? "-"}: ${p.message.zh} / ${p.message.en}`);
}
process.exit(report.problems.length === 0 ? 0 : 1);
