import { beforeAll, describe, expect, it } from "vitest";
import { CompletenessSchema } from "@tianbao/shared";
import worker from "../src/index";
import { api, countRows, ensureDemo, env, json, login } from "./helpers";

// Deadline reminders (催报): the hourly Cron Trigger run in workerd against a local group-robot
// receiver (worker/test/webhook-receiver.ts), which records what was posted.

type Posted = { path: string; query: string; body: { msgtype: string; text: { content: string; mentioned_mobile_list?: string[] }; at?: { atMobiles: string[] } } };
const RECEIVER = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
const posted = async (prefix: string): Promise<Posted[]> =>
  ((await (await fetch(`${RECEIVER}/_log`)).json()) as Posted[]).filter((p) => p.path.startsWith(prefix));
/** The hourly trigger at a Beijing time, e.g. "2027-01-29T10:00". */
const tick = (beijing: string) =>
  worker.scheduled!({ cron: "0 * * * *", scheduledTime: Date.parse(`${beijing}:00+08:00`), noRetry: () => undefined } as unknown as ScheduledController, env as unknown as Env);
const setHook = async (unit: string, body: Record<string, unknown>) => api(`/units/${unit}/webhook`, { method: "PUT", token: await login("admin"), json: body });
const reminded = () => env.DB.prepare("SELECT unit_id, day, kind, status, attempts FROM reminders WHERE round_id = 'r2025' ORDER BY id").all<{ unit_id: string; day: string; kind: string; status: string; attempts: number }>();

const COUNTIES = ["chengqu", "gaoping", "jincheng_self", "lingchuan", "qinshui", "yangcheng", "zezhou"];

beforeAll(async () => {
  await ensureDemo();
  // the city's group and 泽州县's contact, set by the city (so the city's robot @-mentions it)
  expect((await setHook("jincheng", { kind: "wecom", url: `${RECEIVER}/ok/jincheng-city?key=secret-key` })).status).toBe(200);
  expect((await api("/units/zezhou/contact", { method: "PUT", token: await login("admin"), json: { name: "王科长", phone: "13800000001" } })).status).toBe(200);
});

describe("group robots", () => {
  it("only WeCom's and DingTalk's own https addresses are accepted, and the key is never shown again", async () => {
    for (const url of ["https://evil.example.com/cgi-bin/webhook/send?key=x", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "https://qyapi.weixin.qq.com.evil.cn/x", "not a url", "https://user:pw@qyapi.weixin.qq.com/x"]) {
      const r = await setHook("zezhou", { kind: "wecom", url });
      expect(r.status, url).toBe(422);
      expect((await json<{ error: { where: string; message: { zh: string } } }>(r)).error.message.zh).toContain("qyapi.weixin.qq.com");
    }
    expect((await setHook("zezhou", { kind: "dingtalk", url: "https://qyapi.weixin.qq.com/x" })).status).toBe(422); // a WeCom address is not a DingTalk robot
    const view = await json<Record<string, unknown>>(await api("/units/jincheng/webhook", { token: await login("admin") }));
    expect(view).toMatchObject({ unitId: "jincheng", kind: "wecom", host: expect.stringContaining("127.0.0.1"), signed: false });
    expect(JSON.stringify(view)).not.toContain("secret-key");
    expect((await api("/units/jincheng/webhook", { token: await login("zezhou") })).status).toBe(403); // administrators only
  });
});

