import { beforeAll, describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, derivePasswordHash } from "../src/auth/password";
import { LOCKOUT_THRESHOLD } from "../src/auth/session";
import { api, ensureDemo, env, json } from "./helpers";

beforeAll(async () => { await ensureDemo(); });
type Err = { error: { code: string; message: { zh: string; en: string } } };
const signIn = (username: string, password: string) => api("/auth/login", { method: "POST", json: { username, password } });

describe("POST /api/auth/login", () => {
  it("returns an opaque token of at least 128 bits and stores only its SHA-256", async () => {
    const res = await signIn("gaoping", "demo-password");
    expect(res.status).toBe(200);
    const { token, user } = await json<{ token: string; user: { role: string; unitId: string } }>(res);
    expect(token.length).toBeGreaterThanOrEqual(22); // 256 random bits in base64url
    expect(user).toMatchObject({ role: "reporter", unitId: "gaoping" });
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ?").bind(token).first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it("answers 'no such user' and 'wrong password' the same way", async () => {
    const [a, b] = await Promise.all([signIn("nobody", "demo-password"), signIn("chengqu", "wrong-password")]);
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await json<Err>(a)).toEqual(await json<Err>(b));
  });

  it("locks the account after repeated failures, and the right password does not get in while locked", async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD - 1; i++) expect((await signIn("lingchuan", `bad-${i}`)).status).toBe(401);
    // Locked or not, the answer is the one an unknown user gets: nothing tells an account exists.
    const locked = await signIn("lingchuan", "bad-last");
    expect(locked.status).toBe(401);
    expect((await json<Err>(locked)).error.code).toBe("invalid_credentials");
    const right = await signIn("lingchuan", "demo-password");
    expect(right.status).toBe(401);
    const row = await env.DB.prepare("SELECT failed_logins FROM users WHERE username = 'lingchuan'").first<{ failed_logins: number }>();
    expect(row!.failed_logins).toBe(LOCKOUT_THRESHOLD);
  });

  it("rejects malformed bodies with 400/422 and the shared error body", async () => {
    const bad = await api("/auth/login", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect((await json<Err>(bad)).error.code).toBe("bad_request");
    const extra = await api("/auth/login", { method: "POST", json: { username: "a", password: "b", admin: true } });
    expect(extra.status).toBe(422);
    expect((await json<Err & { error: { where: string } }>(extra)).error.where).toContain("body");
  });
});

describe("sessions", () => {
  it("die on logout", async () => {
    const { token } = await json<{ token: string }>(await signIn("yangcheng", "demo-password"));
    expect((await api("/me", { token })).status).toBe(200);
    expect((await api("/auth/logout", { method: "POST", token })).status).toBe(204);
    const after = await api("/me", { token });
    expect(after.status).toBe(401);
    expect((await json<Err>(after)).error.code).toBe("unauthenticated");
  });

  it("expire", async () => {
    const { token } = await json<{ token: string }>(await signIn("qinshui", "demo-password"));
    await env.DB.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE user_id = (SELECT id FROM users WHERE username = 'qinshui')").run();
    expect((await api("/me", { token })).status).toBe(401);
  });

  it("die on password change, and the new password works", async () => {
    const { token } = await json<{ token: string }>(await signIn("shibenji", "demo-password"));
    const changed = await api("/auth/password", { method: "POST", token, json: { currentPassword: "demo-password", newPassword: "a-longer-password" } });
    expect(changed.status).toBe(204);
    expect((await api("/me", { token })).status).toBe(401);
    expect((await signIn("shibenji", "a-longer-password")).status).toBe(200);
  });

  it("refuse requests without a token", async () => {
    expect((await api("/rounds")).status).toBe(401);
    expect((await api("/rounds", { headers: { authorization: "Bearer not-a-real-token-at-all" } })).status).toBe(401);
  });
});

describe("password hashing", () => {
  it("uses PBKDF2-SHA256 at no more than the 100,000 iterations Workers allow, with per-user salts", async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    await expect(derivePasswordHash("x", "00", 100_001)).rejects.toThrow(/100000/);
    const rows = await env.DB.prepare("SELECT password_salt, password_iterations FROM users").all<{ password_salt: string; password_iterations: number }>();
    expect(new Set(rows.results.map((r) => r.password_salt)).size).toBe(rows.results.length);
    expect(rows.results.every((r) => r.password_iterations === PBKDF2_ITERATIONS)).toBe(true);
  });
});
