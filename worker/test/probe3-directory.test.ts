import { beforeAll, describe, expect, it } from "vitest";
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { api, ensureDemo, env, json, login } from "./helpers";

type Row = (string | number | null)[];
async function book(units: Row[], accounts: Row[]): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  const u = wb.addWorksheet("单位");
  u.addRow(["单位代码", "单位名称", "英文名称", "级别", "上级单位代码", "联系人", "联系电话"]);
  u.addRow(["Unit code", "Name", "English name", "Level", "Parent code", "Contact", "Phone"]);
  for (const r of units) u.addRow(r);
  const a = wb.addWorksheet("账号");
  a.addRow(["用户名", "姓名", "角色", "所属单位代码"]);
  a.addRow(["Username", "Display name", "Role", "Unit code"]);
  for (const r of accounts) a.addRow(r);
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
const post = (path: string, token: string, body: ArrayBuffer) =>
  api(path, { method: "POST", token, body, headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } });

let admin: string;
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});

describe("probe3 directory", () => {
  it("F-proto-level: a unit level written 'constructor' is reported on its cell, not accepted", async () => {
    const wb = await book([["pq1", "新单位", "New", "constructor", "jincheng"]], []);
    const res = await post("/directory/preview", admin, wb);
    const body = await json<{ problems: { cell: string }[]; units: { create: unknown[] } }>(res);
    expect(res.status).toBe(200);
    expect(body.problems.map((p) => p.cell)).toContain("单位!D3");
  });

  it("F-proto-level-apply: applying it answers a clean 422, not a 500/409", async () => {
    const wb = await book([["pq2", "新单位", "New", "toString", "jincheng"]], []);
    const res = await post("/directory/apply", admin, wb);
    expect(res.status).toBe(422);
  });

  it("F-proto-role: an account role written 'constructor' is reported on its cell", async () => {
    const wb = await book([], [["pqacct", "某人", "constructor", "zezhou"]]);
    const res = await post("/directory/preview", admin, wb);
    const body = await json<{ problems: { cell: string }[] }>(res);
    expect(body.problems.map((p) => p.cell)).toContain("账号!C3");
  });

  it("F-proto-role-apply: applying a role 'valueOf' answers 422 and creates nothing", async () => {
    const wb = await book([], [["pqacct2", "某人", "valueOf", "zezhou"]]);
    const res = await post("/directory/apply", admin, wb);
    expect(res.status).toBe(422);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE username = 'pqacct2'").first("n")).toBe(0);
  });

  it("F-case-unit: a new unit id differing only by case from an existing one is refused", async () => {
    const wb = await book([["ZeZhou", "泽州县2", "Zezhou2", "县", "jincheng"]], []);
    const res = await post("/directory/preview", admin, wb);
    const body = await json<{ problems: { cell: string }[] }>(res);
    expect(body.problems.map((p) => p.cell)).toContain("单位!A3");
  });

  it("F-race-escalation: a county admin's stale plan cannot make an account city-level admin", async () => {
    const mk = async (username: string, role: string, unitId: string) => {
      const r = await api("/users", { method: "POST", token: admin, json: { username, displayName: username, role, unitId, password: "probe-password-1" } });
      expect(r.status).toBe(201);
    };
    await mk("zzadmin", "admin", "zezhou");
    const county = await login("zzadmin", "probe-password-1");
    const seen: string[] = [];
    for (const delay of [100, 300, 600, 1000]) {
      const victim = `zzvictim${delay}`;
      await mk(victim, "reporter", "zezhou");
      // county: make the victim an admin of zezhou, plus many new accounts (their hashing widens the window)
      const extra: Row[] = Array.from({ length: 150 }, (_, i) => [`zz${delay}n${i}`, `n${i}`, "填报员", "zezhou"]);
      const countyBook = await book([], [[victim, victim, "管理员", "zezhou"], ...extra]);
      // city: move the victim up to the city unit, as a viewer
      const cityBook = await book([], [[victim, victim, "查看员", "jincheng"]]);
      const t0 = Date.now();
      const p1 = post("/directory/apply", county, countyBook).then((r) => `county ${r.status} @${Date.now() - t0}`);
      await new Promise((r) => setTimeout(r, delay));
      const p2 = post("/directory/apply", admin, cityBook).then((r) => `city ${r.status} @${Date.now() - t0}`);
      const log = await Promise.all([p1, p2]);
      const after = await env.DB.prepare("SELECT role, unit_id FROM users WHERE username = ?").bind(victim).first<{ role: string; unit_id: string }>();
      seen.push(`${delay}: ${log.join(", ")} -> ${after!.role}@${after!.unit_id}`);
    }
    console.log(seen.join("\n"));
    // whatever the order, an account at the city unit must never carry the admin role a county admin set
    expect(seen.filter((s) => s.endsWith("admin@jincheng"))).toEqual([]);
  });
});
