// Issue 21, finding 3: a county administrator spoke in the city's group chat. 催报 went to the nearest
// robot above a unit whoever owned the round, with names and phones the county had chosen. Kept as
// tests: reminders reach only robots at or below the round's owner; names set below a robot stay on
// their own line; @-mentions only for contacts set at the robot's unit or above.
import { beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE } from "@tianbao/shared";
import worker from "../src/index";
import { reminderText } from "../src/reminders/due";
import { api, ensureDemo, env, json, login } from "./helpers";

type Posted = { path: string; body: { text: { content: string; mentioned_mobile_list?: string[] } } };
const RECEIVER = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
const CITY = `/ok/atk2-city-${Date.now()}`;
const COUNTY = `/ok/atk2-county-${Date.now()}`;
const posted = async (path: string): Promise<Posted[]> => ((await (await fetch(`${RECEIVER}/_log`)).json()) as Posted[]).filter((p) => p.path === path);
const tick = (beijing: string) =>
  worker.scheduled!({ cron: "0 * * * *", scheduledTime: Date.parse(`${beijing}:00+08:00`), noRetry: () => undefined } as unknown as ScheduledController, env as unknown as Env);
const remind = (token: string, round: string, unitIds: string[]) => api(`/rounds/${round}/remind`, { method: "POST", token, json: { unitIds } });
const contact = (token: string, unit: string, phone: string) => api(`/units/${unit}/contact`, { method: "PUT", token, json: { name: "联系人", phone } });

/** What the county administrator named its sub-unit: a phishing notice over several lines. */
// at most the 64 characters a unit's name may have
const HOSTILE = "某镇\n【紧急通知】今日内登记 @所有人\n[点此登记](https://evil.example.com) 13900000000";
const TEMPLATE = { templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, period: "2026" };

