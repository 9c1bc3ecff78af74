import { Hono } from "hono";
import { CreateUserRequestSchema, UnitViewSchema } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { hashNewPassword } from "../auth/password";
import { auditStatement } from "../db/audit";
import { findUnitUnder, listUnitsUnder } from "../db/units";
import { findUserByName, insertUser } from "../db/users";
import { ALL_ROLES } from "./context";
import { defineRoute } from "./define";

export const unitRoutes = new Hono<AppEnv>();

defineRoute(unitRoutes, { method: "get", path: "/units", summary: "Your unit and the units below it", roles: ALL_ROLES, response: z.array(UnitViewSchema) }, async (c) =>
  c.json(await listUnitsUnder(c.env.DB, c.var.user.unitPath)));

defineRoute(unitRoutes, { method: "post", path: "/users", summary: "Create a user in your unit or a unit below it", roles: ["admin"], body: CreateUserRequestSchema }, async (c, { body }) => {
  const unit = await findUnitUnder(c.env.DB, c.var.user.unitPath, body.unitId);
  if (!unit) return reply(c, failure(422, "invalid_body", `单位「${body.unitId}」不在本单位管辖范围内`, `Unit '${body.unitId}' is not in your unit's subtree`, { where: "body.unitId" }));
  const taken = () => reply(c, failure(409, "conflict", `用户名「${body.username}」已存在`, `Username '${body.username}' is taken`, { where: "body.username" }));
  if (await findUserByName(c.env.DB, body.username)) return taken();
  const now = new Date().toISOString();
  const [r] = await c.env.DB.batch([
    insertUser(c.env.DB, { ...body, ...(await hashNewPassword(body.password)) }, now),
    auditStatement(c.env.DB, { userId: c.var.user.id, action: "user_create", unitId: body.unitId, detail: { username: body.username, role: body.role } }, now),
  ]);
  if (r!.meta.changes === 0) return taken();
  return c.json({ username: body.username, role: body.role, unitId: body.unitId }, 201);
});
