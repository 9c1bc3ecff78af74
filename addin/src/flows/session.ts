import { compileTemplate, type CompiledTemplate, type RoundView, type UserView } from "@tianbao/shared";
import { ApiClient } from "../api/client";

/** One session per runtime: the pane and the ribbon commands share it (shared runtime). */
export const api = new ApiClient();

const KEY = "tianbao.session";

/** Restores a remembered sign-in, if the user asked for one. */
export function restoreSession(): void {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as { token: string; user: UserView } | null;
    if (saved?.token) { api.token = saved.token; api.user = saved.user; }
  } catch { /* nothing remembered */ }
}

export function rememberSession(remember: boolean): void {
  if (remember && api.token && api.user) localStorage.setItem(KEY, JSON.stringify({ token: api.token, user: api.user }));
  else localStorage.removeItem(KEY);
}

export async function signOut(): Promise<void> {
  await api.logout();
  api.token = null;
  api.user = null;
  localStorage.removeItem(KEY);
}

const compiledCache = new Map<string, CompiledTemplate>();

/** A round's template, compiled once per runtime (published versions never change). */
export async function compiledFor(round: Pick<RoundView, "templateId" | "templateVersion">): Promise<CompiledTemplate | null> {
  const key = `${round.templateId}@${round.templateVersion}`;
  const hit = compiledCache.get(key);
  if (hit) return hit;
  const r = await api.template(round as RoundView);
  if (!r.ok) return null;
  const c = compileTemplate(r.value);
  if (!c.ok) return null;
  compiledCache.set(key, c.compiled);
  return c.compiled;
}

/** Messages from ribbon commands to the pane (same runtime, so a plain callback list). */
const listeners = new Set<(text: string, kind: "ok" | "error") => void>();
/** A notice sent before the pane listened (a ribbon click opens the pane): shown when it mounts. */
let pending: { text: string; kind: "ok" | "error" } | null = null;
export const onNotice = (f: (text: string, kind: "ok" | "error") => void): (() => void) => {
  listeners.add(f);
  if (pending) { f(pending.text, pending.kind); pending = null; }
  return () => listeners.delete(f);
};
export const notice = (text: string, kind: "ok" | "error"): void => {
  if (listeners.size === 0) pending = { text, kind };
  for (const f of listeners) f(text, kind);
};
