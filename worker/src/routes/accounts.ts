import { Hono, type Context } from "hono";
import { AccountViewSchema, UnitContactRequestSchema, type AccountView, type Role } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv, SessionUser } from "../env";
import { failure, ok, reply, type Result } from "../errors";
import { auditContactChange, auditIfCreated } from "../db/audit";
import { inSubtree } from "../db/units";
import { loadUnit } from "./context";
import { defineRoute } from "./define";

export const accountRoutes = new Hono<AppEnv>();

interface AccountRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  unit_id: string;
  name_zh: string;
  name_en: string;
  disabled_at: string | null;
  must_change_password: number;
  last_sign_in_at: string | null;
}

const ACCOUNT_SELECT = `SELECT u.id, u.username, u.display_name, u.role, u.unit_id, n.name_zh, n.name_en, u.disabled_at, u.must_change_password, u.last_sign_in_at
  FROM users u JOIN units n ON n.id = u.unit_id`;

const accountView = (a: AccountRow): AccountView => ({
  username: a.username, displayName: a.display_name, role: a.role, unitId: a.unit_id, unitName: { zh: a.name_zh, en: a.name_en },
  disabled: a.disabled_at !== null, mustChangePassword: a.must_change_password === 1, lastSignInAt: a.last_sign_in_at,
});

/** An account in the caller's subtree (usernames are case-insensitive), or null. */
const findAccountUnder = (db: D1Database, path: string, username: string) =>
  db.prepare(`${ACCOUNT_SELECT} WHERE u.username = ?1 AND ${inSubtree("n.path", "?2")}`).bind(username, path).first<AccountRow>();

/**
 * Who may change another account (reset its password, disable or enable it): an administrator whose
 * unit is above the account's, or of the same unit when the account is not an administrator — a
 * peer administrator is changed only from above — and never the caller's own account.
 */
export async function accountInReach(db: D1Database, caller: SessionUser, username: string, say: AccountRefusals): Promise<Result<AccountRow>> {
  if (username.toLowerCase() === caller.username.toLowerCase()) return failure(422, "invalid_body", say.self.zh, say.self.en, { where: "username" });
  const target = await findAccountUnder(db, caller.unitPath, username);
  if (!target) return failure(404, "not_found", `您的单位及下级中没有账号「${username}」`, `There is no account '${username}' in your unit or below`, { where: "username" });
  if (target.role === "admin" && target.unit_id === caller.unitId) return failure(403, "forbidden", say.peer.zh, say.peer.en, { where: "username" });
  return ok(target);
}

/** What to say when the caller names its own account, or a peer administrator of its own unit. */
export interface AccountRefusals { self: { zh: string; en: string }; peer: { zh: string; en: string } }

defineRoute(accountRoutes, {
  method: "get", path: "/users", roles: ["admin"], response: z.array(AccountViewSchema),
  summary: "Accounts of your unit and the units below it (never a password or its hash), with whether each is disabled and when it last signed in",
}, async (c) => {
  const { results } = await c.env.DB.prepare(`${ACCOUNT_SELECT} WHERE ${inSubtree("n.path", "?1")} ORDER BY length(n.path), n.id, u.username`)
    .bind(c.var.user.unitPath).all<AccountRow>();
  return c.json(results.map(accountView));
});

const refusals = (zh: string, en: string): AccountRefusals => ({
  self: { zh: `不能${zh}自己的账号`, en: `You cannot ${en} your own account` },
  peer: { zh: `同一单位的其他管理员只能由上级单位${zh}`, en: `Another administrator of your own unit can be ${en}d only from a unit above it` },
});
const DISABLE = refusals("停用", "disable");
const ENABLE = refusals("启用", "enable");

/** The account must still be in the caller's subtree (path at ?2) when the change runs. */
const STILL_UNDER = `unit_id IN (SELECT id FROM units WHERE ${inSubtree("path", "?2")})`;

/** Disables or enables an account in one batch with its audit entry; doing it again changes nothing. */
async function setDisabled(c: Context<AppEnv>, disabled: boolean): Promise<Response> {
  const db = c.env.DB;
  const caller = c.var.user;
  const target = await accountInReach(db, caller, c.req.param("username")!, disabled ? DISABLE : ENABLE);
  if (!target.ok) return reply(c, target);
  const { id, unit_id: unitId, username } = target.value;
  const now = new Date().toISOString();
  await db.batch([
    disabled
      ? db.prepare(`UPDATE users SET disabled_at = ?3 WHERE id = ?1 AND disabled_at IS NULL AND ${STILL_UNDER}`).bind(id, caller.unitPath, now)
      : db.prepare(`UPDATE users SET disabled_at = NULL WHERE id = ?1 AND disabled_at IS NOT NULL AND ${STILL_UNDER}`).bind(id, caller.unitPath),
    // recorded only when the account's state changed just above
    auditIfCreated(db, { userId: caller.id, action: disabled ? "user_disable" : "user_enable", unitId, detail: { username } }, now),
    // a disabled account keeps no live session (sign-in refuses it; findLiveSession ignores it too)
    ...(disabled ? [db.prepare("UPDATE sessions SET revoked_at = ?2 WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE id = ?1 AND disabled_at IS NOT NULL)").bind(id, now)] : []),
  ]);
  const after = await findAccountUnder(db, caller.unitPath, username);
  if (!after) return reply(c, failure(404, "not_found", `您的单位及下级中没有账号「${username}」`, `There is no account '${username}' in your unit or below`, { where: "username" }));
  return c.json(accountView(after));
}

defineRoute(accountRoutes, {
  method: "post", path: "/users/:username/disable", roles: ["admin"], response: AccountViewSchema,
  summary: "停用: the account can no longer sign in (the same answer as a wrong password) and every session of it ends; an administrator above the account's unit, or of its unit for a non-administrator; not your own",
}, (c) => setDisabled(c, true));

defineRoute(accountRoutes, {
  method: "post", path: "/users/:username/enable", roles: ["admin"], response: AccountViewSchema,
  summary: "启用: a disabled account may sign in again (the same administrators as disabling it)",
}, (c) => setDisabled(c, false));

const UnitContactSchema = z.strictObject({ unitId: z.string(), name: z.string().nullable(), phone: z.string().nullable() });

defineRoute(accountRoutes, {
  method: "put", path: "/units/:id/contact", roles: ["admin"], body: UnitContactRequestSchema, response: UnitContactSchema,
  summary: "A unit's contact person and phone for the 催报 list (an administrator of the unit or a unit above it); null or empty clears one",
}, async (c, { body }) => {
  const unit = await loadUnit(c, c.req.param("id")!, "read");
  if (!unit.ok) return reply(c, unit);
  const name = body.name?.trim() || null;
  const phone = body.phone?.trim() || null;
  const db = c.env.DB;
  const now = new Date().toISOString();
  await db.batch([
    // what it was and what it is now, in the unit's audit its parent reads (GET /units/:id/audit)
    auditContactChange(db, { userId: c.var.user.id, unitId: unit.value.id, path: c.var.user.unitPath, name, phone }, now),
    // the phone is recorded as set by the caller's unit even when unchanged (a city confirming a
    // county's phone makes it one the city's robot may @-mention)
    db.prepare(`UPDATE units SET contact_name = ?2, contact_phone = ?3, contact_phone_set = ?3, contact_phone_set_by = ?4 WHERE id = ?1 AND ${inSubtree("path", "?4")}`).bind(unit.value.id, name, phone, c.var.user.unitPath),
  ]);
  return c.json({ unitId: unit.value.id, name, phone });
});