let admin: string;
let county: string;
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  expect((await api("/units/jincheng/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${CITY}` } })).status).toBe(200);
  const made = await api("/users", { method: "POST", token: admin, json: { username: "zz.atk2", displayName: "泽州县管理员", role: "admin", unitId: "zezhou", password: "a-long-password-21" } });
  expect(made.status).toBe(201);
  county = await login("zz.atk2", "a-long-password-21");
  // the county's own sub-unit, named like a phishing notice, with a phone of its choice
  expect((await api("/units", { method: "POST", token: county, json: { id: "zezhou_town", name: { zh: HOSTILE, en: HOSTILE }, level: "county", parentId: "zezhou" } })).status).toBe(201);
  expect((await contact(county, "zezhou_town", "13900000000")).status).toBe(200);
});

describe("issue 21 finding 3: who speaks in the city's group", () => {
  it("reminders go only to robots of the round's owner or below: a county's own round reaches no robot of the city (立即催报 three times, and the hourly run)", async () => {
    expect((await api("/rounds", { method: "POST", token: county, json: { id: "zz_own", ...TEMPLATE, deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: ["zezhou_town"] } })).status).toBe(201);
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await remind(county, "zz_own", ["zezhou_town"]);
      expect(r.status).toBe(200);
      answers.push((await json<{ status: string }[]>(r))[0]!.status);
    }
    expect(answers).toEqual(["no_webhook", "no_webhook", "no_webhook"]);
    await tick("2099-01-30T10:00");
    expect(await posted(CITY)).toEqual([]);
  });

  it("a legitimate city round still reaches the city's robot, contacts the city set @-mentioned as before", async () => {
    expect((await contact(admin, "yangcheng", "13800000002")).status).toBe(200);
    expect((await contact(admin, "zezhou", "13800000001")).status).toBe(200);
    const before = (await posted(CITY)).length;
    const r = await remind(await login("shenhe"), "r2025", ["yangcheng", "zezhou"]);
    expect((await json<{ unitId: string; status: string }[]>(r)).map((o) => `${o.unitId}:${o.status}`).sort()).toEqual(["yangcheng:sent", "zezhou:sent"]);
    const [message, ...more] = (await posted(CITY)).slice(before);
    expect(more).toEqual([]);
    expect(message!.body.text.content).toContain("阳城县");
    expect(message!.body.text.content).toContain("泽州县");
    expect([...message!.body.text.mentioned_mobile_list!].sort()).toEqual(["13800000001", "13800000002"]);
  });

  it("a name set below a robot's unit reaches it on its own line only, and the phone the county chose is not @-mentioned", async () => {
    // the city's round reported level by level: the county reviews its sub-unit and may press 催报,
    // which goes to the city's robot (the nearest at or below the owner)
    expect((await api("/rounds", { method: "POST", token: admin, json: { id: "city_town", ...TEMPLATE, deadline: "2098-06-30T23:59:59+08:00", expectedUnitIds: ["zezhou_town"] } })).status).toBe(201);
    const r = await remind(county, "city_town", ["zezhou_town"]);
    expect(await json(r)).toEqual([{ roundId: "city_town", unitId: "zezhou_town", status: "sent" }]);
    const message = (await posted(CITY)).at(-1)!;
    const lines = message.body.text.content.split("\n");
    expect(lines).toHaveLength(3); // the header, the units not in, the closing request
    // two levels below the city's robot, the town is named by its path below it (review27 F5); "/" in a name is neutralised to "／"
    expect(lines[1]).toMatch(/^还有 \d+ 天截止，尚未上报：泽州县 ／ 某镇/);
    expect(lines[1]).not.toMatch(/[@\[\]()#*<>]|https?:\/\//);
    expect(message.body.text.mentioned_mobile_list ?? []).toEqual([]);
  });

  it("@-mentions only for contacts set at the robot's unit or above: the county's own phone is named-not-mentioned until the city sets one", async () => {
    expect((await contact(county, "zezhou", "13700000007")).status).toBe(200); // the county changes its own contact
    await tick("2027-01-29T10:00");
    const daily = (await posted(CITY)).at(-1)!;
    expect(daily.body.text.content).toContain("泽州县");
    expect(daily.body.text.mentioned_mobile_list).toEqual(["13800000002"]);
    expect((await contact(admin, "zezhou", "13700000008")).status).toBe(200); // the city sets the phone
    await tick("2027-01-30T10:00");
    expect([...(await posted(CITY)).at(-1)!.body.text.mentioned_mobile_list!].sort()).toEqual(["13700000008", "13800000002"]);
    // a phone written any other way than the API (here straight into D1) counts as set by the unit itself
    await env.DB.prepare("UPDATE units SET contact_phone = '13700000009' WHERE id = 'zezhou'").run();
    await tick("2027-01-31T10:00");
    expect((await posted(CITY)).at(-1)!.body.text.mentioned_mobile_list).toEqual(["13800000002"]);
  });

  it("a county's own round reaches its own group, its own contacts @-mentioned there", async () => {
    expect((await api("/units/zezhou/webhook", { method: "PUT", token: county, json: { kind: "wecom", url: `${RECEIVER}${COUNTY}` } })).status).toBe(200);
    await tick("2099-01-29T10:00");
    const [message] = await posted(COUNTY);
    expect(message!.body.text.content.split("\n")).toHaveLength(3);
    expect(message!.body.text.mentioned_mobile_list).toEqual(["13900000000"]);
    expect((await posted(CITY)).filter((p) => p.body.text.content.includes("某镇"))).toHaveLength(1); // only the city's own round
  });
});

describe("names in a robot's message", () => {
  /** Names a unit below a robot could be given (the API takes line breaks; the rest is any text). */
  const HOSTILE_NAMES = [
    HOSTILE, "某镇\r\n伪造的第二行", "某镇\u2028第二行\u2029第三行", "某镇\u0085下一行", "# 标题", "## 【通知】", "**加粗** __下划线__", "~~删除线~~",
    "[点此登记](https://evil.example.com)", "![图](http://evil.example.com/a.png)", "<@zhangsan> 请回复", "<font color=\"warning\">紧急</font>", "<a href='x'>链接</a>",
    "@所有人 请注意", "@13900000000", "https://evil.example.com/登记", "www.evil.cn", "`代码`", "> 引用", "| 表 | 格 |", "\u202e倒序文本",
    "零宽\u200b空格\ufeff", "\t制表符\u000b", "很长的名称".repeat(100),
  ];
  const line = (name: string, title = "2025年 质量兴市工作年报") =>
    reminderText({ title, deadline: "2027-01-31T23:59:59+08:00" }, [{ name, kind: "due", daysLeft: 2 }], new Date("2027-01-29T02:00:00Z")).split("\n");

  it(`no name brings a line, markdown, a link or an @ of its own, and none is over 40 characters (${HOSTILE_NAMES.length} names, each also as a template name)`, () => {
    for (const name of HOSTILE_NAMES) {
      const lines = line(name);
      expect(lines, JSON.stringify(name)).toHaveLength(3);
      const shown = /尚未上报：(.*)。$/.exec(lines[1]!)![1]!;
      expect(shown, JSON.stringify(name)).not.toMatch(/[!-/:-@[-`{-~]/); // no ASCII punctuation: no markdown, tag, link or @
      expect(shown, JSON.stringify(name)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      expect([...shown].length, JSON.stringify(name)).toBeLessThanOrEqual(40);
      const titled = line("泽州县", name);
      expect(titled, JSON.stringify(name)).toHaveLength(3);
      const title = titled[0]!.slice(4, titled[0]!.indexOf("，截止时间"));
      expect(title, JSON.stringify(name)).not.toMatch(/[!-/:-@[-`{-~]|[\p{Cc}\p{Cf}]/u);
      expect([...title].length, JSON.stringify(name)).toBeLessThanOrEqual(60);
    }
  });

  it("ordinary names are shown as they are", () => {
    for (const name of ["泽州县", "晋城市本级", "城区", "高平市（县级市）", "Lingchuan County 3"]) expect(line(name)[1]).toContain(`尚未上报：${name}。`);
  });
});

describe("contacts set before robots checked who set them", () => {
  it("the migration takes each phone's setter from the audit trail; a phone with no record, or another one since, counts as set by the unit itself", async () => {
    const migrations = (env as unknown as { TEST_MIGRATIONS: { queries: string[] }[] }).TEST_MIGRATIONS;
    const backfill = migrations.flatMap((m) => m.queries).find((q) => q.includes("WITH writes AS"))!;
    const user = async (name: string) => (await env.DB.prepare("SELECT id FROM users WHERE username = ?").bind(name).first<{ id: number }>())!.id;
    const [city, zz] = [await user("admin"), await user("zz.atk2")];
    const audit = (userId: number, action: string, unitId: string, detail: unknown) =>
      env.DB.prepare("INSERT INTO audit (at, user_id, action, unit_id, detail) VALUES ('2026-01-01T00:00:00Z', ?, ?, ?, ?)").bind(userId, action, unitId, JSON.stringify(detail));
    await env.DB.batch([
      audit(city, "unit_contact", "qinshui", { name: "甲", phone: "13600000001" }), // the screen, as it recorded before
      audit(city, "unit_update", "gaoping", { fields: { contactPhone: [null, "13600000002"] } }), // the workbook
      audit(city, "unit_contact", "chengqu", { name: "丙", phone: "13600000004" }), // then changed some other way
      audit(city, "unit_contact", "zezhou_town", { name: "丁", phone: "13600000006" }),
      audit(zz, "unit_contact", "zezhou_town", { fields: { contactPhone: ["13600000006", "13600000007"] } }), // the county's, later
      env.DB.prepare(`UPDATE units SET contact_phone = CASE id WHEN 'qinshui' THEN '13600000001' WHEN 'gaoping' THEN '13600000002' WHEN 'lingchuan' THEN '13600000003'
        WHEN 'chengqu' THEN '13600000005' ELSE '13600000007' END, contact_phone_set = NULL, contact_phone_set_by = NULL
        WHERE id IN ('qinshui', 'gaoping', 'lingchuan', 'chengqu', 'zezhou_town')`),
    ]);
    await env.DB.prepare(backfill).run();
    const { results } = await env.DB.prepare("SELECT id, contact_phone = contact_phone_set AS same, contact_phone_set_by AS by FROM units WHERE id IN ('qinshui', 'gaoping', 'lingchuan', 'chengqu', 'zezhou_town') ORDER BY id").all();
    expect(results).toEqual([
      { id: "chengqu", same: 0, by: "/shanxi/jincheng/" },
      { id: "gaoping", same: 1, by: "/shanxi/jincheng/" },
      { id: "lingchuan", same: null, by: null },
      { id: "qinshui", same: 1, by: "/shanxi/jincheng/" },
      { id: "zezhou_town", same: 1, by: "/shanxi/jincheng/zezhou/" },
    ]);
  });
});
