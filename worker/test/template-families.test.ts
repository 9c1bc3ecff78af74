import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { BUILTIN_TEMPLATE_INPUT, DEMO_PAST_VALUES } from "@tianbao/shared";
import { hashNewPassword } from "../src/auth/password";
import { seedProvinceDemo } from "../src/demo/seed";
import { insertUser } from "../src/db/users";
import { api, ensureDemo, env, json, login } from "./helpers";

// Issue 22: template codes are unique within a line of units (a unit, those above it and those
// below it), not across the deployment. A second city publishes the built-in template under its
// usual code, as the README's "A new city starts" says; a county cannot take its city's code; a
// province with the code in two cities below it is asked for another one.
type Err = { error: { code: string; where?: string; message: { zh: string; en: string } } };
type Summary = { id: string; code?: string; version: number; status: string; owner?: { id: string; name: { zh: string } }; roundCount?: number };
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CODE = BUILTIN_TEMPLATE_INPUT.id;

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB); // 长治市, its counties and the province's round p2025 on 晋城市's template
  const now = new Date().toISOString();
  await insertUser(env.DB, { username: "zezhou.tadmin", displayName: "泽州县管理员", role: "admin", unitId: "zezhou", ...(await hashNewPassword("demo-password")) }, now).run();
});

describe("template families", () => {
  it("the migration keeps every template's id as its code, so today's rounds and fill sheets stay valid", async () => {
    const rows = (await env.DB.prepare("SELECT id, code FROM templates").all<{ id: string; code: string }>()).results;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.code).toBe(r.id);
    const r2025 = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: await login("admin") }));
    expect(r2025).toMatchObject({ templateId: CODE, templateVersion: 1 });
    expect((await api(`/rounds/r2025/submissions/zezhou/template.xlsx`, { token: await login("zezhou") })).status).toBe(200);
  });

  it("a second city publishes the built-in template under its usual code and opens a round its counties fill", async () => {
    const cz = await login("changzhi");
    const created = await api("/templates", { method: "POST", token: cz, json: { builtin: true } });
    expect(created.status, await created.clone().text()).toBe(201);
    const t = await json<Summary>(created);
    expect(t).toMatchObject({ code: CODE, version: 1, status: "draft" });
    expect(t.id).not.toBe(CODE); // stored apart from 晋城市's, which keeps its id
    expect((await api(`/templates/${t.id}/1/publish`, { method: "POST", token: cz })).status).toBe(200);
    const round = await api("/rounds", { method: "POST", token: cz, json: { templateId: t.id, templateVersion: 1, period: "2031", deadline: "2099-03-31T17:00:00+08:00", expectedUnitIds: ["zhangzi", "tunliu"] } });
    expect(round.status, await round.clone().text()).toBe(201);
    const { id } = await json<{ id: string }>(round);
    const put = await api(`/rounds/${id}/submissions/zhangzi`, { method: "PUT", token: await login("zhangzi"), json: { values: DEMO_PAST_VALUES.zezhou, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
    expect(put.status, await put.clone().text()).toBe(201);
    // 晋城市's template is untouched: its list shows only its own family under the code
    const jc = await json<Summary[]>(await api("/templates", { token: await login("admin") }));
    expect(jc.filter((x) => x.code === CODE).map((x) => x.id)).toEqual([CODE]);
    // 长治市's list names the owner and counts the rounds that use each version
    const mine = await json<Summary[]>(await api("/templates", { token: cz }));
    expect(mine.find((x) => x.id === t.id)).toMatchObject({ code: CODE, owner: { id: "changzhi", name: { zh: "长治市" } }, roundCount: 1 });
  });

  it("the designer workbook of 长治市's template shows its code, and uploading it again updates that template", async () => {
    const cz = await login("changzhi");
    const list = await json<Summary[]>(await api("/templates", { token: cz }));
    const own = list.find((x) => x.code === CODE && x.owner?.id === "changzhi")!;
    const book = await api(`/templates/${own.id}/1/designer.xlsx`, { token: cz });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await book.arrayBuffer());
    expect(wb.getWorksheet("模板")!.getCell("B3").value).toBe(CODE);
    wb.getWorksheet("模板")!.getCell("B4").value = "质量兴市工作年报（长治）";
    const up = await api("/templates/designer", { method: "POST", token: cz, headers: { "content-type": XLSX }, body: await wb.xlsx.writeBuffer() as ArrayBuffer });
    expect(up.status, await up.clone().text()).toBe(200);
    expect((await json<{ template: Summary }>(up)).template).toMatchObject({ id: own.id, code: CODE, version: 2, status: "draft" });
  });

  it("a county cannot take its city's code; a province with the code in two cities below it is asked for another", async () => {
    const county = await api("/templates", { method: "POST", token: await login("zezhou.tadmin"), json: { builtin: true } });
    expect(county.status).toBe(403);
    expect((await json<Err>(county)).error.message.zh).toContain("晋城市");
    const before = (await env.DB.prepare("SELECT COUNT(*) AS n FROM templates").first<{ n: number }>())!.n;
    const province = await api("/templates", { method: "POST", token: await login("sheng"), json: { builtin: true } });
    expect(province.status).toBe(409);
    const body = await json<Err>(province);
    expect(body.error.where).toBe("body.id");
    expect(body.error.message.zh).toMatch(/晋城市.*长治市|长治市.*晋城市/);
    expect(body.error.message.zh).toContain("请换一个模板代码");
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM templates").first<{ n: number }>())!.n).toBe(before);
  });

  it("a province publishes a template of its own for the units below it, which both cities' units read", async () => {
    const sheng = await login("sheng");
    const created = await api("/templates", { method: "POST", token: sheng, json: { builtin: true, id: "province_annual" } });
    expect(created.status).toBe(201);
    expect((await api("/templates/province_annual/1/publish", { method: "POST", token: sheng })).status).toBe(200);
    const round = await api("/rounds", { method: "POST", token: sheng, json: { templateId: "province_annual", templateVersion: 1, period: "2031", deadline: "2099-03-31T17:00:00+08:00", expectedUnitIds: ["zezhou", "zhangzi"] } });
    expect(round.status, await round.clone().text()).toBe(201);
    for (const user of ["changzhi", "czshenhe", "zhangzi", "admin", "zezhou"]) {
      expect((await api("/templates/province_annual/1", { token: await login(user) })).status, user).toBe(200);
    }
    // a city cannot publish or add versions to the province's template
    expect((await api("/templates", { method: "POST", token: await login("changzhi"), json: { builtin: true, id: "province_annual" } })).status).toBe(403);
  });
});
