// The browser storage the add-in uses, guarded. Excel on the web runs the pane in a third-party
// iframe: a browser that blocks third-party storage (an enterprise policy, an incognito window)
// throws on the mere read of window.localStorage ("Failed to read the 'localStorage' property
// from 'Window': Access is denied for this document", privacysandbox/privacy-sandbox-dev-support#117).
// Microsoft's "Persist add-in state and settings" says to test for storage before using it and to
// key private data on Office.context.partitionKey, which is undefined where the webview does not
// partition (https://learn.microsoft.com/office/dev/add-ins/develop/persisting-add-in-state-and-settings).

export interface GuardedStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** False when the browser refused storage: values live in memory until the pane is closed. */
  readonly persistent: boolean;
}

/** The browser's localStorage if it can be read and written now, else null (never throws). */
function usableLocalStorage(): Storage | null {
  try {
    const s = globalThis.localStorage;
    if (!s) return null;
    const probe = "tianbao.probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/** Office.context.partitionKey once Office has initialised; undefined before, and where there is none. */
function partitionKey(): string {
  try {
    return (typeof Office !== "undefined" && Office.context?.partitionKey) || "";
  } catch {
    return "";
  }
}

/**
 * A store over localStorage, keyed by the partition key, that falls back to memory when the
 * browser refuses storage — at the start or at any later call (a policy can change under a
 * running pane, and a full quota throws too). It never throws.
 */
export function guardedStore(): GuardedStore {
  const memory = new Map<string, string>();
  let refused = false;
  const local = (): Storage | null => {
    if (refused) return null;
    const s = usableLocalStorage();
    if (!s) refused = true;
    return s;
  };
  const attempt = <T>(f: (s: Storage) => T, fallback: () => T): T => {
    const s = local();
    if (!s) return fallback();
    try {
      return f(s);
    } catch {
      refused = true;
      return fallback();
    }
  };
  const full = (key: string) => partitionKey() + key;
  return {
    get: (key) => attempt((s) => s.getItem(full(key)), () => memory.get(key) ?? null),
    set: (key, value) => attempt((s) => s.setItem(full(key), value), () => void memory.set(key, value)),
    remove: (key) => { memory.delete(key); attempt((s) => s.removeItem(full(key)), () => undefined); },
    get persistent() { return local() !== null; },
  };
}
