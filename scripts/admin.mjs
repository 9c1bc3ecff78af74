#!/usr/bin/env node
// npm run admin -- <command> [options]    Manage accounts in the local (default) or remote D1.
//   init           --unit ID --unit-name 晋城市 [--unit-name-en Jincheng] --level nation|province|city (or 国家|省|市)
//                  --username NAME [--name "显示名"] [--password PW]
//                  The first run of an empty database: its top unit (a nation, a province or a city)
//                  and first administrator. Without
//                  --password one is generated and shown once; it must be changed at first sign-in.
//                  Refuses to run on a database that has any account.
//   create-user    --username NAME --password PW --role admin|reviewer|reporter|viewer --unit UNIT_ID [--name "显示名"]
//   reset-password --username NAME --password PW      (also ends the user's sessions)
//   add --remote to act on the deployed database instead of the local one (or --persist-to DIR
//   for a local database kept elsewhere).
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { generatePassword, hashNewPassword } from "../worker/src/auth/password.ts";
import { WRANGLER_STRIPS, firstRunLevel, firstRunProblems, firstRunSql } from "../worker/src/admin/first-run.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    username: { type: "string" }, password: { type: "string" }, role: { type: "string" }, unit: { type: "string" }, name: { type: "string" },
    "unit-name": { type: "string" }, "unit-name-en": { type: "string" }, level: { type: "string" },
    remote: { type: "boolean", default: false }, "persist-to": { type: "string" },
  },
});
const fail = (msg) => { console.error(`admin: ${msg}`); process.exit(2); };
const command = positionals[0];
const check = (value, re, what) => { if (!value || !re.test(value)) fail(`${what} is missing or not valid`); return value; };
// wrangler d1 execute takes no bound parameters; every value is checked against a strict pattern
// (and quoted) before it reaches SQL.
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const where = values.remote ? ["--remote"] : ["--local", ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : [])];
const d1 = (sql) => {
  const r = spawnSync("npx", ["wrangler", "d1", "execute", "tianbao", ...where, "--json", "--command", sql], { encoding: "utf8" });
  if (r.status !== 0) fail(/no such table/.test(r.stderr + r.stdout) ? "the database has no tables yet: run `npx wrangler d1 migrations apply tianbao " + where.join(" ") + "` first" : r.stderr || r.stdout);
  return JSON.parse(r.stdout);
};

if (command === "init") {
  const args = {
    unitId: values.unit ?? "", unitNameZh: values["unit-name"] ?? "", unitNameEn: values["unit-name-en"] ?? values.unit ?? "",
    level: firstRunLevel(values.level ?? ""), username: values.username ?? "", displayName: values.name ?? values.username ?? "",
  };
  const problems = firstRunProblems(args);
  if (problems.length > 0) fail(problems.join("\n       "));
  const [{ results: [existing] }] = d1("SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM units) AS units");
  if (existing.users > 0) fail(`this database is already set up (${existing.users} accounts, ${existing.units} units); init runs only once. Use create-user or the units-and-accounts sheet.`);
  const generated = values.password === undefined;
  const password = values.password ?? generatePassword();
  if (password.length < 10) fail("--password must have at least 10 characters");
  const made = d1(firstRunSql({ ...args, ...(await hashNewPassword(password)), now: new Date().toISOString() }));
  if (!made.some((res) => res.results?.some((row) => row.username === args.username))) fail("nothing was created: another init ran at the same time, or a unit of that id exists below another unit");
  console.log(`init: ${args.unitNameZh} (${args.unitId}, ${args.level}) and its administrator ${args.username} created (${values.remote ? "remote" : "local"} database).`);
  if (generated) console.log(`initial password (shown once; it must be changed at first sign-in): ${password}`);
  else console.log("the password must be changed at first sign-in.");
  process.exit(0);
}

const username = check(values.username, /^[a-z][a-z0-9_.-]{2,31}$/, "--username");
const password = values.password ?? "";
if (password.length < 10) fail("--password must have at least 10 characters");
const { hash, salt, iterations } = await hashNewPassword(password);
const now = new Date().toISOString();
let sql;
if (command === "create-user") {
  const role = check(values.role, /^(admin|reviewer|reporter|viewer)$/, "--role");
  const unit = check(values.unit, /^[A-Za-z][A-Za-z0-9_]{0,39}$/, "--unit");
  const name = values.name ?? username;
  if (name.length > 64 || /[\u0000-\u001f]/.test(name)) fail("--name is too long or has control characters");
  if (WRANGLER_STRIPS.test(name)) fail('--name may not contain "BEGIN TRANSACTION" or "COMMIT" (wrangler removes them from the command)');
  sql = `INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at)
    SELECT ${q(username)}, ${q(name)}, ${q(role)}, id, ${q(hash)}, ${q(salt)}, ${iterations}, ${q(now)}, ${q(now)} FROM units WHERE id = ${q(unit)} ON CONFLICT (username) DO NOTHING RETURNING username;`;
} else if (command === "reset-password") {
  sql = `UPDATE sessions SET revoked_at = ${q(now)} WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = ${q(username)});
    UPDATE users SET password_hash = ${q(hash)}, password_salt = ${q(salt)}, password_iterations = ${iterations}, password_changed_at = ${q(now)}, failed_logins = 0, locked_until = NULL WHERE username = ${q(username)} RETURNING username;`;
} else {
  fail("command must be init, create-user or reset-password");
}
const changes = d1(sql).reduce((n, res) => n + (res.results?.length ?? 0), 0);
if (changes === 0) fail(command === "create-user" ? `no such unit '${values.unit}', or the username is taken` : `no user '${username}'`);
console.log(`${command}: ${username} done (${values.remote ? "remote" : "local"} database)`);
