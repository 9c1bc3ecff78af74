#!/usr/bin/env node
// npm run admin -- <command> [options]    Manage accounts in the local (default) or remote D1.
//   create-user    --username NAME --password PW --role admin|reviewer|reporter|viewer --unit UNIT_ID [--name "显示名"]
//   reset-password --username NAME --password PW      (also ends the user's sessions)
//   add --remote to act on the deployed database instead of the local one.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { hashNewPassword } from "../worker/src/auth/password.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { username: { type: "string" }, password: { type: "string" }, role: { type: "string" }, unit: { type: "string" }, name: { type: "string" }, remote: { type: "boolean", default: false } },
});
const fail = (msg) => { console.error(`admin: ${msg}`); process.exit(2); };
const command = positionals[0];
const check = (value, re, what) => { if (!value || !re.test(value)) fail(`${what} is missing or not valid`); return value; };
// wrangler d1 execute takes no bound parameters; every value is checked against a strict pattern
// (and quoted) before it reaches SQL.
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

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
  sql = `INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at)
    SELECT ${q(username)}, ${q(name)}, ${q(role)}, id, ${q(hash)}, ${q(salt)}, ${iterations}, ${q(now)}, ${q(now)} FROM units WHERE id = ${q(unit)} ON CONFLICT (username) DO NOTHING RETURNING username;`;
} else if (command === "reset-password") {
  sql = `UPDATE sessions SET revoked_at = ${q(now)} WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = ${q(username)});
    UPDATE users SET password_hash = ${q(hash)}, password_salt = ${q(salt)}, password_iterations = ${iterations}, password_changed_at = ${q(now)}, failed_logins = 0, locked_until = NULL WHERE username = ${q(username)} RETURNING username;`;
} else {
  fail("command must be create-user or reset-password");
}
const r = spawnSync("npx", ["wrangler", "d1", "execute", "tianbao", values.remote ? "--remote" : "--local", "--json", "--command", sql], { encoding: "utf8" });
if (r.status !== 0) fail(r.stderr || r.stdout);
const changes = JSON.parse(r.stdout).reduce((n, res) => n + (res.results?.length ?? 0), 0);
if (changes === 0) fail(command === "create-user" ? `no such unit '${values.unit}', or the username is taken` : `no user '${username}'`);
console.log(`${command}: ${username} done (${values.remote ? "remote" : "local"} database)`);
