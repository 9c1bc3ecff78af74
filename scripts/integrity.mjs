#!/usr/bin/env node
// npm run integrity [-- --remote | --persist-to DIR] [--json]   The integrity check over the local (default) or deployed D1:
// every round's totals recomputed from the stored revisions, the hierarchy, the expected units and
// the audit sequence. The same sliced check as GET /api/integrity and the daily cron (issue 27):
// each slice's queries go to D1 as one `wrangler d1 execute`; exits 1 on problems.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const { values } = parseArgs({ options: { remote: { type: "boolean", default: false }, json: { type: "boolean", default: false }, "persist-to": { type: "string" } } });
const root = fileURLToPath(new URL("..", import.meta.url));

// The check is TypeScript shared with the Worker; bundle it once for Node.
const bundled = await build({ entryPoints: [`${root}worker/src/integrity/cli.ts`], bundle: true, platform: "node", format: "esm", write: false, logLevel: "error" });
const { INTEGRITY_QUERIES, runIntegrity } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);

// Local: one Miniflare D1 binding over the state folder (wrangler's getPlatformProxy), every slice's queries one
// D1 batch with bound parameters. Remote: each slice's queries as one `wrangler d1 execute` (it takes no bound
// parameters, so each ?N is written as an SQL literal, text quoted with '' doubled).
const noTables = () => console.error(`integrity: the ${values.remote ? "remote" : "local"} database has no tables yet. Run \`npm start\` once (it migrates and loads the demo) or \`npx wrangler d1 migrations apply tianbao ${values.remote ? "--remote" : "--local"}\`.`);
const literal = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const inline = (sql, params) => sql.replace(/\?(\d+)/g, (_, n) => literal(params[Number(n) - 1] ?? null)).replace(/\s+/g, " ");
let dispose = async () => {};
let source;
if (values.remote) {
  source = {
    async batch(queries) {
      const sql = queries.map((q) => inline(INTEGRITY_QUERIES[q.name], q.params)).join(";\n");
      const r = spawnSync("npx", ["wrangler", "d1", "execute", "tianbao", "--remote", "--json", "--command", sql], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
      if (r.status !== 0) {
        const text = r.stderr || r.stdout;
        if (/no such table/.test(text)) noTables();
        else console.error(`integrity: reading the database failed\n${text}`);
        process.exit(2);
      }
      const results = JSON.parse(r.stdout);
      if (results.length !== queries.length) { console.error(`integrity: expected ${queries.length} results, got ${results.length}`); process.exit(2); }
      return results.map((x) => x.results ?? []);
    },
  };
} else {
  const { getPlatformProxy } = await import("wrangler");
  const state = resolve(values["persist-to"] ?? join(root, ".wrangler", "state"));
  const proxy = await getPlatformProxy({ configPath: join(root, "wrangler.toml"), persist: { path: join(state, "v3") }, remoteBindings: false, envFiles: [] });
  dispose = () => proxy.dispose();
  const db = proxy.env.DB;
  source = {
    async batch(queries) {
      try {
        const results = await db.batch(queries.map((q) => db.prepare(INTEGRITY_QUERIES[q.name]).bind(...q.params)));
        return results.map((x) => x.results ?? []);
      } catch (e) {
        if (/no such table/.test(String(e))) noTables();
        else console.error(`integrity: reading the database failed\n${e}`);
        await dispose();
        process.exit(2);
      }
    },
  };
}

// Slice after slice to the end (no Worker limit here; each slice still reads only its own rows).
const report = { units: 0, rounds: 0, problems: [], slices: 0 };
let cursor = "";
for (;;) {
  const r = await runIntegrity(source, "/", new Date(), cursor);
  report.units = r.units;
  report.rounds += r.work.filter((w) => w.roundId !== null && w.slice === 0).length;
  report.problems.push(...r.problems);
  report.slices += r.work.length;
  if (r.complete) break;
  cursor = r.next;
}
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`integrity (${values.remote ? "remote" : "local"} database): ${report.units} units, ${report.rounds} rounds, ${report.problems.length} problems (${report.slices} slices)`);
  for (const p of report.problems) console.log(`  [${p.kind}] ${p.roundId ?? "-"} ${p.unitId ?? "-"}: ${p.message.zh} / ${p.message.en}`);
}
await dispose();
process.exit(report.problems.length === 0 ? 0 : 1);
