import type { Context } from "hono";
import type { AppEnv, SessionUser } from "../env";
import { failure, ok, type Result } from "../errors";
import { clearFailedLogins, findUserByName, recordFailedLogin } from "../db/users";
import { findLiveSession, insertSession } from "../db/sessions";
import { DECOY_SALT, PBKDF2_ITERATIONS, derivePasswordHash, randomToken, sameHash, sha256Hex } from "./password";

/** Failed sign-ins before an account locks, and for how long: slows guessing, locks nobody out for long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

const wrongCredentials = () =>
  failure(401, "invalid_credentials", "用户名或密码错误", "Wrong username or password");

/**
 * Checks a username and password and opens a session. "No such user" and "wrong password" give
 * the same answer after the same PBKDF2 work; a locked account says until when.
 */
export async function signIn(
  db: D1Database, username: string, password: string, now: Date, ttlHours: number,
): Promise<Result<{ token: string; expiresAt: string; userId: number }>> {
  const user = await findUserByName(db, username);
  const computed = await derivePasswordHash(password, user?.password_salt ?? DECOY_SALT, user?.password_iterations ?? PBKDF2_ITERATIONS);
  if (!user) return wrongCredentials();
  const nowIso = now.toISOString();
  if (user.locked_until && user.locked_until > nowIso) {
    return failure(423, "account_locked", `多次密码错误，账号已锁定至 ${user.locked_until}`, `Too many failed sign-ins; the account is locked until ${user.locked_until}`);
  }
  if (!sameHash(computed, user.password_hash)) {
    const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
    const after = await recordFailedLogin(db, user.id, LOCKOUT_THRESHOLD, lockUntil);
    if (after && after.failed_logins >= LOCKOUT_THRESHOLD) {
      return failure(423, "account_locked", `多次密码错误，账号已锁定 ${LOCKOUT_MINUTES} 分钟`, `Too many failed sign-ins; the account is locked for ${LOCKOUT_MINUTES} minutes`);
    }
    return wrongCredentials();
  }
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  await db.batch([clearFailedLogins(db, user.id), insertSession(db, await sha256Hex(token), user.id, nowIso, expiresAt)]);
  return ok({ token, expiresAt, userId: user.id });
}

/** The caller behind `Authorization: Bearer <token>`, or a 401 that says why. */
export async function authenticate(c: Context<AppEnv>): Promise<Result<SessionUser>> {
  const header = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
  if (!m) return failure(401, "unauthenticated", "请先登录", "Please sign in");
  const tokenHash = await sha256Hex(m[1]!);
  const row = await findLiveSession(c.env.DB, tokenHash, new Date().toISOString());
  if (!row) return failure(401, "unauthenticated", "登录已过期或已退出，请重新登录", "Your session has expired or was ended; please sign in again");
  return ok({
    id: row.user_id, username: row.username, displayName: row.display_name, role: row.role, unitId: row.unit_id,
    unitPath: row.unit_path, unitName: { zh: row.unit_name_zh, en: row.unit_name_en }, tokenHash,
  });
}
