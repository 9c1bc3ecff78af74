import { beforeAll, describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, derivePasswordHash } from "../src/auth/password";
import { LOCKOUT_THRESHOLD } from "../src/auth/session";
import { api, ensureDemo, env, json, login } from "./helpers";

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
    const rows = await env.DB.prepare("SELECT password_hash, password_salt, password_iterations FROM users").all<{ password_hash: string; password_salt: string; password_iterations: number }>();
    expect(new Set(rows.results.map((r) => r.password_salt)).size).toBe(rows.results.length);
    // a generated first password is one salted SHA-256 (below); every other is stretched in full
    expect(rows.results.every((r) => r.password_iterations === (r.password_hash.startsWith("first-sha256:") ? 1 : PBKDF2_ITERATIONS))).toBe(true);
  });
});

/** Runs `f` and counts the PBKDF2 derivations it caused (machine-independent, unlike a timing). */
async function derivations(f: () => Promise<unknown>): Promise<number> {
  const subtle = crypto.subtle;
  const original = subtle.deriveBits.bind(subtle);
  let runs = 0;
  subtle.deriveBits = ((...args: Parameters<SubtleCrypto["deriveBits"]>) => { runs++; return original(...args); }) as SubtleCrypto["deriveBits"];
  try { await f(); } finally { subtle.deriveBits = original; }
  return runs;
}

describe("first passwords (issue 21, finding 6)", () => {
  it("F6: a generated first password costs no PBKDF2 to store, and signing in costs one derivation whatever the account", async () => {
    const admin = await login("admin");
    let created: { password: string } = { password: "" };
    expect(await derivations(async () => { created = await json(await api("/users", { method: "POST", token: admin, json: { username: "first.pw", displayName: "初始密码", role: "reporter", unitId: "gaoping" } })); })).toBe(0);
    const answers: unknown[] = [];
    for (const [username, password] of [["first.pw", "guess-1"], ["no-such-user", "guess-1"], ["chengqu", "guess-1"]] as const) {
      expect(await derivations(async () => { const r = await signIn(username, password); expect(r.status).toBe(401); answers.push(await json(r)); }), username).toBe(1);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual(answers[2]);
    expect(await derivations(async () => expect((await signIn("first.pw", created.password)).status).toBe(200))).toBe(1);
  });

  it("F6: a reset stores a first password too; it stands only until the first sign-in's change, which stores PBKDF2", async () => {
    const admin = await login("admin");
    let reset: { password: string } = { password: "" };
    expect(await derivations(async () => { reset = await json(await api("/users/first.pw/reset-password", { method: "POST", token: admin, json: {} })); })).toBe(0);
    const stored = () => env.DB.prepare("SELECT password_hash, password_iterations, must_change_password FROM users WHERE username = 'first.pw'").first<{ password_hash: string; password_iterations: number; must_change_password: number }>();
    expect((await stored())!.password_hash).toMatch(/^first-sha256:[0-9a-f]{64}$/);
    // the database refuses a first password that need not be changed, whoever writes it
    await expect(env.DB.prepare("UPDATE users SET must_change_password = 0 WHERE username = 'first.pw'").run()).rejects.toThrow(/first password/);
    await expect(env.DB.prepare("INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at) VALUES ('first.x', 'x', 'viewer', 'gaoping', ?, '00', 1, '2025', '2025')")
      .bind((await stored())!.password_hash).run()).rejects.toThrow(/first password/);
    const { token, user } = await json<{ token: string; user: { mustChangePassword: boolean } }>(await signIn("first.pw", reset.password));
    expect(user.mustChangePassword).toBe(true);
    expect((await api("/auth/password", { method: "POST", token, json: { currentPassword: "not-it", newPassword: "first-own-password" } })).status).toBe(403);
    expect((await api("/auth/password", { method: "POST", token, json: { currentPassword: reset.password, newPassword: "first-own-password" } })).status).toBe(204);
    expect(await stored()).toEqual({ password_hash: expect.stringMatching(/^[0-9a-f]{64}$/), password_iterations: PBKDF2_ITERATIONS, must_change_password: 0 });
    expect((await signIn("first.pw", reset.password)).status).toBe(401);
    expect((await signIn("first.pw", "first-own-password")).status).toBe(200);
  });
});
