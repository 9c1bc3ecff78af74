// The third independent attack (first-run production), kept as tests: reminders.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES } from "@tianbao/shared";
import worker from "../src/index";
import { postReminder } from "../src/reminders/webhook";
import { api, countRows, ensureDemo, env, json, login } from "./helpers";

const RECEIVER = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
const cron = (iso: string) => worker.scheduled!({ cron: "0 * * * *", scheduledTime: Date.parse(iso) } as never, env as never);
const log = async () => (await (await fetch(`${RECEIVER}/_log`)).json()) as { path: string; query: string; body: { text: { content: string } } }[];

let admin: string;
beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});
afterEach(() => vi.unstubAllGlobals());

describe("probe3 reminders", () => {
  it("a failed reminder is not retried (as '尚未上报') after the unit has submitted", async () => {
    const path = `/fail-once/probe3-qinshui-${Date.now()}`;
    const put = await api("/units/qinshui/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${path}` } });
    expect(put.status).toBe(200);
    await cron("2027-01-29T10:00:00+08:00"); // robot fails once
    // qinshui now submits its report
    const reporter = await login("qinshui");
    const sub = await api("/rounds/r2025/submissions/qinshui", { method: "PUT", token: reporter, headers: { "if-match": '"0"' }, json: { values: DEMO_PAST_VALUES.qinshui, acknowledgeWarnings: true } });
    expect([200, 201]).toContain(sub.status);
    await cron("2027-01-29T11:00:00+08:00"); // retry hour
    const posts = (await log()).filter((p) => p.path === path);
    console.log(posts.map((p) => JSON.stringify(p.body).slice(0, 200)));
    // first post failed (HTTP 500); a second one tells the group a unit that has submitted has not
    expect(posts.length).toBe(1);
  });

  it("reminder posts do not follow redirects (a robot host's redirect could lead anywhere)", async () => {
    let seen: RequestInit | undefined;
    vi.stubGlobal("fetch", async (_u: string, init: RequestInit) => { seen = init; return new Response('{"errcode":0}'); });
    await postReminder({ kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", secret: null }, "x", [], new Date());
    expect(["manual", "error"]).toContain(seen?.redirect);
  });

  it("held: SSRF URL tricks refused", async () => {
    const urls = [
      "https://qyapi.weixin.qq.com.evil.com/x", "https://evil.com#@qyapi.weixin.qq.com/", "https://qyapi.weixin.qq.com@evil.com/", "https://evil.com\\@qyapi.weixin.qq.com/",
      "http://qyapi.weixin.qq.com/x", "https://qyapi.weixin.qq.com:8443/x", "https://user:pw@qyapi.weixin.qq.com/x", "https://127.0.0.1.nip.io/", "https://[::1]/",
      "https://oapi.dingtalk.com/robot/send", "javascript:alert(1)", "https://qyapi.weixin.qq.com./x", "https://QYAPI.weixin.qq.com%2eevil.com/",
      "http://127.0.0.2/x", "http://localhost/x", // (0x7f000001 / 2130706433 normalise to 127.0.0.1 = the test-only host)
    ];
    const ok: string[] = [];
    for (const url of urls) {
      const r = await api("/units/zezhou/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url } });
      if (r.status !== 422) ok.push(`${r.status} ${url}`);
      await r.text();
    }
    expect(ok).toEqual([]);
  });

  it("held: the key is not returned; failures do not echo the URL; authority", async () => {
    const url = `http://127.0.0.1:1/cgi-bin/webhook/send?key=SECRETKEY123`;
    expect((await api("/units/lingchuan/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url } })).status).toBe(200);
    const g = await (await api("/units/lingchuan/webhook", { token: admin })).text();
    expect(g).not.toContain("SECRETKEY");
    const reviewer = await login("shenhe");
    const r = await api("/rounds/r2025/remind", { method: "POST", token: reviewer, json: { unitIds: ["lingchuan"] } });
    const t = await r.text();
    console.log("remind", r.status, t.slice(0, 300));
    expect(t).not.toContain("SECRETKEY");
    const audit = await env.DB.prepare("SELECT detail FROM audit WHERE detail LIKE '%SECRETKEY%'").all();
    expect(audit.results).toEqual([]);
    const rem = await env.DB.prepare("SELECT last_error FROM reminders WHERE last_error LIKE '%SECRETKEY%'").all();
    expect(rem.results).toEqual([]);
    // reporter and county can't remind or set the city's robot
    const zz = await login("zezhou");
    expect((await api("/rounds/r2025/remind", { method: "POST", token: zz, json: { unitIds: ["zezhou"] } })).status).toBe(403);
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: zz, json: { kind: "wecom", url: "https://qyapi.weixin.qq.com/x" } })).status).toBe(403);
  });

  it("manual 立即催报 posts once however often it is clicked within 10 minutes", async () => {
    const path = `/ok/probe3-manual-${Date.now()}`;
    expect((await api("/units/gaoping/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${path}` } })).status).toBe(200);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(((await json<{ status: string }[]>(await api("/rounds/r2025/remind", { method: "POST", token: admin, json: { unitIds: ["gaoping"] } })))[0]!.status));
    expect(answers).toEqual(["sent", "recent", "recent", "recent", "recent"]);
    expect((await log()).filter((p) => p.path === path)).toHaveLength(1);
  });

  it("held: the same day's automatic reminder is posted once", async () => {
    const path = `/ok/probe3-once-${Date.now()}`;
    expect((await api("/units/yangcheng/webhook", { method: "PUT", token: admin, json: { kind: "dingtalk", url: `${RECEIVER}${path}`, secret: "SEC" } })).status).toBe(200);
    await Promise.all([cron("2027-01-30T10:00:00+08:00"), cron("2027-01-30T10:00:00+08:00")]);
    await cron("2027-01-30T12:00:00+08:00");
    await cron("2027-01-30T19:59:00+08:00");
    expect((await log()).filter((p) => p.path === path).length).toBe(1);
  });
});

// Issue 21: 立即催报 is limited per group robot, across rounds and desks.
describe("立即催报 per group robot", () => {
  const PATH = `/ok/probe21-limit-${Date.now()}`;
  // units of the city's rounds that have no robot of their own in this file: they go to the city's
  const UNITS = ["chengqu", "jincheng_self", "zezhou"];
  const ROUNDS = ["r2025", "rl2026", "rl2027", "rl2028"];
  const press = (round: string, unit: string) => api(`/rounds/${round}/remind`, { method: "POST", token: admin, json: { unitIds: [unit] } });
  const refused: [string, string][] = [];

  it("twelve presses at once from the desk post 10 times; the rest are refused 429, never a 500", async () => {
    expect((await api("/units/jincheng/webhook", { method: "PUT", token: admin, json: { kind: "wecom", url: `${RECEIVER}${PATH}` } })).status).toBe(200);
    for (const id of ROUNDS.slice(1)) {
      const r = await api("/rounds", { method: "POST", token: admin, json: { id, templateId: BUILTIN_TEMPLATE.id, templateVersion: BUILTIN_TEMPLATE.version, period: id.slice(2), deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds: UNITS } });
      expect(r.status, await r.text()).toBe(201);
    }
    const pairs = ROUNDS.flatMap((r) => UNITS.map((u) => [r, u] as [string, string]));
    const answers = await Promise.all(pairs.map(([r, u]) => press(r, u)));
    answers.forEach((a, i) => { if (a.status === 429) refused.push(pairs[i]!); });
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(10).fill(200), 429, 429]);
    expect((await log()).filter((p) => p.path === PATH)).toHaveLength(10);
  });

  it("a press over the limit is refused whole: 429 in both languages saying when to try again, Retry-After, nothing written or posted", async () => {
    const counts = async () => [await countRows("reminders"), await countRows("audit"), await countRows("manual_posts"), (await log()).filter((p) => p.path === PATH).length];
    const before = await counts();
    const r = await press(...refused[0]!);
    expect(r.status).toBe(429);
    const retry = Number(r.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(3500);
    expect(retry).toBeLessThanOrEqual(3600);
    const body = await json<{ error: { code: string; message: { zh: string; en: string } } }>(r);
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message.zh).toMatch(/「晋城市[^」]*」的群机器人 1 小时内已发送 10 次立即催报，请于 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）后再试/);
    expect(body.error.message.en).toMatch(/try again after \d{4}-\d\d-\d\d \d\d:\d\d \(Beijing time\)/);
    expect(await counts()).toEqual(before);
  });

  it("another robot, and the daily reminders, are not held back by it", async () => {
    const own = await press("r2025", "yangcheng"); // 阳城县 has its own group in this file
    expect(await json(own)).toEqual([{ roundId: "r2025", unitId: "yangcheng", status: "sent" }]);
    await cron("2027-01-31T10:00:00+08:00");
    expect((await log()).filter((p) => p.path === PATH)).toHaveLength(11);
  });
});
