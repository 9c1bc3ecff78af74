import { Hono } from "hono";
import { ChangePasswordRequestSchema, LoginRequestSchema, LoginResponseSchema, UserViewSchema, type UserView } from "@tianbao/shared";
import type { AppEnv, SessionUser } from "../env";
import { failure, reply } from "../errors";
import { countFailure, isLocked, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, signIn } from "../auth/session";
import { checkPassword, hashNewPassword } from "../auth/password";
import { revokeSession, revokeUserSessions } from "../db/sessions";
import { findUserByName, updatePassword } from "../db/users";
import { auditStatement } from "../db/audit";
import { ALL_ROLES } from "./context";
import { defineRoute } from "./define";

export const authRoutes = new Hono<AppEnv>();

const userView = (u: SessionUser): UserView =>
  ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId, unitName: u.unitName, mustChangePassword: u.mustChangePassword });

defineRoute(authRoutes, { method: "post", path: "/auth/login", summary: "Sign in with username and password", roles: "public", body: LoginRequestSchema, response: LoginResponseSchema }, async (c, { body }) => {
  const ttl = Number(c.env.SESSION_TTL_HOURS) || 12;
  const r = await signIn(c.env.DB, body.username, body.password, new Date(), ttl);
  if (!r.ok) return reply(c, r);
  const user = await c.env.DB.prepare(
    "SELECT u.id, u.username, u.display_name, u.role, u.unit_id, u.must_change_password, n.name_zh, n.name_en FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
  ).bind(r.value.userId).first<{ id: number; username: string; display_name: string; role: UserView["role"]; unit_id: string; must_change_password: number; name_zh: string; name_en: string }>();
  return c.json({
    token: r.value.token, expiresAt: r.value.expiresAt,
    user: { id: user!.id, username: user!.username, displayName: user!.display_name, role: user!.role, unitId: user!.unit_id, unitName: { zh: user!.name_zh, en: user!.name_en }, mustChangePassword: user!.must_change_password === 1 },
  });
});

defineRoute(authRoutes, { method: "post", path: "/auth/logout", summary: "End this session", roles: ALL_ROLES }, async (c) => {
  await revokeSession(c.env.DB, c.var.user.tokenHash, new Date().toISOString()).run();
  return c.body(null, 204);
});

defineRoute(authRoutes, { method: "get", path: "/me", summary: "The signed-in user", roles: ALL_ROLES, response: UserViewSchema }, (c) => c.json(userView(c.var.user)));

defineRoute(authRoutes, { method: "post", path: "/auth/password", summary: "Change your password (ends all your sessions)", roles: ALL_ROLES, body: ChangePasswordRequestSchema }, async (c, { body }) => {
  const db = c.env.DB;
  const user = await findUserByName(db, c.var.user.username);
  const locked = () => reply(c, failure(423, "account_locked", `当前密码连续错误 ${LOCKOUT_THRESHOLD} 次，请 ${LOCKOUT_MINUTES} 分钟后再试`, `The current password was wrong ${LOCKOUT_THRESHOLD} times; try again in ${LOCKOUT_MINUTES} minutes`, { where: "currentPassword" }));
  // Guessing the current password through this route counts exactly like guessing at sign-in.
  if (!user || isLocked(user, new Date())) return locked();
  if (!(await checkPassword(body.currentPassword, user))) {
    if (await countFailure(db, user.id, new Date())) return locked();
    return reply(c, failure(403, "invalid_credentials", "当前密码不正确", "The current password is wrong", { where: "currentPassword" }));
  }
  if (body.newPassword === body.currentPassword) {
    // "changing" a generated password to itself would keep it known to whoever handed it out
    return reply(c, failure(422, "invalid_body", "新密码不能与当前密码相同", "The new password must differ from the current one", { where: "body.newPassword" }));
  }
  const now = new Date().toISOString();
  try {
    await db.batch([
      // the password checked is still the one stored: a reset landing meanwhile is not overwritten
      db.prepare("INSERT INTO batch_guard (ok) SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND password_hash = ?2)").bind(user.id, user.password_hash),
      updatePassword(db, user.id, await hashNewPassword(body.newPassword), now),
      revokeUserSessions(db, user.id, now),
      auditStatement(db, { userId: user.id, action: "password_change" }, now),
    ]);
  } catch (e) {
    if (!/batch_guard/.test(String(e))) throw e;
    return reply(c, failure(409, "conflict", "密码刚刚被管理员重置，未作修改。请用新的初始密码重新登录后再修改", "The password was just reset by an administrator and nothing was changed; sign in with the new initial password and change it then", { where: "currentPassword" }));
  }
  return c.body(null, 204);
});
