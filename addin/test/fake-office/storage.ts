// Browser storage as the pane's iframe gets it. "refused" is a browser that blocks third-party
// storage (an enterprise policy, an incognito window; Excel on the web frames the pane from another
// site): reading window.localStorage or window.sessionStorage itself throws a SecurityError
// DOMException — "Failed to read the 'localStorage' property from 'Window': Access is denied for
// this document" (privacysandbox/privacy-sandbox-dev-support#117; MDN Window.localStorage,
// Exceptions: SecurityError). Microsoft says to test for it before use and to key data on
// Office.context.partitionKey (https://learn.microsoft.com/office/dev/add-ins/develop/persisting-add-in-state-and-settings).

export type StorageMode = "available" | "refused";

/** An in-memory Storage with the Web Storage interface (each test gets a fresh one). */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number { return this.items.size; }
  clear(): void { this.items.clear(); }
  getItem(key: string): string | null { return this.items.get(String(key)) ?? null; }
  key(index: number): string | null { return [...this.items.keys()][index] ?? null; }
  removeItem(key: string): void { this.items.delete(String(key)); }
  setItem(key: string, value: string): void { this.items.set(String(key), String(value)); }
  /** Every key, to check what was stored where (the partition key's prefix). */
  keys(): string[] { return [...this.items.keys()]; }
}

const refusal = (name: string) => new DOMException(`Failed to read the '${name}' property from 'Window': Access is denied for this document.`, "SecurityError");

/**
 * Installs localStorage and sessionStorage on `target` (globalThis, or window in the browser) as
 * the host would: working in-memory stores, or getters that throw as a blocking browser does.
 * Returns the local store (null when refused) so tests can look at what was kept.
 */
export function installStorage(target: object, mode: StorageMode): MemoryStorage | null {
  const local = new MemoryStorage();
  const session = new MemoryStorage();
  for (const [name, store] of [["localStorage", local], ["sessionStorage", session]] as const) {
    Object.defineProperty(target, name, {
      configurable: true,
      get: () => { if (mode === "refused") throw refusal(name); return store; },
    });
  }
  return mode === "refused" ? null : local;
}
