import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { downloadTotals } from "../src/commands/commands";
import { api, rememberSession, reopenStore, restoreSession, signOut, store } from "../src/flows/session";
import { guardedStore } from "../src/flows/storage";
import { installFakeHost } from "./helpers";
import { ZEZHOU, json, stubServer } from "./helpers-api";
import type { StorageMode } from "./fake-office/storage";

// Storage that may be refused: Excel on the web frames the pane from another site, and a browser
// that blocks third-party storage throws on the read of window.localStorage itself. Sign-in and
// sign-out must work either way; only remembering the sign-in is lost, and the pane says so.
// https://learn.microsoft.com/office/dev/add-ins/develop/persisting-add-in-state-and-settings
const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });

const signInOnServer = () => stubServer((method, path) => {
  if (path === "/api/auth/login") return json({ token: "s".repeat(43), expiresAt: "2099-01-01T00:00:00Z", user: ZEZHOU });
  if (path === "/api/auth/logout") return new Response(null, { status: 204 });
  return json({}, 404);
});

describe.each<[StorageMode, string | undefined]>([["available", undefined], ["available", "pk-web-1"], ["refused", undefined], ["refused", "pk-web-1"]])(
  "storage %s, partition key %s", (mode, partitionKey) => {
    let host: ReturnType<typeof installFakeHost>;
    beforeEach(() => { host = installFakeHost({ storage: mode, ...(partitionKey ? { partitionKey } : {}) }); reopenStore(); });
    /** The pane closed and opened again: a new runtime, with only what the browser kept. */
    const newRuntime = () => { api.token = null; api.user = null; reopenStore(); };

    it("signs in and remembers the sign-in only where storage allows it, saying so", async () => {
      signInOnServer();
      const r = await api.login("zezhou", "demo-password");
      expect(r.ok).toBe(true);
      expect(rememberSession(true)).toBe(mode === "available"); // false: the pane says it will not be remembered
      expect(store.persistent).toBe(mode === "available");
      newRuntime();
      restoreSession();
      expect(api.token).toBe(mode === "available" ? "s".repeat(43) : null);
    });

    it("keys what it stores on Office.context.partitionKey where there is one", async () => {
      signInOnServer();
      await api.login("zezhou", "demo-password");
      rememberSession(true);
      if (mode === "refused") return expect(host.storage).toBeNull();
      expect(host.storage!.keys()).toEqual([`${partitionKey ?? ""}tianbao.session`]);
    });

    it("signs out, and forgets a remembered sign-in", async () => {
      signInOnServer();
      await api.login("zezhou", "demo-password");
      rememberSession(true);
      await expect(signOut()).resolves.toBeUndefined();
      expect(api.token).toBeNull();
      restoreSession(); // the same runtime: nothing comes back, not even from memory
      expect(api.token).toBeNull();
      newRuntime();
      restoreSession();
      expect(api.token).toBeNull();
    });

    it("a first ribbon click restores a remembered sign-in (Office has initialised by then)", async () => {
      store.set("tianbao.session", JSON.stringify({ token: "remembered-token", user: ZEZHOU }));
      newRuntime();
      const e = { completed: vi.fn() };
      stubServer(() => json([]));
      await downloadTotals(e);
      expect(e.completed).toHaveBeenCalledTimes(1);
      expect(api.token).toBe(mode === "available" ? "remembered-token" : null);
    });
  });

describe("guarded storage", () => {
  it("falls back to memory when storage starts refusing under a running pane, and never throws", () => {
    const host = installFakeHost({ storage: "available" });
    const s = guardedStore();
    s.set("k", "1");
    expect(host.storage!.getItem("k")).toBe("1");
    installFakeHost({ storage: "refused" });
    expect(() => s.set("k", "2")).not.toThrow();
    expect(s.get("k")).toBe("2");
    expect(s.persistent).toBe(false);
    expect(() => s.remove("k")).not.toThrow();
    expect(s.get("k")).toBeNull();
  });

  it("a full quota (setItem throws QuotaExceededError) is a refusal too", () => {
    const host = installFakeHost({ storage: "available" });
    vi.spyOn(host.storage!, "setItem").mockImplementation(() => { throw new DOMException("quota", "QuotaExceededError"); });
    const s = guardedStore();
    expect(() => s.set("k", "v")).not.toThrow();
    expect(s.get("k")).toBe("v");
    expect(s.persistent).toBe(false);
  });
});
