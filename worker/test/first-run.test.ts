import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DirectoryPreviewSchema } from "@tianbao/shared";
import worker from "../src/index";
import { firstRunSql } from "../src/admin/first-run";
import { hashNewPassword } from "../src/auth/password";
import { api, countRows, env, json } from "./helpers";

// A new city's first day, from an empty database (no demo): `npm run admin -- init` (the same SQL
// text it sends through wrangler), the administrator's first sign-in, the units-and-accounts sheet
// filled as Excel or WPS would, a round, a reminder run checked at the receiver, and a county's first
// submission.

const RECEIVER = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Err = { error: { code: string; where?: string; message: { zh: string }; issues?: { cell: string; message: { zh: string } }[] } };

async function signIn(username: string, password: string) {
  const r = await api("/auth/login", { method: "POST", json: { username, password } });
  expect(r.status, await r.clone().text()).toBe(200);
  return json<{ token: string; user: { mustChangePassword: boolean } }>(r);
}
async function changePassword(token: string, currentPassword: string, newPassword: string) {
  expect((await api("/auth/password", { method: "POST", token, json: { currentPassword, newPassword } })).status).toBe(204);
}

/** The downloaded workbook with rows typed into its two sheets, as an official would. */
async function filled(token: string, units: (string | null)[][], accounts: string[][]): Promise<Uint8Array> {
  const res = await api("/directory.xlsx", { token });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(XLSX);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const add = (name: string, rows: (string | null)[][]) => {
    const ws = wb.getWorksheet(name)!;
    const start = ws.actualRowCount + 1;
    rows.forEach((r, i) => r.forEach((v, c) => { if (v !== null) ws.getCell(start + i, c + 1).value = v; }));
  };
  add("单位", units);
  add("账号", accounts);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describe("first run of an empty database", () => {
  it("goes from init to a county's first submission", async () => {
    expect(await countRows("units")).toBe(0);
    // 1. npm run admin -- init --unit jincheng --unit-name 晋城市 --level city --username chief
    const initial = "Init-Pass-2025x";
    const sql = firstRunSql({ unitId: "jincheng", unitNameZh: "晋城市", unitNameEn: "Jincheng", level: "city", username: "chief", displayName: "市局管理员", ...(await hashNewPassword(initial)), now: new Date().toISOString() });
    for (const statement of sql.split(";\n")) await env.DB.prepare(statement.replace(/;$/, "")).run();
    // run twice: nothing more is created
    for (const statement of sql.split(";\n")) await env.DB.prepare(statement.replace(/;$/, "")).run();
    expect(await countRows("users")).toBe(1);
    expect(await countRows("units")).toBe(1);

    // 2. the first sign-in must change the initial password before anything else
    let chief = await signIn("chief", initial);
    expect(chief.user.mustChangePassword).toBe(true);
    const blocked = await api("/directory.xlsx", { token: chief.token });
    expect(blocked.status).toBe(403);
    expect((await json<Err>(blocked)).error.code).toBe("password_change_required");
    expect((await api("/me", { token: chief.token })).status).toBe(200);
    await changePassword(chief.token, initial, "chief-own-password");
    chief = await signIn("chief", "chief-own-password");
    expect(chief.user.mustChangePassword).toBe(false);

    // 3. units and accounts from the sheet: a mistake on each sheet is shown on its cell and nothing is stored
    const units = [
      ["zezhou", "泽州县", "Zezhou", "县（区）", "jincheng", "王科长", "13800000001"],
      ["gaoping", "高平市", "Gaoping", "县（区）", "jincheng", "李科长", "13800000002"],
      ["jincheng_self", "晋城市本级", "Jincheng city level", "本级", "jincheng", null, null],
    ];
    const accounts = [["zz.tianbao", "泽州县填报员", "填报员", "zezhou"], ["gp.tianbao", "高平市填报员", "填报员", "gaoping"], ["shenhe", "审核员", "审核员", "jincheng"]];
    const bad = await filled(chief.token, [...units, ["qinshui", "沁水县", "Qinshui", "乡", "nowhere", null, "phone?"]], [...accounts, ["BadName", "x", "超级管理员", "zezhou"]]);
    const preview = DirectoryPreviewSchema.parse(await json(await api("/directory/preview", { method: "POST", token: chief.token, body: bad, headers: { "content-type": XLSX } })));
    expect(preview.problems.map((p) => p.cell)).toEqual(["单位!D7", "单位!G7", "账号!A7"]);
    expect(preview.problems[0]!.message.zh).toContain("级别「乡」");
    const refused = await api("/directory/apply", { method: "POST", token: chief.token, body: bad, headers: { "content-type": XLSX } });
    expect(refused.status).toBe(422);
    expect((await json<Err>(refused)).error.issues!.map((i) => i.cell)).toEqual(["单位!D7", "单位!G7", "账号!A7"]);
    expect(await countRows("units")).toBe(1);

    const good = await filled(chief.token, units, accounts);
    const plan = DirectoryPreviewSchema.parse(await json(await api("/directory/preview", { method: "POST", token: chief.token, body: good, headers: { "content-type": XLSX } })));
    expect(plan.problems).toEqual([]);
    expect(plan.units.create.map((u) => u.id)).toEqual(["zezhou", "gaoping", "jincheng_self"]);
    expect(plan.accounts.create.map((a) => a.username)).toEqual(["zz.tianbao", "gp.tianbao", "shenhe"]);
    const applied = await api("/directory/apply", { method: "POST", token: chief.token, body: good, headers: { "content-type": XLSX } });
    expect(applied.status).toBe(200);
    const { passwords } = await json<{ passwords: { username: string; password: string }[] }>(applied);
    expect(passwords.map((p) => p.username)).toEqual(["zz.tianbao", "gp.tianbao", "shenhe"]);
    for (const p of passwords) expect(p.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    // applying the same sheet again changes nothing and shows no password
    const again = await json<{ preview: { unchanged: number }; passwords: unknown[] }>(await api("/directory/apply", { method: "POST", token: chief.token, body: good, headers: { "content-type": XLSX } }));
    expect(again.passwords).toEqual([]);
    expect(again.preview.unchanged).toBe(8); // the city and its three units; chief and the three accounts
    expect(await countRows("audit WHERE action IN ('unit_create', 'user_create')")).toBe(6);

    // 4. the city's template and a round
    expect((await api("/templates", { method: "POST", token: chief.token, json: { builtin: true } })).status).toBe(201);
    expect((await api(`/templates/${BUILTIN_TEMPLATE.id}/1/publish`, { method: "POST", token: chief.token })).status).toBe(200);
    const round = await api("/rounds", { method: "POST", token: chief.token, json: { id: "y2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2025", deadline: "2027-03-31T17:00:00+08:00", expectedUnitIds: ["zezhou", "gaoping", "jincheng_self"] } });
    expect(round.status, await round.clone().text()).toBe(201);

    // 5. the city's group robot, and the reminder run three days before the deadline
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: chief.token, json: { kind: "dingtalk", url: `${RECEIVER}/ok/first-run-city` } })).status).toBe(200);
    await worker.scheduled!({ cron: "0 * * * *", scheduledTime: Date.parse("2027-03-28T09:00:00+08:00"), noRetry: () => undefined } as unknown as ScheduledController, env as unknown as Env);
    const log = ((await (await fetch(`${RECEIVER}/_log`)).json()) as { path: string; body: { text: { content: string }; at: { atMobiles: string[] } } }[]).filter((m) => m.path === "/ok/first-run-city");
    expect(log).toHaveLength(1);
    expect(log[0]!.body.text.content).toContain("还有 3 天截止，尚未上报：泽州县、高平市、晋城市本级");
    expect(log[0]!.body.at.atMobiles).toEqual(["13800000001", "13800000002"]);

    // 6. the county signs in with its initial password, sets its own, and submits
    const zzInitial = passwords.find((p) => p.username === "zz.tianbao")!.password;
    let zz = await signIn("zz.tianbao", zzInitial);
    expect(zz.user.mustChangePassword).toBe(true);
    expect((await api("/rounds", { token: zz.token })).status).toBe(403);
    await changePassword(zz.token, zzInitial, "zezhou-own-password");
    zz = await signIn("zz.tianbao", "zezhou-own-password");
    const submitted = await api("/rounds/y2025/submissions/zezhou", { method: "PUT", token: zz.token, json: { values: DEMO_PAST_VALUES.zezhou, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    const board = await json<{ submitted: number; units: { unitId: string; lastRemindedAt: string | null }[] }>(await api("/rounds/y2025/completeness", { token: chief.token }));
    expect(board.submitted).toBe(1);
    expect(board.units.find((u) => u.unitId === "gaoping")!.lastRemindedAt).toBe("2027-03-28T01:00:00.000Z");
  });
});
