import { compileTemplate, type CompiledTemplate, type RoundView, type UserView } from "@tianbao/shared";
import { ApiClient } from "../api/client";
import { guardedStore } from "./storage";
import type { SubmitResult } from "./submit";

/** One session per runtime: the pane and the ribbon commands share it (shared runtime). */
export const api = new ApiClient();

const KEY = "tianbao.session";
/** Browser storage that may be refused (third-party storage blocked): every call guarded, keyed by Office's partition key. */
export let store = guardedStore();
/** A fresh store, as a new runtime (the pane opened again) starts with: what lived only in memory is gone. */
export function reopenStore(): void { store = guardedStore(); }

/**
 * Restores a remembered sign-in, if the user asked for one and nobody is signed in. Call it once
 * Office has initialised (Office.onReady, or from a ribbon function, which Office calls only after
 * that), so the key includes Office.context.partitionKey.
 */
export function restoreSession(): void {
  if (api.token) return;
  try {
    const saved = JSON.parse(store.get(KEY) ?? "null") as { token: string; user: UserView } | null;
    if (saved?.token) { api.token = saved.token; api.user = saved.user; }
  } catch { /* nothing remembered, or unreadable: sign in again */ }
}

/**
 * Remembers the sign-in (or forgets it). Says whether it will outlive the pane: false when the user
 * asked but the browser refuses storage, so the pane can say the sign-in will not be remembered.
 */
export function rememberSession(remember: boolean): boolean {
  if (remember && api.token && api.user) {
    store.set(KEY, JSON.stringify({ token: api.token, user: api.user }));
    return store.persistent;
  }
  store.remove(KEY);
  return true;
}

export async function signOut(): Promise<void> {
  await api.logout();
  api.token = null;
  api.user = null;
  store.remove(KEY);
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

/**
 * Messages from ribbon commands to the pane (same runtime, so a plain callback list). A submit's
 * outcome goes with its message, so the pane can list the issues and offer to confirm warnings.
 */
type Listener = (text: string, kind: "ok" | "error", outcome?: SubmitResult) => void;
const listeners = new Set<Listener>();
/** A notice sent before the pane listened (a ribbon click opens the pane): shown when it mounts. */
let pending: { text: string; kind: "ok" | "error"; outcome?: SubmitResult } | null = null;
export const onNotice = (f: Listener): (() => void) => {
  listeners.add(f);
  if (pending) { f(pending.text, pending.kind, pending.outcome); pending = null; }
  return () => listeners.delete(f);
};
export const notice = (text: string, kind: "ok" | "error", outcome?: SubmitResult): void => {
  if (listeners.size === 0) pending = { text, kind, ...(outcome ? { outcome } : {}) };
  for (const f of listeners) f(text, kind, outcome);
};
