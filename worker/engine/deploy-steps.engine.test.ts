import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The README's deploy section, every step that touches the database, run against a fresh local
// database (--persist-to in place of --remote): migrations, init (and init refused a second time),
// create-user, reset-password, the integrity check. Signing in and the sheet steps run in workerd
// (worker/test/first-run.test.ts).
const root = new URL("../../", import.meta.url).pathname;
const state = mkdtempSync(join(tmpdir(), "tianbao-deploy-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));
const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
const sql = (command: string) => {
  const r = spawnSync("npx", ["wrangler", "d1", "execute", "tianbao", "--local", "--persist-to", state, "--json", "--command", command], { cwd: root, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout)[0].results as Record<string, unknown>[];
};
const readme = readFileSync(join(root, "README.md"), "utf8");

describe("the README's deploy steps, against a local database", () => {
  it("name the commands this test runs", () => {
    expect(readme).toContain("npm run admin -- init --unit jincheng --unit-name 晋城市 --unit-name-en Jincheng --level city --username chief --name 市局管理员 --remote");
    expect(readme).toContain("npm run admin -- create-user --username NAME --password PW --role reporter --unit zezhou --remote");
    expect(readme).toContain("npm run integrity -- --remote");
  });

  it("migrate, init once, add and reset an account, and find nothing wrong", () => {
    const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "tianbao", "--local", "--persist-to", state], { cwd: root, encoding: "utf8" });
    expect(migrate.status, migrate.stderr).toBe(0);
    const init = node(["scripts/admin.mjs", "init", "--unit", "jincheng", "--unit-name", "晋城市", "--unit-name-en", "Jincheng", "--level", "city", "--username", "chief", "--name", "市局管理员", "--persist-to", state]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/initial password \(shown once; it must be changed at first sign-in\): [A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}/);
    expect(sql("SELECT username, role, unit_id, must_change_password FROM users")).toEqual([{ username: "chief", role: "admin", unit_id: "jincheng", must_change_password: 1 }]);
    expect(sql("SELECT id, level, parent_id, path FROM units")).toEqual([{ id: "jincheng", level: "city", parent_id: null, path: "/jincheng/" }]);

    const twice = node(["scripts/admin.mjs", "init", "--unit", "other", "--unit-name", "别的市", "--level", "city", "--username", "intruder", "--persist-to", state]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain("already set up");
    expect(sql("SELECT COUNT(*) AS n FROM users")).toEqual([{ n: 1 }]);

    const bad = node(["scripts/admin.mjs", "init", "--unit", "constructor", "--unit-name", "", "--level", "county", "--username", "X", "--persist-to", state]);
    expect(bad.status).toBe(2);
    for (const flag of ["--unit:", "--unit-name:", "--level:", "--username:"]) expect(bad.stderr).toContain(flag);

    expect(sql("INSERT INTO units (id, name_zh, name_en, level, parent_id, path) VALUES ('zezhou', '泽州县', 'Zezhou', 'county', 'jincheng', '/jincheng/zezhou/') RETURNING id")).toHaveLength(1);
    const create = node(["scripts/admin.mjs", "create-user", "--username", "zz.rep", "--password", "a-long-password", "--role", "reporter", "--unit", "zezhou", "--persist-to", state]);
    expect(create.status, create.stderr).toBe(0);
    const reset = node(["scripts/admin.mjs", "reset-password", "--username", "zz.rep", "--password", "another-long-one", "--persist-to", state]);
    expect(reset.status, reset.stderr).toBe(0);

    const integrity = node(["scripts/integrity.mjs", "--persist-to", state]);
    expect(integrity.stdout).toContain("2 units, 0 rounds, 0 problems");
    expect(integrity.status).toBe(0);
  });
});
