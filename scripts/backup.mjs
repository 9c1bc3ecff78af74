#!/usr/bin/env node
// npm run backup -- --output backup.sql [--remote | --persist-to DIR]   A full export of the D1 database
// that restores into an empty one with `npx wrangler d1 execute NEW --file backup.sql`.
//
// `wrangler d1 export` writes each table followed by its rows, tables in the order they were created.
// A migration that rebuilds a table (0012 rebuilt `units` to widen a CHECK) moves it after the tables
// that refer to it, and their rows then fail to restore ("no such table: main.units": a foreign key
// needs its parent table even when its check is deferred). So the export is rewritten in an order that
// always restores: every CREATE TABLE first, then every row (foreign keys stay deferred, as the export
// asks), then the indexes, triggers and views — as the export itself puts them, after all the data.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values } = parseArgs({ options: { output: { type: "string" }, remote: { type: "boolean", default: false }, "persist-to": { type: "string" } } });
if (!values.output) {
  console.error("backup: --output FILE is required, e.g. npm run backup -- --output backup.sql --remote");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const output = resolve(values.output);
// `wrangler d1 export --local` reads ./.wrangler/state and takes no --persist-to: for another state
// folder, run it in a scratch project whose state is that folder
let cwd = root;
let scratch = null;
if (values["persist-to"] && !values.remote) {
  scratch = mkdtempSync(join(tmpdir(), "tianbao-backup-"));
  mkdirSync(join(scratch, ".wrangler"), { recursive: true });
  symlinkSync(resolve(values["persist-to"]), join(scratch, ".wrangler", "state"));
  copyFileSync(join(root, "wrangler.toml"), join(scratch, "wrangler.toml"));
  cwd = scratch;
}
const r = spawnSync("npx", [join(root, "node_modules/.bin/wrangler"), "d1", "export", "tianbao", values.remote ? "--remote" : "--local", "--output", output], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
if (scratch) rmSync(scratch, { recursive: true, force: true });
if (r.status !== 0) {
  console.error(`backup: wrangler d1 export failed\n${r.stderr || r.stdout}`);
  process.exit(2);
}
writeFileSync(output, restorableOrder(readFileSync(output, "utf8")));
console.log(`backup: ${values.output} (tables, then rows, then indexes and triggers)`);

/**
 * The export's statements reordered so that it restores whatever order the tables were made in. The
 * export writes one row per line (a newline inside a value is written as replace(…, '\n', char(10))),
 * then, after all rows, the indexes, triggers and views; a CREATE TABLE may take several lines.
 */
export function restorableOrder(sql) {
  const lines = sql.split("\n");
  const tail = lines.findIndex((l) => /^CREATE (UNIQUE INDEX|INDEX|TRIGGER|VIEW) /.test(l));
  const body = tail < 0 ? lines : lines.slice(0, tail);
  const rest = tail < 0 ? [] : lines.slice(tail);
  const isData = (l) => l.startsWith("INSERT INTO ") || l === "DELETE FROM sqlite_sequence;" || l === "ANALYZE sqlite_schema;";
  const pragma = body.filter((l) => l.startsWith("PRAGMA "));
  const schema = body.filter((l) => !l.startsWith("PRAGMA ") && !isData(l));
  const data = body.filter(isData);
  return [...pragma, ...schema, ...data, ...rest].join("\n");
}
