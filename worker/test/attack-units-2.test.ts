// Issue 21, findings 4, 6 and 8c, kept as tests: a unit renaming itself (and the audit its parent
// reads), the units-and-accounts workbook at its documented 2,000 rows, and POST /units placing a
// unit where the workbook would refuse it.
import { beforeAll, describe, expect, it } from "vitest";
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { AuditEntrySchema, DIRECTORY_LIMIT, DirectoryPreviewSchema, ErrorBodySchema } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, json, login } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Row = (string | null)[];

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
});

/** The caller's downloaded workbook with `edit` applied to its sheets, as an official would in Excel. */
async function edited(token: string, edit: (units: ExcelJS.Worksheet, accounts: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const res = await api("/directory.xlsx", { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  edit(wb.getWorksheet("单位")!, wb.getWorksheet("账号")!);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
/** A workbook of only new rows (the documented maximum leaves no room for the rows already there). */
async function book(units: Row[], accounts: Row[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const u = wb.addWorksheet("单位");
  u.addRows([["单位代码", "单位名称", "英文名称", "级别", "上级单位代码", "联系人", "联系电话"], ["Unit code", "Name", "English name", "Level", "Parent code", "Contact", "Phone"], ...units]);
  const a = wb.addWorksheet("账号");
  a.addRows([["用户名", "姓名", "角色", "所属单位代码"], ["Username", "Display name", "Role", "Unit code"], ...accounts]);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
/** A row of the units sheet by its unit code (column A). */
const rowOf = (ws: ExcelJS.Worksheet, id: string): ExcelJS.Row => {
  for (let r = 3; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === id) return ws.getRow(r);
  throw new Error(`no row ${id}`);
};
/** Adds rows below the sheet's last and answers their row numbers. */
const append = (ws: ExcelJS.Worksheet, rows: Row[]): number[] => rows.map((r) => ws.addRow(r).number);
const post = (path: string, token: string, body: Uint8Array) => api(path, { method: "POST", token, body, headers: { "content-type": XLSX } });
const preview = async (token: string, body: Uint8Array) => DirectoryPreviewSchema.parse(await json(await post("/directory/preview", token, body)));
const nameOf = async (id: string) => env.DB.prepare("SELECT name_zh FROM units WHERE id = ?").bind(id).first<string>("name_zh");
const unitAudit = async (token: string, id: string) => api(`/units/${id}/audit`, { token });

describe("finding 4: a unit's name changes only from above, and every unit change is in an audit its parent reads", () => {
  it("F4: a city administrator renaming its own unit in the workbook is refused on the cell; its own contact still changes", async () => {
    const changzhi = await login("changzhi");
    const renamed = await edited(changzhi, (u) => { const r = rowOf(u, "changzhi"); r.getCell(2).value = "晋城市"; r.getCell(3).value = "Jincheng"; });
    const p = await preview(changzhi, renamed);
    expect(p.problems.map((x) => x.cell)).toEqual(["单位!B3", "单位!C3"]);
    expect(p.problems[0]!.message.zh).toContain("单位!B3：不能修改本单位的名称");
    expect(p.problems[0]!.message.en).toContain("单位!B3: you cannot rename your own unit");
    const refused = await post("/directory/apply", changzhi, renamed);
    expect(refused.status).toBe(422);
    expect(ErrorBodySchema.parse(await json(refused)).error.where).toBe("单位!B3");
    expect(await nameOf("changzhi")).toBe("长治市");
    // a county administrator neither
    await api("/users", { method: "POST", token: await login("admin"), json: { username: "f4.za", displayName: "泽州管理员", role: "admin", unitId: "zezhou", password: "f4-county-admin-pw" } });
    const za = await login("f4.za", "f4-county-admin-pw");
    expect((await preview(za, await edited(za, (u) => { rowOf(u, "zezhou").getCell(2).value = "泽州市"; }))).problems.map((x) => x.cell)).toEqual(["单位!B3"]);
    // the unit's own contact is the unit's to keep current (the 催报 list), as PUT /units/:id/contact allows
    const contact = await edited(changzhi, (u) => { const r = rowOf(u, "changzhi"); r.getCell(6).value = "赵主任"; r.getCell(7).value = "0355-2222222"; });
    expect((await post("/directory/apply", changzhi, contact)).status).toBe(200);
    const row = await env.DB.prepare("SELECT name_zh, contact_name FROM units WHERE id = 'changzhi'").first();
    expect(row).toEqual({ name_zh: "长治市", contact_name: "赵主任" });
  });

  it("F4: a rename from above applies, and the unit's audit names it with who and when, for the unit's parent and above only", async () => {
    const admin = await login("admin");
    const body = await edited(admin, (u) => { rowOf(u, "gaoping").getCell(2).value = "高平市（县级）"; });
    expect((await post("/directory/apply", admin, body)).status).toBe(200);
    expect(await nameOf("gaoping")).toBe("高平市（县级）");
    const sheng = await login("sheng");
    const renameCity = await edited(sheng, (u) => { rowOf(u, "changzhi").getCell(2).value = "长治市（改）"; });
    expect((await post("/directory/apply", sheng, renameCity)).status).toBe(200);
    expect(await nameOf("changzhi")).toBe("长治市（改）");
    for (const [token, id] of [[admin, "gaoping"], [sheng, "gaoping"], [sheng, "changzhi"]] as const) {
      const res = await unitAudit(token, id);
      expect(res.status, await res.clone().text()).toBe(200);
      const entries = AuditEntrySchema.array().parse(await json(res));
      const rename = entries.find((e) => e.action === "unit_update" && e.unitId === id)!;
      expect(rename.username).toBe(id === "gaoping" ? "admin" : "sheng");
      expect(rename.detail).toMatchObject({ fields: { nameZh: [id === "gaoping" ? "高平市" : "长治市", id === "gaoping" ? "高平市（县级）" : "长治市（改）"] } });
      expect(rename.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    // contacts too, with what they were: set in the workbook by the unit itself, and on the screen
    const cz = AuditEntrySchema.array().parse(await json(await unitAudit(sheng, "changzhi")));
    expect(cz.find((e) => e.username === "changzhi" && e.action === "unit_update")!.detail).toEqual({ fields: { contactName: [null, "赵主任"], contactPhone: [null, "0355-2222222"] } });
    expect((await api("/units/gaoping/contact", { method: "PUT", token: admin, json: { name: "李科长", phone: null } })).status).toBe(200);
    expect((await api("/units/gaoping/contact", { method: "PUT", token: admin, json: { name: "李科长", phone: null } })).status).toBe(200); // the same again: no entry
    const gp = AuditEntrySchema.array().parse(await json(await unitAudit(admin, "gaoping")));
    expect(gp.filter((e) => e.action === "unit_contact").map((e) => e.detail)).toEqual([{ fields: { contactName: [null, "李科长"] } }]);
    // another city, a sibling county's reporter: nothing
    expect((await unitAudit(await login("changzhi"), "gaoping")).status).toBe(403);
    expect((await unitAudit(await login("gaoping"), "gaoping")).status).toBe(403);
  });

  it("F4: a rename to a sibling's name is refused on its cell (the province would see two units of one name)", async () => {
    const sheng = await login("sheng");
    let row = 0;
    const clash = await edited(sheng, (u) => { const r = rowOf(u, "changzhi"); r.getCell(2).value = "晋城市"; row = r.number; });
    const p = await preview(sheng, clash);
    expect(p.problems.map((x) => x.cell)).toEqual([`单位!B${row}`]);
    expect(p.problems[0]!.message.zh).toContain("晋城市");
    // a new unit taking a sibling's name too, on the page's route and in the workbook
    const admin = await login("admin");
    const dup = await api("/units", { method: "POST", token: admin, json: { id: "f4dup", name: { zh: "泽州县", en: "Zezhou 2" }, level: "county", parentId: "jincheng" } });
    expect(dup.status).toBe(409);
    expect(ErrorBodySchema.parse(await json(dup)).error.message.en).toContain("泽州县");
    const sheet = await edited(admin, (u) => append(u, [["f4dup", "泽州县", "Zezhou 2", "县（区）", "jincheng", null, null]]));
    expect((await preview(admin, sheet)).problems.map((x) => x.message.zh).join()).toContain("泽州县");
  });
});

describe("finding 8c: POST /units places a unit by the workbook's level rule", () => {
  it("F8c: a province, or a city, below a county, and anything below a 本级 unit are refused 422 on both paths", async () => {
    const admin = await login("admin");
    for (const [id, level, parentId, where] of [["f8p", "province", "zezhou", "body.level"], ["f8c", "city", "zezhou", "body.level"], ["f8s", "county", "jincheng_self", "body.parentId"]] as const) {
      const res = await api("/units", { method: "POST", token: admin, json: { id, name: { zh: id, en: id }, level, parentId } });
      expect(res.status, `${level} under ${parentId}`).toBe(422);
      const body = ErrorBodySchema.parse(await json(res));
      expect(body.error.where).toBe(where);
      expect(body.error.message.zh).toContain(parentId);
      expect(body.error.message.en).toContain(parentId);
    }
    let rows: number[] = [];
    const sheet = await edited(admin, (u) => { rows = append(u, [["f8c", "某市", "F8c", "市", "zezhou", null, null], ["f8s", "某县", "F8s", "县（区）", "jincheng_self", null, null]]); });
    const p = await preview(admin, sheet);
    expect(p.problems.map((x) => x.cell)).toEqual([`单位!D${rows[0]}`, `单位!E${rows[1]}`]);
    // what the rule allows still works: a town-level unit below a county, a 本级 unit below a city
    expect((await api("/units", { method: "POST", token: admin, json: { id: "f8town", name: { zh: "某镇", en: "A town" }, level: "county", parentId: "zezhou" } })).status).toBe(201);
  });
});

describe("finding 6: the workbook applies at its documented size without key stretching in the request", () => {
  it(`F6: ${DIRECTORY_LIMIT} new units and ${DIRECTORY_LIMIT} new accounts apply with no PBKDF2 derivation; each first password signs in once`, { timeout: 180_000 }, async () => {
    const sheng = await login("sheng");
    const units: Row[] = Array.from({ length: DIRECTORY_LIMIT }, (_, i) => [`f6u${i}`, `第${i}单位`, `Unit ${i}`, "县（区）", "changzhi", null, null]);
    const accounts: Row[] = Array.from({ length: DIRECTORY_LIMIT }, (_, i) => [`f6.user${i}`, `填报员${i}`, "填报员", `f6u${i}`]);
    const body = await book(units, accounts);
    const subtle = crypto.subtle;
    const original = subtle.deriveBits.bind(subtle);
    let derivations = 0;
    subtle.deriveBits = ((...args: Parameters<SubtleCrypto["deriveBits"]>) => { derivations++; return original(...args); }) as SubtleCrypto["deriveBits"];
    let passwords: { username: string; password: string }[];
    try {
      const read = Date.now();
      expect((await post("/directory/preview", sheng, body)).status).toBe(200);
      console.log(`F6 preview (read the ${body.length}-byte workbook and plan it, no writes): ${Date.now() - read} ms wall here`);
      const started = Date.now();
      const [res, me] = await Promise.all([post("/directory/apply", sheng, body), (async () => { const t = Date.now(); await api("/me", { token: sheng }); return Date.now() - t; })()]);
      expect(res.status, await res.clone().text()).toBe(200);
      passwords = (await json<{ passwords: { username: string; password: string }[] }>(res)).passwords;
      console.log(`F6 apply: ${units.length} units + ${accounts.length} accounts, ${derivations} PBKDF2 derivations, ${Date.now() - started} ms wall here (GET /me alongside: ${me} ms)`);
      expect(derivations).toBe(0);
    } finally {
      subtle.deriveBits = original;
    }
    expect(passwords).toHaveLength(DIRECTORY_LIMIT);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE username LIKE 'f6.user%' AND must_change_password = 1").first("n")).toBe(DIRECTORY_LIMIT);
    for (const p of passwords) expect(p.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    // the first password works once: sign in, then the change stores a PBKDF2 hash and the first one is gone
    const first = passwords[1234]!;
    const r = await api("/auth/login", { method: "POST", json: { username: first.username, password: first.password } });
    expect(r.status).toBe(200);
    const { token } = await json<{ token: string }>(r);
    expect((await api("/auth/password", { method: "POST", token, json: { currentPassword: first.password, newPassword: "my-own-f6-password" } })).status).toBe(204);
    expect((await api("/auth/login", { method: "POST", json: { username: first.username, password: first.password } })).status).toBe(401);
    expect((await api("/auth/login", { method: "POST", json: { username: first.username, password: "my-own-f6-password" } })).status).toBe(200);
    const stored = await env.DB.prepare("SELECT password_hash, password_iterations, must_change_password FROM users WHERE username = ?").bind(first.username).first();
    expect(stored).toMatchObject({ password_iterations: 100_000, must_change_password: 0 });
    expect(String(stored!.password_hash)).toMatch(/^[0-9a-f]{64}$/);
  });
});
