#!/usr/bin/env node
// npm run integrity [-- --remote]   The integrity check over the local (default) or deployed D1:
// every round's totals recomputed from the stored revisions, the hierarchy, the expected units and
// the audit sequence. The same check as GET /api/integrity and the daily cron; exits 1 on problems.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const { values } = parseArgs({ options: { remote: { type: "boolean", default: false }, json: { type: "boolean", default: false } } });
const root = fileURLToPath(new URL("..", import.meta.url));

// The check is TypeScript shared with the Worker; bundle it once for Node.
const bundled = await build({ entryPoints: [`${root}worker/src/integrity/cli.ts`], bundle: true, platform: "node", format: "esm", write: false, logLevel: "error" });
const { INTEGRITY_QUERIES, integrityOf } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);

const dump = {};
for (const [name, sql] of Object.entries(INTEGRITY_QUERIES)) {
  const r = spawnSync("npx", ["wrangler", "d1", "execute", "tianbao", values.remote ? "--remote" : "--local", "--json", "--command", sql], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) { console.error(`integrity: reading ${name} failed\n${r.stderr || r.stdout}`); process.exit(2); }
  dump[name] = JSON.parse(r.stdout).flatMap((res) => res.results ?? []);
}
const report = integrityOf(dump, "/", new Date());
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`integrity (${values.remote ? "remote" : "local"} database): ${report.units} units, ${report.rounds} rounds, ${report.problems.length} problems`);
  for (const p of report.problems) console.log(`  [${p.kind}] ${p.roundId ?? "-"} ${p.unitId ?? "-"}: ${p.message.zh} / ${p.message.en}`);
}
process.exit(report.problems.length === 0 ? 0 : 1);
