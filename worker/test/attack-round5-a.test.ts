// Round-5 independent attack: reminders (class 3) and units (class 4).
import { beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, countRows, ensureDemo, env, json, login } from "./helpers";

const RECEIVER = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
const log = async () => (await (await fetch(`${RECEIVER}/_log`)).json()) as { path: string; body: { text: { content: string; mentioned_mobile_list?: string[] }; at?: { atMobiles: string[] } } }[];
const FUTURE = "2031-01-31T23:59:59+08:00";
let admin: string;

async function unit(token: string, id: string, parentId: string, zh: string, en = id, level = "county") {
  const r = await api("/units", { method: "POST", token, json: { id, name: { zh, en }, level, parentId } });
  return r;
}
async function round(token: string, id: string, expected: string[], period = "2039") {
  const res = await api("/rounds", { method: "POST", token, json: { id, templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, period, deadline: FUTURE, expectedUnitIds: expected } });
  if (res.status !== 201) throw new Error(`round ${id}: ${res.status} ${await res.text()}`);
}
async function newAdmin(username: string, unitId: string, token = admin): Promise<string> {
  const r = await api("/users", { method: "POST", token, json: { username, displayName: username, role: "admin", unitId, password: "round5-password-xyz" } });
  if (r.status !== 201) throw new Error(`user ${username}: ${r.status} ${await r.text()}`);
  return login(username, "round5-password-xyz");
}

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
  admin = await login("admin");
});

