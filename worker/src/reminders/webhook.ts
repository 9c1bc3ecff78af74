// Group robots of 企业微信 (WeCom) and 钉钉 (DingTalk): where a reminder is posted, and how.
//   WeCom:    https://developer.work.weixin.qq.com/document/path/91770  (POST JSON, answers {"errcode":0})
//   DingTalk: https://open.dingtalk.com/document/robots/custom-robot-access  (same; optional signature:
//             timestamp + "\n" + secret, HMAC-SHA256 with the secret, Base64, as &timestamp=…&sign=…)

export type WebhookKind = "wecom" | "dingtalk";

/** The only hosts a reminder may be posted to (so a webhook URL cannot be used to reach anything else). */
export const WEBHOOK_HOSTS: Record<WebhookKind, string> = { wecom: "qyapi.weixin.qq.com", dingtalk: "oapi.dingtalk.com" };

/**
 * Why a webhook URL cannot be used, or null. https and the robot's official host only; hosts listed in
 * `extraHosts` (the REMINDER_TEST_HOSTS variable, set only by the test configuration) may also be
 * used, over http, so tests can run a local receiver.
 */
export function webhookProblem(kind: WebhookKind, url: string, extraHosts: readonly string[]): { zh: string; en: string } | null {
  let u: URL;
  try { u = new URL(url); } catch { return { zh: `不是有效的网址，应为 https://${WEBHOOK_HOSTS[kind]}/… 开头的群机器人地址`, en: `not a valid URL; it must start https://${WEBHOOK_HOSTS[kind]}/` }; }
  if (extraHosts.includes(u.hostname)) return null;
  if (u.protocol !== "https:" || u.hostname !== WEBHOOK_HOSTS[kind] || u.username || u.password || (u.port && u.port !== "443")) {
    return { zh: `应为 https://${WEBHOOK_HOSTS[kind]}/… 开头的群机器人地址`, en: `must be a group robot address starting https://${WEBHOOK_HOSTS[kind]}/` };
  }
  return null;
}

export interface Hook { kind: WebhookKind; url: string; secret: string | null }

async function signedUrl(hook: Hook, now: Date): Promise<string> {
  if (hook.kind !== "dingtalk" || !hook.secret) return hook.url;
  const timestamp = String(now.getTime());
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(hook.secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}\n${hook.secret}`)));
  const sign = btoa(String.fromCharCode(...mac));
  const u = new URL(hook.url);
  u.searchParams.set("timestamp", timestamp);
  u.searchParams.set("sign", sign);
  return u.toString();
}

/** Posts a text message, mentioning the contacts' mobile numbers; null when the robot took it, else why not. */
export async function postReminder(hook: Hook, text: string, mobiles: readonly string[], now: Date): Promise<string | null> {
  const phones = mobiles.map((m) => m.replace(/[^\d+]/g, "")).filter((m) => /^\+?\d{6,15}$/.test(m));
  const body = hook.kind === "wecom"
    ? { msgtype: "text", text: { content: text, mentioned_mobile_list: phones } }
    : { msgtype: "text", text: { content: text }, at: { atMobiles: phones, isAtAll: false } };
  let res: Response;
  try {
    res = await fetch(await signedUrl(hook, now), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000), redirect: "manual" });
  } catch (e) {
    return `network: ${String(e).slice(0, 200)}`;
  }
  const answer = (await res.json().catch(() => null)) as { errcode?: number; errmsg?: string } | null;
  // a redirect is not followed: it could lead anywhere, and a robot's address does not move
  if (!res.ok) return res.status >= 300 && res.status < 400 ? `HTTP ${res.status} (redirect not followed)` : `HTTP ${res.status}`;
  if (answer?.errcode !== 0) return `errcode ${answer?.errcode ?? "?"}: ${String(answer?.errmsg ?? "").slice(0, 200)}`;
  return null;
}
