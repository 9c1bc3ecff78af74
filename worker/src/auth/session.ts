import type { Context } from "hono";
import type { AppEnv, SessionUser } from "../env";
import { failure, ok, type Result } from "../errors";
import { findUserByName, recordFailedLogin, recordSignIn } from "../db/users";
import { findLiveSession, insertSession } from "../db/sessions";
import { checkPassword, randomToken, sha256Hex } from "./password";

/** Failed sign-ins before an account locks, and for how long: slows guessing, locks nobody out for long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

/**
 * The one answer for an unknown user, a wrong password and a locked account alike, so nobody can
 * tell from it whether a username exists or is locked.
 */
const wrongCredentials = () =>
  failure(401, "invalid_credentials", `用户名或密码错误。连续 ${LOCKOUT_THRESHOLD} 次错误后需等待 ${LOCKOUT_MINUTES} 分钟才能再次登录`, `Wrong username or password. After ${LOCKOUT_THRESHOLD} wrong attempts in a row, wait ${LOCKOUT_MINUTES} minutes before signing in again`);

/** Records a wrong password for a known user; true when the account is (now) locked. */
export async function countFailure(db: D1Database, userId: number, now: Date): Promise<boolean> {
  const period = LOCKOUT_MINUTES * 60_000;
  const after = await recordFailedLogin(db, userId, LOCKOUT_THRESHOLD, now.toISOString(),
    new Date(now.getTime() - period).toISOString(), new Date(now.getTime() + period).toISOString());
  return after === null || (after.locked_until !== null && after.locked_until > now.toISOString());
}

/** True while the account's lock runs. */
export const isLocked = (user: { locked_until: string | null }, now: Date): boolean => user.locked_until !== null && user.locked_until > now.toISOString();

/**
 * Checks a username and password and opens a session. "No such user", "wrong password", "locked"
 * and "disabled" give the same answer after the same work (checkPassword: one PBKDF2 derivation and
 * one SHA-256, whether the account has a first password, a chosen one, or does not exist). A locked account refuses even the
 * right password until the lock runs out; attempts during the lock are not counted and do not extend
 * it. A disabled account refuses every password, and nothing is counted against it.
 */
export async function signIn(
  db: D1Database, username: string, password: string, now: Date, ttlHours: number,
): Promise<Result<{ token: string; expiresAt: string; userId: number }>> {
  const user = await findUserByName(db, username);
  const matches = await checkPassword(password, user);
  if (!user) return wrongCredentials();
  const nowIso = now.toISOString();
  if (user.disabled_at !== null || isLocked(user, now)) return wrongCredentials();
  if (!matches) {
    await countFailure(db, user.id, now);
    return wrongCredentials();
  }
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  await db.batch([recordSignIn(db, user.id, nowIso), insertSession(db, await sha256Hex(token), user.id, nowIso, expiresAt)]);
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
    mustChangePassword: row.must_change_password === 1,
  });
}