describe("class 3: reminders", () => {
  it("HELD: hostile unit names reach the city's group as one plain line each (breaks, markdown, mentions, long)", async () => {
    expect((await unit(admin, "r5h", "jincheng", "攻击县")).status).toBe(201);
    const hostile = [
      "甲\n【催报】假消息", "乙\u2028@all 全体", "丙\u2029<font color=\"red\">红</font>", "丁\u0085[点我](https://evil.example)",
      "戊<@zhangsan>＠所有人", "己\r\n# 标题 **粗**", "庚\u200b\u202e反向\u2066", "辛" + "长".repeat(60), "壬\t`code` ~~删~~ > 引用",
    ];
    const ids = hostile.map((_, i) => `r5h_${i}`);
    // a county administrator names its own units below
    const county = await newAdmin("r5h.admin", "r5h");
    for (const [i, zh] of hostile.entries()) expect((await unit(county, ids[i]!, "r5h", zh)).status).toBe(201);
    await round(admin, "r5h_round", ids);
    const path = `/ok/r5h-${Date.now()}`;
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: admin, json: { kind: "dingtalk", url: `${RECEIVER}${path}` } })).status).toBe(200);
    // the county admin presses 催报 in the city's round (it may review its own units there)
    const r = await api("/rounds/r5h_round/remind", { method: "POST", token: county, json: { unitIds: ids } });
    console.log("remind by county", r.status, await r.text());
    const admR = await api("/rounds/r5h_round/remind", { method: "POST", token: admin, json: { unitIds: ids } });
    console.log("remind by city", admR.status);
    const posts = (await log()).filter((p) => p.path === path);
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) {
      const text = p.body.text.content;
      console.log(JSON.stringify(text));
      const lines = text.split(/\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/);
      expect(lines.length).toBe(3);
      const namesPart = lines[1]!;
      expect(namesPart).not.toMatch(/[@<>[\]()#*`~]/);
      expect(namesPart).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(p.body.at?.atMobiles ?? []).toEqual([]);
    }
  });

  it("HELD: 10/hour per robot — 14 parallel presses by two desks over two rounds post at most 10 times", async () => {
    expect((await unit(admin, "r5rl", "jincheng", "限流县")).status).toBe(201);
    const ids = Array.from({ length: 14 }, (_, i) => `r5rl_${i}`);
    for (const id of ids) expect((await unit(admin, id, "r5rl", `限流${id}`)).status).toBe(201);
    await round(admin, "r5rl_a", ids.slice(0, 7), "2038");
    await round(admin, "r5rl_b", ids.slice(7), "2037");
    const path = `/ok/r5rl-${Date.now()}`;
    expect((await api("/units/r5rl/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${path}` } })).status).toBe(200);
    const shenhe = await login("shenhe");
    const presses = ids.map((id, i) => api(`/rounds/${i < 7 ? "r5rl_a" : "r5rl_b"}/remind`, { method: "POST", token: i % 2 ? admin : shenhe, json: { unitIds: [id] } }));
    const statuses = await Promise.all(presses.map(async (p) => { const r = await p; await r.text(); return r.status; }));
    console.log("statuses", statuses.join(","));
    const posts = (await log()).filter((p) => p.path === path);
    expect(posts.length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
  });

  it("HELD: a robot of another branch never hears a city's round; a county's own round never reaches the city's robot", async () => {
    expect((await unit(admin, "r5br", "jincheng", "分支县")).status).toBe(201);
    expect((await unit(admin, "r5br_a", "r5br", "分支甲")).status).toBe(201);
    const county = await newAdmin("r5br.admin", "r5br");
    await round(county, "r5br_round", ["r5br_a"], "2036");
    const cityPath = `/ok/r5br-city-${Date.now()}`;
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${cityPath}` } })).status).toBe(200);
    const r = await api("/rounds/r5br_round/remind", { method: "POST", token: county, json: { unitIds: ["r5br_a"] } });
    const body = await json<{ status: string }[]>(r);
    console.log(r.status, JSON.stringify(body));
    expect((await log()).filter((p) => p.path === cityPath).length).toBe(0);
    // another city's robot
    const cz = await login("changzhi");
    const czPath = `/ok/r5br-cz-${Date.now()}`;
    expect((await api("/units/changzhi/webhook", { method: "PUT", token: cz, json: { kind: "wecom", url: `${RECEIVER}${czPath}` } })).status).toBe(200);
    await round(admin, "r5br_city", ["r5br_a"], "2035");
    await (await api("/rounds/r5br_city/remind", { method: "POST", token: admin, json: { unitIds: ["r5br_a"] } })).text();
    expect((await log()).filter((p) => p.path === czPath).length).toBe(0);
    // changzhi cannot set jincheng's robot, nor press in jincheng's round
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: cz, json: { kind: "wecom", url: `${RECEIVER}/ok/x` } })).status).toBe(403);
    expect([403, 404]).toContain((await api("/rounds/r5br_city/remind", { method: "POST", token: cz, json: { unitIds: ["r5br_a"] } })).status);
  });

  it("HELD: a phone the county set itself is not @-mentioned by the city's robot (screen and re-set by county after the city)", async () => {
    expect((await unit(admin, "r5ph", "jincheng", "电话县")).status).toBe(201);
    const county = await newAdmin("r5ph.admin", "r5ph");
    // the city sets a phone, then the county overwrites it with another
    expect((await api("/units/r5ph/contact", { method: "PUT", token: admin, json: { name: "张三", phone: "13800000001" } })).status).toBe(200);
    expect((await api("/units/r5ph/contact", { method: "PUT", token: county, json: { name: "张三", phone: "13899999999" } })).status).toBe(200);
    await round(admin, "r5ph_round", ["r5ph"], "2034");
    const path = `/ok/r5ph-${Date.now()}`;
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${path}` } })).status).toBe(200);
    await (await api("/rounds/r5ph_round/remind", { method: "POST", token: admin, json: { unitIds: ["r5ph"] } })).text();
    const posts = (await log()).filter((p) => p.path === path);
    expect(posts.length).toBe(1);
    expect(posts[0]!.body.text.mentioned_mobile_list).toEqual([]);
    // the county sets it back to the city's phone text with another format
    expect((await api("/units/r5ph/contact", { method: "PUT", token: county, json: { name: "张三", phone: "138-9999-9999" } })).status).toBe(200);
    const row = await env.DB.prepare("SELECT contact_phone_set, contact_phone_set_by FROM units WHERE id = 'r5ph'").first();
    console.log(JSON.stringify(row));
    expect(row!.contact_phone_set_by).toBe("/shanxi/jincheng/r5ph/");
  });
});