describe("the hourly run", () => {
  it("posts one message per robot naming every unit not yet submitted, with the days left, mentioning contacts", async () => {
    await tick("2027-01-29T08:00"); // before office hours: nothing
    expect(await posted("/ok/jincheng-city")).toEqual([]);
    await tick("2027-01-29T10:00");
    const [message, ...more] = await posted("/ok/jincheng-city");
    expect(more).toEqual([]);
    expect(message!.query).toBe("?key=secret-key");
    const text = message!.body.text.content;
    expect(text).toContain("【催报】2025年 质量兴市工作年报");
    expect(text).toContain("还有 2 天截止");
    expect(text).toContain("截止时间 2027-01-31 23:59（北京时间）");
    for (const name of ["泽州县", "高平市", "阳城县"]) expect(text).toContain(name);
    expect(message!.body.text.mentioned_mobile_list).toEqual(["13800000001"]);
    // every reminder is in the audit trail, and the board shows when each unit was last reminded
    expect(await countRows("audit WHERE action = 'reminder_sent' AND round_id = 'r2025'")).toBe(COUNTIES.length);
    const board = CompletenessSchema.parse(await json(await api("/rounds/r2025/completeness", { token: await login("shenhe") })));
    for (const u of board.units) expect(u.lastRemindedAt, u.unitId).toBe("2027-01-29T02:00:00.000Z");
    expect(board.units.find((u) => u.unitId === "zezhou")!.contact).toEqual({ name: "王科长", phone: "13800000001" });
  });

  it("sends nothing twice: later runs the same day post nothing more", async () => {
    await tick("2027-01-29T11:00");
    await tick("2027-01-29T19:00");
    expect(await posted("/ok/jincheng-city")).toHaveLength(1);
    expect((await reminded()).results.filter((r) => r.day === "2027-01-29")).toHaveLength(COUNTIES.length);
  });

  it("a unit that has submitted is not reminded; a robot that fails is tried again the next hour and its message arrives once", async () => {
    const zz = await login("zezhou");
    const { DEMO_PAST_VALUES } = await import("@tianbao/shared");
    const put = await api("/rounds/r2025/submissions/zezhou", { method: "PUT", token: zz, json: { values: DEMO_PAST_VALUES.zezhou, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
    expect(put.status).toBe(201);
    // 高平市 has a group of its own, which is down at first
    expect((await setHook("gaoping", { kind: "wecom", url: `${RECEIVER}/fail-once/gaoping` })).status).toBe(200);
    await tick("2027-01-30T09:00");
    const city = await posted("/ok/jincheng-city");
    expect(city).toHaveLength(2);
    expect(city[1]!.body.text.content).toContain("还有 1 天截止");
    expect(city[1]!.body.text.content).not.toContain("泽州县"); // submitted
    expect(city[1]!.body.text.content).not.toContain("高平市"); // goes to its own group
    expect(await posted("/fail-once/gaoping")).toHaveLength(1);
    const failed = (await reminded()).results.find((r) => r.unit_id === "gaoping" && r.day === "2027-01-30")!;
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(await countRows("audit WHERE action = 'reminder_sent' AND unit_id = 'gaoping'")).toBe(1); // only yesterday's
    await tick("2027-01-30T10:00");
    const gaoping = await posted("/fail-once/gaoping");
    expect(gaoping).toHaveLength(2);
    expect(gaoping[1]!.body.text.content).toContain("高平市");
    await tick("2027-01-30T11:00");
    expect(await posted("/fail-once/gaoping")).toHaveLength(2);
    expect(await posted("/ok/jincheng-city")).toHaveLength(2);
    expect(await countRows("audit WHERE action = 'reminder_sent' AND unit_id = 'gaoping'")).toBe(2);
  });

  it("a robot that keeps refusing is given up after 5 attempts in a day", async () => {
    expect((await setHook("lingchuan", { kind: "dingtalk", url: `${RECEIVER}/refuse/lingchuan` })).status).toBe(200);
    for (let h = 9; h <= 19; h++) await tick(`2027-01-31T${String(h).padStart(2, "0")}:00`);
    expect(await posted("/refuse/lingchuan")).toHaveLength(5);
    const row = (await reminded()).results.find((r) => r.unit_id === "lingchuan" && r.day === "2027-01-31")!;
    expect(row).toMatchObject({ status: "failed", attempts: 5 });
    expect((await posted("/ok/jincheng-city")).at(-1)!.body.text.content).toContain("今天截止");
  });

  it("after the deadline, late units are reminded as late", async () => {
    await tick("2027-02-02T09:00");
    const last = (await posted("/ok/jincheng-city")).at(-1)!.body.text.content;
    expect(last).toContain("已逾期");
    expect(last).toContain("阳城县");
  });

  it("DingTalk robots with 加签 get a timestamp and a signature of it", async () => {
    expect((await setHook("qinshui", { kind: "dingtalk", url: `${RECEIVER}/ok/qinshui-ding?access_token=t0k`, secret: "SECxyz" })).status).toBe(200);
    await tick("2027-02-03T09:00");
    const [msg] = await posted("/ok/qinshui-ding");
    const q = new URLSearchParams(msg!.query);
    expect(q.get("access_token")).toBe("t0k");
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("SECxyz"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${q.get("timestamp")}\nSECxyz`)));
    expect(q.get("sign")).toBe(btoa(String.fromCharCode(...mac)));
    expect(msg!.body.msgtype).toBe("text");
    expect(msg!.body.text.content).toContain("沁水县");
  });
});

describe("立即催报 from the board", () => {
  it("the city posts now about units that have not submitted; not about one that has, and a county cannot", async () => {
    const shenhe = await login("shenhe");
    const before = (await posted("/ok/jincheng-city")).length;
    const r = await api("/rounds/r2025/remind", { method: "POST", token: shenhe, json: { unitIds: ["yangcheng", "zezhou"] } });
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual([{ roundId: "r2025", unitId: "yangcheng", status: "sent" }]); // 泽州县 has submitted
    const now = await posted("/ok/jincheng-city");
    expect(now).toHaveLength(before + 1);
    expect(now.at(-1)!.body.text.content).toContain("阳城县");
    expect(await countRows("audit WHERE action = 'reminder_sent' AND unit_id = 'yangcheng' AND user_id IS NOT NULL")).toBe(1);
    expect((await api("/rounds/r2025/remind", { method: "POST", token: shenhe, json: { unitIds: ["zezhou"] } })).status).toBe(409);
    expect((await api("/rounds/r2025/remind", { method: "POST", token: await login("zezhou"), json: { unitIds: ["yangcheng"] } })).status).toBe(403);
    expect((await api("/rounds/r2025/remind", { method: "POST", token: shenhe, json: { unitIds: ["nowhere"] } })).status).toBe(422);
  });
});
