// The third independent attack (first-run production), kept as tests: reminders.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import worker from "../src/index";
import { postReminder } from "../src/reminders/webhook";
import { api, ensureDemo, env, json, login } from "./helpers";

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
