// The third independent attack (first-run production), kept as tests: sign-in and password rules.
import { beforeAll, describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { api, ensureDemo, env, json, login } from "./helpers";

async function book(accounts: (string | null)[][]): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  const u = wb.addWorksheet("单位");
  u.addRow(["单位代码"]); u.addRow(["Unit code"]);
  const a = wb.addWorksheet("账号");
  a.addRow(["用户名"]); a.addRow(["Username"]);
  for (const r of accounts) a.addRow(r);
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
const raw = (path: string, init: RequestInit = {}) => (exports as unknown as { default: Fetcher }).default.fetch(`http://tianbao.test${path}`, init);

let admin: string;
let passwords: Record<string, string> = {};
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const res = await api("/directory/apply", { method: "POST", token: admin, body: await book([["mc1", "必改1", "填报员", "zezhou"], ["mc2", "必改2", "审核员", "jincheng"], ["peeradm", "同级管理员", "管理员", "jincheng"]]), headers: { "content-type": "application/octet-stream" } });
  expect(res.status).toBe(200);
  const body = await json<{ passwords: { username: string; password: string }[] }>(res);
  passwords = Object.fromEntries(body.passwords.map((p) => [p.username, p.password]));
});

describe("probe3 must-change and reset", () => {
  it("held: path variants do not get past the must-change gate", async () => {
    const t = await login("mc2", passwords.mc2);
    const h = { authorization: `Bearer ${t}` };
    const out: string[] = [];
    for (const [m, p] of [["GET", "/api/units"], ["GET", "/api/units/"], ["GET", "/api/Units"], ["HEAD", "/api/units"], ["OPTIONS", "/api/units"], ["GET", "/api/%75nits"], ["GET", "//api/units"], ["GET", "/api/me/../units"], ["GET", "/api/./units"], ["GET", "/api/units?x=/me"], ["GET", "/api/directory.xlsx"], ["GET", "/api/rounds"], ["GET", "/api/units/zezhou/webhook"]] as const) {
      const r = await raw(p, { method: m, headers: h });
      out.push(`${m} ${p} ${r.status}`);
      await r.arrayBuffer();
    }
    console.log(out.join("\n"));
    expect(out.filter((s) => s.endsWith(" 200"))).toEqual([]);
  });

  it("a generated password 'changed' to itself is refused and stays to be changed", async () => {
    const t = await login("mc1", passwords.mc1);
    const r = await api("/auth/password", { method: "POST", token: t, json: { currentPassword: passwords.mc1, newPassword: passwords.mc1 } });
    expect(r.status).not.toBe(204);
    const flag = await env.DB.prepare("SELECT must_change_password AS f FROM users WHERE username = 'mc1'").first<{ f: number }>();
    expect(flag!.f).toBe(1);
  });

  it("held: reset-password refuses ancestors and other cities, revokes sessions, case-insensitive self", async () => {
    await env.DB.prepare(
      "INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at) VALUES ('provadm', 'p', 'admin', 'shanxi', 'aa', 'bb', 1, '2025', '2025')",
    ).run();
    const results: Record<string, number> = {};
    for (const u of ["provadm", "PROVADM", "Admin", "admin%00", "nosuch"]) {
      const r = await api(`/users/${encodeURIComponent(u)}/reset-password`, { method: "POST", token: admin });
      results[u] = r.status;
      await r.text();
    }
    expect(results).toEqual({ provadm: 404, PROVADM: 404, Admin: 422, "admin%00": 404, nosuch: 404 });
    const victim = await login("mc2", passwords.mc2).catch(() => "");
    void victim;
  });

  it("a peer administrator of the same unit cannot have their password reset (taken over) from that unit", async () => {
    const r = await api("/users/peeradm/reset-password", { method: "POST", token: admin });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain("上级单位");
  });
});