describe("class 4: a unit renaming itself", () => {
  it("HELD: POST /units re-creating one's own unit (same id, other case, new name/level/parent) changes nothing", async () => {
    expect((await unit(admin, "r5own", "jincheng", "本县")).status).toBe(201);
    expect((await unit(admin, "r5own_sib", "jincheng", "邻县")).status).toBe(201);
    const county = await newAdmin("r5own.admin", "r5own");
    const before = await env.DB.prepare("SELECT * FROM units WHERE id = 'r5own'").first();
    const tries = [
      { id: "r5own", name: { zh: "改名县", en: "x" }, level: "county", parentId: "r5own" },
      { id: "R5OWN", name: { zh: "改名县", en: "x" }, level: "county", parentId: "r5own" },
      { id: "r5own", name: { zh: "改名县", en: "x" }, level: "city", parentId: "jincheng" },
      { id: "r5own_sib", name: { zh: "改名县", en: "x" }, level: "county", parentId: "r5own" },
    ];
    const got: number[] = [];
    for (const t of tries) { const r = await api("/units", { method: "POST", token: county, json: t }); got.push(r.status); await r.text(); }
    console.log(got);
    expect(got.every((s) => s >= 400 && s < 500)).toBe(true);
    expect(await env.DB.prepare("SELECT * FROM units WHERE id = 'r5own'").first()).toEqual(before);
    // the contact route takes no name
    const c = await api("/units/r5own/contact", { method: "PUT", token: county, json: { name: "张三", phone: "13800000000", unitName: "改名县" } });
    expect(c.status).toBe(422);
  });

  it("FIXED (was FINDING): a look-alike of a sibling's name (zero-width, trailing space, full-width) is accepted under one parent", async () => {
    const looks = [
      { zh: "泽州县\u200b", en: "Zezhou2" }, { zh: "泽州县 ", en: "Zezhou3" }, { zh: "\u2060泽州县", en: "Zezhou4" },
      { zh: "泽州縣2", en: "Ｚｅｚｈｏｕ" }, { zh: "泽州县\u00a0", en: "Zezhou5" }, { zh: "泽州县\u3000", en: "Zezhou6" },
    ];
    const accepted: string[] = [];
    for (const [i, n] of looks.entries()) {
      const r = await api("/units", { method: "POST", token: admin, json: { id: `r5look_${i}`, name: n, level: "county", parentId: "jincheng" } });
      if (r.status === 201) accepted.push(JSON.stringify(n));
      await r.text();
    }
    console.log("accepted look-alikes:", accepted);
    expect(accepted).toEqual([]);
  });

  it("HELD: another branch's unit audit, ids differing by case or holding _ %", async () => {
    const cz = await login("changzhi");
    const got: string[] = [];
    for (const id of ["jincheng", "JINCHENG", "Jincheng", "jinchen_", "jinch%", "%", "_", "zezhou", "Zezhou", "jincheng ", " jincheng", "jincheng%20", "shanxi"]) {
      const r = await api(`/units/${encodeURIComponent(id)}/audit`, { token: cz });
      if (r.status === 200) got.push(`${id}: ${(await r.text()).slice(0, 80)}`); else await r.text();
    }
    expect(got).toEqual([]);
    // a county admin reading its parent's or sibling's audit
    const zz = await newAdmin("r5aud.admin", "zezhou");
    for (const id of ["jincheng", "gaoping", "Zezhou", "zezho_"]) expect([403, 404]).toContain((await api(`/units/${encodeURIComponent(id)}/audit`, { token: zz })).status);
    expect(await countRows("units")).toBeGreaterThan(0);
  });
});
