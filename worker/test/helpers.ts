import { exports, env } from "cloudflare:workers";
import { BUILTIN_TEMPLATE, compileTemplate, type CompiledTemplate } from "@tianbao/shared";
import { DEMO_PASSWORD, seedDemo } from "../src/demo/seed";

export { env };

/** Calls the real Worker (its default export) the way a client would. */
export async function api(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  return (exports as unknown as { default: Fetcher }).default.fetch(`http://tianbao.test/api${path}`, { ...init, headers, body });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

let seeded: Promise<unknown> | null = null;
/** The Jincheng demo, loaded once per test file through the real submit and review path. */
export function ensureDemo(): Promise<unknown> {
  return (seeded ??= seedDemo(env.DB));
}

const tokens = new Map<string, string>();
export async function login(username: string, password = DEMO_PASSWORD): Promise<string> {
  const hit = tokens.get(username);
  if (hit) return hit;
  const res = await api("/auth/login", { method: "POST", json: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const { token } = await json<{ token: string }>(res);
  tokens.set(username, token);
  return token;
}

export const countRows = async (table: string): Promise<number> =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

/** The built-in template, compiled (the reference aggregation needs it). */
export function builtinCompiled(): CompiledTemplate {
  const r = compileTemplate(BUILTIN_TEMPLATE);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message.en).join("; "));
  return r.compiled;
}
